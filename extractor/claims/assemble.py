"""From sentence analyses to claims: pair each change with its quantity, then give every claim
its parties, period, commodity and qualifiers.

Each attribute is looked for in order: the claim's own clauses, then earlier in the sentence,
then what the previous claim carried (the period and commodity across the article, the parties
within the paragraph), then later figure-free clauses, then the article's defaults (its main
exporter and commodity, from the headline and lead).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Optional

from extractor.claims import periods
from extractor.claims.analysis import SentenceAnalysis
from extractor.types import Claim

# "fell 3% to 564 tons", "increasing by 55.9% to 1,118 tons", "..., reaching 226 tons"
LINK_TO_VALUE = re.compile(
    r"(?i)^(?:[^,;]{0,60}?\s)?(?:to|at|reaching|to reach|totall?ing|hitting|standing at|amounting to)\s+(?:[a-z]+\s+){0,2}$"
    r"|^[^,;]{0,40},\s*(?:reaching|to reach|hitting|totall?ing|at|to)\s+(?:[a-z]+\s+){0,2}$")
SPLIT_PAIR = re.compile(r"[;]|(?<![\w])(?:while|whereas|versus|vs\.?|compared|against|but)(?![\w])")
# "up 10% from 300 tons": a quantity after "from" is the base of the change, not its result.
SPLIT_NEXT = re.compile(SPLIT_PAIR.pattern + r"|(?<![\w])from(?![\w])")
# A clause opened by these states what a figure is compared with, not the sentence's news.
COMPARISON_START = re.compile(r"[\s,;:(\-–—]*(?i:compared|versus|vs\b|against|up from|down from|from|than)\b")
# "..., down 12 percent from February": a change opening the clause after the quantity's
# describes the same flow however long the quantity's clause is.
TRAILING_CHANGE = re.compile(r",\s*(?:[A-Za-z-]+\s+){0,3}$")
RESPECTIVELY = re.compile(r"(?i)(?<![\w])respectively(?![\w])")
JOINED = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)(?:the\s+)?$")
UNREPRESENTABLE = "unrepresentable"  # a marketing year: the contract has no form for it
JOINT = "REGION"  # a party of several countries together: stated, but with no one code


@dataclass
class Frame:
    """What a claim said, carried to the next sentences that leave it implied."""

    exporter: Optional[str]
    importer: Optional[str]
    flow: str
    period: Optional[str]
    commodity: Optional[str]
    para: int
    index: int
    listed: bool = False  # one of a sentence's list of parties ("to Japan (+9.7%) and Mexico (+3.1%)")


@dataclass
class ArticleDefaults:
    exporter: Optional[str] = None
    importer: Optional[str] = None
    commodity: Optional[str] = None
    period: Optional[str] = None
    flow: Optional[str] = None  # the article's main view: export or import


# ------------------------------------------------------------------ pairing figures into claims

def pair_figures(sa: SentenceAnalysis) -> list[list]:
    """Groups of one quantity and/or one change that make one claim, in text order."""
    figures = sa.figures
    used: set[int] = set()
    groups: dict[int, list] = {}
    for i, fig in enumerate(figures):
        if fig.kind != "pct":
            continue
        partner = _partner(sa, i, used)
        if partner is not None:
            used.add(partner)
            groups[partner] = [figures[partner], fig]
            used.add(i)
    for i, fig in enumerate(figures):
        if i not in used:
            groups[i] = [fig]
    return [groups[k] for k in sorted(groups)]


def _partner(sa: SentenceAnalysis, i: int, used: set[int]) -> Optional[int]:
    figures, text = sa.figures, sa.text
    nxt = i + 1 if i + 1 < len(figures) and figures[i + 1].kind == "qty" and i + 1 not in used else None
    prv = i - 1 if i > 0 and figures[i - 1].kind == "qty" and i - 1 not in used else None
    if prv is not None and "(" in (aside := text[figures[prv].end:figures[i].start]) and ")" not in aside \
            and not SPLIT_PAIR.search(aside):
        return prv  # "12.8 mln t (-5.9%)": the change in brackets is the quantity's
    if nxt is not None and LINK_TO_VALUE.match(text[figures[i].end:figures[nxt].start]):
        return nxt
    if prv is not None:
        gap = text[figures[prv].end:figures[i].start]
        if not SPLIT_PAIR.search(gap) and (len(gap) <= 90 or _trailing_change(sa, figures[prv].end, gap)):
            return prv
    if nxt is not None:
        gap = text[figures[i].end:figures[nxt].start]
        if len(gap) <= 50 and not SPLIT_NEXT.search(gap):
            return nxt
    return None


def _trailing_change(sa: SentenceAnalysis, start: int, gap: str) -> bool:
    clause = TRAILING_CHANGE.search(gap)
    if clause is None or len(gap) > 250:
        return False
    opens = start + clause.start()
    return not any(opens <= m.start < start + len(gap) for m in sa.countries)


def respective_parties(sa: SentenceAnalysis) -> dict:
    """'to South Korea and Japan edged up to 2.6mn t and 2.1mn t, respectively': each figure
    of the run before 'respectively' goes with the country in the same place of the run of
    countries before the figures. Figure start -> country mention."""
    word = RESPECTIVELY.search(sa.text)
    if word is None:
        return {}
    before = [f for f in sa.figures if f.end <= word.start()]
    if not before:
        return {}
    kind = before[-1].kind
    last_country = max((m.end for m in sa.countries if m.end <= before[-1].start), default=-1)
    run = [f for f in before if f.kind == kind and f.start >= last_country]
    mentions = [m for m in sa.countries if m.end <= run[0].start and m.form != "total"]
    names = mentions[-1:] if mentions else []
    for m in reversed(mentions[:-1]):
        if not JOINED.fullmatch(sa.text, m.end, names[0].start):
            break
        names.insert(0, m)
    if len(names) != len(run) or len(run) < 2:
        return {}
    role = next((m.role for m in names if m.role in ("exporter", "importer")), None)
    if role is None:
        return {}
    return {f.start: replace(m, role=role) for f, m in zip(run, names)}


# ------------------------------------------------------------------ choosing among mentions

class Picker:
    """Orders mentions of one sentence by how surely they belong to a claim."""

    def __init__(self, sa: SentenceAnalysis, group: list, respective: Optional[dict] = None,
                 used: Optional[set] = None):
        self.sa = sa
        self.group = group
        self.respective = respective or {}
        self.used = used if used is not None else set()
        self.anchor = group[0].start
        self.others = [f for f in sa.figures if all(f is not g for g in group)]
        self.segments = {sa.segment(f.start) for f in group}
        self.regions = {sa.subordinate_region(f.start) for f in group}
        figure_segments = {sa.segment(f.start) for f in sa.figures}
        self.busy_segments = figure_segments - self.segments

    def usable(self, start: int) -> bool:
        region = self.sa.subordinate_region(start)
        return region is None or region in self.regions

    def own(self, mentions):
        inside = [m for m in mentions if self.sa.segment(m.start) in self.segments and self.usable(m.start)]
        return sorted(inside, key=self._distance)

    def _distance(self, mention) -> tuple:
        """Nearest first; but a mention already a party of an earlier figure ("480,000 tonnes
        from Russia and 120,000 tonnes from Romania"), or with another figure between it and
        this one, only after the others."""
        low, high = sorted((mention.start, self.anchor))
        crossed = any(low < f.start < high for f in self.others)
        return (mention.start in self.used or crossed, abs(mention.start - self.anchor))

    def before(self, mentions):
        earlier = [m for m in mentions if m.start < self.anchor and self.sa.segment(m.start) not in self.segments
                   and self.usable(m.start)]
        return sorted(earlier, key=lambda m: -m.start)

    def after(self, mentions):
        later = [m for m in mentions if m.start > self.anchor and self.sa.segment(m.start) not in self.segments
                 and self.sa.segment(m.start) not in self.busy_segments and self.usable(m.start)]
        return sorted(later, key=lambda m: m.start)


# ------------------------------------------------------------------ the assembler

class ArticleAssembler:
    def __init__(self, text: str, lex, *, article: str, published: Optional[dt.date], article_id: Optional[str]):
        self.text, self.lex = text, lex
        self.article, self.published, self.article_id = article, published, article_id
        self.defaults = ArticleDefaults()
        self.frame: Optional[Frame] = None
        self.lead_frame: Optional[Frame] = None  # the article's first statement: its main topic

    # -- article defaults from the headline, the lead and the roles seen in claim sentences
    def learn_defaults(self, lead: list[SentenceAnalysis], body: list[SentenceAnalysis]) -> None:
        exporters, importers, commodities, flows = Counter(), Counter(), Counter(), Counter()
        for weight, analyses in ((3, lead), (1, body)):
            for sa in analyses:
                for cue in sa.flows:
                    if cue.value in ("export", "import"):
                        flows[cue.value] += weight
                for m in sa.countries:
                    if m.code and m.code not in ("WLD", "REGION") and m.form != "description":
                        if m.role == "exporter":
                            exporters[m.code] += weight
                        elif m.role in ("importer", "origin_or_importer"):
                            importers[m.code] += weight
                for c in sa.commodities:
                    commodities[c.value] += weight
        self.defaults.exporter = _most_common(exporters)
        self.defaults.importer = _most_common(importers)
        self.defaults.commodity = _most_common(commodities)
        self.defaults.flow = _most_common(flows)
        for sa in lead:
            for p in sa.periods:
                if not p.comparison:
                    self.defaults.period = periods.resolve(p.ref, self.published)
                    break
            if self.defaults.period:
                break

    # -- claims of one sentence
    def claims(self, sa: SentenceAnalysis) -> list[Claim]:
        out = []
        last_period = None
        respective = respective_parties(sa)
        used: set[int] = set()  # mentions already a party of an earlier claim of the sentence
        for group in pair_figures(sa):
            claim = self._claim(sa, group, last_period, respective, used)
            if claim is not None:
                out.append((claim, self._compared(sa, group)))
                last_period = claim.period or last_period
        if self.frame is not None and self.frame.index == sa.index:
            self.frame.listed = len({(c.exporter, c.importer) for c, _ in out}) > 1
        main = [c for c, compared in out if not compared] or [c for c, _ in out]
        if main and self.frame is not None:
            # What a figure is compared with ("versus 305 tons a month before", "compared with
            # 1,090 tonnes in November 2024") is not the period the text goes on about.
            self.frame.period = main[-1].period or self.frame.period
        return [c for c, _ in out]

    def _compared(self, sa: SentenceAnalysis, group: list) -> bool:
        seg = sa.segment(group[0].start)
        start = sa.cuts[seg - 1] if seg > 0 else 0
        if COMPARISON_START.match(sa.text, start):
            return True
        before = sa.text[:group[0].start]
        return before.count("(") > before.count(")")  # an aside: "420kt in Q3 (Q2: 510kt)"

    def _carry(self, sa: SentenceAnalysis, parties: bool) -> Optional[Frame]:
        frame = self.frame
        if frame is None:
            return None
        if parties and not (frame.para == sa.para or frame.index == sa.index - 1
                            or (sa.label_end is not None and frame.index >= sa.index - 3)):
            return None
        return frame

    def _claim(self, sa: SentenceAnalysis, group: list, last_period: Optional[str],
               respective: Optional[dict] = None, used: Optional[set] = None) -> Optional[Claim]:
        pick = Picker(sa, group, respective, used)
        if not self._is_trade(sa, pick, group):
            return None
        value_fig = next((f for f in group if f.kind == "qty"), None)
        change_fig = next((f for f in group if f.kind == "pct"), None)
        flow = self._flow(sa, pick)
        period, stated = self._period(sa, pick, last_period)
        if period == UNREPRESENTABLE:
            return None
        frame = self._carry(sa, parties=True)
        if frame is not None and stated and period != frame.period:
            # A new period opens a new statement about the article's topic, not about the
            # last destination named: "Analysts expect exports ... in 2026".
            frame = self.lead_frame
        exporter, importer = self._parties(sa, pick, flow, frame)
        commodity = self._commodity(sa, pick)
        value = _tonnes(value_fig, commodity, self.lex) if value_fig else None
        basis = self._basis(sa, pick, period) if change_fig else None
        figure = value_fig or change_fig
        self.frame = Frame(exporter, importer, flow, period, commodity, sa.para, sa.index)
        self.lead_frame = self.lead_frame or self.frame
        return Claim(
            article=self.article, sentence=sa.text, start=sa.start, end=sa.end, period=period,
            exporter=exporter, importer=importer, flow=flow, commodity=commodity,
            value=value, unit="t" if value is not None else None,
            change_pct=(change_fig.sign * change_fig.value) if change_fig else None,
            change_basis=basis, qualifier=(value_fig or change_fig).qualifier or (change_fig and change_fig.qualifier) or None,
            modality=self._modality(sa, pick), per=value_fig.per if value_fig else None,
            source=sa.source, figure_start=sa.start + figure.start, figure_end=sa.start + figure.end,
            article_id=self.article_id,
        )

    # -- is this figure about trade at all?
    def _is_trade(self, sa: SentenceAnalysis, pick: Picker, group: list) -> bool:
        trade = [c for c in sa.flows]
        nontrade = sa.nontrade
        if any(f.kind == "qty" for f in group):
            nontrade = [c for c in nontrade if c.value != "share"]  # "accounted for 5.6 Mt"
        own = pick.own(trade + nontrade)
        if own:
            before = [c for c in own if c.start < pick.anchor]
            nearest = (sorted(before, key=lambda c: -c.start) or own)[0]
            return nearest in trade
        earlier = pick.before(trade + nontrade)
        if earlier:
            return earlier[0] in trade
        if any(m.role in ("importer", "exporter", "counterpart") for m in pick.own(sa.countries)):
            return True
        if self._carry(sa, parties=True) is not None:
            return True
        later = pick.after(trade + nontrade)
        return bool(later) and later[0] in trade

    def _flow(self, sa: SentenceAnalysis, pick: Picker) -> str:
        directed = [c for c in sa.flows if c.value in ("export", "import")]
        for found in (pick.own(directed), pick.before(directed)):
            if found:
                return found[0].value
        later = pick.after(directed)
        if later:
            return later[0].value
        frame = self._carry(sa, parties=True)
        named = any(m.role in ("exporter", "importer") for m in pick.own(sa.countries))
        return frame.flow if frame and not named else "export"

    # -- who shipped to whom
    def _parties(self, sa: SentenceAnalysis, pick: Picker, flow: str,
                 frame: Optional[Frame]) -> tuple[Optional[str], Optional[str]]:
        mentions = [replace(m, code=self._describe(sa, m), role=self._settle(m)) for m in sa.countries
                    if m.role not in ("none", "")]
        mentions = [m for m in mentions if m.code]
        dominant = self.defaults.exporter

        def having(*roles):
            return [m for m in mentions if m.role in roles]

        if flow == "export":
            # "US shipments" in an article about China's exports: the US is the destination.
            sending = [m for m in having("counterpart") if not dominant or m.code == dominant]
            receiving = [m for m in having("counterpart") if dominant and m.code != dominant]
            exporter = self._first(pick, having("exporter") + sending)
            candidates = [m for m in having("importer", "total") + receiving if m.code != exporter]
            candidates += self._label_mentions(sa, exporter or dominant, "importer")
            importer = self._first(pick, candidates, prefer_explicit=True)
        else:
            importer = self._first(pick, having("importer"), prefer_explicit=True)
            # "Australia: 2.41 million t" under Japan's imports: a labelled row names the origin.
            labels = self._label_mentions(sa, importer or self.defaults.importer, "exporter")
            exporter = self._first(pick, having("exporter", "total") + labels)
        exporter = self._single(sa, pick, exporter, ("exporter",))
        importer = self._single(sa, pick, importer, ("importer",))
        respective = next((r for f in pick.group if (r := pick.respective.get(f.start))), None)
        if respective is not None:
            exporter, importer = ((respective.code, importer) if respective.role == "exporter"
                                  else (exporter, respective.code))
        exporter, importer = self._carried(sa, pick, flow, frame, exporter, importer)
        if flow == "export":
            exporter, importer = exporter or dominant, importer or "WLD"
        else:
            exporter, importer = exporter or "WLD", importer or self._home_importer(exporter)
        # A region ("exports to Asia") is a stated party without a code: null, not the world.
        return (None if exporter == "REGION" else exporter), (None if importer == "REGION" else importer)

    def _carried(self, sa: SentenceAnalysis, pick: Picker, flow: str, frame: Optional[Frame],
                 exporter: Optional[str], importer: Optional[str]) -> tuple[Optional[str], Optional[str]]:
        """Parties the sentence leaves implied, taken from the last statement when it continues it."""
        if frame is None or self._new_goods(sa, pick, frame):
            return exporter, importer  # "Germany imported 3,400 tonnes of gallium" after copper
        if frame.flow == flow:
            # A sentence naming its own subject (the exporter of exports, the importer of
            # imports) starts a new statement; otherwise it continues the last one.
            subject_named = exporter is not None if flow == "export" else importer is not None
            if not subject_named:
                if frame.listed and frame.index != sa.index:
                    # After a breakdown by partner, an unnamed side is the total again.
                    return exporter or (frame.exporter if flow == "export" else None), \
                        importer or (frame.importer if flow == "import" else None)
                return exporter or frame.exporter, importer or frame.importer
            if frame.index == sa.index:
                # A list in one sentence shares its other party: "Indonesia supplied 318,000
                # tonnes, Malaysia 270,500 tonnes and Thailand 43,800 tonnes."
                if flow == "export":
                    return exporter, importer or frame.importer
                return exporter or frame.exporter, importer
            return exporter, importer
        # The view turns to the other side ("India bought 310,000 tonnes" after Malaysia's
        # exports): the goods still come from, or go to, the party of the last statement, but
        # only when that statement was a total the new party can be a part of, and the sentence
        # names the party whose view it takes ("Imports of canola were ..." is the home total).
        if flow == "import" and importer and exporter is None and frame.exporter != importer \
                and frame.importer in (None, "WLD"):
            exporter = frame.exporter
        if flow == "export" and exporter and importer is None and frame.importer != exporter \
                and frame.exporter in (None, "WLD"):
            importer = frame.importer
        return exporter, importer

    def _new_goods(self, sa: SentenceAnalysis, pick: Picker, frame: Frame) -> bool:
        """The sentence names goods unrelated to the last statement's."""
        stated = next((found[0].value for found in (pick.own(sa.commodities), pick.before(sa.commodities)) if found), None)
        if stated is None or frame.commodity is None:
            return False
        return not (self._related(stated, frame.commodity))

    def _related(self, a: str, b: str) -> bool:
        """The same goods, one within the other, or one a widened scope of the other."""
        def names(name):
            entry = self.lex.commodities.get(name)
            return {name} | ({entry.parent, entry.inclusive_name} - {None} if entry else set())
        return bool(names(a) & names(b))

    def _single(self, sa: SentenceAnalysis, pick: Picker, code: Optional[str], roles) -> Optional[str]:
        """'imports from Russia and Ukraine rose to 257,000 tonnes': a figure of two parties
        together has no one party (unless 'respectively' shares the figures out)."""
        if code is None or pick.respective:
            return code
        mentions = sa.countries
        for i, m in enumerate(mentions):
            if m.code != code or m.role not in roles or sa.segment(m.start) not in pick.segments:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(mentions):
                    a, b = (mentions[j], m) if j < i else (m, mentions[j])
                    other = mentions[j]
                    if other.code and other.code != code and other.role in tuple(roles) + ("bare",) \
                            and other.form != "total" and JOINED.fullmatch(sa.text, a.end, b.start) \
                            and not sa.text[a.end:b.start].strip().startswith(","):
                        return JOINT
        return code

    def _home_importer(self, exporter: Optional[str]) -> Optional[str]:
        """The importer of an import figure that names none: in an article about a country's
        exports, that country ("Imports of canola were 15 thousand tonnes")."""
        home = self.defaults.exporter
        if self.defaults.flow == "export" and home and home != exporter:
            return home
        return self.defaults.importer

    def _settle(self, mention) -> str:
        if mention.role != "origin_or_importer":
            return mention.role
        main = self.defaults.importer
        return "importer" if main is None or main == mention.code else "exporter"

    def _label_mentions(self, sa: SentenceAnalysis, party: Optional[str], role: str):
        """'U.S. Specifics: 582 tons': a country heading a list item is the other party."""
        if sa.label_end is None:
            return []
        return [replace(m, role=role) for m in sa.countries
                if m.role == "bare" and m.end <= sa.label_end and m.code and m.code != party]

    def _first(self, pick: Picker, mentions, *, prefer_explicit: bool = False) -> Optional[str]:
        own = pick.own(mentions)
        if prefer_explicit:
            explicit = [m for m in own if m.role != "total"]
            own = explicit or own
        for found in (own, pick.before(mentions)):
            if found:
                pick.used.add(found[0].start)
                return found[0].code
        return None  # a country after the claim's clause belongs to another statement

    def _describe(self, sa: SentenceAnalysis, mention) -> Optional[str]:
        """The country a description ('its Asian neighbour') stands for, from the article so far."""
        if mention.form != "description":
            return mention.code
        how = mention.description["resolve"]
        if how in ("article_exporter", "article_subject"):
            return self.defaults.exporter
        if how == "article_importer":
            return self.defaults.importer
        region = mention.description.get("region")
        earlier = self.text[:sa.start + mention.start]
        for match in reversed(list(self.lex.country_re.finditer(earlier))):
            code = self.lex.country_forms[match.group()][0]
            country = self.lex.countries.get(code)
            if code == self.defaults.exporter or country is None or country.group:
                continue
            if region is None or country.region == region:
                return code
        return None

    # -- when
    def _period(self, sa: SentenceAnalysis, pick: Picker, last_period: Optional[str]) -> tuple[Optional[str], bool]:
        """The claim's period, and whether the sentence states it (rather than carrying it)."""
        mentions = [p for p in sa.periods if not p.comparison]
        frame = self.frame
        anchor = last_period or (frame.period if frame else None)
        for found in (pick.own(mentions), pick.before(mentions)):
            for mention in found:
                if mention.ref.kind == "MY":
                    return UNREPRESENTABLE, True
                resolved = periods.resolve(mention.ref, self.published, anchor)
                if resolved:
                    return resolved, mention.ref.kind != "REL" or mention.ref.rel["unit"] != "same"
        if frame and frame.period:
            return frame.period, False
        for mention in pick.after(mentions):
            resolved = periods.resolve(mention.ref, self.published, anchor)
            if resolved:
                return resolved, False
        return self.defaults.period, False

    def _basis(self, sa: SentenceAnalysis, pick: Picker, period: Optional[str]) -> Optional[str]:
        scope = set(pick.segments)
        following = max(pick.segments) + 1
        if following <= len(sa.cuts) and COMPARISON_START.match(sa.text, sa.cuts[following - 1]) \
                and following not in pick.busy_segments:
            scope.add(following)  # "rose 3% to 1.02 million tons, compared with the same quarter of 2024"
        stated = [b for b in sa.bases if sa.segment(b.start) in scope]
        comparisons = [p for p in sa.periods if p.comparison and sa.segment(p.start) in scope]
        nearest = sorted(stated + comparisons, key=lambda m: abs(m.start - pick.anchor))
        if not nearest:
            return None
        best = nearest[0]
        if hasattr(best, "ref"):
            return periods.basis_between(period, periods.resolve(best.ref, _period_end(period) or self.published, period))
        return best.value

    # -- what
    def _commodity(self, sa: SentenceAnalysis, pick: Picker) -> Optional[str]:
        name = None
        for found in (pick.own(sa.commodities), pick.before(sa.commodities)):
            if found:
                name = found[0].value
                break
        if name is None and self.frame and self.frame.commodity:
            name = self.frame.commodity
        if name is None:
            later = pick.after(sa.commodities)
            name = later[0].value if later else self.defaults.commodity
        entry = self.lex.commodities.get(name)
        if entry and entry.inclusive_name and sa.inclusion:
            return entry.inclusive_name
        return name

    def _modality(self, sa: SentenceAnalysis, pick: Picker) -> str:
        """Projected when a forecast word stands in the figure's own clause."""
        return "projected" if pick.own(sa.modality) else "reported"


def _period_end(period: Optional[str]) -> Optional[dt.date]:
    """A date at the end of a period, to resolve 'from November' against it rather than publication."""
    ref = periods.parse_period(period)
    if ref is None:
        return None
    month = {"M": ref.a, "Q": (ref.a or 1) * 3, "R": ref.b, "Y": 12}[ref.kind]
    return dt.date(ref.end_year or ref.year, month, 28)


def _tonnes(fig, commodity: Optional[str], lex) -> float:
    value = fig.value
    if fig.ambiguous_unit:
        entry = lex.commodities.get(commodity or "")
        bulk = bool(entry and (entry.bulk or (entry.parent and lex.commodities[entry.parent].bulk)))
        if bulk and fig.number < lex.bulk_limit:
            value = fig.number * 1_000_000
    value = round(value, 6)
    return int(value) if value == int(value) else value


def _most_common(counter: Counter) -> Optional[str]:
    return counter.most_common(1)[0][0] if counter else None

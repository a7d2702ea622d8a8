"""From sentence readings to claims.

1. Figures become groups: a quantity with the change that describes it ("fell 3% to 564
   tons", "1,116 tons, up 46% from the prior month", "854 tons (+84.5%)"), a change alone, or a
   comparison base ("from 1,238 tonnes a year earlier", "than 5,278 tons shipped in July 2024")
   that is a claim about the earlier period.
2. Each group takes its flow, parties, goods and period from its own clause first, then from
   the clauses of its statement, then from what the text said before (the previous statement:
   parties within the paragraph, period and goods across the article), then from the article's
   headline and lead. What comes from outside the sentence is listed in `inferred`.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Optional

from extractor.claims import periods as P
from extractor.claims.lexicon import Lexicon
from extractor.claims.numbers import Figure
from extractor.claims.reading import Reading
from extractor.claims.view import Hits, TokenView
from extractor.period import Period, basis_between, format_period
from extractor.types import Claim

LINK_WORDS = frozenset("to at reaching reach reached hitting hit totalling totaling totalled totaled amounting "
                       "standing stood touching".split())
UNUSABLE = frozenset(("relative", "subordinate", "attribution"))
JOINT = "JOINT"  # a party of several countries together: stated, but with no one code


UNSTATED_RATES = ("day", "week")  # rates the contract's `per` has no form for


@dataclass
class Group:
    qty: Optional[Figure] = None
    pct: Optional[Figure] = None
    base_of: Optional["Group"] = None  # a comparison base: the group it is compared with
    claim: Optional[Claim] = None
    period: Optional[Period] = None
    basis: Optional[str] = None
    seasonal: bool = False  # the period was written as (months of) a season
    looking_back: bool = False  # dated by a fronted "A year earlier,": a comparison told apart

    @property
    def figures(self) -> list[Figure]:
        qty, pct = self.qty, self.pct  # (read for every figure of every group: no comprehension)
        if qty is None:
            return [pct] if pct is not None else []
        return [qty, pct] if pct is not None else [qty]

    @property
    def anchor(self) -> int:
        qty, pct = self.qty, self.pct
        if qty is not None:
            return qty.start if pct is None or qty.start <= pct.start else pct.start
        if pct is not None:
            return pct.start
        return min(f.start for f in self.figures)  # (no figure: an error, as before)


@dataclass
class Frame:
    """What the last statement said, carried to the next sentences that leave it implied."""

    exporter: Optional[str]
    importer: Optional[str]
    flow: str
    period: Optional[Period]
    commodity: Optional[str]
    para: int
    index: int
    listed: bool = False
    varied: frozenset = frozenset()  # the sides that differ between the figures of a listed statement
    basis: Optional[str] = None
    carries: Optional[Period] = None  # the period the next sentences take when they name none

    def __post_init__(self):
        if self.carries is None:
            self.carries = self.period


@dataclass
class Defaults:
    exporter: Optional[str] = None
    importer: Optional[str] = None
    commodity: Optional[str] = None
    period: Optional[Period] = None
    flow: Optional[str] = None
    fiscal_start: Optional[int] = None
    fiscal_named_by: Optional[str] = None
    basis: Optional[str] = None
    reporter: Optional[str] = None  # the country whose trade the article reports


class Scope:
    """Orders the mentions of a sentence by how surely they belong to one group's claim."""

    def __init__(self, r: Reading, group: Group, busy: set[int]):
        self.r = r
        self.anchor = group.anchor
        self.own = {r.clause_at(f.start) for f in group.figures}
        if r.clauses:
            # "22.28 lakh tonnes (40.02 per cent) came from China": the words after an aside
            # on the figure go on with the figure's clause
            for c in list(self.own):
                if c + 2 < len(r.clauses) and r.clauses[c + 1].kind == "aside" and r.clauses[c + 2].kind in ("main", "trailing") \
                        and r.clauses[c + 2].depth == r.clauses[c].depth \
                        and not any(r.clauses[c + 2].start <= f.start < r.clauses[c + 2].end for f in r.figures):
                    self.own.add(c + 2)
        self.statement = r.clauses[min(self.own)].statement if r.clauses else 0
        self.busy = busy - self.own  # clauses holding other groups' figures
        self.depth = min((r.clauses[c].depth for c in self.own), default=0) if r.clauses else 0

    def rank(self, pos: int, *, after_ok: bool = True, comparison_ok: bool = False) -> Optional[tuple]:
        r = self.r
        if not r.clauses:
            return (0, abs(pos - self.anchor))
        ci = r.clause_at(pos)
        c = r.clauses[ci]
        if ci in self.own:
            return (0, 0 if pos < self.anchor else 1, abs(pos - self.anchor))
        if c.kind in UNUSABLE or (c.kind == "comparison" and not comparison_ok):
            return None
        if c.depth > self.depth:
            return None  # inside brackets the figure is not in: "(Q2: 510kt)"
        if c.statement == self.statement:
            if ci < min(self.own):
                return (1, 0, min(self.own) - ci, -pos)  # the nearer of two in one clause first
            if after_ok and ci not in self.busy:
                return (2, 0, ci - max(self.own))
            return None
        if c.statement < self.statement:
            return (3, 0, self.statement - c.statement, -pos)
        return None

    def order(self, items, key=lambda m: m.start, **kw):
        ranked = []
        for m in items:
            rk = self.rank(key(m), **kw)
            if rk is not None:
                ranked.append((rk, m))
        ranked.sort(key=lambda x: x[0])
        return [m for _, m in ranked]


class ArticleAssembler:
    def __init__(self, view: TokenView, hits: Hits, lex: Lexicon, *, article: str,
                 published: Optional[dt.date], article_id: Optional[str]):
        self.view, self.hits, self.lex = view, hits, lex
        self.article, self.published, self.article_id = article, published, article_id
        self.defaults = Defaults()
        self.frame: Optional[Frame] = None
        self._told_months: dict[int, Period] = {}  # the multi-month periods told so far, by length
        self._season_periods: set[Period] = set()  # periods told as (months of) a season: cumulative
        self.season_quarter = None  # the last quarter written of a season ('of the oil year 2023-24')
        self.season_told = None  # the last season written with its months ('the 2025-26 season began on July 1')
        self.season_borrowed = False  # the mention just resolved took its months from season_told
        self.lead_frame: Optional[Frame] = None
        self.para_year: dict[int, int] = {}
        self._current_groups: list[Group] = []
        self.list_parent: Optional[str] = None  # the goods of the line that opens a list
        self.story = False
        self._region_party = False
        self.recent_partners: list = []
        self._base_memo: dict = {}
        self._statements: dict[int, Reading] = {}  # figure-free lead sentences, by index
        self._opening_country: dict[int, str] = {}  # the country a read sentence opens with, by index

    # ------------------------------------------------------------------ article defaults
    def learn_defaults(self, lead: list[Reading], body: list[Reading]) -> None:
        exporters, importers, commodities, flows, bases = Counter(), Counter(), Counter(), Counter(), Counter()
        subjects = Counter()
        seen: dict[int, Reading] = {r.index: r for r in list(lead) + list(body)}
        self._statements = {r.index: r for r in lead if not r.figures}
        for r in seen.values():
            weight = 5 if r.index == 0 else 3 if r.index < 6 else 1  # the headline, the lead, the body
            if True:
                for s, e, flow in r.flows:
                    if flow in ("export", "import"):
                        flows[flow] += 1 if self._in_subordinate(r, s) else weight  # "... as China buys more"
                # a headline whose only trade word is its subject's verb ("Brazil ships record ...")
                for m in (r.countries if r.index == 0 and not r.flows else ()):
                    if m.by_verb and m.code and m.role in ("exporter", "importer") and not self._in_subordinate(r, m.start):
                        flows["export" if m.role == "exporter" else "import"] += weight  # "Brazil ships record ..."
                for m in r.countries:
                    if m.code and m.form != "description":
                        if m.role == "exporter":
                            exporters[m.code] += weight
                        elif m.role in ("importer", "origin_or_importer"):
                            importers[m.code] += weight
                        if m.also:
                            (exporters if m.also[1] == "exporter" else importers)[m.also[0]] += weight
                        if m.subject:
                            subjects[(m.code, m.role)] += weight
                for g in r.goods:
                    if not g.weak and g.name:
                        commodities[g.name] += weight + (1 if g.known else 0)
                    elif g.name:
                        commodities[g.name] += weight / 4  # "Kazakhstan oil", many times over
        for r in body:
            for s, e, basis in self.hits.within("BASIS", r.start, r.end):
                bases[basis] += 1
        d = self.defaults
        d.exporter, d.importer = _top(exporters), _top(importers)
        d.commodity, d.flow = _top(commodities), _top(flows)
        d.basis = _top(bases)
        told = {r.index for r in list(lead) + list(body) for _, _, flow in r.flows if flow in ("export", "import")}
        figure_free = {r.index for r in lead if not r.figures}
        # a trade story: a headline or lead line, or more than one sentence, speaks of exports or imports
        self.story = len(told) >= 2 or bool(told & figure_free)
        # the country whose trade the article reports: a subject on the story's side ("Japan
        # took ..." in a story of Australia's exports is a buyer, not the reporter)
        side = "importer" if d.flow == "import" else "exporter"
        other = "exporter" if side == "importer" else "importer"
        on_side, anyone = Counter(), Counter()
        for (code, role), n in subjects.items():
            anyone[code] += n
            if role not in (other, "origin_or_importer" if other == "importer" else other):
                on_side[code] += n
        story_side = d.importer if d.flow == "import" else d.exporter
        reporter = _top(on_side) or story_side or _top(anyone) or self._dateline_country(list(lead) + list(body))
        d.reporter = reporter
        country = self.lex.countries.get(reporter or "")
        d.fiscal_start = country.fiscal_start if country else None
        d.fiscal_named_by = country.fiscal_named_by if country else None
        for r in lead:
            for m in r.periods:
                if m.comparison:
                    continue
                owner = self._period_owner(r, m) if r.figures else None
                if owner is not None and self._is_base(r, owner):
                    continue  # "rose to 31,000 tons from 24,000 tons in 2022": the compared figure's year
                resolved = P.resolve(m.written, P.Anchors(published=self.published, fiscal_start=d.fiscal_start, fiscal_named_by=d.fiscal_named_by))
                if isinstance(resolved, Period):
                    d.period = resolved
                    break
            if d.period:
                break

    @staticmethod
    def _in_subordinate(r: Reading, token: int) -> bool:
        return bool(r.clauses) and r.clauses[r.clause_at(token)].kind == "subordinate"

    @staticmethod
    def _dateline_country(readings: list[Reading]) -> Optional[str]:
        """The country of the place the story was filed from ('ISLAMABAD:'), when nothing else
        says whose trade it reports."""
        for r in sorted(readings, key=lambda r: r.index)[:3]:
            for m in r.countries:
                if m.dateline and m.code:
                    return m.code
        return None

    # ------------------------------------------------------------------ one sentence
    def heading(self, r: Reading) -> None:
        """A heading ('Monthly Export (July):') sets the period, flow and goods of what follows."""
        period = None
        for m in r.periods:
            resolved = P.resolve(m.written, self._anchors(r))
            if isinstance(resolved, Period):
                period = resolved
                break
        flows = [value for s, e, value in r.flows if value in ("export", "import")]
        goods = next((m.name for m in r.goods if m.known), None)
        f = self.frame
        if period is None and not flows:
            return
        flow = flows[0] if flows else (f.flow if f else (self.defaults.flow or "export"))
        same_side = f is not None and f.flow == flow  # a heading that turns to the other flow starts afresh
        self.frame = Frame(f.exporter if same_side else None, f.importer if same_side else None, flow,
                           period or (f.period if f else None), goods or (f.commodity if f else None),
                           r.para, r.index)

    def claims(self, r: Reading) -> list[Claim]:
        opening = next((m for m in r.countries if m.start == r.start and m.form == "name" and m.code), None)
        if opening is not None:
            self._opening_country[r.index] = opening.code
        groups = self._current_groups = self._groups(r)
        if not groups:
            return []
        busy = {r.clause_at(f.start) for g in groups for f in g.figures}
        year = self._sentence_year(r)
        if year is not None:
            self.para_year[r.para] = year
        out: list[tuple[Group, Claim]] = []
        self._extra_claims: list[tuple[Group, Claim]] = []  # more claims of one group ("fell to zero" for two parties)
        used: set[int] = set()
        for g in groups:
            if g.base_of is not None:
                continue
            claim = self._claim(r, g, busy, used)
            if claim is not None:
                g.claim = claim
                out.append((g, claim))
                out.extend(self._extra_claims)
                self._extra_claims.clear()
        for g in groups:
            if g.base_of is None or g.base_of.claim is None:
                continue
            claim = self._base_claim(r, g, busy)
            if claim is not None:
                g.claim = claim
                out.append((g, claim))
                self._basis_from_base(g)
        out.sort(key=lambda gc: (gc[1].figure_start or 0))
        if out and r.text.rstrip().endswith(":"):
            self.list_parent = out[-1][1].commodity  # "... with major product details as follows:"
        mains = [c for g, c in out if g.base_of is None]
        if mains:
            # what a figure is compared with, or an aside "(Q2: 510kt)", does not move the story on
            told = [(g, c) for g, c in out if g.base_of is None and not self._in_aside(r, g)] or \
                [(g, c) for g, c in out if g.base_of is None]
            last_group, last = told[-1]
            period = last_group.period
            if self.frame is not None and ((not r.flows and "period" not in last.inferred
                                            and not self._widens(period, self.frame.period)) or last_group.looking_back):
                period = self.frame.period  # "January remains the top month at 6,357 tons": an aside
            before = self.frame
            self.frame = Frame(last.exporter, last.importer, last.flow, period, last.commodity,
                               r.para, r.index, basis=last_group.basis or (self.frame.basis if self.frame else None))
            if before is not None and before.carries is not None and self._to_date(r):
                self.frame.carries = before.carries  # "Year to date, imports were up 7.4%." is an aside in time
            self.frame.listed = len({(c.exporter, c.importer) for c in mains}) > 1 or self._breakdown(r, last)
            self.frame.varied = frozenset(side for side in ("exporter", "importer")
                                          if len({getattr(c, side) for c in mains}) > 1)
            self.lead_frame = self.lead_frame or self.frame
        return [c for _, c in out]

    @staticmethod
    def _widens(period: Optional[Period], told: Optional[Period]) -> bool:
        """'Iraq was the biggest buyer in January-July at 688,000 tonnes' after July's figures:
        a statement over a longer span than the one told moves the story on to it."""
        return period is not None and told is not None and period.months > told.months \
            and period.first <= told.first and told.last <= period.last

    @staticmethod
    def _names_the_period_told(r: Reading) -> bool:
        """'fell to zero in the period': the sentence names the period just told."""
        return any(m.written.kind == "rel" and (m.written.rel or {}).get("during") and not m.comparison
                   for m in r.periods)

    def _frame_from_statement(self, r: Reading) -> None:
        """'China's copper imports fell in July. For the first seven months, they were up 2.7% to
        3.4 million tons.': a statement of a flow with no figure, right before the first figure,
        is what that figure goes on about."""
        if r.flows or r.countries:
            return  # a sentence that names its own flow or party stands on its own
        before = self._statements.get(r.index - 1)
        if before is None or not (any(m.code for m in before.countries) or any(m.known for m in before.goods)):
            return
        if any(flow in ("export", "import") and not self._qualified_nontrade(s, e) for s, e, flow in before.flows):
            self.heading(before)

    @staticmethod
    def _in_brackets(r: Reading, token: int) -> bool:
        return bool(r.clauses) and r.clauses[r.clause_at(token)].depth > 0

    @staticmethod
    def _in_aside(r: Reading, g: Group) -> bool:
        return bool(r.clauses) and r.clauses[r.clause_at(g.anchor)].depth > 0

    def _sentence_year(self, r: Reading) -> Optional[int]:
        """The one year the sentence states for its own figures (not for what they are compared with)."""
        years = set()
        outside = [f for f in r.figures if not self._in_brackets(r, f.start)]
        for m in r.periods:
            if m.comparison:
                continue
            if r.clauses and r.clauses[r.clause_at(m.start)].kind == "comparison" \
                    and any(f.start < m.start and r.clause_at(f.start) != r.clause_at(m.start) for f in r.figures):
                continue  # "..., compared with 1.36 Mt in November as well as in December 2022": theirs
            if outside and self._in_brackets(r, m.start):
                continue  # "3.1 million tonnes (2.9 million tonnes in January 2024)": the aside's year
            owner = self._period_owner(r, m)
            if owner is not None and self._is_base(r, owner):
                continue
            w = m.written
            if w.kind in ("month", "year", "quarter", "range") and w.year is not None:
                years.add(w.end_year or w.year)
        return years.pop() if len(years) == 1 else None

    # ------------------------------------------------------------------ figures into groups
    def _is_base(self, r: Reading, f: Figure) -> bool:
        """'from 1,238 tonnes', 'than 5,278 tons', 'compared with 4,723 tons', 'up from ...'."""
        key = (r.index, f.start)
        known = self._base_memo.get(key)
        if known is None:
            known = self._base_memo[key] = self._read_base(r, f)
        return known

    def _read_base(self, r: Reading, f: Figure) -> bool:
        v, hits = self.view, self.hits
        k = f.start
        steps = 0
        dated = False  # a period's possessive stands between: "below last year's 1.63 million tons"
        while k > r.start and steps < 7:
            found = hits.ending_at("COMPARISON", k, within=4)
            if found is None and dated and v.lower[k] == "the":
                found = hits.ending_at("COMPARISON", k + 1, within=4)  # "compared to the" + "the prior month's"
            qualifier = hits.covering("QUALIFIER", found[0]) if found else None
            if found and (dated or not self._qualifies(qualifier, r) or (qualifier and v.lower[qualifier[1]:qualifier[1] + 1] == ["the"])):
                return True  # ("over 400 tons", "more than 2,000 tonnes" qualify)
            word = v.lower[k - 1]
            country = hits.ending_at("COUNTRY", k - 1, within=4) if word in ("'s", "’s", "'", "’") else None
            if country is not None:
                k = country[0]  # "than the United States' 34.4 Mt": a country's figure compared
                steps += 1
                continue
            flow = hits.ending_at("FLOW", k - 1, within=2) if word == "of" else None
            if flow is not None:
                k = flow[0]  # "as compared to import of 15,103 metric tons": the flow compared
                steps += 1
                continue
            before = hits.ending_at("REL_PERIOD", k, within=4)
            if before is not None and hits.ending_at("COMPARISON", before[0], within=4):
                k = before[0]  # "from a year-earlier 1.13 million tons": the figure dated before it
                dated = True
                steps += 1
                continue
            when = (hits.ending_at("REL_PERIOD", k - 1, within=6) or hits.ending_at("MONTH", k - 1, within=2)) \
                if word in ("'s", "’s") else None
            if when is not None:
                k = when[0]  # "short of last year's 1.52 million tons": a period's figure compared
                dated = True
                steps += 1
                continue
            spans = word in self.lex.word_class("base_span_words") or hits.at("NUMWORD", k - 1) is not None \
                or (word.isdigit() and len(word) <= 2)  # "from a seven-month high of 6,146 tons"
            if word not in self.lex.word_class("base_gap") and not spans and not hits.ending_at("QUALIFIER", k, within=3):
                break
            found = hits.ending_at("QUALIFIER", k, within=3)
            k = found[0] if found and found[0] < k - 1 else k - 1
            steps += 1
        ci = r.clause_at(f.start)
        prev = next((g for g in reversed(r.figures) if g.end <= f.start and g.kind == f.kind), None)
        if prev is not None and f.start > r.start and v.lower[f.start - 1] in ("and", "or") \
                and r.clause_at(prev.start) == ci and prev.end < f.start and self._is_base(r, prev):
            return True  # "compared to 32.1 Mt in April and 30.6 Mt in May 2024": both compared
        c = r.clauses[ci] if r.clauses else None
        if c is not None and c.kind == "comparison":
            first = next((g for g in r.figures if r.clause_at(g.start) == ci and g.kind in ("qty", "pct")), None)
            gap = self.view.lower[c.start:f.start]
            return first is f and len(gap) <= 6 and "to" not in gap
        if self._bracket_label_period(r, f) is not None:
            return True  # "2.04 million tons (previous year: 1.6 million tons)"
        if c is not None and ci > 0 and r.clauses[ci - 1].kind == "comparison" and v.words[f.start - 1] == "(" \
                and any(m.end == f.start - 1 and m.start >= r.clauses[ci - 1].start for m in r.periods):
            return True  # "compared to the same period in 2024 (14.23 million tonnes)"
        return False

    def _bases_of(self, g: Group) -> list[Group]:
        return [b for b in self._current_groups if b.base_of is g]

    def _qualifies(self, qualifier, r: Reading) -> bool:
        """A qualifier phrase ('more than') qualifies a number, unless it follows a percentage:
        '5.7% more than the 5,278 tonnes' compares."""
        if qualifier is None:
            return False
        if any(f.end == qualifier[0] and f.kind == "pct" for f in r.figures):
            return False
        v = self.view
        k = qualifier[0] - 1
        while k > r.start and v.lower[k].endswith("ly"):
            k -= 1  # "..., slightly below 122.54 lakh tonne": after another figure it compares
        return not (k > r.start and v.words[k] == "," and any(f.end == k and f.kind == "qty" for f in r.figures))

    def _groups(self, r: Reading) -> list[Group]:
        figures = [f for f in r.figures if f.kind in ("qty", "money", "delta") or f.is_change
                   or (f.kind == "pct" and self._is_base(r, f))]  # "down from 18.9% in the first half"
        groups: list[Group] = []
        qty_groups: list[Group] = []
        self._pending: dict[int, Group] = {}  # groups a comparison base named before their figure
        consumed: set[int] = set()
        figures = [f for f in self._without_glosses(r, figures) if not self._terms_after(f, "VALUE_TERMS")]
        bases = {id(f) for f in figures if f.kind != "money" and self._is_base(r, f)}
        paired = self._respective_values(r, figures, bases)
        consumed.update(id(v) for v in paired.values())
        for n, f in enumerate(figures):
            if id(f) in consumed or f.kind in ("money", "delta"):
                continue
            if id(f) in paired:
                value = paired[id(f)]
                if value.kind == "qty":  # a change paired with a sum of money is the money's
                    g = Group(qty=value, pct=f)
                    groups.append(g)
                    qty_groups.append(g)
                continue
            if id(f) in bases:
                owner = self._base_owner(r, f, groups, figures, n)
                if owner is not None:
                    g = Group(qty=f) if f.kind == "qty" else Group(pct=f)
                    g.base_of = owner
                    groups.append(g)
                    continue
                if not self._compared_with_range(r, f) and not self._dated_alone(r, f, figures):
                    continue
            if f.kind == "qty":
                g = self._pending.pop(id(f), None) or Group(qty=f)
                groups.append(g)
                qty_groups.append(g)
                continue
            # a change: after money it is the money's; else forward "to N tons", else back
            if self._money_change(r, f, figures, n):
                continue
            forward = self._forward_qty(r, f, figures, n, bases)
            if forward is not None:
                consumed.add(id(forward))
                g = Group(qty=forward, pct=f)
                groups.append(g)
                qty_groups.append(g)
                continue
            back = self._back_qty(r, f, qty_groups, figures, n)
            if back is not None:
                if back.pct is None:
                    back.pct = f
                else:
                    g = Group(qty=back.qty, pct=f)
                    groups.insert(groups.index(back) + 1, g)
                continue
            ahead = self._qty_after_aside(r, f, figures, n, bases) or self._level_after_from(r, f, figures, n, bases)
            if ahead is not None:
                consumed.add(id(ahead))
                g = Group(qty=ahead, pct=f)
                groups.append(g)
                qty_groups.append(g)
                continue
            groups.append(Group(pct=f))
        self._merge_second_changes(groups)
        return groups

    def _merge_second_changes(self, groups: list[Group]) -> None:
        """'fell 13% on month but rose 4.4% on year to 4.1 million tonnes': a second change of
        the same quantity after a first one that had none."""
        for n, g in enumerate(groups):
            if g.qty is None and g.pct is not None and g.base_of is None and n + 1 < len(groups):
                nxt = groups[n + 1]
                if nxt.qty is None or nxt.pct is None:
                    continue
                between = self.view.lower[g.pct.end:nxt.pct.start]
                if nxt.base_of is None and \
                        ("but" in between or "and" in between) and len(between) <= 8 and nxt.pct.start < nxt.qty.start:
                    g.qty = nxt.qty  # "fell 16.9% on year and 2.5% on month to 427,000 tons"

    def _without_glosses(self, r: Reading, figures: list[Figure]) -> list[Figure]:
        """'48 lakh tonnes (4.8 million tonnes)': a conversion in brackets is not a second figure,
        nor the whole after 'of the' that a part is of."""
        out = []
        for f in figures:
            prev = out[-1] if out else None
            if prev is not None and f.kind == prev.kind == "qty" and prev.value is not None and f.value is not None \
                    and abs(prev.value - f.value) <= 0.01 * max(prev.value, 1) \
                    and self.view.words[prev.end:f.start] == ["("]:
                continue
            if prev is not None and f.kind == prev.kind == "qty" and self.view.lower[prev.end:f.start] in (["of", "the"], ["of"]) \
                    and prev.value is not None and f.value is not None and f.value > prev.value:
                continue  # "the US received 902,000t of the 1.61mn t": the whole a part is of
            out.append(f)
        return out

    def _qty_after_aside(self, r: Reading, f: Figure, figures: list[Figure], n: int, bases: set) -> Optional[Figure]:
        """'Japan's imports of Australian coal (up 5.8% y/y) totalled 6.1 million tonnes'."""
        if not r.clauses or r.clauses[r.clause_at(f.start)].kind != "aside":
            return None
        for q in figures[n + 1:]:
            if id(q) in bases or q.kind != "qty":
                return None
            gap = self.view.lower[f.end:q.start]
            if ")" in gap and len(gap) <= 8 and not any(w in (";", ",") for w in gap):
                return q
            return None
        return None

    def _level_after_from(self, r: Reading, f: Figure, figures: list[Figure], n: int, bases: set) -> Optional[Figure]:
        """'shipped 4.1% more ... than the year before, with exports rising from 181,300 to 188,700
        tons': a change with no quantity of its own goes with the level a later 'from ... to' reaches."""
        if not f.is_change or n + 2 >= len(figures):
            return None
        start, level = figures[n + 1], figures[n + 2]
        if start.kind != "qty" or level.kind != "qty" or id(start) not in bases or id(level) in bases:
            return None
        v = self.view
        if v.lower[start.end:level.start] != ["to"] or "from" not in v.lower[max(f.end, start.start - 2):start.start]:
            return None
        between = range(f.end, start.start)
        if not any(v.lower[k] == "with" for k in between) or not any(self.hits.at("CHANGE", k) for k in between):
            return None
        return level

    def _money_change(self, r: Reading, f: Figure, figures: list[Figure], n: int) -> bool:
        """'export value USD 6.151 billion, up 49.3%', 'rose 1.2% to $10.68', 'earned $3.1 billion, up 12%'."""
        prev = figures[n - 1] if n > 0 else None
        nxt = figures[n + 1] if n + 1 < len(figures) else None
        ci = r.clause_at(f.start)
        if self._terms_after(f, "VOLUME_TERMS"):
            return False  # "earning US$640 million, down 7.4% in volume": the tonnage's change
        if nxt is not None and nxt.kind == "qty" and self._is_base(r, nxt) and nxt.start - f.end <= 3:
            return False  # "worth Rs 9,850 crore, up 18 per cent from 12.5 lakh tonnes": measured in tonnes
        if nxt is not None and nxt.kind == "money" and self._linked_forward(f, nxt):
            return True
        if prev is not None and prev.kind == "money":
            pc = r.clause_at(prev.start)
            if pc == ci or (r.clauses and r.clauses[ci].kind in ("trailing", "aside") and pc == ci - 1):
                return True
        return False

    def _linked_forward(self, f: Figure, q: Figure) -> bool:
        """'fell 3% to 564 tons', 'rose 75% from June to hit ... at 5,577 tons', 'up 30.2%,
        reaching 226 tons': the change leads to the quantity within one clause, or across a
        comma only into a clause that opens with a linking word."""
        v, hits = self.view, self.hits
        gap = v.lower[f.end:q.start]
        if any(w in (";", "(", ")") for w in gap) or len(gap) > 20:
            return False
        if "," in gap:
            after = gap[len(gap) - gap[::-1].index(","):]
            if not after or after[0] not in self.lex.word_class("link_openers"):
                return False
            return True  # ", reaching the highest monthly total since January with 5,577 tons"
        words = [w for w in gap if w != ","]
        if not words:
            return False
        return any(w in LINK_WORDS for w in words[-3:])

    def _forward_qty(self, r: Reading, f: Figure, figures: list[Figure], n: int, bases: set) -> Optional[Figure]:
        """'fell 3% to 564 tons', 'increased by 30.2% year-on-year, reaching 226 tons', 'rose
        nearly 75% from June to hit the highest since January at 5,577 tons'."""
        for q in figures[n + 1:]:
            if q.kind == "delta" and "or" in self.view.lower[f.end:q.start] and q.start - f.end <= 8:
                continue  # "fell by 21.7% or 36,847 tonnes to 132,331 tonnes": the same fall in tonnes
            if q.kind in ("money", "delta"):
                return None
            if id(q) in bases:
                continue  # "up 10% from 300 tons to 330 tons"
            if q.kind != "qty":
                return None
            if r.clauses and r.clauses[r.clause_at(q.start)].statement != r.clauses[r.clause_at(f.start)].statement:
                return None
            if not self._linked_forward(f, q):
                return None
            # "..., up 5% from 2024, while exports to Japan reached 300 tons" has a new subject
            if any(f.end <= m.start < q.start and m.role in ("exporter", "importer") for m in r.countries):
                return None
            return q
        return None

    def _back_qty(self, r: Reading, f: Figure, qty_groups: list[Group], figures: list[Figure], n: int) -> Optional[Group]:
        """The quantity a change describes: '1,116 tons, up 46% from the prior month', '854 tons,
        +84.5%', '5.24 Mt ..., down from 6.02 Mt a year earlier' (the change after a base)."""
        before = [g for g in qty_groups if g.qty.start < f.start]
        if not before:
            return None
        g = before[-1]
        q = g.qty
        clauses = r.clauses
        fc, qc = r.clause_at(f.start), r.clause_at(q.start)
        if g.pct is not None and g.pct is not f and g.pct.end <= f.start:
            between = self.view.lower[g.pct.end:f.start]
            if "but" in between and len(between) <= 8 and not self._flow_between(g.pct.end, f.start) \
                    and not any(g.pct.end <= m.start < f.start for m in r.countries):
                return g  # "up 9.6% month on month but down 40.2% year on year": one quantity, two changes
        if clauses and clauses[fc].statement != clauses[qc].statement:
            return None
        # another change already describes this quantity: only "and 15.4% year-on-year"
        if g.pct is not None and g.pct is not f:
            between = self.view.lower[g.pct.end:f.start]
            if not (("and" in between or "," in between) and self._words_besides_basis(g.pct.end, f.start) <= 8 and not any(
                    self.hits.at("FLOW", k) for k in range(g.pct.end, f.start))):
                return None
        if fc == qc:
            # same clause: no subject of its own between them ("while US imports fell 3%")
            if any(q.end <= m.start < f.start and m.role in ("exporter", "importer") and self._flow_between(m.end, f.start)
                   for m in r.countries):
                return None
            return g
        kind = clauses[fc].kind if clauses else "main"
        if kind in ("trailing", "aside", "comparison"):
            return g
        if kind == "relative" and qc == fc - 1 and self._relative_of_figure(clauses[fc].start, f.start):
            return g  # "1.86 mln tonnes ..., which is 17% less than in the same period"
        if kind == "main":
            # a clause with no flow word or country before the change continues the quantity's
            cstart = clauses[fc].start
            if not any(cstart <= s < f.start for s, e, _ in r.flows) and \
                    not any(cstart <= m.start < f.start for m in r.countries):
                return g
        return None

    def _words_besides_basis(self, a: int, b: int) -> int:
        """Tokens in [a, b) outside a basis phrase: 'and a year-on-year increase of' is four words."""
        inside = set()
        for s, e, _ in self.hits.within("BASIS", a, b):
            inside.update(range(s, e))
        return sum(1 for k in range(a, b) if k not in inside)

    def _relative_of_figure(self, start: int, change: int) -> bool:
        """'which is 17% less', 'which was up 4%', 'which marks a 12% rise': a relative clause that
        says only how the figure before it changed."""
        words = self.view.lower[start:change]
        return len(words) <= 4 and bool(words) and words[0] in self.lex.word_class("change_relatives") \
            and not any(self.hits.at("FLOW", k) or self.hits.at("COUNTRY", k) for k in range(start, change))

    def _flow_between(self, a: int, b: int) -> bool:
        return any(self.hits.at("FLOW", k) or self.hits.at("FLOW_VERB", k) for k in range(a, b))

    def _base_owner(self, r: Reading, f: Figure, groups: list[Group], figures: list[Figure], n: int) -> Optional[Group]:
        """The group a comparison base is compared with: the one just before it in its statement."""
        mains = [g for g in groups if g.base_of is None and g.anchor < f.start]
        after = next((q for q in figures[n + 1:] if q.kind == "qty" and not self._is_base(r, q)), None)
        from_to = after is not None and self.view.lower[f.end:after.start][-3:].count("to") and \
            len(self.view.lower[f.end:after.start]) <= 8 and r.clause_at(f.start) == r.clause_at(after.start)
        if from_to and (not mains or "from" in self.view.lower[max(r.start, f.start - 2):f.start]):
            holder = next((g for g in mains if g.qty is after), None)
            if holder is not None:
                return holder  # "7.3% more ...: from 48,727 to 52,306 tons", the change already took the level
            pending = self._pending.setdefault(id(after), Group(qty=after))
            return pending  # "fell from 298,000 tonnes in August to 251,000 tonnes"
        respective = self._respective_owner(r, f, mains)
        if respective is not None:
            return respective
        if mains:
            return mains[-1]
        if self._compared_with_range(r, f):
            return None  # its own statement, see _groups
        if self.frame is not None and self.frame.period is not None and (self.view.lower[r.start] in \
                self.lex.word_class("anaphors") or self._names_frame_period(r, f)):
            return self._frame_group(r)  # "That compared to 5,994 tons in July": the last statement's
        return None

    def _names_frame_period(self, r: Reading, f: Figure) -> bool:
        """'June imports dropped slightly when compared to the prior month's 2.93 million tonnes':
        a sentence that names the last statement's period before a compared figure goes on about it."""
        for m in r.periods:
            if m.end > f.start or m.comparison or m.written.kind != "month":
                continue
            resolved = P.resolve(m.written, self._anchors(r))
            if resolved == self.frame.period and any(m.end <= s < f.start for s, e, _ in r.flows):
                return True
        return False

    def _compared_with_range(self, r: Reading, f: Figure) -> bool:
        """'expects exports of 5.1-5.3 mln tonnes in 2025/26, against 5.6 mln tonnes in 2024/25':
        a figure compared with a forecast range is a statement of its own."""
        return f.kind == "qty" and any(o.kind == "range" and o.end <= f.start for o in r.figures)

    def _respective_owner(self, r: Reading, f: Figure, mains: list[Group]) -> Optional[Group]:
        """'1.62 million tonnes of soybeans and 704,000 tonnes of corn ..., against 1.88 million
        tonnes and 415,000 tonnes, respectively, a year earlier': the compared figures go, in
        order, with the figures they follow."""
        told = [g for g in mains if g.qty is not None]
        at = self._respectively_at(r)
        if len(told) < 2 or at is None:
            return None
        run = [q for q in r.figures if q.kind == "qty" and told[-1].qty.end <= q.start and q.end <= at]
        if f not in run or len(run) != len(told):
            return None
        return told[run.index(f)]

    def _frame_group(self, r: Reading) -> Group:
        """The last statement as a group, for a sentence that compares it with other figures."""
        f = self.frame
        claim = Claim(article=self.article, sentence=r.text, start=r.char_start, end=r.char_end,
                      exporter=f.exporter, importer=f.importer, flow=f.flow, commodity=f.commodity,
                      inferred=("commodity", "exporter", "importer"))
        return Group(claim=claim, period=f.period, basis=f.basis)

    # ------------------------------------------------------------------ one claim
    def _claim(self, r: Reading, g: Group, busy: set[int], used: set[int]) -> Optional[Claim]:
        scope = Scope(r, g, busy)
        inferred: list[str] = []
        if self._in_value_terms(r, g):
            return None  # "exports rose 7.2% in yuan terms"
        if g.qty is not None and g.qty.per in UNSTATED_RATES:
            if g.pct is None:
                return None  # "an average of 58,300 tons a day": a rate the claim cannot state
            g.qty = None  # its change still holds
        if g.qty is None and self._background(r, g.pct):
            return None  # "export volumes, which grew by nearly 50 per cent in 2015-16, are forecast to ...": background
        flow = self._flow(r, g, scope)
        if flow is None:
            return None
        period = self._period(r, g, scope, inferred)
        if period == P.UNREPRESENTABLE:
            return None
        g.period = period if isinstance(period, Period) else None
        if g.period is not None and g.period.months > 1 and g.base_of is None:
            self._told_months[g.period.months] = g.period
        if any(f.zero for f in g.figures) and "period" in inferred and not self._none_told_of_the_story(r) \
                and not self._names_the_period_told(r):
            return None  # "to zero by 2027": a statement of none needs its own period
        month = self._same_month_this_year(r, g.period)
        if month is not None:
            g.period = month  # "from 23 million kg in June last year to 19 million kilos this year": this June
        if (g.period is None or "period" in inferred) and g.pct is not None:
            after = self._after_comparison_month(r, g)
            if after is not None:
                g.period = after  # "fell 5% from July": the month after July
                if "period" in inferred:
                    inferred.remove("period")
        commodity = self._commodity(r, g, scope, inferred)
        if commodity is None and g.qty is None and not self._has_party(r, scope) and not self._trade_story(r):
            return None  # a change of "exports" with no goods or partner is of money: "export growth slowed to 4.8%"
        self._joint_members = ()
        exporter, importer = self._parties(r, g, scope, flow, inferred, used)
        members = self._joint_members
        if JOINT in (exporter, importer) and members and g.qty is not None and g.pct is None \
                and (g.qty.zero or self._each_of_joint(r, g)):
            # "exports to Japan and the US fell to zero": none to either; "Brazil and Saudi
            # Arabia each received roughly 310,000 tonnes": that much to each
            side = "exporter" if exporter == JOINT else "importer"
            value = 0 if g.qty.zero else self._tonnes(g.qty, commodity)
            made = [self._make(r, g, flow, code if side == "exporter" else exporter,
                               code if side == "importer" else importer, commodity, value, inferred) for code in members]
            self._extra_claims.extend((g, c) for c in made[1:])
            return made[0]
        if self._region_party or JOINT in (exporter, importer) or self._unnamed_partners(r, g):
            return None  # "arrivals from the Middle East", "imports from Russia and Ukraine": no one party
        g.basis = self._basis(r, g, scope, self._bases_of(g)) if g.pct is not None else None
        if g.basis == "mom" and "period" in inferred and g.period is not None and g.period.months > 1:
            g.period = Period(g.period.last, g.period.last)  # "- Imports from Gabon: 448,000 mt, up 17% MoM" after a January-October line
        if g.seasonal and g.period is not None:
            self._season_periods.add(g.period)
        if g.pct is not None and g.basis is None and (self._cumulative(g.period) or g.period in self._season_periods):
            g.basis = "yoy"  # a bare change on a year or the year so far is against the year before
        value = self._tonnes(g.qty, commodity) if g.qty is not None else None
        return self._make(r, g, flow, exporter, importer, commodity, value, inferred)

    def _make(self, r, g: Group, flow, exporter, importer, commodity, value, inferred) -> Claim:
        v = self.view
        figure = g.qty or g.pct
        qualifier = (g.qty.qualifier if g.qty else None) or (g.pct.qualifier if g.pct else None)
        return Claim(
            article=self.article, sentence=r.text, start=r.char_start, end=r.char_end,
            period=format_period(g.period) if g.period else None,
            exporter=exporter, importer=importer, flow=flow, commodity=commodity,
            value=value, unit="t" if value is not None else None,
            change_pct=(g.pct.sign * g.pct.value) if g.pct else None,
            change_basis=g.basis if g.pct else None, qualifier=qualifier,
            modality=self._dated_modality(r, g), per=self._per(r, g), source=r.source,
            inferred=tuple(sorted(set(inferred))),
            figure_start=v.idx[figure.start], figure_end=v.char_end(figure.end), article_id=self.article_id,
        )

    def _after_comparison_month(self, r: Reading, g: Group) -> Optional[Period]:
        """A change measured 'from July' with no period of its own is July's successor's, when
        the story around it is about single months."""
        frame_period = g.period
        own = {r.clause_at(f.start) for f in g.figures}
        own |= {c + 1 for c in own if c + 1 < len(r.clauses) and r.clauses[c + 1].kind == "comparison"}  # "eased 4% compared to July 2023"
        for m in r.periods:
            if m.comparison and r.clause_at(m.start) in own and m.written.kind in ("month", "year") \
                    and m.start > g.pct.start:
                resolved = P.resolve(m.written, self._anchors(r))
                if isinstance(resolved, Period):
                    if frame_period is not None and basis_between(frame_period, resolved) in ("yoy", "mom"):
                        return None  # "That was down 20% from December 2022" after December 2023
                    if resolved.months == 1 and (m.written.year is not None or m.written.offset) \
                            and self._not_after_publication(resolved.shift(12)):
                        return resolved.shift(12)  # "from July last year", "compared to July 2023": this July
                    return resolved.shift(resolved.months)  # "from 2016": 2017; "from July": August
        return None

    def _not_after_publication(self, period: Period) -> bool:
        if self.published is None:
            return True
        return period.last <= self.published.year * 12 + self.published.month - 1
        return None

    def _cumulative(self, period: Optional[Period]) -> bool:
        """A year, a fiscal year, or months counted from the start of one ('January-May', 'the
        first nine months', 'the 12 months to March')."""
        if period is None or period.months < 2:
            return False
        starts = {0, (self.defaults.fiscal_start or 1) - 1}
        return period.months == 12 or period.first % 12 in starts and period.months != 3 or period.first % 12 == 0

    def _own_country(self, r: Reading, g: Group) -> Optional[str]:
        """A compared figure's own country, in the possessive just before it ('Qatar's 75 Mt')."""
        v = self.view
        f = g.qty or g.pct
        for m in r.countries:
            if m.code and m.end <= f.start and f.start - m.end <= 3 and v.lower[m.end:m.end + 1] in (["'s"], ["’s"], ["'"], ["’"]):
                return m.code
        return None

    def _per(self, r: Reading, g: Group) -> Optional[str]:
        """'400 tons per month', and 'monthly exports ... exceeded 400 tons' in a year."""
        if g.qty is None:
            return None
        if g.qty.per:
            return g.qty.per
        if g.period is not None and g.period.months > 1:
            clause = r.clauses[r.clause_at(g.qty.start)] if r.clauses else None
            lo = clause.start if clause else r.start
            if "monthly" in self.view.lower[lo:g.qty.start] or "per month" in " ".join(self.view.lower[g.qty.end:g.qty.end + 3]):
                return "month"
        return None

    @staticmethod
    def _year_before(m, resolved: Period, main: Optional[Period]) -> bool:
        """'last year's' beside a figure for part of a year: the same months of that year."""
        rel = m.written.rel or {}
        return m.written.kind == "rel" and rel.get("unit") == "year" and main is not None \
            and main.months < 12 and resolved.months == 12 and resolved.last_year < main.last_year

    def _base_claim(self, r: Reading, g: Group, busy: set[int]) -> Optional[Claim]:
        main = g.base_of
        mc = main.claim
        if self._attribute(r, g):
            return None  # "against a quota of 9.64 million tonnes": compared, but no flow
        own = self._owned_periods(r, g) or self._period_after_respectively(r, g)
        period, stated = None, False
        anchors = P.Anchors(published=self.published, claim=main.period, later=main.period,
                            fiscal_start=self.defaults.fiscal_start, fiscal_named_by=self.defaults.fiscal_named_by,
                            year=self._clause_year(r, g))
        for m in own:
            resolved = self._resolve_mention(r, m, anchors)
            if isinstance(resolved, Period):
                if m.written.kind == "year" and main.period is not None and main.period.months < 12 \
                        and not (g.qty is not None and g.qty.per):
                    # "the December volume was 32% higher than the 3,326 tonnes in 2024"
                    resolved = main.period.shift(12 * (m.written.year - main.period.last_year))
                elif self._year_before(m, resolved, main.period) and not (g.qty is not None and g.qty.per):
                    # "1.38 million tons in September, against 1.52 million tons last year"
                    resolved = main.period.shift(12 * (resolved.last_year - main.period.last_year))
                rel = m.written.rel or {}
                if resolved == main.period and m.written.year is None and rel.get("compared_offset"):
                    # "against 71.17 lt in the corresponding period": the year before
                    resolved = main.period.shift(rel["compared_offset"])
                period = resolved
                stated = m.written.kind != "rel"  # "in 2022", not "a year earlier" (of an inferred period)
                break
        own_country = self._own_country(r, g)
        if period is None and own_country is not None and own_country not in (mc.exporter, mc.importer):
            period = main.period  # another country's figure for the same period
        if period is None and main.period is not None:
            stated = next((b for s_, e_, b in self.hits.within("BASIS", r.start, r.end)
                           if self._same_statement(r, s_, g.anchor)), None)  # "fell to 1.36 from 2.37 lakh tonne year-on-year"
            basis = main.basis or stated or (self.frame.basis if self.frame and main.pct is None else None) or self.defaults.basis
            if basis == "yoy":
                period = main.period.shift(-12)
            elif basis == "mom":
                period = main.period.shift(-main.period.months)
        if period is None and main.period is not None:
            period = self._compared_period(r, main.period)  # "7.3% more than in the previous year: from 48,727 to ..."
            if period is not None and not (g.qty is not None and g.qty.per) and any(
                    m.comparison and self._year_before(m, period, main.period) for m in r.periods):
                period = main.period.shift(12 * (period.last_year - main.period.last_year))  # "short of last year's 1.52 Mt"
        if period is None or (period == main.period and own_country in (None, mc.exporter, mc.importer)):
            return None
        g.period = period
        if g.qty is not None:
            value = self._tonnes(g.qty, mc.commodity)
            g.pct = None
        else:
            value = None
            if main.pct is None or g.pct is None:
                return None
            g.pct.sign = main.pct.sign  # "the annual fall narrowing to 15% from 18.9%"
            g.basis = main.basis
        inferred = [f for f in mc.inferred if not (stated and f == "period")]  # its own period stated
        exporter, importer = mc.exporter, mc.importer
        own = self._own_country(r, g)
        if own is not None:
            # "above Qatar's approximate 75 Mt and more than double the United States' 34.4 Mt"
            if mc.flow == "export":
                exporter = own
            else:
                importer = own
        claim = self._make(r, g, mc.flow, exporter, importer, mc.commodity, value, inferred)
        own = r.clause_at(g.anchor)
        claim.modality = "projected" if any(r.clause_at(s) == own and not self._past_modal(e)
                                            for s, e, _ in self.hits.within("MODALITY", r.start, r.end)) else "reported"
        if claim.modality == "projected" and self.published is not None and self._not_after_publication(period.shift(1)):
            claim.modality = "reported"  # "likely to drop to 650,000 t in November from 780,000 t in October": October is past
        return claim

    # -- trade or not, and which way
    def _flow(self, r: Reading, g: Group, scope: Scope) -> Optional[str]:
        """The flow the figure is about, or None when it is not about a flow of goods."""
        hits = self.hits
        if any(scope.rank(s, after_ok=False) is not None and scope.rank(s, after_ok=False)[0] == 0
               and not any(m.start == s for m in r.periods)  # "Chile's May export volume": the month
               for s, e, _ in hits.within("PERMISSION", r.start, r.end)):
            return None  # "has allowed mills to export 60 lakh tonnes": a permission, not a flow
        if any(self._net_balance(s) and (scope.rank(s, after_ok=False) or (9,))[0] <= 1 for s, e, _ in r.flows):
            return None  # "the net finished steel exports ..., calculated by subtracting imports from exports"
        if self._relative_total(r, g):
            prev = r.clauses[r.clause_at(g.anchor) - 1]
            whole = [value for s, e, value in r.flows if prev.end - 8 <= s < prev.end and value in ("export", "import")]
            if whole:
                return whole[-1]  # "a quarter of Ukraine's wheat exports, which totalled ...": the whole's flow
        cues = [(s, "nontrade" if self._qualified_nontrade(s, e) else "flow", value) for s, e, value in r.flows]
        ends = {f.end for f in g.figures}
        # a share ("70% of the world's supply") only right after the figure it takes a share of;
        # "accounted for 5.6 Mt" is a quantity all the same
        goods_starts = {m.start for m in r.goods}
        nontrade = [(s, "nontrade", value) for s, e, value in hits.within("NONTRADE", r.start, r.end)
                    if (value != "share" or (g.qty is None and s in ends))
                    and not (e in goods_starts or (e + 1 in goods_starts and self.view.lower[e] != "of"))  # "locally produced LNG": a modifier
                    and not any(m.start <= s < m.end for m in r.periods)  # "the 2025/26 crop year"
                    and not self._trade_verb_of_subject(r, s)
                    and not self._purpose_of(s, r.start)
                    and not self._sum_named(r, e)]
        # a non-trade word after the figure's clauses ("..., the economy ministry said") says nothing of it
        nontrade = [c for c in nontrade if (scope.rank(c[0], after_ok=False) or (9,))[0] <= 1]
        ordered = scope.order(cues + nontrade, key=lambda c: c[0], after_ok=True)
        own_first = [c for c in ordered if scope.rank(c[0])[0] == 0]
        nearest = self._nearest_cue(own_first, scope) if own_first else (ordered[0] if ordered else None)
        role_flow = self._role_flow(r, g, scope)
        if nearest is None:
            gerund = self._gerund_flow(r, g)
            if gerund:
                return gerund  # "Belgium was the main EU buyer ..., bringing in 9,400 kg"
            if role_flow:
                return role_flow
            if self.frame is None:
                self._frame_from_statement(r)
            frame = self._carry(r)
            if frame is not None and self._continues(r, g):
                return self._frame_flow(frame, r)
            relation = self._relation_flow(r, scope)
            if relation:
                return relation
            if self._label_line(r) and self.story and any(m.code for m in r.countries):
                return self.defaults.flow or "export"  # "Germany: 66,000 tonnes" under a headline about exports
            return None
        if nearest[1] == "nontrade" or self._attribute(r, g):
            return None
        directed = [c for c in ordered if c[1] in ("flow", "verb") and c[2] in ("export", "import")]
        if not directed and not role_flow and not self._has_party(r, scope) and not self._trade_story(r):
            frame = self._carry(r)
            if frame is None or not self._continues(r, g):
                return None  # "rail freight volumes", "shipments of smartphones to retailers": no border
        if role_flow and not any(scope.rank(c[0])[0] == 0 for c in directed):
            return role_flow
        if directed:
            return directed[0][2]
        frame = self._carry(r)
        if frame is not None:
            return self._frame_flow(frame, r)
        return self.defaults.flow or "export"

    def _frame_flow(self, frame: Frame, r: Reading) -> str:
        """The last statement's flow, except after a list of the partners that took the story's
        goods ('South Korea and Japan took ... respectively'): a sentence naming no country is
        about the story's own flow again."""
        story = self.defaults.flow or (self.lead_frame.flow if self.lead_frame else None)
        if frame.varied and not any(m.code for m in r.countries) and story:
            return story
        return frame.flow

    def _gerund_flow(self, r: Reading, g: Group) -> Optional[str]:
        """A trailing clause that opens with a trade verb's -ing form ('bringing in 9,400 kg',
        'shipping 1.2 million tonnes'): that verb says which way the figure goes."""
        if not r.clauses:
            return None
        c = r.clauses[r.clause_at(g.anchor)]
        verb = self.hits.at("FLOW_VERB", c.start)
        if c.kind != "trailing" or verb is None or not self.view.lower[c.start].endswith("ing"):
            return None
        return verb[1] if verb[1] in ("export", "import") else None

    def _attribute(self, r: Reading, g: Group) -> bool:
        """'a 12-million-ton year-end target', 'a 40-ton truck': a quantity that describes a thing."""
        if g.qty is None:
            return False
        v = self.view
        nouns = self.lex.word_class("attribute_nouns")
        k = g.qty.start - 1
        while k > r.start and v.lower[k] in self.lex.word_class("base_gap") and v.lower[k] != "of":
            k -= 1  # "a quota of about 9.64 million tonnes"
        if k > r.start and v.lower[k] == "of" and v.lower[k - 1] in nouns:
            return True  # "against a quota of 9.64 million tonnes"
        for k in range(g.qty.end, min(r.end, g.qty.end + 3)):
            found = self.hits.at("NONTRADE", k)
            if (found is not None and found[1] != "share" and not self._sum_named(r, found[0])) or v.lower[k] in nouns:
                return True  # ("7.1 million tons with a value of US$ 0.9 billion" is a worth, not a thing)
            if not (v.lower[k].isalpha() or v.lower[k] == "-") or v.lower[k] in ("of", "in", "to", "from", "and", "or"):
                return False
        return False

    def _net_balance(self, s: int) -> bool:
        v = self.view
        return any(v.lower[k] in self.lex.word_class("net_balance") for k in range(max(0, s - 3), s))

    def _qualified_nontrade(self, s: int, e: int) -> bool:
        """'crude processing volumes', 'tourist arrivals', 'export prices', 'import bill', 'freight
        costs for grain shipments', 'the value of exports': a trade word inside a non-trade phrase."""
        hits, v = self.hits, self.view

        def nontrade(k: int) -> bool:
            found = hits.at("NONTRADE", k)
            return found is not None and found[1] != "share"

        if any(nontrade(k) for k in range(max(0, s - 2), s)):
            return True
        if self._net_balance(s):
            return True  # "net coal exports": a balance
        if nontrade(s) and hits.at("NONTRADE", s)[0] > e:
            return True  # "arrivals at ports": the trade word opens a longer non-trade phrase
        if e < v.n and (nontrade(e) or (e + 1 < v.n and v.words[e] == "-" and nontrade(e + 1))):
            return True
        for k in range(s - 1, max(-1, s - 5), -1):
            if v.lower[k] in ("of", "for", "on", "from"):
                return any(nontrade(j) for j in range(max(0, k - 3), k))
            if v.words[k] in ",;:()":
                break
        return False

    def _background(self, r: Reading, f: Figure) -> bool:
        """A change in a relative clause between a subject and its verb, with no quantity before
        it: 'export volumes, which grew by nearly 50 per cent in 2015-16, are forecast to double'."""
        if not r.clauses:
            return False
        ci = r.clause_at(f.start)
        c = r.clauses[ci]
        if c.kind != "relative" or ci + 1 >= len(r.clauses) or r.clauses[ci + 1].statement != c.statement:
            return False
        return not any(o.kind == "qty" and o.start < f.start for o in r.figures)

    def _money_terms_clause(self, r: Reading, ci: int) -> bool:
        """A clause whose only figures are changes 'in value': 'but up 3.1% in value'."""
        c = r.clauses[ci]
        inside = [f for f in r.figures if c.start <= f.start < c.end]
        return bool(inside) and all(self._terms_after(f, "VALUE_TERMS") for f in inside)

    def _terms_after(self, f: Figure, label: str) -> bool:
        """A change measured 'in value' / 'in volume', the phrase right after its figure."""
        return f.is_change and (self.hits.starts_with(label, f.end) or self.hits.starts_with(label, f.end + 1))

    def _in_value_terms(self, r: Reading, g: Group) -> bool:
        own = {r.clause_at(f.start) for f in g.figures}
        ends = {f.end for f in r.figures if f.is_change} | {f.end + 1 for f in r.figures if f.is_change}
        if any(self._terms_after(f, "VOLUME_TERMS") for f in g.figures):
            return False  # "down 7.4% in volume but up 3.1% in value"
        return any((r.clause_at(s) in own or r.clause_at(s) == max(own) + 1) and s not in ends
                   for s, e, _ in self.hits.within("VALUE_TERMS", r.start, r.end))

    def _nearest_cue(self, own: list, scope: Scope):
        before = [c for c in own if c[0] < scope.anchor]
        if before:
            return max(before, key=lambda c: c[0])
        return min(own, key=lambda c: c[0])

    def _trade_story(self, r: Reading) -> bool:
        """An article whose headline and lead speak of exports or imports, or a figure from customs."""
        return self.story or "customs" in (r.source or "").lower()

    def _relation_flow(self, r: Reading, scope: Scope) -> Optional[str]:
        """'Russia was Turkey's largest supplier', 'the top destinations ... were Germany (6,200
        tonnes)': a supplier speaks from the buyer's side, a destination from the seller's."""
        hits = self.hits
        for s, e, _ in hits.within("SOURCE_NOUN", r.start, r.end):
            if scope.rank(s, after_ok=False) is not None and any(m.role in ("exporter", "importer") for m in r.countries):
                if self._seller_ranked_alone(r, s):
                    return "export"  # "India was the top rice exporter with 7.05 Mt": no buyer is named
                return "import"
        for s, e, _ in hits.within("DEST_NOUN", r.start, r.end):
            if scope.rank(s, after_ok=False) is not None and any(m.role in ("exporter", "importer") for m in r.countries):
                return "export"
        return None

    def _trade_verb_of_subject(self, r: Reading, s: int) -> bool:
        """'Brazil ships record 318,000 tonnes': a word that can name vessels is the verb of the
        country before it."""
        return self.hits.at("FLOW_VERB", s) is not None and any(
            m.end == s and m.code and m.role in ("exporter", "importer") for m in r.countries)

    def _seller_ranked_alone(self, r: Reading, s: int) -> bool:
        """An exporter noun ('the top rice exporter') in a sentence that names no buyer, in a
        story that is not about imports, ranks sellers of their exports."""
        return self.view.lower[s] in self.lex.word_class("exporter_nouns") and self.defaults.flow != "import" \
            and not any(m.role == "importer" for m in r.countries)

    def _has_party(self, r: Reading, scope: Scope) -> bool:
        """A country (or region) in a role within the figure's reach: 'shipments to Japan'."""
        return any(m.role not in ("none", "bare") or m.form == "region" for m in scope.order(r.countries, after_ok=False))

    def _role_flow(self, r: Reading, g: Group, scope: Scope) -> Optional[str]:
        """'India bought ...', 'China took 16.5 Mt': a country's verb says which way."""
        for m in scope.order(r.countries):
            if m.role in ("exporter", "importer") and self._verb_role(m):
                if self._relative_verb_elsewhere(r, m, g):
                    continue
                return "export" if m.role == "exporter" else "import"
        return None

    def _relative_verb_elsewhere(self, r: Reading, m, g: Group) -> bool:
        """'... was China, which received 58.4% of the total, followed by Japan with 201,450
        tonnes': the verb of a relative clause speaks of the figures inside it only."""
        if not r.clauses or m.end + 1 >= r.end or self.view.words[m.end] != ",":
            return False
        ci = r.clause_at(m.end + 1)
        return r.clauses[ci].kind == "relative" and r.clause_at(g.anchor) != ci \
            and any(o.code and o is not m and r.clause_at(o.start) == r.clause_at(g.anchor) for o in r.countries)

    def _verb_role(self, m) -> bool:
        """The country is the subject of a trade verb: 'India bought', 'Egypt, the largest wheat
        importer, is forecast to buy'."""
        if m.by_verb:
            return True
        v, k = self.view, m.end
        if k < v.n and v.words[k] == ",":
            close = next((j for j in range(k + 1, min(v.n, k + 12)) if v.words[j] == ","), None)
            if close is not None:
                k = close + 1
        gap = self.lex.word_class("verb_gap")
        for j in range(k, min(v.n, k + 6)):
            if self.hits.at("FLOW_VERB", j):
                return True
            if v.lower[j] not in gap and not self.hits.at("AGENT_NOUN", j):
                return False  # ("Korean buyers took" passes)
        return False

    def _continues(self, r: Reading, g: Group) -> bool:
        """A sentence that goes on about the last statement: 'That was up 15.8% ...', 'The
        December volume compared to ...', or a figure with no subject in the same paragraph."""
        frame = self.frame
        if frame is None:
            return False
        first = self.view.lower[r.start]
        if first in self.lex.word_class("anaphors"):
            return True
        return self._near(frame, r) or self._anaphor_after_opening(r)

    def _anaphor_after_opening(self, r: Reading) -> bool:
        """'Additionally, as the agency reports, it also marks a 60% rise': the subject after an
        opening set off by a comma is a pronoun for the last statement."""
        v = self.view
        stop = min((f.start for f in r.figures), default=r.end)
        return any(v.lower[k] in self.lex.word_class("subject_pronouns") and v.words[k - 1] == ","
                   and not self.hits.at("COUNTRY", k + 1) for k in range(r.start + 2, min(stop, r.start + 16)))

    def _carry(self, r: Reading, parties: bool = False) -> Optional[Frame]:
        frame = self.frame
        if frame is None:
            return None
        if parties and not self._near(frame, r):
            return None
        return frame

    def _near(self, frame: Frame, r: Reading) -> bool:
        """The statement goes on: same paragraph, the next sentence, or rows of a list under it."""
        return frame.para == r.para or frame.index == r.index - 1 or (self._label_line(r) and frame.index >= r.index - 3)

    def _label_line(self, r: Reading) -> bool:
        return bool(r.clauses) and r.clauses[0].kind == "label"

    # -- when
    def _owned_periods(self, r: Reading, g: Group) -> list:
        """Period phrases that qualify the group's own figures: right after or before them in
        their clause ('1,077 tons a year earlier', 'in October, rising to 1.36 MT')."""
        out = []
        figs = g.figures
        for f in figs:
            label = self._bracket_label_period(r, f)
            if label is not None:
                return [label]  # "(previous year: 1.6 million tons)"
        for m in r.periods:
            mc = r.clause_at(m.start)
            for f in figs:
                if r.clause_at(f.start) != mc:
                    continue
                if f.end <= m.start:
                    gap = self.view.lower[f.end:m.start]
                    others = [o for o in r.figures if f.end <= o.start < m.start]
                    if not others and len([w for w in gap if w not in self.lex.word_class("period_gap")]) <= 3:
                        out.append(m)
                        break
                elif self.view.lower[m.end:f.start] in (["'s"], ["’s"]):
                    out.append(m)  # "short of last year's 1.52 million tons", "August's 1.29 million tons"
                    break
        return out

    def _bracket_label_period(self, r: Reading, f: Figure):
        """'(previous year: 1.6 million tons)': a bracket that opens with an earlier period as a
        label gives the figure of that period, compared with the one before the bracket."""
        v = self.view
        if f.start < 3 or v.words[f.start - 1] != ":":
            return None
        for m in r.periods:
            if m.end == f.start - 1 and m.start > r.start and v.words[m.start - 1] == "(" \
                    and m.written.kind == "rel" and (m.written.rel or {}).get("offset", 0) < 0:
                return m
        return None

    def _period_owner(self, r: Reading, m) -> Optional[Figure]:
        """The figure a period phrase qualifies: the one it directly precedes ('in August to 589
        tonnes'), else the one it directly follows in its clause ('1,077 tons a year earlier',
        '5,278 tons shipped in July 2024', '420 tonnes in September')."""
        mc = r.clause_at(m.start)
        gap_words = self.lex.word_class("period_gap")
        follows = None
        for f in r.figures:
            if f.end <= m.start and r.clause_at(f.start) == mc:
                others = [o for o in r.figures if f.end <= o.start < m.start]
                gap = [w for w in self.view.lower[f.end:m.start] if w not in gap_words]
                if not others and not gap:
                    follows = f
        for f in r.figures:
            if f.start >= m.end and r.clause_at(f.start) == mc:
                gap = self.view.lower[m.end:f.start]
                if len(gap) <= 2 and all(w in ("to", "at", ",", "of", "with", "reaching", "hit", "'s", "’s") for w in gap) \
                        and follows is None:
                    return f
                break
        return follows

    def _anchors(self, r: Reading, claim: Optional[Period] = None, later: Optional[Period] = None) -> P.Anchors:
        year = self._sentence_year(r)
        if year is None:
            year = self.para_year.get(r.para)
        return P.Anchors(published=self.published, claim=claim, year=year,
                         fiscal_start=self.defaults.fiscal_start, fiscal_named_by=self.defaults.fiscal_named_by, later=later,
                         data_month=self._data_month(r))

    def _is_data_month(self, m) -> bool:
        """'customs data to December', 'February customs figures', 'data for October': when the
        data runs to, not the period of a figure."""
        if m.written.kind not in ("month", "n_to"):
            return False
        v = self.view
        data = self.lex.word_class("data_words")
        before = v.lower[max(0, m.start - 3):m.start]
        if len(before) >= 2 and before[-1] in ("to", "for", "through", "until") and before[-2] in data:
            return True  # "customs data to December", "data for October"
        after = v.lower[m.end:m.end + 4]
        # "February customs figures show ...": a release (not "December figures at 2.14 Mt")
        return bool(after) and after[0] in data and any(w in ("show", "shows", "showed", "released", "published")
                                                        for w in after[1:])

    def _data_month(self, r: Reading) -> Optional[Period]:
        for m in r.periods:
            if self._is_data_month(m):
                resolved = P.resolve(m.written, P.Anchors(published=self.published))
                if isinstance(resolved, Period) and resolved.months == 1:
                    return resolved
        return None

    def _resolve_mention(self, r: Reading, m, anchors: P.Anchors):
        w = m.written
        self.season_borrowed = False
        if w.kind == "season" and w.season and w.season.get("start_month"):
            self.season_told = w
        elif w.kind == "season" and self.season_told is not None and w.year is None and w.end_year is None \
                and not (w.season or {}).get("start_month") and not w.offset \
                and not (m.start > 0 and self.view.lower[m.start - 1] in self.lex.word_class("season_shift")):
            w = self._season_being_told(m)
        if w.kind == "quarter" and w.season and w.season.get("start_month"):
            self.season_quarter = w  # "the first quarter of the oil year 2023-24"
        elif w.kind == "quarter" and w.season is None and w.year is None and w.offset is None \
                and self.season_quarter is not None:
            # "However, in the second quarter, imports ...": a quarter of the season being told
            w = replace(w, season=self.season_quarter.season, year=self.season_quarter.year,
                        end_year=self.season_quarter.end_year, offset=self.season_quarter.offset)
        return P.resolve(w, anchors)

    def _season_being_told(self, m):
        """'so far this season', 'the season' after 'since the 2025-26 season began on July 1':
        the season the article has dated, to date when the words say so."""
        told, v = self.season_told, self.view
        since = self.lex.word_class("season_since")
        before = v.lower[max(0, m.start - 3):m.start]
        to_date = any(w in since for w in before) or " ".join(before[-2:]) in since
        season = {k: val for k, val in told.season.items() if k != "to_date"}
        if to_date:
            season["to_date"] = True
        self.season_borrowed = True  # its months come from the context: the period is inferred
        return replace(m.written, season=season, year=told.year, end_year=told.end_year,
                       last=told.last if to_date else None)

    def _period(self, r: Reading, g: Group, scope: Scope, inferred: list) -> Optional[Period | str]:
        group_figs = {id(f) for f in g.figures}
        mentions = []
        running = any(f.zero for f in g.figures) or self._present_perfect(r, g)
        respective = self._respective_period(r, g)
        if respective is not None:
            return respective
        when = self._when_period(r, g)
        if when is not None:
            return when  # "the highest since November 2022, when imports stood at 11.41 lt"
        for m in r.periods:
            if g.qty is not None and self._possessive_of(m, g.qty):
                resolved = self._resolve_mention(r, m, self._anchors(r))  # "last year's 9.94 million tonnes"
                if isinstance(resolved, Period):
                    return resolved
        shared: list[Figure] = []
        of_value: list = []  # periods of the sentence's sum of money, which a volume beside it shares
        for m in r.periods:
            if m.comparison or (m.written.kind == "since" and not running) or self._is_data_month(m):
                continue  # "the highest since January" dates a record, not the figure
            owner = self._period_owner(r, m)
            if owner is not None and id(owner) not in group_figs and owner.kind in ("qty", "pct", "money") \
                    and (self._same_statement(r, owner.start, g.anchor) or self._is_base(r, owner)) \
                    and not self._coordinated_period(r, g, owner, m):
                if owner.start < g.anchor:
                    shared.append(owner)  # "in the first half with 410,000 tonnes, followed by China with 296,000"
                if owner.kind == "money" and not self._is_base(r, owner):
                    of_value.append(m)  # "value went up 41% to $88 million in May on a volume of 52,000 tonnes"
                continue  # another figure's period: "from 1,077 tons a year earlier", "in August to 589 tonnes"
            mentions.append(m)
        frame = self.frame
        anchor_claim = frame.period if frame else None
        ahead = self._modality(r, g) == "projected"
        for m in scope.order(mentions, after_ok=True):
            anchors = self._anchors(r, claim=anchor_claim)
            anchors.ahead = ahead  # "could rise to 1.6 million tonnes in October": the coming October
            if m.written.kind == "rel" and m.written.relative_to_claim and m.written.rel.get("unit") != "same":
                earlier = self._earlier_period(g)
                if g.qty is not None and earlier is not None and self._period_owner(r, m) is g.qty:
                    # "..., more than 50 times the figure of 161,917 tons for the year earlier period"
                    resolved = self._resolve_mention(r, m, self._anchors(r, claim=earlier))
                    if isinstance(resolved, Period):
                        return resolved
                alone = all(f is g.qty for f in r.figures if f.kind in ("qty", "pct"))
                if (self._fronted(r, m) or (alone and self._during(m))) and g.pct is None and g.qty is not None \
                        and anchor_claim is not None:
                    # "India had imported 65.2 LT in the corresponding period a year ago."
                    # "A year earlier, shipments over the same stretch had reached 18.85 million tonnes."
                    resolved = self._resolve_mention(r, m, anchors)
                    if isinstance(resolved, Period):
                        g.looking_back = True
                        return resolved
                continue  # "a year earlier" says what the figure is compared with
            told = self._told_months.get(m.written.month) if m.written.kind == "first_n" and m.written.back else None
            resolved = told or self._resolve_mention(r, m, anchors)  # "over the four months": those told
            if resolved == P.UNREPRESENTABLE:
                return resolved
            if isinstance(resolved, Period):
                if not told and self.season_borrowed:
                    inferred.append("period")
                if m.written.kind == "rel" and m.written.rel.get("unit") == "same":
                    inferred.append("period")
                g.seasonal = m.written.season is not None and m.written.kind in ("season", "first_n")
                return resolved
        listed = self._listed_period(g, shared)
        if listed is not None:
            return listed  # the sentence states it, for the figure that heads the list
        if g.base_of is None:
            for m in of_value:
                resolved = self._resolve_mention(r, m, self._anchors(r, claim=anchor_claim))
                if isinstance(resolved, Period):
                    return resolved
        if frame and frame.carries:
            inferred.append("period")
            return frame.carries
        if self.defaults.period is not None:
            inferred.append("period")
        return self.defaults.period

    def _listed_period(self, g: Group, shared: list[Figure]) -> Optional[Period]:
        """The period of an earlier figure of the sentence whose period phrase opens the list
        this figure continues ('... in the first half with 410,000 tonnes, followed by China with
        296,000 tonnes')."""
        if g.qty is None or g.qty.zero or not shared or g.base_of is not None:
            return None  # ("and to zero by 2027": a statement of none needs its own period)
        owners = {id(f) for f in shared}
        for o in reversed(self._current_groups):
            if o is not g and o.claim is not None and o.period is not None and o.base_of is None \
                    and any(id(f) in owners for f in o.figures) and o.anchor < g.anchor:
                return o.period
        return None

    def _when_period(self, r: Reading, g: Group) -> Optional[Period]:
        """A figure in a 'when' clause right after a period phrase is that period's."""
        if not r.clauses:
            return None
        ci = r.clause_at(g.anchor)
        c = r.clauses[ci]
        v = self.view
        if v.lower[c.start] != "when" or any(c.start <= m.start < c.end for m in r.periods if not m.comparison
                                            and m.written.kind != "rel"):
            return None
        k = c.start - 1 if c.start > r.start and v.words[c.start - 1] == "," else c.start
        before = next((m for m in r.periods if m.end == k), None)
        if before is None:
            return None
        w = before.written
        if w.kind == "since":
            w = replace(w, kind="month")  # "since November 2022, when ...": November 2022 itself
        resolved = self._resolve_mention(r, replace(before, written=w), self._anchors(r))
        return resolved if isinstance(resolved, Period) else None

    def _possessive_of(self, m, qty: Figure) -> bool:
        """A period in the possessive just before the figure: "last year's 9.94 million tonnes"."""
        v = self.view
        return m.end + 1 < v.n and v.lower[m.end] in ("'s", "’s", "'", "’") and 0 <= qty.start - (m.end + 1) <= 1

    def _during(self, m) -> bool:
        """A period phrase after 'in', 'during', 'for', 'over': the time the figure covers."""
        return m.start > 0 and self.view.lower[m.start - 1] in ("in", "during", "for", "over") and not m.comparison

    def _fronted(self, r: Reading, m) -> bool:
        """A period phrase opening the sentence before a comma: 'A year earlier, ...'."""
        return m.start == r.start and m.end < r.end and self.view.words[m.end] == ","

    def _earlier_period(self, g: Group) -> Optional[Period]:
        """The period of the last figure told before this one in its sentence."""
        before = [o for o in self._current_groups if o is not g and o.claim is not None and o.period is not None
                  and o.anchor < g.anchor and o.base_of is None]
        return before[-1].period if before else None

    def _compared_period(self, r: Reading, period: Period) -> Optional[Period]:
        """The one period the sentence compares with, resolved from the figure's period."""
        found = set()
        for m in r.periods:
            if m.comparison:
                resolved = P.resolve(m.written, self._anchors(r, claim=period, later=period))
                if isinstance(resolved, Period) and resolved != period:
                    found.add(resolved)
        return found.pop() if len(found) == 1 else None

    def _coordinated_period(self, r: Reading, g: Group, owner: Figure, m) -> bool:
        """'..., with 410 tonnes going to Chile and 95 tonnes to Peru in March': a period after the
        last of two figures joined by 'and' dates both."""
        if g.qty is None or owner.kind != "qty" or not (g.qty.end <= owner.start < m.start) or g.pct is not None:
            return False
        if r.clause_at(g.qty.start) != r.clause_at(m.start) or self._is_base(r, owner) or self._is_base(r, g.qty):
            return False
        between = self.view.lower[g.qty.end:owner.start]
        return "and" in between and not any(g.qty.end <= p.start < owner.start for p in r.periods) \
            and not any(f.start > m.end and f.kind == "qty" and r.clause_at(f.start) == r.clause_at(m.start)
                        for f in r.figures)

    def _to_date(self, r: Reading) -> bool:
        """'Year to date, imports were up 7.4%': a running total told aside, not the story's period."""
        return any(m.written.kind == "ytd" for m in r.periods)

    def _same_statement(self, r: Reading, a: int, b: int) -> bool:
        return not r.clauses or r.clauses[r.clause_at(a)].statement == r.clauses[r.clause_at(b)].statement

    def _present_perfect(self, r: Reading, g: Group) -> bool:
        """'has imported 2.2 million tonnes since September': a running total, dated by 'since'."""
        words = self.view.lower[r.start:g.anchor]
        return any(w in ("has", "have", "had") for w in words)

    def _is_base_fig(self, r: Reading, f: Figure) -> bool:
        return self._is_base(r, f)

    def _basis(self, r: Reading, g: Group, scope: Scope, bases: list = ()) -> Optional[str]:
        """The basis a change states ('year-on-year', 'from a month earlier'), or the one its
        comparison implies ('from June', 'than the 5,278 tons shipped in July 2024'): looked for
        after the change first, up to the next figure, then before it back to the previous one."""
        pct = g.pct
        respective = self._respective_basis(r, pct) or self._basis_of_joined_change(r, pct)
        if respective is not None:
            return respective
        prenominal = self._basis_before_change_noun(r, pct)
        if prenominal is not None:
            return prenominal
        compared = self._respective_compared_basis(r, g)
        if compared is not None:
            return compared
        own = {r.clause_at(f.start) for f in g.figures}
        following = max(own) + 1
        while r.clauses and following + 1 < len(r.clauses) and self._money_terms_clause(r, following):
            own.add(following)  # "down 7.4% in volume but up 3.1% in value compared to May"
            following += 1
        if r.clauses and following < len(r.clauses) and self._against(r, following) \
                and (following not in scope.busy or self._compared_period_leads(r, following)):
            own.add(following)  # "rose by 61,300 tonnes, or 38.42%, year on year in June"
        leading = min(own) - 1
        if r.clauses and leading >= 0 and r.clauses[leading].kind == "comparison" and leading not in scope.busy:
            own.add(leading)  # "Versus the same month a year earlier, exports rose 17.5%."
        if r.clauses and leading == 0 and self._basis_only(r.clauses[0]):
            own.add(0)  # "On an annual basis, Peru's zinc exports climbed 7.2%"
        if r.clauses:
            # "imported 18.40 lt in July 2024 compared with 17.55 lt in July 2023, recording a growth of 4.8%"
            own.update(n for n in range(min(own) + 1, max(own)) if self._against(r, n))
        others = [f.start for f in r.figures if f is not pct and f is not g.qty and f.kind in ("qty", "pct", "money")
                  and not any(f is b.qty or f is b.pct for b in bases) and not self._terms_after(f, "VALUE_TERMS")]
        nxt = min([s for s in others if s > pct.start], default=r.end)
        prv = max([s for s in others if s < pct.start], default=r.start)
        candidates = []
        for s, e, b in self.hits.within("BASIS", r.start, r.end):
            if r.clause_at(s) in own and not self._dated_after(r, e):
                candidates.append((s, "basis", b))
        for m in r.periods:
            if r.clause_at(m.start) not in own or self._dated_after(r, m.end):
                continue
            owner = self._period_owner(r, m)
            if owner is not None and any(owner is b.pct and b.qty is None for b in bases):
                continue  # "slowed to 3% in July from 9% in June": when the earlier change was, not a basis
            owned_by_base = owner is not None and any(owner is b.qty or owner is b.pct for b in bases)
            same = m.written.kind == "rel" and m.written.rel.get("unit") == "same" and not m.written.rel.get("compared_offset")
            if m.comparison or owned_by_base or self._dated_after(r, m.start - 1) \
                    or (m.written.kind == "rel" and m.written.relative_to_claim and not same
                                                 and not m.written.rel.get("during")):
                candidates.append((m.start, "period", m))  # ("over the period" is when, not against what)
        after = sorted((c for c in candidates if pct.start < c[0] < nxt), key=lambda c: c[0])
        before = sorted((c for c in candidates if prv <= c[0] < pct.start), key=lambda c: -c[0])
        # a stated basis beats a comparison on the same side of the change; what follows the
        # change comes first ("up 16.2% from a year ago and 11.5% from November")
        stated_after = [c for c in after if c[1] == "basis"]
        # a stated basis before the change is its own unless another change stands between them
        # ("up 16.2% from a year ago and 11.5% from November": the year ago is the 16.2%'s)
        stated_before = [c for c in before if c[1] == "basis" and not any(
            f.kind == "pct" and f is not pct and c[0] >= f.end and f.end <= pct.start for f in r.figures)]
        chosen = (stated_after or stated_before or after or before or [None])[0]
        if chosen is None:
            return None
        _, kind, item = chosen
        if kind == "basis":
            return item
        w = item.written
        if (w.kind == "rel" and w.rel.get("unit") == "year") or (w.kind == "year" and g.period is not None
                                                              and g.period.months < 12 and w.year == g.period.last_year - 1):
            return "yoy"  # "5.9% above last year", "down 16% compared to 2024" for the year so far
        if g.period is None:
            return None
        resolved = P.resolve(item.written, P.Anchors(published=self.published, claim=g.period, later=g.period,
                                                      fiscal_start=self.defaults.fiscal_start, fiscal_named_by=self.defaults.fiscal_named_by))
        if not isinstance(resolved, Period):
            return None
        return basis_between(g.period, resolved)

    def _basis_of_joined_change(self, r: Reading, pct: Figure) -> Optional[str]:
        """'by 38% and 22% year-on-year': two changes joined by 'and' before one basis share it."""
        v, hits = self.view, self.hits
        nxt = next((f for f in r.figures if f.start > pct.start), None)
        if nxt is None or not nxt.is_change or v.lower[pct.end:nxt.start] != ["and"] or hits.at("BASIS", pct.end):
            return None
        found = hits.at("BASIS", nxt.end)
        return found[1] if found else None

    def _basis_before_change_noun(self, r: Reading, pct: Figure) -> Optional[str]:
        """'a month-on-month decrease of 9% and a year-on-year increase of 14%': a basis in front
        of the change noun whose 'of' gives the percentage is that percentage's own."""
        hits, v = self.hits, self.view
        for s, e, basis in hits.within("BASIS", max(r.start, pct.start - 10), pct.start):
            change = hits.at("CHANGE", e)
            if change is None:
                continue
            k = change[0]
            if k < pct.start and v.lower[k] == "of" and hits.before_qualifier(pct.start) == k + 1:
                return basis
        return None

    def _compared_period_leads(self, r: Reading, n: int) -> bool:
        """'a drop of 4% compared to June and 9% less than July of the previous year': a
        comparison clause that names a period before its own figure compares the change before it too."""
        c = r.clauses[n]
        first = min((f.start for f in r.figures if c.start <= f.start < c.end), default=c.end)
        return any(c.start <= m.start < first and m.comparison for m in r.periods)

    def _basis_only(self, clause) -> bool:
        """'On an annual basis,', 'Year-on-year,': an opening clause that is only a basis."""
        found = self.hits.within("BASIS", clause.start, clause.end)
        return len(found) == 1 and found[0][0] - clause.start <= 1 and found[0][1] >= clause.end - 1

    def _dated_after(self, r: Reading, e: int) -> bool:
        """'compared to the same period in July': the month named after it says what the
        change is measured against, not the words 'the same period'."""
        v = self.view
        return r.start < e and e + 1 < r.end and v.lower[e] in ("in", "of") and self.hits.at("MONTH", e + 1) is not None \
            and v.lower[e - 2:e] == ["same", "period"]

    def _against(self, r: Reading, n: int) -> bool:
        """A clause that says what a change is measured against: a comparison ('compared with
        ...'), or one that opens with a basis (', year-on-year, to 1.26 million tonnes')."""
        c = r.clauses[n]
        return c.kind == "comparison" or self.hits.at("BASIS", c.start) is not None

    # -- what
    def _goods_of_figure(self, r: Reading, g: Group, goods: list):
        """The goods right after a quantity: '260 million tonnes of iron ore' (not the 'steel' of
        'the world's biggest steel producer' before it)."""
        v = self.view
        if g.qty is None:
            return self._goods_of_change(r, g, goods) if g.pct is not None else None
        k = g.qty.end
        if k < r.end and v.lower[k] == "of":
            return next((m for m in goods if k + 1 <= m.start <= k + 3), None)
        return None

    def _goods_of_change(self, r: Reading, g: Group, goods: list):
        """'a 12.9 per cent growth (month-on-month) in non-coking coal shipments': the goods
        after the change noun that follows the percentage."""
        v, k = self.view, g.pct.end
        if k < r.end and v.lower[k] in self.lex.word_class("amount_comparatives"):
            # "imported 85% more urea and 46% more DAP": the goods right after the comparative
            return next((m for m in goods if m.start == k + 1), None)
        noun = self.hits.at("CHANGE", k) if k < r.end else None
        if noun is None:
            return None
        k = noun[0]
        if k < r.end and v.words[k] == "(":  # "(month-on-month)"
            close = next((j for j in range(k + 1, min(r.end, k + 10)) if v.words[j] == ")"), None)
            if close is None:
                return None
            k = close + 1
        if k >= r.end or v.lower[k] != "in":
            return None
        return next((m for m in goods if k + 1 <= m.start <= k + 2), None)

    def _listed_out(self, r: Reading, goods: list) -> list:
        """'refined oil products, including diesel, gasoline and jet fuel': goods listed after
        'including' are parts of the named goods, not the goods of the figure."""
        cut = next((s for s, e, _ in self.hits.within("INCLUSION", r.start, r.end)
                    if any(m.start < s for m in goods)), None)
        if cut is None:
            return goods
        stop = min((f.start for f in r.figures if f.start > cut), default=r.end)
        return [m for m in goods if not cut < m.start < stop]

    def _label_goods(self, r: Reading) -> Optional[str]:
        """'Ammonium Sulfate: 2.204 million tons', 'Total: 22.83 million tons' under a list of goods."""
        if not r.clauses or r.clauses[0].kind != "label" or r.countries:
            return None
        c = r.clauses[0]
        if any(c.start <= m.start < c.end for m in r.periods) or any(c.start <= s < c.end for s, _, _ in r.flows):
            return None  # "October exports: 720,000 tonnes", "January-October: 7.9 million tonnes"
        words = [w for w in self.view.lower[c.start:c.end] if w.isalpha() or w == "-"]
        if "(" in self.view.words[c.start:c.end]:
            words = [w for w in self.view.lower[c.start:self.view.words.index("(", c.start)] if w.isalpha()]
        if words and all(w in self.lex.forms.get("generic", ()) or w in self.lex.word_class("goods_stop") for w in words):
            return self.list_parent  # "Total:" sums the goods the list is about
        if not words or len(words) > 5 or any(w in self.lex.word_class("goods_stop") for w in words):
            return None
        from extractor.claims.goods import normalise
        return normalise(" ".join(words), self.lex)

    def _commodity(self, r: Reading, g: Group, scope: Scope, inferred: list) -> Optional[str]:
        goods = self._listed_out(r, list(r.goods))
        goods = [m for m in goods if not self._describes_goods_before(r, m, goods)]
        goods = [m for m in goods if not self._glossed(m, goods)]
        ordered = scope.order(goods, after_ok=True)
        own = self._goods_of_figure(r, g, goods)
        respective = self._respective_goods(r, g, goods) if own is None else None
        antecedent: list[str] = []
        if own is not None or respective is not None:
            own = own or respective
            ordered = [own] + [m for m in ordered if m is not own]  # "260 million tonnes of iron ore"
        if len(ordered) >= 2 and respective is None:
            a, b = sorted(ordered[:2], key=lambda m: m.start)
            if b.start == a.end + 1 and self.view.lower[a.end] in self.lex.word_class("goods_joiners") \
                    and ordered[0] is b:
                ordered = [a] + [m for m in ordered if m is not a]  # "cement and clinker exports": the first named
        if ordered and ordered[0].anaphor:
            # "the oilseed": the goods named before it in the sentence, else those of the story so far
            antecedent = [m.name for m in r.goods if m.known and not m.anaphor and m.end <= ordered[0].start][-1:]
            ordered = []
        if not any(m.known for m in ordered[:1]):
            label = self._label_goods(r)
            if label is not None:
                return label
        known = [m for m in ordered if m.known]
        name = None
        if ordered:
            first = ordered[0]
            # a known name in the same reach beats a phrase read from grammar
            same_rank = [m for m in known if scope.rank(m.start)[:1] == scope.rank(first.start)[:1]]
            name = (same_rank[0] if same_rank else first).name
        if name is None and antecedent:
            name = antecedent[0]
        if name is None:
            frame = self.frame
            if frame and frame.commodity:
                name = frame.commodity
            else:
                name = self.defaults.commodity
            if name is not None:
                inferred.append("commodity")
        if name is not None and name not in self.lex.commodities:
            # "cumulative hydroxide imports" after "cobalt hydroxide": the goods already named
            for known in (self.frame.commodity if self.frame else None, self.defaults.commodity):
                if known and known != name and (known.endswith(" " + name) or known.endswith(" " + name[:-1]) and name.endswith("s")):
                    name = known
                    break
        entry = self.lex.commodities.get(name or "")
        if entry and entry.inclusive_name and self.hits.any_within("INCLUSION", r.start, r.end):
            return entry.inclusive_name
        return name

    def _glossed(self, m, goods: list) -> bool:
        """'refined oil (RBD palmolein)': a known name in brackets right after the goods says
        which they are; the bracketed name stands for both."""
        v = self.view
        if m.end >= v.n or v.words[m.end] != "(":
            return False
        return any(n.known and n.start == m.end + 1 and n.end < v.n and v.words[n.end] == ")"
                   and n.name != m.name for n in goods)

    def _unnamed_partners(self, r: Reading, g: Group) -> bool:
        """'exported only 221,000 tons of rice to these three markets': partners counted or
        pointed at but not named are no party (and not the world)."""
        v, hits = self.view, self.hits
        clause = r.clauses[r.clause_at(g.anchor)] if r.clauses else None
        lo, hi = (clause.start, clause.end) if clause else (r.start, r.end)
        pointers = self.lex.word_class("partner_pointers")
        groups = self.lex.word_class("partner_groups")
        for k in range(lo, hi - 2):
            if (hits.at("TO_PREP", k) or hits.at("FROM_PREP", k)) and v.lower[k + 1] in pointers:
                j = k + 2
                if j < hi and (v.is_number(j) or hits.at("NUMWORD", j)):
                    j += 1
                if j < hi and v.lower[j] in groups:
                    return True
        return False

    def _sum_named(self, r: Reading, e: int) -> bool:
        """'7.1 million tons with a value of US$ 0.9 billion': a value word that names the sum
        of money after it describes the tonnage's worth; it is no non-trade figure."""
        k = e + 1 if e < self.view.n and self.view.lower[e] in ("of", "at") else e
        return any(f.kind == "money" and f.start == k for f in r.figures)

    def _same_month_this_year(self, r: Reading, period: Optional[Period]) -> Optional[Period]:
        """A figure 'this year' set against one of a month 'last year' is of that month this year."""
        if period is None or period.months != 12 or self.published is None or period.first != self.published.year * 12:
            return None
        if not any(m.written.kind == "rel" and (m.written.rel or {}).get("unit") == "year"
                   and (m.written.rel or {}).get("offset") == 0 for m in r.periods):
            return None
        months = set()
        for m in r.periods:
            w = m.written
            if w.kind == "month" and (w.offset == -1 or w.year == self.published.year - 1):
                months.add(w.month)
        if len(months) != 1:
            return None
        index = self.published.year * 12 + months.pop() - 1
        return Period(index, index)

    def _clause_year(self, r: Reading, g: Group) -> Optional[int]:
        """The one year the compared figure's own clause states ('compared with 1.36 Mt in
        November as well as in December 2022'): the year of its bare months."""
        if not r.clauses:
            return None
        ci = r.clause_at(g.anchor)
        own = set(map(id, g.figures))
        years = {m.written.year for m in r.periods if r.clause_at(m.start) == ci
                 and m.written.kind == "month" and m.written.year is not None
                 and id(self._period_owner(r, m)) in own | {id(None)}}  # not another figure's "May 2024"
        return years.pop() if len(years) == 1 else None

    def _dated_alone(self, r: Reading, f: Figure, figures: list) -> bool:
        """'It was also higher than the nearly 5.6 million tonnes of LNG imported in May last
        year': the only quantity of its sentence, compared with nothing stated there but dated
        by its own words, is a figure of that period."""
        if f.kind != "qty" or any(o is not f and o.kind == "qty" for o in figures):
            return False
        owned = self._owned_periods(r, Group(qty=f))
        return any(m.written.kind in ("month", "year", "quarter", "range") for m in owned)

    def _purpose_of(self, s: int, start: int) -> bool:
        """'imported to fulfill domestic requirements', 'to meet local demand': what the
        goods are for, not a flow of their own."""
        purpose = self.lex.word_class("purpose_verbs")
        return any(self.view.lower[j] in purpose for j in range(max(start, s - 3), s))

    def _describes_goods_before(self, r: Reading, m, goods: list) -> bool:
        """'Imports of bauxite, a key raw material for aluminium, rose ...': goods named in an
        apposition with no figure describe the goods just before it ('..., covering both piped
        gas and LNG, ...': what they include); they are not the flow's."""
        if not r.clauses:
            return False
        clause = r.clauses[r.clause_at(m.start)]
        v = self.view
        opener = v.lower[clause.start] if clause.start > r.start and v.words[clause.start - 1] == "," else None
        covering = opener in self.lex.word_class("inclusion_openers")
        if opener not in self.lex.word_class("apposition_openers") and not covering:
            return False
        if clause.end >= r.end or v.words[clause.end] != ",":
            return False
        if any(clause.start <= f.start < clause.end for f in r.figures):
            return False
        if covering:  # "natural gas imports, covering both piped gas and LNG, dropped": what the goods include
            return any(n.end < clause.start and n.start >= r.start for n in goods if n is not m)
        return any(n.end == clause.start - 1 for n in goods if n is not m)

    def _tonnes(self, fig: Figure, commodity: Optional[str]) -> float:
        value = fig.value
        if fig.ambiguous:
            entry = self.lex.commodities.get(commodity or "")
            bulk = bool(entry and (entry.bulk or (entry.parent and self.lex.commodities.get(entry.parent)
                                                  and self.lex.commodities[entry.parent].bulk)))
            has_thousands = "," in fig.text or (len(fig.text.split(".")[0]) >= 4)
            if bulk and not has_thousands:
                value = fig.number * 1_000_000
            else:
                value = fig.number
        value = round(value, 6)
        return int(value) if value == int(value) else value

    def _dated_modality(self, r: Reading, g: Group) -> str:
        """A forecast's sentence can also tell the past: in 'are forecast to fall to 7.5 million
        tonnes this year, well below last year's 9.94 million tonnes' the second is reported."""
        modality = self._modality(r, g)
        own = {r.clause_at(f.start) for f in g.figures}
        stated_here = any(r.clause_at(s) in own for s, _, _ in self.hits.within("MODALITY", r.start, r.end))
        if modality == "projected" and not stated_here and g.period is not None and self.published is not None \
                and g.period.last < self.published.year * 12 + self.published.month - 2:
            return "reported"  # the forecast is in another clause
        return modality

    def _past_modal(self, end: int) -> bool:
        """'to have' / 'have' at the end of a modality match (which may end with that 'to')."""
        return self.hits.starts_with("PAST_MODAL", end) or self.hits.starts_with("PAST_MODAL", end - 1)

    def _modality(self, r: Reading, g: Group) -> str:
        own = {r.clause_at(f.start) for f in g.figures}
        for s, e, _ in self.hits.within("MODALITY", r.start, r.end):
            if self._past_modal(e):
                continue  # "are estimated to have decreased": a past figure, not a forecast
            ci = r.clause_at(s)
            if ci in own or (r.clauses and r.clauses[ci].kind == "main" and ci < min(own)
                             and r.clauses[min(own)].kind not in ("subordinate", "relative", "comparison")
                             and r.clauses[ci].statement == r.clauses[min(own)].statement):
                return "projected"
        return "reported"

    # -- who shipped to whom
    def _parties(self, r: Reading, g: Group, scope: Scope, flow: str, inferred: list,
                 used: set[int]) -> tuple[Optional[str], Optional[str]]:
        mentions = []
        for m in r.countries:
            if m.role == "none" or self._share_whole(r, m) or self._predicate_of_named(r, m):
                continue
            code = self._describe(r, m)
            role = self._settle(m, flow, r)
            side = "exporter" if flow == "export" else "importer"
            if m.subject and role in ("exporter", "importer") and role != side \
                    and not self._same_statement(r, m.start, g.anchor) \
                    and not any(o.code and self._same_statement(r, o.start, g.anchor) for o in r.countries):
                role = side  # "India's steel exports stood at 40 LT, while imports were 68 LT": India's imports
            mentions.append((m, code, role))
            if m.also:
                mentions.append((m, m.also[0], m.also[1]))
        ordered = [x for x in scope.order(mentions, key=lambda x: x[0].start, after_ok=False)]
        # nearest first; a country already a party of an earlier figure of the sentence
        # ("480,000 tonnes from Russia and 120,000 tonnes from Romania") after the others
        ordered.sort(key=lambda x: (scope.rank(x[0].start)[0], x[0].start in used, scope.rank(x[0].start)[1:]))
        bracketed = [x for x in mentions if self._brackets_figure_of(x[0], g)]
        if bracketed:
            ordered = bracketed + [x for x in ordered if x not in bracketed]  # "ahead of Indonesia (486,200 tonnes)"
        exporter = importer = None
        exp_mention = imp_mention = None
        partner = None
        reporter_side = "exporter" if flow == "export" else "importer"
        # "..., while total LNG imports came to 4.9 Mt": a total lends no partner either
        part_before = self._part_of_total_before(r, scope) or self._total(r, scope)
        own_total = self._total(r, scope, own_only=True)
        for m, code, role in ordered:
            ranked = scope.rank(m.start)
            rank = ranked[0] if ranked is not None else 0  # a bracketed country outside the figure's clauses
            if rank == 3 and role != reporter_side and part_before:
                continue  # "Shipments to China accounted for 5.6 Mt of the total, while H1 exports stood at 14.2 Mt"
            if rank == 1 and role != reporter_side and own_total:
                continue  # "..., accounting for most of the total October corn arrivals of 2.04 million tons"
            if role == "exporter" and exporter is None:
                exporter, exp_mention = code, m
            elif role == "importer" and importer is None:
                importer, imp_mention = code, m
            elif partner is None and (role == "partner" or (role == "bare" and self._next_to_figure(r, m, g))):
                partner = (m, code)
        if partner is not None:
            pm, pcode = partner
            nearer = (scope.rank(pm.start) or (0,))[0] == 0 or any(x[0] is pm for x in bracketed)  # "South Korea (8,000 t)"
            # "The main destination was China, followed by Japan with 201,450 tonnes": the partner
            # in the figure's own clause is its party, not the one of the clause before
            if nearer and flow == "export" and imp_mention is not None and (scope.rank(imp_mention.start) or (0,))[0] > 0 \
                    and pcode != exporter:
                importer = None
            elif nearer and flow == "import" and exp_mention is not None and (scope.rank(exp_mention.start) or (0,))[0] > 0 \
                    and pcode != importer:
                exporter = None
            if flow == "export" and importer is None and pcode != exporter:
                importer, imp_mention = pcode, pm
            elif flow == "import" and exporter is None and pcode != importer:
                exporter, exp_mention = pcode, pm
        for m in (exp_mention, imp_mention):
            if m is not None:
                used.add(m.start)
        self._region_party = any(m is not None and m.form == "region" for m in (exp_mention, imp_mention)) or \
            (partner is not None and partner[0].form == "region" and partner[1] in (exporter, importer))
        by_figure = self._respective(r)
        respective = by_figure.get(id(g.qty)) or by_figure.get(id(g.pct))
        if respective is not None:
            m, role = respective
            if role == "exporter":
                exporter, exp_mention = m.code, None
            else:
                importer, imp_mention = m.code, None
        for side, m, code in (("exporter", exp_mention, exporter), ("importer", imp_mention, importer)):
            if self._described_from_context(r, m, code):
                inferred.append(side)  # "The country's urea imports": which country, the article says
        exporter = self._joint(r, exp_mention, exporter)
        importer = self._joint(r, imp_mention, importer)
        if self._relative_total(r, g):
            if flow == "export":
                importer = "WLD"
            else:
                exporter = "WLD"
        if self._total(r, scope):
            # "Total November exports", "overall imports": the other side is the world
            if flow == "export" and importer is None:
                importer = "WLD"
            elif flow == "import" and exporter is None:
                exporter = "WLD"
        exporter, importer = self._possessive_pronoun(r, g, flow, exporter, importer, inferred)
        exporter, importer = self._carried(r, g, flow, exporter, importer, inferred)
        d = self.defaults
        if flow == "export":
            home = d.reporter or d.exporter  # the country whose trade the article reports
            if exporter is None and home is not None and home != importer:
                exporter = home
                inferred.append("exporter")
            if importer is None and d.flow == "import" and d.importer and d.importer != exporter \
                    and (self._story_goods(r, g) or self._named_imports_before(r, g)) and self._imports_before(r, g):
                importer = d.importer  # "the UAE alone shipped 610,000 tonnes" in a story of the EU's imports
                inferred.append("importer")
            importer = importer or "WLD"
        else:
            if importer is None:
                home = self._home_importer(exporter)
                if home is not None and home != exporter:
                    importer = home
                    inferred.append("importer")
            if exporter is None and d.flow == "export" and d.exporter and d.exporter != importer \
                    and not (imp_mention is not None and imp_mention.by_verb and not self._destination_verb(imp_mention)):
                # "U.S. imports fell 11%" in an article about China's exports: China's goods
                exporter = d.exporter
                inferred.append("exporter")
            exporter = exporter or "WLD"
        return exporter, importer

    def _brackets_figure_of(self, m, g: Group) -> bool:
        """'Indonesia (486,200 tonnes)': a country right before the bracket that opens with the figure."""
        f = min(g.figures, key=lambda x: x.start)
        return m.end + 1 == f.start and self.view.words[m.end] == "(" and m.role != "none"

    def _predicate_of_named(self, r: Reading, m) -> bool:
        """'Japan remained the top buyer at 5.4 million tonnes': a description after a named
        country and a copula says what that country is; it names no other party."""
        if m.form != "description" or m.start < 2:
            return False
        v = self.view
        k = m.start - 1
        if v.lower[k] not in self.lex.word_class("copulas"):
            return False
        return any(o.end == k and o.form in ("name", "demonym") and o.code for o in r.countries)

    @staticmethod
    def _described_from_context(r: Reading, m, code: Optional[str]) -> bool:
        """A description ('the country', 'the world's top importer') that only the text before
        resolves; one whose country the sentence also names ('China, the world's top buyer') is stated."""
        if m is None or m.form != "description" or code in (None, "REGION"):
            return False
        return not any(o.code == code and o.form != "description" for o in r.countries)

    def _possessive_pronoun(self, r: Reading, g: Group, flow: str, exporter, importer, inferred: list):
        """'..., while its coal imports rose to 0.9 million tonnes': 'its' is the sentence's subject."""
        v = self.view
        ci = r.clause_at(g.anchor)
        lo = r.clauses[ci].start if r.clauses else r.start
        if not any(v.lower[k] in ("its", "their") for k in range(lo, g.anchor)):
            return exporter, importer
        antecedent = self._relative_antecedent(r, ci)
        if antecedent is not None:
            # "... and Egypt, which reduced its purchases by 31.2% to 41,060 tonnes": Egypt's own
            return (None, antecedent) if flow == "import" else (antecedent, None)
        subject = next((m.code for m in r.countries if m.subject and m.start < lo and m.code), None)
        if subject is None and v.lower[r.start] in ("its", "their") and not r.countries:
            # "India's urea output rose ... . Its imports of the fertiliser ...": the country the
            # sentence before opened with
            borrowed = self._opening_country.get(r.index - 1)
            side = "importer" if flow == "import" else "exporter"
            if borrowed is not None and (importer if flow == "import" else exporter) is None:
                subject = borrowed
                inferred.append(side)
        if subject is None:
            return exporter, importer
        if flow == "import" and importer is None:
            return (exporter or "WLD"), subject
        if flow == "export" and exporter is None:
            return subject, importer
        return exporter, importer

    def _relative_antecedent(self, r: Reading, ci: int) -> Optional[str]:
        """The country a relative clause ('which ...', 'whose ...') hangs on, right before its comma."""
        if not r.clauses or r.clauses[ci].kind != "relative":
            return None
        start = r.clauses[ci].start
        if start < 2 or self.view.words[start - 1] != ",":
            return None
        return next((m.code for m in r.countries if m.end == start - 1 and m.code), None)

    def _part_of_total_before(self, r: Reading, scope: Scope) -> bool:
        """An earlier statement of the sentence gave a part of a total ('accounted for ... of the total')."""
        for s, e, _ in self.hits.within("SHARE_VERB", r.start, scope.anchor):
            rank = scope.rank(s)
            if rank is not None and rank[0] == 3:
                return True
        return False

    def _imports_before(self, r: Reading, g: Group) -> bool:
        """'Imports from Mozambique, Iceland and the UAE made up much of the rest; the UAE alone
        shipped 610,000 tonnes': the sentence speaks of the story's imports."""
        return any(value == "import" and s < g.anchor for s, e, value in r.flows)

    def _named_imports_before(self, r: Reading, g: Group) -> bool:
        """'Chrome ore imports rose to 2.11 Mt, with South Africa supplying 1.58 Mt': goods named
        on the imports the sentence opens with, no buyer of their own."""
        return any(value == "import" and s < g.anchor and any(m.end == s for m in r.goods)
                   and not any(c.end in (s, s - 1) for c in r.countries)
                   for s, e, value in r.flows)

    def _breakdown(self, r: Reading, last: Claim) -> bool:
        """A run of lines, one partner each ("- Germany: 66,000 tonnes" / "- Italy: ..."): after it,
        a line that names no partner is about the total again."""
        if not self._label_line(r):
            self.recent_partners = []
            return False
        partner = last.importer if last.flow == "export" else last.exporter
        self.recent_partners = (self.recent_partners + [(r.para, partner)])[-3:]
        return len({p for _, p in self.recent_partners if p not in (None, "WLD")}) > 1

    def _story_goods(self, r: Reading, g: Group) -> bool:
        """The figure is about the goods the article is about (or names none)."""
        stated = next((m.name for m in Scope(r, g, set()).order(r.goods, after_ok=False) if m.name), None)
        return stated is None or self.defaults.commodity is None or self._related(stated, self.defaults.commodity)

    def _destination_verb(self, m) -> bool:
        """'Belgium took 21 tonnes', 'China took 16.5 million tonnes': in an export story a taking
        country is a destination of the story's exports (not so 'Germany imported ...')."""
        v = self.view
        return any(v.lower[k] in self.lex.word_class("destination_verbs") for k in range(m.end, min(v.n, m.end + 4)))

    @staticmethod
    def _basis_from_base(base: Group) -> None:
        """'down 11% compared with 512,000 tonnes in November' (of December): the compared
        figure's period says the change's basis when the words do not."""
        main = base.base_of
        claim = main.claim
        if base.qty is None:
            return  # "slowed to 3% in July from 9% in June": two changes, neither measured from the other's month
        if claim is None or claim.change_pct is None or claim.change_basis is not None \
                or main.period is None or base.period is None or base.period.months != main.period.months:
            return
        if base.period == main.period.shift(-12):
            claim.change_basis = main.basis = "yoy"
        elif base.period == main.period.shift(-main.period.months):
            claim.change_basis = main.basis = "mom" if main.period.months == 1 else "other"

    def _share_whole(self, r: Reading, m) -> bool:
        """'accounting for 38.2 percent of the country's total crude imports': the whole a share
        is of, not a party of the sentence's figures."""
        v, hits = self.view, self.hits
        for j in range(m.start - 1, max(r.start, m.start - 4) - 1, -1):
            if v.lower[j] == "of":
                return j > r.start and hits.ending_at("PERCENT", j, within=3) is not None
            if v.lower[j] not in ("the", "its", "total", "overall"):
                return False
        return False

    def _total(self, r: Reading, scope: Scope, own_only: bool = False) -> bool:
        v = self.view
        for s, e, _ in self.hits.within("TOTAL", r.start, r.end):
            whole_figure = s < scope.anchor <= s + 8 and v.lower[scope.anchor - 1] == "of"  # "... total imports of 1.55 Mt"
            if "of" in v.lower[max(0, s - 2):s] and not own_only and not whole_figure:
                continue  # "China took 16.5 million tonnes of the total": a part of it
            if not whole_figure and any(v.lower[j] == "of" and self.hits.ending_at("PERCENT", j, within=3) for j in range(max(0, s - 6), s)):
                continue  # "accounting for 38.2 percent of the country's total crude imports": a share's whole
            if own_only and (s > scope.anchor or "of" in v.lower[max(0, s - 2):s] and s < scope.anchor - 8):
                continue
            rank = scope.rank(s, after_ok=False)
            if rank is not None and rank[0] <= (0 if own_only else 1):
                return True
        return False

    def _relative_total(self, r: Reading, g: Group) -> bool:
        """'... made up 78% of its total soybean exports, which reached 15.3 million tonnes': the
        figure of a relative clause on a total is the total's, not the share's party."""
        if not r.clauses:
            return False
        ci = r.clause_at(g.anchor)
        if ci == 0 or r.clauses[ci].kind != "relative":
            return False
        prev = r.clauses[ci - 1]
        if any(prev.end - 6 <= s for s, e, _ in self.hits.within("TOTAL", prev.start, prev.end)):
            return True
        v = self.view
        # "Egypt bought about a quarter of Ukraine's wheat exports, which totalled ...": the whole of a share
        return any(v.lower[j] == "of" and (v.lower[j - 1] in self.lex.word_class("share_fractions")
                                           or self.hits.ending_at("PERCENT", j, within=2))
                   for j in range(max(prev.start + 1, prev.end - 8), prev.end))

    def _next_to_figure(self, r: Reading, m, g: Group) -> bool:
        """'Germany – 1,288 tonnes', 'South Korea (854 tons, +84.5%)', 'Australia: 2.41 Mt',
        'and India 9.8 million tonnes', 'Vietnam with 456 tons', 'the US (down 2.6% to 95,000 tons)'."""
        f = min(g.figures, key=lambda x: x.start)
        v = self.view
        if r.clauses and r.clauses[r.clause_at(m.start)].kind == "label" and m.end <= f.start:
            return True  # "U.S. Specifics: 582 tons", "Australia: 2.41 million t"
        if m.end <= f.start:
            gap = range(m.end, f.start)
            return len(gap) <= 4 and all(v.lower[k] in self.lex.word_class("partner_gap") or v.lower[k] in ("(", ":", "-", "–", "—", ",")
                                         or (f is g.pct and v.lower[k - 1] == "(" and self.hits.at("CHANGE", k))
                                         for k in gap)
        return False

    def _settle(self, m, flow: str, r: Optional[Reading] = None) -> str:
        role = m.role
        if role == "origin_or_importer" and r is not None and any(
                o is not m and o.code and o.code != m.code and o.role == "importer" for o in r.countries):
            return "exporter"  # "Russian coal imports into India": India buys, so Russia sells
        if role == "counterpart":
            # "US shipments", "U.S. imports", "Brazil arrivals": the article's own country trades
            # as its noun says; any other country is on the other side of the article's flow
            d = self.defaults
            reporter = d.reporter or (d.exporter if d.flow != "import" else d.importer)
            own = "importer" if m.noun_flow == "import" else "exporter"
            if reporter is None or m.code == reporter:
                return own
            return "importer" if d.flow != "import" else "exporter"
        if role == "origin_or_importer":
            main = self.defaults.importer
            return "importer" if main is None or main == m.code else "exporter"
        if m.form == "region" and role == "bare":
            return "partner"
        return role

    def _none_told_of_the_story(self, r: Reading) -> bool:
        """'..., while there were no arrivals from Russia or Iran': a statement of none with no
        period phrase and no forecast in its sentence speaks of the period the story is telling."""
        own = [m for m in r.periods if not self._dates_a_base(r, m)]
        return not own and not self.hits.any_within("MODALITY", r.start, r.end) \
            and self.frame is not None and self.frame.period is not None and self.frame.index == r.index - 1

    def _dates_a_base(self, r: Reading, m) -> bool:
        """'fell to zero from 541,434 tons a year earlier': the period of what the figure is compared with."""
        owner = self._period_owner(r, m)
        return owner is not None and self._is_base(r, owner)

    def _joint(self, r: Reading, m, code: Optional[str]) -> Optional[str]:
        """'imports from Russia and Ukraine': two parties together have no one code."""
        if m is None or code is None:
            return code
        v = self.view
        for other in r.countries:
            if other is m or other.role not in (m.role, "bare") or not other.code:
                continue
            a, b = (other, m) if other.start < m.start else (m, other)
            if r.clause_at(a.start) != r.clause_at(b.start):
                continue  # "No shipments went to the United States, and Japan received ..."
            between = v.lower[a.end:b.start]
            zero = any(f.zero for f in r.figures)
            joined = ["and"], ["&"], [",", "and"], ["and", "the"]
            if (between in joined or (zero and between in (["or"], ["nor"], ["or", "the"]))) and a.code != b.code:
                if not any(a.end <= f.start < b.start for f in r.figures) and not self._respectively(r):
                    self._joint_members = (a.code, b.code)
                    return JOINT
        return code

    def _each_of_joint(self, r: Reading, g: Group) -> bool:
        """'each' between the countries joined and the figure: the figure is every one's."""
        last = max((m.end for m in r.countries if m.code and m.end <= g.anchor), default=None)
        return last is not None and "each" in self.view.lower[last:g.anchor]

    def _respectively(self, r: Reading) -> bool:
        return self._respectively_at(r) is not None

    def _respectively_at(self, r: Reading) -> Optional[int]:
        """The token of 'respectively' in the sentence: the figures before it go one by one."""
        words = self.view.lower[r.start:r.end]
        return r.start + words.index("respectively") if "respectively" in words else None

    def _period_after_respectively(self, r: Reading, g: Group) -> list:
        """'compared with 298,000 tonnes and 402,000 tonnes, respectively, in the year-ago
        period': the period after 'respectively' dates every figure listed before it."""
        at = self._respectively_at(r)
        if at is None or not any(f.end <= at for f in g.figures):
            return []
        gap = self.lex.word_class("period_gap")
        for m in r.periods:
            if m.start > at and all(w in gap or w == "," for w in self.view.lower[at + 1:m.start]):
                return [m]
        return []

    def _respective_period(self, r: Reading, g: Group) -> Optional[Period]:
        """'exports in November and December rose to 2.26 million tonnes and 2.31 million tonnes
        respectively': the figures take the periods in order."""
        at = self._respectively_at(r)
        if at is None or g.qty is None:
            return None
        run = [f for f in r.figures if f.kind == "qty" and f.end <= at]
        months = [m for m in r.periods if m.end <= (run[0].start if run else at) and m.written.kind == "month"]
        if len(run) < 2 or len(months) != len(run) or g.qty not in run:
            return None
        resolved = P.resolve(months[run.index(g.qty)].written, self._anchors(r))
        return resolved if isinstance(resolved, Period) else None

    def _respective_goods(self, r: Reading, g: Group, goods: list):
        """'Imports of wheat and barley ... reached 820,000 and 140,000 tonnes respectively': the
        figures take, in order, the goods listed before them."""
        at = self._respectively_at(r)
        if g.qty is None or at is None:
            return None
        v = self.view
        run = [f for f in r.figures if f.kind == "qty" and f.end <= at]
        named = [m for m in goods if m.known and m.end <= (run[0].start if run else at)]
        chain = named[-1:]
        for m in reversed(named[:-1]):
            if v.lower[m.end:chain[0].start] not in (["and"], [","], [",", "and"], ["&"]):
                break
            chain.insert(0, m)
        if len(run) < 2 or len(chain) != len(run) or g.qty not in run:
            return None
        return chain[run.index(g.qty)]

    def _respective_values(self, r: Reading, figures: list, bases: set) -> dict:
        """'rose 9.8% and 80.7% respectively to 53,200 tonnes and 22,600 tonnes', 'reached 61,000
        tonnes, worth $398 million, up 14% and 41.5% respectively': the changes go, in order,
        with the run of values."""
        if not self._respectively(r):
            return {}
        changes = [f for f in figures if f.is_change and id(f) not in bases]
        values = [f for f in figures if f.kind in ("qty", "money") and id(f) not in bases]
        if len(changes) >= 2 and len(values) > len(changes):
            # "700,000 tons for $444.9 million, bringing the total to 8.5 million tons and $5.31
            # billion, up 10.6% and 22.4% respectively": the values listed together
            before = [f for f in values if f.end <= changes[0].start][-len(changes):]
            joined = all("and" in self.view.lower[a.end:b.start] for a, b in zip(before, before[1:]))
            values = before if len(before) == len(changes) and joined else values
        if len(changes) < 2 or len(changes) != len(values):
            return {}
        in_order = lambda run: all(a.end <= b.start for a, b in zip(run, run[1:]))
        apart = changes[-1].end <= values[0].start or values[-1].end <= changes[0].start
        if not (in_order(changes) and in_order(values) and apart):
            return {}
        return {id(c): v for c, v in zip(changes, values)}

    def _respective_basis(self, r: Reading, pct) -> Optional[str]:
        """'up 56.3% and 33.6% month-on-month and year-on-year respectively': the changes take
        the bases in order."""
        at = self._respectively_at(r)
        if pct is None or at is None:
            return None
        runs: list[list] = []
        for s, e, b in sorted(self.hits.within("BASIS", r.start, at)):
            if runs and b == runs[-1][2] and s <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], e)  # "a year" + "on-year" of "on a year-on-year basis"
            else:
                runs.append([s, e, b])
        stated = [b for s, e, b in runs]
        hits = [s for s, e, b in runs]
        changes = [f for f in r.figures if f.is_change and f.end <= at]
        if len(stated) < 2 or len(stated) != len(changes) or pct not in changes \
                or not all(f.end <= hits[0] for f in changes):
            return None
        return stated[changes.index(pct)]

    def _respective_compared_basis(self, r: Reading, g: Group) -> Optional[str]:
        """'a drop of 7% and 13% compared to June and July 2024 respectively': the changes are
        measured, in order, against the periods listed after them."""
        at = self._respectively_at(r)
        if g.pct is None or g.period is None or at is None:
            return None
        changes = [f for f in r.figures if f.is_change and f.end <= at]
        if len(changes) < 2 or g.pct not in changes:
            return None
        compared = [m for m in r.periods if changes[-1].end <= m.start < at]
        if len(compared) != len(changes) or not self.hits.any_within("COMPARISON", changes[-1].end, compared[0].start):
            return None
        m = compared[changes.index(g.pct)]
        resolved = P.resolve(m.written, P.Anchors(published=self.published, claim=g.period, later=g.period,
                                                  fiscal_start=self.defaults.fiscal_start,
                                                  fiscal_named_by=self.defaults.fiscal_named_by))
        return basis_between(g.period, resolved) if isinstance(resolved, Period) else None

    def _respective(self, r: Reading) -> dict:
        """'to South Korea and Japan edged up to 2.6mn t and 2.1mn t, respectively': the figures
        before 'respectively' go, in order, with the run of countries before them."""
        v = self.view
        at = self._respectively_at(r)
        if at is None:
            return {}
        before = [f for f in r.figures if f.end <= at and f.kind in ("qty", "pct", "ratio")]
        if len(before) < 2:
            return {}
        # a change and a ratio share the run: "increased by 20.2% and 2.2 times, respectively"
        family = ("pct", "ratio") if before[-1].kind in ("pct", "ratio") else (before[-1].kind,)
        last_country = max((m.end for m in r.countries if m.end <= before[-1].start), default=-1)
        run = [f for f in before if f.kind in family and f.start >= last_country]
        if len(run) < 2:
            return {}
        names = [m for m in r.countries if m.end <= run[0].start and m.code]
        joiners = (["and"], [","], [",", "and"], ["&"], ["and", "the"], [",", "the"], [",", "and", "the"])
        chains: list[list] = []  # runs of countries joined by "and" or commas, in text order
        for m in names:
            if chains and v.lower[chains[-1][-1].end:m.start] in joiners:
                chains[-1].append(m)
            else:
                chains.append([m])
        # the last run as long as the figures ("The Philippines and Japan are ... for
        # Indonesian coal exports, with shipments of 2.4 Mt and 2.2 Mt respectively")
        chain = next((c for c in reversed(chains) if len(c) == len(run)), None)
        if chain is None:
            return {}
        role = next((m.role for m in chain if m.role in ("exporter", "importer")), None)
        if role is None:
            # "South Korea and Japan followed China in August, receiving 0.59 Mt and 0.31 Mt
            # respectively": the verb before the figures gives the run's side
            verb = next((value for s, e, value in self.hits.within("FLOW_VERB", chain[-1].end, run[0].start)
                         if value in ("export", "import")), None)
            role = {"export": "exporter", "import": "importer"}.get(verb)
        if role is None:
            return {}
        return {id(f): (m, role) for f, m in zip(run, chain)}

    def _own_other_period(self, r: Reading, g: Group, frame: Frame, inferred: list) -> bool:
        """'In October alone, exports stood at ...': a period of the story's own, set apart."""
        v = self.view
        return "period" not in inferred and g.period is not None and frame.period is not None \
            and g.period != frame.period and g.base_of is None \
            and any(m.end < r.end and v.lower[m.end] in self.lex.word_class("period_apart") for m in r.periods)

    @staticmethod
    def _carried_side(code: Optional[str], inferred: list, side: str) -> Optional[str]:
        if code:
            inferred.append(side)
        return code

    def _carried(self, r: Reading, g: Group, flow: str, exporter, importer, inferred: list):
        frame = self._carry(r, parties=True)
        if frame is None:
            return exporter, importer
        if self._new_goods(r, g, frame):
            return exporter, importer
        if frame.flow == flow:
            subject_named = exporter is not None if flow == "export" else importer is not None
            if not subject_named:
                if frame.listed and frame.index != r.index:
                    # "South Korea and Japan took 3.48 Mt and 1.87 Mt, respectively": the side that
                    # varied down the list is not carried
                    side = "exporter" if flow == "export" else "importer"
                    carried = getattr(frame, side) if side not in frame.varied else None
                    if carried:
                        inferred.append(side)
                    if flow == "export":
                        return exporter or carried, importer
                    return exporter, importer or carried
                if self._own_other_period(r, g, frame, inferred):
                    # "Exports to Sudan fell to 9.8 million kilos ... In October alone, exports
                    # stood at 47.2 million kilos": a period of its own is the story's total again
                    if flow == "export":
                        return exporter or self._carried_side(frame.exporter, inferred, "exporter"), importer
                    return exporter, importer or self._carried_side(frame.importer, inferred, "importer")
                if exporter is None and frame.exporter:
                    inferred.append("exporter")
                if importer is None and frame.importer and frame.importer != "WLD":
                    inferred.append("importer")
                return exporter or frame.exporter, importer or frame.importer
            if frame.index == r.index:
                if flow == "export":
                    return exporter, importer or frame.importer
                return exporter or frame.exporter, importer
            if not any(m.name for m in r.goods):
                # "Germany's imports from Peru dropped ... Japan's imports, however, rose": the next
                # buyer of the same seller's goods
                if flow == "import" and exporter is None and frame.exporter not in (None, "WLD", importer):
                    inferred.append("exporter")
                    return frame.exporter, importer
                if flow == "export" and importer is None and frame.importer not in (None, "WLD", exporter):
                    inferred.append("importer")
                    return exporter, frame.importer
            return exporter, importer
        if flow == "import" and importer and exporter is None and frame.exporter != importer \
                and frame.importer in (None, "WLD"):
            inferred.append("exporter")
            exporter = frame.exporter
        if flow == "export" and exporter and importer is None and frame.importer != exporter \
                and frame.exporter in (None, "WLD"):
            inferred.append("importer")
            importer = frame.importer
        # "Guinea exported 4.11 Mt of bauxite to China ... Bauxite imports originating from
        # Australia dropped 17.2%": the same buyer, told from its side
        home = self.defaults.reporter
        if flow == "import" and importer is None and exporter not in (None, "WLD") \
                and frame.importer not in (None, "WLD", exporter) and frame.exporter != home:
            inferred.append("importer")
            importer = frame.importer
        if flow == "export" and exporter is None and importer not in (None, "WLD") \
                and frame.exporter not in (None, "WLD", importer) and frame.importer != home:
            inferred.append("exporter")
            exporter = frame.exporter
        return exporter, importer

    def _new_goods(self, r: Reading, g: Group, frame: Frame) -> bool:
        scope = Scope(r, g, set())
        stated = next((m.name for m in scope.order(r.goods, after_ok=False) if m.name), None)
        if stated is None or frame.commodity is None:
            return False
        return not self._related(stated, frame.commodity)

    def _related(self, a: str, b: str) -> bool:
        def names(name):
            entry = self.lex.commodities.get(name)
            return {name} | ({entry.parent, entry.inclusive_name} - {None} if entry else set())
        return a in names(b) or b in names(a)  # the same goods, or one the other's wider name (not siblings)

    def _home_importer(self, exporter: Optional[str]) -> Optional[str]:
        home = self.defaults.exporter
        if self.defaults.flow == "export" and home and home != exporter:
            return home
        return self.defaults.importer

    def _describe(self, r: Reading, m) -> Optional[str]:
        """The country a description ('its Asian neighbour') stands for, from the article so far."""
        if m.form == "region":
            return "REGION"
        if m.form != "description":
            return m.code
        how = m.description.get("resolve")
        if how == "article_subject":
            # "the country": on the sending side the article's main exporter, on the receiving
            # side its main importer, else the country whose trade it reports; "The US EIA expects
            # the nation to have exported 34.3 Mt": the one country its own sentence named before
            named = {o.code for o in r.countries if o.end <= m.start and o.code and o.form == "name" and o.role in ("bare", "none", m.role)}
            if len(named) == 1 and not any(o.start > m.start and o.code for o in r.countries):
                return named.pop()
            d = self.defaults
            if m.by_verb and d.reporter:
                return d.reporter  # "the country shipped 77.5Mt": the article's own country
            side = d.exporter if m.role == "exporter" else d.importer if m.role in ("importer", "origin_or_importer") else None
            return side or d.reporter or d.exporter
        if how == "article_exporter":
            return self.defaults.exporter
        if how == "article_importer":
            return self.defaults.importer
        region = m.description.get("region")
        for s in sorted(self.hits.starts("COUNTRY"), reverse=True):
            if s >= m.start:
                continue
            code = self.hits.at("COUNTRY", s)[1][0]
            country = self.lex.countries.get(code)
            if code == self.defaults.exporter or country is None or country.group:
                continue
            if region is None or country.region == region:
                return code
        return None


def _top(counter: Counter) -> Optional[str]:
    return counter.most_common(1)[0][0] if counter else None


def date_leading_claims(claims: list[Claim], lex: Lexicon) -> None:
    """'China's shipments of major fertiliser surge 600%' in a headline that nothing before the
    body dates: the period is that of the first later claim on the same flow, and the headline's
    generic goods ('fertiliser') are the specific goods of that claim ('urea'); both listed as inferred."""
    def ancestors(name: Optional[str]) -> set:
        seen: set = set()
        entry = lex.commodities.get(name or "")
        while entry is not None and entry.parent and entry.parent not in seen:
            seen.add(entry.parent)
            entry = lex.commodities.get(entry.parent)
        return seen

    for n, claim in enumerate(claims):
        if claim.period is not None:
            return  # a dated statement: the story is under way
        same = next((c for c in claims[n + 1:] if c.period is not None and c.start != claim.start  # not its own compared figure
                     and (c.exporter, c.importer, c.flow) == (claim.exporter, claim.importer, claim.flow)
                     and (c.commodity == claim.commodity or claim.commodity in ancestors(c.commodity))), None)
        if same is None:
            continue
        added = {"period"} | ({"commodity"} if same.commodity != claim.commodity else set())
        # a new claim, so that its id is worked out from what it now says
        claims[n] = replace(claim, period=same.period, commodity=same.commodity, id="",
                            inferred=tuple(sorted(set(claim.inferred) | added)))

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
from dataclasses import replace
from typing import Optional

from extractor.claims import periods as P
from extractor.claims.assemble.base import Frame, Group, JOINT, Scope, UNSTATED_RATES, Defaults
from extractor.claims.assemble.flows import FlowReading
from extractor.claims.assemble.goods import GoodsReading
from extractor.claims.assemble.groups import FigureGroups
from extractor.claims.assemble.parties import PartyReading
from extractor.claims.assemble.when import PeriodReading
from extractor.claims.lexicon import Lexicon
from extractor.claims.reading import Reading
from extractor.claims.view import Hits, TokenView
from extractor.period import Period, basis_between, format_period
from extractor.types import Claim


class ArticleAssembler(FigureGroups, FlowReading, PeriodReading, GoodsReading, PartyReading):
    """One article's readings into claims, sentence by sentence, keeping what the story has told
    so far. Each part of the work is a module of this package; this class holds the state and
    the per-sentence and per-claim steps."""

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
        # What depends on one sentence's reading alone, worked out once per sentence (by index):
        # its stated year, its data month, the figure each period phrase qualifies.
        self._year_memo: dict[int, Optional[int]] = {}
        self._data_month_memo: dict[int, Optional[Period]] = {}
        self._owner_memo: dict[tuple[int, int], object] = {}
        self._season_start_memo: dict[int, Optional[int]] = {}
        self._statements: dict[int, Reading] = {}  # figure-free lead sentences, by index
        self._opening_country: dict[int, str] = {}  # the country a read sentence opens with, by index

    # ------------------------------------------------------------------ article defaults
    def learn_defaults(self, lead: list[Reading], body: list[Reading]) -> None:
        exporters, importers, commodities, flows, bases = Counter(), Counter(), Counter(), Counter(), Counter()
        subjects = Counter()
        seen: dict[int, Reading] = {r.index: r for r in list(lead) + list(body) if not r.statement}
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
        d.source_country = self._source_country(list(lead) + list(body))
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

    def _source_country(self, readings: list[Reading]) -> Optional[str]:
        """The country of the statistics the story quotes ('MPOB data showed', 'Stats NZ said',
        'according to the Argentine Beef Promotion Institute'): the side a claim leaves open when
        nothing else names it."""
        v = self.view
        for r in sorted(readings, key=lambda r: r.index)[:6]:
            if not r.source:
                continue
            for s_, e_, _ in self.hits.within("SOURCE", r.start, r.end):
                named = self.hits.at("COUNTRY", e_ + 1) if e_ + 1 < r.end and v.lower[e_] == "of" else None
                if named is not None:
                    return named[1][0]  # "the Federal Customs Service of Kazakhstan": the country it names
            if r.source in self.lex.source_countries:
                return self.lex.source_countries[r.source]
            for m in r.countries:
                if m.code and v.span_text(m.start, m.end) in r.source:
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
            self.frame = Frame(last.exporter, last.importer, last.flow, period, self._told_goods(r, mains) or last.commodity,
                               r.para, r.index, basis=last_group.basis or (self.frame.basis if self.frame else None))
            if before is not None and before.carries is not None and self._to_date(r):
                self.frame.carries = before.carries  # "Year to date, imports were up 7.4%." is an aside in time
            self.frame.listed = len({(c.exporter, c.importer) for c in mains}) > 1 or self._breakdown(r, last)
            self.frame.varied = frozenset(side for side in ("exporter", "importer")
                                          if len({getattr(c, side) for c in mains}) > 1)
            self.lead_frame = self.lead_frame or self.frame
        return [c for _, c in out]

    def _told_goods(self, r: Reading, mains: list[Claim]) -> Optional[str]:
        """'Russia's grain exports this season included 30 Mt of wheat, 4 Mt of corn and 3 Mt of
        barley': after a breakdown, the story goes on about the whole the sentence names."""
        kinds = {c.commodity for c in mains if c.commodity}
        if len(kinds) < 2:
            return None
        for m in r.goods:
            if m.known and m.name not in kinds and all(m.name in self.lex.lineage(k) for k in kinds):
                return m.name
        return None

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
        try:
            return self._year_memo[r.index]
        except KeyError:
            year = self._year_memo[r.index] = self._read_sentence_year(r)
            return year

    def _read_sentence_year(self, r: Reading) -> Optional[int]:
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
            if owner is not None and self._record_figure(r, owner) and any(f.start < owner.start for f in r.figures):
                continue  # "..., close to the record high of 1.47 Mt seen in August 2024": the record's year
            if any(f.start < m.start for f in r.figures) and any(
                    self.view.lower[t] in self.lex.word_class("extremes") for t in range(max(r.start, m.start - 4), m.start)):
                continue  # "..., just 5,000 tons short of the earlier record set in October 2022"
            w = m.written
            if w.kind in ("month", "year", "quarter", "range") and w.year is not None:
                years.add(w.end_year or w.year)
        return years.pop() if len(years) == 1 else None

    def _yearly_rate(self, r: Reading, f) -> bool:
        """'... 770,000 tonnes of rice tariff-free every year': a rate per year a few words on."""
        hits = self.hits
        return any((found := hits.at("PER", k)) is not None and found[1] == "year"
                   and hits.covering("BASIS", k) is None and hits.covering("REL_PERIOD", k) is None
                   for k in range(f.end, min(r.end, f.end + 6)))  # (not "a year-on-year increase")

    def _record_figure(self, r: Reading, f) -> bool:
        """'the record high of 1.47 Mt', 'a peak of 2.1 Mt': a figure named as an extreme."""
        v = self.view
        if f.start - 2 < r.start or v.lower[f.start - 1] != "of":
            return False
        extremes = self.lex.word_class("extremes")
        return any(v.lower[j] in extremes for j in range(max(r.start, f.start - 4), f.start - 1))

    # ------------------------------------------------------------------ one claim
    def _claim(self, r: Reading, g: Group, busy: set[int], used: set[int]) -> Optional[Claim]:
        scope = Scope(r, g, busy)
        inferred: list[str] = []
        if self._in_value_terms(r, g):
            return None  # "exports rose 7.2% in yuan terms"
        if g.qty is not None and g.qty.per in UNSTATED_RATES:
            if g.pct is None:
                return None  # "an average of 58,300 tons a day": a rate the claim cannot state
            g.rate, g.qty = g.qty, None  # its change still holds
        if g.qty is None and self._background(r, g.pct):
            return None  # "export volumes, which grew by nearly 50 per cent in 2015-16, are forecast to ...": background
        flow = self._flow(r, g, scope)
        if flow is None:
            return None
        period = self._period(r, g, scope, inferred)
        if period == P.UNREPRESENTABLE:
            return None
        g.period = period if isinstance(period, Period) else None
        first = next((o for o in self._current_groups if o is not g and o.qty is not None and o.qty is g.qty
                      and o.claim is not None and o.period is not None), None) if g.qty is not None else None
        if first is not None and "period" in inferred and "period" not in first.claim.inferred:
            # "stood at 210,000 tonnes, up 4% from March and up 18% from a year-earlier 178,000
            # tonnes": the quantity's second change has the period its first one told
            g.period = first.period
            inferred.remove("period")
        if g.period is None and g.qty is not None and self._yearly_rate(r, g.qty):
            return None  # "imports about 770,000 tonnes of rice tariff-free every year": a standing rate, no period
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
        claim.modality = "projected" if any(r.clause_at(s) == own and not self._past_modal(e, s)
                                            for s, e, _ in self.hits.within("MODALITY", r.start, r.end)) else "reported"
        if claim.modality == "projected" and self.published is not None and self._not_after_publication(period.shift(1)):
            claim.modality = "reported"  # "likely to drop to 650,000 t in November from 780,000 t in October": October is past
        return claim


def _top(counter: Counter) -> Optional[str]:
    return counter.most_common(1)[0][0] if counter else None


def date_leading_claims(claims: list[Claim], lex: Lexicon) -> None:
    """'China's shipments of major fertiliser surge 600%' in a headline that nothing before the
    body dates: the period is that of the first later claim on the same flow, and the headline's
    generic goods ('fertiliser') are the specific goods of that claim ('urea'); both listed as inferred."""
    def ancestors(name: Optional[str]) -> set:
        return set(lex.lineage(name)[1:])

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

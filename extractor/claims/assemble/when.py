"""When: the period of a figure, and the basis of its change."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from extractor.claims import periods as P
from extractor.claims.assemble.base import Group, Scope
from extractor.claims.numbers import Figure
from extractor.claims.reading import Reading
from extractor.period import Period, basis_between


class PeriodReading:
    """Part of `ArticleAssembler`: the period of a figure, and the basis of its change."""

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
                elif self.view.lower[m.end:f.start] in (["'s"], ["’s"]) or self._named_figure_of(m.end, f.start):
                    out.append(m)  # "short of last year's 1.52 million tons", "August's 1.29 million tons"
                    break
        return out

    def _named_figure_of(self, k: int, f_start: int) -> bool:
        """'February's shipment volume of 54,800 tonnes', 'the April record of 78,900 tonnes':
        a period's figure named by a noun and 'of' before it."""
        v, hits = self.view, self.hits
        gap = v.lower[k:f_start]
        if len(gap) < 2 or len(gap) > 5 or gap[-1] != "of":
            return False
        words = gap[1:-1] if gap[0] in ("'s", "’s") else gap[:-1]
        nouns = self.lex.word_class("seen_volume_nouns") | self.lex.word_class("extremes")
        return bool(words) and all(w in nouns or hits.covering("FLOW", t) is not None
                                   for t, w in enumerate(words, start=f_start - 1 - len(words)))

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
        key = (r.index, m.start)
        try:
            return self._owner_memo[key]
        except KeyError:
            owner = self._owner_memo[key] = self._read_period_owner(r, m)
            return owner

    def _read_period_owner(self, r: Reading, m) -> Optional[Figure]:
        mc = r.clause_at(m.start)
        gap_words = self.lex.word_class("period_gap")
        goods = {k for g in r.goods if g.known for k in range(g.start, g.end)}  # "2.4 million tons of wheat in July"
        follows = None
        for f in r.figures:
            if f.end <= m.start and r.clause_at(f.start) == mc:
                others = [o for o in r.figures if f.end <= o.start < m.start]
                gap = [w for k, w in enumerate(self.view.lower[f.end:m.start], f.end) if w not in gap_words and k not in goods]
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
        fiscal_start, named_by = self._fiscal_year_of(r)
        return P.Anchors(published=self.published, claim=claim, year=year,
                         fiscal_start=fiscal_start, fiscal_named_by=named_by, later=later,
                         data_month=self._data_month(r), season_start=self._customary_season_start(r))

    def _customary_season_start(self, r: Reading) -> Optional[int]:
        """The first month of the season customary for the sentence's goods in its country
        ('Ukraine's grain exports in the 2024/25 season': July), for a season the text leaves undated."""
        try:
            return self._season_start_memo[r.index]
        except KeyError:
            pass
        d, frame = self.defaults, self.frame
        goods = next((m.name for m in r.goods if m.known and not m.anaphor), None) \
            or (frame.commodity if frame else None) or d.commodity
        country = next((m.code for m in r.countries if m.code and m.subject), None) \
            or next((m.code for m in r.countries if m.code and m.role in ("exporter", "importer")), None) \
            or d.reporter or d.exporter
        start = self._season_start_memo[r.index] = self.lex.crop_season_start(country, goods)
        return start

    def _fiscal_year_of(self, r: Reading) -> tuple:
        """The fiscal year a split year ('2024-25') names: the one of the country whose trade the
        sentence reports ('India's exports of basmati rice ... in 2024-25' in a roundup led by
        Brazil), else the article's."""
        d = self.defaults
        subject = next((m.code for m in r.countries if m.subject and m.code), None)
        country = self.lex.countries.get(subject or "")
        if country is not None and country.fiscal_start is not None and subject != d.reporter:
            return country.fiscal_start, country.fiscal_named_by
        return d.fiscal_start, d.fiscal_named_by

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
        """The month the sentence says its data runs to, if it says."""
        try:
            return self._data_month_memo[r.index]
        except KeyError:
            month = self._data_month_memo[r.index] = self._read_data_month(r)
            return month

    def _read_data_month(self, r: Reading) -> Optional[Period]:
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
        elif w.kind == "season" and P.customary_season(w) and not w.season.get("to_date") and self._since_before(m):
            w = replace(w, season=dict(w.season, to_date=True))  # "since the beginning of the current crop year"
        if w.kind == "quarter" and w.season and w.season.get("start_month"):
            self.season_quarter = w  # "the first quarter of the oil year 2023-24"
        elif w.kind == "quarter" and w.season is None and w.year is None and w.offset is None \
                and self.season_quarter is not None:
            # "However, in the second quarter, imports ...": a quarter of the season being told
            w = replace(w, season=self.season_quarter.season, year=self.season_quarter.year,
                        end_year=self.season_quarter.end_year, offset=self.season_quarter.offset)
        return P.resolve(w, anchors)

    def _since_before(self, m) -> bool:
        """'since the beginning of the', 'so far in' right before a period mention: to date."""
        v = self.view
        before = v.lower[max(0, m.start - 5):m.start]
        since = self.lex.word_class("season_since")
        after = " ".join(v.lower[m.end:m.end + 2])  # "the 2024/25 season so far"
        return any(w in since for w in before) or " ".join(before[-2:]) in since or after in since

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
        if g.rate is not None:
            group_figs.add(id(g.rate))  # "rose to 1.1 Mt a day in October, up 8%": the rate's period is the change's
        mentions = []
        running = any(f.zero for f in g.figures) or self._present_perfect(r, g)
        respective = self._respective_period(r, g)
        if respective is not None:
            return respective
        when = self._when_period(r, g)
        if when is not None:
            return when  # "the highest since November 2022, when imports stood at 11.41 lt"
        if g.compared_alone:
            own = self._compared_alone_period(r, g)
            if own is not None:
                return own  # "exports in October were up from 2.7 Mt in September": September's
        if self._of_a_week(r, g):
            return P.UNREPRESENTABLE  # "in the week ended October 12": not a month the contract can name
        for m in r.periods:
            if g.qty is not None and self._possessive_of(m, g.qty):
                resolved = self._resolve_mention(r, m, self._anchors(r))  # "last year's 9.94 million tonnes"
                if isinstance(resolved, Period):
                    return resolved
        shared: list[Figure] = []
        of_value: list = []  # periods of the sentence's sum of money, which a volume beside it shares
        list_period: list = []
        for m in r.periods:
            if m.comparison or (m.written.kind == "since" and not running) or self._is_data_month(m):
                continue  # "the highest since January" dates a record, not the figure
            owner = self._period_owner(r, m)
            if owner is not None and id(owner) not in group_figs and owner.kind in ("qty", "pct", "money") \
                    and (self._same_statement(r, owner.start, g.anchor) or self._is_base(r, owner)) \
                    and not self._coordinated_period(r, g, owner, m):
                if self._listed_with(g, owner):
                    list_period.append(m)  # the period of the figure that closes this figure's list
                    continue
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
                if not told and (self.season_borrowed or (P.customary_season(m.written) and anchors.season_start)):
                    inferred.append("period")  # its months come from the context or the goods' custom
                if m.written.kind == "rel" and m.written.rel.get("unit") == "same":
                    inferred.append("period")
                g.seasonal = m.written.season is not None and m.written.kind in ("season", "first_n")
                if m.written.kind == "year":
                    return self._month_of_compared(r, resolved) or resolved
                return resolved
        for m in list_period:
            resolved = self._resolve_mention(r, m, self._anchors(r, claim=anchor_claim))
            if isinstance(resolved, Period):
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

    def _compared_alone_period(self, r: Reading, g: Group) -> Optional[Period]:
        """A compared figure with no figure of its own statement beside it is dated by the
        words after it ('up from 2.7 Mt in September'), or by its statement's period when they
        look back from it ('in October were down from 2.9 Mt a year earlier')."""
        owned = self._owned_periods(r, g)
        others = [m for m in r.periods if m not in owned and not m.comparison and m.end <= g.anchor]
        for m in owned:
            claim = None
            if m.written.kind == "rel" and m.written.relative_to_claim:
                told = [self._resolve_mention(r, o, self._anchors(r)) for o in others]
                told = [t for t in told if isinstance(t, Period)]
                if len(told) != 1:
                    continue
                claim = told[0]
            resolved = self._resolve_mention(r, m, self._anchors(r, claim=claim))
            if isinstance(resolved, Period):
                return resolved
        return None

    def _month_of_compared(self, r: Reading, year: Period) -> Optional[Period]:
        """'In comparison to October 2019, shipments in 2020 increased by 119%': a year set
        against one month of the year before speaks of that month of its own year."""
        months = []
        for m in r.periods:
            if m.comparison and m.written.kind == "month" and m.written.year is not None:
                resolved = P.resolve(m.written, P.Anchors(published=self.published))
                if isinstance(resolved, Period) and resolved.months == 1:
                    months.append(resolved)
        if len(months) != 1 or months[0].last_year != year.last_year - 1 or year.months != 12:
            return None
        return months[0].shift(12)

    def _listed_with(self, g: Group, owner: Figure) -> bool:
        """'to 1.1 million, 0.5 million and 0.3 million tonnes in the first half': the figure is
        listed before the one that owns the period, with nothing but figures between them."""
        return g.qty is not None and self._listed_before(g.qty, owner)

    def _listed_before(self, a: Figure, b: Figure) -> bool:
        """Quantity a comes before quantity b in one list of figures ('2.1 million, 1.9 million
        and 1.7 million tonnes')."""
        if a.kind != "qty" or b.kind != "qty" or b.start <= a.end:
            return False
        v = self.view
        return all(v.lower[j] in (",", "and") or v.is_number(j) or self.hits.at("MULT", j)
                   for j in range(a.end, b.start))

    def _figure_list(self, r: Reading, fig: Figure) -> list[Figure]:
        """The quantities listed with fig, in order (fig alone when it heads no list)."""
        return [f for f in r.figures if f is fig or self._listed_before(f, fig) or self._listed_before(fig, f)]

    def _listed_months(self, r: Reading, g: Group) -> Optional[Period]:
        """'were 410,000, 385,000 and 402,000 tonnes in March, April and May': a list of figures
        right before as many months takes them in order, as with 'respectively'."""
        if g.qty is None:
            return None
        run = self._figure_list(r, g.qty)
        if len(run) < 2:
            return None
        v = self.view
        months, at = [], run[-1].end
        for m in r.periods:
            if m.start < at:
                continue
            gap = v.lower[at:m.start]
            if m.written.kind != "month" or not (gap in (["in"], ["during"]) if not months else gap in ([","], ["and"], [",", "and"])):
                break
            months.append(m)
            at = m.end
        if len(months) != len(run):
            return None
        resolved = P.resolve(months[run.index(g.qty)].written, self._anchors(r))
        return resolved if isinstance(resolved, Period) else None

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
        if k - 1 > r.start and v.lower[k - 1] in self.lex.word_class("seen_volume_nouns"):
            k -= 1  # "compared to February 2026 volumes, when Spain imported 1.8 Mt"
        before = next((m for m in r.periods if m.end == k), None)
        if before is None:
            return None
        w = before.written
        if w.kind == "since":
            w = replace(w, kind="month")  # "since November 2022, when ...": November 2022 itself
        claim = None
        if w.relative_to_claim:
            # "22.4 per cent less than in the same period last year, when 78,910 tonnes were
            # exported": the year before the period of the figure told first
            claim = self._earlier_period(g)
            if claim is None:
                return None
        resolved = self._resolve_mention(r, replace(before, written=w), self._anchors(r, claim=claim))
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

    def _of_a_week(self, r: Reading, g: Group) -> bool:
        """'1.1 million tonnes in the week ended October 12', 'Weekly deliveries slowed to 38,000
        tonnes', 'in the first half of November alone': a week or part of a month in the figure's
        own statement, unless it dates a report ('the ministry said last week')."""
        v, report = self.view, self.lex.word_class("report_verbs")
        for s, e, kind in self.hits.within("SHORT_SPAN", r.start, r.end):
            if s > r.start and v.lower[s - 1] in report:
                continue
            if not self._same_statement(r, s, g.anchor):
                continue
            if kind == "part_month" and not self.hits.at("MONTH", e):
                continue  # "the first half of 2025" is a half of the year
            if kind == "loose_week" and any(
                    not m.comparison and not (s <= m.start <= e + 1) and self._same_statement(r, m.start, g.anchor)
                    for m in r.periods):
                continue  # "in September, data this week showed": the month is the figure's
            return True
        return False

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
        if r.clauses and leading >= 0 and r.clauses[leading].kind == "comparison" \
                and (leading not in scope.busy or self._fronted_without_figure(r, leading)):
            # "Versus the same month a year earlier, exports rose 17.5%."; a fronted one serves
            # every change after it ("Compared with October last year, A fell by 12% and B by 5%")
            own.add(leading)
        if r.clauses and leading == 0 and self._basis_only(r.clauses[0]):
            own.add(0)  # "On an annual basis, Peru's zinc exports climbed 7.2%"
        if r.clauses:
            # "imported 18.40 lt in July 2024 compared with 17.55 lt in July 2023, recording a growth of 4.8%"
            own.update(n for n in range(min(own) + 1, max(own)) if self._against(r, n))
        others = [f.start for f in r.figures if f is not pct and f is not g.qty and f.kind in ("qty", "pct", "money")
                  and not any(f is b.qty or f is b.pct for b in bases) and not self._terms_after(f, "VALUE_TERMS", r)]
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
        if not before and 0 in own and r.clauses and r.clauses[0].kind == "comparison" \
                and self._fronted_without_figure(r, 0):
            before = [c for c in candidates if r.clause_at(c[0]) == 0]  # the fronted comparison, past other figures
        # a stated basis beats a comparison on the same side of the change; what follows the
        # change comes first ("up 16.2% from a year ago and 11.5% from November")
        stated_after = [c for c in after if c[1] == "basis"]
        # a stated basis before the change is its own unless another change stands between them
        # ("up 16.2% from a year ago and 11.5% from November": the year ago is the 16.2%'s)
        stated_before = [c for c in before if c[1] == "basis" and not any(
            f.kind == "pct" and f is not pct and c[0] >= f.end and f.end <= pct.start for f in r.figures)]
        chosen = (stated_after or stated_before or after or before or [None])[0]
        shared = self._shared_basis(r)
        if shared is not None and (chosen is None or chosen[1] != "basis"):
            return shared  # "..., and those from Mexico dropped 14.5%, both month on month"
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
        if not isinstance(resolved, Period) or resolved == g.period:
            return None  # ("over the same period" after a dated change is when, not against what)
        return basis_between(g.period, resolved)

    @staticmethod
    def _fronted_without_figure(r: Reading, n: int) -> bool:
        c = r.clauses[n]
        return n == 0 and not any(c.start <= f.start < c.end for f in r.figures)

    def _shared_basis(self, r: Reading) -> Optional[str]:
        """A closing clause 'both month on month', 'all year on year': one basis for every change
        of the sentence."""
        if len(r.clauses) < 2:
            return None
        c = r.clauses[-1]
        if self.view.lower[c.start] not in self.lex.word_class("shared_basis_leads") \
                or any(c.start <= f.start < c.end for f in r.figures):
            return None
        found = self.hits.within("BASIS", c.start, c.end)
        return found[0][2] if len(found) == 1 else None

    def _basis_of_joined_change(self, r: Reading, pct: Figure) -> Optional[str]:
        """'by 38% and 22% year-on-year': two changes joined by 'and' before one basis share it."""
        v, hits = self.view, self.hits
        if hits.at("BASIS", pct.end):
            return None
        last = pct
        for nxt in (f for f in r.figures if f.start > pct.start):
            if not nxt.is_change or v.lower[last.end:nxt.start] not in (["and"], [","], [",", "and"]):
                break
            last = nxt  # "up by 12.5%, 4.2% and 30.1% respectively from the same period of last year"
        if last is pct:
            return None
        j = last.end
        while j < r.end and v.lower[j] in ("respectively", ","):
            j += 1
        found = hits.at("BASIS", j)
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

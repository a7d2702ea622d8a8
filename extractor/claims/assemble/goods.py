"""What: the goods of a figure, its tonnes and modality."""
from __future__ import annotations

from typing import Optional

from extractor.claims.assemble.base import Group, Scope
from extractor.claims.numbers import Figure
from extractor.claims.reading import Reading
from extractor.period import Period


class GoodsReading:
    """Part of `ArticleAssembler`: the goods of a figure, its tonnes and its modality."""

    # -- what
    def _goods_of_figure(self, r: Reading, g: Group, goods: list):
        """The goods right after a quantity: '260 million tonnes of iron ore' (not the 'steel' of
        'the world's biggest steel producer' before it)."""
        v = self.view
        if g.qty is None:
            return self._goods_of_change(r, g, goods) if g.pct is not None else None
        closing = max((f for f in r.figures if f.start > g.qty.end and self._listed_with(g, f)),
                      key=lambda f: f.start, default=None)
        k = (closing or g.qty).end  # "2.1 million, 1.9 million and 1.7 million tonnes of copper": the list's goods
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
            if not antecedent:
                told = self._story_goods_of_form(self.view.lower[ordered[0].end - 1])
                if told:  # a short name of goods already told, as 'the concentrate shipments' is
                    return told[0]
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
            same_rank = [m for m in known if (scope.rank(m.start) or ())[:1] == (scope.rank(first.start) or ())[:1]]
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

    def _story_goods_of_form(self, head: str) -> list[str]:
        """'The main destination of the concentrate was China' after a sentence on refined zinc, in a
        story on zinc concentrate: the goods told so far whose name has the anaphor's word."""
        told = (self.frame.commodity if self.frame else None, self.defaults.commodity)
        stem = head[:-1] if head.endswith("s") else head
        return [name for name in told if name and stem in name.split()
                or name and stem + "s" in name.split()][:1]

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
            # (the pointer word first: it rules out almost every token without a lookup)
            if v.lower[k + 1] in pointers and (hits.at("TO_PREP", k) or hits.at("FROM_PREP", k)):
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
        if any(m.written.kind in ("month", "year", "quarter", "range") for m in owned):
            return True
        # "exports in October were down from 2.9 Mt a year earlier": dated back from its statement's month
        return any(m.written.kind == "rel" and m.written.relative_to_claim for m in owned) \
            and any(m.written.kind == "month" and not m.comparison and m.end <= f.start for m in r.periods)

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
        asides = (",", "-", "–", "—")
        opener = v.lower[clause.start] if clause.start > r.start and v.words[clause.start - 1] in asides else None
        covering = opener in self.lex.word_class("inclusion_openers")
        if opener not in self.lex.word_class("apposition_openers") and not covering:
            return False
        if clause.end >= r.end or v.words[clause.end] not in asides:
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
        stated_here = any(r.clause_at(s) in own and not self._seen_in_past(s, e)
                          for s, e, _ in self.hits.within("MODALITY", r.start, r.end))
        if modality == "projected" and not stated_here and g.period is not None and self.published is not None \
                and g.period.last < self.published.year * 12 + self.published.month - 2:
            return "reported"  # the forecast is in another clause
        return modality

    def _past_modal(self, end: int, start: Optional[int] = None) -> bool:
        """'to have' / 'have' at the end of a modality match (which may end with that 'to'), or a
        bare 'seen' describing past volumes ('7.3% below volumes seen in August last year')."""
        if start is not None and self._seen_in_past(start, end):
            return True
        return self.hits.starts_with("PAST_MODAL", end) or self.hits.starts_with("PAST_MODAL", end - 1)

    def _seen_in_past(self, start: int, end: int) -> bool:
        v = self.view
        if v.lower[start] == "seen" and start > 0 and v.lower[start - 1] in self.lex.word_class("copula_auxiliaries"):
            return True  # "Qatar has seen volumes fall 11%": what happened, not a forecast
        return end == start + 1 and v.lower[start] == "seen" and start > 0 and end < v.n \
            and v.lower[start - 1] in self.lex.word_class("seen_volume_nouns") and v.lower[end] in ("in", "during", "last")

    def _modality(self, r: Reading, g: Group) -> str:
        own = {r.clause_at(f.start) for f in g.figures}
        for s, e, _ in self.hits.within("MODALITY", r.start, r.end):
            if self._past_modal(e, s):
                continue  # "are estimated to have decreased": a past figure, not a forecast
            ci = r.clause_at(s)
            if ci in own or (r.clauses and r.clauses[ci].kind == "main" and ci < min(own)
                             and r.clauses[min(own)].kind not in ("subordinate", "relative", "comparison")
                             and r.clauses[ci].statement == r.clauses[min(own)].statement):
                return "projected"
        return "reported"

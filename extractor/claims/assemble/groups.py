"""Figures into groups: a quantity with its change, a change alone, a comparison base."""
from __future__ import annotations

from typing import Optional

from extractor.claims import periods as P
from extractor.claims.assemble.base import Group
from extractor.claims.numbers import Figure
from extractor.claims.reading import Reading
from extractor.types import Claim


class FigureGroups:
    """Part of `ArticleAssembler`: figures into groups: which quantity a change describes, which figure is a comparison base."""

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
        country_seen = False  # a country's possessive figure: "twice Zambia's 0.6 Mt"
        while k > r.start and steps < 7:
            found = hits.ending_at("COMPARISON", k, within=4)
            if found is None and dated and v.lower[k] == "the":
                found = hits.ending_at("COMPARISON", k + 1, within=4)  # "compared to the" + "the prior month's"
            if found and any(hits.at("CHANGE", t) for t in range(found[0] + 1, f.start)):
                found = None  # "..., from the USA increased by 6.0% to 59.4 mln t": the change's own figure
            qualifier = hits.covering("QUALIFIER", found[0]) if found else None
            if found and (dated or not self._qualifies(qualifier, r) or (qualifier and v.lower[qualifier[1]:qualifier[1] + 1] == ["the"])):
                return True  # ("over 400 tons", "more than 2,000 tonnes" qualify)
            word = v.lower[k - 1]
            if word in self.lex.word_class("multiple_words") and country_seen:
                return True  # "twice Zambia's 0.6 Mt", "more than double the United States' 34.4 Mt"
            country = hits.ending_at("COUNTRY", k - 1, within=4) if word in ("'s", "’s", "'", "’") else None
            if country is not None:
                k = country[0]  # "than the United States' 34.4 Mt": a country's figure compared
                country_seen = True
                steps += 1
                continue
            flow = hits.ending_at("FLOW", k - 1, within=2) if word == "of" else None
            if flow is not None:
                k = flow[0]  # "as compared to import of 15,103 metric tons": the flow compared
                while k - 1 > r.start and hits.covering("FLOW", k - 1) is not None:
                    k -= 1  # "February's shipment volume of"
                steps += 1
                continue
            if word == "of" and k - 2 > r.start and v.lower[k - 2] in self._figure_nouns():
                k -= 1
                while k - 1 > r.start and (v.lower[k - 1] in self._figure_nouns() or hits.covering("FLOW", k - 1)):
                    k -= 1  # "compared with February's shipment volume of 54,800 tonnes", "the April record of"
                month = hits.ending_at("MONTH", k, within=2)
                if month is not None:
                    k, dated = month[0], True  # "the April record of": a month's figure
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
        if c is not None and ci > 0 and f.kind == "qty" and r.clauses[ci - 1].kind == "comparison" and v.words[f.start - 1] == "(" \
                and any(m.end == f.start - 1 and m.start >= r.clauses[ci - 1].start for m in r.periods):
            return True  # "compared to the same period in 2024 (14.23 million tonnes)"
        return False

    def _figure_nouns(self) -> frozenset:
        """Nouns that name a figure before 'of' ('volume', 'total', 'record', 'high')."""
        nouns = self._figure_noun_set
        if nouns is None:
            nouns = self._figure_noun_set = self.lex.word_class("seen_volume_nouns") | self.lex.word_class("extremes")
        return nouns

    _figure_noun_set = None

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
        figures = [f for f in self._without_glosses(r, figures) if not self._terms_after(f, "VALUE_TERMS", r)]
        figures = [f for f in figures if not self._threshold(r, f, figures)]
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
                alone = not self._compared_with_range(r, f)
                if alone and not self._dated_alone(r, f, figures):
                    continue
            else:
                alone = False
            if f.kind == "qty":
                g = self._pending.pop(id(f), None) or Group(qty=f, compared_alone=alone)
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
        if self._terms_after(f, "VOLUME_TERMS", r):
            return False  # "earning US$640 million, down 7.4% in volume": the tonnage's change
        if nxt is not None and nxt.kind == "qty" and self._is_base(r, nxt) and nxt.start - f.end <= 3:
            return False  # "worth Rs 9,850 crore, up 18 per cent from 12.5 lakh tonnes": measured in tonnes
        if nxt is not None and nxt.kind == "money" and self._linked_forward(f, nxt) \
                and not (prev is not None and prev.kind == "qty" and self._apposed_change(prev, f)):
            return True  # (not "636,000 tonnes of seafood, a decrease of 7 percent ..., at a value of ...")
        if prev is not None and prev.kind == "money":
            pc = r.clause_at(prev.start)
            if pc == ci or (r.clauses and r.clauses[ci].kind in ("trailing", "aside") and pc == ci - 1):
                return True
        return False

    def _apposed_change(self, q: Figure, f: Figure) -> bool:
        """'636,000 tonnes of seafood, a decrease of 7 percent': a change set after a comma right
        behind the quantity it describes."""
        gap = range(q.end, f.start)
        words = self.view.lower[q.end:f.start]
        if "," not in words or len(words) > 8 or ";" in words \
                or any(w in self.lex.word_class("value_term_words") for w in words):
            return False  # (", with their value increasing 37.8 per cent": the money's change)
        return any(self.hits.at("CHANGE", k) for k in gap if k > q.end + words.index(","))

    def _linked_forward(self, f: Figure, q: Figure) -> bool:
        """'fell 3% to 564 tons', 'rose 75% from June to hit ... at 5,577 tons', 'up 30.2%,
        reaching 226 tons': the change leads to the quantity within one clause, or across a
        comma only into a clause that opens with a linking word."""
        v = self.view
        gap = v.lower[f.end:q.start]
        if gap[:1] == ["("] and ")" in gap[:7] and self.hits.at("BASIS", f.end + 1) is not None \
                and self.hits.at("BASIS", f.end + 1)[0] == f.end + gap.index(")"):
            gap = gap[gap.index(")") + 1:]  # "rose 40% (m/m) from 21,500 tons to 30,100": a bracketed basis
        if any(w in (";", "(", ")") for w in gap) or len(gap) > 20:
            return False
        if "," in gap:
            after = gap[len(gap) - gap[::-1].index(","):]
            if after and after[0] == "from" and gap[-1] == "to":
                return True  # "went up by 6.9 percent, from 241,340 tonnes to 258,030 tonnes"
            if not after or after[0] not in self.lex.word_class("link_openers"):
                return False
            return True  # ", reaching the highest monthly total since January with 5,577 tons"
        words = [w for w in gap if w != ","]
        if not words:
            return False
        links = self.lex.word_class("link_words")
        return any(w in links for w in words[-3:])

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

    def _threshold(self, r: Reading, f: Figure, figures: list[Figure]) -> bool:
        """'exceeding 5,000 tonnes for the first time, at 5,430 tonnes': a round mark passed,
        with the figure itself right after it."""
        if f.kind != "qty" or f.qualifier != "over":
            return False
        v = self.view
        after = next((q for q in figures if q.start >= f.end and q.kind == "qty"), None)
        if after is None or after.start - f.end > 8:
            return False
        gap = v.lower[f.end:after.start]
        return gap[-2:] == [",", "at"] or gap[-1:] == ["at"] and "first" in gap

    def _anaphoric_change(self, r: Reading, f: Figure) -> bool:
        """'this is a 16.7 per cent jump': a change in a clause that opens with 'this is'."""
        if not r.clauses:
            return False
        c = r.clauses[r.clause_at(f.start)]
        v = self.view
        return c.start > r.start and c.start + 1 < f.start and v.lower[c.start] in self.lex.word_class("anaphors") \
            and v.lower[c.start + 1] in self.lex.word_class("copulas") and v.words[c.start - 1] == ","

    def _contrast_change(self, r: Reading, g: Group, f: Figure) -> bool:
        """'reached 31.2 Mt, higher than the 30.1 Mt shipped a month prior, but 2% lower than
        November 2024': a change after 'but', with no country or flow word of its own, is the
        quantity's other change."""
        between = self.view.lower[g.qty.end:f.start]
        if "but" not in between or len(between) > 16 or any(g.qty.end <= m.start < f.start for m in r.countries):
            return False
        but = g.qty.end + len(between) - 1 - between[::-1].index("but")
        return not self._flow_between(but, f.start)  # ("the 30.1 Mt shipped a month prior" describes the base)

    def _back_qty(self, r: Reading, f: Figure, qty_groups: list[Group], figures: list[Figure], n: int) -> Optional[Group]:
        """The quantity a change describes: '1,116 tons, up 46% from the prior month', '854 tons,
        +84.5%', '5.24 Mt ..., down from 6.02 Mt a year earlier' (the change after a base)."""
        before = [g for g in qty_groups if g.qty.start < f.start]
        if not before:
            return None
        g = before[-1]
        if self._anaphoric_change(r, f) and r.clauses and self.view.lower[r.clauses[r.clause_at(g.qty.start)].start] == "when":
            return None  # "..., when Spain imported 1.8 Mt, this is a 16.7 per cent jump": the change of the statement before
        q = g.qty
        clauses = r.clauses
        fc, qc = r.clause_at(f.start), r.clause_at(q.start)
        if g.pct is not None and g.pct is not f and g.pct.end <= f.start:
            between = self.view.lower[g.pct.end:f.start]
            if "but" in between and len(between) <= 8 and not self._flow_between(g.pct.end, f.start) \
                    and not any(g.pct.end <= m.start < f.start for m in r.countries):
                return g  # "up 9.6% month on month but down 40.2% year on year": one quantity, two changes
        if g.pct is None and self._contrast_change(r, g, f):
            return g
        if clauses and clauses[fc].statement != clauses[qc].statement:
            return None
        if clauses and fc != qc and clauses[qc].kind == "subordinate" and clauses[fc].kind == "main":
            return None  # "Although the figure is down from 6.9 Mt in September, the October tally is 31% higher"
        # another change already describes this quantity: only "and 15.4% year-on-year"
        if g.pct is not None and g.pct is not f:
            between = self.view.lower[g.pct.end:f.start]
            if not (("and" in between or "," in between) and self._words_besides_basis(r, g.pct.end, f.start) <= 8 and not any(
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

    def _words_besides_basis(self, r: Reading, a: int, b: int) -> int:
        """Tokens in [a, b) outside a basis phrase or what a change is compared with: 'and a
        year-on-year increase of' is four words, 'compared to July of the current year and up' two."""
        inside = set()
        for s, e, _ in self.hits.within("BASIS", a, b):
            inside.update(range(s, e))
        for m in r.periods:
            if m.comparison and a <= m.start and m.end <= b:
                inside.update(range(m.start, m.end))  # "(compared to) July of the current year"
        for s, e, _ in self.hits.within("COMPARISON", a, b):
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

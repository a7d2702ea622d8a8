"""Trade or not, and which way."""
from __future__ import annotations

from typing import Optional

from extractor.claims.assemble.base import Frame, Group, Scope
from extractor.claims.numbers import Figure
from extractor.claims.reading import Reading


class FlowReading:
    """Part of `ArticleAssembler`: whether a figure is a trade flow, and which way it goes."""

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
        if any((scope.rank(s) or (9,))[0] == 0 for s, e, _ in hits.within("DOMESTIC_ORIGIN", r.start, r.end)):
            return None  # "Crushers bought 2.2 million tonnes of soybeans from farmers": procurement
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
            if frame is not None and self._domestic_sales(r, scope, frame.flow):
                return None  # "while sales increased 3.9 per cent to 0.75 million tonnes" in a story of imports
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
        if not own_first and self._domestic_sales(r, scope, nearest[2]):
            return None  # "urea imports rose 41.2 per cent ..., while sales increased 3.9 per cent to 0.75 MT"
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
        if story and frame.flow != story and not any(m.code for m in r.countries) and self._told_by_partner(frame, story):
            return story  # "China bought 148,700 tonnes. ... shipments totalled 2.49 Mt": the story's exports again
        return frame.flow

    def _told_by_partner(self, frame: Frame, story: str) -> bool:
        """The last statement told the story's own trade from its partner's side: a buyer's
        purchases of the story exporter's goods, or a seller's sales to the story importer."""
        own = self.defaults.own_country(story)
        return own is not None and own == (frame.exporter if story == "export" else frame.importer)

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
        for k in range(g.qty.end, min(r.end, g.qty.end + 5)):  # ("a 25-million-ton year-end target")
            found = self.hits.at("NONTRADE", k)
            if (found is not None and found[1] != "share" and not self._sum_named(r, found[0])) or v.lower[k] in nouns:
                return True  # ("7.1 million tons with a value of US$ 0.9 billion" is a worth, not a thing)
            if not (v.lower[k].isalpha() or v.lower[k] == "-") or v.lower[k] in ("of", "in", "to", "from", "and", "or"):
                return False
        return False

    def _domestic_sales(self, r: Reading, scope: Scope, flow: Optional[str]) -> bool:
        """'Sales of DAP eased to 1.1 million tonnes', 'while sales increased 3.9%' in a story of a
        country's imports: sales at home, no flow across a border (no partner named)."""
        if flow != "import":
            return False
        words = self.lex.word_class("home_sale_words")
        own = [k for k in range(r.start, r.end) if self.view.lower[k] in words and (scope.rank(k) or (9,))[0] == 0]
        return bool(own) and not any(m.code and (scope.rank(m.start) or (9,))[0] == 0 for m in r.countries)

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
        return bool(inside) and all(self._terms_after(f, "VALUE_TERMS", r) for f in inside)

    def _terms_after(self, f: Figure, label: str, r: Reading) -> bool:
        """A change measured 'in value' / 'in volume', the phrase right after its figure, or the
        term of its place in a list ('respective increases of 18 percent and 11 percent in
        volume and value')."""
        if not f.is_change:
            return False
        if self.hits.starts_with(label, f.end) or self.hits.starts_with(label, f.end + 1):
            return True
        return self._respective_terms(r).get(id(f)) == label

    def _respective_terms(self, r: Reading) -> dict:
        """{id(change): "VOLUME_TERMS" | "VALUE_TERMS"} for a list of changes followed by as many
        terms ('up 16.8 per cent and 4.8 per cent in volume and value, respectively')."""
        if r._terms_cache is not None:
            return r._terms_cache
        v, found = self.view, {}
        changes = [f for f in r.figures if f.is_change]
        runs: list[list] = []
        for f in changes:
            if runs and all(w in (",", "and") for w in v.lower[runs[-1][-1].end:f.start]) and f.start > runs[-1][-1].end:
                runs[-1].append(f)
            else:
                runs.append([f])
        for run in runs:
            if len(run) < 2:
                continue
            terms = self._terms_list(run[-1].end, r.end)
            if len(terms) == len(run):
                found.update((id(f), t) for f, t in zip(run, terms))
        r._terms_cache = found
        return found

    def _terms_list(self, k: int, end: int) -> list[str]:
        """The terms listed from token k: ', respectively, in volume and value' gives
        ["VOLUME_TERMS", "VALUE_TERMS"]."""
        v = self.view
        kinds = {w: "VOLUME_TERMS" for w in self.lex.word_class("volume_term_words")}
        kinds.update({w: "VALUE_TERMS" for w in self.lex.word_class("value_term_words")})
        terms: list[str] = []
        while k < end and v.lower[k] in (",", "respectively", "and", "in", "by", "terms", "of"):
            k += 1
            while k < end and v.lower[k] in kinds:
                terms.append(kinds[v.lower[k]])
                k += 1
        return terms

    def _in_value_terms(self, r: Reading, g: Group) -> bool:
        own = {r.clause_at(f.start) for f in g.figures}
        ends = {f.end for f in r.figures if f.is_change} | {f.end + 1 for f in r.figures if f.is_change}
        if any(self._terms_after(f, "VOLUME_TERMS", r) for f in g.figures):
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

"""Who shipped to whom: parties stated, joint, respective and carried."""
from __future__ import annotations

from typing import Optional

from extractor.claims import periods as P
from extractor.claims.assemble.base import Frame, Group, JOINT, Scope
from extractor.claims.reading import Reading
from extractor.period import Period, basis_between
from extractor.types import Claim


class PartyReading:
    """Part of `ArticleAssembler`: who shipped to whom: the parties a sentence states, joint and respective parties, and those carried from context."""

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
        bracketed = [x for x in mentions if self._brackets_figure_of(x[0], g) or self._in_change_phrase(x[0], g)]
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
        by_figure = self._respective(r, flow)
        respective = by_figure.get(id(g.qty)) or by_figure.get(id(g.pct))
        if respective is not None:
            m, role = respective
            if role == "exporter":
                exporter, exp_mention = m.code, None
            else:
                importer, imp_mention = m.code, None
        if exporter is not None and exporter == importer and exporter != "WLD":
            # "the country's Angolan crude imports" where the only country named is Angola: a
            # description is not the country it trades with
            if imp_mention is not None and imp_mention.form == "description":
                importer, imp_mention = None, None
            elif exp_mention is not None and exp_mention.form == "description":
                exporter, exp_mention = None, None
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
        if exporter in (None, "WLD") and importer in (None, "WLD") and self._global_flow(r, g):
            return "WLD", "WLD"  # the world's trade: "global seaborne grain exports"
        exporter, importer = self._possessive_pronoun(r, g, flow, exporter, importer, inferred)
        exporter, importer = self._carried(r, g, flow, exporter, importer, inferred)
        d = self.defaults
        if flow == "export":
            home = d.reporter or d.exporter or d.source_country  # the country whose trade the article reports
            if exporter is None and home is not None and home != importer:
                exporter = home
                inferred.append("exporter")
            if importer is None and d.flow == "import" and d.importer and d.importer != exporter \
                    and ((self._story_goods(r, g) or self._named_imports_before(r, g)) and self._imports_before(r, g)
                         or self._story_goods(r, g) and (self._supplier(exp_mention) or self._after_story_imports(r))):
                # "the UAE alone shipped 610,000 tonnes", "Peru supplied 610,000 tonnes",
                # "... imports from the US fell to 310,000 tonnes. The UK shipped 188,000 tonnes.",
                # "Mexico remained the third-largest supplier with ..." in a story of one country's imports
                importer = d.importer
                inferred.append("importer")
            importer = importer or "WLD"
        else:
            if importer is None:
                home = self._home_importer(exporter)
                if home is not None and home != exporter:
                    importer = home
                    inferred.append("importer")
            if exporter is None and d.flow == "export" and d.exporter and d.exporter != importer \
                    and not (imp_mention is not None and imp_mention.by_verb and not self._destination_verb(imp_mention)) \
                    and not self._other_goods_than_story(r, g):
                # "U.S. imports fell 11%" in an article about China's exports: China's goods
                exporter = d.exporter
                inferred.append("exporter")
            exporter = exporter or "WLD"
        return exporter, importer

    def _in_change_phrase(self, m, g: Group) -> bool:
        """'an 84% drop in shipments to China', '8% lower exports to South Korea': the partner
        named inside the change's own noun phrase."""
        if g.qty is not None or g.pct is None:
            return False
        v, hits = self.view, self.hits
        k = g.pct.end
        change = hits.at("CHANGE", k) if k < v.n else None
        if change is None:
            return False
        k = change[0]
        if k < v.n and v.lower[k] in ("in", "of"):
            k += 1
        for _ in range(3):
            if k < v.n and (hits.at("FLOW", k) or hits.at("COMMODITY", k) or v.lower[k] == "the"):
                k += 1
        if k >= v.n or v.lower[k] not in ("to", "from"):
            return False
        return m.start in (k + 1, k + 2) and (m.start == k + 1 or v.lower[k + 1] == "the")

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

    def _statement_subject(self, r: Reading, side: str) -> Optional[str]:
        """'Indonesia's palm oil exports rose in September, data showed. Shipments to India climbed
        12% ...': the one country that the figure-free statement just before names as its subject."""
        before = self._statements.get(r.index - 1)
        if before is None or before.figures or before.para != r.para:
            return None
        flow = "export" if side == "exporter" else "import"
        if [value for _, _, value in before.flows if value in ("export", "import")] != [flow]:
            return None
        named = [m for m in before.countries if m.code]
        if len(named) != 1 or not named[0].subject or named[0].role != side:
            return None
        return named[0].code

    def _after_story_imports(self, r: Reading) -> bool:
        """'The country's imports from the US fell to 310,000 tonnes. The UK shipped 188,000
        tonnes.': right after the story importer's imports, in one paragraph, a seller's shipments
        are more of them."""
        f, d = self.frame, self.defaults
        return f is not None and f.flow == "import" and f.importer == d.importer \
            and f.index == r.index - 1 and f.para == r.para

    def _supplier(self, m) -> bool:
        """'Peru supplied', 'Mexico remained the third-largest supplier': a country said to supply,
        whose buyer is the one whose imports the story reports."""
        if m is None:
            return False
        v, words = self.view, self.lex.word_class("supply_words")
        return any(v.lower[k] in words for k in range(m.end, min(v.n, m.end + 7)))

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

    def _global_flow(self, r: Reading, g: Group) -> bool:
        """'Global seaborne grain exports increased by 3.1% to 520 mln tonnes': the world's
        trade, with no country on either side."""
        v, hits = self.view, self.hits
        ci = r.clause_at(g.anchor)
        words = self.lex.word_class("global_words")
        for s, e, flow in r.flows:
            if r.clause_at(s) != ci or s >= g.anchor:
                continue
            lead = [t for t in range(max(r.start, s - 4), s) if v.lower[t] in words]
            if lead and not any(lead[0] <= m.start < e and m.code for m in r.countries) \
                    and not any(r.clause_at(m.start) == ci and m.code and m.role in ("exporter", "importer") for m in r.countries):
                return True
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
            reporter = d.own_country(d.flow)
            own = "importer" if m.noun_flow == "import" else "exporter"
            if reporter is None or m.code == reporter:
                return own
            return "importer" if d.flow != "import" else "exporter"
        if role == "origin_or_importer":
            main = self.defaults.importer
            return "importer" if main is None or main == m.code else "exporter"
        if m.form == "region" and role == "bare":
            return "partner"
        if role == "set_against":
            return self._side_set_against(m, r)
        return role

    @staticmethod
    def _side_set_against(m, r: Optional[Reading]) -> str:
        """'Exports from Peru rose to 1.9 Mt, while Chile reached 2.61 Mt': Chile is on the side of
        the nearest country before it that has one; with none, a bare country as before."""
        before = [o for o in (r.countries if r is not None else ()) if o.end <= m.start and o.code
                  and o.code != m.code and o.role in ("exporter", "importer")]
        return before[-1].role if before else "bare"

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
        fig = g.qty if g.qty is not None else g.pct
        if at is None:
            return self._listed_months(r, g)
        if fig is None:
            return None
        # "were 6.1 Mt and 5.8 Mt in February and March respectively", "fell 11.7% and 15.7% in
        # March and February, respectively": the months may also follow the run
        run = [f for f in r.figures if (f.kind == "qty" if g.qty is not None else f.is_change) and f.end <= at]
        if len(run) < 2 or fig not in run:
            return None
        months = [m for m in r.periods if m.end <= run[0].start and m.written.kind == "month"]
        if len(months) != len(run):
            months = [m for m in r.periods if run[-1].end <= m.start and m.end <= at and m.written.kind == "month"]
        if len(months) != len(run):
            return None
        resolved = P.resolve(months[run.index(fig)].written, self._anchors(r))
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

    def _respective(self, r: Reading, flow: str) -> dict:
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
        if role is None and all(m.role == "bare" for m in chain) and not self._reporter_in(chain, flow):
            # "Poland was the largest market, with 19,400 tonnes. Denmark and France followed
            # with 14,200 and 12,800 tonnes respectively": partners of the story's own country
            role = "importer" if flow == "export" else "exporter"
        if role is None:
            return {}
        return {id(f): (m, role) for f, m in zip(run, chain)}

    def _reporter_in(self, chain: list, flow: str) -> bool:
        own = self.defaults.own_country(flow)
        return own is None or any(m.code == own for m in chain)

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
        side = "exporter" if flow == "export" else "importer"
        told = self._statement_subject(r, side) if (exporter if flow == "export" else importer) is None else None
        if told is not None and told not in (exporter, importer):
            inferred.append(side)  # the statement just before names whose figures these are
            return (told, importer) if flow == "export" else (exporter, told)
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
                # (the same buyer named again, with no seller, speaks of all its imports)
                if flow == "import" and exporter is None and frame.exporter not in (None, "WLD", importer) \
                        and importer != frame.importer:
                    inferred.append("exporter")
                    return frame.exporter, importer
                if flow == "export" and importer is None and frame.importer not in (None, "WLD", exporter) \
                        and exporter != frame.exporter:
                    inferred.append("importer")
                    return exporter, frame.importer
            return exporter, importer
        # (not the side that varied down a list: "from Colombia ..., from Canada ... and from
        # Mozambique ..." names no one seller of the imports told next)
        if flow == "import" and importer and exporter is None and frame.exporter != importer \
                and frame.importer in (None, "WLD") and "exporter" not in frame.varied:
            inferred.append("exporter")
            exporter = frame.exporter
        if flow == "export" and exporter and importer is None and frame.importer != exporter \
                and frame.exporter in (None, "WLD") and "importer" not in frame.varied:
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

    def _other_goods_than_story(self, r: Reading, g: Group) -> bool:
        """'Imports of soda ash into India climbed 17%' in a story of Ecuador's banana exports:
        another good's buyer, not the story's seller's."""
        commodity = self.defaults.commodity
        if commodity is None:
            return False
        scope = Scope(r, g, set())
        stated = next((m.name for m in scope.order(r.goods, after_ok=True) if m.name and m.known), None)
        return stated is not None and not self._related(stated, commodity)

    def _related(self, a: str, b: str) -> bool:
        def names(name):
            entry = self.lex.commodities.get(name)
            return {name} | ({entry.parent, entry.inclusive_name} - {None} if entry else set())
        return a in names(b) or b in names(a)  # the same goods, or one the other's wider name (not siblings)

    def _home_importer(self, exporter: Optional[str]) -> Optional[str]:
        d = self.defaults
        home = d.exporter
        if d.flow == "export" and home and home != exporter:
            return home
        # "China's exports of aluminium rose ... Imports of copper ore hit a record": the country
        # whose trade the article reports, when no importer has been named
        return d.importer or next((c for c in (d.reporter, d.source_country) if c and c != exporter), None)

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

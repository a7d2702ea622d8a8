"""Countries in a sentence and the part each plays in a flow of goods, from the grammar of trade
reporting rather than from distances:

  "to Japan", "into the EU", "bound for China", "imports ... by China"      importer
  "from Brazil", "out of Chile", "arrivals from Russia"                      exporter
  "China's exports", "Chinese exports", "China exported", "China shipped"    exporter
  "Japan's imports", "Japanese imports", "India bought", "China imported"    importer
  "India's largest supplier" (the possessor buys), "China's top market"      importer / exporter
  "Germany remained the No.1 export destination", "Mexico, the top buyer,"   importer
  "Brazil, China's largest soybean supplier,"                                exporter (and CN importer)
  "Chinese magnets", "American beans", "imports of Chinese rare earths"      exporter (the origin)
  "US shipments" in an article about China's exports                        counterpart
  "Germany – 1,288 tonnes", "South Korea (854 tons)", "Australia: 2.41 Mt"   partner (the other side)
  "US-China talks", "followed by the US", "mostly from Brazil", "Japanese Prime Minister"   none

The word lists (prepositions, relation nouns, verbs) are in models/roles.jsonl and cues.jsonl.
"""
from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Optional

from extractor.claims.lexicon import Lexicon
from extractor.claims.view import Hits, TokenView

PUNCT = frozenset(",;:()[]—–.\"“”")


@dataclass(slots=True)
class CountryMention:
    start: int
    end: int
    code: Optional[str]  # None for a description until it is resolved, and for regions
    form: str  # name | demonym | metonym | description | region
    role: str = "bare"  # exporter | importer | counterpart | partner | origin_or_importer | set_against | bare | none
    description: Optional[dict] = None
    also: Optional[tuple[str, str]] = None  # a second party the phrase names ("China's largest supplier": CN importer)
    by_verb: bool = False  # the role comes from the mention's own verb ("Germany imported")
    subject: bool = False  # the country whose trade the phrase reports ("China's exports", "India bought")
    noun_flow: Optional[str] = None  # a counterpart's own trade noun: "U.S. imports" import, "US shipments" export
    dateline: bool = False  # "ISLAMABAD:", "HANOI (VNA) –": where the story was filed, no party
    ranked: bool = False  # placed by a ranked relation noun: "Indonesia was the top destination"


class RoleReader:
    def __init__(self, view: TokenView, hits: Hits, lex: Lexicon):
        self.view, self.hits, self.lex = view, hits, lex

    def read(self, start: int, end: int, figure_starts: list[int]) -> list[CountryMention]:
        v, hits = self.view, self.hits
        mentions: list[CountryMention] = []
        for s, e, value in hits.within("COUNTRY", start, end):
            if e < v.n and v.words[e] in ("$",) and v.glued(e):
                continue  # "US$301.8 million" is money
            code, form = value
            mentions.append(CountryMention(s, e, code, form))
        for s, e, value in hits.within("REGION", start, end):
            inside = [m for m in mentions if s <= m.start and m.end <= e and m.end - m.start < e - s]
            if inside:  # "North America", "Latin America": the region, not the country in its name
                mentions = [m for m in mentions if m not in inside]
            if any(m.start <= s < m.end or s <= m.start < e for m in mentions):
                continue
            if any(m.code and m.end + 1 == s and v.lower[m.end] in ("'s", "’s") for m in mentions):
                continue  # "Ukraine's Black Sea ports": a part of the country, not a region trading
            if e < end and v.lower[e] in ("'s", "’s") and any(
                    m.code and m.end + 1 == s and v.words[m.end] in (",", "-", "–", "—", "(") for m in mentions):
                continue  # "Uganda, Africa's top exporter,": the region describes the country
            mentions.append(CountryMention(s, e, None, "region"))
        for s, e, value in hits.within("DESCRIPTION", start, end):
            if not any(s <= m.start < e for m in mentions):
                mentions.append(CountryMention(s, e, None, "description", description=value))
            else:
                mentions = [m for m in mentions if not (s <= m.start < e)] + [
                    CountryMention(s, e, None, "description", description=value)]
        mentions.sort(key=lambda m: m.start)
        # "Indonesia, the world's biggest exporter of thermal coal, shipped ...": a description in
        # apposition to a country is that country, not another one to resolve
        mentions = [m for n, m in enumerate(mentions) if not (
            m.form == "description" and n > 0 and mentions[n - 1].code and mentions[n - 1].end + 1 == m.start
            and v.words[mentions[n - 1].end] == ",")]
        for m in mentions:
            if self._dateline(m, start, end):
                m.dateline, m.role = True, "none"
                continue
            m.role = self._role(m, start, end)
        self._compounds(mentions)
        self._placed_among(mentions, end)
        self._lists(mentions, figure_starts, end)
        return mentions

    # ------------------------------------------------------------------ one mention
    def _dateline(self, m: CountryMention, start: int, end: int) -> bool:
        """'ISLAMABAD: Rice exports ...', 'HANOI (VNA) – Vietnam shipped ...', 'BEIJING, Nov 7
        (Reuters) -': a place in capitals opening a sentence, then a colon, comma, bracket or dash."""
        v = self.view
        if m.start != start or m.end >= end or m.form not in ("name", "metonym"):
            return False
        if not all(v.words[k].isupper() and len(v.words[k]) > 1 for k in range(m.start, m.end) if v.words[k].isalpha()):
            return False
        if m.end - m.start == 1 and len(v.words[m.start]) <= 3:
            return False  # "USA, the largest market, imported ...": an abbreviation is written in capitals anyway
        nxt = v.words[m.end]
        if nxt not in (":", ",", "(", "-", "–", "—"):
            return False
        if nxt == "-" and v.glued(m.end) and m.end + 1 < end and v.glued(m.end + 1):
            return False  # "US-bound cargoes": a compound, not a dateline
        return m.end + 1 < end and not v.is_number(m.end + 1)

    def _before(self, s: int, start: int) -> int:
        """Token before the mention, skipping 'the' and a rank compound ('third-ranked Nigeria')."""
        v = self.view
        k = s - 1
        if k - 2 >= start and v.lower[k] in self.lex.word_class("ranked_words") and v.words[k - 1] == "-":
            k -= 3
        elif k >= start and v.lower[k] in self.lex.word_class("ranked_words"):
            k -= 1  # "top ranked Nigeria"
            if k >= start and v.lower[k] in self.lex.word_class("rank_words"):
                k -= 1
        if k >= start and v.lower[k] == "the":
            k -= 1
        return k

    def _titled_relation(self, m: CountryMention, start: int) -> Optional[str]:
        """'Number two supplier Australia', 'top buyer China': a ranked relation noun set right
        before the country as its title."""
        v, hits = self.view, self.hits
        k = m.start
        if k - 1 <= start:
            return None
        source, dest = hits.ending_at("SOURCE_NOUN", k, within=2), hits.ending_at("DEST_NOUN", k, within=2)
        found = source or dest
        if found is None or found[0] <= start:
            return None
        ranks = self.lex.word_class("rank_words") | self.lex.word_class("placing_ranks")
        # a rank word, or a number ("Number two supplier", "No. 3 buyer"); "the market China" is no title
        if not any(v.lower[t] in ranks or v.is_number(t) or hits.at("NUMWORD", t)
                   for t in range(max(start, found[0] - 3), found[0])):
            return None
        return "exporter" if source else "importer"

    def _role(self, m: CountryMention, start: int, end: int) -> str:
        v, hits = self.view, self.hits
        if m.form == "metonym" and m.end < end and v.lower[m.end] in self.lex.word_class("place_nouns"):
            return "none"  # "delivered to Abidjan port": a place in the country, not the country trading
        if m.end + 1 < end and v.words[m.end] == "-" and v.glued(m.end) and v.glued(m.end + 1):
            suffix = v.lower[m.end + 1]
            if suffix in self.lex.word_class("origin_suffixes"):
                return "exporter"  # "Mongolia-origin cargoes", "Brazil-sourced soybeans"
            if suffix in self.lex.word_class("destination_suffixes"):
                return "importer"  # "US-bound cargoes", "China-bound shipments"
        k = self._before(m.start, start) + 1
        titled = self._titled_relation(m, start)
        if titled:
            m.ranked = True
            return titled  # "Number two supplier Australia", "top buyer China": the relation names the side
        if m.start > start + 1 and v.lower[m.start - 1] == "of" and hits.ending_at("SOURCE", m.start - 1, within=8):
            return "none"  # "the Federal Customs Service of Kazakhstan": the source's country, no party
        if m.start > start and m.end < end and v.lower[m.start - 1] in self.lex.word_class("rank_words") \
                and v.lower[m.end] in self.lex.word_class("agent_relations"):
            return "none"  # "the main EU buyer of Chinese gallium": the field a buyer is ranked in
        if k > start:
            part = hits.ending_at("PART_OF_TOTAL", k, within=5)
            if part and m.end + 1 < end and (v.words[m.end] == "(" and v.is_number(m.end + 1)
                                             or v.lower[m.end] == "with" and any(v.is_number(t) for t in range(m.end + 1, min(end, m.end + 4)))):
                # "most of it to China (8,900 t)", "went mainly to Iraq with 1.1 million tonnes":
                # the country's own part follows
                return "importer" if v.lower[k - 1] == "to" else "exporter"
            if part:
                return "none"
            ranked = hits.ending_at("NONROLE", k, within=3)
            compared = hits.ending_at("COMPARISON", k, within=3) and not hits.ending_at("FROM_PREP", k, within=3)
            if (compared or (ranked and ranked[1] == "rank")) and self._relative_verb(m.end, end):
                m.by_verb = True  # "followed by Italy which received ...", "ahead of the Netherlands, which supplied ..."
                return self._relative_verb(m.end, end)
            if compared or (ranked and ranked[1] != "rank"):
                own = self._compared_own_flow(m, end)
                if own:
                    m.subject = True
                    return own  # "lower than Indonesia's 2023 coal exports of 505 Mt": the compared figure's party
            if ranked:
                # "followed by Turkey, the second-largest market, with 4,300 tonnes": ranked
                return "partner" if ranked[1] == "rank" else "none"
            if compared:
                return "none"  # "compared to China"
            if hits.ending_at("FROM_PREP", k, within=3):
                prep = hits.ending_at("FROM_PREP", k, within=3)[0]
                if prep > start and v.lower[prep - 1] in self.lex.word_class("data_words"):
                    return "none"  # "data from China's customs": a source, not an origin
                return "exporter"
            to = hits.ending_at("TO_PREP", k, within=4)
            if to and to[0] > start and hits.covering("ATTRIBUTION", to[0]) is not None:
                return "bare"  # "according to the Vietnam Coffee and Cocoa Association": a source
            if to and m.form == "metonym" and v.lower[to[0]] == "reached":
                return "none"  # "21,000 tonnes reached Abidjan": a port reached, not a buyer
            if to:
                return "importer"
            if v.lower[k - 1] == "by":
                flow = self._flow_before(k - 1, start)
                if flow is None and k - 2 >= start and v.lower[k - 2] in self.lex.word_class("export_neutral"):
                    flow = "export"  # "the volume of coffee shipped by Uganda"
                if flow == "import":
                    return "importer"  # "imports of copper concentrate by China"
                if flow == "export":
                    return "exporter"  # "exports of iron ore by Brazil to Malaysia"
            if v.lower[k - 1] in ("in", "at") and self._flow_before(k - 1, start) == "import":
                return "importer"  # "coal arrivals in Pakistan", "imports in India"
        if m.form == "region":
            return "bare"
        if self._contrast_subject(m, start, end):
            m.subject = True
            return "set_against"  # "..., while Chile reached 2.61 Mt": Chile's own figure
        # "Brazil, China's largest soybean supplier, ..." : the appositive names both parties
        after = m.end
        relative = self._relative_verb(after, end)
        if relative:
            m.by_verb = m.subject = True
            return relative  # "Brazil, which shipped 14.1 million tonnes to China, ..."
        apposition = self._apposition(after, end)
        if apposition is not None:
            role, also = apposition
            if also is not None:
                m.also = also
            if role:
                return role
        placed = self._placing(after, end)
        standing = self._standing_as(after, end) or self._ranked_after(after, end) or (placed and placed[0])
        if standing:
            m.ranked = True
            return standing  # "... as the top rice exporter to ...", "with Indonesia the top destination at ..."
        if self._with_placed(m, start, end):
            m.subject = True
            return "set_against"  # "..., with Japan a distant second at 24,100 tonnes": on China's side
        possessive = after < end and v.lower[after] in ("'s", "’s", "'", "’")
        j = after + 1 if possessive else after
        if possessive and any(v.lower[t] in self.lex.word_class("kin_nouns") for t in range(j, min(end, j + 3))):
            return "none"  # "Mongolia, China's northern neighbour": a description, not a party
        if not possessive and (m.form != "demonym" or hits.at("AGENT_NOUN", after)):
            verb = self._verb_after(after, end)  # "Germany imported", "Indian steelmakers are expected to import"
            if verb:
                m.by_verb = m.subject = True  # "Germany imported", "Brazil has shipped"
                return verb
        self._noun_flow = None
        role = self._noun_after(j, end, possessive=possessive, form=m.form)
        owner = m.start - 1
        while owner > start and m.start - owner <= 2 and v.lower[owner] in self.lex.forms.get("modifier", ()):
            owner -= 1  # "the country's total Angolan crude imports"
        if role in ("exporter", "importer", "origin_or_importer") and not possessive and owner > start \
                and v.lower[owner] in ("'s", "’s") \
                and (hits.ending_at("COUNTRY", owner, within=4) or hits.ending_at("DESCRIPTION", owner, within=4)):
            # "Thailand's U.S. crude oil imports": the second country is the partner of the first's flow
            return "importer" if role == "exporter" else "exporter"
        if role:
            m.subject = role in ("exporter", "importer")
            m.noun_flow = self._noun_flow
            return role
        if possessive and m.start > start and v.lower[m.start - 1] == "of" and self._origin_before_goods(j, end):
            return "exporter"  # "the main destination of Peru's copper concentrate": the goods' origin
        if not possessive:
            verb = self._verb_after(self._past_aside(after, end), end)
            if verb:
                m.by_verb = m.subject = True
                return verb  # "Norway, inside the single market through the EEA, supplied 950,000 tonnes"
            copula = self._copula_relation(after, end)
            if copula:
                m.ranked = True
                return copula
            if hits.at("SHARE_VERB", after):
                return "partner"  # "Australia accounts for ... at 79.91 million tonnes"
            if m.start == start and after < end and v.lower[after] in self.lex.word_class("experience_verbs") \
                    and any(hits.at("CHANGE", t) or hits.at("PERCENT", t) for t in range(after + 1, min(end, after + 6))):
                return "partner"  # "Nigeria saw a 35% rise, from 410,000 tons ...": a partner of the story's flow
            gerund = self._by_doing(after, end)
            if gerund:
                m.subject = True
                return gerund  # "Vietnam earned 5.4 billion USD from exporting 1.9 million tonnes"
            if m.form in ("demonym", "name") and self._origin_before_goods(after, end):
                return "exporter"  # "imports of Chinese rare earths", "U.S. soybeans"
        served = self._relation_for(m.start, start)
        if served:
            return served  # "the largest beef market for New Zealand": New Zealand sells
        if self._recipient_before(m.start, start):
            return "importer"  # "the largest recipient ... was Germany"
        if m.form == "demonym" and m.start > start and v.lower[m.start - 1] == "of" and \
                (hits.ending_at("UNIT", m.start - 1, within=3) or hits.ending_at("FLOW", m.start - 1, within=3)):
            return "exporter"  # "12,000 tonnes of Peruvian blueberries", "imports of Chinese X"
        return "bare"

    def _compared_own_flow(self, m: CountryMention, end: int) -> Optional[str]:
        """'than Indonesia's 2023 coal exports of 505 million tonnes': a compared country's own flow
        noun followed by 'of' and a figure names the compared figure's party."""
        v = self.view
        j = m.end
        if j >= end or v.lower[j] not in ("'s", "’s", "'", "’"):
            return None
        self._noun_flow = None
        role = self._noun_after(j + 1, end, possessive=True, form=m.form)
        if role not in ("exporter", "importer"):
            return None
        for k in range(j + 1, min(end - 1, j + 10)):
            if v.lower[k] == "of" and v.is_number(k + 1):
                return role
            if v.words[k] in PUNCT:
                return None
        return None

    def _with_placed(self, m: CountryMention, start: int, end: int) -> bool:
        """'with Japan a distant second at 24,100 tonnes', 'with Spain third on 9,800 tonnes': a
        country after 'with', placed in a ranking (or not: 'with Japan at ...'), then 'at'/'on'/'with'
        and a figure; it trades on the side of the country it is placed against."""
        v, lex = self.view, self.lex
        if m.start <= start or v.lower[m.start - 1] != "with":
            return False
        gap, ranks = lex.word_class("placing_gap"), lex.word_class("rank_words")
        ranked = False
        for k in range(m.end, min(end - 1, m.end + 6)):
            w = v.lower[k]
            if w in ranks or w in lex.word_class("placing_ranks"):
                ranked = True
            elif (ranked or k == m.end) and w in lex.word_class("placing_leads") and v.is_number(k + 1):
                return True  # ("with Japan at 24,100 tonnes": placed by its figure alone)
            elif w not in gap:
                return False
        return False

    def _contrast_subject(self, m: CountryMention, start: int, end: int) -> bool:
        """'..., while Chile reached 2.61 million tonnes': a country named right after 'while', then a
        verb of level and a figure, is the subject of that figure."""
        v, lex = self.view, self.lex
        if m.form != "name" or m.start <= start or m.end + 1 >= end:
            return False
        if v.lower[m.start - 1] not in lex.word_class("contrast_openers"):
            return False
        if v.lower[m.end] not in lex.word_class("level_verbs"):
            return False
        return any(v.is_number(t) for t in range(m.end + 1, min(end, m.end + 5)))

    def _by_doing(self, after: int, end: int) -> Optional[str]:
        """'X earned ... from exporting', 'X raked in ... by selling': the subject trades on the
        side of the flow its verb's means name."""
        v, hits = self.view, self.hits
        for k in range(after, min(end - 1, after + 12)):
            if v.words[k] in PUNCT:
                return None
            if v.lower[k] in self.lex.word_class("means_words"):
                found = hits.at("FLOW", k + 1)
                if found and found[1] in ("export", "import") and v.lower[k + 1].endswith("ing"):
                    return "exporter" if found[1] == "export" else "importer"
        return None

    def _flow_before(self, k: int, start: int) -> Optional[str]:
        """The direction of the trade noun a few words before token k, if any."""
        for j in range(k - 1, max(start - 1, k - 6), -1):
            found = self.hits.at("FLOW", j)
            if found and found[1] in ("import", "export"):
                return found[1]
            if self.view.words[j] in PUNCT:
                return None
        return None

    def _ranked_after(self, after: int, end: int) -> Optional[str]:
        """'with Indonesia the top destination at 412,000 tonnes': a ranked relation noun right
        after the country, with no comma between."""
        v = self.view
        if after + 2 >= end or v.lower[after] != "the" or v.lower[after + 1] not in self.lex.word_class("rank_words"):
            return None
        return self._relation_side(after + 2, min(end, after + 6), stop_at_number=True)

    def _standing_as(self, after: int, end: int) -> Optional[str]:
        """'X remains/continues ... as the top rice exporter (to Y)': the ranked agent noun
        after 'as the' says which side X trades on."""
        v = self.view
        for k in range(after, min(end - 2, after + 8)):
            if v.words[k] in (",", ";", ":", "(") or v.is_number(k):
                return None
            if v.lower[k] == "as" and v.lower[k + 1] in ("the", "its", "a") and v.lower[k + 2] in self.lex.word_class("rank_words"):
                return self._relation_side(k + 3, min(end, k + 8), agents=True)
            if v.lower[k] == "as" and v.lower[k + 1:k + 3] in (["world", "'s"], ["world", "’s"]) and k + 3 < end \
                    and v.lower[k + 3] in self.lex.word_class("rank_words"):
                return self._relation_side(k + 4, min(end, k + 9), agents=True)  # "takes crown as world's top LNG exporter"
        return None

    def _placing(self, after: int, end: int) -> Optional[tuple[Optional[str], int]]:
        """'Thailand ranks second after India with a total export of 2.11 Mt', 'Vietnam came
        third with 4.3 Mt of rice exports', 'the US followed with 41,200 tonnes': a country
        placed in a ranking, then 'with' its figure, trades on the side of the sentence's flow.
        The side and where 'with' stands."""
        v, hits = self.view, self.hits
        if after + 1 < end and v.lower[after] in ("has", "have", "had"):
            after += 1  # "USA has topped the chart of major importers ... with"
        following = after < end and v.lower[after] in self.lex.word_class("following_verbs")
        if after >= end or not (following or v.lower[after] in self.lex.word_class("placing_verbs")):
            return None
        gap = self.lex.word_class("placing_gap")
        ranks = self.lex.word_class("rank_words")
        places = self.lex.word_class("placing_ranks")
        ranked = following  # "The United States followed with 41,200 tonnes": next in the ranking
        for k in range(after + 1, min(end, after + 12)):
            if v.lower[k] == "with":
                if not ranked:
                    return None
                flow = next((value for s, e, value in hits.within("FLOW", after, end) if value in ("export", "import")), None)
                side = {"export": "exporter", "import": "importer"}.get(flow)
                if side == "exporter" and hits.any_within("COUNTRY", k + 1, end):
                    side = "importer"  # "took third place with total exports of Indonesian coal of ...": a buyer
                return side or self._ranking_side(after), k
            if v.words[k] == "," and ranked and k + 1 < end and v.lower[k + 1].endswith("ing"):
                flow = hits.at("FLOW", k + 1) or hits.at("FLOW_VERB", k + 1)
                side = {"export": "exporter", "import": "importer"}.get(flow[1]) if flow else None
                if side is None and v.lower[k + 1] in self.lex.word_class("destination_verbs"):
                    side = "importer"  # "Nigeria ranked fourth, taking 180,000 tonnes"
                if side:
                    return side, k + 1  # "Israel ranked second, importing 38,500 tonnes"
            if v.lower[k] in ranks or v.lower[k] in places:
                ranked = True
            elif v.lower[k] not in gap and not hits.covering("COUNTRY", k) and not self._placing_detail(k):
                return None
        return None

    RANKING_REACH = 80  # tokens back to the noun that says what a ranking is of

    def _ranking_side(self, after: int) -> Optional[str]:
        """'The main buyers were ... China comes second with 0.81 Mt': with no flow word, the
        ranking's noun before it says the side (buyers, markets: importer; suppliers, exporters:
        exporter)."""
        first = max(0, after - self.RANKING_REACH)
        dest = [s for s, e, _ in self.hits.within("DEST_NOUN", first, after)]
        source = [s for s, e, _ in self.hits.within("SOURCE_NOUN", first, after)]
        if not dest and not source:
            return None
        return "importer" if max(dest, default=-1) > max(source, default=-1) else "exporter"

    def _placing_detail(self, k: int) -> bool:
        """Goods and a month may say what the ranking is of: 'first place in soybean meal exports in September'."""
        hits = self.hits
        return bool(hits.covering("COMMODITY", k) or hits.covering("MONTH", k))

    def _noun_after(self, j: int, end: int, *, possessive: bool, form: str) -> Optional[str]:
        """The flow or relation noun a mention governs within one noun phrase: 'China's total
        rare earth magnet exports', 'India's top supplier', 'Japanese LNG imports'."""
        v, hits = self.view, self.hits
        goods = False
        skip = -1
        for count, k in enumerate(range(j, min(end, j + 11))):
            if k <= skip:
                continue
            if v.words[k] == "(" and k + 2 < end and v.words[k + 2] == ")" and v.words[k + 1].isupper():
                skip = k + 2  # "South Korea's liquefied natural gas (LNG) imports": an abbreviation
                continue
            if v.words[k] in PUNCT or v.is_number(k) and not self._is_year(k) and not self._shorthand_period(k):
                return None
            if count > 6:
                return None
            dest, source = hits.at("DEST_NOUN", k), hits.at("SOURCE_NOUN", k)
            if dest or source:
                ranked = any(v.lower[t] in self.lex.word_class("rank_words") for t in range(j, k))
                agent = v.lower[k] in self.lex.word_class("agent_relations")
                if not possessive:
                    if agent and form in ("demonym", "name") and not ranked:
                        # "Brazilian exporters shipped", "Chinese buyers booked"
                        return self._agent_side(v.lower[k])
                    return None
                if agent and not ranked:
                    # "the country's grain exporters", "Chinese buyers": the possessor's own agents
                    return self._agent_side(v.lower[k])
                # "India's largest supplier" (India buys), "China's top market" (China sells)
                return "exporter" if dest else "importer"
            flow = hits.at("FLOW", k)
            if flow:
                kind = flow[1]
                if kind == "export" or (kind == "neutral" and v.lower[k] in self.lex.word_class("export_neutral")):
                    if not possessive and form == "name" and v.lower[k] in self.lex.word_class("counterpart_nouns"):
                        self._noun_flow = "export"
                        return "counterpart"  # "US shipments": the other side of the article's exports
                    return "exporter"
                if kind == "import":
                    nxt = hits.at("FLOW", k + 1) if k + 1 < end else None
                    if not possessive and nxt and nxt[1] == "export":
                        return "exporter"  # "Chinese buyers sold"
                    if not possessive and goods and form in ("demonym", "name"):
                        return "origin_or_importer"  # "Russian crude arrivals" or "Japanese LNG imports"
                    if not possessive and form == "name":
                        self._noun_flow = "import"
                        return "counterpart"  # "Brazil arrivals", "U.S. imports": settled by the article's side
                    return "importer"
                return None
            if possessive and count == 0 and v.lower[k] in self.lex.word_class("share_nouns") and self._own_volume_after(k, end):
                return "partner"  # "Russia's share fell to 8.2%, with 0.38 million tonnes": Russia's part of the flow
            if hits.at("COUNTRY", k):
                if hits.at("COUNTRY", k)[1][1] == "demonym":
                    continue  # "India's Russian oil imports": the demonym qualifies the goods
                if possessive and count == 0 and hits.at("COUNTRY", k)[1][1] == "name":
                    skip = hits.at("COUNTRY", k)[0] - 1  # "Thailand's U.S. crude oil imports": so does a name
                    continue
                return None
            if hits.at("COMMODITY", k) or hits.at("COMMODITY_WEAK", k) or v.lower[k] in self.lex.forms.get("mass", ()):
                goods = True  # ("Canadian ore imports": a mass noun names goods too)
                continue
            if goods and v.lower[k] in self.lex.word_class("goods_joiners") and k + 1 < end \
                    and (hits.at("COMMODITY", k + 1) or hits.at("COMMODITY_WEAK", k + 1)):
                continue  # "India's coal and coke imports": two goods, one flow noun
            if count == 0 and possessive and k + 2 < end and v.lower[k].isalpha() and v.lower[k] not in self.lex.word_class("stop_noun_phrase") \
                    and v.lower[k + 1] in self.lex.word_class("goods_joiners") \
                    and (hits.covering("COMMODITY", k + 2) is not None or hits.at("COMMODITY", k + 2)):
                goods = True  # "Thailand's raw and refined sugar exports": a kind shared with the goods after "and"
                continue
            if v.lower[k] in self.lex.word_class("stop_noun_phrase"):
                return None
        return None

    def _own_volume_after(self, k: int, end: int) -> bool:
        """'with 0.38 million tonnes', 'or 410,000 tonnes' after the share: the part's own volume."""
        v = self.view
        for j in range(k + 1, min(end, k + 12)):
            if v.lower[j] in ("with", "or", "at") and any(self.hits.at("UNIT", t) for t in range(j + 1, min(end, j + 5))):
                return True
        return False

    def _shorthand_period(self, k: int) -> bool:
        """'9M25', '1H 2025', '3Q25': a period in trade-press shorthand, inside a noun phrase."""
        v = self.view
        if k + 2 < v.n and v.words[k + 1] == "-" and v.glued(k + 1) and v.lower[k + 2] in self.lex.word_class("base_span_words"):
            return True  # "Vietnam's 11-month rice exports"
        return k + 1 < v.n and v.glued(k + 1) and re.fullmatch(r"[mMhHqQ](?:\d\d)?", v.words[k + 1]) is not None

    def _is_year(self, k: int) -> bool:
        w = self.view.words[k]
        return len(w) == 4 and w[:2] in ("19", "20")

    def _verb_after(self, after: int, end: int) -> Optional[str]:
        """'China exported', 'India also bought', 'Brazil has shipped', 'Indian mills exported'."""
        v, hits = self.view, self.hits
        for k in range(after, min(end, after + 6)):
            verb = hits.at("FLOW_VERB", k)
            if verb and v.lower[k] in self.lex.word_class("weak_verbs") and not any(
                    v.is_number(t) or hits.at("COMMODITY", t) for t in range(k + 1, min(end, k + 8))):
                verb = None  # "Australia takes crown as top exporter": a take without goods is no trade
            if verb and (v.lower[k] not in self.lex.word_class("goods_heads") or (k > 0 and v.lower[k - 1] == "to")):
                return "exporter" if verb[1] == "export" else "importer"  # "shipped", "plans to export"
            if v.words[k] in PUNCT:
                return None
            if v.lower[k] not in self.lex.word_class("verb_gap") and not hits.at("AGENT_NOUN", k):
                return None
        return None

    def _past_aside(self, after: int, end: int) -> int:
        """The token after a comma-delimited aside that follows a name (', inside the single market,')."""
        v = self.view
        if after < end and v.words[after] == ",":
            for j in range(after + 1, min(end, after + 14)):
                if v.is_number(j) or v.words[j] in (";", "(", ")"):
                    break
                if v.words[j] == ",":
                    return j + 1
        return after

    def _relative_verb(self, after: int, end: int) -> Optional[str]:
        v = self.view
        if after + 2 < end and v.words[after] == "," and v.lower[after + 1] in self.lex.word_class("relative_pronouns"):
            return self._verb_after(after + 2, end)
        if after + 1 < end and v.lower[after] in ("which", "that"):
            return self._verb_after(after + 1, end)  # "followed by Italy which received 187,200 mt", "by Peru that exported"
        return None

    def _copula_relation(self, after: int, end: int) -> Optional[str]:
        """'Germany remained the No.1 export destination', 'Australia was the top supplier'."""
        v = self.view
        if after + 1 < end and v.lower[after] in self.lex.word_class("copula_auxiliaries"):
            after += 1  # "Italy has been the biggest buyer of ..."
        if after >= end or v.lower[after] not in self.lex.word_class("copulas"):
            return None
        return self._relation_side(after + 1, min(end, after + 8), through_stops=True)

    def _relation_side(self, start: int, stop: int, *, agents: bool = False, stop_at_number: bool = False,
                       through_stops: bool = False) -> Optional[str]:
        """The side a relation noun in tokens [start, stop) names for the country before it:
        a destination or buyer imports, a supplier or seller exports ('the top destination',
        'the largest supplier', with `agents` also 'the top exporter'); punctuation ends the
        search (a full stop too unless `through_stops`), and with `stop_at_number` a number."""
        v, hits = self.view, self.hits
        for t in range(start, stop):
            if agents and v.lower[t] in self.lex.word_class("agent_relations"):
                return self._agent_side(v.lower[t])
            if hits.at("DEST_NOUN", t):
                return "importer"
            if hits.at("SOURCE_NOUN", t):
                return "exporter"
            if v.words[t] in PUNCT and not (through_stops and v.words[t] == ".") or (stop_at_number and v.is_number(t)):
                return None
        return None

    def _agent_side(self, word: str) -> str:
        """'exporters', 'sellers', 'suppliers' trade on the selling side; 'buyers', 'importers' on the other."""
        return "exporter" if word in self.lex.word_class("selling_agents") else "importer"

    def _apposition(self, after: int, end: int) -> Optional[tuple[Optional[str], Optional[tuple[str, str]]]]:
        """', the top buyer,' / ', China's largest soybean supplier,' right after a country."""
        v, hits = self.view, self.hits
        if after >= end or v.words[after] != ",":
            return None
        k = after + 1
        close = None
        for j in range(k, min(end, k + 10)):
            if v.words[j] == ",":
                close = j
                break
            if v.words[j] in (";", "(", ")") or v.is_number(j):
                return None
        if close is None:
            close = min(end, k + 10)
        if v.lower[k] not in ("the", "a", "an", "another", "one", "its", "their") and not hits.at("COUNTRY", k) \
                and v.lower[k] not in self.lex.word_class("rank_words"):
            return None  # an appositive names a role as a noun phrase ("the top buyer", "China's largest supplier")
        also = None
        role = None
        for j in range(k, close):
            country = hits.at("COUNTRY", j)
            if country and j + 1 < close and v.lower[country[0]] in ("'s", "’s"):
                code = country[1][0]
                for t in range(country[0] + 1, close):
                    if hits.at("SOURCE_NOUN", t):
                        return "exporter", (code, "importer")
                    if hits.at("DEST_NOUN", t):
                        return "importer", (code, "exporter")
            if hits.at("SOURCE_NOUN", j):
                role = role or "exporter"
            if hits.at("DEST_NOUN", j):
                role = role or "importer"
        if role:
            return role, also
        return None

    def _origin_before_goods(self, after: int, end: int) -> bool:
        """'Chinese magnets', 'U.S. soybeans', 'Canadian lentils', 'Peruvian blueberries'."""
        from extractor.claims.goods import goods_words
        hits, v = self.hits, self.view
        if after >= end:
            return False
        if hits.at("COMMODITY", after) is not None or hits.at("COMMODITY_WEAK", after) is not None:
            return True
        for k in range(after, min(end, after + 3)):
            if not v.lower[k].isalpha() or hits.at("FLOW", k):
                return False
            if v.lower[k] in goods_words(self.lex) or v.lower[k].rstrip("s") in goods_words(self.lex):
                return True
        return False

    def _relation_for(self, s: int, start: int) -> Optional[str]:
        """'the top market for New Zealand' (New Zealand sells), 'the main supplier for China'
        (China buys): a relation noun, then 'for' and the country it serves."""
        v, hits = self.view, self.hits
        k = s - 1
        if k > start and v.lower[k] == "the":
            k -= 1
        if k <= start or v.lower[k] != "for":
            return None
        if hits.ending_at("DEST_NOUN", k, within=3):
            return "exporter"
        if hits.ending_at("SOURCE_NOUN", k, within=3):
            return "importer"
        return None

    def _recipient_before(self, s: int, start: int) -> bool:
        """'The largest recipient of Chinese magnets during this period was Germany'."""
        v, hits = self.view, self.hits
        k = s - 1
        if k < start or v.lower[k] not in self.lex.word_class("copulas"):
            return False
        for j in range(k - 1, max(start - 1, k - 10), -1):
            if hits.at("DEST_NOUN", j):
                return True
            if v.words[j] in PUNCT:
                return False
        return False

    # ------------------------------------------------------------------ between mentions
    def _placed_among(self, mentions: list[CountryMention], end: int) -> None:
        """'Vietnam came third behind Brazil and Indonesia with ...': the countries it is
        placed against are ranked, not parties to its figure."""
        for m in mentions:
            if m.role not in ("exporter", "importer"):
                continue
            placed = self._placing(m.end, end)
            if placed and placed[0] == m.role:
                for other in mentions:
                    if m.end <= other.start < placed[1]:
                        other.role = "none"

    def _compounds(self, mentions: list[CountryMention]) -> None:
        """'US-China agreement', 'U.S.–China talks': neither is a party to a figure."""
        v = self.view
        for left, right in zip(mentions, mentions[1:]):
            if right.start == left.end + 1 and v.words[left.end] in ("-", "–", "/") and v.glued(left.end) and v.glued(right.start):
                left.role = right.role = "none"
        for m in mentions:
            k = m.start
            if k >= 2 and v.words[k - 1] in ("-", "–") and v.lower[k - 2] in self.lex.word_class("compound_prefixes"):
                m.role = "none"

    def _lists(self, mentions: list[CountryMention], figure_starts: list[int], end: int) -> None:
        """'to Japan (+9.7%) and Mexico (+3.1%)', 'China took 16.5 Mt and India 9.8 Mt': a bare
        country in a list takes the role of the country that heads the list."""
        v = self.view
        for n, m in enumerate(mentions):
            if m.role == "partner" and n > 0 and self.hits.ending_at("NONROLE", self._before(m.start, 0) + 1, within=3):
                # "Germany took 18,400 tonnes ..., followed by the UAE with 9,100 tonnes": the same side
                # the country ranked before the follower, else the nearest party (not "Vietnamese"
                # of "Vietnamese cashew nuts"): "Indonesia was the top destination for Brazil's
                # meal, ..., followed by Thailand" follows Indonesia
                head = next((o for o in reversed(mentions[:n]) if o.ranked and o.role in ("importer", "exporter")), None) \
                    or next((o for o in reversed(mentions[:n]) if o.role in ("importer", "exporter")
                             and o.form != "demonym"), None)
                if head is None and any(o.role == "partner" and o.form != "demonym" for o in mentions[:n]):
                    continue  # "was led by Iraq with 1.1 million tonnes, followed by South Africa (0.62 million)": ranked alike
                head = head or next((o for o in reversed(mentions[:n]) if o.role in ("importer", "exporter")), None)
                if head is not None and any(head.end <= f < m.start for f in figure_starts):
                    m.role = head.role
                continue
            if m.role != "bare" or n == 0:
                continue
            prev = mentions[n - 1]
            if prev.role not in ("importer", "exporter", "counterpart"):
                continue
            between = v.lower[prev.end:m.start]
            if between and between[-1] == "the":
                between = between[:-1]  # "... and the United States (2,100 tonnes)"
            joined = bool(between) and between[-1] in ("and", ",", "&", "or") or (between[-2:] == [",", "and"])
            if not joined:
                continue
            # the earlier mention's figure (if any) lies between them: a list of figures
            figure_between = any(prev.end <= f < m.start for f in figure_starts)
            figure_after = any(m.end <= f < min(end, m.end + 6) for f in figure_starts)
            if figure_between or figure_after or len(between) <= 2:
                m.role = prev.role

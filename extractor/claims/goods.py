"""The goods a sentence names: commodities of the taxonomy (models/commodities.jsonl), and goods
it has never met, read from the grammar of trade reporting ("exports of chromite", "cashew nut
imports", "45,000 tonnes of cotton yarn") and normalised with models/commodity_forms.jsonl
(lower case, the usual plural of count nouns, generic words like "products" left out).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from extractor.claims.lexicon import Lexicon
from extractor.claims.view import Hits, TokenView

PUNCT = frozenset(",;:()[]—–.\"“”'’!?/")


@dataclass(slots=True)
class GoodsMention:
    start: int
    end: int
    name: Optional[str]  # canonical name when the taxonomy knows it, else the normalised phrase
    known: bool
    weak: bool = False  # an everyday word ("oil", "lead") that names goods only beside a trade word
    anaphor: bool = False  # "the oilseed", "the metal": the goods already spoken of


class GoodsReader:
    def __init__(self, view: TokenView, hits: Hits, lex: Lexicon):
        self.view, self.hits, self.lex = view, hits, lex
        self.stop = lex.word_class("goods_stop")
        self.heads = goods_words(lex)

    def read(self, start: int, end: int) -> list[GoodsMention]:
        hits = self.hits
        found: list[GoodsMention] = []
        lower = self.view.lower
        for s, e, name in hits.within("COMMODITY", start, end):
            if s - 1 > start and " ".join(lower[s - 2:s]) in self.lex.word_class("field_leads"):
                continue  # "the highest among all fertilizers": the field ranked in, not the flow's goods
            found.append(GoodsMention(s, e, name, True))
        infinitive = self.lex.word_class("infinitive_markers")
        for s, e, name in hits.within("COMMODITY_WEAK", start, end):
            if s > start and self.view.lower[s - 1] in infinitive:
                continue  # "continues to lead foreign sales": the verb, not the metal
            if not any(m.start <= s < m.end for m in found) and self._trade_beside(s, e, start, end):
                found.append(GoodsMention(s, e, name, True, weak=True))
        for mention in self._unknown(start, end, found):
            found.append(mention)
        self._shared_heads(start, found)
        self._modifiers(found)
        self._anaphors(start, end, found)
        found.sort(key=lambda m: m.start)
        return found

    @staticmethod
    def _modifiers(found: list) -> None:
        """'high-sulphur fuel oil', 'coal ash': known goods right before other known goods modify
        them; the last names what the phrase is."""
        heads = {m.start for m in found if m.known}
        found[:] = [m for m in found if not (m.known and m.end in heads)]

    def _shared_heads(self, start: int, found: list) -> None:
        """'thermal and coking coal': two kinds of goods sharing the head word name their common
        group (coal), not the second kind alone."""
        v, names = self.view, alias_names(self.lex)
        for n, m in enumerate(found):
            k = m.start
            if not m.known or m.end - k < 2 or k - 2 < start or v.lower[k - 1] not in ("and", "&", "or"):
                continue
            other = names.get(" ".join([v.lower[k - 2]] + v.lower[k + 1:m.end]))
            if other is None or other == m.name:
                continue
            found[n] = GoodsMention(k - 2, m.end, self._common_group(other, m.name), True)

    def _common_group(self, a: str, b: str) -> str:
        """The nearest group that holds both goods ('thermal coal' and 'coking coal': coal)."""
        above_a = self.lex.lineage(a)
        return next((g for g in self.lex.lineage(b) if g in above_a), b)

    def _anaphors(self, start: int, end: int, found: list) -> None:
        """'the oilseed', 'this metal': a second reference, resolved by the assembler."""
        v = self.view
        anaphoric = self.lex.forms.get("anaphoric", ())
        if not anaphoric or anaphoric.isdisjoint(v.lower[start + 1:end]):
            return  # (most sentences have none: one set operation instead of a walk over the words)
        for k in range(start + 1, end):
            if v.lower[k] not in anaphoric or self.hits.at("SEASON", k) or self.hits.covering("SEASON", k) is not None:
                continue  # ("the oil year" is a season)
            first = self._epithet_start(k, start)
            if first is None:
                continue
            found[:] = [m for m in found if not (first <= m.start < k + 1 or m.start <= k < m.end)]
            found.append(GoodsMention(first, k + 1, None, False, anaphor=True))

    def _epithet_start(self, k: int, start: int) -> Optional[int]:
        """The determiner of 'the metal', 'the red metal', 'the super-chilled fuel': up to three
        describing words between it and the head, none of them goods the taxonomy knows."""
        v, hits = self.view, self.hits
        j = k - 1
        while j >= start and k - j <= 4:
            if v.lower[j] in ("the", "this", "that", "these", "those"):
                return j
            if hits.at("COMMODITY", j) or hits.covering("COMMODITY", j) is not None or hits.at("COUNTRY", j) \
                    or not (v.lower[j].isalpha() or (v.words[j] == "-" and v.glued(j))) or v.lower[j] in self.stop:
                return None
            j -= 1
        return None

    def _trade_beside(self, s: int, e: int, start: int, end: int) -> bool:
        """'oil imports', 'exports of oil', 'tonnes of lead', 'scrap suppliers': a weak alias next
        to trade words."""
        hits, v = self.hits, self.view
        if e < end and (hits.at("FLOW", e) or hits.at("SOURCE_NOUN", e) or hits.at("DEST_NOUN", e)):
            return True
        k = s - 1
        if k > start and v.lower[k] in ("'s", "’s") and hits.ending_at("COUNTRY", k, within=4):
            k = hits.ending_at("COUNTRY", k, within=4)[0] - 1  # "the export volume of Vietnam's rubber"
        if k >= start and v.lower[k] == "of":
            return hits.ending_at("FLOW", k, within=3) is not None or hits.ending_at("UNIT", k, within=3) is not None
        return False

    # ------------------------------------------------------------------ goods not in the taxonomy
    def _unknown(self, start: int, end: int, known: list[GoodsMention]) -> list[GoodsMention]:
        v, hits = self.view, self.hits
        out = []
        covered = set()
        for m in known:
            covered.update(range(m.start, m.end))
        for s, e, flow in hits.within("FLOW", start, end):
            # "exports of chromite", "shipments of cotton yarn"
            if e < end and v.lower[e] == "of":
                phrase = self._phrase_after(e + 1, end, covered)
                if phrase:
                    out.append(phrase)
                    continue
            # "cashew nut exports", "chromite imports" (not "the full volume")
            if v.lower[s] not in self.lex.word_class("goods_heads"):
                continue
            phrase = self._phrase_before(s, start, covered)
            if phrase:
                out.append(phrase)
        for s, e, _ in hits.within("UNIT", start, end):
            if e < end and v.lower[e] == "of":
                phrase = self._phrase_after(e + 1, end, covered)
                if phrase:
                    out.append(phrase)
        unique = {}
        for m in out:
            unique.setdefault((m.start, m.end), m)
        return list(unique.values())

    def _goods_word(self, k: int) -> bool:
        v, hits = self.view, self.hits
        word = v.lower[k]
        if not word.isalpha() or word in self.stop or word in PUNCT:
            return False
        if hits.at("COUNTRY", k) or hits.at("MONTH", k) or hits.at("FLOW", k) or hits.at("CHANGE", k) \
                or hits.at("UNIT", k) or hits.at("MULT", k) or hits.at("REGION", k) or hits.at("NONTRADE", k):
            return False
        if v.words[k][:1].isupper() and k > 0 and not v.words[k].isupper():
            return False  # a proper name ("Reuters", "Secex"), not goods
        return True

    def _phrase_after(self, k: int, end: int, covered: set) -> Optional[GoodsMention]:
        v = self.view
        if k < end and v.lower[k] in ("the", "a", "an"):
            k += 1
        j = k
        while j < end and j - k < 5 and (self._goods_word(j) or (v.words[j] == "-" and j > k and v.glued(j))):
            if j in covered:
                return None  # the taxonomy knows these goods
            j += 1
        while j > k and v.words[j - 1] == "-":
            j -= 1
        return self._mention(k, j)

    def _phrase_before(self, s: int, start: int, covered: set) -> Optional[GoodsMention]:
        """'cashew nut exports': the words before a trade noun, when their last word names goods."""
        v = self.view
        if s == start or v.lower[s - 1] not in self.heads:
            return None
        j = s
        k = s
        while k > start and s - k < 4 and (self._goods_word(k - 1) or (v.words[k - 1] == "-" and k - 1 > start and v.glued(k - 1))):
            if k - 1 in covered:
                return None
            k -= 1
        while k < j and v.words[k] == "-":
            k += 1
        return self._mention(k, j)

    def _mention(self, k: int, j: int) -> Optional[GoodsMention]:
        if j <= k:
            return None
        words = [w for w in self.view.lower[k:j]]
        words = [w for w in words if w not in self.lex.forms.get("modifier", ())]
        while words and words[-1] in self.lex.forms.get("generic", ()):
            words.pop()  # "antimony products" is antimony; "products" alone is nothing
        if not words:
            return None
        name = normalise(" ".join(words).replace(" - ", "-"), self.lex)
        if not name:
            return None
        return GoodsMention(k, j, name, False)


def alias_names(lex: Lexicon) -> dict:
    """{alias in lower case: canonical name} of the taxonomy."""
    cached = lex.settings.get("_alias_names")
    if cached is None:
        cached = lex.settings["_alias_names"] = {phrase.text.lower(): phrase.value for phrase in lex.phrases
                                                 if phrase.label == "COMMODITY"}
    return cached


def goods_words(lex: Lexicon) -> frozenset:
    """Words that can end the name of goods: those of the taxonomy's names, and count and mass nouns."""
    cached = lex.settings.get("_goods_words")
    if cached is None:
        words = set(lex.forms.get("count", ())) | set(lex.forms.get("mass", ()))
        for phrase in lex.phrases:
            if phrase.label == "COMMODITY":
                words.add(phrase.text.lower().split()[-1].strip("-"))  # "cardamom", not the "large" of "large cardamom"
        words -= set(lex.word_class("goods_stop"))
        cached = lex.settings["_goods_words"] = frozenset(words)
    return cached


def normalise(phrase: str, lex: Lexicon) -> str:
    """Lower case, the usual plural for count nouns ('cashew nut' -> 'cashew nuts'), mass nouns
    as they are ('methanol', 'cotton yarn')."""
    words = phrase.lower().replace(" - ", "-").split()
    if not words:
        return ""
    head = words[-1]
    if head in lex.irregular_plurals:
        words[-1] = lex.irregular_plurals[head]
    elif head in lex.forms.get("count", ()) and not head.endswith("s"):
        if head.endswith("y") and head[-2:-1] not in "aeiou":
            words[-1] = head[:-1] + "ies"  # "cherry" -> "cherries"
        else:
            words[-1] = head + ("es" if head.endswith(("sh", "ch", "x")) else "s")
    return " ".join(words)

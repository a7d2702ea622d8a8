"""How well a field carried from context is backed, for the triage of findings.

A claim lists the fields its own sentence does not state (`inferred`). Carried fields differ
in how sure they are: "Imports of the key steelmaking ingredient were 83.16 million tonnes"
in an article headlined on iron ore is as sure as a stated commodity, while "Over May, Japan
imported 7.2 million tonnes" right after a sentence on coal, in an article on LNG, is not.
Each carried field of a claim is graded:
- `backed`: the claim's own sentence names the value anyway; or the claim just before it in
  the same article (the antecedent of "That was down 3.8%") gives it, stated or itself
  backed; or the article's headline or lead names it and nothing near the sentence names
  another;
- `contested`: the sentence or the one before it names another value for the field (another
  commodity; a country that is neither party), so the reader may have carried the wrong one;
- `carried`: neither.
For a total (`WLD`) "names it" means the headline or lead names no country beside the other
party. Periods are backed only by an antecedent (a headline's month may be another figure's).
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import urlparse

from extractor.reconcile.context import Context

BACKED, CARRIED, CONTESTED = "backed", "carried", "contested"
GRADED = ("commodity", "exporter", "importer", "period")
LEAD_PARAGRAPHS = 2  # the headline's standfirst and the first paragraph of the story
LEAD_CHARS = 800
ANTECEDENT_DEPTH = 3  # "That was ...", "It was ..." chains followed at most this far
_BOUNDARY = re.compile(r"(?:[.!?][\"'”’)]?\s+|\n)")


class Carried:
    """Grades the carried fields of claims against their article's text (see the module)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._named_memo: dict = {}
        self._by_article: Optional[dict] = None
        self._lead: dict = {}
        self._grade: dict = {}

    def grade(self, claim, name: str) -> str:
        """`backed`, `carried` or `contested` for a field the claim lists as inferred."""
        key = (claim.id, name)
        found = self._grade.get(key)
        if found is None:
            found = self._grade[key] = self._work_out(claim, name, ANTECEDENT_DEPTH)
        return found

    def weak(self, claim, fields) -> list[str]:
        """The claim's inferred fields among `fields` that are not backed."""
        if len(claim.inferred) == 0:  # most claims state every field
            return []
        return sorted(f for f in set(claim.inferred) & set(fields)
                      if f not in GRADED or self.grade(claim, f) != BACKED)

    def contested(self, claim, fields) -> list[str]:
        if len(claim.inferred) == 0:
            return []
        return sorted(f for f in set(claim.inferred) & set(fields)
                      if f in GRADED and self.grade(claim, f) == CONTESTED)

    # --- the grading ---------------------------------------------------------------------------

    @property
    def _commodities(self) -> tuple:
        return _patterns(self.ctx.vocab)[0]  # built when first graded: most claims carry nothing

    @property
    def _countries(self) -> tuple:
        return _patterns(self.ctx.vocab)[1]

    def _work_out(self, claim, name: str, depth: int) -> str:
        article = self.ctx.articles.get(claim.article_id or claim.article)
        text = article.text if article is not None and article.text else ""
        value = getattr(claim, name, None)
        if name == "commodity" and value:  # the name the text's words map to
            value = self._commodities[1].get(value.lower(), value)
        if name == "period":
            return BACKED if self._from_antecedent(claim, name, value, text, depth) else CARRIED
        own = self._named(claim.sentence, name)
        if value != "WLD" and value in own:
            return BACKED
        if self._from_antecedent(claim, name, value, text, depth):
            return BACKED
        if name != "commodity":  # the partners of figures read from the same sentence are theirs
            own = own - {x for other in self._claims_of(claim.article_id or claim.article)
                         if other.start == claim.start for x in (other.exporter, other.importer)}
        near = own | self._named(_sentence_before(text, claim.start), name)
        if self._other(near, claim, name, value):
            return CONTESTED
        lead = self._named(self._lead_of(article), name)
        if value == "WLD":
            party = claim.importer if name == "exporter" else claim.exporter
            return BACKED if not (lead - {party}) else CARRIED
        return BACKED if value in lead else CARRIED

    def _other(self, named: set, claim, name: str, value) -> bool:
        if name == "commodity":
            return bool(named - {value})
        return bool(named - {claim.exporter, claim.importer})

    def _from_antecedent(self, claim, name: str, value, text: str, depth: int) -> bool:
        if depth <= 0 or not text or claim.start is None or claim.start <= 0:
            return False
        before = _sentence_start(text, claim.start)
        for other in self._claims_of(claim.article_id or claim.article):
            if other.start is None or other.id == claim.id or not (before <= other.start < claim.start):
                continue
            theirs = getattr(other, name, None)
            if name == "commodity" and theirs:
                theirs = self._commodities[1].get(theirs.lower(), theirs)
            if theirs != value:
                continue
            if name not in other.inferred:
                return True
            if name == "period":
                if self._from_antecedent(other, name, value, text, depth - 1):
                    return True
            elif self.grade(other, name) == BACKED:  # an earlier sentence: the recursion ends
                return True
        return False

    def _claims_of(self, article_id) -> list:
        if self._by_article is None:
            by: dict = {}
            seen: set = set()
            for cell in self.ctx.cells.values():
                for r in (*cell.levels.values(), *cell.changes.values()):
                    for it in r.items:
                        if it.claim.id not in seen:
                            seen.add(it.claim.id)
                            by.setdefault(it.claim.article_id or it.claim.article, []).append(it.claim)
            self._by_article = by
        return self._by_article.get(article_id, [])

    def _named(self, text: str, name: str) -> set:
        if not text:
            return set()
        key = (text, name == "commodity")
        found = self._named_memo.get(key)
        if found is None:
            found = self._named_memo[key] = self._find_named(text, name)
        return found

    def _find_named(self, text: str, name: str) -> set:
        if name == "commodity":
            pattern, of = self._commodities
            return {of[m.group(0).lower()] for m in pattern.finditer(text)} if pattern else set()
        pattern, of = self._countries
        return {of[m.group(0)] for m in pattern.finditer(text)} if pattern else set()

    def _lead_of(self, article) -> str:
        if article is None:
            return ""
        found = self._lead.get(article.id)
        if found is None:
            found = self._lead[article.id] = lead_text(article)
        return found


_PATTERNS: dict = {}  # id(vocab) -> (commodity pattern, country pattern): vocabularies load once


def _patterns(vocab) -> tuple:
    found = _PATTERNS.get(id(vocab))
    if found is None:
        # aliases only: a canonical name that is no alias of its own is an everyday word ("lead")
        commodities = _alternation({a: c for c, aliases in vocab.commodity_aliases.items() for a in aliases},
                                   flags=re.IGNORECASE)
        countries = _alternation({w: code for code, words in vocab.country_words.items()
                                  for w in words if code not in ("WLD", "REGION")})
        found = _PATTERNS[id(vocab)] = (commodities, countries)
    return found


def lead_text(article) -> str:
    """The article's headline (its title, or the words of its address when it has none) and
    the first paragraphs of its text."""
    headline = (article.title or "").strip() or _slug_words(article.url or "")
    paragraphs = [p.strip() for p in (article.text or "").split("\n") if p.strip()]
    lead = "\n".join(paragraphs[:LEAD_PARAGRAPHS])[:LEAD_CHARS]
    return f"{headline}\n{lead}"


def _slug_words(url: str) -> str:
    path = urlparse(url).path if "//" in url else url
    parts = [p for p in path.split("/") if re.search(r"[A-Za-z]{3,}-[A-Za-z]", p)]
    if not parts:
        return ""
    # an address is lower case: capitals restored so country names match ("china" -> "China")
    return re.sub(r"[-_]+", " ", parts[-1]).rsplit(".", 1)[0].title()


def _sentence_start(text: str, start: int) -> int:
    """Where the sentence before the one starting at `start` begins."""
    head = text[:start].rstrip()
    ends = [m.end() for m in _BOUNDARY.finditer(head)]
    ends = [e for e in ends if e < len(head)]
    return ends[-1] if ends else 0


def _sentence_before(text: str, start: Optional[int]) -> str:
    if not text or start is None or start <= 0:
        return ""
    return text[_sentence_start(text, start):start]


def _alternation(of: dict, flags: int = 0) -> tuple:
    """One regex over every form (longest first, whole words) and form -> value."""
    forms = sorted((f for f in of if f and f.strip()), key=len, reverse=True)
    if not forms:
        return None, {}
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])", flags)
    table = {(f.lower() if flags & re.IGNORECASE else f): v for f, v in of.items()}
    return pattern, table


__all__ = ["Carried", "BACKED", "CARRIED", "CONTESTED", "lead_text"]

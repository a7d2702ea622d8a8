"""Clauses of a sentence: where a statement about one flow begins and ends.

A sentence is cut into clauses at punctuation (",", ";", ":", dashes, brackets) and at the words
of models/cues.jsonl that open a new clause ("while", "versus", "compared with", "which", ...).
Each clause has a kind, read from its first words, that says how it relates to what came before:

  main          a statement with its own subject ("China's exports rose 5% ...")
  contrast      a new statement after "while", "whereas", "but", ";"
  trailing      a change or a figure that describes the one before ("..., up 46% from June")
  comparison    what a figure is compared with ("compared with 4,723 tons", "up from ...", "than ...")
  aside         inside brackets ("(854 tons, +84.5%)", "(Q2: 510kt)")
  relative      a relative clause ("which included diesel ...", "who ...")
  subordinate   background ("following the agreement", "amid tensions", "after ...")
  attribution   the data's source ("data from customs showed", "according to ...")
  label         the heading of a line or list item ("U.S. Specifics: ...", "Urea: ...")

Statements group clauses: a contrast starts a new statement; every other kind continues one.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Optional

from extractor.claims.lexicon import Lexicon
from extractor.claims.view import Hits, TokenView

CUT_PUNCT = frozenset(",;:—–")
OPEN, CLOSE = frozenset("(["), frozenset(")]")
HARD = frozenset(";")
CUT_TOKENS = OPEN | CLOSE | CUT_PUNCT | {"-"}  # the tokens at which _cuts may cut, besides the words below
CUT_WORDS = frozenset(("and", "as"))


@dataclass(slots=True)
class Clause:
    start: int  # token offsets in the doc
    end: int
    kind: str
    statement: int
    depth: int = 0  # inside brackets


class ClauseReader:
    def __init__(self, view: TokenView, hits: Hits, lex: Lexicon):
        self.view, self.hits, self.lex = view, hits, lex
        self._fronted: Optional[tuple] = None  # the fronted comparison phrases, split into words

    def read(self, start: int, end: int) -> list[Clause]:
        cuts = self._cuts(start, end)
        clauses: list[Clause] = []
        edges = [(start, "^", 0)] + cuts
        statement = 0
        for n, (s, opener, d) in enumerate(edges):
            e = edges[n + 1][0] if n + 1 < len(edges) else end
            if n + 1 < len(edges) and edges[n + 1][1] not in ("word", "subject"):
                e -= 1  # the punctuation that ends the clause is not part of it
            e = max(s, e)
            if e <= s and opener != "^":
                continue
            kind = self._kind(s, e, opener, d, first=not clauses)
            if kind == "contrast" and self._parenthetical(s, e, opener):
                kind = "aside"  # "The copper production of Chile, meanwhile, advanced ...": one statement
            if kind == "contrast":
                statement += 1
            clauses.append(Clause(s, e, kind, statement, d))
        return clauses

    def _cuts(self, start: int, end: int) -> list[tuple[int, str, int]]:
        """(token where a clause starts, what opened it, bracket depth) for each cut."""
        v, hits = self.view, self.hits
        words, space = v.words, v.space
        boundary = hits.by_label.get("BOUNDARY") or {}
        subordinate = hits.by_label.get("SUBORDINATE") or {}
        cuts: list[tuple[int, str, int]] = []
        depth = 0
        lower = v.lower
        # Only some tokens can cut (punctuation, "and", "as", a boundary or subordinating word); the
        # walk visits those in order, skipping any that a step over a match or a gloss passes.
        visit = [k for k in range(start, end) if words[k] in CUT_TOKENS or lower[k] in CUT_WORDS]
        if boundary or subordinate:
            for label, table in (("BOUNDARY", boundary), ("SUBORDINATE", subordinate)):
                if table:
                    starts = hits.starts(label)
                    visit.extend(starts[bisect_left(starts, start + 1):bisect_left(starts, end)])
            visit = sorted(set(visit))
        k = start
        for at in visit:
            if at < k:
                continue
            k = at
            word = words[k]
            if word in OPEN and self._gloss(k, end):
                k = self._gloss(k, end)  # "541,434 metric tons (MT) of U.S. soybeans": a gloss, no clause
                continue
            if word in OPEN:
                depth += 1
                cuts.append((k + 1, "(", depth))
            elif word in CLOSE:
                depth = max(0, depth - 1)
                cuts.append((k + 1, ")", depth))
            elif word in CUT_PUNCT and not self._inside_number(k) and not self._fronted_figure(start, k):
                cuts.append((k + 1, word, depth))
            elif lower[k] == "and" and self._new_subject(k + 1, end, cuts[-1][0] if cuts else start):
                cuts.append((k, "subject", depth))  # "... to 52,983mt and South Korea's imports dropped"
            elif k > start and lower[k] == "as" and self._trading_subject(k + 1, end):
                cuts.append((k, "as", depth))  # "... in September as China buys more": the reason
            elif word == "-" and k > start and space[k - 1] and space[k]:
                cuts.append((k + 1, "—", depth))  # a spaced hyphen is a dash
            elif k > start and k in boundary:
                cuts.append((k, "word", depth))
                k = boundary[k][0]
                continue
            elif k > start and k in subordinate and words[k - 1] not in CUT_PUNCT \
                    and not hits.covering("REL_PERIOD", k) and not self._dates(k) \
                    and not hits.at("COMPARISON", subordinate[k][0]):  # "when compared to": the comparison's own clause
                cuts.append((k, "word", depth))
                k = subordinate[k][0]
                continue
            k += 1
        return cuts

    def _new_subject(self, k: int, end: int, clause_start: int) -> bool:
        """'and South Korea's imports' after a figure: a country's own flow, a new statement."""
        v = self.view
        country = self.hits.at("COUNTRY", k)
        if country is None:
            j = k + 1 if k < end and v.lower[k] in ("the", "total", "its", "their") else k
            flow = self.hits.at("FLOW", j)
            # "... 65.15 Mt in January to May and exports for the full year are expected to be ...":
            # a flow noun opens a statement of its own
            if flow is None or not v.lower[j].endswith("s") or j + 1 >= end or v.is_number(j + 1) or v.lower[j + 1] == "of" \
                    or not any(v.is_number(t) for t in range(clause_start, k)):
                return False
            # with a verb of its own before its figure ("and exports to the US at 280 tonnes" has none: a list)
            copulas = self.lex.word_class("copulas")
            for t in range(j + 1, min(end, j + 10)):
                if v.is_number(t):
                    return False
                if v.lower[t] in copulas or self.hits.at("MODALITY", t) or self.hits.at("CHANGE", t):
                    return True
            return False
        after = country[0]
        return after + 1 < end and v.lower[after] in ("'s", "’s") \
            and any(v.is_number(t) for t in range(clause_start, k))

    def _trading_subject(self, k: int, end: int) -> bool:
        """'as China buys more', 'as Indian mills import less': a country that trades, the subject
        of a clause of its own."""
        hits = self.hits
        if k < end and self.view.lower[k] == "the":
            k += 1
        country = hits.at("COUNTRY", k)
        if country is None:
            return False
        return any(hits.at("FLOW_VERB", j) for j in range(country[0], min(end, country[0] + 3)))

    def _gloss(self, k: int, end: int) -> int:
        """The token after '(MT)', '(SEA)', '(DAP)': a bracketed abbreviation of one or two words."""
        v = self.view
        for j in range(k + 1, min(end, k + 4)):
            if v.words[j] in CLOSE:
                inner = v.words[k + 1:j]
                if inner and len(inner) <= 2 and all(w[:1].isalpha() for w in inner):
                    return j + 1
                return 0
        return 0

    def _dates(self, k: int) -> bool:
        """'since October', 'after March', 'since the start of the year' or of a season: the word dates a period
        rather than opening a clause."""
        if self.hits.at("TO_DATE", k) is not None:
            return True
        prefix = self.hits.at("DATE_PREFIX", k)
        if prefix is None:
            return False
        nxt = prefix[0]
        if nxt < self.view.n and self.view.lower[nxt] == "the":
            nxt += 1
        if nxt + 1 < self.view.n and self.view.lower[nxt] in self.lex.word_class("season_opening") \
                and self.view.lower[nxt + 1] == "of":
            return True  # "since the beginning of the season"
        return nxt < self.view.n and (self.hits.at("MONTH", nxt) is not None or self.view.is_number(nxt)
                                       or self.hits.at("QUARTER_WORD", nxt) is not None)

    def _month_range(self, k: int, e: int) -> bool:
        """'January to May (2025)': two months joined by 'to', '-' or 'through'."""
        v, hits = self.view, self.hits
        first = hits.at("MONTH", k) if k < e else None
        if first is None or first[0] >= e or v.lower[first[0]] not in ("to", "-", "–", "through", "until", "till"):
            return False
        return hits.at("MONTH", first[0] + 1) is not None

    def _parenthetical(self, s: int, e: int, opener: str) -> bool:
        """A contrast word alone between commas ('..., however, ...') qualifies its statement."""
        v = self.view
        return s > 0 and v.words[s - 1] == "," and e - s <= 2 and e < v.n and v.words[e] == "," \
            and self.hits.at("CONTRAST", s) is not None

    def _fronted_figure(self, start: int, k: int) -> bool:
        """'At 112,400 tonnes, Vietnam was the top destination ...': a figure fronted in a short
        phrase before the comma at k is the statement's own, no clause of its own."""
        v = self.view
        return v.words[k] == "," and 2 <= k - start <= 6 and v.lower[start] in self.lex.word_class("fronted_figure_openers") \
            and any(v.is_number(t) for t in range(start + 1, k)) and self.hits.any_within("UNIT", start, k)

    def _inside_number(self, k: int) -> bool:
        v = self.view
        return 0 < k < v.n - 1 and v.is_number(k - 1) and v.is_number(k + 1) and v.glued(k) and v.glued(k + 1)

    def _kind(self, s: int, e: int, opener: str, depth: int, first: bool) -> str:
        v, hits = self.view, self.hits
        if first:
            if e < v.n and v.words[e:e + 1] == [":"] and not any(v.is_number(t) for t in range(s, e)):
                return "label"
            if hits.at("SUBORDINATE", s) and not self._dates(s) and e < v.n and v.words[e:e + 1] == [","]:
                return "subordinate"  # "Despite a drop in supply to the US, ..."
            if e < v.n and v.words[e:e + 1] == [","] and self._opens_fronted_comparison(s, e) and not any(v.is_number(t) for t in range(s, e)):
                return "comparison"  # "Versus the same month a year earlier, exports rose 17.5%."
            return "main"
        if opener == "subject":
            return "contrast"
        if opener == "as":
            return "subordinate"
        if depth > 0 and opener == "(":
            return "aside"
        if opener == ";":
            # "...were Iran, 1.4 million tons; Saudi Arabia, 0.6 million tons; and Qatar, ...": a list
            k = s
            while k < e and v.lower[k] in ("and", "the"):
                k += 1
            if k < e and hits.at("COUNTRY", k) and any(v.is_number(t) for t in range(k, e)):
                return "item"
            return "contrast"
        k = s
        while k < e and v.lower[k] in ("and", "or", "but", "yet", "so", "also", "then"):
            if v.lower[k] == "but":
                return "contrast"
            k += 1
        if k >= e:
            return "main"
        low = v.lower[k]
        if hits.at("CONTRAST", k):
            return "contrast"
        if low == "from" and self._month_range(k + 1, e):
            return "trailing"  # "—averaging 2,200 tonnes monthly—from January to May 2025": its period
        if opener == "," and low in ("from", "to") and (self._parallel_party(s, k, e) or self._parallel_change(s, k, e)):
            return "item"  # "imports from Canada were 3,420 t, from Chile 2,480 t": a list of partners
        if hits.at("COMPARISON", k) or low in self.lex.word_class("comparison_openers"):
            return "comparison"
        if hits.at("ATTRIBUTION", k):
            return "attribution"
        if low in self.lex.word_class("relative_pronouns"):
            return "relative"
        if opener == "," and low in self.lex.word_class("clause_subordinators"):
            return "subordinate"  # ", as prolonged customs delays ... disrupted"
        if hits.at("SUBORDINATE", k):
            return "subordinate"
        if hits.at("CHANGE", k) or self._starts_with_figure_change(k, e):
            return "trailing"
        if opener == ":" and e <= v.n:
            return "main"
        return "main"

    def _parallel_party(self, s: int, k: int, e: int) -> bool:
        """', from Chile 2,480 tonnes' after 'imports from Canada were 3,420 tonnes': the same
        preposition and a country, then straight its figure, repeat the statement for another
        partner (not 'down from 2,480 tonnes', which has no country)."""
        v, hits = self.view, self.hits
        country = hits.at("COUNTRY", k + 1)
        if country is None or country[0] >= e or not v.is_number(country[0]):
            return False
        if any(hits.at("CHANGE", t) for t in range(k, e)):
            return False
        return any(v.lower[j] == v.lower[k] and hits.at("COUNTRY", j + 1)
                   for j in range(max(0, s - 40), s - 1))

    def _opens_fronted_comparison(self, s: int, e: int) -> bool:
        """'Versus ...', 'In comparison with April, ...': a word or phrase of the fronted comparisons."""
        v = self.view
        if self._fronted is None:
            self._fronted = tuple(phrase.split() for phrase in self.lex.word_class("fronted_comparisons"))
        return any(s + len(words) <= e and v.lower[s:s + len(words)] == words for words in self._fronted)

    def _parallel_change(self, s: int, k: int, e: int) -> bool:
        """', from the USA increased by 6.0% to 59.4 mln t' after 'exports from Russia declined by
        14.1% to ...': the same preposition and a country, then a change word, repeat the statement
        for another partner (not ', up from 2,480 tonnes', which has no country)."""
        v, hits = self.view, self.hits
        j = k + 2 if k + 1 < e and v.lower[k + 1] == "the" else k + 1
        country = hits.at("COUNTRY", j)
        if country is None or country[0] >= e:
            return False
        after = country[0]
        if not any(hits.at("CHANGE", t) for t in range(after, min(e, after + 3))):
            return False
        return any(v.lower[t] == v.lower[k] and (hits.at("COUNTRY", t + 1) or hits.at("COUNTRY", t + 2))
                   for t in range(max(0, s - 40), s - 1))

    def _starts_with_figure_change(self, k: int, e: int) -> bool:
        """', a 16% decline', ', an increase of 46%', ', marking a 30.8% increase'."""
        v, hits = self.view, self.hits
        for j in range(k, min(e, k + 4)):
            if hits.at("CHANGE", j):
                return True
            if v.words[j][:1].isdigit() or v.words[j] in ("+", "-"):
                return True
        return False


def clause_of(clauses: list[Clause], token: int) -> int:
    """Index of the clause a token lies in (the innermost, for brackets)."""
    found = 0
    for n, c in enumerate(clauses):
        if c.start <= token < max(c.end, c.start + 1):
            found = n
    return found


def statement_range(clauses: list[Clause], index: int) -> tuple[int, int]:
    """The first and last clause index of the statement that clause `index` belongs to."""
    st = clauses[index].statement
    first = min(n for n, c in enumerate(clauses) if c.statement == st)
    last = max(n for n, c in enumerate(clauses) if c.statement == st)
    return first, last


def trailing_of(clauses: list[Clause], index: int) -> Optional[int]:
    """The clause a trailing or comparison clause describes: the nearest earlier main clause."""
    for n in range(index - 1, -1, -1):
        if clauses[n].kind in ("main", "contrast", "label") and clauses[n].depth == 0:
            return n
    return None

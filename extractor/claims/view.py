"""A light view of a Doc for the rule grammars: tokens as Python strings and the lexicon's
matches by label, so the grammars index plain lists instead of building spaCy objects.

`Hits` holds, per label, the matches of the lexicon's PhraseMatchers: start token -> (end token,
value), longest first and without overlaps within a label. `TokenView` holds the words.
"""
from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from operator import add
from typing import Optional

from spacy.tokens import Doc

from extractor.claims.lexicon import Lexicon
from extractor.claims.tokenizer import WORDS_KEY


class TokenView:
    """The words of a doc: text, lower case, character offset, whether a space follows."""

    __slots__ = ("text", "words", "lower", "idx", "space", "n")

    def __init__(self, doc: Doc, text: str):
        self.text = text
        given = doc.user_data.get(WORDS_KEY)
        if given is not None and len(given[0]) == len(doc):
            words, spaces = given  # what the tokenizer made: no walk over the Doc's tokens
            self.words = words
            self.space = spaces
            self.idx = idx = list(accumulate(map(add, map(len, words), spaces), initial=0))
            idx.pop()  # (the end of the last token; popped rather than copying the list)
        else:
            self.words = [t.text for t in doc]
            self.idx = [t.idx for t in doc]
            self.space = [bool(t.whitespace_) for t in doc]
        self.lower = list(map(str.lower, self.words))
        self.n = len(self.words)

    def char_end(self, i: int) -> int:
        """Character offset just after token i - 1 (the end of a span ending at token i)."""
        return self.idx[i - 1] + len(self.words[i - 1])

    def token_at(self, char: int) -> int:
        """The first token starting at or after a character offset."""
        return bisect_left(self.idx, char)

    def is_number(self, i: int) -> bool:
        return 0 <= i < self.n and self.words[i][:1].isdigit()

    def glued(self, i: int) -> bool:
        """Token i follows token i - 1 with no space between."""
        return i > 0 and not self.space[i - 1]

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.idx[start]:self.char_end(end)] if end > start else ""


_LAZY = object()  # a match whose value is looked up when first asked for


class Hits:
    """Lexicon matches of one doc, by label: start token -> (end token, value). Values are
    looked up on first use, so matches in sentences no grammar reads cost nothing more."""

    __slots__ = ("by_label", "_sorted", "_ends", "_view", "_lex")

    def __init__(self, view: Optional[TokenView] = None, lex: Optional[Lexicon] = None):
        self.by_label: dict[str, dict[int, tuple[int, object]]] = {}
        self._sorted: dict[str, list[int]] = {}
        # per label, end token -> start token, or None where two matches share an end
        self._ends: dict[str, Optional[dict[int, int]]] = {}
        self._view, self._lex = view, lex

    @classmethod
    def build(cls, matches, view: TokenView, lex: Lexicon, names=None) -> "Hits":
        """From (label, start, end) matches of both matchers: per label, the longest match at
        each start, and none inside a longer one. With `names`, a match's first item is a key
        (the matcher's match id) and names[key] its label."""
        hits = cls(view, lex)
        spans_of: dict = {}  # the matches of each label (a few kinds per doc)
        for key, start, end in matches:
            found = spans_of.get(key)
            if found is None:
                spans_of[key] = [(start, end)]
            else:
                found.append((start, end))
        for key, spans in spans_of.items():
            # One pass over the label's matches sorted by start and end: at each start the
            # longest comes last, so it replaces the shorter one kept before it.
            spans.sort()
            out, kept, reach = {}, -1, -1
            for start, end in spans:
                if start == kept:
                    out[start] = (end, _LAZY)
                    reach = end
                elif start >= reach:
                    out[start] = (end, _LAZY)
                    kept, reach = start, end
            label = names[key] if names is not None else key
            hits.by_label[label] = out
            hits._sorted[label] = list(out)  # starts, in order
        return hits

    def changed(self, label: str) -> None:
        """Forget what was derived from a label's table after it was edited."""
        self._sorted.pop(label, None)
        self._ends.pop(label, None)

    def rename(self, label: str, texts: frozenset, value: object) -> None:
        """Give every match of `label` whose normalised text is one of `texts` this value: an
        article that defines its own category ("the products category, distinct from ...") reads
        its name as that category throughout."""
        table = self.by_label.get(label, {})
        for start, (end, _) in list(table.items()):
            if self._lex.normed(self._view.span_text(start, end)) in texts:
                table[start] = (end, value)

    def any_named(self, label: str, texts: frozenset) -> bool:
        """Whether a match of `label` has one of these normalised texts (see `rename`)."""
        view, normed = self._view, self._lex.normed
        return any(normed(view.span_text(start, end)) in texts
                   for start, (end, _) in self.by_label.get(label, {}).items())

    def _resolve(self, label: str, start: int, found: tuple) -> tuple:
        end = found[0]
        value = self._lex.value(label, self._view.span_text(start, end), exact=True)
        found = (end, value)
        self.by_label[label][start] = found
        return found

    def at(self, label: str, i: int) -> Optional[tuple[int, object]]:
        table = self.by_label.get(label)
        if not table:
            return None
        found = table.get(i)
        if found is not None and found[1] is _LAZY:
            found = self._resolve(label, i, found)
        return found

    def before_qualifier(self, start: int) -> int:
        """Where the words before a number begin once a qualifier is skipped ('compared to about 4.8 million')."""
        qualifier = self.ending_at("QUALIFIER", start, within=3)
        return qualifier[0] if qualifier else start

    def ending_at(self, label: str, end: int, within: int = 6, longest: bool = False) -> Optional[tuple[int, object]]:
        """A match of `label` that ends exactly at token `end` (starting at most `within` before):
        the shortest such match, or with `longest` the longest."""
        table = self.by_label.get(label)
        if not table:
            return None
        try:
            ends = self._ends[label]
        except KeyError:
            ends = self._ends[label] = self._end_index(table)
        if ends is not None:  # one match at most ends at each token: no need to try every start
            start = ends.get(end)
            if start is None or start < end - within:
                return None
            found = table[start]
            if found[1] is _LAZY:
                found = self._resolve(label, start, found)
            return start, found[1]
        starts = range(max(0, end - within), end) if longest else range(end - 1, max(-1, end - within - 1), -1)
        for start in starts:
            found = table.get(start)
            if found is not None and found[0] == end:
                if found[1] is _LAZY:
                    found = self._resolve(label, start, found)
                return start, found[1]
        return None

    @staticmethod
    def _end_index(table: dict[int, tuple[int, object]]) -> Optional[dict[int, int]]:
        ends = {found[0]: start for start, found in table.items()}
        return ends if len(ends) == len(table) else None

    def starts(self, label: str) -> list[int]:
        found = self._sorted.get(label)
        if found is None:
            found = self._sorted[label] = sorted(self.by_label.get(label, ()))
        return found

    def within(self, label: str, start: int, end: int) -> list[tuple[int, int, object]]:
        """(start, end, value) of the matches of `label` that start in [start, end)."""
        table = self.by_label.get(label)
        if not table:
            return []
        starts = self._sorted.get(label)
        if starts is None:
            starts = self.starts(label)
        lo = bisect_left(starts, start)
        if lo == len(starts) or starts[lo] >= end:
            return []  # (the common case: none in the sentence)
        out = []
        for s in starts[lo:bisect_left(starts, end, lo)]:
            found = table[s]
            if found[1] is _LAZY:
                found = self._resolve(label, s, found)
            out.append((s, found[0], found[1]))
        return out

    def covering(self, label: str, i: int, reach: int = 8) -> Optional[tuple[int, int, object]]:
        """The match of `label` that covers token i, if any."""
        table = self.by_label.get(label)
        if not table:
            return None
        for start in range(i, max(-1, i - reach - 1), -1):
            found = table.get(start)
            if found is not None and found[0] > i:
                if found[1] is _LAZY:
                    found = self._resolve(label, start, found)
                return start, found[0], found[1]
        return None

    def starts_with(self, label: str, i: int) -> bool:
        """Whether a match of `label` begins at token i (no value looked up)."""
        table = self.by_label.get(label)
        return bool(table) and i in table

    def any_within(self, label: str, start: int, end: int) -> bool:
        if label not in self.by_label:
            return False
        starts = self._sorted.get(label)
        if starts is None:
            starts = self.starts(label)
        k = bisect_left(starts, start)
        return k < len(starts) and starts[k] < end

"""Prefilter: a cheap scan of a page's raw bytes, before trafilatura, for pages that cannot hold
a claim.

Every claim states a figure: a quantity (a number, a scale word, a unit of weight) or a
percentage governed by a change word. A page passes when its visible text has
- a unit of weight right after a number ("5,933 tons", "1.2mn t", "5,000-tonne", "two million
  tonnes", "60-kg bags"), or
- a percentage ("12%", "3.2 per cent", "5pct") with a change word ("fell", "rose", "up" ...)
  and a trade word ("exports", "shipments", "imported" ...) within WINDOW characters of it, or
- a quantity of none: "zero" or "nil" within WINDOW characters of a trade word, or a negation
  ("no", "did not" ...) a few words from one ("no exports", "did not import any").
The words are the claims stage's own (its lexicon of models/*.jsonl: units, scale and number
words, percent signs, change words, flow cues and verbs), so the two never disagree on them.
Everything else is skipped: no trafilatura, no claims. Markup, scripts, styles and comments
are dropped first (their digits and identifiers say nothing about the article). The scan works
on bytes with compiled regexes and costs a few percent of text extraction.

It must lose no claim: tests run it over every article with a gold claim and every page the
extractor finds claims in (tests/test_prefilter.py). `VERSION` fingerprints its vocabulary, so
pages skipped by an older prefilter are looked at again.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from typing import Iterable

from extractor.resources import models_dir

# Characters either side of a percentage in which its change word and a trade word must stand:
# wider than any sentence of the gold sets between a change word or trade word and its figure.
WINDOW = 300
NEGATION_WINDOW = 30  # "no exports", "did not import any", "has sent no": a few words apart
TAG = re.compile(rb"<[^>]*>")
SPACES = re.compile(rb"&nbsp;|&#160;|&#xa0;|\xc2\xa0|\xe2\x80\xaf")
HIDDEN = ((b"<script", b"</script"), (b"<style", b"</style"), (b"<!--", b"-->"))


class Prefilter:
    """`passes(raw)`: True when the page may hold a claim."""

    def __init__(self, units: Iterable[str], multipliers: Iterable[str], number_words: Iterable[str],
                 percents: Iterable[str], changes: Iterable[str], trade: Iterable[str],
                 zeros: Iterable[str] = (), negations: Iterable[str] = ()):
        number_words = _longest(number_words)
        scale = rb"(?:(?:a\s)?(?:" + _alt(_longest(list(multipliers) + number_words)) + rb")\s?-?\s?){0,2}"
        tail = rb"[\d,. ]{0,12}-?\s?" + scale + rb"(?:" + _alt(_longest(units)) + rb")(?![a-z-])"
        # "5,933 t", "1.2mn t", "5,000-tonne", "816 000 tonnes", "60-kg bags"; "two million tonnes"
        self.quantity = re.compile(rb"\d" + tail)
        self.word_quantity = re.compile(rb"(?<![a-z])(?:" + _alt(number_words) + rb")" + tail)
        percent = rb"[\d,.]{0,8}\s?-?(?:" + _alt(_longest(percents)) + rb")(?![a-z])"
        self.percent = re.compile(rb"\d" + percent)
        self.word_percent = re.compile(rb"(?<![a-z])(?:" + _alt(number_words) + rb")" + percent)
        self.change = _words(changes)
        self.trade = _words(trade)
        self.zero = _words(zeros) if zeros else None
        self.negation = _words(negations) if negations else None
        # a page's words are looked up first: most pages hold none of a rule's words
        spelled_units = [u for u in units if len(u) > 2]  # "two million tonnes", not "two t"
        self.first = {name: _first_words(phrases) for name, phrases in (
            ("number", number_words), ("unit", spelled_units), ("zero", zeros), ("negation", negations),
            ("trade", trade))}

    @classmethod
    def from_models(cls) -> "Prefilter":
        """The prefilter over the claims stage's own vocabulary (the lexicon of models/)."""
        from extractor.claims.lexicon import load_lexicon

        lex = load_lexicon(str(models_dir()))
        by_label: dict[str, list[str]] = {}
        for phrase in lex.phrases:
            by_label.setdefault(phrase.label, []).append(phrase.text)
        words = lambda *labels: [t for label in labels for t in by_label.get(label, [])]  # noqa: E731
        return cls(words("UNIT", "UNIT_GLOSS"), words("MULT"), words("NUMWORD"), words("PERCENT"),
                   words("CHANGE"), words("FLOW", "FLOW_VERB"), words("ZERO"), words("NEGATION"))

    def passes(self, raw: bytes) -> bool:
        text = visible_text(raw)
        if self.quantity.search(text):
            return True
        words = frozenset(WORD.findall(text))
        has = {name: not words.isdisjoint(first) for name, first in self.first.items()}
        if has["number"] and has["unit"] and self.word_quantity.search(text):
            return True
        if not has["trade"]:
            return False
        figures = [self.percent] + ([self.word_percent] if has["number"] else [])
        for pattern in figures:
            for figure in pattern.finditer(text):
                start, end = max(0, figure.start() - WINDOW), figure.end() + WINDOW
                if self.change.search(text, start, end) and self.trade.search(text, start, end):
                    return True
        return self._none_stated(text, has)

    def _none_stated(self, text: bytes, has: dict) -> bool:
        """A quantity of none: "fell to zero", "were nil" near a trade word; "no exports", "did
        not import any", "has sent no sugar" (a negation beside a trade word)."""
        if self.zero is not None and has["zero"]:
            for word in self.zero.finditer(text):
                if self.trade.search(text, max(0, word.start() - WINDOW), word.end() + WINDOW):
                    return True
        if self.negation is not None and has["negation"]:
            for word in self.negation.finditer(text):
                if self.trade.search(text, max(0, word.start() - NEGATION_WINDOW), word.end() + NEGATION_WINDOW):
                    return True
        return False


WORD = re.compile(rb"[a-z]+")


def _first_words(phrases: Iterable[str]) -> frozenset:
    out = set()
    for phrase in phrases:
        found = WORD.findall(phrase.lower().encode("utf-8"))
        if found:
            out.add(found[0])
    return frozenset(out)


def _longest(phrases: Iterable[str]) -> list[str]:
    return sorted({p.lower() for p in phrases if p}, key=len, reverse=True)


def visible_text(raw: bytes) -> bytes:
    """Lower-cased bytes of the page with markup, scripts, styles and comments blanked out."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw.count(b"\x00") > len(raw) // 4:
        raw = raw.decode("utf-16", errors="replace").encode("utf-8")  # wide text: read as text
    text = raw.lower()
    if b"<" not in text:
        return SPACES.sub(b" ", text)
    return SPACES.sub(b" ", TAG.sub(b" ", _without_hidden(text)))


def _without_hidden(text: bytes) -> bytes:
    """`text` without its script and style elements and comments (found with bytes.find: a lazy
    regex over a 300 KB page costs ten times more)."""
    pieces, at = [], 0
    following = {opening: text.find(opening) for opening, _ in HIDDEN}
    while True:
        for opening, position in following.items():
            if 0 <= position < at:  # inside the element just skipped: look again after it
                following[opening] = text.find(opening, at)
        found = [(position, opening) for opening, position in following.items() if position >= 0]
        if not found:
            break
        start, opening = min(found)
        closing = dict(HIDDEN)[opening]
        end = text.find(closing, start + len(opening))
        pieces.append(text[at:start])
        at = len(text) if end < 0 else end + len(closing)
        following[opening] = text.find(opening, at) if end >= 0 else -1
    pieces.append(text[at:])
    return b" ".join(pieces)


def _words(phrases: Iterable[str]) -> re.Pattern:
    return re.compile(rb"(?<![a-z])(?:" + _alt(sorted(phrases, key=len, reverse=True)) + rb")(?![a-z])")


def _alt(phrases: Iterable[str]) -> bytes:
    parts = []
    for phrase in dict.fromkeys(p.lower() for p in phrases if p):
        parts.append(rb"\s+".join(re.escape(w.encode("utf-8")) for w in phrase.split()))
    return b"|".join(parts) or rb"(?!x)x"


def _read(name: str) -> list[dict]:
    with open(models_dir() / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@lru_cache(maxsize=1)
def default() -> Prefilter:
    return Prefilter.from_models()


@lru_cache(maxsize=1)
def version() -> str:
    """A fingerprint of the prefilter's rules and vocabulary (this module and its data files)."""
    digest = hashlib.sha1(open(__file__, "rb").read())
    for path in sorted(models_dir().glob("*.jsonl")):  # the lexicon reads them all
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def passes(raw: bytes) -> bool:
    return default().passes(raw)

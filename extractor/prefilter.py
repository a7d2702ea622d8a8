"""Prefilter: a cheap scan of a page's raw bytes, before trafilatura, for pages that cannot hold
a claim.

Every claim states a figure: a quantity (a number, a scale word, a unit of weight), a
percentage governed by a change word, or a quantity of none. A page passes when its visible
text has
- a unit of weight right after a number ("5,933 tons", "1.2mn t", "5,000-tonne", "two million
  tonnes", "60-kg bags"), or in brackets as a table's heading ("2023 (tonnes)") on a page with a
  specific trade word, or
- a percentage ("12%", "3.2 per cent", "5pct") with a change word ("fell", "rose", "up" ...)
  and a specific trade word ("exports", "shipments", "imported" ...) within WINDOW characters
  of it, or
- "zero" or "nil" within WINDOW characters of a specific trade word, or "no" a few words from a
  trade word ("no exports", "sent no sugar") with a specific one within WINDOW, or "not" /
  "never" followed by a flow cue and "any" ("did not import any", "has not bought any"): the
  only statement of none the claims stage reads from a "not" ("do not sell my personal
  information", "post was not sent" are none).
A quantity counts only on a page that has a word some claim's flow could come from: a flow cue
or verb, a supplier or destination noun, or a heading's month or "year to date" (a heading sets
the flow of the lines under it). A page with none of them cannot yield a claim from it (pages in
other languages, "5 - 8 t" in a menu).
The words are the claims stage's own (its lexicon of models/*.jsonl: units, scale and number
words, percent signs, change words, flow cues and verbs, relation nouns, months), so the two
never disagree on them;
models/prefilter.jsonl names the flow words too common in general news to count as specific
("took", "sold", "received"). Everything else is skipped: no trafilatura, no claims. The head,
scripts, styles, comments and tags are dropped first, in one regex pass (trafilatura reads none
of them). The scan works on bytes with compiled regexes (phrase lists as tries; each found from
what is rarest on a page: a unit after a digit, a percent sign, a "no") and costs about a
twentieth of `trafilatura.extract` on the same page (benchmarks/README.md, batch).

It must lose no claim: tests run it over every article with a gold claim, every rule case with
a claim and every page the extractor finds claims in (tests/test_prefilter.py). `version()`
fingerprints its rules and vocabulary, so pages skipped by an older prefilter are looked at
again.
"""
from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from functools import cached_property, lru_cache
from typing import Iterable, Optional

from extractor.resources import models_dir

# Characters either side of a figure in which its change word and a trade word must stand:
# wider than any sentence of the gold sets between a change word or trade word and its figure.
WINDOW = 300
NEGATION_WINDOW = 30  # "no exports", "bought no", "has sent no": a few words apart
# "did not import any": the claims stage reads a flow cue and "any" within six words of the
# negation; six words of 25 characters and their spaces fit in this
NOT_ANY_SPAN = 160
# A percentage is found from its sign ("%", "per cent"), which is rarer than digits and letters:
# its figure starts at most this far before the sign ("12.5 %" 5, "three-quarters of a per cent"
# 20 and its spaces), so windows around a sign are this much wider.
DIGIT_REACH = 12
SPELLED_REACH = 120
SPACES = re.compile(rb"&nbsp;|&#160;|&#xa0;|\xc2\xa0|\xe2\x80\xaf")
# Markup, blanked in one pass: the head, scripts, styles and comments with all they hold (not the
# article's text: trafilatura reads none of them; the <head> holds the <title>, which the claims
# stage does not read either), each to its closing or, unclosed, to the end; then any other tag.
# Each body runs over what cannot close it at C speed ("[^<]*") and looks again at each "<".
MARKUP = re.compile(
    rb"<(?:script[^<]*(?:<(?!/script)[^<]*)*(?:</script|\Z)"
    rb"|style[^<]*(?:<(?!/style)[^<]*)*(?:</style|\Z)"
    rb"|head[\s>][^<]*(?:<(?!/head>)[^<]*)*(?:</head>|\Z)"
    rb"|!--[^-]*(?:-(?!->)[^-]*)*(?:-->|\Z)"
    rb"|[^>]*>)")
WORD = re.compile(rb"[a-z]+")
WORD_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")  # as \b sees them
# `text.translate(WORD_BYTES).split()` is WORD.findall(text) of a lower-cased text, three times faster
WORD_BYTES = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


class Prefilter:
    """`passes(raw)`: True when the page may hold a claim."""

    def __init__(self, units: Iterable[str], multipliers: Iterable[str], number_words: Iterable[str],
                 percents: Iterable[str], changes: Iterable[str], trade: Iterable[str],
                 zeros: Iterable[str] = (), negations: Iterable[str] = (), generic: Iterable[str] = (),
                 flows: Optional[Iterable[str]] = None, not_negations: Iterable[str] = (),
                 flow_sources: Optional[Iterable[str]] = None):
        """`trade`: every flow cue and verb; `flows`: the cues ("exports", "shipped") a "not ...
        any" needs (by default all of `trade`); `negations`: words like "no", `not_negations`
        words like "not" (read only before a flow cue and "any"); `flow_sources`: the other
        words a claim's flow may come from (relation nouns, heading words), None for no page
        guard on quantities."""
        units, number_words = list(units), list(number_words)
        trade = [t for t in trade if t]
        generic = {g.lower() for g in generic}
        specific = [t for t in trade if t.lower() not in generic]
        scale = rb"(?:(?:a\s)?(?:" + _alt(list(multipliers) + number_words) + rb")\s?-?\s?){0,2}"
        # possessive: none of the words after a number begins with a digit, comma, point or space,
        # so giving back what the run took can never make a match, only cost time
        tail = rb"[\d,. ]{0,12}+-?\s?" + scale + rb"(?:" + _alt(units) + rb")(?![a-z-])"
        spelled = rb"\b(?:" + _alt(number_words) + rb")(?![a-z])"
        # "5,933 t", "1.2mn t", "5,000-tonne", "816 000 tonnes", "60-kg bags"; "two million tonnes"
        self.quantity = re.compile(rb"\d" + tail)
        # a table's unit in its heading: "2023 (tonnes)", "(tonnes)  % chg"
        self.unit_heading = re.compile(rb"\(\s*" + scale + rb"(?:" + _alt(units) + rb")\s*\)")
        self.word_quantity = re.compile(spelled + tail)
        percent = rb"[\d,.]{0,8}+\s?-?(?:" + _alt(percents) + rb")(?![a-z])"
        self.percent = re.compile(rb"\d" + percent)
        self.word_percent = re.compile(spelled + percent)
        self.percent_sign = re.compile(rb"(?:" + _alt(percents) + rb")(?![a-z])")
        self.change = _words(changes)
        self.trade = _words(trade)  # any flow cue
        self.specific = _words(specific)  # not "took", "sold" ...
        self.zero = _words(zeros) if zeros else None
        # "no" begins with its letters, not with a word boundary, so the engine skips to each "no"
        # (starts inside a word are dropped afterwards)
        self.negation = re.compile(rb"(?:" + _alt(negations) + rb")\b") if negations else None
        self.longest_trade = max((len(t.encode("utf-8")) for t in trade), default=0)
        not_negations = list(not_negations)
        flows = trade if flows is None else [f for f in flows if f]
        # "did not import any", "has not shipped any", "never exported any", "don't buy any"
        self.not_any = re.compile(
            rb"(?:\b(?:" + _alt(not_negations) + rb")|n't)\b(?=.{0,%d}?\bany\b).{0,%d}?\b(?:" % (NOT_ANY_SPAN, NOT_ANY_SPAN)
            + _alt(flows) + rb")\b.{0,%d}?\bany\b" % NOT_ANY_SPAN, re.S) if not_negations else None
        self.flow_source = None if flow_sources is None else _words(trade + [w for w in flow_sources if w])
        # a page's words are looked up first: most pages hold none of a rule's words
        spelled_units = [u for u in units if len(u) > 2]  # "two million tonnes", not "two t"
        self.first = {name: _first_words(phrases) for name, phrases in (
            ("number", number_words), ("unit", spelled_units), ("zero", zeros), ("negation", negations),
            ("specific", specific))}

    @classmethod
    def from_models(cls) -> "Prefilter":
        """The prefilter over the claims stage's own vocabulary (the lexicon of models/)."""
        from extractor.claims.lexicon import load_lexicon

        lex = load_lexicon(str(models_dir()))
        by_label: dict[str, list[str]] = {}
        for phrase in lex.phrases:
            by_label.setdefault(phrase.label, []).append(phrase.text)
        words = lambda *labels: [t for label in labels for t in by_label.get(label, [])]  # noqa: E731
        generic = [p for e in _read("prefilter.jsonl") if e["kind"] == "generic_trade_words" for p in e["phrases"]]
        negations = [(p.text, p.value) for p in lex.phrases if p.label == "NEGATION"]
        return cls(words("UNIT", "UNIT_GLOSS"), words("MULT"), words("NUMWORD"), words("PERCENT"),
                   words("CHANGE"), words("FLOW", "FLOW_VERB"), words("ZERO"),
                   [t for t, kind in negations if kind == "no"], generic, flows=words("FLOW"),
                   not_negations=[t for t, kind in negations if kind != "no"],
                   flow_sources=words("SOURCE_NOUN", "DEST_NOUN", "MONTH", "TO_DATE"))

    def passes(self, raw: bytes) -> bool:
        text = visible_text(raw)
        # every rule but the quantities' needs a specific trade word, which is a flow word too:
        # a quantity on a page without one is the page's answer
        if self.quantity.search(text):
            return self._flow_words(text)
        words = frozenset(text.translate(WORD_BYTES).split())
        has = {name: not words.isdisjoint(first) for name, first in self.first.items()}
        has["any"] = b"any" in words
        if has["number"] and has["unit"] and self.word_quantity.search(text):
            return self._flow_words(text)
        if not has["specific"]:  # "took", "sold" alone: not a page about trade
            return self._not_any(text, has)
        if self.unit_heading.search(text):  # a table of tonnages on a page about trade
            return True
        specific = _Positions(self.specific, text)  # found when first needed: most pages never do
        figures = self._percentages(text, has["number"])
        if any(_near(specific.found, f, WINDOW + reach) for f, reach in figures):
            changes = _positions(self.change, text)
            if any(_near(changes, f, WINDOW + reach) and _near(specific.found, f, WINDOW + reach)
                   for f, reach in figures):
                return True
        return self._none_stated(text, has, specific)

    def _percentages(self, text: bytes, spelled: bool) -> list[tuple[int, int]]:
        """(sign, reach) of each percentage: "12%" and "five per cent" are found by their sign,
        a figure of them starting at most `reach` characters before it."""
        found = []
        for sign in self.percent_sign.finditer(text):
            at, end = sign.start(), sign.end()
            if self.percent.search(text, max(0, at - DIGIT_REACH), end):
                found.append((at, DIGIT_REACH))
            elif spelled and self.word_percent.search(text, max(0, at - SPELLED_REACH), end):
                found.append((at, SPELLED_REACH))
        return found

    def _none_stated(self, text: bytes, has: dict, specific: "_Positions") -> bool:
        """A quantity of none: "fell to zero", "were nil" near a specific trade word; "no
        exports", "has sent no sugar" (a "no" beside a trade word); "did not import any"."""
        if self.zero is not None and has["zero"]:
            if any(_near(specific.found, z, WINDOW) for z in _positions(self.zero, text)):
                return True
        if self.negation is not None and has["negation"]:
            for n in _word_starts(self.negation, text):  # a trade word beside it, a specific one near
                if self._starts_near(self.trade, text, n, NEGATION_WINDOW) and \
                        self._starts_near(self.specific, text, n, WINDOW):
                    return True
        return self._not_any(text, has)

    def _starts_near(self, pattern: re.Pattern, text: bytes, at: int, window: int) -> bool:
        """Does a match of a trade pattern start within `window` characters of `at`? Searched
        in that stretch alone; a phrase cut at its end may match there, never one less."""
        end = min(len(text), at + window + self.longest_trade)
        found = pattern.search(text, max(0, at - window), end)
        return found is not None and found.start() <= at + window

    def _not_any(self, text: bytes, has: dict) -> bool:
        """'did not import any': tight enough to stand without a specific trade word ('has not
        bought any soybeans')."""
        return self.not_any is not None and has["any"] and self.not_any.search(text) is not None

    def _flow_words(self, text: bytes) -> bool:
        return self.flow_source is None or self.flow_source.search(text) is not None


def _positions(pattern: re.Pattern, text: bytes) -> list[int]:
    return [m.start() for m in pattern.finditer(text)]


def _word_starts(pattern: re.Pattern, text: bytes) -> list[int]:
    """Where `pattern` (phrases beginning with a letter, then a word boundary) matches at the
    start of a word: the matches of a leading boundary + `pattern`, found faster (a pattern that
    begins with a literal lets the engine skip ahead)."""
    found, at = [], 0
    while (match := pattern.search(text, at)) is not None:
        start = match.start()
        if start and text[start - 1] in WORD_CHARS:  # inside a word: look again just after
            at = start + 1
            continue
        found.append(start)
        at = match.end()
    return found


class _Positions:
    """Where a pattern matches in a text, found on first use."""

    def __init__(self, pattern: re.Pattern, text: bytes):
        self.pattern, self.text = pattern, text

    @cached_property
    def found(self) -> list[int]:
        return _positions(self.pattern, self.text)


def _near(sorted_positions: list[int], at: int, window: int) -> bool:
    """Is a position within `window` characters of `at`?"""
    i = bisect_left(sorted_positions, at - window)
    return i < len(sorted_positions) and sorted_positions[i] <= at + window


def _any_near(a: list[int], b: list[int], window: int) -> bool:
    return any(_near(b, x, window) for x in a)


def _first_words(phrases: Iterable[str]) -> frozenset:
    out = set()
    for phrase in phrases:
        found = WORD.findall(phrase.lower().encode("utf-8"))
        if found:
            out.add(found[0])
    return frozenset(out)


def visible_text(raw: bytes) -> bytes:
    """Lower-cased bytes of the page with its head, markup, scripts, styles and comments blanked."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:512].count(b"\x00") > min(len(raw), 512) // 4:
        raw = raw.decode("utf-16", errors="replace").encode("utf-8")  # wide text: read as text
    text = raw.lower()
    if b"<" in text:
        text = MARKUP.sub(b" ", text)
    return SPACES.sub(b" ", text)


def _words(phrases: Iterable[str]) -> re.Pattern:
    return re.compile(rb"\b(?:" + _alt(phrases) + rb")\b")


def _alt(phrases: Iterable[str]) -> bytes:
    """A regex alternation of the phrases (lower case, spaces matching any whitespace) as a trie:
    Python's engine tries a flat alternation's branches one by one at every position, a trie's
    one character at a time (several times faster over a page). Longer phrases win."""
    trie: dict = {}
    for phrase in dict.fromkeys(p.lower() for p in phrases if p):
        node = trie
        for char in " ".join(phrase.split()).encode("utf-8"):
            node = node.setdefault(char, {})
        node[None] = True
    return _pattern(trie) or rb"(?!x)x"


def _pattern(node: dict) -> bytes:
    branches = []
    for char in sorted(k for k in node if k is not None):
        head = rb"\s+" if char == 32 else re.escape(bytes([char]))
        branches.append(head + _pattern(node[char]))
    if not branches:
        return b""
    body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    return b"(?:" + body + b")?" if None in node else body


def _read(name: str) -> list[dict]:
    with open(models_dir() / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@lru_cache(maxsize=1)
def default() -> Prefilter:
    return Prefilter.from_models()


@lru_cache(maxsize=1)
def version() -> str:
    """A fingerprint of the prefilter's rules and vocabulary (this module and models/)."""
    digest = hashlib.sha1(open(__file__, "rb").read())
    for path in sorted(models_dir().glob("*.jsonl")):  # the lexicon reads them; prefilter.jsonl too
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def passes(raw: bytes) -> bool:
    return default().passes(raw)

"""Prefilter: a cheap scan of a page's raw bytes, before trafilatura, for pages that cannot hold
a claim.

Every claim states a figure the claims stage reads with digits: a quantity (digits, a scale
word, a unit of weight) or a percentage governed by a change word. A page passes when its
visible text has
- a unit of weight (models/units.jsonl) right after digits ("5,933 tons", "1.2mn t",
  "5,000-tonne"), or
- a percentage ("12%", "3.2 per cent", "5pct") with a change word (models/changes.jsonl,
  kind "change": "fell", "rose", "up" ...) and a trade word (models/cues.jsonl, kind "trade":
  "exports", "shipments", "imports" ...) within WINDOW characters of it.
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
TAG = re.compile(rb"<[^>]*>")
SPACES = re.compile(rb"&nbsp;|&#160;|&#xa0;|\xc2\xa0|\xe2\x80\xaf")
HIDDEN = ((b"<script", b"</script"), (b"<style", b"</style"), (b"<!--", b"-->"))
PERCENT = rb"\d\s?(?:%|per\s?cent|pct|pc\b)"


class Prefilter:
    """`passes(raw)`: True when the page may hold a claim."""

    def __init__(self, units: Iterable[str], multipliers: Iterable[str], changes: Iterable[str],
                 trade: Iterable[str]):
        units = sorted({u.lower() for u in units}, key=len, reverse=True)
        mult = rb"(?:(?:" + _alt(sorted(multipliers, key=len, reverse=True)) + rb")\s?)?"
        # "5,933 t", "1.2mn t", "5,000-tonne", "816 000 tonnes": a unit right after the digits
        self.quantity = re.compile(rb"\d[\d,. ]{0,12}-?" + mult + rb"(?:" + _alt(units) + rb")(?![a-z-])")
        self.percent = re.compile(PERCENT)
        self.change = _words(changes)
        self.trade = _words(trade)

    @classmethod
    def from_models(cls) -> "Prefilter":
        units, multipliers = [], []
        for entry in _read("units.jsonl"):
            if entry["kind"] == "unit":
                units += entry["aliases"]
            elif entry["kind"] == "multiplier":
                multipliers += entry["aliases"]
        changes = [e["phrase"] for e in _read("changes.jsonl") if e["kind"] == "change"]
        trade = [p for e in _read("cues.jsonl") if e["kind"] == "trade" for p in e["phrases"]]
        return cls(units, multipliers, changes, trade)

    def passes(self, raw: bytes) -> bool:
        text = visible_text(raw)
        if self.quantity.search(text):
            return True
        for figure in self.percent.finditer(text):
            start, end = max(0, figure.start() - WINDOW), figure.end() + WINDOW
            if self.change.search(text, start, end) and self.trade.search(text, start, end):
                return True
        return False


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
    for name in ("units.jsonl", "changes.jsonl", "cues.jsonl"):
        digest.update((models_dir() / name).read_bytes())
    return digest.hexdigest()[:12]


def passes(raw: bytes) -> bool:
    return default().passes(raw)

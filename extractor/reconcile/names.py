"""Canonical names for commodities and data sources, matching variant spellings with rapidfuzz.

Commodities: a claim already carries a canonical name (claims.md; the reader maps the words of
the text to it), so only spelling variants are folded here: exact lookup after lowercasing,
hyphens to spaces and a naive singular, then a fuzzy match against the names known. Aliases
that are other words ("vegetable oils" for edible oils, "crude palm oil" for palm oil) are not
folded: two names a careful reader keeps apart are two series. A name that matches nothing
becomes its own canonical name, so later variants of it ("soya bean meal" / "soya-bean meals")
still group together.

Sources (customs offices, statistics bureaus, agencies): aliases and fuzzy matching both.
"""
from __future__ import annotations

import re
from typing import Optional

from rapidfuzz import fuzz, process

from extractor.reconcile.vocab import Vocab

COMMODITY_CUTOFF = 92  # fuzz.ratio on normalised names: spelling variants, not other goods
SOURCE_CUTOFF = 85  # token_set_ratio on content words: word order and extra words vary

_SPACES = re.compile(r"[\s\-_/]+")
_PUNCT = re.compile(r"[^\w\s]")
_SOURCE_STOP = {"the", "of", "s", "data", "statistics", "figures", "official", "china", "chinese",
                "china's", "national", "s"}


def _singular(token: str) -> str:
    if len(token) > 3 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def commodity_key(name: str) -> str:
    text = _SPACES.sub(" ", name.lower().replace("’", "'")).strip()
    text = _PUNCT.sub("", text)
    return " ".join(_singular(t) for t in text.split() if t != "the")


class CommodityNames:
    def __init__(self, vocab: Vocab) -> None:
        self._keys: dict[str, str] = {}
        for canonical in vocab.commodity_aliases:
            self._keys.setdefault(commodity_key(canonical), canonical)
        self._cache: dict[str, str] = {}

    def canonical(self, name: Optional[str]) -> str:
        if not name:
            return "unknown commodity"
        hit = self._cache.get(name)
        if hit is not None:
            return hit
        key = commodity_key(name)
        canonical = self._keys.get(key)
        if canonical is None:
            match = process.extractOne(key, list(self._keys), scorer=fuzz.ratio,
                                       score_cutoff=COMMODITY_CUTOFF)
            canonical = self._keys[match[0]] if match else _SPACES.sub(" ", name.lower()).strip()
            self._keys[key] = canonical
        self._cache[name] = canonical
        return canonical


def source_key(name: str) -> str:
    text = _PUNCT.sub(" ", name.lower().replace("’s", "").replace("'s", ""))
    return " ".join(t for t in text.split() if t not in _SOURCE_STOP)


class SourceNames:
    """Data sources (customs offices, statistics bureaus) and news agencies."""

    def __init__(self, vocab: Vocab) -> None:
        self._known: dict[str, str] = {}
        self.agencies = set(vocab.agencies)
        for name, aliases in {**vocab.data_sources, **vocab.agencies}.items():
            for alias in (name, *aliases):
                key = source_key(alias)
                if key:
                    self._known.setdefault(key, name)
        self._cache: dict[str, str] = {}

    def canonical(self, name: Optional[str]) -> Optional[str]:
        if not name or not name.strip():
            return None
        hit = self._cache.get(name)
        if hit is not None:
            return hit
        key = source_key(name)
        canonical = self._known.get(key)
        if canonical is None and key:
            match = process.extractOne(key, list(self._known), scorer=fuzz.token_set_ratio,
                                       score_cutoff=SOURCE_CUTOFF)
            canonical = self._known[match[0]] if match else None
        if canonical is None:
            canonical = " ".join(name.split())
            if key:
                self._known[key] = canonical
        self._cache[name] = canonical
        return canonical

    def is_agency(self, canonical: Optional[str]) -> bool:
        return canonical in self.agencies

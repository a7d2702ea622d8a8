"""Figures that cover only part of the period they are filed under.

The claim shape keys a figure by months, so "8.05 million tonnes as of November 15" is filed
under January-November and "293,484 tonnes in the first half of November" under November. Beside
a whole-period figure such a part is smaller by nature, not by error: a disagreement between a
cut-off reading and a whole-period reading is no conflict. The words that cut a period short are
data (models/part_periods.jsonl); the month they name must be the last month of the claim's period.
"""
from __future__ import annotations

import re
from typing import Optional

from extractor.reconcile.vocab import Vocab

LAST_DAYS = 28  # "as of November 30" is the month's end: the whole month


_CACHE: dict = {}  # id(vocab) -> month -> patterns (vocabularies are loaded once)


def _patterns(vocab: Vocab) -> dict:
    found = _CACHE.get(id(vocab))
    if found is not None:
        return found

    def alt(words) -> str:
        return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"

    to_day = vocab.part_periods.get("to_day", ())
    part = vocab.part_periods.get("part_of_month", ())
    day = r"(\d{1,2})(?:st|nd|rd|th)?"
    out = {}
    for month, names in vocab.month_names.items():
        m = alt(n.rstrip(".") for n in names) + r"\.?"
        forms = []
        if to_day:
            forms.append(rf"\b{alt(to_day)}\s+(?:the\s+)?(?:{m}\s+{day}\b|{day}\s+(?:of\s+)?{m}(?!\w))")
        if part:
            forms.append(rf"\b{alt(part)}\s+{m}(?!\w)")
        # every form names the month: a sentence without its name is passed over in one search
        named = re.compile(alt(n.rstrip(".") for n in names), re.IGNORECASE)
        out[month] = (named, [re.compile(f, re.IGNORECASE) for f in forms])
    _CACHE[id(vocab)] = out
    return out


_SHORT: dict = {}  # (id(vocab), sentence, month) -> cut-off words: a sentence has many claims
_SHORT_LIMIT = 200_000


def cut_short(sentence: str, last_month: int, vocab: Vocab) -> Optional[str]:
    """The words of `sentence` that cut a period ending in `last_month` (1-12) short, if any."""
    key = (id(vocab), sentence, last_month)
    if key not in _SHORT:
        if len(_SHORT) >= _SHORT_LIMIT:
            _SHORT.clear()
        _SHORT[key] = _cut_short(sentence, last_month, vocab)
    return _SHORT[key]


def _cut_short(sentence: str, last_month: int, vocab: Vocab) -> Optional[str]:
    named, forms = _patterns(vocab).get(last_month, (None, ()))
    if named is None or not named.search(sentence or ""):
        return None
    for pattern in forms:
        for match in pattern.finditer(sentence or ""):
            day = next((g for g in match.groups() if g), None)
            if day is None or int(day) < LAST_DAYS:
                return match.group(0)
    return None


def part_of(reading, vocab: Vocab) -> Optional[str]:
    """The cut-off words when every claim of a level reading covers only part of its period."""
    if reading.kind != "level" or not reading.items:
        return None
    last = reading.period.last % 12 + 1
    first = None
    for it in reading.items:  # the first claim stating the whole period settles it
        words = cut_short(it.claim.sentence, last, vocab)
        if not words:
            return None
        first = first or words
    return first


__all__ = ["cut_short", "part_of"]

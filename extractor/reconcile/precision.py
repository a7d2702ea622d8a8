"""How precise a reported number is: the interval it was rounded from.

Rule (documented in the README of the reconciler, tested in test_reconcile_properties):
- The literal as written in the claim's sentence decides: half a unit of its last digit shown,
  times its scale. "5,952 tons" -> +/-0.5; "1.2 million tonnes" -> +/-0.05 million;
  "5.9 kt" -> +/-0.05 kt = +/-50 t; "3.2%" -> +/-0.05 points; "12%" -> +/-0.5 points.
  The literal is the one whose value (times a scale word or a kt/Mt unit) equals the claim's
  number, nearest to the figure's offsets when the claim has them.
- Without a matching literal the value itself decides: an integer -> +/-0.5; a decimal -> half a
  unit of its last decimal; a whole number of at least a million that is a round number of
  hundred-thousands is read as stated in millions (1,200,000 -> 1.2 million -> +/-50,000).
- Qualifiers: approx ("roughly", "about", "nearly") widens to +/-max(rounding, 2.5 % of the
  value) for quantities and +/-max(rounding, 1 point, 2.5 % of the change) for changes;
  "over" keeps only the lower bound (value - rounding), "under" only the upper (a quantity
  is never below 0). The qualifier belongs to the value when there is one, else to the change;
  "approx" on a claim with both widens both.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Optional

from extractor.reconcile.intervals import INF, Interval
from extractor.types import Claim

APPROX_REL = 0.025
APPROX_CHANGE_POINTS = 1.0

_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
           "billion": 1e9, "bn": 1e9}
_UNIT_SCALES = {"kt": 1e3, "kilotonnes": 1e3, "kilotons": 1e3, "kilotonne": 1e3,
                "mt": 1e6, "megatonnes": 1e6}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
    r"(?:\s*(thousand|million|billion|mln|mn|bn|k|m)\b)?"
    r"(?:\s*(kt|kilotonnes|kilotons|kilotonne|mt|megatonnes)\b)?",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(?<![\w.])(\d+)(?:\.(\d+))?\s*(?:%|percent\b|per cent\b|pct\b)",
                      re.IGNORECASE)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALE_AFTER = re.compile(r"\s*(thousand|million|billion|mln|mn|bn|k|m)\b\s*"
                          r"(kt|kilotonnes|kilotons|kilotonne|mt|megatonnes)?\b"
                          r"|\s*(kt|kilotonnes|kilotons|kilotonne|mt|megatonnes)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _literals(sentence: str) -> tuple:
    """(position, value, half_unit) of every number written in the sentence."""
    out = []
    for m in _DIGITS.finditer(sentence):
        start = m.start()
        if start and (sentence[start - 1].isalnum() or sentence[start - 1] in "._"):
            continue
        raw = m.group(0).rstrip(",")
        whole, _, frac = raw.partition(".")
        if "," in whole and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", whole):
            whole = whole.split(",")[0]
            frac = ""
        decimals = len(frac)
        number = float(whole.replace(",", "") + ("." + frac if frac else ""))
        half = 0.5 * 10 ** -decimals
        out.append((start, number, half))
        end = start + len(whole) + (len(frac) + 1 if frac else 0)
        nxt = sentence[end:end + 1]
        if nxt and (nxt.isspace() or nxt.isalpha()):
            sm = _SCALE_AFTER.match(sentence, end)
            if sm:
                scale = 1.0
                word, unit1, unit2 = sm.group(1), sm.group(2), sm.group(3)
                if word and (word.lower() != "m" or unit1):
                    scale *= _SCALES[word.lower()]
                unit = unit1 or unit2
                if unit:
                    scale *= _UNIT_SCALES[unit.lower()]
                if scale != 1.0:
                    out.append((start, number * scale, half * scale))
    return tuple(out)


@lru_cache(maxsize=4096)
def _percent_literals(sentence: str) -> tuple:
    return tuple(
        (m.start(), float(m.group(1) + ("." + m.group(2) if m.group(2) else "")),
         0.5 * 10 ** -(len(m.group(2)) if m.group(2) else 0))
        for m in _PERCENT.finditer(sentence)
    )


def _pick(cands: tuple, target: float, near: Optional[int]) -> Optional[float]:
    matches = [(pos, half) for pos, value, half in cands if _close(value, target)]
    if not matches:
        return None
    if near is not None:
        matches.sort(key=lambda m: abs(m[0] - near))
    return matches[0][1]


def _figure_offset(claim: Claim) -> Optional[int]:
    if claim.figure_start is None or claim.start is None:
        return None
    return claim.figure_start - claim.start


def _decimals(x: float) -> int:
    text = repr(float(x))
    if "e" in text or "E" in text:
        return 0
    frac = text.split(".")[1].rstrip("0") if "." in text else ""
    return len(frac)


def half_unit_from_value(value: float) -> float:
    """Rounding half-width when the sentence does not show the number (see module rule)."""
    x = abs(value)
    if float(x).is_integer():
        for scale in (1e9, 1e6):
            if x >= scale and x % (scale / 10) == 0:
                return 0.5 * scale * 10 ** -_decimals(x / scale)
        return 0.5
    return 0.5 * 10 ** -_decimals(x)


def _fast_literal(sentence: str, value: float) -> Optional[float]:
    """Half-unit of the value written plainly ("5,952", "5952", "61.5") when nothing scales it."""
    v = abs(value)
    if not v.is_integer() and _decimals(v) > 3:
        return None
    for text in ({f"{v:,.0f}", f"{v:.0f}"} if v.is_integer() else {f"{v:,}", repr(v)}):
        pos = sentence.find(text)
        while pos >= 0:
            end = pos + len(text)
            before = sentence[pos - 1:pos]
            after = sentence[end:end + 12]
            if not (before.isdigit() or before in (".", ",")) and not after[:1].isdigit() \
                    and not (after[:1] in ".," and after[1:2].isdigit()):
                if after[:1] in (" ", "") and _SCALE_AFTER.match(sentence, end):
                    return None  # "1.2 million", "5.9 kt": leave it to the full parse
                return 0.5 * 10 ** -(len(text.split(".")[1]) if "." in text else 0)
            pos = sentence.find(text, pos + 1)
    return None


def rounding_interval(x: float) -> Interval:
    """The interval a bare reported number rounds from: 5,952 -> [5,951.5, 5,952.5]; -3.2 -> +/-0.05.

    For a claim, `value_interval` and `change_interval` read the precision from its sentence.
    """
    half = half_unit_from_value(x) if not float(x).is_integer() or abs(x) >= 1e6 else 0.5
    return Interval(x - half, x + half)


def value_half_unit(claim: Claim) -> tuple[float, str]:
    """(half-width, how it was found) for the claim's value."""
    if claim.sentence and claim.figure_start is None:
        half = _fast_literal(claim.sentence, float(claim.value))
        if half is not None:
            return half, "as written"
    if claim.sentence:
        half = _pick(_literals(claim.sentence), abs(claim.value), _figure_offset(claim))
        if half is not None:
            return half, "as written"
    return half_unit_from_value(claim.value), "from the value"


def change_half_unit(claim: Claim) -> float:
    if claim.sentence:
        half = _pick(_percent_literals(claim.sentence), abs(claim.change_pct), None)
        if half is not None:
            return half
    return half_unit_from_value(claim.change_pct) if not float(claim.change_pct).is_integer() else 0.5


def value_interval(claim: Claim) -> Interval:
    """The interval the claim's value stands for, in the claim's unit (per month if `per`)."""
    v = float(claim.value)
    half, _ = value_half_unit(claim)
    q = claim.qualifier
    if q == "over":
        return Interval(v - half, INF)
    if q == "under":
        return Interval(0.0 if v >= 0 else -INF, v + half)
    if q == "approx":
        half = max(half, APPROX_REL * abs(v))
    return Interval(v - half, v + half)


def change_interval(claim: Claim) -> Interval:
    c = float(claim.change_pct)
    half = change_half_unit(claim)
    q = claim.qualifier
    value_takes_it = claim.value is not None
    if q == "approx":
        half = max(half, APPROX_CHANGE_POINTS, APPROX_REL * abs(c))
    elif q == "over" and not value_takes_it:
        return Interval(c - half, INF)
    elif q == "under" and not value_takes_it:
        return Interval(-INF, c + half)
    return Interval(c - half, c + half)

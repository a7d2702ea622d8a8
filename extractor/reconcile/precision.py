"""How precise a reported number is: the interval it was rounded from.

Rule (documented in the README of the reconciler, tested in test_reconcile_properties):
- The literal as written in the claim's sentence decides: half a unit of its last digit shown,
  times its scale. "5,952 tons" -> +/-0.5; "1.2 million tonnes" -> +/-0.05 million;
  "5.9 kt" -> +/-0.05 kt = +/-50 t; "10.81 lakh tonne" -> +/-500 t; "3,206 kg" -> +/-0.0005 t;
  "3.2%" -> +/-0.05 points; "12%" -> +/-0.5 points.
  The literal is a number written in the sentence that equals the claim's value once scaled by
  a power of ten a unit or scale word can mean (kg, thousand/kt, lakh, million/Mt, crore,
  billion), unscaled first, then the scale written after it, nearest to the figure's offsets
  when the claim has them. So "85.91 million mt" and "78.79 MT" (million tonnes in Indian
  usage) both give +/-5,000 t, whatever the unit word is taken to mean.
- Without a matching literal the value itself decides: an integer -> +/-0.5; a decimal -> half a
  unit of its last decimal; a whole number of at least a million that is a round number of
  hundred-thousands is read as stated in millions (1,200,000 -> 1.2 million -> +/-50,000).
- A change of several hundred percent written as a round hundred ("surged 600%") is read as
  rounded to the hundred (+/-50 points).
- Qualifiers: approx ("roughly", "about", "nearly") widens to +/-max(rounding, 2.5 % of the
  value) for quantities and +/-max(rounding, 1 point, 2.5 % of the change) for changes, and a
  hedged round ten ("around 30 percent") to +/-5 points; "over" keeps only the bound away from
  zero ("over 400 t" >= 399.5; "fell more than 80%" <= -79.5), "under" only the bound toward
  it (a quantity is never below 0). The qualifier belongs to the value when there is one, else
  to the change; "approx" on a claim with both widens the figure the hedge word stands before
  ("78.79 MT, about 12 per cent higher": the change), or both when the sentence does not show.
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
APPROX_ROUND_TEN = 5.0  # "around 30 percent": a hedged round ten is read to the nearest ten
ROUND_HUNDRED = 50.0  # "surged 600%": a change of several hundred percent to the hundred

_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
           "billion": 1e9, "bn": 1e9}
# The powers of ten a unit or scale word can turn a written number into, in tonnes.
_RATIOS = (1e3, 1e6, 1e5, 1e9, 1e-3, 1e7)
# A number not run on from a word or a decimal point, then a percent sign or word. The look-behind
# comes after the first digit, so the scan can skip to digits instead of trying every position.
_PERCENT = re.compile(r"(\d(?<![\w.]\d)\d*)(?:\.(\d+))?\s*(?:%|percent\b|per cent\b|pct\b|pc\b)",
                      re.IGNORECASE)
_HEDGES = re.compile(r"\b(?:about|around|roughly|nearly|almost|approximately|some|close to|"
                     r"an estimated|approx\.?|circa|up to|just over|just under)\s+$", re.IGNORECASE)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")  # thousands separated by commas: 2,395,244
_SCALE_AFTER = re.compile(r"\s*(thousand|million|billion|mln|mn|bn|k|m)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _literals(sentence: str) -> tuple:
    """(position, number as written, half_unit, scale written after it) of every number."""
    out = []
    for m in _DIGITS.finditer(sentence):
        start = m.start()
        if start and (sentence[start - 1].isalnum() or sentence[start - 1] in "._"):
            continue
        raw = m.group(0).rstrip(",")
        whole, _, frac = raw.partition(".")
        if "," in whole and not _GROUPED.fullmatch(whole):
            whole = whole.split(",")[0]
            frac = ""
        decimals = len(frac)
        number = float(whole.replace(",", "") + ("." + frac if frac else ""))
        end = start + len(whole) + (len(frac) + 1 if frac else 0)
        scale = 1.0
        nxt = sentence[end:end + 1]
        sm = _SCALE_AFTER.match(sentence, end) if nxt and (nxt.isspace() or nxt.isalpha()) else None
        if sm and (sm.group(1).lower() != "m" or sentence[sm.end():sm.end() + 2].lower() == "t"):
            scale = _SCALES[sm.group(1).lower()]
        out.append((start, number, 0.5 * 10 ** -decimals, scale))
    return tuple(out)


@lru_cache(maxsize=4096)
def _percent_literals(sentence: str) -> tuple:
    """(position, number, half_unit) of every percentage written in the sentence."""
    out = []
    for m in _PERCENT.finditer(sentence):
        whole, frac = m.group(1, 2)
        if frac:
            out.append((m.start(), float(whole + "." + frac), 0.5 * 10 ** -len(frac)))
        else:
            out.append((m.start(), float(whole), 0.5))
    return tuple(out)


def _pick(cands: tuple, target: float, near: Optional[int]) -> Optional[float]:
    """Half-unit of the percent literal equal to `target` (nearest `near` when several)."""
    matches = [(pos, half) for pos, value, half in cands
               if math.isclose(value, target, rel_tol=1e-9, abs_tol=1e-9)]  # _close, inlined
    if not matches:
        return None
    if near is not None:
        matches.sort(key=lambda m: abs(m[0] - near))
    return matches[0][1]


def _pick_value(cands: tuple, target: float, near: Optional[int]) -> Optional[tuple]:
    """(position, half-unit in tonnes) of the literal that, scaled, is the claim's value.

    Unscaled literals first, then the scale written after the number, then any other power of
    ten a unit word can stand for; nearest the figure's offset within each.
    """
    def best(found):
        if not found:
            return None
        if near is not None:
            found.sort(key=lambda m: abs(m[0] - near))
        return found[0]

    plain = [(pos, half) for pos, value, half, _ in cands if _close(value, target)]
    if plain:
        return best(plain)
    written = [(pos, half * scale) for pos, value, half, scale in cands
               if scale != 1.0 and _close(value * scale, target)]
    if written:
        return best(written)
    for ratio in _RATIOS:
        found = [(pos, half * ratio) for pos, value, half, _ in cands if _close(value * ratio, target)]
        if found:
            return best(found)
    return None


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


def rounding_interval(x: float) -> Interval:
    """The interval a bare reported number rounds from: 5,952 -> [5,951.5, 5,952.5]; -3.2 -> +/-0.05.

    For a claim, `value_interval` and `change_interval` read the precision from its sentence.
    """
    half = half_unit_from_value(x) if not float(x).is_integer() or abs(x) >= 1e6 else 0.5
    return Interval(x - half, x + half)


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


def value_half_unit(claim: Claim) -> tuple[float, str]:
    """(half-width, how it was found) for the claim's value."""
    if claim.sentence and claim.figure_start is None:
        half = _fast_literal(claim.sentence, float(claim.value))
        if half is not None:
            return half, "as written"
    if claim.sentence:
        hit = _pick_value(_literals(claim.sentence), abs(claim.value), _figure_offset(claim))
        if hit is not None:
            return hit[1], "as written"
    return half_unit_from_value(claim.value), "from the value"


def change_half_unit(claim: Claim) -> float:
    c = abs(float(claim.change_pct))
    half = None
    if claim.sentence:
        half = _pick(_percent_literals(claim.sentence), c, None)
    if half is None:
        half = half_unit_from_value(claim.change_pct) if not c.is_integer() else 0.5
    if c >= 200 and c.is_integer() and c % 100 == 0:
        half = max(half, ROUND_HUNDRED)
    return half


def value_literal(claim: Claim) -> Optional[tuple[str, float, str]]:
    """(the number as written, the power of ten it was scaled by, the words after it) for the
    claim's value: ("62.585", 1.0, " metric tons of"), ("57,392", 1000.0, " kilotonnes of")."""
    if claim.value is None or not claim.sentence:
        return None
    sentence = claim.sentence
    hit = _pick_value(_literals(sentence), abs(claim.value), _figure_offset(claim))
    if hit is None:
        return None
    pos = hit[0]
    m = _DIGITS.match(sentence, pos)
    text = m.group(0).rstrip(",") if m else ""
    for start, number, half, _ in _literals(sentence):
        if start == pos and number:
            return text, abs(claim.value) / number, sentence[pos + len(text):pos + len(text) + 24]
    return text, 1.0, sentence[pos + len(text):pos + len(text) + 24]


def hedged(claim: Claim) -> tuple[bool, bool]:
    """(value hedged, change hedged) for an "approx" claim: the figure the hedge word precedes.

    Both when the sentence does not show which (no literal found, or a hedge before both or
    neither); the qualifier belongs to the change when the claim has no value.
    """
    if claim.value is None:
        return False, True
    if claim.change_pct is None or not claim.sentence:
        return True, claim.change_pct is not None
    sentence = claim.sentence
    hit = _pick_value(_literals(sentence), abs(claim.value), _figure_offset(claim))
    pct = [pos for pos, value, _ in _percent_literals(sentence) if _close(value, abs(claim.change_pct))]
    if hit is None or not pct:
        return True, True
    on_value = bool(_HEDGES.search(sentence[max(0, hit[0] - 24):hit[0]]))
    on_change = bool(_HEDGES.search(sentence[max(0, pct[0] - 24):pct[0]]))
    if on_value == on_change:
        return True, True
    return on_value, on_change


def value_interval(claim: Claim) -> Interval:
    """The interval the claim's value stands for, in the claim's unit (per month if `per`)."""
    v = float(claim.value)
    half, _ = value_half_unit(claim)
    q = claim.qualifier
    if q == "over":
        return Interval(v - half, INF)
    if q == "under":
        return Interval(0.0 if v >= 0 else -INF, v + half)
    if q == "approx" and hedged(claim)[0]:
        half = max(half, APPROX_REL * abs(v))
    return Interval(v - half, v + half)


def change_interval(claim: Claim) -> Interval:
    c = float(claim.change_pct)
    half = change_half_unit(claim)
    q = claim.qualifier
    value_takes_it = claim.value is not None
    if q == "approx" and hedged(claim)[1]:
        half = max(half, APPROX_CHANGE_POINTS, APPROX_REL * abs(c))
        if c.is_integer() and c != 0 and c % 10 == 0:
            half = max(half, APPROX_ROUND_TEN)
    elif q in ("over", "under") and not value_takes_it:
        # "over" and "under" speak of the size of the change: away from zero, or toward it
        away = (q == "over") == (c >= 0)
        return Interval(c - half, INF) if away else Interval(-INF, c + half)
    return Interval(c - half, c + half)

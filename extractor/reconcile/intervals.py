"""Closed intervals and the arithmetic the checks do with them.

A reported figure stands for every value that rounds to it, so each number is carried as an
interval and every sum, ratio and percentage change is computed on the bounds. Unbounded ends
("over 400 tons") are +/- infinity.
"""
from __future__ import annotations

import math
from typing import NamedTuple

INF = math.inf
EPS = 1e-9


class Interval(NamedTuple):
    lo: float
    hi: float

    @classmethod
    def point(cls, value: float) -> "Interval":
        return cls(value, value)

    def __add__(self, other: "Interval") -> "Interval":  # type: ignore[override]
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def scale(self, factor: float) -> "Interval":
        a, b = _mul(self.lo, factor), _mul(self.hi, factor)
        return Interval(min(a, b), max(a, b))

    def divide(self, other: "Interval") -> "Interval":
        """self / other for a strictly positive divisor."""
        lo, hi = self
        other_lo, other_hi = other
        if other_lo <= 0:
            raise ValueError(f"divisor interval {other} is not strictly positive")
        if lo > 0 and hi < INF and other_hi < INF:
            # positive and finite (nearly every figure): division is monotone in each operand,
            # so the four candidates' least and greatest are these two
            return Interval(lo / other_hi, hi / other_lo)
        cands = [_div(a, b) for a in (lo, hi) for b in (other_lo, other_hi)]
        return Interval(min(cands), max(cands))

    def overlaps(self, other: "Interval") -> bool:
        lo, hi = self
        other_lo, other_hi = other
        if lo <= other_hi and other_lo <= hi:
            return True  # the tolerance below can only widen an outright overlap
        # a relative epsilon absorbs float error at exact rounding boundaries (5952.45 -> 5952.5)
        scale = max(1.0, abs(lo), abs(hi), abs(other_lo), abs(other_hi))
        if scale == INF:  # the largest finite bound sets the scale
            scale = max(1.0, *(abs(x) for x in (lo, hi, other_lo, other_hi) if abs(x) < INF))
        eps = EPS * scale
        return lo <= other_hi + eps and other_lo <= hi + eps

    def intersect(self, other: "Interval") -> "Interval | None":
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return Interval(lo, hi) if lo <= hi else None

    def contains(self, x: float) -> bool:
        return self.lo <= x <= self.hi

    def gap(self, other: "Interval") -> float:
        """Distance between the intervals (0 when they overlap)."""
        return max(0.0, other.lo - self.hi, self.lo - other.hi)

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi)

    def mid(self) -> float | None:
        return (self.lo + self.hi) / 2 if self.bounded else None

    def fmt(self, unit: str = "", digits: int = 1) -> str:
        return f"[{fmt_num(self.lo, digits)}, {fmt_num(self.hi, digits)}]{unit}"

    def as_list(self) -> list:
        lo, hi = self
        # finite bounds (nearly all) rounded in place: this runs for every interval a check quotes
        return [round(lo, 6) if lo != INF and lo != -INF else _json_num(lo),
                round(hi, 6) if hi != INF and hi != -INF else _json_num(hi)]


def _mul(a: float, b: float) -> float:
    if b == 0 or a == 0:
        return 0.0
    return a * b


def _div(a: float, b: float) -> float:
    if math.isinf(b):
        return 0.0 if math.isfinite(a) else math.copysign(INF, a) * math.copysign(1, b)
    return a / b


def growth_factor(change_pct: Interval) -> Interval:
    """1 + change/100: the ratio of this period's value to the previous one."""
    return Interval(1 + change_pct.lo / 100, 1 + change_pct.hi / 100)


def change_between(current: Interval, previous: Interval) -> Interval:
    """Percentage change from `previous` to `current` as an interval."""
    ratio = current.divide(previous)
    return Interval((ratio.lo - 1) * 100, (ratio.hi - 1) * 100)


def implied_previous(current: Interval, change_pct: Interval) -> Interval | None:
    """The previous period's value implied by this period's value and the stated change."""
    factor = growth_factor(change_pct)
    if factor.hi <= 0:  # a fall of 100 % or more implies nothing about the previous value
        return None
    if factor.lo <= 0:  # a fall of nearly 100 %: the previous value has no upper bound
        return Interval(max(0.0, current.lo) / factor.hi, INF)
    return current.divide(factor)


def largest_finite(floor: float, *values: float) -> float:
    """The largest of `floor` and the finite magnitudes of `values`."""
    top = floor
    for x in values:
        x = abs(x)
        if top < x < INF:
            top = x
    return top


def fmt_num(x: float, digits: int = 1) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.{digits}f}"


def _json_num(x: float):
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return round(x, 6)

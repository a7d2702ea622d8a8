"""The one Period of every stage: a span of months, "2025-11", "2025-Q4", "2025", "2025-01..2025-11".

A period is stored as (first month, last month) counted in months since year 0, so comparing,
shifting and containment are integer arithmetic. `parse_period` reads the contract's spelling
and `format_period` (or `str(period)`) writes it; claims, reconcile and report all use these.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


class Period(NamedTuple):
    first: int  # year * 12 + month - 1
    last: int

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def kind(self) -> str:
        if self.months == 1:
            return "month"
        if self.months == 12 and self.first % 12 == 0:
            return "year"
        if self.months == 3 and self.first % 3 == 0:
            return "quarter"
        return "range"

    def shift(self, months: int) -> "Period":
        return Period(self.first + months, self.last + months)

    def contains(self, other: "Period") -> bool:
        return self.first <= other.first and other.last <= self.last and self != other

    def month_list(self) -> range:
        return range(self.first, self.last + 1)

    def key(self) -> str:
        return format_period(self)

    def __str__(self) -> str:
        return format_period(self)

    @classmethod
    def of_months(cls, year: int, first_month: int, last_year: int | None = None,
                  last_month: int | None = None) -> "Period":
        """The months first_month/year .. last_month/last_year (a single month by default)."""
        first = year * 12 + first_month - 1
        last = (last_year if last_year is not None else year) * 12 + (last_month or first_month) - 1
        return cls(first, last)

    @property
    def year(self) -> int:
        return self.first // 12

    @property
    def month(self) -> int:
        """The first month, 1-12."""
        return self.first % 12 + 1

    @property
    def last_year(self) -> int:
        return self.last // 12

    @property
    def last_month(self) -> int:
        return self.last % 12 + 1

    def label(self) -> str:
        """Readable: "December 2025", "2025", "2025-Q4", "January-November 2025"."""
        return _label(self.first, self.last)  # checks name the same few periods many times


@lru_cache(maxsize=4096)
def _label(first: int, last: int) -> str:
    period = Period(first, last)
    y, m = divmod(first, 12)
    kind = period.kind
    if kind == "month":
        return f"{MONTH_NAMES[m]} {y}"
    if kind == "year":
        return str(y)
    if kind == "quarter":
        return f"{y}-Q{m // 3 + 1}"
    y2, m2 = divmod(last, 12)
    return f"{MONTH_NAMES[m]} {y}–{MONTH_NAMES[m2]} {y2}"


def _m(year: str, month: str) -> int:
    mm = int(month)
    if not 1 <= mm <= 12:
        raise ValueError(month)
    return int(year) * 12 + mm - 1


@lru_cache(maxsize=4096)
def parse_period(text: Optional[str]) -> Optional[Period]:
    """The period, or None when it cannot be read."""
    if not text:
        return None
    s = text.strip()
    try:
        if m := _MONTH.match(s):
            x = _m(*m.groups())
            return Period(x, x)
        if m := _QUARTER.match(s):
            first = int(m.group(1)) * 12 + (int(m.group(2)) - 1) * 3
            return Period(first, first + 2)
        if m := _YEAR.match(s):
            first = int(m.group(1)) * 12
            return Period(first, first + 11)
        if m := _RANGE.match(s):
            a, b = _m(m.group(1), m.group(2)), _m(m.group(3), m.group(4))
            return Period(a, b) if a <= b else None
    except ValueError:
        return None
    return None


@lru_cache(maxsize=4096)
def format_period(p: Period) -> str:
    y, m = divmod(p.first, 12)
    kind = p.kind
    if kind == "month":
        return f"{y:04d}-{m + 1:02d}"
    if kind == "year":
        return f"{y:04d}"
    if kind == "quarter":
        return f"{y:04d}-Q{m // 3 + 1}"
    y2, m2 = divmod(p.last, 12)
    return f"{y:04d}-{m + 1:02d}..{y2:04d}-{m2 + 1:02d}"


def previous_period(p: Period, basis: str) -> Optional[Period]:
    """The period a change is measured against: m/m the period before, y/y a year before.

    "mom" on a quarter or a year means the period just before it (q/q, year on year).
    """
    if basis == "yoy":
        return p.shift(-12)
    if basis == "mom":
        return p.shift(-p.months)
    return None


def basis_between(current: Optional[Period], reference: Optional[Period]) -> Optional[str]:
    """mom / yoy / other for a change of `current` measured against `reference` (a quarter on the
    quarter before is "other": the contract's mom is month on month)."""
    if current is None or reference is None:
        return None
    gap = current.first - reference.first
    if current.months == reference.months:
        if gap == 12:
            return "yoy"
        if gap == 1 and current.months == 1:
            return "mom"
    return "other"


BASIS_WORDS = {"mom": "month on month", "yoy": "year on year", "other": "another basis",
               None: "no basis stated"}


def basis_label(basis: Optional[str], p: Optional[Period] = None) -> str:
    if basis == "mom" and p is not None and p.kind != "month":
        return "against the period before"
    return BASIS_WORDS.get(basis, str(basis))

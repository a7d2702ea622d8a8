"""The likely cause of a wrong figure, named so a fact-checker can verify it.

Given a suspect reading and what the other sources support (the reference), in this order:
- quantities: `transposed_digits` (the same digits in another order), `unit` (a thousand times
  off, the sentence's own unit word being kt or thousand tonnes), `separator` (a thousand times
  off: a thousands separator read as a decimal point or lost), `multiplier` (another power of
  ten: a dropped "million", "hundred million" read as "million"), `wrong_period` (the figure of
  a neighbouring period of the same series: the month before or after, a year apart, or the
  cumulative period around it), `wrong_commodity` (another commodity's figure for the same flow
  and period), `wrong_partner` (the same commodity's figure for another partner, e.g. a total
  given as one country's), else `figure`;
- changes: `sign` (the opposite sign), `basis` (the change on the other basis, y/y against m/m),
  `wrong_period`, `wrong_commodity`, else `figure`.
Each cause has a strength: 0 for `figure`; 1 for a match elsewhere (2 when the claim's value
and change both match); for a power of ten, which alone does not say which figure is off, 1
for each of: the suspect's own print shows it (its unit word is kt, "62.585" read as a decimal),
the suspect alone is out of scale with the rest of its series. Findings use the strength to choose between sources
that are otherwise alike (findings.py).
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from statistics import median
from typing import Optional, Protocol

from extractor.reconcile.context import Context
from extractor.reconcile.intervals import EPS, INF, Interval, fmt_num, largest_finite
from extractor.reconcile.periods import basis_label
from extractor.reconcile.precision import value_literal
from extractor.reconcile.series import Reading

RATIOS = ((3, "separator"), (-3, "separator"), (6, "multiplier"), (-6, "multiplier"),
          (2, "multiplier"), (-2, "multiplier"), (9, "multiplier"), (-9, "multiplier"),
          (5, "multiplier"), (-5, "multiplier"))
_SCALED_RATIOS = tuple((k, name, 10.0 ** -k) for k, name in RATIOS)  # the factor each undoes
_SEPARATOR_PRINT = re.compile(r"^\d{1,3}[.,]\d{3}$")  # "62.585": a separator as a decimal point


@dataclass
class Cause:
    name: str
    strength: int
    detail: str  # a sentence saying what matches
    matched: list = field(default_factory=list)  # readings that show it (another period's figure)


FIGURE = Cause("figure", 0, "")


def cause_of(ctx: Context, r: Reading, refs: list[Reading], reference: Optional[Interval],
             suspects: set = frozenset()) -> Cause:
    """The likeliest cause of `r` being wrong, given the readings it contradicts (`refs`) and
    the interval the other sources support (`reference`); `suspects` are readings (ids) held
    wrong too, which cannot explain anything."""
    if r.kind == "change":
        return _change_cause(ctx, r, refs, reference, suspects)
    return _level_cause(ctx, r, refs, reference, suspects)


def _level_cause(ctx, r, refs, reference, suspects) -> Cause:
    mine = _digits(r.value)
    if mine:
        for ref in refs:
            b = _digits(ref.value)
            if b and mine != b and sorted(mine) == sorted(b):
                return Cause("transposed_digits", 1, f"{fmt_num(r.value)} and {fmt_num(ref.value)} have "
                             f"the same digits in a different order.", [ref])
    intervals = [widened(x) for x in refs] + ([reference] if reference is not None else [])
    positive = [x for x in intervals if x.bounded and x.lo > 0] if r.interval.lo > 0 else []
    if positive:
        largest = max(x.hi for x in positive)  # positive and bounded: the largest magnitude
        lowest = min(x.lo for x in positive)
        floor = max(1.0, largest)
        lo, hi = r.interval  # lo > 0: a positive factor keeps the bounds in order (Interval.scale)
        for k, name, factor in _SCALED_RATIOS:
            bottom, upper = lo * factor, hi * factor
            # a bounds test widened by the most `overlaps` can allow, then the exact test; the
            # tolerance is largest_finite(floor, bottom, upper), for 0 < bottom <= upper
            slack = EPS * max(floor, upper if upper < INF else bottom if bottom < INF else floor)
            top = upper + slack
            if lowest > top or bottom > largest + slack:  # off every figure, as most ratios are
                continue
            scaled = Interval(bottom, upper)
            for x in positive:
                if x.lo <= top and bottom <= x.hi + slack and scaled.overlaps(x):
                    return _ratio_cause(ctx, r, k, name, x)
    return _closest(ctx, r, suspects, (_other_period, _other_commodity, _other_partner))


def _closest(ctx, r: Reading, suspects, finders) -> Cause:
    """Of the figures elsewhere that match the suspect, the nearest to it (in that order on a tie)."""
    found = [c for c in (finder(ctx, r, suspects) for finder in finders) if c is not None]
    if not found:
        return FIGURE
    return min(found, key=lambda c: (-c.strength, abs(c.matched[0].value - r.value) /
                                     max(abs(r.value), 1e-9)))


def round_figure(r: Reading) -> Optional[float]:
    """Half the unit a round figure may be rounded to: 55,400 -> 50; None when not round.

    Only figures of three or more significant digits before their zeros: 62,580 may be
    rounded to tens, 260 (million) is not read as rounded to tens of millions.
    """
    if r.kind != "level" or r.qualifier or not float(r.value).is_integer() or r.value == 0:
        return None
    digits = str(int(abs(r.value)))
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0 or len(digits) - zeros < 3:
        return None
    return 0.5 * 10 ** zeros * (r.period.months if r.per == "month" else 1)


def widened(r: Reading) -> Interval:
    """The reading's interval, a round figure's widened to its last significant digit."""
    half = round_figure(r)
    if half is None:
        return r.interval
    v = r.value * (r.period.months if r.per == "month" else 1)
    return Interval(min(r.interval.lo, v - half), max(r.interval.hi, v + half))


def _ratio_cause(ctx, r: Reading, k: int, name: str, hit: Interval) -> Cause:
    factor = fmt_num(10.0 ** abs(k))
    times = "times" if k > 0 else "divided by"
    # a ratio alone does not say which figure is off; the suspect's own print or its scale does
    strength = 0
    literal = next((value_literal(it.claim) for it in r.items if value_literal(it.claim)), None)
    if abs(k) == 3 and literal is not None:
        text, scale, after = literal
        word = after.strip().split(" ")[0].strip(".,;:()").lower() if after.strip() else ""
        if k > 0 and scale >= 999 and ctx.vocab.unit_factors.get(word) == 1000.0:
            name = "unit"
            strength = 1
        elif k < 0 and _SEPARATOR_PRINT.match(text) and "." in text and scale == 1.0:
            strength = 1  # "62.585" read as 62.585 where the others give 62,585
    if _out_of_scale(ctx, r, hit):
        strength += 1
    words = {
        "unit": f"the sentence's unit (thousand tonnes) makes it {factor} times the figure the "
                f"other sources give: kt read for t, or t for kt?",
        "separator": f"it is the supported figure {times} {factor}: a thousands separator read as "
                     f"a decimal point, or a decimal point lost?",
        "multiplier": f"it is the supported figure {times} {factor}: a scale word (thousand, "
                      f"million, hundred million) dropped or misread?",
    }
    return Cause(name, strength, words[name])


def _out_of_scale(ctx, r: Reading, other: Interval) -> bool:
    """The suspect is orders of magnitude off its series' other periods; the reference is not."""
    values = [x.interval.mid() / max(1, x.period.months) for c in ctx.cells_of_line(r.line)
              if c.period != r.period for x in c.reported_levels()
              if x.interval.bounded and x.interval.lo > 0]
    mid = other.mid()
    if len(values) < 1 or mid is None or mid <= 0 or r.interval.lo <= 0:
        return False
    centre = median(math.log10(v) for v in values if v > 0)
    months = max(1, r.period.months)
    own = abs(math.log10(r.interval.mid() / months) - centre)
    ref = abs(math.log10(mid / months) - centre)
    return own > 1.5 and ref < 1.0


def _nearby(r: Reading) -> list:
    """Periods of the same length a figure may have been moved from, nearest first."""
    n = r.period.months
    shifts = [n, -n] + ([2, -2, 3, -3] if n == 1 else []) + [12, -12]
    return [r.period.shift(k) for k in dict.fromkeys(shifts)]


def _nearby_order(ctx, r: Reading) -> dict:
    """`_nearby(r)` as period -> rank, worked out once per period."""
    key = ("nearby", r.period)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = {q: i for i, q in enumerate(_nearby(r))}
    return found


def _other_period(ctx, r: Reading, suspects) -> Optional[Cause]:
    x = next((x for x in _matching(ctx, "period", r, _period_matches) if id(x) not in suspects), None)
    if x is None:
        return None
    strength = 1 + _pair_matches(ctx, r, x)
    what = "figure" if r.kind == "level" else "change"
    return Cause("wrong_period", strength, f"{r.text()} is the {what} for {x.period.label()} "
                 f"({ctx.src(x)}): given for the wrong month or period?", [x])


def _matching(ctx, what: str, r: Reading, find) -> list:
    """`find(ctx, r)`, the figures elsewhere matching r, worked out once per reading: the
    findings ask for the cause of one reading many times, with different suspects left out."""
    key = (what, id(r))
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = find(ctx, r)
    return found


def _period_matches(ctx, r: Reading) -> list:
    """Figures of nearby or enclosing periods of the line that match r, nearest period first."""
    order = _nearby_order(ctx, r)
    found = []
    for c, x in line_pool(ctx, r).matching(ctx, r.interval):
        if c.period == r.period:
            continue
        near = c.period in order
        around = (c.period.last == r.period.last or c.period.first == r.period.first) and (
            c.period.contains(r.period) or r.period.contains(c.period))
        if near or around:
            found.append((order.get(c.period, len(order)), x))
    found.sort(key=lambda f: f[0])
    return [x for _, x in found]


class _Pool:
    """The figures of some cells (the cells in order, each cell's figures in order) that can
    match a reading, sorted by lower bound too: a reading's matches are looked up, not scanned
    for, as the findings ask for those of thousands of readings."""

    __slots__ = ("cells", "readings", "by_lo", "los", "width", "scale")

    def __init__(self, entries: list) -> None:
        self.cells = [c for c, _ in entries]
        self.readings = [x for _, x in entries]
        self.by_lo = sorted(range(len(entries)), key=lambda n: self.readings[n].interval.lo)
        self.los = [self.readings[n].interval.lo for n in self.by_lo]
        self.width = max((x.interval.hi - x.interval.lo for x in self.readings), default=0.0)
        self.scale = largest_finite(1.0, self.los[-1] if self.los else 0.0, self.width)

    def matching(self, ctx, target: Interval) -> list:
        """(cell, figure) of every figure whose interval overlaps `target` as
        `ctx.overlapping` tells it, in the pool's order."""
        lo, hi = target
        if math.isfinite(self.width) and math.isfinite(lo) and math.isfinite(hi):
            # wider than any tolerance `overlaps` allows: the exact test decides below
            reach = 2.0 * EPS * max(self.scale, abs(lo), abs(hi)) + self.width
            start = bisect_left(self.los, lo - reach - EPS * (abs(lo) + reach))
            end = bisect_right(self.los, hi + reach + EPS * (abs(hi) + reach))
            picked = sorted(self.by_lo[start:end])
        else:
            picked = range(len(self.readings))
        if not picked:
            return []
        hits = {id(x) for x in ctx.overlapping([self.readings[n] for n in picked], target)}
        return [(self.cells[n], self.readings[n]) for n in picked if id(self.readings[n]) in hits]


def _pool(ctx, where: tuple, cells_of, args: tuple, r: Reading) -> _Pool:
    """The pool of figures of the cells `cells_of(*args)` that can match r (levels, or the
    changes of r's basis), built once per cells and kind."""
    key = ("pool", where, r.kind, r.basis if r.kind == "change" else None)
    found = ctx.memo.get(key)
    if found is None:
        entries = []
        for c in cells_of(*args):
            pool = c.reported_levels() if r.kind == "level" else [
                y for y in c.changes.values() if y.modality == "reported" and y.basis == r.basis]
            entries += [(c, x) for x in pool]
        found = ctx.memo[key] = _Pool(entries)
    return found


def line_pool(ctx, r: Reading) -> _Pool:
    """The pool of r's kind (and basis) of every cell of r's line (the checks ask for it too)."""
    return _pool(ctx, ("line", r.line), ctx.cells_of_line, (r.line,), r)


def _pair_matches(ctx, r: Reading, x: Reading) -> int:
    """1 when the suspect's claims also state a change (or value) that matches x's period too."""
    for it in r.items:
        other = it.change_reading if r.kind == "level" else it.reading
        if other is None:
            continue
        cell = ctx.cells.get((x.line, x.period))
        if cell is None:
            continue
        pool = cell.changes.values() if other.kind == "change" else cell.reported_levels()
        if any(y.interval.overlaps(other.interval) and (other.kind == "level" or y.basis == other.basis)
               for y in pool):
            return 1
    return 0


def _commodity_matches(ctx, r: Reading) -> list:
    """Figures of other commodities of the same flow and period that match r, those of the
    families not reconciled here (`Outside`) too."""
    e, i, commodity = r.line
    pool = _pool(ctx, ("flow", e, i, r.period), ctx.cells_of_flow, (e, i, r.period), r)
    found = [x for c, x in pool.matching(ctx, r.interval) if c.line != r.line and c.line[2] != commodity]
    return found + ctx.outside.matches(ctx, r) if ctx.outside is not None else found


def _partner_matches(ctx, r: Reading) -> list:
    """Figures of the commodity and period for another partner (or the total) that match r."""
    e, i, commodity = r.line
    pool = _pool(ctx, ("period", r.period, commodity), ctx.cells_of_period, (r.period, commodity), r)
    return [x for c, x in pool.matching(ctx, r.interval)
            if c.line != r.line and (c.line[0] == e) != (c.line[1] == i)]


def _other_commodity(ctx, r: Reading, suspects) -> Optional[Cause]:
    found = [x for x in _matching(ctx, "commodity", r, _commodity_matches) if id(x) not in suspects]
    if not found:
        return None
    # the nearest figure, then the commodity's name: the same whichever cells were loaded first
    x = min(found, key=lambda x: (abs(x.value - r.value), x.line[2], x.serial))
    return Cause("wrong_commodity", 1, f"{r.text()} is the {_what(r)} given for {x.line[2]} "
                 f"({ctx.src(x)}) in the same period: the wrong commodity named?", [x])


def _other_partner(ctx, r: Reading, suspects) -> Optional[Cause]:
    x = next((x for x in _matching(ctx, "partner", r, _partner_matches) if id(x) not in suspects), None)
    if x is None:
        return None
    return Cause("wrong_partner", 1, f"{r.text()} is the {_what(r)} given for "
                 f"{x.line[0] or '?'}>{x.line[1] or '?'} ({ctx.src(x)}) in the same period: "
                 f"another partner's or the total's figure?", [x])


def _what(r: Reading) -> str:
    return "figure" if r.kind == "level" else "change"


def _change_cause(ctx, r, refs, reference, suspects) -> Cause:
    intervals = [x.interval for x in refs] + ([reference] if reference is not None else [])
    flipped = Interval(-r.interval.hi, -r.interval.lo)
    if r.value and any(flipped.overlaps(x) for x in intervals):
        word = "rise" if r.value > 0 else "fall"
        return Cause("sign", 1, f"the other sources give the same change as a "
                     f"{'fall' if word == 'rise' else 'rise'}: the sign reversed?")
    cell = ctx.cells.get((r.line, r.period))
    if cell is not None:
        for other in cell.changes.values():
            if (other.basis not in (r.basis, None) and id(other) not in suspects
                    and other.interval.overlaps(r.interval)):
                return Cause("basis", 1, f"{r.text()} matches the {basis_label(other.basis)} change "
                             f"({ctx.src(other)}): a {basis_label(other.basis)} change read as "
                             f"{basis_label(r.basis)}?", [other])
    return _closest(ctx, r, suspects, (_other_period, _other_commodity))


class Outside(Protocol):
    """Figures of the commodity families not reconciled with these (an incremental reconcile
    reconciles only the families a batch touched; incremental.py), for the one cause that
    looks across commodities (`wrong_commodity`). They are never checked, summarised or held
    wrong here; `wrong` and `candidates` are the ids of those the stored findings hold wrong
    (with one answer / in any answer), among the figures fetched so far."""

    wrong: frozenset
    candidates: frozenset

    def fetch(self, ctx: Context, readings: list[Reading]) -> None:
        """Look up, at once, the figures other families give for the flows and periods of
        `readings` that can match them (what `matches` will be asked for)."""

    def matches(self, ctx: Context, r: Reading) -> list[Reading]:
        """Their reported figures of r's flow, period and kind (a change: of r's basis) whose
        interval overlaps r's; fetched first if need be."""


def _digits(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and value >= 10 else ""

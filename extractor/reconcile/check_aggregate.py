"""aggregate: parts never exceed their whole.

- destinations (importer not WLD/EU) summed do not exceed the total to the world, and origins
  do not exceed total imports from all origins, for one commodity and period;
- months (and quarters) do not exceed the year, quarter or range that contains them, and when
  they cover it completely they sum to it within rounding;
- a narrower commodity scope does not exceed the wider one that contains it
  (models/commodity_scopes.jsonl).
Only reported figures count; projections are left out and named as such.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from extractor.reconcile.context import Context, iv, make_check
from extractor.reconcile.intervals import Interval, fmt_num
from extractor.reconcile.series import AGGREGATES, Cell, series_key

KIND = "aggregate"


def figure_of(cell: Optional[Cell]) -> Optional[Interval]:
    """The interval a cell stands for: its consensus, or the widest reading if sources tie."""
    if cell is None or cell.consensus is None:
        return None
    cons = cell.consensus
    if not cons.tied:
        return cons.interval
    levels = cell.reported_levels()
    return Interval(min(r.interval.lo for r in levels), max(r.interval.hi for r in levels))


def country_name(ctx: Context, code: str) -> str:
    names = ctx.vocab.country_names.get(code)
    return names[0] if names else code


def _ids(cells: list[Cell]) -> list[str]:
    out = []
    for c in cells:
        for r in (c.consensus.members if c.consensus and not c.consensus.tied
                  else c.reported_levels()):
            out.extend(r.claim_ids)
    return out


def _part(cell: Cell, name: str) -> dict:
    r = cell.consensus.best()
    return {"part": name, "figure": r.text(), "interval": figure_of(cell).as_list(),
            "claim_ids": list(r.claim_ids)}


def check_aggregates(ctx: Context) -> None:
    _partners(ctx)
    _periods(ctx)
    _scopes(ctx)


def _partners(ctx: Context) -> None:
    by_dest: dict = defaultdict(list)
    by_origin: dict = defaultdict(list)
    for (line, period), cell in ctx.cells.items():
        exporter, importer, commodity = line
        if cell.consensus is None:
            continue
        if exporter not in AGGREGATES and importer not in AGGREGATES:
            by_dest[(exporter, commodity, period)].append(cell)
            by_origin[(importer, commodity, period)].append(cell)
    for (exporter, commodity, period), parts in by_dest.items():
        total = ctx.cells.get(((exporter, "WLD", commodity), period))
        _sum_check(ctx, total, parts, [c.line[1] for c in parts], "destinations")
    for (importer, commodity, period), parts in by_origin.items():
        total = ctx.cells.get((("WLD", importer, commodity), period))
        _sum_check(ctx, total, parts, [c.line[0] for c in parts], "origins")


def _sum_check(ctx: Context, total: Optional[Cell], parts: list[Cell], names: list[str],
               what: str, complete: bool = False, nearby: Optional[list] = None) -> None:
    whole = figure_of(total)
    if whole is None or not parts:
        return
    if what in ("destinations", "origins"):
        order = sorted(range(len(parts)), key=lambda i: -(parts[i].consensus.best().value))
        parts = [parts[i] for i in order]
        names = [country_name(ctx, names[i]) for i in order]
    intervals = [figure_of(p) for p in parts]
    lo = sum(x.lo for x in intervals)
    hi = sum(x.hi for x in intervals)
    listing = " + ".join(f"{n} {p.consensus.best().text()}" for n, p in zip(names, parts))
    best = total.consensus.best()
    too_big = lo > whole.hi
    too_small = complete and hi < whole.lo
    verdict = "conflict" if too_big or too_small else "consistent"
    shown = f"{fmt_num(round(lo, 1))} t" if lo == hi or hi == float("inf") else iv(Interval(lo, hi))
    if too_big:
        rel = f"exceeds the total {best.text()} ({iv(whole)}) by at least {fmt_num(round(lo - whole.hi, 1))} t"
    elif too_small:
        rel = f"falls short of the total {best.text()} ({iv(whole)}) though they cover all of it"
    elif complete:
        rel = f"matches the total {best.text()} within rounding"
    else:
        rel = f"does not exceed the total {best.text()}"
    projected = [r for p in [total, *parts, *(nearby or [])] for r in p.levels.values()
                 if r.modality == "projected"]
    projected = list({id(r): r for r in projected}.values())
    note = (" Projected figures are left out: " + ", ".join(
        f"{r.text()} for {r.period.label()}" for r in projected) + ".") if projected else ""
    scope = {"destinations": "by destination", "origins": "by origin"}.get(what, what)
    explanation = (f"{total.key} {scope}: {listing} = {shown}, which {rel}.{note}")
    sides = None
    if verdict == "conflict":  # the total, or a part whose figure alone breaks the sum
        sides = [_readings(total)] + [_readings(p) for p, x in zip(parts, intervals)
                                      if too_small or lo - x.lo <= whole.hi]
    ctx.add(make_check(KIND, verdict, total.key, _ids([total, *parts]), explanation, {
        "what": what, "total": _part(total, "total"),
        "parts": [_part(p, n) for p, n in zip(parts, names)],
        "parts_sum": [round(lo, 6), round(hi, 6) if hi != float("inf") else "inf"],
        "complete": complete,
    }), sides)


def _readings(cell: Cell) -> list:
    """The readings a cell's figure rests on (see figure_of)."""
    cons = cell.consensus
    return list(cons.members) if not cons.tied else cell.reported_levels()


def _periods(ctx: Context) -> None:
    by_line: dict = defaultdict(list)
    for (line, period), cell in ctx.cells.items():
        if cell.consensus is not None:
            by_line[line].append(cell)
    for line, cells in by_line.items():
        if len(cells) < 2:
            continue
        for whole in cells:
            if whole.period.months == 1:
                continue
            for size in (1, 3):
                parts = [c for c in cells if c.period.months == size and whole.period.contains(c.period)
                         and (size == 1 or c.period.kind == "quarter")]
                if not parts or (size == 3 and whole.period.months <= 3):
                    continue
                parts.sort(key=lambda c: c.period.first)
                covered = sum(c.period.months for c in parts) == whole.period.months
                names = [c.period.label() for c in parts]
                what = "months" if size == 1 else "quarters"
                nearby = [c for c in ctx.cells_of_line(line) if c.period.months == size
                          and whole.period.contains(c.period)]
                _sum_check(ctx, whole, parts, names, what, complete=covered, nearby=nearby)


def _scopes(ctx: Context) -> None:
    for wide, narrow_list in ctx.vocab.commodity_contains.items():
        for (line, period), cell in list(ctx.cells.items()):
            if line[2] != wide or cell.consensus is None:
                continue
            parts, names = [], []
            for narrow in narrow_list:
                part = ctx.cells.get(((line[0], line[1], narrow), period))
                if part is not None and part.consensus is not None:
                    parts.append(part)
                    names.append(narrow)
            if parts:
                _sum_check(ctx, cell, parts, names, "narrower scopes")

"""Claims normalised into series cells and distinct readings.

A *line* is (exporter, importer, canonical commodity); a *cell* is a line in one period (the
readable series key, e.g. "CN>US rare earth magnets 2025-11"). Claims stating the same figure
in a cell (same value, precision, qualifier, basis) are one *reading*, which remembers every
claim and every independent source group behind it. Checks work on readings, so a cell with a
thousand mentions of three distinct figures costs three comparisons, not a million.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from extractor.reconcile.intervals import Interval, fmt_num
from extractor.reconcile.periods import Period, basis_label, format_period, parse_period
from extractor.reconcile.precision import change_interval, value_half_unit, value_interval
from extractor.types import Claim

Line = tuple  # (exporter, importer, commodity)

AGGREGATES = {"WLD", "EU", None}


def line_label(line: Line) -> str:
    exporter, importer, commodity = line
    return f"{exporter or '?'}>{importer or '?'} {commodity}"


def series_key(line: Line, period: Period) -> str:
    return f"{line_label(line)} {format_period(period)}"


@dataclass(slots=True)
class Item:
    """One claim, normalised."""

    claim: Claim
    line: Line
    period: Period
    group: str
    article_id: str
    level: Optional[Interval] = None  # total over the period
    change: Optional[Interval] = None
    basis: Optional[str] = None
    basis_note: str = ""


@dataclass
class Reading:
    kind: str  # level | change
    line: Line
    period: Period
    value: float  # as stated (a monthly rate when per == "month")
    interval: Interval  # level: total over the period; change: percentage points
    per: Optional[str] = None
    qualifier: Optional[str] = None
    basis: Optional[str] = None
    modality: str = "reported"
    claim_ids: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # distinct source groups, first-seen order
    articles: list = field(default_factory=list)
    items: list = field(default_factory=list)
    _seen: set = field(default_factory=set, repr=False)
    _seen_articles: set = field(default_factory=set, repr=False)

    def add(self, item: Item) -> None:
        self.claim_ids.append(item.claim.id)
        self.items.append(item)
        seen = self._seen
        if item.group not in seen:
            seen.add(item.group)
            self.groups.append(item.group)
        if item.article_id not in self._seen_articles:
            self._seen_articles.add(item.article_id)
            self.articles.append(item.article_id)

    @property
    def key(self) -> str:
        return series_key(self.line, self.period)

    def text(self) -> str:
        """The figure as reported, e.g. "over 400 t a month", "-3.2% m/m"."""
        q = {"approx": "about ", "over": "over ", "under": "under "}.get(self.qualifier or "", "")
        if self.kind == "change":
            sign = "+" if self.value > 0 else ""
            return f"{q}{sign}{fmt_num(self.value)}% ({basis_label(self.basis, self.period)})"
        per = " a month" if self.per == "month" else ""
        return f"{q}{fmt_num(self.value)} t{per}"


@dataclass
class Cell:
    line: Line
    period: Period
    items: list = field(default_factory=list)
    levels: dict = field(default_factory=dict)  # signature -> Reading
    changes: dict = field(default_factory=dict)
    consensus: Optional["Consensus"] = None
    level_of: dict = field(default_factory=dict)  # claim id -> its level reading

    @property
    def key(self) -> str:
        return series_key(self.line, self.period)

    def reported_levels(self) -> list[Reading]:
        return [r for r in self.levels.values() if r.modality == "reported"]


@dataclass
class Consensus:
    members: list  # readings that agree at one point, with the most independent sources
    interval: Interval  # their common intersection
    tied: bool  # another, disjoint set of readings has as much support
    others: list  # readings outside it

    @property
    def groups(self) -> list:
        out = []
        for r in self.members:
            for g in r.groups:
                if g not in out:
                    out.append(g)
        return out

    def as_reading(self) -> Reading:
        """The agreeing readings as one: the best figure, their common interval, all claims."""
        merged = getattr(self, "_merged", None)
        if merged is None:
            b = self.best()
            merged = Reading(b.kind, b.line, b.period, b.value, self.interval, b.per, b.qualifier,
                             b.basis, b.modality)
            for r in sorted(self.members, key=lambda r: r is not b):
                merged.claim_ids.extend(r.claim_ids)
                merged.items.extend(r.items)
                merged.groups.extend(g for g in r.groups if g not in merged.groups)
                merged.articles.extend(a for a in r.articles if a not in merged.articles)
            self._merged = merged
        return merged

    def best(self) -> Reading:
        return max(self.members, key=lambda r: (len(r.groups), len(r.claim_ids), -_width(r)))


def _width(r: Reading) -> float:
    w = r.interval.hi - r.interval.lo
    return w if math.isfinite(w) else 1e300


def consensus_of(readings: list[Reading]) -> Optional[Consensus]:
    """The largest set of readings with a common point, counted in independent sources."""
    if not readings:
        return None
    if len(readings) == 1:
        r = readings[0]
        return Consensus([r], r.interval, False, [])
    points = sorted({x for r in readings for x in r.interval if math.isfinite(x)})
    best_score, best_sets = None, []
    for x in points:
        cover = [r for r in readings if r.interval.lo <= x <= r.interval.hi]
        groups = {g for r in cover for g in r.groups}
        score = (len(groups), sum(len(r.claim_ids) for r in cover))
        ids = frozenset(id(r) for r in cover)
        if best_score is None or score > best_score:
            best_score, best_sets = score, [(ids, cover)]
        elif score == best_score and all(ids != s for s, _ in best_sets):
            best_sets.append((ids, cover))
    if not best_sets:  # only unbounded readings
        return Consensus(list(readings), _intersection(readings), False, [])
    best_sets.sort(key=lambda sc: (-max(len(r.groups) for r in sc[1]),
                                   min(_width(r) for r in sc[1]),
                                   min(r.value for r in sc[1])))
    members = best_sets[0][1]
    tied = any(not (s & best_sets[0][0]) for s, _ in best_sets[1:])
    member_ids = best_sets[0][0]
    others = [r for r in readings if id(r) not in member_ids]
    return Consensus(members, _intersection(members), tied, others)


def _intersection(readings: list[Reading]) -> Interval:
    lo = max(r.interval.lo for r in readings)
    hi = min(r.interval.hi for r in readings)
    return Interval(lo, hi) if lo <= hi else Interval(hi, lo)


def _resolve_bases(items: list[Item]) -> None:
    """Fill a missing change basis where it is safe, saying how.

    A year, quarter or range with no basis is read year on year (the contract's convention);
    a month with no basis takes the basis another mention of the same change in the same
    article states. Otherwise it stays unknown and the checks try both.
    """
    stated: dict[tuple, set] = defaultdict(set)
    for it in items:
        if it.change is not None and it.claim.change_basis:
            stated[(it.article_id, it.line, it.period, it.claim.change_pct)].add(it.claim.change_basis)
    for it in items:
        if it.change is None:
            continue
        basis = it.claim.change_basis
        if basis:
            it.basis = basis
            continue
        same = stated.get((it.article_id, it.line, it.period, it.claim.change_pct), set())
        if len(same) == 1:
            it.basis = next(iter(same))
            it.basis_note = "basis taken from another mention of the same change in the article"
        elif it.period.kind != "month":
            it.basis = "yoy"
            it.basis_note = "no basis stated; a change for a whole year/quarter/range is read year on year"


def build_cells(items: list[Item]) -> dict[tuple, Cell]:
    _resolve_bases(items)
    cells: dict[tuple, Cell] = {}
    for it in items:
        ck = (it.line, it.period)
        cell = cells.get(ck)
        if cell is None:
            cell = cells[ck] = Cell(it.line, it.period)
        cell.items.append(it)
        c = it.claim
        if it.level is not None:
            sig = (c.value, c.per, c.qualifier, it.level, c.modality)
            r = cell.levels.get(sig)
            if r is None:
                r = cell.levels[sig] = Reading("level", it.line, it.period, float(c.value),
                                               it.level, c.per, c.qualifier, None, c.modality)
            r.add(it)
            cell.level_of[c.id] = r
        if it.change is not None:
            q = c.qualifier if c.value is None or c.qualifier == "approx" else None
            sig = (c.change_pct, it.basis, q, it.change, c.modality)
            r = cell.changes.get(sig)
            if r is None:
                r = cell.changes[sig] = Reading("change", it.line, it.period, float(c.change_pct),
                                                it.change, None, q, it.basis, c.modality)
            r.add(it)
    for cell in cells.values():
        cell.consensus = consensus_of(cell.reported_levels())
    return cells


def make_item(claim: Claim, line: Line, period: Period, group: str) -> Item:
    level = None
    if claim.value is not None:
        level = value_interval(claim)
        if claim.per == "month":
            level = level.scale(period.months)
    change = change_interval(claim) if claim.change_pct is not None else None
    return Item(claim, line, period, group, claim.article_id or claim.article, level, change)


__all__ = ["Cell", "Consensus", "Item", "Reading", "build_cells", "consensus_of", "line_label",
           "make_item", "parse_period", "series_key", "value_half_unit"]

"""What every check builder needs: the cells, the source groups, and a place to put checks."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from extractor.reconcile.intervals import EPS, INF, Interval, fmt_num, largest_finite
from extractor.reconcile.series import Cell, Consensus, Reading
from extractor.reconcile.sources import SourceGroups, article_label
from extractor.reconcile.vocab import Vocab
from extractor.types import Article, Check

PENDING = "~"  # checks get their stable id once the whole reconciliation is done


def make_check(kind: str, verdict: str, series: str, claim_ids: list, explanation: str,
               arithmetic: dict) -> Check:
    return Check(kind, verdict, series, claim_ids, explanation, arithmetic, id=PENDING)


@dataclass
class Context:
    cells: dict  # (line, period) -> Cell
    groups: SourceGroups
    articles: dict  # article id -> Article
    vocab: Vocab
    checks: list = field(default_factory=list)
    covered: set = field(default_factory=set)
    # id(check) -> the readings it rests on, as alternative sides: a conflict goes away when
    # every reading of one side is taken out (findings.py); for other checks, what they used.
    sides: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # (what, id(reading)) -> a result worked out once
    outside: Optional[object] = None  # figures of families not reconciled here (causes.Outside)
    _by_line: Optional[dict] = None
    _by_period: Optional[dict] = None
    _in_period: Optional[dict] = None
    _slack: Optional[float] = None  # the largest finite bound of any reading (see `overlapping`)
    _names: dict = field(default_factory=dict)  # article id -> article_name, for the many readings of one article

    def add(self, check: Check, sides: Optional[list] = None, covered: bool = False) -> Check:
        """Record the check; `covered`: its claims are those of a check added before (the
        stated change beside the implied value of the same readings), so already covered."""
        self.checks.append(check)
        if not covered:
            self.covered.update(check.claim_ids)
        if sides:  # kept as given; findings.py expands the few it needs
            self.sides[id(check)] = sides
        return check

    def sides_of(self, check: Check) -> Optional[list]:
        """The check's sides as lists of (reading, group or None for all its groups)."""
        sides = self.sides.get(id(check))
        return [_expand(side) for side in sides if side] if sides else None

    def cells_of_line(self, line) -> list[Cell]:
        if self._by_line is None:
            self._by_line = defaultdict(list)
            for cell in self.cells.values():
                self._by_line[cell.line].append(cell)
        return self._by_line.get(line, [])

    def cells_of_period(self, period, commodity) -> list[Cell]:
        if self._by_period is None:
            self._by_period = defaultdict(list)
            for cell in self.cells.values():
                self._by_period[(cell.period, cell.line[2])].append(cell)
        return self._by_period.get((period, commodity), [])

    def cells_of_flow(self, exporter, importer, period) -> list[Cell]:
        """The cells of every commodity for one exporter, importer and period."""
        if self._in_period is None:
            self._in_period = defaultdict(list)
            for cell in self.cells.values():
                self._in_period[(cell.line[0], cell.line[1], cell.period)].append(cell)
        return self._in_period.get((exporter, importer, period), [])

    def overlapping(self, readings, target: Interval) -> list:
        """The readings whose interval overlaps `target` (Interval.overlaps), in order.

        A bounds test widened by the largest tolerance `overlaps` can allow here (set by the
        largest figure of any cell) passes every overlap and spares most of the exact tests.
        """
        if self._slack is None:
            bounds = [abs(x) for cell in self.cells.values()
                      for r in (*cell.levels.values(), *cell.changes.values()) for x in r.interval]
            self._slack = max([1.0] + [x for x in bounds if x < INF])
        lo, hi = target
        slack = EPS * largest_finite(self._slack, lo, hi)
        top = hi + slack
        return [r for r in readings if r.interval.lo <= top and lo <= r.interval.hi + slack
                and r.interval.overlaps(target)]

    def group_labels(self, cons: Consensus) -> list:
        """The labels of the consensus' groups, worked out once: its agreement check and its
        series summary both name them, and a large consensus has many. Read-only."""
        if cons.labels is None:
            cons.labels = self.groups.labels(cons.groups)
        return cons.labels

    def article_name(self, article_id: str) -> str:
        name = self._names.get(article_id)
        if name is None:
            name = self._names[article_id] = article_label(self.articles.get(article_id), article_id)
        return name

    def src(self, reading: Reading) -> str:
        """Where a reading comes from, short: the article(s) and how often it is repeated."""
        text = reading._src
        if text is None:
            names = [f'"{self.article_name(a)}"' for a in reading.articles[:2]]
            more = len(reading.articles) - len(names)
            text = " and ".join(names) + (f" and {more} more articles" if more > 0 else "")
            n = len(reading.claim_ids)
            if n > len(reading.articles):
                text += f", {n} mentions"
            reading._src = text
        return text

    def independent(self, a: Reading, b: Reading) -> bool:
        return a.group_set().isdisjoint(b.groups)

    def mirrored(self, a: Reading, b: Reading) -> bool:
        """One article giving a flow from the exporter's side and from the importer's side.

        Written that way within one article, the two figures are two reporters' statistics
        ("a large shipment exported by Chile in March" beside China's imports from Chile),
        which differ by timing and valuation; across articles the side is only wording.
        """
        if len(a.articles) != 1 or a.articles != b.articles:
            return False
        fa = {i.claim.flow for i in a.items}
        fb = {i.claim.flow for i in b.items}
        return len(fa) == 1 and len(fb) == 1 and fa != fb


def _expand(side: list) -> list:
    """A side as (reading, group or None for all its groups), merged readings split up."""
    out = []
    for entry in side:
        reading, group = entry if isinstance(entry, tuple) else (entry, None)
        out.extend((b, group) for b in reading.base())
    return out


def reading_json(r: Reading, ctx: Context) -> dict:
    """The reading as the checks' arithmetic quotes it.

    Built once per reading and shared by every check that quotes it (read-only, like the
    claim-id list inside it), so a reading quoted by a hundred checks costs one dict.
    """
    data = r._json
    if data is None:
        data = r._json = {
            "figure": r.text(), "value": r.value, "per": r.per, "qualifier": r.qualifier,
            "basis": r.basis, "period": r.period.key(), "interval": r.interval.as_list(),
            "claim_ids": r.claim_ids, "independent_sources": len(r.groups),
            "sources": ctx.groups.labels(r.groups[:5]),
        }
    return data


def iv(x: Interval, unit: str = " t") -> str:
    """An interval as text for explanations: "6,145.1–6,152.5 t", "at least 4,794 t"."""
    if math.isinf(x.hi) and not math.isinf(x.lo):
        return f"at least {fmt_num(round(x.lo, 1))}{unit}"
    if math.isinf(x.lo) and not math.isinf(x.hi):
        return f"at most {fmt_num(round(x.hi, 1))}{unit}"
    return f"{fmt_num(round(x.lo, 1))}–{fmt_num(round(x.hi, 1))}{unit}"


def pct(x: Interval) -> str:
    def one(v: float) -> str:
        return f"{v:+.2f}%"
    if math.isinf(x.hi):
        return f"at least {one(x.lo)}"
    if math.isinf(x.lo):
        return f"at most {one(x.hi)}"
    return f"{one(x.lo)} to {one(x.hi)}"

"""What the assembler works with: figure groups, the frame a statement carries, the
article's defaults and the clause scope of a figure."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from extractor.claims.numbers import Figure
from extractor.claims.reading import Reading
from extractor.period import Period
from extractor.types import Claim

UNUSABLE = frozenset(("relative", "subordinate", "attribution"))
JOINT = "JOINT"  # a party of several countries together: stated, but with no one code


UNSTATED_RATES = ("day", "week")  # rates the contract's `per` has no form for


@dataclass
class Group:
    qty: Optional[Figure] = None
    pct: Optional[Figure] = None
    base_of: Optional["Group"] = None  # a comparison base: the group it is compared with
    claim: Optional[Claim] = None
    period: Optional[Period] = None
    basis: Optional[str] = None
    seasonal: bool = False  # the period was written as (months of) a season
    looking_back: bool = False  # dated by a fronted "A year earlier,": a comparison told apart
    rate: Optional[Figure] = None  # a rate the claim cannot state, whose change the group keeps ("averaged 1.1 Mt a day")
    compared_alone: bool = False  # a comparison base stated with no figure to compare: "were up from 2.7 Mt in September"

    @property
    def figures(self) -> list[Figure]:
        qty, pct = self.qty, self.pct  # (read for every figure of every group: no comprehension)
        if qty is None:
            return [pct] if pct is not None else []
        return [qty, pct] if pct is not None else [qty]

    @property
    def anchor(self) -> int:
        qty, pct = self.qty, self.pct
        if qty is not None:
            return qty.start if pct is None or qty.start <= pct.start else pct.start
        if pct is not None:
            return pct.start
        return min(f.start for f in self.figures)  # (no figure: an error, as before)


@dataclass
class Frame:
    """What the last statement said, carried to the next sentences that leave it implied."""

    exporter: Optional[str]
    importer: Optional[str]
    flow: str
    period: Optional[Period]
    commodity: Optional[str]
    para: int
    index: int
    listed: bool = False
    varied: frozenset = frozenset()  # the sides that differ between the figures of a listed statement
    basis: Optional[str] = None
    carries: Optional[Period] = None  # the period the next sentences take when they name none

    def __post_init__(self):
        if self.carries is None:
            self.carries = self.period


@dataclass
class Defaults:
    exporter: Optional[str] = None
    importer: Optional[str] = None
    commodity: Optional[str] = None
    period: Optional[Period] = None
    flow: Optional[str] = None
    fiscal_start: Optional[int] = None
    fiscal_named_by: Optional[str] = None
    basis: Optional[str] = None
    reporter: Optional[str] = None  # the country whose trade the article reports
    source_country: Optional[str] = None  # the country of the statistics it quotes ('Stats NZ said')

    def own_country(self, flow: Optional[str]) -> Optional[str]:
        """The story's own country on the side of `flow`: the reporter, else its exporter for
        exports and its importer for imports."""
        return self.reporter or (self.importer if flow == "import" else self.exporter)


class Scope:
    """Orders the mentions of a sentence by how surely they belong to one group's claim."""

    def __init__(self, r: Reading, group: Group, busy: set[int]):
        self.r = r
        self.anchor = group.anchor
        self.own = {r.clause_at(f.start) for f in group.figures}
        if r.clauses:
            # "22.28 lakh tonnes (40.02 per cent) came from China": the words after an aside
            # on the figure go on with the figure's clause
            for c in list(self.own):
                if c + 2 < len(r.clauses) and r.clauses[c + 1].kind == "aside" and r.clauses[c + 2].kind in ("main", "trailing") \
                        and r.clauses[c + 2].depth == r.clauses[c].depth \
                        and not any(r.clauses[c + 2].start <= f.start < r.clauses[c + 2].end for f in r.figures):
                    self.own.add(c + 2)
        self.statement = r.clauses[min(self.own)].statement if r.clauses else 0
        self.busy = busy - self.own  # clauses holding other groups' figures
        self.depth = min((r.clauses[c].depth for c in self.own), default=0) if r.clauses else 0

    def rank(self, pos: int, *, after_ok: bool = True, comparison_ok: bool = False) -> Optional[tuple]:
        r = self.r
        if not r.clauses:
            return (0, abs(pos - self.anchor))
        ci = r.clause_at(pos)
        c = r.clauses[ci]
        if ci in self.own:
            return (0, 0 if pos < self.anchor else 1, abs(pos - self.anchor))
        if c.kind in ("comparison", "subordinate") and self._antecedent_of_own_relative(ci, pos):
            return (0, 0, abs(pos - self.anchor))  # "ahead of the Netherlands, which supplied 1.81 Mt"
        if c.kind in UNUSABLE or (c.kind == "comparison" and not comparison_ok):
            return None
        if c.depth > self.depth:
            return None  # inside brackets the figure is not in: "(Q2: 510kt)"
        if c.statement == self.statement:
            if ci < min(self.own):
                return (1, 0, min(self.own) - ci, -pos)  # the nearer of two in one clause first
            if after_ok and ci not in self.busy:
                return (2, 0, ci - max(self.own))
            return None
        if c.statement < self.statement:
            return (3, 0, self.statement - c.statement, -pos)
        return None

    def _antecedent_of_own_relative(self, ci: int, pos: int) -> bool:
        """The word at pos ends a clause that a relative clause holding the figure hangs on."""
        r = self.r
        nxt = ci + 1
        return nxt in self.own and r.clauses[nxt].kind == "relative" and r.clauses[ci].end - pos <= 4

    def order(self, items, key=lambda m: m.start, **kw):
        ranked = []
        for m in items:
            rk = self.rank(key(m), **kw)
            if rk is not None:
                ranked.append((rk, m))
        ranked.sort(key=lambda x: x[0])
        return [m for _, m in ranked]

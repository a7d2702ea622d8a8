"""Per-series summaries: the consensus, the sources behind it, the claims that disagree."""
from __future__ import annotations

from collections import defaultdict

from extractor.reconcile.context import Context
from extractor.reconcile.records import SeriesSummary
from extractor.reconcile.series import Cell

SEVERITY = {"consistent": 0, "unverifiable": 1, "conflict": 2}
VERDICT = {v: k for k, v in SEVERITY.items()}  # severity -> verdict


def summarise(ctx: Context) -> list[SeriesSummary]:
    keyed = defaultdict(list)
    for check in ctx.checks:
        keyed[check.series].append(check)
    touched = _Touched(ctx.checks)
    out = []
    for cell in ctx.cells.values():
        out.append(_summary(ctx, cell, keyed, touched))
    out.sort(key=lambda s: s.series)
    return out


class _Touched:
    """verdict -> the ids of the claims its checks use; the conflicts' set is always needed,
    the others only for a series without checks of its own (most checks are consistent, so
    their set would hold nearly every claim)."""

    def __init__(self, checks: list) -> None:
        self.checks = checks
        self.conflict = {i for c in checks if c.verdict == "conflict" for i in c.claim_ids}
        self._all: dict = {}

    def items(self):
        if not self._all:
            self._all = {"consistent": set(), "unverifiable": set(), "conflict": set()}
            for check in self.checks:
                self._all[check.verdict].update(check.claim_ids)
        return self._all.items()


def _summary(ctx: Context, cell: Cell, keyed, touched: _Touched) -> SeriesSummary:
    exporter, importer, commodity = cell.line
    claim_ids = list(cell.claim_ids)
    cons = cell.consensus
    value, sources, disagreeing = None, [], []
    if cons is not None:
        best = cons.best()
        if not cons.tied and best.qualifier not in ("over", "under"):
            value = best.value * (cell.period.months if best.per == "month" else 1)
        sources = list(ctx.group_labels(cons)) if not cons.tied else []  # a copy: the check's is shared
        for r in cons.others if not cons.tied else cell.reported_levels():
            if cons.tied and not any(not r.interval.overlaps(o.interval) for o in cell.reported_levels()):
                continue
            disagreeing.extend(r.claim_ids)
    change, basis = _change(cell, disagreeing)
    if not sources and change is not None:
        sources = sorted({ctx.groups.label(g) for r in cell.changes.values() for g in r.groups})
    own = keyed.get(cell.key)
    if own:
        worst = max(SEVERITY[c.verdict] for c in own)
    else:  # only checks keyed to other series (an implied value, an aggregate) used its claims
        worst = max((SEVERITY[v] for v, ids in touched.items() if not ids.isdisjoint(claim_ids)),
                    default=1)
    if not touched.conflict.isdisjoint(claim_ids):
        worst = 2
    verdict = VERDICT[worst]
    return SeriesSummary(
        series=cell.key, exporter=exporter, importer=importer, commodity=commodity,
        period=cell.period.key(), consensus_value=value, consensus_change_pct=change,
        sources=sources, claim_ids=claim_ids, disagreeing_claim_ids=list(dict.fromkeys(disagreeing)),
        verdict=verdict, consensus_change_basis=basis,
        corroborated=bool(cons and not cons.tied and len(cons.groups) >= 2),
    )


def _change(cell: Cell, disagreeing: list):
    reported = [r for r in cell.changes.values() if r.modality == "reported" and r.basis]
    if not reported:
        return None, None
    by_basis = defaultdict(list)
    for r in reported:
        by_basis[r.basis].append(r)
    preferred = "mom" if cell.period.kind == "month" else "yoy"
    basis = max(by_basis, key=lambda b: (len({g for r in by_basis[b] for g in r.groups}),
                                        b == preferred))
    cons = cell.change_consensus(basis, by_basis[basis])
    for b, readings in by_basis.items():
        c = cons if b == basis else cell.change_consensus(b, readings)
        for r in c.others:
            disagreeing.extend(r.claim_ids)
    if cons.tied:
        return None, basis
    return cons.best().value, basis

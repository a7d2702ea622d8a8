"""Breaking a tie between single sources with an independent implied value.

When the sources of a cell split evenly (say one article reports 1,234 t, another 1,500 t) no
figure has more independent support and the cell has no consensus. A third, independent source
may still speak to it: a later period's value with a stated change implies the earlier value
(anchor / (1 + change)). Rule, kept deliberately narrow:
- evidence is a reported change with a known basis (m/m or y/y) in the period after the tied
  one, anchored on the value stated in the same claim, from source groups none of the tied
  cell's readings share;
- the tie is broken only when the implied intervals of all such evidence overlap exactly one
  of the tied sets of readings; that set becomes the consensus, remembering its `support`;
- anything else (no evidence, evidence for both, evidence for neither) leaves the tie.
The disagreement itself is still reported as a conflict; what changes is which side the
conflict, the summary and later checks treat as the consensus.
"""
from __future__ import annotations

from extractor.reconcile.intervals import implied_previous
from extractor.reconcile.periods import previous_period
from extractor.reconcile.series import Cell, Consensus, _intersection


def break_ties(cells: dict) -> None:
    tied = {key: cell for key, cell in cells.items()
            if cell.consensus is not None and cell.consensus.tied}
    if not tied:
        return
    evidence: dict = {}  # tied cell key -> [(anchor, change, implied interval)]
    for cell in cells.values():
        for ch in cell.changes.values():
            if ch.modality != "reported" or ch.basis not in ("mom", "yoy"):
                continue
            key = (cell.line, previous_period(cell.period, ch.basis))
            if key not in tied:
                continue
            anchors = {id(it.reading): it.reading for it in ch.items
                       if it.reading is not None and it.reading.modality == "reported"}
            for a in anchors.values():
                implied = implied_previous(a.interval, ch.interval)
                if implied is not None:
                    evidence.setdefault(key, []).append((a, ch, implied))
    for key, found in evidence.items():
        _decide(tied[key], found)


def _decide(cell: Cell, found: list) -> None:
    cons = cell.consensus
    readings = cell.reported_levels()
    own_groups = {g for r in readings for g in r.groups}
    found = [(a, ch, x) for a, ch, x in found
             if own_groups.isdisjoint(a.groups) and own_groups.isdisjoint(ch.groups)]
    rivals = cons.rivals or []
    supported = [(members, [e for e in found if e[2].overlaps(_intersection(members))])
                 for members in rivals]
    supported = [(members, support) for members, support in supported if support]
    if len(supported) != 1:
        return
    members, support = supported[0]
    ids = {id(r) for r in members}
    broken = Consensus(members, _intersection(members), False,
                       [r for r in readings if id(r) not in ids])
    broken.support = support
    cell.consensus = broken

"""unverifiable: say so where nothing else speaks to a claim, so a reader sees what was looked at."""
from __future__ import annotations

from extractor.reconcile.context import Context, make_check
from extractor.reconcile.series import Cell
from extractor.types import Claim

KIND = "unverifiable"


def record_uncovered(ctx: Context, unplaced: list[tuple[Claim, str]]) -> None:
    covered = ctx.covered
    for cell in ctx.cells.values():
        if covered.issuperset(cell.claim_ids):  # most cells: every claim is in some check
            continue
        items = [it for it, i in zip(cell.items, cell.claim_ids) if i not in covered]
        if items:
            ctx.add(_cell_check(ctx, cell, items))
    for claim, reason in unplaced:
        ctx.add(make_check(KIND, "unverifiable", f"{claim.exporter or '?'}>{claim.importer or '?'} "
                      f"{claim.commodity or '?'} {claim.period or '?'}", [claim.id],
                      f"This claim could not be placed in a series ({reason}), so nothing was "
                      f"compared with it.", {"reason": reason}))


def _cell_check(ctx: Context, cell: Cell, items: list) -> Check:
    readings = [r for r in [*cell.levels.values(), *cell.changes.values()]
                if any(it.claim.id in r.claim_ids for it in items)]
    figures = ", ".join(f"{r.text()}" + (" (projected)" if r.modality == "projected" else "")
                        for r in readings)
    groups = {it.group for it in items}
    articles = {it.article_id for it in items}
    reasons = []
    if any(r.modality == "projected" for r in readings):
        reasons.append("a projection has no reported figure to be compared with")
    if len(groups) == 1 and len(items) > 1:
        reasons.append(f"it is reported by one source only ({len(items)} mentions in "
                       f"{len(articles)} article{'s' * (len(articles) > 1)}: repetition is not "
                       f"corroboration)")
    elif len(groups) == 1:
        reasons.append("it is reported by one source only")
    if all(r.kind == "change" for r in readings):
        reasons.append("no value for this period or the one it is compared with was reported")
    else:
        reasons.append("no figure for the earlier period, the parts or the whole bears on it")
    explanation = f"Nothing else speaks to {figures} for {cell.key}: " + "; ".join(reasons) + "."
    return make_check(KIND, "unverifiable", cell.key, [it.claim.id for it in items], explanation, {
        "figures": [r.text() for r in readings],
        "sources": sorted(ctx.groups.label(g) for g in groups),
        "mentions": len(items),
    })

"""implied_value and stated_change: a stated change links a period's value to an earlier one.

For each change reading in a cell, the value it applies to (the *anchor*) is the value stated in
the same claim, else a value for the period from the same article, else the cell's consensus.
- implied_value: anchor / (1 + change) gives the earlier period's value as an interval,
  compared with every figure reported for that period (or `unverifiable` when there is none).
- stated_change: with a reported figure for the earlier period, the change computed from the
  two figures (as an interval) is compared with the stated one.
A monthly change with no basis stated is tried month on month and year on year: agreement under
either is `consistent` (the assumption is written out), disagreement under both is
`unverifiable`, never a conflict, because the text does not say which comparison it makes.
"""
from __future__ import annotations

from itertools import chain

from extractor.reconcile.context import Context, iv, make_check, pct, reading_json
from extractor.reconcile.intervals import change_between, implied_previous
from extractor.reconcile.periods import basis_label, format_period, previous_period
from extractor.reconcile.series import Cell, Reading, series_key

MAX_PAIRS = 16  # dissenting readings compared one by one; agreeing ones are merged
MIRROR_NOTE = ("The article gives this flow from the exporter's side and from the importer's: two "
               "countries' statistics, which differ by timing and valuation, so a difference is "
               "not flagged as a conflict.")


def check_changes(ctx: Context) -> None:
    for cell in ctx.cells.values():
        for ch in cell.changes.values():
            if ch.modality != "reported":
                continue
            anchors = _anchors(ctx, cell, ch)
            if not anchors:
                continue
            if ch.basis in ("mom", "yoy"):
                _known_basis(ctx, cell, ch, anchors, ch.basis)
            elif ch.basis is None:
                _unknown_basis(ctx, cell, ch, anchors)


def _anchors(ctx: Context, cell: Cell, ch: Reading) -> list[Reading]:
    own = {}
    for it in ch.items:
        r = it.reading  # the level reading of the same claim
        if r is not None and r.modality == "reported":
            own[id(r)] = r
    if own:
        return _merge(cell, list(own.values()))
    reported = cell.reported_levels()
    articles = set(ch.articles)
    same_article = [r for r in reported if not articles.isdisjoint(r.articles)]
    if same_article:
        return same_article
    if cell.consensus is not None and not cell.consensus.tied:
        return [cell.consensus.best()]
    return []


def _targets(ctx: Context, cell: Cell, basis: str) -> tuple:
    prev = previous_period(cell.period, basis)
    qcell = ctx.cells.get((cell.line, prev)) if prev else None
    if not qcell:
        return prev, []
    if qcell._merged is None:  # many changes point at one earlier cell
        qcell._merged = _merge(qcell)
    return prev, qcell._merged


def _merge(cell: Cell, only: list | None = None) -> list[Reading]:
    """Readings to compare with: the consensus as one reading, then each dissenting one."""
    readings = cell.reported_levels() if only is None else only
    cons = cell.consensus
    if cons is None or cons.tied:
        return readings[:MAX_PAIRS]
    members = {id(m) for m in cons.members}
    inside = [r for r in readings if id(r) in members]
    outside = [r for r in readings if id(r) not in members]
    if len(inside) > 1:
        inside = [cons.as_reading()]
    return inside + outside[:MAX_PAIRS]


def _known_basis(ctx: Context, cell: Cell, ch: Reading, anchors: list, basis: str,
                 assumed: str = "") -> None:
    prev, targets = _targets(ctx, cell, basis)
    if prev is None:
        return
    for a in anchors:
        implied = implied_previous(a.interval, ch.interval)  # None for a fall beyond 100 %
        if not targets:
            if implied is not None:
                ctx.add(_implied(ctx, cell, ch, a, prev, implied, None, "unverifiable", assumed))
            continue
        for t in targets:
            computed = change_between(a.interval, t.interval) if t.interval.lo > 0 else None
            note = assumed
            mirror = ctx.mirrored(a, t) or ctx.mirrored(ch, t)
            if mirror:
                note = ((assumed + " ") if assumed else "") + MIRROR_NOTE
            if implied is not None:
                verdict = "consistent" if implied.overlaps(t.interval) else "conflict"
                if verdict == "conflict" and mirror:
                    verdict = "unverifiable"
                ctx.add(_implied(ctx, cell, ch, a, prev, implied, t, verdict, note), ((a,), (ch,), (t,)))
            if computed is not None:
                verdict = "consistent" if computed.overlaps(ch.interval) else "conflict"
                if verdict == "conflict" and mirror:
                    verdict = "unverifiable"
                ctx.add(_stated(ctx, cell, ch, a, t, verdict, note, computed=computed), ((a,), (ch,), (t,)),
                        covered=implied is not None)  # the same claims as the implied value's


def _unknown_basis(ctx: Context, cell: Cell, ch: Reading, anchors: list) -> None:
    """No basis stated for a monthly change: try both, flag nothing."""
    outcomes = []
    for basis in ("mom", "yoy"):
        prev, targets = _targets(ctx, cell, basis)
        for a in anchors:
            implied = implied_previous(a.interval, ch.interval)
            if implied is None:
                continue
            for t in targets:
                outcomes.append((basis, prev, a, t, implied, implied.overlaps(t.interval)))
    agreeing = [o for o in outcomes if o[5]]
    if agreeing:
        for basis, prev, a, t, implied, _ in agreeing:
            note = (f"The text states no basis; read {basis_label(basis)} "
                    f"(against {prev.label()}), the figures agree.")
            ctx.add(_implied(ctx, cell, ch, a, prev, implied, t, "consistent", note), ((a,), (ch,), (t,)))
            ctx.add(_stated(ctx, cell, ch, a, t, "consistent", note, basis), ((a,), (ch,), (t,)),
                    covered=True)  # the same claims as the implied value's just before
        return
    if outcomes:
        for basis, prev, a, t, implied, _ in outcomes:
            note = (f"The text states no basis; read {basis_label(basis)} the figures would not "
                    f"agree, but the change may be measured against another period, so this is "
                    f"not flagged as a conflict.")
            ctx.add(_implied(ctx, cell, ch, a, prev, implied, t, "unverifiable", note))
        return
    a = anchors[0]
    implied_mom = implied_previous(a.interval, ch.interval)
    if implied_mom is None:
        return
    prev = previous_period(cell.period, "mom")
    note = ("The text states no basis; no figure was reported for the month before or for the "
            "same month a year earlier.")
    ctx.add(_implied(ctx, cell, ch, a, prev, implied_mom, None, "unverifiable", note))


def _implied(ctx, cell, ch, a, prev, implied, t, verdict, note, basis=None) -> Check:
    basis = basis or ch.basis
    target = ctx.cells.get((cell.line, prev))
    key = target.key if target is not None else series_key(cell.line, prev)  # the cell's, computed once
    head = (f"{a.text()} for {cell.period.label()} ({ctx.src(a)}) with a change of {ch.text()}"
            + ("" if a.id_set().issuperset(ch.claim_ids) else f" ({ctx.src(ch)})")
            + f" implies {iv(implied)} for {prev.label()}")
    if implied.bounded and prev.months > 1:
        head += f" ({iv(implied.scale(1 / prev.months))} a month)"
    if t is None:
        body = "; no figure for that period was reported, so it cannot be checked."
    else:
        rel = "consistent with" if verdict == "consistent" else (
            "which does not match" if verdict == "conflict" else "against")
        same = "" if ctx.independent(ch, t) or ctx.independent(a, t) else " (same source)"
        body = f", {rel} {t.text()} reported by {ctx.src(t)}{same}"
        if t.per == "month":
            body += f" ({iv(t.interval)} over the period)"
        body += "." if verdict != "conflict" else (
            f": even allowing for rounding, {iv(implied)} and {iv(t.interval)} do not overlap.")
    explanation = head + body + (" " + note if note else "")
    ids = list(dict.fromkeys(chain(a.claim_ids, ch.claim_ids, t.claim_ids if t else ())))
    return make_check("implied_value", verdict, key, ids, explanation, {
        "basis": basis, "assumption": note or None,
        "value": reading_json(a, ctx), "change": reading_json(ch, ctx),
        "implied_period": format_period(prev), "implied_interval": implied.as_list(),
        "direct": reading_json(t, ctx) if t else None,
    })


def _stated(ctx, cell, ch, a, t, verdict, note, basis=None, computed=None) -> Check:
    if computed is None:
        computed = change_between(a.interval, t.interval)
    explanation = (
        f"From {t.text()} in {t.period.label()} ({ctx.src(t)}) to {a.text()} in "
        f"{cell.period.label()} ({ctx.src(a)}) is a change of {pct(computed)} once rounding is "
        f"allowed for; the stated {ch.text()} ({ctx.src(ch)}) "
        + ("is consistent with it." if verdict == "consistent" else
           "is outside that range." if verdict == "conflict" else "does not match it.")
    )
    if note:
        explanation += " " + note
    ids = list(dict.fromkeys(chain(t.claim_ids, a.claim_ids, ch.claim_ids)))
    return make_check("stated_change", verdict, cell.key, ids, explanation, {
        "basis": basis or ch.basis, "assumption": note or None,
        "from": reading_json(t, ctx), "to": reading_json(a, ctx), "stated": reading_json(ch, ctx),
        "computed_change_pct": computed.as_list(),
    })

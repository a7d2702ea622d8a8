"""same_figure: independent sources reporting one series (one period) with different figures."""
from __future__ import annotations

from typing import Optional

from extractor.reconcile.context import Context, iv, make_check, pct, reading_json
from extractor.reconcile.intervals import fmt_num
from extractor.reconcile.periods import basis_label
from extractor.reconcile.series import Cell, Consensus, Reading

KIND = "same_figure"


def check_same_figures(ctx: Context) -> None:
    for cell in ctx.cells.values():
        _levels(ctx, cell)
        _changes(ctx, cell)


def _levels(ctx: Context, cell: Cell) -> None:
    cons = cell.consensus
    if cons is not None:
        _agreement(ctx, cell, cons, "level")
        for r in cons.others:
            ctx.add(_conflict(ctx, cell, r, cons, "level"))
    for r in cell.levels.values():
        if r.modality == "projected" and cons is not None:
            ctx.add(_projection(ctx, cell, r, cons))


def _changes(ctx: Context, cell: Cell) -> None:
    reported = [r for r in cell.changes.values() if r.modality == "reported"]
    by_basis: dict = {}
    for r in reported:
        by_basis.setdefault(r.basis, []).append(r)
    for basis, readings in by_basis.items():
        if basis is None:
            continue
        cons = cell.change_consensus(basis, readings)
        _agreement(ctx, cell, cons, "change")
        for r in cons.others:
            ctx.add(_conflict(ctx, cell, r, cons, "change"))
    for r in by_basis.get(None, []):
        known = [k for k in reported if k.basis is not None]
        if known:
            ctx.add(_unknown_basis(ctx, cell, r, known))


def _agreement(ctx: Context, cell: Cell, cons: Consensus, what: str) -> None:
    groups = cons.groups
    if len(groups) < 2:
        return
    figures = "; ".join(f"{r.text()} from {ctx.src(r)}" for r in cons.members)
    common = pct(cons.interval) if what == "change" else iv(cons.interval)
    explanation = (f"{len(groups)} independent sources agree on {cell.key}: {figures}"
                   f" (all consistent with {common} once rounding is allowed for).")
    ctx.add(make_check(KIND, "consistent", cell.key, _ids(cons.members), explanation, {
        "what": what, "independent_sources": [ctx.groups.label(g) for g in groups],
        "readings": [reading_json(r, ctx) for r in cons.members],
        "common_interval": cons.interval.as_list(),
    }))


def _conflict(ctx: Context, cell: Cell, r: Reading, cons: Consensus, what: str) -> Check:
    best = cons.best()
    against = [m for m in cons.members if not m.interval.overlaps(r.interval)] or [best]
    fmt = pct if what == "change" else iv
    gap = r.interval.gap(cons.interval)
    support = len(cons.groups)
    if cons.tied:
        backing = "neither figure has more independent support"
    elif cons.support:
        a, ch, implied = cons.support[0]
        backing = (f"{best.text()} is the figure an independent source implies: {a.text()} for "
                   f"{a.period.label()} with a change of {ch.text()} ({ctx.src(ch)}) implies "
                   f"{iv(implied)}")
    else:
        backing = f"{best.text()} has the support of {support} independent source{'s' * (support != 1)}"
    same_source = not any(ctx.independent(r, m) for m in against)
    explanation = (
        f"{r.text()} ({ctx.src(r)}) conflicts with {best.text()} ({ctx.src(best)}) for {cell.key}: "
        f"even allowing for rounding, {fmt(r.interval)} and {fmt(cons.interval)} do not overlap"
        f"{'' if what == 'change' else f' (a gap of {fmt_num(round(gap, 1))} t)'}; {backing}."
    )
    hint = _hint(ctx, cell, r, best, what)
    if hint:
        explanation += " " + hint
    if same_source:
        explanation += " Both come from one source, which contradicts itself."
    support_ids = [i for a, ch, _ in cons.support for i in (*a.claim_ids, *ch.claim_ids)]
    ids = r.claim_ids + _ids(against) + support_ids if support_ids else r.claim_ids + _ids(against)
    return make_check(KIND, "conflict", cell.key, ids, explanation, {
        "what": what, "reading": reading_json(r, ctx),
        "consensus": [reading_json(m, ctx) for m in cons.members],
        "consensus_interval": cons.interval.as_list(), "tied": cons.tied, "gap": round(gap, 6),
        "hint": hint,
        **({"supported_by": [{"value": reading_json(a, ctx), "change": reading_json(ch, ctx),
                              "implied_interval": x.as_list()} for a, ch, x in cons.support]}
           if cons.support else {}),
    })


def _hint(ctx: Context, cell: Cell, r: Reading, best: Reading, what: str) -> Optional[str]:
    """A likely cause a fact-checker can verify: transposed digits, a unit slip, a wrong month."""
    if what == "change":
        if r.value * best.value < 0 and abs(abs(r.value) - abs(best.value)) <= 0.5:
            word = "rose" if r.value > 0 else "fell"
            return (f"The sign is reversed: one says the figure {word} {fmt_num(abs(r.value))}%, "
                    f"the other that it {'fell' if word == 'rose' else 'rose'}.")
        for other in cell.changes.values():
            if other.basis not in (r.basis, None) and other.interval.overlaps(r.interval):
                return (f"{fmt_num(r.value)}% matches the {basis_label(other.basis)} change "
                        f"reported by {ctx.src(other)}: a {basis_label(other.basis)} change "
                        f"read as {basis_label(r.basis)}?")
        return None
    a, b = _digits(r.value), _digits(best.value)
    if a and b and a != b and sorted(a) == sorted(b):
        return (f"{fmt_num(r.value)} and {fmt_num(best.value)} have the same digits in a different "
                f"order: transposed digits?")
    if best.value and r.value:
        ratio = r.value / best.value
        for factor in (1000.0, 1e6):
            if 0.9 * factor <= ratio <= 1.1 * factor or 0.9 / factor <= ratio <= 1.1 / factor:
                return (f"The figures differ by a factor of about {fmt_num(factor)}: a unit slip "
                        f"(kt, thousand tonnes or million tonnes read as tonnes)?")
    for other in ctx.cells_of_line(cell.line):
        if other.period == cell.period or other.period.kind != cell.period.kind:
            continue
        for o in other.reported_levels():
            if o.interval.overlaps(r.interval):
                return (f"{r.text()} matches the figure for {o.period.label()} ({o.text()}, "
                        f"{ctx.src(o)}): the wrong month or period?")
    return None


def _digits(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else ""


def _projection(ctx: Context, cell: Cell, r: Reading, cons: Consensus) -> Check:
    best = cons.best()
    agrees = r.interval.overlaps(cons.interval)
    explanation = (
        f"The projection of {r.text()} ({ctx.src(r)}) for {cell.key} "
        + (f"agrees with the reported {best.text()} ({ctx.src(best)})."
           if agrees else
           f"differs from the reported {best.text()} ({ctx.src(best)}); a forecast that did not "
           f"come true is not a conflict between reports.")
    )
    return make_check(KIND, "consistent" if agrees else "unverifiable", cell.key,
                 r.claim_ids + best.claim_ids, explanation,
                 {"what": "projection", "projection": reading_json(r, ctx),
                  "reported": reading_json(best, ctx)})


def _unknown_basis(ctx: Context, cell: Cell, r: Reading, known: list[Reading]) -> Check:
    match = [k for k in known if k.interval.overlaps(r.interval)]
    if match:
        k = match[0]
        explanation = (f"{r.text()} ({ctx.src(r)}) for {cell.key} states no basis; it agrees with "
                       f"the {basis_label(k.basis)} change {k.text()} ({ctx.src(k)}), assuming "
                       f"it is the same measure.")
        verdict, used = "consistent", match
    else:
        explanation = (f"{r.text()} ({ctx.src(r)}) for {cell.key} states no basis and matches none "
                       f"of the changes reported with one ("
                       + ", ".join(f"{k.text()}" for k in known)
                       + "); it may be measured against another period, so it is not flagged.")
        verdict, used = "unverifiable", known
    return make_check(KIND, verdict, cell.key, r.claim_ids + _ids(used), explanation,
                 {"what": "change", "reading": reading_json(r, ctx),
                  "compared_with": [reading_json(k, ctx) for k in used],
                  "assumption": "same basis as the matching change" if match else None})


def _ids(readings: list[Reading]) -> list[str]:
    out = []
    for r in readings:
        out.extend(r.claim_ids)
    return out

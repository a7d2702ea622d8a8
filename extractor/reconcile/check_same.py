"""same_figure: independent sources reporting one series (one period) with different figures."""
from __future__ import annotations

from typing import Optional

from extractor.reconcile.causes import line_pool
from extractor.reconcile.context import Context, iv, make_check, pct, reading_json
from extractor.reconcile.intervals import Interval, fmt_num
from extractor.reconcile.periods import basis_label
from extractor.reconcile.series import Cell, Consensus, Reading
from extractor.types import Check

KIND = "same_figure"
MAX_PAIRS = 16  # readings compared pairwise in a cell where no figure has more support


def check_same_figures(ctx: Context) -> None:
    for cell in ctx.cells.values():
        _levels(ctx, cell)
        _changes(ctx, cell)


def _levels(ctx: Context, cell: Cell) -> None:
    cons = cell.consensus
    if cons is not None:
        _agreement(ctx, cell, cons, "level")
        _dissents(ctx, cell, cons, "level")
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
        _dissents(ctx, cell, cons, "change")
    for r in by_basis.get(None, []):
        known = [k for k in reported if k.basis is not None]
        if known:
            check, _ = _unknown_basis(ctx, cell, r, known)
            ctx.add(check)


def _agreement(ctx: Context, cell: Cell, cons: Consensus, what: str) -> None:
    groups = cons.groups
    if len(groups) < 2:
        return
    figures = "; ".join([f"{r.text()} from {ctx.src(r)}" for r in cons.members])
    common = pct(cons.interval) if what == "change" else iv(cons.interval)
    explanation = (f"{len(groups)} independent sources agree on {cell.key}: {figures}"
                   f" (all consistent with {common} once rounding is allowed for).")
    ctx.add(make_check(KIND, "consistent", cell.key, _ids(cons.members), explanation, {
        "what": what, "independent_sources": ctx.group_labels(cons),
        "readings": [reading_json(r, ctx) for r in cons.members],
        "common_interval": cons.interval.as_list(),
    }))


def _against(r: Reading, cons: Consensus) -> list[Reading]:
    return [m for m in cons.members if not m.interval.overlaps(r.interval)] or [cons.best()]


def _dissents(ctx: Context, cell: Cell, cons: Consensus, what: str) -> None:
    """Each reading outside the consensus against it; when no figure has more support, every
    pair of readings that cannot both be right, so no disagreement hides behind an arbitrary
    choice of consensus."""
    for r in cons.others:
        _dissent(ctx, cell, r, cons, what)
    if not cons.tied:
        return
    outside = cons.others[:MAX_PAIRS]
    for i, a in enumerate(outside):
        for b in outside[i + 1:]:
            if not a.interval.overlaps(b.interval):
                single = Consensus([b], b.interval, True, [a])
                _dissent(ctx, cell, a, single, what)


def _dissent(ctx: Context, cell: Cell, r: Reading, cons: Consensus, what: str) -> None:
    """A reading outside the consensus: a conflict, unless the article gives mirror data."""
    against = _against(r, cons)
    if all(ctx.mirrored(r, m) for m in against):
        ctx.add(_mirror(ctx, cell, r, against, what), [[r], against])
    else:
        ctx.add(_conflict(ctx, cell, r, cons, what), [[r], against])


def _half(r: Reading) -> Optional[float]:
    if r.qualifier in ("over", "under") or not r.interval.bounded:
        return None
    return (r.interval.hi - r.interval.lo) / 2


def truncation_interval(r: Reading) -> Optional[Interval]:
    """What the figure stands for if it was cut off, not rounded: 42.73 -> [42.73, 42.74]."""
    half = _half(r)
    if half is None:
        return None
    v = r.interval.lo + half
    return Interval(v, v + 2 * half) if v >= 0 else Interval(v - 2 * half, v)


def truncated(coarse: Reading, fine: Reading) -> bool:
    """The coarser figure is the finer one with its last digits cut off, not rounded."""
    hc, hf = _half(coarse), _half(fine)
    if hc is None or hf is None or hc <= hf:
        return False
    cut = truncation_interval(coarse)
    return cut is not None and cut.overlaps(fine.interval)


def _mirror(ctx: Context, cell: Cell, r: Reading, against: list, what: str) -> Check:
    others = "; ".join(f"{m.text()} ({ctx.src(m)})" for m in against)
    explanation = (f"{r.text()} and {others} for {cell.key} differ, but the article gives one "
                   f"from the exporter's side and the other from the importer's: two countries' "
                   f"statistics of one flow, which differ by timing and valuation, so this is not "
                   f"flagged as a conflict.")
    return make_check(KIND, "unverifiable", cell.key, r.claim_ids + _ids(against), explanation, {
        "what": what, "reading": reading_json(r, ctx),
        "compared_with": [reading_json(m, ctx) for m in against], "assumption": "mirror statistics",
    })


def _conflict(ctx: Context, cell: Cell, r: Reading, cons: Consensus, what: str) -> Check:
    best = cons.best()
    against = _against(r, cons)
    fmt = pct if what == "change" else iv
    other = against[0] if len(against) == 1 else best
    gap = r.interval.gap(other.interval)
    if cons.tied:
        backing = "neither figure has more independent support"
    elif cons.support:
        a, ch, implied = cons.support[0]
        backing = (f"{best.text()} is the figure an independent source implies: {a.text()} for "
                   f"{a.period.label()} with a change of {ch.text()} ({ctx.src(ch)}) implies "
                   f"{iv(implied)}")
    else:
        backing = _backing(ctx, r, cons, fmt)
    same_source = not any(ctx.independent(r, m) for m in against)
    explanation = (
        f"{r.text()} ({ctx.src(r)}) conflicts with {other.text()} ({ctx.src(other)}) for {cell.key}: "
        f"even allowing for rounding, {fmt(r.interval)} and {fmt(other.interval)} do not overlap"
        f"{'' if what == 'change' else f' (a gap of {fmt_num(round(gap, 1))} t)'}; {backing}."
    )
    hint = _hint(ctx, cell, r, best, what)
    if hint:
        explanation += " " + hint
    cut = [x for x, y in ((r, other), (other, r)) if truncated(x, y)]
    if cut:
        explanation += (f" They agree if {cut[0].text()} was cut off rather than rounded, as some "
                        f"outlets print figures.")
    if same_source:
        explanation += " Both come from one source, which contradicts itself."
    support_ids = [i for a, ch, _ in cons.support for i in (*a.claim_ids, *ch.claim_ids)]
    ids = r.claim_ids + _ids(against) + support_ids if support_ids else r.claim_ids + _ids(against)
    return make_check(KIND, "conflict", cell.key, ids, explanation, {
        "what": what, "reading": reading_json(r, ctx),
        "consensus": [reading_json(m, ctx) for m in cons.members],
        "consensus_interval": cons.interval.as_list(), "tied": cons.tied, "gap": round(gap, 6),
        "hint": hint, "truncated": cut[0].text() if cut else None,
        **({"supported_by": [{"value": reading_json(a, ctx), "change": reading_json(ch, ctx),
                              "implied_interval": x.as_list()} for a, ch, x in cons.support]}
           if cons.support else {}),
    })


def _backing(ctx: Context, r: Reading, cons: Consensus, fmt) -> str:
    """Who stands behind the consensus, each figure named once with its own source."""
    groups = len(cons.groups)
    sources = f"{groups} independent source{'s' * (groups != 1)}"
    if len(cons.members) == 1:
        return f"{cons.members[0].text()} has the support of {sources}"
    figures = " and ".join(f"{m.text()} ({ctx.src(m)})" for m in cons.members)
    agree = [m for m in cons.members if m.interval.overlaps(r.interval)]
    tail = ""
    if agree:
        tail = "; " + " and ".join(m.text() for m in agree) + f" also fit{'s' * (len(agree) == 1)} {r.text()}"
    return f"{figures}, {sources}, agree on {fmt(cons.interval)}{tail}"


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
    # the line's figures matching r, in the order of its cells: looked up, not scanned for
    for other, o in line_pool(ctx, r).matching(ctx, r.interval):
        if other.period != cell.period and other.period.kind == cell.period.kind:
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
                  "assumption": "same basis as the matching change" if match else None}), used


def _ids(readings: list[Reading]) -> list[str]:
    out = []
    for r in readings:
        out.extend(r.claim_ids)
    return out

"""label: one figure under two commodity names for the same flow and period.

"Rare earth exports collapsed 74% YoY in May" in a headline above "rare earth magnet exports
plummeted 74% year-on-year in May to 1,238 tonnes" is the magnets' change under a wider name:
two series cannot share so precise a figure by chance, so one of the labels is wrong.
Compared: reported figures of one exporter, importer and period (changes of one basis) under
different commodities that are not one inside the other (models/commodity_scopes.jsonl), whose
intervals overlap and which are precise enough to rule out chance:
- within one source (one article or its copies): a quantity of 3 significant digits or more,
  a change of 2 or more;
- across sources: a quantity of 3 significant digits or more.
A figure that each label has from independent sources of its own (CORROBORATED or more each) is
a coincidence, not a wrong label: several sources do not mislabel one figure the same way apart.
Nothing here says which label is wrong: the findings weigh that (findings.py).
"""
from __future__ import annotations

import math
from collections import defaultdict

from extractor.reconcile.context import Context, make_check, reading_json
from extractor.reconcile.series import Cell, Reading

KIND = "label"
MIN_DIGITS = {("level", True): 3, ("change", True): 2, ("level", False): 3}
CORROBORATED = 2  # independent sources under each label that make a shared figure chance


def significant_digits(r: Reading) -> int:
    """Digits the figure is stated to: 590 t -> 3, 2.4 million -> 2, -17.55% -> 4."""
    lo, hi = r.interval
    if not (math.isfinite(lo) and math.isfinite(hi)) or r.value == 0 or r.qualifier:
        return 0
    unit = hi - lo
    if r.per == "month":
        unit /= max(1, r.period.months)
    if unit <= 0:
        return 0
    return max(0, math.floor(math.log10(abs(r.value) / unit + 1e-9)) + 1)


def check_labels(ctx: Context) -> None:
    flows: dict = defaultdict(list)  # (exporter, importer, period) -> cells of several commodities
    for cell in ctx.cells.values():
        flows[(cell.line[0], cell.line[1], cell.period)].append(cell)
    nested = _nested(ctx)
    for cells in flows.values():
        if len(cells) < 2:
            continue
        buckets: dict = defaultdict(lambda: defaultdict(list))
        for cell in cells:
            commodity = cell.line[2]
            for r in cell.reported_levels():
                buckets[("level", None)][commodity].append((r, cell))
            for r in cell.changes.values():
                if r.modality == "reported":
                    buckets[("change", r.basis)][commodity].append((r, cell))
        for (kind, _), by_commodity in buckets.items():
            if len(by_commodity) > 1:
                _compare(ctx, kind, by_commodity, nested)


def _nested(ctx: Context) -> set:
    pairs = set()
    for wide, narrow in ctx.vocab.commodity_contains.items():
        for n in narrow:
            pairs.add((wide, n))
            pairs.add((n, wide))
    return pairs


def _compare(ctx: Context, kind: str, by_commodity: dict, nested: set) -> None:
    # each commodity's readings merged into disjoint spans, all spans swept once in order:
    # different goods rarely share a figure, so readings are compared one by one only inside
    # spans of two commodities that overlap
    spans = sorted(((lo, hi, c, members) for c, rs in by_commodity.items() for lo, hi, members in _spans(rs)),
                   key=lambda span: (span[0], span[1], span[2]))
    found: dict = {}
    active: list = []
    for lo, hi, c, members in spans:
        active = [a for a in active if a[1] >= lo]
        for _, _, d, others in active:
            if d == c or (c, d) in nested:
                continue
            a, b = (c, d) if c < d else (d, c)
            ma, mb = (members, others) if c < d else (others, members)
            found.setdefault((a, b), []).extend(
                (ra, ca, rb, cb) for ra, ca in ma for rb, cb in mb
                if ra.interval.overlaps(rb.interval) and _precise(ctx, ra, rb, kind)
                and not _both_corroborated(ra, rb))
        active.append((lo, hi, c, members))
    for pairs in found.values():
        if pairs:
            _label(ctx, pairs, kind)


def _spans(readings: list) -> list:
    """(lo, hi, readings) of the merged intervals of one commodity's readings, in order."""
    out: list = []
    for r, cell in sorted(readings, key=lambda rc: rc[0].interval.lo):
        lo, hi = r.interval
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
            out[-1][2].append((r, cell))
        else:
            out.append([lo, hi, [(r, cell)]])
    return out


def _precise(ctx: Context, a: Reading, b: Reading, kind: str) -> bool:
    same = not ctx.independent(a, b)
    need = MIN_DIGITS.get((kind, same))
    return need is not None and min(significant_digits(a), significant_digits(b)) >= need


def _both_corroborated(a: Reading, b: Reading) -> bool:
    return len(a.groups) >= CORROBORATED and len(b.groups) >= CORROBORATED


def _label(ctx: Context, pairs: list, kind: str) -> None:
    ca, cb = pairs[0][1], pairs[0][3]
    side_a = list({id(ra): ra for ra, _, _, _ in pairs}.values())
    side_b = list({id(rb): rb for _, _, rb, _ in pairs}.values())
    figures_a = " and ".join(f"{r.text()} ({ctx.src(r)})" for r in side_a)
    figures_b = " and ".join(f"{r.text()} ({ctx.src(r)})" for r in side_b)
    what = "change" if kind == "change" else "figure"
    explanation = (f"The same {what} is given for two commodities in {ca.period.label()}: "
                   f"{figures_a} for {_name(ca)} and {figures_b} for {_name(cb)}. Two series "
                   f"cannot share so precise a figure by chance: one of the labels is likely wrong.")
    ids = [i for r in (*side_a, *side_b) for i in r.claim_ids]
    ctx.add(make_check(KIND, "conflict", ca.key, list(dict.fromkeys(ids)), explanation, {
        "what": kind, "series": [ca.key, cb.key],
        "readings": [reading_json(r, ctx) for r in side_a],
        "other_readings": [reading_json(r, ctx) for r in side_b],
    }), [side_a, side_b])


def _name(cell: Cell) -> str:
    exporter, importer, commodity = cell.line
    return f"{commodity} ({exporter or '?'}>{importer or '?'})"

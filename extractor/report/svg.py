"""Charts of a series as inline SVG, laid out here and drawn by templates/chart.svg.j2, so the
report page needs no network and no markup is built in Python.

One lettered mark per source and period (an article repeating a figure is one mark), the
interval a stated change implies for the earlier period drawn as a bar, a monthly rate over a
year as a dashed line across that year, and every claim a finding holds wrong ringed in red.
`chart(series)` gives the numbers and words the template needs; every text in it is escaped by
the template's autoescaping.
"""
from __future__ import annotations

import math

from extractor.period import parse_period
from extractor.report.model import Point, Range, Series, grain_of, ordinal, ordinal_label

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 86, 24, 34, 50
DOT, RING = 10, 14  # radii; the text sizes are in report.css (legible at 400 px: see there)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#8C6D1F", "#555555", "#7B5AA6")
CONFLICT = "#C81E1E"
QUALIFIER_WORDS = {"approx": "about ", "over": "over ", "under": "under "}


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.1f}"


def chart(series: Series) -> dict:
    """The series laid out for templates/chart.svg.j2: axes, implied ranges and marks."""
    frame = _Frame(series)
    groups = _mark_groups(series.points)
    offsets = _offsets(groups, frame)
    return {
        "width": WIDTH, "height": HEIGHT, "title": series.title, "key": series.key,
        "axes": frame.axes(), "ranges": _ranges(frame.ranges, frame),
        "marks": [_mark(group, frame, offsets[i]) for i, group in enumerate(groups)],
    }


class _Frame:
    """Scales from (period ordinal, value) to pixels."""

    def __init__(self, series: Series):
        self.grain = series.grain
        xs, ys = [], [0.0]
        for p in series.points:
            xs += list(p.span) if p.span else [p.x]
            ys.append(p.claim.value)
        # Implied intervals are drawn within the reported periods (one step before at most),
        # so a year-on-year change does not stretch a monthly chart over an empty year.
        low = min(xs, default=0) - 1
        high = max(xs, default=0)
        self.ranges = [r for r in series.ranges if low <= r.x <= high] if xs else list(series.ranges)
        for r in self.ranges:
            xs.append(r.x)
            ys.append(r.high)
        self.x0, self.x1 = min(xs), max(xs)
        self.ymax = _nice_ceiling(max(ys) * 1.08)
        self.slot = (WIDTH - LEFT - RIGHT) / (self.x1 - self.x0 + 1)

    def x(self, ordinal: float) -> float:
        return LEFT + (ordinal - self.x0 + 0.5) * self.slot

    def y(self, value: float) -> float:
        return TOP + (1 - value / self.ymax) * (HEIGHT - TOP - BOTTOM)

    def axes(self) -> dict:
        grid = [{"y": round(self.y(t), 1), "label": number(t)} for t in _ticks(self.ymax)]
        count = self.x1 - self.x0 + 1
        step = max(1, math.ceil(count / 10))
        periods = [{"x": round(self.x(o), 1), "label": ordinal_label(self.grain, o)}
                   for o in range(self.x0, self.x1 + 1, step)]
        return {"left": LEFT, "right": WIDTH - RIGHT, "grid": grid, "periods": periods,
                "period_y": HEIGHT - BOTTOM + 22, "base": round(self.y(0), 1), "unit_y": TOP - 14}


def _nice_ceiling(x: float) -> float:
    if x <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(x))
    for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if factor * magnitude >= x:
            return factor * magnitude
    return 10 * magnitude


def _ticks(ymax: float) -> list[float]:
    return [ymax * i / 4 for i in range(5)]


def _ranges(ranges: list[Range], frame: _Frame) -> list[dict]:
    """Implied intervals, one per article and period, set just left of the period's marks."""
    seen: dict[tuple, int] = {}
    per_period: dict[int, int] = {}
    out = []
    for r in ranges:
        key = (r.claim.article_id, r.x, round(r.low, 3), round(r.high, 3))
        if key in seen:
            continue
        seen[key] = per_period.get(r.x, 0)
        per_period[r.x] = seen[key] + 1
        out.append(_range(r, frame, seen[key]))
    return out


def _range(r: Range, frame: _Frame, rank: int) -> dict:
    lead = max(13.0, min(24.0, frame.slot * 0.4)) + 12.0 * rank
    x = frame.x(r.x) - lead
    top, bottom = frame.y(r.high), frame.y(r.low)
    height = max(bottom - top, 4.0)
    y = (top + bottom) / 2
    letter = r.source.letter if r.source else "?"
    fill = colour(r.source.index if r.source else 0)
    tip = f"[{letter}] {r.label} {r.low:,.1f}–{r.high:,.1f} t in {r.period}" + (
        " — in conflict" if r.conflict else "")
    claim_x, claim_y = frame.x(parse_ordinal(r.claim.period, frame.grain, r.x)), frame.y(r.claim.value)
    return {
        "conflict": r.conflict, "claim_ids": " ".join(r.claim_ids or (r.claim.id,)), "tip": tip,
        "fill": fill, "stroke": CONFLICT if r.conflict else fill,
        "link": (round(claim_x, 1), round(claim_y, 1), round(x, 1), round(y, 1)),
        "rect": (round(x - 4, 1), round(y - height / 2, 1), 8, round(height, 1)),
        "cap": (round(x - 6, 1), round(x + 6, 1), round(y, 1)),
    }


def parse_ordinal(period: str, grain: str, fallback: int) -> int:
    parsed = parse_period(period)
    return ordinal(parsed) if parsed and grain_of(parsed) == grain else fallback


def _mark_groups(points: list[Point]) -> list[list[Point]]:
    """One mark per article, period and value; marks sharing a period sit side by side."""
    groups: dict[tuple, list[Point]] = {}
    for p in points:
        groups.setdefault((p.claim.article_id, p.x, p.span, p.claim.value), []).append(p)
    return list(groups.values())


def _mark(group: list[Point], frame: _Frame, offset: float) -> dict:
    p = group[0]
    letter = p.source.letter if p.source else "?"
    fill = colour(p.source.index if p.source else 0)
    conflict = any(q.conflict for q in group)
    mentions = f" ({len(group)} mentions)" if len(group) > 1 else ""
    words = QUALIFIER_WORDS.get(p.claim.qualifier or "", "")
    title = p.source.label if p.source else "unknown article"
    where = f"a month in {ordinal_label('year', p.span[0] // 12)}" if p.span else str(p.period)
    tip = (f"[{letter}] {words}{number(p.claim.value)} t {where}{mentions}: {title}"
           + (" — held wrong by a finding" if conflict else ""))
    y = frame.y(p.claim.value)
    x = frame.x(p.x) + offset
    span = arrow = None
    if p.span:
        x0, x1 = frame.x(p.span[0]), frame.x(p.span[1])
        span = (round(x0, 1), round(x1, 1))
        x = (x0 + x1) / 2
        if p.claim.qualifier in ("over", "under"):
            arrow = "▲" if p.claim.qualifier == "over" else "▼"
    return {
        "conflict": conflict, "claim_ids": " ".join(q.claim.id for q in group), "tip": tip,
        "x": round(x, 1), "y": round(y, 1), "fill": fill, "letter": letter, "span": span,
        "arrow": arrow, "dot": DOT, "ring": RING, "ring_colour": CONFLICT,
    }


def _offsets(groups: list[list[Point]], frame: _Frame) -> list[float]:
    """Marks of one period that would overlap sit side by side, in article order."""
    by_period: dict[int, list[int]] = {}
    for i, group in enumerate(groups):
        if not group[0].span:
            by_period.setdefault(group[0].x, []).append(i)
    offsets = [0.0] * len(groups)
    for members in by_period.values():
        members.sort(key=lambda i: frame.y(groups[i][0].claim.value))
        clusters: list[list[int]] = []
        for i in members:
            if clusters and frame.y(groups[i][0].claim.value) - frame.y(groups[clusters[-1][-1]][0].claim.value) < 2 * DOT + 1:
                clusters[-1].append(i)
            else:
                clusters.append([i])
        for cluster in clusters:
            cluster.sort(key=lambda i: groups[i][0].source.index if groups[i][0].source else -1)
            for rank, i in enumerate(cluster):
                offsets[i] = (rank - (len(cluster) - 1) / 2) * (2 * DOT + 2)
    return offsets

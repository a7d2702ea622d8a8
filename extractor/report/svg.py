"""Charts of a series as inline SVG, drawn in Python so the report page needs no network.

One lettered mark per source and period (an article repeating a figure is one mark), the
interval a stated change implies for the earlier period drawn as a bar, a monthly rate over a
year as a dashed line across that year, and every claim involved in a conflict ringed in red.
"""
from __future__ import annotations

import math
from html import escape

from extractor.period import parse_period
from extractor.report.model import Point, Range, Series, grain_of, ordinal, ordinal_label

WIDTH, HEIGHT = 760, 290
LEFT, RIGHT, TOP, BOTTOM = 70, 24, 30, 46
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#8C6D1F", "#555555", "#7B5AA6")
CONFLICT = "#C81E1E"
QUALIFIER_WORDS = {"approx": "about ", "over": "over ", "under": "under "}


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.1f}"


def chart(series: Series) -> str:
    """The series as an <svg> element."""
    frame = _Frame(series)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(series.title)}" data-series="{escape(series.key)}">',
        f"<title>{escape(series.title)}: reported values over time</title>",
        frame.axes(),
    ]
    parts += _ranges(frame.ranges, frame)
    groups = _mark_groups(series.points)
    offsets = _offsets(groups, frame)
    parts += [_mark(group, frame, offsets[i]) for i, group in enumerate(groups)]
    parts.append("</svg>")
    return "\n".join(parts)


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

    def axes(self) -> str:
        out = ['<g class="axes">']
        for tick in _ticks(self.ymax):
            y = self.y(tick)
            out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
            out.append(f'<text class="tick" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{number(tick)}</text>')
        count = self.x1 - self.x0 + 1
        step = max(1, math.ceil(count / 12))
        for ordinal in range(self.x0, self.x1 + 1, step):
            x = self.x(ordinal)
            out.append(f'<text class="tick" x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
                       f"{escape(ordinal_label(self.grain, ordinal))}</text>")
        base = self.y(0)
        out.append(f'<line class="baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base:.1f}" y2="{base:.1f}"/>')
        out.append(f'<text class="unit" x="{LEFT - 8}" y="{TOP - 14}" text-anchor="end">tonnes</text>')
        out.append("</g>")
        return "\n".join(out)


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


def _ranges(ranges: list[Range], frame: _Frame) -> list[str]:
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


def _range(r: Range, frame: _Frame, rank: int) -> str:
    lead = max(11.0, min(24.0, frame.slot * 0.4)) + 12.0 * rank
    x = frame.x(r.x) - lead
    top, bottom = frame.y(r.high), frame.y(r.low)
    height = max(bottom - top, 4.0)
    y = (top + bottom) / 2
    letter = r.source.letter if r.source else "?"
    fill = colour(r.source.index if r.source else 0)
    stroke = CONFLICT if r.conflict else fill
    tip = f"[{letter}] {r.label} {r.low:,.1f}–{r.high:,.1f} t in {r.period}" + (
        " — in conflict" if r.conflict else "")
    claim_x, claim_y = frame.x(parse_ordinal(r.claim.period, frame.grain, r.x)), frame.y(r.claim.value)
    return (
        f'<g class="range{" conflict" if r.conflict else ""}" data-claim="{escape(" ".join(r.claim_ids or (r.claim.id,)))}">'
        f"<title>{escape(tip)}</title>"
        f'<line class="link" x1="{claim_x:.1f}" y1="{claim_y:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{fill}"/>'
        f'<rect x="{x - 4:.1f}" y="{y - height / 2:.1f}" width="8" height="{height:.1f}" fill="{fill}" stroke="{stroke}"/>'
        f'<line class="cap" x1="{x - 6:.1f}" x2="{x + 6:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{stroke}"/>'
        "</g>"
    )


def parse_ordinal(period: str, grain: str, fallback: int) -> int:
    parsed = parse_period(period)
    return ordinal(parsed) if parsed and grain_of(parsed) == grain else fallback


def _mark_groups(points: list[Point]) -> list[list[Point]]:
    """One mark per article, period and value; marks sharing a period sit side by side."""
    groups: dict[tuple, list[Point]] = {}
    for p in points:
        groups.setdefault((p.claim.article_id, p.x, p.span, p.claim.value), []).append(p)
    return list(groups.values())


def _mark(group: list[Point], frame: _Frame, offset: float) -> str:
    p = group[0]
    letter = p.source.letter if p.source else "?"
    fill = colour(p.source.index if p.source else 0)
    conflict = any(q.conflict for q in group)
    ids = " ".join(q.claim.id for q in group)
    mentions = f" ({len(group)} mentions)" if len(group) > 1 else ""
    words = QUALIFIER_WORDS.get(p.claim.qualifier or "", "")
    title = p.source.label if p.source else "unknown article"
    if p.span:
        where = f"a month in {ordinal_label('year', p.span[0] // 12)}"
    else:
        where = str(p.period)
    tip = f"[{letter}] {words}{number(p.claim.value)} t {where}{mentions}: {title}" + (" — in conflict" if conflict else "")
    y = frame.y(p.claim.value)
    x = frame.x(p.x) + offset
    out = [f'<g class="mark{" conflict" if conflict else ""}" data-claim="{escape(ids)}">', f"<title>{escape(tip)}</title>"]
    if p.span:
        x0, x1 = frame.x(p.span[0]), frame.x(p.span[1])
        out.append(f'<line class="span" x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{fill}"/>')
        x = (x0 + x1) / 2
        if p.claim.qualifier in ("over", "under"):
            arrow = "▲" if p.claim.qualifier == "over" else "▼"
            out.append(f'<text class="qualifier" x="{x + 13:.1f}" y="{y + 4:.1f}" fill="{fill}">{arrow}</text>')
    if conflict:
        out.append(f'<circle class="ring" cx="{x:.1f}" cy="{y:.1f}" r="12" stroke="{CONFLICT}"/>')
    out.append(f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{fill}"/>')
    out.append(f'<text class="letter" x="{x:.1f}" y="{y + 3.5:.1f}" text-anchor="middle">{escape(letter)}</text>')
    out.append("</g>")
    return "\n".join(out)


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
            if clusters and frame.y(groups[i][0].claim.value) - frame.y(groups[clusters[-1][-1]][0].claim.value) < 17:
                clusters[-1].append(i)
            else:
                clusters.append([i])
        for cluster in clusters:
            cluster.sort(key=lambda i: groups[i][0].source.index if groups[i][0].source else -1)
            for rank, i in enumerate(cluster):
                offsets[i] = (rank - (len(cluster) - 1) / 2) * 18.0
    return offsets

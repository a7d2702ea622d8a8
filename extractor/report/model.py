"""What a report shows, read once from the claims database and shared by every renderer.

Claims are grouped into series over time (exporter, importer, commodity and the grain of the
period: monthly, quarterly, yearly, cumulative); each claim is a point, each stated change a
range for the period it was measured against; findings (one per wrong figure) come from the
reconciler with their quotes, and the checks behind them stay available.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Optional

from extractor import store
from extractor.period import Period, format_period, parse_period, previous_period
from extractor.reconcile.intervals import implied_previous
from extractor.reconcile.precision import change_interval, value_interval, value_literal
from extractor.report.escape import visible
from extractor.types import Article, Check, Claim, Finding

VERDICT_ORDER = ("conflict", "consistent", "unverifiable")
GRAIN_ORDER = ("month", "quarter", "year", "cumulative")
GRAIN_LABEL = {"month": "monthly", "quarter": "quarterly", "year": "yearly", "cumulative": "year to date"}


def clean(text: Optional[str]) -> str:
    """Article text with control and bidi characters shown as escapes (report/escape.py),
    ready to be escaped for its medium."""
    return visible(text)


# --- periods on a chart axis ----------------------------------------------------------------
# Periods are the one `extractor.period.Period`; a chart places each at an ordinal of its grain
# (months, quarters or years since year 0; a cumulative range at its last month).

GRAIN_OF_KIND = {"month": "month", "quarter": "quarter", "year": "year", "range": "cumulative"}


def grain_of(period: Period) -> str:
    return GRAIN_OF_KIND[period.kind]


def ordinal(period: Period, grain: Optional[str] = None) -> int:
    """The period's place on an axis of `grain` (its own grain by default)."""
    grain = grain or grain_of(period)
    if grain == "quarter":
        return period.first // 3
    if grain == "year":
        return period.first // 12
    if grain == "cumulative":
        return period.last
    return period.first


def ordinal_label(grain: str, at: int) -> str:
    """The label of an axis position: "2025-11", "2025-Q4", "2025"."""
    if grain == "quarter":
        return format_period(Period(at * 3, at * 3 + 2))
    if grain == "year":
        return format_period(Period(at * 12, at * 12 + 11))
    return format_period(Period(at, at))


def change_reference(period: Period, basis: Optional[str]) -> Optional[Period]:
    """The period a stated change was measured against, when the basis says which.

    A year, quarter or range with no basis stated is read year on year, as the reconciler does.
    """
    if basis is None and period.kind != "month":
        basis = "yoy"
    if basis not in ("mom", "yoy"):
        return None
    return previous_period(period, basis)


# --- the view --------------------------------------------------------------------------------

@dataclass
class Source:
    """An article as the report cites it: a letter, a colour slot, where to read it."""

    article: Article
    letter: str
    index: int

    @property
    def label(self) -> str:
        return clean(self.article.title) or clean(self.article.url) or self.article.id


@dataclass
class Quote:
    """A sentence as quoted: pieces of text, the figures the claims read from it marked."""

    claims: list[Claim]
    source: Optional[Source]
    parts: list[tuple[str, bool]]  # (text, is_figure)

    @property
    def claim(self) -> Claim:
        return self.claims[0]

    @property
    def sentence(self) -> str:
        return "".join(text for text, _ in self.parts)

    @property
    def figures(self) -> list[str]:
        return [text for text, marked in self.parts if marked]


@dataclass
class Point:
    claim: Claim
    period: Period
    x: int  # the position on the series' axis (see `ordinal`)
    source: Optional[Source]
    conflict: bool
    span: Optional[tuple[int, int]] = None  # a monthly rate over a year: first and last month


@dataclass
class Range:
    """The interval a stated change implies for an earlier period."""

    claim: Claim
    period: Period
    x: int
    low: float
    high: float
    source: Optional[Source]
    conflict: bool
    label: str = ""  # how the interval was reached, for the chart's tooltip
    claim_ids: tuple[str, ...] = ()  # every claim used (the value's and the change's)


@dataclass
class Series:
    exporter: Optional[str]
    importer: Optional[str]
    commodity: Optional[str]
    grain: str
    claims: list[Claim] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    ranges: list[Range] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.exporter or '?'}>{self.importer or '?'} {self.commodity or '?'} {self.grain}"

    @property
    def anchor(self) -> str:
        return "series-" + re.sub(r"[^a-z0-9]+", "-", self.key.lower()).strip("-")

    @property
    def title(self) -> str:
        return f"{self.exporter or '?'} → {self.importer or '?'} · {self.commodity or 'unknown commodity'} · {GRAIN_LABEL[self.grain]}"

    @property
    def conflict(self) -> bool:
        """A figure of the series is held wrong by a finding."""
        return any(p.conflict for p in self.points) or any(r.conflict for r in self.ranges)

    @property
    def verdict(self) -> str:
        if self.conflict:
            return "conflict"
        if any(c.verdict == "consistent" for c in self.checks):
            return "consistent"
        return "unverifiable" if self.checks else "unchecked"

    @property
    def charted(self) -> bool:
        """Worth a chart: more than one claim with a figure to draw."""
        return len(self.points) + len(self.ranges) > 1 and len(self.claims) > 1


@dataclass
class FindingView:
    """A finding as shown: the suspect quoted, the supporting sentences once each, its checks."""

    finding: Finding
    suspects: list[Quote]
    support: list[Quote]
    checks: list[Check]
    missing: list[str]  # claim ids the finding names that are no longer stored
    series: list[Series]
    reviews: dict  # claim id -> review row, for the claims shown
    repeats: dict = field(default_factory=dict)  # claim id quoted -> further mentions not quoted

    @property
    def tied(self) -> bool:
        return bool(self.finding.arithmetic.get("tied"))

    @property
    def cause_label(self) -> str:
        return CAUSE_LABEL.get(self.finding.cause, self.finding.cause.replace("_", " "))

    def arithmetic_sentence(self) -> str:
        """The numbers behind the finding, worked out as a sentence."""
        return arithmetic_sentence(self.finding, self.suspects)


CAUSE_LABEL = {
    "wrong_period": "wrong period", "wrong_commodity": "wrong commodity", "wrong_partner": "wrong partner",
    "separator": "separator slip (×/÷ 1,000)", "multiplier": "dropped or misread scale word",
    "transposed_digits": "transposed digits", "sign": "sign reversed", "basis": "other basis (y/y, m/m)",
    "unit": "unit slip (kt read as t)", "ranking": "stated ranking", "figure": "a different figure",
}


def arithmetic_sentence(finding: Finding, suspects: list[Quote]) -> str:
    arith = finding.arithmetic
    figures = [s.get("figure", "") for s in arith.get("suspects", [])]
    letters = [q.source.letter for q in suspects if q.source]
    who = f" ({', '.join(dict.fromkeys(letters))})" if letters else ""
    lead = ("The sources split: " + " or ".join(figures) + who + ", and nothing here decides which."
            if arith.get("tied") else f"Held wrong: {' with '.join(figures)}{who}.")
    parts = [lead]
    interval = arith.get("supported_interval")
    n = arith.get("independent_sources", 0)
    give = "gives" if n == 1 else "give"
    how = arith.get("how")
    if interval and how != "label":
        lo, hi = (_num(x) for x in interval)
        unit = "%" if arith.get("suspects", [{}])[0].get("figure", "").find("%") >= 0 else " t"
        span = f"{lo}{unit}" if lo == hi else f"{lo} to {hi}{unit}"
        if hi == "∞":
            span = f"at least {lo}{unit}"
        if how == "total":
            span = f"at most {hi}{unit}"
        basis = {"same period": f"{n} independent source{'s' * (n != 1)} {give}",
                 "implied": "the later value and its change imply",
                 "grown": "the earlier value and the change imply",
                 "computed": "the two values give a change of",
                 "parts": "the parts add up to", "total": "the total and the other parts leave"}.get(how, "the others give")
        parts.append(f"Instead, {basis} {span}, once rounding is allowed for.")
    elif how == "label":
        parts.append("The same figure is given for another commodity.")
    checks = arith.get("checks", len(finding.check_ids))
    parts.append(f"{checks} conflicting check{'s' * (checks != 1)} rest{'s' * (checks == 1)} on it.")
    return " ".join(parts)


def _num(x) -> str:
    if isinstance(x, str):
        return "∞" if x == "inf" else x
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}".rstrip("0").rstrip(".")


@dataclass
class Report:
    sources: dict[str, Source]
    claims: dict[str, Claim]
    checks: list[Check]
    findings: list[FindingView]  # conflicts, most important first
    to_check: list[FindingView]  # readings to check (check_reading findings)
    series: list[Series]
    totals: dict
    reviews: dict = field(default_factory=dict)  # claim id -> review row
    unmatched_reviews: list = field(default_factory=list)  # reviews of claims no longer read

    @property
    def charted(self) -> list[Series]:
        return [s for s in self.series if s.charted]

    @property
    def conflicts(self) -> list[FindingView]:
        return self.findings


def quote(claim: Claim, source: Optional[Source]) -> Quote:
    return quotes([claim], {claim.article_id: source} if source else {})[0]


def quotes(claims: list[Claim], sources: dict[str, Source], changes: frozenset = frozenset()) -> list[Quote]:
    """Quote each sentence once, in order of first use, with every figure read from it marked
    (the change rather than the value for the claims in `changes`)."""
    grouped: dict[tuple, list[Claim]] = {}
    for claim in claims:
        grouped.setdefault((claim.article_id, claim.start, claim.sentence), []).append(claim)
    out = []
    for (article_id, _, sentence), group in grouped.items():
        sentence = sentence or ""
        spans = sorted({_change_span(sentence, c) if c.id in changes else _figure_span(sentence, c)
                        for c in group})
        parts, at = [], 0
        for a, b in spans:
            if a < at or a >= b:
                continue  # overlapping or empty: the first mark wins
            parts += [(clean(sentence[at:a]), False), (clean(sentence[a:b]), True)]
            at = b
        parts.append((clean(sentence[at:]), False))
        out.append(Quote(group, sources.get(article_id), [p for p in parts if p[0]]))
    return out


def _figure_span(sentence: str, claim: Claim) -> tuple[int, int]:
    """The figure's place in the sentence: the stored offsets when they fit, else a search."""
    fs, fe = claim.figure_start, claim.figure_end
    if fs is not None and fe is not None and claim.start is not None and claim.start <= fs < fe <= claim.start + len(sentence):
        return fs - claim.start, fe - claim.start
    return _find_figure(sentence, claim)


def _change_span(sentence: str, claim: Claim) -> tuple[int, int]:
    """Where the claim's percentage change is written ("30.8 per cent"), else its figure."""
    if claim.change_pct is not None:
        for form in _number_forms(abs(claim.change_pct)):
            m = re.search(r"(?<![\d.,])" + re.escape(form) + r"(?![\d])\s*(?:%|per\s*cent|percent|pct|pc)",
                          sentence, re.IGNORECASE)
            if m:
                return m.start(), m.end()
    return _figure_span(sentence, claim)


def _find_figure(sentence: str, claim: Claim) -> tuple[int, int]:
    literal = value_literal(claim)  # "57,392" of "57,392 kilotonnes", "10.81" of "10.81 lakh"
    if literal is not None and literal[0]:
        m = re.search(r"(?<![\d.,])" + re.escape(literal[0]) + r"(?![\d])", sentence)
        if m:
            return m.start(), m.end()
    for number in (claim.value, claim.change_pct):
        if number is None:
            continue
        for form in _number_forms(abs(number)):
            m = re.search(r"(?<![\d.,])" + re.escape(form) + r"(?![\d])", sentence)
            if m:
                return m.start(), m.end()
    return len(sentence), len(sentence)


def _number_forms(x: float) -> list[str]:
    if float(x).is_integer():
        n = int(x)
        return [f"{n:,}", str(n), f"{n:,}".replace(",", " ")]
    return [f"{x:,}", repr(x)]


def build(db) -> Report:
    """Read articles, claims, checks, findings and reviews and arrange them for a report."""
    articles = store.load_articles(db, with_text=False)
    sources = {a.id: Source(a, _letters(i), i) for i, a in enumerate(articles)}
    claims = {c.id: c for c in store.load_claims(db)}
    checks = sorted(store.load_checks(db), key=_check_order)
    findings = store.load_findings(db)
    reviews = {r["claim_id"]: r for r in store.load_reviews(db) if r.get("claim_id") in claims}
    unmatched = [r for r in store.load_reviews(db) if r.get("claim_id") not in claims]
    # claims held wrong are ringed; without findings (an older database), conflicting checks' claims
    conflict_ids = ({cid for f in findings for cid in f.claim_ids} if findings or "findings" in db.table_names()
                    else {cid for c in checks if c.verdict == "conflict" for cid in c.claim_ids})

    series = _group(claims.values(), sources, conflict_ids, _canonical_lines(db))
    _ranges_from_checks(series, checks, claims, sources, conflict_ids)
    by_claim: dict[str, list[Series]] = {}
    for s in series:
        for claim in s.claims:
            by_claim.setdefault(claim.id, []).append(s)
    for check in checks:
        for s in _unique(x for cid in check.claim_ids for x in by_claim.get(cid, [])):
            s.checks.append(check)
    series.sort(key=lambda s: (not s.conflict, not s.charted, s.key))

    by_id = {c.id: c for c in checks}
    views = []
    for finding in findings:
        changes = frozenset(finding.claim_ids + finding.support_claim_ids) if _about_changes(finding) else frozenset()
        suspects = quotes([claims[cid] for cid in finding.claim_ids if cid in claims], sources, changes)
        said = {(q.claim.article_id, q.claim.start) for q in suspects}
        backing, repeats = _first_mentions([claims[cid] for cid in finding.support_claim_ids if cid in claims],
                                           bool(changes))
        support = [q for q in quotes(backing, sources, changes) if (q.claim.article_id, q.claim.start) not in said]
        missing = [cid for cid in finding.claim_ids + finding.support_claim_ids if cid not in claims]
        related = list(_unique(x for cid in finding.claim_ids for x in by_claim.get(cid, [])))
        shown = {c.id for q in suspects + support for c in q.claims}
        views.append(FindingView(finding, suspects, support, [by_id[i] for i in finding.check_ids if i in by_id],
                                 missing, related, {cid: reviews[cid] for cid in shown if cid in reviews},
                                 repeats))
    totals = store.counts(db)
    totals["findings"] = len(findings)
    return Report(sources, claims, checks, [v for v in views if v.finding.kind == "conflict"],
                  [v for v in views if v.finding.kind != "conflict"], series, totals, reviews, unmatched)


def _first_mentions(claims: list[Claim], of_changes: bool) -> tuple[list[Claim], dict]:
    """One claim per article and figure (an article repeating 6,150 t four times is quoted once),
    and how many more mentions each quoted claim stands for."""
    first: dict = {}
    repeats: dict = {}
    for claim in claims:
        key = (claim.article_id, claim.change_pct if of_changes else claim.value)
        if key in first:
            repeats[first[key].id] = repeats.get(first[key].id, 0) + 1
        else:
            first[key] = claim
    return list(first.values()), repeats


def _about_changes(finding: Finding) -> bool:
    """The figures held wrong are percentage changes (their claims' values may be right)."""
    figures = [x.get("figure", "") for x in finding.arithmetic.get("suspects", [])]
    return bool(figures) and all("%" in f for f in figures)


def short_id(claim_id: str) -> str:
    """A claim id as shown: the first 8 characters of a hash id, any other id whole."""
    return claim_id[:8] if re.fullmatch(r"[0-9a-f]{16}", claim_id or "") else claim_id


def _check_order(check: Check):
    rank = VERDICT_ORDER.index(check.verdict) if check.verdict in VERDICT_ORDER else len(VERDICT_ORDER)
    return rank, check.series, check.kind, check.id


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _unique(items):
    seen = set()
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            yield item


def _canonical_lines(db) -> dict[str, tuple]:
    """claim id → (exporter, importer, commodity) as the reconciler named the series, if it ran.

    The reconciler folds commodity spellings ("rare-earth magnets", "rare earth magnet") into
    one canonical name; charts follow it so one flow is one chart.
    """
    if "series" not in db.table_names():
        return {}
    columns = set(db["series"].columns_dict)
    if not {"exporter", "importer", "commodity", "claim_ids"} <= columns:
        return {}
    lines = {}
    for row in db.query("SELECT exporter, importer, commodity, claim_ids FROM series"):
        try:
            ids = json.loads(row["claim_ids"] or "[]")
        except ValueError:
            continue
        for cid in ids:
            lines[cid] = (row["exporter"], row["importer"], row["commodity"])
    return lines


def _ranges_from_checks(series: list[Series], checks: list[Check], claims: dict[str, Claim],
                        sources: dict[str, Source], suspects: set) -> None:
    """Use the reconciler's implied intervals (which pair values and changes across claims)
    instead of the per-claim ones, when its implied_value checks carry them."""
    implied = [c for c in checks if c.kind == "implied_value" and c.arithmetic.get("implied_interval")]
    if not implied:
        return
    by_claim = {claim.id: s for s in series for claim in s.claims}
    for s in series:
        s.ranges = []
    merged: dict[tuple, Range] = {}
    for check in implied:
        arith = check.arithmetic
        value, change = arith.get("value") or {}, arith.get("change") or {}
        value_ids = [cid for cid in value.get("claim_ids", []) if cid in claims]
        period = parse_period(arith.get("implied_period"))
        if not value_ids or period is None or value_ids[0] not in by_claim:
            continue
        target = by_claim[value_ids[0]]
        if grain_of(period) != target.grain:
            continue
        low, high = (float(x) for x in arith["implied_interval"][:2])
        if not (math.isfinite(low) and math.isfinite(high)):
            continue  # an open-ended interval ("at least ...") is not drawn as a bar
        claim = claims[value_ids[0]]
        x = ordinal(period)
        key = (target.key, x, round(low, 3), round(high, 3))
        conflict = check.verdict == "conflict" and not suspects.isdisjoint(check.claim_ids)
        if key in merged:
            merged[key].conflict |= conflict
            continue
        ids = tuple(dict.fromkeys(value_ids + [c for c in change.get("claim_ids", []) if c in claims]))
        label = (f"{value.get('figure', '')} in {value.get('period', claim.period)} with "
                 f"{change.get('figure', '')} implies")
        # the change produces the interval: credit its article (the value may be shared)
        change_ids = [c for c in change.get("claim_ids", []) if c in claims]
        change_articles = [claims[c].article_id for c in change_ids]
        credited = claim.article_id if claim.article_id in change_articles or not change_articles else change_articles[0]
        merged[key] = Range(claim, period, x, low, high, sources.get(credited), conflict, label, ids)
        target.ranges.append(merged[key])


def _group(claims, sources: dict[str, Source], conflict_ids: set[str], lines: dict[str, tuple]) -> list[Series]:
    groups: dict[tuple, Series] = {}
    for claim in claims:
        period = parse_period(claim.period)
        if period is None:
            continue
        grain, span = grain_of(period), None
        if claim.per == "month" and period.kind == "year":
            grain, span = "month", (period.first, period.last)
        exporter, importer, commodity = lines.get(claim.id, (claim.exporter, claim.importer, claim.commodity))
        key = (exporter, importer, commodity, grain)
        s = groups.setdefault(key, Series(exporter, importer, commodity, grain))
        s.claims.append(claim)
        source = sources.get(claim.article_id)
        conflict = claim.id in conflict_ids
        if claim.value is not None:
            s.points.append(Point(claim, period, span[0] if span else ordinal(period), source, conflict, span))
        if claim.value is not None and claim.change_pct is not None and span is None:
            before = change_reference(period, claim.change_basis)
            interval = implied_previous(value_interval(claim), change_interval(claim)) if before else None
            if interval is not None and interval.bounded:
                label = f"{claim.value:,g} t in {claim.period} with {claim.change_pct:+g}% implies"
                s.ranges.append(Range(claim, before, ordinal(before), interval.lo, interval.hi, source,
                                      conflict, label, (claim.id,)))
    for s in groups.values():
        s.claims.sort(key=lambda c: (ordinal(parse_period(c.period), s.grain), c.article_id or "", c.start or 0))
    return list(groups.values())

"""The report as one self-contained HTML page: inline CSS, inline JS, inline SVG charts.

The markup lives in autoescaping jinja2 templates (extractor/templates): every piece of article
text (titles, sentences, URLs, explanations) is escaped there, links are kept only for http(s)
and file URLs, and a Content-Security-Policy allows no script but the page's own (by hash) and
no network at all, so an article cannot inject anything. This module only gathers what the
templates show.
"""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

import jinja2

from extractor.report import svg
from extractor.report.model import Report, Series, build, clean, quote, short_id

SAFE_SCHEMES = ("http", "https", "file")


def write_html(db, path: str | Path) -> Report:
    """Render the report of the database at `db` into `path`; returns what was shown."""
    report = build(db)
    Path(path).write_text(render(report), encoding="utf-8")
    return report


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("extractor", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False, keep_trailing_newline=True,
    )
    env.filters["short"] = short_id
    return env


def render(report: Report) -> str:
    css = _asset("report.css")
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
              f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")
    charted = report.charted
    single = [s for s in report.series if not s.charted]
    counts: dict[str, int] = {}
    for c in report.claims.values():
        counts[c.article_id] = counts.get(c.article_id, 0) + 1
    return environment().get_template("report.html.j2").render(
        report=report, css=css, script=script, policy=policy, generated=_now(),
        charts={s.anchor: svg.chart(s) for s in charted},
        charted_conflict=[s for s in charted if s.conflict], charted_other=[s for s in charted if not s.conflict],
        single=single, single_claims=[c for s in single for c in s.claims],
        suspects={cid for v in report.findings + report.to_check for cid in v.finding.claim_ids},
        sources_in_order=sorted(report.sources.values(), key=lambda s: s.index), claim_counts=counts,
        href=safe_href, colour=svg.colour, facts=_facts, claim_value=_value, claim_change=_change,
        review_words=review_words, series_sources=_series_sources,
        quote_of=lambda c: quote(c, report.sources.get(c.article_id)),
    )


def _asset(name: str) -> str:
    return resources.files("extractor").joinpath("static", name).read_text(encoding="utf-8")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def safe_href(url: Optional[str]) -> Optional[str]:
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return clean(url.strip()) if scheme in SAFE_SCHEMES else None


def _facts(c) -> str:
    facts = [f"{c.exporter or '?'} → {c.importer or '?'}", c.commodity or "?", c.period or "?"]
    if c.value is not None:
        facts.append(_value(c))
    if c.change_pct is not None:
        facts.append(_change(c))
    return clean(" · ".join(facts))


def _value(c) -> str:
    if c.value is None:
        return ""
    return clean(f"{svg.QUALIFIER_WORDS.get(c.qualifier or '', '')}{svg.number(c.value)} {c.unit or ''}".strip()
                 + (" a month" if c.per == "month" else ""))


def _change(c) -> str:
    return "" if c.change_pct is None else clean(f"{c.change_pct:+g}% {c.change_basis or ''}".strip())


def review_words(review: dict) -> str:
    action = review.get("action")
    if action == "reject":
        return "rejected: " + clean(review.get("note") or "no reason given")
    if action == "correct":
        return "corrected: " + clean(review.get("fields") or "")
    return "confirmed"


def _series_sources(s: Series) -> list:
    found = {p.source.article.id: p.source for p in s.points if p.source}
    found.update({r.source.article.id: r.source for r in s.ranges if r.source})
    return sorted(found.values(), key=lambda x: x.index)

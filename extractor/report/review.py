"""What a person looks at and scripts with: `report --json`, `extractor review`, `extractor claims`.

`review` lists the findings most important first (conflicts, then readings to check), each with
the claims held wrong and those that support the other figure, their ids and sentences, and
the command that records a decision; then the reviews already made, and any whose claim is no
longer read. Everything is also available as JSON for scripts.
"""
from __future__ import annotations

import io
import json
from typing import Optional

from rich.console import Console
from rich.text import Text

from extractor import store
from extractor.report.model import FindingView, Quote, Report, build, clean
from extractor.report.terminal import short
from extractor.types import Claim


def _quote_json(q: Quote, reviews: dict) -> dict:
    return {
        "claim_ids": [c.id for c in q.claims], "source": q.source.letter if q.source else None,
        "article": clean(q.source.label) if q.source else None,
        "url": q.source.article.url if q.source else None, "sentence": q.sentence,
        "figures": q.figures,
        "reviews": {c.id: _review_json(reviews[c.id]) for c in q.claims if c.id in reviews},
    }


def _review_json(review: dict) -> dict:
    return {"action": review.get("action"), "fields": json.loads(review.get("fields") or "{}"),
            "note": review.get("note"), "at": review.get("at"), "claim_key": review.get("claim_key")}


def finding_json(view: FindingView) -> dict:
    f = view.finding
    return {
        "id": f.id, "kind": f.kind, "series": f.series, "cause": f.cause, "cause_label": view.cause_label,
        "tied": view.tied, "explanation": f.explanation, "arithmetic": view.arithmetic_sentence(),
        "claim_ids": f.claim_ids, "support_claim_ids": f.support_claim_ids, "check_ids": f.check_ids,
        "held_wrong": [_quote_json(q, view.reviews) for q in view.suspects],
        "supported_by": [_quote_json(q, view.reviews) for q in view.support],
        "numbers": f.arithmetic,
    }


def report_json(db) -> dict:
    """The report as one JSON document."""
    report = build(db)
    return {
        "totals": report.totals,
        "sources": [{"letter": s.letter, "article_id": s.article.id, "title": clean(s.label),
                     "url": s.article.url, "published": s.article.published}
                    for s in sorted(report.sources.values(), key=lambda s: s.index)],
        "conflicts": [finding_json(v) for v in report.findings],
        "readings_to_check": [finding_json(v) for v in report.to_check],
        "series": [_series_json(s, report) for s in report.series],
        "reviews": [_review_json(r) | {"claim_id": r.get("claim_id")} for r in report.reviews.values()],
        "reviews_not_matched": [_review_json(r) | {"sentence": r.get("sentence"), "url": r.get("article_url")}
                                for r in report.unmatched_reviews],
    }


def _series_json(series, report: Report) -> dict:
    return {
        "key": series.key, "title": series.title, "verdict": series.verdict,
        "claims": [{"id": c.id, "period": c.period, "value": c.value, "unit": c.unit,
                    "change_pct": c.change_pct, "change_basis": c.change_basis,
                    "source": report.sources[c.article_id].letter if c.article_id in report.sources else None,
                    "held_wrong": any(p.claim.id == c.id and p.conflict for p in series.points)}
                   for c in series.claims],
    }


# --- `extractor review` ----------------------------------------------------------------------

def review_data(db) -> dict:
    report = build(db)
    return {
        "conflicts": [finding_json(v) for v in report.findings],
        "readings_to_check": [finding_json(v) for v in report.to_check],
        "reviewed": [_review_json(r) | {"claim_id": r.get("claim_id")} for r in report.reviews.values()],
        "reviews_not_matched": [_review_json(r) | {"sentence": r.get("sentence"), "url": r.get("article_url")}
                                for r in report.unmatched_reviews],
    }


def review_text(db, width: int = 110) -> str:
    report = build(db)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, soft_wrap=False)
    if not report.findings and not report.to_check:
        console.print(Text("Nothing to review: no finding (every cross-checked figure agrees within "
                           "rounding, or nothing was cross-checked)."))
    for title, views in (("Conflicts", report.findings), ("Readings to check", report.to_check)):
        if not views:
            continue
        console.print(Text(f"{title} ({len(views)}), most important first", style="bold"))
        for n, view in enumerate(views, start=1):
            _print_finding(console, n, view)
    if report.reviews:
        console.print(Text(f"Reviewed ({len(report.reviews)})", style="bold"))
        for cid, r in report.reviews.items():
            claim = report.claims.get(cid)
            console.print(Text(f"  {short(cid)} {r['action']}: {clean(r.get('figure') or '')} — "
                               f"“{clean(claim.sentence if claim else r.get('sentence'))[:100]}”"
                               + (f" ({clean(r['note'])})" if r.get("note") else "")))
    if report.unmatched_reviews:
        console.print(Text(f"Reviews whose claim is no longer read ({len(report.unmatched_reviews)}): "
                           f"kept, and applied again if a reading finds the sentence", style="bold"))
        for r in report.unmatched_reviews:
            console.print(Text(f"  {r['action']}: {clean(r.get('figure') or '')} — “{clean(r.get('sentence'))[:100]}” "
                               f"({clean(r.get('article_url'))})"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip("\n")


def _print_finding(console: Console, n: int, view: FindingView) -> None:
    f = view.finding
    console.print(Text(f"{n}. {clean(f.series)} — {view.cause_label}"
                       + (" (sources tied)" if view.tied else "") + f"  [finding {short(f.id)}]"))
    console.print(Text("   " + clean(f.explanation)))
    console.print(Text("   " + clean(view.arithmetic_sentence()), style="italic"))
    console.print(Text("   Claims held wrong:" if not view.tied else "   Candidates (one of them is wrong):"))
    for q in view.suspects:
        console.print(_line(q, view.reviews))
    if view.support:
        console.print(Text("   Supported by:"))
        for q in view.support:
            console.print(_line(q, view.reviews))
    target = short(view.suspects[0].claims[0].id) if view.suspects else "CLAIM_ID"
    console.print(Text(f"   Decide: extractor claim {target} --confirm | --reject WHY | --set FIELD=VALUE",
                       style="dim"))
    console.print(Text(""))


def _line(q: Quote, reviews: dict) -> Text:
    letter = q.source.letter if q.source else "?"
    text = Text(f"     {', '.join(short(c.id) for c in q.claims)} [{letter}] “{q.sentence}”")
    if q.source:
        text.append(f" — {q.source.label}", style="dim")
    for c in q.claims:
        if c.id in reviews:
            text.append(f" (reviewed: {reviews[c.id]['action']})")
    return text


# --- `extractor claims` ----------------------------------------------------------------------

CLAIM_LIST_COLUMNS = ("id", "article", "exporter", "importer", "commodity", "period", "value", "unit",
                      "change_pct", "change_basis", "qualifier", "modality", "per", "inferred", "sentence")


def claims_rows(db, series: Optional[str] = None, article: Optional[str] = None) -> list[dict]:
    """Stored claims with their ids, of one series (a key as the reconciler writes it, or its
    beginning: "CN>US rare earth magnets") and/or one article (URL, id or file stem)."""
    where, params = [], []
    if article:
        where.append("(article_id = ? OR article = ? OR article_id IN (SELECT id FROM articles WHERE url = ?))")
        params += [article, article, article]
    claims = store.load_claims(db, " AND ".join(where), params)
    if series:
        wanted = _series_claims(db, series)
        claims = [c for c in claims if c.id in wanted]
    return [_claim_row(c) for c in claims]


def _series_claims(db, key: str) -> set:
    if "series" not in db.table_names():
        return set()
    exact = list(db.query("SELECT claim_ids FROM series WHERE series = ?", [key]))
    rows = exact or list(db.query("SELECT claim_ids FROM series WHERE series LIKE ? ESCAPE '\\'",
                                  [key.replace("%", "\\%").replace("_", "\\_") + "%"]))
    return {cid for row in rows for cid in json.loads(row["claim_ids"] or "[]")}


def _claim_row(c: Claim) -> dict:
    row = {name: getattr(c, name) for name in CLAIM_LIST_COLUMNS}
    row["inferred"] = list(c.inferred)
    return row


def claims_text(rows: list[dict], width: int = 110) -> str:
    from rich import box
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, soft_wrap=False)
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    for name, ratio in (("id", None), ("series", 2), ("figure", 1), ("sentence", 4)):
        table.add_column(name, ratio=ratio, overflow="fold", no_wrap=name == "id")
    for r in rows:
        series = f"{r['exporter'] or '?'}>{r['importer'] or '?'} {r['commodity'] or '?'} {r['period'] or '?'}"
        figure = ", ".join(x for x in (
            None if r["value"] is None else f"{r['value']:,g} {r['unit'] or ''}".strip(),
            None if r["change_pct"] is None else f"{r['change_pct']:+g}% {r['change_basis'] or ''}".strip()) if x)
        table.add_row(Text(r["id"]), Text(clean(series)), Text(figure), Text(clean(r["sentence"])))
    console.print(table)
    console.print(Text(f"{len(rows)} claim{'s' * (len(rows) != 1)}"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip("\n")

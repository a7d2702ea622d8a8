"""Report stage: what agrees, what conflicts and why, for the terminal."""
from __future__ import annotations

from typing import Iterable

from extractor import store
from extractor.pipeline import Summary
from extractor.types import Check, Failure

VERDICT_ORDER = ("conflict", "consistent", "unverifiable")


def run_summary(db, summary: Summary) -> str:
    """The short summary printed after `extractor run` and `extractor ingest`."""
    totals = store.counts(db)
    lines = [
        f"Articles: {summary.articles_stored} processed this run, {totals['articles']} stored",
        f"Claims: {summary.claims_stored} extracted this run, {totals['claims']} stored",
        "Checks: " + _verdicts(totals["verdicts"]),
    ]
    lines += _article_lines(db)
    lines += _conflict_lines(c for c in store.load_checks(db) if c.verdict == "conflict")
    lines += failure_lines(summary.failures)
    return "\n".join(lines)


def _verdicts(verdicts: dict) -> str:
    if not verdicts:
        return "none"
    ordered = sorted(verdicts.items(), key=lambda kv: VERDICT_ORDER.index(kv[0]) if kv[0] in VERDICT_ORDER else 99)
    return ", ".join(f"{n} {verdict}" for verdict, n in ordered)


def _article_lines(db) -> list[str]:
    rows = db.query(
        "SELECT articles.title, articles.published, count(claims.id) AS n FROM articles "
        "LEFT JOIN claims ON claims.article_id = articles.id GROUP BY articles.id "
        "ORDER BY articles.published, articles.title"
    )
    return ["", "Articles:"] + [
        f"  {row['published'] or '????-??-??'}  {row['n']:>3} claims  {row['title'] or '(untitled)'}" for row in rows
    ]


def _conflict_lines(conflicts: Iterable[Check]) -> list[str]:
    conflicts = list(conflicts)
    if not conflicts:
        return ["", "Conflicts: none"]
    lines = ["", f"Conflicts ({len(conflicts)}):"]
    for check in conflicts:
        lines.append(f"  [{check.kind}] {check.series}: {check.explanation}")
    return lines


def failure_lines(failures: list[Failure]) -> list[str]:
    if not failures:
        return []
    lines = ["", f"Failures ({len(failures)}, retried on the next run):"]
    lines += [f"  {f.stage}: {f.url}: {f.reason}" for f in failures]
    return lines


def checks_report(db) -> str:
    """Every check, conflicts first, with its explanation (`extractor report`)."""
    checks = sorted(store.load_checks(db), key=lambda c: (VERDICT_ORDER.index(c.verdict) if c.verdict in VERDICT_ORDER else 9, c.series, c.kind))
    if not checks:
        return "No checks stored: run `extractor reconcile` after adding articles."
    lines = []
    for verdict in VERDICT_ORDER:
        group = [c for c in checks if c.verdict == verdict]
        if group:
            lines.append(f"{verdict.capitalize()} ({len(group)}):")
            lines += [f"  [{c.kind}] {c.series}: {c.explanation}" for c in group]
            lines.append("")
    return "\n".join(lines).rstrip()

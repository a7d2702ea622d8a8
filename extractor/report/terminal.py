"""The report in the terminal: rich tables, conflicts first, plain text when not a terminal.

Article text only ever enters rich as `Text` (never as markup), so a title holding
"[bold]" or an escape sequence prints literally.
"""
from __future__ import annotations

import io
from typing import Iterable, Optional

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from extractor import store
from extractor.report.escape import one_line
from extractor.report.svg import QUALIFIER_WORDS, number
from extractor.report.model import VERDICT_ORDER, Quote, Report, Series, Source, build, clean
from extractor.types import Check, Failure

VERDICT_STYLE = {"conflict": "bold red", "consistent": "green", "unverifiable": "yellow", "unchecked": "dim"}


# --- `extractor run` / `ingest` summary --------------------------------------------------------

def run_summary(db, summary) -> str:
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
        f"  {row['published'] or '????-??-??'}  {row['n']:>3} claims  {clean(row['title']) or '(untitled)'}" for row in rows
    ]


def _conflict_lines(conflicts: Iterable[Check]) -> list[str]:
    conflicts = list(conflicts)
    if not conflicts:
        return ["", "Conflicts: none"]
    lines = ["", f"Conflicts ({len(conflicts)}):"]
    for check in conflicts:
        lines.append(f"  [{check.kind}] {check.series}: {clean(check.explanation)}")
    return lines


def failure_lines(failures: list[Failure]) -> list[str]:
    if not failures:
        return []
    lines = ["", f"Failures ({len(failures)}, retried on the next run):"]
    lines += [f"  {f.stage}: {one_line(f.url)}: {one_line(f.reason)}" for f in failures]
    return lines


# --- `extractor report` ----------------------------------------------------------------------

def print_report(db, console: Optional[Console] = None) -> Report:
    """Print conflicts (with quotes), then the series over time, then the other checks."""
    console = console or Console()
    report = build(db)
    if not report.checks and not report.claims:
        console.print(Text("No claims stored: run `extractor run` or `extractor ingest` first."))
        return report
    for renderable in renderables(report):
        console.print(renderable)
    return report


def checks_report(db, width: int = 110) -> str:
    """The report as plain text (no colour), e.g. for logs and tests."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, soft_wrap=False)
    print_report(db, console)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip("\n")


def renderables(report: Report) -> list:
    t = report.totals
    verdicts = t.get("verdicts", {})
    head = Text.assemble(
        (f"{t['articles']} articles, {t['claims']} claims, {t['checks']} checks: ", ""),
        (f"{len(report.conflicts)} conflicts", VERDICT_STYLE["conflict"] if report.conflicts else ""),
        f", {verdicts.get('consistent', 0)} consistent, {verdicts.get('unverifiable', 0)} unverifiable",
    )
    out: list = [head, ""]
    out.append(_conflicts_table(report))
    out.append(_series_table(report))
    others = [c for c in report.checks if c.verdict != "conflict"]
    if others:
        out.append(_checks_table(others, f"Other checks ({len(others)})"))
    return out


def _source(source: Optional[Source]) -> Text:
    if source is None:
        return Text("?")
    published = f", {source.article.published}" if source.article.published else ""
    return Text(f"[{source.letter}] {source.label}{published}", style="dim")


def _quote_text(q: Quote) -> Text:
    text = Text("“")
    for part, marked in q.parts:
        text.append(part, style="bold reverse" if marked else "")
    text.append("”\n")
    text.append_text(_source(q.source))
    return text


def _conflicts_table(report: Report):
    table = Table(title=f"Conflicts ({len(report.conflicts)})", title_justify="left", box=box.SIMPLE_HEAD,
                  show_lines=True, expand=True)
    table.add_column("Series", ratio=1, overflow="fold")
    table.add_column("Why", ratio=3, overflow="fold")
    if not report.conflicts:
        table.add_row(Text("-"), Text("No conflicts: every cross-checked figure agrees within rounding."))
        return table
    for view in report.conflicts:
        series = Text(clean(view.check.series), style="bold")
        series.append(f"\n{view.check.kind}", style="red")
        parts = [Text(clean(view.check.explanation))]
        parts += [_quote_text(q) for q in view.quotes]
        parts += [Text(f"claim {cid} is no longer stored", style="dim") for cid in view.missing]
        table.add_row(series, Group(*_spaced(parts)))
    return table


def _spaced(parts: list[Text]) -> list[Text]:
    out = []
    for i, part in enumerate(parts):
        if i:
            out.append(Text(""))
        out.append(part)
    return out


def _series_table(report: Report):
    table = Table(title="Series over time (conflicts first)", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Series", ratio=2, overflow="fold")
    table.add_column("Period", no_wrap=True)
    table.add_column("Reported (source)", ratio=3, overflow="fold")
    table.add_column("Verdict", no_wrap=True)
    for series in report.series:
        if not series.claims:
            continue
        first = True
        for period, figures in _by_period(series, report.sources):
            verdict = Text(series.verdict, style=VERDICT_STYLE.get(series.verdict, "")) if first else Text("")
            table.add_row(Text(series.title if first else ""), Text(period), figures, verdict)
            first = False
    return table


def _by_period(series: Series, sources: dict[str, Source]) -> list[tuple[str, Text]]:
    rows: dict[str, list] = {}
    for claim in series.claims:
        rows.setdefault(claim.period or "?", []).append(claim)
    conflicted = {p.claim.id for p in series.points if p.conflict}
    out = []
    for period, claims in rows.items():
        text = Text()
        seen = set()
        for claim in claims:
            figure = _figure(claim)
            source = sources.get(claim.article_id)
            letter = source.letter if source else "?"
            key = (letter, figure)
            if key in seen:
                continue
            seen.add(key)
            if text:
                text.append("; ")
            text.append(figure, style="bold red" if claim.id in conflicted else "")
            text.append(f" [{letter}]", style="dim")
        out.append((period, text))
    return out


def _figure(claim) -> str:
    parts = []
    if claim.value is not None:
        parts.append(f"{QUALIFIER_WORDS.get(claim.qualifier or '', '')}{number(claim.value)} {claim.unit or ''}".strip()
                     + (" a month" if claim.per == "month" else ""))
    if claim.change_pct is not None:
        parts.append(f"{claim.change_pct:+g}%" + (f" {claim.change_basis}" if claim.change_basis else ""))
    return ", ".join(parts) or "?"


def _checks_table(checks: list[Check], title: str):
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Series", ratio=1, overflow="fold")
    table.add_column("Explanation", ratio=3, overflow="fold")
    for c in checks:
        table.add_row(Text(c.verdict, style=VERDICT_STYLE.get(c.verdict, "")), Text(c.kind),
                      Text(clean(c.series)), Text(clean(c.explanation)))
    return table

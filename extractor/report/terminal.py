"""The report in the terminal: rich tables, conflicts first, plain text when not a terminal.

Article text only ever enters rich as `Text` (never as markup), so a title holding
"[bold]" or an escape sequence prints literally.
"""
from __future__ import annotations

import io
from typing import Optional

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from extractor import store
from extractor.report.escape import one_line
from extractor.report.svg import QUALIFIER_WORDS, number
from extractor.report.model import VERDICT_ORDER, FindingView, Quote, Report, Series, Source, build, clean, short_id
from extractor.types import Failure

VERDICT_STYLE = {"conflict": "bold red", "consistent": "green", "unverifiable": "yellow", "unchecked": "dim"}


# --- `extractor run` / `ingest` summary --------------------------------------------------------

def run_summary(db, summary) -> str:
    """The short summary printed after `extractor run` and `extractor ingest`."""
    totals = store.counts(db)
    lines = [
        f"Articles: {summary.articles_stored} processed this run, {totals['articles']} stored",
        f"Claims: {summary.claims_stored} extracted this run, {totals['claims']} stored",
        "Checks: " + _verdicts(totals["verdicts"]),
        f"Findings: {len(store.load_findings(db))} (one per wrong figure; `extractor review` lists them)",
    ]
    lines += _article_lines(db)
    lines += _finding_lines(store.load_findings(db))
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


def _finding_lines(findings) -> list[str]:
    conflicts = [f for f in findings if f.kind == "conflict"]
    to_check = [f for f in findings if f.kind != "conflict"]
    lines = ["", f"Conflicts ({len(conflicts)}):" if conflicts else "Conflicts: none"]
    for f in conflicts:
        lines.append(f"  [{f.cause}] {f.series}: {clean(f.explanation)} (claims {', '.join(short_id(c) for c in f.claim_ids)})")
    if to_check:
        lines += ["", f"Readings to check ({len(to_check)}): `extractor review` lists them"]
    return lines


def failure_lines(failures: list[Failure]) -> list[str]:
    if not failures:
        return []
    lines = ["", f"Failures ({len(failures)}, retried on the next run):"]
    lines += [f"  {f.stage}: {one_line(f.url)}: {one_line(f.reason)}" for f in failures]
    return lines


# --- `extractor report` ----------------------------------------------------------------------

ID_CHARS = 8  # claim ids are shown this long; `explain` and `claim` take any unambiguous prefix


def short(claim_id: str) -> str:
    return short_id(claim_id)


def print_report(db, console: Optional[Console] = None) -> Report:
    """Print the findings (with quotes and claim ids), readings to check, the series over
    time, and a key to the source letters."""
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
        (f"{len(report.findings)} conflicts", VERDICT_STYLE["conflict"] if report.findings else ""),
        f", {len(report.to_check)} readings to check; checks {verdicts.get('conflict', 0)} conflicting, "
        f"{verdicts.get('consistent', 0)} consistent, {verdicts.get('unverifiable', 0)} unverifiable",
    )
    out: list = [head, ""]
    out.append(_findings_table(report.findings, f"Conflicts ({len(report.findings)}): one per wrong figure",
                               "No conflicts: every cross-checked figure agrees within rounding."))
    if report.to_check:
        out.append(_findings_table(report.to_check, f"Readings to check ({len(report.to_check)}): "
                                   f"more likely misreadings than reporting errors", ""))
    out.append(_series_table(report))
    out.append(_sources_key(report))
    out.append(Text(f"Every claim id above works with `extractor explain ID` and `extractor claim ID`; "
                    f"`extractor review` lists what to look at, `report --json` all of this as JSON.",
                    style="dim"))
    return out


def _source(source: Optional[Source]) -> Text:
    if source is None:
        return Text("?")
    published = f", {source.article.published}" if source.article.published else ""
    return Text(f"[{source.letter}] {source.label}{published}", style="dim")


def _quote_text(q: Quote, reviews: Optional[dict] = None, repeats: Optional[dict] = None) -> Text:
    text = Text(f"[{q.source.letter if q.source else '?'}] “")
    for part, marked in q.parts:
        text.append(part, style="bold reverse" if marked else "")
    text.append("”")
    ids = ", ".join(short(c.id) for c in q.claims)
    text.append(f"  claim{'s' * (len(q.claims) > 1)} {ids}", style="dim")
    for c in q.claims:
        review = (reviews or {}).get(c.id)
        if review:
            text.append(f"  reviewed: {_review_words(review)}", style="bold")
        if (repeats or {}).get(c.id):
            text.append(f"  (repeated {repeats[c.id]} more times in the article)", style="dim")
    return text


def _review_words(review: dict) -> str:
    action = review.get("action")
    if action == "reject":
        return f"rejected ({clean(review.get('note') or 'no reason given')})"
    if action == "correct":
        return f"corrected ({clean(review.get('fields') or '')})"
    return "confirmed"


def _findings_table(views: list[FindingView], title: str, empty: str):
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_lines=True, expand=True)
    table.add_column("Finding", ratio=1, overflow="fold")
    table.add_column("What is wrong, and the sentences", ratio=3, overflow="fold")
    if not views:
        table.add_row(Text("-"), Text(empty))
        return table
    for n, view in enumerate(views, start=1):
        f = view.finding
        head = Text(f"{n}. {clean(f.series)}", style="bold")
        head.append(f"\n{view.cause_label}", style="red" if f.kind == "conflict" else "yellow")
        if view.tied:
            head.append("\nsources tied", style="dim")
        head.append(f"\nfinding {short(f.id)}", style="dim")
        parts = [Text(clean(f.explanation)), Text(clean(view.arithmetic_sentence()), style="italic")]
        parts += [Text("Sentences held wrong:" if not view.tied else "Candidates (one of them is wrong):",
                       style="bold")]
        parts += [_quote_text(q, view.reviews) for q in view.suspects]
        if view.support:
            parts.append(Text("Supporting sentences:", style="bold"))
            parts += [_quote_text(q, view.reviews, view.repeats) for q in view.support]
        parts += [Text(f"claim {cid} is no longer stored", style="dim") for cid in view.missing]
        table.add_row(head, Group(*parts))
    return table


def _series_table(report: Report):
    table = Table(title="Series over time (those with a figure held wrong first)", title_justify="left",
                  box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Series", ratio=2, overflow="fold")
    table.add_column("Period", no_wrap=True)
    table.add_column("Reported [source] claim", ratio=3, overflow="fold")
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
            text.append(f" [{letter}] {short(claim.id)}", style="dim")
        out.append((period, text))
    return out


def _sources_key(report: Report):
    table = Table(title="Sources: the letters above", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("", no_wrap=True)
    table.add_column("Article", ratio=3, overflow="fold")
    table.add_column("Published", no_wrap=True)
    used = {c.article_id for c in report.claims.values()}
    for source in sorted(report.sources.values(), key=lambda s: s.index):
        if source.article.id not in used:
            continue
        table.add_row(Text(source.letter), Text(f"{source.label}\n{clean(source.article.url)}"),
                      Text(source.article.published or ""))
    return table


def _figure(claim) -> str:
    parts = []
    if claim.value is not None:
        parts.append(f"{QUALIFIER_WORDS.get(claim.qualifier or '', '')}{number(claim.value)} {claim.unit or ''}".strip()
                     + (" a month" if claim.per == "month" else ""))
    if claim.change_pct is not None:
        parts.append(f"{claim.change_pct:+g}%" + (f" {claim.change_basis}" if claim.change_basis else ""))
    return ", ".join(parts) or "?"

"""The command line: thin click wrappers over the pipeline; domain errors become messages."""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click

from extractor import __version__, feeds, pipeline, report, store
from extractor.progress import reporter as progress_reporter
from extractor.engine import default_workers
from extractor.report.escape import one_line

DEFAULT_DB = "claims.db"
EXIT_PARTIAL = 1


def default_feeds_path() -> Path:
    """./feeds.yaml when there is one, else the checkout's own (the bundled offline demo)."""
    for candidate in (Path("feeds.yaml"), Path(__file__).resolve().parent.parent / "feeds.yaml"):
        if candidate.exists():
            return candidate
    raise click.UsageError(
        "no feeds.yaml in the current folder, and the demo feeds come only with a source "
        "checkout: pass --feeds FILE"
    )


def _published_option(func):
    return click.option(
        "--published", metavar="YYYY-MM-DD", callback=_check_date,
        help="Publication date for relative periods when the file carries none.",
    )(func)


def _title_option(func):
    return click.option(
        "--title", metavar="TEXT",
        help="Title of the article files read (every one of them when there are several); wins over "
             "the page's own title and the first-line guess for plain text.",
    )(func)


DB_KEY = "extractor.db_path"  # where a command's --db is kept for the messages of the group


def _db_option(func):
    return click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, callback=_remember_db,
                        type=click.Path(dir_okay=False, path_type=Path), help="Claims database.")(func)


def _remember_db(ctx, param, value):
    ctx.meta[DB_KEY] = value  # meta is shared by a context and its parents
    return value


def _check_date(ctx, param, value):
    if value is None:
        return None
    from datetime import date
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _fetch_options(func):
    func = click.option("--allow-net", "allow_net", multiple=True, metavar="CIDR", callback=_check_networks,
                        help="Let the fetcher reach this non-public network, e.g. 127.0.0.0/8 or 10.0.0.0/8 "
                             "(repeatable; loopback, private, link-local and metadata addresses are "
                             "refused by default, so a feed cannot point it at internal services).")(func)
    func = click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
                        help="Seconds one request may take in all, from connecting to the last byte.")(func)
    func = click.option("--delay", type=click.FloatRange(0), default=1.0, show_default=True,
                        help="Seconds between two requests to the same host (robots.txt Crawl-delay may raise it).")(func)
    return click.option("--progress/--no-progress", default=True, show_default=True,
                        help="Show progress on standard error (a bar on a terminal, else plain lines).")(func)


def _check_networks(ctx, param, values):
    from extractor.fetch import FetchPolicy
    try:
        return FetchPolicy.networks(values)
    except ValueError as err:
        raise click.BadParameter(f"{err}; expected a network such as 127.0.0.0/8 or ::1/128") from None


def _fetch_policy(allow_net: tuple = (), delay: float = 1.0, timeout: float = 60.0):
    from extractor.fetch import FetchPolicy
    return FetchPolicy(politeness=delay, allowed_networks=tuple(allow_net), total_timeout=timeout)


def _report_warnings(summary) -> None:
    for warning in getattr(summary, "warnings", []):
        click.echo(f"warning: {one_line(warning.url)}: {one_line(warning.reason)}", err=True)
    if summary.unchanged or summary.duplicates:
        click.echo(f"Skipped: {summary.unchanged} unchanged, {summary.duplicates} duplicates", err=True)
    if summary.refreshed:
        click.echo(f"Claims read again by the current extractor: {summary.refreshed} stored articles", err=True)
    if getattr(summary, "prefiltered", 0):
        click.echo(f"Skipped by the prefilter (no figure): {summary.prefiltered} pages", err=True)


def _finish(db_path: Path, summary) -> None:
    """Print the summary of a run or an ingest and exit 1 when some input failed."""
    click.echo(report.run_summary(store.open_db(db_path), summary))
    _report_warnings(summary)
    _report_failures(summary.failures)
    sys.exit(EXIT_PARTIAL if summary.failures else 0)


def _report_failures(failures) -> None:
    for failure in failures:
        click.echo(f"error: {one_line(failure.url)}: {one_line(failure.reason)}", err=True)


class DomainError(click.ClickException):
    """An expected failure of the whole command (e.g. an unusable database): a message, exit 2."""

    exit_code = 2


class ExtractorGroup(click.Group):
    """Turns the domain errors of any command into clear messages instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except store.StoreError as err:
            raise DomainError(str(err)) from None
        except sqlite3.Error as err:  # e.g. the disk filled up, or the file went read-only, mid-command
            raise DomainError(f"{ctx.meta.get(DB_KEY, 'the claims database')}: database error: {err}") from None
        except BrokenPipeError:  # `extractor export | head -1`: the reader has all it wanted
            _quiet_stdout()
            sys.exit(0)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush meets no closed pipe."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.group(cls=ExtractorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extractor")
def cli():
    """Read news feeds, extract reported trade figures, and cross-check them."""


@cli.command()
@click.option("--feeds", "feeds_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Feeds configuration [default: ./feeds.yaml, else the bundled demo].")
@click.option("--group", help="Run only the feeds of this group [default: the file's default_group].")
@_db_option
@_fetch_options
def run(feeds_path, group, db_path, allow_net, timeout, delay, progress):
    """The main job: read feeds, extract, store, reconcile, summarise."""
    feeds_path = feeds_path or default_feeds_path()
    try:
        with progress_reporter("feeds", enabled=progress) as shown:
            summary = pipeline.run(feeds_path, db_path, group=group, progress=shown,
                                   policy=_fetch_policy(allow_net, delay, timeout))
    except feeds.ConfigError as err:
        raise click.UsageError(str(err)) from None
    _finish(db_path, summary)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_published_option
@_db_option
@_fetch_options
@click.option("--workers", type=click.IntRange(min=1), default=default_workers, show_default="every core",
              help="Processes extracting article files in parallel.")
@_title_option
@click.option("--prefilter/--no-prefilter", default=False, show_default=True,
              help="Skip pages with no figure before text extraction (as `batch` does).")
def ingest(paths, published, db_path, allow_net, timeout, delay, progress, workers, title, prefilter):
    """Add articles as if they came from a feed: files or folders (.txt, .html), URL lists
    (*.urls, one URL a line) and web archives (.warc, .warc.gz)."""
    with progress_reporter("ingest", enabled=progress) as shown:
        summary = pipeline.ingest(paths, db_path, published=published, progress=shown,
                                  policy=_fetch_policy(allow_net, delay, timeout), workers=workers, title=title,
                                  use_prefilter=prefilter)
    _finish(db_path, summary)


@cli.command(name="batch")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_published_option
@_db_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where shards run: processes on this machine, or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Address of a Dask scheduler (tcp://HOST:8786) [default: a LocalCluster on this machine].")
@click.option("--workers", type=click.IntRange(min=1), default=default_workers, show_default="every core",
              help="Local processes, or the LocalCluster's workers.")
@click.option("--warc-base", metavar="FOLDER|URL",
              help="Where the relative lines of a WARC list (warc.paths) are [default: the list's folder].")
@click.option("--prefilter/--no-prefilter", default=True, show_default=True,
              help="Skip pages with no figure before text extraction.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Show progress of shards and pages on standard error.")
def batch_command(paths, published, db_path, engine, scheduler, workers, warc_base, prefilter, progress):
    """Run a batch over web archives at scale: WARC files, lists of them (a CC-NEWS month's
    warc.paths) and folders of article files, sharded by file, on local processes or Dask."""
    from extractor.batch import BatchError

    try:
        with progress_reporter("shards", enabled=progress) as shown:
            summary = pipeline.batch(paths, db_path, engine=engine, scheduler=scheduler, workers=workers,
                                     published=published, use_prefilter=prefilter, warc_base=warc_base,
                                     progress=shown)
    except BatchError as err:
        raise DomainError(str(err)) from None
    share = f" ({100 * summary.prefiltered / summary.pages:.1f}%)" if summary.pages else ""
    click.echo(f"Shards: {summary.shards_done} done, {summary.shards_skipped} finished before, "
               f"{summary.shards_failed} failed; {summary.pages} pages read")
    click.echo(f"Skipped by the prefilter: {summary.prefiltered} of {summary.pages} pages{share}")
    _finish(db_path, summary)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_published_option
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@_title_option
def extract(paths, published, fmt, title):
    """Print the claims of article files as JSON lines, without a database."""
    failed = False
    for result in pipeline.extract_files(paths, published=published, title=title):
        if result.failure:
            failed = True
            _report_failures([result.failure])
            continue
        for claim in result.claims:
            click.echo(json.dumps(claim.contract_dict(), ensure_ascii=False))
    sys.exit(EXIT_PARTIAL if failed else 0)


@cli.command(name="reconcile")
@_db_option
def reconcile_command(db_path):
    """Recompute the cross-checks and findings over every stored claim."""
    db = _existing_db(db_path, write=True)
    result = pipeline.reconcile_db(db)
    verdicts = {}
    for check in result.checks:
        verdicts[check.verdict] = verdicts.get(check.verdict, 0) + 1
    click.echo(f"{len(result.checks)} checks over {len(result.series)} series: "
               + (", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())) or "none"))
    kinds = [f.kind for f in result.findings]
    click.echo(f"{len(kinds)} findings: {kinds.count('conflict')} conflicts, "
               f"{kinds.count('check_reading')} readings to check (`extractor review` lists them)")


@cli.command(name="explain")
@click.argument("claim_id")
@_db_option
def explain_command(claim_id, db_path):
    """Show a claim, its sentence and every check it took part in, with the arithmetic."""
    from extractor.reconcile import explain
    db = _existing_db(db_path)
    claim = _claim(db, claim_id, db_path)
    article = store.load_article(db, claim.article_id) if claim.article_id else None
    review = next((r for r in store.load_reviews(db) if r.get("claim_id") == claim.id), None)
    click.echo(explain(claim, store.load_checks(db, claim.id), article,
                       findings=store.load_findings(db, claim.id), review=review))


def _claim(db, claim_id: str, db_path):
    """The claim with this id, or the one whose id starts with it; a clear error otherwise."""
    claim = store.load_claim(db, claim_id)
    if claim is not None:
        return claim
    found = store.claim_ids_with_prefix(db, claim_id) if claim_id else []
    if len(found) == 1:
        return store.load_claim(db, found[0])
    if found:
        raise click.UsageError(f"{claim_id!r} is the start of several claim ids in {db_path} "
                               f"({', '.join(found[:5])}{', ...' if len(found) > 5 else ''}): give more of it")
    raise click.UsageError(f"no claim with id {claim_id!r} in {db_path}")


@cli.command(name="report")
@_db_option
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML page (findings, quotes, charts) here.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON document instead.")
def report_command(db_path, html_path, as_json):
    """Show what is wrong and why (one finding per wrong figure), then the series over time."""
    from extractor.report import html as html_report
    db = _existing_db(db_path)
    if as_json:
        from extractor.report.review import report_json
        click.echo(json.dumps(report_json(db), ensure_ascii=False, indent=1))
    elif sys.stdout.isatty():
        report.print_report(db)
    else:
        click.echo(report.checks_report(db))
    if html_path:
        try:
            shown = html_report.write_html(db, html_path)
        except OSError as err:
            raise click.UsageError(f"cannot write {html_path}: {err.strerror or err}") from None
        click.echo(f"Wrote {html_path}: {len(shown.findings)} conflicts, {len(shown.to_check)} readings "
                   f"to check, {len(shown.charted)} series charted.", err=True)


def _existing_db(db_path: Path, write: bool = False):
    """A claims database that exists; any other file is named and left as it was (exit 2)."""
    return store.open_existing_db(db_path, write=write)


@cli.command(name="review")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def review_command(db_path, as_json):
    """The findings and readings a person should look at, most important first, with claim ids."""
    from extractor.report.review import review_data, review_text
    db = _existing_db(db_path)
    if as_json:
        click.echo(json.dumps(review_data(db), ensure_ascii=False, indent=1))
    else:
        click.echo(review_text(db))


@cli.command(name="claim")
@click.argument("claim_id")
@click.option("--confirm", is_flag=True, help="The claim is right as read.")
@click.option("--reject", metavar="WHY", help="The claim is wrong or no trade figure; say why.")
@click.option("--set", "corrections", multiple=True, metavar="FIELD=VALUE",
              help="Correct a field (repeatable): period=2025-07, importer=DE, value=5577 ...")
@click.option("--note", help="A note kept with the decision.")
@click.option("--no-reconcile", is_flag=True, help="Record only; the next reconcile applies it.")
@_db_option
def claim_command(claim_id, confirm, reject, corrections, note, no_reconcile, db_path):
    """Record a person's decision on one claim; it survives re-extraction and every reconcile uses it."""
    from extractor.reconcile.reviews import ReviewError, parse_fields, review_row
    chosen = [flag for flag, on in (("--confirm", confirm), ("--reject", reject is not None),
                                    ("--set", bool(corrections))) if on]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --confirm, --reject WHY or --set FIELD=VALUE")
    db = _existing_db(db_path)
    claim = _claim(db, claim_id, db_path)
    article = store.load_article(db, claim.article_id)
    try:
        fields = parse_fields(corrections) if corrections else None
        action = "confirm" if confirm else "reject" if reject is not None else "correct"
        row = review_row(claim, article.url if article else claim.article, action, fields,
                         reject if reject is not None else note)
    except ReviewError as err:
        raise click.UsageError(str(err)) from None
    store.save_review(db, row)
    click.echo(f"Recorded: claim {claim.id} {action}" + (f" ({', '.join(corrections)})" if corrections else "")
               + f", kept under its printed figure {row['figure']!r} in {row['article_url']}.")
    if no_reconcile:
        click.echo("Not reconciled yet: the next `extractor reconcile` or run applies it.", err=True)
        return
    result = pipeline.reconcile_db(db)
    click.echo(f"Reconciled: {sum(f.kind == 'conflict' for f in result.findings)} conflicts, "
               f"{sum(f.kind != 'conflict' for f in result.findings)} readings to check.")


@cli.command(name="claims")
@click.option("--series", "series_key", metavar="KEY", help='A series key or its beginning: "CN>US rare earth magnets".')
@click.option("--article", metavar="URL", help="An article's URL, id or file stem.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of rows.")
@_db_option
def claims_command(series_key, article, as_json, db_path):
    """List stored claims with their ids."""
    from extractor.report.review import claims_rows, claims_text
    db = _existing_db(db_path)
    rows = claims_rows(db, series_key, article)
    click.echo(json.dumps(rows, ensure_ascii=False, indent=1) if as_json else claims_text(rows))


@cli.command(name="gold")
@click.argument("articles", nargs=-1, required=True)
@click.option("--output", "-o", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("gold"),
              show_default=True, help="Folder for gold.jsonl, articles.jsonl and articles/*.txt.")
@click.option("--include-unreviewed", is_flag=True, help="Also write the claims nobody reviewed.")
@_db_option
def gold_command(articles, folder, include_unreviewed, db_path):
    """Write reviewed claims of ARTICLE... (ids, URLs or file stems) as a gold set in the contract shape."""
    from extractor.report import export
    db = _existing_db(db_path)
    try:
        summary = export.write_gold(db, list(articles), folder, include_unreviewed)
    except export.ExportError as err:
        raise click.UsageError(str(err)) from None
    except OSError as err:
        raise click.UsageError(f"cannot write {folder}: {err.strerror or err}") from None
    for name, counts in summary.items():
        click.echo(f"{name}: {counts['written']} claims written, {counts['rejected']} rejected left out"
                   + (f", {counts['unreviewed']} not reviewed left out" if counts["unreviewed"] and not include_unreviewed else ""))
    click.echo(f"Gold set in {folder}: score with shared/tools/score_claims.py {folder}", err=True)


@cli.command(name="export")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="jsonl", show_default=True)
@click.option("--table", type=click.Choice(["claims", "checks", "articles", "series", "findings", "reviews",
                                            "review_log"]), default="claims", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write [default: standard output].")
def export_command(db_path, fmt, table, output):
    """Export a table (claims, checks, findings, reviews, ...) as CSV or JSON lines."""
    from extractor.report import export
    db = _existing_db(db_path)
    try:
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = export.write(db, table, fmt, out)
            click.echo(f"Wrote {count} {table} rows to {output}.", err=True)
        else:
            export.write(db, table, fmt, sys.stdout)
            sys.stdout.flush()
    except export.ExportError as err:
        raise click.UsageError(str(err)) from None
    except BrokenPipeError:  # `extractor export | head -1`: the reader has all it wanted
        _quiet_stdout()
        sys.exit(0)
    except OSError as err:
        raise click.UsageError(f"cannot write {output}: {err.strerror or err}") from None


@cli.command(name="serve")
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
def serve_command(db_path, host, port):
    """Browse the claims database with Datasette (optional extra: serve)."""
    from extractor.report import browse
    try:
        sys.exit(browse.serve(db_path, host=host, port=port))
    except browse.ServeError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)


def main() -> None:
    cli(prog_name="extractor")

"""The pipeline: feeds → fetch → text → claims → store → reconcile → report, chained thinly."""
from __future__ import annotations

import dataclasses
import gc
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from extractor import claims as claims_stage
from extractor import archives, collect, feeds, fetch, reconcile, store, text
from extractor.types import Article, Check, Claim, FeedEntry, Failure

Progress = Callable[[str], None]


@dataclass
class Summary:
    """What a run or an ingest did, for the terminal summary."""

    articles_seen: int = 0
    articles_stored: int = 0
    claims_stored: int = 0
    failures: list[Failure] = field(default_factory=list)
    unchanged: int = 0  # known articles left alone: a 304, an unchanged file, the same text
    duplicates: int = 0  # pages whose text is stored already under another URL
    refreshed: int = 0  # stored articles whose claims were read again by a newer extractor
    # Problems recorded in fetch_log that lost nothing, e.g. an ill-formed feed whose
    # entries were still read; they do not make the run fail.
    warnings: list[Failure] = field(default_factory=list)

    def fail(self, failure: Failure, db=None) -> None:
        self.failures.append(failure)
        _record(failure, db)

    def warn(self, failure: Failure, db=None) -> None:
        self.warnings.append(failure)
        _record(failure, db)


def _record(failure: Failure, db) -> None:
    """Log a failure in fetch_log; when the database refuses even that, the failure still reaches
    the summary, saying it was not recorded."""
    if db is None:
        return
    try:
        store.record_failure(db, failure)
    except (sqlite3.Error, store.StoreError) as err:
        failure.reason += f" (not recorded in the database: {err})"


@dataclass
class Extracted:
    """The claims read from one input file, or why it could not be read."""

    path: Path
    claims: list[Claim] = field(default_factory=list)
    failure: Optional[Failure] = None
    title: Optional[str] = None  # the article's title: the user's --title, the page's, or the first-line guess


def article_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Optional[Failure]]]:
    """Expand folders into their article files, in name order; name paths that are unusable."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = False
            for item in _article_files_under(path):
                found = True
                yield item, None
            if not found:
                yield path, Failure(str(path), "ingest", "folder holds no .txt or .html files")
        elif not path.exists():
            yield path, Failure(str(path), "ingest", "no such file or folder")
        elif path.suffix.lower() not in text.ARTICLE_SUFFIXES:
            yield path, Failure(str(path), "ingest", f"unsupported file type {path.suffix or '(none)'}; expected .txt, .html or .htm")
        else:
            yield path, None


def _article_files_under(folder: Path) -> Iterator[Path]:
    """Article files under `folder` in name order, depth first, listing one directory at a time:
    an archive of a million pages is not held in memory as a million paths."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() in text.ARTICLE_SUFFIXES and os.path.isfile(os.path.join(root, name)):
                yield Path(root, name)


def read_file(path: Path, published: Optional[str],
              title: Optional[str] = None) -> tuple[Optional[Article], Optional[Failure]]:
    try:
        return text.read_article_file(path, published=published, title=title), None
    except OSError as err:
        return None, Failure(str(path), "text", f"cannot read: {err.strerror or err}")
    except text.TextError as err:
        return None, Failure(str(path), "text", str(err))


# Longer texts are read in pieces cut at paragraph breaks: a spaCy Doc costs about 60 bytes a
# character, so one 20 MB text would take a gigabyte (and spaCy refuses texts over max_length).
CLAIMS_PIECE = 1_000_000


def claims_for(article: Article, name: str) -> list[Claim]:
    published = text.parse_date(article.published)
    if len(article.text) <= CLAIMS_PIECE:
        return claims_stage.extract_claims(article.text, article=name, published=published, article_id=article.id)
    found = []
    for offset, piece in text.pieces(article.text, CLAIMS_PIECE):
        for claim in claims_stage.extract_claims(piece, article=name, published=published, article_id=article.id):
            found.append(_shifted(claim, offset))
    return found


def _shifted(claim: Claim, offset: int) -> Claim:
    """A claim read from a piece of the text, its offsets (and so its id) those of the whole."""
    if not offset:
        return claim
    moved = {name: getattr(claim, name) + offset for name in ("start", "end", "figure_start", "figure_end")
             if getattr(claim, name) is not None}
    return dataclasses.replace(claim, id="", **moved)


def extract_files(paths: Iterable[Path], published: Optional[str] = None,
                  title: Optional[str] = None) -> Iterator[Extracted]:
    """Claims of each article file, without touching a database (`extractor extract`).
    A `title` given is every file's title."""
    for path, failure in article_files(paths):
        if failure:
            yield Extracted(path, failure=failure)
            continue
        article, failure = read_file(path, published, title)
        if failure:
            yield Extracted(path, failure=failure)
            continue
        yield Extracted(path, claims=claims_for(article, path.stem), title=article.title)


def ingest(paths: Iterable[Path], db_path: Path, published: Optional[str] = None,
           progress: Optional[Progress] = None, workers: int = 1, *,
           policy: Optional[fetch.FetchPolicy] = None, title: Optional[str] = None) -> Summary:
    """Add article files to the database as if they came from a feed; idempotent.

    `workers` processes read and extract in parallel (extractor/workers.py); the rows stored
    are the same for any number of workers. URL lists (*.urls) and WARC files go through the
    collector (fetching with `policy`), like feed entries. A `title` given is the title of every
    article file (.txt, .html); pages of URL lists and archives keep their own.
    """
    from extractor import workers as parallel  # it uses read_file and claims_for from here

    plain, archived = split_archives(paths)
    summary = Summary()
    refresh_stale_claims(store.open_db(db_path, write=True), summary, progress)
    if plain:
        summary = parallel.ingest(plain, db_path, published=published, progress=progress, workers=workers,
                                  title=title)
    if archived:
        ingest_archives(archived, store.open_db(db_path), summary, published, progress, policy=policy)
    db = store.open_db(db_path)
    if store.needs_reconcile(db):  # set by the same transaction as the first new claim
        reconcile_db(db)
    return summary


def refresh_stale_claims(db, summary: Summary, progress: Optional[Progress] = None) -> int:
    """Read again, from the stored text, the claims an older extractor read.

    Nothing is fetched: the text is in the database. Returns how many articles were refreshed.
    """
    stale = store.stale_articles(db)
    if not stale:
        return 0
    store.mark_checks_stale(db)
    for article, name in stale:
        try:
            found = claims_for(article, name)
        except Exception as err:  # the old claims stay; the next run tries again
            summary.fail(Failure(article.url, "claims", f"claim extraction failed: {type(err).__name__}: {err}"), db)
            continue
        summary.claims_stored += store.save_article(db, article, found)
        summary.refreshed += 1
        if progress:
            progress(f"{name}: claims read again by the current extractor ({len(found)})")
    return len(stale)


def run(feeds_path: Path, db_path: Path, group: Optional[str] = None,
        progress: Optional[Progress] = None, *, policy: Optional[fetch.FetchPolicy] = None,
        workers: int = 4) -> Summary:
    """The main job: read the feeds, fetch and extract new articles, store, reconcile.

    See extractor/collect.py for what a re-run skips; `policy` sets the fetcher's manners and
    limits (and which private networks it may reach).
    """
    config = feeds.load_config(feeds_path)
    selected = config.selected(group)
    db = store.open_db(db_path, write=True)
    summary = Summary()
    refresh_stale_claims(db, summary, progress)
    with fetch.Fetcher(policy) as fetcher:
        collector = collect.Collector(db, summary, fetcher, claims_for, progress, workers)
        jobs = collector.feed_jobs(selected)
        _announce_total(progress, len(jobs))
        collector.process(jobs)
    if summary.articles_stored or store.needs_reconcile(db):  # unchanged feeds: the checks stand
        reconcile_db(db)
    return summary


def ingest_archives(paths: Iterable[Path], db, summary: Summary, published: Optional[str] = None,
                    progress: Optional[Progress] = None, *, policy: Optional[fetch.FetchPolicy] = None,
                    workers: int = 4) -> Summary:
    """Add the articles of URL lists (*.urls) and WARC files to the database; idempotent."""
    with fetch.Fetcher(policy) as fetcher:
        collector = collect.Collector(db, summary, fetcher, claims_for, progress, workers)
        collector.process(collector.item_jobs(archives.items(paths), published))
    return summary


def split_archives(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Article files and folders on one side; URL lists and WARC files (also inside folders) on the other."""
    plain, archived = [], []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file())
            found = [p for p in inside if archives.kind_of(p) in ("urls", "warc")]
            archived += found
            if not found or any(archives.kind_of(p) == "article" for p in inside):
                plain.append(path)
        elif archives.kind_of(path) in ("urls", "warc"):
            archived.append(path)
        else:
            plain.append(path)
    return plain, archived


def _announce_total(progress: Optional[Progress], total: int) -> None:
    """Tell a progress display how many items follow, when it can use that."""
    set_total = getattr(progress, "set_total", None)
    if set_total:
        set_total(total)


def reconcile_db(db) -> reconcile.Reconciliation:
    """Recompute every cross-check and finding over the stored claims, a person's reviews applied
    (rejected claims left out, corrections made, confirmed claims never held wrong)."""
    from extractor.reconcile.reviews import apply_reviews

    # A million loaded claims and their checks hold no reference cycles; the cyclic collector
    # would rescan them on every allocation burst, so it is paused for the whole job.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with store.snapshot(db):  # the claims, reviews and the change count they stand for, read together
            mark = store.stale_mark(db)
            articles = store.load_articles(db)
            reviews = store.load_reviews(db)
            claims = store.load_claims(db)
        applied = apply_reviews(claims, reviews, {a.id: a.url for a in articles})
        result = reconcile.reconcile(applied.claims, articles, applied.confirmed)
        store.replace_reconciliation(db, result.checks, [s.row() for s in result.series], result.findings)
        store.update_review_claims(db, applied.matched)
        store.mark_reconciled(db, mark)
    finally:
        if was_enabled:
            gc.enable()
    return result


def conflicts(db) -> list[Check]:
    return [c for c in store.load_checks(db) if c.verdict == "conflict"]

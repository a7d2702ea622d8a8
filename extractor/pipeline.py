"""The pipeline: feeds → fetch → text → claims → store → reconcile → report, chained thinly.

`run`, `ingest` and `batch` hand their sources (extractor/sources.py) to the one collector
(extractor/collect.py); reconciling and reporting follow.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from extractor import collect, feeds, fetch, reconcile, sources, store, workers
from extractor.collect import Summary
from extractor.types import Check, Claim, Failure

Progress = Callable[[str], None]

__all__ = ["Summary", "Extracted", "extract_files", "ingest", "run", "batch", "reconcile_db", "conflicts"]


@dataclass
class Extracted:
    """The claims read from one input, or why it could not be read."""

    path: Path
    claims: list[Claim] = field(default_factory=list)
    failure: Optional[Failure] = None
    title: Optional[str] = None  # the article's title: the user's --title, the page's, or the first-line guess


def extract_files(paths: Iterable[Path], published: Optional[str] = None,
                  title: Optional[str] = None) -> Iterator[Extracted]:
    """Claims of each article file, without touching a database (`extractor extract`).
    A `title` given is every file's title."""
    for source in sources.sources_for(paths, published, title=title):
        if source.remote:
            yield Extracted(Path(str(source.path)), failure=Failure(str(source.path), "ingest",
                            "URL lists are fetched by `extractor ingest`, not read here"))
            continue
        for job in source.jobs():
            done = workers.extract(job, use_prefilter=False)
            yield Extracted(Path(job.url) if job.kind == "file" else Path(job.name),
                            claims=done.claims, failure=done.failure,
                            title=done.article.title if done.article else None)


def ingest(paths: Iterable[Path], db_path: Path, published: Optional[str] = None,
           progress: Optional[Progress] = None, workers: int = 1, *,
           policy: Optional[fetch.FetchPolicy] = None, use_prefilter: bool = False,
           title: Optional[str] = None) -> Summary:
    """Add article files, folders, URL lists and WARC files to the database as if they came
    from a feed; idempotent. `workers` processes extract in parallel; the rows stored are the
    same for any number of workers. A `title` given is the title of every article file (.txt,
    .html); pages of URL lists and archives keep their own."""
    db = store.open_db(db_path, write=True)
    summary = Summary()
    inputs = [sources.StoredSource(store.stale_articles(db))] + sources.sources_for(paths, published, title=title)
    with fetch.Fetcher(policy) as fetcher:
        collect.Collector(db, summary, fetcher, progress, workers, use_prefilter=use_prefilter).collect(inputs)
    if store.needs_reconcile(db):
        reconcile_db(db)
    return summary


def run(feeds_path: Path, db_path: Path, group: Optional[str] = None,
        progress: Optional[Progress] = None, *, policy: Optional[fetch.FetchPolicy] = None,
        workers: int = collect.FETCH_THREADS, processes: int = 1) -> Summary:
    """The main job: read the feeds, fetch and extract new articles, store, reconcile.

    See extractor/collect.py for what a re-run skips; `policy` sets the fetcher's manners and
    limits (and which private networks it may reach); `workers` threads fetch, `processes`
    extract.
    """
    config = feeds.load_config(feeds_path)
    db = store.open_db(db_path, write=True)
    summary = Summary()
    inputs = [sources.StoredSource(store.stale_articles(db))]
    inputs += [sources.FeedSource(feed) for feed in config.selected(group)]
    with fetch.Fetcher(policy) as fetcher:
        # one article a transaction: pages trickle in from the network, and a crash then loses
        # at most the articles in hand
        collector = collect.Collector(db, summary, fetcher, progress, processes, fetch_threads=workers,
                                      batch_size=1)
        jobs = list(collector.jobs(inputs))
        _announce_total(progress, len(jobs))
        collector.process(jobs, remote=True)
    if store.needs_reconcile(db):  # unchanged feeds: the checks stand
        reconcile_db(db)
    return summary


def batch(paths: Iterable[Path], db_path: Path, *, engine: str = "local", scheduler: Optional[str] = None,
          workers: int = 1, published: Optional[str] = None, use_prefilter: bool = True,
          warc_base: Optional[str] = None, progress: Optional[Progress] = None):
    """A batch over web archives (extractor/batch.py): shards on local processes or Dask, the
    rows written here, then only the series the new claims touch reconciled again."""
    from extractor import batch as batches

    return batches.run_batch(paths, db_path, engine_name=engine, scheduler=scheduler, workers_count=workers,
                             published=published, use_prefilter=use_prefilter, warc_base=warc_base,
                             progress=progress)


def refresh_stale_claims(db, summary: Summary, progress: Optional[Progress] = None) -> int:
    """Read again, from the stored text, the claims an older extractor read (nothing is
    fetched). Returns how many articles were refreshed."""
    before = summary.refreshed
    collect.Collector(db, summary, progress=progress).collect([sources.StoredSource(store.stale_articles(db))])
    return summary.refreshed - before


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

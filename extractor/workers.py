"""Parallel ingest: worker processes read each file and extract its text (trafilatura) and
claims (spaCy); the parent writes the results to SQLite in batched transactions.

Streaming: at most `window` files are in flight and at most `batch_size` results wait for their
transaction, so memory does not grow with the number of files. Results are written in input order
whatever the number of workers, so one worker and many store the same rows. A page that raises,
or kills its worker process, becomes a Failure naming its path; the rest go on.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from extractor import store
from extractor.types import Article, Claim, Failure

DEFAULT_BATCH = 64  # articles per transaction: amortises the commit, bounds what a crash redoes
FLUSH_SECONDS = 2.0  # ... and a slow stream still commits regularly
IN_FLIGHT_PER_WORKER = 4  # enough queued work to keep every worker busy, little memory
# Fresh workers (forked again from the warm parent) after this many calls each: spaCy's string
# store keeps every new token (each distinct figure is one), ~2.5 KB a page, without end.
RECYCLE_AFTER = 2000


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class Processed:
    """What a worker made of one input file: the article and its claims, or why not."""

    path: Path
    article: Optional[Article] = None
    claims: list[Claim] = field(default_factory=list)
    failure: Optional[Failure] = None


def process_file(path: Path, published: Optional[str] = None, title: Optional[str] = None) -> Processed:
    """Read → text → claims for one file (in a worker process, or inline for one worker)."""
    from extractor import pipeline  # pipeline imports this module lazily; no cycle at import

    try:
        article, failure = pipeline.read_file(path, published, title)
    except Exception as err:  # trafilatura/lxml on a pathological page: logged with the path
        return Processed(path, failure=Failure(str(path), "text", _describe(err)))
    if failure:
        return Processed(path, failure=failure)
    try:
        found = pipeline.claims_for(article, path.stem)
    except Exception as err:  # a fault on one page must not stop the batch: logged with the path
        return Processed(path, failure=Failure(str(path), "claims", _describe(err)))
    return Processed(path, article=article, claims=found)


def _describe(err: BaseException) -> str:
    return f"extraction failed: {type(err).__name__}: {err}"


def warm_up() -> None:
    """Load the claim pipeline once, before forking, so workers inherit it instead of each
    loading it (and so the first pages are not charged for it)."""
    from trafilatura import external

    from extractor import pipeline

    pipeline.claims_for(Article(url="warm-up", text="Warm-up: 5 tonnes of coal in May."), "warm-up")
    if not getattr(external, "JT_STOPLIST", True):  # jusText's stoplists, read on first fallback
        external.jt_stoplist_init()


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


class _Pool:
    """A process pool that survives a worker's death: the calls that were in flight are re-run
    one by one in a fresh process, and one that kills that too gets `crashed(*args)` instead."""

    def __init__(self, func: Callable, workers: int, crashed: Callable):
        self.func, self.workers, self.crashed = func, workers, crashed
        self.context = _context()
        self.generation = 0
        self.executor = self._new_executor()
        self.submitted = 0  # to the current executor

    def _new_executor(self) -> ProcessPoolExecutor:
        if self.context.get_start_method() != "fork":
            return ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=warm_up)
        return ProcessPoolExecutor(self.workers, mp_context=self.context)

    def submit(self, args: tuple) -> tuple[int, Future]:
        if self.submitted >= RECYCLE_AFTER * self.workers:
            self._renew(self.generation, broken=False)
        self.submitted += 1
        try:
            return self.generation, self.executor.submit(self.func, *args)
        except BrokenProcessPool:  # a worker died since the last call; its victims show up later
            self._renew(self.generation)
            return self.generation, self.executor.submit(self.func, *args)

    def result(self, args: tuple, generation: int, future: Future):
        try:
            return future.result()
        except BrokenProcessPool:
            self._renew(generation)
            return self._isolated(args)

    def _renew(self, generation: int, broken: bool = True) -> None:
        """Replace the pool of `generation` unless that was done already. A retired pool that is
        not broken finishes the calls it has; a broken one cannot."""
        if generation == self.generation:
            self.executor.shutdown(wait=False, cancel_futures=broken)
            self.generation += 1
            self.executor = self._new_executor()
            self.submitted = 0

    def _isolated(self, args: tuple):
        with ProcessPoolExecutor(1, mp_context=self.context) as single:
            try:
                return single.submit(self.func, *args).result()
            except BrokenProcessPool:
                return self.crashed(*args)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def ordered_map(func: Callable, items: Iterable[tuple], workers: int, crashed: Callable) -> Iterator:
    """`func(*args)` for each args tuple on `workers` processes, results in input order, at most
    IN_FLIGHT_PER_WORKER calls a worker in flight (memory does not grow with the input).

    `func` must be a module-level function and its arguments and results picklable; when a call
    kills its worker process (a crash in a C extension), its result is `crashed(*args)`.
    Call `warm_up` (or load what `func` needs) first: forked workers inherit it.
    """
    pool = _Pool(func, workers, crashed)
    pending: deque = deque()
    window = workers * IN_FLIGHT_PER_WORKER
    try:
        for args in items:
            pending.append((args, *pool.submit(args)))
            while len(pending) >= window:
                yield pool.result(*pending.popleft())
        while pending:
            yield pool.result(*pending.popleft())
    finally:
        pool.close()


def _process_item(path: Path, failure: Optional[Failure], published: Optional[str],
                  title: Optional[str] = None) -> Processed:
    return Processed(path, failure=failure) if failure else process_file(path, published, title)


def _worker_died(path: Path, failure: Optional[Failure], published: Optional[str],
                 title: Optional[str] = None) -> Processed:
    return Processed(path, failure=Failure(
        str(path), "text", "the worker process died while extracting this page"))


def process_all(items: Iterable[tuple[Path, Optional[Failure]]], published: Optional[str] = None,
                workers: int = 1, title: Optional[str] = None) -> Iterator[Processed]:
    """Process (path, failure-or-None) items in input order; failures pass straight through."""
    warm_up()
    if workers <= 1:
        for path, failure in items:
            yield _process_item(path, failure, published, title)
        return
    yield from ordered_map(_process_item, ((path, failure, published, title) for path, failure in items),
                           workers, _worker_died)


def ingest(paths: Iterable[Path], db_path: Path, published: Optional[str] = None,
           progress: Optional[Callable[[str], None]] = None, workers: int = 1,
           batch_size: int = DEFAULT_BATCH, title: Optional[str] = None):
    """`pipeline.ingest` on `workers` processes; returns the pipeline's Summary."""
    from extractor import pipeline

    summary = pipeline.Summary()
    db = store.open_db(db_path)
    writer = _BatchWriter(db, summary, progress, batch_size)
    results = process_all(pipeline.article_files(paths), published, workers, title)
    try:
        for done in results:
            summary.articles_seen += 1
            if done.failure:
                writer.flush()  # keep the input order of writes, as one worker would
                summary.fail(done.failure, db)
                if progress:
                    progress(f"{done.path.name}: failed ({done.failure.stage}): {done.failure.reason}")
            else:
                writer.add(done)
    finally:
        results.close()  # stops the workers now, even when a write failed
        writer.flush()
    return summary


class _BatchWriter:
    """Collects processed articles and writes them many to a transaction."""

    def __init__(self, db, summary, progress, batch_size: int):
        self.db, self.summary, self.progress, self.batch_size = db, summary, progress, batch_size
        self.batch: list[Processed] = []
        self.since = time.monotonic()

    def add(self, done: Processed) -> None:
        self.batch.append(done)
        if len(self.batch) >= self.batch_size or time.monotonic() - self.since > FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        batch, self.batch, self.since = self.batch, [], time.monotonic()
        if not batch:
            return
        self.summary.claims_stored += store.save_articles(self.db, [(d.article, d.claims) for d in batch])
        self.summary.articles_stored += len(batch)
        if self.progress:
            for done in batch:
                self.progress(f"{done.path.stem}: {len(done.claims)} claims")

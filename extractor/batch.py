"""Batch runs at archive scale: shards processed by one function, on local processes or a Dask
cluster; the client writes.

A shard is one WARC file, or a chunk of SHARD_FILES article files. `process_shard` reads a
shard, runs the prefilter, text and claims on each page (extractor/workers.py) and returns the
outcomes; it touches no database, so it runs anywhere the package is installed:
- `engine="local"`: `workers` processes on this machine (extractor/engine.py);
- `engine="dask"`: a Dask distributed cluster, a `LocalCluster` of `workers` processes on
  loopback when no `scheduler` address is given (forked from this warm process where the
  platform can fork, like the local engine's).
The client settles the outcomes shard by shard in input order with the collector's writer
(batched upserts keyed on the same stable hashes as `ingest`), so a re-run or a retried task
never duplicates a row, and the rows are those a local `ingest` of the same inputs stores.
A shard whose rows are written is recorded in `batch_shards` and skipped next time. A task
that raises or whose worker dies is retried once, and failing again is logged in fetch_log
(stage "batch"); the next run tries it again. Afterwards only the series the new claims touch
are reconciled again (extractor/incremental.py).
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from extractor import collect, engine, sources, store, workers
from extractor.collect import Summary
from extractor.types import Failure, stable_id
from extractor.workers import Outcome

SHARD_FILES = 500  # article files a shard: enough work to amortise a task, little to redo
RETRIES = 1
Progress = Callable[[str], None]


class BatchError(Exception):
    """The batch cannot run (no Dask installed, an unreachable scheduler); the message says why."""


@dataclass(frozen=True)
class Shard:
    kind: str  # "warc" | "files"
    locations: tuple  # the WARC file, or the chunk of article files
    published: Optional[str] = None

    @property
    def id(self) -> str:
        """Stable: the same inputs are the same shard on every run (a WARC: its path and size)."""
        sizes = tuple(_size(p) for p in self.locations) if self.kind == "warc" else ()
        return stable_id("shard", self.kind, self.locations, sizes, self.published)

    @property
    def label(self) -> str:
        if self.kind == "warc":
            return self.locations[0]
        return f"{self.locations[0]} (+{len(self.locations) - 1} files)" if len(self.locations) > 1 else self.locations[0]


def _size(location: str) -> Optional[int]:
    try:
        return os.path.getsize(location)
    except OSError:
        return None


@dataclass
class ShardResult:
    shard: Shard
    outcomes: list = field(default_factory=list)
    failure: Optional[Failure] = None

    @property
    def pages(self) -> int:
        return len(self.outcomes)


@dataclass
class BatchSummary(Summary):
    shards: int = 0
    shards_done: int = 0
    shards_skipped: int = 0  # finished by an earlier run
    shards_failed: int = 0
    pages: int = 0


# The per-shard function (runs on a worker) ----------------------------------------------

@lru_cache(maxsize=1)
def _warm() -> bool:
    workers.warm_up()
    return True


def process_shard(shard: Shard, use_prefilter: bool = True) -> ShardResult:
    """Read → prefilter → text → claims for every page of the shard. No database; page faults
    are the pages' outcomes; a fault of the shard itself raises (the caller retries it)."""
    _warm()
    result = ShardResult(shard)
    for job in _jobs(shard):
        if job.kind == "capture" and job.failure is None:
            job.etag = workers.content_validator(job.content or b"")
        result.outcomes.append(_slim(workers.extract(job, use_prefilter)))
    return result


def _jobs(shard: Shard) -> Iterator[sources.Job]:
    if shard.kind == "warc":
        yield from sources.WarcSource(Path(shard.locations[0]), shard.published).jobs()
    else:
        for location in shard.locations:
            yield from sources.FileSource(Path(location), shard.published).jobs()


def _slim(outcome: Outcome) -> Outcome:
    """What the client needs of an outcome: no page bytes travel back."""
    outcome.job.content = None
    return outcome


def _guarded(shard: Shard, use_prefilter: bool = True) -> ShardResult:
    """process_shard, retried RETRIES times when it raises; the last fault is its failure."""
    for attempt in range(RETRIES + 1):
        try:
            return process_shard(shard, use_prefilter)
        except Exception as err:  # a fault of the whole shard: tried again, then recorded
            reason = f"shard failed {attempt + 1} times: {workers.unexpected(err)}"
    return ShardResult(shard, failure=Failure(shard.label, "batch", reason))


def _died(shard: Shard) -> ShardResult:
    return ShardResult(shard, failure=Failure(shard.label, "batch", "the worker process died twice on this shard"))


# Shards of the inputs -----------------------------------------------------------------

def shards_of(inputs: Iterable, published: Optional[str] = None, *, warc_base: Optional[str] = None,
              shard_files: int = SHARD_FILES) -> tuple[list[Shard], list[Failure]]:
    """The shards of the input paths, in order, and the inputs that are none."""
    shards, problems, files = [], [], []

    def flush_files():
        for start in range(0, len(files), shard_files):
            shards.append(Shard("files", tuple(files[start:start + shard_files]), published))
        files.clear()

    def add(source):
        if isinstance(source, sources.WarcSource):
            flush_files()
            shards.append(Shard("warc", (str(source.path),), published))
        elif isinstance(source, sources.WarcListSource):
            for location in source.warcs():
                if isinstance(location, sources.Job):
                    problems.append(location.failure)
                else:
                    add(sources.source_for(location, published))
        elif isinstance(source, sources.FolderSource):
            found = False
            for path in source.files():
                found = True
                add(sources.source_for(path, published, warc_base=warc_base))
            if not found:
                problems.extend(job.failure for job in source.jobs())
        elif isinstance(source, sources.FileSource):
            files.append(str(Path(source.path).resolve()))
        elif isinstance(source, sources.UrlListSource):
            problems.append(Failure(str(source.path), "ingest", "URL lists are fetched by `extractor ingest`, "
                                                                 "not by a batch"))
        else:
            problems.extend(job.failure for job in source.jobs())

    for source in sources.sources_for(inputs, published, warc_base=warc_base):
        add(source)
    flush_files()
    return shards, problems


# Running shards ------------------------------------------------------------------------

def local_results(shards: list[Shard], workers_count: int, use_prefilter: bool) -> Iterator[ShardResult]:
    from functools import partial

    if workers_count > 1:
        _warm()  # forked workers start warm
    yield from engine.ordered_map(partial(_guarded, use_prefilter=use_prefilter), shards, workers_count,
                                  crashed=_died, initializer=_warm)


def dask_results(shards: list[Shard], workers_count: int, use_prefilter: bool,
                 scheduler: Optional[str] = None) -> Iterator[ShardResult]:
    """The shards' results in input order, computed on a Dask cluster. Tasks are retried by
    Dask (a raising task RETRIES times; a task whose worker died is rescheduled), and one that
    fails for good is its shard's failure."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise BatchError("the dask engine needs Dask: pip install -e \".[dask]\"") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = _local_cluster(LocalCluster, workers_count)
            client = Client(cluster)
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise BatchError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {err}") from None
    try:
        yield from _ordered_dask(client, shards, workers_count, use_prefilter, as_completed)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _local_cluster(LocalCluster, workers_count: int):
    """A LocalCluster on loopback whose worker processes are forked from this one once it is
    warm, as the local engine's are: a spawned worker would import the package and load the
    claim pipeline again (about 2 s of CPU each, the work of several hundred pages)."""
    import dask

    _warm()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        return LocalCluster(n_workers=workers_count, threads_per_worker=1, processes=True,
                            host="127.0.0.1", dashboard_address="127.0.0.1:0")


def _ordered_dask(client, shards, workers_count, use_prefilter, as_completed) -> Iterator[ShardResult]:
    """Results in input order. Dask re-runs a raising task RETRIES times and reschedules one
    whose worker died; a task that still fails (or whose result was lost with its worker) is
    submitted once more, and failing again becomes its shard's failure."""
    window = max(2, 2 * max(workers_count, len(client.scheduler_info().get("workers", {})) or 1))
    pending = iter(enumerate(shards))
    futures: dict = {}
    attempts: dict[int, int] = {}
    ready: dict[int, ShardResult] = {}
    following = 0
    completed = as_completed()

    def submit(index: int, shard: Shard) -> None:
        attempts[index] = attempts.get(index, 0) + 1
        future = client.submit(process_shard, shard, use_prefilter, retries=RETRIES, pure=False,
                               key=f"shard-{shard.id}-{index}-{attempts[index]}")
        futures[future] = (index, shard)
        completed.add(future)

    def submit_next() -> bool:
        entry = next(pending, None)
        if entry is not None:
            submit(*entry)
        return entry is not None

    for _ in range(window):
        if not submit_next():
            break
    for future in completed:
        index, shard = futures.pop(future)
        try:
            ready[index] = future.result()
        except Exception as err:  # raised again after its retries, or lost with its worker
            if attempts[index] <= RETRIES:
                submit(index, shard)
                continue
            ready[index] = ShardResult(shard, failure=Failure(
                shard.label, "batch", f"task failed {attempts[index]} times: {workers.unexpected(err)}"))
        finally:
            future.release()
        while following in ready:
            yield ready.pop(following)
            following += 1
        if len(ready) < window:
            submit_next()


def run_batch(inputs: Iterable, db_path: Path, *, engine_name: str = "local", scheduler: Optional[str] = None,
              workers_count: int = 1, published: Optional[str] = None, use_prefilter: bool = True,
              warc_base: Optional[str] = None, progress: Optional[Progress] = None,
              shard_files: int = SHARD_FILES) -> BatchSummary:
    """Run a batch over the inputs into the database at `db_path`; see the module's docstring."""
    from extractor import incremental

    db = store.open_db(db_path)
    summary = BatchSummary()
    shards, problems = shards_of(inputs, published, warc_base=warc_base, shard_files=shard_files)
    for problem in problems:
        summary.fail(problem, db)
    collector = collect.Collector(db, summary, progress=None, workers=1)
    collector.collect([sources.StoredSource(store.stale_articles(db))])  # claims of older extractors
    done = store.finished_shards(db)
    todo = [s for s in shards if s.id not in done]
    summary.shards, summary.shards_skipped = len(shards), len(shards) - len(todo)
    if engine_name == "dask":
        results = dask_results(todo, workers_count, use_prefilter, scheduler)
    else:
        results = local_results(todo, workers_count, use_prefilter)
    was_stale = store.needs_reconcile(db)
    if progress is not None and hasattr(progress, "set_total"):
        progress.set_total(len(todo))  # a bar counts shards
    for number, result in enumerate(results, start=1):
        _settle_shard(collector, result, summary)
        if progress:
            progress(f"shard {number}/{len(todo)} {result.shard.label}: {result.pages:,} pages "
                     f"({summary.pages:,} done), {summary.articles_stored:,} articles stored, "
                     f"{summary.prefiltered:,} skipped by the prefilter"
                     + (f"; failed: {result.failure.reason}" if result.failure else ""))
    if was_stale or summary.refreshed:
        _reconcile_all(db)
    elif collector.writer.touched or store.needs_reconcile(db):
        incremental.reconcile_touched(db, collector.writer.touched)
    return summary


def _settle_shard(collector: collect.Collector, result: ShardResult, summary: BatchSummary) -> None:
    db = collector.db
    if result.failure is not None:
        summary.shards_failed += 1
        summary.fail(result.failure, db)
        return
    stored_before = summary.articles_stored
    for outcome in result.outcomes:
        summary.articles_seen += 1
        collector.settle(outcome)
    collector.writer.flush()  # the shard's rows are in before it is recorded as finished
    summary.pages += result.pages
    summary.shards_done += 1
    store.record_shard(db, result.shard.id, result.shard.label, result.pages, summary.articles_stored - stored_before)
    store.resolve_failures(db, result.shard.label, "batch")


def _reconcile_all(db) -> None:
    from extractor import pipeline

    pipeline.reconcile_db(db)

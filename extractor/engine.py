"""The parallel engine: one ordered map over threads or processes, knowing nothing of news.

`ordered_map(func, items, workers)` calls `func(item)` for every item and yields the results
in input order, whatever order the calls finish in, so a run's writes are the same for any
number of workers. It streams: at most `in_flight` calls run or wait at once and at most
`held_back` finished results wait for an earlier one, so memory does not grow with the input,
and one slow call holds back only the results behind it, never the calls after it.

- threads (`processes=False`) for work that waits on the network;
- processes (the default) for work that needs the cores. A call that kills its worker process
  (a crash in a C extension) is re-run alone in a fresh process and, if it kills that too, its
  result is `crashed(item)`; the rest go on. Workers are forked from the warm parent (what it
  loaded before the map started is shared, not reloaded) and replaced every `recycle_after`
  calls each, since some libraries keep growing caches.
One worker runs inline: no pool.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, Optional

IN_FLIGHT_PER_WORKER = 4  # enough queued work to keep every worker busy, little memory
HELD_BACK_PER_WORKER = 64  # finished results that may wait for a slow earlier one
# Fresh workers after this many calls each: spaCy's string store keeps every new token (each
# distinct figure is one), ~2.5 KB a page, without end.
RECYCLE_AFTER = 2000


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def ordered_map(func: Callable, items: Iterable, workers: int, *, processes: bool = True,
                crashed: Optional[Callable] = None, initializer: Optional[Callable] = None,
                passthrough: Optional[Callable] = None) -> Iterator:
    """`func(item)` for each item on `workers` threads or processes, results in input order.

    For processes, `func` must be a module-level function (or a partial of one) and items and
    results picklable; `initializer` runs in each worker where workers are not forked (it
    should load what `func` needs; with fork they inherit it from the parent). An exception
    `func` raises is raised here, in order; `func` should turn expected failures into results.
    Items for which `passthrough(item)` is true are results already: yielded in their place,
    never sent to a worker.
    """
    if workers <= 1:
        for item in items:
            yield item if passthrough is not None and passthrough(item) else func(item)
        return
    pool = _Pool(func, workers, crashed, initializer) if processes else _Threads(func, workers)
    in_flight, held_back = workers * IN_FLIGHT_PER_WORKER, workers * HELD_BACK_PER_WORKER
    numbered = enumerate(items)
    running: dict[Future, tuple] = {}  # future -> (index, item, pool generation)
    finished: dict[int, object] = {}
    following, exhausted = 0, False
    try:
        while True:
            while not exhausted and len(running) < in_flight and len(finished) < held_back:
                entry = next(numbered, None)
                if entry is None:
                    exhausted = True
                    break
                index, item = entry
                if passthrough is not None and passthrough(item):
                    finished[index] = item
                    continue
                generation, future = pool.submit(item)
                running[future] = (index, item, generation)
            if running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    index, item, generation = running.pop(future)
                    finished[index] = pool.result(item, generation, future)
            while following in finished:
                yield finished.pop(following)
                following += 1
            if exhausted and not running:
                break
    finally:
        pool.close()


class _Threads:
    def __init__(self, func: Callable, workers: int):
        self.func = func
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="engine")

    def submit(self, item) -> tuple[int, Future]:
        return 0, self.executor.submit(self.func, item)

    def result(self, item, generation: int, future: Future):
        return future.result()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


class _Pool:
    """A process pool that survives a worker's death: the calls that were in flight are re-run
    one by one in a fresh process, and one that kills that too gets `crashed(item)` instead."""

    def __init__(self, func: Callable, workers: int, crashed: Optional[Callable],
                 initializer: Optional[Callable]):
        self.func, self.workers, self.crashed, self.initializer = func, workers, crashed, initializer
        self.context = _context()
        self.generation = 0
        self.executor = self._new_executor()
        self.submitted = 0  # to the current executor
        # With fork, the first call starts every worker at once: before the caller starts any
        # thread of its own (a fork copies no thread but may copy a lock one of them holds).
        self.executor.submit(int).result()

    def _new_executor(self, workers: Optional[int] = None) -> Executor:
        forked = self.context.get_start_method() == "fork"
        return ProcessPoolExecutor(workers or self.workers, mp_context=self.context,
                                   initializer=None if forked else self.initializer)

    def submit(self, item) -> tuple[int, Future]:
        if self.submitted >= RECYCLE_AFTER * self.workers:
            self._renew(self.generation, broken=False)
        self.submitted += 1
        try:
            return self.generation, self.executor.submit(self.func, item)
        except BrokenProcessPool:  # a worker died since the last call; its victims show up later
            self._renew(self.generation)
            return self.generation, self.executor.submit(self.func, item)

    def result(self, item, generation: int, future: Future):
        try:
            return future.result()
        except BrokenProcessPool:
            self._renew(generation)
            return self._isolated(item)

    def _renew(self, generation: int, broken: bool = True) -> None:
        """Replace the pool of `generation` unless that was done already. A retired pool that is
        not broken finishes the calls it has; a broken one cannot."""
        if generation == self.generation:
            self.executor.shutdown(wait=False, cancel_futures=broken)
            self.generation += 1
            self.executor = self._new_executor()
            self.submitted = 0

    def _isolated(self, item):
        with self._new_executor(1) as single:
            try:
                return single.submit(self.func, item).result()
            except BrokenProcessPool:
                if self.crashed is None:
                    raise
                return self.crashed(item)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

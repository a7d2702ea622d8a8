"""The parallel engine: one ordered map over threads or processes, knowing nothing of news.

`ordered_map(func, items, workers)` calls `func(item)` for every item and yields the results
in input order, whatever order the calls finish in, so a run's writes are the same for any
number of workers. It streams: at most `in_flight` calls run or wait at once and at most
`held_back` finished results wait for an earlier one, so memory does not grow with the input,
and one slow call holds back only the results behind it, never the calls after it.
`completion_map` yields (index, result) as calls finish, so two maps chain (fetching on
threads, then extracting on processes) with one reordering at the end.

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
    finished: dict[int, object] = {}
    held_back = max(1, workers) * HELD_BACK_PER_WORKER
    done = completion_map(func, items, workers, processes=processes, crashed=crashed, initializer=initializer,
                          passthrough=passthrough, may_submit=lambda: len(finished) < held_back)
    following = 0
    for index, result in done:
        finished[index] = result
        while following in finished:
            yield finished.pop(following)
            following += 1


def completion_map(func: Callable, items: Iterable, workers: int, *, processes: bool = True,
                   crashed: Optional[Callable] = None, initializer: Optional[Callable] = None,
                   passthrough: Optional[Callable] = None, may_submit: Optional[Callable] = None,
                   indexed: bool = False) -> Iterator[tuple[int, object]]:
    """(index, func(item)) as each call completes (`ordered_map` without the reordering).

    `indexed`: the items are (index, item) pairs already (the output of another
    completion_map), so maps chain without waiting for order between them. No new item is
    taken while `may_submit()` is false (the caller holds too many results back), unless
    nothing is running. One worker calls `func` inline, in the order the items come.
    """
    numbered = iter(items) if indexed else enumerate(items)
    if workers <= 1:
        for index, item in numbered:
            yield index, item if passthrough is not None and passthrough(item) else func(item)
        return
    pool = _Pool(func, workers, crashed, initializer) if processes else _Threads(func, workers)
    in_flight = workers * IN_FLIGHT_PER_WORKER
    running: dict[Future, tuple] = {}  # future -> (index, item, pool generation)
    exhausted = False
    try:
        while True:
            while not exhausted and len(running) < in_flight and (may_submit is None or may_submit() or not running):
                entry = next(numbered, None)
                if entry is None:
                    exhausted = True
                    break
                index, item = entry
                if passthrough is not None and passthrough(item):
                    yield index, item
                    continue
                generation, future = pool.submit(item)
                running[future] = (index, item, generation)
            if not running:
                if exhausted:
                    break
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f][0]):
                index, item, generation = running.pop(future)
                yield index, pool.result(item, generation, future)
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


def die_with_parent(parent: int) -> None:
    """In a worker process: be killed when the parent process dies, even by SIGKILL (which
    leaves no chance to shut the pool down). Linux's PR_SET_PDEATHSIG; elsewhere a no-op."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _initialize(parent: int, initializer: Optional[Callable]) -> None:
    die_with_parent(parent)
    if initializer is not None:
        initializer()


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
        forked = self.context.get_start_method() == "fork"  # forked workers inherit what was loaded
        return ProcessPoolExecutor(workers or self.workers, mp_context=self.context, initializer=_initialize,
                                   initargs=(os.getpid(), None if forked else self.initializer))

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

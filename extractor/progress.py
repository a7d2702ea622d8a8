"""Progress of long runs on standard error (standard output stays the summary).

On a terminal: a rich progress bar. Otherwise (a pipe, a log file, cron): one plain line per
item, prefixed with its count, so logs stay greppable.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, Optional, TextIO

from extractor.report.escape import one_line


class LineProgress:
    """One line per item: `[3/40] https://...: 2 claims`."""

    def __init__(self, stream: TextIO):
        self.stream, self.done, self.total = stream, 0, None

    def set_total(self, total: int) -> None:
        self.total = total

    def __call__(self, message: str) -> None:
        self.done += 1
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        print(f"[{count}] {one_line(message)}", file=self.stream, flush=True)


class BarProgress:
    """A rich progress bar with the latest item under it."""

    def __init__(self, bar, task):
        self.bar, self.task = bar, task

    def set_total(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def __call__(self, message: str) -> None:
        self.bar.update(self.task, advance=1, status=one_line(message)[-80:])


@contextmanager
def reporter(label: str, stream: Optional[TextIO] = None, enabled: bool = True) -> Iterator:
    """A progress callable for the pipeline: a bar on a terminal, plain lines otherwise."""
    stream = stream if stream is not None else sys.stderr
    if not enabled:
        yield None
        return
    if not stream.isatty():
        yield LineProgress(stream)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.fields[status]}", markup=False))
    with Progress(*columns, console=Console(file=stream), transient=False) as bar:
        yield BarProgress(bar, bar.add_task(label, total=None, status=""))

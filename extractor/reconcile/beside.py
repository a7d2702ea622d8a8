"""A function run in a forked process beside the caller, on a core the caller does not use.

The reconciler works out the source groups of a large input this way while it places the
claims: the groups need only the articles and claims, and the placing needs the groups only at
its end. The result is the same as calling the function inline, which is what happens where a
fork is not safe or not worth it: no fork on this platform, one core, threads running (a fork
copies only the calling thread, so a lock another thread holds would never be released).
"""
from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback


class Beside:
    """`fn(*args)`, started in a child process if `fork` and the process may fork; `result()`
    gives its value (raising what it raised), computing it inline if there is no child."""

    def __init__(self, fn, *args, fork: bool = True) -> None:
        self.fn, self.args = fn, args
        self.pid = None
        self._fd = None
        self._done = False
        self._value = None
        if fork and may_fork():
            self._start()

    @property
    def forked(self) -> bool:
        return self.pid is not None

    def _start(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send the pickled outcome, leave without cleanup
            os.close(read)
            status = 0
            try:
                try:
                    payload = pickle.dumps((True, self.fn(*self.args)), pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:  # sent to the parent, which raises it
                    payload = pickle.dumps((False, "".join(traceback.format_exception(exc))))
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            except BaseException:
                status = 1
            finally:
                os._exit(status)  # no atexit handlers, no flushing of the parent's buffers
        os.close(write)
        self.pid, self._fd = pid, read

    def result(self):
        if not self._done:
            self._value = self._receive() if self.forked else self.fn(*self.args)
            self._done = True
        return self._value

    def _receive(self):
        with os.fdopen(self._fd, "rb") as pipe:
            self._fd = None
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not data:
            raise RuntimeError(f"{self.fn.__name__} ended in its forked process without a "
                               f"result (wait status {status})")
        ok, value = pickle.loads(data)
        if not ok:
            raise RuntimeError(f"{self.fn.__name__} failed in its forked process:\n{value}")
        return value

    def close(self) -> None:
        """Stop and reap a child whose result was not asked for (the caller failed first)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # it had already ended; waitpid below reaps it
            os.waitpid(self.pid, 0)
            self.pid = None


def may_fork() -> bool:
    """A fork here is safe and can run beside this process: POSIX, a second core, one thread."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1

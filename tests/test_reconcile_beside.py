"""Source groups worked out in a forked process (reconcile/beside.py) give what inline work gives."""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

import pytest

import extractor.reconcile as reconcile_module
from extractor.reconcile import beside
from extractor.reconcile.beside import Beside
from extractor.reconcile.gold import load_gold_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_reconcile import generate  # noqa: E402

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


def dump(result) -> list[str]:
    """Every check (with its id), series row and finding row, as canonical JSON."""
    rows = [json.dumps(c.row(), sort_keys=True) for c in result.checks]
    rows += [json.dumps(s.row(), sort_keys=True) for s in result.series]
    rows += [json.dumps(f.row(), sort_keys=True) for f in result.findings]
    return rows


def _fail(message: str):
    raise ValueError(message)


@needs_fork
@pytest.mark.parametrize("source", ["generated", "conflicts"])
def test_groups_from_a_forked_process_give_the_same_reconciliation(monkeypatch, source):
    if source == "generated":  # wire copies and agencies: groups of several articles
        claims, articles = generate(6000, seed=3)
    else:
        claims, articles = load_gold_dir(ROOT / "fixtures" / "conflicts")
    inline = dump(reconcile_module.reconcile(claims, articles))
    forks = []
    real_start = Beside._start

    def start(self):
        real_start(self)
        forks.append(self.pid)

    monkeypatch.setattr(beside, "may_fork", lambda: True)
    monkeypatch.setattr(Beside, "_start", start)
    monkeypatch.setattr(reconcile_module, "GROUPS_BESIDE", 0)
    assert dump(reconcile_module.reconcile(claims, articles)) == inline
    assert len(forks) == 1


@needs_fork
def test_an_error_in_the_forked_process_is_raised_with_its_traceback(monkeypatch):
    monkeypatch.setattr(beside, "may_fork", lambda: True)
    work = Beside(_fail, "no groups today")
    assert work.forked
    with pytest.raises(RuntimeError, match="no groups today"):
        work.result()
    work.close()


@needs_fork
def test_an_abandoned_child_is_stopped_and_reaped(monkeypatch):
    monkeypatch.setattr(beside, "may_fork", lambda: True)
    work = Beside(threading.Event().wait)  # would wait for ever
    pid = work.pid
    work.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped


def test_no_fork_while_other_threads_run():
    started, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=lambda: (started.set(), stop.wait()))
    thread.start()
    started.wait()
    try:
        assert not beside.may_fork()
        work = Beside(sum, [1, 2, 3])
        assert not work.forked and work.result() == 6
    finally:
        stop.set()
        thread.join()

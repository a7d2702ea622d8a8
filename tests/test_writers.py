"""Crashes and concurrent writers against real `extractor ingest` processes.

Nothing here waits for a moment on the wall clock: the kill lands when the process says, through
its standard output, that it is inside a write transaction, and the two writers start on one
signal; the only timeouts are generous safety nets for a hung process.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from extractor import store
from stored import rows

COUNTRIES = ["Japan", "Germany", "India", "Brazil", "Vietnam", "Mexico", "Canada", "France", "Italy", "Spain"]
MONTHS = ["October", "November", "December"]


def article(n: int, series: str) -> str:
    country, month = COUNTRIES[n % len(COUNTRIES)], MONTHS[n % len(MONTHS)]
    return (f"<html><head><title>Magnet exports {series}{n}</title>"
            "<meta property='article:published_time' content='2026-01-20'></head><body><article>"
            f"<p>China exported {1000 + n * 37:,} tonnes of rare earth magnets to {country} in {month} 2025, "
            f"up {5 + n % 30}% from a month earlier, report {series}{n} said.</p>"
            f"<p>Shipments to {country} had fallen earlier in the year, according to the {series} desk.</p>"
            "</article></body></html>")


def folder(root: Path, series: str, count: int) -> Path:
    path = root / series
    path.mkdir()
    for n in range(count):
        (path / f"{series}{n:04d}.html").write_text(article(n, series), encoding="utf-8")
    return path


def ingest_command(db: Path, *paths: Path, workers: int = 1) -> list[str]:
    return [sys.executable, "-m", "extractor", "ingest", *map(str, paths), "--db", str(db),
            "--workers", str(workers), "--no-progress"]


# A wrapper around the CLI: on the Nth write transaction that stores claims it prints MID-WRITE
# and blocks, its claims written but not committed, until the test kills it.
BLOCKING_INGEST = textwrap.dedent("""
    import sys
    from extractor import cli, store

    block_at = int(sys.argv.pop(1))
    original, calls = store._note_claims_changed, [0]

    def noted(db):
        original(db)
        calls[0] += 1
        if calls[0] == block_at:
            print("MID-WRITE", flush=True)
            sys.stdin.read()

    store._note_claims_changed = noted
    sys.argv[0] = "extractor"
    cli.main()
""")


def children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_line(process: subprocess.Popen, marker: str) -> None:
    for line in process.stdout:
        if line.strip() == marker:
            return
    pytest.fail(f"the process ended before {marker}: exit {process.wait()}, " + process.stderr.read()[-2000:])


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_kill_9_mid_write_on_a_reconciled_database_loses_nothing_and_leaves_the_checks_marked(tmp_path):
    first, second = folder(tmp_path, "a", 12), folder(tmp_path, "b", 150)  # b: batches of 64, 64 and 22
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    for db in (killed_db, clean_db):
        subprocess.run(ingest_command(db, first), check=True, capture_output=True, timeout=300)
    assert not store.needs_reconcile(store.open_db(killed_db)), "the database starts reconciled"
    checks_before = rows(killed_db, "checks")

    process = subprocess.Popen([sys.executable, "-c", BLOCKING_INGEST, "2", *ingest_command(killed_db, second, workers=2)[3:]],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_line(process, "MID-WRITE")
    workers = children_of(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)

    db = store.open_db(killed_db)
    stored_b = sorted(Path(r["url"]).name for r in db.query("SELECT url FROM articles WHERE url LIKE '%/b/%'"))
    every_b = sorted(p.name for p in second.iterdir())
    # The first transaction committed (its size depends on the writer's batching), the second,
    # open at the kill, rolled back: what is stored is a prefix of the input, in input order.
    assert 0 < len(stored_b) < len(every_b) and stored_b == every_b[:len(stored_b)]
    assert db["articles"].count == 12 + len(stored_b)
    assert store.needs_reconcile(db), "new claims in no check: the database says so"
    assert rows(killed_db, "checks") == checks_before
    deadline = time.monotonic() + 60  # a safety net only: the kernel kills them with the parent
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not any(alive(pid) for pid in workers), "the workers died with their parent"

    finish = subprocess.run(ingest_command(killed_db, second), capture_output=True, text=True, timeout=300)
    assert finish.returncode == 0, finish.stderr[-2000:]
    subprocess.run(ingest_command(clean_db, second), check=True, capture_output=True, timeout=300)
    for table in ("articles", "claims", "checks", "series"):
        assert rows(killed_db, table) == rows(clean_db, table), table
    assert len(rows(clean_db, "articles")) == 162 and not store.needs_reconcile(store.open_db(killed_db))


def test_two_concurrent_ingests_on_a_fresh_database_store_everything(tmp_path):
    """Both processes wait for one signal, then create the schema and write at the same time."""
    sets = [folder(tmp_path, name, 120) for name in ("a", "b")]
    db = tmp_path / "shared.db"
    go = tmp_path / "go"
    start = textwrap.dedent(f"""
        import os, sys, time
        while not os.path.exists({str(go)!r}):
            time.sleep(0.005)
        from extractor import cli
        sys.argv[0] = "extractor"
        cli.main()
    """)
    errors = [tmp_path / f"{path.name}.err" for path in sets]
    processes = [subprocess.Popen([sys.executable, "-c", start, *ingest_command(db, path)[3:]],
                                  stdout=subprocess.DEVNULL, stderr=err.open("w")) for path, err in zip(sets, errors)]
    go.write_text("")
    results = [(p.wait(timeout=600), err.read_text()) for p, err in zip(processes, errors)]
    for code, err in results:
        assert code == 0 and "Traceback" not in err and "locked" not in err, err[-2000:]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 240
    assert conn.execute("SELECT count(*) FROM fetch_log WHERE resolved = 0").fetchone()[0] == 0
    assert not store.needs_reconcile(store.open_db(db)), "the last reconcile saw every claim"


def test_a_write_that_reads_first_holds_the_write_lock_from_its_start(tmp_path):
    """record_failure reads the row it is about to update. Another writer commits right after
    that read (injected at that statement): in a deferred transaction the update then fails
    with "database is locked"; in an immediate one the other writer cannot get in at all."""
    from extractor.types import Failure

    path = tmp_path / "c.db"
    db = store.open_db(path)
    other = sqlite3.connect(path, timeout=0.2)
    interleaved = []
    original = db.execute

    def execute(sql, *args, **kwargs):
        result = original(sql, *args, **kwargs)
        if sql.startswith("SELECT attempts"):
            try:
                with other:
                    other.execute("INSERT INTO run_state (key, value) VALUES ('other writer', '1')")
                interleaved.append("the other writer committed inside the transaction")
            except sqlite3.OperationalError as err:
                interleaved.append(f"the other writer waited: {err}")
        return result

    db.execute = execute
    store.record_failure(db, Failure("http://example.org/a", "fetch", "HTTP 500"))
    assert interleaved == ["the other writer waited: database is locked"]
    assert store.open_failures(db) == [Failure("http://example.org/a", "fetch", "HTTP 500")]

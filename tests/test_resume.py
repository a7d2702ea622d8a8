"""A run killed with SIGKILL mid-way loses nothing stored, and the next run finishes the job
with exactly the rows of an uninterrupted run (real subprocesses, real claim extraction)."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from extractor import store
from httpserver import article_html, rss
from stored import rows

PAGES = 10
FAST = 3  # the first pages answer at once; later ones are held back until the kill
COUNTRIES = ["Japan", "Germany", "India", "Brazil", "Vietnam", "Mexico", "Canada", "France", "Italy", "Spain"]


def page(n: int) -> str:
    return article_html(
        f"Magnet exports to {COUNTRIES[n]}",
        f"China exported {1000 + n * 37:,} tonnes of rare earth magnets to {COUNTRIES[n]} in October 2025, "
        f"up {5 + n}% from September, customs data showed on Thursday.\n\n"
        f"Shipments to {COUNTRIES[n]} had fallen earlier in the year, the data showed.",
        published="2025-11-20",
    )


@pytest.fixture
def release():
    return threading.Event()


@pytest.fixture
def site(http_server, tmp_path, release):
    items = []
    for n in range(PAGES):
        http_server.add(f"/p{n}.html", page(n), hold=None if n < FAST else release)
        items.append((f"Page {n}", http_server.url(f"/p{n}.html")))
    http_server.add("/feed.xml", rss(items), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: local\n    url: {http_server.url('/feed.xml')}\n")
    return feeds_yaml


def command(feeds_yaml: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "extractor", "run", "--feeds", str(feeds_yaml), "--db", str(db),
            "--allow-net", "127.0.0.0/8", "--delay", "0", "--no-progress"]


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_killed_run_resumes_to_the_same_rows(site, tmp_path, release):
    killed_db = tmp_path / "killed.db"
    process = subprocess.Popen(command(site, killed_db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while stored_articles(killed_db) < FAST and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if process.poll() is not None:
        pytest.fail(f"the run ended before the kill (exit {process.returncode}): "
                    + process.stderr.read().decode()[-2000:])
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()[-2000:]

    release.set()
    at_kill = stored_articles(killed_db)
    assert at_kill == FAST, "the kill landed mid-run"
    kept = rows(killed_db, "articles")

    finish = subprocess.run(command(site, killed_db), capture_output=True, timeout=120)
    assert finish.returncode == 0, finish.stderr.decode()[-2000:]
    clean_db = tmp_path / "clean.db"
    clean = subprocess.run(command(site, clean_db), capture_output=True, timeout=120)
    assert clean.returncode == 0, clean.stderr.decode()[-2000:]

    assert set(kept) <= set(rows(killed_db, "articles")), "nothing stored before the kill was lost"
    assert rows(killed_db, "articles") == rows(clean_db, "articles")
    assert len(rows(clean_db, "articles")) == PAGES
    assert rows(killed_db, "claims") == rows(clean_db, "claims")
    assert len(rows(clean_db, "claims")) >= PAGES, "claims were extracted"
    assert rows(killed_db, "checks") == rows(clean_db, "checks")

"""Parallel ingest (extractor/collect.py over extractor/engine.py, pages extracted by
extractor/workers.py): the same rows as one process, failures named by path, batched writes
that keep each article with its claims, re-runs without duplicates."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from extractor import claims as claims_stage
from extractor import collect, engine, pipeline, sources, store, text
from extractor.types import Article, Claim

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo" / "articles"
FORK = "fork" in multiprocessing.get_all_start_methods()

# Every column but the write time, which differs between any two runs.
ROWS = {
    "articles": "SELECT id, url, title, published, text, feed, sitename, fingerprint FROM articles ORDER BY id",
    "claims": "SELECT * FROM claims ORDER BY id",
    "fetch_log": "SELECT id, url, stage, reason, attempts, resolved FROM fetch_log ORDER BY id",
}


def rows(db_path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_path)
    try:
        return {table: conn.execute(sql).fetchall() for table, sql in ROWS.items()}
    finally:
        conn.close()


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The demo pages, a plain-text copy of one, an empty page and an unsupported file."""
    folder = tmp_path / "in"
    shutil.copytree(DEMO, folder)
    first = text.read_article_file(DEMO / "000_aad5f7c6210493b1.html")
    (folder / "plain.txt").write_text(first.text, encoding="utf-8")
    (folder / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    return folder


def test_parallel_ingest_stores_the_same_rows_as_serial(corpus, tmp_path):
    serial = pipeline.ingest([corpus], tmp_path / "serial.db", workers=1)
    parallel = pipeline.ingest([corpus], tmp_path / "parallel.db", workers=2)

    one, two = rows(tmp_path / "serial.db"), rows(tmp_path / "parallel.db")
    assert one == two
    assert len(one["articles"]) == 5  # five demo pages; the plain-text copy is a duplicate
    assert serial.duplicates == parallel.duplicates == 1
    assert len(one["claims"]) > 10  # the seed articles report dozens of figures
    assert (serial.articles_seen, serial.articles_stored, serial.claims_stored) == (
        parallel.articles_seen, parallel.articles_stored, parallel.claims_stored)
    assert [f.url for f in serial.failures] == [f.url for f in parallel.failures]


def test_failures_are_recorded_with_their_path_and_the_rest_go_on(corpus, tmp_path):
    db_path = tmp_path / "claims.db"
    lines = []
    summary = pipeline.ingest([corpus, tmp_path / "missing.html"], db_path, workers=2, progress=lines.append)

    failed = {Path(f.url).name: f for f in summary.failures}
    assert set(failed) == {"empty.html", "missing.html"}
    assert failed["empty.html"].stage == "text"
    assert "no article text" in failed["empty.html"].reason
    assert summary.articles_stored == 5 and summary.duplicates == 1
    logged = {(Path(f.url).name, f.stage) for f in store.open_failures(store.open_db(db_path))}
    assert logged == {("empty.html", "text"), ("missing.html", "ingest")}
    assert len(lines) == summary.articles_seen  # one progress line per item, failures included
    assert "empty: failed (text): no article text found in the page" in lines


def test_a_page_that_raises_in_a_worker_is_logged_and_the_others_are_stored(corpus, tmp_path, monkeypatch):
    real = claims_stage.claims_for

    def claims_or_fault(article: Article, name: str) -> list[Claim]:
        if name == "002_6c3cf06ab794cd16":
            raise RuntimeError("figure parser fault")
        return real(article, name)

    monkeypatch.setattr(claims_stage, "claims_for", claims_or_fault)  # forked workers inherit it
    workers_count = 2 if FORK else 1  # elsewhere the workers would not see the patch
    summary = pipeline.ingest([corpus], tmp_path / "claims.db", workers=workers_count)

    fault = [f for f in summary.failures if f.stage == "claims"]
    assert len(fault) == 1 and fault[0].url.endswith("002_6c3cf06ab794cd16.html")
    assert "RuntimeError: figure parser fault" in fault[0].reason
    stored = {Path(url).stem for (url,) in sqlite3.connect(tmp_path / "claims.db").execute("SELECT url FROM articles")}
    assert "002_6c3cf06ab794cd16" not in stored
    assert {"000_aad5f7c6210493b1", "001_ab0990ca4befeb81", "003_d627c6a13736f656", "site-news"} <= stored


@pytest.mark.skipif(not FORK, reason="needs the fork start method to plant a crash in the workers")
def test_a_page_that_kills_its_worker_is_logged_and_the_others_are_stored(corpus, tmp_path, monkeypatch):
    parent = os.getpid()
    real = text.article_from_html

    def read_or_die(html, url, **kwargs):
        if url.endswith("001_ab0990ca4befeb81.html") and os.getpid() != parent:
            os._exit(3)  # as a segfault in a C extension would
        return real(html, url, **kwargs)

    monkeypatch.setattr(text, "article_from_html", read_or_die)
    summary = pipeline.ingest([corpus], tmp_path / "claims.db", workers=2)

    died = [f for f in summary.failures if "died" in f.reason]
    assert [Path(f.url).name for f in died] == ["001_ab0990ca4befeb81.html"]
    assert summary.articles_stored == 4  # every other readable page, including those in flight
    assert summary.duplicates == 1  # the plain-text copy of the first page
    stored = {Path(url).name for (url,) in sqlite3.connect(tmp_path / "claims.db").execute("SELECT url FROM articles")}
    assert "001_ab0990ca4befeb81.html" not in stored and "002_6c3cf06ab794cd16.html" in stored


def test_rerun_adds_no_duplicates_and_small_batches_change_nothing(corpus, tmp_path, monkeypatch):
    db_path = tmp_path / "claims.db"
    pipeline.ingest([corpus], db_path, workers=2)
    first = rows(db_path)
    again = pipeline.ingest([corpus], db_path, workers=2)
    assert again.articles_stored == 0 and again.unchanged == 6  # sizes and times unchanged: not read
    second = rows(db_path)
    assert second["articles"] == first["articles"] and second["claims"] == first["claims"]
    assert all(attempts == 2 for (_, _, _, _, attempts, _) in second["fetch_log"])  # failures tried again

    monkeypatch.setattr(collect, "DEFAULT_BATCH", 2)
    pipeline.ingest([corpus], tmp_path / "small.db", workers=2)
    small = rows(tmp_path / "small.db")
    assert small["articles"] == first["articles"] and small["claims"] == first["claims"]


def test_save_articles_matches_save_article_one_by_one(tmp_path):
    def article(n: int, body: str) -> tuple[Article, list[Claim]]:
        a = Article(url=f"https://news.example/{n}", text=body, title=f"t{n}")
        claim = Claim(article=a.url, sentence=body, start=0, end=len(body), value=float(n),
                      unit="t", article_id=a.id)
        return a, [claim]

    batch = [article(1, "One."), article(2, "Two."), article(1, "One, revised.")]
    one_by_one, batched = store.open_db(tmp_path / "a.db"), store.open_db(tmp_path / "b.db")
    for a, claims in batch:
        store.save_article(one_by_one, a, claims)
    assert store.save_articles(batched, batch) == 3

    assert rows(tmp_path / "a.db") == rows(tmp_path / "b.db")
    assert sorted(a.text for a in store.load_articles(batched)) == ["One, revised.", "Two."]
    assert len(store.load_claims(batched)) == 2  # the revised article's claim replaced the old one


def test_a_batch_lands_whole_or_not_at_all(tmp_path):
    db = store.open_db(tmp_path / "claims.db")
    good = Article(url="https://news.example/ok", text="Fine.")
    bad = Article(url="https://news.example/bad", text="Bad.")
    unstorable = Claim(article="x", sentence="s", start=0, end=1, value=object(), id="c1")
    with pytest.raises(sqlite3.Error):  # the second article's claim cannot be written
        store.save_articles(db, [(good, []), (bad, [unstorable])])
    assert db["articles"].count == 0 and db["claims"].count == 0


def test_streaming_reads_ahead_only_a_bounded_number_of_items():
    pulled = 0

    def items():
        nonlocal pulled
        for n in range(200):
            pulled += 1
            yield n

    seen = 0
    for result in engine.ordered_map(square, items(), 2):
        assert result == seen * seen
        seen += 1
        assert pulled - seen <= 2 * engine.IN_FLIGHT_PER_WORKER + 2 * engine.HELD_BACK_PER_WORKER
    assert seen == 200


def square(n: int) -> int:
    return n * n


def square_or_die(n: int) -> int:
    if n == 7:
        os._exit(9)
    return n * n


@pytest.mark.skipif(not FORK, reason="needs the fork start method")
def test_ordered_map_keeps_input_order_and_survives_a_dead_worker():
    results = list(engine.ordered_map(square_or_die, range(30), 2, crashed=lambda n: -n))
    assert results == [-7 if n == 7 else n * n for n in range(30)]


def slow_first(n: int) -> int:
    import time

    if n == 0:
        time.sleep(0.5)
    return n


def test_a_slow_item_holds_back_only_the_results_behind_it():
    started = []

    def items():
        for n in range(12):
            started.append(n)
            yield n

    results = engine.ordered_map(slow_first, items(), 2, processes=False)
    assert next(results) == 0
    assert len(started) == 12  # while item 0 slept, every later item was taken and done
    assert list(results) == list(range(1, 12))


def test_passthrough_items_keep_their_place_and_never_reach_a_worker():
    items = [1, "a", 2, "b", 3]
    for workers in (1, 2):
        assert list(engine.ordered_map(square, items, workers, passthrough=lambda x: isinstance(x, str))) == [
            1, "a", 4, "b", 9]


_PROCESS_TOKEN: list = []  # empty in the test process; filled once in each worker


def worker_token(_: int) -> str:
    """A token that names the process answering (pids can be reused; these cannot)."""
    import uuid

    if not _PROCESS_TOKEN:
        _PROCESS_TOKEN.append(f"{os.getpid()}-{uuid.uuid4()}")
    return _PROCESS_TOKEN[0]


@pytest.mark.skipif(not FORK, reason="needs the fork start method")
def test_workers_are_recycled_and_every_call_still_answers(monkeypatch):
    from collections import Counter

    monkeypatch.setattr(engine, "RECYCLE_AFTER", 3)
    tokens = list(engine.ordered_map(worker_token, range(30), 2))
    assert len(tokens) == 30 and None not in tokens and not _PROCESS_TOKEN
    # A pool takes RECYCLE_AFTER calls a worker (6), then fresh workers: five pools, each with at
    # least one process of its own; which of a pool's two workers takes a call is up to them.
    assert len(set(tokens)) >= 5
    assert max(Counter(tokens).values()) <= 6


def test_folders_are_walked_in_name_order_depth_first(tmp_path):
    for rel in ["b/2.html", "b/1.txt", "a.html", "c/d/3.htm", "c/notes.pdf", "c/0.TXT"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    listed = [p.relative_to(tmp_path).as_posix() for p in sources.FolderSource(tmp_path).files()]
    assert listed == ["a.html", "b/1.txt", "b/2.html", "c/0.TXT", "c/d/3.htm"]
    (job,) = sources.FolderSource(tmp_path / "empty").jobs()
    assert job.failure.stage == "ingest" and "folder holds no article files" in job.failure.reason

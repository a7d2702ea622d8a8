"""`extractor batch` (extractor/batch.py): WARC shards on local processes and on a Dask
LocalCluster (loopback) store exactly the rows a local `ingest` stores; finished shards are
skipped; a failing shard is retried, then logged; a worker killed mid-run loses nothing."""
from __future__ import annotations

import io
import os
import signal
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractor import batch, pipeline, store
from httpserver import article_html

COUNTRIES = ["Japan", "Germany", "India", "Brazil", "Vietnam", "Mexico", "Canada", "France"]
ROWS = {
    "articles": "SELECT id, url, title, published, text, feed, sitename, fingerprint FROM articles ORDER BY id",
    "claims": "SELECT * FROM claims ORDER BY id",
    "fetch_log": "SELECT id, url, stage, reason, attempts, resolved FROM fetch_log ORDER BY id",
    "http_cache": "SELECT url, etag, last_modified, fingerprint, article_id FROM http_cache ORDER BY url",
    "checks": "SELECT id, kind, verdict, series, claim_ids, explanation, arithmetic FROM checks ORDER BY id",
}


def rows(db_path: Path, tables=ROWS) -> dict:
    conn = sqlite3.connect(db_path)
    try:
        return {table: conn.execute(sql).fetchall() for table, sql in tables.items()}
    finally:
        conn.close()


def trade_page(n: int) -> str:
    country = COUNTRIES[n % len(COUNTRIES)]
    return article_html(f"Copper shipments to {country}, report {n}",
                        f"Chile exported {1000 + 37 * n:,} tonnes of refined copper to {country} in "
                        f"October 2025, up {3 + n % 7}% from September, customs data showed.\n\n"
                        f"Traders said demand from {country} would hold up.")


def other_page(n: int) -> str:
    return article_html(f"Council meeting {n}", f"The council met on Tuesday to discuss the new park.\n\n"
                        f"Residents asked for more benches and a playground for {n} children.")


def write_shard(path: Path, pages: list[tuple[str, str]]) -> Path:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for number, (uri, body) in enumerate(pages):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body.encode()),
                                               http_headers=http)
            record.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uri)}>")
            record.rec_headers.replace_header("WARC-Date", "2025-11-21T10:00:00Z")
            writer.write_record(record)
    return path


@pytest.fixture
def shards(tmp_path) -> list[Path]:
    """Four CC-NEWS-like shards: a trade story in four pages, the rest other news, one copy of a
    story under another URL, one page with no text."""
    folder = tmp_path / "warcs"
    folder.mkdir()
    out = []
    for s in range(4):
        pages = []
        for i in range(8):
            n = s * 8 + i
            body = trade_page(n) if n % 4 == 0 else other_page(n)
            pages.append((f"https://news{s}.example.org/story/{n}", body))
        if s == 2:
            pages.append(("https://mirror.example.net/copy", trade_page(4)))
            pages.append(("https://news2.example.org/empty",  # a figure in its title only: skipped
                          "<html><head><title>Exports rose 5% to 300 tonnes</title></head><body></body></html>"))
        out.append(write_shard(folder / f"CC-NEWS-2025112{s}-0000{s}.warc.gz", pages))
    return out


def test_local_batch_stores_the_rows_of_ingest(shards, tmp_path):
    pipeline.ingest(shards, tmp_path / "ingest.db", use_prefilter=True)
    lines = []
    summary = batch.run_batch(shards, tmp_path / "batch.db", workers_count=2, progress=lines.append)

    assert rows(tmp_path / "batch.db") == rows(tmp_path / "ingest.db")
    assert summary.shards == summary.shards_done == 4 and summary.pages == 34
    assert summary.articles_stored == 8 and summary.duplicates == 1 and summary.prefiltered == 25
    assert summary.failures == []
    assert lines[-1].startswith("shard 4/4 ") and "(34 done)" in lines[-1] and "25 skipped by the prefilter" in lines[-1]


def test_finished_shards_are_skipped_and_a_rerun_adds_nothing(shards, tmp_path):
    db_path = tmp_path / "batch.db"
    batch.run_batch(shards[:2], db_path)
    first = rows(db_path)
    again = batch.run_batch(shards, db_path)
    assert again.shards_skipped == 2 and again.shards_done == 2
    second = batch.run_batch(shards, db_path)
    assert second.shards_skipped == 4 and second.shards_done == 0 and second.articles_stored == 0
    assert rows(db_path)["claims"] != first["claims"]
    pipeline.ingest(shards, tmp_path / "ingest.db", use_prefilter=True)
    assert rows(db_path, {"claims": ROWS["claims"]}) == rows(tmp_path / "ingest.db", {"claims": ROWS["claims"]})


def test_a_warc_list_is_sharded_by_file(shards, tmp_path):
    listing = tmp_path / "warc.paths"
    listing.write_text("".join(f"warcs/{p.name}\n" for p in shards))  # relative: below the list's folder
    found, problems = batch.shards_of([listing])
    assert [s.locations for s in found] == [(str(p),) for p in shards] and problems == []
    summary = batch.run_batch([listing], tmp_path / "b.db")
    assert summary.shards_done == 4 and summary.articles_stored == 8


def test_article_files_are_sharded_in_chunks(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for n in range(7):
        (folder / f"{n}.html").write_text(trade_page(n) if n % 2 else other_page(n))
    found, _ = batch.shards_of([folder], shard_files=3)
    assert [len(s.locations) for s in found] == [3, 3, 1]
    summary = batch.run_batch([folder], tmp_path / "b.db", shard_files=3)
    assert summary.articles_stored == 3 and summary.prefiltered == 4


def _fail_shard_once_marker(tmp_path) -> Path:
    return tmp_path / "failed-once"


def test_a_failing_shard_is_retried_then_logged_and_tried_next_run(shards, tmp_path, monkeypatch):
    marker = _fail_shard_once_marker(tmp_path)
    real = batch._jobs

    def flaky(shard):
        if shard.locations[0].endswith("00001.warc.gz"):
            if os.environ.get("ALWAYS_FAIL") or not marker.exists():
                marker.touch()
                raise RuntimeError("injected shard fault")
        return real(shard)

    monkeypatch.setattr(batch, "_jobs", flaky)
    retried = batch.run_batch(shards, tmp_path / "retried.db")
    assert marker.exists() and retried.shards_done == 4  # failed once, then done
    assert all(f.stage != "batch" for f in retried.failures)

    monkeypatch.setenv("ALWAYS_FAIL", "1")
    db_path = tmp_path / "failed.db"
    failed = batch.run_batch(shards, db_path)
    (fault,) = [f for f in failed.failures if f.stage == "batch"]
    assert failed.shards_failed == 1 and failed.shards_done == 3
    assert "failed 2 times" in fault.reason and "injected shard fault" in fault.reason
    logged = store.open_failures(store.open_db(db_path))
    assert any(f.stage == "batch" and f.url == str(shards[1]) for f in logged)

    monkeypatch.delenv("ALWAYS_FAIL")
    marker.touch()  # the fault is gone
    again = batch.run_batch(shards, db_path)
    assert again.shards_skipped == 3 and again.shards_done == 1
    assert not any(f.stage == "batch" for f in store.open_failures(store.open_db(db_path)))


def test_cli_batch(shards, tmp_path):
    from extractor.cli import cli

    result = CliRunner().invoke(cli, ["batch", *map(str, shards), "--db", str(tmp_path / "c.db"),
                                      "--workers", "1"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Shards: 4 done" in result.output and "Skipped by the prefilter: 25 of 34 pages" in result.output
    assert "shard 1/4" in result.stderr


def test_cli_batch_names_a_missing_dask(shards, tmp_path, monkeypatch):
    import builtins

    from extractor.cli import cli

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    result = CliRunner().invoke(cli, ["batch", str(shards[0]), "--engine", "dask", "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2 and "pip install" in result.output and "Traceback" not in result.output


# Dask ----------------------------------------------------------------------------------

distributed = pytest.importorskip("distributed", reason="Dask is not installed: pip install -e '.[dask]'")


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as local, Client(local) as client:
        yield local, client


def test_dask_local_cluster_stores_the_rows_of_ingest(shards, tmp_path, cluster):
    local, _ = cluster
    pipeline.ingest(shards, tmp_path / "ingest.db", use_prefilter=True)
    summary = batch.run_batch(shards, tmp_path / "dask.db", engine_name="dask", scheduler=local.scheduler_address,
                              workers_count=2)
    assert summary.shards_done == 4 and summary.articles_stored == 8
    assert rows(tmp_path / "dask.db") == rows(tmp_path / "ingest.db")


def test_dask_without_a_scheduler_starts_its_own_local_cluster(shards, tmp_path):
    summary = batch.run_batch(shards[:1], tmp_path / "own.db", engine_name="dask", workers_count=1)
    assert summary.shards_done == 1 and summary.articles_stored == 2


def test_a_worker_killed_mid_run_loses_nothing_and_duplicates_nothing(shards, tmp_path, cluster):
    local, client = cluster
    many = []
    for copy in range(3):  # more shards than workers, so some are in flight at the kill
        for path in shards:
            target = tmp_path / f"c{copy}-{path.name}"
            target.write_bytes(path.read_bytes())
            many.append(target)
    pipeline.ingest(many, tmp_path / "ingest.db", use_prefilter=True)

    pids = client.run(os.getpid)
    killed = threading.Event()

    def progress(line: str) -> None:
        if not killed.is_set():  # after the first shard is in: kill a worker busy with others
            os.kill(sorted(pids.values())[0], signal.SIGKILL)
            killed.set()

    summary = batch.run_batch(many, tmp_path / "dask.db", engine_name="dask", scheduler=local.scheduler_address,
                              workers_count=2, progress=progress)
    assert killed.is_set() and sorted(pids.values())[0] not in client.run(os.getpid).values()
    assert summary.shards_done == 12 and summary.shards_failed == 0, summary.failures
    assert rows(tmp_path / "dask.db") == rows(tmp_path / "ingest.db")


def test_a_warc_list_of_urls_says_to_download_first(tmp_path):
    listing = tmp_path / "warc.paths"
    listing.write_text("crawl-data/CC-NEWS/2025/11/CC-NEWS-20251101000000-00000.warc.gz\n")
    found, problems = batch.shards_of([listing], warc_base="https://data.example.org/")
    assert found == [] and "--warc-base" in problems[0].reason
    assert problems[0].url == "https://data.example.org/crawl-data/CC-NEWS/2025/11/CC-NEWS-20251101000000-00000.warc.gz"

"""`extractor ingest` over archives: folders, URL lists (*.urls) and WARC files built in the test."""
from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractor import claims as claims_stage
from extractor import archives, pipeline, sources, store
from httpserver import article_html, fast_policy, tonnes_claims


@pytest.fixture(autouse=True)
def claims(monkeypatch):
    monkeypatch.setattr(claims_stage, "claims_for", tonnes_claims)


def page(n: int) -> str:
    return article_html(f"Port report {n}", f"Traders shipped {n},000 tonnes of copper through the port, "
                        f"customs data for week {n} showed.\n\nAnalysts said demand would hold up.")


def write_warc(path: Path, records: list[tuple], compress: bool) -> Path:
    """records: (uri, status, content_type, body, kind) with kind 'response' or 'request'."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        for uri, status, content_type, body, kind in records:
            body = body.encode() if isinstance(body, str) else body
            if kind == "request":
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                record = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=http)
            else:
                http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), http_headers=http,
                    warc_headers_dict={"WARC-Date": "2025-11-21T10:00:00Z"})
            writer.write_record(record)
    return path


RECORDS = [
    ("https://news.example.org/a?utm_source=cc", "200 OK", "text/html; charset=utf-8", page(1), "response"),
    ("https://news.example.org/a", "", "", "", "request"),
    ("https://news.example.org/logo.png", "200 OK", "image/png", b"\x89PNG", "response"),
    ("https://news.example.org/moved", "301 Moved", "text/html", "<a href=x>moved</a>", "response"),
    ("https://news.example.org/b", "200 OK", "text/html", page(2), "response"),
    ("https://news.example.org/empty", "200 OK", "text/html", "<html><body></body></html>", "response"),
]


@pytest.mark.parametrize("compress, name", [(True, "cc.warc.gz"), (False, "cc.warc")])
def test_warc_records_become_articles(tmp_path, compress, name):
    warc = write_warc(tmp_path / name, RECORDS, compress)
    items = list(archives.items([warc]))
    assert [(i.url, i.captured) for i in items] == [
        ("https://news.example.org/a", "2025-11-21"), ("https://news.example.org/b", "2025-11-21"),
        ("https://news.example.org/empty", "2025-11-21")]

    db_path = tmp_path / "claims.db"
    summary = pipeline.ingest([warc], db_path)
    db = store.open_db(db_path)
    rows = {r["url"]: r for r in db.query("SELECT url, published, title FROM articles")}
    assert set(rows) == {"https://news.example.org/a", "https://news.example.org/b"}
    assert rows["https://news.example.org/b"]["title"] == "Port report 2"
    assert db["claims"].count == 2
    assert [(f.url, f.stage) for f in summary.failures] == [("https://news.example.org/empty", "text")]

    again = pipeline.ingest([warc], db_path)
    assert again.articles_stored == 0 and again.unchanged == 2


def test_warc_capture_date_is_the_last_resort_for_published(tmp_path):
    undated = "<html><body><article><h1>Grain</h1><p>Farmers exported 300 tonnes of wheat to the region, " \
              "the ministry said on its website today.</p><p>More shipments are planned.</p></article></body></html>"
    warc = write_warc(tmp_path / "x.warc.gz", [("https://example.org/grain", "200 OK", "text/html", undated, "response")], True)
    pipeline.ingest([warc], tmp_path / "a.db")
    (row,) = store.open_db(tmp_path / "a.db").query("SELECT published FROM articles")
    assert row["published"] == "2025-11-21"


def test_corrupt_warc_is_a_named_failure(tmp_path):
    good = write_warc(tmp_path / "good.warc.gz", RECORDS[:1], True)
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(gzip.compress(b"WARC/1.0\r\nnonsense\r\n\r\n") + b"garbage")
    summary = pipeline.ingest([bad, good], tmp_path / "c.db")
    assert summary.articles_stored == 1
    assert any(f.url == str(bad) and "unreadable WARC" in f.reason for f in summary.failures)


def test_warc_payload_size_cap(tmp_path):
    warc = write_warc(tmp_path / "big.warc", [("https://example.org/big", "200 OK", "text/html", "x" * 5000, "response")], False)
    (item,) = archives.read_warc(warc, max_bytes=1000)
    assert item.failure and "larger than 1000 bytes" in item.failure.reason


def test_url_list_is_fetched_like_feed_entries(http_server, tmp_path):
    for n in (1, 2):
        http_server.add(f"/p{n}.html", page(n))
    urls = tmp_path / "batch.urls"
    urls.write_text(f"# weekly batch\n{http_server.url('/p1.html')}\n\n{http_server.url('/p2.html?fbclid=x')}\n"
                    f"{http_server.url('/missing.html')}\nfile:///etc/passwd\nnot a url\n")
    db_path = tmp_path / "claims.db"
    summary = pipeline.ingest([urls], db_path, policy=fast_policy())
    db = store.open_db(db_path)
    assert {r["url"] for r in db.query("SELECT url FROM articles")} == {
        http_server.url("/p1.html"), http_server.url("/p2.html")}
    reasons = {f.url: f.reason for f in summary.failures}
    assert "HTTP 404" in reasons[http_server.url("/missing.html")]
    assert f"{urls}:6: not an http(s) URL" in reasons["file:///etc/passwd"]
    assert f"{urls}:7" in reasons["not a url"]

    again = pipeline.ingest([urls], db_path, policy=fast_policy())
    assert again.articles_stored == 0 and again.unchanged == 2
    assert http_server.requests_for("/p1.html")[-1].headers["if-none-match"]


def test_url_list_respects_address_safety(http_server, tmp_path):
    http_server.add("/p1.html", page(1))
    urls = tmp_path / "batch.urls"
    urls.write_text(http_server.url("/p1.html") + "\n")
    summary = pipeline.ingest([urls], tmp_path / "c.db", policy=fast_policy(allowed_networks=()))
    assert "non-public address" in summary.failures[0].reason and http_server.requests == []


def test_folder_mixes_files_urls_and_warcs(http_server, tmp_path):
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_text(page(1))
    (folder / "sub" / "b.txt").write_text("Miners shipped 700 tonnes of cobalt in May. Prices fell.\n")
    write_warc(folder / "sub" / "c.warc.gz", RECORDS[4:5], True)
    http_server.add("/p3.html", page(3))
    (folder / "list.urls").write_text(http_server.url("/p3.html") + "\n")
    (folder / "notes.csv").write_text("ignored")

    (folder_source,) = sources.sources_for([folder])
    assert [p.relative_to(folder).as_posix() for p in folder_source.files()] == [
        "a.html", "list.urls", "sub/b.txt", "sub/c.warc.gz"]  # one walk, name order, depth first
    summary = pipeline.ingest([folder], tmp_path / "c.db", policy=fast_policy())
    assert summary.failures == []
    assert store.open_db(tmp_path / "c.db")["articles"].count == 4


def test_unusable_paths_are_named(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "data.csv").write_text("a,b")
    failures = [job.failure for source in sources.sources_for([tmp_path / "empty", tmp_path / "data.csv",
                                                               tmp_path / "nope.warc"]) for job in source.jobs()]
    assert "folder holds no" in failures[0].reason
    assert "unsupported file type .csv" in failures[1].reason
    assert "no such file" in failures[2].reason


def test_cli_ingest_of_a_warc(tmp_path):
    from extractor.cli import cli

    warc = write_warc(tmp_path / "cc.warc.gz", RECORDS, True)
    result = CliRunner().invoke(cli, ["ingest", str(warc), "--db", str(tmp_path / "c.db")],
                                catch_exceptions=False)
    assert result.exit_code == 1  # the empty page failed; the rest went in
    assert "https://news.example.org/empty" in result.stderr
    assert "[1] https://news.example.org/a: 1 claims" in result.stderr  # plain lines, not a terminal
    assert store.open_db(tmp_path / "c.db")["articles"].count == 2

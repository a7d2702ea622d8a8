"""The fault matrix: one hostile item among good ones, against a local server (127.0.0.1).

For every fault: the run survives it (no exception, the summary and reconcile happen), the item
is recorded in fetch_log with its stage and reason (or, where nothing is lost, not at all), the
other items are stored as if it were not there, and the next run, once the site behaves, stores
it and resolves its failure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

import pytest

from extractor import claims as claims_stage
from extractor import fetch, pipeline, store, text
from httpserver import article_html, fast_policy, gzip_bomb, rss, tonnes_claims

GOOD = ("/a.html", "/c.html")
HOSTILE = "/x.html"


def page(n: int) -> str:
    return article_html(f"Port report {n}", f"Traders shipped {n},000 tonnes of copper through the port "
                        f"in week {n}, customs data showed.\n\nAnalysts said demand would hold up.")


@dataclass
class Fault:
    """What the hostile item does, and what the log must say of it (stage None: nothing lost,
    nothing recorded)."""

    serve: Callable  # serve(server): make HOSTILE (or the site) misbehave
    stage: Optional[str]
    reason: str = ""  # a pattern of the recorded reason
    policy: dict = field(default_factory=dict)
    hits: Optional[int] = None  # requests for HOSTILE in the first run, when it matters (retries)


def redirect_to(target: str):
    return lambda server: server.add(HOSTILE, "", status=302, headers={"Location": target})


def robots_redirect_to(target: str):
    return lambda server: server.add("/robots.txt", "", status=302, headers={"Location": target})


def serve(**options):
    body = options.pop("body", page(9))
    return lambda server: server.add(HOSTILE, body, **options)


FAULTS = {
    **{f"redirect to {target}": Fault(redirect_to(target), "fetch", r"refused redirect to .*scheme")
       for target in ("mailto:a@b.c", "javascript:alert(1)", "data:text/html,<p>1</p>", "about:blank",
                      "tel:+15551234", "urn:isbn:0451450523")},
    "redirect to http:foo (a relative path)": Fault(redirect_to("http:foo"), "fetch", r"HTTP 404"),
    "redirect to a malformed URL": Fault(redirect_to("http://[::1/"), "fetch", r"malformed redirect"),
    "redirect to a huge URL": Fault(redirect_to("http://example.org/" + "a" * 70_000), "fetch",
                                    r"refused redirect .*longer than 8192"),
    "redirect loop": Fault(redirect_to(HOSTILE), "fetch", r"redirect loop"),
    "redirect to the metadata address": Fault(redirect_to("http://169.254.169.254/latest/"), "fetch",
                                              r"non-public address 169.254.169.254"),
    **{f"robots.txt redirecting to {target}": Fault(robots_redirect_to(target), None)
       for target in ("mailto:a@b.c", "javascript:alert(1)", "http://[::1/")},
    "HTTP 500": Fault(serve(status=500), "fetch", r"HTTP 500.*gave up after 2 attempts", hits=2),
    "HTTP 404": Fault(serve(status=404), "fetch", r"HTTP 404", hits=1),
    "429 with Retry-After": Fault(serve(fail_first=1, fail_status=429, fail_headers={"Retry-After": "1"}), None,
                                  hits=2),
    "Retry-After beyond the cap": Fault(serve(fail_first=5, fail_status=503, fail_headers={"Retry-After": "3600"}),
                                        "fetch", r"Retry-After 3600 s is beyond", hits=1),
    "connection reset": Fault(serve(reset=True), "fetch", r"(ReadError|RemoteProtocolError|ConnectError).*gave up after 2",
                              hits=2),
    "headers never come": Fault(serve(delay=3.0), "fetch", r"timed out"),
    "headers drip in": Fault(serve(headers={"X-Pad": "p" * 2000}, header_drip=0.005), "fetch",
                             r"too slow: no complete response after 2 s", hits=1),
    "body drips": Fault(serve(body="x" * 4000, drip=0.05, chunk=20), "fetch", r"too slow"),
    "200 MB-like body without length": Fault(serve(body="x" * 100_000, send_length=False), "fetch",
                                             r"larger than 20000 bytes"),
    "gzip bomb": Fault(serve(body=gzip_bomb(5_000_000), encoded=True), "fetch", r"decompressed body larger"),
    "image": Fault(serve(body=b"\x89PNG\r\n\x1a\n", content_type="image/png"), "fetch",
                   r"unsupported content type 'image/png'"),
    "empty page": Fault(serve(body="<html><body></body></html>"), "text", r"no article text"),
}


@pytest.fixture(autouse=True)
def claims(monkeypatch):
    monkeypatch.setattr(claims_stage, "claims_for", tonnes_claims)


def make_site(server, tmp_path):
    for n, path in enumerate(GOOD, start=1):
        server.add(path, page(n))
    server.add(HOSTILE, page(9))
    links = [GOOD[0], HOSTILE, GOOD[1]]  # the hostile item in the middle
    server.add("/feed.xml", rss([(f"Item {p}", server.url(p)) for p in links]), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: local\n    url: {server.url('/feed.xml')}\n    group: test\n")
    return feeds_yaml


def policy(**overrides):
    # Timeouts far from both the good pages' answers and the faulty pages' stalls, either way.
    options = dict(read_timeout=1.0, total_timeout=2.0, retries=1, max_bytes=20_000, max_decoded_bytes=1_000_000)
    options.update(overrides)
    return fast_policy(**options)


def stored_urls(db_path) -> set[str]:
    return {row["url"] for row in store.open_db(db_path).query("SELECT url FROM articles")}


def log_row(db_path, url) -> Optional[dict]:
    rows = list(store.open_db(db_path).query("SELECT * FROM fetch_log WHERE url = ?", [url]))
    return rows[0] if rows else None


@pytest.mark.parametrize("name", FAULTS)
def test_fault_matrix(http_server, tmp_path, name):
    fault = FAULTS[name]
    feeds_yaml, db_path = make_site(http_server, tmp_path), tmp_path / "claims.db"
    fault.serve(http_server)
    hostile = http_server.url(HOSTILE)

    first = pipeline.run(feeds_yaml, db_path, group="test", policy=policy(**fault.policy), workers=2)

    good = {http_server.url(p) for p in GOOD}
    assert good <= stored_urls(db_path), "the other items are unaffected"
    assert not store.needs_reconcile(store.open_db(db_path)), "the run went on to reconcile"
    if fault.hits is not None:
        assert http_server.hits.get(HOSTILE, 0) == fault.hits
    if fault.stage is None:
        assert first.failures == [] and hostile in stored_urls(db_path)
        return
    assert [(f.url, f.stage) for f in first.failures] == [(hostile, fault.stage)]
    row = log_row(db_path, hostile)
    assert row["stage"] == fault.stage and re.search(fault.reason, row["reason"]), row
    assert row["resolved"] == 0 and hostile not in stored_urls(db_path)

    http_server.pages.pop("/robots.txt", None)
    http_server.add(HOSTILE, page(9))  # the site behaves again
    second = pipeline.run(feeds_yaml, db_path, group="test", policy=policy(**fault.policy), workers=2)

    assert second.failures == [] and second.articles_stored == 1
    assert stored_urls(db_path) == good | {hostile}
    assert log_row(db_path, hostile)["resolved"] == 1


@pytest.mark.parametrize("stage", ["fetch", "text", "claims", "store"])
def test_an_unforeseen_exception_in_any_stage_is_recorded_and_the_run_goes_on(http_server, tmp_path,
                                                                             monkeypatch, stage):
    feeds_yaml, db_path = make_site(http_server, tmp_path), tmp_path / "claims.db"
    hostile = http_server.url(HOSTILE)

    def breaks(original, pick):
        def wrapper(*args, **kwargs):
            if pick(*args, **kwargs):
                raise RuntimeError(f"injected fault in {stage}")
            return original(*args, **kwargs)
        return wrapper

    if stage == "fetch":
        monkeypatch.setattr(fetch.Fetcher, "fetch", breaks(fetch.Fetcher.fetch, lambda self, url, **_: url == hostile))
    elif stage == "text":
        monkeypatch.setattr(text, "article_from_html", breaks(text.article_from_html, lambda html, url, **_: url == hostile))
    elif stage == "claims":
        monkeypatch.setattr(claims_stage, "claims_for", breaks(tonnes_claims, lambda article, name: article.url == hostile))
    else:
        monkeypatch.setattr(store, "save_article", breaks(store.save_article, lambda db, article, found: article.url == hostile))

    summary = pipeline.run(feeds_yaml, db_path, group="test", policy=policy(), workers=2)

    assert [(f.url, f.stage) for f in summary.failures] == [(hostile, stage)]
    assert f"injected fault in {stage}" in log_row(db_path, hostile)["reason"]
    assert stored_urls(db_path) == {http_server.url(p) for p in GOOD}
    assert not store.needs_reconcile(store.open_db(db_path))


def test_a_hostile_site_ends_the_cli_run_with_its_summary_and_exit_1(http_server, tmp_path):
    from click.testing import CliRunner

    from extractor.cli import cli

    feeds_yaml = make_site(http_server, tmp_path)
    redirect_to("mailto:a@b.c")(http_server)
    result = CliRunner().invoke(cli, ["run", "--feeds", str(feeds_yaml), "--group", "test", "--db",
                                      str(tmp_path / "c.db"), "--allow-net", "127.0.0.0/8", "--delay", "0",
                                      "--no-progress"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Articles: 2 processed this run, 2 stored" in result.output and "Checks:" in result.output
    assert f"error: {http_server.url(HOSTILE)}: refused redirect to 'mailto:a@b.c'" in result.output
    assert "Traceback" not in result.output


# Ingest: URL lists, web archives and article files -----------------------------------------

def warc_records(count: int, *, without_uri: tuple = ()) -> list:
    return [(f"https://news.example.org/{n}", page(n), n in without_uri) for n in range(count)]


def write_warc(path, records, compress: bool):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        for uri, body, no_uri in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body.encode()), http_headers=http)
            if no_uri:
                record.rec_headers.remove_header("WARC-Target-URI")
            writer.write_record(record)
    return path


@pytest.mark.parametrize("compress", [True, False])
def test_a_warc_record_without_target_uri_is_recorded_and_the_others_stored(tmp_path, compress):
    warc = write_warc(tmp_path / ("a.warc.gz" if compress else "a.warc"), warc_records(5, without_uri=(2,)), compress)
    summary = pipeline.ingest([warc], tmp_path / "c.db", policy=policy())
    assert [(f.url, f.stage) for f in summary.failures] == [(f"{warc}#record3", "ingest")]
    assert "without WARC-Target-URI" in summary.failures[0].reason
    assert stored_urls(tmp_path / "c.db") == {f"https://news.example.org/{n}" for n in (0, 1, 3, 4)}


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("keep", [0.6, 0.999])
def test_a_truncated_warc_is_recorded_with_the_count_read(tmp_path, compress, keep):
    whole = write_warc(tmp_path / "whole.warc", warc_records(50), compress)
    data = whole.read_bytes()
    warc = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    warc.write_bytes(data[:int(len(data) * keep)])

    summary = pipeline.ingest([warc], tmp_path / "c.db", policy=policy())

    (failure,) = summary.failures
    read = int(re.search(r"(\d+) records read", failure.reason)[1])
    assert failure.url == str(warc) and failure.stage == "ingest" and "truncated WARC" in failure.reason
    assert 0 < read < 50 and summary.articles_stored == read
    assert log_row(tmp_path / "c.db", str(warc))["resolved"] == 0


def test_an_over_long_url_in_a_url_list_is_recorded_and_the_others_fetched(http_server, tmp_path):
    http_server.add("/a.html", page(1))
    urls = tmp_path / "batch.urls"
    urls.write_text(http_server.url("/" + "a" * 70_000) + "\n" + http_server.url("/a.html") + "\n")
    summary = pipeline.ingest([urls], tmp_path / "c.db", policy=policy())
    (failure,) = summary.failures
    assert failure.stage == "ingest" and f"{urls}:1: not an http(s) URL (URL longer than 8192" in failure.reason
    assert len(failure.url) < 300
    assert stored_urls(tmp_path / "c.db") == {http_server.url("/a.html")}


def test_an_article_file_the_database_refuses_is_recorded_and_the_batch_stored(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(6):
        (folder / f"{n}.html").write_text(page(n + 1))
    original = store.save_article

    def refuse(db, article, found):
        if article.url.endswith("3.html"):
            raise RuntimeError("injected write fault")
        return original(db, article, found)

    monkeypatch.setattr(store, "save_article", refuse)
    monkeypatch.setattr(store, "save_articles", lambda db, batch: (_ for _ in ()).throw(RuntimeError("batch refused")))
    summary = pipeline.ingest([folder], tmp_path / "c.db")
    assert [(f.url, f.stage) for f in summary.failures] == [(str(folder / "3.html"), "store")]
    assert summary.articles_stored == 5
    assert {u.rsplit("/", 1)[1] for u in stored_urls(tmp_path / "c.db")} == {f"{n}.html" for n in (0, 1, 2, 4, 5)}
    assert not store.needs_reconcile(store.open_db(tmp_path / "c.db"))

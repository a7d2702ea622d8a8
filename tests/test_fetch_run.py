"""`pipeline.run` over a local feed whose pages misbehave: every fault is logged, the rest stored,
and re-runs retry the failures while leaving unchanged articles alone."""
from __future__ import annotations

import re
import textwrap

import pytest

from extractor import claims as claims_stage
from extractor import pipeline, store
from httpserver import article_html, fast_policy, gzip_bomb, rss, tonnes_claims


@pytest.fixture(autouse=True)
def claims(monkeypatch):
    monkeypatch.setattr(claims_stage, "claims_for", tonnes_claims)
    monkeypatch.setattr(pipeline, "reconcile_db", lambda db: None)


def page(n: int, tonnes: int = 1000) -> str:
    return article_html(f"Shipment report {n}",
                        f"Exporters shipped {tonnes:,} tonnes of magnets in October, report {n} said.\n\n"
                        f"Officials expect more trade in the coming months, according to source {n}.")


FAULTS = {  # path: (options, stage, reason pattern)
    "/missing.html": (dict(status=404), "fetch", r"HTTP 404"),
    "/broken.html": (dict(status=500), "fetch", r"HTTP 500.*gave up after 2 attempts"),
    "/hang.html": (dict(delay=3.0), "fetch", r"timed out"),
    "/drip.html": (dict(drip=0.05, chunk=20), "fetch", r"too slow"),
    "/big.html": (dict(send_length=False), "fetch", r"larger than 20000 bytes"),
    "/bomb.html": (dict(encoded=True), "fetch", r"decompressed body larger"),
    "/loop.html": (dict(status=302, headers={"Location": "/loop.html"}), "fetch", r"redirect loop"),
    "/image.png": (dict(content_type="image/png"), "fetch", r"unsupported content type 'image/png'"),
    "/metadata.html": (dict(status=302, headers={"Location": "http://169.254.169.254/latest/"}), "fetch",
                       r"non-public address 169.254.169.254"),
    "/empty.html": (dict(), "text", r"no article text"),
}
BODIES = {"/big.html": "x" * 100_000, "/drip.html": "x" * 4000, "/bomb.html": gzip_bomb(5_000_000),
          "/image.png": b"\x89PNG\r\n\x1a\n", "/empty.html": "<html><body></body></html>"}


@pytest.fixture
def site(http_server, tmp_path):
    """A feed of three good pages, one rate-limited page and every kind of fault."""
    for n in (1, 2, 3):
        http_server.add(f"/good{n}.html", page(n), last_modified="Thu, 20 Nov 2025 08:00:00 GMT")
    http_server.add("/busy.html", page(4), fail_first=1, fail_status=429, fail_headers={"Retry-After": "1"})
    for path, (options, _, _) in FAULTS.items():
        http_server.add(path, BODIES.get(path, page(9)), **options)
    links = [f"/good{n}.html" for n in (1, 2, 3)] + ["/busy.html"] + list(FAULTS)
    items = [(f"Item {link}", http_server.url(link)) for link in links]
    items.append(("Local file", "file:///etc/passwd"))
    items.append(("Tracked copy", http_server.url("/good1.html?utm_source=rss&utm_medium=feed")))
    http_server.add("/feed.xml", rss(items), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(textwrap.dedent(f"""
        feeds:
          - name: local
            url: {http_server.url('/feed.xml')}
            group: test
    """))
    return http_server, feeds_yaml, tmp_path / "claims.db"


def policy():
    return fast_policy(read_timeout=1.0, total_timeout=2.0, retries=1, max_bytes=20_000,
                       max_decoded_bytes=1_000_000)


def run(feeds_yaml, db_path):
    return pipeline.run(feeds_yaml, db_path, group="test", policy=policy(), workers=4)


def log_rows(db_path):
    db = store.open_db(db_path)
    return {row["url"]: row for row in db.query("SELECT * FROM fetch_log")}


def test_every_fault_is_logged_and_the_rest_stored(site):
    server, feeds_yaml, db_path = site
    summary = run(feeds_yaml, db_path)

    db = store.open_db(db_path)
    stored = {row["url"] for row in db.query("SELECT url FROM articles")}
    assert stored == {server.url(p) for p in ("/good1.html", "/good2.html", "/good3.html", "/busy.html")}
    assert db["claims"].count == 4
    assert summary.articles_stored == 4 and summary.claims_stored == 4
    assert summary.articles_seen == 4 + len(FAULTS) + 1  # the tracked copy is the same URL as good1

    rows = log_rows(db_path)
    for path, (_, stage, reason) in FAULTS.items():
        row = rows[server.url(path)]
        assert row["stage"] == stage and re.search(reason, row["reason"]), (path, row)
        assert row["resolved"] == 0 and row["attempts"] == 1
    (local,) = [row for url, row in rows.items() if url.startswith("file:")]
    assert local["stage"] == "fetch" and "local files may not be read" in local["reason"]
    assert {f.url for f in summary.failures} == set(rows)
    assert server.hits["/busy.html"] == 2  # 429, waited Retry-After, then 200


def test_a_rerun_over_an_unchanged_feed_retries_only_the_failures(site):
    server, feeds_yaml, db_path = site
    run(feeds_yaml, db_path)
    stamps = {r["id"]: r["stored_at"] for r in store.open_db(db_path).query("SELECT id, stored_at FROM articles")}
    hits = dict(server.hits)

    summary = run(feeds_yaml, db_path)

    assert server.requests_for("/feed.xml")[-1].headers.get("if-none-match")  # conditional: 304
    for n in (1, 2, 3):
        assert server.hits[f"/good{n}.html"] == hits[f"/good{n}.html"], "a stored article is not refetched"
    assert server.hits["/missing.html"] == hits["/missing.html"] + 1, "a failure is retried"
    assert summary.articles_stored == 0 and summary.unchanged == 4
    db = store.open_db(db_path)
    assert {r["id"]: r["stored_at"] for r in db.query("SELECT id, stored_at FROM articles")} == stamps
    assert log_rows(db_path)[server.url("/missing.html")]["attempts"] == 2


def test_a_fixed_page_is_stored_and_its_failure_resolved(site):
    server, feeds_yaml, db_path = site
    run(feeds_yaml, db_path)
    server.add("/missing.html", page(5))
    summary = run(feeds_yaml, db_path)
    assert summary.articles_stored == 1
    assert log_rows(db_path)[server.url("/missing.html")]["resolved"] == 1
    assert store.open_db(db_path)["articles"].count == 5


def test_a_changed_feed_fetches_known_articles_conditionally(site):
    server, feeds_yaml, db_path = site
    run(feeds_yaml, db_path)
    server.add("/good1.html", page(1, tonnes=2500))  # changed text, new ETag
    feed = server.pages["/feed.xml"]
    server.add("/feed.xml", feed.body.replace(b"</channel>", b"<item><title>New</title><link>"
                                              + server.url("/good5.html").encode() + b"</link></item></channel>"),
               content_type="application/rss+xml")
    server.add("/good5.html", page(5))

    summary = run(feeds_yaml, db_path)

    good2 = server.requests_for("/good2.html")
    assert len(good2) == 2 and good2[-1].headers["if-none-match"]  # answered 304
    assert good2[-1].headers["if-modified-since"] == "Thu, 20 Nov 2025 08:00:00 GMT"
    assert summary.articles_stored == 2  # good1 changed, good5 new
    db = store.open_db(db_path)
    (claim,) = db.query("SELECT value FROM claims WHERE article_id = "
                        "(SELECT id FROM articles WHERE url = ?)", [server.url("/good1.html")])
    assert claim["value"] == 2500


def test_same_text_at_another_url_is_a_duplicate(site):
    server, feeds_yaml, db_path = site
    server.add("/copy-of-good2.html", page(2))
    feed = server.pages["/feed.xml"]
    server.add("/feed.xml", feed.body.replace(b"</channel>", b"<item><title>Copy</title><link>"
                                              + server.url("/copy-of-good2.html").encode() + b"</link></item></channel>"),
               content_type="application/rss+xml")
    summary = run(feeds_yaml, db_path)
    assert summary.duplicates == 1 and summary.articles_stored == 4
    urls = {row["url"] for row in store.open_db(db_path).query("SELECT url FROM articles")}
    assert server.url("/copy-of-good2.html") not in urls or server.url("/good2.html") not in urls


def test_claim_extraction_failure_is_logged_and_the_run_goes_on(site, monkeypatch):
    server, feeds_yaml, db_path = site

    def flaky(article, name):
        if "good2" in name:
            raise ValueError("cannot parse figure")
        return tonnes_claims(article, name)

    monkeypatch.setattr(claims_stage, "claims_for", flaky)
    summary = run(feeds_yaml, db_path)
    assert summary.articles_stored == 3
    row = log_rows(db_path)[server.url("/good2.html")]
    assert row["stage"] == "claims" and "cannot parse figure" in row["reason"]


def test_ill_formed_feed_is_recorded_and_its_entries_read(http_server, tmp_path):
    http_server.add("/a.html", page(1))
    http_server.add("/feed.xml", (f"<rss version='2.0'><channel><title>Bad &hellip;</title>"
                                  f"<item><title>A</title><link>{http_server.url('/a.html')}</link></item>"),
                    content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: bad\n    url: {http_server.url('/feed.xml')}\n")
    summary = pipeline.run(feeds_yaml, tmp_path / "c.db", policy=fast_policy())
    assert summary.articles_stored == 1 and summary.failures == []
    (warning,) = summary.warnings
    row = log_rows(tmp_path / "c.db")[http_server.url("/feed.xml")]
    assert row["stage"] == "feeds" and "ill-formed" in row["reason"] and warning.reason == row["reason"]


def test_unreachable_feed_is_a_failure_and_the_run_completes(http_server, tmp_path):
    http_server.add("/a.html", page(1))
    http_server.add("/good.xml", rss([("A", http_server.url("/a.html"))]), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: gone\n    url: {http_server.url('/gone.xml')}\n"
                          f"  - name: good\n    url: {http_server.url('/good.xml')}\n")
    summary = pipeline.run(feeds_yaml, tmp_path / "c.db", policy=fast_policy())
    assert summary.articles_stored == 1
    assert [(f.url, f.stage) for f in summary.failures] == [(http_server.url("/gone.xml"), "fetch")]


def test_remote_feed_cannot_reach_loopback_without_permission(http_server, tmp_path):
    http_server.add("/feed.xml", rss([("A", http_server.url("/a.html"))]), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: f\n    url: {http_server.url('/feed.xml')}\n")
    summary = pipeline.run(feeds_yaml, tmp_path / "c.db", policy=fast_policy(allowed_networks=()))
    (failure,) = summary.failures
    assert "non-public address" in failure.reason and http_server.requests == []


def test_demo_feeds_rerun_writes_nothing(tmp_path):
    from extractor.cli import default_feeds_path

    db_path = tmp_path / "demo.db"
    first = pipeline.run(default_feeds_path(), db_path)
    assert first.articles_stored >= 4 and not first.failures
    db = store.open_db(db_path)
    before = list(db.query("SELECT * FROM articles ORDER BY id"))
    second = pipeline.run(default_feeds_path(), db_path)
    assert second.articles_stored == 0 and second.unchanged == first.articles_stored + first.duplicates
    assert list(store.open_db(db_path).query("SELECT * FROM articles ORDER BY id")) == before


def test_checks_are_recomputed_only_when_something_changed(site, monkeypatch):
    server, feeds_yaml, db_path = site
    calls = []
    monkeypatch.setattr(pipeline, "reconcile_db", lambda db: (calls.append(1), store.mark_reconciled(db)))
    run(feeds_yaml, db_path)
    assert calls == [1]
    run(feeds_yaml, db_path)  # nothing new: the checks stand
    assert calls == [1]
    server.add("/missing.html", page(5))
    run(feeds_yaml, db_path)
    assert calls == [1, 1]

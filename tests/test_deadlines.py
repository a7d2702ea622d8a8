"""Time limits decided by counting, never by the wall clock: the fetcher's clock is injected
(FakeClock), so a deadline passes after a known number of socket operations, and politeness
waits are read from the clock's record instead of measured."""
from __future__ import annotations

import threading

import pytest

from extractor import claims as claims_stage
from extractor import collect, pipeline, store
from extractor.fetch import Fetcher, TooSlow
from httpserver import FakeClock, article_html, fast_policy, rss, tonnes_claims

PAGE = article_html("Magnet exports", "China exported 5,000 tonnes of magnets in October.")
PAD = {"X-Pad": "p" * 2000}  # 2 KB of headers: thousands of socket reads when dripped byte by byte


def ticking_policy(**overrides):
    """Every reading of the clock is one second later; 30 readings make the deadline."""
    clock = FakeClock(tick=1.0)
    options = dict(clock=clock, sleep=clock.sleep, total_timeout=30.0, read_timeout=5.0,
                   obey_robots=False, retries=2)
    options.update(overrides)
    return fast_policy(**options)


def test_a_normal_page_is_well_within_the_counted_deadline(http_server):
    url = http_server.add("/a.html", PAGE, headers=PAD)
    with Fetcher(ticking_policy()) as f:
        assert f.fetch(url).content == PAGE.encode()


def test_headers_dripping_in_are_cut_off_by_the_total_deadline(http_server):
    url = http_server.add("/drip-headers.html", PAGE, headers=PAD, header_drip=0.002)
    with Fetcher(ticking_policy()) as f, pytest.raises(TooSlow, match="too slow: no complete response after 30 s"):
        f.fetch(url)
    assert http_server.hits["/drip-headers.html"] == 1, "a deadline is final for this run, not retried"


def test_a_dripping_body_is_cut_off_by_the_same_deadline(http_server):
    url = http_server.add("/drip.html", "x" * 4000, drip=0.002, chunk=1)
    with Fetcher(ticking_policy()) as f, pytest.raises(TooSlow):
        f.fetch(url)


def test_politeness_delay_between_requests_to_one_host(http_server):
    url = http_server.add("/a.html", PAGE)
    clock = FakeClock()
    with Fetcher(fast_policy(politeness=0.1, clock=clock, sleep=clock.sleep)) as f:
        for _ in range(3):
            f.fetch(url)
    assert [r.path for r in http_server.requests] == ["/robots.txt"] + ["/a.html"] * 3
    # robots.txt at 0, then each page one politeness delay after the request before it
    assert clock.waits == pytest.approx([0.1, 0.1, 0.1])


def test_a_slow_page_holds_back_neither_the_fetching_nor_the_claims_of_the_others(http_server, tmp_path,
                                                                                monkeypatch):
    """The slow page is first in the feed; its server answers only once the claims of every
    other page have been read, which in-order collection could never do."""
    others = [f"/p{n}.html" for n in range(12)]
    release = threading.Event()
    http_server.add("/slow.html", article_html("Slow", "Exporters shipped 7 tonnes of tin in May."), hold=release)
    for n, path in enumerate(others):
        http_server.add(path, article_html(f"Page {n}", f"Exporters shipped {n + 10} tonnes of tin in May."))
    links = ["/slow.html"] + others
    http_server.add("/feed.xml", rss([(p, http_server.url(p)) for p in links]), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: f\n    url: {http_server.url('/feed.xml')}\n")

    read = []

    def claims(article, name):
        read.append(name)
        if len(read) == len(others):
            release.set()
        return tonnes_claims(article, name)

    written = []
    original = store.save_article
    monkeypatch.setattr(claims_stage, "claims_for", claims)
    monkeypatch.setattr(store, "save_article", lambda db, article, found: (written.append(article.url),
                                                                           original(db, article, found))[1])
    monkeypatch.setattr(collect, "HELD_BACK_LIMIT", 64)
    summary = pipeline.run(feeds_yaml, tmp_path / "c.db", policy=fast_policy(read_timeout=30, total_timeout=60),
                           workers=3)

    assert summary.failures == [] and summary.articles_stored == len(links)
    assert read[-1] == http_server.url("/slow.html"), "every other page was read before the slow one answered"
    assert written == [http_server.url(p) for p in links], "writes keep the input order"

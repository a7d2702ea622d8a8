"""The fetcher against a local server that misbehaves on purpose (127.0.0.1 only)."""
from __future__ import annotations


import pytest

from extractor import fetch
from extractor.fetch import Fetcher, FetchError, FetchPolicy
from httpserver import FakeClock, SleepLog, article_html, fast_policy, gzip_bomb

PAGE = article_html("Magnet exports", "China exported 5,000 tonnes of magnets in October.")


@pytest.fixture
def fetcher():
    with Fetcher(fast_policy()) as f:
        yield f


def test_fetches_a_page_with_user_agent_and_validators(http_server, fetcher):
    url = http_server.add("/a.html", PAGE, last_modified="Thu, 20 Nov 2025 08:00:00 GMT")
    got = fetcher.fetch(url)
    assert got.status == 200 and got.content == PAGE.encode()
    assert got.etag and got.last_modified == "Thu, 20 Nov 2025 08:00:00 GMT"
    (request,) = http_server.requests_for("/a.html")
    assert request.headers["user-agent"].startswith("extractor/")


def test_unchanged_page_answers_304_to_etag(http_server, fetcher):
    url = http_server.add("/a.html", PAGE)
    first = fetcher.fetch(url)
    again = fetcher.fetch(url, etag=first.etag)
    assert again.not_modified and again.content == b""
    assert http_server.requests_for("/a.html")[-1].headers["if-none-match"] == first.etag


def test_unchanged_page_answers_304_to_last_modified(http_server, fetcher):
    stamp = "Thu, 20 Nov 2025 08:00:00 GMT"
    url = http_server.add("/lm.html", PAGE, etag=False, last_modified=stamp)
    assert fetcher.fetch(url, last_modified=stamp).not_modified
    assert http_server.requests_for("/lm.html")[-1].headers["if-modified-since"] == stamp


def test_changed_page_is_fetched_again(http_server, fetcher):
    url = http_server.add("/a.html", PAGE)
    first = fetcher.fetch(url)
    http_server.add("/a.html", PAGE.replace("5,000", "6,000"))
    second = fetcher.fetch(url, etag=first.etag)
    assert not second.not_modified and b"6,000" in second.content and second.etag != first.etag


@pytest.mark.parametrize("status", [404, 410, 403])
def test_client_errors_fail_at_once(http_server, fetcher, status):
    url = http_server.add("/gone", "x", status=status)
    with pytest.raises(FetchError, match=f"HTTP {status}"):
        fetcher.fetch(url)
    assert http_server.hits["/gone"] == 1


def test_server_error_is_retried_with_backoff_then_fails(http_server):
    policy = fast_policy(retries=2, backoff=0.01)
    url = http_server.add("/err", "x", status=500)
    with Fetcher(policy) as f, pytest.raises(FetchError, match=r"HTTP 500.*after 3 attempts"):
        f.fetch(url)
    assert http_server.hits["/err"] == 3
    assert policy.sleep.waits == [0.01, 0.02]


def test_429_honours_retry_after_then_succeeds(http_server):
    policy = fast_policy()
    url = http_server.add("/busy", PAGE, fail_first=1, fail_status=429, fail_headers={"Retry-After": "2"})
    with Fetcher(policy) as f:
        assert f.fetch(url).content == PAGE.encode()
    assert policy.sleep.waits == [2.0]
    assert http_server.hits["/busy"] == 2


def test_retry_after_beyond_the_cap_fails_for_this_run(http_server):
    policy = fast_policy(max_retry_after=5)
    url = http_server.add("/busy", PAGE, fail_first=9, fail_status=429, fail_headers={"Retry-After": "3600"})
    with Fetcher(policy) as f, pytest.raises(FetchError, match="Retry-After 3600 s is beyond the 5 s cap"):
        f.fetch(url)
    assert policy.sleep.waits == [] and http_server.hits["/busy"] == 1


def test_503_then_success(http_server, fetcher):
    url = http_server.add("/flaky", PAGE, fail_first=2, fail_status=503)
    assert fetcher.fetch(url).status == 200


def test_timeout_before_headers(http_server):
    url = http_server.add("/hang", PAGE, delay=2.0)
    with Fetcher(fast_policy(read_timeout=0.5, retries=0, obey_robots=False)) as f, \
            pytest.raises(FetchError, match="timed out"):
        f.fetch(url)


def test_slow_drip_is_cut_off_by_the_total_timeout(http_server):
    url = http_server.add("/drip", "x" * 4000, drip=0.05, chunk=10)  # 20 s in full
    with Fetcher(fast_policy(total_timeout=1.0, retries=0, obey_robots=False)) as f, \
            pytest.raises(FetchError, match="too slow"):
        f.fetch(url)


def test_oversized_body_with_content_length(http_server):
    url = http_server.add("/big", "x" * 50_000)
    with Fetcher(fast_policy(max_bytes=10_000)) as f, pytest.raises(FetchError, match="Content-Length 50000"):
        f.fetch(url)


def test_oversized_body_without_content_length_is_stopped_while_streaming(http_server):
    url = http_server.add("/big", "x" * 200_000, send_length=False)
    with Fetcher(fast_policy(max_bytes=10_000)) as f, pytest.raises(FetchError, match="larger than 10000 bytes"):
        f.fetch(url)


def test_gzip_bomb_is_stopped_at_the_decoded_cap(http_server):
    bomb = gzip_bomb(30_000_000)
    assert len(bomb) < 100_000
    url = http_server.add("/bomb", bomb, encoded=True)
    with Fetcher(fast_policy(max_decoded_bytes=1_000_000)) as f:
        with pytest.raises(FetchError, match="decompressed body larger than 1000000"):
            f.fetch(url)


def test_gzip_body_is_decoded(http_server, fetcher):
    import gzip
    url = http_server.add("/gz", gzip.compress(PAGE.encode()), encoded=True)
    assert fetcher.fetch(url).content == PAGE.encode()


def test_redirect_loop_is_detected(http_server, fetcher):
    http_server.add("/loop-a", "", status=302, headers={"Location": "/loop-b"})
    url = http_server.add("/loop-b", "", status=302, headers={"Location": "/loop-a"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(url)


def test_redirect_limit(http_server):
    for n in range(10):
        http_server.add(f"/r{n}", "", status=301, headers={"Location": f"/r{n + 1}"})
    http_server.add("/r10", PAGE)
    with Fetcher(fast_policy(max_redirects=3)) as f:
        with pytest.raises(FetchError, match="too many redirects"):
            f.fetch(http_server.url("/r0"))
    with Fetcher(fast_policy(max_redirects=10)) as f:
        got = f.fetch(http_server.url("/r0"))
        assert got.url.endswith("/r10") and got.content == PAGE.encode()


def test_non_html_content_type_is_refused(http_server, fetcher):
    url = http_server.add("/img.png", b"\x89PNG\r\n", content_type="image/png")
    with pytest.raises(FetchError, match="unsupported content type 'image/png'"):
        fetcher.fetch(url)


@pytest.mark.parametrize("content_type", [
    "text/html; charset=utf-8", "application/rss+xml", "application/atom+xml", "text/xml",
    "application/xhtml+xml", "text/plain", "application/feed+json",
])
def test_feed_and_text_types_are_accepted(http_server, fetcher, content_type):
    url = http_server.add("/doc", PAGE, content_type=content_type)
    assert fetcher.fetch(url).status == 200


def test_loopback_is_refused_unless_allowed(http_server):
    url = http_server.add("/a.html", PAGE)
    with Fetcher(fast_policy(allowed_networks=())) as f:
        with pytest.raises(FetchError, match="non-public address 127.0.0.1"):
            f.fetch(url)
    assert http_server.hits.get("/a.html") is None  # refused before any request


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/",
    "http://[::1]/", "http://0.0.0.0/", "http://[::ffff:192.168.0.1]/",
])
def test_redirect_to_a_private_address_is_refused(http_server, fetcher, target):
    url = http_server.add("/jump", "", status=302, headers={"Location": target})
    with pytest.raises(FetchError, match="non-public address"):
        fetcher.fetch(url)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1:70/"])
def test_redirect_to_another_scheme_is_refused(http_server, fetcher, target):
    url = http_server.add("/jump", "", status=302, headers={"Location": target})
    with pytest.raises(FetchError, match="scheme"):
        fetcher.fetch(url)


def test_local_files_are_refused_for_remote_sources(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    with pytest.raises(FetchError, match="local files may not be read"):
        fetch.read_local(f"file://{secret}", allow_local=False)
    assert fetch.read_local(str(secret)).content == b"secret"


def test_robots_txt_is_obeyed_and_cached(http_server, fetcher):
    http_server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.add("/private/a.html", PAGE)
    open_url = http_server.add("/public/a.html", PAGE)
    with pytest.raises(FetchError, match="robots.txt"):
        fetcher.fetch(http_server.url("/private/a.html"))
    assert fetcher.fetch(open_url).status == 200
    assert http_server.hits["/robots.txt"] == 1
    assert "/private/a.html" not in http_server.hits


def test_robots_crawl_delay_spaces_requests(http_server):
    clock = FakeClock()
    http_server.add("/robots.txt", "User-agent: extractor\nCrawl-delay: 3\n", content_type="text/plain")
    url = http_server.add("/a.html", PAGE)
    with Fetcher(fast_policy(clock=clock, sleep=clock.sleep)) as f:
        f.fetch(url)
        f.fetch(url)
    assert clock.waits == [3.0]  # the Crawl-delay read with robots.txt spaces the two pages


def test_per_host_concurrency_is_bounded(http_server):
    from concurrent.futures import ThreadPoolExecutor
    import threading

    url = http_server.add("/slow.html", PAGE, delay=0.15)
    active, peak, lock = [0], [0], threading.Lock()
    original = http_server._answer

    def counting(handler):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            original(handler)
        finally:
            with lock:
                active[0] -= 1

    http_server._answer = counting
    with Fetcher(fast_policy(per_host=2, obey_robots=False)) as f, ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda _: f.fetch(url), range(6)))
    assert peak[0] == 2


def test_retry_after_http_date():
    assert fetch.retry_after_seconds("Thu, 01 Jan 2026 00:00:10 GMT", now=1767225600.0) == 10.0
    assert fetch.retry_after_seconds("120") == 120.0
    assert fetch.retry_after_seconds("soon") is None


@pytest.mark.parametrize("address, allowed", [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True), ("127.0.0.1", False),
    ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.0.1", False), ("169.254.169.254", False),
    ("::1", False), ("fe80::1", False), ("fc00::1", False), ("100.64.0.1", False),
    ("0.0.0.0", False), ("224.0.0.1", False), ("::ffff:10.0.0.1", False),
])
def test_address_policy(address, allowed):
    assert fetch.address_allowed(address) is allowed
    assert fetch.address_allowed(address, fetch.EVERY_NETWORK) is True


def test_default_policy_is_polite():
    policy = FetchPolicy()
    assert policy.politeness >= 1 and policy.obey_robots and policy.allowed_networks == ()
    assert "extractor" in policy.user_agent

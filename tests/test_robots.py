"""robots.txt as RFC 9309 reads it (Protego), against a local server."""
from __future__ import annotations

import pytest

from extractor.fetch import Fetcher, FetchError
from httpserver import article_html, fast_policy

PAGE = article_html("Magnet exports", "China exported 5,000 tonnes of magnets in October.")


@pytest.mark.parametrize("robots, refused, allowed", [
    ("User-agent: *\nDisallow: /*?page=\n", "/list?page=2", "/list?sort=new"),
    ("User-agent: *\nDisallow: /private$\n", "/private", "/private/notes"),
    ("User-agent: *\nAllow: /news/\nDisallow: /news/archive\n", "/news/archive", "/news/today"),
    ("User-agent: extractor\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "/anything", None),
])
def test_rules_are_read_as_the_standard_says(http_server, robots, refused, allowed):
    http_server.add("/robots.txt", robots, content_type="text/plain")
    for path in (refused, allowed):
        if path:
            http_server.add(path, PAGE)
    with Fetcher(fast_policy()) as f:
        with pytest.raises(FetchError, match="disallowed by robots.txt"):
            f.fetch(http_server.url(refused))
        if allowed:
            assert f.fetch(http_server.url(allowed)).status == 200
    assert refused not in http_server.hits


@pytest.mark.parametrize("status, allowed", [(404, True), (410, True), (401, False), (403, False), (503, False),
                                             (429, False)])
def test_what_a_robots_txt_status_means(http_server, status, allowed):
    http_server.add("/robots.txt", "x", status=status, content_type="text/plain")
    url = http_server.add("/a.html", PAGE)
    with Fetcher(fast_policy(retries=0)) as f:
        if allowed:
            assert f.fetch(url).status == 200
        else:
            with pytest.raises(FetchError, match=f"disallowed by robots.txt: robots.txt answered HTTP {status}"):
                f.fetch(url)
    assert http_server.hits["/robots.txt"] == 1


def test_a_redirected_robots_txt_is_followed(http_server):
    http_server.add("/robots.txt", "", status=301, headers={"Location": "/robots-real.txt"})
    http_server.add("/robots-real.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.add("/private/a.html", PAGE)
    with Fetcher(fast_policy()) as f, pytest.raises(FetchError, match="disallowed by robots.txt"):
        f.fetch(http_server.url("/private/a.html"))
    assert "/private/a.html" not in http_server.hits


def test_an_unreachable_robots_txt_forbids_the_host_for_this_run(http_server):
    http_server.add("/robots.txt", "User-agent: *\nAllow: /\n", delay=1.0, content_type="text/plain")
    url = http_server.add("/a.html", PAGE)
    with Fetcher(fast_policy(read_timeout=0.2, retries=0)) as f:
        with pytest.raises(FetchError, match="robots.txt unreachable .*retried on the next run"):
            f.fetch(url)
    assert "/a.html" not in http_server.hits

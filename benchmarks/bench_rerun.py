"""Re-run benchmark: a second `extractor run` over unchanged feeds against the first.

    .venv/bin/python -m benchmarks.bench_rerun [--n 400] [--feeds 4] [--workers 4]

N generated news pages (benchmarks/pages.py) are served from a local HTTP server on 127.0.0.1
with ETags, listed by F RSS feeds. Timed, in one process, with the claim pipeline loaded first
so neither run is charged for it:
  * first    — `pipeline.run` into a fresh database: every feed and page fetched, extracted, stored;
  * unchanged — the same run again: each feed answers 304, every entry is known, nothing is fetched;
  * touched  — every feed changed (a new <lastBuildDate>) but no page did: each known page is asked
    for conditionally (If-None-Match) and answers 304; nothing is extracted or written.
Goal: unchanged ÷ first < 5 %.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the local HTTP server of the test suite

from benchmarks.pages import generate  # noqa: E402
from extractor import claims, pipeline, store, text  # noqa: E402
from httpserver import LocalServer, fast_policy, rss  # noqa: E402

GOAL = 0.05


def _serve(server: LocalServer, pages: list[Path], feeds: int, build: str) -> list[str]:
    """Serve the pages and F feeds listing them; returns the feed URLs."""
    links = []
    for path in pages:
        links.append((path.stem, server.add(f"/news/{path.name}", path.read_bytes())))
    urls = []
    for number in range(feeds):
        body = rss(links[number::feeds], title=f"Feed {number}").replace(
            "<description>d</description>", f"<description>d</description><lastBuildDate>{build}</lastBuildDate>")
        urls.append(server.add(f"/feed{number}.xml", body, content_type="application/rss+xml"))
    return urls


def _timed(feeds_yaml: Path, db: Path, workers: int) -> tuple[float, pipeline.Summary]:
    policy = fast_policy(politeness=0.0, read_timeout=20.0, total_timeout=60.0, per_host=workers)
    started = time.perf_counter()
    summary = pipeline.run(feeds_yaml, db, policy=policy, workers=workers)
    return time.perf_counter() - started, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=400, help="pages")
    parser.add_argument("--feeds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="fetch threads")
    args = parser.parse_args()

    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}")
    claims.claims_for(text.article_from_text("China exported 5 tonnes of coal to Japan in May 2025.", "warm"), "warm")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = generate(tmp / "pages", args.n)
        server = LocalServer().start()
        try:
            urls = _serve(server, pages, args.feeds, "Thu, 20 Nov 2025 08:00:00 GMT")
            feeds_yaml = tmp / "feeds.yaml"
            feeds_yaml.write_text("feeds:\n" + "".join(
                f"  - name: feed{n}\n    url: {url}\n" for n, url in enumerate(urls)))
            db = tmp / "claims.db"

            first, s1 = _timed(feeds_yaml, db, args.workers)
            requests_before = len(server.requests)
            unchanged, s2 = _timed(feeds_yaml, db, args.workers)
            unchanged_requests = len(server.requests) - requests_before
            _serve(server, pages, args.feeds, "Fri, 21 Nov 2025 08:00:00 GMT")
            requests_before = len(server.requests)
            touched, s3 = _timed(feeds_yaml, db, args.workers)
            touched_requests = len(server.requests) - requests_before
            claims = store.open_db(db)["claims"].count
        finally:
            server.stop()

    print(f"pages {args.n}, feeds {args.feeds}, fetch threads {args.workers}")
    print(f"first      {first:8.2f} s  stored {s1.articles_stored} articles, {claims} claims, "
          f"{len(s1.failures)} failures")
    print(f"unchanged  {unchanged:8.2f} s  {unchanged / first:6.1%} of first; {unchanged_requests} requests, "
          f"stored {s2.articles_stored}, unchanged {s2.unchanged}")
    print(f"touched    {touched:8.2f} s  {touched / first:6.1%} of first; {touched_requests} requests, "
          f"stored {s3.articles_stored}, unchanged {s3.unchanged}")
    ok = unchanged / first < GOAL and s2.articles_stored == 0 and s3.articles_stored == 0
    print(f"goal unchanged/first < {GOAL:.0%}: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

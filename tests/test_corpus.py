"""Real-world robustness: every feed of the shared corpus (many ill-formed) and every news page
goes through parsing and extraction without an uncaught exception, each in bounded time."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from extractor import claims as claims_stage
from extractor import feeds, pipeline, text
from extractor.feeds import FeedConfig
from extractor.fetch import Fetcher
from httpserver import fast_policy

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
PER_FILE_SECONDS = 10.0  # generous: a hang or a pathological blow-up, not speed, is what fails

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason=f"shared corpus not found at {CORPUS}")


def corpus_files(folder: str, suffixes: tuple[str, ...]) -> list[Path]:
    root = CORPUS / folder
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in suffixes) if root.exists() else []


FEED_FILES = corpus_files("feeds", (".xml", ".rdf", ".json"))
HTML_FILES = corpus_files("html", (".html", ".htm"))


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


@pytest.mark.parametrize("path", FEED_FILES, ids=_id)
def test_corpus_feed_parses(path):
    feed = FeedConfig(name=path.stem, url="https://example.org/feed.xml")
    started = time.monotonic()
    entries, problem = feeds.parse_feed(path.read_bytes(), feed, base=feed.url)
    assert time.monotonic() - started < PER_FILE_SECONDS
    assert problem is None or (problem.stage == "feeds" and problem.reason)
    for entry in entries:
        assert entry.feed == path.stem and isinstance(entry.url, str) and entry.url


def test_ill_formed_corpus_feeds_are_reported():
    problems = [p for p in FEED_FILES if "/illformed/" in str(p) or "/entities/" in str(p)]
    assert problems, "the corpus lists ill-formed feeds"
    flagged = sum(feeds.parse_feed(p.read_bytes(), FeedConfig(name="x", url="u"), base="u")[1] is not None
                  for p in problems)
    assert flagged >= 0.9 * len(problems)


@pytest.mark.parametrize("path", HTML_FILES, ids=_id)
def test_corpus_page_extracts(path):
    started = time.monotonic()
    try:
        article = text.article_from_html(path.read_bytes(), f"https://example.org/{path.name}")
    except text.TextError:
        return  # a page without article text is a recorded failure, not a crash
    claims = claims_stage.claims_for(article, path.stem)
    assert time.monotonic() - started < PER_FILE_SECONDS
    assert article.text.strip() and article.fingerprint
    for claim in claims:
        assert article.text[claim.start:claim.end] == claim.sentence


HEADER = re.compile(rb"^Header:\s*Content-type:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def test_corpus_feeds_over_http(http_server):
    """Served with the content type their test header names, fetched and parsed like live feeds."""
    with Fetcher(fast_policy(obey_robots=False)) as fetcher:
        for number, path in enumerate(FEED_FILES):
            body = path.read_bytes()
            declared = HEADER.search(body[:2000])
            content_type = declared.group(1).decode("latin-1") if declared else "application/xml"
            url = http_server.add(f"/f{number}", body, content_type=content_type)
            try:
                fetched = fetcher.fetch(url)
            except Exception as err:  # noqa: BLE001 - reported with the file's name
                assert "unsupported content type" in str(err), f"{_id(path)}: {err}"
                continue
            feeds.parse_feed(fetched.content, FeedConfig(name="x", url=url), base=url)

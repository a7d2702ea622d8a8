"""The demo fixtures: four seed articles dressed as real news pages, a no-claim page, two feeds.

Each page wraps a seed's text in a fictional newsroom's chrome (navigation, subscribe box,
related articles, reader comments, footer), with figures planted in that chrome. These tests
pin that trafilatura, called as the text stage calls it, recovers every figure-bearing line of
the seed intact and nothing of the chrome, and reads the right title and publication date.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import feedparser
import lxml.html
import pytest
import trafilatura

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
ARTICLES = DEMO / "articles"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# The same options as extractor/text.py: without original_date, trafilatura reports a page's
# modified date (002 was updated the day after it was published).
DATE_PARAMS = {"extensive_search": False, "original_date": True}

STEMS = ["000_aad5f7c6210493b1", "001_ab0990ca4befeb81", "002_6c3cf06ab794cd16", "003_d627c6a13736f656"]

SITE_NAMES = {
    "000_aad5f7c6210493b1": "Pacific Rim Daily",
    "001_ab0990ca4befeb81": "Asia Markets Review",
    "002_6c3cf06ab794cd16": "Critical Minerals Ledger",
    "003_d627c6a13736f656": "The Metals Desk",
    "site-news": "Pacific Rim Daily",
}

# Lines of the seed .txt files that are their source site's chrome or byline, not article text.
SEED_CHROME = {
    "000_aad5f7c6210493b1": {
        "Asian American Daily", "Subscribe", "Subscribe Now\u00a0to receive Goldsea updates!",
        "  \u2022 Subscribe for updates on Goldsea: Asian American Daily", "Subscribe Now",
        "By Reuters | 19 Jan, 2026",
    },
    "001_ab0990ca4befeb81": {"in"},
    "002_6c3cf06ab794cd16": {
        "Table of Contents", "0 Comments",
        "\u00a9 2025 Rare Earth Exchanges\u2122 \u2013 Accelerating Transparency, Accuracy, and Insight "
        "Across the Rare Earth & Critical Minerals Supply Chain.",
    },
    "003_d627c6a13736f656": set(),
}

# Strings planted in each page's chrome (comments, related links, sidebars, footers, menus).
NOISE = {
    "000_aad5f7c6210493b1": [
        "10,000 tons", "3,310 tons", "1,200-ton", "20,000 tons", "14 billion yen", "35%", "48,000 readers",
        "9:41 am", "Pacific Rim Daily Media LLC", "Serving readers since 2001", "Subscribe Now",
        "Related Articles", "Leave a Reply", "3 Comments", "Tagged", "Newsletters", "Skip to content",
    ],
    "001_ab0990ca4befeb81": [
        "1,400 tons", "10,000 tons", "9,870 tons", "22.4%", "$60,000", "by 50%", "2.2 million tons",
        "1.5 trillion won", "31,000 professionals", "$29 a month", "2025/11/21", "Nov. 21, 2025",
        "Reader comments", "Read next", "Start free trial", "Most read", "Copyright", "Resources & Energy",
    ],
    "002_6c3cf06ab794cd16": [
        "10,000 tons", "In 2023", "10,500 tonnes", "38%", "1,834 tons", "61%", "45,455 tons",
        "12 months", "2,000 tpa", "12,500 analysts", "562,000 yuan", "up 25%", "December 22, 2025",
        "December 9, 2025", "Table of Contents", "Share this", "3 Comments", "Posted on",
        "Accelerating Transparency", "\u00a9", "CML Editorial Desk",
    ],
    "003_d627c6a13736f656": [
        "10,000 tons", "official number", "since 2011", "2 separation plants", "5.33 million tons", "4.1%",
        "3,900 tons", "A$1.2 billion", "$110 per kilogram", "15%", "98,000 yuan", "250 million tons",
        "6,000 meters", "9,412.50", "2,688.10", "571,500", "26,000 traders", "Jan 18, 2026", "4 min read",
        "Advertisement", "2009-2026", "15 minutes", "Staff Writer", "You may also like", "Most Popular",
    ],
    "site-news": [
        "3rd overseas bureau", "5 correspondents", "2,400 of you", "Reader since 2003", "3 friends",
        "48,000 readers", "Pacific Rim Daily Media LLC", "More From the Newsroom", "2 Comments",
        "12:10 pm",
    ],
}

SITE_NEWS_LINES = [
    "This month Pacific Rim Daily celebrates its 25th anniversary. We published our first edition in "
    "January 2001 from a two-room office above a bakery, with a staff of 4 and a lot of optimism.",
    "Last week our morning newsletter passed 10,000 subscribers, and we want to thank every one of you "
    "who opens it with your coffee.",
    "Readership grew 18% in 2025, and readers in Japan and the United States now make up 40% of our "
    "online audience.",
    "To celebrate, we are opening our full archive of 120,000 articles to all readers through the end of February.",
]
SITE_NEWS_DATE = "2026-01-20"
SITE_NEWS_TITLE = "Pacific Rim Daily Turns 25: Thank You, Readers"

NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _straight(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


@lru_cache(maxsize=None)
def page_html(name: str) -> str:
    return (ARTICLES / f"{name}.html").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def extracted_text(name: str) -> str:
    text = trafilatura.extract(
        page_html(name), output_format="txt", include_comments=False, include_tables=True,
        date_extraction_params=DATE_PARAMS, with_metadata=False,
    )
    assert text, f"trafilatura extracted nothing from {name}.html"
    return text


@lru_cache(maxsize=None)
def page_metadata(name: str):
    return trafilatura.extract_metadata(page_html(name), extensive=False)


@lru_cache(maxsize=None)
def bare_document(name: str):
    return trafilatura.bare_extraction(page_html(name), with_metadata=True, date_extraction_params=DATE_PARAMS)


@lru_cache(maxsize=None)
def seed_lines(stem: str) -> tuple[str, ...]:
    return tuple(line.rstrip() for line in (SEEDS / f"{stem}.txt").read_text(encoding="utf-8").splitlines())


def body_lines(stem: str) -> list[str]:
    return [line for line in seed_lines(stem) if line.strip() and line not in SEED_CHROME[stem]]


@pytest.fixture(scope="module")
def seed_index() -> dict[str, dict]:
    index = SEEDS / "articles.jsonl"
    if not index.is_file():
        pytest.skip(f"seed articles not found: {index} (expected ../shared/seeds beside the repo)")
    records = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {record["article"]: record for record in records}


def expected_title(record: dict) -> str:
    # articles.jsonl names 002 "<headline> (<site>)"; the page's own title is the headline
    return re.sub(r"\s*\([^()]*\)$", "", record["title"])


# ------------------------------------------------------------------------------------- pages

@pytest.mark.parametrize("stem", STEMS)
def test_every_figure_bearing_seed_line_is_extracted_intact(stem, seed_index):
    extracted = extracted_text(stem).splitlines()
    figure_lines = [line for line in body_lines(stem) if re.search(r"\d", line)]
    assert len(figure_lines) >= 5
    missing = [line for line in figure_lines if line not in extracted]
    assert missing == [], f"{stem}: lines with figures not extracted verbatim, one per line"


@pytest.mark.parametrize("stem", STEMS)
def test_extraction_is_article_text_only(stem, seed_index):
    body = set(body_lines(stem))
    foreign = [line for line in extracted_text(stem).splitlines() if line not in body]
    assert foreign == [], f"{stem}: extracted lines that are not the seed's article text"
    seed_numbers = set(NUMBER.findall("\n".join(seed_lines(stem))))
    assert set(NUMBER.findall(extracted_text(stem))) <= seed_numbers


@pytest.mark.parametrize("name", STEMS + ["site-news"])
def test_planted_noise_does_not_leak(name):
    page_text = lxml.html.fromstring(page_html(name)).text_content()
    text = extracted_text(name)
    for noise in NOISE[name]:
        assert noise in page_text, f"{name}: noise {noise!r} is not planted in the page"
        assert noise not in text, f"{name}: noise {noise!r} leaked into the extracted text"


@pytest.mark.parametrize("stem", STEMS)
def test_noise_strings_are_not_article_text(stem, seed_index):
    article = "\n".join(body_lines(stem))
    assert [noise for noise in NOISE[stem] if noise in article] == []


@pytest.mark.parametrize("stem", STEMS)
def test_metadata_title_date_and_site(stem, seed_index):
    record = seed_index[stem]
    for found in (page_metadata(stem), bare_document(stem)):
        assert found.date == record["published"]
        assert _straight(found.title) == expected_title(record)
        assert found.sitename == SITE_NAMES[stem]


def test_site_news_page_extracts_without_seeds():
    text = extracted_text("site-news").splitlines()
    assert [line for line in SITE_NEWS_LINES if line not in text] == []
    for found in (page_metadata("site-news"), bare_document("site-news")):
        assert (found.title, found.date, found.sitename) == (SITE_NEWS_TITLE, SITE_NEWS_DATE, "Pacific Rim Daily")


@pytest.mark.parametrize("name", STEMS + ["site-news"])
def test_pages_carry_the_required_head_and_body_parts(name):
    tree = lxml.html.fromstring(page_html(name))
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.iter("meta")}
    assert tree.findtext(".//title")
    for key in ("og:title", "og:site_name", "article:published_time", "description"):
        assert meta.get(key), f"{name}: <meta {key}> missing"
    assert meta["og:site_name"] == SITE_NAMES[name]
    assert re.match(r"\d{4}-\d{2}-\d{2}T", meta["article:published_time"])
    assert len(tree.findall(".//h1")) == 1
    assert len(tree.xpath("//header//a | //nav//a | //*[@id='topmenu']//a")) >= 10


# ------------------------------------------------------------------------------------- feeds

def _entry_date(entry) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"


@pytest.mark.parametrize("feed_name, version, count", [("rss.xml", "rss20", 5), ("atom.xml", "atom10", 4)])
def test_feed_parses_cleanly_and_lists_the_articles(feed_name, version, count, seed_index):
    feed_path = DEMO / feed_name
    parsed = feedparser.parse(str(feed_path))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    assert len(parsed.entries) == count
    assert len({entry.id for entry in parsed.entries}) == count
    by_link = {entry.link: entry for entry in parsed.entries}
    expected = {f"articles/{stem}.html": stem for stem in STEMS}
    if feed_name == "rss.xml":
        expected["articles/site-news.html"] = "site-news"
    assert set(by_link) == set(expected)
    for link, name in expected.items():
        entry = by_link[link]
        assert (feed_path.parent / link).is_file(), f"{feed_name}: {link} does not exist"
        assert entry.get("summary", "").strip().endswith(".")
        if name == "site-news":
            assert (_entry_date(entry), entry.title) == (SITE_NEWS_DATE, SITE_NEWS_TITLE)
        else:
            assert _entry_date(entry) == seed_index[name]["published"]
            assert _straight(entry.title) == expected_title(seed_index[name])


def test_feed_links_resolve_against_the_feed_location():
    content = (DEMO / "rss.xml").read_bytes()
    parsed = feedparser.parse(content, response_headers={"content-location": "http://127.0.0.1:8000/demo/rss.xml"})
    assert "http://127.0.0.1:8000/demo/articles/site-news.html" in {entry.link for entry in parsed.entries}

"""feeds.yaml validation and feed parsing."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from extractor import feeds
from extractor.feeds import ConfigError, FeedConfig

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_bundled_feeds_yaml_loads():
    config = feeds.load_config(REPO / "feeds.yaml")
    assert config.default_group == "demo"
    assert {f.name for f in config.selected()} == {"demo-rss", "demo-atom"}
    assert all(Path(f.url).is_absolute() for f in config.selected())


def test_groups_keywords_and_enabled(tmp_path):
    path = write(tmp_path, """
        feeds:
          - name: a
            url: https://example.org/a.xml
            group: news
            keywords: [export, tonnes]
          - name: b
            url: b.xml
            group: news
            enabled: false
          - name: c
            url: https://example.org/c.xml
            keywords: magnets
    """)
    config = feeds.load_config(path)
    assert [f.name for f in config.selected("news")] == ["a"]
    assert [f.name for f in config.selected()] == ["a", "c"]
    assert config.feeds[0].keywords == ["export", "tonnes"] and config.feeds[2].keywords == ["magnets"]
    assert config.feeds[1].url == str(tmp_path / "b.xml")
    assert config.groups() == ["default", "news"]


def test_unknown_group_is_named(tmp_path):
    path = write(tmp_path, """
        feeds:
          - {name: a, url: a.xml, group: news}
    """)
    with pytest.raises(ConfigError, match=r"no feed is in group 'sport' \(groups: news\)"):
        feeds.load_config(path).selected("sport")


@pytest.mark.parametrize("text, message", [
    ("feeds:\n  - name: a\n    url: a.xml\n    colour: red\n", r"line 2: unknown key\(s\) colour"),
    ("feeds:\n  - name: a\n    url: a.xml\n  - name: b\n", r"line 4: 'url' is required"),
    ("feeds:\n  - name: a\n    url: a.xml\n  - name: a\n    url: b.xml\n", r"line 4: feed name 'a' is used twice"),
    ("feeds:\n  - name: a\n    url: a.xml\n    enabled: maybe\n", r"line 2: 'enabled' must be true or false"),
    ("feeds:\n  - name: a\n    url: a.xml\n    keywords: [1, 2]\n", r"line 2: 'keywords' must be a list"),
    ("feeds:\n  - name: a\n    url: a.xml\n    group: [x]\n", r"line 2: 'group' must be a non-empty string"),
    ("feeds:\n  - name: a\n    url: ftp://example.org/a.xml\n", r"line 2: url scheme 'ftp' is not supported"),
    ("feeds:\n  - name: a\n    url: a.xml\n    name2: [\n", r"line 5: not valid YAML"),
    ("feeds:\n  - name: a\n    url: a.xml\ndefault_group: nope\n", r"default_group 'nope' has no feeds"),
    ("feed:\n  - name: a\n", r"expected a mapping with a 'feeds' list"),
    ("feeds:\n  - just-a-string\n", r"must be a mapping"),
    ("feeds: []\nextra: 1\n", r"unknown top-level key\(s\) extra"),
    ("", r"expected a mapping"),
])
def test_invalid_config_names_the_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as caught:
        feeds.load_config(path)
    assert str(path) in str(caught.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        feeds.load_config(tmp_path / "nope.yaml")


FEED = FeedConfig(name="t", url="https://example.org/feed.xml")


def test_well_formed_feed_gives_canonical_entries():
    xml = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
      <item><title>One</title><link>https://Example.org/a.html?utm_source=rss#top</link>
        <pubDate>Thu, 20 Nov 2025 08:00:00 GMT</pubDate></item>
      <item><title>Two</title><link>/b.html</link></item>
      <item><title>No link</title></item>
    </channel></rss>"""
    entries, problem = feeds.parse_feed(xml, FEED, base=FEED.url)
    assert problem is None
    assert [(e.url, e.published) for e in entries] == [
        ("https://example.org/a.html", "2025-11-20"), ("https://example.org/b.html", None)]


def test_ill_formed_feed_still_yields_entries_and_the_problem():
    xml = b"""<rss version="2.0"><channel><title>T &hellip;</title>
      <item><title>One &amp; &nbsp;</title><link>https://example.org/a?x=1&y=2</link></item>
      <item><title>Two</title><link>https://example.org/b</link></item>"""  # truncated
    entries, problem = feeds.parse_feed(xml, FEED, base=FEED.url)
    assert [e.url for e in entries] == ["https://example.org/a?x=1&y=2", "https://example.org/b"]
    assert problem.stage == "feeds" and problem.url == FEED.url and "ill-formed" in problem.reason


def test_not_a_feed():
    entries, problem = feeds.parse_feed(b"<html><body>hello</body></html>", FEED, base=FEED.url)
    assert entries == [] and problem is not None


def test_keywords_filter_entries():
    xml = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>Magnet EXPORTS rise</title><link>https://example.org/a</link></item>
      <item><title>Football</title><link>https://example.org/b</link></item>
      <item><title>Other</title><description>shipments of 5 tonnes</description><link>https://example.org/c</link></item>
    </channel></rss>"""
    feed = FeedConfig(name="t", url=FEED.url, keywords=["export", "Tonnes"])
    entries, _ = feeds.parse_feed(xml, feed, base=FEED.url)
    assert [e.url for e in entries] == ["https://example.org/a", "https://example.org/c"]


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    '<!DOCTYPE rss [<!ENTITY % ext SYSTEM "file://{secret}"> %ext;<!ENTITY xxe "x">]>',
    '<!DOCTYPE rss SYSTEM "file://{dtd}">',
])
def test_external_entities_are_never_resolved(tmp_path, doctype):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe SYSTEM "file://{secret}">')
    xml = (
        '<?xml version="1.0"?>' + doctype.format(secret=secret, dtd=dtd) +
        '<rss version="2.0"><channel><title>Feed &xxe;</title>'
        '<item><title>Item &xxe;</title><link>https://example.org/a</link>'
        '<description>Body &xxe;</description></item></channel></rss>'
    ).encode()
    entries, _ = feeds.parse_feed(xml, FEED, base=FEED.url)
    assert len(entries) == 1
    assert "TOP-SECRET" not in repr(entries)


def test_a_document_that_reads_as_a_path_is_never_opened(tmp_path):
    secret = tmp_path / "feed.xml"
    secret.write_text('<rss version="2.0"><channel><item><link>https://example.org/x</link></item></channel></rss>')
    entries, problem = feeds.parse_feed(str(secret).encode(), FEED, base=FEED.url)
    assert entries == [] and problem is not None


def test_a_document_that_reads_as_a_url_is_never_fetched(http_server):
    url = http_server.add("/feed.xml", '<rss version="2.0"><channel><item><link>https://example.org/x</link></item></channel></rss>')
    entries, problem = feeds.parse_feed(url.encode(), FEED, base=FEED.url)
    assert entries == [] and problem is not None
    assert http_server.requests == []


def test_entry_round_trips_through_a_dict():
    entry = feeds.FeedEntry(feed="t", url="https://example.org/a", title="A", published="2025-11-20")
    assert feeds.entry_from_dict(feeds.entry_to_dict(entry)) == entry


@pytest.mark.parametrize("url, canonical", [
    ("https://Example.org/a?utm_source=x&id=3#frag", "https://example.org/a?id=3"),
    ("https://example.org/a?fbclid=abc", "https://example.org/a"),
    ("https://example.org/story?story=9&page=2", "https://example.org/story?page=2&story=9"),
    ("/tmp/article.html", "/tmp/article.html"),
    ("https://[broken/", "https://[broken/"),
])
def test_canonical_url(url, canonical):
    assert feeds.canonical_url(url) == canonical

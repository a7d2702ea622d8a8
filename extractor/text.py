"""Text stage: article text and metadata from HTML (trafilatura) or plain text files."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Optional

import trafilatura

from extractor.types import Article

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}
ARTICLE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


class TextError(Exception):
    """No article text could be extracted; the message says why."""


def article_from_html(
    html: str | bytes, url: str, *, published: Optional[str] = None, feed: Optional[str] = None,
    title: Optional[str] = None,
) -> Article:
    """Extract the main text and metadata of a news page.

    The page's own date wins over `published` (the feed's or the user's). The extensive date
    search is off: it would guess a date from phrases such as "For all of 2025" in the body.
    """
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=False, date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        raise TextError("no article text found in the page")
    return Article(
        url=url, text=document.text, title=document.title or title,
        published=_iso_date(document.date) or published, feed=feed, sitename=document.sitename,
    )


def article_from_text(text: str, url: str, *, published: Optional[str] = None,
                      feed: Optional[str] = None, title: Optional[str] = None) -> Article:
    """A plain-text article: its text is used as it stands, so offsets match the file."""
    if not text.strip():
        raise TextError("the file is empty")
    if title is None:
        title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return Article(url=url, text=text, title=title, published=published, feed=feed)


def read_article_file(path: Path, *, published: Optional[str] = None, url: Optional[str] = None) -> Article:
    """An article from a .txt or .html file; raises OSError or TextError."""
    url = url or str(path.resolve())
    raw = path.read_bytes()
    if path.suffix.lower() in HTML_SUFFIXES:
        return article_from_html(raw, url, published=published)
    return article_from_text(decode_text(raw), url, published=published)


def decode_text(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _iso_date(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    match = _DATE.search(value)
    if not match:
        return None
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def parse_date(value: Optional[str]) -> Optional[date]:
    iso = _iso_date(value)
    return date.fromisoformat(iso) if iso else None

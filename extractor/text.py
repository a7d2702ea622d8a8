"""Text stage: article text and metadata from HTML (trafilatura) or plain text files."""
from __future__ import annotations

import logging
import re
from datetime import date
from html import unescape
from pathlib import Path
from typing import Optional

import trafilatura
from htmldate import find_date
from trafilatura import metadata as page_meta
from trafilatura.utils import line_processing, load_html

from extractor.types import Article

LOGGER = logging.getLogger(__name__)

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
    tree = load_html(html)
    meta = page_metadata(tree, url) if tree is not None else {}
    document = None if tree is None else trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True,
        favor_precision=False,
    )
    if document is None or not (document.text or "").strip():
        raise TextError("no article text found in the page")
    return Article(
        url=url, text=document.text, title=meta.get("title") or title,
        published=_iso_date(meta.get("date")) or published, feed=feed, sitename=meta.get("sitename"),
    )


DATE_PARAMS = {"extensive_search": False, "original_date": True}


def page_metadata(tree, url: str) -> dict:
    """Title, date and site name exactly as trafilatura's `extract_metadata` finds them, without
    the author, category, tag and licence searches it also runs: those took a third of its time
    (a quarter of a page's extraction) and we store none of them."""
    found = page_meta.examine_meta(tree)
    try:
        found = page_meta.extract_meta_json(tree, found)
    except Exception as err:  # trafilatura guards this call the same way: bugs in its JSON-LD reader
        LOGGER.warning("error in JSON metadata of %s: %s", url, err)
    title = found.title or page_meta.extract_title(tree)
    page_url = found.url or page_meta.extract_url(tree, url)
    published = find_date(tree, url=page_url, **DATE_PARAMS)
    sitename = found.sitename or page_meta.extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif page_url:
        match = page_meta.META_URL.match(page_url)
        sitename = match[1] if match else None
    return {"title": _clean(title), "date": _clean(published), "sitename": _clean(sitename)}


def _clean(value: Optional[str]) -> Optional[str]:
    """trafilatura's Document.clean_and_trim for one field."""
    if not isinstance(value, str):
        return value
    if len(value) > 10000:
        value = value[:9999] + "…"
    return line_processing(unescape(value))


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

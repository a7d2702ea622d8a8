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

from extractor import resources
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
    """A plain-text article: its text is used as it stands, so offsets match the file.

    Without a `title`, the first line that reads like a headline, else the file's name."""
    if not text.strip():
        raise TextError("the file is empty")
    if title is None:
        title = plain_text_title(text, fallback=_name_of(url))
    return Article(url=url, text=text, title=title, published=published, feed=feed)


def read_article_file(path: Path, *, published: Optional[str] = None, url: Optional[str] = None,
                      title: Optional[str] = None) -> Article:
    """An article from a .txt or .html file; raises OSError or TextError.

    A `title` given (the user's `--title`) wins over the page's own and over the first-line guess."""
    url = url or str(path.resolve())
    raw = path.read_bytes()
    if path.suffix.lower() in HTML_SUFFIXES:
        article = article_from_html(raw, url, published=published)
        if title is not None:
            article.title = title
        return article
    return article_from_text(decode_text(raw), url, published=published, title=title)


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


# -- the title of a plain-text article: the first line that reads like a headline

TITLE_LINES_SEEN = 40  # a headline stands near the top, after at most a menu's worth of furniture
HEADLINE_WORDS = (4, 30)  # fewer is a label ("Latest News"), more a paragraph
HEADLINE_MAX_CHARS = 250
BODY_WORDS = 15  # a line this long that ends as a sentence is the story's text
_OPENING_QUOTES = "\"“‘'«"
_WORD = re.compile(r"[^\W\d_][\w'’.&-]*")
_EDGE = re.compile(r"^[\s•*|·>»›–—-]+|[\s•*|·]+$")
_DOMAIN = re.compile(r"\s+(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.)+$")
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý'’.]+(?:\s[A-ZÀ-Ý][A-ZÀ-Ý'’.]+)*\s*(?:,[^–—]{0,40}?)?\s*(?:\([^)]*\)\s*)?[–—:-]")
_GLUED = re.compile(r"[a-z][A-Z][a-z]+[A-Z]")  # "sitesLoginContactSupport": menu items run together
_DATE_WORDS = frozenset("""am pm gmt utc est edt bst cet ist ict jst hkt sgt published updated posted on at th st nd rd
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    today yesterday ago hour hours minute minutes day days week weeks month months year years""".split())


def plain_text_title(text: str, fallback: Optional[str] = None) -> Optional[str]:
    """The first line of `text` that reads like a headline: several words, mostly letters, not
    site furniture (models/page_furniture.jsonl), a ticker or price line, a date, a byline, a
    dateline that opens the body, or a paragraph; else `fallback` (the file's name)."""
    lines = (line.strip() for line in text.splitlines())
    for line in [line for line in lines if line][:TITLE_LINES_SEEN]:
        headline = headline_of(line)
        if headline:
            return headline
        if _is_body_paragraph(line):  # the story has begun: what follows are subheads and links
            break
    return fallback


def headline_of(line: str) -> Optional[str]:
    """`line` as a headline (a closing site name or web address dropped), or None when it is not one."""
    furniture = resources.page_furniture()
    line = _EDGE.sub("", line)
    low = line.lower()
    if not line or low in furniture["line"] or _URL.match(line):
        return None
    if any(low.startswith(p) for p in furniture["prefix"]) or any(part in low for part in furniture["contains"]):
        return None
    line = _without_site_suffix(_DOMAIN.sub("", line), furniture["suffix"])
    words = _WORD.findall(line)
    if not HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1] or len(line) > HEADLINE_MAX_CHARS:
        return None
    if _mostly_not_letters(line) or _is_date_line(words) or _GLUED.search(line) or _DATELINE.match(line):
        return None
    if line.endswith(".") and not _ABBREVIATION_END.search(line):  # a sentence of the body
        return None
    if line[0] in _OPENING_QUOTES or line.count(" / ") >= 2 or line.count(" > ") >= 2:  # a quotation, a breadcrumb
        return None
    return line


def _is_body_paragraph(line: str) -> bool:
    """A sentence of the story (not furniture): many words, ending as sentences end."""
    low = line.lower()
    furniture = resources.page_furniture()
    if any(low.startswith(p) for p in furniture["prefix"]) or any(part in low for part in furniture["contains"]):
        return False
    return len(_WORD.findall(line)) >= BODY_WORDS and line.rstrip("\"”’)").endswith((".", "!", "?"))


def _without_site_suffix(line: str, names: frozenset) -> str:
    for sep in (" - ", " | ", " – ", " — ", "-", "|"):
        head, found, tail = line.rpartition(sep)
        if found and head and tail.strip().lower() in names:
            return head.strip()
    return line


def _mostly_not_letters(line: str) -> bool:
    """Tickers, prices, tables and widgets: under 60% of the visible characters are letters."""
    visible = [ch for ch in line if not ch.isspace()]
    return sum(ch.isalpha() for ch in visible) < 0.6 * len(visible)


def _is_date_line(words: list[str]) -> bool:
    """A date, a time or a 'published ... ago' line: under two words once dates are taken out."""
    months = resources.month_names()
    rest = [w for w in words if w.lower().rstrip(".,") not in months and w.lower().rstrip(".,") not in _DATE_WORDS]
    return len(rest) < 2


def _name_of(url: str) -> Optional[str]:
    """The file's name without its extension (the article's name in claims), or the URL's last part."""
    from urllib.parse import urlparse

    parsed = urlparse(url)
    path = parsed.path if parsed.scheme in ("http", "https") else url
    return Path(path).stem or parsed.netloc or url

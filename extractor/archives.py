"""Archives: what `extractor ingest` reads, turned into items for the pipeline.

- article files: `.html`, `.htm`, `.xhtml`, `.txt`, `.text`;
- URL lists: files named `*.urls`, one http(s) URL a line (blank lines and `#` comments
  skipped); each URL is fetched like a feed entry;
- web archives: `.warc` and `.warc.gz` files (warcio); each `response` (or `resource`) record
  with a 200 status and an HTML or plain-text payload is an article captured at its target
  URI, e.g. Common Crawl's news collection;
- folders: every file of those kinds below them, in name order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from extractor import fetch, text
from extractor.feeds import canonical_url
from extractor.types import Failure

URL_LIST_SUFFIX = ".urls"
WARC_SUFFIXES = (".warc", ".warc.gz")
ARCHIVE_KINDS = "article files (.html, .htm, .txt), URL lists (.urls) or WARC files (.warc, .warc.gz)"
CAPTURE_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}


@dataclass
class Item:
    """One article to collect: a local file, a URL to fetch, or a page captured in a WARC."""

    kind: str  # "file" | "url" | "capture"
    url: str  # the article's identity: its canonical URL, or the file's absolute path
    name: str  # what its claims cite as their article
    source: str  # where it was found, for messages
    content: Optional[bytes] = None  # a capture's payload
    content_type: str = ""
    captured: Optional[str] = None  # a capture's date (WARC-Date), the last resort for `published`
    failure: Optional[Failure] = None


def kind_of(path: Path) -> Optional[str]:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(URL_LIST_SUFFIX):
        return "urls"
    if path.suffix.lower() in text.ARTICLE_SUFFIXES:
        return "article"
    return None


def items(paths: Iterable[Path], *, max_bytes: int = fetch.MAX_BYTES) -> Iterator[Item]:
    """Every item under `paths`; unusable paths come as items carrying their failure."""
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and kind_of(p))
            if not found:
                yield _failed(path, "ingest", f"folder holds no {ARCHIVE_KINDS}")
            for item in found:
                yield from _items_of(item, max_bytes)
        elif not path.exists():
            yield _failed(path, "ingest", "no such file or folder")
        elif kind_of(path) is None:
            yield _failed(path, "ingest", f"unsupported file type {path.suffix or '(none)'}; expected {ARCHIVE_KINDS}")
        else:
            yield from _items_of(path, max_bytes)


def _items_of(path: Path, max_bytes: int) -> Iterator[Item]:
    kind = kind_of(path)
    if kind == "warc":
        yield from read_warc(path, max_bytes=max_bytes)
    elif kind == "urls":
        yield from read_url_list(path)
    else:
        absolute = str(path.resolve())
        yield Item(kind="file", url=absolute, name=path.stem, source=absolute)


def _failed(path: Path, stage: str, reason: str) -> Item:
    return Item(kind="file", url=str(path), name=path.stem, source=str(path),
                failure=Failure(str(path), stage, reason))


def read_url_list(path: Path) -> Iterator[Item]:
    """The URLs of a `.urls` file; a line that is not an http(s) URL is a failure naming it."""
    try:
        lines = text.decode_text(path.read_bytes()).splitlines()
    except OSError as err:
        yield _failed(path, "ingest", f"cannot read: {err.strerror or err}")
        return
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path}:{number}"
        if not fetch.is_remote(line):
            yield Item(kind="url", url=line, name=line, source=where,
                       failure=Failure(line, "ingest", f"{where}: not an http(s) URL"))
            continue
        url = canonical_url(line)
        yield Item(kind="url", url=url, name=url, source=where)


def read_warc(path: Path, *, max_bytes: int = fetch.MAX_BYTES) -> Iterator[Item]:
    """Captured pages of a WARC file; other records (requests, metadata, images) are skipped."""
    try:
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                item = _capture(path, number, record, max_bytes)
                if item is not None:
                    yield item
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as err:
        yield _failed(path, "ingest", f"unreadable WARC: {type(err).__name__}: {err}")


def _capture(path: Path, number: int, record, max_bytes: int) -> Optional[Item]:
    if record.rec_type not in ("response", "resource"):
        return None
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in CAPTURE_TYPES or not uri:
        return None
    url = canonical_url(uri)
    source = f"{path}#record{number}"
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Item(kind="capture", url=url, name=url, source=source,
                    failure=Failure(url, "ingest", f"{source}: payload larger than {max_bytes} bytes"))
    date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    return Item(kind="capture", url=url, name=url, source=source, content=body,
                content_type=content_type, captured=date)

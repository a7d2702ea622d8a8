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

import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.statusandheaders import StatusAndHeadersParser, StatusAndHeadersParserException

from extractor import fetch, text
from extractor.feeds import canonical_url
from extractor.types import Failure

URL_LIST_SUFFIX = ".urls"
WARC_SUFFIXES = (".warc", ".warc.gz")
ARCHIVE_KINDS = "article files (.html, .htm, .txt), URL lists (.urls) or WARC files (.warc, .warc.gz)"
CAPTURE_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}

try:  # FastWARC (resiliparse) where its wheel installs; warcio reads the same records otherwise
    from fastwarc.warc import ArchiveIterator as FastArchiveIterator
    WARC_READER = "fastwarc"
except ImportError:  # pragma: no cover - a platform without the wheel
    WARC_READER = "warcio"


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
    offset: Optional[int] = None  # where a capture's record starts in its (compressed) WARC file


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
                yield from _guarded(item, max_bytes)
        elif not path.exists():
            yield _failed(path, "ingest", "no such file or folder")
        elif kind_of(path) is None:
            yield _failed(path, "ingest", f"unsupported file type {path.suffix or '(none)'}; expected {ARCHIVE_KINDS}")
        else:
            yield from _guarded(path, max_bytes)


def _guarded(path: Path, max_bytes: int) -> Iterator[Item]:
    """The items of one file; a fault reading it ends that file as a failure, not the ingest."""
    try:
        yield from _items_of(path, max_bytes)
    except Exception as err:
        yield _failed(path, "ingest", f"cannot read: {type(err).__name__}: {err}")


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
        problem = fetch.url_problem(line)
        if problem:
            shown = fetch.shorten(line)
            yield Item(kind="url", url=shown, name=shown, source=where,
                       failure=Failure(shown, "ingest", f"{where}: not an http(s) URL ({problem})"))
            continue
        url = canonical_url(line)
        yield Item(kind="url", url=url, name=url, source=where)


class TruncatedArchive(Exception):
    """The archive ends in the middle of a record (an interrupted download or copy)."""


class CorruptArchive(Exception):
    """The archive's compressed data is damaged."""


class _GzipReader:
    """A gzip file of one or many members read as one stream. Everything up to the point of
    damage is delivered; the read after it raises TruncatedArchive, not the EOFError warcio
    takes for a clean end of the archive."""

    CHUNK = 1 << 16

    def __init__(self, path: Path):
        self._file = path.open("rb")
        self._unzip = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self._buffer = b""
        self._position = 0
        self._ended = False  # the file is read to its end
        self._started = False  # the current member has received bytes

    def _fill(self, wanted: int) -> None:
        while len(self._buffer) < wanted and not self._ended:
            data = self._unzip.unused_data if self._unzip.eof else b""
            if self._unzip.eof:
                self._unzip, self._started = zlib.decompressobj(zlib.MAX_WBITS | 16), False
            data += self._file.read(self.CHUNK) if not data else b""
            if not data:
                self._ended = True
                if self._started and not self._unzip.eof:
                    self._damage = TruncatedArchive("the last gzip member is cut short")
                return
            self._started = True
            try:
                self._buffer += self._unzip.decompress(data)
            except zlib.error as err:
                self._ended, self._damage = True, CorruptArchive(f"corrupt gzip data: {err}")
                return

    def read(self, size: int = -1) -> bytes:
        self._fill(size if size is not None and size >= 0 else 1 << 62)
        if not self._buffer and getattr(self, "_damage", None):
            raise self._damage
        size = len(self._buffer) if size is None or size < 0 else size
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        self._position += len(out)
        return out

    def readline(self, size: int = -1) -> bytes:
        while b"\n" not in self._buffer and not self._ended:
            self._fill(len(self._buffer) + self.CHUNK)
        end = self._buffer.find(b"\n") + 1 or len(self._buffer)
        if size is not None and size >= 0:
            end = min(end, size)
        return self.read(end) if end else self.read(0)

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _open_warc(path: Path):
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return _GzipReader(path) if gzipped else path.open("rb")


def read_warc(path: Path, *, max_bytes: int = fetch.MAX_BYTES, reader: Optional[str] = None) -> Iterator[Item]:
    """Captured pages of a WARC file; other records (requests, metadata, images) are skipped.

    A record without a target URI is a failure naming it; an archive that ends inside a record
    is a failure saying how many records were read before it. `reader` is "fastwarc" (the
    default where it is installed: it reads the same records two to three times faster, see
    benchmarks/README.md) or "warcio".
    """
    if (reader or WARC_READER) == "fastwarc":
        yield from _read_fastwarc(path, max_bytes)
        return
    yield from _read_warcio(path, max_bytes)


def _read_warcio(path: Path, max_bytes: int) -> Iterator[Item]:
    read = 0
    try:
        with _open_warc(path) as stream:
            records = ArchiveIterator(stream, no_record_parse=True)
            for number, record in enumerate(records, start=1):
                item = _capture(path, number, record, max_bytes)
                _check_complete(record)
                read = number
                if item is not None:
                    # offsets in a gzip file read through _GzipReader are decompressed ones: no use
                    item.offset = None if isinstance(stream, _GzipReader) else records.get_record_offset()
                    yield item
            if not isinstance(stream, _GzipReader) and records.offset < path.stat().st_size:
                raise TruncatedArchive(f"{path.stat().st_size - records.offset} bytes after the last record")
    except TruncatedArchive as err:
        yield _truncated(path, read, err)
    except Exception as err:  # warcio on a damaged archive: recorded with how far it got
        yield _unreadable(path, read, err)


def _truncated(path: Path, read: int, err: Exception) -> Item:
    return _failed(path, "ingest", f"truncated WARC: it ends inside record {read + 1} ({err}); "
                                   f"{read} records read before it")


def _unreadable(path: Path, read: int, err: Exception) -> Item:
    return _failed(path, "ingest", f"unreadable WARC after {read} records: {type(err).__name__}: {err}")


def _read_fastwarc(path: Path, max_bytes: int) -> Iterator[Item]:
    """read_warc with FastWARC. FastWARC stops quietly where an archive is cut short, so each
    record's block is checked against its Content-Length and the bytes after the last record
    are checked to be nothing, as warcio's reader does."""
    read, last = 0, None
    try:
        with path.open("rb") as stream:
            gzipped = stream.read(2) == b"\x1f\x8b"
            stream.seek(0)
            records = FastArchiveIterator(stream, parse_http=False, auto_decode="none")
            for number, record in enumerate(records, start=1):
                block = record.reader.read()
                if record.headers.get("Content-Length") is None:
                    raise TruncatedArchive("the record's headers are cut short")
                if len(block) < record.content_length:
                    raise TruncatedArchive("the record is shorter than its Content-Length")
                item = _capture_block(path, number, record.headers, block, max_bytes)
                read, last = number, (record.stream_pos, record.content_length)
                if item is not None:
                    item.offset = record.stream_pos
                    yield item
        _check_end(path, gzipped, last)
    except TruncatedArchive as err:
        yield _truncated(path, read, err)
    except Exception as err:  # FastWARC on a damaged archive: recorded with how far it got
        yield _unreadable(path, read, err)


def _check_end(path: Path, gzipped: bool, last: Optional[tuple]) -> None:
    """Raise TruncatedArchive unless the archive ends where its last record does."""
    size = path.stat().st_size
    start, length = last if last else (0, None)
    with path.open("rb") as stream:
        stream.seek(start)
        if gzipped:
            _check_gzip_tail(stream, skip_first=last is not None)
            return
        if last is None:
            end = 0
        else:
            head = stream.read(65536)
            cut = head.find(b"\r\n\r\n")
            end = start + cut + 4 + length + 4  # headers, blank line, block, two CRLFs
    if end < size:
        raise TruncatedArchive(f"{size - end} bytes after the last record")


def _check_gzip_tail(stream, skip_first: bool) -> None:
    """Decompress the gzip members from the last record's on: each must end, and nothing but
    complete members may follow (a reader that found no more records left them unread)."""
    data, members = stream.read(), 0
    while data:
        inflate = zlib.decompressobj(31)
        inflate.decompress(data)
        if not inflate.eof:
            raise TruncatedArchive("the last gzip member is cut short")
        data, members = inflate.unused_data, members + 1
    if members > (1 if skip_first else 0):
        raise TruncatedArchive(f"{members - 1} gzip members after the last record could not be read")


def _capture_block(path: Path, number: int, headers, block: bytes, max_bytes: int) -> Optional[Item]:
    """_capture for a record read whole (WARC headers as a mapping, the block as bytes)."""
    rec_type = headers.get("WARC-Type")
    if rec_type not in ("response", "resource"):
        return None
    source = f"{path}#record{number}"
    uri = (headers.get("WARC-Target-URI") or "").strip()
    if not uri:
        return Item(kind="capture", url=source, name=source, source=source,
                    failure=Failure(source, "ingest", f"{source}: {rec_type} record without WARC-Target-URI"))
    payload = io.BytesIO(block)
    http = None
    if rec_type == "response":
        if not uri.lower().startswith(("http:", "https:")):
            return None  # e.g. a dns: record
        try:
            http = HTTP_PARSER.parse(payload)
        except (StatusAndHeadersParserException, EOFError, ValueError) as err:
            return Item(kind="capture", url=source, name=source, source=source,
                        failure=Failure(source, "ingest", f"{source}: unreadable HTTP headers: {err}"))
        if http.get_statuscode() != "200":
            return None
        content_type = http.get_header("Content-Type") or ""
    else:
        content_type = headers.get("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in CAPTURE_TYPES:
        return None
    url = canonical_url(uri)
    body = _decoded(payload, http).read(max_bytes + 1)
    if len(body) > max_bytes:
        return Item(kind="capture", url=url, name=url, source=source,
                    failure=Failure(url, "ingest", f"{source}: payload larger than {max_bytes} bytes"))
    date = (headers.get("WARC-Date") or "")[:10] or None
    return Item(kind="capture", url=url, name=url, source=source, content=body,
                content_type=content_type, captured=date)


def _decoded(payload, http):
    """The payload with its transfer and content encodings undone, as warcio's content_stream."""
    if http is None:
        return payload
    encoding = (http.get_header("content-encoding") or "").lower() or None
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    if http.get_header("transfer-encoding") == "chunked":
        return ChunkedDataReader(payload, decomp_type=encoding)
    return BufferedReader(payload, decomp_type=encoding) if encoding else payload


def _check_complete(record) -> None:
    """Read the rest of the record's block; raise TruncatedArchive when the file ended first."""
    while record.raw_stream.read(65536):
        pass
    if record.length is None or getattr(record.raw_stream, "limit", 0) > 0:
        raise TruncatedArchive("the record is shorter than its Content-Length")


HTTP_PARSER = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"])


def _capture(path: Path, number: int, record, max_bytes: int) -> Optional[Item]:
    if record.rec_type not in ("response", "resource"):
        return None
    source = f"{path}#record{number}"
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    if not uri:
        return Item(kind="capture", url=source, name=source, source=source,
                    failure=Failure(source, "ingest", f"{source}: {record.rec_type} record without WARC-Target-URI"))
    if record.rec_type == "response":
        if not uri.lower().startswith(("http:", "https:")):
            return None  # e.g. a dns: record
        try:
            record.http_headers = HTTP_PARSER.parse(record.raw_stream)
        except (StatusAndHeadersParserException, EOFError, ValueError) as err:
            return Item(kind="capture", url=source, name=source, source=source,
                        failure=Failure(source, "ingest", f"{source}: unreadable HTTP headers: {err}"))
        if record.http_headers.get_statuscode() != "200":
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in CAPTURE_TYPES:
        return None
    url = canonical_url(uri)
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Item(kind="capture", url=url, name=url, source=source,
                    failure=Failure(url, "ingest", f"{source}: payload larger than {max_bytes} bytes"))
    date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    return Item(kind="capture", url=url, name=url, source=source, content=body,
                content_type=content_type, captured=date)

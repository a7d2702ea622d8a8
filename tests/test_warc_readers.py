"""FastWARC and warcio read the same records: the same items from whole and encoded archives,
and a failure naming the record where an archive is cut short or damaged. Where warcio's
read-ahead stops a cut gzip archive a few records early, FastWARC still hands out every whole
record before the cut (extractor/archives.py uses FastWARC where it is installed)."""
from __future__ import annotations

import gzip
import io
import uuid
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractor import archives

pytest.importorskip("fastwarc")


def html(n: int) -> bytes:
    return (f"<html><body><article><h1>Port report {n}</h1><p>Traders shipped {n},000 tonnes of "
            f"copper through the port.</p></article></body></html>").encode()


def chunked(body: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 50]), body[i:i + 50]) for i in range(0, len(body), 50)) + b"0\r\n\r\n"


def write(path: Path, compress: bool, records: list) -> Path:
    """records: (kind, uri, status, headers, payload)."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        for number, (kind, uri, status, headers, payload) in enumerate(records):
            if kind == "request":
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                record = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=http)
            elif kind == "resource":
                record = writer.create_warc_record(uri, "resource", payload=io.BytesIO(payload),
                                                   warc_content_type=headers[0][1])
            else:
                http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
                record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=http,
                                                   warc_headers_dict={"WARC-Date": "2025-11-21T10:00:00Z"})
            # fixed ids and dates: the same bytes on every run, so every cut falls in one place
            record.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{uri}{number}')}>")
            record.rec_headers.replace_header("WARC-Date", "2025-11-21T10:00:00Z")
            if uri is None:
                record.rec_headers.remove_header("WARC-Target-URI")
            writer.write_record(record)
    return path


HTML = [("Content-Type", "text/html; charset=utf-8")]
MIXED = [
    ("response", "https://news.example.org/a?utm_source=cc", "200 OK", HTML, html(1)),
    ("request", "https://news.example.org/a", "", [], b""),
    ("response", "https://news.example.org/logo.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG"),
    ("response", "https://news.example.org/moved", "301 Moved", HTML, b"<a href=x>moved</a>"),
    ("response", "dns:news.example.org", "200 OK", HTML, b"1.2.3.4"),
    ("response", None, "200 OK", HTML, html(2)),
    ("response", "https://news.example.org/gz", "200 OK", HTML + [("Content-Encoding", "gzip")], gzip.compress(html(3))),
    ("response", "https://news.example.org/chunked", "200 OK", HTML + [("Transfer-Encoding", "chunked")], chunked(html(4))),
    ("resource", "https://news.example.org/notes.txt", "", [("Content-Type", "text/plain")], b"Miners shipped 700 tonnes."),
    ("response", "https://news.example.org/big", "200 OK", HTML, b"x" * 5000),
    ("response", "https://news.example.org/b", "200 OK", HTML, html(5)),
]


def both(path: Path, max_bytes: int = 4000) -> tuple[list, list]:
    """The items of both readers; warcio gives no offsets in gzip files, so neither does here."""
    fast = list(archives.read_warc(path, max_bytes=max_bytes, reader="fastwarc"))
    slow = list(archives.read_warc(path, max_bytes=max_bytes, reader="warcio"))
    if path.read_bytes()[:2] == b"\x1f\x8b":
        assert all(i.offset is None for i in slow)
        fast = [replace(i, offset=None) for i in fast]
    return fast, slow


@pytest.mark.parametrize("compress", [True, False])
def test_the_same_items_from_a_whole_archive(tmp_path, compress):
    fast, slow = both(write(tmp_path / "a.warc", compress, MIXED))
    assert fast == slow
    assert [i.url for i in fast if not i.failure] == [
        "https://news.example.org/a", "https://news.example.org/gz", "https://news.example.org/chunked",
        "https://news.example.org/notes.txt", "https://news.example.org/b"]
    stored = [i for i in fast if not i.failure]
    if not compress:  # where each record starts in the file
        assert [i.offset for i in stored][0] == 0 and all(i.offset for i in stored[1:])
    assert stored[1].content == html(3) and stored[2].content == html(4)
    assert [i.failure.reason.split(": ", 1)[1] for i in fast if i.failure] == [
        "response record without WARC-Target-URI", "payload larger than 4000 bytes"]


def big(n: int) -> tuple:
    return ("response", f"https://news.example.org/{n}", "200 OK", HTML, html(n) * 40)


def record_ends(path: Path) -> list[int]:
    """Where each record of a whole archive ends (the next one's offset; the last: the size)."""
    from fastwarc.warc import ArchiveIterator

    with path.open("rb") as stream:
        starts = [r.stream_pos for r in ArchiveIterator(stream, parse_http=False)]
    return starts[1:] + [path.stat().st_size]


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("keep", [0.33, 0.61, 0.92, 0.999])
def test_a_cut_archive_fails_after_every_whole_record(tmp_path, compress, keep):
    whole = write(tmp_path / "whole.warc", compress, [big(n) for n in range(50)])
    cut = tmp_path / "cut.warc"
    size = int(whole.stat().st_size * keep)
    cut.write_bytes(whole.read_bytes()[:size])
    complete = sum(end <= size for end in record_ends(whole))
    fast, slow = both(cut, max_bytes=10**6)
    if complete and record_ends(whole)[complete - 1] == size:
        pytest.skip("the cut fell between two records")
    assert len(fast) == complete + 1 and f"{complete} records read" in fast[-1].failure.reason
    assert "truncated WARC" in fast[-1].failure.reason and slow[-1].failure
    # warcio reads ahead of the record it hands out, so in gzip archives it may stop earlier
    assert fast[:len(slow) - 1] == slow[:-1] and len(slow) <= len(fast)
    if not compress:  # the same records, cut at the same one
        assert fast[:-1] == slow[:-1] and f"{complete} records read" in slow[-1].failure.reason


def test_both_keep_every_whole_record_before_a_cut_in_a_small_archive(tmp_path):
    whole = write(tmp_path / "whole.warc", True, [MIXED[0]] * 20)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[:int(whole.stat().st_size * 0.61)])
    fast, slow = both(cut)
    assert len(fast) == len(slow) == 13 and "12 records read" in fast[-1].failure.reason
    assert fast[:-1] == slow[:-1]


@pytest.mark.parametrize("compress", [True, False])
def test_trailing_garbage_is_a_failure_after_the_records(tmp_path, compress):
    path = write(tmp_path / "a.warc", compress, [MIXED[0]] * 3)
    path.write_bytes(path.read_bytes() + (zlib.compress(b"junk") if compress else b"junk bytes\r\n"))
    fast, slow = both(path)
    assert [i.url for i in fast[:3]] == ["https://news.example.org/a"] * 3 and fast[3].failure
    assert slow[-1].failure and len(slow) <= len(fast)


def test_the_same_failure_from_nonsense(tmp_path):
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(gzip.compress(b"WARC/1.0\r\nnonsense\r\n\r\n") + b"garbage")
    fast, slow = both(path)
    assert len(fast) == len(slow) == 1 and fast[0].failure and slow[0].failure

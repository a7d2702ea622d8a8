"""A local HTTP server for tests (127.0.0.1, random port) that misbehaves on request.

Each path is a `Page` saying what to answer: a body with ETag/Last-Modified validators (and
304s for matching conditional requests), a status, a few failures before succeeding, a delay
before the headers, a slow drip, a gzip-encoded body, a redirect. Every request is logged.
"""
from __future__ import annotations

import gzip
import re
from html import escape
import hashlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

from extractor.fetch import FetchPolicy
from extractor.types import Claim


@dataclass
class Page:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    etag: bool = True  # send an ETag (a hash of the body) and answer If-None-Match with 304
    last_modified: Optional[str] = None  # send it, and answer an equal If-Modified-Since with 304
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between chunks of `chunk` bytes
    chunk: int = 64
    fail_first: int = 0  # the first N requests get `fail_status` (with `fail_headers`)
    fail_status: int = 503
    fail_headers: dict = field(default_factory=dict)
    encoded: bool = False  # `body` is already gzip-compressed: send Content-Encoding: gzip
    send_length: bool = True
    hold: Optional[threading.Event] = None  # answer only once the test sets it (at most 30 s)
    header_drip: float = 0.0  # seconds between single bytes of the status line and headers
    reset: bool = False  # drop the connection with a TCP reset instead of answering


@dataclass
class Request:
    path: str
    headers: dict
    at: float = 0.0  # time.monotonic() on arrival


class LocalServer:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[Request] = []
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms stall

            def do_GET(self):  # noqa: N802 (http.server's naming)
                server._answer(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.httpd.handle_error = lambda request, address: None  # clients hang up on purpose
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def start(self) -> "LocalServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **options) -> str:
        """Serve `body` at `path` as described by `options` (see Page); returns the full URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.pages[path] = Page(body=body, **options)
        return self.url(path)

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(Request(path, headers, time.monotonic()))
            self.hits[path] = hit = self.hits.get(path, 0) + 1
        page = self.pages.get(path)
        if page is None:
            return self._send(handler, 404, b"not found", {"Content-Type": "text/plain"})
        if page.delay:
            time.sleep(page.delay)
        if page.hold is not None:
            page.hold.wait(30)
        if page.reset:
            return self._reset(handler)
        if hit <= page.fail_first:
            return self._send(handler, page.fail_status, b"try later",
                              {"Content-Type": "text/plain", **page.fail_headers})
        out = {"Content-Type": page.content_type, **page.headers}
        if page.etag:
            out["ETag"] = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
            if headers.get("if-none-match") == out["ETag"]:
                return self._send(handler, 304, b"", {"ETag": out["ETag"]})
        if page.last_modified:
            out["Last-Modified"] = page.last_modified
            if headers.get("if-modified-since") == page.last_modified and "ETag" not in out:
                return self._send(handler, 304, b"", {"Last-Modified": page.last_modified})
        if page.encoded:
            out["Content-Encoding"] = "gzip"
        self._send(handler, page.status, page.body, out, page)

    @staticmethod
    def _reset(handler) -> None:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True

    @staticmethod
    def _send(handler, status: int, body: bytes, headers: dict, page: Optional[Page] = None) -> None:
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            if page is None or page.send_length:
                handler.send_header("Content-Length", str(len(body)))
            else:
                handler.send_header("Connection", "close")
                handler.close_connection = True
            if page is not None and page.header_drip:
                handler._headers_buffer.append(b"\r\n")
                raw, handler._headers_buffer = b"".join(handler._headers_buffer), []
                for byte in range(len(raw)):
                    handler.wfile.write(raw[byte:byte + 1])
                    handler.wfile.flush()
                    time.sleep(page.header_drip)
            else:
                handler.end_headers()
            if page is not None and page.drip:
                for start in range(0, len(body), page.chunk):
                    handler.wfile.write(body[start:start + page.chunk])
                    handler.wfile.flush()
                    time.sleep(page.drip)
            else:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (size cap, slow drip)


def gzip_bomb(decoded_size: int) -> bytes:
    """A small gzip body that decompresses to `decoded_size` zero bytes."""
    return gzip.compress(b"\0" * decoded_size, compresslevel=9)


class SleepLog:
    """Stands in for time.sleep: records the waits and sleeps only a token amount."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        time.sleep(min(seconds, 0.001))


class FakeClock:
    """A monotonic clock for the fetcher: it moves only when slept on, plus `tick` at each
    reading (so a deadline passes after a counted number of socket operations, whatever the
    machine's speed)."""

    def __init__(self, tick: float = 0.0) -> None:
        self.now, self.tick = 0.0, tick
        self.waits: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now += self.tick
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)
            self.now += seconds


def fast_policy(**overrides) -> FetchPolicy:
    """A policy with tiny delays and timeouts that lets the fetcher reach 127.0.0.1 only."""
    options = dict(
        connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0, retries=2, backoff=0.01,
        max_retry_after=5.0, politeness=0.0, per_host=4,
        allowed_networks=FetchPolicy.networks(["127.0.0.0/8"]), sleep=SleepLog(),
    )
    options.update(overrides)
    return FetchPolicy(**options)


def article_html(title: str, body: str, published: str = "2025-11-20") -> str:
    """A small news page trafilatura can extract."""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta property='article:published_time' content='{published}'>"
        f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def rss(items: list[tuple[str, str]], title: str = "Local feed") -> str:
    """An RSS 2.0 feed listing (title, link) items."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><pubDate>Thu, 20 Nov 2025 08:00:00 GMT</pubDate></item>"
        for t, link in items
    )
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
            f"<link>http://127.0.0.1/</link><description>d</description>{entries}</channel></rss>")


def tonnes_claims(article, name):
    """A small deterministic claim finder, so collection tests do not depend on the claims stage."""
    return [
        Claim(article=name, sentence=m.group(0).strip(), start=m.start(), end=m.end(),
              value=float(m.group(1).replace(",", "")), unit="t", article_id=article.id)
        for m in re.finditer(r"[^.]*?(\d[\d,]*) tonnes[^.]*\.", article.text)
    ]

"""Fetch stage: bytes of feeds and pages, from local files or over HTTP."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

USER_AGENT = "extractor/0.1 (trade-figure auditing; +https://example.org/extractor)"
MAX_BYTES = 10 * 1024 * 1024


class FetchError(Exception):
    """The resource could not be fetched; the message says why."""


@dataclass
class Fetched:
    url: str
    content: bytes
    content_type: str = ""
    status: int = 200
    headers: dict = field(default_factory=dict)


def is_remote(location: str) -> bool:
    return urlparse(location).scheme in ("http", "https")


def fetch(location: str, *, allow_local: bool = True, timeout: float = 20.0) -> Fetched:
    """Fetch a URL or read a local file (only when `allow_local`)."""
    if is_remote(location):
        return _fetch_http(location, timeout)
    if not allow_local:
        raise FetchError("local files may not be read from a remote feed")
    return _read_local(location)


def _read_local(location: str) -> Fetched:
    path = Path(unquote(urlparse(location).path)) if location.startswith("file:") else Path(location)
    try:
        return Fetched(url=str(path), content=path.read_bytes())
    except OSError as err:
        raise FetchError(f"cannot read {path}: {err.strerror or err}") from None


def _fetch_http(url: str, timeout: float) -> Fetched:
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5,
                          headers={"User-Agent": USER_AGENT}) as client:
            response = client.get(url)
    except httpx.HTTPError as err:
        raise FetchError(f"{type(err).__name__}: {err}") from None
    if response.status_code >= 400:
        raise FetchError(f"HTTP {response.status_code}")
    if len(response.content) > MAX_BYTES:
        raise FetchError(f"body larger than {MAX_BYTES} bytes")
    return Fetched(url=str(response.url), content=response.content,
                   content_type=response.headers.get("content-type", ""),
                   status=response.status_code, headers=dict(response.headers))

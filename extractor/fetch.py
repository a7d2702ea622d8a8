"""Fetch stage: bytes of feeds and pages, from local files or over HTTP, politely and safely.

Over HTTP the fetcher
- sends a clear User-Agent and obeys robots.txt as RFC 9309 reads it (Protego; cached per
  host, Crawl-delay honoured);
- keeps a politeness delay and a concurrency bound per host;
- retries 5xx, 429 and transport errors with exponential backoff, honouring Retry-After up
  to a cap (a longer Retry-After fails the URL now; the next run retries it);
- follows redirects itself, at most `max_redirects`, checking every hop;
- refuses loopback, private, link-local and every other non-global address, also when it is
  embedded in an IPv6 form (IPv4-mapped, NAT64, 6to4, Teredo), unless the user allowed that
  network; the address is checked where the connection is made (a host name is resolved once,
  and the connection goes to the address that passed, with the name as Host and TLS SNI), so a
  DNS answer that changes in between cannot redirect a request;
- gives every request one total deadline, from connecting to the last byte of the body
  (headers dripping in slowly included);
- accepts only HTML, XML, feed and text content types;
- streams the body, capping both the bytes on the wire and the decompressed bytes (it
  decodes gzip/deflate itself with a bounded output, so a gzip bomb stops at the cap);
- sends If-None-Match / If-Modified-Since when given validators; a 304 is `not_modified`.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Iterable, Optional
from urllib.parse import unquote, urljoin, urlparse

import httpcore
import httpx
from protego import Protego

USER_AGENT = "extractor/0.1 (trade-figure auditing; +https://example.org/extractor)"
ROBOTS_AGENT = "extractor"
MAX_BYTES = 10 * 1024 * 1024
MAX_FILE_BYTES = 2 * MAX_BYTES  # a local file, or a fetched body once decompressed

ALLOWED_TYPES = {
    "text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
    "application/json", "text/rss+xml", "text/atom+xml",
}
EVERY_NETWORK = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
# Non-global ranges `ipaddress` calls global (or that carry another address inside them).
REFUSED_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "192.0.0.0/24",  # IETF protocol assignments (192.0.0.192 answers like a metadata service)
    "::/96",  # IPv4-compatible IPv6, deprecated: ::a9fe:a9fe is 169.254.169.254
    "64:ff9b:1::/48",  # local-use NAT64
    "fec0::/10",  # site-local, deprecated
    "2001::/32",  # Teredo
))
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Longer URLs are refused before any request (servers rarely accept more than 8 KB anyway).
MAX_URL_LENGTH = 8192


class FetchError(Exception):
    """The resource could not be fetched; the message says why."""


class _Retryable(FetchError):
    """A failure worth another attempt (5xx, 429, a transport error)."""

    def __init__(self, reason: str, retry_after: Optional[float] = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass
class Fetched:
    url: str
    content: bytes
    content_type: str = ""
    status: int = 200
    headers: dict = field(default_factory=dict)
    not_modified: bool = False  # a 304: the caller's copy is current

    @property
    def etag(self) -> Optional[str]:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> Optional[str]:
        return self.headers.get("last-modified")


@dataclass
class FetchPolicy:
    """Limits and manners of the fetcher; tests shrink the delays and timeouts."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # longest silence while reading
    total_timeout: float = 60.0  # longest time for one response, body included (slow drips)
    retries: int = 2  # further attempts after the first
    backoff: float = 1.0  # first wait before a retry; doubles each time
    max_retry_after: float = 60.0  # a longer Retry-After fails the URL for this run
    politeness: float = 1.0  # seconds between two requests to the same host
    per_host: int = 2  # requests in flight to one host
    max_bytes: int = MAX_BYTES  # bytes on the wire
    max_decoded_bytes: int = MAX_FILE_BYTES  # bytes after decompression
    max_redirects: int = 5
    obey_robots: bool = True
    # Non-global networks the user allows (loopback, private, link-local ...); none by default.
    allowed_networks: tuple = ()
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic  # for politeness and deadlines; tests inject one
    resolve: Optional[Callable[[str, int], list]] = None  # host, port -> addresses; default DNS
    ssl_context: Optional[object] = None  # an ssl.SSLContext; default: the system's CAs

    @staticmethod
    def networks(specs: Iterable[str]) -> tuple:
        return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)


def is_remote(location: str) -> bool:
    try:
        return urlparse(location).scheme in ("http", "https")
    except ValueError:  # malformed, e.g. an unclosed IPv6 bracket: remote if it says http
        return location.lower().startswith(("http:", "https:"))


def url_problem(url: str) -> Optional[str]:
    """Why `url` is not an http(s) URL the fetcher can request, or None when it is."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    try:
        parts = urlparse(url)
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError as err:
        return f"malformed URL: {err}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{parts.scheme or 'no'} scheme (only http and https are fetched)"
    if not parts.hostname:
        return "no host in URL"
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as err:
        return f"malformed URL: {err}"
    return None


def shorten(value: str, limit: int = 200) -> str:
    """A long URL or header value cut for a message."""
    return value if len(value) <= limit else value[:limit] + f"... ({len(value)} characters)"


def fetch(location: str, *, allow_local: bool = True, timeout: float = 20.0) -> Fetched:
    """Fetch a URL once with a default policy, or read a local file (only when `allow_local`)."""
    if not is_remote(location):
        return read_local(location, allow_local=allow_local)
    with Fetcher(FetchPolicy(read_timeout=timeout)) as fetcher:
        return fetcher.fetch(location)


def read_local(location: str, *, allow_local: bool = True, max_bytes: int = MAX_FILE_BYTES) -> Fetched:
    """Read a local path or file: URL; refused when the location came from a remote source."""
    scheme = urlparse(location).scheme
    if not allow_local:
        raise FetchError("local files may not be read from a remote source")
    if scheme not in ("", "file") and not (len(scheme) == 1 and Path(location).exists()):
        raise FetchError(f"unsupported URL scheme {scheme!r}")
    path = local_path(location)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FetchError(f"file larger than {max_bytes} bytes ({size} bytes)")
        return Fetched(url=str(path), content=path.read_bytes(),
                       headers={"last-modified": file_validator(path)})
    except OSError as err:
        raise FetchError(f"cannot read {path}: {err.strerror or err}") from None


def local_path(location: str) -> Path:
    return Path(unquote(urlparse(location).path)) if location.startswith("file:") else Path(location)


def file_validator(path: Path) -> Optional[str]:
    """A local file's stand-in for Last-Modified: its modification time and size."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"mtime:{stat.st_mtime_ns}:size:{stat.st_size}"


def content_type_allowed(content_type: str) -> bool:
    """HTML, XML, feeds and plain text; a missing type is let through for the parser to judge."""
    media = content_type.split(";")[0].strip().lower()
    return not media or media in ALLOWED_TYPES or media.endswith("+xml")


def address_allowed(address: str, allowed_networks: Iterable = ()) -> bool:
    """A global unicast address, or one inside a network the user allowed.

    An IPv6 address that carries an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4)
    is judged by that one too, so ::ffff:10.0.0.1, 64:ff9b::a9fe:a9fe or 2002:a9fe:a9fe::1
    cannot reach an internal network.
    """
    ip = ipaddress.ip_address(address.split("%")[0])
    inner = embedded_ipv4(ip)
    if any(candidate.version == net.version and candidate in net
           for candidate in filter(None, (ip, inner)) for net in allowed_networks):
        return True
    return all(_is_public(candidate) for candidate in filter(None, (ip, inner)))


def _is_public(ip) -> bool:
    if any(ip.version == net.version and ip in net for net in REFUSED_NETWORKS):
        return False
    return ip.is_global and not ip.is_multicast


def embedded_ipv4(ip) -> Optional[ipaddress.IPv4Address]:
    """The IPv4 address an IPv6 address stands for, if it is one of the forms that carry one."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64 or ip in REFUSED_NETWORKS[1]:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def retry_after_seconds(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment - (time.time() if now is None else now))


class _HostGate:
    """Per-host concurrency bound and spacing between request starts."""

    def __init__(self, policy: FetchPolicy):
        self.policy = policy
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}
        self.delays: dict[str, float] = {}  # Crawl-delay from robots.txt, per host

    def enter(self, host: str) -> None:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.policy.per_host))
        slot.acquire()
        with self._lock:
            now = self.policy.clock()
            start = max(now, self._next.get(host, now))
            spacing = max(self.policy.politeness, self.delays.get(host, 0.0))
            self._next[host] = start + spacing
        if start > now:
            self.policy.sleep(start - now)

    def leave(self, host: str) -> None:
        self._slots[host].release()


class Fetcher:
    """A reusable, thread-safe HTTP fetcher applying a `FetchPolicy`."""

    def __init__(self, policy: Optional[FetchPolicy] = None):
        self.policy = policy or FetchPolicy()
        p = self.policy
        # Requests go to the transport directly: the client would build (and choke on) the
        # request of every redirect; the fetcher validates a Location itself before following it.
        self.deadline = _Deadline(p.clock)
        self.transport = PinnedTransport(p, self.deadline)
        self.client = httpx.Client(
            timeout=httpx.Timeout(p.read_timeout, connect=p.connect_timeout),
            follow_redirects=False, trust_env=False, transport=self.transport,
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self.gate = _HostGate(p)
        self._robots: dict[str, RobotsRules] = {}
        self._robots_lock = threading.Lock()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, *, etag: Optional[str] = None,
              last_modified: Optional[str] = None) -> Fetched:
        """GET `url` with retries; raises FetchError with the reason."""
        p = self.policy
        for attempt in range(p.retries + 1):
            try:
                return self._follow(url, etag, last_modified)
            except _Retryable as err:
                if attempt == p.retries:
                    raise FetchError(f"{err} (gave up after {attempt + 1} attempts)") from None
                wait = err.retry_after if err.retry_after is not None else p.backoff * 2 ** attempt
                if wait > p.max_retry_after:
                    raise FetchError(f"{err}: Retry-After {wait:g} s is beyond the {p.max_retry_after:g} s cap; "
                                     "retried on the next run") from None
                p.sleep(wait)
        raise AssertionError("unreachable")

    def _follow(self, url: str, etag: Optional[str], last_modified: Optional[str]) -> Fetched:
        visited = []
        while True:
            self._check_target(url)
            if url in visited:
                raise FetchError(f"redirect loop: {url} visited twice")
            visited.append(url)
            host = urlparse(url).netloc
            self.gate.enter(host)  # held until the body is read
            self.deadline.start(self.policy.total_timeout)  # the politeness wait is not counted
            try:
                response = self._request(url, etag, last_modified)
                location = response.headers.get("location")
                if not (response.status_code in (301, 302, 303, 307, 308) and location):
                    return self._read(url, response)
                response.close()
            finally:
                self.deadline.clear()
                self.gate.leave(host)
            if len(visited) > self.policy.max_redirects:
                raise FetchError(f"too many redirects (more than {self.policy.max_redirects})")
            url = redirect_target(url, location)

    def _check_target(self, url: str) -> None:
        """A URL the fetcher may request (its address is checked where the connection is made)."""
        problem = url_problem(url)
        if problem:
            raise FetchError(f"refused: {problem}")
        if self.policy.obey_robots:
            self._robots_allow(url)

    def _request(self, url: str, etag: Optional[str], last_modified: Optional[str]) -> httpx.Response:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            request = self.client.build_request("GET", url, headers=headers)
            response = self.transport.handle_request(request)
            response.request = request
        except httpx.InvalidURL as err:
            raise FetchError(f"malformed URL: {err}") from None
        except httpx.TimeoutException as err:
            raise _Retryable(f"timed out ({type(err).__name__})") from None
        except httpx.HTTPError as err:
            raise _Retryable(f"{type(err).__name__}: {err}") from None
        return response

    def _read(self, url: str, response: httpx.Response) -> Fetched:
        status = response.status_code
        try:
            if status == 304:
                return Fetched(url=url, content=b"", status=304, headers=dict(response.headers),
                               not_modified=True)
            if status == 429 or status >= 500:
                raise _Retryable(f"HTTP {status} {response.reason_phrase}".strip(),
                                 retry_after_seconds(response.headers.get("retry-after")))
            if status >= 300:
                raise FetchError(f"HTTP {status} {response.reason_phrase}".strip())
            content_type = response.headers.get("content-type", "")
            if not content_type_allowed(content_type):
                raise FetchError(f"unsupported content type {content_type.split(';')[0]!r}")
            body = self._body(response)
        finally:
            response.close()
        return Fetched(url=url, content=body, content_type=content_type, status=status,
                       headers=dict(response.headers))

    def _body(self, response: httpx.Response) -> bytes:
        p = self.policy
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > p.max_bytes:
            raise FetchError(f"body larger than {p.max_bytes} bytes (Content-Length {declared})")
        decoder = _BoundedDecoder(response.headers.get("content-encoding", ""), p.max_decoded_bytes)
        wire = 0
        try:
            for chunk in response.iter_raw():  # each read bounded by the request's deadline
                wire += len(chunk)
                if wire > p.max_bytes:
                    raise FetchError(f"body larger than {p.max_bytes} bytes")
                decoder.feed(chunk)
        except httpx.TimeoutException:
            raise _Retryable("timed out while reading the body") from None
        except httpx.HTTPError as err:
            raise _Retryable(f"{type(err).__name__} while reading the body: {err}") from None
        return decoder.result()

    def _robots_allow(self, url: str) -> bool:
        parts = urlparse(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            rules = self._robots.get(key)
        if rules is None:
            rules = self._load_robots(key)
            with self._robots_lock:
                self._robots[key] = rules
            delay = rules.crawl_delay()
            if delay:
                self.gate.delays[parts.netloc] = min(float(delay), self.policy.max_retry_after)
        if rules.allows(url):
            return True
        raise FetchError(f"disallowed by robots.txt{': ' + rules.why if rules.why else ''}")

    def _load_robots(self, origin: str) -> "RobotsRules":
        """robots.txt read as RFC 9309 says (Protego: wildcards, $, the longest match wins).

        Up to five redirects are followed (each target checked like any URL); 401 and 403
        forbid the host, other 4xx (or a redirect to nowhere) allow it; a 5xx, a 429 or no
        answer at all forbids it for this run (the next run asks again).
        """
        url = origin + "/robots.txt"
        for _ in range(MAX_ROBOTS_REDIRECTS + 1):
            try:
                status, location, body = self._robots_attempts(url)
            except (_Retryable, TooSlow) as err:
                return RobotsRules(verdict=False, why=f"robots.txt unreachable ({err}); retried on the next run")
            except FetchError:  # refused or too big: as if there were none
                return RobotsRules(verdict=True)
            if status in (301, 302, 303, 307, 308) and location:
                try:
                    url = redirect_target(url, location)
                except FetchError:
                    return RobotsRules(verdict=True)
                continue
            if 200 <= status < 300:
                return RobotsRules(rules=Protego.parse(body.decode("utf-8", errors="replace")))
            if status in (401, 403):
                return RobotsRules(verdict=False, why=f"robots.txt answered HTTP {status}")
            if status == 429 or status >= 500:
                return RobotsRules(verdict=False, why=f"robots.txt answered HTTP {status}; retried on the next run")
            return RobotsRules(verdict=True)
        return RobotsRules(verdict=True)  # too many redirects: unavailable

    def _robots_attempts(self, url: str) -> tuple[int, Optional[str], bytes]:
        """The robots.txt response, a transport error retried as for any page."""
        p = self.policy
        for attempt in range(p.retries):
            try:
                return self._robots_response(url)
            except _Retryable:
                p.sleep(p.backoff * 2 ** attempt)
        return self._robots_response(url)

    def _robots_response(self, url: str) -> tuple[int, Optional[str], bytes]:
        host = urlparse(url).netloc
        self.gate.enter(host)
        self.deadline.start(self.policy.total_timeout)
        try:
            response = self._request(url, None, None)
            try:
                status = response.status_code
                body = self._body(response) if 200 <= status < 300 else b""
                return status, response.headers.get("location"), body
            finally:
                response.close()
        finally:
            self.deadline.clear()
            self.gate.leave(host)


MAX_ROBOTS_REDIRECTS = 5


@dataclass
class RobotsRules:
    """A host's robots.txt: its parsed rules, or a verdict for the whole host, and why."""

    rules: Optional[Protego] = None
    verdict: Optional[bool] = None
    why: str = ""

    def allows(self, url: str) -> bool:
        return self.verdict if self.rules is None else self.rules.can_fetch(url, ROBOTS_AGENT)

    def crawl_delay(self) -> Optional[float]:
        return self.rules.crawl_delay(ROBOTS_AGENT) if self.rules is not None else None


class TooSlow(FetchError):
    """The request's total deadline passed (a server dripping its headers or body)."""


class _Deadline:
    """The deadline of the request in progress on each thread, read by every socket operation."""

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self._local = threading.local()

    def start(self, seconds: float) -> None:
        self._local.end, self._local.seconds = self.clock() + seconds, seconds

    def clear(self) -> None:
        self._local.end = None

    def expired(self) -> bool:
        end = getattr(self._local, "end", None)
        return end is not None and self.clock() >= end

    def bound(self, timeout: Optional[float]) -> Optional[float]:
        """`timeout` cut to what is left of the deadline; TooSlow when nothing is left."""
        end = getattr(self._local, "end", None)
        if end is None:
            return timeout
        left = end - self.clock()
        if left <= 0:
            raise TooSlow(f"too slow: no complete response after {self._local.seconds:g} s")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline of the request using it."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline):
        self.stream, self.deadline = stream, deadline

    def read(self, max_bytes: int, timeout: Optional[float] = None) -> bytes:
        try:
            return self.stream.read(max_bytes, self.deadline.bound(timeout))
        except httpcore.ReadTimeout:
            self.deadline.bound(0.0)  # TooSlow if it was the deadline that cut the read
            raise

    def write(self, buffer: bytes, timeout: Optional[float] = None) -> None:
        self.stream.write(buffer, self.deadline.bound(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        tls = self.stream.start_tls(ssl_context, server_hostname, self.deadline.bound(timeout))
        return _DeadlineStream(tls, self.deadline)

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Resolves a host once, checks every address, and connects to the addresses that passed.

    TLS still names the host (httpcore gives it as SNI and checks the certificate against it),
    and the request's Host header is the host: only the socket goes to the checked address.
    """

    def __init__(self, policy: FetchPolicy, deadline: _Deadline):
        self.policy, self.deadline = policy, deadline
        self.sockets = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: Optional[float] = None,
                    local_address: Optional[str] = None, socket_options=None) -> httpcore.NetworkStream:
        addresses = (self.policy.resolve or resolve)(host, port)
        for address in addresses:
            if not address_allowed(address, self.policy.allowed_networks):
                raise FetchError(f"refused: {host} resolves to non-public address {address}")
        error: Optional[Exception] = None
        for address in addresses:
            try:
                stream = self.sockets.connect_tcp(address, port, self.deadline.bound(timeout),
                                                  local_address, socket_options)
            except httpcore.ConnectError as err:  # try the host's next address
                error = err
                continue
            return _DeadlineStream(stream, self.deadline)
        raise error or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, *args, **kwargs):  # pragma: no cover (never configured)
        raise FetchError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self.sockets.sleep(seconds)


def resolve(host: str, port: int) -> list[str]:
    """The addresses of `host` (an IP address stands for itself), in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"cannot resolve {host}: {err}") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


class PinnedTransport(httpx.BaseTransport):
    """httpx's transport over a connection pool whose connections are made by `_PinnedBackend`."""

    def __init__(self, policy: FetchPolicy, deadline: _Deadline):
        self.pool = httpcore.ConnectionPool(
            ssl_context=policy.ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0,
            network_backend=_PinnedBackend(policy, deadline),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self.pool.handle_request(core)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_ResponseStream(response.stream), extensions=response.extensions)

    def close(self) -> None:
        self.pool.close()


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream):
        self.stream = stream

    def __iter__(self):
        with _as_httpx_errors():
            yield from self.stream

    def close(self) -> None:
        self.stream.close()


class _as_httpx_errors:
    """httpcore's exceptions as httpx's of the same name (the fetcher reasons in those)."""

    def __enter__(self):
        return self

    CORE_ERRORS = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError,
                   httpcore.UnsupportedProtocol, httpcore.ProxyError)

    def __exit__(self, kind, err, tb) -> bool:
        if isinstance(err, self.CORE_ERRORS):
            mapped = getattr(httpx, type(err).__name__, httpx.TransportError)
            if not (isinstance(mapped, type) and issubclass(mapped, httpx.TransportError)):
                mapped = httpx.TransportError
            raise mapped(str(err)) from None
        return False


def redirect_target(url: str, location: str) -> str:
    """The absolute URL a redirect's Location names; FetchError unless it is a fetchable URL."""
    try:
        target = urljoin(url, location.strip())
    except ValueError as err:
        raise FetchError(f"malformed redirect Location {shorten(location)!r}: {err}") from None
    problem = url_problem(target)
    if problem:
        raise FetchError(f"refused redirect to {shorten(target)!r}: {problem}")
    return target


class _BoundedDecoder:
    """Decodes a gzip/deflate (or identity) body, refusing to grow beyond `limit` bytes."""

    def __init__(self, encoding: str, limit: int):
        self.encoding = encoding.strip().lower()
        if self.encoding in ("gzip", "x-gzip", "deflate"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
        elif self.encoding in ("", "identity"):
            self._zlib = None
        else:
            raise FetchError(f"unsupported content encoding {self.encoding!r}")
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def feed(self, data: bytes) -> None:
        if self._zlib is None:
            self._add(data)
            return
        try:
            while data:
                self._add(self._zlib.decompress(data, self.limit - self.size + 1))
                data = self._zlib.unconsumed_tail
        except zlib.error as err:
            raise FetchError(f"corrupt {self.encoding} body: {err}") from None

    def _add(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.limit:
            raise FetchError(f"decompressed body larger than {self.limit} bytes")
        self.parts.append(piece)

    def result(self) -> bytes:
        if self._zlib is not None:
            try:
                self._add(self._zlib.flush())
            except zlib.error as err:
                raise FetchError(f"corrupt {self.encoding} body: {err}") from None
        return b"".join(self.parts)

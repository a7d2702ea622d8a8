"""Sources: each kind of input is a class that yields jobs, each job with its typed origin.

| source | input | a job is |
|---|---|---|
| `FeedSource` | a feed of feeds.yaml | an entry's page (fetched) |
| `FileSource` | an article file (.html, .htm, .xhtml, .txt, .text) | the file |
| `FolderSource` | a folder | every input of the kinds here below it, in name order, depth first |
| `UrlListSource` | a `.urls` file, one http(s) URL a line | a URL (fetched) |
| `WarcSource` | a `.warc` / `.warc.gz` file | a page captured in one record |
| `WarcListSource` | a list of WARC paths (`warc.paths[.gz]`, e.g. a CC-NEWS month's), below a folder | the pages of each WARC in turn |
| `StoredSource` | the database | a stored article an older claim extractor read |

`sources_for(paths)` picks the class of each path; a new kind of input is one class here and
one line in `sources_for`. Jobs carry what the database knows of them (validators, the text's
fingerprint) once the collector has looked them up; an input that cannot be read at all is a
job carrying its failure, so it is recorded in order with the rest.
"""
from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, Protocol, Union

from extractor import archives, fetch, text
from extractor.types import Article, Failure

WARC_LIST_SUFFIXES = (".paths", ".paths.gz")
KINDS = ("article files (.html, .htm, .txt), URL lists (.urls), WARC files (.warc, .warc.gz) "
         "or lists of WARC files (.paths, .paths.gz)")


# Origins: where a job came from, for provenance and messages ---------------------------------

@dataclass(frozen=True)
class FileOrigin:
    path: str

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True)
class FeedOrigin:
    feed: str  # the feed's name in feeds.yaml
    url: str  # the feed's URL

    def __str__(self) -> str:
        return f"{self.feed} ({self.url})"


@dataclass(frozen=True)
class ListOrigin:
    list: str  # the URL list's path
    line: int

    def __str__(self) -> str:
        return f"{self.list}:{self.line}"


@dataclass(frozen=True)
class WarcOrigin:
    warc: str  # the WARC file's path or URL
    record: int  # its number in the file, from 1
    offset: Optional[int]  # where the record starts in the (compressed) file
    uri: str  # WARC-Target-URI

    def __str__(self) -> str:
        return f"{self.warc}#record{self.record}"


@dataclass(frozen=True)
class StoredOrigin:
    article_id: str

    def __str__(self) -> str:
        return f"stored article {self.article_id}"


Origin = Union[FileOrigin, FeedOrigin, ListOrigin, WarcOrigin, StoredOrigin]


@dataclass
class Job:
    """One article to collect, with what the database already knows of it."""

    kind: str  # "http" (fetch it) | "file" (read it) | "capture" (content in hand) | "stored"
    url: str  # canonical URL, or a local path: the article's identity
    name: str  # what its claims cite as their article
    origin: Origin
    title: Optional[str] = None  # the feed's title: the page's own wins
    user_title: Optional[str] = None  # the user's --title: wins over the page's
    published: Optional[str] = None  # the feed's or the user's date; the page's own wins
    fallback_published: Optional[str] = None  # last resort (a capture date)
    feed: Optional[str] = None
    allow_local: bool = True  # may a "file" job read the disk (not when a remote feed named it)
    content: Optional[bytes] = None  # a capture's payload, or the fetched page
    content_type: str = ""
    article: Optional[Article] = None  # a stored article to read claims from again
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    known_fingerprint: Optional[str] = None
    failure: Optional[Failure] = None  # the input could not be read: nothing to collect


class Source(Protocol):
    """Anything that yields jobs. `remote` sources fetch over the network."""

    remote: bool

    def jobs(self, ctx) -> Iterator[Job]:
        """The jobs, in order. `ctx` is the collector (the database and the feed reader)."""


# File inputs ------------------------------------------------------------------------------

def _failed(path, reason: str, stage: str = "ingest") -> Job:
    """A job carrying why `path` (a path, or a URL kept as it is written) cannot be read."""
    location = str(path)
    return Job(kind="file", url=location, name=Path(location.rstrip("/")).stem, origin=FileOrigin(location),
               failure=Failure(location, stage, reason))


@dataclass
class FileSource:
    """One article file."""

    path: Path
    published: Optional[str] = None
    title: Optional[str] = None  # the user's: wins over the page's own
    remote = False

    def jobs(self, ctx=None) -> Iterator[Job]:
        absolute = str(Path(self.path).resolve())
        yield Job(kind="file", url=absolute, name=Path(self.path).stem, origin=FileOrigin(absolute),
                  published=self.published, user_title=self.title)


@dataclass
class UrlListSource:
    """A `.urls` file: one http(s) URL a line, blank lines and `#` comments skipped."""

    path: Path
    published: Optional[str] = None
    remote = True

    def jobs(self, ctx=None) -> Iterator[Job]:
        for item in archives.read_url_list(Path(self.path)):
            origin = ListOrigin(str(self.path), _line_of(item.source))
            yield Job(kind="http", url=item.url, name=item.name, origin=origin, published=self.published,
                      failure=item.failure)


def _line_of(source: str) -> int:
    tail = source.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@dataclass
class WarcSource:
    """The pages captured in one WARC file (response and resource records, 200, HTML or text)."""

    path: Path
    published: Optional[str] = None
    max_bytes: int = fetch.MAX_BYTES
    remote = False

    def jobs(self, ctx=None) -> Iterator[Job]:
        for item in archives.read_warc(Path(self.path), max_bytes=self.max_bytes):
            yield capture_job(item, self.path, self.published)


def capture_job(item: archives.Item, warc, published: Optional[str]) -> Job:
    if item.kind == "file":  # the archive itself failed
        return Job(kind="file", url=item.url, name=item.name, origin=FileOrigin(item.url), failure=item.failure)
    record = int(item.source.rsplit("#record", 1)[-1])
    origin = WarcOrigin(str(warc), record, item.offset, item.url)
    return Job(kind="capture", url=item.url, name=item.name, origin=origin, published=published,
               fallback_published=item.captured, content=item.content, content_type=item.content_type,
               failure=item.failure)


@dataclass
class WarcListSource:
    """A list of WARC files, one path or URL a line (a CC-NEWS month's `warc.paths.gz`).

    A relative line is taken below `base` (a folder or a URL prefix; by default the list's own
    folder), so the list Common Crawl publishes works with a local mirror of its files.
    """

    path: Path
    base: Optional[str] = None
    published: Optional[str] = None
    remote = False

    def warcs(self) -> Iterator[Union[str, Job]]:
        """Each WARC's location, or a failed job for a list that cannot be read."""
        try:
            raw = Path(self.path).read_bytes()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            yield _failed(Path(self.path), f"cannot read: {getattr(err, 'strerror', None) or err}")
            return
        base = self.base if self.base is not None else str(Path(self.path).parent)
        for line in text.decode_text(raw).splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                yield resolve_location(line, base)

    def jobs(self, ctx=None) -> Iterator[Job]:
        for location in self.warcs():
            if isinstance(location, Job):
                yield location
            else:
                yield from source_for(location, self.published).jobs(ctx)


def resolve_location(line: str, base: str) -> str:
    if fetch.is_remote(line) or os.path.isabs(line):
        return line
    if fetch.is_remote(base):
        return base.rstrip("/") + "/" + line.lstrip("/")
    return str(Path(base) / line)


@dataclass
class FolderSource:
    """Every input of the kinds above below a folder, in name order, depth first, listing one
    directory at a time (an archive of a million pages is not held as a million paths)."""

    path: Path
    published: Optional[str] = None
    title: Optional[str] = None
    remote = False

    def jobs(self, ctx=None) -> Iterator[Job]:
        found = False
        for path in self.files():
            found = True
            yield from source_for(path, self.published, title=self.title).jobs(ctx)
        if not found:
            yield _failed(Path(self.path), f"folder holds no {KINDS}")

    def files(self) -> Iterator[Path]:
        for root, dirs, names in os.walk(self.path):
            dirs.sort()
            for name in sorted(names):
                path = Path(root, name)
                if kind_of(path) and path.is_file():
                    yield path


@dataclass
class FailedSource:
    """A path that is no input: it yields one job carrying why."""

    path: Path
    reason: str
    remote = False

    def jobs(self, ctx=None) -> Iterator[Job]:
        yield _failed(self.path, self.reason)


@dataclass
class FeedSource:
    """The entries of one feed of feeds.yaml; the collector reads the feed (conditionally) and
    says which entries are known and unchanged."""

    feed: object  # feeds.FeedConfig
    remote = True

    def jobs(self, ctx) -> Iterator[Job]:
        for entry, fresh in ctx.feed_entries_once(self.feed):
            job = ctx.entry_job(entry, self.feed, fresh)
            if job is not None:
                yield job


@dataclass
class StoredSource:
    """Stored articles whose claims an older extractor read: their claims are read again from
    the stored text (nothing is fetched)."""

    stale: list = field(default_factory=list)  # (Article, name) pairs
    remote = False

    def jobs(self, ctx=None) -> Iterator[Job]:
        for article, name in self.stale:
            yield Job(kind="stored", url=article.url, name=name, origin=StoredOrigin(article.id),
                      article=article)


# Which class reads a path ------------------------------------------------------------------

def kind_of(path: Path) -> Optional[str]:
    name = path.name.lower()
    if name.endswith(archives.WARC_SUFFIXES):
        return "warc"
    if name.endswith(WARC_LIST_SUFFIXES):
        return "warc_list"
    if name.endswith(archives.URL_LIST_SUFFIX):
        return "urls"
    if path.suffix.lower() in text.ARTICLE_SUFFIXES:
        return "article"
    return None


def source_for(path: Path, published: Optional[str] = None, *, warc_base: Optional[str] = None,
               title: Optional[str] = None):
    """The source reading `path` (a file or folder; a WARC may be a URL). `title` is the user's
    title for article files."""
    location = str(path)
    if fetch.is_remote(location):  # a line of a WARC list, or an argument
        return FailedSource(location, "WARC files are read from disk, not downloaded: fetch them first and "
                                      "give their folder as --warc-base (see README: Batch runs)")
    path = Path(path)
    if path.is_dir():
        return FolderSource(path, published, title)
    if not path.exists():
        return FailedSource(path, "no such file or folder")
    kind = kind_of(path)
    if kind == "warc":
        return WarcSource(path, published)
    if kind == "warc_list":
        return WarcListSource(path, warc_base, published)
    if kind == "urls":
        return UrlListSource(path, published)
    if kind == "article":
        return FileSource(path, published, title)
    return FailedSource(path, f"unsupported file type {path.suffix or '(none)'}; expected {KINDS}")


def sources_for(paths: Iterable, published: Optional[str] = None, *,
                warc_base: Optional[str] = None, title: Optional[str] = None) -> list:
    return [source_for(p, published, warc_base=warc_base, title=title) for p in paths]

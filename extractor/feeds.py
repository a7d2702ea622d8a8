"""Feeds stage: the feeds.yaml configuration and feed parsing (feedparser).

feedparser's result dicts are converted to `FeedEntry` here; an ill-formed feed still yields
the entries feedparser recovered, and the problem (`bozo`) is returned for the caller to record.
"""
from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional
from urllib.parse import urljoin, urlparse

import courlan
import feedparser
import yaml

from extractor.types import FeedEntry, Failure


class ConfigError(Exception):
    """feeds.yaml cannot be used; the message names the file and line."""


@dataclass
class FeedConfig:
    name: str
    url: str  # absolute URL, or a path resolved against the folder of feeds.yaml
    group: str = "default"
    keywords: list[str] = field(default_factory=list)
    enabled: bool = True
    line: int = 0  # where the feed is defined in feeds.yaml, for messages


@dataclass
class FeedsConfig:
    path: Path
    feeds: list[FeedConfig]
    default_group: Optional[str] = None

    def selected(self, group: Optional[str] = None) -> list[FeedConfig]:
        """Enabled feeds of `group` (default: the file's default group, else all).

        A group that no feed belongs to is a ConfigError naming the groups there are.
        """
        wanted = group or self.default_group
        if wanted is not None and wanted not in self.groups():
            raise ConfigError(f"{self.path}: no feed is in group {wanted!r} (groups: {', '.join(self.groups()) or 'none'})")
        return [f for f in self.feeds if f.enabled and (wanted is None or f.group == wanted)]

    def groups(self) -> list[str]:
        return sorted({f.group for f in self.feeds})


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping, for error messages."""


def _construct_mapping(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

FEED_KEYS = {"name", "url", "group", "keywords", "enabled"}
TOP_KEYS = {"feeds", "default_group"}
URL_SCHEMES = {"http", "https", "file"}


def load_config(path: str | Path) -> FeedsConfig:
    """Read and validate feeds.yaml; a ConfigError names the file and line at fault."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise ConfigError(f"{path}:{where}: not valid YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("feeds"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'feeds' list")
    unknown = set(raw) - TOP_KEYS - {"__line__"}
    if unknown:
        raise ConfigError(f"{path}:line {raw['__line__']}: unknown top-level key(s) {', '.join(sorted(map(str, unknown)))} "
                          f"(allowed: {', '.join(sorted(TOP_KEYS))})")
    feeds, names = [], set()
    for item in raw["feeds"]:
        feed = _feed_from_yaml(path, item)
        if feed.name in names:
            raise ConfigError(f"{path}:line {feed.line}: feed name {feed.name!r} is used twice")
        names.add(feed.name)
        feeds.append(feed)
    default_group = raw.get("default_group")
    if default_group is not None and not isinstance(default_group, str):
        raise ConfigError(f"{path}:line {raw.get('__line__', 1)}: default_group must be a string")
    if default_group is not None and default_group not in {f.group for f in feeds}:
        raise ConfigError(f"{path}:line {raw.get('__line__', 1)}: default_group {default_group!r} has no feeds")
    return FeedsConfig(path=path, feeds=feeds, default_group=default_group)


def _feed_from_yaml(path: Path, item) -> FeedConfig:
    if not isinstance(item, dict):
        raise ConfigError(f"{path}: each entry of 'feeds' must be a mapping with name and url, got {item!r}")
    line = item.pop("__line__", 0)
    where = f"{path}:line {line}"
    unknown = set(item) - FEED_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(FEED_KEYS))})")
    for key in ("name", "url"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ConfigError(f"{where}: '{key}' is required and must be a non-empty string")
    scheme = urlparse(item["url"]).scheme
    if "://" in item["url"] and scheme not in URL_SCHEMES:
        raise ConfigError(f"{where}: url scheme {scheme!r} is not supported (use http, https, file or a path)")
    group = item.get("group", "default")
    if not isinstance(group, str) or not group.strip():
        raise ConfigError(f"{where}: 'group' must be a non-empty string")
    keywords = item.get("keywords") or []
    if isinstance(keywords, str):
        keywords = [keywords]
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise ConfigError(f"{where}: 'keywords' must be a list of non-empty strings")
    enabled = item.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{where}: 'enabled' must be true or false")
    return FeedConfig(
        name=item["name"].strip(), url=resolve_location(item["url"].strip(), path.parent),
        group=group.strip(), keywords=keywords, enabled=enabled, line=line,
    )


def resolve_location(url: str, folder: Path) -> str:
    """An http(s)/file URL stays; a bare path is taken relative to `folder`."""
    if "://" in url:
        return url
    return str((folder / url).resolve())


def parse_feed(content: bytes, feed: FeedConfig, base: str) -> tuple[list[FeedEntry], Optional[Failure]]:
    """Entries of a feed document; the failure, if any, describes why it was ill-formed.

    feedparser is handed a file object, never bytes or str: given a document that reads as a
    path or URL (say, a body of "/etc/passwd"), it would open or fetch that instead.
    External entities are never resolved: feedparser's strict parser does not load them and
    its loose parser leaves them as text.
    """
    parsed = feedparser.parse(io.BytesIO(bytes(content)), sanitize_html=False, resolve_relative_uris=False)
    problem = None
    if parsed.get("bozo"):
        reason = f"ill-formed feed: {parsed.get('bozo_exception')!r}"
        problem = Failure(url=feed.url, stage="feeds", reason=reason)
    entries = []
    for item in parsed.get("entries", []):
        entry = _entry(item, feed, base)
        if entry and _mentions_keywords(entry, feed.keywords):
            entries.append(entry)
    if not entries and problem is None and not parsed.get("version"):
        problem = Failure(url=feed.url, stage="feeds", reason="not a feed: no RSS, Atom or JSON feed found")
    return entries, problem


def _entry(item, feed: FeedConfig, base: str) -> Optional[FeedEntry]:
    link = item.get("link") or _first_alternate(item)
    if not link:
        return None
    return FeedEntry(
        feed=feed.name, url=canonical_url(_absolute(link.strip(), base)), title=item.get("title"),
        published=_entry_date(item), summary=item.get("summary"),
    )


def _first_alternate(item) -> Optional[str]:
    for link in item.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _absolute(link: str, base: str) -> str:
    if "://" in link:
        return link
    if "://" in base:
        try:
            return urljoin(base, link)
        except ValueError:
            return link
    return str((Path(base).parent / link).resolve())


def _entry_date(item) -> Optional[str]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = item.get(key)
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
            except ValueError:
                continue
    return None


def _mentions_keywords(entry: FeedEntry, keywords: list[str]) -> bool:
    if not keywords:
        return True
    haystack = " ".join(filter(None, [entry.title, entry.summary, entry.url])).lower()
    return any(k.lower() in haystack for k in keywords)


def canonical_url(url: str) -> str:
    """One spelling per article: normalised host and path, tracking parameters and fragment dropped.

    Local paths and URLs courlan cannot read are returned unchanged.
    """
    try:
        if urlparse(url).scheme not in ("http", "https"):
            return url
        normal = courlan.normalize_url(url)
    except (ValueError, AttributeError):  # e.g. "Invalid IPv6 URL": the fetcher will say so
        return url
    return normal.split("#", 1)[0]


def entry_to_dict(entry: FeedEntry) -> dict:
    return asdict(entry)


def entry_from_dict(data: dict) -> FeedEntry:
    return FeedEntry(**{k: data.get(k) for k in ("feed", "url", "title", "published", "summary")})

"""Feeds stage: the feeds.yaml configuration and feed parsing (feedparser).

feedparser's result dicts are converted to `FeedEntry` here; an ill-formed feed still yields
the entries feedparser recovered, and the problem (`bozo`) is returned for the caller to record.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional
from urllib.parse import urljoin

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
        """Enabled feeds of `group` (default: the file's default group, else all)."""
        wanted = group or self.default_group
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
    feeds, names = [], set()
    for item in raw["feeds"]:
        feed = _feed_from_yaml(path, item)
        if feed.name in names:
            raise ConfigError(f"{path}:line {feed.line}: feed name {feed.name!r} is used twice")
        names.add(feed.name)
        feeds.append(feed)
    default_group = raw.get("default_group")
    if default_group is not None and default_group not in {f.group for f in feeds}:
        raise ConfigError(f"{path}:line {raw.get('__line__', 1)}: default_group {default_group!r} has no feeds")
    return FeedsConfig(path=path, feeds=feeds, default_group=default_group)


def _feed_from_yaml(path: Path, item) -> FeedConfig:
    if not isinstance(item, dict):
        raise ConfigError(f"{path}: each entry of 'feeds' must be a mapping, got {item!r}")
    line = item.pop("__line__", 0)
    where = f"{path}:line {line}"
    unknown = set(item) - FEED_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(FEED_KEYS))})")
    for key in ("name", "url"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ConfigError(f"{where}: '{key}' is required and must be a non-empty string")
    keywords = item.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise ConfigError(f"{where}: 'keywords' must be a list of strings")
    enabled = item.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{where}: 'enabled' must be true or false")
    return FeedConfig(
        name=item["name"], url=resolve_location(item["url"], path.parent),
        group=str(item.get("group", "default")), keywords=keywords, enabled=enabled, line=line,
    )


def resolve_location(url: str, folder: Path) -> str:
    """An http(s)/file URL stays; a bare path is taken relative to `folder`."""
    if "://" in url:
        return url
    return str((folder / url).resolve())


def parse_feed(content: bytes, feed: FeedConfig, base: str) -> tuple[list[FeedEntry], Optional[Failure]]:
    """Entries of a feed document; the failure, if any, describes why it was ill-formed."""
    parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
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
        feed=feed.name, url=_absolute(link.strip(), base), title=item.get("title"),
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
        return urljoin(base, link)
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

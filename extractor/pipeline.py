"""The pipeline: feeds → fetch → text → claims → store → reconcile → report, chained thinly."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from extractor import claims as claims_stage
from extractor import feeds, fetch, reconcile, store, text
from extractor.types import Article, Check, Claim, FeedEntry, Failure

Progress = Callable[[str], None]


@dataclass
class Summary:
    """What a run or an ingest did, for the terminal summary."""

    articles_seen: int = 0
    articles_stored: int = 0
    claims_stored: int = 0
    failures: list[Failure] = field(default_factory=list)

    def fail(self, failure: Failure, db=None) -> None:
        self.failures.append(failure)
        if db is not None:
            store.record_failure(db, failure)


@dataclass
class Extracted:
    """The claims read from one input file, or why it could not be read."""

    path: Path
    claims: list[Claim] = field(default_factory=list)
    failure: Optional[Failure] = None


def article_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Optional[Failure]]]:
    """Expand folders into their article files, in name order; name paths that are unusable."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in text.ARTICLE_SUFFIXES and p.is_file())
            if not found:
                yield path, Failure(str(path), "ingest", "folder holds no .txt or .html files")
            for item in found:
                yield item, None
        elif not path.exists():
            yield path, Failure(str(path), "ingest", "no such file or folder")
        elif path.suffix.lower() not in text.ARTICLE_SUFFIXES:
            yield path, Failure(str(path), "ingest", f"unsupported file type {path.suffix or '(none)'}; expected .txt, .html or .htm")
        else:
            yield path, None


def read_file(path: Path, published: Optional[str]) -> tuple[Optional[Article], Optional[Failure]]:
    try:
        return text.read_article_file(path, published=published), None
    except OSError as err:
        return None, Failure(str(path), "text", f"cannot read: {err.strerror or err}")
    except text.TextError as err:
        return None, Failure(str(path), "text", str(err))


def claims_for(article: Article, name: str) -> list[Claim]:
    return claims_stage.extract_claims(
        article.text, article=name, published=text.parse_date(article.published), article_id=article.id,
    )


def extract_files(paths: Iterable[Path], published: Optional[str] = None) -> Iterator[Extracted]:
    """Claims of each article file, without touching a database (`extractor extract`)."""
    for path, failure in article_files(paths):
        if failure:
            yield Extracted(path, failure=failure)
            continue
        article, failure = read_file(path, published)
        if failure:
            yield Extracted(path, failure=failure)
            continue
        yield Extracted(path, claims=claims_for(article, path.stem))


def ingest(paths: Iterable[Path], db_path: Path, published: Optional[str] = None,
           progress: Optional[Progress] = None) -> Summary:
    """Add article files to the database as if they came from a feed; idempotent."""
    db = store.open_db(db_path)
    summary = Summary()
    for path, failure in article_files(paths):
        summary.articles_seen += 1
        article, failure = (None, failure) if failure else read_file(path, published)
        if failure:
            summary.fail(failure, db)
            continue
        _store(db, article, path.stem, summary, progress)
    return summary


def run(feeds_path: Path, db_path: Path, group: Optional[str] = None,
        progress: Optional[Progress] = None) -> Summary:
    """The main job: read the feeds, fetch and extract new articles, store, reconcile."""
    config = feeds.load_config(feeds_path)
    db = store.open_db(db_path)
    summary = Summary()
    seen: set[str] = set()  # an article listed by several feeds is processed once a run
    for feed in config.selected(group):
        for entry in _feed_entries(feed, db, summary):
            if entry.url in seen:
                continue
            seen.add(entry.url)
            summary.articles_seen += 1
            article = _fetch_article(entry, feed, db, summary)
            if article is not None:
                _store(db, article, article.url, summary, progress)
    reconcile_db(db)
    return summary


def _feed_entries(feed: feeds.FeedConfig, db, summary: Summary) -> list[FeedEntry]:
    try:
        fetched = fetch.fetch(feed.url)
    except fetch.FetchError as err:
        summary.fail(Failure(feed.url, "fetch", str(err)), db)
        return []
    entries, problem = feeds.parse_feed(fetched.content, feed, base=fetched.url)
    if problem:
        summary.fail(problem, db)
    return entries


def _fetch_article(entry: FeedEntry, feed: feeds.FeedConfig, db, summary: Summary) -> Optional[Article]:
    try:
        fetched = fetch.fetch(entry.url, allow_local=not fetch.is_remote(feed.url))
        return text.article_from_html(fetched.content, entry.url, published=entry.published,
                                      feed=feed.name, title=entry.title)
    except fetch.FetchError as err:
        summary.fail(Failure(entry.url, "fetch", str(err)), db)
    except text.TextError as err:
        summary.fail(Failure(entry.url, "text", str(err)), db)
    return None


def _store(db, article: Article, name: str, summary: Summary, progress: Optional[Progress]) -> None:
    found = claims_for(article, name)
    summary.claims_stored += store.save_article(db, article, found)
    summary.articles_stored += 1
    if progress:
        progress(f"{name}: {len(found)} claims")


def reconcile_db(db) -> reconcile.Reconciliation:
    """Recompute every cross-check over the stored claims."""
    result = reconcile.reconcile(store.load_claims(db), store.load_articles(db))
    store.replace_reconciliation(db, result.checks, [s.row() for s in result.series])
    return result


def conflicts(db) -> list[Check]:
    return [c for c in store.load_checks(db) if c.verdict == "conflict"]

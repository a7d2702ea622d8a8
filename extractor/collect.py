"""Collection: feed entries, listed URLs and archived captures → stored articles.

Fetching and text extraction run on a few threads (network-bound; the fetcher bounds the
requests per host) and are taken as they complete; claim extraction happens on the calling
thread as each article comes in, and every database write on it too, in input order (which of
two copies of a text is stored first never depends on timing), one article per transaction, so
a crash loses at most the articles in hand and a re-run finishes the job without duplicates.

A re-run does almost nothing over what is unchanged:
- a feed answering 304 (or an unchanged local feed file) reuses the entries it listed last
  time, and entries already stored are skipped without a request;
- other known articles are fetched conditionally (ETag / Last-Modified); a 304, or a body
  whose text fingerprint is unchanged, skips claim extraction and writes nothing;
- a page whose text is stored already under another URL is a duplicate: remembered, not stored.
Failed URLs are never remembered as known, so the next run tries them again.
"""
from __future__ import annotations

import json
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from extractor import archives, feeds, fetch, store, text
from extractor.types import Article, Claim, FeedEntry, Failure

ExtractClaims = Callable[[Article, str], list[Claim]]
HELD_BACK_LIMIT = 256  # collected articles waiting for an earlier one's turn before new work pauses


@dataclass
class Job:
    """One article to collect, with what the database already knows of it."""

    kind: str  # "http" | "file" | "capture"
    url: str  # canonical URL, or a local path: the article's identity
    name: str  # what its claims cite as their article
    title: Optional[str] = None
    published: Optional[str] = None  # the feed's or the user's date; the page's own wins
    fallback_published: Optional[str] = None  # last resort (a capture date)
    feed: Optional[str] = None
    allow_local: bool = True  # may a "file" job read the disk (not when a remote feed named it)
    content: Optional[bytes] = None  # a capture's payload
    content_type: str = ""
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    known_fingerprint: Optional[str] = None


@dataclass
class Outcome:
    job: Job
    article: Optional[Article] = None
    failure: Optional[Failure] = None
    not_modified: bool = False
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    claims: Optional[list[Claim]] = None  # read ahead of the article's turn to be written
    claims_error: Optional[Exception] = None


class Collector:
    def __init__(self, db, summary, fetcher: fetch.Fetcher, extract: ExtractClaims,
                 progress: Optional[Callable[[str], None]] = None, workers: int = 4):
        self.db, self.summary, self.fetcher, self.extract = db, summary, fetcher, extract
        self.progress, self.workers = progress, max(1, workers)

    # Feeds -------------------------------------------------------------------------------

    def feed_jobs(self, selected: Iterable[feeds.FeedConfig]) -> list[Job]:
        """Jobs for the entries of the selected feeds, each URL once."""
        jobs, seen = [], set()
        for feed in selected:
            try:
                entries, fresh = self.feed_entries(feed)
            except Exception as err:  # one feed's fault (a parser bug, a write error) spares the others
                self.summary.fail(Failure(feed.url, "feeds", unexpected(err)), self.db)
                continue
            for entry in entries:
                if entry.url in seen:
                    continue
                seen.add(entry.url)
                self.summary.articles_seen += 1
                job = self._entry_job(entry, feed, fresh)
                if job is None:
                    self.summary.unchanged += 1
                else:
                    jobs.append(job)
        return jobs

    def feed_entries(self, feed: feeds.FeedConfig) -> tuple[list[FeedEntry], bool]:
        """The feed's entries, and whether they are fresh (False: reused after a 304)."""
        state = store.feed_state(self.db, feed.name)
        row = store.cached(self.db, feed.url) if state and state["url"] == feed.url else None
        etag, modified = (row["etag"], row["last_modified"]) if row else (None, None)
        try:
            fetched = self._fetch_feed(feed, etag, modified)
        except fetch.FetchError as err:
            self.summary.fail(Failure(feed.url, "fetch", str(err)), self.db)
            return [], True
        if fetched.not_modified:
            return [feeds.entry_from_dict(d) for d in json.loads(state["entries"] or "[]")], False
        entries, problem = feeds.parse_feed(fetched.content, feed, base=fetched.url)
        if problem and not entries:
            self.summary.fail(problem, self.db)
            return [], True
        store.resolve_failures(self.db, feed.url, "fetch")
        if problem:  # ill-formed, but its entries were read: recorded, and the run goes on
            self.summary.warn(problem, self.db)
        else:
            store.resolve_failures(self.db, feed.url, "feeds")
        store.save_feed_state(self.db, feed.name, feed.url, [feeds.entry_to_dict(e) for e in entries],
                              problem.reason if problem else None)
        store.remember(self.db, feed.url, etag=fetched.etag, last_modified=fetched.last_modified)
        return entries, True

    def _fetch_feed(self, feed: feeds.FeedConfig, etag, modified) -> fetch.Fetched:
        if fetch.is_remote(feed.url):
            return self.fetcher.fetch(feed.url, etag=etag, last_modified=modified)
        validator = fetch.file_validator(fetch.local_path(feed.url))
        if modified and validator == modified:
            return fetch.Fetched(url=feed.url, content=b"", status=304, not_modified=True)
        return fetch.read_local(feed.url)

    def _entry_job(self, entry: FeedEntry, feed: feeds.FeedConfig, fresh: bool) -> Optional[Job]:
        row = store.cached(self.db, entry.url)
        if row and row["fingerprint"] and not fresh:
            return None  # the feed is unchanged and this article is stored: nothing to do
        job = Job(kind="http" if fetch.is_remote(entry.url) else "file", url=entry.url, name=entry.url,
                  title=entry.title, published=entry.published, feed=feed.name,
                  allow_local=not fetch.is_remote(feed.url))
        return self._with_cache(job, row)

    # Archives ----------------------------------------------------------------------------

    def item_jobs(self, items: Iterable[archives.Item], published: Optional[str]) -> Iterator[Job]:
        """Jobs for archive items (URL lists, WARC captures); failures are recorded on the way."""
        for item in items:
            self.summary.articles_seen += 1
            if item.failure:
                self.summary.fail(item.failure, self.db)
                continue
            kind = {"url": "http", "capture": "capture"}.get(item.kind, "file")
            job = Job(kind=kind, url=item.url, name=item.name, published=published,
                      fallback_published=item.captured, content=item.content,
                      content_type=item.content_type)
            yield self._with_cache(job, store.cached(self.db, item.url))

    def _with_cache(self, job: Job, row: Optional[dict]) -> Job:
        if row and row["fingerprint"]:
            job.etag, job.last_modified, job.known_fingerprint = row["etag"], row["last_modified"], row["fingerprint"]
        return job

    # Processing --------------------------------------------------------------------------

    def process(self, jobs: Iterable[Job]) -> None:
        """Collect the jobs on worker threads, each one's claims read as soon as it is in, and
        write them in input order: a slow server holds back only the writes behind it, never
        the fetching or the reading."""
        ready: dict[int, Outcome] = {}
        written = 0
        done = _completion_map(self.collect, jobs, self.workers, lambda: len(ready) < HELD_BACK_LIMIT)
        for index, outcome in done:
            self.prepare(outcome)
            ready[index] = outcome
            while written in ready:
                note = self.settle(ready.pop(written))
                written += 1
                if self.progress:
                    self.progress(note)

    def prepare(self, outcome: Outcome) -> None:
        """Read the claims of a collected article that will need them (before its turn to be
        written comes); a fault is kept for `settle` to record in order."""
        article, db = outcome.article, self.db
        if article is None or outcome.claims is not None:
            return
        known = outcome.job.known_fingerprint or store.article_fingerprint(db, article.id)
        if known == article.fingerprint or store.has_fingerprint(db, article.fingerprint, other_than=article.id):
            return  # unchanged or a duplicate: settle decides without claims
        try:
            outcome.claims = self.extract(article, outcome.job.name)
        except Exception as err:
            outcome.claims_error = err

    def collect(self, job: Job) -> Outcome:
        """Fetch and extract one article (on a worker thread: no database access here).

        Never raises: whatever goes wrong with this one item is its Outcome's failure, named
        with the stage it happened in.
        """
        stage = "fetch"
        try:
            fetched = self._fetch(job)
            if fetched.not_modified:
                return Outcome(job, not_modified=True)
            stage = "text"
            article = self._article(job, fetched)
        except (fetch.FetchError, text.TextError) as err:
            return Outcome(job, failure=Failure(job.url, stage, str(err)))
        except Exception as err:  # a library fault on one hostile page is recorded; the batch goes on
            return Outcome(job, failure=Failure(job.url, stage, unexpected(err)))
        return Outcome(job, article=article, etag=fetched.etag, last_modified=fetched.last_modified)

    def _fetch(self, job: Job) -> fetch.Fetched:
        if job.kind == "http":
            return self.fetcher.fetch(job.url, etag=job.etag, last_modified=job.last_modified)
        if job.kind == "file":
            return self._read_file(job)
        return fetch.Fetched(url=job.url, content=job.content or b"", content_type=job.content_type)

    def _read_file(self, job: Job) -> fetch.Fetched:
        if job.allow_local and job.last_modified and job.known_fingerprint:
            if fetch.file_validator(fetch.local_path(job.url)) == job.last_modified:
                return fetch.Fetched(url=job.url, content=b"", status=304, not_modified=True)
        return fetch.read_local(job.url, allow_local=job.allow_local)

    @staticmethod
    def _article(job: Job, fetched: fetch.Fetched) -> Article:
        is_text = (fetched.content_type.split(";")[0].strip().lower() == "text/plain"
                   or (job.kind == "file" and Path(job.url).suffix.lower() in text.TEXT_SUFFIXES))
        charset = text.charset_of(fetched.content_type)
        if is_text:
            article = text.article_from_text(text.decode_text(fetched.content, charset), job.url,
                                             published=job.published, feed=job.feed, title=job.title)
        else:
            article = text.article_from_html(fetched.content, job.url, published=job.published,
                                             feed=job.feed, title=job.title, charset=charset)
        if article.published is None:
            article.published = job.fallback_published
        return article

    def settle(self, outcome: Outcome) -> str:
        """Record the outcome of one job: a failure, nothing new, a duplicate, or a stored article.

        Returns a line saying which, for progress reports. Never raises: a fault while writing
        this one article (a full disk, a locked database) is recorded as its failure.
        """
        if outcome.failure is None:
            try:
                return self._settle(outcome)
            except Exception as err:
                outcome.failure = Failure(outcome.job.url, "store", unexpected(err))
        self.summary.fail(outcome.failure, self.db)
        failure = outcome.failure
        return f"{outcome.job.name}: failed ({failure.stage}): {failure.reason}"

    def _settle(self, outcome: Outcome) -> str:
        job, summary, db = outcome.job, self.summary, self.db
        if outcome.not_modified:
            summary.unchanged += 1
            return f"{job.name}: not modified"
        article = outcome.article
        validators = dict(etag=outcome.etag, last_modified=outcome.last_modified)
        known = job.known_fingerprint or store.article_fingerprint(db, article.id)
        if known == article.fingerprint:
            summary.unchanged += 1
            if (job.etag, job.last_modified, job.known_fingerprint) != (outcome.etag, outcome.last_modified, known):
                store.remember(db, job.url, fingerprint=known, article_id=article.id, **validators)
            return f"{job.name}: unchanged"
        original = store.has_fingerprint(db, article.fingerprint, other_than=article.id)
        if original:
            summary.duplicates += 1
            store.remember(db, job.url, fingerprint=article.fingerprint, article_id=original, **validators)
            store.resolve_failures(db, job.url)
            return f"{job.name}: same text as article {original}"
        try:
            found = self._claims(outcome)
        except Exception as err:  # a fault in claim extraction on one article: recorded, the run goes on
            failure = Failure(job.url, "claims", f"claim extraction failed: {type(err).__name__}: {err}")
            summary.fail(failure, db)
            return f"{job.name}: failed (claims): {failure.reason}"
        summary.claims_stored += store.save_article(db, article, found)
        summary.articles_stored += 1
        store.remember(db, job.url, fingerprint=article.fingerprint, article_id=article.id, **validators)
        return f"{job.name}: {len(found)} claims"


    def _claims(self, outcome: Outcome) -> list[Claim]:
        if outcome.claims_error is not None:
            raise outcome.claims_error
        if outcome.claims is None:  # not read ahead (it looked unchanged when it came in)
            outcome.claims = self.extract(outcome.article, outcome.job.name)
        return outcome.claims


def unexpected(err: BaseException) -> str:
    """The reason recorded for an exception nobody foresaw: its type and message."""
    return f"{type(err).__name__}: {err}"


def _completion_map(func, items: Iterable, workers: int, may_submit: Callable[[], bool]) -> Iterator[tuple]:
    """(index, func(item)) for the items on `workers` threads, as each call completes.

    At most two calls a worker are in flight, and none is started while `may_submit()` is
    false (the caller holds too many results back), so memory does not grow with the input.
    """
    if workers == 1:
        yield from ((index, func(item)) for index, item in enumerate(items))
        return
    numbered = enumerate(items)
    running: dict = {}  # future -> index
    exhausted = False
    with ThreadPoolExecutor(workers, thread_name_prefix="collect") as pool:
        while True:
            while not exhausted and len(running) < workers * 2 and (may_submit() or not running):
                entry = next(numbered, None)
                if entry is None:
                    exhausted = True
                    break
                running[pool.submit(func, entry[1])] = entry[0]
            if not running:
                return
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=running.get):
                yield running.pop(future), future.result()

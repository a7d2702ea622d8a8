"""Collection: the one ingest engine, for `run`, `ingest` and `batch` alike.

Sources (extractor/sources.py) yield jobs; the collector looks each up in the database, then
1. fetches on a few threads what must come over the network (the fetcher bounds the requests
   per host), checking a known file's size and time instead of reading it;
2. extracts on worker processes (extractor/workers.py: prefilter, text, claims), through the
   engine's ordered map (extractor/engine.py), so one slow page holds back no other's work;
3. settles every outcome here, in input order, and writes stored articles many to a
   transaction (upserts keyed on stable hashes), so one worker and many store the same rows,
   a crash loses at most the articles in hand and a re-run finishes the job without duplicates.

A re-run does almost nothing over what is unchanged:
- a feed answering 304 (or an unchanged local feed file) reuses the entries it listed last
  time, and entries already stored are skipped without a request;
- other known articles are fetched conditionally (ETag / Last-Modified; a file's size and
  modification time; a capture's payload hash); a 304, or a text whose fingerprint is
  unchanged, skips claim extraction and writes nothing;
- a page the prefilter skipped is remembered as seen (with the prefilter's version);
- a page whose text is stored already under another URL is a duplicate: remembered, not stored.
Failed URLs are never remembered as known, so the next run tries them again.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Iterable, Iterator, Optional

from extractor import engine, feeds, fetch, store, workers
from extractor.sources import Job, Source
from extractor.types import FeedEntry, Failure
from extractor.workers import Outcome, unexpected

Progress = Callable[[str], None]
DEFAULT_BATCH = 64  # articles per transaction: amortises the commit, bounds what a crash redoes
FLUSH_SECONDS = 2.0  # ... and a slow stream still commits regularly
FETCH_THREADS = 4
HELD_BACK_LIMIT = 256  # collected pages waiting for an earlier one's turn before new work pauses


@dataclass
class Summary:
    """What a run, an ingest or a batch did, for the terminal summary."""

    articles_seen: int = 0
    articles_stored: int = 0
    claims_stored: int = 0
    failures: list[Failure] = field(default_factory=list)
    unchanged: int = 0  # known articles left alone: a 304, an unchanged file, the same text
    duplicates: int = 0  # pages whose text is stored already under another URL
    refreshed: int = 0  # stored articles whose claims were read again by a newer extractor
    prefiltered: int = 0  # pages the prefilter found no figure in: no text, no claims
    # Problems recorded in fetch_log that lost nothing, e.g. an ill-formed feed whose
    # entries were still read; they do not make the run fail.
    warnings: list[Failure] = field(default_factory=list)

    def fail(self, failure: Failure, db=None) -> None:
        self.failures.append(failure)
        _record(failure, db)

    def warn(self, failure: Failure, db=None) -> None:
        self.warnings.append(failure)
        _record(failure, db)


def _record(failure: Failure, db) -> None:
    """Log a failure in fetch_log; when the database refuses even that, the failure still reaches
    the summary, saying it was not recorded."""
    if db is None:
        return
    try:
        store.record_failure(db, failure)
    except (sqlite3.Error, store.StoreError) as err:
        failure.reason += f" (not recorded in the database: {err})"


def is_done(item) -> bool:
    return isinstance(item, Outcome)


class Collector:
    def __init__(self, db, summary: Summary, fetcher: Optional[fetch.Fetcher] = None,
                 progress: Optional[Progress] = None, workers: int = 1, *,
                 fetch_threads: int = FETCH_THREADS, use_prefilter: bool = False,
                 batch_size: Optional[int] = None):
        self.db, self.summary, self.fetcher, self.progress = db, summary, fetcher, progress
        self.workers, self.fetch_threads, self.use_prefilter = max(1, workers), fetch_threads, use_prefilter
        self.writer = Writer(db, summary, batch_size or DEFAULT_BATCH)
        self._feed_urls: set[str] = set()

    # Jobs --------------------------------------------------------------------------------

    def jobs(self, sources: Iterable[Source]) -> Iterator[Job]:
        """The sources' jobs, each looked up in the database."""
        for source in sources:
            for job in source.jobs(self):
                yield self.prepare(job)

    def prepare(self, job: Job) -> Job:
        self.summary.articles_seen += 1
        if job.failure is not None or job.kind == "stored":
            return job
        if job.kind == "capture":
            job.etag = workers.content_validator(job.content or b"")
        row = store.cached(self.db, job.url)
        if row and self._known(row["fingerprint"]):
            job.known_fingerprint = row["fingerprint"]
            if job.kind == "capture":
                if row["etag"] == job.etag:
                    job.kind = "done"  # the very payload stored or skipped before
            else:
                job.etag, job.last_modified = row["etag"], row["last_modified"]
        return job

    @staticmethod
    def _known(fingerprint: Optional[str]) -> bool:
        """A stored text's fingerprint, or the mark of a page this prefilter skipped."""
        return bool(fingerprint) and (not fingerprint.startswith("skip:") or fingerprint == workers.seen_marker())

    # Feeds -------------------------------------------------------------------------------

    def feed_entries_once(self, feed: feeds.FeedConfig) -> Iterator[tuple[FeedEntry, bool]]:
        """(entry, fresh) for the feed's entries not listed by an earlier feed of this run."""
        try:
            entries, fresh = self.feed_entries(feed)
        except Exception as err:  # one feed's fault (a parser bug, a write error) spares the others
            self.summary.fail(Failure(feed.url, "feeds", unexpected(err)), self.db)
            return
        for entry in entries:
            if entry.url not in self._feed_urls:
                self._feed_urls.add(entry.url)
                yield entry, fresh

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

    def entry_job(self, entry: FeedEntry, feed: feeds.FeedConfig, fresh: bool) -> Optional[Job]:
        """The job of a feed entry, or None (counted unchanged) when the feed is unchanged and
        the article known."""
        from extractor.sources import FeedOrigin

        row = store.cached(self.db, entry.url)
        if row and self._known(row["fingerprint"]) and not fresh:
            self.summary.articles_seen += 1
            self.summary.unchanged += 1
            return None
        return Job(kind="http" if fetch.is_remote(entry.url) else "file", url=entry.url, name=entry.url,
                   origin=FeedOrigin(feed.name, feed.url), title=entry.title, published=entry.published,
                   feed=feed.name, allow_local=not fetch.is_remote(feed.url))

    # Processing --------------------------------------------------------------------------

    def process(self, jobs: Iterable[Job], remote: bool = True) -> None:
        """Fetch, extract and settle the (prepared) jobs; returns when all are written.

        Pages are fetched and extracted as they come in, and settled in input order: a slow
        server holds back only the writes behind it, never the fetching or the extracting."""
        ready: dict[int, Outcome] = {}
        fetched = engine.completion_map(self.fetch, jobs, self.fetch_threads if remote else 1, processes=False,
                                        passthrough=is_done, may_submit=lambda: len(ready) < HELD_BACK_LIMIT)
        extract = partial(workers.extract, use_prefilter=self.use_prefilter)
        if self.workers > 1:
            workers.warm_up()
        done = engine.completion_map(extract, fetched, self.workers, crashed=workers.died,
                                     initializer=workers.warm_up, passthrough=is_done, indexed=True)
        self.writer.since = time.monotonic()  # the clock of a batch starts with the work, not the set-up
        following = 0
        try:
            for index, outcome in done:
                ready[index] = outcome
                while following in ready:
                    self.settle(ready.pop(following))
                    following += 1
        finally:
            done.close()  # stops the workers now, even when a write failed
            fetched.close()
            self.writer.flush()

    def collect(self, sources: list) -> None:
        self.process(self.jobs(sources), remote=any(s.remote for s in sources))

    def fetch(self, job: Job):
        """The job with its page (on a fetch thread: no database here), or its Outcome when
        there is nothing to extract."""
        if job.failure is not None:
            return Outcome(job, failure=job.failure)
        if job.kind == "done":
            return Outcome(job, not_modified=True)
        try:
            if job.kind == "http":
                fetched = self.fetcher.fetch(job.url, etag=job.etag, last_modified=job.last_modified)
                if fetched.not_modified:
                    return Outcome(job, not_modified=True)
                job.content, job.content_type = fetched.content, fetched.content_type
                job.etag, job.last_modified = fetched.etag, fetched.last_modified
            elif job.kind == "file" and job.allow_local and job.last_modified and job.known_fingerprint:
                if fetch.file_validator(fetch.local_path(job.url)) == job.last_modified:
                    return Outcome(job, not_modified=True)
        except fetch.FetchError as err:
            return Outcome(job, failure=Failure(job.url, "fetch", str(err)))
        except Exception as err:  # a fault of the fetcher on one page is recorded; the rest go on
            return Outcome(job, failure=Failure(job.url, "fetch", unexpected(err)))
        return job

    def settle(self, outcome: Outcome) -> None:
        """Record one outcome: a failure, nothing new, a page skipped, a duplicate, or an
        article for the writer. Never raises: a fault while recording is the item's failure."""
        if outcome.failure is None:
            try:
                note = self._settle(outcome)
            except Exception as err:
                outcome.failure = Failure(outcome.job.url, "store", unexpected(err))
        if outcome.failure is not None:
            self.writer.flush()  # keep the order of writes, as one worker would
            self.summary.fail(outcome.failure, self.db)
            note = f"{outcome.job.name}: failed ({outcome.failure.stage}): {outcome.failure.reason}"
        if self.progress:
            self.progress(note)

    def _settle(self, outcome: Outcome) -> str:
        job, summary = outcome.job, self.summary
        if outcome.not_modified:
            summary.unchanged += 1
            return f"{job.name}: not modified"
        validators = dict(etag=outcome.etag, last_modified=outcome.last_modified)
        if outcome.skipped:
            summary.prefiltered += 1
            self.writer.remember(job.url, fingerprint=workers.seen_marker(), resolve=True, **validators)
            return f"{job.name}: no figure (skipped by the prefilter)"
        article = outcome.article
        if job.kind == "stored":
            self.writer.add(outcome, refreshed=True)
            return f"{job.name}: claims read again by the current extractor ({len(outcome.claims)})"
        known = job.known_fingerprint if not (job.known_fingerprint or "").startswith("skip:") else None
        known = known or self.writer.fingerprint_of(article.id)
        if known == article.fingerprint:
            summary.unchanged += 1
            if (job.etag, job.last_modified, job.known_fingerprint) != (outcome.etag, outcome.last_modified, known):
                self.writer.remember(job.url, fingerprint=known, article_id=article.id, **validators)
            return f"{job.name}: unchanged"
        original = self.writer.original_of(article.fingerprint, article.id)
        if original:
            summary.duplicates += 1
            self.writer.remember(job.url, fingerprint=article.fingerprint, article_id=original, resolve=True,
                                 **validators)
            return f"{job.name}: same text as article {original}"
        self.writer.add(outcome)
        return f"{job.name}: {len(outcome.claims)} claims"


class Writer:
    """Stored articles many to a transaction, with the http_cache rows of what was seen.

    It also answers, for the articles it holds, what the database will answer once they are
    written (fingerprints, duplicates), so a batch changes nothing a one-by-one write would
    decide. `touched` collects the commodities of claims written or replaced, for a reconcile
    of only what changed.
    """

    def __init__(self, db, summary: Summary, batch_size: int = DEFAULT_BATCH):
        self.db, self.summary, self.batch_size = db, summary, batch_size
        self.batch: list[tuple[Outcome, bool]] = []
        self.seen: list[dict] = []
        self.fingerprints: dict[str, str] = {}  # fingerprint -> article id, of the batch
        self.ids: dict[str, str] = {}  # article id -> fingerprint, of the batch
        self.since = time.monotonic()
        self.touched: set = set()

    def fingerprint_of(self, article_id: str) -> Optional[str]:
        return self.ids.get(article_id) or store.article_fingerprint(self.db, article_id)

    def original_of(self, fingerprint: str, article_id: str) -> Optional[str]:
        held = self.fingerprints.get(fingerprint)
        if held and held != article_id:
            return held
        return store.has_fingerprint(self.db, fingerprint, other_than=article_id)

    def add(self, outcome: Outcome, refreshed: bool = False) -> None:
        article = outcome.article
        self.batch.append((outcome, refreshed))
        self.fingerprints.setdefault(article.fingerprint, article.id)
        self.ids[article.id] = article.fingerprint
        self._maybe_flush()

    def remember(self, url: str, *, resolve: bool = False, **row) -> None:
        self.seen.append({"url": url, "resolve": resolve, **row})
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if (len(self.batch) >= self.batch_size or len(self.seen) >= 16 * self.batch_size
                or time.monotonic() - self.since > FLUSH_SECONDS):
            self.flush()

    def flush(self) -> None:
        batch, seen = self.batch, self.seen
        self.batch, self.seen, self.since = [], [], time.monotonic()
        self.fingerprints, self.ids = {}, {}
        if batch:
            self._touch(batch)
            if len(batch) == 1:
                batch = [(o, r) for o, r in batch if self._save_one(o)]
            else:
                try:
                    self.summary.claims_stored += store.save_articles(self.db, [(o.article, o.claims) for o, _ in batch])
                except Exception:  # one article the database refuses must not cost the batch: one by one
                    batch = [(o, r) for o, r in batch if self._save_one(o)]
            for outcome, refreshed in batch:
                if refreshed:
                    self.summary.refreshed += 1
                else:
                    self.summary.articles_stored += 1
                    job, article = outcome.job, outcome.article
                    seen.append({"url": job.url, "resolve": False, "fingerprint": article.fingerprint,
                                 "article_id": article.id, "etag": outcome.etag,
                                 "last_modified": outcome.last_modified})
        if seen:
            self._remember_all(seen)

    def _save_one(self, outcome: Outcome) -> bool:
        try:
            self.summary.claims_stored += store.save_article(self.db, outcome.article, outcome.claims)
        except Exception as err:
            self.summary.fail(Failure(outcome.job.url, "store", unexpected(err)), self.db)
            return False
        return True

    def _remember_all(self, rows: list[dict]) -> None:
        try:
            store.remember_many(self.db, rows)
        except Exception as err:  # validators lost cost a re-fetch next time, nothing stored
            for row in rows:
                self.summary.warn(Failure(row["url"], "store", f"not remembered as seen: {unexpected(err)}"), self.db)

    def _touch(self, batch) -> None:
        ids = [o.article.id for o, _ in batch]
        self.touched.update(c.commodity for o, _ in batch for c in o.claims)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            self.touched.update(row[0] for row in self.db.execute(
                f"SELECT DISTINCT commodity FROM claims WHERE article_id IN ({marks})", chunk))

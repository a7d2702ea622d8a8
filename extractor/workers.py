"""The work done for each page, in a worker process (or inline): read → prefilter → text → claims.

No database here: `extract(job)` gets a job (with the page's bytes for a fetched page or a
capture, a path for a file, the article for a stored one) and returns an `Outcome` the
collector settles in the parent. Whatever goes wrong with this one page is the outcome's
failure, named with the stage it happened in; nothing raises.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from extractor import claims, fetch, prefilter, text
from extractor.sources import Job
from extractor.types import Article, Claim, Failure


@dataclass
class Outcome:
    """What became of one job."""

    job: Job
    article: Optional[Article] = None
    claims: list[Claim] = field(default_factory=list)
    failure: Optional[Failure] = None
    not_modified: bool = False  # a 304, or a file whose size and time are unchanged
    unchanged: bool = False  # the text is the one stored: its claims were not read again
    skipped: bool = False  # the prefilter found no figure: no text, no claims
    etag: Optional[str] = None
    last_modified: Optional[str] = None  # for a file: its size and modification time


def unexpected(err: BaseException) -> str:
    """The reason recorded for an exception nobody foresaw: its type and message."""
    return f"{type(err).__name__}: {err}"


def extract(job: Job, use_prefilter: bool = True) -> Outcome:
    """Read → prefilter → text → claims for one job. Never raises."""
    if job.failure or job.kind == "done":
        return Outcome(job, failure=job.failure)
    if job.kind == "stored":
        return _claims(Outcome(job, article=job.article))
    stage = "fetch"
    try:
        raw, validator = _bytes(job)
        job.content = None  # what goes back to the parent: no page bytes
        if use_prefilter and not prefilter.passes(raw):
            return Outcome(job, skipped=True, last_modified=validator or job.last_modified, etag=job.etag)
        stage = "text"
        article = _article(job, raw)
    except (fetch.FetchError, text.TextError) as err:
        return Outcome(job, failure=Failure(job.url, stage, str(err)))
    except OSError as err:
        return Outcome(job, failure=Failure(job.url, "text", f"cannot read: {err.strerror or err}"))
    except Exception as err:  # a library fault on one hostile page is recorded; the rest go on
        return Outcome(job, failure=Failure(job.url, stage, f"extraction failed: {unexpected(err)}"))
    outcome = Outcome(job, article=article, etag=job.etag, last_modified=validator or job.last_modified)
    if job.known_fingerprint == article.fingerprint:
        outcome.unchanged = True  # the stored claims came from this very text
        return outcome
    return _claims(outcome)


def _claims(outcome: Outcome) -> Outcome:
    try:
        outcome.claims = claims.claims_for(outcome.article, outcome.job.name)
    except Exception as err:  # a fault in claim extraction on one article: recorded, the run goes on
        outcome.failure = Failure(outcome.job.url, "claims", f"claim extraction failed: {unexpected(err)}")
    return outcome


def _bytes(job: Job) -> tuple[bytes, Optional[str]]:
    """The page's bytes, and for a file its validator (size and modification time); a file
    over the fetcher's cap is a FetchError naming its size."""
    if job.kind != "file":
        return job.content or b"", None
    fetched = fetch.read_local(job.url, allow_local=job.allow_local)
    return fetched.content, fetched.last_modified


def _article(job: Job, raw: bytes) -> Article:
    suffix = Path(job.url).suffix.lower() if job.kind == "file" else ""
    is_text = job.content_type.split(";")[0].strip().lower() == "text/plain" or suffix in text.TEXT_SUFFIXES
    charset = text.charset_of(job.content_type)  # an HTTP header's (or a capture's) charset
    if is_text:
        article = text.article_from_text(text.decode_text(raw, charset), job.url, published=job.published,
                                         feed=job.feed, title=job.user_title or job.title)
    else:
        article = text.article_from_html(raw, job.url, published=job.published, feed=job.feed, title=job.title,
                                         charset=charset)
        if job.user_title is not None:
            article.title = job.user_title
    if article.published is None:
        article.published = job.fallback_published
    return article


def seen_marker() -> str:
    """What a page the prefilter skipped is remembered by (its version: a newer prefilter
    looks at the page again)."""
    return f"skip:{prefilter.version()}"


def content_validator(raw: bytes) -> str:
    """A capture's stand-in for an ETag: a hash of its payload."""
    return "sha1:" + hashlib.sha1(raw).hexdigest()[:24]


def died(job: Job) -> Outcome:
    """The outcome of a page whose extraction killed its worker process twice."""
    return Outcome(job, failure=Failure(job.url, "text", "the worker process died while extracting this page"))


def warm_up() -> None:
    """Load the claim pipeline once, before forking, so workers inherit it instead of each
    loading it (and so the first pages are not charged for it)."""
    from trafilatura import external

    claims.claims_for(Article(url="warm-up", text="Warm-up: 5 tonnes of coal in May."), "warm-up")
    prefilter.default()
    if not getattr(external, "JT_STOPLIST", True):  # jusText's stoplists, read on first fallback
        external.jt_stoplist_init()

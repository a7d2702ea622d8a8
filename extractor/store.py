"""Store stage: the SQLite claims database (sqlite-utils).

Every write is an upsert keyed on a stable hash, and each article is written with its claims in
one transaction, so a crash loses at most the article in hand and a re-run adds no duplicates.
The schema is versioned with PRAGMA user_version; `MIGRATIONS` only grows.

Several processes may write at once: every write transaction takes the write lock when it
begins (BEGIN IMMEDIATE) and waits for it up to BUSY_TIMEOUT, and the migrations run in one
such transaction that reads the schema version again once it holds the lock. The transaction
that stores claims also notes that the checks need recomputing, so no crash can leave new
claims outside the checks while the database says they are current.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import fields as dataclass_fields
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

import sqlite_utils

from extractor.resources import claims_version
from extractor.types import Article, Check, Claim, Failure, Finding, decode_inferred, encode_arithmetic, stable_id

ARTICLE_COLUMNS = {
    "id": str, "url": str, "title": str, "published": str, "text": str, "feed": str,
    "sitename": str, "fingerprint": str, "stored_at": str,
}
CLAIM_COLUMNS = {
    "id": str, "article_id": str, "article": str, "exporter": str, "importer": str, "flow": str,
    "commodity": str, "value": float, "unit": str, "period": str, "change_pct": float,
    "change_basis": str, "qualifier": str, "modality": str, "per": str, "sentence": str,
    "start": int, "end": int, "source": str, "figure_start": int, "figure_end": int,
    "inferred": str,
}
CHECK_COLUMNS = {
    "id": str, "kind": str, "verdict": str, "series": str, "claim_ids": str,
    "explanation": str, "arithmetic": str,
}
FETCH_LOG_COLUMNS = {
    "id": str, "url": str, "stage": str, "reason": str, "attempts": int, "first_seen": str,
    "last_seen": str, "resolved": int,
}


def _migration_1(db: sqlite_utils.Database) -> None:
    db["articles"].create(ARTICLE_COLUMNS, pk="id", if_not_exists=True)
    db["claims"].create(
        CLAIM_COLUMNS, pk="id", foreign_keys=[("article_id", "articles", "id")], if_not_exists=True
    )
    db["checks"].create(CHECK_COLUMNS, pk="id", if_not_exists=True)
    db["fetch_log"].create(FETCH_LOG_COLUMNS, pk="id", if_not_exists=True)
    db["claims"].create_index(["article_id"], if_not_exists=True)
    db["claims"].create_index(["exporter", "importer", "commodity", "period"], if_not_exists=True)
    db["articles"].create_index(["fingerprint"], if_not_exists=True)


def _migration_2(db: sqlite_utils.Database) -> None:
    """Conditional-request validators per URL, and each feed's last entries (reused on a 304)."""
    db["http_cache"].create({
        "url": str, "etag": str, "last_modified": str, "fingerprint": str, "article_id": str,
        "checked_at": str,
    }, pk="url", if_not_exists=True)
    db["feeds_state"].create({
        "feed": str, "url": str, "entries": str, "problem": str, "checked_at": str,
    }, pk="feed", if_not_exists=True)


def _migration_3(db: sqlite_utils.Database) -> None:
    """Small key-value state of the pipeline, e.g. when the checks were last recomputed."""
    db["run_state"].create({"key": str, "value": str}, pk="key", if_not_exists=True)


def _migration_4(db: sqlite_utils.Database) -> None:
    """Which version of the claim extractor read each article's claims."""
    if "claims_version" not in db["articles"].columns_dict:
        db["articles"].add_column("claims_version", str)


def _migration_5(db: sqlite_utils.Database) -> None:
    """The fields of each claim that were carried from context (claims.md `inferred`), as JSON."""
    if "inferred" not in db["claims"].columns_dict:
        db["claims"].add_column("inferred", str)


FINDING_COLUMNS = {
    "id": str, "kind": str, "series": str, "claim_ids": str, "check_ids": str, "cause": str,
    "explanation": str, "support_claim_ids": str, "arithmetic": str, "importance": float,
}
REVIEW_COLUMNS = {
    "claim_key": str, "action": str, "fields": str, "note": str, "at": str,
    # where the decision was made, so it can be shown and matched again after re-extraction
    "claim_id": str, "article_url": str, "sentence": str, "figure": str,
}


def _migration_6(db: sqlite_utils.Database) -> None:
    """Findings (one per wrong figure) and a person's reviews of claims, with every decision kept."""
    db["findings"].create(FINDING_COLUMNS, pk="id", if_not_exists=True)
    db["reviews"].create(REVIEW_COLUMNS, pk="claim_key", if_not_exists=True)
    db["review_log"].create({"id": int, **REVIEW_COLUMNS}, pk="id", if_not_exists=True)
    db["findings"].create_index(["series"], if_not_exists=True)


SERIES_COLUMNS = {
    "series": str, "exporter": str, "importer": str, "commodity": str, "period": str,
    "consensus_value": float, "consensus_change_pct": float, "sources": str, "claim_ids": str,
    "disagreeing_claim_ids": str, "verdict": str, "consensus_change_basis": str, "corroborated": int,
}


def _migration_7(db: sqlite_utils.Database) -> None:
    """The reconciler's series summaries, created here instead of by their first insert (a
    database written before keeps its table; a column it lacks is added)."""
    db["series"].create(SERIES_COLUMNS, pk="series", if_not_exists=True)
    present = db["series"].columns_dict
    for name, kind in SERIES_COLUMNS.items():
        if name not in present:
            db["series"].add_column(name, kind)


def _migration_8(db: sqlite_utils.Database) -> None:
    """Shards of batch runs (a WARC file, a chunk of a file list) finished and written; claims
    and checks found by commodity (a check's is the one its series key names)."""
    db["batch_shards"].create({
        "id": str, "location": str, "pages": int, "stored": int, "finished_at": str,
    }, pk="id", if_not_exists=True)
    # claims and checks by commodity: an incremental reconcile reads the families a batch touched
    db["claims"].create_index(["commodity"], if_not_exists=True)
    if "commodity" not in db["checks"].columns_dict:
        db["checks"].add_column("commodity", str)
    db.conn.create_function("commodity_of_series", 1, commodity_of_series)
    db.execute("UPDATE checks SET commodity = commodity_of_series(series)")
    db["checks"].create_index(["commodity"], if_not_exists=True)
    db["series"].create_index(["commodity"], if_not_exists=True)


MIGRATIONS = [_migration_1, _migration_2, _migration_3, _migration_4, _migration_5, _migration_6, _migration_7,
              _migration_8]


BUSY_TIMEOUT = 60.0  # seconds a writer waits for another one's transaction to end


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StoreError(Exception):
    """The claims database cannot be used; the message names the file."""


CORE_TABLES = ("articles", "claims")


def open_existing_db(path: str | Path, *, write: bool = False) -> sqlite_utils.Database:
    """Open a claims database that must already exist, migrating it; anything else (no such
    file, not SQLite, a SQLite file of something else) raises StoreError and is left untouched."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such database; run `extractor run` first or pass --db")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: cannot be used as a claims database: {err}") from None
    missing = [t for t in CORE_TABLES if t not in tables]
    if missing:
        raise StoreError(f"{path}: cannot be used as a claims database: it is a SQLite file without "
                         f"the {' and '.join(missing)} table{'s' * (len(missing) > 1)}; nothing was changed")
    return open_db(path, write=write)


def open_db(path: str | Path, *, write: bool = False) -> sqlite_utils.Database:
    """Open (and create or migrate) the claims database at `path`.

    `write`: the caller is going to write; a database it cannot write (a read-only file or
    folder) is a StoreError now, with a message, rather than a failure at the first write.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        migrate(db)
        if write:
            _check_writable(db)
    except sqlite3.DatabaseError as err:  # includes OperationalError: unreadable, locked, full
        raise StoreError(f"{path}: cannot be used as a claims database: {err}") from None
    return db


def _check_writable(db: sqlite_utils.Database) -> None:
    """Raise sqlite3's error now if the database cannot be written (the write is rolled back)."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        db.conn.execute(f"PRAGMA user_version = {_schema_version(db)}")
    finally:
        db.conn.execute("ROLLBACK")


@contextmanager
def writing(db: sqlite_utils.Database):
    """One write transaction, holding the write lock from its start (BEGIN IMMEDIATE): a second
    writer waits on the busy timeout instead of failing with "database is locked" when a
    deferred transaction would have to upgrade. Nested, it is a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.conn.execute("COMMIT")


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the schema up to date; safe when several processes open a new database at once."""
    if _schema_version(db) >= len(MIGRATIONS):
        return
    with writing(db):
        version = _schema_version(db)  # again, under the lock: another process may have done it
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            step(db)
            db.execute(f"PRAGMA user_version = {number}")


def _schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _note_claims_changed(db: sqlite_utils.Database) -> None:
    """Inside a write transaction that changes claims: the checks need recomputing. The value
    counts changes, so a reconcile that read the claims before a later change leaves it set."""
    db.execute(
        "INSERT INTO run_state (key, value) VALUES ('checks_stale', '1') ON CONFLICT(key) DO UPDATE "
        "SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
    )


def save_article(db: sqlite_utils.Database, article: Article, claims: Iterable[Claim]) -> int:
    """Store an article with its claims in one transaction; the article's old claims go.

    Returns the number of claims stored.
    """
    rows = [_claim_row(article, claim) for claim in claims]
    with writing(db):
        db.execute("DELETE FROM claims WHERE article_id = ?", [article.id])
        db["articles"].upsert(_article_row(article), pk="id", alter=True)
        if rows:
            db["claims"].upsert_all(rows, pk="id", alter=True)
        db.execute(
            "UPDATE fetch_log SET resolved = 1 WHERE url = ? AND resolved = 0", [article.url]
        )
        _note_claims_changed(db)
    return len(rows)


def save_articles(db: sqlite_utils.Database, batch: Iterable[tuple[Article, Iterable[Claim]]]) -> int:
    """`save_article` for many articles in one transaction (one commit instead of one each).

    Each article still lands with its claims or not at all; an article given twice keeps its
    last version, as successive `save_article` calls would. Returns the number of claims given.
    """
    latest: dict[str, tuple[Article, list[dict]]] = {}
    given = 0
    for article, claims in batch:
        rows = [_claim_row(article, claim) for claim in claims]
        given += len(rows)
        latest.pop(article.id, None)
        latest[article.id] = (article, rows)
    if not latest:
        return 0
    with writing(db):
        db.conn.executemany("DELETE FROM claims WHERE article_id = ?", [(key,) for key in latest])
        db["articles"].upsert_all((_article_row(a) for a, _ in latest.values()), pk="id", alter=True)
        claim_rows = [row for _, rows in latest.values() for row in rows]
        if claim_rows:
            db["claims"].upsert_all(claim_rows, pk="id", alter=True)
        db.conn.executemany("UPDATE fetch_log SET resolved = 1 WHERE url = ? AND resolved = 0",
                            [(a.url,) for a, _ in latest.values()])
        _note_claims_changed(db)
    return given


def _article_row(article: Article) -> dict:
    return {
        "id": article.id, "url": article.url, "title": article.title,
        "published": article.published, "text": article.text, "feed": article.feed,
        "sitename": article.sitename, "fingerprint": article.fingerprint, "stored_at": now(),
        # Claims are always stored fresh from the current extractor, so this is its version.
        "claims_version": claims_version(),
    }


def _claim_row(article: Article, claim: Claim) -> dict:
    row = claim.row()
    row["article_id"] = article.id
    if not row.get("article"):
        row["article"] = article.url
    return row


def article_ids(db: sqlite_utils.Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT id FROM articles")}


def has_fingerprint(db: sqlite_utils.Database, fingerprint: str, other_than: str) -> Optional[str]:
    """The id of another stored article with the same text, if any."""
    row = db.execute(
        "SELECT id FROM articles WHERE fingerprint = ? AND id != ? LIMIT 1",
        [fingerprint, other_than],
    ).fetchone()
    return row[0] if row else None


def load_articles(db: sqlite_utils.Database, with_text: bool = True) -> list[Article]:
    columns = "id, url, title, published, feed, sitename, fingerprint" + (", text" if with_text else "")
    out = []
    for row in db.query(f"SELECT {columns} FROM articles ORDER BY published, id"):
        row.setdefault("text", "")
        out.append(Article(**row))
    return out


def load_articles_by_id(db: sqlite_utils.Database, ids: Iterable[str]) -> list[Article]:
    """The articles with these ids, in `load_articles` order."""
    wanted = sorted(set(ids))
    out = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows = db.query("SELECT id, url, title, published, feed, sitename, fingerprint, text FROM articles "
                        f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        out.extend(Article(**row) for row in rows)
    out.sort(key=lambda a: (a.published is not None, a.published or "", a.id))
    return out


def load_article(db: sqlite_utils.Database, article_id: str) -> Optional[Article]:
    rows = list(db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
    if not rows:
        return None
    row = rows[0]
    row.pop("stored_at", None)
    return Article(**{k: v for k, v in row.items() if k in ARTICLE_COLUMNS})


def load_claims(db: sqlite_utils.Database, where: str = "", params: Iterable = ()) -> list[Claim]:
    sql = "SELECT * FROM claims" + (f" WHERE {where}" if where else "") + ' ORDER BY article_id, start, figure_start'
    cursor = db.execute(sql, list(params))
    column = {d[0]: i for i, d in enumerate(cursor.description)}
    # Claim fields in order: (column index or None, default); rows become positional args.
    layout = [(column.get(f.name), f.default, f.name != "id") for f in dataclass_fields(Claim)]
    inferred_at = [n for n, f in enumerate(dataclass_fields(Claim)) if f.name == "inferred"][0]
    shared: dict = {}  # one object per distinct text: a million claims repeat a few codes and names
    decoded: dict = {}  # the few distinct `inferred` lists, decoded once each
    out = []
    for row in cursor:
        args = []
        for i, default, share in layout:
            v = default if i is None else row[i]
            if share and v.__class__ is str:
                v = shared.setdefault(v, v)
            args.append(v)
        raw = args[inferred_at]
        if raw.__class__ is not tuple:
            args[inferred_at] = decoded.get(raw) or decoded.setdefault(raw, decode_inferred(raw))
        out.append(Claim(*args))
    return out


def load_claim(db: sqlite_utils.Database, claim_id: str) -> Optional[Claim]:
    claims = load_claims(db, "id = ?", [claim_id])
    return claims[0] if claims else None


def replace_reconciliation(
    db: sqlite_utils.Database, checks: list[Check], series_rows: list[dict],
    findings: Optional[list[Finding]] = None,
) -> None:
    """Swap in a fresh set of checks, series summaries and findings, atomically."""
    with writing(db):
        if findings is not None:
            db.execute("DELETE FROM findings")
            if findings:
                _insert_findings(db, findings)
        db.execute("DELETE FROM checks")
        if checks:  # plain executemany: ~200k rows, no per-batch column checks or deep copies
            _insert_checks(db, checks)
        db.execute("DELETE FROM series")
        if series_rows:
            db["series"].insert_all(series_rows, pk="series", replace=True)


def _insert_checks(db: sqlite_utils.Database, checks: list[Check]) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO checks (id, kind, verdict, series, claim_ids, explanation,"
        " arithmetic, commodity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ((c.id, c.kind, c.verdict, c.series, json.dumps(c.claim_ids), c.explanation,
          encode_arithmetic(c.arithmetic), commodity_of_series(c.series)) for c in checks))


def _insert_findings(db: sqlite_utils.Database, findings: list[Finding]) -> None:
    """Plain executemany, as for checks: thousands of rows, each already encoded by `row`."""
    columns = list(FINDING_COLUMNS)
    db.conn.executemany(
        f"INSERT OR REPLACE INTO findings ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        ([row[c] for c in columns] for row in map(Finding.row, findings)))


def _insert_series(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Plain executemany of rows already encoded by `SeriesSummary.row` (the migrations made
    the table), as insert_all(replace=True) would write them, without its per-value checks."""
    columns = list(rows[0])
    db.conn.executemany(
        f"INSERT OR REPLACE INTO series ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})", ([row[c] for c in columns] for row in rows))


def commodity_of_series(key: Optional[str]) -> str:
    """The commodity a readable series key names: "CN>US rare earth magnets 2025-11" -> "rare
    earth magnets" (a unit after it, "coal [kg]", is left out)."""
    parts = (key or "").split(" ", 1)
    label = parts[1].rsplit(" ", 1)[0] if len(parts) == 2 and " " in parts[1] else ""
    if label.endswith("]") and " [" in label:
        label = label.rsplit(" [", 1)[0]
    return label


def replace_reconciliation_part(db: sqlite_utils.Database, old_check_ids: list[str], old_series: list[str],
                                checks: list[Check], series_rows: list[dict],
                                old_finding_ids: Iterable[str] = (), findings: Iterable[Finding] = ()) -> None:
    """Swap some checks, series summaries and findings (those of a part of the claims) for
    fresh ones, atomically; the others stay."""
    findings = list(findings)
    with writing(db):
        db.conn.executemany("DELETE FROM findings WHERE id = ?", ((i,) for i in old_finding_ids))
        if findings:
            _insert_findings(db, findings)
        db.conn.executemany("DELETE FROM checks WHERE id = ?", ((i,) for i in old_check_ids))
        if checks:
            _insert_checks(db, checks)
        db.conn.executemany("DELETE FROM series WHERE series = ?", ((k,) for k in old_series))
        if series_rows:
            _insert_series(db, series_rows)


def load_checks(db: sqlite_utils.Database, claim_id: Optional[str] = None) -> list[Check]:
    if claim_id is None:
        rows = db.query("SELECT * FROM checks ORDER BY verdict, kind, series")
    else:
        rows = db.query(
            "SELECT checks.* FROM checks, json_each(checks.claim_ids) "
            "WHERE json_each.value = ? ORDER BY verdict, kind, series",
            [claim_id],
        )
    out = []
    for row in rows:
        out.append(Check(
            kind=row["kind"], verdict=row["verdict"], series=row["series"],
            claim_ids=json.loads(row["claim_ids"] or "[]"), explanation=row["explanation"],
            arithmetic=json.loads(row["arithmetic"] or "{}"), id=row["id"],
        ))
    return out


def record_failure(db: sqlite_utils.Database, failure: Failure) -> None:
    """Log a failure (one row per URL and stage; repeated failures count attempts)."""
    key = stable_id("failure", failure.url, failure.stage)
    stamp = now()
    with writing(db):
        existing = db.execute("SELECT attempts, first_seen FROM fetch_log WHERE id = ?", [key]).fetchone()
        attempts, first_seen = (existing[0] + 1, existing[1]) if existing else (1, stamp)
        db["fetch_log"].upsert({
            "id": key, "url": failure.url, "stage": failure.stage, "reason": failure.reason,
            "attempts": attempts, "first_seen": first_seen, "last_seen": stamp, "resolved": 0,
        }, pk="id", alter=True)


def open_failures(db: sqlite_utils.Database) -> list[Failure]:
    return [
        Failure(url=row["url"], stage=row["stage"], reason=row["reason"])
        for row in db.query("SELECT url, stage, reason FROM fetch_log WHERE resolved = 0 ORDER BY url")
    ]


def counts(db: sqlite_utils.Database) -> dict:
    """Row counts and checks by verdict, for summaries."""
    verdicts = {row["verdict"]: row["n"] for row in db.query(
        "SELECT verdict, count(*) AS n FROM checks GROUP BY verdict")}
    return {
        "articles": db["articles"].count,
        "claims": db["claims"].count,
        "checks": db["checks"].count,
        "verdicts": verdicts,
        "failures": db.execute("SELECT count(*) FROM fetch_log WHERE resolved = 0").fetchone()[0],
    }


# Collection state: validators for conditional requests, and what each feed listed last time.

def cached(db: sqlite_utils.Database, url: str) -> Optional[dict]:
    """The http_cache row of `url` (etag, last_modified, fingerprint, article_id), if any."""
    rows = list(db.query("SELECT * FROM http_cache WHERE url = ?", [url]))
    return rows[0] if rows else None


def remember(db: sqlite_utils.Database, url: str, *, etag: Optional[str] = None,
             last_modified: Optional[str] = None, fingerprint: Optional[str] = None,
             article_id: Optional[str] = None) -> None:
    """Record the validators (and, for an article, its text fingerprint) of a fetched URL."""
    with writing(db):
        db["http_cache"].upsert({
            "url": url, "etag": etag, "last_modified": last_modified, "fingerprint": fingerprint,
            "article_id": article_id, "checked_at": now(),
        }, pk="url", alter=True)


def remember_many(db: sqlite_utils.Database, rows: Iterable[dict]) -> None:
    """`remember` for many URLs in one transaction (keys url, etag, last_modified, fingerprint,
    article_id); a row with a true "resolve" also marks the URL's logged failures resolved."""
    rows = list(rows)
    stamp = now()
    with writing(db):
        db.conn.executemany(
            "INSERT INTO http_cache (url, etag, last_modified, fingerprint, article_id, checked_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, fingerprint = excluded.fingerprint, "
            "article_id = excluded.article_id, checked_at = excluded.checked_at",
            [(r["url"], r.get("etag"), r.get("last_modified"), r.get("fingerprint"), r.get("article_id"), stamp)
             for r in rows])
        db.conn.executemany("UPDATE fetch_log SET resolved = 1 WHERE url = ? AND resolved = 0",
                            [(r["url"],) for r in rows if r.get("resolve")])


def finished_shards(db: sqlite_utils.Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT id FROM batch_shards")}


def record_shard(db: sqlite_utils.Database, shard_id: str, location: str, pages: int, stored: int) -> None:
    """Note a batch shard as finished (after its rows were written): the next batch skips it."""
    with writing(db):
        db["batch_shards"].upsert({"id": shard_id, "location": location, "pages": pages, "stored": stored,
                                   "finished_at": now()}, pk="id")


def feed_state(db: sqlite_utils.Database, feed: str) -> Optional[dict]:
    rows = list(db.query("SELECT * FROM feeds_state WHERE feed = ?", [feed]))
    return rows[0] if rows else None


def save_feed_state(db: sqlite_utils.Database, feed: str, url: str, entries: list[dict],
                    problem: Optional[str]) -> None:
    with writing(db):
        db["feeds_state"].upsert({
            "feed": feed, "url": url, "entries": json.dumps(entries, ensure_ascii=False),
            "problem": problem, "checked_at": now(),
        }, pk="feed", alter=True)


def resolve_failures(db: sqlite_utils.Database, url: str, stage: Optional[str] = None) -> None:
    """Mark the logged failures of `url` (of one stage, or all) as resolved."""
    sql = "UPDATE fetch_log SET resolved = 1 WHERE url = ? AND resolved = 0"
    params = [url]
    if stage:
        sql, params = sql + " AND stage = ?", params + [stage]
    with writing(db):
        db.execute(sql, params)


def stale_articles(db: sqlite_utils.Database) -> list[tuple[Article, str]]:
    """Stored articles whose claims an older extractor read, with the name their claims use."""
    rows = db.query(
        "SELECT articles.*, (SELECT article FROM claims WHERE article_id = articles.id LIMIT 1) AS name "
        "FROM articles WHERE claims_version IS NULL OR claims_version != ? ORDER BY id",
        [claims_version()],
    )
    out = []
    for row in rows:
        name = row.pop("name") or _default_name(row["url"])
        out.append((Article(**{k: v for k, v in row.items() if k in ARTICLE_COLUMNS and k != "stored_at"}), name))
    return out


def _default_name(url: str) -> str:
    """Claims of a file are named by its stem, those of a web page by its URL."""
    return url if "://" in url else Path(url).stem


def article_fingerprint(db: sqlite_utils.Database, article_id: str) -> Optional[str]:
    row = db.execute("SELECT fingerprint FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else None


def mark_checks_stale(db: sqlite_utils.Database) -> None:
    """Note that the checks must be recomputed (claims are about to change)."""
    with writing(db):
        _note_claims_changed(db)


def stale_mark(db: sqlite_utils.Database) -> str:
    """The change count of the claims, to give `mark_reconciled` once the checks are recomputed."""
    row = db.execute("SELECT value FROM run_state WHERE key = 'checks_stale'").fetchone()
    return row[0] if row else ""


def mark_reconciled(db: sqlite_utils.Database, mark: Optional[str] = None) -> None:
    """Note that the checks now reflect every stored claim: unless `mark` (from `stale_mark`
    before the claims were read) shows that claims changed since."""
    with writing(db):
        if mark is None:
            db["run_state"].upsert({"key": "checks_stale", "value": "0"}, pk="key")
        elif mark == "":  # no change was ever noted when the claims were read
            db.execute("INSERT INTO run_state (key, value) VALUES ('checks_stale', '0') ON CONFLICT(key) DO NOTHING")
        else:
            db.execute("UPDATE run_state SET value = '0' WHERE key = 'checks_stale' AND value = ?", [mark])


def needs_reconcile(db: sqlite_utils.Database) -> bool:
    """True unless the checks were recomputed after the last change to the claims."""
    row = db.execute("SELECT value FROM run_state WHERE key = 'checks_stale'").fetchone()
    return row is None or row[0] != "0"


@contextmanager
def snapshot(db: sqlite_utils.Database):
    """A read transaction: everything read inside it comes from one state of the database."""
    if db.conn.in_transaction:
        yield db
        return
    db.conn.execute("BEGIN")
    try:
        yield db
    finally:
        db.conn.execute("COMMIT")


# Findings and reviews.

def load_findings(db: sqlite_utils.Database, claim_id: Optional[str] = None) -> list[Finding]:
    """Stored findings, conflicts first and most important first; those naming `claim_id` if given."""
    if "findings" not in db.table_names():
        return []
    out = []
    for row in db.query("SELECT * FROM findings ORDER BY kind != 'conflict', importance DESC, series, id"):
        finding = Finding(
            kind=row["kind"], series=row["series"], claim_ids=json.loads(row["claim_ids"] or "[]"),
            check_ids=json.loads(row["check_ids"] or "[]"), cause=row["cause"],
            explanation=row["explanation"], support_claim_ids=json.loads(row["support_claim_ids"] or "[]"),
            arithmetic=json.loads(row["arithmetic"] or "{}"), importance=row["importance"] or 0.0,
            id=row["id"],
        )
        if claim_id is None or claim_id in finding.claim_ids or claim_id in finding.support_claim_ids:
            out.append(finding)
    return out


def save_review(db: sqlite_utils.Database, review: dict) -> None:
    """Record a person's decision on a claim: the current one per claim key, and the log of all."""
    row = {name: review.get(name) for name in REVIEW_COLUMNS}
    row["at"] = row["at"] or now()
    with writing(db):
        db["reviews"].upsert(row, pk="claim_key")
        db["review_log"].insert(row)
        _note_claims_changed(db)


def load_reviews(db: sqlite_utils.Database) -> list[dict]:
    if "reviews" not in db.table_names():
        return []
    return list(db.query("SELECT * FROM reviews ORDER BY at, claim_key"))


def update_review_claims(db: sqlite_utils.Database, matched: dict) -> None:
    """Note which stored claim each review applies to now (claim ids change with re-extraction)."""
    if not matched:
        return
    with writing(db):
        db.conn.executemany("UPDATE reviews SET claim_id = ? WHERE claim_key = ? AND "
                            "(claim_id IS NULL OR claim_id != ?)",
                            [(cid, key, cid) for key, cid in matched.items()])


def claim_ids_with_prefix(db: sqlite_utils.Database, prefix: str, limit: int = 10) -> list[str]:
    """Claim ids that start with `prefix` (at most `limit`), for ids given in part."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.execute("SELECT id FROM claims WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
                      [escaped + "%", limit])
    return [row[0] for row in rows]

"""The store: schema, idempotent upserts, failures, reconciliation swaps."""
import sqlite3

import pytest

from extractor import store
from extractor.types import Article, Check, Claim, Failure


@pytest.fixture
def db(tmp_path):
    return store.open_db(tmp_path / "claims.db")


def make_article(url="https://news.example/a", text="China exported 5 tons to Japan in May."):
    return Article(url=url, text=text, title="A", published="2025-06-01")


def make_claim(article, value=5.0, start=0):
    return Claim(article=article.url, article_id=article.id, sentence=article.text, start=start,
                 end=len(article.text), exporter="CN", importer="JP", commodity="coal",
                 value=value, unit="t", period="2025-05")


def test_contract_tables_and_columns_exist(db):
    expected = {
        "articles": {"id", "url", "title", "published", "text"},
        "claims": {"id", "article_id", "exporter", "importer", "flow", "commodity", "value", "unit",
                   "period", "change_pct", "change_basis", "qualifier", "modality", "per",
                   "sentence", "start", "end", "source"},
        "checks": {"id", "kind", "verdict", "series", "claim_ids", "explanation"},
    }
    for table, columns in expected.items():
        assert columns <= set(db[table].columns_dict), table


def test_saving_twice_leaves_the_same_rows(db):
    article = make_article()
    claims = [make_claim(article), make_claim(article, value=7.0, start=1)]
    store.save_article(db, article, claims)
    first = (list(db["articles"].rows), sorted(r["id"] for r in db["claims"].rows))
    store.save_article(db, article, claims)
    second = (list(db["articles"].rows), sorted(r["id"] for r in db["claims"].rows))
    assert len(second[1]) == 2
    assert first[1] == second[1]
    assert [a["id"] for a in first[0]] == [a["id"] for a in second[0]]


def test_resaving_replaces_an_articles_old_claims(db):
    article = make_article()
    store.save_article(db, article, [make_claim(article, value=1.0), make_claim(article, value=2.0, start=3)])
    store.save_article(db, article, [make_claim(article, value=3.0)])
    assert [c.value for c in store.load_claims(db)] == [3.0]


def test_claims_round_trip_with_provenance(db):
    article = make_article()
    claim = make_claim(article)
    store.save_article(db, article, [claim])
    loaded = store.load_claim(db, claim.id)
    assert loaded == claim
    assert article.text[loaded.start:loaded.end] == loaded.sentence


def test_checks_are_replaced_and_found_by_claim(db):
    article = make_article()
    claim = make_claim(article)
    store.save_article(db, article, [claim])
    check = Check("unverifiable", "unverifiable", "CN>JP coal 2025-05", [claim.id], "Nothing else speaks to it.",
                  {"value": [4.5, 5.5]})
    store.replace_reconciliation(db, [check], [{"series": "CN>JP coal 2025-05", "verdict": "unverifiable"}])
    store.replace_reconciliation(db, [check], [{"series": "CN>JP coal 2025-05", "verdict": "unverifiable"}])
    assert store.load_checks(db) == [check]
    assert store.load_checks(db, claim.id)[0].arithmetic == {"value": [4.5, 5.5]}
    assert store.load_checks(db, "no-such-claim") == []
    assert db["series"].count == 1


def test_failures_count_attempts_and_resolve_on_success(db):
    article = make_article()
    store.record_failure(db, Failure(article.url, "fetch", "HTTP 500"))
    store.record_failure(db, Failure(article.url, "fetch", "HTTP 503"))
    row = next(db["fetch_log"].rows)
    assert (row["attempts"], row["reason"], row["resolved"]) == (2, "HTTP 503", 0)
    assert store.counts(db)["failures"] == 1
    store.save_article(db, article, [])
    assert store.counts(db)["failures"] == 0


def test_migrations_are_recorded_and_reopening_keeps_data(tmp_path):
    path = tmp_path / "claims.db"
    db = store.open_db(path)
    article = make_article()
    store.save_article(db, article, [make_claim(article)])
    db.conn.close()
    reopened = store.open_db(path)
    assert reopened.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
    assert reopened["claims"].count == 1
    assert reopened.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_write_failing_midway_leaves_the_previous_state(db, monkeypatch):
    article = make_article()
    store.save_article(db, article, [make_claim(article, value=1.0)])
    real_claim_row = store._claim_row
    calls = []

    def claim_row_that_breaks_the_insert(article_, claim):
        # The second claim carries a column SQLite cannot bind, so the insert fails midway.
        calls.append(claim)
        row = real_claim_row(article_, claim)
        if len(calls) == 2:
            row["value"] = object()
        return row

    monkeypatch.setattr(store, "_claim_row", claim_row_that_breaks_the_insert)
    changed = Article(url=article.url, text="China exported 9 tons to Japan in May.", title="B")
    with pytest.raises(sqlite3.Error):
        store.save_article(db, changed, [make_claim(changed, value=9.0), make_claim(changed, value=8.0, start=2)])
    assert [c.value for c in store.load_claims(db)] == [1.0]
    assert [a.title for a in store.load_articles(db)] == ["A"]


def test_the_series_table_is_created_by_a_migration(tmp_path):
    from extractor.reconcile.records import SeriesSummary

    db = store.open_db(tmp_path / "c.db")
    assert "series" in db.table_names() and db.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
    fields = set(SeriesSummary.__dataclass_fields__)
    assert set(db["series"].columns_dict) == fields == set(store.SERIES_COLUMNS)


def test_a_database_from_before_the_series_migration_is_brought_up_to_date(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    db = store.open_db(path)
    db["series"].drop()
    db["series"].create({"series": str, "verdict": str}, pk="series")  # as an older reconcile left it
    db.execute("PRAGMA user_version = 5")
    db.conn.commit()
    db.conn.close()
    migrated = store.open_db(path)
    assert set(migrated["series"].columns_dict) == set(store.SERIES_COLUMNS)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)

"""Stored claims follow the extractor: articles read by an older version are read again."""
from pathlib import Path

from extractor import pipeline, resources, store

ROOT = Path(__file__).resolve().parents[1]
FEEDS = ROOT / "feeds.yaml"


def stored_claims(db):
    return sorted((c.article_id, c.sentence, c.value, c.change_pct) for c in store.load_claims(db))


def test_claims_version_fingerprints_code_and_data():
    version = resources.claims_version()
    assert len(version) == 12 and version == resources.claims_version()


def test_articles_read_by_an_older_extractor_are_read_again(tmp_path, monkeypatch):
    db_path = tmp_path / "claims.db"
    pipeline.run(FEEDS, db_path)
    db = store.open_db(db_path)
    expected = stored_claims(db)
    assert expected
    # An older extractor read fewer claims: drop some and mark every article as read by it.
    db.execute("DELETE FROM claims WHERE rowid % 2 = 0")
    db.execute("UPDATE articles SET claims_version = 'older'")
    db.conn.commit()
    assert stored_claims(db) != expected

    summary = pipeline.run(FEEDS, db_path)
    assert summary.refreshed == db["articles"].count
    assert stored_claims(db) == expected
    assert {row["claims_version"] for row in db["articles"].rows} == {resources.claims_version()}

    again = pipeline.run(FEEDS, db_path)
    assert again.refreshed == 0 and again.articles_stored == 0


def test_a_refresh_recomputes_the_checks(tmp_path):
    db_path = tmp_path / "claims.db"
    pipeline.run(FEEDS, db_path)
    db = store.open_db(db_path)
    checks = sorted(c.id for c in store.load_checks(db))
    db.execute("DELETE FROM checks")
    db.execute("UPDATE articles SET claims_version = NULL")
    db.conn.commit()
    pipeline.run(FEEDS, db_path)
    assert sorted(c.id for c in store.load_checks(db)) == checks

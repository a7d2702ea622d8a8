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


def test_ingest_reads_a_stale_article_once_and_counts_it(tmp_path, monkeypatch):
    """An ingest over files whose stored claims an older extractor read refreshes each from the
    stored text once; the unchanged files are not extracted a second time, and the summary
    keeps the refresh count."""
    from extractor import claims as claims_stage

    import os
    import shutil

    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "fixtures" / "demo" / "articles", folder)
    db_path = tmp_path / "claims.db"
    pipeline.ingest([folder], db_path)
    db = store.open_db(db_path)
    expected = stored_claims(db)
    db.execute("UPDATE articles SET claims_version = 'older'")
    db.conn.commit()

    calls = []
    real = claims_stage.claims_for

    def counted(article, name):
        calls.append(article.id)
        return real(article, name)

    monkeypatch.setattr(claims_stage, "claims_for", counted)
    for page in folder.glob("*.html"):  # new times: the files are read again, their text unchanged
        os.utime(page, (1_700_000_000, 1_700_000_000))
    summary = pipeline.ingest([folder], db_path)

    assert summary.refreshed == db["articles"].count == 5
    assert sorted(calls) == sorted(set(calls)) and len(calls) == 5  # once each
    assert summary.articles_stored == 0 and summary.unchanged == 5
    assert stored_claims(db) == expected

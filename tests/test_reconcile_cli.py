"""`extractor explain CLAIM_ID`: the claim, its sentence and its checks, from the database."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import store
from extractor.cli import cli
from extractor.reconcile import reconcile
from extractor.reconcile.gold import load_gold_dir

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason=f"seed gold set not found at {SEEDS}")


@pytest.fixture()
def db_path(tmp_path):
    claims, articles = load_gold_dir(SEEDS)
    path = tmp_path / "claims.db"
    db = store.open_db(path)
    for article in articles:
        store.save_article(db, article, [c for c in claims if c.article_id == article.id])
    result = reconcile(claims, articles)
    store.replace_reconciliation(db, result.checks, [s.row() for s in result.series])
    target = next(c for c in claims if c.value == 5952)
    return path, target


def test_explain_prints_claim_and_checks(db_path):
    path, claim = db_path
    out = CliRunner().invoke(cli, ["explain", claim.id, "--db", str(path)])
    assert out.exit_code == 0, out.output
    assert claim.sentence in out.output
    assert "implied_value" in out.output and "6,145.1–6,152.5 t" in out.output


def test_explain_unknown_claim_exits_2(db_path):
    path, _ = db_path
    out = CliRunner().invoke(cli, ["explain", "nope", "--db", str(path)])
    assert out.exit_code == 2 and "no claim with id 'nope'" in out.output

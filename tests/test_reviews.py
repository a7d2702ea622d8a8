"""A person's word on a claim: recorded by `extractor claim`, kept under an identity that survives
re-extraction, applied by every reconcile, shown by explain, and written out by `extractor gold`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import pipeline, store
from extractor.cli import cli
from extractor.reconcile.gold import store_gold
from extractor.reconcile.reviews import claim_key, figure_text
from extractor.report.model import short_id
from extractor.types import Claim

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "fixtures" / "conflicts"
SCORER = ROOT.parent / "shared" / "tools" / "score_claims.py"
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason=f"seed gold set not found at {SEEDS}")


def run(*args) -> "click.testing.Result":
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def gold_db(tmp_path):
    """Seeds and the wrong-month fixture from their gold claims, reconciled."""
    path = tmp_path / "claims.db"
    db = store.open_db(path)
    store_gold(db, SEEDS)
    claims, _ = store_gold(db, FIXTURES, overrides=None)
    for article in {c.article_id for c in claims} - {"wrong_month"}:
        store.save_article(db, store.load_article(db, article), [])  # only the wrong-month article's claim
    pipeline.reconcile_db(db)
    suspect = next(c for c in store.load_claims(db) if c.article == "wrong_month")
    return path, db, suspect


def test_claim_identity_is_the_sentence_and_its_printed_figures():
    sentence = "China shipped a total of 62.585 metric tons of rare earths, up 12.9% annually."
    one = Claim(article="a", sentence=sentence, start=0, end=1, value=62.585, change_pct=12.9, period="2025")
    fixed = Claim(article="a", sentence=sentence, start=40, end=99, value=62585, change_pct=12.9, period="2024",
                  importer="WLD", figure_start=41)
    assert figure_text(one) == figure_text(fixed) == "62.585 | 12.9%"
    assert claim_key(one, "https://x.example/a") == claim_key(fixed, "https://x.example/a")
    assert claim_key(one, "https://x.example/a") != claim_key(one, "https://x.example/b")


@needs_seeds
def test_confirm_reject_and_correct_change_what_reconcile_finds(gold_db):
    path, db, suspect = gold_db
    (finding,) = store.load_findings(db)
    assert suspect.id in finding.claim_ids
    # a correction of the period settles it: 5,952 t is December's figure
    done = run("claim", suspect.id[:9], "--set", "period=2025-12", "--db", path)
    assert done.exit_code == 0 and "Reconciled: 0 conflicts" in done.output
    assert store.load_findings(db) == []
    corrected = [c for c in store.load_checks(db) if suspect.id in c.claim_ids]
    assert corrected and all(c.verdict != "conflict" for c in corrected)
    # a rejection takes it out of every check
    run("claim", suspect.id, "--reject", "the figure is December's", "--db", path)
    assert not [c for c in store.load_checks(db) if suspect.id in c.claim_ids]
    explained = run("explain", suspect.id[:6], "--db", path).output
    assert "Review: rejected" in explained and "the figure is December's" in explained
    # both decisions are kept in the log; the table holds the latest
    assert [r["action"] for r in db.query("SELECT action FROM review_log ORDER BY id")] == ["correct", "reject"]
    assert [r["action"] for r in store.load_reviews(db)] == ["reject"]


@needs_seeds
def test_a_confirmed_claim_is_not_held_wrong(gold_db):
    path, db, suspect = gold_db
    run("claim", suspect.id, "--confirm", "--db", path)
    findings = store.load_findings(db)
    # the person's word stands: the sources against it are now the ones held wrong
    assert findings and all(suspect.id not in f.claim_ids for f in findings)
    assert "Review: confirmed" in run("explain", suspect.id, "--db", path).output
    assert "confirmed" in run("report", "--db", path).output


@pytest.mark.parametrize("args, message", [
    ((), "exactly one of"), (("--confirm", "--reject", "x"), "exactly one of"),
    (("--set", "colour=red"), "cannot set 'colour=red'"), (("--set", "period=2025-13"), "period must be"),
    (("--set", "importer=Germany"), "ISO country code"), (("--set", "value=lots"), "must be a number"),
])
@needs_seeds
def test_unusable_decisions_exit_2_and_record_nothing(gold_db, args, message):
    path, db, suspect = gold_db
    done = CliRunner().invoke(cli, ["claim", suspect.id, *args, "--db", str(path)])
    assert done.exit_code == 2 and message in done.output
    assert store.load_reviews(db) == []


@needs_seeds
def test_claim_ids_are_taken_by_unambiguous_prefix(gold_db):
    path, db, _ = gold_db
    ids = [c.id for c in store.load_claims(db)]
    first = {}
    for cid in ids:
        first.setdefault(cid[0], []).append(cid)
    shared = next(p for p, group in first.items() if len(group) > 1)
    done = CliRunner().invoke(cli, ["explain", shared, "--db", str(path)])
    assert done.exit_code == 2 and "several claim ids" in done.output
    unique = next(cid for cid in ids if sum(x.startswith(cid[:5]) for x in ids) == 1)
    assert unique in run("explain", unique[:5], "--db", path).output


@needs_seeds
def test_reviews_survive_a_new_extractor_and_a_rerun(tmp_path, monkeypatch):
    """Ingested through the claim reader; then a 'newer reader' reads every claim again with other
    offsets (so other claim ids) and another importer: the review still applies, once."""
    path = tmp_path / "claims.db"
    files = sorted(SEEDS.glob("*.txt")) + [FIXTURES / "wrong_month.txt"]
    pipeline.ingest(files, path, published="2026-01-20", workers=1)
    db = store.open_db(path)
    target = next(c for c in store.load_claims(db) if c.value == 5952 and "close to the record" in c.sentence)
    assert run("claim", target.id, "--reject", "the figure is December's", "--db", path).exit_code == 0
    assert not [c for c in store.load_checks(db) if target.id in c.claim_ids]

    read = pipeline.claims_for

    def newer(article, name):
        return [Claim(**{**c.__dict__, "figure_start": None, "figure_end": None, "id": "",
                         "source": "reread"}) for c in read(article, name)]

    monkeypatch.setattr(pipeline, "claims_for", newer)
    monkeypatch.setattr("extractor.store.claims_version", lambda: "newer-reader")
    pipeline.ingest(files, path, published="2026-01-20", workers=1)
    assert {c.source for c in store.load_claims(db)} == {"reread"}
    reread = next(c for c in store.load_claims(db) if c.value == 5952 and "close to the record" in c.sentence)
    assert reread.id != target.id and reread.source == "reread"
    [review] = store.load_reviews(db)
    assert review["claim_id"] == reread.id and review["action"] == "reject"
    assert not [c for c in store.load_checks(db) if reread.id in c.claim_ids]
    # a re-run changes nothing and duplicates nothing
    pipeline.ingest(files, path, published="2026-01-20", workers=1)
    pipeline.reconcile_db(db)
    assert len(store.load_reviews(db)) == 1 and db["review_log"].count == 1
    assert "Review: rejected" in run("explain", reread.id, "--db", path).output


@needs_seeds
def test_gold_writes_reviewed_claims_that_score_f1_one_against_themselves(gold_db, tmp_path):
    path, db, suspect = gold_db
    seed = next(c for c in store.load_claims(db) if c.article.startswith("000"))
    mine = [c for c in store.load_claims(db) if c.article_id == seed.article_id]
    for c in mine[:-1]:
        assert run("claim", c.id, "--confirm", "--no-reconcile", "--db", path).exit_code == 0
    run("claim", mine[-1].id, "--reject", "not a flow", "--no-reconcile", "--db", path)
    run("claim", suspect.id, "--set", "period=2025-12", "--db", path)
    out = tmp_path / "gold"
    done = run("gold", seed.article, "wrong_month", "--output", out, "--db", path)
    assert done.exit_code == 0, done.output
    rows = [json.loads(line) for line in (out / "gold.jsonl").read_text().splitlines()]
    assert len(rows) == len(mine) - 1 + 1  # the rejected claim left out, the corrected one in
    assert {r["article"] for r in rows} == {seed.article, "wrong_month"}
    assert next(r for r in rows if r["article"] == "wrong_month")["period"] == "2025-12"
    assert (out / "articles" / "wrong_month.txt").read_text().startswith("China magnet exports")
    meta = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    assert {m["article"] for m in meta} == {seed.article, "wrong_month"} and all(m["published"] for m in meta)
    if not SCORER.exists():
        pytest.skip(f"scorer not found at {SCORER}")
    scored = subprocess.run([sys.executable, str(SCORER), str(out), "--pred", str(out / "gold.jsonl"), "--strict"],
                            capture_output=True, text=True, timeout=120)
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    assert result["f1"] == 1.0 and result["facts_gold"] > 0


@needs_seeds
def test_claims_lists_stored_claims_by_series_and_article(gold_db):
    path, db, suspect = gold_db
    rows = json.loads(run("claims", "--series", "CN>WLD rare earth magnets 2025-11", "--json", "--db", path).output)
    assert suspect.id in {r["id"] for r in rows} and all(r["period"] == "2025-11" for r in rows)
    line = json.loads(run("claims", "--series", "CN>WLD rare earth magnets", "--json", "--db", path).output)
    assert len(line) > len(rows) and {r["commodity"] for r in line} <= {"rare earth magnets", "rare-earth magnets"}
    by_article = json.loads(run("claims", "--article", "https://metals-daily.example/magnets-november",
                                "--json", "--db", path).output)
    assert [r["id"] for r in by_article] == [suspect.id]
    table = run("claims", "--article", "wrong_month", "--db", path).output
    assert suspect.id in table and "1 claim" in table


@needs_seeds
def test_review_lists_findings_with_ids_and_the_command_to_decide(gold_db):
    path, db, suspect = gold_db
    text = run("review", "--db", path).output
    assert "Conflicts (1), most important first" in text and suspect.id in text
    assert f"extractor claim {short_id(suspect.id)} --confirm" in text
    data = json.loads(run("review", "--json", "--db", path).output)
    assert data["conflicts"][0]["claim_ids"] == [suspect.id]
    run("claim", suspect.id, "--confirm", "--no-reconcile", "--db", path)
    exported = run("export", "--table", "reviews", "--format", "jsonl", "--db", path).output
    assert json.loads(exported.splitlines()[0])["claim_id"] == suspect.id

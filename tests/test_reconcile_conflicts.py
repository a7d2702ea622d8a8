"""Each conflict fixture, added to the seeds, is caught with the right kind and explanation,
and raises no false alarm elsewhere."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.reconcile import explain, reconcile
from extractor.reconcile.gold import load_gold_dir

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "conflicts"
SEEDS = ROOT.parent / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason=f"seed gold set not found at {SEEDS}")

EXPECTED = [json.loads(line) for line in (FIXTURES / "expected.jsonl").read_text().splitlines() if line]
NAMES = sorted({row["article"] for row in EXPECTED})


@pytest.fixture(scope="module")
def runs():
    seed_claims, seed_articles = load_gold_dir(SEEDS)
    fx_claims, fx_articles = load_gold_dir(FIXTURES)
    out = {}
    for name in NAMES:
        claims = [c for c in fx_claims if c.article == name]
        articles = [a for a in fx_articles if a.id == name]
        out[name] = (claims, reconcile(seed_claims + claims, seed_articles + articles))
    return out


def test_every_fixture_has_claims_and_text():
    for name in NAMES:
        assert (FIXTURES / f"{name}.txt").exists()


@pytest.mark.parametrize("row", EXPECTED, ids=[f"{r['article']}-{r['kind']}" for r in EXPECTED])
def test_conflict_is_caught(runs, row):
    claims, result = runs[row["article"]]
    mine = {c.id for c in claims}
    hits = [c for c in result.checks if c.verdict == "conflict" and c.kind == row["kind"]
            and c.series == row["series"] and set(c.claim_ids) & mine]
    assert hits, f"{row['article']}: no {row['kind']} conflict on {row['series']}"
    text = " | ".join(c.explanation for c in hits)
    for word in row["keywords"]:
        assert word in text, f"{word!r} missing from: {text}"
    assert all(c.arithmetic for c in hits)


@pytest.mark.parametrize("name", NAMES)
def test_no_false_alarm_elsewhere(runs, name):
    """Every conflict uses a claim of the fixture article; the seeds alone stay clean."""
    claims, result = runs[name]
    mine = {c.id for c in claims}
    stray = [(c.kind, c.series) for c in result.checks if c.verdict == "conflict"
             and not set(c.claim_ids) & mine]
    assert stray == []
    expected = {(r["kind"], r["series"]) for r in EXPECTED if r["article"] == name}
    raised = {(c.kind, c.series) for c in result.checks if c.verdict == "conflict"}
    assert raised == expected  # nothing flagged beyond what the fixture lists


@pytest.mark.parametrize("name", NAMES)
def test_series_summary_names_the_disagreement(runs, name):
    claims, result = runs[name]
    mine = {c.id for c in claims}
    flagged = [s for s in result.series if s.verdict == "conflict"]
    assert flagged
    assert all(set(s.claim_ids) & mine or any(
        set(c.claim_ids) & mine and set(c.claim_ids) & set(s.claim_ids)
        for c in result.checks if c.verdict == "conflict") for s in flagged)


def test_explain_shows_the_conflict(runs):
    claims, result = runs["transposed_digit"]
    text = explain(claims[0], result.checks, None)
    assert "[CONFLICT] same_figure" in text and "5,924.5–5,925.5 t" in text


def test_a_conflicts_wrong_period_hint_names_the_first_matching_month_of_the_line():
    """The hint looks the line's figures up (a pool sorted by bound): it names the first cell of
    the line, in the order its claims came, whose figure matches; not the conflict's own
    period, nor a period of another kind (the quarter)."""
    from extractor.types import Article, Claim

    def claim(aid, period, value, n):
        text = f"China exported {value:,} tonnes of coal to the US in {period}."
        return Claim(article=aid, sentence=text, start=0, end=len(text), period=period, exporter="CN",
                     importer="US", commodity="coal", value=float(value), unit="t", article_id=aid,
                     id=f"{aid}-{n}")

    plan = [("a1", "2025-04", 7_777), ("a2", "2025-02", 4_321), ("a3", "2025-Q1", 4_321),
            ("a4", "2025-01", 4_321), ("a5", "2025-03", 5_000), ("a6", "2025-03", 5_000),
            ("a7", "2025-03", 4_321)]
    claims = [claim(aid, period, value, n) for n, (aid, period, value) in enumerate(plan)]
    articles = [Article(url=f"https://site{n}.example/{c.article_id}", text=c.sentence, id=c.article_id,
                        sitename=f"site{n}") for n, c in enumerate(claims)]
    result = reconcile(claims, articles)
    (check,) = [c for c in result.checks if c.verdict == "conflict" and c.kind == "same_figure"]
    assert check.arithmetic["hint"].startswith("4,321 t matches the figure for February 2025")

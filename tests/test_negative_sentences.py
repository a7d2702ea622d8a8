"""What is not a claim: sentences full of numbers, percentages and tonnes that report no trade flow.

A claim is a flow of goods across a border (exports, imports, shipments, arrivals, deliveries,
purchases abroad). Prices, values in money, shares, stocks, output, capacity, sales of
manufactured goods, weights of objects, market moves, consumption, emissions, tariffs and
quotas, domestic freight, harvests, percentage-point changes, company results, other
statistics and production forecasts are not. `fixtures/negative/sentences.jsonl` holds such
sentences, written for this project in many families and newsroom styles; each must give
zero claims. The six noise articles of the real-news set (no trade figure at all) must too.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extractor import pipeline
from extractor.claims import extract_claims, load_nlp

REPO = Path(__file__).resolve().parents[1]
NEGATIVES = REPO / "fixtures" / "negative" / "sentences.jsonl"
REALNEWS = REPO.parent / "shared" / "realnews"
NOISE_ARTICLES = ["E17", "E18", "A17", "A18", "M13", "M18"]
PUBLISHED = dt.date(2025, 6, 15)


def _negatives() -> list[dict]:
    rows = [json.loads(line) for line in NEGATIVES.read_text(encoding="utf-8").splitlines() if line.strip()]
    counters: dict[str, int] = {}
    cases = []
    for row in rows:
        counters[row["family"]] = counters.get(row["family"], 0) + 1
        cases.append(pytest.param(row["text"], id=f"{row['family']}-{counters[row['family']]:02d}"))
    return cases


CASES = _negatives()


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _described(claims) -> str:
    return "; ".join(
        f"{c['exporter']}>{c['importer']} {c['flow']} {c['commodity']} value={c['value']} "
        f"change={c['change_pct']} period={c['period']}" for c in claims)


def test_the_negative_set_is_large_and_broad():
    families = {}
    for case in CASES:
        family = case.id.rsplit("-", 1)[0]
        families[family] = families.get(family, 0) + 1
    assert len(CASES) >= 400
    assert len(families) >= 18
    assert min(families.values()) >= 30, families


@pytest.mark.parametrize("text", CASES)
def test_sentence_that_is_no_trade_flow_gives_no_claim(text, nlp):
    claims = [c.contract_dict() for c in extract_claims(text, article="negative", published=PUBLISHED, nlp=nlp)]
    assert claims == [], f"read as a claim: {_described(claims)}"


def _published_dates() -> dict[str, str]:
    rows = (json.loads(line) for line in (REALNEWS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip())
    return {row["article"]: row["published"] for row in rows}


@pytest.mark.parametrize("article", NOISE_ARTICLES)
def test_noise_article_of_the_real_news_set_gives_no_claim(article):
    if not (REALNEWS / "articles").is_dir():
        pytest.skip(f"{REALNEWS} is absent: the real-news noise articles are read where they lie")
    path = REALNEWS / "articles" / f"{article}.txt"
    [result] = list(pipeline.extract_files([path], published=_published_dates()[article]))
    assert result.failure is None, result.failure
    claims = [c.contract_dict() for c in result.claims]
    assert claims == [], f"{article}: read as claims: {_described(claims)}"

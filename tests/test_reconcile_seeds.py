"""The seed gold claims reproduce every row of shared/seeds/expected-checks.md, with no conflict."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor.reconcile import explain, reconcile
from extractor.reconcile.gold import load_gold_dir

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason=f"seed gold set not found at {SEEDS}")

A000, A001, A002 = "000_aad5f7c6210493b1", "001_ab0990ca4befeb81", "002_6c3cf06ab794cd16"
MAG = "rare earth magnets"


@pytest.fixture(scope="module")
def seeds():
    claims, articles = load_gold_dir(SEEDS)
    return claims, articles, reconcile(claims, articles)


def ids(claims, article, importer, value=None, period=None, change=None, commodity=MAG):
    """Claim ids of the gold claims matching the description (at least one must match)."""
    found = [c.id for c in claims if c.article == article and c.importer == importer
             and c.commodity == commodity and (value is None or c.value == value)
             and (period is None or c.period == period)
             and (change is None or c.change_pct == change)]
    assert found, (article, importer, value, period, change)
    return set(found)


def find(result, kind, series, *must):
    """The checks of a kind on a series that use at least one claim of every id set given."""
    out = [c for c in result.checks if c.kind == kind and c.series == series
           and all(set(c.claim_ids) & m for m in must)]
    assert out, f"no {kind} check on {series} using {must}"
    return out


# series (implied period) | value+change claim | expected implied interval | direct claim | verdict
IMPLIED = [
    ("CN>WLD rare earth magnets 2025-11", (A000, "WLD", 5952), (6145.1, 6152.5), (A002, "WLD", 6150), "consistent"),
    ("CN>WLD rare earth magnets 2025-10", (A002, "WLD", 6150), (5466.2, 5516.1), (A001, "WLD", 5473), "consistent"),
    ("CN>US rare earth magnets 2025-10", (A002, "US", 582), (649.7, 658.2), (A001, "US", 656), "consistent"),
    ("CN>US rare earth magnets 2025-11", (A000, "US", 564), (577.9, 585.0), (A002, "US", 582), "consistent"),
    ("CN>JP rare earth magnets 2025-11", (A000, "JP", 280), (302.2, 306.6), (A000, "JP", 305), "consistent"),
    ("CN>US rare earth magnets 2025-09", (A001, "US", 656), (419.8, 420.7), None, "unverifiable"),
    ("CN>WLD rare earth magnets 2024", (A000, "WLD", 57392), (58118.0, 58177.9), None, "unverifiable"),
    ("CN>US rare earth magnets 2024", (A000, "US", 5933), (7438.9, 7449.5), (A001, "US", 400), "consistent"),
]


@pytest.mark.parametrize("series,source,expected,direct,verdict", IMPLIED, ids=[r[0] for r in IMPLIED])
def test_implied_value_rows(seeds, series, source, expected, direct, verdict):
    claims, _, result = seeds
    must = [ids(claims, *source)] + ([ids(claims, *direct)] if direct else [])
    checks = find(result, "implied_value", series, *must)
    if direct is None:
        checks = [c for c in checks if c.arithmetic["direct"] is None]
    assert {c.verdict for c in checks} == {verdict}
    lo, hi = checks[0].arithmetic["implied_interval"]
    assert (round(lo, 1), round(hi, 1)) == pytest.approx(expected, abs=0.11)


def test_monthly_rate_is_scaled_to_the_year(seeds):
    claims, _, result = seeds
    check = find(result, "implied_value", "CN>US rare earth magnets 2024", ids(claims, A001, "US", 400))[0]
    assert check.arithmetic["direct"]["interval"][0] == pytest.approx(399.5 * 12)
    assert "a month" in check.explanation


# series (later period) | earlier value | later value | stated change claim | computed change
STATED = [
    ("CN>JP rare earth magnets 2025-12", (A000, "JP", 305), (A000, "JP", 280), (A000, "JP", None, "2025-12", -8), -8.2),
    ("CN>US rare earth magnets 2025-12", (A002, "US", 582), (A000, "US", 564), (A000, "US", 564, None, -3), -3.1),
    ("CN>US rare earth magnets 2025-11", (A001, "US", 656), (A002, "US", 582), (A002, "US", 582, None, -11), -11.3),
    ("CN>WLD rare earth magnets 2025-11", (A001, "WLD", 5473), (A002, "WLD", 6150), (A002, "WLD", 6150, None, 12), 12.4),
    ("CN>WLD rare earth magnets 2025-12", (A002, "WLD", 6150), (A000, "WLD", 5952), (A000, "WLD", 5952, None, -3.2), -3.2),
]


@pytest.mark.parametrize("series,earlier,later,stated,computed", STATED, ids=[r[0] for r in STATED])
def test_stated_change_rows(seeds, series, earlier, later, stated, computed):
    claims, _, result = seeds
    checks = find(result, "stated_change", series, ids(claims, *earlier), ids(claims, *later),
                  ids(claims, *stated))
    assert {c.verdict for c in checks} == {"consistent"}
    lo, hi = checks[0].arithmetic["computed_change_pct"]
    assert lo - 0.05 <= computed <= hi + 0.05


def test_months_of_2025_do_not_exceed_the_us_year(seeds):
    claims, _, result = seeds
    check = find(result, "aggregate", "CN>US rare earth magnets 2025", ids(claims, A000, "US", 5933),
                 ids(claims, A001, "US", 619), ids(claims, A000, "US", 564))[0]
    assert check.verdict == "consistent" and check.arithmetic["what"] == "months"
    months = {p["part"] for p in check.arithmetic["parts"]}
    assert {"July 2025", "October 2025", "November 2025", "December 2025"} <= months
    assert "May 2025" not in months and "Projected figures are left out" in check.explanation


def test_last_quarter_does_not_exceed_the_world_year(seeds):
    claims, _, result = seeds
    check = find(result, "aggregate", "CN>WLD rare earth magnets 2025", ids(claims, A000, "WLD", 57392),
                 ids(claims, A001, "WLD", 5473))
    check = [c for c in check if c.arithmetic["what"] == "months"][0]
    lo, hi = check.arithmetic["parts_sum"]
    assert lo <= 17575 <= hi and check.verdict == "consistent"


def test_october_destinations_do_not_exceed_the_total(seeds):
    claims, _, result = seeds
    check = find(result, "aggregate", "CN>WLD rare earth magnets 2025-10", ids(claims, A001, "WLD", 5473),
                 ids(claims, A001, "DE", 1118), ids(claims, A001, "KR", 569), ids(claims, A001, "JP", 226))
    check = [c for c in check if c.arithmetic["what"] == "destinations"][0]
    assert check.verdict == "consistent"
    lo, hi = check.arithmetic["parts_sum"]
    assert lo <= 2569 <= hi
    assert len(check.arithmetic["parts"]) == 4  # the 538 t wider scope is not a destination part


def test_stated_ranking_agrees(seeds):
    claims, _, result = seeds
    check = [c for c in result.checks if c.arithmetic.get("what") == "ranking"]
    assert len(check) == 1
    assert check[0].verdict == "consistent"
    assert check[0].arithmetic["ranks"] == {"DE": 1, "US": 2, "KR": 3}
    assert "Germany first" in check[0].explanation


def test_no_conflict_anywhere(seeds):
    _, _, result = seeds
    conflicts = [(c.kind, c.series, c.explanation) for c in result.checks if c.verdict == "conflict"]
    assert conflicts == []
    assert all(s.verdict != "conflict" and not s.disagreeing_claim_ids for s in result.series)


def test_different_scopes_are_different_series(seeds):
    claims, _, result = seeds
    keys = {s.series for s in result.series}
    assert {"CN>WLD rare earths 2025-12", "CN>WLD rare earth magnets 2025-12",
            "CN>JP rare earth magnets and semi-finished magnets 2025-10",
            "CN>JP rare earth magnets 2025-10"} <= keys
    products = ids(claims, "003_d627c6a13736f656", "WLD", 6745, commodity="rare earths")
    magnets = ids(claims, A000, "WLD", 5952)
    assert not [c for c in result.checks if set(c.claim_ids) & products and set(c.claim_ids) & magnets]


def test_repeated_mentions_are_one_source(seeds):
    claims, _, result = seeds
    nov = {s.series: s for s in result.series}["CN>WLD rare earth magnets 2025-11"]
    assert nov.consensus_value == 6150 and len(nov.sources) == 1 and not nov.corroborated
    assert not [c for c in result.checks if c.kind == "same_figure" and c.verdict == "consistent"
                and c.series == nov.series]


def test_wire_copies_are_one_source(seeds):
    claims, articles, result = seeds
    from extractor.reconcile.names import SourceNames
    from extractor.reconcile.sources import source_groups
    from extractor.reconcile.vocab import load_vocab
    vocab = load_vocab()
    groups = source_groups(articles, claims, vocab, SourceNames(vocab))
    assert groups.group(A000) == groups.group(A002)  # 002 cites Reuters, 000 is Reuters
    assert groups.group(A001) != groups.group(A000)
    assert groups.origin_of[A000] == "Reuters"


def test_unreported_series_are_marked_unverifiable(seeds):
    claims, _, result = seeds
    products = ids(claims, "003_d627c6a13736f656", "WLD", 6745, commodity="rare earths")
    check = [c for c in result.checks if c.kind == "unverifiable" and set(c.claim_ids) & products]
    assert check and check[0].verdict == "unverifiable" and "one source" in check[0].explanation
    covered = {i for c in result.checks for i in c.claim_ids}
    assert covered == {c.id for c in claims}  # every claim shows up in at least one check


def test_explain_lists_sentence_and_checks(seeds):
    claims, articles, result = seeds
    claim = next(c for c in claims if c.id in ids(claims, A000, "WLD", 5952))
    text = explain(claim, result.checks, next(a for a in articles if a.id == A000))
    assert claim.sentence in text
    assert "5,951.5–5,952.5 t" in text
    assert "implied_value" in text and "stated_change" in text and "6,145.1–6,152.5 t" in text


def test_series_rows_are_flat(seeds):
    _, _, result = seeds
    row = result.series[0].row()
    assert row["series"] and isinstance(row["claim_ids"], str) and isinstance(row["sources"], str)

"""The real discrepancies of ../shared/realnews, found from its gold claims.

The gold is the careful reading of 84 published articles; its conflicts*.md files list the
real discrepancies of that news (set A: the six of conflicts.md; set B: the summaries closing
conflicts-energy.md, -agri.md and -metals.md). Reconciled, the gold claims must give each
discrepancy they can show as a conflict finding with its cause, and no finding elsewhere.
The texts are read where they lie (third-party copy, never copied into the project).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor.reconcile import reconcile
from extractor.reconcile.gold import load_gold_dir

REALNEWS = Path(__file__).resolve().parents[2] / "shared" / "realnews"
pytestmark = pytest.mark.skipif(not (REALNEWS / "gold.jsonl").exists(),
                                reason=f"real-news gold set not found at {REALNEWS}")

# 018 prints "62.585 metric tons"; the gold reads it as 62,585 t and records the literal in its
# note. A reader takes the sentence as printed, so the claim is stored as printed here.
AS_PRINTED = {("018", 62585): 62.585}

# (articles of the claims held wrong, cause, tied): what each discrepancy must give.
SET_A = [
    ({"008"}, "wrong_period", False),  # July's 5,577 t put in June
    ({"005"}, "figure", False),  # +30.8 % against +32 %
    ({"003"}, "wrong_commodity", False),  # the magnets' -74 % called rare earths
    ({"011"}, "wrong_commodity", False),  # magnet figures called rare earths
    ({"018"}, "separator", False),  # "62.585 metric tons"
    ({"029"}, "wrong_period", False),  # March's LNG given as April's
]
SET_B = [
    ({"E05"}, "multiplier", False),  # Q1 iron ore "2.63 million mt" for 263 million
    ({"E04"}, "figure", False),  # March 83.16 Mt, computed from its Q1 total
    ({"E04", "E06"}, "figure", True),  # Q1 260 Mt against 262.8 Mt (E05's slip aside)
    ({"E04", "E05"}, "figure", True),  # the Q1 change differs in sign
    ({"E14"}, "figure", False),  # headline +19.9 % m/m, body +49.6 %
    ({"E15"}, "figure", True),  # the lead's 78.7 Mt truncates the release's 78.79 MT
    ({"A04"}, "figure", False),  # China's total October imports given as Brazil's
    ({"A04", "A05"}, "figure", True),  # 228,253 t against 228,264 t: a revision
    ({"A07"}, "separator", False),  # "1771 million tonne" for 17.71 lakh t
    ({"M02"}, "multiplier", False),  # "2.4 metric tons": a dropped "million"
    ({"M02"}, "wrong_commodity", False),  # the concentrate's -18 % headlined as copper's
    ({"M04"}, "figure", False),  # +6.61 % y/y against +5.8 %
    ({"M03", "M04"}, "figure", True),  # -18.09 % against -17.55 % m/m
    ({"M05", "M06"}, "figure", True),  # -25.7 % against -25.5 % y/y
    ({"M15"}, "wrong_period", False),  # April's Argentina figure repeats January-April's
    ({"M17"}, "figure", False),  # -56.5 % for a computed -56.56 %
]
# Articles the summaries name (as wrong, or as the figures a wrong one is compared with).
NAMED = {
    "003", "004", "005", "006", "007", "008", "009", "010", "011", "018", "019", "028", "029", "030",
    "E02", "E04", "E05", "E06", "E07", "E08", "E10", "E11", "E12", "E14", "E15",
    "A01", "A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11",
    "M01", "M02", "M03", "M04", "M05", "M06", "M15", "M17",
}


@pytest.fixture(scope="module")
def found():
    claims, articles = load_gold_dir(REALNEWS)
    for claim in claims:
        claim.value = AS_PRINTED.get((claim.article, claim.value), claim.value)
    by_id = {c.id: c for c in claims}
    result = reconcile(claims, articles)
    return result, by_id


def articles_of(finding, by_id) -> set:
    return {by_id[i].article for i in finding.claim_ids}


@pytest.mark.parametrize("articles, cause, tied", SET_A + SET_B,
                         ids=[f"{'+'.join(sorted(a))}-{c}" for a, c, _ in SET_A + SET_B])
def test_each_real_discrepancy_is_a_conflict_finding_with_its_cause(found, articles, cause, tied):
    result, by_id = found
    hits = [f for f in result.findings if articles_of(f, by_id) == articles and f.cause == cause
            and f.arithmetic["tied"] == tied]
    assert hits, [(sorted(articles_of(f, by_id)), f.cause) for f in result.findings]
    assert all(f.kind == "conflict" for f in hits)
    assert all(f.check_ids and f.explanation for f in hits)


def test_no_conflict_finding_touches_an_article_no_summary_names(found):
    result, by_id = found
    stray = [(f.series, sorted(articles_of(f, by_id))) for f in result.findings
             if not articles_of(f, by_id) <= NAMED]
    assert stray == []


def test_the_gold_has_no_misreading_to_check(found):
    """Gold claims are careful readings: nothing in them is for a person to re-read."""
    result, _ = found
    assert [f.explanation for f in result.findings if f.kind == "check_reading"] == []


def test_one_finding_per_wrong_figure(found):
    """Every conflicting check is explained, and by few findings (not one card per check)."""
    result, by_id = found
    conflicts = [c for c in result.checks if c.verdict == "conflict"]
    explained = {i for f in result.findings for i in f.check_ids}
    assert len(result.findings) <= len(SET_A) + len(SET_B) + 4
    assert len(result.findings) < len(conflicts)
    # a conflict left without a finding is one the printed figures explain (a truncated
    # figure beside a rounded one, a round figure): its arithmetic says which
    for check in conflicts:
        if check.id not in explained:
            assert check.arithmetic.get("no_finding"), check.explanation


def test_the_same_findings_through_the_database_and_the_command_line(found, tmp_path):
    from click.testing import CliRunner

    from extractor import store
    from extractor.cli import cli
    from extractor.reconcile.gold import store_gold

    result, _ = found
    path = tmp_path / "realnews.db"
    store_gold(store.open_db(path), REALNEWS, overrides=AS_PRINTED)
    done = CliRunner().invoke(cli, ["reconcile", "--db", str(path)])
    assert done.exit_code == 0, done.output
    conflicts = sum(f.kind == "conflict" for f in result.findings)
    assert f"{len(result.findings)} findings: {conflicts} conflicts" in done.output
    assert [f.id for f in store.load_findings(store.open_db(path))] == [f.id for f in result.findings]


# End to end: the reader's own claims of the same articles, reconciled. A misreading may give a
# reading to check, never a conflict in an article no summary names; these real discrepancies
# are read well enough to be conflicts with their cause.
READ_AND_FOUND = [
    ({"008"}, "wrong_period"),  # July's 5,577 t put in June
    ({"029"}, "wrong_period"),  # March's LNG given as April's
    ({"005"}, "figure"),  # +30.8 % against +32 %
    ({"011"}, "wrong_commodity"),  # magnet figures called rare earths
    ({"E05"}, "multiplier"),  # "2.63 million mt" for 263 million
    ({"A07"}, "separator"),  # "1771 million tonne" for 17.71 lakh t
    ({"M15"}, "wrong_period"),  # April's Argentina figure repeats January-April's
]


@pytest.fixture(scope="module")
def read():
    from extractor.claims import claims_for

    _, articles = load_gold_dir(REALNEWS)
    claims = [c for a in articles for c in claims_for(a, a.id)]
    by_id = {c.id: c for c in claims}
    return reconcile(claims, articles), by_id


def test_read_claims_raise_no_conflict_outside_the_named_articles(read):
    result, by_id = read
    stray = [(f.series, sorted(articles_of(f, by_id))) for f in result.findings
             if f.kind == "conflict" and not articles_of(f, by_id) <= NAMED]
    assert stray == []


@pytest.mark.parametrize("articles, cause", READ_AND_FOUND,
                         ids=[f"{'+'.join(sorted(a))}-{c}" for a, c in READ_AND_FOUND])
def test_read_claims_give_the_real_discrepancy_as_a_conflict(read, articles, cause):
    result, by_id = read
    hits = [f for f in result.findings if articles_of(f, by_id) == articles and f.cause == cause
            and f.kind == "conflict"]
    assert hits, [(sorted(articles_of(f, by_id)), f.kind, f.cause) for f in result.findings]

"""Findings: one per wrong figure, with its cause; ties named as ties; triage by evidence.

Built from gold claims (the seeds, fixtures/conflicts, claims written here), so they test the
reconciler whatever the claim reader makes of the texts.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.reconcile import reconcile
from extractor.reconcile.gold import load_gold_dir
from extractor.types import Article, Claim

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "conflicts"
SEEDS = ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason=f"seed gold set not found at {SEEDS}")

# the cause each planted error must be given
PLANTED = {
    "wrong_month": "wrong_period", "transposed_digit": "transposed_digits", "sign_flip": "sign",
    "yoy_as_mom": "basis", "kt_as_t": "unit", "ranking": "ranking", "germany_fall": "sign",
}


@pytest.fixture(scope="module")
def seeds():
    return load_gold_dir(SEEDS)


@needs_seeds
def test_seeds_alone_make_no_finding(seeds):
    claims, articles = seeds
    assert reconcile(claims, articles).findings == []


@needs_seeds
@pytest.mark.parametrize("name", sorted(PLANTED))
def test_each_planted_error_is_one_finding_with_its_cause(seeds, name):
    claims, articles = seeds
    fx_claims, fx_articles = load_gold_dir(FIXTURES)
    mine = [c for c in fx_claims if c.article == name]
    result = reconcile(claims + mine, articles + [a for a in fx_articles if a.id == name])
    assert len(result.findings) == 1, [f.explanation for f in result.findings]
    finding = result.findings[0]
    assert finding.kind == "conflict" and finding.cause == PLANTED[name]
    assert {c.id for c in mine} & set(finding.claim_ids)
    checks = {c.id: c for c in result.checks}
    assert finding.check_ids and all(checks[i].verdict == "conflict" for i in finding.check_ids)
    # every conflicting check is explained by the one finding
    assert {c.id for c in result.checks if c.verdict == "conflict"} == set(finding.check_ids)


@needs_seeds
def test_german_sign_flip_compares_the_unstated_basis_of_its_paragraph(seeds):
    claims, articles = seeds
    fx_claims, fx_articles = load_gold_dir(FIXTURES)
    mine = [c for c in fx_claims if c.article == "germany_fall"]
    result = reconcile(claims + mine, articles + [a for a in fx_articles if a.id == "germany_fall"])
    (finding,) = result.findings
    seed = next(c for c in claims if c.importer == "DE" and c.change_pct == 55.9)
    assert seed.change_basis is None  # as the sentence states it
    # one says it rose, the other that it fell, and nothing else decides which: a tie, named
    assert set(finding.claim_ids) == {seed.id, mine[0].id} and finding.arithmetic["tied"]
    assert "+55.9% states no basis in its sentence" in finding.explanation
    assert "year on year, the basis its paragraph states" in finding.explanation


LEADS = {"alpha": "semiconductor materials and the chip trade", "beta": "metals markets in Asia",
         "gamma": "customs statistics from Beijing every week"}


def one_line(aid: str, value: float) -> tuple[Claim, Article]:
    sentence = f"China exported {value:,.0f} tonnes of gallium nitride to Japan in March."
    lead = f"{aid.title()} Wire reports on {LEADS[aid]}."  # distinct texts: not copies of one story
    text = f"{lead}\n\n{sentence}\n"
    article = Article(url=f"https://{aid}.example/gallium", text=text, title=f"Gallium report {aid}",
                      published="2025-04-20", id=aid)
    claim = Claim(article=aid, article_id=aid, sentence=sentence, start=text.index(sentence),
                  end=text.index(sentence) + len(sentence), exporter="CN", importer="JP",
                  commodity="gallium nitride", value=value, unit="t", period="2025-03", id=f"c-{aid}")
    return claim, article


def test_three_neighbouring_figures_make_one_tied_finding_with_true_support():
    """6,473, 6,474 and 6,475 t: 6,474 fits both others, which cannot both be right."""
    made = [one_line(aid, v) for aid, v in (("alpha", 6473), ("beta", 6474), ("gamma", 6475))]
    claims, articles = [c for c, _ in made], [a for _, a in made]
    result = reconcile(claims, articles)
    (finding,) = result.findings
    assert finding.kind == "conflict" and finding.arithmetic["tied"]
    assert set(finding.claim_ids) == {"c-alpha", "c-gamma"}
    assert finding.support_claim_ids == ["c-beta"]
    assert finding.arithmetic["independent_sources"] == 1
    assert finding.arithmetic["supported_by"][0]["figure"] == "6,474 t"
    text = finding.explanation
    assert "6,473 t" in text and "6,475 t" in text and "6,474 t" in text
    assert "2 independent sources" not in text
    # the conflicting check names each figure with its own source
    conflict = next(c for c in result.checks if c.verdict == "conflict")
    assert '6,473 t ("Gallium report alpha")' in conflict.explanation or \
           '6,475 t ("Gallium report gamma")' in conflict.explanation
    assert '6,474 t ("Gallium report alpha")' not in conflict.explanation


def test_two_sources_against_one_name_the_one():
    made = [one_line("alpha", 6473), one_line("beta", 6473), one_line("gamma", 6520)]
    result = reconcile([c for c, _ in made], [a for _, a in made])
    (finding,) = result.findings
    assert finding.claim_ids == ["c-gamma"] and not finding.arithmetic["tied"]
    assert finding.arithmetic["independent_sources"] == 2
    assert "2 independent sources support" in finding.explanation


def test_a_reading_with_inferred_fields_is_a_check_reading():
    made = [one_line("alpha", 6473), one_line("beta", 6473), one_line("gamma", 6520)]
    made[2][0].inferred = ("period",)
    result = reconcile([c for c, _ in made], [a for _, a in made])
    (finding,) = result.findings
    assert finding.kind == "check_reading" and finding.claim_ids == ["c-gamma"]
    assert "period was carried from context" in finding.explanation


def test_two_figures_of_one_sentence_read_into_one_series_are_a_check_reading():
    sentence = "China exported 280 tonnes of gallium nitride to Japan in March, against 305 tonnes."
    text = "Report\n\n" + sentence
    article = Article(url="https://one.example/a", text=text, title="One", id="one")
    start = text.index(sentence)
    claims = [Claim(article="one", article_id="one", sentence=sentence, start=start, end=len(text),
                    exporter="CN", importer="JP", commodity="gallium nitride", value=v, unit="t",
                    period="2025-03", figure_start=start + sentence.index(str(v)),
                    figure_end=start + sentence.index(str(v)) + 3, id=f"c{v}")
              for v in (280, 305)]
    (finding,) = reconcile(claims, [article]).findings
    assert finding.kind == "check_reading" and finding.arithmetic["tied"]
    assert "two figures of one sentence" in finding.explanation


def test_a_confirmed_claim_is_never_held_wrong():
    made = [one_line("alpha", 6473), one_line("beta", 6473), one_line("gamma", 6520)]
    claims, articles = [c for c, _ in made], [a for _, a in made]
    (finding,) = reconcile(claims, articles, confirmed=frozenset({"c-gamma"})).findings
    assert set(finding.claim_ids) == {"c-alpha", "c-beta"}


def test_a_reading_without_its_exporter_is_a_check_reading():
    made = [one_line("alpha", 6473), one_line("beta", 6473), one_line("gamma", 6520)]
    for claim, _ in made:
        claim.exporter = None  # "?>JP": who shipped it was not read
    (finding,) = reconcile([c for c, _ in made], [a for _, a in made]).findings
    assert finding.kind == "check_reading" and "exporter could not be read" in finding.explanation


def test_an_inferred_field_counts_only_where_it_can_explain_the_finding():
    """A slip in the number itself is the text's, whatever was carried from context."""
    made = [one_line("alpha", 6473), one_line("beta", 6473), one_line("gamma", 6437)]
    made[2][0].inferred = ("commodity",)
    (finding,) = reconcile([c for c, _ in made], [a for _, a in made]).findings
    assert finding.cause == "transposed_digits" and finding.kind == "conflict"


def test_a_claims_value_and_change_both_wrong_are_one_finding():
    made = [one_line("alpha", 6473), one_line("beta", 6473), one_line("gamma", 6520)]
    for (claim, _), change in zip(made, (5.0, 5.0, 12.0)):
        claim.change_pct, claim.change_basis = change, "mom"
        claim.sentence = claim.sentence.replace(" in March.", f", up {change:g}% from February, in March.")
        claim.end = claim.start + len(claim.sentence)
    result = reconcile([c for c, _ in made], [a for _, a in made])
    (finding,) = result.findings
    assert finding.claim_ids == ["c-gamma"]
    assert [s["figure"] for s in finding.arithmetic["suspects"]] == ["6,520 t", "+12% (month on month)"]
    assert len(finding.check_ids) == 2

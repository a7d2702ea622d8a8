"""Triage of findings by how well the suspect's carried fields are backed (carried.py).

Claims and articles are written here: two agreeing sources and a third giving another figure,
whose sentence leaves a field to its context (an anaphor, a headline's goods or country).
"""
from __future__ import annotations

import pytest

from extractor.reconcile import reconcile
from extractor.reconcile.carried import BACKED, CARRIED, CONTESTED, Carried
from extractor.reconcile.context import Context
from extractor.reconcile.vocab import load_vocab
from extractor.types import Article, Claim

LEADS = {"alpha": "semiconductor materials and the chip trade", "beta": "metals markets in Asia"}


def stated(aid: str, value: float) -> tuple[Claim, Article]:
    """A source stating every field of its figure in one sentence."""
    sentence = f"China exported {value:,.0f} tonnes of gallium nitride to Japan in March."
    text = f"{aid.title()} Wire reports on {LEADS[aid]}.\n\n{sentence}\n"
    article = Article(url=f"https://{aid}.example/gallium", text=text, title=f"Gallium report {aid}",
                      published="2025-04-20", id=aid)
    start = text.index(sentence)
    claim = Claim(article=aid, article_id=aid, sentence=sentence, start=start, end=start + len(sentence),
                  exporter="CN", importer="JP", commodity="gallium nitride", value=value, unit="t",
                  period="2025-03", id=f"c-{aid}")
    return claim, article


def carried(title: str, before: str, sentence: str, inferred: tuple, value: float = 6520,
            url: str = "https://gamma.example/news/9") -> tuple[Claim, Article]:
    """The third source: its figure's sentence leaves `inferred` to the headline or the text."""
    text = f"{before}\n{sentence}\n" if before else f"{sentence}\n"
    article = Article(url=url, text=text, title=title or None, published="2025-04-20", id="gamma")
    start = text.index(sentence)
    claim = Claim(article="gamma", article_id="gamma", sentence=sentence, start=start,
                  end=start + len(sentence), exporter="CN", importer="JP", commodity="gallium nitride",
                  value=value, unit="t", period="2025-03", inferred=inferred, id="c-gamma")
    return claim, article


def finding_of(third: tuple[Claim, Article], extra: list = ()):
    made = [stated("alpha", 6473), stated("beta", 6473), third]
    claims = [c for c, _ in made] + [c for c, _ in extra]
    articles = [a for _, a in made]
    (finding,) = reconcile(claims, articles).findings
    assert finding.claim_ids == ["c-gamma"]
    return finding


@pytest.mark.parametrize("title, before, sentence, inferred", [
    # the goods named by the headline, the sentence speaking of them without their name
    ("Gallium nitride shipments from China to Japan jump", "",
     "Shipments to Japan came to 6,520 tonnes in March, customs data showed.", ("commodity", "exporter")),
    # no title: the address's words are the headline
    ("", "", "Shipments to Japan came to 6,520 tonnes in March.", ("commodity", "exporter")),
    # the country named in the lead, the sentence naming it only as "the country"
    ("Gallium nitride trade", "China's gallium nitride exports rose in March, customs data showed.",
     "The country shipped 6,520 tonnes of gallium nitride to Japan in March.", ("exporter",)),
    # the claim's own sentence names the carried value, though the reader did not bind it there
    ("Asian metals", "Trade in speciality metals was brisk.",
     "Shipments of gallium nitride to Japan, China's customs said, came to 6,520 tonnes in March.",
     ("exporter",)),
], ids=["headline-goods", "address-words", "lead-country", "own-sentence"])
def test_a_field_the_headline_or_the_sentence_itself_backs_keeps_the_finding_a_conflict(
        title, before, sentence, inferred):
    url = "https://gamma.example/news/china-gallium-nitride-shipments-to-japan-jump"
    finding = finding_of(carried(title, before, sentence, inferred, url=url))
    assert finding.kind == "conflict", finding.explanation


@pytest.mark.parametrize("title, before, sentence, inferred, reason", [
    # nothing in the headline or the lead names the goods: a carried commodity may be wrong
    ("Asian trade data", "Customs published its March data.",
     "Shipments to Japan came to 6,520 tonnes in March.", ("commodity",), "commodity was carried"),
    # the headline names the goods, but the sentence just before speaks of others
    ("Gallium nitride shipments from China jump", "Germanium exports also rose sharply.",
     "Shipments to Japan came to 6,520 tonnes in March.", ("commodity",), "names another"),
    # a carried exporter with another country named right before
    ("Gallium nitride trade", "South Korea's gallium nitride sales abroad grew as well.",
     "Shipments of gallium nitride to Japan came to 6,520 tonnes in March.", ("exporter",), "names another"),
], ids=["unbacked-goods", "goods-named-before", "country-named-before"])
def test_a_carried_field_nothing_backs_or_the_text_contests_is_a_check_reading(
        title, before, sentence, inferred, reason):
    finding = finding_of(carried(title, before, sentence, inferred))
    assert finding.kind == "check_reading" and reason in finding.explanation, finding.explanation


def test_a_contested_field_makes_a_check_reading_whatever_the_cause_but_a_slip_in_the_number():
    """6,437 for 6,473: the digits' slip is the text's, whichever series the figure was put in."""
    title, before = "Gallium nitride shipments from China jump", "Germanium exports also rose sharply."
    slip = finding_of(carried(title, before, "Shipments to Japan came to 6,437 tonnes in March.",
                              ("commodity",), value=6437))
    assert slip.cause == "transposed_digits" and slip.kind == "conflict"


def test_a_field_carried_from_the_sentence_before_is_backed_by_that_claim():
    """"That was 6,520 tonnes": the period comes from the claim just before, which states it."""
    before = "China exported 410 tonnes of gallium nitride to Japan in March, customs data showed."
    sentence = "That brought the month's shipments to 6,520 tonnes."
    third = carried("Asian trade data", before, sentence, ("period",))
    antecedent = Claim(article="gamma", article_id="gamma", sentence=before, start=0, end=len(before),
                       exporter="CN", importer="JP", commodity="gallium nitride", change_pct=None,
                       value=None, period="2025-03", id="c-before")
    ctx = Context({}, None, {"gamma": third[1]}, load_vocab())
    grades = Carried(ctx)
    grades._by_article = {"gamma": [antecedent, third[0]]}
    assert grades.grade(third[0], "period") == BACKED
    # without it the period is only carried
    alone = Carried(ctx)
    alone._by_article = {"gamma": [third[0]]}
    assert alone.grade(third[0], "period") == CARRIED


@pytest.mark.parametrize("before, grade", [
    ("Customs published its March data.", CARRIED),
    ("Coal imports also fell.", CONTESTED),
    ("Exports of gallium nitride were strong.", BACKED),  # the goods of the sentence before
])
def test_grades_of_a_carried_commodity(before, grade):
    claim, article = carried("Asian trade data", before, "Shipments to Japan came to 6,520 tonnes.",
                             ("commodity",))
    ctx = Context({}, None, {"gamma": article}, load_vocab())
    grades = Carried(ctx)
    grades._by_article = {"gamma": [claim]}
    assert grades.grade(claim, "commodity") == grade


@pytest.mark.parametrize("cut, value, finding", [
    ("as of November 15", 8050, False),  # a total to mid-month, below the 11 months' total
    ("by 12 November", 8050, False),
    ("in the first half of November", 8050, False),
    ("as of November 15", 9100, True),  # a part above its whole: a conflict after all
    ("as of November 30", 8050, True),  # the month's end: the whole period
    ("in November", 8050, True),
])
def test_a_figure_cut_short_within_its_last_month_is_a_part_not_a_rival(cut, value, finding):
    def article(aid: str, sentence: str) -> tuple[Claim, Article]:
        text = f"{aid.title()} Wire on {LEADS[aid]}.\n\n{sentence}\n"
        start = text.index(sentence)
        return (Claim(article=aid, article_id=aid, sentence=sentence, start=start, end=start + len(sentence),
                      exporter="VN", importer="WLD", commodity="rice", value=value if aid == "beta" else 8500,
                      unit="t", period="2024-01..2024-11", id=f"c-{aid}"),
                Article(url=f"https://{aid}.example/rice", text=text, title=f"Rice {aid}", id=aid))
    made = [article("alpha", "Rice exports came to 8,500 tonnes in the first 11 months of the year."),
            article("beta", f"Rice exports had reached {value:,} tonnes {cut}.")]
    result = reconcile([c for c, _ in made], [a for _, a in made])
    assert any(c.verdict == "conflict" for c in result.checks)
    assert bool(result.findings) == finding, [f.explanation for f in result.findings]
    if not finding:
        (check,) = [c for c in result.checks if c.verdict == "conflict"]
        assert "covers its period only in part" in check.arithmetic["no_finding"]


@pytest.mark.parametrize("value, kind", [
    (6520, "conflict"),  # a few per cent off: a misreported figure
    (12000, "conflict"),  # under twice the others: still one figure misreported
    (14000, "check_reading"),  # over twice: a wider scope read into the series
    (3000, "check_reading"),  # under half: a part of it
])
def test_levels_of_one_series_far_apart_without_a_named_cause_are_a_check_reading(value, kind):
    third = stated("beta", value)
    claim, article = third
    article.id = claim.article_id = claim.article = "gamma"
    article.url, article.title = "https://gamma.example/gallium", "Gallium report gamma"
    article.text = article.text.replace("Beta Wire reports on metals markets in Asia", "Gamma Desk on trade")
    claim.start = article.text.index(claim.sentence)
    claim.end = claim.start + len(claim.sentence)
    claim.id = "c-gamma"
    finding = finding_of(third)
    assert finding.cause == "figure" and finding.kind == kind, finding.explanation
    if kind == "check_reading":
        assert "times apart" in finding.explanation

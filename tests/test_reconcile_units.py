"""Unit tests of the reconciler's parts: names, periods, independence, ranking cues."""
from __future__ import annotations

import pytest

from extractor.reconcile import reconcile
from extractor.reconcile.names import CommodityNames, SourceNames
from extractor.reconcile.periods import parse_period, previous_period
from extractor.reconcile.check_ranking import ranking_statement
from extractor.reconcile.sources import source_groups
from extractor.reconcile.vocab import load_vocab
from extractor.types import Article, Claim

VOCAB = load_vocab()


@pytest.mark.parametrize("name,canonical", [
    ("rare earth magnet", "rare earth magnets"), ("rare-earth magnets", "rare earth magnets"),
    ("Rare-earth products", "rare earth products"),  # another series, not a spelling of "rare earths"
    ("vegetable oils", "vegetable oils"), ("crude palm oil", "crude palm oil"),
    ("rare earth magnets and semi-finished magnets", "rare earth magnets and semi-finished magnets"),
    ("aluminum", "aluminium"),
])
def test_commodity_variants(name, canonical):
    assert CommodityNames(VOCAB).canonical(name) == canonical


def test_unknown_commodity_variants_group_together():
    names = CommodityNames(VOCAB)
    assert names.canonical("soya bean meal") == names.canonical("soya-bean meals")
    assert names.canonical("copper concentrates") != names.canonical("copper")
    assert names.canonical("widget casings") != names.canonical("widgets")


def test_source_names_match_across_wordings():
    names = SourceNames(VOCAB)
    assert names.canonical("China's customs administration") == "General Administration of Customs"
    assert names.canonical("General Administration of Customs") == "General Administration of Customs"
    assert names.is_agency(names.canonical("Reuters"))


def test_periods():
    nov = parse_period("2025-11")
    assert previous_period(nov, "mom").key() == "2025-10"
    assert previous_period(nov, "yoy").key() == "2024-11"
    assert previous_period(parse_period("2025"), "yoy").key() == "2024"
    assert previous_period(parse_period("2025-Q1"), "mom").key() == "2024-Q4"
    assert parse_period("2025-01..2025-11").months == 11
    assert parse_period("2025-13") is None and parse_period("soon") is None


def test_ranking_cues():
    s = "By country, exports to Germany were the highest, increasing by 55.9% to 1,118 tons, followed by the US."
    assert ranking_statement(s, "DE", VOCAB) == ({"DE": 1, "US": 2}, [("DE", "US")])
    assert ranking_statement("Exports to South Korea were third, at 569 tons.", "KR", VOCAB)[0] == {"KR": 3}
    # a ranking over time, not over destinations
    assert ranking_statement("Exports to the US reached their second-highest monthly level.", "US", VOCAB) == ({}, [])
    assert ranking_statement("However, exports to Japan were the largest.", "JP", VOCAB)[0] == {"JP": 1}


def _article(aid, text, title=None):
    return Article(url=f"https://{aid}.example/x", text=text, title=title or aid, id=aid)


def test_near_duplicate_copies_are_one_source():
    body = ("China's exports of widgets rose 4% in March to 1,234 tonnes, customs data showed on "
            "Tuesday. Buyers in Europe and Asia restocked ahead of new licensing rules. "
            "Shipments to Japan fell for a second month as a diplomatic row dragged on. "
            "Analysts expect the rules to slow exports further in the second quarter. "
            "The ministry said licences would be granted case by case.")
    a = _article("orig", body)
    b = _article("copy", body.replace("on Tuesday", "on Tuesday afternoon", 1))
    c = _article("other", "A different story entirely about grain harvests in a dry year " * 6)
    groups = source_groups([a, b, c], [], VOCAB, SourceNames(VOCAB))
    assert groups.group("orig") == groups.group("copy") != groups.group("other")
    assert groups.duplicates


def test_corroboration_needs_independent_sources():
    def claim(cid, aid, value):
        s = f"Widget exports reached {value:,} tonnes in March 2025."
        return Claim(article=aid, article_id=aid, sentence=s, start=0, end=len(s), exporter="CN",
                     importer="WLD", commodity="widgets", value=value, unit="t", period="2025-03", id=cid)
    one = [claim("a1", "A", 1234), claim("a2", "A", 1234)]
    arts = [_article("A", "Alpha report " * 20), _article("B", "Bravo wire " * 20)]
    result = reconcile(one, arts)
    assert not result.series[0].corroborated
    result = reconcile(one + [claim("b1", "B", 1234)], arts)
    assert result.series[0].corroborated and len(result.series[0].sources) == 2
    agree = [c for c in result.checks if c.kind == "same_figure" and c.verdict == "consistent"]
    assert agree and "2 independent sources" in agree[0].explanation


def test_projection_is_never_a_conflict():
    def claim(cid, aid, value, modality):
        s = f"Widget exports {'are expected to reach' if modality == 'projected' else 'reached'} {value:,} tonnes in March 2025."
        return Claim(article=aid, article_id=aid, sentence=s, start=0, end=len(s), exporter="CN",
                     importer="WLD", commodity="widgets", value=value, unit="t", period="2025-03",
                     modality=modality, id=cid)
    arts = [_article("A", "Alpha report " * 20), _article("B", "Bravo wire " * 20)]
    result = reconcile([claim("a", "A", 1234, "reported"), claim("b", "B", 2000, "projected")], arts)
    assert not [c for c in result.checks if c.verdict == "conflict"]
    assert any("projection" in c.explanation for c in result.checks)


def test_unreadable_period_is_recorded_not_dropped():
    c = Claim(article="A", article_id="A", sentence="x", start=0, end=1, value=5, unit="t", period="someday", id="z")
    result = reconcile([c], [])
    assert [ch.claim_ids for ch in result.checks if ch.verdict == "unverifiable"] == [["z"]]


def test_independent_implied_value_breaks_a_tie_between_single_sources():
    def claim(cid, aid, value, period="2025-03", change=None):
        s = f"Widget exports reached {value:,} tonnes" + (f", up {change}% on the month" if change else "") + "."
        return Claim(article=aid, article_id=aid, sentence=s, start=0, end=len(s), exporter="CN",
                     importer="WLD", commodity="widgets", value=value, unit="t", period=period,
                     change_pct=change, change_basis="mom" if change else None, id=cid)
    arts = [_article(x, f"{x} report " * 20) for x in ("A", "B", "C")]
    split = [claim("a", "A", 1234), claim("b", "B", 1500)]
    tied = [s for s in reconcile(split, arts).series if s.period == "2025-03"][0]
    assert tied.consensus_value is None  # one source each: no consensus on its own
    # a third article: April 1,296 t, up 5 % on March, implies 1,233.6-1,235.0 t for March
    result = reconcile(split + [claim("c", "C", 1296, "2025-04", 5.0)], arts)
    march = [s for s in result.series if s.period == "2025-03"][0]
    assert march.consensus_value == 1234 and march.disagreeing_claim_ids == ["b"]
    (conflict,) = [c for c in result.checks if c.kind == "same_figure" and c.verdict == "conflict"]
    assert "1,234 t is the figure an independent source implies" in conflict.explanation
    assert "c" in conflict.claim_ids and conflict.arithmetic["supported_by"]
    # the same evidence from one of the disagreeing sources is no third source: the tie stands
    own = claim("c", "B", 1296, "2025-04", 5.0)
    march = [s for s in reconcile(split + [own], arts).series if s.period == "2025-03"][0]
    assert march.consensus_value is None

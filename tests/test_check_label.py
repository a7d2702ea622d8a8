"""The label check: one precise figure under two commodity names of one flow and period."""
from __future__ import annotations

import pytest

from extractor.reconcile import reconcile
from extractor.types import Article, Claim


def _article(n: int) -> Article:
    text = f"Trade note {n}: shipments figures from the ministry, report {n}."
    return Article(url=f"https://paper{n}.example/story", text=text, title=f"Trade note {n}",
                   published="2026-04-10", sitename=f"paper{n}", id=f"a{n}", fingerprint=f"fp{n}")


def _claim(n: int, commodity: str, value: float) -> Claim:
    sentence = f"Exports of {commodity} from Indonesia to the US reached {value:,.0f} tonnes in March."
    return Claim(article=f"a{n}", sentence=sentence, start=0, end=len(sentence), period="2026-03",
                 exporter="ID", importer="US", commodity=commodity, value=value, unit="t",
                 article_id=f"a{n}", id=f"c{n}")


def _label_conflicts(tin_articles: int, graphite_articles: int) -> list:
    tin = [_claim(n, "tin", 1685) for n in range(tin_articles)]
    graphite = [_claim(100 + n, "graphite", 1685) for n in range(graphite_articles)]
    articles = [_article(n) for n in range(tin_articles)] + [_article(100 + n) for n in range(graphite_articles)]
    result = reconcile(tin + graphite, articles)
    return [c for c in result.checks if c.kind == "label" and c.verdict == "conflict"]


@pytest.mark.parametrize("tin,graphite", [(1, 1), (1, 3), (3, 1)])
def test_a_figure_one_label_has_alone_is_a_label_conflict(tin, graphite):
    (check,) = _label_conflicts(tin, graphite)
    assert "tin" in check.explanation and "graphite" in check.explanation


def test_a_figure_each_label_has_from_several_sources_is_chance():
    """Two independent sources give 1,685 t of tin, two others 1,685 t of graphite: no source
    would have to be wrong, so there is no label conflict."""
    assert _label_conflicts(2, 2) == []
    assert _label_conflicts(3, 4) == []

"""The prefilter (extractor/prefilter.py) loses no claim: every article with a gold claim, and
every page the extractor reads a claim from, passes it; pages without figures are skipped."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import pipeline, prefilter

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "fixtures"


def gold_articles(folder: Path, pattern: str = "*.txt") -> list[Path]:
    """Article files of `folder` named in its gold.jsonl (those with at least one gold claim)."""
    gold = folder / "gold.jsonl"
    if not gold.exists():
        return []
    with gold.open(encoding="utf-8") as lines:
        named = {json.loads(line)["article"] for line in lines if line.strip()}
    return sorted(p for p in folder.glob(pattern) if p.stem in named)


GOLD_SETS = {
    "seeds": (SHARED / "seeds", "*.txt"),
    "realnews": (SHARED / "realnews", "articles/*.txt"),
    "fixtures/dev": (FIXTURES / "dev", "*.txt"),
    "fixtures/heldout": (FIXTURES / "heldout", "*.txt"),
    "fixtures/heldout2": (FIXTURES / "heldout2", "articles/*.txt"),
}


def _gold_files(name: str) -> list[Path]:
    folder, pattern = GOLD_SETS[name]
    if name in ("seeds", "realnews") and not folder.exists():
        pytest.skip(f"{folder} not found: the shared test data sits beside the checkout")
    if name in ("realnews", "fixtures/heldout2"):
        gold = folder / "gold.jsonl"
        named = {json.loads(line)["article"] for line in gold.open(encoding="utf-8") if line.strip()}
        return sorted(p for p in folder.glob(pattern) if p.stem in named)
    return gold_articles(folder, pattern)


@pytest.mark.parametrize("name", sorted(GOLD_SETS))
def test_every_article_with_a_gold_claim_passes(name):
    files = _gold_files(name)
    assert len(files) >= 4, f"{name}: expected gold articles"
    lost = [p.name for p in files if not prefilter.passes(p.read_bytes())]
    assert lost == [], f"{name}: the prefilter would skip articles with gold claims: {lost}"


def rule_cases() -> list[dict]:
    cases = []
    for path in sorted((FIXTURES / "rules").glob("*.jsonl")):
        cases += [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return cases


def test_every_rule_case_with_a_claim_passes():
    cases = [c for c in rule_cases() if c["claims"]]
    assert len(cases) >= 50
    lost = [c["id"] for c in cases if not prefilter.passes(c["text"].encode("utf-8"))]
    assert lost == [], f"rule cases with claims the prefilter would skip: {lost}"


def extractor_pages() -> list[Path]:
    """Every page and text the project's tests read: demo, conflict fixtures, corpus pages."""
    pages = sorted((FIXTURES / "demo" / "articles").glob("*.html"))
    pages += sorted((FIXTURES / "conflicts").glob("*.txt"))
    corpus = SHARED / "corpus" / "html"
    if corpus.exists():
        pages += sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".html", ".htm"))
    return pages


def test_every_page_the_extractor_reads_a_claim_from_passes():
    checked, lost, skipped = 0, [], []
    for path in extractor_pages():
        found = next(iter(pipeline.extract_files([path]))).claims
        passed = prefilter.passes(path.read_bytes())
        if found:
            checked += 1
            if not passed:
                lost.append(path.name)
        elif not passed:
            skipped.append(path.name)
    assert checked >= 8  # the demo and conflict fixtures, and the corpus pages with figures
    assert lost == [], f"pages with claims the prefilter would skip: {lost}"
    if (SHARED / "corpus").exists():
        assert skipped, "the corpus holds pages with no trade figure; some must be skipped"


def test_pages_without_figures_are_skipped():
    page = b"""<html><head><style>.a{width:100px}</style><script>var exports = "12% up";</script></head>
    <body><nav>Markets Exports Imports</nav><h1>Mayor opens a park</h1>
    <p>The mayor opened the new park on Saturday. Children played on the swings.</p>
    <p>It was founded in 1998, when 350 people lived in the village.</p>
    <p>""" + b"Visitors came from far away. " * 12 + b"""Turnout rose 12% on last year.</p></body></html>"""
    assert not prefilter.passes(page)  # the trade words of the menu are far from the percentage
    assert prefilter.passes(page.replace(b"Turnout", b"Exports"))


RULE_CASES = [
    (b"<p>Shipments reached 5,933&nbsp;tons in May.</p>", True),
    (b"<p>It shipped <b>1.2</b>mn t last year.</p>", True),
    (b"<p>About two million tonnes were exported.</p>", True),
    # a quantity on a page with no word a claim's flow could come from
    (b"<p>It weighed <b>1.2</b>mn t last year.</p>", False),
    (b"<p>About two million tonnes were moved.</p>", False),
    (b"<ul><li>Reisszahn f\xc3\xbcr 5 - 8 t Bagger</li><li>Drehbank</li></ul>", False),
    (b"<p>Microsoft expects to release 16 million metric tons of CO2.</p>", False),
    (b"<p>The largest supplier delivered 16 million metric tons.</p>", True),
    (b"<p>Coal report</p><h2>May 2025</h2><p>Germany: 5,000 tonnes</p>", True),  # a heading's month sets the flow
    # "not": only before a flow cue and "any"
    (b"<p>China did not import any soybeans from the US in May.</p>", True),
    (b"<p>China didn't import any soybeans.</p><p>China hasn't bought any soybeans.</p>", True),
    (b"<p>China has never\n  shipped any rice.</p>", True),
    (b"<p>Exports are up.</p><footer>Do not sell my personal information. "
     b"Post was not sent - check your email addresses!</footer>", False),
    (b"<p>Imports? We did not see any.</p>", False),
    # "no": beside a trade word, with a specific one near
    (b"<p>India shipped no sugar to Nepal in May.</p>", True),
    (b"<p>There was no doubt the tickets sold out.</p>", False),
    (b"<p>China's exports rose 12% in May.</p>", True),
    (b"<p>Exports of rice rose five per cent in May.</p>", True),
    (b"<p>Exports of rice rose.</p><p>" + b"x " * 400 + b"Turnout rose five per cent.</p>", False),
    (b"<p>Exports rose sharply.</p><p>" + b"x " * 400 + b"In 2024 the team won.</p>", False),
    (b"<p>Exports rose sharply.</p><p>" + b"x " * 400 + b"Turnout rose 4%.</p>", False),
    (b"<p>Stocks rose 4% on Monday.</p>", False),  # a change, but of no flow of goods
    (b"<p>Two people were taken to hospital.</p><p>Shares rose 3% on Monday.</p>", False),  # "taken": generic
    (b"<p>The team won 3-1 on Sunday.</p>", False),
    (b"<script>var t = 5; var tonnes = 7; exports(3)</script><p>Nothing here.</p>", False),
    (b"<!-- 5 tonnes --><p>Nothing here.</p>", False),
]
# the statements the rules above let through for what the claims stage reads from them
CLAIMED = [b"<p>Coal report</p><h2>May 2025</h2><p>Germany: 5,000 tonnes</p>",
           b"<p>China hasn't bought any soybeans from the US in May.</p>",
           b"<p>China did not import any soybeans from the US in May.</p>"]


@pytest.mark.parametrize("body, expected", RULE_CASES)
def test_rules(body, expected):
    assert prefilter.passes(body) is expected


def _claims_of_pages(tmp_path: Path, bodies: list[bytes]) -> list[list]:
    paths = []
    for number, body in enumerate(bodies):
        path = tmp_path / f"case{number}.html"
        path.write_bytes(b"<html><body><article>" + body + b"</article></body></html>")
        paths.append(path)
    return [found.claims for found in pipeline.extract_files(paths, published="2025-06-20")]


def test_what_the_rules_skip_holds_no_claim_and_what_they_keep_does(tmp_path):
    skipped = [body for body, expected in RULE_CASES if not expected]
    assert [body for body, found in zip(skipped, _claims_of_pages(tmp_path, skipped)) if found] == []
    assert all(prefilter.passes(body) for body in CLAIMED)
    assert all(_claims_of_pages(tmp_path, CLAIMED))


def test_wide_text_is_read_as_text():
    assert prefilter.passes("Exports rose 5% in May.".encode("utf-16"))


def test_version_is_stable():
    assert prefilter.version() == prefilter.version() and len(prefilter.version()) == 12


def test_skipped_pages_are_remembered_and_a_newer_prefilter_looks_again(tmp_path, monkeypatch):
    from extractor import store, workers

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "park.html").write_text("<html><body><article><p>The mayor opened the park on Saturday, "
                                      "and children played on the swings.</p></article></body></html>")
    (folder / "ore.html").write_text("<html><body><article><p>Brazil exported 1,200 tonnes of iron ore "
                                     "to China in May 2025.</p></article></body></html>")
    db_path = tmp_path / "claims.db"
    first = pipeline.ingest([folder], db_path, use_prefilter=True)
    assert (first.prefiltered, first.articles_stored) == (1, 1)
    row = store.cached(store.open_db(db_path), str((folder / "park.html").resolve()))
    assert row["fingerprint"] == workers.seen_marker() and row["last_modified"]

    again = pipeline.ingest([folder], db_path, use_prefilter=True)
    assert (again.prefiltered, again.unchanged, again.articles_stored) == (0, 2, 0)  # neither read

    monkeypatch.setattr(workers, "seen_marker", lambda: "skip:newer")
    newer = pipeline.ingest([folder], db_path, use_prefilter=True)
    assert (newer.prefiltered, newer.unchanged) == (1, 1)  # the skipped page read again, the other not

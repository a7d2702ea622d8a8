"""Claims databases for the report tests: the seed gold claims, the conflict fixtures and a
hostile article, cross-checked by the real reconciler.

The seed articles and their gold claims live in ../shared/seeds beside the repository, the
conflicting articles in fixtures/conflicts; the hostile article is written here, so the report
is exercised on figures that disagree and on text that tries to inject markup or script.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor import pipeline, store
from extractor.types import Article, Check, Claim

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
CONFLICTS = Path(__file__).resolve().parents[1] / "fixtures" / "conflicts"
HOSTILE_TITLE = "<script>window.__pwned=1;document.documentElement.setAttribute('data-pwned','title')</script>"
HOSTILE_IMG = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
HOSTILE_URL = "javascript:document.documentElement.setAttribute('data-pwned','href')"
RICH_MARKUP = "[bold red]showed[/]"
HOSTILE_TEXT = (
    "Wire Desk\n\n"
    f"Customs data {HOSTILE_IMG} [bold red]showed[/] China's \x1b[2Jrare earth magnet exports to the US fell 11% "
    "from October to 528 tons in November.\n\n"
    "Exports of rare earth magnets to the US in December came to 546 tons.\n"
)


def require_seeds() -> Path:
    if not (SEEDS / "gold.jsonl").exists():
        pytest.skip(f"seed articles not found at {SEEDS} (the shared folder beside the repository)")
    return SEEDS


def _figure_span(sentence: str, number) -> tuple[int, int] | None:
    if number is None:
        return None
    forms = [f"{int(number):,}", str(int(number))] if float(number).is_integer() else [str(abs(number))]
    for form in forms:
        m = re.search(r"(?<![\d.,])" + re.escape(form.lstrip("-")) + r"(?![\d])", sentence)
        if m:
            return m.start(), m.end()
    return None


def _claim(article: Article, row: dict) -> Claim:
    start = article.text.find(row["sentence"])
    assert start >= 0, f"gold sentence not in {article.url}: {row['sentence'][:60]}"
    span = _figure_span(row["sentence"], row.get("value")) or _figure_span(row["sentence"], row.get("change_pct"))
    fields = {k: row.get(k) for k in (
        "exporter", "importer", "flow", "commodity", "value", "unit", "period", "change_pct",
        "change_basis", "qualifier", "modality", "per", "source")}
    return Claim(
        article=row["article"], sentence=row["sentence"], start=start, end=start + len(row["sentence"]),
        figure_start=start + span[0] if span else None, figure_end=start + span[1] if span else None,
        article_id=article.id, **fields,
    )


def seed_articles(seeds: Path) -> dict[str, Article]:
    meta = {json.loads(l)["article"]: json.loads(l) for l in (seeds / "articles.jsonl").read_text().splitlines() if l.strip()}
    return {
        stem: Article(url=(seeds / f"{stem}.txt").as_uri(), text=(seeds / f"{stem}.txt").read_text(encoding="utf-8"),
                      title=m["title"], published=m["published"], sitename=stem[:3])
        for stem, m in meta.items()
    }


def hostile_article() -> tuple[Article, list[Claim]]:
    article = Article(url=HOSTILE_URL, text=HOSTILE_TEXT, title=HOSTILE_TITLE, published="2025-12-23")
    out = []
    for value, period, change in ((528, "2025-11", -11), (546, "2025-12", None)):
        sentence = next(s for s in article.text.split("\n") if f"{value} tons" in s)
        start = article.text.index(sentence)
        fig = start + sentence.index(str(value))
        out.append(Claim(
            article="wire", sentence=sentence, start=start, end=start + len(sentence), exporter="CN",
            importer="US", commodity="rare earth magnets", value=value, unit="t", period=period,
            change_pct=change, change_basis="mom" if change else None, figure_start=fig,
            figure_end=fig + len(str(value)), article_id=article.id,
        ))
    return article, out


def fixture_articles(folder: Path) -> dict[str, Article]:
    meta = [json.loads(l) for l in (folder / "articles.jsonl").read_text().splitlines() if l.strip()]
    return {
        m["article"]: Article(url=m["url"], text=(folder / f"{m['article']}.txt").read_text(encoding="utf-8"),
                              title=m["title"], published=m["published"], sitename=m.get("sitename"))
        for m in meta
    }


def store_gold(db, articles: dict[str, Article], gold: Path) -> dict[str, list[Claim]]:
    """Store articles with their gold claims (offsets located in the text); returns the claims."""
    by_article: dict[str, list[Claim]] = {stem: [] for stem in articles}
    for line in gold.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            by_article[row["article"]].append(_claim(articles[row["article"]], row))
    for stem, article in articles.items():
        store.save_article(db, article, by_article[stem])
    return by_article


def build_db(path: Path) -> dict:
    """A claims database of the seed claims, the conflict fixtures and a hostile article,
    cross-checked by the reconciler."""
    seeds = require_seeds()
    db = store.open_db(path)
    claims = store_gold(db, seed_articles(seeds), seeds / "gold.jsonl")
    if not (CONFLICTS / "claims.jsonl").exists():
        pytest.skip(f"conflict fixtures not found at {CONFLICTS}")
    claims.update(store_gold(db, fixture_articles(CONFLICTS), CONFLICTS / "claims.jsonl"))
    wire, wire_claims = hostile_article()
    store.save_article(db, wire, wire_claims)
    result = pipeline.reconcile_db(db)
    return {"db": db, "path": path, "checks": result.checks, "wire": wire, "wire_claims": wire_claims,
            "claims": claims}


def test_gold_claims_are_stored_with_figure_offsets(tmp_path):
    built = build_db(tmp_path / "claims.db")
    db = built["db"]
    claims = store.load_claims(db)
    assert len(claims) == 30 + 8 + 2  # seeds' gold, conflict fixtures, hostile article
    texts = {a.id: a.text for a in store.load_articles(db)}
    located = [c for c in claims if c.figure_start is not None]
    assert len(located) >= 28
    for c in located:
        figure = texts[c.article_id][c.figure_start:c.figure_end]
        assert figure.replace(",", "").lstrip("-") in {f"{abs(n):g}" for n in (c.value, c.change_pct) if n is not None}

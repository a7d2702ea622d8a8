"""Claims databases for the report tests, built from the seed gold claims plus hostile articles.

The seed articles and their gold claims live in ../shared/seeds beside the repository; the
conflicting and hostile articles are written here, so the report is exercised on text that
tries to inject markup and on figures that disagree.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor import store
from extractor.types import Article, Check, Claim

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
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


def build_db(path: Path) -> dict:
    """A claims database of the seed claims, a hostile conflicting article, and checks over them."""
    seeds = require_seeds()
    articles = seed_articles(seeds)
    by_article: dict[str, list[Claim]] = {stem: [] for stem in articles}
    for line in (seeds / "gold.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            by_article[row["article"]].append(_claim(articles[row["article"]], row))
    db = store.open_db(path)
    for stem, article in articles.items():
        store.save_article(db, article, by_article[stem])
    wire, wire_claims = hostile_article()
    store.save_article(db, wire, wire_claims)

    def find(stem, importer, period, value):
        return next(c for c in by_article[stem] if c.importer == importer and c.period == period
                    and c.value == value and c.commodity == "rare earth magnets")

    us_nov = find("002_6c3cf06ab794cd16", "US", "2025-11", 582)
    us_dec = find("000_aad5f7c6210493b1", "US", "2025-12", 564)
    wld_dec = find("000_aad5f7c6210493b1", "WLD", "2025-12", 5952)
    wld_nov = find("002_6c3cf06ab794cd16", "WLD", "2025-11", 6150)
    checks = [
        Check("same_figure", "conflict", "CN>US rare earth magnets 2025-11", [us_nov.id, wire_claims[0].id],
              f"Two sources give China's November magnet exports to the US as 582 t and 528 t; "
              f"the figures differ by 54 t, more than rounding allows {HOSTILE_IMG}.",
              {"values": [582, 528], "difference": 54}),
        Check("implied_value", "conflict", "CN>US rare earth magnets 2025-11", [us_dec.id, wire_claims[0].id],
              "564 t after a 3% fall implies 577.9–585.0 t in November, which excludes 528 t.",
              {"implied": [577.9, 585.0], "direct": 528}),
        Check("implied_value", "consistent", "CN>WLD rare earth magnets 2025-11", [wld_dec.id, wld_nov.id],
              "5,952 t after a 3.2% fall implies 6,145.1–6,152.5 t in November, which includes 6,150 t.",
              {"implied": [6145.1, 6152.5], "direct": 6150}),
    ]
    store.replace_reconciliation(db, checks, [])
    return {"db": db, "checks": checks, "wire": wire, "wire_claims": wire_claims, "us_nov": us_nov}


def test_gold_claims_are_stored_with_figure_offsets(tmp_path):
    built = build_db(tmp_path / "claims.db")
    db = built["db"]
    claims = store.load_claims(db)
    assert len(claims) == 32
    texts = {a.id: a.text for a in store.load_articles(db)}
    located = [c for c in claims if c.figure_start is not None]
    assert len(located) >= 28
    for c in located:
        figure = texts[c.article_id][c.figure_start:c.figure_end]
        assert figure.replace(",", "").lstrip("-") in {f"{abs(n):g}" for n in (c.value, c.change_pct) if n is not None}

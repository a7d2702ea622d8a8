"""Claims and articles from a gold folder (seeds, fixtures, shared/realnews): `*.txt` articles
beside the claims or under `articles/`, a claims file in the shape of claims.md (`gold.jsonl`
or `claims.jsonl`) and optional `articles.jsonl` with titles, URLs and published dates. Used by
tests, benchmarks and anyone replaying a gold set; `store_gold` writes one into a database."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from extractor.types import Article, Claim, CLAIM_FIELDS


def load_gold_dir(folder: str | Path, claims_file: Optional[str] = None) -> tuple[list[Claim], list[Article]]:
    folder = Path(folder)
    meta = {}
    meta_path = folder / "articles.jsonl"
    if meta_path.exists():
        for line in meta_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                meta[row["article"]] = row
    articles = {}
    for path in sorted([*folder.glob("*.txt"), *folder.glob("articles/*.txt")]):
        row = meta.get(path.stem, {})
        articles[path.stem] = Article(
            url=row.get("url", path.stem), text=path.read_text(encoding="utf-8"),
            title=row.get("title"), published=row.get("published"), sitename=row.get("sitename"),
            id=path.stem,
        )
    name = claims_file or ("gold.jsonl" if (folder / "gold.jsonl").exists() else "claims.jsonl")
    claims = []
    for n, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines()):
        if line.strip():
            claims.append(claim_from_gold(json.loads(line), articles, f"{folder.name}-{n:03d}"))
    return claims, list(articles.values())


def claim_from_gold(row: dict, articles: dict, claim_id: str) -> Claim:
    fields = {k: row.get(k) for k in CLAIM_FIELDS if k in row}
    article = articles.get(row["article"])
    sentence = row.get("sentence") or ""
    start = row.get("start")
    if start is None:
        start = article.text.find(sentence) if article is not None and sentence else -1
    fields.update(sentence=sentence, start=start,
                  end=row.get("end") if row.get("end") is not None else start + len(sentence))
    fields.setdefault("modality", "reported")
    fields.setdefault("flow", "export")
    return Claim(**fields, article_id=row["article"], id=row.get("id") or claim_id)


def store_gold(db, folder: str | Path, claims_file: Optional[str] = None,
               overrides: Optional[dict] = None) -> tuple[list[Claim], list[Article]]:
    """Store a gold folder's articles and claims in the claims database `db`.

    `overrides` maps (article, value) to the value to store instead, e.g. to store a figure as
    its sentence prints it where the gold records the intended reading (see its `note`).
    """
    from extractor import store

    claims, articles = load_gold_dir(folder, claims_file)
    for claim in claims:
        fixed = (overrides or {}).get((claim.article, claim.value))
        if fixed is not None:
            claim.value = fixed
    by_article: dict = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    store.save_articles(db, [(a, by_article.get(a.id, [])) for a in articles])
    return claims, articles

"""Claims and articles from a gold folder (seeds and fixtures): `*.txt` articles, a claims file
in the shape of claims.md (`gold.jsonl` or `claims.jsonl`) and optional `articles.jsonl` with
titles and published dates. Used by tests, benchmarks and anyone replaying a gold set."""
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
    for path in sorted(folder.glob("*.txt")):
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

"""Exports of the claims database as CSV or JSON lines, for spreadsheets and other tools."""
from __future__ import annotations

import csv
import json
import re
from typing import IO, Iterator

from extractor.report.escape import csv_cell

TABLES = ("claims", "checks", "articles", "series", "findings", "reviews", "review_log")
FORMATS = ("csv", "jsonl")
# Columns stored as JSON text, exported as structures in JSON lines.
JSON_COLUMNS = {"claim_ids", "arithmetic", "disagreeing_claim_ids", "sources", "check_ids",
                "support_claim_ids", "fields", "inferred"}
ORDER = {
    "claims": "article_id, start, figure_start, id",
    "checks": "CASE verdict WHEN 'conflict' THEN 0 WHEN 'consistent' THEN 1 ELSE 2 END, series, kind, id",
    "articles": "published, id",
    "series": "series",
    "findings": "kind != 'conflict', importance DESC, series, id",
    "reviews": "at, claim_key",
    "review_log": "id",
}


class ExportError(Exception):
    """The table asked for is not in the database."""


def rows(db, table: str) -> Iterator[dict]:
    if table not in TABLES:
        raise ExportError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    if table not in db.table_names():
        raise ExportError(f"the database has no {table} table yet: run `extractor run` or `extractor reconcile` first")
    yield from db.query(f"SELECT * FROM [{table}] ORDER BY {ORDER[table]}")


def write(db, table: str, fmt: str, out: IO[str]) -> int:
    """Write every row of `table` to `out` in `fmt`; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose csv or jsonl")
    columns = [c.name for c in db[table].columns] if table in db.table_names() else []
    data = rows(db, table)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in data:
            writer.writerow({name: csv_cell(value) for name, value in row.items()})
            count += 1
    else:
        for row in data:
            out.write(json.dumps(_structured(row), ensure_ascii=False) + "\n")
            count += 1
    return count


def _structured(row: dict) -> dict:
    out = dict(row)
    for name in JSON_COLUMNS & out.keys():
        if isinstance(out[name], str):
            try:
                out[name] = json.loads(out[name])
            except ValueError:
                pass  # not JSON after all: export the text as stored
    return out


# --- reviewed claims as a gold set -------------------------------------------------------------

def gold_name(article, claims) -> str:
    """The name a gold set gives an article: its file stem when it came from a file, else its id."""
    names = {c.article for c in claims if c.article}
    name = next(iter(names)) if len(names) == 1 else ""
    return name if name and re.fullmatch(r"[\w.-]+", name) else article.id


def write_gold(db, wanted: list[str], folder, include_unreviewed: bool = False) -> dict:
    """Write the reviewed claims of the articles `wanted` (ids, URLs or file stems) as a gold set
    in the contract's shape: FOLDER/gold.jsonl, FOLDER/articles.jsonl, FOLDER/articles/NAME.txt.

    Reviews are applied (rejected claims left out, corrections made); claims nobody reviewed are
    left out unless `include_unreviewed`. Returns counts per article.
    """
    from pathlib import Path

    from extractor import store
    from extractor.reconcile.reviews import apply_reviews
    from extractor.types import CLAIM_FIELDS

    folder = Path(folder)
    articles = _resolve_articles(db, wanted)
    reviews = store.load_reviews(db)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    summary: dict = {}
    gold_lines, meta_lines = [], []
    for article in articles:
        stored = store.load_claims(db, "article_id = ?", [article.id])
        applied = apply_reviews(stored, reviews, {article.id: article.url})
        name = gold_name(article, stored)
        kept = [c for c in applied.claims if include_unreviewed or c.id in applied.by_claim]
        summary[name] = {"written": len(kept), "rejected": sum(r["action"] == "reject" for r in applied.by_claim.values()),
                         "unreviewed": sum(c.id not in applied.by_claim for c in applied.claims)}
        for claim in sorted(kept, key=lambda c: (c.start or 0, c.figure_start or 0)):
            row = {name_: getattr(claim, name_) for name_ in CLAIM_FIELDS}
            row["article"] = name
            row["inferred"] = list(claim.inferred)
            gold_lines.append(json.dumps(row, ensure_ascii=False))
        meta_lines.append(json.dumps({"article": name, "published": article.published, "title": article.title,
                                      "url": article.url}, ensure_ascii=False))
        (folder / "articles" / f"{name}.txt").write_text(article.text or "", encoding="utf-8")
    (folder / "gold.jsonl").write_text("".join(line + "\n" for line in gold_lines), encoding="utf-8")
    (folder / "articles.jsonl").write_text("".join(line + "\n" for line in meta_lines), encoding="utf-8")
    return summary


def _resolve_articles(db, wanted: list[str]) -> list:
    from extractor import store

    out, missing = [], []
    for key in wanted:
        row = db.execute("SELECT id FROM articles WHERE id = ? OR url = ? UNION "
                         "SELECT article_id FROM claims WHERE article = ? LIMIT 2", [key, key, key]).fetchall()
        ids = list(dict.fromkeys(r[0] for r in row))
        if len(ids) != 1:
            missing.append(key if not ids else f"{key} (more than one article)")
            continue
        out.append(store.load_article(db, ids[0]))
    if missing:
        raise ExportError(f"no single stored article for {', '.join(missing)}: give an article id, URL "
                          f"or file stem (see `extractor claims`)")
    return out

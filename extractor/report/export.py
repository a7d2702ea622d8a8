"""Exports of the claims database as CSV or JSON lines, for spreadsheets and other tools."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterator

from extractor.report.escape import csv_cell

TABLES = ("claims", "checks", "articles", "series")
FORMATS = ("csv", "jsonl")
# Columns stored as JSON text, exported as structures in JSON lines.
JSON_COLUMNS = {"claim_ids", "arithmetic", "disagreeing_claim_ids", "sources"}
ORDER = {
    "claims": "article_id, start, figure_start, id",
    "checks": "CASE verdict WHEN 'conflict' THEN 0 WHEN 'consistent' THEN 1 ELSE 2 END, series, kind, id",
    "articles": "published, id",
    "series": "series",
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

"""Stored rows as comparable values, for tests that compare two databases (a killed and a clean run)."""
from __future__ import annotations

from pathlib import Path

from extractor import store


def rows(db: Path, table: str) -> list[tuple]:
    """Every row of `table`, sorted, without the time it was written."""
    conn = store.open_db(db)
    out = []
    for row in conn[table].rows:
        row.pop("stored_at", None)
        out.append(tuple(sorted((k, repr(v)) for k, v in row.items())))
    return sorted(out)

"""Where the shipped data files (models/) are, installed or in a checkout."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path


def models_dir() -> Path:
    """The folder holding the spaCy config and the vocabulary files."""
    return Path(str(resources.files("extractor.models")))


@lru_cache(maxsize=1)
def claims_version() -> str:
    """A fingerprint of the claim extractor: its code, its data files and the package version.

    Stored with each article, so claims read by an older extractor are read again.
    """
    from extractor import __version__

    digest = hashlib.sha1(__version__.encode())
    sources = sorted((Path(__file__).parent / "claims").glob("*.py")) + sorted(
        p for p in models_dir().iterdir() if p.is_file() and p.suffix in {".cfg", ".jsonl", ".json"}
    )
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def page_furniture() -> dict[str, frozenset[str]]:
    """Site furniture of plain-text pages (models/page_furniture.jsonl), by kind, lower case:
    `line` (whole lines), `prefix`, `contains` and `suffix` (site names closing a headline)."""
    import json

    out: dict[str, frozenset[str]] = {}
    with open(models_dir() / "page_furniture.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rec = json.loads(line)
                values = next(v for k, v in rec.items() if isinstance(v, list))
                out[rec["kind"]] = frozenset(v.lower() for v in values)
    return out


@lru_cache(maxsize=1)
def month_names() -> frozenset[str]:
    """Month names and their abbreviations (models/periods.jsonl), lower case, without the dot."""
    import json

    with open(models_dir() / "periods.jsonl", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return frozenset(n.lower().rstrip(".") for rec in records if rec.get("kind") == "month" for n in rec["names"])

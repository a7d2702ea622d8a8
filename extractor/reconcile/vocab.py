"""The reconciler's vocabularies, read from models/ once.

Shared with extraction: commodities.jsonl (canonical names and aliases), countries.jsonl and
units.jsonl (which unit words scale a figure, for naming a unit slip).
The reconciler's own: commodity_scopes.jsonl (what a commodity's scope includes),
news_agencies.jsonl, data_sources.jsonl, ranking_cues.json and part_periods.jsonl (the words
that cut a period short: "as of November 15", "the first half of November"); month names
come from periods.jsonl.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extractor.resources import models_dir


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
    return rows


@dataclass
class Vocab:
    commodity_aliases: dict[str, list[str]] = field(default_factory=dict)  # canonical -> aliases
    commodity_scope: dict[str, str] = field(default_factory=dict)  # canonical -> description
    commodity_contains: dict[str, list[str]] = field(default_factory=dict)
    agencies: dict[str, list[str]] = field(default_factory=dict)  # name -> aliases
    agency_signatures: dict[str, list[str]] = field(default_factory=dict)
    data_sources: dict[str, list[str]] = field(default_factory=dict)
    country_names: dict[str, list[str]] = field(default_factory=dict)  # code -> names
    country_words: dict[str, list[str]] = field(default_factory=dict)  # code -> names, demonyms, metonyms
    ranking: dict = field(default_factory=dict)
    unit_factors: dict[str, float] = field(default_factory=dict)  # "kilotonnes" -> 1000
    month_names: dict[int, list[str]] = field(default_factory=dict)  # 1..12 -> names
    part_periods: dict[str, list[str]] = field(default_factory=dict)  # kind -> words (part_periods.jsonl)


@lru_cache(maxsize=4)
def load_vocab(folder: str | None = None) -> Vocab:
    base = Path(folder) if folder else models_dir()
    v = Vocab()
    for row in _jsonl(base / "commodities.jsonl"):
        name = row["name"]
        v.commodity_aliases.setdefault(name, []).extend(row.get("aliases", []))
        if row.get("inclusive_name"):
            v.commodity_aliases.setdefault(row["inclusive_name"], [])
    for row in _jsonl(base / "commodity_scopes.jsonl"):
        name = row["commodity"]
        v.commodity_aliases.setdefault(name, []).extend(row.get("aliases", []))
        if row.get("scope"):
            v.commodity_scope[name] = row["scope"]
        if row.get("contains"):
            v.commodity_contains[name] = list(row["contains"])
    for row in _jsonl(base / "news_agencies.jsonl"):
        v.agencies[row["name"]] = list(row.get("aliases", [])) or [row["name"]]
        v.agency_signatures[row["name"]] = list(row.get("signatures", []))
    for row in _jsonl(base / "data_sources.jsonl"):
        v.data_sources[row["name"]] = [row["name"], *row.get("aliases", [])]
    for row in _jsonl(base / "countries.jsonl"):
        v.country_names[row["code"]] = list(row.get("names", []))
        v.country_words[row["code"]] = [*row.get("names", []), *row.get("demonyms", []), *row.get("metonyms", [])]
    for row in _jsonl(base / "units.jsonl"):
        if row.get("kind") == "unit" and isinstance(row.get("factor"), (int, float)):
            for alias in row.get("aliases", []):
                v.unit_factors[alias.lower()] = float(row["factor"])
    for row in _jsonl(base / "periods.jsonl"):
        if row.get("kind") == "month":
            v.month_names[int(row["month"])] = list(row.get("names", []))
    for row in _jsonl(base / "part_periods.jsonl"):
        v.part_periods.setdefault(row["kind"], []).extend(row.get("words", []))
    cues = base / "ranking_cues.json"
    if cues.exists():
        v.ranking = json.loads(cues.read_text(encoding="utf-8"))
    return v

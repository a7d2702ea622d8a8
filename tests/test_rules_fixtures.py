"""The rule cases in fixtures/rules are well formed, so a rule test can trust them.

Each line is one construction: an id unique across files, a publication date, a text and the
claims expected from it in the contract's shape (see fixtures/rules/README.md).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
FAMILIES = ["periods", "parties", "numbers", "changes", "commodities", "modality_rates", "structure"]
FIELDS = {"exporter", "importer", "flow", "commodity", "value", "unit", "period", "change_pct",
          "change_basis", "qualifier", "modality", "per"}
PERIOD = re.compile(r"\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?(\.\.\d{4}-(0[1-9]|1[0-2]))?")
PARTY = re.compile(r"[A-Z]{2}|WLD|EU")


def _cases(family: str) -> list[dict]:
    path = RULES / f"{family}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_has_cases(family):
    assert len(_cases(family)) >= 25


def test_ids_are_unique_across_families():
    ids = [case["id"] for family in FAMILIES for case in _cases(family)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def _check_claim(case_id: str, claim: dict) -> None:
    assert FIELDS <= set(claim), f"{case_id}: missing {FIELDS - set(claim)}"
    assert set(claim) <= FIELDS | {"inferred"}, f"{case_id}: unknown {set(claim) - FIELDS - {'inferred'}}"
    for side in ("exporter", "importer"):
        assert claim[side] is None or PARTY.fullmatch(claim[side]), f"{case_id}: {side} {claim[side]!r}"
    assert claim["flow"] in ("export", "import")
    assert claim["commodity"] == claim["commodity"].lower() and claim["commodity"].strip()
    assert (claim["value"] is None) == (claim["unit"] is None) and claim["unit"] in (None, "t")
    assert claim["value"] is not None or claim["change_pct"] is not None, f"{case_id}: neither value nor change"
    assert PERIOD.fullmatch(claim["period"]), f"{case_id}: period {claim['period']!r}"
    assert claim["change_basis"] in (None, "mom", "yoy", "other")
    assert claim["change_basis"] is None or claim["change_pct"] is not None
    assert claim["qualifier"] in (None, "approx", "over", "under")
    assert claim["modality"] in ("reported", "projected")
    assert claim["per"] in (None, "month")
    inferred = claim.get("inferred")
    assert inferred is None or (inferred and set(inferred) <= FIELDS), f"{case_id}: inferred {inferred!r}"


@pytest.mark.parametrize("family", FAMILIES)
def test_cases_are_in_the_contract_shape(family):
    for case in _cases(family):
        assert set(case) == {"id", "construction", "published", "text", "claims"}, case["id"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", case["id"]), case["id"]
        dt.date.fromisoformat(case["published"])
        assert case["construction"].strip() and case["text"].strip()
        for claim in case["claims"]:
            _check_claim(case["id"], claim)

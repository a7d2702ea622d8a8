"""Rule tests from fixtures/rules/: one construction per case, sentence in, expected claims out.

The cases were written for this project, each family in its own file (periods, parties,
numbers, changes, commodities, modality and rates, structure); see fixtures/rules/README.md for
the reading conventions. Every case lists the claims a careful reader finds, in text order, with
the fields of the contract that a reading decides.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extractor.claims import extract_claims, load_nlp

RULES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
# Constructions the reader does not handle yet: each is expected to fail (strict xfail), so a
# fix that makes one pass turns the test red until it is taken off this list.
PENDING: set[str] = set()

FIELDS = ("exporter", "importer", "flow", "commodity", "value", "unit", "period", "change_pct",
          "change_basis", "qualifier", "modality", "per")


def _cases():
    out = []
    for path in sorted(RULES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                key = f"{path.stem}:{case['id']}"
                marks = [pytest.mark.xfail(strict=True, reason="construction not read yet")] if key in PENDING else []
                out.append(pytest.param(case, id=key, marks=marks))
    return out


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _reading(claim) -> dict:
    data = claim.contract_dict()
    out = {name: data[name] for name in FIELDS}
    out["inferred"] = sorted(data["inferred"])
    return out


def _expected(claim: dict) -> dict:
    out = {name: claim.get(name) for name in FIELDS}
    out["inferred"] = sorted(claim.get("inferred", []))
    return out


def _same(found: dict, expected: dict) -> bool:
    for name, want in expected.items():
        got = found[name]
        if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(want, bool):
            if abs(got - want) > 1e-6 * max(1.0, abs(want)):
                return False
        elif got != want:
            return False
    return True


@pytest.mark.parametrize("case", _cases())
def test_construction(case, nlp):
    published = dt.date.fromisoformat(case["published"])
    found = [_reading(c) for c in extract_claims(case["text"], article=case["id"], published=published, nlp=nlp)]
    expected = [_expected(c) for c in case["claims"]]
    assert len(found) == len(expected), f"{case['construction']}\nexpected {expected}\nfound    {found}"
    for n, (got, want) in enumerate(zip(found, expected)):
        assert _same(got, want), f"{case['construction']}: claim {n}\nexpected {want}\nfound    {got}"

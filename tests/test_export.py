"""`extractor export`: claims and checks as CSV or JSON lines."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from extractor import store
from extractor.cli import cli
from test_report_support import build_db


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "claims.db"
    data = build_db(path)
    data["path"] = str(path)
    return data


def export(*args):
    return CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)


def test_claims_as_csv_round_trip_with_provenance(built):
    result = export("--db", built["path"], "--format", "csv", "--table", "claims")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    stored = {c.id: c for c in store.load_claims(built["db"])}
    assert {r["id"] for r in rows} == set(stored)
    wire = next(r for r in rows if r["value"] == "528.0")
    claim = stored[wire["id"]]
    assert wire["sentence"] == claim.sentence  # commas, quotes and markup survive the quoting
    assert (int(wire["start"]), int(wire["figure_start"])) == (claim.start, claim.figure_start)


def test_checks_as_jsonl_keep_claim_ids_and_arithmetic_structured(built):
    result = export("--db", built["path"], "--format", "jsonl", "--table", "checks")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["verdict"] for r in rows] == ["conflict", "conflict", "consistent"]  # conflicts first
    same = next(r for r in rows if r["kind"] == "same_figure")
    assert same["claim_ids"] == built["checks"][0].claim_ids
    assert same["arithmetic"] == {"values": [582, 528], "difference": 54}


def test_export_to_a_file(built, tmp_path):
    out = tmp_path / "checks.csv"
    result = export("--db", built["path"], "--format", "csv", "--table", "checks", "--output", str(out))
    assert result.exit_code == 0
    assert "Wrote 3 checks rows" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3 and json.loads(rows[0]["claim_ids"])


def test_export_names_unusable_arguments(built, tmp_path):
    assert export("--db", built["path"], "--table", "nonsense").exit_code == 2
    missing = export("--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 2 and "none.db" in missing.output
    no_series = export("--db", built["path"], "--table", "series")
    assert no_series.exit_code == 2 and "no series table" in no_series.output

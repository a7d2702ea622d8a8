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
    rank = {"conflict": 0, "consistent": 1, "unverifiable": 2}
    assert [rank[r["verdict"]] for r in rows] == sorted(rank[r["verdict"]] for r in rows)  # conflicts first
    stored = {c.id: c for c in store.load_checks(built["db"])}
    assert {r["id"] for r in rows} == set(stored)
    for row in rows:
        assert row["claim_ids"] == stored[row["id"]].claim_ids
        assert row["arithmetic"] == stored[row["id"]].arithmetic and isinstance(row["arithmetic"], dict)


def test_export_to_a_file(built, tmp_path):
    out = tmp_path / "checks.csv"
    result = export("--db", built["path"], "--format", "csv", "--table", "checks", "--output", str(out))
    assert result.exit_code == 0
    count = len(store.load_checks(built["db"]))
    assert f"Wrote {count} checks rows" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == count and all(json.loads(r["claim_ids"]) for r in rows)


def test_series_export_follows_the_reconciler(built):
    result = export("--db", built["path"], "--format", "jsonl", "--table", "series")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == built["db"]["series"].count and all(isinstance(r["claim_ids"], list) for r in rows)


def test_export_names_unusable_arguments(built, tmp_path):
    assert export("--db", built["path"], "--table", "nonsense").exit_code == 2
    missing = export("--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 2 and "none.db" in missing.output
    store.open_db(tmp_path / "empty.db")
    no_series = export("--db", str(tmp_path / "empty.db"), "--table", "series", "--format", "jsonl")
    assert no_series.exit_code == 0 and no_series.output == ""  # the table exists from the start, empty

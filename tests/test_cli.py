"""The command line, end to end through click's CliRunner (and one real subprocess)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import store
from extractor.cli import cli
from extractor.types import CLAIM_FIELDS
from stored import rows as table_rows

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
DEMO_ARTICLES = ROOT / "fixtures" / "demo" / "articles"
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason=f"seed articles not found at {SEEDS}")


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


@needs_seeds
def test_extract_prints_contract_claims_with_provenance(runner):
    path = SEEDS / "000_aad5f7c6210493b1.txt"
    result = invoke(runner, "extract", path, "--published", "2026-01-19", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    claims = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(claims) >= 5
    text = path.read_text(encoding="utf-8")
    for claim in claims:
        assert set(CLAIM_FIELDS) <= set(claim)
        assert claim["article"] == path.stem
        assert text[claim["start"]:claim["end"]] == claim["sentence"]
    starts = [c["start"] for c in claims]
    assert starts == sorted(starts), "claims come in text order"
    us_2025 = [c for c in claims if c["importer"] == "US" and c["period"] == "2025"]
    assert us_2025 and us_2025[0]["value"] == 5933 and us_2025[0]["change_pct"] == -20.3


@needs_seeds
def test_extract_names_an_unreadable_file_and_goes_on(runner, tmp_path):
    missing = tmp_path / "missing.txt"
    wrong_type = tmp_path / "table.csv"
    wrong_type.write_text("a,b\n")
    good = SEEDS / "003_d627c6a13736f656.txt"
    result = invoke(runner, "extract", missing, wrong_type, good, "--published", "2026-01-18")
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr and "no such file" in result.stderr
    assert "table.csv" in result.stderr and "unsupported file type" in result.stderr
    values = sorted(json.loads(line)["value"] for line in result.stdout.splitlines())
    assert values == [6745, 6958]


def test_extract_rejects_a_bad_date_with_exit_2(runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("China exported 5 tons of coal to Japan in May.")
    result = runner.invoke(cli, ["extract", str(article), "--published", "19 Jan 2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_extract_of_an_empty_file_is_a_named_failure(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    result = invoke(runner, "extract", empty)
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr


@needs_seeds
def test_ingest_is_idempotent(runner, tmp_path):
    db_path = tmp_path / "claims.db"
    first = invoke(runner, "ingest", SEEDS, "--published", "2026-01-19", "--db", db_path)
    assert first.exit_code == 0, first.output
    rows = {t: table_rows(db_path, t) for t in ("articles", "claims", "checks")}
    assert len(rows["articles"]) == 4 and len(rows["claims"]) > 20 and rows["checks"]
    second = invoke(runner, "ingest", SEEDS, "--published", "2026-01-19", "--db", db_path)
    assert second.exit_code == 0
    assert {t: table_rows(db_path, t) for t in rows} == rows


def test_run_on_the_demo_feed_summarises_every_article(runner, tmp_path):
    db_path = tmp_path / "claims.db"
    result = invoke(runner, "run", "--feeds", ROOT / "feeds.yaml", "--db", db_path)
    assert result.exit_code == 0, result.output
    for title in ("China Rare-Earth Exports to US, Japan Fell in December",
                  "December Rare-Earth Exports Show a Decrease"):
        assert title in result.output
    assert "Conflicts: none" in result.output
    db = store.open_db(db_path)
    assert db["articles"].count >= 4
    published = {row["published"] for row in db["articles"].rows}
    assert {"2026-01-19", "2025-11-21", "2025-12-22", "2026-01-18"} <= published
    assert db["claims"].count >= 25
    assert db.execute("SELECT count(*) FROM checks WHERE verdict = 'consistent'").fetchone()[0] >= 5


def test_running_twice_leaves_the_same_rows(runner, tmp_path):
    db_path = tmp_path / "claims.db"
    invoke(runner, "run", "--feeds", ROOT / "feeds.yaml", "--db", db_path)
    rows = {t: table_rows(db_path, t) for t in ("articles", "claims", "checks")}
    invoke(runner, "run", "--feeds", ROOT / "feeds.yaml", "--db", db_path)
    assert {t: table_rows(db_path, t) for t in rows} == rows


def test_run_with_a_broken_config_names_the_line(runner, tmp_path):
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: a\n    url: a.xml\n  - name: b\n    colour: red\n")
    result = runner.invoke(cli, ["run", "--feeds", str(config), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2
    assert "feeds.yaml" in result.output and "line 4" in result.output


def test_run_records_a_missing_feed_and_exits_1(runner, tmp_path):
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: gone\n    url: nowhere.xml\n")
    result = invoke(runner, "run", "--feeds", config, "--db", tmp_path / "c.db")
    assert result.exit_code == 1
    assert "nowhere.xml" in result.stderr
    assert store.counts(store.open_db(tmp_path / "c.db"))["failures"] == 1


@needs_seeds
def test_reconcile_and_report_show_the_checks(runner, tmp_path):
    db_path = tmp_path / "claims.db"
    invoke(runner, "ingest", SEEDS, "--published", "2026-01-19", "--db", db_path)
    reconciled = invoke(runner, "reconcile", "--db", db_path)
    assert reconciled.exit_code == 0 and "checks over" in reconciled.output
    shown = invoke(runner, "report", "--db", db_path)
    assert shown.exit_code == 0
    assert "consistent" in shown.output.lower()


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "extractor", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    for command in ("run", "ingest", "extract", "reconcile", "report"):
        assert command in done.stdout


def test_run_without_any_feeds_file_says_what_to_pass(runner, tmp_path, monkeypatch):
    import extractor.cli as cli_module
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli_module, "__file__", str(tmp_path / "site-packages" / "extractor" / "cli.py"))
    result = runner.invoke(cli, ["run", "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2
    assert "--feeds FILE" in result.output


@pytest.mark.parametrize("command", [["ingest", "{article}"], ["reconcile"], ["report"], ["export"],
                                     ["run", "--feeds", str(ROOT / "feeds.yaml")]])
def test_a_file_that_is_not_a_database_is_named_without_a_traceback(runner, tmp_path, command):
    fake = tmp_path / "notes.db"
    fake.write_text("these are my notes, not a database\n" * 50)
    article = tmp_path / "a.txt"
    article.write_text("China exported 5 tons of coal to Japan in May.")
    args = [part.format(article=article) for part in command] + ["--db", str(fake)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "notes.db" in result.output and "cannot be used as a claims database" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert fake.read_text().startswith("these are my notes"), "the file is left as it was"

"""Browsing the claims database with Datasette and the metadata the package ships."""
from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner

from extractor import store
from extractor.cli import cli
from extractor.report import browse
from test_report_support import build_db

datasette_app = pytest.importorskip("datasette.app", reason='Datasette not installed: pip install -e ".[serve]"')


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("datasette") / "claims.db"
    data = build_db(path)
    data["path"] = path
    return data


def get_all(db_path, *paths):
    """GET each path from an in-process Datasette over the database, as JSON."""
    async def fetch():
        ds = datasette_app.Datasette(files=[str(db_path)], metadata=browse.metadata(db_path))
        await ds.invoke_startup()
        out = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            out.append(response.json())
        return out
    return asyncio.run(fetch())


def conflict_rows(built) -> int:
    stored = {c.id for c in store.load_claims(built["db"])}
    return sum(cid in stored for c in built["checks"] if c.verdict == "conflict" for cid in c.claim_ids)


def test_conflicts_query_lists_each_conflict_with_its_sentences(built):
    [rows] = get_all(built["path"], "/claims/conflicts.json?_shape=array")
    assert len(rows) == conflict_rows(built)  # one row per conflicting check and claim it used
    conflicts = {c.id: c for c in built["checks"] if c.verdict == "conflict"}
    assert {r["check_id"] for r in rows} == set(conflicts)
    for row in rows:
        assert row["explanation"] == conflicts[row["check_id"]].explanation
    transposed = [r for r in rows if r["value"] == 5925]
    assert transposed and all(r["article_url"] == "https://acp.example/december-magnets" for r in transposed)
    assert any("5,925 tonnes" in r["sentence"] and r["kind"] == "same_figure" for r in transposed)


def test_series_history_follows_one_flow_over_time(built):
    [rows] = get_all(built["path"], "/claims/series_history.json?_shape=array&exporter=CN&importer=US"
                                     "&commodity=rare+earth+magnets")
    periods = [r["period"] for r in rows]
    assert periods == sorted(periods)
    assert {"2024", "2025-05", "2025-07", "2025-10", "2025-11", "2025-12", "2025"} == set(periods)
    november = [r for r in rows if r["period"] == "2025-11"]
    assert {r["value"] for r in november} == {582, 528}
    assert any("conflict: same_figure" in (r["checks"] or "") for r in november)


def test_metadata_titles_describes_and_facets(built):
    meta, table = get_all(built["path"], "/-/metadata.json", "/claims/claims.json?_size=1")
    assert meta["title"] == "Claims database (extractor)"
    claims = meta["databases"]["claims"]["tables"]["claims"]
    assert claims["facets"] == ["commodity", "exporter", "importer", "period", "flow"]
    assert "ISO 3166" in claims["columns"]["exporter"]
    facets = table["facet_results"]
    facets = facets.get("results", facets)  # shape differs between Datasette versions
    assert {"commodity", "exporter", "importer", "period", "flow"} <= set(facets)
    commodity = {item["value"]: item["count"] for item in facets["commodity"]["results"]}
    assert commodity["rare earth magnets"] == built["db"].execute(
        "SELECT count(*) FROM claims WHERE commodity = 'rare earth magnets'").fetchone()[0]


def test_metadata_follows_the_database_file_name(tmp_path):
    meta = browse.metadata(tmp_path / "audit-2026.db")
    assert "audit-2026" in meta["databases"] and "claims" not in meta["databases"]
    assert "conflicts" in meta["databases"]["audit-2026"]["queries"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_starts_datasette_on_loopback(built):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "extractor", "serve", "--db", str(built["path"]), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/claims/conflicts.json?_shape=array", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("datasette did not start: " + process.stdout.read().decode(errors="replace")[-2000:])
                time.sleep(0.2)
        assert response.status_code == 200
        assert len(response.json()) == conflict_rows(built)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_without_datasette_names_the_extra(built, monkeypatch):
    monkeypatch.setattr(browse, "datasette_available", lambda: False)
    result = CliRunner().invoke(cli, ["serve", "--db", str(built["path"])])
    assert result.exit_code == 2
    assert 'pip install -e ".[serve]"' in result.stderr


def test_serve_names_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "none.db" in result.stderr


def test_findings_query_quotes_each_finding_with_its_claims(built):
    [rows] = get_all(built["path"], "/claims/findings_quoted.json?_shape=array")
    findings = {f.id: f for f in store.load_findings(built["db"])}
    assert {r["finding_id"] for r in rows} == set(findings)
    claims = {c.id: c for c in store.load_claims(built["db"])}
    for fid, finding in findings.items():
        mine = [r for r in rows if r["finding_id"] == fid]
        held = {r["claim_id"] for r in mine if r["role"] == "held wrong"}
        assert held == set(finding.claim_ids) and all(r["explanation"] == finding.explanation for r in mine)
        assert {r["claim_id"] for r in mine if r["role"] == "supports"} == set(finding.support_claim_ids) - held
        assert all(r["sentence"] == claims[r["claim_id"]].sentence for r in mine)


def test_a_review_shows_in_datasette(built, tmp_path):
    import shutil
    path = tmp_path / "claims.db"
    built["db"].conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(built["path"], path)
    finding = store.load_findings(store.open_db(path))[0]
    result = CliRunner().invoke(cli, ["claim", finding.claim_ids[0][:10], "--reject", "misprint in the wire copy",
                                      "--db", str(path)])
    assert result.exit_code == 0, result.output
    [reviews, quoted] = get_all(path, "/claims/reviewed_claims.json?_shape=array",
                                "/claims/reviews.json?_shape=array")
    assert [(r["action"], r["note"], r["claim_id"]) for r in reviews] == [
        ("reject", "misprint in the wire copy", finding.claim_ids[0])]
    assert quoted[0]["figure"] and quoted[0]["sentence"]

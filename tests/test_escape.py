"""What people read is escaped for its medium: terminal, HTML, CSV, Datasette's page."""
from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from extractor import store
from extractor.cli import cli
from extractor.report import browse, escape, export
from extractor.types import Article, Claim

ESC = "\x1b]0;owned\x07\x1b[31m"  # retitle the terminal window, then print in red
RLO = "\u202e"  # right-to-left override: "gpj.exe" shows as "exe.jpg"


@pytest.mark.parametrize("raw, shown", [
    (f"a{ESC}b", "a\\x1b]0;owned\\x07\\x1b[31mb"), (f"{RLO}gpj.exe", "\\u202egpj.exe"),
    ("line\nnext\tcol", "line\nnext\tcol"), ("\u2066x\u2069 \u200f \x9b", "\\u2066x\\u2069 \\u200f \\x9b"),
])
def test_visible_shows_control_and_bidi_characters(raw, shown):
    assert escape.visible(raw) == shown


def test_one_line_shows_line_breaks_too():
    assert escape.one_line("a\nerror: forged\r\tb") == "a\\x0aerror: forged\\x0d\\x09b"


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("＝1", "'＝1"), ("plain", "plain"), (-12.5, -12.5), (None, None),
])
def test_csv_cells_a_spreadsheet_would_evaluate_stay_text(cell, written):
    assert escape.csv_cell(cell) == written


@pytest.fixture
def hostile_db(tmp_path):
    path = tmp_path / "claims.db"
    db = store.open_db(path)
    text = (f"=HYPERLINK(\"http://evil.example\",\"click\") China exported 5,000 tonnes of copper {RLO}to Japan{ESC} "
            "in May 2025.")
    article = Article(url="https://example.org/a", text=text, title=f"Copper {RLO}gpj.exe{ESC} <script>x()</script>",
                      published="2025-06-01")
    store.save_article(db, article, [Claim(article="https://example.org/a", sentence=text, start=0, end=len(text),
                                           exporter="CN", importer="JP", commodity="copper", value=5000, unit="t",
                                           period="2025-05", article_id=article.id)])
    return path


def test_the_terminal_report_and_summary_show_escapes_not_actions(hostile_db):
    for args in (["report", "--db", str(hostile_db)], ["reconcile", "--db", str(hostile_db)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and RLO not in result.output
    from extractor.pipeline import Summary
    from extractor.report import run_summary

    summary = run_summary(store.open_db(hostile_db), Summary())
    assert "Copper \\u202egpj.exe\\x1b]0;owned\\x07\\x1b[31m <script>" in summary


def test_the_html_report_escapes_markup_and_shows_bidi_overrides(hostile_db, tmp_path):
    page = tmp_path / "r.html"
    assert CliRunner().invoke(cli, ["report", "--db", str(hostile_db), "--html", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<script>x()</script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    assert RLO not in html and "\x1b" not in html and "\\u202e" in html


def test_csv_export_quotes_formulas_as_text(hostile_db):
    out = io.StringIO()
    export.write(store.open_db(hostile_db), "claims", "csv", out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["sentence"].startswith("'=HYPERLINK(")
    assert row["value"] == "5000.0"


def test_a_url_list_line_with_escapes_is_reported_escaped(tmp_path):
    urls = tmp_path / "batch.urls"
    urls.write_text(f"gopher://x{ESC}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(urls), "--db", str(tmp_path / "c.db"), "--no-progress"])
    assert result.exit_code == 1 and "\x1b" not in result.output
    assert "gopher://x\\x1b]0;owned\\x07\\x1b[31m" in result.output


def test_a_database_file_name_is_escaped_in_datasette_metadata(tmp_path):
    name = 'x"><img src=x onerror=alert(1)>'
    data = browse.metadata(tmp_path / f"{name}.db")
    assert "<img" not in data["description_html"] and "onerror" in data["description_html"]
    assert name in data["databases"], "the database is still found under its name"

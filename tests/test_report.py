"""The report: HTML page (conflicts first, highlighted figures, SVG charts, escaping) and terminal."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.report import checks_report
from extractor.report.html import render, safe_href
from extractor.report.model import build, implied_previous, parse_period, previous_period, rounding_interval
from test_report_support import HOSTILE_IMG, HOSTILE_TITLE, RICH_MARKUP, build_db

EXPECTED_CHARTS = {
    "CN>US rare earth magnets month", "CN>JP rare earth magnets month",
    "CN>WLD rare earth magnets month", "CN>WLD rare earths month",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_db(tmp_path_factory.mktemp("report") / "claims.db")


@pytest.fixture(scope="module")
def page(built):
    return render(build(built["db"]))


def section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start:page.index("</section>", start)]


# --- the arithmetic behind the ranges, against expected-checks.md ------------------------------

@pytest.mark.parametrize("value, change, low, high", [
    (5952, -3.2, 6145.1, 6152.5),
    (6150, 12, 5466.2, 5516.1),
    (582, -11, 649.7, 658.2),
    (564, -3, 577.9, 585.0),
    (280, -8, 302.2, 306.6),
])
def test_implied_previous_value_allows_for_rounding(value, change, low, high):
    lo, hi = implied_previous(value, change)
    assert (round(lo, 1), round(hi, 1)) == (low, high)


def test_rounding_interval_follows_the_reported_precision():
    assert rounding_interval(5952) == (5951.5, 5952.5)
    assert rounding_interval(-3.2) == pytest.approx((-3.25, -3.15))


def test_previous_period_follows_the_basis():
    assert previous_period(parse_period("2025-01"), "mom").label() == "2024-12"
    assert previous_period(parse_period("2025-10"), "yoy").label() == "2024-10"
    assert previous_period(parse_period("2025"), None).label() == "2024"
    assert previous_period(parse_period("2025-10"), None) is None  # unstated basis: no guess


# --- the HTML page ---------------------------------------------------------------------------

def test_conflicts_come_first_with_explanations_and_quotes(page, built):
    assert page.index('<section id="conflicts">') < page.index('<section id="series">')
    conflicts = section(page, "conflicts")
    cards = re.findall(r'<article class="conflict card".*?</article>', conflicts, re.S)
    assert len(cards) == 2
    implied = next(c for c in cards if "implied_value" in c)
    assert "564 t after a 3% fall implies 577.9–585.0 t in November, which excludes 528 t." in implied
    assert "<mark>564</mark>" in implied and "<mark>528</mark>" in implied
    same = next(c for c in cards if "same_figure" in c)
    assert "<mark>582</mark> tons.”" in same
    # the seed article is linked; the hostile javascript: URL is not
    assert 'href="file://' in same and "002_6c3cf06ab794cd16.txt" in same
    assert "javascript:" not in re.sub(r"&[a-z]+;", "", "".join(re.findall(r'href="([^"]*)"', page)))


def test_agreeing_series_follow_the_conflicting_ones(page):
    series = section(page, "series")
    order = re.findall(r'data-series="([^"]+)"', series)
    assert order[0] == "CN&gt;US rare earth magnets month"
    assert "CN&gt;WLD rare earth magnets month" in order[1:]
    assert series.index("With conflicts") < series.index("Agreeing or not contradicted")


def test_every_multi_claim_series_gets_an_svg_chart(page):
    charts = re.findall(r'<svg class="chart"[^>]*data-series="([^"]+)"', page)
    assert {c.replace("&gt;", ">") for c in charts} == EXPECTED_CHARTS
    svgs = dict(zip([c.replace("&gt;", ">") for c in charts], re.findall(r'<svg class="chart".*?</svg>', page, re.S)))
    us, world = svgs["CN>US rare earth magnets month"], svgs["CN>WLD rare earth magnets month"]
    # conflicts are ringed where they are, and only there
    assert 'class="mark conflict"' in us and 'class="ring"' in us
    assert 'class="mark conflict"' not in world
    # the interval 5,952 t (−3.2 %) implies for November is drawn as a range
    assert re.search(r'<g class="range"[^>]*><title>\[[A-Z]\] 5,952 t in 2025-12 after a change of -3.2% implies 6,145–6,152 t in 2025-11', world)
    # the monthly rate over 2024 is drawn as a line across the year
    assert 'class="span"' in us and "over 400 t a month in 2024" in us
    # 002 repeats 6,150 t four times: one mark, not four
    assert len(re.findall(r"6,150 t 2025-11", world)) == 1


def test_article_text_cannot_inject_markup_or_script(page):
    assert page.count("<script") == 1  # the page's own
    assert HOSTILE_TITLE not in page and HOSTILE_IMG not in page and "<img" not in page
    assert "&lt;script&gt;window.__pwned=1;" in page
    assert "&lt;img src=x onerror=" in page
    assert "\x1b" not in page


def test_content_security_policy_allows_only_the_page_script(page):
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1]
    script = re.search(r"<script>(.*?)</script>", page, re.S)[1]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page


@pytest.mark.parametrize("url, kept", [
    ("https://example.org/a", True), ("file:///tmp/a.txt", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("data:text/html,<script>", False), (None, False),
])
def test_only_safe_links_are_kept(url, kept):
    assert (safe_href(url) is not None) == kept


# --- the terminal ----------------------------------------------------------------------------

def test_terminal_report_lists_conflicts_first_as_plain_text(built):
    text = checks_report(built["db"])
    assert text.index("Conflicts (2)") < text.index("Series over time") < text.index("Other checks (1)")
    assert "implied_value" in text and "same_figure" in text
    flat = " ".join(text.split())
    assert "which excludes 528 t." in flat
    assert RICH_MARKUP in flat  # printed literally, not read as rich markup
    assert "\x1b" not in text
    assert "[C]" in text and "528 t, -11% mom [C]" in flat


def test_report_command_writes_the_html_page(built, tmp_path):
    out = tmp_path / "report.html"
    db_path = built["db"].conn.execute("PRAGMA database_list").fetchone()[2]
    result = CliRunner().invoke(cli, ["report", "--db", db_path, "--html", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.index("Conflicts (2)") < result.stdout.index("Series over time")
    assert "2 conflicts, 4 series charted" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count('<svg class="chart"') == 4 and html.count('class="conflict card"') == 2


def test_report_command_names_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "none.db" in result.output and not (tmp_path / "none.db").exists()

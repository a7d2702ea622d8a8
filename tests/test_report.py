"""The report: HTML page (conflicts first, highlighted figures, SVG charts, escaping) and terminal."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape

from markupsafe import escape

import pytest
from click.testing import CliRunner

from extractor import store
from extractor.cli import cli
from extractor.report import checks_report
from extractor.report.html import render, safe_href
from extractor.period import parse_period
from extractor.reconcile.intervals import implied_previous
from extractor.reconcile.precision import rounding_interval
from extractor.report.model import build, change_reference
from test_report_support import CONFLICTS, HOSTILE_IMG, HOSTILE_TITLE, RICH_MARKUP, build_db, fixture_articles

EXPECTED_CHARTS = {
    "CN>US rare earth magnets month", "CN>JP rare earth magnets month", "CN>DE rare earth magnets month",
    "CN>KR rare earth magnets month", "CN>WLD rare earth magnets month", "CN>WLD rare earth magnets year",
    "CN>WLD rare earths month",
}
EXPECTED = [json.loads(l) for l in (CONFLICTS / "expected.jsonl").read_text().splitlines() if l.strip()] \
    if (CONFLICTS / "expected.jsonl").exists() else []
EXPECTED = list({row["article"]: row for row in EXPECTED}.values())  # one row per planted article
# the cause each planted article's card names, and the hostile wire copy's (528 t for 582 t)
EXPECTED_FINDINGS = {
    "wrong_month": "wrong period", "transposed_digit": "transposed digits", "sign_flip": "sign reversed",
    "yoy_as_mom": "other basis", "kt_as_t": "unit slip", "ranking": "stated ranking",
    "germany_fall": "sign reversed", "wire": "transposed digits",
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
    lo, hi = implied_previous(rounding_interval(value), rounding_interval(change))
    assert (round(lo, 1), round(hi, 1)) == (low, high)


def test_rounding_interval_follows_the_reported_precision():
    assert rounding_interval(5952) == (5951.5, 5952.5)
    assert rounding_interval(-3.2) == pytest.approx((-3.25, -3.15))


def test_change_reference_follows_the_basis():
    assert str(change_reference(parse_period("2025-01"), "mom")) == "2024-12"
    assert str(change_reference(parse_period("2025-10"), "yoy")) == "2024-10"
    assert str(change_reference(parse_period("2025"), None)) == "2024"  # a year is read y/y
    assert change_reference(parse_period("2025-10"), None) is None  # unstated basis: no guess


# --- the HTML page ---------------------------------------------------------------------------

def cards(page: str, where: str = "findings") -> list[str]:
    return re.findall(r'<article class="finding card.*?</article>', section(page, where), re.S)


def test_findings_come_first_one_card_each_with_its_explanation(page, built):
    assert page.index('<section id="findings">') < page.index('<section id="to-check">') < page.index('<section id="series">')
    findings = store.load_findings(built["db"])
    conflicts = [f for f in findings if f.kind == "conflict"]
    shown = cards(page)
    # one per wrong figure, not per check: each planted article's, and the wire copy's two
    assert len(shown) == len(conflicts) == len(EXPECTED) + 2
    assert len(cards(page, "to-check")) == len(findings) - len(conflicts)
    for finding in conflicts:
        card = next(c for c in shown if f'id="finding-{finding.id}"' in c)
        assert escape(finding.explanation) in card
        assert '<p class="arith">' in card and "{" not in card.split('<p class="arith">')[1][:200]  # a sentence, not JSON
        # each sentence at most once; a source repeating the supported figure is quoted once
        claims = {c.id: c for c in store.load_claims(built["db"])}
        held = {(claims[i].article_id, claims[i].start) for i in finding.claim_ids}
        backing = {claims[i].article_id for i in finding.support_claim_ids}
        assert len(held) + len(backing) - 1 <= card.count("<blockquote") <= len(_sentences(built, finding))
        for i in finding.claim_ids:
            assert escape(claims[i].sentence).split(str(escape(" ")))[0] in card


def _sentences(built, finding):
    claims = {c.id: c for c in store.load_claims(built["db"])}
    return {(claims[i].article_id, claims[i].start) for i in finding.claim_ids + finding.support_claim_ids if i in claims}


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda x: f"{x['article']}-{x['kind']}")
def test_each_planted_error_is_one_card_with_its_article_quoted_and_linked(page, expected):
    article = fixture_articles(CONFLICTS)[expected["article"]]
    held = [c.split("<h4>Supported by")[0] for c in cards(page)]
    matching = [c for c in held if f'href="{escape(article.url)}"' in c]
    assert len(matching) == 1, f"{len(matching)} cards hold {article.url} wrong"
    assert "<mark>" in matching[0] and EXPECTED_FINDINGS[expected["article"]] in matching[0]


def test_figures_are_highlighted_in_the_quoted_sentences(page):
    shown = "".join(cards(page))
    assert "fell 3.2% in December from November to <mark>5,925</mark> tonnes" in shown  # transposed digits
    assert "to <mark>528</mark> tons in November" in shown  # the hostile wire copy
    assert "US shipments decreased by 11% to <mark>582</mark> tons." in shown
    # one sentence holding two figures is quoted once with both marked
    assert re.search(r"at <mark>569</mark>\s*tonnes, followed by Germany at <mark>1,118</mark>", shown)


def test_agreeing_series_follow_the_conflicting_ones(page):
    series = section(page, "series")
    assert series.index("With a figure held wrong") < series.index("Agreeing or not contradicted")
    conflicted, agreeing = series.split("Agreeing or not contradicted")
    assert 'data-series="CN&gt;US rare earth magnets month"' in conflicted
    # 003's rare-earth products are a different series from magnets: not a conflict
    assert 'data-series="CN&gt;WLD rare earths month"' in agreeing


def charts(page: str) -> dict[str, str]:
    found = re.findall(r'(<svg class="chart"[^>]*data-series="([^"]+)".*?</svg>)', page, re.S)
    return {key.replace("&gt;", ">"): svg for svg, key in found}


def test_every_multi_claim_series_gets_an_svg_chart(page):
    drawn = charts(page)
    assert set(drawn) == EXPECTED_CHARTS  # "rare earth magnet" and "rare-earth magnets" folded in
    us, world = drawn["CN>US rare earth magnets month"], drawn["CN>WLD rare earth magnets month"]
    products = drawn["CN>WLD rare earths month"]
    # conflicts are ringed where they are, and only there
    assert 'class="mark conflict"' in us and 'class="ring"' in us
    assert 'class="mark conflict"' in world and 'class="mark conflict"' not in products
    # the interval 5,952 t (−3.2 %) implies for November is drawn as a range
    assert re.search(r'<g class="range[^"]*"[^>]*><title>\[[A-Z]\] 5,952 t in 2025-12 with -3.2% \(month on month\) '
                     r"implies 6,145.1–6,152.5 t in 2025-11", world)
    # the sign flip's +3 % implies a November that 582 t contradicts: a range marked in conflict
    assert re.search(r"\+3% \(month on month\) implies 544.4–550.7 t in 2025-11 — in conflict", us)
    # the monthly rate over 2024 is drawn as a line across the year
    assert 'class="span"' in us and "over 400 t a month in 2024" in us
    # 002 repeats 6,150 t four times: one mark, not four
    assert len(re.findall(r"\] (?:about )?6,150 t 2025-11", world)) == 1


def test_article_text_cannot_inject_markup_or_script(page):
    assert page.count("<script") == 1  # the page's own
    assert HOSTILE_TITLE not in page and HOSTILE_IMG not in page and "<img" not in page
    assert "&lt;script&gt;window.__pwned=1;" in page
    assert "&lt;img src=x onerror=" in page
    assert "\x1b" not in page


def test_content_security_policy_allows_only_the_page_script(page):
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1])
    script = re.search(r"<script>(.*?)</script>", page, re.S)[1]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    # nothing is loaded from anywhere: no external script, style, image or frame
    assert not re.search(r"<(?:link|script|img|iframe|object|embed)\b[^>]*\b(?:src|href)=", page)
    assert "@import" not in page and "url(" not in page


@pytest.mark.parametrize("url, kept", [
    ("https://example.org/a", True), ("file:///tmp/a.txt", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("data:text/html,<script>", False), (None, False),
])
def test_only_safe_links_are_kept(url, kept):
    assert (safe_href(url) is not None) == kept


# --- the terminal ----------------------------------------------------------------------------

def test_terminal_report_lists_findings_with_claim_ids_and_a_key_to_the_letters(built):
    text = checks_report(built["db"])
    findings = store.load_findings(built["db"])
    conflicts = [f for f in findings if f.kind == "conflict"]
    assert text.index(f"Conflicts ({len(conflicts)})") < text.index("Series over time") < text.index("Sources: the letters")
    flat = " ".join(text.split())
    wide = checks_report(built["db"], width=2000)  # no wrapping: each explanation whole
    for finding in conflicts:
        assert finding.explanation in wide
        for cid in finding.claim_ids:
            assert re.search(r"claims? [0-9a-f, ]*" + cid[:8], wide)
    assert RICH_MARKUP in flat  # printed literally, not read as rich markup
    assert "\x1b" not in text
    assert re.search(r"528 t, -11% mom \[[A-Z]\] [0-9a-f]{8}", flat)
    for article in fixture_articles(CONFLICTS).values():
        assert re.search(r"\b[A-Z]{1,2}\s+" + re.escape(article.title), wide), article.title


def test_report_json_carries_the_findings_and_the_key(built, tmp_path):
    db_path = built["db"].conn.execute("PRAGMA database_list").fetchone()[2]
    result = CliRunner().invoke(cli, ["report", "--db", db_path, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    stored = store.load_findings(built["db"])
    assert [f["id"] for f in data["conflicts"] + data["readings_to_check"]] == [f.id for f in stored]
    letters = {s["letter"] for s in data["sources"]}
    for f in data["conflicts"]:
        assert f["held_wrong"] and all(q["source"] in letters and q["sentence"] for q in f["held_wrong"])
        assert f["arithmetic"].endswith(".") and f["cause"] in {x.cause for x in stored}


def test_report_command_writes_the_html_page(built, tmp_path):
    out = tmp_path / "report.html"
    db_path = built["db"].conn.execute("PRAGMA database_list").fetchone()[2]
    result = CliRunner().invoke(cli, ["report", "--db", db_path, "--html", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    conflicts = sum(f.kind == "conflict" for f in store.load_findings(built["db"]))
    assert result.stdout.index(f"Conflicts ({conflicts})") < result.stdout.index("Series over time")
    assert f"{conflicts} conflicts" in result.stderr and f"{len(EXPECTED_CHARTS)} series charted" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count('<svg class="chart"') == len(EXPECTED_CHARTS)
    assert html.count('<article class="finding card') == len(store.load_findings(built["db"]))


@pytest.mark.parametrize("make", ["missing", "text", "other_sqlite"])
def test_report_and_reconcile_name_a_file_that_is_not_a_claims_database(tmp_path, make):
    import sqlite3
    path = tmp_path / "other.db"
    if make == "text":
        path.write_text("notes\n" * 100)
    elif make == "other_sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE birds (name TEXT)")
    before = path.read_bytes() if path.exists() else None
    for command in ("report", "reconcile", "review", "claims"):
        result = CliRunner().invoke(cli, [command, "--db", str(path)])
        assert result.exit_code == 2, (command, result.output)
        assert "other.db" in result.output and "Traceback" not in result.output
    assert (path.read_bytes() if path.exists() else None) == before, "the file is left as it was"
    if make == "other_sqlite":
        with sqlite3.connect(path) as conn:
            assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["birds"]

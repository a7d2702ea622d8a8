"""The HTML report in a real browser: headless Chromium draws the charts and one card per
finding, keeps every text legible at phone width (400 px), and no script from article text runs.
Skipped when Chromium is not installed (Debian: `apt-get install -y chromium`)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extractor import store
from extractor.report.html import write_html
from test_report_support import build_db

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not found (install it with `apt-get install -y chromium`)")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--hide-scrollbars", "--virtual-time-budget=3000",
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=90)


PHONE = 400  # px
MIN_TEXT = 10  # px: the smallest text drawn on screen at phone width


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "report.html"
    data = build_db(folder / "claims.db")
    write_html(data["db"], path)
    return path, data


@pytest.fixture(scope="module")
def page(built) -> Path:
    return built[0]


def at_width(page: Path, width: int) -> Path:
    """A page holding the report in a frame `width` px wide (headless windows are 500 px at least),
    copying the report's measurements onto its own body so --dump-dom shows them."""
    harness = page.with_name(f"at-{width}.html")
    harness.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="r" src="{page.name}" '
        f'style="width:{width}px;height:4000px;border:0"></iframe><script>'
        'var f=document.getElementById("r");f.addEventListener("load",function(){'
        'var a=f.contentDocument.documentElement.attributes;for(var i=0;i<a.length;i++){'
        'if(a[i].name.indexOf("data-")===0){document.body.setAttribute(a[i].name,a[i].value);}}});'
        "</script></body></html>", encoding="utf-8")
    return harness


def test_charts_and_conflicts_are_drawn_and_article_script_never_runs(page, tmp_path):
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    root = re.search(r"<html[^>]*>", dom)[0]
    assert 'data-report-ready="1"' in root, "the page's own script did not run"
    html = page.read_text(encoding="utf-8")
    charts = html.count('<svg class="chart"')
    assert charts >= 4
    assert f'data-charts-drawn="{charts}"' in root
    drawn = [int(n) for n in re.findall(r'data-marks-drawn="(\d+)"', dom)]
    assert len(drawn) == charts and all(n > 1 for n in drawn)
    # hostile title, sentence and link: shown as text, never executed
    assert not re.search(r"\sdata-pwned[\w-]*=", dom), "a script from article text ran"
    assert "&lt;script&gt;window.__pwned=1;" in dom and "&lt;img src=x onerror=" in dom
    assert "<img" not in dom


def test_screenshot_renders(page, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium(tmp_path, "--window-size=1200,1800", f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_one_card_per_finding_and_every_text_legible_at_phone_width(built, tmp_path):
    page, data = built
    findings = store.load_findings(data["db"])
    conflicts = sum(f.kind == "conflict" for f in findings)
    assert conflicts >= 8
    done = chromium(tmp_path, "--allow-file-access-from-files", "--window-size=800,2000",
                    "--dump-dom", at_width(page, PHONE).as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    body = re.search(r"<body[^>]*>", done.stdout)[0]
    measured = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', body))
    assert measured.get("data-report-ready") == "1", body
    assert int(measured["data-viewport-width"]) == PHONE
    # one card per finding, in the browser as in the database
    assert int(measured["data-findings-listed"]) == conflicts
    assert int(measured["data-readings-listed"]) == len(findings) - conflicts
    # nothing smaller than 10 px, and nothing wider than the phone (charts and tables scroll)
    assert float(measured["data-min-text-px"]) >= MIN_TEXT, measured
    assert int(measured["data-page-width"]) <= PHONE, measured


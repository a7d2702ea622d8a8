"""The HTML report in a real browser: headless Chromium draws the charts and the conflict list,
and no script from article text runs. Skipped when Chromium is not installed
(Debian: `apt-get install -y chromium`)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "report.html"
    write_html(build_db(folder / "claims.db")["db"], path)
    return path


def test_charts_and_conflicts_are_drawn_and_article_script_never_runs(page, tmp_path):
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    root = re.search(r"<html[^>]*>", dom)[0]
    assert 'data-report-ready="1"' in root, "the page's own script did not run"
    html = page.read_text(encoding="utf-8")
    charts = html.count('<svg class="chart"')
    conflicts = html.count('<article class="conflict card"')
    assert charts >= 4 and conflicts >= 12
    assert f'data-charts-drawn="{charts}"' in root
    assert f'data-conflicts-listed="{conflicts}"' in root
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

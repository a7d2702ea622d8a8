"""CI=true turns a skip for a missing ../shared into a failure; elsewhere it stays a skip."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROBE = '''
import pytest

def test_needs_the_seeds():
    pytest.skip("seed articles not found at ../shared/seeds")

@pytest.mark.skipif(True, reason="shared corpus not found")
def test_needs_the_corpus():
    pass

@pytest.mark.skipif(True, reason="headless Chromium not found")
def test_needs_a_browser():
    pass
'''


def run_probe(tmp_path, ci: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(HERE)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "shared_guard", "-p", "no:cacheprovider",
                           "-rfs", str(tmp_path / "test_probe.py")], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_missing_shared_folder_fails(tmp_path, ci):
    done = run_probe(tmp_path, ci)
    assert done.returncode == 1, done.stdout
    assert "1 failed, 1 skipped, 1 error" in done.stdout  # a skip at set-up (skipif) fails as an error
    assert "CI=true, but this test needs ../shared: shared corpus not found" in done.stdout
    assert "CI=true, but this test needs ../shared: seed articles not found" in done.stdout


def test_outside_ci_it_is_a_skip(tmp_path):
    done = run_probe(tmp_path, None)
    assert done.returncode == 0 and "3 skipped" in done.stdout, done.stdout

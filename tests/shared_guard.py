"""With CI=true a test that skips because ../shared is absent fails instead.

CI runs with the shared folder beside the checkout; if it is missing there, the gold sets, the
seed articles and the real-world corpus were not tested, and a green run would say otherwise.
A skip counts as "needs ../shared" when its reason names the shared folder.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def needs_shared(reason: str) -> bool:
    return "shared" in reason.lower() or str(SHARED) in reason


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        if needs_shared(reason):
            report.outcome = "failed"
            report.longrepr = f"CI=true, but this test needs ../shared: {reason}"

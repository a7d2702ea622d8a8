"""Shared fixtures."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/httpserver.py

from httpserver import LocalServer  # noqa: E402
from shared_guard import pytest_runtest_makereport  # noqa: E402,F401 (CI=true: a missing ../shared fails)


@pytest.fixture
def http_server():
    """A misbehaving-on-request HTTP server on 127.0.0.1 at a random port."""
    server = LocalServer().start()
    yield server
    server.stop()

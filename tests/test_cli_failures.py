"""Expected failures of whole commands end with a message naming the input, never a traceback."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from extractor import store
from extractor.cli import cli

ARTICLE = ("<html><head><title>Tin</title></head><body><article><p>Exporters shipped 5,000 tonnes of tin "
           "to Japan in May 2025, customs data showed.</p><p>Traders expect more.</p></article></body></html>")


@pytest.fixture
def db_path(tmp_path):
    (tmp_path / "a.html").write_text(ARTICLE)
    path = tmp_path / "claims.db"
    assert CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.html"), "--db", str(path), "--no-progress"]).exit_code == 0
    return path


@pytest.fixture
def read_only(monkeypatch):
    """Every connection the store opens is read-only, as for a file its user may not write
    (the tests run as root, who may write any file)."""
    connect = sqlite3.connect

    def read_only_connect(path, *args, **kwargs):
        if str(path).startswith("file:"):  # already a URI (read-only probes of the store)
            return connect(path, *args, **kwargs)
        kwargs.pop("uri", None)
        return connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(store.sqlite3, "connect", read_only_connect)


@pytest.mark.parametrize("command", [
    ["reconcile"], ["ingest", "{folder}/a.html", "--no-progress"],
    ["run", "--feeds", "{feeds}", "--no-progress"],
])
def test_a_read_only_database_is_a_message(db_path, read_only, command, tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - name: f\n    url: {tmp_path / 'feed.xml'}\n")
    args = [a.format(folder=tmp_path, feeds=feeds) for a in command] + ["--db", str(db_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"{db_path}: cannot be used as a claims database: attempt to write a readonly database" in result.output


def test_report_and_export_read_a_read_only_database(db_path, read_only):
    assert CliRunner().invoke(cli, ["report", "--db", str(db_path)]).exit_code == 0
    assert CliRunner().invoke(cli, ["export", "--db", str(db_path), "--table", "claims"]).exit_code == 0


def test_serve_refuses_a_file_that_is_not_a_database(tmp_path):
    pytest.importorskip("datasette")
    fake = tmp_path / "notes.db"
    fake.write_text("not a database at all " * 100)
    result = CliRunner().invoke(cli, ["serve", "--db", str(fake)])
    assert result.exit_code == 2
    assert f"{fake}: not a claims database (file is not a database)" in result.output
    assert "Traceback" not in result.output


def test_export_into_a_closed_pipe_ends_quietly(tmp_path):
    from extractor.types import Article, Claim

    path = tmp_path / "big.db"
    db = store.open_db(path)
    article = Article(url="https://example.org/a", text="x" * 100)
    store.save_article(db, article, [Claim(article="a", sentence=f"Sentence {n} " * 10, start=n, end=n + 1,
                                           value=n, article_id=article.id) for n in range(5000)])
    command = f"{sys.executable} -m extractor export --db {path} --table claims --format csv | head -c 10"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout == "id,article"

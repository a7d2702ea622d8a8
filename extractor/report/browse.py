"""Browsing the claims database with Datasette, using the metadata the package ships."""
from __future__ import annotations

import importlib.util
import json
import tempfile
from importlib import resources
from pathlib import Path

import yaml

from extractor.report import escape

INSTALL_HINT = 'pip install -e ".[serve]"'
METADATA = "datasette_metadata.yaml"


class ServeError(Exception):
    """Datasette is missing or the database cannot be served."""


def datasette_available() -> bool:
    return importlib.util.find_spec("datasette") is not None


def metadata(db_path: str | Path | None = None) -> dict:
    """The shipped metadata; its database entry re-keyed to the name Datasette gives `db_path`."""
    data = yaml.safe_load(resources.files("extractor").joinpath(METADATA).read_text(encoding="utf-8"))
    if db_path is not None:
        name = Path(db_path).stem
        databases = data.get("databases", {})
        if "claims" in databases and name != "claims":
            databases[name] = databases.pop("claims")
            # The file name goes into markup: as Datasette spells it in a URL, then HTML-escaped.
            data["description_html"] = data.get("description_html", "").replace(
                "/claims/", f"/{escape.html(_url_name(name))}/")
    return data


def _url_name(name: str) -> str:
    """A database name as it appears in Datasette's URLs (tilde-encoded)."""
    try:
        from datasette.utils import tilde_encode
    except ImportError:  # no Datasette: percent-encoding says the same for a link
        from urllib.parse import quote
        return quote(name, safe="")
    return tilde_encode(name)


def _check_database(db_path: Path) -> None:
    """A file SQLite can read, holding the claims tables: else a message, not a traceback."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as err:
        raise ServeError(f"{db_path}: not a claims database ({err})") from None
    if "claims" not in tables:
        raise ServeError(f"{db_path}: not a claims database (it has no claims table); run `extractor run` first")


def arguments(db_path: Path, metadata_path: Path, host: str, port: int) -> list[str]:
    return ["serve", str(db_path), "--metadata", str(metadata_path), "--host", host, "--port", str(port)]


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette on the database until interrupted; returns its exit status.

    Datasette runs in this process (uvicorn shuts down cleanly on SIGINT and SIGTERM), so
    stopping `extractor serve` stops the server and removes the metadata file with it.
    """
    if not datasette_available():
        raise ServeError(f"`extractor serve` needs Datasette, an optional extra: {INSTALL_HINT}")
    if not Path(db_path).is_file():
        raise ServeError(f"{db_path}: no such database; run `extractor run` first or pass --db")
    _check_database(Path(db_path))
    from datasette.cli import cli as datasette_cli

    with tempfile.TemporaryDirectory(prefix="extractor-serve-") as folder:
        meta = Path(folder) / "metadata.json"
        meta.write_text(json.dumps(metadata(db_path), ensure_ascii=False), encoding="utf-8")
        try:
            datasette_cli.main(arguments(Path(db_path), meta, host, port), prog_name="datasette")
        except SystemExit as done:
            return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0

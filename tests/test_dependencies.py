"""Every third-party module the package imports is declared, and the trafilatura internals it
calls are there (pyproject bounds trafilatura to the releases checked here)."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# import name -> distribution name, where they differ
DISTRIBUTIONS = {"yaml": "pyyaml", "sqlite_utils": "sqlite-utils", "charset_normalizer": "charset-normalizer"}


def imported_modules() -> set[str]:
    found = set()
    for path in (ROOT / "extractor").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"extractor", "datasette", "dask", "distributed"}  # the serve and dask extras


def declared() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    return {re.split(r"[<>=!~\[;]", name)[0].strip().lower().replace("_", "-")
            for name in re.findall(r'"([^"]+)"', block)}


def test_every_imported_package_is_declared():
    names = {DISTRIBUTIONS.get(module, module).lower().replace("_", "-") for module in imported_modules()}
    assert names - declared() == set()


def test_the_trafilatura_internals_in_use_exist():
    from trafilatura import external, metadata, utils

    for name in ("examine_meta", "extract_meta_json", "extract_title", "extract_url", "extract_sitename", "META_URL"):
        assert hasattr(metadata, name), name
    for name in ("line_processing", "load_html"):
        assert hasattr(utils, name), name
    assert hasattr(external, "jt_stoplist_init")

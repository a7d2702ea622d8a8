"""Where the shipped data files (models/) are, installed or in a checkout."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path


def models_dir() -> Path:
    """The folder holding the spaCy config and the vocabulary files."""
    return Path(str(resources.files("extractor.models")))


@lru_cache(maxsize=1)
def claims_version() -> str:
    """A fingerprint of the claim extractor: its code, its data files and the package version.

    Stored with each article, so claims read by an older extractor are read again.
    """
    from extractor import __version__

    digest = hashlib.sha1(__version__.encode())
    sources = sorted((Path(__file__).parent / "claims").glob("*.py")) + sorted(
        p for p in models_dir().iterdir() if p.is_file() and p.suffix in {".cfg", ".jsonl", ".json"}
    )
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]

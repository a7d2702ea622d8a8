"""Where the shipped data files (models/) are, installed or in a checkout."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def models_dir() -> Path:
    """The folder holding the spaCy config and the vocabulary files."""
    return Path(str(resources.files("extractor.models")))

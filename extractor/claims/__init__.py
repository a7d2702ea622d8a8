"""The claims stage: reported trade figures read from article text.

    nlp = load_nlp()                      # the pipeline of models/pipeline.cfg, cached
    extract_claims(text, article="x", published=date(2026, 1, 19))  -> list[Claim]
    extract_many([(text, article, published, article_id), ...])     -> one list per article

Claims come in text order; `start`/`end` are the offsets of the sentence in `text`, and
`figure_start`/`figure_end` those of the number the claim was read from.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Iterable, Iterator, Optional

import spacy
from spacy.util import load_config, load_model_from_config

from extractor.claims import components, tokenizer  # noqa: F401  (registers factories and tokenizer)
from extractor.resources import models_dir as default_models_dir
from extractor.types import Claim

VOCABULARY_COMPONENTS = ("trade_lexicon", "trade_reader", "claim_assembler")
MAX_LENGTH = 50_000_000  # no parser or NER: memory grows linearly with the text


@functools.lru_cache(maxsize=4)
def _load(models_dir: str) -> spacy.language.Language:
    root = Path(models_dir)
    config = load_config(root / "pipeline.cfg", overrides={
        f"initialize.components.{name}.patterns_dir": str(root) for name in VOCABULARY_COMPONENTS})
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    nlp.max_length = MAX_LENGTH
    return nlp


def load_nlp(models_dir: Path | None = None) -> spacy.language.Language:
    """The claims pipeline built from models/pipeline.cfg; one instance per models folder."""
    return _load(str(Path(models_dir or default_models_dir()).resolve()))


def _make_doc(nlp, text: str, article: str, published: Optional[dt.date], article_id: Optional[str]):
    doc = nlp.make_doc(text)
    doc._.article, doc._.published, doc._.article_id = article, _as_date(published), article_id
    return doc


def _as_date(value) -> Optional[dt.date]:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def extract_claims(text: str, *, article: str, published: dt.date | None = None,
                   article_id: str | None = None, nlp=None) -> list[Claim]:
    """The claims of one article's text, in text order."""
    nlp = nlp or load_nlp()
    doc = _make_doc(nlp, text, article, published, article_id)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return list(doc._.claims or [])


def extract_many(items: Iterable[tuple[str, str, Optional[dt.date], Optional[str]]], nlp=None) -> Iterator[list[Claim]]:
    """Claims of many articles, one list per (text, article, published, article_id), via nlp.pipe."""
    nlp = nlp or load_nlp()
    docs = (_make_doc(nlp, text, article, published, article_id) for text, article, published, article_id in items)
    for doc in nlp.pipe(docs):
        yield list(doc._.claims or [])


# Longer texts are read in pieces cut at paragraph breaks: a spaCy Doc costs about 60 bytes a
# character, so one 20 MB text would take a gigabyte (and spaCy refuses texts over max_length).
CLAIMS_PIECE = 1_000_000


def claims_for(article, name: str) -> list[Claim]:
    """The claims of an extracted article (`extractor.types.Article`), citing it as `name`."""
    from extractor import text

    published = text.parse_date(article.published)
    if len(article.text) <= CLAIMS_PIECE:
        return _dated(extract_claims(article.text, article=name, published=published, article_id=article.id), published)
    found = []
    for offset, piece in text.pieces(article.text, CLAIMS_PIECE):
        for claim in extract_claims(piece, article=name, published=published, article_id=article.id):
            found.append(_shifted(claim, offset))
    return _dated(found, published)


def _dated(claims: list[Claim], published) -> list[Claim]:
    """In a dated article a figure that no period dates is no claim (the contract's period is a
    string); an undated one keeps them, as its bare months cannot be dated either."""
    return claims if published is None else [c for c in claims if c.period is not None]


def _shifted(claim: Claim, offset: int) -> Claim:
    """A claim read from a piece of the text, its offsets (and so its id) those of the whole."""
    import dataclasses

    if not offset:
        return claim
    moved = {name: getattr(claim, name) + offset for name in ("start", "end", "figure_start", "figure_end")
             if getattr(claim, name) is not None}
    return dataclasses.replace(claim, id="", **moved)


__all__ = ["load_nlp", "extract_claims", "extract_many", "claims_for", "Claim"]

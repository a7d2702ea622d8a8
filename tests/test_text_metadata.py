"""text.page_metadata reads title, date and site name exactly as trafilatura's full
extract_metadata does (it skips only the author, category, tag and licence searches), and the
article text is the same as bare_extraction with metadata on."""
from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from extractor import text

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo" / "articles"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def pages() -> list[Path]:
    found = sorted(DEMO.glob("*.html"))
    if CORPUS.exists():
        found += sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in text.HTML_SUFFIXES)
    return found


def full_extraction(raw: bytes, url: str):
    """The text stage as it was: one bare_extraction with every metadata search on."""
    return trafilatura.bare_extraction(
        raw, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=False, date_extraction_params=text.DATE_PARAMS,
    )


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_text_and_metadata_match_trafilaturas_full_extraction(page):
    raw, url = page.read_bytes(), f"https://news.example/{page.name}"
    expected = full_extraction(raw, url)
    if expected is None or not (expected.text or "").strip():
        with pytest.raises(text.TextError):
            text.article_from_html(raw, url)
        return
    article = text.article_from_html(raw, url)
    assert article.text == expected.text
    assert (article.title, article.published, article.sitename) == (
        expected.title, text._iso_date(expected.date), expected.sitename)


def test_the_corpus_is_there_or_the_check_says_so():
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is absent: only the demo pages were compared")
    assert len(pages()) > 20

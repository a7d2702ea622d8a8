"""The min-hash sketch's sentence split: the fast str-method split gives the pattern's pieces."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.reconcile.sources import _SENTENCE, _sentences

TEXT = st.text(alphabet=st.sampled_from(list("ab .!?\n\t\r\x00\u2028\u00a0,")), max_size=60)


def _by_pattern(text: str) -> list[str]:
    return [q for q in (" ".join(x.split()) for x in _SENTENCE.split(text)) if q]


@settings(max_examples=2000, deadline=None)
@given(TEXT)
def test_the_fast_split_gives_the_pieces_of_the_pattern(text):
    assert [p for p in _sentences(text) if p] == _by_pattern(text)


def test_examples():
    text = "Exports rose. Imports fell!  Prices?\n\nNew para.\u2028Next\x00one. Last"
    assert [p for p in _sentences(text) if p] == _by_pattern(text)

"""The claims pipeline the spaCy way: components declared with what they assign and require,
vocabularies saved with the pipeline, and a saved pipeline that reads exactly as the shipped one."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy

from extractor.claims import extract_claims, load_nlp

REPO = Path(__file__).resolve().parents[1]
TEXTS = sorted((REPO / "fixtures" / "dev").glob("**/*.txt"))[:12] + sorted((REPO / "fixtures" / "heldout").glob("**/*.txt"))[:8]
PUB = dt.date(2025, 12, 20)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _claims(text, nlp):
    return [c.contract_dict() for c in extract_claims(text, article="t", published=PUB, nlp=nlp)]


def test_components_declare_what_they_assign_and_require(nlp):
    analysis = nlp.analyze_pipes()
    summary = analysis["summary"]
    assert summary["trade_lexicon"]["assigns"] == ["doc._.trade_view", "doc._.trade_hits"]
    assert "doc.spans" in summary["trade_reader"]["assigns"]
    assert "doc._.trade_hits" in summary["claim_assembler"]["requires"]
    assert not any(analysis["problems"].values()), analysis["problems"]


def test_readings_are_spans_in_doc_spans(nlp):
    doc = nlp.make_doc("China exported 5,933 tons of rare earth magnets to the US in 2025, up 5% from a year earlier.")
    doc._.published = PUB
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    figures = [(s.text, s.label_) for s in doc.spans["figures"]]
    assert figures == [("5,933 tons", "QTY"), ("5%", "PCT")]
    assert doc.spans["figures"][0]._.trade.value == 5933
    assert [(s.text, s.label_) for s in doc.spans["countries"]] == [("China", "EXPORTER"), ("US", "IMPORTER")]
    assert [s.text for s in doc.spans["periods"]] == ["2025", "a year earlier"]
    assert [s._.trade.name for s in doc.spans["goods"]] == ["rare earth magnets"]
    assert {s.label_ for s in doc.spans["clauses"]} == {"MAIN", "TRAILING"}


def test_saved_pipeline_loads_with_spacy_load_and_reads_the_same(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    saved = tmp_path / "pipeline"
    assert (saved / "trade_lexicon" / "commodities.jsonl").exists()  # the vocabularies travel with it
    loaded = spacy.load(saved)
    assert loaded.pipe_names == nlp.pipe_names
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        assert _claims(text, loaded) == _claims(text, nlp), path.name


def test_nlp_call_runs_the_whole_pipeline(nlp):
    doc = nlp("Brazil exported 4.2 million tonnes of soybeans to China in November.")
    assert [(c.exporter, c.importer, c.value) for c in doc._.claims] == [("BR", "CN", 4_200_000)]


def test_tokenizer_reads_the_same_inside_and_after_a_memory_zone(nlp):
    """The tokenizer remembers words' string keys across docs, but not those made inside a
    memory zone, whose strings are freed after it."""
    text = "Brazil exported 4.2 million tonnes of soybeans to Qzxvian buyers in November."
    with nlp.memory_zone():
        inside = [(t.text, t.whitespace_) for t in nlp.make_doc(text)]
    after = [(t.text, t.whitespace_) for t in nlp.make_doc(text)]
    assert inside == after
    assert "".join(w + s for w, s in after) == text

"""The spaCy components of the claims pipeline (see models/pipeline.cfg).

trade_sentencizer  sentence boundaries for one-paragraph-per-line news text
trade_mentions     figures, periods, countries, commodities and cue words of each sentence that
                   could hold a claim (one with a digit), plus the headline and lead
claim_assembler    claims with context carried across sentences, in doc._.claims

Vocabularies come from the JSONL files in models/, read in `initialize` (patterns_dir).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from extractor.claims import analysis, assemble, numbers, sentences, vocab
from extractor.claims.tokenizer import TEXT_KEY

HAS_DIGIT = re.compile(r"\d")

for _name, _default in (("published", None), ("article", None), ("article_id", None),
                        ("trade_sentences", None), ("trade_analyses", None), ("trade_lead", None),
                        ("claims", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def doc_text(doc: Doc) -> str:
    """The doc's text, joined once: Doc.text rebuilds it from every token on each access."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def _require(lex, name: str):
    if lex is None:
        raise ValueError(f"{name} is not initialised: call nlp.initialize() with its patterns_dir")
    return lex


class TradeSentencizer:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = sentences.split_sentences(doc_text(doc))
        doc._.trade_sentences = spans
        if len(doc):
            starts = numpy.full(len(doc), -1, dtype="int32")
            idx = doc.to_array("IDX").astype("int64")
            positions = numpy.searchsorted(idx, [s for s, _, _ in spans])
            positions = positions[positions < len(doc)]
            starts[positions] = 1
            starts[0] = 1
            doc.from_array([SENT_START], starts.reshape(-1, 1).astype("uint64"))
        return doc


class _LexiconComponent:
    """A component whose vocabularies come from `models/` through `initialize(patterns_dir=...)`."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.lex = None

    def initialize(self, get_examples=None, *, nlp=None, patterns_dir: Optional[str] = None) -> None:
        self.lex = vocab.load_lexicon(str(Path(patterns_dir)))  # cached per folder


class TradeMentions(_LexiconComponent):
    def __init__(self, nlp: Language, name: str, lead_sentences: int):
        super().__init__(nlp, name)
        self.lead_sentences = lead_sentences

    def __call__(self, doc: Doc) -> Doc:
        lex = _require(self.lex, self.name)
        text = doc_text(doc)
        analyses, plain_lead = [], []
        for index, (start, end, para) in enumerate(doc._.trade_sentences or []):
            sentence = text[start:end]
            # Only a sentence with a quantity or a percentage can hold a claim; the others are
            # read lightly, and only in the lead, for the article's main parties and goods.
            figures = numbers.find_figures(sentence, lex) if HAS_DIGIT.search(sentence) else []
            if figures:
                analyses.append(analysis.analyse(sentence, lex, index=index, start=start, para=para, figures=figures))
            elif index < self.lead_sentences:
                plain_lead.append((index, start, para, sentence))
        # The lead matters only to an article with figures to read.
        lead = [analysis.analyse(sentence, lex, index=index, start=start, para=para, full=False)
                for index, start, para, sentence in plain_lead] if analyses else []
        doc._.trade_analyses = analyses
        doc._.trade_lead = lead + [a for a in analyses if a.index < self.lead_sentences]
        return doc


class ClaimAssembler(_LexiconComponent):

    def __call__(self, doc: Doc) -> Doc:
        lex = _require(self.lex, self.name)
        assembler = assemble.ArticleAssembler(doc_text(doc), lex, article=doc._.article or "",
                                              published=doc._.published, article_id=doc._.article_id)
        body = doc._.trade_analyses or []
        assembler.learn_defaults(doc._.trade_lead or [], body)
        claims = []
        for sa in body:
            claims.extend(assembler.claims(sa))
        doc._.claims = claims
        return doc


@Language.factory("trade_sentencizer")
def make_trade_sentencizer(nlp: Language, name: str):
    return TradeSentencizer(nlp, name)


@Language.factory("trade_mentions", default_config={"lead_sentences": 6})
def make_trade_mentions(nlp: Language, name: str, lead_sentences: int):
    return TradeMentions(nlp, name, lead_sentences)


@Language.factory("claim_assembler")
def make_claim_assembler(nlp: Language, name: str):
    return ClaimAssembler(nlp, name)

"""The spaCy components of the claims pipeline (see models/pipeline.cfg).

trade_sentencizer  sentence boundaries for one-paragraph-per-line news text
trade_lexicon      the vocabularies of models/ as PhraseMatchers: every phrase match, by label
trade_reader       figures, periods, clauses, countries with their roles and goods of each
                   sentence that could hold a claim (and of the headline and lead), as Spans in
                   doc.spans["figures" | "periods" | "clauses" | "countries" | "goods"]
claim_assembler    claims with context carried across sentences, in doc._.claims

The vocabularies are read in `initialize(patterns_dir=...)`; `to_disk` writes the JSONL files a
component reads beside its config, and `from_disk` reads them back, so a saved pipeline loads
with `spacy.load()` and reads exactly as the shipped one.
"""
from __future__ import annotations

import re
import shutil
from bisect import bisect_left
from pathlib import Path
from typing import Optional

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor.claims import assemble, sentences
from extractor.claims.tables import TableReader, may_hold_table, table_lines
from extractor.claims.lexicon import FILES, Lexicon, load_lexicon
from extractor.claims.reading import Reading, SentenceReader
from extractor.claims.tokenizer import TEXT_KEY
from extractor.claims.view import Hits, TokenView

HAS_DIGIT = re.compile(r"\d")
SPAN_GROUPS = ("figures", "periods", "clauses", "countries", "goods")

for _name, _default in (("published", None), ("article", None), ("article_id", None),
                        ("trade_sentences", None), ("trade_view", None), ("trade_hits", None),
                        ("trade_readings", None), ("trade_lead", None), ("trade_values", None),
                        ("claims", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Span.has_extension("trade"):
    # What the grammar read for a span (a Figure, a period as written, a country's role, ...).
    Span.set_extension("trade", getter=lambda span: (span.doc._.trade_values or {}).get(
        (span.label_, span.start, span.end)))


def doc_text(doc: Doc) -> str:
    """The doc's text, joined once: Doc.text rebuilds it from every token on each access."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


class _VocabularyComponent:
    """A component whose vocabularies come from models/ (initialize) or a saved pipeline (from_disk)."""

    def __init__(self, nlp: Language, name: str):
        self.nlp, self.name = nlp, name
        self.lex: Optional[Lexicon] = None
        self.source: Optional[Path] = None

    def initialize(self, get_examples=None, *, nlp=None, patterns_dir: Optional[str] = None) -> None:
        if patterns_dir is None:
            raise ValueError(f"{self.name}: initialize needs patterns_dir (the models/ folder)")
        self._load(Path(patterns_dir))

    def _load(self, path: Path) -> None:
        self.source = path.resolve()
        self.lex = load_lexicon(str(self.source))  # cached per folder
        self._loaded()

    def _loaded(self) -> None:
        pass

    def require(self) -> Lexicon:
        if self.lex is None:
            raise ValueError(f"{self.name} is not initialised: call nlp.initialize() with its patterns_dir")
        return self.lex

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            if self.source is not None and (self.source / name).exists():
                shutil.copyfile(self.source / name, path / name)

    def from_disk(self, path, *, exclude=tuple()):
        self._load(Path(path))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        raise NotImplementedError(f"{self.name}: save the pipeline with nlp.to_disk()")

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        raise NotImplementedError(f"{self.name}: load the pipeline with spacy.load() from a folder")


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


class _Labels(dict):
    """Match id -> label, filled from the string store on first use."""

    def __init__(self, strings):
        super().__init__()
        self.strings = strings

    def __missing__(self, key: int) -> str:
        label = self[key] = self.strings[key]
        return label


class _LabelIds(dict):
    """Span label -> its id in the string store, added on first use."""

    def __init__(self, strings):
        super().__init__()
        self.strings = strings

    def __missing__(self, label: str) -> int:
        key = self[label] = self.strings.add(label)
        return key


_LABEL_IDS: list = []  # one _LabelIds, for the string store it was made for


def _label_ids(strings) -> "_LabelIds":
    if not _LABEL_IDS or _LABEL_IDS[0].strings is not strings:
        _LABEL_IDS[:] = [_LabelIds(strings)]
    return _LABEL_IDS[0]


class TradeLexicon(_VocabularyComponent):
    def _loaded(self) -> None:
        self.lower, self.exact = self.lex.matchers(self.nlp)
        self.labels = _Labels(self.nlp.vocab.strings)  # a match id's label, looked up once

    def __call__(self, doc: Doc) -> Doc:
        lex = self.require()
        view = TokenView(doc, doc_text(doc))
        matches = self.lower(doc)
        matches += self.exact(doc)
        ext = doc._
        ext.trade_view = view
        ext.trade_hits = hits = Hits.build(matches, view, lex, names=self.labels)
        for pattern, aliases, name in lex.category_definitions:
            # (the pattern is searched in the whole text: only where a match would be renamed)
            if hits.any_named("COMMODITY", aliases) and pattern.search(view.text):
                hits.rename("COMMODITY", aliases, name)
        return doc


class TradeReader(_VocabularyComponent):
    def __init__(self, nlp: Language, name: str, lead_sentences: int):
        super().__init__(nlp, name)
        self.lead_sentences = lead_sentences

    @staticmethod
    def _statements_before_figures(reader, readings: list, statements: list) -> list:
        """'Indonesia's palm oil exports rose in September, data showed. Shipments to India
        climbed 12% ...': a figure-free sentence naming a country and a flow, right before a
        sentence with figures in its paragraph, is read for whose figures follow."""
        with_figures = {(r.index, r.para) for r in readings if r.figures}
        out = []
        for i, t0, t1, para in statements:
            if (i + 1, para) in with_figures:
                r = reader.read(i, t0, t1, para, full=False)
                r.statement = True
                out.append(r)
        return out

    def __call__(self, doc: Doc) -> Doc:
        lex = self.require()
        ext = doc._  # each `doc._` builds a new accessor: take it once
        view, hits = ext.trade_view, ext.trade_hits
        if view is None or hits is None:
            raise ValueError(f"{self.name} needs trade_lexicon before it in the pipeline")
        reader = SentenceReader(view, hits, lex)
        readings, plain_lead, headings, statements = [], [], [], []
        sentences = ext.trade_sentences or []
        table = table_lines(view.text, [(s, e) for s, e, _ in sentences], lex) if may_hold_table(view.text) else {}
        cues = self._cue_starts(hits)
        for index, (start, end, para) in enumerate(sentences):
            t0, t1 = view.token_at(start), view.token_at(end)
            if t1 <= t0:
                continue
            if table.get(index) in ("header", "row"):
                line = reader.read(index, t0, t1, para, full=False)
                line.table = table[index]
                readings.append(line)
                continue
            figures = reader.figures.read(t0, t1) if self._may_hold(view.text, start, end, hits, t0, t1, cues) else []
            if any(f.kind == "qty" or f.is_change for f in figures):  # not for shares, prices, years
                self._descriptions(view, hits, lex, start, end, t0)
                readings.append(reader.read(index, t0, t1, para, figures=figures))
                if index in table:
                    readings[-1].table = "intro"
            elif index in table:
                line = reader.read(index, t0, t1, para, full=False)
                line.table = "intro"
                readings.append(line)
            else:
                if index < self.lead_sentences:
                    plain_lead.append((index, t0, t1, para))
                elif hits.any_within("COUNTRY", t0, t1) and hits.any_within("FLOW", t0, t1):
                    statements.append((index, t0, t1, para))
                if index > 0 and t1 - t0 <= self.heading_tokens and self._heading_like(view, hits, t0, t1):
                    headings.append((index, t0, t1, para))
        lead = [reader.read(i, t0, t1, para, full=False) for i, t0, t1, para in plain_lead] if readings else []
        lead += self._statements_before_figures(reader, readings, statements)
        if table:
            readings.sort(key=lambda r: r.index)
        if readings and headings:
            for i, t0, t1, para in headings:
                heading = reader.read(i, t0, t1, para, full=False)
                heading.heading = True
                readings.append(heading)
            readings.sort(key=lambda r: r.index)
        ext.trade_readings = readings
        ext.trade_lead = sorted(lead + [r for r in readings if r.index < self.lead_sentences], key=lambda r: r.index)
        self._publish(doc, readings)
        return doc

    heading_tokens = 16  # a heading is a short line

    @staticmethod
    def _heading_like(view: TokenView, hits: Hits, t0: int, t1: int) -> bool:
        """'1. Monthly Export (July):', 'Year-to-Date Import Trends': a short line about a
        period or a flow, that the figures under it belong to."""
        return hits.any_within("MONTH", t0, t1) or hits.any_within("TO_DATE", t0, t1) \
            or (hits.any_within("FLOW", t0, t1) and view.words[t1 - 1] == ":")

    @staticmethod
    def _cue_starts(hits: Hits) -> tuple[list[int], list[int]]:
        """The sorted starts of the words of none, and of units and percentages, each set
        merged once per doc: one bisection per sentence instead of one per label."""
        def merged(labels):
            found = set()
            for label in labels:
                found.update(hits.by_label.get(label, ()))
            return sorted(found)

        return merged(("ZERO", "NEGATION")), merged(("UNIT", "PERCENT", "BAG"))

    @staticmethod
    def _may_hold(text: str, start: int, end: int, hits: Hits, t0: int, t1: int, cues) -> bool:
        """Only a sentence with a unit of mass or a percentage (and a number or a number word),
        or a statement of none, can hold a claim."""
        nones, amounts = cues
        k = bisect_left(nones, t0)
        if k < len(nones) and nones[k] < t1:
            return True
        k = bisect_left(amounts, t0)
        if not (k < len(amounts) and amounts[k] < t1):
            return False
        return bool(HAS_DIGIT.search(text, start, end)) or hits.any_within("NUMWORD", t0, t1)

    @staticmethod
    def _descriptions(view: TokenView, hits: Hits, lex: Lexicon, start: int, end: int, t0: int) -> None:
        """'its Asian neighbour', 'the world's largest producer': descriptions are patterns."""
        if lex.description_re is None:
            return
        table = hits.by_label.setdefault("DESCRIPTION", {})
        added = False
        for match in lex.description_re.finditer(view.text, start, end):
            rec = lex.descriptions[int(match.lastgroup[1:])]
            s, e = view.token_at(match.start()), view.token_at(match.end())
            if e > s:
                table[s] = (e, rec)
                added = True
        if added:  # (what was derived from an unchanged table still holds)
            hits.changed("DESCRIPTION")

    @staticmethod
    def _publish(doc: Doc, readings: list[Reading]) -> None:
        """The readings as Spans, each with what was read in span._.trade."""
        values: dict = {}
        groups: dict[str, list[Span]] = {name: [] for name in SPAN_GROUPS}
        figures, periods, clauses, countries, goods = (groups[name] for name in SPAN_GROUPS)
        label_ids = _label_ids(doc.vocab.strings)  # a Span given its label's id skips hashing the name

        # (written out per group, without a call per span: there are thousands a doc)
        for r in readings:
            for f in r.figures:
                if f.end > f.start:
                    label = f.kind.upper()
                    figures.append(Span(doc, f.start, f.end, label=label_ids[label]))
                    values[(label, f.start, f.end)] = f
            for m in r.periods:
                if m.end > m.start:
                    periods.append(Span(doc, m.start, m.end, label=label_ids["PERIOD"]))
                    values[("PERIOD", m.start, m.end)] = m.written
            for c in r.clauses:
                if c.end > c.start:
                    label = c.kind.upper()
                    clauses.append(Span(doc, c.start, c.end, label=label_ids[label]))
                    values[(label, c.start, c.end)] = c
            for m in r.countries:
                if m.end > m.start:
                    label = m.role.upper()
                    countries.append(Span(doc, m.start, m.end, label=label_ids[label]))
                    values[(label, m.start, m.end)] = m
            for g in r.goods:
                if g.end > g.start:
                    label = "COMMODITY" if g.known else "GOODS"
                    goods.append(Span(doc, g.start, g.end, label=label_ids[label]))
                    values[(label, g.start, g.end)] = g
        doc._.trade_values = values
        for name, spans in groups.items():
            doc.spans[name] = spans


class ClaimAssembler(_VocabularyComponent):

    def __call__(self, doc: Doc) -> Doc:
        lex = self.require()
        ext = doc._
        view, hits = ext.trade_view, ext.trade_hits
        body = ext.trade_readings or []
        if not body:
            ext.claims = []
            return doc
        assembler = assemble.ArticleAssembler(view, hits, lex, article=ext.article or "",
                                              published=ext.published, article_id=ext.article_id)
        assembler.learn_defaults(ext.trade_lead or [], [r for r in body if not r.heading])
        claims = []
        tables = TableReader(assembler)
        found = {t.rows[0].index: t for t in tables.find(body)}
        for reading in body:
            if reading.index in found:
                claims.extend(tables.claims(found[reading.index]))
            elif reading.table in ("header", "row") or (reading.table == "intro" and not reading.figures):
                continue
            elif reading.heading:
                assembler.heading(reading)
            else:
                claims.extend(assembler.claims(reading))
        assemble.date_leading_claims(claims, lex)
        ext.claims = _once_per_sentence(claims)
        return doc


def _once_per_sentence(claims: list) -> list:
    """'imported no soybeans ..., the second month in a row with zero purchases': one sentence
    stating one fact twice gives it once (the first statement)."""
    seen, out = set(), []
    for c in claims:
        key = (c.start, c.exporter, c.importer, c.flow,
               c.commodity, c.period, c.value, c.change_pct, c.change_basis)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


@Language.factory("trade_sentencizer", assigns=["token.is_sent_start", "doc._.trade_sentences"])
def make_trade_sentencizer(nlp: Language, name: str):
    return TradeSentencizer(nlp, name)


@Language.factory("trade_lexicon", requires=["doc._.trade_sentences"],
                  assigns=["doc._.trade_view", "doc._.trade_hits"])
def make_trade_lexicon(nlp: Language, name: str):
    return TradeLexicon(nlp, name)


@Language.factory("trade_reader", default_config={"lead_sentences": 6},
                  requires=["doc._.trade_sentences", "doc._.trade_hits"],
                  assigns=["doc._.trade_readings", "doc._.trade_lead", "doc.spans"])
def make_trade_reader(nlp: Language, name: str, lead_sentences: int):
    return TradeReader(nlp, name, lead_sentences)


@Language.factory("claim_assembler", requires=["doc._.trade_readings", "doc._.trade_hits"], assigns=["doc._.claims"])
def make_claim_assembler(nlp: Language, name: str):
    return ClaimAssembler(nlp, name)

"""What one sentence says, read once by the grammars: its figures, periods, clauses, countries,
goods and cue words, with token positions. The claim assembler (the assemble package) turns readings
into claims; the components (components.py) also publish them as spaCy spans.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from extractor.claims.clauses import Clause, ClauseReader
from extractor.claims.goods import GoodsMention, GoodsReader
from extractor.claims.lexicon import Lexicon
from extractor.claims.numbers import Figure, FigureReader
from extractor.claims.periods import Mention, PeriodReader
from extractor.claims.roles import CountryMention, RoleReader
from extractor.claims.view import Hits, TokenView


@dataclass
class Reading:
    index: int  # the sentence's place in the article
    start: int  # token offsets of the sentence
    end: int
    char_start: int
    char_end: int
    para: int
    text: str
    figures: list[Figure] = field(default_factory=list)
    read_periods: Optional[list[Mention]] = None  # None until `periods` reads them
    clauses: list[Clause] = field(default_factory=list)
    countries: list[CountryMention] = field(default_factory=list)
    goods: list[GoodsMention] = field(default_factory=list)
    flows: list[tuple[int, int, str]] = field(default_factory=list)
    source: Optional[str] = None
    heading: bool = False  # a line without figures that sets the period or flow of what follows
    statement: bool = False  # a figure-free sentence right before figures, read for its subject only
    table: str = ""  # "header" or "row" for a line of a table laid out in columns (claims/tables.py)
    _clause_index: Optional[list] = field(default=None, repr=False)
    _terms_cache: Optional[dict] = field(default=None, repr=False)  # changes listed with their terms (assemble/flows.py)
    _period_reader: Optional[PeriodReader] = field(default=None, repr=False)

    @property
    def periods(self) -> list[Mention]:
        """The periods of the sentence, read when first asked for: of most lead sentences,
        read for the article's defaults, they never are (the first period found dates the lead)."""
        found = self.read_periods
        if found is None:
            found = self.read_periods = self._period_reader.read(self.start, self.end)
        return found

    def clause_at(self, token: int) -> int:
        """Index of the clause a token lies in (the innermost, for brackets)."""
        index = self._clause_index
        if index is None:
            index = self._clause_index = [0] * (self.end - self.start)
            for n, c in enumerate(self.clauses):
                a, b = max(c.start, self.start) - self.start, min(max(c.end, c.start + 1), self.end) - self.start
                if b > a:
                    index[a:b] = [n] * (b - a)
        k = token - self.start
        return index[k] if 0 <= k < len(index) else 0


class SentenceReader:
    """The grammars of one doc, sharing its token view and lexicon matches."""

    def __init__(self, view: TokenView, hits: Hits, lex: Lexicon):
        self.view, self.hits, self.lex = view, hits, lex
        self.figures = FigureReader(view, hits, lex)
        self.periods = PeriodReader(view, hits, lex)
        self.clauses = ClauseReader(view, hits, lex)
        self.roles = RoleReader(view, hits, lex)
        self.goods = GoodsReader(view, hits, lex)

    def read(self, index: int, start: int, end: int, para: int, *, full: bool = True,
             figures: Optional[list[Figure]] = None) -> Reading:
        v = self.view
        char_start, char_end = v.idx[start], v.char_end(end)
        if figures is None:
            figures = self.figures.read(start, end) if full else []
        if figures:
            figure_tokens = {t for f in figures for t in range(f.start, f.end)}
            periods = self.periods.read(start, end, figure_tokens)
        elif full:
            periods = self.periods.read(start, end)
        else:
            periods = None  # read on first use (Reading.periods)
        clauses = self.clauses.read(start, end) if full else []
        countries = self.roles.read(start, end, [f.start for f in figures])
        goods = self.goods.read(start, end)
        flows = self.hits.within("FLOW", start, end)
        money_starts = {f.start for f in figures if f.kind == "money"}
        if money_starts and flows:
            # "brought in $2.24 billion", "earned 5.4 billion USD": a verb whose object is money earns
            earning = self.lex.word_class("earning_phrases")
            flows = [(s, e, flow) for s, e, flow in flows
                     if not (e in money_starts and " ".join(v.lower[s:e]) in earning)]
        # (every field given: the default lists are not built only to be replaced)
        return Reading(index, start, end, char_start, char_end, para, v.text[char_start:char_end],
                       figures, periods, clauses, countries, goods, flows, self._source(start, end),
                       _period_reader=self.periods)

    def _source(self, start: int, end: int) -> Optional[str]:
        found = next(iter(self.hits.within("SOURCE", start, end)), None)
        if found is not None:
            return found[2]
        pattern = self.lex.source_pattern_re
        if pattern is None:
            return None
        text = self.view.text[self.view.idx[start]:self.view.char_end(end)]
        match = pattern.search(text)
        if match is None:
            return None
        name = match.group(1).strip()
        # A full stop ending the sentence is not part of the name; one ending "U.S." is.
        return name if len(name) > 2 and name[-2:-1].isupper() and name.endswith(".") else name.rstrip(".")

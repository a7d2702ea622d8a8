"""What one sentence says: its figures, periods, countries, commodities and cue words, with
positions, and the clauses they fall in. Assembly (assemble.py) turns this into claims.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Optional

from extractor.claims import countries, numbers, periods

# The leading lookahead lets the engine skip, in C, the characters no alternative can start with.
HARD_BOUNDARY = re.compile(r"(?=[;(cvwbeCVWBE])(?:[;(]|(?<![\w])(?:compared|versus|vs\.?|while|whereas|but|even as)(?![\w]))")
LABEL = re.compile(r"^[^:\d]{2,60}:(?!\d)")  # "U.S. Specifics: 582 tons", "Total November Exports: ..."


@dataclass
class Cue:
    start: int
    end: int
    value: object = True


@dataclass
class SentenceAnalysis:
    index: int  # position among the article's sentences
    start: int  # offsets of the sentence in the article text
    end: int
    para: int  # paragraph (line) the sentence is in
    text: str
    figures: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    bases: list = field(default_factory=list)  # Cue(value=mom|yoy|other)
    countries: list = field(default_factory=list)
    commodities: list = field(default_factory=list)  # Cue(value=commodity name)
    flows: list = field(default_factory=list)  # Cue(value=export|import|neutral)
    nontrade: list = field(default_factory=list)
    modality: list = field(default_factory=list)
    inclusion: bool = False
    cuts: list = field(default_factory=list)  # clause edges (sorted offsets)
    subordinate: list = field(default_factory=list)  # (start, end) of "following ...", "which ..." clauses
    hard: list = field(default_factory=list)  # offsets of hard clause edges
    source: Optional[str] = None
    label_end: Optional[int] = None

    def segment(self, position: int) -> int:
        return bisect.bisect_right(self.cuts, position)

    def subordinate_region(self, position: int) -> Optional[tuple[int, int]]:
        for start, end in self.subordinate:
            if start <= position < end:
                return (start, end)
        return None


def _cues(matches, table: Optional[dict] = None) -> list[Cue]:
    out = []
    for match in matches:
        value = table.get(" ".join(match.group().lower().split()), True) if table is not None else True
        out.append(Cue(match.start(), match.end(), value))
    return out


def _segments(text: str, lex) -> tuple[list[int], list[int]]:
    return ([match.start() for match in lex.boundary_re.finditer(text)],
            [match.start() for match in HARD_BOUNDARY.finditer(text)])


def _subordinate(text: str, cuts: list[int], matches) -> list[tuple[int, int]]:
    regions = []
    for match in matches:
        following = bisect.bisect_right(cuts, match.start())
        end = cuts[following] if following < len(cuts) else len(text)
        regions.append((match.start(), end))
    return regions


def _source(text: str, lex) -> Optional[str]:
    match = lex.source_re.search(text)
    if match:
        return lex.sources[match.group()]
    match = lex.source_pattern_re.search(text) if lex.source_pattern_re else None
    if match is None:
        return None
    name = match.group(1).strip()
    # A full stop ending the sentence is not part of the name; one ending "U.S." is.
    return name if re.search(r"\b[A-Z]\.$", name) else name.rstrip(".")


def analyse(text: str, lex, *, index: int = 0, start: int = 0, para: int = 0, full: bool = True,
            figures: Optional[list] = None) -> SentenceAnalysis:
    """Everything the claim assembler needs from one sentence. `full=False` reads only the
    countries, commodities, periods and flow words (for headlines and lead sentences);
    `figures` passes the sentence's figures when the caller has already found them."""
    out = SentenceAnalysis(index, start, start + len(text), para, text)
    found = (lex.scanner if full else lex.lead_scanner).scan(text)
    if full:
        out.cuts, out.hard = _segments(text, lex)
    out.countries = countries.find_countries(text, lex, found)
    out.commodities = _cues(found["commodity"], lex.commodity_alias)
    out.flows = _cues(found["trade"], lex.cue_values["trade"])
    out.bases = _cues(found["basis"], None)
    for cue in out.bases:
        phrase = " ".join(text[cue.start:cue.end].lower().split())
        cue.value = lex.basis.get(phrase) or next((b for p, b in lex.basis.items() if phrase.startswith(p)), "other")
    out.periods = periods.find_periods(text, lex, [(c.start, c.end) for c in out.bases], found["period"])
    if not full:
        return out
    out.figures = figures if figures is not None else numbers.find_figures(text, lex)
    countries.share_gapped_roles(text, out.countries, [f.start for f in out.figures])
    out.nontrade = _cues(found["nontrade"], lex.cue_values["nontrade"])
    out.modality = _cues(found["modality"])
    out.inclusion = bool(found["inclusion"])
    out.subordinate = _subordinate(text, out.cuts, found["subordinate"])
    out.source = _source(text, lex)
    label = LABEL.match(text.lstrip("-•*· \t"))
    if label:
        out.label_end = len(text) - len(text.lstrip("-•*· \t")) + label.end()
    return out

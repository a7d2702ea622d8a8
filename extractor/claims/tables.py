"""Tables laid out in columns of plain text, as wire copy prints customs data:

     Item        Jun 2024     y/y %    Jan-Jun      y/y %
                 (tonnes)              (tonnes)
     Barley        310,000      -4.1    2.6 mln       8.0

A row is a line of cells set apart by runs of spaces: goods (or a country) in the first cell,
numbers in the others. The header lines above it name each column by the cells over it: a
column whose header gives a unit of weight holds quantities of the period it names; a change
column ('% change y/y') holds the change of the quantity column to its left. The flow and the
reporting country come from the text before the table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from extractor.claims import periods as P
from extractor.claims.lexicon import Lexicon
from extractor.claims.numbers import parse_number
from extractor.claims.reading import Reading
from extractor.period import Period, format_period
from extractor.types import Claim

CELL = re.compile(r"\S+(?: \S+)*")  # words joined by single spaces; two or more spaces part cells
NUMBER = re.compile(r"([-+−]?)(\d[\d,.]*)(?: ?([A-Za-z]+))?\*?")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
MAX_HEADER_LINES = 3
TABLE_GAP = "   "  # a text with no run of three spaces (or no " | ") has no table to look for
PIPE = " | "  # cells parted by bars, as tables come out of HTML: "Turkey | 3,412 | 3,880 | -12.1"
PIPE_COLUMN = 1000  # a barred cell's column is its place in the line, at this stride


def may_hold_table(text: str) -> bool:
    return TABLE_GAP in text or PIPE in text


@dataclass
class Cell:
    start: int  # character offsets in the article text
    end: int
    col: int  # offset from the start of its line
    text: str


@dataclass
class Column:
    header: list[Cell] = field(default_factory=list)  # the header cells over it, one per header line
    change: bool = False
    unit: Optional[float] = None  # tonnes per unit the header names
    period: Optional[Period] = None
    basis: Optional[str] = None


@dataclass
class Table:
    header: list[Reading]
    rows: list[Reading]
    intro: Optional[Reading] = None  # the sentence before the table


def line_cells(text: str, start: int, end: int) -> Optional[list[Cell]]:
    """The cells of a sentence that is one line of the text, or None."""
    if "\n" in text[start:end].strip():
        return None
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    if line.count("|") >= 2 or (PIPE in line and line.count("|") >= 1):
        return _barred_cells(line, line_start)
    return [Cell(line_start + m.start(), line_start + m.end(), m.start(), m.group()) for m in CELL.finditer(line)]


def _barred_cells(line: str, line_start: int) -> list[Cell]:
    """'Origin | Jan-Aug 2025 | % change': the cells between bars, columned by their order."""
    cells, pos = [], 0
    for part in line.split("|"):
        stripped = part.strip()
        if stripped:
            lead = pos + len(part) - len(part.lstrip())
            cells.append(Cell(line_start + lead, line_start + lead + len(stripped), len(cells) * PIPE_COLUMN, stripped))
        pos += len(part) + 1
    return cells


def cell_number(text: str, lex: Lexicon) -> Optional[tuple[float, float]]:
    """(number, multiplier) of a numeric cell ('2.25 mln', '1,358.7', '-4.5'), or None."""
    m = NUMBER.fullmatch(text)
    if m is None:
        return None
    sign, digits, word = m.groups()
    scale = 1.0
    if word:
        factor = lex.value("MULT", word.lower())
        if factor is None:
            return None
        scale = float(factor)
    number = parse_number(digits, scaled=scale != 1.0, tonnes_unit=False)
    if number is None:
        return None
    return (-number if sign in ("-", "−") else number), scale


def is_row(cells: Optional[list[Cell]], lex: Lexicon) -> bool:
    """Goods or a country in the first cell, at least two numbers after it."""
    if not cells or len(cells) < 3:
        return False
    first = cells[0].text
    return any(c.isalpha() for c in first) and not any(c.isdigit() for c in first) \
        and sum(cell_number(c.text, lex) is not None for c in cells[1:]) >= 2


def table_lines(text: str, sentences: list[tuple[int, int]], lex: Lexicon) -> dict[int, str]:
    """{sentence index: "header" or "row"} for the sentences that are lines of a table: runs of
    two or more rows under one to three header lines."""
    cells = [line_cells(text, s, e) if "  " in text[s:e].strip() or "|" in text[s:e] else None for s, e in sentences]
    rows = [is_row(c, lex) for c in cells]
    out: dict[int, str] = {}
    n = 0
    while n < len(sentences):
        if not rows[n]:
            n += 1
            continue
        end = n
        while end < len(sentences) and rows[end]:
            end += 1
        head = n
        while head > 0 and n - head < MAX_HEADER_LINES and cells[head - 1] and len(cells[head - 1]) >= 2 \
                and not rows[head - 1]:
            head -= 1
        if end - n >= 2 and head < n:
            if head > 0:
                out[head - 1] = "intro"  # "The table below shows imports of China's ...": flow and party
            out.update({i: "header" for i in range(head, n)})
            out.update({i: "row" for i in range(n, end)})
        n = end
    return out


class TableReader:
    """Reads the rows of an article's tables into claims."""

    def __init__(self, assembler):
        self.a = assembler
        self.view, self.hits, self.lex = assembler.view, assembler.hits, assembler.lex
        self.change_words = self.lex.word_class("table_change_headers")

    def find(self, readings: list[Reading]) -> list[Table]:
        """The tables among the readings the reader marked as table lines."""
        tables: list[Table] = []
        intro = None
        for r in readings:
            if r.table == "intro":
                intro = r
            elif r.table == "header" and (not tables or tables[-1].rows):
                tables.append(Table([r], [], intro))
                intro = None
            elif r.table == "header":
                tables[-1].header.append(r)
            elif r.table == "row" and tables:
                tables[-1].rows.append(r)
        return [t for t in tables if t.rows]

    # -- reading
    def claims(self, table: Table) -> list[Claim]:
        text = self.view.text
        header_cells = [line_cells(text, r.char_start, r.char_end) or [] for r in table.header]
        self._all_header = table.header
        out: list[Claim] = []
        unit = self._table_unit(table)
        for row in table.rows:
            cells = line_cells(text, row.char_start, row.char_end)
            columns = [self._column(c, header_cells) for c in cells[1:]]
            for col in columns:
                if col.unit is None and not col.change and unit is not None:
                    col.unit = unit  # "EU imports of finished steel by origin (thousand tonnes)"
            self._resolve(columns, table.header[-1])
            out.extend(self._row_claims(table, row, cells, columns))
        return out

    def _table_unit(self, table: Table) -> Optional[float]:
        """A unit of weight the line introducing the table gives for all its columns."""
        if table.intro is None or table.intro.figures:
            return None
        for s, e, value in self.hits.within("UNIT", table.intro.start, table.intro.end):
            if isinstance(value, (int, float)) and not self.hits.any_within("CURRENCY", table.intro.start, table.intro.end):
                return float(value)
        return None

    def _column(self, cell: Cell, header_cells: list[list[Cell]]) -> Column:
        """The column of a cell: the header cells over it. The widest header line parts the
        columns, each from its cell to the next; numbers are set right, headers left."""
        col = Column()
        widest = max(header_cells, key=len, default=[])
        if len(widest) < 2:
            return col
        middle = cell.col + len(cell.text) / 2
        starts = [h.col for h in widest]
        region = max((n for n, s in enumerate(starts) if s <= middle), default=0)
        low, high = starts[region], starts[region + 1] if region + 1 < len(starts) else 1 << 30
        for line in header_cells:
            col.header.extend(h for h in line if low <= h.col < high)
        words = " ".join(h.text.lower() for h in col.header)
        col.change = any(w in self.change_words for w in re.findall(r"[%\w/]+", words))
        for h in col.header:
            t, end = self.view.token_at(h.start), self.view.token_at(h.end)
            if self.hits.any_within("CURRENCY", t, end):
                col.unit = None  # "($/t)", "US$ mln": money, not weight
                break
            for i in range(t, end):
                unit = self.hits.at("UNIT", i)
                if unit is not None and isinstance(unit[1], (int, float)) and unit[0] <= end and col.unit is None:
                    col.unit = float(unit[1])
                basis = self.hits.at("BASIS", i)
                if basis is not None:
                    col.basis = basis[1]
        return col

    def _resolve(self, columns: list[Column], last_header: Reading) -> None:
        """The period of each quantity column: a month first, then what runs to it ('YTD')."""
        month: Optional[Period] = None
        written = []
        for col in columns:
            w = None
            for r in self._header_readings(col):
                w = next((m.written for m in r.periods if self._in_header(m, col)), None) or w
            if w is None:
                year = next((YEAR.search(h.text) for h in col.header if YEAR.search(h.text)), None)
                w = P.Written("year", year=int(year.group())) if year else None  # a header '2023 (tonnes)'
            written.append(w)
            if w is not None and w.kind != "ytd":
                resolved = P.resolve(w, self.a._anchors(last_header))
                col.period = resolved if isinstance(resolved, Period) else None
                month = month or col.period
        for col, w in zip(columns, written):
            if w is not None and w.kind == "ytd":
                resolved = P.resolve(w, self.a._anchors(last_header, claim=month))
                col.period = resolved if isinstance(resolved, Period) else None

    def _header_readings(self, col: Column) -> list[Reading]:
        return [r for r in self._all_header if any(r.char_start <= h.start < r.char_end for h in col.header)]

    def _in_header(self, m, col: Column) -> bool:
        start = self.view.idx[m.start]
        return any(h.start <= start < h.end for h in col.header)

    def _row_claims(self, table: Table, row: Reading, cells: list[Cell], columns: list[Column]) -> list[Claim]:
        flow, exporter, importer, commodity, inferred = self._context(table, row, cells[0])
        if flow is None or commodity is None:
            return []
        out = []
        for n, (cell, col) in enumerate(zip(cells[1:], columns)):
            if col.change or col.unit is None or col.period is None:
                continue
            number = cell_number(cell.text, self.lex)
            if number is None:
                continue
            value = round(number[0] * number[1] * col.unit, 6)
            change, basis = None, None
            target = self._change_column(columns, n)
            if target is not None:
                pct = cell_number(cells[target + 1].text, self.lex)
                if pct is not None and pct[1] == 1.0:
                    change, basis = pct[0], columns[target].basis
                    if basis is None and self.a._cumulative(col.period):
                        basis = "yoy"  # as for a bare change on a year in a sentence
            out.append(Claim(
                article=self.a.article, sentence=row.text, start=row.char_start, end=row.char_end,
                period=format_period(col.period), exporter=exporter, importer=importer, flow=flow,
                commodity=commodity, value=int(value) if value == int(value) else value, unit="t",
                change_pct=change, change_basis=basis, source=row.source,
                inferred=tuple(sorted(inferred)), figure_start=cell.start, figure_end=cell.end,
                article_id=self.a.article_id))
        return out

    @staticmethod
    def _change_column(columns: list[Column], n: int) -> Optional[int]:
        """The change column of quantity column n: the one to its right, or, in 'Jan-Aug 2025 |
        Jan-Aug 2024 | % change', the one after the earlier period's column (the later one changed)."""
        if n + 1 < len(columns) and columns[n + 1].change:
            later = n > 0 and columns[n - 1].period is not None and columns[n].period is not None \
                and not columns[n - 1].change and columns[n - 1].period.months == columns[n].period.months \
                and columns[n - 1].period.first > columns[n].period.first
            return None if later else n + 1
        if n + 2 < len(columns) and columns[n + 2].change and not columns[n + 1].change \
                and columns[n].period is not None and columns[n + 1].period is not None \
                and columns[n].period.months == columns[n + 1].period.months \
                and columns[n].period.first > columns[n + 1].period.first:
            return n + 2
        return None

    def _context(self, table: Table, row: Reading, first: Cell):
        """Flow, parties and goods of a row: its first cell names the goods or the partner; the
        rest comes from the sentence that introduces the table, else from the text before it."""
        frame, defaults, intro = self.a.frame, self.a.defaults, table.intro
        inferred = []
        told = ([intro] if intro else []) + table.header
        flows = [value for r in told for _, _, value in r.flows if value in ("export", "import")]
        if not flows:
            return None, None, None, None, []  # a table of output, stocks or prices
        flow = flows[0]
        side = "exporter" if flow == "export" else "importer"
        stated = next((m.code for m in intro.countries if m.code and m.role in (side, "bare", "partner")), None) \
            if intro else None
        reporter = stated or (getattr(frame, side) if frame else None) or getattr(defaults, side)
        if reporter is None or reporter == "WLD":
            return None, None, None, None, []
        inferred.append(side)  # the row itself names no party
        country = next((m for m in row.countries if m.code and self.view.idx[m.start] < first.end), None)
        goods = next((g for g in row.goods if self.view.idx[g.start] < first.end and g.name), None)
        partner = "WLD"
        total = first.text.lower() in self.lex.word_class("table_total_rows")
        if total or (country is not None and goods is None):
            partner = "WLD" if total else country.code
            named = next((g.name for g in intro.goods if g.known), None) if intro else None
            commodity = named or (frame.commodity if frame else None) or defaults.commodity
            if named is None:
                inferred.append("commodity")
        else:
            commodity = goods.name if goods is not None else first.text.lower()
        exporter, importer = (reporter, partner) if flow == "export" else (partner, reporter)
        return flow, exporter, importer, commodity, inferred

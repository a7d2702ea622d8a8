"""Claims normalised into series cells and distinct readings.

A *line* is (exporter, importer, canonical commodity); a *cell* is a line in one period (the
readable series key, e.g. "CN>US rare earth magnets 2025-11"). Claims stating the same figure
in a cell (same value, precision, qualifier, basis) are one *reading*, which remembers every
claim and every independent source group behind it. Checks work on readings, so a cell with a
thousand mentions of three distinct figures costs three comparisons, not a million.

Built for a million claims: one pass over the claims with the precision of each (sentence,
figure) worked out once, slotted records, and the per-reading text, source line and JSON that
many checks quote computed once and shared.
"""
from __future__ import annotations

import itertools
import math
from itertools import chain
from operator import attrgetter
from typing import Optional

from extractor.reconcile.intervals import Interval, fmt_num
from extractor.reconcile.periods import Period, basis_label, format_period, parse_period
from extractor.reconcile.precision import change_interval, hedged, value_half_unit, value_interval
from extractor.types import Claim

Line = tuple  # (exporter, importer, commodity)

AGGREGATES = {"WLD", "EU", None}
_QUALIFIER_WORDS = {"approx": "about ", "over": "over ", "under": "under "}



def as_stated(x: float) -> str:
    """A figure with the decimals it was given: 5,952; 62.585; 2,395,244.302; -3.2."""
    if float(x).is_integer():
        return fmt_num(x)
    text = f"{x:,.6f}".rstrip("0").rstrip(".")
    return text


def line_label(line: Line) -> str:
    exporter, importer, commodity = line
    return f"{exporter or '?'}>{importer or '?'} {commodity}"


def series_key(line: Line, period: Period) -> str:
    return f"{line_label(line)} {format_period(period)}"


class Item:
    """One claim, normalised."""

    __slots__ = ("claim", "line", "period", "group", "article_id", "level", "change", "basis",
                 "reading", "change_reading", "assumed")

    def __init__(self, claim: Claim, line: Line, period: Period, group: str, article_id: str,
                 level: Optional[Interval] = None, change: Optional[Interval] = None,
                 reading: Optional[Reading] = None) -> None:
        self.claim = claim
        self.line = line
        self.period = period
        self.group = group
        self.article_id = article_id
        self.level = level  # total over the period
        self.change = change
        self.basis: Optional[str] = None
        self.reading = reading  # the level reading this claim's value joined
        self.change_reading: Optional[Reading] = None  # the change reading its change joined
        self.assumed: Optional[str] = None  # where an unstated basis was taken from, if it was


_ARTICLE = attrgetter("article_id")


_READINGS = itertools.count()


class Reading:
    """Claims of one cell stating one figure; `groups` and `articles` in first-seen order."""

    __slots__ = ("kind", "line", "period", "value", "interval", "per", "qualifier", "basis",
                 "modality", "claim_ids", "groups", "articles", "items", "assumed", "parts",
                 "_text", "_src", "_json", "_id_set", "_group_set", "serial")

    def __init__(self, kind: str, line: Line, period: Period, value: float, interval: Interval,
                 per: Optional[str] = None, qualifier: Optional[str] = None,
                 basis: Optional[str] = None, modality: str = "reported",
                 assumed: Optional[str] = None) -> None:
        self.kind = kind  # level | change
        self.line = line
        self.period = period
        self.value = value  # as stated (a monthly rate when per == "month")
        self.interval = interval  # level: total over the period; change: percentage points
        self.per = per
        self.qualifier = qualifier
        self.basis = basis
        self.modality = modality
        self.assumed = assumed  # the basis is not stated in the sentence but taken from here
        self.parts: Optional[list] = None  # a merged reading: the readings it stands for
        self.claim_ids: list = []
        self.groups: list = []  # distinct source groups, first-seen order (see `finish`)
        self.articles: list = []
        self.items: list = []
        self._text = self._src = self._json = self._id_set = self._group_set = None
        self.serial = next(_READINGS)  # creation order: ties among readings break the same way each run

    def base(self) -> list:
        """The readings of single cells this one stands for: itself, or a merged one's parts."""
        return self.parts if self.parts is not None else [self]

    def finish(self, group_of: dict) -> None:
        """Distinct articles and groups, once every claim is in. `group_of` maps each article
        of the items to their group: an article's group is its items', so the groups follow
        from the (fewer) distinct articles in the same first-seen order."""
        self.articles = articles = list(dict.fromkeys(map(_ARTICLE, self.items)))
        self.groups = list(dict.fromkeys(map(group_of.__getitem__, articles)))

    @property
    def key(self) -> str:
        return series_key(self.line, self.period)

    def id_set(self) -> set:
        if self._id_set is None:
            self._id_set = set(self.claim_ids)
        return self._id_set

    def group_set(self) -> frozenset:
        """`groups` as a set, once they are final (after `finish`)."""
        if self._group_set is None:
            self._group_set = frozenset(self.groups)
        return self._group_set

    def text(self) -> str:
        """The figure as reported, e.g. "over 400 t a month", "-3.2% m/m"."""
        text = self._text
        if text is None:
            q = _QUALIFIER_WORDS.get(self.qualifier or "", "")
            if self.kind == "change":
                sign = "+" if self.value > 0 else ""
                basis = basis_label(self.basis, self.period)
                if self.assumed:
                    basis += f", taken from {self.assumed}"
                text = f"{q}{sign}{as_stated(self.value)}% ({basis})"
            else:
                per = " a month" if self.per == "month" else ""
                text = f"{q}{as_stated(self.value)} t{per}"
            self._text = text
        return text


class Cell:
    __slots__ = ("line", "period", "items", "claim_ids", "sentences", "levels", "changes",
                 "consensus", "_key", "_reported", "_merged", "_change_consensus")

    def __init__(self, line: Line, period: Period) -> None:
        self.line = line
        self.period = period
        self.items: list = []
        self.claim_ids: list = []  # the id of each of `items`, for the checks that scan every claim
        self.sentences: list = []  # every sentence of `items` (some more than once)
        self.levels: dict = {}  # signature -> Reading
        self.changes: dict = {}
        self.consensus: Optional[Consensus] = None
        self._key = self._reported = self._merged = None
        self._change_consensus: dict = {}

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = series_key(self.line, self.period)
        return self._key

    def reported_levels(self) -> list[Reading]:
        if self._reported is None:
            self._reported = [r for r in self.levels.values() if r.modality == "reported"]
        return list(self._reported)

    def change_consensus(self, basis: str, readings: list) -> "Consensus":
        """consensus_of the cell's reported changes with this basis (`readings`), computed once."""
        cons = self._change_consensus.get(basis)
        if cons is None:
            cons = self._change_consensus[basis] = consensus_of(readings)
        return cons


class Consensus:
    __slots__ = ("members", "interval", "tied", "others", "rivals", "support", "_groups",
                 "_merged", "_best", "labels")

    def __init__(self, members: list, interval: Interval, tied: bool, others: list,
                 rivals: Optional[list] = None) -> None:
        self.members = members  # readings that agree at one point, with the most independent sources
        self.interval = interval  # their common intersection
        self.tied = tied  # another, disjoint set of readings has as much support
        self.others = others  # readings outside it
        self.rivals = rivals  # when tied: every set of readings with the best support
        self.support: list = []  # (anchor, change, implied) that broke a tie (tiebreak.py)
        self._groups = self._merged = self._best = None
        self.labels: Optional[list] = None  # the readable labels of `groups` (Context.group_labels)

    @property
    def groups(self) -> list:
        if self._groups is None:
            self._groups = list(dict.fromkeys(chain.from_iterable(r.groups for r in self.members)))
        return self._groups

    def as_reading(self) -> Reading:
        """The agreeing readings as one: the best figure, their common interval, all claims."""
        merged = self._merged
        if merged is None:
            b = self.best()
            merged = Reading(b.kind, b.line, b.period, b.value, self.interval, b.per, b.qualifier,
                             b.basis, b.modality, b.assumed)
            ordered = sorted(self.members, key=lambda r: r is not b)
            merged.parts = [part for r in ordered for part in r.base()]
            for r in ordered:
                merged.claim_ids.extend(r.claim_ids)
                merged.items.extend(r.items)
            merged.groups = list(dict.fromkeys([g for r in ordered for g in r.groups]))
            merged.articles = list(dict.fromkeys([a for r in ordered for a in r.articles]))
            self._merged = merged
        return merged

    def best(self) -> Reading:
        if self._best is None:
            self._best = max(self.members, key=lambda r: (len(r.groups), len(r.claim_ids), -_width(r)))
        return self._best


def _width(r: Reading) -> float:
    w = r.interval.hi - r.interval.lo
    return w if math.isfinite(w) else 1e300


def consensus_of(readings: list[Reading]) -> Optional[Consensus]:
    """The largest set of readings with a common point, counted in independent sources."""
    if not readings:
        return None
    if len(readings) == 1:
        r = readings[0]
        return Consensus([r], r.interval, False, [])
    lo = max(r.interval.lo for r in readings)
    hi = min(r.interval.hi for r in readings)
    if lo <= hi and all(r.interval.lo <= lo and hi <= r.interval.hi for r in readings):
        # all share a point: every claim and source agrees there, so nothing can tie with it
        return Consensus(list(readings), Interval(lo, hi), False, [])
    points = sorted({x for r in readings for x in r.interval if math.isfinite(x)})
    best_score, best_sets = None, []
    for x in points:
        cover = [r for r in readings if r.interval.lo <= x <= r.interval.hi]
        groups = {g for r in cover for g in r.groups}
        score = (len(groups), sum(len(r.claim_ids) for r in cover))
        if best_score is not None and score < best_score:
            continue
        ids = frozenset(id(r) for r in cover)
        if best_score is None or score > best_score:
            best_score, best_sets = score, [(ids, cover)]
        elif all(ids != s for s, _ in best_sets):
            best_sets.append((ids, cover))
    if not best_sets:  # only unbounded readings
        return Consensus(list(readings), _intersection(readings), False, [])
    best_sets.sort(key=lambda sc: (-max(len(r.groups) for r in sc[1]),
                                   min(_width(r) for r in sc[1]),
                                   min(r.value for r in sc[1])))
    members = best_sets[0][1]
    tied = any(not (s & best_sets[0][0]) for s, _ in best_sets[1:])
    member_ids = best_sets[0][0]
    others = [r for r in readings if id(r) not in member_ids]
    rivals = [cover for _, cover in best_sets] if tied else None
    return Consensus(members, _intersection(members), tied, others, rivals)


def _intersection(readings: list[Reading]) -> Interval:
    lo = max(r.interval.lo for r in readings)
    hi = min(r.interval.hi for r in readings)
    return Interval(lo, hi) if lo <= hi else Interval(hi, lo)


def _code(code):
    if code is None:
        return None
    code = str(code).strip().upper()
    return code or None


def place_claims(claims: list[Claim], commodities, groups,
                 texts: Optional[dict] = None) -> tuple[dict, list]:
    """Cells keyed by (line, period), in first-seen order, and the claims no cell can take.

    `commodities` gives canonical commodity names, `groups` each article's source group and
    `texts` (article id -> text) the paragraphs where an unstated basis may be looked up.
    """
    placer = _Placer(commodities)
    settled = placer.settled
    changes: list[Item] = []
    change_cells: list[Cell] = []  # the cell of each of `changes`
    group_of: dict = {}
    last_article = last_group = None  # a claim's neighbours mostly share its article
    for claim in claims:
        # most claims repeat a figure of a sentence placed before (wire copies, mentions):
        # everything but the article is then known from one lookup
        key = (claim.sentence, claim.value, claim.change_pct, claim.qualifier, claim.per,
               claim.figure_start, claim.start, claim.modality, claim.period, claim.exporter,
               claim.importer, claim.commodity, claim.unit)
        known = settled.get(key)
        if known is None:
            known = placer.settle(claim, key)
            if known is None:
                continue
        cell, line, period, level, change, reading = known
        article_id = claim.article_id or claim.article
        if article_id != last_article:
            last_group = group_of.get(article_id)
            if last_group is None:
                last_group = group_of[article_id] = groups.group(article_id)
            last_article = article_id
        it = Item(claim, line, period, last_group, article_id, level, change, reading)
        claim_id = claim.id
        cell.items.append(it)
        cell.claim_ids.append(claim_id)
        if reading is not None:
            reading.claim_ids.append(claim_id)
            reading.items.append(it)
        if change is not None:
            changes.append(it)
            change_cells.append(cell)
    cells, unplaced = placer.cells, placer.unplaced
    del placer, settled
    _resolve_bases(changes, texts or {})
    for it, cell in zip(changes, change_cells):
        c = it.claim
        q = c.qualifier if c.value is None or c.qualifier == "approx" else None
        if q == "approx" and c.value is not None and not hedged(c)[1]:
            q = None
        sig = (c.change_pct, it.basis, q, it.change, c.modality, it.assumed)
        r = cell.changes.get(sig)
        if r is None:
            r = cell.changes[sig] = Reading("change", it.line, it.period, float(c.change_pct),
                                            it.change, None, q, it.basis, c.modality, it.assumed)
        r.claim_ids.append(c.id)
        r.items.append(it)
        it.change_reading = r
    for cell in cells.values():
        for r in cell.levels.values():
            r.finish(group_of)
        for r in cell.changes.values():
            r.finish(group_of)
        cell.consensus = consensus_of(cell.reported_levels())
    return cells, unplaced


class _Placer:
    """The first claim of each kind: its cell, the intervals of its figures and its level
    reading, worked out once and remembered under the claim's fields (`settled`)."""

    def __init__(self, commodities) -> None:
        self.commodities = commodities
        self.cells: dict[tuple, Cell] = {}
        self.unplaced: list = []
        self.settled: dict = {}  # the claim fields place_claims keys by -> (cell, line, period, level, change, reading)
        self.lines: dict = {}
        self.placed: dict = {}  # (period, exporter, importer, commodity, unit) as written -> (line, period, cell)
        self.level_cache: dict = {}  # the rounding interval of a figure in a sentence, shared
        self.change_cache: dict = {}

    def settle(self, claim: Claim, key: tuple) -> Optional[tuple]:
        """Where `claim` goes, remembered under `key`; None (and the claim recorded as
        unplaced) when no cell can take it."""
        ptext = claim.period
        value, change_pct = claim.value, claim.change_pct
        unit = claim.unit
        if unit is not None and (value is None or unit == "t"):
            unit = None
        raw = (ptext, claim.exporter, claim.importer, claim.commodity, unit)
        where = self.placed.get(raw)
        if where is None and parse_period(ptext) is None:
            self.unplaced.append((claim, f"period {ptext!r} cannot be read"))
            return None
        if value is None and change_pct is None:
            self.unplaced.append((claim, "it states neither a value nor a change"))
            return None
        if where is None:
            where = self.placed[raw] = _place(raw, parse_period(ptext), self.lines, self.cells,
                                              self.commodities)
        line, period, cell = where
        cell.sentences.append(claim.sentence)  # each kind of claim records its sentence once
        level = self._level(claim, period) if value is not None else None
        change = self._change(claim) if change_pct is not None else None
        reading = self._level_reading(claim, cell, line, period, level) if level is not None else None
        known = self.settled[key] = (cell, line, period, level, change, reading)
        return known

    def _level(self, claim: Claim, period: Period) -> Interval:
        months = period.last - period.first + 1 if claim.per == "month" else 0
        fs = claim.figure_start
        offset = fs - claim.start if fs is not None and claim.start is not None else None
        key = (claim.sentence, claim.value, claim.qualifier, fs is None, offset, months)
        level = self.level_cache.get(key)
        if level is None:
            level = value_interval(claim)
            if months:
                level = level.scale(months)
            self.level_cache[key] = level
        return level

    def _change(self, claim: Claim) -> Interval:
        key = (claim.sentence, claim.change_pct, claim.qualifier, claim.value is None)
        change = self.change_cache.get(key)
        if change is None:
            change = self.change_cache[key] = change_interval(claim)
        return change

    @staticmethod
    def _level_reading(claim: Claim, cell: Cell, line: Line, period: Period, level: Interval) -> Reading:
        qualifier = claim.qualifier
        lq = qualifier
        if qualifier == "approx" and claim.change_pct is not None and not hedged(claim)[0]:
            lq = None  # "stood at 78.79 MT, about 12 per cent higher": the change is hedged
        sig = (claim.value, claim.per, lq, level, claim.modality)
        levels = cell.levels
        r = levels.get(sig)
        if r is None:
            r = levels[sig] = Reading("level", line, period, float(claim.value), level,
                                      claim.per, lq, None, claim.modality)
        return r


def _place(raw: tuple, period: Period, lines: dict, cells: dict, commodities) -> tuple:
    """(line, period, cell) of claims written with `raw` (period, exporter, importer,
    commodity, unit): the line's names made canonical once, the cell made on first use."""
    _, exporter, importer, commodity, unit = raw
    lkey = (exporter, importer, commodity, unit)
    line = lines.get(lkey)
    if line is None:
        name = commodities.canonical(commodity)
        if unit is not None:
            name = f"{name} [{unit}]"
        line = lines[lkey] = (_code(exporter), _code(importer), name)
    cell = cells.get((line, period))
    if cell is None:
        cell = cells[(line, period)] = Cell(line, period)
    return line, period, cell


def _resolve_bases(items: list[Item], texts: dict) -> None:
    """Fill a missing change basis where it is safe.

    A month with no basis takes the basis another mention of the same change in the same
    article states; a year, quarter or range with none is read year on year (the contract's
    convention); failing both, a month takes the one basis its paragraph states around it: the
    changes of its own sentence and of the sentences just before and after it in the paragraph
    ("a year-on-year increase of 15.8%. By country, exports to Germany were the highest,
    increasing by 55.9%"), for comparison only: the reading says where the basis came from.
    Otherwise it stays unknown and the checks try both.
    """
    missing = set()
    for it in items:
        basis = it.claim.change_basis
        if basis:
            it.basis = basis
        else:
            missing.add((it.article_id, it.line, it.period, it.claim.change_pct))
    if not missing:
        return
    stated: dict[tuple, set] = {}
    by_article: dict[str, list] = {}
    for it in items:
        if it.basis:
            key = (it.article_id, it.line, it.period, it.claim.change_pct)
            if key in missing:
                stated.setdefault(key, set()).add(it.basis)
            by_article.setdefault(it.article_id, []).append(it)
    for it in items:
        if it.basis:
            continue
        same = stated.get((it.article_id, it.line, it.period, it.claim.change_pct), ())
        if len(same) == 1:  # taken from another mention of the same change in the article
            it.basis = next(iter(same))
        elif it.period.kind != "month":  # a whole year/quarter/range is read year on year
            it.basis = "yoy"
        elif it.article_id in texts:
            around = {o.basis for o in by_article.get(it.article_id, ())
                      if _neighbours(it.claim, o.claim, texts[it.article_id])}
            if len(around) == 1:
                it.basis = next(iter(around))
                it.assumed = "its paragraph"


def _neighbours(a: Claim, b: Claim, text: str) -> bool:
    """b's sentence is a's, or the one just before or after it in the same paragraph."""
    if a.start is None or b.start is None or a.start < 0 or b.start < 0:
        return False
    if a.start == b.start:
        return True
    first, second = (b, a) if b.start < a.start else (a, b)
    if first.end is None or first.end > second.start:
        return False
    gap = text[first.end:second.start]
    return not gap.strip() and "\n" not in gap


__all__ = ["Cell", "Consensus", "Item", "Reading", "consensus_of", "line_label", "parse_period",
           "place_claims", "series_key", "value_half_unit"]

"""Reconcile incrementally: after a batch, only the series its new claims touch, again.

A thin layer over `reconcile.reconcile`. Every check the reconciler makes stays inside one
commodity *family*: the names that can be read as one commodity (aliases, spellings close
enough for its fuzzy match, which depends on the names seen before), joined by the scopes of
models/commodity_scopes.jsonl (a narrower commodity is compared with the wider one). So the
claims of the families the batch touched (new claims, and the claims its re-read articles
lost) are reconciled on their own, and their checks and series replace those families' rows
in the store; every other family's checks stand.

One cause of a finding looks across families: `wrong_commodity`, another commodity's figure
of the same flow and period. For it the figures of the other families that can match a figure
held wrong are fetched from the store as they are asked for (`OutsideFigures`, through indexes
of the claims by flow, period and value or change) and placed as the reconciler places claims;
they are context only: not reconciled, no check, series or finding of theirs rewritten, and the
stored findings say which of them are held wrong themselves.

The result is a full reconcile's for those families as long as the source groups of their
articles are (which articles are copies of each other, or share a wire origin, and the labels
naming them): those are worked out from the articles of the family's claims (for the other
families' figures, from the agencies their claims and sites name; their texts are not read).
Still outside the scope: a `label` check between a figure of these families and one of
another (the same figure under two commodities), and the carried fields of another family's
claims of the same article, which the triage reads. When a family holds most of the claims, a
stored check names a commodity this cannot place, or a person reviewed a claim of one of the
families' articles, everything is reconciled.
"""
from __future__ import annotations

import bisect
import functools
import gc
import json
import math
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Iterable, Optional

from rapidfuzz import fuzz, process

from extractor import reconcile, store
from extractor.reconcile.intervals import INF
from extractor.reconcile.names import _SPACES, COMMODITY_CUTOFF, CommodityNames, SourceNames, commodity_key
from extractor.reconcile.series import place_claims
from extractor.reconcile.sources import SourceGroups, source_groups
from extractor.reconcile.vocab import load_vocab
from extractor.types import Article, Claim, decode_inferred

FULL_SHARE = 0.5  # a scope with more of the claims than this is reconciled as a whole
UNKNOWN = "unknown commodity"  # what the reconciler calls a claim without a commodity
# A figure of four or more significant digits stands for an interval within 0.05 % of it; one
# of fewer is a multiple of a power of ten, looked up as such (see `_value_bands`).
CLOSE = 5e-4
PAD = 1e-8  # relative: wider than the float tolerance of `Interval.overlaps`
# What other families' claims the cause search may compare with, looked up by flow and period:
# by value, by change, and every qualified figure ("over 400 t" meets any larger figure).
FLOW_INDEXES = (("idx_claims_flow_value", "exporter, importer, period, value", "value IS NOT NULL"),
                ("idx_claims_flow_change", "exporter, importer, period, change_pct", "change_pct IS NOT NULL"),
                ("idx_claims_flow_qualified", "exporter, importer, period", "qualifier IS NOT NULL"))


class Families:
    """Commodity families of the raw names in the database."""

    def __init__(self, raw_names: Iterable[Optional[str]]):
        vocab = load_vocab()
        names = CommodityNames(vocab)
        raw = sorted({n for n in raw_names if n})
        keys = sorted({commodity_key(n) for n in raw} | set(names._keys))
        parent = {k: k for k in keys}

        def find(k):
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        known = set(names._keys)
        for key, canonical in names._keys.items():  # an alias and its canonical name
            if commodity_key(canonical) in parent:
                union(key, commodity_key(canonical))
        # A name the vocabulary does not know is matched (fuzzily) against every name known or
        # seen before it, in an order this cannot tell: it joins every key it is close to.
        unknown = sorted({commodity_key(n) for n in raw} - known)
        if unknown:
            scores = process.cdist(unknown, keys, scorer=fuzz.ratio, score_cutoff=COMMODITY_CUTOFF, workers=1)
            for i, j in zip(*scores.nonzero()):
                union(unknown[i], keys[j])
        for wide, narrow in vocab.commodity_contains.items():
            for name in narrow:
                if commodity_key(wide) in parent and commodity_key(name) in parent:
                    union(commodity_key(wide), commodity_key(name))
        self.family_of_key = {k: find(k) for k in keys}
        # every name a stored check's series key may carry, to its family
        self.by_label: dict[str, str] = {UNKNOWN: "", "?": ""}
        for name in raw:
            family = self.family_of_key[commodity_key(name)]
            # as a series key may name it: as written, as the reconciler spells a new name, canonical
            for label in (name, " ".join(name.lower().split()), _SPACES.sub(" ", name.lower()).strip(),
                          names.canonical(name)):
                self.by_label.setdefault(label, family)
        for canonical in vocab.commodity_aliases:
            key = commodity_key(canonical)
            if key in self.family_of_key:
                self.by_label.setdefault(canonical, self.family_of_key[key])

    def of_raw(self, name: Optional[str]) -> str:
        return self.family_of_key.get(commodity_key(name), "") if name else ""

    def of_label(self, label: str) -> Optional[str]:
        """The family of a commodity as a series key names it ("iron ore", "coal [kg]")."""
        if label.endswith("]") and " [" in label:
            label = label.rsplit(" [", 1)[0]
        return self.by_label.get(label)


commodity_of_series = store.commodity_of_series


def reconcile_touched(db, touched: Iterable[Optional[str]]) -> dict:
    """Reconcile again the families of the `touched` commodity names (raw, as claims carry
    them); returns what was done: {"scope": "families" | "all" | "none", "claims": n, ...}."""
    touched = set(touched)
    if not touched:
        if store.needs_reconcile(db):
            store.mark_reconciled(db, store.stale_mark(db))
        return {"scope": "none", "claims": 0}
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _reconcile_touched(db, touched)
    finally:
        if was_enabled:
            gc.enable()


def _reconcile_touched(db, touched: set) -> dict:
    from extractor import pipeline

    _ensure_flow_indexes(db)
    # the claims, the other families' figures fetched while reconciling them, and the change
    # count they stand for, read together
    with store.snapshot(db):
        mark = store.stale_mark(db)
        names = distinct_values(db, "claims", "commodity")
        total = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        scope_claims = _scope(db, names, total, touched)
        if scope_claims is not None:
            families, scope, old_checks, claims, articles, series_keys, outside = scope_claims
            result = reconcile.reconcile(claims, articles, outside=outside)
    if scope_claims is None:
        pipeline.reconcile_db(db)
        return {"scope": "all", "claims": total}
    old_findings = [row[0] for row in db.execute("SELECT id, series FROM findings")
                    if families.of_label(commodity_of_series(row[1])) in scope]
    store.replace_reconciliation_part(db, old_checks, series_keys, result.checks, [s.row() for s in result.series],
                                      old_findings, result.findings)
    store.mark_reconciled(db, mark)
    return {"scope": "families", "claims": len(claims), "families": len(scope), "checks": len(result.checks)}


def _scope(db, names: list, total: int, touched: set):
    """What a reconcile of the touched families needs, or None when it should be a full one;
    `names` are the distinct commodity names of the stored claims, `total` their number."""
    families = Families(names + [t for t in touched if t])
    scope = {families.of_raw(name) for name in touched}
    raw_in_scope = [name for name in names if families.of_raw(name) in scope]
    named = [n for n in raw_in_scope if n is not None]
    where = f"commodity IN ({','.join('?' * len(named))})" if named else "0"
    if None in raw_in_scope or "" in scope:
        where = f"({where} OR commodity IS NULL)"
    in_scope = db.execute(f"SELECT count(*) FROM claims WHERE {where}", named).fetchone()[0]
    old_checks = _checks_in(db, families, scope)
    if old_checks is None or in_scope > FULL_SHARE * max(1, total):
        return None
    claims = _claims_in(db, where, named)
    articles = store.load_articles_by_id(db, {c.article_id for c in claims if c.article_id})
    reviewed = {r["article_url"] for r in store.load_reviews(db)}
    if not reviewed.isdisjoint(a.url for a in articles):  # a person's review may match across
        return None  # families (a corrected commodity): those are applied by a full reconcile
    series_keys = _series_in(db, families, scope)
    outside = OutsideFigures(db, families, scope, raw_in_scope)
    return families, scope, old_checks, claims, articles, series_keys, outside


def _checks_in(db, families: Families, scope: set) -> Optional[list[str]]:
    """Ids of the stored checks of the families in `scope`; None when a check names a
    commodity no family holds (then nothing short of a full reconcile is safe)."""
    labels = distinct_values(db, "checks", "commodity")
    family_of = {label: families.of_label(label or "") for label in labels}
    if any(family is None for family in family_of.values()):
        return None
    wanted = [label for label, family in family_of.items() if family in scope]
    return _column_where_in(db, "checks", "id", "commodity", wanted)


def _series_in(db, families: Families, scope: set) -> list[str]:
    """Keys of the stored series summaries of the families in `scope`."""
    if "series" not in db.table_names():
        return []
    db["series"].create_index(["commodity"], if_not_exists=True)
    labels = distinct_values(db, "series", "commodity")
    wanted = [label for label in labels if families.of_label(label or "") in scope]
    return _column_where_in(db, "series", "series", "commodity", wanted)


def distinct_values(db, table: str, column: str) -> list:
    """The distinct values of an indexed column (NULL first, if any), one index seek each
    rather than a scan of every row: millions of claims name a few hundred commodities."""
    out = []
    if db.execute(f"SELECT 1 FROM {table} WHERE {column} IS NULL LIMIT 1").fetchone():
        out.append(None)
    value = db.execute(f"SELECT min({column}) FROM {table}").fetchone()[0]
    while value is not None:
        out.append(value)
        value = db.execute(f"SELECT min({column}) FROM {table} WHERE {column} > ?", [value]).fetchone()[0]
    return out


def _column_where_in(db, table: str, column: str, key: str, values: list) -> list:
    """`column` of the rows of `table` whose `key` is one of `values`, asked 500 at a time
    (SQLite bounds the number of parameters of one statement)."""
    out = []
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        out += [row[0] for row in db.execute(
            f"SELECT {column} FROM {table} WHERE {key} IN ({','.join('?' * len(chunk))})", chunk)]
    return out


def _ensure_flow_indexes(db) -> None:
    for name, columns, where in FLOW_INDEXES:
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON claims ({columns}) WHERE {where}")


class OutsideFigures:
    """The figures of the families left alone that a finding's cause may point to (the
    `Outside` of reconcile.causes): claims of another commodity in the flow and period of a
    figure asked about, whose value (or change) can make an interval meeting it, fetched from
    the store by the flow indexes when first asked, placed as the reconciler places claims, with
    the stored findings' verdict on them. Every claim of a value looked up comes along, so the
    figures (readings) are whole even where their cells are not."""

    def __init__(self, db, families: Families, scope: set, raw_in_scope: list) -> None:
        self.db, self.families, self.scope = db, families, scope
        self.named = [n for n in raw_in_scope if n is not None]
        others = f"c.commodity NOT IN ({','.join('?' * len(self.named))})"
        self.others = (f"c.commodity IS NOT NULL AND {others}" if None in raw_in_scope
                       else f"(c.commodity IS NULL OR {others})")
        self.vocab = load_vocab()
        self.commodities = CommodityNames(self.vocab)
        self.groups = SourceGroups({}, {})
        self.by_flow: dict = {}  # (exporter, importer, period, kind, basis of a change) -> readings fetched
        self.fetched: set = set()  # ids of the readings asked about so far
        self.rowids: set = set()
        self.sources = SourceNames(self.vocab)
        self.article_ids: set = set()
        self.wrong: frozenset = frozenset()
        self.candidates: frozenset = frozenset()

    def matches(self, ctx, r) -> list:
        if id(r) not in self.fetched:
            self.fetch(ctx, [r])
        same = self.by_flow.get((r.line[0], r.line[1], r.period, r.kind, r.basis if r.kind == "change" else None), ())
        return [x for x in same if x.line[2] != r.line[2] and x.interval.overlaps(r.interval)]

    def fetch(self, ctx, readings: list) -> None:
        wanted = [r for r in readings if id(r) not in self.fetched]
        if not wanted:
            return
        self.fetched.update(map(id, wanted))
        claims = self._claims(wanted)
        if claims:
            self._place(ctx, claims)

    def _claims(self, readings: list) -> list:
        """The stored claims of other families that `readings` need, not fetched before: those
        the flow indexes find in the bands of `_bands`, kept if their value's reach
        (`_value_reach`) meets a reading's interval, so the sentences of few are read."""
        levels, changes, flows, targets = _bands(readings)
        db = self.db
        for table, rows in (("outside_levels", levels), ("outside_changes", changes)):
            db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (exporter, importer, period, lo REAL, hi REAL)")
            db.execute(f"DELETE FROM temp.{table}")
            db.conn.executemany(f"INSERT INTO temp.{table} VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("CREATE TEMP TABLE IF NOT EXISTS outside_flows (exporter, importer, period)")
        db.execute("DELETE FROM temp.outside_flows")
        db.conn.executemany("INSERT INTO temp.outside_flows VALUES (?, ?, ?)", flows)
        same_flow = "c.exporter IS b.exporter AND c.importer IS b.importer AND c.period = b.period"
        # The bands are searched in the flow indexes alone; each claim found is read once, whole,
        # and its family tested then (a second read by rowid cost as much as the search).
        if not set(CLAIM_FIELDS) <= set(db["claims"].columns_dict):
            return self._claims_by_rowid(db, same_flow, targets)
        rows = db.execute(
            f"SELECT rowid, {', '.join(CLAIM_FIELDS)} FROM claims c WHERE ({self.others}) AND ("
            f"rowid IN (SELECT c.rowid FROM temp.outside_levels b JOIN claims c ON {same_flow} "
            f"AND c.value BETWEEN b.lo AND b.hi WHERE c.value IS NOT NULL) "
            f"OR rowid IN (SELECT c.rowid FROM temp.outside_changes b JOIN claims c ON {same_flow} "
            f"AND c.change_pct BETWEEN b.lo AND b.hi WHERE c.change_pct IS NOT NULL) "
            f"OR rowid IN (SELECT c.rowid FROM temp.outside_flows b JOIN claims c ON {same_flow} "
            "WHERE c.qualifier IS NOT NULL))", self.named).fetchall()
        at = [0] + [1 + CLAIM_FIELDS.index(f) for f in ("exporter", "importer", "period", "value", "change_pct",
                                                        "per", "qualifier")]
        rowids = self.rowids
        wanted = [row for row in rows if row[0] not in rowids and _may_meet(tuple(row[n] for n in at), targets)]
        rowids.update(row[0] for row in wanted)
        return _claims_of_rows(row[1:] for row in _in_load_order(wanted))

    def _claims_by_rowid(self, db, same_flow: str, targets: dict) -> list:
        """`_claims` for a claims table without every column of `Claim` (an old database)."""
        found = db.execute(
            "SELECT rowid, exporter, importer, period, value, change_pct, per, qualifier FROM claims WHERE "
            f"rowid IN (SELECT c.rowid FROM temp.outside_levels b JOIN claims c ON {same_flow} "
            f"AND c.value BETWEEN b.lo AND b.hi WHERE c.value IS NOT NULL AND {self.others}) "
            f"OR rowid IN (SELECT c.rowid FROM temp.outside_changes b JOIN claims c ON {same_flow} "
            f"AND c.change_pct BETWEEN b.lo AND b.hi WHERE c.change_pct IS NOT NULL AND {self.others}) "
            f"OR rowid IN (SELECT c.rowid FROM temp.outside_flows b JOIN claims c ON {same_flow} "
            f"WHERE c.qualifier IS NOT NULL AND {self.others})", self.named * 3).fetchall()
        wanted = [row[0] for row in found if row[0] not in self.rowids and _may_meet(row, targets)]
        self.rowids.update(wanted)
        db.execute("CREATE TEMP TABLE IF NOT EXISTS outside_rows (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM temp.outside_rows")
        db.conn.executemany("INSERT INTO temp.outside_rows VALUES (?)", [(n,) for n in wanted])
        return _claims_in(db, "rowid IN (SELECT id FROM temp.outside_rows)")

    def _place(self, ctx, claims: list) -> None:
        """Place new claims as the reconciler does, their articles grouped among themselves by
        the agencies their claims name (not by their texts, which are not read), and let `ctx`
        name their sources."""
        new = _articles_without_text(self.db, {c.article_id for c in claims if c.article_id} - self.article_ids)
        self.article_ids.update(a.id for a in new)
        groups = source_groups(new, claims, self.vocab, self.sources)
        for aid, group in groups.group_of.items():
            self.groups.group_of.setdefault(aid, group)
        for gid, label in groups.label_of_group.items():
            self.groups.label_of_group.setdefault(gid, label)
            ctx.groups.label_of_group.setdefault(gid, label)
        for article in new:
            ctx.articles.setdefault(article.id, article)
        cells, _ = place_claims(claims, self.commodities, self.groups, {})
        held = []
        for cell in cells.values():
            flow = (cell.line[0], cell.line[1], cell.period)
            levels = cell.reported_levels()
            self.by_flow.setdefault((*flow, "level", None), []).extend(levels)
            held += levels
            for x in cell.changes.values():
                if x.modality == "reported":
                    self.by_flow.setdefault((*flow, "change", x.basis), []).append(x)
                    held.append(x)
        wrong, candidates = _held_wrong(self.db, sorted({cell.key for cell in cells.values()}))
        quoted = {id(x): (x.text(), tuple(x.claim_ids)) for x in held}
        self.wrong |= {i for i, q in quoted.items() if q in wrong}
        self.candidates |= {i for i, q in quoted.items() if q in candidates or q in wrong}


CLAIM_FIELDS = [f.name for f in dataclass_fields(Claim)]


def _claims_in(db, where: str, params: Iterable = ()) -> list[Claim]:
    """The claims `where` selects, as `store.load_claims` gives them (in its order, one object
    per distinct text), the columns asked for in the order of `Claim`'s fields."""
    if not set(CLAIM_FIELDS) <= set(db["claims"].columns_dict):
        return store.load_claims(db, where, params)
    return _claims_of_rows(db.execute(f"SELECT {', '.join(CLAIM_FIELDS)} FROM claims WHERE {where} "
                                      "ORDER BY article_id, start, figure_start", list(params)))


def _claims_of_rows(rows: Iterable) -> list[Claim]:
    """Claims of rows holding `Claim`'s fields in order, one object per distinct text."""
    inferred_at = CLAIM_FIELDS.index("inferred")
    texts = [n for n, name in enumerate(CLAIM_FIELDS) if name not in ("id", "inferred")]
    shared: dict = {}
    decoded: dict = {}
    out = []
    for row in rows:
        args = list(row)
        for n in texts:
            v = args[n]
            if v.__class__ is str:
                args[n] = shared.setdefault(v, v)
        raw = args[inferred_at]
        found = decoded.get(raw)
        if found is None:
            found = decoded[raw] = decode_inferred(raw)
        args[inferred_at] = found
        out.append(Claim(*args))
    return out


_LOAD_ORDER = [1 + CLAIM_FIELDS.index(f) for f in ("article_id", "start", "figure_start")]


def _in_load_order(rows: list) -> list:
    """Rows (rowid, then `Claim`'s fields) in the order `_claims_in` gives: its ORDER BY as
    SQLite sorts (NULL, then numbers, then text), ties in rowid order, as its sort of rows
    read by rowid leaves them."""
    return sorted(rows, key=lambda row: (*(_sql_order(row[n]) for n in _LOAD_ORDER), row[0]))


def _sql_order(value) -> tuple:
    """A sort key ordering values as SQLite's ORDER BY does: NULL, numbers, text, blobs."""
    if value is None:
        return (0,)
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, value) if isinstance(value, str) else (3, value)


def _articles_without_text(db, ids: set) -> list:
    """The articles with these ids, in `store.load_articles_by_id` order, their texts left out."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS outside_articles (id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM temp.outside_articles")
    db.conn.executemany("INSERT INTO temp.outside_articles VALUES (?)", [(i,) for i in ids])
    rows = db.execute("SELECT id, url, title, published, feed, sitename, fingerprint FROM articles "
                      "WHERE id IN (SELECT id FROM temp.outside_articles)").fetchall()
    out = [Article(url=url, text="", title=title, published=published, feed=feed, sitename=sitename,
                   fingerprint=fingerprint, id=aid) for aid, url, title, published, feed, sitename, fingerprint in rows]
    out.sort(key=lambda a: (a.published is not None, a.published or "", a.id))
    return out


def _may_meet(row: tuple, targets: dict) -> bool:
    """Whether a fetched claim (rowid, exporter, importer, period, value, change_pct, per,
    qualifier) can meet one of the intervals `targets` holds for its flow and period: its
    change or qualifier always may (the bands were exact for them), its value if its reach does."""
    _, exporter, importer, period, value, change, per, qualifier = row
    if change is not None or qualifier is not None or value is None:
        return True
    lo, hi = _value_reach(value)
    if per == "month":
        months = targets.get(("months", period), 1)
        lo, hi = lo * months, hi * months
    spans = targets.get((exporter, importer, period))
    if not spans:
        return False
    n = bisect.bisect_right(spans[0], hi * (1 + PAD) + PAD)
    return n > 0 and spans[1][n - 1] >= lo * (1 - PAD) - PAD


@functools.lru_cache(maxsize=1 << 16)  # most values recur (claims of one figure), the Decimal is dear
def _value_reach(value: float) -> tuple[float, float]:
    """An interval holding every one a plain claim of this value can stand for, whatever its
    sentence: half a unit of its last significant digit around it (precision.py), that digit
    read to nine digits, as a thousand times 1.1 is 1,100.0000000000002."""
    if not value:
        return -0.5, 0.5
    exponent = Decimal(f"{abs(value):.9g}").normalize().as_tuple().exponent
    half = 0.5 * 10.0 ** exponent
    return value - half, value + half


def _held_wrong(db, keys: list[str]) -> tuple[set, set]:
    """The readings the stored findings of these series hold wrong, as (figure, claim ids)
    the way findings quote them: those of findings with one answer, and those of ties."""
    wrong, candidates = set(), set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        for tied, figure, ids in db.execute(
                "SELECT json_extract(f.arithmetic, '$.tied'), json_extract(s.value, '$.figure'), "
                "json_extract(s.value, '$.claim_ids') FROM findings f, json_each(f.arithmetic, '$.suspects') s "
                f"WHERE f.series IN ({','.join('?' * len(chunk))})", chunk):
            (candidates if tied else wrong).add((figure, tuple(json.loads(ids))))
    return wrong, candidates


def _bands(readings: list) -> tuple[list, list, list]:
    """Rows (exporter, importer, period, lo, hi) of the values and of the changes a claim of
    another commodity of the same flow and period needs to meet one of `readings`, merged, and
    their (exporter, importer, period); periods as the readings' claims write them."""
    values: dict = {}
    changes: dict = {}
    targets: dict = {}  # flow -> the readings' intervals; ("months", period) -> its months
    for r in readings:
        lo, hi = r.interval
        for period in {it.claim.period for it in r.items}:
            flow = (r.line[0], r.line[1], period)
            if r.kind == "level":
                bands = values.setdefault(flow, [])
                bands += _value_bands(lo, hi)
                months = r.period.months
                targets.setdefault(flow, []).append((lo, hi))
                targets[("months", period)] = months
                if months > 1:  # a monthly rate of the period: its total meets the figure
                    bands += _value_bands(lo / months, hi / months)
            else:
                changes.setdefault(flow, []).extend(_change_bands(lo, hi))
    level_rows = [(*flow, lo, hi) for flow, bands in values.items() for lo, hi in _merged(bands)]
    change_rows = [(*flow, lo, hi) for flow, bands in changes.items() for lo, hi in _merged(bands)]
    for flow, spans in list(targets.items()):
        if flow[0] != "months":
            merged = _merged(spans)
            targets[flow] = ([lo for lo, _ in merged], [hi for _, hi in merged])
    return level_rows, change_rows, list({**values, **changes}), targets


def _value_bands(lo: float, hi: float) -> list[tuple[float, float]]:
    """Values a claim of another commodity (not qualified) may have to meet [lo, hi]: within
    CLOSE of it (four or more significant digits), or a multiple of a power of ten near it,
    whose last digit's half unit reaches it."""
    if hi == INF:
        return [(lo / 2 - 1 if lo > 0 else -INF, INF)]
    if lo <= 1:
        return [(min(-1.0, 2 * lo), 2 * hi + 1)]
    out = [(lo / (1 + CLOSE) * (1 - PAD), hi / (1 - CLOSE) * (1 + PAD))]
    # a figure u meeting [lo, hi] lies in [2 lo / 3, 2 hi] (its half unit is at most u / 2)
    for k in range(math.floor(math.log10(lo)) - 3, math.floor(math.log10(2 * hi)) + 1):
        step = 10.0 ** k
        first, last = math.ceil((lo - step / 2) / step), math.floor((hi + step / 2) / step)
        if last - first > 3:
            out.append(((lo - step / 2) * (1 - PAD), (hi + step / 2) * (1 + PAD)))
            continue
        for n in range(first, last + 1):
            u = float(f"{n}e{k}")
            out.append((u * (1 - PAD), u * (1 + PAD)))
    return out


def _change_bands(lo: float, hi: float) -> list[tuple[float, float]]:
    """Changes of another commodity (not qualified) that may meet [lo, hi]: within half a
    point of it, or a round hundred within fifty."""
    if lo == -INF or hi == INF:
        return [(-INF, INF)]
    pad = PAD * max(1.0, abs(lo), abs(hi))
    out = [(lo - 0.5 - pad, hi + 0.5 + pad)]
    first, last = math.ceil((lo - 50) / 100), math.floor((hi + 50) / 100)
    hundreds = [n * 100.0 for n in range(first, last + 1) if abs(n) >= 2]
    if len(hundreds) > 3:
        out.append((lo - 50 - pad, hi + 50 + pad))
    else:
        out += [(u - pad, u + pad) for u in hundreds]
    return out


def _merged(bands: list) -> list[tuple[float, float]]:
    out: list = []
    for lo, hi in sorted(bands):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]

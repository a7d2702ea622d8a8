"""Reconcile incrementally: after a batch, only the series its new claims touch, again.

A thin layer over `reconcile.reconcile`. Every check the reconciler makes stays inside one
commodity *family*: the names that can be read as one commodity (aliases, spellings close
enough for its fuzzy match, which depends on the names seen before), joined by the scopes of
models/commodity_scopes.jsonl (a narrower commodity is compared with the wider one). So the
claims of the families the batch touched (new claims, and the claims its re-read articles
lost) are reconciled on their own, and their checks and series replace those families' rows
in the store; every other family's checks stand.

The result is a full reconcile's for those families as long as the source groups of their
articles are (which articles are copies of each other, or share a wire origin, and the labels
naming them): those are worked out from the articles of the family's claims. When a family
holds most of the claims, a stored check names a commodity this cannot place, or a person
reviewed a claim of one of the families' articles, everything is reconciled.
"""
from __future__ import annotations

import gc
from typing import Iterable, Optional

from rapidfuzz import fuzz, process

from extractor import reconcile, store
from extractor.reconcile.names import _SPACES, COMMODITY_CUTOFF, CommodityNames, commodity_key
from extractor.reconcile.vocab import load_vocab

FULL_SHARE = 0.5  # a scope with more of the claims than this is reconciled as a whole
UNKNOWN = "unknown commodity"  # what the reconciler calls a claim without a commodity


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

    with store.snapshot(db):  # the claims and the change count they stand for, read together
        mark = store.stale_mark(db)
        names = distinct_values(db, "claims", "commodity")
        total = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        scope_claims = _scope(db, names, total, touched)
    if scope_claims is None:
        pipeline.reconcile_db(db)
        return {"scope": "all", "claims": total}
    families, scope, old_checks, claims, articles, series_keys = scope_claims
    result = reconcile.reconcile(claims, articles)
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
    claims = store.load_claims(db, where, named)
    articles = store.load_articles_by_id(db, {c.article_id for c in claims if c.article_id})
    reviewed = {r["article_url"] for r in store.load_reviews(db)}
    if not reviewed.isdisjoint(a.url for a in articles):  # a person's review may match across
        return None  # families (a corrected commodity): those are applied by a full reconcile
    series_keys = _series_in(db, families, scope)
    return families, scope, old_checks, claims, articles, series_keys


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

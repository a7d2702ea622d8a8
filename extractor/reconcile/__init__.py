"""Reconcile stage: rounding-aware cross-checks of the stored claims.

`reconcile(claims, articles)` is pure: it groups claims into series (exporter, importer,
canonical commodity, period), turns every figure into the interval it was rounded from, works
out which claims are independent, and records checks (same_figure, implied_value,
stated_change, aggregate, label, unverifiable) with their arithmetic, one summary per series,
and the findings: one per wrong figure, its likely cause named (findings.py, causes.py).
"""
from __future__ import annotations

import gc
import hashlib
from typing import Optional

from extractor.reconcile.causes import Outside
from extractor.reconcile.check_aggregate import check_aggregates
from extractor.reconcile.check_change import check_changes
from extractor.reconcile.check_label import check_labels
from extractor.reconcile.check_ranking import check_rankings
from extractor.reconcile.check_same import check_same_figures
from extractor.reconcile.context import Context
from extractor.reconcile.coverage import record_uncovered
from extractor.reconcile.explain import explain
from extractor.reconcile.findings import find_findings
from extractor.reconcile.names import CommodityNames, SourceNames
from extractor.reconcile.records import Reconciliation, SeriesSummary
from extractor.reconcile.series import place_claims
from extractor.reconcile.sources import source_groups
from extractor.reconcile.summary import summarise
from extractor.reconcile.tiebreak import break_ties
from extractor.reconcile.vocab import load_vocab
from extractor.types import Article, Check, Claim

__all__ = ["Outside", "Reconciliation", "SeriesSummary", "explain", "reconcile"]


def check_id(check: Check) -> str:
    """A stable id: the same check on the same claims gets the same id on every run."""
    raw = "\x1f".join((check.kind, check.verdict, check.series, check.explanation,
                       ",".join(sorted(check.claim_ids))))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def reconcile(claims: list[Claim], articles: list[Article],
              confirmed: frozenset = frozenset(), outside: Optional[Outside] = None) -> Reconciliation:
    """Checks, series summaries and findings over `claims` (any subset: a series and its
    neighbours is enough). `confirmed` are ids of claims a person confirmed (never held wrong);
    `outside`, figures of other commodity families the causes of findings may point to."""
    # Millions of small objects and no reference cycles: the cyclic collector would rescan
    # them again and again (quadratic in effect), so it is paused for the duration.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _reconcile(claims, articles, confirmed, outside)
    finally:
        if was_enabled:
            gc.enable()


def _reconcile(claims: list[Claim], articles: list[Article], confirmed: frozenset,
               outside: Optional[Outside]) -> Reconciliation:
    vocab = load_vocab()
    commodities, sources = CommodityNames(vocab), SourceNames(vocab)
    groups = source_groups(articles, claims, vocab, sources)
    texts = {a.id: a.text for a in articles if a.text}
    cells, unplaced = place_claims(claims, commodities, groups, texts)
    break_ties(cells)
    ctx = Context(cells, groups, {a.id: a for a in articles}, vocab, outside=outside)
    check_same_figures(ctx)
    check_changes(ctx)
    check_aggregates(ctx)
    check_rankings(ctx)
    check_labels(ctx)
    record_uncovered(ctx, unplaced)
    for check in ctx.checks:  # kind+series+claims can coincide (a level and a change check)
        check.id = check_id(check)
    unique = list({check.id: check for check in ctx.checks}.values())
    ctx.checks = unique
    return Reconciliation(checks=unique, series=summarise(ctx), findings=find_findings(ctx, confirmed))

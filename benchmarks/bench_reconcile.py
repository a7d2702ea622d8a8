"""Reconcile N generated claims (default one million) and report time and peak memory.

    .venv/bin/python -m benchmarks.bench_reconcile [--claims N] [--seed S] [--db PATH] [--stages]

With --db, the claims are stored in the SQLite database PATH (once: an existing file is reused)
and the end-to-end `pipeline.reconcile_db` is timed instead: load, reconcile, write the checks.

The claims come from one true series per (exporter, importer, commodity) and month, reported by
many articles with newsroom rounding (whole tonnes, one decimal, "1.2 thousand tonnes"), month-on-
month changes, yearly totals and monthly rates, destinations and world totals, and a share of
wire copies (near-duplicate texts) and deliberate errors, so every check kind runs at scale.
With --stages, the CPU time of each stage of `reconcile()` is printed too.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time
from collections import Counter

import extractor.reconcile as reconcile_module
from extractor.reconcile import reconcile
from extractor.types import Article, Claim

EXPORTERS = ["CN", "AU", "BR", "US", "RU", "ID", "CA", "ZA"]
IMPORTERS = ["WLD", "US", "JP", "DE", "KR", "IN", "VN", "NL", "FR", "GB", "IT", "MX"]
COMMODITIES = ["rare earth magnets", "rare earths", "iron ore", "soybeans", "coal", "copper",
               "gallium", "graphite", "crude oil", "wheat", "corn", "lithium", "nickel", "tin"]
VARIANTS = {"rare earth magnets": "rare-earth magnets", "soybeans": "soybean", "iron ore": "iron-ore"}
MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
CLAIMS_PER_ARTICLE = 20
FILLER = ("markets", "officials", "said", "shipments", "demand", "policy", "prices", "week",
          "analysts", "expected", "quarter", "port", "buyers", "supply", "talks", "tariffs",
          "factories", "orders", "traders", "customs", "data", "showed", "rose", "slowed")


def truth_table(rng: random.Random) -> dict:
    """True monthly tonnages; destinations share out the world total."""
    truth = {}
    for e in EXPORTERS:
        for c in COMMODITIES:
            base = rng.uniform(500, 80_000)
            shares = [rng.uniform(0.02, 0.12) for _ in IMPORTERS[1:]]
            for i, month in enumerate(MONTHS):
                world = base * (1 + 0.3 * rng.random()) * (1 + 0.01 * i)
                truth[(e, "WLD", c, month)] = world
                for imp, share in zip(IMPORTERS[1:], shares):
                    truth[(e, imp, c, month)] = world * share * (0.9 + 0.2 * rng.random())
    return truth


def report(x: float, rng: random.Random) -> tuple[float, str]:
    style = rng.random()
    if style < 0.6:
        return float(round(x)), f"{round(x):,}"
    if style < 0.9 or x < 1000:
        v = round(x, 1)
        return v, f"{v:,.1f}"
    v = round(x / 1000, 1)
    return v * 1000, f"{v:,.1f} thousand"


def generate(n: int, seed: int = 7) -> tuple[list[Claim], list[Article]]:
    rng = random.Random(seed)
    truth = truth_table(rng)
    keys = list(truth)
    claims: list[Claim] = []
    articles: list[Article] = []
    n_articles = max(1, n // CLAIMS_PER_ARTICLE)
    for a in range(n_articles):
        aid = f"art{a:07d}"
        sentences = []
        for k in range(CLAIMS_PER_ARTICLE):
            if len(claims) >= n:
                break
            e, imp, c, month = keys[rng.randrange(len(keys))]
            x = truth[(e, imp, c, month)]
            value, lit = report(x, rng)
            commodity = VARIANTS.get(c, c) if rng.random() < 0.2 else c
            change = basis = None
            per = None
            period = month
            kind = rng.random()
            if kind < 0.3 and month != MONTHS[0]:
                prev = MONTHS[MONTHS.index(month) - 1]
                digits = rng.choice((0, 1))
                change = round((x / truth[(e, imp, c, prev)] - 1) * 100, digits)
                change_lit = f"{change:.{digits}f}"
                basis = "mom"
            elif kind < 0.34 and imp == "WLD":
                year = month[:4]
                total = sum(truth[(e, imp, c, f"{year}-{m:02d}")] for m in range(1, 13))
                if rng.random() < 0.5:
                    value, lit, period = float(round(total)), f"{round(total):,}", year
                else:
                    value, period, per = float(round(total / 12)), year, "month"
                    lit = f"{round(total / 12):,}"
            if rng.random() < 0.001:  # a misprint: transposed or shifted digits
                value *= 1.1
                lit = f"{value:,.1f}"
            sentence = (f"Exports of {commodity} from {e} to {imp} reached {lit} tonnes"
                        + (" a month" if per else "") + f" in {period}"
                        + (f", a change of {change_lit}% on the month" if change is not None else "") + ".")
            claims.append(Claim(
                article=aid, sentence=sentence, start=0, end=len(sentence), period=period,
                exporter=e, importer=imp, commodity=commodity, value=value, unit="t",
                change_pct=change, change_basis=basis, per=per, article_id=aid,
                id=f"c{len(claims):08d}",
            ))
            sentences.append(sentence)
        wire = rng.random() < 0.05 and articles
        if wire:  # a copy of an earlier article's text, lightly edited
            text = articles[rng.randrange(len(articles))].text.replace("reached", "totalled", 1)
        else:
            lead = " ".join(rng.choice(FILLER) for _ in range(30))
            text = f"Trade report {a}. {lead}. " + " ".join(sentences)
        articles.append(Article(url=f"https://site{a % 997}.example/{aid}", text=text,
                                title=f"Trade report {a}", published="2026-01-15",
                                sitename=f"site{a % 997}", id=aid, fingerprint=f"fp{a}"))
        if len(claims) >= n:
            break
    return claims, articles


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", help="time pipeline.reconcile_db over a SQLite file holding the claims")
    ap.add_argument("--stages", action="store_true", help="print the CPU time of each stage of reconcile()")
    args = ap.parse_args(argv)
    if args.db:
        return db_path(args.db, args.claims, args.seed)
    stages = _stage_timers() if args.stages else {}
    t0 = time.perf_counter()
    claims, articles = generate(args.claims, args.seed)
    generated_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    t1, c1 = time.perf_counter(), time.process_time()
    result = reconcile(claims, articles)
    t2, cpu = time.perf_counter(), time.process_time() - c1
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    verdicts = Counter(c.verdict for c in result.checks)
    kinds = Counter(c.kind for c in result.checks)
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {sys.version.split()[0]}")
    print(f"claims: {len(claims):,}  articles: {len(articles):,}  series: {len(result.series):,}")
    print(f"checks: {len(result.checks):,}  by verdict: {dict(verdicts)}")
    print(f"by kind: {dict(kinds)}")
    print(f"findings: {len(result.findings):,}  by kind: {dict(Counter(f.kind for f in result.findings))}  "
          f"by cause: {dict(Counter(f.cause for f in result.findings))}")
    print(f"generate: {t1 - t0:.1f} s  reconcile: {t2 - t1:.1f} s (CPU {cpu:.1f} s)  load average before: {load}")
    print(f"peak RSS: {peak_kib / 1024:.0f} MiB (of which the generated input: "
          f"{generated_kib / 1024:.0f} MiB)")
    if stages:
        spent = {name: sum(t) for name, t in stages.items()}
        rest = cpu - sum(spent.values())
        print("stages, CPU s: " + "  ".join(f"{name} {t:.1f}" for name, t in spent.items())
              + f"  the rest {rest:.1f}")
    return 0


# The stages `reconcile()` calls by these names, in its order; `check_id` runs once per check.
STAGES = ("source_groups", "place_claims", "break_ties", "check_same_figures", "check_changes",
          "check_aggregates", "check_rankings", "check_labels", "record_uncovered", "check_id",
          "summarise", "find_findings")


def _stage_timers() -> dict:
    """Wrap each stage of reconcile() so its CPU time is recorded in a list of its own."""
    return {name: _timed(reconcile_module, name, clock=time.process_time) for name in STAGES}


def db_path(path: str, n: int, seed: int) -> int:
    """Store the generated claims in `path` (unless it exists) and time reconcile_db over it."""
    import os

    from extractor import pipeline, store

    if not os.path.exists(path):
        claims, articles = generate(n, seed)
        by_article: dict = {}
        for claim in claims:
            by_article.setdefault(claim.article_id, []).append(claim)
        db = store.open_db(path)
        t0 = time.perf_counter()
        for i in range(0, len(articles), 5000):
            store.save_articles(db, [(a, by_article.get(a.id, [])) for a in articles[i:i + 5000]])
        print(f"stored {len(claims):,} claims in {path}: {time.perf_counter() - t0:.1f} s "
              f"(run again to time reconcile_db alone)")
        return 0
    db = store.open_db(path)
    steps = {}
    for name in ("load_claims", "load_articles", "replace_reconciliation"):
        steps[name] = _timed(store, name)
    steps["reconcile"] = _timed(pipeline.reconcile, "reconcile")
    t0 = time.perf_counter()
    result = pipeline.reconcile_db(db)
    total = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"machine: {platform.machine()} python {sys.version.split()[0]}")
    print(f"checks: {len(result.checks):,}  series: {len(result.series):,}  findings: {len(result.findings):,}")
    print("  ".join(f"{name}: {sum(t):.1f} s" for name, t in steps.items()))
    print(f"reconcile_db: {total:.1f} s  peak RSS: {peak_kib / 1024:.0f} MiB")
    return 0


def _timed(module, name: str, clock=time.perf_counter) -> list:
    """Wrap module.name so its time (by `clock`) is recorded in the returned list."""
    spent: list = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        t0 = clock()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(clock() - t0)

    setattr(module, name, wrapper)
    return spent


if __name__ == "__main__":
    raise SystemExit(main())

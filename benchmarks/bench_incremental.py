"""Incremental reconcile: a batch of new claims into a big claims database, against a full one.

    .venv/bin/python -m benchmarks.bench_incremental [--claims 5000000] [--new 20000]
                                                     [--families 2] [--db PATH] [--full]

The database (built once at PATH and reused) holds `--claims` claims of
benchmarks/bench_reconcile.py's generator, spread over 200 commodities of the taxonomy
(models/commodities.jsonl) instead of 14, so a commodity family holds a realistic share of the
claims. Up to a million claims it is reconciled in full once; a bigger one (a full reconcile of
5 million claims takes most of an hour and ~9 GB here) gets the real checks of 20 families,
those the batch touches among them, and placeholder rows for the others so the checks table
has its real size (about 0.2 checks a claim). Each generated article is about one commodity. The batch: `--new` claims in
new articles about `--families` commodities (a topical batch, as a newsroom's archive or a
day's stories on one market), stored with the collector's writer (whose `touched` set names
their commodities), then `incremental.reconcile_touched` is timed: reading the touched
families' claims, reconciling them, replacing their checks and series. `--full` also times
`pipeline.reconcile_db` over the same database. The batch reports the true figures the database
was built from, rounded as the generator rounds (as most new stories repeat figures already
reported), except a share `--conflicting` of them (default 0.05) taken from another draw of the
generator's true figures, so each of those conflicts with the stored ones. Reconciled, the gold
claims of ../shared/realnews hold 5.3 % of them wrong in a conflict finding (30 of 565), so 5 %
is a realistic batch; `--conflicting 1` is the worst case (every figure of the batch
conflicts, a finding nearly every series it touches) and `--conflicting 0` a batch that only
agrees (`--agree` is its old name). Goal: 20,000 new claims into 5 million <= 5 s.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_reconcile as gen  # noqa: E402

GOAL_SECONDS = 5.0
FULL_BUILD = 1_000_000  # databases up to this size are reconciled in full when built
RECONCILED_FAMILIES = 20  # above it: these families really, placeholder rows for the others
BUILD_SEED = 7  # of the stored claims' true figures


def commodities(count: int) -> list[str]:
    names = []
    with open(ROOT / "models" / "commodities.jsonl", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            name = row.get("name") or row.get("canonical")
            if name and name not in names:
                names.append(name)
    return names[:count]


def articles_of(first: int, count: int, rng: random.Random, truth: dict, keys: list, tag: str,
                other: Optional[dict] = None, conflicting: float = 0.0):
    """`count` generated articles (20 claims each) from article number `first` on; each is about
    one commodity, as trade stories are (bench_reconcile's articles mix 20 at random, which
    would put a quarter of all articles in every family). With `other`, a share `conflicting`
    of the figures is reported from it instead of `truth`."""
    from extractor.types import Article, Claim

    by_commodity: dict = {}
    for key in keys:
        by_commodity.setdefault(key[2], []).append(key)
    goods = sorted(by_commodity)
    out = []
    for a in range(first, first + count):
        aid = f"{tag}{a:08d}"
        claims, sentences = [], []
        mine = by_commodity[goods[rng.randrange(len(goods))]]
        for k in range(gen.CLAIMS_PER_ARTICLE):
            e, imp, c, month = mine[rng.randrange(len(mine))]
            source = other if other is not None and rng.random() < conflicting else truth
            value, lit = gen.report(source[(e, imp, c, month)], rng)
            sentence = f"Exports of {c} from {e} to {imp} reached {lit} tonnes in {month}."
            claims.append(Claim(article=aid, sentence=sentence, start=0, end=len(sentence), period=month,
                                exporter=e, importer=imp, commodity=c, value=value, unit="t", article_id=aid,
                                id=f"{aid}-{k:02d}"))
            sentences.append(sentence)
        text = f"Trade report {aid}. " + " ".join(sentences)
        out.append((Article(url=f"https://site{a % 997}.example/{aid}", text=text, title=f"Trade report {aid}",
                            published="2026-01-15", sitename=f"site{a % 997}", id=aid, fingerprint=f"fp{aid}"),
                     claims))
    return out


def build(path: Path, n: int, names: list[str]) -> None:
    from extractor import pipeline, store

    gen.COMMODITIES[:] = names
    rng = random.Random(BUILD_SEED)
    truth = gen.truth_table(rng)
    keys = list(truth)
    db = store.open_db(path)
    started = time.perf_counter()
    per_batch = 5000
    for first in range(0, n // gen.CLAIMS_PER_ARTICLE, per_batch):
        store.save_articles(db, articles_of(first, per_batch, rng, truth, keys, "art"))
    stored = time.perf_counter() - started
    started = time.perf_counter()
    if n <= FULL_BUILD:
        pipeline.reconcile_db(db)
        how = "reconciled in full"
    else:  # see the module's docstring: real checks for some families, placeholders for the rest
        from extractor import incremental

        incremental.reconcile_touched(db, names[:RECONCILED_FAMILIES])
        _placeholder_checks(db, names[RECONCILED_FAMILIES:], n)
        how = f"{RECONCILED_FAMILIES} families reconciled, placeholder checks for the others"
    print(f"built {path}: {db['claims'].count:,} claims stored in {stored:.0f} s, {how} in "
          f"{time.perf_counter() - started:.0f} s; {db['checks'].count:,} checks")


def _placeholder_checks(db, names: list[str], n: int) -> None:
    """Rows of the checks and series tables for the families not reconciled, as many as a full
    reconcile makes (about 0.2 checks and 0.1 series a claim), so the tables an incremental
    reconcile searches have their real size. Their content is not read by the benchmark."""
    from extractor import store
    from extractor.types import Check

    per = max(1, int(0.2 * n / max(1, len(names))))
    with store.writing(db):
        for name in names:
            checks = [Check("unverifiable", "unverifiable", f"CN>US {name} 2025-{1 + i % 12:02d}", [f"x{i}"],
                            "placeholder", {}, id=f"ph-{name}-{i}") for i in range(per)]
            store._insert_checks(db, checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=5_000_000)
    parser.add_argument("--new", type=int, default=20_000)
    parser.add_argument("--families", type=int, default=2)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench-incremental.db"))
    parser.add_argument("--full", action="store_true", help="also time a full reconcile")
    parser.add_argument("--conflicting", type=float, default=0.05,
                        help="share of the batch's figures drawn from another draw of the true figures, each "
                             "conflicting with the stored ones (default 0.05, about the share of real-news gold "
                             "claims held wrong; 1 is the worst case, 0 a batch that only agrees)")
    parser.add_argument("--agree", action="store_true", help="the same as --conflicting 0")
    parser.add_argument("--tag", help="prefix of the batch's article ids (default: one per run); a fixed tag "
                                      "gives the same batch, so two runs' results can be compared")
    args = parser.parse_args()

    from extractor import collect, incremental, pipeline, store

    names = commodities(200)
    if not args.db.exists():
        build(args.db, args.claims, names)
    db = store.open_db(args.db)
    total = db["claims"].count
    rng = random.Random(11)
    chosen = rng.sample(names[:RECONCILED_FAMILIES], args.families)
    conflicting = 0.0 if args.agree else args.conflicting
    gen.COMMODITIES[:] = chosen
    other = gen.truth_table(rng)  # another draw: its figures conflict with the stored ones
    gen.COMMODITIES[:] = names
    truth = gen.truth_table(random.Random(BUILD_SEED))  # the figures the database was built from
    keys = [key for key in truth if key[2] in chosen]
    tag = args.tag or f"new{int(time.time())}-"
    batch = articles_of(0, args.new // gen.CLAIMS_PER_ARTICLE, rng, truth, keys, tag, other, conflicting)
    summary = collect.Summary()
    writer = collect.Writer(db, summary, batch_size=500)
    started = time.perf_counter()
    for article, claims in batch:
        writer.add(_outcome(article, claims))
    writer.flush()
    stored = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    done = incremental.reconcile_touched(db, writer.touched)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# incremental reconcile: {summary.claims_stored:,} new claims ({len(batch):,} articles, commodities "
          f"{', '.join(chosen)}, {conflicting:.0%} of its figures conflicting) into {total:,} claims; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"stored the batch: {stored:.2f} s")
    print(f"reconcile_touched: {seconds:.2f} s, CPU {cpu:.2f} s  ({done['scope']}: {done.get('claims', 0):,} claims, "
          f"{done.get('families', 0)} families, {done.get('checks', 0):,} checks); peak RSS {peak:.0f} MiB")
    verdict = "met" if seconds <= GOAL_SECONDS else "NOT met"
    print(f"goal      <= {GOAL_SECONDS:.0f} s: {verdict}")
    if args.full:
        started = time.perf_counter()
        pipeline.reconcile_db(db)
        print(f"full reconcile_db of the same database: {time.perf_counter() - started:.1f} s")


def _outcome(article, claims):
    from extractor.sources import FileOrigin, Job
    from extractor.workers import Outcome

    job = Job(kind="capture", url=article.url, name=article.id, origin=FileOrigin(article.url))
    return Outcome(job, article=article, claims=claims)


if __name__ == "__main__":
    main()

"""Batch benchmark: CC-NEWS-like WARC shards through `extractor batch`, against trafilatura alone.

    .venv/bin/python -m benchmarks.bench_batch [--pages 4000] [--shards 8] [--trade 0.02] [--seed 0]
                                               [--skip-dask] [--keep DIR]

Shards: gzip WARC files of `--pages` response records, like a CC-NEWS day: `--trade` of them
trade stories (benchmarks/pages.py: the demo newsrooms' templates, figures in ten wordings),
the rest other news: the shared corpus's real news pages (../shared/corpus/html, read in place,
when it is there) and generated pages of the same newsroom templates whose bodies carry no
trade figure but plenty of numbers (scores, ages, prices, shares rising 3%).

Measured in this one run, on the same pages:
  * read: every record of the shards with warcio and with FastWARC (records/s);
  * prefilter: its cost per page and how many pages it skips;
  * trafilatura: `trafilatura.extract` on every page's HTML, one process (the reference);
  * batch: `batch.run_batch` into a fresh database, local engine with 1 and 2 processes, and
    on a Dask LocalCluster (loopback) with 1 and 2 workers: pages/s, wall and CPU;
  * no claim lost: the claims stored with the prefilter equal those of a run without it.
Goal: batch pages/s >= 10x trafilatura's, with no claim lost.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import pages as page_gen  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "html"
GOAL = 10.0

OTHER = [
    "The home side won {a}-{b} on Saturday in front of {n} fans, their {k}th win of the season.",
    "The mayor, {age}, said the new park would open in {month} after {k} years of planning.",
    "Shares of the carmaker rose {pct}% in early trading after it raised its outlook.",
    "Tickets cost ${price} and sold out within {k} hours, the organisers said.",
    "The museum's new wing covers {n} square metres and cost {price} million euros.",
    "Police said {k} people were taken to hospital; {a} of them were later released.",
    "The central bank left its benchmark rate at {pct}% for a {k}th consecutive meeting.",
    "The film took {price} million dollars in its opening weekend, down {pct}% on the first.",
    "Temperatures reached {a} degrees on Tuesday, the hottest day since {year}.",
    "The school, founded in {year}, now teaches {n} pupils in {k} classrooms.",
    "Voters backed the measure by {pct}% to {b}%, according to the final count.",
    "The band plays {k} dates in {month}, starting in the capital on the {a}th.",
]
HEADLINES = ["{k} things to know about the new stadium", "Council approves plan for {n} homes",
             "Storm leaves {n} without power", "Local team clinches title after {k}-year wait",
             "Festival returns for its {k}th year", "Opinion: what the election means for the city"]


def other_page(rng: random.Random, templates: dict) -> str:
    """A news page of a demo template whose body reports no trade figure."""
    import lxml.html

    values = lambda: {"a": rng.randint(1, 9), "b": rng.randint(0, 8), "n": f"{rng.randint(200, 90000):,}",  # noqa: E731
                      "k": rng.randint(2, 30), "age": rng.randint(30, 80), "pct": f"{rng.uniform(0.1, 9):.1f}",
                      "price": rng.randint(5, 400), "month": rng.choice(page_gen.MONTHS),
                      "year": rng.randint(1950, 2020)}
    html = page_gen.make_page(rng, templates)
    tree = lxml.html.fromstring(html)
    count = min(40, max(3, int(rng.lognormvariate(2.1, 0.6))))
    paragraphs = [" ".join(rng.choice(OTHER + page_gen.FILLER[:3]).format(**values())
                           for _ in range(rng.randint(1, 4))) for _ in range(count)]
    stem = next(s for s in page_gen.BODY if page_gen.BODY[s][0] and tree.xpath(page_gen.BODY[s][0]))
    page_gen._set_body(tree, stem, paragraphs, rng)
    page_gen._set_title(tree, rng.choice(HEADLINES).format(**values()))
    # A general newsroom's chrome: the templates' related links and teasers are trade stories
    # (they come from a trade desk), so they are retitled like the rest of the site.
    body = tree.xpath(page_gen.BODY[stem][0])[0]
    around = set(body.iterancestors()) | {body}
    for el in list(tree.iter()):
        if el.tag in TEASERS and el not in around and _tradeish(el.text_content()):
            for child in list(el):
                el.remove(child)
            el.text = rng.choice(HEADLINES).format(**values())
    return "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode")


TEASERS = {"a", "li", "h1", "h2", "h3", "h4", "p", "span", "div", "figcaption", "td"}


def _tradeish(text: str) -> bool:
    import re

    return bool(re.search(r"\d[\d,.]*[\s-]*(?:(?:thousand|million|billion)\s)?(?:tonnes?|tons?|t\b)|export|import|shipment", text, re.I))


def generate(out: Path, pages: int, shards: int, trade: float, seed: int) -> tuple[list[Path], dict]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    templates = page_gen.load_templates()
    corpus = sorted(CORPUS.rglob("*.html")) if CORPUS.exists() else []
    corpus_bytes = [p.read_bytes() for p in corpus]
    kinds = {"trade": 0, "corpus": 0, "generated": 0}
    paths, n = [], 0
    per_shard = -(-pages // shards)
    for s in range(shards):
        path = out / f"CC-NEWS-20251121{s:06d}-{s:05d}.warc.gz"
        with path.open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for _ in range(min(per_shard, pages - n)):
                roll = rng.random()
                if roll < trade:
                    body, kind = page_gen.make_page(rng, templates).encode(), "trade"
                elif corpus_bytes and roll < trade + (1 - trade) / 2:
                    body, kind = corpus_bytes[n % len(corpus_bytes)], "corpus"
                else:
                    body, kind = other_page(rng, templates).encode(), "generated"
                kinds[kind] += 1
                uri = f"https://news{n % 97}.example.com/{kind}/{n}"
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
                record.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>")
                record.rec_headers.replace_header("WARC-Date", "2025-11-21T10:00:00Z")
                writer.write_record(record)
                n += 1
        paths.append(path)
    return paths, kinds


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(func, *args, **kwargs):
    started, spent = time.perf_counter(), cpu()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - started, cpu() - spent


def claims_of(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT id, article_id, value, change_pct, commodity, period FROM claims"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=4000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--trade", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--keep", type=Path, help="write the shards here and keep them")
    args = parser.parse_args()

    from extractor import archives, batch, prefilter, workers

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    shards, kinds = generate(work, args.pages, args.shards, args.trade, args.seed)
    size = sum(p.stat().st_size for p in shards)
    print(f"# batch benchmark: {args.pages} pages in {len(shards)} gzip WARC shards ({size / 1e6:.1f} MB), "
          f"{kinds['trade']} trade stories, {kinds['corpus']} corpus pages, {kinds['generated']} generated other news; "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; load average before {os.getloadavg()[0]:.2f}")

    for reader in ("warcio", "fastwarc"):
        items, wall, spent = timed(lambda: [i for p in shards for i in archives.read_warc(p, reader=reader)])
        print(f"read {reader:<9} {len(items) / wall:9.0f} records/s  ({wall:.2f} s wall, {spent:.2f} s CPU)")
    payloads = [i.content for i in items]

    workers.warm_up()
    passed, wall, spent = timed(lambda: [prefilter.passes(raw) for raw in payloads])
    skipped = passed.count(False)
    print(f"prefilter           {1000 * spent / len(payloads):.3f} ms CPU a page; skips {skipped} of {len(payloads)} "
          f"pages ({100 * skipped / len(payloads):.1f}%); passes {passed.count(True)} "
          f"(trade stories in the shards: {kinds['trade']})")

    import trafilatura

    _, wall, spent = timed(lambda: [trafilatura.extract(raw) for raw in payloads])
    reference = len(payloads) / wall
    print(f"trafilatura.extract {reference:9.1f} pages/s  ({wall:.2f} s wall, {spent:.2f} s CPU, "
          f"{1000 * spent / len(payloads):.2f} ms CPU a page)")

    runs = [("local", 1), ("local", 2)] + ([] if args.skip_dask else [("dask", 1), ("dask", 2)])
    results, results_rate = {}, {}
    for engine, count in runs:
        db = work / f"{engine}-{count}.db"
        summary, wall, spent = timed(batch.run_batch, shards, db, engine_name=engine, workers_count=count)
        results[(engine, count)] = claims_of(db)
        rate = summary.pages / wall
        results_rate[(engine, count)] = rate
        print(f"batch {engine:<5} x{count}      {rate:9.1f} pages/s  ({wall:.2f} s wall, {spent:.2f} s CPU here; "
              f"{summary.articles_stored} stored, {summary.prefiltered} skipped, {len(results[(engine, count)])} claims)"
              f"  = {rate / reference:.1f}x trafilatura")
    plain = work / "no-prefilter.db"
    _, wall, _ = timed(batch.run_batch, shards, plain, workers_count=2, use_prefilter=False)
    lost = set(claims_of(plain)) - set(results[("local", 2)])
    same = all(found == results[("local", 1)] for found in results.values())
    print(f"no prefilter x2     {args.pages / wall:9.1f} pages/s  ({wall:.2f} s wall); claims lost by the prefilter: "
          f"{len(lost)}; every engine stored the same claims: {same}")
    two = results_rate.get(("local", 2))
    if two:
        verdict = "met" if two / reference >= GOAL and not lost else "NOT met"
        print(f"goal      batch x2 >= {GOAL:.0f}x trafilatura.extract with no claim lost: {verdict} "
              f"({two / reference:.1f}x, {len(lost)} lost)")
    print(f"load average after {os.getloadavg()[0]:.2f} (other programs on the cores slow the wall figures)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Memory benchmark: peak RSS of `extractor ingest` for many small files and for one long text.

    .venv/bin/python -m benchmarks.bench_memory [--small 1000 10000] [--long-mb 20] [--workers 1]

Each case runs `pipeline.ingest` (what `extractor ingest` does: read, text, claims, store,
reconcile) in a fresh interpreter on generated input and reports that process's peak RSS, its
peak before the reconcile (which holds every claim and check of the database) and, with
workers, the largest worker's. Cases:
  * small N  — N tiny article files (about 600 bytes each, one trade figure) in one folder;
  * long M   — one plain-text file of M MB on a single line (no paragraph breaks at all),
               trade sentences among filler.
Goal: the peak for 10,000 small files within 10% of the peak for 1,000 (streaming: memory does
not grow with the number of files), and the long file's peak a small multiple of its size.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ["Japan", "Germany", "India", "Brazil", "Vietnam", "Mexico", "Canada", "France"]
MONTHS = ["January", "February", "March", "April", "May", "June"]

RUNNER = """
import json, resource, sys
from pathlib import Path
from extractor import pipeline
before = {}
reconcile_db = pipeline.reconcile_db
def measured(db):
    before["mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return reconcile_db(db)
pipeline.reconcile_db = measured
summary = pipeline.ingest([Path(sys.argv[1])], Path(sys.argv[2]), workers=int(sys.argv[3]))
print(json.dumps({
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "before_reconcile_mb": before.get("mb", 0.0),
    "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "stored": summary.articles_stored, "claims": summary.claims_stored,
    "failures": [f.reason for f in summary.failures][:3],
}))
"""


def sentence(n: int) -> str:
    return (f"China exported {1000 + n % 9000:,} tonnes of copper to {COUNTRIES[n % len(COUNTRIES)]} "
            f"in {MONTHS[n % len(MONTHS)]} 2025, up {n % 40}% from a year earlier. ")


def small_files(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"{n:06d}.html").write_text(
            f"<html><head><title>Copper report {n}</title></head><body><article><p>{sentence(n)}</p>"
            f"<p>Traders in port {n} said demand would hold up through the summer.</p></article></body></html>",
            encoding="utf-8")
    return folder


def long_file(folder: Path, megabytes: int) -> Path:
    folder.mkdir(parents=True)
    path = folder / "long.txt"
    filler = "Officials met again this week to discuss the harbour plan and the new rail link. " * 20
    with path.open("w", encoding="utf-8") as out:
        written, n = 0, 0
        while written < megabytes * 1_000_000:
            piece = sentence(n) + filler
            out.write(piece)
            written += len(piece)
            n += 1
    return path


def measure(path: Path, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run([sys.executable, "-c", RUNNER, str(path), str(Path(scratch) / "c.db"), str(workers)],
                              capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--long-mb", type=int, nargs="*", default=[20])
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for count in args.small:
            rows.append((f"{count:,} small files", measure(small_files(Path(scratch) / f"small{count}", count), args.workers)))
        for megabytes in args.long_mb:
            rows.append((f"one {megabytes} MB single-line file", measure(long_file(Path(scratch) / f"long{megabytes}", megabytes), args.workers)))
    print(f"workers: {args.workers}")
    print(f"{'input':32} {'peak RSS':>10} {'before reconcile':>17} {'worker peak':>12} {'stored':>7} {'claims':>8}  failures")
    for name, row in rows:
        print(f"{name:32} {row['self_mb']:8.0f} MB {row['before_reconcile_mb']:14.0f} MB {row['children_mb']:9.0f} MB "
              f"{row['stored']:7} {row['claims']:8}  {'; '.join(row['failures']) or '-'}")


if __name__ == "__main__":
    main()

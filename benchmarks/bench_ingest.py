"""Ingest benchmark: N generated news pages into a fresh database, against trafilatura alone.

    .venv/bin/python -m benchmarks.bench_ingest [--n 600] [--workers CORES] [--mem-n 150 1200] [--repeat 2]

Figures, each measured in a fresh process so no run warms the next:
  * extract   — read each file and call `trafilatura.extract` on it, one process (the floor);
  * ingest/1  — `collect.Collector(..., workers=1)`, the stage `pipeline.ingest` hands article
                files to: read, text, metadata, claims, SQLite (its reconcile is timed apart);
  * ingest/W  — the same with W worker processes (default: every core);
  * peak RSS of the parent and of the largest worker, for ingest/W at two sizes of N:
    streaming keeps it flat as N grows.
Goals: ingest/1 ÷ extract ≤ 1.3; ingest/1 ÷ ingest/W ≥ 1.7 on two cores.
`--profile` prints where ingest/1 spends its time (cProfile, top functions by own time).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_OVERHEAD = 1.3
GOAL_SPEEDUP = 1.7


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: unlike wall time, not inflated when
    other programs share the cores."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(kind: str, folder: Path, workers: int) -> dict:
    """One measurement, in this process; returns seconds and peak memory."""
    pages = sorted(folder.glob("*.html"))
    if kind == "extract":
        import trafilatura

        start, cpu = time.perf_counter(), _cpu_seconds()
        chars = sum(len(trafilatura.extract(p.read_bytes()) or "") for p in pages)
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        extra = {"chars": chars}
    else:
        from extractor import collect, pipeline, sources, store

        db_path = folder.parent / f"bench-{os.getpid()}.db"
        # The ingest stage (what `pipeline.ingest` hands article files to), then the reconcile
        # that `pipeline.ingest` runs after it, timed apart: reconcile reads every stored claim.
        start, cpu = time.perf_counter(), _cpu_seconds()
        summary = collect.Summary()
        collect.Collector(store.open_db(db_path), summary, workers=workers).collect(sources.sources_for([folder]))
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        ingest_mb, ingest_worker_mb = _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        pipeline.reconcile_db(store.open_db(db_path))
        reconcile_seconds = time.perf_counter() - started
        counts = store.counts(store.open_db(db_path))
        extra = {"articles": counts["articles"], "claims": counts["claims"], "checks": counts["checks"],
                 "failures": len(summary.failures), "reconcile_seconds": reconcile_seconds,
                 "with_reconcile_mb": _peak_mb(resource.RUSAGE_SELF)}
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        return {"kind": kind, "workers": workers, "pages": len(pages), "seconds": seconds, "cpu": cpu,
                "parent_mb": ingest_mb, "worker_mb": ingest_worker_mb, **extra}
    return {"kind": kind, "workers": workers, "pages": len(pages), "seconds": seconds, "cpu": cpu,
            "parent_mb": _peak_mb(resource.RUSAGE_SELF),
            "worker_mb": _peak_mb(resource.RUSAGE_CHILDREN), **extra}


def _spin(seconds_of_work: int = 3_000_000) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(seconds_of_work):
        total += i * i
    return time.perf_counter() - started


def capacity(workers: int) -> float:
    """How many cores this run can actually get: W copies of a fixed CPU task at once against one
    alone (2.0 on an idle two-core machine; less while other programs use the cores)."""
    import multiprocessing

    alone = min(_spin() for _ in range(2))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        started = time.perf_counter()
        pool.map(_spin, [3_000_000] * workers, chunksize=1)
        together = time.perf_counter() - started
    return workers * alone / together


def stages(folder: Path) -> dict:
    """CPU milliseconds per page of each stage of ingest/1, and of trafilatura.extract, measured
    page by page in one process: what the overhead over the floor is made of."""
    import trafilatura

    from extractor import claims, collect, store, text, workers

    workers.warm_up()
    pages = sorted(folder.glob("*.html"))
    spent = dict.fromkeys(["trafilatura.extract", "read file", "text + metadata", "claims", "store (batched)"], 0.0)
    db = store.open_db(folder.parent / f"stages-{os.getpid()}.db")
    batch = []

    def timed(stage, func, *args):
        started = time.process_time()
        result = func(*args)
        spent[stage] += time.process_time() - started
        return result

    for page in pages:
        raw = timed("read file", page.read_bytes)
        timed("trafilatura.extract", trafilatura.extract, raw)
        article = timed("text + metadata", text.article_from_html, raw, str(page))
        batch.append((article, timed("claims", claims.claims_for, article, page.stem)))
        if len(batch) == collect.DEFAULT_BATCH or page == pages[-1]:
            timed("store (batched)", store.save_articles, db, batch)
            batch = []
    return {stage: 1000 * seconds / len(pages) for stage, seconds in spent.items()}


def run_fresh(kind: str, folder: Path, workers: int = 1, repeat: int = 1) -> dict:
    """`measure` in a new interpreter, so each figure starts cold and its peak memory is its own;
    the best of `repeat` runs, as other programs on the machine only ever slow a run down."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_ingest", "--measure", kind, "--dir", str(folder),
             "--workers", str(workers)],
            cwd=ROOT, check=True, capture_output=True, text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    best["cpu"] = min(r["cpu"] for r in runs)
    return best


def generate(folder: Path, n: int) -> Path:
    from benchmarks import pages

    pages.generate(folder, n, seed=0)
    return folder


def profile(folder: Path, top: int) -> None:
    import cProfile
    import pstats

    from extractor import pipeline

    db_path = folder.parent / "profile.db"
    profiler = cProfile.Profile()
    profiler.enable()
    pipeline.ingest([folder], db_path, workers=1)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def report(n: int, workers: int, mem_sizes: list[int], repeat: int, tmp: Path) -> dict:
    from extractor.engine import default_workers

    workers = workers or default_workers()
    folder = generate(tmp / f"pages-{n}", n)
    sizes = sorted(p.stat().st_size for p in folder.glob("*.html"))
    print(f"# ingest benchmark: {n} generated pages, {sizes[0] // 1024}–{sizes[-1] // 1024} KB "
          f"(median {sizes[len(sizes) // 2] // 1024} KB); {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}; best of {repeat}; load average before {os.getloadavg()[0]:.2f}")
    extract = run_fresh("extract", folder, 1, repeat)
    serial = run_fresh("ingest", folder, 1, repeat)
    cores_before = capacity(workers)
    parallel = run_fresh("ingest", folder, workers, repeat)
    cores = (cores_before + capacity(workers)) / 2
    memory = []
    for size in mem_sizes:
        sub = folder if size == n else generate(tmp / f"pages-{size}", size)
        memory.append(parallel if size == n else run_fresh("ingest", sub, workers))
    overhead = serial["seconds"] / extract["seconds"]
    overhead_cpu = serial["cpu"] / extract["cpu"]
    speedup = serial["seconds"] / parallel["seconds"]
    for row in (extract, serial, parallel):
        label = "trafilatura.extract" if row["kind"] == "extract" else f"ingest, {row['workers']} worker(s)"
        print(f"{label:<24} {row['seconds']:7.2f} s wall {row['cpu']:7.2f} s CPU  "
              f"{1000 * row['seconds'] / n:6.2f} ms/page  {n / row['seconds']:6.1f} pages/s  "
              f"peak RSS parent {row['parent_mb']:.0f} MB, worker {row['worker_mb']:.0f} MB")
    print(f"stored: {serial['articles']} articles, {serial['claims']} claims, {serial['failures']} failures "
          f"(with {workers} workers: {parallel['articles']}, {parallel['claims']}, {parallel['failures']})")
    print(f"then reconcile (pipeline.ingest runs it after the files): {serial['reconcile_seconds']:.2f} s, "
          f"{serial['checks']} checks, parent peak RSS {serial['with_reconcile_mb']:.0f} MB; not in the figures above")
    print(f"overhead  ingest/1 ÷ extract   = {overhead:.2f} wall, {overhead_cpu:.2f} CPU  "
          f"(goal ≤ {GOAL_OVERHEAD})  {'met' if overhead <= GOAL_OVERHEAD else 'NOT met'}")
    print(f"speedup   ingest/1 ÷ ingest/{workers}  = {speedup:.2f}  (goal ≥ {GOAL_SPEEDUP} on 2 cores)  "
          f"{'met' if speedup >= GOAL_SPEEDUP else 'NOT met'}; cores available meanwhile {cores:.2f} "
          f"(a CPU-bound reference task, {workers} copies against 1), so parallel efficiency "
          f"{speedup / cores:.0%}")
    print(f"memory    ingest with {workers} workers: " + "; ".join(
        f"N={m['pages']}: parent {m['parent_mb']:.0f} MB, worker {m['worker_mb']:.0f} MB "
        f"(with reconcile {m['with_reconcile_mb']:.0f} MB)" for m in memory))
    breakdown = _stages_fresh(folder)
    floor = breakdown["trafilatura.extract"]
    ours = sum(v for k, v in breakdown.items() if k != "trafilatura.extract")
    print("stages    CPU ms/page: " + ", ".join(f"{k} {v:.2f}" for k, v in breakdown.items()))
    print(f"          ingest ÷ extract = {ours / floor:.2f}; without claims = {(ours - breakdown['claims']) / floor:.2f}")
    print(f"load average after {os.getloadavg()[0]:.2f} (other programs on the cores slow the wall figures)")
    return {"extract": extract, "serial": serial, "parallel": parallel, "memory": memory,
            "overhead": overhead, "overhead_cpu": overhead_cpu, "speedup": speedup, "cores_available": cores,
            "stages": breakdown}


def _stages_fresh(folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_ingest", "--measure", "stages", "--dir",
                          str(folder)], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=600, help="pages to time [600]")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each figure; the best counts [2]")
    parser.add_argument("--workers", type=int, default=0, help="worker processes [every core]")
    parser.add_argument("--mem-n", type=int, nargs=2, default=[150, 1200], metavar=("SMALL", "LARGE"),
                        help="the two sizes of N at which peak memory is shown [150 1200]")
    parser.add_argument("--profile", action="store_true", help="profile ingest/1 instead")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--measure", choices=["extract", "ingest", "stages"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure == "stages":
        print(json.dumps(stages(args.dir)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.dir, args.workers or 1)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        if args.profile:
            profile(generate(Path(tmp) / "pages", args.n), args.top)
            return
        figures = report(args.n, args.workers, args.mem_n, args.repeat, Path(tmp))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

"""Run every benchmark in benchmarks/ (bench_*.py) and print their figures.

    .venv/bin/python -m benchmarks.run_all [--only ingest,reconcile] [--list]

Each benchmark runs in its own process with its default sizes and prints its own figures and
ratios; this adds the machine, each benchmark's wall time and the peak RSS of its largest
process, and a closing table. Exit status 1 when a benchmark failed to run.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def benchmarks() -> list[str]:
    """The benchmark modules present, by name: bench_ingest.py → "ingest"."""
    return sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def run(name: str) -> tuple[int, float, float]:
    """Run one benchmark, its output going straight to ours; exit code, seconds, peak RSS in MB."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", f"benchmarks.bench_{name}"], cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child and what it waited for
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated names, e.g. ingest,extract")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args()
    names = benchmarks()
    if args.list:
        print("\n".join(names))
        return 0
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            parser.error(f"no benchmark named {', '.join(unknown)}; there are: {', '.join(names)}")
        names = [n for n in names if n in wanted]
    print(f"# benchmarks on {machine()}")
    print(f"# load average {os.getloadavg()[0]:.2f} (other programs on the cores slow wall-clock figures)")
    results = []
    for name in names:
        print(f"\n## {name}  (python -m benchmarks.bench_{name})", flush=True)
        results.append((name, *run(name)))
    print("\n## summary")
    print(f"{'benchmark':<12} {'status':<8} {'wall':>9} {'peak RSS':>10}")
    for name, code, seconds, peak in results:
        print(f"{name:<12} {'ok' if code == 0 else f'exit {code}':<8} {seconds:8.1f}s {peak:8.0f} MB")
    return 0 if all(code == 0 for _, code, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())

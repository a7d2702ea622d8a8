"""The claim reader's work in instructions, the steady measure on a shared machine.

    bash benchmarks/extract_instructions.sh [--words 20000]

Runs this script under `valgrind --tool=cachegrind` once with one extraction and once with two
of `bench_extract.py`'s text (after a warm-up on other text), with hashing and address
randomisation fixed, and prints the difference: the instructions of one extraction.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_extract import make_articles  # noqa: E402

from extractor.claims import extract_many, load_nlp  # noqa: E402


def main() -> None:
    words, runs = int(sys.argv[1]), int(sys.argv[2])
    articles = make_articles(words)
    nlp = load_nlp()
    published = dt.date(2026, 1, 20)
    list(extract_many([(a, "warm", published, None) for a in make_articles(2000, seed=1)], nlp=nlp))
    for _ in range(runs):
        claims = sum(len(found) for found in extract_many(((a, f"a{i}", published, None)
                                                           for i, a in enumerate(articles)), nlp=nlp))
    print(f"{sum(len(a.split()) for a in articles)} words, {claims} claims", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Instructions of one extraction of bench_extract.py's text: cachegrind of two runs minus one.
#   bash benchmarks/extract_instructions.sh [WORDS]     (default 20000; valgrind must be installed)
set -euo pipefail
cd "$(dirname "$0")/.."
words=${1:-20000}
python=${PYTHON:-.venv/bin/python}
count() {
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 PYTHONHASHSEED=0 setarch "$(uname -m)" -R \
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$python" benchmarks/extract_instructions.py "$words" "$1" 2>&1 | grep -o "I *refs: *[0-9,]*" | tr -d ', ' | sed 's/.*://'
}
one=$(count 1); two=$(count 2)
echo "one extraction of ${words} words: $(( (two - one) / 1000000 )) M instructions (runs: $one, $two)"

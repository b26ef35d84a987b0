#!/bin/sh
# `make bench`: every paired benchmark. Translated scripts first (bench/pairs.py),
# then the runtime-level pairs (bench/*_run.sh: C programs calling the runtime
# directly, next to the same operation in CPython and to hand-written C).
cd "$(dirname "$0")/.." || exit 2
unset PYTHONUNBUFFERED
python3 bench/pairs.py "${RUNS:-5}"
for s in bench/*_run.sh; do
    echo
    sh "$s"
done

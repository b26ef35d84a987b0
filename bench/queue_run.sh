#!/bin/sh
# Queue throughput, CPython against the runtime, in one run: small ints from
# one producer process to one consumer. Prints medians and the ratio.
#   usage: sh bench/queue_run.sh [N] [RUNS]     (B=build dir, EXTRA=more objects to link)
B=${B:-build}
N=${1:-200000}
R=${2:-5}
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/queue_throughput.c "$B/libmp2crt.a" $EXTRA \
   -lgmp -lm -pthread -lrt -o "$B/bench/queue_throughput" || exit 1
py=$(env -u PYTHONUNBUFFERED python3 bench/queue_throughput.py "$N" "$R")
rt=$("$B/bench/queue_throughput" "$N" "$R")
echo "queue put/get of small ints, 1 producer + 1 consumer, N=$N, median of $R"
printf '  CPython %-12s items/s\n  mp2c    %-12s items/s\n  ratio   %.1fx\n' "$py" "$rt" \
    "$(echo "$rt / $py" | bc -l)"

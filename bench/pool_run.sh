#!/bin/sh
# Pool.map dispatch of a trivial function, CPython against the runtime, in one
# run: chunksize 1 and the default chunksize, 2 workers. Medians and ratios.
#   usage: sh bench/pool_run.sh [N1] [NDEFAULT] [RUNS]   (B=build dir, EXTRA=more objects to link)
B=${B:-build}
N1=${1:-20000}
ND=${2:-200000}
R=${3:-5}
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/pool_map.c "$B/libmp2crt.a" $EXTRA "$B/libmp2crt.a" \
   -lgmp -lm -pthread -lrt -o "$B/bench/pool_map" || exit 1
set -- $(env -u PYTHONUNBUFFERED python3 bench/pool_map.py "$N1" "$ND" "$R") $("$B/bench/pool_map" "$N1" "$ND" "$R")
echo "Pool(2).map(f, range(N)) with f(x) = x, median of $R"
printf '  chunksize 1, N=%s:   CPython %10s tasks/s   mp2c %10s tasks/s   ratio %.1fx\n' \
    "$N1" "$1" "$3" "$(awk "BEGIN { print $3 / $1 }")"
printf '  default chunksize, N=%s: CPython %10s tasks/s   mp2c %10s tasks/s   ratio %.1fx\n' \
    "$ND" "$2" "$4" "$(awk "BEGIN { print $4 / $2 }")"

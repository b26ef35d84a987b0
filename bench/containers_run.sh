#!/bin/sh
# Container operations (list, dict, set, sort, str methods, repr), CPython
# against the runtime's C API, in one run: median milliseconds of R runs on N
# elements, and the speed-up.
#   usage: sh bench/containers_run.sh [N] [RUNS]     (B=build dir)
B=${B:-build}
N=${1:-200000}
R=${2:-5}
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/containers.c "$B/libmp2crt.a" $EXTRA \
   -lgmp -lm -pthread -lrt -o "$B/bench/containers" || exit 1
env -u PYTHONUNBUFFERED python3 bench/containers.py "$N" "$R" > "$B/bench/containers.py.out" || exit 1
"$B/bench/containers" "$N" "$R" > "$B/bench/containers.c.out" || exit 1
echo "Containers, N=$N elements, median CPU ms of $R runs"
printf '  %-14s %10s %10s %8s\n' operation CPython mp2c speed-up
paste -d' ' "$B/bench/containers.py.out" "$B/bench/containers.c.out" |
    awk '{ printf "  %-14s %10.2f %10.2f %7.1fx\n", $3, $2, $4, $2 / ($4 > 0 ? $4 : 0.001) }'

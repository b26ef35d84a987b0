#!/bin/sh
# Manager() proxies, CPython against the runtime, in one run: dict item
# round trips in one process, and `with lock: d['n'] += 1` from two
# processes (four round trips per increment). The floor is a bare
# SOCK_SEQPACKET ping-pong between two processes, one 8-byte message each way.
#   usage: sh bench/manager_run.sh [N] [RUNS]     (B=build dir)
B=${B:-build}
N=${1:-20000}
R=${2:-5}
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/manager_roundtrip.c "$B/libmp2crt.a" \
   -lgmp -lm -pthread -lrt -o "$B/bench/manager_roundtrip" || exit 1
set -- $(env -u PYTHONUNBUFFERED python3 bench/manager_roundtrip.py "$N" "$R")
py_ops=$1 py_incs=$2
set -- $("$B/bench/manager_roundtrip" "$N" "$R")
echo "Manager() proxies, median of $R runs"
printf '  d[k] = v; d[k]       CPython %9s ops/s   mp2c %9s ops/s  %5.1fx\n' "$py_ops" "$1" "$(awk "BEGIN { print $1 / $py_ops }")"
printf '  locked d[n] += 1     CPython %9s incr/s  mp2c %9s incr/s %5.1fx  (2 processes)\n' "$py_incs" "$2" "$(awk "BEGIN { print $2 / $py_incs }")"
printf '  raw SEQPACKET ping-pong      %9s round trips/s (floor: one round trip per d[k])\n' "$3"

#!/bin/sh
# Queue throughput, CPython against the runtime, in one run: small ints from
# one producer process to one consumer. Prints medians and the ratio, and a
# pipe of raw int64s as the hand-written C floor.
#   usage: sh bench/queue_run.sh [N] [RUNS]     (B=build dir, EXTRA=more objects to link)
B=${B:-build}
N=${1:-200000}
R=${2:-5}
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/queue_throughput.c "$B/libmp2crt.a" $EXTRA \
   -lgmp -lm -pthread -lrt -Wl,-z,now -o "$B/bench/queue_throughput" || exit 1
py=$(env -u PYTHONUNBUFFERED python3 bench/queue_throughput.py "$N" "$R")
set -- $("$B/bench/queue_throughput" "$N" "$R")
echo "Queue put/get of small ints, 1 producer + 1 consumer, N=$N, median of $R"
printf '  CPython    %10s items/s\n  mp2c       %10s items/s\n  raw C      %10s items/s (hand-written: int64s through a pipe)\n' "$py" "$1" "$2"
printf '  ratio      %.1fx (hand-written C: %.1fx)\n' "$(awk "BEGIN { print $1 / $py }")" "$(awk "BEGIN { print $2 / $py }")"

#!/bin/sh
# Pipe ping-pong of a small int, CPython against the runtime, in one run: a
# child echoes each message on a duplex Pipe. Prints medians and the ratio,
# and raw 8-byte write/read on a socketpair as the hand-written C floor.
#   usage: sh bench/pipe_run.sh [N] [RUNS]     (B=build dir, EXTRA=more objects to link)
B=${B:-build}
N=${1:-50000}
R=${2:-5}
cd "$(dirname "$0")/.." || exit 2
# -z now binds every library call at startup: otherwise each forked child
# resolves (and writes) the PLT entries of the calls it makes for the first time.
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/pipe_pingpong.c "$B/libmp2crt.a" $EXTRA \
   -lgmp -lm -pthread -lrt -Wl,-z,now -o "$B/bench/pipe_pingpong" || exit 1
py=$(env -u PYTHONUNBUFFERED python3 bench/pipe_pingpong.py "$N" "$R")
set -- $("$B/bench/pipe_pingpong" "$N" "$R")
echo "Pipe ping-pong of a small int, N=$N round trips, median of $R"
printf '  CPython    %10s round trips/s\n  mp2c       %10s round trips/s\n  raw C      %10s round trips/s (hand-written)\n' "$py" "$1" "$2"
printf '  ratio      %.1fx (hand-written C: %.1fx)\n' "$(awk "BEGIN { print $1 / $py }")" "$(awk "BEGIN { print $2 / $py }")"

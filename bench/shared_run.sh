#!/bin/sh
# Locked shared-counter increment, CPython against the runtime, in one run:
# `with v.get_lock(): v.value += 1` on Value('i') in a loop. Prints medians and
# the ratio, and a robust pthread mutex around a shared int as the
# hand-written C floor.
#   usage: sh bench/shared_run.sh [N] [RUNS]     (B=build dir, EXTRA=more objects to link)
B=${B:-build}
N=${1:-200000}
R=${2:-5}
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/shared_counter.c $EXTRA "$B/libmp2crt.a" \
   -lgmp -lm -pthread -lrt -o "$B/bench/shared_counter" || exit 1
py=$(env -u PYTHONUNBUFFERED python3 bench/shared_counter.py "$N" "$R")
set -- $("$B/bench/shared_counter" "$((N * 10))" "$R")
echo "with v.get_lock(): v.value += 1 on Value('i'), median of $R"
printf '  CPython        %11s increments/s\n' "$py"
printf '  mp2c generic   %11s increments/s  %5.1fx  (untyped calls: rt_getattr, rt_with_enter, ...)\n' "$1" "$(awk "BEGIN { print $1 / $py }")"
printf '  mp2c typed     %11s increments/s  %5.1fx  (rt_mp_value_get_i64, rt_mp_lock_acquire, ...)\n' "$2" "$(awk "BEGIN { print $2 / $py }")"
printf '  raw C          %11s increments/s  %5.1fx  (hand-written robust pthread mutex)\n' "$3" "$(awk "BEGIN { print $3 / $py }")"

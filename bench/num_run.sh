#!/bin/sh
# Numbers and formatting, CPython against the runtime, in one run: CPU ns per
# operation (median of RUNS; CPU time because the machine is shared) for float repr, int/float arithmetic through the
# generic boxed operators, big-int multiply, format specs, % and str.format,
# and parsing. The C side calls the runtime's boxed API, as untyped generated
# code does.
#   usage: sh bench/num_run.sh [N] [RUNS]     (B=build dir)
B=${B:-build}
N=${1:-200000}
R=${2:-5}
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/num_format.c "$B/libmp2crt.a" \
   -lgmp -lm -pthread -lrt -o "$B/bench/num_format" || exit 1
env -u PYTHONUNBUFFERED python3 bench/num_format.py "$N" "$R" > "$B/bench/num_py.txt" || exit 1
"$B/bench/num_format" "$N" "$R" > "$B/bench/num_c.txt" || exit 1
echo "numbers and formatting: CPU ns per operation, median of $R"
printf '  %-14s %10s %10s %8s\n' case CPython mp2c speedup
join "$B/bench/num_py.txt" "$B/bench/num_c.txt" | while read -r name py c; do
    printf '  %-14s %10s %10s %7.1fx\n' "$name" "$py" "$c" "$(awk "BEGIN { print $py / $c }")"
done

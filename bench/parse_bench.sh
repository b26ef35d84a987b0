#!/bin/sh
# bench/parse_bench.sh: how fast the front end reads a script.
#
# Builds a 10,000-line script out of the seed notes' examples
# (tests/parse/seed_*.py, whole copies one after another, so every copy is
# valid Python), then times `mp2c check` on it: parse, lower, the syntax
# and subset checks. Prints the median of 9 runs, as wall time and as CPU
# time (user + sys: on a shared machine the wall time mostly measures the
# neighbours). `check` runs every phase but writing the C, so the front end
# alone (parse: tree-sitter, lowering, the syntax and subset checks) is
# reported too, from MP2C_TIMES=1; its goal is well under 50 ms. A 50,000-line
# file is timed too (it must not take seconds).
# Nothing generated is kept: the files live in a temporary directory.
#   usage: sh bench/parse_bench.sh      (B=build by default)
B=${B:-build}
cd "$(dirname "$0")/.." || exit 2
[ -x "$B/mp2c" ] || { echo "parse_bench: build $B/mp2c first (make)" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

cat tests/parse/seed_*.py > "$tmp/unit.py"
unit_lines=$(wc -l < "$tmp/unit.py")

# gen LINES FILE: whole copies of the seed examples until FILE has LINES lines.
gen() {
    : > "$2"
    n=0 copy=0
    while [ "$n" -lt "$1" ]; do
        copy=$((copy + 1))
        echo "# copy $copy of the seed examples" >> "$2"
        cat "$tmp/unit.py" >> "$2"
        n=$((n + unit_lines + 1))
    done
}

# ms FILE: "WALL CPU PARSE" of one `mp2c check FILE`, in milliseconds. CPU
# time comes from the shell's `times` (children's user and sys), read before
# and after, in a subshell of its own; PARSE is the front end's CPU time as
# mp2c itself reports it.
ms() {
    (
        t0=$(date +%s%N)
        MP2C_TIMES=1 "$B/mp2c" check "$1" 2> "$tmp/phases" ||
            { echo "parse_bench: mp2c check failed on $1" >&2; cat "$tmp/phases" >&2; exit 1; }
        t1=$(date +%s%N)
        times > "$tmp/cpu"      # this subshell's only child was mp2c
        cpu=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] }
                             printf "%d", s * 1000 + 0.5 }' "$tmp/cpu")
        parse=$(awk '$2 == "parse" { printf "%d", $3 + 0.5 }' "$tmp/phases")
        echo "$(( (t1 - t0) / 1000000 )) $cpu $parse"
    )
}

median() {   # of column $1
    sort -n -k"$1" | awk -v k="$1" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'
}

for size in 10000 50000; do
    gen $size "$tmp/big$size.py"
    lines=$(wc -l < "$tmp/big$size.py")
    ms "$tmp/big$size.py" > /dev/null          # warm the page cache
    runs=9
    [ $size -gt 10000 ] && runs=3
    i=0
    while [ $i -lt $runs ]; do ms "$tmp/big$size.py"; i=$((i + 1)); done > "$tmp/times"
    echo "parse_bench: mp2c check on $lines lines: median $(median 1 < "$tmp/times") ms wall," \
         "$(median 2 < "$tmp/times") ms CPU, of which the front end $(median 3 < "$tmp/times") ms, over $runs runs"
done

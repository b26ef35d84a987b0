#!/bin/sh
# make valgrind: the unit tests and every golden/example program under
# valgrind's memcheck (a second opinion next to `make SANITIZE=1 test`: it
# sees the uninstrumented build, forked children included). A test fails on
# any memcheck report. Not part of CI: it takes a few minutes.
#   usage: sh tools/valgrind.sh          (B=build by default)
set -u
B=${B:-build}
cd "$(dirname "$0")/.." || exit 2
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind: not installed; run: sudo apt-get install -y valgrind" >&2
    exit 2
fi
# --trace-children: spawned children (a fresh exec) are checked too
vg="valgrind -q --error-exitcode=99 --trace-children=yes"
log=$(mktemp) || exit 2
trap 'rm -f "$log" "$log.g"' EXIT
passed=0 failed=0
for t in "$B"/tests/test_*; do
    name=unit/$(basename "$t")
    if $vg "$t" > "$log" 2>&1 && ! grep -q '^==[0-9]*== ' "$log"; then
        echo "PASS $name"; passed=$((passed + 1))
    else
        echo "FAIL $name"; grep -B2 -A20 '^==[0-9]*== ' "$log" | head -60 | sed 's/^/    /'
        failed=$((failed + 1))
    fi
done
GOLDEN_WRAPPER="$vg" GOLDEN_TIMEOUT_SCALE=20 B=$B python3 tests/golden/golden.py run > "$log.g"
cat "$log.g"
passed=$((passed + $(grep -c '^PASS' "$log.g")))
failed=$((failed + $(grep -c '^FAIL' "$log.g")))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

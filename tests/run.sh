#!/bin/sh
# The test driver behind `make test`.
#
# Each category is a folder tests/CAT/ with a run.sh that prints one line per
# test case, "PASS name" or "FAIL name" (followed by indented detail lines).
# This script runs them all, then prints the one summary line the README and
# CI rely on: "N passed, N failed". It exits 1 when anything failed.
#
# Environment: B (build dir, default build), SANITIZE (1 under ASan/UBSan),
# ONLY (a space-separated list of categories to run).
B=${B:-build}
export B SANITIZE
# CPython and our programs must see the same buffering (DESIGN.md, fidelity).
unset PYTHONUNBUFFERED
cd "$(dirname "$0")/.." || exit 2

cats=${ONLY:-"unit parse diag emit golden stdlib translate"}
log=$B/test.log
mkdir -p "$B"
: > "$log"
for cat in $cats; do
    [ -f "tests/$cat/run.sh" ] || continue
    echo "== $cat"
    sh "tests/$cat/run.sh" 2>&1 | tee -a "$log"
done
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
if [ "$failed" -gt 0 ]; then
    echo
    echo "failed:"
    grep '^FAIL ' "$log" | sed 's/^FAIL /  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

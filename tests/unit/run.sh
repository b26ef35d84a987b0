#!/bin/sh
# Runs every cmocka binary built from tests/unit/test_*.c and turns cmocka's
# "[       OK ] name" / "[  FAILED  ] name" lines into PASS/FAIL lines.
# A binary that crashes or prints no result counts as one failure.
B=${B:-build}
for src in tests/unit/test_*.c; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .c)
    bin=$B/tests/$name
    if [ ! -x "$bin" ]; then echo "FAIL unit/$name (not built)"; continue; fi
    out=$("$bin" 2>&1); rc=$?
    echo "$out" | sed -n -e "s/^\[       OK \] \(.*\)/PASS unit\/$name:\1/p" \
                         -e "s/^\[  FAILED  \] \([^ ]*\)$/FAIL unit\/$name:\1/p" | sort -u
    if [ $rc -ne 0 ] && ! echo "$out" | grep -q '^\[  FAILED  \] [^ ]*$'; then
        echo "FAIL unit/$name (exit $rc)"
        echo "$out" | tail -20 | sed 's/^/    /'
    elif [ $rc -ne 0 ]; then
        echo "$out" | grep -v '^\[' | tail -30 | sed 's/^/    /'
    fi
done

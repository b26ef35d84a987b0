#!/bin/sh
# tests/parse: one construct family per NAME.py; NAME.ast is CPython's
# ast.dump() of it, written by update.sh (never by hand). `mp2c dump-ast`
# must print exactly the same line: our AST is CPython's, field for field.
B=${B:-build}
cd "$(dirname "$0")/../.." || exit 2
for src in tests/parse/*.py; do
    name=$(basename "$src" .py)
    want=tests/parse/$name.ast
    if [ ! -f "$want" ]; then
        echo "FAIL parse/$name"
        echo "    no $name.ast: run sh tests/parse/update.sh"
        continue
    fi
    got=$("$B/mp2c" dump-ast "$src" 2>&1)
    if [ "$got" = "$(cat "$want")" ]; then
        echo "PASS parse/$name"
        continue
    fi
    echo "FAIL parse/$name"
    # Show where the one-line dumps part ways.
    printf '%s\n' "$got" | WANT="$(cat "$want")" awk '
        BEGIN { want = ENVIRON["WANT"] }
        NR == 1 { n = 1; while (n <= length($0) && substr($0, n, 1) == substr(want, n, 1)) n++
                  s = n > 60 ? n - 60 : 1
                  print "    ours:   ..." substr($0, s, 120)
                  print "    CPython ..." substr(want, s, 120) }
        NR > 1 && NR < 6 { print "    " $0 }'
done

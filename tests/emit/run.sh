#!/bin/sh
# Emitter snapshots: `mp2c emit X.py` must equal the committed X.c exactly, so
# that any change to the generated C shows up as a readable diff in review.
# UPDATE=1 rewrites the .c files (review the diff before committing).
B=${B:-build}
for py in tests/emit/*.py; do
    name=$(basename "$py" .py)
    want=tests/emit/$name.c
    got=$B/emit-$name.c
    if ! "$B/mp2c" emit "$py" -o "$got" 2>"$got.err"; then
        echo "FAIL emit/$name (mp2c emit failed)"
        sed 's/^/    /' "$got.err"
        continue
    fi
    if [ "${UPDATE:-0}" = 1 ]; then cp "$got" "$want"; echo "PASS emit/$name (updated)"; continue; fi
    if diff -u "$want" "$got" > "$got.diff"; then
        echo "PASS emit/$name"
    else
        echo "FAIL emit/$name"
        head -40 "$got.diff" | sed 's/^/    /'
    fi
done

#!/bin/sh
# tests/diag: bad scripts next to the exact diagnostics mp2c must print.
#
#   NAME.py    the script (named after the rule it breaks, cproc style)
#   NAME.err   the exact stderr of `mp2c check NAME.py`, run from this folder;
#              the exit code must be 1
#
# Line fidelity is checked at test time: when CPython's compile() rejects the
# script with a SyntaxError, the line of our first diagnostic must be the
# lineno CPython reports. (Scripts that CPython accepts are mp2c's own limits;
# for them only the .err comparison applies.)
#
# The note listing the modules mp2c provides is compared as "...": its
# content is gen/modules.def's, which these tests are not about.
#
#   UPDATE=1 sh tests/diag/run.sh    rewrite every .err (review the diff)
B=${B:-build}
cd "$(dirname "$0")/../.." || exit 2
B=$(cd "$B" 2>/dev/null && pwd) || { echo "FAIL diag (no build dir)"; exit 0; }
dir=tests/diag
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# CPython's verdict for every script at once: "NAME LINE" or "NAME -".
if command -v python3 >/dev/null 2>&1; then
    python3 - "$dir" > "$tmp/cpython" <<'PY'
import os, sys, warnings
warnings.simplefilter('ignore')
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    if not f.endswith('.py'):
        continue
    line = '-'
    try:
        compile(open(os.path.join(d, f), 'rb').read(), f, 'exec')
    except SyntaxError as e:
        line = str(e.lineno) if e.lineno else '-'
    except Exception:
        pass
    print(f[:-3], line)
PY
else
    : > "$tmp/cpython"
fi

for src in "$dir"/*.py; do
    name=$(basename "$src" .py)
    (cd "$dir" && "$B/mp2c" check "$name.py") > "$tmp/out" 2> "$tmp/raw"
    rc=$?
    sed 's/\(: note: the modules mp2c provides are: \).*/\1.../' "$tmp/raw" > "$tmp/err"
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$tmp/err" "$dir/$name.err"
    fi
    why=
    if [ $rc -ne 1 ]; then
        why="exit code $rc, expected 1"
    elif [ -s "$tmp/out" ]; then
        why="wrote to stdout"
    elif [ ! -f "$dir/$name.err" ]; then
        why="no $name.err (UPDATE=1 sh tests/diag/run.sh writes it)"
    elif ! cmp -s "$tmp/err" "$dir/$name.err"; then
        why="diagnostics differ from $name.err"
    fi
    want=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/cpython")
    if [ -z "$why" ] && [ -n "$want" ] && [ "$want" != - ]; then
        got=$(head -1 "$tmp/err" | sed -n "s/^$name\.py:\([0-9]*\):[0-9]*: error: .*/\1/p")
        [ "$got" = "$want" ] || why="first diagnostic on line ${got:-?}, CPython reports line $want"
    fi
    if [ -z "$why" ]; then
        echo "PASS diag/$name"
    else
        echo "FAIL diag/$name"
        echo "    $why"
        if [ -f "$dir/$name.err" ]; then
            diff "$dir/$name.err" "$tmp/err" | head -10 | sed 's/^/    /'
        else
            head -5 "$tmp/err" | sed 's/^/    /'
        fi
    fi
done

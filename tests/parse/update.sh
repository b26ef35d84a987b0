#!/bin/sh
# Rewrites tests/parse/NAME.ast from tests/parse/NAME.py with CPython's own
# parser: the expected dumps are CPython's, never typed by hand. Run by the
# lead's `make golden`; review the diff before committing.
cd "$(dirname "$0")" || exit 2
for src in *.py; do
    python3 -c 'import ast, sys; print(ast.dump(ast.parse(open(sys.argv[1], encoding="utf-8").read())))' \
        "$src" > "${src%.py}.ast" || { echo "update.sh: CPython rejects $src" >&2; exit 1; }
done

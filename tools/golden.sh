#!/bin/sh
# `make golden`: CPython writes every expected output (never edit them by hand).
cd "$(dirname "$0")/.." || exit 2
unset PYTHONUNBUFFERED
python3 tests/golden/golden.py update "$@" || exit 1
[ -x tests/parse/update.sh ] && sh tests/parse/update.sh
exit 0

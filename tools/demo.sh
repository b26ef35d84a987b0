#!/bin/sh
# `make demo`: the examples translated, built and run beside CPython.
cd "$(dirname "$0")/.." || exit 2
unset PYTHONUNBUFFERED
exec python3 tools/demo.py "$@"

#!/bin/sh
# Golden tests: build each script with mp2c, run it, compare with CPython's output.
unset PYTHONUNBUFFERED
python3 tests/golden/golden.py run

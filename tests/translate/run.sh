#!/bin/sh
# The whole pipeline over CPython's standard library (see sweep.py).
python3 tests/translate/sweep.py

#!/usr/bin/env python3
"""Regenerates the Unicode range tables in runtime/str.c from CPython's own
str predicates (Python 3.11, Unicode 14.0.0), so that repr() escapes exactly
the characters CPython escapes and str.isalpha()/isdecimal()/isdigit()/
isnumeric() answer as CPython's do for every code point.

Each table sits between "BEGIN GENERATED name" and "END GENERATED name"
comments; only those lines are rewritten.
    usage: python3 tests/unit/gen_str_tables.py      (from the repo root)
"""
import re
import sys
import unicodedata

PATH = 'runtime/str.c'
TABLES = {
    'nonprint': lambda ch: not ch.isprintable(),
    'alpha': str.isalpha,
    'decimal': str.isdecimal,
    'digit': str.isdigit,
    'numeric': str.isnumeric,
}


def ranges(pred):
    """Maximal [lo, hi] runs of non-ASCII code points where pred holds."""
    out, lo = [], None
    for c in range(0x80, 0x110001):
        hit = c < 0x110000 and pred(chr(c))
        if hit and lo is None:
            lo = c
        elif not hit and lo is not None:
            out.append((lo, c - 1))
            lo = None
    return out


def section(name, rs):
    lines = ['/* BEGIN GENERATED %s (tests/unit/gen_str_tables.py, Unicode %s). Do not edit. */'
             % (name, unicodedata.unidata_version),
             'static const uint32_t %s_ranges[][2] = {' % name]
    row = []
    for lo, hi in rs:
        row.append('{0x%04x, 0x%04x},' % (lo, hi))
        if len(row) == 4:
            lines.append('    ' + ' '.join(row))
            row = []
    if row:
        lines.append('    ' + ' '.join(row))
    lines += ['};', '/* END GENERATED %s */' % name]
    return '\n'.join(lines)


def main():
    text = open(PATH, encoding='utf-8').read()
    for name, pred in TABLES.items():
        pat = re.compile(r'/\* BEGIN GENERATED %s .*?/\* END GENERATED %s \*/' % (name, name), re.S)
        if not pat.search(text):
            sys.exit('%s: no GENERATED %s section' % (PATH, name))
        body = section(name, ranges(pred))
        text = pat.sub(lambda m: body, text, count=1)
    open(PATH, 'w', encoding='utf-8').write(text)


if __name__ == '__main__':
    main()

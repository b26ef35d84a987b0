#!/usr/bin/env python3
"""Regenerate the Unicode range tables embedded in gen/*.c.

The tables are facts taken from CPython's own unicodedata (Unicode 14.0.0 in
Python 3.11), so that mp2c classifies characters exactly as CPython 3.11 does:

  gen/diag.c   wide   East Asian Width W or F: two terminal columns
               zero   combining marks (Mn, Me), format characters (Cf),
                      Hangul medial/final jamo: zero columns
  gen/ast.c    nonprint  characters str.isprintable() rejects (repr escapes them)
  gen/front.c  xid_start, xid_cont   non-ASCII identifier characters

Each table sits between "BEGIN GENERATED name" and "END GENERATED name"
comments in its file; this script rewrites only those lines.
    usage: python3 tests/unit/gen_unicode_tables.py     (from the repo root)
"""
import re
import sys
import unicodedata as ud

MAXCP = 0x110000


def ranges(pred, dont_care=lambda c: False):
    """Maximal [lo, hi] runs where pred holds; runs may bridge code points
    for which dont_care holds (unassigned ones, where any answer is fine)."""
    out = []
    lo = None
    last = None
    for c in range(MAXCP):
        if pred(c):
            if lo is None:
                lo = c
            elif last is not None and last != c - 1:
                if all(dont_care(x) for x in range(last + 1, c)):
                    pass
                else:
                    out.append((lo, last))
                    lo = c
            last = c
        elif lo is not None and not dont_care(c):
            out.append((lo, last))
            lo = None
            last = None
    if lo is not None:
        out.append((lo, last))
    return out


def unassigned(c):
    return ud.category(chr(c)) == 'Cn'


def table(name, rs):
    lines = ['static const uint32_t %s_ranges[][2] = {' % name]
    row = []
    for lo, hi in rs:
        row.append('{0x%04x, 0x%04x},' % (lo, hi))
        if len(row) == 4:
            lines.append('    ' + ' '.join(row))
            row = []
    if row:
        lines.append('    ' + ' '.join(row))
    lines.append('};')
    return lines


def splice(path, name, rs):
    text = open(path, encoding='utf-8').read()
    begin = '/* BEGIN GENERATED %s' % name
    end = '/* END GENERATED %s */' % name
    pat = re.compile(re.escape(begin) + r'.*?' + re.escape(end), re.S)
    if not pat.search(text):
        sys.exit('%s: no GENERATED %s section' % (path, name))
    body = [begin + ' (tests/unit/gen_unicode_tables.py, Unicode %s). Do not edit. */'
            % ud.unidata_version] + table(name, rs) + [end]
    text = pat.sub(lambda m: '\n'.join(body), text, count=1)
    open(path, 'w', encoding='utf-8').write(text)


def main():
    wide = ranges(lambda c: ud.east_asian_width(chr(c)) in 'WF', unassigned)
    zero = ranges(lambda c: ud.category(chr(c)) in ('Mn', 'Me', 'Cf')
                  or 0x1160 <= c <= 0x11ff, unassigned)
    nonprint = ranges(lambda c: not chr(c).isprintable())
    xid_start = ranges(lambda c: c >= 0x80 and chr(c).isidentifier())
    xid_cont = ranges(lambda c: c >= 0x80 and ('a' + chr(c)).isidentifier())
    splice('gen/diag.c', 'wide', wide)
    splice('gen/diag.c', 'zero', zero)
    splice('gen/ast.c', 'nonprint', nonprint)
    splice('gen/front.c', 'xid_start', xid_start)
    splice('gen/front.c', 'xid_cont', xid_cont)


if __name__ == '__main__':
    main()

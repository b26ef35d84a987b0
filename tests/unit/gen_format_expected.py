#!/usr/bin/env python3
"""Writes tests/unit/format_expected.h: what CPython 3.11 prints for
format(value, spec), str % args, bytes % args and str.format.

    python3 tests/unit/gen_format_expected.py > tests/unit/format_expected.h

Values are written in a small notation the C test decodes (see lit()); an
expected exception is "!Type: message".
"""
import struct
import sys

assert sys.version_info[:2] == (3, 11), "expected strings must come from CPython 3.11"


def c_str(s):
    out = ['"']
    for b in s.encode('utf-8', 'surrogatepass'):
        c = chr(b)
        if c in '"\\':
            out.append('\\' + c)
        elif 32 <= b < 127 and c != '?':
            out.append(c)
        else:
            out.append('\\%03o' % b)
    out.append('"')
    return ''.join(out)


def lit(v):
    """ "i-7", "b1", "f<16 hex>", "s<text>", "c<re hex><im hex>", "n" (None),
    "l" ([1, 'a'], a list), "t" ((1, 2), a tuple), "y<bytes as latin-1>".
    Bytes (formats, arguments and results) travel as latin-1 text. """
    if isinstance(v, bool):
        return 'b%d' % v
    if isinstance(v, int):
        return 'i%d' % v
    if isinstance(v, float):
        return 'f%016x' % struct.unpack('<Q', struct.pack('<d', v))[0]
    if isinstance(v, complex):
        return 'c' + lit(v.real)[1:] + lit(v.imag)[1:]
    if isinstance(v, str):
        return 's' + v
    if isinstance(v, bytes):
        return 'y' + v.decode('latin-1')
    if v is None:
        return 'n'
    if v == [1, 'a']:
        return 'l'
    if v == (1, 2):
        return 't'
    raise ValueError(v)


def outcome(f):
    try:
        r = f()
        return r.decode('latin-1') if isinstance(r, bytes) else r
    except Exception as e:
        return '!%s: %s' % (type(e).__name__, e)


def emit(name, ctype, rows):
    print('static const %s %s[] = {' % (ctype, name))
    for r in rows:
        print('    {%s},' % ', '.join(r))
    print('};')
    print()


# ---- format(value, spec) ----------------------------------------------------------------
common = ['', '10', '<10', '>10', '^10', '*^11', '\u00e9>8', '010', '+', '-', ' ', '+10', '=+10',
          '0=10', '0>10', '#', ',', '_', '010,', '08,', '09,', '012,', 'z', '.3', '10.3', '.0', 's',
          '.f', '.', 'abc', ',_', '_,', '1000000000000000000000', '99999999999999999999999', 'y',
          '\u00e9', '=', '<', '<<', '0', '00', '+z#010,.2', '%', ',%']
int_specs = common + ['d', 'b', 'o', 'x', 'X', 'c', 'n', '#b', '#o', '#x', '#X', '_b', '_x', '_o',
                      '#012_x', '#_X', ',x', ',b', ',c', ',n', 'e', '.2e', 'f', '.1f', '.0%', 'g', 'G',
                      'E', 'F', '.2', '+c', '#c', '>5c', '.2d', 'zd', '+d', ' d', '-d', '=10d', '^+9d',
                      '_d', ',d', '010_d', '-08,', 'x<10,', '#10b', '0=#10x', '#016b', '.3g', '10.2%',
                      '_x' + 'X', '\u00e9^9,']
ints = [0, 1234, -1234, 255, 2 ** 70, -(2 ** 70), True, False, 65, 10 ** 20, 0x110000, -1]
float_specs = common + ['f', '.2f', '.0f', '#.0f', 'e', '.3e', 'E', 'g', '.3g', '#g', 'G', '%',
                        '.1%', 'n', '.10', '.1', '.17', '.20', 'z.2f', 'z.0f', 'z', 'z.1e', '+.2f',
                        ',.2f', '_.1f', '012.3f', '=12.3f', '.2s', 'd', 'x', 'c', '#', '#.3', '#e',
                        '0<10', ',.3e', ',g', '_g', '.30f', '.0e', '#.0e', '.1g', '.0g', '#.0g', '#.1g',
                        '015,.2f', '-015,.2f', ' .3f', ',.0f', '.5%', 'F', '#F', 'E', ' g', '+g', 'z.3g',
                        '12', '.12', '.16', '.15', '#.5', ',.12', '0=+14,.3f']
floats = [1234.5678, -0.0, 0.0, 1e16, 1.5e-7, float('inf'), float('-inf'), float('nan'), 0.1,
          123456789.0, 1e100, 2.5, -1234.5, 100.0, 1e-5, 0.000123456, -0.0001, 1e22, 5e-324,
          1.7976931348623157e308, 0.5, 9.999999, 0.125, 1000000.0]
str_specs = ['', 's', '.2', '10.2', '^5', '=5', '+', '-', ' ', 'x', ',', '_', '05', '<05', '^05s',
             '*>7', '\u00e9^7', '.0', '>4.2', 'z', '#', 'c', 'd', '10', '.2s', '..2', '5,s', '1000000000000000000000']
strs = ['abc', '\u00e9t\u00e9', '', 'hello world', '\U0001f600x']
complex_specs = ['', '.2f', '10', '^20', '+', 'e', '.3g', '0', '=10', '010', 'd', ',.2f', '<20', '*>18',
                 'g', '.0f', ' ', '+.1f', 'z.1f', '#', 'n', 'x', '%', '.2', 'E']
complexes = [1 + 2j, -1.5 - 0.5j, 3j, complex(0.0, -0.0), complex(-0.0, 2), complex(1e20, -1e-20),
             complex(float('inf'), float('nan')), 1234.5 + 0j]
rows = []
for vals, specs in [(ints, int_specs), (floats, float_specs), (strs, str_specs), (complexes, complex_specs)]:
    for v in vals:
        for spec in specs:
            rows.append((c_str(lit(v)), c_str(spec), c_str(outcome(lambda: format(v, spec)))))
emit('format_cases', 'struct { const char *value, *spec, *result; }', rows)

# ---- str % args --------------------------------------------------------------------------------
# args: a tuple of values, or one value; dict args are written as a list of
# (key, value) and flagged.
pct = [
    ('%5%', ()), ('%05s', 'ab'), ('%-05d', 5), ('%05d', -5), ('%+05d', 5), ('% 05d', 5), ('%#05x', 255),
    ('%#5x', 255), ('%#-8o', 8), ('%.3d', -5), ('%8.3d', -5), ('%08.3d', -5), ('%05f', float('inf')),
    ('%05f', float('-inf')), ('%5f', float('nan')), ('%F', float('inf')), ('%+.2e', 12345.678),
    ('%#.0f', 1.0), ('%#g', 1.0), ('%g', 1e-5), ('%g', 123456789.0), ('%.3g', 0.0001234),
    ('%10.4s|', 'abcdefg'), ('%-10r|', 'a'), ('%a', '\u00e9'), ('%c', 65), ('%c', '\u00e9'),
    ('%5c|', 'x'), ('%*d', (-5, 3)), ('%.*f', (-2, 3.14159)), ('abc', [1, 'a']), ('abc', 5),
    ('%s', [1, 'a']), ('%d', True), ('%s', True), ('%x', True), ('%d', 3.99), ('%d', -3.99),
    ('%d', 1e30), ('%i', 2 ** 70), ('%X', -255), ('%#X', -255), ('%o', -8), ('%e', 0), ('%f', 10 ** 20),
    ('%f', 10 ** 400), ('%d', 1j), ('%s %s', (1, 2)), ('%z', 1), ('%\u00e9', 1), ('%.2%', ()),
    ('%-5d|', -3), ('%0-5d|', -3), ('%+s', 'a'), ('% d', -5), ('%+ d', 5), ('%.0e', 12345),
    ('%#.0e', 12345), ('%.1f', 0.25), ('%.1f', 0.35), ('%r', 1.0), ('%s', 1e16), ('%s', None),
    ('%3$s', 1), ('%.s', 'abc'), ('%-*d|', (4, 1)), ('%*s', (1.5, 'a')), ('%c', 0x110000), ('%c', ''),
    ('%x', 3.0), ('%s', ()), ('%s', ((1, 2),)), ('%5%', (1,)), ('%s%', (1,)), ('%d', '3'), ('%c', True),
    ('%*.*f', (8, 2, 3.14159)), ('%x', 2 ** 70), ('%#o', 0), ('%#x', 0), ('%.0s', 'a'), ('%s', 'x'),
    ('%d %s', (1,)), ('%d', (1, 2)), ('100%%', ()), ('%s and %r', ('\u00e9', '\u00e9')),
    ('%(a', 'DICT'), ('%s', 'DICT'), ('%(a)s-%(b)05.1f', 'DICT'), ('%(a)s %s', 'DICT'), ('%(c)s', 'DICT'),
    ('%(a)s', 3), ('%(a)*d', 'DICT'), ('x%', ()), ('%', ()), ('%-', 1), ('%10', 1), ('%.', 1),
    ('%ld', 5), ('%lld', 5), ('%#x', -255), ('%+x', 255), ('% o', 8), ('%-#8x|', 255), ('%08.3f', -1.5),
    ('%-8.3f|', -1.5), ('%+08d', 0), ('%.10d', 12), ('%5.3s|', '\u00e9\u00e9\u00e9\u00e9'),
    ('%u', 7), ('%i', -7.5), ('%e', 'x'), ('%g', None), ('%c', 1.5), ('%c', 'ab'), ('%s', b'x'),
]
DICT = {'a': 'x', 'b': 2.25}
rows = []
for f, a in pct:
    is_dict = a == 'DICT'
    arg = DICT if is_dict else a
    if isinstance(arg, tuple):
        items, mode = [lit(x) for x in arg], 't'
    elif is_dict:
        items, mode = ['a', lit('x'), 'b', lit(2.25)], 'd'
    else:
        items, mode = [lit(arg)], '1'
    rows.append((c_str(f), "'%s'" % mode, c_str('\x01'.join(items)), c_str(outcome(lambda: f % arg))))
emit('percent_cases', 'struct { const char *fmt; char mode; const char *args; const char *result; }', rows)

bpct = [(b'%s', b'ab'), (b'%s', 'ab'), (b'%d|%5.2f|%x', (3, 2.5, 255)), (b'%c', 65), (b'%c', b'A'),
        (b'%r', '\u00e9'), (b'%a', b'x'), (b'%c', 256), (b'%b|%-4b|', (b'q', b'r')), (b'\xff%d', 1),
        (b'%5s|%.1s', (b'ab', b'cd')), (b'%s', 5), (b'abc', 5), (b'%%%d', 7), (b'%c', 'a')]
rows = []
for f, a in bpct:
    items, mode = ([lit(x) for x in a], 't') if isinstance(a, tuple) else ([lit(a)], '1')
    rows.append((c_str(f.decode('latin-1')), "'%s'" % mode, c_str('\x01'.join(items)),
                 c_str(outcome(lambda: f % a))))
emit('bytes_percent_cases', 'struct { const char *fmt; char mode; const char *args; const char *result; }', rows)


# ---- str.format and format_map ----------------------------------------------------------------
fmts = [
    ('{} {}', (1, 'a'), {}), ('{1} {0}', (1, 'a'), {}), ('{0}{0}', (7,), {}), ('{x}-{y}', (), {'x': 1, 'y': 2.5}),
    ('{0[1]}', ([1, 'a'],), {}), ('{0[0]}', ((1, 2),), {}), ('{x[a]}', (), {'x': {'a': 5}}),
    ('{0!r} {0!s} {0!a}', ('\u00e9',), {}), ('{:>{}}', ('ab', 6), {}), ('{:{w}.{p}f}', (3.14159,), {'w': 9, 'p': 3}),
    ('{{}} {{{0}}}', (1,), {}), ('{1}', (1,), {}), ('{}{0}', (1,), {}), ('{0}{}', (1,), {}), ('}', (), {}),
    ('{', (), {}), ('{x}', (), {}), ('{0!x}', (1,), {}), ('{0!}', (1,), {}), ('{0[}', (1,), {}),
    ('{0.}', (1,), {}), ('{0]x}', (1,), {}), ('{0[0]x}', ([1, 'a'],), {}), ('{:{:{}}}', (1, 2, 3), {}),
    ('{0:{1}', (1, 2), {}), ('{!r}', ('x',), {}), ('{:,}', (1234567,), {}), ('{:_.2f}', (1234567.891,), {}),
    ('{0:^7}|{1:*<4}|{2:+}', ('ab', 'c', 5), {}), ('{0:.{1}}', ('abcdef', 3), {}), ('a{}b{}c', (None, True), {}),
    ('{0!r:>8}', ('x',), {}), ('{0!s:}', (1,), {}), ('{0!rr}', (1,), {}), ('{0:x} {0:#b}', (10,), {}),
    ('{0.real} {0.imag}', (3,), {}), ('{0.nope}', (3,), {}), ('{0[5]}', ([1, 'a'],), {}), ('}}{{', (), {}),
    ('\u00e9{}\u00e9', ('\u00e9',), {}), ('{:\u00e9^9}', ('x',), {}), ('{0:d}', ('x',), {}), ('{:s}', (1,), {}),
    ('{a', (), {}), ('{a}}', (), {'a': 1}), ('{0[a]}', ([1, 'a'],), {}), ('{0[]}', ([1, 'a'],), {}),
    ('{0[1}', ([1, 'a'],), {}), ('{00}', (5,), {}), ('{99999999999999999999999}', (5,), {}),
    ('{:}', (5,), {}), ('{!s}', (5,), {}), ('{{{}}}', (5,), {}), ('{:{}}{}', ('a', 3, 'b'), {}),
    ('{:{}}{}', ('a', 3), {}), ('{0:{0}}', (5,), {}), ('{:%}', (0.25,), {}), ('{:{}{}}', (5, '>', 4), {}),
]
rows = []
for f, a, kw in fmts:
    kw_items = []
    for k, v in kw.items():
        kw_items += [k, lit(v) if not isinstance(v, dict) else 'D']   # D: the dict {'a': 5}
    rows.append((c_str(f), c_str('\x01'.join(lit(x) for x in a)), c_str('\x01'.join(kw_items)),
                 c_str(outcome(lambda: f.format(*a, **kw)))))
emit('strformat_cases', 'struct { const char *fmt, *args, *kwargs, *result; }', rows)

maps = [('{a}-{b}', {'a': 1, 'b': 'x'}), ('{c}', {'a': 1}), ('{0}', {'a': 1}), ('{}', {'a': 1}),
        ('{a:>5}', {'a': 1}), ('{a!r}', {'a': 'q'})]
rows = []
for f, m in maps:
    items = []
    for k, v in m.items():
        items += [k, lit(v)]
    rows.append((c_str(f), c_str('\x01'.join(items)), c_str(outcome(lambda: f.format_map(m)))))
emit('format_map_cases', 'struct { const char *fmt, *mapping, *result; }', rows)

# ---- hex, oct, bin ------------------------------------------------------------------------------
rows = []
for v in [0, 255, -255, 2 ** 70, -(2 ** 70), True, 1.5, 'x']:
    rows.append((c_str(lit(v)), c_str(outcome(lambda: hex(v))), c_str(outcome(lambda: oct(v))),
                 c_str(outcome(lambda: bin(v)))))
emit('hexoctbin_cases', 'struct { const char *value, *hex, *oct, *bin; }', rows)

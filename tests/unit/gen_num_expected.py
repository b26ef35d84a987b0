#!/usr/bin/env python3
"""Writes tests/unit/num_expected.h: what CPython 3.11 says about numbers.

Run with the CPython the project targets (python3 here is 3.11):
    python3 tests/unit/gen_num_expected.py > tests/unit/num_expected.h
Every expected string in the C tests comes from here, never from a hand.
An expected exception is written "!Type: message".
"""
import math
import random
import struct
import sys
import warnings

warnings.simplefilter('ignore')   # randrange(2.0) warns; only the outcome matters here

assert sys.version_info[:2] == (3, 11), "expected strings must come from CPython 3.11"


def c_str(s):
    """A C string literal for the UTF-8 bytes of s."""
    out = ['"']
    for b in s.encode('utf-8'):
        c = chr(b)
        if c in '"\\':
            out.append('\\' + c)
        elif 32 <= b < 127 and c != '?':
            out.append(c)
        else:
            out.append('\\%03o' % b)
    out.append('"')
    return ''.join(out)


def bits(x):
    return '0x%016xULL' % struct.unpack('<Q', struct.pack('<d', x))[0]


def outcome(f):
    try:
        return repr(f())
    except Exception as e:  # the message is part of the contract
        return '!%s: %s' % (type(e).__name__, e)


def emit(name, ctype, rows):
    print('static const %s %s[] = {' % (ctype, name))
    for r in rows:
        print('    {%s},' % ', '.join(r))
    print('};')
    print()


# ---- float repr -------------------------------------------------------------
tricky = [0.1, 1 / 3, 2 / 3, 1e16, 1e-5, 5e-324, 2.0 ** 53 + 2, 1.7976931348623157e308,
          -0.0, 0.0, 123456789.123456789, 100.0, 1e22, 1e23, 2.0 ** -1022, 3 * 5e-324,
          0.3, 0.1 + 0.2, 1.5e-7, 1e-7, 1e-4, 0.0001234, 123456789012345678.0, 1e15,
          1e16 - 2, 9007199254740993.0, float('inf'), float('-inf'), float('nan'),
          2.0 ** 63, 2.0 ** 64, 2.0 ** -25, 5e-310, 2.2250738585072014e-308, 1e100,
          9.999999999999999e22, 0.5, 2.5, 1e-320, -1.5, 1234.5, 1e-4 * 3, 12345678.9,
          0.000123, 1.0000000000000002, 0.9999999999999999, 4.35, 7e22, 1e21, 3.14159,
          2.0 ** 52, 2.0 ** 53, 1e17, 1.1e16, 123.0e-300, 6.02214076e23]
random.seed(20240511)
for _ in range(300):
    tricky.append(struct.unpack('<d', struct.pack('<Q', random.getrandbits(64) & ~(0x7ff << 52) |
                                                  (random.randint(1, 2046) << 52)))[0])
for _ in range(100):
    tricky.append(round(random.uniform(-1e5, 1e5), random.randint(0, 6)))
emit('float_repr_cases', 'struct { uint64_t bits; const char *repr; }',
     [(bits(x), c_str(repr(x))) for x in tricky])

# ---- int arithmetic -----------------------------------------------------------
OPS = ['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^']
OPC = {'+': 'RT_ADD', '-': 'RT_SUB', '*': 'RT_MUL', '/': 'RT_TRUEDIV', '//': 'RT_FLOORDIV',
       '%': 'RT_MOD', '**': 'RT_POW', '<<': 'RT_LSHIFT', '>>': 'RT_RSHIFT', '&': 'RT_AND',
       '|': 'RT_OR', '^': 'RT_XOR'}
ints = [0, 1, -1, 7, -7, 3, 1025, 2 ** 62, 2 ** 63 - 1, -2 ** 63, 2 ** 64, -2 ** 100,
        math.factorial(30), 2 ** 53 + 1]
small_exp = [0, 1, 2, 3, 5, 10, 63, 64, 100, -1, -2]
rows = []
for a in ints:
    for b in ints:
        for op in OPS:
            if op == '**' and not (-5 <= b <= 100):
                continue
            if op == '<<' and not (-2 <= b <= 200):
                continue
            r = outcome(lambda: eval('a %s b' % op))
            if len(r) <= 120:      # keep the header small: huge powers add nothing
                rows.append((c_str(str(a)), c_str(str(b)), OPC[op], c_str(r)))
for a in ints[:12]:
    for e in small_exp:
        rows.append((c_str(str(a)), c_str(str(e)), 'RT_POW', c_str(outcome(lambda: a ** e))))
emit('int_binop_cases', 'struct { const char *a, *b; RtBinOp op; const char *result; }', rows)

# ---- mixed int / float / bool / complex arithmetic -------------------------------
nums = [('i', 3), ('i', -7), ('i', 0), ('i', 2 ** 70), ('f', 2.5), ('f', -0.0), ('f', 0.0),
        ('f', float('inf')), ('f', float('nan')), ('f', 1e308), ('b', True), ('c', 1 + 2j), ('c', 0j)]


def lit(kind, v):
    """One C string naming a number: "i-7", "p1100" (2**1100), "b1", "f<16 hex digits of the bits>", "c<re><im>"."""
    if kind == 'i' and abs(v) > 2 ** 100 and abs(v) & (abs(v) - 1) == 0:
        return (c_str('p%s%d' % ('-' if v < 0 else '', abs(v).bit_length() - 1)),)   # +-2**N
    if kind == 'i':
        return (c_str('i%d' % v),)
    if kind == 'b':
        return (c_str('b%d' % v),)
    if kind == 'f':
        return (c_str('f' + bits(v)[2:18]),)
    return (c_str('c' + bits(v.real)[2:18] + bits(v.imag)[2:18]),)


rows = []
for ka, a in nums:
    for kb, b in nums:
        for op in ['+', '-', '*', '/', '//', '%', '**']:
            if op == '**' and ka in 'ic' and kb == 'i' and abs(b) > 100:
                continue
            r = outcome(lambda: eval('a %s b' % op))
            rows.append(lit(ka, a) + lit(kb, b) + (OPC[op], c_str(r)))
emit('mixed_binop_cases',
     'struct { const char *a, *b; RtBinOp op; const char *result; }', rows)

# ---- comparisons and hashes ---------------------------------------------------------
cmp_vals = [('i', 1), ('i', 2 ** 53 + 1), ('i', -2 ** 63), ('i', 2 ** 64), ('i', 2 ** 1100),
            ('f', 1.0), ('f', 9007199254740992.0), ('f', float('inf')), ('f', float('nan')),
            ('f', -9.223372036854775808e18), ('f', 0.5), ('b', True), ('c', 1 + 0j)]
CMP = ['<', '<=', '==', '!=', '>', '>=']
CMPC = {'<': 'RT_LT', '<=': 'RT_LE', '==': 'RT_EQ', '!=': 'RT_NE', '>': 'RT_GT', '>=': 'RT_GE'}
rows = []
for ka, a in cmp_vals:
    for kb, b in cmp_vals:
        for op in CMP:
            rows.append(lit(ka, a) + lit(kb, b) + (CMPC[op], c_str(outcome(lambda: eval('a %s b' % op)))))
emit('compare_cases',
     'struct { const char *a, *b; RtCmpOp op; const char *result; }', rows)

hash_vals = [('i', 0), ('i', -1), ('i', -2), ('i', 2 ** 61 - 1), ('i', 2 ** 61), ('i', -2 ** 61),
             ('i', 2 ** 63 - 1), ('i', -2 ** 63), ('i', 2 ** 100), ('i', -2 ** 100), ('i', 10 ** 50),
             ('f', 1.5), ('f', -1.5), ('f', 1e300), ('f', 0.1), ('f', -0.0), ('f', 2.0 ** 70),
             ('f', float('inf')), ('f', float('-inf')), ('f', 1e-300), ('f', -1.0), ('b', True),
             ('c', 1 + 2j), ('c', -1.5 - 0.25j), ('c', 3 + 0j)]
emit('hash_cases', 'struct { const char *v; const char *result; }',
     [lit(k, v) + (c_str(str(hash(v))),) for k, v in hash_vals])

# ---- unary ---------------------------------------------------------------------------
rows = []
for k, v in nums + [('i', -2 ** 63), ('i', 2 ** 63 - 1)]:
    for op, name in [('-', 'RT_NEG'), ('+', 'RT_POS'), ('~', 'RT_INVERT')]:
        rows.append(lit(k, v) + (name, c_str(outcome(lambda: eval('%s v' % op)))))
emit('unary_cases', 'struct { const char *v; RtUnaryOp op; const char *result; }', rows)

# ---- int() and float() from text -------------------------------------------------------
int_texts = [('12', 10), ('  12 ', 10), ('-0', 10), ('+5', 10), ('1_000', 10), ('1__0', 10),
             ('_1', 10), ('1_', 10), ('0x1f', 16), ('0X1F', 0), ('1f', 16), ('0o17', 0),
             ('0b101', 0), ('0b101', 2), ('0b101', 10), ('010', 0), ('000', 0), ('0_0', 0),
             ('z', 36), ('Z', 36), ('10', 2), ('12', 2), ('', 10), ('  ', 10), ('-', 10),
             ('x', 10), ('1 2', 10), ('99999999999999999999999999', 10),
             ('-99999999999999999999999999', 10), ('123456789012345678', 10),
             ('1234567890123456789', 10), ('\u00a0 7\u3000', 10), ('1\x1c', 10),
             ('9223372036854775807', 10), ('9223372036854775808', 10), ('-9223372036854775808', 10),
             ('0x_1f', 0), ('0x__1f', 0), ('0_x1f', 0), ('12', 1), ('12', 37), ('7', 0),
             ('1' * 4300, 10), ('1' * 4301, 10), ('1' * 5000, 16), ('ffffffffffffffffffffff', 16),
             ('x' * 300, 10), ('0b', 0), ('0x', 16)]
rows = []
for t, b in int_texts:
    r = outcome(lambda: int(t, b))
    if len(r) > 300:
        r = r[:20] + '...%d chars' % len(r)
    rows.append((c_str(t), str(b), c_str(r)))
emit('int_text_cases', 'struct { const char *text; int base; const char *result; }', rows)

float_texts = ['1.5', ' 1e3 ', '-0', '+.5e-3', '1_000.5', '1_000.0_1', '1e1_0', '1_.5', '1._5',
               '_1', '1_', '1__0', '.5', '5.', '.', 'e5', '1e', '1e+', '  -inf ', 'nAn', '-nan',
               'infinity', '+Infinity', 'infinit', '0x10', '1.5j', '\u00a01\u3000', '0_1',
               '1e500', '-1e500', '1e-400', '2.2250738585072011e-308', '0.1', '123456789012345678901234567890',
               '', ' ', '1\x1c', 'inf ', 'in f', '1.7976931348623157e308', '1.7976931348623159e308']
emit('float_text_cases', 'struct { const char *text; const char *result; }',
     [(c_str(t), c_str(outcome(lambda: float(t)))) for t in float_texts])

complex_texts = ['1+2j', '(1+2j)', ' ( 1-2j ) ', 'j', '-j', '+1j', '1e3j', 'inf+nanj', '1+j',
                 '1 + 2j', '2j+1', '1_0j', '(1', 'nanj', '-1.5e-3-2.5e+3J', '3', '', 'x', '1+2k']
emit('complex_text_cases', 'struct { const char *text; const char *result; }',
     [(c_str(t), c_str(outcome(lambda: complex(t)))) for t in complex_texts])

# ---- round() ------------------------------------------------------------------------------
round_cases = [(2.675, 2), (0.125, 2), (2.5, None), (-2.5, None), (0.5, None), (1.5, None),
               (-0.4, None), (1234.5, -2), (1250.5, -2), (-0.7, -1), (1.5, 10 ** 30), (1e300, -300),
               (1.7e308, -308), (5.0, -1), (15.0, -1), (0.1 + 0.2, 1), (123.456, 0), (-123.456, 1),
               (float('inf'), 2), (float('nan'), 0), (float('inf'), None), (float('nan'), None),
               (1e16 + 2, None), (-0.0, 1), (2.0 ** 70, None), (0.285, 2), (1.005, 2),
               (99.99999, 3), (1.23456789e-10, 15), (5e-324, 400), (123.4, -400)]
rows = []
for x, n in round_cases:
    r = outcome(lambda: round(x) if n is None else round(x, n))
    rows.append(("'f'", c_str(bits(x)[:-3]), '1' if n is None else '0', c_str('0' if n is None else str(n)), c_str(r)))
for x, n in [(5, -1), (15, -1), (25, -1), (-25, -1), (12345, -2), (12355, -1), (7, 2), (10 ** 20 + 5, -1),
             (-(10 ** 20) - 5, -1), (12345, -30), (True, None), (123, None)]:
    r = outcome(lambda: round(x) if n is None else round(x, n))
    k = "'b'" if isinstance(x, bool) else "'i'"
    rows.append((k, c_str(str(int(x))), '1' if n is None else '0', c_str('0' if n is None else str(n)), c_str(r)))
emit('round_cases', 'struct { char k; const char *x; int none; const char *nd; const char *result; }', rows)

# ---- divmod, pow(a, b, m), abs --------------------------------------------------------------
rows = []
for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (1, 0), (2 ** 70, 3), (-2 ** 70, 7), (7.5, 2), (-7.5, 2),
             (7.5, -2), (1.0, 0), (0.0, -3), (-0.0, 3), (1e308, 1e-308), (float('inf'), 2),
             (5, float('inf')), (-5, float('inf'))]:
    rows.append(lit('f' if isinstance(a, float) else 'i', a) + lit('f' if isinstance(b, float) else 'i', b) +
                (c_str(outcome(lambda: divmod(a, b))),))
emit('divmod_cases', 'struct { const char *a, *b; const char *result; }', rows)
rows = []
for a, b, m in [(2, 10, 1000), (3, 200, 10 ** 9 + 7), (2, -1, 7), (2, -1, 4), (5, 3, -7), (-5, 3, 7),
                (2, 3, 0), (0, 0, 5), (2 ** 100, 2 ** 100, 2 ** 61 - 1), (7, -3, 2 ** 70 + 1), (4, 2, 1)]:
    rows.append((c_str(str(a)), c_str(str(b)), c_str(str(m)), c_str(outcome(lambda: pow(a, b, m)))))
emit('powmod_cases', 'struct { const char *a, *b, *m; const char *result; }', rows)

# ---- int methods ----------------------------------------------------------------------------
rows = []
for v in [0, 1, -1, 255, -256, 2 ** 64, -2 ** 64, 2 ** 100 + 12345]:
    rows.append((c_str(str(v)), c_str(str(v.bit_length())), c_str(str(v.bit_count()))))
emit('bit_cases', 'struct { const char *v; const char *bit_length, *bit_count; }', rows)
rows = []
for v, n, order, signed in [(1024, 2, 'big', False), (1024, 2, 'little', False), (-1, 2, 'big', True),
                            (-1, 2, 'big', False), (2 ** 64, 2, 'big', False), (127, 1, 'big', True),
                            (128, 1, 'big', True), (-128, 1, 'big', True), (-129, 1, 'little', True),
                            (0, 0, 'big', False), (1, 0, 'big', False), (2 ** 70 + 5, 9, 'little', False),
                            (5, -1, 'big', False), (5, 2, 'middle', False)]:
    r = outcome(lambda: v.to_bytes(n, order, signed=signed))
    back = outcome(lambda: int.from_bytes(v.to_bytes(n, order, signed=signed), order, signed=signed))
    rows.append((c_str(str(v)), str(n), c_str(order), '1' if signed else '0', c_str(r), c_str(back)))
emit('to_bytes_cases', 'struct { const char *v; int n; const char *order; int is_signed; '
     'const char *bytes, *back; }', rows)

# ---- float methods ------------------------------------------------------------------------------
rows = []
for x in [1.0, 0.5, -0.0, 0.0, 3.75, 0.1, 1e300, 5e-324, float('inf'), float('nan'), -2.5, 1e-320, 2.0 ** 80]:
    rows.append((bits(x), c_str(outcome(lambda: x.hex())), c_str(outcome(lambda: x.as_integer_ratio())),
                 c_str(outcome(lambda: x.is_integer()))))
emit('float_method_cases', 'struct { uint64_t bits; const char *hex, *ratio, *is_integer; }', rows)
rows = []
for t in ['0x1.8p1', '1.8p1', '-0x1p-1074', '0x1p-1075', '0x1.fffffffffffff8p1023', '0x1p1024', 'inf',
          ' -0x0.0p0 ', '0x', 'x1', '0x1.g', '0x10', '0x.8', '1p', 'nan', '0x1p+3']:
    rows.append((c_str(t), c_str(outcome(lambda: float.fromhex(t)))))
emit('fromhex_cases', 'struct { const char *text; const char *result; }', rows)

# ---- conversions: float(int), int(float), abs, complex repr ---------------------------------------
rows = []
for v in [2 ** 53 + 1, 2 ** 54 + 3, -(2 ** 60) - 1, 2 ** 1023 * 3 // 2, 2 ** 1024, -(2 ** 1024) + 2 ** 970,
          2 ** 1024 - 2 ** 970, 10 ** 308, 123456789012345678901234567890]:
    rows.append((c_str(str(v)), c_str(outcome(lambda: float(v)))))
emit('int_to_float_cases', 'struct { const char *v; const char *result; }', rows)
rows = []
for x in [3.9, -3.9, 3.9e20, -1e300, 0.5, -0.0, float('inf'), float('nan'), 2.0 ** 63, -2.0 ** 63, 1e19]:
    rows.append((bits(x), c_str(outcome(lambda: int(x)))))
emit('float_to_int_cases', 'struct { uint64_t bits; const char *result; }', rows)
rows = []
for z in [1 + 2j, complex(-0.0, 1), complex(0, -1), complex(1e16, 1), complex(float('nan'), float('inf')),
          -1 + 0j, complex(0.0, -0.0), complex(-0.0, -0.0), 1.5j, complex(1, float('-inf')), 3 + 0j]:
    rows.append((bits(z.real), bits(z.imag), c_str(repr(z)), c_str(outcome(lambda: abs(z)))))
emit('complex_repr_cases', 'struct { uint64_t re, im; const char *repr, *abs; }', rows)

# ---- int -> str digit limit -------------------------------------------------------
print('static const char *const digit_limit_str = %s;' % c_str(outcome(lambda: str(10 ** 4300))))
print('static const char *const digit_limit_int = %s;' % c_str(outcome(lambda: int('1' * 4301))))
print('static const size_t digit_ok_len = %d;' % len(str(-(10 ** 4299))))

# ---- the math module -------------------------------------------------------------------------
def arg_lit(v):
    """A math argument: a number as lit(), or a list "[" + items joined by \\2."""
    if isinstance(v, list):
        return '[' + '\2'.join(arg_lit(x) for x in v)
    kind = 'b' if isinstance(v, bool) else 'i' if isinstance(v, int) else 'f' if isinstance(v, float) else 'c'
    return eval(lit(kind, v)[0])   # the C literal text is also a valid Python literal here


F = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 10.0, 1e-300, 1e300, 1e308, float('inf'), float('-inf'), float('nan'),
     3.7, -2.5, 100.0, 710.0]
I = [0, 1, -1, 5, 10, 2 ** 70, -(2 ** 70), 10 ** 400 if False else 2 ** 1100, True]
math_inputs = {
    'sqrt': [[x] for x in F + I[:5]], 'exp': [[x] for x in F], 'sin': [[x] for x in F],
    'cos': [[x] for x in F], 'tan': [[x] for x in F], 'asin': [[x] for x in F], 'acos': [[x] for x in F],
    'atan': [[x] for x in F], 'fabs': [[x] for x in F + I], 'log': [[x] for x in F + I] + [[8, 2], [100, 10],
    [1, 1], [2, 0], [2 ** 1100, 2], [10.0, -1]], 'log2': [[x] for x in F + I], 'log10': [[x] for x in F + I],
    'floor': [[x] for x in F + I], 'ceil': [[x] for x in F + I], 'trunc': [[x] for x in F + I],
    'isnan': [[x] for x in F], 'isinf': [[x] for x in F], 'isfinite': [[x] for x in F],
    'copysign': [[1.0, -0.0], [-3.0, 2.0], [float('nan'), -1.0], [2, -1]],
    'pow': [[x, y] for x in [0.0, -0.0, 2.0, -2.0, 1.0, float('inf'), float('nan'), 0.5]
            for y in [0.0, 3.0, -1.0, 0.5, 1e6, float('inf'), -float('inf'), float('nan')]],
    'atan2': [[y, x] for y in [0.0, -0.0, 1.0, float('inf')] for x in [0.0, -0.0, -1.0, float('-inf')]],
    'hypot': [[3, 4], [1e308, 1e308], [1.5, 2.5, 3.5], [0.1, 0.2, 0.3, 0.4], [], [7], [float('inf'), float('nan')],
              [1e-320, 1e-320], [-3, 4, -12], [1e200, 1e200, 1e200]],
    'degrees': [[x] for x in F[:8]], 'radians': [[x] for x in F[:8]],
    'gcd': [[], [12, 18], [-12, 18, 30], [2 ** 70, 2 ** 65 * 3], [0, 0], [1.5]],
    'lcm': [[], [4, 6], [-4, 6], [2 ** 70, 3], [0, 5]],
    'factorial': [[0], [1], [5], [30], [-1], [1.5], [True]],
    'comb': [[5, 2], [10, 0], [2, 5], [-1, 2], [5, -1], [100, 50], [2 ** 70, 2]],
    'perm': [[5, 2], [5], [2, 5], [-1, 2], [5, -1], [20, 10]],
    'isqrt': [[0], [15], [16], [2 ** 100 + 1], [-1], [1.5]],
    'fsum': [[[0.1] * 10], [[1e308, 1e308]], [[float('inf'), float('-inf')]], [[1e-16, 1, 1e16]],
             [[float('inf'), 1.0]], [[1, 2, 3]], [[]], [[float('nan'), 1.0]], [[1e100, 1.0, -1e100, 1e-100]]],
    'prod': [[[1, 2, 3, 4]], [[]], [[2.5, 4]], [[2 ** 40, 2 ** 40]]],
    'isclose': [[1.0, 1.0 + 1e-10], [1.0, 1.1], [float('inf'), float('inf')], [0.0, 1e-12]],
}
rows = []
for fname, cases in math_inputs.items():
    for a in cases:
        rows.append((c_str(fname), c_str('\1'.join(arg_lit(x) for x in a)),
                     c_str(outcome(lambda: getattr(math, fname)(*a)))))
emit('math_cases', 'struct { const char *fn, *args, *result; }', rows)

# ---- random: the errors (the numbers themselves are ours) --------------------------------------
import random as _r
rows = []
for fname, a in [('randrange', [1.5]), ('randrange', [0]), ('randrange', [5, 5]), ('randrange', [0, 10, 0]),
                 ('randrange', [10, 0, 2]), ('randint', [5, 1]), ('choice', [[]]), ('sample', [[1, 2], 3]),
                 ('getrandbits', [-1]), ('randrange', [2.0, 5.5])]:
    rows.append((c_str(fname), c_str('\1'.join(arg_lit(x) for x in a)), c_str(outcome(lambda: getattr(_r, fname)(*a)))))
emit('random_error_cases', 'struct { const char *fn, *args, *result; }', rows)

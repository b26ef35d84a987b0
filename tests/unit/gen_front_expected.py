#!/usr/bin/env python3
"""Writes tests/unit/front_expected.h: small Python sources and the dump
CPython 3.11's ast.dump() gives for each, for test_front.c to compare with
mp2c's ast_dump(). The expected strings come from CPython, never by hand.
    usage: python3 tests/unit/gen_front_expected.py   (from the repo root)
"""
import ast
import sys

CASES = [
    # imports (Lang. Ref. 7.11)
    ("import_plain", "import os\n"),
    ("import_dotted_as", "import os.path as p, sys\n"),
    ("from_import", "from multiprocessing import Pool, Process as P\n"),
    ("from_relative", "from ..pkg import (a, b,)\n"),
    ("from_star", "from os import *\n"),
    # functions and classes (8.7, 8.8)
    ("def_defaults", "def f(a, b=1, *args, c, d=2, **kw): pass\n"),
    ("def_posonly", "def f(a, /, b, *, c): return a\n"),
    ("def_annotations", "def f(x: int = 0) -> str: ...\n"),
    ("def_decorated", "@d1\n@d2(3)\ndef f(): pass\n"),
    ("def_docstring", "def f():\n    'doc'\n    return 1\n"),
    ("class_bases", "class A(B, C, flag=1):\n    x = 1\n"),
    ("lambda_args", "f = lambda x, *a, k=1, **kw: x\n"),
    ("global_nonlocal", "def f():\n    x = 1\n    def g():\n        nonlocal x\n        global y\n"),
    # control flow (8.1-8.4)
    ("if_elif_else", "if a:\n    b\nelif c:\n    d\nelse:\n    e\n"),
    ("for_else", "for i, j in pairs:\n    continue\nelse:\n    pass\n"),
    ("while_else", "while x:\n    break\nelse:\n    y = 1\n"),
    ("try_full", "try:\n    a()\nexcept (E1, E2) as e:\n    raise\nexcept E3:\n    pass\nelse:\n    b()\nfinally:\n    c()\n"),
    ("raise_from", "raise ValueError('x') from err\n"),
    ("with_items", "with a as x, b:\n    pass\n"),
    ("with_parens", "with (a as x, b as y):\n    pass\n"),
    ("with_tuple_target", "with a as (x, y):\n    pass\n"),
    ("assert_msg", "assert x, 'msg'\n"),
    ("del_targets", "del a, b[0], c.d\n"),
    ("return_tuple", "def f():\n    return 1, 2\n"),
    # assignment (7.2)
    ("assign_chain", "a = b = c = 1\n"),
    ("assign_unpack", "a, (b, c), *d = x\n"),
    ("assign_list_target", "[a, b] = x\n"),
    ("augassign_all", "x += 1\nx -= 1\nx *= 1\nx @= 1\nx /= 1\nx %= 1\nx **= 1\nx <<= 1\nx >>= 1\nx |= 1\nx ^= 1\nx &= 1\nx //= 1\n"),
    ("annassign", "x: int\ny: list[int] = []\n(z): int = 1\nobj.a: str = 's'\n"),
    ("walrus", "if (n := len(a)) > 10: pass\n"),
    # expressions (Lang. Ref. 6)
    ("arith_precedence", "x = a + b * c - d / e // f % g\n"),
    ("power_unary", "x = -a ** -b\n"),
    ("power_right_assoc", "x = a ** b ** c\n"),
    ("bitwise_precedence", "x = a | b ^ c & d << e\n"),
    ("xor_and", "x = ~1 ^ 1 & 1\n"),
    ("matmul", "x = a @ b\n"),
    ("boolop_flatten", "x = a and b and c or d\n"),
    ("boolop_parens", "x = a and (b and c)\n"),
    ("not_op", "x = not a\n"),
    ("compare_chain", "x = a < b <= c != d\n"),
    ("compare_in_is", "x = a not in b is not c in d is e\n"),
    ("ifexp", "x = a if b else c\n"),
    ("call_args", "f(a, *b, c=1, **d)\n"),
    ("call_genexp", "sum(x for x in y)\n"),
    ("call_star_call", "print(*map(str, v))\n"),
    ("attribute_chain", "a.b.c()\n"),
    ("subscript_slice", "a[1:2]\na[::2]\na[:]\n"),
    ("subscript_ext", "a[1:2, ::3]\n"),
    ("subscript_tuple", "a[1, 2]\na[1,]\n"),
    ("subscript_star", "a[*b]\n"),
    ("yield_forms", "def g():\n    yield\n    yield 1\n    yield 1, 2\n    yield from x\n    y = yield\n"),
    ("await_expr", "async def f():\n    await g()\n"),
    # literals (2.4)
    ("int_forms", "x = 0x1F, 0o17, 0b101, 1_000, 0\n"),
    ("int_big", "x = 123456789012345678901234567890\n"),
    ("float_repr", "x = 0.1, 1e16, 1e15, 1e-05, 0.0001, 2.5, 1.0\n"),
    ("complex", "x = 1j, 2.5j, 1e3j, 0j\n"),
    ("consts", "x = True, False, None, ...\n"),
    ("str_quotes", "x = 'a', \"it's\", 'say \"hi\"', 'both \\' \"'\n"),
    ("str_escapes", "x = '\\t\\n\\x41\\101\\u00e9\\U0001F600\\\\'\n"),
    ("str_raw", "x = r'\\n\\d'\n"),
    ("str_concat", "x = 'a' \"b\" 'c'\n"),
    ("str_u_kind", "x = u'a' 'b'\n"),
    ("str_cjk", "x = '多进程'\n"),
    ("str_nonprintable", "x = '\\x00\\x7f\\xa0\\u200b'\n"),
    ("bytes", "x = b'\\x00\\xffab', rb'\\d'\n"),
    ("fstring_conv", "x = f'{a!r} {b!s} {c!a}'\n"),
    ("fstring_spec_nested", "x = f'{v:{w}.{p}f}'\n"),
    ("fstring_debug", "x = f'{a=} {b = :>3} {c=!s}'\n"),
    ("fstring_braces", "x = f'{{lit}} {a}'\n"),
    ("fstring_concat", "x = 'a' f'{b}' 'c'\n"),
    ("fstring_empty_spec", "x = f'{a:}'\n"),
    # displays (6.2)
    ("list_star", "x = [1, *a, 2]\n"),
    ("tuple_forms", "x = ()\ny = (1,)\nz = 1, 2\n"),
    ("set_star", "x = {1, *a}\n"),
    ("dict_splat", "x = {'a': 1, **b}\n"),
    ("listcomp_multi", "x = [i * j for i in a if i for j in b if j if i != j]\n"),
    ("setcomp", "x = {i for i in a}\n"),
    ("dictcomp", "x = {k: v for k, v in d.items()}\n"),
    ("genexp", "x = (i for i in a)\n"),
    ("print_chevron", "print >>f, x\n"),
    ("docstring_module", "'''Module doc.'''\nimport os\n"),
    ("semicolons", "a = 1; b = 2; c = 3\n"),
    ("line_continuation", "x = 1 + \\\n    2\n"),
    ("comment_in_parens", "f(a,  # c\n  b)\n"),
]


def c_string(s):
    out = ['"']
    for ch in s.encode('utf-8'):
        c = chr(ch)
        if c == '"':
            out.append('\\"')
        elif c == '\\':
            out.append('\\\\')
        elif c == '\n':
            out.append('\\n')
        elif c == '\t':
            out.append('\\t')
        elif ch < 0x20 or ch == 0x7f:
            out.append('\\%03o' % ch)
        elif ch >= 0x80:
            out.append('\\x%02x""' % ch)    # split: a hex escape eats following hex digits
        else:
            out.append(c)
    out.append('"')
    return ''.join(out)


def main():
    lines = ['/* Generated by tests/unit/gen_front_expected.py from CPython %s\'s ast.dump().'
             % sys.version.split()[0],
             ' * Do not edit. */',
             'static const struct FrontCase { const char *name, *src, *dump; } front_cases[] = {']
    for name, src in CASES:
        dump = ast.dump(ast.parse(src))
        compile(src, name, 'exec')   # the sources must be valid for compile(), too
        lines.append('    { "%s",\n      %s,\n      %s },' % (name, c_string(src), c_string(dump)))
    lines.append('};')
    open('tests/unit/front_expected.h', 'w', encoding='utf-8').write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()

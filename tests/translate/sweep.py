#!/usr/bin/env python3
"""The translator on real code: every module of CPython's standard library,
with its imports removed (mp2c would reject most of them), goes through the
whole pipeline: `mp2c emit` must end with exit 0 or a diagnostic (exit 1),
never a crash; and every C file it writes must compile with
-std=c11 -Wall -Wextra -Werror. Prints one PASS/FAIL line."""
import ast
import concurrent.futures
import os
import subprocess
import sys
import sysconfig
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
B = os.environ.get('B', 'build')


def strip_imports(src):
    tree = ast.parse(src)
    lines = src.split('\n')
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for ln in range(node.lineno - 1, node.end_lineno):
                indent = len(lines[ln]) - len(lines[ln].lstrip())
                lines[ln] = ' ' * indent + 'pass' if ln == node.lineno - 1 else ''
    out = '\n'.join(lines)
    ast.parse(out)
    return out


def one(args):
    path, tmp = args
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            src = strip_imports(f.read())
    except Exception:
        return None
    py = os.path.join(tmp, name)
    c = py[:-3] + '.c'
    with open(py, 'w', encoding='utf-8') as f:
        f.write(src)
    try:
        e = subprocess.run([os.path.join(ROOT, B, 'mp2c'), 'emit', py, '-o', c], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=60)
    except subprocess.TimeoutExpired:
        return (name, 'emit timed out')
    if e.returncode not in (0, 1):
        return (name, 'emit exit %d: %s' % (e.returncode, e.stderr.decode(errors='replace')[-300:]))
    if e.returncode == 1:
        if b': error: ' not in e.stderr:
            return (name, 'exit 1 without a diagnostic')
        return ('', 'diag')
    g = subprocess.run(['cc', '-std=c11', '-fsyntax-only', '-Wall', '-Wextra', '-Werror',
                        '-I' + os.path.join(ROOT, B, 'include'), c], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if g.returncode != 0:
        return (name, 'C does not compile: ' + g.stderr.decode(errors='replace')[:400])
    return ('', 'ok')


def main():
    std = sysconfig.get_paths()['stdlib']
    files = sorted(os.path.join(std, f) for f in os.listdir(std) if f.endswith('.py'))
    with tempfile.TemporaryDirectory() as tmp:
        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            results = [r for r in ex.map(one, [(f, tmp) for f in files]) if r]
    failures = [r for r in results if r[0]]
    ok = sum(1 for r in results if r == ('', 'ok'))
    diag = sum(1 for r in results if r == ('', 'diag'))
    line = 'translate/stdlib-sweep (%d modules: %d translated and compiled, %d diagnosed)' % (len(results), ok, diag)
    if failures:
        print('FAIL ' + line)
        for name, why in failures[:20]:
            print('    %s: %s' % (name, why))
    else:
        print('PASS ' + line)


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""`make demo`: translate every script in examples/ with mp2c, build it, run it
next to CPython, and print whether the outputs match (under the rules stated
next to each example, see tests/golden/golden.py) and how long each took.

Times are wall-clock, one run each: the examples mostly sleep and fork, so the
speed-up here shows process start-up and IPC costs. bench/ has the CPU-bound
pairs with medians.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'golden'))
import golden  # noqa: E402

BUILD = os.environ.get('B', 'build')


def timed(argv, env):
    t = time.perf_counter()
    p = subprocess.run(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return time.perf_counter() - t, p


def main():
    env = golden.env()
    rows = []
    for d, name in golden.scripts(set(sys.argv[1:])):
        if d != 'examples':
            continue
        rel = os.path.join('examples', name + '.py')
        exe = os.path.join(ROOT, BUILD, 'demo', name)
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        b = subprocess.run([os.path.join(ROOT, BUILD, 'mp2c'), 'build', rel, '-o', exe], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if b.returncode != 0:
            print(b.stdout.decode(errors='replace'))
            rows.append((name, 'build failed', None, None))
            continue
        t_py, py = timed([sys.executable, rel], env)
        t_c, c = timed([exe], env)
        # compare this run with CPython's run just now, by the example's rules
        base = os.path.join(ROOT, 'examples', name)
        saved = {}
        for ext, data in (('.expected', py.stdout), ('.rc', b'%d\n' % py.returncode), ('.stderr', py.stderr)):
            with open(base + ext, 'rb') as f:
                saved[ext] = f.read()
            with open(base + ext, 'wb') as f:
                f.write(data)
        try:
            problems = golden.compare('examples', name, c.stdout.decode('utf-8', 'replace'),
                                      c.stderr.decode('utf-8', 'replace'), c.returncode)
        finally:
            for ext, data in saved.items():
                with open(base + ext, 'wb') as f:
                    f.write(data)
        rows.append((name, 'yes' if not problems else 'NO', t_py, t_c))
        if problems:
            print('%s:\n  %s' % (name, '\n  '.join(problems)))
    print()
    print('%-24s %-8s %12s %12s %9s' % ('script', 'matches', 'CPython (s)', 'mp2c (s)', 'speed-up'))
    print('-' * 69)
    for name, ok, tp, tc in rows:
        if tp is None:
            print('%-24s %-8s' % (name, ok))
        else:
            print('%-24s %-8s %12.3f %12.3f %8.1fx' % (name, ok, tp, tc, tp / tc if tc > 0 else 0))
    return 0 if all(r[1] == 'yes' for r in rows) else 1


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""Paired benchmarks: each bench/script_*.py run under CPython and, translated
by mp2c, as a native program, in one run, on the same arguments. Reports the
median wall time of RUNS runs of each and the ratio, and checks that both
printed the same result. The machines are shared and noisy: trust medians
and ratios, not single runs.

    python3 bench/pairs.py [RUNS] [NAME...]
"""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
B = os.environ.get('B', 'build')

# script, arguments, what it measures
CASES = [
    ('script_primes', ['2000000'], 'count primes < 2e6, Pool(2).map over chunks (CPU-bound)'),
    ('script_pingpong', ['20000'], 'Pipe ping-pong of a small int, 20k round trips'),
    ('script_queue', ['100000'], 'Queue, 1 producer -> 1 consumer, 100k small ints'),
    ('script_pool_dispatch', ['20000', '1'], 'Pool.map of a trivial task, 20k items, chunksize=1'),
    ('script_pool_dispatch', ['200000', 'default'], 'Pool.map of a trivial task, 200k items, default chunksize'),
    ('script_spawn', ['200', 'fork'], 'Process start+join x200, fork'),
    ('script_spawn', ['50', 'spawn'], 'Process start+join x50, spawn'),
    ('script_counter', ['50000'], 'locked Value increment, 2 processes x 50k'),
]


def run(argv):
    env = dict(os.environ)
    env.pop('PYTHONUNBUFFERED', None)
    t = time.perf_counter()
    p = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError('%s failed: %s' % (' '.join(argv), p.stderr.decode(errors='replace')[-500:]))
    return dt, p.stdout


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    only = set(sys.argv[2:])
    print('%-58s %10s %10s %8s' % ('benchmark (median of %d runs)' % runs, 'CPython s', 'mp2c s', 'ratio'))
    print('-' * 90)
    for name, args, what in CASES:
        if only and name not in only:
            continue
        exe = os.path.join(ROOT, B, 'bench', name)
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        env = dict(os.environ, CFLAGS=os.environ.get('BENCH_CFLAGS', '-O2'))
        subprocess.run([os.path.join(ROOT, B, 'mp2c'), 'build', 'bench/%s.py' % name, '-o', exe],
                       cwd=ROOT, env=env, check=True)
        py, c = [], []
        for _ in range(runs):
            t, out_py = run([sys.executable, 'bench/%s.py' % name] + args)
            py.append(t)
            t, out_c = run([exe] + args)
            c.append(t)
            if out_py != out_c:
                print('  OUTPUT DIFFERS: %r vs %r' % (out_py[:80], out_c[:80]))
        mp, mc = statistics.median(py), statistics.median(c)
        print('%-58s %10.3f %10.3f %7.1fx' % (what, mp, mc, mp / mc))
        sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())

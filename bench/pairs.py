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


# Hand-written C for the same job, where there is one (bench/NAME.c): built
# with cc -O2 and run in the same loop, as the floor mp2c is measured against.
HAND = {'script_primes': 'primes_hand'}


def run(argv):
    """Wall time, CPU time of the whole process tree (user + sys), stdout."""
    env = dict(os.environ)
    env.pop('PYTHONUNBUFFERED', None)
    before = os.times()
    t = time.perf_counter()
    p = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    dt = time.perf_counter() - t
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if p.returncode != 0:
        raise RuntimeError('%s failed: %s' % (' '.join(argv), p.stderr.decode(errors='replace')[-500:]))
    return dt, cpu, p.stdout


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    only = set(sys.argv[2:])
    print('%-58s %21s %21s %15s' % ('', 'wall s (median)', 'CPU s (median)', 'ratio'))
    print('%-58s %10s %10s %10s %10s %7s %7s' % ('benchmark, %d runs' % runs, 'CPython', 'mp2c', 'CPython',
                                                  'mp2c', 'wall', 'CPU'))
    print('-' * 118)
    for name, args, what in CASES:
        if only and name not in only:
            continue
        exe = os.path.join(ROOT, B, 'bench', name)
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        env = dict(os.environ, CFLAGS=os.environ.get('BENCH_CFLAGS', '-O2'))
        subprocess.run([os.path.join(ROOT, B, 'mp2c'), 'build', 'bench/%s.py' % name, '-o', exe],
                       cwd=ROOT, env=env, check=True)
        hand = HAND.get(name)
        if hand:
            hand_exe = os.path.join(ROOT, B, 'bench', hand)
            subprocess.run([os.environ.get('CC', 'cc'), '-std=c11', '-O2', 'bench/%s.c' % hand, '-o', hand_exe],
                           cwd=ROOT, check=True)
        py, c, py_cpu, c_cpu, h, h_cpu = [], [], [], [], [], []
        for _ in range(runs):
            if hand:
                t, cpu, out_h = run([hand_exe] + args)
                h.append(t)
                h_cpu.append(cpu)
            t, cpu, out_py = run([sys.executable, 'bench/%s.py' % name] + args)
            py.append(t)
            py_cpu.append(cpu)
            t, cpu, out_c = run([exe] + args)
            c.append(t)
            c_cpu.append(cpu)
            if out_py != out_c:
                print('  OUTPUT DIFFERS: %r vs %r' % (out_py[:80], out_c[:80]))
        mp, mc = statistics.median(py), statistics.median(c)
        cp, cc = statistics.median(py_cpu), statistics.median(c_cpu)
        print('%-58s %10.3f %10.3f %10.3f %10.3f %6.1fx %6.1fx' % (what, mp, mc, cp, cc, mp / mc,
                                                                    cp / cc if cc > 0 else float('inf')))
        if hand:
            mh, ch = statistics.median(h), statistics.median(h_cpu)
            if out_h != out_py:
                print('  OUTPUT DIFFERS (hand-written C): %r vs %r' % (out_h[:80], out_py[:80]))
            print('%-58s %10s %10.3f %10s %10.3f %6.1fx %6.1fx' % ('  hand-written C, bench/%s.c' % hand, '', mh, '', ch,
                                                                    mp / mh, cp / ch if ch > 0 else float('inf')))
        sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())

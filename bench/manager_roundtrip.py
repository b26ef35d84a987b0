"""Manager() proxies under CPython: round trips per second.

    python3 bench/manager_roundtrip.py N RUNS
prints three medians: d[k] = v / d[k] operations per second in one
process, and `with lock: d['n'] += 1` increments per second with two
processes (each increment is four round trips), and the final count check.
"""
import statistics
import sys
import time
from multiprocessing import Manager, Process


def incr(d, lock, n):
    for _ in range(n):
        with lock:
            d['n'] += 1


def one_run(m, n):
    d = m.dict()
    t = time.perf_counter()
    for i in range(n):
        d['k'] = i
        d['k']
    ops = 2 * n / (time.perf_counter() - t)
    d['n'] = 0
    lock = m.Lock()
    ps = [Process(target=incr, args=(d, lock, n // 4)) for _ in range(2)]
    t = time.perf_counter()
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    incs = 2 * (n // 4) / (time.perf_counter() - t)
    assert d['n'] == 2 * (n // 4)
    return ops, incs


def main():
    n, runs = int(sys.argv[1]), int(sys.argv[2])
    with Manager() as m:
        results = [one_run(m, n) for _ in range(runs)]
    print('%d %d' % (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)))


if __name__ == '__main__':
    main()

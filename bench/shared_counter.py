"""Locked shared-counter increment in CPython: `with v.get_lock(): v.value += 1`
on a multiprocessing.Value('i'). Prints the median increments per second.
usage: python3 shared_counter.py N RUNS"""
import multiprocessing as mp
import sys
import time


def run(n):
    v = mp.Value('i', 0)
    t = time.process_time()
    for _ in range(n):
        with v.get_lock():
            v.value += 1
    dt = time.process_time() - t
    assert v.value == n
    return n / dt


if __name__ == '__main__':
    n, runs = int(sys.argv[1]), int(sys.argv[2])
    rates = sorted(run(n) for _ in range(runs))
    print('%.0f' % rates[len(rates) // 2])

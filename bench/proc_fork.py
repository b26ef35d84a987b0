"""proc_fork.py: the CPython side of bench/proc_run.sh. Process(target=f)
start() + join() of a child that does nothing; prints the median time of one
start+join in microseconds over R runs of N each.  usage: proc_fork.py N R"""
import sys
import time
from multiprocessing import Process


def f():
    pass


def once(n):
    t = time.perf_counter()
    for _ in range(n):
        p = Process(target=f)
        p.start()
        p.join()
    return (time.perf_counter() - t) / n * 1e6


if __name__ == "__main__":
    n, r = int(sys.argv[1]), int(sys.argv[2])
    times = sorted(once(n) for _ in range(r))
    print("%.1f" % times[len(times) // 2])

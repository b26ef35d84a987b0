"""CPython side of bench/queue_run.sh: one producer process puts N small
ints into a multiprocessing.Queue, the main process gets them. Prints the
median items/s over R runs."""
import statistics
import sys
import time
from multiprocessing import Process, Queue


def producer(q, n):
    for i in range(n):
        q.put(i)
    q.put(None)


def once(n):
    q = Queue()
    t = time.perf_counter()
    p = Process(target=producer, args=(q, n))
    p.start()
    while q.get() is not None:
        pass
    p.join()
    return n / (time.perf_counter() - t)


if __name__ == '__main__':
    n, runs = int(sys.argv[1]), int(sys.argv[2])
    print("%.0f" % statistics.median(once(n) for _ in range(runs)))

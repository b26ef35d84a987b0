# Queue throughput: one producer process puts N small ints, the parent gets them.
import sys
from multiprocessing import Process, Queue


def produce(q, n):
    for i in range(n):
        q.put(i)


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    q = Queue()
    p = Process(target=produce, args=(q, n))
    p.start()
    total = 0
    for _ in range(n):
        total += q.get()
    p.join()
    print(total)

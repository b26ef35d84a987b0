# A shared counter incremented under its lock by two processes.
import sys
from multiprocessing import Process, Value


def work(v, n):
    for _ in range(n):
        with v.get_lock():
            v.value += 1


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    v = Value('i', 0)
    ps = [Process(target=work, args=(v, n)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(v.value)

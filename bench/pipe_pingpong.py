"""pipe_pingpong.py: the CPython side of bench/pipe_run.sh. A child echoes
what it receives on a duplex Pipe; the parent sends a small int and waits for
it back, N times. Prints the median round trips per second over R runs.
usage: pipe_pingpong.py N R"""
import sys
import time
from multiprocessing import Pipe, Process


def echo(conn, n):
    for _ in range(n):
        conn.send(conn.recv())


def once(n):
    a, b = Pipe()
    p = Process(target=echo, args=(b, n))
    p.start()
    t = time.perf_counter()
    for i in range(n):
        a.send(i)
        a.recv()
    rate = n / (time.perf_counter() - t)
    p.join()
    return rate


if __name__ == "__main__":
    n, r = int(sys.argv[1]), int(sys.argv[2])
    rates = sorted(once(n) for _ in range(r))
    print("%.0f" % rates[len(rates) // 2])

# Pipe ping-pong of a small int between two processes, N round trips.
import sys
from multiprocessing import Process, Pipe


def echo(conn, n):
    for _ in range(n):
        conn.send(conn.recv() + 1)


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    a, b = Pipe()
    p = Process(target=echo, args=(b, n))
    p.start()
    x = 0
    for _ in range(n):
        a.send(x)
        x = a.recv()
    p.join()
    print(x)

# Big ints through multiprocessing: Pool.map results, a worker's accumulator,
# partial products multiplied together in the parent, Queue messages from Processes.
from multiprocessing import Pool, Process, Queue
import math


def factorial_like(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def cube(x):
    return x * x * x


def sq(x):
    return x * x


def sum_squares(rng):
    lo, hi = rng
    s = 0
    for i in range(lo, hi):
        s += i * i
    return s


def sum_pow(k):
    return sum(i ** k for i in range(1, 50))


def partial_product(args):
    lo, hi = args
    r = 1
    for i in range(lo, hi):
        r = r * i
    return r


def mul_all(xs):
    out = 1
    for x in xs:
        out = out * x
    return out


def worker(q, n):
    r = 1
    for i in range(1, n + 1):
        r = r * i
    q.put((n, r))


def power_worker(q, base, e):
    q.put(base ** e)


if __name__ == '__main__':
    with Pool(2) as p:
        res = p.map(factorial_like, range(30))
        print(res[-1], sum(res))
        print(sum(p.map(cube, [10**6, 10**7, 3 * 10**6])))
        print(p.map(sq, [2**40, 3**30]))
        chunks = [(i, i + 1000) for i in range(0, 10000, 1000)]
        parts = p.map(sum_squares, chunks)
        print(parts[:3], sum(parts))
        print(p.map(sum_pow, [2, 10, 15, 20]))
        prods = p.map(partial_product, [(1, 11), (11, 21), (21, 31)])
    print(sum_squares((10**9, 10**9 + 5)))
    print(sum_squares((3 * 10**9, 3 * 10**9 + 3)))
    print(prods, mul_all(prods), mul_all(prods) == math.factorial(30))
    q = Queue()
    ps = [Process(target=worker, args=(q, k)) for k in (10, 25, 40)]
    for pr in ps:
        pr.start()
    for pr in ps:
        pr.join()
    print(sorted(q.get() for _ in ps))
    pr = Process(target=power_worker, args=(q, 7, 60))
    pr.start()
    pr.join()
    print(q.get())

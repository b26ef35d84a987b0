# Ints that grow past 64 bits through additive recurrences, as tutorial
# Fibonacci and doubling loops do; inference must keep them as big ints,
# in the parent and in Pool workers alike. Plain running sums stay small.
from multiprocessing import Pool


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def fib_three_names(n):
    a, b = 0, 1
    i = 0
    while i < n:
        c = a + b
        a = b
        b = c
        i += 1
    return a


def doubling(n):
    x = 3
    for _ in range(n):
        x += x
    return x


def lucas_mod(n, m):
    # bounded by % m: stays a machine int
    a, b = 2, 1
    for _ in range(n):
        a, b = b, (a + b) % m
    return a


def running_sum(n):
    total = 0
    for i in range(n):
        step = i * 3
        total = total + step
    return total


if __name__ == '__main__':
    print(fib(92), fib(93), fib(150))
    print(fib_three_names(120))
    print(doubling(70))
    print(lucas_mod(1000, 1000003))
    print(running_sum(10000))
    with Pool(2) as pool:
        print(pool.map(fib, [10, 90, 100, 200]))
        print(pool.map(doubling, [1, 64, 65]))
    p, q = 1, 1
    while q < 10 ** 40:
        p, q = q, p + q
    print(p, q)

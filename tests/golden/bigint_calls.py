# Ints that outgrow 64 bits through arguments and return values: mul(mul(x, y), z),
# reduce(operator.mul, ...), sums of powers, recursive and doubling fib, tuples returned.
# --- p03_mul_calls
def mul(a, b):
    return a * b
x, y, z = 123456789, 987654321, 555555555
print(mul(mul(x, y), z))
print(mul(mul(mul(x, x), x), x))
def add(a, b):
    return a + b
s = 1
for i in range(100):
    s = add(s, s)
print(s)
# --- p04_reduce
import operator
from functools import reduce
print(reduce(operator.mul, range(1, 30)))
print(reduce(lambda a, b: a * b, range(1, 25), 1))
print(reduce(operator.add, [10**18, 10**18, 10**18]))
print(sum(x**5 for x in range(1, 2000)))
print(sum([x * x * x * x for x in range(100000)]))
# --- p08_rec_fib
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
def fastfib(n):
    if n == 0:
        return (0, 1)
    a, b = fastfib(n // 2)
    c = a * (2 * b - a)
    d = a * a + b * b
    return (d, c + d) if n % 2 else (c, d)
print(fib(20), fact(30))
print([fastfib(k)[0] for k in (10, 93, 100, 200)])
# --- p20_tuple_ret
def fib_pair(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a, b
def step(pair):
    a, b = pair
    return (b, a + b)
print(fib_pair(100))
p = (0, 1)
for _ in range(120):
    p = step(p)
print(p)
def grow(n):
    return [n * n, n * n * n]
print(grow(10**7))

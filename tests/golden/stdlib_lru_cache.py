# Memoization with functools: @lru_cache(maxsize=None) on a recursive fib,
# bare @lru_cache, @cache, a bounded cache that evicts, cache_info/cache_clear,
# and a @wraps decorator; cached functions used by Pool workers.
import time
from functools import lru_cache, cache, wraps
from multiprocessing import Pool

calls = []


def logged(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        calls.append(func.__name__)
        return func(*args, **kwargs)
    return wrapper


@lru_cache(maxsize=None)
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@lru_cache
def slow_square(x):
    return x * x


@cache
def collatz_steps(n):
    if n == 1:
        return 0
    return 1 + collatz_steps(n // 2 if n % 2 == 0 else 3 * n + 1)


@lru_cache(maxsize=3)
def lookup(key):
    calls.append(key)
    return key.upper()


@logged
def greet(name, punctuation='!'):
    """Say hello."""
    return f'hello {name}{punctuation}'


def worker(n):
    # each worker process has its own cache
    return fib(n), collatz_steps(n)


if __name__ == '__main__':
    print([fib(n) for n in range(15)])
    print(fib(90))
    print(fib.cache_info())
    fib.cache_clear()
    print(fib.cache_info(), fib(30), fib.cache_info().misses)
    print(slow_square(12), slow_square(12), slow_square.cache_info())
    print(max(range(1, 30), key=collatz_steps), collatz_steps(27), collatz_steps.cache_info().currsize > 100)
    for key in ['a', 'b', 'a', 'c', 'd', 'a', 'b']:
        lookup(key)
    print(calls, lookup.cache_info())
    calls.clear()
    print(greet('ann'), greet('bob', punctuation='?'), calls)
    print(greet.__name__, greet.__qualname__, greet.__wrapped__.__name__)
    print(fib.__name__, fib.__wrapped__.__name__, lookup.cache_parameters())
    with Pool(2) as pool:
        print(pool.map(worker, [10, 20, 30, 27]))
        print(pool.map(fib, [10, 50, 70]), pool.map(lookup, ['x', 'a']))
    t0 = time.perf_counter()
    fib.cache_clear()
    print(fib(300))
    print(time.perf_counter() - t0 < 5)

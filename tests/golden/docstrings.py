# Docstrings: a function's __doc__ (None without one), functools.wraps
# copying it, assignment; and a generator's __name__/__qualname__/gi_running.
import functools
from multiprocessing import Pool


def plain(x):
    """Square a number.

    Used by the pool below.
    """
    return x * x


def nodoc(x):
    return x


def deco(func):
    @functools.wraps(func)
    def wrapper(*a):
        return func(*a)
    return wrapper


@deco
def f(x):
    """f doc with 'quotes' and é"""
    return x + 1


def g():
    'single-quoted docstring'


if __name__ == '__main__':
    print(plain.__doc__)
    print(nodoc.__doc__, f.__doc__, g.__doc__, (lambda: 0).__doc__)
    nodoc.__doc__ = 'assigned'
    print(nodoc.__doc__)
    with Pool(1) as p:
        print(p.map(plain, [3]), p.map(f, [1]))


def gen():
    yield 1


def outer():
    def inner():
        yield 2
    return inner()


if __name__ == '__main__':
    g = gen()
    print(g.__name__, g.__qualname__, g.gi_running, outer().__qualname__, outer().__name__)

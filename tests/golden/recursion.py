# Recursion: deep but legal recursion, runaway recursion caught as
# RecursionError (in the parent, in a generator, in a Pool worker),
# sys.getrecursionlimit/setrecursionlimit and their errors, and the
# traceback of a recursive failure, whose identical frames CPython folds
# into "[Previous line repeated N more times]".
# golden: stderr-tail 12
# golden: mask "[^"]*recursion.py"
import sys
from multiprocessing import Pool


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


def runaway(n):
    return runaway(n + 1) + 1


def tree_sum(node):
    value, children = node
    return value + sum(tree_sum(c) for c in children)


def build(d):
    return (d, [build(d - 1), build(d - 1)] if d else [])


def in_generator(n):
    yield depth(n)
    try:
        runaway(0)
    except RecursionError as e:
        yield 'generator caught: ' + str(e)


def worker(n):
    try:
        return depth(n) if n < 500 else runaway(0)
    except RecursionError as e:
        return 'worker caught: ' + str(e)


def down(n):
    if n == 0:
        raise ValueError('bottom reached')
    down(n - 1)


if __name__ == '__main__':
    print(sys.getrecursionlimit())
    print(depth(900))
    print(tree_sum(build(10)))
    try:
        runaway(0)
    except RecursionError as e:
        print('caught:', e)
    print(list(in_generator(800)))
    with Pool(2) as pool:
        print(pool.map(worker, [10, 400, 1000]))
    for bad in (0, -5, 2.5, 'x'):
        try:
            sys.setrecursionlimit(bad)
        except (ValueError, TypeError) as e:
            print(type(e).__name__ + ':', e)
    sys.setrecursionlimit(20000)
    print(sys.getrecursionlimit(), depth(15000))
    try:
        down(5)
    except ValueError as e:
        print('caught:', e)
    down(50)

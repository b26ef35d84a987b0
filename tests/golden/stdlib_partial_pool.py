# functools.partial with multiprocessing: Pool.map / starmap / apply_async over
# partials, a partial as a Process target, and partials sent to spawned workers.
from functools import partial, reduce
from multiprocessing import Pool, Process, Queue, get_context
import operator


def scale(x, factor=1, offset=0):
    return x * factor + offset


def power(base, exp):
    return base ** exp


def report(q, label, value, sep=': '):
    q.put(f'{label}{sep}{value}')


def total(values, start=0):
    return reduce(operator.add, values, start)


if __name__ == '__main__':
    double = partial(scale, factor=2)
    print(double.func.__name__, double.args, double.keywords)
    print(double(5), double(5, offset=1), double(5, factor=3))
    cube = partial(power, exp=3)
    square_of_two = partial(power, 2)
    print(cube(4), square_of_two(10), partial(cube, 5)())
    print(repr(partial(operator.mul, 3)))

    with Pool(2) as pool:
        print(pool.map(double, range(6)))
        print(pool.map(partial(scale, factor=10, offset=1), [1, 2, 3]))
        print(pool.map(cube, [1, 2, 3, 4]))
        print(pool.starmap(partial(scale, offset=100), [(1, 2), (3, 4)]))
        print(pool.map(partial(operator.mul, 7), range(4)))
        print(pool.map(partial(total, start=1000), [[1, 2], [3, 4, 5]]))
        r = pool.apply_async(partial(power, 3), (4,))
        print(r.get(timeout=10))
        print(sorted(pool.imap_unordered(partial(power, exp=2), range(5))))

    q = Queue()
    procs = [Process(target=partial(report, q, 'worker', sep=' -> '), args=(i,)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(sorted(q.get() for _ in procs), [p.exitcode for p in procs])

    ctx = get_context('spawn')
    with ctx.Pool(2) as pool:
        print(pool.map(partial(scale, factor=-1, offset=1), range(4)))
        print(pool.map(partial(partial(power, exp=2)), [7, 8]))

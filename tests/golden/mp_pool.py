# Pool: initializer, maxtasksperchild, imap over a generator, imap_unordered,
# async results with callbacks, exceptions raised in workers, builtins.
# golden: timeout 60
import os
from multiprocessing import Pool, TimeoutError

offset = 0


def init(value):
    global offset
    offset = value


def add_offset(x):
    return x + offset


def square(x):
    return x * x


def power(base, exp):
    return base ** exp


class BadInput(Exception):
    pass


def check(x):
    if x == 3:
        raise BadInput(f'bad value {x}')
    return x


def numbers(n):
    for i in range(n):
        yield i * 10


def pid_of(_):
    return os.getpid()


if __name__ == '__main__':
    with Pool(2, initializer=init, initargs=(100,)) as pool:
        print(pool.map(add_offset, range(5)))
        print(pool.map(square, range(10), chunksize=3))
        print(pool.starmap(power, [(2, 3), (3, 2), (10, 0)]))
        print(list(pool.imap(square, numbers(5))))
        print(sorted(pool.imap_unordered(square, range(8), chunksize=2)))
        print(pool.apply(power, (2, 10)), pool.apply(square, args=(7,)))
        r = pool.map_async(square, [1, 2, 3])
        print(r.get(timeout=10), r.ready(), r.successful())
        got = []
        a = pool.apply_async(square, (9,), callback=got.append)
        a.wait()
        print(a.get(), a.ready())
        errors = []
        b = pool.apply_async(check, (3,), error_callback=lambda e: errors.append(repr(e)))
        b.wait()
        try:
            b.get()
        except BadInput as e:
            print('caught from worker:', type(e).__name__, e)
        try:
            pool.map(check, range(5))
        except BadInput as e:
            print('map raised:', e)
        print(pool.map(abs, [-1, -2, 3]))
    pool.close()
    pool.join()
    print('callbacks', got, errors)
    with Pool(2, maxtasksperchild=1) as p2:
        pids = p2.map(pid_of, range(6), chunksize=1)
        print('distinct workers used:', len(set(pids)) >= 3)

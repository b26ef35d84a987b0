# Callables a Pool can be sent beyond plain functions: a decorated function
# (@wraps makes pickle find it by name), unbound str methods (str.upper),
# and the pickling error for a decorator's wrapper without @wraps.
import time
from functools import wraps
from multiprocessing import Pool
from concurrent.futures import ProcessPoolExecutor

def logged(fn):
    @wraps(fn)
    def wrapper(x):
        return fn(x) + 1
    return wrapper

@logged
def sq(x):
    return x * x

def plain_wrap(fn):
    def inner(x):
        return fn(x)
    return inner

@plain_wrap
def cube(x):
    return x ** 3

if __name__ == '__main__':
    with Pool(2) as p:
        print(p.map(sq, [1, 2, 3]))
        print(p.map(str.upper, ['a', 'b']), p.map(str.strip, [' x ']))
        print(p.starmap(str.replace, [('abc', 'b', 'B')]))
        try:
            p.map(cube, [1])
        except Exception as e:
            print(type(e).__name__, e)
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(sq, [4, 5])), list(ex.map(str.title, ['hello world'])))

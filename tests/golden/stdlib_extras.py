# Smaller library surface tutorial scripts reach for: typing names used at
# run time, ctypes' fixed-width aliases in shared memory, more of math and
# random, vars(obj), object.__setattr__ in read-only classes, and
# Process.daemon reading back what was set.
import ctypes
import math
import random
from multiprocessing import Array, Process, Value
from typing import ClassVar, DefaultDict, Final, List, NewType, TypeVar, cast, overload, TYPE_CHECKING

T = TypeVar('T')
UserId = NewType('UserId', int)
LIMIT: Final = 3


class Config:
    instances: ClassVar[int] = 0

    def __init__(self, **entries):
        for k, v in entries.items():
            object.__setattr__(self, k, v)
        Config.instances += 1

    def __setattr__(self, name, value):
        raise AttributeError('Config is read-only (%s)' % name)


def first(items: List[T]) -> T:
    return items[0]


def bump(v, a):
    with v.get_lock():
        v.value += 1
    for i in range(len(a)):
        a[i] = a[i] * 2


if __name__ == '__main__':
    print(first(['x', 'y']), cast(int, 'not checked'), UserId(42), LIMIT, TYPE_CHECKING)
    counts: DefaultDict[str, int] = DefaultDict(int)
    for w in 'a b a c a'.split():
        counts[w] += 1
    print(sorted(counts.items()))
    c = Config(host='localhost', port=8080)
    print(vars(c), Config.instances)
    try:
        c.port = 1
    except AttributeError as e:
        print(e)
    try:
        vars(3)
    except TypeError as e:
        print(e)
    v = Value(ctypes.c_uint8, 250)
    a = Array(ctypes.c_int16, [1, -2, 300])
    p = Process(target=bump, args=(v, a))
    p.daemon = 1
    print(p.daemon)
    p.start()
    p.join()
    print(v.value, list(a), ctypes.sizeof(ctypes.c_int64), ctypes.sizeof(ctypes.c_uint16))
    print(ctypes.c_int32 is ctypes.c_int, ctypes.c_uint64 is ctypes.c_ulong)
    print(math.degrees(math.pi / 2), math.radians(90), math.lcm(4, 6, 10), math.atan(1) * 4 == math.pi)
    print(round(math.asin(0.5), 12), round(math.acos(0.5), 12), math.isfinite(float('inf')))
    random.seed(7)
    print(random.choices('abc', weights=[0, 1, 0], k=4), random.getrandbits(0))
    print(len(random.choices(range(10), k=5)), 0 <= random.getrandbits(16) < 65536)

# Frozen dataclasses and classes with a custom __setattr__ cross process
# boundaries (Pool results and arguments, Queue, Pipe) the way pickle
# carries them: state goes straight into the instance dict.
from dataclasses import dataclass, field
from multiprocessing import Pipe, Pool, Process, Queue


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = field(default_factory=tuple)


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int


class ReadOnly:
    def __init__(self, value):
        object.__setattr__(self, 'value', value)

    def __setattr__(self, name, v):
        raise AttributeError('read-only: ' + name)

    def __repr__(self):
        return 'ReadOnly(%r)' % (self.value,)


def make_point(i):
    return Point(i, i * i, ('p', i))


def bump(v):
    return Version(v.major, v.minor + 1)


def send_back(q, conn):
    q.put(Point(7, 8))
    q.put(ReadOnly([1, 2]))
    conn.send(Version(3, 11))
    conn.close()


if __name__ == '__main__':
    with Pool(2) as pool:
        print(pool.map(make_point, range(3)))
        print(pool.apply(make_point, (5,)))
        print(sorted(pool.map(bump, [Version(1, 2), Version(0, 9)])))
        print(pool.apply(ReadOnly, ('built in a worker',)))
    q = Queue()
    parent, child = Pipe()
    p = Process(target=send_back, args=(q, child))
    p.start()
    a, b = q.get(), q.get()
    v = parent.recv()
    p.join()
    print(a, b, v, hash(a) == hash(Point(7, 8)), a == Point(7, 8))
    try:
        a.x = 1
    except Exception as e:
        print(type(e).__name__, e)

# heapq.merge (lazy, key=, reverse=, ties to the earlier input) and
# dataclasses.FrozenInstanceError, importable and catchable.
import dataclasses
import heapq
from dataclasses import FrozenInstanceError, dataclass


def noisy(name, items):
    for x in items:
        print('  %s yields %r' % (name, x))
        yield x


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0


if __name__ == '__main__':
    print(list(heapq.merge([1, 4, 7], [2, 5, 8], [3, 6])))
    print(list(heapq.merge(['a', 'bbb'], ['cc', 'dddd'], key=len)))
    print(list(heapq.merge([7, 4, 1], [8, 5, 2], reverse=True)))
    print(list(heapq.merge([(1, 'a'), (2, 'a')], [(1, 'b'), (2, 'b')], key=lambda t: t[0])))
    print(list(heapq.merge()), list(heapq.merge([], [3], [])))
    m = heapq.merge(noisy('A', [1, 3]), noisy('B', [2]))
    print('made')
    print(next(m))
    print(list(m))
    p = Point(1, 2)
    try:
        p.x = 5
    except FrozenInstanceError as e:
        print('frozen:', e, type(e).__name__, isinstance(e, AttributeError))
    try:
        del p.y
    except dataclasses.FrozenInstanceError as e:
        print('frozen del:', e)
    try:
        p.z = 1
    except AttributeError as e:
        print('AttributeError:', type(e).__name__, e)
    print(dataclasses.asdict(p), dataclasses.astuple(p), dataclasses.replace(p, y=9),
          [f.name for f in dataclasses.fields(p)])

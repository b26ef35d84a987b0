# deque crosses processes with its items and maxlen (Pool arguments and
# results, Queue, Pipe); Counter's ordering comparisons are multiset
# inclusion (3.10+); a class with only __getitem__ iterates by the sequence
# protocol, in the parent and in a Pool worker.
from collections import Counter, deque
from multiprocessing import Pool, Process, Queue, Pipe


class Seq:
    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return i * i


class Letters:
    def __getitem__(self, i):
        if i == 3:
            raise StopIteration
        return 'abc'[i]


class SubSeq(Seq):
    pass


class WithIter(Seq):
    def __iter__(self):
        return iter([7, 8])


class Boom:
    def __getitem__(self, i):
        if i == 2:
            raise KeyError('boom')
        return i


def push(d):
    d.append(100)
    return d


def window(n):
    return deque(range(n), maxlen=3)


def seq_sum(n):
    return sum(Seq(n)), list(SubSeq(n)), 4 in Seq(n)


def square(x):
    return x * x


def producer(q, d):
    d.appendleft('x')
    q.put(d)
    shared = [1]
    q.put([deque(), deque([deque([1])], maxlen=2), deque([shared, shared])])


def deques():
    with Pool(2) as p:
        print(p.map(push, [deque([1, 2, 3], maxlen=3), deque([1]), deque(maxlen=0), deque('ab')]))
        print(p.map(window, [0, 2, 5]))
        r = p.apply(window, (6,))
        print(r, r.maxlen, type(r).__name__, repr(r))
        print(p.apply(len, (deque(range(1000), maxlen=10),)))
    q = Queue()
    proc = Process(target=producer, args=(q, deque('abc', maxlen=3)))
    proc.start()
    print(q.get())
    got = q.get()
    print(got, got[1].maxlen, got[1][0].maxlen, got[2][0] is got[2][1])
    proc.join()
    a, b = Pipe()
    a.send(deque([2, 3, 4], maxlen=3))
    d = b.recv()
    d.append(5)
    print(d, d.maxlen)


def counters():
    a, b = Counter(a=1), Counter(a=2, b=1)
    print(a <= b, a < b, a >= b, a > b, b >= a, b > a)
    print(a <= a, a < a, a >= a, a > a)
    print(Counter(a=1, b=0) == Counter(a=1), Counter(a=1, b=0) < Counter(a=1),
          Counter(a=1, b=0) <= Counter(a=1))
    print(Counter() <= Counter(), Counter() < Counter(x=1), Counter(x=-1) < Counter())
    print(Counter('abc') < Counter('aabbcc'), Counter('abd') <= Counter('aabbcc'))
    try:
        print(Counter(a=1) < {'a': 2})
    except TypeError as e:
        print('TypeError', e)
    print(Counter(a=1) == {'a': 1}, Counter(a=1) != {'a': 1})
    with Pool(2) as p:
        words = p.map(Counter, ['abc', 'aabbcc', 'abd'])
    print([[x <= y for y in words] for x in words])


def sequences():
    s = Seq(4)
    for x in s:
        print(x, end=' ')
    print()
    print(list(s), tuple(Seq(2)), sorted(Seq(3), reverse=True), sum(Seq(5)))
    print(4 in s, 5 in s, 9 in s, 10 in s)
    print(list(Letters()), 'b' in Letters(), list(SubSeq(3)), list(WithIter(9)))
    it = iter(Seq(2))
    print(type(it).__name__, next(it), next(it), next(it, 'done'), next(it, 'done'))
    print([x + 1 for x in Seq(3)], dict(zip(Seq(3), 'xyz')), max(Seq(6)))
    a, b, c = Seq(3)
    print(a, b, c, list(enumerate(Seq(2))), ', '.join(Letters()))
    try:
        list(Boom())
    except KeyError as e:
        print('KeyError', e)
    with Pool(2) as p:
        print(p.map(seq_sum, [0, 3, 5]))
        print(p.map(square, Seq(4)))


if __name__ == '__main__':
    deques()
    counters()
    sequences()

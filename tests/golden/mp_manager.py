# Manager(): the Python documentation's example, then more processes
# sharing a dict and a list, a Pool whose workers get the proxies, and the
# usual dict and list operations through proxies.
# golden: timeout 60
from multiprocessing import Manager, Pool, Process


def f(d, l):
    d[1] = '1'
    d['2'] = 2
    d[0.25] = None
    l.reverse()


def square_into(d, i):
    d[i] = i * i


def record(args):
    d, lock, i = args
    with lock:
        d['total'] = d.get('total', 0) + i
    return i * 10


if __name__ == '__main__':
    with Manager() as manager:
        d = manager.dict()
        l = manager.list(range(10))

        p = Process(target=f, args=(d, l))
        p.start()
        p.join()

        print(d)
        print(l)

    with Manager() as manager:
        squares = manager.dict()
        workers = [Process(target=square_into, args=(squares, i)) for i in range(5)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        print(sorted(squares.items()))
        snapshot = dict(squares)
        print(type(snapshot).__name__, len(snapshot), snapshot[4])
        print(3 in squares, 7 in squares, squares.get(7), squares.get(7, 'none'))
        print(sorted(squares.keys()), sorted(squares.values()))
        print(sum(squares[k] for k in squares))

        lock = manager.Lock()
        with Pool(3) as pool:
            print(pool.map(record, [(squares, lock, i) for i in range(10)]))
        print('total', squares['total'])

        l = manager.list()
        l.append('a')
        l.extend(['c', 'b'])
        l.insert(0, 'z')
        l += ['y']
        print(l, len(l), l[0], l[-1], l[1:3])
        l.sort()
        print(l, l.index('c'), l.count('a'), 'b' in l)
        print(l.pop(), l.pop(0), l)
        l.remove('b')
        print([x.upper() for x in l], l * 2, l + ['!'])
        copy = squares.copy()
        print(type(copy).__name__, copy == dict(squares))
        squares.update({'x': 1}, y=2)
        print(squares.pop('x'), squares.setdefault('y', 0), squares.popitem())
        squares.clear()
        print(squares, len(squares), bool(squares))
        print(repr(squares).startswith("<DictProxy object, typeid 'dict' at 0x"))
        print(type(l).__name__, type(squares).__name__)
        try:
            print(squares['missing'])
        except KeyError as e:
            print('KeyError', e)
        try:
            l[10]
        except IndexError as e:
            print('IndexError:', e)
        try:
            l.remove('nothing')
        except ValueError as e:
            print('ValueError:', e)
    print('done')

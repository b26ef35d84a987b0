# collections.OrderedDict: move_to_end, popitem(last=...), order-sensitive
# equality between OrderedDicts, 3.11's repr, and OrderedDicts crossing
# processes through Pool and Queue.
from collections import OrderedDict
from multiprocessing import Pool, Queue, Process

def build(n):
    d = OrderedDict()
    for i in range(n, 0, -1):
        d['k%d' % i] = i
    d.move_to_end('k%d' % n)
    return d

def send(q):
    q.put(OrderedDict(a=1, b=2))

if __name__ == '__main__':
    od = OrderedDict([('x', 1), ('y', 2), ('z', 3)])
    print(od, repr(OrderedDict()), len(od), isinstance(od, dict))
    od.move_to_end('x')
    print(list(od), od)
    od.move_to_end('z', last=False)
    print(list(od.items()))
    print(od.popitem(), od.popitem(last=False), od)
    a = OrderedDict(a=1, b=2)
    b = OrderedDict(b=2, a=1)
    print(a == b, a == dict(b), dict(a) == b, a != b)
    od2 = OrderedDict.fromkeys('abc', 0)
    od2['d'] = 4
    print(od2, od2.get('d'), 'a' in od2)
    try:
        od2.move_to_end('zz')
    except KeyError as e:
        print('KeyError', e)
    try:
        OrderedDict().popitem()
    except KeyError as e:
        print('KeyError', e)
    with Pool(2) as p:
        print(p.map(build, [2, 3]))
    q = Queue()
    pr = Process(target=send, args=(q,))
    pr.start()
    print(q.get())
    pr.join()
    print({k: v for k, v in OrderedDict(sorted({'b': 2, 'a': 1}.items())).items()})

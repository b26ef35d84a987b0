# Custom managers as the tutorials write them: a BaseManager subclass, a
# class registered on it, proxies used by Process children and Pool workers.
# golden: mask 0x[0-9a-f]+
from multiprocessing import Pool, Process
from multiprocessing.managers import BaseManager, SyncManager


class Counter:
    def __init__(self, start=0):
        self.n = start

    def inc(self, k=1):
        self.n += k
        return self.n

    def get(self):
        return self.n


class Inventory:
    def __init__(self):
        self.items = {}

    def add(self, name, count=1):
        self.items[name] = self.items.get(name, 0) + count

    def snapshot(self):
        return dict(sorted(self.items.items()))

    def total(self):
        return sum(self.items.values())


class MyManager(BaseManager):
    pass


shared_settings = {'mode': 'fast', 'level': 3}


def make_inventory():
    inv = Inventory()
    inv.add('seed', 2)
    return inv


MyManager.register('Counter', Counter)
MyManager.register('Inventory', make_inventory)
MyManager.register('settings', lambda: shared_settings)
MyManager.register('ReadOnly', Counter, exposed=['get'])
BaseManager.register('Everywhere', Counter)


class Stats(SyncManager):
    pass


Stats.register('Counter', Counter)


def work(c):
    for _ in range(100):
        c.inc()


def stock(inv, name):
    inv.add(name, 3)
    return name


if __name__ == '__main__':
    with MyManager() as m:
        c = m.Counter(10)
        ps = [Process(target=work, args=(c,)) for _ in range(4)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print(c.get())
        print(c.inc(k=5), c.inc(-1))
        print(repr(c))
        print(str(c))
        print(type(c).__name__)

    m = MyManager()
    m.start()
    inv = m.Inventory()
    with Pool(3) as pool:
        print(sorted(pool.starmap(stock, [(inv, 'apple'), (inv, 'pear'), (inv, 'fig')])))
    print(inv.snapshot(), inv.total())
    s = m.settings()
    print(type(s).__name__, s.get('mode'), s.get('level'), s.get('missing', 'none'))
    s.update(level=4)
    print(s.copy(), shared_settings)
    print(s.keys(), s.items())
    r = m.ReadOnly(7)
    print(r.get(), hasattr(r, 'inc'), hasattr(m, 'Everywhere'))
    print(m.Counter(1)._getvalue().n, inv._callmethod('total'))
    m.shutdown()

    base = BaseManager()
    base.start()
    e = base.Everywhere(3)
    print(e.inc(), hasattr(base, 'Counter'))
    base.shutdown()

    with Stats() as st:
        d = st.dict()
        k = st.Counter(100)
        d['after'] = k.inc(1)
        print(d.copy(), repr(st)[:28])
    print('done')

# A manager Namespace and a manager Lock shared by several processes: the
# counters end exact, and attribute errors come back from the server.
# golden: timeout 60
from multiprocessing import Manager, Process


def work(ns, lock, n):
    for _ in range(n):
        with lock:
            ns.count += 1
    with lock:
        ns.finished = ns.finished + 1


def label(ns, name):
    ns.name = name


if __name__ == '__main__':
    with Manager() as manager:
        ns = manager.Namespace(count=0, finished=0)
        lock = manager.Lock()
        print(ns)
        procs = [Process(target=work, args=(ns, lock, 100)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        print(ns.count, ns.finished)
        p = Process(target=label, args=(ns, 'shared'))
        p.start()
        p.join()
        print(ns)
        print(ns.name.upper())
        try:
            ns.missing
        except AttributeError as e:
            print('AttributeError:', e)
        del ns.name
        try:
            del ns.name
        except AttributeError as e:
            print('AttributeError:', e)
        ns.items = [1, 2]
        print(ns, repr(ns).startswith("<NamespaceProxy object, typeid 'Namespace' at 0x"))
        v = manager.Value('i', 10)
        v.value += 5
        print(v, v.value, v.get())
        a = manager.Array('d', [0.5, 1.5])
        a[0] = 2
        print(a, len(a), a[1], list(a))
        with lock:
            print('locked', lock.acquire(False))
        print('unlocked', lock.acquire(False))
        lock.release()
        rl = manager.RLock()
        with rl:
            with rl:
                print('reentrant')

# Sentinels of forked children (made on first use since the runtime stopped
# opening a pipe per start), join with a timeout, kwargs passed on or empty,
# names of grandchildren, and more children alive at once than the runtime's
# inline table holds.
import multiprocessing as mp
from multiprocessing.connection import wait
import time


def nap(t, tag='x'):
    time.sleep(t)


def show(*args, **kw):
    print("args", args, "kw", sorted(kw.items()))


def child_names():
    p = mp.Process(target=nap, args=(0,))
    p.start()
    p.join()
    print(mp.current_process().name, p.name, p.exitcode)


if __name__ == '__main__':
    p = mp.Process(target=nap, args=(0.4,))
    p.start()
    p.join(0.01)
    print("alive after join(0.01):", p.is_alive(), p.exitcode)
    print("ready while running:", wait([p.sentinel], timeout=0))
    print("ready after the end:", wait([p.sentinel]) == [p.sentinel])
    p.join()
    print("exitcode", p.exitcode)

    q = mp.Process(target=nap, args=(0,))
    q.start()
    q.join()
    print("sentinel first read after join is ready:", wait([q.sentinel], timeout=0) == [q.sentinel])

    for kw in ({}, {'tag': 'y'}):
        r = mp.Process(target=show, args=(1, 2), kwargs=kw)
        r.start()
        r.join()

    c = mp.Process(target=child_names)
    c.start()
    c.join()
    print(c.name, c.exitcode)

    ps = [mp.Process(target=nap, args=(0.2,)) for _ in range(20)]
    for x in ps:
        x.start()
    print("alive:", len(mp.active_children()))
    for x in ps:
        x.join()
    print([x.exitcode for x in ps] == [0] * 20, len(mp.active_children()))
    print(ps[0].name, ps[-1].name)

# Locks and the other synchronisation primitives across processes.
# golden: timeout 30
from multiprocessing import Process, Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier, Value
from threading import BrokenBarrierError


def add(counter, lock, n):
    for _ in range(n):
        with lock:
            counter.value += 1


def waiter(ev, cond, shared):
    ev.wait()
    with cond:
        cond.wait_for(lambda: shared.value >= 3, timeout=5)
        print('condition met', shared.value)


def at_barrier(bar):
    bar.wait()


if __name__ == '__main__':
    lock = Lock()
    counter = Value('i', 0, lock=False)
    ps = [Process(target=add, args=(counter, lock, 2000)) for _ in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print('counter', counter.value)
    v = Value('d', 0.0)
    with v.get_lock():
        v.value += 1.5
    print(v.value)
    print(lock.acquire(), lock.acquire(False), lock.acquire(timeout=0.05))
    lock.release()
    try:
        lock.release()
    except ValueError as e:
        print('ValueError:', e)
    r = RLock()
    with r:
        with r:
            print('reentrant')
    try:
        r.release()
    except (RuntimeError, AssertionError) as e:
        print(type(e).__name__ + ':', e)
    s = Semaphore(2)
    print(s.acquire(), s.acquire(), s.acquire(timeout=0.05))
    s.release()
    bs = BoundedSemaphore(1)
    bs.acquire()
    bs.release()
    try:
        bs.release()
    except ValueError as e:
        print('ValueError:', e)
    ev = Event()
    cond = Condition()
    shared = Value('i', 0)
    w = Process(target=waiter, args=(ev, cond, shared))
    w.start()
    ev.set()
    for _ in range(3):
        with cond:
            shared.value += 1
            cond.notify_all()
    w.join()
    print('event', ev.is_set())
    bar = Barrier(3)
    qs = [Process(target=at_barrier, args=(bar,)) for _ in range(2)]
    for q in qs:
        q.start()
    bar.wait()
    for q in qs:
        q.join()
    print('barrier passed', bar.parties, bar.n_waiting, bar.broken)
    lone = Barrier(2, timeout=0.1)
    try:
        lone.wait()
    except BrokenBarrierError:
        print('BrokenBarrierError', lone.broken)

# Manager locks, events, conditions, barriers and queues: their proxies go
# to Process children and to Pool workers (which multiprocessing.Lock cannot).
# golden: timeout 60
import queue
from multiprocessing import Manager, Pool, Process
from threading import BrokenBarrierError


def produce(q, n):
    for i in range(n):
        q.put(i * i)
    q.put(None)


def consume(q, results):
    while True:
        item = q.get()
        if item is None:
            break
        results.append(item)


def worker(args):
    lock, q, i = args
    with lock:
        q.put(i)
    return i


def signal_after(ev, cond, state):
    ev.wait()
    with cond:
        state.append('ready')
        cond.notify_all()


def meet(barrier, out):
    out.append(barrier.wait())


if __name__ == '__main__':
    with Manager() as m:
        q = m.Queue()
        results = m.list()
        c = Process(target=consume, args=(q, results))
        p = Process(target=produce, args=(q, 5))
        c.start()
        p.start()
        p.join()
        c.join()
        print(results)

        lock, q2 = m.Lock(), m.Queue()
        with Pool(2) as pool:
            print(pool.map(worker, [(lock, q2, i) for i in range(6)]))
        got = []
        while not q2.empty():
            got.append(q2.get())
        print(sorted(got), q2.qsize())
        try:
            q2.get(timeout=0.1)
        except queue.Empty:
            print('empty')
        bounded = m.Queue(1)
        bounded.put('x')
        try:
            bounded.put('y', block=False)
        except queue.Full:
            print('full')

        ev, cond, state = m.Event(), m.Condition(), m.list()
        s = Process(target=signal_after, args=(ev, cond, state))
        s.start()
        print('event set?', ev.is_set())
        ev.set()
        with cond:
            print('waited', cond.wait_for(lambda: len(state) > 0, timeout=10), list(state))
        s.join()

        barrier, order = m.Barrier(3), m.list()
        ps = [Process(target=meet, args=(barrier, order)) for _ in range(2)]
        for p in ps:
            p.start()
        order.append(barrier.wait())
        for p in ps:
            p.join()
        print(sorted(order), barrier.n_waiting, barrier.broken)
        barrier.abort()
        try:
            barrier.wait()
        except BrokenBarrierError:
            print('broken barrier')

        sem = m.BoundedSemaphore(2)
        print(sem.acquire(), sem.acquire(), sem.acquire(timeout=0.05))
        sem.release()
        sem.release()
        try:
            sem.release()
        except ValueError as e:
            print('ValueError:', e)

        jq = m.JoinableQueue()
        for i in range(3):
            jq.put(i)
        while not jq.empty():
            jq.get()
            jq.task_done()
        jq.join()
        print('joined')

# multiprocessing's own DEBUG messages: each SemLock a Lock, RLock,
# Semaphore, Condition, Event, Barrier or synchronized Value/Array makes
# ("created semlock with handle N", the handle masked), the shared heap's
# arenas as blocks are taken and given back, the finalizer phases at exit.
# golden: stderr-tail 80
# golden: mask handle \d+
# golden: timeout 60
import logging
import multiprocessing


def child(lock, ev, cond, conn):
    with lock:
        conn.send('hello')
    ev.set()
    with cond:
        cond.notify_all()
    extra = multiprocessing.Lock()
    print('child done', extra.acquire())


if __name__ == '__main__':
    multiprocessing.log_to_stderr(logging.DEBUG)
    lock = multiprocessing.Lock()
    rlock = multiprocessing.RLock()
    sem = multiprocessing.Semaphore(2)
    bsem = multiprocessing.BoundedSemaphore(1)
    cond = multiprocessing.Condition()
    cond2 = multiprocessing.Condition(lock)
    ev = multiprocessing.Event()
    bar = multiprocessing.Barrier(2)
    print('made sync objects')
    vals = [multiprocessing.Value('d', i) for i in range(300)]
    print('made values', sum(v.value for v in vals))
    del vals
    more = [multiprocessing.RawValue('i', i) for i in range(600)]
    print('made raw values', sum(v.value for v in more))
    big = multiprocessing.Array('b', 20000, lock=False)
    del more
    huge = multiprocessing.RawArray('d', 600000)
    del huge
    again = multiprocessing.RawArray('d', 600000)
    r, w = multiprocessing.Pipe()
    p = multiprocessing.Process(target=child, args=(lock, ev, cond, w))
    p.start()
    print(r.recv())
    ev.wait()
    p.join()
    print('exitcode', p.exitcode)

# Queue.put of something that cannot be pickled: CPython's put() returns and
# its feeder thread reports the error on stderr and drops the item, so a
# later get() times out. A full bounded queue still raises Full first.
# SimpleQueue.put and Connection.send pickle in the caller and raise there.
# golden: stderr-tail 1
# golden: mask 0x[0-9a-f]+
import queue
import time
from multiprocessing import Queue, JoinableQueue, SimpleQueue, Pipe, Lock, Process


def gen():
    yield 1


def child(q):
    q.put(gen())
    q.put('from child')
    # CPython's feeder only logs (and stops) once the process is exiting
    time.sleep(0.3)


def attempt(label, f, *args):
    try:
        f(*args)
        print(label, 'returned')
    except Exception as e:
        print(label, type(e).__module__, type(e).__name__, e)


if __name__ == '__main__':
    q = Queue()
    attempt('lock', q.put, Lock())
    attempt('generator', q.put, gen())
    q.put('after')
    print('got', q.get(timeout=5))
    try:
        q.get(timeout=0.3)
    except queue.Empty:
        print('nothing else')
    bounded = Queue(1)
    bounded.put(1)
    attempt('full', bounded.put_nowait, gen())
    attempt('full timeout', bounded.put, gen(), True, 0.1)
    print('got', bounded.get())
    attempt('room', bounded.put, gen())
    attempt('room again', bounded.put, 2, True, 5)
    print('got', bounded.get(), bounded.empty())
    jq = JoinableQueue()
    attempt('joinable', jq.put, gen())
    jq.put('j')
    print('got', jq.get())
    jq.task_done()
    sq = SimpleQueue()
    attempt('simple', sq.put, gen())
    attempt('simple lock', sq.put, Lock())
    a, b = Pipe()
    attempt('pipe', a.send, gen())
    attempt('pipe lock', a.send, Lock())
    a.send('still open')
    print('recv', b.recv())
    p = Process(target=child, args=(q,))
    p.start()
    print('got', q.get(timeout=5))
    p.join()
    print('exitcode', p.exitcode)
    try:
        raise KeyError('handled')
    except KeyError:
        q.put(lambda: 0)
    time.sleep(0.3)
    print('end')

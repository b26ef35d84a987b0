# Pipe bytes, poll, EOF; Queue timeouts; JoinableQueue and SimpleQueue.
# golden: timeout 30
import queue
import time
from multiprocessing import Process, Pipe, Queue, JoinableQueue, SimpleQueue
from multiprocessing.connection import wait


def echo(conn):
    while True:
        msg = conn.recv()
        if msg is None:
            break
        conn.send(msg * 2)
    conn.close()


def consumer(jq, out):
    while True:
        item = jq.get()
        if item is None:
            jq.task_done()
            break
        out.put(item + 1)
        jq.task_done()


if __name__ == '__main__':
    a, b = Pipe()
    a.send_bytes(b'raw bytes')
    print(b.poll(), b.recv_bytes(), b.poll(), b.poll(0.05))
    parent, child = Pipe()
    p = Process(target=echo, args=(child,))
    p.start()
    child.close()
    for msg in [21, 'ab', [1, 2], (3,)]:
        parent.send(msg)
        print(parent.recv())
    parent.send(None)
    p.join()
    try:
        parent.recv()
    except EOFError:
        print('EOFError once the child closed its end')
    parent.close()
    p.join()
    r, w = Pipe(duplex=False)
    w.send({'k': [1, 2.5, None]})
    print(wait([r], timeout=1) == [r], r.recv())
    w.close()
    try:
        r.recv()
    except EOFError:
        print('EOFError after the writer closed')
    q = Queue(maxsize=2)
    q.put(1)
    q.put(2)
    print(q.full(), q.qsize())
    try:
        q.put(3, timeout=0.1)
    except queue.Full:
        print('Full')
    print(q.get(), q.get(), q.empty())
    try:
        q.get(timeout=0.1)
    except queue.Empty:
        print('Empty')
    try:
        q.get_nowait()
    except queue.Empty:
        print('Empty again')
    jq = JoinableQueue()
    out = Queue()
    c = Process(target=consumer, args=(jq, out))
    c.start()
    for i in range(5):
        jq.put(i)
    jq.put(None)
    jq.join()
    print(sorted(out.get() for _ in range(5)))
    c.join()
    try:
        jq.task_done()
    except ValueError as e:
        print('ValueError:', e)
    sq = SimpleQueue()
    sq.put('simple')
    print(sq.empty(), sq.get(), sq.empty())

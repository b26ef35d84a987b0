# multiprocessing's own DEBUG messages around Queue: its SemLocks, the
# feeder thread CPython starts at a process's first put(), its close and
# join finalizers (at close()/join_thread() or at exit), "Queue._after_fork()"
# in each child for each live queue. The feeder thread's own lines may come
# before or after the main thread's next line, so the lines are compared as
# a multiset.
# golden: stderr-tail 200
# golden: mask handle \d+
# golden: unordered
# golden: timeout 60
import logging
import multiprocessing


def producer(q, jq):
    for i in range(3):
        q.put(i)
    jq.put('job')


def consumer(jq):
    item = jq.get()
    jq.task_done()
    print('consumer got', item)


if __name__ == '__main__':
    multiprocessing.log_to_stderr(logging.DEBUG)
    q = multiprocessing.Queue()
    jq = multiprocessing.JoinableQueue()
    sq = multiprocessing.SimpleQueue()
    p = multiprocessing.Process(target=producer, args=(q, jq))
    p.start()
    print(sorted(q.get() for _ in range(3)))
    p.join()
    c = multiprocessing.Process(target=consumer, args=(jq,))
    c.start()
    jq.join()
    c.join()
    q.put('mine')
    print(q.get())
    q.close()
    q.join_thread()
    q2 = multiprocessing.Queue()
    q2.put(1)
    q2.cancel_join_thread()
    sq.put('simple')
    print(sq.get())
    q3 = multiprocessing.Queue()
    q3.put('left')
    print('end')

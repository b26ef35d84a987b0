#!/usr/bin/env python3
"""Writes tests/unit/manager_expected.h: what CPython 3.11 gives for the
Manager() operations that test_manager.c repeats in C.

Run: python3 tests/unit/gen_manager_expected.py > tests/unit/manager_expected.h
Each value is str() of a result, or "Type: message" of the exception raised
(the module named for non-builtins). Addresses are replaced by "%p".
RemoteError texts hold CPython's file paths, so only their last two lines
(the exception and the dashes) are kept: the tests compare those.
"""
import multiprocessing as mp
import re
import sys


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def exc_text(e):
    name = f"{type(e).__module__}.{type(e).__qualname__}".replace("builtins.", "")
    s = str(e)
    if type(e).__name__ == 'RemoteError':
        s = '\n'.join(s.split('\n')[-2:])
    return f"{name}: {s}" if s else name


def out(f):
    try:
        return str(f())
    except BaseException as e:
        return exc_text(e)


def addr(s):
    s = re.sub(r"pid=\d+ parent=\d+", "pid=%d parent=%d", s)
    return re.sub(r"0x[0-9a-f]+", "%p", s)


def delitem(o, k):
    del o[k]


ROWS = []


def row(name, f):
    ROWS.append((name, addr(out(f))))


def dict_rows(m):
    d = m.dict({'a': 1}, b=2)
    row("MX_DICT_INIT", lambda: d)
    row("MX_DICT_REPR", lambda: repr(d))
    d['c'] = [1, 2]
    row("MX_DICT_SET", lambda: d)
    row("MX_DICT_GET_A", lambda: d['a'])
    row("MX_DICT_MISSING", lambda: d['zz'])
    row("MX_DICT_IN", lambda: ('a' in d, 'q' in d, len(d)))
    row("MX_DICT_GET", lambda: (d.get('q'), d.get('q', 7), d.get('a', 7)))
    row("MX_DICT_VIEWS", lambda: (d.keys(), d.values(), d.items()))
    row("MX_DICT_ITER", lambda: [k for k in d])
    row("MX_DICT_SNAPSHOT", lambda: dict(d))
    row("MX_DICT_COPY", lambda: (d.copy(), type(d.copy())))
    d.update({'x': 1}, y=2)
    row("MX_DICT_UPDATE", lambda: d)
    row("MX_DICT_POPS", lambda: (d.setdefault('z', 3), d.pop('z'), d.pop('zz', 0), d.popitem()))
    row("MX_DICT_POP_MISSING", lambda: d.pop('zz'))
    del d['x']
    row("MX_DICT_DEL", lambda: d)
    row("MX_DICT_DEL_MISSING", lambda: d.__delitem__('nope'))
    row("MX_DICT_UNHASHABLE", lambda: d[[1]])
    d.clear()
    row("MX_DICT_CLEAR", lambda: (str(d), bool(d), len(d)))
    row("MX_DICT_POPITEM_EMPTY", lambda: d.popitem())
    row("MX_DICT_NO_ATTR", lambda: d.fromkeys)
    row("MX_DICT_EQ", lambda: (d == {}, d == d))


def list_rows(m):
    l = m.list([3, 1, 2])
    row("MX_LIST_INIT", lambda: l)
    row("MX_LIST_REPR", lambda: repr(l))
    l.append(5)
    l.extend([0, 9])
    l.insert(0, 7)
    row("MX_LIST_GROWN", lambda: l)
    row("MX_LIST_INDEXING", lambda: (l[0], l[-1], l[1:3], l[::-2], len(l)))
    row("MX_LIST_QUERY", lambda: (l.count(1), l.index(2), 9 in l, 8 in l))
    l.sort()
    row("MX_LIST_SORTED", lambda: l)
    l.reverse()
    row("MX_LIST_REVERSED", lambda: l)
    l[0] = 100
    del l[1]
    l[0:2] = ['a', 'b', 'c']
    row("MX_LIST_ASSIGNED", lambda: l)
    row("MX_LIST_POP", lambda: (l.pop(), l.pop(0), str(l)))
    l.remove('b')
    row("MX_LIST_REMOVED", lambda: l)
    row("MX_LIST_ITER", lambda: [x for x in l])
    row("MX_LIST_ADD", lambda: (l + [1], type(l + [1])))
    row("MX_LIST_MUL", lambda: (l * 2, 2 * l))
    l2 = l
    l2 += [4]
    row("MX_LIST_IADD", lambda: (str(l2), l2 is l, type(l2)))
    l2 *= 2
    row("MX_LIST_IMUL", lambda: (str(l), l2 is l))
    row("MX_LIST_ERR_REMOVE", lambda: l.remove(99))
    row("MX_LIST_ERR_INDEX", lambda: l.index(99))
    row("MX_LIST_ERR_POP", lambda: l.pop(70))
    row("MX_LIST_ERR_KEY", lambda: l['x'])
    row("MX_LIST_ERR_RANGE", lambda: l[70])
    row("MX_LIST_ERR_RADD", lambda: [1] + l)
    row("MX_LIST_ERR_IADD", lambda: l.__iadd__(5))
    row("MX_LIST_NO_CLEAR", lambda: l.clear())
    row("MX_LIST_EMPTY", lambda: (bool(m.list()), bool(l)))


def namespace_rows(m):
    ns = m.Namespace(b='x', a=1)
    row("MX_NS_STR", lambda: ns)
    row("MX_NS_REPR", lambda: repr(ns))
    row("MX_NS_GET", lambda: (ns.a, ns.b))
    row("MX_NS_MISSING", lambda: ns.c)
    ns.c = [1]
    del ns.a
    row("MX_NS_CHANGED", lambda: ns)
    row("MX_NS_DEL_MISSING", lambda: ns.__delattr__('zz'))
    ns._private = 5
    row("MX_NS_PRIVATE", lambda: (ns._private, str(ns)))
    row("MX_NS_PRIVATE_MISSING", lambda: ns._nothere)
    row("MX_NS_GETVALUE", lambda: (ns._getvalue(), type(ns._getvalue())))


def value_array_rows(m):
    v = m.Value('i', 5)
    row("MX_VALUE_STR", lambda: v)
    row("MX_VALUE_REPR", lambda: repr(v))
    row("MX_VALUE_GET", lambda: (v.value, v.get()))
    v.value = 2.5
    row("MX_VALUE_SET", lambda: (v.value, str(v)))
    v.set('s')
    row("MX_VALUE_SET2", lambda: v.get())
    row("MX_VALUE_MISSING", lambda: m.Value('i'))
    a = m.Array('i', [1, 2, 3])
    row("MX_ARRAY_STR", lambda: a)
    row("MX_ARRAY_REPR", lambda: repr(a))
    row("MX_ARRAY_INDEX", lambda: (len(a), a[0], a[-1], a[0:2], a[::-1]))
    a[1] = 7
    row("MX_ARRAY_SET", lambda: (str(a), list(a)))
    row("MX_ARRAY_ERR_FLOAT", lambda: a.__setitem__(0, 1.5))
    row("MX_ARRAY_ERR_RANGE", lambda: a[5])
    row("MX_ARRAY_ERR_SETRANGE", lambda: a.__setitem__(5, 1))
    row("MX_ARRAY_ERR_KEY", lambda: a['x'])
    row("MX_ARRAY_ERR_SLICE", lambda: a.__setitem__(slice(0, 1), [1]))
    row("MX_ARRAY_ERR_DEL", lambda: delitem(a, 0))
    row("MX_ARRAY_D", lambda: ' '.join(str(x) for x in (m.Array('d', [1, 2.5]), m.Array('f', [0.1]),
                                                        m.Array('i', []), m.Array('u', 'ab'))))
    row("MX_ARRAY_B", lambda: m.Array('b', [1]).__setitem__(0, 200))
    row("MX_ARRAY_BNEG", lambda: m.Array('B', [1]).__setitem__(0, -1))
    row("MX_ARRAY_H", lambda: m.Array('h', [1]).__setitem__(0, 40000))
    row("MX_ARRAY_I", lambda: m.Array('I', [1]).__setitem__(0, -1))
    row("MX_ARRAY_IBIG", lambda: m.Array('I', [1]).__setitem__(0, 2**32))
    row("MX_ARRAY_Q", lambda: m.Array('q', [1]).__setitem__(0, 2**63))
    row("MX_ARRAY_QNEG", lambda: m.Array('Q', [1]).__setitem__(0, -1))
    row("MX_ARRAY_L", lambda: m.Array('l', [1]).__setitem__(0, 2**70))
    row("MX_ARRAY_BAD_CODE", lambda: m.Array('z', []))
    row("MX_ARRAY_BAD_INIT", lambda: m.Array('i', 3))


def misc_rows(m):
    d = m.dict(a=1)
    row("MX_GETVALUE", lambda: (d._getvalue(), type(d._getvalue())))
    row("MX_CALLMETHOD", lambda: (d._callmethod('get', ('a',)), d._callmethod('keys'),
                                  d._callmethod('get', ('q',), {})))
    row("MX_CREATE_DICT_ERR", lambda: m.dict(1))
    row("MX_CREATE_SEM_ERR", lambda: m.Semaphore(-1))
    row("MX_MANAGER_REPR", lambda: m)
    row("MX_MANAGER_ARGS", lambda: mp.Manager(1))
    row("MX_START_TWICE", lambda: m.start())


def sync_rows(m):
    lk = m.Lock()
    row("MX_LOCK_REPR", lambda: repr(lk))
    row("MX_LOCK_STR", lambda: lk)
    row("MX_LOCK_ACQ", lambda: (lk.acquire(), lk.acquire(False), lk.acquire(timeout=0.05), lk.acquire(True, 0)))
    row("MX_LOCK_STR_HELD", lambda: lk)
    lk.release()
    row("MX_LOCK_REL", lambda: lk.release())
    row("MX_LOCK_NB_TIMEOUT", lambda: lk.acquire(False, 1))
    row("MX_LOCK_NEG", lambda: lk.acquire(True, -2))
    row("MX_LOCK_ARGS", lambda: lk.acquire(1, 2, 3))
    row("MX_LOCK_KW", lambda: lk.acquire(x=1))
    row("MX_LOCK_WITH", lambda: lk.__enter__())
    lk.__exit__(None, None, None)
    rl = m.RLock()
    row("MX_RLOCK", lambda: (rl.acquire(), rl.acquire(), rl.release(), rl.release()))
    row("MX_RLOCK_REL", lambda: rl.release())
    s = m.Semaphore(2)
    row("MX_SEM", lambda: (s.acquire(), s.acquire(), s.acquire(False), s.acquire(timeout=0.05)))
    row("MX_SEM_STR", lambda: addr(str(s)))
    s.release()
    row("MX_SEM_NB_TIMEOUT", lambda: s.acquire(False, 1))
    bs = m.BoundedSemaphore(1)
    row("MX_BSEM_REL", lambda: bs.release())
    row("MX_BSEM_STR", lambda: bs)
    ev = m.Event()
    row("MX_EVENT", lambda: (ev.is_set(), ev.wait(0.05), ev.set(), ev.is_set(), ev.wait(), ev.clear(), ev.is_set()))
    row("MX_EVENT_STR", lambda: ev)
    c = m.Condition()
    row("MX_COND_NOTIFY_UNOWNED", lambda: c.notify())
    row("MX_COND_WAIT_UNOWNED", lambda: c.wait())
    pl = m.list([7])

    def owned():
        with c:
            r1 = c.wait(0.05)
            r2 = c.wait_for(lambda: len(pl))
            pl.pop()
            r3 = c.wait_for(lambda: len(pl), 0.05)
            return (r1, r2, r3, c.notify(), c.notify_all())
    row("MX_COND_OWNED", owned)
    row("MX_COND_STR", lambda: c)
    b = m.Barrier(1)
    row("MX_BARRIER", lambda: (b.wait(), b.parties, b.n_waiting, b.broken))
    b.abort()
    row("MX_BARRIER_BROKEN", lambda: (b.broken, str(b)))
    row("MX_BARRIER_WAIT_BROKEN", lambda: b.wait())
    b.reset()
    row("MX_BARRIER_RESET", lambda: (b.broken, b.wait()))
    b2 = m.Barrier(2, timeout=0.05)
    row("MX_BARRIER_TIMEOUT", lambda: b2.wait())
    row("MX_BARRIER_AFTER_TIMEOUT", lambda: (b2.broken, b2.n_waiting))


def queue_rows(m):
    q = m.Queue()
    row("MX_QUEUE_REPR", lambda: repr(q))
    row("MX_QUEUE_TYPE", lambda: type(q).__name__)
    row("MX_JQUEUE_TYPE", lambda: type(m.JoinableQueue()).__name__)
    q.put(1)
    q.put([2])
    q.put_nowait('three')
    row("MX_QUEUE_STATE", lambda: (q.qsize(), q.empty(), q.full()))
    row("MX_QUEUE_GETS", lambda: (q.get(), q.get(True, 1), q.get_nowait(), q.empty()))
    row("MX_QUEUE_EMPTY", lambda: q.get_nowait())
    row("MX_QUEUE_EMPTY_TIMEOUT", lambda: q.get(timeout=0.05))
    row("MX_QUEUE_NEG", lambda: q.get(timeout=-1))
    bq = m.Queue(1)
    bq.put(1)
    row("MX_QUEUE_FULL", lambda: bq.put(2, timeout=0.05))
    row("MX_QUEUE_FULL_NOWAIT", lambda: bq.put_nowait(2))
    row("MX_QUEUE_FULL_STATE", lambda: (bq.full(), bq.qsize()))
    jq = m.JoinableQueue()
    jq.put(1)
    row("MX_JQUEUE", lambda: (jq.get(), jq.task_done(), jq.join()))
    row("MX_JQUEUE_TOO_MANY", lambda: jq.task_done())
    row("MX_QUEUE_ARGS", lambda: q.put())


def after_shutdown_rows():
    with mp.Manager() as m:
        d = m.dict()
        l = m.list()
    row("MX_SHUT_UNUSED", lambda: d['a'])
    row("MX_SHUT_UNUSED2", lambda: len(l))
    row("MX_SHUT_CREATE", lambda: m.dict())
    row("MX_SHUT_AGAIN", lambda: m.shutdown())
    m2 = mp.Manager()
    d2 = m2.dict()
    d2['a'] = 1
    l2 = m2.list()
    m2.shutdown()
    row("MX_SHUT_USED", lambda: d2['a'])
    row("MX_SHUT_USED2", lambda: len(l2))


def main():
    m = mp.Manager()
    row("MX_ACTIVE", lambda: mp.active_children())
    row("MX_NEXT_PROCESS", lambda: mp.Process().name)
    dict_rows(m)
    list_rows(m)
    namespace_rows(m)
    value_array_rows(m)
    misc_rows(m)
    sync_rows(m)
    queue_rows(m)
    m.shutdown()
    after_shutdown_rows()
    print(f"/* Generated by tests/unit/gen_manager_expected.py from CPython "
          f"{sys.version.split()[0]}. Do not edit. */")
    for name, text in ROWS:
        print(f"#define {name} {c_str(text)}")


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Writes tests/unit/futures_expected.h: what CPython 3.11 prints for the
concurrent.futures behaviours that test_futures.c checks.

Run: python3 tests/unit/gen_futures_expected.py > tests/unit/futures_expected.h
Addresses are replaced by "%p" so the tests can format their own; worker
numbers (ForkProcess-N) are cut to their prefix.
"""
import concurrent.futures as cf
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed, wait
import multiprocessing as mp
import os
import re
import signal
import sys
import time


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def addr(s):
    return re.sub(r"0x[0-9a-f]+", "%p", s)


def err(f):
    try:
        f()
    except BaseException as e:
        return f"{type(e).__module__}.{type(e).__qualname__}: {e}".replace("builtins.", "").rstrip(": ")
    return "no error"


def sq(x):
    return x * x


def add(a, b):
    return a + b


def boom(msg):
    raise ValueError(msg)


def bad_at_5(x):
    if x == 5:
        raise ValueError("bad 5")
    return x * x


def nap(secs, value):
    time.sleep(secs)
    return value


def name_of(_):
    return mp.current_process().name


def leave(code):
    sys.exit(code)


def die(x):
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(5)
    return x


g_init = 0


def init(v):
    global g_init
    g_init = v


def plus_init(x):
    return x + g_init


def drain(it):
    out = []
    while True:
        try:
            out.append(repr(next(it)))
        except StopIteration:
            break
        except Exception as e:
            out.append(f"{type(e).__name__}({e})")
    return " ".join(out + ["stop"])


def main():
    rows = []

    def put(name, value):
        rows.append((name, value))

    with ProcessPoolExecutor(max_workers=2) as ex:
        put("FX_EXECUTOR_REPR", addr(repr(ex)))
        f = ex.submit(sq, 7)
        put("FX_RESULT_SQ7", repr(f.result()))
        put("FX_REPR_RETURNED_INT", addr(repr(f)))
        put("FX_DONE_FLAGS", f"{f.done()} {f.running()} {f.cancelled()}")
        g = ex.submit(boom, "bad")
        put("FX_RESULT_RAISES", err(g.result))
        put("FX_EXCEPTION_REPR", repr(g.exception()))
        put("FX_REPR_RAISED", addr(repr(g)))
        h = ex.submit(nap, 0.5, 1)
        put("FX_RESULT_TIMEOUT", err(lambda: h.result(timeout=0.05)))
        put("FX_EXCEPTION_TIMEOUT", err(lambda: h.exception(timeout=0.05)))
        h.result()
        put("FX_MAP_SQ", repr(list(ex.map(sq, range(12)))))
        put("FX_MAP_SQ_CHUNK5", repr(list(ex.map(sq, range(23), chunksize=5))))
        put("FX_MAP_ADD", repr(list(ex.map(add, [1, 2, 3], [10, 20, 30, 40]))))
        put("FX_MAP_EMPTY", repr(list(ex.map(sq, []))))
        put("FX_MAP_EXC", drain(ex.map(bad_at_5, range(10))))
        put("FX_MAP_EXC_CHUNK3", drain(ex.map(bad_at_5, range(10), chunksize=3)))
        put("FX_MAP_REPR", addr(repr(ex.map(sq, []))))
        put("FX_ERR_CHUNKSIZE", err(lambda: ex.map(sq, [1], chunksize=0)))
        put("FX_ERR_SUBMIT_NOFN", err(lambda: ex.submit()))
        put("FX_WORKER_NAME", re.sub(r"\d+$", "", ex.submit(name_of, 0).result()))
        put("FX_SYSTEMEXIT", err(ex.submit(leave, 3).result))
        put("FX_PICKLE_LAMBDA", addr(err(ex.submit(lambda: 1).result)))
        put("FX_AS_COMPLETED_REPR", addr(repr(as_completed([]))))
        put("FX_WAIT_EMPTY", repr(wait([])))
        fs = [ex.submit(nap, 1.0, 0), ex.submit(nap, 0.05, 1)]
        put("FX_AS_COMPLETED_TIMEOUT", err(lambda: list(as_completed(fs, timeout=0.3))))
        d = wait(fs, return_when=cf.FIRST_COMPLETED)
        put("FX_WAIT_FIRST", f"{len(d.done)} {len(d.not_done)} {[f.result() for f in d.done]}")
        d = wait(fs)
        put("FX_WAIT_ALL", f"{len(d.done)} {len(d.not_done)}")
        fx = ex.submit(boom, "x")
        fy = ex.submit(nap, 1.0, 2)
        d = wait([fx, fy], return_when=cf.FIRST_EXCEPTION)
        put("FX_WAIT_FIRST_EXCEPTION", f"{len(d.done)} {len(d.not_done)}")
        d = wait([fy], timeout=0.05)
        put("FX_WAIT_TIMEOUT", f"{len(d.done)} {len(d.not_done)}")
        put("FX_WAIT_BAD", err(lambda: wait([fy], return_when="SOMETIMES")))

    put("FX_ERR_SHUTDOWN", err(lambda: ex.submit(sq, 1)))
    put("FX_ERR_MAX_WORKERS", err(lambda: ProcessPoolExecutor(max_workers=0)))
    put("FX_ERR_INIT_CALLABLE", err(lambda: ProcessPoolExecutor(initializer=5)))
    put("FX_ERR_MAX_TASKS_FORK", err(lambda: ProcessPoolExecutor(mp_context=mp.get_context("fork"),
                                                                  max_tasks_per_child=2)))
    put("FX_ERR_MAX_TASKS_TYPE", err(lambda: ProcessPoolExecutor(max_tasks_per_child="x")))

    # cancel: one worker, the first call runs, a quick burst stays pending
    ex = ProcessPoolExecutor(max_workers=1)
    fs = [ex.submit(nap, 0.3, i) for i in range(5)]
    put("FX_STATES_AFTER_SUBMIT", " ".join(f._state for f in fs))
    put("FX_REPR_RUNNING", addr(repr(fs[0])))
    put("FX_REPR_PENDING", addr(repr(fs[4])))
    put("FX_CANCEL", f"{fs[4].cancel()} {fs[4].cancel()} {fs[0].cancel()}")
    put("FX_REPR_CANCELLED", addr(repr(fs[4])))
    put("FX_CANCELLED_RESULT", err(fs[4].result))
    put("FX_CANCELLED_EXCEPTION", err(fs[4].exception))
    time.sleep(0.1)
    # fs[2] may or may not have been moved by now (CPython's threads race): not compared
    put("FX_STATES_LATER", " ".join(fs[i]._state for i in (0, 1, 3, 4)))
    ex.shutdown(cancel_futures=True)
    put("FX_STATES_SHUTDOWN_CANCEL", " ".join(fs[i]._state for i in (0, 1, 3, 4)))

    # done callbacks
    seen = []
    with ProcessPoolExecutor(max_workers=2) as ex:
        f = ex.submit(sq, 3)
        f.add_done_callback(lambda fut: seen.append(("cb1", fut.result())))
        f.result()
        f.add_done_callback(lambda fut: seen.append(("cb2", fut.result())))
    put("FX_CALLBACKS", repr(seen))

    # initializer
    with ProcessPoolExecutor(max_workers=2, initializer=init, initargs=(100,)) as ex:
        put("FX_INIT_RESULT", repr(ex.submit(plus_init, 1).result()))

    # a killed worker breaks the pool
    ex = ProcessPoolExecutor(max_workers=2)
    fs = [ex.submit(die, i) for i in range(6)]
    put("FX_BROKEN_RESULT", err(fs[3].result))
    put("FX_BROKEN_SUBMIT", err(lambda: ex.submit(sq, 1)))
    ex.shutdown()

    with ThreadPoolExecutor(max_workers=2) as tex:
        put("FX_THREAD_REPR", addr(repr(tex)))
        put("FX_THREAD_NAME", tex.submit(name_of, 0).result())
        put("FX_THREAD_MAP_REPR", addr(repr(tex.map(sq, []))))
        put("FX_THREAD_MAP", repr(list(tex.map(sq, range(5)))))

    f = cf.Future()
    put("FX_FUTURE_NEW", addr(repr(f)))
    f.set_result(5)
    put("FX_SET_RESULT_TWICE", addr(err(lambda: f.set_result(6))))
    put("FX_FUTURE_ARGS", err(lambda: cf.Future(1)))
    put("FX_CONSTANTS", f"{cf.FIRST_COMPLETED} {cf.FIRST_EXCEPTION} {cf.ALL_COMPLETED}")
    put("FX_CANCELLED_NAME", f"{cf.CancelledError.__module__}.{cf.CancelledError.__qualname__}")
    put("FX_BROKEN_MRO", " ".join(c.__name__ for c in cf.process.BrokenProcessPool.__mro__))

    print("/* Generated by tests/unit/gen_futures_expected.py from CPython %d.%d.%d. Do not edit. */"
          % sys.version_info[:3])
    for name, value in rows:
        print(f"#define {name} {c_str(value)}")


if __name__ == "__main__":
    main()

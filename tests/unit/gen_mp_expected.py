#!/usr/bin/env python3
"""Writes mp_expected.h: the strings CPython 3.11 produces for the scenarios
that test_serial.c, test_proc.c and test_pipe.c check. Never edit the output
by hand; rerun: python3 tests/unit/gen_mp_expected.py > tests/unit/mp_expected.h

Process ids and addresses vary between runs: they are replaced by %d and %p
so that the tests format them with the values of their own run."""
import multiprocessing as mp
import multiprocessing.connection as mc
import os
import pickle
import re
import sys
import time

out = {}


def err(fn):
    try:
        fn()
    except BaseException as e:  # noqa: B902 - we record whatever CPython raises
        return type(e).__name__, str(e)
    raise AssertionError("no exception")


def record(name, value):
    out[name] = value


def generic(s, pid=None, ppid=None):
    s = re.sub(r"0x[0-9a-f]+", "%p", s)
    if pid is not None:
        s = s.replace("pid=%d" % pid, "pid=%d")
    if ppid is not None:
        s = s.replace("parent=%d" % ppid, "parent=%d")
    return s


LAMBDA = lambda x: x  # noqa: E731 - a module-level lambda, as scripts write them


def generic_err(e):
    return e[0], generic(e[1])


def local_fn():
    def g():
        pass
    return g


def child_exit(code):
    sys.exit(code)


def child_raise():
    raise ValueError("boom")


def child_sleep():
    time.sleep(30)


def child_nested(conn):
    p = mp.Process(target=child_exit, args=(0,))
    conn.send(p.name)


def main():
    # --- serializer
    record("SER_GENERATOR", err(lambda: pickle.dumps(x for x in [])))
    record("SER_LAMBDA", generic_err(err(lambda: pickle.dumps(LAMBDA))))
    record("SER_LOCAL", err(lambda: pickle.dumps(local_fn())))
    deep = []
    for _ in range(2000):
        deep = [deep]
    record("SER_RECURSION", err(lambda: pickle.dumps(deep)))

    # --- Process
    me = os.getpid()
    p = mp.Process(target=child_exit, args=(0,))
    record("PROC_NAME_1", p.name)
    record("PROC_REPR_INITIAL", generic(repr(p), ppid=me))
    p.daemon = True
    record("PROC_REPR_INITIAL_DAEMON", generic(repr(p), ppid=me))
    p.daemon = False
    record("PROC_JOIN_UNSTARTED", err(p.join))
    record("PROC_TERMINATE_UNSTARTED", err(p.terminate))
    record("PROC_SENTINEL_UNSTARTED", err(lambda: p.sentinel))
    p.start()
    p.join()
    record("PROC_REPR_STOPPED", generic(repr(p), pid=p.pid, ppid=me))
    record("PROC_START_TWICE", err(p.start))
    p.close()
    record("PROC_REPR_CLOSED", generic(repr(p), ppid=me))
    record("PROC_CLOSED", err(p.is_alive))
    record("PROC_MAIN_REPR", repr(mp.current_process()))
    record("PROC_NAME_NOT_STR", err(lambda: setattr(mp.Process(), "name", 3)))
    record("PROC_BAD_KW", err(lambda: mp.Process(foo=1)))
    record("PROC_GROUP", err(lambda: mp.Process(group=1)))

    codes = {}
    for label, target, args in [("EXIT3", child_exit, (3,)), ("EXITNONE", child_exit, (None,)),
                                ("EXITMSG", child_exit, ("bye",)), ("RAISE", child_raise, ())]:
        q = mp.Process(target=target, args=args)
        r, w = os.pipe()
        saved = os.dup(2)
        os.dup2(w, 2)
        q.start()
        os.dup2(saved, 2)
        os.close(w)
        os.close(saved)
        q.join()
        text = b""
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            text += chunk
        os.close(r)
        codes[label] = q.exitcode
        record("PROC_STDERR_" + label, text.decode().split("\n")[0] + "\n" if text else "")
        record("PROC_NAME_" + label, q.name)
    for label, code in codes.items():
        record("PROC_CODE_" + label, code)

    s = mp.Process(target=child_sleep)
    s.start()
    r = s.join(0.05)
    record("PROC_TIMEOUT_EXITCODE", repr(s.exitcode))
    record("PROC_CLOSE_RUNNING", err(s.close))
    s.kill()
    s.join()
    record("PROC_CODE_KILL", s.exitcode)
    record("PROC_REPR_KILLED", generic(repr(s), pid=s.pid, ppid=me))
    s = mp.Process(target=child_sleep, daemon=True)
    s.start()
    s.terminate()
    s.join()
    record("PROC_CODE_TERM", s.exitcode)
    record("PROC_REPR_TERMINATED", generic(repr(s), pid=s.pid, ppid=me))

    a, b = mp.Pipe()
    n = mp.Process(target=child_nested, args=(b,))
    n.start()
    record("PROC_NESTED_NAME", a.recv())
    n.join()

    record("MP_ALL_METHODS", repr(mp.get_all_start_methods()))
    record("MP_BAD_CONTEXT", err(lambda: mp.get_context("x")))
    record("MP_CONCRETE_SET", err(lambda: mp.get_context("fork").set_start_method("spawn")))
    record("MP_SPAWN_CONTEXT_REPR", generic(repr(mp.get_context("spawn"))))
    record("MP_SPAWN_PROCESS_CLASS", repr(mp.get_context("spawn").Process))
    record("MP_SPAWN_PROCESS_REPR", generic(repr(mp.get_context("spawn").Process()), ppid=me))
    # starting a process fixed the default context
    record("MP_SET_TWICE", err(lambda: mp.set_start_method("spawn")))

    # --- Pipe / Connection
    a, b = mp.Pipe()
    a.close()
    record("CONN_CLOSED", err(a.recv))
    record("CONN_REPR", generic(repr(b)))
    r, w = mp.Pipe(duplex=False)
    record("CONN_WRITE_ONLY", err(w.recv))
    record("CONN_READ_ONLY", err(lambda: r.send(1)))
    record("CONN_NOT_BYTES", err(lambda: w.send_bytes("x")))
    record("CONN_OFFSET_NEG", err(lambda: w.send_bytes(b"abc", -1)))
    record("CONN_OFFSET_BIG", err(lambda: w.send_bytes(b"abc", 4)))
    record("CONN_SIZE_NEG", err(lambda: w.send_bytes(b"abc", 1, -1)))
    record("CONN_SIZE_BIG", err(lambda: w.send_bytes(b"abc", 1, 3)))
    record("CONN_MAXLEN_NEG", err(lambda: r.recv_bytes(-1)))
    w.send_bytes(b"x" * 10)
    record("CONN_BAD_LENGTH", err(lambda: r.recv_bytes(5)))
    b.close()
    a, b = mp.Pipe()
    b.close()
    record("CONN_EOF", err(a.recv))
    record("CONN_BROKEN", err(lambda: a.send(1)))
    record("CONN_SEND_LAMBDA", generic_err(err(lambda: a.send(LAMBDA))))

    # --- os and time
    record("TIME_SLEEP_NEG", err(lambda: time.sleep(-1)))
    record("TIME_SLEEP_STR", err(lambda: time.sleep("1")))
    record("OS_GETENV_INT", err(lambda: os.getenv(1)))
    record("OS_KILL_NOPROC", err(lambda: os.kill(2 ** 22 + 1, 0)))

    print("/* Generated by tests/unit/gen_mp_expected.py from CPython %s. Do not edit. */"
          % sys.version.split()[0])
    print("#ifndef MP_EXPECTED_H\n#define MP_EXPECTED_H")
    for k, v in out.items():
        if isinstance(v, tuple):
            print('#define %s_TYPE "%s"' % (k, v[0]))
            print('#define %s_MSG %s' % (k, c_string(v[1])))
        elif isinstance(v, int):
            print("#define %s %d" % (k, v))
        else:
            print("#define %s %s" % (k, c_string(v)))
    print("#endif")


def c_string(s):
    body = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"%s"' % body


if __name__ == "__main__":
    main()

# SIGINT raises KeyboardInterrupt, as in CPython: caught in a child and in
# the parent, uncaught in a child (exit code 1, its traceback on stderr),
# and uncaught in the main program, which prints the traceback and then
# dies of SIGINT. A Python handler for SIGTERM that a busy loop of
# time.time() and a sleep loop still see.
# golden: stderr-tail 3
# golden: mask "[^"]*keyboard_interrupt.py"
import multiprocessing as mp
import os
import signal
import sys
import time


def catching_child(ready):
    try:
        ready.set()
        time.sleep(5)
    except KeyboardInterrupt:
        print('child caught KeyboardInterrupt', flush=True)


def plain_child(ready):
    ready.set()
    time.sleep(5)


def on_alarm(signum, frame):
    print('handler', signum, flush=True)
    sys.exit(3)


def busy_child():
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(1)
    t = time.time() + 3
    while time.time() < t:
        pass
    print('never printed')


if __name__ == '__main__':
    for target in (catching_child, plain_child):
        ready = mp.Event()   # the child is in its sleep: the signal cannot come too early
        p = mp.Process(target=target, args=(ready,))
        p.start()
        ready.wait()
        os.kill(p.pid, signal.SIGINT)
        p.join()
        print('exitcode', p.exitcode, flush=True)
    p = mp.Process(target=busy_child)
    p.start()
    p.join()
    print('exitcode', p.exitcode, flush=True)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    except KeyboardInterrupt:
        print('parent caught KeyboardInterrupt', flush=True)
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(1)
    print('not reached')

# The signal module: a SIGTERM handler that lets terminate() end a worker
# cleanly, a handler run right after os.kill to ourselves, SIG_IGN in a Pool
# initializer, getsignal/strsignal/Signals, alarm() interrupting sleep, a
# busy loop and a generator, and the errors for bad arguments.
import os
import signal
import sys
import time
from multiprocessing import Pool, Process, Event


def graceful(stop_msg, ready):
    def handler(signum, frame):
        print(stop_msg, signal.Signals(signum).name, flush=True)
        sys.exit(0)
    signal.signal(signal.SIGTERM, handler)
    print('worker ready', flush=True)
    ready.set()
    while True:
        time.sleep(0.05)


def counting_worker():
    hits = []
    signal.signal(signal.SIGUSR1, lambda s, f: hits.append(s))
    os.kill(os.getpid(), signal.SIGUSR1)
    total = 0
    for i in range(1000):
        total += i
    print('usr1 handled', hits == [signal.SIGUSR1], total, flush=True)


def init_worker():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def square(x):
    return x * x


if __name__ == '__main__':
    ready = Event()   # the handler is in place before terminate()
    p = Process(target=graceful, args=('stopping on', ready))
    p.start()
    ready.wait()
    p.terminate()
    p.join()
    print('exitcode', p.exitcode)
    q = Process(target=counting_worker)
    q.start()
    q.join()
    with Pool(2, initializer=init_worker) as pool:
        print(pool.map(square, range(5)))
    print(signal.getsignal(signal.SIGUSR2) == signal.SIG_DFL, signal.strsignal(signal.SIGTERM))
    old = signal.signal(signal.SIGUSR2, signal.SIG_IGN)
    print(old == signal.SIG_DFL, signal.getsignal(signal.SIGUSR2) == signal.SIG_IGN)
    os.kill(os.getpid(), signal.SIGUSR2)
    fired = []
    signal.signal(signal.SIGALRM, lambda s, f: fired.append('alarm'))
    signal.alarm(1)
    time.sleep(2)
    print(fired, repr(signal.Signals(15)), str(signal.Signals(2)), int(signal.SIGKILL))
    for bad in ((signal.SIGKILL, signal.SIG_IGN), (0, signal.SIG_IGN), (signal.SIGUSR1, 'x')):
        try:
            signal.signal(*bad)
        except (OSError, ValueError, TypeError) as e:
            print(type(e).__name__, e)
class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout('too slow')


def work(n):
    return n + 1


def gen_work():
    i = 0
    while True:
        i = work(i)
        if i % 1000 == 0:
            yield i


def alarms():
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(1)
    try:
        i = 0
        while True:
            i = work(i)
    except Timeout as e:
        print('interrupted:', e, i > 0)
    signal.alarm(1)
    try:
        for v in gen_work():
            pass
    except Timeout as e:
        print('generator interrupted:', e)


if __name__ == '__main__':
    alarms()

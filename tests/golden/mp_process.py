# Process: args/kwargs, subclassing, names, daemon, exit codes, terminate, close.
# golden: timeout 30
import os
import sys
import time
from multiprocessing import Process, current_process, parent_process, active_children


def greet(name, punct='!', times=1):
    for _ in range(times):
        print(f'hello {name}{punct}', current_process().name)


def exit_with(code):
    sys.exit(code)


def fail():
    raise ValueError('child failed')


def sleeper():
    time.sleep(30)


class Worker(Process):
    def __init__(self, label):
        super().__init__()
        self.label = label

    def run(self):
        print('worker running', self.label, self.name)


if __name__ == '__main__':
    print(current_process().name, parent_process())
    p = Process(target=greet, args=('bob',), kwargs={'punct': '?', 'times': 2}, name='greeter')
    print(p.name, p.daemon, p.exitcode, p.is_alive())
    p.start()
    p.join()
    print(p.name, p.exitcode, p.is_alive())
    w = Worker('w1')
    w.start()
    w.join()
    print('worker exitcode', w.exitcode, w.label)
    codes = []
    for target, args in [(exit_with, (3,)), (exit_with, ('message to stderr',)), (exit_with, (None,)), (fail, ())]:
        q = Process(target=target, args=args)
        q.start()
        q.join()
        codes.append(q.exitcode)
    print('exit codes', codes)
    s = Process(target=sleeper, daemon=True)
    s.start()
    print('daemon', s.daemon, s.is_alive(), len(active_children()))
    s.terminate()
    s.join()
    print('terminated', s.exitcode, s.is_alive(), active_children())
    s.close()
    try:
        s.is_alive()
    except ValueError as e:
        print('closed:', e)
    ps = [Process(target=greet, args=(i,)) for i in range(3)]
    for x in ps:
        x.start()
    for x in ps:
        x.join()
    print('all joined', [x.exitcode for x in ps])

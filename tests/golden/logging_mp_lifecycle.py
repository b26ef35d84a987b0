# multiprocessing's own INFO messages under log_to_stderr(): a child's
# "child process calling self.run()" / "process shutting down" / "process
# exiting with exitcode N" (also after sys.exit), the parent's shutdown at
# exit with "calling terminate()"/"calling join()" for a leftover daemon,
# and the shared heap's "allocating a new mmap of length N" (in a child too:
# its heap starts afresh).
# golden: stderr-tail 40
# golden: timeout 60
import logging
import multiprocessing
import sys
import time


def work(v, arr):
    log = multiprocessing.get_logger()
    log.info('child sees %d and %s', v.value, list(arr))
    with v.get_lock():
        v.value += 1
    mine = multiprocessing.Value('d', 1.5)
    print('child value', mine.value)


def quit_with(code):
    sys.exit(code)


def nap(seconds):
    time.sleep(seconds)


if __name__ == '__main__':
    logger = multiprocessing.log_to_stderr(logging.INFO)
    v = multiprocessing.Value('i', 7)
    arr = multiprocessing.Array('i', [1, 2, 3])
    big = multiprocessing.RawArray('d', 1000)
    p = multiprocessing.Process(target=work, args=(v, arr))
    p.start()
    p.join()
    print('value', v.value, p.exitcode)
    for code in (3, 'goodbye', None):
        q = multiprocessing.Process(target=quit_with, args=(code,), name='Quit-%s' % code)
        q.start()
        q.join()
        print(q.name, q.exitcode)
    d = multiprocessing.Process(target=nap, args=(10,), daemon=True, name='Sleeper')
    d.start()
    time.sleep(0.3)
    logger.info('main done')

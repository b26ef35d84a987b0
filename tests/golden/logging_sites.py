# Where each record comes from: %(lineno)d, %(funcName)s, %(filename)s and
# %(module)s, as CPython reads them from the caller's frame. Calls at module
# level, in functions and methods, in a Pool worker, through the module's
# functions and `from logging import ...`, a call spread over lines (CPython
# 3.11 names its first line), a call whose argument itself logs, and a
# lambda.
import logging
import sys
from logging import warning as warn_root
from multiprocessing import Pool

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG,
                    format='%(filename)s:%(lineno)d %(funcName)s %(module)s %(levelname)s %(message)s')
log = logging.getLogger('sites')


def helper(x):
    log.debug('helper got %d', x)
    return x + 1


class Worker:
    def __init__(self, name):
        self.name = name
        log.info('made %s', name)

    def run(self, n):
        log.warning('%s runs %d', self.name, n)
        return n * 2


def square(x):
    logging.info('square of %d', x)
    return x * x


if __name__ == '__main__':
    log.info('module level')
    logging.warning('through the module')
    warn_root('imported by name')
    w = Worker('w1')
    w.run(3)
    log.error('outer sees %d',
              helper(41))
    log.log(logging.CRITICAL, 'with a level: %s', 'critical')
    with Pool(1) as p:
        print(p.map(square, [2, 3]))
    f = (lambda: log.info('in a lambda'))
    f()

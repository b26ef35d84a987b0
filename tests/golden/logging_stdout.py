# logging to sys.stdout, so that every line is compared: levels and their
# filtering, %-style arguments, a dict argument, the hierarchy and
# propagation, handler levels, formatters with widths, logger.exception()
# with the traceback, and a one-worker Pool whose records land in order.
# golden: mask "/[^"]*/
# golden: timeout 60
import logging
import sys
from multiprocessing import Pool

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG,
                    format='%(levelname)-8s %(name)s: %(message)s')
log = logging.getLogger('demo')


def task(x):
    logging.getLogger('demo.worker').info('task %d squared is %d', x, x * x)
    return x * x


def fail():
    raise ValueError('bad input')


if __name__ == '__main__':
    log.debug('debug message')
    log.info('info %s', 'message')
    log.warning('%d%% done', 50)
    log.error('values: %(a)s and %(b)s', {'a': 1, 'b': [2, 3]})
    log.critical('critical!')
    log.log(15, 'a custom level')

    db = logging.getLogger('demo.db')
    db.setLevel(logging.WARNING)
    db.info('filtered out by demo.db')
    db.warning('kept by demo.db')
    print(db, db.parent, db.getEffectiveLevel(), db.isEnabledFor(logging.INFO))

    special = logging.StreamHandler(sys.stdout)
    special.setLevel(logging.ERROR)
    special.setFormatter(logging.Formatter('[special] %(levelname)s %(message)s'))
    db.addHandler(special)
    db.warning('only through the root handler')
    db.error('through both handlers')
    db.propagate = False
    db.error('only through the special handler')
    print(special, db.handlers, db.hasHandlers())

    try:
        fail()
    except ValueError:
        log.exception('fail() raised')
    log.error('with exc_info', exc_info=ZeroDivisionError('not raised'))

    with Pool(1) as pool:
        print(pool.map(task, [1, 2, 3]))
    logging.disable(logging.WARNING)
    log.warning('disabled')
    log.error('still shown')
    logging.disable(logging.NOTSET)
    print('root:', logging.getLogger(), logging.root.handlers)

# logging.basicConfig + worker logs: the configuration made at import time is
# inherited by forked Pool workers, records carry the process name, and the
# default handler writes each record to stderr at once. The workers' lines
# interleave differently from run to run; the main process's last lines do
# not.
# golden: stderr-tail 3
# golden: timeout 60
import logging
import multiprocessing

logging.basicConfig(level=logging.INFO,
                    format='%(levelname)s:%(processName)s:%(name)s:%(message)s')
logger = logging.getLogger('workers')


def work(n):
    logger.info('working on %d', n)
    if n == 3:
        logger.warning('three is odd')
    return n * n


if __name__ == '__main__':
    logger.info('start')
    with multiprocessing.Pool(2) as pool:
        results = pool.map(work, range(6))
    logger.debug('not shown: below INFO')
    logger.warning('results: %s', results)
    print(results)
    logging.error('done with %d items', len(results))
    logging.getLogger('workers.summary').critical('total %(total)d', {'total': sum(results)})
    print('logger level:', logging.getLevelName(logger.getEffectiveLevel()))

# multiprocessing.log_to_stderr(): the 'multiprocessing' logger with its
# '[LEVEL/ProcessName] message' format, used from the parent and from
# Process children. At WARNING, multiprocessing's own (internal) debug and
# info messages are not shown, so the stderr lines are the script's.
# golden: stderr-tail 2
# golden: timeout 60
import logging
import multiprocessing


def child(n):
    logger = multiprocessing.get_logger()
    logger.warning('child %d reporting', n)
    logger.info('hidden at WARNING')


if __name__ == '__main__':
    logger = multiprocessing.log_to_stderr(logging.WARNING)
    print(logger, logger.propagate, logger is multiprocessing.get_logger())
    print(logger.handlers[0].formatter._fmt)
    logger.warning('parent starting')
    procs = [multiprocessing.Process(target=child, args=(i,)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print([p.exitcode for p in procs])
    logger.error('parent %s', 'finished')
    logger.critical('bye')

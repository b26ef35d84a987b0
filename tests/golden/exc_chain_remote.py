# A chained exception in a Pool worker or a ProcessPoolExecutor worker: the
# RemoteTraceback text the parent gets holds the worker's whole chain (cause,
# context, `from None`). Frames of multiprocessing's own files are left out
# here (mp2c has none), the script's frames and separators are compared.
# A Process child's uncaught chain ends its report the same way.
# golden: stderr-tail 3
import os
from multiprocessing import Pool, Process
from concurrent.futures import ProcessPoolExecutor

SCRIPT = os.path.basename(__file__)


def low(x):
    raise ZeroDivisionError('low %d' % x)


def explicit(x):
    try:
        low(x)
    except ZeroDivisionError as e:
        raise ValueError('explicit %d' % x) from e


def implicit(x):
    try:
        low(x)
    except ZeroDivisionError:
        raise KeyError(x)


def quiet(x):
    try:
        low(x)
    except ZeroDivisionError:
        raise RuntimeError('quiet %d' % x) from None


def three(x):
    try:
        implicit(x)
    except KeyError as e:
        raise TypeError('three %d' % x) from e


def script_lines(text):
    """The traceback text without the frames of other files."""
    out = []
    skipping = False
    for line in text.splitlines():
        if line.startswith('  File '):
            skipping = SCRIPT not in line
            if not skipping:
                line = '  File "%s"%s' % (SCRIPT, line.split('"', 2)[2])
        elif not line.startswith('    '):
            skipping = False
        if not skipping:
            out.append(line)
    return out


def report(how, e):
    print(how, type(e).__name__, e, '<-', type(e.__cause__).__module__, type(e.__cause__).__name__)
    for line in script_lines(str(e.__cause__)):
        print('  |' + line)


if __name__ == '__main__':
    funcs = [explicit, implicit, quiet, three]
    with Pool(2) as pool:
        for i, f in enumerate(funcs):
            try:
                pool.apply(f, (i,))
            except Exception as e:
                report('apply', e)
        try:
            pool.map(three, [7, 8], chunksize=2)
        except TypeError as e:
            report('map', e)
    with ProcessPoolExecutor(1) as ex:
        for i, f in enumerate(funcs):
            try:
                ex.submit(f, 10 + i).result()
            except Exception as e:
                report('submit', e)
    p = Process(target=three, args=(20,))
    p.start()
    p.join()
    print('exitcode', p.exitcode)

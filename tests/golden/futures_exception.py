# submit() with an exception: result() raises the worker's exception with
# its type and message, exception() returns it, map() stops at the first
# failure, done callbacks run in the parent, and the executor refuses new
# work after shutdown.
# golden: mask 0x[0-9a-f]+
# golden: timeout 60
from concurrent.futures import ProcessPoolExecutor, wait, FIRST_EXCEPTION, CancelledError
import time


class CustomError(Exception):
    pass


def risky(x):
    if x == 3:
        raise ValueError(f'bad value: {x}')
    return x * 10


def custom(x):
    raise CustomError('custom ' + str(x))


def slow(x):
    time.sleep(0.5)
    return x


def report(fut):
    if fut.exception() is not None:
        print('callback: failed with', repr(fut.exception()))
    else:
        print('callback: result', fut.result())


if __name__ == '__main__':
    with ProcessPoolExecutor(max_workers=2) as ex:
        futures = [ex.submit(risky, i) for i in range(5)]
        for i, f in enumerate(futures):
            try:
                print(i, f.result())
            except ValueError as e:
                print(i, 'raised', type(e).__name__, e)
        f = ex.submit(risky, 3)
        print('exception():', f.exception())
        print('repr:', repr(f.exception()))
        print('done:', f.done(), 'cancelled:', f.cancelled(), 'running:', f.running())
        print(f)

        g = ex.submit(custom, 7)
        try:
            g.result()
        except CustomError as e:
            print('caught', type(e).__name__, e)

        try:
            for r in ex.map(risky, range(6)):
                print('map', r)
        except ValueError as e:
            print('map raised:', e)

        h = ex.submit(risky, 4)
        h.add_done_callback(report)
        h.result()
        k = ex.submit(risky, 3)
        k.add_done_callback(report)
        wait([k])

        fs = [ex.submit(risky, 3), ex.submit(slow, 1)]
        done, not_done = wait(fs, return_when=FIRST_EXCEPTION)
        print('first exception:', len(done), 'done,', len(not_done), 'not done')

        blockers = [ex.submit(slow, i) for i in range(2)]
        queued = ex.submit(slow, 99)
        print('cancel a queued call:', queued.cancel())
        try:
            queued.result()
        except CancelledError:
            print('result() of a cancelled future raises CancelledError')
        print([b.result() for b in blockers])

    try:
        ex.submit(risky, 1)
    except RuntimeError as e:
        print('RuntimeError:', e)

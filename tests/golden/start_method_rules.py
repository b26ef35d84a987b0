# Which calls fix the default context's start method (DefaultContext's
# _actual_context), after which set_start_method raises "context has already
# been set": the default context's factories (Queue, Lock, Value, Pool,
# Manager, ...), get_context(), get_start_method(), starting a default
# Process (and a spawn or forkserver context's, whose preparation data asks
# get_start_method()); not Pipe, RawValue, a concrete context's factories,
# nor a ThreadPoolExecutor. set_start_method(None, force=True) unfixes it.
import multiprocessing as mp
import multiprocessing.pool
import multiprocessing.managers
import multiprocessing.sharedctypes
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def work():
    pass


def pool_run(p):
    p.close()
    p.join()


def manager():
    m = mp.Manager()
    m.shutdown()


def spawn_process():
    p = mp.get_context('spawn').Process(target=work)
    p.start()
    p.join()


def default_process():
    p = mp.Process(target=work)
    print('  created', mp.get_start_method(allow_none=True))
    p.start()
    p.join()


def thread_pool():
    with ThreadPoolExecutor(1) as ex:
        ex.submit(abs, -1).result()


CASES = [
    ('Queue', lambda: mp.Queue()),
    ('JoinableQueue', lambda: mp.JoinableQueue()),
    ('SimpleQueue', lambda: mp.SimpleQueue()),
    ('Lock', lambda: mp.Lock()),
    ('RLock', lambda: mp.RLock()),
    ('Semaphore', lambda: mp.Semaphore(2)),
    ('BoundedSemaphore', lambda: mp.BoundedSemaphore()),
    ('Event', lambda: mp.Event()),
    ('Condition', lambda: mp.Condition()),
    ('Barrier', lambda: mp.Barrier(2)),
    ('Value', lambda: mp.Value('i', 1)),
    ('Array', lambda: mp.Array('d', 3)),
    ('sharedctypes.Value', lambda: mp.sharedctypes.Value('i', 1)),
    ('RawValue', lambda: mp.RawValue('i', 1)),
    ('RawArray', lambda: mp.RawArray('i', 2)),
    ('Pipe', lambda: mp.Pipe()),
    ('Pool', lambda: pool_run(mp.Pool(1))),
    ('pool.Pool', lambda: pool_run(mp.pool.Pool(1))),
    ('Manager', manager),
    ('SyncManager', lambda: mp.managers.SyncManager()),
    ('ProcessPoolExecutor', lambda: ProcessPoolExecutor(1).shutdown()),
    ('ThreadPoolExecutor', thread_pool),
    ('spawn ctx Queue', lambda: mp.get_context('spawn').Queue()),
    ('fork ctx Lock', lambda: mp.get_context('fork').Lock()),
    ('fork ctx Value', lambda: mp.get_context('fork').Value('i', 3)),
    ('fork ctx Pool', lambda: pool_run(mp.get_context('fork').Pool(1))),
    ('spawn ctx Process', spawn_process),
    ('default Process', default_process),
    ('get_context()', lambda: mp.get_context()),
    ("get_context('spawn')", lambda: mp.get_context('spawn')),
    ('get_start_method()', lambda: mp.get_start_method()),
    ('allow_none', lambda: mp.get_start_method(allow_none=True)),
    ('ctx get_start_method', lambda: mp.get_context('spawn').get_start_method()),
    ('set_start_method(None)', lambda: mp.set_start_method(None)),
    ('cpu_count etc', lambda: (mp.cpu_count(), mp.current_process(), mp.active_children())),
]


def attempt(label, f, *args, **kw):
    try:
        r = f(*args, **kw)
        print(label, 'ok', r)
    except Exception as e:
        print(label, type(e).__name__, e)


if __name__ == '__main__':
    print('start', mp.get_start_method(allow_none=True), mp.get_all_start_methods())
    for label, f in CASES:
        mp.set_start_method(None, force=True)
        f()
        print(label, mp.get_start_method(allow_none=True))
    mp.set_start_method(None, force=True)
    attempt('unknown', mp.set_start_method, 'threads')
    attempt('unknown ctx', mp.get_context, 'threads')
    attempt('unknown force', mp.set_start_method, 'threads', force=True)
    print('after unknown', mp.get_start_method(allow_none=True))
    attempt('set spawn', mp.set_start_method, 'spawn')
    attempt('set again', mp.set_start_method, 'spawn')
    attempt('set fork', mp.set_start_method, 'fork')
    attempt('set None', mp.set_start_method, None)
    print('now', mp.get_start_method(), type(mp.get_context()).__name__)
    attempt('force fork', mp.set_start_method, 'fork', force=True)
    print('now', mp.get_start_method())
    attempt('force keyword', mp.set_start_method, method='spawn', force=True)
    print('now', mp.get_start_method())
    attempt('ctx set', mp.get_context('fork').set_start_method, 'spawn')
    attempt('force None', mp.set_start_method, None, force=True)
    print('now', mp.get_start_method(allow_none=True))
    attempt('set forkserver', mp.set_start_method, 'forkserver')
    print('now', mp.get_start_method(allow_none=True))
    for m in ['fork', 'spawn', 'forkserver']:
        mp.set_start_method(None, force=True)
        p = mp.get_context(m).Process(target=work)
        p.start()
        p.join()
        print(m, 'context Process', p.exitcode, mp.get_start_method(allow_none=True))

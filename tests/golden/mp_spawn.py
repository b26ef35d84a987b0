# Start methods: spawn re-runs the module in the child (a fresh import, where
# __name__ is '__mp_main__'), fork copies the parent.
# golden: timeout 30
import multiprocessing as mp

counter = 0
print('module level runs, __name__ =', __name__)


def show(tag):
    print(tag, 'child sees counter =', counter, 'and __name__ =', __name__)


if __name__ == '__main__':
    counter = 41
    print(mp.get_start_method(allow_none=True), mp.get_all_start_methods())
    mp.set_start_method('spawn')
    try:
        mp.set_start_method('fork')
    except RuntimeError as e:
        print('RuntimeError:', e)
    print(mp.get_start_method())
    p = mp.Process(target=show, args=('spawn',))
    p.start()
    p.join()
    ctx = mp.get_context('fork')
    q = ctx.Process(target=show, args=('fork',))
    q.start()
    q.join()
    with ctx.Pool(2) as pool:
        print(pool.map(abs, [-1, -2]))
    print('exit codes', p.exitcode, q.exitcode)

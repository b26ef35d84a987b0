# ThreadPoolExecutor takes any callable, as threads need no pickling:
# lambdas, nested functions with their closure cells and defaults, a
# closure that captures another closure, and bound methods. A process pool
# still refuses a lambda with pickle's error.
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed


class Scaler:
    def __init__(self, k):
        self.k = k

    def apply(self, x):
        return x * self.k


def make_pipeline(offset):
    def add(x, extra=0):
        return x + offset + extra

    def pipeline(x):
        return add(x, extra=1) * 2
    return add, pipeline


if __name__ == '__main__':
    words = ['alpha', 'beta', 'gamma']
    table = {w: len(w) for w in words}   # before the workers start: they see it
    with ThreadPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(lambda s: s.upper(), words)))
        print(list(ex.map(lambda a, b: a * b, [1, 2, 3], [4, 5, 6])))
        add, pipeline = make_pipeline(10)
        print(ex.submit(add, 1).result(), ex.submit(add, 1, extra=5).result(), ex.submit(pipeline, 3).result())
        futures = {ex.submit(Scaler(3).apply, n): n for n in range(4)}
        print(sorted((futures[f], f.result()) for f in as_completed(futures)))
        print(sorted(ex.map(lambda w: (table[w], w), words)))
    with ProcessPoolExecutor(max_workers=1) as ex:
        try:
            ex.submit(lambda: 1).result()
        except Exception as e:
            print(type(e).__name__)

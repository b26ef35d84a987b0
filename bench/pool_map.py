"""CPython side of bench/pool_run.sh: Pool(2).map of a trivial function
over range(N), at chunksize 1 and at the default chunksize. Prints the
median tasks/s of each over R runs (the pool is started outside the timing)."""
import statistics
import sys
import time
from multiprocessing import Pool


def f(x):
    return x


def once(pool, n, chunksize):
    t = time.perf_counter()
    pool.map(f, range(n), chunksize=chunksize)
    return n / (time.perf_counter() - t)


if __name__ == '__main__':
    n1, nd, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    with Pool(2) as pool:
        pool.map(f, range(10))
        c1 = statistics.median(once(pool, n1, 1) for _ in range(runs))
        cd = statistics.median(once(pool, nd, None) for _ in range(runs))
    print("%.0f %.0f" % (c1, cd))

# Pool.map dispatch of trivial tasks, at chunksize 1 and at the default chunksize.
import sys
from multiprocessing import Pool


def inc(x):
    return x + 1


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    chunk = sys.argv[2] if len(sys.argv) > 2 else 'default'
    with Pool(2) as p:
        if chunk == 'default':
            r = p.map(inc, range(n))
        else:
            r = p.map(inc, range(n), chunksize=int(chunk))
    print(sum(r))

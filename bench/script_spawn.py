# Process start + join, N times, under the fork or the spawn start method.
import sys
import multiprocessing as mp


def nothing():
    pass


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    method = sys.argv[2] if len(sys.argv) > 2 else 'fork'
    ctx = mp.get_context(method)
    for _ in range(n):
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
    print(n, method)

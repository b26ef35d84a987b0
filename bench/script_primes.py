# Count the primes below N by trial division, in chunks spread over Pool(2).
# CPU-bound: the benchmark for mp2c's unboxed int path.
from multiprocessing import Pool
import sys


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    i = 3
    while i * i <= n:
        if n % i == 0:
            return False
        i += 2
    return True


def count_primes(bounds):
    lo, hi = bounds
    count = 0
    for n in range(lo, hi):
        if is_prime(n):
            count += 1
    return count


if __name__ == '__main__':
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    step = 100_000
    chunks = [(i, min(i + step, N)) for i in range(0, N, step)]
    with Pool(2) as p:
        counts = p.map(count_primes, chunks)
    print(sum(counts))

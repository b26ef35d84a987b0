# ProcessPoolExecutor computing primes, as in the concurrent.futures docs:
# executor.map keeps the input order; as_completed yields each future once,
# in the order they finish (which CPython does not repeat run to run, so
# those lines are compared as a multiset).
# golden: unordered
# golden: timeout 60
import concurrent.futures
import math

PRIMES = [
    112272535095293 // 100000,
    1000000007,
    999999937,
    1000000021,
    2147483647,
    2147483641,
    4294967291,
    600851475143,
]


def is_prime(n):
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    sqrt_n = int(math.floor(math.sqrt(n)))
    for i in range(3, sqrt_n + 1, 2):
        if n % i == 0:
            return False
    return True


def smallest_factor(n):
    for i in range(2, int(math.isqrt(n)) + 1):
        if n % i == 0:
            return i
    return n


def main():
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as executor:
        for number, prime in zip(PRIMES, executor.map(is_prime, PRIMES)):
            print('%d is prime: %s' % (number, prime))

        futures = {executor.submit(smallest_factor, n): n for n in PRIMES}
        done = 0
        for future in concurrent.futures.as_completed(futures):
            n = futures[future]
            factor = future.result()
            done += 1
            if factor == n:
                print(f'as_completed: {n} is prime')
            else:
                print(f'as_completed: {n} = {factor} * {n // factor}')
        print('futures finished:', done, 'of', len(futures))
        print('all done:', all(f.done() for f in futures))


if __name__ == '__main__':
    main()

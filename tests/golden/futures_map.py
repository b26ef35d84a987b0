# executor.map over a list: results come back in input order, whatever the
# chunksize; several iterables zip like the builtin map; the iterator is
# lazy, and the executor is a context manager.
# golden: timeout 60
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def square(x):
    return x * x


def describe(x):
    parity = 'even' if x % 2 == 0 else 'odd'
    return f'{x}: {parity}'


def word_length(word):
    return word, len(word)


def scale(x, factor):
    return x * factor


if __name__ == '__main__':
    numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    with ProcessPoolExecutor(max_workers=4) as executor:
        results = executor.map(square, numbers)
        print(list(results))
        for line in executor.map(describe, range(5), chunksize=2):
            print(line)
        print(list(executor.map(scale, [1, 2, 3], [10, 100, 1000, 10000])))
        print(list(executor.map(pow, [2, 3, 4], [5, 2, 3])))
        total = 0
        for r in executor.map(square, range(100), chunksize=10):
            total += r
        print('sum of squares below 100:', total)
        words = ['process', 'pool', 'executor', 'map']
        print(dict(executor.map(word_length, words)))
        print(list(executor.map(square, [])))
        try:
            executor.map(square, numbers, chunksize=0)
        except ValueError as e:
            print('ValueError:', e)

    with ThreadPoolExecutor(max_workers=3) as executor:
        print(sorted(executor.map(square, numbers)))
    print('done')

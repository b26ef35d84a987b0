# Everyday itertools, operator and string: counters, cycles, slices, pairs,
# running totals, batching by hand, and the string module's constants.
import itertools
import operator
import string
from itertools import count, cycle, repeat, islice, chain, takewhile, dropwhile, zip_longest
from multiprocessing import Pool


def chunks(iterable, size):
    it = iter(iterable)
    while True:
        block = list(islice(it, size))
        if not block:
            return
        yield block


def checksum(block):
    return sum(map(operator.mul, block, count(1)))


if __name__ == '__main__':
    print(list(zip(count(1), 'abc')), list(islice(count(10, 5), 4)), list(islice(count(0.5, 0.25), 3)))
    print(list(islice(cycle('RGB'), 7)), list(repeat('x', 3)), list(map(pow, range(4), repeat(2))))
    print(list(chain('ab', [1, 2], ('z',))), list(chain.from_iterable(['hi', 'yo'])))
    print(list(takewhile(lambda x: x < 5, [1, 3, 6, 2])), list(dropwhile(lambda x: x < 5, [1, 3, 6, 2])))
    print(list(itertools.filterfalse(lambda x: x % 3, range(10))), list(itertools.compress('ABCDEF', [1, 0, 1, 0, 1, 1])))
    print(list(zip_longest('abc', [1, 2], fillvalue='-')), list(itertools.pairwise([1, 4, 9, 16])))
    print(list(itertools.accumulate([3, 1, 4, 1, 5], max)), list(itertools.accumulate(range(1, 6), operator.mul, initial=10)))
    print(list(itertools.starmap(operator.sub, [(5, 2), (10, 7)])), list(islice('abcdefgh', 1, None, 3)))
    left, right = itertools.tee(iter([1, 2, 3]))
    print(list(left), list(right))
    print(repr(count(3)), repr(repeat('a', 2)), repr(count(1.5, 0.5)))
    print([''.join(g) for _, g in itertools.groupby('aaabccdd')], [(k, len(list(g))) for k, g in itertools.groupby('mississippi')])
    blocks = list(chunks(range(1, 11), 4))
    print(blocks)
    with Pool(2) as pool:
        print(pool.map(checksum, blocks))
        print(pool.starmap(operator.add, zip(range(3), count(100))))
    print(string.ascii_lowercase, string.ascii_uppercase, string.digits)
    print(string.hexdigits, string.octdigits, string.punctuation)
    print(repr(string.whitespace), len(string.printable), string.ascii_letters[20:30])
    print(string.capwords('the quick   brown fox'), string.capwords('a-b-c', '-'), string.capwords('  spaced  out '))
    caesar = str.maketrans(string.ascii_lowercase, string.ascii_lowercase[3:] + string.ascii_lowercase[:3])
    print('attack at dawn'.translate(caesar))
    print(sum(c in string.punctuation for c in 'Hello, world! (ok?)'), ''.join(c for c in 'a1b2c3' if c in string.digits))
    print(operator.add(2, 3), operator.truediv(7, 2), operator.floordiv(-7, 2), operator.mod(-7, 3), operator.pow(2, 10))
    print(operator.lt(1, 2), operator.eq('a', 'a'), operator.not_([]), operator.truth('x'), operator.contains([1, 2], 3))
    print(operator.itemgetter(1, 0)('ab'), operator.attrgetter('real', 'imag')(3 + 4j), operator.index(7))
    try:
        list(islice('abc', -1))
    except ValueError as e:
        print('ValueError:', e)
    try:
        operator.itemgetter()
    except TypeError as e:
        print('TypeError:', e)

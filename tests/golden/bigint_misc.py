# Big ints from enumerate's start, itertools.count, sum's start, methods that accumulate
# into attributes, ProcessPoolExecutor results, doubling lists and Pascal's triangle.
import itertools
from concurrent.futures import ProcessPoolExecutor
for i, ch in enumerate('ab', 2**64):
    print(i, ch, i + 1)
for i, ch in enumerate('ab', 10**18):
    print(i * 10)
print(sum([1, 2, 3], 10**20), sum([10**18] * 20), sum(range(10**6)))
print(divmod(10**20, 7), max([3, 10**19, 5]) + 10**19)
c = itertools.count(10**19)
print(next(c) + next(c))
def dbl(x):
    return x + x
def sq_list(n):
    return [i * i for i in range(n)]
v = 1
for _ in range(70):
    v = dbl(v)
print(v)
print(sum(sq_list(100)), sum(sq_list(10**5)) * 10**5)
class Stats:
    def __init__(self):
        self.total = 0
        self.count = 0
    def add(self, x):
        self.total += x * x
        self.count += 1
s = Stats()
for k in range(3 * 10**9, 3 * 10**9 + 5):
    s.add(k)
print(s.total, s.count)
def prod_pair(p):
    a, b = p
    return a * b
if __name__ == '__main__':
    with ProcessPoolExecutor(2) as ex:
        r = list(ex.map(prod_pair, [(10**10, 10**10), (2**40, 2**40)]))
        print(r, sum(r))
        f = ex.submit(pow, 3, 100)
        print(f.result())
    acc = 0
    for x in r:
        acc = acc * 31 + x
    print(acc)
    a = [1]
    for i in range(1, 70):
        a.append(a[i - 1] + a[i - 1])
    print(a[-1])
    tri = [[1]]
    for n in range(1, 70):
        row = [1]
        for k in range(1, n):
            row.append(tri[n - 1][k - 1] + tri[n - 1][k])
        row.append(1)
        tri.append(row)
    print(max(tri[-1]))

# Ints that outgrow 64 bits through dict values, attributes, defaultdict and Counter.
# --- p05_dict_fib
memo = {0: 0, 1: 1}
def fib(n):
    if n in memo:
        return memo[n]
    memo[n] = fib(n - 1) + fib(n - 2)
    return memo[n]
print(fib(150))
d = {}
d[0] = 1
for i in range(1, 40):
    d[i] = d[i - 1] * 7
print(d[39])
# --- p06_attr
class Acc:
    def __init__(self):
        self.value = 1
    def grow(self, k):
        self.value = self.value * k
        return self
a = Acc()
for i in range(2, 40):
    a.grow(i)
print(a.value)
class Pt:
    def __init__(self, x):
        self.x = x
p = Pt(3)
for _ in range(7):
    p.x = p.x * p.x
print(p.x)
# --- p26_counter
from collections import Counter, defaultdict
d = defaultdict(int)
for i in range(1, 80):
    d['x'] += d['x'] + i
print(d['x'])
c = Counter()
c['a'] = 1
for i in range(90):
    c['a'] *= 3
print(c['a'])

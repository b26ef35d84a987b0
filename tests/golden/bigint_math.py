# Big ints meeting floats and math: comparisons, true division, round, floor/ceil,
# factorial/comb/gcd/lcm, modular powers, hash; OverflowError only where CPython raises it.
# --- p14_math
import math
print(math.factorial(30), math.comb(100, 50), math.perm(30, 20))
print(math.gcd(2**100, 6**50), math.lcm(2**40, 3**30), math.isqrt(10**40))
print(math.prod(range(1, 25)), math.floor(1e20), math.ceil(-1e19), math.trunc(2.5e19))
print(math.factorial(20) * 21, math.comb(60, 30) * math.comb(60, 30))
f = math.factorial(25)
print(f // math.factorial(20), f % 1000, f / 7)
# --- p15_compare
big = 2**64
print(big > 1, big < -1, big == 2.0**64, big > 1e19, big < 1e20, -big < -1e19)
print(2**53 + 1 == 2.0**53 + 1, 2**53 + 1 > 2.0**53, 10**400 > 1e308)
print(max(3, 2**70, -5), min([10**20, 10**19, 7]), sorted([2**65, -2**65, 0, 2**64]))
x = 10**18
y = x * 10
print(y > x, y == 10**19, y != x, y >= 10**19)
# --- p16_mix
a = 2**70
print(a / 3, a * 1.5, a + 0.5, float(a), a / 2**69)
print(round(a), round(2.5), round(3.5), round(123456789123456789, -5), round(1e20))
print(abs(-a), abs(-2**63), int(1e25), int(-3.9e19))
print(round(10**30 / 7), int(2**80 / 3))
try:
    float(10**400)
except OverflowError as e:
    print('OverflowError', e)
try:
    print(10**400 / 1)
except OverflowError as e:
    print('OverflowError', e)
import math
try:
    math.exp(1000)
except OverflowError as e:
    print('OverflowError', e)
# --- p28_modpow
import math, random
def modpow(b, e, m):
    r = 1
    b %= m
    while e:
        if e & 1:
            r = r * b % m
        b = b * b % m
        e >>= 1
    return r
M = 10**9 + 7
print(modpow(3, 10**18, M), pow(3, 10**18, M))
print(modpow(2, 200, 2**89 - 1), pow(2, 200, 2**89 - 1))
print(round(1e20), round(-2.5e19), math.floor(3e19), math.ceil(-7.5e18 * 2), math.trunc(1e300) % 1000)
print(math.gcd(10**30, 10**25 * 6), math.isqrt(2**200), math.lcm(10**12, 10**12 + 1))
random.seed(1)
x = random.randint(10**30, 10**30)
print(x, x + 1)
print(hash(10**19) == hash(10**19), hash(12345))
def gen():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
g = gen()
vals = [next(g) for _ in range(100)]
print(vals[-1])
def heapify_down(h, i):
    n = len(h)
    while 2 * i + 1 < n:
        c = 2 * i + 1
        if c + 1 < n and h[c + 1] < h[c]:
            c += 1
        if h[i] <= h[c]:
            break
        h[i], h[c] = h[c], h[i]
        i = c
h = [9, 1, 8, 2, 7, 3]
for k in range(len(h) // 2 - 1, -1, -1):
    heapify_down(h, k)
print(h)

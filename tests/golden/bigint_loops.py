# Loops: Collatz, accumulators, range bounds past 64 bits, sys.maxsize, binary search,
# digit parsing, generator expressions (the int64 fast path must stay exact).
# --- p11_collatz
def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
def collatz_max(n):
    top = n
    while n != 1:
        if n % 2:
            n = 3 * n + 1
        else:
            n //= 2
        if n > top:
            top = n
    return top
print(max(collatz_len(i) for i in range(1, 10000)))
print(collatz_max(27), collatz_len(2**100 + 1), collatz_max(2**70 - 1))
# --- p19_loop_accum
total = 0
for i in range(1, 100):
    total = total * 2 + i
print(total)
acc = 1
x = 0
while x < 80:
    acc += acc
    x += 1
print(acc)
h = 0
for c in "hello world" * 5:
    h = h * 31 + ord(c)
print(h, h % (2**32))
# --- p27_range_big
import sys
n = 0
for k in range(5, 10**25):
    n += 1
    if n == 3:
        break
print(k, n)
hi = int('9' * 22)
count = 0
for v in range(10, hi, 7):
    count += v
    if count > 100:
        break
print(v, count)
print(sys.maxsize + 1, sys.maxsize * 2, -sys.maxsize - 2)
tot = 0
for s in range(0, 7, 3):
    tot += s * 10**18
print(tot)
for j in range(2**62, 2**62 + 2):
    print(j, j + j, j * 4)
# --- p29_lo_hi
def bsearch(a, x):
    lo, hi = 0, len(a) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        elif a[mid] > x:
            hi = mid - 1
        else:
            return mid
    return -1
a = [i * i for i in range(1000)]
print(bsearch(a, 998001), bsearch(a, 5))
big = [10**20 + i for i in range(10)]
print(bsearch(big, 10**20 + 7))
def digits_to_int(s):
    v = 0
    for ch in s:
        v = v * 10 + (ord(ch) - 48)
    return v
print(digits_to_int('12345678901234567890123'))
def triangle(n):
    return n * (n + 1) // 2
print(triangle(10**10), triangle(2**40))
# --- p18_genexp
print(sum(x * x for x in range(3 * 10**6, 3 * 10**6 + 10)))
print(sum(x**5 for x in range(1, 5000)))
print(sum([i**3 for i in range(1, 10**4)]))
prods = [a * b for a in (10**10, 10**11) for b in (10**9, 10**12)]
print(prods)
squares = {k: k**4 for k in range(50000, 50003)}
print(squares)

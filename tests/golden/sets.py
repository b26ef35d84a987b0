# Set iteration order follows CPython's hash table, which depends on how a
# set was built: displays of folded constants, one-by-one adds, updates.
s = {3, 1, 2, -7, 100}
print(s)
s.discard(2)
s |= {9, 8}
print(s, {2**64, 2**61 - 1, -1, -2, 10**20, 0}, {-(1 << 70), 5, 2 ** 10})
a = set()
for i in [33, 1, 65, 17, 9]:
    a.add(i)
print(a, a | {0, 1024}, a & {1, 65, 99}, a - {1}, a ^ {9, 10}, set(range(10, 0, -1)))
b = set([-5, 5, -4, 4, 1000, 32])
b.remove(4)
b.update([7, 39, 71])
print(b, sorted(b), len(b), frozenset(b) == b, {x % 5 for x in range(20)})
print({(1, 2), (2, 1)} == {(2, 1), (1, 2)}, {1.5, 2.5, 0.5}, {True, 1, 1.0}, {None})

# Language semantics that often trip compilers: late-binding closures, mutable defaults,
# finally overriding return, StopIteration.value, global/nonlocal, star-args, slices, and more.
def append_to(x, acc=[]):
    acc.append(x)
    return acc

print(append_to(1), append_to(2))

class K:
    shared = []
    def __init__(self, v):
        self.v = v
        K.shared.append(v)

a, b = K(1), K(2)
print(K.shared, a.shared is b.shared, a.v, b.v)

funcs = [lambda: i for i in range(3)]
print([f() for f in funcs])

def f_finally():
    try:
        return 1
    finally:
        return 2
print(f_finally())

def gen_ret():
    yield 1
    return 'value'
g = gen_ret()
print(next(g))
try:
    next(g)
except StopIteration as e:
    print('stop', e.value)

counter = 0
def bump():
    global counter
    counter += 1
    return counter
bump(); bump()
print(counter)

def outer():
    n = 0
    def inc():
        nonlocal n
        n += 1
    for _ in range(5):
        inc()
    return n
print(outer())

def star(a, *rest, **kw):
    return a, rest, sorted(kw.items())
args = [1, 2, 3]
kw = {'x': 1, 'y': 2}
print(star(*args, **kw), star(0, *args), star(*[9]))
head, *tail = 'hello'
print(head, tail)
print(1 < 2.5 < 3, 'a' < 'b' < 'c', 3 > 2 == 2, (1, 2) < (1, 2, 0))
print(3 in {1: 'a', 3: 'b'}, 'x' in {'x', 'y'}, 'ell' in 'hello', 4 in (1, 2), 5 in range(10), [1] in [[1], 2])
s = 'abcdefgh'
print(s * 2, s[-3:], s[::-1], s[6:1:-2], s[-100:100], s[5:2])
print(-7 // 2.0, -7.5 % 2, 7 % -3, -7 % 3, divmod(-7, 3), divmod(7.5, -2))
x = None
print(x is None, x is not None, 256 == 256, [] == [], [] is [])
data = [('b', 2), ('a', 2), ('c', 1)]
print(sorted(data, key=lambda t: t[1]), min(data, key=lambda t: t[1]), max([], default='empty'))
d = {1: 1, 2: 2}
try:
    for k in d:
        d[k + 10] = 0
except RuntimeError as e:
    print('RuntimeError:', e)
print(0 or 'default', '' and 'x', [] or [1], 'a' and 'b', None or 0)
i = 0
while True:
    i += 1
    if i == 3:
        break
else:
    print('no')
print(list(enumerate('ab', 5)), list(zip([1, 2, 3], 'ab')))
print(*['a', 'b'], sep='-')
fs = [lambda x, i=i: x * i for i in range(3)]
print([f(10) for f in fs])

class Item:
    def __init__(self, n):
        self.n = n
    def __str__(self):
        return f'Item {self.n}'
    def __repr__(self):
        return f'Item({self.n!r})'
print(Item(1), [Item(2)], str(Item(3)), repr(Item('x')), f'{Item(4)}', f'{Item(5)!r}')

class Base:
    def greet(self):
        return 'base ' + self.name()
    def name(self):
        return 'B'
class Child(Base):
    def name(self):
        return 'C'
print(Base().greet(), Child().greet(), isinstance(Child(), (int, Base)))

try:
    try:
        {}['k']
    except KeyError:
        raise ValueError('converted') from None
except LookupError:
    print('not here')
except ValueError as e:
    print('ValueError', e, e.__cause__, e.__suppress_context__ if hasattr(e, '__suppress_context__') else '')

w = 7
p = 3
val = 3.14159
print(f"{'quoted'} {val:{w}.{p}f} {w!r} {[x * 2 for x in range(3)]} {d.get(1, 'none')}")
print(pow(3, 4, 5), pow(2, -1), 2 ** 0.5, (-8) ** (1 / 3) if False else 'skip', 10 ** 20 // 7)
dd = {'a': 1}
dd['a'] += 5
ll = [1, 2, 3]
ll[1] *= 10
ll[-1] -= 1
print(dd, ll)
m = n = []
m.append(1)
print(m, n)
glist = []
def add_g(v):
    glist.append(v)
add_g(1); add_g(2)
print(glist)
print(int('  -0x1f', 16) if False else int('-1f', 16), float('1e-3'), str(1e-7), repr(1e22), 0.1 + 0.7)
print(round(-0.5), round(0.5), round(1.25, 1), round(-1.25, 1), abs(-0.0))
print(sum([[1], [2]], []), ''.join(map(str, range(5))), list(map(lambda a, b: a * b, [1, 2], [3, 4])))
print(sorted({3: 'a', 1: 'b'}), sorted('bca'), sorted([3, 1, 2], reverse=True), list(reversed(range(3))))
print(any([]), all([]), max(3, 1, key=lambda v: -v), min('abc'), len({}))

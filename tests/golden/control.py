# Loops with else, break, continue, while, nested loops, with.
for i in range(3):
    print('for', i)
else:
    print('for else ran')
for i in range(10):
    if i == 2:
        break
else:
    print('not printed')
n = 0
while n < 5:
    n += 1
    if n % 2:
        continue
    print('even', n)
else:
    print('while else', n)
for i, ch in enumerate('xyz'):
    for j in range(3):
        if j > i:
            break
        print(ch, j, end=' ')
print()
total = 0
for a, (b, c) in [(1, (2, 3)), (4, (5, 6))]:
    total += a * b * c
print(total)
first, *middle, last = range(6)
print(first, middle, last)
x = y = [0]
x.append(1)
print(x, y, x is y)
a, b = 1, 2
a, b = b, a
print(a, b)


class Ctx:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print('enter', self.name)
        return self

    def __exit__(self, et, ev, tb):
        print('exit', self.name, et.__name__ if et else None)
        return et is KeyError


with Ctx('a') as ca, Ctx('b'):
    print('inside', ca.name)
with Ctx('swallow'):
    raise KeyError('x')
try:
    with Ctx('propagate'):
        raise ValueError('y')
except ValueError as e:
    print('propagated', e)


def early():
    for i in range(5):
        with Ctx(str(i)):
            if i == 1:
                return 'returned inside with'


print(early())
if (w := len('walrus')) > 3:
    print('walrus', w)
print([y for x in range(5) if (y := x * x) > 4])
i = 0
while True:
    i += 1
    if i > 3:
        break
print('done', i)

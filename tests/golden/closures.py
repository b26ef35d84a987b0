# Closures, nonlocal, lambdas and functions as values.


def make_counter():
    count = 0

    def inc(by=1):
        nonlocal count
        count += by
        return count
    return inc


c = make_counter()
print(c(), c(), c(10))


def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]


print([f(10) for f in make_adders()])


def outer(x):
    def middle(y):
        def inner(z):
            return x + y + z
        return inner
    return middle


print(outer(1)(2)(3))
pairs = [(1, 'one'), (3, 'three'), (2, 'two')]
print(sorted(pairs, key=lambda p: p[1]), sorted(pairs, key=lambda p: -p[0]), max(pairs, key=lambda p: p[0]))


def apply(f, *args, **kwargs):
    return f(*args, **kwargs)


def describe(a, b=2, *rest, key='k', **extra):
    return f'a={a} b={b} rest={rest} key={key} extra={extra}'


print(apply(describe, 1), apply(describe, 1, 2, 3, 4, key='K', z=26))
print(describe(1, key='x'), describe(a=5, b=6), describe(*[7, 8, 9], **{'q': 1}))
ops = {'add': lambda a, b: a + b, 'mul': lambda a, b: a * b}
print({name: op(6, 7) for name, op in ops.items()})
print((lambda: 'no args')(), (lambda *a: a)(1, 2), describe.__name__)

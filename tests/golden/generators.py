# Generators, generator expressions and lazy iteration.


def countdown(n):
    while n > 0:
        yield n
        n -= 1
    return 'done'


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def take(it, k):
    out = []
    for x in it:
        if len(out) == k:
            break
        out.append(x)
    return out


def chained(*its):
    for it in its:
        yield from it


print(list(countdown(5)), take(fib(), 10), list(chained([1, 2], (3,), range(4, 6))))
g = countdown(3)
print(next(g), next(g), next(g), next(g, 'end'))
print(sum(x * x for x in range(10)), max(len(w) for w in ['a', 'abc', 'ab']), min(x % 7 for x in range(3, 30)))
print(any(x > 8 for x in range(10)), all(x < 5 for x in range(10)), ', '.join(str(i) for i in range(5)))
print(sorted((x % 3, x) for x in range(6)), list(enumerate('abc', start=1)), list(zip('ab', [1, 2], (True, False))))
squares = (i * i for i in range(4))
print(list(squares), list(squares))
print([w.upper() for w in 'the quick brown fox'.split() if len(w) > 3])
print({k: v for k, v in zip('abc', range(3))}, {x % 4 for x in range(10)}, [[i * j for j in range(3)] for i in range(3)])
print(list(reversed([1, 2, 3])), list(map(abs, [-1, 2, -3])), list(filter(None, [0, 1, '', 'a'])), list(map(lambda a, b: a + b, [1, 2], [10, 20])))


def gen_with_finally():
    try:
        yield 1
        yield 2
    finally:
        print('cleanup ran')


for v in gen_with_finally():
    print('got', v)
    break
print('after break')

f()
f(1, 2)
f(a, key=value)
f(*args)
f(**kwargs)
f(a, *args, key=1, **kwargs)
f(*a, *b, **c, **d)
f(a, *b, c=1, *d)
f(x for x in y)
f((x for x in y), 1)
sum(x * x for x in range(10) if x % 2)
print(*map(str, values), sep=", ")
print(*a.b, *c[1], **d.e)
obj.method().attr[0](1)
a.b.c.d
a[0]
a[1:2]
a[:]
a[::2]
a[1:]
a[:-1]
a[::-1]
a[1:2:3]
a[1:2, ::3]
a[1,]
a[1, 2]
a[...]
a[:, None]
a[*b]
a[i][j]
m[1:2, 3]
type(x).attr = 1
type[int]

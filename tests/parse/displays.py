l = []
l = [1, 2, 3]
l = [1, *rest, 2]
l = [*a, *b]
t = ()
t = (1,)
t = 1,
t = 1, 2
t = (1, 2, *rest)
s = {1, 2}
s = {*a, *b}
d = {}
d = {'a': 1, 'b': 2}
d = {**a, 'k': v, **b}
d = {1: 2, **{3: 4}}
lc = [x for x in y]
lc = [x * y for x in a for y in b if x if y]
lc = [(x, y) for x in range(3) for y in range(x)]
sc = {x for x in y if x}
dc = {k: v for k, v in d.items()}
dc = {k: v for k in a for v in b if k != v}
ge = (x for x in y)
ge = (x for x in y for z in x if z)
nested = [[y for y in x] for x in matrix]
lc = [y for x in data if (y := f(x))]

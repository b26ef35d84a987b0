a = 1
a = b = c = 0
a, b = b, a
(a, b) = 1, 2
[a, b] = [1, 2]
a, *rest = items
*init, last = items
first, *middle, last = items
[x, [y, z]] = nested
obj.attr = value
obj.a.b = value
seq[0] = value
seq[1:2] = values
d['k'] = v
x += 1; x -= 1; x *= 2; x /= 2; x //= 2; x %= 3
x **= 2; x @= m; x &= 1; x |= 2; x ^= 3; x <<= 1; x >>= 1
obj.count += 1
seq[i] *= 2
n: int
n: int = 5
(n): int = 5
obj.attr: str = "s"
seq[0]: float
if (m := re.match(p, s)) is not None: pass
total = (chunk := 10) * 2
del a
del a, b
del (a, b)
del obj.attr, seq[0], d['k']
x = yield_ = 1

# list, dict, set and tuple operations.
l = [5, 3, 8, 1]
l.append(7)
l.extend([2, 9])
l.insert(0, 0)
print(l, l.pop(), l.pop(0), l, l.index(8), l.count(3), len(l))
l.sort()
print(l, sorted(l, reverse=True), l[::-1], l[1:3], l[-2:], 3 in l, 42 in l)
l.reverse()
l.remove(8)
print(l, l * 2, l + [100], min(l), max(l), sum(l))
del l[0]
l[1] = 'x'
l[2:4] = ['a', 'b', 'c']
print(l, [x for x in l if isinstance(x, int)])
words = ['banana', 'Apple', 'cherry', 'apple']
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), sorted(words, key=lambda w: (len(w), w)))
d = {'b': 2, 'a': 1}
d['c'] = 3
d.update({'d': 4}, e=5)
print(d, list(d), list(d.keys()), list(d.values()), list(d.items()), len(d))
print(d.get('a'), d.get('z'), d.get('z', 0), 'a' in d, d.pop('b'), d.pop('zz', None), d.setdefault('f', 6), d)
del d['a']
print(d, dict(zip('xy', [1, 2])), dict([('k', 'v')]), dict(a=1, b=2), {**d, 'g': 7})
counts = {}
for ch in 'mississippi':
    counts[ch] = counts.get(ch, 0) + 1
print(counts, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
s = {1, 2, 3}
s.add(4)
s.discard(1)
print(s, s | {10}, s & {2, 3, 99}, s - {2}, s ^ {3, 5}, {2, 3} <= s, len(s), 4 in s)
t = (1, 2, 3, 2)
print(t, t[0], t[-1], t[1:], t.count(2), t.index(3), t + (4,), t * 2, len(t), (1, 2) < (1, 3))
nested = {'list': [1, {'k': (1, 2)}], 'tuple': (None, [])}
print(nested, nested['list'][1]['k'][0])
matrix = [[1, 2, 3], [4, 5, 6]]
print([list(r) for r in zip(*matrix)], [[row[i] for row in matrix] for i in range(3)])
print(list(range(10))[2:8:2], list(range(10, 0, -3)), len(range(0, 100, 7)), range(10)[3], 5 in range(10))
a = [1, 2, 3]
b = a
b += [4]
print(a, b, a is b, [0] * 5, [[0] * 2 for _ in range(2)])

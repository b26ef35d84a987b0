# Classes as records: __init__, methods, __repr__, inheritance, super().


class Point:
    count = 0

    def __init__(self, x, y=0):
        self.x = x
        self.y = y
        Point.count += 1

    def norm2(self):
        return self.x * self.x + self.y * self.y

    def __repr__(self):
        return f'Point({self.x}, {self.y})'

    def __eq__(self, other):
        return isinstance(other, Point) and self.x == other.x and self.y == other.y

    def __lt__(self, other):
        return self.norm2() < other.norm2()

    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)


class Point3(Point):
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z

    def norm2(self):
        return super().norm2() + self.z * self.z

    def __repr__(self):
        return f'Point3({self.x}, {self.y}, {self.z})'


p = Point(3, 4)
q = Point(1)
print(p, q, p.norm2(), p + q, p == Point(3, 4), p != q, Point.count)
r = Point3(1, 2, 2)
print(r, r.norm2(), isinstance(r, Point), isinstance(p, Point3), Point.count)
pts = [Point(5, 5), Point(1, 1), Point(3, 0)]
print(sorted(pts), min(pts), max(pts))
print([pt.x for pt in pts], str(p), repr(q))


class Counter:
    def __init__(self):
        self.n = 0

    def inc(self, by=1):
        self.n += by
        return self

    @staticmethod
    def describe():
        return 'a counter'

    @classmethod
    def make(cls):
        return cls()

    @property
    def double(self):
        return self.n * 2


c = Counter.make()
c.inc().inc(5)
print(c.n, c.double, Counter.describe(), c.describe())


class Plain:
    pass


o = Plain()
o.attr = 'dynamic'
print(o.attr, hasattr(o, 'attr'), hasattr(o, 'nope'), getattr(o, 'nope', 'default'))
print(type(p).__name__, Point.__name__, isinstance(3, int), isinstance('a', (int, str)))

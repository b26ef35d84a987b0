# Special methods that object and the exceptions implement natively, reached
# by name: super().__str__()/__repr__()/__eq__()/__hash__()/__format__(),
# object.__repr__(self), Exception.__str__(self), and super() inside a
# classmethod, which binds the subclass, and the explicit super(C, self).
class E(ValueError):
    def __str__(self):
        return "E:" + super().__str__()
    def __repr__(self):
        return "R" + super().__repr__()
class P:
    def __init__(self, x):
        self.x = x
    def __repr__(self):
        base = super().__repr__()
        return 'P(%d) %s' % (self.x, base.startswith('<__main__.P object at'))
    def __eq__(self, o):
        return super().__eq__(o)
    def __hash__(self):
        return super().__hash__() == object.__hash__(self)
    def __format__(self, spec):
        return 'F' + super().__format__(spec)
class Q(P):
    def __str__(self):
        return 'Q/' + object.__repr__(self)[:13]
e = E("x", 2)
print(e, repr(e), Exception.__str__(e), BaseException.__repr__(e))
p = P(1)
print(repr(p), p == p, p == P(1), p.__hash__(), format(p, ''), str(Q(2)), Q(2).__repr__())
print(object.__eq__(p, 3), object.__ne__(p, p))
try:
    format(p, 'x')
except TypeError as ex:
    print(ex)
try:
    Exception.__str__(5)
except TypeError as ex:
    print(ex)
class C:
    @classmethod
    def make(cls, n):
        return cls, n
class D(C):
    @classmethod
    def make(cls, n):
        return super().make(n + 1)
print(D.make(1))
class Base2:
    def __init__(self, x):
        self.x = x
    def hello(self):
        return 'base'
class A2(Base2):
    def __init__(self, x, y):
        super(A2, self).__init__(x)
        self.y = y
    def hello(self):
        return 'A+' + super(A2, self).hello()
class B2(A2):
    def hello(self):
        f = super(B2, self).hello
        return 'B+' + f() + '+' + super(A2, self).hello()
b = B2(1, 2)
print(b.hello(), b.x, b.y)

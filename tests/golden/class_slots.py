# __slots__ limits the attributes an instance takes (when every class of the
# chain declares them), a property without a setter or deleter refuses
# assignment with CPython's message, and slotted instances still cross
# process boundaries.
from multiprocessing import Pool


class T:
    __slots__ = ("a",)
    @property
    def f(self): return 1
class U(T):
    __slots__ = ['b']
class V(T):
    pass
class W:
    __slots__ = 'x'
def make_t(v):
    x = T()
    x.a = v
    return x


t = T()
for obj in (t, U(), V(), W()):
    for name in ("f", "a", "b", "x", "zz"):
        try:
            setattr(obj, name, 2); print(type(obj).__name__, name, "ok")
        except AttributeError as e:
            print(type(obj).__name__, name, e)
try:
    del t.f
except AttributeError as e:
    print(e)
try:
    print(T().a)
except AttributeError as e:
    print(e)
if __name__ == '__main__':
    with Pool(1) as pool:
        print([x.a for x in pool.map(make_t, [1, 2])])

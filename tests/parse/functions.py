def plain(): pass
def defaults(a, b=1, *args, c, d=2, **kwargs): return a
def posonly(a, b, /, c, *, d): return (a, b, c, d)
def annotated(x: int, y: "str" = "s", *rest: float, **kw: dict) -> list[int]:
    """Docstring."""
    return [x]
def star_only(*, key=None): pass
@staticmethod
@decorator.with_args(1, key=2)
def decorated(self): return self
def gen(n):
    yield
    yield n
    x = yield n + 1
    yield from range(n)
    return
async def coro(x):
    await x
    async for i in x: pass
    async with x as y: pass
    return [i async for i in x]
def scopes():
    global g1, g2
    counter = 0
    def inner():
        nonlocal counter
        counter += 1
    return inner
f = lambda: 0
g = lambda x, y=2, *a, k, **kw: (x, y, a, k, kw)
h = lambda *, k: k
i = lambda a, /, b: a

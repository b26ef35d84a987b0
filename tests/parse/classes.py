class Empty: pass
class Base(object):
    """A base class."""
    count = 0
    def __init__(self, n):
        self.n = n
    @property
    def double(self):
        return self.n * 2
    @classmethod
    def make(cls): return cls(0)
class Derived(Base, metaclass=type, flag=True):
    x: int = 3
    y: str
@dataclass(frozen=True)
class Point:
    x: float
    y: float = 0.0
class Star(*bases, **kw): pass

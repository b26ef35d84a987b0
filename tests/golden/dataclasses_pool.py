# dataclasses: @dataclass (order, frozen), field(default_factory=...), asdict, replace; instances through a Pool.
from dataclasses import dataclass, field, asdict, astuple, fields, replace
from typing import List
from multiprocessing import Pool


@dataclass
class Task:
    ident: int
    name: str
    weight: float = 1.0
    tags: List[str] = field(default_factory=list)

    def cost(self):
        return self.weight * len(self.name)


@dataclass(order=True, frozen=True)
class Version:
    major: int
    minor: int = 0


def run(task):
    return Task(task.ident, task.name.upper(), task.weight * 2, task.tags + ['done'])


if __name__ == '__main__':
    t = Task(1, 'build')
    print(t, t.cost(), t == Task(1, 'build'), t == Task(2, 'build'))
    print(asdict(t), astuple(Task(2, 'x', 0.5, ['a'])), [f.name for f in fields(t)])
    print(replace(t, name='test'), Task(ident=3, name='kw', tags=['t']))
    with Pool(2) as p:
        print(p.map(run, [Task(i, f'job{i}') for i in range(3)]))
    vs = [Version(1, 2), Version(0, 9), Version(1)]
    print(sorted(vs), max(vs), Version(1) < Version(1, 1), hash(Version(2)) == hash(Version(2)))
    try:
        vs[0].major = 5
    except Exception as e:
        print(type(e).__name__, e)
    try:
        Task()
    except TypeError as e:
        print('TypeError:', e)

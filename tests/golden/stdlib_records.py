# Records: sorted with itemgetter/attrgetter, grouped with groupby, folded with
# reduce and operator functions; total_ordering and cmp_to_key for custom orders.
from collections import namedtuple
from functools import reduce, total_ordering, cmp_to_key
from itertools import groupby
from operator import itemgetter, attrgetter, methodcaller, mul, add
import operator
from multiprocessing import Pool

Sale = namedtuple('Sale', 'region product units price')

SALES = [
    Sale('north', 'apple', 10, 0.5),
    Sale('south', 'pear', 4, 0.75),
    Sale('north', 'pear', 7, 0.75),
    Sale('east', 'apple', 3, 0.5),
    Sale('south', 'apple', 12, 0.5),
    Sale('east', 'plum', 9, 1.25),
]


@total_ordering
class Employee:
    def __init__(self, name, dept, salary):
        self.name = name
        self.dept = dept
        self.salary = salary

    def __eq__(self, other):
        return (self.salary, self.name) == (other.salary, other.name)

    def __lt__(self, other):
        return (self.salary, self.name) < (other.salary, other.name)

    def __repr__(self):
        return f'Employee({self.name!r}, {self.dept!r}, {self.salary})'


def revenue(sale):
    return sale.units * sale.price


def by_length_then_reverse(a, b):
    if len(a) != len(b):
        return len(a) - len(b)
    return (a < b) - (a > b)


if __name__ == '__main__':
    for sale in sorted(SALES, key=attrgetter('region', 'product')):
        print(sale)
    print([s.product for s in sorted(SALES, key=attrgetter('units'), reverse=True)])
    rows = [(s.region, revenue(s)) for s in SALES]
    rows.sort(key=itemgetter(0))
    for region, group in groupby(rows, key=itemgetter(0)):
        amounts = list(map(itemgetter(1), group))
        print(f'{region:>6}: {len(amounts)} sales, {sum(amounts):.2f}')
    print(max(SALES, key=revenue).product, min(rows, key=itemgetter(1)))

    print(reduce(mul, range(1, 11)), reduce(mul, range(1, 26)))
    print(reduce(add, [[1], [2, 3], [4]]), reduce(operator.or_, [{1}, {2}, {1, 3}]))
    print(reduce(lambda acc, s: acc + s.units, SALES, 0))
    with Pool(2) as pool:
        print(pool.starmap(mul, [(s.units, s.price) for s in SALES]))
        print(pool.map(itemgetter(1), rows))
        print(pool.map(attrgetter('imag'), [1j, 2 + 3j]))
        print(pool.map(methodcaller('upper'), ['a', 'bc']))

    staff = [Employee('ann', 'ops', 5200), Employee('bob', 'dev', 6100),
             Employee('cy', 'dev', 5200), Employee('dee', 'ops', 4800)]
    print(sorted(staff))
    print(max(staff), min(staff), staff[0] <= staff[2], staff[1] >= staff[3], staff[0] > staff[2])
    by_dept = sorted(staff, key=attrgetter('dept'))
    for dept, members in groupby(by_dept, key=attrgetter('dept')):
        print(dept, [m.name for m in members])
    words = ['pear', 'fig', 'apple', 'kiwi', 'date']
    print(sorted(words, key=cmp_to_key(by_length_then_reverse)))
    print(sorted(words, key=methodcaller('upper')), list(map(operator.neg, [1, -2])))
    print(list(map(operator.getitem, ['abc', 'xyz'], [0, 2])), operator.countOf('banana', 'a'))

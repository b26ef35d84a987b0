# An int function mapped over ints becomes C on int64_t with overflow checks.
from multiprocessing import Pool


def f(x):
    return x * x


if __name__ == '__main__':
    with Pool(2) as p:
        print(p.map(f, [1, 2, 3]))

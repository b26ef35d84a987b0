# An exception in a worker, not caught: the script ends with exit code 1 and
# the worker's exception on stderr.
# golden: stderr-tail 1
from multiprocessing import Pool


def divide(x):
    return 10 // x


if __name__ == '__main__':
    with Pool(2) as p:
        print(p.map(divide, [1, 2, 5]))
        print(p.map(divide, [1, 0, 2]))

"""containers.py: the CPython side of bench/containers_run.sh. Times the same
container operations as containers.c and prints "name median_ms" lines.
usage: containers.py N R"""
import random
import sys
import time


def ops(n):
    rnd = random.Random(1)
    nums = [rnd.randrange(1 << 30) for _ in range(n)]
    keys = ['key%d' % i for i in range(n)]
    line = ' '.join(keys)
    pairs = [(k, nums[i]) for i, k in enumerate(keys)]
    mixed = [1, 2.5, 'text', (1, 'a'), None] * (n // 5)

    def list_append():
        lst = []
        for x in nums:
            lst.append(x)
        return lst

    def dict_str():
        d = {}
        for k in keys:
            d[k] = 1
        t = 0
        for k in keys:
            t += d[k]
        return t

    def dict_int():
        d = {}
        for x in nums:
            d[x] = x
        return sum(1 for x in nums if x in d)

    def set_int():
        s = set()
        for x in nums:
            s.add(x)
        return sum(1 for x in nums if x in s)

    return [
        ('list.append', list_append),
        ('sorted(ints)', lambda: sorted(nums)),
        ('sort(key=)', lambda: sorted(pairs, key=lambda p: p[1])),
        ('dict[str]', dict_str),
        ('dict[int]', dict_int),
        ('set[int]', set_int),
        ('repr(list)', lambda: repr(mixed)),
        ('str.split', lambda: line.split()),
        ("' '.join", lambda: ' '.join(keys)),
        ('str.replace', lambda: line.replace('key', 'k')),
        ('sum(ints)', lambda: sum(nums)),
    ]


if __name__ == '__main__':
    n, r = int(sys.argv[1]), int(sys.argv[2])
    for name, fn in ops(n):
        times = []
        for _ in range(r):
            t = time.process_time()       # CPU time: the machine is shared
            fn()
            times.append((time.process_time() - t) * 1000)
        times.sort()
        print('%s %.3f' % (name.replace(' ', '_'), times[len(times) // 2]))

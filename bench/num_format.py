"""CPython side of bench/num_run.sh: CPU ns per operation, median of R runs.
Prints one line per case: name ns. The C side (num_format.c) runs the same cases."""
import sys
import time
import timeit

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
R = int(sys.argv[2]) if len(sys.argv) > 2 else 5
floats = [i * 0.1 + 1 / 3 for i in range(1000)]
setup = {'floats': floats, 'ints': list(range(1000)), 'big': 3 ** 2000, 'x': 1234567.891, 'n': 1234567,
         'ts': ['12345', '-987', '4096', '77'], 'fs': ['3.14159', '1e-5', '2.5', '100.25']}
cases = [
    ('repr_float', 'for f in floats: repr(f)', 1000),
    ('str_int', 'for i in ints: str(i)', 1000),
    ('int_arith', 'a = 0\nfor i in ints: a = (a * 31 + i) % 1000003', 1000),
    ('bigint_mul', 'big * big', 1),
    ('float_arith', 'a = 0.0\nfor f in floats: a = a * 0.5 + f / 3.0', 1000),
    ('format_2f', "format(x, '.2f')", 1),
    ('format_comma', "format(n, ',')", 1),
    ('percent', "'%d items in %.3f s' % (n, x)", 1),
    ('str_format', "'{} items in {:.3f} s'.format(n, x)", 1),
    ('parse_int', 'for t in ts: int(t)', 4),
    ('parse_float', 'for t in fs: float(t)', 4),
]
for name, stmt, per in cases:
    number = max(1, N // per // 10) if per > 1 else N
    times = timeit.repeat(stmt, globals=setup, number=number, repeat=R, timer=time.process_time)
    times.sort()
    print(name, '%.1f' % (times[len(times) // 2] / (number * per) * 1e9))

# Files and os.path: workers writing results to files, the parent reading them.
import os
from multiprocessing import Pool


def write_part(args):
    directory, i = args
    path = os.path.join(directory, f'part{i}.txt')
    with open(path, 'w') as f:
        for k in range(3):
            f.write(f'{i}:{k}\n')
    return os.path.basename(path)


if __name__ == '__main__':
    out = os.path.join('/tmp', f'mp2c-golden-files-{os.getpid()}')
    os.makedirs(out, exist_ok=True)
    with Pool(2) as pool:
        names = pool.map(write_part, [(out, i) for i in range(4)])
    print(names, sorted(os.listdir(out)))
    lines = []
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name)) as f:
            lines.extend(line.rstrip('\n') for line in f)
    print(len(lines), lines[:4])
    with open(os.path.join(out, 'part0.txt')) as f:
        print(repr(f.readline()), repr(f.read()), f.closed)
    print(f.closed, os.path.splitext('report.final.csv'), os.path.getsize(os.path.join(out, 'part1.txt')))
    for name in os.listdir(out):
        os.remove(os.path.join(out, name))
    os.rmdir(out)
    print(os.path.exists(out))
    try:
        open(os.path.join(out, 'missing.txt'))
    except FileNotFoundError as e:
        print('FileNotFoundError', e.errno)

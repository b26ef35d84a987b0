# Manager proxies passed to spawned children and to a spawn Pool: each
# child re-executes the program, receives the proxies and connects to the
# manager's server on its own.
# golden: timeout 60
import multiprocessing as mp


def add(d, l, i):
    d[i] = str(i)
    l.append(i)


if __name__ == '__main__':
    mp.set_start_method('spawn')
    with mp.Manager() as m:
        d, l = m.dict(), m.list()
        ps = [mp.Process(target=add, args=(d, l, i)) for i in range(3)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print(sorted(d.items()), sorted(l))
        with mp.Pool(2) as pool:
            pool.starmap(add, [(d, l, 10), (d, l, 11)])
        print(sorted(d.keys()), len(l))

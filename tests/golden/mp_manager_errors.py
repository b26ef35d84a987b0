# A KeyError raised by the dict in the manager's server is raised again in
# the caller; uncaught, it ends the script with CPython's last traceback line.
# Using a proxy after its manager shut down fails as CPython's does.
# golden: stderr-tail 1
from multiprocessing import Manager

if __name__ == '__main__':
    with Manager() as m:
        unused = m.list()
    try:
        len(unused)
    except OSError as e:
        print(type(e).__name__, e)
    with Manager() as m:
        d = m.dict(a=1)
        print(d['a'])
    try:
        d['a']
    except OSError as e:
        print(type(e).__name__, e)
    try:
        m.dict()
    except AssertionError as e:
        print('AssertionError:', e)
    m2 = Manager()
    d2 = m2.dict()
    d2['x'] = 1
    print(d2['y'])

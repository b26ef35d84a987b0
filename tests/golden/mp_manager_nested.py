# The rule the Python documentation states for managers: an object stored in
# a shared dict or list is copied out, so changing the copy changes nothing
# shared; reassigning it through the proxy does. A proxy stored in another
# proxy stays shared.
# golden: timeout 60
from multiprocessing import Manager, Process


def child(d, l):
    d['lst'].append('lost in child')
    inner = d['lst']
    inner.append('kept from child')
    d['lst'] = inner
    l[0]['x'] = 'lost'
    item = l[0]
    item['y'] = 'kept'
    l[0] = item


if __name__ == '__main__':
    with Manager() as m:
        d = m.dict()
        d['lst'] = []
        d['lst'].append(1)
        print('after d["lst"].append(1):', d['lst'])
        lst = d['lst']
        lst.append(1)
        d['lst'] = lst
        print('after reassigning:', d['lst'])
        l = m.list([{}])
        p = Process(target=child, args=(d, l))
        p.start()
        p.join()
        print(d['lst'])
        print(l)
        shared = m.list()
        d['shared'] = shared
        d['shared'].append('through the dict')
        shared.append('directly')
        print(shared, d['shared'])
        print(type(d['shared']).__name__)
        counts = m.dict({'a': [0, 0]})
        pair = counts['a']
        pair[1] += 1
        print(counts['a'], pair)
        counts['a'] = pair
        print(counts)

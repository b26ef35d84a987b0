# namedtuple instances through a Pool and a Queue (sent by type name, as pickle does).
from collections import namedtuple
from multiprocessing import Pool, Queue, Process

Sale = namedtuple('Sale', ['item', 'qty', 'price'])


def total(s):
    return Sale(s.item.upper(), s.qty * 2, s.price)


def send(q):
    q.put(Sale('remote', 1, 2.5))


if __name__ == '__main__':
    sales = [Sale('apple', 3, 0.5), Sale('pear', 1, 0.75)]
    with Pool(2) as p:
        out = p.map(total, sales)
    print(out, out[0].qty, out[1]._asdict())
    q = Queue()
    pr = Process(target=send, args=(q,))
    pr.start()
    print(q.get())
    pr.join()

# heapq (CPython's sift order, so equal priorities pop the same way) and
# queue's single-thread Queue, LifoQueue, PriorityQueue and SimpleQueue, as
# tutorial code uses them for Dijkstra, BFS and top-N next to a Pool.
import heapq
import queue
from multiprocessing import Pool


def dijkstra(graph, start):
    dist = {start: 0}
    pq = [(0, start)]
    while pq:
        d, node = heapq.heappop(pq)
        if d > dist.get(node, float('inf')):
            continue
        for nxt, w in graph[node]:
            nd = d + w
            if nd < dist.get(nxt, float('inf')):
                dist[nxt] = nd
                heapq.heappush(pq, (nd, nxt))
    return sorted(dist.items())


def top_words(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return heapq.nlargest(2, counts.items(), key=lambda kv: kv[1])


if __name__ == '__main__':
    g = {'a': [('b', 1), ('c', 4)], 'b': [('c', 2), ('d', 5)], 'c': [('d', 1)], 'd': []}
    print(dijkstra(g, 'a'))
    h = [5, 1, 8, 3, 9, 2, 7, 1, 1]
    heapq.heapify(h)
    print(h)
    print([heapq.heappop(h) for _ in range(3)], h)
    print(heapq.heappushpop(h, 0), heapq.heapreplace(h, 10), h)
    print(heapq.nsmallest(3, [7, 2, 9, 4, 2]), heapq.nlargest(2, ['bb', 'a', 'ccc'], key=len))
    pairs = []
    for i, name in enumerate(['x', 'y', 'z', 'w']):
        heapq.heappush(pairs, (i % 2, name))
    print([heapq.heappop(pairs) for _ in range(4)])
    try:
        heapq.heappop([])
    except IndexError as e:
        print('IndexError', e)
    with Pool(2) as p:
        print(p.map(top_words, ['a b a c b a', 'x y y z']))
    q = queue.Queue()
    for i in range(5):
        q.put(i * i)
    print(q.qsize(), q.empty(), [q.get() for _ in range(3)], q.get_nowait(), q.qsize())
    lq = queue.LifoQueue()
    for c in 'abc':
        lq.put(c)
    print([lq.get() for _ in range(3)])
    pq = queue.PriorityQueue()
    for item in [(3, 'low'), (1, 'high'), (2, 'mid'), (1, 'also high')]:
        pq.put(item)
    print([pq.get() for _ in range(4)])
    bq = queue.Queue(maxsize=2)
    bq.put(1); bq.put(2)
    print(bq.full(), bq.maxsize)
    try:
        bq.put(3, timeout=0.1)
    except queue.Full:
        print('full')
    try:
        queue.Queue().get(block=False)
    except queue.Empty as e:
        print('empty', repr(e))
    bq.get(); bq.task_done(); bq.get(); bq.task_done()
    bq.join()
    try:
        bq.task_done()
    except ValueError as e:
        print(e)
    sq = queue.SimpleQueue()
    sq.put('s')
    print(sq.get(), sq.empty())
    visited, frontier = [], queue.Queue()
    frontier.put('a')
    while not frontier.empty():
        n = frontier.get()
        if n in visited:
            continue
        visited.append(n)
        for nxt, _ in g[n]:
            frontier.put(nxt)
    print(visited)

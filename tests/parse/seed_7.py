import time
from multiprocessing import Process, Queue


def func1(i):
    time.sleep(1)
    print(f'args {i}\n')


def run__queue():
    queue = Queue(maxsize=4)  # the following attribute can call in anywhere
    queue.put(True)
    queue.put([0, None, object])  # you can put deepcopy thing
    print("the length of Queue is: ", queue.qsize())
    print(queue.get())  # First In First Out
    print(queue.get())  # First In First Out
    print("the length of Queue is: ", queue.qsize())

    process = [Process(target=func1, args=(queue,)),
               Process(target=func1, args=(queue,)), ]
    [p.start() for p in process]
    [p.join() for p in process]


if __name__ == '__main__':
    run__queue()

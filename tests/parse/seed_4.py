# 函数 func2 需要传入多个参数，把它改成一个参数，无论直接让args作为一个元组tuple、词典dict、类class都可以
import time
from multiprocessing import Pool


def func2(args):  # multiple parameters
    x = args[0]
    y = args[1]

    time.sleep(2)  # pretend it is a time-consuming operation
    return x - y


def run__pool():  # main process
    cpu_worker_num = 3
    process_args = [(1, 1), (9, 9), (4, 4), (3, 3), ]

    print(f'-> inputs:  {process_args}')
    start_time = time.time()
    with Pool(cpu_worker_num) as p:
        outputs = p.map(func2, process_args)
    print(f'-> outputs: {outputs}    TimeUsed: {time.time() - start_time:.1f}    \n')


if __name__ == '__main__':
    run__pool()


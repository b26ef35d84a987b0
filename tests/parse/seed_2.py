from multiprocessing import Process


def function1(id):  # 子进程
    print(f'id:  {id}')


def run__process():  # 主进程
    process = [Process(target=function1, args=(1,)),
               Process(target=function1, args=(2,))] # Process开启了多进程，不涉及进程通信
    
    [p.start() for p in process]  # 生成了两个进程
    [p.join() for p in process]  # 等待两个进程依次结束


# 正确做法：主线程只能写在if __name__ =='__main__'内部
if __name__ == '__main__':
    run__process()
    

'''
Process开启了多进程，不涉及进程通信，当把一个串行任务编排成多进程时，还需要多进程通信：
  - 进程池Pool 可以让主程序获得子进程的计算结果；（不灵活）
  - 管道Pipe 队列Queue 等可以让进程之间进行通信；（灵活）
  - 共享值Value 共享数组Array 共享内容shared_memory；
'''

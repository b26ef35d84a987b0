import time
from multiprocessing import Process, Pipe


def func_pipe1(conn, p_id):
    print("func_pipe1 {} start===============\n".format(p_id))
    time.sleep(0.1)
    conn.send(f'{p_id}_send_1')
    print('func_pipe1: {} send_1\n'.format(p_id))

    time.sleep(0.1)
    conn.send(f'{p_id}_send_2')
    print('func_pipe1: {} send_2\n'.format(p_id))

    time.sleep(0.1)
    recv = conn.recv()
    print('func_pipe1: {} recv {}\n'.format(p_id, recv))

    time.sleep(0.1)
    recv = conn.recv()
    print('func_pipe1: {} recv {}\n'.format(p_id, recv))
    print("func_pipe1 {} end=================\n".format(p_id))


def func_pipe2(conn, p_id):
    print("func_pipe2 {} start===============\n".format(p_id))
    time.sleep(0.1)
    conn.send(p_id)
    print('func_pipe2: {} send\n'.format(p_id))
    time.sleep(0.1)
    rec = conn.recv()
    print('func_pipe2: {} recv {}\n'.format(p_id, rec))
    print("func_pipe2 {} end=================\n".format(p_id))


def run__pipe():
    main_conn, child_conn = Pipe()

    process = [Process(target=func_pipe1, args=(main_conn,  'pid_1')),
               Process(target=func_pipe2, args=(child_conn, 'pid_2')),
               Process(target=func_pipe2, args=(child_conn, 'pid_3')), ]

    [p.start() for p in process]
    print('run__pipe send：None\n')
    main_conn.send(None)
    print('run__pipe recv：{}\n'.format(child_conn.recv()))
    [p.join() for p in process]


if __name__ == '__main__':
    run__pipe()
    
'''
run__pipe send：None

run__pipe recv：None

func_pipe2 pid_2 start===============

func_pipe1 pid_1 start===============

func_pipe2 pid_3 start===============

func_pipe2: pid_2 send

func_pipe1: pid_1 send_1

func_pipe2: pid_3 send

func_pipe2: pid_3 recv pid_1_send_1

func_pipe2 pid_3 end=================
func_pipe1: pid_1 send_2


func_pipe2: pid_2 recv pid_1_send_2

func_pipe2 pid_2 end=================

func_pipe1: pid_1 recv pid_2

func_pipe1: pid_1 recv pid_3

func_pipe1 pid_1 end=================
'''

# Raw shared values, ctypes, shared_memory.
# golden: mask psm_[0-9a-f]+
from multiprocessing import Process, Array, Value, RawArray, RawValue
from multiprocessing import shared_memory
import ctypes
import struct


def fill(arr, raw, val):
    for i in range(len(arr)):
        arr[i] = i * i
    raw[0] = 9.5
    val.value = 'z'.encode()


def attach(name):
    shm = shared_memory.SharedMemory(name=name)
    shm.buf[0:5] = b'HELLO'
    struct.pack_into('i', shm.buf, 8, 1234)
    shm.close()


if __name__ == '__main__':
    arr = Array('i', 5, lock=False)
    raw = RawArray(ctypes.c_double, 2)
    val = RawValue('c', b'a')
    p = Process(target=fill, args=(arr, raw, val))
    p.start()
    p.join()
    print(list(arr), arr[:3], raw[0], raw[1], val.value, len(arr))
    print(ctypes.sizeof(ctypes.c_int), ctypes.sizeof(ctypes.c_double), ctypes.c_int(2 ** 31).value)
    a2 = Array('d', [1.5, 2.5])
    print(a2[:], a2.get_lock() is not None)
    shm = shared_memory.SharedMemory(create=True, size=16)
    c = Process(target=attach, args=(shm.name,))
    c.start()
    c.join()
    print(bytes(shm.buf[:5]), struct.unpack_from('i', shm.buf, 8), shm.size >= 16)
    shm.close()
    shm.unlink()
    sl = shared_memory.ShareableList([1, 2.5, 'text', True, None])
    print(list(sl), len(sl), sl[2], sl.count(1), sl.index('text'))
    sl[0] = 42
    print(sl[0])
    try:
        sl[2] = 'a much longer string than before'
    except ValueError as e:
        print('ValueError:', e)
    sl.shm.close()
    sl.shm.unlink()

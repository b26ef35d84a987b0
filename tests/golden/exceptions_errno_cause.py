# OSError(errno, strerror) is the errno's subclass (OSError.__new__), also
# when it comes back from a Pool worker; a worker's exception has as
# __cause__ a multiprocessing.pool.RemoteTraceback whose str is the worker's
# traceback (rebuild_exc), and ProcessPoolExecutor's a _RemoteTraceback.
from multiprocessing import Pool, Queue, Process
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

# errno values on Linux (mp2c has no errno module)
ERRNOS = {
    'EAGAIN': 11,
    'EALREADY': 114,
    'EWOULDBLOCK': 11,
    'EINPROGRESS': 115,
    'ECHILD': 10,
    'EPIPE': 32,
    'ESHUTDOWN': 108,
    'ECONNABORTED': 103,
    'ECONNREFUSED': 111,
    'ECONNRESET': 104,
    'EEXIST': 17,
    'ENOENT': 2,
    'EISDIR': 21,
    'ENOTDIR': 20,
    'EINTR': 4,
    'EACCES': 13,
    'EPERM': 1,
    'ESRCH': 3,
    'ETIMEDOUT': 110,
    'EINVAL': 22,
}


class AppError(OSError):
    pass


def divide(x):
    return 10 // x


def missing(x):
    raise OSError(2, 'no file %d' % x)


def denied(x):
    raise OSError(13, 'denied', '/etc/x%d' % x)


def send_error(q):
    q.put(OSError(32, 'pipe gone'))


def errno_subclasses():
    e = OSError(2, 'No such file')
    print(repr(e), type(e).__name__, e.errno, e.strerror, str(e))
    try:
        raise OSError(13, 'denied')
    except PermissionError as x:
        print('caught', repr(x))
    for name, num in ERRNOS.items():
        print(name, type(OSError(num, 'm')).__name__)
    print(type(AppError(2, 'x')).__name__, type(OSError('2', 'x')).__name__,
          type(OSError(2)).__name__, type(OSError(True, 'x')).__name__)
    print(repr(OSError(2)), repr(OSError()), repr(OSError(99999, 'big')))
    e = OSError(2, 'x', 'f')
    print(repr(e), e.args, e.filename, e.filename2, str(e))
    e = OSError(2, 'x', None)
    print(repr(e), e.args, e.filename, str(e))
    e = OSError(2, 'x', 'a', None, 'b')
    print(repr(e), e.args, e.filename, e.filename2, str(e))
    e = FileNotFoundError(2, 'x', 'a')
    print(repr(e), e.args, e.filename, str(e))
    try:
        open('/nonexistent/dir/file')
    except FileNotFoundError as x:
        print(repr(x), x.filename, str(x))
    print(issubclass(IsADirectoryError, OSError), issubclass(NotADirectoryError, OSError),
          issubclass(ConnectionRefusedError, ConnectionError),
          issubclass(ConnectionAbortedError, ConnectionError))
    try:
        raise OSError(111, 'refused')
    except ConnectionError as x:
        print('connection', repr(x))


def remote_causes():
    with Pool(2) as p:
        try:
            p.map(divide, [1, 0])
        except ZeroDivisionError as e:
            c = e.__cause__
            print(type(c).__name__, type(c).__module__, e.__suppress_context__)
            lines = str(c).splitlines()
            print(lines[0] == '', lines[1], lines[2], lines[-2], lines[-1])
            print(c.tb == str(c), len(c.args), isinstance(c, Exception))
            print(repr(e))
        try:
            p.apply(missing, (3,))
        except FileNotFoundError as e:
            print('caught', repr(e), type(e.__cause__).__name__)
            print(str(e.__cause__).splitlines()[-2])
        r = p.map_async(denied, [1])
        r.wait()
        try:
            r.get()
        except PermissionError as e:
            print(repr(e), e.filename, str(e), type(e.__cause__).__name__)
        try:
            try:
                raise KeyError('k')
            except KeyError:
                p.apply(divide, (0,))
        except ZeroDivisionError as e:
            print(type(e.__cause__).__name__, type(e.__context__).__name__, e.__suppress_context__)
    q = Queue()
    proc = Process(target=send_error, args=(q,))
    proc.start()
    e = q.get()
    proc.join()
    print('queue', repr(e), type(e).__name__, e.__cause__)
    with ProcessPoolExecutor(1) as ex:
        try:
            ex.submit(divide, 0).result()
        except ZeroDivisionError as e:
            print(type(e.__cause__).__name__, type(e.__cause__).__module__)
    with ThreadPoolExecutor(1) as ex:
        try:
            ex.submit(divide, 0).result()
        except ZeroDivisionError as e:
            print('thread cause', e.__cause__)


if __name__ == '__main__':
    errno_subclasses()
    remote_causes()

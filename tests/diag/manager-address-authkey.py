from multiprocessing.managers import BaseManager


class QueueManager(BaseManager):
    pass


if __name__ == '__main__':
    m = QueueManager(address=('', 50000), authkey=b'abracadabra')
    m2 = QueueManager(serializer='xmlrpclib')
    m3 = QueueManager(shutdown_timeout=2.0)

from multiprocessing.managers import BaseManager


class QueueManager(BaseManager):
    pass


if __name__ == '__main__':
    m = QueueManager()
    m.connect()
    server = m.get_server()
    server.serve_forever()

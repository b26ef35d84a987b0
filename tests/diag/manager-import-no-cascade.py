from multiprocessing.managers import BaseManager, BaseProxy


class CounterProxy(BaseProxy):
    _exposed_ = ('get',)


class MyManager(BaseManager):
    pass

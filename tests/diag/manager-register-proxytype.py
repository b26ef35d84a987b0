from multiprocessing.managers import BaseManager


class Counter:
    def get(self):
        return 1


class MyManager(BaseManager):
    pass


MyManager.register('Counter', Counter, proxytype=object)
MyManager.register('Plain', Counter, None, None)
MyManager.register('Maker', Counter, method_to_typeid={'get': 'Counter'})

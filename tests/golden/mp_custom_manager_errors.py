# A registered type's proxy forwards only its public methods; an exception
# raised by a method in the manager's server is raised again in the caller,
# and uncaught it ends the script as CPython's does.
# golden: stderr-tail 1
from multiprocessing.managers import BaseManager, RemoteError


class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError('amount must be positive, got %r' % (amount,))
        self.balance += amount
        return self.balance

    def withdraw(self, amount):
        if amount > self.balance:
            raise KeyError(amount)
        self.balance -= amount
        return self.balance

    def _audit(self):
        return 'secret'


class BankManager(BaseManager):
    pass


BankManager.register('Account', Account)
BankManager.register('Frozen', Account, exposed=('deposit',))


if __name__ == '__main__':
    m = BankManager()
    try:
        m.Account('x')
    except AssertionError as e:
        print('AssertionError:', e)
    m.start()
    acc = m.Account('ann', 10)
    print(acc.deposit(5))
    for bad in (lambda: acc.deposit(0), lambda: acc.withdraw(100)):
        try:
            bad()
        except (ValueError, KeyError) as e:
            print(type(e).__name__, e)
    for name in ('_audit', 'balance', 'owner', 'nothing'):
        try:
            getattr(acc, name)
        except AttributeError as e:
            print(e)
    f = m.Frozen('bob')
    try:
        f.withdraw(1)
    except AttributeError as e:
        print(e)
    try:
        m.Account()
    except RemoteError as e:
        print('RemoteError', 'TypeError' in str(e))
    try:
        m.Missing
    except AttributeError as e:
        print(e)
    print(acc.withdraw(3))
    acc.deposit(-2)

# traceback's functions that mp2c does not provide: one error each.
import traceback
from traceback import walk_tb


def f():
    try:
        int("x")
    except ValueError as e:
        print(traceback.extract_stack())
        print(list(walk_tb(e.__traceback__)))
        print(traceback.TracebackException.from_exception(e))
        print(traceback.StackSummary)

# traceback's argument errors, worded as CPython's Python-level functions word them.
import traceback
def g():
    raise ValueError("x")
try:
    g()
except ValueError as e:
    print(traceback.format_exc(limit=1))
    print(traceback.format_exception(e, limit=None, chain=True)[-1], end="")
    print(traceback.format_exception_only(e))
    for f in (lambda: traceback.print_exception(), lambda: traceback.format_exc(1, 2, 3), lambda: traceback.print_exc(1, 2, 3, 4), lambda: traceback.format_exc(foo=1), lambda: traceback.format_exception_only()):
        try:
            f()
        except TypeError as t:
            print(t)

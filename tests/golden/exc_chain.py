# Exception chaining: __cause__, __context__, __suppress_context__ and
# __traceback__, and the uncaught report of a chain of three (explicit cause,
# implicit context, then `from`) with CPython's separator lines.
# golden: stderr-tail 31


class AppError(Exception):
    pass


def low(x):
    raise ZeroDivisionError('low %d' % x)


def explicit(x):
    try:
        low(x)
    except ZeroDivisionError as e:
        raise ValueError('explicit %d' % x) from e


def implicit(d):
    try:
        d.pop('missing')
    except KeyError:
        raise AppError('while handling')


def suppressed():
    try:
        [][3]
    except IndexError:
        raise RuntimeError('clean') from None


def nested_context():
    try:
        try:
            low(1)
        except ZeroDivisionError:
            implicit({})
    except AppError as e:
        raise TypeError('outer') from e


def describe(e):
    chain = []
    while e is not None:
        how = 'cause' if e.__cause__ is not None else 'context' if e.__context__ is not None and not e.__suppress_context__ else 'end'
        chain.append('%s(%s) -%s-> ' % (type(e).__name__, e, how))
        e = e.__cause__ if e.__cause__ is not None else None if e.__suppress_context__ else e.__context__
    return ''.join(chain)


def show(f, *a):
    try:
        f(*a)
    except Exception as e:
        print(type(e).__name__, e)
        print('  cause', repr(e.__cause__), 'context', repr(e.__context__))
        print('  suppress', e.__suppress_context__, 'traceback', e.__traceback__ is not None)
        print('  chain', describe(e))


def attributes():
    e = ValueError('fresh')
    print('fresh', e.__cause__, e.__context__, e.__suppress_context__, e.__traceback__)
    e.__cause__ = KeyError('k')
    print('set cause', repr(e.__cause__), e.__suppress_context__)
    e.__cause__ = None
    e.__suppress_context__ = False
    e.__context__ = IndexError('i')
    print('set context', repr(e.__context__), e.__suppress_context__)
    try:
        e.__cause__ = 5
    except TypeError as t:
        print('TypeError', t)
    try:
        raise e
    except ValueError as v:
        tb = v.__traceback__
        print('traceback', type(tb).__name__, tb.tb_lineno, tb.tb_next)
    # raising the handled exception's context again cuts the loop
    a = KeyError('a')
    try:
        try:
            raise a
        except KeyError:
            raise AppError('b')
    except AppError as b:
        try:
            raise a
        except KeyError as again:
            print('loop cut', repr(again.__context__), repr(b.__context__))
    # a bare raise keeps the context it had
    try:
        try:
            explicit(2)
        except ValueError:
            raise
    except ValueError as v:
        print('reraise', repr(v.__cause__), repr(v.__context__))


if __name__ == '__main__':
    show(explicit, 0)
    show(implicit, {})
    show(suppressed)
    show(nested_context)
    attributes()
    nested_context()

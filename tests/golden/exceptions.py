# Exceptions: try/except/else/finally, raise, re-raise, custom classes.
# golden: stderr-tail 1


class AppError(Exception):
    pass


class CodeError(AppError):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


def divide(a, b):
    return a / b


for b in (2, 0):
    try:
        r = divide(10, b)
    except ZeroDivisionError as e:
        print('caught', type(e).__name__, e)
    else:
        print('result', r)
    finally:
        print('finally', b)

try:
    [1, 2][5]
except IndexError as e:
    print('IndexError:', e)
try:
    {'a': 1}['b']
except KeyError as e:
    print('KeyError:', e, repr(e), e.args)
try:
    int('abc')
except ValueError as e:
    print('ValueError:', e)
try:
    None.foo
except AttributeError as e:
    print('AttributeError:', e)
try:
    1 + 'a'
except TypeError as e:
    print('TypeError:', e)
try:
    undefined_name
except NameError as e:
    print('NameError:', e)
try:
    raise CodeError(42, 'bad thing')
except AppError as e:
    print('AppError', e.code, e, repr(e), isinstance(e, CodeError), isinstance(e, Exception))
try:
    raise AppError
except AppError as e:
    print('bare class', repr(e), str(e) == '')
try:
    try:
        raise ValueError('inner')
    except ValueError:
        raise
except ValueError as e:
    print('re-raised', e)
try:
    try:
        raise KeyError('k')
    except KeyError as e:
        raise RuntimeError('wrapped') from e
except RuntimeError as e:
    print('chained', e, repr(e.__cause__))
try:
    raise ValueError('a', 'b')
except (TypeError, ValueError) as e:
    print('tuple of types', e.args, e)


def gen_finally():
    try:
        return 'from try'
    finally:
        print('finally runs before return')


print(gen_finally())


def loop_finally():
    out = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append(-i)
    return out


print(loop_finally())
try:
    assert 1 == 2, 'math is broken'
except AssertionError as e:
    print('assert', e)
print('now an uncaught one')
d = {}
print(d['missing'])

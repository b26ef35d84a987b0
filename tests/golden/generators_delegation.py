# Generator delegation (PEP 380) and throw(): send(), throw() and close()
# reach the innermost generator through `yield from`; a Pool's results are
# fed through such a chain.
from multiprocessing import Pool


def inner():
    x = yield 'ready'
    y = yield f'got {x}'
    return f'inner done with {y}'


def middle():
    r = yield from inner()
    print('middle got result:', r)
    return r.upper()


def outer():
    r = yield from middle()
    yield f'outer result {r}'


def send_levels():
    g = inner()
    print(next(g), g.send(1))
    try:
        g.send(2)
    except StopIteration as e:
        print('StopIteration value:', e.value)
    g = middle()
    print(next(g), g.send(5))
    try:
        g.send(None)
    except StopIteration as e:
        print('middle StopIteration value:', e.value)
    g = outer()
    print(next(g), g.send('two levels'), g.send([1, 2]))


def catcher():
    n = 0
    while True:
        try:
            yield n
        except ValueError as e:
            print('caught', repr(e))
            n += 100
            yield f'recovered {n}'
        n += 1


def throw_basics():
    g = catcher()
    print(next(g))
    print(g.throw(ValueError('boom')))
    print(next(g))
    print(g.throw(ValueError, 'legacy form'))
    print(next(g))
    print(g.throw(ValueError))
    print(next(g))
    print(g.throw(ValueError, ('two', 'args')))
    try:
        g.throw(KeyError('not caught'))
    except KeyError as e:
        print('propagated', repr(e))
    print(next(g, 'finished after an uncaught throw'))
    # a thrown exception the generator catches before it ends: StopIteration
    def ends_on_error():
        try:
            yield 1
        except RuntimeError:
            return 'stopped'
    g = ends_on_error()
    next(g)
    try:
        g.throw(RuntimeError)
    except StopIteration as e:
        print('throw ended it:', e.value)


def deep():
    try:
        yield 'deep 1'
        yield 'deep 2'
    except ZeroDivisionError as e:
        print('deep caught', repr(e))
        yield 'deep recovered'
    finally:
        print('deep finally')
    return 'deep result'


def via():
    r = yield from deep()
    print('via got', r)
    yield 'via after'


def top():
    yield from via()
    yield 'top end'


def throw_chain():
    g = top()
    print(next(g))
    print(g.throw(ZeroDivisionError('into the chain')))
    print(next(g), next(g), list(g))
    g = top()
    next(g)
    try:
        g.throw(LookupError('through the chain'))
    except LookupError as e:
        print('chain propagated', repr(e))
    print(list(g))


def close_chain():
    g = top()
    print(next(g), next(g))
    g.close()
    print('closed; next gives', next(g, 'nothing'))

    def with_cleanup():
        try:
            yield from deep()
        finally:
            print('with_cleanup finally')
    g = with_cleanup()
    next(g)
    del g
    print('dropped')


def edge_states():
    def simple():
        print('body ran')
        yield 1
    g = simple()
    try:
        g.throw(TypeError('unstarted'))
    except TypeError as e:
        print('unstarted:', repr(e))
    print('then next:', next(g, 'exhausted'))
    g = simple()
    print(list(g))
    try:
        g.throw(IndexError, 'finished')
    except IndexError as e:
        print('finished:', repr(e))
    try:
        g.throw(ValueError('x'), 'y')
    except TypeError as e:
        print(e)
    try:
        g.throw(42)
    except TypeError as e:
        print(e)


class Echo:
    """An iterator without send()/throw(): yield from uses next()."""

    def __init__(self, n):
        self.i = 0
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        self.i += 1
        if self.i > self.n:
            raise StopIteration
        return self.i


class Coroutine:
    """Not a generator, but with send() and throw(): yield from uses them."""

    def __init__(self):
        self.log = []

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, v):
        self.log.append(v)
        if len(self.log) > 3:
            raise StopIteration(f'log {self.log}')
        return f'step {len(self.log)}'

    def throw(self, exc):
        self.log.append(repr(exc))
        return 'threw'


def plain_iterators():
    def over_list():
        r = yield from [1, 2]
        print('list result', r)
        r = yield from Echo(2)
        print('iterator result', r)
    g = over_list()
    print(next(g), g.send(None), g.send(None), next(g))
    print(next(g, 'end'))
    g = over_list()
    next(g)
    try:
        g.send('a list iterator has no send()')
    except AttributeError as e:
        print('send to a list:', e)
    g = over_list()
    next(g)
    try:
        g.throw(ValueError('no throw on a list iterator'))
    except ValueError as e:
        print('raised at the yield from:', repr(e))

    def over_coroutine():
        r = yield from Coroutine()
        yield r
    g = over_coroutine()
    print(next(g), g.send('a'), g.throw(OSError('t')), g.send('b'))


def handled_state():
    """The exception an except block handles stays with its generator
    across a yield: chaining sees it there, and not in the caller."""
    def in_handler():
        try:
            raise KeyError('generator handling')
        except KeyError:
            yield 'in handler'
            try:
                yield 'again'
            except ValueError as e:
                print('thrown in a handler, context', repr(e.__context__))
                yield 'done'

    g = in_handler()
    print(next(g))
    try:
        raise IndexError('caller')
    except IndexError:
        print(next(g))
        try:
            raise TypeError
        except TypeError as e:
            print('caller context', repr(e.__context__))
    print(g.throw(ValueError('v')))

    def inner():
        try:
            yield 1
        except KeyError as e:
            print('delegate caught', repr(e), 'context', repr(e.__context__))
            yield 2

    def outer():
        try:
            raise IndexError('outer handling')
        except IndexError:
            yield from inner()
    g = outer()
    next(g)
    print(g.throw(KeyError('k')))


def stop_iteration_inside():
    """PEP 479: StopIteration leaving a generator body is a RuntimeError."""
    def raises_stop():
        yield 1
        raise StopIteration('early')

    def delegates():
        r = yield from raises_stop()
        print('not reached', r)
    for make in (raises_stop, delegates):
        try:
            print(list(make()))
        except RuntimeError as e:
            print(repr(e), 'cause', repr(e.__cause__))
    g = catcher()
    next(g)
    try:
        g.throw(StopIteration)
    except RuntimeError as e:
        print('thrown StopIteration:', repr(e), repr(e.__cause__))


def square(x):
    return x * x


def pool_squares(pool, n):
    return (yield from pool.imap(square, range(n)))


def running_total():
    """Sums what is sent in; the pool's results arrive through yield from."""
    total = 0
    while True:
        x = yield total
        if x is None:
            return total
        total += x


def accumulate():
    final = yield from running_total()
    yield f'final {final}'


if __name__ == '__main__':
    send_levels()
    throw_basics()
    throw_chain()
    close_chain()
    edge_states()
    plain_iterators()
    handled_state()
    stop_iteration_inside()
    with Pool(2) as pool:
        acc = accumulate()
        next(acc)
        for sq in pool_squares(pool, 6):
            print('sent', sq, 'total', acc.send(sq))
        print(acc.send(None))

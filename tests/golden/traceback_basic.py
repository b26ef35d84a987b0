# traceback's format/print functions inside except blocks, in the main process.
# golden: stderr-tail 5
import sys
import traceback


# Each failing line is a whole statement: CPython 3.11 underlines only part
# of a line (~~~^^^), which mp2c does not reproduce (README).
def inner(x):
    int(x)


def middle(x):
    inner(x)


def outer(x):
    middle(x)


def recurse(n):
    if n == 0:
        raise RecursionError("bottom")
    recurse(n - 1)


class AppError(Exception):
    pass


def show(title, items):
    print("==", title, len(items))
    for i, s in enumerate(items):
        print(i, repr(s))


def main():
    print(repr(traceback.format_exc()))
    traceback.print_exc(file=sys.stdout)

    try:
        outer("abc")
    except ValueError:
        text = traceback.format_exc()
        print(text, end="")
        traceback.print_exc(file=sys.stdout)
        traceback.print_exc(limit=1, file=sys.stdout)
        traceback.print_exc(limit=-1, file=sys.stdout)
        traceback.print_exc(limit=0, file=sys.stdout)
        print(traceback.format_exc(limit=2))

    try:
        outer("abc")
    except ValueError as e:
        show("format_exception(e)", traceback.format_exception(e))
        show("format_exception(t, v, tb)", traceback.format_exception(type(e), e, e.__traceback__))
        show("format_exception(t, v, None)", traceback.format_exception(type(e), e, None))
        show("tb_next", traceback.format_exception(type(e), e, e.__traceback__.tb_next))
        show("only", traceback.format_exception_only(e))
        show("only(t, v)", traceback.format_exception_only(type(e), e))
        traceback.print_exception(e, file=sys.stdout)
        traceback.print_exception(type(e), e, e.__traceback__, file=sys.stdout)
        traceback.print_exception(e, limit=1, file=sys.stdout)

    # chained: implicit context, explicit cause, and suppressed
    try:
        try:
            outer("abc")
        except ValueError:
            raise KeyError("lost")
    except KeyError as k:
        traceback.print_exc(file=sys.stdout)
        show("context", traceback.format_exception(k))

    try:
        try:
            raise KeyError("k")
        except KeyError as err:
            raise AppError("wrapped") from err
    except AppError as e:
        traceback.print_exception(e, file=sys.stdout)
        traceback.print_exception(e, chain=False, file=sys.stdout)
        show("cause", traceback.format_exception(e))
        show("cause limit=1", traceback.format_exception(e, limit=1))

    try:
        try:
            int("x")
        except ValueError:
            raise AppError("clean") from None
    except AppError:
        print(traceback.format_exc(), end="")

    try:
        recurse(30)
    except RecursionError:
        traceback.print_exc(file=sys.stdout)
        show("recurse", traceback.format_exc().splitlines())

    try:
        raise AppError()
    except AppError as e:
        show("no message", traceback.format_exception_only(e))
        show("module", traceback.format_exception_only(e))
    show("none", traceback.format_exception_only(None))
    show("none exc", traceback.format_exception(None))
    print(repr(traceback.format_exc()))

    e = ValueError("never raised")
    show("unraised", traceback.format_exception(e))
    try:
        traceback.format_exception("text")
    except TypeError as t:
        print("TypeError:", t)
    sys.stdout.flush()

    try:
        raise IndexError("list index out of range")
    except IndexError:
        traceback.print_exc()
    traceback.print_exc()


if __name__ == "__main__":
    main()

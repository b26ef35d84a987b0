#!/usr/bin/env python3
"""Writes tests/unit/logging_expected.h: what CPython 3.11's logging writes
for the calls test_logging.c makes (same order: the module state carries
over from one case to the next, as it does in the test).

Run: python3 tests/unit/gen_logging_expected.py > tests/unit/logging_expected.h
Times are formatted with TZ=UTC; this process's pid is replaced by "%d".
"""
import contextlib
import io
import logging
import multiprocessing
import os
import sys
import time

os.environ["TZ"] = "UTC"
time.tzset()


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def err(f):
    try:
        f()
    except BaseException as e:
        return f"{type(e).__module__}.{type(e).__qualname__}: {e}".replace("builtins.", "").rstrip(": ")
    return "no error"


def fresh(name, fmt=None, level=logging.DEBUG, style='%', datefmt=None):
    """A logger with one StringIO handler and no propagation."""
    lg = logging.getLogger(name)
    lg.handlers = []
    s = io.StringIO()
    h = logging.StreamHandler(s)
    h.setFormatter(logging.Formatter(fmt, datefmt, style))
    lg.addHandler(h)
    lg.setLevel(level)
    lg.propagate = False
    return lg, s


def main():
    rows = []

    def put(name, value):
        rows.append((name, value))

    # level filtering and %-args
    lg, s = fresh("app", logging.BASIC_FORMAT, logging.INFO)
    lg.debug("d")
    lg.info("i %d", 5)
    lg.warning("w %s %r", "x", "y")
    lg.error("dict %(a)s", {"a": 1})
    lg.critical("crit")
    lg.log(25, "lvl25")
    lg.info("no args %d")
    lg.warning(42)
    put("LG_BASIC", s.getvalue())

    # record attributes in the format
    lg, s = fresh("fmt.one", "%(levelno)s|%(levelname)-8s|%(name)s|%(message)s|%(processName)s|%(threadName)s|%(process)d")
    lg.info("hello")
    lg.warning("x=%5.2f", 3.14159)
    put("LG_FORMATS", s.getvalue().replace(str(os.getpid()), "%d"))

    lg, s = fresh("fmt.brace", "{levelname:>8}|{name}|{message}", style='{')
    lg.error("braced %s", "arg")
    put("LG_BRACE", s.getvalue())

    lg, s = fresh("fmt.dollar", "$levelname - ${name}: $message $$", style='$')
    lg.error("dollar")
    put("LG_DOLLAR", s.getvalue())

    # asctime from a fixed creation time
    rec = logging.LogRecord("t", 20, "/x/y.py", 3, "m %s", ("a",), None)
    rec.created = 1700000000.25
    rec.msecs = 250.0
    put("LG_RECORD_REPR", repr(rec))
    put("LG_RECORD_FIELDS", f"{rec.getMessage()}|{rec.filename}|{rec.module}|{rec.levelname}|{rec.processName}")
    put("LG_ASCTIME", logging.Formatter("%(asctime)s %(message)s").format(rec))
    put("LG_DATEFMT", logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S").format(rec))

    # exceptions
    lg, s = fresh("exc", "%(levelname)s:%(message)s")
    lg.error("failed", exc_info=ValueError("boom"))
    lg.exception("outside")
    try:
        raise KeyError("k")
    except KeyError as e:
        e.__traceback__ = None
        lg.exception("caught %s", "it")
    lg.info("after")
    put("LG_EXC", s.getvalue())

    # levels
    put("LG_LEVEL_NAMES", " ".join(repr(logging.getLevelName(x)) for x in (10, 7, "INFO", "nope", 50, 0)))

    # reprs and effective levels
    app = logging.getLogger("app")
    sub = logging.getLogger("app.sub")
    put("LG_REPRS", " ".join([repr(app), repr(logging.getLogger()), repr(sub),
                              repr(logging.StreamHandler(io.StringIO())), repr(logging.StreamHandler()),
                              repr(logging.NullHandler()), repr(logging.Handler(level=10))]))
    put("LG_ENABLED", f"{app.isEnabledFor(10)} {app.isEnabledFor(20)} {sub.getEffectiveLevel()} "
                      f"{logging.getLogger() is logging.getLogger('root')} {logging.getLogger('root').name}")
    logging.disable(logging.INFO)
    put("LG_DISABLED", f"{app.isEnabledFor(20)} {app.isEnabledFor(30)}")
    logging.disable(logging.NOTSET)

    # propagation to ancestors' handlers
    root = logging.getLogger()
    rs = io.StringIO()
    rh = logging.StreamHandler(rs)
    rh.setFormatter(logging.Formatter("root:%(name)s:%(message)s"))
    root.addHandler(rh)
    lg, s = fresh("prop", "prop:%(name)s:%(message)s")
    lg.propagate = True
    logging.getLogger("prop.db").warning("to both")
    lg.propagate = False
    logging.getLogger("prop.db").warning("to prop only")
    root.removeHandler(rh)
    put("LG_PROPAGATE", s.getvalue() + "--\n" + rs.getvalue())
    logging.getLogger("x.y.z")
    p1 = logging.getLogger("x.y.z").parent.name
    logging.getLogger("x")
    p2 = logging.getLogger("x.y.z").parent.name
    logging.getLogger("x.y")
    p3 = logging.getLogger("x.y.z").parent.name
    put("LG_PARENTS", f"{p1} {p2} {p3} {logging.getLogger('x.y').parent.name} {logging.getLogger('x').getChild('y.z') is logging.getLogger('x.y.z')}")

    # filters
    lg, s = fresh("filt", "%(name)s:%(message)s")
    f = logging.Filter("filt.db")
    put("LG_FILTER_OBJ", " ".join(str(f.filter(logging.LogRecord(n, 20, "", 0, "", (), None)))
                                  for n in ("filt.db", "filt.db.x", "filt.dbx", "filt", "other")))
    lg.addFilter(lambda r: "secret" not in r.getMessage())
    lg.info("public")
    lg.info("a secret")
    lg.handlers[0].addFilter(logging.Filter("filt.sub"))
    lg.info("dropped by the handler's filter")
    put("LG_FILTER", s.getvalue())

    # errors
    put("LG_ERR_LEVEL", err(lambda: app.setLevel("FOO")))
    put("LG_ERR_LEVEL_TYPE", err(lambda: app.setLevel(1.5)))
    put("LG_ERR_FORMAT", err(lambda: logging.Formatter("hello")))
    put("LG_ERR_STYLE", err(lambda: logging.Formatter(style="x")))
    put("LG_ERR_LOG_LEVEL", err(lambda: app.log("x", "m")))
    put("LG_ERR_NAME", err(lambda: logging.getLogger(5)))
    put("LG_ERR_KW", err(lambda: app.warning("m", foo=1)))
    put("LG_ERR_EXTRA", err(lambda: app.warning("m", extra={"name": 1})))
    put("LG_ERR_BASIC_BOTH", err(lambda: logging.basicConfig(stream=io.StringIO(), filename="x.log")))
    put("LG_ERR_BASIC_KW", err(lambda: logging.basicConfig(foo=1)))
    root.handlers = []

    # extra fields
    lg, s = fresh("extra", "%(user)s:%(message)s")
    lg.warning("with extra", extra={"user": "bob"})
    put("LG_EXTRA", s.getvalue())

    # basicConfig and the module functions
    bs = io.StringIO()
    logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s %(message)s", stream=bs)
    logging.debug("d %d", 1)
    logging.info("i")
    logging.basicConfig(format="ignored %(message)s", stream=bs)
    logging.warning("w")
    logging.log(logging.ERROR, "e")
    put("LG_BASICCONFIG", bs.getvalue())
    put("LG_ROOT_HANDLER", repr(root.handlers))
    bs2 = io.StringIO()
    logging.basicConfig(force=True, format="F %(message)s", stream=bs2)
    logging.critical("after force")
    put("LG_FORCE", bs2.getvalue() + "|" + repr(logging.getLogger().level))
    root.handlers = []
    root.setLevel(logging.WARNING)

    # no handler anywhere: the last resort writes the bare message to stderr
    err_cap = io.StringIO()
    with contextlib.redirect_stderr(err_cap):
        lonely = logging.getLogger("lonely")
        lonely.warning("hi %s", "there")
        lonely.info("not shown")
        # multiprocessing's logger
        mpl = multiprocessing.log_to_stderr(logging.INFO)
        mpl.info("hello from %s", "mp")
        mpl.debug("hidden")
    put("LG_STDERR", err_cap.getvalue())
    put("LG_MP_LOGGER", f"{mpl!r} {mpl.propagate!r} {multiprocessing.get_logger() is mpl} {len(mpl.handlers)}")

    # a level name added
    logging.addLevelName(25, "NOTICE")
    lg, s = fresh("named", "%(levelname)s %(levelno)d %(message)s")
    lg.log(25, "custom")
    put("LG_ADDLEVEL", s.getvalue() + repr(logging.getLevelName("NOTICE")))

    print("/* Generated by tests/unit/gen_logging_expected.py from CPython %d.%d.%d. Do not edit. */"
          % sys.version_info[:3])
    for name, value in rows:
        print(f"#define {name} {c_str(value)}")


if __name__ == "__main__":
    main()

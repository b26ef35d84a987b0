try:
    risky()
except ValueError:
    pass
except (KeyError, IndexError) as e:
    handle(e)
except Exception as exc:
    raise RuntimeError("wrapped") from exc
except:
    raise
else:
    ok()
finally:
    cleanup()
try:
    pass
finally:
    pass
raise
raise ValueError
raise ValueError("bad") from None
assert x
assert x > 0, "x must be positive"
with open("f") as fh: data = fh.read()
with a as x, b as y, c: pass
with (a as x, b as y): pass
with (a, b): pass
with (a, b) as t: pass
with lock: pass
with a as (x, y): pass

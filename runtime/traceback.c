/* traceback.c: the traceback module's print_exc, format_exc,
 * print_exception, format_exception and format_exception_only.
 *
 * All of them are exc.c's one formatter (rt_exc_format_ex), the same that
 * prints uncaught exceptions, so their text is that report's. Arguments
 * follow CPython 3.11: print_exception(exc) or (type, value, tb), limit=
 * (outermost frames, or innermost when negative), file= and chain=.
 */
#include "mp2c.h"


/* limit= and chain= into o. 0 / -1. */
static int limit_chain(RtValue *limit, RtValue *chain, RtExcFmt *o) {
    o->chain = true;
    if (limit && limit != rt_None) {
        int64_t v;
        if (rt_int_as_i64_clamped(limit, &v) < 0) return -1;
        o->has_limit = true;
        o->limit = v > 1000000000 ? 1000000000 : v < -1000000000 ? -1000000000 : (int)v;
    }
    if (chain) {
        int t = rt_truthy(chain);
        if (t < 0) return -1;
        o->chain = t;
    }
    return 0;
}

/* _parse_value_tb(exc, value, tb): the exception to format (borrowed). A
 * given tb replaces the exception's own frames: None has none. */
static RtValue *parse_value_tb(RtValue *exc, RtValue *value, RtValue *tb, RtExcFmt *o) {
    if (!value != !tb) {
        rt_raise(&rt_exc_ValueError, "Both or neither of value and tb must be given");
        return NULL;
    }
    if (!value) {
        if (!exc || exc == rt_None) return rt_None;
        if (exc->type->tag == RT_T_EXC) return exc;
        char name[256];
        rt_type_qualname(exc->type, name, sizeof name);
        rt_raise_fmt(&rt_exc_TypeError, "Exception expected for value, %s found", name);
        return NULL;
    }
    if (value->type->tag == RT_T_EXC) {
        if (tb == rt_None) {
            o->tb_src = (const RtExc *)value;
            o->tb_n = 0;
        } else {
            int n = rt_tb_frames(tb, &o->tb_src);
            if (n >= 0) o->tb_n = n;
            else o->tb_src = NULL;
        }
    }
    return value;
}

/* print(text, file=file, end=''); file None is sys.stderr. Steals text. */
static RtValue *emit(RtValue *text, RtValue *file) {
    if (!text) return NULL;
    RtValue *end = rt_str_from_cstr("");
    int rc = end ? rt_print(&text, 1, NULL, end, file && file != rt_None ? file : rt_sys_stderr, false) : -1;
    rt_xdecref(end);
    rt_decref(text);
    return rc < 0 ? NULL : rt_newref(rt_None);
}

/* The exception being handled, or None (sys.exc_info()[1]). */
static RtValue *handled(void) {
    RtValue *h = rt_exc_handling();
    return h ? h : rt_None;
}

RtValue *rt_traceback_print_exc(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"limit", "file", "chain"};
    static const RtArgSpec sp = {"print_exc", names, 3, 3, 0, false, false};
    RtValue *a[3];
    RtExcFmt o = {0};
    (void)self;
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0 || limit_chain(a[0], a[2], &o) < 0) return NULL;
    return emit(rt_exc_format_ex(handled(), &o, false), a[1]);
}

RtValue *rt_traceback_format_exc(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"limit", "chain"};
    static const RtArgSpec sp = {"format_exc", names, 2, 2, 0, false, false};
    RtValue *a[2];
    RtExcFmt o = {0};
    (void)self;
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0 || limit_chain(a[0], a[1], &o) < 0) return NULL;
    return rt_exc_format_ex(handled(), &o, false);
}

RtValue *rt_traceback_print_exception(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"exc", "value", "tb", "limit", "file", "chain"};
    static const RtArgSpec sp = {"print_exception", names, 6, 6, 1, false, false};
    RtValue *a[6];
    RtExcFmt o = {0};
    (void)self;
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0 || limit_chain(a[3], a[5], &o) < 0) return NULL;
    RtValue *v = parse_value_tb(a[0], a[1], a[2], &o);
    return v ? emit(rt_exc_format_ex(v, &o, false), a[4]) : NULL;
}

RtValue *rt_traceback_format_exception(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"exc", "value", "tb", "limit", "chain"};
    static const RtArgSpec sp = {"format_exception", names, 5, 5, 1, false, false};
    RtValue *a[5];
    RtExcFmt o = {0};
    (void)self;
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0 || limit_chain(a[3], a[4], &o) < 0) return NULL;
    RtValue *v = parse_value_tb(a[0], a[1], a[2], &o);
    return v ? rt_exc_format_ex(v, &o, true) : NULL;
}

RtValue *rt_traceback_format_exception_only(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"exc", "value"};
    static const RtArgSpec sp = {"format_exception_only", names, 2, 2, 1, false, false};
    RtValue *a[2];
    RtExcFmt o = {.chain = true, .only = true};
    (void)self;
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    /* (exc) formats exc; (type, value) formats value */
    return rt_exc_format_ex(a[1] ? a[1] : a[0], &o, true);
}

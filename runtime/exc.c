/* exc.c: Python exceptions — the built-in hierarchy, raising, catching,
 * tracebacks, and CPython's report of an uncaught exception.
 *
 * Errors propagate by return status. A failing operation creates an
 * exception object, stores it in rt_exc_pending and returns NULL or -1. The
 * generated code records a traceback frame at each statement the exception
 * passes through (rt_tb_here), so frames are appended innermost first and
 * printed in reverse, outermost first, as "most recent call last" requires.
 *
 * The exception being *handled* (inside an except block) is tracked
 * separately, so that a bare `raise` can re-raise it and a new exception
 * raised meanwhile gets it as __context__ ("During handling of the above
 * exception, another exception occurred").
 */
#include "mp2c.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

_Thread_local RtValue *rt_exc_pending;
static _Thread_local RtValue *exc_handled;   /* borrowed view of the innermost handled exception */

/* ==== the exception type objects ========================================= */

static void exc_dealloc(RtValue *self);
static RtValue *exc_repr(RtValue *self);
static RtValue *exc_str_slot(RtValue *self) { return rt_exc_str(self); }
static RtValue *exc_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kwnames);
static RtValue *exc_getattr(RtValue *self, const char *name);
static int exc_hash(RtValue *self, int64_t *out);
static const RtMethodDef exc_methods[];
static const RtGetSetDef exc_getset[];

#define rt_exc_object rt_type_object
#define RT_DEFINE_EXC(cname, basename, mod, pyname)                                  \
    RtType rt_exc_##cname = {                                                        \
        .ob = RT_STATIC_HEAD(&rt_type_type), .name = pyname, .module = mod,          \
        .tag = RT_T_EXC, .flags = RT_TF_BASETYPE, .base = &rt_exc_##basename,        \
        .size = sizeof(RtExc), .dict_offset = offsetof(RtExc, dict), .table_index = -1, \
        .dealloc = exc_dealloc, .repr = exc_repr, .str = exc_str_slot,               \
        .hash = exc_hash, .construct = exc_construct, .getattr = exc_getattr,        \
        .methods = exc_methods, .getset = exc_getset,                                \
    };
RT_EXC_TYPES(RT_DEFINE_EXC)
#undef RT_DEFINE_EXC
#undef rt_exc_object

static int exc_hash(RtValue *self, int64_t *out) {
    uintptr_t p = (uintptr_t)self;
    *out = (int64_t)(p >> 4);
    return 0;
}

static void exc_dealloc(RtValue *self) {
    RtExc *e = (RtExc *)self;
    RT_CLEAR(e->dict);
    RT_CLEAR(e->args);
    RT_CLEAR(e->cause);
    RT_CLEAR(e->context);
    RT_CLEAR(e->remote_tb);
    rt_free(e->tb);
}

/* The OSError subclass CPython picks for an errno (Objects/exceptions.c's
 * errnomap). EWOULDBLOCK is EAGAIN on Linux, hence the guard. */
static RtType *errno_type(int err) {
    switch (err) {
    case ENOENT: return &rt_exc_FileNotFoundError;
    case EEXIST: return &rt_exc_FileExistsError;
    case EPERM: case EACCES: return &rt_exc_PermissionError;
    case ESRCH: return &rt_exc_ProcessLookupError;
    case ECHILD: return &rt_exc_ChildProcessError;
    case EPIPE: case ESHUTDOWN: return &rt_exc_BrokenPipeError;
    case ECONNABORTED: return &rt_exc_ConnectionAbortedError;
    case ECONNREFUSED: return &rt_exc_ConnectionRefusedError;
    case ECONNRESET: return &rt_exc_ConnectionResetError;
    case EISDIR: return &rt_exc_IsADirectoryError;
    case ENOTDIR: return &rt_exc_NotADirectoryError;
    case EINTR: return &rt_exc_InterruptedError;
    case EAGAIN: case EALREADY: case EINPROGRESS: return &rt_exc_BlockingIOError;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return &rt_exc_BlockingIOError;
#endif
    case ETIMEDOUT: return &rt_exc_TimeoutError;
    default: return &rt_exc_OSError;
    }
}

static RtValue *exc_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    if (kwnames && RT_TUPLE_LEN(kwnames) && !(t->flags & RT_TF_HEAP))
        return rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", t->name);
    /* OSError(errno, strerror, ...) is the errno's subclass, as OSError.__new__
     * makes it: OSError(2, 'x') is a FileNotFoundError. Only OSError itself. */
    if (t == &rt_exc_OSError && nargs >= 2 && rt_is_int(args[0])) {
        int64_t err;
        if (rt_int_as_i64(args[0], &err) == 0) {
            if (err >= INT32_MIN && err <= INT32_MAX) t = errno_type((int)err);
        } else {
            RT_CLEAR(rt_exc_pending);   /* a huge errno maps to nothing */
        }
    }
    RtExc *e = (RtExc *)rt_obj_alloc(t, t->size ? t->size : sizeof(RtExc));
    if (!e) return NULL;
    /* OSError(errno, strerror, filename[, winerror, filename2]) keeps only
     * (errno, strerror) in args when a filename is given; the filenames
     * become attributes (repr FileNotFoundError(2, 'x'), str "...: 'f'"). */
    size_t nkeep = nargs;
    if (!(t->flags & RT_TF_HEAP) && rt_type_is_subtype(t, &rt_exc_OSError) && nargs >= 3 && nargs <= 5 &&
        args[2] != rt_None) {
        nkeep = 2;
        if (!(e->dict = rt_dict_new()) || rt_dict_set_cstr(e->dict, "filename", args[2]) < 0 ||
            (nargs == 5 && args[4] != rt_None && rt_dict_set_cstr(e->dict, "filename2", args[4]) < 0)) {
            rt_decref(&e->ob);
            return NULL;
        }
    }
    if (!(e->args = rt_tuple_from_array(args, nkeep))) {
        rt_decref(&e->ob);
        return NULL;
    }
    return &e->ob;
}

/* OSError's filename / filename2 attribute (borrowed), or NULL. */
static RtValue *os_filename(RtExc *e, const char *which) {
    RtValue *v = e->dict ? rt_dict_get_cstr(e->dict, which) : NULL;
    return v && v != rt_None ? v : NULL;
}

RtValue *rt_exc_new(RtType *type, RtValue *args_tuple) {
    RtValue *const *items = args_tuple ? ((RtTuple *)args_tuple)->items : NULL;
    size_t n = args_tuple ? RT_TUPLE_LEN(args_tuple) : 0;
    return rt_call((RtValue *)type, items, n, NULL);
}

/* BaseException.__init__(self, *args): sets args. */
static RtValue *exc_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    if (kwnames && RT_TUPLE_LEN(kwnames))
        return rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", self->type->name);
    RtValue *t = rt_tuple_from_array(args, nargs);
    if (!t) return NULL;
    RT_SETREF(((RtExc *)self)->args, t);
    return rt_None;
}

static RtValue *exc_m_with_traceback(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args; (void)nargs; (void)kw;
    return rt_newref(self);
}

static const RtMethodDef exc_methods[] = {
    {"__init__", exc_m_init},
    {"with_traceback", exc_m_with_traceback},
    {NULL, NULL},
};

static RtValue *exc_get_args(RtValue *self) { return rt_newref(((RtExc *)self)->args); }
static int exc_set_args(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_TypeError, "args may not be deleted"); return -1; }
    RtValue *t = rt_is_tuple(v) ? rt_newref(v) : rt_call((RtValue *)&rt_type_tuple, &v, 1, NULL);
    if (!t) return -1;
    RT_SETREF(((RtExc *)self)->args, t);
    return 0;
}
static RtValue *exc_get_cause(RtValue *self) {
    RtValue *c = ((RtExc *)self)->cause;
    return rt_newref(c ? c : rt_None);
}
static int exc_set_cause(RtValue *self, RtValue *v) {
    RtExc *e = (RtExc *)self;
    if (!v) { rt_raise(&rt_exc_TypeError, "__cause__ may not be deleted"); return -1; }
    if (v != rt_None && v->type->tag != RT_T_EXC) {
        rt_raise(&rt_exc_TypeError, "exception cause must be None or derive from BaseException");
        return -1;
    }
    RT_SETREF(e->cause, v != rt_None ? rt_newref(v) : NULL);
    e->suppress_context = true;
    return 0;
}
static RtValue *exc_get_context(RtValue *self) {
    RtValue *c = ((RtExc *)self)->context;
    return rt_newref(c ? c : rt_None);
}
/* A traceback object: a view of one of the exception's recorded frames
 * (index into RtExc.tb, innermost 0), with tb_next towards the raise. */
typedef struct { RtValue ob; RtValue *exc; int index; } TbObject;

static void tb_dealloc(RtValue *self) { RT_CLEAR(((TbObject *)self)->exc); }

static RtValue *tb_repr(RtValue *self) {
    char buf[64];
    snprintf(buf, sizeof buf, "<traceback object at %p>", (void *)self);
    return rt_str_from_cstr(buf);
}

static RtValue *tb_new(RtValue *exc, int index);

static RtValue *tb_get_next(RtValue *self) {
    TbObject *t = (TbObject *)self;
    return t->index > 0 ? tb_new(t->exc, t->index - 1) : rt_newref(rt_None);
}

static RtValue *tb_get_lineno(RtValue *self) {
    TbObject *t = (TbObject *)self;
    return rt_int(((RtExc *)t->exc)->tb[t->index].line);
}

static const RtGetSetDef tb_getset[] = {
    {"tb_next", tb_get_next, NULL},
    {"tb_lineno", tb_get_lineno, NULL},
    {NULL, NULL, NULL},
};

static RtType tb_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "traceback", .tag = RT_T_NATIVE,
    .size = sizeof(TbObject), .table_index = -1, .dealloc = tb_dealloc, .repr = tb_repr, .getset = tb_getset,
};

static RtValue *tb_new(RtValue *exc, int index) {
    TbObject *t = (TbObject *)rt_obj_alloc(&tb_type, sizeof(TbObject));
    if (!t) return NULL;
    t->exc = rt_newref(exc);
    t->index = index;
    return &t->ob;
}

/* None until the exception has been raised through a frame. */
static RtValue *exc_get_traceback(RtValue *self) {
    RtExc *e = (RtExc *)self;
    return e->ntb ? tb_new(self, e->ntb - 1) : rt_newref(rt_None);
}

static int exc_set_traceback(RtValue *self, RtValue *v) {
    if (!v || (v != rt_None && v->type != &tb_type)) {
        rt_raise(&rt_exc_TypeError, "__traceback__ must be a traceback or None");
        return -1;
    }
    if (v == rt_None) ((RtExc *)self)->ntb = 0;
    return 0;
}

static int exc_set_context(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_TypeError, "__context__ may not be deleted"); return -1; }
    if (v != rt_None && v->type->tag != RT_T_EXC) {
        rt_raise(&rt_exc_TypeError, "exception context must be None or derive from BaseException");
        return -1;
    }
    RT_SETREF(((RtExc *)self)->context, v != rt_None ? rt_newref(v) : NULL);
    return 0;
}
static RtValue *exc_get_suppress(RtValue *self) { return rt_bool(((RtExc *)self)->suppress_context); }
static int exc_set_suppress(RtValue *self, RtValue *v) {
    int t = v ? rt_truthy(v) : 0;
    if (t < 0) return -1;
    ((RtExc *)self)->suppress_context = t;
    return 0;
}

static const RtGetSetDef exc_getset[] = {
    {"args", exc_get_args, exc_set_args},
    {"__cause__", exc_get_cause, exc_set_cause},
    {"__context__", exc_get_context, exc_set_context},
    {"__traceback__", exc_get_traceback, exc_set_traceback},
    {"__suppress_context__", exc_get_suppress, exc_set_suppress},
    {NULL, NULL, NULL},
};

/* args[i] or None */
static RtValue *arg_or_none(RtExc *e, size_t i) {
    return rt_newref(e->args && RT_TUPLE_LEN(e->args) > i ? RT_TUPLE_GET(e->args, i) : rt_None);
}

/* The attributes particular exception classes have (SystemExit.code, ...). */
static RtValue *exc_getattr(RtValue *self, const char *name) {
    RtExc *e = (RtExc *)self;
    size_t n = e->args ? RT_TUPLE_LEN(e->args) : 0;
    if (rt_isinstance_t(self, &rt_exc_SystemExit) && strcmp(name, "code") == 0) {
        if (n <= 1) return arg_or_none(e, 0);
        return rt_newref(e->args);
    }
    if (rt_isinstance_t(self, &rt_exc_StopIteration) && strcmp(name, "value") == 0)
        return arg_or_none(e, 0);
    if (rt_isinstance_t(self, &rt_exc_OSError) && n >= 2) {
        if (strcmp(name, "errno") == 0) return arg_or_none(e, 0);
        if (strcmp(name, "strerror") == 0) return arg_or_none(e, 1);
    }
    if (rt_isinstance_t(self, &rt_exc_OSError) &&
        (strcmp(name, "errno") == 0 || strcmp(name, "strerror") == 0 || strcmp(name, "filename") == 0 ||
         strcmp(name, "filename2") == 0))
        return rt_None;   /* a given filename is in the instance dict */
    if (rt_isinstance_t(self, &rt_exc_KeyError) && strcmp(name, "key") == 0) return arg_or_none(e, 0);
    return NULL;
}

/* ==== str and repr ======================================================== */

RtValue *rt_exc_str(RtValue *self) {
    RtExc *e = (RtExc *)self;
    size_t n = e->args ? RT_TUPLE_LEN(e->args) : 0;
    if (n == 0) return rt_str_const("", 0);
    if (n == 1) {
        RtValue *a = RT_TUPLE_GET(e->args, 0);
        /* KeyError shows the missing key as its repr: KeyError: 'x' */
        if (rt_isinstance_t(self, &rt_exc_KeyError)) return rt_repr(a);
        return rt_str(a);
    }
    if (rt_isinstance_t(self, &rt_exc_OSError) && n >= 2) {
        RtValue *err = rt_str(RT_TUPLE_GET(e->args, 0));
        RtValue *msg = err ? rt_str(RT_TUPLE_GET(e->args, 1)) : NULL;
        RtValue *f1 = os_filename(e, "filename"), *f2 = f1 ? os_filename(e, "filename2") : NULL;
        RtValue *fn = msg && f1 ? rt_repr(f1) : NULL;
        RtValue *fn2 = fn && f2 ? rt_repr(f2) : NULL;
        RtValue *r = NULL;
        if (msg && (!f1 || fn) && (!f2 || fn2)) {
            size_t len = rt_str_nbytes(err) + rt_str_nbytes(msg) + (fn ? rt_str_nbytes(fn) : 0) +
                         (fn2 ? rt_str_nbytes(fn2) : 0) + 24;
            char *buf = rt_malloc(len);
            if (buf) {
                if (fn2) snprintf(buf, len, "[Errno %s] %s: %s -> %s", rt_str_data(err), rt_str_data(msg),
                                  rt_str_data(fn), rt_str_data(fn2));
                else if (fn) snprintf(buf, len, "[Errno %s] %s: %s", rt_str_data(err), rt_str_data(msg), rt_str_data(fn));
                else snprintf(buf, len, "[Errno %s] %s", rt_str_data(err), rt_str_data(msg));
                r = rt_str_from_cstr(buf);
                rt_free(buf);
            }
        }
        rt_xdecref(err); rt_xdecref(msg); rt_xdecref(fn); rt_xdecref(fn2);
        return r;
    }
    return rt_str(e->args);
}

/* ZeroDivisionError('division by zero'), ValueError(), E(1, 2) */
static RtValue *exc_repr(RtValue *self) {
    RtExc *e = (RtExc *)self;
    size_t n = e->args ? RT_TUPLE_LEN(e->args) : 0;
    RtValue *inner = NULL;
    if (n == 1) inner = rt_repr(RT_TUPLE_GET(e->args, 0));
    else if (n > 1) inner = rt_repr(e->args);
    if (n && !inner) return NULL;
    const char *name = self->type->name;
    const char *body = inner ? rt_str_data(inner) : "";
    size_t len = strlen(name) + (inner ? rt_str_nbytes(inner) : 0) + 4;
    char *buf = rt_malloc(len);
    RtValue *r = NULL;
    if (buf) {
        if (n > 1) snprintf(buf, len, "%s%s", name, body);   /* the tuple repr has the parens */
        else snprintf(buf, len, "%s(%s)", name, body);
        r = rt_str_from_cstr(buf);
        rt_free(buf);
    }
    rt_xdecref(inner);
    return r;
}

/* ==== raising ============================================================== */

/* Makes exc pending, chaining the handled exception as its context. Steals exc. */
static void set_pending(RtValue *exc) {
    RtExc *e = (RtExc *)exc;
    if (exc_handled && exc_handled != exc && exc_handled != rt_None && exc->type->tag == RT_T_EXC) {
        /* As CPython's _PyErr_SetObject: cut the handled exception's context
         * chain where it reaches exc, so that the chain does not loop. */
        RtValue *o = exc_handled;
        for (int guard = 0; o && o->type->tag == RT_T_EXC && guard < 10000; guard++) {
            RtExc *oe = (RtExc *)o;
            if (oe->context == exc) { RT_CLEAR(oe->context); break; }
            o = oe->context;
        }
        RT_SETREF(e->context, rt_newref(exc_handled));
    }
    RT_SETREF(rt_exc_pending, exc);
}

void rt_exc_raise_new(RtValue *exc) { set_pending(exc); }

/* Raising MemoryError must not allocate: one instance made in advance,
 * immortal, whose traceback is simply not recorded. */
static RtExc memory_error = {.ob = RT_STATIC_HEAD(&rt_exc_MemoryError)};

RtValue *rt_raise_memory_error(void) {
    if (!memory_error.args) memory_error.args = rt_tuple_empty();
    RT_SETREF(rt_exc_pending, &memory_error.ob);
    return NULL;
}

RtValue *rt_raise(RtType *type, const char *msg) {
    RtValue *s = rt_str_from_cstr(msg);
    if (!s) return NULL;   /* MemoryError is pending instead */
    RtValue *exc = rt_call((RtValue *)type, &s, 1, NULL);
    rt_decref(s);
    if (exc) set_pending(exc);
    return NULL;
}

/* Appends `s` to a growable buffer. */
typedef struct Buf { char *p; size_t len, cap; bool failed; } Buf;

static void buf_put(Buf *b, const char *s, size_t n) {
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 128;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { b->failed = true; return; }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void buf_put_value(Buf *b, RtValue *v, RtValue *(*conv)(RtValue *)) {
    RtValue *s = conv(v);
    if (!s) { rt_decref(rt_exc_fetch()); buf_put(b, "<?>", 3); return; }
    buf_put(b, rt_str_data(s), rt_str_nbytes(s));
    rt_decref(s);
}

/* The formatter behind rt_raise_fmt: printf directives plus %R %S %T %U. */
static void format_message(Buf *b, const char *fmt, va_list ap) {
    char tmp[64];
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') { buf_put(b, p, 1); continue; }
        p++;
        int longs = 0;
        bool size = false;
        while (*p == 'l') { longs++; p++; }
        if (*p == 'z') { size = true; p++; }
        switch (*p) {
        case 'd': case 'i':
            if (size) snprintf(tmp, sizeof tmp, "%zd", va_arg(ap, ssize_t));
            else if (longs) snprintf(tmp, sizeof tmp, "%lld", longs > 1 ? va_arg(ap, long long) : (long long)va_arg(ap, long));
            else snprintf(tmp, sizeof tmp, "%d", va_arg(ap, int));
            buf_put(b, tmp, strlen(tmp));
            break;
        case 'u':
            if (size) snprintf(tmp, sizeof tmp, "%zu", va_arg(ap, size_t));
            else if (longs) snprintf(tmp, sizeof tmp, "%llu", longs > 1 ? va_arg(ap, unsigned long long) : (unsigned long long)va_arg(ap, unsigned long));
            else snprintf(tmp, sizeof tmp, "%u", va_arg(ap, unsigned));
            buf_put(b, tmp, strlen(tmp));
            break;
        case 'x':
            snprintf(tmp, sizeof tmp, "%x", va_arg(ap, unsigned));
            buf_put(b, tmp, strlen(tmp));
            break;
        case 'p':
            snprintf(tmp, sizeof tmp, "%p", va_arg(ap, void *));
            buf_put(b, tmp, strlen(tmp));
            break;
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            buf_put(b, tmp, 1);
            break;
        case 's': case 'U': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            buf_put(b, s, strlen(s));
            break;
        }
        case 'R': buf_put_value(b, va_arg(ap, RtValue *), rt_repr); break;
        case 'S': buf_put_value(b, va_arg(ap, RtValue *), rt_str); break;
        case 'T': {
            RtValue *v = va_arg(ap, RtValue *);
            buf_put(b, v->type->name, strlen(v->type->name));
            break;
        }
        case '%': buf_put(b, "%", 1); break;
        case 0: return;
        default: buf_put(b, p - 1, 2); break;
        }
    }
}

RtValue *rt_raise_fmt(RtType *type, const char *fmt, ...) {
    /* Formatting may call repr(), which may fail: keep any earlier error. */
    RtValue *saved = rt_exc_fetch();
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    format_message(&b, fmt, ap);
    va_end(ap);
    rt_xdecref(saved);
    rt_raise(type, b.p ? b.p : "");
    free(b.p);
    return NULL;
}

RtValue *rt_raise_errno(int err, const char *filename) {
    RtValue *args[3] = {rt_int(err), rt_str_from_cstr(strerror(err)), NULL};
    size_t n = 2;
    if (filename) args[n++] = rt_str_from_cstr(filename);
    bool ok = true;
    for (size_t i = 0; i < n; i++) ok = ok && args[i];
    if (ok) {
        RtValue *exc = rt_call((RtValue *)errno_type(err), args, n, NULL);
        if (exc) set_pending(exc);
    }
    for (size_t i = 0; i < n; i++) rt_xdecref(args[i]);
    return NULL;
}

RtValue *rt_raise_value(RtValue *v) {
    if (v->type->tag == RT_T_TYPE && rt_type_is_subtype((RtType *)v, &rt_exc_BaseException)) {
        RtValue *exc = rt_call(v, NULL, 0, NULL);
        if (exc) set_pending(exc);
        return NULL;
    }
    if (v->type->tag != RT_T_EXC)
        return rt_raise(&rt_exc_TypeError, "exceptions must derive from BaseException");
    set_pending(rt_newref(v));
    return NULL;
}

RtValue *rt_raise_from(RtValue *v, RtValue *cause) {
    RtValue *c = NULL;
    if (cause != rt_None) {
        if (cause->type->tag == RT_T_TYPE && rt_type_is_subtype((RtType *)cause, &rt_exc_BaseException)) {
            if (!(c = rt_call(cause, NULL, 0, NULL))) return NULL;
        } else if (cause->type->tag == RT_T_EXC) {
            c = rt_newref(cause);
        } else {
            return rt_raise(&rt_exc_TypeError, "exception causes must derive from BaseException");
        }
    }
    rt_raise_value(v);
    if (rt_exc_pending && rt_exc_pending->type->tag == RT_T_EXC) {
        RtExc *e = (RtExc *)rt_exc_pending;
        RT_SETREF(e->cause, c);
        e->suppress_context = true;
    } else {
        rt_xdecref(c);
    }
    return NULL;
}

RtValue *rt_reraise(void) {
    if (!exc_handled) return rt_raise(&rt_exc_RuntimeError, "No active exception to reraise");
    RT_SETREF(rt_exc_pending, rt_newref(exc_handled));
    return NULL;
}

/* ==== catching ============================================================= */

void rt_tb_here(const char *func, int line) {
    RtExc *e = (RtExc *)rt_exc_pending;
    if (!e || e->ob.type->tag != RT_T_EXC || e == &memory_error) return;
    if (e->ntb == e->tbcap) {
        int cap = e->tbcap ? e->tbcap * 2 : 8;
        RtTbEntry *tb = realloc(e->tb, sizeof(RtTbEntry) * (size_t)cap);
        if (!tb) return;   /* a shorter traceback beats a second error */
        e->tb = tb;
        e->tbcap = cap;
    }
    e->tb[e->ntb++] = (RtTbEntry){func, line};
}

void rt_tb_walk(const RtExc *e, RtTbVisit *visit, void *ctx) {
    enum { CUTOFF = 3 };   /* CPython's TB_RECURSIVE_CUTOFF */
    int run = 0;
    for (int i = e->ntb - 1; i >= 0; i--) {
        const RtTbEntry *f = &e->tb[i];
        bool same = i < e->ntb - 1 && f->line == e->tb[i + 1].line && strcmp(f->func, e->tb[i + 1].func) == 0;
        if (!same) {
            if (run > CUTOFF) visit(ctx, NULL, run - CUTOFF);
            run = 0;
        }
        if (++run <= CUTOFF) visit(ctx, f, 0);
    }
    if (run > CUTOFF) visit(ctx, NULL, run - CUTOFF);
}

static int matches(RtValue *exc, RtValue *cls) {
    if (cls->type == &rt_type_tuple) {
        for (size_t i = 0; i < RT_TUPLE_LEN(cls); i++)
            if (matches(exc, RT_TUPLE_GET(cls, i))) return 1;
        return 0;
    }
    if (cls->type->tag != RT_T_TYPE) return 0;
    return rt_isinstance_t(exc, (RtType *)cls);
}

int rt_exc_matches(RtValue *cls) {
    return rt_exc_pending ? matches(rt_exc_pending, cls) : 0;
}

RtValue *rt_exc_fetch(void) {
    RtValue *e = rt_exc_pending;
    rt_exc_pending = NULL;
    return e;
}

void rt_exc_restore(RtValue *exc) { RT_SETREF(rt_exc_pending, exc); }

void rt_exc_handling_enter(RtValue *exc, RtValue **saved) {
    *saved = exc_handled;
    exc_handled = rt_newref(exc);
}

void rt_exc_handling_leave(RtValue *saved) {
    RtValue *cur = exc_handled;
    exc_handled = saved;
    rt_xdecref(cur);
}

RtValue *rt_exc_handling(void) { return exc_handled; }

RtValue *rt_exc_handling_swap(RtValue *h) {
    RtValue *old = exc_handled;
    exc_handled = h;
    return old;
}

/* ==== printing =============================================================== */

/* One formatter, two sinks: stderr (the uncaught report, which must work
 * even when memory is short) and a str (a Pool worker's RemoteTraceback,
 * logging's exc_info, traceback.format_exc). */
typedef struct Sink {
    void (*put)(struct Sink *k, const char *s, size_t n);
    RtStrBuf *b;
    RtValue *list;          /* format_exception's list: one str per item, or NULL */
    const RtExcFmt *opt;    /* traceback's limit/chain/tb arguments, or NULL */
} Sink;

/* Ends one of format_exception's items (a header, a frame with its source
 * line, an exception line, a chain message): the list gets it as one str. */
static void sink_item(Sink *k) {
    if (!k->list || k->b->failed) return;
    RtValue *s = rt_strbuf_finish(k->b);
    rt_strbuf_init(k->b);
    if (!s || rt_list_append(k->list, s) < 0) k->b->failed = true;
    rt_xdecref(s);
}

static void put_stderr(Sink *k, const char *s, size_t n) { (void)k; fwrite(s, 1, n, stderr); }

static void put_strbuf(Sink *k, const char *s, size_t n) {
    size_t ncp = 0;
    for (size_t i = 0; i < n; i++) ncp += ((unsigned char)s[i] & 0xC0) != 0x80;
    rt_strbuf_put(k->b, s, n, ncp);
}

static void sink_puts(Sink *k, const char *s) { k->put(k, s, strlen(s)); }

static void sink_printf(Sink *k, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) { k->put(k, small, (size_t)n); return; }
    char *big = malloc((size_t)n + 1);
    if (!big) { k->put(k, small, sizeof small - 1); return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    k->put(k, big, (size_t)n);
    free(big);
}

/* traceback's line.strip() of the frame's source line */
static void put_source_line(Sink *k, int line) {
    const RtProgram *p = rt_program;
    if (!p || !p->source_lines || line < 1 || line > p->nlines) return;
    const char *s = p->source_lines[line - 1];
    while (*s == ' ' || *s == '\t' || *s == '\f') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    if (!n) return;
    sink_puts(k, "    ");
    k->put(k, s, n);
    sink_puts(k, "\n");
}

typedef struct { Sink *k; const char *path; } FrameCtx;

static void put_frame(void *ctx, const RtTbEntry *f, int repeated) {
    FrameCtx *c = ctx;
    if (!f) {
        sink_printf(c->k, "  [Previous line repeated %d more time%s]\n", repeated, repeated > 1 ? "s" : "");
        sink_item(c->k);
        return;
    }
    sink_printf(c->k, "  File \"%s\", line %d, in %s\n", c->path, f->line, f->func);
    put_source_line(c->k, f->line);
    sink_item(c->k);
}

/* e's frames as StackSummary.extract(limit=...) keeps them: the outermost
 * `limit`, or with a negative limit the innermost -limit. `top` is the
 * outermost exception, whose frames may come from a traceback argument. */
static void put_frames(Sink *k, RtExc *e, bool top) {
    const char *path = rt_script_path ? rt_script_path : rt_program && rt_program->path ? rt_program->path : "<unknown>";
    RtExc view = *e;   /* only tb/ntb change: rt_tb_walk reads nothing else */
    const RtExcFmt *o = k->opt;
    if (o && top && o->tb_src) {
        view.tb = o->tb_src->tb;
        view.ntb = o->tb_n;
    }
    if (o && o->has_limit) {
        int n = o->limit < 0 ? -o->limit : o->limit;
        if (n < view.ntb) {
            if (o->limit >= 0) view.tb += view.ntb - n;   /* tb[] is innermost first */
            view.ntb = n;
        }
    }
    if (!view.ntb) return;
    sink_puts(k, "Traceback (most recent call last):\n");
    sink_item(k);
    FrameCtx c = {k, path};
    rt_tb_walk(&view, put_frame, &c);
}

/* "ZeroDivisionError: division by zero", "__main__"-less qualified names. */
static void put_exc_line(Sink *k, RtValue *exc) {
    char name[256];
    rt_type_qualname(exc->type, name, sizeof name);
    RtValue *saved = rt_exc_fetch();
    RtValue *s = rt_str(exc);
    if (!s) {
        rt_xdecref(rt_exc_fetch());
        sink_printf(k, "%s: <exception str() failed>\n", name);
    } else {
        sink_puts(k, name);
        if (rt_str_nbytes(s)) {
            sink_puts(k, ": ");
            k->put(k, rt_str_data(s), rt_str_nbytes(s));
        }
        sink_puts(k, "\n");
        rt_decref(s);
    }
    sink_item(k);
    rt_exc_restore(saved);
}

enum { CHAIN_MAX = 64 };   /* a chain longer than this is cut short */

/* As traceback.format_exception: the cause (or, unless suppressed, the
 * context) first, each exception once even if the chain loops back. */
static void put_chain(Sink *k, RtValue *exc, RtValue **seen, int nseen) {
    RtExc *e = (RtExc *)exc;
    seen[nseen++] = exc;
    RtValue *next = NULL;
    const char *msg = NULL;
    if (e->cause) {
        next = e->cause;
        msg = "\nThe above exception was the direct cause of the following exception:\n\n";
    } else if (e->context && !e->suppress_context) {
        next = e->context;
        msg = "\nDuring handling of the above exception, another exception occurred:\n\n";
    }
    for (int i = 0; next && i < nseen; i++)
        if (seen[i] == next) next = NULL;
    if (k->opt && !k->opt->chain) next = NULL;
    if (next && nseen < CHAIN_MAX) {
        if (next->type->tag == RT_T_EXC) put_chain(k, next, seen, nseen);
        else put_exc_line(k, next);
        sink_puts(k, msg);
        sink_item(k);
    }
    if (e->remote_tb && rt_is_str(e->remote_tb) && !(k->opt && !k->opt->chain)) {
        /* A Pool worker's exception whose RemoteTraceback cause could not be made. */
        sink_puts(k, "multiprocessing.pool.RemoteTraceback: \n\"\"\"\n");
        k->put(k, rt_str_data(e->remote_tb), rt_str_nbytes(e->remote_tb));
        sink_puts(k, "\"\"\"\n");
        sink_item(k);
        sink_puts(k, "\nThe above exception was the direct cause of the following exception:\n\n");
        sink_item(k);
    }
    put_frames(k, e, nseen == 1);
    put_exc_line(k, exc);
}

static void put_exception(Sink *k, RtValue *exc) {
    if (exc->type->tag != RT_T_EXC) {
        put_exc_line(k, exc);
        return;
    }
    RtValue *seen[CHAIN_MAX];
    put_chain(k, exc, seen, 0);
}

RtValue *rt_exc_format(RtValue *exc) { return rt_exc_format_ex(exc, NULL, false); }

RtValue *rt_exc_format_ex(RtValue *exc, const RtExcFmt *opt, bool as_list) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    Sink k = {put_strbuf, &b, NULL, opt};
    if (as_list && !(k.list = rt_list_new(0))) return NULL;
    if (opt && opt->only) put_exc_line(&k, exc);
    else put_exception(&k, exc);
    if (!as_list) return rt_strbuf_finish(&b);
    bool failed = b.failed;
    rt_xdecref(rt_strbuf_finish(&b));   /* empty: every item ended */
    if (failed) { rt_decref(k.list); return rt_exc_pending ? NULL : rt_raise_memory_error(); }
    return k.list;
}

int rt_tb_frames(RtValue *tb, const RtExc **src) {
    if (!tb || tb->type != &tb_type) return -1;
    *src = (const RtExc *)((TbObject *)tb)->exc;
    return ((TbObject *)tb)->index + 1;   /* tb[0..index]: it and the frames inside it */
}

void rt_exc_print(RtValue *exc) {
    fflush(stdout);
    Sink k = {put_stderr, NULL, NULL, NULL};
    put_exception(&k, exc);
    fflush(stderr);
}

int rt_exc_report_uncaught(void) {
    RtValue *exc = rt_exc_fetch();
    if (!exc) return 0;
    int status = 1;
    if (rt_isinstance_t(exc, &rt_exc_SystemExit)) {
        RtExc *e = (RtExc *)exc;
        RtValue *code = e->args && RT_TUPLE_LEN(e->args) == 1 ? RT_TUPLE_GET(e->args, 0)
                        : e->args && RT_TUPLE_LEN(e->args) > 1 ? e->args : rt_None;
        int64_t n;
        if (code == rt_None) {
            status = 0;
        } else if (rt_is_int(code) && rt_int_as_i64(code, &n) == 0) {
            status = (int)(n & 0xff);
        } else {
            RtValue *s = rt_str(code);
            fflush(stdout);
            if (s) { fprintf(stderr, "%s\n", rt_str_data(s)); rt_decref(s); }
            else rt_decref(rt_exc_fetch());
            status = 1;
        }
        rt_xdecref(rt_exc_fetch());   /* drop anything the conversions left */
    } else {
        rt_exc_print(exc);
    }
    rt_decref(exc);
    return status;
}

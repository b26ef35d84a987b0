/* builtins.c: the built-in functions that belong to the object model
 * (print, repr, isinstance, getattr, hash, id, ...), and the table that names
 * every built-in function by index, so a builtin passed as a value (for
 * example `pool.map(abs, xs)`) can be sent to another process.
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

/* Finds keyword `name` among a call's keyword arguments; borrowed or NULL. */
RtValue *rt_kwarg(RtValue *const *args, size_t nargs, RtValue *kwnames, const char *name) {
    if (!kwnames) return NULL;
    for (size_t i = 0; i < RT_TUPLE_LEN(kwnames); i++)
        if (strcmp(rt_str_data(RT_TUPLE_GET(kwnames, i)), name) == 0) return args[nargs + i];
    return NULL;
}

/* Rejects keyword arguments other than the `allowed` ones (NULL-terminated). */
int rt_check_kwargs(const char *fname, RtValue *kwnames, const char *const *allowed) {
    if (!kwnames) return 0;
    for (size_t i = 0; i < RT_TUPLE_LEN(kwnames); i++) {
        const char *k = rt_str_data(RT_TUPLE_GET(kwnames, i));
        bool ok = false;
        for (const char *const *a = allowed; a && *a; a++)
            if (strcmp(*a, k) == 0) ok = true;
        if (!ok) {
            rt_raise_fmt(&rt_exc_TypeError, "%s() got an unexpected keyword argument '%s'", fname, k);
            return -1;
        }
    }
    return 0;
}

RtValue *rt_bi_print(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const kws[] = {"sep", "end", "file", "flush", NULL};
    if (rt_check_kwargs("print", kwnames, kws) < 0) return NULL;
    RtValue *flush = rt_kwarg(args, nargs, kwnames, "flush");
    int fl = flush ? rt_truthy(flush) : 0;
    if (fl < 0) return NULL;
    if (rt_print(args, nargs, rt_kwarg(args, nargs, kwnames, "sep"), rt_kwarg(args, nargs, kwnames, "end"),
                 rt_kwarg(args, nargs, kwnames, "file"), fl) < 0)
        return NULL;
    return rt_None;
}

#define ONE_ARG(fname) \
    if (rt_check_args(fname, nargs, kwnames, 1, 1) < 0) return NULL

RtValue *rt_bi_repr(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    ONE_ARG("repr");
    return rt_repr(args[0]);
}

RtValue *rt_bi_ascii(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    ONE_ARG("ascii");
    return rt_ascii(args[0]);
}

RtValue *rt_bi_hash(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    ONE_ARG("hash");
    int64_t h;
    return rt_hash(args[0], &h) < 0 ? NULL : rt_int(h);
}

RtValue *rt_bi_id(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    ONE_ARG("id");
    return rt_int_from_u64((uint64_t)(uintptr_t)args[0]);
}

RtValue *rt_bi_callable(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    ONE_ARG("callable");
    RtType *t = args[0]->type;
    return rt_bool(t == &rt_type_function || t == &rt_type_builtin || t->call || t->tag == RT_T_TYPE);
}

RtValue *rt_bi_isinstance(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("isinstance", nargs, kwnames, 2, 2) < 0) return NULL;
    int r = rt_isinstance(args[0], args[1]);
    return r < 0 ? NULL : rt_bool(r);
}

RtValue *rt_bi_issubclass(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("issubclass", nargs, kwnames, 2, 2) < 0) return NULL;
    int r = rt_issubclass(args[0], args[1]);
    return r < 0 ? NULL : rt_bool(r);
}

static int attr_name(RtValue *v, const char *fname) {
    if (rt_is_str(v)) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s(): attribute name must be string", fname);
    return -1;
}

RtValue *rt_bi_getattr(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("getattr", nargs, kwnames, 2, 3) < 0 || attr_name(args[1], "getattr") < 0) return NULL;
    if (nargs == 2) return rt_getattr(args[0], rt_str_data(args[1]));
    RtValue *v = rt_getattr_opt(args[0], rt_str_data(args[1]));
    if (v) return v;
    if (RT_ERR() && !rt_exc_matches((RtValue *)&rt_exc_AttributeError)) return NULL;
    rt_xdecref(rt_exc_fetch());
    return rt_newref(args[2]);
}

RtValue *rt_bi_setattr(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("setattr", nargs, kwnames, 3, 3) < 0 || attr_name(args[1], "setattr") < 0) return NULL;
    return rt_setattr(args[0], rt_str_data(args[1]), args[2]) < 0 ? NULL : rt_None;
}

RtValue *rt_bi_hasattr(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("hasattr", nargs, kwnames, 2, 2) < 0 || attr_name(args[1], "hasattr") < 0) return NULL;
    int r = rt_hasattr(args[0], rt_str_data(args[1]));
    return r < 0 ? NULL : rt_bool(r);
}

/* vars(obj): obj.__dict__, the live dict. */
RtValue *rt_bi_vars(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("vars", nargs, kwnames, 1, 1) < 0) return NULL;
    RtValue *d = rt_getattr(args[0], "__dict__");
    if (!d && rt_exc_matches((RtValue *)&rt_exc_AttributeError)) {
        RT_CLEAR(rt_exc_pending);
        return rt_raise(&rt_exc_TypeError, "vars() argument must have __dict__ attribute");
    }
    return d;
}

RtValue *rt_bi_delattr(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("delattr", nargs, kwnames, 2, 2) < 0 || attr_name(args[1], "delattr") < 0) return NULL;
    return rt_delattr(args[0], rt_str_data(args[1])) < 0 ? NULL : rt_None;
}

/* input([prompt]): reads one line from stdin without its newline. */
RtValue *rt_bi_input(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("input", nargs, kwnames, 0, 1) < 0) return NULL;
    if (nargs == 1) {
        RtValue *s = rt_str(args[0]);
        if (!s) return NULL;
        fwrite(rt_str_data(s), 1, rt_str_nbytes(s), stdout);
        rt_decref(s);
    }
    fflush(stdout);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return rt_raise(&rt_exc_EOFError, "EOF when reading a line");
    }
    if (n > 0 && line[n - 1] == '\n') n--;
    RtValue *r = rt_str_new(line, (size_t)n);
    free(line);
    return r;
}

/* ==== the table of builtins by index ========================================= */

#define RT_DEFINE_BUILTIN_ROW(name) {#name, rt_bi_##name},
static const struct { const char *name; RtNativeFn fn; } builtin_table[] = {
    RT_BUILTINS(RT_DEFINE_BUILTIN_ROW)
};
#undef RT_DEFINE_BUILTIN_ROW

enum { NBUILTINS = sizeof builtin_table / sizeof builtin_table[0] };
static RtValue *builtin_objects[NBUILTINS];

RtValue *rt_builtin_get(int index) {
    if (index < 0 || index >= NBUILTINS)
        return rt_raise(&rt_exc_ValueError, "no such builtin function");
    if (!builtin_objects[index]) {
        RtValue *b = rt_builtin_new(builtin_table[index].name, builtin_table[index].fn, NULL, index);
        if (!b) return NULL;
        b->rc = RT_IMMORTAL;   /* shared for the life of the program */
        builtin_objects[index] = b;
    }
    return builtin_objects[index];
}

int rt_builtin_index(const char *name) {
    for (int i = 0; i < NBUILTINS; i++)
        if (strcmp(builtin_table[i].name, name) == 0) return i;
    return -1;
}

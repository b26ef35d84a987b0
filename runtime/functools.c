/* functools.c: the functools module.
 *
 *   partial         a callable type; a call prepends the stored arguments and
 *                   merges the stored keywords without building a dict when
 *                   only one side has keywords (the keyword names are kept
 *                   as a ready tuple). It travels between processes
 *                   (ser_dump/ser_load), so pool.map(partial(f, y=2), xs)
 *                   works whenever f itself can be sent.
 *   reduce          a loop over rt_iter_next and rt_call.
 *   lru_cache/cache the _lru_cache_wrapper type: a dict from CPython's keys
 *                   (a lone int or str argument is its own key, else a tuple
 *                   of the arguments, keyword names and values after a
 *                   marker) to the result, or, when bounded, to a node of a
 *                   ring kept in recency order (nodes are array indexes, so
 *                   growing the array during a reentrant call is safe).
 *   wraps, update_wrapper, total_ordering, cmp_to_key, as in functools.py.
 */
#include "mp2c.h"

#include <string.h>

/* ==== shared helpers ============================================================== */

/* Identity hash, as object.__hash__. */
static int ident_hash(RtValue *self, int64_t *out) {
    uintptr_t p = (uintptr_t)self;
    *out = (int64_t)((p >> 4) | (p << (8 * sizeof p - 4)));
    if (*out == -1) *out = -2;
    return 0;
}

static bool is_callable(RtValue *o) {
    RtType *t = o->type;
    return t == &rt_type_function || t == &rt_type_builtin || t->call || t->tag == RT_T_TYPE;
}

/* rt_parse_args with Argument Clinic's "(pos N)" in the missing-argument message. */
static int parse(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw,
                 const char *const *names, int nmax, int nreq, RtValue **out) {
    size_t total = nargs + (kw ? RT_TUPLE_LEN(kw) : 0);
    if (total > (size_t)nmax) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes at most %d %sargument%s (%zu given)", fname, nmax,
                     nargs == 0 ? "keyword " : "", nmax == 1 ? "" : "s", total);
        return -1;
    }
    if (rt_parse_args(fname, args, nargs, kw, names, nmax, 0, 0, 0, out) < 0) return -1;
    for (int j = 0; j < nreq; j++) {
        if (!out[j]) {
            rt_raise_fmt(&rt_exc_TypeError, "%s() missing required argument '%s' (pos %d)", fname,
                         names[j], j + 1);
            return -1;
        }
    }
    return 0;
}

/* ==== partial ====================================================================== */

typedef struct Partial {
    RtValue  ob;
    RtValue *fn;
    RtValue *args;      /* tuple */
    RtValue *kw;        /* dict (p.keywords: the script may change it) */
    RtValue *dict;      /* __dict__, or NULL */
    RtValue *kwnames;   /* tuple of kw's keys, valid while kw's version is kwversion */
    uint64_t kwversion;
} Partial;

/* partial(fn, *pargs, *args, **pkw, **kwnames/kwvals, **kwdict): the stored
 * parts of an inner partial come first. All borrowed; each may be NULL/0. */
static RtValue *partial_build(RtValue *fn, RtValue *pargs, RtValue *const *args, size_t nargs,
                              RtValue *pkw, RtValue *kwnames, RtValue *const *kwvals, RtValue *kwdict) {
    if (!is_callable(fn)) return rt_raise(&rt_exc_TypeError, "the first argument must be callable");
    Partial *p = (Partial *)rt_obj_alloc(&rt_functools_partial, sizeof(Partial));
    if (!p) return NULL;
    p->fn = rt_newref(fn);
    size_t np = pargs ? RT_TUPLE_LEN(pargs) : 0;
    if (!(p->args = rt_tuple_new(np + nargs))) goto fail;
    for (size_t i = 0; i < np; i++) RT_TUPLE_SET(p->args, i, rt_newref(RT_TUPLE_GET(pargs, i)));
    for (size_t i = 0; i < nargs; i++) RT_TUPLE_SET(p->args, np + i, rt_newref(args[i]));
    if (!(p->kw = pkw ? rt_dict_copy(pkw) : rt_dict_new())) goto fail;
    for (size_t i = 0; kwnames && i < RT_TUPLE_LEN(kwnames); i++)
        if (rt_dict_set(p->kw, RT_TUPLE_GET(kwnames, i), kwvals[i]) < 0) goto fail;
    if (kwdict && rt_dict_update(p->kw, kwdict) < 0) goto fail;
    return &p->ob;
fail:
    rt_decref(&p->ob);
    return NULL;
}

/* An inner partial without attributes of its own is flattened into the new one. */
static RtValue *partial_flat(RtValue *fn, RtValue *const *args, size_t nargs, RtValue *kwnames,
                             RtValue *const *kwvals, RtValue *kwdict) {
    RtValue *pargs = NULL, *pkw = NULL;
    if (fn->type == &rt_functools_partial) {
        Partial *inner = (Partial *)fn;
        if (!inner->dict || rt_dict_len(inner->dict) == 0) {
            pargs = inner->args;
            pkw = inner->kw;
            fn = inner->fn;
        }
    }
    return partial_build(fn, pargs, args, nargs, pkw, kwnames, kwvals, kwdict);
}

static RtValue *partial_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)t;
    if (nargs < 1) return rt_raise(&rt_exc_TypeError, "type 'partial' takes at least one argument");
    return partial_flat(args[0], args + 1, nargs - 1, kwnames, args + nargs, NULL);
}

RtValue *rt_functools_partial_new(RtValue *func, RtValue *const *args, size_t nargs, RtValue *kwargs) {
    return partial_flat(func, args, nargs, NULL, NULL, kwargs);
}

static void partial_dealloc(RtValue *self) {
    Partial *p = (Partial *)self;
    RT_CLEAR(p->fn);
    RT_CLEAR(p->args);
    RT_CLEAR(p->kw);
    RT_CLEAR(p->dict);
    RT_CLEAR(p->kwnames);
}

/* A tuple of d's keys, in order. New reference. */
static RtValue *dict_keys_tuple(RtValue *d) {
    RtValue *t = rt_tuple_new(rt_dict_len(d));
    size_t pos = 0, i = 0;
    RtValue *k, *v;
    while (t && rt_dict_next(d, &pos, &k, &v)) RT_TUPLE_SET(t, i++, rt_newref(k));
    return t;
}

/* The keyword names of the stored keywords (cached). Borrowed. */
static RtValue *partial_kwnames(Partial *p) {
    uint64_t version = ((RtDict *)p->kw)->version;
    if (!p->kwnames || p->kwversion != version) {
        RtValue *t = dict_keys_tuple(p->kw);
        if (!t) return NULL;
        RT_SETREF(p->kwnames, t);
        p->kwversion = version;
    }
    return p->kwnames;
}

/* fn(*p.args, *args, **(p.keywords | call keywords)) */
static RtValue *partial_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    Partial *p = (Partial *)self;
    size_t np = RT_TUPLE_LEN(p->args), nkc = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    size_t nkp = rt_dict_len(p->kw);
    if (np == 0 && nkp == 0) return rt_call(p->fn, args, nargs, kwnames);
    RtValue *names = kwnames, *merged = NULL, *kwsrc = NULL;   /* kwsrc: the dict the values come from */
    size_t nk = nkc;
    if (nkp && !nkc) {
        if (!(names = partial_kwnames(p))) return NULL;
        kwsrc = p->kw;
        nk = nkp;
    } else if (nkp) {
        if (!(merged = rt_dict_copy(p->kw))) return NULL;
        for (size_t i = 0; i < nkc; i++)
            if (rt_dict_set(merged, RT_TUPLE_GET(kwnames, i), args[nargs + i]) < 0) {
                rt_decref(merged);
                return NULL;
            }
        if (!(names = dict_keys_tuple(merged))) { rt_decref(merged); return NULL; }
        kwsrc = merged;
        nk = rt_dict_len(merged);
    }
    size_t total = np + nargs + nk;
    RtValue *small[16];
    RtValue **vec = total <= 16 ? small : rt_malloc(sizeof(RtValue *) * total);
    RtValue *r = NULL;
    if (vec) {
        for (size_t i = 0; i < np; i++) vec[i] = RT_TUPLE_GET(p->args, i);
        for (size_t i = 0; i < nargs; i++) vec[np + i] = args[i];   /* args may be NULL when empty */
        if (kwsrc) {   /* the values in the order of the names; held across the call */
            size_t pos = 0, i = np + nargs;
            RtValue *k, *v;
            while (rt_dict_next(kwsrc, &pos, &k, &v)) vec[i++] = rt_newref(v);
        } else {
            for (size_t i = 0; i < nk; i++) vec[np + nargs + i] = args[nargs + i];
        }
        r = rt_call(p->fn, vec, np + nargs, nk ? names : NULL);
        if (kwsrc)
            for (size_t i = np + nargs; i < total; i++) rt_decref(vec[i]);
        if (vec != small) rt_free(vec);
    }
    if (merged) {
        rt_decref(names);
        rt_decref(merged);
    }
    return r;
}

/* "functools.partial(<function f at 0x...>, 2, y=3)" */
static RtValue *partial_repr(RtValue *self) {
    Partial *p = (Partial *)self;
    int st = rt_repr_enter(self);
    if (st != 0) return st < 0 ? NULL : rt_str_from_cstr("...");
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "functools.partial(");
    int rc = rt_strbuf_put_repr(&b, p->fn);
    for (size_t i = 0; rc == 0 && i < RT_TUPLE_LEN(p->args); i++) {
        rt_strbuf_put_cstr(&b, ", ");
        rc = rt_strbuf_put_repr(&b, RT_TUPLE_GET(p->args, i));
    }
    size_t pos = 0;
    RtValue *k, *v;
    while (rc == 0 && rt_dict_next(p->kw, &pos, &k, &v)) {
        rt_strbuf_put_cstr(&b, ", ");
        rc = rt_strbuf_put_strof(&b, k);
        rt_strbuf_putc(&b, '=');
        if (rc == 0) rc = rt_strbuf_put_repr(&b, v);
    }
    rt_strbuf_putc(&b, ')');
    rt_repr_leave(self);
    if (rc < 0) { rt_strbuf_free(&b); return NULL; }
    return rt_strbuf_finish(&b);
}

static RtValue *partial_get_func(RtValue *self) { return rt_newref(((Partial *)self)->fn); }
static RtValue *partial_get_args(RtValue *self) { return rt_newref(((Partial *)self)->args); }
static RtValue *partial_get_keywords(RtValue *self) { return rt_newref(((Partial *)self)->kw); }

/* The members are read-only, with CPython's message for such members. */
static int readonly_member(RtValue *self, RtValue *v) {
    (void)self;
    (void)v;
    rt_raise(&rt_exc_AttributeError, "readonly attribute");
    return -1;
}

static const RtGetSetDef partial_getset[] = {
    {"func", partial_get_func, readonly_member},
    {"args", partial_get_args, readonly_member},
    {"keywords", partial_get_keywords, readonly_member},
    {NULL, NULL, NULL},
};

/* What pickle saves of a partial (its __reduce__ state): func, args,
 * keywords and the attribute dict. */
static int partial_dump(RtValue *self, RtBuf *buf) {
    Partial *p = (Partial *)self;
    RtValue *d = p->dict && rt_dict_len(p->dict) ? p->dict : rt_None;
    if (rt_ser_dump(buf, p->fn) < 0 || rt_ser_dump(buf, p->args) < 0 || rt_ser_dump(buf, p->kw) < 0)
        return -1;
    return rt_ser_dump(buf, d);
}

static RtValue *partial_load(RtType *t, RtBuf *buf) {
    (void)t;
    RtValue *v[4] = {NULL, NULL, NULL, NULL}, *p = NULL;
    for (int i = 0; i < 4; i++)
        if (!(v[i] = rt_ser_load(buf))) goto done;
    if (!rt_is_tuple(v[1]) || !rt_is_dict(v[2]) || (v[3] != rt_None && !rt_is_dict(v[3]))) {
        rt_raise(&rt_exc_ValueError, "serialized partial is malformed");
        goto done;
    }
    p = partial_build(v[0], v[1], NULL, 0, v[2], NULL, NULL, NULL);
    if (p && v[3] != rt_None) ((Partial *)p)->dict = rt_dict_copy(v[3]);
    if (p && v[3] != rt_None && !((Partial *)p)->dict) RT_CLEAR(p);
done:
    for (int i = 0; i < 4; i++) rt_xdecref(v[i]);
    return p;
}

RtType rt_functools_partial = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "partial",
    .module = "functools",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(Partial),
    .dict_offset = offsetof(Partial, dict),
    .table_index = -1,
    .dealloc = partial_dealloc,
    .repr = partial_repr,
    .hash = ident_hash,
    .call = partial_call,
    .construct = partial_construct,
    .ser_dump = partial_dump,
    .ser_load = partial_load,
    .getset = partial_getset,
};

/* ==== reduce(function, iterable[, initial]) ========================================= */

RtValue *rt_functools_reduce(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (kw && RT_TUPLE_LEN(kw)) return rt_raise(&rt_exc_TypeError, "reduce() takes no keyword arguments");
    if (nargs < 2 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, "reduce expected at %s %d arguments, got %zu",
                            nargs < 2 ? "least" : "most", nargs < 2 ? 2 : 3, nargs);
    RtValue *it = rt_iter(args[1]);
    if (!it) {
        if (rt_exc_matches((RtValue *)&rt_exc_TypeError)) {
            rt_decref(rt_exc_fetch());
            rt_raise(&rt_exc_TypeError, "reduce() arg 2 must support iteration");
        }
        return NULL;
    }
    RtValue *acc = nargs == 3 ? rt_newref(args[2]) : NULL, *x;
    while ((x = rt_iter_next(it))) {
        if (!acc) {
            acc = x;
            continue;
        }
        RtValue *pair[2] = {acc, x};
        RtValue *r = rt_call(args[0], pair, 2, NULL);
        rt_decref(x);
        rt_decref(acc);
        if (!(acc = r)) break;
    }
    rt_decref(it);
    if (RT_ERR()) {
        rt_xdecref(acc);
        return NULL;
    }
    if (!acc) return rt_raise(&rt_exc_TypeError, "reduce() of empty iterable with no initial value");
    return acc;
}

/* ==== update_wrapper and wraps ====================================================== */

/* setattr(o, name, v), where script functions take __name__ and __qualname__
 * too (the core's function type keeps them as C strings: the str is kept
 * alive in the function's __dict__). */
static int force_setattr(RtValue *o, const char *name, RtValue *v) {
    if (o->type == &rt_type_function) {
        bool is_name = strcmp(name, "__name__") == 0, is_qual = strcmp(name, "__qualname__") == 0;
        if (is_name || is_qual) {
            if (!rt_is_str(v)) {
                rt_raise_fmt(&rt_exc_TypeError, "%s must be set to a string object", name);
                return -1;
            }
            if (rt_obj_dict_setattr(o, name, v) < 0) return -1;
            if (is_name) ((RtFunc *)o)->name = rt_str_data(v);
            else ((RtFunc *)o)->qualname = rt_str_data(v);
            return 0;
        }
        if (strcmp(name, "__module__") == 0) return 0;   /* XXX: functions report __main__ */
    }
    return rt_setattr(o, name, v);
}

static RtValue *str_tuple(size_t n, const char *const *names) {
    RtValue *t = rt_tuple_new(n);
    for (size_t i = 0; t && i < n; i++) RT_TUPLE_SET(t, i, rt_str_const(names[i], strlen(names[i])));
    return t;
}

static const char *const wrapper_assignments[] = {"__module__", "__name__", "__qualname__", "__doc__",
                                                  "__annotations__"};

/* for attr in assigned: setattr(wrapper, attr, getattr(wrapped, attr)) if it has it */
static int assign_attrs(RtValue *wrapper, RtValue *wrapped, RtValue *assigned) {
    RtValue *it = rt_iter(assigned), *name;
    if (!it) return -1;
    int rc = 0;
    while (rc == 0 && (name = rt_iter_next(it))) {
        if (!rt_is_str(name)) {
            rt_raise_fmt(&rt_exc_TypeError, "attribute name must be string, not '%T'", name);
            rc = -1;
        } else {
            const char *n = rt_str_data(name);
            RtValue *v = rt_getattr_opt(wrapped, n);
            if (!v && RT_ERR() && rt_exc_matches((RtValue *)&rt_exc_AttributeError)) rt_decref(rt_exc_fetch());
            if (v) {
                rc = force_setattr(wrapper, n, v);
                rt_decref(v);
            } else if (RT_ERR()) {
                rc = -1;
            }
        }
        rt_decref(name);
    }
    rt_decref(it);
    return rc < 0 || RT_ERR() ? -1 : 0;
}

/* for attr in updated: getattr(wrapper, attr).update(getattr(wrapped, attr, {})) */
static int update_attrs(RtValue *wrapper, RtValue *wrapped, RtValue *updated) {
    RtValue *it = rt_iter(updated), *name;
    if (!it) return -1;
    int rc = 0;
    while (rc == 0 && (name = rt_iter_next(it))) {
        if (!rt_is_str(name)) {
            rt_raise_fmt(&rt_exc_TypeError, "attribute name must be string, not '%T'", name);
            rc = -1;
        } else if (strcmp(rt_str_data(name), "__dict__") == 0) {
            /* The wrapper's dict may not exist yet: set the entries one by one. */
            if (!wrapper->type->dict_offset) {
                rt_raise_fmt(&rt_exc_AttributeError, "'%T' object has no attribute '__dict__'", wrapper);
                rc = -1;
            }
            RtValue *src = rt_obj_dict(wrapped), *k, *v;
            size_t pos = 0;
            while (rc == 0 && src && rt_dict_next(src, &pos, &k, &v))
                if (rt_is_str(k)) rc = force_setattr(wrapper, rt_str_data(k), v);
        } else {
            RtValue *dst = rt_getattr(wrapper, rt_str_data(name));
            RtValue *src = dst ? rt_getattr_opt(wrapped, rt_str_data(name)) : NULL;
            if (dst && !src && !RT_ERR()) src = rt_dict_new();
            RtValue *r = src ? rt_call_method(dst, "update", &src, 1, NULL) : NULL;
            rc = r ? 0 : -1;
            rt_xdecref(r);
            rt_xdecref(src);
            rt_xdecref(dst);
        }
        rt_decref(name);
    }
    rt_decref(it);
    return rc < 0 || RT_ERR() ? -1 : 0;
}

/* (WRAPPER_ASSIGNMENTS, WRAPPER_UPDATES): the defaults of update_wrapper and
 * wraps, made once (immortal). Borrowed, or NULL on MemoryError. */
static RtValue *wrapper_defaults(void) {
    static RtValue *defaults;
    if (defaults) return defaults;
    RtValue *a = str_tuple(5, wrapper_assignments), *u = str_tuple(1, (const char *const[]){"__dict__"});
    RtValue *d = a && u ? rt_tuple_pack(2, a, u) : NULL;
    rt_xdecref(a);
    rt_xdecref(u);
    if (d) {
        RT_TUPLE_GET(d, 0)->rc = RT_TUPLE_GET(d, 1)->rc = d->rc = RT_IMMORTAL;
        defaults = d;
    }
    return d;
}

/* update_wrapper's body; assigned/updated NULL for the defaults. 0 or -1. */
static int update_wrapper(RtValue *wrapper, RtValue *wrapped, RtValue *assigned, RtValue *updated) {
    RtValue *defaults = assigned && updated ? NULL : wrapper_defaults();
    if (!assigned && !(assigned = defaults ? RT_TUPLE_GET(defaults, 0) : NULL)) return -1;
    if (!updated && !(updated = defaults ? RT_TUPLE_GET(defaults, 1) : NULL)) return -1;
    int rc = assign_attrs(wrapper, wrapped, assigned);
    if (rc == 0) rc = update_attrs(wrapper, wrapped, updated);
    if (rc == 0) rc = force_setattr(wrapper, "__wrapped__", wrapped);   /* last, as functools.py */
    return rc;
}

RtValue *rt_functools_update_wrapper(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    static const char *const names[] = {"wrapper", "wrapped", "assigned", "updated"};
    static const RtParamSpec spec = {"update_wrapper", names, 0, 4, 0, false, false};
    RtValue *a[4], *defaults = wrapper_defaults();
    if (!defaults || rt_bind_args(&spec, args, nargs, kw, defaults, NULL, a, NULL, NULL) < 0) return NULL;
    if (update_wrapper(a[0], a[1], a[2], a[3]) < 0) return NULL;
    return rt_newref(a[0]);
}

static RtValue *update_wrapper_entry(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    return rt_functools_update_wrapper(NULL, args, nargs, kw);
}

/* The update_wrapper function that wraps() partially applies: a function
 * object, as functools.py's (made once, immortal). Borrowed. */
static RtValue *update_wrapper_func(void) {
    static RtValue *func;
    if (!func && (func = rt_func_new("update_wrapper", "update_wrapper", update_wrapper_entry, -1, NULL, NULL,
                                     NULL, 0)))
        func->rc = RT_IMMORTAL;
    return func;
}

RtValue *rt_functools_wraps(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    static const char *const names[] = {"wrapped", "assigned", "updated"};
    static const RtParamSpec spec = {"wraps", names, 0, 3, 0, false, false};
    RtValue *a[3], *defaults = wrapper_defaults();
    if (!defaults || rt_bind_args(&spec, args, nargs, kw, defaults, NULL, a, NULL, NULL) < 0) return NULL;
    RtValue *kwd = rt_dict_new(), *p = NULL, *uw = update_wrapper_func();
    if (kwd && uw && rt_dict_set_cstr(kwd, "wrapped", a[0]) == 0 && rt_dict_set_cstr(kwd, "assigned", a[1]) == 0 &&
        rt_dict_set_cstr(kwd, "updated", a[2]) == 0)
        p = partial_build(uw, NULL, NULL, 0, NULL, NULL, NULL, kwd);
    rt_xdecref(kwd);
    return p;
}

/* ==== lru_cache ======================================================================= */

typedef struct LruNode {
    RtValue *key, *result;
    size_t   prev, next;    /* indexes into Lru.nodes; 0 is the root of the ring */
} LruNode;

typedef struct Lru {
    RtValue  ob;
    RtValue *func;
    RtValue *dict;          /* __dict__: __wrapped__, __name__, ... */
    RtValue *cache;         /* key -> result (unbounded) or key -> node index (bounded) */
    RtValue *maxsize_obj;   /* as given, for cache_parameters() */
    RtValue *typed_obj;
    int64_t  maxsize;       /* -1: unbounded; 0: no caching */
    bool     typed;
    int64_t  hits, misses;
    LruNode *nodes;         /* nodes[0]: the root; root.next is the oldest entry */
    size_t   nnodes, cap;
    struct Lru *live_prev, *live_next;   /* every wrapper alive in this process, oldest first */
} Lru;

/* The wrappers alive in this process (a forked child inherits the list). A
 * cached function arriving from another process resolves to the wrapper of
 * the same function here, as pickle resolves a module-level function by
 * name: a Pool worker then shares the cache of its global `fib`. */
static Lru *live_first, *live_last;

static void live_add(Lru *l) {
    l->live_prev = live_last;
    if (live_last) live_last->live_next = l;
    else live_first = l;
    live_last = l;
}

static void live_remove(Lru *l) {
    if (l->live_prev) l->live_prev->live_next = l->live_next;
    else if (live_first == l) live_first = l->live_next;
    if (l->live_next) l->live_next->live_prev = l->live_prev;
    else if (live_last == l) live_last = l->live_prev;
    l->live_prev = l->live_next = NULL;
}

/* kwd_mark in functools.py: separates positional arguments from keywords in a key. */
static RtValue kwd_mark = RT_STATIC_HEAD(&rt_type_object);

/* functools._make_key, as the C implementation builds it. New reference. */
static RtValue *make_key(RtValue *const *args, size_t nargs, RtValue *kwnames, bool typed) {
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    if (!typed && nkw == 0) {
        if (nargs == 1 && (args[0]->type == &rt_type_int || args[0]->type == &rt_type_str))
            return rt_newref(args[0]);
        return rt_tuple_from_array(args, nargs);
    }
    size_t n = nargs + (nkw ? 1 + 2 * nkw : 0) + (typed ? nargs + nkw : 0), i = 0;
    RtValue *key = rt_tuple_new(n);
    if (!key) return NULL;
    for (size_t j = 0; j < nargs; j++) RT_TUPLE_SET(key, i++, rt_newref(args[j]));
    if (nkw) RT_TUPLE_SET(key, i++, &kwd_mark);
    for (size_t j = 0; j < nkw; j++) {
        RT_TUPLE_SET(key, i++, rt_newref(RT_TUPLE_GET(kwnames, j)));
        RT_TUPLE_SET(key, i++, rt_newref(args[nargs + j]));
    }
    if (typed) {
        for (size_t j = 0; j < nargs + nkw; j++) RT_TUPLE_SET(key, i++, rt_newref((RtValue *)args[j]->type));
    }
    return key;
}

static void ring_unlink(LruNode *nodes, size_t i) {
    nodes[nodes[i].prev].next = nodes[i].next;
    nodes[nodes[i].next].prev = nodes[i].prev;
}

static void ring_append(LruNode *nodes, size_t i) {   /* as the most recent */
    size_t last = nodes[0].prev;
    nodes[i].prev = last;
    nodes[i].next = 0;
    nodes[last].next = i;
    nodes[0].prev = i;
}

/* A fresh node index (the array grows as needed). SIZE_MAX on failure. */
static size_t node_alloc(Lru *l) {
    if (l->nnodes == l->cap) {
        size_t cap = l->cap * 2;
        LruNode *p = rt_realloc(l->nodes, cap * sizeof(LruNode));
        if (!p) return SIZE_MAX;
        l->nodes = p;
        l->cap = cap;
    }
    l->nodes[l->nnodes] = (LruNode){NULL, NULL, 0, 0};
    return l->nnodes++;
}

/* Records key -> result in a bounded cache, evicting the oldest entry when full. */
static int bounded_store(Lru *l, RtValue *key, RtValue *result) {
    RtValue *found;
    int rc = rt_dict_lookup(l->cache, key, &found);
    if (rc != 0) return rc < 0 ? -1 : 0;   /* added meanwhile by a recursive call */
    size_t i;
    RtValue *oldkey = NULL, *oldres = NULL;
    if ((int64_t)rt_dict_len(l->cache) < l->maxsize || l->nodes[0].next == 0) {
        if ((i = node_alloc(l)) == SIZE_MAX) return -1;
    } else {
        i = l->nodes[0].next;
        ring_unlink(l->nodes, i);
        oldkey = l->nodes[i].key;
        oldres = l->nodes[i].result;
        l->nodes[i].key = l->nodes[i].result = NULL;
        l->nodes[i].prev = l->nodes[i].next = i;   /* detached until re-linked */
    }
    RtValue *idx = rt_int((int64_t)i);
    if (!idx) rc = -1;
    if (rc == 0 && oldkey && rt_dict_del(l->cache, oldkey) < 0) rc = -1;
    if (rc == 0 && rt_dict_set(l->cache, key, idx) < 0) rc = -1;
    rt_xdecref(idx);
    if (rc == 0) {
        l->nodes[i].key = rt_newref(key);
        l->nodes[i].result = rt_newref(result);
        ring_append(l->nodes, i);
    } else if (i == l->nnodes - 1 && !oldkey) {
        l->nnodes--;                          /* give the unused node back */
    }
    rt_xdecref(oldkey);
    rt_xdecref(oldres);
    return rc;
}

static RtValue *lru_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    Lru *l = (Lru *)self;
    if (l->maxsize == 0) {
        l->misses++;
        return rt_call(l->func, args, nargs, kwnames);
    }
    RtValue *key = make_key(args, nargs, kwnames, l->typed), *found;
    if (!key) return NULL;
    int rc = rt_dict_lookup(l->cache, key, &found);
    if (rc < 0) { rt_decref(key); return NULL; }
    if (rc == 1) {
        l->hits++;
        if (l->maxsize < 0) {
            rt_decref(key);
            return rt_newref(found);
        }
        size_t i = (size_t)((RtInt *)found)->small;
        if (i == 0 || i >= l->nnodes || !l->nodes[i].result) {   /* left by a failed store: a miss */
            if (rt_dict_del(l->cache, key) < 0) rt_decref(rt_exc_fetch());
            l->hits--;
            goto miss;
        }
        ring_unlink(l->nodes, i);
        ring_append(l->nodes, i);
        rt_decref(key);
        return rt_newref(l->nodes[i].result);
    }
miss:
    l->misses++;
    RtValue *r = rt_call(l->func, args, nargs, kwnames);
    if (r) {
        int st = l->maxsize < 0 ? rt_dict_set(l->cache, key, r) : bounded_store(l, key, r);
        if (st < 0) RT_CLEAR(r);
    }
    rt_decref(key);
    return r;
}

static void lru_clear_nodes(Lru *l) {
    for (size_t i = 1; i < l->nnodes; i++) {
        RT_CLEAR(l->nodes[i].key);
        RT_CLEAR(l->nodes[i].result);
    }
    if (l->nodes) l->nodes[0] = (LruNode){NULL, NULL, 0, 0};
    l->nnodes = l->nodes ? 1 : 0;
}

static void lru_dealloc(RtValue *self) {
    Lru *l = (Lru *)self;
    live_remove(l);
    RT_CLEAR(l->cache);
    lru_clear_nodes(l);
    rt_free(l->nodes);
    l->nodes = NULL;
    RT_CLEAR(l->func);
    RT_CLEAR(l->dict);
    RT_CLEAR(l->maxsize_obj);
    RT_CLEAR(l->typed_obj);
}

/* The CacheInfo named tuple type, made on first use. Borrowed. */
static RtValue *cache_info_type(void) {
    static RtValue *type;
    if (!type) {
        RtValue *a[2] = {rt_str_const("CacheInfo", 9), rt_str_const("hits misses maxsize currsize", 28)};
        type = rt_collections_namedtuple(NULL, a, 2, NULL);
    }
    return type;
}

static RtValue *lru_m_cache_info(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if ((kw && RT_TUPLE_LEN(kw)) || nargs)
        return rt_raise_fmt(&rt_exc_TypeError, "cache_info() takes no arguments (%zu given)",
                            nargs + (kw ? RT_TUPLE_LEN(kw) : 0));
    Lru *l = (Lru *)self;
    RtValue *t = cache_info_type();
    if (!t) return NULL;
    RtValue *v[4] = {rt_int(l->hits), rt_int(l->misses),
                     l->maxsize < 0 ? rt_newref(rt_None) : rt_int(l->maxsize),
                     rt_int((int64_t)rt_dict_len(l->cache))};
    RtValue *r = v[0] && v[1] && v[2] && v[3] ? rt_call(t, v, 4, NULL) : NULL;
    for (int i = 0; i < 4; i++) rt_xdecref(v[i]);
    return r;
}

static RtValue *lru_m_cache_clear(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if ((kw && RT_TUPLE_LEN(kw)) || nargs)
        return rt_raise_fmt(&rt_exc_TypeError, "cache_clear() takes no arguments (%zu given)",
                            nargs + (kw ? RT_TUPLE_LEN(kw) : 0));
    Lru *l = (Lru *)self;
    rt_dict_clear(l->cache);
    lru_clear_nodes(l);
    l->hits = l->misses = 0;
    return rt_newref(rt_None);
}

/* {'maxsize': ..., 'typed': ...} (a lambda in functools.py, hence its message). */
static RtValue *lru_m_cache_parameters(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if ((kw && RT_TUPLE_LEN(kw)) || nargs)
        return rt_raise_fmt(&rt_exc_TypeError, "lru_cache.<locals>.<lambda>() takes 0 positional arguments "
                            "but %zu were given", nargs);
    Lru *l = (Lru *)self;
    RtValue *d = rt_dict_new();
    if (d && (rt_dict_set_cstr(d, "maxsize", l->maxsize_obj) < 0 || rt_dict_set_cstr(d, "typed", l->typed_obj) < 0))
        RT_CLEAR(d);
    return d;
}

static const RtMethodDef lru_methods[] = {
    {.name = "cache_info", .fn = lru_m_cache_info},
    {.name = "cache_clear", .fn = lru_m_cache_clear},
    {.name = "cache_parameters", .fn = lru_m_cache_parameters},
    {.name = NULL},
};

/* maxsize None -> -1, a negative int -> 0. 0 or -1. */
static int lru_maxsize(RtValue *maxsize, int64_t *ms) {
    *ms = -1;
    if (maxsize == rt_None) return 0;
    if (rt_int_as_i64(maxsize, ms) < 0) return -1;
    if (*ms < 0) *ms = 0;
    return 0;
}

/* _lru_cache_wrapper(func, maxsize, typed) + update_wrapper(wrapper, func).
 * maxsize: None or an int (negative means 0). All borrowed. */
static RtValue *lru_new(RtValue *func, RtValue *maxsize, RtValue *typed) {
    if (!is_callable(func)) return rt_raise(&rt_exc_TypeError, "the first argument must be callable");
    int64_t ms;
    if (lru_maxsize(maxsize, &ms) < 0) return NULL;
    int t = rt_truthy(typed);
    if (t < 0) return NULL;
    Lru *l = (Lru *)rt_obj_alloc(&rt_functools__lru_cache_wrapper, sizeof(Lru));
    if (!l) return NULL;
    l->func = rt_newref(func);
    l->maxsize_obj = rt_newref(maxsize);
    l->typed_obj = rt_newref(typed);
    l->maxsize = ms;
    l->typed = t;
    if (!(l->cache = rt_dict_new())) goto fail;
    if (ms > 0) {
        if (!(l->nodes = rt_malloc(sizeof(LruNode) * 8))) goto fail;
        l->cap = 8;
        lru_clear_nodes(l);
    }
    if (update_wrapper(&l->ob, func, NULL, NULL) < 0) goto fail;
    live_add(l);
    return &l->ob;
fail:
    rt_decref(&l->ob);
    return NULL;
}

/* What pickle keeps of a cached function: the function and the parameters.
 * The receiving process uses its own wrapper of that function when it has
 * one (see live_first), else a new one with an empty cache. */
static int lru_dump(RtValue *self, RtBuf *buf) {
    Lru *l = (Lru *)self;
    if (rt_ser_dump(buf, l->func) < 0 || rt_ser_dump(buf, l->maxsize_obj) < 0) return -1;
    return rt_ser_dump(buf, l->typed_obj);
}

static RtValue *lru_load(RtType *t, RtBuf *buf) {
    (void)t;
    RtValue *f = rt_ser_load(buf), *m = f ? rt_ser_load(buf) : NULL, *ty = m ? rt_ser_load(buf) : NULL;
    RtValue *l = NULL;
    int64_t ms = 0;
    int typed = ty ? rt_truthy(ty) : -1;
    if (ty && m != rt_None && !rt_is_int(m)) {
        rt_raise(&rt_exc_ValueError, "serialized lru_cache is malformed");
    } else if (typed >= 0 && lru_maxsize(m, &ms) == 0) {
        for (Lru *x = live_first; x && !l; x = x->live_next)
            if (x->func == f && x->maxsize == ms && x->typed == (typed > 0)) l = rt_newref(&x->ob);
        if (!l) l = lru_new(f, m, ty);
    }
    rt_xdecref(f);
    rt_xdecref(m);
    rt_xdecref(ty);
    return l;
}

RtType rt_functools__lru_cache_wrapper = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "_lru_cache_wrapper",
    .module = "functools",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(Lru),
    .dict_offset = offsetof(Lru, dict),
    .table_index = -1,
    .dealloc = lru_dealloc,
    .hash = ident_hash,
    .call = lru_call,
    .ser_dump = lru_dump,
    .ser_load = lru_load,
    .methods = lru_methods,
};

/* decorating_function(user_function): the closure lru_cache(maxsize) returns;
 * self is the tuple (maxsize, typed). */
static RtValue *lru_decorating_function(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"user_function"};
    static const RtParamSpec spec = {"lru_cache.<locals>.decorating_function", names, 0, 1, 0, false, false};
    RtValue *f;
    if (rt_bind_args(&spec, args, nargs, kw, NULL, NULL, &f, NULL, NULL) < 0) return NULL;
    return lru_new(f, RT_TUPLE_GET(self, 0), RT_TUPLE_GET(self, 1));
}

/* lru_cache(maxsize=128, typed=False), as in functools.py. */
RtValue *rt_functools_lru_cache(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    static const char *const names[] = {"maxsize", "typed"};
    static const RtParamSpec spec = {"lru_cache", names, 0, 2, 0, false, false};
    RtValue *a[2], *dflt_size = rt_int(128);
    RtValue *defaults = dflt_size ? rt_tuple_pack(2, dflt_size, rt_False) : NULL;
    rt_xdecref(dflt_size);
    if (!defaults) return NULL;
    if (rt_bind_args(&spec, args, nargs, kw, defaults, NULL, a, NULL, NULL) < 0) {
        rt_decref(defaults);
        return NULL;
    }
    RtValue *maxsize = rt_newref(a[0]), *typed = a[1], *r = NULL;
    if (rt_is_int(maxsize)) {
        if (rt_int_sign(maxsize) < 0) RT_SETREF(maxsize, rt_int(0));
    } else if (is_callable(maxsize) && (typed == rt_True || typed == rt_False)) {
        r = lru_new(maxsize, RT_TUPLE_GET(defaults, 0), typed);   /* @lru_cache without arguments */
        goto done;
    } else if (maxsize != rt_None) {
        rt_raise(&rt_exc_TypeError, "Expected first argument to be an integer, a callable, or None");
        goto done;
    }
    RtValue *params = maxsize ? rt_tuple_pack(2, maxsize, typed) : NULL;
    if (params) r = rt_builtin_new("decorating_function", lru_decorating_function, params, -1);
    rt_xdecref(params);
done:
    rt_xdecref(maxsize);
    rt_decref(defaults);
    return r;
}

RtValue *rt_functools_cache(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    static const char *const names[] = {"user_function"};
    static const RtParamSpec spec = {"cache", names, 1, 1, 0, false, false};
    RtValue *f;
    if (rt_bind_args(&spec, args, nargs, kw, NULL, NULL, &f, NULL, NULL) < 0) return NULL;
    return lru_new(f, rt_None, rt_False);
}

/* ==== total_ordering ================================================================== */

/* How each derived comparison is computed from the root one (functools.py's
 * _gt_from_lt ...): r = type(self).<root>(self, other), then one of these. */
typedef enum { NOT_R, NOT_R_AND_NE, R_OR_EQ, NOT_R_OR_EQ, R_AND_NE } Derive;

static const struct { const char *root, *name, *qualname; Derive how; } orderings[] = {
    {"__lt__", "__gt__", "_gt_from_lt", NOT_R_AND_NE}, {"__lt__", "__le__", "_le_from_lt", R_OR_EQ},
    {"__lt__", "__ge__", "_ge_from_lt", NOT_R},        {"__le__", "__ge__", "_ge_from_le", NOT_R_OR_EQ},
    {"__le__", "__lt__", "_lt_from_le", R_AND_NE},     {"__le__", "__gt__", "_gt_from_le", NOT_R},
    {"__gt__", "__lt__", "_lt_from_gt", NOT_R_AND_NE}, {"__gt__", "__ge__", "_ge_from_gt", R_OR_EQ},
    {"__gt__", "__le__", "_le_from_gt", NOT_R},        {"__ge__", "__le__", "_le_from_ge", NOT_R_OR_EQ},
    {"__ge__", "__gt__", "_gt_from_ge", R_AND_NE},     {"__ge__", "__lt__", "_lt_from_ge", NOT_R},
};
#define NORDERINGS (sizeof orderings / sizeof orderings[0])

/* The body of every derived comparison; which one is told by the
 * function's qualname (a pointer into the table above). */
static RtValue *ordering_entry(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    size_t k = 0;
    while (k < NORDERINGS && orderings[k].qualname != f->qualname) k++;
    if (k == NORDERINGS) return rt_raise(&rt_exc_RuntimeError, "total_ordering: unknown comparison");
    static const char *const names[] = {"self", "other"};
    RtParamSpec spec = {orderings[k].qualname, names, 0, 2, 0, false, false};
    RtValue *a[2];
    if (rt_bind_args(&spec, args, nargs, kwnames, NULL, NULL, a, NULL, NULL) < 0) return NULL;
    RtValue *self = a[0], *other = a[1];
    RtValue *r = rt_call_method(self, orderings[k].root, &other, 1, NULL);
    if (!r || r == rt_NotImplemented) return r;
    int t = rt_truthy(r);
    if (t < 0) { rt_decref(r); return NULL; }
    switch (orderings[k].how) {
    case NOT_R:        rt_decref(r); return rt_bool(!t);
    case NOT_R_AND_NE: rt_decref(r); return t ? rt_False : rt_richcompare(self, other, RT_NE);
    case NOT_R_OR_EQ:  rt_decref(r); return !t ? rt_True : rt_richcompare(self, other, RT_EQ);
    case R_OR_EQ:      if (t) return r; rt_decref(r); return rt_richcompare(self, other, RT_EQ);
    case R_AND_NE:     if (!t) return r; rt_decref(r); return rt_richcompare(self, other, RT_NE);
    }
    return NULL;
}

/* Does cls define `op` itself rather than inherit object's? */
static bool defines_ordering(RtValue *cls, const char *op) {
    if (cls->type->tag != RT_T_TYPE) return cls->type->richcompare != NULL;
    RtType *t = (RtType *)cls;
    if (t->flags & RT_TF_HEAP) {
        if (rt_type_has_script_attr(t, op)) return true;
        while (t->flags & RT_TF_HEAP) t = t->base;   /* a native base's comparisons count too */
    }
    return t != &rt_type_object && t->richcompare != NULL;
}

RtValue *rt_functools_total_ordering(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    static const char *const names[] = {"cls"};
    static const RtParamSpec spec = {"total_ordering", names, 0, 1, 0, false, false};
    RtValue *cls;
    if (rt_bind_args(&spec, args, nargs, kw, NULL, NULL, &cls, NULL, NULL) < 0) return NULL;
    static const char *const roots[] = {"__lt__", "__le__", "__gt__", "__ge__"};   /* max() order */
    bool has[4];
    int root = -1;
    for (int i = 3; i >= 0; i--)
        if ((has[i] = defines_ordering(cls, roots[i]))) root = i;
    if (root < 0) return rt_raise(&rt_exc_ValueError, "must define at least one ordering operation: < > <= >=");
    for (size_t k = 0; k < NORDERINGS; k++) {
        if (strcmp(orderings[k].root, roots[root]) != 0) continue;
        bool present = false;
        for (int i = 0; i < 4; i++) present |= has[i] && strcmp(roots[i], orderings[k].name) == 0;
        if (present) continue;
        RtValue *f = rt_func_new(orderings[k].name, orderings[k].qualname, ordering_entry, -1, NULL, NULL, NULL, 0);
        int rc = f ? rt_setattr(cls, orderings[k].name, f) : -1;
        rt_xdecref(f);
        if (rc < 0) return NULL;
    }
    return rt_newref(cls);
}

/* ==== cmp_to_key ======================================================================== */

typedef struct KeyWrapper { RtValue ob; RtValue *cmp, *obj; } KeyWrapper;

static RtValue *keywrapper_new(RtValue *cmp, RtValue *obj) {
    KeyWrapper *k = (KeyWrapper *)rt_obj_alloc(&rt_functools_KeyWrapper, sizeof(KeyWrapper));
    if (!k) return NULL;
    k->cmp = rt_newref(cmp);
    if (obj) k->obj = rt_newref(obj);
    return &k->ob;
}

RtValue *rt_functools_cmp_to_key(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    static const char *const names[] = {"mycmp"};
    RtValue *cmp;
    if (parse("cmp_to_key", args, nargs, kw, names, 1, 1, &cmp) < 0) return NULL;
    return keywrapper_new(cmp, NULL);
}

static void keywrapper_dealloc(RtValue *self) {
    KeyWrapper *k = (KeyWrapper *)self;
    RT_CLEAR(k->cmp);
    RT_CLEAR(k->obj);
}

/* K(obj): a key object comparing by cmp(self.obj, other.obj) against 0. */
static RtValue *keywrapper_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"obj"};
    RtValue *obj;
    if (parse("K", args, nargs, kw, names, 1, 1, &obj) < 0) return NULL;
    return keywrapper_new(((KeyWrapper *)self)->cmp, obj);
}

static RtValue *keywrapper_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (b->type != &rt_functools_KeyWrapper)
        return rt_raise(&rt_exc_TypeError, "other argument must be K instance");
    KeyWrapper *x = (KeyWrapper *)a, *y = (KeyWrapper *)b;
    if (!x->obj || !y->obj) return rt_raise(&rt_exc_AttributeError, "object");
    RtValue *pair[2] = {x->obj, y->obj};
    RtValue *res = rt_call(x->cmp, pair, 2, NULL);
    if (!res) return NULL;
    RtValue *zero = rt_int(0);
    RtValue *r = rt_richcompare(res, zero, op);
    rt_decref(zero);
    rt_decref(res);
    return r;
}

static RtValue *keywrapper_get_obj(RtValue *self) {
    KeyWrapper *k = (KeyWrapper *)self;
    if (!k->obj) return rt_raise(&rt_exc_AttributeError, "obj");
    return rt_newref(k->obj);
}

static const RtGetSetDef keywrapper_getset[] = {
    {"obj", keywrapper_get_obj, NULL},
    {NULL, NULL, NULL},
};

/* tp_name "functools.KeyWrapper": the module is part of the name, as in
 * CPython's messages ("unhashable type: 'functools.KeyWrapper'"). */
RtType rt_functools_KeyWrapper = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "functools.KeyWrapper",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(KeyWrapper),
    .table_index = -1,
    .dealloc = keywrapper_dealloc,
    .richcompare = keywrapper_richcompare,
    .call = keywrapper_call,
    .getset = keywrapper_getset,
};

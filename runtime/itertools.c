/* itertools.c: the itertools module.
 *
 * Every itertools class is a static RtType whose `construct` slot parses
 * the arguments (with CPython 3.11's messages) and whose `iternext` slot
 * follows the algorithm of CPython's Modules/itertoolsmodule.c step for
 * step. That matters beyond the values produced: how many items an islice
 * or a takewhile pulls from the underlying iterator, and when, is visible
 * to a script that keeps using that iterator, so it is the same here.
 *
 * Key ideas:
 *   - groupby's groups share the parent's iterator: a _grouper yields only
 *     while it is the parent's current group (CPython's `currgrouper`), so
 *     advancing the groupby empties the groups handed out before;
 *   - tee buffers items in links of 57 shared by all its copies; a link is
 *     released once every copy has moved past it;
 *   - the combinatoric iterators (product, permutations, combinations...)
 *     copy their inputs into tuples first and then walk index arrays kept
 *     in the object's own allocation.
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

/* ==== shared helpers ============================================================ */

static RtValue *self_iter(RtValue *self) { return rt_newref(self); }

/* Identity hash, as object.__hash__ (every itertools object is hashable). */
static int ident_hash(RtValue *self, int64_t *out) {
    uintptr_t p = (uintptr_t)self;
    *out = (int64_t)((p >> 4) | (p << (8 * sizeof p - 4)));
    if (*out == -1) *out = -2;
    return 0;
}

static int no_kw(const char *name, RtValue *kw) {
    if (!kw || RT_TUPLE_LEN(kw) == 0) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", name);
    return -1;
}

/* _PyArg_CheckPositional: "cycle expected 1 argument, got 2". */
static int check_pos(const char *name, size_t nargs, size_t min, size_t max) {
    if (nargs >= min && nargs <= max) return 0;
    const char *how = min == max ? "" : nargs < min ? "at least " : "at most ";
    size_t want = nargs < min ? min : max;
    rt_raise_fmt(&rt_exc_TypeError, "%s expected %s%zu argument%s, got %zu", name, how, want,
                 want == 1 ? "" : "s", nargs);
    return -1;
}

/* rt_parse_args, with Argument Clinic's message for a missing argument:
 * "repeat() missing required argument 'object' (pos 1)". */
static int parse(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw,
                 const char *const *names, int nmax, int nreq, int nkwonly, RtValue **out) {
    size_t total = nargs + (kw ? RT_TUPLE_LEN(kw) : 0);
    if (total > (size_t)nmax) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes at most %d %sargument%s (%zu given)", fname, nmax,
                     nargs == 0 ? "keyword " : "", nmax == 1 ? "" : "s", total);
        return -1;
    }
    if (rt_parse_args(fname, args, nargs, kw, names, nmax, 0, 0, nkwonly, out) < 0) return -1;
    for (int j = 0; j < nreq; j++) {
        if (!out[j]) {
            rt_raise_fmt(&rt_exc_TypeError, "%s() missing required argument '%s' (pos %d)", fname,
                         names[j], j + 1);
            return -1;
        }
    }
    return 0;
}

/* The value of an int-like argument (PyNumber_AsSsize_t with OverflowError). */
static int as_ssize(RtValue *o, int64_t *out) {
    if (o == rt_True || o == rt_False) { *out = o == rt_True; return 0; }
    if (o->type == &rt_type_int && !((RtInt *)o)->big) { *out = ((RtInt *)o)->small; return 0; }
    RtValue *i = rt_operator_index(NULL, &o, 1, NULL);   /* __index__, or the TypeError */
    if (!i) return -1;
    int rc = 0;
    if (((RtInt *)i)->big) {
        rt_raise(&rt_exc_OverflowError, "Python int too large to convert to C ssize_t");
        rc = -1;
    } else {
        *out = ((RtInt *)i)->small;
    }
    rt_decref(i);
    return rc;
}

/* tuple(iterable). XXX: rt_tuple_from_iter hands memcpy a NULL source for an
 * empty iterable that is not a list (undefined behaviour, UBSan aborts);
 * going through a list of our own avoids that path. */
static RtValue *to_tuple(RtValue *o) {
    if (rt_is_tuple(o) || rt_is_list(o)) return rt_tuple_from_iter(o);
    RtValue *l = rt_list_from_iter(o);
    if (!l) return NULL;
    RtValue *t = rt_tuple_from_iter(l);
    rt_decref(l);
    return t;
}

/* An int or bool that fits int64_t: its value. */
static bool small_int(RtValue *o, int64_t *v) {
    if (o == rt_True || o == rt_False) { *v = o == rt_True; return true; }
    if (o->type != &rt_type_int || ((RtInt *)o)->big) return false;
    *v = ((RtInt *)o)->small;
    return true;
}

static bool is_int_one(RtValue *o) {
    int64_t v;
    return small_int(o, &v) && v == 1;
}

/* The iterator of a static itertools type. */
#define ITER_TYPE(cname, pyname, T, dealloc_fn, next_fn, construct_fn)                             \
    RtType cname = {                                                                               \
        .ob = RT_STATIC_HEAD(&rt_type_type),                                                       \
        .name = pyname,                                                                            \
        .module = "itertools",                                                                     \
        .tag = RT_T_ITER,                                                                          \
        .base = &rt_type_object,                                                                   \
        .size = sizeof(T),                                                                         \
        .table_index = -1,                                                                         \
        .dealloc = dealloc_fn,                                                                     \
        .hash = ident_hash,                                                                        \
        .iter = self_iter,                                                                         \
        .iternext = next_fn,                                                                       \
        .construct = construct_fn,                                                                 \
    }

/* ==== count(start=0, step=1) ====================================================== */

/* Fast mode (an int start and a step of exactly 1) counts in an int64_t;
 * otherwise, or past INT64_MAX, long_cnt + step through rt_binop. */
typedef struct Count {
    RtValue  ob;
    bool     fast;
    int64_t  cnt;
    RtValue *long_cnt;   /* slow mode: the next value */
    RtValue *step;
} Count;

/* PyNumber_Check, or complex. */
static bool is_number(RtValue *o) {
    RtType *t = o->type;
    if (rt_is_int(o) || t == &rt_type_float || t == &rt_type_complex) return true;
    return rt_type_has_script_attr(t, "__index__") || rt_type_has_script_attr(t, "__int__") ||
           rt_type_has_script_attr(t, "__float__") || rt_type_has_script_attr(t, "__complex__");
}

static RtValue *count_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    static const char *const names[] = {"start", "step"};
    RtValue *a[2];
    if (parse("count", args, nargs, kw, names, 2, 0, 0, a) < 0) return NULL;
    if ((a[0] && !is_number(a[0])) || (a[1] && !is_number(a[1])))
        return rt_raise(&rt_exc_TypeError, "a number is required");
    Count *c = (Count *)rt_obj_alloc(&rt_itertools_count, sizeof(Count));
    if (!c) return NULL;
    int64_t start = 0;
    c->fast = (!a[0] || small_int(a[0], &start)) && (!a[1] || is_int_one(a[1]));
    c->step = a[1] ? rt_newref(a[1]) : rt_int(1);
    if (c->fast) c->cnt = start;
    else c->long_cnt = a[0] ? rt_newref(a[0]) : rt_int(0);
    return &c->ob;
}

static void count_dealloc(RtValue *self) {
    Count *c = (Count *)self;
    RT_CLEAR(c->long_cnt);
    RT_CLEAR(c->step);
}

static RtValue *count_next(RtValue *self) {
    Count *c = (Count *)self;
    if (c->fast) {
        if (c->cnt < INT64_MAX) return rt_int(c->cnt++);
        if (!(c->long_cnt = rt_int(INT64_MAX))) return NULL;
        c->fast = false;
    }
    RtValue *r = c->long_cnt, *next = rt_binop(r, c->step, RT_ADD);
    if (!next) return NULL;
    c->long_cnt = next;
    return r;
}

/* "count(5)", "count(0.5, 0.25)" */
static RtValue *count_repr(RtValue *self) {
    Count *c = (Count *)self;
    if (c->fast) {
        char buf[48];
        snprintf(buf, sizeof buf, "count(%lld)", (long long)c->cnt);
        return rt_str_from_cstr(buf);
    }
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "count(");
    int rc = rt_strbuf_put_repr(&b, c->long_cnt);
    if (rc == 0 && !is_int_one(c->step)) {
        rt_strbuf_put_cstr(&b, ", ");
        rc = rt_strbuf_put_repr(&b, c->step);
    }
    rt_strbuf_putc(&b, ')');
    if (rc < 0) { rt_strbuf_free(&b); return NULL; }
    return rt_strbuf_finish(&b);
}

RtType rt_itertools_count = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "count",
    .module = "itertools",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Count),
    .table_index = -1,
    .dealloc = count_dealloc,
    .repr = count_repr,
    .hash = ident_hash,
    .iter = self_iter,
    .iternext = count_next,
    .construct = count_construct,
};

/* ==== cycle(iterable) ============================================================== */

typedef struct Cycle {
    RtValue  ob;
    RtValue *it;        /* NULL once the first pass is over */
    RtValue *saved;     /* list of the items seen */
    size_t   index;
} Cycle;

static RtValue *cycle_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    if (no_kw("cycle", kw) < 0 || check_pos("cycle", nargs, 1, 1) < 0) return NULL;
    RtValue *it = rt_iter(args[0]);
    if (!it) return NULL;
    Cycle *c = (Cycle *)rt_obj_alloc(&rt_itertools_cycle, sizeof(Cycle));
    if (!c || !(c->saved = rt_list_new(0))) {
        rt_decref(it);
        if (c) rt_decref(&c->ob);
        return NULL;
    }
    c->it = it;
    return &c->ob;
}

static void cycle_dealloc(RtValue *self) {
    Cycle *c = (Cycle *)self;
    RT_CLEAR(c->it);
    RT_CLEAR(c->saved);
}

static RtValue *cycle_next(RtValue *self) {
    Cycle *c = (Cycle *)self;
    if (c->it) {
        RtValue *item = rt_iter_next(c->it);
        if (item) {
            if (rt_list_append(c->saved, item) < 0) { rt_decref(item); return NULL; }
            return item;
        }
        if (RT_ERR()) return NULL;
        RT_CLEAR(c->it);
    }
    size_t n = RT_LIST_LEN(c->saved);
    if (n == 0) return NULL;
    RtValue *item = RT_LIST_GET(c->saved, c->index);
    if (++c->index >= n) c->index = 0;
    return rt_newref(item);
}

ITER_TYPE(rt_itertools_cycle, "cycle", Cycle, cycle_dealloc, cycle_next, cycle_construct);

/* ==== repeat(object[, times]) ====================================================== */

typedef struct Repeat {
    RtValue  ob;
    RtValue *element;
    int64_t  cnt;       /* items left; -1 = forever */
} Repeat;

static RtValue *repeat_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    static const char *const names[] = {"object", "times"};
    RtValue *a[2];
    if (parse("repeat", args, nargs, kw, names, 2, 1, 0, a) < 0) return NULL;
    int64_t cnt = -1;
    if (a[1]) {
        if (as_ssize(a[1], &cnt) < 0) return NULL;
        if (cnt < 0) cnt = 0;   /* a negative count repeats nothing */
    }
    Repeat *r = (Repeat *)rt_obj_alloc(&rt_itertools_repeat, sizeof(Repeat));
    if (!r) return NULL;
    r->element = rt_newref(a[0]);
    r->cnt = cnt;
    return &r->ob;
}

static void repeat_dealloc(RtValue *self) { RT_CLEAR(((Repeat *)self)->element); }

static RtValue *repeat_next(RtValue *self) {
    Repeat *r = (Repeat *)self;
    if (r->cnt == 0) return NULL;
    if (r->cnt > 0) r->cnt--;
    return rt_newref(r->element);
}

/* "repeat(1)", "repeat('a', 3)" */
static RtValue *repeat_repr(RtValue *self) {
    Repeat *r = (Repeat *)self;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "repeat(");
    if (rt_strbuf_put_repr(&b, r->element) < 0) { rt_strbuf_free(&b); return NULL; }
    if (r->cnt >= 0) {
        char num[32];
        snprintf(num, sizeof num, ", %lld", (long long)r->cnt);
        rt_strbuf_put_cstr(&b, num);
    }
    rt_strbuf_putc(&b, ')');
    return rt_strbuf_finish(&b);
}

RtType rt_itertools_repeat = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "repeat",
    .module = "itertools",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Repeat),
    .table_index = -1,
    .dealloc = repeat_dealloc,
    .repr = repeat_repr,
    .hash = ident_hash,
    .iter = self_iter,
    .iternext = repeat_next,
    .construct = repeat_construct,
};

/* ==== accumulate(iterable, func=None, *, initial=None) ============================== */

typedef struct Accumulate {
    RtValue  ob;
    RtValue *it;
    RtValue *func;      /* NULL: + */
    RtValue *total;     /* NULL before the first item */
    RtValue *initial;   /* NULL once yielded (or when not given) */
} Accumulate;

static RtValue *accumulate_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    static const char *const names[] = {"iterable", "func", "initial"};
    RtValue *a[3];
    if (parse("accumulate", args, nargs, kw, names, 3, 1, 1, a) < 0) return NULL;
    RtValue *it = rt_iter(a[0]);
    if (!it) return NULL;
    Accumulate *acc = (Accumulate *)rt_obj_alloc(&rt_itertools_accumulate, sizeof(Accumulate));
    if (!acc) { rt_decref(it); return NULL; }
    acc->it = it;
    if (a[1] && a[1] != rt_None) acc->func = rt_newref(a[1]);
    if (a[2] && a[2] != rt_None) acc->initial = rt_newref(a[2]);
    return &acc->ob;
}

static void accumulate_dealloc(RtValue *self) {
    Accumulate *acc = (Accumulate *)self;
    RT_CLEAR(acc->it);
    RT_CLEAR(acc->func);
    RT_CLEAR(acc->total);
    RT_CLEAR(acc->initial);
}

static RtValue *accumulate_next(RtValue *self) {
    Accumulate *acc = (Accumulate *)self;
    if (acc->initial) {
        acc->total = acc->initial;
        acc->initial = NULL;
        return rt_newref(acc->total);
    }
    RtValue *val = rt_iter_next(acc->it);
    if (!val) return NULL;
    if (!acc->total) {
        acc->total = val;
        return rt_newref(val);
    }
    RtValue *pair[2] = {acc->total, val};
    RtValue *nt = acc->func ? rt_call(acc->func, pair, 2, NULL) : rt_binop(acc->total, val, RT_ADD);
    rt_decref(val);
    if (!nt) return NULL;
    RT_SETREF(acc->total, nt);
    return rt_newref(nt);
}

ITER_TYPE(rt_itertools_accumulate, "accumulate", Accumulate, accumulate_dealloc, accumulate_next,
          accumulate_construct);

/* ==== chain(*iterables), chain.from_iterable(iterable) ============================== */

typedef struct Chain {
    RtValue  ob;
    RtValue *source;    /* iterator over the iterables; NULL when done */
    RtValue *active;    /* iterator of the current one */
} Chain;

/* Steals source. */
static RtValue *chain_new(RtValue *source) {
    Chain *c = (Chain *)rt_obj_alloc(&rt_itertools_chain, sizeof(Chain));
    if (!c) { rt_decref(source); return NULL; }
    c->source = source;
    return &c->ob;
}

static RtValue *chain_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    if (no_kw("chain", kw) < 0) return NULL;
    RtValue *tup = rt_tuple_from_array(args, nargs);   /* each iterable is checked lazily */
    RtValue *source = tup ? rt_iter(tup) : NULL;
    rt_xdecref(tup);
    return source ? chain_new(source) : NULL;
}

RtValue *rt_itertools_chain_from_iterable(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    rt_classmethod_target(self, &args, &nargs, &rt_itertools_chain);
    if (kw && RT_TUPLE_LEN(kw))
        return rt_raise(&rt_exc_TypeError, "chain.from_iterable() takes no keyword arguments");
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "chain.from_iterable() takes exactly one argument (%zu given)",
                            nargs);
    RtValue *source = rt_iter(args[0]);
    return source ? chain_new(source) : NULL;
}

static void chain_dealloc(RtValue *self) {
    Chain *c = (Chain *)self;
    RT_CLEAR(c->source);
    RT_CLEAR(c->active);
}

static RtValue *chain_next(RtValue *self) {
    Chain *c = (Chain *)self;
    while (c->source) {
        if (!c->active) {
            RtValue *iterable = rt_iter_next(c->source);
            if (!iterable) { RT_CLEAR(c->source); return NULL; }
            c->active = rt_iter(iterable);
            rt_decref(iterable);
            if (!c->active) { RT_CLEAR(c->source); return NULL; }
        }
        RtValue *item = rt_iter_next(c->active);
        if (item || RT_ERR()) return item;
        RT_CLEAR(c->active);
    }
    return NULL;
}

ITER_TYPE(rt_itertools_chain, "chain", Chain, chain_dealloc, chain_next, chain_construct);

/* chain.from_iterable lives in the type's dict as a class method. */
__attribute__((constructor)) static void itertools_classmethods_init(void) {
    if (rt_type_add_classmethod(&rt_itertools_chain, "from_iterable", rt_itertools_chain_from_iterable) < 0)
        abort();   /* out of memory before main */
}

/* ==== compress(data, selectors) ====================================================== */

typedef struct Compress { RtValue ob; RtValue *data, *selectors; } Compress;

static RtValue *compress_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    static const char *const names[] = {"data", "selectors"};
    RtValue *a[2];
    if (parse("compress", args, nargs, kw, names, 2, 2, 0, a) < 0) return NULL;
    RtValue *data = rt_iter(a[0]), *sel = data ? rt_iter(a[1]) : NULL;
    Compress *c = sel ? (Compress *)rt_obj_alloc(&rt_itertools_compress, sizeof(Compress)) : NULL;
    if (!c) {
        rt_xdecref(data);
        rt_xdecref(sel);
        return NULL;
    }
    c->data = data;
    c->selectors = sel;
    return &c->ob;
}

static void compress_dealloc(RtValue *self) {
    Compress *c = (Compress *)self;
    RT_CLEAR(c->data);
    RT_CLEAR(c->selectors);
}

static RtValue *compress_next(RtValue *self) {
    Compress *c = (Compress *)self;
    for (;;) {
        RtValue *datum = rt_iter_next(c->data);
        if (!datum) return NULL;
        RtValue *sel = rt_iter_next(c->selectors);
        if (!sel) { rt_decref(datum); return NULL; }
        int ok = rt_truthy(sel);
        rt_decref(sel);
        if (ok > 0) return datum;
        rt_decref(datum);
        if (ok < 0) return NULL;
    }
}

ITER_TYPE(rt_itertools_compress, "compress", Compress, compress_dealloc, compress_next, compress_construct);

/* ==== dropwhile, takewhile, filterfalse (predicate, iterable) ========================= */

typedef struct PredIter {
    RtValue  ob;
    RtValue *func;      /* filterfalse: NULL for None (truth of the item itself) */
    RtValue *it;
    bool     flag;      /* dropwhile: started yielding; takewhile: stopped */
} PredIter;

static RtValue *pred_new(RtType *t, const char *name, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (no_kw(name, kw) < 0 || check_pos(name, nargs, 2, 2) < 0) return NULL;
    RtValue *it = rt_iter(args[1]);
    if (!it) return NULL;
    PredIter *p = (PredIter *)rt_obj_alloc(t, sizeof(PredIter));
    if (!p) { rt_decref(it); return NULL; }
    p->it = it;
    if (!(t == &rt_itertools_filterfalse && args[0] == rt_None)) p->func = rt_newref(args[0]);
    return &p->ob;
}

static void pred_dealloc(RtValue *self) {
    PredIter *p = (PredIter *)self;
    RT_CLEAR(p->func);
    RT_CLEAR(p->it);
}

/* truth(func(item)), or truth(item) without a function: 1, 0, -1. */
static int pred_test(PredIter *p, RtValue *item) {
    if (!p->func) return rt_truthy(item);
    RtValue *good = rt_call(p->func, &item, 1, NULL);
    if (!good) return -1;
    int ok = rt_truthy(good);
    rt_decref(good);
    return ok;
}

static RtValue *dropwhile_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    return pred_new(&rt_itertools_dropwhile, "dropwhile", args, nargs, kw);
}

static RtValue *dropwhile_next(RtValue *self) {
    PredIter *p = (PredIter *)self;
    for (;;) {
        RtValue *item = rt_iter_next(p->it);
        if (!item || p->flag) return item;
        int ok = pred_test(p, item);
        if (ok == 0) { p->flag = true; return item; }
        rt_decref(item);
        if (ok < 0) return NULL;
    }
}

static RtValue *takewhile_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    return pred_new(&rt_itertools_takewhile, "takewhile", args, nargs, kw);
}

static RtValue *takewhile_next(RtValue *self) {
    PredIter *p = (PredIter *)self;
    if (p->flag) return NULL;
    RtValue *item = rt_iter_next(p->it);
    if (!item) return NULL;
    int ok = pred_test(p, item);
    if (ok > 0) return item;
    rt_decref(item);
    if (ok == 0) p->flag = true;
    return NULL;
}

static RtValue *filterfalse_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    return pred_new(&rt_itertools_filterfalse, "filterfalse", args, nargs, kw);
}

static RtValue *filterfalse_next(RtValue *self) {
    PredIter *p = (PredIter *)self;
    for (;;) {
        RtValue *item = rt_iter_next(p->it);
        if (!item) return NULL;
        int ok = pred_test(p, item);
        if (ok == 0) return item;
        rt_decref(item);
        if (ok < 0) return NULL;
    }
}

ITER_TYPE(rt_itertools_dropwhile, "dropwhile", PredIter, pred_dealloc, dropwhile_next, dropwhile_construct);
ITER_TYPE(rt_itertools_takewhile, "takewhile", PredIter, pred_dealloc, takewhile_next, takewhile_construct);
ITER_TYPE(rt_itertools_filterfalse, "filterfalse", PredIter, pred_dealloc, filterfalse_next,
          filterfalse_construct);

/* ==== groupby(iterable, key=None) ===================================================== */

typedef struct GroupBy {
    RtValue     ob;
    RtValue    *it;
    RtValue    *keyfunc;      /* NULL: the items are their own keys */
    RtValue    *tgtkey;       /* key of the group being handed out */
    RtValue    *currkey;      /* key of currvalue */
    RtValue    *currvalue;    /* the item read ahead, or NULL */
    const void *currgrouper;  /* the group allowed to yield (identity only, not a reference) */
} GroupBy;

typedef struct Grouper {
    RtValue  ob;
    RtValue *parent;    /* GroupBy */
    RtValue *tgtkey;
} Grouper;

static RtValue *groupby_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    static const char *const names[] = {"iterable", "key"};
    RtValue *a[2];
    if (parse("groupby", args, nargs, kw, names, 2, 1, 0, a) < 0) return NULL;
    RtValue *it = rt_iter(a[0]);
    if (!it) return NULL;
    GroupBy *g = (GroupBy *)rt_obj_alloc(&rt_itertools_groupby, sizeof(GroupBy));
    if (!g) { rt_decref(it); return NULL; }
    g->it = it;
    if (a[1] && a[1] != rt_None) g->keyfunc = rt_newref(a[1]);
    return &g->ob;
}

static void groupby_dealloc(RtValue *self) {
    GroupBy *g = (GroupBy *)self;
    RT_CLEAR(g->it);
    RT_CLEAR(g->keyfunc);
    RT_CLEAR(g->tgtkey);
    RT_CLEAR(g->currkey);
    RT_CLEAR(g->currvalue);
}

/* Reads the next item and its key into currvalue/currkey. 0, or -1 when
 * exhausted (no exception) or on error. */
static int groupby_step(GroupBy *g) {
    RtValue *v = rt_iter_next(g->it);
    if (!v) return -1;
    RtValue *k = g->keyfunc ? rt_call(g->keyfunc, &v, 1, NULL) : rt_newref(v);
    if (!k) { rt_decref(v); return -1; }
    RT_SETREF(g->currvalue, v);
    RT_SETREF(g->currkey, k);
    return 0;
}

static RtValue *groupby_next(RtValue *self) {
    GroupBy *g = (GroupBy *)self;
    g->currgrouper = NULL;
    for (;;) {   /* skip the rest of the current group */
        if (g->currkey) {
            if (!g->tgtkey) break;
            int eq = rt_eq(g->tgtkey, g->currkey);
            if (eq < 0) return NULL;
            if (eq == 0) break;
        }
        if (groupby_step(g) < 0) return NULL;
    }
    RT_SETREF(g->tgtkey, rt_newref(g->currkey));
    Grouper *gr = (Grouper *)rt_obj_alloc(&rt_itertools__grouper, sizeof(Grouper));
    if (!gr) return NULL;
    gr->parent = rt_newref(self);
    gr->tgtkey = rt_newref(g->tgtkey);
    g->currgrouper = gr;
    RtValue *r = rt_tuple_pack(2, g->currkey, (RtValue *)gr);
    rt_decref(&gr->ob);
    return r;
}

ITER_TYPE(rt_itertools_groupby, "groupby", GroupBy, groupby_dealloc, groupby_next, groupby_construct);

static void grouper_dealloc(RtValue *self) {
    Grouper *gr = (Grouper *)self;
    RT_CLEAR(gr->parent);
    RT_CLEAR(gr->tgtkey);
}

static RtValue *grouper_next(RtValue *self) {
    Grouper *gr = (Grouper *)self;
    GroupBy *g = (GroupBy *)gr->parent;
    if (g->currgrouper != gr) return NULL;   /* the groupby has moved on */
    if (!g->currvalue && groupby_step(g) < 0) return NULL;
    int eq = rt_eq(gr->tgtkey, g->currkey);
    if (eq <= 0) return NULL;                 /* error, or the group ends here */
    RtValue *r = g->currvalue;
    g->currvalue = NULL;
    RT_CLEAR(g->currkey);
    return r;
}

ITER_TYPE(rt_itertools__grouper, "_grouper", Grouper, grouper_dealloc, grouper_next, NULL);

/* ==== islice(iterable, stop) / islice(iterable, start, stop[, step]) ================== */

typedef struct ISlice {
    RtValue  ob;
    RtValue *it;        /* NULL once done */
    int64_t  next;      /* index of the next item to yield */
    int64_t  stop;      /* -1: no stop */
    int64_t  step;
    int64_t  cnt;       /* items read so far */
} ISlice;

/* None -> dflt; an int-like -> its value, else -1 (the error cleared). */
static int64_t islice_arg(RtValue *o, int64_t dflt) {
    if (o == rt_None) return dflt;
    int64_t v;
    if (as_ssize(o, &v) < 0) {
        rt_decref(rt_exc_fetch());
        return -1;
    }
    return v;
}

static const char islice_stop_msg[] =
    "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";

static RtValue *islice_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    if (no_kw("islice", kw) < 0 || check_pos("islice", nargs, 2, 4) < 0) return NULL;
    int64_t start = 0, stop = -1, step = 1;
    if (nargs == 2) {
        if (args[1] != rt_None && (stop = islice_arg(args[1], -1)) == -1)
            return rt_raise(&rt_exc_ValueError, islice_stop_msg);
    } else {
        start = islice_arg(args[1], 0);
        if (args[2] != rt_None && (stop = islice_arg(args[2], -1)) == -1)
            return rt_raise(&rt_exc_ValueError, islice_stop_msg);
    }
    if (start < 0 || stop < -1)
        return rt_raise(&rt_exc_ValueError,
                        "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.");
    if (nargs == 4 && args[3] != rt_None) step = islice_arg(args[3], 1);
    if (step < 1) return rt_raise(&rt_exc_ValueError, "Step for islice() must be a positive integer or None.");
    RtValue *it = rt_iter(args[0]);
    if (!it) return NULL;
    ISlice *s = (ISlice *)rt_obj_alloc(&rt_itertools_islice, sizeof(ISlice));
    if (!s) { rt_decref(it); return NULL; }
    s->it = it;
    s->next = start;
    s->stop = stop;
    s->step = step;
    return &s->ob;
}

static void islice_dealloc(RtValue *self) { RT_CLEAR(((ISlice *)self)->it); }

static RtValue *islice_next(RtValue *self) {
    ISlice *s = (ISlice *)self;
    if (!s->it) return NULL;
    while (s->cnt < s->next) {   /* skip to the next index */
        RtValue *item = rt_iter_next(s->it);
        if (!item) goto empty;
        rt_decref(item);
        s->cnt++;
    }
    if (s->stop != -1 && s->cnt >= s->stop) goto empty;
    RtValue *item = rt_iter_next(s->it);
    if (!item) goto empty;
    s->cnt++;
    int64_t old = s->next;
    s->next = (int64_t)((uint64_t)s->next + (uint64_t)s->step);
    if (s->next < old || (s->stop != -1 && s->next > s->stop)) s->next = s->stop;
    return item;
empty:
    RT_CLEAR(s->it);
    return NULL;
}

ITER_TYPE(rt_itertools_islice, "islice", ISlice, islice_dealloc, islice_next, islice_construct);

/* ==== starmap(function, iterable) ======================================================= */

typedef struct StarMap { RtValue ob; RtValue *func, *it; } StarMap;

static RtValue *starmap_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    if (no_kw("starmap", kw) < 0 || check_pos("starmap", nargs, 2, 2) < 0) return NULL;
    RtValue *it = rt_iter(args[1]);
    if (!it) return NULL;
    StarMap *m = (StarMap *)rt_obj_alloc(&rt_itertools_starmap, sizeof(StarMap));
    if (!m) { rt_decref(it); return NULL; }
    m->func = rt_newref(args[0]);
    m->it = it;
    return &m->ob;
}

static void starmap_dealloc(RtValue *self) {
    StarMap *m = (StarMap *)self;
    RT_CLEAR(m->func);
    RT_CLEAR(m->it);
}

static RtValue *starmap_next(RtValue *self) {
    StarMap *m = (StarMap *)self;
    RtValue *a = rt_iter_next(m->it);
    if (!a) return NULL;
    RtValue *t = to_tuple(a);   /* the same object when a is a tuple */
    rt_decref(a);
    if (!t) return NULL;
    RtValue *r = rt_call(m->func, ((RtTuple *)t)->items, RT_TUPLE_LEN(t), NULL);
    rt_decref(t);
    return r;
}

ITER_TYPE(rt_itertools_starmap, "starmap", StarMap, starmap_dealloc, starmap_next, starmap_construct);

/* ==== zip_longest(*iterables, fillvalue=None) ============================================ */

typedef struct ZipLongest {
    RtValue  ob;
    RtValue *fill;
    size_t   n, numactive;
    RtValue *its[];     /* NULL once exhausted */
} ZipLongest;

static RtValue *zip_longest_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    RtValue *fill = rt_None;
    if (kw && RT_TUPLE_LEN(kw)) {
        if (RT_TUPLE_LEN(kw) != 1 || strcmp(rt_str_data(RT_TUPLE_GET(kw, 0)), "fillvalue") != 0)
            return rt_raise(&rt_exc_TypeError, "zip_longest() got an unexpected keyword argument");
        fill = args[nargs];
    }
    ZipLongest *z = (ZipLongest *)rt_obj_alloc(&rt_itertools_zip_longest,
                                               sizeof(ZipLongest) + nargs * sizeof(RtValue *));
    if (!z) return NULL;
    z->fill = rt_newref(fill);
    for (size_t i = 0; i < nargs; i++) {
        if (!(z->its[i] = rt_iter(args[i]))) { rt_decref(&z->ob); return NULL; }
        z->n = i + 1;
    }
    z->numactive = nargs;
    return &z->ob;
}

static void zip_longest_dealloc(RtValue *self) {
    ZipLongest *z = (ZipLongest *)self;
    RT_CLEAR(z->fill);
    for (size_t i = 0; i < z->n; i++) RT_CLEAR(z->its[i]);
}

static RtValue *zip_longest_next(RtValue *self) {
    ZipLongest *z = (ZipLongest *)self;
    if (z->n == 0 || z->numactive == 0) return NULL;
    RtValue *r = rt_tuple_new(z->n);
    if (!r) return NULL;
    for (size_t i = 0; i < z->n; i++) {
        RtValue *item;
        if (!z->its[i]) {
            item = rt_newref(z->fill);
        } else if (!(item = rt_iter_next(z->its[i]))) {
            if (--z->numactive == 0 || RT_ERR()) {
                z->numactive = 0;
                rt_decref(r);
                return NULL;
            }
            item = rt_newref(z->fill);
            RT_CLEAR(z->its[i]);
        }
        RT_TUPLE_SET(r, i, item);
    }
    return r;
}

ITER_TYPE(rt_itertools_zip_longest, "zip_longest", ZipLongest, zip_longest_dealloc, zip_longest_next,
          zip_longest_construct);

/* ==== product(*iterables, repeat=1) ======================================================== */

typedef struct Product {
    RtValue  ob;
    size_t   npools;
    bool     started, stopped;
    size_t  *indices;   /* npools, after pools[] in this allocation */
    RtValue *pools[];   /* tuples; a repeated pool is referenced once per use */
} Product;

/* A tuple of the items pools[k][idx[k]] (or pool[idx[k]] for one pool). New reference. */
static RtValue *pick(RtValue *const *pools, RtValue *pool, const size_t *idx, size_t n) {
    RtValue *r = rt_tuple_new(n);
    if (!r) return NULL;
    for (size_t k = 0; k < n; k++)
        RT_TUPLE_SET(r, k, rt_newref(RT_TUPLE_GET(pools ? pools[k] : pool, idx[k])));
    return r;
}

static RtValue *product_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    int64_t repeat = 1;
    if (kw && RT_TUPLE_LEN(kw)) {
        static const char *const names[] = {"repeat"};
        RtValue *r;
        if (rt_parse_args("product", args + nargs, 0, kw, names, 1, 0, 0, 0, &r) < 0) return NULL;
        if (r && as_ssize(r, &repeat) < 0) return NULL;
        if (repeat < 0) return rt_raise(&rt_exc_ValueError, "repeat argument cannot be negative");
    }
    size_t per = sizeof(RtValue *) + sizeof(size_t);
    if (repeat && nargs > (SIZE_MAX / 2 / per) / (uint64_t)repeat)
        return rt_raise(&rt_exc_OverflowError, "repeat argument too large");
    if (repeat == 0) nargs = 0;              /* the inputs are not even iterated */
    size_t npools = nargs * (size_t)repeat;
    RtValue *tuples = rt_tuple_new(nargs);   /* each input once, then shared */
    if (!tuples) return NULL;
    for (size_t i = 0; i < nargs; i++) {
        RtValue *p = to_tuple(args[i]);
        if (!p) { rt_decref(tuples); return NULL; }
        RT_TUPLE_SET(tuples, i, p);
    }
    Product *p = (Product *)rt_obj_alloc(&rt_itertools_product, sizeof(Product) + npools * per);
    if (p) {
        p->indices = (size_t *)(p->pools + npools);
        for (size_t i = 0; i < npools; i++) p->pools[i] = rt_newref(RT_TUPLE_GET(tuples, i % nargs));
        p->npools = npools;
    }
    rt_decref(tuples);
    return (RtValue *)p;
}

static void product_dealloc(RtValue *self) {
    Product *p = (Product *)self;
    for (size_t i = 0; i < p->npools; i++) RT_CLEAR(p->pools[i]);
}

static RtValue *product_next(RtValue *self) {
    Product *p = (Product *)self;
    if (p->stopped) return NULL;
    if (!p->started) {
        p->started = true;
        for (size_t i = 0; i < p->npools; i++)
            if (RT_TUPLE_LEN(p->pools[i]) == 0) { p->stopped = true; return NULL; }
    } else {
        size_t i = p->npools;
        while (i-- > 0) {   /* advance right to left, carrying on roll-over */
            if (++p->indices[i] < RT_TUPLE_LEN(p->pools[i])) break;
            p->indices[i] = 0;
        }
        if (i == SIZE_MAX) { p->stopped = true; return NULL; }
    }
    return pick(p->pools, NULL, p->indices, p->npools);
}

ITER_TYPE(rt_itertools_product, "product", Product, product_dealloc, product_next, product_construct);

/* ==== permutations(iterable, r=None) ========================================================= */

typedef struct Perm {
    RtValue  ob;
    RtValue *pool;      /* tuple */
    size_t   n, r;
    bool     started, stopped;
    size_t  *cycles;    /* r entries, after indices */
    size_t   indices[]; /* n entries */
} Perm;

static RtValue *permutations_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    static const char *const names[] = {"iterable", "r"};
    RtValue *a[2];
    if (parse("permutations", args, nargs, kw, names, 2, 1, 0, a) < 0) return NULL;
    RtValue *pool = to_tuple(a[0]);
    if (!pool) return NULL;
    size_t n = RT_TUPLE_LEN(pool);
    int64_t r = (int64_t)n;
    if (a[1] && a[1] != rt_None) {
        if (!rt_is_int(a[1])) { rt_decref(pool); return rt_raise(&rt_exc_TypeError, "Expected int as r"); }
        if (as_ssize(a[1], &r) < 0) { rt_decref(pool); return NULL; }
    }
    if (r < 0) { rt_decref(pool); return rt_raise(&rt_exc_ValueError, "r must be non-negative"); }
    size_t rr = (uint64_t)r > n ? 0 : (size_t)r;   /* r > n yields nothing: no cycles needed */
    Perm *p = (Perm *)rt_obj_alloc(&rt_itertools_permutations, sizeof(Perm) + (n + rr) * sizeof(size_t));
    if (!p) { rt_decref(pool); return NULL; }
    p->pool = pool;
    p->n = n;
    p->r = (size_t)r;
    p->stopped = (uint64_t)r > n;
    p->cycles = p->indices + n;
    for (size_t i = 0; i < n; i++) p->indices[i] = i;
    for (size_t i = 0; i < rr; i++) p->cycles[i] = n - i;
    return &p->ob;
}

static void perm_dealloc(RtValue *self) { RT_CLEAR(((Perm *)self)->pool); }

static RtValue *permutations_next(RtValue *self) {
    Perm *p = (Perm *)self;
    if (p->stopped) return NULL;
    if (!p->started) {
        p->started = true;
        return pick(NULL, p->pool, p->indices, p->r);
    }
    size_t n = p->n, r = p->r, i = r;
    if (n == 0) goto empty;
    while (i-- > 0) {   /* decrement the rightmost cycle, moving left on roll-over */
        if (--p->cycles[i] == 0) {
            size_t first = p->indices[i];   /* indices[i:] = indices[i+1:] + indices[i:i+1] */
            memmove(p->indices + i, p->indices + i + 1, (n - i - 1) * sizeof(size_t));
            p->indices[n - 1] = first;
            p->cycles[i] = n - i;
        } else {
            size_t j = p->cycles[i], tmp = p->indices[i];
            p->indices[i] = p->indices[n - j];
            p->indices[n - j] = tmp;
            return pick(NULL, p->pool, p->indices, r);
        }
    }
empty:
    p->stopped = true;
    return NULL;
}

ITER_TYPE(rt_itertools_permutations, "permutations", Perm, perm_dealloc, permutations_next,
          permutations_construct);

/* ==== combinations(iterable, r), combinations_with_replacement(iterable, r) ================== */

typedef struct Comb {
    RtValue  ob;
    RtValue *pool;
    size_t   n, r;
    bool     started, stopped;
    size_t   indices[];  /* r entries */
} Comb;

static RtValue *comb_new(RtType *t, const char *name, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"iterable", "r"};
    RtValue *a[2];
    int64_t r;
    if (parse(name, args, nargs, kw, names, 2, 2, 0, a) < 0 || as_ssize(a[1], &r) < 0) return NULL;
    RtValue *pool = to_tuple(a[0]);
    if (!pool) return NULL;
    if (r < 0) { rt_decref(pool); return rt_raise(&rt_exc_ValueError, "r must be non-negative"); }
    size_t n = RT_TUPLE_LEN(pool);
    bool repl = t == &rt_itertools_combinations_with_replacement;
    bool stopped = repl ? (n == 0 && r > 0) : (uint64_t)r > n;
    size_t nidx = stopped ? 0 : (size_t)r;
    Comb *c = (Comb *)rt_obj_alloc(t, sizeof(Comb) + nidx * sizeof(size_t));
    if (!c) { rt_decref(pool); return NULL; }
    c->pool = pool;
    c->n = n;
    c->r = (size_t)r;
    c->stopped = stopped;
    for (size_t i = 0; i < nidx; i++) c->indices[i] = repl ? 0 : i;
    return &c->ob;
}

static RtValue *combinations_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    return comb_new(&rt_itertools_combinations, "combinations", args, nargs, kw);
}

static RtValue *cwr_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    return comb_new(&rt_itertools_combinations_with_replacement, "combinations_with_replacement", args, nargs, kw);
}

static void comb_dealloc(RtValue *self) { RT_CLEAR(((Comb *)self)->pool); }

static RtValue *combinations_next(RtValue *self) {
    Comb *c = (Comb *)self;
    if (c->stopped) return NULL;
    if (c->started) {
        size_t n = c->n, r = c->r, i = r;
        /* the rightmost index not at its maximum (i + n - r) */
        while (i-- > 0 && c->indices[i] == i + n - r) {}
        if (i == SIZE_MAX) { c->stopped = true; return NULL; }
        c->indices[i]++;
        for (size_t j = i + 1; j < r; j++) c->indices[j] = c->indices[j - 1] + 1;
    }
    c->started = true;
    return pick(NULL, c->pool, c->indices, c->r);
}

static RtValue *cwr_next(RtValue *self) {
    Comb *c = (Comb *)self;
    if (c->stopped) return NULL;
    if (c->started) {
        size_t n = c->n, r = c->r, i = r;
        while (i-- > 0 && c->indices[i] == n - 1) {}   /* the rightmost index below n - 1 */
        if (i == SIZE_MAX) { c->stopped = true; return NULL; }
        size_t v = c->indices[i] + 1;
        for (size_t j = i; j < r; j++) c->indices[j] = v;
    }
    c->started = true;
    return pick(NULL, c->pool, c->indices, c->r);
}

ITER_TYPE(rt_itertools_combinations, "combinations", Comb, comb_dealloc, combinations_next,
          combinations_construct);
ITER_TYPE(rt_itertools_combinations_with_replacement, "combinations_with_replacement", Comb, comb_dealloc,
          cwr_next, cwr_construct);

/* ==== pairwise(iterable) ====================================================================== */

typedef struct Pairwise { RtValue ob; RtValue *it, *old; } Pairwise;

static RtValue *pairwise_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    if (no_kw("pairwise", kw) < 0 || check_pos("pairwise", nargs, 1, 1) < 0) return NULL;
    RtValue *it = rt_iter(args[0]);
    if (!it) return NULL;
    Pairwise *p = (Pairwise *)rt_obj_alloc(&rt_itertools_pairwise, sizeof(Pairwise));
    if (!p) { rt_decref(it); return NULL; }
    p->it = it;
    return &p->ob;
}

static void pairwise_dealloc(RtValue *self) {
    Pairwise *p = (Pairwise *)self;
    RT_CLEAR(p->it);
    RT_CLEAR(p->old);
}

static RtValue *pairwise_next(RtValue *self) {
    Pairwise *p = (Pairwise *)self;
    if (!p->it) return NULL;
    if (!p->old && !(p->old = rt_iter_next(p->it))) {
        RT_CLEAR(p->it);
        return NULL;
    }
    RtValue *nw = rt_iter_next(p->it);
    if (!nw) {
        RT_CLEAR(p->it);
        RT_CLEAR(p->old);
        return NULL;
    }
    RtValue *r = rt_tuple_pack(2, p->old, nw);
    RT_SETREF(p->old, nw);
    return r;
}

ITER_TYPE(rt_itertools_pairwise, "pairwise", Pairwise, pairwise_dealloc, pairwise_next, pairwise_construct);

/* ==== tee(iterable, n=2) ======================================================================= */

/* Items read from the source, LINKCELLS per link; the links form a chain
 * that the tee iterators walk, each at its own position. */
#define LINKCELLS 57

typedef struct TeeData {
    RtValue  ob;
    RtValue *it;        /* the shared source iterator */
    int      numread;
    bool     running;
    RtValue *next;      /* the following link, or NULL */
    RtValue *values[LINKCELLS];
} TeeData;

typedef struct Tee {
    RtValue  ob;
    RtValue *data;      /* TeeData */
    int      index;
} Tee;

static RtType rt_itertools__tee_dataobject;

static RtValue *teedata_new(RtValue *it) {
    TeeData *d = (TeeData *)rt_obj_alloc(&rt_itertools__tee_dataobject, sizeof(TeeData));
    if (d) d->it = rt_newref(it);
    return (RtValue *)d;
}

/* Releasing a long chain link by link, not by recursion. */
static void teedata_dealloc(RtValue *self) {
    TeeData *d = (TeeData *)self;
    for (int i = 0; i < d->numread; i++) RT_CLEAR(d->values[i]);
    RT_CLEAR(d->it);
    RtValue *n = d->next;
    d->next = NULL;
    while (n && n->rc == 1) {
        TeeData *nd = (TeeData *)n;
        RtValue *after = nd->next;
        nd->next = NULL;
        rt_decref(n);
        n = after;
    }
    rt_xdecref(n);
}

static RtType rt_itertools__tee_dataobject = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "_tee_dataobject",
    .module = "itertools",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(TeeData),
    .table_index = -1,
    .dealloc = teedata_dealloc,
    .hash = ident_hash,
};

/* Item i of the link, reading it from the source when no copy has yet. */
static RtValue *teedata_get(TeeData *d, int i) {
    if (i < d->numread) return rt_newref(d->values[i]);
    if (d->running) return rt_raise(&rt_exc_RuntimeError, "cannot re-enter the tee iterator");
    d->running = true;
    RtValue *v = rt_iter_next(d->it);
    d->running = false;
    if (!v) return NULL;
    d->values[d->numread++] = v;
    return rt_newref(v);
}

static RtValue *tee_new(RtValue *data, int index) {
    Tee *t = (Tee *)rt_obj_alloc(&rt_itertools__tee, sizeof(Tee));
    if (!t) return NULL;
    t->data = rt_newref(data);
    t->index = index;
    return &t->ob;
}

static void tee_dealloc(RtValue *self) { RT_CLEAR(((Tee *)self)->data); }

static RtValue *tee_next(RtValue *self) {
    Tee *t = (Tee *)self;
    if (t->index >= LINKCELLS) {
        TeeData *d = (TeeData *)t->data;
        if (!d->next && !(d->next = teedata_new(d->it))) return NULL;
        RT_SETREF(t->data, rt_newref(d->next));
        t->index = 0;
    }
    RtValue *v = teedata_get((TeeData *)t->data, t->index);
    if (v) t->index++;
    return v;
}

static RtValue *tee_m_copy(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_kw("__copy__", kw) < 0) return NULL;
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "_tee.__copy__() takes no arguments (%zu given)", nargs);
    return tee_new(((Tee *)self)->data, ((Tee *)self)->index);
}

static const RtMethodDef tee_methods[] = {
    {.name = "__copy__", .fn = tee_m_copy},
    {.name = NULL},
};

RtType rt_itertools__tee = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "_tee",
    .module = "itertools",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Tee),
    .table_index = -1,
    .dealloc = tee_dealloc,
    .hash = ident_hash,
    .iter = self_iter,
    .iternext = tee_next,
    .methods = tee_methods,
};

RtValue *rt_itertools_tee(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (no_kw("itertools.tee", kw) < 0 || check_pos("tee", nargs, 1, 2) < 0) return NULL;
    int64_t n = 2;
    if (nargs == 2 && as_ssize(args[1], &n) < 0) return NULL;
    if (n < 0) return rt_raise(&rt_exc_ValueError, "n must be >= 0");
    RtValue *r = rt_tuple_new((size_t)n);
    if (!r || n == 0) return r;
    RtValue *it = rt_iter(args[0]), *first = NULL;
    if (it && it->type == &rt_itertools__tee) {   /* a tee of a tee copies it */
        first = rt_newref(it);
    } else if (it) {
        RtValue *d = teedata_new(it);
        first = d ? tee_new(d, 0) : NULL;
        rt_xdecref(d);
    }
    rt_xdecref(it);
    if (!first) { rt_decref(r); return NULL; }
    RT_TUPLE_SET(r, 0, first);
    for (int64_t i = 1; i < n; i++) {
        RtValue *c = tee_new(((Tee *)first)->data, ((Tee *)first)->index);
        if (!c) { rt_decref(r); return NULL; }
        RT_TUPLE_SET(r, (size_t)i, c);
    }
    return r;
}

/* collections.c: collections.Counter, defaultdict, deque and namedtuple.
 *
 * Counter and defaultdict are dicts: their types carry the RT_T_DICT tag and
 * the RtDict layout, take dict's slots (copied from rt_type_dict when the
 * program starts) and override only what differs: Counter reads a missing
 * key as 0 and prints ordered by count; defaultdict calls default_factory
 * (kept in RtDict.extra) on a missing key. Everything written for dict
 * (rt_dict_*, iteration, views, printing inside containers) works on them.
 *
 * deque is a ring buffer of references that grows by doubling; a maxlen
 * deque drops from the opposite end, as CPython's. namedtuple builds a new
 * type whose instances have tuple layout and whose fields are looked up by
 * name in the type's `_fields`.
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

#define D(o) ((RtDict *)(o))

RtValue *rt_dict_key_error(RtValue *key);

static bool is_counter(const RtValue *o) { return rt_isinstance_t(o, &rt_collections_Counter); }

/* ==== Counter ================================================================= */

/* c[key] with a missing key read as 0 (Counter.__missing__). */
static RtValue *counter_getitem(RtValue *self, RtValue *key) {
    RtValue *v;
    int r = rt_dict_lookup(self, key, &v);
    if (r < 0) return NULL;
    return r ? rt_newref(v) : rt_int(0);
}

/* a + b on counts, fast for small ints. */
static RtValue *add_counts(RtValue *a, RtValue *b, RtBinOp op) {
    if (a->type == &rt_type_int && b->type == &rt_type_int && !((RtInt *)a)->big && !((RtInt *)b)->big) {
        int64_t r, x = ((RtInt *)a)->small, y = ((RtInt *)b)->small;
        if (!(op == RT_ADD ? __builtin_add_overflow(x, y, &r) : __builtin_sub_overflow(x, y, &r))) return rt_int(r);
    }
    return rt_binop(a, b, op);
}

/* self[key] = self.get(key, 0) op delta */
static int counter_bump(RtValue *self, RtValue *key, RtValue *delta, RtBinOp op) {
    RtValue *cur;
    int r = rt_dict_lookup(self, key, &cur);
    if (r < 0) return -1;
    RtValue *zero = rt_int(0);
    RtValue *nv = add_counts(r ? cur : zero, delta, op);
    rt_decref(zero);
    if (!nv) return -1;
    int rc = rt_dict_set(self, key, nv);
    rt_decref(nv);
    return rc;
}

/* Counter.update / subtract with one positional argument. */
static int counter_merge(RtValue *self, RtValue *src, RtBinOp op) {
    if (rt_is_dict_like(src)) {
        if (op == RT_ADD && D(self)->used == 0 && !is_counter(src)) return rt_dict_update(self, src);
        size_t pos = 0;
        RtValue *k, *v;
        while (rt_dict_next(src, &pos, &k, &v)) {
            rt_incref(k);
            rt_incref(v);
            int rc = counter_bump(self, k, v, op);
            rt_decref(k);
            rt_decref(v);
            if (rc < 0) return -1;
        }
        return 0;
    }
    int has_keys = rt_hasattr(src, "keys");
    if (has_keys < 0) return -1;
    if (has_keys) {
        RtValue *tmp = rt_dict_new();
        int rc = tmp ? rt_dict_update(tmp, src) : -1;
        if (rc == 0) rc = counter_merge(self, tmp, op);
        rt_xdecref(tmp);
        return rc;
    }
    RtValue *it = rt_iter(src), *k, *one = rt_int(1);
    if (!it) { rt_decref(one); return -1; }
    while ((k = rt_iter_next(it)) != NULL) {
        int rc = counter_bump(self, k, one, op);
        rt_decref(k);
        if (rc < 0) { rt_decref(it); rt_decref(one); return -1; }
    }
    rt_decref(it);
    rt_decref(one);
    return RT_ERR() ? -1 : 0;
}

static RtValue *counter_update_common(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw,
                                      const char *fname, RtBinOp op) {
    if (nargs > 1)
        return rt_raise_fmt(&rt_exc_TypeError,
                            "Counter.%s() takes from 1 to 2 positional arguments but %zu were given", fname,
                            nargs + 1);
    if (nargs == 1 && args[0] != rt_None && counter_merge(self, args[0], op) < 0) return NULL;
    size_t nkw = kw ? RT_TUPLE_LEN(kw) : 0;
    for (size_t i = 0; i < nkw; i++)
        if (counter_bump(self, RT_TUPLE_GET(kw, i), args[nargs + i], op) < 0) return NULL;
    return rt_None;
}

RtValue *rt_counter_m_update(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return counter_update_common(self, args, nargs, kw, "update", RT_ADD);
}

RtValue *rt_counter_m_subtract(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return counter_update_common(self, args, nargs, kw, "subtract", RT_SUB);
}

/* The items of c as a list of (count, (key, count)) pairs, in insertion order. */
static RtValue *sorted_items(RtValue *self) {
    RtValue *pairs = rt_list_new(rt_dict_len(self)), *k, *v;
    size_t pos = 0;
    while (pairs && rt_dict_next(self, &pos, &k, &v)) {
        RtValue *item = rt_tuple_pack(2, k, v);
        RtValue *t = item ? rt_tuple_pack(2, v, item) : NULL;
        rt_xdecref(item);
        if (!t || rt_list_append_steal(pairs, t) < 0) RT_CLEAR(pairs);
    }
    return pairs;
}

/* Sorts pairs (count, item) by count descending, stably; returns the items. */
static RtValue *by_count(RtValue *self) {
    RtValue *pairs = sorted_items(self);
    if (!pairs) return NULL;
    RtList *l = (RtList *)pairs;
    /* insertion-merge: a stable merge sort on counts through rt_compare_bool */
    size_t n = l->len;
    RtValue **tmp = rt_malloc((n ? n : 1) * sizeof(RtValue *));
    if (!tmp) { rt_decref(pairs); return NULL; }
    int err = 0;
    for (size_t width = 1; width < n && !err; width *= 2) {
        for (size_t lo = 0; lo < n && !err; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                /* take the right one only if its count is strictly greater */
                int gt = rt_compare_bool(RT_TUPLE_GET(l->items[j], 0), RT_TUPLE_GET(l->items[i], 0), RT_GT);
                if (gt < 0) { err = 1; break; }
                tmp[k++] = gt ? l->items[j++] : l->items[i++];
            }
            while (i < mid) tmp[k++] = l->items[i++];
            while (j < hi) tmp[k++] = l->items[j++];
            if (!err) memcpy(l->items + lo, tmp + lo, (hi - lo) * sizeof(RtValue *));
        }
    }
    rt_free(tmp);
    if (err) { rt_decref(pairs); return NULL; }
    for (size_t i = 0; i < n; i++) {             /* keep the (key, count) items */
        RtValue *item = rt_newref(RT_TUPLE_GET(l->items[i], 1));
        RT_SETREF(l->items[i], item);
    }
    return pairs;
}

RtValue *rt_counter_m_most_common(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"n"};
    RtValue *a[1];
    if (rt_parse_args("most_common", args, nargs, kw, names, 1, 0, 0, 0, a) < 0) return NULL;
    if (a[0] && a[0] != rt_None) {            /* heapq.nlargest first compares n >= len */
        RtValue *size = rt_int((int64_t)rt_dict_len(self));
        int ge = rt_compare_bool(a[0], size, RT_GE);
        rt_decref(size);
        if (ge < 0) return NULL;
    }
    RtValue *items = by_count(self);
    if (!items || !a[0] || a[0] == rt_None) return items;
    int64_t n;
    if (rt_index_as_i64(a[0], &n) < 0) { rt_decref(items); return NULL; }
    size_t len = RT_LIST_LEN(items);
    size_t keep = n < 0 ? 0 : (size_t)n < len ? (size_t)n : len;
    RtValue *r = rt_list_slice(items, 0, keep);
    rt_decref(items);
    return r;
}

RtValue *rt_counter_m_elements(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_no_kwargs("elements", kw) < 0) return NULL;
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "elements() takes no arguments (%zu given)", nargs);
    RtValue *out = rt_list_new(0), *k, *v;
    size_t pos = 0;
    if (!out) return NULL;
    while (rt_dict_next(self, &pos, &k, &v)) {
        int64_t c;
        if (!rt_is_int(v) || rt_int_as_i64(v, &c) < 0) {
            if (RT_ERR()) { rt_decref(out); return NULL; }
            continue;
        }
        for (int64_t i = 0; i < c; i++)
            if (rt_list_append(out, k) < 0) { rt_decref(out); return NULL; }
    }
    RtValue *it = rt_iter(out);
    rt_decref(out);
    return it;
}

RtValue *rt_counter_m_total(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_no_kwargs("total", kw) < 0) return NULL;
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "total() takes no arguments (%zu given)", nargs);
    RtValue *vals = rt_dict_values(self);
    if (!vals) return NULL;
    RtValue *r = rt_bi_sum(NULL, &vals, 1, NULL);
    rt_decref(vals);
    return r;
}

static RtValue *counter_new(void) {
    return rt_obj_alloc(&rt_collections_Counter, sizeof(RtDict));
}

/* Counter(iterable_or_mapping=None, /, **kwds) */
static RtValue *counter_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *c = rt_obj_alloc(type, type->size);
    if (!c) return NULL;
    RtValue *r = counter_update_common(c, args, nargs, kw, "__init__", RT_ADD);
    if (!r) { rt_decref(c); return NULL; }
    return c;
}

static RtValue *counter_repr(RtValue *self) {
    if (D(self)->used == 0) return rt_str_from_cstr("Counter()");
    int e = rt_repr_enter(self);
    if (e != 0) return e < 0 ? NULL : rt_str_from_cstr("...");
    RtValue *items = by_count(self), *res = NULL;
    if (!items && rt_exc_matches((RtValue *)&rt_exc_TypeError) == 1) {   /* unorderable counts */
        rt_decref(rt_exc_fetch());
        RtValue *it = rt_dict_items(self);
        items = it ? rt_list_from_iter(it) : NULL;
        rt_xdecref(it);
    }
    RtValue *d = items ? rt_dict_new() : NULL;
    if (d && rt_dict_update(d, items) == 0) {
        RtStrBuf b;
        rt_strbuf_init(&b);
        rt_strbuf_put_ascii(&b, "Counter(", 8);
        if (rt_strbuf_put_repr(&b, d) == 0) {
            rt_strbuf_putc(&b, ')');
            res = rt_strbuf_finish(&b);
        } else {
            rt_strbuf_free(&b);
        }
    }
    rt_xdecref(d);
    rt_xdecref(items);
    rt_repr_leave(self);
    return res;
}

/* Keeps the entries of `src` whose count satisfies sign (>0), adding them to dst. */
static int keep_positive(RtValue *dst, RtValue *key, RtValue *count, bool negate) {
    RtValue *zero = rt_int(0);
    int pos = rt_compare_bool(count, zero, negate ? RT_LT : RT_GT);
    rt_decref(zero);
    if (pos <= 0) return pos;
    if (!negate) return rt_dict_set(dst, key, count);
    RtValue *z = rt_int(0), *neg = rt_binop(z, count, RT_SUB);
    rt_decref(z);
    if (!neg) return -1;
    int rc = rt_dict_set(dst, key, neg);
    rt_decref(neg);
    return rc;
}

/* Counter + - | & Counter, as collections.Counter's operators. */
static RtValue *counter_combine(RtValue *a, RtValue *b, RtBinOp op) {
    RtValue *result = counter_new();
    if (!result) return NULL;
    size_t pos = 0;
    RtValue *k, *v;
    while (rt_dict_next(a, &pos, &k, &v)) {
        rt_incref(k);
        rt_incref(v);
        RtValue *other = counter_getitem(b, k), *nv = NULL;
        if (other) {
            if (op == RT_ADD || op == RT_SUB) {
                nv = add_counts(v, other, op);
            } else {
                int lt = rt_compare_bool(v, other, RT_LT);
                nv = lt < 0 ? NULL : rt_newref(op == RT_OR ? (lt ? other : v) : (lt ? v : other));
            }
        }
        int rc = nv ? keep_positive(result, k, nv, false) : -1;
        rt_xdecref(nv);
        rt_xdecref(other);
        rt_decref(k);
        rt_decref(v);
        if (rc < 0) { rt_decref(result); return NULL; }
    }
    if (op == RT_AND) return result;
    pos = 0;
    while (rt_dict_next(b, &pos, &k, &v)) {
        RtValue *dummy;
        int in = rt_dict_lookup(a, k, &dummy);
        if (in < 0) { rt_decref(result); return NULL; }
        if (in) continue;
        rt_incref(k);
        rt_incref(v);
        int rc = keep_positive(result, k, v, op == RT_SUB);
        rt_decref(k);
        rt_decref(v);
        if (rc < 0) { rt_decref(result); return NULL; }
    }
    return result;
}

/* Deletes the entries whose count is not > 0 (Counter._keep_positive). */
static int keep_positive_inplace(RtValue *self) {
    RtValue *dead = rt_list_new(0), *k, *v, *zero = rt_int(0);
    size_t pos = 0;
    int rc = dead ? 0 : -1;
    while (rc == 0 && rt_dict_next(self, &pos, &k, &v)) {
        int pos_count = rt_compare_bool(v, zero, RT_GT);
        if (pos_count < 0) rc = -1;
        else if (!pos_count) rc = rt_list_append(dead, k);
    }
    for (size_t i = 0; rc == 0 && i < RT_LIST_LEN(dead); i++) rc = rt_dict_del(self, RT_LIST_GET(dead, i));
    rt_xdecref(dead);
    rt_decref(zero);
    return rc;
}

/* One step of |= (raise a[k] to v when larger) or &= (lower a[k] to
 * other[k] when smaller), as Counter.__ior__ / __iand__. */
static int counter_minmax_step(RtValue *a, RtValue *b, RtValue *k, RtValue *v, RtBinOp op) {
    RtValue *x = op == RT_OR ? counter_getitem(a, k) : rt_getitem(b, k);   /* dict other: KeyError */
    if (!x) return -1;
    int take = op == RT_OR ? rt_compare_bool(v, x, RT_GT) : rt_compare_bool(x, v, RT_LT);
    int rc = take < 0 ? -1 : take ? rt_dict_set(a, k, op == RT_OR ? v : x) : 0;
    rt_decref(x);
    return rc;
}

/* c += d, c -= d, c |= d, c &= d: in place, as Counter.__iadd__ & co. */
static RtValue *counter_inplace(RtValue *a, RtValue *b, RtBinOp op) {
    if (!rt_is_dict_like(b) || (op != RT_ADD && op != RT_SUB && op != RT_OR && op != RT_AND))
        return rt_type_dict.inplace(a, b, op);
    RtValue *src = op == RT_AND ? rt_dict_copy(a) : rt_newref(b), *k, *v;   /* &= walks self */
    if (!src) return NULL;
    size_t pos = 0;
    int rc = 0;
    while (rc == 0 && rt_dict_next(src, &pos, &k, &v)) {
        rt_incref(k);
        rt_incref(v);
        rc = op == RT_ADD || op == RT_SUB ? counter_bump(a, k, v, op) : counter_minmax_step(a, b, k, v, op);
        rt_decref(k);
        rt_decref(v);
    }
    rt_decref(src);
    if (rc < 0 || keep_positive_inplace(a) < 0) return NULL;
    return rt_newref(a);
}

static RtValue *counter_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (is_counter(a) && is_counter(b) && (op == RT_ADD || op == RT_SUB || op == RT_OR || op == RT_AND))
        return counter_combine(a, b, op);
    return rt_type_dict.binop ? rt_type_dict.binop(a, b, op) : rt_NotImplemented;
}

/* +c and -c: the positive counts, or the negated negative ones. */
static RtValue *counter_unary(RtValue *a, RtUnaryOp op) {
    if (op != RT_POS && op != RT_NEG) return rt_NotImplemented;
    RtValue *result = counter_new();
    if (!result) return NULL;
    size_t pos = 0;
    RtValue *k, *v;
    while (rt_dict_next(a, &pos, &k, &v)) {
        rt_incref(k);
        rt_incref(v);
        int rc = keep_positive(result, k, v, op == RT_NEG);
        rt_decref(k);
        rt_decref(v);
        if (rc < 0) { rt_decref(result); return NULL; }
    }
    return result;
}

/* all(a[e] OP b[e] for c in (a, b) for e in c): 1, 0 or -1. */
static int counter_all(RtValue *a, RtValue *b, RtCmpOp op) {
    RtValue *pair[2] = {a, b};
    for (int s = 0; s < 2; s++) {
        size_t pos = 0;
        RtValue *k, *v;
        while (rt_dict_next(pair[s], &pos, &k, &v)) {
            rt_incref(k);
            RtValue *x = counter_getitem(a, k), *y = x ? counter_getitem(b, k) : NULL;
            int t = y ? rt_compare_bool(x, y, op) : -1;
            rt_xdecref(x);
            rt_xdecref(y);
            rt_decref(k);
            if (t <= 0) return t;
        }
    }
    return 1;
}

/* Counters compare as multisets, missing counts being 0 (Python 3.10+):
 * == and != count by count, <= and >= inclusion, < and > inclusion and !=. */
static RtValue *counter_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (!is_counter(a) || !is_counter(b)) return rt_type_dict.richcompare(a, b, op);
    int r;
    switch (op) {
    case RT_EQ: case RT_NE:
        r = counter_all(a, b, RT_EQ);
        if (r < 0) return NULL;
        return rt_bool(op == RT_EQ ? r : !r);
    case RT_LE: case RT_GE:
        r = counter_all(a, b, op);
        return r < 0 ? NULL : rt_bool(r);
    default:   /* RT_LT, RT_GT */
        r = counter_all(a, b, op == RT_LT ? RT_LE : RT_GE);
        if (r > 0) {
            int eq = counter_all(a, b, RT_EQ);
            r = eq < 0 ? -1 : !eq;
        }
        return r < 0 ? NULL : rt_bool(r);
    }
}

#define DICT_METHODS                              \
    {"get", rt_dict_m_get},                       \
    {"setdefault", rt_dict_m_setdefault},         \
    {"pop", rt_dict_m_pop},                       \
    {"popitem", rt_dict_m_popitem},               \
    {"keys", rt_dict_m_keys},                     \
    {"values", rt_dict_m_values},                 \
    {"items", rt_dict_m_items},                   \
    {"copy", rt_dict_m_copy},                     \
    {"clear", rt_dict_m_clear}

static const RtMethodDef counter_methods[] = {
    DICT_METHODS,
    {"update", rt_counter_m_update},
    {"subtract", rt_counter_m_subtract},
    {"most_common", rt_counter_m_most_common},
    {"elements", rt_counter_m_elements},
    {"total", rt_counter_m_total},
    {NULL, NULL},
};

RtType rt_collections_Counter = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Counter",
    .module = "collections",
    .tag = RT_T_DICT,
    .base = &rt_type_dict,
    .size = sizeof(RtDict),
    .table_index = -1,
    .repr = counter_repr,
    .richcompare = counter_richcompare,
    .binop = counter_binop,
    .inplace = counter_inplace,
    .unary = counter_unary,
    .getitem = counter_getitem,
    .construct = counter_construct,
    .methods = counter_methods,
};

/* ==== defaultdict ============================================================= */

static RtValue *defaultdict_getitem(RtValue *self, RtValue *key) {
    RtValue *v;
    int r = rt_dict_lookup(self, key, &v);
    if (r < 0) return NULL;
    if (r) return rt_newref(v);
    RtValue *factory = D(self)->extra;
    if (!factory || factory == rt_None) return rt_dict_key_error(key);   /* __missing__ */
    v = rt_call(factory, NULL, 0, NULL);
    if (!v) return NULL;
    if (rt_dict_set(self, key, v) < 0) { rt_decref(v); return NULL; }
    return v;
}

/* defaultdict(default_factory=None, /, [...]) */
static RtValue *defaultdict_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *factory = nargs ? args[0] : rt_None;
    if (factory != rt_None && !factory->type->call && factory->type != &rt_type_type &&
        factory->type->tag != RT_T_FUNC && factory->type->tag != RT_T_BUILTIN &&
        factory->type->tag != RT_T_METHOD)
        return rt_raise(&rt_exc_TypeError, "first argument must be callable or None");
    RtValue *d = rt_type_dict.construct(type, args + (nargs ? 1 : 0), nargs ? nargs - 1 : 0, kw);
    if (!d) return NULL;
    D(d)->extra = rt_newref(factory);
    return d;
}

static RtValue *defaultdict_repr(RtValue *self) {
    RtValue *factory = D(self)->extra ? D(self)->extra : rt_None;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_ascii(&b, "defaultdict(", 12);
    int e = rt_repr_enter(factory);
    int rc = e < 0 ? -1 : e == 1 ? rt_strbuf_put_ascii(&b, "...", 3) : rt_strbuf_put_repr(&b, factory);
    if (e == 0) rt_repr_leave(factory);
    if (rc == 0) rt_strbuf_put_ascii(&b, ", ", 2);
    if (rc == 0) {
        int r = rt_repr_enter(self);
        rc = r < 0 ? -1 : r == 1 ? rt_strbuf_put_ascii(&b, "{...}", 5) : rt_dict_repr_body(&b, self);
        if (r == 0) rt_repr_leave(self);
    }
    if (rc < 0) { rt_strbuf_free(&b); return NULL; }
    rt_strbuf_putc(&b, ')');
    return rt_strbuf_finish(&b);
}

static RtValue *dd_get_factory(RtValue *self) { return rt_newref(D(self)->extra ? D(self)->extra : rt_None); }
static int dd_set_factory(RtValue *self, RtValue *v) {
    RT_SETREF(D(self)->extra, rt_newref(v ? v : rt_None));
    return 0;
}

static const RtGetSetDef defaultdict_getset[] = {
    {"default_factory", dd_get_factory, dd_set_factory},
    {NULL, NULL, NULL},
};

static const RtMethodDef defaultdict_methods[] = {
    DICT_METHODS,
    {"update", rt_dict_m_update},
    {NULL, NULL},
};

RtType rt_collections_defaultdict = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "defaultdict",
    .module = "collections",
    .tag = RT_T_DICT,
    .base = &rt_type_dict,
    .size = sizeof(RtDict),
    .table_index = -1,
    .repr = defaultdict_repr,
    .getitem = defaultdict_getitem,
    .construct = defaultdict_construct,
    .methods = defaultdict_methods,
    .getset = defaultdict_getset,
};

/* ==== OrderedDict ================================================================
 * A dict (ours keep insertion order already) with the order-aware extras:
 * move_to_end, popitem(last=False), order-sensitive == between two
 * OrderedDicts, and 3.11's repr "OrderedDict([('a', 1)])". */

static RtValue *od_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (nargs > 1) return rt_raise_fmt(&rt_exc_TypeError, "expected at most 1 arguments, got %zu", nargs);
    return rt_type_dict.construct(type, args, nargs, kw);
}

static RtValue *od_repr(RtValue *self) {
    if (!rt_dict_len(self)) return rt_str_from_cstr("OrderedDict()");
    int e = rt_repr_enter(self);
    if (e < 0) return NULL;
    if (e == 1) return rt_str_from_cstr("...");
    RtValue *items = rt_list_new(rt_dict_len(self));
    size_t pos = 0;
    RtValue *k, *v;
    while (items && rt_dict_next(self, &pos, &k, &v)) {
        RtValue *t = rt_tuple_pack(2, k, v);
        if (!t || rt_list_append(items, t) < 0) RT_CLEAR(items);
        rt_xdecref(t);
    }
    RtValue *body = items ? rt_repr(items) : NULL;
    rt_repr_leave(self);
    rt_xdecref(items);
    if (!body) return NULL;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_ascii(&b, "OrderedDict(", 12);
    rt_strbuf_put_str(&b, body);
    rt_strbuf_putc(&b, ')');
    rt_decref(body);
    return rt_strbuf_finish(&b);
}

/* Between two OrderedDicts == also compares the order; with a plain dict it does not. */
static RtValue *od_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if ((op != RT_EQ && op != RT_NE) || a->type != &rt_collections_OrderedDict ||
        b->type != &rt_collections_OrderedDict)
        return rt_type_dict.richcompare(a, b, op);
    if (rt_dict_len(a) != rt_dict_len(b)) return rt_newref(rt_bool(op == RT_NE));
    size_t pa = 0, pb = 0;
    RtValue *ka, *va, *kb, *vb;
    while (rt_dict_next(a, &pa, &ka, &va) && rt_dict_next(b, &pb, &kb, &vb)) {
        int eq = rt_eq(ka, kb);
        if (eq > 0) eq = rt_eq(va, vb);
        if (eq < 0) return NULL;
        if (!eq) return rt_newref(rt_bool(op == RT_NE));
    }
    return rt_newref(rt_bool(op == RT_EQ));
}

static int last_arg(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw, size_t npos, bool *last) {
    static const char *const allowed[] = {"last", NULL};
    if (rt_check_kwargs(fname, kw, allowed) < 0) return -1;
    RtValue *v = nargs > npos ? args[npos] : rt_kwarg(args, nargs, kw, "last");
    if (nargs > npos + 1) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes at most %zu arguments (%zu given)", fname, npos + 1, nargs);
        return -1;
    }
    int t = v ? rt_truthy(v) : 1;
    if (t < 0) return -1;
    *last = t;
    return 0;
}

/* move_to_end(key, last=True) */
static RtValue *od_m_move_to_end(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (nargs < 1) return rt_raise(&rt_exc_TypeError, "move_to_end() missing required argument 'key' (pos 1)");
    bool last;
    if (last_arg("move_to_end", args, nargs, kw, 1, &last) < 0) return NULL;
    RtValue *key = args[0], *v = rt_dict_getitem(self, key);
    if (!v) return NULL;
    int rc = rt_dict_del(self, key);
    if (rc == 0 && last) rc = rt_dict_set(self, key, v);
    if (rc == 0 && !last) {   /* to the front: the key, then the others again */
        RtValue *rest = rt_dict_copy(self);
        rt_dict_clear(self);
        rc = rest ? rt_dict_set(self, key, v) : -1;
        if (rc == 0) rc = rt_dict_update(self, rest);
        rt_xdecref(rest);
    }
    rt_decref(v);
    return rc < 0 ? NULL : rt_newref(rt_None);
}

/* popitem(last=True) */
static RtValue *od_m_popitem(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    bool last;
    if (last_arg("popitem", args, nargs, kw, 0, &last) < 0) return NULL;
    if (!rt_dict_len(self)) return rt_raise(&rt_exc_KeyError, "dictionary is empty");
    if (last) return rt_dict_m_popitem(self, NULL, 0, NULL);
    size_t pos = 0;
    RtValue *k, *v;
    rt_dict_next(self, &pos, &k, &v);
    RtValue *pair = rt_tuple_pack(2, k, v);
    if (!pair) return NULL;
    if (rt_dict_del(self, k) < 0) { rt_decref(pair); return NULL; }
    return pair;
}

static const RtMethodDef od_methods[] = {
    {"popitem", od_m_popitem},   /* before DICT_METHODS' popitem: the first match wins */
    {"move_to_end", od_m_move_to_end},
    {"update", rt_dict_m_update},
    DICT_METHODS,
    {NULL, NULL},
};

RtType rt_collections_OrderedDict = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "OrderedDict",
    .module = "collections",
    .tag = RT_T_DICT,
    .base = &rt_type_dict,
    .size = sizeof(RtDict),
    .table_index = -1,
    .repr = od_repr,
    .richcompare = od_richcompare,
    .construct = od_construct,
    .methods = od_methods,
};

/* The dict slots Counter, defaultdict and OrderedDict do not override. */
__attribute__((constructor)) static void dict_subtypes_init(void) {
    RtType *types[] = {&rt_collections_Counter, &rt_collections_defaultdict, &rt_collections_OrderedDict};
    for (int i = 0; i < 3; i++) {
        RtType *t = types[i];
        t->dealloc = rt_type_dict.dealloc;
        if (!t->richcompare) t->richcompare = rt_type_dict.richcompare;
        if (!t->binop) t->binop = rt_type_dict.binop;
        if (!t->inplace) t->inplace = rt_type_dict.inplace;
        t->truthy = rt_type_dict.truthy;
        t->len = rt_type_dict.len;
        t->setitem = rt_type_dict.setitem;
        t->contains = rt_type_dict.contains;
        t->iter = rt_type_dict.iter;
    }
}

/* ==== deque ======================================================================= */

typedef struct Deque {
    RtValue   ob;
    RtValue **buf;      /* ring of cap slots */
    size_t    cap, head, len;
    int64_t   maxlen;   /* -1: unbounded */
    uint64_t  state;    /* bumped by every mutation (iterator checks) */
} Deque;

#define DQ(o) ((Deque *)(o))
#define DQ_AT(d, i) ((d)->buf[((d)->head + (i)) % (d)->cap])

static int dq_grow(Deque *d) {
    if (d->len < d->cap) return 0;
    size_t cap = d->cap ? d->cap * 2 : 8;
    RtValue **nb = rt_malloc(cap * sizeof(RtValue *));
    if (!nb) return -1;
    for (size_t i = 0; i < d->len; i++) nb[i] = DQ_AT(d, i);
    rt_free(d->buf);
    d->buf = nb;
    d->cap = cap;
    d->head = 0;
    return 0;
}

static RtValue *dq_popleft(Deque *d) {
    RtValue *v = d->buf[d->head];
    d->head = (d->head + 1) % d->cap;
    d->len--;
    d->state++;
    return v;
}

static RtValue *dq_pop(Deque *d) {
    RtValue *v = DQ_AT(d, d->len - 1);
    d->len--;
    d->state++;
    return v;
}

/* Appends (steals v), dropping from the left when at maxlen. */
static int dq_append(Deque *d, RtValue *v) {
    if (d->maxlen == 0) { rt_decref(v); return 0; }
    if (d->maxlen > 0 && (int64_t)d->len >= d->maxlen) rt_release(dq_popleft(d));
    if (dq_grow(d) < 0) { rt_decref(v); return -1; }
    d->buf[(d->head + d->len) % d->cap] = v;
    d->len++;
    d->state++;
    return 0;
}

static int dq_appendleft(Deque *d, RtValue *v) {
    if (d->maxlen == 0) { rt_decref(v); return 0; }
    if (d->maxlen > 0 && (int64_t)d->len >= d->maxlen) rt_release(dq_pop(d));
    if (dq_grow(d) < 0) { rt_decref(v); return -1; }
    d->head = (d->head + d->cap - 1) % d->cap;
    d->buf[d->head] = v;
    d->len++;
    d->state++;
    return 0;
}

static void dq_clear(Deque *d) {
    RtValue **buf = d->buf;
    size_t cap = d->cap, head = d->head, len = d->len;
    d->buf = NULL;
    d->cap = d->head = d->len = 0;
    d->state++;
    for (size_t i = 0; i < len; i++) rt_release(buf[(head + i) % cap]);
    rt_free(buf);
}

static void deque_dealloc(RtValue *self) { dq_clear(DQ(self)); }

/* Extends on the right (or left), iterating a snapshot if src is self. */
static int dq_extend(Deque *d, RtValue *src, bool left) {
    RtValue *snap = (RtValue *)d == src ? rt_list_from_iter(src) : NULL;
    if ((RtValue *)d == src && !snap) return -1;
    RtValue *it = rt_iter(snap ? snap : src), *v;
    rt_xdecref(snap);
    if (!it) return -1;
    while ((v = rt_iter_next(it)) != NULL) {
        if ((left ? dq_appendleft(d, v) : dq_append(d, v)) < 0) { rt_decref(it); return -1; }
    }
    rt_decref(it);
    return RT_ERR() ? -1 : 0;
}

/* deque(iterable=(), maxlen=None) */
static RtValue *deque_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"iterable", "maxlen"};
    RtValue *a[2];
    if (rt_parse_args("deque", args, nargs, kw, names, 2, 0, 0, 0, a) < 0) return NULL;
    int64_t maxlen = -1;
    if (a[1] && a[1] != rt_None) {
        if (!rt_is_int(a[1])) return rt_raise(&rt_exc_TypeError, "an integer is required");
        if (rt_int_as_i64(a[1], &maxlen) < 0) return NULL;
        if (maxlen < 0) return rt_raise(&rt_exc_ValueError, "maxlen must be non-negative");
    }
    Deque *d = (Deque *)rt_obj_alloc(type, sizeof(Deque));
    if (!d) return NULL;
    d->maxlen = maxlen;
    if (a[0] && dq_extend(d, a[0], false) < 0) { rt_decref((RtValue *)d); return NULL; }
    return (RtValue *)d;
}

static int one_arg(const char *fname, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs == 1) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly one argument (%zu given)", fname, nargs);
    return -1;
}

static int no_arg(const char *fname, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs == 0) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", fname, nargs);
    return -1;
}

RtValue *rt_deque_m_append(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("deque.append", nargs, kw) < 0) return NULL;
    return dq_append(DQ(self), rt_newref(args[0])) < 0 ? NULL : rt_None;
}

RtValue *rt_deque_m_appendleft(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("deque.appendleft", nargs, kw) < 0) return NULL;
    return dq_appendleft(DQ(self), rt_newref(args[0])) < 0 ? NULL : rt_None;
}

RtValue *rt_deque_m_pop(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("deque.pop", nargs, kw) < 0) return NULL;
    if (DQ(self)->len == 0) return rt_raise(&rt_exc_IndexError, "pop from an empty deque");
    return dq_pop(DQ(self));
}

RtValue *rt_deque_m_popleft(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("deque.popleft", nargs, kw) < 0) return NULL;
    if (DQ(self)->len == 0) return rt_raise(&rt_exc_IndexError, "pop from an empty deque");
    return dq_popleft(DQ(self));
}

RtValue *rt_deque_m_extend(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("deque.extend", nargs, kw) < 0) return NULL;
    return dq_extend(DQ(self), args[0], false) < 0 ? NULL : rt_None;
}

RtValue *rt_deque_m_extendleft(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("deque.extendleft", nargs, kw) < 0) return NULL;
    return dq_extend(DQ(self), args[0], true) < 0 ? NULL : rt_None;
}

RtValue *rt_deque_m_rotate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("rotate", kw) < 0) return NULL;
    if (nargs > 1) return rt_raise_fmt(&rt_exc_TypeError, "rotate expected at most 1 argument, got %zu", nargs);
    int64_t n = 1;
    if (nargs && rt_index_as_i64(args[0], &n) < 0) return NULL;
    Deque *d = DQ(self);
    if (d->len <= 1) return rt_None;
    int64_t len = (int64_t)d->len;
    n %= len;
    if (n < 0) n += len;
    if (n == 0) return rt_None;
    if (d->len < d->cap) {                    /* move items one by one across the gap */
        for (int64_t i = 0; i < n; i++) {
            size_t last = (d->head + d->len - 1) % d->cap;
            d->head = (d->head + d->cap - 1) % d->cap;
            d->buf[d->head] = d->buf[last];
        }
    } else {
        d->head = (d->head + d->cap - (size_t)n) % d->cap;   /* full ring: just move the head */
    }
    d->state++;
    return rt_None;
}

RtValue *rt_deque_m_clear(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("deque.clear", nargs, kw) < 0) return NULL;
    dq_clear(DQ(self));
    return rt_None;
}

static RtValue *dq_copy(RtValue *self) {
    Deque *d = DQ(self);
    Deque *r = (Deque *)rt_obj_alloc(self->type, sizeof(Deque));
    if (!r) return NULL;
    r->maxlen = d->maxlen;
    for (size_t i = 0; i < d->len; i++)
        if (dq_append(r, rt_newref(DQ_AT(d, i))) < 0) { rt_decref((RtValue *)r); return NULL; }
    return (RtValue *)r;
}

RtValue *rt_deque_m_copy(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("deque.copy", nargs, kw) < 0) return NULL;
    return dq_copy(self);
}

/* Index of x in d[start:stop], -1 absent, -2 error or mutation. */
static int64_t dq_find(Deque *d, RtValue *x, size_t start, size_t stop) {
    uint64_t state = d->state;
    for (size_t i = start; i < stop && i < d->len; i++) {
        RtValue *item = rt_newref(DQ_AT(d, i));
        int eq = rt_eq(item, x);
        rt_decref(item);
        if (eq < 0) return -2;
        if (d->state != state) { rt_raise(&rt_exc_RuntimeError, "deque mutated during iteration"); return -2; }
        if (eq) return (int64_t)i;
    }
    return -1;
}

RtValue *rt_deque_m_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("deque.count", nargs, kw) < 0) return NULL;
    Deque *d = DQ(self);
    int64_t n = 0;
    for (size_t i = 0; i < d->len; i++) {
        int eq = rt_eq(DQ_AT(d, i), args[0]);
        if (eq < 0) return NULL;
        n += eq;
    }
    return rt_int(n);
}

RtValue *rt_deque_m_index(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("index", kw) < 0) return NULL;
    if (nargs < 1 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, "index expected at least 1 argument, got %zu", nargs);
    Deque *d = DQ(self);
    int64_t len = (int64_t)d->len, start = 0, stop = len;
    if (nargs > 1 && rt_slice_index_arg(args[1], &start) < 0) return NULL;
    if (nargs > 2 && rt_slice_index_arg(args[2], &stop) < 0) return NULL;
    if (start < 0) { start += len; if (start < 0) start = 0; }
    if (stop < 0) { stop += len; if (stop < 0) stop = 0; }
    if (stop > len) stop = len;
    if (start > stop) start = stop;
    int64_t i = dq_find(d, args[0], (size_t)start, (size_t)stop);
    if (i == -2) return NULL;
    if (i < 0) return rt_raise_fmt(&rt_exc_ValueError, "%R is not in deque", args[0]);
    return rt_int(i);
}

/* Deletes item i (0 <= i < len). */
static void dq_del(Deque *d, size_t i) {
    RtValue *v = DQ_AT(d, i);
    for (size_t k = i; k + 1 < d->len; k++) DQ_AT(d, k) = DQ_AT(d, k + 1);
    d->len--;
    d->state++;
    rt_release(v);
}

RtValue *rt_deque_m_remove(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("deque.remove", nargs, kw) < 0) return NULL;
    int64_t i = dq_find(DQ(self), args[0], 0, DQ(self)->len);
    if (i == -2) return NULL;
    if (i < 0) return rt_raise_fmt(&rt_exc_ValueError, "%R is not in deque", args[0]);
    dq_del(DQ(self), (size_t)i);
    return rt_None;
}

RtValue *rt_deque_m_reverse(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("deque.reverse", nargs, kw) < 0) return NULL;
    Deque *d = DQ(self);
    for (size_t i = 0, j = d->len; i + 1 < j; i++, j--) {
        RtValue *t = DQ_AT(d, i); DQ_AT(d, i) = DQ_AT(d, j - 1); DQ_AT(d, j - 1) = t;
    }
    d->state++;
    return rt_None;
}

RtValue *rt_deque_m_insert(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("insert", kw) < 0) return NULL;
    if (nargs != 2) return rt_raise_fmt(&rt_exc_TypeError, "insert expected 2 arguments, got %zu", nargs);
    Deque *d = DQ(self);
    int64_t i;
    if (rt_index_as_i64(args[0], &i) < 0) return NULL;
    if (d->maxlen >= 0 && (int64_t)d->len >= d->maxlen)
        return rt_raise(&rt_exc_IndexError, "deque already at its maximum size");
    int64_t len = (int64_t)d->len;
    if (i < 0) { i += len; if (i < 0) i = 0; }
    if (i > len) i = len;
    if (dq_append(d, rt_newref(args[1])) < 0) return NULL;
    for (int64_t k = len; k > i; k--) {       /* bubble the new item into place */
        RtValue *t = DQ_AT(d, k); DQ_AT(d, k) = DQ_AT(d, k - 1); DQ_AT(d, k - 1) = t;
    }
    return rt_None;
}

static RtValue *deque_iter_new(RtValue *self, bool reverse);

RtValue *rt_deque_m___reversed__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("__reversed__", nargs, kw) < 0) return NULL;
    return deque_iter_new(self, true);
}

static RtValue *dq_get_maxlen(RtValue *self) {
    return DQ(self)->maxlen < 0 ? rt_None : rt_int(DQ(self)->maxlen);
}

static int64_t deque_len(RtValue *self) { return (int64_t)DQ(self)->len; }
static int deque_truthy(RtValue *self) { return DQ(self)->len != 0; }

static int dq_index(Deque *d, RtValue *key, size_t *out) {
    int64_t i;
    if (!rt_is_int(key)) {
        rt_raise_fmt(&rt_exc_TypeError, "sequence index must be integer, not '%s'", rt_type_name(key));
        return -1;
    }
    if (rt_int_as_i64(key, &i) < 0) return -1;
    if (i < 0) i += (int64_t)d->len;
    if (i < 0 || (uint64_t)i >= d->len) { rt_raise(&rt_exc_IndexError, "deque index out of range"); return -1; }
    *out = (size_t)i;
    return 0;
}

static RtValue *deque_getitem(RtValue *self, RtValue *key) {
    size_t i;
    if (dq_index(DQ(self), key, &i) < 0) return NULL;
    return rt_newref(DQ_AT(DQ(self), i));
}

static int deque_setitem(RtValue *self, RtValue *key, RtValue *v) {
    size_t i;
    if (dq_index(DQ(self), key, &i) < 0) return -1;
    if (!v) { dq_del(DQ(self), i); return 0; }
    RT_SETREF(DQ_AT(DQ(self), i), rt_newref(v));
    return 0;
}

static int deque_contains(RtValue *self, RtValue *x) {
    int64_t i = dq_find(DQ(self), x, 0, DQ(self)->len);
    return i == -2 ? -1 : i >= 0;
}

/* deque([1, 2]) / deque([1, 2], maxlen=3); "[...]" inside itself. */
static RtValue *deque_repr(RtValue *self) {
    int e = rt_repr_enter(self);
    if (e != 0) return e < 0 ? NULL : rt_str_from_cstr("[...]");
    RtValue *list = rt_list_from_iter(self), *res = NULL;
    if (list) {
        RtStrBuf b;
        rt_strbuf_init(&b);
        rt_strbuf_put_cstr(&b, self->type->name);
        rt_strbuf_putc(&b, '(');
        if (rt_strbuf_put_repr(&b, list) == 0) {
            if (DQ(self)->maxlen >= 0) {
                char buf[40];
                snprintf(buf, sizeof buf, ", maxlen=%lld", (long long)DQ(self)->maxlen);
                rt_strbuf_put_cstr(&b, buf);
            }
            rt_strbuf_putc(&b, ')');
            res = rt_strbuf_finish(&b);
        } else {
            rt_strbuf_free(&b);
        }
        rt_decref(list);
    }
    rt_repr_leave(self);
    return res;
}

static bool is_deque(const RtValue *o) { return rt_isinstance_t(o, &rt_collections_deque); }

static RtValue *deque_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (!is_deque(a) || !is_deque(b)) return rt_NotImplemented;
    RtValue *la = rt_list_from_iter(a), *lb = la ? rt_list_from_iter(b) : NULL;
    RtValue *r = lb ? rt_richcompare(la, lb, op) : NULL;
    rt_xdecref(la);
    rt_xdecref(lb);
    return r;
}

static RtValue *deque_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (op == RT_ADD && is_deque(a)) {
        if (!is_deque(b))
            return rt_raise_fmt(&rt_exc_TypeError, "can only concatenate deque (not \"%s\") to deque",
                                rt_type_name(b));
        RtValue *r = dq_copy(a);
        if (r && dq_extend(DQ(r), b, false) < 0) RT_CLEAR(r);
        return r;
    }
    if (op == RT_MUL) {
        RtValue *d = is_deque(a) ? a : b, *n = is_deque(a) ? b : a;
        int64_t k;
        if (!rt_is_int(n))
            return rt_raise_fmt(&rt_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                                rt_type_name(n));
        if (rt_int_as_i64(n, &k) < 0) return NULL;
        RtValue *r = dq_copy(d);
        if (!r) return NULL;
        if (k <= 0) { dq_clear(DQ(r)); return r; }
        RtValue *items = rt_list_from_iter(d);
        for (int64_t i = 1; items && i < k; i++)
            if (dq_extend(DQ(r), items, false) < 0) RT_CLEAR(items);
        if (!items) RT_CLEAR(r);
        rt_xdecref(items);
        return r;
    }
    return rt_NotImplemented;
}

static RtValue *deque_inplace(RtValue *a, RtValue *b, RtBinOp op) {
    if (!is_deque(a)) return rt_NotImplemented;
    if (op == RT_ADD) return dq_extend(DQ(a), b, false) < 0 ? NULL : rt_newref(a);
    if (op == RT_MUL) {
        RtValue *r = deque_binop(a, b, RT_MUL);
        if (!r || r == rt_NotImplemented) return r;
        Deque *x = DQ(a), *y = DQ(r), t = *x;      /* adopt r's ring */
        x->buf = y->buf; x->cap = y->cap; x->head = y->head; x->len = y->len; x->state++;
        y->buf = t.buf; y->cap = t.cap; y->head = t.head; y->len = t.len;
        rt_decref(r);
        return rt_newref(a);
    }
    return rt_NotImplemented;
}

/* ---- deque iterator ---- */

typedef struct DequeIter {
    RtValue  ob;
    RtValue *deque;
    size_t   index;   /* items produced so far */
    uint64_t state;
    bool     reverse;
} DequeIter;

static void dqiter_dealloc(RtValue *self) { RT_CLEAR(((DequeIter *)self)->deque); }
static RtValue *dqiter_self(RtValue *self) { return rt_newref(self); }

static RtValue *dqiter_next(RtValue *self) {
    DequeIter *it = (DequeIter *)self;
    if (!it->deque) return NULL;
    Deque *d = DQ(it->deque);
    if (d->state != it->state) {
        RT_CLEAR(it->deque);
        return rt_raise(&rt_exc_RuntimeError, "deque mutated during iteration");
    }
    if (it->index >= d->len) { RT_CLEAR(it->deque); return NULL; }
    size_t i = it->reverse ? d->len - 1 - it->index : it->index;
    it->index++;
    return rt_newref(DQ_AT(d, i));
}

static RtType deque_iterator_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "_collections._deque_iterator", .tag = RT_T_ITER,
    .base = &rt_type_object, .size = sizeof(DequeIter), .table_index = -1,
    .dealloc = dqiter_dealloc, .iter = dqiter_self, .iternext = dqiter_next,
};

static RtValue *deque_iter_new(RtValue *self, bool reverse) {
    DequeIter *it = (DequeIter *)rt_obj_alloc(&deque_iterator_type, sizeof(DequeIter));
    if (!it) return NULL;
    it->deque = rt_newref(self);
    it->state = DQ(self)->state;
    it->reverse = reverse;
    return (RtValue *)it;
}

static RtValue *deque_iter(RtValue *self) { return deque_iter_new(self, false); }

static const RtGetSetDef deque_getset[] = {
    {"maxlen", dq_get_maxlen, NULL},
    {NULL, NULL, NULL},
};

static const RtMethodDef deque_methods[] = {
    {"append", rt_deque_m_append},
    {"appendleft", rt_deque_m_appendleft},
    {"pop", rt_deque_m_pop},
    {"popleft", rt_deque_m_popleft},
    {"extend", rt_deque_m_extend},
    {"extendleft", rt_deque_m_extendleft},
    {"rotate", rt_deque_m_rotate},
    {"clear", rt_deque_m_clear},
    {"copy", rt_deque_m_copy},
    {"count", rt_deque_m_count},
    {"index", rt_deque_m_index},
    {"remove", rt_deque_m_remove},
    {"reverse", rt_deque_m_reverse},
    {"insert", rt_deque_m_insert},
    {"__reversed__", rt_deque_m___reversed__},
    {NULL, NULL},
};

/* What pickle keeps of a deque (its __reduce__: type, ([], maxlen), items):
 * maxlen (-1 for None), the length, then each item. */
static int deque_ser_dump(RtValue *self, RtBuf *buf) {
    Deque *d = DQ(self);
    RtValue *m = d->maxlen < 0 ? rt_newref(rt_None) : rt_int(d->maxlen);
    if (!m) return -1;
    int r = rt_ser_dump(buf, m);
    rt_decref(m);
    if (r < 0 || rt_buf_put_uleb(buf, d->len) < 0) return -1;
    for (size_t i = 0; i < d->len; i++)
        if (rt_ser_dump(buf, DQ_AT(d, i)) < 0) return -1;
    return 0;
}

static RtValue *deque_ser_load(RtType *type, RtBuf *buf) {
    RtValue *m = rt_ser_load(buf);
    if (!m) return NULL;
    int64_t maxlen = -1;
    uint64_t n;
    if ((m != rt_None && (!rt_is_int(m) || rt_int_as_i64(m, &maxlen) < 0 || maxlen < 0)) ||
        rt_buf_get_uleb(buf, &n) < 0) {
        rt_decref(m);
        RT_CLEAR(rt_exc_pending);
        return rt_raise(&rt_exc_ValueError, "serialized deque is malformed");
    }
    rt_decref(m);
    Deque *d = (Deque *)rt_obj_alloc(type, sizeof(Deque));
    if (!d) return NULL;
    d->maxlen = maxlen;
    for (uint64_t i = 0; i < n; i++) {
        RtValue *v = rt_ser_load(buf);
        if (!v || dq_append(d, v) < 0) { rt_decref((RtValue *)d); return NULL; }
    }
    return (RtValue *)d;
}

RtType rt_collections_deque = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "deque",
    .module = "collections",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(Deque),
    .table_index = -1,
    .dealloc = deque_dealloc,
    .repr = deque_repr,
    .richcompare = deque_richcompare,
    .binop = deque_binop,
    .inplace = deque_inplace,
    .truthy = deque_truthy,
    .len = deque_len,
    .getitem = deque_getitem,
    .setitem = deque_setitem,
    .contains = deque_contains,
    .iter = deque_iter,
    .construct = deque_construct,
    .ser_dump = deque_ser_dump,
    .ser_load = deque_ser_load,
    .methods = deque_methods,
    .getset = deque_getset,
};

/* ==== namedtuple ================================================================== */

/* The field names of a namedtuple type (a tuple of str), borrowed. */
static RtValue *nt_fields(RtType *t) { return t->dict ? rt_dict_get_cstr(t->dict, "_fields") : NULL; }

static RtValue *nt_repr(RtValue *self) {
    RtValue *fields = nt_fields(self->type);
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, self->type->name);
    rt_strbuf_putc(&b, '(');
    for (size_t i = 0; i < RT_TUPLE_LEN(self); i++) {
        if (i) rt_strbuf_put_ascii(&b, ", ", 2);
        if (fields && i < RT_TUPLE_LEN(fields)) rt_strbuf_put_str(&b, RT_TUPLE_GET(fields, i));
        rt_strbuf_putc(&b, '=');
        if (rt_strbuf_put_repr(&b, RT_TUPLE_GET(self, i)) < 0) { rt_strbuf_free(&b); return NULL; }
    }
    rt_strbuf_putc(&b, ')');
    return rt_strbuf_finish(&b);
}

static int64_t nt_field_index(RtType *t, const char *name) {
    RtValue *fields = nt_fields(t);
    for (size_t i = 0; fields && i < RT_TUPLE_LEN(fields); i++)
        if (strcmp(rt_str_data(RT_TUPLE_GET(fields, i)), name) == 0) return (int64_t)i;
    return -1;
}

static RtValue *nt_getattr(RtValue *self, const char *name) {
    int64_t i = nt_field_index(self->type, name);
    if (i >= 0 && (size_t)i < RT_TUPLE_LEN(self)) return rt_newref(RT_TUPLE_GET(self, i));
    if (self->type->dict) {                   /* _fields, _field_defaults */
        RtValue *v = rt_dict_get_cstr(self->type->dict, name);
        if (v) return rt_newref(v);
    }
    return NULL;
}

static int nt_setattr(RtValue *self, const char *name, RtValue *v) {
    (void)v;
    if (nt_field_index(self->type, name) >= 0) rt_raise(&rt_exc_AttributeError, "can't set attribute");
    else rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute '%s'", rt_type_name(self), name);
    return -1;
}

/* A new instance of the namedtuple type t from n values (borrowed). */
static RtValue *nt_alloc(RtType *t, RtValue *const *vals, size_t n) {
    RtTuple *r = (RtTuple *)rt_obj_alloc(t, sizeof(RtTuple) + n * sizeof(RtValue *));
    if (!r) return NULL;
    r->hash = -1;
    r->len = n;
    for (size_t i = 0; i < n; i++) r->items[i] = rt_newref(vals[i]);
    return (RtValue *)r;
}

/* Point(x, y=...) with the defaults of the type and Python's TypeErrors. */
static RtValue *nt_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *fields = nt_fields(t);
    RtValue *defaults = t->dict ? rt_dict_get_cstr(t->dict, "_field_defaults") : NULL;
    size_t n = fields ? RT_TUPLE_LEN(fields) : 0;
    if (nargs > n)
        return rt_raise_fmt(&rt_exc_TypeError, "%s.__new__() takes %zu positional argument%s but %zu were given",
                            t->name, n + 1, n + 1 == 1 ? "" : "s", nargs + 1);
    RtValue **vals = rt_calloc(n ? n : 1, sizeof(RtValue *));
    if (!vals) return NULL;
    RtValue *r = NULL;
    for (size_t i = 0; i < nargs; i++) vals[i] = args[i];
    size_t nkw = kw ? RT_TUPLE_LEN(kw) : 0;
    for (size_t i = 0; i < nkw; i++) {
        const char *name = rt_str_data(RT_TUPLE_GET(kw, i));
        int64_t j = nt_field_index(t, name);
        if (j < 0) {
            rt_raise_fmt(&rt_exc_TypeError, "%s.__new__() got an unexpected keyword argument '%s'", t->name, name);
            goto done;
        }
        if (vals[j]) {
            rt_raise_fmt(&rt_exc_TypeError, "%s.__new__() got multiple values for argument '%s'", t->name, name);
            goto done;
        }
        vals[j] = args[nargs + i];
    }
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) {
        if (!vals[i] && defaults) vals[i] = rt_dict_get_cstr(defaults, rt_str_data(RT_TUPLE_GET(fields, i)));
        if (!vals[i]) missing++;
    }
    if (missing) {
        RtStrBuf b;                           /* "'x' and 'y'" / "'x', 'y' and 'z'" */
        rt_strbuf_init(&b);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (vals[i]) continue;
            if (k) rt_strbuf_put_cstr(&b, k + 1 == missing ? (missing > 2 ? ", and " : " and ") : ", ");
            rt_strbuf_putc(&b, '\'');
            rt_strbuf_put_str(&b, RT_TUPLE_GET(fields, i));
            rt_strbuf_putc(&b, '\'');
            k++;
        }
        RtValue *names = rt_strbuf_finish(&b);
        if (names)
            rt_raise_fmt(&rt_exc_TypeError, "%s.__new__() missing %zu required positional argument%s: %s",
                         t->name, missing, missing == 1 ? "" : "s", rt_str_data(names));
        rt_xdecref(names);
        goto done;
    }
    r = nt_alloc(t, vals, n);
done:
    rt_free(vals);
    return r;
}

RtValue *rt_namedtuple_m__asdict(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("_asdict", nargs, kw) < 0) return NULL;
    RtValue *fields = nt_fields(self->type), *d = rt_dict_new();
    if (!d) return NULL;
    for (size_t i = 0; fields && i < RT_TUPLE_LEN(fields) && i < RT_TUPLE_LEN(self); i++)
        if (rt_dict_set(d, RT_TUPLE_GET(fields, i), RT_TUPLE_GET(self, i)) < 0) { rt_decref(d); return NULL; }
    return d;
}

RtValue *rt_namedtuple_m__replace(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "_replace() takes 1 positional argument but %zu were given", nargs + 1);
    size_t n = RT_TUPLE_LEN(self), nkw = kw ? RT_TUPLE_LEN(kw) : 0;
    RtValue **vals = rt_malloc((n ? n : 1) * sizeof(RtValue *));
    if (!vals) return NULL;
    for (size_t i = 0; i < n; i++) vals[i] = RT_TUPLE_GET(self, i);
    RtValue *bad = NULL, *r = NULL;
    for (size_t i = 0; i < nkw; i++) {
        int64_t j = nt_field_index(self->type, rt_str_data(RT_TUPLE_GET(kw, i)));
        if (j >= 0) { vals[j] = args[i]; continue; }
        if (!bad && !(bad = rt_list_new(0))) goto done;
        if (rt_list_append(bad, RT_TUPLE_GET(kw, i)) < 0) goto done;
    }
    if (bad) rt_raise_fmt(&rt_exc_ValueError, "Got unexpected field names: %R", bad);
    else r = nt_alloc(self->type, vals, n);
done:
    rt_xdecref(bad);
    rt_free(vals);
    return r;
}

static RtValue *nt_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw);

/* Point._make(iterable): a class method (see rt_type_add_classmethod). */
RtValue *rt_namedtuple_m__make(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtType *t = rt_classmethod_target(self, &args, &nargs, NULL);
    if (one_arg("_make", nargs, kw) < 0) return NULL;
    if (!t || t->construct != nt_construct) return rt_raise(&rt_exc_TypeError, "_make() needs a namedtuple class");
    RtValue *tuple = rt_tuple_from_iter(args[0]);
    if (!tuple) return NULL;
    RtValue *fields = nt_fields(t), *r = NULL;
    size_t n = fields ? RT_TUPLE_LEN(fields) : 0;
    if (RT_TUPLE_LEN(tuple) != n)
        rt_raise_fmt(&rt_exc_TypeError, "Expected %zu arguments, got %zu", n, RT_TUPLE_LEN(tuple));
    else
        r = nt_alloc(t, ((RtTuple *)tuple)->items, n);
    rt_decref(tuple);
    return r;
}

static const RtMethodDef namedtuple_methods[] = {
    {"_asdict", rt_namedtuple_m__asdict},
    {"_replace", rt_namedtuple_m__replace},
    {"count", rt_tuple_m_count},
    {"index", rt_tuple_m_index},
    {NULL, NULL},
};

static bool nt_is_keyword(const char *s) {
    static const char *const kws[] = {"False", "None", "True", "and", "as", "assert", "async", "await",
                                      "break", "class", "continue", "def", "del", "elif", "else", "except",
                                      "finally", "for", "from", "global", "if", "import", "in", "is",
                                      "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
                                      "while", "with", "yield"};
    for (size_t i = 0; i < sizeof kws / sizeof *kws; i++)
        if (!strcmp(s, kws[i])) return true;
    return false;
}

static bool nt_is_identifier(RtValue *s) {
    RtValue *r = rt_call_method(s, "isidentifier", NULL, 0, NULL);
    if (!r) { rt_decref(rt_exc_fetch()); return false; }
    bool ok = r == rt_True;
    rt_decref(r);
    return ok;
}

/* The field names as a list of str: a str split on commas and whitespace,
 * or any iterable of str. */
static RtValue *nt_field_list(RtValue *spec) {
    if (!rt_is_str(spec)) return rt_list_from_iter(spec);
    const char *s = rt_str_data(spec);
    RtValue *list = rt_list_new(0);
    while (list && *s) {
        while (*s == ',' || *s == ' ' || *s == '\t' || *s == '\n') s++;
        const char *e = s;
        while (*e && *e != ',' && *e != ' ' && *e != '\t' && *e != '\n') e++;
        if (e > s) {
            RtValue *f = rt_str_new(s, (size_t)(e - s));
            if (!f || rt_list_append_steal(list, f) < 0) RT_CLEAR(list);
        }
        s = e;
    }
    return list;
}

/* Validates (and with rename, fixes) the field names as namedtuple does. */
static int nt_check_fields(RtValue *type_name, RtValue *fields, bool rename) {
    size_t n = RT_LIST_LEN(fields);
    for (size_t i = 0; i < n; i++) {
        RtValue *f = RT_LIST_GET(fields, i);
        if (!rt_is_str(f)) { rt_raise(&rt_exc_TypeError, "Type names and field names must be strings"); return -1; }
        bool dup = false;
        for (size_t j = 0; j < i; j++) dup |= rt_eq(RT_LIST_GET(fields, j), f) == 1;
        const char *s = rt_str_data(f);
        if (rename && (!nt_is_identifier(f) || nt_is_keyword(s) || s[0] == '_' || dup)) {
            char buf[32];
            snprintf(buf, sizeof buf, "_%zu", i);
            RtValue *nf = rt_str_from_cstr(buf);
            if (!nf) return -1;
            RT_SETREF(((RtList *)fields)->items[i], nf);
        }
    }
    RtValue *all[1] = {type_name};
    for (size_t i = 0; i <= n; i++) {
        RtValue *f = i == 0 ? all[0] : RT_LIST_GET(fields, i - 1);
        if (!rt_is_str(f)) { rt_raise(&rt_exc_TypeError, "Type names and field names must be strings"); return -1; }
        if (!nt_is_identifier(f)) {
            rt_raise_fmt(&rt_exc_ValueError, "Type names and field names must be valid identifiers: %R", f);
            return -1;
        }
        if (nt_is_keyword(rt_str_data(f))) {
            rt_raise_fmt(&rt_exc_ValueError, "Type names and field names cannot be a keyword: %R", f);
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        RtValue *f = RT_LIST_GET(fields, i);
        if (rt_str_data(f)[0] == '_' && !rename) {
            rt_raise_fmt(&rt_exc_ValueError, "Field names cannot start with an underscore: %R", f);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (rt_eq(RT_LIST_GET(fields, j), f) == 1) {
                rt_raise_fmt(&rt_exc_ValueError, "Encountered duplicate field name: %R", f);
                return -1;
            }
    }
    return 0;
}

/* Builds the type object. Namedtuple types live as long as the program
 * (they are immortal, as classes are in practice), and are kept in a list
 * so that leak checkers see them as reachable. */
static RtType **nt_types;
static size_t nt_ntypes;

static RtValue *nt_make_type(RtValue *type_name, RtValue *fields, RtValue *defaults, const char *module) {
    RtType **list = rt_realloc(nt_types, (nt_ntypes + 1) * sizeof *list);
    if (!list) return NULL;
    nt_types = list;
    RtType *t = (RtType *)rt_obj_alloc(&rt_type_type, sizeof(RtType));
    if (!t) return NULL;
    size_t nlen = rt_str_nbytes(type_name), mlen = strlen(module);
    char *name = rt_malloc(nlen + 1 + mlen + 1);
    t->dict = rt_dict_new();
    RtValue *ftuple = rt_tuple_from_iter(fields);
    if (!name || !t->dict || !ftuple || rt_dict_set_cstr(t->dict, "_fields", ftuple) < 0 ||
        rt_dict_set_cstr(t->dict, "_field_defaults", defaults) < 0 ||
        rt_type_add_classmethod(t, "_make", rt_namedtuple_m__make) < 0) {
        rt_free(name);
        rt_xdecref(ftuple);
        RT_CLEAR(t->dict);
        rt_free(t);                            /* never published: freed directly */
        return NULL;
    }
    rt_decref(ftuple);
    memcpy(name, rt_str_data(type_name), nlen + 1);
    memcpy(name + nlen + 1, module, mlen + 1);
    t->ob.rc = RT_IMMORTAL;
    t->name = name;
    t->module = name + nlen + 1;
    t->tag = RT_T_TUPLE;
    t->flags = 0;                             /* XXX: script subclasses need an instance dict */
    t->base = &rt_type_tuple;
    t->size = sizeof(RtTuple);
    t->table_index = -1;
    t->dealloc = rt_type_tuple.dealloc;
    t->repr = nt_repr;
    t->hash = rt_type_tuple.hash;
    t->richcompare = rt_type_tuple.richcompare;
    t->binop = rt_type_tuple.binop;
    t->truthy = rt_type_tuple.truthy;
    t->len = rt_type_tuple.len;
    t->getitem = rt_type_tuple.getitem;
    t->contains = rt_type_tuple.contains;
    t->iter = rt_type_tuple.iter;
    t->construct = nt_construct;
    t->getattr = nt_getattr;
    t->setattr = nt_setattr;
    t->methods = namedtuple_methods;
    nt_types[nt_ntypes++] = t;
    if (rt_type_register_dynamic(t) < 0) return NULL;   /* so instances can go through a Pool */
    return (RtValue *)t;
}

/* namedtuple(typename, field_names, *, rename=False, defaults=None, module=None) */
RtValue *rt_collections_namedtuple(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"typename", "field_names", "rename", "defaults", "module"};
    RtValue *a[5];
    (void)self;
    if (rt_parse_args("namedtuple", args, nargs, kw, names, 5, 2, 0, 3, a) < 0) return NULL;
    if (!rt_is_str(a[0])) return rt_raise(&rt_exc_TypeError, "Type names and field names must be strings");
    int rename = a[2] ? rt_truthy(a[2]) : 0;
    if (rename < 0) return NULL;
    const char *module = "__main__";
    if (a[4] && a[4] != rt_None) {
        if (!rt_is_str(a[4])) return rt_raise(&rt_exc_TypeError, "module must be a str");
        module = rt_str_data(a[4]);
    }
    RtValue *fields = nt_field_list(a[1]);
    if (!fields) return NULL;
    RtValue *defaults = rt_dict_new(), *r = NULL;
    if (!defaults || nt_check_fields(a[0], fields, rename) < 0) goto done;
    if (a[3] && a[3] != rt_None) {
        RtValue *dt = rt_tuple_from_iter(a[3]);
        if (!dt) goto done;
        size_t nd = RT_TUPLE_LEN(dt), nf = RT_LIST_LEN(fields);
        if (nd > nf) {
            rt_raise(&rt_exc_TypeError, "Got more default values than field names");
            rt_decref(dt);
            goto done;
        }
        for (size_t i = 0; i < nd; i++)
            if (rt_dict_set(defaults, RT_LIST_GET(fields, nf - nd + i), RT_TUPLE_GET(dt, i)) < 0) {
                rt_decref(dt);
                goto done;
            }
        rt_decref(dt);
    }
    r = nt_make_type(a[0], fields, defaults, module);
done:
    rt_decref(fields);
    rt_xdecref(defaults);
    return r;
}

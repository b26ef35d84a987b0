/* range.c: Python's range and slice types, and the slice arithmetic every
 * sequence type shares.
 *
 * A range keeps start, stop, step and its length in int64_t; every item
 * start + i*step lies between start and stop, so indexing cannot overflow.
 * Arguments that do not fit int64_t raise OverflowError (CPython would
 * switch to a slower arbitrary-precision range: XXX not supported here).
 *
 * Slices follow CPython's PySlice_Unpack / PySlice_AdjustIndices exactly:
 * None becomes the default bound for the step's direction, huge ints clamp
 * to the int64_t range, and the item count is computed before any index is
 * touched.
 */
#include "mp2c.h"

#include <stdio.h>

#define R(o) ((RtRange *)(o))
#define SL(o) ((RtSlice *)(o))

/* ==== slices ================================================================ */

/* An int bound clamped to int64_t (CPython's _PyEval_SliceIndex). */
static int clamp_index(RtValue *o, int64_t *out) {
    if (o->type == &rt_type_int && !((RtInt *)o)->big) { *out = ((RtInt *)o)->small; return 0; }
    if (!rt_is_int(o)) {
        rt_raise(&rt_exc_TypeError, "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    if (o->type == &rt_type_int) {                        /* big: clamp by sign */
        *out = rt_int_sign(o) < 0 ? INT64_MIN : INT64_MAX;
        return 0;
    }
    return rt_int_as_i64(o, out);                         /* bool */
}

int rt_slice_index_arg(RtValue *o, int64_t *out) {
    if (!o || o == rt_None) return 0;
    return clamp_index(o, out);
}

int rt_slice_unpack(RtValue *slice, int64_t *start, int64_t *stop, int64_t *step) {
    RtSlice *s = SL(slice);
    *step = 1;
    if (s->step != rt_None) {
        if (clamp_index(s->step, step) < 0) return -1;
        if (*step == 0) { rt_raise(&rt_exc_ValueError, "slice step cannot be zero"); return -1; }
        if (*step < -INT64_MAX) *step = -INT64_MAX;      /* so that -step cannot overflow */
    }
    *start = *step < 0 ? INT64_MAX : 0;
    *stop = *step < 0 ? INT64_MIN : INT64_MAX;
    if (s->start != rt_None && clamp_index(s->start, start) < 0) return -1;
    if (s->stop != rt_None && clamp_index(s->stop, stop) < 0) return -1;
    return 0;
}

int64_t rt_slice_adjust(int64_t len, int64_t *start, int64_t *stop, int64_t step) {
    if (*start < 0) {
        *start += len;
        if (*start < 0) *start = step < 0 ? -1 : 0;
    } else if (*start >= len) {
        *start = step < 0 ? len - 1 : len;
    }
    if (*stop < 0) {
        *stop += len;
        if (*stop < 0) *stop = step < 0 ? -1 : 0;
    } else if (*stop >= len) {
        *stop = step < 0 ? len - 1 : len;
    }
    if (step < 0) {
        if (*stop < *start) return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

int rt_slice_indices(RtValue *slice, int64_t len, int64_t *start, int64_t *stop, int64_t *step,
                     int64_t *count) {
    if (rt_slice_unpack(slice, start, stop, step) < 0) return -1;
    *count = rt_slice_adjust(len, start, stop, *step);
    return 0;
}

RtValue *rt_slice_new(RtValue *lower, RtValue *upper, RtValue *step) {
    RtSlice *s = (RtSlice *)rt_obj_alloc(&rt_type_slice, sizeof(RtSlice));
    if (!s) return NULL;
    s->start = rt_newref(lower ? lower : rt_None);
    s->stop = rt_newref(upper ? upper : rt_None);
    s->step = rt_newref(step ? step : rt_None);
    return (RtValue *)s;
}

static void slice_dealloc(RtValue *self) {
    RT_CLEAR(SL(self)->start);
    RT_CLEAR(SL(self)->stop);
    RT_CLEAR(SL(self)->step);
}

static RtValue *slice_repr(RtValue *self) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_ascii(&b, "slice(", 6);
    if (rt_strbuf_put_repr(&b, SL(self)->start) < 0) goto fail;
    rt_strbuf_put_ascii(&b, ", ", 2);
    if (rt_strbuf_put_repr(&b, SL(self)->stop) < 0) goto fail;
    rt_strbuf_put_ascii(&b, ", ", 2);
    if (rt_strbuf_put_repr(&b, SL(self)->step) < 0) goto fail;
    rt_strbuf_putc(&b, ')');
    return rt_strbuf_finish(&b);
fail:
    rt_strbuf_free(&b);
    return NULL;
}

/* Slices compare as the tuples (start, stop, step). */
static RtValue *slice_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (!rt_is_slice(a) || !rt_is_slice(b)) return rt_NotImplemented;
    RtValue *x[3] = {SL(a)->start, SL(a)->stop, SL(a)->step};
    RtValue *y[3] = {SL(b)->start, SL(b)->stop, SL(b)->step};
    return rt_seq_richcompare(x, 3, y, 3, op);
}

static RtValue *slice_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    if (rt_no_kwargs("slice", kw) < 0) return NULL;
    if (nargs < 1 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "slice expected at least 1 argument, got %zu"
                                                         : "slice expected at most 3 arguments, got %zu",
                            nargs);
    if (nargs == 1) return rt_slice_new(NULL, args[0], NULL);
    return rt_slice_new(args[0], args[1], nargs == 3 ? args[2] : NULL);
}

/* slice.indices(length) -> (start, stop, step) */
RtValue *rt_slice_m_indices(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("indices", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "slice.indices() takes exactly one argument (%zu given)", nargs);
    int64_t len, start, stop, step;
    if (rt_index_as_i64(args[0], &len) < 0) return NULL;
    if (len < 0) return rt_raise(&rt_exc_ValueError, "length should not be negative");
    if (rt_slice_unpack(self, &start, &stop, &step) < 0) return NULL;
    rt_slice_adjust(len, &start, &stop, step);
    RtValue *a = rt_int(start), *b = rt_int(stop), *c = rt_int(step);
    RtValue *t = (a && b && c) ? rt_tuple_pack(3, a, b, c) : NULL;
    rt_xdecref(a);
    rt_xdecref(b);
    rt_xdecref(c);
    return t;
}

static RtValue *slice_get_start(RtValue *self) { return rt_newref(SL(self)->start); }
static RtValue *slice_get_stop(RtValue *self) { return rt_newref(SL(self)->stop); }
static RtValue *slice_get_step(RtValue *self) { return rt_newref(SL(self)->step); }

static const RtGetSetDef slice_getset[] = {
    {"start", slice_get_start, NULL},
    {"stop", slice_get_stop, NULL},
    {"step", slice_get_step, NULL},
    {NULL, NULL, NULL},
};

static const RtMethodDef slice_methods[] = {
    {"indices", rt_slice_m_indices},
    {NULL, NULL},
};

RtType rt_type_slice = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "slice",
    .tag = RT_T_SLICE,
    .base = &rt_type_object,
    .size = sizeof(RtSlice),
    .table_index = -1,
    .dealloc = slice_dealloc,
    .repr = slice_repr,
    .richcompare = slice_richcompare,
    .construct = slice_construct,
    .methods = slice_methods,
    .getset = slice_getset,
};

/* ==== range ================================================================= */

/* Items in range(start, stop, step), or -1 when it does not fit int64_t. */
static int64_t range_length(int64_t start, int64_t stop, int64_t step) {
    uint64_t n;
    if (step > 0 && start < stop) n = ((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1;
    else if (step < 0 && start > stop)
        n = ((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1;
    else n = 0;
    return n > (uint64_t)INT64_MAX ? -1 : (int64_t)n;
}

RtValue *rt_range_new(int64_t start, int64_t stop, int64_t step) {
    if (step == 0) return rt_raise(&rt_exc_ValueError, "range() arg 3 must not be zero");
    int64_t len = range_length(start, stop, step);
    if (len < 0) return rt_raise(&rt_exc_OverflowError, "Python int too large to convert to C ssize_t");
    RtRange *r = (RtRange *)rt_obj_alloc(&rt_type_range, sizeof(RtRange));
    if (!r) return NULL;
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->len = len;
    return (RtValue *)r;
}

/* range(stop) / range(start, stop[, step]) */
static RtValue *range_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    if (rt_no_kwargs("range", kw) < 0) return NULL;
    if (nargs < 1 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "range expected at least 1 argument, got %zu"
                                                         : "range expected at most 3 arguments, got %zu",
                            nargs);
    int64_t v[3] = {0, 0, 1};
    for (size_t i = 0; i < nargs; i++)
        if (rt_index_as_i64(args[i], &v[i]) < 0) return NULL;
    if (nargs == 1) return rt_range_new(0, v[0], 1);
    return rt_range_new(v[0], v[1], v[2]);
}

static RtValue *range_repr(RtValue *self) {
    char buf[100];
    RtRange *r = R(self);
    int n = r->step == 1 ? snprintf(buf, sizeof buf, "range(%lld, %lld)", (long long)r->start, (long long)r->stop)
                         : snprintf(buf, sizeof buf, "range(%lld, %lld, %lld)", (long long)r->start,
                                    (long long)r->stop, (long long)r->step);
    return rt_str_new(buf, (size_t)n);
}

static int64_t range_len(RtValue *self) { return R(self)->len; }
static int range_truthy(RtValue *self) { return R(self)->len != 0; }

static RtValue *range_item(RtRange *r, int64_t i) { return rt_int(r->start + i * r->step); }

static RtValue *range_getitem(RtValue *self, RtValue *key) {
    RtRange *r = R(self);
    if (rt_is_slice(key)) {
        int64_t start, stop, step, n;
        if (rt_slice_indices(key, r->len, &start, &stop, &step, &n) < 0) return NULL;
        __int128 nstep = (__int128)r->step * step;
        __int128 nstart = (__int128)r->start + (__int128)start * r->step;
        __int128 nstop = nstart + (__int128)n * nstep;   /* any stop giving n items */
        if (nstep > INT64_MAX || nstep < INT64_MIN || nstop > INT64_MAX || nstop < INT64_MIN)
            return rt_raise(&rt_exc_OverflowError, "Python int too large to convert to C ssize_t");
        if (n == 0) nstart = nstop = (__int128)r->start + (__int128)start * r->step;
        /* CPython keeps the natural stop: start + stop_index*step */
        __int128 natural = (__int128)r->start + (__int128)stop * r->step;
        if (natural <= INT64_MAX && natural >= INT64_MIN &&
            range_length((int64_t)nstart, (int64_t)natural, (int64_t)nstep) == n)
            nstop = natural;
        return rt_range_new((int64_t)nstart, (int64_t)nstop, (int64_t)nstep);
    }
    int64_t i;
    if (rt_seq_index_arg(key, &i, "range") < 0) return NULL;
    if (i < 0) i += r->len;
    if (i < 0 || i >= r->len) return rt_raise(&rt_exc_IndexError, "range object index out of range");
    return range_item(r, i);
}

/* Is the int v one of r's items? */
static bool range_has_i64(RtRange *r, int64_t v) {
    if (r->len == 0) return false;
    if (r->step > 0 ? (v < r->start || v >= r->stop) : (v > r->start || v <= r->stop)) return false;
    __int128 d = (__int128)v - r->start;
    return d % r->step == 0;
}

/* Index of x in r, -1 when absent, -2 on error. */
static int64_t range_find(RtRange *r, RtValue *x) {
    if (x->type == &rt_type_int || x->type == &rt_type_bool) {
        int64_t v;
        if (x->type == &rt_type_int && ((RtInt *)x)->big) return -1;   /* beyond int64: absent */
        if (rt_int_as_i64(x, &v) < 0) return -2;
        if (!range_has_i64(r, v)) return -1;
        return (int64_t)(((__int128)v - r->start) / r->step);
    }
    for (int64_t i = 0; i < r->len; i++) {      /* other types: compare every item */
        RtValue *item = range_item(r, i);
        if (!item) return -2;
        int eq = rt_eq(item, x);
        rt_decref(item);
        if (eq < 0) return -2;
        if (eq) return i;
    }
    return -1;
}

static int range_contains(RtValue *self, RtValue *x) {
    int64_t i = range_find(R(self), x);
    return i == -2 ? -1 : i >= 0;
}

/* Two ranges are equal when they produce the same items. */
static bool range_same(RtRange *a, RtRange *b) {
    if (a->len != b->len) return false;
    if (a->len == 0) return true;
    if (a->start != b->start) return false;
    return a->len == 1 || a->step == b->step;
}

static RtValue *range_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (a->type != &rt_type_range || b->type != &rt_type_range || (op != RT_EQ && op != RT_NE))
        return rt_NotImplemented;
    bool eq = range_same(R(a), R(b));
    return rt_bool(op == RT_EQ ? eq : !eq);
}

/* CPython hashes range as the tuple (len, start, step), with None for the
 * parts that do not affect equality. */
static int range_hash(RtValue *self, int64_t *out) {
    RtRange *r = R(self);
    RtValue *len = rt_int(r->len), *start = rt_int(r->start), *step = rt_int(r->step);
    RtValue *t = NULL;
    if (len && start && step) {
        if (r->len == 0) t = rt_tuple_pack(3, len, rt_None, rt_None);
        else if (r->len == 1) t = rt_tuple_pack(3, len, start, rt_None);
        else t = rt_tuple_pack(3, len, start, step);
    }
    rt_xdecref(len);
    rt_xdecref(start);
    rt_xdecref(step);
    if (!t) return -1;
    int rc = rt_hash(t, out);
    rt_decref(t);
    return rc;
}

static RtValue *range_iter(RtValue *self) { return rt_range_iter_new(self, false); }

RtValue *rt_range_m_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("count", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "range.count() takes exactly one argument (%zu given)", nargs);
    RtValue *x = args[0];
    if (x->type == &rt_type_int || x->type == &rt_type_bool) {
        int64_t i = range_find(R(self), x);
        return i == -2 ? NULL : rt_int(i >= 0);
    }
    int64_t n = 0;
    for (int64_t i = 0; i < R(self)->len; i++) {
        RtValue *item = range_item(R(self), i);
        if (!item) return NULL;
        int eq = rt_eq(item, x);
        rt_decref(item);
        if (eq < 0) return NULL;
        n += eq;
    }
    return rt_int(n);
}

RtValue *rt_range_m_index(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("index", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "range.index() takes exactly one argument (%zu given)", nargs);
    int64_t i = range_find(R(self), args[0]);
    if (i == -2) return NULL;
    if (i < 0) {
        if (rt_is_int(args[0])) return rt_raise_fmt(&rt_exc_ValueError, "%R is not in range", args[0]);
        return rt_raise(&rt_exc_ValueError, "sequence.index(x): x not in sequence");
    }
    return rt_int(i);
}

static RtValue *range_get_start(RtValue *self) { return rt_int(R(self)->start); }
static RtValue *range_get_stop(RtValue *self) { return rt_int(R(self)->stop); }
static RtValue *range_get_step(RtValue *self) { return rt_int(R(self)->step); }

static const RtGetSetDef range_getset[] = {
    {"start", range_get_start, NULL},
    {"stop", range_get_stop, NULL},
    {"step", range_get_step, NULL},
    {NULL, NULL, NULL},
};

static const RtMethodDef range_methods[] = {
    {"count", rt_range_m_count},
    {"index", rt_range_m_index},
    {NULL, NULL},
};

RtType rt_type_range = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "range",
    .tag = RT_T_RANGE,
    .base = &rt_type_object,
    .size = sizeof(RtRange),
    .table_index = -1,
    .repr = range_repr,
    .hash = range_hash,
    .richcompare = range_richcompare,
    .truthy = range_truthy,
    .len = range_len,
    .getitem = range_getitem,
    .contains = range_contains,
    .iter = range_iter,
    .construct = range_construct,
    .methods = range_methods,
    .getset = range_getset,
};

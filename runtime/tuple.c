/* tuple.c: Python's tuple type.
 *
 * A tuple is a fixed array of owned references allocated with the object.
 * Its hash is CPython 3.11's xxHash-based one (tuplehash in
 * Objects/tupleobject.c): the same element hashes give the same tuple hash,
 * so hash((1, 2)) and the order of tuples in a set match CPython whenever
 * the elements' hashes do (ints, floats, None, bools, nested tuples).
 */
#include "mp2c.h"

#include <string.h>

#define T(o) ((RtTuple *)(o))
/* Tuple-layout objects: tuples, namedtuple instances, script subclasses. */
#define IS_TUPLE(o) ((o)->type->tag == RT_T_TUPLE)

static RtTuple empty_tuple = {RT_STATIC_HEAD(&rt_type_tuple), -1, 0};

RtValue *rt_tuple_empty(void) { return (RtValue *)&empty_tuple; }

RtValue *rt_tuple_new(size_t n) {
    if (n == 0) return (RtValue *)&empty_tuple;
    if (n > (SIZE_MAX - sizeof(RtTuple)) / sizeof(RtValue *)) return rt_raise(&rt_exc_MemoryError, "");
    RtTuple *t = (RtTuple *)rt_obj_alloc(&rt_type_tuple, sizeof(RtTuple) + n * sizeof(RtValue *));
    if (!t) return NULL;
    t->hash = -1;
    t->len = n;
    return (RtValue *)t;
}

RtValue *rt_tuple_from_array(RtValue *const *items, size_t n) {
    RtValue *t = rt_tuple_new(n);
    if (!t) return NULL;
    for (size_t i = 0; i < n; i++) T(t)->items[i] = rt_newref(items[i]);
    return t;
}

RtValue *rt_tuple_pack(size_t n, ...) {
    RtValue *t = rt_tuple_new(n);
    if (!t) return NULL;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) T(t)->items[i] = rt_newref(va_arg(ap, RtValue *));
    va_end(ap);
    return t;
}

RtValue *rt_tuple_from_iter(RtValue *iterable) {
    if (rt_is_tuple(iterable)) return rt_newref(iterable);
    if (rt_is_list(iterable))
        return rt_tuple_from_array(((RtList *)iterable)->items, RT_LIST_LEN(iterable));
    RtValue *l = rt_list_from_iter(iterable);
    if (!l) return NULL;
    RtValue *t = rt_tuple_new(RT_LIST_LEN(l));
    if (t && RT_LIST_LEN(l)) {                /* move the references across */
        memcpy(T(t)->items, ((RtList *)l)->items, RT_LIST_LEN(l) * sizeof(RtValue *));
        ((RtList *)l)->len = 0;
    }
    rt_decref(l);
    return t;
}

static void tuple_dealloc(RtValue *self) { rt_release_array(T(self)->items, T(self)->len); }

/* CPython 3.11 tuplehash, 64-bit constants. */
#define XXPRIME_1 11400714785074694791ull
#define XXPRIME_2 14029467366897019727ull
#define XXPRIME_5 2870177450012600261ull
#define XXROTATE(x) (((x) << 31) | ((x) >> 33))

static int tuple_hash(RtValue *self, int64_t *out) {
    RtTuple *t = T(self);
    if (t->hash != -1) { *out = t->hash; return 0; }
    uint64_t acc = XXPRIME_5;
    for (size_t i = 0; i < t->len; i++) {
        int64_t h;
        if (rt_hash(t->items[i], &h) < 0) return -1;
        acc += (uint64_t)h * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    acc += t->len ^ (XXPRIME_5 ^ 3527539ull);
    if (acc == (uint64_t)-1) acc = 1546275796;
    t->hash = (int64_t)acc;
    *out = t->hash;
    return 0;
}

/* Appends repr(tuple): "()", "(1,)", "(1, 2)"; "(...)" when recursive. */
int rt_tuple_repr_into(RtStrBuf *b, RtValue *self) {
    RtTuple *t = T(self);
    if (t->len == 0) return rt_strbuf_put_ascii(b, "()", 2);
    int r = rt_repr_enter(self);
    if (r != 0) return r < 0 ? -1 : rt_strbuf_put_ascii(b, "(...)", 5);
    rt_strbuf_putc(b, '(');
    int rc = 0;
    for (size_t i = 0; i < t->len && rc == 0; i++) {
        if (i) rt_strbuf_put_ascii(b, ", ", 2);
        rc = rt_strbuf_put_repr(b, t->items[i]);
    }
    rt_repr_leave(self);
    if (rc < 0) return -1;
    if (t->len == 1) rt_strbuf_putc(b, ',');
    return rt_strbuf_putc(b, ')');
}

static RtValue *tuple_repr(RtValue *self) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    if (rt_tuple_repr_into(&b, self) < 0) { rt_strbuf_free(&b); return NULL; }
    return rt_strbuf_finish(&b);
}

static RtValue *tuple_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (!IS_TUPLE(a) || !IS_TUPLE(b)) return rt_NotImplemented;
    return rt_seq_richcompare(T(a)->items, T(a)->len, T(b)->items, T(b)->len, op);
}

static RtValue *tuple_concat(RtTuple *a, RtTuple *b) {
    if (b->len == 0 && rt_is_tuple((RtValue *)a)) return rt_newref((RtValue *)a);
    if (a->len == 0 && rt_is_tuple((RtValue *)b)) return rt_newref((RtValue *)b);
    RtValue *r = rt_tuple_new(a->len + b->len);
    if (!r) return NULL;
    for (size_t i = 0; i < a->len; i++) T(r)->items[i] = rt_newref(a->items[i]);
    for (size_t i = 0; i < b->len; i++) T(r)->items[a->len + i] = rt_newref(b->items[i]);
    return r;
}

static RtValue *tuple_repeat(RtTuple *a, int64_t n) {
    if (n <= 0 || a->len == 0) return rt_tuple_empty();
    if (n == 1 && rt_is_tuple((RtValue *)a)) return rt_newref((RtValue *)a);
    if ((uint64_t)n > (SIZE_MAX / sizeof(RtValue *) / 2) / a->len) return rt_raise(&rt_exc_MemoryError, "");
    size_t total = a->len * (size_t)n;
    RtValue *r = rt_tuple_new(total);
    if (!r) return NULL;
    for (size_t i = 0; i < total; i++) T(r)->items[i] = rt_newref(a->items[i % a->len]);
    return r;
}

/* + and *; NotImplemented for mismatched operands (the core words the error). */
static RtValue *tuple_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (op == RT_ADD && IS_TUPLE(a) && IS_TUPLE(b)) return tuple_concat(T(a), T(b));
    if (op == RT_MUL) {
        RtValue *t = IS_TUPLE(a) ? a : b, *n = IS_TUPLE(a) ? b : a;
        if (!rt_is_int(n)) return rt_NotImplemented;
        int64_t k;
        if (rt_repeat_count(n, &k) < 0) return NULL;
        return tuple_repeat(T(t), k);
    }
    return rt_NotImplemented;
}

static int tuple_truthy(RtValue *self) { return T(self)->len != 0; }
static int64_t tuple_len(RtValue *self) { return (int64_t)T(self)->len; }

static RtValue *tuple_getitem(RtValue *self, RtValue *key) {
    RtTuple *t = T(self);
    if (rt_is_slice(key)) {
        int64_t start, stop, step, n;
        if (rt_slice_indices(key, (int64_t)t->len, &start, &stop, &step, &n) < 0) return NULL;
        if (step == 1 && n == (int64_t)t->len && rt_is_tuple(self)) return rt_newref(self);
        if (step == 1) return rt_tuple_from_array(t->items + start, (size_t)n);
        RtValue *r = rt_tuple_new((size_t)n);
        if (!r) return NULL;
        for (int64_t k = 0; k < n; k++) T(r)->items[k] = rt_newref(t->items[start + k * step]);
        return r;
    }
    int64_t i;
    if (rt_seq_index_arg(key, &i, "tuple") < 0) return NULL;
    if (i < 0) i += (int64_t)t->len;
    if (i < 0 || (uint64_t)i >= t->len) return rt_raise(&rt_exc_IndexError, "tuple index out of range");
    return rt_newref(t->items[i]);
}

static int tuple_contains(RtValue *self, RtValue *item) {
    for (size_t i = 0; i < T(self)->len; i++) {
        int eq = rt_eq(T(self)->items[i], item);
        if (eq != 0) return eq;
    }
    return 0;
}

static RtValue *tuple_iter(RtValue *self) { return rt_tuple_iter_new(self); }

RtValue *rt_tuple_m_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("count", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "tuple.count() takes exactly one argument (%zu given)", nargs);
    int64_t n = 0;
    for (size_t i = 0; i < T(self)->len; i++) {
        int eq = rt_eq(T(self)->items[i], args[0]);
        if (eq < 0) return NULL;
        n += eq;
    }
    return rt_int(n);
}

RtValue *rt_tuple_m_index(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("index", kw) < 0) return NULL;
    if (nargs < 1 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "index expected at least 1 argument, got %zu"
                                                         : "index expected at most 3 arguments, got %zu",
                            nargs);
    int64_t len = (int64_t)T(self)->len, start = 0, stop = INT64_MAX;
    if (nargs > 1 && rt_slice_index_arg(args[1], &start) < 0) return NULL;
    if (nargs > 2 && rt_slice_index_arg(args[2], &stop) < 0) return NULL;
    if (start < 0) { start += len; if (start < 0) start = 0; }
    if (stop < 0) { stop += len; if (stop < 0) stop = 0; }
    for (int64_t i = start; i < stop && i < len; i++) {
        int eq = rt_eq(T(self)->items[i], args[0]);
        if (eq < 0) return NULL;
        if (eq) return rt_int(i);
    }
    return rt_raise(&rt_exc_ValueError, "tuple.index(x): x not in tuple");
}

/* tuple(iterable=()) */
static RtValue *tuple_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    if (rt_no_kwargs("tuple", kw) < 0) return NULL;
    if (nargs > 1) return rt_raise_fmt(&rt_exc_TypeError, "tuple expected at most 1 argument, got %zu", nargs);
    return nargs ? rt_tuple_from_iter(args[0]) : rt_tuple_empty();
}

static const RtMethodDef tuple_methods[] = {
    {"count", rt_tuple_m_count},
    {"index", rt_tuple_m_index},
    {NULL, NULL},
};

RtType rt_type_tuple = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "tuple",
    .tag = RT_T_TUPLE,
    .base = &rt_type_object,
    .size = sizeof(RtTuple),
    .table_index = -1,
    .dealloc = tuple_dealloc,
    .repr = tuple_repr,
    .hash = tuple_hash,
    .richcompare = tuple_richcompare,
    .binop = tuple_binop,
    .truthy = tuple_truthy,
    .len = tuple_len,
    .getitem = tuple_getitem,
    .contains = tuple_contains,
    .iter = tuple_iter,
    .construct = tuple_construct,
    .methods = tuple_methods,
};

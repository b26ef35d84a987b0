/* operatormod.c: the operator module.
 *
 * The functions are thin: each checks its arguments the way CPython 3.11's
 * _operator does (so the TypeErrors read the same), then calls one
 * generic operation of the core (rt_binop, rt_richcompare, rt_getitem...).
 * They are what scripts pass as `key=` and to reduce(), so there is no
 * Python-level indirection: operator.mul given to reduce costs one native
 * call per item.
 *
 * itemgetter, attrgetter and methodcaller are small callable types that keep
 * their arguments in the form the call needs (an index for itemgetter(1),
 * attribute names already split at the dots, a prepared argument vector for
 * methodcaller). They can be sent to other processes (ser_dump/ser_load).
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

/* ==== argument checks, with CPython's messages =============================== */

static bool has_kw(RtValue *kwnames) { return kwnames && RT_TUPLE_LEN(kwnames) > 0; }

/* A METH_FASTCALL function of _operator: "add expected 2 arguments, got 1". */
static int fastcall_args(const char *name, size_t nargs, RtValue *kwnames, size_t min, size_t max) {
    if (has_kw(kwnames)) {
        rt_raise_fmt(&rt_exc_TypeError, "_operator.%s() takes no keyword arguments", name);
        return -1;
    }
    if (nargs >= min && nargs <= max) return 0;
    const char *how = min == max ? "" : nargs < min ? "at least " : "at most ";
    size_t want = nargs < min ? min : max;
    rt_raise_fmt(&rt_exc_TypeError, "%s expected %s%zu argument%s, got %zu", name, how, want,
                 want == 1 ? "" : "s", nargs);
    return -1;
}

/* A METH_O function: "_operator.neg() takes exactly one argument (0 given)". */
static int one_arg(const char *name, size_t nargs, RtValue *kwnames) {
    if (has_kw(kwnames)) {
        rt_raise_fmt(&rt_exc_TypeError, "_operator.%s() takes no keyword arguments", name);
        return -1;
    }
    if (nargs == 1) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "_operator.%s() takes exactly one argument (%zu given)", name, nargs);
    return -1;
}

/* The argument checks of the callable types: "itemgetter expected 1 argument, got 2". */
static int type_args(const char *name, size_t nargs, RtValue *kwnames, size_t min, size_t max) {
    if (has_kw(kwnames)) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", name);
        return -1;
    }
    if (nargs >= min && nargs <= max) return 0;
    /* CPython says "expected 1 argument" also when more would do */
    rt_raise_fmt(&rt_exc_TypeError, "%s expected %zu argument%s, got %zu", name, min, min == 1 ? "" : "s", nargs);
    return -1;
}

/* Identity hash, as object.__hash__. */
static int ident_hash(RtValue *self, int64_t *out) {
    uintptr_t p = (uintptr_t)self;
    *out = (int64_t)((p >> 4) | (p << (8 * sizeof p - 4)));
    if (*out == -1) *out = -2;
    return 0;
}

/* ==== arithmetic ================================================================ */

#define BINARY(name, op)                                                                           \
    RtValue *rt_operator_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {  \
        (void)self;                                                                                \
        if (fastcall_args(#name, nargs, kw, 2, 2) < 0) return NULL;                                \
        return rt_binop(args[0], args[1], op);                                                     \
    }                                                                                              \
    RtValue *rt_operator_i##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) { \
        (void)self;                                                                                \
        if (fastcall_args("i" #name, nargs, kw, 2, 2) < 0) return NULL;                            \
        return rt_inplace_binop(args[0], args[1], op);                                             \
    }
BINARY(add, RT_ADD)
BINARY(sub, RT_SUB)
BINARY(mul, RT_MUL)
BINARY(truediv, RT_TRUEDIV)
BINARY(floordiv, RT_FLOORDIV)
BINARY(mod, RT_MOD)
BINARY(pow, RT_POW)
BINARY(matmul, RT_MATMUL)
BINARY(lshift, RT_LSHIFT)
BINARY(rshift, RT_RSHIFT)
#undef BINARY

/* and_, or_, xor: the trailing underscore is not part of the in-place names. */
#define BITWISE(name, iname, op)                                                                   \
    RtValue *rt_operator_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {  \
        (void)self;                                                                                \
        if (fastcall_args(#name, nargs, kw, 2, 2) < 0) return NULL;                                \
        return rt_binop(args[0], args[1], op);                                                     \
    }                                                                                              \
    RtValue *rt_operator_##iname(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) { \
        (void)self;                                                                                \
        if (fastcall_args(#iname, nargs, kw, 2, 2) < 0) return NULL;                               \
        return rt_inplace_binop(args[0], args[1], op);                                             \
    }
BITWISE(and_, iand, RT_AND)
BITWISE(or_, ior, RT_OR)
BITWISE(xor, ixor, RT_XOR)
#undef BITWISE

/* PySequence_Check: has item access and is not a mapping. */
static bool is_sequence(RtValue *o) {
    return o->type->getitem != NULL && !rt_is_dict_like(o);
}

static RtValue *concat(const char *name, RtValue *const *args, size_t nargs, RtValue *kw, bool inplace) {
    if (fastcall_args(name, nargs, kw, 2, 2) < 0) return NULL;
    if (!is_sequence(args[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "'%T' object can't be concatenated", args[0]);
    return inplace ? rt_inplace_binop(args[0], args[1], RT_ADD) : rt_binop(args[0], args[1], RT_ADD);
}

RtValue *rt_operator_concat(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return concat("concat", args, nargs, kw, false);
}

RtValue *rt_operator_iconcat(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return concat("iconcat", args, nargs, kw, true);
}

#define UNARY(name, op)                                                                            \
    RtValue *rt_operator_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {  \
        (void)self;                                                                                \
        if (one_arg(#name, nargs, kw) < 0) return NULL;                                            \
        return rt_unary(args[0], op);                                                              \
    }
UNARY(neg, RT_NEG)
UNARY(pos, RT_POS)
UNARY(inv, RT_INVERT)
UNARY(invert, RT_INVERT)
#undef UNARY

RtValue *rt_operator_abs(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (one_arg("abs", nargs, kw) < 0) return NULL;
    return rt_bi_abs(NULL, args, 1, NULL);
}

RtValue *rt_operator_not_(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (one_arg("not_", nargs, kw) < 0) return NULL;
    int t = rt_truthy(args[0]);
    return t < 0 ? NULL : rt_bool(!t);
}

RtValue *rt_operator_truth(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (one_arg("truth", nargs, kw) < 0) return NULL;
    int t = rt_truthy(args[0]);
    return t < 0 ? NULL : rt_bool(t);
}

/* index(a): a.__index__(), an exact int. */
RtValue *rt_operator_index(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (one_arg("index", nargs, kw) < 0) return NULL;
    RtValue *a = args[0];
    if (a->type == &rt_type_int) return rt_newref(a);
    if (a->type == &rt_type_bool) return rt_int(a == rt_True);
    if (rt_type_has_script_attr(a->type, "__index__")) {
        RtValue *r = rt_call_method(a, "__index__", NULL, 0, NULL);
        if (r && !rt_is_int(r)) {
            rt_raise_fmt(&rt_exc_TypeError, "__index__ returned non-int (type %T)", r);
            RT_CLEAR(r);
        }
        return r;
    }
    return rt_raise_fmt(&rt_exc_TypeError, "'%T' object cannot be interpreted as an integer", a);
}

/* ==== comparisons and identity ================================================== */

#define COMPARE(name, op)                                                                          \
    RtValue *rt_operator_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {  \
        (void)self;                                                                                \
        if (fastcall_args(#name, nargs, kw, 2, 2) < 0) return NULL;                                \
        return rt_richcompare(args[0], args[1], op);                                               \
    }
COMPARE(lt, RT_LT)
COMPARE(le, RT_LE)
COMPARE(eq, RT_EQ)
COMPARE(ne, RT_NE)
COMPARE(gt, RT_GT)
COMPARE(ge, RT_GE)
#undef COMPARE

RtValue *rt_operator_is_(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("is_", nargs, kw, 2, 2) < 0) return NULL;
    return rt_bool(args[0] == args[1]);
}

RtValue *rt_operator_is_not(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("is_not", nargs, kw, 2, 2) < 0) return NULL;
    return rt_bool(args[0] != args[1]);
}

/* ==== sequences ================================================================== */

RtValue *rt_operator_contains(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("contains", nargs, kw, 2, 2) < 0) return NULL;
    int r = rt_contains(args[0], args[1]);
    return r < 0 ? NULL : rt_bool(r);
}

/* PySequence_Count / PySequence_Index: a search by iteration. Returns the
 * count (count_all) or the first index, -2 when not found, -1 on error. */
static int64_t iter_search(RtValue *seq, RtValue *obj, bool count_all) {
    RtValue *it = rt_iter(seq);
    if (!it) {
        if (rt_exc_matches((RtValue *)&rt_exc_TypeError)) {
            rt_decref(rt_exc_fetch());
            rt_raise_fmt(&rt_exc_TypeError, "argument of type '%T' is not iterable", seq);
        }
        return -1;
    }
    int64_t i = 0, n = 0, found = -2;
    RtValue *x;
    while ((x = rt_iter_next(it))) {
        int eq = rt_eq(x, obj);
        rt_decref(x);
        if (eq < 0) break;
        if (eq && !count_all) { found = i; break; }
        n += eq;
        i++;
    }
    rt_decref(it);
    if (RT_ERR()) return -1;
    return count_all ? n : found;
}

RtValue *rt_operator_countOf(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("countOf", nargs, kw, 2, 2) < 0) return NULL;
    int64_t n = iter_search(args[0], args[1], true);
    return n < 0 ? NULL : rt_int(n);
}

RtValue *rt_operator_indexOf(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("indexOf", nargs, kw, 2, 2) < 0) return NULL;
    int64_t i = iter_search(args[0], args[1], false);
    if (i == -2) return rt_raise(&rt_exc_ValueError, "sequence.index(x): x not in sequence");
    return i < 0 ? NULL : rt_int(i);
}

RtValue *rt_operator_getitem(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("getitem", nargs, kw, 2, 2) < 0) return NULL;
    return rt_getitem(args[0], args[1]);
}

RtValue *rt_operator_setitem(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("setitem", nargs, kw, 3, 3) < 0) return NULL;
    return rt_setitem(args[0], args[1], args[2]) < 0 ? NULL : rt_newref(rt_None);
}

RtValue *rt_operator_delitem(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("delitem", nargs, kw, 2, 2) < 0) return NULL;
    return rt_delitem(args[0], args[1]) < 0 ? NULL : rt_newref(rt_None);
}

/* length_hint(obj, default=0): len(obj) when it has one, else
 * obj.__length_hint__() for script classes, else default.
 * XXX: the runtime's own iterators give no hint (CPython's list iterator
 * reports what is left); they get the default. */
RtValue *rt_operator_length_hint(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (fastcall_args("length_hint", nargs, kw, 1, 2) < 0) return NULL;
    RtValue *o = args[0];
    if (nargs == 2 && args[1]->type != &rt_type_int)
        return rt_raise_fmt(&rt_exc_TypeError, "'%T' object cannot be interpreted as an integer", args[1]);
    if (o->type->len) {
        int64_t n = rt_len(o);
        return n < 0 ? NULL : rt_int(n);
    }
    if (rt_type_has_script_attr(o->type, "__length_hint__")) {
        RtValue *r = rt_call_method(o, "__length_hint__", NULL, 0, NULL);
        if (!r) return NULL;
        if (r == rt_NotImplemented) {
            rt_decref(r);
            return nargs == 2 ? rt_newref(args[1]) : rt_int(0);
        }
        if (!rt_is_int(r)) {
            rt_raise_fmt(&rt_exc_TypeError, "__length_hint__ must be an integer, not %T", r);
            rt_decref(r);
            return NULL;
        }
        if (rt_int_sign(r) < 0) {
            rt_decref(r);
            return rt_raise(&rt_exc_ValueError, "__length_hint__() should return >= 0");
        }
        return r;
    }
    return nargs == 2 ? rt_newref(args[1]) : rt_int(0);
}

/* call(obj, /, *args, **kwargs) (new in 3.11): obj(*args, **kwargs). */
RtValue *rt_operator_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (nargs < 1) return rt_raise_fmt(&rt_exc_TypeError, "call expected at least 1 argument, got %zu", nargs);
    return rt_call(args[0], args + 1, nargs - 1, kw);
}

/* ==== itemgetter ===================================================================== */

typedef struct ItemGetter {
    RtValue  ob;
    RtValue *items;      /* tuple */
    int64_t  index[];    /* per item: >= 0 when it is that small non-negative int, else -1 */
} ItemGetter;

static RtValue *itemgetter_build(RtValue *items /* tuple, borrowed */) {
    size_t n = RT_TUPLE_LEN(items);
    ItemGetter *g = (ItemGetter *)rt_obj_alloc(&rt_operator_itemgetter, sizeof(ItemGetter) + n * sizeof(int64_t));
    if (!g) return NULL;
    g->items = rt_newref(items);
    for (size_t k = 0; k < n; k++) {
        RtValue *it = RT_TUPLE_GET(items, k);
        bool small = it->type == &rt_type_int && !((RtInt *)it)->big && ((RtInt *)it)->small >= 0;
        g->index[k] = small ? ((RtInt *)it)->small : -1;
    }
    return &g->ob;
}

static RtValue *itemgetter_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    if (type_args("itemgetter", nargs, kw, 1, SIZE_MAX) < 0) return NULL;
    RtValue *items = rt_tuple_from_array(args, nargs);
    if (!items) return NULL;
    RtValue *g = itemgetter_build(items);
    rt_decref(items);
    return g;
}

static void itemgetter_dealloc(RtValue *self) { RT_CLEAR(((ItemGetter *)self)->items); }

/* obj[items[k]]; tuples and lists indexed by a small int skip the generic path. */
static RtValue *getitem_fast(ItemGetter *g, size_t k, RtValue *obj) {
    int64_t i = g->index[k];
    if (i >= 0) {
        if (obj->type == &rt_type_tuple && (uint64_t)i < RT_TUPLE_LEN(obj)) return rt_newref(RT_TUPLE_GET(obj, i));
        if (obj->type == &rt_type_list && (uint64_t)i < RT_LIST_LEN(obj)) return rt_newref(RT_LIST_GET(obj, i));
    }
    return rt_getitem(obj, RT_TUPLE_GET(g->items, k));
}

static RtValue *itemgetter_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    ItemGetter *g = (ItemGetter *)self;
    if (type_args("itemgetter", nargs, kw, 1, 1) < 0) return NULL;
    size_t n = RT_TUPLE_LEN(g->items);
    if (n == 1) return getitem_fast(g, 0, args[0]);
    RtValue *r = rt_tuple_new(n);
    if (!r) return NULL;
    for (size_t k = 0; k < n; k++) {
        RtValue *v = getitem_fast(g, k, args[0]);
        if (!v) { rt_decref(r); return NULL; }
        RT_TUPLE_SET(r, k, v);
    }
    return r;
}

/* "operator.itemgetter(1)", "operator.itemgetter(1, 'a')" */
static RtValue *itemgetter_repr(RtValue *self) {
    ItemGetter *g = (ItemGetter *)self;
    int st = rt_repr_enter(self);
    if (st != 0) return st < 0 ? NULL : rt_str_from_cstr("operator.itemgetter(...)");
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "operator.itemgetter");
    int rc;
    if (RT_TUPLE_LEN(g->items) == 1) {
        rt_strbuf_putc(&b, '(');
        rc = rt_strbuf_put_repr(&b, RT_TUPLE_GET(g->items, 0));
        rt_strbuf_putc(&b, ')');
    } else {
        rc = rt_strbuf_put_repr(&b, g->items);
    }
    rt_repr_leave(self);
    if (rc < 0) { rt_strbuf_free(&b); return NULL; }
    return rt_strbuf_finish(&b);
}

static int itemgetter_dump(RtValue *self, RtBuf *buf) { return rt_ser_dump(buf, ((ItemGetter *)self)->items); }

static RtValue *itemgetter_load(RtType *t, RtBuf *buf) {
    (void)t;
    RtValue *items = rt_ser_load(buf), *g = NULL;
    if (items && (!rt_is_tuple(items) || RT_TUPLE_LEN(items) == 0))
        rt_raise(&rt_exc_ValueError, "serialized itemgetter is malformed");
    else if (items)
        g = itemgetter_build(items);
    rt_xdecref(items);
    return g;
}

RtType rt_operator_itemgetter = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "itemgetter",
    .module = "operator",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(ItemGetter),
    .table_index = -1,
    .dealloc = itemgetter_dealloc,
    .repr = itemgetter_repr,
    .hash = ident_hash,
    .call = itemgetter_call,
    .construct = itemgetter_construct,
    .ser_dump = itemgetter_dump,
    .ser_load = itemgetter_load,
};

/* ==== attrgetter ===================================================================== */

typedef struct AttrGetter {
    RtValue  ob;
    RtValue *attrs;      /* tuple of the names as given ("a.b") */
    RtValue *chains;     /* tuple of tuples: each name split at the dots */
} AttrGetter;

/* "a.b.c" -> ('a', 'b', 'c'). New reference. */
static RtValue *split_dots(RtValue *name) {
    RtValue *dot = rt_str_const(".", 1);
    RtValue *parts = rt_str_m_split(name, &dot, 1, NULL);
    if (!parts) return NULL;
    RtValue *t = rt_tuple_from_array(((RtList *)parts)->items, RT_LIST_LEN(parts));
    rt_decref(parts);
    return t;
}

static RtValue *attrgetter_build(RtValue *attrs /* tuple, borrowed */) {
    size_t n = RT_TUPLE_LEN(attrs);
    for (size_t i = 0; i < n; i++)
        if (!rt_is_str(RT_TUPLE_GET(attrs, i)))
            return rt_raise(&rt_exc_TypeError, "attribute name must be a string");
    RtValue *chains = rt_tuple_new(n);
    if (!chains) return NULL;
    for (size_t i = 0; i < n; i++) {
        RtValue *c = split_dots(RT_TUPLE_GET(attrs, i));
        if (!c) { rt_decref(chains); return NULL; }
        RT_TUPLE_SET(chains, i, c);
    }
    AttrGetter *g = (AttrGetter *)rt_obj_alloc(&rt_operator_attrgetter, sizeof(AttrGetter));
    if (!g) { rt_decref(chains); return NULL; }
    g->attrs = rt_newref(attrs);
    g->chains = chains;
    return &g->ob;
}

static RtValue *attrgetter_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    if (type_args("attrgetter", nargs, kw, 1, SIZE_MAX) < 0) return NULL;
    RtValue *attrs = rt_tuple_from_array(args, nargs);
    if (!attrs) return NULL;
    RtValue *g = attrgetter_build(attrs);
    rt_decref(attrs);
    return g;
}

static void attrgetter_dealloc(RtValue *self) {
    AttrGetter *g = (AttrGetter *)self;
    RT_CLEAR(g->attrs);
    RT_CLEAR(g->chains);
}

/* obj.a.b.c for the chain ('a', 'b', 'c'). New reference. */
static RtValue *get_chain(RtValue *obj, RtValue *chain) {
    RtValue *v = rt_newref(obj);
    for (size_t i = 0; v && i < RT_TUPLE_LEN(chain); i++) {
        RtValue *next = rt_getattr(v, rt_str_data(RT_TUPLE_GET(chain, i)));
        rt_decref(v);
        v = next;
    }
    return v;
}

static RtValue *attrgetter_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    AttrGetter *g = (AttrGetter *)self;
    if (type_args("attrgetter", nargs, kw, 1, 1) < 0) return NULL;
    size_t n = RT_TUPLE_LEN(g->chains);
    if (n == 1) return get_chain(args[0], RT_TUPLE_GET(g->chains, 0));
    RtValue *r = rt_tuple_new(n);
    if (!r) return NULL;
    for (size_t i = 0; i < n; i++) {
        RtValue *v = get_chain(args[0], RT_TUPLE_GET(g->chains, i));
        if (!v) { rt_decref(r); return NULL; }
        RT_TUPLE_SET(r, i, v);
    }
    return r;
}

/* "operator.attrgetter('a.b', 'c')" */
static RtValue *attrgetter_repr(RtValue *self) {
    AttrGetter *g = (AttrGetter *)self;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "operator.attrgetter(");
    for (size_t i = 0; i < RT_TUPLE_LEN(g->attrs); i++) {
        if (i) rt_strbuf_put_cstr(&b, ", ");
        if (rt_strbuf_put_repr(&b, RT_TUPLE_GET(g->attrs, i)) < 0) { rt_strbuf_free(&b); return NULL; }
    }
    rt_strbuf_putc(&b, ')');
    return rt_strbuf_finish(&b);
}

static int attrgetter_dump(RtValue *self, RtBuf *buf) { return rt_ser_dump(buf, ((AttrGetter *)self)->attrs); }

static RtValue *attrgetter_load(RtType *t, RtBuf *buf) {
    (void)t;
    RtValue *attrs = rt_ser_load(buf), *g = NULL;
    if (attrs && (!rt_is_tuple(attrs) || RT_TUPLE_LEN(attrs) == 0))
        rt_raise(&rt_exc_ValueError, "serialized attrgetter is malformed");
    else if (attrs)
        g = attrgetter_build(attrs);
    rt_xdecref(attrs);
    return g;
}

RtType rt_operator_attrgetter = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "attrgetter",
    .module = "operator",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(AttrGetter),
    .table_index = -1,
    .dealloc = attrgetter_dealloc,
    .repr = attrgetter_repr,
    .hash = ident_hash,
    .call = attrgetter_call,
    .construct = attrgetter_construct,
    .ser_dump = attrgetter_dump,
    .ser_load = attrgetter_load,
};

/* ==== methodcaller =================================================================== */

typedef struct MethodCaller {
    RtValue   ob;
    RtValue  *name;      /* str */
    RtValue  *args;      /* tuple */
    RtValue  *kwargs;    /* dict */
    RtValue  *kwnames;   /* tuple of the kwargs' keys, or NULL when there are none */
    RtValue **vec;       /* args, then the kwargs' values: borrowed from args/kwargs */
} MethodCaller;

/* name, args (tuple) and kwargs (dict) are borrowed; kwargs is copied. */
static RtValue *methodcaller_build(RtValue *name, RtValue *args, RtValue *kwargs) {
    if (!rt_is_str(name)) return rt_raise(&rt_exc_TypeError, "method name must be a string");
    MethodCaller *m = (MethodCaller *)rt_obj_alloc(&rt_operator_methodcaller, sizeof(MethodCaller));
    if (!m) return NULL;
    m->name = rt_newref(name);
    m->args = rt_newref(args);
    if (!(m->kwargs = rt_dict_copy(kwargs))) goto fail;
    size_t na = RT_TUPLE_LEN(args), nk = rt_dict_len(m->kwargs);
    if (!(m->vec = rt_malloc(sizeof(RtValue *) * (na + nk + 1)))) goto fail;
    for (size_t i = 0; i < na; i++) m->vec[i] = RT_TUPLE_GET(args, i);
    if (nk) {
        if (!(m->kwnames = rt_tuple_new(nk))) goto fail;
        size_t pos = 0, i = 0;
        RtValue *k, *v;
        while (rt_dict_next(m->kwargs, &pos, &k, &v)) {
            RT_TUPLE_SET(m->kwnames, i, rt_newref(k));
            m->vec[na + i++] = v;
        }
    }
    return &m->ob;
fail:
    rt_decref(&m->ob);
    return NULL;
}

static RtValue *methodcaller_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)t;
    if (nargs < 1) return rt_raise(&rt_exc_TypeError, "methodcaller needs at least one argument, the method name");
    if (!rt_is_str(args[0])) return rt_raise(&rt_exc_TypeError, "method name must be a string");
    RtValue *rest = rt_tuple_from_array(args + 1, nargs - 1), *kwargs = rt_dict_new(), *m = NULL;
    size_t nk = kw ? RT_TUPLE_LEN(kw) : 0;
    bool ok = rest && kwargs;
    for (size_t i = 0; ok && i < nk; i++) ok = rt_dict_set(kwargs, RT_TUPLE_GET(kw, i), args[nargs + i]) == 0;
    if (ok) m = methodcaller_build(args[0], rest, kwargs);
    rt_xdecref(rest);
    rt_xdecref(kwargs);
    return m;
}

static void methodcaller_dealloc(RtValue *self) {
    MethodCaller *m = (MethodCaller *)self;
    RT_CLEAR(m->name);
    RT_CLEAR(m->args);
    RT_CLEAR(m->kwargs);
    RT_CLEAR(m->kwnames);
    rt_free(m->vec);
}

static RtValue *methodcaller_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    MethodCaller *m = (MethodCaller *)self;
    if (type_args("methodcaller", nargs, kw, 1, 1) < 0) return NULL;
    return rt_call_method(args[0], rt_str_data(m->name), m->vec, RT_TUPLE_LEN(m->args), m->kwnames);
}

/* "operator.methodcaller('split', ',', maxsplit=1)" */
static RtValue *methodcaller_repr(RtValue *self) {
    MethodCaller *m = (MethodCaller *)self;
    int st = rt_repr_enter(self);
    if (st != 0) return st < 0 ? NULL : rt_str_from_cstr("operator.methodcaller(...)");
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "operator.methodcaller(");
    int rc = rt_strbuf_put_repr(&b, m->name);
    for (size_t i = 0; rc == 0 && i < RT_TUPLE_LEN(m->args); i++) {
        rt_strbuf_put_cstr(&b, ", ");
        rc = rt_strbuf_put_repr(&b, RT_TUPLE_GET(m->args, i));
    }
    size_t pos = 0;
    RtValue *k, *v;
    while (rc == 0 && rt_dict_next(m->kwargs, &pos, &k, &v)) {
        rt_strbuf_put_cstr(&b, ", ");
        rt_strbuf_put_strof(&b, k);
        rt_strbuf_putc(&b, '=');
        rc = rt_strbuf_put_repr(&b, v);
    }
    rt_strbuf_putc(&b, ')');
    rt_repr_leave(self);
    if (rc < 0) { rt_strbuf_free(&b); return NULL; }
    return rt_strbuf_finish(&b);
}

static int methodcaller_dump(RtValue *self, RtBuf *buf) {
    MethodCaller *m = (MethodCaller *)self;
    if (rt_ser_dump(buf, m->name) < 0 || rt_ser_dump(buf, m->args) < 0) return -1;
    return rt_ser_dump(buf, m->kwargs);
}

static RtValue *methodcaller_load(RtType *t, RtBuf *buf) {
    (void)t;
    RtValue *name = rt_ser_load(buf), *args = NULL, *kwargs = NULL, *m = NULL;
    if (name) args = rt_ser_load(buf);
    if (args) kwargs = rt_ser_load(buf);
    if (kwargs && (!rt_is_tuple(args) || !rt_is_dict(kwargs)))
        rt_raise(&rt_exc_ValueError, "serialized methodcaller is malformed");
    else if (kwargs)
        m = methodcaller_build(name, args, kwargs);
    rt_xdecref(name);
    rt_xdecref(args);
    rt_xdecref(kwargs);
    return m;
}

RtType rt_operator_methodcaller = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "methodcaller",
    .module = "operator",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(MethodCaller),
    .table_index = -1,
    .dealloc = methodcaller_dealloc,
    .repr = methodcaller_repr,
    .hash = ident_hash,
    .call = methodcaller_call,
    .construct = methodcaller_construct,
    .ser_dump = methodcaller_dump,
    .ser_load = methodcaller_load,
};

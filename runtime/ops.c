/* ops.c: the generic protocol — what `a + b`, `a < b`, `bool(x)`, `x[i]`,
 * `len(x)`, `for v in x`, `with m:` and unpacking do when the translator
 * could not prove the operand types.
 *
 * Each operation dispatches through the operands' type slots in the order
 * CPython uses (left operand, then the reflected right operand, then the
 * fallbacks such as identity for ==), and raises CPython's TypeError text
 * when nothing applies. Fast paths for small ints, floats and strs keep the
 * common cases cheap.
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

/* ==== arithmetic ============================================================= */

static const char *const binop_symbols[] = {
    [RT_ADD] = "+", [RT_SUB] = "-", [RT_MUL] = "*", [RT_MATMUL] = "@",
    [RT_TRUEDIV] = "/", [RT_MOD] = "%", [RT_POW] = "** or pow()",
    [RT_LSHIFT] = "<<", [RT_RSHIFT] = ">>", [RT_OR] = "|", [RT_XOR] = "^",
    [RT_AND] = "&", [RT_FLOORDIV] = "//",
};

static bool is_concat_seq(RtValue *o) {
    RtType *t = o->type;
    return t == &rt_type_str || t == &rt_type_list || t == &rt_type_tuple ||
           t == &rt_type_bytes || t == &rt_type_bytearray;
}

static RtValue *binop_error(RtValue *a, RtValue *b, RtBinOp op, bool inplace) {
    if (op == RT_ADD && is_concat_seq(a))
        return rt_raise_fmt(&rt_exc_TypeError, "can only concatenate %s (not \"%s\") to %s",
                            a->type->name, b->type->name, a->type->name);
    if (op == RT_MUL && (is_concat_seq(a) || is_concat_seq(b)))
        return rt_raise_fmt(&rt_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                            is_concat_seq(a) ? b->type->name : a->type->name);
    char sym[16];
    strcpy(sym, binop_symbols[op]);
    if (inplace) {
        if (op == RT_POW) strcpy(sym, "**=");
        else strcat(sym, "=");
    }
    return rt_raise_fmt(&rt_exc_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'",
                        sym, a->type->name, b->type->name);
}

static RtValue *binop_try(RtValue *a, RtValue *b, RtBinOp op) {
    RtValue *(*fa)(RtValue *, RtValue *, RtBinOp) = a->type->binop;
    RtValue *(*fb)(RtValue *, RtValue *, RtBinOp) = b->type->binop;
    if (fa) {
        RtValue *r = fa(a, b, op);
        if (r != rt_NotImplemented) return r;
    }
    if (fb && fb != fa) {
        RtValue *r = fb(a, b, op);
        if (r != rt_NotImplemented) return r;
    }
    return rt_NotImplemented;
}

RtValue *rt_binop(RtValue *a, RtValue *b, RtBinOp op) {
    RtValue *r = binop_try(a, b, op);
    return r == rt_NotImplemented ? binop_error(a, b, op, false) : r;
}

RtValue *rt_inplace_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (a->type->inplace) {
        RtValue *r = a->type->inplace(a, b, op);
        if (r != rt_NotImplemented) return r;
    }
    RtValue *r = binop_try(a, b, op);
    return r == rt_NotImplemented ? binop_error(a, b, op, true) : r;
}

RtValue *rt_unary(RtValue *a, RtUnaryOp op) {
    if (op == RT_NOT) {
        int t = rt_truthy(a);
        return t < 0 ? NULL : rt_bool(!t);
    }
    if (a->type->unary) return a->type->unary(a, op);
    static const char *const sym[] = {[RT_INVERT] = "~", [RT_POS] = "+", [RT_NEG] = "-"};
    return rt_raise_fmt(&rt_exc_TypeError, "bad operand type for unary %s: '%s'", sym[op], a->type->name);
}

/* ==== comparison ============================================================== */

static const RtCmpOp swapped[] = {
    [RT_LT] = RT_GT, [RT_LE] = RT_GE, [RT_EQ] = RT_EQ,
    [RT_NE] = RT_NE, [RT_GT] = RT_LT, [RT_GE] = RT_LE,
};
static const char *const cmp_symbols[] = {
    [RT_LT] = "<", [RT_LE] = "<=", [RT_EQ] = "==", [RT_NE] = "!=", [RT_GT] = ">", [RT_GE] = ">=",
};

RtValue *rt_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    RtType *ta = a->type, *tb = b->type;
    bool tried_b = false;
    /* A subclass on the right that overrides the comparison goes first. */
    if (ta != tb && tb->richcompare && rt_type_is_subtype(tb, ta) && tb->richcompare != ta->richcompare) {
        RtValue *r = tb->richcompare(b, a, swapped[op]);
        if (r != rt_NotImplemented) return r;
        tried_b = true;
    }
    if (ta->richcompare) {
        RtValue *r = ta->richcompare(a, b, op);
        if (r != rt_NotImplemented) return r;
    }
    if (!tried_b && tb->richcompare) {   /* the reflected operation, even for the same type */
        RtValue *r = tb->richcompare(b, a, swapped[op]);
        if (r != rt_NotImplemented) return r;
    }
    if (op == RT_EQ) return rt_bool(a == b);
    if (op == RT_NE) return rt_bool(a != b);
    return rt_raise_fmt(&rt_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                        cmp_symbols[op], ta->name, tb->name);
}

static bool small_int(const RtValue *o, int64_t *v) {
    if (o->type != &rt_type_int) return false;
    const RtInt *i = (const RtInt *)o;
    if (i->big) return false;
    *v = i->small;
    return true;
}

static int cmp_i64(int64_t x, int64_t y, RtCmpOp op) {
    switch (op) {
    case RT_LT: return x < y;
    case RT_LE: return x <= y;
    case RT_EQ: return x == y;
    case RT_NE: return x != y;
    case RT_GT: return x > y;
    case RT_GE: return x >= y;
    }
    return 0;
}

static int cmp_f64(double x, double y, RtCmpOp op) {
    switch (op) {
    case RT_LT: return x < y;
    case RT_LE: return x <= y;
    case RT_EQ: return x == y;
    case RT_NE: return x != y;
    case RT_GT: return x > y;
    case RT_GE: return x >= y;
    }
    return 0;
}

int rt_compare_bool(RtValue *a, RtValue *b, RtCmpOp op) {
    int64_t x, y;
    if (small_int(a, &x) && small_int(b, &y)) return cmp_i64(x, y, op);
    if (a->type == &rt_type_float && b->type == &rt_type_float)
        return cmp_f64(rt_float_val(a), rt_float_val(b), op);
    if (a->type == &rt_type_str && b->type == &rt_type_str && (op == RT_EQ || op == RT_NE)) {
        bool eq = a == b || (rt_str_nbytes(a) == rt_str_nbytes(b) &&
                             memcmp(rt_str_data(a), rt_str_data(b), rt_str_nbytes(a)) == 0);
        return op == RT_EQ ? eq : !eq;
    }
    RtValue *r = rt_richcompare(a, b, op);
    if (!r) return -1;
    int t = r == rt_True ? 1 : r == rt_False ? 0 : rt_truthy(r);
    rt_decref(r);
    return t;
}

int rt_eq(RtValue *a, RtValue *b) {
    if (a == b) return 1;   /* identity implies equality in containers, as CPython */
    return rt_compare_bool(a, b, RT_EQ);
}

/* ==== truth, hashing, text ====================================================== */

int rt_truthy(RtValue *o) {
    if (o == rt_True) return 1;
    if (o == rt_False || o == rt_None) return 0;
    RtType *t = o->type;
    if (t->truthy) return t->truthy(o);
    if (t->len) {
        int64_t n = t->len(o);
        return n < 0 ? -1 : n > 0;
    }
    return 1;
}

int rt_hash(RtValue *o, int64_t *out) {
    if (o->type->hash) return o->type->hash(o, out);
    rt_raise_fmt(&rt_exc_TypeError, "unhashable type: '%s'", o->type->name);
    return -1;
}

static RtValue *default_repr(RtValue *o) {
    char buf[256];
    const RtType *t = o->type;
    if (t->module && strcmp(t->module, "builtins") != 0)
        snprintf(buf, sizeof buf, "<%s.%s object at %p>", t->module, t->name, (void *)o);
    else
        snprintf(buf, sizeof buf, "<%s object at %p>", t->name, (void *)o);
    return rt_str_from_cstr(buf);
}

RtValue *rt_repr(RtValue *o) {
    if (o->type->repr) return o->type->repr(o);
    return default_repr(o);
}

RtValue *rt_str(RtValue *o) {
    if (o->type == &rt_type_str) return rt_newref(o);
    if (o->type->str) return o->type->str(o);
    return rt_repr(o);
}

RtValue *rt_ascii(RtValue *o) {
    RtValue *r = rt_repr(o);
    if (!r) return NULL;
    const unsigned char *s = (const unsigned char *)rt_str_data(r);
    size_t n = rt_str_nbytes(r);
    bool ascii = true;
    for (size_t i = 0; i < n; i++) if (s[i] >= 0x80) { ascii = false; break; }
    if (ascii) return r;
    /* Escape each non-ASCII code point as \xhh, \uhhhh or \Uhhhhhhhh. */
    char *out = rt_malloc(n * 10 + 1);
    if (!out) { rt_decref(r); return NULL; }
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x80) { out[j++] = (char)c; i++; continue; }
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        uint32_t cp = c & (0x3F >> (len - 1));
        for (int k = 1; k < len && i + (size_t)k < n; k++) cp = (cp << 6) | (s[i + k] & 0x3F);
        i += (size_t)len;
        if (cp <= 0xFF) j += (size_t)sprintf(out + j, "\\x%02x", cp);
        else if (cp <= 0xFFFF) j += (size_t)sprintf(out + j, "\\u%04x", cp);
        else j += (size_t)sprintf(out + j, "\\U%08x", cp);
    }
    RtValue *res = rt_str_new(out, j);
    rt_free(out);
    rt_decref(r);
    return res;
}

RtValue *rt_format(RtValue *o, RtValue *spec) {
    const char *s = spec ? rt_str_data(spec) : "";
    size_t n = spec ? rt_str_nbytes(spec) : 0;
    RtType *t = o->type;
    if (t->flags & RT_TF_HEAP) {
        RtValue *fmt = spec ? rt_newref(spec) : rt_str_const("", 0);
        RtValue *r = rt_call_method(o, "__format__", &fmt, 1, NULL);
        rt_decref(fmt);
        if (r || !rt_exc_matches((RtValue *)&rt_exc_AttributeError)) return r;
        rt_decref(rt_exc_fetch());
    }
    if (t == &rt_type_int || (t == &rt_type_bool && n)) return rt_format_int(o, s, n);
    if (t == &rt_type_float) return rt_format_float(o, s, n);
    if (t == &rt_type_complex && n) return rt_format_complex(o, s, n);
    if (t == &rt_type_str) return rt_format_str(o, s, n);
    if (n == 0) return rt_str(o);
    if (t == &rt_type_bool) return rt_format_int(o, s, n);
    return rt_raise_fmt(&rt_exc_TypeError, "unsupported format string passed to %s.__format__", t->name);
}

/* ==== containers ================================================================= */

int64_t rt_len(RtValue *o) {
    if (o->type->len) return o->type->len(o);
    rt_raise_fmt(&rt_exc_TypeError, "object of type '%s' has no len()", o->type->name);
    return -1;
}

RtValue *rt_getitem(RtValue *o, RtValue *key) {
    if (o->type->getitem) return o->type->getitem(o, key);
    if (o->type->tag == RT_T_TYPE)
        return rt_raise_fmt(&rt_exc_TypeError, "type '%s' is not subscriptable", ((RtType *)o)->name);
    return rt_raise_fmt(&rt_exc_TypeError, "'%s' object is not subscriptable", o->type->name);
}

int rt_setitem(RtValue *o, RtValue *key, RtValue *v) {
    if (o->type->setitem) return o->type->setitem(o, key, v);
    rt_raise_fmt(&rt_exc_TypeError, "'%s' object does not support item assignment", o->type->name);
    return -1;
}

int rt_delitem(RtValue *o, RtValue *key) {
    if (o->type->setitem) return o->type->setitem(o, key, NULL);
    rt_raise_fmt(&rt_exc_TypeError, "'%s' object doesn't support item deletion", o->type->name);
    return -1;
}

int rt_contains(RtValue *container, RtValue *item) {
    RtType *t = container->type;
    if (t->contains) return t->contains(container, item);
    if (t->iter) {
        RtValue *it = rt_iter(container);
        if (!it) return -1;
        int found = 0;
        RtValue *x;
        while (!found && (x = rt_iter_next(it))) {
            found = rt_eq(x, item);
            rt_decref(x);
        }
        rt_decref(it);
        return RT_ERR() ? -1 : found;
    }
    rt_raise_fmt(&rt_exc_TypeError, "argument of type '%s' is not iterable", t->name);
    return -1;
}

RtValue *rt_iter(RtValue *o) {
    if (o->type->iter) return o->type->iter(o);
    return rt_raise_fmt(&rt_exc_TypeError, "'%s' object is not iterable", o->type->name);
}

RtValue *rt_iter_next(RtValue *it) {
    if (it->type->iternext) return it->type->iternext(it);
    return rt_raise_fmt(&rt_exc_TypeError, "'%s' object is not an iterator", it->type->name);
}

int rt_isinstance(RtValue *o, RtValue *cls) {
    if (cls->type == &rt_type_tuple) {
        for (size_t i = 0; i < RT_TUPLE_LEN(cls); i++) {
            int r = rt_isinstance(o, RT_TUPLE_GET(cls, i));
            if (r) return r;
        }
        return 0;
    }
    if (cls->type->tag != RT_T_TYPE) {
        rt_raise(&rt_exc_TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union");
        return -1;
    }
    return rt_isinstance_t(o, (RtType *)cls);
}

int rt_issubclass(RtValue *cls, RtValue *base) {
    if (cls->type->tag != RT_T_TYPE) {
        rt_raise(&rt_exc_TypeError, "issubclass() arg 1 must be a class");
        return -1;
    }
    if (base->type == &rt_type_tuple) {
        for (size_t i = 0; i < RT_TUPLE_LEN(base); i++) {
            int r = rt_issubclass(cls, RT_TUPLE_GET(base, i));
            if (r) return r;
        }
        return 0;
    }
    if (base->type->tag != RT_T_TYPE) {
        rt_raise(&rt_exc_TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
        return -1;
    }
    return rt_type_is_subtype((RtType *)cls, (RtType *)base);
}

/* ==== with ========================================================================= */

RtValue *rt_with_enter(RtValue *mgr) {
    /* as CPython, __enter__ and __exit__ are looked up on the type */
    if (!rt_type_has_attr(mgr->type, "__exit__") || !rt_type_has_attr(mgr->type, "__enter__"))
        return rt_raise_fmt(&rt_exc_TypeError,
                            "'%s' object does not support the context manager protocol", mgr->type->name);
    return rt_call_method(mgr, "__enter__", NULL, 0, NULL);
}

int rt_with_exit(RtValue *mgr, RtValue *exc) {
    RtValue *args[3] = {rt_None, rt_None, rt_None};
    if (exc) {
        args[0] = (RtValue *)exc->type;
        args[1] = exc;
    }
    RtValue *r = rt_call_method(mgr, "__exit__", args, 3, NULL);
    if (!r) return -1;
    int t = exc ? rt_truthy(r) : 0;
    rt_decref(r);
    return t;
}

/* ==== unpacking ====================================================================== */

static int unpack_error_count(size_t want, size_t got, int star) {
    if (star >= 0)
        rt_raise_fmt(&rt_exc_ValueError, "not enough values to unpack (expected at least %zu, got %zu)",
                     want - 1, got);
    else if (got < want)
        rt_raise_fmt(&rt_exc_ValueError, "not enough values to unpack (expected %zu, got %zu)", want, got);
    else
        rt_raise_fmt(&rt_exc_ValueError, "too many values to unpack (expected %zu)", want);
    return -1;
}

/* Unpacks from an array of borrowed items (the tuple/list fast path). */
static int unpack_array(RtValue *const *items, size_t len, size_t n, int star, RtValue **out) {
    if (star < 0) {
        if (len != n) return unpack_error_count(n, len, star);
        for (size_t i = 0; i < n; i++) out[i] = rt_newref(items[i]);
        return 0;
    }
    if (len < n - 1) return unpack_error_count(n, len, star);
    size_t after = n - 1 - (size_t)star;
    for (size_t i = 0; i < (size_t)star; i++) out[i] = rt_newref(items[i]);
    RtValue *mid = rt_list_from_array(items + star, len - after - (size_t)star);
    if (!mid) {
        for (size_t i = 0; i < (size_t)star; i++) RT_CLEAR(out[i]);
        return -1;
    }
    out[star] = mid;
    for (size_t i = 0; i < after; i++) out[(size_t)star + 1 + i] = rt_newref(items[len - after + i]);
    return 0;
}

int rt_unpack(RtValue *seq, size_t n, int star, RtValue **out) {
    if (seq->type == &rt_type_tuple)
        return unpack_array(((RtTuple *)seq)->items, RT_TUPLE_LEN(seq), n, star, out);
    if (seq->type == &rt_type_list)
        return unpack_array(((RtList *)seq)->items, RT_LIST_LEN(seq), n, star, out);
    if (!seq->type->iter) {
        rt_raise_fmt(&rt_exc_TypeError, "cannot unpack non-iterable %s object", seq->type->name);
        return -1;
    }
    /* General iterables: collect everything, then unpack the list. */
    RtValue *all = rt_list_from_iter(seq);
    if (!all) return -1;
    int r = unpack_array(((RtList *)all)->items, RT_LIST_LEN(all), n, star, out);
    rt_decref(all);
    return r;
}

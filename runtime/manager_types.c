/* manager_types.c: the plain objects a manager's server holds besides dict
 * and list — multiprocessing.managers.Namespace, multiprocessing.managers.Value
 * and array.array (what SyncManager.Array builds) — with the reprs that str()
 * of their proxies shows, and serialization for _getvalue() and slices.
 *
 * array.array keeps its items as Python ints and floats (not C storage): each
 * value is checked against its typecode's C range with the array module's
 * messages when it is stored, and 'f' items are rounded to float precision,
 * so every observable value matches CPython's.
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

/* ==== Namespace ================================================================== */

typedef struct RtNamespace {
    RtValue  ob;
    RtValue *dict;     /* the attributes (dict_offset) */
} RtNamespace;

/* Namespace(**kwds) */
static RtValue *ns_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (nargs)
        return rt_raise_fmt(&rt_exc_TypeError, "Namespace.__init__() takes 1 positional argument but %d were given",
                            (int)nargs + 1);
    RtValue *o = rt_obj_alloc(type, sizeof(RtNamespace));
    if (!o) return NULL;
    size_t nkw = kw ? RT_TUPLE_LEN(kw) : 0;
    for (size_t i = 0; i < nkw; i++)
        if (rt_setattr(o, rt_str_data(RT_TUPLE_GET(kw, i)), args[nargs + i]) < 0) {
            rt_decref(o);
            return NULL;
        }
    return o;
}

static void ns_dealloc(RtValue *o) { RT_CLEAR(((RtNamespace *)o)->dict); }

/* Namespace.__repr__: the public attributes as name=repr, sorted as strings. */
static RtValue *ns_repr(RtValue *o) {
    RtValue *d = ((RtNamespace *)o)->dict;
    RtValue *parts = rt_list_new(0);
    if (!parts) return NULL;
    size_t pos = 0;
    RtValue *k, *v;
    while (d && rt_dict_next(d, &pos, &k, &v)) {
        if (!rt_is_str(k) || rt_str_data(k)[0] == '_') continue;
        RtStrBuf b;
        rt_strbuf_init(&b);
        rt_strbuf_put_str(&b, k);
        rt_strbuf_putc(&b, '=');
        rt_strbuf_put_repr(&b, v);
        RtValue *s = rt_strbuf_finish(&b);
        if (!s || rt_list_append_steal(parts, s) < 0) { rt_decref(parts); return NULL; }
    }
    RtValue *sep = rt_str_const(", ", 2);
    RtValue *joined = rt_list_sort(parts, NULL, false) == 0 ? rt_str_join(sep, parts) : NULL;
    rt_decref(parts);
    if (!joined) return NULL;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, o->type->name);
    rt_strbuf_putc(&b, '(');
    rt_strbuf_put_str(&b, joined);
    rt_strbuf_putc(&b, ')');
    rt_decref(joined);
    return rt_strbuf_finish(&b);
}

static int ns_ser_dump(RtValue *o, RtBuf *buf) {
    RtValue *d = ((RtNamespace *)o)->dict;
    return rt_ser_dump(buf, d ? d : rt_None);
}

static RtValue *ns_ser_load(RtType *type, RtBuf *buf) {
    RtValue *d = rt_ser_load(buf);
    if (!d) return NULL;
    if (d != rt_None && !rt_is_dict(d)) {
        rt_decref(d);
        return rt_raise(&rt_exc_ValueError, "serialized data is malformed (Namespace)");
    }
    RtValue *o = rt_obj_alloc(type, sizeof(RtNamespace));
    if (!o) { rt_decref(d); return NULL; }
    if (d == rt_None) rt_decref(d);
    else ((RtNamespace *)o)->dict = d;
    return o;
}

RtType rt_mp_Namespace = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Namespace",
    .module = "multiprocessing.managers",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtNamespace),
    .dict_offset = offsetof(RtNamespace, dict),
    .table_index = -1,
    .dealloc = ns_dealloc,
    .repr = ns_repr,
    .construct = ns_construct,
    .ser_dump = ns_ser_dump,
    .ser_load = ns_ser_load,
};

/* ==== managers.Value: a typecode and a value, nothing checked ====================== */

typedef struct RtMgrValue {
    RtValue  ob;
    RtValue *typecode, *value;
} RtMgrValue;

#define MV(o) ((RtMgrValue *)(o))

/* Value(typecode, value, lock=True) */
static RtValue *value_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "typecode", "value", "lock" };
    static const RtArgSpec sp = { "Value.__init__", names, 3, 3, 2, false, true };
    RtValue *a[3];
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    RtValue *o = rt_obj_alloc(type, sizeof(RtMgrValue));
    if (!o) return NULL;
    MV(o)->typecode = rt_newref(a[0]);
    MV(o)->value = rt_newref(a[1]);
    return o;
}

static void value_dealloc(RtValue *o) {
    RT_CLEAR(MV(o)->typecode);
    RT_CLEAR(MV(o)->value);
}

/* "Value('i', 5)" */
static RtValue *value_repr(RtValue *o) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, o->type->name);
    rt_strbuf_putc(&b, '(');
    rt_strbuf_put_repr(&b, MV(o)->typecode);
    rt_strbuf_put_ascii(&b, ", ", 2);
    rt_strbuf_put_repr(&b, MV(o)->value);
    rt_strbuf_putc(&b, ')');
    return rt_strbuf_finish(&b);
}

RtValue *rt_mp_managers_Value_m_get(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const RtArgSpec sp = { "Value.get", NULL, 0, 0, 0, false, true };
    if (rt__shared_bind(&sp, args, nargs, kw, NULL) < 0) return NULL;
    return rt_newref(MV(self)->value);
}

RtValue *rt_mp_managers_Value_m_set(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "value" };
    static const RtArgSpec sp = { "Value.set", names, 1, 1, 1, false, true };
    RtValue *a[1];
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    RT_SETREF(MV(self)->value, rt_newref(a[0]));
    return rt_newref(rt_None);
}

static RtValue *value_get(RtValue *self) { return rt_newref(MV(self)->value); }

static int value_set(RtValue *self, RtValue *v) {
    if (!v) {
        rt_raise(&rt_exc_AttributeError, "can't delete attribute");
        return -1;
    }
    RT_SETREF(MV(self)->value, rt_newref(v));
    return 0;
}

static int value_ser_dump(RtValue *o, RtBuf *buf) {
    if (rt_ser_dump(buf, MV(o)->typecode) < 0) return -1;
    return rt_ser_dump(buf, MV(o)->value);
}

static RtValue *value_ser_load(RtType *type, RtBuf *buf) {
    RtValue *tc = rt_ser_load(buf);
    RtValue *v = tc ? rt_ser_load(buf) : NULL;
    RtValue *o = v ? rt_obj_alloc(type, sizeof(RtMgrValue)) : NULL;
    if (!o) {
        rt_xdecref(tc);
        rt_xdecref(v);
        return NULL;
    }
    MV(o)->typecode = tc;
    MV(o)->value = v;
    return o;
}

static const RtMethodDef value_methods[] = {
    { "get", rt_mp_managers_Value_m_get },
    { "set", rt_mp_managers_Value_m_set },
    { NULL, NULL },
};

static const RtGetSetDef value_getset[] = { { "value", value_get, value_set }, { NULL, NULL, NULL } };

RtType rt_mp_managers_Value = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Value",
    .module = "multiprocessing.managers",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtMgrValue),
    .table_index = -1,
    .dealloc = value_dealloc,
    .repr = value_repr,
    .construct = value_construct,
    .ser_dump = value_ser_dump,
    .ser_load = value_ser_load,
    .methods = value_methods,
    .getset = value_getset,
};

/* ==== array.array ================================================================= */

typedef struct RtArray {
    RtValue   ob;
    char      code;      /* b B u h H i I l L q Q f d */
    size_t    len, cap;
    RtValue **items;     /* ints, floats or 1-character strs, already checked */
} RtArray;

#define ARR(o) ((RtArray *)(o))

static const char typecodes[] = "bBuhHiIlLqQfd";

static RtValue *overflow(const char *msg) { return rt_raise(&rt_exc_OverflowError, msg); }

/* An int that must fit 0..UINT64_MAX (codes I, L, Q): 1 fits, 0 not (message set). */
static int fits_u64(RtValue *v, const char *negative, const char *too_big) {
    if (rt_int_sign(v) < 0) { overflow(negative); return 0; }
    int64_t x;
    if (rt_int_as_i64(v, &x) == 0) return 1;
    rt_decref(rt_exc_fetch());
    RtValue *max = rt_int_from_u64(UINT64_MAX);
    int gt = max ? rt_compare_bool(v, max, RT_GT) : -1;
    rt_xdecref(max);
    if (gt != 0) { if (gt > 0) overflow(too_big); return 0; }
    return 1;
}

/* Checks v against the C range of an integer typecode: a new reference to
 * the int to store, or NULL with the array module's error. */
static RtValue *check_int(char code, RtValue *v) {
    if (!rt_is_int(v))
        return rt_raise_fmt(&rt_exc_TypeError, "'%s' object cannot be interpreted as an integer", v->type->name);
    int64_t x;
    switch (code) {
    case 'I': case 'L': case 'Q': {
        const char *neg = code == 'Q' ? "can't convert negative int to unsigned"
                                      : "can't convert negative value to unsigned int";
        const char *big = code == 'Q' ? "int too big to convert" : "Python int too large to convert to C unsigned long";
        if (!fits_u64(v, neg, big)) return NULL;
        if (code != 'I') break;
        if (rt_int_as_i64(v, &x) < 0) rt_decref(rt_exc_fetch());
        else if (x <= (int64_t)UINT32_MAX) break;
        return overflow("unsigned int is greater than maximum");
    }
    case 'q':
        if (rt_int_as_i64(v, &x) < 0) {
            rt_decref(rt_exc_fetch());
            return overflow("int too big to convert");
        }
        break;
    default: {
        if (rt_int_as_i64(v, &x) < 0) return NULL;   /* "Python int too large to convert to C long" */
        static const struct { char code; int64_t lo, hi; const char *name; } r[] = {
            { 'b', -128, 127, "signed char" }, { 'B', 0, 255, "unsigned byte integer" },
            { 'h', -32768, 32767, "signed short integer" }, { 'H', 0, 65535, "unsigned short" },
            { 'i', INT32_MIN, INT32_MAX, "signed integer" }, { 'l', INT64_MIN, INT64_MAX, "" },
        };
        for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
            if (r[i].code != code) continue;
            if (x < r[i].lo) return rt_raise_fmt(&rt_exc_OverflowError, "%s is less than minimum", r[i].name);
            if (x > r[i].hi) return rt_raise_fmt(&rt_exc_OverflowError, "%s is greater than maximum", r[i].name);
        }
    }
    }
    return v->type == &rt_type_bool ? rt_int(v == rt_True) : rt_newref(v);
}

/* The value stored for v under code: a new reference or NULL. */
static RtValue *check_item(char code, RtValue *v) {
    if (code == 'u') {
        if (!rt_is_str(v) || ((RtStr *)v)->ncp != 1)
            return rt_raise(&rt_exc_TypeError, "array item must be unicode character");
        return rt_newref(v);
    }
    if (code == 'f' || code == 'd') {
        double d;
        if (!rt_is_float(v) && !rt_is_int(v))
            return rt_raise_fmt(&rt_exc_TypeError, "must be real number, not %s", v->type->name);
        if (rt_as_double(v, &d) < 0) return NULL;
        return rt_float(code == 'f' ? (double)(float)d : d);
    }
    return check_int(code, v);
}

static int arr_reserve(RtArray *a, size_t n) {
    if (n <= a->cap) return 0;
    size_t cap = a->cap ? a->cap : 8;
    while (cap < n) cap *= 2;
    RtValue **v = rt_realloc(a->items, cap * sizeof *v);
    if (!v) return -1;
    a->items = v;
    a->cap = cap;
    return 0;
}

static int arr_push(RtArray *a, RtValue *v) {   /* steals v */
    if (arr_reserve(a, a->len + 1) < 0) { rt_decref(v); return -1; }
    a->items[a->len++] = v;
    return 0;
}

static RtValue *arr_alloc(RtType *type, char code) {
    RtValue *o = rt_obj_alloc(type, sizeof(RtArray));
    if (o) ARR(o)->code = code;
    return o;
}

static int arr_extend(RtArray *a, RtValue *seq) {
    if (rt_is_str(seq) && a->code != 'u') {
        rt_raise_fmt(&rt_exc_TypeError, "cannot use a str to initialize an array with typecode '%c'", a->code);
        return -1;
    }
    RtValue *it = rt_iter(seq), *x;
    if (!it) return -1;
    while ((x = rt_iter_next(it))) {
        RtValue *v = check_item(a->code, x);
        rt_decref(x);
        if (!v || arr_push(a, v) < 0) { rt_decref(it); return -1; }
    }
    rt_decref(it);
    return RT_ERR() ? -1 : 0;
}

/* array(typecode[, initializer]) */
static RtValue *arr_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (kw && RT_TUPLE_LEN(kw)) return rt_raise(&rt_exc_TypeError, "array.array() takes no keyword arguments");
    if (nargs < 1 || nargs > 2)
        return rt_raise_fmt(&rt_exc_TypeError, "array() takes at most 2 arguments (%d given)", (int)nargs);
    RtValue *tc = args[0];
    if (!rt_is_str(tc) || ((RtStr *)tc)->ncp != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "array() argument 1 must be a unicode character, not %s",
                            tc->type->name);
    char code = rt_str_data(tc)[0];
    if (!code || !strchr(typecodes, code))
        return rt_raise(&rt_exc_ValueError, "bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)");
    RtValue *o = arr_alloc(type, code);
    if (o && nargs == 2 && arr_extend(ARR(o), args[1]) < 0) RT_CLEAR(o);
    return o;
}

static void arr_dealloc(RtValue *o) {
    rt_release_array(ARR(o)->items, ARR(o)->len);
    rt_free(ARR(o)->items);
}

/* "array('i', [1, 2])", "array('u', 'ab')", "array('d')" */
static RtValue *arr_repr(RtValue *o) {
    RtArray *a = ARR(o);
    RtStrBuf b;
    rt_strbuf_init(&b);
    char head[16];
    snprintf(head, sizeof head, "array('%c'", a->code);
    rt_strbuf_put_cstr(&b, head);
    if (a->len) {
        rt_strbuf_put_ascii(&b, ", ", 2);
        RtValue *body = a->code == 'u' ? rt_str_join(rt_str_const("", 0), o) : rt_list_from_array(a->items, a->len);
        if (!body) { rt_strbuf_free(&b); return NULL; }
        rt_strbuf_put_repr(&b, body);
        rt_decref(body);
    }
    rt_strbuf_putc(&b, ')');
    return rt_strbuf_finish(&b);
}

static int64_t arr_len(RtValue *o) { return (int64_t)ARR(o)->len; }

/* An index: ints only ("array indices must be integers"), negative from the end. */
static int arr_index(RtValue *key, int64_t *out) {
    if (!rt_is_int(key)) {
        rt_raise(&rt_exc_TypeError, "array indices must be integers");
        return -1;
    }
    if (rt_index_as_i64(key, out) < 0) {
        rt_decref(rt_exc_fetch());
        rt_raise(&rt_exc_IndexError, "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    return 0;
}

static RtValue *arr_getitem(RtValue *o, RtValue *key) {
    RtArray *a = ARR(o);
    if (rt_is_slice(key)) {
        int64_t start, stop, step, count;
        if (rt_slice_indices(key, (int64_t)a->len, &start, &stop, &step, &count) < 0) return NULL;
        RtValue *r = arr_alloc(o->type, a->code);
        for (int64_t i = 0, j = start; r && i < count; i++, j += step)
            if (arr_push(ARR(r), rt_newref(a->items[j])) < 0) RT_CLEAR(r);
        return r;
    }
    int64_t i;
    if (arr_index(key, &i) < 0) return NULL;
    if (i < 0) i += (int64_t)a->len;
    if (i < 0 || i >= (int64_t)a->len) return rt_raise(&rt_exc_IndexError, "array index out of range");
    return rt_newref(a->items[i]);
}

/* del a[slice]: keeps the items the slice does not select. */
static int arr_del_slice(RtArray *a, int64_t start, int64_t step, int64_t count) {
    size_t k = 0;
    for (size_t i = 0; i < a->len; i++) {
        int64_t off = (int64_t)i - start;
        bool gone = count > 0 && (step > 0 ? off >= 0 && off % step == 0 && off / step < count
                                           : off <= 0 && off % step == 0 && off / step < count);
        if (gone) rt_decref(a->items[i]);
        else a->items[k++] = a->items[i];
    }
    a->len = k;
    return 0;
}

static int arr_set_slice(RtValue *o, RtValue *key, RtValue *v) {
    RtArray *a = ARR(o);
    int64_t start, stop, step, count;
    if (rt_slice_indices(key, (int64_t)a->len, &start, &stop, &step, &count) < 0) return -1;
    if (!v) return arr_del_slice(a, start, step, count);
    if (v->type != o->type) {
        rt_raise_fmt(&rt_exc_TypeError, "can only assign array (not \"%s\") to array slice", v->type->name);
        return -1;
    }
    RtArray *b = ARR(v);
    if (b->code != a->code) {
        rt_raise(&rt_exc_TypeError, "bad argument type for built-in operation");
        return -1;
    }
    size_t n = b->len;
    RtValue **src = rt_malloc((n ? n : 1) * sizeof *src);   /* b may be a itself */
    if (!src) return -1;
    for (size_t i = 0; i < n; i++) src[i] = rt_newref(b->items[i]);
    if (step == 1) {
        if (stop < start) stop = start;
        size_t old = (size_t)(stop - start), len = a->len;
        if (n > old && arr_reserve(a, len + n - old) < 0) { rt_release_array(src, n); rt_free(src); return -1; }
        for (size_t i = 0; i < old; i++) rt_decref(a->items[start + (int64_t)i]);
        memmove(&a->items[start + (int64_t)n], &a->items[stop], (len - (size_t)stop) * sizeof *src);
        memcpy(&a->items[start], src, n * sizeof *src);
        a->len = len - old + n;
    } else if ((int64_t)n != count) {
        rt_release_array(src, n);
        rt_free(src);
        rt_raise_fmt(&rt_exc_ValueError, "attempt to assign array of size %d to extended slice of size %d",
                     (int)n, (int)count);
        return -1;
    } else {
        for (int64_t i = 0, j = start; i < count; i++, j += step) RT_SETREF(a->items[j], src[i]);
    }
    rt_free(src);
    return 0;
}

static int arr_setitem(RtValue *o, RtValue *key, RtValue *v) {
    RtArray *a = ARR(o);
    if (rt_is_slice(key)) return arr_set_slice(o, key, v);
    int64_t i;
    if (arr_index(key, &i) < 0) return -1;
    if (i < 0) i += (int64_t)a->len;
    if (i < 0 || i >= (int64_t)a->len) {
        rt_raise(&rt_exc_IndexError, v ? "array assignment index out of range" : "array assignment index out of range");
        return -1;
    }
    if (!v) {
        rt_decref(a->items[i]);
        memmove(&a->items[i], &a->items[i + 1], (a->len - (size_t)i - 1) * sizeof *a->items);
        a->len--;
        return 0;
    }
    RtValue *x = check_item(a->code, v);
    if (!x) return -1;
    RT_SETREF(a->items[i], x);
    return 0;
}

static RtValue *arr_iter(RtValue *o) {
    RtValue *l = rt_list_from_array(ARR(o)->items, ARR(o)->len);
    if (!l) return NULL;
    RtValue *it = rt_iter(l);
    rt_decref(l);
    return it;
}

static int arr_contains(RtValue *o, RtValue *x) {
    for (size_t i = 0; i < ARR(o)->len; i++) {
        int r = rt_eq(ARR(o)->items[i], x);
        if (r) return r;
    }
    return 0;
}

static RtValue *arr_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (a->type != &rt_array_array || b->type != &rt_array_array) return rt_NotImplemented;
    return rt_seq_richcompare(ARR(a)->items, ARR(a)->len, ARR(b)->items, ARR(b)->len, op);
}

RtValue *rt_array_array_m_tolist(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("tolist", nargs, kw, 0, 0) < 0) return NULL;
    return rt_list_from_array(ARR(self)->items, ARR(self)->len);
}

static RtValue *arr_typecode(RtValue *self) {
    char c = ARR(self)->code;
    return rt_str_new(&c, 1);
}

static int arr_ser_dump(RtValue *o, RtBuf *buf) {
    if (rt_buf_put_u8(buf, (unsigned char)ARR(o)->code) < 0) return -1;
    RtValue *l = rt_list_from_array(ARR(o)->items, ARR(o)->len);
    if (!l) return -1;
    int rc = rt_ser_dump(buf, l);
    rt_decref(l);
    return rc;
}

static RtValue *arr_ser_load(RtType *type, RtBuf *buf) {
    unsigned code;
    if (rt_buf_get_u8(buf, &code) < 0) return NULL;
    RtValue *l = rt_ser_load(buf);
    if (!l) return NULL;
    if (!code || !strchr(typecodes, (int)code) || !rt_is_list(l)) {
        rt_decref(l);
        return rt_raise(&rt_exc_ValueError, "serialized data is malformed (array)");
    }
    RtValue *o = arr_alloc(type, (char)code);
    if (o && arr_extend(ARR(o), l) < 0) RT_CLEAR(o);
    rt_decref(l);
    return o;
}

static const RtMethodDef arr_methods[] = {
    { "tolist", rt_array_array_m_tolist },
    { NULL, NULL },
};

static const RtGetSetDef arr_getset[] = { { "typecode", arr_typecode, NULL }, { NULL, NULL, NULL } };

RtType rt_array_array = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "array",
    .module = "array",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtArray),
    .table_index = -1,
    .dealloc = arr_dealloc,
    .repr = arr_repr,
    .richcompare = arr_richcompare,
    .len = arr_len,
    .getitem = arr_getitem,
    .setitem = arr_setitem,
    .contains = arr_contains,
    .iter = arr_iter,
    .construct = arr_construct,
    .ser_dump = arr_ser_dump,
    .ser_load = arr_ser_load,
    .methods = arr_methods,
    .getset = arr_getset,
};

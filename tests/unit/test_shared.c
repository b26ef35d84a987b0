/* test_shared.c: ctypes scalars, Structure layouts, arrays, and
 * multiprocessing's Value/Array/RawValue/RawArray with their synchronized
 * wrappers, including the seed notes' example with a real forked child and
 * the shared heap's block reuse rules. Every expected string comes from
 * CPython (shared_expected.h, written by gen_shared_expected.py). */
#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mp2c.h"

#define V_INT(x)      rt_int(x)
#define V_BIG(s)      rt_int_from_digits(s)
#define V_FLOAT(d)    rt_float(d)
#define V_BYTES(s, n) rt_bytes_new((s), (n))
#define V_STR(s)      rt_str_from_cstr(s)
#define V_BOOL(b)     rt_bool(b)
#define V_NONE()      rt_newref(rt_None)
#include "shared_expected.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

/* ---- helpers --------------------------------------------------------------------- */

static char text_buf[4096];

/* Replaces every 0x<hex> by "0x?", as the generator does. */
static const char *masked(const char *s) {
    size_t k = 0;
    for (size_t i = 0; s[i] && k + 4 < sizeof text_buf; i++) {
        if (s[i] == '0' && s[i + 1] == 'x' && isxdigit((unsigned char)s[i + 2])) {
            memcpy(text_buf + k, "0x?", 3);
            k += 3;
            i += 2;
            while (isxdigit((unsigned char)s[i + 1])) i++;
        } else {
            text_buf[k++] = s[i];
        }
    }
    text_buf[k] = '\0';
    return text_buf;
}

/* repr(v) (v is consumed), or "Type: message" of the pending exception. */
static const char *outcome(RtValue *v) {
    char tmp[4096];
    if (!v) {
        RtValue *e = rt_exc_fetch();
        assert_non_null(e);
        char name[128];
        rt_type_qualname(e->type, name, sizeof name);
        RtValue *s = rt_exc_str(e);
        if (s && rt_str_nbytes(s)) snprintf(tmp, sizeof tmp, "%s: %s", name, rt_str_data(s));
        else snprintf(tmp, sizeof tmp, "%s", name);
        rt_xdecref(s);
        rt_decref(e);
        return masked(tmp);
    }
    RtValue *r = rt_repr(v);
    rt_decref(v);
    assert_non_null(r);
    snprintf(tmp, sizeof tmp, "%s", rt_str_data(r));
    rt_decref(r);
    return masked(tmp);
}

/* outcome of an int-returning operation: "None" for 0, the exception for -1. */
static const char *status(int r) { return r < 0 ? outcome(NULL) : "None"; }

static RtValue *S(const char *s) { return rt_str_from_cstr(s); }

/* f(*args, **{kw: kwv}) with borrowed arguments; kw may be NULL. */
static RtValue *callf(RtNativeFn f, size_t n, RtValue **args, const char *kw, RtValue *kwv) {
    RtValue *all[8];
    memcpy(all, args, n * sizeof *args);
    RtValue *kwnames = NULL;
    if (kw) {
        all[n] = kwv;
        RtValue *k = S(kw);
        kwnames = rt_tuple_pack(1, k);
        rt_decref(k);
    }
    RtValue *r = f(NULL, all, n, kwnames);
    rt_xdecref(kwnames);
    return r;
}

static RtValue *value2(const char *tc, RtValue *init, RtValue *lock) {
    RtValue *args[2] = {S(tc), init};
    RtValue *r = callf(rt_mp_Value, init ? 2 : 1, args, lock ? "lock" : NULL, lock);
    rt_decref(args[0]);
    return r;
}

static RtValue *array2(RtValue *tc, RtValue *init, RtValue *lock) {
    RtValue *args[2] = {tc, init};
    return callf(rt_mp_Array, 2, args, lock ? "lock" : NULL, lock);
}

static RtValue *attr(RtValue *o, const char *name) { return rt_getattr(o, name); }

/* class NAME(base): _fields_ = [(n1, t1), ...] (+ _pack_ when pack > 0). */
static RtType *make_struct(const char *name, RtType *base, int pack, int nf, ...) {
    va_list ap;
    va_start(ap, nf);
    RtValue *ns = rt_dict_new();
    if (nf >= 0) {
        RtValue *fields = rt_list_new((size_t)nf);
        for (int i = 0; i < nf; i++) {
            const char *fname = va_arg(ap, const char *);
            RtValue *ftype = va_arg(ap, RtValue *);
            RtValue *n = S(fname);
            RtValue *t = rt_tuple_pack(2, n, ftype);
            rt_decref(n);
            assert_int_equal(rt_list_append(fields, t), 0);
            rt_decref(t);
        }
        assert_int_equal(rt_dict_set_cstr(ns, "_fields_", fields), 0);
        rt_decref(fields);
    }
    va_end(ap);
    if (pack > 0) {
        RtValue *p = rt_int(pack);
        assert_int_equal(rt_dict_set_cstr(ns, "_pack_", p), 0);
        rt_decref(p);
    }
    RtValue *cls = rt_class_new(name, "__main__", base ? base : &rt_ctypes_Structure, ns, -1);
    rt_decref(ns);
    assert_non_null(cls);
    return (RtType *)cls;
}

#define T(t) ((RtValue *)&(t))

static RtType *point_class(void) {
    static RtType *point;
    if (!point) point = make_struct("Point", NULL, 0, 2, "x", T(rt_ctypes_c_double), "y", T(rt_ctypes_c_double));
    return point;
}

static RtValue *pair(double a, double b) {
    RtValue *x = rt_float(a), *y = rt_float(b);
    RtValue *t = rt_tuple_pack(2, x, y);
    rt_decref(x);
    rt_decref(y);
    return t;
}

static RtValue *pow2_inplace(RtValue *obj, const char *name) {
    RtValue *v = rt_getattr(obj, name), *two = rt_int(2);
    assert_non_null(v);
    RtValue *w = rt_inplace_binop(v, two, RT_POW);
    rt_decref(v);
    rt_decref(two);
    return w;
}

/* ---- scalar Values -------------------------------------------------------------------- */

static void test_scalar_typecodes(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof scalar_cases / sizeof scalar_cases[0]; i++) {
        const ScalarCase *c = &scalar_cases[i];
        RtValue *in = c->make();
        assert_non_null(in);
        RtValue *raw = value2(c->tc, in, rt_False);
        const char *got = outcome(raw ? attr(raw, "value") : NULL);
        if (strcmp(got, c->value) != 0) fail_msg("Value(%s, case %zu).value: %s != %s", c->tc, i, got, c->value);
        rt_xdecref(raw);
        assert_string_equal(outcome(value2(c->tc, in, NULL)), c->wrapper);
        rt_decref(in);
    }
}

static void test_value_defaults(void **state) {
    (void)state;
    const char *tcs = "bBhHiIlLqQfdcu";
    const char *expect[] = {VALUE_DEFAULT_B, VALUE_DEFAULT_B_U, VALUE_DEFAULT_H, VALUE_DEFAULT_H_U,
                            VALUE_DEFAULT_I, VALUE_DEFAULT_I_U, VALUE_DEFAULT_L, VALUE_DEFAULT_L_U,
                            VALUE_DEFAULT_Q, VALUE_DEFAULT_Q_U, VALUE_DEFAULT_F, VALUE_DEFAULT_D,
                            VALUE_DEFAULT_C, VALUE_DEFAULT_U};
    for (int i = 0; tcs[i]; i++) {
        char tc[2] = {tcs[i], 0};
        assert_string_equal(outcome(value2(tc, NULL, NULL)), expect[i]);
    }
}

static void test_value_errors(void **state) {
    (void)state;
    assert_string_equal(outcome(value2("x", NULL, NULL)), ERR_VALUE_BAD_TYPECODE);
    RtValue *one = rt_int(1), *zero = rt_int(0), *two = rt_int(2);
    RtValue *args[3] = {S("i"), one, two};
    assert_string_equal(outcome(callf(rt_mp_Value, 3, args, NULL, NULL)), ERR_VALUE_TWO_INITS);
    assert_string_equal(outcome(value2("i", one, zero)), ERR_VALUE_LOCK_0);
    RtValue *v = value2("i", one, one);              /* lock=1 means lock=True */
    assert_non_null(v);
    RtValue *tn = rt_str_from_cstr(v->type->name);
    assert_string_equal(outcome(tn), VALUE_LOCK_TRUE_1);
    rt_decref(v);
    RtValue *rv[2] = {S("q"), rt_int(5)};
    assert_string_equal(outcome(callf(rt_mp_RawValue, 2, rv, NULL, NULL)), RAW_VALUE_REPR);
    rt_decref(rv[0]);
    rt_decref(rv[1]);
    rt_decref(args[0]);
    rt_decref(two);
}

/* ---- Arrays ------------------------------------------------------------------------------ */

static RtValue *int_array(int n) {
    RtValue *r = rt_range_new(0, n, 1), *tc = S("i");
    RtValue *a = array2(tc, r, NULL);
    rt_decref(r);
    rt_decref(tc);
    assert_non_null(a);
    return a;
}

static void test_array_int(void **state) {
    (void)state;
    RtValue *tc = S("i"), *three = rt_int(3);
    assert_string_equal(outcome(array2(tc, three, NULL)), ARR_REPR);
    RtValue *a = int_array(5);
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)rt_len(a));
    assert_string_equal(buf, ARR_LEN);
    RtValue *k = rt_int(-1);
    assert_string_equal(outcome(rt_getitem(a, k)), ARR_GET_NEG);
    rt_decref(k);
    RtValue *one = rt_int(1), *four = rt_int(4), *m2 = rt_int(-2);
    RtValue *sl = rt_slice_new(one, four, NULL);
    assert_string_equal(outcome(rt_getitem(a, sl)), ARR_SLICE);
    rt_decref(sl);
    sl = rt_slice_new(NULL, NULL, m2);
    assert_string_equal(outcome(rt_getitem(a, sl)), ARR_SLICE_STEP);
    rt_decref(sl);
    k = rt_int(5);
    assert_string_equal(outcome(rt_getitem(a, k)), ARR_INDEX_ERR);
    rt_decref(k);
    k = S("x");
    assert_string_equal(outcome(rt_getitem(a, k)), ARR_INDEX_TYPE);
    rt_decref(k);
    RtValue *zero = rt_int(0), *two = rt_int(2);
    sl = rt_slice_new(zero, two, NULL);
    RtValue *l1 = rt_list_new(1);
    assert_int_equal(rt_list_append(l1, one), 0);
    assert_string_equal(status(rt_setitem(a, sl, l1)), ARR_SLICE_SIZE);
    assert_string_equal(outcome(attr(a, "value")), ARR_NO_VALUE);
    rt_decref(a);
    rt_decref(l1);
    rt_decref(sl);

    /* b[1:3] = [10, 20]; b[-1] = 2**32 + 9; list(b) */
    RtValue *b = int_array(5);
    RtValue *ten = rt_int(10), *twenty = rt_int(20), *last = rt_int(-1), *big = rt_int(4294967305LL);
    RtValue *l2 = rt_list_new(2);
    assert_int_equal(rt_list_append(l2, ten), 0);
    assert_int_equal(rt_list_append(l2, twenty), 0);
    RtValue *three2 = rt_int(3);
    sl = rt_slice_new(one, three2, NULL);
    assert_int_equal(rt_setitem(b, sl, l2), 0);
    assert_int_equal(rt_setitem(b, last, big), 0);
    assert_string_equal(outcome(rt_list_from_iter(b)), ARR_AFTER_SET);
    rt_decref(b);
    rt_decref(sl);
    rt_decref(l2);
    rt_decref(big);
    RtValue *four2 = rt_int(4);
    RtValue *z = array2(tc, four2, NULL);
    RtValue *all = rt_slice_new(NULL, NULL, NULL);
    assert_string_equal(outcome(rt_getitem(z, all)), ARR_ZEROS);
    rt_decref(z);
    rt_decref(all);
    rt_decref(tc);
    rt_decref(four2);
}

static void test_array_iteration(void **state) {
    (void)state;
    RtValue *tc = S("d"), *l = rt_list_new(2), *x = rt_float(0.5), *y = rt_float(1.5), *two = rt_int(2);
    assert_int_equal(rt_list_append(l, x), 0);
    assert_int_equal(rt_list_append(l, y), 0);
    RtValue *a = array2(tc, l, NULL);
    assert_non_null(a);
    RtValue *out = rt_list_new(0), *it = rt_iter(a), *v;
    while ((v = rt_iter_next(it))) {
        RtValue *w = rt_binop(v, two, RT_MUL);
        assert_int_equal(rt_list_append(out, w), 0);
        rt_decref(w);
        rt_decref(v);
    }
    assert_null(rt_exc_pending);
    assert_string_equal(outcome(out), ARR_DOUBLE_ITER);
    rt_decref(it);
    rt_decref(a);
    rt_decref(l);
    rt_decref(x);
    rt_decref(y);
    rt_decref(tc);
}

static void test_array_char(void **state) {
    (void)state;
    RtValue *tc = S("c"), *hi = rt_bytes_new("hi", 2);
    assert_string_equal(outcome(array2(tc, hi, NULL)), STR_REPR);
    RtValue *init = rt_bytes_new("hello world", 11);
    RtValue *s = array2(tc, init, NULL);
    assert_string_equal(outcome(attr(s, "value")), STR_VALUE);
    assert_string_equal(outcome(attr(s, "raw")), STR_RAW);
    RtValue *zero = rt_int(0), *five = rt_int(5);
    assert_string_equal(outcome(rt_getitem(s, zero)), STR_ITEM);
    RtValue *sl = rt_slice_new(zero, five, NULL);
    assert_string_equal(outcome(rt_getitem(s, sl)), STR_SLICE);
    rt_decref(sl);
    RtValue *bye = rt_bytes_new("bye", 3);
    assert_int_equal(rt_setattr(s, "value", bye), 0);
    RtValue *pair_ = rt_tuple_pack(2, attr(s, "value"), attr(s, "raw"));
    /* tuple_pack took new references from attr(): drop ours */
    rt_decref(RT_TUPLE_GET(pair_, 0));
    rt_decref(RT_TUPLE_GET(pair_, 1));
    assert_string_equal(outcome(pair_), STR_SHORTER);
    rt_decref(s);
    RtValue *three = rt_int(3);
    RtValue *small = array2(tc, three, NULL);
    RtValue *abcd = rt_bytes_new("abcd", 4), *ab = S("ab"), *a = S("a");
    assert_string_equal(status(rt_setattr(small, "value", abcd)), STR_TOO_LONG);
    assert_string_equal(status(rt_setattr(small, "value", ab)), STR_VALUE_STR);
    assert_string_equal(status(rt_setitem(small, zero, a)), STR_ITEM_STR);
    rt_decref(small);
    RtValue *abcdef = rt_bytes_new("abcdef", 6), *xy = rt_bytes_new("XY", 2);
    RtValue *r = array2(tc, abcdef, NULL);
    assert_int_equal(rt_setattr(r, "raw", xy), 0);
    assert_string_equal(outcome(attr(r, "raw")), STR_RAW_SET);
    assert_string_equal(outcome(array2(tc, ab, NULL)), ERR_ARRAY_CHAR_STR);
    rt_decref(r);
    rt_decref(tc);
    rt_decref(hi);
    rt_decref(init);
    rt_decref(bye);
    rt_decref(abcd);
    rt_decref(ab);
    rt_decref(a);
    rt_decref(abcdef);
    rt_decref(xy);
}

static void test_array_wchar(void **state) {
    (void)state;
    RtValue *tc = S("u"), *abc = S("abc"), *one = rt_int(1);
    assert_string_equal(outcome(array2(tc, abc, NULL)), WSTR_REPR);
    RtValue *u = array2(tc, abc, NULL);
    RtValue *all = rt_slice_new(NULL, NULL, NULL);
    assert_string_equal(outcome(rt_getitem(u, all)), WSTR_SLICE);
    assert_string_equal(outcome(rt_getitem(u, one)), WSTR_ITEM);
    RtValue *obj = rt_call_method(u, "get_obj", NULL, 0, NULL);
    assert_string_equal(outcome(attr(obj, "value")), WSTR_VALUE);
    rt_decref(obj);
    rt_decref(u);
    rt_decref(all);
    rt_decref(tc);
    rt_decref(abc);
}

static void test_array_errors(void **state) {
    (void)state;
    RtValue *tc = S("i"), *neg = rt_int(-1);
    assert_string_equal(outcome(array2(tc, neg, NULL)), ERR_ARRAY_NEG);
    RtValue *l = rt_list_new(2), *one = rt_int(1), *a = S("a");
    assert_int_equal(rt_list_append(l, one), 0);
    assert_int_equal(rt_list_append(l, a), 0);
    assert_string_equal(outcome(array2(tc, l, NULL)), ERR_ARRAY_BAD_ITEM);
    RtValue *it = rt_iter(l);                      /* an iterator has no len() */
    assert_string_equal(outcome(array2(tc, it, NULL)), ERR_ARRAY_ITER);
    rt_decref(it);
    rt_decref(l);
    rt_decref(a);
    rt_decref(tc);
}

/* ---- Structures ------------------------------------------------------------------------------ */

static void check_layout(RtType *t, int64_t size, int64_t align) {
    RtValue *args[1] = {(RtValue *)t};
    RtValue *s = rt_ctypes_sizeof(NULL, args, 1, NULL), *a = rt_ctypes_alignment(NULL, args, 1, NULL);
    assert_non_null(s);
    assert_non_null(a);
    int64_t sv, av;
    assert_int_equal(rt_int_as_i64(s, &sv), 0);
    assert_int_equal(rt_int_as_i64(a, &av), 0);
    if (sv != size || av != align) fail_msg("%s: sizeof %lld align %lld, CPython %lld %lld", t->name,
                                            (long long)sv, (long long)av, (long long)size, (long long)align);
    rt_decref(s);
    rt_decref(a);
}

#define OFF(t, f) rt__ctypes_field_offset((t), (f))

static void test_struct_layouts(void **state) {
    (void)state;
    RtType *point = point_class();
    check_layout(point, LAYOUT_POINT_SIZE, LAYOUT_POINT_ALIGN);
    assert_int_equal(OFF(point, "y"), LAYOUT_POINT_Y_OFFSET);
    RtType *mixed = make_struct("Mixed", NULL, 0, 8, "a", T(rt_ctypes_c_char), "b", T(rt_ctypes_c_double),
                                "c", T(rt_ctypes_c_short), "d", T(rt_ctypes_c_int), "e", T(rt_ctypes_c_byte),
                                "p", (RtValue *)point, "f", T(rt_ctypes_c_float), "g", T(rt_ctypes_c_bool));
    check_layout(mixed, LAYOUT_MIXED_SIZE, LAYOUT_MIXED_ALIGN);
    assert_int_equal(OFF(mixed, "b"), LAYOUT_MIXED_B_OFFSET);
    assert_int_equal(OFF(mixed, "c"), LAYOUT_MIXED_C_OFFSET);
    assert_int_equal(OFF(mixed, "d"), LAYOUT_MIXED_D_OFFSET);
    assert_int_equal(OFF(mixed, "e"), LAYOUT_MIXED_E_OFFSET);
    assert_int_equal(OFF(mixed, "p"), LAYOUT_MIXED_P_OFFSET);
    assert_int_equal(OFF(mixed, "f"), LAYOUT_MIXED_F_OFFSET);
    assert_int_equal(OFF(mixed, "g"), LAYOUT_MIXED_G_OFFSET);
    RtType *small = make_struct("Small", NULL, 0, 3, "a", T(rt_ctypes_c_byte), "b", T(rt_ctypes_c_short),
                                "c", T(rt_ctypes_c_byte));
    check_layout(small, LAYOUT_SMALL_SIZE, LAYOUT_SMALL_ALIGN);
    assert_int_equal(OFF(small, "c"), LAYOUT_SMALL_C_OFFSET);
    RtType *packed = make_struct("Packed", NULL, 1, 3, "a", T(rt_ctypes_c_char), "b", T(rt_ctypes_c_int),
                                 "c", T(rt_ctypes_c_short));
    check_layout(packed, LAYOUT_PACKED_SIZE, LAYOUT_PACKED_ALIGN);
    assert_int_equal(OFF(packed, "b"), LAYOUT_PACKED_B_OFFSET);
    assert_int_equal(OFF(packed, "c"), LAYOUT_PACKED_C_OFFSET);
    RtType *derived = make_struct("Derived", point, 0, 1, "z", T(rt_ctypes_c_int));
    check_layout(derived, LAYOUT_DERIVED_SIZE, LAYOUT_DERIVED_ALIGN);
    assert_int_equal(OFF(derived, "z"), LAYOUT_DERIVED_Z_OFFSET);
    RtType *empty = make_struct("Empty", NULL, 0, -1);
    check_layout(empty, LAYOUT_EMPTY_SIZE, LAYOUT_EMPTY_ALIGN);

    struct { RtType *t; int size; } scalars[] = {
        {&rt_ctypes_c_bool, SIZEOF_C_BOOL}, {&rt_ctypes_c_char, SIZEOF_C_CHAR},
        {&rt_ctypes_c_wchar, SIZEOF_C_WCHAR}, {&rt_ctypes_c_byte, SIZEOF_C_BYTE},
        {&rt_ctypes_c_ubyte, SIZEOF_C_UBYTE}, {&rt_ctypes_c_short, SIZEOF_C_SHORT},
        {&rt_ctypes_c_ushort, SIZEOF_C_USHORT}, {&rt_ctypes_c_int, SIZEOF_C_INT},
        {&rt_ctypes_c_uint, SIZEOF_C_UINT}, {&rt_ctypes_c_long, SIZEOF_C_LONG},
        {&rt_ctypes_c_ulong, SIZEOF_C_ULONG}, {&rt_ctypes_c_float, SIZEOF_C_FLOAT},
        {&rt_ctypes_c_double, SIZEOF_C_DOUBLE},
    };
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
        size_t sz, al;
        assert_int_equal(rt_ctypes_type_layout(scalars[i].t, &sz, &al), 0);
        assert_int_equal(sz, scalars[i].size);
    }
    RtValue *three = rt_int(3);
    RtValue *args[1] = {three};
    assert_string_equal(outcome(rt_ctypes_sizeof(NULL, args, 1, NULL)), SIZEOF_INT_ERR);
    RtValue *p = rt_call((RtValue *)point, NULL, 0, NULL);
    args[0] = p;
    assert_string_equal(outcome(rt_ctypes_sizeof(NULL, args, 1, NULL)), SIZEOF_INSTANCE);
    args[0] = (RtValue *)rt_ctypes_array_type(&rt_ctypes_c_int, 3, NULL);
    assert_string_equal(outcome(rt_ctypes_sizeof(NULL, args, 1, NULL)), SIZEOF_ARRAY_TYPE);
    rt_decref(p);
}

static RtValue *call_kw(RtValue *f, size_t n, RtValue **args, const char *kw, RtValue *kwv) {
    RtValue *all[8];
    memcpy(all, args, n * sizeof *args);
    RtValue *kwnames = NULL;
    if (kw) {
        all[n] = kwv;
        RtValue *k = S(kw);
        kwnames = rt_tuple_pack(1, k);
        rt_decref(k);
    }
    RtValue *r = rt_call(f, all, n, kwnames);
    rt_xdecref(kwnames);
    return r;
}

static void test_struct_values(void **state) {
    (void)state;
    RtValue *point = (RtValue *)point_class();
    RtValue *one = rt_int(1), *two = rt_int(2), *three = rt_int(3), *a = S("a"), *five = rt_int(5);
    RtValue *args[3] = {one, two, three};
    assert_string_equal(outcome(call_kw(point, 2, args, NULL, NULL)), PT_REPR);
    RtValue *p = call_kw(point, 0, args, "y", three);
    assert_non_null(p);
    RtValue *t = rt_tuple_pack(2, attr(p, "x"), attr(p, "y"));
    rt_decref(RT_TUPLE_GET(t, 0));
    rt_decref(RT_TUPLE_GET(t, 1));
    assert_string_equal(outcome(t), PT_KW);
    rt_decref(p);
    assert_string_equal(outcome(call_kw(point, 3, args, NULL, NULL)), PT_TOO_MANY);
    assert_string_equal(outcome(call_kw(point, 1, args, "x", two)), PT_DUP);
    args[0] = a;
    assert_string_equal(outcome(call_kw(point, 1, args, NULL, NULL)), PT_BAD_FIELD);
    p = call_kw(point, 0, args, "z", five);        /* not a field: an instance attribute */
    assert_non_null(p);
    assert_string_equal(outcome(attr(p, "z")), PT_EXTRA_ATTR);
    rt_decref(p);

    RtType *derived = make_struct("Derived", point_class(), 0, 1, "z", T(rt_ctypes_c_int));
    args[0] = one;
    RtValue *d = call_kw((RtValue *)derived, 3, args, NULL, NULL);
    assert_non_null(d);
    t = rt_tuple_pack(3, attr(d, "x"), attr(d, "y"), attr(d, "z"));
    for (int i = 0; i < 3; i++) rt_decref(RT_TUPLE_GET(t, i));
    assert_string_equal(outcome(t), DERIVED_VALUES);
    rt_decref(d);

    RtType *mixed = make_struct("Mixed", NULL, 0, 8, "a", T(rt_ctypes_c_char), "b", T(rt_ctypes_c_double),
                                "c", T(rt_ctypes_c_short), "d", T(rt_ctypes_c_int), "e", T(rt_ctypes_c_byte),
                                "p", point, "f", T(rt_ctypes_c_float), "g", T(rt_ctypes_c_bool));
    RtValue *five_ = rt_int(5), *six = rt_int(6);
    RtValue *pargs[2] = {five_, six};
    RtValue *inner = rt_call(point, pargs, 2, NULL);
    RtValue *margs[8] = {rt_bytes_new("q", 1), rt_float(1.5), two, three, rt_int(4), inner, rt_float(7.5), rt_True};
    RtValue *m = rt_call((RtValue *)mixed, margs, 8, NULL);
    assert_non_null(m);
    RtValue *mp_ = attr(m, "p");
    t = rt_tuple_pack(4, attr(mp_, "x"), attr(mp_, "y"), attr(m, "a"), attr(m, "g"));
    for (int i = 0; i < 4; i++) rt_decref(RT_TUPLE_GET(t, i));
    assert_string_equal(outcome(t), NESTED_VALUE);
    /* writing through the nested view changes the outer structure */
    RtValue *nine = rt_float(9.0);
    assert_int_equal(rt_setattr(mp_, "x", nine), 0);
    RtValue *again = attr(m, "p");
    assert_string_equal(outcome(attr(again, "x")), NESTED_WRITE);
    rt_decref(again);
    rt_decref(mp_);
    rt_decref(m);
    rt_decref(margs[0]);
    rt_decref(margs[1]);
    rt_decref(margs[4]);
    rt_decref(margs[6]);
    rt_decref(inner);
    rt_decref(nine);
    rt_decref(a);
}

static void test_array_of_struct(void **state) {
    (void)state;
    RtValue *point = (RtValue *)point_class(), *two = rt_int(2);
    assert_string_equal(outcome(array2(point, two, NULL)), ARR_STRUCT_REPR);
    RtValue *bad = rt_list_new(1);
    RtValue *one = rt_int(1), *three = rt_int(3);
    RtValue *t = rt_tuple_pack(3, one, two, three);
    assert_int_equal(rt_list_append(bad, t), 0);
    rt_decref(t);
    assert_string_equal(outcome(array2(point, bad, NULL)), ARR_STRUCT_TUPLE_ERR);
    rt_decref(bad);
    RtValue *args[3] = {point, one, two};
    assert_string_equal(outcome(callf(rt_mp_Value, 3, args, NULL, NULL)), VALUE_STRUCT_REPR);
    RtValue *v = callf(rt_mp_Value, 3, args, NULL, NULL);
    t = rt_tuple_pack(2, attr(v, "x"), attr(v, "y"));
    rt_decref(RT_TUPLE_GET(t, 0));
    rt_decref(RT_TUPLE_GET(t, 1));
    assert_string_equal(outcome(t), VALUE_STRUCT_FIELDS);
    assert_string_equal(outcome(attr(v, "z")), VALUE_STRUCT_NOFIELD);
    rt_decref(v);
}

static void test_ctypes_scalars(void **state) {
    (void)state;
    RtValue *big = rt_int(2147483648LL), *seven = rt_int(7), *half = rt_float(0.5), *a = rt_bytes_new("a", 1);
    RtValue *three = rt_int(3);
    RtValue *c = rt_call((RtValue *)&rt_ctypes_c_int, &big, 1, NULL);
    assert_string_equal(outcome(attr(c, "value")), CINT_WRAP);
    rt_decref(c);
    assert_string_equal(outcome(rt_call((RtValue *)&rt_ctypes_c_int, &seven, 1, NULL)), CINT_REPR);
    assert_string_equal(outcome(rt_call((RtValue *)&rt_ctypes_c_char, &a, 1, NULL)), CCHAR_REPR);
    assert_string_equal(outcome(rt_call((RtValue *)&rt_ctypes_c_double, &half, 1, NULL)), CDOUBLE_REPR);
    assert_string_equal(outcome(rt_call((RtValue *)&rt_ctypes_c_bool, &three, 1, NULL)), CBOOL_REPR);
    RtValue *two[2] = {seven, seven};
    assert_string_equal(outcome(rt_call((RtValue *)&rt_ctypes_c_int, two, 2, NULL)), CINT_TWO_ARGS);
    RtType *arr3 = rt_ctypes_array_type(&rt_ctypes_c_int, 3, NULL);
    RtType *arr2 = rt_ctypes_array_type(&rt_ctypes_c_int, 2, NULL);
    assert_ptr_equal(arr3, rt_ctypes_array_type(&rt_ctypes_c_int, 3, NULL));   /* cached */
    RtValue *one = rt_int(1), *two_ = rt_int(2);
    RtValue *items[3] = {one, two_, three};
    assert_string_equal(outcome(rt_call((RtValue *)arr3, items, 3, NULL)), CTYPES_ARRAY_REPR);
    assert_string_equal(outcome(rt_call((RtValue *)arr2, items, 3, NULL)), CTYPES_ARRAY_TOO_MANY);
    rt_decref(half);
    rt_decref(a);
    rt_decref(big);
}

/* ---- the seed notes' example, with a forked child ------------------------------------------------ */

static void modify_in_child(RtValue *n, RtValue *x, RtValue *s, RtValue *A) {
    RtValue *w = pow2_inplace(n, "value");
    if (rt_setattr(n, "value", w) < 0) _exit(3);
    w = pow2_inplace(x, "value");
    if (rt_setattr(x, "value", w) < 0) _exit(3);
    RtValue *v = rt_getattr(s, "value");
    w = rt_call_method(v, "upper", NULL, 0, NULL);
    if (!w || rt_setattr(s, "value", w) < 0) _exit(4);
    RtValue *it = rt_iter(A), *a;
    while ((a = rt_iter_next(it))) {
        w = pow2_inplace(a, "x");
        if (rt_setattr(a, "x", w) < 0) _exit(5);
        w = pow2_inplace(a, "y");
        if (rt_setattr(a, "y", w) < 0) _exit(5);
    }
    _exit(rt_exc_pending ? 6 : 0);
}

static void test_seed_example(void **state) {
    (void)state;
    RtValue *lock = rt_call((RtValue *)&rt_mp_Lock, NULL, 0, NULL);
    RtValue *seven = rt_int(7), *third = rt_float(1.0 / 3.0);
    RtValue *n = value2("i", seven, NULL);
    RtValue *args[2] = {(RtValue *)&rt_ctypes_c_double, third};
    RtValue *x = callf(rt_mp_Value, 2, args, "lock", rt_False);
    RtValue *tc = S("c"), *hw = rt_bytes_new("hello world", 11);
    RtValue *s = array2(tc, hw, lock);
    RtValue *pts = rt_list_new(3);
    double init[3][2] = {{1.875, -6.25}, {-5.75, 2.0}, {2.375, 9.5}};
    for (int i = 0; i < 3; i++) {
        RtValue *t = pair(init[i][0], init[i][1]);
        assert_int_equal(rt_list_append(pts, t), 0);
        rt_decref(t);
    }
    RtValue *A = array2((RtValue *)point_class(), pts, lock);
    assert_non_null(n);
    assert_non_null(x);
    assert_non_null(s);
    assert_non_null(A);
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) modify_in_child(n, x, s, A);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_string_equal(outcome(attr(n, "value")), SEED_N);
    assert_string_equal(outcome(attr(x, "value")), SEED_X);
    assert_string_equal(outcome(attr(s, "value")), SEED_S);
    assert_string_equal(outcome(rt_newref(x)), SEED_REPR_X);
    RtValue *out = rt_list_new(3), *it = rt_iter(A), *a;
    while ((a = rt_iter_next(it))) {
        RtValue *t = rt_tuple_pack(2, attr(a, "x"), attr(a, "y"));
        rt_decref(RT_TUPLE_GET(t, 0));
        rt_decref(RT_TUPLE_GET(t, 1));
        assert_int_equal(rt_list_append(out, t), 0);
        rt_decref(t);
        rt_decref(a);
    }
    rt_decref(it);
    assert_string_equal(outcome(out), SEED_A);
    RtValue *objs[] = {n, x, s, A, pts, tc, hw, lock, third};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
}

/* ---- the shared heap --------------------------------------------------------------------------------- */

static void test_heap_reuse_and_fork(void **state) {
    (void)state;
    unsigned char *a = rt_shm_alloc(100);
    assert_non_null(a);
    assert_int_equal((uintptr_t)a % 16, 0);
    rt_shm_free(a);
    unsigned char *b = rt_shm_alloc(100);
    assert_ptr_equal(a, b);                       /* reused: no fork in between */
    b[0] = 42;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* the child sees the parent's block, and allocates elsewhere */
        unsigned char *c = rt_shm_alloc(100);
        _exit(b[0] == 42 && c && c != b ? (b[1] = 7, 0) : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_int_equal(b[1], 7);                    /* written by the child */
    rt_shm_free(b);
    unsigned char *c = rt_shm_alloc(100);
    assert_ptr_not_equal(c, b);                   /* b may still be in use by a child: not recycled */
    unsigned char *big = rt_shm_alloc(3u << 20);  /* bigger than an arena: its own */
    assert_non_null(big);
    big[(3u << 20) - 1] = 1;
    rt_shm_free(big);
    rt_shm_free(c);
    rt_shm_free(NULL);
}

/* Dump a shared Value's reference and load it back in this process: the
 * same memory (the path a spawned child takes, minus the exec). */
static void test_shm_ref_roundtrip(void **state) {
    (void)state;
    unsigned char *p = rt_shm_alloc(32);
    RtBuf buf = {0};
    assert_int_equal(rt_shm_dump_ref(&buf, p + 8), 0);
    buf.pos = 0;
    unsigned char *q = rt_shm_load_ref(&buf);
    assert_ptr_equal(q, p + 8);
    rt_free(buf.data);
    int x = 5;
    RtBuf bad = {0};
    assert_int_equal(rt_shm_dump_ref(&bad, &x), -1);
    assert_string_equal(outcome(NULL), "ValueError: object is not in shared memory");
    rt_free(bad.data);
    rt_shm_free(p);
}

/* ---- serialization: only while spawning, and then by reference ------------------------------------ */

static const char *dump_outcome(RtValue *v) {
    RtBuf buf = {0};
    int r = rt_ser_dump(&buf, v);
    rt_buf_free(&buf);
    rt_decref(v);
    return r < 0 ? outcome(NULL) : "sent";
}

static void test_send_outside_spawn(void **state) {
    (void)state;
    RtValue *i = S("i"), *c = S("c"), *zero = rt_int(0), *two = rt_int(2), *three = rt_int(3), *one = rt_int(1);
    RtValue *a[3] = {i, two};
    assert_string_equal(dump_outcome(callf(rt_mp_RawValue, 1, a, NULL, NULL)), SEND_RAWVALUE);
    assert_string_equal(dump_outcome(callf(rt_mp_Value, 1, a, NULL, NULL)), SEND_VALUE);
    assert_string_equal(dump_outcome(rt_call((RtValue *)&rt_mp_Lock, NULL, 0, NULL)), SEND_LOCK);
    assert_string_equal(dump_outcome(rt_call((RtValue *)&rt_mp_RLock, NULL, 0, NULL)), SEND_RLOCK);
    assert_string_equal(dump_outcome(rt_call((RtValue *)&rt_mp_Event, NULL, 0, NULL)), SEND_EVENT);
    assert_string_equal(dump_outcome(rt_call((RtValue *)&rt_mp_Barrier, &two, 1, NULL)), SEND_BARRIER);
    RtValue *ca[2] = {c, three};
    assert_string_equal(dump_outcome(callf(rt_mp_Array, 2, ca, NULL, NULL)), SEND_CHARARRAY);
    RtValue *pa[3] = {(RtValue *)point_class(), one, two};
    assert_string_equal(dump_outcome(callf(rt_mp_Value, 3, pa, NULL, NULL)), SEND_STRUCTVALUE);
    /* XXX: RawArray's type (c_int_Array_2) is made at run time and the
     * serializer names types by their place in the executable image, so it
     * fails before asking the array (CPython: SEND_RAWARRAY). */
    rt_decref(i);
    rt_decref(c);
    (void)zero;
}

/* What a spawned child does with the bytes: load them (here, in the same
 * process, which finds the arena by its inode) and see the same memory. */
static void test_spawn_roundtrip(void **state) {
    (void)state;
    RtValue *i = S("i"), *seven = rt_int(7), *fifty = rt_int(50);
    RtValue *v = value2("i", seven, NULL);
    RtValue *lock = rt_call((RtValue *)&rt_mp_Lock, NULL, 0, NULL);
    RtValue *pair_ = rt_tuple_pack(2, v, lock);
    RtBuf buf = {0};
    int *fds = NULL;
    size_t nfds = 0;
    assert_int_equal(rt_ser_dump_for_spawn(&buf, pair_, &fds, &nfds), 0);
    assert_true(nfds >= 1);                 /* the memfd goes to the child */
    rt_free(fds);
    buf.pos = 0;
    RtValue *back = rt_ser_load(&buf);
    assert_non_null(back);
    RtValue *v2 = RT_TUPLE_GET(back, 0), *lock2 = RT_TUPLE_GET(back, 1);
    assert_ptr_not_equal(v2, v);
    assert_int_equal(rt_setattr(v2, "value", fifty), 0);
    RtValue *now = attr(v, "value");
    assert_int_equal(rt_eq(now, fifty), 1);                     /* one memory */
    rt_decref(now);
    assert_int_equal(rt_mp_lock_acquire(lock2, true, -1), 1);
    assert_int_equal(rt_mp_lock_acquire(lock, false, -1), 0);  /* one lock */
    assert_int_equal(rt_mp_lock_release(lock), 0);             /* any process may release a Lock */
    char r1[256];
    snprintf(r1, sizeof r1, "%s", outcome(rt_newref(v)));
    assert_string_equal(outcome(rt_newref(v2)), r1);
    rt_decref(back);
    rt_buf_free(&buf);
    rt_decref(pair_);
    rt_decref(v);
    rt_decref(lock);
    rt_decref(i);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_typecodes),
        cmocka_unit_test(test_value_defaults),
        cmocka_unit_test(test_value_errors),
        cmocka_unit_test(test_array_int),
        cmocka_unit_test(test_array_iteration),
        cmocka_unit_test(test_array_char),
        cmocka_unit_test(test_array_wchar),
        cmocka_unit_test(test_array_errors),
        cmocka_unit_test(test_struct_layouts),
        cmocka_unit_test(test_struct_values),
        cmocka_unit_test(test_array_of_struct),
        cmocka_unit_test(test_ctypes_scalars),
        cmocka_unit_test(test_seed_example),
        cmocka_unit_test(test_heap_reuse_and_fork),
        cmocka_unit_test(test_shm_ref_roundtrip),
        cmocka_unit_test(test_send_outside_spawn),
        cmocka_unit_test(test_spawn_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

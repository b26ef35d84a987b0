/* test_struct.c: the struct module against CPython (struct_expected.h from
 * gen_struct_expected.py): calcsize, pack and unpack for every code and byte
 * order, native alignment, range errors worded per code and order, half
 * floats, and pack_into/unpack_from/iter_unpack with their offset rules. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mp2c.h"
#include "struct_expected.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static char text_buf[1024];

static const char *outcome(RtValue *v) {
    if (!v) {
        RtValue *e = rt_exc_fetch();
        assert_non_null(e);
        char name[128];
        rt_type_qualname(e->type, name, sizeof name);
        RtValue *s = rt_exc_str(e);
        if (s && rt_str_nbytes(s)) snprintf(text_buf, sizeof text_buf, "%s: %s", name, rt_str_data(s));
        else snprintf(text_buf, sizeof text_buf, "%s", name);
        rt_xdecref(s);
        rt_decref(e);
        return text_buf;
    }
    RtValue *r = rt_repr(v);
    rt_decref(v);
    assert_non_null(r);
    snprintf(text_buf, sizeof text_buf, "%s", rt_str_data(r));
    rt_decref(r);
    return text_buf;
}

static RtValue *S(const char *s) { return rt_str_from_cstr(s); }

static void check(const char *what, const char *fmt, const char *got, const char *expect) {
    if (strcmp(got, expect) != 0) fail_msg("%s(%s): got %s, CPython %s", what, fmt, got, expect);
}

static void test_cases(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof struct_cases / sizeof struct_cases[0]; i++) {
        const StructCase *c = &struct_cases[i];
        RtValue *args[8];
        args[0] = S(c->fmt);
        c->vals(args + 1);
        check("calcsize", c->fmt, outcome(rt_struct_calcsize(NULL, args, 1, NULL)), c->calcsize);
        RtValue *packed = rt_struct_pack(NULL, args, c->nvals + 1, NULL);
        RtValue *keep = packed ? rt_newref(packed) : NULL;
        check("pack", c->fmt, outcome(packed), c->pack);
        if (c->unpack) {
            assert_non_null(keep);
            RtValue *uargs[2] = {args[0], keep};
            check("unpack", c->fmt, outcome(rt_struct_unpack(NULL, uargs, 2, NULL)), c->unpack);
        }
        rt_xdecref(keep);
        for (size_t k = 0; k <= c->nvals; k++) rt_decref(args[k]);
    }
}

static RtValue *bytearray(size_t n) {
    RtValue *b = rt_bytearray_new(NULL, 0);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++) {
        RtValue *z = rt_int(0);
        RtValue *r = rt_call_method(b, "append", &z, 1, NULL);
        assert_non_null(r);
        rt_decref(r);
    }
    return b;
}

static void test_from_and_into(void **state) {
    (void)state;
    RtValue *fi = S("i"), *fh = S("<h"), *ab = rt_bytes_new("ab", 2), *abcd = rt_bytes_new("abcd", 4);
    RtValue *abcdefgh = rt_bytes_new("abcdefgh", 8), *two = rt_int(2), *m4 = rt_int(-4), *m9 = rt_int(-9);
    RtValue *one = rt_int(1), *nine = rt_int(9), *zero = rt_int(0), *m2 = rt_int(-2);
    RtValue *a2[3] = {fi, ab};
    assert_string_equal(outcome(rt_struct_unpack(NULL, a2, 2, NULL)), UNPACK_WRONG_SIZE);
    RtValue *a3[4] = {fi, abcd, two};
    assert_string_equal(outcome(rt_struct_unpack_from(NULL, a3, 3, NULL)), UNPACK_FROM_SHORT);
    a3[1] = abcdefgh;
    a3[2] = m4;
    assert_string_equal(outcome(rt_struct_unpack_from(NULL, a3, 3, NULL)), UNPACK_FROM_NEG);
    a3[1] = abcd;
    a3[2] = m9;
    assert_string_equal(outcome(rt_struct_unpack_from(NULL, a3, 3, NULL)), UNPACK_FROM_NEG_OOR);
    RtValue *b3 = rt_bytes_new("\001\002\003", 3);
    RtValue *kw = rt_tuple_pack(2, S("buffer"), S("offset"));
    rt_decref(RT_TUPLE_GET(kw, 0));
    rt_decref(RT_TUPLE_GET(kw, 1));
    RtValue *kargs[3] = {fh, b3, one};
    assert_string_equal(outcome(rt_struct_unpack_from(NULL, kargs, 1, kw)), UNPACK_FROM_KW);

    RtValue *ba4 = bytearray(4), *ba8 = bytearray(8);
    RtValue *p4[4] = {fi, ba4, two, one};
    assert_string_equal(outcome(rt_struct_pack_into(NULL, p4, 4, NULL)), PACK_INTO_SHORT);
    p4[2] = nine;
    assert_string_equal(outcome(rt_struct_pack_into(NULL, p4, 4, NULL)), PACK_INTO_FAR);
    p4[1] = abcd;
    p4[2] = zero;
    assert_string_equal(outcome(rt_struct_pack_into(NULL, p4, 4, NULL)), PACK_INTO_BYTES);
    p4[1] = ba4;
    assert_string_equal(outcome(rt_struct_pack_into(NULL, p4, 2, NULL)), PACK_INTO_NOOFF);
    assert_string_equal(outcome(rt_struct_pack_into(NULL, p4, 3, NULL)), PACK_INTO_NOVAL);
    p4[1] = ba8;
    p4[2] = m2;
    assert_string_equal(outcome(rt_struct_pack_into(NULL, p4, 4, NULL)), PACK_INTO_NEG_NOSPACE);
    /* a successful pack_into at a negative offset, read back with unpack_from */
    p4[2] = m4;
    assert_ptr_equal(rt_struct_pack_into(NULL, p4, 4, NULL), rt_None);
    RtValue *u[3] = {fi, ba8, m4};
    RtValue *t = rt_struct_unpack_from(NULL, u, 3, NULL);
    assert_non_null(t);
    assert_int_equal(rt_eq(RT_TUPLE_GET(t, 0), one), 1);
    rt_decref(t);

    RtValue *six = rt_bytes_new("\001\000\002\000\003\000", 6), *five = rt_bytes_new("abcde", 5), *empty = S("");
    RtValue *it_args[2] = {fh, six};
    RtValue *it = rt_struct_iter_unpack(NULL, it_args, 2, NULL);
    assert_non_null(it);
    assert_string_equal(outcome(rt_list_from_iter(it)), ITER_UNPACK);
    rt_decref(it);
    it_args[0] = fi;
    it_args[1] = five;
    assert_string_equal(outcome(rt_struct_iter_unpack(NULL, it_args, 2, NULL)), ITER_UNPACK_BAD);
    it_args[0] = empty;
    assert_string_equal(outcome(rt_struct_iter_unpack(NULL, it_args, 2, NULL)), ITER_UNPACK_ZERO);
    RtValue *n5 = rt_int(5);
    it_args[0] = fi;
    it_args[1] = n5;
    assert_string_equal(outcome(rt_struct_unpack(NULL, it_args, 2, NULL)), UNPACK_NOT_BUFFER);
    assert_string_equal(outcome(rt_struct_pack(NULL, &n5, 1, NULL)), FORMAT_NOT_STR);
    RtValue *bfmt = rt_bytes_new("<qh", 3), *huge = S("999999999999999999999q");
    assert_string_equal(outcome(rt_struct_calcsize(NULL, &bfmt, 1, NULL)), CALCSIZE_BYTES_FMT);
    assert_string_equal(outcome(rt_struct_calcsize(NULL, &huge, 1, NULL)), CALCSIZE_HUGE);

    /* the C entry points */
    unsigned char raw[16];
    RtValue *vals[2] = {one, two};
    assert_int_equal(rt_struct_calcsize_c("<ih"), 6);
    assert_int_equal(rt_struct_pack_buf("<ih", raw, sizeof raw, vals, 2), 0);
    t = rt_struct_unpack_buf("<ih", raw, 6);
    assert_non_null(t);
    assert_int_equal(rt_eq(RT_TUPLE_GET(t, 1), two), 1);
    rt_decref(t);

    RtValue *objs[] = {fi, fh, ab, abcd, abcdefgh, m9, b3, kw, ba4, ba8, six, five, empty, bfmt, huge};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_from_and_into),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

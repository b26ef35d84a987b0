/* test_str.c: the str cases generated from CPython (seq_expected.h, run by
 * seq_harness.h), plus white-box tests of the C API: the builder, interning,
 * f-string building, code-point indexing of long non-ASCII text. */
#include "seq_harness.h"

/* The builder grows from its inline buffer and counts code points. */
static void test_strbuf_growth(void **state) {
    (void)state;
    RtStrBuf b;
    rt_strbuf_init(&b);
    for (int i = 0; i < 10000; i++) {
        assert_int_equal(rt_strbuf_put_cstr(&b, "ab"), 0);
        assert_int_equal(rt_strbuf_put_cp(&b, 0x4E2D), 0);
    }
    RtValue *s = rt_strbuf_finish(&b);
    assert_int_equal(rt_len(s), 30000);
    assert_int_equal(rt_str_nbytes(s), 50000);
    rt_decref(s);
}

/* rt_str_const interns: the same text is the same immortal object. */
static void test_const_interned(void **state) {
    (void)state;
    RtValue *a = rt_str_const("hello world", 11), *b = rt_str_const("hello world", 11);
    assert_ptr_equal(a, b);
    assert_int_equal(rt_refcnt(a), RT_IMMORTAL);
    RtValue *c = rt_str_const("hello worle", 11);
    assert_ptr_not_equal(a, c);
    for (int i = 0; i < 1000; i++) {               /* many distinct constants grow the table */
        char buf[32];
        int n = snprintf(buf, sizeof buf, "const-%d", i);
        assert_ptr_equal(rt_str_const(buf, (size_t)n), rt_str_const(buf, (size_t)n));
    }
}

/* f-string parts join; the hash matches the dict's C-string lookups. */
static void test_build_and_hash(void **state) {
    (void)state;
    RtValue *parts[3] = {rt_str_from_cstr("x = "), rt_str_from_cstr("\xe4\xb8\xad"), rt_str_from_cstr("!")};
    RtValue *s = rt_str_build(parts, 3);
    assert_string_equal(rt_str_data(s), "x = \xe4\xb8\xad!");
    assert_int_equal(rt_len(s), 6);
    int64_t h;
    assert_int_equal(rt_hash(s, &h), 0);
    assert_true(h == rt_hash_bytes(rt_str_data(s), rt_str_nbytes(s)));
    for (int i = 0; i < 3; i++) rt_decref(parts[i]);
    rt_decref(s);
}

/* s[i] agrees with iteration for every index of long mixed text. */
static void test_index_matches_iteration(void **state) {
    (void)state;
    RtStrBuf b;
    rt_strbuf_init(&b);
    for (uint32_t i = 0; i < 3000; i++) rt_strbuf_put_cp(&b, i % 5 == 0 ? 0x1F600 + i % 7 : i % 3 ? 'a' + i % 26 : 0xE9);
    RtValue *s = rt_strbuf_finish(&b), *it = rt_iter(s), *c;
    size_t i = 0;
    while ((c = rt_iter_next(it)) != NULL) {
        RtValue *idx = rt_int((int64_t)i), *d = rt_getitem(s, idx);
        assert_int_equal(rt_eq(c, d), 1);
        RtValue *neg = rt_int((int64_t)i - 3000), *e = rt_getitem(s, neg);
        assert_int_equal(rt_eq(c, e), 1);
        rt_decref(idx);
        rt_decref(d);
        rt_decref(neg);
        rt_decref(e);
        rt_decref(c);
        i++;
    }
    assert_int_equal(i, 3000);
    rt_decref(it);
    rt_decref(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strbuf_growth),
        cmocka_unit_test(test_const_interned),
        cmocka_unit_test(test_build_and_hash),
        cmocka_unit_test(test_index_matches_iteration),
    };
    int failed = cmocka_run_group_tests_name("str_whitebox", tests, NULL, NULL);
    return failed + H_RUN_FAMILY(str);
}

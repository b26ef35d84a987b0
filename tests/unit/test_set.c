/* test_set.c: the set/frozenset cases generated from CPython (seq_expected.h,
 * run by seq_harness.h), plus white-box tests of mutation during iteration
 * and of big tables. */
#include "seq_harness.h"

static void test_mutation_during_iteration(void **state) {
    (void)state;
    RtValue *s = rt_set_new(), *one = rt_int(1), *two = rt_int(2);
    assert_int_equal(rt_set_add(s, one), 0);
    RtValue *it = rt_iter(s), *x = rt_iter_next(it);
    assert_non_null(x);
    assert_int_equal(rt_set_add(s, two), 0);
    assert_null(rt_iter_next(it));
    RtValue *exc = rt_exc_fetch(), *m = rt_exc_str(exc);
    assert_string_equal(rt_str_data(m), "Set changed size during iteration");
    rt_decref(m);
    rt_decref(exc);
    rt_decref(x);
    rt_decref(it);
    rt_decref(one);
    rt_decref(two);
    rt_decref(s);
}

/* 300000 ints in, every other one out: membership stays exact. */
static void test_big_membership(void **state) {
    (void)state;
    enum { N = 300000 };
    RtValue *s = rt_set_new();
    for (int64_t i = 0; i < N; i++) {
        RtValue *k = rt_int(i * 2654435761 % 1000003);
        assert_int_equal(rt_set_add(s, k), 0);
        rt_decref(k);
    }
    for (int64_t i = 0; i < N; i += 2) {
        RtValue *k = rt_int(i * 2654435761 % 1000003);
        assert_int_equal(rt_set_discard(s, k), 1);
        rt_decref(k);
    }
    for (int64_t i = 0; i < N; i++) {
        RtValue *k = rt_int(i * 2654435761 % 1000003);
        assert_int_equal(rt_set_contains(s, k), i % 2);
        rt_decref(k);
    }
    assert_int_equal(rt_len(s), N / 2);
    rt_decref(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutation_during_iteration),
        cmocka_unit_test(test_big_membership),
    };
    int failed = cmocka_run_group_tests_name("set_whitebox", tests, NULL, NULL);
    return failed + H_RUN_FAMILY(set);
}

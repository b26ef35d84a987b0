/* test_dict.c: the dict cases generated from CPython (seq_expected.h, run by
 * seq_harness.h), plus white-box tests: the C-string API used for attribute
 * dicts, KeyError's argument, mutation during iteration, big tables. */
#include "seq_harness.h"

/* String-keyed access agrees with str keys (same hash, same entries). */
static void test_cstr_api(void **state) {
    (void)state;
    RtValue *d = rt_dict_new(), *k = rt_str_from_cstr("name"), *v = rt_int(7), *got;
    assert_int_equal(rt_dict_set(d, k, v), 0);
    assert_ptr_equal(rt_dict_get_cstr(d, "name"), v);
    assert_null(rt_dict_get_cstr(d, "nam"));
    assert_int_equal(rt_dict_set_cstr(d, "other", v), 0);
    assert_int_equal(rt_dict_lookup(d, k, &got), 1);
    assert_int_equal(rt_dict_del_cstr(d, "name"), 1);
    assert_int_equal(rt_dict_del_cstr(d, "name"), 0);
    assert_int_equal(rt_dict_len(d), 1);
    rt_decref(k);
    rt_decref(v);
    rt_decref(d);
}

/* KeyError carries the key object itself as its argument. */
static void test_key_error_argument(void **state) {
    (void)state;
    RtValue *d = rt_dict_new(), *key = rt_tuple_pack(2, rt_None, rt_True);
    assert_null(rt_dict_getitem(d, key));
    RtValue *exc = rt_exc_fetch();
    assert_ptr_equal(exc->type, &rt_exc_KeyError);
    RtValue *args = ((RtExc *)exc)->args;
    assert_int_equal(RT_TUPLE_LEN(args), 1);
    assert_ptr_equal(RT_TUPLE_GET(args, 0), key);
    RtValue *s = rt_exc_str(exc);
    assert_string_equal(rt_str_data(s), "(None, True)");
    rt_decref(s);
    rt_decref(exc);
    rt_decref(key);
    rt_decref(d);
}

/* Adding a key while iterating raises CPython's RuntimeError. */
static void test_mutation_during_iteration(void **state) {
    (void)state;
    RtValue *d = rt_dict_new(), *one = rt_int(1);
    assert_int_equal(rt_dict_set_cstr(d, "a", one), 0);
    RtValue *it = rt_iter(d), *k = rt_iter_next(it);
    assert_non_null(k);
    assert_int_equal(rt_dict_set_cstr(d, "b", one), 0);
    assert_null(rt_iter_next(it));
    RtValue *exc = rt_exc_fetch(), *s = rt_exc_str(exc);
    assert_string_equal(rt_str_data(s), "dictionary changed size during iteration");
    rt_decref(s);
    rt_decref(exc);
    rt_decref(k);
    rt_decref(it);
    rt_decref(one);
    rt_decref(d);
}

/* 200000 int keys: inserts, deletes of every third, re-inserts; order is
 * insertion order with deleted keys re-appended at the end. */
static void test_big_table_order(void **state) {
    (void)state;
    enum { N = 200000 };
    RtValue *d = rt_dict_new();
    for (int64_t i = 0; i < N; i++) {
        RtValue *k = rt_int(i * 7919 % N);
        assert_int_equal(rt_dict_set(d, k, k), 0);
        rt_decref(k);
    }
    for (int64_t i = 0; i < N; i += 3) {
        RtValue *k = rt_int(i * 7919 % N);
        assert_int_equal(rt_dict_del(d, k), 0);
        rt_decref(k);
    }
    for (int64_t i = 0; i < N; i += 3) {
        RtValue *k = rt_int(i * 7919 % N);
        assert_int_equal(rt_dict_set(d, k, k), 0);
        rt_decref(k);
    }
    assert_int_equal(rt_dict_len(d), N);
    size_t pos = 0, n = 0;
    RtValue *k, *v;
    while (rt_dict_next(d, &pos, &k, &v)) {
        int64_t want;
        if (n < N - (N + 2) / 3) {             /* survivors first, in order */
            int64_t i = (int64_t)(n / 2 * 3 + n % 2 + 1);
            want = i * 7919 % N;
        } else {
            want = (int64_t)(n - (N - (N + 2) / 3)) * 3 * 7919 % N;
        }
        assert_int_equal(((RtInt *)k)->small, want);
        n++;
    }
    assert_int_equal(n, N);
    rt_decref(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cstr_api),
        cmocka_unit_test(test_key_error_argument),
        cmocka_unit_test(test_mutation_during_iteration),
        cmocka_unit_test(test_big_table_order),
    };
    int failed = cmocka_run_group_tests_name("dict_whitebox", tests, NULL, NULL);
    return failed + H_RUN_FAMILY(dict);
}

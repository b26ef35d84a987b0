/* test_list.c: the list/tuple cases generated from CPython (seq_expected.h,
 * run by seq_harness.h), plus white-box tests of what the cases cannot show:
 * ownership, deep nesting, big sorts, iteration while appending. */
#include "seq_harness.h"

static RtValue *ints(const int64_t *v, size_t n) {
    RtValue *l = rt_list_new(0);
    for (size_t i = 0; i < n; i++) {
        RtValue *x = rt_int(v[i]);
        assert_int_equal(rt_list_append_steal(l, x), 0);
    }
    return l;
}

/* rt_list_append takes its own reference; the list releases it. */
static void test_append_takes_reference(void **state) {
    (void)state;
    RtValue *l = rt_list_new(0), *x = rt_float(2.5);
    assert_int_equal(rt_list_append(l, x), 0);
    assert_int_equal(rt_refcnt(x), 2);
    rt_decref(l);
    assert_int_equal(rt_refcnt(x), 1);
    rt_decref(x);
}

/* A list nested a million deep is freed without exhausting the C stack. */
static void test_deep_nesting_freed_iteratively(void **state) {
    (void)state;
    RtValue *l = rt_list_new(0);
    for (int i = 0; i < 1000000; i++) {
        RtValue *outer = rt_list_new(1);
        assert_int_equal(rt_list_append_steal(outer, l), 0);
        l = outer;
    }
    rt_decref(l);
    RtValue *t = rt_tuple_empty();                 /* and tuples/dicts mixed in */
    for (int i = 0; i < 300000; i++) {
        RtValue *d = rt_dict_new();
        assert_int_equal(rt_dict_set_cstr(d, "k", t), 0);
        rt_decref(t);
        t = rt_tuple_pack(1, d);
        rt_decref(d);
    }
    rt_decref(t);
}

/* A recursive list prints as CPython prints it. */
static void test_recursive_repr(void **state) {
    (void)state;
    RtValue *l = rt_list_new(0), *d = rt_dict_new();
    assert_int_equal(rt_list_append(l, l), 0);
    assert_int_equal(rt_dict_set_cstr(d, "self", d), 0);
    assert_int_equal(rt_list_append(l, d), 0);
    RtValue *r = rt_repr(l);
    assert_string_equal(rt_str_data(r), "[[...], {'self': {...}}]");
    rt_decref(r);
    /* break the cycles so the objects can go */
    assert_int_equal(rt_dict_del_cstr(d, "self"), 1);
    RtValue *m = rt_call_method(l, "clear", NULL, 0, NULL);
    rt_decref(m);
    rt_decref(d);
    rt_decref(l);
}

/* repr of containers nested deeper than CPython's recursion limit raises
 * RecursionError instead of overflowing the C stack; 500 levels print. */
static void test_deep_repr(void **state) {
    (void)state;
    for (int depth = 500; depth <= 5000; depth += 4500) {
        RtValue *l = rt_list_new(0);
        for (int i = 0; i < depth; i++) {
            RtValue *outer = rt_list_new(1);
            assert_int_equal(rt_list_append_steal(outer, l), 0);
            l = outer;
        }
        RtValue *r = rt_repr(l);
        if (depth == 500) {
            assert_non_null(r);
            assert_int_equal(rt_len(r), 1002);
            rt_decref(r);
        } else {
            assert_null(r);
            RtValue *exc = rt_exc_fetch(), *msg = rt_exc_str(exc);
            assert_ptr_equal(exc->type, &rt_exc_RecursionError);
            assert_string_equal(rt_str_data(msg), "maximum recursion depth exceeded while getting the repr of an object");
            rt_decref(msg);
            rt_decref(exc);
        }
        rt_decref(l);
    }
}

/* sort is stable and matches a reference on 100000 random keys. */
static void test_big_sort_stable(void **state) {
    (void)state;
    enum { N = 100000 };
    RtValue *l = rt_list_new(N);
    uint64_t seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        RtValue *k = rt_int((int64_t)(seed >> 50));        /* many duplicates */
        RtValue *v = rt_int(i);
        RtValue *t = rt_tuple_pack(2, k, v);
        rt_decref(k);
        rt_decref(v);
        assert_int_equal(rt_list_append_steal(l, t), 0);
    }
    RtValue *key = h_name("first");
    assert_int_equal(rt_list_sort(l, key, false), 0);
    for (int i = 1; i < N; i++) {
        RtValue *a = RT_LIST_GET(l, i - 1), *b = RT_LIST_GET(l, i);
        int64_t ka = ((RtInt *)RT_TUPLE_GET(a, 0))->small, kb = ((RtInt *)RT_TUPLE_GET(b, 0))->small;
        int64_t ia = ((RtInt *)RT_TUPLE_GET(a, 1))->small, ib = ((RtInt *)RT_TUPLE_GET(b, 1))->small;
        assert_true(ka < kb || (ka == kb && ia < ib));
    }
    assert_int_equal(rt_list_sort(l, key, true), 0);       /* reverse keeps equal keys in order */
    for (int i = 1; i < N; i++) {
        RtValue *a = RT_LIST_GET(l, i - 1), *b = RT_LIST_GET(l, i);
        int64_t ka = ((RtInt *)RT_TUPLE_GET(a, 0))->small, kb = ((RtInt *)RT_TUPLE_GET(b, 0))->small;
        int64_t ia = ((RtInt *)RT_TUPLE_GET(a, 1))->small, ib = ((RtInt *)RT_TUPLE_GET(b, 1))->small;
        assert_true(ka > kb || (ka == kb && ia < ib));
    }
    rt_decref(l);
}

/* A failing comparison leaves every item in the list exactly once. */
static void test_sort_error_keeps_items(void **state) {
    (void)state;
    RtValue *l = rt_list_new(0);
    for (int i = 0; i < 100; i++) {
        RtValue *v = i == 50 ? rt_str_from_cstr("x") : rt_int(100 - i);
        assert_int_equal(rt_list_append_steal(l, v), 0);
    }
    assert_int_equal(rt_list_sort(l, NULL, false), -1);
    assert_true(RT_ERR());
    rt_decref(rt_exc_fetch());
    assert_int_equal(RT_LIST_LEN(l), 100);
    int64_t sum = 0;
    for (size_t i = 0; i < 100; i++) {
        RtValue *v = RT_LIST_GET(l, i);
        if (rt_is_int(v)) sum += ((RtInt *)v)->small;
    }
    assert_int_equal(sum, 5050 - 50);
    rt_decref(l);
}

/* The list iterator is index based: it sees items appended while looping. */
static void test_iteration_sees_appends(void **state) {
    (void)state;
    int64_t v[] = {1, 2, 3};
    RtValue *l = ints(v, 3), *it = rt_iter(l), *x;
    int n = 0;
    while ((x = rt_iter_next(it)) != NULL) {
        if (n < 3) assert_int_equal(rt_list_append(l, x), 0);
        rt_decref(x);
        n++;
    }
    assert_int_equal(n, 6);
    rt_decref(it);
    rt_decref(l);
}

/* rt_unpack-style helpers and slices share storage correctly. */
static void test_slice_helpers(void **state) {
    (void)state;
    int64_t v[] = {0, 1, 2, 3, 4, 5};
    RtValue *l = ints(v, 6), *s = rt_list_slice(l, 2, 5), *r = rt_repr(s);
    assert_string_equal(rt_str_data(r), "[2, 3, 4]");
    RtValue *p = rt_list_pop(l, -1);
    assert_int_equal(((RtInt *)p)->small, 5);
    rt_decref(p);
    RtValue *empty = rt_list_new(0);
    assert_null(rt_list_pop(empty, 0));
    rt_decref(rt_exc_fetch());
    rt_decref(empty);
    rt_decref(r);
    rt_decref(s);
    rt_decref(l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_takes_reference),
        cmocka_unit_test(test_deep_nesting_freed_iteratively),
        cmocka_unit_test(test_recursive_repr),
        cmocka_unit_test(test_deep_repr),
        cmocka_unit_test(test_big_sort_stable),
        cmocka_unit_test(test_sort_error_keeps_items),
        cmocka_unit_test(test_iteration_sees_appends),
        cmocka_unit_test(test_slice_helpers),
    };
    int failed = cmocka_run_group_tests_name("list_whitebox", tests, NULL, NULL);
    return failed + H_RUN_FAMILY(list);
}

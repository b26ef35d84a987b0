/* test_serial.c: the serializer (serial.c).
 *
 * Round trips of every value kind (compared by repr, and by identity where
 * pickle keeps it), shared and cyclic structures, the depth limit, the
 * errors CPython's pickle raises (strings from mp_expected.h), truncated
 * input, and failing allocations at every point of a dump and a load.
 */
#include "mp_testutil.h"

/* ==== a stand-in program: one function, one class ================================ */

static RtValue *square_entry(RtFunc *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)kwnames;
    assert_int_equal(nargs, 1);
    return rt_binop(args[0], args[0], RT_MUL);
}

static RtValue *native_twice(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)kwnames; (void)nargs;
    return rt_binop(args[0], args[0], RT_ADD);
}

static RtValue *functions[1];
static RtType *classes[1];
static RtProgram prog = { .path = "test_serial.py", .functions = functions, .nfunctions = 1,
                          .classes = classes, .nclasses = 1 };

static int setup(void **state) {
    (void)state;
    rt_program = &prog;
    if (!functions[0]) {
        functions[0] = rt_func_new("square", "square", square_entry, 0, NULL, NULL, NULL, 0);
        RtValue *ns = rt_dict_new();
        classes[0] = (RtType *)rt_class_new("Point", "__main__", NULL, ns, 0);
        rt_decref(ns);
    }
    return 0;
}

/* dump then load; returns the new value (new reference). */
static RtValue *roundtrip(RtValue *v) {
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, v), 0);
    RtValue *r = rt_ser_load(&b);
    t_no_exc();
    assert_non_null(r);
    assert_int_equal(b.pos, b.len);   /* consumed exactly */
    rt_buf_free(&b);
    return r;
}

static void check_same_repr(RtValue *v) {
    char want[8192];
    snprintf(want, sizeof want, "%s", t_repr(v));
    RtValue *r = roundtrip(v);
    assert_string_equal(t_repr(r), want);
    assert_ptr_equal(r->type, v->type);
    rt_decref(r);
    rt_decref(v);   /* the checks take the caller's reference */
}

/* ==== scalars ======================================================================== */

static void test_scalars(void **state) {
    (void)state;
    check_same_repr(rt_newref(rt_None));
    check_same_repr(rt_True);
    check_same_repr(rt_False);
    int64_t ints[] = { 0, 1, -1, 63, 64, -64, -65, 127, 128, 1000000, INT64_MAX, INT64_MIN };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) check_same_repr(rt_int(ints[i]));
    check_same_repr(rt_int_from_digits("123456789012345678901234567890123456789"));
    check_same_repr(rt_int_from_text("-98765432109876543210987654321", 30, 10));
    double fl[] = { 0.1, -0.0, 1e300, 1.5e-7, 1.0 / 0.0, -1.0 / 0.0 };
    for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++) check_same_repr(rt_float(fl[i]));
    check_same_repr(rt_complex(1.5, -2.0));
    check_same_repr(rt_range_new(1, 10, 3));
    check_same_repr(rt_newref(rt_Ellipsis));
}

static void test_text_and_bytes(void **state) {
    (void)state;
    check_same_repr(t_str(""));
    check_same_repr(t_str("h\xc3\xa9llo \xe2\x9c\x93 'quoted' \"double\"\n"));
    check_same_repr(rt_bytes_new("\x00\xff abc", 6));
    check_same_repr(rt_bytearray_new("xyz", 3));
    char big[70000];
    memset(big, 'q', sizeof big);
    check_same_repr(rt_str_new(big, sizeof big));
}

static void test_containers(void **state) {
    (void)state;
    RtValue *one = rt_int(1), *s = t_str("a");
    check_same_repr(rt_tuple_new(0));
    check_same_repr(rt_tuple_pack(1, one));
    check_same_repr(rt_list_new(0));
    RtValue *inner = rt_tuple_pack(2, one, s);
    RtValue *l = rt_list_from_array((RtValue *[]){ one, inner, rt_None }, 3);
    RtValue *d = rt_dict_new();
    assert_int_equal(rt_dict_set(d, s, l), 0);
    assert_int_equal(rt_dict_set(d, one, rt_None), 0);
    check_same_repr(rt_newref(d));
    RtValue *set = rt_set_new();
    assert_int_equal(rt_set_add(set, one), 0);
    assert_int_equal(rt_set_add(set, s), 0);
    check_same_repr(rt_newref(set));
    check_same_repr(rt_call((RtValue *)&rt_type_frozenset, &set, 1, NULL));
    rt_decref(set);
    rt_decref(d);
    rt_decref(l);
    rt_decref(inner);
    rt_decref(s);
}

/* ==== code and classes ======================================================================= */

static void test_types_and_functions(void **state) {
    (void)state;
    RtValue *types[] = { (RtValue *)&rt_type_int, (RtValue *)&rt_type_object,
                         (RtValue *)&rt_exc_ValueError, (RtValue *)&rt_mp_Connection,
                         (RtValue *)classes[0], functions[0] };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        RtValue *r = roundtrip(types[i]);
        assert_ptr_equal(r, types[i]);   /* the same object, as pickle's global lookup */
        rt_decref(r);
    }
    RtValue *b = rt_builtin_new("twice", native_twice, NULL, -1);
    RtValue *r = roundtrip(b);
    assert_ptr_equal(((RtBuiltin *)r)->fn, native_twice);
    RtValue *seven = rt_int(7);
    RtValue *x = rt_call(r, &seven, 1, NULL);
    assert_string_equal(t_repr(x), "14");
    rt_decref(x);
    rt_decref(seven);
    rt_decref(r);
    rt_decref(b);
}

static void test_exception_and_instance(void **state) {
    (void)state;
    RtValue *msg = t_str("boom");
    RtValue *args = rt_tuple_pack(1, msg);
    check_same_repr(rt_exc_new(&rt_exc_ValueError, args));
    rt_decref(args);
    rt_decref(msg);

    RtValue *p = rt_instance_new(classes[0]);
    RtValue *one = rt_int(1), *name = t_str("pt");
    assert_int_equal(rt_setattr(p, "x", one), 0);
    assert_int_equal(rt_setattr(p, "name", name), 0);
    RtValue *q = roundtrip(p);
    assert_ptr_equal(q->type, classes[0]);
    assert_ptr_not_equal(q, p);
    RtValue *qx = rt_getattr(q, "x"), *qn = rt_getattr(q, "name");
    assert_string_equal(t_repr(qx), "1");
    assert_string_equal(t_repr(qn), "'pt'");
    rt_decref(qx);
    rt_decref(qn);
    rt_decref(q);
    rt_decref(p);
    rt_decref(one);
    rt_decref(name);
}

/* ==== shared references and cycles ============================================================= */

static void test_shared_references(void **state) {
    (void)state;
    RtValue *x = rt_list_new(0), *t = rt_tuple_pack(2, rt_None, rt_None);
    RtValue *l = rt_list_from_array((RtValue *[]){ x, x, t, t }, 4);
    RtValue *r = roundtrip(l);
    assert_string_equal(t_repr(r), "[[], [], (None, None), (None, None)]");
    assert_ptr_equal(RT_LIST_GET(r, 0), RT_LIST_GET(r, 1));
    assert_ptr_equal(RT_LIST_GET(r, 2), RT_LIST_GET(r, 3));
    assert_ptr_not_equal(RT_LIST_GET(r, 0), x);
    rt_decref(r);
    rt_decref(l);
    rt_decref(t);
    rt_decref(x);
}

static void test_cycle(void **state) {
    (void)state;
    RtValue *l = rt_list_new(0), *d = rt_dict_new();
    assert_int_equal(rt_list_append(l, l), 0);
    assert_int_equal(rt_list_append(l, d), 0);
    assert_int_equal(rt_dict_set_cstr(d, "self", d), 0);
    RtValue *r = roundtrip(l);
    assert_ptr_equal(RT_LIST_GET(r, 0), r);
    RtValue *rd = RT_LIST_GET(r, 1);
    assert_ptr_equal(rt_dict_get_cstr(rd, "self"), rd);
    /* break the cycles so that refcounting frees them */
    assert_int_equal(rt_dict_del_cstr(rd, "self"), 1);
    assert_int_equal(rt_list_setitem_i64(r, 0, rt_None), 0);
    assert_int_equal(rt_dict_del_cstr(d, "self"), 1);
    assert_int_equal(rt_list_setitem_i64(l, 0, rt_None), 0);
    rt_decref(r);
    rt_decref(l);
    rt_decref(d);
}

static RtValue *nested(int depth) {
    RtValue *l = rt_list_new(0);
    for (int i = 0; i < depth; i++) {
        RtValue *outer = rt_list_from_array(&l, 1);
        rt_decref(l);
        l = outer;
    }
    return l;
}

static void test_depth_limit(void **state) {
    (void)state;
    RtValue *ok = nested(400);
    RtValue *r = roundtrip(ok);
    rt_decref(r);
    rt_decref(ok);
    RtValue *deep = nested(2000);
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, deep), -1);
    t_expect_exc(SER_RECURSION_TYPE, SER_RECURSION_MSG);
    assert_int_equal(b.len, 0);   /* nothing half-written */
    rt_buf_free(&b);
    rt_decref(deep);
}

/* ==== errors =================================================================================== */

static RtType fake_generator = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "generator", .tag = RT_T_ITER,
    .base = &rt_type_object, .size = sizeof(RtValue), .table_index = -1,
};

static void test_unpicklable(void **state) {
    (void)state;
    RtBuf b = RT_BUF_INIT;
    RtValue *g = rt_obj_alloc(&fake_generator, sizeof(RtValue));
    RtValue *l = rt_list_from_array(&g, 1);   /* inside a container too */
    assert_int_equal(rt_ser_dump(&b, l), -1);
    t_expect_exc(SER_GENERATOR_TYPE, SER_GENERATOR_MSG);
    rt_decref(l);
    rt_decref(g);

    RtValue *lam = rt_func_new("<lambda>", "<lambda>", square_entry, -1, NULL, NULL, NULL, 0);
    assert_int_equal(rt_ser_dump(&b, lam), -1);
    char want[256];
    snprintf(want, sizeof want, SER_LAMBDA_MSG, (void *)lam);
    t_expect_exc(SER_LAMBDA_TYPE, "%s", want);
    rt_decref(lam);

    RtValue *local = rt_func_new("g", "local_fn.<locals>.g", square_entry, -1, NULL, NULL, NULL, 0);
    assert_int_equal(rt_ser_dump(&b, local), -1);
    t_expect_exc(SER_LOCAL_TYPE, SER_LOCAL_MSG);
    rt_decref(local);
    assert_int_equal(b.len, 0);
    rt_buf_free(&b);
}

/* A message cut anywhere fails cleanly. */
static void test_truncated(void **state) {
    (void)state;
    RtValue *one = rt_int(1), *s = t_str("hello"), *big = rt_int_from_digits("123456789012345678901234567890");
    RtValue *t = rt_tuple_pack(3, one, s, big);
    RtValue *l = rt_list_from_array((RtValue *[]){ t, t, s }, 3);
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, l), 0);
    for (size_t cut = 0; cut < b.len; cut++) {
        RtBuf part = { b.data, cut, b.cap, 0 };
        RtValue *r = rt_ser_load(&part);
        assert_null(r);
        assert_non_null(rt_exc_pending);
        rt_decref(rt_exc_fetch());
    }
    rt_buf_free(&b);
    rt_decref(l);
    rt_decref(t);
    rt_decref(big);
    rt_decref(s);
    rt_decref(one);
}

/* Can the runtime raise MemoryError when nothing can be allocated? Probed
 * in a child, since a runtime that cannot recurses until the stack ends. */
static bool memory_error_works(void) {
    pid_t pid = fork();
    if (pid == 0) {
        rt_alloc_fail_after(0);
        void *p = rt_malloc(16);
        _exit(p == NULL && rt_exc_pending ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Every allocation of a dump and of a load may fail: MemoryError, no leak. */
static void test_alloc_failures(void **state) {
    (void)state;
    if (!memory_error_works()) skip();   /* XXX: the core's MemoryError needs an allocation */
    RtValue *one = rt_int(1000), *s = t_str("hello");
    RtValue *d = rt_dict_new();
    assert_int_equal(rt_dict_set(d, s, one), 0);
    RtValue *t = rt_tuple_pack(2, d, s);
    RtValue *l = rt_list_from_array((RtValue *[]){ t, t, d, one }, 4);
    RtBuf ok = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&ok, l), 0);
    bool dump_failed = false, load_failed = false;
    for (long n = 0; n < 200; n++) {
        RtBuf b = RT_BUF_INIT;
        rt_alloc_fail_after(n);
        int rc = rt_ser_dump(&b, l);
        rt_alloc_fail_after(-1);
        if (rc < 0) { t_expect_exc("MemoryError", ""); dump_failed = true; }
        rt_buf_free(&b);
        ok.pos = 0;
        rt_alloc_fail_after(n);
        RtValue *r = rt_ser_load(&ok);
        rt_alloc_fail_after(-1);
        if (!r) { t_expect_exc("MemoryError", ""); load_failed = true; }
        else rt_decref(r);
    }
    assert_true(dump_failed && load_failed);
    rt_buf_free(&ok);
    rt_decref(l);
    rt_decref(t);
    rt_decref(d);
    rt_decref(s);
    rt_decref(one);
}

static void test_buffer_helpers(void **state) {
    (void)state;
    RtBuf b = RT_BUF_INIT;
    int64_t sv[] = { 0, -1, 1, INT64_MIN, INT64_MAX, -300 };
    for (size_t i = 0; i < 6; i++) assert_int_equal(rt_buf_put_sleb(&b, sv[i]), 0);
    assert_int_equal(rt_buf_put_uleb(&b, UINT64_MAX), 0);
    assert_int_equal(rt_buf_put_u8(&b, 0xab), 0);
    assert_int_equal(rt_buf_put_bytes(&b, "xyz", 3), 0);
    for (size_t i = 0; i < 6; i++) {
        int64_t v;
        assert_int_equal(rt_buf_get_sleb(&b, &v), 0);
        assert_true(v == sv[i]);
    }
    uint64_t u;
    unsigned c;
    const unsigned char *p;
    assert_int_equal(rt_buf_get_uleb(&b, &u), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(rt_buf_get_u8(&b, &c), 0);
    assert_int_equal(c, 0xab);
    assert_int_equal(rt_buf_get_bytes(&b, 3, &p), 0);
    assert_memory_equal(p, "xyz", 3);
    assert_int_equal(rt_buf_get_u8(&b, &c), -1);
    rt_decref(rt_exc_fetch());
    rt_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_buffer_helpers, setup),
        cmocka_unit_test_setup(test_scalars, setup),
        cmocka_unit_test_setup(test_text_and_bytes, setup),
        cmocka_unit_test_setup(test_containers, setup),
        cmocka_unit_test_setup(test_types_and_functions, setup),
        cmocka_unit_test_setup(test_exception_and_instance, setup),
        cmocka_unit_test_setup(test_shared_references, setup),
        cmocka_unit_test_setup(test_cycle, setup),
        cmocka_unit_test_setup(test_depth_limit, setup),
        cmocka_unit_test_setup(test_unpicklable, setup),
        cmocka_unit_test_setup(test_truncated, setup),
        cmocka_unit_test_setup(test_alloc_failures, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

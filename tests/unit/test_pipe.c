/* test_pipe.c: Pipe and Connection (pipe.c), with real children.
 *
 * Round trips of every value kind over both kinds of pipe, a 1 MB message,
 * three processes sharing one duplex end (every message arrives whole),
 * EOFError once every write end is closed (the parent closing its inherited
 * copy included), poll with a timeout, connection.wait, and the errors
 * CPython raises (mp_expected.h).
 */
#include "mp_testutil.h"

#include <signal.h>
#include <time.h>

static RtValue *conns[2];   /* the current test's pair */

static void open_pipe(bool duplex) {
    RtValue *kn = t_kwnames(1, "duplex"), *d = rt_bool(duplex);
    RtValue *pair = rt_mp_Pipe(NULL, &d, 0, kn);
    rt_decref(kn);
    t_no_exc();
    conns[0] = rt_newref(RT_TUPLE_GET(pair, 0));
    conns[1] = rt_newref(RT_TUPLE_GET(pair, 1));
    rt_decref(pair);
}

static int teardown(void **state) {
    (void)state;
    for (int i = 0; i < 2; i++) RT_CLEAR(conns[i]);
    return 0;
}

static void send_ok(RtValue *c, RtValue *v) { t_ok(t_call(c, "send", 1, v)); }

static RtValue *recv_ok(RtValue *c) {
    RtValue *v = t_call(c, "recv", 0);
    t_no_exc();
    return v;
}

/* Sends v one way and checks repr equality on arrival; steals v. */
static void echo_check(RtValue *v) {
    char want[8192];
    snprintf(want, sizeof want, "%s", t_repr(v));
    send_ok(conns[1], v);
    RtValue *r = recv_ok(conns[0]);
    assert_string_equal(t_repr(r), want);
    rt_decref(r);
    rt_decref(v);
}

static void values_roundtrip(bool duplex) {
    open_pipe(duplex);
    RtValue *one = rt_int(1), *s = t_str("caf\xc3\xa9");
    echo_check(rt_newref(rt_None));
    echo_check(rt_True);
    echo_check(rt_int(-123456789));
    echo_check(rt_int_from_digits("340282366920938463463374607431768211456"));
    echo_check(rt_float(0.1));
    echo_check(rt_complex(0, 1));
    echo_check(rt_newref(s));
    echo_check(rt_bytes_new("\x00\x01", 2));
    echo_check(rt_bytearray_new("ab", 2));
    echo_check(rt_tuple_pack(2, one, s));
    echo_check(rt_list_from_array((RtValue *[]){ one, s, rt_None }, 3));
    RtValue *d = rt_dict_new();
    assert_int_equal(rt_dict_set(d, s, one), 0);
    echo_check(d);
    RtValue *set = rt_set_new();
    assert_int_equal(rt_set_add(set, one), 0);
    echo_check(set);
    echo_check(rt_range_new(0, 5, 1));
    echo_check(rt_newref((RtValue *)&rt_type_object));
    RtValue *args = rt_tuple_pack(1, s);
    echo_check(rt_exc_new(&rt_exc_KeyError, args));
    rt_decref(args);
    rt_decref(one);
    rt_decref(s);
}

static void test_values_duplex(void **state) { (void)state; values_roundtrip(true); }
static void test_values_simplex(void **state) { (void)state; values_roundtrip(false); }

/* A 1 MB message, echoed by a child (larger than any socket or pipe buffer). */
static void big_message(bool duplex) {
    open_pipe(duplex);
    RtValue *ep[2];
    RtValue *pair2 = NULL;
    if (duplex) { ep[0] = conns[0]; ep[1] = conns[1]; }
    else {
        pair2 = rt_mp_Pipe(NULL, (RtValue *[]){ rt_False }, 1, NULL);
        ep[0] = RT_TUPLE_GET(pair2, 0);
        ep[1] = RT_TUPLE_GET(pair2, 1);
    }
    pid_t pid = rt_mp_fork();
    if (pid == 0) {
        /* child: read on conns[0] (duplex: the same end serves both ways) */
        RtValue *v = t_call(duplex ? ep[1] : conns[0], "recv", 0);
        RtValue *r = v ? t_call(duplex ? ep[1] : ep[1], "send", 1, v) : NULL;
        rt_mp_child_exit(r ? 0 : 1);
    }
    char *big = malloc(1 << 20);
    for (int i = 0; i < 1 << 20; i++) big[i] = (char)('a' + i % 26);
    RtValue *s = rt_str_new(big, 1 << 20);
    free(big);
    send_ok(duplex ? ep[0] : conns[1], s);
    RtValue *r = recv_ok(ep[0]);
    assert_int_equal(rt_str_nbytes(r), 1 << 20);
    assert_memory_equal(rt_str_data(r), rt_str_data(s), 1 << 20);
    rt_decref(r);
    rt_decref(s);
    int code;
    assert_int_equal(rt_mp_reap(pid, true, &code), 1);
    assert_int_equal(code, 0);
    rt_xdecref(pair2);
    t_no_zombies();
}

static void test_big_duplex(void **state) { (void)state; big_message(true); }
static void test_big_simplex(void **state) { (void)state; big_message(false); }

/* The notes' pattern: several processes on one duplex end. Two children
 * send 200 tuples each on end 1 while the parent reads end 0; then the
 * parent sends 200 messages that two children read from end 1. */
static void test_shared_end(void **state) {
    (void)state;
    open_pipe(true);
    enum { N = 200 };
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        if ((kids[k] = rt_mp_fork()) == 0) {
            int bad = 0;
            for (int i = 0; i < N; i++) {
                RtValue *a = rt_int(k), *b = rt_int(i), *pad = rt_str_new("................................", 32);
                RtValue *t = rt_tuple_pack(3, a, b, pad);
                RtValue *r = t_call(conns[1], "send", 1, t);
                bad |= r == NULL;
                rt_xdecref(r); rt_decref(t); rt_decref(a); rt_decref(b); rt_decref(pad);
            }
            rt_mp_child_exit(bad);
        }
    }
    int seen[2][N] = { { 0 } };
    for (int i = 0; i < 2 * N; i++) {
        RtValue *t = recv_ok(conns[0]);
        int64_t k, j;
        assert_int_equal(rt_int_as_i64(RT_TUPLE_GET(t, 0), &k), 0);
        assert_int_equal(rt_int_as_i64(RT_TUPLE_GET(t, 1), &j), 0);
        assert_int_equal(rt_str_nbytes(RT_TUPLE_GET(t, 2)), 32);
        seen[k][j]++;
        rt_decref(t);
    }
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < N; j++) assert_int_equal(seen[k][j], 1);
    for (int k = 0; k < 2; k++) {
        int code;
        assert_int_equal(rt_mp_reap(kids[k], true, &code), 1);
        assert_int_equal(code, 0);
    }

    /* two readers: each message goes to exactly one of them, whole */
    RtValue *res = rt_mp_Pipe(NULL, NULL, 0, NULL);
    RtValue *rin = RT_TUPLE_GET(res, 0), *rout = RT_TUPLE_GET(res, 1);
    for (int k = 0; k < 2; k++) {
        if ((kids[k] = rt_mp_fork()) == 0) {
            int64_t sum = 0, n = 0;
            for (;;) {
                RtValue *v = t_call(conns[1], "recv", 0);
                if (!v) rt_mp_child_exit(2);
                int64_t x;
                if (rt_int_as_i64(v, &x) < 0) rt_mp_child_exit(3);
                rt_decref(v);
                if (x < 0) break;
                sum += x;
                n++;
            }
            RtValue *a = rt_int(sum), *b = rt_int(n), *t = rt_tuple_pack(2, a, b);
            RtValue *r = t_call(rout, "send", 1, t);
            rt_mp_child_exit(r ? 0 : 4);
        }
    }
    int64_t want = 0;
    for (int i = 1; i <= N; i++) {
        RtValue *v = rt_int(i);
        send_ok(conns[0], v);
        rt_decref(v);
        want += i;
    }
    RtValue *stop = rt_int(-1);
    send_ok(conns[0], stop);
    send_ok(conns[0], stop);
    rt_decref(stop);
    int64_t sum = 0, n = 0;
    for (int k = 0; k < 2; k++) {
        RtValue *t = recv_ok(rin);
        int64_t a, b;
        assert_int_equal(rt_int_as_i64(RT_TUPLE_GET(t, 0), &a), 0);
        assert_int_equal(rt_int_as_i64(RT_TUPLE_GET(t, 1), &b), 0);
        sum += a;
        n += b;
        rt_decref(t);
    }
    assert_int_equal(sum, want);
    assert_int_equal(n, N);
    for (int k = 0; k < 2; k++) {
        int code;
        assert_int_equal(rt_mp_reap(kids[k], true, &code), 1);
        assert_int_equal(code, 0);
    }
    rt_decref(res);
    t_no_zombies();
}

/* EOFError only once every copy of the other end is closed. */
static void eof_after_close(bool duplex) {
    open_pipe(duplex);
    RtValue *rd = conns[0], *wr = conns[1];
    pid_t pid = rt_mp_fork();
    if (pid == 0) {
        RtValue *v = rt_int(42);
        RtValue *r = t_call(wr, "send", 1, v);
        rt_mp_child_exit(r ? 0 : 1);   /* the child's copy closes at exit */
    }
    RtValue *v = recv_ok(rd);
    assert_string_equal(t_repr(v), "42");
    rt_decref(v);
    int code;
    assert_int_equal(rt_mp_reap(pid, true, &code), 1);
    /* the parent still holds the write end: poll says nothing to read */
    RtValue *zero = rt_float(0.0);
    RtValue *p = t_call(rd, "poll", 1, zero);
    assert_ptr_equal(p, rt_False);
    t_ok(t_call(wr, "close", 0));
    p = t_call(rd, "poll", 1, zero);
    assert_ptr_equal(p, rt_True);   /* EOF counts as readable */
    assert_null(t_call(rd, "recv", 0));
    t_expect_exc(CONN_EOF_TYPE, CONN_EOF_MSG);
    rt_decref(zero);
    t_no_zombies();
}

static void test_eof_duplex(void **state) { (void)state; eof_after_close(true); }
static void test_eof_simplex(void **state) { (void)state; eof_after_close(false); }

static void test_poll_timeout(void **state) {
    (void)state;
    open_pipe(true);
    RtValue *t = rt_float(0.1);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    RtValue *r = t_call(conns[0], "poll", 1, t);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_ptr_equal(r, rt_False);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(waited >= 0.1 && waited < 5);
    RtValue *a = t_str("A");
    send_ok(conns[0], a);
    assert_ptr_equal(t_call(conns[0], "poll", 0), rt_False);   /* as the notes say */
    assert_ptr_equal(t_call(conns[1], "poll", 0), rt_True);
    /* connection.wait sees the same */
    RtValue *lst = rt_list_from_array(conns, 2);
    RtValue *ready = rt_mp_connection_wait(NULL, (RtValue *[]){ lst, t }, 2, NULL);
    assert_int_equal(RT_LIST_LEN(ready), 1);
    assert_ptr_equal(RT_LIST_GET(ready, 0), conns[1]);
    rt_decref(ready);
    rt_decref(lst);
    RtValue *v = recv_ok(conns[1]);
    assert_string_equal(t_repr(v), "'A'");
    rt_decref(v);
    rt_decref(a);
    rt_decref(t);
}

static void test_bytes_api(void **state) {
    (void)state;
    open_pipe(false);
    RtValue *r = conns[0], *w = conns[1];
    RtValue *abc = rt_bytes_new("abcdef", 6), *two = rt_int(2), *three = rt_int(3);
    t_ok(t_call(w, "send_bytes", 3, abc, two, three));
    RtValue *got = t_call(r, "recv_bytes", 0);
    assert_string_equal(t_repr(got), "b'cde'");
    rt_decref(got);
    RtValue *neg = rt_int(-1), *four = rt_int(4), *one = rt_int(1), *sx = t_str("x"), *five = rt_int(5);
    RtValue *abc3 = rt_bytes_new("abc", 3);
    assert_null(t_call(w, "send_bytes", 1, sx));
    t_expect_exc(CONN_NOT_BYTES_TYPE, CONN_NOT_BYTES_MSG);
    assert_null(t_call(w, "send_bytes", 2, abc3, neg));
    t_expect_exc(CONN_OFFSET_NEG_TYPE, CONN_OFFSET_NEG_MSG);
    assert_null(t_call(w, "send_bytes", 2, abc3, four));
    t_expect_exc(CONN_OFFSET_BIG_TYPE, CONN_OFFSET_BIG_MSG);
    assert_null(t_call(w, "send_bytes", 3, abc3, one, neg));
    t_expect_exc(CONN_SIZE_NEG_TYPE, CONN_SIZE_NEG_MSG);
    assert_null(t_call(w, "send_bytes", 3, abc3, one, three));
    t_expect_exc(CONN_SIZE_BIG_TYPE, CONN_SIZE_BIG_MSG);
    assert_null(t_call(r, "recv_bytes", 1, neg));
    t_expect_exc(CONN_MAXLEN_NEG_TYPE, CONN_MAXLEN_NEG_MSG);
    assert_null(t_call(w, "recv", 0));
    t_expect_exc(CONN_WRITE_ONLY_TYPE, CONN_WRITE_ONLY_MSG);
    assert_null(t_call(r, "send", 1, one));
    t_expect_exc(CONN_READ_ONLY_TYPE, CONN_READ_ONLY_MSG);
    RtValue *ten = rt_bytes_new("xxxxxxxxxx", 10);
    t_ok(t_call(w, "send_bytes", 1, ten));
    assert_null(t_call(r, "recv_bytes", 1, five));
    t_expect_exc(CONN_BAD_LENGTH_TYPE, CONN_BAD_LENGTH_MSG);
    RtValue *closed = rt_getattr(r, "closed");
    assert_ptr_equal(closed, rt_True);
    assert_null(t_call(r, "recv", 0));
    t_expect_exc(CONN_CLOSED_TYPE, CONN_CLOSED_MSG);
    assert_null(t_call(r, "fileno", 0));
    t_expect_exc(CONN_CLOSED_TYPE, CONN_CLOSED_MSG);
    char want[128];
    snprintf(want, sizeof want, CONN_REPR, (void *)w);
    assert_string_equal(t_repr(w), want);
    rt_decref(ten); rt_decref(abc3); rt_decref(five); rt_decref(sx); rt_decref(one); rt_decref(four);
    rt_decref(neg); rt_decref(three); rt_decref(two); rt_decref(abc);
}

static RtValue *lam_entry(RtFunc *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return rt_newref(rt_None);
}

static void test_unsupported_and_broken(void **state) {
    (void)state;
    open_pipe(true);
    RtValue *lam = rt_func_new("<lambda>", "<lambda>", lam_entry, -1, NULL, NULL, NULL, 0);
    assert_null(t_call(conns[0], "send", 1, lam));
    char want[256];
    snprintf(want, sizeof want, CONN_SEND_LAMBDA_MSG, (void *)lam);
    t_expect_exc(CONN_SEND_LAMBDA_TYPE, "%s", want);
    assert_ptr_equal(t_call(conns[1], "poll", 0), rt_False);   /* nothing half-sent */
    rt_decref(lam);
    t_ok(t_call(conns[1], "close", 0));
    assert_null(t_call(conns[0], "recv", 0));
    t_expect_exc(CONN_EOF_TYPE, CONN_EOF_MSG);
    RtValue *one = rt_int(1);
    assert_null(t_call(conns[0], "send", 1, one));
    t_expect_exc(CONN_BROKEN_TYPE, CONN_BROKEN_MSG);
    rt_decref(one);
}

/* wait() on process sentinels. */
static RtValue *nap(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args; (void)nargs; (void)kwnames;
    usleep(50000);
    return rt_newref(rt_None);
}

static void test_wait_sentinels(void **state) {
    (void)state;
    RtValue *fn = rt_builtin_new("nap", nap, NULL, -1);
    RtValue *kn = t_kwnames(1, "target");
    RtValue *p = rt_call((RtValue *)&rt_mp_Process, &fn, 0, kn);
    t_ok(t_call(p, "start", 0));
    RtValue *s = rt_getattr(p, "sentinel");
    RtValue *lst = rt_list_from_array(&s, 1);
    RtValue *zero = rt_int(0);
    RtValue *wa[2] = { lst, zero };
    RtValue *ready = rt_mp_connection_wait(NULL, wa, 2, NULL);     /* still running: not ready */
    assert_int_equal(RT_LIST_LEN(ready), 0);
    rt_decref(ready);
    ready = rt_mp_connection_wait(NULL, &lst, 1, NULL);   /* blocks until it ends */
    assert_int_equal(RT_LIST_LEN(ready), 1);
    assert_ptr_equal(RT_LIST_GET(ready, 0), s);
    t_ok(t_call(p, "join", 0));
    rt_decref(ready); rt_decref(lst); rt_decref(s); rt_decref(p);

    /* A sentinel first asked for after join() is ready at once, as CPython's is. */
    p = rt_call((RtValue *)&rt_mp_Process, &fn, 0, kn);
    t_ok(t_call(p, "start", 0));
    t_ok(t_call(p, "join", 0));
    s = rt_getattr(p, "sentinel");
    lst = rt_list_from_array(&s, 1);
    wa[0] = lst;
    ready = rt_mp_connection_wait(NULL, wa, 2, NULL);
    assert_int_equal(RT_LIST_LEN(ready), 1);
    rt_decref(ready); rt_decref(lst); rt_decref(s); rt_decref(p);
    rt_decref(zero); rt_decref(kn); rt_decref(fn);
    t_no_zombies();
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);   /* as rt_main does */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_values_duplex, teardown),
        cmocka_unit_test_teardown(test_values_simplex, teardown),
        cmocka_unit_test_teardown(test_big_duplex, teardown),
        cmocka_unit_test_teardown(test_big_simplex, teardown),
        cmocka_unit_test_teardown(test_shared_end, teardown),
        cmocka_unit_test_teardown(test_eof_duplex, teardown),
        cmocka_unit_test_teardown(test_eof_simplex, teardown),
        cmocka_unit_test_teardown(test_poll_timeout, teardown),
        cmocka_unit_test_teardown(test_bytes_api, teardown),
        cmocka_unit_test_teardown(test_unsupported_and_broken, teardown),
        cmocka_unit_test_teardown(test_wait_sentinels, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

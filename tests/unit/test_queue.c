/* test_queue.c: multiprocessing.Queue, JoinableQueue and SimpleQueue with
 * real processes: FIFO order across producers and consumers, maxsize and
 * timeouts, big items, a consumer or producer killed mid-operation, and the
 * error messages (expected strings come from CPython: pool_expected.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mp2c.h"
#include "pool_expected.h"

/* cmocka last: with UNIT_TESTING it redefines malloc and friends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "text_helpers.h"

/* ---- helpers ----------------------------------------------------------------- */

static RtValue *new_queue(RtType *t, int64_t maxsize) {
    RtValue *q = rt_mp_queue_new(t, maxsize);
    assert_non_null(q);
    return q;
}

static RtValue *call(RtValue *q, const char *m, size_t n, ...) {
    RtValue *args[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) args[i] = va_arg(ap, RtValue *);
    va_end(ap);
    return rt_call_method(q, m, args, n, NULL);
}

static int64_t as_i64(RtValue *v) {
    int64_t x = -1;
    assert_non_null(v);
    assert_int_equal(rt_int_as_i64(v, &x), 0);
    return x;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void reap_ok(pid_t pid) {
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

/* ---- tests -------------------------------------------------------------------- */

static void test_fifo_and_sizes(void **state) {
    (void)state;
    RtValue *q = new_queue(&rt_mp_Queue, 0);
    RtValue *r = call(q, "empty", 0);
    assert_ptr_equal(r, rt_True);
    for (int i = 0; i < 1000; i++) {
        RtValue *v = rt_int(i * 7);
        assert_int_equal(rt_mp_queue_put(q, v, true, -1), 0);
        rt_decref(v);
    }
    RtValue *n = call(q, "qsize", 0);
    assert_int_equal(as_i64(n), 1000);
    rt_decref(n);
    assert_ptr_equal(call(q, "full", 0), rt_False);
    for (int i = 0; i < 1000; i++) {
        RtValue *v = rt_mp_queue_get(q, true, -1);
        assert_int_equal(as_i64(v), i * 7);
        rt_decref(v);
    }
    assert_ptr_equal(call(q, "empty", 0), rt_True);
    rt_decref(q);
}

/* What a process sees of its own puts: CPython's feeder thread lags behind
 * put(), so empty() right after it is True (qsize() counts the items). */
static void test_own_puts_view(void **state) {
    (void)state;
    char got[128];
    RtValue *q1 = new_queue(&rt_mp_Queue, 0);
    for (int i = 0; i < 3; i++) assert_non_null(call(q1, "put", 1, rt_int(i)));
    RtValue *e = call(q1, "empty", 0), *n = call(q1, "qsize", 0), *f = call(q1, "full", 0);
    RtValue *q4 = new_queue(&rt_mp_Queue, 0);
    assert_non_null(call(q4, "put", 1, rt_int(1)));
    usleep(20000);
    RtValue *e4 = call(q4, "empty", 0);
    snprintf(got, sizeof got, "%s %lld %s | %s", e == rt_True ? "True" : "False", (long long)as_i64(n),
             f == rt_True ? "True" : "False", e4 == rt_True ? "True" : "False");
    assert_string_equal(got, PX_LOCAL_VIEW);
    rt_decref(n);
    /* a blocking get lets "the feeder" run: the rest is visible */
    RtValue *v = rt_mp_queue_get(q1, true, -1);
    assert_int_equal(as_i64(v), 0);
    assert_ptr_equal(call(q1, "empty", 0), rt_False);
    /* a forked child does not inherit the parent's pending view */
    RtValue *q5 = new_queue(&rt_mp_Queue, 0);
    assert_non_null(call(q5, "put", 1, rt_int(1)));
    pid_t pid = fork();
    if (pid == 0) _exit(call(q5, "empty", 0) == rt_False ? 0 : 1);
    reap_ok(pid);
    rt_decref(q1);
    rt_decref(q4);
    rt_decref(q5);
}

static void test_values_are_copied(void **state) {
    (void)state;
    RtValue *q = new_queue(&rt_mp_Queue, 4);
    RtValue *s = rt_str_from_cstr("h\xc3\xa9llo");
    RtValue *b = rt_bytes_new("\0\1\2", 3);
    RtValue *l = rt_list_new(3);
    assert_int_equal(rt_list_append(l, rt_None), 0);
    assert_int_equal(rt_list_append(l, s), 0);
    assert_int_equal(rt_list_append(l, b), 0);
    assert_int_equal(rt_mp_queue_put(q, l, true, -1), 0);
    assert_int_equal(rt_mp_queue_put(q, rt_True, true, -1), 0);
    RtValue *got = rt_mp_queue_get(q, true, -1);
    assert_non_null(got);
    assert_ptr_not_equal(got, l);                   /* a copy, as pickle makes */
    assert_int_equal(rt_eq(got, l), 1);
    RtValue *t = rt_mp_queue_get(q, true, -1);
    assert_ptr_equal(t, rt_True);
    rt_decref(got);
    rt_decref(l);
    rt_decref(s);
    rt_decref(b);
    rt_decref(q);
}

static void test_maxsize_full_timeout(void **state) {
    (void)state;
    RtValue *q = new_queue(&rt_mp_Queue, 2);
    RtValue *one = rt_int(1);
    assert_int_equal(rt_mp_queue_put(q, one, true, -1), 0);
    assert_int_equal(rt_mp_queue_put(q, one, true, -1), 0);
    assert_ptr_equal(call(q, "full", 0), rt_True);
    double t0 = now();
    assert_int_equal(rt_mp_queue_put(q, one, true, 0.1), -1);
    double dt = now() - t0;
    assert_true(dt >= 0.099 && dt < 1.0);
    assert_string_equal(exc_text(), PX_FULL_NAME);
    assert_null(call(q, "put_nowait", 1, one));
    assert_string_equal(exc_text(), PX_FULL_NAME);
    /* A child frees a slot after 50 ms: the blocked put goes through. */
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        RtValue *v = rt_mp_queue_get(q, true, -1);
        _exit(v ? 0 : 1);
    }
    assert_int_equal(rt_mp_queue_put(q, one, true, 5.0), 0);
    reap_ok(pid);
    RtValue *n = call(q, "qsize", 0);
    assert_int_equal(as_i64(n), 2);
    rt_decref(n);
    rt_decref(q);
}

static void test_get_timeout_empty(void **state) {
    (void)state;
    RtValue *q = new_queue(&rt_mp_Queue, 0);
    double t0 = now();
    assert_null(rt_mp_queue_get(q, true, 0.1));
    double dt = now() - t0;
    assert_true(dt >= 0.099 && dt < 1.0);
    assert_string_equal(exc_text(), PX_EMPTY_NAME);
    assert_null(call(q, "get_nowait", 0));
    assert_string_equal(exc_text(), PX_EMPTY_NAME);
    RtValue *f = rt_float(0.05);
    RtValue *kwn = rt_tuple_pack(1, rt_str_from_cstr("timeout"));
    RtValue *args[1] = {f};
    assert_null(rt_call_method(q, "get", args, 0, kwn));
    assert_string_equal(exc_text(), PX_EMPTY_NAME);
    rt_decref(RT_TUPLE_GET(kwn, 0));
    rt_decref(kwn);
    rt_decref(f);
    rt_decref(q);
}

/* 1 MB items force the ring to grow while a consumer runs in another process. */
static void test_big_items(void **state) {
    (void)state;
    enum { N = 6, SZ = 1 << 20 };
    RtValue *q = new_queue(&rt_mp_Queue, 0);
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < N; i++) {
            RtValue *v = rt_mp_queue_get(q, true, 10.0);
            if (!v || !rt_is_bytes(v) || ((RtBytes *)v)->len != SZ) _exit(2);
            for (size_t k = 0; k < SZ; k += 4099)
                if (((RtBytes *)v)->data[k] != (unsigned char)(k * 31 + i)) _exit(3);
            rt_decref(v);
        }
        _exit(0);
    }
    unsigned char *buf = malloc(SZ);
    for (int i = 0; i < N; i++) {
        for (size_t k = 0; k < SZ; k++) buf[k] = (unsigned char)(k * 31 + i);
        RtValue *v = rt_bytes_new(buf, SZ);
        assert_int_equal(rt_mp_queue_put(q, v, true, -1), 0);
        rt_decref(v);
    }
    free(buf);
    reap_ok(pid);
    /* drained: the grown ring gives its pages back (fallocate PUNCH_HOLE) when
     * a get empties it, at most every 100 ms */
    usleep(120000);
    assert_int_equal(rt_mp_queue_put(q, rt_None, true, -1), 0);
    RtValue *none = rt_mp_queue_get(q, true, -1);
    assert_ptr_equal(none, rt_None);
    RtBuf b = RT_BUF_INIT;
    int *fds = NULL;
    size_t nfds = 0;
    assert_int_equal(rt_ser_dump_for_spawn(&b, q, &fds, &nfds), 0);
    struct stat st;
    assert_int_equal(fstat(fds[0], &st), 0);
    assert_true(st.st_size >= 2 * SZ);
    assert_true(st.st_blocks * 512 < 64 * 1024);
    rt_free(fds);
    rt_buf_free(&b);
    rt_decref(q);
}

/* 3 producers x 2 consumers: every item arrives exactly once, and each
 * producer's items arrive in the order it put them. */
static void test_many_producers_consumers(void **state) {
    (void)state;
    enum { P = 3, C = 2, N = 3000 };
    RtValue *q = new_queue(&rt_mp_Queue, 50);
    RtValue *report = new_queue(&rt_mp_Queue, 0);
    pid_t kids[P + C];
    for (int c = 0; c < C; c++) {
        if ((kids[c] = fork()) == 0) {
            int64_t last[P] = {-1, -1, -1}, count = 0, sum = 0;
            for (;;) {
                RtValue *v = rt_mp_queue_get(q, true, 20.0);
                if (!v) _exit(2);
                int64_t x;
                if (rt_int_as_i64(v, &x) < 0) _exit(3);
                rt_decref(v);
                if (x < 0) break;
                int p = (int)(x / 1000000), seq = (int)(x % 1000000);
                if (seq <= last[p]) _exit(4);            /* per-producer FIFO */
                last[p] = seq;
                count++;
                sum += x;
            }
            RtValue *t = rt_tuple_pack(2, rt_int(count), rt_int(sum));
            if (rt_mp_queue_put(report, t, true, -1) < 0) _exit(5);
            _exit(0);
        }
    }
    for (int p = 0; p < P; p++) {
        if ((kids[C + p] = fork()) == 0) {
            for (int i = 0; i < N; i++) {
                RtValue *v = rt_int((int64_t)p * 1000000 + i);
                if (rt_mp_queue_put(q, v, true, -1) < 0) _exit(2);
                rt_decref(v);
            }
            _exit(0);
        }
    }
    for (int p = 0; p < P; p++) reap_ok(kids[C + p]);
    RtValue *stop = rt_int(-1);
    for (int c = 0; c < C; c++) assert_int_equal(rt_mp_queue_put(q, stop, true, -1), 0);
    int64_t total = 0, sum = 0, want = 0;
    for (int c = 0; c < C; c++) {
        RtValue *t = rt_mp_queue_get(report, true, 20.0);
        assert_non_null(t);
        total += as_i64(RT_TUPLE_GET(t, 0));
        sum += as_i64(RT_TUPLE_GET(t, 1));
        rt_decref(t);
    }
    for (int c = 0; c < C; c++) reap_ok(kids[c]);
    for (int p = 0; p < P; p++)
        for (int i = 0; i < N; i++) want += (int64_t)p * 1000000 + i;
    assert_int_equal(total, P * N);
    assert_int_equal(sum, want);
    rt_decref(q);
    rt_decref(report);
}

/* A consumer SIGKILLed while blocked in get() must not strand the queue. */
static void test_consumer_killed_mid_get(void **state) {
    (void)state;
    RtValue *q = new_queue(&rt_mp_Queue, 0);
    pid_t pid = fork();
    if (pid == 0) {
        RtValue *v = rt_mp_queue_get(q, true, -1);
        _exit(v ? 0 : 1);
    }
    usleep(100000);                          /* it is asleep in the futex now */
    kill(pid, SIGKILL);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st));
    /* Another consumer still gets woken by a put. */
    pid_t c2 = fork();
    if (c2 == 0) {
        RtValue *v = rt_mp_queue_get(q, true, 5.0);
        int64_t x = 0;
        _exit(v && rt_int_as_i64(v, &x) == 0 && x == 42 ? 0 : 1);
    }
    usleep(50000);
    RtValue *v = rt_int(42);
    assert_int_equal(rt_mp_queue_put(q, v, true, -1), 0);
    rt_decref(v);
    reap_ok(c2);
    rt_decref(q);
}

/* A producer killed at a random point of a stream of 200 KB puts (most of
 * its time is spent copying under the lock): the survivors see whole
 * records only, and the queue keeps working. */
static void test_producer_killed_holding_lock(void **state) {
    (void)state;
    enum { SZ = 200000 };
    RtValue *q = new_queue(&rt_mp_Queue, 0);
    for (int round = 0; round < 3; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            unsigned char *buf = malloc(SZ);
            for (int i = 0;; i++) {
                memset(buf, i & 0xff, SZ);
                RtValue *b = rt_bytes_new(buf, SZ);
                if (rt_mp_queue_put(q, b, true, -1) < 0) _exit(2);
                rt_decref(b);
            }
        }
        usleep(20000 + round * 7000);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        int64_t n = 0;
        for (;;) {
            RtValue *v = rt_mp_queue_get(q, false, -1);
            if (!v) { assert_string_equal(exc_text(), PX_EMPTY_NAME); break; }
            assert_true(rt_is_bytes(v));
            RtBytes *b = (RtBytes *)v;
            assert_int_equal(b->len, SZ);
            assert_int_equal(b->data[0], b->data[SZ - 1]);
            rt_decref(v);
            n++;
        }
        RtValue *size = call(q, "qsize", 0);
        assert_int_equal(as_i64(size), 0);
        rt_decref(size);
    }
    RtValue *v = rt_int(7);
    assert_int_equal(rt_mp_queue_put(q, v, true, -1), 0);
    RtValue *w = rt_mp_queue_get(q, true, 1.0);
    assert_int_equal(as_i64(w), 7);
    rt_decref(v);
    rt_decref(w);
    rt_decref(q);
}

static void test_joinable(void **state) {
    (void)state;
    RtValue *q = new_queue(&rt_mp_JoinableQueue, 0);
    for (int i = 0; i < 3; i++) assert_non_null(call(q, "put", 1, rt_int(i)));
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 3; i++) {
            RtValue *v = rt_mp_queue_get(q, true, 5.0);
            if (!v) _exit(2);
            rt_decref(v);
            usleep(20000);
            if (!call(q, "task_done", 0)) _exit(3);
        }
        _exit(0);
    }
    double t0 = now();
    assert_ptr_equal(call(q, "join", 0), rt_None);
    assert_true(now() - t0 >= 0.05);
    reap_ok(pid);
    assert_null(call(q, "task_done", 0));
    assert_string_equal(exc_text(), PX_ERR_TASK_DONE);
    assert_ptr_equal(call(q, "join", 0), rt_None);    /* nothing unfinished: returns at once */
    rt_decref(q);
}

static void test_simple_queue(void **state) {
    (void)state;
    RtValue *q = rt_call((RtValue *)&rt_mp_SimpleQueue, NULL, 0, NULL);
    assert_non_null(q);
    assert_ptr_equal(call(q, "empty", 0), rt_True);
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 100; i++)
            if (!call(q, "put", 1, rt_int(i))) _exit(2);
        _exit(0);
    }
    for (int i = 0; i < 100; i++) {
        RtValue *v = call(q, "get", 0);
        assert_int_equal(as_i64(v), i);
        rt_decref(v);
    }
    reap_ok(pid);
    assert_ptr_equal(call(q, "close", 0), rt_None);
    assert_null(call(q, "put", 1, rt_int(1)));
    assert_string_equal(exc_text(), PX_ERR_SIMPLE_CLOSED);
    assert_null(call(q, "get", 0));
    assert_string_equal(exc_text(), PX_ERR_SIMPLE_CLOSED);
    rt_decref(q);
}

static void test_reprs(void **state) {
    (void)state;
    RtType *types[3] = {&rt_mp_Queue, &rt_mp_JoinableQueue, &rt_mp_SimpleQueue};
    const char *want[3] = {PX_QUEUE_REPR, PX_JQUEUE_REPR, PX_SQUEUE_REPR};
    for (int i = 0; i < 3; i++) {
        RtValue *q = rt_call((RtValue *)types[i], NULL, 0, NULL);
        assert_non_null(q);
        RtValue *r = rt_repr(q);
        assert_string_equal(rt_str_data(r), with_addr(want[i], q));
        rt_decref(r);
        rt_decref(q);
    }
}

static void test_closed_and_errors(void **state) {
    (void)state;
    RtValue *q = new_queue(&rt_mp_Queue, 0);
    assert_null(call(q, "join_thread", 0));
    assert_string_equal(exc_text(), with_addr(PX_ERR_JOIN_THREAD, q));
    assert_null(call(q, "put", 0));
    assert_string_equal(exc_text(), PX_ERR_PUT_MISSING);
    assert_null(call(q, "put", 4, rt_int(1), rt_int(2), rt_int(3), rt_int(4)));
    assert_string_equal(exc_text(), PX_ERR_PUT_MANY);
    assert_null(call(q, "qsize", 1, rt_int(1)));
    assert_string_equal(exc_text(), PX_ERR_QSIZE_ARGS);
    RtValue *x = rt_str_from_cstr("x");
    RtValue *kw = rt_tuple_pack(1, rt_str_from_cstr("timeout"));
    RtValue *args[2] = {x};
    assert_null(rt_call_method(q, "get", args, 0, kw));
    assert_string_equal(exc_text(), PX_ERR_GET_TIMEOUT);
    RtValue *args2[2] = {rt_int(1), x};
    assert_null(rt_call_method(q, "put", args2, 1, kw));
    assert_string_equal(exc_text(), PX_ERR_PUT_TIMEOUT);
    rt_decref(RT_TUPLE_GET(kw, 0));
    rt_decref(kw);
    RtValue *kw2 = rt_tuple_pack(1, rt_str_from_cstr("foo"));
    RtValue *args3[2] = {rt_int(1), rt_int(2)};
    assert_null(rt_call_method(q, "put", args3, 1, kw2));
    assert_string_equal(exc_text(), PX_ERR_PUT_KW);
    rt_decref(RT_TUPLE_GET(kw2, 0));
    rt_decref(kw2);
    RtBuf b = RT_BUF_INIT;                 /* only a spawn may pickle it */
    assert_int_equal(rt_ser_dump(&b, q), -1);
    assert_string_equal(exc_text(), PX_ERR_QUEUE_PICKLE);
    rt_buf_free(&b);
    assert_ptr_equal(call(q, "close", 0), rt_None);
    assert_ptr_equal(call(q, "join_thread", 0), rt_None);
    assert_null(call(q, "put", 1, rt_int(1)));
    assert_string_equal(exc_text(), with_addr(PX_ERR_CLOSED_PUT, q));
    assert_null(call(q, "get", 0));
    assert_string_equal(exc_text(), with_addr(PX_ERR_CLOSED_GET, q));
    rt_decref(q);
    /* the constructor */
    RtValue *a[2] = {rt_int(1), rt_int(2)};
    assert_null(rt_call((RtValue *)&rt_mp_Queue, a, 2, NULL));
    assert_string_equal(exc_text(), PX_ERR_QUEUE_ARGS);
    assert_null(rt_call((RtValue *)&rt_mp_Queue, &x, 1, NULL));
    assert_string_equal(exc_text(), PX_ERR_QUEUE_STR);
    RtValue *f = rt_float(2.5);
    assert_null(rt_call((RtValue *)&rt_mp_Queue, &f, 1, NULL));
    assert_string_equal(exc_text(), PX_ERR_QUEUE_FLOAT);
    rt_decref(f);
    rt_decref(x);
}

/* Under spawn a queue travels as its memfd: the copy maps the same ring. */
static void test_spawn_pickling(void **state) {
    (void)state;
    RtValue *q = new_queue(&rt_mp_JoinableQueue, 3);
    RtBuf b = RT_BUF_INIT;
    int *fds = NULL;
    size_t nfds = 0;
    assert_int_equal(rt_ser_dump_for_spawn(&b, q, &fds, &nfds), 0);
    assert_int_equal(nfds, 1);
    RtValue *q2 = rt_ser_load(&b);
    assert_non_null(q2);
    assert_ptr_equal(q2->type, &rt_mp_JoinableQueue);
    assert_non_null(call(q, "put", 1, rt_int(5)));
    RtValue *v = rt_mp_queue_get(q2, true, 1.0);
    assert_int_equal(as_i64(v), 5);
    rt_decref(v);
    assert_ptr_equal(call(q2, "task_done", 0), rt_None);
    assert_ptr_equal(call(q, "join", 0), rt_None);
    for (int i = 0; i < 3; i++) assert_non_null(call(q2, "put", 1, rt_int(i)));
    assert_ptr_equal(call(q, "full", 0), rt_True);       /* maxsize is shared too */
    rt_free(fds);
    rt_buf_free(&b);
    rt_decref(q2);
    rt_decref(q);
}

/* Run last: every child of this test binary has been reaped. */
static void test_no_zombies(void **state) {
    (void)state;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_and_sizes),
        cmocka_unit_test(test_own_puts_view),
        cmocka_unit_test(test_values_are_copied),
        cmocka_unit_test(test_maxsize_full_timeout),
        cmocka_unit_test(test_get_timeout_empty),
        cmocka_unit_test(test_big_items),
        cmocka_unit_test(test_many_producers_consumers),
        cmocka_unit_test(test_consumer_killed_mid_get),
        cmocka_unit_test(test_producer_killed_holding_lock),
        cmocka_unit_test(test_joinable),
        cmocka_unit_test(test_simple_queue),
        cmocka_unit_test(test_reprs),
        cmocka_unit_test(test_closed_and_errors),
        cmocka_unit_test(test_spawn_pickling),
        cmocka_unit_test(test_no_zombies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

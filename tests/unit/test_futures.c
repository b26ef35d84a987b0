/* test_futures.c: concurrent.futures with real forked workers — submit and
 * result, exceptions and timeouts, map ordering and chunks, cancel and the
 * pending/running states, as_completed order, wait(), done callbacks, the
 * initializer, a killed worker breaking the pool, shutdown semantics, the
 * at-exit drain, ThreadPoolExecutor, and no zombies afterwards. Expected
 * strings come from CPython (futures_expected.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mp2c.h"
#include "futures_expected.h"

/* cmocka last: with UNIT_TESTING it redefines malloc and friends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "text_helpers.h"

/* ---- the "script": functions sent to workers by table index --------------------- */

static int64_t g_init;

static RtValue *f_sq(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    return rt_binop(a[0], a[0], RT_MUL);
}
static RtValue *f_add(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    return rt_binop(a[0], a[1], RT_ADD);
}
static RtValue *f_boom(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    return rt_raise(&rt_exc_ValueError, rt_str_data(a[0]));
}
static RtValue *f_bad_at_5(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    int64_t x = 0;
    if (rt_int_as_i64(a[0], &x) == 0 && x == 5) return rt_raise(&rt_exc_ValueError, "bad 5");
    return rt_binop(a[0], a[0], RT_MUL);
}
static RtValue *f_nap(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    double s = 0;
    if (rt_as_double(a[0], &s) < 0) return NULL;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
    return rt_newref(a[1]);
}
static RtValue *f_name(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    RtValue *cur = rt_mp_current_process(NULL, NULL, 0, NULL);
    RtValue *name = cur ? rt_getattr(cur, "name") : NULL;
    rt_xdecref(cur);
    return name;
}
static RtValue *f_leave(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    return rt_sys_exit(a[0]);
}
static RtValue *f_die(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    int64_t x = 0;
    if (rt_int_as_i64(a[0], &x) == 0 && x == 3) {
        kill(getpid(), SIGKILL);
        sleep(5);
    }
    return rt_newref(a[0]);
}
static RtValue *f_init(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    if (rt_int_as_i64(a[0], &g_init) < 0) return NULL;
    return rt_None;
}
static RtValue *f_plus_init(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *g = rt_int(g_init);
    RtValue *r = rt_binop(a[0], g, RT_ADD);
    rt_decref(g);
    return r;
}
static RtValue *f_one(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    return rt_int(1);
}

static RtValue *g_seen;     /* what the done callbacks saw (parent) */

static RtValue *seen_cb(const char *tag, RtValue *fut) {
    RtValue *r = rt_futures_Future_m_result(fut, NULL, 0, NULL);
    if (!r) return NULL;
    RtValue *t = rt_str_from_cstr(tag), *pair = rt_tuple_pack(2, t, r);
    rt_decref(t);
    rt_decref(r);
    int rc = rt_list_append(g_seen, pair);
    rt_decref(pair);
    return rc < 0 ? NULL : rt_None;
}
static RtValue *f_cb1(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    return seen_cb("cb1", a[0]);
}
static RtValue *f_cb2(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    return seen_cb("cb2", a[0]);
}

enum { F_SQ, F_ADD, F_BOOM, F_BAD5, F_NAP, F_NAME, F_LEAVE, F_DIE, F_INIT, F_PLUSINIT, F_CB1, F_CB2, NF };
static RtFuncEntry entries[NF] = {f_sq, f_add, f_boom, f_bad_at_5, f_nap, f_name, f_leave, f_die,
                                  f_init, f_plus_init, f_cb1, f_cb2};
static const char *names[NF] = {"sq", "add", "boom", "bad_at_5", "nap", "name_of", "leave", "die",
                                "init", "plus_init", "cb1", "cb2"};
static RtValue *functions[NF];
static RtValue *g_lambda;   /* not in the table: cannot be sent */
static RtProgram program = {.path = "test_futures.py", .functions = functions, .nfunctions = NF};

static int setup(void **state) {
    (void)state;
    for (int i = 0; i < NF; i++)
        functions[i] = rt_func_new(names[i], names[i], entries[i], i, NULL, NULL, NULL, 0);
    g_lambda = rt_func_new("<lambda>", "main.<locals>.<lambda>", f_one, -1, NULL, NULL, NULL, 0);
    rt_program = &program;
    g_seen = rt_list_new(0);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    rt_futures_atexit();
    for (int i = 0; i < NF; i++) RT_CLEAR(functions[i]);
    RT_CLEAR(g_lambda);
    RT_CLEAR(g_seen);
    return 0;
}

/* ---- helpers ---------------------------------------------------------------------- */

static void no_exc(void) {
    if (rt_exc_pending) {
        RtValue *e = rt_exc_fetch();
        rt_exc_print(e);
        rt_decref(e);
        fail_msg("unexpected exception");
    }
}

static void no_zombies(void) {
    int st;
    errno = 0;
    assert_int_equal(waitpid(-1, &st, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static RtValue *I(int64_t v) { return rt_int(v); }
static RtValue *F(double v) { return rt_float(v); }
static RtValue *S(const char *s) { return rt_str_from_cstr(s); }

/* o.m(*args) with n arguments; the arguments are stolen (may be NULL-free only). */
static RtValue *mcall(RtValue *o, const char *m, size_t n, ...) {
    RtValue *args[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) args[i] = va_arg(ap, RtValue *);
    va_end(ap);
    RtValue *r = rt_call_method(o, m, args, n, NULL);
    for (size_t i = 0; i < n; i++) rt_decref(args[i]);
    return r;
}

/* o.m(*args, name=kwval); args and kwval stolen. */
static RtValue *mcall_kw(RtValue *o, const char *m, size_t n, RtValue **args, const char *name, RtValue *kwval) {
    RtValue *all[8];
    for (size_t i = 0; i < n; i++) all[i] = args[i];
    all[n] = kwval;
    RtValue *k = S(name), *kw = rt_tuple_pack(1, k);
    RtValue *r = rt_call_method(o, m, all, n, kw);
    rt_decref(k);
    rt_decref(kw);
    for (size_t i = 0; i <= n; i++) rt_decref(all[i]);
    return r;
}

static RtValue *fn(int i) { return rt_newref(functions[i]); }

static RtValue *new_ppe(int64_t workers) {
    RtValue *w = I(workers);
    RtValue *ex = rt_call((RtValue *)&rt_futures_ProcessPoolExecutor, &w, 1, NULL);
    rt_decref(w);
    no_exc();
    assert_non_null(ex);
    return ex;
}

static void shutdown(RtValue *ex) {
    RtValue *r = mcall(ex, "shutdown", 0);
    no_exc();
    assert_ptr_equal(r, rt_None);
    rt_decref(ex);
}

static RtValue *submit(RtValue *ex, int f, size_t n, ...) {
    RtValue *args[8];
    args[0] = functions[f];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) args[1 + i] = va_arg(ap, RtValue *);
    va_end(ap);
    RtValue *r = rt_futures_Executor_m_submit(ex, args, n + 1, NULL);
    for (size_t i = 0; i < n; i++) rt_decref(args[1 + i]);
    no_exc();
    assert_non_null(r);
    return r;
}

static RtValue *result(RtValue *f) { return rt_futures_Future_m_result(f, NULL, 0, NULL); }

static const char *state_of(RtValue *f) {
    static char buf[8][32];
    static int k;
    RtValue *s = rt_getattr(f, "_state");
    assert_non_null(s);
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s", rt_str_data(s));
    rt_decref(s);
    return buf[k];
}

static void nap_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

/* What drain() in the generator writes: reprs, exceptions as Type(msg), "stop". */
static const char *drain(RtValue *it) {
    static char buf[1024];
    size_t off = 0;
    for (;;) {
        RtValue *v = rt_iter_next(it);
        if (v) {
            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s ", repr_text(v));
            rt_decref(v);
            continue;
        }
        if (!rt_exc_pending) break;
        RtValue *e = rt_exc_fetch();
        RtValue *s = rt_exc_str(e);
        off += (size_t)snprintf(buf + off, sizeof buf - off, "%s(%s) ", e->type->name, rt_str_data(s));
        rt_decref(s);
        rt_decref(e);
    }
    snprintf(buf + off, sizeof buf - off, "stop");
    return buf;
}

static RtValue *range_list(int64_t n) {
    RtValue *l = rt_list_new((size_t)n);
    for (int64_t i = 0; i < n; i++) assert_int_equal(rt_list_append_steal(l, rt_int(i)), 0);
    return l;
}

static const char *list_repr_of(RtValue *it) {
    RtValue *l = rt_list_from_iter(it);
    no_exc();
    const char *s = repr_text(l);
    rt_decref(l);
    return s;
}

/* ---- tests ------------------------------------------------------------------------- */

static void test_submit_result_exception_timeout(void **state) {
    (void)state;
    RtValue *ex = new_ppe(2);
    assert_string_equal(repr_text(ex), with_addr(FX_EXECUTOR_REPR, ex));
    RtValue *f = submit(ex, F_SQ, 1, I(7));
    RtValue *r = result(f);
    no_exc();
    assert_string_equal(repr_text(r), FX_RESULT_SQ7);
    rt_decref(r);
    assert_string_equal(repr_text(f), with_addr(FX_REPR_RETURNED_INT, f));
    char flags[64];
    RtValue *d = mcall(f, "done", 0), *ru = mcall(f, "running", 0), *c = mcall(f, "cancelled", 0);
    snprintf(flags, sizeof flags, "%s %s %s", d == rt_True ? "True" : "False", ru == rt_True ? "True" : "False",
             c == rt_True ? "True" : "False");
    assert_string_equal(flags, FX_DONE_FLAGS);
    rt_decref(f);

    RtValue *g = submit(ex, F_BOOM, 1, S("bad"));
    assert_null(result(g));
    assert_string_equal(exc_text(), FX_RESULT_RAISES);
    RtValue *e = rt_futures_Future_m_exception(g, NULL, 0, NULL);
    assert_string_equal(repr_text(e), FX_EXCEPTION_REPR);
    rt_decref(e);
    assert_string_equal(repr_text(g), with_addr(FX_REPR_RAISED, g));
    rt_decref(g);

    RtValue *h = submit(ex, F_NAP, 2, F(0.5), I(1));
    RtValue *t = F(0.05);
    assert_null(rt_futures_Future_m_result(h, &t, 1, NULL));
    assert_string_equal(exc_text(), FX_RESULT_TIMEOUT);
    assert_null(rt_futures_Future_m_exception(h, &t, 1, NULL));
    assert_string_equal(exc_text(), FX_EXCEPTION_TIMEOUT);
    rt_decref(t);
    r = result(h);
    no_exc();
    assert_ptr_equal(r, rt_int(1));
    rt_decref(r);
    rt_decref(h);
    shutdown(ex);
    no_zombies();
}

static void test_map(void **state) {
    (void)state;
    RtValue *ex = new_ppe(2);
    RtValue *it = mcall(ex, "map", 2, fn(F_SQ), range_list(12));
    no_exc();
    assert_string_equal(repr_text(it), with_addr(FX_MAP_REPR, it));
    assert_string_equal(list_repr_of(it), FX_MAP_SQ);
    rt_decref(it);
    RtValue *args[2] = {fn(F_SQ), range_list(23)};
    it = mcall_kw(ex, "map", 2, args, "chunksize", I(5));
    no_exc();
    assert_string_equal(list_repr_of(it), FX_MAP_SQ_CHUNK5);
    rt_decref(it);
    RtValue *a = rt_list_new(3), *b = rt_list_new(4);
    for (int i = 1; i <= 3; i++) assert_int_equal(rt_list_append_steal(a, rt_int(i)), 0);
    for (int i = 1; i <= 4; i++) assert_int_equal(rt_list_append_steal(b, rt_int(10 * i)), 0);
    it = mcall(ex, "map", 3, fn(F_ADD), a, b);
    no_exc();
    assert_string_equal(list_repr_of(it), FX_MAP_ADD);
    rt_decref(it);
    it = mcall(ex, "map", 2, fn(F_SQ), rt_list_new(0));
    assert_string_equal(list_repr_of(it), FX_MAP_EMPTY);
    rt_decref(it);
    it = mcall(ex, "map", 2, fn(F_BAD5), range_list(10));
    assert_string_equal(drain(it), FX_MAP_EXC);
    rt_decref(it);
    RtValue *args3[2] = {fn(F_BAD5), range_list(10)};
    it = mcall_kw(ex, "map", 2, args3, "chunksize", I(3));
    assert_string_equal(drain(it), FX_MAP_EXC_CHUNK3);
    rt_decref(it);
    RtValue *args0[2] = {fn(F_SQ), range_list(1)};
    assert_null(mcall_kw(ex, "map", 2, args0, "chunksize", I(0)));
    assert_string_equal(exc_text(), FX_ERR_CHUNKSIZE);
    assert_null(rt_futures_Executor_m_submit(ex, NULL, 0, NULL));
    assert_string_equal(exc_text(), FX_ERR_SUBMIT_NOFN);
    /* an abandoned map cancels what it has not handed to the workers */
    it = mcall(ex, "map", 2, fn(F_SQ), range_list(50));
    RtValue *first = rt_iter_next(it);
    assert_ptr_equal(first, rt_int(0));
    rt_decref(it);
    shutdown(ex);
    no_zombies();
}

static void test_worker_side(void **state) {
    (void)state;
    RtValue *ex = new_ppe(2);
    RtValue *f = submit(ex, F_NAME, 1, I(0));
    RtValue *r = result(f);
    no_exc();
    assert_true(strncmp(rt_str_data(r), FX_WORKER_NAME, strlen(FX_WORKER_NAME)) == 0);
    rt_decref(r);
    rt_decref(f);
    f = submit(ex, F_LEAVE, 1, I(3));
    assert_null(result(f));
    assert_string_equal(exc_text(), FX_SYSTEMEXIT);
    rt_decref(f);
    RtValue *lam = g_lambda;
    f = rt_futures_Executor_m_submit(ex, &lam, 1, NULL);
    assert_non_null(f);
    assert_null(result(f));
    assert_string_equal(exc_text(), FX_PICKLE_LAMBDA);
    rt_decref(f);
    /* the worker that ran sys.exit() is still there */
    f = submit(ex, F_SQ, 1, I(4));
    r = result(f);
    assert_ptr_equal(r, rt_int(16));
    rt_decref(r);
    rt_decref(f);
    shutdown(ex);
    no_zombies();
}

static void test_as_completed_order(void **state) {
    (void)state;
    RtValue *ex = new_ppe(3);
    RtValue *fs[3] = {submit(ex, F_NAP, 2, F(0.45), S("slow")), submit(ex, F_NAP, 2, F(0.05), S("fast")),
                      submit(ex, F_NAP, 2, F(0.25), S("middle"))};
    RtValue *list = rt_list_from_array(fs, 3);
    assert_int_equal(rt_list_append(list, fs[1]), 0);   /* a duplicate is yielded once */
    RtValue *it = rt_futures_as_completed(NULL, &list, 1, NULL);
    assert_string_equal(repr_text(it), with_addr(FX_AS_COMPLETED_REPR, it));
    const char *want[3] = {"'fast'", "'middle'", "'slow'"};
    int n = 0;
    RtValue *f;
    while ((f = rt_iter_next(it))) {
        assert_true(n < 3);
        RtValue *r = result(f);
        assert_string_equal(repr_text(r), want[n]);
        rt_decref(r);
        rt_decref(f);
        n++;
    }
    no_exc();
    assert_int_equal(n, 3);
    rt_decref(it);
    /* again, all finished: each once */
    it = rt_futures_as_completed(NULL, &list, 1, NULL);
    n = 0;
    while ((f = rt_iter_next(it))) { n++; rt_decref(f); }
    assert_int_equal(n, 3);
    rt_decref(it);
    rt_decref(list);
    for (int i = 0; i < 3; i++) rt_decref(fs[i]);

    /* a timeout: the fast one is yielded, then TimeoutError */
    RtValue *two[2] = {submit(ex, F_NAP, 2, F(1.0), I(0)), submit(ex, F_NAP, 2, F(0.05), I(1))};
    list = rt_list_from_array(two, 2);
    RtValue *args[2] = {list, F(0.3)};
    it = rt_futures_as_completed(NULL, args, 2, NULL);
    rt_decref(args[1]);
    f = rt_iter_next(it);
    assert_ptr_equal(f, two[1]);
    rt_decref(f);
    assert_null(rt_iter_next(it));
    assert_string_equal(exc_text(), FX_AS_COMPLETED_TIMEOUT);
    rt_decref(it);
    rt_decref(list);
    for (int i = 0; i < 2; i++) rt_decref(two[i]);
    shutdown(ex);
    no_zombies();
}

/* wait(fs, timeout=None, return_when=...) with the return_when name */
static RtValue *wait_for(RtValue *list, RtValue *timeout, const char *when) {
    RtValue *args[3] = {list, timeout ? timeout : rt_None, NULL};
    size_t n = 2;
    if (when) args[n++] = S(when);
    RtValue *r = rt_futures_wait(NULL, args, n, NULL);
    if (when) rt_decref(args[2]);
    return r;
}

static const char *counts(RtValue *pair) {
    static char buf[64];
    RtValue *done = rt_getattr(pair, "done"), *nd = rt_getattr(pair, "not_done");
    assert_non_null(done);
    assert_non_null(nd);
    snprintf(buf, sizeof buf, "%d %d", (int)rt_len(done), (int)rt_len(nd));
    rt_decref(done);
    rt_decref(nd);
    return buf;
}

static void test_wait(void **state) {
    (void)state;
    RtValue *empty = rt_list_new(0);
    RtValue *r = wait_for(empty, NULL, NULL);
    no_exc();
    assert_string_equal(repr_text(r), FX_WAIT_EMPTY);
    rt_decref(r);
    rt_decref(empty);

    RtValue *ex = new_ppe(2);
    RtValue *fs[2] = {submit(ex, F_NAP, 2, F(1.0), I(0)), submit(ex, F_NAP, 2, F(0.05), I(1))};
    RtValue *list = rt_list_from_array(fs, 2);
    r = wait_for(list, NULL, "FIRST_COMPLETED");
    no_exc();
    char want[64];
    snprintf(want, sizeof want, "%s [1]", counts(r));
    assert_string_equal(want, FX_WAIT_FIRST);
    RtValue *done = rt_getattr(r, "done");
    assert_int_equal(rt_contains(done, fs[1]), 1);
    rt_decref(done);
    rt_decref(r);
    r = wait_for(list, NULL, NULL);
    assert_string_equal(counts(r), FX_WAIT_ALL);
    rt_decref(r);
    rt_decref(list);
    for (int i = 0; i < 2; i++) rt_decref(fs[i]);

    RtValue *fx = submit(ex, F_BOOM, 1, S("x")), *fy = submit(ex, F_NAP, 2, F(1.0), I(2));
    RtValue *pair[2] = {fx, fy};
    list = rt_list_from_array(pair, 2);
    r = wait_for(list, NULL, "FIRST_EXCEPTION");
    no_exc();
    assert_string_equal(counts(r), FX_WAIT_FIRST_EXCEPTION);
    rt_decref(r);
    rt_decref(list);
    list = rt_list_from_array(&fy, 1);
    RtValue *t = F(0.05);
    r = wait_for(list, t, NULL);
    assert_string_equal(counts(r), FX_WAIT_TIMEOUT);
    rt_decref(r);
    assert_null(wait_for(list, NULL, "SOMETIMES"));
    assert_string_equal(exc_text(), FX_WAIT_BAD);
    rt_decref(t);
    rt_decref(list);
    rt_decref(fx);
    rt_decref(fy);
    /* the with statement: __exit__ waits, then submit() fails */
    r = mcall(ex, "__exit__", 3, rt_newref(rt_None), rt_newref(rt_None), rt_newref(rt_None));
    assert_ptr_equal(r, rt_False);
    RtValue *sq = functions[F_SQ];
    assert_null(rt_futures_Executor_m_submit(ex, &sq, 1, NULL));
    assert_string_equal(exc_text(), FX_ERR_SHUTDOWN);
    rt_decref(ex);
    no_zombies();
}

static void test_cancel_and_states(void **state) {
    (void)state;
    RtValue *ex = new_ppe(1);
    RtValue *fs[5];
    for (int i = 0; i < 5; i++) fs[i] = submit(ex, F_NAP, 2, F(0.3), I(i));
    char buf[128];
    snprintf(buf, sizeof buf, "%s %s %s %s %s", state_of(fs[0]), state_of(fs[1]), state_of(fs[2]),
             state_of(fs[3]), state_of(fs[4]));
    assert_string_equal(buf, FX_STATES_AFTER_SUBMIT);
    assert_string_equal(repr_text(fs[0]), with_addr(FX_REPR_RUNNING, fs[0]));
    assert_string_equal(repr_text(fs[4]), with_addr(FX_REPR_PENDING, fs[4]));
    RtValue *c1 = mcall(fs[4], "cancel", 0), *c2 = mcall(fs[4], "cancel", 0), *c3 = mcall(fs[0], "cancel", 0);
    snprintf(buf, sizeof buf, "%s %s %s", c1 == rt_True ? "True" : "False", c2 == rt_True ? "True" : "False",
             c3 == rt_True ? "True" : "False");
    assert_string_equal(buf, FX_CANCEL);
    assert_string_equal(repr_text(fs[4]), with_addr(FX_REPR_CANCELLED, fs[4]));
    assert_null(result(fs[4]));
    assert_string_equal(exc_text(), FX_CANCELLED_RESULT);
    assert_null(rt_futures_Future_m_exception(fs[4], NULL, 0, NULL));
    assert_string_equal(exc_text(), FX_CANCELLED_EXCEPTION);
    nap_ms(100);
    snprintf(buf, sizeof buf, "%s %s %s %s", state_of(fs[0]), state_of(fs[1]), state_of(fs[3]), state_of(fs[4]));
    assert_string_equal(buf, FX_STATES_LATER);
    RtValue *args[1] = {rt_True};
    RtValue *k = S("cancel_futures"), *kw = rt_tuple_pack(1, k);
    RtValue *r = rt_futures_Executor_m_shutdown(ex, args, 0, kw);
    no_exc();
    assert_ptr_equal(r, rt_None);
    rt_decref(k);
    rt_decref(kw);
    snprintf(buf, sizeof buf, "%s %s %s %s", state_of(fs[0]), state_of(fs[1]), state_of(fs[3]), state_of(fs[4]));
    assert_string_equal(buf, FX_STATES_SHUTDOWN_CANCEL);
    for (int i = 0; i < 5; i++) rt_decref(fs[i]);
    rt_decref(ex);
    no_zombies();
}

static void test_callbacks_and_initializer(void **state) {
    (void)state;
    RtValue *ex = new_ppe(2);
    RtValue *f = submit(ex, F_SQ, 1, I(3));
    RtValue *cb = functions[F_CB1];
    assert_ptr_equal(rt_futures_Future_m_add_done_callback(f, &cb, 1, NULL), rt_None);
    RtValue *r = result(f);
    rt_decref(r);
    cb = functions[F_CB2];
    assert_ptr_equal(rt_futures_Future_m_add_done_callback(f, &cb, 1, NULL), rt_None);
    no_exc();
    shutdown(ex);
    assert_string_equal(repr_text(g_seen), FX_CALLBACKS);
    rt_decref(f);

    RtValue *argv[4] = {I(2), rt_None, functions[F_INIT], NULL};
    argv[3] = rt_tuple_pack(1, I(100));
    rt_decref(RT_TUPLE_GET(argv[3], 0));
    ex = rt_call((RtValue *)&rt_futures_ProcessPoolExecutor, argv, 4, NULL);
    no_exc();
    rt_decref(argv[0]);
    rt_decref(argv[3]);
    f = submit(ex, F_PLUSINIT, 1, I(1));
    r = result(f);
    no_exc();
    assert_string_equal(repr_text(r), FX_INIT_RESULT);
    rt_decref(r);
    rt_decref(f);
    shutdown(ex);
    no_zombies();
}

static void test_killed_worker_breaks_pool(void **state) {
    (void)state;
    RtValue *ex = new_ppe(2);
    RtValue *fs[6];
    for (int i = 0; i < 6; i++) fs[i] = submit(ex, F_DIE, 1, I(i));
    assert_null(result(fs[3]));
    assert_string_equal(exc_text(), FX_BROKEN_RESULT);
    RtValue *sq = functions[F_SQ];
    assert_null(rt_futures_Executor_m_submit(ex, &sq, 1, NULL));
    assert_string_equal(exc_text(), FX_BROKEN_SUBMIT);
    /* every future is finished one way or the other */
    for (int i = 0; i < 6; i++) {
        assert_string_equal(state_of(fs[i]), "FINISHED");
        rt_decref(fs[i]);
    }
    shutdown(ex);
    no_zombies();
}

static void test_thread_pool_executor(void **state) {
    (void)state;
    RtValue *w = I(2);
    RtValue *ex = rt_call((RtValue *)&rt_futures_ThreadPoolExecutor, &w, 1, NULL);
    rt_decref(w);
    no_exc();
    assert_string_equal(repr_text(ex), with_addr(FX_THREAD_REPR, ex));
    RtValue *f = submit(ex, F_NAME, 1, I(0));
    RtValue *r = result(f);
    assert_string_equal(rt_str_data(r), FX_THREAD_NAME);
    rt_decref(r);
    rt_decref(f);
    RtValue *it = mcall(ex, "map", 2, fn(F_SQ), rt_list_new(0));
    assert_string_equal(repr_text(it), with_addr(FX_THREAD_MAP_REPR, it));
    rt_decref(it);
    it = mcall(ex, "map", 2, fn(F_SQ), range_list(5));
    assert_string_equal(list_repr_of(it), FX_THREAD_MAP);
    rt_decref(it);
    shutdown(ex);
    no_zombies();
}

static void test_future_object_and_errors(void **state) {
    (void)state;
    RtValue *f = rt_call((RtValue *)&rt_futures_Future, NULL, 0, NULL);
    assert_string_equal(repr_text(f), with_addr(FX_FUTURE_NEW, f));
    RtValue *five = I(5), *six = I(6);
    assert_ptr_equal(rt_futures_Future_m_set_result(f, &five, 1, NULL), rt_None);
    assert_null(rt_futures_Future_m_set_result(f, &six, 1, NULL));
    assert_string_equal(exc_text(), with_addr(FX_SET_RESULT_TWICE, f));
    rt_decref(f);
    assert_null(rt_call((RtValue *)&rt_futures_Future, &five, 1, NULL));
    assert_string_equal(exc_text(), FX_FUTURE_ARGS);
    char name[128];
    rt_type_qualname(&rt_futures_CancelledError, name, sizeof name);
    assert_string_equal(name, FX_CANCELLED_NAME);
    char mro[256] = "";
    for (RtType *t = &rt_futures_BrokenProcessPool; t; t = t->base) {
        strcat(mro, t->name);
        if (t->base) strcat(mro, " ");
    }
    assert_string_equal(mro, FX_BROKEN_MRO);

    RtValue *zero = I(0);
    assert_null(rt_call((RtValue *)&rt_futures_ProcessPoolExecutor, &zero, 1, NULL));
    assert_string_equal(exc_text(), FX_ERR_MAX_WORKERS);
    RtValue *k = S("initializer"), *kw = rt_tuple_pack(1, k);
    assert_null(rt_call((RtValue *)&rt_futures_ProcessPoolExecutor, &five, 0, kw));
    assert_string_equal(exc_text(), FX_ERR_INIT_CALLABLE);
    rt_decref(k);
    rt_decref(kw);
    RtValue *fork = S("fork");
    RtValue *ctx = rt_mp_get_context(NULL, &fork, 1, NULL);
    RtValue *k1 = S("mp_context"), *k2 = S("max_tasks_per_child"), *kw2 = rt_tuple_pack(2, k1, k2);
    RtValue *two = I(2), *argv[2] = {ctx, two};
    assert_null(rt_call((RtValue *)&rt_futures_ProcessPoolExecutor, argv, 0, kw2));
    assert_string_equal(exc_text(), FX_ERR_MAX_TASKS_FORK);
    RtValue *x = S("x"), *kw3 = rt_tuple_pack(1, k2);
    assert_null(rt_call((RtValue *)&rt_futures_ProcessPoolExecutor, &x, 0, kw3));
    assert_string_equal(exc_text(), FX_ERR_MAX_TASKS_TYPE);
    rt_decref(x); rt_decref(kw3); rt_decref(k1); rt_decref(k2); rt_decref(kw2); rt_decref(two);
    rt_decref(ctx); rt_decref(fork); rt_decref(zero); rt_decref(five); rt_decref(six);
}

/* shutdown(wait=False) returns at once; the calls still finish, by the at-exit
 * drain at the latest, and the workers are reaped. */
static void test_shutdown_nowait_then_atexit(void **state) {
    (void)state;
    RtValue *ex = new_ppe(2);
    RtValue *fs[4];
    for (int i = 0; i < 4; i++) fs[i] = submit(ex, F_NAP, 2, F(0.1), I(i));
    RtValue *no = rt_False;
    RtValue *r = rt_futures_Executor_m_shutdown(ex, &no, 1, NULL);
    no_exc();
    assert_ptr_equal(r, rt_None);
    rt_decref(ex);                    /* the executor lives on until its work is done */
    rt_futures_atexit();
    for (int i = 0; i < 4; i++) {
        assert_string_equal(state_of(fs[i]), "FINISHED");
        RtValue *v = result(fs[i]);
        assert_ptr_equal(v, rt_int(i));
        rt_decref(v);
        rt_decref(fs[i]);
    }
    no_zombies();
}

/* time.sleep's hook keeps the workers fed meanwhile (CPython's manager thread). */
static void test_sleep_hook(void **state) {
    (void)state;
    RtValue *ex = new_ppe(1);
    RtValue *fs[4];
    for (int i = 0; i < 4; i++) fs[i] = submit(ex, F_NAP, 2, F(0.05), I(i));
    int r = rt_futures_sleep_until(rt__now_ns() + 400000000LL);
    assert_int_equal(r, 1);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(state_of(fs[i]), "FINISHED");
        rt_decref(fs[i]);
    }
    assert_int_equal(rt_futures_sleep_until(rt__now_ns() + 1000000LL), 0);
    shutdown(ex);
    no_zombies();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_submit_result_exception_timeout),
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_worker_side),
        cmocka_unit_test(test_as_completed_order),
        cmocka_unit_test(test_wait),
        cmocka_unit_test(test_cancel_and_states),
        cmocka_unit_test(test_callbacks_and_initializer),
        cmocka_unit_test(test_killed_worker_breaks_pool),
        cmocka_unit_test(test_thread_pool_executor),
        cmocka_unit_test(test_future_object_and_errors),
        cmocka_unit_test(test_shutdown_nowait_then_atexit),
        cmocka_unit_test(test_sleep_hook),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_pool.c: multiprocessing.Pool with real forked workers: map at several
 * chunksizes, starmap, apply_async callbacks, imap over a lazy iterator,
 * imap_unordered, worker exceptions, initializer, maxtasksperchild, a
 * SIGKILLed worker (an error, not a hang), terminate, and no zombies.
 * Expected strings come from CPython (pool_expected.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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

/* ---- the "script": functions sent to workers by table index ---------------------- */

static int64_t g_init_value;          /* set by the initializer, in the workers only */
static RtValue *g_collected;          /* list the callbacks append to (parent) */

static RtValue *f_sq(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    return rt_binop(a[0], a[0], RT_MUL);
}
static RtValue *f_add(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)kw;
    if (n != 2) return rt_raise(&rt_exc_TypeError, "add() takes 2 arguments");
    return rt_binop(a[0], a[1], RT_ADD);
}
static RtValue *f_div0(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *r = rt_binop(a[0], rt_int(0), RT_TRUEDIV);
    if (!r) rt_tb_here("div0", 7);
    return r;
}
static RtValue *f_getpid(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    return rt_int(getpid());
}
static RtValue *f_die_on_3(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    int64_t x = 0;
    if (rt_int_as_i64(a[0], &x) == 0 && x == 3) kill(getpid(), SIGKILL);
    return rt_newref(a[0]);
}
static RtValue *f_sleep(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    sleep(20);
    return rt_newref(rt_None);
}
static RtValue *f_init(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    if (rt_int_as_i64(a[0], &g_init_value) < 0) return NULL;
    return rt_None;
}
static RtValue *f_plus_init(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *g = rt_int(g_init_value);
    RtValue *r = rt_binop(a[0], g, RT_ADD);
    rt_decref(g);
    return r;
}
static RtValue *f_collect(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    if (rt_list_append(g_collected, a[0]) < 0) return NULL;
    return rt_None;
}
static RtValue *f_print(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    if (rt_print(a, 1, NULL, NULL, NULL, false) < 0) return NULL;
    return rt_newref(a[0]);
}
static RtValue *f_wrap(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    return rt_tuple_pack(1, a[0]);
}
static RtValue *f_name(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    RtValue *cur = rt_mp_current_process(NULL, NULL, 0, NULL);
    RtValue *name = cur ? rt_getattr(cur, "name") : NULL;
    rt_xdecref(cur);
    return name;
}
static RtValue *f_bad_init(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    return rt_raise(&rt_exc_ValueError, "bad init");
}

enum { F_SQ, F_ADD, F_DIV0, F_GETPID, F_DIE3, F_SLEEP, F_INIT, F_PLUSINIT, F_COLLECT, F_PRINT,
       F_BADINIT, F_WRAP, F_NAME, NF };
static RtFuncEntry entries[NF] = {f_sq, f_add, f_div0, f_getpid, f_die_on_3, f_sleep, f_init,
                                  f_plus_init, f_collect, f_print, f_bad_init, f_wrap, f_name};
static const char *names[NF] = {"sq", "add", "div0", "getpid", "die_on_3", "sleep", "init",
                                "plus_init", "collect", "print_it", "bad_init", "wrap", "name"};
static RtValue *functions[NF];
static const char *const source[] = {"def div0(x):", "", "", "", "", "", "    return x / 0"};
static RtProgram program = {.path = "test_pool.py", .source_lines = source, .nlines = 7,
                            .functions = functions, .nfunctions = NF};

static int setup(void **state) {
    (void)state;
    for (int i = 0; i < NF; i++)
        functions[i] = rt_func_new(names[i], names[i], entries[i], i, NULL, NULL, NULL, 0);
    rt_program = &program;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    for (int i = 0; i < NF; i++) RT_CLEAR(functions[i]);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------- */

static RtValue *range_list(int64_t n) {
    RtValue *l = rt_list_new((size_t)n);
    for (int64_t i = 0; i < n; i++) {
        RtValue *v = rt_int(i);
        assert_int_equal(rt_list_append(l, v), 0);
        rt_decref(v);
    }
    return l;
}

static RtValue *new_pool(int64_t n, RtValue *init, RtValue *initargs, int64_t maxtasks) {
    RtValue *p = rt_mp_pool_new(n, init, initargs, maxtasks);
    assert_non_null(p);
    return p;
}

static RtValue *mcall(RtValue *o, const char *m, size_t n, ...) {
    RtValue *args[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) args[i] = va_arg(ap, RtValue *);
    va_end(ap);
    return rt_call_method(o, m, args, n, NULL);
}

/* o.m(*args, name=kwval) */
static RtValue *mcall_kw(RtValue *o, const char *m, size_t n, RtValue **args, const char *name, RtValue *kwval) {
    RtValue *all[8];
    for (size_t i = 0; i < n; i++) all[i] = args[i];
    all[n] = kwval;
    RtValue *k = rt_str_from_cstr(name);
    RtValue *kw = rt_tuple_pack(1, k);
    RtValue *r = rt_call_method(o, m, all, n, kw);
    rt_decref(k);
    rt_decref(kw);
    return r;
}

static void close_join(RtValue *p) {
    RtValue *r = mcall(p, "close", 0);
    assert_ptr_equal(r, rt_None);
    r = mcall(p, "join", 0);
    assert_ptr_equal(r, rt_None);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A lazy iterator over 0..n-1 that counts how far it was pulled. */
typedef struct CountIter { RtValue ob; int64_t next, n, fail_at; } CountIter;
static int64_t g_pulled;
static RtValue *ci_next(RtValue *self) {
    CountIter *c = (CountIter *)self;
    if (c->next >= c->n) return NULL;
    if (c->next == c->fail_at) return rt_raise(&rt_exc_ValueError, "boom");
    g_pulled++;
    return rt_int(c->next++);
}
static RtValue *ci_iter(RtValue *self) { return rt_newref(self); }
static RtType count_iter_type = {.ob = RT_STATIC_HEAD(&rt_type_type), .name = "count_iter",
                                 .tag = RT_T_ITER, .base = &rt_type_object, .size = sizeof(CountIter),
                                 .table_index = -1, .iter = ci_iter, .iternext = ci_next};
static RtValue *count_iter(int64_t n) {
    RtValue *o = rt_obj_alloc(&count_iter_type, sizeof(CountIter));
    ((CountIter *)o)->n = n;
    ((CountIter *)o)->fail_at = -1;
    return o;
}

/* What drain_imap() in gen_pool_expected.py writes: each item's repr, the
 * exceptions as Type(msg), then "stop". */
static const char *drain_imap(RtValue *it) {
    static char buf[512];
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

/* ---- tests ------------------------------------------------------------------------- */

static void test_map_in_order(void **state) {
    (void)state;
    RtValue *p = new_pool(2, NULL, NULL, 0);
    assert_string_equal(repr_text(p), PX_POOL_REPR_RUN);
    RtValue *ten = range_list(10);
    RtValue *r = mcall(p, "map", 2, functions[F_SQ], ten);
    assert_string_equal(repr_text(r), PX_MAP_SQ_0_10);
    rt_decref(r);
    /* several chunksizes over 200 items: always in order */
    RtValue *big = range_list(200);
    int64_t sizes[] = {1, 3, 7, 64, 1000};
    for (size_t k = 0; k < 5; k++) {
        RtValue *cs = rt_int(sizes[k]);
        RtValue *args[2] = {functions[F_SQ], big};
        r = mcall_kw(p, "map", 2, args, "chunksize", cs);
        assert_non_null(r);
        assert_int_equal(RT_LIST_LEN(r), 200);
        for (int64_t i = 0; i < 200; i++) {
            int64_t x;
            assert_int_equal(rt_int_as_i64(RT_LIST_GET(r, i), &x), 0);
            assert_int_equal(x, i * i);
        }
        rt_decref(r);
        rt_decref(cs);
    }
    /* a range input (sent as sub-ranges) and non-scalar results */
    RtValue *rg = rt_range_new(3, 50, 4);
    for (int64_t cs = 1; cs <= 13; cs += 4) {
        RtValue *ra[2] = {functions[F_WRAP], rg};
        r = mcall_kw(p, "map", 2, ra, "chunksize", rt_int(cs));
        assert_string_equal(repr_text(r), PX_MAP_WRAP_RANGE);
        rt_decref(r);
    }
    rt_decref(rg);
    RtValue *three = range_list(3);
    RtValue *args[2] = {functions[F_SQ], three};
    r = mcall_kw(p, "map", 2, args, "chunksize", rt_int(0));
    assert_string_equal(repr_text(r), PX_MAP_CHUNKSIZE_0);
    rt_decref(r);
    RtValue *empty = rt_list_new(0);
    r = mcall(p, "map", 2, functions[F_SQ], empty);
    assert_string_equal(repr_text(r), "[]");
    rt_decref(r);
    assert_null(mcall(p, "map", 1, functions[F_SQ]));
    assert_string_equal(exc_text(), PX_ERR_MAP_MISSING);
    assert_null(mcall(p, "join", 0));
    assert_string_equal(exc_text(), PX_ERR_POOL_JOIN_RUNNING);
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, p), -1);
    assert_string_equal(exc_text(), PX_ERR_POOL_PICKLE);
    rt_buf_free(&b);
    assert_ptr_equal(mcall(p, "close", 0), rt_None);
    assert_string_equal(repr_text(p), PX_POOL_REPR_CLOSE);
    assert_ptr_equal(mcall(p, "join", 0), rt_None);
    assert_ptr_equal(mcall(p, "terminate", 0), rt_None);
    assert_string_equal(repr_text(p), PX_POOL_REPR_TERMINATE);
    assert_null(mcall(p, "map", 2, functions[F_SQ], ten));
    assert_string_equal(exc_text(), PX_ERR_POOL_NOT_RUNNING);
    rt_decref(empty);
    rt_decref(three);
    rt_decref(big);
    rt_decref(ten);
    rt_decref(p);
}

static void test_starmap_and_apply(void **state) {
    (void)state;
    RtValue *p = new_pool(3, NULL, NULL, 0);
    RtValue *pairs = rt_list_new(3);
    for (int i = 0; i < 3; i++) {
        RtValue *t = rt_tuple_pack(2, rt_int(2 * i + 1), rt_int(2 * i + 2));
        assert_int_equal(rt_list_append(pairs, t), 0);
        rt_decref(t);
    }
    RtValue *r = mcall(p, "starmap", 2, functions[F_ADD], pairs);
    assert_string_equal(repr_text(r), PX_STARMAP_ADD);
    rt_decref(r);
    RtValue *a = rt_tuple_pack(2, rt_int(20), rt_int(22));
    r = mcall(p, "apply", 2, functions[F_ADD], a);
    assert_string_equal(repr_text(r), "42");
    rt_decref(r);
    rt_decref(a);
    close_join(p);
    rt_decref(pairs);
    rt_decref(p);
}

static void test_apply_async_callbacks(void **state) {
    (void)state;
    g_collected = rt_list_new(0);
    RtValue *p = new_pool(2, NULL, NULL, 0);
    RtValue *results[5];
    for (int i = 0; i < 5; i++) {
        RtValue *a = rt_tuple_pack(1, rt_int(i));
        RtValue *args[3] = {functions[F_SQ], a};
        results[i] = mcall_kw(p, "apply_async", 2, args, "callback", functions[F_COLLECT]);
        assert_non_null(results[i]);
        rt_decref(a);
    }
    assert_string_equal(repr_text(results[0]), with_addr(PX_APPLY_RESULT_REPR, results[0]));
    for (int i = 0; i < 5; i++) {
        RtValue *v = mcall(results[i], "get", 0);
        int64_t x;
        assert_int_equal(rt_int_as_i64(v, &x), 0);
        assert_int_equal(x, i * i);
        rt_decref(v);
        assert_ptr_equal(mcall(results[i], "ready", 0), rt_True);
        assert_ptr_equal(mcall(results[i], "successful", 0), rt_True);
    }
    /* error_callback gets the exception; get() raises it */
    RtValue *a = rt_tuple_pack(1, rt_int(1));
    RtValue *args[3] = {functions[F_DIV0], a};
    RtValue *bad = mcall_kw(p, "apply_async", 2, args, "error_callback", functions[F_COLLECT]);
    assert_null(mcall(bad, "get", 0));
    assert_string_equal(exc_text(), PX_ERR_DIV0);
    assert_ptr_equal(mcall(bad, "successful", 0), rt_False);
    /* map_async's callback gets the whole list */
    RtValue *three = range_list(3);
    RtValue *margs[2] = {functions[F_SQ], three};
    RtValue *m = mcall_kw(p, "map_async", 2, margs, "callback", functions[F_COLLECT]);
    assert_string_equal(repr_text(m), with_addr(PX_MAP_RESULT_REPR, m));
    RtValue *mv = mcall(m, "get", 0);
    rt_decref(mv);
    close_join(p);
    /* the five squares in arrival order, then the error, then the map's list */
    assert_int_equal(RT_LIST_LEN(g_collected), 7);
    int64_t sum = 0, x;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(rt_int_as_i64(RT_LIST_GET(g_collected, i), &x), 0);
        sum += x;
    }
    assert_int_equal(sum, 0 + 1 + 4 + 9 + 16);
    assert_string_equal(repr_text(RT_LIST_GET(g_collected, 5)), PX_DIV0_REPR);
    assert_string_equal(repr_text(RT_LIST_GET(g_collected, 6)), "[0, 1, 4]");
    for (int i = 0; i < 5; i++) rt_decref(results[i]);
    rt_decref(bad);
    rt_decref(m);
    rt_decref(a);
    rt_decref(three);
    rt_decref(p);
    RT_CLEAR(g_collected);
}

static void test_not_ready_and_timeout(void **state) {
    (void)state;
    RtValue *p = new_pool(1, NULL, NULL, 0);
    RtValue *a = rt_tuple_pack(1, rt_int(1));
    RtValue *r = mcall(p, "apply_async", 2, functions[F_SLEEP], a);
    assert_null(mcall(r, "successful", 0));
    assert_string_equal(exc_text(), with_addr(PX_ERR_NOT_READY, r));
    RtValue *t = rt_float(0.1);
    double t0 = now();
    assert_null(mcall(r, "get", 1, t));
    assert_true(now() - t0 >= 0.099);
    assert_string_equal(exc_text(), PX_TIMEOUT_NAME);
    assert_ptr_equal(mcall(r, "wait", 1, t), rt_None);
    assert_ptr_equal(mcall(r, "ready", 0), rt_False);
    /* terminate: the sleeping worker is killed at once; the result fails */
    t0 = now();
    assert_ptr_equal(mcall(p, "terminate", 0), rt_None);
    assert_true(now() - t0 < 2.0);
    assert_null(mcall(r, "get", 0));
    assert_non_null(strstr(exc_text(), "ProcessError"));
    rt_decref(t);
    rt_decref(r);
    rt_decref(a);
    rt_decref(p);
}

static void test_imap_lazy_in_order(void **state) {
    (void)state;
    RtValue *p = new_pool(2, NULL, NULL, 0);
    g_pulled = 0;
    RtValue *src = count_iter(1000);
    RtValue *it = mcall(p, "imap", 2, functions[F_SQ], src);
    assert_non_null(it);
    assert_string_equal(repr_text(it), with_addr(PX_IMAP_REPR, it));
    assert_true(g_pulled < 1000);                   /* fed lazily */
    for (int64_t i = 0; i < 1000; i++) {
        RtValue *v = rt_iter_next(it);
        assert_non_null(v);
        int64_t x;
        assert_int_equal(rt_int_as_i64(v, &x), 0);
        assert_int_equal(x, i * i);
        rt_decref(v);
    }
    assert_null(rt_iter_next(it));
    assert_null(rt_exc_pending);
    rt_decref(it);
    /* chunksize 7 */
    RtValue *src2 = count_iter(100);
    RtValue *args[2] = {functions[F_SQ], src2};
    it = mcall_kw(p, "imap", 2, args, "chunksize", rt_int(7));
    int64_t n = 0;
    for (RtValue *v; (v = rt_iter_next(it)); n++) {
        int64_t x;
        assert_int_equal(rt_int_as_i64(v, &x), 0);
        assert_int_equal(x, n * n);
        rt_decref(v);
    }
    assert_int_equal(n, 100);
    rt_decref(it);
    /* the input raises at item 5: CPython's positions and ends */
    int64_t sizes[2] = {1, 3};
    const char *want[2] = {PX_IMAP_GEN_RAISES_CS1, PX_IMAP_GEN_RAISES_CS3};
    for (int k = 0; k < 2; k++) {
        RtValue *src3 = count_iter(10);
        ((CountIter *)src3)->fail_at = 5;
        RtValue *a3[2] = {functions[F_SQ], src3};
        it = mcall_kw(p, "imap", 2, a3, "chunksize", rt_int(sizes[k]));
        assert_non_null(it);
        assert_string_equal(drain_imap(it), want[k]);
        rt_decref(it);
        rt_decref(src3);
    }
    RtValue *one = range_list(1);
    RtValue *a0[2] = {functions[F_SQ], one};
    assert_null(mcall_kw(p, "imap", 2, a0, "chunksize", rt_int(0)));
    assert_string_equal(exc_text(), PX_ERR_IMAP_CHUNK0);
    close_join(p);
    rt_decref(one);
    rt_decref(src);
    rt_decref(src2);
    rt_decref(p);
}

static void test_imap_unordered_all(void **state) {
    (void)state;
    RtValue *p = new_pool(3, NULL, NULL, 0);
    RtValue *src = count_iter(300);
    RtValue *args[2] = {functions[F_SQ], src};
    RtValue *it = mcall_kw(p, "imap_unordered", 2, args, "chunksize", rt_int(4));
    assert_string_equal(repr_text(it), with_addr(PX_IMAPU_REPR, it));
    static bool seen[300];
    int n = 0;
    for (RtValue *v; (v = rt_iter_next(it)); n++) {
        int64_t x;
        assert_int_equal(rt_int_as_i64(v, &x), 0);
        int64_t r = 0;
        while (r * r < x) r++;
        assert_true(r < 300 && r * r == x && !seen[r]);
        seen[r] = true;
        rt_decref(v);
    }
    assert_int_equal(n, 300);
    rt_decref(it);
    close_join(p);
    rt_decref(src);
    rt_decref(p);
}

static void test_worker_exception(void **state) {
    (void)state;
    RtValue *p = new_pool(2, NULL, NULL, 0);
    RtValue *l = range_list(5);
    assert_null(mcall(p, "map", 2, functions[F_DIV0], l));
    RtValue *e = rt_exc_pending;
    assert_non_null(e);
    assert_ptr_equal(e->type, &rt_exc_ZeroDivisionError);
    /* the worker's traceback is the __cause__, a multiprocessing.pool.RemoteTraceback */
    RtValue *cause = ((RtExc *)e)->cause;
    assert_non_null(cause);
    assert_null(((RtExc *)e)->remote_tb);
    assert_string_equal(cause->type->name, "RemoteTraceback");
    assert_string_equal(cause->type->module, "multiprocessing.pool");
    assert_true(((RtExc *)e)->suppress_context);
    RtValue *tb = rt_str(cause);
    assert_non_null(tb);
    assert_int_equal(strncmp(rt_str_data(tb), "\n\"\"\"\nTraceback", 14), 0);
    assert_non_null(strstr(rt_str_data(tb), "Traceback (most recent call last):\n"));
    assert_non_null(strstr(rt_str_data(tb), "line 7, in div0\n    return x / 0\n"));
    assert_non_null(strstr(rt_str_data(tb), PX_ERR_DIV0 "\n"));
    rt_decref(tb);
    assert_string_equal(exc_text(), PX_ERR_DIV0);
    /* a forked child's copy refuses work instead of stealing results */
    pid_t pid = fork();
    if (pid == 0) {
        RtValue *x = mcall(p, "map", 2, functions[F_SQ], l);
        _exit(!x && rt_exc_matches((RtValue *)&rt_exc_RuntimeError) ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* the pool still works */
    RtValue *r = mcall(p, "map", 2, functions[F_SQ], l);
    assert_string_equal(repr_text(r), "[0, 1, 4, 9, 16]");
    rt_decref(r);
    close_join(p);
    rt_decref(l);
    rt_decref(p);
}

static void test_initializer_sets_global(void **state) {
    (void)state;
    RtValue *args = rt_tuple_pack(1, rt_int(1000));
    RtValue *p = new_pool(2, functions[F_INIT], args, 0);
    RtValue *l = range_list(20);
    RtValue *r = mcall(p, "map", 2, functions[F_PLUSINIT], l);
    for (int64_t i = 0; i < 20; i++) {
        int64_t x;
        assert_int_equal(rt_int_as_i64(RT_LIST_GET(r, i), &x), 0);
        assert_int_equal(x, 1000 + i);
    }
    assert_int_equal(g_init_value, 0);               /* set in the workers only */
    rt_decref(r);
    close_join(p);
    rt_decref(l);
    rt_decref(args);
    rt_decref(p);
    /* construction errors */
    RtValue *zero = rt_int(0);
    assert_null(rt_call((RtValue *)&rt_mp_Pool, &zero, 1, NULL));
    assert_string_equal(exc_text(), PX_ERR_POOL_ZERO);
    RtValue *ca[2] = {rt_int(1), rt_int(5)};
    assert_null(rt_call((RtValue *)&rt_mp_Pool, ca, 2, NULL));
    assert_string_equal(exc_text(), PX_ERR_POOL_INIT);
    RtValue *kwv[2] = {rt_int(1), zero};
    RtValue *kwn = rt_tuple_pack(1, rt_str_from_cstr("maxtasksperchild"));
    assert_null(rt_call((RtValue *)&rt_mp_Pool, kwv, 1, kwn));
    assert_string_equal(exc_text(), PX_ERR_POOL_MAXTASKS);
    rt_decref(RT_TUPLE_GET(kwn, 0));
    rt_decref(kwn);
}

/* A failing initializer: the work fails with its exception (CPython would
 * respawn workers forever). Its traceback goes to stderr. */
static void test_initializer_fails(void **state) {
    (void)state;
    int saved = dup(2), devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);
    RtValue *p = new_pool(2, functions[F_BADINIT], NULL, 0);
    RtValue *l = range_list(4);
    assert_null(mcall(p, "map", 2, functions[F_SQ], l));
    dup2(saved, 2);
    close(saved);
    close(devnull);
    assert_string_equal(exc_text(), "ValueError: bad init");
    assert_ptr_equal(mcall(p, "terminate", 0), rt_None);
    rt_decref(l);
    rt_decref(p);
}

static void test_maxtasksperchild(void **state) {
    (void)state;
    RtValue *p = new_pool(2, NULL, NULL, 1);
    RtValue *l = range_list(6);
    RtValue *args[2] = {functions[F_GETPID], l};
    RtValue *r = mcall_kw(p, "map", 2, args, "chunksize", rt_int(1));
    assert_non_null(r);
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < i; k++)
            assert_int_equal(rt_eq(RT_LIST_GET(r, i), RT_LIST_GET(r, k)), 0);   /* 6 workers */
    rt_decref(r);
    close_join(p);
    rt_decref(l);
    rt_decref(p);
}

static void test_worker_killed_is_an_error(void **state) {
    (void)state;
    RtValue *p = new_pool(2, NULL, NULL, 0);
    RtValue *l = range_list(8);
    RtValue *args[2] = {functions[F_DIE3], l};
    double t0 = now();
    assert_null(mcall_kw(p, "map", 2, args, "chunksize", rt_int(1)));
    assert_true(now() - t0 < 5.0);
    const char *msg = exc_text();
    assert_non_null(strstr(msg, "ProcessError: pool worker ForkPoolWorker-"));
    assert_non_null(strstr(msg, "was killed by signal 9 (SIGKILL)"));
    /* the replacement worker runs the next map */
    RtValue *r = mcall(p, "map", 2, functions[F_SQ], l);
    assert_string_equal(repr_text(r), "[0, 1, 4, 9, 16, 25, 36, 49]");
    rt_decref(r);
    close_join(p);
    rt_decref(l);
    rt_decref(p);
}

/* imap and imap_unordered over a worker that gets SIGKILLed: the lost
 * chunk raises ProcessError at its place, the others still arrive. */
static void test_imap_worker_killed(void **state) {
    (void)state;
    RtValue *p = new_pool(2, NULL, NULL, 0);
    RtValue *src = count_iter(8);
    RtValue *it = mcall(p, "imap", 2, functions[F_DIE3], src);
    const char *out = drain_imap(it);
    assert_non_null(strstr(out, "0 1 2 ProcessError(pool worker ForkPoolWorker-"));
    assert_non_null(strstr(out, "SIGKILL) while running a task) 4 5 6 7 stop"));
    rt_decref(it);
    rt_decref(src);
    src = count_iter(8);
    it = mcall(p, "imap_unordered", 2, functions[F_DIE3], src);
    int items = 0, errors = 0;
    for (;;) {
        RtValue *v = rt_iter_next(it);
        if (v) { items++; rt_decref(v); continue; }
        if (!rt_exc_pending) break;
        assert_non_null(strstr(exc_text(), "ProcessError"));
        errors++;
    }
    assert_int_equal(items, 7);
    assert_int_equal(errors, 1);
    rt_decref(it);
    rt_decref(src);
    close_join(p);
    rt_decref(p);
}

/* Prints in workers appear once each, flushed when the workers leave. */
static void test_worker_output_once(void **state) {
    (void)state;
    char path[] = "/tmp/mp2c-pool-out-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    RtValue *p = new_pool(2, NULL, NULL, 0);
    RtValue *l = range_list(10);
    RtValue *r = mcall(p, "map", 2, functions[F_PRINT], l);
    assert_non_null(r);
    rt_decref(r);
    assert_ptr_equal(mcall(p, "__exit__", 3, rt_None, rt_None, rt_None), rt_None);   /* terminate */
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    char buf[256] = {0};
    assert_true(pread(fd, buf, sizeof buf - 1, 0) > 0);
    close(fd);
    unlink(path);
    int count[10] = {0}, lines = 0;
    for (char *s = buf; *s; s++)
        if (*s >= '0' && *s <= '9' && s[1] == '\n') { count[*s - '0']++; lines++; }
    assert_int_equal(lines, 10);
    for (int i = 0; i < 10; i++) assert_int_equal(count[i], 1);
    rt_decref(l);
    rt_decref(p);
}

/* Workers are daemonic processes named ForkPoolWorker-N, as in CPython. */
static void test_worker_processes(void **state) {
    (void)state;
    RtValue *p = new_pool(2, NULL, NULL, 0);
    RtValue *kids = rt_mp_active_children(NULL, NULL, 0, NULL);
    assert_int_equal(RT_LIST_LEN(kids), 2);
    rt_decref(kids);
    RtValue *l = range_list(40);
    RtValue *args[2] = {functions[F_NAME], l};
    RtValue *r = mcall_kw(p, "map", 2, args, "chunksize", rt_int(1));
    assert_non_null(r);
    for (size_t i = 0; i < RT_LIST_LEN(r); i++)
        assert_int_equal(strncmp(rt_str_data(RT_LIST_GET(r, i)), "ForkPoolWorker-", 15), 0);
    rt_decref(r);
    close_join(p);
    kids = rt_mp_active_children(NULL, NULL, 0, NULL);
    assert_int_equal(RT_LIST_LEN(kids), 0);
    rt_decref(kids);
    rt_decref(l);
    rt_decref(p);
}

static void test_dealloc_running_pool_reaps(void **state) {
    (void)state;
    RtValue *p = new_pool(2, NULL, NULL, 0);
    RtValue *l = range_list(4);
    RtValue *r = mcall(p, "map", 2, functions[F_SQ], l);
    rt_decref(r);
    rt_decref(l);
    rt_decref(p);                         /* as CPython's finalizer: terminate */
}

static void test_no_zombies(void **state) {
    (void)state;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_in_order),
        cmocka_unit_test(test_starmap_and_apply),
        cmocka_unit_test(test_apply_async_callbacks),
        cmocka_unit_test(test_not_ready_and_timeout),
        cmocka_unit_test(test_imap_lazy_in_order),
        cmocka_unit_test(test_imap_unordered_all),
        cmocka_unit_test(test_worker_exception),
        cmocka_unit_test(test_initializer_sets_global),
        cmocka_unit_test(test_initializer_fails),
        cmocka_unit_test(test_maxtasksperchild),
        cmocka_unit_test(test_worker_killed_is_an_error),
        cmocka_unit_test(test_imap_worker_killed),
        cmocka_unit_test(test_worker_output_once),
        cmocka_unit_test(test_worker_processes),
        cmocka_unit_test(test_dealloc_running_pool_reaps),
        cmocka_unit_test(test_no_zombies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

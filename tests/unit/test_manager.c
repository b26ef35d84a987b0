/* test_manager.c: multiprocessing.Manager() with real processes — every
 * proxy operation against what CPython gives (manager_expected.h, written by
 * gen_manager_expected.py), exceptions raised in the server and again in the
 * caller, several processes updating one dict under a manager Lock, proxies
 * passed to Process and to Pool workers, the nested-mutation rule, blocking
 * calls answered across processes, and shutdown (explicit, `with`, garbage
 * collection, rt_mp_manager_shutdown_all) leaving no zombie and no server. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mp2c.h"
#include "manager_expected.h"

/* cmocka last: with UNIT_TESTING it redefines malloc and friends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

/* ---- small helpers ------------------------------------------------------------------ */

static RtValue *S(const char *s) { return rt_str_from_cstr(s); }
static RtValue *I(int64_t v) { return rt_int(v); }

/* o.m(*args): args borrowed. */
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
    RtValue *k = S(name);
    RtValue *kw = rt_tuple_pack(1, k);
    RtValue *r = rt_call_method(o, m, all, n, kw);
    rt_decref(k);
    rt_decref(kw);
    return r;
}

/* "Type: message" of the pending exception (cleared), as the generator writes it. */
static const char *exc_text(void) {
    static char buf[1024];
    RtValue *e = rt_exc_fetch();
    if (!e) return "no error";
    char name[128];
    rt_type_qualname(e->type, name, sizeof name);
    RtValue *s = rt_exc_str(e);
    const char *text = s ? rt_str_data(s) : "";
    if (e->type == &rt_exc_RemoteError) {   /* its last two lines */
        const char *p = text + strlen(text);
        for (int nl = 0; p > text; p--)
            if (p[-1] == '\n' && ++nl == 2) break;
        text = p;
    }
    if (*text) snprintf(buf, sizeof buf, "%s: %s", name, text);
    else snprintf(buf, sizeof buf, "%s", name);
    rt_xdecref(s);
    rt_decref(e);
    return buf;
}

/* str(v), or the exception's text when v is NULL; consumes v. Rotating buffers. */
static const char *T(RtValue *v) {
    static char bufs[8][2048];
    static int k;
    char *buf = bufs[k++ % 8];
    if (!v) {
        snprintf(buf, 2048, "%s", exc_text());
        return buf;
    }
    RtValue *s = rt_str(v);
    rt_decref(v);
    assert_non_null(s);
    snprintf(buf, 2048, "%s", rt_str_data(s));
    rt_decref(s);
    return buf;
}

/* A tuple built one statement at a time (C leaves the order in which a
 * call's arguments are evaluated open, and these calls have effects):
 * ta(x); ta(y); te() is str((x, y)). ta steals; NULL fails the test. */
static RtValue *g_tup;
static void ta(RtValue *v) {
    if (!v) fail_msg("tuple item %zu: %s", g_tup ? RT_LIST_LEN(g_tup) : 0, exc_text());
    if (!g_tup) g_tup = rt_list_new(4);
    assert_int_equal(rt_list_append_steal(g_tup, v), 0);
}
static const char *te(void) {
    RtValue *l = g_tup;
    g_tup = NULL;
    RtValue *t = rt_tuple_from_iter(l);
    rt_decref(l);
    return T(t);
}

/* The expected text with the object's address in place of %p. */
static const char *at(const char *fmt, const void *p) {
    static char buf[1024];
    snprintf(buf, sizeof buf, fmt, p);
    return buf;
}

static void expect(RtValue *v, const char *want) { assert_string_equal(T(v), want); }
static void expect_ok(int rc) { if (rc < 0) fail_msg("%s", exc_text()); }
static void expect_err(int rc, const char *want) {
    assert_int_equal(rc, -1);
    assert_string_equal(exc_text(), want);
}
static void none(RtValue *v) {
    if (!v) fail_msg("%s", exc_text());
    assert_ptr_equal(v, rt_None);
}

static RtValue *manager(void) {
    RtValue *m = rt_mp_Manager(NULL, NULL, 0, NULL);
    if (!m) fail_msg("Manager(): %s", exc_text());
    return m;
}

static RtValue *list_of(size_t n, ...) {
    RtValue *l = rt_list_new(n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) assert_int_equal(rt_list_append_steal(l, va_arg(ap, RtValue *)), 0);
    va_end(ap);
    return l;
}

static pid_t server_pid(RtValue *m) {
    RtValue *procs = rt_mp_active_children(NULL, NULL, 0, NULL);
    pid_t pid = 0;
    for (size_t i = 0; i < RT_LIST_LEN(procs); i++) {
        RtValue *name = rt_getattr(RT_LIST_GET(procs, i), "name");
        if (strncmp(rt_str_data(name), "SyncManager-", 12) == 0) {
            RtValue *p = rt_getattr(RT_LIST_GET(procs, i), "pid");
            int64_t v;
            assert_int_equal(rt_int_as_i64(p, &v), 0);
            pid = (pid_t)v;
            rt_decref(p);
        }
        rt_decref(name);
    }
    rt_decref(procs);
    (void)m;
    return pid;
}

static void shutdown(RtValue *m) { none(mcall(m, "shutdown", 0)); }

/* No child left: every process this test started was reaped. */
static void no_children(void) {
    int st;
    errno = 0;
    assert_int_equal(waitpid(-1, &st, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

/* ---- the "script": functions run in children and pool workers ----------------------- */

static RtValue *g_pred_list;   /* what pred_nonempty looks at (the parent's proxy) */

/* fill(d, l, i): d[i] = i * i; l.append(i) */
static RtValue *f_fill(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *sq = rt_binop(a[2], a[2], RT_MUL);
    int rc = sq ? rt_setitem(a[0], a[2], sq) : -1;
    rt_xdecref(sq);
    if (rc < 0) return NULL;
    RtValue *r = mcall(a[1], "append", 1, a[2]);
    if (!r) return NULL;
    rt_decref(r);
    return rt_newref(rt_None);
}

/* incr(d, lock, n): n times `with lock: d['count'] += 1` */
static RtValue *f_incr(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    int64_t times;
    if (rt_int_as_i64(a[2], &times) < 0) return NULL;
    RtValue *key = S("count");
    for (int64_t i = 0; i < times; i++) {
        RtValue *e = rt_with_enter(a[1]);
        if (!e) { rt_decref(key); return NULL; }
        rt_decref(e);
        RtValue *v = rt_getitem(a[0], key);
        RtValue *one = I(1);
        RtValue *v1 = v ? rt_binop(v, one, RT_ADD) : NULL;
        int rc = v1 ? rt_setitem(a[0], key, v1) : -1;
        rt_xdecref(v);
        rt_xdecref(v1);
        if (rt_with_exit(a[1], NULL) < 0 || rc < 0) { rt_decref(key); return NULL; }
    }
    rt_decref(key);
    return rt_newref(rt_None);
}

/* pool_task((d, lock, q, i)): with lock: d['n'] = d.get('n', 0) + 1; q.put(i); return i * 10 */
static RtValue *f_pool_task(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *t = a[0];
    RtValue *d = RT_TUPLE_GET(t, 0), *lock = RT_TUPLE_GET(t, 1), *q = RT_TUPLE_GET(t, 2), *i = RT_TUPLE_GET(t, 3);
    RtValue *key = S("n"), *zero = I(0), *one = I(1);
    RtValue *e = rt_with_enter(lock);
    RtValue *v = e ? mcall(d, "get", 2, key, zero) : NULL;
    RtValue *v1 = v ? rt_binop(v, one, RT_ADD) : NULL;
    int rc = v1 ? rt_setitem(d, key, v1) : -1;
    rt_xdecref(e);
    rt_xdecref(v);
    rt_xdecref(v1);
    rt_decref(key);
    if (rt_with_exit(lock, NULL) < 0 || rc < 0) return NULL;
    RtValue *r = mcall(q, "put", 1, i);
    if (!r) return NULL;
    rt_decref(r);
    RtValue *ten = I(10);
    r = rt_binop(i, ten, RT_MUL);
    rt_decref(ten);
    return r;
}

/* set_event(ev): ev.set() after a short pause */
static RtValue *f_set_event(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    usleep(50000);
    return mcall(a[0], "set", 0);
}

/* hold(lock, held, release): lock.acquire(); held.set(); release.wait(); lock.release() */
static RtValue *f_hold(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *r = mcall(a[0], "acquire", 0);
    if (!r) return NULL;
    rt_decref(r);
    if (!(r = mcall(a[1], "set", 0))) return NULL;
    rt_decref(r);
    if (!(r = mcall(a[2], "wait", 0))) return NULL;
    rt_decref(r);
    return mcall(a[0], "release", 0);
}

/* barrier(b, l): l.append(b.wait()) */
static RtValue *f_barrier(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *i = mcall(a[0], "wait", 0);
    if (!i) return NULL;
    RtValue *r = mcall(a[1], "append", 1, i);
    rt_decref(i);
    return r;
}

/* produce(q, n): q.put(0..n-1) */
static RtValue *f_produce(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    int64_t count;
    if (rt_int_as_i64(a[1], &count) < 0) return NULL;
    for (int64_t i = 0; i < count; i++) {
        RtValue *v = I(i);
        RtValue *r = mcall(a[0], "put", 1, v);
        rt_decref(v);
        if (!r) return NULL;
        rt_decref(r);
    }
    return rt_newref(rt_None);
}

/* ns_incr(ns, lock, n): n times `with lock: ns.x += 1` */
static RtValue *f_ns_incr(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    int64_t times;
    if (rt_int_as_i64(a[2], &times) < 0) return NULL;
    for (int64_t i = 0; i < times; i++) {
        RtValue *e = rt_with_enter(a[1]);
        if (!e) return NULL;
        rt_decref(e);
        RtValue *x = rt_getattr(a[0], "x"), *one = I(1);
        RtValue *x1 = x ? rt_binop(x, one, RT_ADD) : NULL;
        int rc = x1 ? rt_setattr(a[0], "x", x1) : -1;
        rt_xdecref(x);
        rt_xdecref(x1);
        if (rt_with_exit(a[1], NULL) < 0 || rc < 0) return NULL;
    }
    return rt_newref(rt_None);
}

/* notify_one(cond, l): with cond: l.append(1); cond.notify() */
static RtValue *f_notify(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    usleep(50000);
    RtValue *e = rt_with_enter(a[0]);
    if (!e) return NULL;
    rt_decref(e);
    RtValue *one = I(1);
    RtValue *r = mcall(a[1], "append", 1, one);
    if (r) { rt_decref(r); r = mcall(a[0], "notify", 0); }
    if (rt_with_exit(a[0], NULL) < 0) RT_CLEAR(r);
    return r;
}

/* pred(): len(g_pred_list) */
static RtValue *f_pred_nonempty(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    int64_t len = rt_len(g_pred_list);
    return len < 0 ? NULL : rt_int(len);
}

/* nested(d): the child's view of the rule: d['lst'].append(1) is lost,
 * reassigning keeps it; returns nothing, the parent checks. */
static RtValue *f_nested(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *key = S("lst"), *nine = I(9);
    RtValue *l = rt_getitem(a[0], key);
    RtValue *r = l ? mcall(l, "append", 1, nine) : NULL;
    int rc = r ? rt_setitem(a[0], key, l) : -1;
    rt_xdecref(r);
    rt_xdecref(l);
    rt_decref(key);
    return rc < 0 ? NULL : rt_newref(rt_None);
}

/* get_from(q): returns q.get() (a proxy sent through a Queue, used here) */
static RtValue *f_len_of(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    int64_t len = rt_len(a[0]);
    return len < 0 ? NULL : I(len);
}

static RtValue *f_barrier_action(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    return rt_newref(rt_None);
}

enum { F_FILL, F_INCR, F_POOL_TASK, F_SET_EVENT, F_HOLD, F_BARRIER, F_PRODUCE, F_NS_INCR, F_NOTIFY,
       F_PRED, F_NESTED, F_LEN_OF, F_ACTION, NF };
static RtFuncEntry entries[NF] = { f_fill, f_incr, f_pool_task, f_set_event, f_hold, f_barrier,
                                   f_produce, f_ns_incr, f_notify, f_pred_nonempty, f_nested, f_len_of,
                                   f_barrier_action };
static const char *names[NF] = { "fill", "incr", "pool_task", "set_event", "hold", "barrier",
                                 "produce", "ns_incr", "notify_one", "pred", "nested", "len_of", "action" };
static RtValue *functions[NF];
static RtProgram program = { .path = "test_manager.py", .functions = functions, .nfunctions = NF };

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

/* Process(target=f, args=(a...)), started. */
static RtValue *start_process(int f, size_t n, ...) {
    RtValue *t = rt_tuple_new(n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) RT_TUPLE_SET(t, i, rt_newref(va_arg(ap, RtValue *)));
    va_end(ap);
    RtValue *av[2] = { functions[f], t };
    RtValue *k1 = S("target"), *k2 = S("args");
    RtValue *kn = rt_tuple_pack(2, k1, k2);
    RtValue *p = rt_call((RtValue *)&rt_mp_Process, av, 0, kn);
    rt_decref(k1);
    rt_decref(k2);
    rt_decref(kn);
    rt_decref(t);
    if (!p) fail_msg("Process: %s", exc_text());
    none(mcall(p, "start", 0));
    return p;
}

static void join_ok(RtValue *p) {
    none(mcall(p, "join", 0));
    expect(rt_getattr(p, "exitcode"), "0");
    rt_decref(p);
}

/* ---- the manager object --------------------------------------------------------------- */

static void test_manager_is_a_process(void **state) {
    (void)state;
    RtValue *m = manager();
    pid_t pid = server_pid(m);
    char want[256];
    snprintf(want, sizeof want, MX_ACTIVE, (int)pid, (int)getpid());
    expect(rt_mp_active_children(NULL, NULL, 0, NULL), want);
    RtValue *p = rt_call((RtValue *)&rt_mp_Process, NULL, 0, NULL);
    expect(rt_getattr(p, "name"), MX_NEXT_PROCESS);   /* the server took Process-1's number */
    rt_decref(p);
    expect(rt_repr(m), at(MX_MANAGER_REPR, m));
    RtValue *one = I(1);
    assert_null(rt_mp_Manager(NULL, &one, 1, NULL));
    assert_string_equal(exc_text(), MX_MANAGER_ARGS);
    rt_decref(one);
    expect(mcall(m, "start", 0), MX_START_TWICE);
    shutdown(m);
    expect(rt_mp_active_children(NULL, NULL, 0, NULL), "[]");
    assert_int_equal(kill(pid, 0), -1);   /* reaped: no zombie either */
    rt_decref(m);
    no_children();
}

/* ---- DictProxy -------------------------------------------------------------------------- */

static void test_dict_proxy(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *init = rt_dict_new(), *a = S("a"), *b = S("b"), *c = S("c"), *zz = S("zz"), *q = S("q");
    RtValue *one = I(1), *two = I(2), *seven = I(7), *zero = I(0), *three = I(3);
    expect_ok(rt_dict_set(init, a, one));
    RtValue *d = mcall_kw(m, "dict", 1, &init, "b", two);
    assert_non_null(d);
    assert_ptr_equal(d->type, &rt_mp_DictProxy);
    expect(rt_str(d), MX_DICT_INIT);
    expect(rt_repr(d), at(MX_DICT_REPR, d));
    RtValue *lst = list_of(2, I(1), I(2));
    expect_ok(rt_setitem(d, c, lst));
    expect(rt_str(d), MX_DICT_SET);
    expect(rt_getitem(d, a), MX_DICT_GET_A);
    expect(rt_getitem(d, zz), MX_DICT_MISSING);
    ta(rt_bool(rt_contains(d, a)));
    ta(rt_bool(rt_contains(d, q)));
    ta(I(rt_len(d)));
    assert_string_equal(te(), MX_DICT_IN);
    ta(mcall(d, "get", 1, q));
    ta(mcall(d, "get", 2, q, seven));
    ta(mcall(d, "get", 2, a, seven));
    assert_string_equal(te(), MX_DICT_GET);
    ta(mcall(d, "keys", 0));
    ta(mcall(d, "values", 0));
    ta(mcall(d, "items", 0));
    assert_string_equal(te(), MX_DICT_VIEWS);
    expect(rt_list_from_iter(d), MX_DICT_ITER);
    expect(rt_call((RtValue *)&rt_type_dict, &d, 1, NULL), MX_DICT_SNAPSHOT);
    RtValue *cp = mcall(d, "copy", 0);
    assert_non_null(cp);
    ta(rt_newref(cp));
    ta(rt_newref((RtValue *)cp->type));
    assert_string_equal(te(), MX_DICT_COPY);
    rt_decref(cp);
    RtValue *upd = rt_dict_new(), *x = S("x"), *y = S("y"), *z = S("z");
    expect_ok(rt_dict_set(upd, x, one));
    none(mcall_kw(d, "update", 1, &upd, "y", two));
    expect(rt_str(d), MX_DICT_UPDATE);
    ta(mcall(d, "setdefault", 2, z, three));
    ta(mcall(d, "pop", 1, z));
    ta(mcall(d, "pop", 2, zz, zero));
    ta(mcall(d, "popitem", 0));
    assert_string_equal(te(), MX_DICT_POPS);
    expect(mcall(d, "pop", 1, zz), MX_DICT_POP_MISSING);
    expect_ok(rt_delitem(d, x));
    expect(rt_str(d), MX_DICT_DEL);
    RtValue *nope = S("nope");
    expect_err(rt_delitem(d, nope), MX_DICT_DEL_MISSING);
    expect(rt_getitem(d, lst), MX_DICT_UNHASHABLE);
    none(mcall(d, "clear", 0));
    ta(rt_str(d));
    ta(rt_bool(rt_truthy(d)));
    ta(I(rt_len(d)));
    assert_string_equal(te(), MX_DICT_CLEAR);
    expect(mcall(d, "popitem", 0), MX_DICT_POPITEM_EMPTY);
    expect(rt_getattr(d, "fromkeys"), MX_DICT_NO_ATTR);
    RtValue *empty = rt_dict_new();
    ta(rt_richcompare(d, empty, RT_EQ));
    ta(rt_richcompare(d, d, RT_EQ));
    assert_string_equal(te(), MX_DICT_EQ);
    RtValue *objs[] = { init, a, b, c, zz, q, one, two, seven, zero, three, lst, upd, x, y, z, nope, empty, d };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
}

/* ---- ListProxy ---------------------------------------------------------------------------- */

static void test_list_proxy(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *init = list_of(3, I(3), I(1), I(2));
    RtValue *l = mcall(m, "list", 1, init);
    assert_non_null(l);
    expect(rt_str(l), MX_LIST_INIT);
    expect(rt_repr(l), at(MX_LIST_REPR, l));
    RtValue *five = I(5), *zero = I(0), *seven = I(7), *one = I(1), *two = I(2), *nine = I(9), *eight = I(8);
    RtValue *ext = list_of(2, I(0), I(9));
    none(mcall(l, "append", 1, five));
    none(mcall(l, "extend", 1, ext));
    none(mcall(l, "insert", 2, zero, seven));
    expect(rt_str(l), MX_LIST_GROWN);
    RtValue *m1 = I(-1), *m2 = I(-2), *s13 = rt_slice_new(one, I(3), NULL), *rev2 = rt_slice_new(NULL, NULL, m2);
    ta(rt_getitem(l, zero));
    ta(rt_getitem(l, m1));
    ta(rt_getitem(l, s13));
    ta(rt_getitem(l, rev2));
    ta(I(rt_len(l)));
    assert_string_equal(te(), MX_LIST_INDEXING);
    ta(mcall(l, "count", 1, one));
    ta(mcall(l, "index", 1, two));
    ta(rt_bool(rt_contains(l, nine)));
    ta(rt_bool(rt_contains(l, eight)));
    assert_string_equal(te(), MX_LIST_QUERY);
    none(mcall(l, "sort", 0));
    expect(rt_str(l), MX_LIST_SORTED);
    none(mcall(l, "reverse", 0));
    expect(rt_str(l), MX_LIST_REVERSED);
    RtValue *hundred = I(100), *s02 = rt_slice_new(zero, two, NULL), *abc = list_of(3, S("a"), S("b"), S("c"));
    expect_ok(rt_setitem(l, zero, hundred));
    expect_ok(rt_delitem(l, one));
    expect_ok(rt_setitem(l, s02, abc));
    expect(rt_str(l), MX_LIST_ASSIGNED);
    ta(mcall(l, "pop", 0));
    ta(mcall(l, "pop", 1, zero));
    ta(rt_str(l));
    assert_string_equal(te(), MX_LIST_POP);
    RtValue *bstr = S("b");
    none(mcall(l, "remove", 1, bstr));
    expect(rt_str(l), MX_LIST_REMOVED);
    expect(rt_list_from_iter(l), MX_LIST_ITER);
    RtValue *l_one = list_of(1, I(1));
    RtValue *sum = rt_binop(l, l_one, RT_ADD);
    assert_non_null(sum);
    ta(rt_newref(sum));
    ta(rt_newref((RtValue *)sum->type));
    assert_string_equal(te(), MX_LIST_ADD);
    rt_decref(sum);
    ta(rt_binop(l, two, RT_MUL));
    ta(rt_binop(two, l, RT_MUL));
    assert_string_equal(te(), MX_LIST_MUL);
    RtValue *l_four = list_of(1, I(4));
    RtValue *l2 = rt_inplace_binop(l, l_four, RT_ADD);
    assert_ptr_equal(l2, l);
    ta(rt_str(l2));
    ta(rt_bool(l2 == l));
    ta(rt_newref((RtValue *)l2->type));
    assert_string_equal(te(), MX_LIST_IADD);
    rt_decref(l2);
    l2 = rt_inplace_binop(l, two, RT_MUL);
    ta(rt_str(l));
    ta(rt_bool(l2 == l));
    assert_string_equal(te(), MX_LIST_IMUL);
    rt_decref(l2);
    RtValue *n99 = I(99), *n70 = I(70), *xs = S("x");
    expect(mcall(l, "remove", 1, n99), MX_LIST_ERR_REMOVE);
    expect(mcall(l, "index", 1, n99), MX_LIST_ERR_INDEX);
    expect(mcall(l, "pop", 1, n70), MX_LIST_ERR_POP);
    expect(rt_getitem(l, xs), MX_LIST_ERR_KEY);
    expect(rt_getitem(l, n70), MX_LIST_ERR_RANGE);
    expect(rt_binop(l_one, l, RT_ADD), MX_LIST_ERR_RADD);
    expect(rt_inplace_binop(l, five, RT_ADD), MX_LIST_ERR_IADD);
    expect(rt_getattr(l, "clear"), MX_LIST_NO_CLEAR);
    RtValue *fresh = mcall(m, "list", 0);
    ta(rt_bool(rt_truthy(fresh)));
    ta(rt_bool(rt_truthy(l)));
    assert_string_equal(te(), MX_LIST_EMPTY);
    RtValue *objs[] = { init, l, five, zero, seven, one, two, nine, eight, ext, m1, m2, s13, rev2, hundred, s02,
                        abc, bstr, l_one, l_four, n99, n70, xs, fresh };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
}

/* ---- NamespaceProxy, ValueProxy, ArrayProxy, _getvalue, _callmethod ------------------------ */

static void test_namespace_proxy(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *vals[2] = { S("x"), I(1) };
    RtValue *k1 = S("b"), *k2 = S("a");
    RtValue *kn = rt_tuple_pack(2, k1, k2);
    RtValue *ns = rt_call_method(m, "Namespace", vals, 0, kn);
    assert_non_null(ns);
    expect(rt_str(ns), MX_NS_STR);
    expect(rt_repr(ns), at(MX_NS_REPR, ns));
    ta(rt_getattr(ns, "a"));
    ta(rt_getattr(ns, "b"));
    assert_string_equal(te(), MX_NS_GET);
    expect(rt_getattr(ns, "c"), MX_NS_MISSING);
    RtValue *l1 = list_of(1, I(1));
    expect_ok(rt_setattr(ns, "c", l1));
    expect_ok(rt_delattr(ns, "a"));
    expect(rt_str(ns), MX_NS_CHANGED);
    expect_err(rt_delattr(ns, "zz"), MX_NS_DEL_MISSING);
    RtValue *five = I(5);
    expect_ok(rt_setattr(ns, "_private", five));
    ta(rt_getattr(ns, "_private"));
    ta(rt_str(ns));
    assert_string_equal(te(), MX_NS_PRIVATE);
    expect(rt_getattr(ns, "_nothere"), MX_NS_PRIVATE_MISSING);
    RtValue *gv = mcall(ns, "_getvalue", 0);
    assert_non_null(gv);
    ta(rt_newref(gv));
    ta(rt_newref((RtValue *)gv->type));
    assert_string_equal(te(), MX_NS_GETVALUE);
    RtValue *objs[] = { vals[0], vals[1], k1, k2, kn, ns, l1, five, gv };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
}

static void test_value_and_array_proxies(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *tc = S("i"), *five = I(5), *half = rt_float(2.5), *s = S("s");
    RtValue *v = mcall(m, "Value", 2, tc, five);
    assert_non_null(v);
    expect(rt_str(v), MX_VALUE_STR);
    expect(rt_repr(v), at(MX_VALUE_REPR, v));
    ta(rt_getattr(v, "value"));
    ta(mcall(v, "get", 0));
    assert_string_equal(te(), MX_VALUE_GET);
    expect_ok(rt_setattr(v, "value", half));
    ta(rt_getattr(v, "value"));
    ta(rt_str(v));
    assert_string_equal(te(), MX_VALUE_SET);
    none(mcall(v, "set", 1, s));
    expect(mcall(v, "get", 0), MX_VALUE_SET2);
    expect(mcall(m, "Value", 1, tc), MX_VALUE_MISSING);

    RtValue *init = list_of(3, I(1), I(2), I(3));
    RtValue *a = mcall(m, "Array", 2, tc, init);
    assert_non_null(a);
    expect(rt_str(a), MX_ARRAY_STR);
    expect(rt_repr(a), at(MX_ARRAY_REPR, a));
    RtValue *zero = I(0), *one = I(1), *m1 = I(-1), *two = I(2), *seven = I(7), *big = I(5);
    RtValue *s02 = rt_slice_new(zero, two, NULL), *rev = rt_slice_new(NULL, NULL, m1);
    ta(I(rt_len(a)));
    ta(rt_getitem(a, zero));
    ta(rt_getitem(a, m1));
    ta(rt_getitem(a, s02));
    ta(rt_getitem(a, rev));
    assert_string_equal(te(), MX_ARRAY_INDEX);
    expect_ok(rt_setitem(a, one, seven));
    ta(rt_str(a));
    ta(rt_list_from_iter(a));
    assert_string_equal(te(), MX_ARRAY_SET);
    RtValue *f15 = rt_float(1.5), *xs = S("x"), *l1 = list_of(1, I(1)), *s01 = rt_slice_new(zero, one, NULL);
    expect_err(rt_setitem(a, zero, f15), MX_ARRAY_ERR_FLOAT);
    expect(rt_getitem(a, big), MX_ARRAY_ERR_RANGE);
    expect_err(rt_setitem(a, big, one), MX_ARRAY_ERR_SETRANGE);
    expect(rt_getitem(a, xs), MX_ARRAY_ERR_KEY);
    expect_err(rt_setitem(a, s01, l1), MX_ARRAY_ERR_SLICE);
    expect_err(rt_delitem(a, zero), MX_ARRAY_ERR_DEL);

    /* other typecodes and their range checks (the array module's messages) */
    char text[512] = "";
    const char *specs[][2] = { { "d", NULL }, { "f", NULL }, { "i", NULL }, { "u", NULL } };
    RtValue *inits[4] = { list_of(2, I(1), rt_float(2.5)), list_of(1, rt_float(0.1)), rt_list_new(0), S("ab") };
    for (int i = 0; i < 4; i++) {
        RtValue *code = S(specs[i][0]);
        RtValue *arr = mcall(m, "Array", 2, code, inits[i]);
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", i ? " " : "", T(rt_str(arr)));
        rt_decref(arr);
        rt_decref(code);
        rt_decref(inits[i]);
    }
    assert_string_equal(text, MX_ARRAY_D);
    struct { const char *code; RtValue *v; const char *want; } ranges[] = {
        { "b", I(200), MX_ARRAY_B }, { "B", I(-1), MX_ARRAY_BNEG }, { "h", I(40000), MX_ARRAY_H },
        { "I", I(-1), MX_ARRAY_I }, { "I", I(INT64_C(1) << 32), MX_ARRAY_IBIG },
        { "q", rt_int_from_u64(UINT64_C(1) << 63), MX_ARRAY_Q }, { "Q", I(-1), MX_ARRAY_QNEG },
        { "l", rt_int_from_digits("1180591620717411303424"), MX_ARRAY_L },
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        RtValue *code = S(ranges[i].code);
        RtValue *arr = mcall(m, "Array", 2, code, l1);
        assert_non_null(arr);
        expect_err(rt_setitem(arr, zero, ranges[i].v), ranges[i].want);
        rt_decref(arr);
        rt_decref(code);
        rt_decref(ranges[i].v);
    }
    RtValue *zcode = S("z"), *empty = rt_list_new(0), *three = I(3);
    expect(mcall(m, "Array", 2, zcode, empty), MX_ARRAY_BAD_CODE);
    expect(mcall(m, "Array", 2, tc, three), MX_ARRAY_BAD_INIT);
    RtValue *objs[] = { tc, five, half, s, v, init, a, zero, one, m1, two, seven, big, s02, rev, f15, xs, l1, s01,
                        zcode, empty, three };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
}

static void test_getvalue_callmethod_create_errors(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *one = I(1), *a = S("a"), *q = S("q");
    RtValue *d = mcall_kw(m, "dict", 0, NULL, "a", one);
    RtValue *gv = mcall(d, "_getvalue", 0);
    assert_non_null(gv);
    ta(rt_newref(gv));
    ta(rt_newref((RtValue *)gv->type));
    assert_string_equal(te(), MX_GETVALUE);
    RtValue *get = S("get"), *keys = S("keys"), *targ = rt_tuple_pack(1, a), *tq = rt_tuple_pack(1, q);
    RtValue *kw = rt_dict_new();
    ta(mcall(d, "_callmethod", 2, get, targ));
    ta(mcall(d, "_callmethod", 1, keys));
    ta(mcall(d, "_callmethod", 3, get, tq, kw));
    assert_string_equal(te(), MX_CALLMETHOD);
    expect(mcall(m, "dict", 1, one), MX_CREATE_DICT_ERR);
    RtValue *neg = I(-1);
    expect(mcall(m, "Semaphore", 1, neg), MX_CREATE_SEM_ERR);
    RtValue *objs[] = { one, a, q, d, gv, get, keys, targ, tq, kw, neg };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
}

/* ---- locks, events, conditions, barriers, queues in one process ------------------------------ */

static void test_sync_proxies(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *lk = mcall(m, "Lock", 0);
    assert_non_null(lk);
    assert_ptr_equal(lk->type, &rt_mp_AcquirerProxy);
    expect(rt_repr(lk), at(MX_LOCK_REPR, lk));
    RtValue *str = rt_str(lk);
    assert_true(strncmp(T(str), MX_LOCK_STR, strlen("<unlocked _thread.lock object at ")) == 0);
    RtValue *f = rt_False, *t = rt_True, *to = rt_float(0.05), *zero = I(0), *one = I(1), *m2 = I(-2);
    ta(mcall(lk, "acquire", 0));
    ta(mcall(lk, "acquire", 1, f));
    ta(mcall_kw(lk, "acquire", 0, NULL, "timeout", to));
    ta(mcall(lk, "acquire", 2, t, zero));
    assert_string_equal(te(), MX_LOCK_ACQ);
    assert_true(strncmp(T(rt_str(lk)), MX_LOCK_STR_HELD, strlen("<locked _thread.lock object at ")) == 0);
    none(mcall(lk, "release", 0));
    expect(mcall(lk, "release", 0), MX_LOCK_REL);
    expect(mcall(lk, "acquire", 2, f, one), MX_LOCK_NB_TIMEOUT);
    expect(mcall(lk, "acquire", 2, t, m2), MX_LOCK_NEG);
    expect(mcall(lk, "acquire", 3, one, m2, one), MX_LOCK_ARGS);
    expect(mcall_kw(lk, "acquire", 0, NULL, "x", one), MX_LOCK_KW);
    expect(rt_with_enter(lk), MX_LOCK_WITH);
    assert_int_equal(rt_with_exit(lk, NULL), 0);

    RtValue *rl = mcall(m, "RLock", 0);
    ta(mcall(rl, "acquire", 0));
    ta(mcall(rl, "acquire", 0));
    ta(mcall(rl, "release", 0));
    ta(mcall(rl, "release", 0));
    assert_string_equal(te(), MX_RLOCK);
    expect(mcall(rl, "release", 0), MX_RLOCK_REL);

    RtValue *two = I(2);
    RtValue *s = mcall(m, "Semaphore", 1, two);
    ta(mcall(s, "acquire", 0));
    ta(mcall(s, "acquire", 0));
    ta(mcall(s, "acquire", 1, f));
    ta(mcall_kw(s, "acquire", 0, NULL, "timeout", to));
    assert_string_equal(te(), MX_SEM);
    none(mcall(s, "release", 0));
    expect(mcall(s, "acquire", 2, f, one), MX_SEM_NB_TIMEOUT);
    RtValue *bs = mcall(m, "BoundedSemaphore", 1, one);
    expect(mcall(bs, "release", 0), MX_BSEM_REL);

    RtValue *ev = mcall(m, "Event", 0);
    ta(mcall(ev, "is_set", 0));
    ta(mcall(ev, "wait", 1, to));
    ta(mcall(ev, "set", 0));
    ta(mcall(ev, "is_set", 0));
    ta(mcall(ev, "wait", 0));
    ta(mcall(ev, "clear", 0));
    ta(mcall(ev, "is_set", 0));
    assert_string_equal(te(), MX_EVENT);

    RtValue *c = mcall(m, "Condition", 0);
    expect(mcall(c, "notify", 0), MX_COND_NOTIFY_UNOWNED);
    expect(mcall(c, "wait", 0), MX_COND_WAIT_UNOWNED);
    RtValue *e = rt_with_enter(c);
    assert_ptr_equal(e, rt_True);
    RtValue *pred = functions[F_PRED];   /* lambda: len(pl) */
    RtValue *sevenl = list_of(1, I(7));
    RtValue *pl = mcall(m, "list", 1, sevenl);
    g_pred_list = pl;
    RtValue *r1 = mcall(c, "wait", 1, to), *r2 = mcall(c, "wait_for", 1, pred);
    expect(mcall(pl, "pop", 0), "7");
    RtValue *r3 = mcall(c, "wait_for", 2, pred, to);
    ta(r1);
    ta(r2);
    ta(r3);
    ta(mcall(c, "notify", 0));
    ta(mcall(c, "notify_all", 0));
    assert_string_equal(te(), MX_COND_OWNED);
    assert_int_equal(rt_with_exit(c, NULL), 0);
    g_pred_list = NULL;

    RtValue *b = mcall(m, "Barrier", 1, one);
    ta(mcall(b, "wait", 0));
    ta(rt_getattr(b, "parties"));
    ta(rt_getattr(b, "n_waiting"));
    ta(rt_getattr(b, "broken"));
    assert_string_equal(te(), MX_BARRIER);
    none(mcall(b, "abort", 0));
    expect(rt_getattr(b, "broken"), "True");
    expect(mcall(b, "wait", 0), MX_BARRIER_WAIT_BROKEN);
    none(mcall(b, "reset", 0));
    ta(rt_getattr(b, "broken"));
    ta(mcall(b, "wait", 0));
    assert_string_equal(te(), MX_BARRIER_RESET);
    RtValue *b2 = mcall_kw(m, "Barrier", 1, &two, "timeout", to);
    expect(mcall(b2, "wait", 0), MX_BARRIER_TIMEOUT);
    ta(rt_getattr(b2, "broken"));
    ta(rt_getattr(b2, "n_waiting"));
    assert_string_equal(te(), MX_BARRIER_AFTER_TIMEOUT);

    RtValue *objs[] = { lk, to, zero, one, m2, rl, two, s, bs, ev, c, e, pl, sevenl, b, b2 };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
}

static void test_sync_reprs(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *two = I(2), *one = I(1), *three = I(3);
    RtValue *s = mcall(m, "Semaphore", 1, two);
    none(mcall(s, "acquire", 0) == rt_True ? rt_None : NULL);
    none(mcall(s, "acquire", 0) == rt_True ? rt_None : NULL);
    char want[256];
    RtValue *text = rt_str(s);
    unsigned long long addr;
    assert_int_equal(sscanf(rt_str_data(text), "<threading.Semaphore at 0x%llx", &addr), 1);
    snprintf(want, sizeof want, MX_SEM_STR, (void *)(uintptr_t)addr);
    assert_string_equal(rt_str_data(text), want);
    rt_decref(text);
    RtValue *bs = mcall(m, "BoundedSemaphore", 1, one);
    text = rt_str(bs);
    assert_int_equal(sscanf(rt_str_data(text), "<threading.BoundedSemaphore at 0x%llx", &addr), 1);
    snprintf(want, sizeof want, MX_BSEM_STR, (void *)(uintptr_t)addr);
    assert_string_equal(rt_str_data(text), want);
    rt_decref(text);
    RtValue *ev = mcall(m, "Event", 0);
    text = rt_str(ev);
    assert_int_equal(sscanf(rt_str_data(text), "<threading.Event at 0x%llx", &addr), 1);
    snprintf(want, sizeof want, MX_EVENT_STR, (void *)(uintptr_t)addr);
    assert_string_equal(rt_str_data(text), want);
    rt_decref(text);
    RtValue *c = mcall(m, "Condition", 0);
    text = rt_str(c);
    assert_int_equal(sscanf(rt_str_data(text), "<Condition(<unlocked _thread.RLock object owner=0 count=0 at 0x%llx",
                            &addr), 1);
    snprintf(want, sizeof want, MX_COND_STR, (void *)(uintptr_t)addr);
    assert_string_equal(rt_str_data(text), want);
    rt_decref(text);
    RtValue *b = mcall(m, "Barrier", 1, three);
    none(mcall(b, "abort", 0));
    text = rt_str(b);
    assert_int_equal(sscanf(rt_str_data(text), "<threading.Barrier at 0x%llx", &addr), 1);
    snprintf(want, sizeof want, MX_BARRIER_BROKEN, (void *)(uintptr_t)addr);
    ta(rt_getattr(b, "broken"));
    ta(rt_newref(text));
    assert_string_equal(te(), want);
    rt_decref(text);
    RtValue *objs[] = { two, one, three, s, bs, ev, c, b };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
}

static void test_queue_proxy(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *q = mcall(m, "Queue", 0);
    assert_non_null(q);
    expect(rt_repr(q), at(MX_QUEUE_REPR, q));
    expect(rt_getattr((RtValue *)q->type, "__name__"), MX_QUEUE_TYPE);
    RtValue *jq = mcall(m, "JoinableQueue", 0);
    expect(rt_getattr((RtValue *)jq->type, "__name__"), MX_JQUEUE_TYPE);
    RtValue *one = I(1), *l2 = list_of(1, I(2)), *three = S("three"), *t = rt_True, *to = rt_float(0.05);
    RtValue *m1 = I(-1), *two = I(2);
    none(mcall(q, "put", 1, one));
    none(mcall(q, "put", 1, l2));
    none(mcall(q, "put_nowait", 1, three));
    ta(mcall(q, "qsize", 0));
    ta(mcall(q, "empty", 0));
    ta(mcall(q, "full", 0));
    assert_string_equal(te(), MX_QUEUE_STATE);
    ta(mcall(q, "get", 0));
    ta(mcall(q, "get", 2, t, one));
    ta(mcall(q, "get_nowait", 0));
    ta(mcall(q, "empty", 0));
    assert_string_equal(te(), MX_QUEUE_GETS);
    expect(mcall(q, "get_nowait", 0), MX_QUEUE_EMPTY);
    expect(mcall_kw(q, "get", 0, NULL, "timeout", to), MX_QUEUE_EMPTY_TIMEOUT);
    expect(mcall_kw(q, "get", 0, NULL, "timeout", m1), MX_QUEUE_NEG);
    RtValue *bq = mcall(m, "Queue", 1, one);
    none(mcall(bq, "put", 1, one));
    expect(mcall_kw(bq, "put", 1, &two, "timeout", to), MX_QUEUE_FULL);
    expect(mcall(bq, "put_nowait", 1, two), MX_QUEUE_FULL_NOWAIT);
    ta(mcall(bq, "full", 0));
    ta(mcall(bq, "qsize", 0));
    assert_string_equal(te(), MX_QUEUE_FULL_STATE);
    none(mcall(jq, "put", 1, one));
    ta(mcall(jq, "get", 0));
    ta(mcall(jq, "task_done", 0));
    ta(mcall(jq, "join", 0));
    assert_string_equal(te(), MX_JQUEUE);
    expect(mcall(jq, "task_done", 0), MX_JQUEUE_TOO_MANY);
    expect(mcall(q, "put", 0), MX_QUEUE_ARGS);
    RtValue *objs[] = { q, jq, one, l2, three, to, m1, two, bq };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
}

/* ---- several processes ------------------------------------------------------------------------- */

/* The Python documentation's example: children fill a dict and a list. */
static void test_process_fills_dict_and_list(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *d = mcall(m, "dict", 0), *l = mcall(m, "list", 0);
    RtValue *ps[4];
    for (int i = 0; i < 4; i++) {
        RtValue *iv = I(i);
        ps[i] = start_process(F_FILL, 3, d, l, iv);
        rt_decref(iv);
    }
    for (int i = 0; i < 4; i++) join_ok(ps[i]);
    RtValue *items = mcall(d, "items", 0);
    assert_int_equal(rt_list_sort(items, NULL, false), 0);
    expect(items, "[(0, 0), (1, 1), (2, 4), (3, 9)]");
    RtValue *snap = rt_list_from_iter(l);
    assert_int_equal(rt_list_sort(snap, NULL, false), 0);
    expect(snap, "[0, 1, 2, 3]");
    rt_decref(d);
    rt_decref(l);
    shutdown(m);
    rt_decref(m);
    no_children();
}

/* Four processes, 200 increments each, under a manager Lock: exactly 800.
 * The same with a Namespace attribute. */
static void test_counter_under_lock_is_exact(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *zero = I(0), *key = S("count"), *n = I(200);
    RtValue *d = mcall(m, "dict", 0), *lock = mcall(m, "Lock", 0);
    RtValue *ns = mcall_kw(m, "Namespace", 0, NULL, "x", zero);
    expect_ok(rt_setitem(d, key, zero));
    RtValue *ps[8];
    for (int i = 0; i < 4; i++) ps[i] = start_process(F_INCR, 3, d, lock, n);
    for (int i = 4; i < 8; i++) ps[i] = start_process(F_NS_INCR, 3, ns, lock, n);
    for (int i = 0; i < 8; i++) join_ok(ps[i]);
    expect(rt_getitem(d, key), "800");
    expect(rt_getattr(ns, "x"), "800");
    RtValue *objs[] = { zero, key, n, d, lock, ns };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
    no_children();
}

/* Proxies go to Pool workers (serialized): a dict, a Lock and a Queue. */
static void test_proxies_to_pool_workers(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *d = mcall(m, "dict", 0), *lock = mcall(m, "Lock", 0), *q = mcall(m, "Queue", 0);
    RtValue *pool = rt_mp_pool_new(3, NULL, NULL, 0);
    assert_non_null(pool);
    RtValue *tasks = rt_list_new(10);
    for (int i = 0; i < 10; i++) {
        RtValue *iv = I(i);
        assert_int_equal(rt_list_append_steal(tasks, rt_tuple_pack(4, d, lock, q, iv)), 0);
        rt_decref(iv);
    }
    RtValue *r = mcall(pool, "map", 2, functions[F_POOL_TASK], tasks);
    if (!r) fail_msg("map: %s", exc_text());
    expect(r, "[0, 10, 20, 30, 40, 50, 60, 70, 80, 90]");
    none(mcall(pool, "close", 0));
    none(mcall(pool, "join", 0));
    RtValue *key = S("n");
    expect(rt_getitem(d, key), "10");
    RtValue *got = rt_list_new(10);
    for (int i = 0; i < 10; i++) assert_int_equal(rt_list_append_steal(got, mcall(q, "get", 0)), 0);
    assert_int_equal(rt_list_sort(got, NULL, false), 0);
    expect(got, "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
    ta(mcall(q, "empty", 0));
    ta(mcall(q, "qsize", 0));
    assert_string_equal(te(), "(True, 0)");
    RtValue *objs[] = { d, lock, q, pool, tasks, key };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
    no_children();
}

/* A value is a copy: mutating what d['lst'] returned changes nothing shared;
 * assigning it back does. In the parent and in a child. */
static void test_nested_mutation_rule(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *d = mcall(m, "dict", 0), *key = S("lst"), *one = I(1), *two = I(2);
    RtValue *init = list_of(1, I(0));
    expect_ok(rt_setitem(d, key, init));
    RtValue *copy = rt_getitem(d, key);
    none(mcall(copy, "append", 1, one));                  /* d['lst'].append(1): lost */
    rt_decref(copy);
    expect(rt_getitem(d, key), "[0]");
    RtValue *l = rt_getitem(d, key);                     /* l = d['lst']; l.append(2); d['lst'] = l */
    none(mcall(l, "append", 1, two));
    expect_ok(rt_setitem(d, key, l));
    rt_decref(l);
    expect(rt_getitem(d, key), "[0, 2]");
    join_ok(start_process(F_NESTED, 1, d));
    expect(rt_getitem(d, key), "[0, 2, 9]");
    /* a proxy stored in the dict is shared: mutations through it are seen */
    RtValue *inner = mcall(m, "list", 1, init);
    RtValue *ikey = S("inner");
    expect_ok(rt_setitem(d, ikey, inner));
    RtValue *via = rt_getitem(d, ikey);
    assert_non_null(via);
    assert_ptr_equal(via->type, &rt_mp_ListProxy);
    none(mcall(via, "append", 1, one));
    expect(rt_str(inner), "[0, 1]");
    rt_decref(via);
    rt_decref(inner);   /* the dict keeps the list alive */
    via = rt_getitem(d, ikey);
    expect(rt_str(via), "[0, 1]");
    expect(rt_len(via) == 2 ? rt_newref(rt_True) : rt_newref(rt_False), "True");
    rt_decref(via);
    expect_ok(rt_delitem(d, ikey));
    RtValue *objs[] = { d, key, one, two, init, ikey };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
    no_children();
}

/* Blocking calls wait in the server while other clients go on: a lock
 * held by a child, an event set by a child, a condition notified by a
 * child, a barrier of three processes, a queue fed by a child. */
static void test_blocking_calls_across_processes(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *lock = mcall(m, "Lock", 0), *held = mcall(m, "Event", 0), *go = mcall(m, "Event", 0);
    RtValue *p = start_process(F_HOLD, 3, lock, held, go);
    none(mcall(held, "wait", 0) == rt_True ? rt_None : NULL);
    RtValue *f = rt_False, *to = rt_float(0.1);
    expect(mcall(lock, "acquire", 1, f), "False");
    expect(mcall_kw(lock, "acquire", 0, NULL, "timeout", to), "False");
    none(mcall(go, "set", 0));
    expect(mcall(lock, "acquire", 0), "True");             /* granted when the child releases */
    join_ok(p);
    none(mcall(lock, "release", 0));

    RtValue *ev = mcall(m, "Event", 0);
    p = start_process(F_SET_EVENT, 1, ev);
    expect(mcall(ev, "wait", 0), "True");
    join_ok(p);

    RtValue *c = mcall(m, "Condition", 0), *l = mcall(m, "list", 0);
    g_pred_list = l;
    p = start_process(F_NOTIFY, 2, c, l);
    RtValue *e = rt_with_enter(c);
    expect(mcall(c, "wait_for", 1, functions[F_PRED]), "1");
    assert_int_equal(rt_with_exit(c, NULL), 0);
    rt_decref(e);
    g_pred_list = NULL;
    join_ok(p);

    RtValue *three = I(3), *bl = mcall(m, "list", 0);
    RtValue *b = mcall_kw(m, "Barrier", 1, &three, "action", functions[F_ACTION]);
    RtValue *p1 = start_process(F_BARRIER, 2, b, bl), *p2 = start_process(F_BARRIER, 2, b, bl);
    RtValue *idx = mcall(b, "wait", 0);
    assert_non_null(idx);
    none(mcall(bl, "append", 1, idx));
    rt_decref(idx);
    join_ok(p1);
    join_ok(p2);
    RtValue *got = rt_list_from_iter(bl);
    assert_int_equal(rt_list_sort(got, NULL, false), 0);
    expect(got, "[0, 1, 2]");

    RtValue *q = mcall(m, "Queue", 0), *n = I(50);
    p = start_process(F_PRODUCE, 2, q, n);
    int64_t sum = 0;
    for (int i = 0; i < 50; i++) {
        RtValue *v = mcall(q, "get", 0);
        int64_t x;
        assert_non_null(v);
        assert_int_equal(rt_int_as_i64(v, &x), 0);
        assert_int_equal(x, i);   /* FIFO */
        sum += x;
        rt_decref(v);
    }
    assert_int_equal(sum, 49 * 50 / 2);
    join_ok(p);
    RtValue *objs[] = { lock, held, go, to, ev, c, l, three, bl, b, q, n };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
    no_children();
}

/* A proxy goes through the serializer (as through a Queue or a Pipe) and
 * through a multiprocessing.Queue to a child that connects on its own. */
static void test_proxy_serialization(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *l = mcall(m, "list", 0), *one = I(1);
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, l), 0);
    RtValue *back = rt_ser_load(&b);
    rt_buf_free(&b);
    assert_non_null(back);
    assert_ptr_equal(back->type, &rt_mp_ListProxy);
    none(mcall(back, "append", 1, one));
    expect(rt_str(l), "[1]");
    rt_decref(back);
    expect(rt_str(l), "[1]");   /* dropping the copy dropped nothing in the server */
    RtValue *mq = rt_mp_queue_new(&rt_mp_Queue, 0);
    assert_int_equal(rt_mp_queue_put(mq, l, true, -1), 0);
    RtValue *got = rt_mp_queue_get(mq, true, -1);
    assert_non_null(got);
    RtValue *d = mcall(m, "dict", 0);
    join_ok(start_process(F_FILL, 3, d, got, one));   /* the child appends through the received proxy */
    rt_decref(d);
    expect(rt_str(l), "[1, 1]");
    rt_decref(got);
    rt_decref(mq);
    /* the manager itself cannot be pickled, as in CPython */
    assert_int_equal(rt_ser_dump(&b, m), -1);
    assert_string_equal(exc_text(), "TypeError: Pickling an AuthenticationString object is disallowed for security reasons");
    rt_buf_free(&b);
    rt_decref(l);
    rt_decref(one);
    shutdown(m);
    rt_decref(m);
    no_children();
}

/* Many proxies made and dropped: the server frees them and keeps working. */
static void test_many_proxies(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *keep = mcall(m, "dict", 0);
    for (int i = 0; i < 2000; i++) {
        RtValue *iv = I(i);
        RtValue *init = list_of(1, rt_newref(iv));
        RtValue *l = mcall(m, "list", 1, init);
        assert_non_null(l);
        expect_ok(rt_setitem(keep, iv, iv));
        rt_decref(l);
        rt_decref(init);
        rt_decref(iv);
    }
    expect(I(rt_len(keep)), "2000");
    rt_decref(keep);
    shutdown(m);
    rt_decref(m);
}

/* A big value crosses in several records each way. */
static void test_big_values(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *d = mcall(m, "dict", 0), *key = S("big");
    RtValue *big = rt_list_new(300000);
    for (int i = 0; i < 300000; i++) assert_int_equal(rt_list_append_steal(big, I(i)), 0);
    expect_ok(rt_setitem(d, key, big));
    RtValue *back = rt_getitem(d, key);
    assert_non_null(back);
    assert_int_equal(rt_len(back), 300000);
    assert_int_equal(rt_eq(back, big), 1);
    rt_decref(back);
    rt_decref(big);
    rt_decref(key);
    rt_decref(d);
    shutdown(m);
    rt_decref(m);
}

/* ---- shutdown ------------------------------------------------------------------------------------ */

static void test_after_shutdown(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *e = rt_with_enter(m);
    assert_ptr_equal(e, m);
    rt_decref(e);
    RtValue *d = mcall(m, "dict", 0), *l = mcall(m, "list", 0);
    pid_t pid = server_pid(m);
    assert_int_equal(rt_with_exit(m, NULL), 0);
    assert_int_equal(kill(pid, 0), -1);
    RtValue *a = S("a");
    expect(rt_getitem(d, a), MX_SHUT_UNUSED);
    expect_err((int)rt_len(l), MX_SHUT_UNUSED2);
    expect(mcall(m, "dict", 0), MX_SHUT_CREATE);
    expect(mcall(m, "shutdown", 0), MX_SHUT_AGAIN);
    rt_decref(d);
    rt_decref(l);
    rt_decref(m);

    m = manager();
    RtValue *d2 = mcall(m, "dict", 0), *one = I(1);
    expect_ok(rt_setitem(d2, a, one));
    RtValue *l2 = mcall(m, "list", 0);
    shutdown(m);
    expect(rt_getitem(d2, a), MX_SHUT_USED);
    expect_err((int)rt_len(l2), MX_SHUT_USED2);
    RtValue *objs[] = { d2, one, l2, a, m };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    no_children();
}

/* Releasing the manager (and its proxies) stops the server: garbage
 * collection, as CPython's finalizer. */
static void test_gc_shuts_down(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *d = mcall(m, "dict", 0);
    pid_t pid = server_pid(m);
    rt_decref(m);                          /* the proxy keeps the manager alive */
    RtValue *k = S("k");
    expect_ok(rt_setitem(d, k, k));
    assert_int_equal(kill(pid, 0), 0);
    rt_decref(d);                          /* the last reference: shutdown */
    assert_int_equal(kill(pid, 0), -1);
    assert_int_equal(errno, ESRCH);
    rt_decref(k);
    no_children();
}

/* What rt_main does at exit: every server stops, then rt_mp_at_exit has
 * nothing left to join. Also from a child that made its own manager. */
static void test_shutdown_all(void **state) {
    (void)state;
    RtValue *m1 = manager(), *m2 = manager();
    pid_t p1 = server_pid(m1);
    RtValue *d = mcall(m2, "dict", 0);
    rt_mp_manager_shutdown_all();
    assert_int_equal(kill(p1, 0), -1);
    expect(rt_mp_active_children(NULL, NULL, 0, NULL), "[]");
    rt_mp_at_exit();
    no_children();
    RtValue *a = S("a");
    expect(rt_getitem(d, a), MX_SHUT_UNUSED);
    rt_decref(a);
    rt_decref(d);
    rt_decref(m1);
    rt_decref(m2);

    pid_t child = rt_mp_fork();
    if (child == 0) {
        RtValue *cm = rt_mp_Manager(NULL, NULL, 0, NULL);
        int ok = cm != NULL;
        rt_mp_manager_shutdown_all();
        rt_mp_at_exit();
        rt_xdecref(cm);
        int st;
        ok = ok && waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD;
        _exit(ok ? 0 : 3);
    }
    int st;
    assert_int_equal(waitpid(child, &st, 0), child);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    no_children();
}

/* A forked child inherits the manager: it may use the proxies and make new
 * objects, but only the process that started the manager shuts it down. */
static void test_child_cannot_shut_down(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *d = mcall(m, "dict", 0), *k = S("k"), *v = S("v");
    expect_ok(rt_setitem(d, k, v));   /* the parent's connection exists before the fork */
    pid_t child = rt_mp_fork();
    if (child == 0) {
        RtValue *l = rt_call_method(m, "list", NULL, 0, NULL);
        int ok = l && rt_setitem(d, v, k) == 0;
        RtValue *r = rt_call_method(m, "shutdown", NULL, 0, NULL);   /* no-op here */
        ok = ok && r == rt_None;
        rt_xdecref(l);
        rt_decref(d);
        rt_decref(k);
        rt_decref(v);
        rt_decref(m);                                                 /* no-op too */
        _exit(ok ? 0 : 3);
    }
    int st;
    assert_int_equal(waitpid(child, &st, 0), child);
    assert_int_equal(WEXITSTATUS(st), 0);
    expect(rt_str(d), "{'k': 'v', 'v': 'k'}");
    RtValue *objs[] = { d, k, v };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    shutdown(m);
    rt_decref(m);
    no_children();
}

/* The server survives a client killed while it waits on a lock. */
/* BaseManager.register on a subclass: m.<typeid>() builds the object in the
 * server; its AutoProxy[<typeid>] forwards the public methods only (here a
 * dict's), re-raises the server's exceptions, survives serialization, and
 * the subclass's registry does not leak into BaseManager's. */
static void test_registered_types(void **state) {
    (void)state;
    RtValue *ns = rt_dict_new();
    RtValue *cls = rt_class_new("MyManager", "__main__", &rt_mp_BaseManager, ns, -1);
    assert_non_null(cls);
    RtValue *tid = S("Dict"), *frozen = S("Frozen"), *keys = S("keys"), *names = rt_tuple_pack(1, keys);
    RtValue *reg[2] = { tid, (RtValue *)&rt_type_dict };
    none(rt_mp_BaseManager_cm_register(cls, reg, 2, NULL));
    RtValue *reg2[3] = { frozen, (RtValue *)&rt_type_dict, names };
    RtValue *exposed = S("exposed"), *kwn = rt_tuple_pack(1, exposed);
    none(rt_mp_BaseManager_cm_register(cls, reg2, 2, kwn));   /* exposed=('keys',) */
    RtValue *m = rt_call(cls, NULL, 0, NULL);
    assert_non_null(m);
    expect(mcall(m, "Dict", 0), "AssertionError: server not yet started");
    none(mcall(m, "start", 0));
    RtValue *a = S("a"), *one = I(1), *zz = S("zz");
    RtValue *kw = rt_tuple_pack(1, a);
    RtValue *d = rt_call_method(m, "Dict", &one, 0, kw);   /* Dict(a=1) */
    assert_non_null(d);
    assert_string_equal(d->type->name, "AutoProxy[Dict]");
    expect(rt_repr(d), at("<AutoProxy[Dict] object, typeid 'Dict' at %p>", d));
    expect(rt_str(d), "{'a': 1}");
    expect(mcall(d, "get", 1, a), "1");
    expect(mcall(d, "pop", 1, zz), "KeyError: 'zz'");
    expect(rt_getattr(d, "__len__"), "AttributeError: 'AutoProxy[Dict]' object has no attribute '__len__'");
    expect(mcall(d, "_callmethod", 1, zz), "multiprocessing.managers.RemoteError: AttributeError: method 'zz' of <class 'dict'> object is not in exposed=('clear', 'copy', 'fromkeys', 'get', 'items', 'keys', 'pop', 'popitem', 'setdefault', 'update', 'values')\n---------------------------------------------------------------------------");
    expect(mcall(d, "_getvalue", 0), "{'a': 1}");
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, d), 0);
    RtValue *back = rt_ser_load(&b);
    rt_buf_free(&b);
    assert_non_null(back);
    assert_ptr_equal(back->type, d->type);
    RtValue *empty = rt_dict_new();
    none(mcall(back, "update", 1, empty));   /* the copy reaches the same dict */
    rt_decref(empty);
    expect(mcall(back, "copy", 0), "{'a': 1}");
    rt_decref(back);
    RtValue *f = mcall(m, "Frozen", 0);
    assert_non_null(f);
    expect(mcall(f, "keys", 0), "[]");   /* dict views travel as lists */
    expect(rt_getattr(f, "get"), "AttributeError: 'AutoProxy[Frozen]' object has no attribute 'get'");
    expect(mcall(m, "Dict", 2, one, one), "multiprocessing.managers.RemoteError: TypeError: dict expected at most 1 argument, got 2\n---------------------------------------------------------------------------");
    /* BaseManager's own registry does not have the subclass's typeids */
    RtValue *bm = rt_call((RtValue *)&rt_mp_BaseManager, NULL, 0, NULL);
    expect(rt_getattr(bm, "Dict"), "AttributeError: 'BaseManager' object has no attribute 'Dict'");
    rt_decref(bm);
    rt_decref(f);
    rt_decref(d);
    shutdown(m);
    rt_decref(m);
    rt_decref(kw);
    rt_decref(kwn);
    rt_decref(a);
    rt_decref(one);
    rt_decref(zz);
    rt_decref(tid);
    rt_decref(frozen);
    rt_decref(names);
    rt_decref(keys);
    rt_decref(exposed);
    rt_decref(ns);
    no_children();
}

static void test_client_killed_while_waiting(void **state) {
    (void)state;
    RtValue *m = manager();
    RtValue *lock = mcall(m, "Lock", 0);
    expect(mcall(lock, "acquire", 0), "True");
    pid_t child = rt_mp_fork();
    if (child == 0) {
        RtValue *r = rt_call_method(lock, "acquire", NULL, 0, NULL);   /* blocks */
        _exit(r ? 0 : 3);
    }
    usleep(100000);
    kill(child, SIGKILL);
    int st;
    assert_int_equal(waitpid(child, &st, 0), child);
    none(mcall(lock, "release", 0));
    expect(mcall(lock, "acquire", 1, rt_False), "True");   /* the dead waiter did not take it */
    rt_decref(lock);
    shutdown(m);
    rt_decref(m);
    no_children();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manager_is_a_process),
        cmocka_unit_test(test_dict_proxy),
        cmocka_unit_test(test_list_proxy),
        cmocka_unit_test(test_namespace_proxy),
        cmocka_unit_test(test_value_and_array_proxies),
        cmocka_unit_test(test_getvalue_callmethod_create_errors),
        cmocka_unit_test(test_sync_proxies),
        cmocka_unit_test(test_sync_reprs),
        cmocka_unit_test(test_queue_proxy),
        cmocka_unit_test(test_process_fills_dict_and_list),
        cmocka_unit_test(test_counter_under_lock_is_exact),
        cmocka_unit_test(test_proxies_to_pool_workers),
        cmocka_unit_test(test_nested_mutation_rule),
        cmocka_unit_test(test_blocking_calls_across_processes),
        cmocka_unit_test(test_proxy_serialization),
        cmocka_unit_test(test_many_proxies),
        cmocka_unit_test(test_big_values),
        cmocka_unit_test(test_after_shutdown),
        cmocka_unit_test(test_gc_shuts_down),
        cmocka_unit_test(test_shutdown_all),
        cmocka_unit_test(test_child_cannot_shut_down),
        cmocka_unit_test(test_client_killed_while_waiting),
        cmocka_unit_test(test_registered_types),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

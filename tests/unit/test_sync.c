/* test_sync.c: multiprocessing's Lock, RLock, Semaphore, BoundedSemaphore,
 * Event, Condition and Barrier between real forked processes: a locked
 * counter shared by two children, reentrancy, release errors, wake-ups across
 * processes, a barrier of three processes and its timeout, and children
 * SIGKILLed while holding a lock (the parent must not deadlock). Expected
 * strings come from CPython (shared_expected.h). */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mp2c.h"

#define V_INT(x)      rt_int(x)
#define V_BIG(s)      rt_int_from_digits(s)
#define V_FLOAT(d)    rt_float(d)
#define V_BYTES(s, n) rt_bytes_new((s), (n))
#define V_STR(s)      rt_str_from_cstr(s)
#define V_BOOL(b)     rt_bool(b)
#define V_NONE()      rt_newref(rt_None)
#include "shared_expected.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

/* ---- helpers ------------------------------------------------------------------------- */

static char text_buf[1024];

static const char *masked(const char *s) {
    size_t k = 0;
    for (size_t i = 0; s[i] && k + 4 < sizeof text_buf; i++) {
        if (s[i] == '0' && s[i + 1] == 'x' && isxdigit((unsigned char)s[i + 2])) {
            memcpy(text_buf + k, "0x?", 3);
            k += 3;
            i += 2;
            while (isxdigit((unsigned char)s[i + 1])) i++;
        } else {
            text_buf[k++] = s[i];
        }
    }
    text_buf[k] = '\0';
    return text_buf;
}

/* repr(v) (consumed) or "Type: message" of the pending exception. */
static const char *outcome(RtValue *v) {
    char tmp[1024];
    if (!v) {
        RtValue *e = rt_exc_fetch();
        assert_non_null(e);
        char name[128];
        rt_type_qualname(e->type, name, sizeof name);
        RtValue *s = rt_exc_str(e);
        if (s && rt_str_nbytes(s)) snprintf(tmp, sizeof tmp, "%s: %s", name, rt_str_data(s));
        else snprintf(tmp, sizeof tmp, "%s", name);
        rt_xdecref(s);
        rt_decref(e);
        return masked(tmp);
    }
    RtValue *r = rt_repr(v);
    rt_decref(v);
    assert_non_null(r);
    snprintf(tmp, sizeof tmp, "%s", rt_str_data(r));
    rt_decref(r);
    return masked(tmp);
}

static RtValue *make(RtType *t, size_t n, ...) {
    RtValue *args[4];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) args[i] = va_arg(ap, RtValue *);
    va_end(ap);
    RtValue *o = rt_call((RtValue *)t, args, n, NULL);
    assert_non_null(o);
    return o;
}

/* o.name(*args) with borrowed args; kw (may be NULL) names the last argument. */
static RtValue *meth(RtValue *o, const char *name, const char *kw, size_t n, ...) {
    RtValue *args[4];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) args[i] = va_arg(ap, RtValue *);
    va_end(ap);
    RtValue *kwnames = NULL;
    if (kw) {
        RtValue *k = rt_str_from_cstr(kw);
        kwnames = rt_tuple_pack(1, k);
        rt_decref(k);
    }
    RtValue *r = rt_call_method(o, name, args, kw ? n - 1 : n, kwnames);
    rt_xdecref(kwnames);
    return r;
}

/* o.name() must return True or False: 1 / 0. */
static int truth(RtValue *r) {
    assert_non_null(r);
    int t = r == rt_True;
    rt_decref(r);
    return t;
}

static pid_t fork_child(void) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    return pid;
}

static int wait_exit(pid_t pid) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* A pipe to wait for a child's "ready" byte. */
static void ready_pipe(int fds[2]) { assert_int_equal(pipe(fds), 0); }
static void signal_ready(int fd) { char c = 'r'; (void)!write(fd, &c, 1); }
static void await_ready(int fd) { char c; assert_int_equal(read(fd, &c, 1), 1); }

/* with v.get_lock(): v.value += 1, through the generic protocol. */
static int locked_increment(RtValue *v, RtValue *one) {
    RtValue *lock = rt_call_method(v, "get_lock", NULL, 0, NULL);
    if (!lock) return -1;
    RtValue *e = rt_with_enter(lock);
    if (!e) { rt_decref(lock); return -1; }
    rt_decref(e);
    RtValue *x = rt_getattr(v, "value");
    RtValue *y = x ? rt_inplace_binop(x, one, RT_ADD) : NULL;
    int r = y ? rt_setattr(v, "value", y) : -1;
    rt_xdecref(x);
    rt_xdecref(y);
    if (rt_with_exit(lock, NULL) < 0) r = -1;
    rt_decref(lock);
    return r;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_locked_counter_two_children(void **state) {
    (void)state;
    RtValue *args[2] = {rt_str_from_cstr("i"), rt_int(0)};
    RtValue *v = rt_mp_Value(NULL, args, 2, NULL);
    assert_non_null(v);
    RtValue *one = rt_int(1);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        if ((kids[k] = fork_child()) == 0) {
            for (int i = 0; i < 10000; i++)
                if (locked_increment(v, one) < 0) _exit(2);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) assert_int_equal(wait_exit(kids[k]), 0);
    assert_string_equal(outcome(rt_getattr(v, "value")), "20000");
    rt_decref(v);
    rt_decref(args[0]);
}

static void test_lock_basics(void **state) {
    (void)state;
    assert_string_equal(outcome(make(&rt_mp_Lock, 0)), LOCK_REPR_FREE);
    RtValue *lk = make(&rt_mp_Lock, 0);
    assert_true(truth(meth(lk, "acquire", NULL, 0)));
    assert_string_equal(outcome(rt_newref(lk)), LOCK_REPR_MINE);
    assert_string_equal(outcome(meth(lk, "acquire", NULL, 1, rt_False)), LOCK_ACQUIRE_NONBLOCK);
    RtValue *t = rt_float(0.01);
    double t0 = now();
    assert_string_equal(outcome(meth(lk, "acquire", "timeout", 1, t)), LOCK_ACQUIRE_TIMEOUT);
    assert_true(now() - t0 >= 0.009);
    RtValue *r = meth(lk, "release", NULL, 0);
    assert_ptr_equal(r, rt_None);
    assert_string_equal(outcome(meth(lk, "release", NULL, 0)), LOCK_RELEASE_TWICE);
    /* the CPython sequence: release(), release() -> the second raises */
    RtValue *lk2 = make(&rt_mp_Lock, 0);
    assert_true(truth(meth(lk2, "acquire", NULL, 0)));
    assert_non_null(meth(lk2, "release", NULL, 0));
    assert_string_equal(outcome(meth(lk2, "release", NULL, 0)), LOCK_RELEASE_TWICE);
    /* a context manager, and another process may release it (it is a semaphore) */
    RtValue *e = rt_with_enter(lk);
    assert_ptr_equal(e, rt_True);
    pid_t pid = fork_child();
    if (pid == 0) _exit(rt_mp_lock_release(lk) == 0 ? 0 : 1);
    assert_int_equal(wait_exit(pid), 0);
    assert_true(truth(meth(lk, "acquire", NULL, 1, rt_False)));
    assert_int_equal(rt_with_exit(lk, NULL), 0);
    RtValue *one = rt_int(1), *x = rt_str_from_cstr("a");
    assert_string_equal(outcome(meth(lk, "acquire", "x", 1, one)), ACQUIRE_BAD_KW);
    assert_string_equal(outcome(meth(lk, "acquire", NULL, 3, one, one, one)), ACQUIRE_TOO_MANY);
    assert_string_equal(outcome(meth(lk, "acquire", "timeout", 1, x)), ACQUIRE_BAD_TIMEOUT);
    assert_string_equal(outcome(meth(lk, "release", NULL, 1, one)), RELEASE_ARGS);
    rt_decref(x);
    rt_decref(t);
    rt_decref(lk);
    rt_decref(lk2);
}

static void test_rlock_reentrancy(void **state) {
    (void)state;
    assert_string_equal(outcome(make(&rt_mp_RLock, 0)), RLOCK_REPR_FREE);
    RtValue *rl = make(&rt_mp_RLock, 0);
    assert_true(truth(meth(rl, "acquire", NULL, 0)));
    assert_true(truth(meth(rl, "acquire", NULL, 0)));
    assert_string_equal(outcome(rt_newref(rl)), RLOCK_REPR_TWICE);
    assert_true(truth(meth(rl, "acquire", NULL, 1, rt_False)));
    /* held here: a child cannot take it */
    pid_t pid = fork_child();
    if (pid == 0) {
        RtValue *t = rt_float(0.05);
        RtValue *r = meth(rl, "acquire", "timeout", 1, t);
        _exit(r == rt_False ? 0 : 1);
    }
    assert_int_equal(wait_exit(pid), 0);
    for (int i = 0; i < 3; i++) assert_ptr_equal(meth(rl, "release", NULL, 0), rt_None);
    assert_string_equal(outcome(meth(rl, "release", NULL, 0)), RLOCK_RELEASE_UNOWNED);
    RtValue *fresh = make(&rt_mp_RLock, 0);
    assert_string_equal(outcome(meth(fresh, "release", NULL, 0)), RLOCK_RELEASE_UNOWNED);
    rt_decref(fresh);
    /* released: now the child can */
    pid = fork_child();
    if (pid == 0) _exit(rt_mp_lock_acquire(rl, false, -1) == 1 ? 0 : 1);
    assert_int_equal(wait_exit(pid), 0);
    rt_decref(rl);
}

static void test_semaphores(void **state) {
    (void)state;
    RtValue *two = rt_int(2), *three = rt_int(3), *one = rt_int(1), *zero = rt_int(0), *neg = rt_int(-1);
    assert_string_equal(outcome(make(&rt_mp_Semaphore, 1, two)), SEM_REPR);
    assert_string_equal(outcome(make(&rt_mp_BoundedSemaphore, 1, three)), BSEM_REPR);
    RtValue *bs = make(&rt_mp_BoundedSemaphore, 1, one);
    assert_string_equal(outcome(meth(bs, "release", NULL, 0)), BSEM_OVER);
    rt_decref(bs);
    assert_string_equal(outcome(rt_call((RtValue *)&rt_mp_Semaphore, &neg, 1, NULL)), SEM_NEG);
    RtValue *sem = make(&rt_mp_Semaphore, 1, zero);
    assert_ptr_equal(meth(sem, "release", NULL, 0), rt_None);
    assert_ptr_equal(meth(sem, "release", NULL, 0), rt_None);
    assert_string_equal(outcome(rt_newref(sem)), SEM_AFTER_RELEASES);
    assert_string_equal(outcome(meth(sem, "get_value", NULL, 0)), SEM_GET_VALUE);
    /* two children take the two units; a third acquire times out */
    pid_t kids[2];
    for (int k = 0; k < 2; k++)
        if ((kids[k] = fork_child()) == 0) _exit(rt_mp_lock_acquire(sem, true, 1.0) == 1 ? 0 : 1);
    for (int k = 0; k < 2; k++) assert_int_equal(wait_exit(kids[k]), 0);
    assert_int_equal(rt_mp_lock_acquire(sem, true, 0.02), 0);
    /* a waiter in a child is woken by a release here */
    pid_t pid = fork_child();
    if (pid == 0) _exit(rt_mp_lock_acquire(sem, true, 5.0) == 1 ? 0 : 1);
    usleep(20000);
    assert_int_equal(rt_mp_lock_release(sem), 0);
    assert_int_equal(wait_exit(pid), 0);
    rt_decref(sem);
}

static void test_event_across_processes(void **state) {
    (void)state;
    assert_string_equal(outcome(make(&rt_mp_Event, 0)), EVENT_REPR);
    RtValue *ev = make(&rt_mp_Event, 0);
    RtValue *t = rt_float(0.01), *z = rt_int(0), *five = rt_float(5.0);
    assert_string_equal(outcome(meth(ev, "wait", NULL, 1, t)), EVENT_WAIT_UNSET);
    pid_t pid = fork_child();
    if (pid == 0) _exit(meth(ev, "wait", NULL, 1, five) == rt_True ? 0 : 1);
    usleep(20000);
    assert_ptr_equal(meth(ev, "set", NULL, 0), rt_None);
    assert_int_equal(wait_exit(pid), 0);
    assert_string_equal(outcome(rt_newref(ev)), EVENT_REPR_SET);
    assert_string_equal(outcome(meth(ev, "wait", NULL, 1, z)), EVENT_WAIT_SET);
    assert_true(truth(meth(ev, "is_set", NULL, 0)));
    assert_ptr_equal(meth(ev, "clear", NULL, 0), rt_None);
    assert_false(truth(meth(ev, "is_set", NULL, 0)));
    /* a child sets it */
    pid = fork_child();
    if (pid == 0) _exit(meth(ev, "set", NULL, 0) == rt_None ? 0 : 1);
    assert_int_equal(wait_exit(pid), 0);
    assert_true(truth(meth(ev, "wait", NULL, 0)));
    rt_decref(ev);
    rt_decref(t);
    rt_decref(five);
}

/* A predicate for wait_for: returns 0 (falsy) or 'yes'. */
static RtValue *pred_zero(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    return rt_int(0);
}
static RtValue *pred_yes(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    return rt_str_from_cstr("yes");
}

static void test_condition_local(void **state) {
    (void)state;
    assert_string_equal(outcome(make(&rt_mp_Condition, 0)), COND_REPR);
    RtValue *plain = make(&rt_mp_Lock, 0);
    assert_string_equal(outcome(make(&rt_mp_Condition, 1, plain)), COND_REPR_LOCK);
    rt_decref(plain);
    RtValue *c = make(&rt_mp_Condition, 0);
    assert_string_equal(outcome(meth(c, "wait", NULL, 0)), COND_WAIT_UNOWNED);
    assert_string_equal(outcome(meth(c, "notify", NULL, 0)), COND_NOTIFY_UNOWNED);
    assert_true(truth(meth(c, "acquire", NULL, 0)));
    RtValue *t = rt_float(0.01);
    assert_string_equal(outcome(meth(c, "wait", NULL, 1, t)), COND_WAIT_TIMEOUT);
    RtValue *pz = rt_builtin_new("pred", pred_zero, NULL, -1), *py = rt_builtin_new("pred", pred_yes, NULL, -1);
    assert_string_equal(outcome(meth(c, "wait_for", NULL, 2, pz, t)), COND_WAIT_FOR_TIMEOUT);
    assert_string_equal(outcome(meth(c, "wait_for", NULL, 1, py)), COND_WAIT_FOR_TRUE);
    assert_ptr_equal(meth(c, "notify", NULL, 0), rt_None);       /* nobody waiting: fine */
    assert_ptr_equal(meth(c, "release", NULL, 0), rt_None);
    rt_decref(c);
    rt_decref(t);
    rt_decref(pz);
    rt_decref(py);
}

/* Children wait on a condition until the parent sets a shared flag and
 * notifies; `all` uses notify_all for two waiters, else notify() twice. */
static void condition_wakeup(RtValue *c, bool all) {
    RtValue *args[2] = {rt_str_from_cstr("i"), rt_int(0)};
    RtValue *flag = rt_mp_Value(NULL, args, 2, NULL);
    int fds[2];
    ready_pipe(fds);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        if ((kids[k] = fork_child()) == 0) {
            RtValue *five = rt_float(5.0);
            if (rt_with_enter(c) == NULL) _exit(2);
            signal_ready(fds[1]);
            int ok = 1;
            for (;;) {
                RtValue *v = rt_getattr(flag, "value");
                if (v != rt_int(0)) { rt_decref(v); break; }
                rt_decref(v);
                RtValue *r = meth(c, "wait", NULL, 1, five);
                if (r != rt_True) { ok = 0; break; }
            }
            (void)rt_with_exit(c, NULL);
            _exit(ok ? 0 : 1);
        }
    }
    await_ready(fds[0]);
    await_ready(fds[0]);
    usleep(20000);                       /* let both reach wait() */
    assert_non_null(rt_with_enter(c));
    RtValue *one = rt_int(1);
    assert_int_equal(rt_setattr(flag, "value", one), 0);
    if (all) {
        assert_ptr_equal(meth(c, "notify_all", NULL, 0), rt_None);
    } else {
        RtValue *n = rt_int(1);
        assert_ptr_equal(meth(c, "notify", "n", 1, n), rt_None);
        assert_ptr_equal(meth(c, "notify", NULL, 0), rt_None);
    }
    assert_int_equal(rt_with_exit(c, NULL), 0);
    for (int k = 0; k < 2; k++) assert_int_equal(wait_exit(kids[k]), 0);
    close(fds[0]);
    close(fds[1]);
    rt_decref(flag);
    rt_decref(args[0]);
}

static void test_condition_across_processes(void **state) {
    (void)state;
    RtValue *c = make(&rt_mp_Condition, 0);
    condition_wakeup(c, true);
    condition_wakeup(c, false);
    rt_decref(c);
    RtValue *lk = make(&rt_mp_Lock, 0);
    c = make(&rt_mp_Condition, 1, lk);          /* over a plain Lock */
    condition_wakeup(c, true);
    rt_decref(c);
    rt_decref(lk);
}

static int *action_calls;                       /* in shared memory */

static RtValue *barrier_action(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    __atomic_add_fetch(action_calls, 1, __ATOMIC_SEQ_CST);
    return rt_newref(rt_None);
}

static void test_barrier_three_processes(void **state) {
    (void)state;
    assert_string_equal(outcome(make(&rt_mp_Barrier, 1, rt_int(2))), BARRIER_REPR);
    action_calls = rt_shm_alloc(sizeof(int) * 4);
    int *seen = action_calls + 1;               /* which indexes came back */
    RtValue *act = rt_builtin_new("action", barrier_action, NULL, -1);
    RtValue *three = rt_int(3);
    RtValue *b = make(&rt_mp_Barrier, 2, three, act);
    assert_string_equal(outcome(rt_getattr(b, "parties")), "3");
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        if ((kids[k] = fork_child()) == 0) {
            RtValue *r = meth(b, "wait", NULL, 0);
            int64_t i;
            if (!r || rt_int_as_i64(r, &i) < 0) _exit(1);
            __atomic_add_fetch(&seen[i], 1, __ATOMIC_SEQ_CST);
            _exit(0);
        }
    }
    RtValue *r = meth(b, "wait", NULL, 0);
    int64_t i;
    assert_non_null(r);
    assert_int_equal(rt_int_as_i64(r, &i), 0);
    __atomic_add_fetch(&seen[i], 1, __ATOMIC_SEQ_CST);
    for (int k = 0; k < 2; k++) assert_int_equal(wait_exit(kids[k]), 0);
    assert_int_equal(*action_calls, 1);
    assert_int_equal(seen[0] + seen[1] + seen[2], 3);
    assert_int_equal(seen[0] * seen[1] * seen[2], 1);
    assert_false(truth(rt_getattr(b, "broken")));
    assert_string_equal(outcome(rt_getattr(b, "n_waiting")), "0");
    rt_decref(b);
    rt_decref(act);
    rt_shm_free(action_calls);
}

static void test_barrier_timeout_and_reset(void **state) {
    (void)state;
    RtValue *two = rt_int(2), *t = rt_float(0.01);
    RtValue *none = rt_newref(rt_None);
    RtValue *b = make(&rt_mp_Barrier, 3, two, none, t);
    assert_string_equal(outcome(meth(b, "wait", NULL, 0)), BARRIER_TIMEOUT);
    assert_string_equal(outcome(rt_newref(b)), BARRIER_REPR_BROKEN);
    assert_string_equal(outcome(rt_getattr(b, "broken")), BARRIER_BROKEN);
    assert_string_equal(outcome(meth(b, "wait", NULL, 0)), BARRIER_WAIT_BROKEN);
    assert_ptr_equal(meth(b, "reset", NULL, 0), rt_None);
    RtValue *tup = rt_tuple_pack(3, rt_getattr(b, "broken"), rt_getattr(b, "n_waiting"), rt_getattr(b, "parties"));
    for (int i = 0; i < 3; i++) rt_decref(RT_TUPLE_GET(tup, i));
    assert_string_equal(outcome(tup), BARRIER_AFTER_RESET);
    /* a waiting child sees abort() as BrokenBarrierError; n_waiting counts it */
    RtValue *b2 = make(&rt_mp_Barrier, 1, two);
    pid_t pid = fork_child();
    if (pid == 0) {
        RtValue *r = meth(b2, "wait", NULL, 0);
        _exit(!r && rt_exc_matches((RtValue *)&rt_exc_BrokenBarrierError) ? 0 : 1);
    }
    for (int i = 0; i < 200; i++) {
        RtValue *n = rt_getattr(b2, "n_waiting");
        bool one = n == rt_int(1);
        rt_decref(n);
        if (one) break;
        usleep(5000);
    }
    assert_string_equal(outcome(rt_getattr(b2, "n_waiting")), "1");
    assert_ptr_equal(meth(b2, "abort", NULL, 0), rt_None);
    assert_int_equal(wait_exit(pid), 0);
    rt_decref(b);
    rt_decref(b2);
    rt_decref(t);
}

/* A child takes the lock, says so, and is SIGKILLed: the parent gets it. */
static void killed_holder(RtValue *lock, double patience) {
    int fds[2];
    ready_pipe(fds);
    pid_t pid = fork_child();
    if (pid == 0) {
        if (rt_mp_lock_acquire(lock, true, -1) != 1) _exit(1);
        signal_ready(fds[1]);
        pause();
        _exit(0);
    }
    await_ready(fds[0]);
    assert_int_equal(rt_mp_lock_acquire(lock, false, -1), 0);   /* held by the child */
    kill(pid, SIGKILL);
    double t0 = now();
    assert_int_equal(rt_mp_lock_acquire(lock, true, patience), 1);
    assert_true(now() - t0 < patience);
    assert_int_equal(rt_mp_lock_release(lock), 0);
    assert_int_equal(wait_exit(pid), 128 + SIGKILL);
    close(fds[0]);
    close(fds[1]);
}

static void test_killed_child_does_not_deadlock(void **state) {
    (void)state;
    RtValue *rl = make(&rt_mp_RLock, 0), *lk = make(&rt_mp_Lock, 0);
    killed_holder(rl, 5.0);                  /* robust mutex: EOWNERDEAD */
    killed_holder(lk, 5.0);                  /* semaphore: the dead holder is noticed */
    /* the lock is still usable, also by other children */
    pid_t pid = fork_child();
    if (pid == 0) _exit(rt_mp_lock_acquire(lk, true, 1.0) == 1 && rt_mp_lock_release(lk) == 0 ? 0 : 1);
    assert_int_equal(wait_exit(pid), 0);
    rt_decref(rl);
    rt_decref(lk);
}

/* The C API other runtime files use: a process-shared robust mutex. */
static void test_shm_mutex_api(void **state) {
    (void)state;
    pthread_mutex_t *m = rt_shm_alloc(sizeof *m);
    pthread_cond_t *c = rt_shm_alloc(sizeof *c);
    assert_int_equal(rt_shm_mutex_init(m), 0);
    assert_int_equal(rt_shm_cond_init(c), 0);
    pid_t pid = fork_child();
    if (pid == 0) {
        if (rt_shm_mutex_lock(m) != RT_SHM_OK) _exit(1);
        _exit(0);                                   /* dies holding it */
    }
    assert_int_equal(wait_exit(pid), 0);
    assert_int_equal(rt_shm_mutex_lock(m), RT_SHM_OWNERDEAD);
    struct timespec d;
    rt_shm_deadline(0.01, &d);
    assert_int_equal(rt_shm_cond_wait(c, m, &d), RT_SHM_TIMEDOUT);
    rt_shm_mutex_unlock(m);
    assert_int_equal(rt_shm_mutex_trylock(m), RT_SHM_OK);
    pid = fork_child();
    if (pid == 0) _exit(rt_shm_mutex_trylock(m) == RT_SHM_TIMEDOUT ? 0 : 1);
    assert_int_equal(wait_exit(pid), 0);
    rt_shm_mutex_unlock(m);
    rt_shm_free(m);
    rt_shm_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locked_counter_two_children),
        cmocka_unit_test(test_lock_basics),
        cmocka_unit_test(test_rlock_reentrancy),
        cmocka_unit_test(test_semaphores),
        cmocka_unit_test(test_event_across_processes),
        cmocka_unit_test(test_condition_local),
        cmocka_unit_test(test_condition_across_processes),
        cmocka_unit_test(test_barrier_three_processes),
        cmocka_unit_test(test_barrier_timeout_and_reset),
        cmocka_unit_test(test_killed_child_does_not_deadlock),
        cmocka_unit_test(test_shm_mutex_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

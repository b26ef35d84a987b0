/* test_proc.c: Process, start methods and contexts (proc.c), with real
 * children.
 *
 * Targets are native functions (RtBuiltin) or entries of a stand-in
 * program's function table. Exit codes, reprs, error messages and the first
 * line a failing child writes to stderr are compared with what CPython
 * produced (mp_expected.h). Every test ends with no zombie left. Under
 * spawn, the child is this test binary re-executed: main() hands over to
 * rt_main when MP2C_SPAWN_FD is set, as a translated program's main does.
 */
#include "mp_testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

/* ==== targets ======================================================================= */

static RtValue *t_exit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)kwnames;
    return rt_sys_exit(nargs ? args[0] : NULL);
}

static RtValue *t_raise(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return rt_raise(&rt_exc_ValueError, "boom");
}

static RtValue *t_sleep(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args; (void)nargs; (void)kwnames;
    sleep(30);
    return rt_newref(rt_None);
}

/* Writes "<a>+<name>=<b>" (its positional and keyword argument) to stdout. */
static RtValue *t_print(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    printf("%s+", nargs ? t_repr(args[0]) : "-");
    if (kwnames) printf("%s=", rt_str_data(RT_TUPLE_GET(kwnames, 0)));
    printf("%s\n", kwnames ? t_repr(args[nargs]) : "-");
    return rt_newref(rt_None);
}

/* Writes its own name, its parent's name and current_process().name to fd args[0]. */
static RtValue *t_report(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)nargs; (void)kwnames;
    int64_t fd;
    if (rt_int_as_i64(args[0], &fd) < 0) return NULL;
    RtValue *cur = rt_mp_current_process(NULL, NULL, 0, NULL);
    RtValue *par = rt_mp_parent_process(NULL, NULL, 0, NULL);
    RtValue *nested = rt_call((RtValue *)&rt_mp_Process, NULL, 0, NULL);
    RtValue *cn = rt_getattr(cur, "name"), *pn = rt_getattr(par, "name"), *nn = rt_getattr(nested, "name");
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s %s %s", rt_str_data(cn), rt_str_data(pn), rt_str_data(nn));
    (void)!write((int)fd, buf, (size_t)n);
    rt_decref(cn); rt_decref(pn); rt_decref(nn); rt_decref(nested); rt_decref(cur); rt_decref(par);
    return rt_newref(rt_None);
}

static RtValue *builtin(const char *name, RtNativeFn fn) { return rt_builtin_new(name, fn, NULL, -1); }

/* ==== helpers ============================================================================ */

/* Process(target=fn, args=args) (args may be NULL). New reference. */
static RtValue *make(RtValue *target, RtValue *args) {
    RtValue *kn = t_kwnames(args ? 2 : 1, "target", "args");
    RtValue *av[2] = { target, args };
    RtValue *p = rt_call((RtValue *)&rt_mp_Process, av, 0, kn);
    rt_decref(kn);
    t_no_exc();
    return p;
}

static int64_t int_attr(RtValue *o, const char *name) {
    RtValue *v = rt_getattr(o, name);
    assert_non_null(v);
    int64_t x = -12345;
    if (v != rt_None) assert_int_equal(rt_int_as_i64(v, &x), 0);
    rt_decref(v);
    return x;
}

/* p.name in a static buffer. */
static const char *name_of(RtValue *p) {
    static char buf[64];
    RtValue *n = rt_getattr(p, "name");
    assert_non_null(n);
    snprintf(buf, sizeof buf, "%s", rt_str_data(n));
    rt_decref(n);
    return buf;
}

static bool attr_is_none(RtValue *o, const char *name) {
    RtValue *v = rt_getattr(o, name);
    bool r = v == rt_None;
    rt_decref(v);
    return r;
}

/* Runs fn(arg) in a child with stderr captured; returns the exit code and
 * the first line of stderr in line[]. */
static int64_t run_capture(RtValue *target, RtValue *args, char *line, size_t n) {
    char path[] = "/tmp/mp2c_test_stderr_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    int saved = dup(2);
    dup2(fd, 2);
    RtValue *p = make(target, args);
    t_ok(t_call(p, "start", 0));
    dup2(saved, 2);
    close(saved);
    t_ok(t_call(p, "join", 0));
    int64_t code = int_attr(p, "exitcode");
    ssize_t k = pread(fd, line, n - 1, 0);
    line[k > 0 ? k : 0] = 0;
    char *nl = strchr(line, '\n');
    if (nl) nl[1] = 0;
    close(fd);
    rt_decref(p);
    return code;
}

/* ==== tests ============================================================================== */

static void test_start_join_exitcodes(void **state) {
    (void)state;
    RtValue *ex = builtin("exit", t_exit), *rs = builtin("boom", t_raise);
    RtValue *three = rt_int(3), *bye = t_str("bye");
    RtValue *a3 = rt_tuple_pack(1, three), *an = rt_tuple_pack(1, rt_None), *am = rt_tuple_pack(1, bye);
    char line[512];
    assert_int_equal(run_capture(ex, a3, line, sizeof line), PROC_CODE_EXIT3);
    assert_string_equal(line, PROC_STDERR_EXIT3);
    assert_int_equal(run_capture(ex, an, line, sizeof line), PROC_CODE_EXITNONE);
    assert_string_equal(line, PROC_STDERR_EXITNONE);
    assert_int_equal(run_capture(ex, am, line, sizeof line), PROC_CODE_EXITMSG);
    assert_string_equal(line, PROC_STDERR_EXITMSG);
    assert_int_equal(run_capture(rs, NULL, line, sizeof line), PROC_CODE_RAISE);
    RtValue *cur = rt_mp_active_children(NULL, NULL, 0, NULL);
    assert_int_equal(RT_LIST_LEN(cur), 0);   /* joined children are forgotten */
    rt_decref(cur);
    /* "Process Process-6:\n" in CPython's run; our count differs */
    assert_int_equal(strncmp(line, PROC_STDERR_RAISE, 16), 0);
    assert_string_equal(line + strlen(line) - 2, ":\n");
    rt_decref(a3); rt_decref(an); rt_decref(am); rt_decref(three); rt_decref(bye);
    rt_decref(ex); rt_decref(rs);
    t_no_zombies();
}

static void test_signals(void **state) {
    (void)state;
    RtValue *sl = builtin("sleeper", t_sleep);
    RtValue *p = make(sl, NULL);
    t_ok(t_call(p, "start", 0));
    RtValue *tmo = rt_float(0.05);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    t_ok(t_call(p, "join", 1, tmo));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(waited >= 0.05 && waited < 5);
    assert_true(attr_is_none(p, "exitcode"));
    RtValue *alive = t_call(p, "is_alive", 0);
    assert_ptr_equal(alive, rt_True);
    assert_null(t_call(p, "close", 0));
    t_expect_exc(PROC_CLOSE_RUNNING_TYPE, PROC_CLOSE_RUNNING_MSG);
    t_ok(t_call(p, "kill", 0));
    t_ok(t_call(p, "join", 0));
    assert_int_equal(int_attr(p, "exitcode"), PROC_CODE_KILL);
    char want[256];
    snprintf(want, sizeof want, PROC_REPR_KILLED, (int)int_attr(p, "pid"), (int)getpid());
    assert_string_equal(t_repr(p), t_subst(want, "Process-7", name_of(p)));
    rt_decref(p);

    p = make(sl, NULL);
    assert_int_equal(rt_setattr(p, "daemon", rt_True), 0);
    t_ok(t_call(p, "start", 0));
    assert_int_equal(rt_setattr(p, "daemon", rt_False), -1);
    t_expect_exc("AssertionError", "process has already started");
    t_ok(t_call(p, "terminate", 0));
    t_ok(t_call(p, "join", 0));
    assert_int_equal(int_attr(p, "exitcode"), PROC_CODE_TERM);
    snprintf(want, sizeof want, PROC_REPR_TERMINATED, (int)int_attr(p, "pid"), (int)getpid());
    assert_string_equal(t_repr(p), t_subst(want, "Process-8", name_of(p)));
    t_ok(t_call(p, "close", 0));
    rt_decref(p);
    rt_decref(tmo);
    rt_decref(sl);
    t_no_zombies();
}

static void test_repr_and_errors(void **state) {
    (void)state;
    RtValue *ex = builtin("exit", t_exit);
    RtValue *p = make(ex, NULL);
    char want[256];
    char pname[64];
    snprintf(pname, sizeof pname, "%s", name_of(p));
    assert_int_equal(strncmp(pname, "Process-", 8), 0);
    snprintf(want, sizeof want, PROC_REPR_INITIAL, (int)getpid());
    assert_string_equal(t_repr(p), t_subst(want, PROC_NAME_1, pname));
    assert_null(t_call(p, "join", 0));
    t_expect_exc(PROC_JOIN_UNSTARTED_TYPE, PROC_JOIN_UNSTARTED_MSG);
    assert_null(t_call(p, "terminate", 0));
    t_expect_exc(PROC_TERMINATE_UNSTARTED_TYPE, PROC_TERMINATE_UNSTARTED_MSG);
    assert_null(rt_getattr(p, "sentinel"));
    t_expect_exc(PROC_SENTINEL_UNSTARTED_TYPE, PROC_SENTINEL_UNSTARTED_MSG);
    assert_true(attr_is_none(p, "exitcode") && attr_is_none(p, "pid"));
    RtValue *three = rt_int(3);
    assert_int_equal(rt_setattr(p, "name", three), -1);
    t_expect_exc(PROC_NAME_NOT_STR_TYPE, PROC_NAME_NOT_STR_MSG);
    t_ok(t_call(p, "start", 0));
    assert_true(int_attr(p, "sentinel") >= 0);
    t_ok(t_call(p, "join", 0));
    int pid = (int)int_attr(p, "pid");
    snprintf(want, sizeof want, PROC_REPR_STOPPED, pid, (int)getpid());
    assert_string_equal(t_repr(p), t_subst(want, PROC_NAME_1, pname));
    assert_null(t_call(p, "start", 0));
    t_expect_exc(PROC_START_TWICE_TYPE, PROC_START_TWICE_MSG);
    t_ok(t_call(p, "close", 0));
    snprintf(want, sizeof want, PROC_REPR_CLOSED, (int)getpid());
    assert_string_equal(t_repr(p), t_subst(want, PROC_NAME_1, pname));
    assert_null(t_call(p, "is_alive", 0));
    t_expect_exc(PROC_CLOSED_TYPE, PROC_CLOSED_MSG);
    rt_decref(p);

    RtValue *kn = t_kwnames(1, "foo");
    assert_null(rt_call((RtValue *)&rt_mp_Process, &three, 0, kn));
    t_expect_exc(PROC_BAD_KW_TYPE, PROC_BAD_KW_MSG);
    rt_decref(kn);
    kn = t_kwnames(1, "group");
    assert_null(rt_call((RtValue *)&rt_mp_Process, &three, 0, kn));
    t_expect_exc(PROC_GROUP_TYPE, PROC_GROUP_MSG);
    rt_decref(kn);
    RtValue *cur = rt_mp_current_process(NULL, NULL, 0, NULL);
    assert_string_equal(t_repr(cur), PROC_MAIN_REPR);
    rt_decref(cur);
    RtValue *par = rt_mp_parent_process(NULL, NULL, 0, NULL);
    assert_ptr_equal(par, rt_None);
    rt_decref(three);
    rt_decref(ex);
    t_no_zombies();
}

/* args and kwargs reach the target; buffered output is neither lost nor doubled. */
static void test_args_and_output(void **state) {
    (void)state;
    char path[] = "/tmp/mp2c_test_stdout_XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    printf("before\n");   /* still in the buffer at fork time */
    RtValue *pr = builtin("pr", t_print), *seven = rt_int(7), *kw = rt_dict_new();
    RtValue *x = t_str("x");
    assert_int_equal(rt_dict_set_cstr(kw, "k", x), 0);
    RtValue *args = rt_tuple_pack(1, seven);
    RtValue *kn = t_kwnames(3, "target", "args", "kwargs");
    RtValue *av[3] = { pr, args, kw };
    RtValue *p = rt_call((RtValue *)&rt_mp_Process, av, 0, kn);
    t_ok(t_call(p, "start", 0));
    t_ok(t_call(p, "join", 0));
    printf("after\n");
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    char buf[256] = { 0 };
    assert_true(pread(fd, buf, sizeof buf - 1, 0) > 0);
    close(fd);
    assert_string_equal(buf, "before\n7+k='x'\nafter\n");
    rt_decref(p); rt_decref(kn); rt_decref(args); rt_decref(x); rt_decref(kw); rt_decref(seven); rt_decref(pr);
    t_no_zombies();
}

/* current_process/parent_process in a child, and nested names "Process-N:1". */
static void test_child_view(void **state) {
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    RtValue *rep = builtin("report", t_report), *wfd = rt_int(fds[1]);
    RtValue *args = rt_tuple_pack(1, wfd);
    RtValue *p = make(rep, args);
    RtValue *name = rt_getattr(p, "name");
    t_ok(t_call(p, "start", 0));
    close(fds[1]);
    char buf[256] = { 0 };
    assert_true(read(fds[0], buf, sizeof buf - 1) > 0);
    close(fds[0]);
    t_ok(t_call(p, "join", 0));
    char want[256];
    snprintf(want, sizeof want, "%s MainProcess %s:1", rt_str_data(name), rt_str_data(name));
    assert_string_equal(buf, want);
    assert_int_equal(strncmp(PROC_NESTED_NAME + strlen(PROC_NESTED_NAME) - 2, ":1", 2), 0);
    rt_decref(name); rt_decref(p); rt_decref(args); rt_decref(wfd); rt_decref(rep);
    t_no_zombies();
}

/* rt_mp_at_exit terminates daemons and joins the others. */
static void test_at_exit(void **state) {
    (void)state;
    RtValue *sl = builtin("sleeper", t_sleep), *ex = builtin("exit", t_exit);
    RtValue *d = make(sl, NULL), *n = make(ex, NULL);
    assert_int_equal(rt_setattr(d, "daemon", rt_True), 0);
    t_ok(t_call(d, "start", 0));
    t_ok(t_call(n, "start", 0));
    RtValue *kids = rt_mp_active_children(NULL, NULL, 0, NULL);
    assert_true(RT_LIST_LEN(kids) >= 1);
    rt_decref(kids);
    rt_mp_at_exit();
    assert_int_equal(int_attr(d, "exitcode"), -SIGTERM);
    assert_int_equal(int_attr(n, "exitcode"), 0);
    rt_decref(d); rt_decref(n); rt_decref(sl); rt_decref(ex);
    t_no_zombies();
}

static void test_start_methods(void **state) {
    (void)state;
    RtValue *all = rt_mp_get_all_start_methods(NULL, NULL, 0, NULL);
    assert_string_equal(t_repr(all), MP_ALL_METHODS);
    rt_decref(all);
    RtValue *x = t_str("x"), *spawn = t_str("spawn"), *fork = t_str("fork");
    assert_null(rt_mp_get_context(NULL, &x, 1, NULL));
    t_expect_exc(MP_BAD_CONTEXT_TYPE, MP_BAD_CONTEXT_MSG);
    RtValue *ctx = rt_mp_get_context(NULL, &spawn, 1, NULL);
    char want[128];
    snprintf(want, sizeof want, MP_SPAWN_CONTEXT_REPR, (void *)ctx);
    assert_string_equal(t_repr(ctx), want);
    RtValue *cls = rt_getattr(ctx, "Process");
    assert_string_equal(t_repr(cls), MP_SPAWN_PROCESS_CLASS);
    rt_decref(cls);
    assert_null(t_call(ctx, "set_start_method", 1, fork));
    t_expect_exc(MP_CONCRETE_SET_TYPE, MP_CONCRETE_SET_MSG);
    RtValue *m = t_call(ctx, "get_start_method", 0);
    assert_string_equal(t_repr(m), "'spawn'");
    rt_decref(m);
    rt_decref(ctx);
    /* earlier tests started processes: the default context is fixed */
    assert_null(rt_mp_set_start_method(NULL, &spawn, 1, NULL));
    t_expect_exc(MP_SET_TWICE_TYPE, MP_SET_TWICE_MSG);
    RtValue *kn = t_kwnames(1, "force"), *av[2] = { fork, rt_True };
    t_ok(rt_mp_set_start_method(NULL, av, 1, kn));
    rt_decref(kn);
    rt_decref(x); rt_decref(spawn); rt_decref(fork);
}

/* ==== os and time ======================================================================== */

static void on_alarm(int sig) { (void)sig; }

/* time.sleep sleeps the whole duration even when signals interrupt it. */
static void test_sleep_and_os(void **state) {
    (void)state;
    struct sigaction sa = { .sa_handler = on_alarm };   /* no SA_RESTART: EINTR */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = { .it_interval = { 0, 20000 }, .it_value = { 0, 20000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    RtValue *d = rt_float(0.25);
    double t0 = rt_time_monotonic_f64();
    t_ok(rt_time_sleep(NULL, &d, 1, NULL));
    double waited = rt_time_monotonic_f64() - t0;
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    assert_true(waited >= 0.25);
    rt_decref(d);
    RtValue *neg = rt_int(-1), *s = t_str("1");
    assert_null(rt_time_sleep(NULL, &neg, 1, NULL));
    t_expect_exc(TIME_SLEEP_NEG_TYPE, TIME_SLEEP_NEG_MSG);
    assert_null(rt_time_sleep(NULL, &s, 1, NULL));
    t_expect_exc(TIME_SLEEP_STR_TYPE, TIME_SLEEP_STR_MSG);
    RtValue *one = rt_int(1);
    assert_null(rt_os_getenv(NULL, &one, 1, NULL));
    t_expect_exc(OS_GETENV_INT_TYPE, OS_GETENV_INT_MSG);
    RtValue *kargs[2] = { rt_int(4194305), rt_int(0) };
    assert_null(rt_os_kill(NULL, kargs, 2, NULL));
    t_expect_exc(OS_KILL_NOPROC_TYPE, OS_KILL_NOPROC_MSG);
    RtValue *pid = rt_os_getpid(NULL, NULL, 0, NULL);
    int64_t v;
    assert_int_equal(rt_int_as_i64(pid, &v), 0);
    assert_int_equal(v, getpid());
    RtValue *path = t_str("PATH"), *got = rt_os_getenv(NULL, &path, 1, NULL);
    assert_string_equal(rt_str_data(got), getenv("PATH"));
    RtValue *env = rt_os_getattr("environ");
    assert_ptr_equal(rt_dict_get_cstr(env, "PATH") != NULL, true);
    rt_decref(env); rt_decref(got); rt_decref(path); rt_decref(pid);
    rt_decref(kargs[0]); rt_decref(kargs[1]); rt_decref(one); rt_decref(s); rt_decref(neg);
}

/* ==== spawn: the child is this binary re-executed ======================================== */

static RtValue *square_entry(RtFunc *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)kwnames;
    if (nargs != 2) return rt_raise(&rt_exc_TypeError, "square(x, fd)");
    int64_t x, fd;
    if (rt_int_as_i64(args[0], &x) < 0 || rt_int_as_i64(args[1], &fd) < 0) return NULL;
    RtValue *cur = rt_mp_current_process(NULL, NULL, 0, NULL);
    RtValue *name = rt_getattr(cur, "name");
    char buf[128];
    int n = snprintf(buf, sizeof buf, "%lld %s %d", (long long)(x * x), rt_str_data(name),
                     getenv(RT_MP_SPAWN_ENV) != NULL);
    (void)!write((int)fd, buf, (size_t)n);
    rt_decref(name);
    rt_decref(cur);
    return rt_sys_exit(x == 5 ? NULL : args[0]);
}

static RtValue *functions[1];
static int module_init(bool as_main) {
    assert_false(as_main);
    functions[0] = rt_func_new("square", "square", square_entry, 0, NULL, NULL, NULL, 0);
    return 0;
}
static RtProgram prog = { .path = "test_proc.py", .functions = functions, .nfunctions = 1,
                          .module_init = module_init };

static void test_spawn(void **state) {
    (void)state;
    /* under valgrind /proc/self/exe is valgrind's own launcher */
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload")) skip();
    rt_program = &prog;
    if (!functions[0]) functions[0] = rt_func_new("square", "square", square_entry, 0, NULL, NULL, NULL, 0);
    int fds[2];
    assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
    RtValue *spawn = t_str("spawn"), *five = rt_int(5), *wfd = rt_int(fds[1]);
    RtValue *ctx = rt_mp_get_context(NULL, &spawn, 1, NULL);
    RtValue *cls = rt_getattr(ctx, "Process");
    RtValue *args = rt_tuple_pack(2, five, wfd);
    RtValue *kn = t_kwnames(2, "target", "args"), *av[2] = { functions[0], args };
    RtValue *p = rt_call(cls, av, 0, kn);
    t_no_exc();
    RtValue *name = rt_getattr(p, "name");
    assert_int_equal(strncmp(rt_str_data(name), "SpawnProcess-", 13), 0);
    /* the write end is passed as a plain int: make it inheritable for the exec */
    fcntl(fds[1], F_SETFD, 0);
    t_ok(t_call(p, "start", 0));
    close(fds[1]);
    char buf[128] = { 0 };
    assert_true(read(fds[0], buf, sizeof buf - 1) > 0);
    close(fds[0]);
    t_ok(t_call(p, "join", 0));
    char want[128];
    snprintf(want, sizeof want, "25 %s 0", rt_str_data(name));
    assert_string_equal(buf, want);
    assert_int_equal(int_attr(p, "exitcode"), 0);
    rt_decref(p); rt_decref(name); rt_decref(kn); rt_decref(args); rt_decref(cls); rt_decref(ctx);
    rt_decref(wfd); rt_decref(five); rt_decref(spawn);
    t_no_zombies();
}

int main(int argc, char **argv) {
    if (getenv(RT_MP_SPAWN_ENV)) return rt_main(&prog, argc, argv);
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_join_exitcodes),
        cmocka_unit_test(test_signals),
        cmocka_unit_test(test_repr_and_errors),
        cmocka_unit_test(test_args_and_output),
        cmocka_unit_test(test_child_view),
        cmocka_unit_test(test_at_exit),
        cmocka_unit_test(test_start_methods),
        cmocka_unit_test(test_sleep_and_os),
        cmocka_unit_test(test_spawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

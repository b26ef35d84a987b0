/* program.c: a translated program's life — rt_main, standard streams,
 * print(), and the `sys` module.
 *
 * Standard streams follow CPython's buffering, because the order of lines
 * from several processes sharing one pipe depends on it:
 *   - PYTHONUNBUFFERED set (non-empty): stdout and stderr unbuffered;
 *   - otherwise stdout is line buffered on a terminal and block buffered
 *     (8 KiB) on a pipe or a file, and stderr is line buffered.
 * Before every fork the runtime flushes both (rt_flush_std), and a child
 * flushes before _exit, so no buffered output is printed twice or lost.
 */
#include "mp2c.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const RtProgram *rt_program;
const char *rt_script_path;   /* absolute, as CPython shows the main script's path */
static int saved_argc;
static char **saved_argv;

/* Provided by proc.c and shm.c. Weak references do not pull those files out
 * of the archive: a program that uses no process or shared memory has none
 * to clean up, and links without them. */
extern int  rt_mp_spawn_child_main(const RtProgram *prog) __attribute__((weak));
extern void rt_mp_at_exit(void) __attribute__((weak));
extern void rt_shm_cleanup_all(void) __attribute__((weak));

void rt_flush_std(void) {
    fflush(stdout);
    fflush(stderr);
}

static char stdout_buf[8192];

static void setup_stdio(void) {
    const char *unbuf = getenv("PYTHONUNBUFFERED");
    if (unbuf && *unbuf) {
        setvbuf(stdout, NULL, _IONBF, 0);
        setvbuf(stderr, NULL, _IONBF, 0);
        return;
    }
    if (isatty(STDOUT_FILENO)) setvbuf(stdout, NULL, _IOLBF, 0);
    else setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
    setvbuf(stderr, NULL, _IOLBF, 0);
}

/* Ctrl-C and kill: remove shared-memory segments before dying, then die of
 * the same signal so the parent sees the right status. */
void rt_fatal_signal(int sig) {
    if (rt_shm_cleanup_all) rt_shm_cleanup_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void setup_signals(void) {
    signal(SIGPIPE, SIG_IGN);   /* as CPython: a closed pipe is an EPIPE error */
    rt_signals_init();   /* SIGINT: KeyboardInterrupt */
    signal(SIGTERM, rt_fatal_signal);
    signal(SIGHUP, rt_fatal_signal);
}

/* CPython makes the main script's path absolute (against the working
 * directory) for tracebacks and __file__; so do we. */
static void set_script_path(const char *path) {
    static char buf[4096];
    rt_script_path = path;
    if (!path || path[0] == '/' || !getcwd(buf, sizeof buf - 1)) return;
    size_t n = strlen(buf);
    while (path[0] == '.' && path[1] == '/') path += 2;
    if (n + strlen(path) + 2 > sizeof buf) return;
    buf[n] = '/';
    strcpy(buf + n + 1, path);
    rt_script_path = buf;
}

/* ==== recursion limit ======================================================= */

_Thread_local const char *rt_stack_floor;
static int recursion_limit = 1000;     /* CPython's default */

/* The main thread's stack: glibc reads its extent from /proc/self/maps and
 * RLIMIT_STACK. */
static const char *main_stack_floor;

static void set_main_stack_floor(void) {
    pthread_attr_t a;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &a) != 0) return;
    if (pthread_attr_getstack(&a, &lo, &size) == 0) {
        /* a generator that is running keeps its own floor */
        bool on_main = rt_stack_floor == main_stack_floor;
        main_stack_floor = (const char *)lo + RT_STACK_MARGIN;
        if (on_main) rt_stack_floor = main_stack_floor;
    }
    pthread_attr_destroy(&a);
}

int rt_recursion_error(void) {
    /* a signal raised the floor to stop here: run its Python handler */
    if (rt_signals_tripped()) {
        if (rt_signals_run() < 0) return -1;
        if ((const char *)__builtin_frame_address(0) >= rt_stack_floor) return 0;
    }
    rt_raise(&rt_exc_RecursionError, "maximum recursion depth exceeded");
    return -1;
}

RtValue *rt_sys_getrecursionlimit_fn(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (rt_check_args("getrecursionlimit", nargs, kwnames, 0, 0) < 0) return NULL;
    return rt_int(recursion_limit);
}

/* CPython 3.11 keeps Python frames off the C stack, so a script may raise
 * the limit to recurse deeply. Our frames are C frames: allow about 1 KiB
 * of stack per level by raising the soft limit (Linux grows the main stack
 * up to the current limit), within the hard limit and 256 MiB. */
static void grow_main_stack(int64_t levels) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return;
    rlim_t want = (rlim_t)levels * 1024 + (8u << 20);
    if (want > (256u << 20)) want = 256u << 20;
    if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max) want = rl.rlim_max;
    if (want <= rl.rlim_cur) return;
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_STACK, &rl) == 0) set_main_stack_floor();
}

RtValue *rt_sys_setrecursionlimit_fn(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("setrecursionlimit", nargs, kwnames, 1, 1) < 0) return NULL;
    int64_t n;
    if (rt_index_as_i64(args[0], &n) < 0) return NULL;
    if (n > INT32_MAX) return rt_raise(&rt_exc_OverflowError, "Python int too large to convert to C int");
    if (n < 1) return rt_raise(&rt_exc_ValueError, "recursion limit must be greater or equal than 1");
    recursion_limit = (int)n;
    grow_main_stack(n);
    return rt_None;
}

int rt_main(const RtProgram *prog, int argc, char **argv) {
    rt_program = prog;
    set_main_stack_floor();
    set_script_path(prog->path);
    saved_argc = argc;
    saved_argv = argv;
    setup_stdio();
    setup_signals();
    if (rt_mp_spawn_child_main && getenv(RT_MP_SPAWN_ENV)) {
        int code = rt_mp_spawn_child_main(prog);
        rt_flush_std();
        return code;
    }
    int status = 0;
    bool interrupted = false;
    if (prog->module_init(true) < 0 || rt_signal_point() < 0) {   /* a signal at the very end too */
        interrupted = rt_exc_matches((RtValue *)&rt_exc_KeyboardInterrupt);
        status = rt_exc_report_uncaught();
    }
    if (rt_mp_at_exit) rt_mp_at_exit();
    if (rt_shm_cleanup_all) rt_shm_cleanup_all();
    rt_flush_std();
    if (interrupted) {   /* as CPython: after the traceback, die of SIGINT so the shell sees it */
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
    }
    return status;
}

/* ==== sys ================================================================== */

RtValue *rt_sys_exit(RtValue *code) {
    RtValue *args[1] = {code};
    RtValue *exc = rt_call((RtValue *)&rt_exc_SystemExit, args, code ? 1 : 0, NULL);
    if (!exc) return NULL;
    rt_exc_raise_new(exc);
    return NULL;
}

RtValue *rt_sys_argv(void) {
    RtValue *l = rt_list_new((size_t)(saved_argc > 0 ? saved_argc : 1));
    if (!l) return NULL;
    /* argv[0] is the script's path, as CPython shows it */
    const char *script = rt_program && rt_program->path ? rt_program->path : "";
    for (int i = 0; i < (saved_argc > 0 ? saved_argc : 1); i++) {
        RtValue *s = rt_str_from_cstr(i == 0 ? script : saved_argv[i]);
        if (!s || rt_list_append(l, s) < 0) {
            rt_xdecref(s);
            rt_decref(l);
            return NULL;
        }
        rt_decref(s);
    }
    return l;
}

/* sys.exit([code]) as a native function. */
RtValue *rt_sys_exit_fn(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("exit", nargs, kwnames, 0, 1) < 0) return NULL;
    return rt_sys_exit(nargs ? args[0] : NULL);
}

/* multiprocessing.freeze_support(): only does something for frozen Windows
 * executables; a no-op here as in CPython on Linux. */
RtValue *rt_mp_freeze_support(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (rt_check_args("freeze_support", nargs, kwnames, 0, 0) < 0) return NULL;
    return rt_None;
}

/* ==== sys.stdout and sys.stderr ============================================= */

typedef struct StdStream { RtValue ob; FILE **fp; const char *name; } StdStream;

static FILE *stream_file(RtValue *o) { return *((StdStream *)o)->fp; }

static RtValue *stream_m_write(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("write", nargs, kw, 1, 1) < 0) return NULL;
    if (!rt_is_str(args[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "write() argument must be str, not %s", args[0]->type->name);
    fwrite(rt_str_data(args[0]), 1, rt_str_nbytes(args[0]), stream_file(self));
    return rt_int((int64_t)((RtStr *)args[0])->ncp);
}

static RtValue *stream_m_flush(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("flush", nargs, kw, 0, 0) < 0) return NULL;
    fflush(stream_file(self));
    return rt_None;
}

static RtValue *stream_m_fileno(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("fileno", nargs, kw, 0, 0) < 0) return NULL;
    return rt_int(fileno(stream_file(self)));
}

static RtValue *stream_m_isatty(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("isatty", nargs, kw, 0, 0) < 0) return NULL;
    return rt_bool(isatty(fileno(stream_file(self))));
}

static RtValue *stream_repr(RtValue *self) {
    char buf[128];
    snprintf(buf, sizeof buf, "<_io.TextIOWrapper name='%s' mode='w' encoding='utf-8'>",
             ((StdStream *)self)->name);
    return rt_str_from_cstr(buf);
}

static const RtMethodDef stream_methods[] = {
    {"write", stream_m_write},
    {"flush", stream_m_flush},
    {"fileno", stream_m_fileno},
    {"isatty", stream_m_isatty},
    {NULL, NULL},
};

static RtType stream_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "TextIOWrapper", .module = "_io",
    .tag = RT_T_NATIVE, .size = sizeof(StdStream), .repr = stream_repr,
    .methods = stream_methods,
};

static StdStream stdout_obj = {RT_STATIC_HEAD(&stream_type), &stdout, "<stdout>"};
static StdStream stderr_obj = {RT_STATIC_HEAD(&stream_type), &stderr, "<stderr>"};
RtValue *const rt_sys_stdout = &stdout_obj.ob;
RtValue *const rt_sys_stderr = &stderr_obj.ob;

/* ==== print ================================================================== */

static int check_sep(RtValue *v, const char *what) {
    if (!v || v == rt_None || rt_is_str(v)) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s must be None or a string, not %s", what, v->type->name);
    return -1;
}

/* Writes s to a FILE or through a file object's write(). */
static int emit(FILE *f, RtValue *fobj, RtValue *s) {
    if (f) {
        fwrite(rt_str_data(s), 1, rt_str_nbytes(s), f);
        return 0;
    }
    RtValue *r = rt_call_method(fobj, "write", &s, 1, NULL);
    if (!r) return -1;
    rt_decref(r);
    return 0;
}

int rt_print(RtValue *const *args, size_t n, RtValue *sep, RtValue *end, RtValue *file, bool flush) {
    if (rt_signal_point() < 0) return -1;   /* a loop of prints and sleeps still sees signals */
    if (check_sep(sep, "sep") < 0 || check_sep(end, "end") < 0) return -1;
    FILE *f = stdout;
    RtValue *fobj = NULL;
    if (file && file != rt_None) {
        if (file->type == &stream_type) f = stream_file(file);
        else { f = NULL; fobj = file; }
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            if (sep && sep != rt_None) { if (emit(f, fobj, sep) < 0) return -1; }
            else if (f) fputc(' ', f);
            else {
                RtValue *sp = rt_str_const(" ", 1);
                if (emit(f, fobj, sp) < 0) return -1;
            }
        }
        RtValue *s = rt_str(args[i]);
        if (!s) return -1;
        int r = emit(f, fobj, s);
        rt_decref(s);
        if (r < 0) return -1;
    }
    if (end && end != rt_None) { if (emit(f, fobj, end) < 0) return -1; }
    else if (f) fputc('\n', f);
    else {
        RtValue *nl = rt_str_const("\n", 1);
        if (emit(f, fobj, nl) < 0) return -1;
    }
    if (flush) {
        if (f) fflush(f);
        else {
            RtValue *r = rt_call_method(fobj, "flush", NULL, 0, NULL);
            if (!r) return -1;
            rt_decref(r);
        }
    }
    return 0;
}

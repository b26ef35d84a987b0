/* osmod.c: the parts of the os and time modules that multiprocessing
 * scripts use: process ids, environment, signals, clocks and sleeping.
 *
 * Each function is a thin wrapper over one system call, with CPython's
 * argument checks and messages. The key idea is time.sleep: it sleeps to an
 * absolute deadline on CLOCK_MONOTONIC with clock_nanosleep(2), so a signal
 * that interrupts it (EINTR: a child exiting, a timer) never shortens the
 * sleep, as PEP 475 promises in CPython.
 */
#include "mp2c.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int no_args(const char *fname, size_t nargs, RtValue *kwnames) {
    if (nargs == 0 && (!kwnames || RT_TUPLE_LEN(kwnames) == 0)) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", fname,
                 nargs + (kwnames ? RT_TUPLE_LEN(kwnames) : 0));
    return -1;
}

/* Positional-only parameters, as the C functions of os and time take them. */
static int exact_args(const char *fname, size_t min, size_t max, size_t nargs, RtValue *kwnames) {
    if (kwnames && RT_TUPLE_LEN(kwnames)) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", fname);
        return -1;
    }
    if (nargs >= min && nargs <= max) return 0;
    if (min == max)
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly %zu argument%s (%zu given)", fname, min,
                     min == 1 ? "" : "s", nargs);
    else if (nargs < min)
        rt_raise_fmt(&rt_exc_TypeError, "%s expected at least %zu argument%s, got %zu", fname, min,
                     min == 1 ? "" : "s", nargs);
    else
        rt_raise_fmt(&rt_exc_TypeError, "%s expected at most %zu arguments, got %zu", fname, max, nargs);
    return -1;
}

/* ==== os ============================================================================ */

RtValue *rt_os_getpid(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (no_args("getpid", nargs, kwnames) < 0) return NULL;
    return rt_int(getpid());
}

RtValue *rt_os_getppid(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (no_args("getppid", nargs, kwnames) < 0) return NULL;
    return rt_int(getppid());
}

RtValue *rt_os_cpu_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (no_args("cpu_count", nargs, kwnames) < 0) return NULL;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? rt_newref(rt_None) : rt_int(n);
}

/* os.getenv(key, default=None): os.environ's key check, then getenv(3). */
RtValue *rt_os_getenv(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "key", "default" };
    static RtValue *defs;
    RtValue *a[2];
    (void)self;
    if (!defs && !(defs = rt_tuple_pack(1, rt_None))) return NULL;
    RtParamSpec spec = { .fname = "getenv", .names = names, .npos = 2 };
    if (rt_bind_args(&spec, args, nargs, kwnames, defs, NULL, a, NULL, NULL) < 0) return NULL;
    if (!rt_is_str(a[0])) return rt_raise_fmt(&rt_exc_TypeError, "str expected, not %s", a[0]->type->name);
    const char *v = getenv(rt_str_data(a[0]));
    return v ? rt_str_from_cstr(v) : rt_newref(a[1]);
}

static int int_arg(RtValue *v, int *out) {
    int64_t x;
    if (rt_int_as_i64(v, &x) < 0) return -1;
    if (x < INT_MIN || x > INT_MAX) {
        rt_raise(&rt_exc_OverflowError, "signed integer is greater than maximum");
        return -1;
    }
    *out = (int)x;
    return 0;
}

/* os.kill(pid, signal): kill(2). */
RtValue *rt_os_kill(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    int pid, sig;
    (void)self;
    if (exact_args("kill", 2, 2, nargs, kwnames) < 0) return NULL;
    if (int_arg(args[0], &pid) < 0 || int_arg(args[1], &sig) < 0) return NULL;
    if (kill(pid, sig) < 0) return rt_raise_errno(errno, NULL);
    /* a signal sent to ourselves arrives before kill returns: its handler runs now */
    if (rt_signals_pending && rt_signals_run() < 0) return NULL;
    return rt_newref(rt_None);
}

/* os._exit(n): _exit(2) at once; buffered output is lost, as in CPython. */
RtValue *rt_os__exit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    int code;
    (void)self;
    if (exact_args("_exit", 1, 1, nargs, kwnames) < 0 || int_arg(args[0], &code) < 0) return NULL;
    _exit(code);
}

RtValue *rt_os_getcwd(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    char buf[4096];
    (void)self; (void)args;
    if (no_args("getcwd", nargs, kwnames) < 0) return NULL;
    if (!getcwd(buf, sizeof buf)) return rt_raise_errno(errno, NULL);
    return rt_str_from_cstr(buf);
}

/* os.environ as a dict snapshot of environ(7). */
static RtValue *environ_dict(void) {
    RtValue *d = rt_dict_new();
    for (char **e = environ; d && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || eq == *e) continue;
        RtValue *k = rt_str_new(*e, (size_t)(eq - *e));
        RtValue *v = k ? rt_str_from_cstr(eq + 1) : NULL;
        if (!v || rt_dict_set(d, k, v) < 0) RT_CLEAR(d);
        rt_xdecref(k);
        rt_xdecref(v);
    }
    return d;
}

RtValue *rt_os_getattr(const char *name) {
    static const char *const consts[][2] = {
        { "sep", "/" }, { "linesep", "\n" }, { "pathsep", ":" }, { "curdir", "." },
        { "pardir", ".." }, { "extsep", "." }, { "devnull", "/dev/null" }, { "name", "posix" },
    };
    if (strcmp(name, "environ") == 0) return environ_dict();
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (strcmp(name, consts[i][0]) == 0) return rt_str_from_cstr(consts[i][1]);
    return rt_raise_fmt(&rt_exc_AttributeError, "module 'os' has no attribute '%s'", name);
}

/* ==== time: clocks ======================================================================= */

static double clock_f64(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static RtValue *clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return rt_int((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

double rt_time_time_f64(void) { return clock_f64(CLOCK_REALTIME); }
double rt_time_monotonic_f64(void) { return clock_f64(CLOCK_MONOTONIC); }
double rt_time_perf_counter_f64(void) { return clock_f64(CLOCK_MONOTONIC); }

#define CLOCK_FN(fname, pyname, clock) \
    RtValue *fname(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) { \
        (void)self; (void)args; \
        if (no_args(pyname, nargs, kwnames) < 0 || rt_signal_point() < 0) return NULL; \
        return rt_float(clock_f64(clock)); \
    } \
    RtValue *fname##_ns(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) { \
        (void)self; (void)args; \
        if (no_args(pyname "_ns", nargs, kwnames) < 0) return NULL; \
        return clock_ns(clock); \
    }
CLOCK_FN(rt_time_time, "time", CLOCK_REALTIME)
CLOCK_FN(rt_time_monotonic, "monotonic", CLOCK_MONOTONIC)
CLOCK_FN(rt_time_perf_counter, "perf_counter", CLOCK_MONOTONIC)
CLOCK_FN(rt_time_process_time, "process_time", CLOCK_PROCESS_CPUTIME_ID)

/* ==== time.sleep ================================================================================ */

/* concurrent.futures (futures.c); weak: linked only by programs that use it. */
extern int rt_futures_sleep_until(int64_t deadline_ns) __attribute__((weak));

int rt_time_sleep_f64(double secs) {
    if (isnan(secs)) { rt_raise(&rt_exc_ValueError, "Invalid value NaN (not a number)"); return -1; }
    if (secs < 0) { rt_raise(&rt_exc_ValueError, "sleep length must be non-negative"); return -1; }
    if (secs > 9.2e9) { rt_raise(&rt_exc_OverflowError, "timestamp too large to convert to C _PyTime_t"); return -1; }
    if (rt_signal_point() < 0) return -1;   /* a signal that came before the sleep */
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double whole = floor(secs);
    end.tv_sec += (time_t)whole;
    end.tv_nsec += (long)((secs - whole) * 1e9);
    if (end.tv_nsec >= 1000000000) { end.tv_sec++; end.tv_nsec -= 1000000000; }
    /* With executor work in flight, the wait feeds its workers meanwhile (the
     * job CPython's manager threads do while the main thread sleeps). Weak:
     * only programs that use concurrent.futures link it. */
    if (rt_futures_sleep_until) {
        int f = rt_futures_sleep_until((int64_t)end.tv_sec * 1000000000 + end.tv_nsec);
        if (f != 0) return f < 0 ? -1 : 0;
    }
    int r;
    while ((r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &end, NULL)) == EINTR) {
        /* interrupted: run a Python signal handler, then sleep on to the same deadline */
        if (rt_signals_pending && rt_signals_run() < 0) return -1;
    }
    if (r != 0) { rt_raise_errno(r, NULL); return -1; }
    return rt_signal_point();   /* one that came without interrupting the sleep (under valgrind) */
}

RtValue *rt_time_sleep(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    double secs;
    (void)self;
    if (exact_args("sleep", 1, 1, nargs, kwnames) < 0) return NULL;
    RtValue *v = args[0];
    if (!rt_is_int(v) && !rt_is_float(v))
        return rt_raise_fmt(&rt_exc_TypeError, "'%s' object cannot be interpreted as an integer", v->type->name);
    if (rt_as_double(v, &secs) < 0 || rt_time_sleep_f64(secs) < 0) return NULL;
    return rt_newref(rt_None);
}

/* ==== time.strftime ============================================================================ */

/* A struct_time-like 9-tuple (year, mon, mday, hour, min, sec, wday, yday, isdst). */
static int tm_from_tuple(RtValue *t, struct tm *tm) {
    int f[9];
    if (!rt_is_tuple(t) || RT_TUPLE_LEN(t) != 9) {
        rt_raise(&rt_exc_TypeError, "Tuple or struct_time argument required");
        return -1;
    }
    for (int i = 0; i < 9; i++)
        if (int_arg(RT_TUPLE_GET(t, i), &f[i]) < 0) return -1;
    *tm = (struct tm){ .tm_year = f[0] - 1900, .tm_mon = f[1] - 1, .tm_mday = f[2], .tm_hour = f[3],
                       .tm_min = f[4], .tm_sec = f[5], .tm_wday = (f[6] + 1) % 7, .tm_yday = f[7] - 1,
                       .tm_isdst = f[8] };
    return 0;
}

/* time.strftime(format[, t]): localtime_r(3) now, or the given 9-tuple. */
RtValue *rt_time_strftime(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    struct tm tm;
    (void)self;
    if (exact_args("strftime", 1, 2, nargs, kwnames) < 0) return NULL;
    if (!rt_is_str(args[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "strftime() argument 1 must be str, not %s", args[0]->type->name);
    if (nargs == 2) {
        if (tm_from_tuple(args[1], &tm) < 0) return NULL;
    } else {
        time_t now = time(NULL);
        localtime_r(&now, &tm);
    }
    /* A format may legitimately produce "": grow until strftime fits. */
    for (size_t cap = 256; cap <= 1u << 20; cap *= 4) {
        char *buf = rt_malloc(cap);
        if (!buf) return NULL;
        size_t n = strftime(buf, cap, rt_str_data(args[0]), &tm);
        if (n > 0 || rt_str_nbytes(args[0]) == 0 || cap >= 1u << 16) {
            RtValue *s = rt_str_new(buf, n);
            rt_free(buf);
            return s;
        }
        rt_free(buf);
    }
    return rt_str_new("", 0);
}

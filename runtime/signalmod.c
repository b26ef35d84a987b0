/* signalmod.c: the signal module — signal.signal with SIG_IGN, SIG_DFL or a
 * Python function, getsignal, alarm, pause, strsignal, Signals(n).
 *
 * A Python handler cannot run inside the C signal handler (nothing there
 * is async-signal-safe). As CPython does, the C handler only records the
 * signal, and the handler runs at the next safe point of the main program:
 *   - the next call of a generated function. Each one already compares its
 *     frame with rt_stack_floor (rt_stack_check); the C handler "trips"
 *     that check by raising the floor to the top of the address space, so
 *     a pending signal costs nothing until it happens;
 *   - a blocking call interrupted by it (time.sleep, join, a Queue or Pipe
 *     wait: sigaction without SA_RESTART makes them return EINTR, and they
 *     call rt_signals_run before waiting again, as PEP 475 asks).
 * A handler that raises (sys.exit in a SIGTERM handler) raises from there.
 */
#include "mp2c.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t pending[NSIG];
volatile sig_atomic_t rt_signals_pending;
static RtValue *handlers[NSIG];         /* the Python handlers, by signal number */
static const char *saved_floor;         /* rt_stack_floor before a trip */
#define TRIPPED ((const char *)UINTPTR_MAX)

bool rt_signals_tripped(void) { return rt_stack_floor == TRIPPED; }

void rt_signals_trip(void) {
    if (rt_stack_floor != TRIPPED) {
        saved_floor = rt_stack_floor;
        rt_stack_floor = TRIPPED;
    }
}

void rt_signals_untrip(void) {
    if (rt_stack_floor == TRIPPED) rt_stack_floor = saved_floor;
}

static void on_signal(int sig) {
    int saved_errno = errno;
    /* Ctrl-C twice before the first KeyboardInterrupt could be raised (the
     * program waits somewhere that runs no handler): stop as before */
    if (sig == SIGINT && pending[SIGINT]) rt_fatal_signal(sig);
    pending[sig] = 1;
    rt_signals_pending = 1;
    rt_signals_trip();
    errno = saved_errno;
}

int rt_signals_run(void) {
    rt_signals_untrip();
    if (!rt_signals_pending) return 0;
    rt_signals_pending = 0;
    for (int sig = 1; sig < NSIG; sig++) {
        if (!pending[sig]) continue;
        pending[sig] = 0;
        RtValue *h = handlers[sig];
        if (!h) continue;
        RtValue *argv[2] = {NULL, rt_None};
        if (!(argv[0] = rt_int(sig))) return -1;
        RtValue *r = rt_call(h, argv, 2, NULL);   /* handler(signum, frame); no frames here: None */
        rt_decref(argv[0]);
        if (!r) {
            if (rt_signals_pending) rt_signals_trip();   /* the others still run later */
            return -1;
        }
        rt_decref(r);
    }
    return 0;
}

/* CPython's default SIGINT handler, signal.default_int_handler. */
static RtValue *default_int_handler(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self; (void)args; (void)nargs; (void)kw;
    return rt_raise_value((RtValue *)&rt_exc_KeyboardInterrupt);
}

/* At startup: SIGINT raises KeyboardInterrupt, as in CPython. */
void rt_signals_init(void) {
    RtValue *h = rt_builtin_new("default_int_handler", default_int_handler, NULL, -1);
    if (!h) { RT_CLEAR(rt_exc_pending); return; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;
    if (sigaction(SIGINT, &sa, NULL) == 0) RT_SETREF(handlers[SIGINT], h);
    else rt_decref(h);
}

/* ==== the module's functions ===================================================== */

enum { H_DFL = 0, H_IGN = 1 };

static int signum_arg(RtValue *v, int *out) {
    int64_t n;
    if (rt_index_as_i64(v, &n) < 0) return -1;
    if (n < 1 || n >= NSIG) {
        rt_raise(&rt_exc_ValueError, "signal number out of range");
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* What getsignal reports: the Python handler, SIG_IGN or SIG_DFL. The
 * runtime's own SIGINT/SIGTERM/SIGHUP handlers (clean up, then die of the
 * signal) count as SIG_DFL, which is what they amount to. */
static RtValue *current(int sig) {
    if (handlers[sig]) return rt_newref(handlers[sig]);
    struct sigaction sa;
    if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) return rt_int(H_IGN);
    return rt_int(H_DFL);
}

/* signal.signal(signalnum, handler) -> the previous handler */
RtValue *rt_signal_signal(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("signal", nargs, kwnames, 2, 2) < 0) return NULL;
    int sig;
    if (signum_arg(args[0], &sig) < 0) return NULL;
    RtValue *h = args[1];
    int64_t which = -1;
    if (rt_is_int(h) && rt_int_as_i64(h, &which) < 0) return NULL;
    RtType *ht = h->type;
    bool callable = ht == &rt_type_function || ht == &rt_type_builtin || ht->call || ht->tag == RT_T_TYPE;
    if (which != H_DFL && which != H_IGN && !callable)
        return rt_raise(&rt_exc_TypeError,
                        "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object");
    if (sig == SIGKILL || sig == SIGSTOP) return rt_raise_errno(EINVAL, NULL);
    if (which == H_DFL && (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)) which = -2;   /* see below */
    RtValue *old = current(sig);
    if (!old) return NULL;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    /* SIG_DFL for SIGINT/SIGTERM/SIGHUP goes back to the runtime's handler,
     * which removes shared memory before dying of the signal */
    sa.sa_handler = which == -2 ? rt_fatal_signal : which == H_DFL ? SIG_DFL : which == H_IGN ? SIG_IGN : on_signal;
    sa.sa_flags = 0;   /* no SA_RESTART: a blocking call returns EINTR and runs the handler */
    if (sigaction(sig, &sa, NULL) < 0) {
        rt_decref(old);
        return rt_raise_errno(errno, NULL);
    }
    RT_SETREF(handlers[sig], which == -1 ? rt_newref(h) : NULL);
    return old;
}

/* signal.getsignal(signalnum) */
RtValue *rt_signal_getsignal(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("getsignal", nargs, kwnames, 1, 1) < 0) return NULL;
    int sig;
    return signum_arg(args[0], &sig) < 0 ? NULL : current(sig);
}

/* signal.alarm(seconds) -> seconds left on the previous alarm */
RtValue *rt_signal_alarm(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("alarm", nargs, kwnames, 1, 1) < 0) return NULL;
    int64_t n;
    if (rt_index_as_i64(args[0], &n) < 0) return NULL;
    return rt_int((int64_t)alarm(n < 0 ? 0 : (unsigned)n));
}

/* signal.pause(): sleeps until a signal arrives, then runs its handler. */
RtValue *rt_signal_pause(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (rt_check_args("pause", nargs, kwnames, 0, 0) < 0) return NULL;
    rt_flush_std();
    pause();
    return rt_signals_run() < 0 ? NULL : rt_newref(rt_None);
}

/* signal.strsignal(signalnum): "Terminated", or None for an unknown number. */
RtValue *rt_signal_strsignal(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("strsignal", nargs, kwnames, 1, 1) < 0) return NULL;
    int sig;
    if (signum_arg(args[0], &sig) < 0) return NULL;
    const char *s = strsignal(sig);
    if (!s || strncmp(s, "Unknown signal", 14) == 0 || strncmp(s, "Real-time signal", 16) == 0)
        return rt_newref(rt_None);
    return rt_str_from_cstr(s);
}

const int rt_signal_nsig = NSIG;   /* NSIG needs _DEFAULT_SOURCE; generated code is strict C11 */

RtValue *rt_signal_valid_signals(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (rt_check_args("valid_signals", nargs, kwnames, 0, 0) < 0) return NULL;
    sigset_t all;
    sigfillset(&all);
    RtValue *s = rt_set_new();
    for (int sig = 1; s && sig < NSIG; sig++) {
        if (sigismember(&all, sig) != 1) continue;
        RtValue *n = rt_int(sig);
        if (!n || rt_set_add(s, n) < 0) RT_CLEAR(s);
        rt_xdecref(n);
    }
    return s;
}

/* ==== signal.Signals(n): the name of a signal number ============================== */

static const struct { int num; const char *name; } signal_names[] = {
    {SIGHUP, "SIGHUP"}, {SIGINT, "SIGINT"}, {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"}, {SIGTRAP, "SIGTRAP"},
    {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"}, {SIGFPE, "SIGFPE"}, {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"},
    {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"}, {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"},
    {SIGTERM, "SIGTERM"}, {SIGCHLD, "SIGCHLD"}, {SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"},
    {SIGTSTP, "SIGTSTP"}, {SIGTTIN, "SIGTTIN"}, {SIGTTOU, "SIGTTOU"}, {SIGURG, "SIGURG"},
    {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"},
    {SIGWINCH, "SIGWINCH"}, {SIGIO, "SIGIO"}, {SIGPWR, "SIGPWR"}, {SIGSYS, "SIGSYS"},
};

typedef struct SignalsObj { RtValue ob; int num; const char *name; } SignalsObj;

static RtValue *signals_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("Signals", nargs, kw, 1, 1) < 0) return NULL;
    int64_t n = -1;
    if (rt_is_int(args[0]) && rt_int_as_i64(args[0], &n) < 0) return NULL;
    for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
        if (signal_names[i].num == n) {
            SignalsObj *s = (SignalsObj *)rt_obj_alloc(type, sizeof(SignalsObj));
            if (!s) return NULL;
            s->num = (int)n;
            s->name = signal_names[i].name;
            return &s->ob;
        }
    RtValue *r = rt_repr(args[0]);
    if (!r) return NULL;
    rt_raise_fmt(&rt_exc_ValueError, "%s is not a valid Signals", rt_str_data(r));
    rt_decref(r);
    return NULL;
}

static RtValue *signals_repr(RtValue *self) {
    char buf[64];
    snprintf(buf, sizeof buf, "<Signals.%s: %d>", ((SignalsObj *)self)->name, ((SignalsObj *)self)->num);
    return rt_str_from_cstr(buf);
}

/* an IntEnum: since 3.11 its str() is the number's */
static RtValue *signals_str(RtValue *self) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", ((SignalsObj *)self)->num);
    return rt_str_from_cstr(buf);
}

static RtValue *signals_name(RtValue *self) { return rt_str_from_cstr(((SignalsObj *)self)->name); }
static RtValue *signals_value(RtValue *self) { return rt_int(((SignalsObj *)self)->num); }

static const RtGetSetDef signals_getset[] = {
    {"name", signals_name, NULL},
    {"value", signals_value, NULL},
    {NULL, NULL, NULL},
};

RtType rt_signal_Signals = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Signals",
    .module = "signal",
    .tag = RT_T_OTHER,
    .size = sizeof(SignalsObj),
    .table_index = -1,
    .repr = signals_repr,
    .str = signals_str,
    .construct = signals_construct,
    .getset = signals_getset,
};

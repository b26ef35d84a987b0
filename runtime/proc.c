/* proc.c: multiprocessing.Process, start methods and contexts, on fork(2).
 *
 * A Process object is a pid plus a sentinel, an fd that turns readable when
 * the child ends, whatever the way. join() is waitpid(2); join(timeout) first
 * polls the sentinel. Under fork the sentinel is a pidfd_open(2) descriptor
 * made on first use (see child_sentinel), so start() costs one fork and no
 * pipe; under spawn it is the read end of a pipe whose write end only the
 * child holds. The child runs run() through the normal method lookup, so a
 * script subclass's override runs, then leaves with _exit(2) after flushing,
 * as CPython's BaseProcess._bootstrap and os._exit do: output buffered before
 * the fork was flushed by the parent, so nothing is printed twice.
 *
 * Under spawn the child is a fresh execve(2) of this program: the parent
 * serializes the Process object (target, args, subclass attributes) into a
 * pipe the child inherits, and rt_main hands over to rt_mp_spawn_child_main,
 * which runs the module as '__mp_main__' before loading it.
 *
 * Per-process state (current process, the list of started children, the
 * name counter) is reset in every child, as _bootstrap does. There is no
 * SIGCHLD handler: children are reaped by join, is_alive, active_children,
 * start (CPython's _cleanup) and at exit, so waitpid-based joins are never
 * raced by a handler.
 */
#include "mp2c.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ==== the object ================================================================ */

typedef enum { PK_PROCESS, PK_FORK, PK_SPAWN, PK_FORKSERVER, PK_MAIN, PK_PARENT } ProcKind;

typedef struct RtProcess {
    RtValue  ob;
    RtValue *dict;          /* attributes of script subclasses */
    bool     initialized;   /* __init__ ran (a subclass may forget super().__init__()) */
    RtValue *target, *args, *kwargs;   /* released by start(), as CPython deletes them */
    RtValue *name;          /* any value; a str unless the script passed something else */
    RtValue *identity;      /* tuple of ints: (1,) for Process-1, (1, 2) for Process-1:2 */
    RtValue *daemon;        /* the value set, or NULL for False */
    RtValue *parent_name;
    pid_t    parent_pid;    /* 0 = None (the main process) */
    pid_t    pid;           /* 0 until started */
    int      sentinel;      /* -1 when none */
    bool     started, exited, closed;
    int      exitcode;
} RtProcess;

#define PROC(o) ((RtProcess *)(o))

static ProcKind kind_of(const RtType *t) {
    while (t->flags & RT_TF_HEAP) t = t->base;
    if (t == &rt_mp_ForkProcess) return PK_FORK;
    if (t == &rt_mp_SpawnProcess) return PK_SPAWN;
    if (t == &rt_mp_ForkServerProcess) return PK_FORKSERVER;
    if (t == &rt_mp__MainProcess) return PK_MAIN;
    if (t == &rt_mp__ParentProcess) return PK_PARENT;
    return PK_PROCESS;
}

static bool is_process(const RtValue *o) {
    const RtType *t = o->type;
    while (t->flags & RT_TF_HEAP) t = t->base;
    return t == &rt_mp_Process || t == &rt_mp_ForkProcess || t == &rt_mp_SpawnProcess ||
           t == &rt_mp_ForkServerProcess || t == &rt_mp__MainProcess || t == &rt_mp__ParentProcess;
}

/* ==== per-process state =========================================================== */

/* Everything the parent writes while starting a child, and the child while
 * becoming one, in one aligned block: after fork() each page either process
 * writes first costs a page fault (and a copy), so scattered globals cost one
 * fault each. 256-byte aligned and no bigger, so never split across pages. */
static struct {
    RtValue *current;            /* owned; NULL until first needed (the _MainProcess) */
    RtValue *parent;             /* owned _ParentProcess, made on first use in a child */
    RtValue *forked_from;        /* in a child: the parent's current_process(), kept, not freed */
    RtValue **children;          /* owned references, in start order: first in children_inline */
    size_t nchildren, capchildren;
    long counter;                /* next number in "Process-N" */
    int method;                  /* the default context's actual method, -1 = not fixed */
    bool in_child;               /* this process runs a Process's bootstrap */
    bool exiting;                /* util._exiting: rt_mp_at_exit ran */
    unsigned char via_context;   /* inside ctx.Queue(...) and the like: the default context stays unfixed */
    signed char pidfd;           /* pidfd_open(2) works: 1, does not: 0, not asked yet: -1 */
    void (*exit_hooks[RT_MP_EXIT_HOOKS])(void);   /* rt_mp_set_exit_hook */
    void (*after_fork_hook)(void), (*late_hook)(void);   /* rt_mp_set_queue_hooks */
    RtValue *children_inline[12];
} g __attribute__((aligned(256))) = { .counter = 1, .method = -1, .pidfd = -1 };
_Static_assert(sizeof g <= 256, "proc.c's state must fit one 256-byte block");

static RtValue *make_process(RtType *t);

static RtValue *current_process(void) {
    if (!g.current) {
        RtValue *p = make_process(&rt_mp__MainProcess);
        if (!p) return NULL;
        PROC(p)->name = rt_str_from_cstr("MainProcess");
        PROC(p)->identity = rt_tuple_empty();
        PROC(p)->started = PROC(p)->initialized = true;
        if (!PROC(p)->name) { rt_decref(p); return NULL; }
        g.current = p;
    }
    return g.current;
}

static bool current_is_daemon(void) {
    RtValue *c = current_process();
    return c && PROC(c)->daemon && rt_truthy(PROC(c)->daemon) == 1;
}

static int children_add(RtValue *p) {
    if (!g.children) {
        g.children = g.children_inline;
        g.capchildren = sizeof g.children_inline / sizeof g.children_inline[0];
    }
    if (g.nchildren == g.capchildren) {
        size_t cap = g.capchildren * 2;
        bool inline_ = g.children == g.children_inline;
        RtValue **a = rt_realloc(inline_ ? NULL : g.children, cap * sizeof *a);
        if (!a) return -1;
        if (inline_) memcpy(a, g.children, g.nchildren * sizeof *a);
        g.children = a;
        g.capchildren = cap;
    }
    g.children[g.nchildren++] = rt_newref(p);
    return 0;
}

static void children_discard(RtValue *p) {
    for (size_t i = 0; i < g.nchildren; i++) {
        if (g.children[i] != p) continue;
        memmove(&g.children[i], &g.children[i + 1], (g.nchildren - i - 1) * sizeof *g.children);
        g.nchildren--;
        rt_decref(p);
        return;
    }
}

/* ==== fork plumbing ================================================================== */

int rt_mp_exitcode(int status) {
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 0;   /* stopped/continued: not reported with the flags we pass */
}

int rt_mp_reap(pid_t pid, bool block, int *exitcode) {
    int status;
    pid_t r;
    do r = waitpid(pid, &status, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r < 0) { rt_raise_errno(errno, NULL); return -1; }
    if (r == 0) return 0;
    *exitcode = rt_mp_exitcode(status);
    return 1;
}

/* util._close_stdin: a child reads EOF from stdin, never the parent's input.
 * The parent opened /dev/null as `devnull` just before fork (-1 if it could
 * not): opening it in the child would page in open()'s code there. */
static void close_stdin(int devnull) {
    if (devnull < 0) return;
    if (devnull != STDIN_FILENO) {
        dup2(devnull, STDIN_FILENO);   /* dup2 clears O_CLOEXEC on the copy */
        close(devnull);
    }
    /* Drop input the parent had buffered (glibc's FILE fields: reading them
     * costs nothing, while purging writes to a page shared with the parent). */
    if (stdin->_IO_read_ptr != stdin->_IO_read_end) __fpurge(stdin);
}

/* Forgets what belongs to the parent: its children are not ours to join. */
static void reset_after_fork(void) {
    for (size_t i = 0; i < g.nchildren; i++) {
        RtProcess *c = PROC(g.children[i]);
        if (c->sentinel >= 0) { close(c->sentinel); c->sentinel = -1; }
        c->exited = true;     /* never waited for from here */
        rt_decref(g.children[i]);
    }
    g.nchildren = 0;
    g.counter = 1;
    g.exiting = false;   /* the parent's util._exiting is not ours */
}

/* __fpending(f) != 0, read from glibc's FILE fields as close_stdin does:
 * calling __fpending would page its code into a freshly forked child. */
static bool has_pending(const FILE *f) {
    return f->_IO_write_ptr > f->_IO_write_base;
}

/* rt_flush_std when anything is buffered (see rt_mp_child_exit). */
static void flush_if_pending(void) {
    if (has_pending(stdout) || has_pending(stderr)) rt_flush_std();
}

pid_t rt_mp_fork(void) {
    flush_if_pending();
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        if (devnull >= 0) close(devnull);
        rt_raise_errno(err, NULL);
        return -1;
    }
    if (pid > 0 && devnull >= 0) close(devnull);   /* the parent's copy */
    if (pid == 0) {
        reset_after_fork();
        close_stdin(devnull);
    }
    return pid;
}

/* Flushing only when something is buffered matters after a fork: flushing
 * takes the streams' locks, and each write to a page shared with the other
 * process costs a page fault (and a copy). */
void rt_mp_child_exit(int code) {
    flush_if_pending();
    _exit(code);
}

/* ==== waiting ============================================================================ */

static double now_monotonic(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int rt_mp_poll(struct pollfd *fds, size_t n, double timeout) {
    double deadline = timeout >= 0 ? now_monotonic() + timeout : 0;
    for (;;) {
        int ms = -1;
        if (timeout >= 0) {
            double left = deadline - now_monotonic();
            ms = left <= 0 ? 0 : (int)(left * 1000 + 0.999);   /* round up: never return early */
        }
        int r = poll(fds, n, ms);
        if (r >= 0) return r;
        if (errno != EINTR) { rt_raise_errno(errno, NULL); return -1; }
        if (rt_signals_pending && rt_signals_run() < 0) return -1;   /* a Python signal handler */
    }
}

/* A timeout argument: None -> -1 (block), negative -> 0. */
static int timeout_arg(RtValue *v, double *out) {
    if (!v || v == rt_None) { *out = -1; return 0; }
    if (rt_as_double(v, out) < 0) return -1;
    if (*out < 0) *out = 0;
    return 0;
}

/* ==== argument helpers ======================================================================= */

/* A tuple of n Nones, made once (the defaults of optional parameters). */
static RtValue *nones(size_t n) {
    static RtValue *cache[4];
    if (!cache[n]) {
        RtValue *t = rt_tuple_new(n);
        if (!t) return NULL;
        for (size_t i = 0; i < n; i++) RT_TUPLE_SET(t, i, rt_newref(rt_None));
        cache[n] = t;
    }
    return cache[n];
}

/* Binds up to 3 optional parameters (default None) by position or keyword. */
static int bind_opt(const char *fname, const char *const *names, int n,
                    RtValue *const *args, size_t nargs, RtValue *kwnames, RtValue **out) {
    RtParamSpec spec = { .fname = fname, .names = names, .npos = n };
    RtValue *defs = nones((size_t)n);
    if (!defs) return -1;
    return rt_bind_args(&spec, args, nargs, kwnames, defs, NULL, out, NULL, NULL);
}

static int no_args(const char *fname, size_t nargs, RtValue *kwnames) {
    if (nargs == 0 && (!kwnames || RT_TUPLE_LEN(kwnames) == 0)) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", fname,
                 nargs + (kwnames ? RT_TUPLE_LEN(kwnames) : 0));
    return -1;
}

/* ==== construction ============================================================================ */

static RtValue *make_process(RtType *t) {
    RtValue *o = rt_obj_alloc(t, t->size);
    if (!o) return NULL;
    PROC(o)->sentinel = -1;
    return o;
}

static RtValue *process_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtValue *o = make_process(t);
    if (!o || (t->flags & RT_TF_HEAP)) return o;   /* a script subclass runs __init__ itself */
    RtValue *r = rt_mp_Process_m___init__(o, args, nargs, kwnames);
    if (!r) { rt_decref(o); return NULL; }
    rt_decref(r);
    return o;
}

static void process_dealloc(RtValue *o) {
    RtProcess *p = PROC(o);
    if (p->sentinel >= 0) close(p->sentinel);
    RT_CLEAR(p->dict);
    RT_CLEAR(p->target);
    RT_CLEAR(p->args);
    RT_CLEAR(p->kwargs);
    RT_CLEAR(p->name);
    RT_CLEAR(p->identity);
    RT_CLEAR(p->daemon);
    RT_CLEAR(p->parent_name);
}

/* type(self).__name__ + '-' + ':'.join(str(i) for i in identity). Written
 * out by hand: snprintf's deep stack frame costs the parent a page fault on
 * a stack page the last fork() made copy-on-write. */
static RtValue *default_name(RtValue *self, RtValue *identity) {
    char buf[256];
    size_t n = strlen(self->type->name);
    if (n > 200) n = 200;
    memcpy(buf, self->type->name, n);
    buf[n++] = '-';
    for (size_t i = 0; i < RT_TUPLE_LEN(identity) && n < sizeof buf - 24; i++) {
        uint64_t u = (uint64_t)((RtInt *)RT_TUPLE_GET(identity, i))->small;   /* counters, from 1 */
        if (i) buf[n++] = ':';
        char digits[24];
        size_t k = 0;
        do digits[k++] = (char)('0' + u % 10); while (u /= 10);
        while (k) buf[n++] = digits[--k];
    }
    return rt_str_new(buf, n);
}

/* _current_process._identity + (count,) */
static RtValue *next_identity(void) {
    RtValue *cur = current_process();
    if (!cur) return NULL;
    RtValue *base = PROC(cur)->identity;
    size_t n = base ? RT_TUPLE_LEN(base) : 0;
    RtValue *t = rt_tuple_new(n + 1);
    if (!t) return NULL;
    for (size_t i = 0; i < n; i++) RT_TUPLE_SET(t, i, rt_newref(RT_TUPLE_GET(base, i)));
    RtValue *c = rt_int(g.counter++);
    RT_TUPLE_SET(t, n, c ? c : rt_newref(rt_None));   /* a full tuple can be released */
    if (!c) RT_CLEAR(t);
    return t;
}

static int init_fields(RtValue *self, RtValue *target, RtValue *name, RtValue *args,
                       RtValue *kwargs, RtValue *daemon) {
    RtProcess *p = PROC(self);
    RtValue *targs = rt_tuple_from_iter(args);
    /* dict(kwargs); None stands for an empty one (stored as NULL below): run()
     * then builds no keywords, and start() frees nothing while the child runs. */
    RtValue *kw = !targs ? NULL
                : rt_is_dict(kwargs) && rt_dict_len(kwargs) == 0 ? rt_newref(rt_None)
                : rt_call((RtValue *)&rt_type_dict, &kwargs, 1, NULL);
    RtValue *ident = kw ? next_identity() : NULL;
    int named = ident ? rt_truthy(name) : -1;
    RtValue *nm = named < 0 ? NULL : named ? rt_newref(name) : default_name(self, ident);
    if (!nm) { rt_xdecref(targs); rt_xdecref(kw); rt_xdecref(ident); return -1; }
    RT_SETREF(p->target, target == rt_None ? NULL : rt_newref(target));
    RT_SETREF(p->args, targs);
    if (kw == rt_None) RT_CLEAR(kw);
    RT_SETREF(p->kwargs, kw);
    RT_SETREF(p->identity, ident);
    RT_SETREF(p->name, nm);
    RtValue *cur = current_process();
    RT_SETREF(p->parent_name, cur && PROC(cur)->name ? rt_newref(PROC(cur)->name) : NULL);
    /* _config is copied from the current process: a daemon's children default to daemonic */
    RtValue *d = daemon != rt_None ? daemon : cur ? PROC(cur)->daemon : NULL;
    RT_SETREF(p->daemon, d ? rt_newref(d) : NULL);
    p->parent_pid = getpid();
    p->initialized = true;
    return 0;
}

/* BaseProcess.__init__(self, group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None) */
RtValue *rt_mp_Process_m___init__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "group", "target", "name", "args", "kwargs", "daemon" };
    static RtValue *defaults, *kwdefaults;
    if (!defaults) {
        RtValue *empty = rt_tuple_empty(), *kw = rt_dict_new();
        defaults = kw ? rt_tuple_pack(5, rt_None, rt_None, rt_None, empty, kw) : NULL;
        kwdefaults = defaults ? rt_dict_new() : NULL;
        if (kwdefaults && rt_dict_set_cstr(kwdefaults, "daemon", rt_None) < 0) RT_CLEAR(kwdefaults);
        rt_decref(empty);
        rt_xdecref(kw);
        if (!kwdefaults) { RT_CLEAR(defaults); return NULL; }
    }
    RtParamSpec spec = { .fname = "BaseProcess.__init__", .names = names, .npos = 5, .nkwonly = 1 };
    RtValue *a[6];
    if (rt_bind_args(&spec, args, nargs, kwnames, defaults, kwdefaults, a, NULL, NULL) < 0) return NULL;
    if (a[0] != rt_None) return rt_raise(&rt_exc_AssertionError, "group argument must be None for now");
    if (init_fields(self, a[1], a[2], a[3], a[4], a[5]) < 0) return NULL;
    return rt_newref(rt_None);
}

/* ==== state checks ============================================================================= */

static RtValue *no_attr(RtValue *self, const char *attr) {
    return rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute '%s'",
                        self->type->name, attr);
}

/* _check_closed(), and AttributeError for an instance whose __init__ never ran. */
static int check_closed(RtValue *self) {
    if (!PROC(self)->initialized) { no_attr(self, "_closed"); return -1; }
    if (PROC(self)->closed) { rt_raise(&rt_exc_ValueError, "process object is closed"); return -1; }
    return 0;
}

/* popen.poll(): the exit code once the child has been reaped, else -1. */
static int poll_child(RtProcess *p, bool block, int *code) {
    if (p->exited) { *code = p->exitcode; return 1; }
    int r = rt_mp_reap(p->pid, block, &p->exitcode);
    if (r < 0) {
        if (!rt_exc_matches((RtValue *)&rt_exc_ChildProcessError)) return -1;
        rt_decref(rt_exc_fetch());   /* reaped elsewhere (a raw waitpid in the script) */
        p->exitcode = 0;
        r = 1;
    }
    if (r == 1) p->exited = true;
    *code = p->exitcode;
    return r;
}

/* _cleanup(): forget children that have finished (and reap them). */
static int cleanup_children(void) {
    for (size_t i = g.nchildren; i-- > 0;) {
        int code;
        int r = poll_child(PROC(g.children[i]), false, &code);
        if (r < 0) return -1;
        if (r == 1) children_discard(g.children[i]);
    }
    return 0;
}

/* ==== the child's side ============================================================================ */

static RtValue *make_parent_process(RtValue *name, pid_t pid) {
    RtValue *p = make_process(&rt_mp__ParentProcess);
    if (!p) return NULL;
    PROC(p)->name = name ? rt_newref(name) : rt_str_from_cstr("MainProcess");
    PROC(p)->identity = rt_tuple_empty();
    PROC(p)->pid = pid;
    PROC(p)->started = PROC(p)->initialized = true;
    if (!PROC(p)->name) { rt_decref(p); return NULL; }
    return p;
}

/* The exit code of a child whose run() raised: BaseProcess._bootstrap's rules. */
static int exit_code_of(RtValue *self, RtValue *exc) {
    if (rt_isinstance_t(exc, &rt_exc_SystemExit)) {
        rt_exc_restore(exc);
        return rt_exc_report_uncaught();   /* None -> 0, int -> n, other -> printed, 1 */
    }
    rt_flush_std();
    RtValue *name = PROC(self)->name ? rt_str(PROC(self)->name) : NULL;
    fprintf(stderr, "Process %s:\n", name ? rt_str_data(name) : "?");
    rt_xdecref(name);
    if (RT_ERR()) rt_decref(rt_exc_fetch());
    rt_exc_print(exc);
    rt_decref(exc);
    return 1;
}

/* BaseProcess._bootstrap: becomes `self`, runs run(), joins its own children,
 * and returns the exit code. */
static int bootstrap(RtValue *self) {
    /* The parent's current_process() is kept, not released: freeing it
     * would write to pages the parent shares with us (see g). */
    rt_xdecref(g.forked_from);
    g.forked_from = g.current;
    g.current = rt_newref(self);
    RT_CLEAR(g.parent);   /* made on demand by parent_process() */
    g.in_child = true;
    PROC(self)->started = true;
    if (g.after_fork_hook) g.after_fork_hook();
    RT_MP_LOG(RT_MP_INFO, "child process calling self.run()");
    /* run() itself unless a script subclass may override it: no lookup by name */
    RtValue *r = self->type->flags & RT_TF_HEAP ? rt_call_method(self, "run", NULL, 0, NULL)
                                                : rt_mp_Process_m_run(self, NULL, 0, NULL);
    /* a signal that came as run() returned: its handler runs before the end, as at CPython's next bytecode */
    if (r && rt_signal_point() < 0) RT_CLEAR(r);
    RtValue *exc = r ? NULL : rt_exc_fetch();
    rt_xdecref(r);
    rt_mp_at_exit();   /* util._exit_function, in `finally` before the except clauses */
    int code = exc ? exit_code_of(self, exc) : 0;
    RT_MP_LOG(RT_MP_INFO, "process exiting with exitcode %d", code);
    return code;
}

/* ==== start ========================================================================================= */

static int start_method_of(RtValue *self) {
    switch (kind_of(self->type)) {
    case PK_FORK: return RT_START_FORK;
    /* spawn.get_preparation_data sends the child get_start_method(), which
     * fixes the default context even for a concrete context's Process */
    case PK_SPAWN: rt_mp_default_context_use(); return RT_START_SPAWN;
    case PK_FORKSERVER: rt_mp_default_context_use(); return RT_START_FORKSERVER;
    default:
        if (g.method < 0) g.method = RT_START_FORK;   /* starting fixes the default context */
        return g.method;
    }
}

static int pipe_cloexec(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) < 0) { rt_raise_errno(errno, NULL); return -1; }
    return 0;
}

/* Whether pidfd_open(2) works here (Linux 5.3 and later; not under valgrind
 * 3.19, nor behind some seccomp filters): asked once, on our own pid. */
/* pidfd_open(2) through syscall(2): older C libraries have no wrapper */
static int sys_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

static bool pidfd_works(void) {
    if (g.pidfd < 0) {
        int fd = sys_pidfd_open(getpid());
        g.pidfd = fd >= 0;
        if (fd >= 0) close(fd);
    }
    return g.pidfd;
}

static int start_fork(RtValue *self) {
    /* Without pidfd_open the sentinel is CPython's: a pipe whose write end
     * only the child holds. Otherwise it comes on first use (child_sentinel). */
    int fds[2] = { -1, -1 };
    if (!pidfd_works() && pipe_cloexec(fds) < 0) return -1;
    pid_t pid = rt_mp_fork();
    if (pid < 0) {
        if (fds[0] >= 0) { close(fds[0]); close(fds[1]); }
        return -1;
    }
    if (pid == 0) {
        if (fds[0] >= 0) close(fds[0]);   /* fds[1] stays open until _exit */
        rt_mp_child_exit(bootstrap(self));
    }
    if (fds[1] >= 0) close(fds[1]);
    PROC(self)->pid = pid;
    PROC(self)->sentinel = fds[0];
    return 0;
}

static int start_spawn(RtValue *self);

static RtValue *check_startable(RtValue *self) {
    RtProcess *p = PROC(self);
    if (check_closed(self) < 0) return NULL;
    if (p->started) return rt_raise(&rt_exc_AssertionError, "cannot start a process twice");
    if (p->parent_pid != getpid())
        return rt_raise(&rt_exc_AssertionError, "can only start a process object created by current process");
    if (current_is_daemon())
        return rt_raise(&rt_exc_AssertionError, "daemonic processes are not allowed to have children");
    return rt_None;
}

RtValue *rt_mp_Process_m_start(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("BaseProcess.start", nargs, kwnames) < 0 || !check_startable(self)) return NULL;
    if (cleanup_children() < 0) return NULL;
    int method = start_method_of(self);
    if ((method == RT_START_SPAWN ? start_spawn(self) : start_fork(self)) < 0) return NULL;
    RtProcess *p = PROC(self);
    p->started = true;
    RT_CLEAR(p->target);   /* del self._target, self._args, self._kwargs */
    RT_CLEAR(p->args);
    RT_CLEAR(p->kwargs);
    if (children_add(self) < 0) return NULL;
    return rt_newref(rt_None);
}

/* BaseProcess.run: self._target(*self._args, **self._kwargs) */
RtValue *rt_mp_Process_m_run(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("BaseProcess.run", nargs, kwnames) < 0) return NULL;
    RtProcess *p = PROC(self);
    if (!p->initialized) return no_attr(self, "_target");
    if (!p->target) return rt_newref(rt_None);
    RtValue *r = rt_call_tuple_dict(p->target, p->args, p->kwargs);
    if (!r) return NULL;
    rt_decref(r);
    return rt_newref(rt_None);
}

/* ==== join, is_alive, signals, close ====================================================================== */

static RtValue *parent_join(RtValue *self, double timeout);
static int parent_sentinel(RtProcess *p);
static int child_sentinel(RtProcess *p);

RtValue *rt_mp_Process_m_join(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "timeout" };
    RtValue *a[1];
    double timeout;
    if (bind_opt("BaseProcess.join", names, 1, args, nargs, kwnames, a) < 0) return NULL;
    if (check_closed(self) < 0 || timeout_arg(a[0], &timeout) < 0) return NULL;
    RtProcess *p = PROC(self);
    if (kind_of(self->type) == PK_PARENT) return parent_join(self, timeout);
    if (p->parent_pid != getpid()) return rt_raise(&rt_exc_AssertionError, "can only join a child process");
    if (!p->pid) return rt_raise(&rt_exc_AssertionError, "can only join a started process");
    if (!p->exited && timeout >= 0) {
        struct pollfd pfd = { .fd = child_sentinel(p), .events = POLLIN };
        if (pfd.fd < 0) return NULL;
        int r = rt_mp_poll(&pfd, 1, timeout);
        if (r < 0) return NULL;
        if (r == 0) return rt_newref(rt_None);   /* timed out: still running */
    }
    int code;
    int r = poll_child(p, true, &code);
    if (r < 0) return NULL;
    if (r == 1) children_discard(self);
    return rt_newref(rt_None);
}

static bool parent_alive(RtProcess *p) {
    return getppid() == p->pid || (kill(p->pid, 0) == 0 && getppid() != 1);
}

/* _ParentProcess.join: waits on the parent's pidfd until it is gone. */
static RtValue *parent_join(RtValue *self, double timeout) {
    if (!parent_alive(PROC(self))) return rt_newref(rt_None);
    if (!pidfd_works()) {   /* no fd to wait on: look again every 10 ms */
        for (double left = timeout; parent_alive(PROC(self)) && (timeout < 0 || left > 0); left -= 0.01)
            if (rt_mp_poll(NULL, 0, timeout < 0 || left > 0.01 ? 0.01 : left) < 0) return NULL;
        return rt_newref(rt_None);
    }
    struct pollfd pfd = { .fd = parent_sentinel(PROC(self)), .events = POLLIN };
    if (pfd.fd < 0 || rt_mp_poll(&pfd, 1, timeout) < 0) return NULL;
    return rt_newref(rt_None);
}

RtValue *rt_mp_Process_m_is_alive(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("BaseProcess.is_alive", nargs, kwnames) < 0 || check_closed(self) < 0) return NULL;
    RtProcess *p = PROC(self);
    if (self == g.current) return rt_bool(true);
    if (kind_of(self->type) == PK_PARENT) return rt_bool(parent_alive(p));
    if (p->parent_pid != getpid()) return rt_raise(&rt_exc_AssertionError, "can only test a child process");
    if (!p->pid) return rt_bool(false);
    int code;
    int r = poll_child(p, false, &code);
    if (r < 0) return NULL;
    if (r == 1) children_discard(self);
    return rt_bool(r == 0);
}

static RtValue *send_signal(RtValue *self, int sig, const char *what, size_t nargs, RtValue *kwnames) {
    if (no_args(what, nargs, kwnames) < 0 || check_closed(self) < 0) return NULL;
    RtProcess *p = PROC(self);
    if (!p->pid)
        return rt_raise_fmt(&rt_exc_AttributeError, "'NoneType' object has no attribute '%s'",
                            sig == SIGKILL ? "kill" : "terminate");
    /* popen_fork._send_signal: nothing to do once reaped; ESRCH is not an error */
    if (!p->exited && kill(p->pid, sig) < 0 && errno != ESRCH) return rt_raise_errno(errno, NULL);
    return rt_newref(rt_None);
}

RtValue *rt_mp_Process_m_terminate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    return send_signal(self, SIGTERM, "BaseProcess.terminate", nargs, kwnames);
}

RtValue *rt_mp_Process_m_kill(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    return send_signal(self, SIGKILL, "BaseProcess.kill", nargs, kwnames);
}

RtValue *rt_mp_Process_m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("BaseProcess.close", nargs, kwnames) < 0) return NULL;
    RtProcess *p = PROC(self);
    if (!p->initialized) return no_attr(self, "_popen");
    if (p->pid && !p->closed) {
        int code;
        int r = poll_child(p, false, &code);
        if (r < 0) return NULL;
        if (r == 0)
            return rt_raise(&rt_exc_ValueError, "Cannot close a process while it is still running. "
                                                "You should first call join() or terminate().");
        if (p->sentinel >= 0) { close(p->sentinel); p->sentinel = -1; }
        p->pid = 0;            /* self._popen = None */
        children_discard(self);
    }
    p->closed = true;
    return rt_newref(rt_None);
}

/* ==== properties =============================================================================================== */

static RtValue *get_name(RtValue *self) {
    if (!PROC(self)->initialized || !PROC(self)->name) return no_attr(self, "_name");
    return rt_newref(PROC(self)->name);
}

static int set_name(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_AttributeError, "can't delete attribute"); return -1; }
    if (!rt_is_str(v)) { rt_raise(&rt_exc_AssertionError, "name must be a string"); return -1; }
    RT_SETREF(PROC(self)->name, rt_newref(v));
    return 0;
}

static RtValue *get_daemon(RtValue *self) {
    if (!PROC(self)->initialized) return no_attr(self, "_config");
    return rt_newref(PROC(self)->daemon ? PROC(self)->daemon : rt_False);
}

static int set_daemon(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_AttributeError, "can't delete attribute"); return -1; }
    if (!PROC(self)->initialized) { no_attr(self, "_popen"); return -1; }
    if (PROC(self)->started) { rt_raise(&rt_exc_AssertionError, "process has already started"); return -1; }
    RT_SETREF(PROC(self)->daemon, rt_newref(v));
    return 0;
}

static RtValue *get_exitcode(RtValue *self) {
    if (check_closed(self) < 0) return NULL;
    RtProcess *p = PROC(self);
    if (!p->pid || kind_of(self->type) == PK_PARENT) return rt_newref(rt_None);
    int code;
    int r = poll_child(p, false, &code);
    if (r < 0) return NULL;
    return r == 1 ? rt_int(code) : rt_newref(rt_None);
}

static RtValue *get_pid(RtValue *self) {
    if (check_closed(self) < 0) return NULL;
    if (self == g.current) return rt_int(getpid());
    return PROC(self)->pid ? rt_int(PROC(self)->pid) : rt_newref(rt_None);
}

/* The parent is not our child: its sentinel is a pidfd_open(2) descriptor,
 * readable once it has exited. */
static int parent_sentinel(RtProcess *p) {
    if (p->sentinel < 0 && (p->sentinel = sys_pidfd_open(p->pid)) < 0) rt_raise_errno(errno, NULL);
    return p->sentinel;
}

/* The sentinel of a child started by fork, made on first use (join with a
 * timeout, .sentinel, connection.wait) rather than at every start: most
 * scripts only join(). While the child is unreaped its pid cannot be reused,
 * so a pidfd_open(2) descriptor names it safely and turns readable when it
 * ends. Once reaped, the sentinel is a pipe whose write end is already
 * closed: readable at once, as CPython's is by then. */
static int child_sentinel(RtProcess *p) {
    if (p->sentinel >= 0) return p->sentinel;
    if (!p->exited) {
        if ((p->sentinel = sys_pidfd_open(p->pid)) < 0) rt_raise_errno(errno, NULL);
        return p->sentinel;
    }
    int fds[2];
    if (pipe_cloexec(fds) < 0) return -1;
    close(fds[1]);
    return p->sentinel = fds[0];
}

static RtValue *get_sentinel(RtValue *self) {
    if (check_closed(self) < 0) return NULL;
    if (kind_of(self->type) == PK_PARENT && parent_sentinel(PROC(self)) < 0) return NULL;
    if (PROC(self)->pid && PROC(self)->sentinel < 0 && child_sentinel(PROC(self)) < 0) return NULL;
    if (PROC(self)->sentinel < 0) return rt_raise(&rt_exc_ValueError, "process not started");
    return rt_int(PROC(self)->sentinel);
}

/* ==== repr ========================================================================================================= */

/* signal names as multiprocessing.process._exitcode_to_name has them (the
 * last SIG* name of each number in the signal module wins: -6 is SIGABRT). */
static const char *signal_name(int sig) {
    static const char *const names[] = {
        NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGPOLL", "SIGPWR", "SIGSYS",
    };
    if (sig > 0 && sig < (int)(sizeof names / sizeof names[0])) return names[sig];
    if (sig == 34) return "SIGRTMIN";
    if (sig == 64) return "SIGRTMAX";
    return NULL;
}

/* BaseProcess.__repr__: "<Process name='Process-1' pid=12 parent=11 stopped exitcode=0 daemon>" */
static RtValue *process_repr(RtValue *self) {
    RtProcess *p = PROC(self);
    if (!p->initialized) return no_attr(self, "_closed");
    int code = 0;
    bool have_code = false;
    const char *status;
    if (self == g.current) status = "started";
    else if (p->closed) status = "closed";
    else if (!p->parent_pid || p->parent_pid != getpid()) status = "unknown";
    else if (!p->pid) status = "initial";
    else {
        int r = poll_child(p, false, &code);
        if (r < 0) return NULL;
        have_code = r == 1;
        status = have_code ? "stopped" : "started";
    }
    RtValue *name = rt_repr(p->name);
    if (!name) return NULL;
    char buf[512];
    size_t n = (size_t)snprintf(buf, sizeof buf, "<%s name=%s", self->type->name, rt_str_data(name));
    rt_decref(name);
    if (n < sizeof buf && p->pid && kind_of(self->type) != PK_PARENT)
        n += (size_t)snprintf(buf + n, sizeof buf - n, " pid=%d", (int)p->pid);
    if (n < sizeof buf) {
        if (p->parent_pid) n += (size_t)snprintf(buf + n, sizeof buf - n, " parent=%d %s", (int)p->parent_pid, status);
        else n += (size_t)snprintf(buf + n, sizeof buf - n, " parent=None %s", status);
    }
    if (n < sizeof buf && have_code) {
        const char *sn = code < 0 ? signal_name(-code) : NULL;
        if (sn) n += (size_t)snprintf(buf + n, sizeof buf - n, " exitcode=-%s", sn);
        else n += (size_t)snprintf(buf + n, sizeof buf - n, " exitcode=%d", code);
    }
    int d = p->daemon ? rt_truthy(p->daemon) : 0;
    if (d < 0) return NULL;
    if (n < sizeof buf && d) n += (size_t)snprintf(buf + n, sizeof buf - n, " daemon");
    if (n < sizeof buf) n += (size_t)snprintf(buf + n, sizeof buf - n, ">");
    return rt_str_new(buf, n < sizeof buf ? n : sizeof buf - 1);
}

/* ==== spawn ============================================================================================================ */

/* A Process travels to a spawned child with what _bootstrap needs. CPython
 * refuses to pickle a Process otherwise (its authkey). */
static int process_ser_dump(RtValue *self, RtBuf *buf) {
    RtProcess *p = PROC(self);
    if (!rt_ser_spawning()) {
        rt_raise(&rt_exc_TypeError, "Pickling an AuthenticationString object is disallowed for security reasons");
        return -1;
    }
    if (rt_buf_put_u8(buf, p->initialized) < 0 || rt_buf_put_sleb(buf, p->parent_pid) < 0) return -1;
    RtValue *vals[] = { p->target, p->args, p->kwargs, p->name, p->identity, p->daemon, p->parent_name };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        if (rt_ser_dump(buf, vals[i] ? vals[i] : rt_None) < 0) return -1;
    return 0;
}

static RtValue *process_ser_load(RtType *t, RtBuf *buf) {
    unsigned init;
    int64_t ppid;
    if (rt_buf_get_u8(buf, &init) < 0 || rt_buf_get_sleb(buf, &ppid) < 0) return NULL;
    RtValue *o = make_process(t);
    if (!o) return NULL;
    RtProcess *p = PROC(o);
    RtValue **slots[] = { &p->target, &p->args, &p->kwargs, &p->name, &p->identity, &p->daemon, &p->parent_name };
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        RtValue *v = rt_ser_load(buf);
        if (!v) { rt_decref(o); return NULL; }
        if (v == rt_None && i != 3) RT_CLEAR(v);   /* None target/daemon: absent */
        *slots[i] = v;
    }
    p->initialized = init;
    p->parent_pid = (pid_t)ppid;
    return o;
}

/* The program's argv, from /proc/self/cmdline (CPython passes sys.argv on). */
static char **read_argv(void) {
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0) { rt_raise_errno(errno, "/proc/self/cmdline"); return NULL; }
    RtBuf b = RT_BUF_INIT;
    for (;;) {
        if (rt_buf_reserve(&b, 4096) < 0) { close(fd); rt_buf_free(&b); return NULL; }
        ssize_t n = read(fd, b.data + b.len, b.cap - b.len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        b.len += (size_t)n;
    }
    close(fd);
    size_t argc = 0;
    for (size_t i = 0; i < b.len; i++) argc += b.data[i] == 0;
    char **argv = rt_malloc((argc + 1) * sizeof *argv + b.len);
    if (!argv) { rt_buf_free(&b); return NULL; }
    char *strs = (char *)(argv + argc + 1);
    memcpy(strs, b.data, b.len);
    for (size_t i = 0, k = 0; k < argc; k++) {
        argv[k] = strs + i;
        i += strlen(strs + i) + 1;
    }
    argv[argc] = NULL;
    rt_buf_free(&b);
    return argv;
}

/* environ plus RT_MP_SPAWN_ENV=R,W. */
static char **spawn_env(int rfd, int wfd, char *slot, size_t slotsz) {
    size_t n = 0;
    while (environ[n]) n++;
    char **env = rt_malloc((n + 2) * sizeof *env);
    if (!env) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], RT_MP_SPAWN_ENV "=", sizeof RT_MP_SPAWN_ENV) != 0) env[k++] = environ[i];
    snprintf(slot, slotsz, "%s=%d,%d", RT_MP_SPAWN_ENV, rfd, wfd);
    env[k++] = slot;
    env[k] = NULL;
    return env;
}

/* The program to exec: the path /proc/self/exe names, as CPython execs
 * sys.executable (a tool that runs the program, valgrind say, reports the
 * program's path there, while the link itself is the tool). If the file was
 * deleted or replaced since, the link still reaches this very image. */
static const char *spawn_exe(char *path, size_t size) {
    ssize_t n = readlink("/proc/self/exe", path, size - 1);
    if (n <= 0 || (size_t)n >= size - 1) return "/proc/self/exe";
    path[n] = 0;
    static const char deleted[] = " (deleted)";
    size_t dl = sizeof deleted - 1;
    if ((size_t)n > dl && strcmp(path + n - dl, deleted) == 0) return "/proc/self/exe";
    return path;
}

/* In the forked child, between fork and exec: async-signal-safe calls only. */
RT_NORETURN static void exec_child(const char *exe, char **argv, char **env, int rfd, int wfd,
                                   const int *fds, size_t nfds) {
    fcntl(rfd, F_SETFD, 0);
    fcntl(wfd, F_SETFD, 0);
    for (size_t i = 0; i < nfds; i++) fcntl(fds[i], F_SETFD, 0);
    execve(exe, argv, env);
    if (strcmp(exe, "/proc/self/exe") != 0) execve("/proc/self/exe", argv, env);
    _exit(127);
}

static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) { rt_raise_errno(errno, NULL); return -1; }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The message to the child: the start method, then the Process itself. */
static int spawn_payload(RtValue *self, RtBuf *buf, int **fds, size_t *nfds) {
    int method = g.method < 0 ? RT_START_FORK : g.method;
    if (rt_buf_put_u8(buf, (unsigned)method) < 0) return -1;
    bool to_stderr = false;
    int level = 0;
    bool logger = rt_mp_log_prep && rt_mp_log_prep(&to_stderr, &level);
    if (rt_buf_put_u8(buf, logger ? 1u + to_stderr : 0u) < 0 || rt_buf_put_sleb(buf, level) < 0) return -1;
    return rt_ser_dump_for_spawn(buf, self, fds, nfds);
}

static int start_spawn(RtValue *self) {
    RtBuf buf = RT_BUF_INIT;
    int *fds = NULL, data[2] = { -1, -1 }, sent[2] = { -1, -1 };
    size_t nfds = 0;
    char slot[64], exe_buf[4096];
    char **argv = NULL, **env = NULL;
    int rc = -1;
    const char *exe = spawn_exe(exe_buf, sizeof exe_buf);
    if (spawn_payload(self, &buf, &fds, &nfds) < 0) goto out;
    if (!(argv = read_argv()) || pipe_cloexec(data) < 0 || pipe_cloexec(sent) < 0) goto out;
    if (!(env = spawn_env(data[0], sent[1], slot, sizeof slot))) goto out;
    rt_flush_std();
    pid_t pid = fork();
    if (pid < 0) { rt_raise_errno(errno, NULL); goto out; }
    if (pid == 0) exec_child(exe, argv, env, data[0], sent[1], fds, nfds);
    PROC(self)->pid = pid;
    PROC(self)->sentinel = sent[0];
    sent[0] = -1;
    close(data[0]);
    data[0] = -1;
    /* a child that died before reading gives EPIPE; its exitcode tells the story */
    if (write_all(data[1], buf.data, buf.len) < 0 && rt_exc_matches((RtValue *)&rt_exc_BrokenPipeError))
        rt_decref(rt_exc_fetch());
    rc = RT_ERR() ? -1 : 0;
out:
    for (int i = 0; i < 2; i++) {
        if (data[i] >= 0) close(data[i]);
        if (sent[i] >= 0) close(sent[i]);
    }
    rt_free(env);
    rt_free(argv);
    rt_free(fds);
    rt_buf_free(&buf);
    return rc;
}

static int read_all(int fd, RtBuf *b) {
    for (;;) {
        if (rt_buf_reserve(b, 65536) < 0) return -1;
        ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { rt_raise_errno(errno, NULL); return -1; }
        if (n == 0) return 0;
        b->len += (size_t)n;
    }
}

/* Reads the spawn message; the fds come from RT_MP_SPAWN_ENV. */
static int spawn_receive(RtBuf *buf, unsigned *method) {
    const char *v = getenv(RT_MP_SPAWN_ENV);
    int rfd = -1, wfd = -1;
    if (!v || sscanf(v, "%d,%d", &rfd, &wfd) != 2) {
        rt_raise(&rt_exc_RuntimeError, "bad " RT_MP_SPAWN_ENV);
        return -1;
    }
    unsetenv(RT_MP_SPAWN_ENV);      /* our own children must not take it for theirs */
    fcntl(wfd, F_SETFD, FD_CLOEXEC); /* held until we exit: the parent's sentinel */
    int rc = read_all(rfd, buf);
    close(rfd);
    if (rc == 0) rc = rt_buf_get_u8(buf, method);
    unsigned logger = 0;
    int64_t level = 0;
    if (rc == 0) rc = rt_buf_get_u8(buf, &logger);
    if (rc == 0) rc = rt_buf_get_sleb(buf, &level);
    /* spawn.prepare: the logger before the main module runs */
    if (rc == 0 && logger && rt_mp_log_setup) rt_mp_log_setup(logger == 2, (int)level);
    return rc;
}

int rt_mp_spawn_child_main(const RtProgram *prog) {
    RtBuf buf = RT_BUF_INIT;
    unsigned method = RT_START_FORK;
    close_stdin(open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (spawn_receive(&buf, &method) < 0 || prog->module_init(false) < 0) {
        rt_buf_free(&buf);
        return rt_exc_report_uncaught();
    }
    g.method = (int)method;
    RtValue *self = rt_ser_load(&buf);
    rt_buf_free(&buf);
    if (!self) return rt_exc_report_uncaught();
    int code = is_process(self) ? bootstrap(self) : 1;
    rt_decref(self);
    return code;
}

/* ==== at exit ============================================================================================================ */

void rt_mp_set_exit_hook(int which, void (*hook)(void)) {
    g.exit_hooks[which] = hook;
}

void rt_mp_set_queue_hooks(void (*after_fork)(void), void (*late)(void)) {
    g.after_fork_hook = after_fork;
    g.late_hook = late;
}

/* A child's name for util's messages ("calling join() for process Process-1"). */
static void log_child(const char *what, RtValue *c) {
    if (!rt_mp_util_log) return;
    RtValue *name = PROC(c)->name ? rt_str(PROC(c)->name) : NULL;
    if (!name) RT_CLEAR(rt_exc_pending);
    RT_MP_LOG(RT_MP_INFO, "calling %s for %s %s", what, strcmp(what, "join()") ? "daemon" : "process",
              name ? rt_str_data(name) : "None");
    rt_xdecref(name);
}

void rt_mp_at_exit(void) {
    if (g.exiting) return;
    g.exiting = true;
    RT_MP_LOG(RT_MP_INFO, "process shutting down");
    RT_MP_LOG(RT_MP_DEBUG, "running all \"atexit\" finalizers with priority >= 0");
    for (int i = 0; i < RT_MP_EXIT_HOOKS; i++)
        if (g.exit_hooks[i]) g.exit_hooks[i]();
    if (g.nchildren) {
        RtValue *saved = rt_exc_fetch();   /* NULL when none: keep what the module raised */
        if (cleanup_children() < 0) rt_decref(rt_exc_fetch());
        for (size_t i = 0; i < g.nchildren; i++) {
            RtProcess *p = PROC(g.children[i]);
            if (p->daemon && rt_truthy(p->daemon) == 1 && !p->exited) {
                log_child("terminate()", g.children[i]);
                kill(p->pid, SIGTERM);   /* when already gone, waitpid below collects it */
            }
        }
        /* active_children() again, as CPython: the ones still running are joined */
        if (cleanup_children() < 0) rt_decref(rt_exc_fetch());
        while (g.nchildren) {
            RtValue *c = g.children[0];
            int code;
            log_child("join()", c);
            if (poll_child(PROC(c), true, &code) < 0) rt_decref(rt_exc_fetch());
            children_discard(c);
        }
        if (saved) rt_exc_restore(saved);
    }
    RT_MP_LOG(RT_MP_DEBUG, "running the remaining \"atexit\" finalizers");
    if (g.late_hook) g.late_hook();
}

/* ==== module functions ======================================================================================================= */

RtValue *rt_mp_current_process(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (no_args("current_process", nargs, kwnames) < 0) return NULL;
    RtValue *c = current_process();
    return c ? rt_newref(c) : NULL;
}

RtValue *rt_mp_parent_process(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (no_args("parent_process", nargs, kwnames) < 0) return NULL;
    if (!g.in_child) return rt_newref(rt_None);
    if (!g.parent) {
        RtValue *cur = current_process();
        if (!cur) return NULL;
        g.parent = make_parent_process(PROC(cur)->parent_name, PROC(cur)->parent_pid);
        if (!g.parent) return NULL;
    }
    return rt_newref(g.parent);
}

RtValue *rt_mp_active_children(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (no_args("active_children", nargs, kwnames) < 0 || cleanup_children() < 0) return NULL;
    return rt_list_from_array(g.children, g.nchildren);
}

RtValue *rt_mp_cpu_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (no_args("cpu_count", nargs, kwnames) < 0) return NULL;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) return rt_raise(&rt_exc_NotImplementedError, "cannot determine number of cpus");
    return rt_int(n);
}

/* ==== start methods and contexts ================================================================================================ */

static const char *const method_names[] = { "fork", "spawn", "forkserver" };

RtStartMethod rt_mp_start_method(void) {
    return g.method < 0 ? RT_START_FORK : (RtStartMethod)g.method;
}

RtStartMethod rt_mp_default_context_use(void) {
    if (g.method < 0 && !g.via_context) g.method = RT_START_FORK;
    return rt_mp_start_method();
}

/* 'fork' -> RT_START_FORK ...; -1 with ValueError "cannot find context for 'x'". */
static int method_from(RtValue *m) {
    if (rt_is_str(m))
        for (int i = 0; i < 3; i++)
            if (strcmp(rt_str_data(m), method_names[i]) == 0) return i;
    rt_raise_fmt(&rt_exc_ValueError, "cannot find context for %R", m);
    return -1;
}

typedef struct RtContext { RtValue ob; } RtContext;

static RtType *const context_types[] = { &rt_mp_ForkContext, &rt_mp_SpawnContext, &rt_mp_ForkServerContext };
static RtContext contexts[] = {
    { RT_STATIC_HEAD(&rt_mp_ForkContext) },
    { RT_STATIC_HEAD(&rt_mp_SpawnContext) },
    { RT_STATIC_HEAD(&rt_mp_ForkServerContext) },
};

int rt_mp_context_method(RtValue *ctx) {
    for (int i = 0; i < 3; i++)
        if (ctx->type == context_types[i]) return i;
    rt_raise_fmt(&rt_exc_TypeError, "expected a multiprocessing context, not '%s'", ctx->type->name);
    return -1;
}

/* The method of the context a function is bound to (ctx.get_context), or -1. */
static int bound_context(RtValue *self) {
    for (int i = 0; self && i < 3; i++)
        if (self->type == context_types[i]) return i;
    return -1;
}

/* get_context(method=None): with None, the default context (which fixes it). */
RtValue *rt_mp_get_context(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "method" };
    RtValue *a[1];
    if (bind_opt("DefaultContext.get_context", names, 1, args, nargs, kwnames, a) < 0) return NULL;
    int m;
    if (a[0] != rt_None) m = method_from(a[0]);
    else if ((m = bound_context(self)) < 0) {
        if (g.method < 0) g.method = RT_START_FORK;
        m = g.method;
    }
    return m < 0 ? NULL : rt_newref((RtValue *)&contexts[m]);
}

RtValue *rt_mp_set_start_method(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "method", "force" };
    RtParamSpec spec = { .fname = "DefaultContext.set_start_method", .names = names, .npos = 2 };
    RtValue *a[2], *defs = rt_tuple_pack(1, rt_False);
    (void)self;
    if (!defs) return NULL;
    int rc = rt_bind_args(&spec, args, nargs, kwnames, defs, NULL, a, NULL, NULL);
    rt_decref(defs);
    if (rc < 0) return NULL;
    int force = rt_truthy(a[1]);
    if (force < 0) return NULL;
    if (g.method >= 0 && !force) return rt_raise(&rt_exc_RuntimeError, "context has already been set");
    if (a[0] == rt_None && force) { g.method = -1; return rt_newref(rt_None); }
    if (a[0] == rt_None) { g.method = RT_START_FORK; return rt_newref(rt_None); }   /* get_context(None) */
    int m = method_from(a[0]);
    if (m < 0) return NULL;
    g.method = m;
    return rt_newref(rt_None);
}

RtValue *rt_mp_get_start_method(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "allow_none" };
    RtValue *a[1];
    if (bind_opt("get_start_method", names, 1, args, nargs, kwnames, a) < 0) return NULL;
    int m = bound_context(self);
    if (m >= 0) return rt_str_from_cstr(method_names[m]);
    if (g.method < 0) {
        int allow = rt_truthy(a[0]);
        if (allow < 0) return NULL;
        if (allow) return rt_newref(rt_None);
        g.method = RT_START_FORK;
    }
    return rt_str_from_cstr(method_names[g.method]);
}

RtValue *rt_mp_get_all_start_methods(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    if (no_args("get_all_start_methods", nargs, kwnames) < 0) return NULL;
    RtValue *l = rt_list_new(3);
    for (int i = 0; l && i < 3; i++) {
        RtValue *s = rt_str_from_cstr(method_names[i]);
        if (!s || rt_list_append_steal(l, s) < 0) RT_CLEAR(l);
    }
    return l;
}

static RtValue *ctx_set_start_method(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return rt_raise(&rt_exc_ValueError, "cannot set start method of concrete context");
}

/* The module-level objects a context forwards to (mp2c_pool.h,
 * mp2c_shared.h). Manager has no declaration yet: referenced weakly, so
 * that this file links without it. XXX: a weak reference does not pull its
 * object file out of the archive; strong references for everything else. */
/* strong: get_context(m).Manager() must link manager.c */

/* ctx.Pool(...): Pool(..., context=ctx), as BaseContext.Pool passes it. */
static RtValue *ctx_pool(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    RtValue *kn = rt_tuple_new(nkw + 1);
    RtValue **a = kn ? rt_malloc((nargs + nkw + 1) * sizeof *a) : NULL;
    RtValue *r = NULL;
    if (a) {
        for (size_t i = 0; i < nkw; i++) RT_TUPLE_SET(kn, i, rt_newref(RT_TUPLE_GET(kwnames, i)));
        RtValue *ctxname = rt_str_from_cstr("context");
        RT_TUPLE_SET(kn, nkw, ctxname ? ctxname : rt_newref(rt_None));
        memcpy(a, args, (nargs + nkw) * sizeof *a);
        a[nargs + nkw] = self;
        if (ctxname) r = rt_call((RtValue *)&rt_mp_Pool, a, nargs, kn);
    }
    rt_free(a);
    rt_xdecref(kn);
    return r;
}

/* ctx.Queue(...), ctx.Value(...): BaseContext's factories bound to a
 * concrete context, which pass it on instead of asking the default context
 * (so they leave it unfixed, as CPython's do). */
static RtValue *ctx_call(RtValue *f, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    g.via_context++;
    RtValue *r = rt_call(f, args, nargs, kwnames);
    g.via_context--;
    return r;
}

#define CTX_FACTORY(name, callee)                                                                    \
    static RtValue *ctx_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) { \
        (void)self;                                                                                   \
        return ctx_call((RtValue *)(callee), args, nargs, kwnames);                                  \
    }
CTX_FACTORY(Queue, &rt_mp_Queue)
CTX_FACTORY(JoinableQueue, &rt_mp_JoinableQueue)
CTX_FACTORY(SimpleQueue, &rt_mp_SimpleQueue)
CTX_FACTORY(Lock, &rt_mp_Lock)
CTX_FACTORY(RLock, &rt_mp_RLock)
CTX_FACTORY(Semaphore, &rt_mp_Semaphore)
CTX_FACTORY(BoundedSemaphore, &rt_mp_BoundedSemaphore)
CTX_FACTORY(Event, &rt_mp_Event)
CTX_FACTORY(Condition, &rt_mp_Condition)
CTX_FACTORY(Barrier, &rt_mp_Barrier)
#undef CTX_FACTORY

static RtValue *ctx_fn(RtNativeFn fn, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    g.via_context++;
    RtValue *r = fn(NULL, args, nargs, kwnames);
    g.via_context--;
    return r;
}
static RtValue *ctx_Value(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return ctx_fn(rt_mp_Value, args, nargs, kwnames);
}
static RtValue *ctx_Array(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return ctx_fn(rt_mp_Array, args, nargs, kwnames);
}
static RtValue *ctx_Manager(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return ctx_fn(rt_mp_Manager, args, nargs, kwnames);
}

typedef struct CtxAttr {
    const char *name;
    RtType     *type;      /* a class, or */
    RtNativeFn  fn;        /* a function; bound to the context when `bind` */
    bool        bind;
} CtxAttr;

static RtValue *ctx_attr(RtValue *self, const char *name) {
    int m = rt_mp_context_method(self);
    static RtType *const proc_types[] = { &rt_mp_ForkProcess, &rt_mp_SpawnProcess, &rt_mp_ForkServerProcess };
    if (strcmp(name, "Process") == 0) return rt_newref((RtValue *)proc_types[m]);
    const CtxAttr attrs[] = {
        { "Queue", NULL, ctx_Queue, true }, { "JoinableQueue", NULL, ctx_JoinableQueue, true },
        { "SimpleQueue", NULL, ctx_SimpleQueue, true }, { "Lock", NULL, ctx_Lock, true },
        { "RLock", NULL, ctx_RLock, true }, { "Semaphore", NULL, ctx_Semaphore, true },
        { "BoundedSemaphore", NULL, ctx_BoundedSemaphore, true }, { "Event", NULL, ctx_Event, true },
        { "Condition", NULL, ctx_Condition, true }, { "Barrier", NULL, ctx_Barrier, true },
        { "Pool", NULL, ctx_pool, true },
        { "Value", NULL, ctx_Value, true }, { "Array", NULL, ctx_Array, true },
        { "RawValue", NULL, rt_mp_RawValue, false }, { "RawArray", NULL, rt_mp_RawArray, false },
        { "Manager", NULL, ctx_Manager, true },
        { "Pipe", NULL, rt_mp_Pipe, false }, { "cpu_count", NULL, rt_mp_cpu_count, false },
        { "current_process", NULL, rt_mp_current_process, false },
        { "parent_process", NULL, rt_mp_parent_process, false },
        { "active_children", NULL, rt_mp_active_children, false },
        { "get_all_start_methods", NULL, rt_mp_get_all_start_methods, false },
        { "get_context", NULL, rt_mp_get_context, true },
        { "get_start_method", NULL, rt_mp_get_start_method, true },
        { "set_start_method", NULL, ctx_set_start_method, true },
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        if (strcmp(attrs[i].name, name) != 0) continue;
        if (attrs[i].type) return rt_newref((RtValue *)attrs[i].type);
        if (attrs[i].fn) return rt_builtin_new(attrs[i].name, attrs[i].fn, attrs[i].bind ? self : NULL, -1);
    }
    return NULL;   /* no such attribute */
}

static RtValue *ctx_repr(RtValue *self) {
    char buf[128];
    snprintf(buf, sizeof buf, "<multiprocessing.context.%s object at %p>", self->type->name, (void *)self);
    return rt_str_from_cstr(buf);
}

/* A context is a static object: the same one in every process. */
static int ctx_ser_dump(RtValue *self, RtBuf *buf) {
    return rt_buf_put_u8(buf, (unsigned)rt_mp_context_method(self));
}

static RtValue *ctx_ser_load(RtType *t, RtBuf *buf) {
    unsigned m;
    (void)t;
    if (rt_buf_get_u8(buf, &m) < 0) return NULL;
    if (m > 2) return rt_raise(&rt_exc_ValueError, "serialized data is malformed (context)");
    return rt_newref((RtValue *)&contexts[m]);
}

#define CONTEXT_TYPE(cname, pyname) \
    RtType cname = { .ob = RT_STATIC_HEAD(&rt_type_type), .name = pyname, \
        .module = "multiprocessing.context", .tag = RT_T_NATIVE, .base = &rt_type_object, \
        .size = sizeof(RtContext), .table_index = -1, .repr = ctx_repr, .getattr = ctx_attr, \
        .ser_dump = ctx_ser_dump, .ser_load = ctx_ser_load };
CONTEXT_TYPE(rt_mp_ForkContext, "ForkContext")
CONTEXT_TYPE(rt_mp_SpawnContext, "SpawnContext")
CONTEXT_TYPE(rt_mp_ForkServerContext, "ForkServerContext")

/* ==== the types ====================================================================================================================== */

static const RtMethodDef process_methods[] = {
    { "__init__", rt_mp_Process_m___init__ },
    { "run", rt_mp_Process_m_run },
    { "start", rt_mp_Process_m_start },
    { "join", rt_mp_Process_m_join },
    { "is_alive", rt_mp_Process_m_is_alive },
    { "terminate", rt_mp_Process_m_terminate },
    { "kill", rt_mp_Process_m_kill },
    { "close", rt_mp_Process_m_close },
    { NULL, NULL },
};

static const RtGetSetDef process_getset[] = {
    { "name", get_name, set_name },
    { "daemon", get_daemon, set_daemon },
    { "exitcode", get_exitcode, NULL },
    { "pid", get_pid, NULL },
    { "ident", get_pid, NULL },
    { "sentinel", get_sentinel, NULL },
    { NULL, NULL, NULL },
};

#define PROCESS_TYPE(cname, pyname, mod, flags_) \
    RtType cname = { .ob = RT_STATIC_HEAD(&rt_type_type), .name = pyname, .module = mod, \
        .tag = RT_T_NATIVE, .flags = flags_, .base = &rt_type_object, .size = sizeof(RtProcess), \
        .dict_offset = offsetof(RtProcess, dict), .table_index = -1, .dealloc = process_dealloc, \
        .repr = process_repr, .construct = process_construct, .ser_dump = process_ser_dump, \
        .ser_load = process_ser_load, .methods = process_methods, .getset = process_getset };
PROCESS_TYPE(rt_mp_Process, "Process", "multiprocessing.context", RT_TF_BASETYPE)
PROCESS_TYPE(rt_mp_ForkProcess, "ForkProcess", "multiprocessing.context", RT_TF_BASETYPE)
PROCESS_TYPE(rt_mp_SpawnProcess, "SpawnProcess", "multiprocessing.context", RT_TF_BASETYPE)
PROCESS_TYPE(rt_mp_ForkServerProcess, "ForkServerProcess", "multiprocessing.context", RT_TF_BASETYPE)

static RtValue *no_construct(RtType *t, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a; (void)n; (void)kw;
    return rt_raise_fmt(&rt_exc_TypeError, "cannot create '%s' instances", t->name);
}

#define INTERNAL_PROCESS_TYPE(cname, pyname) \
    RtType cname = { .ob = RT_STATIC_HEAD(&rt_type_type), .name = pyname, \
        .module = "multiprocessing.process", .tag = RT_T_NATIVE, .base = &rt_type_object, \
        .size = sizeof(RtProcess), .dict_offset = offsetof(RtProcess, dict), .table_index = -1, \
        .dealloc = process_dealloc, .repr = process_repr, .construct = no_construct, \
        .methods = process_methods, .getset = process_getset };
INTERNAL_PROCESS_TYPE(rt_mp__MainProcess, "_MainProcess")
INTERNAL_PROCESS_TYPE(rt_mp__ParentProcess, "_ParentProcess")

/* mp2c_mp.h: multiprocessing's processes and channels on POSIX.
 * Part of mp2c.h; include that instead.
 *
 * Naming: the Python class multiprocessing.X is `RtType rt_mp_X`; the
 * module-level function multiprocessing.f is the RtNativeFn `rt_mp_f`;
 * the method m of class X is the RtNativeFn `rt_mp_X_m_<m>` (rt_mp_Process_m_start).
 * Modules os, time, sys follow the same scheme (rt_os_getpid, rt_time_sleep).
 *
 * How the Python calls map onto POSIX:
 *   Process.start (fork)   fork(2) after flushing stdio (and open(2) of
 *                          /dev/null, the child's stdin); the child runs run()
 *                          and leaves with _exit(2)
 *   Process.start (spawn)  fork(2) + execve(2) of /proc/self/exe; the child
 *                          reads the pickled Process from an inherited pipe
 *   Process.join           waitpid(2); with a timeout, poll(2) on the sentinel
 *   Process.sentinel       fork: pidfd_open(2) on first use, readable when the
 *                          child ends; spawn: the read end of a pipe(2) whose
 *                          write end only the child holds
 *   parent_process()       in a child; its sentinel is a pidfd_open(2) fd
 *   terminate / kill       kill(2) with SIGTERM / SIGKILL
 *   Pipe()                 socketpair(AF_UNIX, SOCK_SEQPACKET): one record per
 *                          message, so concurrent readers never split one
 *   Pipe(duplex=False)     pipe2(O_CLOEXEC), messages framed by a length prefix
 *   Connection.poll        poll(2)
 *   time.sleep             clock_nanosleep(2) to an absolute CLOCK_MONOTONIC deadline
 */
#ifndef MP2C_MP_H
#define MP2C_MP_H

#include <poll.h>
#include <sys/types.h>

/* ---- start methods ------------------------------------------------------------ */
typedef enum RtStartMethod { RT_START_FORK, RT_START_SPAWN, RT_START_FORKSERVER } RtStartMethod;
/* The method set by set_start_method (fork when none was set). No syscalls. */
RtStartMethod rt_mp_start_method(void);
/* DefaultContext.get_context(), which the default context's factories call
 * (multiprocessing.Queue, Lock, Value, Pool, Manager, ...): fixes the start
 * method (fork when none was set), after which set_start_method raises
 * "context has already been set". Not when the factory was reached through
 * a concrete context (get_context('spawn').Queue), as in CPython. */
RtStartMethod rt_mp_default_context_use(void);
/* The method of a context object made by get_context(); -1 with TypeError when
 * ctx is not a context. For Pool(context=ctx) and the like. */
int rt_mp_context_method(RtValue *ctx) RT_MUST_CHECK;

/* ---- process plumbing shared with Queue and Pool ------------------------------------
 * Under spawn the parent passes the serialized Process through an inherited
 * fd named by this environment variable ("R,W": data fd, sentinel fd). rt_main
 * calls rt_mp_spawn_child_main when it is set. */
#define RT_MP_SPAWN_ENV "MP2C_SPAWN_FD"

/* fork(2) after rt_flush_std(). In the child it resets the per-process state
 * as CPython's BaseProcess._bootstrap does: no children, the process counter
 * back to 1, no atexit joins inherited. Returns the pid in the parent, 0 in
 * the child, or -1 with OSError. */
pid_t rt_mp_fork(void) RT_MUST_CHECK;
/* Leaves a child: flushes stdout and stderr, then _exit(2) (no atexit
 * handlers, as os._exit after _bootstrap). */
RT_NORETURN void rt_mp_child_exit(int code);
/* A waitpid(2) status as Process.exitcode: the exit status, or -signal. */
int rt_mp_exitcode(int status);
/* waitpid(2) on one child, EINTR-safe: 1 reaped (*exitcode set), 0 still
 * running (only when !block), -1 with OSError (ChildProcessError for ECHILD). */
int rt_mp_reap(pid_t pid, bool block, int *exitcode) RT_MUST_CHECK;
/* poll(2) until an event or the timeout (seconds; < 0 blocks), restarting
 * after EINTR with the time left. The number of ready fds, or -1 with OSError. */
int rt_mp_poll(struct pollfd *fds, size_t n, double timeout) RT_MUST_CHECK;
/* CPython's util._exit_function, once per process: logs "process shutting
 * down", runs the exit hooks below, terminates (SIGTERM) the daemonic
 * children and joins all, with util's INFO/DEBUG messages. rt_main calls it when the module finishes,
 * normally or not; a child calls it after run(). Keeps no pending exception. */
void rt_mp_at_exit(void);
/* What rt_mp_at_exit runs before joining children, in this order: a
 * Manager's server is told to stop (it would be waited for forever), then
 * executors finish their submitted calls (CPython's _python_exit), then
 * Pools stop (CPython's finalizers run before daemonic children are
 * terminated, so idle workers still flush their output). Each module sets
 * its hook when it makes its first object, so a program that never made one
 * never calls (or, in a forked child, pages in) that module's code. */
enum { RT_MP_EXIT_MANAGERS, RT_MP_EXIT_EXECUTORS, RT_MP_EXIT_POOLS, RT_MP_EXIT_QUEUES, RT_MP_EXIT_HOOKS };
void rt_mp_set_exit_hook(int which, void (*hook)(void));
/* Queues' share of util's callbacks (queue.c sets them at its first Queue):
 * after_fork runs in a child before run() (util._run_after_forkers), late
 * after the children are joined (the finalizers with negative priority). */
void rt_mp_set_queue_hooks(void (*after_fork)(void), void (*late)(void));
/* Entry of a spawned child (rt_main calls it when RT_MP_SPAWN_ENV is set):
 * reads the Process from the inherited fd, runs prog->module_init(false)
 * (__name__ == '__mp_main__', so the main guard is skipped), then the
 * Process's run(). Returns the exit code, as the forked path computes it. */
int rt_mp_spawn_child_main(const RtProgram *prog);

/* ---- Process ---------------------------------------------------------------------
 * multiprocessing.Process, and the classes of each context (ForkProcess,
 * SpawnProcess, ForkServerProcess: same behaviour, their own names and start
 * method). Subclassable: a script's `class Worker(Process)` overriding run()
 * works under fork and spawn. current_process() is a _MainProcess in the
 * main process; parent_process() a _ParentProcess in a child. */
extern RtType rt_mp_Process, rt_mp_ForkProcess, rt_mp_SpawnProcess, rt_mp_ForkServerProcess,
    rt_mp__MainProcess, rt_mp__ParentProcess;
RtValue *rt_mp_Process_m___init__(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_Process_m_run(RtValue *, RtValue *const *, size_t, RtValue *);        /* target(*args, **kwargs) */
RtValue *rt_mp_Process_m_start(RtValue *, RtValue *const *, size_t, RtValue *);      /* fork (spawn: pipe2, fork+execve) */
RtValue *rt_mp_Process_m_join(RtValue *, RtValue *const *, size_t, RtValue *);       /* waitpid; poll(sentinel) for a timeout */
RtValue *rt_mp_Process_m_is_alive(RtValue *, RtValue *const *, size_t, RtValue *);   /* waitpid(WNOHANG) */
RtValue *rt_mp_Process_m_terminate(RtValue *, RtValue *const *, size_t, RtValue *);  /* kill(SIGTERM) */
RtValue *rt_mp_Process_m_kill(RtValue *, RtValue *const *, size_t, RtValue *);       /* kill(SIGKILL) */
RtValue *rt_mp_Process_m_close(RtValue *, RtValue *const *, size_t, RtValue *);      /* close(sentinel) */

/* multiprocessing.current_process(), parent_process(), active_children()
 * (reaps finished children with waitpid(WNOHANG)), cpu_count()
 * (sysconf(_SC_NPROCESSORS_ONLN)). */
RtValue *rt_mp_current_process(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_parent_process(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_active_children(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_cpu_count(RtValue *, RtValue *const *, size_t, RtValue *);
/* set_start_method(method, force=False), get_start_method(allow_none=False),
 * get_all_start_methods() -> ['fork', 'spawn', 'forkserver'], get_context(method=None).
 * 'forkserver' behaves as 'fork' here (XXX: no server process). */
RtValue *rt_mp_set_start_method(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_get_start_method(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_get_all_start_methods(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_get_context(RtValue *, RtValue *const *, size_t, RtValue *);
/* The context objects' types (ForkContext, SpawnContext, ForkServerContext):
 * ctx.Process is the context's Process class; other attributes (Queue, Pool,
 * Lock, Value, ...) are the multiprocessing module's, with the context passed
 * on where CPython passes it (Pool, Queue). */
extern RtType rt_mp_ForkContext, rt_mp_SpawnContext, rt_mp_ForkServerContext;

/* ---- Pipe and Connection ---------------------------------------------------------- */
/* Pipe(duplex=True) -> (conn1, conn2): socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC);
 * Pipe(duplex=False) -> (reader, writer): pipe2(O_CLOEXEC). */
RtValue *rt_mp_Pipe(RtValue *, RtValue *const *, size_t, RtValue *);
/* multiprocessing.connection.Connection. */
extern RtType rt_mp_Connection;
RtValue *rt_mp_Connection_m_send(RtValue *, RtValue *const *, size_t, RtValue *);       /* serialize; send(2)/write(2) */
RtValue *rt_mp_Connection_m_recv(RtValue *, RtValue *const *, size_t, RtValue *);       /* recvmsg(2)/read(2); EOFError at end */
RtValue *rt_mp_Connection_m_send_bytes(RtValue *, RtValue *const *, size_t, RtValue *); /* (buf, offset=0, size=None) */
RtValue *rt_mp_Connection_m_recv_bytes(RtValue *, RtValue *const *, size_t, RtValue *); /* (maxlength=None) */
RtValue *rt_mp_Connection_m_poll(RtValue *, RtValue *const *, size_t, RtValue *);       /* poll(2); timeout 0.0, None = block */
RtValue *rt_mp_Connection_m_close(RtValue *, RtValue *const *, size_t, RtValue *);      /* close(2) */
RtValue *rt_mp_Connection_m_fileno(RtValue *, RtValue *const *, size_t, RtValue *);
/* multiprocessing.connection.wait(object_list, timeout=None): poll(2) on
 * Connections, Process sentinels (ints) and objects with fileno(); returns
 * the ready ones as a list, in the order given. */
RtValue *rt_mp_connection_wait(RtValue *, RtValue *const *, size_t, RtValue *);

/* ---- os ---------------------------------------------------------------------------- */
RtValue *rt_os_getpid(RtValue *, RtValue *const *, size_t, RtValue *);     /* getpid(2) */
RtValue *rt_os_getppid(RtValue *, RtValue *const *, size_t, RtValue *);    /* getppid(2) */
RtValue *rt_os_cpu_count(RtValue *, RtValue *const *, size_t, RtValue *);  /* sysconf(_SC_NPROCESSORS_ONLN) */
RtValue *rt_os_getenv(RtValue *, RtValue *const *, size_t, RtValue *);     /* getenv(3); (key, default=None) */
RtValue *rt_os_kill(RtValue *, RtValue *const *, size_t, RtValue *);       /* kill(2) */
RtValue *rt_os__exit(RtValue *, RtValue *const *, size_t, RtValue *);      /* _exit(2), no flushing (as os._exit) */
RtValue *rt_os_getcwd(RtValue *, RtValue *const *, size_t, RtValue *);     /* getcwd(3) */
/* The data members os.environ (a dict snapshot of environ(7)), os.sep,
 * os.linesep, os.pathsep, os.curdir, os.devnull, os.name. New reference, or
 * NULL with AttributeError for other names. */
RtValue *rt_os_getattr(const char *name);

/* ---- time ------------------------------------------------------------------------- */
/* time.sleep(secs): clock_nanosleep(2) on CLOCK_MONOTONIC to an absolute
 * deadline, so signals (EINTR) never shorten it. */
RtValue *rt_time_sleep(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_time_time(RtValue *, RtValue *const *, size_t, RtValue *);            /* clock_gettime(CLOCK_REALTIME) */
RtValue *rt_time_time_ns(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_time_monotonic(RtValue *, RtValue *const *, size_t, RtValue *);       /* CLOCK_MONOTONIC */
RtValue *rt_time_monotonic_ns(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_time_perf_counter(RtValue *, RtValue *const *, size_t, RtValue *);    /* CLOCK_MONOTONIC */
RtValue *rt_time_perf_counter_ns(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_time_process_time(RtValue *, RtValue *const *, size_t, RtValue *);    /* CLOCK_PROCESS_CPUTIME_ID */
RtValue *rt_time_process_time_ns(RtValue *, RtValue *const *, size_t, RtValue *);
/* time.strftime(format): the current local time only (localtime_r, strftime(3)). */
RtValue *rt_time_strftime(RtValue *, RtValue *const *, size_t, RtValue *);
/* Unboxed forms for code that knows the types: seconds as double.
 * rt_time_sleep_f64 returns 0, or -1 with ValueError for a negative or NaN duration. */
int    rt_time_sleep_f64(double secs) RT_MUST_CHECK;
double rt_time_time_f64(void);
double rt_time_monotonic_f64(void);
double rt_time_perf_counter_f64(void);

#endif

/* mp2c_futures.h: concurrent.futures (process side) and a minimal logging
 * module. Part of mp2c.h; include that instead.
 *
 * Naming: the Python class M.X is `RtType rt_M_X` (M = futures, logging);
 * the module function M.f is the RtNativeFn `rt_M_f` (self is NULL); the
 * method m of class X is the RtNativeFn `rt_M_X_m_<m>` (also in X's methods
 * table). Behaviour and messages are CPython 3.11's.
 *
 * How concurrent.futures maps onto the runtime:
 *   - ProcessPoolExecutor starts a multiprocessing Pool (mp2c_pool.h) of
 *     max_workers processes at its first submit, as CPython's fork context
 *     does; the workers rename themselves ForkProcess-N (CPython's executor
 *     names; the Pool would say ForkPoolWorker-N). Every call travels to a
 *     worker as Pool.apply_async of a small runtime function that calls it,
 *     so functions are sent as Pool sends them (by function-table index).
 *   - As CPython's executor keeps at most max_workers + 1 calls in its call
 *     queue, at most that many futures are handed to the Pool at once
 *     ("running"); the rest wait in the executor ("pending") and can be
 *     cancelled. There is no manager thread: the executor moves pending
 *     calls to the Pool, and collects results, whenever the main thread is
 *     inside one of these functions (result(), wait(), as_completed(),
 *     iteration of map(), shutdown(), ...). A future submitted less than
 *     5 ms after the previous one stays pending until then, as CPython's
 *     manager thread cannot take it before the main thread lets go of the
 *     GIL; done(), running() and repr() observe the state a background
 *     thread would have reached by then.
 *   - Waiting for "any of these futures" (as_completed, wait) waits on the
 *     oldest running call with a short timeout (futex sleeps in the Pool's
 *     result ring: 2 ms growing to 50 ms while nothing completes), so it
 *     never spins; futures are stamped in the order the Pool collects their
 *     results, which is the order they finished.
 *   - A worker that dies (SIGKILL, os._exit) breaks the executor as in
 *     CPython: every unfinished future fails with BrokenProcessPool, the
 *     other workers are terminated, and submit() raises BrokenProcessPool.
 *     An initializer that raises is logged ("Exception in initializer:",
 *     CRITICAL, logger 'concurrent.futures') and breaks the pool at the
 *     first call that worker takes.
 *   - At exit the runtime finishes every call still submitted and joins the
 *     workers (CPython's _python_exit): rt_futures_atexit, which must run
 *     before Pool's own atexit (see the report to the lead).
 *   - ThreadPoolExecutor is the same machinery under CPython's thread-pool
 *     signature and names: calls run in worker *processes*, not threads
 *     (current_process().name reads 'MainProcess' in them, but os.getpid()
 *     differs and module globals the calls change are not shared with the
 *     caller). Scripts whose tasks only compute and return values behave
 *     the same; tasks that mutate shared objects do not.
 *
 * How logging maps: loggers form CPython's dotted hierarchy under the root
 * logger 'root' (WARNING); records are LogRecord objects with CPython's
 * attributes; StreamHandler writes each formatted record and flushes it
 * (sys.stderr by default, through the C stderr FILE*); FileHandler opens
 * its file with open(). Formatter supports the '%' and '{' styles. Caller
 * information comes from the generated code (rt_log_site, below):
 * %(pathname)s and %(filename)s name the script, %(module)s its stem,
 * %(lineno)d and %(funcName)s the Python call. The runtime's own multiprocessing code logs
 * CPython's internal util.debug/info messages through RT_MP_LOG (below).
 *
 * Every member, for gen/modules.c (kind: FN = RtNativeFn, TYPE = RtType to
 * call, EXC = exception RtType, CONST = C expression giving a new reference):
 *
 *   module              member                 kind   C symbol / expression                       result
 *   ------------------  ---------------------  -----  ------------------------------------------  -----------------------
 *   concurrent.futures  ProcessPoolExecutor    TYPE   rt_futures_ProcessPoolExecutor              (instance)
 *   concurrent.futures  ThreadPoolExecutor     TYPE   rt_futures_ThreadPoolExecutor               (instance)
 *   concurrent.futures  Executor               TYPE   rt_futures_Executor                         (instance)
 *   concurrent.futures  Future                 TYPE   rt_futures_Future                           (instance)
 *   concurrent.futures  as_completed           FN     rt_futures_as_completed                     any (iterator of N:rt_futures_Future)
 *   concurrent.futures  wait                   FN     rt_futures_wait                             any (named pair of sets)
 *   concurrent.futures  FIRST_COMPLETED        CONST  rt_str_const("FIRST_COMPLETED", 15)         str
 *   concurrent.futures  FIRST_EXCEPTION        CONST  rt_str_const("FIRST_EXCEPTION", 15)         str
 *   concurrent.futures  ALL_COMPLETED          CONST  rt_str_const("ALL_COMPLETED", 13)           str
 *   concurrent.futures  CancelledError         EXC    rt_futures_CancelledError
 *   concurrent.futures  TimeoutError           EXC    rt_exc_TimeoutError   (the builtin, as in 3.11)
 *   concurrent.futures  InvalidStateError      EXC    rt_futures_InvalidStateError
 *   concurrent.futures  BrokenExecutor         EXC    rt_futures_BrokenExecutor
 *   concurrent.futures  process                SUB    concurrent.futures.process
 *   concurrent.futures  thread                 SUB    concurrent.futures.thread
 *   concurrent.futures.process  ProcessPoolExecutor  TYPE  rt_futures_ProcessPoolExecutor     (instance)
 *   concurrent.futures.process  BrokenProcessPool    EXC   rt_futures_BrokenProcessPool
 *   concurrent.futures.thread   ThreadPoolExecutor   TYPE  rt_futures_ThreadPoolExecutor      (instance)
 *   concurrent.futures.thread   BrokenThreadPool     EXC   rt_futures_BrokenThreadPool
 *   concurrent          futures                SUB    concurrent.futures   (and MODULE("concurrent"),
 *                                                     MODULE("concurrent.futures"), ...process, ...thread)
 *
 *   logging             getLogger              FN     rt_logging_getLogger                        N:rt_logging_Logger
 *   logging             basicConfig            FN     rt_logging_basicConfig                      none
 *   logging             debug                  FN     rt_logging_debug                            none
 *   logging             info                   FN     rt_logging_info                             none
 *   logging             warning                FN     rt_logging_warning                          none
 *   logging             warn                   FN     rt_logging_warning                          none
 *   logging             error                  FN     rt_logging_error                            none
 *   logging             exception              FN     rt_logging_exception                        none
 *   logging             critical               FN     rt_logging_critical                         none
 *   logging             fatal                  FN     rt_logging_critical                         none
 *   logging             log                    FN     rt_logging_log                              none
 *   logging             disable                FN     rt_logging_disable                          none
 *   logging             shutdown               FN     rt_logging_shutdown                         none
 *   logging             getLevelName           FN     rt_logging_getLevelName                     any
 *   logging             addLevelName           FN     rt_logging_addLevelName                     none
 *   logging             getLoggerClass         FN     rt_logging_getLoggerClass                   any
 *   logging             Logger                 TYPE   rt_logging_Logger                           (instance)
 *   logging             RootLogger             TYPE   rt_logging_RootLogger                       (instance)
 *   logging             Handler                TYPE   rt_logging_Handler                          (instance)
 *   logging             StreamHandler          TYPE   rt_logging_StreamHandler                    (instance)
 *   logging             FileHandler            TYPE   rt_logging_FileHandler                      (instance)
 *   logging             NullHandler            TYPE   rt_logging_NullHandler                      (instance)
 *   logging             Formatter              TYPE   rt_logging_Formatter                        (instance)
 *   logging             Filter                 TYPE   rt_logging_Filter                           (instance)
 *   logging             LogRecord              TYPE   rt_logging_LogRecord                        (instance)
 *   logging             CRITICAL, FATAL        CONST  rt_int(50)                                  int
 *   logging             ERROR                  CONST  rt_int(40)                                  int
 *   logging             WARNING, WARN          CONST  rt_int(30)                                  int
 *   logging             INFO                   CONST  rt_int(20)                                  int
 *   logging             DEBUG                  CONST  rt_int(10)                                  int
 *   logging             NOTSET                 CONST  rt_int(0)                                   int
 *   logging             BASIC_FORMAT           CONST  rt_str_const("%(levelname)s:%(name)s:%(message)s", 33)  str
 *   logging             root                   CONST  rt_logging_root()                           N:rt_logging_RootLogger
 *   logging             raiseExceptions        CONST  rt_newref(rt_True)                          bool
 *   multiprocessing     log_to_stderr          FN     rt_mp_log_to_stderr                         N:rt_logging_Logger
 *   multiprocessing     get_logger             FN     rt_mp_get_logger                            N:rt_logging_Logger
 *   multiprocessing     SUBDEBUG, SUBWARNING   CONST  rt_int(5), rt_int(25)                       int
 *   (multiprocessing.util: the same two functions and constants)
 *
 * Native methods generated code may call directly (native_methods rows):
 *   rt_futures_Future: result -> any, exception -> any, done/running/cancelled/cancel -> bool,
 *       add_done_callback -> none  (rt_futures_Future_m_<name>)
 *   rt_futures_ProcessPoolExecutor / rt_futures_ThreadPoolExecutor: submit -> N:rt_futures_Future,
 *       map -> any, shutdown -> none  (rt_futures_Executor_m_<name>)
 *   rt_logging_Logger / rt_logging_RootLogger: debug/info/warning/error/critical/exception/log -> none,
 *       setLevel/addHandler/removeHandler -> none, isEnabledFor -> bool,
 *       getEffectiveLevel -> int  (rt_logging_Logger_m_<name>)
 */
#ifndef MP2C_FUTURES_H
#define MP2C_FUTURES_H

/* ==== concurrent.futures (futures.c) ============================================= */

/* concurrent.futures.Future (module concurrent.futures._base). Calling the
 * type gives a pending future no executor runs (set_result() and friends
 * complete it). Its repr is CPython's: "<Future at 0x... state=pending>",
 * "state=finished returned int", "state=finished raised ValueError". */
extern RtType rt_futures_Future;
/* Executor (the abstract base), ProcessPoolExecutor(max_workers=None,
 * mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None)
 * and ThreadPoolExecutor(max_workers=None, thread_name_prefix='',
 * initializer=None, initargs=()) (worker processes; see above). */
extern RtType rt_futures_Executor, rt_futures_ProcessPoolExecutor, rt_futures_ThreadPoolExecutor;
/* The exceptions: Error(Exception) (concurrent.futures._base.Error, not
 * exported by CPython's package), CancelledError(Error), InvalidStateError(Error),
 * BrokenExecutor(RuntimeError), BrokenProcessPool(BrokenExecutor) and
 * BrokenThreadPool(BrokenExecutor). */
extern RtType rt_futures_Error, rt_futures_CancelledError, rt_futures_InvalidStateError,
    rt_futures_BrokenExecutor, rt_futures_BrokenProcessPool, rt_futures_BrokenThreadPool;

/* Future methods (self is the future). result(timeout=None) and
 * exception(timeout=None) wait (TimeoutError, CancelledError); cancel()
 * succeeds only while pending; add_done_callback(fn) calls fn(future) in
 * this process when it completes (now, if it has). */
RtValue *rt_futures_Future_m_result(RtValue *, RtValue *const *, size_t, RtValue *);     /* new ref: the value, or NULL with the call's exception */
RtValue *rt_futures_Future_m_exception(RtValue *, RtValue *const *, size_t, RtValue *);  /* new ref: the exception or None */
RtValue *rt_futures_Future_m_done(RtValue *, RtValue *const *, size_t, RtValue *);       /* bool */
RtValue *rt_futures_Future_m_running(RtValue *, RtValue *const *, size_t, RtValue *);    /* bool */
RtValue *rt_futures_Future_m_cancelled(RtValue *, RtValue *const *, size_t, RtValue *);  /* bool */
RtValue *rt_futures_Future_m_cancel(RtValue *, RtValue *const *, size_t, RtValue *);     /* bool: cancelled (now or before) */
RtValue *rt_futures_Future_m_add_done_callback(RtValue *, RtValue *const *, size_t, RtValue *); /* None */
RtValue *rt_futures_Future_m_set_result(RtValue *, RtValue *const *, size_t, RtValue *);  /* None; InvalidStateError when done */
RtValue *rt_futures_Future_m_set_exception(RtValue *, RtValue *const *, size_t, RtValue *); /* None; InvalidStateError when done */
RtValue *rt_futures_Future_m_set_running_or_notify_cancel(RtValue *, RtValue *const *, size_t, RtValue *); /* bool */

/* Executor methods (self is a ProcessPoolExecutor or ThreadPoolExecutor). */
RtValue *rt_futures_Executor_m_submit(RtValue *, RtValue *const *, size_t, RtValue *);   /* submit(fn, /, *args, **kwargs): new Future */
RtValue *rt_futures_Executor_m_map(RtValue *, RtValue *const *, size_t, RtValue *);      /* map(fn, *iterables, timeout=None, chunksize=1): new iterator */
RtValue *rt_futures_Executor_m_shutdown(RtValue *, RtValue *const *, size_t, RtValue *); /* shutdown(wait=True, *, cancel_futures=False): None */
RtValue *rt_futures_Executor_m___enter__(RtValue *, RtValue *const *, size_t, RtValue *); /* new ref to self */
RtValue *rt_futures_Executor_m___exit__(RtValue *, RtValue *const *, size_t, RtValue *);  /* shutdown(wait=True); False */

/* as_completed(fs, timeout=None): new iterator yielding each future once,
 * in the order they finish (the already finished ones first); TimeoutError
 * "N (of M) futures unfinished" at the deadline. */
RtValue *rt_futures_as_completed(RtValue *, RtValue *const *, size_t, RtValue *);
/* wait(fs, timeout=None, return_when=ALL_COMPLETED): new DoneAndNotDoneFutures
 * (done, not_done), a namedtuple of two sets. */
RtValue *rt_futures_wait(RtValue *, RtValue *const *, size_t, RtValue *);

/* Finishes every call still submitted to this process's executors and joins
 * their workers (CPython's concurrent.futures atexit hook). Must run before
 * rt_mp_pool_atexit; keeps no pending exception. */
void rt_futures_atexit(void);
/* For time.sleep in the main thread: while sleeping until the CLOCK_MONOTONIC
 * deadline, keep the executors' workers fed and collect their results, as
 * CPython's manager threads do meanwhile. Returns 1 when it slept until the
 * deadline, 0 when there was no executor work (the caller sleeps itself),
 * -1 with an exception (from a done-callback). */
int rt_futures_sleep_until(int64_t deadline_ns) RT_MUST_CHECK;

/* ==== logging (logging.c) ==================================================== */

extern RtType rt_logging_Logger, rt_logging_RootLogger, rt_logging_Handler,
    rt_logging_StreamHandler, rt_logging_FileHandler, rt_logging_NullHandler,
    rt_logging_Formatter, rt_logging_Filter, rt_logging_LogRecord;

/* logging.getLogger(name=None): the root logger for None, '' or 'root'. New reference. */
RtValue *rt_logging_getLogger(RtValue *, RtValue *const *, size_t, RtValue *);
/* The Python line and function name of the logging call about to be made.
 * The emitter writes it just before a call such as logger.info(...) or
 * logging.warning(...), after the arguments; the next record takes it
 * (LogRecord.lineno, .funcName) and clears it. No system call. */
void rt_log_site(int line, const char *func);
/* basicConfig(**kwargs): filename, filemode, format, datefmt, style, level,
 * stream, handlers, force, encoding, errors. None. */
RtValue *rt_logging_basicConfig(RtValue *, RtValue *const *, size_t, RtValue *);
/* The module functions: basicConfig() first when the root logger has no
 * handler, then the root logger's method. (msg, *args, **kwargs); log takes
 * (level, msg, *args, **kwargs). None. */
RtValue *rt_logging_debug(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_info(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_warning(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_error(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_exception(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_critical(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_log(RtValue *, RtValue *const *, size_t, RtValue *);
/* disable(level=CRITICAL), shutdown() (flushes and closes every handler). None. */
RtValue *rt_logging_disable(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_shutdown(RtValue *, RtValue *const *, size_t, RtValue *);
/* getLevelName(level): 'WARNING', 'Level 7', or the number for a name. New reference. */
RtValue *rt_logging_getLevelName(RtValue *, RtValue *const *, size_t, RtValue *);
/* addLevelName(level, levelName). None. */
RtValue *rt_logging_addLevelName(RtValue *, RtValue *const *, size_t, RtValue *);
/* getLoggerClass(): the Logger type. New reference. */
RtValue *rt_logging_getLoggerClass(RtValue *, RtValue *const *, size_t, RtValue *);
/* logging.root: the root logger. New reference. */
RtValue *rt_logging_root(void);

/* Logger methods (self is a logger): (msg, *args, exc_info=None, extra=None,
 * stack_info=False, stacklevel=1); log(level, msg, ...); exception() sets
 * exc_info=True. None. */
RtValue *rt_logging_Logger_m_debug(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_Logger_m_info(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_Logger_m_warning(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_Logger_m_error(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_Logger_m_exception(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_Logger_m_critical(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_Logger_m_log(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_logging_Logger_m_setLevel(RtValue *, RtValue *const *, size_t, RtValue *);         /* int or level name; None */
RtValue *rt_logging_Logger_m_isEnabledFor(RtValue *, RtValue *const *, size_t, RtValue *);     /* bool */
RtValue *rt_logging_Logger_m_getEffectiveLevel(RtValue *, RtValue *const *, size_t, RtValue *); /* int */
RtValue *rt_logging_Logger_m_addHandler(RtValue *, RtValue *const *, size_t, RtValue *);       /* None */
RtValue *rt_logging_Logger_m_removeHandler(RtValue *, RtValue *const *, size_t, RtValue *);    /* None */
RtValue *rt_logging_Logger_m_hasHandlers(RtValue *, RtValue *const *, size_t, RtValue *);      /* bool */
RtValue *rt_logging_Logger_m_getChild(RtValue *, RtValue *const *, size_t, RtValue *);         /* new Logger ref */

/* multiprocessing.get_logger(): the 'multiprocessing' logger (propagate = 0).
 * log_to_stderr(level=None): get_logger() plus a StreamHandler to stderr
 * formatted '[%(levelname)s/%(processName)s] %(message)s'. New references. */
RtValue *rt_mp_get_logger(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_log_to_stderr(RtValue *, RtValue *const *, size_t, RtValue *);
/* multiprocessing.util.debug/info/...: logs the printf-formatted message on
 * the 'multiprocessing' logger at `level` when get_logger() has made it,
 * else does nothing (cheap). For the runtime's multiprocessing code, at the
 * points where CPython's util logs ("child process calling self.run()"). */
/* Declared weak: the runtime's multiprocessing code calls it through
 * RT_MP_LOG, so a program that never touches logging does not link logging.c. */
void rt_mp_util_log(int level, const char *fmt, ...) __attribute__((weak, format(printf, 2, 3)));
/* What a spawned child needs to set the logger up as CPython's spawn.prepare
 * does: whether log_to_stderr() was called, the effective level. False when
 * get_logger() was never called. Both weak, as rt_mp_util_log. */
bool rt_mp_log_prep(bool *to_stderr, int *level) __attribute__((weak));
void rt_mp_log_setup(bool to_stderr, int level) __attribute__((weak));
enum { RT_MP_SUBDEBUG = 5, RT_MP_DEBUG = 10, RT_MP_INFO = 20 };
#define RT_MP_LOG(level, ...) \
    do { if (rt_mp_util_log) rt_mp_util_log((level), __VA_ARGS__); } while (0)
/* util.debug('created semlock with handle %s') for each of the n SemLocks
 * CPython's object of the same kind would make (Queue: 3, Condition: 4, ...).
 * The handles shown are addresses in mp2c's shared state, one per line. */
#define RT_MP_LOG_SEMLOCKS(state, n) \
    do { for (int i_ = 0; i_ < (n); i_++) \
             RT_MP_LOG(RT_MP_DEBUG, "created semlock with handle %lu", \
                       (unsigned long)(uintptr_t)(state) + 32ul * (unsigned long)i_); } while (0)

/* For the runtime's own use (futures.c): logs `msg` at `level` on the logger
 * named `name`, with exc (borrowed, may be NULL) as exc_info, as
 * LOGGER.critical(msg, exc_info=True) does. Keeps the pending exception
 * state as it was. */
void rt_logging_log_exc(const char *name, int level, const char *msg, RtValue *exc);

#endif

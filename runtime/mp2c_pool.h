/* mp2c_pool.h: multiprocessing's queues and process pool.
 * Part of mp2c.h; include that instead.
 *
 * Naming: the Python class multiprocessing.X is `RtType rt_mp_X`; its method
 * m is the RtNativeFn `rt_mp_X_m_m` (also in the type's methods table).
 *
 * How the Python calls map onto POSIX:
 *   - A Queue is a ring of variable-length records in a memfd that every
 *     process maps MAP_SHARED (memfd_create, ftruncate, mmap). A robust
 *     process-shared pthread mutex guards it; blocked getters and putters
 *     sleep on futex words in the same page (futex FUTEX_WAIT_BITSET with an
 *     absolute CLOCK_MONOTONIC deadline). There is no feeder thread: put()
 *     serializes the object and copies the bytes into the ring before it
 *     returns, so a process may exit right after put() without losing data.
 *   - The ring of an unbounded queue never fills: put() doubles it
 *     (ftruncate + mremap; other processes remap on their next operation)
 *     up to 64 GiB of queued bytes, then raises MemoryError; once such a
 *     grown ring runs empty its pages go back to the kernel (fallocate
 *     PUNCH_HOLE). maxsize bounds the number of items, as CPython's
 *     semaphore does, not the bytes.
 *   - A Pool's workers are daemonic Process objects of the pool's start
 *     method, named ForkPoolWorker-N (SpawnPoolWorker-N under spawn, where
 *     the worker re-executes the program and maps the pool's memfds, which
 *     its target carries), with prctl PR_SET_PDEATHSIG so that none
 *     outlives the parent. They talk to the parent through two such
 *     rings: tasks (parent -> workers) and results (workers -> parent). The
 *     parent has no helper threads: results are collected, and callbacks
 *     run, in the main thread whenever it calls into the pool or waits on
 *     one of its results (CPython runs callbacks in a helper thread as soon
 *     as results arrive). Dead workers are noticed with Process.is_alive
 *     (waitpid WNOHANG) at least every 100 ms while waiting.
 */
#ifndef MP2C_POOL_H
#define MP2C_POOL_H

/* ---- Queue, JoinableQueue, SimpleQueue ----------------------------------------
 * Calling the type object constructs one: Queue(maxsize=0),
 * JoinableQueue(maxsize=0), SimpleQueue(). Instances are inherited by forked
 * children; under spawn they travel as their memfd's fd number (ser_dump), so
 * the spawner must keep that fd open across exec. */
extern RtType rt_mp_Queue, rt_mp_JoinableQueue, rt_mp_SimpleQueue;

/* Queue(maxsize) from C: memfd_create + ftruncate + 2x mmap. New reference. */
RtValue *rt_mp_queue_new(RtType *type, int64_t maxsize);
/* q.put(obj, block, timeout): serializes obj, then locks and copies it into
 * the ring (futex-waits while a bounded queue is full). timeout < 0 means
 * None. Raises queue.Full, ValueError "Queue ... is closed". 0 or -1. */
int      rt_mp_queue_put(RtValue *q, RtValue *obj, bool block, double timeout) RT_MUST_CHECK;
/* q.get(block, timeout): locks, copies one record out (futex-waits while
 * empty), unlocks, then deserializes. timeout < 0 means None. Raises
 * _queue.Empty. New reference or NULL. */
RtValue *rt_mp_queue_get(RtValue *q, bool block, double timeout);

/* The methods, with CPython's signatures (self is the queue). */
RtValue *rt_mp_Queue_m_put(RtValue *, RtValue *const *, size_t, RtValue *);        /* put(obj, block=True, timeout=None) */
RtValue *rt_mp_Queue_m_get(RtValue *, RtValue *const *, size_t, RtValue *);        /* get(block=True, timeout=None) */
RtValue *rt_mp_Queue_m_put_nowait(RtValue *, RtValue *const *, size_t, RtValue *); /* put(obj, False) */
RtValue *rt_mp_Queue_m_get_nowait(RtValue *, RtValue *const *, size_t, RtValue *); /* get(False) */
RtValue *rt_mp_Queue_m_qsize(RtValue *, RtValue *const *, size_t, RtValue *);      /* items in the ring (lock, read, unlock) */
RtValue *rt_mp_Queue_m_empty(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_Queue_m_full(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_Queue_m_close(RtValue *, RtValue *const *, size_t, RtValue *);      /* this process stops using it; no syscall */
RtValue *rt_mp_Queue_m_join_thread(RtValue *, RtValue *const *, size_t, RtValue *); /* nothing to join: put() already copied */
RtValue *rt_mp_Queue_m_cancel_join_thread(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_JoinableQueue_m_task_done(RtValue *, RtValue *const *, size_t, RtValue *); /* ValueError when too many */
RtValue *rt_mp_JoinableQueue_m_join(RtValue *, RtValue *const *, size_t, RtValue *);      /* futex-waits for 0 unfinished */
RtValue *rt_mp_SimpleQueue_m_get(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_SimpleQueue_m_put(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_SimpleQueue_m_empty(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_SimpleQueue_m_close(RtValue *, RtValue *const *, size_t, RtValue *);  /* later use: OSError "handle is closed" */

/* ---- Pool -----------------------------------------------------------------------
 * Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None,
 * context=None) starts `processes` workers (os.cpu_count() when None). Functions travel to
 * the workers by index in the program's function table (rt_ser_dump), so a
 * lambda or a nested function fails as it does in CPython, at get().
 * Each result object (ApplyResult, MapResult) and each imap iterator
 * (IMapIterator, IMapUnorderedIterator) keeps its pool alive until it is
 * ready. */
extern RtType rt_mp_Pool, rt_mp_AsyncResult, rt_mp_MapResult,
    rt_mp_IMapIterator, rt_mp_IMapUnorderedIterator;

/* Pool(...) from C, with the default start method: memfd rings +
 * `processes` x Process.start. New reference. */
RtValue *rt_mp_pool_new(int64_t processes, RtValue *initializer, RtValue *initargs,
                        int64_t maxtasksperchild /* <= 0: None */);

RtValue *rt_mp_Pool_m_apply(RtValue *, RtValue *const *, size_t, RtValue *);          /* apply(func, args=(), kwds={}) */
RtValue *rt_mp_Pool_m_apply_async(RtValue *, RtValue *const *, size_t, RtValue *);    /* (func, args=(), kwds={}, callback=None, error_callback=None) */
RtValue *rt_mp_Pool_m_map(RtValue *, RtValue *const *, size_t, RtValue *);            /* map(func, iterable, chunksize=None) */
RtValue *rt_mp_Pool_m_map_async(RtValue *, RtValue *const *, size_t, RtValue *);      /* (func, iterable, chunksize=None, callback=None, error_callback=None) */
RtValue *rt_mp_Pool_m_starmap(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_Pool_m_starmap_async(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_Pool_m_imap(RtValue *, RtValue *const *, size_t, RtValue *);           /* imap(func, iterable, chunksize=1): fed lazily */
RtValue *rt_mp_Pool_m_imap_unordered(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_Pool_m_close(RtValue *, RtValue *const *, size_t, RtValue *);          /* no more tasks */
RtValue *rt_mp_Pool_m_join(RtValue *, RtValue *const *, size_t, RtValue *);           /* finish all, one sentinel per worker, waitpid */
RtValue *rt_mp_Pool_m_terminate(RtValue *, RtValue *const *, size_t, RtValue *);      /* idle workers exit, busy ones get SIGTERM; waitpid */
RtValue *rt_mp_Pool_m___enter__(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_Pool_m___exit__(RtValue *, RtValue *const *, size_t, RtValue *);       /* terminate(), as CPython */

/* AsyncResult / MapResult: get(timeout=None) raises
 * multiprocessing.TimeoutError, or the worker's exception with the worker's
 * "Traceback (most recent call last): ..." text as its __cause__, a
 * multiprocessing.pool.RemoteTraceback, as CPython's rebuild_exc; ready();
 * successful() raises ValueError "<... object at 0x...> not ready";
 * wait(timeout=None). A worker that dies while running a task fails that
 * task with multiprocessing.ProcessError "pool worker ForkPoolWorker-N
 * (pid P) was killed by signal 9 (SIGKILL) while running a task"; a result
 * still pending at terminate() fails with ProcessError too (CPython's get()
 * would hang in both cases). */
/* A worker's exception gets, in the parent, __cause__ = an instance of
 * `module.name` (made on first use into *cls; an Exception subclass) whose
 * str is text, '\n"""\n<traceback>"""' (CPython's RemoteTraceback). */
RtValue *rt_pool_remote_traceback(RtValue **cls, const char *module, const char *name, RtValue *text);
/* Is v the multiprocessing.pool.RemoteTraceback the Pool chains? */
bool rt_pool_is_remote_traceback(RtValue *v);
RtValue *rt_mp_AsyncResult_m_get(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_AsyncResult_m_wait(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_AsyncResult_m_ready(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_mp_AsyncResult_m_successful(RtValue *, RtValue *const *, size_t, RtValue *);
/* IMapIterator.next(timeout=None) (also the iternext slot). */
RtValue *rt_mp_IMapIterator_m_next(RtValue *, RtValue *const *, size_t, RtValue *);

/* Terminates and reaps every pool this process created and still runs
 * (sentinels to idle workers, SIGTERM to busy ones, waitpid). Registered with
 * atexit() by the first Pool. CPython runs this finalizer before it
 * terminates the remaining daemonic children, so rt_mp_at_exit should call
 * it first (idle workers then still flush their output). */
void rt_mp_pool_atexit(void);

/* ---- internal: the shared ring both files use (not for generated code) --------- */
/* Deadlines are CLOCK_MONOTONIC nanoseconds; RT__NEVER waits forever and 0
 * (or any past time) does not wait. */
#define RT__NEVER INT64_MAX
int64_t rt__now_ns(void);
/* A deadline `timeout` seconds from now (None/negative as CPython's queues:
 * timeout < 0 is treated as 0). */
int64_t rt__deadline_after(double timeout);

typedef struct RtChan RtChan;
/* A new ring holding at most maxitems records (<= 0: unbounded). NULL + exception. */
RtChan *rt__chan_new(int64_t maxitems);
void    rt__chan_free(RtChan *c);                  /* munmap, close: this process only */
int     rt__chan_fd(const RtChan *c);              /* the memfd (for ser_dump) */
RtChan *rt__chan_attach(int fd);                   /* maps an inherited memfd; dups it */
/* Appends one record of n bytes. 0; 1 when still full at the deadline;
 * -1 with an exception (MemoryError from growth). `joinable` counts it as
 * an unfinished task. p NULL: wait for room and count the task, but append
 * nothing (the item CPython's feeder thread drops when it cannot pickle it). */
int     rt__chan_put(RtChan *c, const void *p, size_t n, int64_t deadline, bool joinable) RT_MUST_CHECK;
/* Removes the oldest record into out (rt_realloc'd; out->len set, pos = 0).
 * When claim != NULL its first claim_len bytes are copied into it while the
 * lock is held, so an observer never sees a record both gone and unclaimed.
 * 0; 1 when still empty at the deadline; -1 with an exception. */
int     rt__chan_get(RtChan *c, RtBuf *out, int64_t deadline, void *claim, size_t claim_len) RT_MUST_CHECK;
int64_t rt__chan_count(RtChan *c);                 /* records queued */
int64_t rt__chan_maxitems(const RtChan *c);        /* 0 = unbounded */
void    rt__chan_clear(RtChan *c);                 /* drops every queued record */
int     rt__chan_task_done(RtChan *c);             /* 0, -1 with ValueError */
int     rt__chan_join(RtChan *c, int64_t deadline);/* 0 done, 1 timed out */

/* Binds a native method's arguments to CPython's signature: `names` lists the
 * parameters after self; the first nreq are required. out[] gets borrowed
 * values, NULL for absent optional ones. Raises CPython's TypeErrors for
 * `fname` (e.g. "Queue.put"). 0 or -1. */
int rt__bind(const char *fname, const char *const *names, int nreq, int nnames,
             RtValue *const *args, size_t nargs, RtValue *kwnames, RtValue **out) RT_MUST_CHECK;

#endif

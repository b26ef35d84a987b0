/* futures.c: concurrent.futures — Future, ProcessPoolExecutor,
 * ThreadPoolExecutor, as_completed() and wait(), on top of the runtime's
 * multiprocessing Pool.
 *
 * Key idea. CPython's executor has a manager thread that moves submitted
 * calls into a call queue of max_workers + 1 slots (those futures become
 * "running"; the others stay "pending" and can be cancelled) and that marks
 * futures finished as results arrive. We keep the program single-threaded:
 * the executor keeps its pending calls in a FIFO, hands at most
 * max_workers + 1 of them to the Pool (apply_async, with callbacks bound to
 * the future), and does the manager thread's work — collect, run done
 * callbacks, refill — at "settle" points, whenever the main thread calls in.
 *
 * The Pool runs its callbacks while it collects results, deep inside its own
 * bookkeeping, where calling back into the Pool is not safe (terminate()
 * from there would finish a job twice). So a Pool callback only records the
 * outcome on the future, stamps it with a completion number and queues it
 * on its executor's `done` list; settle() does the rest afterwards.
 *
 * Waiting. The Pool can wait for one result (AsyncResult.wait), not for
 * "any". To wait for any of several futures we wait on the oldest running
 * call with a short timeout (2 ms, doubling to 50 ms while nothing
 * completes): a futex sleep in the Pool's result ring, never a spin. The
 * completion stamps, not the moment we look, give as_completed() its order.
 *
 * In the worker every call goes through run_task/run_chunk (native
 * functions, which the serializer sends by address as it sends any builtin)
 * so that the worker can: report a failed initializer as BrokenProcessPool
 * at its first call instead of dying (the Pool would respawn it forever);
 * return a BaseException (SystemExit) as the call's outcome instead of
 * ending the worker, as CPython's _process_worker does; and fail a call
 * whose result cannot be sent back with the pickling error, as CPython's
 * _sendback_result does.
 */
#include "mp2c.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { PENDING, RUNNING, CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED };
static const char *const state_names[] = {"PENDING", "RUNNING", "CANCELLED", "CANCELLED_AND_NOTIFIED", "FINISHED"};
static const char *const state_desc[] = {"pending", "running", "cancelled", "cancelled", "finished"};

#define SUBMIT_GAP_NS   5000000LL    /* CPython's GIL switch interval: the manager thread's delay */
#define SLICE_MIN_NS    2000000LL
#define SLICE_MAX_NS   50000000LL

static const char BROKEN_MSG[] = "A child process terminated abruptly, the process pool is not usable anymore";
static const char BPE_MSG[] =
    "A process in the process pool was terminated abruptly while the future was running or pending.";
static const char BROKEN_THREAD_MSG[] = "A thread initializer failed, the thread pool is not usable anymore";

/* ==== the exception types ===================================================== */

/* The exception slots live in exc.c; these forward to them at run time. */
static void fx_dealloc(RtValue *s) { rt_exc_BaseException.dealloc(s); }
static RtValue *fx_repr(RtValue *s) { return rt_exc_BaseException.repr(s); }
static int fx_hash(RtValue *s, int64_t *out) { return rt_exc_BaseException.hash(s, out); }
static RtValue *fx_getattr(RtValue *s, const char *name) { return rt_exc_BaseException.getattr(s, name); }
static RtValue *fx_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kw) {
    return rt_exc_BaseException.construct(t, args, nargs, kw);
}

#define FUTURES_EXC(sym, pyname, mod, basep)                                             \
    RtType sym = {                                                                       \
        .ob = RT_STATIC_HEAD(&rt_type_type), .name = pyname, .module = mod,              \
        .tag = RT_T_EXC, .flags = RT_TF_BASETYPE, .base = basep,                         \
        .size = sizeof(RtExc), .dict_offset = offsetof(RtExc, dict), .table_index = -1,  \
        .dealloc = fx_dealloc, .repr = fx_repr, .str = rt_exc_str, .hash = fx_hash,      \
        .construct = fx_construct, .getattr = fx_getattr,                                \
    };

FUTURES_EXC(rt_futures_Error, "Error", "concurrent.futures._base", &rt_exc_Exception)
FUTURES_EXC(rt_futures_CancelledError, "CancelledError", "concurrent.futures._base", &rt_futures_Error)
FUTURES_EXC(rt_futures_InvalidStateError, "InvalidStateError", "concurrent.futures._base", &rt_futures_Error)
FUTURES_EXC(rt_futures_BrokenExecutor, "BrokenExecutor", "concurrent.futures._base", &rt_exc_RuntimeError)
FUTURES_EXC(rt_futures_BrokenProcessPool, "BrokenProcessPool", "concurrent.futures.process", &rt_futures_BrokenExecutor)
FUTURES_EXC(rt_futures_BrokenThreadPool, "BrokenThreadPool", "concurrent.futures.thread", &rt_futures_BrokenExecutor)
/* Carries a worker's BaseException (SystemExit, KeyboardInterrupt) back as
 * an ordinary Exception, which the Pool sends; unwrapped in the parent. */
static FUTURES_EXC(carrier_type, "_BaseExceptionCarrier", "concurrent.futures.process", &rt_exc_Exception)

/* A new exception type(msg) (or type() for msg NULL). New reference. */
static RtValue *new_exc(RtType *type, const char *msg) {
    RtValue *s = msg ? rt_str_from_cstr(msg) : NULL;
    if (msg && !s) return NULL;
    RtValue *e = rt_call((RtValue *)type, &s, msg ? 1 : 0, NULL);
    rt_xdecref(s);
    return e;
}

static RtValue *raise_new(RtType *type, const char *msg) {
    RtValue *e = new_exc(type, msg);
    if (e) rt_exc_raise_new(e);
    return NULL;
}

/* ==== objects ==================================================================== */

typedef struct Executor Executor;

typedef struct Future {
    RtValue   ob;
    int       state;
    RtValue  *result;            /* FINISHED: the value (NULL when it raised) */
    RtValue  *exception;         /* FINISHED: the exception, or NULL */
    RtValue  *callbacks;         /* list of callables, or NULL */
    Executor *ex;                /* strong while its executor still has to finish it */
    RtValue  *async;             /* the Pool's AsyncResult while running */
    RtValue  *fn, *args, *kwargs;/* the call, until handed to the Pool */
    uint64_t  seq;               /* completion stamp; 0 until finished or notified */
    bool      chunk;             /* a map() chunk: the result is a list */
} Future;

typedef struct FutQ { Future **a; size_t head, len, cap; } FutQ;   /* FIFO of strong refs */

struct Executor {
    RtValue   ob;
    bool      threads;           /* ThreadPoolExecutor */
    int64_t   max_workers;
    RtValue  *context;           /* mp_context, or NULL */
    RtValue  *initializer;       /* NULL = None */
    RtValue  *initargs;          /* tuple */
    int64_t   max_tasks;         /* 0 = None */
    RtValue  *pool;              /* from the first submit until joined */
    pid_t     owner;
    bool      started, shutdown, break_now, joined;
    RtValue  *broken;            /* str: why submit() must fail, once broken */
    RtValue  *bpe;               /* the BrokenProcessPool its futures get */
    FutQ      queue;             /* submitted, not handed to the Pool yet */
    FutQ      flight;            /* handed to the Pool, oldest first */
    FutQ      done;              /* completed by a Pool callback, not settled yet */
    int64_t   last_submit;
    Executor *next_live;         /* executors with a pool, for rt_futures_atexit */
};

#define FUT(o) ((Future *)(o))
#define EX(o)  ((Executor *)(o))

static uint64_t g_seq;          /* completion stamps */
static Executor *g_live;        /* strong references */
static int64_t g_slice = SLICE_MIN_NS;

static int64_t now_ns(void) { return rt__now_ns(); }

/* ---- FIFO ---------------------------------------------------------------------- */

static int q_push(FutQ *q, Future *f) {   /* takes a new reference */
    if (q->head + q->len == q->cap) {
        if (q->head) {
            memmove(q->a, q->a + q->head, q->len * sizeof *q->a);
            q->head = 0;
        }
        if (q->len == q->cap) {
            size_t cap = q->cap ? q->cap * 2 : 8;
            Future **a = rt_realloc(q->a, cap * sizeof *a);
            if (!a) return -1;
            q->a = a;
            q->cap = cap;
        }
    }
    q->a[q->head + q->len++] = (Future *)rt_newref(&f->ob);
    return 0;
}

static Future *q_pop(FutQ *q) {          /* the caller gets the queue's reference */
    if (!q->len) return NULL;
    Future *f = q->a[q->head++];
    q->len--;
    if (!q->len) q->head = 0;
    return f;
}

static Future *q_at(const FutQ *q, size_t i) { return q->a[q->head + i]; }

/* Removes f (first occurrence) and returns the queue's reference, or NULL. */
static Future *q_remove(FutQ *q, Future *f) {
    for (size_t i = 0; i < q->len; i++) {
        if (q->a[q->head + i] != f) continue;
        memmove(q->a + q->head + i, q->a + q->head + i + 1, (q->len - i - 1) * sizeof *q->a);
        q->len--;
        return f;
    }
    return NULL;
}

static void q_free(FutQ *q) {
    Future *f;
    while ((f = q_pop(q))) rt_decref(&f->ob);
    rt_free(q->a);
    q->a = NULL;
    q->cap = 0;
}

/* ==== argument binding (CPython's messages for Python-level methods) ============ */

static RtValue *nones(size_t n) {
    static RtValue *cache[8];
    if (!cache[n]) {
        RtValue *t = rt_tuple_new(n);
        if (!t) return NULL;
        for (size_t i = 0; i < n; i++) RT_TUPLE_SET(t, i, rt_newref(rt_None));
        cache[n] = t;
    }
    return cache[n];
}

/* Binds self (NULL for a function) and the arguments against names[] (with
 * "self" first when self is given); the last ndef positional parameters
 * default to None, as do the keyword-only ones. out[] excludes self. */
static int bind(const char *fname, RtValue *self, const char *const *names, int npos, int nkwonly,
                int ndef, bool varargs, bool varkw, RtValue *const *args, size_t nargs,
                RtValue *kw, RtValue **out, RtValue **va, RtValue **vk) {
    RtValue *buf[24], *res[16];
    size_t nkw = kw ? RT_TUPLE_LEN(kw) : 0, off = self ? 1 : 0;
    RtValue **all = buf;
    if (nargs + nkw + 1 > 24) {
        all = rt_malloc((nargs + nkw + 1) * sizeof *all);
        if (!all) return -1;
    }
    if (self) all[0] = self;
    for (size_t i = 0; i < nargs + nkw; i++) all[off + i] = args[i];
    RtValue *kwdefs = NULL;
    if (nkwonly) {
        kwdefs = rt_dict_new();
        for (int i = 0; kwdefs && i < nkwonly; i++)
            if (rt_dict_set_cstr(kwdefs, names[npos + i], rt_None) < 0) RT_CLEAR(kwdefs);
        if (!kwdefs) { if (all != buf) rt_free(all); return -1; }
    }
    RtParamSpec spec = {.fname = fname, .names = names, .nposonly = 0, .npos = npos,
                        .nkwonly = nkwonly, .varargs = varargs, .varkw = varkw};
    int rc = rt_bind_args(&spec, all, nargs + off, kw, nones((size_t)ndef), kwdefs, res, va, vk);
    rt_xdecref(kwdefs);
    if (all != buf) rt_free(all);
    if (rc < 0) return -1;
    for (int i = (int)off; i < npos + nkwonly; i++) out[i - (int)off] = res[i];
    return 0;
}

/* A timeout argument as a CLOCK_MONOTONIC deadline (None: never). */
static int deadline_of(RtValue *t, int64_t *out) {
    if (!t || t == rt_None) { *out = RT__NEVER; return 0; }
    double secs;
    if (rt_as_double(t, &secs) < 0) return -1;
    if (secs != secs) secs = 0;
    if (secs > 9e9) { *out = RT__NEVER; return 0; }
    *out = now_ns() + (int64_t)(secs * 1e9);
    return 0;
}

static RtValue *timeout_seconds(int64_t deadline) {
    int64_t left = deadline - now_ns();
    return rt_float(left > 0 ? (double)left / 1e9 : 0.0);
}

/* ==== the worker side ============================================================= */

static bool g_init_failed;      /* in a worker: the initializer raised */
static bool g_worker_threads;   /* in a worker: of a ThreadPoolExecutor */
static RtBuf g_check;           /* scratch for the "can the result be sent" check */

static bool is_scalar(const RtValue *v) {
    const RtType *t = v->type;
    return t == &rt_type_int || t == &rt_type_bool || t == &rt_type_float ||
           t == &rt_type_str || t == &rt_type_bytes || t == &rt_type_NoneType;
}

/* What CPython's worker does with a call's outcome, as an outcome the Pool
 * can send: a BaseException that is not an Exception travels wrapped; a
 * result that cannot be serialized fails the call with that error. */
static RtValue *outcome(RtValue *r) {
    if (!r) {
        if (rt_exc_matches((RtValue *)&rt_exc_Exception)) return NULL;
        RtValue *e = rt_exc_fetch();
        RtValue *t = rt_tuple_pack(1, e);
        rt_decref(e);
        RtValue *c = t ? rt_exc_new(&carrier_type, t) : NULL;
        rt_xdecref(t);
        if (c) rt_exc_restore(c);
        return NULL;
    }
    if (is_scalar(r)) return r;
    rt_buf_reset(&g_check);
    if (rt_ser_dump(&g_check, r) < 0) { rt_decref(r); return NULL; }
    return r;
}

static RtValue *broken_in_worker(void) {
    return raise_new(g_worker_threads ? &rt_futures_BrokenThreadPool : &rt_futures_BrokenProcessPool,
                     g_worker_threads ? BROKEN_THREAD_MSG : BPE_MSG);
}

/* _run_task(fn, args, kwargs): fn(*args, **kwargs) in the worker. */
static RtValue *run_task(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)kw;
    if (n != 3 || !rt_is_tuple(a[1])) return rt_raise(&rt_exc_TypeError, "bad task");
    if (g_init_failed) return broken_in_worker();
    return outcome(rt_call_tuple_dict(a[0], a[1], rt_is_dict(a[2]) ? a[2] : NULL));
}

/* _process_chunk(fn, chunk): [fn(*args) for args in chunk]. */
static RtValue *run_chunk(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)kw;
    if (n != 2 || !rt_is_tuple(a[1])) return rt_raise(&rt_exc_TypeError, "bad chunk");
    if (g_init_failed) return broken_in_worker();
    RtValue *out = rt_list_new(RT_TUPLE_LEN(a[1]));
    for (size_t i = 0; out && i < RT_TUPLE_LEN(a[1]); i++) {
        RtValue *argt = RT_TUPLE_GET(a[1], i);
        RtValue *r = rt_is_tuple(argt) ? rt_call(a[0], ((RtTuple *)argt)->items, RT_TUPLE_LEN(argt), NULL)
                                       : rt_raise(&rt_exc_TypeError, "bad chunk");
        if (!r || rt_list_append_steal(out, r) < 0) RT_CLEAR(out);
    }
    return outcome(out);
}

/* _init_worker(threads, initializer, initargs): runs first in each worker. */
static RtValue *init_worker(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)kw;
    if (n != 3) return rt_raise(&rt_exc_TypeError, "bad initializer arguments");
    g_worker_threads = a[0] == rt_True;
    /* CPython's executor workers are ForkProcess-N (threads: the main process). */
    RtValue *cur = rt_mp_current_process(NULL, NULL, 0, NULL);
    RtValue *name = cur ? rt_getattr(cur, "name") : NULL;
    if (name && rt_is_str(name)) {
        const char *s = rt_str_data(name), *at = strstr(s, "PoolWorker");
        char buf[256];
        if (g_worker_threads) snprintf(buf, sizeof buf, "MainProcess");
        else if (at) snprintf(buf, sizeof buf, "%.*sProcess%s", (int)(at - s), s, at + 10);
        else snprintf(buf, sizeof buf, "%s", s);
        RtValue *nn = rt_str_from_cstr(buf);
        if (!nn || rt_setattr(cur, "name", nn) < 0) RT_CLEAR(rt_exc_pending);
        rt_xdecref(nn);
    }
    rt_xdecref(name);
    rt_xdecref(cur);
    RT_CLEAR(rt_exc_pending);
    if (a[1] != rt_None) {
        RtValue *r = rt_call_tuple_dict(a[1], rt_is_tuple(a[2]) ? a[2] : NULL, NULL);
        if (!r) {
            RtValue *exc = rt_exc_fetch();
            rt_logging_log_exc("concurrent.futures", 50, "Exception in initializer:", exc);
            rt_decref(exc);
            g_init_failed = true;
        }
        rt_xdecref(r);
    }
    return rt_None;
}

/* ==== Future ======================================================================= */

static bool is_done(const Future *f) {
    return f->state == CANCELLED || f->state == CANCELLED_AND_NOTIFIED || f->state == FINISHED;
}

/* Done as wait() and as_completed() see it: finished, or cancelled and notified. */
static bool is_notified(const Future *f) {
    return f->state == CANCELLED_AND_NOTIFIED || f->state == FINISHED;
}

/* The repr of the state as recorded (no collection: safe inside settle). */
static RtValue *repr_now(Future *f) {
    char buf[320];
    RtValue *self = &f->ob;
    if (f->state == FINISHED)
        snprintf(buf, sizeof buf, "<%s at %p state=%s %s %s>", self->type->name, (void *)self,
                 state_desc[f->state], f->exception ? "raised" : "returned",
                 f->exception ? f->exception->type->name : f->result->type->name);
    else
        snprintf(buf, sizeof buf, "<%s at %p state=%s>", self->type->name, (void *)self, state_desc[f->state]);
    return rt_str_from_cstr(buf);
}

/* Calls fn(future), logging an exception as CPython's LOGGER.exception does. */
static void call_callback(Future *f, RtValue *fn) {
    RtValue *self = &f->ob;
    RtValue *r = rt_call(fn, &self, 1, NULL);
    if (r) { rt_decref(r); return; }
    if (!rt_exc_matches((RtValue *)&rt_exc_Exception)) {
        RT_CLEAR(rt_exc_pending);   /* XXX: a BaseException from a callback is dropped */
        return;
    }
    RtValue *exc = rt_exc_fetch();
    RtValue *rep = repr_now(f);
    if (!rep) RT_CLEAR(rt_exc_pending);
    char buf[512];
    snprintf(buf, sizeof buf, "exception calling callback for %s", rep ? rt_str_data(rep) : "?");
    rt_xdecref(rep);
    rt_logging_log_exc("concurrent.futures", 40, buf, exc);
    rt_decref(exc);
}

static void run_callbacks(Future *f) {
    RtValue *cbs = f->callbacks;
    if (!cbs) return;
    f->callbacks = NULL;
    for (size_t i = 0; i < RT_LIST_LEN(cbs); i++) call_callback(f, RT_LIST_GET(cbs, i));
    rt_decref(cbs);
}

/* Records the outcome (value or exception, borrowed) and stamps it. */
static void record(Future *f, RtValue *value, RtValue *exc) {
    f->state = FINISHED;
    RT_SETREF(f->result, value ? rt_newref(value) : NULL);
    RT_SETREF(f->exception, exc ? rt_newref(exc) : NULL);
    f->seq = ++g_seq;
    g_slice = SLICE_MIN_NS;
}

static void breaks(Executor *ex);

/* Completes a future its executor ran: settle() runs its callbacks. */
static void complete(Future *f, RtValue *value, RtValue *exc) {
    record(f, value, exc);
    Executor *ex = f->ex;
    if (!ex || q_push(&ex->done, f) < 0) {
        RT_CLEAR(rt_exc_pending);
        run_callbacks(f);
    }
}

/* The executor's BrokenProcessPool (made once; borrowed). */
static RtValue *executor_bpe(Executor *ex) {
    if (!ex->bpe) {
        ex->bpe = ex->threads ? new_exc(&rt_futures_BrokenThreadPool, BROKEN_THREAD_MSG)
                              : new_exc(&rt_futures_BrokenProcessPool, BPE_MSG);
        if (!ex->bpe) RT_CLEAR(rt_exc_pending);
    }
    return ex->bpe;
}

/* Pool callback: the call returned `value`. */
static RtValue *cb_result(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)kw;
    Future *f = FUT(self);
    if (f->state == RUNNING && nargs == 1) complete(f, args[0], NULL);
    return rt_None;
}

/* Did the Pool fail this call because a worker died or the pool stopped? */
static bool pool_broke(RtValue *exc) {
    if (rt_isinstance_t(exc, &rt_futures_BrokenExecutor)) return true;
    if (exc->type != &rt_exc_ProcessError) return false;
    RtValue *s = rt_exc_str(exc);
    if (!s) { RT_CLEAR(rt_exc_pending); return false; }
    bool r = strncmp(rt_str_data(s), "pool worker ", 12) == 0 ||
             strncmp(rt_str_data(s), "the pool was terminated", 23) == 0;
    rt_decref(s);
    return r;
}

/* Pool callback: the call raised `exc` (or could not run). */
static RtValue *cb_error(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)kw;
    Future *f = FUT(self);
    if (f->state != RUNNING || nargs != 1) return rt_None;
    RtValue *exc = args[0];
    if (f->ex && pool_broke(exc)) {
        f->ex->break_now = true;
        RtValue *bpe = executor_bpe(f->ex);
        complete(f, NULL, bpe ? bpe : exc);
        return rt_None;
    }
    if (exc->type == &carrier_type && RT_TUPLE_LEN(((RtExc *)exc)->args) == 1)
        exc = RT_TUPLE_GET(((RtExc *)exc)->args, 0);
    if (f->ex && exc->type->tag == RT_T_EXC && rt_pool_is_remote_traceback(((RtExc *)exc)->cause)) {
        RtExc *e = (RtExc *)exc;
        if (f->ex->threads) {
            RT_CLEAR(e->cause);    /* a thread's exception has no remote traceback */
            e->suppress_context = false;
        } else {
            /* ProcessPoolExecutor chains its own concurrent.futures.process._RemoteTraceback */
            static RtValue *cls;
            RtExc *c = (RtExc *)e->cause;
            RtValue *rtb = RT_TUPLE_LEN(c->args) == 1
                ? rt_pool_remote_traceback(&cls, "concurrent.futures.process", "_RemoteTraceback", RT_TUPLE_GET(c->args, 0))
                : NULL;
            if (rtb) RT_SETREF(e->cause, rtb);
            RT_CLEAR(rt_exc_pending);
        }
    }
    if (f->ex && f->ex->threads && exc->type->tag == RT_T_EXC)
        RT_CLEAR(((RtExc *)exc)->remote_tb);
    complete(f, NULL, exc);
    return rt_None;
}

static RtValue *future_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (nargs || (kw && RT_TUPLE_LEN(kw)))
        return rt_raise_fmt(&rt_exc_TypeError, "Future.__init__() takes 1 positional argument but %d were given",
                            (int)nargs + 1);
    Future *f = (Future *)rt_obj_alloc(type, sizeof(Future));
    if (!f) return NULL;
    f->state = PENDING;
    return &f->ob;
}

static void future_dealloc(RtValue *self) {
    Future *f = FUT(self);
    RT_CLEAR(f->result);
    RT_CLEAR(f->exception);
    RT_CLEAR(f->callbacks);
    RT_CLEAR(f->async);
    RT_CLEAR(f->fn);
    RT_CLEAR(f->args);
    RT_CLEAR(f->kwargs);
    if (f->ex) rt_decref(&f->ex->ob);
}

static int future_hash(RtValue *self, int64_t *out) {
    uintptr_t p = (uintptr_t)self;
    *out = (int64_t)((p >> 4) | (p << (8 * sizeof p - 4)));   /* CPython's object hash */
    if (*out == -1) *out = -2;
    return 0;
}

static void poll_executor(Executor *ex);

static RtValue *future_repr(RtValue *self) {
    if (FUT(self)->ex) poll_executor(FUT(self)->ex);
    return repr_now(FUT(self));
}

/* ==== executor: settle, pump, wait =================================================== */

static void live_add(Executor *ex) {
    rt_incref(&ex->ob);
    ex->next_live = g_live;
    g_live = ex;
    rt_mp_set_exit_hook(RT_MP_EXIT_EXECUTORS, rt_futures_atexit);
}

/* Drops the live list's reference: ex may die here. */
static void live_remove(Executor *ex) {
    for (Executor **pp = &g_live; *pp; pp = &(*pp)->next_live)
        if (*pp == ex) {
            *pp = ex->next_live;
            ex->next_live = NULL;
            rt_decref(&ex->ob);
            return;
        }
}

static bool mine(const Executor *ex) { return ex->owner == getpid(); }

/* Lets the future go from its executor's books (drops its reference to ex). */
static void release(Future *f) {
    RT_CLEAR(f->async);
    RT_CLEAR(f->fn);
    RT_CLEAR(f->args);
    RT_CLEAR(f->kwargs);
    if (f->ex) {
        Executor *ex = f->ex;
        f->ex = NULL;
        rt_decref(&ex->ob);
    }
}

/* pool.apply_async(_run_task, (fn, args, kwargs), callback=..., error_callback=...) */
static int send(Executor *ex, Future *f) {
    static RtValue *task_fn, *chunk_fn;
    if (!task_fn) task_fn = rt_builtin_new("_run_task", run_task, NULL, -1);
    if (!chunk_fn) chunk_fn = rt_builtin_new("_process_chunk", run_chunk, NULL, -1);
    if (!task_fn || !chunk_fn) return -1;
    RtValue *targs = f->chunk ? rt_tuple_pack(2, f->fn, f->args)
                              : rt_tuple_pack(3, f->fn, f->args, f->kwargs ? f->kwargs : rt_None);
    RtValue *cb = rt_builtin_new("_set_result", cb_result, &f->ob, -1);
    RtValue *ecb = rt_builtin_new("_set_exception", cb_error, &f->ob, -1);
    RtValue *r = NULL;
    if (targs && cb && ecb) {
        RtValue *argv[5] = {f->chunk ? chunk_fn : task_fn, targs, rt_None, cb, ecb};
        bool was = rt_ser_allow_closures(ex->threads);   /* threads need no pickling */
        r = rt_mp_Pool_m_apply_async(ex->pool, argv, 5, NULL);
        rt_ser_allow_closures(was);
    }
    rt_xdecref(targs);
    rt_xdecref(cb);
    rt_xdecref(ecb);
    if (!r) return -1;
    RT_SETREF(f->async, r);
    return 0;
}

/* Hands pending calls to the Pool while fewer than max_workers + 1 run
 * (CPython's add_call_item_to_queue). Returns whether it did anything. */
static bool pump(Executor *ex) {
    bool did = false;
    while (ex->pool && !ex->broken && ex->queue.len && (int64_t)ex->flight.len < ex->max_workers + 1) {
        Future *f = q_pop(&ex->queue);
        did = true;
        if (f->state == CANCELLED) {          /* set_running_or_notify_cancel */
            f->state = CANCELLED_AND_NOTIFIED;
            f->seq = ++g_seq;
            release(f);
            rt_decref(&f->ob);
            continue;
        }
        if (f->state != PENDING) { release(f); rt_decref(&f->ob); continue; }
        f->state = RUNNING;
        if (q_push(&ex->flight, f) < 0) {
            RtValue *e = rt_exc_fetch();
            complete(f, NULL, e);
            rt_decref(e);
        } else if (send(ex, f) < 0) {
            RtValue *e = rt_exc_fetch();
            if (f->state == RUNNING) complete(f, NULL, e);
            rt_decref(e);
        }
        rt_decref(&f->ob);
    }
    return did;
}

/* The executor stops: workers terminated, every unfinished call failed with
 * BrokenProcessPool (CPython's terminate_broken). */
static void breaks(Executor *ex) {
    ex->break_now = false;
    ex->shutdown = true;
    if (!ex->broken) {
        ex->broken = rt_str_from_cstr(ex->threads ? BROKEN_THREAD_MSG : BROKEN_MSG);
        if (!ex->broken) RT_CLEAR(rt_exc_pending);
    }
    RtValue *bpe = executor_bpe(ex);
    Future *f;
    while ((f = q_pop(&ex->queue))) {
        if (f->state == PENDING && bpe) complete(f, NULL, bpe);
        else release(f);
        rt_decref(&f->ob);
    }
    for (size_t i = 0; i < ex->flight.len; i++) {
        f = q_at(&ex->flight, i);
        if (f->state == RUNNING && bpe) complete(f, NULL, bpe);
    }
    if (ex->pool) {
        RtValue *r = rt_mp_Pool_m_terminate(ex->pool, NULL, 0, NULL);   /* SIGTERM, waitpid */
        if (!r) RT_CLEAR(rt_exc_pending);
        rt_xdecref(r);
        RT_CLEAR(ex->pool);
        ex->joined = true;
        live_remove(ex);     /* the caller holds a reference */
    }
}

/* Runs the done callbacks of what the Pool completed, handles a broken pool
 * and (when `feed`) hands more calls to the Pool; after shutdown, joins the
 * workers once nothing is left. May run script code (callbacks). */
static void settle(Executor *ex, bool feed) {
    rt_incref(&ex->ob);
    for (;;) {
        bool did = false;
        Future *f;
        while ((f = q_pop(&ex->done))) {
            Future *in = q_remove(&ex->flight, f);
            if (in) rt_decref(&in->ob);
            release(f);
            run_callbacks(f);
            rt_decref(&f->ob);
            did = true;
        }
        if (ex->break_now) { breaks(ex); did = true; }
        if (feed && pump(ex)) did = true;
        if (!did) break;
    }
    if (ex->pool && ex->shutdown && !ex->queue.len && !ex->flight.len && !ex->done.len && mine(ex)) {
        RtValue *pool = ex->pool;
        ex->pool = NULL;
        ex->joined = true;
        RtValue *r = rt_mp_Pool_m_close(pool, NULL, 0, NULL);
        if (r) r = rt_mp_Pool_m_join(pool, NULL, 0, NULL);    /* sentinels, waitpid */
        if (!r) RT_CLEAR(rt_exc_pending);
        rt_decref(pool);
        live_remove(ex);
    }
    rt_decref(&ex->ob);
}

/* Collects what the Pool has without waiting (AsyncResult.ready drains the
 * result ring), then settles; feeds the Pool only if the last submit is at
 * least a GIL switch interval old (see the header). */
static void poll_executor(Executor *ex) {
    if (!mine(ex)) return;
    rt_incref(&ex->ob);
    if (ex->flight.len) {
        Future *f = q_at(&ex->flight, 0);
        RtValue *r = f->async ? rt_mp_AsyncResult_m_ready(f->async, NULL, 0, NULL) : rt_None;
        if (!r) RT_CLEAR(rt_exc_pending);
    }
    settle(ex, now_ns() - ex->last_submit >= SUBMIT_GAP_NS);
    rt_decref(&ex->ob);
}

/* Sleeps until the deadline (forever for RT__NEVER): nothing can complete
 * the futures waited for (CPython would block on them too). */
static void sleep_until(int64_t deadline) {
    int64_t left = deadline - now_ns();
    if (left <= 0) return;
    if (left > 3600LL * 1000000000LL) left = 3600LL * 1000000000LL;
    struct timespec ts = {left / 1000000000LL, left % 1000000000LL};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

/* Waits (at most one slice, at most until the deadline) for ex's oldest
 * running call, collecting every result that arrives meanwhile, then
 * settles. 0, or -1 with an exception from the Pool. */
static int wait_slice(Executor *ex, int64_t deadline) {
    rt_incref(&ex->ob);
    settle(ex, true);
    int rc = 0;
    if (ex->flight.len) {
        Future *f = (Future *)rt_newref(&q_at(&ex->flight, 0)->ob);
        int64_t until = now_ns() + g_slice;
        if (until > deadline) until = deadline;
        uint64_t before = g_seq;
        if (f->async && f->state == RUNNING) {
            RtValue *t = timeout_seconds(until);
            RtValue *r = t ? rt_mp_AsyncResult_m_wait(f->async, &t, 1, NULL) : NULL;
            rt_xdecref(t);
            if (!r) rc = -1;
        }
        rt_decref(&f->ob);
        if (g_seq == before && g_slice < SLICE_MAX_NS) g_slice *= 2;
        if (rc == 0) settle(ex, true);
    } else {
        /* nothing running (a broken or stopped executor): nothing to wait on but time */
        int64_t until = now_ns() + SLICE_MAX_NS;
        sleep_until(until < deadline ? until : deadline);
    }
    rt_decref(&ex->ob);
    return rc;
}

/* One blocking round of progress for the futures fs[0..n): picks, in turn,
 * the executor of an unfinished one and waits a slice on it. */
static int progress(Future *const *fs, size_t n, int64_t deadline) {
    static size_t turn;
    Executor *pick = NULL;
    for (size_t k = 0; k < n && !pick; k++) {
        Future *f = fs[(turn + k) % n];
        if (!is_notified(f) && f->ex && mine(f->ex)) pick = f->ex;
    }
    turn++;
    if (!pick) {
        /* futures no executor will finish (set_result() only) */
        int64_t until = now_ns() + SLICE_MAX_NS;
        sleep_until(until < deadline ? until : deadline);
        return 0;
    }
    return wait_slice(pick, deadline);
}

/* Waits until f is done (notified) or the deadline passes. */
static int wait_future(Future *f, int64_t deadline) {
    rt_incref(&f->ob);
    int rc = 0;
    if (f->ex) poll_executor(f->ex);
    while (!is_done(f) && now_ns() < deadline) {
        if (progress(&f, 1, deadline) < 0) { rc = -1; break; }
    }
    rt_decref(&f->ob);
    return rc;
}

/* ==== Future methods =============================================================== */

static RtValue *get_result(Future *f) {
    if (f->state == CANCELLED || f->state == CANCELLED_AND_NOTIFIED)
        return raise_new(&rt_futures_CancelledError, NULL);
    if (f->state != FINISHED) return raise_new(&rt_exc_TimeoutError, NULL);
    if (f->exception) return rt_raise_value(f->exception);
    return rt_newref(f->result);
}

RtValue *rt_futures_Future_m_result(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "timeout"};
    RtValue *a[1];
    int64_t deadline;
    if (bind("Future.result", self, names, 2, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    if (deadline_of(a[0], &deadline) < 0) return NULL;
    if (wait_future(FUT(self), deadline) < 0) return NULL;
    return get_result(FUT(self));
}

RtValue *rt_futures_Future_m_exception(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "timeout"};
    RtValue *a[1];
    int64_t deadline;
    if (bind("Future.exception", self, names, 2, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    if (deadline_of(a[0], &deadline) < 0) return NULL;
    Future *f = FUT(self);
    if (wait_future(f, deadline) < 0) return NULL;
    if (f->state == FINISHED) return rt_newref(f->exception ? f->exception : rt_None);
    return get_result(f);
}

static int no_args(const char *fname, RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self"};
    return bind(fname, self, names, 1, 0, 0, false, false, args, nargs, kw, NULL, NULL, NULL);
}

static void observe(Future *f) {
    if (f->ex) poll_executor(f->ex);
}

RtValue *rt_futures_Future_m_done(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (no_args("Future.done", self, args, nargs, kw) < 0) return NULL;
    observe(FUT(self));
    return rt_bool(is_done(FUT(self)));
}

RtValue *rt_futures_Future_m_running(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (no_args("Future.running", self, args, nargs, kw) < 0) return NULL;
    observe(FUT(self));
    return rt_bool(FUT(self)->state == RUNNING);
}

RtValue *rt_futures_Future_m_cancelled(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (no_args("Future.cancelled", self, args, nargs, kw) < 0) return NULL;
    observe(FUT(self));
    int s = FUT(self)->state;
    return rt_bool(s == CANCELLED || s == CANCELLED_AND_NOTIFIED);
}

/* cancel() without the observation (map's clean-up). */
static bool cancel(Future *f) {
    if (f->state == RUNNING || f->state == FINISHED) return false;
    if (f->state == CANCELLED || f->state == CANCELLED_AND_NOTIFIED) return true;
    f->state = CANCELLED;
    run_callbacks(f);
    return true;
}

RtValue *rt_futures_Future_m_cancel(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (no_args("Future.cancel", self, args, nargs, kw) < 0) return NULL;
    observe(FUT(self));
    return rt_bool(cancel(FUT(self)));
}

RtValue *rt_futures_Future_m_add_done_callback(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "fn"};
    RtValue *a[1];
    if (bind("Future.add_done_callback", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    Future *f = FUT(self);
    observe(f);
    if (!is_done(f)) {
        if (!f->callbacks && !(f->callbacks = rt_list_new(1))) return NULL;
        if (rt_list_append(f->callbacks, a[0]) < 0) return NULL;
        return rt_None;
    }
    call_callback(f, a[0]);
    return rt_None;
}

static RtValue *invalid_state(Future *f) {
    RtValue *rep = repr_now(f);
    if (!rep) return NULL;
    rt_raise_fmt(&rt_futures_InvalidStateError, "%s: %s", state_names[f->state], rt_str_data(rep));
    rt_decref(rep);
    return NULL;
}

/* set_result / set_exception on a future no executor runs (or does). */
static RtValue *set_outcome(Future *f, RtValue *value, RtValue *exc) {
    if (is_done(f)) return invalid_state(f);
    if (f->ex) {
        Executor *ex = f->ex;
        Future *q = q_remove(&ex->queue, f);
        if (q) rt_decref(&q->ob);
        q = q_remove(&ex->flight, f);
        if (q) rt_decref(&q->ob);
        release(f);
    }
    record(f, value, exc);
    run_callbacks(f);
    return rt_None;
}

RtValue *rt_futures_Future_m_set_result(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "result"};
    RtValue *a[1];
    if (bind("Future.set_result", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    return set_outcome(FUT(self), a[0], NULL);
}

RtValue *rt_futures_Future_m_set_exception(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "exception"};
    RtValue *a[1];
    if (bind("Future.set_exception", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return set_outcome(FUT(self), NULL, a[0]);
}

RtValue *rt_futures_Future_m_set_running_or_notify_cancel(RtValue *self, RtValue *const *args, size_t nargs,
                                                          RtValue *kw) {
    if (no_args("Future.set_running_or_notify_cancel", self, args, nargs, kw) < 0) return NULL;
    Future *f = FUT(self);
    if (f->state == CANCELLED) {
        f->state = CANCELLED_AND_NOTIFIED;
        f->seq = ++g_seq;
        return rt_False;
    }
    if (f->state == PENDING) { f->state = RUNNING; return rt_True; }
    rt_logging_log_exc("concurrent.futures", 50, "Future in unexpected state", NULL);
    return rt_raise(&rt_exc_RuntimeError, "Future in unexpected state");
}

static RtValue *future_get_state(RtValue *self) {
    observe(FUT(self));
    return rt_str_from_cstr(state_names[FUT(self)->state]);
}

static const RtMethodDef future_methods[] = {
    {"result", rt_futures_Future_m_result},
    {"exception", rt_futures_Future_m_exception},
    {"done", rt_futures_Future_m_done},
    {"running", rt_futures_Future_m_running},
    {"cancelled", rt_futures_Future_m_cancelled},
    {"cancel", rt_futures_Future_m_cancel},
    {"add_done_callback", rt_futures_Future_m_add_done_callback},
    {"set_result", rt_futures_Future_m_set_result},
    {"set_exception", rt_futures_Future_m_set_exception},
    {"set_running_or_notify_cancel", rt_futures_Future_m_set_running_or_notify_cancel},
    {NULL, NULL},
};

static const RtGetSetDef future_getset[] = {
    {"_state", future_get_state, NULL},
    {NULL, NULL, NULL},
};

RtType rt_futures_Future = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Future",
    .module = "concurrent.futures._base",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(Future),
    .table_index = -1,
    .dealloc = future_dealloc,
    .repr = future_repr,
    .hash = future_hash,
    .construct = future_construct,
    .methods = future_methods,
    .getset = future_getset,
};

/* ==== Executor ======================================================================== */

static Executor *new_executor(RtType *type, bool threads) {
    Executor *ex = (Executor *)rt_obj_alloc(type, sizeof(Executor));
    if (!ex) return NULL;
    ex->threads = threads;
    ex->owner = getpid();
    ex->initargs = rt_tuple_empty();
    return ex;
}

static int64_t cpu_count(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

static int check_max_workers(RtValue *v, int64_t *out) {
    RtValue *zero = rt_int(0);
    int le = rt_compare_bool(v, zero, RT_LE);
    rt_decref(zero);
    if (le < 0) return -1;
    if (le) { rt_raise(&rt_exc_ValueError, "max_workers must be greater than 0"); return -1; }
    return rt_int_as_i64(v, out);
}

static bool is_callable(RtValue *o) { return o->type->call || o->type->tag == RT_T_TYPE; }

static int set_initializer(Executor *ex, RtValue *init, RtValue *initargs) {
    if (init && init != rt_None) {
        if (!is_callable(init)) { rt_raise(&rt_exc_TypeError, "initializer must be a callable"); return -1; }
        ex->initializer = rt_newref(init);
    }
    if (initargs && initargs != rt_None) {
        RtValue *t = rt_is_tuple(initargs) ? rt_newref(initargs) : rt_tuple_from_iter(initargs);
        if (!t) return -1;
        RT_SETREF(ex->initargs, t);
    }
    return 0;
}

/* ProcessPoolExecutor(max_workers=None, mp_context=None, initializer=None,
 * initargs=(), *, max_tasks_per_child=None) */
static RtValue *ppe_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "max_workers", "mp_context", "initializer", "initargs",
                                        "max_tasks_per_child"};
    RtValue *a[5];
    if (bind("ProcessPoolExecutor.__init__", rt_None, names, 5, 1, 4, false, false, args, nargs, kw, a, NULL,
             NULL) < 0)
        return NULL;
    Executor *ex = new_executor(type, false);
    if (!ex) return NULL;
    RtValue *self = &ex->ob;
    if (!ex->initargs) goto fail;
    if (a[0] == rt_None) ex->max_workers = cpu_count();
    else if (check_max_workers(a[0], &ex->max_workers) < 0) goto fail;
    RtValue *ctx = a[1];
    if (ctx == rt_None) {
        /* as CPython: get_context("spawn") with max_tasks_per_child, else get_context() (which fixes the method) */
        RtValue *sp = a[4] != rt_None ? rt_str_from_cstr("spawn") : NULL;
        ctx = rt_mp_get_context(NULL, &sp, sp ? 1 : 0, NULL);
        rt_xdecref(sp);
        if (!ctx) goto fail;
        ex->context = ctx;
    } else {
        ex->context = rt_newref(ctx);
    }
    if (set_initializer(ex, a[2], a[3]) < 0) goto fail;
    if (a[4] != rt_None) {
        if (!rt_is_int(a[4])) { rt_raise(&rt_exc_TypeError, "max_tasks_per_child must be an integer"); goto fail; }
        if (rt_int_as_i64(a[4], &ex->max_tasks) < 0) goto fail;
        if (ex->max_tasks <= 0) { rt_raise(&rt_exc_ValueError, "max_tasks_per_child must be >= 1"); goto fail; }
        int m = rt_mp_context_method(ex->context);
        if (m < 0) goto fail;
        if (m == RT_START_FORK) {
            rt_raise(&rt_exc_ValueError, "max_tasks_per_child is incompatible with the 'fork' multiprocessing "
                                         "start method; supply a different mp_context.");
            goto fail;
        }
    }
    return self;
fail:
    rt_decref(self);
    return NULL;
}

/* ThreadPoolExecutor(max_workers=None, thread_name_prefix='', initializer=None, initargs=()) */
static RtValue *tpe_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "max_workers", "thread_name_prefix", "initializer", "initargs"};
    RtValue *a[4];
    if (bind("ThreadPoolExecutor.__init__", rt_None, names, 5, 0, 4, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    Executor *ex = new_executor(type, true);
    if (!ex) return NULL;
    RtValue *self = &ex->ob;
    if (!ex->initargs) goto fail;
    if (a[0] == rt_None) {
        int64_t n = cpu_count() + 4;
        ex->max_workers = n < 32 ? n : 32;
    } else if (check_max_workers(a[0], &ex->max_workers) < 0) {
        goto fail;
    }
    if (set_initializer(ex, a[2], a[3]) < 0) goto fail;
    return self;
fail:
    rt_decref(self);
    return NULL;
}

static void executor_dealloc(RtValue *self) {
    Executor *ex = EX(self);
    if (ex->pool && mine(ex)) {
        RtValue *r = rt_mp_Pool_m_terminate(ex->pool, NULL, 0, NULL);
        if (!r) RT_CLEAR(rt_exc_pending);
    }
    RT_CLEAR(ex->pool);
    RT_CLEAR(ex->context);
    RT_CLEAR(ex->initializer);
    RT_CLEAR(ex->initargs);
    RT_CLEAR(ex->broken);
    RT_CLEAR(ex->bpe);
    q_free(&ex->queue);
    q_free(&ex->flight);
    q_free(&ex->done);
}

/* Pool(max_workers, _init_worker, (threads, initializer, initargs), max_tasks, context) */
static int start_pool(Executor *ex) {
    static RtValue *init_fn;
    if (!init_fn && !(init_fn = rt_builtin_new("_init_worker", init_worker, NULL, -1))) return -1;
    RtValue *procs = rt_int(ex->max_workers);
    RtValue *iargs = rt_tuple_pack(3, rt_bool(ex->threads), ex->initializer ? ex->initializer : rt_None,
                                   ex->initargs);
    RtValue *maxt = ex->max_tasks > 0 ? rt_int(ex->max_tasks) : rt_newref(rt_None);
    RtValue *pool = NULL;
    /* a ThreadPoolExecutor's workers are forked, through the fork context:
     * no thread pool fixes the default context's start method */
    RtValue *ctx = ex->context ? rt_newref(ex->context) : NULL;
    if (!ctx) {
        RtValue *fork = rt_str_from_cstr("fork");
        ctx = fork ? rt_mp_get_context(NULL, &fork, 1, NULL) : NULL;
        rt_xdecref(fork);
    }
    if (procs && iargs && maxt && ctx) {
        RtValue *argv[5] = {procs, init_fn, iargs, maxt, ctx};
        pool = rt_call((RtValue *)&rt_mp_Pool, argv, 5, NULL);     /* forks the workers */
    }
    rt_xdecref(ctx);
    rt_xdecref(procs);
    rt_xdecref(iargs);
    rt_xdecref(maxt);
    if (!pool) return -1;
    ex->pool = pool;
    live_add(ex);
    return 0;
}

static RtValue *check_open(Executor *ex) {
    if (ex->broken) {
        RtValue *t = rt_tuple_pack(1, ex->broken);
        RtValue *e = t ? rt_exc_new(ex->threads ? &rt_futures_BrokenThreadPool : &rt_futures_BrokenProcessPool, t)
                       : NULL;
        rt_xdecref(t);
        if (e) rt_exc_raise_new(e);
        return NULL;
    }
    if (ex->shutdown) return rt_raise(&rt_exc_RuntimeError, "cannot schedule new futures after shutdown");
    if (!mine(ex))   /* a forked child's copy: CPython's would queue the call and hang */
        return rt_raise(&rt_exc_RuntimeError, "cannot schedule new futures in a process that does not own the executor");
    return rt_None;
}

/* Queues fn(*args, **kwargs) (fn, args borrowed; kwargs may be NULL). */
static Future *submit(Executor *ex, RtValue *fn, RtValue *args, RtValue *kwargs, bool chunk) {
    if (!check_open(ex)) return NULL;
    Future *f = (Future *)future_construct(&rt_futures_Future, NULL, 0, NULL);
    if (!f) return NULL;
    f->fn = rt_newref(fn);
    f->args = rt_newref(args);
    f->kwargs = kwargs && rt_dict_len(kwargs) ? rt_newref(kwargs) : NULL;
    f->chunk = chunk;
    f->ex = (Executor *)rt_newref(&ex->ob);
    if (q_push(&ex->queue, f) < 0) { rt_decref(&f->ob); return NULL; }
    bool first = !ex->started;
    bool feed = first || now_ns() - ex->last_submit >= SUBMIT_GAP_NS;
    if (first) {
        ex->started = true;
        if (start_pool(ex) < 0) {
            Future *q = q_remove(&ex->queue, f);
            if (q) rt_decref(&q->ob);
            release(f);
            rt_decref(&f->ob);
            ex->started = false;
            return NULL;
        }
    }
    /* The manager thread moves it now only if the main thread let it run
     * since the previous submit (the first one starts that thread). */
    if (feed) settle(ex, true);
    ex->last_submit = now_ns();     /* when the main thread goes on after submit() */
    return f;
}

RtValue *rt_futures_Executor_m_submit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (nargs < 1)   /* fn is positional-only: submit(fn=f) is missing it too */
        return rt_raise_fmt(&rt_exc_TypeError, "%s.submit() missing 1 required positional argument: 'fn'",
                            self->type->name);
    RtValue *fargs = rt_tuple_from_array(args + 1, nargs - 1), *kwargs = NULL;
    if (!fargs) return NULL;
    if (kw && RT_TUPLE_LEN(kw)) {
        kwargs = rt_dict_new();
        for (size_t i = 0; kwargs && i < RT_TUPLE_LEN(kw); i++)
            if (rt_dict_set(kwargs, RT_TUPLE_GET(kw, i), args[nargs + i]) < 0) RT_CLEAR(kwargs);
        if (!kwargs) { rt_decref(fargs); return NULL; }
    }
    Future *f = submit(EX(self), args[0], fargs, kwargs, false);
    rt_decref(fargs);
    rt_xdecref(kwargs);
    return f ? &f->ob : NULL;
}

/* Waits until ex has no call left, then joins its workers. */
static int drain_executor(Executor *ex) {
    rt_incref(&ex->ob);
    int rc = 0;
    while (ex->pool && (ex->queue.len || ex->flight.len || ex->done.len)) {
        if (wait_slice(ex, RT__NEVER) < 0) { rc = -1; break; }
    }
    if (rc == 0) settle(ex, true);
    rt_decref(&ex->ob);
    return rc;
}

RtValue *rt_futures_Executor_m_shutdown(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "wait", "cancel_futures"};
    RtValue *a[2];
    if (bind("Executor.shutdown", self, names, 2, 1, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    Executor *ex = EX(self);
    int wait = nargs >= 1 || rt_kwarg(args, nargs, kw, "wait") ? rt_truthy(a[0]) : 1;
    int cancel_futures = a[1] == rt_None ? 0 : rt_truthy(a[1]);
    if (wait < 0 || cancel_futures < 0) return NULL;
    ex->shutdown = true;
    if (!mine(ex)) return rt_None;
    rt_incref(self);
    if (cancel_futures) {
        /* flag_executor_shutting_down: pending calls are cancelled, never notified */
        if (ex->pool) poll_executor(ex);
        Future *f;
        while ((f = q_pop(&ex->queue))) {
            cancel(f);
            release(f);
            rt_decref(&f->ob);
        }
    }
    int rc = 0;
    if (wait) rc = drain_executor(ex);
    else settle(ex, true);
    rt_decref(self);
    return rc < 0 ? NULL : rt_None;
}

RtValue *rt_futures_Executor_m___enter__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (no_args("Executor.__enter__", self, args, nargs, kw) < 0) return NULL;
    return rt_newref(self);
}

RtValue *rt_futures_Executor_m___exit__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args; (void)nargs; (void)kw;    /* (exc_type, exc_val, exc_tb) */
    RtValue *saved = rt_exc_fetch();      /* NULL normally; kept if a caller left one */
    RtValue *w = rt_True;
    RtValue *r = rt_futures_Executor_m_shutdown(self, &w, 1, NULL);
    if (saved) {
        if (r) rt_exc_restore(saved);
        else rt_decref(saved);
    }
    if (!r) return NULL;
    rt_decref(r);
    return rt_False;
}

/* ---- map ---------------------------------------------------------------------------- */

typedef struct MapIter {
    RtValue  ob;
    Future **fs;                 /* chunk futures, strong; NULL once taken */
    size_t   n, pos;
    RtValue *cur;                /* the current chunk's result list */
    size_t   cur_pos;
    int64_t  deadline;
    bool     threads;
} MapIter;

static RtType rt_futures_MapIterator;

/* The generator's finally: cancels every future not consumed yet. */
static void map_close(MapIter *m) {
    for (size_t i = m->pos; i < m->n; i++) {
        if (!m->fs[i]) continue;
        cancel(m->fs[i]);
        RT_CLEAR(m->fs[i]);
    }
    m->pos = m->n;
}

static RtValue *map_next(RtValue *self) {
    MapIter *m = (MapIter *)self;
    for (;;) {
        if (m->cur && m->cur_pos < RT_LIST_LEN(m->cur)) return rt_newref(RT_LIST_GET(m->cur, m->cur_pos++));
        RT_CLEAR(m->cur);
        if (m->pos >= m->n) return NULL;
        Future *f = m->fs[m->pos];
        m->fs[m->pos++] = NULL;
        /* _result_or_cancel */
        RtValue *r = wait_future(f, m->deadline) < 0 ? NULL : get_result(f);
        if (r && !rt_is_list(r)) { rt_decref(r); r = rt_raise(&rt_exc_TypeError, "bad chunk result"); }
        if (!r) {
            RtValue *exc = rt_exc_fetch();
            cancel(f);
            rt_decref(&f->ob);
            map_close(m);
            rt_exc_restore(exc);
            return NULL;
        }
        cancel(f);
        rt_decref(&f->ob);
        m->cur = r;
        m->cur_pos = 0;
    }
}

static RtValue *map_iter(RtValue *self) { return rt_newref(self); }

static void map_dealloc(RtValue *self) {
    MapIter *m = (MapIter *)self;
    map_close(m);
    rt_free(m->fs);
    RT_CLEAR(m->cur);
}

static RtValue *map_repr(RtValue *self) {
    char buf[160];
    snprintf(buf, sizeof buf, "<generator object %s at %p>",
             ((MapIter *)self)->threads ? "Executor.map.<locals>.result_iterator" : "_chain_from_iterable_of_lists",
             (void *)self);
    return rt_str_from_cstr(buf);
}

static RtType rt_futures_MapIterator = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "generator",
    .module = NULL,
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(MapIter),
    .table_index = -1,
    .dealloc = map_dealloc,
    .repr = map_repr,
    .iter = map_iter,
    .iternext = map_next,
};

/* map(fn, *iterables, timeout=None, chunksize=1) */
RtValue *rt_futures_Executor_m_map(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "fn", "timeout", "chunksize"};
    RtValue *a[3], *iterables = NULL;
    Executor *ex = EX(self);
    if (bind(ex->threads ? "Executor.map" : "ProcessPoolExecutor.map", self, names, 2, 2, 0, true, false, args,
             nargs, kw, a, &iterables, NULL) < 0)
        return NULL;
    int64_t chunksize = 1, deadline;
    RtValue *r = NULL, *it = NULL;
    if (a[2] != rt_None && !ex->threads) {
        RtValue *one = rt_int(1);
        int lt = rt_compare_bool(a[2], one, RT_LT);
        rt_decref(one);
        if (lt < 0) goto done;
        if (lt) { rt_raise(&rt_exc_ValueError, "chunksize must be >= 1."); goto done; }
        if (rt_int_as_i64(a[2], &chunksize) < 0) goto done;
    }
    if (deadline_of(a[1], &deadline) < 0) goto done;
    it = rt_bi_zip(NULL, ((RtTuple *)iterables)->items, RT_TUPLE_LEN(iterables), NULL);
    if (!it) goto done;
    MapIter *m = (MapIter *)rt_obj_alloc(&rt_futures_MapIterator, sizeof(MapIter));
    if (!m) goto done;
    r = &m->ob;
    m->deadline = deadline;
    m->threads = ex->threads;
    size_t cap = 0;
    for (;;) {
        RtValue *chunk = rt_tuple_new((size_t)chunksize);
        if (!chunk) { RT_CLEAR(r); break; }
        int64_t k = 0;
        RtValue *x = NULL;
        while (k < chunksize && (x = rt_iter_next(it))) RT_TUPLE_SET(chunk, k++, x);
        if (rt_exc_pending || k == 0) {
            for (int64_t j = k; j < chunksize; j++) RT_TUPLE_SET(chunk, j, rt_newref(rt_None));
            rt_decref(chunk);
            if (rt_exc_pending) RT_CLEAR(r);
            break;
        }
        ((RtTuple *)chunk)->len = (size_t)k;
        if (m->n == cap) {
            cap = cap ? cap * 2 : 16;
            Future **fs = rt_realloc(m->fs, cap * sizeof *fs);
            if (!fs) { rt_decref(chunk); RT_CLEAR(r); break; }
            m->fs = fs;
        }
        Future *f = submit(ex, a[0], chunk, NULL, true);
        rt_decref(chunk);
        if (!f) { RT_CLEAR(r); break; }
        m->fs[m->n++] = f;
    }
done:
    rt_xdecref(it);
    rt_xdecref(iterables);
    return r;
}

static RtValue *executor_get_max_workers(RtValue *self) { return rt_int(EX(self)->max_workers); }

static const RtMethodDef executor_methods[] = {
    {"submit", rt_futures_Executor_m_submit},
    {"map", rt_futures_Executor_m_map},
    {"shutdown", rt_futures_Executor_m_shutdown},
    {"__enter__", rt_futures_Executor_m___enter__},
    {"__exit__", rt_futures_Executor_m___exit__},
    {NULL, NULL},
};

static const RtGetSetDef executor_getset[] = {
    {"_max_workers", executor_get_max_workers, NULL},
    {NULL, NULL, NULL},
};

static RtValue *executor_repr(RtValue *self) {
    char buf[200];
    snprintf(buf, sizeof buf, "<%s.%s object at %p>", self->type->module, self->type->name, (void *)self);
    return rt_str_from_cstr(buf);
}

static RtValue *abstract_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (nargs || (kw && RT_TUPLE_LEN(kw))) return rt_raise(&rt_exc_TypeError, "Executor() takes no arguments");
    return rt_obj_alloc(type, sizeof(RtValue));
}

RtType rt_futures_Executor = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Executor",
    .module = "concurrent.futures._base",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtValue),
    .table_index = -1,
    .repr = executor_repr,
    .construct = abstract_construct,
};

RtType rt_futures_ProcessPoolExecutor = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "ProcessPoolExecutor",
    .module = "concurrent.futures.process",
    .tag = RT_T_NATIVE,
    .base = &rt_futures_Executor,
    .size = sizeof(Executor),
    .table_index = -1,
    .dealloc = executor_dealloc,
    .repr = executor_repr,
    .construct = ppe_construct,
    .methods = executor_methods,
    .getset = executor_getset,
};

RtType rt_futures_ThreadPoolExecutor = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "ThreadPoolExecutor",
    .module = "concurrent.futures.thread",
    .tag = RT_T_NATIVE,
    .base = &rt_futures_Executor,
    .size = sizeof(Executor),
    .table_index = -1,
    .dealloc = executor_dealloc,
    .repr = executor_repr,
    .construct = tpe_construct,
    .methods = executor_methods,
    .getset = executor_getset,
};

/* ==== as_completed and wait ============================================================ */

/* The futures of an iterable, once each (set(fs)), in the set's order. */
static RtValue *future_set(RtValue *fs, RtValue **list) {
    RtValue *s = rt_set_from_iter(fs);
    if (!s) return NULL;
    RtValue *l = rt_list_new(0);
    size_t pos = 0;
    RtValue *k;
    while (l && rt_set_next(s, &pos, &k)) {
        if (k->type != &rt_futures_Future) {
            rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute '_condition'", k->type->name);
            RT_CLEAR(l);
        } else if (rt_list_append(l, k) < 0) {
            RT_CLEAR(l);
        }
    }
    if (!l) { rt_decref(s); return NULL; }
    *list = l;
    return s;
}

static void poll_all(RtValue *list) {
    for (size_t i = 0; i < RT_LIST_LEN(list); i++) {
        Future *f = FUT(RT_LIST_GET(list, i));
        if (f->ex && !is_notified(f)) poll_executor(f->ex);
    }
}

typedef struct AsCompleted {
    RtValue  ob;
    RtValue *fs;                 /* the argument, until the first next() */
    RtValue *timeout;
    bool     started;
    int64_t  deadline;
    size_t   total;
    RtValue *pending;            /* list of futures not yielded */
    RtValue *ready;              /* list to yield, from the end */
} AsCompleted;

static RtType rt_futures_AsCompletedIterator;

static int ac_start(AsCompleted *a) {
    a->started = true;
    if (deadline_of(a->timeout, &a->deadline) < 0) return -1;
    RtValue *list = NULL, *set = future_set(a->fs, &list);
    RT_CLEAR(a->fs);
    if (!set) return -1;
    rt_decref(set);
    a->total = RT_LIST_LEN(list);
    poll_all(list);
    a->pending = rt_list_new(0);
    a->ready = rt_list_new(0);
    if (!a->pending || !a->ready) { rt_decref(list); return -1; }
    /* finished = list(set of the finished ones); yielded from the end */
    for (size_t i = 0; i < RT_LIST_LEN(list); i++) {
        RtValue *f = RT_LIST_GET(list, i);
        if (rt_list_append(is_notified(FUT(f)) ? a->ready : a->pending, f) < 0) { rt_decref(list); return -1; }
    }
    rt_decref(list);
    return 0;
}

static int cmp_seq(const void *x, const void *y) {
    uint64_t a = FUT(*(RtValue *const *)x)->seq, b = FUT(*(RtValue *const *)y)->seq;
    return a < b ? -1 : a > b;
}

/* Moves the pending futures that completed to `ready`, latest first (so
 * that popping from the end yields them in completion order). */
static int ac_collect(AsCompleted *a) {
    RtList *p = (RtList *)a->pending;
    size_t nfin = 0, keep = 0;
    for (size_t i = 0; i < p->len; i++) nfin += is_notified(FUT(p->items[i]));
    if (!nfin) return 0;
    RtValue **fin = rt_malloc(nfin * sizeof *fin);
    if (!fin) return -1;
    nfin = 0;
    for (size_t i = 0; i < p->len; i++) {
        RtValue *f = p->items[i];
        if (is_notified(FUT(f))) fin[nfin++] = f;    /* the pending list's reference moves */
        else p->items[keep++] = f;
    }
    p->len = keep;
    qsort(fin, nfin, sizeof fin[0], cmp_seq);
    int rc = 0;
    for (size_t i = nfin; i-- > 0;) {
        if (rc == 0 && rt_list_append(a->ready, fin[i]) < 0) rc = -1;
        rt_decref(fin[i]);
    }
    rt_free(fin);
    return rc;
}

static RtValue *ac_next(RtValue *self) {
    AsCompleted *a = (AsCompleted *)self;
    if (!a->started && ac_start(a) < 0) return NULL;
    if (!a->ready) return NULL;
    for (;;) {
        size_t n = RT_LIST_LEN(a->ready);
        if (n) return rt_list_pop(a->ready, (int64_t)n - 1);
        size_t np = RT_LIST_LEN(a->pending);
        if (!np) return NULL;
        if (a->deadline != RT__NEVER && now_ns() >= a->deadline)
            return rt_raise_fmt(&rt_exc_TimeoutError, "%d (of %d) futures unfinished", (int)np, (int)a->total);
        if (progress((Future *const *)((RtList *)a->pending)->items, np, a->deadline) < 0) return NULL;
        if (ac_collect(a) < 0) return NULL;
    }
}

static RtValue *ac_iter(RtValue *self) { return rt_newref(self); }

static void ac_dealloc(RtValue *self) {
    AsCompleted *a = (AsCompleted *)self;
    RT_CLEAR(a->fs);
    RT_CLEAR(a->timeout);
    RT_CLEAR(a->pending);
    RT_CLEAR(a->ready);
}

static RtValue *ac_repr(RtValue *self) {
    char buf[96];
    snprintf(buf, sizeof buf, "<generator object as_completed at %p>", (void *)self);
    return rt_str_from_cstr(buf);
}

static RtType rt_futures_AsCompletedIterator = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "generator",
    .module = NULL,
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(AsCompleted),
    .table_index = -1,
    .dealloc = ac_dealloc,
    .repr = ac_repr,
    .iter = ac_iter,
    .iternext = ac_next,
};

RtValue *rt_futures_as_completed(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"fs", "timeout"};
    RtValue *a[2];
    (void)self;
    if (bind("as_completed", NULL, names, 2, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    AsCompleted *it = (AsCompleted *)rt_obj_alloc(&rt_futures_AsCompletedIterator, sizeof(AsCompleted));
    if (!it) return NULL;
    it->fs = rt_newref(a[0]);
    it->timeout = rt_newref(a[1]);
    return &it->ob;
}

/* collections.namedtuple('DoneAndNotDoneFutures', 'done not_done') */
static RtValue *done_type(void) {
    static RtValue *t;
    if (t) return t;
    RtValue *n = rt_str_from_cstr("DoneAndNotDoneFutures"), *f = rt_str_from_cstr("done not_done");
    RtValue *m = rt_str_from_cstr("concurrent.futures._base"), *k = rt_str_from_cstr("module");
    RtValue *kw = k ? rt_tuple_pack(1, k) : NULL;
    if (n && f && m && kw) {
        RtValue *argv[3] = {n, f, m};
        t = rt_collections_namedtuple(NULL, argv, 2, kw);
    }
    rt_xdecref(n);
    rt_xdecref(f);
    rt_xdecref(m);
    rt_xdecref(k);
    rt_xdecref(kw);
    return t;
}

static RtValue *done_pair(RtValue *list) {
    RtValue *type = done_type();
    if (!type) return NULL;
    RtValue *done = rt_set_new(), *not_done = rt_set_new(), *r = NULL;
    for (size_t i = 0; done && not_done && i < RT_LIST_LEN(list); i++) {
        RtValue *f = RT_LIST_GET(list, i);
        if (rt_set_add(is_notified(FUT(f)) ? done : not_done, f) < 0) RT_CLEAR(done);
    }
    if (done && not_done) {
        RtValue *argv[2] = {done, not_done};
        r = rt_call(type, argv, 2, NULL);
    }
    rt_xdecref(done);
    rt_xdecref(not_done);
    return r;
}

enum { W_FIRST_COMPLETED, W_FIRST_EXCEPTION, W_ALL_COMPLETED, W_BAD };

/* Should wait() return now? */
static bool wait_over(RtValue *list, size_t ndone_before, int mode) {
    size_t ndone = 0;
    bool exc = false;
    for (size_t i = 0; i < RT_LIST_LEN(list); i++) {
        Future *f = FUT(RT_LIST_GET(list, i));
        if (!is_notified(f)) continue;
        ndone++;
        if (f->state == FINISHED && f->exception) exc = true;
    }
    if (ndone == RT_LIST_LEN(list)) return true;
    if (mode == W_FIRST_COMPLETED) return ndone > ndone_before;
    if (mode == W_FIRST_EXCEPTION) return exc;
    return false;
}

RtValue *rt_futures_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"fs", "timeout", "return_when"};
    RtValue *a[3];
    (void)self;
    if (bind("wait", NULL, names, 3, 0, 2, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    int mode = W_ALL_COMPLETED;
    if (a[2] != rt_None) {
        const char *s = rt_is_str(a[2]) ? rt_str_data(a[2]) : "";
        mode = strcmp(s, "FIRST_COMPLETED") == 0 ? W_FIRST_COMPLETED
             : strcmp(s, "FIRST_EXCEPTION") == 0 ? W_FIRST_EXCEPTION
             : strcmp(s, "ALL_COMPLETED") == 0 ? W_ALL_COMPLETED : W_BAD;
    }
    int64_t deadline;
    RtValue *list = NULL, *set = future_set(a[0], &list);
    if (!set) return NULL;
    rt_decref(set);
    RtValue *r = NULL;
    poll_all(list);
    size_t ndone = 0;
    bool exc = false;
    for (size_t i = 0; i < RT_LIST_LEN(list); i++) {
        Future *f = FUT(RT_LIST_GET(list, i));
        if (is_notified(f)) { ndone++; exc |= f->state == FINISHED && f->exception; }
    }
    bool early = ndone == RT_LIST_LEN(list) || (mode == W_FIRST_COMPLETED && ndone) ||
                 (mode == W_FIRST_EXCEPTION && exc);
    if (!early) {
        if (mode == W_BAD) {
            RtValue *rep = rt_repr(a[2]);
            if (rep) rt_raise_fmt(&rt_exc_ValueError, "Invalid return condition: %s", rt_str_data(rep));
            rt_xdecref(rep);
            goto done;
        }
        if (a[1] == rt_None) deadline = RT__NEVER;
        else if (deadline_of(a[1], &deadline) < 0) goto done;
        while (!wait_over(list, ndone, mode) && now_ns() < deadline) {
            /* progress on the unfinished ones */
            size_t n = 0;
            Future *buf[64];
            for (size_t i = 0; i < RT_LIST_LEN(list) && n < 64; i++) {
                Future *f = FUT(RT_LIST_GET(list, i));
                if (!is_notified(f)) buf[n++] = f;
            }
            if (progress(buf, n, deadline) < 0) goto done;
        }
    }
    r = done_pair(list);
done:
    rt_decref(list);
    return r;
}

/* ==== at exit and while sleeping ========================================================= */

void rt_futures_atexit(void) {
    RtValue *saved = rt_exc_fetch();
    bool again = true;
    while (again) {
        again = false;
        for (Executor *ex = g_live; ex; ex = ex->next_live) {
            if (!mine(ex) || !ex->pool) continue;
            rt_incref(&ex->ob);                /* leaving the live list may free it */
            ex->shutdown = true;               /* _global_shutdown */
            if (drain_executor(ex) < 0) RT_CLEAR(rt_exc_pending);
            if (ex->pool) {                    /* the Pool failed: stop it */
                ex->break_now = true;
                settle(ex, false);
            }
            rt_decref(&ex->ob);
            again = true;                      /* the list changed */
            break;
        }
    }
    rt_buf_free(&g_check);
    if (saved) rt_exc_restore(saved);
}

int rt_futures_sleep_until(int64_t deadline_ns) {
    bool any = false;
    for (Executor *ex = g_live; ex; ex = ex->next_live)
        if (mine(ex) && ex->pool && (ex->queue.len || ex->flight.len || ex->done.len)) any = true;
    if (!any) return 0;
    while (now_ns() < deadline_ns) {
        Executor *busy = NULL;
        for (Executor *ex = g_live; ex && !busy; ex = ex->next_live)
            if (mine(ex) && ex->pool && (ex->queue.len || ex->flight.len || ex->done.len)) busy = ex;
        if (!busy) { sleep_until(deadline_ns); break; }
        if (wait_slice(busy, deadline_ns) < 0) return -1;
    }
    return 1;
}

/* pool.c: multiprocessing.Pool — forked workers fed through two shared rings.
 *
 * Key idea. CPython's Pool runs three helper threads in the parent (task
 * feeder, result collector, worker maintainer) around two pipes. We keep the
 * parent single-threaded: tasks go into one shared ring (queue.c's RtChan)
 * that every worker takes from, results come back through a second ring,
 * and the parent collects them whenever it is inside a pool call or waits
 * on a result. That is also when callbacks run, in the main thread, in the
 * order results arrive (CPython runs them in its result-handler thread).
 *
 * Records. A task or result is a 16-byte header (job id, chunk index, kind)
 * followed by serialized values: the function and a chunk of arguments one
 * way, the chunk's result list (or the exception, carrying its traceback
 * text) the other way. Functions travel as indexes into the program's
 * function table.
 *
 * Dead workers. Each worker has a slot in shared memory; when it takes a
 * task, the ring copies the task's header into the slot under the ring's
 * lock, and the worker clears it after posting the result. While waiting,
 * the parent polls its workers with waitpid(WNOHANG) every 100 ms; if one
 * died holding a task, it first collects the results already posted, then
 * fails that chunk with a ProcessError naming the worker and the signal (so
 * the caller gets an error where CPython would hang) and forks a
 * replacement. A worker that reaches maxtasksperchild says so in the result
 * ring before exiting, so the parent replaces it at once.
 *
 * Workers are daemonic ForkProcess objects named ForkPoolWorker-N, as in
 * CPython: current_process() inside a task names the worker, and
 * active_children() lists them. They leave through the Process bootstrap
 * (flush stdout, _exit): a print inside a task appears once, when the worker
 * ends, as in CPython. terminate() lets idle workers leave that way too and
 * SIGTERMs only the busy ones.
 */
#include "mp2c.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_NS   100000000         /* poll workers' liveness every 100 ms while waiting */
#define STOP_NS    2000000000        /* terminate: grace before SIGKILL */
#define TERM_GRACE_NS 20000000       /* terminate: a busy worker gets SIGTERM after 20 ms */

enum { RUN, CLOSE, TERMINATE };
static const char *const state_names[] = {"RUN", "CLOSE", "TERMINATE"};

enum { T_APPLY = 1, T_MAP, T_STARMAP, T_SENTINEL };          /* task kinds */
enum { RES_OK = 1, RES_EXC, RES_ENCODE, RES_RETIRE, RES_INITFAIL };    /* result kinds */
enum { J_APPLY, J_MAP, J_IMAP, J_IMAPU };                    /* job kinds */
/* Kind flag: the chunk travels as a count and then one value per item
 * instead of one tuple or list. Only used when every item is an immutable
 * scalar (so no identity between items can be lost), it spares the parent
 * from building and freeing a chunk-sized container for each message. */
#define FLAT 0x100u
#define KIND(k) ((k) & ~FLAT)

typedef struct RecHdr {
    uint64_t job;
    uint32_t idx;                /* chunk index; the worker's slot for RES_RETIRE */
    uint32_t kind;
} RecHdr;

/* Shared with the workers (MAP_SHARED|MAP_ANONYMOUS, made before forking). */
typedef struct Slot {
    RecHdr claim;                /* the task the worker holds; kind 0 = none */
} Slot;

/* The parent's view of a worker. */
typedef struct Worker {
    RtValue *proc;               /* its ForkProcess/SpawnProcess (owned); NULL once joined */
    RtValue *target;             /* its _PoolWorker target (owned) */
    bool     alive;
    bool     termed;             /* terminate() sent */
} Worker;

typedef struct RtPool RtPool;

/* ApplyResult, MapResult, IMapIterator, IMapUnorderedIterator. */
typedef struct RtJob {
    RtValue   ob;
    RtPool   *pool;              /* strong while pending, then NULL */
    uint64_t  id;
    int       kind;
    bool      ready, success;
    RtValue  *value;             /* result, result list, or the first exception */
    RtValue  *callback, *error_callback;
    int64_t   chunksize;
    int64_t   nchunks;           /* -1 while an imap input is not exhausted */
    int64_t   left;              /* MAP: chunks not answered yet */
    uint8_t  *answered;          /* per chunk: its result (or failure) arrived */
    size_t    anscap;
    /* imap */
    RtValue  *func, *input;      /* input: iterator, NULL once exhausted */
    int64_t   fed, received, consumed;
    RtValue **res;               /* by chunk (ordered) or by arrival (unordered) */
    uint8_t  *res_ok;
    size_t    rescap;
    RtValue  *cur;               /* chunk list being yielded (chunksize > 1) */
    size_t    cur_pos;
    bool      exhausted;
} RtJob;

struct RtPool {
    RtValue   ob;
    int       state;
    int       nprocs;
    RtValue  *initializer;       /* NULL = None */
    RtValue  *initargs;          /* tuple */
    int64_t   maxtasks;          /* 0 = None */
    RtChan   *tasks, *results;
    Slot     *slots;             /* in a memfd, so that a spawned worker maps it too */
    int       slots_fd;
    int       method;            /* RtStartMethod of the workers */
    Worker   *workers;
    pid_t     owner;
    RtJob   **jobs;              /* jobs[id - jbase], NULL once finished */
    uint64_t  jbase;
    size_t    njobs, jcap, npending;
    RtJob   **feeding;           /* imap jobs whose input is not exhausted (borrowed) */
    size_t    nfeeding, fcap;
    int64_t   last_check;
    RtValue  *broken;            /* the initializer's exception, once one failed */
    bool      reaped;            /* every worker waited for */
    RtBuf     tbuf;              /* scratch for building task records */
    RtBuf     rbuf;              /* scratch for receiving results */
    RtPool   *next_live;         /* pools to stop at exit */
};

#define POOL(o) ((RtPool *)(o))
#define JOB(o)  ((RtJob *)(o))

static RtPool *live_pools;
static bool atexit_registered;

/* ==== small helpers ========================================================== */

static RtValue *repr_at(RtValue *self) {
    char buf[160];
    snprintf(buf, sizeof buf, "<%s.%s object at %p>", self->type->module, self->type->name, (void *)self);
    return rt_str_from_cstr(buf);
}

/* Raises `type` with a formatted message and hands the exception back. */
static RtValue *make_exc(RtType *type, const char *msg) {
    rt_raise(type, msg);
    return rt_exc_fetch();
}

static RtValue *not_owner(void) {
    return rt_raise(&rt_exc_RuntimeError, "a Pool can only be used by the process that created it");
}

static RtValue *raise_noargs(RtType *type) {
    RtValue *t = rt_tuple_new(0);
    if (!t) return NULL;
    RtValue *e = rt_exc_new(type, t);
    rt_decref(t);
    if (e) rt_exc_raise_new(e);
    return NULL;
}

/* proc.method() on a worker's Process, for its effect; errors are dropped
 * (the pool's bookkeeping must go on). Returns the result or NULL. */
static RtValue *proc_call(RtValue *proc, const char *method) {
    RtValue *r = rt_call_method(proc, method, NULL, 0, NULL);
    if (!r) RT_CLEAR(rt_exc_pending);
    return r;
}

static int64_t proc_int(RtValue *proc, const char *attr) {
    int64_t v = 0;
    RtValue *x = rt_getattr(proc, attr);
    if (!x || !rt_is_int(x) || rt_int_as_i64(x, &v) < 0) RT_CLEAR(rt_exc_pending);
    rt_xdecref(x);
    return v;
}

static void sleep_ns(long ns) {
    struct timespec ts = {0, ns};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

/* A growable C string for the traceback text. */
typedef struct Text { char *p; size_t len, cap; bool failed; } Text;

static void text_add(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(Text *t, const char *fmt, ...) {
    if (t->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) { t->failed = true; return; }
        if (t->p && t->len + (size_t)n < t->cap) { t->len += (size_t)n; return; }
        size_t cap = (t->cap ? t->cap * 2 : 256) + (size_t)n;
        char *p = rt_realloc(t->p, cap);
        if (!p) { t->failed = true; RT_CLEAR(rt_exc_pending); return; }
        t->p = p;
        t->cap = cap;
    }
}

/* The text CPython's worker puts in RemoteTraceback: the exception with its
 * chained causes and contexts, as traceback.format_exception writes it. */
static RtValue *format_traceback(RtValue *exc) {
    RtValue *r = rt_exc_format(exc);
    if (!r) RT_CLEAR(rt_exc_pending);
    return r;
}

/* multiprocessing.pool.MaybeEncodingError, made on first use as a script-
 * style subclass of Exception so that it inherits every exception slot. */
static RtType *maybe_encoding_error(void) {
    static RtValue *cls;
    if (!cls) {
        RtValue *ns = rt_dict_new();
        if (!ns) return NULL;
        cls = rt_class_new("MaybeEncodingError", "multiprocessing.pool", &rt_exc_Exception, ns, -1);
        rt_decref(ns);
    }
    return (RtType *)cls;
}

/* The RemoteTraceback-style cause of an exception from a worker: an
 * Exception subclass `module.name` made on first use (slot *cls), whose one
 * argument, its str, is '\n"""\n<traceback text>"""', kept as .tb too. */
RtValue *rt_pool_remote_traceback(RtValue **cls, const char *module, const char *name, RtValue *text) {
    if (!*cls) {
        RtValue *ns = rt_dict_new();
        if (!ns) return NULL;
        *cls = rt_class_new(name, module, &rt_exc_Exception, ns, -1);
        rt_decref(ns);
        if (!*cls) return NULL;
    }
    RtValue *inst = rt_call(*cls, &text, 1, NULL);
    if (inst && rt_setattr(inst, "tb", text) < 0) RT_CLEAR(inst);
    return inst;
}

static RtValue *remote_tb_cls;   /* multiprocessing.pool.RemoteTraceback */

bool rt_pool_is_remote_traceback(RtValue *v) {
    return v && remote_tb_cls && v->type == (RtType *)remote_tb_cls;
}

/* As CPython's rebuild_exc in the parent: exc.__cause__ =
 * RemoteTraceback(tb), the worker's traceback text (RtExc.remote_tb, which
 * the cause now carries, so it is printed once). */
static void chain_remote_tb(RtValue *exc) {
    if (exc->type->tag != RT_T_EXC || !((RtExc *)exc)->remote_tb) return;
    RtExc *e = (RtExc *)exc;
    RtValue *saved = rt_exc_fetch();
    size_t n = rt_str_nbytes(e->remote_tb);
    char *buf = rt_malloc(n + 8);
    RtValue *text = NULL, *cause = NULL;
    if (buf) {
        memcpy(buf, "\n\"\"\"\n", 5);
        memcpy(buf + 5, rt_str_data(e->remote_tb), n);
        memcpy(buf + 5 + n, "\"\"\"", 3);
        text = rt_str_new(buf, n + 8);
        rt_free(buf);
    }
    if (text) cause = rt_pool_remote_traceback(&remote_tb_cls, "multiprocessing.pool", "RemoteTraceback", text);
    rt_xdecref(text);
    if (cause) {
        RT_SETREF(e->cause, cause);
        e->suppress_context = true;
        RT_CLEAR(e->remote_tb);
    }
    RT_CLEAR(rt_exc_pending);   /* failing that, remote_tb stays and is printed as before */
    rt_exc_restore(saved);
}

/* ==== the job table ========================================================= */

static RtJob *job_find(RtPool *p, uint64_t id) {
    if (id < p->jbase || id - p->jbase >= p->njobs) return NULL;
    return p->jobs[id - p->jbase];
}

/* Registers j under the next id; the table keeps a reference. */
static int job_add(RtPool *p, RtJob *j) {
    if (p->njobs == p->jcap) {
        size_t cap = p->jcap ? p->jcap * 2 : 16;
        RtJob **a = rt_realloc(p->jobs, cap * sizeof *a);
        if (!a) return -1;
        p->jobs = a;
        p->jcap = cap;
    }
    j->id = p->jbase + p->njobs;
    p->jobs[p->njobs++] = (RtJob *)rt_newref(&j->ob);
    p->npending++;
    return 0;
}

/* Drops the table's reference (last: j may die here). */
static void job_remove(RtPool *p, RtJob *j) {
    uint64_t i = j->id - p->jbase;
    p->jobs[i] = NULL;
    p->npending--;
    size_t k = 0;
    while (k < p->njobs && !p->jobs[k]) k++;
    if (k) {
        memmove(p->jobs, p->jobs + k, (p->njobs - k) * sizeof *p->jobs);
        p->njobs -= k;
        p->jbase += k;
    }
    for (size_t f = 0; f < p->nfeeding; f++)
        if (p->feeding[f] == j) p->feeding[f] = p->feeding[--p->nfeeding];
    rt_decref(&j->ob);
}

/* ==== finishing jobs ========================================================= */

/* Runs a callback as the result handler would; its exception cannot reach
 * the caller (CPython's thread would print it and die): print it. */
static void run_callback(RtValue *cb, RtValue *arg) {
    if (!cb || cb == rt_None) return;
    RtValue *r = rt_call(cb, &arg, 1, NULL);
    if (r) { rt_decref(r); return; }
    RtValue *exc = rt_exc_fetch();
    rt_exc_print(exc);
    rt_decref(exc);
}

static void job_finish(RtJob *j) {
    RtPool *p = j->pool;
    if ((j->kind == J_APPLY || j->kind == J_MAP) && j->nchunks != 0)   /* an empty map calls no callback */
        run_callback(j->success ? j->callback : j->error_callback, j->value);
    j->ready = true;
    j->pool = NULL;
    rt_incref(&j->ob);                  /* keep j alive past job_remove */
    job_remove(p, j);
    rt_decref(&j->ob);
    rt_decref(&p->ob);
}

static int store_imap(RtJob *j, size_t at, RtValue *v, bool ok) {
    if (at >= j->rescap) {
        size_t cap = j->rescap ? j->rescap * 2 : 16;
        while (cap <= at) cap *= 2;
        RtValue **r = rt_realloc(j->res, cap * sizeof *r);
        if (!r) return -1;
        j->res = r;
        uint8_t *o = rt_realloc(j->res_ok, cap);
        if (!o) return -1;
        j->res_ok = o;
        memset(j->res + j->rescap, 0, (cap - j->rescap) * sizeof *r);
        j->rescap = cap;
    }
    j->res[at] = v;
    j->res_ok[at] = ok;
    return 0;
}

static bool was_answered(const RtJob *j, uint32_t idx) {
    return idx < j->anscap && j->answered[idx];
}

/* Records that chunk idx arrived; false if it already had (a worker that
 * died after posting its result is also failed for its claim) or on OOM. */
static bool mark_answered(RtJob *j, uint32_t idx) {
    if (was_answered(j, idx)) return false;
    if (idx >= j->anscap) {
        size_t cap = j->anscap ? j->anscap * 2 : 16;
        while (cap <= idx) cap *= 2;
        uint8_t *a = rt_realloc(j->answered, cap);
        if (!a) { RT_CLEAR(rt_exc_pending); return false; }
        memset(a + j->anscap, 0, cap - j->anscap);
        j->answered = a;
        j->anscap = cap;
    }
    j->answered[idx] = 1;
    return true;
}

/* Delivers chunk idx of job j; steals v. */
static void job_set(RtJob *j, uint32_t idx, bool ok, RtValue *v) {
    switch (j->kind) {
    case J_APPLY:
        if (j->ready || j->left == 0) { rt_decref(v); return; }
        j->left = 0;
        j->success = ok;
        RT_SETREF(j->value, v);
        job_finish(j);
        return;
    case J_MAP:
        if ((int64_t)idx >= j->nchunks || !mark_answered(j, idx)) { rt_xdecref(v); return; }
        j->left--;
        if (!v) {
            /* FLAT results, already in place */
        } else if (ok && j->success && rt_is_list(v)) {
            RtList *out = (RtList *)j->value, *in = (RtList *)v;
            size_t base = (size_t)idx * (size_t)j->chunksize;
            bool steal = rt_refcnt(v) == 1;      /* freshly loaded: move the items */
            for (size_t k = 0; k < in->len && base + k < out->len; k++) {
                RT_SETREF(out->items[base + k], steal ? in->items[k] : rt_newref(in->items[k]));
                if (steal) in->items[k] = rt_None;
            }
            rt_decref(v);
        } else if (!ok && j->success) {
            j->success = false;          /* the first error wins, as in CPython */
            RT_SETREF(j->value, v);
        } else {
            rt_decref(v);
        }
        if (j->left == 0) job_finish(j);
        return;
    default: {
        size_t at = j->kind == J_IMAP ? idx : (size_t)j->received;
        if (!mark_answered(j, idx)) { rt_decref(v); return; }
        if (store_imap(j, at, v, ok) < 0) { RT_CLEAR(rt_exc_pending); rt_decref(v); return; }
        j->received++;
        if (j->nchunks >= 0 && j->received >= j->nchunks) job_finish(j);
        return;
    }
    }
}

/* Gives up a job that could not be submitted: out of the table, no callbacks;
 * drops the caller's reference too. */
static void job_drop(RtJob *j) {
    if (!j) return;
    if (j->pool) {
        RtPool *p = j->pool;
        j->pool = NULL;
        j->ready = true;
        job_remove(p, j);
        rt_decref(&p->ob);
    }
    rt_decref(&j->ob);
}

/* Fails chunk idx with exception exc (stolen). */
static void job_fail(RtJob *j, uint32_t idx, RtValue *exc) { job_set(j, idx, false, exc); }

/* ==== sending tasks ========================================================== */

static int put_header(RtBuf *b, uint64_t job, uint32_t idx, uint32_t kind) {
    RecHdr h = {job, idx, kind};
    rt_buf_reset(b);
    return rt_buf_put_bytes(b, &h, sizeof h);
}

/* Serializes and queues one task; a value that cannot be sent fails that
 * chunk (CPython's task thread does the same with the pickling error). */
static int send_task(RtPool *p, RtJob *j, uint32_t idx, uint32_t kind,
                     RtValue *func, RtValue *a, RtValue *b) {
    RtBuf *t = &p->tbuf;
    int r = put_header(t, j->id, idx, kind);
    if (r == 0) r = rt_ser_dump(t, func);
    if (r == 0) r = rt_ser_dump(t, a);
    if (r == 0 && b) r = rt_ser_dump(t, b);
    if (r == 0) r = rt__chan_put(p->tasks, t->data, t->len, RT__NEVER, false);
    if (r == 0) return 0;
    if (!rt_exc_matches((RtValue *)&rt_exc_Exception)) return -1;
    job_fail(j, idx, rt_exc_fetch());
    return 0;
}

/* ==== the worker ============================================================= */

static RtValue *call_star(RtValue *func, RtValue *item) {
    if (rt_is_tuple(item)) return rt_call(func, ((RtTuple *)item)->items, RT_TUPLE_LEN(item), NULL);
    RtValue *l = rt_list_from_iter(item);
    if (!l) return NULL;
    RtValue *r = rt_call(func, ((RtList *)l)->items, RT_LIST_LEN(l), NULL);
    rt_decref(l);
    return r;
}

/* mapstar / starmapstar: the chunk's results as a list. A chunk is a tuple
 * of arguments, or a range (a slice of map's range input, sent as three
 * numbers instead of one int per item). */
static RtValue *run_chunk(RtValue *func, RtValue *chunk, bool star) {
    bool is_range = chunk->type == &rt_type_range;
    if (!is_range && !rt_is_tuple(chunk)) return rt_raise(&rt_exc_TypeError, "bad task chunk");
    RtRange *rg = (RtRange *)chunk;
    size_t n = is_range ? (size_t)rg->len : RT_TUPLE_LEN(chunk);
    RtValue *out = rt_list_new(n);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        RtValue *item = is_range ? rt_int(rg->start + (int64_t)i * rg->step) : rt_newref(RT_TUPLE_GET(chunk, i));
        RtValue *r = !item ? NULL : star ? call_star(func, item) : rt_call(func, &item, 1, NULL);
        rt_xdecref(item);
        if (!r || rt_list_append(out, r) < 0) {
            rt_xdecref(r);
            rt_decref(out);
            return NULL;
        }
        rt_decref(r);
    }
    return out;
}

/* int, bool, float, str, bytes, None: values whose identity a script
 * cannot rely on, so a chunk of them may travel FLAT. */
static bool is_scalar(const RtValue *v) {
    const RtType *t = v->type;
    return t == &rt_type_int || t == &rt_type_bool || t == &rt_type_float ||
           t == &rt_type_str || t == &rt_type_bytes || t == &rt_type_NoneType;
}

/* Reads a FLAT run of values: a count, then each value. New tuple. */
static RtValue *load_flat(RtBuf *in) {
    uint64_t n;
    if (rt_buf_get_uleb(in, &n) < 0) return NULL;
    if (n > rt_buf_avail(in)) return rt_raise(&rt_exc_ValueError, "serialized data is malformed (count)");
    RtValue *t = rt_tuple_new((size_t)n);
    for (uint64_t i = 0; t && i < n; i++) {
        RtValue *v = rt_ser_load(in);
        if (!v) { ((RtTuple *)t)->len = (size_t)i; RT_CLEAR(t); break; }
        RT_TUPLE_SET(t, i, v);
    }
    return t;
}

/* Writes n values FLAT. */
static int dump_flat(RtBuf *out, RtValue *const *items, size_t n) {
    if (rt_buf_put_uleb(out, n) < 0) return -1;
    for (size_t i = 0; i < n; i++)
        if (rt_ser_dump(out, items[i]) < 0) return -1;
    return 0;
}

static RtValue *run_task(RecHdr *h, RtBuf *in) {
    in->pos = sizeof *h;
    uint32_t kind = KIND(h->kind);
    RtValue *func = rt_ser_load(in), *a = NULL, *kw = NULL, *r = NULL;
    if (func) a = h->kind & FLAT ? load_flat(in) : rt_ser_load(in);
    if (a && kind == T_APPLY) kw = rt_ser_load(in);
    if (a && kind == T_APPLY && kw)
        r = rt_call_tuple_dict(func, rt_is_tuple(a) ? a : NULL, rt_is_dict(kw) ? kw : NULL);
    else if (a && kind != T_APPLY)
        r = run_chunk(func, a, kind == T_STARMAP);
    rt_xdecref(func);
    rt_xdecref(a);
    rt_xdecref(kw);
    return r;
}

/* "Error sending result: '<value>'. Reason: '<exc>'" (MaybeEncodingError). */
static int encode_error(RtBuf *out, const RecHdr *h, RtValue *value) {
    RtValue *exc = rt_exc_fetch();
    RtValue *rv = rt_repr(value), *re = rv ? rt_repr(exc) : NULL;
    Text t = {0};
    if (rv && re) text_add(&t, "Error sending result: '%s'. Reason: '%s'", rt_str_data(rv), rt_str_data(re));
    RT_CLEAR(rt_exc_pending);
    rt_xdecref(rv);
    rt_xdecref(re);
    rt_decref(exc);
    RtValue *msg = rt_str_new(t.p ? t.p : "Error sending result", t.p ? t.len : 20);
    rt_free(t.p);
    int r = msg ? put_header(out, h->job, h->idx, RES_ENCODE) : -1;
    if (r == 0) r = rt_ser_dump(out, msg);
    rt_xdecref(msg);
    return r;
}

/* Builds the result record for a finished task. */
static int build_result(RtBuf *out, const RecHdr *h, RtValue *value) {
    if (value) {
        bool flat = KIND(h->kind) != T_APPLY && rt_is_list(value);
        for (size_t i = 0; flat && i < RT_LIST_LEN(value); i++) flat = is_scalar(RT_LIST_GET(value, i));
        if (put_header(out, h->job, h->idx, RES_OK | (flat ? FLAT : 0)) < 0) return -1;
        int r = flat ? dump_flat(out, ((RtList *)value)->items, RT_LIST_LEN(value)) : rt_ser_dump(out, value);
        if (r == 0) return 0;
        return encode_error(out, h, value);
    }
    RtValue *exc = rt_exc_fetch();
    if (exc->type->tag == RT_T_EXC && !((RtExc *)exc)->remote_tb)
        ((RtExc *)exc)->remote_tb = format_traceback(exc);
    RT_CLEAR(rt_exc_pending);
    int r = put_header(out, h->job, h->idx, RES_EXC);
    if (r == 0 && rt_ser_dump(out, exc) < 0) {
        rt_exc_restore(rt_newref(exc));   /* ignored: encode_error fetches its own */
        RT_CLEAR(rt_exc_pending);
        rt_raise(&rt_exc_TypeError, "cannot send the exception");
        r = encode_error(out, h, exc);
    }
    rt_decref(exc);
    return r;
}

static int post(RtPool *p, RtBuf *out) {
    return rt__chan_put(p->results, out->data, out->len, RT__NEVER, false);
}

/* The initializer raised: tell the parent, which fails the pool's work with
 * this exception instead of respawning workers forever as CPython does;
 * then let it end the worker as CPython's does ("Process ForkPoolWorker-N:"
 * and the traceback on stderr, exit code 1). */
static RtValue *worker_init_failed(RtPool *p, int slot) {
    if (!rt_exc_matches((RtValue *)&rt_exc_Exception)) return NULL;
    RtValue *exc = rt_exc_fetch();
    RtBuf out = RT_BUF_INIT;
    int r = put_header(&out, 0, (uint32_t)slot, RES_INITFAIL);
    if (r == 0 && rt_ser_dump(&out, exc) < 0) {
        RT_CLEAR(rt_exc_pending);
        RtValue *e2 = make_exc(&rt_exc_RuntimeError, "the pool initializer failed");
        r = put_header(&out, 0, (uint32_t)slot, RES_INITFAIL);
        if (r == 0) r = rt_ser_dump(&out, e2);
        rt_decref(e2);
    }
    if (r == 0 && post(p, &out) < 0) RT_CLEAR(rt_exc_pending);
    rt_buf_free(&out);
    rt_exc_restore(exc);
    return NULL;
}

/* CPython's pool.worker(): take tasks until a sentinel (or maxtasksperchild),
 * post each result. Returns None; NULL with the exception that ends the
 * worker (a BaseException from a task, as in CPython: SystemExit gives the
 * exit code, others are printed by the Process bootstrap). */
static RtValue *worker_main(RtPool *p, int slot) {
    /* A worker must not outlive its parent (CPython's get EOF and leave). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != p->owner) _exit(1);
    if (p->initializer) {
        RtValue *r = rt_call_tuple_dict(p->initializer, p->initargs, NULL);
        if (!r) return worker_init_failed(p, slot);
        rt_decref(r);
    }
    RtBuf in = RT_BUF_INIT, out = RT_BUF_INIT;
    Slot *me = &p->slots[slot];
    int64_t done = 0;
    RtValue *status = rt_None;
    for (;;) {
        if (rt__chan_get(p->tasks, &in, RT__NEVER, &me->claim, sizeof me->claim) != 0) { status = NULL; break; }
        RecHdr h;
        memcpy(&h, in.data, sizeof h);
        if (h.kind == T_SENTINEL) break;
        RtValue *v = run_task(&h, &in);
        if (!v && !rt_exc_matches((RtValue *)&rt_exc_Exception)) { status = NULL; break; }
        int r = build_result(&out, &h, v);
        rt_xdecref(v);
        if (r < 0 || post(p, &out) < 0) { status = NULL; break; }
        __atomic_store_n(&me->claim.kind, 0, __ATOMIC_RELEASE);
        if (p->maxtasks > 0 && ++done >= p->maxtasks) {
            if (put_header(&out, 0, (uint32_t)slot, RES_RETIRE) < 0 || post(p, &out) < 0) status = NULL;
            break;
        }
    }
    rt_buf_free(&in);
    rt_buf_free(&out);
    return status;
}

/* The target of a worker Process (multiprocessing.pool._PoolWorker): the
 * pool and slot it serves. Under fork the child simply uses the pool it
 * inherited; under spawn the target travels to the new process as the
 * pool's memfds (tasks, results, slots) and settings, and the child
 * rebuilds a worker-side pool from them. */
typedef struct PoolWorker {
    RtValue  ob;
    RtPool  *pool;               /* parent: borrowed (cleared at join); spawned child: owned */
    int      slot;
    bool     owned;
} PoolWorker;

extern RtType rt_mp__PoolWorker;

static RtValue *pool_worker_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args; (void)nargs; (void)kw;
    PoolWorker *w = (PoolWorker *)self;
    if (!w->pool) return rt_raise(&rt_exc_RuntimeError, "pool worker target without a pool");
    return worker_main(w->pool, w->slot);
}

static void pool_worker_dealloc(RtValue *self) {
    PoolWorker *w = (PoolWorker *)self;
    if (w->owned && w->pool) rt_decref(&w->pool->ob);
}

static int put_fd(RtBuf *buf, int fd) {
    if (rt_ser_pass_fd(fd) < 0) return -1;     /* proc.c keeps it open across exec */
    return rt_buf_put_sleb(buf, fd);
}

/* Only a spawn sends it (as a Process's target). */
static int pool_worker_dump(RtValue *self, RtBuf *buf) {
    PoolWorker *w = (PoolWorker *)self;
    RtPool *p = w->pool;
    if (!rt_ser_spawning() || !p) {
        rt_raise(&rt_exc_NotImplementedError, "pool objects cannot be passed between processes or pickled");
        return -1;
    }
    if (put_fd(buf, rt__chan_fd(p->tasks)) < 0 || put_fd(buf, rt__chan_fd(p->results)) < 0 ||
        put_fd(buf, p->slots_fd) < 0 || rt_buf_put_uleb(buf, (uint64_t)w->slot) < 0 ||
        rt_buf_put_uleb(buf, (uint64_t)p->nprocs) < 0 || rt_buf_put_sleb(buf, p->owner) < 0 ||
        rt_buf_put_sleb(buf, p->maxtasks) < 0)
        return -1;
    if (rt_ser_dump(buf, p->initializer ? p->initializer : rt_None) < 0) return -1;
    return rt_ser_dump(buf, p->initargs);
}

static void *map_slots(int fd, int nprocs) {
    void *m = mmap(NULL, (size_t)nprocs * sizeof(Slot), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) { rt_raise_errno(errno, NULL); return NULL; }
    return m;
}

/* In the spawned worker: a pool object holding just what worker_main needs. */
static RtValue *pool_worker_load(RtType *type, RtBuf *buf) {
    int64_t tfd, rfd, sfd, owner, maxtasks;
    uint64_t slot, nprocs;
    if (rt_buf_get_sleb(buf, &tfd) < 0 || rt_buf_get_sleb(buf, &rfd) < 0 || rt_buf_get_sleb(buf, &sfd) < 0 ||
        rt_buf_get_uleb(buf, &slot) < 0 || rt_buf_get_uleb(buf, &nprocs) < 0 ||
        rt_buf_get_sleb(buf, &owner) < 0 || rt_buf_get_sleb(buf, &maxtasks) < 0)
        return NULL;
    if (slot >= nprocs || nprocs > INT32_MAX) return rt_raise(&rt_exc_ValueError, "serialized data is malformed (pool worker)");
    RtValue *init = rt_ser_load(buf), *initargs = init ? rt_ser_load(buf) : NULL;
    RtValue *po = initargs ? rt_obj_alloc(&rt_mp_Pool, sizeof(RtPool)) : NULL;
    RtValue *self = po ? rt_obj_alloc(type, sizeof(PoolWorker)) : NULL;
    if (self) {
        RtPool *p = POOL(po);
        p->owner = (pid_t)owner;         /* not us: this copy never stops workers */
        p->reaped = true;
        p->nprocs = (int)nprocs;
        p->maxtasks = maxtasks;
        p->slots_fd = -1;
        p->initializer = init != rt_None ? rt_newref(init) : NULL;
        p->initargs = rt_newref(initargs);
        p->tasks = rt__chan_attach((int)tfd);
        p->results = p->tasks ? rt__chan_attach((int)rfd) : NULL;
        p->slots = p->results ? map_slots((int)sfd, (int)nprocs) : NULL;
        ((PoolWorker *)self)->pool = p;
        ((PoolWorker *)self)->slot = (int)slot;
        ((PoolWorker *)self)->owned = true;
        po = NULL;
        if (!p->slots) RT_CLEAR(self);
    }
    rt_xdecref(po);
    rt_xdecref(init);
    rt_xdecref(initargs);
    return self;
}

RtType rt_mp__PoolWorker = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "_PoolWorker",
    .module = "multiprocessing.pool",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(PoolWorker),
    .table_index = -1,
    .dealloc = pool_worker_dealloc,
    .repr = repr_at,
    .call = pool_worker_call,
    .ser_dump = pool_worker_dump,
    .ser_load = pool_worker_load,
};

/* ForkProcess(target=worker, daemon=True) (SpawnProcess under spawn),
 * renamed "ForkPoolWorker-N" as CPython's Pool does
 * (w.name.replace('Process', 'PoolWorker')). */
static RtValue *new_worker_process(RtPool *p, RtValue *target) {
    static RtValue *kwnames;
    if (!kwnames) {
        RtValue *k1 = rt_str_from_cstr("target"), *k2 = rt_str_from_cstr("daemon");
        kwnames = k1 && k2 ? rt_tuple_pack(2, k1, k2) : NULL;
        rt_xdecref(k1);
        rt_xdecref(k2);
        if (!kwnames) return NULL;
    }
    RtType *t = p->method == RT_START_SPAWN ? &rt_mp_SpawnProcess
              : p->method == RT_START_FORKSERVER ? &rt_mp_ForkServerProcess : &rt_mp_ForkProcess;
    RtValue *kwv[2] = {target, rt_True};
    RtValue *proc = rt_call((RtValue *)t, kwv, 0, kwnames);
    RtValue *name = proc ? rt_getattr(proc, "name") : NULL;
    const char *s = name && rt_is_str(name) ? rt_str_data(name) : NULL;
    const char *at = s ? strstr(s, "Process") : NULL;
    if (at) {
        char buf[160];
        snprintf(buf, sizeof buf, "%.*sPoolWorker%s", (int)(at - s), s, at + 7);
        RtValue *nn = rt_str_from_cstr(buf);
        if (!nn || rt_setattr(proc, "name", nn) < 0) RT_CLEAR(proc);
        rt_xdecref(nn);
    }
    rt_xdecref(name);
    return proc;
}

static int spawn_worker(RtPool *p, int i) {
    RtValue *target = rt_obj_alloc(&rt_mp__PoolWorker, sizeof(PoolWorker));
    if (!target) return -1;
    ((PoolWorker *)target)->pool = p;
    ((PoolWorker *)target)->slot = i;
    RtValue *proc = new_worker_process(p, target);
    if (!proc) { rt_decref(target); return -1; }
    memset(&p->slots[i], 0, sizeof p->slots[i]);
    RtValue *r = rt_call_method(proc, "start", NULL, 0, NULL);   /* pipe2 + fork (+ exec) */
    if (!r) { ((PoolWorker *)target)->pool = NULL; rt_decref(target); rt_decref(proc); return -1; }
    rt_decref(r);
    p->workers[i] = (Worker){proc, target, true, false};
    return 0;
}

/* Waits for worker i to end (Process.join: waitpid) and lets it go. */
static void join_worker(RtPool *p, int i) {
    Worker *w = &p->workers[i];
    if (w->proc) rt_xdecref(proc_call(w->proc, "join"));
    RT_CLEAR(w->proc);
    if (w->target) ((PoolWorker *)w->target)->pool = NULL;   /* the Process may outlive us */
    RT_CLEAR(w->target);
    w->alive = false;
}

/* ==== collecting results ==================================================== */

static bool is_task(uint32_t kind) {
    kind = KIND(kind);
    return kind == T_APPLY || kind == T_MAP || kind == T_STARMAP;
}

/* A MAP chunk's results, FLAT: straight into the job's result list. */
static void set_flat_map(RtJob *j, RecHdr *h, RtBuf *b) {
    uint64_t n;
    RtList *out = (RtList *)j->value;
    size_t base = (size_t)h->idx * (size_t)j->chunksize;
    if ((int64_t)h->idx >= j->nchunks || was_answered(j, h->idx) || !j->success) {
        job_set(j, h->idx, true, rt_newref(rt_None));   /* counts it; the values are not needed */
        return;
    }
    if (rt_buf_get_uleb(b, &n) < 0) { job_fail(j, h->idx, rt_exc_fetch()); return; }
    for (uint64_t k = 0; k < n; k++) {
        RtValue *v = rt_ser_load(b);
        if (!v) { job_fail(j, h->idx, rt_exc_fetch()); return; }
        if (base + k < out->len) RT_SETREF(out->items[base + k], v);
        else rt_decref(v);
    }
    job_set(j, h->idx, true, NULL);
}

static void set_broken(RtPool *p, RtValue *exc);
static void replace_worker(RtPool *p, int i);

/* Handles one result record in p's receive buffer. */
static void handle_result(RtPool *p, RtBuf *b) {
    RecHdr h;
    if (b->len < sizeof h) return;
    memcpy(&h, b->data, sizeof h);
    b->pos = sizeof h;
    if (h.kind == RES_RETIRE) {
        if (h.idx < (uint32_t)p->nprocs && p->workers[h.idx].alive) {
            join_worker(p, (int)h.idx);
            replace_worker(p, (int)h.idx);
        }
        return;
    }
    if (h.kind == (RES_OK | FLAT)) {
        RtJob *j = job_find(p, h.job);
        if (j && j->kind == J_MAP) { set_flat_map(j, &h, b); return; }
        RtValue *t = load_flat(b), *l = NULL;      /* imap: the chunk as a list */
        if (t) l = rt_list_from_array(((RtTuple *)t)->items, RT_TUPLE_LEN(t));
        rt_xdecref(t);
        if (!j) { rt_xdecref(l); RT_CLEAR(rt_exc_pending); return; }
        if (l) job_set(j, h.idx, true, l);
        else job_fail(j, h.idx, rt_exc_fetch());
        return;
    }
    RtValue *v = rt_ser_load(b);
    bool ok = h.kind == RES_OK;
    if (!v) {   /* the result could not be rebuilt here: the call fails with why */
        v = rt_exc_fetch();
        ok = false;
    }
    if (h.kind == RES_INITFAIL) { set_broken(p, v); return; }
    if (h.kind == RES_EXC) chain_remote_tb(v);
    if (h.kind == RES_ENCODE && rt_is_str(v)) {
        RtType *t = maybe_encoding_error();
        RtValue *e = t ? make_exc(t, rt_str_data(v)) : rt_exc_fetch();
        rt_decref(v);
        v = e;
    }
    RtJob *j = job_find(p, h.job);
    if (!j) { rt_decref(v); return; }
    job_set(j, h.idx, ok, v);
}

/* Receives one result (waiting until the deadline) and handles it. The
 * receive buffer is borrowed from the pool for the call, so that a callback
 * that waits on the pool meanwhile uses its own. 0 handled, 1 none, -1 error. */
static int take_result(RtPool *p, int64_t deadline) {
    RtBuf b = p->rbuf;
    p->rbuf = (RtBuf)RT_BUF_INIT;
    int r = rt__chan_get(p->results, &b, deadline, NULL, 0);
    if (r == 0) handle_result(p, &b);
    if (!p->rbuf.data) p->rbuf = b;
    else rt_buf_free(&b);
    return r;
}

/* Takes every result already posted, without waiting. */
static int drain(RtPool *p) {
    int r;
    while ((r = take_result(p, 0)) == 0) {}
    return r < 0 ? -1 : 0;
}

/* "pool worker ForkPoolWorker-3 (pid 123) was killed by signal 9 (SIGKILL)
 * while running a task", from Process.name, pid and exitcode. */
static void describe_death(char *buf, size_t n, RtValue *proc) {
    RtValue *name = rt_getattr(proc, "name");
    const char *nm = name && rt_is_str(name) ? rt_str_data(name) : "?";
    if (!name) RT_CLEAR(rt_exc_pending);
    int pid = (int)proc_int(proc, "pid"), code = (int)proc_int(proc, "exitcode");
    if (code < 0) {
        const char *abbr = sigabbrev_np(-code);
        snprintf(buf, n, "pool worker %s (pid %d) was killed by signal %d (SIG%s) while running a task",
                 nm, pid, -code, abbr ? abbr : "?");
    } else {
        snprintf(buf, n, "pool worker %s (pid %d) exited with code %d while running a task", nm, pid, code);
    }
    rt_xdecref(name);
}

/* A worker died on its own: collect what it posted, fail the chunk it still
 * held, and replace it. */
static void worker_died(RtPool *p, int i) {
    Worker *w = &p->workers[i];
    w->alive = false;
    if (drain(p) < 0) RT_CLEAR(rt_exc_pending);
    RecHdr c = p->slots[i].claim;
    p->slots[i].claim.kind = 0;
    if (is_task(c.kind)) {
        RtJob *j = job_find(p, c.job);
        if (j) {
            char msg[256];
            describe_death(msg, sizeof msg, w->proc);
            job_fail(j, c.idx, make_exc(&rt_exc_ProcessError, msg));
        }
    }
    join_worker(p, i);
    replace_worker(p, i);
}

static void replace_worker(RtPool *p, int i) {
    if (p->state == TERMINATE || p->broken) return;
    if (p->state == CLOSE && p->npending == 0) return;
    if (spawn_worker(p, i) < 0) {
        RtValue *exc = rt_exc_fetch();
        set_broken(p, exc);
    }
}

static void check_workers(RtPool *p) {
    p->last_check = rt__now_ns();
    for (int i = 0; i < p->nprocs; i++) {
        if (!p->workers[i].alive) continue;
        RtValue *r = proc_call(p->workers[i].proc, "is_alive");   /* waitpid(WNOHANG) */
        if (r == rt_False) worker_died(p, i);
        rt_xdecref(r);
    }
}

/* Fails every pending job with exc (stolen), e.g. after terminate(). */
static void fail_pending(RtPool *p, RtValue *exc) {
    rt_incref(&p->ob);
    while (p->npending) {
        RtJob *j = NULL;
        for (size_t k = 0; k < p->njobs && !j; k++) j = p->jobs[k];
        if (!j) break;
        rt_incref(&j->ob);              /* j leaves the table below */
        if (j->kind == J_IMAP || j->kind == J_IMAPU) {
            /* The iteration yields what arrived before the first missing
             * chunk, then raises exc there, then ends. */
            int64_t u = 0;
            while (u < j->fed && was_answered(j, (uint32_t)u)) u++;
            RT_CLEAR(j->input);
            if (j->kind == J_IMAP) j->received = u, j->nchunks = u + 1;
            else j->nchunks = j->received + 1;
            job_set(j, (uint32_t)u, false, rt_newref(exc));
        } else if (j->kind == J_MAP) {
            for (int64_t k = 0; k < j->nchunks && j->pool; k++)
                if (!was_answered(j, (uint32_t)k)) job_fail(j, (uint32_t)k, rt_newref(exc));
        } else {
            job_fail(j, 0, rt_newref(exc));
        }
        if (j->pool) job_finish(j);     /* out of memory on the way: still end it */
        rt_decref(&j->ob);
    }
    rt_decref(exc);
    rt_decref(&p->ob);
}

static void set_broken(RtPool *p, RtValue *exc) {
    if (!p->broken) p->broken = rt_newref(exc);
    fail_pending(p, exc);
}

/* ==== feeding imap inputs ==================================================== */

static void feed_done(RtJob *j) {
    RT_CLEAR(j->input);
    j->nchunks = j->fed;
}

/* Sends chunks of an imap input while fewer than a window of them are in
 * flight (all of them when `all`: join() must finish every task). */
static int feed_job(RtPool *p, RtJob *j, bool all) {
    int64_t window = 4 * (int64_t)p->nprocs + 4;
    while (j->input && (all || j->fed - j->received < window)) {
        RtValue *chunk = rt_tuple_new((size_t)j->chunksize);
        if (!chunk) return -1;
        int64_t n = 0;
        while (n < j->chunksize) {
            RtValue *x = rt_iter_next(j->input);
            if (!x) break;
            RT_TUPLE_SET(chunk, n++, x);
        }
        if (rt_exc_pending) {
            /* The input raised: CPython fails the position after the last
             * task sent (_guarded_task_generation) and ends there. */
            for (int64_t k = n; k < j->chunksize; k++) RT_TUPLE_SET(chunk, k, rt_newref(rt_None));
            rt_decref(chunk);
            RtValue *exc = rt_exc_fetch();
            int64_t at = j->fed++;
            feed_done(j);
            job_fail(j, (uint32_t)at, exc);
            return 0;
        }
        if (n == 0) {
            rt_decref(chunk);
            feed_done(j);
            if (j->received >= j->nchunks) job_finish(j);
            return 0;
        }
        ((RtTuple *)chunk)->len = (size_t)n;    /* a short last chunk */
        int64_t idx = j->fed++;
        int r = send_task(p, j, (uint32_t)idx, T_MAP, j->func, chunk, NULL);
        rt_decref(chunk);
        if (r < 0) return -1;
        if (!j->pool) return 0;                 /* finished (failed) meanwhile */
    }
    return 0;
}

static int feed_all(RtPool *p, bool all) {
    for (size_t f = 0; f < p->nfeeding; f++) {
        RtJob *j = p->feeding[f];
        size_t before = p->nfeeding;
        if (feed_job(p, j, all) < 0) return -1;
        if (p->nfeeding < before) f--;          /* j left the list */
        else if (!j->input) p->feeding[f--] = p->feeding[--p->nfeeding];
    }
    return 0;
}

/* One round of progress: feed, then wait until `deadline` (at most until
 * the next liveness check) for results and take all that are there. */
static int step(RtPool *p, int64_t deadline) {
    if (p->owner != getpid()) {
        /* A forked child holds a copy: reading the result ring here would
         * steal the parent's results (CPython's copy would just hang). */
        not_owner();
        return -1;
    }
    if (feed_all(p, false) < 0) return -1;
    int64_t check_at = p->last_check + CHECK_NS;
    int64_t until = deadline < check_at ? deadline : check_at;
    int r = take_result(p, until);
    if (r < 0) return -1;
    if (r == 0 && drain(p) < 0) return -1;
    if (rt__now_ns() >= p->last_check + CHECK_NS) check_workers(p);
    return 0;
}

/* Waits until j is ready or the deadline passes. */
static int wait_job(RtJob *j, int64_t deadline) {
    while (!j->ready && j->pool) {
        RtPool *p = (RtPool *)rt_newref(&j->pool->ob);
        int r = step(p, deadline);
        rt_decref(&p->ob);
        if (r < 0) return -1;
        if (rt__now_ns() >= deadline) break;
    }
    return 0;
}

/* ==== stopping ================================================================ */

static void put_sentinels(RtPool *p) {
    RtBuf b = RT_BUF_INIT;
    if (put_header(&b, 0, 0, T_SENTINEL) == 0)
        for (int i = 0; i < p->nprocs; i++)
            if (p->workers[i].alive && rt__chan_put(p->tasks, b.data, b.len, RT__NEVER, false) < 0)
                RT_CLEAR(rt_exc_pending);
    rt_buf_free(&b);
}

/* Is the task a worker claims still unanswered? A worker that has posted
 * its result but not yet cleared its claim is finishing, not busy. */
static bool claim_pending(RtPool *p, const RecHdr *c) {
    if (!is_task(c->kind)) return false;
    RtJob *j = job_find(p, c->job);
    if (!j) return false;
    return !j->ready && !was_answered(j, c->idx);
}

/* Idle workers take a sentinel and leave (flushing their output); busy ones
 * get SIGTERM after a short grace (time to clear a claim whose result we
 * have not read yet); anything left after STOP_NS gets SIGKILL. Reaps them
 * all. */
static void stop_workers(RtPool *p) {
    rt__chan_clear(p->tasks);
    put_sentinels(p);
    int64_t start = rt__now_ns(), give_up = start + STOP_NS;
    for (;;) {
        bool any = false;
        for (int i = 0; i < p->nprocs; i++) {
            Worker *w = &p->workers[i];
            if (!w->alive) continue;
            RtValue *r = proc_call(w->proc, "is_alive");
            rt_xdecref(r);
            if (r != rt_True) { join_worker(p, i); continue; }
            any = true;
            RecHdr c = p->slots[i].claim;
            if (!w->termed && claim_pending(p, &c) && rt__now_ns() - start > TERM_GRACE_NS) {
                rt_xdecref(proc_call(w->proc, "terminate"));    /* SIGTERM */
                w->termed = true;
            }
        }
        if (!any) break;
        if (rt__now_ns() >= give_up) {
            for (int i = 0; i < p->nprocs; i++) {
                if (!p->workers[i].alive) continue;
                rt_xdecref(proc_call(p->workers[i].proc, "kill"));   /* SIGKILL */
                join_worker(p, i);
            }
            break;
        }
        sleep_ns(1000000);
    }
    p->reaped = true;
}

static void unlink_live(RtPool *p) {
    for (RtPool **pp = &live_pools; *pp; pp = &(*pp)->next_live)
        if (*pp == p) { *pp = p->next_live; break; }
}

/* terminate(): `deliver` collects the results already posted first (their
 * callbacks run), as CPython's result thread would have. */
static void pool_terminate(RtPool *p, bool deliver) {
    if (p->owner != getpid()) return;
    p->state = TERMINATE;
    rt_incref(&p->ob);
    if (deliver && drain(p) < 0) RT_CLEAR(rt_exc_pending);
    if (!p->reaped) stop_workers(p);
    unlink_live(p);
    if (p->npending)
        fail_pending(p, make_exc(&rt_exc_ProcessError, "the pool was terminated before the result was ready"));
    rt_decref(&p->ob);
}

void rt_mp_pool_atexit(void) {
    pid_t me = getpid();
    while (live_pools) {
        RtPool *p = live_pools;
        live_pools = p->next_live;
        if (p->owner != me || p->reaped) continue;
        p->state = TERMINATE;
        stop_workers(p);
    }
}

/* ==== Pool: construction and lifecycle ======================================== */

static void pool_dealloc(RtValue *self) {
    RtPool *p = POOL(self);
    if (p->owner == getpid() && !p->reaped && p->workers) {
        p->state = TERMINATE;
        stop_workers(p);
    }
    unlink_live(p);
    for (size_t k = 0; k < p->njobs; k++) RT_CLEAR(p->jobs[k]);
    rt_free(p->jobs);
    rt_free(p->feeding);
    rt__chan_free(p->tasks);
    rt__chan_free(p->results);
    if (p->slots) munmap(p->slots, (size_t)p->nprocs * sizeof(Slot));
    if (p->slots_fd >= 0) close(p->slots_fd);
    for (int i = 0; p->workers && i < p->nprocs; i++) {
        if (p->workers[i].target) ((PoolWorker *)p->workers[i].target)->pool = NULL;
        RT_CLEAR(p->workers[i].target);
        RT_CLEAR(p->workers[i].proc);
    }
    rt_free(p->workers);
    RT_CLEAR(p->initializer);
    RT_CLEAR(p->initargs);
    RT_CLEAR(p->broken);
    rt_buf_free(&p->tbuf);
    rt_buf_free(&p->rbuf);
}

static RtValue *pool_repr(RtValue *self) {
    char buf[96];
    snprintf(buf, sizeof buf, "<multiprocessing.pool.Pool state=%s pool_size=%d>",
             state_names[POOL(self)->state], POOL(self)->nprocs);
    return rt_str_from_cstr(buf);
}

/* The worker-state slots, in a memfd (memfd_create, ftruncate, mmap). */
static int make_slots(RtPool *p) {
    p->slots_fd = memfd_create("mp2c-pool-slots", MFD_CLOEXEC);
    if (p->slots_fd < 0) { rt_raise_errno(errno, NULL); return -1; }
    if (ftruncate(p->slots_fd, (off_t)((size_t)p->nprocs * sizeof(Slot))) < 0) {
        rt_raise_errno(errno, NULL);
        return -1;
    }
    p->slots = map_slots(p->slots_fd, p->nprocs);
    return p->slots ? 0 : -1;
}

static RtValue *pool_create(int64_t processes, RtValue *initializer, RtValue *initargs,
                            int64_t maxtasks, int method) {
    if (processes < 1) return rt_raise(&rt_exc_ValueError, "Number of processes must be at least 1");
    RtValue *self = rt_obj_alloc(&rt_mp_Pool, sizeof(RtPool));
    if (!self) return NULL;
    RtPool *p = POOL(self);
    p->slots_fd = -1;
    p->method = method;
    p->owner = getpid();
    p->nprocs = (int)processes;
    p->maxtasks = maxtasks > 0 ? maxtasks : 0;
    p->initializer = initializer && initializer != rt_None ? rt_newref(initializer) : NULL;
    p->initargs = initargs ? rt_newref(initargs) : rt_tuple_new(0);
    p->tasks = rt__chan_new(0);
    p->results = p->tasks ? rt__chan_new(0) : NULL;
    p->workers = p->results ? rt_calloc((size_t)processes, sizeof(Worker)) : NULL;
    if (!p->workers || !p->initargs || make_slots(p) < 0) { rt_decref(self); return NULL; }
    p->next_live = live_pools;
    live_pools = p;
    rt_mp_set_exit_hook(RT_MP_EXIT_POOLS, rt_mp_pool_atexit);
    if (!atexit_registered) atexit_registered = atexit(rt_mp_pool_atexit) == 0;
    p->last_check = rt__now_ns();
    for (int i = 0; i < p->nprocs; i++) {
        if (spawn_worker(p, i) < 0) {
            rt_decref(self);          /* dealloc stops the ones already running */
            return NULL;
        }
    }
    return self;
}

static bool is_callable(RtValue *o) {
    return o->type->call || o->type->tag == RT_T_TYPE;
}

/* Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None) */
static RtValue *pool_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"processes", "initializer", "initargs", "maxtasksperchild", "context"};
    RtValue *a[5];
    (void)type;
    if (rt__bind("BaseContext.Pool", names, 0, 5, args, nargs, kw, a) < 0) return NULL;
    int64_t procs, maxtasks = 0;
    if (!a[0] || a[0] == rt_None) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        procs = n > 0 ? n : 1;
    } else {
        RtValue *one = rt_int(1);
        int lt = rt_compare_bool(a[0], one, RT_LT);
        rt_decref(one);
        if (lt < 0) return NULL;
        if (lt) return rt_raise(&rt_exc_ValueError, "Number of processes must be at least 1");
        if (rt_int_as_i64(a[0], &procs) < 0) return NULL;
    }
    if (a[3] && a[3] != rt_None) {
        if (!rt_is_int(a[3]) || rt_int_as_i64(a[3], &maxtasks) < 0 || maxtasks <= 0) {
            RT_CLEAR(rt_exc_pending);
            return rt_raise(&rt_exc_ValueError, "maxtasksperchild must be a positive int or None");
        }
    }
    RtValue *init = a[1] && a[1] != rt_None ? a[1] : NULL;
    if (init && !is_callable(init)) return rt_raise(&rt_exc_TypeError, "initializer must be a callable");
    RtValue *initargs = NULL;
    if (a[2] && !rt_is_tuple(a[2])) {
        initargs = rt_call((RtValue *)&rt_type_tuple, &a[2], 1, NULL);
        if (!initargs) return NULL;
    } else if (a[2]) {
        initargs = rt_newref(a[2]);
    }
    int method = a[4] && a[4] != rt_None ? rt_mp_context_method(a[4]) : (int)rt_mp_default_context_use();
    if (method < 0) { rt_xdecref(initargs); return NULL; }
    RtValue *p = pool_create(procs, init, initargs, maxtasks, method);
    rt_xdecref(initargs);
    return p;
}

RtValue *rt_mp_pool_new(int64_t processes, RtValue *initializer, RtValue *initargs, int64_t maxtasks) {
    return pool_create(processes, initializer, initargs, maxtasks, (int)rt_mp_default_context_use());
}

static RtValue *check_running(RtPool *p) {
    if (p->state != RUN) return rt_raise(&rt_exc_ValueError, "Pool not running");
    if (p->owner != getpid()) return not_owner();   /* a forked child's copy */
    return rt_None;
}

RtValue *rt_mp_Pool_m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt__bind("Pool.close", NULL, 0, 0, args, nargs, kw, NULL) < 0) return NULL;
    if (POOL(self)->state == RUN) POOL(self)->state = CLOSE;
    return rt_None;
}

RtValue *rt_mp_Pool_m_terminate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt__bind("Pool.terminate", NULL, 0, 0, args, nargs, kw, NULL) < 0) return NULL;
    pool_terminate(POOL(self), true);
    return rt_None;
}

/* join(): after close(), finish every job (feeding imap inputs to the end),
 * then hand each worker a sentinel and waitpid it. */
RtValue *rt_mp_Pool_m_join(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtPool *p = POOL(self);
    if (rt__bind("Pool.join", NULL, 0, 0, args, nargs, kw, NULL) < 0) return NULL;
    if (p->state == RUN) return rt_raise(&rt_exc_ValueError, "Pool is still running");
    if (p->reaped || p->owner != getpid()) return rt_None;
    while (p->npending) {
        if (feed_all(p, true) < 0 || step(p, RT__NEVER) < 0) return NULL;
    }
    if (drain(p) < 0) return NULL;
    put_sentinels(p);
    for (int i = 0; i < p->nprocs; i++) join_worker(p, i);
    p->reaped = true;
    unlink_live(p);
    return rt_None;
}

RtValue *rt_mp_Pool_m___enter__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt__bind("Pool.__enter__", NULL, 0, 0, args, nargs, kw, NULL) < 0) return NULL;
    if (!check_running(POOL(self))) return NULL;
    return rt_newref(self);
}

RtValue *rt_mp_Pool_m___exit__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args; (void)nargs; (void)kw;      /* (exc_type, exc_val, exc_tb), ignored */
    pool_terminate(POOL(self), true);
    return rt_None;
}

/* ==== Pool: submitting work ================================================== */

static RtJob *job_new(RtPool *p, RtType *type, int kind, RtValue *cb, RtValue *ecb) {
    RtJob *j = (RtJob *)rt_obj_alloc(type, sizeof(RtJob));
    if (!j) return NULL;
    j->kind = kind;
    j->success = true;
    j->callback = cb && cb != rt_None ? rt_newref(cb) : NULL;
    j->error_callback = ecb && ecb != rt_None ? rt_newref(ecb) : NULL;
    j->pool = (RtPool *)rt_newref(&p->ob);
    if (job_add(p, j) < 0) { rt_decref(&j->ob); return NULL; }
    return j;
}

/* A pool whose initializer failed fails new work at once with that error. */
static void fail_if_broken(RtPool *p, RtJob *j) {
    if (p->broken && j->pool) fail_pending(p, rt_newref(p->broken));
}

static RtValue *apply_async(RtPool *p, RtValue *func, RtValue *fargs, RtValue *kwds,
                            RtValue *cb, RtValue *ecb) {
    if (!check_running(p)) return NULL;
    RtValue *targs = NULL;
    if (!fargs) targs = rt_tuple_new(0);
    else if (rt_is_tuple(fargs)) targs = rt_newref(fargs);
    else targs = rt_call((RtValue *)&rt_type_tuple, &fargs, 1, NULL);
    if (!targs) return NULL;
    RtJob *j = job_new(p, &rt_mp_AsyncResult, J_APPLY, cb, ecb);
    int r = j ? 0 : -1;
    if (j) j->left = j->nchunks = 1;
    if (j && p->broken) fail_if_broken(p, j);
    else if (j) r = send_task(p, j, 0, T_APPLY, func, targs, kwds && kwds != rt_None ? kwds : rt_None);
    rt_decref(targs);
    if (r < 0) { job_drop(j); return NULL; }
    return &j->ob;
}

static size_t seq_len(RtValue *seq) {
    return rt_is_list(seq) ? RT_LIST_LEN(seq) : RT_TUPLE_LEN(seq);
}

/* A tuple of items [lo, hi) of a range, list or tuple (a list may have
 * shrunk meanwhile: a serializer hook could run script code). */
static RtValue *make_chunk(RtValue *seq, int64_t lo, int64_t hi) {
    if (seq->type == &rt_type_range) {
        RtRange *r = (RtRange *)seq;
        RtValue *t = rt_tuple_new((size_t)(hi - lo));
        for (int64_t i = lo; t && i < hi; i++) {
            RtValue *v = rt_int(r->start + i * r->step);
            if (!v) { ((RtTuple *)t)->len = (size_t)(i - lo); RT_CLEAR(t); break; }
            RT_TUPLE_SET(t, i - lo, v);
        }
        return t;
    }
    RtValue *const *a = rt_is_list(seq) ? ((RtList *)seq)->items : ((RtTuple *)seq)->items;
    int64_t n = (int64_t)seq_len(seq);
    if (hi > n) hi = n;
    return rt_tuple_from_array(a + lo, (size_t)(hi > lo ? hi - lo : 0));
}

static bool all_scalar(RtValue *seq, int64_t lo, int64_t hi) {
    if (seq->type == &rt_type_range) return true;
    RtValue *const *a = rt_is_list(seq) ? ((RtList *)seq)->items : ((RtTuple *)seq)->items;
    if (hi > (int64_t)seq_len(seq)) return false;
    for (int64_t i = lo; i < hi; i++)
        if (!is_scalar(a[i])) return false;
    return true;
}

/* send_task for a MAP chunk of scalars, written FLAT without a tuple. */
static int send_flat(RtPool *p, RtJob *j, uint32_t idx, RtValue *func, RtValue *seq, int64_t lo, int64_t hi) {
    RtBuf *t = &p->tbuf;
    int r = put_header(t, j->id, idx, T_MAP | FLAT);
    if (r == 0) r = rt_ser_dump(t, func);
    if (r == 0) r = rt_buf_put_uleb(t, (uint64_t)(hi - lo));
    for (int64_t i = lo; r == 0 && i < hi; i++) {
        if (seq->type == &rt_type_range) {
            RtRange *rg = (RtRange *)seq;
            RtValue *v = rt_int(rg->start + i * rg->step);
            r = v ? rt_ser_dump(t, v) : -1;
            rt_xdecref(v);
        } else {
            RtValue *const *a = rt_is_list(seq) ? ((RtList *)seq)->items : ((RtTuple *)seq)->items;
            r = rt_ser_dump(t, a[i]);
        }
    }
    if (r == 0) r = rt__chan_put(p->tasks, t->data, t->len, RT__NEVER, false);
    if (r == 0) return 0;
    if (!rt_exc_matches((RtValue *)&rt_exc_Exception)) return -1;
    job_fail(j, idx, rt_exc_fetch());
    return 0;
}

/* CPython's default: chunksize, extra = divmod(len, 4 * processes). */
static int64_t default_chunksize(RtPool *p, int64_t n) {
    if (n == 0) return 0;
    int64_t c = n / (4 * (int64_t)p->nprocs);
    return c + (n % (4 * (int64_t)p->nprocs) ? 1 : 0);
}

static RtValue *map_async(RtPool *p, RtValue *func, RtValue *iterable, RtValue *chunkv,
                          RtValue *cb, RtValue *ecb, bool star) {
    if (!check_running(p)) return NULL;
    /* CPython lists the iterable unless it has a length; a range, list or
     * tuple is chunked in place. */
    bool is_range = iterable->type == &rt_type_range;
    RtValue *items = is_range || rt_is_list(iterable) || rt_is_tuple(iterable)
                     ? rt_newref(iterable) : rt_list_from_iter(iterable);
    if (!items) return NULL;
    int64_t n = is_range ? ((RtRange *)items)->len : (int64_t)seq_len(items), cs;
    if (!chunkv || chunkv == rt_None) cs = default_chunksize(p, n);
    else if (rt_int_as_i64(chunkv, &cs) < 0) { rt_decref(items); return NULL; }
    RtJob *j = job_new(p, &rt_mp_MapResult, J_MAP, cb, ecb);
    RtValue *out = j ? rt_list_new((size_t)n) : NULL;
    for (int64_t k = 0; out && k < n; k++)
        if (rt_list_append(out, rt_None) < 0) RT_CLEAR(out);
    if (!out) { job_drop(j); rt_decref(items); return NULL; }
    j->value = out;
    j->chunksize = cs;
    j->nchunks = j->left = cs > 0 ? (n + cs - 1) / cs : 0;
    j->anscap = (size_t)j->nchunks + 1;
    j->answered = rt_calloc(j->anscap, 1);
    if (!j->answered) { job_drop(j); rt_decref(items); return NULL; }
    if (j->nchunks == 0) job_finish(j);
    else if (p->broken) fail_if_broken(p, j);
    for (int64_t c = 0; c < j->nchunks && j->pool; c++) {
        int64_t lo = c * cs, hi = lo + cs < n ? lo + cs : n;
        int r;
        if (is_range && !star) {
            RtRange *rg = (RtRange *)items;
            RtValue *sub = rt_range_new(rg->start + lo * rg->step, rg->start + hi * rg->step, rg->step);
            r = sub ? send_task(p, j, (uint32_t)c, T_MAP, func, sub, NULL) : -1;
            rt_xdecref(sub);
        } else if (!star && all_scalar(items, lo, hi)) {
            r = send_flat(p, j, (uint32_t)c, func, items, lo, hi);
        } else {
            RtValue *chunk = make_chunk(items, lo, hi);
            r = chunk ? send_task(p, j, (uint32_t)c, star ? T_STARMAP : T_MAP, func, chunk, NULL) : -1;
            rt_xdecref(chunk);
        }
        if (r < 0) { job_drop(j); rt_decref(items); return NULL; }
    }
    rt_decref(items);
    return &j->ob;
}

static RtValue *imap(RtPool *p, RtValue *func, RtValue *iterable, RtValue *chunkv, bool ordered) {
    if (!check_running(p)) return NULL;
    int64_t cs = 1;
    if (chunkv && rt_int_as_i64(chunkv, &cs) < 0) return NULL;
    if (cs < 1) return rt_raise_fmt(&rt_exc_ValueError, "Chunksize must be 1+, not %d", (int)cs);
    RtValue *it = rt_iter(iterable);
    if (!it) return NULL;
    if (p->nfeeding == p->fcap) {
        size_t cap = p->fcap ? p->fcap * 2 : 4;
        RtJob **f = rt_realloc(p->feeding, cap * sizeof *f);
        if (!f) { rt_decref(it); return NULL; }
        p->feeding = f;
        p->fcap = cap;
    }
    RtJob *j = job_new(p, ordered ? &rt_mp_IMapIterator : &rt_mp_IMapUnorderedIterator,
                       ordered ? J_IMAP : J_IMAPU, NULL, NULL);
    if (!j) { rt_decref(it); return NULL; }
    j->func = rt_newref(func);
    j->input = it;
    j->chunksize = cs;
    j->nchunks = -1;
    p->feeding[p->nfeeding++] = j;
    if (p->broken) fail_if_broken(p, j);
    else if (feed_job(p, j, false) < 0) { job_drop(j); return NULL; }
    return &j->ob;
}

static RtValue *get_result(RtJob *j, int64_t deadline);

RtValue *rt_mp_Pool_m_apply_async(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"func", "args", "kwds", "callback", "error_callback"};
    RtValue *a[5];
    if (rt__bind("Pool.apply_async", names, 1, 5, args, nargs, kw, a) < 0) return NULL;
    return apply_async(POOL(self), a[0], a[1], a[2], a[3], a[4]);
}

RtValue *rt_mp_Pool_m_apply(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"func", "args", "kwds"};
    RtValue *a[3];
    if (rt__bind("Pool.apply", names, 1, 3, args, nargs, kw, a) < 0) return NULL;
    RtValue *j = apply_async(POOL(self), a[0], a[1], a[2], NULL, NULL);
    if (!j) return NULL;
    RtValue *r = get_result(JOB(j), RT__NEVER);
    rt_decref(j);
    return r;
}

static const char *const map_names[] = {"func", "iterable", "chunksize", "callback", "error_callback"};

RtValue *rt_mp_Pool_m_map_async(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *a[5];
    if (rt__bind("Pool.map_async", map_names, 2, 5, args, nargs, kw, a) < 0) return NULL;
    return map_async(POOL(self), a[0], a[1], a[2], a[3], a[4], false);
}

RtValue *rt_mp_Pool_m_starmap_async(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *a[5];
    if (rt__bind("Pool.starmap_async", map_names, 2, 5, args, nargs, kw, a) < 0) return NULL;
    return map_async(POOL(self), a[0], a[1], a[2], a[3], a[4], true);
}

static RtValue *map_and_get(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw,
                            const char *fname, bool star) {
    RtValue *a[3];
    if (rt__bind(fname, map_names, 2, 3, args, nargs, kw, a) < 0) return NULL;
    RtValue *j = map_async(POOL(self), a[0], a[1], a[2], NULL, NULL, star);
    if (!j) return NULL;
    RtValue *r = get_result(JOB(j), RT__NEVER);
    rt_decref(j);
    return r;
}

RtValue *rt_mp_Pool_m_map(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return map_and_get(self, args, nargs, kw, "Pool.map", false);
}

RtValue *rt_mp_Pool_m_starmap(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return map_and_get(self, args, nargs, kw, "Pool.starmap", true);
}

RtValue *rt_mp_Pool_m_imap(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *a[3];
    if (rt__bind("Pool.imap", map_names, 2, 3, args, nargs, kw, a) < 0) return NULL;
    return imap(POOL(self), a[0], a[1], a[2], true);
}

RtValue *rt_mp_Pool_m_imap_unordered(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *a[3];
    if (rt__bind("Pool.imap_unordered", map_names, 2, 3, args, nargs, kw, a) < 0) return NULL;
    return imap(POOL(self), a[0], a[1], a[2], false);
}

/* ==== AsyncResult / MapResult ================================================= */

static int parse_timeout(RtValue *t, int64_t *deadline) {
    if (!t || t == rt_None) { *deadline = RT__NEVER; return 0; }
    double secs;
    if (rt_as_double(t, &secs) < 0) return -1;
    *deadline = rt__deadline_after(secs);
    return 0;
}

static RtValue *get_result(RtJob *j, int64_t deadline) {
    if (wait_job(j, deadline) < 0) return NULL;
    if (!j->ready) return raise_noargs(&rt_exc_MpTimeoutError);
    if (j->success) return rt_newref(j->value);
    return rt_raise_value(j->value);
}

RtValue *rt_mp_AsyncResult_m_get(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"timeout"};
    RtValue *a[1];
    int64_t deadline;
    if (rt__bind("ApplyResult.get", names, 0, 1, args, nargs, kw, a) < 0) return NULL;
    if (parse_timeout(a[0], &deadline) < 0) return NULL;
    return get_result(JOB(self), deadline);
}

RtValue *rt_mp_AsyncResult_m_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"timeout"};
    RtValue *a[1];
    int64_t deadline;
    if (rt__bind("ApplyResult.wait", names, 0, 1, args, nargs, kw, a) < 0) return NULL;
    if (parse_timeout(a[0], &deadline) < 0) return NULL;
    return wait_job(JOB(self), deadline) < 0 ? NULL : rt_None;
}

RtValue *rt_mp_AsyncResult_m_ready(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt__bind("ApplyResult.ready", NULL, 0, 0, args, nargs, kw, NULL) < 0) return NULL;
    RtJob *j = JOB(self);
    if (!j->ready && j->pool) {
        RtPool *p = (RtPool *)rt_newref(&j->pool->ob);   /* collect what is there */
        int r = drain(p);
        rt_decref(&p->ob);
        if (r < 0) return NULL;
    }
    return rt_bool(j->ready);
}

RtValue *rt_mp_AsyncResult_m_successful(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *r = rt_mp_AsyncResult_m_ready(self, args, nargs, kw);
    if (!r) return NULL;
    if (r == rt_False) return rt_raise_fmt(&rt_exc_ValueError, "%R not ready", self);
    return rt_bool(JOB(self)->success);
}

static void job_dealloc(RtValue *self) {
    RtJob *j = JOB(self);
    RT_CLEAR(j->value);
    RT_CLEAR(j->callback);
    RT_CLEAR(j->error_callback);
    RT_CLEAR(j->func);
    RT_CLEAR(j->input);
    RT_CLEAR(j->cur);
    for (size_t k = 0; k < j->rescap; k++) RT_CLEAR(j->res[k]);
    rt_free(j->res);
    rt_free(j->res_ok);
    rt_free(j->answered);
    if (j->pool) rt_decref(&j->pool->ob);
}

/* ==== IMapIterator ============================================================ */

/* The next chunk's result, waiting for it; NULL + no exception at the end. */
static RtValue *next_chunk(RtJob *j, int64_t deadline, bool *ok) {
    for (;;) {
        if (j->exhausted || (j->nchunks >= 0 && j->consumed >= j->nchunks)) return NULL;
        size_t at = (size_t)j->consumed;
        bool have = j->kind == J_IMAP ? at < j->rescap && j->res[at] : (int64_t)at < j->received;
        if (have) {
            RtValue *v = j->res[at];
            j->res[at] = NULL;
            *ok = j->res_ok[at];
            j->consumed++;
            return v;
        }
        if (!j->pool) return NULL;                 /* finished without it: cannot happen */
        RtPool *p = (RtPool *)rt_newref(&j->pool->ob);
        int r = step(p, deadline);
        rt_decref(&p->ob);
        if (r < 0) return NULL;
        if (rt__now_ns() >= deadline && !(j->kind == J_IMAP ? at < j->rescap && j->res[at] : (int64_t)at < j->received))
            return raise_noargs(&rt_exc_MpTimeoutError);
    }
}

static RtValue *imap_next(RtJob *j, int64_t deadline) {
    for (;;) {
        if (j->cur) {
            if (j->cur_pos < RT_LIST_LEN(j->cur)) return rt_newref(RT_LIST_GET(j->cur, j->cur_pos++));
            RT_CLEAR(j->cur);
        }
        bool ok = true;
        RtValue *v = next_chunk(j, deadline, &ok);
        if (!v) return NULL;
        if (!ok) {
            /* chunksize > 1 is CPython's generator over chunks: it ends once it raised */
            if (j->chunksize > 1) j->exhausted = true;
            rt_raise_value(v);
            rt_decref(v);
            return NULL;
        }
        if (!rt_is_list(v) || RT_LIST_LEN(v) == 0) { rt_decref(v); continue; }
        if (j->chunksize == 1) {
            RtValue *x = rt_newref(RT_LIST_GET(v, 0));
            rt_decref(v);
            return x;
        }
        j->cur = v;
        j->cur_pos = 0;
    }
}

static RtValue *imap_iternext(RtValue *self) { return imap_next(JOB(self), RT__NEVER); }
static RtValue *imap_iter(RtValue *self) { return rt_newref(self); }

RtValue *rt_mp_IMapIterator_m_next(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"timeout"};
    RtValue *a[1];
    int64_t deadline;
    if (rt__bind("IMapIterator.next", names, 0, 1, args, nargs, kw, a) < 0) return NULL;
    if (parse_timeout(a[0], &deadline) < 0) return NULL;
    RtValue *v = imap_next(JOB(self), deadline);
    if (!v && !rt_exc_pending) raise_noargs(&rt_exc_StopIteration);
    return v;
}

/* ==== type objects ============================================================== */

/* CPython's Pool.__reduce__. */
static int pool_ser_dump(RtValue *self, RtBuf *buf) {
    (void)self; (void)buf;
    rt_raise(&rt_exc_NotImplementedError, "pool objects cannot be passed between processes or pickled");
    return -1;
}

static const RtMethodDef pool_methods[] = {
    {"apply", rt_mp_Pool_m_apply},
    {"apply_async", rt_mp_Pool_m_apply_async},
    {"map", rt_mp_Pool_m_map},
    {"map_async", rt_mp_Pool_m_map_async},
    {"starmap", rt_mp_Pool_m_starmap},
    {"starmap_async", rt_mp_Pool_m_starmap_async},
    {"imap", rt_mp_Pool_m_imap},
    {"imap_unordered", rt_mp_Pool_m_imap_unordered},
    {"close", rt_mp_Pool_m_close},
    {"join", rt_mp_Pool_m_join},
    {"terminate", rt_mp_Pool_m_terminate},
    {"__enter__", rt_mp_Pool_m___enter__},
    {"__exit__", rt_mp_Pool_m___exit__},
    {NULL, NULL},
};

static const RtMethodDef result_methods[] = {
    {"get", rt_mp_AsyncResult_m_get},
    {"wait", rt_mp_AsyncResult_m_wait},
    {"ready", rt_mp_AsyncResult_m_ready},
    {"successful", rt_mp_AsyncResult_m_successful},
    {NULL, NULL},
};

static const RtMethodDef imap_methods[] = {
    {"next", rt_mp_IMapIterator_m_next},
    {"__next__", rt_mp_IMapIterator_m_next},
    {NULL, NULL},
};

RtType rt_mp_Pool = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Pool",
    .module = "multiprocessing.pool",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtPool),
    .table_index = -1,
    .dealloc = pool_dealloc,
    .repr = pool_repr,
    .construct = pool_construct,
    .ser_dump = pool_ser_dump,
    .methods = pool_methods,
};

RtType rt_mp_AsyncResult = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "ApplyResult",
    .module = "multiprocessing.pool",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtJob),
    .table_index = -1,
    .dealloc = job_dealloc,
    .repr = repr_at,
    .methods = result_methods,
};

RtType rt_mp_MapResult = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "MapResult",
    .module = "multiprocessing.pool",
    .tag = RT_T_NATIVE,
    .base = &rt_mp_AsyncResult,
    .size = sizeof(RtJob),
    .table_index = -1,
    .dealloc = job_dealloc,
    .repr = repr_at,
    .methods = result_methods,
};

RtType rt_mp_IMapIterator = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "IMapIterator",
    .module = "multiprocessing.pool",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtJob),
    .table_index = -1,
    .dealloc = job_dealloc,
    .repr = repr_at,
    .iter = imap_iter,
    .iternext = imap_iternext,
    .methods = imap_methods,
};

RtType rt_mp_IMapUnorderedIterator = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "IMapUnorderedIterator",
    .module = "multiprocessing.pool",
    .tag = RT_T_NATIVE,
    .base = &rt_mp_IMapIterator,
    .size = sizeof(RtJob),
    .table_index = -1,
    .dealloc = job_dealloc,
    .repr = repr_at,
    .iter = imap_iter,
    .iternext = imap_iternext,
    .methods = imap_methods,
};

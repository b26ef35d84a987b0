/* manager_server.c: the manager's server process — the objects it owns and
 * the loop that answers their proxies.
 *
 * Key idea: one thread, one poll(2) loop. The listening socket and every
 * client connection (one per client process) are polled; each readable
 * connection delivers one request, which is answered at once, except for
 * calls that must wait (acquiring a held lock, waiting on an event, a
 * condition or a barrier, getting from an empty queue, putting into a full
 * one, joining a queue). Those become Waiters: the reply is sent when the
 * state they wait for arrives or their deadline passes, and poll's timeout is
 * the nearest deadline. CPython serves each connection with a thread of its
 * own and lets threading's primitives block it; the waiters give the same
 * behaviour without threads.
 *
 * Objects live in a table indexed by id, with a count of the proxies that
 * hold them (see mp2c_manager.h: proxy lifetime). A proxy that arrives
 * inside a request (d['x'] = m.list()) becomes a local proxy here; it
 * reaches its referent through the table directly, without a socket.
 */
#include "mp2c.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ==== the server's state =========================================================== */

typedef struct Conn {
    int      fd;
    uint64_t cid;        /* the "thread" identity that owns an RLock: never 0 */
    bool     dead;       /* closed at the end of this loop turn */
} Conn;

typedef struct Entry {
    RtValue *obj;        /* NULL: freed */
    int64_t  refs;
    int      typeid;
    RtValue *exposed;    /* RT_MGR_CUSTOM: the method names proxies may call (tuple) */
} Entry;

typedef struct SvSync SvSync;

/* A parked request. */
enum { W_ACQUIRE, W_COND, W_REACQ, W_EVENT, W_BARRIER, W_GET, W_PUT, W_JOIN };
typedef struct Waiter {
    struct Waiter *prev, *next;   /* the server's list, in arrival order */
    Conn          *conn;
    SvSync        *obj;           /* what it waits on (owned reference) */
    int            kind;
    int64_t        deadline;      /* CLOCK_MONOTONIC ns; NEVER = none */
    int64_t        saved;         /* W_REACQ: the RLock count to restore; W_BARRIER: its index */
    bool           result;        /* W_REACQ: what wait() returns (notified or not) */
    RtValue       *item;          /* W_PUT: the item (owned) */
} Waiter;

#define NEVER INT64_MAX

static struct {
    bool     active;              /* this process is a manager's server */
    RtType  *mtype;               /* the manager's class: its registered typeids */
    char     addr[108];
    size_t   addrlen;
    Conn   **conns;
    size_t   nconns, capconns;
    uint64_t next_cid;
    Entry   *objs;                /* objs[id]; id 0 is never used */
    size_t   nobjs, capobjs;
    Waiter  *whead, *wtail;
    bool     stop;
    RtBuf    in, out;
} S;

/* Returned by a handler that parked its request: the reply comes later. */
static RtValue parked_obj = RT_STATIC_HEAD(&rt_type_object);
#define PARKED (&parked_obj)

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A deadline `secs` from now (never for +inf or huge values). */
static int64_t deadline_after(double secs) {
    if (!(secs < 9e9)) return NEVER;
    if (secs < 0) secs = 0;
    return now_ns() + (int64_t)(secs * 1e9);
}

bool rt__mgr_is_local(const char *addr, size_t addrlen) {
    return S.active && S.addrlen == addrlen && memcmp(S.addr, addr, addrlen) == 0;
}

/* ==== replies ===================================================================== */

/* Sends status + value (r, consumed) or the pending exception (r NULL). A
 * value that cannot be serialized is answered with the serializer's error. */
static void reply(Conn *c, RtValue *r) {
    RtBuf *b = &S.out;
    rt_buf_reset(b);
    int rc = -1;
    if (r) {
        rc = rt_buf_put_u8(b, RT_MGR_OK) == 0 ? rt_ser_dump(b, r) : -1;
        rt_decref(r);
    }
    if (rc < 0) {
        RtValue *e = rt_exc_fetch();
        if (!e) e = rt_exc_new(&rt_exc_RemoteError, NULL);
        rt_buf_reset(b);
        rc = e && rt_buf_put_u8(b, RT_MGR_ERROR) == 0 ? rt_ser_dump(b, e) : -1;
        rt_xdecref(e);
        if (rc < 0) {   /* an exception carrying something unpicklable */
            if (RT_ERR()) rt_decref(rt_exc_fetch());
            RtValue *re = rt_exc_new(&rt_exc_RemoteError, NULL);
            rt_buf_reset(b);
            rc = re && rt_buf_put_u8(b, RT_MGR_ERROR) == 0 ? rt_ser_dump(b, re) : -1;
            rt_xdecref(re);
        }
    }
    if (rc == 0 && c && !c->dead && rt__mgr_send(c->fd, b) == 0) return;
    if (c) c->dead = true;   /* the client is gone */
    if (RT_ERR()) rt_decref(rt_exc_fetch());
}

static void reply_bool(Conn *c, bool v) { reply(c, rt_bool(v)); }

static void reply_exc(Conn *c, RtType *type, const char *msg) {
    if (msg) rt_raise(type, msg);
    else {
        RtValue *e = rt_exc_new(type, NULL);
        if (e) rt_exc_raise_new(e);
    }
    reply(c, NULL);
}

/* ==== waiters ======================================================================== */

/* Is the client of a parked request still there? It is blocked reading our
 * reply, so anything readable on its socket means it closed (it died):
 * poll(2) with no timeout. A lock or a queue item is never handed to it. */
static bool conn_alive(Conn *c) {
    if (c->dead) return false;
    struct pollfd p = { .fd = c->fd, .events = POLLIN };
    if (poll(&p, 1, 0) != 0) c->dead = true;
    return !c->dead;
}

static Waiter *waiter_add(Conn *c, SvSync *obj, int kind, int64_t deadline) {
    Waiter *w = rt_calloc(1, sizeof *w);
    if (!w) return NULL;
    w->conn = c;
    w->obj = obj;
    rt_incref((RtValue *)obj);
    w->kind = kind;
    w->deadline = deadline;
    w->prev = S.wtail;
    if (S.wtail) S.wtail->next = w; else S.whead = w;
    S.wtail = w;
    return w;
}

static void waiter_unlink(Waiter *w) {
    if (w->prev) w->prev->next = w->next; else S.whead = w->next;
    if (w->next) w->next->prev = w->prev; else S.wtail = w->prev;
    w->prev = w->next = NULL;
}

static void waiter_free(Waiter *w) {
    waiter_unlink(w);
    RtValue *obj = (RtValue *)w->obj, *item = w->item;
    rt_free(w);
    rt_xdecref(item);
    rt_decref(obj);
}

/* Moves w to the end of the list (a condition waiter that now needs the lock). */
static void waiter_requeue(Waiter *w) {
    waiter_unlink(w);
    w->prev = S.wtail;
    if (S.wtail) S.wtail->next = w; else S.whead = w;
    S.wtail = w;
}

/* ==== the synchronisation objects and queues ============================================
 * One native type for all of them (threading.Lock, RLock, Semaphore,
 * BoundedSemaphore, Condition, Event, Barrier and queue.Queue in CPython's
 * server); `typeid` says which. */

enum { B_FILLING, B_BROKEN };

struct SvSync {
    RtValue   ob;
    int       typeid;
    int64_t   value, maxvalue;    /* Lock (1 = unlocked), Semaphore, BoundedSemaphore */
    uint64_t  owner;              /* RLock: the owning connection, 0 = none */
    int64_t   count;              /* RLock: recursion depth */
    bool      flag;               /* Event */
    RtValue  *lock;               /* Condition: its Lock or RLock (an SvSync, owned) */
    RtValue  *lockref;            /* Condition(lock): the local proxy keeping it alive */
    int64_t   parties, waiting;   /* Barrier */
    int       state;
    double    timeout;            /* Barrier's default timeout; < 0 = None */
    RtValue  *action;             /* Barrier's action, or NULL */
    RtValue **items;              /* Queue: a ring of `cap` slots, `len` used from `head` */
    size_t    head, len, cap;
    int64_t   maxsize, unfinished;
};

#define SV(o) ((SvSync *)(o))

static void sv_dealloc(RtValue *o) {
    SvSync *s = SV(o);
    RT_CLEAR(s->lock);
    RT_CLEAR(s->lockref);
    RT_CLEAR(s->action);
    for (size_t i = 0; i < s->len; i++) rt_decref(s->items[(s->head + i) % s->cap]);
    rt_free(s->items);
}

static RtValue *fmt_str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static RtValue *fmt_str(const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return rt_str_from_cstr(buf);
}

/* The reprs CPython's referents have (str() of a proxy shows them). */
static RtValue *sv_repr(RtValue *o) {
    SvSync *s = SV(o);
    switch (s->typeid) {
    case RT_MGR_LOCK:
        return fmt_str("<%s _thread.lock object at %p>", s->value > 0 ? "unlocked" : "locked", (void *)o);
    case RT_MGR_RLOCK:
        return fmt_str("<%s _thread.RLock object owner=%llu count=%lld at %p>",
                       s->count ? "locked" : "unlocked", (unsigned long long)s->owner,
                       (long long)s->count, (void *)o);
    case RT_MGR_SEMAPHORE:
        return fmt_str("<threading.Semaphore at %p: value=%lld>", (void *)o, (long long)s->value);
    case RT_MGR_BSEMAPHORE:
        return fmt_str("<threading.BoundedSemaphore at %p: value=%lld/%lld>", (void *)o,
                       (long long)s->value, (long long)s->maxvalue);
    case RT_MGR_EVENT:
        return fmt_str("<threading.Event at %p: %s>", (void *)o, s->flag ? "set" : "unset");
    case RT_MGR_CONDITION: {
        int64_t n = 0;
        for (Waiter *w = S.whead; w; w = w->next) n += w->obj == s && w->kind == W_COND;
        RtValue *l = rt_repr(s->lock);
        if (!l) return NULL;
        RtValue *r = fmt_str("<Condition(%s, %lld)>", rt_str_data(l), (long long)n);
        rt_decref(l);
        return r;
    }
    case RT_MGR_BARRIER:
        if (s->state == B_BROKEN) return fmt_str("<threading.Barrier at %p: broken>", (void *)o);
        return fmt_str("<threading.Barrier at %p: waiters=%lld/%lld>", (void *)o,
                       (long long)s->waiting, (long long)s->parties);
    default:
        return fmt_str("<queue.Queue object at %p>", (void *)o);
    }
}

static RtType sv_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "SyncObject",
    .module = "multiprocessing.managers",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(SvSync),
    .table_index = -1,
    .dealloc = sv_dealloc,
    .repr = sv_repr,
};

static SvSync *sv_new(int typeid) {
    SvSync *s = (SvSync *)rt_obj_alloc(&sv_type, sizeof(SvSync));
    if (s) {
        s->typeid = typeid;
        s->timeout = -1;
    }
    return s;
}

/* Binds a server-side method's arguments (CPython's signatures). */
static int bind_args(const char *fname, const char *const *names, int n, int nreq, RtValue *const *args,
                size_t nargs, RtValue *kw, RtValue **out) {
    const RtArgSpec sp = { fname, names, n, n, nreq, false, true };
    return rt__shared_bind(&sp, args, nargs, kw, out);
}

/* A timeout argument: None -> *none set. 0 or -1 (TypeError). */
static int timeout_arg(RtValue *v, double *out, bool *none) {
    *none = !v || v == rt_None;
    *out = -1;
    return *none ? 0 : rt_as_double(v, out);
}

/* ---- Lock, RLock, Semaphore, BoundedSemaphore ---- */

/* Takes the lock for connection cid if it is free: 1, else 0. */
static int lock_try(SvSync *l, uint64_t cid) {
    if (l->typeid == RT_MGR_RLOCK) {
        if (l->count == 0) { l->owner = cid; l->count = 1; return 1; }
        if (l->owner == cid) { l->count++; return 1; }
        return 0;
    }
    if (l->value > 0) { l->value--; return 1; }
    return 0;
}

/* Hands a released lock (or semaphore units) to the waiters, oldest first. */
static void lock_wake(SvSync *l) {
    for (Waiter *w = S.whead, *next; w; w = next) {
        next = w->next;
        if (w->obj != l || (w->kind != W_ACQUIRE && w->kind != W_REACQ)) continue;
        if (!conn_alive(w->conn)) { waiter_free(w); continue; }
        if (!lock_try(l, w->conn->cid)) {
            if (l->typeid == RT_MGR_LOCK || l->typeid == RT_MGR_RLOCK) return;
            continue;
        }
        if (w->kind == W_REACQ && l->typeid == RT_MGR_RLOCK) l->count = w->saved;
        Conn *c = w->conn;
        bool r = w->kind == W_REACQ ? w->result : true;
        waiter_free(w);
        reply_bool(c, r);
    }
}

/* Lock.acquire(blocking=True, timeout=-1) (the _thread lock's rules) and
 * Semaphore.acquire(blocking=True, timeout=None) (threading's). */
static RtValue *lock_acquire(Conn *c, SvSync *l, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "blocking", "timeout" };
    RtValue *a[2];
    bool sem = l->typeid == RT_MGR_SEMAPHORE || l->typeid == RT_MGR_BSEMAPHORE;
    if (bind_args(sem ? "Semaphore.acquire" : "acquire", names, 2, 0, args, nargs, kw, a) < 0) return NULL;
    int blocking = a[0] ? rt_truthy(a[0]) : 1;
    double timeout;
    bool none;
    if (blocking < 0 || timeout_arg(a[1], &timeout, &none) < 0) return NULL;
    if (sem) {
        if (!blocking && !none)
            return rt_raise(&rt_exc_ValueError, "can't specify timeout for non-blocking acquire");
    } else {
        if (none) timeout = -1;
        if (!blocking && timeout != -1)
            return rt_raise(&rt_exc_ValueError, "can't specify a timeout for a non-blocking call");
        if (timeout < 0 && timeout != -1) return rt_raise(&rt_exc_ValueError, "timeout value must be positive");
        none = timeout == -1;
    }
    if (lock_try(l, c ? c->cid : 0)) return rt_newref(rt_True);
    if (!blocking || (!none && timeout <= 0)) return rt_newref(rt_False);
    if (!c) return rt_raise(&rt_exc_RuntimeError, "a blocking call inside the manager's server would deadlock");
    if (!waiter_add(c, l, W_ACQUIRE, none ? NEVER : deadline_after(timeout))) return NULL;
    return PARKED;
}

static int lock_release_n(SvSync *l, uint64_t cid, int64_t n) {
    switch (l->typeid) {
    case RT_MGR_LOCK:
        if (l->value > 0) { rt_raise(&rt_exc_RuntimeError, "release unlocked lock"); return -1; }
        l->value = 1;
        break;
    case RT_MGR_RLOCK:
        if (l->count == 0 || l->owner != cid) {
            rt_raise(&rt_exc_RuntimeError, "cannot release un-acquired lock");
            return -1;
        }
        if (--l->count == 0) l->owner = 0;
        break;
    case RT_MGR_BSEMAPHORE:
        if (l->value + n > l->maxvalue) {
            rt_raise(&rt_exc_ValueError, "Semaphore released too many times");
            return -1;
        }
        l->value += n;
        break;
    default:
        l->value += n;
    }
    lock_wake(l);
    return 0;
}

/* release() for locks; release(n=1) for semaphores. */
static RtValue *lock_release(Conn *c, SvSync *l, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "n" };
    RtValue *a[1];
    int64_t n = 1;
    if (l->typeid == RT_MGR_SEMAPHORE || l->typeid == RT_MGR_BSEMAPHORE) {
        if (bind_args("Semaphore.release", names, 1, 0, args, nargs, kw, a) < 0) return NULL;
        if (a[0] && rt_int_as_i64(a[0], &n) < 0) return NULL;
        if (n < 1) return rt_raise(&rt_exc_ValueError, "n must be one or more");
    } else if (bind_args("release", names, 0, 0, args, nargs, kw, a) < 0) {
        return NULL;
    }
    if (lock_release_n(l, c ? c->cid : 0, n) < 0) return NULL;
    return rt_newref(rt_None);
}

/* ---- Condition ---- */

/* threading.Condition._is_owned: an RLock knows its owner; a Lock is owned
 * by whoever, as long as it is held. */
static bool lock_owned(SvSync *l, uint64_t cid) {
    if (l->typeid == RT_MGR_RLOCK) return l->count > 0 && l->owner == cid;
    return l->value == 0;
}

/* wait(timeout=None): releases the lock completely, waits for notify or the
 * timeout, takes the lock back (restoring an RLock's depth), returns
 * whether it was notified. */
static RtValue *cond_wait(Conn *c, SvSync *cv, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "timeout" };
    RtValue *a[1];
    double timeout;
    bool none;
    if (bind_args("Condition.wait", names, 1, 0, args, nargs, kw, a) < 0 || timeout_arg(a[0], &timeout, &none) < 0)
        return NULL;
    SvSync *l = SV(cv->lock);
    uint64_t cid = c ? c->cid : 0;
    if (!lock_owned(l, cid)) return rt_raise(&rt_exc_RuntimeError, "cannot wait on un-acquired lock");
    if (!c) return rt_raise(&rt_exc_RuntimeError, "a blocking call inside the manager's server would deadlock");
    Waiter *w = waiter_add(c, cv, W_COND, none ? NEVER : deadline_after(timeout));
    if (!w) return NULL;
    if (l->typeid == RT_MGR_RLOCK) {
        w->saved = l->count;
        l->count = 0;
        l->owner = 0;
    } else {
        l->value = 1;
    }
    if (!none && timeout <= 0) w->deadline = 0;   /* expires on this loop turn */
    lock_wake(l);
    return PARKED;
}

/* A condition waiter stops waiting for notify and queues for the lock. */
static void cond_to_reacquire(Waiter *w, bool notified) {
    SvSync *cv = w->obj;
    w->obj = SV(rt_newref(cv->lock));
    rt_decref((RtValue *)cv);
    w->kind = W_REACQ;
    w->result = notified;
    w->deadline = NEVER;
    waiter_requeue(w);
}

/* notify(n=1) / notify_all(): n < 0 means all. */
static RtValue *cond_notify(Conn *c, SvSync *cv, int64_t n) {
    SvSync *l = SV(cv->lock);
    if (!lock_owned(l, c ? c->cid : 0)) return rt_raise(&rt_exc_RuntimeError, "cannot notify on un-acquired lock");
    Waiter *batch[64];
    for (;;) {   /* collect first: requeueing moves waiters behind the scan */
        size_t k = 0;
        for (Waiter *w = S.whead; w && k < 64 && n != 0; w = w->next)
            if (w->obj == cv && w->kind == W_COND) { batch[k++] = w; n--; }
        for (size_t i = 0; i < k; i++) cond_to_reacquire(batch[i], true);
        if (k < 64 || n == 0) break;
    }
    lock_wake(l);
    return rt_newref(rt_None);
}

/* ---- Event ---- */

static RtValue *event_set(SvSync *e) {
    e->flag = true;
    for (Waiter *w = S.whead, *next; w; w = next) {
        next = w->next;
        if (w->obj != e || w->kind != W_EVENT) continue;
        Conn *c = w->conn;
        waiter_free(w);
        reply_bool(c, true);
    }
    return rt_newref(rt_None);
}

static RtValue *event_wait(Conn *c, SvSync *e, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "timeout" };
    RtValue *a[1];
    double timeout;
    bool none;
    if (bind_args("Event.wait", names, 1, 0, args, nargs, kw, a) < 0 || timeout_arg(a[0], &timeout, &none) < 0)
        return NULL;
    if (e->flag) return rt_newref(rt_True);
    if (!none && timeout <= 0) return rt_newref(rt_False);
    if (!c) return rt_raise(&rt_exc_RuntimeError, "a blocking call inside the manager's server would deadlock");
    if (!waiter_add(c, e, W_EVENT, none ? NEVER : deadline_after(timeout))) return NULL;
    return PARKED;
}

/* ---- Barrier (threading.Barrier; each round completes at once here) ---- */

/* Every waiter of b gets BrokenBarrierError; the barrier is broken (or,
 * for reset(), filling again). */
static void barrier_break(SvSync *b, bool broken) {
    b->state = broken ? B_BROKEN : B_FILLING;
    b->waiting = 0;
    for (Waiter *w = S.whead, *next; w; w = next) {
        next = w->next;
        if (w->obj != b || w->kind != W_BARRIER) continue;
        Conn *c = w->conn;
        waiter_free(w);
        reply_exc(c, &rt_exc_BrokenBarrierError, NULL);
    }
}

static RtValue *barrier_wait(Conn *c, SvSync *b, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "timeout" };
    RtValue *a[1];
    double timeout;
    bool none;
    if (bind_args("Barrier.wait", names, 1, 0, args, nargs, kw, a) < 0 || timeout_arg(a[0], &timeout, &none) < 0)
        return NULL;
    if (none && b->timeout >= 0) { timeout = b->timeout; none = false; }
    if (b->state == B_BROKEN) {
        RtValue *e = rt_exc_new(&rt_exc_BrokenBarrierError, NULL);
        if (e) rt_exc_raise_new(e);
        return NULL;
    }
    int64_t index = b->waiting++;
    if (b->waiting < b->parties) {
        if (!c) return rt_raise(&rt_exc_RuntimeError, "a blocking call inside the manager's server would deadlock");
        Waiter *w = waiter_add(c, b, W_BARRIER, none ? NEVER : deadline_after(timeout));
        if (!w) { b->waiting--; return NULL; }
        w->saved = index;
        if (!none && timeout <= 0) w->deadline = 0;
        return PARKED;
    }
    /* the last party: run the action, then release everyone */
    if (b->action) {
        RtValue *r = rt_call(b->action, NULL, 0, NULL);
        if (!r) {
            RtValue *exc = rt_exc_fetch();
            barrier_break(b, true);
            rt_exc_restore(exc);
            return NULL;
        }
        rt_decref(r);
    }
    b->waiting = 0;
    for (Waiter *w = S.whead, *next; w; w = next) {
        next = w->next;
        if (w->obj != b || w->kind != W_BARRIER) continue;
        Conn *wc = w->conn;
        int64_t i = w->saved;
        waiter_free(w);
        reply(wc, rt_int(i));
    }
    return rt_int(index);
}

static RtValue *barrier_attr(SvSync *b, RtValue *name) {
    const char *s = rt_is_str(name) ? rt_str_data(name) : "";
    if (strcmp(s, "parties") == 0) return rt_int(b->parties);
    if (strcmp(s, "n_waiting") == 0) return rt_int(b->state == B_FILLING ? b->waiting : 0);
    if (strcmp(s, "broken") == 0) return rt_bool(b->state == B_BROKEN);
    return rt_raise_fmt(&rt_exc_AttributeError, "'Barrier' object has no attribute %R", name);
}

/* ---- Queue (queue.Queue) ---- */

static int queue_push(SvSync *q, RtValue *item) {   /* steals item */
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 8;
        RtValue **v = rt_malloc(cap * sizeof *v);
        if (!v) { rt_decref(item); return -1; }
        for (size_t i = 0; i < q->len; i++) v[i] = q->items[(q->head + i) % q->cap];
        rt_free(q->items);
        q->items = v;
        q->cap = cap;
        q->head = 0;
    }
    q->items[(q->head + q->len++) % q->cap] = item;
    q->unfinished++;
    return 0;
}

static RtValue *queue_pop(SvSync *q) {
    RtValue *v = q->items[q->head];
    q->head = (q->head + 1) % q->cap;
    q->len--;
    return v;
}

static bool queue_full(SvSync *q) { return q->maxsize > 0 && (int64_t)q->len >= q->maxsize; }

/* After a change: blocked putters fill free room, blocked getters take items. */
static void queue_pump(SvSync *q) {
    for (bool moved = true; moved;) {
        moved = false;
        for (Waiter *w = S.whead, *next; w; w = next) {
            next = w->next;
            if (w->obj != q) continue;
            Conn *c = w->conn;
            if ((w->kind == W_GET || w->kind == W_PUT) && !conn_alive(c)) { waiter_free(w); continue; }
            if (w->kind == W_GET && q->len) {
                RtValue *v = queue_pop(q);
                waiter_free(w);
                reply(c, v);
                moved = true;
            } else if (w->kind == W_PUT && !queue_full(q)) {
                RtValue *item = w->item;
                w->item = NULL;
                waiter_free(w);
                if (queue_push(q, item) < 0) reply(c, NULL);
                else reply(c, rt_newref(rt_None));
                moved = true;
            }
        }
    }
}

static void queue_joined(SvSync *q) {
    for (Waiter *w = S.whead, *next; w; w = next) {
        next = w->next;
        if (w->obj != q || w->kind != W_JOIN) continue;
        Conn *c = w->conn;
        waiter_free(w);
        reply(c, rt_newref(rt_None));
    }
}

/* put(item, block=True, timeout=None), put_nowait(item) */
static RtValue *queue_put(Conn *c, SvSync *q, bool nowait, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "item", "block", "timeout" };
    RtValue *a[3];
    if (bind_args(nowait ? "Queue.put_nowait" : "Queue.put", names, nowait ? 1 : 3, 1, args, nargs, kw, a) < 0)
        return NULL;
    int block = !nowait && a[1] ? rt_truthy(a[1]) : !nowait;
    double timeout;
    bool none;
    if (block < 0 || timeout_arg(nowait ? NULL : a[2], &timeout, &none) < 0) return NULL;
    if (queue_full(q)) {
        if (!block) return rt_raise_value((RtValue *)&rt_exc_Full);
        if (!none && timeout < 0) return rt_raise(&rt_exc_ValueError, "'timeout' must be a non-negative number");
        if (!none && timeout == 0) return rt_raise_value((RtValue *)&rt_exc_Full);
        if (!c) return rt_raise(&rt_exc_RuntimeError, "a blocking call inside the manager's server would deadlock");
        Waiter *w = waiter_add(c, q, W_PUT, none ? NEVER : deadline_after(timeout));
        if (!w) return NULL;
        w->item = rt_newref(a[0]);
        return PARKED;
    }
    if (queue_push(q, rt_newref(a[0])) < 0) return NULL;
    queue_pump(q);
    return rt_newref(rt_None);
}

/* get(block=True, timeout=None), get_nowait() */
static RtValue *queue_get(Conn *c, SvSync *q, bool nowait, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "block", "timeout" };
    RtValue *a[2];
    if (bind_args(nowait ? "Queue.get_nowait" : "Queue.get", names, nowait ? 0 : 2, 0, args, nargs, kw, a) < 0)
        return NULL;
    int block = !nowait && a[0] ? rt_truthy(a[0]) : !nowait;
    double timeout;
    bool none;
    if (block < 0 || timeout_arg(nowait ? NULL : a[1], &timeout, &none) < 0) return NULL;
    if (q->len) {
        RtValue *v = queue_pop(q);
        queue_pump(q);
        return v;
    }
    if (!block) return rt_raise_value((RtValue *)&rt_exc_Empty);
    if (!none && timeout < 0) return rt_raise(&rt_exc_ValueError, "'timeout' must be a non-negative number");
    if (!none && timeout == 0) return rt_raise_value((RtValue *)&rt_exc_Empty);
    if (!c) return rt_raise(&rt_exc_RuntimeError, "a blocking call inside the manager's server would deadlock");
    if (!waiter_add(c, q, W_GET, none ? NEVER : deadline_after(timeout))) return NULL;
    return PARKED;
}

static RtValue *queue_call(Conn *c, SvSync *q, int method, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *a[1];
    switch (method) {
    case RT_MGR_M_PUT: return queue_put(c, q, false, args, nargs, kw);
    case RT_MGR_M_PUT_NOWAIT: return queue_put(c, q, true, args, nargs, kw);
    case RT_MGR_M_GET: return queue_get(c, q, false, args, nargs, kw);
    case RT_MGR_M_GET_NOWAIT: return queue_get(c, q, true, args, nargs, kw);
    default: break;
    }
    static const char *const fnames[] = {
        [RT_MGR_M_QSIZE] = "Queue.qsize", [RT_MGR_M_EMPTY] = "Queue.empty", [RT_MGR_M_FULL] = "Queue.full",
        [RT_MGR_M_TASK_DONE] = "Queue.task_done", [RT_MGR_M_JOIN] = "Queue.join",
    };
    if (bind_args(fnames[method], NULL, 0, 0, args, nargs, kw, a) < 0) return NULL;
    switch (method) {
    case RT_MGR_M_QSIZE: return rt_int((int64_t)q->len);
    case RT_MGR_M_EMPTY: return rt_bool(q->len == 0);
    case RT_MGR_M_FULL: return rt_bool(queue_full(q));
    case RT_MGR_M_TASK_DONE:
        if (q->unfinished <= 0) return rt_raise(&rt_exc_ValueError, "task_done() called too many times");
        if (--q->unfinished == 0) queue_joined(q);
        return rt_newref(rt_None);
    default:   /* JOIN */
        if (q->unfinished == 0) return rt_newref(rt_None);
        if (!c) return rt_raise(&rt_exc_RuntimeError, "a blocking call inside the manager's server would deadlock");
        if (!waiter_add(c, q, W_JOIN, NEVER)) return NULL;
        return PARKED;
    }
}

/* ---- dispatch for the synchronisation objects ---- */

static RtValue *no_args_then(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *a[1];
    if (bind_args(fname, NULL, 0, 0, args, nargs, kw, a) < 0) return NULL;
    return rt_None;
}

static RtValue *sync_call(Conn *c, SvSync *s, int method, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (s->typeid == RT_MGR_QUEUE || s->typeid == RT_MGR_JQUEUE) return queue_call(c, s, method, args, nargs, kw);
    SvSync *l = s->typeid == RT_MGR_CONDITION ? SV(s->lock) : s;
    switch (method) {
    case RT_MGR_M_ACQUIRE: return lock_acquire(c, l, args, nargs, kw);
    case RT_MGR_M_RELEASE: return lock_release(c, l, args, nargs, kw);
    case RT_MGR_M_WAIT:
        if (s->typeid == RT_MGR_CONDITION) return cond_wait(c, s, args, nargs, kw);
        if (s->typeid == RT_MGR_EVENT) return event_wait(c, s, args, nargs, kw);
        return barrier_wait(c, s, args, nargs, kw);
    case RT_MGR_M_NOTIFY: {
        static const char *const names[] = { "n" };
        RtValue *a[1];
        int64_t n = 1;
        if (bind_args("Condition.notify", names, 1, 0, args, nargs, kw, a) < 0) return NULL;
        if (a[0] && rt_int_as_i64(a[0], &n) < 0) return NULL;
        return cond_notify(c, s, n < 0 ? 0 : n);
    }
    case RT_MGR_M_NOTIFY_ALL:
        if (!no_args_then("Condition.notify_all", args, nargs, kw)) return NULL;
        return cond_notify(c, s, -1);
    case RT_MGR_M_IS_SET:
        if (!no_args_then("Event.is_set", args, nargs, kw)) return NULL;
        return rt_bool(s->flag);
    case RT_MGR_M_SET:
        if (!no_args_then("Event.set", args, nargs, kw)) return NULL;
        return event_set(s);
    case RT_MGR_M_CLEAR:
        if (!no_args_then("Event.clear", args, nargs, kw)) return NULL;
        s->flag = false;
        return rt_newref(rt_None);
    case RT_MGR_M_ABORT:
    case RT_MGR_M_RESET:
        if (!no_args_then(method == RT_MGR_M_ABORT ? "Barrier.abort" : "Barrier.reset", args, nargs, kw))
            return NULL;
        barrier_break(s, method == RT_MGR_M_ABORT);
        return rt_newref(rt_None);
    case RT_MGR_M_GETATTRIBUTE:
        if (nargs != 1 || kw) return rt_raise(&rt_exc_TypeError, "expected 1 argument");
        return barrier_attr(s, args[0]);
    default:
        return rt_raise(&rt_exc_AttributeError, "method not supported by this object");
    }
}

/* ---- construction ---- */

/* The lock of Condition(lock): None (a new RLock) or a Lock / RLock proxy of this manager. */
static int cond_init(SvSync *cv, RtValue *lockarg) {
    if (!lockarg || lockarg == rt_None) {
        SvSync *l = sv_new(RT_MGR_RLOCK);
        if (!l) return -1;
        cv->lock = (RtValue *)l;
        return 0;
    }
    uint64_t id = rt__mgr_proxy_local_id(lockarg);
    RtValue *obj = id && id < S.nobjs ? S.objs[id].obj : NULL;
    if (!obj || obj->type != &sv_type || (SV(obj)->typeid != RT_MGR_LOCK && SV(obj)->typeid != RT_MGR_RLOCK)) {
        rt_raise(&rt_exc_TypeError, "Condition() lock must be a Lock or RLock of the same manager");
        return -1;
    }
    cv->lock = rt_newref(obj);
    cv->lockref = rt_newref(lockarg);
    return 0;
}

static RtValue *sync_new(int typeid, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const value_kw[] = { "value" };
    static const char *const cond_kw[] = { "lock" };
    static const char *const barrier_kw[] = { "parties", "action", "timeout" };
    static const char *const queue_kw[] = { "maxsize" };
    RtValue *a[3];
    int rc;
    switch (typeid) {
    case RT_MGR_SEMAPHORE: case RT_MGR_BSEMAPHORE:
        rc = bind_args(typeid == RT_MGR_SEMAPHORE ? "Semaphore.__init__" : "BoundedSemaphore.__init__",
                  value_kw, 1, 0, args, nargs, kw, a);
        break;
    case RT_MGR_CONDITION: rc = bind_args("Condition.__init__", cond_kw, 1, 0, args, nargs, kw, a); break;
    case RT_MGR_BARRIER: rc = bind_args("Barrier.__init__", barrier_kw, 3, 1, args, nargs, kw, a); break;
    case RT_MGR_QUEUE: case RT_MGR_JQUEUE: rc = bind_args("Queue.__init__", queue_kw, 1, 0, args, nargs, kw, a); break;
    case RT_MGR_LOCK: rc = rt_check_args("allocate_lock", nargs, kw, 0, 0); break;
    case RT_MGR_RLOCK: rc = rt_check_args("RLock", nargs, kw, 0, 0); break;
    default: rc = bind_args("Event.__init__", NULL, 0, 0, args, nargs, kw, a);
    }
    if (rc < 0) return NULL;
    SvSync *s = sv_new(typeid);
    if (!s) return NULL;
    double timeout;
    bool none;
    switch (typeid) {
    case RT_MGR_LOCK: s->value = 1; break;
    case RT_MGR_SEMAPHORE: case RT_MGR_BSEMAPHORE:
        s->value = 1;
        if (a[0] && rt_int_as_i64(a[0], &s->value) < 0) goto fail;
        if (s->value < 0) { rt_raise(&rt_exc_ValueError, "semaphore initial value must be >= 0"); goto fail; }
        s->maxvalue = s->value;
        break;
    case RT_MGR_CONDITION:
        if (cond_init(s, a[0]) < 0) goto fail;
        break;
    case RT_MGR_BARRIER:
        if (rt_int_as_i64(a[0], &s->parties) < 0 || timeout_arg(a[2], &timeout, &none) < 0) goto fail;
        s->timeout = none ? -1 : timeout < 0 ? 0 : timeout;
        if (a[1] && a[1] != rt_None) s->action = rt_newref(a[1]);
        break;
    case RT_MGR_QUEUE: case RT_MGR_JQUEUE:
        if (a[0] && rt_int_as_i64(a[0], &s->maxsize) < 0) goto fail;
        break;
    default: break;
    }
    return (RtValue *)s;
fail:
    rt_decref((RtValue *)s);
    return NULL;
}

/* ==== the plain data objects: dict, list, Namespace, Value, array ========================== */

/* A dunder method's argument count, with the slot wrappers' message. */
static int need(size_t nargs, RtValue *kw, size_t n) {
    if (kw && RT_TUPLE_LEN(kw)) {
        rt_raise(&rt_exc_TypeError, "wrapper takes no keyword arguments");
        return -1;
    }
    if (nargs == n) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "expected %d argument%s, got %d", (int)n, n == 1 ? "" : "s", (int)nargs);
    return -1;
}

static RtValue *none_or_null(int rc) { return rc < 0 ? NULL : rt_newref(rt_None); }

/* d.keys() and friends answer lists, as CPython's DictProxy does. */
static RtValue *listify(RtValue *r) {
    if (!r || rt_is_list(r)) return r;
    RtValue *l = rt_list_from_iter(r);
    rt_decref(r);
    return l;
}

static RtValue *data_call(RtValue *obj, int typeid, int method, RtValue *const *args, size_t nargs, RtValue *kw) {
    int64_t n;
    int t;
    switch (method) {
    case RT_MGR_M_GETITEM: return need(nargs, kw, 1) < 0 ? NULL : rt_getitem(obj, args[0]);
    case RT_MGR_M_SETITEM: return need(nargs, kw, 2) < 0 ? NULL : none_or_null(rt_setitem(obj, args[0], args[1]));
    case RT_MGR_M_DELITEM: return need(nargs, kw, 1) < 0 ? NULL : none_or_null(rt_delitem(obj, args[0]));
    case RT_MGR_M_LEN:
        if (need(nargs, kw, 0) < 0 || (n = rt_len(obj)) < 0) return NULL;
        return rt_int(n);
    case RT_MGR_M_CONTAINS:
        if (need(nargs, kw, 1) < 0 || (t = rt_contains(obj, args[0])) < 0) return NULL;
        return rt_bool(t);
    case RT_MGR_M_GETSLICE:
    case RT_MGR_M_SETSLICE:
    case RT_MGR_M_DELSLICE: {
        if (need(nargs, kw, method == RT_MGR_M_SETSLICE ? 4 : 3) < 0) return NULL;
        RtValue *sl = rt_slice_new(args[0], args[1], args[2]);
        if (!sl) return NULL;
        RtValue *r = method == RT_MGR_M_GETSLICE ? rt_getitem(obj, sl)
                   : none_or_null(method == RT_MGR_M_SETSLICE ? rt_setitem(obj, sl, args[3]) : rt_delitem(obj, sl));
        rt_decref(sl);
        return r;
    }
    case RT_MGR_M_REPR: return need(nargs, kw, 0) < 0 ? NULL : rt_repr(obj);
    case RT_MGR_M_ITER: return need(nargs, kw, 0) < 0 ? NULL : rt_list_from_iter(obj);
    case RT_MGR_M_ADD: return need(nargs, kw, 1) < 0 ? NULL : rt_binop(obj, args[0], RT_ADD);
    case RT_MGR_M_MUL:
    case RT_MGR_M_RMUL: return need(nargs, kw, 1) < 0 ? NULL : rt_binop(obj, args[0], RT_MUL);
    case RT_MGR_M_IMUL: {
        if (need(nargs, kw, 1) < 0) return NULL;
        RtValue *r = rt_inplace_binop(obj, args[0], RT_MUL);
        if (!r) return NULL;
        rt_decref(r);
        return rt_newref(rt_None);   /* the caller returns its proxy */
    }
    case RT_MGR_M_GETATTRIBUTE:
    case RT_MGR_M_DELATTR:
        if (need(nargs, kw, 1) < 0) return NULL;
        if (!rt_is_str(args[0]))
            return rt_raise_fmt(&rt_exc_TypeError, "attribute name must be string, not '%s'", args[0]->type->name);
        if (method == RT_MGR_M_GETATTRIBUTE) return rt_getattr(obj, rt_str_data(args[0]));
        return none_or_null(rt_delattr(obj, rt_str_data(args[0])));
    case RT_MGR_M_SETATTR:
        if (need(nargs, kw, 2) < 0) return NULL;
        if (!rt_is_str(args[0]))
            return rt_raise_fmt(&rt_exc_TypeError, "attribute name must be string, not '%s'", args[0]->type->name);
        return none_or_null(rt_setattr(obj, rt_str_data(args[0]), args[1]));
    case RT_MGR_M_KEYS:
    case RT_MGR_M_VALUES:
    case RT_MGR_M_ITEMS:
        return listify(rt_call_method(obj, rt__mgr_method_names[method], args, nargs, kw));
    default:
        (void)typeid;
        return rt_call_method(obj, rt__mgr_method_names[method], args, nargs, kw);
    }
}

/* Array(typecode, sequence, lock=True): an array.array. */
static RtValue *array_new(RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "typecode", "sequence", "lock" };
    RtValue *a[3];
    if (bind_args("Array", names, 3, 2, args, nargs, kw, a) < 0) return NULL;
    return rt_call((RtValue *)&rt_array_array, a, 2, NULL);
}

static RtValue *referent_new(int typeid, RtValue *const *args, size_t nargs, RtValue *kw) {
    switch (typeid) {
    case RT_MGR_DICT: return rt_call((RtValue *)&rt_type_dict, args, nargs, kw);
    case RT_MGR_LIST: return rt_call((RtValue *)&rt_type_list, args, nargs, kw);
    case RT_MGR_NAMESPACE: return rt_call((RtValue *)&rt_mp_Namespace, args, nargs, kw);
    case RT_MGR_VALUE: return rt_call((RtValue *)&rt_mp_managers_Value, args, nargs, kw);
    case RT_MGR_ARRAY: return array_new(args, nargs, kw);
    default: return sync_new(typeid, args, nargs, kw);
    }
}

/* ==== the object table ===================================================================== */

static int64_t table_add(RtValue *obj, int typeid) {   /* steals obj */
    if (S.nobjs == 0) S.nobjs = 1;   /* id 0 means "none" */
    if (S.nobjs >= S.capobjs) {
        size_t cap = S.capobjs ? S.capobjs * 2 : 64;
        Entry *v = rt_realloc(S.objs, cap * sizeof *v);
        if (!v) { rt_decref(obj); return -1; }
        S.objs = v;
        S.capobjs = cap;
    }
    S.objs[S.nobjs] = (Entry){ obj, 1, typeid, NULL };
    return (int64_t)S.nobjs++;
}

static Entry *table_get(uint64_t id) {
    if (id == 0 || id >= S.nobjs || !S.objs[id].obj) {
        rt_raise_fmt(&rt_exc_RemoteError, "object %llu is not known to the manager", (unsigned long long)id);
        return NULL;
    }
    return &S.objs[id];
}

int rt__mgr_local_incref(uint64_t id) {
    Entry *e = table_get(id);
    if (!e) return -1;
    e->refs++;
    return 0;
}

void rt__mgr_local_decref(uint64_t id) {
    if (id == 0 || id >= S.nobjs || !S.objs[id].obj) return;
    if (--S.objs[id].refs > 0) return;
    RtValue *obj = S.objs[id].obj;
    S.objs[id].obj = NULL;
    RT_CLEAR(S.objs[id].exposed);
    rt_decref(obj);   /* may release local proxies, and so other entries */
}

/* The RemoteError CPython's server sends for a failure outside the
 * referent's method: the exception's text under a traceback header. */
static RtValue *remote_error(const char *where);

/* A call of a registered type's method (never parks: the method runs to
 * its end in the server, as in CPython's serving thread). Besides the
 * exposed names, CPython's fallbacks: __repr__, __str__, #GETVALUE. */
static RtValue *dispatch_named(uint64_t id, RtValue *name, RtValue *const *args, size_t nargs, RtValue *kw) {
    Entry *e = table_get(id);
    if (!e) return NULL;
    if (!rt_is_str(name)) return rt_raise(&rt_exc_TypeError, "method name must be a string");
    const char *n = rt_str_data(name);
    RtValue *obj = rt_newref(e->obj), *r = NULL;
    bool exposed = false;
    for (size_t i = 0; e->exposed && i < RT_TUPLE_LEN(e->exposed) && !exposed; i++)
        exposed = strcmp(rt_str_data(RT_TUPLE_GET(e->exposed, i)), n) == 0;
    if (exposed) {
        r = rt_call_method(obj, n, args, nargs, kw);
        /* CPython's managers pickle dict views as lists */
        if (r && (r->type == &rt_type_dict_keys || r->type == &rt_type_dict_values || r->type == &rt_type_dict_items))
            r = listify(r);
    } else if (strcmp(n, "#GETVALUE") == 0) r = rt_newref(obj);
    else if (strcmp(n, "__repr__") == 0) r = rt_repr(obj);
    else if (strcmp(n, "__str__") == 0) r = rt_str(obj);
    else {
        char qual[128];
        rt_type_qualname(obj->type, qual, sizeof qual);
        const char *mod = obj->type->module;   /* <class 'dict'>, <class '__main__.Counter'> */
        bool dotted = mod && strcmp(mod, "builtins") != 0;
        rt_raise_fmt(&rt_exc_AttributeError, "method '%s' of <class '%s%s%s'> object is not in exposed=%R", n,
                     dotted ? mod : "", dotted ? "." : "", qual, e->exposed);
        remote_error("serve_client");
    }
    rt_decref(obj);
    return r;
}

RtValue *rt__mgr_local_call_named(uint64_t id, RtValue *name, RtValue *const *args, size_t nargs, RtValue *kw) {
    return dispatch_named(id, name, args, nargs, kw);
}

/* One method call on object id; PARKED when the reply comes later (c NULL:
 * a call from inside the server, which never parks). */
static RtValue *dispatch(Conn *c, uint64_t id, int method, RtValue *const *args, size_t nargs, RtValue *kw) {
    Entry *e = table_get(id);
    if (!e) return NULL;
    if (e->typeid == RT_MGR_CUSTOM) {
        RtValue *name = rt_str_from_cstr(method >= 0 && method < RT_MGR_NMETHODS ? rt__mgr_method_names[method] : "?");
        RtValue *r = name ? dispatch_named(id, name, args, nargs, kw) : NULL;
        rt_xdecref(name);
        return r;
    }
    if (!rt__mgr_exposed(e->typeid, method))
        return rt_raise_fmt(&rt_exc_AttributeError, "method '%U' of '%U' object is not in exposed",
                            method >= 0 && method < RT_MGR_NMETHODS ? rt__mgr_method_names[method] : "?",
                            rt__mgr_typeid_names[e->typeid]);
    RtValue *obj = e->obj;
    if (method == RT_MGR_M_GETVALUE) return rt_newref(obj);
    if (method == RT_MGR_M_REPR && obj->type == &sv_type) return sv_repr(obj);
    if (obj->type == &sv_type) {
        rt_incref(obj);   /* a call may drop the last proxy to it */
        RtValue *r = sync_call(c, SV(obj), method, args, nargs, kw);
        rt_decref(obj);
        return r;
    }
    rt_incref(obj);
    RtValue *r = data_call(obj, e->typeid, method, args, nargs, kw);
    rt_decref(obj);
    return r;
}

RtValue *rt__mgr_local_call(uint64_t id, int method, RtValue *const *args, size_t nargs, RtValue *kw) {
    return dispatch(NULL, id, method, args, nargs, kw);
}

/* ==== requests ================================================================================= */

/* CPython answers a failed create with RemoteError holding the server's traceback. */
static RtValue *remote_error(const char *where) {
    RtValue *e = rt_exc_fetch();
    char name[128];
    rt_type_qualname(e->type, name, sizeof name);
    RtValue *s = rt_exc_str(e);
    RtStrBuf b;
    rt_strbuf_init(&b);
    static const char dashes[] = "---------------------------------------------------------------------------";
    rt_strbuf_putc(&b, '\n');
    rt_strbuf_put_cstr(&b, dashes);
    rt_strbuf_put_cstr(&b, "\nTraceback (most recent call last):\n  File \"<mp2c manager server>\", in ");
    rt_strbuf_put_cstr(&b, where);
    rt_strbuf_putc(&b, '\n');
    rt_strbuf_put_cstr(&b, name);
    if (s && rt_str_nbytes(s)) {
        rt_strbuf_put_ascii(&b, ": ", 2);
        rt_strbuf_put_str(&b, s);
    }
    rt_strbuf_putc(&b, '\n');
    rt_strbuf_put_cstr(&b, dashes);
    rt_xdecref(s);
    rt_decref(e);
    if (RT_ERR()) rt_decref(rt_exc_fetch());
    RtValue *text = rt_strbuf_finish(&b);
    if (!text) return NULL;
    RtValue *args = rt_tuple_pack(1, text);
    rt_decref(text);
    RtValue *exc = args ? rt_exc_new(&rt_exc_RemoteError, args) : NULL;
    rt_xdecref(args);
    if (exc) rt_exc_raise_new(exc);
    return NULL;
}

/* Reads the arguments of a request: a tuple, then None or the keyword names. */
static int load_args(RtBuf *b, RtValue **tuple, RtValue **kwnames, size_t *npos) {
    *tuple = rt_ser_load(b);
    *kwnames = *tuple ? rt_ser_load(b) : NULL;
    if (!*kwnames) { RT_CLEAR(*tuple); return -1; }
    size_t nkw = rt_is_tuple(*kwnames) ? RT_TUPLE_LEN(*kwnames) : 0;
    if (!rt_is_tuple(*tuple) || RT_TUPLE_LEN(*tuple) < nkw) {
        RT_CLEAR(*tuple);
        RT_CLEAR(*kwnames);
        rt_raise(&rt_exc_ValueError, "malformed manager request");
        return -1;
    }
    if (!nkw) RT_CLEAR(*kwnames);
    *npos = RT_TUPLE_LEN(*tuple) - nkw;
    return 0;
}

static void handle_call(Conn *c, RtBuf *b) {
    uint64_t id;
    unsigned method;
    RtValue *t, *kw;
    size_t npos;
    if (rt_buf_get_uleb(b, &id) < 0 || rt_buf_get_u8(b, &method) < 0 || load_args(b, &t, &kw, &npos) < 0) {
        reply(c, NULL);
        return;
    }
    RtValue *r = dispatch(c, id, (int)method, ((RtTuple *)t)->items, npos, kw);
    rt_decref(t);
    rt_xdecref(kw);
    if (r != PARKED) reply(c, r);
}

static void handle_create(Conn *c, RtBuf *b) {
    unsigned typeid;
    RtValue *t, *kw;
    size_t npos;
    if (rt_buf_get_u8(b, &typeid) < 0 || load_args(b, &t, &kw, &npos) < 0) {
        reply(c, NULL);
        return;
    }
    RtValue *obj = typeid < RT_MGR_NTYPEIDS ? referent_new((int)typeid, ((RtTuple *)t)->items, npos, kw)
                                             : rt_raise(&rt_exc_ValueError, "unknown typeid");
    rt_decref(t);
    rt_xdecref(kw);
    if (!obj) {
        reply(c, remote_error("create"));
        return;
    }
    int64_t id = table_add(obj, (int)typeid);
    reply(c, id < 0 ? NULL : rt_int(id));
}

static void handle_call_named(Conn *c, RtBuf *b) {
    uint64_t id;
    RtValue *name = NULL, *t, *kw;
    size_t npos;
    if (rt_buf_get_uleb(b, &id) < 0 || !(name = rt_ser_load(b)) || load_args(b, &t, &kw, &npos) < 0) {
        rt_xdecref(name);
        reply(c, NULL);
        return;
    }
    RtValue *r = dispatch_named(id, name, ((RtTuple *)t)->items, npos, kw);
    rt_decref(name);
    rt_decref(t);
    rt_xdecref(kw);
    reply(c, r);
}

/* CPython's public_methods(obj): the names in dir(obj) that do not start
 * with '_' and whose attribute is callable, sorted. */
static RtValue *public_methods(RtValue *obj) {
    RtValue *names = rt_list_new(16);
    if (!names) return NULL;
    RtValue *d = rt_obj_dict(obj), *k, *v;
    size_t pos = 0;
    int rc = 0;
    while (rc == 0 && d && rt_dict_next(d, &pos, &k, &v)) rc = rt_list_append(names, k);
    for (RtType *t = obj->type; rc == 0 && t; t = t->base) {
        pos = 0;
        while (rc == 0 && t->dict && rt_dict_next(t->dict, &pos, &k, &v)) rc = rt_list_append(names, k);
        const RtMethodDef *tables[2] = { t->methods, t->classmethods };
        for (int j = 0; j < 2; j++)
            for (const RtMethodDef *m = tables[j]; rc == 0 && m && m->name; m++) {
                RtValue *s = rt_str_from_cstr(m->name);
                rc = s ? rt_list_append_steal(names, s) : -1;
            }
    }
    if (rc < 0 || rt_list_sort(names, NULL, false) < 0) { rt_decref(names); return NULL; }
    RtValue *out = rt_list_new(8);
    const char *prev = "";
    for (size_t i = 0; out && i < RT_LIST_LEN(names); i++) {
        RtValue *name = RT_LIST_GET(names, i);
        if (!rt_is_str(name)) continue;
        const char *n = rt_str_data(name);
        if (n[0] == '_' || strcmp(n, prev) == 0) continue;
        prev = n;
        RtValue *attr = rt_getattr(obj, n);
        RtValue *callable = attr ? rt_bi_callable(NULL, &attr, 1, NULL) : NULL;
        rt_xdecref(attr);
        if (!callable) {   /* a failing attribute is left out, as dir() + getattr would fail loudly: keep going */
            rt_decref(rt_exc_fetch());
            continue;
        }
        if (callable == rt_True && rt_list_append(out, name) < 0) RT_CLEAR(out);
        rt_decref(callable);
    }
    rt_decref(names);
    if (!out) return NULL;
    RtValue *t = rt_tuple_from_iter(out);
    rt_decref(out);
    return t;
}

/* m.<typeid>(...): the registered callable builds the object (the server is
 * a fork of the manager's process: the script's classes are here); the
 * answer is (id, exposed). */
static void handle_create_named(Conn *c, RtBuf *b) {
    RtValue *typeid = rt_ser_load(b), *t = NULL, *kw = NULL, *callable, *exposed, *obj = NULL;
    size_t npos = 0;
    if (!typeid || load_args(b, &t, &kw, &npos) < 0) {
        rt_xdecref(typeid);
        reply(c, NULL);
        return;
    }
    if (!rt_is_str(typeid) || !rt__mgr_registry_get(S.mtype, rt_str_data(typeid), &callable, &exposed))
        rt_raise_fmt(&rt_exc_KeyError, "%R", typeid);
    else if (callable == rt_None) {
        if (kw || npos != 1) rt_raise(&rt_exc_ValueError, "Without callable, must have one non-keyword argument");
        else obj = rt_newref(RT_TUPLE_GET(t, 0));
    } else obj = rt_call(callable, ((RtTuple *)t)->items, npos, kw);
    rt_decref(typeid);
    rt_decref(t);
    rt_xdecref(kw);
    RtValue *names = !obj ? NULL : exposed != rt_None ? rt_newref(exposed) : public_methods(obj);
    if (!names) {
        rt_xdecref(obj);
        reply(c, remote_error("create"));
        return;
    }
    int64_t id = table_add(obj, RT_MGR_CUSTOM);
    RtValue *idv = id < 0 ? NULL : rt_int(id);
    RtValue *r = idv ? rt_tuple_pack(2, idv, names) : NULL;
    if (id >= 0) S.objs[id].exposed = rt_newref(names);
    rt_xdecref(idv);
    rt_decref(names);
    reply(c, r);
}

static void handle_request(Conn *c, RtBuf *b) {
    unsigned op;
    uint64_t id;
    if (rt_buf_get_u8(b, &op) < 0) { reply(c, NULL); return; }
    switch (op) {
    case RT_MGR_OP_CALL: handle_call(c, b); break;
    case RT_MGR_OP_CREATE: handle_create(c, b); break;
    case RT_MGR_OP_CALL_NAMED: handle_call_named(c, b); break;
    case RT_MGR_OP_CREATE_NAMED: handle_create_named(c, b); break;
    case RT_MGR_OP_DECREF:
        if (rt_buf_get_uleb(b, &id) == 0) rt__mgr_local_decref(id);
        else rt_decref(rt_exc_fetch());
        break;
    case RT_MGR_OP_SHUTDOWN:
        S.stop = true;
        reply(c, rt_newref(rt_None));
        break;
    default:
        reply(c, rt_raise(&rt_exc_ValueError, "unknown manager request"));
    }
    if (RT_ERR()) rt_decref(rt_exc_fetch());
}

/* ==== connections ================================================================================ */

static void conn_accept(int lfd) {
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return;   /* EINTR, ECONNABORTED, EMFILE: the client sees the failure */
    Conn *c = rt_calloc(1, sizeof *c);
    if (c && S.nconns == S.capconns) {
        size_t cap = S.capconns ? S.capconns * 2 : 16;
        Conn **v = rt_realloc(S.conns, cap * sizeof *v);
        if (v) { S.conns = v; S.capconns = cap; }
    }
    if (!c || S.nconns == S.capconns) {
        rt_free(c);
        close(fd);
        if (RT_ERR()) rt_decref(rt_exc_fetch());
        return;
    }
    c->fd = fd;
    c->cid = ++S.next_cid;
    S.conns[S.nconns++] = c;
}

/* A client that left: its parked requests go (a barrier forgets the party). */
static void conn_close(Conn *c) {
    for (Waiter *w = S.whead, *next; w; w = next) {
        next = w->next;
        if (w->conn != c) continue;
        if (w->kind == W_BARRIER && w->obj->waiting > 0) w->obj->waiting--;
        waiter_free(w);
    }
    close(c->fd);
    rt_free(c);
}

static void conns_reap(void) {
    size_t k = 0;
    for (size_t i = 0; i < S.nconns; i++) {
        if (S.conns[i]->dead) conn_close(S.conns[i]);
        else S.conns[k++] = S.conns[i];
    }
    S.nconns = k;
}

/* ==== timeouts =================================================================================== */

static int poll_timeout_ms(void) {
    int64_t next = NEVER;
    for (Waiter *w = S.whead; w; w = w->next)
        if (w->deadline < next) next = w->deadline;
    if (next == NEVER) return -1;
    int64_t left = next - now_ns();
    if (left <= 0) return 0;
    return left / 1000000 >= INT32_MAX ? INT32_MAX : (int)((left + 999999) / 1000000);
}

/* Answers every waiter whose deadline has passed (False, queue.Empty, ...). */
static void expire_waiters(void) {
    int64_t now = now_ns();
    for (bool again = true; again;) {
        again = false;
        for (Waiter *w = S.whead; w; w = w->next) {
            if (w->deadline > now) continue;
            Conn *c = w->conn;
            SvSync *o = w->obj;
            switch (w->kind) {
            case W_COND:
                cond_to_reacquire(w, false);
                lock_wake(SV(w->obj));
                break;
            case W_BARRIER: barrier_break(o, true); break;
            case W_GET: waiter_free(w); reply_exc(c, &rt_exc_Empty, NULL); break;
            case W_PUT: waiter_free(w); reply_exc(c, &rt_exc_Full, NULL); break;
            default: waiter_free(w); reply_bool(c, false); break;   /* acquire, event */
            }
            again = true;   /* the list changed: scan again */
            break;
        }
    }
}

/* ==== the loop =================================================================================== */

static void serve_conn(Conn *c) {
    int r = rt__mgr_recv(c->fd, &S.in);
    if (r != 0) {
        if (r < 0) rt_decref(rt_exc_fetch());
        c->dead = true;
        return;
    }
    handle_request(c, &S.in);
    if (S.in.cap > 1 << 20) rt_buf_free(&S.in);     /* keep only a usual-sized buffer */
    if (S.out.cap > 1 << 20) rt_buf_free(&S.out);
}

static int serve_loop(int lfd) {
    struct pollfd *pfds = NULL;
    size_t cap = 0;
    while (!S.stop) {
        if (cap < S.nconns + 1) {
            cap = (S.nconns + 1) * 2;
            struct pollfd *v = rt_realloc(pfds, cap * sizeof *v);
            if (!v) { rt_free(pfds); return -1; }
            pfds = v;
        }
        size_t n = S.nconns;
        pfds[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
        for (size_t i = 0; i < n; i++) pfds[i + 1] = (struct pollfd){ .fd = S.conns[i]->fd, .events = POLLIN };
        int r = poll(pfds, n + 1, poll_timeout_ms());
        if (r < 0 && errno != EINTR) { rt_free(pfds); rt_raise_errno(errno, NULL); return -1; }
        expire_waiters();
        for (size_t i = 0; r > 0 && i < n && !S.stop; i++)
            if (pfds[i + 1].revents && !S.conns[i]->dead) serve_conn(S.conns[i]);
        if (r > 0 && !S.stop && (pfds[0].revents & POLLIN)) conn_accept(lfd);
        conns_reap();
    }
    rt_free(pfds);
    return 0;
}

/* Frees everything the loop owned (for tidiness: the process exits next). */
static void serve_cleanup(int lfd) {
    while (S.whead) waiter_free(S.whead);
    for (size_t i = 0; i < S.nconns; i++) {
        close(S.conns[i]->fd);
        rt_free(S.conns[i]);
    }
    close(lfd);
    for (size_t id = 1; id < S.nobjs; id++) {
        RtValue *obj = S.objs[id].obj;
        S.objs[id].obj = NULL;
        RT_CLEAR(S.objs[id].exposed);
        rt_xdecref(obj);
    }
    rt_free(S.conns);
    rt_free(S.objs);
    rt_buf_free(&S.in);
    rt_buf_free(&S.out);
    S.conns = NULL;
    S.objs = NULL;
    S.nconns = S.capconns = S.nobjs = S.capobjs = 0;
    S.active = false;
}

int rt__mgr_serve(int lfd, const char *addr, size_t addrlen, pid_t parent, RtValue *initializer,
                  RtValue *initargs, RtType *mtype) {
    signal(SIGINT, SIG_IGN);                 /* Ctrl-C is the parent's to handle, as in CPython */
    prctl(PR_SET_PDEATHSIG, SIGTERM);        /* never outlive the manager's process */
    if (getppid() != parent) { close(lfd); return 0; }
    S.active = true;
    S.mtype = mtype;
    memcpy(S.addr, addr, addrlen);
    S.addrlen = addrlen;
    if (initializer) {
        RtValue *r = rt_call_tuple_dict(initializer, initargs, NULL);
        if (!r) { serve_cleanup(lfd); return -1; }
        rt_decref(r);
    }
    int rc = serve_loop(lfd);
    RtValue *saved = rc < 0 ? rt_exc_fetch() : NULL;
    serve_cleanup(lfd);
    if (saved) rt_exc_restore(saved);
    return rc;
}

/* sync.c: multiprocessing's Lock, RLock, Semaphore, BoundedSemaphore, Event,
 * Condition and Barrier, shared between processes.
 *
 * Key idea: each Python object is a small process-local handle (RtSync) that
 * points at its state in the shared heap (rt_shm_alloc: a MAP_SHARED memfd
 * mapping made before the fork), so a forked child that inherits the handle
 * reaches the same state. The state is guarded by pthread mutexes with
 * PTHREAD_PROCESS_SHARED and PTHREAD_MUTEX_ROBUST: when a process dies
 * holding one, the next locker gets EOWNERDEAD, marks it consistent and
 * repairs the state, so a crashed child cannot deadlock its parent.
 *
 *   - RLock is a robust mutex itself: the first acquire is
 *     pthread_mutex_lock, nested acquires only bump a count (the owner's
 *     thread id sits beside the mutex), and only the owner may release, as
 *     CPython's recursive SemLock demands.
 *   - Lock, Semaphore and BoundedSemaphore are counting semaphores, because
 *     CPython lets any process release them: a short robust-mutex critical
 *     section updates the count and a condition variable parks waiters.
 *     A waiter wakes every 100 ms to check whether the process that holds a
 *     Lock has died (kill(pid, 0), /proc/<pid>/stat for zombies) and then
 *     takes the lock over.
 *   - Condition keeps the sequence counters of the classic (pre-2.25) glibc
 *     condition variable in shared memory, so notify(n) wakes at most n
 *     waiters that were already waiting, and a timed-out waiter absorbs no
 *     wake-up. Event and Barrier are a mutex, a condvar and a few integers
 *     (Barrier follows threading.Barrier's state machine).
 *
 * This file also holds the process-shared pthread helpers other runtime
 * files use (rt_shm_mutex_init, ...) and the small argument binder shared by
 * the files of the mp2c_shared.h section (rt__shared_bind).
 */
#include "mp2c.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ==== argument binding (shared by ctypes.c, sharedctypes.c, shm.c, ...) ==== */


static int too_many_positional(const RtArgSpec *sp, size_t nargs) {
    if (sp->clinic) {
        if (sp->npos == 0)
            rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%d given)", sp->name, (int)nargs);
        else if (sp->nreq == sp->npos)
            rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly %d argument%s (%d given)", sp->name,
                         sp->npos, sp->npos == 1 ? "" : "s", (int)nargs);
        else
            rt_raise_fmt(&rt_exc_TypeError, "%s() takes at most %d argument%s (%d given)", sp->name,
                         sp->npos, sp->npos == 1 ? "" : "s", (int)nargs);
        return -1;
    }
    int self = sp->method ? 1 : 0;
    if (sp->nreq == sp->npos)
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes %d positional argument%s but %d %s given",
                     sp->name, sp->npos + self, sp->npos + self == 1 ? "" : "s",
                     (int)nargs + self, nargs + self == 1 ? "was" : "were");
    else
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes from %d to %d positional arguments but %d %s given",
                     sp->name, sp->nreq + self, sp->npos + self, (int)nargs + self,
                     nargs + self == 1 ? "was" : "were");
    return -1;
}

static int bind_keyword(const RtArgSpec *sp, const char *k, RtValue *v, size_t nargs, RtValue **out) {
    for (int j = 0; j < sp->n; j++) {
        if (strcmp(sp->kw[j], k) != 0) continue;
        if (out[j]) {
            if (sp->clinic)
                rt_raise_fmt(&rt_exc_TypeError, "argument for %s() given by name ('%s') and position (%d)",
                             sp->name, k, j + 1);
            else
                rt_raise_fmt(&rt_exc_TypeError, "%s() got multiple values for argument '%s'", sp->name, k);
            return -1;
        }
        out[j] = v;
        return 0;
    }
    (void)nargs;
    if (sp->clinic)
        rt_raise_fmt(&rt_exc_TypeError, "'%s' is an invalid keyword argument for %s()", k, sp->name);
    else
        rt_raise_fmt(&rt_exc_TypeError, "%s() got an unexpected keyword argument '%s'", sp->name, k);
    return -1;
}

static int missing_argument(const RtArgSpec *sp, int j) {
    if (sp->clinic)
        rt_raise_fmt(&rt_exc_TypeError, "%s() missing required argument '%s' (pos %d)", sp->name, sp->kw[j], j + 1);
    else
        rt_raise_fmt(&rt_exc_TypeError, "%s() missing 1 required positional argument: '%s'", sp->name, sp->kw[j]);
    return -1;
}

/* Binds a native call's arguments to sp's parameters: out[i] receives a
 * borrowed reference, or NULL when the argument was not given. */
int rt__shared_bind(const RtArgSpec *sp, RtValue *const *args, size_t nargs,
                    RtValue *kwnames, RtValue **out) {
    for (int j = 0; j < sp->n; j++) out[j] = NULL;
    if (nargs > (size_t)sp->npos) return too_many_positional(sp, nargs);
    for (size_t i = 0; i < nargs; i++) out[i] = args[i];
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    for (size_t i = 0; i < nkw; i++)
        if (bind_keyword(sp, rt_str_data(RT_TUPLE_GET(kwnames, i)), args[nargs + i], nargs, out) < 0)
            return -1;
    for (int j = 0; j < sp->nreq; j++)
        if (!out[j]) return missing_argument(sp, j);
    return 0;
}

/* A call that takes no arguments at all: "SemLock.release() takes no arguments (1 given)". */
static int no_args(const char *name, size_t nargs, RtValue *kwnames) {
    if (nargs == 0 && (!kwnames || RT_TUPLE_LEN(kwnames) == 0)) return 0;
    if (nargs == 0) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", name);
        return -1;
    }
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%d given)", name, (int)nargs);
    return -1;
}

/* ==== thread and process identity ============================================ */

static _Thread_local int self_tid;
static int self_pid;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void sync_atfork_child(void) { self_tid = 0; self_pid = 0; }
static void sync_atfork_setup(void) { pthread_atfork(NULL, NULL, sync_atfork_child); }

static __attribute__((noinline)) int self_tid_init(void) {
    pthread_once(&atfork_once, sync_atfork_setup);
    self_tid = (int)syscall(SYS_gettid);
    return self_tid;
}

int rt_sync_self_tid(void) {
    return RT_LIKELY(self_tid != 0) ? self_tid : self_tid_init();
}

static int self_pid_cached(void) {
    if (RT_UNLIKELY(self_pid == 0)) {
        pthread_once(&atfork_once, sync_atfork_setup);
        self_pid = (int)getpid();
    }
    return self_pid;
}

/* Is process pid still running? A zombie (killed, not yet reaped) is dead. */
static bool process_alive(int pid) {
    if (pid <= 0 || pid == self_pid_cached()) return true;
    if (kill(pid, 0) < 0 && errno == ESRCH) return false;
    char path[48], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno != ENOENT;
    ssize_t n;
    do n = read(fd, buf, sizeof buf - 1); while (n < 0 && errno == EINTR);
    close(fd);
    if (n <= 0) return true;
    buf[n] = '\0';
    const char *rp = strrchr(buf, ')');   /* the command name may hold spaces */
    if (!rp || rp[1] != ' ') return true;
    return rp[2] != 'Z' && rp[2] != 'X';
}

/* ==== process-shared pthread helpers ========================================= */

int rt_shm_mutex_init(pthread_mutex_t *m) {
    pthread_mutexattr_t a;
    int e = pthread_mutexattr_init(&a);
    if (e) return rt_raise_errno(e, NULL), -1;
    e = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    if (!e) e = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (!e) e = pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
    if (e) return rt_raise_errno(e, NULL), -1;
    return 0;
}

int rt_shm_cond_init(pthread_cond_t *c) {
    pthread_condattr_t a;
    int e = pthread_condattr_init(&a);
    if (e) return rt_raise_errno(e, NULL), -1;
    e = pthread_condattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    if (!e) e = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    if (!e) e = pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
    if (e) return rt_raise_errno(e, NULL), -1;
    return 0;
}

/* Maps a pthread result onto RT_SHM_*: EOWNERDEAD makes the mutex usable
 * again (its owner died mid-update; the caller repairs what it guards). */
static int lock_result(pthread_mutex_t *m, int e) {
    switch (e) {
    case 0:          return RT_SHM_OK;
    case EOWNERDEAD: pthread_mutex_consistent(m); return RT_SHM_OWNERDEAD;
    case ETIMEDOUT:
    case EBUSY:      return RT_SHM_TIMEDOUT;
    default:         rt_raise_errno(e, NULL); return -1;
    }
}

int rt_shm_mutex_lock(pthread_mutex_t *m) {
    int e = pthread_mutex_lock(m);
    return RT_LIKELY(e == 0) ? RT_SHM_OK : lock_result(m, e);
}

int rt_shm_mutex_timedlock(pthread_mutex_t *m, const struct timespec *deadline) {
    if (!deadline) return rt_shm_mutex_lock(m);
    return lock_result(m, pthread_mutex_clocklock(m, CLOCK_MONOTONIC, deadline));
}

int rt_shm_mutex_trylock(pthread_mutex_t *m) {
    return lock_result(m, pthread_mutex_trylock(m));
}

void rt_shm_mutex_unlock(pthread_mutex_t *m) {
    pthread_mutex_unlock(m);
}

int rt_shm_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *deadline) {
    int e = deadline ? pthread_cond_clockwait(c, m, CLOCK_MONOTONIC, deadline)
                     : pthread_cond_wait(c, m);
    return lock_result(m, e);
}

void rt_shm_deadline(double seconds, struct timespec *out) {
    clock_gettime(CLOCK_MONOTONIC, out);
    if (!(seconds > 0)) return;                 /* 0, negative: now */
    if (seconds > 1e9) seconds = 1e9;           /* ~31 years: effectively forever */
    double whole = floor(seconds);
    out->tv_sec += (time_t)whole;
    out->tv_nsec += (long)((seconds - whole) * 1e9);
    if (out->tv_nsec >= 1000000000L) { out->tv_sec++; out->tv_nsec -= 1000000000L; }
}

static bool deadline_passed(const struct timespec *d) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > d->tv_sec || (now.tv_sec == d->tv_sec && now.tv_nsec >= d->tv_nsec);
}

/* The earlier of `deadline` (may be NULL) and now + ms milliseconds. */
static void slice_deadline(const struct timespec *deadline, long ms, struct timespec *out) {
    rt_shm_deadline(ms / 1000.0, out);
    if (deadline && (deadline->tv_sec < out->tv_sec ||
                     (deadline->tv_sec == out->tv_sec && deadline->tv_nsec < out->tv_nsec)))
        *out = *deadline;
}

/* ==== the shared state of each primitive ===================================== */

enum { K_LOCK, K_RLOCK, K_SEM, K_BSEM, K_EVENT, K_COND, K_BARRIER };

typedef struct SemState {          /* Lock, Semaphore, BoundedSemaphore */
    pthread_mutex_t m;
    pthread_cond_t  c;
    int32_t value, maxvalue;
    int32_t nwaiters;
    int32_t owner_pid, owner_tid;  /* last acquirer of a Lock, 0 when free */
} SemState;

typedef struct RLockState {
    pthread_mutex_t m;             /* held by the owner for as long as it owns the RLock */
    _Atomic int32_t owner_tid;     /* written only by the owner, under m */
    int32_t owner_pid;
    int32_t count;
} RLockState;

typedef struct EventState {
    pthread_mutex_t m;
    pthread_cond_t  c;
    int32_t flag;
} EventState;

typedef struct CondState {
    pthread_mutex_t m;
    pthread_cond_t  c;
    uint64_t total_seq;            /* waiters registered, ever */
    uint64_t wakeup_seq;           /* wake-ups granted (and time-outs) */
    uint64_t woken_seq;            /* wake-ups consumed (and time-outs) */
    uint64_t bcast_seq;            /* notify_all generations */
    int32_t  nsleepers;            /* waiting now (for the repr) */
} CondState;

typedef struct BarrierState {
    pthread_mutex_t m;
    pthread_cond_t  c;
    int32_t parties, count;
    int32_t state;                 /* 0 filling, 1 draining, -1 resetting, -2 broken */
} BarrierState;

typedef struct RtSync {
    RtValue  ob;
    void    *state;                /* in the shared heap */
    int      kind;
    RtValue *lock;                 /* Condition: the lock object (owned) */
    bool     owns_state;           /* created here (freed on dealloc), not loaded */
    RtValue *action;               /* Barrier: callable or NULL (owned) */
    double   timeout;              /* Barrier: default timeout, < 0 = None */
} RtSync;

#define SYNC(o) ((RtSync *)(o))

static void *state_new(size_t size) {
    return rt_shm_alloc(size);
}

static RtValue *sync_alloc(RtType *type, int kind, void *state) {
    RtSync *s = (RtSync *)rt_obj_alloc(type, sizeof(RtSync));
    if (!s) { rt_shm_free(state); return NULL; }
    s->state = state;
    s->kind = kind;
    s->timeout = -1;
    s->owns_state = true;
    return &s->ob;
}

static void sync_dealloc(RtValue *self) {
    RtSync *s = SYNC(self);
    if (s->owns_state && s->kind == K_BARRIER) rt_mp_heap_free(s->state);
    if (s->owns_state) rt_shm_free(s->state);
    RT_CLEAR(s->lock);
    RT_CLEAR(s->action);
}

/* ==== Lock, Semaphore, BoundedSemaphore: counting semaphores ================= */

static RtValue *sem_new(RtType *type, int kind, int64_t value, int64_t maxvalue) {
    if (value < 0 || value > INT_MAX) return rt_raise_errno(EINVAL, NULL);
    SemState *st = state_new(sizeof *st);
    if (!st) return NULL;
    if (rt_shm_mutex_init(&st->m) < 0 || rt_shm_cond_init(&st->c) < 0) {
        rt_shm_free(st);
        return NULL;
    }
    st->value = (int32_t)value;
    st->maxvalue = (int32_t)maxvalue;
    RT_MP_LOG_SEMLOCKS(st, 1);
    return sync_alloc(type, kind, st);
}

/* A Lock whose holder died is free again. Called with st->m held. */
static void sem_reclaim_dead_owner(RtSync *l, SemState *st) {
    if (l->kind != K_LOCK || st->value != 0 || !st->owner_pid) return;
    if (process_alive(st->owner_pid)) return;
    st->value = 1;
    st->owner_pid = st->owner_tid = 0;
}

/* 1 acquired, 0 not, -1 error. */
static int sem_acquire(RtSync *l, bool block, const struct timespec *deadline) {
    SemState *st = l->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return -1;
    while (st->value == 0) {
        if (!block || (deadline && deadline_passed(deadline))) {
            rt_shm_mutex_unlock(&st->m);
            return 0;
        }
        struct timespec slice;
        slice_deadline(deadline, 100, &slice);
        st->nwaiters++;
        int r = rt_shm_cond_wait(&st->c, &st->m, &slice);
        st->nwaiters--;
        if (r < 0) { rt_shm_mutex_unlock(&st->m); return -1; }
        if (r != RT_SHM_OK) sem_reclaim_dead_owner(l, st);
    }
    st->value--;
    st->owner_pid = self_pid_cached();
    st->owner_tid = rt_sync_self_tid();
    rt_shm_mutex_unlock(&st->m);
    return 1;
}

static int sem_release(RtSync *l) {
    SemState *st = l->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return -1;
    if (st->value >= st->maxvalue) {
        rt_shm_mutex_unlock(&st->m);
        if (l->kind == K_SEM) return rt_raise_errno(EOVERFLOW, NULL), -1;
        rt_raise(&rt_exc_ValueError, "semaphore or lock released too many times");
        return -1;
    }
    st->value++;
    st->owner_pid = st->owner_tid = 0;
    if (st->nwaiters) pthread_cond_signal(&st->c);
    rt_shm_mutex_unlock(&st->m);
    return 0;
}

/* ==== RLock: a robust mutex plus an owner and a count ========================= */

static RtValue *rlock_new(RtType *type) {
    RLockState *st = state_new(sizeof *st);
    if (!st) return NULL;
    if (rt_shm_mutex_init(&st->m) < 0) { rt_shm_free(st); return NULL; }
    RT_MP_LOG_SEMLOCKS(st, 1);
    return sync_alloc(type, K_RLOCK, st);
}

static inline bool rlock_is_mine(RLockState *st) {
    return atomic_load_explicit(&st->owner_tid, memory_order_relaxed) == rt_sync_self_tid();
}

static int rlock_acquire(RtSync *l, bool block, const struct timespec *deadline) {
    RLockState *st = l->state;
    if (rlock_is_mine(st)) { st->count++; return 1; }
    int r = block ? rt_shm_mutex_timedlock(&st->m, deadline) : rt_shm_mutex_trylock(&st->m);
    if (r < 0) return -1;
    if (r == RT_SHM_TIMEDOUT) return 0;
    /* RT_SHM_OWNERDEAD: the dead owner's count and id are simply overwritten. */
    atomic_store_explicit(&st->owner_tid, rt_sync_self_tid(), memory_order_relaxed);
    st->owner_pid = self_pid_cached();
    st->count = 1;
    return 1;
}

static int rlock_release(RtSync *l) {
    RLockState *st = l->state;
    if (!rlock_is_mine(st)) {
        rt_raise(&rt_exc_AssertionError, "attempt to release recursive lock not owned by thread");
        return -1;
    }
    if (--st->count == 0) {
        st->owner_pid = 0;
        atomic_store_explicit(&st->owner_tid, 0, memory_order_relaxed);
        rt_shm_mutex_unlock(&st->m);
    }
    return 0;
}

/* ==== the common lock interface =============================================== */

bool rt_mp_is_lock(const RtValue *o) {
    const RtType *t = o->type;
    return t == &rt_mp_Lock || t == &rt_mp_RLock || t == &rt_mp_Semaphore || t == &rt_mp_BoundedSemaphore;
}

static int lock_acquire_deadline(RtSync *l, bool block, const struct timespec *deadline) {
    return l->kind == K_RLOCK ? rlock_acquire(l, block, deadline) : sem_acquire(l, block, deadline);
}

/* Everything but a nested RLock acquire: kept out of line so that the hot
 * path below stays a handful of instructions. */
static __attribute__((noinline)) int lock_acquire_slow(RtSync *l, bool block, double timeout) {
    if (l->kind == K_RLOCK && block && timeout < 0) {
        /* a first acquire: pthread_mutex_lock, inline here for `with` */
        RLockState *st = l->state;
        int e = pthread_mutex_lock(&st->m);
        if (RT_UNLIKELY(e != 0) && lock_result(&st->m, e) < 0) return -1;   /* EOWNERDEAD: ours now */
        atomic_store_explicit(&st->owner_tid, rt_sync_self_tid(), memory_order_relaxed);
        st->owner_pid = self_pid_cached();
        st->count = 1;
        return 1;
    }
    if (timeout < 0 || !block) return lock_acquire_deadline(l, block, NULL);
    struct timespec d;
    rt_shm_deadline(timeout, &d);
    return lock_acquire_deadline(l, block, &d);
}

int rt_mp_lock_acquire(RtValue *lock, bool block, double timeout) {
    RtSync *l = SYNC(lock);
    if (RT_LIKELY(l->kind == K_RLOCK)) {
        /* the hot path of v.value inside `with v.get_lock():` */
        RLockState *st = l->state;
        if (atomic_load_explicit(&st->owner_tid, memory_order_relaxed) == rt_sync_self_tid()) {
            st->count++;
            return 1;
        }
    }
    return lock_acquire_slow(l, block, timeout);
}

static __attribute__((noinline)) int lock_release_slow(RtSync *l) {
    if (l->kind != K_RLOCK) return sem_release(l);
    RLockState *st = l->state;
    if (atomic_load_explicit(&st->owner_tid, memory_order_relaxed) != rt_sync_self_tid())
        return rlock_release(l);     /* raises */
    st->owner_pid = 0;               /* the last release: count is 1 */
    st->count = 0;
    atomic_store_explicit(&st->owner_tid, 0, memory_order_relaxed);
    pthread_mutex_unlock(&st->m);
    return 0;
}

int rt_mp_lock_release(RtValue *lock) {
    RtSync *l = SYNC(lock);
    if (RT_LIKELY(l->kind == K_RLOCK)) {
        RLockState *st = l->state;
        if (atomic_load_explicit(&st->owner_tid, memory_order_relaxed) == rt_sync_self_tid() &&
            st->count > 1) {
            st->count--;
            return 0;
        }
    }
    return lock_release_slow(l);
}

/* Does the calling thread hold this Lock/RLock (SemLock._is_mine)? */
static bool lock_is_mine(RtSync *l) {
    if (l->kind == K_RLOCK) return rlock_is_mine(l->state);
    SemState *st = l->state;
    return st->value == 0 && st->owner_tid == rt_sync_self_tid();
}

/* How many times the calling thread holds it (SemLock._count). */
static int lock_count(RtSync *l) {
    if (l->kind == K_RLOCK) return rlock_is_mine(l->state) ? ((RLockState *)l->state)->count : 0;
    return lock_is_mine(l) ? 1 : 0;
}

/* timeout argument: None -> -1; a number (negative means 0) as CPython's SemLock. */
static int parse_timeout(RtValue *v, double *out) {
    *out = -1;
    if (!v || v == rt_None) return 0;
    double t;
    if (rt_as_double(v, &t) < 0) return -1;
    *out = t < 0 ? 0 : t;
    return 0;
}

static const char *const acquire_kw[] = {"block", "timeout"};
static const RtArgSpec acquire_spec = {"acquire", acquire_kw, 2, 2, 0, true, false};

RtValue *rt_mp_lock_m_acquire(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    bool block = true;
    double timeout = -1;
    if (nargs || kwnames) {
        RtValue *a[2];
        if (rt__shared_bind(&acquire_spec, args, nargs, kwnames, a) < 0) return NULL;
        if (a[0]) {
            int t = rt_truthy(a[0]);
            if (t < 0) return NULL;
            block = t;
        }
        if (parse_timeout(a[1], &timeout) < 0) return NULL;
    }
    int r = rt_mp_lock_acquire(self, block, timeout);
    return r < 0 ? NULL : rt_bool(r);
}

RtValue *rt_mp_lock_m_release(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("SemLock.release", nargs, kwnames) < 0) return NULL;
    if (rt_mp_lock_release(self) < 0) return NULL;
    return rt_None;
}

static RtValue *lock_m_enter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args; (void)nargs; (void)kwnames;
    int r = rt_mp_lock_acquire(self, true, -1);
    return r < 0 ? NULL : rt_bool(r);
}

static RtValue *lock_m_exit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args; (void)nargs; (void)kwnames;
    if (rt_mp_lock_release(self) < 0) return NULL;
    return rt_None;
}

static RtValue *sem_m_get_value(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("get_value", nargs, kwnames) < 0) return NULL;
    return rt_int(((SemState *)SYNC(self)->state)->value);
}

/* ---- reprs ---- */

/* current_process().name, from proc.c when it is linked in. */
extern RtValue *rt_mp_current_process(RtValue *, RtValue *const *, size_t, RtValue *) __attribute__((weak));

static RtValue *current_process_name(void) {
    if (!rt_mp_current_process) return rt_str_from_cstr("MainProcess");
    RtValue *p = rt_mp_current_process(NULL, NULL, 0, NULL);
    if (!p) return NULL;
    RtValue *name = rt_getattr(p, "name");
    rt_decref(p);
    return name;
}

/* "<Lock(owner=MainProcess)>", "<Lock(owner=None)>", "<Lock(owner=SomeOtherProcess)>" */
static RtValue *lock_repr(RtValue *self) {
    RtSync *l = SYNC(self);
    SemState *st = l->state;
    if (lock_is_mine(l)) {
        RtValue *name = current_process_name();
        if (!name) return NULL;
        RtValue *parts[3] = {rt_str_new("<Lock(owner=", 12), name, rt_str_new(")>", 2)};
        RtValue *r = parts[0] && parts[2] ? rt_str_build(parts, 3) : NULL;
        for (int i = 0; i < 3; i++) rt_xdecref(parts[i]);
        return r;
    }
    const char *who = st->value > 0 ? "None"
                    : st->owner_pid == self_pid_cached() ? "SomeOtherThread" : "SomeOtherProcess";
    char buf[64];
    snprintf(buf, sizeof buf, "<Lock(owner=%s)>", who);
    return rt_str_from_cstr(buf);
}

/* "<RLock(MainProcess, 2)>", "<RLock(None, 0)>", "<RLock(SomeOtherProcess, nonzero)>" */
static RtValue *rlock_repr(RtValue *self) {
    RLockState *st = SYNC(self)->state;
    char buf[96];
    if (rlock_is_mine(st)) {
        RtValue *name = current_process_name();
        if (!name) return NULL;
        snprintf(buf, sizeof buf, ", %d)>", (int)st->count);
        RtValue *parts[3] = {rt_str_new("<RLock(", 7), name, rt_str_from_cstr(buf)};
        RtValue *r = parts[0] && parts[2] ? rt_str_build(parts, 3) : NULL;
        for (int i = 0; i < 3; i++) rt_xdecref(parts[i]);
        return r;
    }
    int32_t owner = atomic_load_explicit(&st->owner_tid, memory_order_relaxed);
    if (owner == 0)
        return rt_str_from_cstr("<RLock(None, 0)>");
    snprintf(buf, sizeof buf, "<RLock(%s, nonzero)>",
             st->owner_pid == self_pid_cached() ? "SomeOtherThread" : "SomeOtherProcess");
    return rt_str_from_cstr(buf);
}

static RtValue *sem_repr(RtValue *self) {
    RtSync *l = SYNC(self);
    SemState *st = l->state;
    char buf[96];
    if (l->kind == K_BSEM)
        snprintf(buf, sizeof buf, "<BoundedSemaphore(value=%d, maxvalue=%d)>", (int)st->value, (int)st->maxvalue);
    else
        snprintf(buf, sizeof buf, "<Semaphore(value=%d)>", (int)st->value);
    return rt_str_from_cstr(buf);
}

/* ---- constructors ---- */

static RtValue *lock_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Lock", nargs, kwnames) < 0) return NULL;
    rt_mp_default_context_use();   /* Lock(ctx=self.get_context()) */
    return sem_new(type, K_LOCK, 1, 1);
}

static RtValue *rlock_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("RLock", nargs, kwnames) < 0) return NULL;
    rt_mp_default_context_use();
    return rlock_new(type);
}

static const char *const sem_kw[] = {"value"};

static RtValue *semaphore_construct_kind(RtType *type, int kind, RtValue *const *args, size_t nargs,
                                         RtValue *kwnames) {
    const RtArgSpec sp = {kind == K_BSEM ? "BaseContext.BoundedSemaphore" : "BaseContext.Semaphore",
                          sem_kw, 1, 1, 0, false, true};
    RtValue *a[1];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    rt_mp_default_context_use();
    int64_t value = 1;
    if (a[0] && rt_int_as_i64(a[0], &value) < 0) return NULL;
    return sem_new(type, kind, value, kind == K_BSEM ? value : INT_MAX);
}

static RtValue *semaphore_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return semaphore_construct_kind(type, K_SEM, args, nargs, kwnames);
}

static RtValue *bsemaphore_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return semaphore_construct_kind(type, K_BSEM, args, nargs, kwnames);
}

/* ==== serialization: a handle travels as a reference to its shared state ==== */

static int sync_ser_dump(RtValue *self, struct RtBuf *buf) {
    RtSync *s = SYNC(self);
    int32_t kind = s->kind;
    /* CPython pickles an Event or a Barrier through its Condition first */
    bool cond_first = kind == K_EVENT || kind == K_COND || kind == K_BARRIER;
    if (rt__shared_assert_spawning(cond_first ? "Condition" : self->type->name) < 0) return -1;
    if (rt__shared_put(buf, &kind, sizeof kind) < 0) return -1;
    if (rt_shm_dump_ref(buf, s->state) < 0) return -1;
    if (kind == K_COND) return rt_ser_dump(buf, s->lock);
    if (kind == K_BARRIER) {
        if (rt__shared_put(buf, &s->timeout, sizeof s->timeout) < 0) return -1;
        return rt_ser_dump(buf, s->action ? s->action : rt_None);
    }
    return 0;
}

static RtValue *sync_ser_load(RtType *type, struct RtBuf *buf) {
    int32_t kind;
    if (rt__shared_get(buf, &kind, sizeof kind) < 0) return NULL;
    void *state = rt_shm_load_ref(buf);
    if (!state) return NULL;
    RtSync *s = (RtSync *)rt_obj_alloc(type, sizeof(RtSync));
    if (!s) return NULL;
    s->state = state;            /* mapped, not allocated here: rt_shm_free ignores it */
    s->kind = kind;
    s->timeout = -1;
    if (kind == K_COND && !(s->lock = rt_ser_load(buf))) goto fail;
    if (kind == K_BARRIER) {
        if (rt__shared_get(buf, &s->timeout, sizeof s->timeout) < 0) goto fail;
        RtValue *a = rt_ser_load(buf);
        if (!a) goto fail;
        if (a == rt_None) rt_decref(a); else s->action = a;
    }
    return &s->ob;
fail:
    rt_decref(&s->ob);
    return NULL;
}

/* ==== the lock types ============================================================ */

/* `with` looks up __exit__ and __enter__ on every use: they come first. */
static const RtMethodDef lock_methods[] = {
    {"__enter__", lock_m_enter},
    {"__exit__", lock_m_exit},
    {"acquire", rt_mp_lock_m_acquire},
    {"release", rt_mp_lock_m_release},
    {NULL, NULL},
};

static const RtMethodDef sem_methods[] = {
    {"__enter__", lock_m_enter},
    {"__exit__", lock_m_exit},
    {"acquire", rt_mp_lock_m_acquire},
    {"release", rt_mp_lock_m_release},
    {"get_value", sem_m_get_value},
    {NULL, NULL},
};

#define SYNC_TYPE(cname, pyname, reprfn, cons, meths, gs)                  \
    RtType cname = {                                                     \
        .ob = RT_STATIC_HEAD(&rt_type_type),                             \
        .name = pyname,                                                  \
        .module = "multiprocessing.synchronize",                         \
        .tag = RT_T_NATIVE,                                              \
        .size = sizeof(RtSync),                                          \
        .table_index = -1,                                               \
        .dealloc = sync_dealloc,                                         \
        .repr = reprfn,                                                  \
        .construct = cons,                                               \
        .ser_dump = sync_ser_dump,                                       \
        .ser_load = sync_ser_load,                                       \
        .methods = meths,                                                \
        .getset = gs,                                                    \
    }

SYNC_TYPE(rt_mp_Lock, "Lock", lock_repr, lock_construct, lock_methods, NULL);
SYNC_TYPE(rt_mp_RLock, "RLock", rlock_repr, rlock_construct, lock_methods, NULL);
SYNC_TYPE(rt_mp_Semaphore, "Semaphore", sem_repr, semaphore_construct, sem_methods, NULL);
SYNC_TYPE(rt_mp_BoundedSemaphore, "BoundedSemaphore", sem_repr, bsemaphore_construct, sem_methods, NULL);

/* ==== Event ======================================================================= */

static RtValue *event_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Event", nargs, kwnames) < 0) return NULL;
    rt_mp_default_context_use();
    EventState *st = state_new(sizeof *st);
    if (!st) return NULL;
    if (rt_shm_mutex_init(&st->m) < 0 || rt_shm_cond_init(&st->c) < 0) { rt_shm_free(st); return NULL; }
    RT_MP_LOG_SEMLOCKS(st, 5);   /* CPython: Condition(Lock()) and a Semaphore */
    return sync_alloc(type, K_EVENT, st);
}

static int event_flag(RtSync *e) {
    EventState *st = e->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return -1;
    int f = st->flag;
    rt_shm_mutex_unlock(&st->m);
    return f;
}

static RtValue *event_set_flag(RtValue *self, int flag) {
    EventState *st = SYNC(self)->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return NULL;
    st->flag = flag;
    if (flag) pthread_cond_broadcast(&st->c);
    rt_shm_mutex_unlock(&st->m);
    return rt_None;
}

static RtValue *event_m_set(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Event.set", nargs, kwnames) < 0) return NULL;
    return event_set_flag(self, 1);
}

static RtValue *event_m_clear(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Event.clear", nargs, kwnames) < 0) return NULL;
    return event_set_flag(self, 0);
}

static RtValue *event_m_is_set(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Event.is_set", nargs, kwnames) < 0) return NULL;
    int f = event_flag(SYNC(self));
    return f < 0 ? NULL : rt_bool(f);
}

static const char *const timeout_kw[] = {"timeout"};

static RtValue *event_m_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const RtArgSpec sp = {"Event.wait", timeout_kw, 1, 1, 0, false, true};
    RtValue *a[1];
    double timeout;
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0 || parse_timeout(a[0], &timeout) < 0)
        return NULL;
    struct timespec d, *dp = NULL;
    if (timeout >= 0) { rt_shm_deadline(timeout, &d); dp = &d; }
    EventState *st = SYNC(self)->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return NULL;
    while (!st->flag) {
        int r = rt_shm_cond_wait(&st->c, &st->m, dp);
        if (r < 0) { rt_shm_mutex_unlock(&st->m); return NULL; }
        if (r == RT_SHM_TIMEDOUT) break;
    }
    int f = st->flag;
    rt_shm_mutex_unlock(&st->m);
    return rt_bool(f);
}

/* "<Event at 0x7f... unset>" */
static RtValue *event_repr(RtValue *self) {
    int f = event_flag(SYNC(self));
    if (f < 0) return NULL;
    char buf[64];
    snprintf(buf, sizeof buf, "<Event at %p %s>", (void *)self, f ? "set" : "unset");
    return rt_str_from_cstr(buf);
}

static const RtMethodDef event_methods[] = {
    {"set", event_m_set},
    {"clear", event_m_clear},
    {"is_set", event_m_is_set},
    {"wait", event_m_wait},
    {NULL, NULL},
};

SYNC_TYPE(rt_mp_Event, "Event", event_repr, event_construct, event_methods, NULL);

/* ==== Condition ===================================================================== */

static const char *const cond_kw[] = {"lock"};

static RtValue *condition_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const RtArgSpec sp = {"BaseContext.Condition", cond_kw, 1, 1, 0, false, true};
    RtValue *a[1];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    rt_mp_default_context_use();
    RtValue *lock;
    if (!a[0] || a[0] == rt_None) {
        if (!(lock = rlock_new(&rt_mp_RLock))) return NULL;
    } else if (rt_mp_is_lock(a[0])) {
        lock = rt_newref(a[0]);
    } else {
        return rt_raise_fmt(&rt_exc_TypeError, "Condition() needs a multiprocessing lock, not '%s'",
                            rt_type_name(a[0]));
    }
    CondState *st = state_new(sizeof *st);
    if (!st || rt_shm_mutex_init(&st->m) < 0 || rt_shm_cond_init(&st->c) < 0) {
        rt_shm_free(st);
        rt_decref(lock);
        return NULL;
    }
    RT_MP_LOG_SEMLOCKS(st, 3);   /* CPython's three Semaphores besides the lock */
    RtValue *c = sync_alloc(type, K_COND, st);
    if (!c) { rt_decref(lock); return NULL; }
    SYNC(c)->lock = lock;
    return c;
}

/* Releases the condition's lock completely; returns how often it was held. */
static int cond_release_all(RtSync *lock) {
    int count = lock_count(lock);
    if (lock->kind == K_RLOCK) {
        RLockState *st = lock->state;
        st->count = 1;               /* one release below drops it */
    }
    if (rt_mp_lock_release(&lock->ob) < 0) return -1;
    return count;
}

static int cond_reacquire(RtSync *lock, int count) {
    if (lock_acquire_deadline(lock, true, NULL) < 0) return -1;
    if (lock->kind == K_RLOCK) ((RLockState *)lock->state)->count = count;
    return 0;
}

/* Waits on the condition's counters until notified or the deadline; 1 or 0. */
static int cond_sleep(CondState *st, uint64_t seq, uint64_t bc, const struct timespec *deadline) {
    bool timed_out = false;
    int woken = 0;
    for (;;) {
        if (st->bcast_seq != bc) { woken = 1; break; }
        uint64_t val = st->wakeup_seq;
        if (val != seq && st->woken_seq != val) { st->woken_seq++; woken = 1; break; }
        if (timed_out) { st->wakeup_seq++; st->woken_seq++; break; }   /* absorb no wake-up */
        int r = rt_shm_cond_wait(&st->c, &st->m, deadline);
        if (r < 0) return -1;
        if (r == RT_SHM_TIMEDOUT) timed_out = true;
    }
    return woken;
}

static int condition_wait(RtSync *c, const struct timespec *deadline) {
    RtSync *lock = SYNC(c->lock);
    if (!lock_is_mine(lock)) {
        rt_raise(&rt_exc_AssertionError, "must acquire() condition before using wait()");
        return -1;
    }
    CondState *st = c->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return -1;
    st->total_seq++;
    st->nsleepers++;
    uint64_t seq = st->wakeup_seq, bc = st->bcast_seq;
    rt_shm_mutex_unlock(&st->m);

    int count = cond_release_all(lock);
    if (count < 0) return -1;
    if (rt_shm_mutex_lock(&st->m) < 0) return -1;
    int woken = cond_sleep(st, seq, bc, deadline);
    st->nsleepers--;
    rt_shm_mutex_unlock(&st->m);
    if (cond_reacquire(lock, count) < 0) return -1;
    return woken;
}

static RtValue *condition_m_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const RtArgSpec sp = {"Condition.wait", timeout_kw, 1, 1, 0, false, true};
    RtValue *a[1];
    double timeout;
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0 || parse_timeout(a[0], &timeout) < 0)
        return NULL;
    struct timespec d;
    if (timeout >= 0) rt_shm_deadline(timeout, &d);
    int r = condition_wait(SYNC(self), timeout >= 0 ? &d : NULL);
    return r < 0 ? NULL : rt_bool(r);
}

static double monotonic_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* wait_for(predicate, timeout=None): returns the predicate's last result. */
static RtValue *condition_m_wait_for(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const kw[] = {"predicate", "timeout"};
    static const RtArgSpec sp = {"Condition.wait_for", kw, 2, 2, 1, false, true};
    RtValue *a[2];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    double timeout = -1, end = 0;
    if (a[1] && a[1] != rt_None) {
        if (rt_as_double(a[1], &timeout) < 0) return NULL;
        end = monotonic_now() + timeout;
    }
    RtValue *result = rt_call(a[0], NULL, 0, NULL);
    for (;;) {
        if (!result) return NULL;
        int t = rt_truthy(result);
        if (t != 0) {
            if (t < 0) RT_CLEAR(result);
            return result;
        }
        struct timespec d, *dp = NULL;
        if (a[1] && a[1] != rt_None) {
            double wait = end - monotonic_now();
            if (wait <= 0) return result;
            rt_shm_deadline(wait, &d);
            dp = &d;
        }
        if (condition_wait(SYNC(self), dp) < 0) { rt_decref(result); return NULL; }
        rt_decref(result);
        result = rt_call(a[0], NULL, 0, NULL);
    }
}

static int condition_notify(RtSync *c, int64_t n) {
    if (!lock_is_mine(SYNC(c->lock))) {
        rt_raise(&rt_exc_AssertionError, "lock is not owned");
        return -1;
    }
    CondState *st = c->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return -1;
    int64_t woken = 0;
    if (n == INT64_MAX && st->total_seq > st->wakeup_seq) {
        st->wakeup_seq = st->woken_seq = st->total_seq;
        st->bcast_seq++;
        woken = 1;
    }
    for (; woken < n && st->total_seq > st->wakeup_seq; woken++) st->wakeup_seq++;
    if (woken) pthread_cond_broadcast(&st->c);
    rt_shm_mutex_unlock(&st->m);
    return 0;
}

static RtValue *condition_m_notify(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const kw[] = {"n"};
    static const RtArgSpec sp = {"Condition.notify", kw, 1, 1, 0, false, true};
    RtValue *a[1];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    int64_t n = 1;
    if (a[0] && rt_int_as_i64(a[0], &n) < 0) return NULL;
    return condition_notify(SYNC(self), n) < 0 ? NULL : rt_None;
}

static RtValue *condition_m_notify_all(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Condition.notify_all", nargs, kwnames) < 0) return NULL;
    return condition_notify(SYNC(self), INT64_MAX) < 0 ? NULL : rt_None;
}

static RtValue *condition_m_acquire(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return rt_mp_lock_m_acquire(SYNC(self)->lock, args, nargs, kwnames);
}

static RtValue *condition_m_release(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return rt_mp_lock_m_release(SYNC(self)->lock, args, nargs, kwnames);
}

static RtValue *condition_m_enter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return lock_m_enter(SYNC(self)->lock, args, nargs, kwnames);
}

static RtValue *condition_m_exit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return lock_m_exit(SYNC(self)->lock, args, nargs, kwnames);
}

/* "<Condition(<RLock(None, 0)>, 0)>" */
static RtValue *condition_repr(RtValue *self) {
    RtSync *c = SYNC(self);
    RtValue *lr = rt_repr(c->lock);
    if (!lr) return NULL;
    char tail[32];
    snprintf(tail, sizeof tail, ", %d)>", (int)((CondState *)c->state)->nsleepers);
    RtValue *parts[3] = {rt_str_new("<Condition(", 11), lr, rt_str_from_cstr(tail)};
    RtValue *r = parts[0] && parts[2] ? rt_str_build(parts, 3) : NULL;
    for (int i = 0; i < 3; i++) rt_xdecref(parts[i]);
    return r;
}

static const RtMethodDef condition_methods[] = {
    {"acquire", condition_m_acquire},
    {"release", condition_m_release},
    {"wait", condition_m_wait},
    {"wait_for", condition_m_wait_for},
    {"notify", condition_m_notify},
    {"notify_all", condition_m_notify_all},
    {"__enter__", condition_m_enter},
    {"__exit__", condition_m_exit},
    {NULL, NULL},
};

SYNC_TYPE(rt_mp_Condition, "Condition", condition_repr, condition_construct, condition_methods, NULL);

/* ==== Barrier: threading.Barrier's state machine on shared integers ============== */

static RtValue *barrier_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const kw[] = {"parties", "action", "timeout"};
    static const RtArgSpec sp = {"BaseContext.Barrier", kw, 3, 3, 1, false, true};
    RtValue *a[3];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    rt_mp_default_context_use();
    int64_t parties;
    double timeout;
    if (rt_int_as_i64(a[0], &parties) < 0 || parse_timeout(a[2], &timeout) < 0) return NULL;
    if (parties < INT_MIN || parties > INT_MAX)
        return rt_raise(&rt_exc_OverflowError, "signed integer is greater than maximum");
    BarrierState *st = state_new(sizeof *st);
    if (!st || rt_shm_mutex_init(&st->m) < 0 || rt_shm_cond_init(&st->c) < 0) {
        rt_shm_free(st);
        return NULL;
    }
    st->parties = (int32_t)parties;
    rt_mp_heap_malloc(st, 8);    /* CPython: BufferWrapper for two ints, then Condition() */
    RT_MP_LOG_SEMLOCKS(st, 4);
    RtValue *b = sync_alloc(type, K_BARRIER, st);
    if (!b) return NULL;
    SYNC(b)->timeout = timeout;
    if (a[1] && a[1] != rt_None) SYNC(b)->action = rt_newref(a[1]);
    return b;
}

static RtValue *broken_barrier(void) {
    return rt_raise_value((RtValue *)&rt_exc_BrokenBarrierError);
}

/* Holding st->m: the barrier breaks, everyone waiting is woken. */
static void barrier_break(BarrierState *st) {
    st->state = -2;
    pthread_cond_broadcast(&st->c);
}

/* Holding st->m: the last one out ends a drain or a reset. */
static void barrier_exit(BarrierState *st) {
    if (st->count == 0 && (st->state == -1 || st->state == 1)) {
        st->state = 0;
        pthread_cond_broadcast(&st->c);
    }
}

/* The last party runs the action, then lets everyone go (0, or -1 if it raised). */
static int barrier_release(RtSync *b, BarrierState *st) {
    if (b->action) {
        RtValue *r = rt_call(b->action, NULL, 0, NULL);
        if (!r) { barrier_break(st); return -1; }
        rt_decref(r);
    }
    st->state = 1;
    pthread_cond_broadcast(&st->c);
    return 0;
}

/* Waits while the barrier fills; 0 released, -1 broken (exception set). */
static int barrier_wait_filled(BarrierState *st, const struct timespec *deadline) {
    while (st->state == 0) {
        int r = rt_shm_cond_wait(&st->c, &st->m, deadline);
        if (r < 0) return -1;
        if (r == RT_SHM_TIMEDOUT && st->state == 0) {
            barrier_break(st);
            broken_barrier();
            return -1;
        }
    }
    if (st->state < 0) { broken_barrier(); return -1; }
    return 0;
}

static RtValue *barrier_m_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const RtArgSpec sp = {"Barrier.wait", timeout_kw, 1, 1, 0, false, true};
    RtValue *a[1];
    double timeout;
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0 || parse_timeout(a[0], &timeout) < 0)
        return NULL;
    RtSync *b = SYNC(self);
    if (!a[0] || a[0] == rt_None) timeout = b->timeout;
    struct timespec d;
    if (timeout >= 0) rt_shm_deadline(timeout, &d);
    BarrierState *st = b->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return NULL;
    while (st->state == -1 || st->state == 1)          /* draining or resetting */
        if (rt_shm_cond_wait(&st->c, &st->m, NULL) < 0) goto fail;
    if (st->state < 0) { broken_barrier(); goto fail; }
    int index = st->count++;
    int r = index + 1 == st->parties ? barrier_release(b, st)
                                     : barrier_wait_filled(st, timeout >= 0 ? &d : NULL);
    st->count--;
    barrier_exit(st);
    rt_shm_mutex_unlock(&st->m);
    return r < 0 ? NULL : rt_int(index);
fail:
    rt_shm_mutex_unlock(&st->m);
    return NULL;
}

static RtValue *barrier_m_reset(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Barrier.reset", nargs, kwnames) < 0) return NULL;
    BarrierState *st = SYNC(self)->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return NULL;
    if (st->count > 0) {
        if (st->state == 0 || st->state == -2) st->state = -1;
    } else {
        st->state = 0;
    }
    pthread_cond_broadcast(&st->c);
    rt_shm_mutex_unlock(&st->m);
    return rt_None;
}

static RtValue *barrier_m_abort(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Barrier.abort", nargs, kwnames) < 0) return NULL;
    BarrierState *st = SYNC(self)->state;
    if (rt_shm_mutex_lock(&st->m) < 0) return NULL;
    barrier_break(st);
    rt_shm_mutex_unlock(&st->m);
    return rt_None;
}

static RtValue *barrier_get_parties(RtValue *self) {
    return rt_int(((BarrierState *)SYNC(self)->state)->parties);
}

static RtValue *barrier_get_n_waiting(RtValue *self) {
    BarrierState *st = SYNC(self)->state;
    return rt_int(st->state == 0 ? st->count : 0);
}

static RtValue *barrier_get_broken(RtValue *self) {
    return rt_bool(((BarrierState *)SYNC(self)->state)->state == -2);
}

/* "<multiprocessing.synchronize.Barrier at 0x...: waiters=0/2>" or "...: broken>" */
static RtValue *barrier_repr(RtValue *self) {
    BarrierState *st = SYNC(self)->state;
    char buf[128];
    if (st->state == -2)
        snprintf(buf, sizeof buf, "<multiprocessing.synchronize.Barrier at %p: broken>", (void *)self);
    else
        snprintf(buf, sizeof buf, "<multiprocessing.synchronize.Barrier at %p: waiters=%d/%d>",
                 (void *)self, st->state == 0 ? (int)st->count : 0, (int)st->parties);
    return rt_str_from_cstr(buf);
}

static const RtMethodDef barrier_methods[] = {
    {"wait", barrier_m_wait},
    {"reset", barrier_m_reset},
    {"abort", barrier_m_abort},
    {NULL, NULL},
};

static const RtGetSetDef barrier_getset[] = {
    {"parties", barrier_get_parties, NULL},
    {"n_waiting", barrier_get_n_waiting, NULL},
    {"broken", barrier_get_broken, NULL},
    {NULL, NULL, NULL},
};

SYNC_TYPE(rt_mp_Barrier, "Barrier", barrier_repr, barrier_construct, barrier_methods, barrier_getset);

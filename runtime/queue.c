/* queue.c: multiprocessing.Queue, JoinableQueue and SimpleQueue on a shared
 * ring of records.
 *
 * Key idea. CPython moves queue items through a pipe, with a feeder thread
 * that pickles and writes in the background. We copy each item, serialized,
 * straight into a ring buffer in shared memory instead, so a put is a memcpy
 * under a lock and a get is the same in reverse; nobody makes a system call
 * unless it must sleep or wake a sleeper.
 *
 * The ring lives in a memfd. Page 0 holds the header (ChanShared: the robust
 * process-shared mutex, the futex words, the positions); the data area is a
 * second mapping of the same file from offset 4096. Only the data mapping is
 * ever resized, so the mutex never moves (the kernel's robust-futex list
 * records its address). Positions (head, tail) are monotonic byte counters:
 * a record at position p starts at p mod cap. Each record is an 8-byte
 * length followed by the payload, padded to 8 bytes.
 *
 * Growth: an unbounded queue never blocks for room. When a record does not
 * fit, the writer doubles the file (ftruncate), mremaps its view and moves
 * the part of the live range that now maps elsewhere, then publishes the new
 * capacity; the others remap when they next take the lock. Limit: 64 GiB of
 * queued bytes (MemoryError past it, or earlier if the kernel refuses). The
 * ring never shrinks, but when a grown ring (1 MiB or more) runs empty, its
 * pages go back to the kernel (fallocate PUNCH_HOLE, at most every 100 ms),
 * so a burst does not pin its memory for the queue's lifetime.
 *
 * Dead processes. The mutex is robust: if its owner dies, the next locker
 * gets EOWNERDEAD, marks it consistent, and rebuilds the item count by
 * walking the records (each commit moves a position first and a count
 * second, so only the count can be stale). Waiters sleep on sequence words
 * and are woken all at once (FUTEX_WAKE INT_MAX), so a woken process that
 * dies before taking the item cannot strand it. A getter killed while
 * copying leaves the record in place for the next one.
 *
 * What the putting process itself sees. In CPython a put() only appends to
 * a buffer; the feeder thread writes it to the pipe once the main thread
 * lets go of the GIL (it blocks, or its 5 ms switch interval runs out). So
 * `q.put(1); q.empty()` is True, nearly always. We copy at once, but keep
 * that view: items this process put less than 5 ms ago, since it last
 * blocked on the queue, do not count for its own empty() (qsize() and full()
 * count them, as CPython's semaphore does). Gets take them: what CPython's
 * get_nowait() sees right after a put varies from run to run. SimpleQueue
 * has no feeder, so none of this applies to it.
 */
#include "mp2c.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define HDR_SIZE   4096u                 /* page 0 of the memfd: ChanShared */
#define INIT_CAP   (64u * 1024)          /* first data area; a power of two */
#define MAX_CAP    ((uint64_t)1 << 36)   /* 64 GiB: past this put() raises MemoryError */
#define SPIN_NS    20000                 /* poll this long before sleeping */
#define SEM_VALUE_MAX_PY 2147483647      /* CPython's maxsize for "unbounded" */
#define TRIM_CAP   ((uint64_t)1 << 20)   /* an empty ring this big gives its pages back */
#define TRIM_NS    100000000             /* ... at most every 100 ms */
#define SWITCH_NS  5000000               /* CPython's GIL switch interval */

typedef struct ChanShared {
    pthread_mutex_t mu;          /* robust, process-shared */
    uint32_t items_seq;          /* futex: bumped by each put */
    uint32_t space_seq;          /* futex: bumped by each get */
    uint32_t done_seq;           /* futex: bumped when unfinished drops to 0 */
    uint32_t get_waiters;        /* sleepers not yet woken: wakers skip the syscall at 0 */
    uint32_t put_waiters;
    uint32_t join_waiters;
    uint64_t head, tail;         /* monotonic byte positions; tail - head = bytes used */
    uint64_t nput, nget;         /* monotonic record counts */
    uint64_t cap;                /* data area bytes, a power of two */
    int64_t  maxitems;           /* 0 = unbounded */
    int64_t  unfinished;         /* JoinableQueue: puts minus task_done()s */
    int64_t  last_trim;          /* CLOCK_MONOTONIC ns of the last hole punch */
} ChanShared;

struct RtChan {
    ChanShared    *sh;           /* header mapping (fixed) */
    unsigned char *data;         /* this process's view of the data area */
    uint64_t       mapped;       /* bytes of `data` mapped here */
    int            fd;           /* the memfd, kept to grow and remap */
};

/* ==== time and futexes ======================================================= */

int64_t rt__now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t rt__deadline_after(double timeout) {
    if (!(timeout > 0)) return 0;                    /* negative or NaN: don't wait */
    if (timeout > 1e9) return RT__NEVER;             /* ~31 years: forever */
    return rt__now_ns() + (int64_t)(timeout * 1e9);
}

/* Sleeps while *word == seen, until the deadline. 0 = woken (or spurious,
 * or EINTR: the caller re-checks), 1 = deadline passed. */
static int futex_wait_until(uint32_t *word, uint32_t seen, int64_t deadline) {
    struct timespec ts, *tp = NULL;
    if (deadline != RT__NEVER) {
        if (rt__now_ns() >= deadline) return 1;
        ts.tv_sec = deadline / 1000000000;
        ts.tv_nsec = deadline % 1000000000;
        tp = &ts;
    }
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time, so EINTR
     * and spurious wake-ups need no recomputation. Not FUTEX_PRIVATE: the
     * word is shared between processes. */
    long r = syscall(SYS_futex, word, FUTEX_WAIT_BITSET, seen, tp, NULL, FUTEX_BITSET_MATCH_ANY);
    if (r < 0 && errno == ETIMEDOUT) return 1;
    return 0;                          /* woken, EAGAIN (value changed) or EINTR */
}

static void futex_wake_all(uint32_t *word) {
    syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* ==== the lock ============================================================== */

static uint64_t rec_size(uint64_t n) { return 8 + ((n + 7) & ~(uint64_t)7); }

static uint64_t ring_u64(RtChan *c, uint64_t pos) {
    uint64_t v;
    memcpy(&v, c->data + (pos & (c->sh->cap - 1)), 8);   /* 8-aligned: never split */
    return v;
}

/* After EOWNERDEAD: the dead owner may have moved a position without
 * updating the matching count. Recount the records between head and tail. */
static void repair(RtChan *c) {
    ChanShared *sh = c->sh;
    uint64_t p = sh->head, n = 0;
    while (p < sh->tail) {
        uint64_t len = ring_u64(c, p);
        if (len > sh->cap || p + rec_size(len) > sh->tail) break;   /* torn record */
        p += rec_size(len);
        n++;
    }
    sh->tail = p;
    sh->nput = sh->nget + n;
    if (sh->unfinished < 0) sh->unfinished = 0;
    sh->items_seq++;                   /* chan_lock wakes every sleeper next */
    sh->space_seq++;
    sh->done_seq++;
    sh->get_waiters = sh->put_waiters = sh->join_waiters = 0;
}

/* Brings this process's view of the data area up to the published size. */
static int remap(RtChan *c) {
    uint64_t cap = c->sh->cap;
    if (cap == c->mapped) return 0;
    void *p = mremap(c->data, c->mapped, cap, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) { rt_raise_errno(errno, NULL); return -1; }
    c->data = p;
    c->mapped = cap;
    return 0;
}

static int chan_lock(RtChan *c) {
    int r = pthread_mutex_lock(&c->sh->mu);
    if (r == EOWNERDEAD) {
        pthread_mutex_consistent(&c->sh->mu);
        if (remap(c) < 0) { pthread_mutex_unlock(&c->sh->mu); return -1; }
        repair(c);
        /* Sleepers may have missed a wake-up the dead owner owed them. */
        futex_wake_all(&c->sh->items_seq);
        futex_wake_all(&c->sh->space_seq);
        futex_wake_all(&c->sh->done_seq);
        return 0;
    }
    if (r != 0) { rt_raise_errno(r, NULL); return -1; }
    if (remap(c) < 0) { pthread_mutex_unlock(&c->sh->mu); return -1; }
    return 0;
}

static void chan_unlock(RtChan *c) { pthread_mutex_unlock(&c->sh->mu); }

/* ==== ring copy, with wrap-around =========================================== */

static void ring_write(RtChan *c, uint64_t pos, const void *src, size_t n) {
    uint64_t cap = c->sh->cap, off = pos & (cap - 1);
    size_t first = n < cap - off ? n : (size_t)(cap - off);
    memcpy(c->data + off, src, first);
    memcpy(c->data, (const unsigned char *)src + first, n - first);
}

static void ring_read(RtChan *c, uint64_t pos, void *dst, size_t n) {
    uint64_t cap = c->sh->cap, off = pos & (cap - 1);
    size_t first = n < cap - off ? n : (size_t)(cap - off);
    memcpy(dst, c->data + off, first);
    memcpy((unsigned char *)dst + first, c->data, n - first);
}

/* Moves the live bytes [head, tail) from their places mod `old` to their
 * places mod `cap`. The live range is at most `old` bytes long, so it spans
 * two blocks of `old` bytes at most; a block moves by a multiple of `old`,
 * into the area that was just added, so no copy overwrites a source. */
static void relocate(RtChan *c, uint64_t old, uint64_t cap) {
    uint64_t p = c->sh->head, end = c->sh->tail;
    while (p < end) {
        uint64_t block_end = (p | (old - 1)) + 1;
        uint64_t seg = (block_end < end ? block_end : end) - p;
        uint64_t from = p & (old - 1), to = p & (cap - 1);
        if (from != to) memcpy(c->data + to, c->data + from, seg);
        p += seg;
    }
}

/* Makes room for `need` more bytes: doubles the file until they fit. */
static int grow(RtChan *c, uint64_t need) {
    ChanShared *sh = c->sh;
    uint64_t used = sh->tail - sh->head, cap = sh->cap;
    while (cap - used < need) {
        if (cap >= MAX_CAP) { rt_raise(&rt_exc_MemoryError, "queue buffer limit (64 GiB) reached"); return -1; }
        cap *= 2;
    }
    if (ftruncate(c->fd, (off_t)(HDR_SIZE + cap)) < 0) { rt_raise_errno(errno, NULL); return -1; }
    void *p = mremap(c->data, c->mapped, cap, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) { rt_raise_errno(errno, NULL); return -1; }
    c->data = p;
    c->mapped = cap;
    relocate(c, sh->cap, cap);
    sh->cap = cap;             /* publish last: a crash before this leaves the old layout valid */
    return 0;
}

/* ==== creating and mapping ================================================== */

static RtChan *chan_map(int fd) {
    RtChan *c = rt_calloc(1, sizeof *c);
    if (!c) return NULL;
    c->fd = fd;
    c->sh = mmap(NULL, HDR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (c->sh == MAP_FAILED) goto fail;
    c->mapped = __atomic_load_n(&c->sh->cap, __ATOMIC_ACQUIRE);
    c->data = mmap(NULL, c->mapped, PROT_READ | PROT_WRITE, MAP_SHARED, fd, HDR_SIZE);
    if (c->data == MAP_FAILED) { munmap(c->sh, HDR_SIZE); goto fail; }
    return c;
fail:
    rt_raise_errno(errno, NULL);
    rt_free(c);
    return NULL;
}

RtChan *rt__chan_new(int64_t maxitems) {
    int fd = memfd_create("mp2c-queue", MFD_CLOEXEC);
    if (fd < 0) return rt_raise_errno(errno, NULL), NULL;
    if (ftruncate(fd, HDR_SIZE + INIT_CAP) < 0) {
        rt_raise_errno(errno, NULL);
        close(fd);
        return NULL;
    }
    ChanShared *sh = mmap(NULL, HDR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (sh == MAP_FAILED) { rt_raise_errno(errno, NULL); close(fd); return NULL; }
    if (rt_shm_mutex_init(&sh->mu) < 0) {     /* pshared + robust */
        munmap(sh, HDR_SIZE);
        close(fd);
        return NULL;
    }
    sh->cap = INIT_CAP;
    sh->maxitems = maxitems > 0 ? maxitems : 0;
    munmap(sh, HDR_SIZE);
    RtChan *c = chan_map(fd);
    if (!c) close(fd);
    return c;
}

RtChan *rt__chan_attach(int fd) {
    int mine = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (mine < 0) return rt_raise_errno(errno, NULL), NULL;
    RtChan *c = chan_map(mine);
    if (!c) close(mine);
    return c;
}

void rt__chan_free(RtChan *c) {
    if (!c) return;
    munmap(c->data, c->mapped);
    munmap(c->sh, HDR_SIZE);
    close(c->fd);
    rt_free(c);
}

int rt__chan_fd(const RtChan *c) { return c->fd; }
int64_t rt__chan_maxitems(const RtChan *c) { return c->sh->maxitems; }

/* ==== put and get =========================================================== */

/* Polls `word` without the lock for a few microseconds: a consumer that
 * keeps up with its producer then never pays for a futex round trip. */
static bool spin_until_changed(uint32_t *word, uint32_t seen) {
    int64_t until = rt__now_ns() + SPIN_NS;
    for (;;) {
        for (int i = 0; i < 64; i++) {
            if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != seen) return true;
            cpu_relax();
        }
        if (rt__now_ns() >= until) return false;
    }
}

/* Sleeper accounting. A sleeper adds itself to the waiters count (under the
 * lock) before it sleeps on `word`; whoever changes the word takes the whole
 * count to 0 and wakes everybody (take_waiters), so a burst of puts makes one
 * FUTEX_WAKE, not one each. A sleeper that wakes to a changed word was
 * counted out already; one that wakes to the same word (timeout, signal)
 * takes itself out. A sleeper killed in its sleep stays counted only until
 * the next change. */
static bool take_waiters(uint32_t *waiters) {
    bool any = *waiters > 0;
    *waiters = 0;
    return any;
}

/* Called with the lock held and the condition false: drops the lock, sleeps
 * on `word` until it changes or the deadline passes, retakes the lock.
 * 0 = re-check the condition, 1 = timed out (lock held), -1 = error (not held). */
static int wait_locked(RtChan *c, uint32_t *word, uint32_t *waiters, int64_t deadline) {
    uint32_t seen = __atomic_load_n(word, __ATOMIC_RELAXED);
    if (deadline != 0 && deadline > rt__now_ns()) {
        chan_unlock(c);
        if (!spin_until_changed(word, seen)) {
            if (chan_lock(c) < 0) return -1;
            if (*word != seen) return 0;
            (*waiters)++;
            chan_unlock(c);
            int timed_out = futex_wait_until(word, seen, deadline);
            if (chan_lock(c) < 0) return -1;
            if (*word != seen) return 0;           /* the waker counted us out */
            if (*waiters) (*waiters)--;
            return timed_out;
        }
        if (chan_lock(c) < 0) return -1;
        return 0;
    }
    return 1;
}

int rt__chan_put(RtChan *c, const void *p, size_t n, int64_t deadline, bool joinable) {
    if (chan_lock(c) < 0) return -1;
    ChanShared *sh = c->sh;
    while (sh->maxitems && (int64_t)(sh->nput - sh->nget) >= sh->maxitems) {
        int r = wait_locked(c, &sh->space_seq, &sh->put_waiters, deadline);
        if (r < 0) return -1;
        if (r == 1) { chan_unlock(c); return 1; }
    }
    if (!p) {
        if (joinable) sh->unfinished++;
        chan_unlock(c);
        return 0;
    }
    uint64_t rs = rec_size(n);
    if (sh->cap - (sh->tail - sh->head) < rs && grow(c, rs) < 0) { chan_unlock(c); return -1; }
    uint64_t len = n;
    ring_write(c, sh->tail, &len, 8);
    ring_write(c, sh->tail + 8, p, n);
    __atomic_store_n(&sh->tail, sh->tail + rs, __ATOMIC_RELEASE);   /* commit: position, then count */
    __atomic_store_n(&sh->nput, sh->nput + 1, __ATOMIC_RELEASE);
    if (joinable) sh->unfinished++;
    __atomic_store_n(&sh->items_seq, sh->items_seq + 1, __ATOMIC_RELEASE);
    bool wake = take_waiters(&sh->get_waiters);
    chan_unlock(c);
    if (wake) futex_wake_all(&sh->items_seq);
    return 0;
}

static int ensure_buf(RtBuf *b, size_t n) {
    if (b->cap >= n) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < n) cap *= 2;
    unsigned char *d = rt_realloc(b->data, cap);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

/* Called with the lock held when the ring just ran empty: nothing is live,
 * so the data pages can be dropped (they read back as zeros if touched). */
static void maybe_trim(RtChan *c) {
    ChanShared *sh = c->sh;
    if (sh->cap < TRIM_CAP) return;
    int64_t now = rt__now_ns();
    if (now - sh->last_trim < TRIM_NS) return;
    sh->last_trim = now;
    fallocate(c->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, HDR_SIZE, (off_t)sh->cap);
}

int rt__chan_get(RtChan *c, RtBuf *out, int64_t deadline, void *claim, size_t claim_len) {
    if (chan_lock(c) < 0) return -1;
    ChanShared *sh = c->sh;
    while (sh->nput == sh->nget) {
        int r = wait_locked(c, &sh->items_seq, &sh->get_waiters, deadline);
        if (r < 0) return -1;
        if (r == 1) { chan_unlock(c); return 1; }
    }
    uint64_t len = ring_u64(c, sh->head);
    if (ensure_buf(out, len ? len : 1) < 0) { chan_unlock(c); return -1; }
    ring_read(c, sh->head + 8, out->data, len);
    out->len = len;
    out->pos = 0;
    if (claim) memcpy(claim, out->data, claim_len < len ? claim_len : len);
    __atomic_store_n(&sh->head, sh->head + rec_size(len), __ATOMIC_RELEASE);
    __atomic_store_n(&sh->nget, sh->nget + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&sh->space_seq, sh->space_seq + 1, __ATOMIC_RELEASE);
    if (sh->nput == sh->nget) maybe_trim(c);
    bool wake = take_waiters(&sh->put_waiters);
    chan_unlock(c);
    if (wake) futex_wake_all(&sh->space_seq);
    return 0;
}

int64_t rt__chan_count(RtChan *c) {
    /* Both counters only grow; reading nget first can only overstate a
     * concurrent change, never report a negative size. */
    uint64_t g = __atomic_load_n(&c->sh->nget, __ATOMIC_ACQUIRE);
    uint64_t p = __atomic_load_n(&c->sh->nput, __ATOMIC_ACQUIRE);
    return p >= g ? (int64_t)(p - g) : 0;
}

void rt__chan_clear(RtChan *c) {
    if (chan_lock(c) < 0) { RT_CLEAR(rt_exc_pending); return; }
    ChanShared *sh = c->sh;
    sh->head = sh->tail;
    sh->nget = sh->nput;
    sh->space_seq++;
    bool wake = take_waiters(&sh->put_waiters);
    chan_unlock(c);
    if (wake) futex_wake_all(&sh->space_seq);
}

int rt__chan_task_done(RtChan *c) {
    if (chan_lock(c) < 0) return -1;
    ChanShared *sh = c->sh;
    if (sh->unfinished <= 0) {
        chan_unlock(c);
        rt_raise(&rt_exc_ValueError, "task_done() called too many times");
        return -1;
    }
    bool wake = false;
    if (--sh->unfinished == 0) {
        sh->done_seq++;
        wake = take_waiters(&sh->join_waiters);
    }
    chan_unlock(c);
    if (wake) futex_wake_all(&sh->done_seq);
    return 0;
}

int rt__chan_join(RtChan *c, int64_t deadline) {
    if (chan_lock(c) < 0) return -1;
    ChanShared *sh = c->sh;
    while (sh->unfinished > 0) {
        int r = wait_locked(c, &sh->done_seq, &sh->join_waiters, deadline);
        if (r < 0) return -1;
        if (r == 1) { chan_unlock(c); return 1; }
    }
    chan_unlock(c);
    return 0;
}

/* ==== argument binding for native methods ==================================== */

static void list_names(char *buf, size_t n, const char *const *names, const int *idx, int k) {
    size_t off = 0;
    buf[0] = 0;
    for (int i = 0; i < k && off < n; i++) {
        const char *sep = i == 0 ? "" : (i == k - 1 ? (k > 2 ? ", and " : " and ") : ", ");
        off += (size_t)snprintf(buf + off, n - off, "%s'%s'", sep, names[idx[i]]);
    }
}

static int bind_error_count(const char *fname, int nreq, int nnames, size_t nargs) {
    /* CPython counts self in these messages. */
    if (nreq == nnames)
        rt_raise_fmt(&rt_exc_TypeError, "%U() takes %d positional argument%U but %d %U given", fname,
                     nnames + 1, nnames ? "s" : "", (int)nargs + 1, nargs + 1 == 1 ? "was" : "were");
    else
        rt_raise_fmt(&rt_exc_TypeError, "%U() takes from %d to %d positional arguments but %d %U given",
                     fname, nreq + 1, nnames + 1, (int)nargs + 1, "were");
    return -1;
}

int rt__bind(const char *fname, const char *const *names, int nreq, int nnames,
             RtValue *const *args, size_t nargs, RtValue *kwnames, RtValue **out) {
    if (nargs > (size_t)nnames) return bind_error_count(fname, nreq, nnames, nargs);
    for (int i = 0; i < nnames; i++) out[i] = i < (int)nargs ? args[i] : NULL;
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    for (size_t k = 0; k < nkw; k++) {
        const char *kw = rt_str_data(RT_TUPLE_GET(kwnames, k));
        int i = 0;
        while (i < nnames && strcmp(names[i], kw) != 0) i++;
        if (i == nnames) {
            rt_raise_fmt(&rt_exc_TypeError, "%U() got an unexpected keyword argument '%U'", fname, kw);
            return -1;
        }
        if (out[i]) {
            rt_raise_fmt(&rt_exc_TypeError, "%U() got multiple values for argument '%U'", fname, kw);
            return -1;
        }
        out[i] = args[nargs + k];
    }
    int missing[16], nmiss = 0;
    for (int i = 0; i < nreq; i++)
        if (!out[i] && nmiss < 16) missing[nmiss++] = i;
    if (nmiss) {
        char buf[256];
        list_names(buf, sizeof buf, names, missing, nmiss);
        rt_raise_fmt(&rt_exc_TypeError, "%U() missing %d required positional argument%U: %U",
                     fname, nmiss, nmiss > 1 ? "s" : "", buf);
        return -1;
    }
    return 0;
}

/* ==== the Python objects ==================================================== */

typedef struct RtQueue {
    RtValue  ob;
    RtChan  *chan;
    bool     closed;
    RtBuf    scratch;         /* kept between calls so a put does not malloc */
    RtBuf    rbuf;            /* the same for get */
    int64_t  unflushed;       /* items put here that CPython's feeder would not have written yet */
    int64_t  last_put;        /* when (CLOCK_MONOTONIC ns) */
    pid_t    put_pid;         /* by whom: a forked child starts with none */
    bool     registered;      /* made here by Queue(): util.register_after_fork */
    pid_t    feeder_pid;      /* the process whose first put() "started the feeder" */
    int      feeder_slot;     /* its entry in `feeders` (+1), in that process */
    bool     join_cancelled;  /* cancel_join_thread() there */
} RtQueue;

#define QUEUE(o) ((RtQueue *)(o))

/* ---- util's DEBUG messages about the feeder thread ----
 * CPython's Queue starts a feeder thread at a process's first put() and logs
 * its life: the start, its close finalizer (priority 10) and its join
 * finalizer (-5), which run at close()/join_thread() or at exit. mp2c's
 * put() copies at once and has no thread, so the messages are logged at the
 * points where CPython's would be, in its usual order. `feeders` is this
 * process's list, in start order; a child starts with none (the
 * finalizer registry is cleared at fork). */
typedef struct { RtQueue *q; bool close_pending, join_pending; } Feeder;
static Feeder *feeders;
static size_t nfeeders, capfeeders;
static size_t live_queues;        /* registered queues alive: _after_fork runs for each */
static pid_t my_pid(void);

static void log_after_fork(void) {
    for (size_t i = 0; i < live_queues; i++) RT_MP_LOG(RT_MP_DEBUG, "Queue._after_fork()");
    nfeeders = 0;
}

static void feeder_close(Feeder *f) {   /* Queue._finalize_close */
    if (!f->close_pending) return;
    f->close_pending = false;
    RT_MP_LOG(RT_MP_DEBUG, "telling queue thread to quit");
    /* the thread's answer: CPython's comes at its next turn, before or after
     * the main thread's next lines (even when nobody joins the thread) */
    RT_MP_LOG(RT_MP_DEBUG, "feeder thread got sentinel -- exiting");
}

static void feeder_join(Feeder *f) {    /* Queue._finalize_join */
    if (!f->join_pending) return;
    f->join_pending = false;
    RT_MP_LOG(RT_MP_DEBUG, "joining queue thread");
    RT_MP_LOG(RT_MP_DEBUG, "... queue thread joined");
}

static void exit_close_feeders(void) {   /* finalizers are run latest first */
    for (size_t i = nfeeders; i-- > 0;) feeder_close(&feeders[i]);
}

static void exit_join_feeders(void) {
    for (size_t i = nfeeders; i-- > 0;) feeder_join(&feeders[i]);
}

static Feeder *feeder_of(RtQueue *q) {
    return q->feeder_pid == my_pid() && q->feeder_slot ? &feeders[q->feeder_slot - 1] : NULL;
}

static void start_feeder(RtQueue *q) {   /* Queue._start_thread */
    if (q->feeder_pid == my_pid()) return;
    if (q->feeder_pid) q->join_cancelled = false;   /* Queue._reset in a child */
    q->feeder_pid = my_pid();
    q->feeder_slot = 0;
    RT_MP_LOG(RT_MP_DEBUG, "Queue._start_thread()");
    RT_MP_LOG(RT_MP_DEBUG, "doing self._thread.start()");
    RT_MP_LOG(RT_MP_DEBUG, "starting thread to feed data to pipe");
    RT_MP_LOG(RT_MP_DEBUG, "... done self._thread.start()");
    if (nfeeders == capfeeders) {
        size_t cap = capfeeders ? capfeeders * 2 : 8;
        Feeder *a = rt_realloc(feeders, cap * sizeof *a);
        if (!a) { RT_CLEAR(rt_exc_pending); return; }   /* only the messages are lost */
        feeders = a;
        capfeeders = cap;
    }
    feeders[nfeeders++] = (Feeder){q, true, !q->join_cancelled};
    q->feeder_slot = (int)nfeeders;
}

static RtValue *raise_noargs(RtType *type) {
    RtValue *t = rt_tuple_new(0);
    if (!t) return NULL;
    RtValue *e = rt_exc_new(type, t);
    rt_decref(t);
    if (e) rt_exc_raise_new(e);
    return NULL;
}

static RtValue *queue_repr(RtValue *self) {
    char buf[128];
    snprintf(buf, sizeof buf, "<%s.%s object at %p>", self->type->module, self->type->name, (void *)self);
    return rt_str_from_cstr(buf);
}

static void queue_dealloc(RtValue *self) {
    Feeder *f = feeder_of(QUEUE(self));
    if (f) { feeder_close(f); f->q = NULL; }   /* the join finalizer stays, as the thread's */
    if (QUEUE(self)->registered) live_queues--;
    rt__chan_free(QUEUE(self)->chan);
    rt_free(QUEUE(self)->scratch.data);
    rt_free(QUEUE(self)->rbuf.data);
}

RtValue *rt_mp_queue_new(RtType *type, int64_t maxsize) {
    RtChan *c = rt__chan_new(maxsize);
    if (!c) return NULL;
    RtValue *q = rt_obj_alloc(type, sizeof(RtQueue));
    if (!q) { rt__chan_free(c); return NULL; }
    QUEUE(q)->chan = c;
    if (type == &rt_mp_SimpleQueue) {
        RT_MP_LOG_SEMLOCKS(c, 2);     /* its rlock and wlock */
    } else {
        /* CPython's rlock, wlock and BoundedSemaphore; JoinableQueue adds a Semaphore and a Condition */
        RT_MP_LOG_SEMLOCKS(c, type == &rt_mp_JoinableQueue ? 8 : 3);
        QUEUE(q)->registered = true;
        if (live_queues++ == 0) {
            rt_mp_set_queue_hooks(log_after_fork, exit_join_feeders);
            rt_mp_set_exit_hook(RT_MP_EXIT_QUEUES, exit_close_feeders);
        }
    }
    return q;
}

/* Queue(maxsize=0): CPython compares `maxsize <= 0` first (so a str gives
 * "'<=' not supported ..."), then needs an int for its semaphore. */
static RtValue *queue_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = {"maxsize"};
    RtValue *a[1];
    const char *fname = type == &rt_mp_Queue ? "BaseContext.Queue" : "BaseContext.JoinableQueue";
    if (rt__bind(fname, names, 0, 1, args, nargs, kwnames, a) < 0) return NULL;
    rt_mp_default_context_use();   /* Queue(maxsize, ctx=self.get_context()) */
    int64_t maxsize = 0;
    if (a[0]) {
        int le = rt_compare_bool(a[0], rt_int(0), RT_LE);
        if (le < 0) return NULL;
        if (!le) {
            if (rt_int_as_i64(a[0], &maxsize) < 0) return NULL;
            if (maxsize > SEM_VALUE_MAX_PY)
                return rt_raise(&rt_exc_OverflowError, "signed integer is greater than maximum");
        }
    }
    return rt_mp_queue_new(type, maxsize);
}

static RtValue *simple_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    if (rt__bind("BaseContext.SimpleQueue", NULL, 0, 0, args, nargs, kwnames, NULL) < 0) return NULL;
    rt_mp_default_context_use();
    return rt_mp_queue_new(type, 0);
}

static RtValue *closed_error(RtValue *q) {
    return rt_raise_fmt(&rt_exc_ValueError, "Queue %R is closed", q);
}

/* Serializes obj into a buffer borrowed from the queue (reentrancy-safe:
 * a nested put finds the scratch taken and allocates its own). */
/* getpid() without a system call per put: cached, and refreshed in a forked
 * child (pthread_atfork). */
static pid_t cached_pid;
static void forget_pid(void) { cached_pid = 0; }

static pid_t my_pid(void) {
    static bool hooked;
    if (!hooked) hooked = pthread_atfork(NULL, NULL, forget_pid) == 0;
    if (!cached_pid) cached_pid = getpid();
    return cached_pid;
}

/* Items of this process's own puts that CPython would still hold in its
 * feeder's buffer (see the top of this file). `blocking`: the caller is
 * about to block, which lets the feeder run. */
static int64_t unflushed(RtQueue *q, bool blocking) {
    if (q->unflushed && (blocking || q->put_pid != my_pid() || rt__now_ns() - q->last_put >= SWITCH_NS))
        q->unflushed = 0;
    return q->unflushed;
}

/* CPython's feeder thread pickles a Queue's items after put() returned: an
 * item that cannot be pickled is reported on stderr (queues.py's
 * _on_queue_feeder_error, frames of queues.py and reduction.py left out here)
 * and dropped, while put() itself still waited for room and, for a
 * JoinableQueue, counted an unfinished task. */
static void feeder_error(RtQueue *q) {
    RtValue *exc = rt_exc_fetch();
    if (exc->type->tag == RT_T_EXC) {
        RtExc *e = (RtExc *)exc;
        RT_CLEAR(e->context);   /* the feeder thread was handling nothing */
        e->suppress_context = false;
        e->ntb = 0;
    }
    RtValue *text = rt_exc_format(exc);
    fputs("Traceback (most recent call last):\n", stderr);
    if (text) fwrite(rt_str_data(text), 1, rt_str_nbytes(text), stderr);
    else RT_CLEAR(rt_exc_pending);
    fflush(stderr);
    rt_xdecref(text);
    rt_decref(exc);
    (void)q;
}

static int put_value(RtQueue *q, RtValue *obj, int64_t deadline) {
    RtBuf b = q->scratch;
    q->scratch = (RtBuf){0};
    b.len = b.pos = 0;
    int r = rt_ser_dump(&b, obj);
    if (q->feeder_pid != my_pid() && q->ob.type != &rt_mp_SimpleQueue) start_feeder(q);
    bool dropped = false;
    if (r < 0 && q->ob.type != &rt_mp_SimpleQueue && !rt_isinstance_t(rt_exc_pending, &rt_exc_MemoryError)) {
        RtValue *exc = rt_exc_fetch();
        r = rt__chan_put(q->chan, NULL, 0, deadline, q->ob.type == &rt_mp_JoinableQueue);
        if (r == 0) {
            rt_exc_restore(exc);
            feeder_error(q);
            dropped = true;
        } else {
            rt_decref(exc);
            if (r == 1) raise_noargs(&rt_exc_Full), r = -1;
        }
    } else if (r == 0) {
        r = rt__chan_put(q->chan, b.data, b.len, deadline, q->ob.type == &rt_mp_JoinableQueue);
        if (r == 1) raise_noargs(&rt_exc_Full), r = -1;
    }
    if (dropped) {
        if (!q->scratch.data) q->scratch = b; else rt_free(b.data);
        return 0;
    }
    if (r == 0 && q->ob.type != &rt_mp_SimpleQueue) {
        unflushed(q, false);
        q->unflushed++;
        q->last_put = rt__now_ns();
        q->put_pid = my_pid();
    }
    if (!q->scratch.data) q->scratch = b; else rt_free(b.data);
    return r;
}

static RtValue *get_value(RtQueue *q, int64_t deadline) {
    if (deadline == RT__NEVER || deadline > rt__now_ns()) unflushed(q, true);   /* the feeder runs */
    RtBuf b = q->rbuf;                  /* borrowed as put_value borrows scratch */
    q->rbuf = (RtBuf){0};
    int r = rt__chan_get(q->chan, &b, deadline, NULL, 0);
    RtValue *v = NULL;
    if (r == 1) raise_noargs(&rt_exc_Empty);
    else if (r == 0) v = rt_ser_load(&b);   /* outside the lock, as CPython unpickles */
    if (!q->rbuf.data) q->rbuf = b; else rt_free(b.data);
    return v;
}

int rt_mp_queue_put(RtValue *q, RtValue *obj, bool block, double timeout) {
    if (QUEUE(q)->closed) { closed_error(q); return -1; }
    int64_t deadline = !block ? 0 : timeout < 0 ? RT__NEVER : rt__deadline_after(timeout);
    return put_value(QUEUE(q), obj, deadline);
}

RtValue *rt_mp_queue_get(RtValue *q, bool block, double timeout) {
    if (QUEUE(q)->closed) return closed_error(q);
    int64_t deadline = !block ? 0 : timeout < 0 ? RT__NEVER : rt__deadline_after(timeout);
    return get_value(QUEUE(q), deadline);
}

/* block and timeout as CPython's queues read them: truthiness, and None or
 * a real number (negative = 0). get() computes `time.monotonic() + timeout`
 * first, so a bad timeout fails there with the TypeError of that addition. */
static int parse_deadline(RtValue *block, RtValue *timeout, bool as_get, int64_t *deadline) {
    int b = block ? rt_truthy(block) : 1;
    if (b < 0) return -1;
    if (!b) { *deadline = 0; return 0; }
    if (!timeout || timeout == rt_None) { *deadline = RT__NEVER; return 0; }
    double t;
    if (as_get && !rt_is_int(timeout) && !rt_is_float(timeout)) {
        RtValue *zero = rt_float(0.0);
        if (!zero) return -1;
        RtValue *sum = rt_binop(zero, timeout, RT_ADD);   /* raises CPython's TypeError */
        rt_decref(zero);
        if (!sum) return -1;
        int r = rt_as_double(sum, &t);
        rt_decref(sum);
        if (r < 0) return -1;
    } else if (rt_as_double(timeout, &t) < 0) {
        return -1;
    }
    *deadline = rt__deadline_after(t);
    return 0;
}

RtValue *rt_mp_Queue_m_put(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"obj", "block", "timeout"};
    RtValue *a[3];
    int64_t deadline;
    if (rt__bind("Queue.put", names, 1, 3, args, nargs, kw, a) < 0) return NULL;
    if (QUEUE(self)->closed) return closed_error(self);
    if (parse_deadline(a[1], a[2], false, &deadline) < 0) return NULL;
    if (put_value(QUEUE(self), a[0], deadline) < 0) return NULL;
    return rt_None;
}

RtValue *rt_mp_Queue_m_get(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"block", "timeout"};
    RtValue *a[2];
    int64_t deadline;
    if (rt__bind("Queue.get", names, 0, 2, args, nargs, kw, a) < 0) return NULL;
    if (QUEUE(self)->closed) return closed_error(self);
    if (parse_deadline(a[0], a[1], true, &deadline) < 0) return NULL;
    return get_value(QUEUE(self), deadline);
}

RtValue *rt_mp_Queue_m_put_nowait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"obj"};
    RtValue *a[1];
    if (rt__bind("Queue.put_nowait", names, 1, 1, args, nargs, kw, a) < 0) return NULL;
    if (QUEUE(self)->closed) return closed_error(self);
    if (put_value(QUEUE(self), a[0], 0) < 0) return NULL;
    return rt_None;
}

RtValue *rt_mp_Queue_m_get_nowait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt__bind("Queue.get_nowait", NULL, 0, 0, args, nargs, kw, NULL) < 0) return NULL;
    if (QUEUE(self)->closed) return closed_error(self);
    return get_value(QUEUE(self), 0);
}

/* The no-argument methods share this check. */
#define NOARGS(fname) \
    if (rt__bind(fname, NULL, 0, 0, args, nargs, kw, NULL) < 0) return NULL

RtValue *rt_mp_Queue_m_qsize(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("Queue.qsize");
    return rt_int(rt__chan_count(QUEUE(self)->chan));
}

RtValue *rt_mp_Queue_m_empty(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("Queue.empty");
    return rt_bool(rt__chan_count(QUEUE(self)->chan) <= unflushed(QUEUE(self), false));
}

RtValue *rt_mp_Queue_m_full(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("Queue.full");
    int64_t max = rt__chan_maxitems(QUEUE(self)->chan);
    return rt_bool(max > 0 && rt__chan_count(QUEUE(self)->chan) >= max);
}

RtValue *rt_mp_Queue_m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("Queue.close");
    QUEUE(self)->closed = true;      /* items already put stay readable by others */
    Feeder *f = feeder_of(QUEUE(self));
    if (f) feeder_close(f);
    return rt_None;
}

RtValue *rt_mp_Queue_m_join_thread(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("Queue.join_thread");
    RT_MP_LOG(RT_MP_DEBUG, "Queue.join_thread()");
    if (!QUEUE(self)->closed) return rt_raise_fmt(&rt_exc_AssertionError, "Queue %R not closed", self);
    Feeder *f = feeder_of(QUEUE(self));
    if (f) feeder_join(f);
    return rt_None;                  /* put() copied synchronously: no feeder to wait for */
}

RtValue *rt_mp_Queue_m_cancel_join_thread(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("Queue.cancel_join_thread");
    RT_MP_LOG(RT_MP_DEBUG, "Queue.cancel_join_thread()");
    /* nothing buffered in this process to give up on; only the join finalizer goes */
    if (QUEUE(self)->feeder_pid != my_pid()) QUEUE(self)->feeder_pid = 0;
    QUEUE(self)->join_cancelled = true;
    Feeder *f = feeder_of(QUEUE(self));
    if (f) f->join_pending = false;
    return rt_None;
}

RtValue *rt_mp_JoinableQueue_m_task_done(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("JoinableQueue.task_done");
    return rt__chan_task_done(QUEUE(self)->chan) < 0 ? NULL : rt_None;
}

RtValue *rt_mp_JoinableQueue_m_join(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("JoinableQueue.join");
    return rt__chan_join(QUEUE(self)->chan, RT__NEVER) < 0 ? NULL : rt_None;
}

/* SimpleQueue: CPython's is a pipe, so after close() every call fails on
 * the closed connection. */
static RtValue *handle_closed(void) { return rt_raise(&rt_exc_OSError, "handle is closed"); }

RtValue *rt_mp_SimpleQueue_m_get(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("SimpleQueue.get");
    if (QUEUE(self)->closed) return handle_closed();
    return get_value(QUEUE(self), RT__NEVER);
}

RtValue *rt_mp_SimpleQueue_m_put(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"obj"};
    RtValue *a[1];
    if (rt__bind("SimpleQueue.put", names, 1, 1, args, nargs, kw, a) < 0) return NULL;
    if (QUEUE(self)->closed) return handle_closed();
    return put_value(QUEUE(self), a[0], RT__NEVER) < 0 ? NULL : rt_None;
}

RtValue *rt_mp_SimpleQueue_m_empty(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("SimpleQueue.empty");
    if (QUEUE(self)->closed) return handle_closed();
    return rt_bool(rt__chan_count(QUEUE(self)->chan) == 0);
}

RtValue *rt_mp_SimpleQueue_m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    NOARGS("SimpleQueue.close");
    QUEUE(self)->closed = true;
    return rt_None;
}

/* Under spawn a queue travels as its memfd's descriptor number; the child
 * maps the same file (proc.c keeps the fd open across exec). Otherwise, as
 * CPython's assert_spawning: RuntimeError. */
static int queue_ser_dump(RtValue *self, RtBuf *buf) {
    if (!rt_ser_spawning()) {
        rt_raise_fmt(&rt_exc_RuntimeError,
                     "%U objects should only be shared between processes through inheritance",
                     self->type->name);
        return -1;
    }
    int fd = rt__chan_fd(QUEUE(self)->chan);
    if (rt_ser_pass_fd(fd) < 0) return -1;
    return rt_buf_put_sleb(buf, fd);
}

static RtValue *queue_ser_load(RtType *type, RtBuf *buf) {
    int64_t fd;
    if (rt_buf_get_sleb(buf, &fd) < 0) return NULL;
    RtChan *c = rt__chan_attach((int)fd);
    if (!c) return NULL;
    RtValue *q = rt_obj_alloc(type, sizeof(RtQueue));
    if (!q) { rt__chan_free(c); return NULL; }
    QUEUE(q)->chan = c;
    return q;
}

static const RtMethodDef queue_methods[] = {
    {"put", rt_mp_Queue_m_put},
    {"get", rt_mp_Queue_m_get},
    {"put_nowait", rt_mp_Queue_m_put_nowait},
    {"get_nowait", rt_mp_Queue_m_get_nowait},
    {"qsize", rt_mp_Queue_m_qsize},
    {"empty", rt_mp_Queue_m_empty},
    {"full", rt_mp_Queue_m_full},
    {"close", rt_mp_Queue_m_close},
    {"join_thread", rt_mp_Queue_m_join_thread},
    {"cancel_join_thread", rt_mp_Queue_m_cancel_join_thread},
    {NULL, NULL},
};

static const RtMethodDef joinable_methods[] = {
    {"put", rt_mp_Queue_m_put},
    {"get", rt_mp_Queue_m_get},
    {"put_nowait", rt_mp_Queue_m_put_nowait},
    {"get_nowait", rt_mp_Queue_m_get_nowait},
    {"qsize", rt_mp_Queue_m_qsize},
    {"empty", rt_mp_Queue_m_empty},
    {"full", rt_mp_Queue_m_full},
    {"close", rt_mp_Queue_m_close},
    {"join_thread", rt_mp_Queue_m_join_thread},
    {"cancel_join_thread", rt_mp_Queue_m_cancel_join_thread},
    {"task_done", rt_mp_JoinableQueue_m_task_done},
    {"join", rt_mp_JoinableQueue_m_join},
    {NULL, NULL},
};

static const RtMethodDef simple_methods[] = {
    {"get", rt_mp_SimpleQueue_m_get},
    {"put", rt_mp_SimpleQueue_m_put},
    {"empty", rt_mp_SimpleQueue_m_empty},
    {"close", rt_mp_SimpleQueue_m_close},
    {NULL, NULL},
};

RtType rt_mp_Queue = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Queue",
    .module = "multiprocessing.queues",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtQueue),
    .table_index = -1,
    .dealloc = queue_dealloc,
    .repr = queue_repr,
    .construct = queue_construct,
    .ser_dump = queue_ser_dump,
    .ser_load = queue_ser_load,
    .methods = queue_methods,
};

RtType rt_mp_JoinableQueue = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "JoinableQueue",
    .module = "multiprocessing.queues",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtQueue),
    .table_index = -1,
    .dealloc = queue_dealloc,
    .repr = queue_repr,
    .construct = queue_construct,
    .ser_dump = queue_ser_dump,
    .ser_load = queue_ser_load,
    .methods = joinable_methods,
};

RtType rt_mp_SimpleQueue = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "SimpleQueue",
    .module = "multiprocessing.queues",
    .tag = RT_T_NATIVE,
    .base = &rt_type_object,
    .size = sizeof(RtQueue),
    .table_index = -1,
    .dealloc = queue_dealloc,
    .repr = queue_repr,
    .construct = simple_construct,
    .ser_dump = queue_ser_dump,
    .ser_load = queue_ser_load,
    .methods = simple_methods,
};

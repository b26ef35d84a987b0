/* sharedctypes.c: multiprocessing.Value, Array, RawValue, RawArray and the
 * synchronized wrappers around them, plus the shared heap they live in.
 *
 * The shared heap is CPython's multiprocessing.heap in C: arenas made with
 * memfd_create + ftruncate + mmap(MAP_SHARED), carved into 16-byte-aligned
 * blocks (a 16-byte header holds the block size). Because the mapping is
 * shared and made before the fork, a forked child reads and writes the very
 * bytes its parent sees, at the same address; a spawned child inherits the
 * memfd across its exec (rt_ser_pass_fd) and maps it again (rt_shm_load_ref).
 * The memfd has no name in /dev/shm, so nothing is left behind when the
 * program ends.
 *
 * Only the process that made an arena allocates from it (a child makes its
 * own arenas, as CPython's heap does after a fork). A freed block goes back to
 * the arena's first-fit free list, unless a child was forked since it was
 * allocated: the child may still be using it, so it is never recycled.
 *
 * Value(typecode_or_type, *args, lock=True) builds a ctypes object whose
 * bytes are a heap block (RawValue) and, unless lock=False, wraps it in a
 * Synchronized object that takes the lock (a new RLock by default) around
 * every access: "<Synchronized wrapper for c_int(7)>". Array likewise, with
 * SynchronizedArray (indexing, slices, len, iteration) and SynchronizedString
 * for 'c' arrays (.value, .raw); a Structure gets a per-class wrapper type
 * "Synchronized<Name>" whose fields are read and written under the lock.
 */
#include "mp2c.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== serializer buffer helpers ================================================ */

int rt__shared_put(struct RtBuf *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n) cap *= 2;
        unsigned char *d = rt_realloc(b->data, cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int rt__shared_get(struct RtBuf *b, void *p, size_t n) {
    if (b->pos + n > b->len) {
        rt_raise(&rt_exc_EOFError, "Ran out of input");
        return -1;
    }
    memcpy(p, b->data + b->pos, n);
    b->pos += n;
    return 0;
}

/* ==== the shared heap =========================================================== */

#define ARENA_MIN   (1u << 20)     /* virtual size of a new arena; pages appear on first touch */
#define BLOCK_HDR   16

typedef struct Range { size_t off, len; } Range;

typedef struct Arena {
    unsigned char *base;
    size_t         size, top;      /* top: start of the never-used tail */
    int            fd;             /* the memfd (O_CLOEXEC), kept for rt_shm_dump_ref */
    int            owner_pid;      /* the process that allocates from it; 0 = none (mapped) */
    uint64_t       ino;            /* the memfd's inode: its identity in every process */
    Range         *free;           /* sorted by offset, coalesced */
    size_t         nfree, capfree;
} Arena;

typedef struct BlockHdr { uint64_t size; uint64_t fork_gen; } BlockHdr;

static Arena   *arenas;
static size_t   narenas, caparenas;
static uint64_t fork_gen;          /* forks made by this process so far */
static pthread_once_t heap_once = PTHREAD_ONCE_INIT;

static void heap_atfork_parent(void) { fork_gen++; }
static void heap_setup(void) { pthread_atfork(NULL, heap_atfork_parent, NULL); }

static int arena_add(const Arena *a) {
    if (narenas == caparenas) {
        size_t cap = caparenas ? caparenas * 2 : 8;
        Arena *v = rt_realloc(arenas, cap * sizeof *v);
        if (!v) return -1;
        arenas = v;
        caparenas = cap;
    }
    arenas[narenas++] = *a;
    return 0;
}

/* memfd_create + ftruncate + mmap(MAP_SHARED): a new arena of >= n bytes. */
static Arena *arena_new(size_t n) {
    long page = sysconf(_SC_PAGESIZE);
    size_t size = n > ARENA_MIN ? (n + (size_t)page - 1) / (size_t)page * (size_t)page : ARENA_MIN;
    int fd = memfd_create("mp2c-heap", MFD_CLOEXEC);
    if (fd < 0) return rt_raise_errno(errno, NULL), NULL;
    struct stat st;
    void *p = MAP_FAILED;
    if (ftruncate(fd, (off_t)size) < 0 || fstat(fd, &st) < 0 ||
        (p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
        int e = errno;
        close(fd);
        return rt_raise_errno(e, NULL), NULL;
    }
    Arena a = {p, size, 0, fd, (int)getpid(), (uint64_t)st.st_ino, NULL, 0, 0};
    if (arena_add(&a) < 0) {
        munmap(p, size);
        close(fd);
        return NULL;
    }
    return &arenas[narenas - 1];
}

/* First fit in the free list, then the tail: an offset, or (size_t)-1. */
static size_t arena_take(Arena *a, size_t need) {
    for (size_t i = 0; i < a->nfree; i++) {
        Range *r = &a->free[i];
        if (r->len < need) continue;
        size_t off = r->off;
        r->off += need;
        r->len -= need;
        if (r->len == 0) {
            memmove(r, r + 1, (a->nfree - i - 1) * sizeof *r);
            a->nfree--;
        }
        return off;
    }
    if (a->size - a->top >= need) {
        size_t off = a->top;
        a->top += need;
        return off;
    }
    return (size_t)-1;
}

void *rt_shm_alloc(size_t n) {
    pthread_once(&heap_once, heap_setup);
    size_t need = ((n + 15) & ~(size_t)15) + BLOCK_HDR;
    int pid = (int)getpid();
    Arena *a = NULL;
    size_t off = (size_t)-1;
    for (size_t i = 0; i < narenas && off == (size_t)-1; i++)
        if (arenas[i].owner_pid == pid && (off = arena_take(&arenas[i], need)) != (size_t)-1)
            a = &arenas[i];
    if (!a) {
        if (!(a = arena_new(need))) return NULL;
        off = arena_take(a, need);
    }
    BlockHdr *h = (BlockHdr *)(a->base + off);
    h->size = need;
    h->fork_gen = fork_gen;
    memset(a->base + off + BLOCK_HDR, 0, need - BLOCK_HDR);
    return a->base + off + BLOCK_HDR;
}

static Arena *arena_of(const void *p) {
    const unsigned char *q = p;
    for (size_t i = 0; i < narenas; i++)
        if (q >= arenas[i].base && q < arenas[i].base + arenas[i].size) return &arenas[i];
    return NULL;
}

bool rt__shm_contains(const void *p) { return p && arena_of(p) != NULL; }

/* Inserts [off, off+len) into the sorted free list, merging neighbours. */
static void arena_give_back(Arena *a, size_t off, size_t len) {
    size_t i = 0;
    while (i < a->nfree && a->free[i].off < off) i++;
    if (i > 0 && a->free[i - 1].off + a->free[i - 1].len == off) {
        a->free[i - 1].len += len;
        if (i < a->nfree && off + len == a->free[i].off) {
            a->free[i - 1].len += a->free[i].len;
            memmove(&a->free[i], &a->free[i + 1], (a->nfree - i - 1) * sizeof(Range));
            a->nfree--;
        }
        return;
    }
    if (i < a->nfree && off + len == a->free[i].off) {
        a->free[i].off = off;
        a->free[i].len += len;
        return;
    }
    if (a->nfree == a->capfree) {
        size_t cap = a->capfree ? a->capfree * 2 : 8;
        Range *v = rt_realloc(a->free, cap * sizeof *v);
        if (!v) { if (rt_exc_pending) rt_decref(rt_exc_fetch()); return; }   /* leak the block */
        a->free = v;
        a->capfree = cap;
    }
    memmove(&a->free[i + 1], &a->free[i], (a->nfree - i) * sizeof(Range));
    a->free[i] = (Range){off, len};
    a->nfree++;
}

void rt_shm_free(void *p) {
    if (!p) return;
    Arena *a = arena_of(p);
    if (!a || a->owner_pid != (int)getpid()) return;      /* inherited or mapped: not ours */
    BlockHdr *h = (BlockHdr *)((unsigned char *)p - BLOCK_HDR);
    if (h->fork_gen != fork_gen) return;                  /* a child may still use it */
    size_t off = (size_t)((unsigned char *)h - a->base);
    if (off + h->size == a->top) { a->top = off; return; }
    arena_give_back(a, off, h->size);
}

/* Reference format: the memfd's number, its inode (the arena's identity in
 * every process), the arena size, and p's offset. While a child is being
 * spawned the fd is marked with rt_ser_pass_fd, so that the child finds it
 * open at the same number after the exec. */
typedef struct ShmRef { int32_t fd, pad; uint64_t ino, size, off; } ShmRef;

int rt__shared_assert_spawning(const char *type_name) {
    if (rt_ser_spawning()) return 0;
    rt_raise_fmt(&rt_exc_RuntimeError, "%s objects should only be shared between processes through inheritance",
                 type_name);
    return -1;
}

int rt_shm_dump_ref(struct RtBuf *buf, const void *p) {
    Arena *a = arena_of(p);
    if (!a) {
        rt_raise(&rt_exc_ValueError, "object is not in shared memory");
        return -1;
    }
    if (rt_ser_spawning() && rt_ser_pass_fd(a->fd) < 0) return -1;
    ShmRef r = {a->fd, 0, a->ino, a->size, (uint64_t)((const unsigned char *)p - a->base)};
    return rt__shared_put(buf, &r, sizeof r);
}

/* fstat + mmap of an arena's memfd inherited across the exec of a spawn. */
static Arena *arena_map(const ShmRef *r) {
    struct stat st;
    if (fstat(r->fd, &st) < 0 || (uint64_t)st.st_ino != r->ino) {
        rt_raise(&rt_exc_OSError, "shared memory of the parent process is not available");
        return NULL;
    }
    void *p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    if (p == MAP_FAILED) return rt_raise_errno(errno, NULL), NULL;
    Arena a = {p, r->size, r->size, r->fd, 0, r->ino, NULL, 0, 0};
    if (arena_add(&a) < 0) { munmap(p, r->size); return NULL; }
    return &arenas[narenas - 1];
}

void *rt_shm_load_ref(struct RtBuf *buf) {
    ShmRef r;
    if (rt__shared_get(buf, &r, sizeof r) < 0) return NULL;
    Arena *a = NULL;
    for (size_t i = 0; i < narenas && !a; i++)
        if (arenas[i].ino == r.ino) a = &arenas[i];
    if (!a && !(a = arena_map(&r))) return NULL;
    if (r.off >= a->size) return rt_raise(&rt_exc_ValueError, "corrupt shared-memory reference"), NULL;
    return a->base + r.off;
}

/* ==== RawValue, RawArray ========================================================= */

/* typecode_to_type of multiprocessing.sharedctypes. */
static RtType *typecode_type(char c) {
    switch (c) {
    case 'c': return &rt_ctypes_c_char;
    case 'u': return &rt_ctypes_c_wchar;
    case 'b': return &rt_ctypes_c_byte;
    case 'B': return &rt_ctypes_c_ubyte;
    case 'h': return &rt_ctypes_c_short;
    case 'H': return &rt_ctypes_c_ushort;
    case 'i': return &rt_ctypes_c_int;
    case 'I': return &rt_ctypes_c_uint;
    case 'l': return &rt_ctypes_c_long;
    case 'L': return &rt_ctypes_c_ulong;
    case 'q': return &rt_ctypes_c_longlong;
    case 'Q': return &rt_ctypes_c_ulonglong;
    case 'f': return &rt_ctypes_c_float;
    case 'd': return &rt_ctypes_c_double;
    }
    return NULL;
}

/* A typecode ('i') or a ctypes type (c_int, Point) to the type; TypeError
 * "this type has no size" otherwise, as ctypes.sizeof says in CPython. */
static RtType *resolve_type(RtValue *v) {
    if (rt_is_str(v) && rt_str_nbytes(v) == 1) {
        RtType *t = typecode_type(rt_str_data(v)[0]);
        if (t) return t;
    }
    if (v->type == &rt_type_type && rt_ctypes_is_type((RtType *)v)) return (RtType *)v;
    rt_raise(&rt_exc_TypeError, "this type has no size");
    return NULL;
}

/* A zeroed instance of t whose bytes are a fresh shared-heap block. */
static RtValue *new_shared(RtType *t) {
    size_t size, align;
    if (rt_ctypes_type_layout(t, &size, &align) < 0) return NULL;
    unsigned char *p = rt_shm_alloc(size ? size : 1);
    if (!p) return NULL;
    rt_mp_heap_malloc(p, size);   /* BufferWrapper(size) */
    RtValue *o = rt_ctypes_from_memory(t, p, NULL);
    if (!o) rt_shm_free(p);
    return o;
}

/* obj.__init__(*args): a script class's own __init__ when it has one. */
static int init_shared(RtValue *obj, RtValue *const *args, size_t nargs) {
    if (!(obj->type->flags & RT_TF_HEAP)) return rt_ctypes_init(obj, args, nargs, NULL);
    RtValue *r = rt_call_method(obj, "__init__", args, nargs, NULL);
    if (!r) return -1;
    rt_decref(r);
    return 0;
}

static RtValue *raw_value(RtValue *tc, RtValue *const *args, size_t nargs) {
    RtType *t = resolve_type(tc);
    if (!t) return NULL;
    RtValue *o = new_shared(t);
    if (o && init_shared(o, args, nargs) < 0) RT_CLEAR(o);
    return o;
}

/* CPython wraps errors from building a Structure element out of a tuple:
 * RuntimeError "(Point) TypeError: too many initializers". */
static void wrap_struct_error(RtType *elem) {
    if (!rt_exc_pending || !rt_type_is_subtype(elem, &rt_ctypes_Structure)) return;
    RtValue *e = rt_exc_fetch();
    RtValue *msg = rt_exc_str(e);
    if (msg) {
        rt_raise_fmt(&rt_exc_RuntimeError, "(%s) %s: %S", elem->name, rt_type_name(e), msg);
        rt_decref(msg);
    }
    rt_decref(e);
}

static RtValue *raw_array(RtValue *tc, RtValue *size_or_init) {
    RtType *elem = resolve_type(tc);
    if (!elem) return NULL;
    if (rt_is_int(size_or_init)) {
        int64_t n;
        if (rt_int_as_i64(size_or_init, &n) < 0) return NULL;
        RtType *t = rt_ctypes_array_type(elem, n, "multiprocessing.sharedctypes");
        return t ? new_shared(t) : NULL;
    }
    int64_t n = rt_len(size_or_init);
    if (n < 0) return NULL;
    RtValue *items = rt_list_from_iter(size_or_init);
    if (!items) return NULL;
    RtType *t = rt_ctypes_array_type(elem, (int64_t)RT_LIST_LEN(items), "multiprocessing.sharedctypes");
    RtValue *o = t ? new_shared(t) : NULL;
    if (o && rt_ctypes_init(o, ((RtList *)items)->items, RT_LIST_LEN(items), NULL) < 0) {
        wrap_struct_error(elem);
        RT_CLEAR(o);
    }
    rt_decref(items);
    return o;
}

RtValue *rt_mp_RawValue(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (kwnames && RT_TUPLE_LEN(kwnames))
        return rt_raise_fmt(&rt_exc_TypeError, "RawValue() got an unexpected keyword argument '%S'",
                            RT_TUPLE_GET(kwnames, 0));
    if (nargs < 1)
        return rt_raise(&rt_exc_TypeError,
                        "RawValue() missing 1 required positional argument: 'typecode_or_type'");
    return raw_value(args[0], args + 1, nargs - 1);
}

RtValue *rt_mp_RawArray(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const kw[] = {"typecode_or_type", "size_or_initializer"};
    static const RtArgSpec sp = {"RawArray", kw, 2, 2, 2, false, false};
    RtValue *a[2];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    return raw_array(a[0], a[1]);
}

/* ==== the synchronized wrappers ==================================================== */

typedef struct RtSynced {
    RtValue  ob;
    RtValue *obj;          /* the ctypes object (owned) */
    RtValue *lock;         /* the lock (owned) */
    bool     native;       /* lock is one of sync.c's: call it directly */
} RtSynced;

#define SYNCED(o) ((RtSynced *)(o))
#define CDATA_IS_SIMPLE(o) (((RtCData *)(o))->code != 0)

static int lock_enter(RtSynced *s) {
    if (RT_LIKELY(s->native)) return rt_mp_lock_acquire(s->lock, true, -1) < 0 ? -1 : 0;
    RtValue *r = rt_call_method(s->lock, "acquire", NULL, 0, NULL);
    if (!r) return -1;
    rt_decref(r);
    return 0;
}

static int lock_exit(RtSynced *s) {
    if (RT_LIKELY(s->native)) return rt_mp_lock_release(s->lock);
    RtValue *r = rt_call_method(s->lock, "release", NULL, 0, NULL);
    if (!r) return -1;
    rt_decref(r);
    return 0;
}

/* Runs get(obj) under the lock. */
static RtValue *locked_get(RtValue *self, RtValue *(*get)(RtValue *, const void *), const void *arg) {
    RtSynced *s = SYNCED(self);
    if (lock_enter(s) < 0) return NULL;
    RtValue *v = get(s->obj, arg);
    if (lock_exit(s) < 0) RT_CLEAR(v);
    return v;
}

static int locked_set(RtValue *self, int (*set)(RtValue *, const void *, RtValue *), const void *arg,
                      RtValue *v) {
    RtSynced *s = SYNCED(self);
    if (lock_enter(s) < 0) return -1;
    int r = set(s->obj, arg, v);
    if (lock_exit(s) < 0) r = -1;
    return r;
}

static void synced_dealloc(RtValue *self) {
    RT_CLEAR(SYNCED(self)->obj);
    RT_CLEAR(SYNCED(self)->lock);
}

/* The class name CPython would show: "Synchronized", ..., "SynchronizedPoint". */
static const char *synced_type_name(RtValue *self, char *buf, size_t n) {
    if (self->type != &rt_mp_SynchronizedStructure) return self->type->name;
    snprintf(buf, n, "Synchronized%s", SYNCED(self)->obj->type->name);
    return buf;
}

/* "<Synchronized wrapper for c_int(7)>" */
static RtValue *synced_repr(RtValue *self) {
    RtValue *inner = rt_str(SYNCED(self)->obj);
    if (!inner) return NULL;
    char name[128];
    RtValue *parts[4] = {rt_str_new("<", 1), rt_str_from_cstr(synced_type_name(self, name, sizeof name)),
                         rt_str_new(" wrapper for ", 13), inner};
    RtValue *tail = rt_str_new(">", 1);
    RtValue *all[5] = {parts[0], parts[1], parts[2], parts[3], tail};
    RtValue *r = parts[0] && parts[1] && parts[2] && tail ? rt_str_build(all, 5) : NULL;
    for (int i = 0; i < 5; i++) rt_xdecref(all[i]);
    return r;
}

/* ---- methods common to all wrappers ---- */

static RtValue *synced_m_get_lock(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt_check_args("get_lock", nargs, kwnames, 0, 0) < 0) return NULL;
    return rt_newref(SYNCED(self)->lock);
}

static RtValue *synced_m_get_obj(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt_check_args("get_obj", nargs, kwnames, 0, 0) < 0) return NULL;
    return rt_newref(SYNCED(self)->obj);
}

static RtValue *synced_m_acquire(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtSynced *s = SYNCED(self);
    if (s->native) return rt_mp_lock_m_acquire(s->lock, args, nargs, kwnames);
    return rt_call_method(s->lock, "acquire", args, nargs, kwnames);
}

static RtValue *synced_m_release(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtSynced *s = SYNCED(self);
    if (s->native) return rt_mp_lock_m_release(s->lock, args, nargs, kwnames);
    return rt_call_method(s->lock, "release", args, nargs, kwnames);
}

static RtValue *synced_m_enter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args; (void)nargs; (void)kwnames;
    RtSynced *s = SYNCED(self);
    if (s->native) {
        int r = rt_mp_lock_acquire(s->lock, true, -1);
        return r < 0 ? NULL : rt_bool(r);
    }
    return rt_call_method(s->lock, "__enter__", NULL, 0, NULL);
}

static RtValue *synced_m_exit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtSynced *s = SYNCED(self);
    if (s->native) return rt_mp_lock_release(s->lock) < 0 ? NULL : rt_None;
    return rt_call_method(s->lock, "__exit__", args, nargs, kwnames);
}

#define SYNCED_METHODS                          \
    {"get_lock", synced_m_get_lock},            \
    {"get_obj", synced_m_get_obj},              \
    {"acquire", synced_m_acquire},              \
    {"release", synced_m_release},              \
    {"__enter__", synced_m_enter},              \
    {"__exit__", synced_m_exit}

static const RtMethodDef synced_methods[] = {SYNCED_METHODS, {NULL, NULL}};

/* ---- Synchronized (a scalar): .value ---- */

static RtValue *get_value(RtValue *obj, const void *arg) { (void)arg; return rt_ctypes_get_value(obj); }
static int set_value(RtValue *obj, const void *arg, RtValue *v) { (void)arg; return rt_ctypes_set_value(obj, v); }

static RtValue *synced_get_value(RtValue *self) { return locked_get(self, get_value, NULL); }
static int synced_set_value(RtValue *self, RtValue *v) { return locked_set(self, set_value, NULL, v); }

static const RtGetSetDef synced_value_getset[] = {
    {"value", synced_get_value, synced_set_value},
    {NULL, NULL, NULL},
};

/* ---- SynchronizedArray: len, [i], [i:j], iteration ---- */

static int64_t synced_len(RtValue *self) { return rt_len(SYNCED(self)->obj); }

static RtValue *get_item(RtValue *obj, const void *key) { return rt_getitem(obj, (RtValue *)key); }
static int set_item(RtValue *obj, const void *key, RtValue *v) { return rt_setitem(obj, (RtValue *)key, v); }

static RtValue *synced_getitem(RtValue *self, RtValue *key) { return locked_get(self, get_item, key); }
static int synced_setitem(RtValue *self, RtValue *key, RtValue *v) { return locked_set(self, set_item, key, v); }

/* Iteration is CPython's sequence protocol over __getitem__: A[0], A[1], ... */
typedef struct SyncIter { RtValue ob; RtValue *seq; int64_t i; } SyncIter;
RtType rt_mp_SynchronizedIter;

static RtValue *synced_iter(RtValue *self) {
    SyncIter *it = (SyncIter *)rt_obj_alloc(&rt_mp_SynchronizedIter, sizeof(SyncIter));
    if (!it) return NULL;
    it->seq = rt_newref(self);
    return &it->ob;
}

static RtValue *sync_iter_next(RtValue *self) {
    SyncIter *it = (SyncIter *)self;
    if (!it->seq) return NULL;
    if (it->i >= synced_len(it->seq)) { RT_CLEAR(it->seq); return NULL; }
    RtValue *k = rt_int(it->i++);
    if (!k) return NULL;
    RtValue *v = synced_getitem(it->seq, k);
    rt_decref(k);
    return v;
}

static RtValue *sync_iter_self(RtValue *self) { return rt_newref(self); }
static void sync_iter_dealloc(RtValue *self) { RT_CLEAR(((SyncIter *)self)->seq); }

RtType rt_mp_SynchronizedIter = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "iterator",
    .tag = RT_T_ITER,
    .size = sizeof(SyncIter),
    .table_index = -1,
    .dealloc = sync_iter_dealloc,
    .iter = sync_iter_self,
    .iternext = sync_iter_next,
};

/* ---- SynchronizedString: .value and .raw of a 'c' array ---- */

static RtValue *get_raw(RtValue *obj, const void *arg) { (void)arg; return rt_getattr(obj, "raw"); }
static int set_raw(RtValue *obj, const void *arg, RtValue *v) { (void)arg; return rt_setattr(obj, "raw", v); }
static RtValue *synced_get_raw(RtValue *self) { return locked_get(self, get_raw, NULL); }
static int synced_set_raw(RtValue *self, RtValue *v) { return locked_set(self, set_raw, NULL, v); }

static const RtGetSetDef synced_string_getset[] = {
    {"value", synced_get_value, synced_set_value},
    {"raw", synced_get_raw, synced_set_raw},
    {NULL, NULL, NULL},
};

/* ---- Synchronized<Structure>: the fields, under the lock ---- */

static RtValue *get_field(RtValue *obj, const void *name) { return rt_getattr(obj, name); }
static int set_field(RtValue *obj, const void *name, RtValue *v) { return rt_setattr(obj, name, v); }

static RtValue *synced_struct_getattr(RtValue *self, const char *name) {
    if (!rt__ctypes_has_field(SYNCED(self)->obj->type, name)) {
        char tn[128];
        return rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute '%s'",
                            synced_type_name(self, tn, sizeof tn), name);
    }
    return locked_get(self, get_field, name);
}

static int synced_struct_setattr(RtValue *self, const char *name, RtValue *v) {
    if (!rt__ctypes_has_field(SYNCED(self)->obj->type, name)) {
        char tn[128];
        rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute '%s'",
                     synced_type_name(self, tn, sizeof tn), name);
        return -1;
    }
    return locked_set(self, set_field, name, v);
}

/* ---- serialization: the lock, then the object by reference ---- */

static int synced_ser_dump(RtValue *self, struct RtBuf *buf) {
    char buf_[128];
    if (rt__shared_assert_spawning(synced_type_name(self, buf_, sizeof buf_)) < 0) return -1;
    if (rt_ser_dump(buf, SYNCED(self)->lock) < 0) return -1;
    return rt__ctypes_dump_obj(buf, SYNCED(self)->obj);
}

static RtValue *wrap(RtValue *obj, RtValue *lock);

static RtValue *synced_ser_load(RtType *type, struct RtBuf *buf) {
    (void)type;
    RtValue *lock = rt_ser_load(buf);
    if (!lock) return NULL;
    RtValue *obj = rt__ctypes_load_obj(buf);
    RtValue *w = obj ? wrap(obj, lock) : NULL;
    rt_xdecref(obj);
    rt_decref(lock);
    return w;
}

#define SYNCED_TYPE(cname, pyname, ...)                               \
    RtType cname = {                                                       \
        .ob = RT_STATIC_HEAD(&rt_type_type),                               \
        .name = pyname,                                                    \
        .module = "multiprocessing.sharedctypes",                          \
        .tag = RT_T_NATIVE,                                                \
        .size = sizeof(RtSynced),                                          \
        .table_index = -1,                                                 \
        .dealloc = synced_dealloc,                                         \
        .repr = synced_repr,                                               \
        .ser_dump = synced_ser_dump,                                       \
        .ser_load = synced_ser_load,                                       \
        .methods = synced_methods,                                         \
        __VA_ARGS__                                                        \
    }

SYNCED_TYPE(rt_mp_Synchronized, "Synchronized", .getset = synced_value_getset);
SYNCED_TYPE(rt_mp_SynchronizedArray, "SynchronizedArray",
            .len = synced_len, .getitem = synced_getitem, .setitem = synced_setitem,
            .iter = synced_iter);
SYNCED_TYPE(rt_mp_SynchronizedString, "SynchronizedString",
            .len = synced_len, .getitem = synced_getitem, .setitem = synced_setitem,
            .iter = synced_iter, .getset = synced_string_getset);

/* Wrappers of Structures share one static type (so that the serializer can
 * name it); CPython makes a class per Structure, "Synchronized" + its name,
 * which is the name reprs and messages show. */
SYNCED_TYPE(rt_mp_SynchronizedStructure, "SynchronizedStructure",
            .getattr = synced_struct_getattr, .setattr = synced_struct_setattr);

/* The wrapper type for obj, as sharedctypes.synchronized chooses it. */
static RtType *wrapper_type(RtValue *obj) {
    RtType *t = obj->type;
    if (CDATA_IS_SIMPLE(obj)) return &rt_mp_Synchronized;
    if (rt_type_is_subtype(t, &rt_ctypes_Structure)) return &rt_mp_SynchronizedStructure;
    RtValue *raw = rt_getattr_opt(obj, "raw");     /* only c_char arrays have .raw */
    if (raw) { rt_decref(raw); return &rt_mp_SynchronizedString; }
    if (RT_ERR()) return NULL;
    return &rt_mp_SynchronizedArray;
}

static RtValue *wrap(RtValue *obj, RtValue *lock) {
    RtType *t = wrapper_type(obj);
    if (!t) return NULL;
    RtSynced *s = (RtSynced *)rt_obj_alloc(t, sizeof(RtSynced));
    if (!s) return NULL;
    s->obj = rt_newref(obj);
    s->lock = rt_newref(lock);
    s->native = rt_mp_is_lock(lock);
    return &s->ob;
}

/* lock=True/None: a new RLock; False: none; else anything with .acquire. */
static RtValue *synchronize(RtValue *obj, RtValue *lock) {
    if (lock == rt_False) return rt_newref(obj);
    int is_true = lock == rt_None ? 1 : rt_eq(lock, rt_True);
    if (is_true < 0) return NULL;
    RtValue *own = NULL;
    if (is_true) {
        if (!(own = rt_call((RtValue *)&rt_mp_RLock, NULL, 0, NULL))) return NULL;
        lock = own;
    } else {
        int h = rt_hasattr(lock, "acquire");
        if (h < 0) return NULL;
        if (!h) return rt_raise_fmt(&rt_exc_AttributeError, "%R has no method 'acquire'", lock);
    }
    RtValue *w = wrap(obj, lock);
    rt_xdecref(own);
    return w;
}

/* Splits Value/Array's keyword-only `lock` (and the ignored `ctx`) off. */
static int take_lock_kw(const char *fname, size_t nargs, RtValue *kwnames, RtValue *const *args,
                        RtValue **lock) {
    *lock = rt_True;
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    for (size_t i = 0; i < nkw; i++) {
        const char *k = rt_str_data(RT_TUPLE_GET(kwnames, i));
        if (strcmp(k, "lock") == 0) *lock = args[nargs + i];
        else if (strcmp(k, "ctx") != 0) {
            rt_raise_fmt(&rt_exc_TypeError, "BaseContext.%s() got an unexpected keyword argument '%s'", fname, k);
            return -1;
        }
    }
    return 0;
}

RtValue *rt_mp_Value(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    RtValue *lock;
    if (take_lock_kw("Value", nargs, kwnames, args, &lock) < 0) return NULL;
    if (nargs < 1)
        return rt_raise(&rt_exc_TypeError,
                        "BaseContext.Value() missing 1 required positional argument: 'typecode_or_type'");
    rt_mp_default_context_use();   /* Value(..., ctx=self.get_context()) */
    RtValue *obj = raw_value(args[0], args + 1, nargs - 1);
    if (!obj) return NULL;
    RtValue *r = synchronize(obj, lock);
    rt_decref(obj);
    return r;
}

RtValue *rt_mp_Array(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    RtValue *lock;
    if (take_lock_kw("Array", nargs, kwnames, args, &lock) < 0) return NULL;
    if (nargs != 2) {
        if (nargs > 2)
            return rt_raise_fmt(&rt_exc_TypeError,
                                "BaseContext.Array() takes 3 positional arguments but %d were given",
                                (int)nargs + 1);
        return rt_raise_fmt(&rt_exc_TypeError, "BaseContext.Array() missing %d required positional argument%s: %s",
                            2 - (int)nargs, nargs ? "" : "s",
                            nargs ? "'size_or_initializer'" : "'typecode_or_type' and 'size_or_initializer'");
    }
    rt_mp_default_context_use();
    RtValue *obj = raw_array(args[0], args[1]);
    if (!obj) return NULL;
    RtValue *r = synchronize(obj, lock);
    rt_decref(obj);
    return r;
}

RtValue *rt_mp_synchronized(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const kw[] = {"obj", "lock", "ctx"};
    static const RtArgSpec sp = {"synchronized", kw, 3, 3, 1, false, false};
    RtValue *a[3];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    if (!rt_ctypes_is_type(a[0]->type))
        return rt_raise(&rt_exc_AssertionError, "object already synchronized");
    return synchronize(a[0], a[1] ? a[1] : rt_None);
}

/* ==== fast paths for generated code ======================================================== */

RtValue *rt_mp_synced_lock(RtValue *v) {
    if (v->type->methods == synced_methods) return SYNCED(v)->lock;     /* every wrapper type */
    rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute 'get_lock'", rt_type_name(v));
    return NULL;
}

/* The scalar behind v (a wrapper or a raw scalar) and, for a wrapper, its
 * lock taken; NULL + TypeError when v holds no scalar. */
static RtCData *scalar_enter(RtValue *v, RtSynced **held) {
    RtValue *obj = v;
    if (RT_LIKELY(v->type == &rt_mp_Synchronized)) {    /* always wraps a scalar */
        *held = SYNCED(v);
        return lock_enter(*held) < 0 ? NULL : (RtCData *)SYNCED(v)->obj;
    }
    *held = NULL;
    if (!rt_ctypes_is_type(obj->type) || !CDATA_IS_SIMPLE(obj)) {
        rt_raise_fmt(&rt_exc_TypeError, "'%s' object is not a scalar Value", rt_type_name(v));
        return NULL;
    }
    return (RtCData *)obj;
}

static int scalar_exit(RtSynced *held, int r) {
    if (held && lock_exit(held) < 0) return -1;
    return r;
}

static int not_of_kind(RtCData *c, const char *kind) {
    rt_raise_fmt(&rt_exc_TypeError, "%s Value expected, not %s", kind, c->ob.type->name);
    return -1;
}

static int read_i64(RtCData *c, int64_t *out) {
    const unsigned char *p = c->ptr;
    switch (c->code) {
    case '?': *out = *p != 0; return 0;
    case 'b': *out = (int8_t)*p; return 0;
    case 'B': *out = *p; return 0;
    case 'h': { int16_t x; memcpy(&x, p, 2); *out = x; return 0; }
    case 'H': { uint16_t x; memcpy(&x, p, 2); *out = x; return 0; }
    case 'i': { int32_t x; memcpy(&x, p, 4); *out = x; return 0; }
    case 'I': { uint32_t x; memcpy(&x, p, 4); *out = x; return 0; }
    case 'l': case 'q': memcpy(out, p, 8); return 0;
    case 'L': case 'Q': {
        uint64_t x;
        memcpy(&x, p, 8);
        *out = (int64_t)x;
        if (x <= INT64_MAX) return 0;
        rt_raise(&rt_exc_OverflowError, "Python int too large to convert to C long");
        return -1;
    }
    }
    return not_of_kind(c, "an integer");
}

static int write_i64(RtCData *c, int64_t x) {
    unsigned char *p = c->ptr;
    uint64_t u = (uint64_t)x;
    switch (c->code) {
    case '?': *p = x != 0; return 0;
    case 'b': case 'B': *p = (uint8_t)u; return 0;
    case 'h': case 'H': { uint16_t y = (uint16_t)u; memcpy(p, &y, 2); return 0; }
    case 'i': case 'I': { uint32_t y = (uint32_t)u; memcpy(p, &y, 4); return 0; }
    case 'l': case 'q': case 'L': case 'Q': memcpy(p, &u, 8); return 0;
    }
    return not_of_kind(c, "an integer");
}

int rt_mp_value_get_i64(RtValue *v, int64_t *out) {
    if (RT_LIKELY(v->type == &rt_mp_Synchronized && SYNCED(v)->native)) {   /* Value('i') */
        RtSynced *s = SYNCED(v);
        if (rt_mp_lock_acquire(s->lock, true, -1) < 0) return -1;
        int r = read_i64((RtCData *)s->obj, out);
        return rt_mp_lock_release(s->lock) < 0 ? -1 : r;
    }
    RtSynced *held;
    RtCData *c = scalar_enter(v, &held);
    return c ? scalar_exit(held, read_i64(c, out)) : -1;
}

int rt_mp_value_set_i64(RtValue *v, int64_t x) {
    if (RT_LIKELY(v->type == &rt_mp_Synchronized && SYNCED(v)->native)) {
        RtSynced *s = SYNCED(v);
        if (rt_mp_lock_acquire(s->lock, true, -1) < 0) return -1;
        int r = write_i64((RtCData *)s->obj, x);
        return rt_mp_lock_release(s->lock) < 0 ? -1 : r;
    }
    RtSynced *held;
    RtCData *c = scalar_enter(v, &held);
    return c ? scalar_exit(held, write_i64(c, x)) : -1;
}

int rt_mp_value_get_f64(RtValue *v, double *out) {
    RtSynced *held;
    RtCData *c = scalar_enter(v, &held);
    if (!c) return -1;
    int r = 0;
    if (c->code == 'd') memcpy(out, c->ptr, 8);
    else if (c->code == 'f') { float f; memcpy(&f, c->ptr, 4); *out = f; }
    else r = not_of_kind(c, "a float");
    return scalar_exit(held, r);
}

int rt_mp_value_set_f64(RtValue *v, double x) {
    RtSynced *held;
    RtCData *c = scalar_enter(v, &held);
    if (!c) return -1;
    int r = 0;
    if (c->code == 'd') memcpy(c->ptr, &x, 8);
    else if (c->code == 'f') { float f = (float)x; memcpy(c->ptr, &f, 4); }
    else r = not_of_kind(c, "a float");
    return scalar_exit(held, r);
}

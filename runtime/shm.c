/* shm.c: multiprocessing.shared_memory (SharedMemory, ShareableList), the
 * memoryview its .buf returns, and the buffer protocol of this section.
 *
 * SharedMemory maps a named POSIX segment: shm_open("/psm_XXXXXXXX",
 * O_CREAT|O_EXCL|O_RDWR, 0600) + ftruncate + mmap(MAP_SHARED) to create one
 * (the 8 hex digits come from getrandom, as CPython's secrets.token_hex(4)),
 * shm_open(O_RDWR) + fstat + mmap to attach to it by name in any process.
 * ShareableList lays its items out in such a segment exactly as CPython's
 * does (a count, the items' offsets, the packed items, their struct formats
 * and their back-transform codes), so sizes, formats and errors match.
 *
 * Cleanup. A segment lives in /dev/shm until someone unlinks it, and no
 * segment may outlive the program, even after Ctrl-C or a crashed child.
 * CPython hands the names to its resource tracker process; here a small
 * table in a MAP_SHARED|MAP_ANONYMOUS page, mapped by a constructor when the
 * program starts, records every segment that any process of the program
 * creates (so it is shared with every child forked later). unlink() clears
 * the entry. rt_shm_cleanup_all() unlinks whatever is left; it runs at exit
 * (atexit) and from the runtime's SIGINT/SIGTERM handlers, and only in the
 * first process of the program (the table's owner): segments made by a child
 * outlive the child, as with CPython, and are removed when the program ends.
 * It only uses atomics and shm_unlink, so it is async-signal-safe.
 */
#include "mp2c.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== the table of segments to remove at exit ==================================== */

#define TRACK_SLOTS 256
#define NAME_MAX_SHM 40

enum { SLOT_FREE, SLOT_BUSY, SLOT_LIVE };

typedef struct TrackSlot { _Atomic int state; char name[NAME_MAX_SHM]; } TrackSlot;
typedef struct Tracker { int root_pid; TrackSlot slots[TRACK_SLOTS]; } Tracker;

static Tracker *tracker;

static void cleanup_at_exit(void) { rt_shm_cleanup_all(); }

__attribute__((constructor)) static void tracker_init(void) {
    void *p = mmap(NULL, sizeof(Tracker), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;       /* then nothing is tracked: unlink() still works */
    tracker = p;
    tracker->root_pid = (int)getpid();
    atexit(cleanup_at_exit);
}

static void track(const char *name) {
    if (!tracker) return;
    for (int i = 0; i < TRACK_SLOTS; i++) {
        int expect = SLOT_FREE;
        if (!atomic_compare_exchange_strong(&tracker->slots[i].state, &expect, SLOT_BUSY)) continue;
        snprintf(tracker->slots[i].name, NAME_MAX_SHM, "%s", name);
        atomic_store(&tracker->slots[i].state, SLOT_LIVE);
        return;
    }
}

static void untrack(const char *name) {
    if (!tracker) return;
    for (int i = 0; i < TRACK_SLOTS; i++) {
        TrackSlot *s = &tracker->slots[i];
        if (atomic_load(&s->state) != SLOT_LIVE || strcmp(s->name, name) != 0) continue;
        int expect = SLOT_LIVE;
        if (atomic_compare_exchange_strong(&s->state, &expect, SLOT_BUSY)) {
            s->name[0] = '\0';
            atomic_store(&s->state, SLOT_FREE);
        }
        return;
    }
}

void rt_shm_cleanup_all(void) {
    if (!tracker || getpid() != tracker->root_pid) return;
    for (int i = 0; i < TRACK_SLOTS; i++) {
        TrackSlot *s = &tracker->slots[i];
        int expect = SLOT_LIVE;
        if (!atomic_compare_exchange_strong(&s->state, &expect, SLOT_BUSY)) continue;
        shm_unlink(s->name);
        s->name[0] = '\0';
        atomic_store(&s->state, SLOT_FREE);
    }
}

/* ==== memoryview ======================================================================= */

typedef struct RtMemView {
    RtValue        ob;
    RtValue       *owner;      /* the object whose bytes these are (owned) */
    unsigned char *ptr;
    int64_t        len;        /* items (bytes: format 'B') */
    int64_t        stride;
    bool           readonly;
    bool           released;
    bool           weak;       /* SharedMemory.buf: owner not counted (it owns the view) */
} RtMemView;

#define MV(o) ((RtMemView *)(o))

typedef struct RtShm RtShm;
static void shm_export(RtValue *owner, int delta);

static RtValue *mv_new(RtValue *owner, unsigned char *ptr, int64_t len, int64_t stride, bool readonly) {
    RtMemView *m = (RtMemView *)rt_obj_alloc(&rt_type_memoryview, sizeof(RtMemView));
    if (!m) return NULL;
    m->owner = rt_newref(owner);
    m->ptr = ptr;
    m->len = len;
    m->stride = stride;
    m->readonly = readonly;
    shm_export(owner, 1);
    return &m->ob;
}

static void mv_release(RtMemView *m) {
    if (m->released) return;
    m->released = true;
    if (m->weak) { m->owner = NULL; return; }
    shm_export(m->owner, -1);
    RT_CLEAR(m->owner);
}

static void mv_dealloc(RtValue *self) { mv_release(MV(self)); }

static int mv_check(RtMemView *m) {
    if (!m->released) return 0;
    rt_raise(&rt_exc_ValueError, "operation forbidden on released memoryview object");
    return -1;
}

RtValue *rt_memoryview_new(RtValue *obj) {
    if (obj->type == &rt_type_memoryview) {
        RtMemView *m = MV(obj);
        if (mv_check(m) < 0) return NULL;
        return mv_new(m->owner, m->ptr, m->len, m->stride, m->readonly);
    }
    unsigned char *p;
    size_t n;
    if (rt_shared_buffer(obj, &p, &n, false) < 0) {
        if (rt_exc_matches((RtValue *)&rt_exc_TypeError)) {
            rt_decref(rt_exc_fetch());
            return rt_raise_fmt(&rt_exc_TypeError, "memoryview: a bytes-like object is required, not '%s'",
                                rt_type_name(obj));
        }
        return NULL;
    }
    return mv_new(obj, p, (int64_t)n, 1, rt_is_bytes(obj));
}

/* The bytes of a contiguous view, copied (tobytes, bytes(view)). */
static RtValue *mv_tobytes_value(RtMemView *m) {
    if (m->stride == 1) return rt_bytes_new(m->ptr, (size_t)m->len);
    unsigned char *tmp = rt_malloc((size_t)m->len + 1);
    if (!tmp) return NULL;
    for (int64_t i = 0; i < m->len; i++) tmp[i] = m->ptr[i * m->stride];
    RtValue *b = rt_bytes_new(tmp, (size_t)m->len);
    rt_free(tmp);
    return b;
}

static int64_t mv_len(RtValue *self) {
    if (mv_check(MV(self)) < 0) return -1;
    return MV(self)->len;
}

static int mv_index(RtMemView *m, RtValue *key, int64_t *i) {
    if (!rt_is_int(key)) {
        rt_raise(&rt_exc_TypeError, "memoryview: invalid slice key");
        return -1;
    }
    if (rt_int_as_i64(key, i) < 0) return -1;
    if (*i < 0) *i += m->len;
    if (*i < 0 || *i >= m->len) {
        rt_raise(&rt_exc_IndexError, "index out of bounds on dimension 1");
        return -1;
    }
    return 0;
}

static RtValue *mv_getitem(RtValue *self, RtValue *key) {
    RtMemView *m = MV(self);
    if (mv_check(m) < 0) return NULL;
    if (rt_is_slice(key)) {
        int64_t start, stop, step, n;
        if (rt_slice_indices(key, m->len, &start, &stop, &step, &n) < 0) return NULL;
        return mv_new(m->owner, m->ptr + start * m->stride, n, step * m->stride, m->readonly);
    }
    int64_t i;
    if (mv_index(m, key, &i) < 0) return NULL;
    return rt_int(m->ptr[i * m->stride]);
}

static int mv_setitem(RtValue *self, RtValue *key, RtValue *v) {
    RtMemView *m = MV(self);
    if (mv_check(m) < 0) return -1;
    if (!v) { rt_raise(&rt_exc_TypeError, "cannot delete memory"); return -1; }
    if (m->readonly) { rt_raise(&rt_exc_TypeError, "cannot modify read-only memory"); return -1; }
    if (rt_is_slice(key)) {
        int64_t start, stop, step, n;
        if (rt_slice_indices(key, m->len, &start, &stop, &step, &n) < 0) return -1;
        unsigned char *src;
        size_t sn;
        if (rt_shared_buffer(v, &src, &sn, false) < 0) return -1;
        if ((int64_t)sn != n) {
            rt_raise(&rt_exc_ValueError, "memoryview assignment: lvalue and rvalue have different structures");
            return -1;
        }
        if (step * m->stride == 1) memmove(m->ptr + start * m->stride, src, sn);
        else for (int64_t k = 0; k < n; k++) m->ptr[(start + k * step) * m->stride] = src[k];
        return 0;
    }
    int64_t i, x;
    if (mv_index(m, key, &i) < 0) return -1;
    if (!rt_is_int(v)) { rt_raise(&rt_exc_TypeError, "memoryview: invalid type for format 'B'"); return -1; }
    if (rt_int_as_i64(v, &x) < 0 || x < 0 || x > 255) {
        if (RT_ERR()) rt_decref(rt_exc_fetch());
        rt_raise(&rt_exc_ValueError, "memoryview: invalid value for format 'B'");
        return -1;
    }
    m->ptr[i * m->stride] = (unsigned char)x;
    return 0;
}

/* view == other: the same bytes (any bytes-like object). */
static RtValue *mv_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (op != RT_EQ && op != RT_NE) return rt_NotImplemented;
    RtValue *view = a->type == &rt_type_memoryview ? a : b, *other = view == a ? b : a;
    if (MV(view)->released || (other->type == &rt_type_memoryview && MV(other)->released))
        return rt_bool((a == b) == (op == RT_EQ));
    RtValue *x = mv_tobytes_value(MV(view));
    if (!x) return NULL;
    RtValue *y = other->type == &rt_type_memoryview ? mv_tobytes_value(MV(other)) : NULL;
    unsigned char *q;
    size_t qn;
    bool eq;
    if (y) {
        eq = ((RtBytes *)x)->len == ((RtBytes *)y)->len &&
             memcmp(((RtBytes *)x)->data, ((RtBytes *)y)->data, ((RtBytes *)x)->len) == 0;
        rt_decref(y);
    } else if (other->type != &rt_type_memoryview && rt_shared_buffer(other, &q, &qn, false) == 0) {
        eq = ((RtBytes *)x)->len == qn && memcmp(((RtBytes *)x)->data, q, qn) == 0;
    } else {
        if (RT_ERR()) rt_decref(rt_exc_fetch());
        eq = false;
    }
    rt_decref(x);
    return rt_bool(eq == (op == RT_EQ));
}

static RtValue *mv_repr(RtValue *self) {
    char buf[64];
    snprintf(buf, sizeof buf, MV(self)->released ? "<released memory at %p>" : "<memory at %p>", (void *)self);
    return rt_str_from_cstr(buf);
}

/* Iteration yields the ints of the bytes. */
typedef struct MvIter { RtValue ob; RtValue *mv; int64_t i; } MvIter;
static RtType mv_iter_type;

static RtValue *mv_iter(RtValue *self) {
    if (mv_check(MV(self)) < 0) return NULL;
    MvIter *it = (MvIter *)rt_obj_alloc(&mv_iter_type, sizeof(MvIter));
    if (!it) return NULL;
    it->mv = rt_newref(self);
    return &it->ob;
}

static RtValue *mv_iter_next(RtValue *self) {
    MvIter *it = (MvIter *)self;
    RtMemView *m = MV(it->mv);
    if (mv_check(m) < 0) return NULL;
    if (it->i >= m->len) return NULL;
    return rt_int(m->ptr[it->i++ * m->stride]);
}

static RtValue *mv_iter_self(RtValue *self) { return rt_newref(self); }
static void mv_iter_dealloc(RtValue *self) { RT_CLEAR(((MvIter *)self)->mv); }

static RtType mv_iter_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "memory_iterator",
    .tag = RT_T_ITER,
    .size = sizeof(MvIter),
    .table_index = -1,
    .dealloc = mv_iter_dealloc,
    .iter = mv_iter_self,
    .iternext = mv_iter_next,
};

/* ---- methods ---- */

static RtValue *mv_m_tobytes(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt_check_args("tobytes", nargs, kwnames, 0, 0) < 0 || mv_check(MV(self)) < 0) return NULL;
    return mv_tobytes_value(MV(self));
}

static RtValue *mv_m_tolist(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt_check_args("tolist", nargs, kwnames, 0, 0) < 0 || mv_check(MV(self)) < 0) return NULL;
    RtMemView *m = MV(self);
    RtValue *l = rt_list_new((size_t)m->len);
    for (int64_t i = 0; l && i < m->len; i++) {
        RtValue *v = rt_int(m->ptr[i * m->stride]);
        if (!v || rt_list_append_steal(l, v) < 0) RT_CLEAR(l);
    }
    return l;
}

/* hex(sep=None, bytes_per_sep=1) */
static RtValue *mv_m_hex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const kw[] = {"sep", "bytes_per_sep"};
    static const RtArgSpec sp = {"hex", kw, 2, 2, 0, true, false};
    RtValue *a[2];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0 || mv_check(MV(self)) < 0) return NULL;
    const char *sep = NULL;
    int64_t per = 1;
    if (a[0] && a[0] != rt_None) {
        if (!rt_is_str(a[0]) || rt_str_nbytes(a[0]) != 1)
            return rt_raise(&rt_exc_ValueError, "sep must be length 1.");
        sep = rt_str_data(a[0]);
    }
    if (a[1] && rt_int_as_i64(a[1], &per) < 0) return NULL;
    if (per == 0) per = 1;
    RtMemView *m = MV(self);
    int64_t group = per < 0 ? -per : per;
    char *out = rt_malloc((size_t)m->len * 3 + 1);
    if (!out) return NULL;
    size_t k = 0;
    static const char hexd[] = "0123456789abcdef";
    for (int64_t i = 0; i < m->len; i++) {
        /* separators count groups from the right for positive bytes_per_sep */
        int64_t from = per > 0 ? m->len - i : i;
        if (sep && i > 0 && from % group == 0) out[k++] = sep[0];
        unsigned char c = m->ptr[i * m->stride];
        out[k++] = hexd[c >> 4];
        out[k++] = hexd[c & 15];
    }
    RtValue *r = rt_str_new(out, k);
    rt_free(out);
    return r;
}

static RtValue *mv_m_release(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt_check_args("release", nargs, kwnames, 0, 0) < 0) return NULL;
    mv_release(MV(self));
    return rt_None;
}

static RtValue *mv_m_enter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args; (void)nargs; (void)kwnames;
    if (mv_check(MV(self)) < 0) return NULL;
    return rt_newref(self);
}

static RtValue *mv_m_exit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args; (void)nargs; (void)kwnames;
    mv_release(MV(self));
    return rt_False;
}

static RtValue *mv_get_nbytes(RtValue *self) { return mv_check(MV(self)) < 0 ? NULL : rt_int(MV(self)->len); }
static RtValue *mv_get_readonly(RtValue *self) { return mv_check(MV(self)) < 0 ? NULL : rt_bool(MV(self)->readonly); }
static RtValue *mv_get_format(RtValue *self) { return mv_check(MV(self)) < 0 ? NULL : rt_str_from_cstr("B"); }
static RtValue *mv_get_itemsize(RtValue *self) { return mv_check(MV(self)) < 0 ? NULL : rt_int(1); }
static RtValue *mv_get_obj(RtValue *self) { return mv_check(MV(self)) < 0 ? NULL : rt_newref(MV(self)->owner); }
static RtValue *mv_get_released(RtValue *self) { return rt_bool(MV(self)->released); }

static const RtMethodDef mv_methods[] = {
    {"tobytes", mv_m_tobytes},
    {"tolist", mv_m_tolist},
    {"hex", mv_m_hex},
    {"release", mv_m_release},
    {"__enter__", mv_m_enter},
    {"__exit__", mv_m_exit},
    {NULL, NULL},
};

static const RtGetSetDef mv_getset[] = {
    {"nbytes", mv_get_nbytes, NULL},
    {"readonly", mv_get_readonly, NULL},
    {"format", mv_get_format, NULL},
    {"itemsize", mv_get_itemsize, NULL},
    {"obj", mv_get_obj, NULL},
    {"released", mv_get_released, NULL},
    {NULL, NULL, NULL},
};

static RtValue *mv_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)type;
    static const char *const kw[] = {"object"};
    static const RtArgSpec sp = {"memoryview", kw, 1, 1, 1, true, false};
    RtValue *a[1];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    return rt_memoryview_new(a[0]);
}

RtType rt_type_memoryview = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "memoryview",
    .tag = RT_T_NATIVE,
    .size = sizeof(RtMemView),
    .table_index = -1,
    .dealloc = mv_dealloc,
    .repr = mv_repr,
    .richcompare = mv_richcompare,
    .len = mv_len,
    .getitem = mv_getitem,
    .setitem = mv_setitem,
    .iter = mv_iter,
    .construct = mv_construct,
    .methods = mv_methods,
    .getset = mv_getset,
};

/* ==== the buffer protocol ============================================================== */

int rt_shared_buffer(RtValue *o, unsigned char **p, size_t *n, bool writable) {
    if (rt_is_bytes(o)) {
        if (writable) goto readonly;
        *p = ((RtBytes *)o)->data;
        *n = ((RtBytes *)o)->len;
        return 0;
    }
    if (rt_is_bytearray(o)) {
        *p = ((RtByteArray *)o)->data;
        *n = ((RtByteArray *)o)->len;
        return 0;
    }
    if (o->type == &rt_type_memoryview) {
        RtMemView *m = MV(o);
        if (mv_check(m) < 0) return -1;
        if (m->stride != 1) {
            rt_raise(&rt_exc_BufferError, "memoryview: underlying buffer is not C-contiguous");
            return -1;
        }
        if (writable && m->readonly) goto readonly;
        *p = m->ptr;
        *n = (size_t)m->len;
        return 0;
    }
    int r = rt__ctypes_buffer(o, p, n);
    if (r != 0) return r < 0 ? -1 : 0;
    if (writable)
        rt_raise_fmt(&rt_exc_TypeError, "argument must be read-write bytes-like object, not %s", rt_type_name(o));
    else
        rt_raise_fmt(&rt_exc_TypeError, "a bytes-like object is required, not '%s'", rt_type_name(o));
    return -1;
readonly:
    rt_raise_fmt(&rt_exc_TypeError, "argument must be read-write bytes-like object, not %s", rt_type_name(o));
    return -1;
}

/* ==== SharedMemory ======================================================================= */

struct RtShm {
    RtValue        ob;
    char           name[NAME_MAX_SHM];   /* with the leading '/' */
    int            fd;
    unsigned char *map;
    size_t         size;
    RtValue       *buf;                  /* the memoryview .buf, or NULL after close() */
    int            exports;              /* memoryviews alive on map */
};

#define SHM(o) ((RtShm *)(o))

static void shm_export(RtValue *owner, int delta) {
    if (owner && owner->type == &rt_shm_SharedMemory) SHM(owner)->exports += delta;
}

static int random_name(char *out) {
    unsigned char r[4];
    ssize_t n;
    do n = getrandom(r, sizeof r, 0); while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof r) return -1;
    snprintf(out, NAME_MAX_SHM, "/psm_%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
    return 0;
}

/* shm_open with a fresh random name until one is free. */
static int open_new_random(RtShm *s) {
    for (;;) {
        if (random_name(s->name) < 0) return rt_raise_errno(errno, NULL), -1;
        s->fd = shm_open(s->name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
        if (s->fd >= 0) return 0;
        if (errno != EEXIST) return rt_raise_errno(errno, s->name), -1;
    }
}

/* ftruncate (when creating) + fstat + mmap(MAP_SHARED). */
static int map_segment(RtShm *s, bool create, size_t size) {
    struct stat st;
    if ((create && ftruncate(s->fd, (off_t)size) < 0) || fstat(s->fd, &st) < 0)
        return rt_raise_errno(errno, NULL), -1;
    s->size = (size_t)st.st_size;
    if (s->size == 0) { rt_raise(&rt_exc_ValueError, "cannot mmap an empty file"); return -1; }
    void *p = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
    if (p == MAP_FAILED) return rt_raise_errno(errno, NULL), -1;
    s->map = p;
    /* .buf refers back to s without a reference (s owns it, and releases it
     * on close), and does not count as an export that blocks close(). */
    RtMemView *m = (RtMemView *)rt_obj_alloc(&rt_type_memoryview, sizeof(RtMemView));
    if (!m) return -1;
    *m = (RtMemView){m->ob, &s->ob, s->map, (int64_t)s->size, 1, false, false, true};
    s->buf = &m->ob;
    return 0;
}

/* SharedMemory(name=None, create=False, size=0) */
static RtValue *shm_open_new(RtType *type, RtValue *name, bool create, int64_t size) {
    if (size < 0) return rt_raise(&rt_exc_ValueError, "'size' must be a positive integer");
    if (create && size == 0)
        return rt_raise(&rt_exc_ValueError, "'size' must be a positive number different from zero");
    if (!name && !create) return rt_raise(&rt_exc_ValueError, "'name' can only be None if create=True");
    RtShm *s = (RtShm *)rt_obj_alloc(type, sizeof(RtShm));
    if (!s) return NULL;
    s->fd = -1;
    if (!name) {
        if (open_new_random(s) < 0) goto fail;
    } else {
        if (rt_str_nbytes(name) + 2 > NAME_MAX_SHM) {
            rt_raise_errno(ENAMETOOLONG, rt_str_data(name));
            goto fail;
        }
        snprintf(s->name, NAME_MAX_SHM, "/%s", rt_str_data(name));
        s->fd = shm_open(s->name, (create ? O_CREAT | O_EXCL : 0) | O_RDWR | O_CLOEXEC, 0600);
        if (s->fd < 0) { rt_raise_errno(errno, s->name); goto fail; }
    }
    if (create) track(s->name);
    if (map_segment(s, create, (size_t)size) < 0) {
        if (create) { shm_unlink(s->name); untrack(s->name); }
        goto fail;
    }
    return &s->ob;
fail:
    s->name[0] = '\0';
    rt_decref(&s->ob);
    return NULL;
}

static RtValue *shm_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const kw[] = {"name", "create", "size"};
    static const RtArgSpec sp = {"SharedMemory.__init__", kw, 3, 3, 0, false, true};
    RtValue *a[3];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    RtValue *name = a[0] && a[0] != rt_None ? a[0] : NULL;
    if (name && !rt_is_str(name))
        return rt_raise_fmt(&rt_exc_TypeError, "can only concatenate str (not \"%s\") to str", rt_type_name(name));
    int create = a[1] ? rt_truthy(a[1]) : 0;
    int64_t size = 0;
    if (create < 0 || (a[2] && rt_int_as_i64(a[2], &size) < 0)) return NULL;
    return shm_open_new(type, name, create, size);
}

/* close(): munmap + close(fd); BufferError while other memoryviews remain. */
static int shm_close(RtShm *s) {
    if (s->exports > 0) {
        rt_raise(&rt_exc_BufferError, "cannot close exported pointers exist");
        return -1;
    }
    if (s->buf) {
        mv_release(MV(s->buf));
        RT_CLEAR(s->buf);
    }
    if (s->map) { munmap(s->map, s->size); s->map = NULL; }
    if (s->fd >= 0) { close(s->fd); s->fd = -1; }
    return 0;
}

static void shm_dealloc(RtValue *self) {
    RtShm *s = SHM(self);
    if (shm_close(s) < 0) rt_decref(rt_exc_fetch());
}

static RtValue *shm_m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt_check_args("close", nargs, kwnames, 0, 0) < 0) return NULL;
    return shm_close(SHM(self)) < 0 ? NULL : rt_None;
}

/* unlink(): shm_unlink; the segment disappears once every mapping is gone. */
static RtValue *shm_m_unlink(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt_check_args("unlink", nargs, kwnames, 0, 0) < 0) return NULL;
    RtShm *s = SHM(self);
    if (shm_unlink(s->name) < 0) return rt_raise_errno(errno, s->name);
    untrack(s->name);
    return rt_None;
}

static RtValue *shm_get_name(RtValue *self) { return rt_str_from_cstr(SHM(self)->name + 1); }
static RtValue *shm_get_size(RtValue *self) { return rt_int((int64_t)SHM(self)->size); }
static RtValue *shm_get_buf(RtValue *self) { return rt_newref(SHM(self)->buf ? SHM(self)->buf : rt_None); }

/* "SharedMemory('psm_1a2b3c4d', size=16)" */
static RtValue *shm_repr(RtValue *self) {
    char buf[96];
    snprintf(buf, sizeof buf, "%s('%s', size=%zu)", self->type->name, SHM(self)->name + 1, SHM(self)->size);
    return rt_str_from_cstr(buf);
}

/* A SharedMemory travels by name, as CPython's __reduce__: (name, False, size). */
static int shm_ser_dump(RtValue *self, struct RtBuf *buf) {
    return rt__shared_put(buf, SHM(self)->name, NAME_MAX_SHM);
}

static RtValue *shm_ser_load(RtType *type, struct RtBuf *buf) {
    char name[NAME_MAX_SHM];
    if (rt__shared_get(buf, name, sizeof name) < 0) return NULL;
    name[NAME_MAX_SHM - 1] = '\0';
    RtValue *n = rt_str_from_cstr(name + 1);
    if (!n) return NULL;
    RtValue *r = shm_open_new(type, n, false, 0);
    rt_decref(n);
    return r;
}

static const RtMethodDef shm_methods[] = {
    {"close", shm_m_close},
    {"unlink", shm_m_unlink},
    {NULL, NULL},
};

static const RtGetSetDef shm_getset[] = {
    {"name", shm_get_name, NULL},
    {"size", shm_get_size, NULL},
    {"buf", shm_get_buf, NULL},
    {NULL, NULL, NULL},
};

RtType rt_shm_SharedMemory = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "SharedMemory",
    .module = "multiprocessing.shared_memory",
    .tag = RT_T_NATIVE,
    .size = sizeof(RtShm),
    .table_index = -1,
    .dealloc = shm_dealloc,
    .repr = shm_repr,
    .construct = shm_construct,
    .ser_dump = shm_ser_dump,
    .ser_load = shm_ser_load,
    .methods = shm_methods,
    .getset = shm_getset,
};

/* ==== ShareableList ==========================================================================
 * Layout (CPython's): q count | q offsets[count+1] | data | 8s formats[count] | b codes[count].
 * Offsets are relative to the data area, which starts at (count + 2) * 8. */

typedef struct RtShList { RtValue ob; RtValue *shm; } RtShList;
#define SHL(o) ((RtShList *)(o))

enum { BT_VALUE, BT_STR, BT_BYTES, BT_NONE };

static unsigned char *shl_base(RtValue *self) { return SHM(SHL(self)->shm)->map; }

static int64_t rd64(const unsigned char *p) { int64_t v; memcpy(&v, p, 8); return v; }
static void wr64(unsigned char *p, int64_t v) { memcpy(p, &v, 8); }

static int64_t shl_count(RtValue *self) { return rd64(shl_base(self)); }
static int64_t shl_offset(RtValue *self, int64_t i) { return rd64(shl_base(self) + 8 + 8 * i); }
static int64_t shl_data_start(int64_t n) { return (n + 2) * 8; }
static unsigned char *shl_formats(RtValue *self) {
    int64_t n = shl_count(self);
    return shl_base(self) + shl_data_start(n) + shl_offset(self, n);
}
static unsigned char *shl_codes(RtValue *self) { return shl_formats(self) + 8 * shl_count(self); }

/* The slot a value of this Python type takes: its format and size. */
static int item_format(RtValue *v, char *fmt, int64_t *size, int *code) {
    *code = BT_VALUE;
    *size = 8;
    if (rt_is_str(v) || rt_is_bytes(v)) {
        int64_t len = rt_is_str(v) ? (int64_t)((RtStr *)v)->ncp : (int64_t)((RtBytes *)v)->len;
        *size = 8 * (len / 8 + 1);
        snprintf(fmt, 24, "%llds", (long long)*size);
        *code = rt_is_str(v) ? BT_STR : BT_BYTES;
        return 0;
    }
    if (v->type == &rt_type_int) { strcpy(fmt, "q"); return 0; }
    if (v->type == &rt_type_float) { strcpy(fmt, "d"); return 0; }
    if (v->type == &rt_type_bool) { strcpy(fmt, "xxxxxxx?"); return 0; }
    if (v == rt_None) { strcpy(fmt, "xxxxxx?x"); *code = BT_NONE; return 0; }
    RtValue *t = rt_tuple_pack(1, (RtValue *)v->type);
    RtValue *e = t ? rt_exc_new(&rt_exc_KeyError, t) : NULL;
    rt_xdecref(t);
    if (e) { rt_raise_value(e); rt_decref(e); }
    return -1;
}

/* Packs v in format fmt at p (slot of `size` bytes), as struct.pack_into does:
 * the bytes are zeroed first, so a failing pack leaves zeros. */
static int pack_item(unsigned char *p, const char *fmt, RtValue *v) {
    if (fmt[strlen(fmt) - 1] == 's') {
        size_t n = (size_t)atoll(fmt);
        memset(p, 0, n);
        const void *src;
        size_t len;
        if (rt_is_str(v)) { src = rt_str_data(v); len = rt_str_nbytes(v); }
        else { src = ((RtBytes *)v)->data; len = ((RtBytes *)v)->len; }
        memcpy(p, src, len < n ? len : n);
        return 0;
    }
    memset(p, 0, 8);
    if (fmt[0] == 'q') {
        int64_t x;
        if (rt_int_as_i64(v, &x) < 0) {
            rt_decref(rt_exc_fetch());
            rt_raise(&rt_exc_StructError, "argument out of range");
            return -1;
        }
        wr64(p, x);
        return 0;
    }
    if (fmt[0] == 'd') {
        double d;
        if (rt_as_double(v, &d) < 0) return -1;
        memcpy(p, &d, 8);
        return 0;
    }
    int t = rt_truthy(v);            /* '?' of "xxxxxxx?" (bool) or "xxxxxx?x" (None) */
    if (t < 0) return -1;
    p[fmt[6] == '?' ? 6 : 7] = (unsigned char)t;
    return 0;
}

static void set_format(RtValue *self, int64_t pos, const char *fmt, int code) {
    unsigned char *f = shl_formats(self) + 8 * pos;
    memset(f, 0, 8);
    memcpy(f, fmt, strlen(fmt) < 8 ? strlen(fmt) : 8);
    shl_codes(self)[pos] = (unsigned char)code;
}

static int shl_position(RtValue *self, RtValue *key, int64_t *pos) {
    if (!rt_is_int(key)) {
        rt_raise_fmt(&rt_exc_TypeError, "'>=' not supported between instances of '%s' and 'int'", rt_type_name(key));
        return -1;
    }
    if (rt_int_as_i64(key, pos) < 0) return -1;
    int64_t n = shl_count(self);
    if (*pos < 0) *pos += n;
    return *pos >= 0 && *pos < n ? 0 : 1;
}

static RtValue *shl_item(RtValue *self, int64_t pos) {
    int64_t n = shl_count(self);
    char fmt[9];
    memcpy(fmt, shl_formats(self) + 8 * pos, 8);
    fmt[8] = '\0';
    const unsigned char *p = shl_base(self) + shl_data_start(n) + shl_offset(self, pos);
    switch (shl_codes(self)[pos]) {
    case BT_NONE:
        return rt_None;
    case BT_STR:
    case BT_BYTES: {
        size_t len = (size_t)atoll(fmt);
        while (len > 0 && p[len - 1] == 0) len--;        /* rstrip(b'\x00') */
        return shl_codes(self)[pos] == BT_STR ? rt_bytes_decode(p, len, NULL, NULL) : rt_bytes_new(p, len);
    }
    }
    if (fmt[0] == 'q') return rt_int(rd64(p));
    if (fmt[0] == 'd') { double d; memcpy(&d, p, 8); return rt_float(d); }
    return rt_bool(p[fmt[6] == '?' ? 6 : 7] != 0);
}

static RtValue *shl_getitem(RtValue *self, RtValue *key) {
    int64_t pos;
    int r = shl_position(self, key, &pos);
    if (r < 0) return NULL;
    if (r > 0) return rt_raise(&rt_exc_IndexError, "index out of range");
    return shl_item(self, pos);
}

static int shl_setitem(RtValue *self, RtValue *key, RtValue *v) {
    int64_t pos;
    int r = shl_position(self, key, &pos);
    if (r < 0) return -1;
    if (r > 0 || !v) {
        rt_raise(&rt_exc_IndexError, v ? "assignment index out of range" : "ShareableList does not support deletion");
        return -1;
    }
    char fmt[24], cur[9];
    int64_t size;
    int code;
    memcpy(cur, shl_formats(self) + 8 * pos, 8);
    cur[8] = '\0';
    if (rt_is_str(v) || rt_is_bytes(v)) {
        int64_t allocated = shl_offset(self, pos + 1) - shl_offset(self, pos);
        size_t enc = rt_is_str(v) ? rt_str_nbytes(v) : ((RtBytes *)v)->len;
        if ((int64_t)enc > allocated) {
            rt_raise(&rt_exc_ValueError, "bytes/str item exceeds available storage");
            return -1;
        }
        if (cur[0] && cur[strlen(cur) - 1] == 's') strcpy(fmt, cur);
        else snprintf(fmt, sizeof fmt, "%llds", (long long)allocated);
        code = rt_is_str(v) ? BT_STR : BT_BYTES;
    } else if (item_format(v, fmt, &size, &code) < 0) {
        return -1;
    }
    set_format(self, pos, fmt, code);
    int64_t n = shl_count(self);
    return pack_item(shl_base(self) + shl_data_start(n) + shl_offset(self, pos), fmt, v);
}

static int64_t shl_len(RtValue *self) { return shl_count(self); }

/* Writes a new list's items, offsets, formats and codes into s. */
static int shl_fill(RtShm *s, RtValue *items, char (*fmts)[24], int *codes) {
    size_t n = RT_LIST_LEN(items);
    unsigned char *b = s->map;
    wr64(b, (int64_t)n);
    int64_t off = 0;
    for (size_t i = 0; i <= n; i++) {
        wr64(b + 8 + 8 * i, off);
        if (i < n) off += fmts[i][strlen(fmts[i]) - 1] == 's' ? atoll(fmts[i]) : 8;
    }
    unsigned char *data = b + shl_data_start((int64_t)n);
    for (size_t i = 0; i < n; i++)
        if (pack_item(data + rd64(b + 8 + 8 * i), fmts[i], RT_LIST_GET(items, i)) < 0) return -1;
    unsigned char *f = data + off;
    for (size_t i = 0; i < n; i++) {
        memset(f + 8 * i, 0, 8);
        memcpy(f + 8 * i, fmts[i], strlen(fmts[i]) < 8 ? strlen(fmts[i]) : 8);
        f[8 * n + i] = (unsigned char)codes[i];
    }
    return 0;
}

/* ShareableList(sequence): a new segment sized as CPython's struct.calcsize. */
static RtValue *shl_create(RtType *type, RtValue *seq, RtValue *name) {
    RtValue *items = seq ? rt_list_from_iter(seq) : rt_list_new(0);
    if (!items) return NULL;
    size_t n = RT_LIST_LEN(items);
    char (*fmts)[24] = rt_calloc(n + 1, sizeof *fmts);
    int *codes = rt_calloc(n + 1, sizeof *codes);
    RtValue *shm = NULL, *self = NULL;
    if (!fmts || !codes) goto done;
    int64_t data = 0, size;
    for (size_t i = 0; i < n; i++) {
        if (item_format(RT_LIST_GET(items, i), fmts[i], &size, &codes[i]) < 0) goto done;
        if (strlen(fmts[i]) > 8) { rt_raise_value((RtValue *)&rt_exc_AssertionError); goto done; }
        data += size;
    }
    int64_t total = 8 + 8 * (int64_t)(n + 1) + data + 8 * (int64_t)n + (int64_t)n;
    if (!(shm = shm_open_new(&rt_shm_SharedMemory, name, true, total))) goto done;
    if (shl_fill(SHM(shm), items, fmts, codes) < 0) goto done;
    if ((self = rt_obj_alloc(type, sizeof(RtShList)))) SHL(self)->shm = rt_newref(shm);
done:
    rt_free(fmts);
    rt_free(codes);
    rt_decref(items);
    rt_xdecref(shm);
    return self;
}

static RtValue *shl_attach(RtType *type, RtValue *name) {
    RtValue *shm = shm_open_new(&rt_shm_SharedMemory, name, false, 0);
    if (!shm) return NULL;
    RtValue *self = rt_obj_alloc(type, sizeof(RtShList));
    if (self) SHL(self)->shm = rt_newref(shm);
    rt_decref(shm);
    return self;
}

/* ShareableList(sequence=None, *, name=None) */
static RtValue *shl_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const kw[] = {"sequence", "name"};
    static const RtArgSpec sp = {"ShareableList.__init__", kw, 2, 1, 0, false, true};
    RtValue *a[2];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    RtValue *seq = a[0] && a[0] != rt_None ? a[0] : NULL;
    RtValue *name = a[1] && a[1] != rt_None ? a[1] : NULL;
    if (name && !rt_is_str(name))
        return rt_raise_fmt(&rt_exc_TypeError, "can only concatenate str (not \"%s\") to str", rt_type_name(name));
    if (!name || seq) {
        if (seq) {                       /* `sequence or ()` */
            int t = rt_truthy(seq);
            if (t < 0) return NULL;
            if (!t) seq = NULL;
        }
        return shl_create(type, seq, name);
    }
    return shl_attach(type, name);
}

static void shl_dealloc(RtValue *self) { RT_CLEAR(SHL(self)->shm); }

static RtValue *shl_as_list(RtValue *self) {
    int64_t n = shl_count(self);
    RtValue *l = rt_list_new((size_t)n);
    for (int64_t i = 0; l && i < n; i++) {
        RtValue *v = shl_item(self, i);
        if (!v || rt_list_append_steal(l, v) < 0) RT_CLEAR(l);
    }
    return l;
}

/* "ShareableList([1, 2], name='psm_...')" */
static RtValue *shl_repr(RtValue *self) {
    RtValue *l = shl_as_list(self);
    if (!l) return NULL;
    RtValue *lr = rt_repr(l);
    rt_decref(l);
    if (!lr) return NULL;
    char tail[64];
    snprintf(tail, sizeof tail, ", name='%s')", SHM(SHL(self)->shm)->name + 1);
    RtValue *parts[4] = {rt_str_from_cstr(self->type->name), rt_str_new("(", 1), lr, rt_str_from_cstr(tail)};
    RtValue *r = parts[0] && parts[1] && parts[3] ? rt_str_build(parts, 4) : NULL;
    for (int i = 0; i < 4; i++) rt_xdecref(parts[i]);
    return r;
}

static RtValue *shl_m_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    if (rt_check_args("count", nargs, kwnames, 1, 1) < 0) return NULL;
    int64_t n = shl_count(self), c = 0;
    for (int64_t i = 0; i < n; i++) {
        RtValue *v = shl_item(self, i);
        int eq = v ? rt_eq(args[0], v) : -1;
        rt_xdecref(v);
        if (eq < 0) return NULL;
        c += eq;
    }
    return rt_int(c);
}

static RtValue *shl_m_index(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    if (rt_check_args("index", nargs, kwnames, 1, 1) < 0) return NULL;
    int64_t n = shl_count(self);
    for (int64_t i = 0; i < n; i++) {
        RtValue *v = shl_item(self, i);
        int eq = v ? rt_eq(args[0], v) : -1;
        rt_xdecref(v);
        if (eq < 0) return NULL;
        if (eq) return rt_int(i);
    }
    return rt_raise_fmt(&rt_exc_ValueError, "%R not in this container", args[0]);
}

static RtValue *shl_get_shm(RtValue *self) { return rt_newref(SHL(self)->shm); }

static RtValue *shl_get_format(RtValue *self) {
    int64_t n = shl_count(self);
    RtStrBuf b;
    rt_strbuf_init(&b);
    for (int64_t i = 0; i < n; i++) {
        const char *f = (const char *)shl_formats(self) + 8 * i;
        rt_strbuf_put_ascii(&b, f, strnlen(f, 8));
    }
    return rt_strbuf_finish(&b);
}

static RtValue *shl_iter(RtValue *self) {
    RtValue *l = shl_as_list(self);      /* __getitem__ until IndexError: the same items */
    if (!l) return NULL;
    RtValue *it = rt_iter(l);
    rt_decref(l);
    return it;
}

static int shl_ser_dump(RtValue *self, struct RtBuf *buf) { return shm_ser_dump(SHL(self)->shm, buf); }

static RtValue *shl_ser_load(RtType *type, struct RtBuf *buf) {
    RtValue *shm = shm_ser_load(&rt_shm_SharedMemory, buf);
    if (!shm) return NULL;
    RtValue *self = rt_obj_alloc(type, sizeof(RtShList));
    if (self) SHL(self)->shm = rt_newref(shm);
    rt_decref(shm);
    return self;
}

static const RtMethodDef shl_methods[] = {
    {"count", shl_m_count},
    {"index", shl_m_index},
    {NULL, NULL},
};

static const RtGetSetDef shl_getset[] = {
    {"shm", shl_get_shm, NULL},
    {"format", shl_get_format, NULL},
    {NULL, NULL, NULL},
};

RtType rt_shm_ShareableList = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "ShareableList",
    .module = "multiprocessing.shared_memory",
    .tag = RT_T_NATIVE,
    .size = sizeof(RtShList),
    .table_index = -1,
    .dealloc = shl_dealloc,
    .repr = shl_repr,
    .len = shl_len,
    .getitem = shl_getitem,
    .setitem = shl_setitem,
    .iter = shl_iter,
    .construct = shl_construct,
    .ser_dump = shl_ser_dump,
    .ser_load = shl_ser_load,
    .methods = shl_methods,
    .getset = shl_getset,
};

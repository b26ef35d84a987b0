/* mp2c_shared.h: shared memory (Value, Array, ctypes, Structure) and the
 * synchronisation primitives. Part of mp2c.h; include that instead.
 *
 * Naming: the Python class multiprocessing.X is `RtType rt_mp_X`; ctypes.X is
 * `RtType rt_ctypes_X`; functions are RtNativeFn `rt_mp_f` / `rt_ctypes_f`.
 *
 * How the pieces map onto POSIX:
 *   - every object that several processes see (a Value's bytes, a lock's
 *     state) lives in a block of the shared heap: arenas made with
 *     memfd_create + ftruncate + mmap(MAP_SHARED) before the fork, so forked
 *     children see the same pages at the same addresses, and a spawned child
 *     inherits the memfd across its exec and maps it again;
 *   - locks are pthread mutexes and condition variables placed in those
 *     blocks with PTHREAD_PROCESS_SHARED, and PTHREAD_MUTEX_ROBUST so that a
 *     process killed while holding one cannot deadlock the others;
 *   - multiprocessing.shared_memory uses named POSIX segments (shm_open under
 *     /dev/shm), which the program removes before it ends.
 */
#ifndef MP2C_SHARED_H
#define MP2C_SHARED_H

#include <pthread.h>
#include <time.h>

/* ==== the shared heap (sharedctypes.c) ======================================
 * CPython's multiprocessing.heap: blocks carved from memfd arenas. */

/* A zeroed block of n bytes (16-byte aligned) visible to every child forked
 * afterwards. memfd_create + ftruncate + mmap(MAP_SHARED) for a new arena,
 * then a first-fit free list. NULL with MemoryError/OSError set. */
void *rt_shm_alloc(size_t n) RT_MUST_CHECK;
/* Returns a block to the arena's free list. Blocks inherited from a parent are
 * never reused by the child (its parent still owns them). NULL is allowed. */
void  rt_shm_free(void *p);
/* CPython's Heap bookkeeping (mpheap.c), only for its INFO message
 * 'allocating a new mmap of length N': record that the object keyed `key`
 * took `n` bytes from CPython's heap, and that it gave them back. */
void  rt_mp_heap_malloc(const void *key, size_t n);
void  rt_mp_heap_free(const void *key);
/* Serializes a reference to the block containing p (memfd number, inode,
 * offset), for sending a shared object to a spawned child: while spawning,
 * the memfd is passed with rt_ser_pass_fd. 0 or -1. */
int   rt_shm_dump_ref(struct RtBuf *buf, const void *p) RT_MUST_CHECK;
/* Maps the block written by rt_shm_dump_ref into this process (reusing an
 * existing mapping of the same memfd; else fstat + mmap of the inherited
 * fd). Returns the address of p here, or NULL with an exception set. */
void *rt_shm_load_ref(struct RtBuf *buf);

/* ==== process-shared pthread objects (sync.c) ===============================
 * For every runtime file that keeps shared state (Queue, Pool, ...). The
 * objects must live in shared memory (rt_shm_alloc) to be shared. */

/* pthread_mutexattr_setpshared(PTHREAD_PROCESS_SHARED) +
 * pthread_mutexattr_setrobust(PTHREAD_MUTEX_ROBUST) + pthread_mutex_init.
 * 0, or -1 with OSError set. */
int  rt_shm_mutex_init(pthread_mutex_t *m) RT_MUST_CHECK;
/* pthread_condattr_setpshared + pthread_condattr_setclock(CLOCK_MONOTONIC) +
 * pthread_cond_init. 0, or -1 with OSError set. */
int  rt_shm_cond_init(pthread_cond_t *c) RT_MUST_CHECK;

/* Results of the lock and wait helpers below. */
#define RT_SHM_OK        0
#define RT_SHM_OWNERDEAD 1   /* acquired, but its last owner died holding it:
                                the mutex is consistent again, the caller must
                                repair the state it protects */
#define RT_SHM_TIMEDOUT  2   /* the deadline passed; the mutex is not held
                                (for cond_wait: it is held again) */

/* pthread_mutex_lock; on EOWNERDEAD calls pthread_mutex_consistent and
 * returns RT_SHM_OWNERDEAD. -1 with OSError set on other errors. */
int  rt_shm_mutex_lock(pthread_mutex_t *m) RT_MUST_CHECK;
/* As rt_shm_mutex_lock with a deadline on CLOCK_MONOTONIC (NULL = none):
 * pthread_mutex_clocklock. May return RT_SHM_TIMEDOUT. */
int  rt_shm_mutex_timedlock(pthread_mutex_t *m, const struct timespec *deadline) RT_MUST_CHECK;
/* pthread_mutex_trylock: RT_SHM_OK, RT_SHM_OWNERDEAD, RT_SHM_TIMEDOUT when busy. */
int  rt_shm_mutex_trylock(pthread_mutex_t *m) RT_MUST_CHECK;
/* pthread_mutex_unlock. */
void rt_shm_mutex_unlock(pthread_mutex_t *m);
/* pthread_cond_clockwait (CLOCK_MONOTONIC) or pthread_cond_wait when deadline
 * is NULL. Returns with m held in every case: RT_SHM_OK (woken; may be
 * spurious), RT_SHM_TIMEDOUT, RT_SHM_OWNERDEAD (re-acquiring m found its owner
 * dead), or -1 with OSError set. */
int  rt_shm_cond_wait(pthread_cond_t *c, pthread_mutex_t *m,
                      const struct timespec *deadline) RT_MUST_CHECK;
/* clock_gettime(CLOCK_MONOTONIC) + seconds, for the deadlines above. */
void rt_shm_deadline(double seconds, struct timespec *out);
/* gettid(), cached per thread and reset in a forked child
 * (pthread_atfork): the identity that owns a Lock or RLock. */
int  rt_sync_self_tid(void);

/* ==== synchronisation primitives: multiprocessing.synchronize (sync.c) ======
 * Each object is a small process-local handle pointing at its state in the
 * shared heap. Construct through the types' construct slots (rt_call on the
 * type object), with CPython's arguments:
 *   Lock(), RLock(), Semaphore(value=1), BoundedSemaphore(value=1), Event(),
 *   Condition(lock=None), Barrier(parties, action=None, timeout=None).
 * Lock, Semaphore and BoundedSemaphore are counting semaphores (any process
 * may release them, as with CPython's SemLock): a robust mutex guards the
 * count and a condition variable parks waiters, who check every 100 ms
 * whether a dead process holds the Lock. RLock is a robust mutex itself:
 * acquire is pthread_mutex_lock, release pthread_mutex_unlock. */
extern RtType rt_mp_Lock, rt_mp_RLock, rt_mp_Semaphore, rt_mp_BoundedSemaphore,
    rt_mp_Event, rt_mp_Condition, rt_mp_Barrier;

/* acquire(block=True, timeout=None) -> bool; release() -> None; both on Lock,
 * RLock, Semaphore, BoundedSemaphore (self is the lock). */
RtValue *rt_mp_lock_m_acquire(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_mp_lock_m_release(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* Direct C calls for generated code and the synchronized wrappers.
 * acquire: timeout < 0 = forever; returns 1 acquired, 0 not (timeout or
 * block=False), -1 error. release: 0 or -1 (ValueError "semaphore or lock
 * released too many times", AssertionError "attempt to release recursive
 * lock not owned by thread"). */
int rt_mp_lock_acquire(RtValue *lock, bool block, double timeout) RT_MUST_CHECK;
int rt_mp_lock_release(RtValue *lock) RT_MUST_CHECK;
/* Is o one of the lock types above (Lock, RLock, Semaphore, BoundedSemaphore)? */
bool rt_mp_is_lock(const RtValue *o);

/* ==== ctypes (ctypes.c) ======================================================
 * A ctypes object (RtCData) is a handle on C bytes: its own buffer, a block
 * of the shared heap (sharedctypes), or a view into another object's bytes
 * (an element of an Array of Structure), whose owner it keeps alive. */
typedef struct RtCData {
    RtValue        ob;
    RtValue       *dict;     /* attributes of Structure subclass instances (dict_offset), or NULL */
    unsigned char *ptr;      /* the C data */
    RtValue       *base;     /* owner of the bytes when this is a view (owned), or NULL */
    uint8_t        mem;      /* how ptr is owned: see ctypes.c */
    char           code;     /* scalar instances: struct-module code ('i', 'd', ...), else 0 */
    double         small[2]; /* inline storage for scalars (aligned for any of them) */
} RtCData;

/* The scalar types. Where CPython makes two names the same class on Linux
 * x86-64/aarch64 (c_longlong is c_long, c_size_t is c_ulong, c_int32 is
 * c_int, ...) the aliases below make them the same object too. */
extern RtType rt_ctypes_c_bool, rt_ctypes_c_char, rt_ctypes_c_wchar,
    rt_ctypes_c_byte, rt_ctypes_c_ubyte, rt_ctypes_c_short, rt_ctypes_c_ushort,
    rt_ctypes_c_int, rt_ctypes_c_uint, rt_ctypes_c_long, rt_ctypes_c_ulong,
    rt_ctypes_c_float, rt_ctypes_c_double;
#define rt_ctypes_c_longlong  rt_ctypes_c_long
#define rt_ctypes_c_ulonglong rt_ctypes_c_ulong
#define rt_ctypes_c_size_t    rt_ctypes_c_ulong
#define rt_ctypes_c_ssize_t   rt_ctypes_c_long
#define rt_ctypes_c_int8      rt_ctypes_c_byte
#define rt_ctypes_c_uint8     rt_ctypes_c_ubyte
#define rt_ctypes_c_int16     rt_ctypes_c_short
#define rt_ctypes_c_uint16    rt_ctypes_c_ushort
#define rt_ctypes_c_int32     rt_ctypes_c_int
#define rt_ctypes_c_uint32    rt_ctypes_c_uint
#define rt_ctypes_c_int64     rt_ctypes_c_long
#define rt_ctypes_c_uint64    rt_ctypes_c_ulong

/* ctypes.Structure: subclass it in the script (`class Point(Structure):
 * _fields_ = [...]`). RT_TF_BASETYPE; the layout (offsets, alignment, size
 * as the C ABI does) is computed from the class's _fields_ on first use and
 * cached per class. Fields are read and written through the getattr/setattr
 * hooks. */
extern RtType rt_ctypes_Structure;

/* ctypes.sizeof(type_or_instance) -> int; TypeError "this type has no size". */
RtValue *rt_ctypes_sizeof(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* ctypes.alignment(type_or_instance) -> int. */
RtValue *rt_ctypes_alignment(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* The array type `elem * n` (c_int * 3 is "c_int_Array_3"); cached, so the
 * same (elem, n) gives the same type, whose __module__ is that of its first
 * maker, as in ctypes. module NULL = "__main__".
 * Borrowed (types live as long as the program), or NULL with an exception. */
RtType  *rt_ctypes_array_type(RtType *elem, int64_t n, const char *module);
/* Size and alignment of a ctypes type (scalar, Structure subclass or array
 * type): 0, or -1 with TypeError "this type has no size". */
int      rt_ctypes_type_layout(RtType *t, size_t *size, size_t *align) RT_MUST_CHECK;
/* Is t a ctypes type (scalar, Structure subclass, array)? */
bool     rt_ctypes_is_type(const RtType *t);
/* A new instance of the ctypes type t whose bytes are at ptr, owned by
 * `base` (incref'd; None: memory that outlives the instance, such as a
 * mapping; NULL: a shared-heap block that the instance frees with
 * rt_shm_free). Zero-initialised by the caller. New reference. */
RtValue *rt_ctypes_from_memory(RtType *t, unsigned char *ptr, RtValue *base);
/* type(*args, **kw) into an existing instance, as ctypes' __init__ does. */
int      rt_ctypes_init(RtValue *obj, RtValue *const *args, size_t nargs, RtValue *kwnames) RT_MUST_CHECK;
/* .value of a scalar ctypes instance or a c_char/c_wchar array; set with
 * ctypes' conversions and wrapping. */
RtValue *rt_ctypes_get_value(RtValue *obj);
int      rt_ctypes_set_value(RtValue *obj, RtValue *v) RT_MUST_CHECK;

/* ==== multiprocessing.sharedctypes (sharedctypes.c) ==========================
 * Value(typecode_or_type, *args, lock=True), Array(typecode_or_type,
 * size_or_initializer, *, lock=True), RawValue(typecode_or_type, *args),
 * RawArray(typecode_or_type, size_or_initializer). The bytes come from the
 * shared heap (rt_shm_alloc) and so are shared with children forked later.
 * lock=True (or None) wraps the object with a new RLock; lock=False returns
 * the raw ctypes object; any object with an `acquire` is used as the lock. */
RtValue *rt_mp_Value(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_mp_Array(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_mp_RawValue(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_mp_RawArray(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* sharedctypes.synchronized(obj, lock=None). */
RtValue *rt_mp_synchronized(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* The wrappers: "<Synchronized wrapper for c_int(7)>" etc. A Structure value
 * gets rt_mp_SynchronizedStructure, shown as CPython's per-class wrapper
 * ("<SynchronizedPoint wrapper for ...>"). They travel to a spawned child
 * (only then: RuntimeError "Synchronized objects should only be shared
 * between processes through inheritance" otherwise) as the lock plus a
 * reference to the shared bytes. */
extern RtType rt_mp_Synchronized, rt_mp_SynchronizedArray, rt_mp_SynchronizedString,
    rt_mp_SynchronizedStructure;

/* Fast paths for generated code that knows it holds a Value (a Synchronized
 * wrapper, or a raw scalar from RawValue / lock=False), so that
 *     with v.get_lock(): v.value += 1
 * becomes: lock = rt_mp_synced_lock(v); rt_mp_lock_acquire(lock, true, -1);
 * rt_mp_value_get_i64(v, &x); rt_mp_value_set_i64(v, x + 1);
 * rt_mp_lock_release(lock), with no boxing. The getters and setters take the
 * wrapper's lock themselves (recursively, so inside `with` too), as CPython's
 * Synchronized.value does. */
/* The wrapper's lock (get_lock()); borrowed. TypeError for other objects. */
RtValue *rt_mp_synced_lock(RtValue *v);
/* v.value of an integer (or c_bool) Value: 0, or -1 (TypeError for other
 * typecodes; OverflowError for an unsigned 64-bit value above INT64_MAX). */
int rt_mp_value_get_i64(RtValue *v, int64_t *out) RT_MUST_CHECK;
/* v.value = x, wrapping to the C width as ctypes does. 0 or -1. */
int rt_mp_value_set_i64(RtValue *v, int64_t x) RT_MUST_CHECK;
/* The same for 'f' and 'd' Values (ints are converted). */
int rt_mp_value_get_f64(RtValue *v, double *out) RT_MUST_CHECK;
int rt_mp_value_set_f64(RtValue *v, double x) RT_MUST_CHECK;

/* ==== the buffer protocol, for the types of this section =====================
 * The bytes behind a memoryview (shared_memory buf), a bytes object or a
 * ctypes object (and bytearray once its layout is public): 0 with *p and *n
 * set, or -1 with TypeError "a bytes-like object is required, not 'int'"
 * (writable: "argument must be read-write bytes-like object, not bytes"). */
int rt_shared_buffer(RtValue *o, unsigned char **p, size_t *n, bool writable) RT_MUST_CHECK;

/* ==== multiprocessing.shared_memory (shm.c) ==================================
 * SharedMemory(name=None, create=False, size=0): shm_open("/psm_XXXXXXXX",
 * O_CREAT|O_EXCL|O_RDWR, 0600) + ftruncate + mmap(MAP_SHARED); attach by name
 * with shm_open(O_RDWR) + fstat + mmap. ShareableList(sequence=None, *,
 * name=None) packs its items as CPython does (struct formats q d ? Ns). */
extern RtType rt_shm_SharedMemory, rt_shm_ShareableList;
/* The memoryview returned by SharedMemory.buf (and memoryview(x) of the
 * buffers above): indexing, slices, len, hex, tobytes, tolist, release. */
extern RtType rt_type_memoryview;
/* memoryview(obj) over the bytes of obj (see rt_shared_buffer). New reference. */
RtValue *rt_memoryview_new(RtValue *obj);
/* Unlinks every segment this program created and has not unlinked yet
 * (shm_unlink). Async-signal-safe: call it from SIGINT/SIGTERM handlers and
 * at exit; the runtime also registers it with atexit. Only the first process
 * of the program (the one that ran main) unlinks; in children it does
 * nothing, because segments created by a child outlive it, as with CPython's
 * resource tracker. */
void rt_shm_cleanup_all(void);

/* ==== the struct module (structmod.c) ========================================
 * Formats: byte order @ = < > !, codes x c b B ? h H i I l L q Q n N e f d s p,
 * native sizes and alignment for '@'. Errors raise struct.error
 * (rt_exc_StructError) with CPython's messages. */
RtValue *rt_struct_pack(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_struct_unpack(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_struct_calcsize(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_struct_pack_into(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_struct_unpack_from(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_struct_iter_unpack(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* C-level pack into a caller's buffer (n must be calcsize(fmt)): the values
 * are borrowed. 0 or -1 (struct.error). For ShareableList and generated code. */
int rt_struct_pack_buf(const char *fmt, unsigned char *out, size_t n,
                       RtValue *const *vals, size_t nvals) RT_MUST_CHECK;
/* calcsize(fmt) for a C string: bytes, or -1 with struct.error. */
int64_t rt_struct_calcsize_c(const char *fmt);
/* unpack_from(fmt, buf) on raw bytes: a new tuple, or NULL. */
RtValue *rt_struct_unpack_buf(const char *fmt, const unsigned char *buf, size_t n);

/* ==== helpers of this section (not for generated code) ========================
 * Argument binding for native functions, with CPython's messages: out[i]
 * receives a borrowed reference, or NULL when argument i was not given
 * (the callee applies its defaults). `clinic` words errors as CPython's C
 * functions do ("acquire() takes at most 2 arguments (3 given)"), otherwise
 * as Python functions ("Event.wait() takes from 1 to 2 positional arguments
 * but 3 were given"; `method` counts self). sync.c. */
typedef struct RtArgSpec {
    const char        *name;    /* "acquire", "Event.wait" (as messages show it) */
    const char *const *kw;      /* parameter names, positional ones first */
    int                n;       /* number of parameters */
    int                npos;    /* how many may be passed by position */
    int                nreq;    /* how many are required */
    bool               clinic;
    bool               method;
} RtArgSpec;
int rt__shared_bind(const RtArgSpec *sp, RtValue *const *args, size_t nargs,
                    RtValue *kwnames, RtValue **out) RT_MUST_CHECK;
/* Raw bytes into / out of a serializer buffer (the payload of the ser_dump
 * and ser_load slots of this section's types). 0, or -1 with an exception
 * (MemoryError; EOFError "ran out of input" when reading past the end).
 * sharedctypes.c. */
int rt__shared_put(struct RtBuf *b, const void *p, size_t n) RT_MUST_CHECK;
int rt__shared_get(struct RtBuf *b, void *p, size_t n) RT_MUST_CHECK;
/* The bytes of a ctypes instance: 1 found, 0 not a ctypes object, -1 error.
 * ctypes.c, for rt_shared_buffer. */
int rt__ctypes_buffer(RtValue *o, unsigned char **p, size_t *n);
/* Is `name` a field of the Structure class t? Its offset, or -1 (with an
 * exception only if the layout is invalid). (ctypes.c) */
bool    rt__ctypes_has_field(RtType *t, const char *name);
int64_t rt__ctypes_field_offset(RtType *t, const char *name);
/* A ctypes object with its type, by reference to shared memory when its bytes
 * are in the shared heap, else by value (ctypes.c). */
int      rt__ctypes_dump_obj(struct RtBuf *b, RtValue *obj) RT_MUST_CHECK;
RtValue *rt__ctypes_load_obj(struct RtBuf *b);
/* Is p inside an arena of the shared heap mapped in this process? (sharedctypes.c) */
bool rt__shm_contains(const void *p);
/* RuntimeError "<type_name> objects should only be shared between processes
 * through inheritance" unless a child is being spawned. 0 / -1. */
int  rt__shared_assert_spawning(const char *type_name) RT_MUST_CHECK;

#endif

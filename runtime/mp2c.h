/* mp2c.h: the runtime every translated program links (libmp2crt.a).
 *
 * It is written to be read by people learning how a Python call maps onto
 * POSIX: each multiprocessing function says which system calls it makes.
 *
 * The value model is CPython's, simplified:
 *   - every Python value is an RtValue * with a reference count and a type;
 *   - a type (RtType) is itself a value, and carries the slots (repr, hash,
 *     binop, iter, call, ...) that the generic operations dispatch through;
 *   - errors propagate by return status: a function that fails sets the
 *     pending exception (rt_exc_pending) and returns NULL (pointers) or -1
 *     (ints). Generated code checks and jumps to its cleanup label.
 *
 * Ownership. Every function that returns RtValue * documents one of:
 *   "new reference"  the caller owns the result and must rt_decref it;
 *   "borrowed"       the callee keeps ownership; incref to keep it.
 * Arguments are borrowed unless the comment says "steals", in which case the
 * function takes over the caller's reference even when it fails.
 *
 * The sections of this header are split across files, one per object
 * family, all included below:
 *   mp2c.h          objects, types, refcounts, exceptions, calls, protocols
 *   mp2c_num.h      int (GMP-backed), bool, float, complex; formatting
 *   mp2c_seq.h      str, bytes, list, tuple, dict, set, range, iterators
 *   mp2c_serial.h   the serializer used by Pipe, Queue and Pool
 *   mp2c_mp.h       Process, Pipe/Connection, os, time
 *   mp2c_pool.h     Queue, JoinableQueue, SimpleQueue, Pool
 *   mp2c_shared.h   Value, Array, ctypes, Structure, locks and the rest
 *   mp2c_manager.h  Manager(): a server process owning shared dicts, lists, ...
 *   mp2c_stdlib.h   functools, itertools, operator, string
 */
#ifndef MP2C_H
#define MP2C_H

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#define RT_LIKELY(x)   __builtin_expect(!!(x), 1)
#define RT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define RT_MUST_CHECK  __attribute__((warn_unused_result))
#define RT_NORETURN    _Noreturn

/* ==== allocation ============================================================
 * Every runtime allocation goes through these, so that tests can substitute a
 * counting or failing allocator (as Lua's debug_realloc). On failure they set
 * MemoryError and return NULL. */
void *rt_malloc(size_t n);
void *rt_calloc(size_t n, size_t size);
void *rt_realloc(void *p, size_t n);
void  rt_free(void *p);
/* Test hook: the next `n` allocations succeed, then all fail (n < 0: never fail). */
void  rt_alloc_fail_after(long n);

/* ==== objects ================================================================ */
typedef struct RtValue RtValue;
typedef struct RtType  RtType;
typedef RtValue *RtBorrowed;   /* documentation only: the caller keeps ownership */
struct RtBuf;                  /* mp2c_serial.h */

struct RtValue {
    int32_t rc;        /* reference count; RT_IMMORTAL objects are never freed */
    uint32_t flags;    /* per-type bits (e.g. "hash cached") */
    RtType *type;
};

#define RT_IMMORTAL INT32_MAX

/* Static object header initializer: RT_STATIC_HEAD(&rt_type_int) */
#define RT_STATIC_HEAD(tp) { RT_IMMORTAL, 0, (tp) }

/* Slow path of rt_decref: calls type->dealloc, then frees the memory. */
void rt__dealloc(RtValue *o);

static inline void rt_incref(RtValue *o) {
    if (o->rc != RT_IMMORTAL) o->rc++;
}
static inline void rt_decref(RtValue *o) {
    if (o->rc == RT_IMMORTAL) return;
    assert(o->rc > 0 && "rt_decref against refcount <= 0");
    if (--o->rc == 0) rt__dealloc(o);
}
static inline void rt_xincref(RtValue *o) { if (o) rt_incref(o); }
static inline void rt_xdecref(RtValue *o) { if (o) rt_decref(o); }
/* Returns o after an incref: `return rt_newref(x);` */
static inline RtValue *rt_newref(RtValue *o) { rt_incref(o); return o; }
/* Sets *slot to NULL and releases what it held (CPython's Py_CLEAR). */
#define RT_CLEAR(slot) do { RtValue *rt__o = (RtValue *)(slot); (slot) = NULL; rt_xdecref(rt__o); } while (0)
/* Replaces *slot, releasing the old value; `v` is stolen. */
#define RT_SETREF(slot, v) do { RtValue *rt__o = (RtValue *)(slot); (slot) = (v); rt_xdecref(rt__o); } while (0)
static inline int32_t rt_refcnt(const RtValue *o) { return o->rc; }

/* Allocates a zeroed object of `size` bytes with rc 1 and the given type.
 * New reference, or NULL (MemoryError). */
RtValue *rt_obj_alloc(RtType *type, size_t size);

/* ==== types ==================================================================
 * A type's `tag` names the C layout of its instances. Builtin types are static
 * RtType objects (rt_type_int, ...); classes defined in the script are
 * allocated by rt_class_new and carry their namespace in `dict`. */
typedef enum RtTag {
    RT_T_NONE, RT_T_BOOL, RT_T_INT, RT_T_FLOAT, RT_T_COMPLEX,
    RT_T_STR, RT_T_BYTES, RT_T_BYTEARRAY, RT_T_LIST, RT_T_TUPLE, RT_T_DICT,
    RT_T_SET, RT_T_FROZENSET, RT_T_RANGE, RT_T_SLICE,
    RT_T_TYPE, RT_T_FUNC, RT_T_BUILTIN, RT_T_METHOD, RT_T_CELL,
    RT_T_EXC,        /* BaseException and subclasses: RtExc */
    RT_T_INSTANCE,   /* instances of script classes with no native base: RtInstance */
    RT_T_ITER,       /* iterators and generators: behaviour through slots */
    RT_T_MODULE,
    RT_T_NATIVE,     /* runtime objects (Process, Queue, Lock, ...): behaviour through slots */
    RT_T_OTHER       /* Ellipsis, NotImplemented, ... */
} RtTag;

/* Binary operators, in the order of the translator's BinOpKind. */
typedef enum RtBinOp {
    RT_ADD, RT_SUB, RT_MUL, RT_MATMUL, RT_TRUEDIV, RT_MOD, RT_POW,
    RT_LSHIFT, RT_RSHIFT, RT_OR, RT_XOR, RT_AND, RT_FLOORDIV
} RtBinOp;
typedef enum RtUnaryOp { RT_INVERT, RT_NOT, RT_POS, RT_NEG } RtUnaryOp;
/* Rich comparison operators, as CPython's Py_LT ... Py_GE. */
typedef enum RtCmpOp { RT_LT, RT_LE, RT_EQ, RT_NE, RT_GT, RT_GE } RtCmpOp;

/* Native callables: `self` is the receiver for methods (NULL for plain
 * builtins). Positional arguments are args[0..nargs); when kwnames (a tuple of
 * str) is not NULL, the keyword argument values follow in
 * args[nargs..nargs+len(kwnames)). Return a new reference or NULL. */
typedef RtValue *(*RtNativeFn)(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);

typedef struct RtMethodDef {
    const char *name;
    RtNativeFn  fn;
} RtMethodDef;

typedef struct RtGetSetDef {
    const char *name;
    RtValue *(*get)(RtValue *self);            /* new reference or NULL */
    int      (*set)(RtValue *self, RtValue *v);/* v NULL = del; 0 or -1; NULL set = read-only */
} RtGetSetDef;

/* Type flags */
#define RT_TF_HEAP      0x1u   /* allocated by rt_class_new */
#define RT_TF_BASETYPE  0x2u   /* may be subclassed in a script */
#define RT_TF_SLOTS     0x4u   /* script class whose chain declares __slots__ without __dict__ */
#define RT_TF_SER_AS_BASE 0x8u /* serialized as its base type, whose ser_load rebuilds it (AutoProxy[X]) */

struct RtType {
    RtValue      ob;
    const char  *name;          /* __name__, e.g. "int", "Point", "Queue" */
    const char  *module;        /* __module__; NULL means builtins */
    RtTag        tag;
    uint32_t     flags;
    RtType      *base;          /* single inheritance; NULL only for object */
    RtValue     *dict;          /* class namespace (dict) or NULL */
    size_t       size;          /* bytes of an instance (for rt_obj_alloc) */
    size_t       dict_offset;   /* offset of an `RtValue *dict` member in instances, 0 = none */
    int          table_index;   /* index in the program's class table (serialization), -1 = none */

    /* Slots. NULL means "inherit from base" for script classes and "not
     * supported" for builtins; rt_type_ready fills the inherited ones. */
    void     (*dealloc)(RtValue *self);       /* release what self owns; not the memory itself */
    RtValue *(*repr)(RtValue *self);          /* new ref str */
    RtValue *(*str)(RtValue *self);           /* new ref str; NULL = use repr */
    int      (*hash)(RtValue *self, int64_t *out);         /* 0 ok, -1 TypeError */
    RtValue *(*richcompare)(RtValue *a, RtValue *b, RtCmpOp op); /* new ref, rt_NotImplemented or NULL */
    RtValue *(*binop)(RtValue *a, RtValue *b, RtBinOp op);       /* either operand is of this type; may return rt_NotImplemented */
    RtValue *(*inplace)(RtValue *a, RtValue *b, RtBinOp op);     /* a op= b in place (list +=); NULL = use binop */
    RtValue *(*unary)(RtValue *a, RtUnaryOp op);                  /* RT_NOT never reaches here */
    int      (*truthy)(RtValue *self);         /* 1, 0 or -1 */
    int64_t  (*len)(RtValue *self);            /* -1 on error */
    RtValue *(*getitem)(RtValue *self, RtValue *key);
    int      (*setitem)(RtValue *self, RtValue *key, RtValue *v); /* v NULL = delete */
    int      (*contains)(RtValue *self, RtValue *item);         /* 1, 0, -1 */
    RtValue *(*iter)(RtValue *self);
    RtValue *(*iternext)(RtValue *self);       /* new ref; NULL without exception = exhausted */
    RtValue *(*call)(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
    /* Calling the type object: allocate and initialise an instance.
     * Subclassable natives (RT_TF_BASETYPE: Process, Structure, exceptions)
     * follow CPython's __new__/__init__ split: construct(type, NULL, 0, NULL)
     * must return a blank default instance of `type` (which may be a script
     * subclass: allocate type->size bytes) without side effects such as
     * consuming a name counter, and the type's methods table must hold an
     * "__init__" that (re)initialises self from the arguments and returns
     * None. For a script class, calling it runs construct(cls, no args), then
     * the __init__ found first along the class chain (script or native). */
    RtValue *(*construct)(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames);
    /* Attribute hooks, consulted after getset/methods/dict lookups fail.
     * getattr returns NULL without an exception for "no such attribute". */
    RtValue *(*getattr)(RtValue *self, const char *name);
    int      (*setattr)(RtValue *self, const char *name, RtValue *v);
    /* Serialization of native objects (a Process's arguments under spawn,
     * a Queue sent through a Pipe): write what another process of the same
     * program needs to rebuild the object (fd numbers, shared-memory names).
     * NULL = cannot be sent ("cannot pickle 'X' object"). */
    int      (*ser_dump)(RtValue *self, struct RtBuf *buf);
    RtValue *(*ser_load)(RtType *type, struct RtBuf *buf);
    const RtMethodDef *methods;                /* terminated by {NULL, NULL} */
    const RtGetSetDef *getset;                 /* terminated by {NULL, ...} */
    /* Class methods (int.from_bytes, float.fromhex): called with the type
     * (or the subclass it was reached through) as self. */
    const RtMethodDef *classmethods;
};
/* Static (builtin and runtime) types fill every slot they support
 * explicitly: NULL means "not supported", with no inheritance at run time.
 * Script classes (RT_TF_HEAP) inherit missing slots from their base when
 * rt_class_new readies them. */

#define RT_TYPE(o) ((o)->type)

/* Is `t` the same as `base` or derived from it? */
bool rt_type_is_subtype(const RtType *t, const RtType *base);
/* isinstance(o, t) for a single type. */
static inline bool rt_isinstance_t(const RtValue *o, const RtType *t) {
    return o->type == t || rt_type_is_subtype(o->type, t);
}
/* The name that error messages use: "int", "Point". Borrowed C string. */
const char *rt_type_name(const RtValue *o);
/* "module.Name" for non-builtins, "Name" for builtins and __main__. */
const char *rt_type_qualname(const RtType *t, char *buf, size_t n);

extern RtType rt_type_type, rt_type_object, rt_type_NoneType, rt_type_bool,
    rt_type_int, rt_type_float, rt_type_complex, rt_type_str, rt_type_bytes,
    rt_type_bytearray, rt_type_list, rt_type_tuple, rt_type_dict, rt_type_set,
    rt_type_frozenset, rt_type_range, rt_type_slice, rt_type_function,
    rt_type_builtin, rt_type_method, rt_type_cell, rt_type_ellipsis,
    rt_type_NotImplementedType;

/* ==== the singletons ======================================================== */
extern RtValue rt_None_obj, rt_True_obj, rt_False_obj, rt_Ellipsis_obj, rt_NotImplemented_obj;
#define rt_None           (&rt_None_obj)
#define rt_True           (&rt_True_obj)
#define rt_False          (&rt_False_obj)
#define rt_Ellipsis       (&rt_Ellipsis_obj)
#define rt_NotImplemented (&rt_NotImplemented_obj)
/* New reference to True or False (immortal, so no incref is needed). */
static inline RtValue *rt_bool(bool b) { return b ? rt_True : rt_False; }

/* ==== exceptions =============================================================
 * The pending exception: set by a failing operation, cleared by the handler
 * that catches it. A function signals failure by returning NULL / -1 after
 * setting it; generated code tests `rt_exc_pending` after calls that return
 * unboxed values. */
extern _Thread_local RtValue *rt_exc_pending;
#define RT_ERR() RT_UNLIKELY(rt_exc_pending != NULL)

/* One frame of a traceback: which function, at which Python line. */
typedef struct RtTbEntry {
    const char *func;      /* "<module>", "f", "Point.__init__" */
    int         line;
} RtTbEntry;

typedef struct RtExc {
    RtValue    ob;
    RtValue   *dict;            /* attributes (script exception classes); may be NULL */
    RtValue   *args;            /* tuple, never NULL once constructed */
    RtValue   *cause;           /* raise ... from X; or NULL */
    RtValue   *context;         /* the exception being handled when this was raised; or NULL */
    bool       suppress_context;
    RtTbEntry *tb;              /* innermost frame first */
    int        ntb, tbcap;
    RtValue   *remote_tb;       /* str: traceback text from another process (Pool), or NULL */
} RtExc;

/* The built-in exception hierarchy: X(cname, base, module, pyname) declares
 * `extern RtType rt_exc_<cname>;`. module is NULL for builtins; pyname is the
 * class's __name__ (it differs from cname where C needs a distinct name). */
#define RT_EXC_TYPES(X) \
    X(BaseException, object, NULL, "BaseException") \
    X(SystemExit, BaseException, NULL, "SystemExit") \
    X(KeyboardInterrupt, BaseException, NULL, "KeyboardInterrupt") \
    X(GeneratorExit, BaseException, NULL, "GeneratorExit") \
    X(Exception, BaseException, NULL, "Exception") \
    X(StopIteration, Exception, NULL, "StopIteration") \
    X(ArithmeticError, Exception, NULL, "ArithmeticError") \
    X(FloatingPointError, ArithmeticError, NULL, "FloatingPointError") \
    X(OverflowError, ArithmeticError, NULL, "OverflowError") \
    X(ZeroDivisionError, ArithmeticError, NULL, "ZeroDivisionError") \
    X(AssertionError, Exception, NULL, "AssertionError") \
    X(AttributeError, Exception, NULL, "AttributeError") \
    X(BufferError, Exception, NULL, "BufferError") \
    X(EOFError, Exception, NULL, "EOFError") \
    X(ImportError, Exception, NULL, "ImportError") \
    X(LookupError, Exception, NULL, "LookupError") \
    X(IndexError, LookupError, NULL, "IndexError") \
    X(KeyError, LookupError, NULL, "KeyError") \
    X(MemoryError, Exception, NULL, "MemoryError") \
    X(NameError, Exception, NULL, "NameError") \
    X(UnboundLocalError, NameError, NULL, "UnboundLocalError") \
    X(OSError, Exception, NULL, "OSError") \
    X(BlockingIOError, OSError, NULL, "BlockingIOError") \
    X(ChildProcessError, OSError, NULL, "ChildProcessError") \
    X(ConnectionError, OSError, NULL, "ConnectionError") \
    X(BrokenPipeError, ConnectionError, NULL, "BrokenPipeError") \
    X(ConnectionAbortedError, ConnectionError, NULL, "ConnectionAbortedError") \
    X(ConnectionRefusedError, ConnectionError, NULL, "ConnectionRefusedError") \
    X(ConnectionResetError, ConnectionError, NULL, "ConnectionResetError") \
    X(FileExistsError, OSError, NULL, "FileExistsError") \
    X(FileNotFoundError, OSError, NULL, "FileNotFoundError") \
    X(InterruptedError, OSError, NULL, "InterruptedError") \
    X(IsADirectoryError, OSError, NULL, "IsADirectoryError") \
    X(NotADirectoryError, OSError, NULL, "NotADirectoryError") \
    X(PermissionError, OSError, NULL, "PermissionError") \
    X(ProcessLookupError, OSError, NULL, "ProcessLookupError") \
    X(TimeoutError, OSError, NULL, "TimeoutError") \
    X(RuntimeError, Exception, NULL, "RuntimeError") \
    X(NotImplementedError, RuntimeError, NULL, "NotImplementedError") \
    X(RecursionError, RuntimeError, NULL, "RecursionError") \
    X(TypeError, Exception, NULL, "TypeError") \
    X(ValueError, Exception, NULL, "ValueError") \
    X(UnicodeError, ValueError, NULL, "UnicodeError") \
    X(UnicodeDecodeError, UnicodeError, NULL, "UnicodeDecodeError") \
    X(UnicodeEncodeError, UnicodeError, NULL, "UnicodeEncodeError") \
    X(Empty, Exception, "_queue", "Empty") \
    X(Full, Exception, "queue", "Full") \
    X(ProcessError, Exception, "multiprocessing.context", "ProcessError") \
    X(BufferTooShort, ProcessError, "multiprocessing.context", "BufferTooShort") \
    X(AuthenticationError, ProcessError, "multiprocessing.context", "AuthenticationError") \
    X(MpTimeoutError, ProcessError, "multiprocessing.context", "TimeoutError") \
    X(PicklingError, Exception, "_pickle", "PicklingError") \
    X(BrokenBarrierError, RuntimeError, "threading", "BrokenBarrierError") \
    X(RemoteError, Exception, "multiprocessing.managers", "RemoteError") \
    X(StructError, Exception, "struct", "error")

#define RT_DECLARE_EXC(cname, base, mod, pyname) extern RtType rt_exc_##cname;
RT_EXC_TYPES(RT_DECLARE_EXC)
#undef RT_DECLARE_EXC

/* Sets the pending exception to a new instance of `type` with one str
 * argument. These return NULL so callers can `return rt_raise(...)`. */
RtValue *rt_raise(RtType *type, const char *msg);
/* MemoryError without allocating: a preallocated instance. Returns NULL. */
RtValue *rt_raise_memory_error(void);
/* printf-style, plus: %R repr(RtValue*), %S str(RtValue*), %T type name of an
 * RtValue*, %U a UTF-8 C string. No field widths. */
RtValue *rt_raise_fmt(RtType *type, const char *fmt, ...);
/* Raises OSError (or the errno-specific subclass) from errno, like
 * PyErr_SetFromErrno: "[Errno 2] No such file or directory". */
RtValue *rt_raise_errno(int err, const char *filename);
/* Raises an existing exception instance or class (`raise X`). Borrowed. */
RtValue *rt_raise_value(RtValue *exc_or_type);
/* `raise X from Y`: Y may be None. */
RtValue *rt_raise_from(RtValue *exc_or_type, RtValue *cause);
/* Bare `raise`: re-raises the exception being handled, or RuntimeError
 * "No active exception to reraise". */
RtValue *rt_reraise(void);

/* New exception instance: type(*args). New reference. */
RtValue *rt_exc_new(RtType *type, RtValue *args_tuple);
/* Appends a traceback frame to the pending exception (called on the way out
 * of each function that lets it pass). */
void rt_tb_here(const char *func, int line);
/* Visits e's frames oldest first, as CPython prints them: of a run of
 * identical frames (recursion) only the first three, then one call with
 * frame NULL and `repeated` the number left out, for the line
 * "  [Previous line repeated N more times]". */
typedef void RtTbVisit(void *ctx, const RtTbEntry *frame, int repeated);
void rt_tb_walk(const RtExc *e, RtTbVisit *visit, void *ctx);
/* Does the pending exception match `cls` (a type or a tuple of types)? 1/0. */
int rt_exc_matches(RtValue *cls);
/* Takes the pending exception (new reference) and clears it. */
RtValue *rt_exc_fetch(void);
/* Sets the pending exception; steals exc. */
void rt_exc_restore(RtValue *exc);
/* Raises exc, a new exception object (steals it): as `raise exc`, it gets the
 * exception being handled as its __context__. rt_exc_restore does not chain. */
void rt_exc_raise_new(RtValue *exc);
/* The exception being handled (sys.exc_info()[1]), for bare raise and for
 * chaining ("During handling of the above exception..."). An `except` block
 * brackets its body with enter/leave; leave restores the previous one. */
void rt_exc_handling_enter(RtValue *exc, RtValue **saved);  /* saved: opaque slot */
void rt_exc_handling_leave(RtValue *saved);
RtValue *rt_exc_handling(void);                           /* borrowed or NULL */
/* Replaces the handled-exception view with h and returns the old one; the
 * references travel with the pointers. For generators, which keep their
 * own (CPython's gi_exc_state) across a switch. */
RtValue *rt_exc_handling_swap(RtValue *h);
/* Prints "Traceback (most recent call last):" ... "Type: message" for exc on
 * stderr, with chained causes/contexts, as CPython 3.11 does. */
void rt_exc_print(RtValue *exc);
/* The same text as a str (traceback.format_exception joined): new reference or NULL. */
RtValue *rt_exc_format(RtValue *exc);
/* traceback's options: limit= (has_limit), chain=, a traceback argument
 * (tb_src's innermost tb_n frames replace the outermost exception's own),
 * and `only` for format_exception_only. */
typedef struct RtExcFmt {
    bool          has_limit;
    int           limit;
    bool          chain;
    bool          only;
    const RtExc  *tb_src;
    int           tb_n;
} RtExcFmt;
/* rt_exc_format with options (opt may be NULL); as_list gives
 * traceback.format_exception's list of str instead of one str. */
RtValue *rt_exc_format_ex(RtValue *exc, const RtExcFmt *opt, bool as_list);
/* A traceback object's frames: sets *src to its exception and gives how many
 * of src's frames (innermost first) it covers; -1 if tb is not one. */
int rt_tb_frames(RtValue *tb, const RtExc **src);
/* str(exc) as CPython: args[0] alone, '' for no args, repr of key for KeyError... */
RtValue *rt_exc_str(RtValue *exc);
/* Exit status and printing for an exception reaching the top of a process:
 * SystemExit gives its code (printing a str code to stderr); anything else
 * prints the traceback and gives 1. Consumes the pending exception. */
int rt_exc_report_uncaught(void);

/* ==== functions, methods, classes, instances ================================= */
typedef struct RtFunc RtFunc;
/* A compiled Python function's boxed entry point ("trampoline"): parses the
 * arguments against the signature, unboxes them, calls the typed C function
 * and boxes the result. */
typedef RtValue *(*RtFuncEntry)(RtFunc *self, RtValue *const *args, size_t nargs, RtValue *kwnames);

struct RtFunc {
    RtValue      ob;
    const char  *name;          /* __name__ */
    const char  *qualname;      /* __qualname__ */
    RtFuncEntry  entry;
    int          table_index;   /* index in the function table (pickling); -1 = not picklable */
    const char  *doc;           /* the docstring (UTF-8), or NULL: __doc__ is None */
    RtValue     *defaults;      /* tuple or NULL: values of the trailing positional defaults */
    RtValue     *kwdefaults;    /* dict or NULL: keyword-only defaults */
    RtValue    **cells;         /* closure cells (RtCell), owned; NULL when none */
    int          ncells;
    RtValue     *dict;          /* function attributes, or NULL */
};

typedef struct RtCell { RtValue ob; RtValue *value; /* NULL = empty */ } RtCell;

typedef struct RtBuiltin {
    RtValue     ob;
    const char *name;
    RtNativeFn  fn;
    RtValue    *self;           /* bound receiver (owned) or NULL */
    int         table_index;    /* builtins table index (pickling), -1 = none */
} RtBuiltin;

typedef struct RtMethod { RtValue ob; RtValue *func; RtValue *self; } RtMethod;

typedef struct RtInstance { RtValue ob; RtValue *dict; } RtInstance;

/* New function object. New reference. `defaults` and `kwdefaults` are
 * borrowed (the function takes its own references); cells: ncells values are
 * stolen. */
RtValue *rt_func_new(const char *name, const char *qualname, RtFuncEntry entry,
                     int table_index, RtValue *defaults, RtValue *kwdefaults,
                     RtValue **cells, int ncells);
RtValue *rt_builtin_new(const char *name, RtNativeFn fn, RtValue *self, int table_index);
/* str.upper and the like: a native type's method, unbound (the instance is
 * the first argument). New reference. */
typedef struct RtMethodDescr { RtValue ob; const RtMethodDef *def; RtType *owner; } RtMethodDescr;
extern RtType rt_type_method_descriptor;
RtValue *rt_descr_new(const RtMethodDef *def, RtType *owner);
RtValue *rt_method_new(RtValue *func, RtValue *self);
RtValue *rt_cell_new(RtValue *value /* borrowed, may be NULL */);

/* A signature, for parsing the arguments of a boxed call. */
typedef struct RtParamSpec {
    const char        *fname;      /* for messages: "f() missing 1 required positional argument: 'x'" */
    const char *const *names;      /* positional (incl. posonly) first, then keyword-only */
    int                nposonly;
    int                npos;       /* including posonly */
    int                nkwonly;
    bool               varargs;    /* has *args */
    bool               varkw;      /* has **kwargs */
} RtParamSpec;
/* Binds a call's arguments to the parameters, applying defaults, and raising
 * CPython's TypeErrors. out[] receives npos+nkwonly borrowed references;
 * *varargs a new tuple and *varkw a new dict when the signature has them
 * (pass NULL otherwise). Returns 0 or -1. */
int rt_bind_args(const RtParamSpec *spec, RtValue *const *args, size_t nargs,
                 RtValue *kwnames, RtValue *defaults, RtValue *kwdefaults,
                 RtValue **out, RtValue **varargs, RtValue **varkw) RT_MUST_CHECK;

/* class NAME(BASE): the namespace dict is borrowed. New reference (a type). */
RtValue *rt_class_new(const char *name, const char *module, RtType *base,
                      RtValue *ns, int table_index);
/* After special methods were added to a script class's namespace (dataclass):
 * point its slots at them. */
void rt_class_refresh_slots(RtType *t);
/* Types made at run time by a factory (namedtuple): registered by module and
 * name so the serializer can send them by name. 0 or -1. */
int     rt_type_register_dynamic(RtType *t) RT_MUST_CHECK;
bool    rt_type_is_dynamic(const RtType *t);
RtType *rt_type_find_dynamic(const char *module, const char *name);   /* borrowed or NULL */
/* Instance of a script class with no native base. New reference. */
RtValue *rt_instance_new(RtType *cls);
/* The attribute dict of o, or NULL when o has none. Borrowed. */
RtValue *rt_obj_dict(RtValue *o);

/* super().name and super().name(*args) inside a method of class `cls`. */
RtValue *rt_super_getattr(RtType *cls, RtValue *self, const char *name);
RtValue *rt_super_call_method(RtType *cls, RtValue *self, const char *name,
                              RtValue *const *args, size_t nargs, RtValue *kwnames);
/* Does type t provide `name` (method, getset or class attribute)? No allocation. */
bool rt_type_has_attr(RtType *t, const char *name);
/* Does a script class along t's chain define `name` (not a native)? */
bool rt_type_has_script_attr(RtType *t, const char *name);
/* Sets (v != NULL) or deletes an entry of o's instance dict; for native
 * setattr hooks that handle some names and fall back to the dict. 0 / -1. */
int rt_obj_dict_setattr(RtValue *o, const char *name, RtValue *v);
/* Decorator types: @property (with .setter), @staticmethod, @classmethod. */
extern RtType rt_type_property, rt_type_staticmethod, rt_type_classmethod;

/* Helpers for native functions' argument checks. rt_check_args raises
 * CPython-style TypeErrors unless min <= nargs <= max and there are no
 * keywords; rt_kwarg finds a keyword argument (borrowed, NULL if absent);
 * rt_check_kwargs rejects keywords not in `allowed` (NULL-terminated). */
int      rt_check_args(const char *fname, size_t nargs, RtValue *kwnames, size_t min, size_t max) RT_MUST_CHECK;
RtValue *rt_kwarg(RtValue *const *args, size_t nargs, RtValue *kwnames, const char *name);
int      rt_check_kwargs(const char *fname, RtValue *kwnames, const char *const *allowed) RT_MUST_CHECK;

/* ==== the generic protocol ===================================================
 * These are what generated code calls when the types are not known at
 * translation time. All return new references, or NULL / -1 on error. */
RtValue *rt_binop(RtValue *a, RtValue *b, RtBinOp op);
RtValue *rt_inplace_binop(RtValue *a, RtValue *b, RtBinOp op);
RtValue *rt_unary(RtValue *a, RtUnaryOp op);
RtValue *rt_richcompare(RtValue *a, RtValue *b, RtCmpOp op);
int      rt_compare_bool(RtValue *a, RtValue *b, RtCmpOp op);   /* 1, 0, -1 */
int      rt_eq(RtValue *a, RtValue *b);                         /* 1, 0, -1; identity first */
int      rt_truthy(RtValue *o);                                 /* 1, 0, -1 */
int      rt_hash(RtValue *o, int64_t *out);                     /* 0, -1 */
RtValue *rt_repr(RtValue *o);
RtValue *rt_str(RtValue *o);
RtValue *rt_ascii(RtValue *o);
RtValue *rt_format(RtValue *o, RtValue *spec);  /* format(o, spec); spec may be NULL = '' */
int64_t  rt_len(RtValue *o);                                     /* -1 on error */
RtValue *rt_getitem(RtValue *o, RtValue *key);
int      rt_setitem(RtValue *o, RtValue *key, RtValue *v);
int      rt_delitem(RtValue *o, RtValue *key);
int      rt_contains(RtValue *container, RtValue *item);         /* `item in container`: 1, 0, -1 */
RtValue *rt_getattr(RtValue *o, const char *name);
/* As rt_getattr, but returns NULL without an exception when missing. */
RtValue *rt_getattr_opt(RtValue *o, const char *name);
int      rt_setattr(RtValue *o, const char *name, RtValue *v);
int      rt_delattr(RtValue *o, const char *name);
int      rt_hasattr(RtValue *o, const char *name);
RtValue *rt_call(RtValue *f, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* o.name(*args): avoids creating a bound method. */
RtValue *rt_call_method(RtValue *o, const char *name, RtValue *const *args,
                        size_t nargs, RtValue *kwnames);
/* f(*args, **kwargs) with a tuple and a dict (either may be NULL). */
RtValue *rt_call_tuple_dict(RtValue *f, RtValue *args, RtValue *kwargs);
RtValue *rt_iter(RtValue *o);
/* iter() of an object with __getitem__ but no __iter__: calls o[0], o[1], ...
 * until IndexError or StopIteration (CPython's "iterator" type). */
RtValue *rt_seq_iter_new(RtValue *o);
/* New reference; NULL with no pending exception means exhausted. */
RtValue *rt_iter_next(RtValue *it);
/* isinstance(o, cls) with cls a type or a tuple of types: 1, 0, -1. */
int      rt_isinstance(RtValue *o, RtValue *cls);
int      rt_issubclass(RtValue *cls, RtValue *base);
/* `with` statements: enter returns a new reference (the `as` value); exit is
 * given the pending exception (or NULL) and returns 1 to swallow it, 0 to let
 * it propagate, -1 on a new error. */
RtValue *rt_with_enter(RtValue *mgr);
int      rt_with_exit(RtValue *mgr, RtValue *exc);
/* Unpacks an iterable into exactly n values (a, b = x) or with a starred
 * target at index star (a, *b, c = x; star = -1 for none). out receives new
 * references. Raises CPython's ValueErrors ("too many values to unpack
 * (expected 2)"). */
int      rt_unpack(RtValue *seq, size_t n, int star, RtValue **out) RT_MUST_CHECK;

/* ==== program lifecycle ====================================================== */
/* The generated program describes itself to the runtime with one of these. */
/* A module-level name of the script and the C variable that holds it. */
typedef struct RtGlobal {
    const char *name;
    RtValue   **slot;
} RtGlobal;

typedef struct RtProgram {
    const char        *path;          /* the script's path, as in tracebacks */
    const char *const *source_lines;  /* source_lines[i] is line i+1, without '\n' */
    int                nlines;
    RtValue         **functions;      /* function table: index -> function object (pickling) */
    int                nfunctions;
    RtType          **classes;        /* class table: index -> class (pickling) */
    int                nclasses;
    /* The module's globals, {NULL, NULL}-terminated: a function that is
     * not in the function table (a decorated one, made by @wraps) is sent
     * by its global name, as pickle does, when that name holds it. */
    const RtGlobal    *globals;
    /* Runs the module body. `as_main` is false in a spawned child, where
     * __name__ is '__mp_main__' and the main guard does not run. Returns 0,
     * or -1 with an exception pending. */
    int              (*module_init)(bool as_main);
} RtProgram;

/* Sets up the runtime (stdio buffering as CPython: PYTHONUNBUFFERED honoured;
 * signal handlers; atexit cleanup of children and shared memory), runs the
 * program (or, in a spawned child, the requested target), reports an uncaught
 * exception and returns the process exit status. Called by the generated main. */
int rt_main(const RtProgram *prog, int argc, char **argv);
/* The program being run (for tracebacks and the serializer). */
extern const RtProgram *rt_program;
/* The script's absolute path (rt_program->path made absolute at startup). */
extern const char *rt_script_path;
/* Flushes stdout and stderr, as CPython does before fork and at exit. */
void rt_flush_std(void);
/* sys.exit: raises SystemExit(code). code is borrowed, may be NULL = None. */
RtValue *rt_sys_exit(RtValue *code);
/* sys.argv as a new list. */
RtValue *rt_sys_argv(void);

/* print(*args, sep=' ', end='\n', file=sys.stdout, flush=False); sep/end/file
 * may be NULL for the defaults. Returns 0 or -1. */
int rt_print(RtValue *const *args, size_t n, RtValue *sep, RtValue *end,
             RtValue *file, bool flush) RT_MUST_CHECK;

/* ==== built-in functions ===================================================
 * Every builtin function, by name; X(name) names RtNativeFn rt_bi_<name>
 * (declared here or in the section headers). The index of a row is the
 * builtin's table index, which is how the serializer sends it. */
#define RT_BUILTINS(X) \
    X(abs) X(all) X(any) X(ascii) X(bin) X(callable) X(chr) X(delattr) \
    X(divmod) X(enumerate) X(filter) X(format) X(getattr) X(hasattr) X(hash) \
    X(hex) X(id) X(input) X(isinstance) X(issubclass) X(iter) X(len) X(map) \
    X(max) X(min) X(next) X(oct) X(ord) X(pow) X(print) X(repr) X(reversed) \
    X(round) X(setattr) X(sorted) X(sum) X(zip) X(open)
#define RT_BUILTIN_INDEX(name) RT_BI_##name,
enum { RT_BUILTINS(RT_BUILTIN_INDEX) RT_BI__COUNT };
#undef RT_BUILTIN_INDEX
/* The shared builtin function object for an index. Borrowed (immortal). */
RtValue *rt_builtin_get(int index);
/* Index of a builtin by name, or -1. */
int      rt_builtin_index(const char *name);
RtValue *rt_bi_print(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_repr(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_ascii(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_hash(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_id(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_callable(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_isinstance(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_issubclass(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_getattr(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_setattr(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_hasattr(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_delattr(RtValue *, RtValue *const *, size_t, RtValue *);
/* vars(obj): obj.__dict__ (TypeError when it has none). */
RtValue *rt_bi_vars(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_input(RtValue *, RtValue *const *, size_t, RtValue *);
/* open(file, mode='r', ...): fopen(3); a file object over the FILE * (fileio.c). */
RtValue *rt_bi_open(RtValue *, RtValue *const *, size_t, RtValue *);

/* sys.stdout / sys.stderr (immortal), and sys.exit as a native function. */
extern RtValue *const rt_sys_stdout, *const rt_sys_stderr;
RtValue *rt_sys_exit_fn(RtValue *, RtValue *const *, size_t, RtValue *);
/* sys.getrecursionlimit() / sys.setrecursionlimit(n). A limit past what the
 * C stack holds raises the stack's soft rlimit (setrlimit(2)), up to 256 MiB. */
RtValue *rt_sys_getrecursionlimit_fn(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_sys_setrecursionlimit_fn(RtValue *, RtValue *const *, size_t, RtValue *);

/* ---- recursion ----
 * Every generated function calls rt_stack_check() on entry and returns at
 * once if it fails: when the C stack is nearly used up, the call raises
 * RecursionError instead of overflowing it. rt_stack_floor is the lowest
 * address a frame may reach: the main stack's end plus a margin for the
 * runtime's own calls, or the running generator's stack.
 * CPython counts frames against sys.getrecursionlimit() instead; counting
 * them here too (a store before and after every call) made call-bound code
 * such as a recursive fib 2.2x slower, where this check costs about 1.2x. */
enum { RT_STACK_MARGIN = 64 << 10 };
extern _Thread_local const char *rt_stack_floor;
int rt_recursion_error(void);   /* raises RecursionError; returns -1 (or runs signal handlers, below) */

/* Signals (signalmod.c). The C handler of a signal with a Python handler
 * sets rt_signals_pending and trips rt_stack_check by raising the floor;
 * rt_signals_run runs the Python handlers (0, or -1 if one raised). Blocking
 * calls run them when EINTR interrupts their wait. */
extern volatile sig_atomic_t rt_signals_pending;
int  rt_signals_run(void);
void rt_signals_trip(void);
void rt_signals_untrip(void);
bool rt_signals_tripped(void);
void rt_fatal_signal(int sig);   /* the runtime's SIGTERM/SIGHUP: clean up, die of it */
void rt_signals_init(void);      /* SIGINT raises KeyboardInterrupt, as in CPython */
/* Runs pending Python signal handlers, for natives that loops call often
 * (print, time.time, time.sleep): 0, or -1 if a handler raised. */
static inline int rt_signal_point(void) { return RT_UNLIKELY(rt_signals_pending) ? rt_signals_run() : 0; }
static inline int rt_stack_check(void) {
    if (RT_UNLIKELY((const char *)__builtin_frame_address(0) < rt_stack_floor)) return rt_recursion_error();
    return 0;
}
/* multiprocessing.freeze_support(): a no-op on Linux, as in CPython. */
RtValue *rt_mp_freeze_support(RtValue *, RtValue *const *, size_t, RtValue *);

/* ==== os.path and the os file functions (ospath.c): posixpath's string rules,
 * stat(2), opendir(3), unlink(2), mkdir(2), rmdir(2); errors are OSErrors. */
RtValue *rt_ospath_join(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_basename(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_dirname(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_split(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_splitext(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_isabs(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_abspath(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_exists(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_isfile(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_isdir(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_ospath_getsize(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_os_listdir(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_os_remove(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_os_rmdir(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_os_mkdir(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_os_makedirs(RtValue *, RtValue *const *, size_t, RtValue *);

/* ==== dataclasses (dataclasses.c): @dataclass installs native __init__,
 * __repr__, __eq__ (and ordering, hashing, frozen setattr) read from the
 * class's __annotations__. */
extern RtType rt_dataclasses_Field;
RtValue *rt_dataclasses_dataclass(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_dataclasses_field(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_dataclasses_asdict(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_dataclasses_astuple(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_dataclasses_fields(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_dataclasses_replace(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_dataclasses_is_dataclass(RtValue *, RtValue *const *, size_t, RtValue *);
/* dataclasses.FrozenInstanceError (an AttributeError subclass made on first use). New reference. */
RtValue *rt_dataclasses_FrozenInstanceError(void);

/* ==== support for generated code ============================================ */
/* len(range(start, stop, step)) for step != 0, without overflow (CPython's rule). */
int64_t rt_range_len(int64_t start, int64_t stop, int64_t step);
/* abs() of an unboxed int: OverflowError for INT64_MIN's 64-bit limit. */
RtValue *rt_raise_i64_overflow(const char *op);
static inline bool rt_i64_abs(int64_t a, int64_t *r) {
    if (RT_UNLIKELY(a == INT64_MIN)) { rt_raise_i64_overflow("abs"); return false; }
    *r = a < 0 ? -a : a;
    return true;
}

/* Generators. A generator's body is an ordinary C function that runs on a
 * stack of its own (makecontext/swapcontext); `yield` switches back to
 * whoever called next(). frame holds the arguments; free_frame releases it. */
typedef RtValue *(*RtGenBody)(void *frame);
/* New generator object (new reference); takes ownership of frame. */
RtValue *rt_gen_new(const char *name, const char *qualname, RtGenBody body,
                    void *frame, void (*free_frame)(void *));
/* In a generator body: hands v (borrowed) to the consumer and suspends.
 * Returns the value sent in (new reference; None for next()), or NULL with
 * GeneratorExit pending when the generator is being closed. */
RtValue *rt_gen_yield(RtValue *v);
/* `yield from iterable`: yields each item; returns the iterable's result
 * (None for plain iterators), new reference, or NULL. */
RtValue *rt_gen_yield_from(RtValue *iterable);
extern RtType rt_type_generator;
/* A finished generator's return value (new reference; None when it had
 * none, NULL if already taken or not finished). For StopIteration.value. */
RtValue *rt_gen_take_result(RtValue *gen);
/* Raises StopIteration for an exhausted iterator, carrying a generator's
 * return value (its StopIteration.value), as next(), send() and throw() do.
 * Returns NULL. */
RtValue *rt_raise_stop_iteration(RtValue *it);

#include "mp2c_num.h"
#include "mp2c_seq.h"
#include "mp2c_serial.h"
#include "mp2c_mp.h"
#include "mp2c_pool.h"
#include "mp2c_shared.h"
#include "mp2c_manager.h"
#include "mp2c_stdlib.h"
#include "mp2c_futures.h"

#endif /* MP2C_H */

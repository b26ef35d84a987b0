/* mp2c_seq.h: str, bytes, list, tuple, dict, set, range, slices, iterators
 * and the builtins that work on them. Part of mp2c.h; include that instead.
 *
 * Naming: the method `m` of type `t` is the RtNativeFn `rt_<t>_m_<m>` (so
 * generated code that knows the type calls it directly, skipping the lookup),
 * and appears in the type's method table. Hot operations also get a plain C
 * function (rt_list_append, rt_dict_set, ...).
 */
#ifndef MP2C_SEQ_H
#define MP2C_SEQ_H

/* ---- str: UTF-8, immutable ------------------------------------------------------ */
typedef struct RtStr {
    RtValue ob;
    int64_t hash;      /* -1 = not computed yet */
    size_t  len;       /* bytes, excluding the terminating NUL */
    size_t  ncp;       /* code points: len(s) in Python */
    char    data[];    /* UTF-8, NUL-terminated */
} RtStr;

/* New reference. The bytes must be valid UTF-8. */
RtValue *rt_str_new(const char *utf8, size_t n);
RtValue *rt_str_from_cstr(const char *utf8);
/* An immortal str for constants in generated code. Interned: the same text
 * always gives the same object, so calling it repeatedly does not leak. */
RtValue *rt_str_const(const char *utf8, size_t n);
static inline bool rt_is_str(const RtValue *o) { return o->type == &rt_type_str; }
static inline const char *rt_str_data(const RtValue *s) { return ((const RtStr *)s)->data; }
static inline size_t rt_str_nbytes(const RtValue *s) { return ((const RtStr *)s)->len; }
RtValue *rt_str_concat(RtValue *a, RtValue *b);                 /* a + b */
RtValue *rt_str_join(RtValue *sep, RtValue *iterable);          /* sep.join(iterable) */
/* repr(str) with CPython's choice of quotes and escapes. */
RtValue *rt_str_repr(RtValue *s);
/* Builds a str from parts (f-strings): each part is a str; borrowed. */
RtValue *rt_str_build(RtValue *const *parts, size_t n);

/* ---- bytes ------------------------------------------------------------------------- */
typedef struct RtBytes {
    RtValue       ob;
    int64_t       hash;
    size_t        len;
    unsigned char data[];   /* NUL-terminated for convenience */
} RtBytes;
RtValue *rt_bytes_new(const void *p, size_t n);
RtValue *rt_bytes_const(const void *p, size_t n);   /* immortal */
static inline bool rt_is_bytes(const RtValue *o) { return o->type == &rt_type_bytes; }
/* bytes(obj) / bytes(str, encoding[, errors]) semantics on one value: new
 * reference (the `construct` slot of bytes uses it). */
RtValue *rt_bytes_from_object(RtValue *o);
/* b.decode(encoding='utf-8', errors='strict') as a C call; encoding/errors may
 * be NULL for the defaults. New reference. */
RtValue *rt_bytes_decode(const void *p, size_t n, const char *encoding, const char *errors);

/* ---- bytearray: mutable bytes ------------------------------------------------------ */
typedef struct RtByteArray {
    RtValue        ob;
    size_t         len, cap;
    unsigned char *data;    /* rt_malloc'd, NUL-terminated when cap > 0; NULL when empty */
} RtByteArray;
/* New reference; copies n bytes. */
RtValue *rt_bytearray_new(const void *p, size_t n);
static inline bool rt_is_bytearray(const RtValue *o) { return o->type == &rt_type_bytearray; }

/* ---- tuple ------------------------------------------------------------------------- */
typedef struct RtTuple {
    RtValue  ob;
    int64_t  hash;
    size_t   len;
    RtValue *items[];
} RtTuple;
/* A tuple of n slots, all NULL: fill each with RT_TUPLE_SET (steals). */
RtValue *rt_tuple_new(size_t n);
#define RT_TUPLE_SET(t, i, v) (((RtTuple *)(t))->items[(i)] = (v))
#define RT_TUPLE_GET(t, i)    (((RtTuple *)(t))->items[(i)])   /* borrowed */
#define RT_TUPLE_LEN(t)       (((RtTuple *)(t))->len)
/* (a, b, ...) from n borrowed values. */
RtValue *rt_tuple_pack(size_t n, ...);
RtValue *rt_tuple_from_array(RtValue *const *items, size_t n);  /* borrowed items */
static inline bool rt_is_tuple(const RtValue *o) { return o->type == &rt_type_tuple; }
/* tuple(iterable). New reference. */
RtValue *rt_tuple_from_iter(RtValue *iterable);
/* The empty tuple (immortal). New reference. */
RtValue *rt_tuple_empty(void);

/* ---- list -------------------------------------------------------------------------- */
typedef struct RtList {
    RtValue   ob;
    size_t    len, cap;
    RtValue **items;
} RtList;
/* An empty list with room for cap items. */
RtValue *rt_list_new(size_t cap);
RtValue *rt_list_from_array(RtValue *const *items, size_t n);   /* borrowed items */
int      rt_list_append(RtValue *list, RtValue *v) RT_MUST_CHECK; /* borrowed v */
#define RT_LIST_GET(l, i) (((RtList *)(l))->items[(i)])          /* borrowed, unchecked */
#define RT_LIST_LEN(l)    (((RtList *)(l))->len)
/* l[i] with Python's negative indexes and IndexError. New reference. */
RtValue *rt_list_getitem_i64(RtValue *list, int64_t i);
int      rt_list_setitem_i64(RtValue *list, int64_t i, RtValue *v) RT_MUST_CHECK;
/* list(iterable). */
RtValue *rt_list_from_iter(RtValue *iterable);
int      rt_list_sort(RtValue *list, RtValue *key, bool reverse) RT_MUST_CHECK;
static inline bool rt_is_list(const RtValue *o) { return o->type == &rt_type_list; }
/* Appends and steals v (the list takes the caller's reference, even on failure). */
int      rt_list_append_steal(RtValue *list, RtValue *v) RT_MUST_CHECK;
/* l.extend(iterable). 0 or -1. */
int      rt_list_extend(RtValue *list, RtValue *iterable) RT_MUST_CHECK;
/* l.pop(i) with Python's negative indexes; new reference or IndexError. */
RtValue *rt_list_pop(RtValue *list, int64_t i);
/* l[lo:hi] for 0 <= lo <= hi <= len: new list (no step, no clamping). */
RtValue *rt_list_slice(RtValue *list, size_t lo, size_t hi);

/* ---- dict: insertion-ordered hash table ---------------------------------------------
 * A compact table as CPython's: `entries` in insertion order (deleted ones
 * keep a NULL key until the next resize) and a power-of-two `indices` table
 * probed with CPython's perturbation scheme. Counter and defaultdict share
 * this layout (their types carry the RT_T_DICT tag); every rt_dict_* function
 * accepts them. */
typedef struct RtDictEntry {
    int64_t  hash;
    RtValue *key;      /* NULL: deleted */
    RtValue *value;
} RtDictEntry;
typedef struct RtDict {
    RtValue      ob;
    size_t       used;       /* live entries: len(d) */
    size_t       nentries;   /* entries[] slots consumed, deleted ones included */
    size_t       usable;     /* entries[] capacity */
    size_t       mask;       /* indices[] size - 1; 0 with indices NULL when empty */
    int32_t     *indices;    /* -1 empty, -2 deleted, else an index into entries */
    RtDictEntry *entries;    /* same allocation as indices */
    uint64_t     version;    /* bumped on every change of keys (iterator checks) */
    RtValue     *extra;      /* defaultdict: default_factory (owned) or NULL */
} RtDict;
RtValue *rt_dict_new(void);
/* Is o a dict or a dict subtype (Counter, defaultdict, script subclasses)? */
static inline bool rt_is_dict_like(const RtValue *o) { return o->type->tag == RT_T_DICT; }
int      rt_dict_set(RtValue *d, RtValue *key, RtValue *v) RT_MUST_CHECK;  /* borrowed key and v */
/* 1 found (*out borrowed), 0 missing, -1 error (unhashable key). */
int      rt_dict_lookup(RtValue *d, RtValue *key, RtValue **out) RT_MUST_CHECK;
RtValue *rt_dict_getitem(RtValue *d, RtValue *key);   /* new reference; KeyError */
int      rt_dict_del(RtValue *d, RtValue *key) RT_MUST_CHECK;                 /* KeyError */
/* String-keyed access for attribute dicts: borrowed result, NULL when missing. */
RtValue *rt_dict_get_cstr(RtValue *d, const char *key);
int      rt_dict_set_cstr(RtValue *d, const char *key, RtValue *v) RT_MUST_CHECK;
int      rt_dict_del_cstr(RtValue *d, const char *key);                        /* 1 deleted, 0 missing */
size_t   rt_dict_len(RtValue *d);
/* Iterates in insertion order: start with *pos = 0; borrowed key/value. */
bool     rt_dict_next(RtValue *d, size_t *pos, RtValue **key, RtValue **value);
static inline bool rt_is_dict(const RtValue *o) { return o->type == &rt_type_dict; }
/* d.get(key, dflt): new reference (dflt borrowed, may be NULL = None). */
RtValue *rt_dict_get(RtValue *d, RtValue *key, RtValue *dflt);
/* Sets and steals both key and v. */
int      rt_dict_set_steal(RtValue *d, RtValue *key, RtValue *v) RT_MUST_CHECK;
/* d.update(other) for a mapping or an iterable of pairs. 0 or -1. */
int      rt_dict_update(RtValue *d, RtValue *other) RT_MUST_CHECK;
/* Shallow copy with the type of d (Counter stays Counter). New reference. */
RtValue *rt_dict_copy(RtValue *d);
void     rt_dict_clear(RtValue *d);
/* dict views: d.keys(), d.values(), d.items(). New references. */
RtValue *rt_dict_keys(RtValue *d);
RtValue *rt_dict_values(RtValue *d);
RtValue *rt_dict_items(RtValue *d);
extern RtType rt_type_dict_keys, rt_type_dict_values, rt_type_dict_items;

/* ---- set and frozenset: same probing and order as CPython's for ints -----------------
 * CPython's setobject.c table: open addressing over `table` (mask + 1
 * entries), LINEAR_PROBES neighbours then perturbed jumps; an empty slot is
 * {NULL, 0}, a deleted one {rt_set_dummy, -1}. Iteration walks the table, so
 * int sets print in CPython's order. */
typedef struct RtSetEntry { RtValue *key; int64_t hash; } RtSetEntry;
#define RT_SET_MINSIZE 8
typedef struct RtSet {
    RtValue     ob;
    size_t      fill;       /* active + dummy slots */
    size_t      used;       /* active slots: len(s) */
    size_t      mask;
    RtSetEntry *table;      /* smalltable or rt_malloc'd */
    int64_t     hash;       /* frozenset: cached hash, -1 = not computed */
    size_t      finger;     /* where pop() resumes */
    RtSetEntry  smalltable[RT_SET_MINSIZE];
} RtSet;
RtValue *rt_set_new(void);
int      rt_set_add(RtValue *s, RtValue *key) RT_MUST_CHECK;
int      rt_set_contains(RtValue *s, RtValue *key);   /* 1, 0, -1 */
/* set(iterable) / frozenset(iterable); iterable may be NULL. New reference. */
RtValue *rt_set_from_iter(RtValue *iterable);
RtValue *rt_frozenset_from_iter(RtValue *iterable);
/* A set display {a, b, c} whose items are all constants (literals, constant
 * tuples, folded constant expressions), in CPython 3.11's order: with more
 * than two items the compiler turns it into a frozenset constant, rebuilt
 * once when constants are merged, so the order is not that of inserting
 * the items one by one. Generated code must build such displays with this;
 * displays with any non-constant item are built by rt_set_add in order. */
RtValue *rt_set_display_const(RtValue *const *items, size_t n);
/* s.discard(key): 1 removed, 0 absent, -1 error. */
int      rt_set_discard(RtValue *s, RtValue *key);
/* Iterates the table in order: start with *pos = 0; borrowed key. */
bool     rt_set_next(RtValue *s, size_t *pos, RtValue **key);
static inline bool rt_is_anyset(const RtValue *o) {
    return o->type->tag == RT_T_SET || o->type->tag == RT_T_FROZENSET;
}

/* ---- range and slice ------------------------------------------------------------------ */
typedef struct RtRange { RtValue ob; int64_t start, stop, step, len; } RtRange;
RtValue *rt_range_new(int64_t start, int64_t stop, int64_t step);  /* ValueError for step 0 */
/* slice(lower, upper, step): borrowed, each may be NULL for None. */
RtValue *rt_slice_new(RtValue *lower, RtValue *upper, RtValue *step);
typedef struct RtSlice { RtValue ob; RtValue *start, *stop, *step; } RtSlice;   /* never NULL: None */
static inline bool rt_is_slice(const RtValue *o) { return o->type == &rt_type_slice; }
/* CPython's PySlice_Unpack: None -> defaults, ints clamped to int64, step 0
 * is ValueError "slice step cannot be zero". 0 or -1. */
int      rt_slice_unpack(RtValue *slice, int64_t *start, int64_t *stop, int64_t *step) RT_MUST_CHECK;
/* CPython's PySlice_AdjustIndices: clips start/stop to a sequence of length
 * len and returns the number of items the slice selects. */
int64_t  rt_slice_adjust(int64_t len, int64_t *start, int64_t *stop, int64_t step);
/* Both at once: 0 or -1; *count receives the number of items. */
int      rt_slice_indices(RtValue *slice, int64_t len, int64_t *start, int64_t *stop,
                          int64_t *step, int64_t *count) RT_MUST_CHECK;

/* ---- builtins on sequences (RtNativeFn; self is NULL) ----------------------------------
 * The type constructors list(), tuple(), dict(), set(), str(), bytes(),
 * range() are the `construct` slots of their types. */
RtValue *rt_bi_len(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_sorted(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_reversed(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_enumerate(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_zip(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_map(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_filter(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_sum(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_min(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_max(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_any(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_all(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_iter(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_next(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_chr(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_ord(RtValue *, RtValue *const *, size_t, RtValue *);
/* Iterator types of the builtins above (isinstance(x, enumerate) etc.). */
extern RtType rt_type_enumerate, rt_type_zip, rt_type_map, rt_type_filter, rt_type_reversed;

/* ---- collections ---------------------------------------------------------------------
 * Counter and defaultdict are dicts (RT_T_DICT tag, RtDict layout); deque is a
 * ring buffer; namedtuple(typename, field_names, *, rename=False,
 * defaults=None, module=None) builds a new tuple type. */
extern RtType rt_collections_Counter, rt_collections_defaultdict, rt_collections_deque, rt_collections_OrderedDict;
RtValue *rt_collections_namedtuple(RtValue *, RtValue *const *, size_t, RtValue *);


/* ---- methods ----------------------------------------------------------------------------
 * Every method is an RtNativeFn named rt_<type>_m_<name>, declared here through
 * these X-macro lists (X(type, name)); each is also in its type's method table. */
#define RT_STR_METHODS(X) X(str, split) X(str, rsplit) X(str, join) X(str, strip) X(str, lstrip) \
    X(str, rstrip) X(str, upper) X(str, lower) X(str, casefold) X(str, title) X(str, capitalize)   \
    X(str, swapcase) X(str, startswith) X(str, endswith) X(str, find) X(str, rfind) X(str, index)  \
    X(str, rindex) X(str, count) X(str, replace) X(str, center) X(str, ljust) X(str, rjust)        \
    X(str, zfill) X(str, isdigit) X(str, isalpha) X(str, isalnum) X(str, isspace) X(str, isupper)  \
    X(str, islower) X(str, istitle) X(str, isdecimal) X(str, isnumeric) X(str, isidentifier)       \
    X(str, isascii) X(str, isprintable) X(str, splitlines) X(str, partition) X(str, rpartition)    \
    X(str, encode) X(str, expandtabs) X(str, removeprefix) X(str, removesuffix) X(str, translate)    \
    X(str, maketrans)
#define RT_BYTES_METHODS(X) X(bytes, decode) X(bytes, hex) X(bytes, fromhex) X(bytes, join)        \
    X(bytes, split) X(bytes, rsplit) X(bytes, strip) X(bytes, lstrip) X(bytes, rstrip)             \
    X(bytes, startswith) X(bytes, endswith) X(bytes, find) X(bytes, rfind) X(bytes, index)         \
    X(bytes, rindex) X(bytes, count) X(bytes, replace) X(bytes, upper) X(bytes, lower)             \
    X(bytes, swapcase) X(bytes, isdigit) X(bytes, isalpha) X(bytes, isalnum) X(bytes, isspace)     \
    X(bytes, partition) X(bytes, rpartition)
#define RT_BYTEARRAY_METHODS(X) X(bytearray, append) X(bytearray, extend) X(bytearray, pop)         \
    X(bytearray, insert) X(bytearray, remove) X(bytearray, clear) X(bytearray, copy)               \
    X(bytearray, reverse)
#define RT_LIST_METHODS(X) X(list, append) X(list, extend) X(list, insert) X(list, pop)             \
    X(list, remove) X(list, index) X(list, count) X(list, reverse) X(list, sort) X(list, copy)     \
    X(list, clear)
#define RT_TUPLE_METHODS(X) X(tuple, count) X(tuple, index)
#define RT_DICT_METHODS(X) X(dict, get) X(dict, setdefault) X(dict, pop) X(dict, popitem)           \
    X(dict, keys) X(dict, values) X(dict, items) X(dict, update) X(dict, copy) X(dict, clear)      \
    X(dict, fromkeys)
#define RT_SET_METHODS(X) X(set, add) X(set, remove) X(set, discard) X(set, pop) X(set, clear)      \
    X(set, copy) X(set, update) X(set, union) X(set, intersection) X(set, intersection_update)     \
    X(set, difference) X(set, difference_update) X(set, symmetric_difference)                      \
    X(set, symmetric_difference_update) X(set, issubset) X(set, issuperset) X(set, isdisjoint)
#define RT_RANGE_METHODS(X) X(range, count) X(range, index) X(slice, indices)
#define RT_COLLECTIONS_METHODS(X) X(counter, update) X(counter, subtract) X(counter, most_common)    \
    X(counter, elements) X(counter, total) X(deque, append) X(deque, appendleft) X(deque, pop)     \
    X(deque, popleft) X(deque, extend) X(deque, extendleft) X(deque, rotate) X(deque, clear)       \
    X(deque, copy) X(deque, count) X(deque, index) X(deque, remove) X(deque, reverse)              \
    X(deque, insert) X(deque, __reversed__) X(namedtuple, _asdict) X(namedtuple, _replace)         \
    X(namedtuple, _make)

#define RT_DECLARE_METHOD(t, m) \
    RtValue *rt_##t##_m_##m(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RT_STR_METHODS(RT_DECLARE_METHOD)
RT_BYTES_METHODS(RT_DECLARE_METHOD)
RT_BYTEARRAY_METHODS(RT_DECLARE_METHOD)
RT_LIST_METHODS(RT_DECLARE_METHOD)
RT_TUPLE_METHODS(RT_DECLARE_METHOD)
RT_DICT_METHODS(RT_DECLARE_METHOD)
RT_SET_METHODS(RT_DECLARE_METHOD)
RT_RANGE_METHODS(RT_DECLARE_METHOD)
RT_COLLECTIONS_METHODS(RT_DECLARE_METHOD)
#undef RT_DECLARE_METHOD

/* ---- helpers shared by the runtime's files ---------------------------------------------
 * Not for generated code. */

/* A growable UTF-8 buffer that builds a str in one allocation pass (reprs of
 * big containers, join, f-strings). Starts in an inline buffer. On allocation
 * failure it becomes `failed` (MemoryError pending) and ignores further
 * appends; rt_strbuf_finish then returns NULL. */
typedef struct RtStrBuf {
    char  *data;
    size_t len, cap;
    size_t ncp;          /* code points appended */
    bool   failed;
    char   inline_buf[200];
} RtStrBuf;
void     rt_strbuf_init(RtStrBuf *b);
/* Appends n bytes of UTF-8 holding ncp code points. 0 or -1. */
int      rt_strbuf_put(RtStrBuf *b, const char *s, size_t n, size_t ncp);
int      rt_strbuf_put_ascii(RtStrBuf *b, const char *s, size_t n);
int      rt_strbuf_put_cstr(RtStrBuf *b, const char *ascii);
int      rt_strbuf_putc(RtStrBuf *b, char ascii);
int      rt_strbuf_put_cp(RtStrBuf *b, uint32_t cp);   /* one code point, UTF-8 encoded */
int      rt_strbuf_put_str(RtStrBuf *b, RtValue *s);  /* s must be a str */
/* Appends repr(o) / str(o); containers, str, small ints, floats, None and
 * bools are written straight into the buffer. 0 or -1. */
int      rt_strbuf_put_repr(RtStrBuf *b, RtValue *o);
int      rt_strbuf_put_strof(RtStrBuf *b, RtValue *o);
/* The str built so far (new reference, or NULL); releases the buffer. */
RtValue *rt_strbuf_finish(RtStrBuf *b);
void     rt_strbuf_free(RtStrBuf *b);

/* A str from UTF-8 whose code point count is known. New reference. */
RtValue *rt_str_new_ncp(const char *utf8, size_t n, size_t ncp);
/* Appends repr(s) of UTF-8 text with CPython's quoting to b (str repr). */
int      rt_str_repr_into(RtStrBuf *b, const char *utf8, size_t n);
/* Appends the b'...' repr of n bytes (prefix "b" included). */
int      rt_bytes_repr_into(RtStrBuf *b, const unsigned char *p, size_t n);
/* The hash str and bytes share (randomised in CPython: only equality matters). */
int64_t  rt_hash_bytes(const void *p, size_t n);

/* repr(x) appended to a buffer, for the container types (the recursion
 * guard included); rt_dict_repr_body writes "{k: v, ...}" without the guard. */
int      rt_list_repr_into(RtStrBuf *b, RtValue *list);
int      rt_tuple_repr_into(RtStrBuf *b, RtValue *tuple);
int      rt_dict_repr_into(RtStrBuf *b, RtValue *dict);
int      rt_dict_repr_body(RtStrBuf *b, RtValue *dict);
int      rt_set_repr_into(RtStrBuf *b, RtValue *set);
/* Lexicographic rich comparison of two item arrays (list, tuple, slice). New reference. */
RtValue *rt_seq_richcompare(RtValue *const *a, size_t na, RtValue *const *b, size_t nb, RtCmpOp op);
/* s.encode(encoding, errors); NULL names mean 'utf-8' / 'strict'. New reference. */
RtValue *rt_str_encode(RtValue *s, const char *encoding, const char *errors);
/* The count n of a sequence repetition (seq * n; n an int or bool); counts
 * beyond int64_t raise OverflowError as CPython's. 0 or -1. */
int      rt_repeat_count(RtValue *n, int64_t *out) RT_MUST_CHECK;
/* s[i] for 0 <= i < len(s), counted in code points. New reference. */
RtValue *rt_str_getitem_cp(RtValue *s, size_t i);
/* Raises KeyError(key) with the key as the only argument; returns NULL. */
RtValue *rt_dict_key_error(RtValue *key);
/* A dict iterator over keys (kind 0), values (1) or items (2). New reference. */
RtValue *rt_dict_iter_new(RtValue *d, int kind, bool reverse);
/* reversed() of a dict or a dict view; NULL without an exception for other objects. */
RtValue *rt_dict_reversed(RtValue *o);
/* Iterators over the built-in sequences. New references. */
RtValue *rt_list_iter_new(RtValue *list, bool reversed);
RtValue *rt_tuple_iter_new(RtValue *tuple);
RtValue *rt_str_iter_new(RtValue *str);
RtValue *rt_bytes_iter_new(RtValue *bytes_or_bytearray);
RtValue *rt_range_iter_new(RtValue *range, bool reversed);

/* Recursion guard for reprs of containers, as CPython's Py_ReprEnter:
 * 1 = o is already being printed (print "[...]"), 0 = entered, -1 error
 * (RecursionError past about a thousand nested containers, as CPython).
 * Each 0 must be paired with rt_repr_leave(o). */
int      rt_repr_enter(RtValue *o);
void     rt_repr_leave(RtValue *o);

/* Releases n references (entries may be NULL) without unbounded C recursion
 * when the values are deeply nested containers (a trashcan, as CPython's). */
void     rt_release_array(RtValue **items, size_t n);
/* The same for one reference. */
void     rt_release(RtValue *o);

/* Native class methods (dict.fromkeys, bytes.fromhex, Point._make): the
 * method is stored in t->dict as a classmethod, so T.name(...) and
 * obj.name(...) both call fn with self NULL and the class as args[0].
 * rt_classmethod_target recovers the class in fn: self when a caller passes
 * the class or an instance as self directly, else a leading type argument
 * (which it removes from args), else dflt. 0 / -1. */
int      rt_type_add_classmethod(RtType *t, const char *name, RtNativeFn fn) RT_MUST_CHECK;
RtType  *rt_classmethod_target(RtValue *self, RtValue *const **args, size_t *nargs, RtType *dflt);
/* The same for a static method (str.maketrans): fn gets self NULL and the
 * call's own arguments. 0 / -1. */
int      rt_type_add_staticmethod(RtType *t, const char *name, RtNativeFn fn) RT_MUST_CHECK;

/* Parses the arguments of a native function against nmax parameter names:
 * the first nposonly are positional-only, the last nkwonly keyword-only, and
 * the first nreq are required. out[0..nmax) receives borrowed references or
 * NULL for the missing ones. Raises CPython-style TypeErrors naming fname
 * ("split() takes at most 2 arguments (3 given)"). 0 or -1. */
int      rt_parse_args(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames,
                       const char *const *names, int nmax, int nreq, int nposonly, int nkwonly,
                       RtValue **out) RT_MUST_CHECK;
/* Raises "f() takes no keyword arguments" when kwnames is non-empty. 0 / -1. */
int      rt_no_kwargs(const char *fname, RtValue *kwnames) RT_MUST_CHECK;
/* An index for seq[i]: ints and bools; IndexError "cannot fit 'int' into an
 * index-sized integer" for huge ints; NULL-free. 0, or -1 with TypeError
 * "<what> indices must be integers or slices, not <type>". */
int      rt_seq_index_arg(RtValue *key, int64_t *out, const char *what) RT_MUST_CHECK;
/* Normalises an optional start/end argument (None or int, clamped as CPython's
 * _PyEval_SliceIndex). 0 or -1. */
int      rt_slice_index_arg(RtValue *o, int64_t *out) RT_MUST_CHECK;

#endif

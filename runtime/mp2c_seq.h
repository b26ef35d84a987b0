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
/* An immortal str for constants in generated code (created once at startup). */
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

/* ---- dict: insertion-ordered hash table --------------------------------------------- */
RtValue *rt_dict_new(void);
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

/* ---- set and frozenset: same probing and order as CPython's for ints ----------------- */
RtValue *rt_set_new(void);
int      rt_set_add(RtValue *s, RtValue *key) RT_MUST_CHECK;
int      rt_set_contains(RtValue *s, RtValue *key);   /* 1, 0, -1 */

/* ---- range and slice ------------------------------------------------------------------ */
typedef struct RtRange { RtValue ob; int64_t start, stop, step, len; } RtRange;
RtValue *rt_range_new(int64_t start, int64_t stop, int64_t step);  /* ValueError for step 0 */
/* slice(lower, upper, step): borrowed, each may be NULL for None. */
RtValue *rt_slice_new(RtValue *lower, RtValue *upper, RtValue *step);

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

#endif

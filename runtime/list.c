/* list.c: Python's list type.
 *
 * A list is a growable array of owned references. Appends are amortised
 * O(1) with CPython's over-allocation (about 1/8 extra). Element equality
 * and ordering always go through the generic protocol (rt_eq,
 * rt_compare_bool), so script classes with __eq__/__lt__ behave as in
 * CPython; sort() checks first whether every element is a small int, a float
 * or a str and then compares them without dispatching.
 *
 * sort() is a stable natural merge sort: it finds ascending runs (and
 * reverses strictly descending ones, which keeps stability), extends short
 * runs by binary insertion, and merges neighbouring runs pairwise. While it
 * runs the list is emptied, as CPython does, so a key function or __lt__
 * that mutates the list cannot make it read freed memory.
 */
#include "mp2c.h"

#include <string.h>

#define L(o) ((RtList *)(o))

/* ==== storage =============================================================== */

static RtList *list_alloc(size_t cap) {
    RtList *l = (RtList *)rt_obj_alloc(&rt_type_list, sizeof(RtList));
    if (!l) return NULL;
    if (cap) {
        l->items = rt_malloc(cap * sizeof(RtValue *));
        if (!l->items) { rt_decref((RtValue *)l); return NULL; }
        l->cap = cap;
    }
    return l;
}

RtValue *rt_list_new(size_t cap) { return (RtValue *)list_alloc(cap); }

/* Makes room for `need` items, over-allocating as CPython's list_resize. */
static int list_reserve(RtList *l, size_t need) {
    if (need <= l->cap) return 0;
    if (need > SIZE_MAX / sizeof(RtValue *) / 2) { rt_raise(&rt_exc_MemoryError, ""); return -1; }
    size_t cap = need + (need >> 3) + (need < 9 ? 3 : 6);
    RtValue **items = rt_realloc(l->items, cap * sizeof(RtValue *));
    if (!items) return -1;
    l->items = items;
    l->cap = cap;
    return 0;
}

int rt_list_append_steal(RtValue *list, RtValue *v) {
    RtList *l = L(list);
    if (RT_UNLIKELY(l->len == l->cap) && list_reserve(l, l->len + 1) < 0) {
        rt_decref(v);
        return -1;
    }
    l->items[l->len++] = v;
    return 0;
}

int rt_list_append(RtValue *list, RtValue *v) {
    rt_incref(v);
    return rt_list_append_steal(list, v);
}

RtValue *rt_list_from_array(RtValue *const *items, size_t n) {
    RtList *l = list_alloc(n);
    if (!l) return NULL;
    for (size_t i = 0; i < n; i++) l->items[i] = rt_newref(items[i]);
    l->len = n;
    return (RtValue *)l;
}

RtValue *rt_list_slice(RtValue *list, size_t lo, size_t hi) {
    return rt_list_from_array(L(list)->items + lo, hi - lo);
}

/* Appends every item of an iterator-protocol iterable. */
static int extend_iter(RtList *l, RtValue *iterable) {
    RtValue *it = rt_iter(iterable);
    if (!it) return -1;
    RtValue *v;
    while ((v = rt_iter_next(it)) != NULL) {
        if (rt_list_append_steal((RtValue *)l, v) < 0) { rt_decref(it); return -1; }
    }
    rt_decref(it);
    return RT_ERR() ? -1 : 0;
}

int rt_list_extend(RtValue *list, RtValue *iterable) {
    RtList *l = L(list);
    if (rt_is_list(iterable) || rt_is_tuple(iterable)) {
        size_t n = rt_is_list(iterable) ? L(iterable)->len : RT_TUPLE_LEN(iterable);
        if (list_reserve(l, l->len + n) < 0) return -1;
        /* re-read the source after reserving: l.extend(l) reads our own array */
        RtValue **src = rt_is_list(iterable) ? L(iterable)->items : ((RtTuple *)iterable)->items;
        for (size_t i = 0; i < n; i++) l->items[l->len + i] = rt_newref(src[i]);
        l->len += n;
        return 0;
    }
    return extend_iter(l, iterable);
}

RtValue *rt_list_from_iter(RtValue *iterable) {
    RtList *l = list_alloc(0);
    if (!l) return NULL;
    if (rt_list_extend((RtValue *)l, iterable) < 0) { rt_decref((RtValue *)l); return NULL; }
    return (RtValue *)l;
}

static void list_dealloc(RtValue *self) {
    RtList *l = L(self);
    rt_release_array(l->items, l->len);
    rt_free(l->items);
}

/* ==== indexing ============================================================== */

RtValue *rt_list_getitem_i64(RtValue *list, int64_t i) {
    RtList *l = L(list);
    if (i < 0) i += (int64_t)l->len;
    if (i < 0 || (uint64_t)i >= l->len) return rt_raise(&rt_exc_IndexError, "list index out of range");
    return rt_newref(l->items[i]);
}

int rt_list_setitem_i64(RtValue *list, int64_t i, RtValue *v) {
    RtList *l = L(list);
    if (i < 0) i += (int64_t)l->len;
    if (i < 0 || (uint64_t)i >= l->len) {
        rt_raise(&rt_exc_IndexError, "list assignment index out of range");
        return -1;
    }
    RT_SETREF(l->items[i], rt_newref(v));
    return 0;
}

static RtValue *list_subscript_slice(RtList *l, RtValue *slice) {
    int64_t start, stop, step, n;
    if (rt_slice_indices(slice, (int64_t)l->len, &start, &stop, &step, &n) < 0) return NULL;
    if (step == 1) return rt_list_from_array(l->items + start, (size_t)n);
    RtList *r = list_alloc((size_t)n);
    if (!r) return NULL;
    for (int64_t k = 0; k < n; k++) r->items[k] = rt_newref(l->items[start + k * step]);
    r->len = (size_t)n;
    return (RtValue *)r;
}

static RtValue *list_getitem(RtValue *self, RtValue *key) {
    if (RT_LIKELY(key->type == &rt_type_int) && !((RtInt *)key)->big)
        return rt_list_getitem_i64(self, ((RtInt *)key)->small);
    if (rt_is_slice(key)) return list_subscript_slice(L(self), key);
    int64_t i;
    if (rt_seq_index_arg(key, &i, "list") < 0) return NULL;
    return rt_list_getitem_i64(self, i);
}

/* Deletes items [lo, hi). */
static void list_del_range(RtList *l, size_t lo, size_t hi) {
    size_t n = hi - lo;
    if (n == 0) return;
    RtValue **dead = rt_malloc(n * sizeof(RtValue *));
    if (dead) memcpy(dead, l->items + lo, n * sizeof(RtValue *));
    else for (size_t i = lo; i < hi; i++) rt_decref(l->items[i]);   /* no memory: release now */
    memmove(l->items + lo, l->items + hi, (l->len - hi) * sizeof(RtValue *));
    l->len -= n;
    if (dead) { rt_release_array(dead, n); rt_free(dead); }   /* after the list is consistent */
}

/* A borrowed-items view of v for slice assignment: a new list or tuple ref. */
static RtValue *as_sequence(RtValue *v, const char *err) {
    if (rt_is_list(v)) return rt_list_from_array(L(v)->items, L(v)->len);  /* copy: v may be self */
    if (rt_is_tuple(v)) return rt_newref(v);
    if (!v->type->iter) return rt_raise(&rt_exc_TypeError, err);
    return rt_list_from_iter(v);
}

static size_t seq_len(RtValue *seq) { return rt_is_list(seq) ? L(seq)->len : RT_TUPLE_LEN(seq); }
static RtValue **seq_items(RtValue *seq) {
    return rt_is_list(seq) ? L(seq)->items : ((RtTuple *)seq)->items;
}

/* l[lo:hi] = v (step 1). */
static int list_assign_range(RtList *l, size_t lo, size_t hi, RtValue *v) {
    RtValue *seq = as_sequence(v, "can only assign an iterable");
    if (!seq) return -1;
    size_t n = seq_len(seq), old = hi - lo;
    RtValue **src = seq_items(seq);
    if (n > old && list_reserve(l, l->len + n - old) < 0) { rt_decref(seq); return -1; }
    RtValue **dead = old ? rt_malloc(old * sizeof(RtValue *)) : NULL;
    if (old && !dead) { rt_decref(seq); return -1; }
    if (old) memcpy(dead, l->items + lo, old * sizeof(RtValue *));
    memmove(l->items + lo + n, l->items + hi, (l->len - hi) * sizeof(RtValue *));
    for (size_t i = 0; i < n; i++) l->items[lo + i] = rt_newref(src[i]);
    l->len = l->len - old + n;
    rt_decref(seq);
    if (dead) { rt_release_array(dead, old); rt_free(dead); }
    return 0;
}

/* del l[start::step] for an extended slice of n items. */
static void list_del_extended(RtList *l, int64_t start, int64_t step, int64_t n) {
    if (step < 0) {                              /* walk it forwards */
        start = start + step * (n - 1);
        step = -step;
    }
    RtValue **dead = rt_malloc((size_t)(n ? n : 1) * sizeof(RtValue *));
    size_t w = (size_t)start, nd = 0;
    for (size_t r = (size_t)start; r < l->len; r++) {
        bool hit = nd < (size_t)n && r == (size_t)start + nd * (size_t)step;
        if (hit) {
            if (dead) dead[nd] = l->items[r];
            else rt_decref(l->items[r]);
            nd++;
        } else {
            l->items[w++] = l->items[r];
        }
    }
    l->len = w;
    if (dead) { rt_release_array(dead, nd); rt_free(dead); }
}

static int list_assign_slice(RtList *l, RtValue *slice, RtValue *v) {
    int64_t start, stop, step, n;
    if (rt_slice_indices(slice, (int64_t)l->len, &start, &stop, &step, &n) < 0) return -1;
    if (step == 1) {
        size_t lo = (size_t)start, hi = stop < start ? lo : (size_t)stop;
        if (!v) { list_del_range(l, lo, hi); return 0; }
        return list_assign_range(l, lo, hi, v);
    }
    if (!v) { if (n > 0) list_del_extended(l, start, step, n); return 0; }
    RtValue *seq = as_sequence(v, "must assign iterable to extended slice");
    if (!seq) return -1;
    if ((int64_t)seq_len(seq) != n) {
        rt_raise_fmt(&rt_exc_ValueError,
                     "attempt to assign sequence of size %zu to extended slice of size %lld",
                     seq_len(seq), (long long)n);
        rt_decref(seq);
        return -1;
    }
    RtValue **src = seq_items(seq);
    for (int64_t k = 0; k < n; k++) RT_SETREF(l->items[start + k * step], rt_newref(src[k]));
    rt_decref(seq);
    return 0;
}

static int list_setitem(RtValue *self, RtValue *key, RtValue *v) {
    RtList *l = L(self);
    if (rt_is_slice(key)) return list_assign_slice(l, key, v);
    int64_t i;
    if (rt_seq_index_arg(key, &i, "list") < 0) return -1;
    if (v) return rt_list_setitem_i64(self, i, v);
    if (i < 0) i += (int64_t)l->len;
    if (i < 0 || (uint64_t)i >= l->len) {
        rt_raise(&rt_exc_IndexError, "list assignment index out of range");
        return -1;
    }
    list_del_range(l, (size_t)i, (size_t)i + 1);
    return 0;
}

/* ==== repr, comparison, operators =========================================== */

/* Appends repr(list) to b, with "[...]" for a list already being printed. */
int rt_list_repr_into(RtStrBuf *b, RtValue *self) {
    int r = rt_repr_enter(self);
    if (r != 0) return r < 0 ? -1 : rt_strbuf_put_ascii(b, "[...]", 5);
    rt_strbuf_putc(b, '[');
    int rc = 0;
    for (size_t i = 0; i < L(self)->len && rc == 0; i++) {   /* len re-read: __repr__ may mutate */
        if (i) rt_strbuf_put_ascii(b, ", ", 2);
        RtValue *item = rt_newref(L(self)->items[i]);
        rc = rt_strbuf_put_repr(b, item);
        rt_decref(item);
    }
    rt_repr_leave(self);
    if (rc < 0) return -1;
    return rt_strbuf_putc(b, ']');
}

static RtValue *list_repr(RtValue *self) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    if (rt_list_repr_into(&b, self) < 0) { rt_strbuf_free(&b); return NULL; }
    return rt_strbuf_finish(&b);
}

/* Lexicographic comparison shared by list and tuple (a, b of the same kind). */
RtValue *rt_seq_richcompare(RtValue *const *a, size_t na, RtValue *const *b, size_t nb, RtCmpOp op) {
    if ((op == RT_EQ || op == RT_NE) && na != nb) return rt_bool(op == RT_NE);
    size_t i = 0;
    for (; i < na && i < nb; i++) {
        int eq = rt_eq(a[i], b[i]);
        if (eq < 0) return NULL;
        if (!eq) break;
    }
    if (i >= na || i >= nb) {
        bool r;
        switch (op) {
        case RT_LT: r = na < nb; break;
        case RT_LE: r = na <= nb; break;
        case RT_EQ: r = na == nb; break;
        case RT_NE: r = na != nb; break;
        case RT_GT: r = na > nb; break;
        default:    r = na >= nb; break;
        }
        return rt_bool(r);
    }
    if (op == RT_EQ) return rt_False;
    if (op == RT_NE) return rt_True;
    return rt_richcompare(a[i], b[i], op);
}

static RtValue *list_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (a->type->tag != RT_T_LIST || b->type->tag != RT_T_LIST) return rt_NotImplemented;
    return rt_seq_richcompare(L(a)->items, L(a)->len, L(b)->items, L(b)->len, op);
}

static RtValue *list_concat(RtList *a, RtList *b) {
    RtList *r = list_alloc(a->len + b->len);
    if (!r) return NULL;
    for (size_t i = 0; i < a->len; i++) r->items[i] = rt_newref(a->items[i]);
    for (size_t i = 0; i < b->len; i++) r->items[a->len + i] = rt_newref(b->items[i]);
    r->len = a->len + b->len;
    return (RtValue *)r;
}

static RtValue *list_repeat(RtList *a, int64_t n) {
    if (n <= 0 || a->len == 0) return rt_list_new(0);
    if ((uint64_t)n > (SIZE_MAX / sizeof(RtValue *) / 2) / a->len)
        return rt_raise(&rt_exc_MemoryError, "");
    size_t total = a->len * (size_t)n;
    RtList *r = list_alloc(total);
    if (!r) return NULL;
    for (size_t i = 0; i < total; i++) r->items[i] = rt_newref(a->items[i % a->len]);
    r->len = total;
    return (RtValue *)r;
}

/* + and *; NotImplemented for mismatched operands (the core words the error). */
static RtValue *list_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (op == RT_ADD && rt_is_list(a) && rt_is_list(b)) return list_concat(L(a), L(b));
    if (op == RT_MUL) {
        RtValue *l = rt_is_list(a) ? a : b, *n = rt_is_list(a) ? b : a;
        if (!rt_is_int(n)) return rt_NotImplemented;
        int64_t k;
        if (rt_repeat_count(n, &k) < 0) return NULL;
        return list_repeat(L(l), k);
    }
    return rt_NotImplemented;
}

static RtValue *list_inplace(RtValue *a, RtValue *b, RtBinOp op) {
    if (!rt_is_list(a)) return rt_NotImplemented;
    if (op == RT_ADD) {
        if (rt_list_extend(a, b) < 0) return NULL;
        return rt_newref(a);
    }
    if (op == RT_MUL) {
        if (!rt_is_int(b)) return rt_NotImplemented;
        int64_t k;
        if (rt_repeat_count(b, &k) < 0) return NULL;
        RtList *l = L(a);
        if (k <= 0 || l->len == 0) { list_del_range(l, 0, l->len); return rt_newref(a); }
        size_t n = l->len;
        if ((uint64_t)k > (SIZE_MAX / sizeof(RtValue *) / 2) / n) return rt_raise(&rt_exc_MemoryError, "");
        if (list_reserve(l, n * (size_t)k) < 0) return NULL;
        for (size_t i = n; i < n * (size_t)k; i++) l->items[i] = rt_newref(l->items[i % n]);
        l->len = n * (size_t)k;
        return rt_newref(a);
    }
    return rt_NotImplemented;
}

static int list_truthy(RtValue *self) { return L(self)->len != 0; }
static int64_t list_len(RtValue *self) { return (int64_t)L(self)->len; }

static int list_contains(RtValue *self, RtValue *item) {
    for (size_t i = 0; i < L(self)->len; i++) {
        int eq = rt_eq(L(self)->items[i], item);
        if (eq != 0) return eq;
    }
    return 0;
}

static RtValue *list_iter(RtValue *self) { return rt_list_iter_new(self, false); }

/* ==== sort ================================================================== */

/* A sort item: the key (an object, or unboxed when every key is a small int
 * or every key a float, so that comparing never chases a pointer) and the
 * value it sorts. */
typedef struct {
    union { RtValue *o; int64_t i; double f; } k;
    RtValue *v;
} SortItem;
typedef int (*LtFn)(const SortItem *a, const SortItem *b);    /* 1, 0, -1 */

static int lt_generic(const SortItem *a, const SortItem *b) { return rt_compare_bool(a->k.o, b->k.o, RT_LT); }
static int lt_int(const SortItem *a, const SortItem *b) { return a->k.i < b->k.i; }
static int lt_float(const SortItem *a, const SortItem *b) { return a->k.f < b->k.f; }   /* NaN: false, as Python */
static int lt_str(const SortItem *a, const SortItem *b) {
    size_t na = rt_str_nbytes(a->k.o), nb = rt_str_nbytes(b->k.o);
    int c = memcmp(rt_str_data(a->k.o), rt_str_data(b->k.o), na < nb ? na : nb);
    return c < 0 || (c == 0 && na < nb);
}

/* The cheapest comparison that gives rt_compare_bool's answer for all keys;
 * small-int and float keys are unboxed in place (the key objects stay owned
 * elsewhere). */
static LtFn pick_lt(SortItem *it, size_t n) {
    if (n == 0) return lt_generic;
    RtType *t = it[0].k.o->type;
    for (size_t i = 0; i < n; i++) {
        if (it[i].k.o->type != t) return lt_generic;
        if (t == &rt_type_int && ((RtInt *)it[i].k.o)->big) return lt_generic;
    }
    if (t == &rt_type_int) {
        for (size_t i = 0; i < n; i++) it[i].k.i = ((RtInt *)it[i].k.o)->small;
        return lt_int;
    }
    if (t == &rt_type_float) {
        for (size_t i = 0; i < n; i++) it[i].k.f = rt_float_val(it[i].k.o);
        return lt_float;
    }
    if (t == &rt_type_str) return lt_str;
    return lt_generic;
}

/* The sort routines below are always inlined into one specialisation per
 * comparison (sort_with), so that the unboxed int and float comparisons
 * compile to plain (often branch-free) compares instead of indirect calls. */
#define SORT_INLINE static inline __attribute__((always_inline))

/* Binary insertion sort of it[lo, hi) where it[lo, start) is already sorted. */
SORT_INLINE int insertion_sort(SortItem *it, size_t lo, size_t start, size_t hi, LtFn lt) {
    for (size_t i = start; i < hi; i++) {
        SortItem x = it[i];
        size_t l = lo, r = i;
        while (l < r) {                       /* first position where x < it[pos] */
            size_t m = l + (r - l) / 2;
            int c = lt(&x, &it[m]);
            if (c < 0) return -1;
            if (c) r = m; else l = m + 1;
        }
        memmove(it + l + 1, it + l, (i - l) * sizeof *it);
        it[l] = x;
    }
    return 0;
}

/* Merges sorted it[lo, mid) and it[mid, hi) through tmp. On a comparison
 * error every item is still present exactly once. */
SORT_INLINE int merge(SortItem *it, size_t lo, size_t mid, size_t hi, SortItem *tmp, LtFn lt) {
    size_t nl = mid - lo;
    memcpy(tmp, it + lo, nl * sizeof *tmp);
    size_t i = 0, j = mid, k = lo;
    int rc = 0;
    while (i < nl && j < hi) {
        int c = lt(&it[j], &tmp[i]);            /* take right only if strictly less: stable */
        if (c < 0) { rc = -1; break; }
        it[k++] = c ? it[j++] : tmp[i++];
    }
    memcpy(it + k, tmp + i, (nl - i) * sizeof *tmp);   /* j's rest is already in place */
    return rc;
}

/* Reverses it[lo, hi). */
static void reverse_items(SortItem *it, size_t lo, size_t hi) {
    while (lo + 1 < hi) { SortItem t = it[lo]; it[lo++] = it[--hi]; it[hi] = t; }
}

#define MIN_RUN 32

SORT_INLINE int merge_sort(SortItem *it, size_t n, LtFn lt) {
    if (n < 2) return 0;
    size_t *runs = rt_malloc((n / 2 + 2) * sizeof(size_t));
    SortItem *tmp = rt_malloc(n * sizeof(SortItem));     /* a left run may be almost all of it */
    if (!runs || !tmp) { rt_free(runs); rt_free(tmp); return -1; }
    size_t nruns = 0, lo = 0;
    int rc = 0;
    runs[nruns++] = 0;
    while (lo < n && rc == 0) {              /* find natural runs, pad short ones */
        size_t hi = lo + 1;
        if (hi < n) {
            int c = lt(&it[hi], &it[lo]);
            if (c < 0) { rc = -1; break; }
            if (c) {                         /* strictly descending */
                while (++hi < n && (c = lt(&it[hi], &it[hi - 1])) == 1) {}
                if (c < 0) { rc = -1; break; }
                reverse_items(it, lo, hi);
            } else {
                while (++hi < n && (c = lt(&it[hi], &it[hi - 1])) == 0) {}
                if (c < 0) { rc = -1; break; }
            }
        }
        size_t want = lo + MIN_RUN < n ? lo + MIN_RUN : n;
        if (hi < want) {
            if (insertion_sort(it, lo, hi, want, lt) < 0) { rc = -1; break; }
            hi = want;
        }
        runs[nruns++] = hi;
        lo = hi;
    }
    while (rc == 0 && nruns > 2) {            /* merge neighbouring runs pairwise */
        size_t w = 1;
        for (size_t r = 1; r < nruns; r += 2) {
            if (r + 1 < nruns) {
                if (merge(it, runs[r - 1], runs[r], runs[r + 1], tmp, lt) < 0) { rc = -1; break; }
                runs[w++] = runs[r + 1];
            } else {
                runs[w++] = runs[r];
            }
        }
        if (rc == 0) nruns = w;
    }
    rt_free(runs);
    rt_free(tmp);
    return rc;
}

static int sort_generic(SortItem *it, size_t n) { return merge_sort(it, n, lt_generic); }
static int sort_int(SortItem *it, size_t n) { return merge_sort(it, n, lt_int); }
static int sort_float(SortItem *it, size_t n) { return merge_sort(it, n, lt_float); }
static int sort_str(SortItem *it, size_t n) { return merge_sort(it, n, lt_str); }

/* Sorts with the specialisation for lt. */
static int sort_with(SortItem *it, size_t n, LtFn lt) {
    if (lt == lt_int) return sort_int(it, n);
    if (lt == lt_float) return sort_float(it, n);
    if (lt == lt_str) return sort_str(it, n);
    return sort_generic(it, n);
}

int rt_list_sort(RtValue *list, RtValue *key, bool reverse) {
    RtList *l = L(list);
    RtValue **items = l->items;
    size_t n = l->len, cap = l->cap;
    l->items = NULL;                          /* empty while sorting, as CPython */
    l->len = l->cap = 0;
    int rc = 0;
    bool keyed = key && key != rt_None;
    SortItem *it = rt_malloc((n ? n : 1) * sizeof *it);
    RtValue **keys = keyed ? rt_malloc((n ? n : 1) * sizeof *keys) : NULL;   /* owned key objects */
    size_t nkeys = 0;
    if (!it || (keyed && !keys)) { rc = -1; goto cleanup; }
    for (size_t i = 0; i < n; i++) { it[i].k.o = items[i]; it[i].v = items[i]; }
    for (; keyed && nkeys < n; nkeys++) {
        if (!(keys[nkeys] = rt_call(key, &items[nkeys], 1, NULL))) { rc = -1; goto cleanup; }
        it[nkeys].k.o = keys[nkeys];
    }
    if (reverse) reverse_items(it, 0, n);     /* reverse, sort, reverse: stable */
    rc = sort_with(it, n, pick_lt(it, n));
    if (reverse) reverse_items(it, 0, n);
    for (size_t i = 0; i < n; i++) items[i] = it[i].v;
cleanup:
    for (size_t i = 0; i < nkeys; i++) rt_decref(keys[i]);
    rt_free(keys);
    rt_free(it);
    if (l->items || l->len) {                /* the key function or __lt__ added items */
        rt_release_array(l->items, l->len);
        rt_free(l->items);
        if (rc == 0) rt_raise(&rt_exc_ValueError, "list modified during sort");
        rc = -1;
    }
    l->items = items;
    l->len = n;
    l->cap = cap;
    return rc;
}

/* ==== methods =============================================================== */

static int exactly_one(const char *fname, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs == 1) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly one argument (%zu given)", fname, nargs);
    return -1;
}

static int no_args(const char *fname, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs == 0) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", fname, nargs);
    return -1;
}

RtValue *rt_list_m_append(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (exactly_one("list.append", nargs, kw) < 0) return NULL;
    if (rt_list_append(self, args[0]) < 0) return NULL;
    return rt_None;
}

RtValue *rt_list_m_extend(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (exactly_one("list.extend", nargs, kw) < 0) return NULL;
    if (rt_list_extend(self, args[0]) < 0) return NULL;
    return rt_None;
}

RtValue *rt_list_m_insert(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("insert", kw) < 0) return NULL;
    if (nargs != 2) return rt_raise_fmt(&rt_exc_TypeError, "insert expected 2 arguments, got %zu", nargs);
    int64_t i;
    if (rt_index_as_i64(args[0], &i) < 0) return NULL;
    RtList *l = L(self);
    if (i < 0) { i += (int64_t)l->len; if (i < 0) i = 0; }
    if ((uint64_t)i > l->len) i = (int64_t)l->len;
    if (list_reserve(l, l->len + 1) < 0) return NULL;
    memmove(l->items + i + 1, l->items + i, (l->len - (size_t)i) * sizeof(RtValue *));
    l->items[i] = rt_newref(args[1]);
    l->len++;
    return rt_None;
}

RtValue *rt_list_pop(RtValue *list, int64_t i) {
    RtList *l = L(list);
    if (l->len == 0) return rt_raise(&rt_exc_IndexError, "pop from empty list");
    if (i < 0) i += (int64_t)l->len;
    if (i < 0 || (uint64_t)i >= l->len) return rt_raise(&rt_exc_IndexError, "pop index out of range");
    RtValue *v = l->items[i];
    memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof(RtValue *));
    l->len--;
    return v;
}

RtValue *rt_list_m_pop(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("pop", kw) < 0) return NULL;
    if (nargs > 1) return rt_raise_fmt(&rt_exc_TypeError, "pop expected at most 1 argument, got %zu", nargs);
    int64_t i = -1;
    if (nargs == 1 && rt_index_as_i64(args[0], &i) < 0) return NULL;
    return rt_list_pop(self, i);
}

/* First index of x in l[start:stop], -1 when absent, -2 on error. */
static int64_t list_find(RtList *l, RtValue *x, int64_t start, int64_t stop) {
    for (int64_t i = start; i < stop && (uint64_t)i < l->len; i++) {
        int eq = rt_eq(l->items[i], x);
        if (eq < 0) return -2;
        if (eq) return i;
    }
    return -1;
}

RtValue *rt_list_m_remove(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (exactly_one("list.remove", nargs, kw) < 0) return NULL;
    int64_t i = list_find(L(self), args[0], 0, INT64_MAX);
    if (i == -2) return NULL;
    if (i < 0) return rt_raise(&rt_exc_ValueError, "list.remove(x): x not in list");
    list_del_range(L(self), (size_t)i, (size_t)i + 1);
    return rt_None;
}

RtValue *rt_list_m_index(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("index", kw) < 0) return NULL;
    if (nargs < 1 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "index expected at least 1 argument, got %zu"
                                                         : "index expected at most 3 arguments, got %zu",
                            nargs);
    int64_t len = (int64_t)L(self)->len, start = 0, stop = INT64_MAX;
    if (nargs > 1 && rt_slice_index_arg(args[1], &start) < 0) return NULL;
    if (nargs > 2 && rt_slice_index_arg(args[2], &stop) < 0) return NULL;
    if (start < 0) { start += len; if (start < 0) start = 0; }
    if (stop < 0) { stop += len; if (stop < 0) stop = 0; }
    int64_t i = list_find(L(self), args[0], start, stop);
    if (i == -2) return NULL;
    if (i < 0) return rt_raise_fmt(&rt_exc_ValueError, "%R is not in list", args[0]);
    return rt_int(i);
}

RtValue *rt_list_m_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (exactly_one("list.count", nargs, kw) < 0) return NULL;
    int64_t n = 0;
    for (size_t i = 0; i < L(self)->len; i++) {
        int eq = rt_eq(L(self)->items[i], args[0]);
        if (eq < 0) return NULL;
        n += eq;
    }
    return rt_int(n);
}

RtValue *rt_list_m_reverse(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("list.reverse", nargs, kw) < 0) return NULL;
    RtList *l = L(self);
    for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
        RtValue *t = l->items[i]; l->items[i] = l->items[j - 1]; l->items[j - 1] = t;
    }
    return rt_None;
}

RtValue *rt_list_m_sort(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"key", "reverse"};
    RtValue *a[2];
    if (nargs > 0) return rt_raise(&rt_exc_TypeError, "sort() takes no positional arguments");
    if (rt_parse_args("sort", args, nargs, kw, names, 2, 0, 0, 2, a) < 0) return NULL;
    int rev = 0;
    if (a[1]) {
        if (rt_is_float(a[1]))
            return rt_raise(&rt_exc_TypeError, "'float' object cannot be interpreted as an integer");
        if ((rev = rt_truthy(a[1])) < 0) return NULL;
    }
    if (rt_list_sort(self, a[0], rev) < 0) return NULL;
    return rt_None;
}

RtValue *rt_list_m_copy(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("list.copy", nargs, kw) < 0) return NULL;
    return rt_list_from_array(L(self)->items, L(self)->len);
}

RtValue *rt_list_m_clear(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("list.clear", nargs, kw) < 0) return NULL;
    RtList *l = L(self);
    RtValue **items = l->items;
    size_t n = l->len;
    l->items = NULL;
    l->len = l->cap = 0;
    rt_release_array(items, n);
    rt_free(items);
    return rt_None;
}

/* list(iterable=()) */
static RtValue *list_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    if (rt_no_kwargs("list", kw) < 0) return NULL;
    if (nargs > 1) return rt_raise_fmt(&rt_exc_TypeError, "list expected at most 1 argument, got %zu", nargs);
    return nargs ? rt_list_from_iter(args[0]) : rt_list_new(0);
}

static const RtMethodDef list_methods[] = {
    {"append", rt_list_m_append},
    {"extend", rt_list_m_extend},
    {"insert", rt_list_m_insert},
    {"pop", rt_list_m_pop},
    {"remove", rt_list_m_remove},
    {"index", rt_list_m_index},
    {"count", rt_list_m_count},
    {"reverse", rt_list_m_reverse},
    {"sort", rt_list_m_sort},
    {"copy", rt_list_m_copy},
    {"clear", rt_list_m_clear},
    {NULL, NULL},
};

RtType rt_type_list = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "list",
    .tag = RT_T_LIST,
    .base = &rt_type_object,
    .size = sizeof(RtList),
    .table_index = -1,
    .dealloc = list_dealloc,
    .repr = list_repr,
    .richcompare = list_richcompare,
    .binop = list_binop,
    .inplace = list_inplace,
    .truthy = list_truthy,
    .len = list_len,
    .getitem = list_getitem,
    .setitem = list_setitem,
    .contains = list_contains,
    .iter = list_iter,
    .construct = list_construct,
    .methods = list_methods,
};

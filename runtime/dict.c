/* dict.c: Python's dict, its views and its iterators.
 *
 * The layout is CPython's compact dict: `entries` holds (hash, key, value)
 * in insertion order and `indices` is a power-of-two open-addressing table
 * of positions in `entries`, probed as CPython probes (i = 5*i + 1 +
 * perturb). Deleting leaves a hole (NULL key) in `entries` and a dummy in
 * `indices`; both disappear at the next resize, which compacts. So
 * iteration order is insertion order, whatever the hashes are.
 *
 * Lookups with str keys compare cached hashes and bytes without dispatch;
 * other keys go through rt_eq. A comparison that runs script code (__eq__)
 * may mutate the dict: the `version` counter detects it and the lookup
 * restarts, as CPython's does.
 *
 * Counter and defaultdict (collections.c) share this layout and carry the
 * RT_T_DICT tag, so every function here accepts them.
 */
#include "mp2c.h"

#include <string.h>

#define D(o) ((RtDict *)(o))
#define IX_EMPTY (-1)
#define IX_DUMMY (-2)
#define PERTURB_SHIFT 5
#define MIN_SIZE 8


/* ==== the table ============================================================= */

/* Allocates indices and entries for a table of `size` slots (a power of two). */
static int table_alloc(RtDict *d, size_t size) {
    size_t usable = size * 2 / 3;
    char *mem = rt_malloc(size * sizeof(int32_t) + usable * sizeof(RtDictEntry));
    if (!mem) return -1;
    d->indices = (int32_t *)mem;
    memset(d->indices, 0xFF, size * sizeof(int32_t));    /* all IX_EMPTY */
    d->entries = (RtDictEntry *)(mem + size * sizeof(int32_t));
    d->mask = size - 1;
    d->usable = usable;
    d->nentries = 0;
    return 0;
}

static inline bool key_is_str(RtValue *k) { return k->type == &rt_type_str; }

static inline bool str_same(RtValue *a, RtValue *b) {
    size_t n = rt_str_nbytes(a);
    return n == rt_str_nbytes(b) && memcmp(rt_str_data(a), rt_str_data(b), n) == 0;
}

/* Finds key. Returns its entry index, -1 when missing (then *slot is where
 * an insertion goes), or -2 on error. */
static int64_t lookup(RtDict *d, RtValue *key, int64_t hash, size_t *slot) {
restart:
    if (!d->indices) { *slot = 0; return -1; }
    size_t mask = d->mask, i = (size_t)hash & mask, perturb = (size_t)hash;
    size_t free_slot = SIZE_MAX;
    for (;;) {
        int32_t ix = d->indices[i];
        if (ix == IX_EMPTY) {
            *slot = free_slot != SIZE_MAX ? free_slot : i;
            return -1;
        }
        if (ix == IX_DUMMY) {
            if (free_slot == SIZE_MAX) free_slot = i;
        } else {
            RtDictEntry *e = &d->entries[ix];
            if (e->key == key) { *slot = i; return ix; }
            if (e->hash == hash) {
                if (key_is_str(e->key) && key_is_str(key)) {
                    if (str_same(e->key, key)) { *slot = i; return ix; }
                } else {
                    uint64_t version = d->version;
                    RtValue *k = rt_newref(e->key);
                    int eq = rt_eq(k, key);
                    rt_decref(k);
                    if (eq < 0) return -2;
                    if (d->version != version) goto restart;   /* __eq__ changed the dict */
                    if (eq) { *slot = i; return ix; }
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* The hash of a key, using a str's cached hash. */
static inline int key_hash(RtValue *key, int64_t *h) {
    if (key_is_str(key) && ((RtStr *)key)->hash != -1) { *h = ((RtStr *)key)->hash; return 0; }
    return rt_hash(key, h);
}

/* Rebuilds the table with room for at least `minused` entries, compacting. */
static int dict_resize(RtDict *d, size_t minused) {
    size_t size = MIN_SIZE;
    while (size * 2 / 3 < minused + 1) size <<= 1;
    int32_t *old_mem = d->indices;
    RtDictEntry *old = d->entries;
    size_t n = d->nentries;
    if (table_alloc(d, size) < 0) {
        d->indices = old_mem;
        d->entries = old;
        return -1;
    }
    size_t w = 0;
    for (size_t k = 0; k < n; k++) {
        if (!old[k].key) continue;
        d->entries[w] = old[k];
        size_t i = (size_t)old[k].hash & d->mask, perturb = (size_t)old[k].hash;
        while (d->indices[i] != IX_EMPTY) {
            perturb >>= PERTURB_SHIFT;
            i = (i * 5 + perturb + 1) & d->mask;
        }
        d->indices[i] = (int32_t)w++;
    }
    d->nentries = w;
    rt_free(old_mem);
    return 0;
}

/* Inserts a key known to be absent at indices slot `slot`; steals key and v. */
static int insert_new(RtDict *d, RtValue *key, int64_t hash, RtValue *v, size_t slot) {
    if (!d->indices || d->nentries >= d->usable) {
        if (dict_resize(d, d->used * 3 > MIN_SIZE ? d->used * 3 : MIN_SIZE) < 0) {
            rt_decref(key);
            rt_decref(v);
            return -1;
        }
        size_t i = (size_t)hash & d->mask, perturb = (size_t)hash;
        while (d->indices[i] != IX_EMPTY) {
            perturb >>= PERTURB_SHIFT;
            i = (i * 5 + perturb + 1) & d->mask;
        }
        slot = i;
    }
    RtDictEntry *e = &d->entries[d->nentries];
    e->hash = hash;
    e->key = key;
    e->value = v;
    d->indices[slot] = (int32_t)d->nentries++;
    d->used++;
    d->version++;
    return 0;
}

/* d[key] = v with a known hash; steals key and v. */
static int set_hashed(RtDict *d, RtValue *key, int64_t hash, RtValue *v) {
    size_t slot;
    int64_t ix = lookup(d, key, hash, &slot);
    if (ix == -2) { rt_decref(key); rt_decref(v); return -1; }
    if (ix >= 0) {
        RtValue *old = d->entries[ix].value;
        d->entries[ix].value = v;
        rt_decref(key);
        rt_decref(old);
        return 0;
    }
    return insert_new(d, key, hash, v, slot);
}

int rt_dict_set_steal(RtValue *d, RtValue *key, RtValue *v) {
    int64_t h;
    if (key_hash(key, &h) < 0) { rt_decref(key); rt_decref(v); return -1; }
    return set_hashed(D(d), key, h, v);
}

int rt_dict_set(RtValue *d, RtValue *key, RtValue *v) {
    return rt_dict_set_steal(d, rt_newref(key), rt_newref(v));
}

int rt_dict_lookup(RtValue *d, RtValue *key, RtValue **out) {
    int64_t h;
    size_t slot;
    if (key_hash(key, &h) < 0) return -1;
    int64_t ix = lookup(D(d), key, h, &slot);
    if (ix == -2) return -1;
    if (ix < 0) return 0;
    *out = D(d)->entries[ix].value;
    return 1;
}

/* Raises KeyError(key): the key is the exception's only argument. */
RtValue *rt_dict_key_error(RtValue *key) {
    RtValue *args = rt_tuple_pack(1, key);
    if (!args) return NULL;
    RtValue *exc = rt_exc_new(&rt_exc_KeyError, args);
    rt_decref(args);
    if (exc) rt_exc_raise_new(exc);
    return NULL;
}

RtValue *rt_dict_getitem(RtValue *d, RtValue *key) {
    RtValue *v;
    int r = rt_dict_lookup(d, key, &v);
    if (r < 0) return NULL;
    if (r == 0) return rt_dict_key_error(key);
    return rt_newref(v);
}

RtValue *rt_dict_get(RtValue *d, RtValue *key, RtValue *dflt) {
    RtValue *v;
    int r = rt_dict_lookup(d, key, &v);
    if (r < 0) return NULL;
    return rt_newref(r ? v : dflt ? dflt : rt_None);
}

/* Removes entry ix found at indices slot; returns its key and value (owned). */
static void remove_entry(RtDict *d, int64_t ix, size_t slot, RtValue **key, RtValue **v) {
    RtDictEntry *e = &d->entries[ix];
    *key = e->key;
    *v = e->value;
    e->key = e->value = NULL;
    d->indices[slot] = IX_DUMMY;
    d->used--;
    d->version++;
}

/* Pops key: 1 found (*out new ref), 0 missing, -1 error. */
static int dict_pop(RtDict *d, RtValue *key, RtValue **out) {
    int64_t h;
    size_t slot;
    if (key_hash(key, &h) < 0) return -1;
    int64_t ix = lookup(d, key, h, &slot);
    if (ix == -2) return -1;
    if (ix < 0) return 0;
    RtValue *k;
    remove_entry(d, ix, slot, &k, out);
    rt_decref(k);
    return 1;
}

int rt_dict_del(RtValue *d, RtValue *key) {
    RtValue *v;
    int r = dict_pop(D(d), key, &v);
    if (r < 0) return -1;
    if (r == 0) { rt_dict_key_error(key); return -1; }
    rt_decref(v);
    return 0;
}

/* Finds a str key given as C text; entry index or -1 (*slot for deletion). */
static int64_t lookup_cstr(RtDict *d, const char *key, size_t n, size_t *slot) {
    if (!d->indices) return -1;
    int64_t hash = rt_hash_bytes(key, n);
    size_t mask = d->mask, i = (size_t)hash & mask, perturb = (size_t)hash;
    for (;;) {
        int32_t ix = d->indices[i];
        if (ix == IX_EMPTY) return -1;
        if (ix >= 0) {
            RtDictEntry *e = &d->entries[ix];
            if (e->hash == hash && key_is_str(e->key) && rt_str_nbytes(e->key) == n &&
                memcmp(rt_str_data(e->key), key, n) == 0) {
                *slot = i;
                return ix;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

RtValue *rt_dict_get_cstr(RtValue *d, const char *key) {
    size_t slot;
    int64_t ix = lookup_cstr(D(d), key, strlen(key), &slot);
    return ix >= 0 ? D(d)->entries[ix].value : NULL;
}

/* Attribute stores (self.x = v) replace an existing entry without
 * allocating a key str; only a new name makes one. */
int rt_dict_set_cstr(RtValue *d, const char *key, RtValue *v) {
    size_t slot;
    int64_t ix = lookup_cstr(D(d), key, strlen(key), &slot);
    if (ix >= 0) {
        RT_SETREF(D(d)->entries[ix].value, rt_newref(v));
        return 0;
    }
    RtValue *k = rt_str_from_cstr(key);
    if (!k) return -1;
    return rt_dict_set_steal(d, k, rt_newref(v));
}

int rt_dict_del_cstr(RtValue *d, const char *key) {
    size_t slot;
    int64_t ix = lookup_cstr(D(d), key, strlen(key), &slot);
    if (ix < 0) return 0;
    RtValue *k, *v;
    remove_entry(D(d), ix, slot, &k, &v);
    rt_decref(k);
    rt_decref(v);
    return 1;
}

size_t rt_dict_len(RtValue *d) { return D(d)->used; }

bool rt_dict_next(RtValue *d, size_t *pos, RtValue **key, RtValue **value) {
    RtDict *dd = D(d);
    while (*pos < dd->nentries) {
        RtDictEntry *e = &dd->entries[(*pos)++];
        if (e->key) {
            if (key) *key = e->key;
            if (value) *value = e->value;
            return true;
        }
    }
    return false;
}

/* ==== creation, copy, clear ================================================== */

static RtValue *dict_alloc(RtType *type) {
    RtValue *d = rt_obj_alloc(type, type->size ? type->size : sizeof(RtDict));
    return d;
}

RtValue *rt_dict_new(void) { return dict_alloc(&rt_type_dict); }

/* Releases every key and value of a detached table. */
static void release_table(int32_t *mem, RtDictEntry *entries, size_t n) {
    for (size_t k = 0; k < n; k++) {
        if (!entries[k].key) continue;
        rt_release(entries[k].key);
        rt_release(entries[k].value);
    }
    rt_free(mem);
}

void rt_dict_clear(RtValue *d) {
    RtDict *dd = D(d);
    int32_t *mem = dd->indices;
    RtDictEntry *entries = dd->entries;
    size_t n = dd->nentries;
    dd->indices = NULL;                       /* empty first: a __del__ may look */
    dd->entries = NULL;
    dd->used = dd->nentries = dd->usable = dd->mask = 0;
    dd->version++;
    if (mem) release_table(mem, entries, n);
}

static void dict_dealloc(RtValue *self) {
    RT_CLEAR(D(self)->extra);
    rt_dict_clear(self);
}

/* Copies the entries of src into the empty dict dst. */
static int copy_into(RtDict *dst, RtDict *src) {
    if (src->used == 0) return 0;
    if (dict_resize(dst, src->used) < 0) return -1;
    for (size_t k = 0; k < src->nentries; k++) {
        RtDictEntry *e = &src->entries[k];
        if (!e->key) continue;
        size_t i = (size_t)e->hash & dst->mask, perturb = (size_t)e->hash;
        while (dst->indices[i] != IX_EMPTY) {
            perturb >>= PERTURB_SHIFT;
            i = (i * 5 + perturb + 1) & dst->mask;
        }
        dst->entries[dst->nentries] = (RtDictEntry){e->hash, rt_newref(e->key), rt_newref(e->value)};
        dst->indices[i] = (int32_t)dst->nentries++;
        dst->used++;
    }
    return 0;
}

RtValue *rt_dict_copy(RtValue *d) {
    RtValue *r = dict_alloc(d->type);
    if (!r) return NULL;
    if (D(d)->extra) D(r)->extra = rt_newref(D(d)->extra);
    if (copy_into(D(r), D(d)) < 0) { rt_decref(r); return NULL; }
    return r;
}

/* ==== update ================================================================= */

/* Merges a dict-like: every key of other overwrites. */
static int merge_dict(RtDict *d, RtDict *other) {
    if (d == other || other->used == 0) return 0;
    if (d->used == 0 && d->indices == NULL) return copy_into(d, other);
    uint64_t version = other->version;
    for (size_t k = 0; k < other->nentries; k++) {
        RtDictEntry *e = &other->entries[k];
        if (!e->key) continue;
        if (set_hashed(d, rt_newref(e->key), e->hash, rt_newref(e->value)) < 0) return -1;
        if (other->version != version) {
            rt_raise(&rt_exc_RuntimeError, "dict mutated during update");
            return -1;
        }
    }
    return 0;
}

/* Merges a mapping that is not a dict: for k in m.keys(): d[k] = m[k]. */
static int merge_mapping(RtDict *d, RtValue *m) {
    RtValue *keys = rt_call_method(m, "keys", NULL, 0, NULL);
    if (!keys) return -1;
    RtValue *it = rt_iter(keys);
    rt_decref(keys);
    if (!it) return -1;
    RtValue *k;
    while ((k = rt_iter_next(it)) != NULL) {
        RtValue *v = rt_getitem(m, k);
        if (!v || rt_dict_set_steal((RtValue *)d, k, v) < 0) {
            if (!v) rt_decref(k);
            rt_decref(it);
            return -1;
        }
    }
    rt_decref(it);
    return RT_ERR() ? -1 : 0;
}

/* Merges an iterable of pairs, with CPython's errors naming the element. */
static int merge_pairs(RtDict *d, RtValue *seq) {
    RtValue *it = rt_iter(seq);
    if (!it) return -1;
    RtValue *item;
    size_t n = 0;
    for (; (item = rt_iter_next(it)) != NULL; n++) {
        RtValue *kv[2];
        int rc = -1;
        if (!item->type->iter) {
            rt_raise_fmt(&rt_exc_TypeError,
                         "cannot convert dictionary update sequence element #%zu to a sequence", n);
        } else {
            RtValue *t = rt_tuple_from_iter(item);
            if (t && RT_TUPLE_LEN(t) != 2) {
                rt_raise_fmt(&rt_exc_ValueError,
                             "dictionary update sequence element #%zu has length %zu; 2 is required", n,
                             RT_TUPLE_LEN(t));
            } else if (t) {
                kv[0] = RT_TUPLE_GET(t, 0);
                kv[1] = RT_TUPLE_GET(t, 1);
                rc = rt_dict_set((RtValue *)d, kv[0], kv[1]);
            }
            rt_xdecref(t);
        }
        rt_decref(item);
        if (rc < 0) { rt_decref(it); return -1; }
    }
    rt_decref(it);
    return RT_ERR() ? -1 : 0;
}

int rt_dict_update(RtValue *d, RtValue *other) {
    if (rt_is_dict_like(other)) return merge_dict(D(d), D(other));
    int has_keys = rt_hasattr(other, "keys");
    if (has_keys < 0) return -1;
    return has_keys ? merge_mapping(D(d), other) : merge_pairs(D(d), other);
}

/* Applies keyword arguments args[nargs..] named by kwnames. */
static int update_kwargs(RtValue *d, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (!kw) return 0;
    for (size_t i = 0; i < RT_TUPLE_LEN(kw); i++)
        if (rt_dict_set(d, RT_TUPLE_GET(kw, i), args[nargs + i]) < 0) return -1;
    return 0;
}

/* ==== slots ================================================================== */

/* Appends repr(dict) body "{k: v, ...}" (the braces included). */
int rt_dict_repr_body(RtStrBuf *b, RtValue *self) {
    RtDict *d = D(self);
    rt_strbuf_putc(b, '{');
    bool first = true;
    int rc = 0;
    for (size_t k = 0; k < d->nentries && rc == 0; k++) {   /* re-read: a __repr__ may mutate */
        RtDictEntry *e = &d->entries[k];
        if (!e->key) continue;
        if (!first) rt_strbuf_put_ascii(b, ", ", 2);
        first = false;
        RtValue *key = rt_newref(e->key), *v = rt_newref(e->value);
        rc = rt_strbuf_put_repr(b, key);
        if (rc == 0) rt_strbuf_put_ascii(b, ": ", 2);
        if (rc == 0) rc = rt_strbuf_put_repr(b, v);
        rt_decref(key);
        rt_decref(v);
    }
    if (rc < 0) return -1;
    return rt_strbuf_putc(b, '}');
}

int rt_dict_repr_into(RtStrBuf *b, RtValue *self) {
    if (D(self)->used == 0) return rt_strbuf_put_ascii(b, "{}", 2);
    int r = rt_repr_enter(self);
    if (r != 0) return r < 0 ? -1 : rt_strbuf_put_ascii(b, "{...}", 5);
    int rc = rt_dict_repr_body(b, self);
    rt_repr_leave(self);
    return rc;
}

static RtValue *dict_repr(RtValue *self) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    if (rt_dict_repr_into(&b, self) < 0) { rt_strbuf_free(&b); return NULL; }
    return rt_strbuf_finish(&b);
}

/* a == b for dicts: same keys, equal values. 1, 0, -1. */
static int dict_equal(RtDict *a, RtDict *b) {
    if (a->used != b->used) return 0;
    for (size_t k = 0; k < a->nentries; k++) {
        RtDictEntry *e = &a->entries[k];
        if (!e->key) continue;
        RtValue *key = rt_newref(e->key), *av = rt_newref(e->value);
        size_t slot;
        int64_t ix = lookup(b, key, e->hash, &slot);
        int r = ix == -2 ? -1 : ix == -1 ? 0 : 1;
        if (r == 1) {
            RtValue *bv = rt_newref(b->entries[ix].value);
            r = rt_eq(av, bv);
            rt_decref(bv);
        }
        rt_decref(key);
        rt_decref(av);
        if (r <= 0) return r;
    }
    return 1;
}

static RtValue *dict_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (!rt_is_dict_like(a) || !rt_is_dict_like(b) || (op != RT_EQ && op != RT_NE))
        return rt_NotImplemented;
    int r = dict_equal(D(a), D(b));
    if (r < 0) return NULL;
    return rt_bool(op == RT_EQ ? r : !r);
}

/* a | b: a plain dict copy of a updated with b (PyDict_Copy), except that a
 * defaultdict operand makes a defaultdict with its factory, as CPython's. */
static RtValue *dict_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (op != RT_OR || !rt_is_dict_like(a) || !rt_is_dict_like(b)) return rt_NotImplemented;
    RtValue *dd = a->type == &rt_collections_defaultdict ? a : b->type == &rt_collections_defaultdict ? b : NULL;
    RtValue *r = dict_alloc(dd ? dd->type : &rt_type_dict);
    if (!r) return NULL;
    if (dd) D(r)->extra = rt_newref(D(dd)->extra ? D(dd)->extra : rt_None);
    if (copy_into(D(r), D(a)) < 0 || merge_dict(D(r), D(b)) < 0) { rt_decref(r); return NULL; }
    return r;
}

static RtValue *dict_inplace(RtValue *a, RtValue *b, RtBinOp op) {
    if (op != RT_OR || !rt_is_dict_like(a)) return rt_NotImplemented;
    if (rt_dict_update(a, b) < 0) return NULL;
    return rt_newref(a);
}

static int dict_truthy(RtValue *self) { return D(self)->used != 0; }
static int64_t dict_len(RtValue *self) { return (int64_t)D(self)->used; }
static RtValue *dict_getitem(RtValue *self, RtValue *key) { return rt_dict_getitem(self, key); }

static int dict_setitem(RtValue *self, RtValue *key, RtValue *v) {
    return v ? rt_dict_set(self, key, v) : rt_dict_del(self, key);
}

static int dict_contains(RtValue *self, RtValue *key) {
    RtValue *v;
    return rt_dict_lookup(self, key, &v);
}

static RtValue *dict_iter(RtValue *self);

/* ==== methods ================================================================ */

static int check_nargs(const char *fname, size_t nargs, size_t lo, size_t hi, RtValue *kw) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs >= lo && nargs <= hi) return 0;
    if (lo == hi && lo == 1)
        rt_raise_fmt(&rt_exc_TypeError, "dict.%s() takes exactly one argument (%zu given)", fname, nargs);
    else if (hi == 0)
        rt_raise_fmt(&rt_exc_TypeError, "dict.%s() takes no arguments (%zu given)", fname, nargs);
    else if (nargs < lo)
        rt_raise_fmt(&rt_exc_TypeError, "%s expected at least %zu argument%s, got %zu", fname, lo,
                     lo == 1 ? "" : "s", nargs);
    else
        rt_raise_fmt(&rt_exc_TypeError, "%s expected at most %zu argument%s, got %zu", fname, hi,
                     hi == 1 ? "" : "s", nargs);
    return -1;
}

RtValue *rt_dict_m_get(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (check_nargs("get", nargs, 1, 2, kw) < 0) return NULL;
    return rt_dict_get(self, args[0], nargs > 1 ? args[1] : NULL);
}

RtValue *rt_dict_m_setdefault(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (check_nargs("setdefault", nargs, 1, 2, kw) < 0) return NULL;
    RtValue *v;
    int r = rt_dict_lookup(self, args[0], &v);
    if (r < 0) return NULL;
    if (r) return rt_newref(v);
    v = nargs > 1 ? args[1] : rt_None;
    if (rt_dict_set(self, args[0], v) < 0) return NULL;
    return rt_newref(v);
}

RtValue *rt_dict_m_pop(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (check_nargs("pop", nargs, 1, 2, kw) < 0) return NULL;
    RtValue *v;
    int r = dict_pop(D(self), args[0], &v);
    if (r < 0) return NULL;
    if (r) return v;
    if (nargs > 1) return rt_newref(args[1]);
    return rt_dict_key_error(args[0]);
}

RtValue *rt_dict_m_popitem(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (check_nargs("popitem", nargs, 0, 0, kw) < 0) return NULL;
    RtDict *d = D(self);
    if (d->used == 0) {
        RtValue *msg = rt_str_from_cstr("popitem(): dictionary is empty");
        if (msg) { rt_dict_key_error(msg); rt_decref(msg); }
        return NULL;
    }
    size_t k = d->nentries;
    while (!d->entries[k - 1].key) k--;
    RtDictEntry *e = &d->entries[k - 1];
    size_t slot;
    int64_t ix = lookup(d, e->key, e->hash, &slot);   /* identity hit: cannot fail */
    RtValue *key, *v;
    remove_entry(d, ix, slot, &key, &v);
    d->nentries = k - 1;                      /* trailing holes are dropped, as CPython */
    RtValue *t = rt_tuple_new(2);
    if (!t) { rt_decref(key); rt_decref(v); return NULL; }
    RT_TUPLE_SET(t, 0, key);
    RT_TUPLE_SET(t, 1, v);
    return t;
}

RtValue *rt_dict_m_keys(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (check_nargs("keys", nargs, 0, 0, kw) < 0) return NULL;
    return rt_dict_keys(self);
}

RtValue *rt_dict_m_values(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (check_nargs("values", nargs, 0, 0, kw) < 0) return NULL;
    return rt_dict_values(self);
}

RtValue *rt_dict_m_items(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (check_nargs("items", nargs, 0, 0, kw) < 0) return NULL;
    return rt_dict_items(self);
}

RtValue *rt_dict_m_update(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (nargs > 1)
        return rt_raise_fmt(&rt_exc_TypeError, "update expected at most 1 argument, got %zu", nargs);
    if (nargs == 1 && rt_dict_update(self, args[0]) < 0) return NULL;
    if (update_kwargs(self, args, nargs, kw) < 0) return NULL;
    return rt_None;
}

RtValue *rt_dict_m_copy(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (check_nargs("copy", nargs, 0, 0, kw) < 0) return NULL;
    return rt_dict_copy(self);
}

RtValue *rt_dict_m_clear(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (check_nargs("clear", nargs, 0, 0, kw) < 0) return NULL;
    rt_dict_clear(self);
    return rt_None;
}

/* dict.fromkeys(iterable, value=None): a class method (see
 * rt_type_add_classmethod); the new dict has the class it was called on. */
RtValue *rt_dict_m_fromkeys(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtType *type = rt_classmethod_target(self, &args, &nargs, &rt_type_dict);
    if (check_nargs("fromkeys", nargs, 1, 2, kw) < 0) return NULL;
    if (type->tag != RT_T_DICT) type = &rt_type_dict;
    RtValue *d = type->construct && type != &rt_type_dict ? type->construct(type, NULL, 0, NULL)
                                                          : dict_alloc(type);
    if (!d) return NULL;
    RtValue *v = nargs > 1 ? args[1] : rt_None;
    RtValue *it = rt_iter(args[0]);
    if (!it) { rt_decref(d); return NULL; }
    RtValue *k;
    while ((k = rt_iter_next(it)) != NULL) {
        int rc = rt_setitem(d, k, v);
        rt_decref(k);
        if (rc < 0) { rt_decref(it); rt_decref(d); return NULL; }
    }
    rt_decref(it);
    if (RT_ERR()) { rt_decref(d); return NULL; }
    return d;
}

/* dict(mapping_or_pairs=(), /, **kwargs); also builds dict subclasses. */
static RtValue *dict_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (nargs > 1)
        return rt_raise_fmt(&rt_exc_TypeError, "dict expected at most 1 argument, got %zu", nargs);
    RtValue *d = dict_alloc(type);
    if (!d) return NULL;
    if ((nargs == 1 && rt_dict_update(d, args[0]) < 0) || update_kwargs(d, args, nargs, kw) < 0) {
        rt_decref(d);
        return NULL;
    }
    return d;
}

static const RtMethodDef dict_methods[] = {
    {"get", rt_dict_m_get},
    {"setdefault", rt_dict_m_setdefault},
    {"pop", rt_dict_m_pop},
    {"popitem", rt_dict_m_popitem},
    {"keys", rt_dict_m_keys},
    {"values", rt_dict_m_values},
    {"items", rt_dict_m_items},
    {"update", rt_dict_m_update},
    {"copy", rt_dict_m_copy},
    {"clear", rt_dict_m_clear},
    {NULL, NULL},                             /* fromkeys: a class method, in the type's dict */
};

RtType rt_type_dict = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "dict",
    .tag = RT_T_DICT,
    .base = &rt_type_object,
    .size = sizeof(RtDict),
    .table_index = -1,
    .dealloc = dict_dealloc,
    .repr = dict_repr,
    .richcompare = dict_richcompare,
    .binop = dict_binop,
    .inplace = dict_inplace,
    .truthy = dict_truthy,
    .len = dict_len,
    .getitem = dict_getitem,
    .setitem = dict_setitem,
    .contains = dict_contains,
    .iter = dict_iter,
    .construct = dict_construct,
    .methods = dict_methods,
};

/* ==== iterators ============================================================== */

typedef enum { IT_KEYS, IT_VALUES, IT_ITEMS } IterKind;

typedef struct DictIter {
    RtValue  ob;
    RtValue *dict;       /* NULL once exhausted */
    size_t   pos;        /* next entry (forward) or entries left (reverse) */
    size_t   used;       /* len at creation: a change is an error */
    size_t   left;       /* items still expected */
    RtValue *result;     /* items: a tuple reused while nobody else holds it */
    IterKind kind;
    bool     reverse;
} DictIter;

static RtType dict_iter_types[2][3];

static void dictiter_dealloc(RtValue *self) {
    DictIter *it = (DictIter *)self;
    RT_CLEAR(it->dict);
    RT_CLEAR(it->result);
}

/* The next live entry, or NULL (exhausted or error). */
static RtDictEntry *dictiter_step(DictIter *it) {
    RtDict *d = D(it->dict);
    if (d->used != it->used) {
        rt_raise(&rt_exc_RuntimeError, "dictionary changed size during iteration");
        it->used = (size_t)-1;                /* sticky, as CPython */
        return NULL;
    }
    RtDictEntry *e = NULL;
    if (!it->reverse) {
        while (it->pos < d->nentries && !d->entries[it->pos].key) it->pos++;
        if (it->pos < d->nentries) e = &d->entries[it->pos++];
    } else {
        while (it->pos > 0 && !d->entries[it->pos - 1].key) it->pos--;
        if (it->pos > 0 && it->pos <= d->nentries) e = &d->entries[--it->pos];
    }
    if (!e) return NULL;
    if (it->left == 0) {
        rt_raise(&rt_exc_RuntimeError, "dictionary keys changed during iteration");
        return NULL;
    }
    it->left--;
    return e;
}

static RtValue *item_tuple(DictIter *it, RtDictEntry *e) {
    RtValue *t = it->result;
    if (t && t->rc == 1) {                    /* reuse: only we hold it */
        RtValue *ok = RT_TUPLE_GET(t, 0), *ov = RT_TUPLE_GET(t, 1);
        RT_TUPLE_SET(t, 0, rt_newref(e->key));
        RT_TUPLE_SET(t, 1, rt_newref(e->value));
        rt_decref(ok);
        rt_decref(ov);
        return rt_newref(t);
    }
    t = rt_tuple_pack(2, e->key, e->value);
    if (t) RT_SETREF(it->result, rt_newref(t));
    return t;
}

static RtValue *dictiter_next(RtValue *self) {
    DictIter *it = (DictIter *)self;
    if (!it->dict) return NULL;
    RtDictEntry *e = dictiter_step(it);
    if (!e) {
        if (!RT_ERR()) RT_CLEAR(it->dict);
        return NULL;
    }
    switch (it->kind) {
    case IT_KEYS:   return rt_newref(e->key);
    case IT_VALUES: return rt_newref(e->value);
    default:        return item_tuple(it, e);
    }
}

static RtValue *self_iter(RtValue *self) { return rt_newref(self); }

/* A new iterator over d's keys, values or items, forwards or backwards. */
RtValue *rt_dict_iter_new(RtValue *d, int kind, bool reverse) {
    DictIter *it = (DictIter *)rt_obj_alloc(&dict_iter_types[reverse][kind], sizeof(DictIter));
    if (!it) return NULL;
    it->dict = rt_newref(d);
    it->used = it->left = D(d)->used;
    it->pos = reverse ? D(d)->nentries : 0;
    it->kind = (IterKind)kind;
    it->reverse = reverse;
    return (RtValue *)it;
}

static RtValue *dict_iter(RtValue *self) { return rt_dict_iter_new(self, IT_KEYS, false); }

#define DICT_ITER_TYPE(nm) {                                                            \
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = nm, .tag = RT_T_ITER,                   \
    .base = &rt_type_object, .size = sizeof(DictIter), .table_index = -1,                \
    .dealloc = dictiter_dealloc, .iter = self_iter, .iternext = dictiter_next }

static RtType dict_iter_types[2][3] = {
    {DICT_ITER_TYPE("dict_keyiterator"), DICT_ITER_TYPE("dict_valueiterator"),
     DICT_ITER_TYPE("dict_itemiterator")},
    {DICT_ITER_TYPE("dict_reversekeyiterator"), DICT_ITER_TYPE("dict_reversevalueiterator"),
     DICT_ITER_TYPE("dict_reverseitemiterator")},
};

/* ==== views ================================================================== */

typedef struct DictView { RtValue ob; RtValue *dict; } DictView;
#define V(o) ((DictView *)(o))

static RtValue *view_new(RtValue *d, RtType *type) {
    DictView *v = (DictView *)rt_obj_alloc(type, sizeof(DictView));
    if (!v) return NULL;
    v->dict = rt_newref(d);
    return (RtValue *)v;
}

RtValue *rt_dict_keys(RtValue *d) { return view_new(d, &rt_type_dict_keys); }
RtValue *rt_dict_values(RtValue *d) { return view_new(d, &rt_type_dict_values); }
RtValue *rt_dict_items(RtValue *d) { return view_new(d, &rt_type_dict_items); }

static void view_dealloc(RtValue *self) { RT_CLEAR(V(self)->dict); }
static int64_t view_len(RtValue *self) { return (int64_t)D(V(self)->dict)->used; }

static IterKind view_kind(RtValue *self) {
    return self->type == &rt_type_dict_keys ? IT_KEYS
         : self->type == &rt_type_dict_values ? IT_VALUES : IT_ITEMS;
}

static RtValue *view_iter(RtValue *self) { return rt_dict_iter_new(V(self)->dict, view_kind(self), false); }

/* dict_keys(['a', 'b']): the type name, then the contents as a list. */
static RtValue *view_repr(RtValue *self) {
    int r = rt_repr_enter(self);
    if (r != 0) return r < 0 ? NULL : rt_str_from_cstr("...");
    RtValue *list = rt_list_from_iter(self);
    RtValue *res = NULL;
    if (list) {
        RtStrBuf b;
        rt_strbuf_init(&b);
        rt_strbuf_put_cstr(&b, self->type->name);
        rt_strbuf_putc(&b, '(');
        if (rt_strbuf_put_repr(&b, list) == 0) {
            rt_strbuf_putc(&b, ')');
            res = rt_strbuf_finish(&b);
        } else {
            rt_strbuf_free(&b);
        }
        rt_decref(list);
    }
    rt_repr_leave(self);
    return res;
}

static int view_contains(RtValue *self, RtValue *item) {
    RtValue *d = V(self)->dict;
    IterKind kind = view_kind(self);
    if (kind == IT_KEYS) return dict_contains(d, item);
    if (kind == IT_ITEMS) {
        if (!rt_is_tuple(item) || RT_TUPLE_LEN(item) != 2) return 0;
        RtValue *v;
        int r = rt_dict_lookup(d, RT_TUPLE_GET(item, 0), &v);
        if (r <= 0) return r;
        rt_incref(v);
        r = rt_eq(v, RT_TUPLE_GET(item, 1));
        rt_decref(v);
        return r;
    }
    size_t pos = 0;
    RtValue *v;
    while (rt_dict_next(d, &pos, NULL, &v)) {
        rt_incref(v);
        int r = rt_eq(v, item);
        rt_decref(v);
        if (r != 0) return r;
    }
    return 0;
}

static bool set_like(RtValue *o) {
    return rt_is_anyset(o) || o->type == &rt_type_dict_keys || o->type == &rt_type_dict_items;
}

/* keys and items views compare and combine like sets. */
static RtValue *view_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (!set_like(a) || !set_like(b) || a->type == &rt_type_dict_values) return rt_NotImplemented;
    RtValue *sa = rt_set_from_iter(a), *sb = sa ? rt_set_from_iter(b) : NULL;
    RtValue *r = sb ? rt_richcompare(sa, sb, op) : NULL;
    rt_xdecref(sa);
    rt_xdecref(sb);
    return r;
}

static RtValue *view_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (op != RT_AND && op != RT_OR && op != RT_SUB && op != RT_XOR) return rt_NotImplemented;
    if (!a->type->iter || !b->type->iter) return rt_NotImplemented;
    RtValue *sa = rt_set_from_iter(a), *sb = sa ? rt_set_from_iter(b) : NULL;
    RtValue *r = sb ? rt_binop(sa, sb, op) : NULL;
    rt_xdecref(sa);
    rt_xdecref(sb);
    return r;
}

#define VIEW_TYPE(nm, setops) {                                                      \
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = nm, .tag = RT_T_NATIVE,              \
    .base = &rt_type_object, .size = sizeof(DictView), .table_index = -1,             \
    .dealloc = view_dealloc, .repr = view_repr, .len = view_len,                      \
    .contains = view_contains, .iter = view_iter,                                     \
    .richcompare = (setops) ? view_richcompare : NULL,                                \
    .binop = (setops) ? view_binop : NULL }

RtType rt_type_dict_keys = VIEW_TYPE("dict_keys", 1);
RtType rt_type_dict_values = VIEW_TYPE("dict_values", 0);
RtType rt_type_dict_items = VIEW_TYPE("dict_items", 1);

/* reversed(d) and reversed(d.keys()/values()/items()); NULL for other objects
 * (no exception set). */
RtValue *rt_dict_reversed(RtValue *o) {
    if (rt_is_dict_like(o)) return rt_dict_iter_new(o, IT_KEYS, true);
    if (o->type == &rt_type_dict_keys || o->type == &rt_type_dict_values ||
        o->type == &rt_type_dict_items)
        return rt_dict_iter_new(V(o)->dict, view_kind(o), true);
    return NULL;
}

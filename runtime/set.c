/* set.c: Python's set and frozenset.
 *
 * The table is CPython 3.11's (Objects/setobject.c), reproduced from its
 * documented behaviour: open addressing over mask + 1 entries, where a probe
 * first looks at up to LINEAR_PROBES neighbours and then jumps with
 * i = 5*i + 1 + perturb (perturb >>= 5 each time); an unused slot is
 * {NULL, 0} and a deleted one {dummy, -1}; a table is resized when
 * fill*5 >= mask*3, to the smallest power of two above 4*used (2*used past
 * 50000). Iteration walks the table from slot 0, so a set of ints prints in
 * exactly CPython's order, including after removals, pop() and the
 * operators, which follow CPython's algorithms step by step (which operand
 * is iterated, when a copy is made, when the table is pre-sized).
 */
#include "mp2c.h"

#include <string.h>

#define SO(o) ((RtSet *)(o))
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

static RtValue dummy_obj = RT_STATIC_HEAD(&rt_type_object);
#define DUMMY (&dummy_obj)

static inline bool is_set(const RtValue *o) { return o->type->tag == RT_T_SET; }
static inline bool is_frozen(const RtValue *o) { return o->type->tag == RT_T_FROZENSET; }

static inline int key_hash(RtValue *key, int64_t *h) {
    if (key->type == &rt_type_str && ((RtStr *)key)->hash != -1) { *h = ((RtStr *)key)->hash; return 0; }
    return rt_hash(key, h);
}

static inline bool str_same(RtValue *a, RtValue *b) {
    size_t n = rt_str_nbytes(a);
    return n == rt_str_nbytes(b) && memcmp(rt_str_data(a), rt_str_data(b), n) == 0;
}

/* ==== probing =============================================================== */

/* The entry holding key, or the unused entry that ends its probe sequence;
 * NULL on a comparison error. */
static RtSetEntry *set_lookkey(RtSet *so, RtValue *key, int64_t hash) {
restart:;
    size_t mask = so->mask, i = (size_t)hash & mask, perturb = (size_t)hash;
    for (;;) {
        RtSetEntry *entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL) return entry;
            if (entry->hash == hash) {
                RtValue *startkey = entry->key;
                if (startkey == key) return entry;
                if (startkey->type == &rt_type_str && key->type == &rt_type_str) {
                    if (str_same(startkey, key)) return entry;
                } else {
                    RtSetEntry *table = so->table;
                    rt_incref(startkey);
                    int cmp = rt_eq(startkey, key);
                    rt_decref(startkey);
                    if (cmp < 0) return NULL;
                    if (table != so->table || entry->key != startkey) goto restart;
                    if (cmp > 0) return entry;
                    mask = so->mask;
                }
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* Places a key known to be absent into a table without dummies. */
static void set_insert_clean(RtSetEntry *table, size_t mask, RtValue *key, int64_t hash) {
    size_t perturb = (size_t)hash, i = (size_t)hash & mask;
    for (;;) {
        RtSetEntry *entry = &table[i];
        if (entry->key == NULL) goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                entry++;
                if (entry->key == NULL) goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        entry->key = key;
        entry->hash = hash;
        return;
    }
}

static int set_table_resize(RtSet *so, size_t minused) {
    size_t newsize = RT_SET_MINSIZE;
    while (newsize <= minused) newsize <<= 1;
    RtSetEntry *oldtable = so->table, small_copy[RT_SET_MINSIZE];
    size_t oldmask = so->mask;
    bool old_malloced = oldtable != so->smalltable;
    RtSetEntry *newtable;
    if (newsize == RT_SET_MINSIZE) {
        newtable = so->smalltable;
        if (newtable == oldtable) {
            if (so->fill == so->used) return 0;     /* no dummies: nothing to do */
            memcpy(small_copy, oldtable, sizeof small_copy);
            oldtable = small_copy;
        }
    } else {
        newtable = rt_malloc(newsize * sizeof(RtSetEntry));
        if (!newtable) return -1;
    }
    memset(newtable, 0, newsize * sizeof(RtSetEntry));
    so->mask = newsize - 1;
    so->table = newtable;
    bool dummies = so->fill != so->used;
    so->fill = so->used;
    for (RtSetEntry *e = oldtable; e <= oldtable + oldmask; e++)
        if (e->key != NULL && (!dummies || e->key != DUMMY))
            set_insert_clean(newtable, so->mask, e->key, e->hash);
    if (old_malloced) rt_free(oldtable);
    return 0;
}

/* Adds key (borrowed) with its hash. 0 or -1. */
static int set_add_entry(RtSet *so, RtValue *key, int64_t hash) {
    rt_incref(key);
restart:;
    size_t mask = so->mask, i = (size_t)hash & mask, perturb = (size_t)hash;
    RtSetEntry *freeslot = NULL, *entry;
    for (;;) {
        entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL) goto found_unused_or_dummy;
            if (entry->hash == hash) {
                RtValue *startkey = entry->key;
                if (startkey == key) goto found_active;
                if (startkey->type == &rt_type_str && key->type == &rt_type_str) {
                    if (str_same(startkey, key)) goto found_active;
                } else {
                    RtSetEntry *table = so->table;
                    rt_incref(startkey);
                    int cmp = rt_eq(startkey, key);
                    rt_decref(startkey);
                    if (cmp > 0) goto found_active;
                    if (cmp < 0) { rt_decref(key); return -1; }
                    if (table != so->table || entry->key != startkey) goto restart;
                    mask = so->mask;
                }
            } else if (entry->hash == -1 && freeslot == NULL) {
                freeslot = entry;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_unused_or_dummy:
    if (freeslot) {
        so->used++;
        freeslot->key = key;
        freeslot->hash = hash;
        return 0;
    }
    so->fill++;
    so->used++;
    entry->key = key;
    entry->hash = hash;
    if (so->fill * 5 < mask * 3) return 0;
    return set_table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
found_active:
    rt_decref(key);
    return 0;
}

static int set_add_key(RtSet *so, RtValue *key) {
    int64_t h;
    if (key_hash(key, &h) < 0) return -1;
    return set_add_entry(so, key, h);
}

static int set_contains_entry(RtSet *so, RtValue *key, int64_t hash) {
    RtSetEntry *e = set_lookkey(so, key, hash);
    if (!e) return -1;
    return e->key != NULL;
}

static int set_contains_key(RtSet *so, RtValue *key) {
    int64_t h;
    if (key_hash(key, &h) < 0) return -1;
    return set_contains_entry(so, key, h);
}

/* 1 removed, 0 absent, -1 error. */
static int set_discard_entry(RtSet *so, RtValue *key, int64_t hash) {
    RtSetEntry *e = set_lookkey(so, key, hash);
    if (!e) return -1;
    if (e->key == NULL) return 0;
    RtValue *old = e->key;
    e->key = DUMMY;
    e->hash = -1;
    so->used--;
    rt_decref(old);
    return 1;
}

static int set_discard_key(RtSet *so, RtValue *key) {
    int64_t h;
    if (key_hash(key, &h) < 0) return -1;
    return set_discard_entry(so, key, h);
}

static void set_empty_to_minsize(RtSet *so) {
    memset(so->smalltable, 0, sizeof so->smalltable);
    so->fill = so->used = 0;
    so->mask = RT_SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
}

static void set_clear_internal(RtSet *so) {
    RtSetEntry *table = so->table, small_copy[RT_SET_MINSIZE];
    size_t used = so->used;
    bool malloced = table != so->smalltable;
    if (malloced) {
        set_empty_to_minsize(so);
    } else if (so->fill > 0) {
        memcpy(small_copy, table, sizeof small_copy);
        table = small_copy;
        set_empty_to_minsize(so);
    }
    for (RtSetEntry *e = table; used > 0; e++) {
        if (e->key && e->key != DUMMY) {
            used--;
            rt_release(e->key);
        }
    }
    if (malloced) rt_free(table);
}

/* The next active entry at or after *pos. */
static RtSetEntry *set_next_entry(RtSet *so, size_t *pos) {
    size_t i = *pos;
    while (i <= so->mask && (so->table[i].key == NULL || so->table[i].key == DUMMY)) i++;
    *pos = i + 1;
    return i > so->mask ? NULL : &so->table[i];
}

bool rt_set_next(RtValue *s, size_t *pos, RtValue **key) {
    RtSetEntry *e = set_next_entry(SO(s), pos);
    if (!e) return false;
    *key = e->key;
    return true;
}

/* ==== creation and merging ================================================== */

static RtSet *set_alloc(RtType *type) {
    RtSet *so = (RtSet *)rt_obj_alloc(type, sizeof(RtSet));
    if (!so) return NULL;
    so->mask = RT_SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
    return so;
}

static int set_merge(RtSet *so, RtSet *other) {
    if (other == so || other->used == 0) return 0;
    if ((so->fill + other->used) * 5 >= so->mask * 3)
        if (set_table_resize(so, (so->used + other->used) * 2) < 0) return -1;
    RtSetEntry *so_entry = so->table, *other_entry = other->table;
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (size_t i = 0; i <= other->mask; i++, so_entry++, other_entry++) {
            if (other_entry->key != NULL) {
                so_entry->key = rt_newref(other_entry->key);
                so_entry->hash = other_entry->hash;
            }
        }
        so->fill = other->fill;
        so->used = other->used;
        return 0;
    }
    if (so->fill == 0) {
        so->fill = so->used = other->used;
        for (size_t i = other->mask + 1; i > 0; i--, other_entry++) {
            RtValue *key = other_entry->key;
            if (key != NULL && key != DUMMY) set_insert_clean(so->table, so->mask, rt_newref(key), other_entry->hash);
        }
        return 0;
    }
    for (size_t i = 0; i <= other->mask; i++) {
        RtSetEntry *e = &other->table[i];
        if (e->key != NULL && e->key != DUMMY && set_add_entry(so, e->key, e->hash) < 0) return -1;
    }
    return 0;
}

static int set_update_internal(RtSet *so, RtValue *other) {
    if (rt_is_anyset(other)) return set_merge(so, SO(other));
    if (other->type == &rt_type_dict) {
        size_t n = rt_dict_len(other);
        if ((so->fill + n) * 5 >= so->mask * 3)
            if (set_table_resize(so, (so->used + n) * 2) < 0) return -1;
        RtDict *d = (RtDict *)other;
        for (size_t k = 0; k < d->nentries; k++) {
            RtDictEntry *e = &d->entries[k];
            if (e->key && set_add_entry(so, e->key, e->hash) < 0) return -1;
        }
        return 0;
    }
    RtValue *it = rt_iter(other);
    if (!it) return -1;
    RtValue *key;
    while ((key = rt_iter_next(it)) != NULL) {
        int rc = set_add_key(so, key);
        rt_decref(key);
        if (rc < 0) { rt_decref(it); return -1; }
    }
    rt_decref(it);
    return RT_ERR() ? -1 : 0;
}

static RtValue *make_new_set(RtType *type, RtValue *iterable) {
    RtSet *so = set_alloc(type);
    if (!so) return NULL;
    if (iterable && set_update_internal(so, iterable) < 0) {
        rt_decref((RtValue *)so);
        return NULL;
    }
    return (RtValue *)so;
}

/* A new set or frozenset, whichever kind `like` is. */
static RtValue *make_new_set_basetype(RtValue *like, RtValue *iterable) {
    return make_new_set(is_frozen(like) ? &rt_type_frozenset : &rt_type_set, iterable);
}

RtValue *rt_set_new(void) { return (RtValue *)set_alloc(&rt_type_set); }
RtValue *rt_set_from_iter(RtValue *iterable) { return make_new_set(&rt_type_set, iterable); }

RtValue *rt_frozenset_from_iter(RtValue *iterable) {
    if (iterable && iterable->type == &rt_type_frozenset) return rt_newref(iterable);
    return make_new_set(&rt_type_frozenset, iterable);
}

int rt_set_add(RtValue *s, RtValue *key) { return set_add_key(SO(s), key); }

/* CPython 3.11 compiles a display of more than two constants, {7, 3, 11},
 * to a frozenset constant that the compiler rebuilds from its own iteration
 * order when it merges constants, then copies into a new set: the result's
 * order differs from inserting 7, 3, 11 one by one. */
RtValue *rt_set_display_const(RtValue *const *items, size_t n) {
    if (n <= 2) {                             /* BUILD_SET adds them in order */
        RtValue *s = rt_set_new();
        for (size_t i = 0; s && i < n; i++)
            if (set_add_key(SO(s), items[i]) < 0) RT_CLEAR(s);
        return s;
    }
    RtValue *tuple = rt_tuple_from_array(items, n);
    RtValue *first = tuple ? make_new_set(&rt_type_frozenset, tuple) : NULL;   /* the folded constant */
    RtValue *order = first ? rt_tuple_from_iter(first) : NULL;
    RtValue *merged = order ? make_new_set(&rt_type_frozenset, order) : NULL;  /* rebuilt by merging */
    RtValue *result = merged ? make_new_set(&rt_type_set, merged) : NULL;      /* BUILD_SET; SET_UPDATE */
    rt_xdecref(tuple);
    rt_xdecref(first);
    rt_xdecref(order);
    rt_xdecref(merged);
    return result;
}

/* `key in s`; an unhashable set key is looked up as a frozenset, as CPython. */
int rt_set_contains(RtValue *s, RtValue *key) {
    int rv = set_contains_key(SO(s), key);
    if (rv < 0 && is_set(key) && rt_exc_matches((RtValue *)&rt_exc_TypeError)) {
        rt_decref(rt_exc_fetch());
        RtValue *tmp = make_new_set(&rt_type_frozenset, key);
        if (!tmp) return -1;
        rv = set_contains_key(SO(s), tmp);
        rt_decref(tmp);
    }
    return rv;
}

int rt_set_discard(RtValue *s, RtValue *key) {
    int rv = set_discard_key(SO(s), key);
    if (rv < 0 && is_set(key) && rt_exc_matches((RtValue *)&rt_exc_TypeError)) {
        rt_decref(rt_exc_fetch());
        RtValue *tmp = make_new_set(&rt_type_frozenset, key);
        if (!tmp) return -1;
        rv = set_discard_key(SO(s), tmp);
        rt_decref(tmp);
    }
    return rv;
}

/* ==== set algebra (CPython's algorithms, in its order) ======================= */

static RtValue *set_copy(RtValue *so) { return make_new_set_basetype(so, so); }

static RtValue *set_intersection(RtValue *self, RtValue *other) {
    if (self == other) return set_copy(self);
    RtValue *result = make_new_set_basetype(self, NULL);
    if (!result) return NULL;
    RtSet *so = SO(self);
    if (rt_is_anyset(other)) {
        RtSet *o = SO(other);
        if (o->used > so->used) { RtSet *t = so; so = o; o = t; }
        size_t pos = 0;
        RtSetEntry *e;
        while ((e = set_next_entry(o, &pos)) != NULL) {
            RtValue *key = rt_newref(e->key);
            int64_t hash = e->hash;
            int rv = set_contains_entry(so, key, hash);
            if (rv > 0) rv = set_add_entry(SO(result), key, hash) < 0 ? -1 : 1;
            rt_decref(key);
            if (rv < 0) { rt_decref(result); return NULL; }
        }
        return result;
    }
    RtValue *it = rt_iter(other);
    if (!it) { rt_decref(result); return NULL; }
    RtValue *key;
    while ((key = rt_iter_next(it)) != NULL) {
        int64_t hash;
        int rv = key_hash(key, &hash);
        if (rv == 0) rv = set_contains_entry(so, key, hash);
        if (rv > 0) rv = set_add_entry(SO(result), key, hash) < 0 ? -1 : 1;
        rt_decref(key);
        if (rv < 0) { rt_decref(it); rt_decref(result); return NULL; }
        if (rv > 0 && SO(result)->used >= so->used) break;
    }
    rt_decref(it);
    if (RT_ERR()) { rt_decref(result); return NULL; }
    return result;
}

/* Exchanges the contents of two sets (intersection_update). */
static void set_swap_bodies(RtSet *a, RtSet *b) {
    size_t t;
    t = a->fill; a->fill = b->fill; b->fill = t;
    t = a->used; a->used = b->used; b->used = t;
    t = a->mask; a->mask = b->mask; b->mask = t;
    RtSetEntry *u = a->table == a->smalltable ? b->smalltable : a->table;
    a->table = b->table == b->smalltable ? a->smalltable : b->table;
    b->table = u;
    if (a->table == a->smalltable || b->table == b->smalltable) {
        RtSetEntry tab[RT_SET_MINSIZE];
        memcpy(tab, a->smalltable, sizeof tab);
        memcpy(a->smalltable, b->smalltable, sizeof tab);
        memcpy(b->smalltable, tab, sizeof tab);
    }
    a->hash = b->hash = -1;
}

static int set_difference_update_internal(RtSet *so, RtValue *other) {
    if ((RtValue *)so == other) { set_clear_internal(so); return 0; }
    if (rt_is_anyset(other)) {
        if ((SO(other)->used >> 3) > so->used) {
            other = set_intersection((RtValue *)so, other);
            if (!other) return -1;
        } else {
            rt_incref(other);
        }
        size_t pos = 0;
        RtSetEntry *e;
        while ((e = set_next_entry(SO(other), &pos)) != NULL) {
            RtValue *key = rt_newref(e->key);
            int rc = set_discard_entry(so, key, e->hash);
            rt_decref(key);
            if (rc < 0) { rt_decref(other); return -1; }
        }
        rt_decref(other);
    } else {
        RtValue *it = rt_iter(other);
        if (!it) return -1;
        RtValue *key;
        while ((key = rt_iter_next(it)) != NULL) {
            int rc = set_discard_key(so, key);
            rt_decref(key);
            if (rc < 0) { rt_decref(it); return -1; }
        }
        rt_decref(it);
        if (RT_ERR()) return -1;
    }
    if (so->fill - so->used <= so->mask / 4) return 0;
    return set_table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

static RtValue *set_copy_and_difference(RtValue *so, RtValue *other) {
    RtValue *result = set_copy(so);
    if (result && set_difference_update_internal(SO(result), other) < 0) { rt_decref(result); return NULL; }
    return result;
}

static RtValue *set_difference(RtValue *self, RtValue *other) {
    size_t other_size;
    if (rt_is_anyset(other)) other_size = SO(other)->used;
    else if (other->type == &rt_type_dict) other_size = rt_dict_len(other);
    else return set_copy_and_difference(self, other);
    RtSet *so = SO(self);
    if ((so->used >> 2) > other_size) return set_copy_and_difference(self, other);
    RtValue *result = make_new_set_basetype(self, NULL);
    if (!result) return NULL;
    size_t pos = 0;
    RtSetEntry *e;
    while ((e = set_next_entry(so, &pos)) != NULL) {
        RtValue *key = rt_newref(e->key);
        int64_t hash = e->hash;
        int rv;
        if (other->type == &rt_type_dict) {
            RtValue *v;
            rv = rt_dict_lookup(other, key, &v);
        } else {
            rv = set_contains_entry(SO(other), key, hash);
        }
        if (rv == 0) rv = set_add_entry(SO(result), key, hash) < 0 ? -1 : 0;
        rt_decref(key);
        if (rv < 0) { rt_decref(result); return NULL; }
    }
    return result;
}

static int set_symmetric_difference_update(RtSet *so, RtValue *other) {
    if ((RtValue *)so == other) { set_clear_internal(so); return 0; }
    RtValue *otherset;
    if (other->type == &rt_type_dict) {
        RtDict *d = (RtDict *)other;
        for (size_t k = 0; k < d->nentries; k++) {
            RtDictEntry *de = &d->entries[k];
            if (!de->key) continue;
            RtValue *key = rt_newref(de->key);
            int rv = set_discard_entry(so, key, de->hash);
            if (rv == 0) rv = set_add_entry(so, key, de->hash);
            rt_decref(key);
            if (rv < 0) return -1;
        }
        return 0;
    }
    if (rt_is_anyset(other)) otherset = rt_newref(other);
    else if (!(otherset = make_new_set_basetype((RtValue *)so, other))) return -1;
    size_t pos = 0;
    RtSetEntry *e;
    while ((e = set_next_entry(SO(otherset), &pos)) != NULL) {
        RtValue *key = rt_newref(e->key);
        int64_t hash = e->hash;
        int rv = set_discard_entry(so, key, hash);
        if (rv == 0) rv = set_add_entry(so, key, hash);
        rt_decref(key);
        if (rv < 0) { rt_decref(otherset); return -1; }
    }
    rt_decref(otherset);
    return 0;
}

static RtValue *set_symmetric_difference(RtValue *so, RtValue *other) {
    RtValue *otherset = make_new_set_basetype(so, other);
    if (!otherset) return NULL;
    if (set_symmetric_difference_update(SO(otherset), so) < 0) { rt_decref(otherset); return NULL; }
    return otherset;
}

/* 1, 0 or -1. */
static int set_issubset(RtValue *self, RtValue *other) {
    if (!rt_is_anyset(other)) {
        RtValue *tmp = make_new_set(&rt_type_set, other);
        if (!tmp) return -1;
        int r = set_issubset(self, tmp);
        rt_decref(tmp);
        return r;
    }
    if (SO(self)->used > SO(other)->used) return 0;
    size_t pos = 0;
    RtSetEntry *e;
    while ((e = set_next_entry(SO(self), &pos)) != NULL) {
        RtValue *key = rt_newref(e->key);
        int rv = set_contains_entry(SO(other), key, e->hash);
        rt_decref(key);
        if (rv <= 0) return rv;
    }
    return 1;
}

static int set_issuperset(RtValue *self, RtValue *other) {
    if (!rt_is_anyset(other)) {
        RtValue *tmp = make_new_set(&rt_type_set, other);
        if (!tmp) return -1;
        int r = set_issuperset(self, tmp);
        rt_decref(tmp);
        return r;
    }
    return set_issubset(other, self);
}

static int set_isdisjoint(RtValue *self, RtValue *other) {
    if (self == other) return SO(self)->used == 0;
    if (rt_is_anyset(other)) {
        RtSet *so = SO(self), *o = SO(other);
        if (o->used > so->used) { RtSet *t = so; so = o; o = t; }
        size_t pos = 0;
        RtSetEntry *e;
        while ((e = set_next_entry(o, &pos)) != NULL) {
            RtValue *key = rt_newref(e->key);
            int rv = set_contains_entry(so, key, e->hash);
            rt_decref(key);
            if (rv != 0) return rv < 0 ? -1 : 0;
        }
        return 1;
    }
    RtValue *it = rt_iter(other);
    if (!it) return -1;
    RtValue *key;
    while ((key = rt_iter_next(it)) != NULL) {
        int rv = set_contains_key(SO(self), key);
        rt_decref(key);
        if (rv != 0) { rt_decref(it); return rv < 0 ? -1 : 0; }
    }
    rt_decref(it);
    return RT_ERR() ? -1 : 1;
}

/* ==== slots =================================================================== */

static void set_dealloc(RtValue *self) {
    RtSet *so = SO(self);
    size_t used = so->used;
    for (RtSetEntry *e = so->table; used > 0; e++) {
        if (e->key && e->key != DUMMY) {
            used--;
            rt_release(e->key);
        }
    }
    if (so->table != so->smalltable) rt_free(so->table);
}

static uint64_t shuffle_bits(uint64_t h) {
    return ((h ^ 89869747ull) ^ (h << 16)) * 3644798167ull;
}

/* frozenset's hash: CPython's frozenset_hash, so equal frozensets hash alike
 * and a frozenset inside a set lands where CPython puts it. */
static int frozenset_hash(RtValue *self, int64_t *out) {
    RtSet *so = SO(self);
    if (so->hash != -1) { *out = so->hash; return 0; }
    uint64_t hash = 0;
    for (RtSetEntry *e = so->table; e <= &so->table[so->mask]; e++) hash ^= shuffle_bits((uint64_t)e->hash);
    if ((so->mask + 1 - so->fill) & 1) hash ^= shuffle_bits(0);
    if ((so->fill - so->used) & 1) hash ^= shuffle_bits((uint64_t)-1);
    hash ^= ((uint64_t)so->used + 1) * 1927868237ull;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069u + 907133923ull;
    if (hash == (uint64_t)-1) hash = 590923713ull;
    so->hash = (int64_t)hash;
    *out = so->hash;
    return 0;
}

/* Appends repr(set): "{1, 2}", "set()", "frozenset({1})", "set(...)". */
int rt_set_repr_into(RtStrBuf *b, RtValue *self) {
    RtSet *so = SO(self);
    const char *name = self->type->name;
    bool plain = self->type == &rt_type_set;
    int r = rt_repr_enter(self);
    if (r != 0) {
        if (r < 0) return -1;
        rt_strbuf_put_cstr(b, name);
        return rt_strbuf_put_ascii(b, "(...)", 5);
    }
    if (so->used == 0) {
        rt_repr_leave(self);
        rt_strbuf_put_cstr(b, name);
        return rt_strbuf_put_ascii(b, "()", 2);
    }
    RtValue *keys = rt_list_from_iter(self);    /* a snapshot: __repr__ may mutate */
    int rc = -1;
    if (keys) {
        if (!plain) { rt_strbuf_put_cstr(b, name); rt_strbuf_putc(b, '('); }
        rt_strbuf_putc(b, '{');
        rc = 0;
        for (size_t i = 0; i < RT_LIST_LEN(keys) && rc == 0; i++) {
            if (i) rt_strbuf_put_ascii(b, ", ", 2);
            rc = rt_strbuf_put_repr(b, RT_LIST_GET(keys, i));
        }
        rt_strbuf_putc(b, '}');
        if (!plain) rt_strbuf_putc(b, ')');
        rt_decref(keys);
    }
    rt_repr_leave(self);
    return rc;
}

static RtValue *set_repr(RtValue *self) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    if (rt_set_repr_into(&b, self) < 0) { rt_strbuf_free(&b); return NULL; }
    return rt_strbuf_finish(&b);
}

static RtValue *set_richcompare(RtValue *v, RtValue *w, RtCmpOp op) {
    if (!rt_is_anyset(v) || !rt_is_anyset(w)) return rt_NotImplemented;
    int r;
    switch (op) {
    case RT_EQ:
    case RT_NE:
        if (SO(v)->used != SO(w)->used) r = 0;
        else if (SO(v)->hash != -1 && SO(w)->hash != -1 && SO(v)->hash != SO(w)->hash) r = 0;
        else r = set_issubset(v, w);
        if (r >= 0 && op == RT_NE) r = !r;
        break;
    case RT_LE: r = set_issubset(v, w); break;
    case RT_GE: r = set_issuperset(v, w); break;
    case RT_LT: r = SO(v)->used >= SO(w)->used ? 0 : set_issubset(v, w); break;
    default:    r = SO(v)->used <= SO(w)->used ? 0 : set_issuperset(v, w); break;
    }
    if (r < 0) return NULL;
    return rt_bool(r);
}

static RtValue *set_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (!rt_is_anyset(a) || !rt_is_anyset(b)) return rt_NotImplemented;
    switch (op) {
    case RT_OR: {
        RtValue *r = set_copy(a);
        if (r && a != b && set_update_internal(SO(r), b) < 0) { rt_decref(r); return NULL; }
        return r;
    }
    case RT_AND: return set_intersection(a, b);
    case RT_SUB: return set_difference(a, b);
    case RT_XOR: return set_symmetric_difference(a, b);
    default:     return rt_NotImplemented;
    }
}

static RtValue *set_inplace(RtValue *a, RtValue *b, RtBinOp op) {
    if (!is_set(a) || !rt_is_anyset(b)) return rt_NotImplemented;
    int rc;
    switch (op) {
    case RT_OR:  rc = set_update_internal(SO(a), b); break;
    case RT_SUB: rc = set_difference_update_internal(SO(a), b); break;
    case RT_XOR: rc = set_symmetric_difference_update(SO(a), b); break;
    case RT_AND: {
        RtValue *tmp = set_intersection(a, b);
        if (!tmp) return NULL;
        set_swap_bodies(SO(a), SO(tmp));
        rt_decref(tmp);
        rc = 0;
        break;
    }
    default: return rt_NotImplemented;
    }
    if (rc < 0) return NULL;
    return rt_newref(a);
}

static int set_truthy(RtValue *self) { return SO(self)->used != 0; }
static int64_t set_len(RtValue *self) { return (int64_t)SO(self)->used; }

/* ==== iterator ================================================================ */

typedef struct SetIter {
    RtValue  ob;
    RtValue *set;     /* NULL once exhausted */
    size_t   used;    /* size at creation */
    size_t   pos;
} SetIter;

static void setiter_dealloc(RtValue *self) { RT_CLEAR(((SetIter *)self)->set); }
static RtValue *setiter_self(RtValue *self) { return rt_newref(self); }

static RtValue *setiter_next(RtValue *self) {
    SetIter *si = (SetIter *)self;
    if (!si->set) return NULL;
    RtSet *so = SO(si->set);
    if (si->used != so->used) {
        rt_raise(&rt_exc_RuntimeError, "Set changed size during iteration");
        si->used = (size_t)-1;
        return NULL;
    }
    RtSetEntry *e = set_next_entry(so, &si->pos);
    if (!e) { RT_CLEAR(si->set); return NULL; }
    return rt_newref(e->key);
}

static RtType set_iterator_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "set_iterator",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(SetIter),
    .table_index = -1,
    .dealloc = setiter_dealloc,
    .iter = setiter_self,
    .iternext = setiter_next,
};

static RtValue *set_iter(RtValue *self) {
    SetIter *si = (SetIter *)rt_obj_alloc(&set_iterator_type, sizeof(SetIter));
    if (!si) return NULL;
    si->set = rt_newref(self);
    si->used = SO(self)->used;
    return (RtValue *)si;
}

/* ==== methods ================================================================= */

static int one_arg(const char *fname, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs == 1) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly one argument (%zu given)", fname, nargs);
    return -1;
}

static int no_arg(const char *fname, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs == 0) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", fname, nargs);
    return -1;
}

RtValue *rt_set_m_add(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("set.add", nargs, kw) < 0) return NULL;
    if (set_add_key(SO(self), args[0]) < 0) return NULL;
    return rt_None;
}

RtValue *rt_set_m_remove(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("set.remove", nargs, kw) < 0) return NULL;
    int rv = rt_set_discard(self, args[0]);
    if (rv < 0) return NULL;
    if (rv == 0) return rt_dict_key_error(args[0]);
    return rt_None;
}

RtValue *rt_set_m_discard(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("set.discard", nargs, kw) < 0) return NULL;
    if (rt_set_discard(self, args[0]) < 0) return NULL;
    return rt_None;
}

RtValue *rt_set_m_pop(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("set.pop", nargs, kw) < 0) return NULL;
    RtSet *so = SO(self);
    if (so->used == 0) {
        RtValue *msg = rt_str_from_cstr("pop from an empty set");
        if (msg) { rt_dict_key_error(msg); rt_decref(msg); }
        return NULL;
    }
    RtSetEntry *entry = so->table + (so->finger & so->mask), *limit = so->table + so->mask;
    while (entry->key == NULL || entry->key == DUMMY) {
        entry++;
        if (entry > limit) entry = so->table;
    }
    RtValue *key = entry->key;
    entry->key = DUMMY;
    entry->hash = -1;
    so->used--;
    so->finger = (size_t)(entry - so->table) + 1;
    return key;
}

RtValue *rt_set_m_clear(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("set.clear", nargs, kw) < 0) return NULL;
    set_clear_internal(SO(self));
    return rt_None;
}

RtValue *rt_set_m_copy(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_arg("copy", nargs, kw) < 0) return NULL;
    if (self->type == &rt_type_frozenset) return rt_newref(self);
    return set_copy(self);
}

RtValue *rt_set_m_update(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("update", kw) < 0) return NULL;
    for (size_t i = 0; i < nargs; i++)
        if (set_update_internal(SO(self), args[i]) < 0) return NULL;
    return rt_None;
}

RtValue *rt_set_m_union(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("union", kw) < 0) return NULL;
    RtValue *result = set_copy(self);
    if (!result) return NULL;
    for (size_t i = 0; i < nargs; i++) {
        if (args[i] == self) continue;
        if (set_update_internal(SO(result), args[i]) < 0) { rt_decref(result); return NULL; }
    }
    return result;
}

RtValue *rt_set_m_intersection(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("intersection", kw) < 0) return NULL;
    if (nargs == 0) return set_copy(self);
    RtValue *result = rt_newref(self);
    for (size_t i = 0; i < nargs; i++) {
        RtValue *r = set_intersection(result, args[i]);
        rt_decref(result);
        if (!r) return NULL;
        result = r;
    }
    return result;
}

RtValue *rt_set_m_intersection_update(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *tmp = rt_set_m_intersection(self, args, nargs, kw);
    if (!tmp) return NULL;
    set_swap_bodies(SO(self), SO(tmp));
    rt_decref(tmp);
    return rt_None;
}

RtValue *rt_set_m_difference(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("difference", kw) < 0) return NULL;
    if (nargs == 0) return set_copy(self);
    RtValue *result = set_difference(self, args[0]);
    for (size_t i = 1; result && i < nargs; i++)
        if (set_difference_update_internal(SO(result), args[i]) < 0) RT_CLEAR(result);
    return result;
}

RtValue *rt_set_m_difference_update(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("difference_update", kw) < 0) return NULL;
    for (size_t i = 0; i < nargs; i++)
        if (set_difference_update_internal(SO(self), args[i]) < 0) return NULL;
    return rt_None;
}

RtValue *rt_set_m_symmetric_difference(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("symmetric_difference", nargs, kw) < 0) return NULL;
    return set_symmetric_difference(self, args[0]);
}

RtValue *rt_set_m_symmetric_difference_update(RtValue *self, RtValue *const *args, size_t nargs,
                                              RtValue *kw) {
    if (one_arg("symmetric_difference_update", nargs, kw) < 0) return NULL;
    if (set_symmetric_difference_update(SO(self), args[0]) < 0) return NULL;
    return rt_None;
}

static RtValue *bool_result(int r) { return r < 0 ? NULL : rt_bool(r); }

RtValue *rt_set_m_issubset(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("issubset", nargs, kw) < 0) return NULL;
    return bool_result(set_issubset(self, args[0]));
}

RtValue *rt_set_m_issuperset(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("issuperset", nargs, kw) < 0) return NULL;
    return bool_result(set_issuperset(self, args[0]));
}

RtValue *rt_set_m_isdisjoint(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (one_arg("isdisjoint", nargs, kw) < 0) return NULL;
    return bool_result(set_isdisjoint(self, args[0]));
}

static int set_contains_slot(RtValue *self, RtValue *key) { return rt_set_contains(self, key); }

/* set(iterable=()) and frozenset(iterable=()). */
static RtValue *set_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    const char *name = type->tag == RT_T_FROZENSET ? "frozenset" : "set";
    if (rt_no_kwargs(name, kw) < 0) return NULL;
    if (nargs > 1)
        return rt_raise_fmt(&rt_exc_TypeError, "%s expected at most 1 argument, got %zu", name, nargs);
    if (type == &rt_type_frozenset) return rt_frozenset_from_iter(nargs ? args[0] : NULL);
    return make_new_set(type, nargs ? args[0] : NULL);
}

static const RtMethodDef set_methods[] = {
    {"add", rt_set_m_add},
    {"remove", rt_set_m_remove},
    {"discard", rt_set_m_discard},
    {"pop", rt_set_m_pop},
    {"clear", rt_set_m_clear},
    {"copy", rt_set_m_copy},
    {"update", rt_set_m_update},
    {"union", rt_set_m_union},
    {"intersection", rt_set_m_intersection},
    {"intersection_update", rt_set_m_intersection_update},
    {"difference", rt_set_m_difference},
    {"difference_update", rt_set_m_difference_update},
    {"symmetric_difference", rt_set_m_symmetric_difference},
    {"symmetric_difference_update", rt_set_m_symmetric_difference_update},
    {"issubset", rt_set_m_issubset},
    {"issuperset", rt_set_m_issuperset},
    {"isdisjoint", rt_set_m_isdisjoint},
    {NULL, NULL},
};

static const RtMethodDef frozenset_methods[] = {
    {"copy", rt_set_m_copy},
    {"union", rt_set_m_union},
    {"intersection", rt_set_m_intersection},
    {"difference", rt_set_m_difference},
    {"symmetric_difference", rt_set_m_symmetric_difference},
    {"issubset", rt_set_m_issubset},
    {"issuperset", rt_set_m_issuperset},
    {"isdisjoint", rt_set_m_isdisjoint},
    {NULL, NULL},
};

RtType rt_type_set = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "set",
    .tag = RT_T_SET,
    .base = &rt_type_object,
    .size = sizeof(RtSet),
    .table_index = -1,
    .dealloc = set_dealloc,
    .repr = set_repr,
    .richcompare = set_richcompare,
    .binop = set_binop,
    .inplace = set_inplace,
    .truthy = set_truthy,
    .len = set_len,
    .contains = set_contains_slot,
    .iter = set_iter,
    .construct = set_construct,
    .methods = set_methods,
};

RtType rt_type_frozenset = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "frozenset",
    .tag = RT_T_FROZENSET,
    .base = &rt_type_object,
    .size = sizeof(RtSet),
    .table_index = -1,
    .dealloc = set_dealloc,
    .repr = set_repr,
    .hash = frozenset_hash,
    .richcompare = set_richcompare,
    .binop = set_binop,
    .truthy = set_truthy,
    .len = set_len,
    .contains = set_contains_slot,
    .iter = set_iter,
    .construct = set_construct,
    .methods = frozenset_methods,
};

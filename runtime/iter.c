/* iter.c: iterators over the built-in sequences, the iterator builtins
 * (enumerate, zip, map, filter, reversed, iter, next), the builtins that
 * consume iterables (len, sorted, sum, min, max, any, all, chr, ord), and
 * the small helpers the container files share (argument parsing, index
 * conversion, the repr recursion guard, the deallocation trashcan).
 *
 * Iterator objects follow CPython's protocol: `iter` returns the iterator
 * itself, `iternext` returns a new reference or NULL without an exception
 * once exhausted, after which the iterator drops its reference to the
 * container. The list iterator is index based, so it sees appends made
 * during the loop, as in CPython.
 */
#include "mp2c.h"

#include <string.h>

/* ==== argument helpers ======================================================== */

int rt_no_kwargs(const char *fname, RtValue *kwnames) {
    if (!kwnames || RT_TUPLE_LEN(kwnames) == 0) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", fname);
    return -1;
}

static int kw_index(const char *const *names, int nmax, RtValue *kwname) {
    for (int j = 0; j < nmax; j++)
        if (strcmp(names[j], rt_str_data(kwname)) == 0) return j;
    return -1;
}

int rt_parse_args(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames,
                  const char *const *names, int nmax, int nreq, int nposonly, int nkwonly,
                  RtValue **out) {
    int npos = nmax - nkwonly;
    for (int j = 0; j < nmax; j++) out[j] = NULL;
    if (nargs > (size_t)npos) {
        if (npos == 0)
            rt_raise_fmt(&rt_exc_TypeError, "%s() takes no positional arguments", fname);
        else
            rt_raise_fmt(&rt_exc_TypeError, "%s() takes at most %d %sargument%s (%zu given)", fname, npos,
                         nkwonly ? "positional " : "", npos == 1 ? "" : "s", nargs);
        return -1;
    }
    for (size_t i = 0; i < nargs; i++) out[i] = args[i];
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    for (size_t i = 0; i < nkw; i++) {
        RtValue *name = RT_TUPLE_GET(kwnames, i);
        int j = kw_index(names, nmax, name);
        if (j < 0 || j < nposonly) {
            if (j >= 0)
                rt_raise_fmt(&rt_exc_TypeError,
                             "%s() got some positional-only arguments passed as keyword arguments: '%s'",
                             fname, rt_str_data(name));
            else
                rt_raise_fmt(&rt_exc_TypeError, "'%s' is an invalid keyword argument for %s()",
                             rt_str_data(name), fname);
            return -1;
        }
        if (out[j]) {
            rt_raise_fmt(&rt_exc_TypeError, "argument for %s() given by name ('%s') and position (%d)",
                         fname, names[j], j + 1);
            return -1;
        }
        out[j] = args[nargs + i];
    }
    for (int j = 0; j < nreq; j++) {
        if (!out[j]) {
            rt_raise_fmt(&rt_exc_TypeError, "%s() missing required argument '%s'", fname, names[j]);
            return -1;
        }
    }
    return 0;
}

int rt_seq_index_arg(RtValue *key, int64_t *out, const char *what) {
    if (key->type == &rt_type_int) {
        if (((RtInt *)key)->big) {
            rt_raise_fmt(&rt_exc_IndexError, "cannot fit '%s' into an index-sized integer", rt_type_name(key));
            return -1;
        }
        *out = ((RtInt *)key)->small;
        return 0;
    }
    if (key == rt_True || key == rt_False) { *out = key == rt_True; return 0; }
    rt_raise_fmt(&rt_exc_TypeError, "%s indices must be integers or slices, not %s", what,
                 rt_type_name(key));
    return -1;
}

/* ==== class methods of native types =============================================== */

int rt_type_add_classmethod(RtType *t, const char *name, RtNativeFn fn) {
    if (!t->dict && !(t->dict = rt_dict_new())) return -1;
    RtValue *b = rt_builtin_new(name, fn, NULL, -1);
    RtValue *cm = b ? rt_call((RtValue *)&rt_type_classmethod, &b, 1, NULL) : NULL;
    rt_xdecref(b);
    int rc = cm ? rt_dict_set_cstr(t->dict, name, cm) : -1;
    rt_xdecref(cm);
    return rc;
}

int rt_type_add_staticmethod(RtType *t, const char *name, RtNativeFn fn) {
    if (!t->dict && !(t->dict = rt_dict_new())) return -1;
    RtValue *b = rt_builtin_new(name, fn, NULL, -1);
    RtValue *sm = b ? rt_call((RtValue *)&rt_type_staticmethod, &b, 1, NULL) : NULL;
    rt_xdecref(b);
    int rc = sm ? rt_dict_set_cstr(t->dict, name, sm) : -1;
    rt_xdecref(sm);
    return rc;
}

RtType *rt_classmethod_target(RtValue *self, RtValue *const **args, size_t *nargs, RtType *dflt) {
    if (self) return self->type == &rt_type_type ? (RtType *)self : self->type;
    if (*nargs > 0 && (*args)[0]->type == &rt_type_type) {
        RtType *t = (RtType *)(*args)[0];
        (*args)++;
        (*nargs)--;
        return t;
    }
    return dflt;
}

/* dict.fromkeys, bytes.fromhex and bytearray.fromhex are class methods. */
__attribute__((constructor)) static void seq_classmethods_init(void) {
    if (rt_type_add_classmethod(&rt_type_dict, "fromkeys", rt_dict_m_fromkeys) < 0 ||
        rt_type_add_classmethod(&rt_type_bytes, "fromhex", rt_bytes_m_fromhex) < 0 ||
        rt_type_add_classmethod(&rt_type_bytearray, "fromhex", rt_bytes_m_fromhex) < 0)
        abort();                              /* out of memory before main */
}

/* ==== the repr recursion guard ================================================ */

static _Thread_local struct { RtValue **items; size_t len, cap; } repr_stack;

/* CPython stops a repr about a thousand levels down (its recursion limit);
 * a script-level print of containers nested deeper than this fails there. */
#define REPR_DEPTH_LIMIT 997

int rt_repr_enter(RtValue *o) {
    for (size_t i = 0; i < repr_stack.len; i++)
        if (repr_stack.items[i] == o) return 1;
    if (repr_stack.len >= REPR_DEPTH_LIMIT) {
        rt_raise(&rt_exc_RecursionError, "maximum recursion depth exceeded while getting the repr of an object");
        return -1;
    }
    if (repr_stack.len == repr_stack.cap) {
        size_t cap = repr_stack.cap ? repr_stack.cap * 2 : 16;
        RtValue **p = rt_realloc(repr_stack.items, cap * sizeof *p);
        if (!p) return -1;
        repr_stack.items = p;
        repr_stack.cap = cap;
    }
    repr_stack.items[repr_stack.len++] = o;
    return 0;
}

void rt_repr_leave(RtValue *o) {
    for (size_t i = repr_stack.len; i-- > 0;) {
        if (repr_stack.items[i] == o) {
            memmove(repr_stack.items + i, repr_stack.items + i + 1, (repr_stack.len - i - 1) * sizeof(RtValue *));
            repr_stack.len--;
            break;
        }
    }
    if (repr_stack.len == 0) {                /* give the memory back between prints */
        rt_free(repr_stack.items);
        repr_stack.items = NULL;
        repr_stack.cap = 0;
    }
}

/* ==== the trashcan ============================================================= */

/* Deallocating a container releases its items, which may deallocate more
 * containers: a list nested 100000 deep would recurse 100000 C frames. Past
 * TRASH_DEPTH nested releases, objects about to die are parked on a stack
 * instead and released by the outermost call, one at a time. */
#define TRASH_DEPTH 50

static _Thread_local struct { RtValue **items; size_t len, cap; int depth; } trash;

static bool is_container(const RtValue *o) {
    switch (o->type->tag) {
    case RT_T_LIST: case RT_T_TUPLE: case RT_T_DICT: case RT_T_SET: case RT_T_FROZENSET:
    case RT_T_INSTANCE: case RT_T_NATIVE: case RT_T_ITER: case RT_T_EXC: case RT_T_FUNC:
    case RT_T_METHOD: case RT_T_CELL:
        return true;
    default:
        return false;
    }
}

/* Parks o (whose last reference we hold) for later; false if out of memory. */
static bool trash_push(RtValue *o) {
    if (trash.len == trash.cap) {
        size_t cap = trash.cap ? trash.cap * 2 : 64;
        RtValue **p = rt_realloc(trash.items, cap * sizeof *p);
        if (!p) return false;
        trash.items = p;
        trash.cap = cap;
    }
    trash.items[trash.len++] = o;
    return true;
}

void rt_release(RtValue *o) {
    if (!o) return;
    if (o->rc != 1 || !is_container(o)) { rt_decref(o); return; }
    if (trash.depth >= TRASH_DEPTH && trash_push(o)) return;
    trash.depth++;
    rt_decref(o);
    trash.depth--;
    if (trash.depth == 0) {
        while (trash.len > 0) {               /* drain at the outermost level */
            RtValue *p = trash.items[--trash.len];
            trash.depth++;
            rt_decref(p);
            trash.depth--;
        }
        rt_free(trash.items);
        trash.items = NULL;
        trash.cap = 0;
    }
}

void rt_release_array(RtValue **items, size_t n) {
    for (size_t i = n; i-- > 0;) {            /* last first, as CPython */
        RtValue *o = items[i];
        if (!o || o->rc == RT_IMMORTAL) continue;
        if (o->rc > 1) { o->rc--; continue; }  /* the common case, inline */
        rt_release(o);
    }
}

/* ==== sequence iterators ======================================================= */

typedef struct SeqIter {
    RtValue  ob;
    RtValue *seq;     /* NULL once exhausted */
    size_t   index;   /* next index, or byte offset for str */
} SeqIter;

#define SI(o) ((SeqIter *)(o))

static void seqiter_dealloc(RtValue *self) { RT_CLEAR(SI(self)->seq); }
static RtValue *self_iter(RtValue *self) { return rt_newref(self); }

static RtValue *seqiter_new(RtType *type, RtValue *seq, size_t index) {
    SeqIter *it = (SeqIter *)rt_obj_alloc(type, sizeof(SeqIter));
    if (!it) return NULL;
    it->seq = rt_newref(seq);
    it->index = index;
    return (RtValue *)it;
}

static RtValue *exhausted(RtValue *self) {
    RT_CLEAR(SI(self)->seq);
    return NULL;
}

static RtValue *listiter_next(RtValue *self) {
    SeqIter *it = SI(self);
    if (!it->seq) return NULL;
    if (it->index < RT_LIST_LEN(it->seq)) return rt_newref(RT_LIST_GET(it->seq, it->index++));
    return exhausted(self);
}

/* The reverse iterator counts down; index is one past the next item. */
static RtValue *listreviter_next(RtValue *self) {
    SeqIter *it = SI(self);
    if (!it->seq) return NULL;
    if (it->index > 0 && it->index <= RT_LIST_LEN(it->seq)) return rt_newref(RT_LIST_GET(it->seq, --it->index));
    return exhausted(self);
}

static RtValue *tupleiter_next(RtValue *self) {
    SeqIter *it = SI(self);
    if (!it->seq) return NULL;
    if (it->index < RT_TUPLE_LEN(it->seq)) return rt_newref(RT_TUPLE_GET(it->seq, it->index++));
    return exhausted(self);
}

/* str iteration walks the UTF-8 bytes; index is a byte offset. */
static RtValue *striter_next(RtValue *self) {
    SeqIter *it = SI(self);
    if (!it->seq) return NULL;
    RtStr *s = (RtStr *)it->seq;
    if (it->index >= s->len) return exhausted(self);
    unsigned char c = (unsigned char)s->data[it->index];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    RtValue *r = rt_str_new_ncp(s->data + it->index, n, 1);
    it->index += n;
    return r;
}

static RtValue *bytesiter_next(RtValue *self) {
    SeqIter *it = SI(self);
    if (!it->seq) return NULL;
    RtValue *b = it->seq;
    size_t len = rt_is_bytes(b) ? ((RtBytes *)b)->len : ((RtByteArray *)b)->len;
    if (it->index >= len) return exhausted(self);
    unsigned char c = rt_is_bytes(b) ? ((RtBytes *)b)->data[it->index] : ((RtByteArray *)b)->data[it->index];
    it->index++;
    return rt_int(c);
}

#define SEQ_ITER_TYPE(var, nm, next)                                                 \
    static RtType var = {.ob = RT_STATIC_HEAD(&rt_type_type), .name = nm,             \
                         .tag = RT_T_ITER, .base = &rt_type_object,                   \
                         .size = sizeof(SeqIter), .table_index = -1,                  \
                         .dealloc = seqiter_dealloc, .iter = self_iter,               \
                         .iternext = next}

SEQ_ITER_TYPE(list_iterator_type, "list_iterator", listiter_next);
SEQ_ITER_TYPE(list_reverseiterator_type, "list_reverseiterator", listreviter_next);
SEQ_ITER_TYPE(tuple_iterator_type, "tuple_iterator", tupleiter_next);
SEQ_ITER_TYPE(str_ascii_iterator_type, "str_ascii_iterator", striter_next);
SEQ_ITER_TYPE(str_iterator_type, "str_iterator", striter_next);
SEQ_ITER_TYPE(bytes_iterator_type, "bytes_iterator", bytesiter_next);
SEQ_ITER_TYPE(bytearray_iterator_type, "bytearray_iterator", bytesiter_next);

RtValue *rt_list_iter_new(RtValue *list, bool reversed) {
    if (reversed) return seqiter_new(&list_reverseiterator_type, list, RT_LIST_LEN(list));
    return seqiter_new(&list_iterator_type, list, 0);
}

RtValue *rt_tuple_iter_new(RtValue *tuple) { return seqiter_new(&tuple_iterator_type, tuple, 0); }

RtValue *rt_str_iter_new(RtValue *str) {
    RtStr *s = (RtStr *)str;
    return seqiter_new(s->ncp == s->len ? &str_ascii_iterator_type : &str_iterator_type, str, 0);
}

RtValue *rt_bytes_iter_new(RtValue *b) {
    return seqiter_new(rt_is_bytes(b) ? &bytes_iterator_type : &bytearray_iterator_type, b, 0);
}

/* ---- range iterator ---- */

typedef struct RangeIter { RtValue ob; int64_t next, step, left; } RangeIter;

static RtValue *rangeiter_next(RtValue *self) {
    RangeIter *it = (RangeIter *)self;
    if (it->left <= 0) return NULL;
    int64_t v = it->next;
    if (--it->left > 0) it->next += it->step;   /* never steps past the last item */
    return rt_int(v);
}

static RtType range_iterator_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "range_iterator",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(RangeIter),
    .table_index = -1,
    .iter = self_iter,
    .iternext = rangeiter_next,
};

RtValue *rt_range_iter_new(RtValue *range, bool reversed) {
    RtRange *r = (RtRange *)range;
    RangeIter *it = (RangeIter *)rt_obj_alloc(&range_iterator_type, sizeof(RangeIter));
    if (!it) return NULL;
    it->left = r->len;
    it->step = reversed ? -r->step : r->step;
    it->next = reversed && r->len ? r->start + (r->len - 1) * r->step : r->start;
    return (RtValue *)it;
}

/* ---- iter(callable, sentinel) ---- */

typedef struct CallIter { RtValue ob; RtValue *func, *sentinel; } CallIter;

static void calliter_dealloc(RtValue *self) {
    RT_CLEAR(((CallIter *)self)->func);
    RT_CLEAR(((CallIter *)self)->sentinel);
}

static RtValue *calliter_next(RtValue *self) {
    CallIter *it = (CallIter *)self;
    if (!it->func) return NULL;
    RtValue *v = rt_call(it->func, NULL, 0, NULL);
    if (!v) {
        if (rt_exc_matches((RtValue *)&rt_exc_StopIteration) == 1) {   /* StopIteration ends it */
            rt_decref(rt_exc_fetch());
            RT_CLEAR(it->func);
        }
        return NULL;
    }
    int eq = rt_eq(v, it->sentinel);
    if (eq == 0) return v;
    rt_decref(v);
    if (eq > 0) RT_CLEAR(it->func);
    return NULL;
}

static RtType callable_iterator_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "callable_iterator",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(CallIter),
    .table_index = -1,
    .dealloc = calliter_dealloc,
    .iter = self_iter,
    .iternext = calliter_next,
};

/* ---- the sequence protocol: iter() of an object with only __getitem__ ---- */

typedef struct GetItemIter { RtValue ob; RtValue *seq; int64_t index; } GetItemIter;

static void getitemiter_dealloc(RtValue *self) { RT_CLEAR(((GetItemIter *)self)->seq); }

/* seq[0], seq[1], ... until IndexError or StopIteration, which end it for good. */
static RtValue *getitemiter_next(RtValue *self) {
    GetItemIter *it = (GetItemIter *)self;
    if (!it->seq) return NULL;
    RtValue *i = rt_int(it->index);
    if (!i) return NULL;
    RtValue *v = rt_getitem(it->seq, i);
    rt_decref(i);
    if (v) {
        it->index++;
        return v;
    }
    if (rt_exc_matches((RtValue *)&rt_exc_IndexError) == 1 || rt_exc_matches((RtValue *)&rt_exc_StopIteration) == 1) {
        rt_decref(rt_exc_fetch());
        RT_CLEAR(it->seq);
    }
    return NULL;
}

static RtType getitem_iterator_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "iterator",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(GetItemIter),
    .table_index = -1,
    .dealloc = getitemiter_dealloc,
    .iter = self_iter,
    .iternext = getitemiter_next,
};

RtValue *rt_seq_iter_new(RtValue *seq) {
    GetItemIter *it = (GetItemIter *)rt_obj_alloc(&getitem_iterator_type, sizeof(GetItemIter));
    if (!it) return NULL;
    it->seq = rt_newref(seq);
    return (RtValue *)it;
}

/* ==== enumerate ================================================================== */

typedef struct Enumerate {
    RtValue  ob;
    RtValue *it;
    int64_t  index;
    RtValue *big_index;   /* the count once it no longer fits int64_t, else NULL */
} Enumerate;

static void enumerate_dealloc(RtValue *self) {
    RT_CLEAR(((Enumerate *)self)->it);
    RT_CLEAR(((Enumerate *)self)->big_index);
}

static RtValue *enumerate_next(RtValue *self) {
    Enumerate *e = (Enumerate *)self;
    RtValue *v = rt_iter_next(e->it);
    if (!v) return NULL;
    RtValue *idx;
    if (!e->big_index && e->index < INT64_MAX) {
        idx = rt_int(e->index++);
    } else {                                   /* continue in arbitrary precision */
        if (!e->big_index) e->big_index = rt_int(e->index);
        idx = e->big_index ? rt_newref(e->big_index) : NULL;
        RtValue *one = rt_int(1);
        RtValue *nx = idx ? rt_binop(e->big_index, one, RT_ADD) : NULL;
        rt_decref(one);
        if (nx) RT_SETREF(e->big_index, nx);
        else RT_CLEAR(idx);
    }
    if (!idx) { rt_decref(v); return NULL; }
    RtValue *t = rt_tuple_new(2);
    if (!t) { rt_decref(idx); rt_decref(v); return NULL; }
    RT_TUPLE_SET(t, 0, idx);
    RT_TUPLE_SET(t, 1, v);
    return t;
}

/* enumerate(iterable, start=0) */
static RtValue *enumerate_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"iterable", "start"};
    RtValue *a[2];
    (void)type;
    if (rt_parse_args("enumerate", args, nargs, kw, names, 2, 1, 0, 0, a) < 0) return NULL;
    int64_t start = 0;
    RtValue *big = NULL;
    if (a[1]) {
        if (!rt_is_int(a[1]))
            return rt_raise_fmt(&rt_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                                rt_type_name(a[1]));
        if (a[1]->type == &rt_type_int && ((RtInt *)a[1])->big) big = a[1];
        else if (rt_int_as_i64(a[1], &start) < 0) return NULL;
    }
    RtValue *it = rt_iter(a[0]);
    if (!it) return NULL;
    Enumerate *e = (Enumerate *)rt_obj_alloc(&rt_type_enumerate, sizeof(Enumerate));
    if (!e) { rt_decref(it); return NULL; }
    e->it = it;
    e->index = start;
    e->big_index = big ? rt_newref(big) : NULL;
    return (RtValue *)e;
}

RtType rt_type_enumerate = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "enumerate",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Enumerate),
    .table_index = -1,
    .dealloc = enumerate_dealloc,
    .iter = self_iter,
    .iternext = enumerate_next,
    .construct = enumerate_construct,
};

RtValue *rt_bi_enumerate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return enumerate_construct(&rt_type_enumerate, args, nargs, kw);
}

/* ==== zip ======================================================================== */

typedef struct Zip {
    RtValue  ob;
    size_t   n;
    bool     strict;
    bool     done;
    RtValue *its[];
} Zip;

static void zip_dealloc(RtValue *self) {
    Zip *z = (Zip *)self;
    for (size_t i = 0; i < z->n; i++) RT_CLEAR(z->its[i]);
}

/* strict=True: the first iterator that ends must find all others ended too. */
static RtValue *zip_strict_check(Zip *z, size_t i) {
    if (i > 0) {
        return rt_raise_fmt(&rt_exc_ValueError, "zip() argument %zu is shorter than argument%s%zu",
                            i + 1, i == 1 ? " " : "s 1-", i);
    }
    for (size_t k = 1; k < z->n; k++) {
        RtValue *v = rt_iter_next(z->its[k]);
        if (v) {
            rt_decref(v);
            return rt_raise_fmt(&rt_exc_ValueError, "zip() argument %zu is longer than argument%s%zu",
                                k + 1, k == 1 ? " " : "s 1-", k);
        }
        if (RT_ERR()) return NULL;
    }
    return NULL;
}

static RtValue *zip_next(RtValue *self) {
    Zip *z = (Zip *)self;
    if (z->done || z->n == 0) return NULL;
    RtValue *t = rt_tuple_new(z->n);
    if (!t) return NULL;
    for (size_t i = 0; i < z->n; i++) {
        RtValue *v = rt_iter_next(z->its[i]);
        if (!v) {
            z->done = true;
            rt_decref(t);                     /* unfilled slots are NULL: released safely */
            if (!RT_ERR() && z->strict) return zip_strict_check(z, i);
            return NULL;
        }
        RT_TUPLE_SET(t, i, v);
    }
    return t;
}

/* zip(*iterables, strict=False) */
static RtValue *zip_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    bool strict = false;
    size_t nkw = kw ? RT_TUPLE_LEN(kw) : 0;
    for (size_t i = 0; i < nkw; i++) {
        if (strcmp(rt_str_data(RT_TUPLE_GET(kw, i)), "strict") != 0)
            return rt_raise_fmt(&rt_exc_TypeError, "'%s' is an invalid keyword argument for zip()",
                                rt_str_data(RT_TUPLE_GET(kw, i)));
        int t = rt_truthy(args[nargs + i]);
        if (t < 0) return NULL;
        strict = t;
    }
    Zip *z = (Zip *)rt_obj_alloc(&rt_type_zip, sizeof(Zip) + nargs * sizeof(RtValue *));
    if (!z) return NULL;
    z->strict = strict;
    for (size_t i = 0; i < nargs; i++) {
        RtValue *it = rt_iter(args[i]);
        if (!it) { rt_decref((RtValue *)z); return NULL; }
        z->its[z->n++] = it;
    }
    return (RtValue *)z;
}

RtType rt_type_zip = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "zip",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Zip),
    .table_index = -1,
    .dealloc = zip_dealloc,
    .iter = self_iter,
    .iternext = zip_next,
    .construct = zip_construct,
};

RtValue *rt_bi_zip(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return zip_construct(&rt_type_zip, args, nargs, kw);
}

/* ==== map ======================================================================== */

typedef struct Map {
    RtValue  ob;
    RtValue *func;
    size_t   n;
    RtValue *its[];
} Map;

static void map_dealloc(RtValue *self) {
    Map *m = (Map *)self;
    RT_CLEAR(m->func);
    for (size_t i = 0; i < m->n; i++) RT_CLEAR(m->its[i]);
}

static RtValue *map_next(RtValue *self) {
    Map *m = (Map *)self;
    RtValue *small[4], **argv = m->n <= 4 ? small : rt_malloc(m->n * sizeof(RtValue *));
    if (!argv) return NULL;
    size_t got = 0;
    RtValue *r = NULL;
    for (; got < m->n; got++) {
        argv[got] = rt_iter_next(m->its[got]);
        if (!argv[got]) break;
    }
    if (got == m->n) r = rt_call(m->func, argv, m->n, NULL);
    for (size_t i = 0; i < got; i++) rt_decref(argv[i]);
    if (argv != small) rt_free(argv);
    return r;
}

/* map(func, *iterables) */
static RtValue *map_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    if (rt_no_kwargs("map", kw) < 0) return NULL;
    if (nargs < 2) return rt_raise(&rt_exc_TypeError, "map() must have at least two arguments.");
    Map *m = (Map *)rt_obj_alloc(&rt_type_map, sizeof(Map) + (nargs - 1) * sizeof(RtValue *));
    if (!m) return NULL;
    m->func = rt_newref(args[0]);
    for (size_t i = 1; i < nargs; i++) {
        RtValue *it = rt_iter(args[i]);
        if (!it) { rt_decref((RtValue *)m); return NULL; }
        m->its[m->n++] = it;
    }
    return (RtValue *)m;
}

RtType rt_type_map = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "map",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Map),
    .table_index = -1,
    .dealloc = map_dealloc,
    .iter = self_iter,
    .iternext = map_next,
    .construct = map_construct,
};

RtValue *rt_bi_map(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return map_construct(&rt_type_map, args, nargs, kw);
}

/* ==== filter ===================================================================== */

typedef struct Filter { RtValue ob; RtValue *func; RtValue *it; } Filter;

static void filter_dealloc(RtValue *self) {
    RT_CLEAR(((Filter *)self)->func);
    RT_CLEAR(((Filter *)self)->it);
}

static RtValue *filter_next(RtValue *self) {
    Filter *f = (Filter *)self;
    RtValue *v;
    while ((v = rt_iter_next(f->it)) != NULL) {
        int ok;
        if (f->func == rt_None) {
            ok = rt_truthy(v);
        } else {
            RtValue *r = rt_call(f->func, &v, 1, NULL);
            ok = r ? rt_truthy(r) : -1;
            rt_xdecref(r);
        }
        if (ok > 0) return v;
        rt_decref(v);
        if (ok < 0) return NULL;
    }
    return NULL;
}

/* filter(function or None, iterable) */
static RtValue *filter_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    if (rt_no_kwargs("filter", kw) < 0) return NULL;
    if (nargs != 2) return rt_raise_fmt(&rt_exc_TypeError, "filter expected 2 arguments, got %zu", nargs);
    RtValue *it = rt_iter(args[1]);
    if (!it) return NULL;
    Filter *f = (Filter *)rt_obj_alloc(&rt_type_filter, sizeof(Filter));
    if (!f) { rt_decref(it); return NULL; }
    f->func = rt_newref(args[0]);
    f->it = it;
    return (RtValue *)f;
}

RtType rt_type_filter = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "filter",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Filter),
    .table_index = -1,
    .dealloc = filter_dealloc,
    .iter = self_iter,
    .iternext = filter_next,
    .construct = filter_construct,
};

RtValue *rt_bi_filter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return filter_construct(&rt_type_filter, args, nargs, kw);
}

/* ==== reversed =================================================================== */

/* The generic reversed object: walks a sequence backwards by index. */
typedef struct Reversed { RtValue ob; RtValue *seq; int64_t index; } Reversed;

static void reversed_dealloc(RtValue *self) { RT_CLEAR(((Reversed *)self)->seq); }

static RtValue *reversed_next(RtValue *self) {
    Reversed *r = (Reversed *)self;
    if (!r->seq || r->index < 0) { RT_CLEAR(r->seq); return NULL; }
    RtValue *seq = r->seq, *v;
    int64_t i = r->index--;
    if (rt_is_tuple(seq) && (uint64_t)i < RT_TUPLE_LEN(seq)) return rt_newref(RT_TUPLE_GET(seq, i));
    if (rt_is_str(seq) && (uint64_t)i < ((RtStr *)seq)->ncp) return rt_str_getitem_cp(seq, (size_t)i);
    RtValue *idx = rt_int(i);
    if (!idx) return NULL;
    v = rt_getitem(seq, idx);
    rt_decref(idx);
    if (!v && (rt_exc_matches((RtValue *)&rt_exc_IndexError) == 1 ||
               rt_exc_matches((RtValue *)&rt_exc_StopIteration) == 1)) {
        rt_decref(rt_exc_fetch());
        RT_CLEAR(r->seq);
    }
    return v;
}

static RtValue *reversed_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    if (rt_no_kwargs("reversed", kw) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "reversed expected 1 argument, got %zu", nargs);
    RtValue *seq = args[0];
    if (rt_is_list(seq)) return rt_list_iter_new(seq, true);
    if (seq->type == &rt_type_range) return rt_range_iter_new(seq, true);
    RtValue *d = rt_dict_reversed(seq);
    if (d || RT_ERR()) return d;
    if (!rt_is_tuple(seq) && !rt_is_str(seq) && !rt_is_bytes(seq) && !rt_is_bytearray(seq)) {
        RtValue *meth = rt_getattr_opt(seq, "__reversed__");
        if (meth) {
            RtValue *r = rt_call(meth, NULL, 0, NULL);
            rt_decref(meth);
            return r;
        }
        if (RT_ERR()) return NULL;
        if (!seq->type->len || !seq->type->getitem || rt_is_dict_like(seq))
            return rt_raise_fmt(&rt_exc_TypeError, "'%s' object is not reversible", rt_type_name(seq));
    }
    int64_t n = rt_len(seq);
    if (n < 0) return NULL;
    Reversed *r = (Reversed *)rt_obj_alloc(&rt_type_reversed, sizeof(Reversed));
    if (!r) return NULL;
    r->seq = rt_newref(seq);
    r->index = n - 1;
    return (RtValue *)r;
}

RtType rt_type_reversed = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "reversed",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Reversed),
    .table_index = -1,
    .dealloc = reversed_dealloc,
    .iter = self_iter,
    .iternext = reversed_next,
    .construct = reversed_construct,
};

RtValue *rt_bi_reversed(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return reversed_construct(&rt_type_reversed, args, nargs, kw);
}

/* ==== builtins ================================================================= */

RtValue *rt_bi_len(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_no_kwargs("len", kw) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "len() takes exactly one argument (%zu given)", nargs);
    int64_t n = rt_len(args[0]);
    return n < 0 ? NULL : rt_int(n);
}

/* sorted(iterable, /, *, key=None, reverse=False) */
RtValue *rt_bi_sorted(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "sorted expected 1 argument, got %zu", nargs);
    RtValue *list = rt_list_from_iter(args[0]);
    if (!list) return NULL;
    RtValue *r = rt_list_m_sort(list, args + 1, 0, kw);
    if (!r) { rt_decref(list); return NULL; }
    rt_decref(r);
    return list;
}

/* sum over a list or tuple of small ints (int64 accumulation) or of floats
 * and small ints (double accumulation, as CPython 3.11's plain adds); any
 * other item, or an overflow, gives NotImplemented and the general loop
 * below starts over (sum has no side effects on these types). */
static RtValue *sum_array(RtValue *seq, RtValue *start) {
    size_t n = rt_is_list(seq) ? RT_LIST_LEN(seq) : RT_TUPLE_LEN(seq);
    RtValue *const *items = rt_is_list(seq) ? ((RtList *)seq)->items : ((RtTuple *)seq)->items;
    int64_t acc = 0;
    size_t i = 0;
    if (!start || (start->type == &rt_type_int && !((RtInt *)start)->big)) {
        acc = start ? ((RtInt *)start)->small : 0;
        for (; i < n; i++) {
            RtValue *x = items[i];
            if (x->type != &rt_type_int || ((RtInt *)x)->big) break;
            if (__builtin_add_overflow(acc, ((RtInt *)x)->small, &acc)) return rt_NotImplemented;
        }
        if (i == n) return rt_int(acc);
        if (items[i]->type != &rt_type_float) return rt_NotImplemented;
    } else if (start->type != &rt_type_float) {
        return rt_NotImplemented;
    }
    /* from here on floats: int + float first, as CPython's loop does */
    double f = start && start->type == &rt_type_float && i == 0 ? rt_float_val(start) : (double)acc;
    for (; i < n; i++) {
        RtValue *x = items[i];
        if (x->type == &rt_type_float) f += rt_float_val(x);
        else if (x->type == &rt_type_int && !((RtInt *)x)->big) f += (double)((RtInt *)x)->small;
        else return rt_NotImplemented;
    }
    return rt_float(f);
}

/* sum(iterable, /, start=0): int64 accumulation while it fits, then float
 * accumulation while items are floats or small ints (plain double adds, as
 * CPython 3.11), then the generic + for everything else. */
RtValue *rt_bi_sum(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"iterable", "start"};
    RtValue *a[2];
    (void)self;
    size_t total = nargs + (kw ? RT_TUPLE_LEN(kw) : 0);
    if (nargs == 0 && total <= 2)
        return rt_raise(&rt_exc_TypeError, "sum() takes at least 1 positional argument (0 given)");
    if (total > 2) return rt_raise_fmt(&rt_exc_TypeError, "sum() takes at most 2 arguments (%zu given)", total);
    if (rt_parse_args("sum", args, nargs, kw, names, 2, 1, 1, 0, a) < 0) return NULL;
    RtValue *result = a[1] ? a[1] : NULL;
    if (result && (rt_is_str(result) || rt_is_bytes(result) || rt_is_bytearray(result))) {
        return rt_raise_fmt(&rt_exc_TypeError, rt_is_str(result)
                                ? "sum() can't sum strings [use ''.join(seq) instead]"
                                : rt_is_bytes(result) ? "sum() can't sum bytes [use b''.join(seq) instead]"
                                                      : "sum() can't sum bytearray [use b''.join(seq) instead]");
    }
    if ((rt_is_list(a[0]) || rt_is_tuple(a[0])) && (!result || rt_is_int(result) || rt_is_float(result))) {
        RtValue *r = sum_array(a[0], result);
        if (r != rt_NotImplemented) return r;
    }
    RtValue *it = rt_iter(a[0]);
    if (!it) return NULL;
    RtValue *item = NULL;
    result = result ? rt_newref(result) : rt_int(0);
    if (result->type == &rt_type_int && !((RtInt *)result)->big) {
        int64_t acc = ((RtInt *)result)->small;
        while ((item = rt_iter_next(it)) != NULL) {
            int64_t b;
            if (item->type == &rt_type_int && !((RtInt *)item)->big) b = ((RtInt *)item)->small;
            else if (item == rt_True || item == rt_False) b = item == rt_True;
            else break;
            int64_t sum;
            if (__builtin_add_overflow(acc, b, &sum)) break;   /* acc keeps the last good value */
            acc = sum;
            rt_decref(item);
        }
        rt_decref(result);
        result = rt_int(acc);
        if (item) {                           /* overflowed or not an int: generic add */
            RtValue *r = rt_binop(result, item, RT_ADD);
            rt_decref(item);
            rt_decref(result);
            result = r;
            if (!r) goto fail;
        } else if (RT_ERR()) {
            goto fail;
        } else {
            rt_decref(it);
            return result;
        }
    }
    if (result->type == &rt_type_float) {
        double acc = rt_float_val(result);
        while ((item = rt_iter_next(it)) != NULL) {
            if (item->type == &rt_type_float) acc += rt_float_val(item);
            else if (item->type == &rt_type_int && !((RtInt *)item)->big) acc += (double)((RtInt *)item)->small;
            else if (item == rt_True || item == rt_False) acc += item == rt_True;
            else break;
            rt_decref(item);
        }
        rt_decref(result);
        result = rt_float(acc);
        if (!item) {
            if (RT_ERR()) goto fail;
            rt_decref(it);
            return result;
        }
        RtValue *r = rt_binop(result, item, RT_ADD);
        rt_decref(item);
        rt_decref(result);
        result = r;
        if (!r) goto fail;
    }
    while ((item = rt_iter_next(it)) != NULL) {
        RtValue *r = rt_binop(result, item, RT_ADD);
        rt_decref(item);
        rt_decref(result);
        result = r;
        if (!r) goto fail;
    }
    rt_decref(it);
    if (RT_ERR()) { rt_decref(result); return NULL; }
    return result;
fail:
    rt_decref(it);
    return NULL;
}

/* min/max: min(iterable, *[, default=obj, key=func]) or min(a, b, *args[, key]). */
static RtValue *min_max(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw, RtCmpOp op) {
    RtValue *key = NULL, *dflt = NULL;
    size_t nkw = kw ? RT_TUPLE_LEN(kw) : 0;
    for (size_t i = 0; i < nkw; i++) {
        const char *k = rt_str_data(RT_TUPLE_GET(kw, i));
        if (!strcmp(k, "key")) key = args[nargs + i];
        else if (!strcmp(k, "default")) dflt = args[nargs + i];
        else return rt_raise_fmt(&rt_exc_TypeError, "'%s' is an invalid keyword argument for %s()", k, fname);
    }
    if (nargs == 0) return rt_raise_fmt(&rt_exc_TypeError, "%s expected at least 1 argument, got 0", fname);
    if (nargs > 1 && dflt)
        return rt_raise_fmt(&rt_exc_TypeError,
                            "Cannot specify a default for %s() with multiple positional arguments", fname);
    if (key == rt_None) key = NULL;
    RtValue *src = nargs == 1 ? args[0] : NULL;
    RtValue *tuple = NULL;
    if (!src) {
        tuple = rt_tuple_from_array(args, nargs);
        if (!tuple) return NULL;
        src = tuple;
    }
    RtValue *it = rt_iter(src);
    rt_xdecref(tuple);
    if (!it) return NULL;
    RtValue *best = NULL, *best_key = NULL, *item;
    while ((item = rt_iter_next(it)) != NULL) {
        RtValue *k = key ? rt_call(key, &item, 1, NULL) : rt_newref(item);
        if (!k) { rt_decref(item); goto fail; }
        if (!best) { best = item; best_key = k; continue; }
        int better = rt_compare_bool(k, best_key, op);
        if (better < 0) { rt_decref(item); rt_decref(k); goto fail; }
        if (better) {
            RT_SETREF(best, item);
            RT_SETREF(best_key, k);
        } else {
            rt_decref(item);
            rt_decref(k);
        }
    }
    if (RT_ERR()) goto fail;
    rt_decref(it);
    rt_xdecref(best_key);
    if (best) return best;
    if (dflt) return rt_newref(dflt);
    return rt_raise_fmt(&rt_exc_ValueError, "%s() arg is an empty sequence", fname);
fail:
    rt_decref(it);
    rt_xdecref(best);
    rt_xdecref(best_key);
    return NULL;
}

RtValue *rt_bi_min(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return min_max("min", args, nargs, kw, RT_LT);
}

RtValue *rt_bi_max(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return min_max("max", args, nargs, kw, RT_GT);
}

/* any/all: stop at the first item whose truth is `stop_on`. */
static RtValue *any_all(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw, int stop_on) {
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly one argument (%zu given)", fname, nargs);
    RtValue *it = rt_iter(args[0]);
    if (!it) return NULL;
    RtValue *v;
    while ((v = rt_iter_next(it)) != NULL) {
        int t = rt_truthy(v);
        rt_decref(v);
        if (t < 0) { rt_decref(it); return NULL; }
        if (t == stop_on) { rt_decref(it); return rt_bool(stop_on); }
    }
    rt_decref(it);
    if (RT_ERR()) return NULL;
    return rt_bool(!stop_on);
}

RtValue *rt_bi_any(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return any_all("any", args, nargs, kw, 1);
}

RtValue *rt_bi_all(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return any_all("all", args, nargs, kw, 0);
}

/* iter(object) / iter(callable, sentinel) */
RtValue *rt_bi_iter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_no_kwargs("iter", kw) < 0) return NULL;
    if (nargs < 1 || nargs > 2)
        return rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "iter expected at least 1 argument, got %zu"
                                                         : "iter expected at most 2 arguments, got %zu",
                            nargs);
    if (nargs == 1) return rt_iter(args[0]);
    CallIter *it = (CallIter *)rt_obj_alloc(&callable_iterator_type, sizeof(CallIter));
    if (!it) return NULL;
    it->func = rt_newref(args[0]);
    it->sentinel = rt_newref(args[1]);
    return (RtValue *)it;
}

/* next(iterator[, default]) */
RtValue *rt_bi_next(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_no_kwargs("next", kw) < 0) return NULL;
    if (nargs < 1 || nargs > 2)
        return rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "next expected at least 1 argument, got %zu"
                                                         : "next expected at most 2 arguments, got %zu",
                            nargs);
    if (!args[0]->type->iternext && args[0]->type->tag != RT_T_INSTANCE)
        return rt_raise_fmt(&rt_exc_TypeError, "'%s' object is not an iterator", rt_type_name(args[0]));
    RtValue *v = rt_iter_next(args[0]);
    if (v || RT_ERR()) return v;
    if (nargs == 2) return rt_newref(args[1]);
    return rt_raise_stop_iteration(args[0]);
}

RtValue *rt_bi_chr(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_no_kwargs("chr", kw) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "chr() takes exactly one argument (%zu given)", nargs);
    int64_t c;
    if (rt_index_as_i64(args[0], &c) < 0) {
        if (rt_is_int(args[0]) && rt_exc_matches((RtValue *)&rt_exc_OverflowError) == 1) {
            rt_decref(rt_exc_fetch());
            return rt_raise(&rt_exc_OverflowError, "Python int too large to convert to C int");
        }
        return NULL;
    }
    if (c < 0 || c > 0x10FFFF) return rt_raise(&rt_exc_ValueError, "chr() arg not in range(0x110000)");
    if (c >= 0xD800 && c <= 0xDFFF)
        return rt_raise(&rt_exc_ValueError, "chr() of a surrogate is not supported by mp2c");
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cp(&b, (uint32_t)c);
    return rt_strbuf_finish(&b);
}

RtValue *rt_bi_ord(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_no_kwargs("ord", kw) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "ord() takes exactly one argument (%zu given)", nargs);
    RtValue *o = args[0];
    if (rt_is_str(o)) {
        RtStr *s = (RtStr *)o;
        if (s->ncp != 1)
            return rt_raise_fmt(&rt_exc_TypeError, "ord() expected a character, but string of length %zu found",
                                s->ncp);
        const unsigned char *p = (const unsigned char *)s->data;
        uint32_t c = p[0];
        if (c >= 0xF0) c = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        else if (c >= 0xE0) c = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        else if (c >= 0x80) c = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        return rt_int(c);
    }
    if (rt_is_bytes(o) || rt_is_bytearray(o)) {
        size_t n = rt_is_bytes(o) ? ((RtBytes *)o)->len : ((RtByteArray *)o)->len;
        if (n != 1)
            return rt_raise_fmt(&rt_exc_TypeError, "ord() expected a character, but string of length %zu found", n);
        return rt_int(rt_is_bytes(o) ? ((RtBytes *)o)->data[0] : ((RtByteArray *)o)->data[0]);
    }
    return rt_raise_fmt(&rt_exc_TypeError, "ord() expected string of length 1, but %s found", rt_type_name(o));
}

/* ==== repr into a buffer ========================================================== */

int rt_strbuf_put_repr(RtStrBuf *b, RtValue *o) {
    RtType *t = o->type;
    if (t == &rt_type_str) return rt_str_repr_into(b, rt_str_data(o), rt_str_nbytes(o));
    if (t == &rt_type_int && !((RtInt *)o)->big) {
        char buf[24];
        return rt_strbuf_put_ascii(b, buf, rt_i64_repr(((RtInt *)o)->small, buf));
    }
    if (t == &rt_type_float) {
        char buf[40];
        return rt_strbuf_put_ascii(b, buf, rt_f64_repr(rt_float_val(o), buf, sizeof buf));
    }
    if (o == rt_None) return rt_strbuf_put_ascii(b, "None", 4);
    if (o == rt_True) return rt_strbuf_put_ascii(b, "True", 4);
    if (o == rt_False) return rt_strbuf_put_ascii(b, "False", 5);
    if (t == &rt_type_list) return rt_list_repr_into(b, o);
    if (t == &rt_type_tuple) return rt_tuple_repr_into(b, o);
    if (t == &rt_type_dict) return rt_dict_repr_into(b, o);
    if (t == &rt_type_set || t == &rt_type_frozenset) return rt_set_repr_into(b, o);
    if (t == &rt_type_bytes) return rt_bytes_repr_into(b, ((RtBytes *)o)->data, ((RtBytes *)o)->len);
    RtValue *r = rt_repr(o);
    if (!r) { b->failed = true; return -1; }
    int rc = rt_strbuf_put_str(b, r);
    rt_decref(r);
    return rc;
}

int rt_strbuf_put_strof(RtStrBuf *b, RtValue *o) {
    if (o->type == &rt_type_str) return rt_strbuf_put_str(b, o);
    if (o->type == &rt_type_int || o->type == &rt_type_float || o->type == &rt_type_bool || o == rt_None)
        return rt_strbuf_put_repr(b, o);
    RtValue *r = rt_str(o);
    if (!r) { b->failed = true; return -1; }
    int rc = rt_strbuf_put_str(b, r);
    rt_decref(r);
    return rc;
}

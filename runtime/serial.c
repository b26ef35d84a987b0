/* serial.c: the serializer behind Pipe, Queue and Pool.
 *
 * A message is one value written as a tag byte followed by its payload;
 * lengths and integers are LEB128 (integers zigzag-encoded first). Each
 * writer w_X has a mirror reader r_X. Containers recurse, with a depth limit
 * at the point where CPython's pickle gives up, so a deeply nested value
 * raises RecursionError instead of overflowing the C stack.
 *
 * Key idea: nothing that names code travels as a pointer. Functions and
 * script classes are indexes into the program's tables (rt_program); builtin
 * types have fixed ids; native types and builtin functions, which are static
 * objects of the executable, travel as their offset from the start of the
 * executable image. Every process of a program runs the same executable
 * (fork, or re-exec under spawn), so an offset names the same object in all
 * of them even with address-space randomization.
 *
 * Shared references are preserved as pickle's memo does: an object that may
 * be referenced more than once (refcount > 1: an object with a single
 * reference can appear only once in the graph) is announced with T_MEMO and
 * numbered in order of appearance; later occurrences are T_REF n. The reader
 * numbers in the same order, registering mutable containers before their
 * items so that self-references resolve.
 */
#include "mp2c.h"

#include <gmp.h>
#include <stdio.h>
#include <string.h>

/* Deepest container nesting accepted (pickle fails at about this depth when
 * called from module level). */
#define MAX_DEPTH 500

enum {
    T_NONE = 1, T_TRUE, T_FALSE, T_INT, T_BIGINT, T_FLOAT, T_COMPLEX,
    T_STR, T_BYTES, T_BYTEARRAY, T_TUPLE, T_LIST, T_DICT, T_SET, T_FROZENSET,
    T_RANGE, T_BTYPE, T_CLASS, T_STATIC, T_FUNC, T_BUILTIN, T_METHOD, T_EXC,
    T_INST, T_NATIVE, T_DICTSUB, T_ELLIPSIS, T_NOTIMPL,
    T_DYNTYPE,  /* a type made at run time (namedtuple), by module and name */
    T_TUPLESUB, /* an instance of a tuple subtype: type, then the items */
    T_DESCR,    /* a native type's unbound method (str.upper): the def, then the type */
    T_GLOBAL,   /* a function sent by its module-level name (uleb index in globals) */
    T_CLOSURE,  /* a lambda or nested function, by value (thread executors only) */
    T_MEMO,   /* prefix: the next value gets the next memo number */
    T_REF     /* uleb memo number */
};

/* ==== the buffer ============================================================== */

int rt_buf_reserve(RtBuf *b, size_t extra) {
    if (b->cap - b->len >= extra) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2) { rt_raise(&rt_exc_MemoryError, ""); return -1; }
        cap *= 2;
    }
    unsigned char *p = rt_realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

void rt_buf_free(RtBuf *b) {
    rt_free(b->data);
    b->data = NULL;
    b->len = b->cap = b->pos = 0;
}

int rt_buf_put_u8(RtBuf *b, unsigned v) {
    if (RT_UNLIKELY(b->len == b->cap) && rt_buf_reserve(b, 1) < 0) return -1;
    b->data[b->len++] = (unsigned char)v;
    return 0;
}

int rt_buf_put_uleb(RtBuf *b, uint64_t v) {
    if (rt_buf_reserve(b, 10) < 0) return -1;
    do {
        unsigned char byte = v & 0x7f;
        v >>= 7;
        b->data[b->len++] = byte | (v ? 0x80 : 0);
    } while (v);
    return 0;
}

int rt_buf_put_sleb(RtBuf *b, int64_t v) {
    /* zigzag: small magnitudes of either sign stay short */
    return rt_buf_put_uleb(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

int rt_buf_put_bytes(RtBuf *b, const void *p, size_t n) {
    if (rt_buf_reserve(b, n) < 0) return -1;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static int truncated(void) {
    rt_raise(&rt_exc_ValueError, "serialized data was truncated");
    return -1;
}

int rt_buf_get_u8(RtBuf *b, unsigned *v) {
    if (RT_UNLIKELY(b->pos >= b->len)) return truncated();
    *v = b->data[b->pos++];
    return 0;
}

int rt_buf_get_uleb(RtBuf *b, uint64_t *v) {
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (RT_UNLIKELY(b->pos >= b->len)) return truncated();
        unsigned char byte = b->data[b->pos++];
        r |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) { *v = r; return 0; }
    }
    rt_raise(&rt_exc_ValueError, "serialized data is malformed (LEB128 too long)");
    return -1;
}

int rt_buf_get_sleb(RtBuf *b, int64_t *v) {
    uint64_t u;
    if (rt_buf_get_uleb(b, &u) < 0) return -1;
    *v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return 0;
}

int rt_buf_get_bytes(RtBuf *b, size_t n, const unsigned char **p) {
    if (RT_UNLIKELY(b->len - b->pos < n)) return truncated();
    *p = b->data + b->pos;
    b->pos += n;
    return 0;
}

/* ==== static objects by image offset =========================================== */

/* The bounds of the executable image, provided by the GNU linker. */
extern char __executable_start[], _end[];

static bool in_image(const void *p) {
    return (const char *)p >= __executable_start && (const char *)p < _end;
}

static int put_image_ref(RtBuf *b, const void *p) {
    return rt_buf_put_uleb(b, (uint64_t)((uintptr_t)p - (uintptr_t)__executable_start));
}

static int get_image_ref(RtBuf *b, void **p) {
    uint64_t off;
    if (rt_buf_get_uleb(b, &off) < 0) return -1;
    if (off >= (uint64_t)(_end - __executable_start)) {
        rt_raise(&rt_exc_ValueError, "serialized data is malformed (bad static reference)");
        return -1;
    }
    *p = __executable_start + off;
    return 0;
}

/* ==== builtin types by fixed id ================================================== */

#define EXC_ENTRY(cname, base, mod, pyname) &rt_exc_##cname,
static RtType *const builtin_types[] = {
    &rt_type_type, &rt_type_object, &rt_type_NoneType, &rt_type_bool,
    &rt_type_int, &rt_type_float, &rt_type_complex, &rt_type_str,
    &rt_type_bytes, &rt_type_bytearray, &rt_type_list, &rt_type_tuple,
    &rt_type_dict, &rt_type_set, &rt_type_frozenset, &rt_type_range,
    &rt_type_slice, &rt_type_function, &rt_type_builtin, &rt_type_method,
    &rt_type_cell, &rt_type_ellipsis, &rt_type_NotImplementedType,
    RT_EXC_TYPES(EXC_ENTRY)
};
#undef EXC_ENTRY
#define NBUILTIN_TYPES (sizeof builtin_types / sizeof builtin_types[0])

static int builtin_type_id(const RtType *t) {
    for (size_t i = 0; i < NBUILTIN_TYPES; i++)
        if (builtin_types[i] == t) return (int)i;
    return -1;
}

/* ==== writer state ================================================================ */

typedef struct Writer {
    RtBuf    *buf;
    RtValue **keys;        /* memo: open addressing on the object's address */
    uint32_t *ids;
    size_t    cap, n;
    uint32_t  next_id;     /* memo numbers handed out (T_MEMO prefixes written) */
    int       depth;
    bool      spawning;
    int      *fds;         /* rt_ser_pass_fd */
    size_t    nfds, fdcap;
} Writer;

typedef struct Reader {
    RtBuf    *buf;
    RtValue **memo;        /* owned references; NULL = announced, not built yet */
    size_t    n, cap;
    int       depth;
} Reader;

static _Thread_local Writer *cur_writer;
static _Thread_local Reader *cur_reader;

static size_t ptr_hash(const void *p, size_t mask) {
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & mask;
}

static int memo_grow(Writer *w) {
    size_t cap = w->cap ? w->cap * 2 : 64;
    RtValue **keys = rt_calloc(cap, sizeof *keys);
    uint32_t *ids = rt_malloc(cap * sizeof *ids);
    if (!keys || !ids) { rt_free(keys); rt_free(ids); return -1; }
    for (size_t i = 0; i < w->cap; i++) {
        if (!w->keys[i]) continue;
        size_t j = ptr_hash(w->keys[i], cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = w->keys[i];
        ids[j] = w->ids[i];
    }
    rt_free(w->keys);
    rt_free(w->ids);
    w->keys = keys;
    w->ids = ids;
    w->cap = cap;
    return 0;
}

/* 1 and *id when v was already written, else 0. */
static int memo_find(Writer *w, RtValue *v, uint32_t *id) {
    if (!w->n) return 0;
    for (size_t j = ptr_hash(v, w->cap - 1); w->keys[j]; j = (j + 1) & (w->cap - 1))
        if (w->keys[j] == v) { *id = w->ids[j]; return 1; }
    return 0;
}

static int memo_insert(Writer *w, RtValue *v, uint32_t id) {
    if ((w->n + 1) * 2 > w->cap && memo_grow(w) < 0) return -1;
    size_t j = ptr_hash(v, w->cap - 1);
    while (w->keys[j]) j = (j + 1) & (w->cap - 1);
    w->keys[j] = v;
    w->ids[j] = id;
    w->n++;
    return 0;
}

/* Writes the T_MEMO prefix and returns the number it announces. */
static int memo_announce(Writer *w, uint32_t *id) {
    *id = w->next_id++;
    return rt_buf_put_u8(w->buf, T_MEMO);
}

static void writer_release(Writer *w) {
    rt_free(w->keys);
    rt_free(w->ids);
    rt_free(w->fds);
}

/* ==== writers ======================================================================= */

static int w_value(Writer *w, RtValue *v);

static int w_len_bytes(Writer *w, unsigned tag, const void *p, size_t n) {
    if (rt_buf_put_u8(w->buf, tag) < 0 || rt_buf_put_uleb(w->buf, n) < 0) return -1;
    return rt_buf_put_bytes(w->buf, p, n);
}

static int w_double(Writer *w, double d) {
    return rt_buf_put_bytes(w->buf, &d, sizeof d);   /* same machine: host order */
}

static int w_int(Writer *w, RtValue *v) {
    const RtInt *i = (const RtInt *)v;
    if (!i->big) {
        if (rt_buf_put_u8(w->buf, T_INT) < 0) return -1;
        return rt_buf_put_sleb(w->buf, i->small);
    }
    /* Big ints as hex text: rare in messages, and rt_int_from_text reads it back. */
    mpz_srcptr z = (mpz_srcptr)i->big;
    size_t n = mpz_sizeinbase(z, 16) + 2;
    char *s = rt_malloc(n);
    if (!s) return -1;
    mpz_get_str(s, 16, z);
    int rc = w_len_bytes(w, T_BIGINT, s, strlen(s));
    rt_free(s);
    return rc;
}

/* Raises PicklingError as pickle does for a name it cannot look up again. */
static int cannot_lookup(RtValue *obj, const char *name) {
    rt_raise_fmt(&rt_exc_PicklingError, "Can't pickle %R: attribute lookup %s on __main__ failed",
                 obj, name);
    return -1;
}

static int cannot_pickle(RtValue *v) {
    rt_raise_fmt(&rt_exc_TypeError, "cannot pickle '%s' object", v->type->name);
    return -1;
}

static int w_type(Writer *w, RtType *t) {
    if (rt_type_is_dynamic(t)) {
        if (rt_buf_put_u8(w->buf, T_DYNTYPE) < 0) return -1;
        if (w_len_bytes(w, T_STR, t->module, strlen(t->module)) < 0) return -1;
        return w_len_bytes(w, T_STR, t->name, strlen(t->name));
    }
    if (t->flags & RT_TF_HEAP) {
        if (t->table_index < 0) return cannot_lookup((RtValue *)t, t->name);
        if (rt_buf_put_u8(w->buf, T_CLASS) < 0) return -1;
        return rt_buf_put_uleb(w->buf, (uint64_t)t->table_index);
    }
    int id = builtin_type_id(t);
    if (id >= 0) {
        if (rt_buf_put_u8(w->buf, T_BTYPE) < 0) return -1;
        return rt_buf_put_uleb(w->buf, (uint64_t)id);
    }
    if (!in_image(t)) return cannot_lookup((RtValue *)t, t->name);
    if (rt_buf_put_u8(w->buf, T_STATIC) < 0) return -1;
    return put_image_ref(w->buf, t);
}

/* ThreadPoolExecutor's callables need no pickling in CPython: its threads
 * share the interpreter. Ours are processes of the same program, so while
 * rt_ser_allow_closures is on, a lambda or nested function travels by value:
 * its C entry point, its defaults and the contents of its cells. */
static bool g_allow_closures;

bool rt_ser_allow_closures(bool on) {
    bool was = g_allow_closures;
    g_allow_closures = on;
    return was;
}

static int w_closure(Writer *w, RtFunc *f) {
    if (rt_buf_put_u8(w->buf, T_CLOSURE) < 0 || put_image_ref(w->buf, (const void *)(uintptr_t)f->entry) < 0 ||
        put_image_ref(w->buf, f->name) < 0 || put_image_ref(w->buf, f->qualname) < 0 ||
        w_value(w, f->defaults ? f->defaults : rt_None) < 0 || w_value(w, f->kwdefaults ? f->kwdefaults : rt_None) < 0 ||
        rt_buf_put_uleb(w->buf, (uint64_t)f->ncells) < 0)
        return -1;
    for (int i = 0; i < f->ncells; i++) {
        RtValue *v = ((RtCell *)f->cells[i])->value;
        if (rt_buf_put_u8(w->buf, v != NULL) < 0 || (v && w_value(w, v) < 0)) return -1;
    }
    return 0;
}

static RtValue *r_value(Reader *r);
static RtValue *malformed(const char *what);

static RtValue *r_closure(Reader *r) {
    void *entry, *name, *qualname;
    uint64_t n;
    if (get_image_ref(r->buf, &entry) < 0 || get_image_ref(r->buf, &name) < 0 ||
        get_image_ref(r->buf, &qualname) < 0)
        return NULL;
    RtValue *defaults = r_value(r), *kwdefaults = defaults ? r_value(r) : NULL, *f = NULL;
    RtValue **cells = NULL;
    uint64_t made = 0;
    if (!kwdefaults || rt_buf_get_uleb(r->buf, &n) < 0) goto out;
    if (n > 4096) { malformed("closure"); goto out; }
    if (!(cells = rt_calloc(n ? n : 1, sizeof *cells))) goto out;
    for (; made < n; made++) {
        unsigned full;
        RtValue *v = NULL;
        if (rt_buf_get_u8(r->buf, &full) < 0 || (full && !(v = r_value(r)))) goto out;
        cells[made] = rt_cell_new(v);
        rt_xdecref(v);
        if (!cells[made]) goto out;
    }
    f = rt_func_new(name, qualname, (RtFuncEntry)(uintptr_t)entry, -1, defaults == rt_None ? NULL : defaults,
                    kwdefaults == rt_None ? NULL : kwdefaults, cells, (int)n);
    made = 0;   /* rt_func_new took the cells */
out:
    for (uint64_t i = 0; i < made; i++) rt_xdecref(cells[i]);
    rt_free(cells);
    rt_xdecref(defaults);
    rt_xdecref(kwdefaults);
    return f;
}

/* Index of the module global named `name` if it holds v, else -1. */
static long global_holding(const char *name, RtValue *v) {
    if (!rt_program || !rt_program->globals) return -1;
    for (long i = 0; rt_program->globals[i].name; i++)
        if (strcmp(rt_program->globals[i].name, name) == 0)
            return *rt_program->globals[i].slot == v ? i : -1;
    return -1;
}

static int w_func(Writer *w, RtValue *v) {
    RtFunc *f = (RtFunc *)v;
    if (f->table_index < 0) {
        const char *q = f->qualname ? f->qualname : f->name;
        /* pickle's rule: a function goes by its qualified name when the
         * module holds it there (a decorator's wrapper with @wraps does) */
        long g = global_holding(q, v);
        if (g >= 0) {
            if (rt_buf_put_u8(w->buf, T_GLOBAL) < 0) return -1;
            return rt_buf_put_uleb(w->buf, (uint64_t)g);
        }
        if (g_allow_closures && in_image((const void *)(uintptr_t)f->entry) && in_image(f->name) &&
            in_image(f->qualname))
            return w_closure(w, f);
        if (strstr(q, "<locals>")) {
            rt_raise_fmt(&rt_exc_AttributeError, "Can't pickle local object '%s'", q);
            return -1;
        }
        return cannot_lookup(v, q);
    }
    if (rt_buf_put_u8(w->buf, T_FUNC) < 0) return -1;
    return rt_buf_put_uleb(w->buf, (uint64_t)f->table_index);
}

static int w_builtin(Writer *w, RtValue *v) {
    RtBuiltin *b = (RtBuiltin *)v;
    if (!in_image((const void *)(uintptr_t)b->fn) || !in_image(b->name)) return cannot_lookup(v, b->name);
    if (rt_buf_put_u8(w->buf, T_BUILTIN) < 0 || put_image_ref(w->buf, (const void *)(uintptr_t)b->fn) < 0 ||
        put_image_ref(w->buf, b->name) < 0 || rt_buf_put_sleb(w->buf, b->table_index) < 0 ||
        rt_buf_put_u8(w->buf, b->self != NULL) < 0)
        return -1;
    return b->self ? w_value(w, b->self) : 0;
}

static int w_items(Writer *w, unsigned tag, RtValue *const *items, size_t n) {
    if (rt_buf_put_u8(w->buf, tag) < 0 || rt_buf_put_uleb(w->buf, n) < 0) return -1;
    for (size_t i = 0; i < n; i++)
        if (w_value(w, items[i]) < 0) return -1;
    return 0;
}

static int w_dict_items(Writer *w, RtValue *d) {
    if (rt_buf_put_uleb(w->buf, rt_dict_len(d)) < 0) return -1;
    size_t pos = 0;
    RtValue *k, *val;
    while (rt_dict_next(d, &pos, &k, &val))
        if (w_value(w, k) < 0 || w_value(w, val) < 0) return -1;
    return 0;
}

static int w_set(Writer *w, unsigned tag, RtValue *s) {
    int64_t n = rt_len(s);
    if (n < 0 || rt_buf_put_u8(w->buf, tag) < 0 || rt_buf_put_uleb(w->buf, (uint64_t)n) < 0) return -1;
    RtValue *it = rt_iter(s);
    if (!it) return -1;
    RtValue *x;
    int rc = 0;
    while (rc == 0 && (x = rt_iter_next(it))) {
        rc = w_value(w, x);
        rt_decref(x);
    }
    rt_decref(it);
    return rc < 0 || RT_ERR() ? -1 : 0;
}

/* The state pickle would save for an object: __getstate__() when the script
 * class defines it, else the instance dict (or None). New reference. */
static RtValue *object_state(RtValue *v, bool *custom) {
    *custom = false;
    for (RtType *t = v->type; t && (t->flags & RT_TF_HEAP); t = t->base)
        if (t->dict && rt_dict_get_cstr(t->dict, "__getstate__")) {
            *custom = true;
            return rt_call_method(v, "__getstate__", NULL, 0, NULL);
        }
    RtValue *d = rt_obj_dict(v);
    return rt_newref(d && rt_dict_len(d) ? d : rt_None);
}

static int w_state(Writer *w, RtValue *v) {
    bool custom;
    RtValue *st = object_state(v, &custom);
    if (!st) return -1;
    int rc = rt_buf_put_u8(w->buf, custom);
    if (rc == 0) rc = w_value(w, st);
    rt_decref(st);
    return rc;
}

static int w_exc(Writer *w, RtValue *v) {
    RtExc *e = (RtExc *)v;
    if (rt_buf_put_u8(w->buf, T_EXC) < 0 || w_type(w, v->type) < 0) return -1;
    if (w_value(w, e->args ? e->args : rt_None) < 0) return -1;
    RtValue *d = e->dict && rt_dict_len(e->dict) ? e->dict : rt_None;
    if (w_value(w, d) < 0) return -1;
    return w_value(w, e->remote_tb ? e->remote_tb : rt_None);
}

static int w_native(Writer *w, RtValue *v) {
    RtType *t = (v->type->flags & RT_TF_SER_AS_BASE) ? v->type->base : v->type;
    if (rt_buf_put_u8(w->buf, T_NATIVE) < 0 || w_type(w, t) < 0) return -1;
    if (v->type->ser_dump(v, w->buf) < 0) return -1;
    return (v->type->flags & RT_TF_HEAP) ? w_state(w, v) : 0;
}

/* dict subtypes sharing dict's layout (Counter, defaultdict). */
static int w_dictsub(Writer *w, RtValue *v) {
    RtValue *extra = ((RtDict *)v)->extra;
    if (rt_buf_put_u8(w->buf, T_DICTSUB) < 0 || w_type(w, v->type) < 0) return -1;
    if (w_value(w, extra ? extra : rt_None) < 0) return -1;
    return w_dict_items(w, v);
}

/* Values whose identity is worth keeping when shared. */
static bool memoizable(const RtValue *v) {
    switch (v->type->tag) {
    case RT_T_STR: case RT_T_BYTES: case RT_T_BYTEARRAY: case RT_T_TUPLE: case RT_T_LIST:
    case RT_T_DICT: case RT_T_SET: case RT_T_FROZENSET: case RT_T_INSTANCE: case RT_T_EXC:
    case RT_T_NATIVE:
        return true;
    default:
        return false;
    }
}

/* Mutable containers: numbered before their items, so that cycles resolve. */
static bool registers_early(const RtValue *v) {
    switch (v->type->tag) {
    case RT_T_LIST: case RT_T_DICT: case RT_T_BYTEARRAY: case RT_T_INSTANCE: case RT_T_SET:
        return true;
    default:
        return false;
    }
}

static int w_body(Writer *w, RtValue *v) {
    RtType *t = v->type;
    if (t == &rt_type_str) return w_len_bytes(w, T_STR, rt_str_data(v), rt_str_nbytes(v));
    if (t == &rt_type_bytes) return w_len_bytes(w, T_BYTES, ((RtBytes *)v)->data, ((RtBytes *)v)->len);
    if (t == &rt_type_bytearray)
        return w_len_bytes(w, T_BYTEARRAY, ((RtByteArray *)v)->data, ((RtByteArray *)v)->len);
    if (t == &rt_type_tuple) return w_items(w, T_TUPLE, ((RtTuple *)v)->items, RT_TUPLE_LEN(v));
    if (t == &rt_type_list) return w_items(w, T_LIST, ((RtList *)v)->items, RT_LIST_LEN(v));
    if (t == &rt_type_dict) return rt_buf_put_u8(w->buf, T_DICT) < 0 ? -1 : w_dict_items(w, v);
    if (t == &rt_type_set) return w_set(w, T_SET, v);
    if (t == &rt_type_frozenset) return w_set(w, T_FROZENSET, v);
    if (t->tag == RT_T_DICT && !(t->flags & RT_TF_HEAP)) return w_dictsub(w, v);
    if (t->tag == RT_T_EXC) return w_exc(w, v);
    if (t->tag == RT_T_TUPLE && rt_type_is_dynamic(t)) {   /* namedtuple instances */
        if (rt_buf_put_u8(w->buf, T_TUPLESUB) < 0 || w_type(w, t) < 0) return -1;
        return w_items(w, T_TUPLE, ((RtTuple *)v)->items, RT_TUPLE_LEN(v));
    }
    if (t->tag == RT_T_INSTANCE) {
        if (rt_buf_put_u8(w->buf, T_INST) < 0 || w_type(w, t) < 0) return -1;
        return w_state(w, v);
    }
    if (t->ser_dump) return w_native(w, v);
    return cannot_pickle(v);
}

/* Values that never need the memo. */
static int w_scalar(Writer *w, RtValue *v, bool *done) {
    RtType *t = v->type;
    *done = true;
    if (v == rt_None) return rt_buf_put_u8(w->buf, T_NONE);
    if (t == &rt_type_bool) return rt_buf_put_u8(w->buf, v == rt_True ? T_TRUE : T_FALSE);
    if (t == &rt_type_int) return w_int(w, v);
    if (t == &rt_type_float) return rt_buf_put_u8(w->buf, T_FLOAT) < 0 ? -1 : w_double(w, rt_float_val(v));
    if (t == &rt_type_complex) {
        const RtComplex *c = (const RtComplex *)v;
        if (rt_buf_put_u8(w->buf, T_COMPLEX) < 0 || w_double(w, c->re) < 0) return -1;
        return w_double(w, c->im);
    }
    if (t == &rt_type_range) {
        const RtRange *r = (const RtRange *)v;
        if (rt_buf_put_u8(w->buf, T_RANGE) < 0 || rt_buf_put_sleb(w->buf, r->start) < 0 ||
            rt_buf_put_sleb(w->buf, r->stop) < 0)
            return -1;
        return rt_buf_put_sleb(w->buf, r->step);
    }
    if (v == rt_Ellipsis) return rt_buf_put_u8(w->buf, T_ELLIPSIS);
    if (v == rt_NotImplemented) return rt_buf_put_u8(w->buf, T_NOTIMPL);
    if (t == &rt_type_type || t->tag == RT_T_TYPE) return w_type(w, (RtType *)v);
    if (t == &rt_type_function) return w_func(w, v);
    if (t == &rt_type_builtin) return w_builtin(w, v);
    if (t == &rt_type_method_descriptor) {
        const RtMethodDescr *d = (const RtMethodDescr *)v;
        if (!in_image(d->def)) return cannot_lookup(v, d->def->name);
        if (rt_buf_put_u8(w->buf, T_DESCR) < 0 || put_image_ref(w->buf, d->def) < 0) return -1;
        return w_type(w, d->owner);
    }
    if (t == &rt_type_method) {
        RtMethod *m = (RtMethod *)v;
        if (rt_buf_put_u8(w->buf, T_METHOD) < 0 || w_value(w, m->func) < 0) return -1;
        return w_value(w, m->self);
    }
    *done = false;
    return 0;
}

static int w_memoized(Writer *w, RtValue *v) {
    uint32_t id;
    if (memo_find(w, v, &id)) {
        if (rt_buf_put_u8(w->buf, T_REF) < 0) return -1;
        return rt_buf_put_uleb(w->buf, id);
    }
    if (memo_announce(w, &id) < 0) return -1;
    bool early = registers_early(v);
    if (early && memo_insert(w, v, id) < 0) return -1;
    if (w_body(w, v) < 0) return -1;
    return early ? 0 : memo_insert(w, v, id);
}

static int w_value(Writer *w, RtValue *v) {
    bool done;
    int rc = w_scalar(w, v, &done);
    if (done) return rc;
    if (++w->depth > MAX_DEPTH) {
        w->depth--;
        rt_raise(&rt_exc_RecursionError, "maximum recursion depth exceeded while pickling an object");
        return -1;
    }
    rc = memoizable(v) && v->rc > 1 ? w_memoized(w, v) : w_body(w, v);
    w->depth--;
    return rc;
}

static int dump_top(RtBuf *buf, RtValue *v, bool spawning, int **fds, size_t *nfds) {
    if (cur_writer && cur_writer->buf == buf) return w_value(cur_writer, v);   /* nested (ser_dump slot) */
    Writer w = { .buf = buf, .spawning = spawning };
    Writer *saved = cur_writer;
    size_t start = buf->len;
    cur_writer = &w;
    int rc = w_value(&w, v);
    cur_writer = saved;
    if (rc < 0) buf->len = start;
    if (rc == 0 && fds) {
        *fds = w.fds;
        *nfds = w.nfds;
        w.fds = NULL;
    }
    writer_release(&w);
    return rc;
}

int rt_ser_dump(RtBuf *buf, RtValue *v) {
    /* Fast path for the commonest message: a small int or None. */
    if (!cur_writer && v->type == &rt_type_int && !((RtInt *)v)->big) {
        if (rt_buf_put_u8(buf, T_INT) < 0) return -1;
        return rt_buf_put_sleb(buf, ((RtInt *)v)->small);
    }
    return dump_top(buf, v, false, NULL, NULL);
}

int rt_ser_dump_for_spawn(RtBuf *buf, RtValue *v, int **fds, size_t *nfds) {
    *fds = NULL;
    *nfds = 0;
    return dump_top(buf, v, true, fds, nfds);
}

bool rt_ser_spawning(void) { return cur_writer && cur_writer->spawning; }

int rt_ser_pass_fd(int fd) {
    Writer *w = cur_writer;
    if (!w || !w->spawning) {
        rt_raise(&rt_exc_RuntimeError, "file descriptors can only be passed while spawning a process");
        return -1;
    }
    if (w->nfds == w->fdcap) {
        size_t cap = w->fdcap ? w->fdcap * 2 : 8;
        int *p = rt_realloc(w->fds, cap * sizeof *p);
        if (!p) return -1;
        w->fds = p;
        w->fdcap = cap;
    }
    w->fds[w->nfds++] = fd;
    return 0;
}

/* ==== readers ======================================================================= */

static RtValue *r_value(Reader *r);

static RtValue *malformed(const char *what) {
    return rt_raise_fmt(&rt_exc_ValueError, "serialized data is malformed (%s)", what);
}

/* Stores a new reference to v in memo slot `slot` (-1: none). */
static void memo_fill(Reader *r, long slot, RtValue *v) {
    if (slot >= 0) r->memo[slot] = rt_newref(v);
}

static long memo_reserve(Reader *r) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        RtValue **m = rt_realloc(r->memo, cap * sizeof *m);
        if (!m) return -1;
        r->memo = m;
        r->cap = cap;
    }
    r->memo[r->n] = NULL;
    return (long)r->n++;
}

static int r_len(Reader *r, uint64_t *n) {
    if (rt_buf_get_uleb(r->buf, n) < 0) return -1;
    if (*n > rt_buf_avail(r->buf)) { malformed("length"); return -1; }   /* each item is >= 1 byte */
    return 0;
}

static RtValue *r_bytes_like(Reader *r, unsigned tag) {
    uint64_t n;
    const unsigned char *p;
    if (rt_buf_get_uleb(r->buf, &n) < 0 || rt_buf_get_bytes(r->buf, n, &p) < 0) return NULL;
    if (tag == T_STR) return rt_str_new((const char *)p, n);
    if (tag == T_BYTES) return rt_bytes_new(p, n);
    if (tag == T_BYTEARRAY) return rt_bytearray_new(p, n);
    /* T_BIGINT: hex text */
    return rt_int_from_text((const char *)p, n, 16);
}

static int r_double(Reader *r, double *d) {
    const unsigned char *p;
    if (rt_buf_get_bytes(r->buf, sizeof *d, &p) < 0) return -1;
    memcpy(d, p, sizeof *d);
    return 0;
}

static RtValue *r_tuple(Reader *r, long slot) {
    uint64_t n;
    if (r_len(r, &n) < 0) return NULL;
    RtValue *t = rt_tuple_new(n);
    if (!t) return NULL;
    for (uint64_t i = 0; i < n; i++) {
        RtValue *x = r_value(r);
        if (!x) {
            /* fill the rest so that the tuple can be released */
            for (uint64_t j = i; j < n; j++) RT_TUPLE_SET(t, j, rt_newref(rt_None));
            rt_decref(t);
            return NULL;
        }
        RT_TUPLE_SET(t, i, x);
    }
    memo_fill(r, slot, t);
    return t;
}

static RtValue *r_list(Reader *r, long slot) {
    uint64_t n;
    if (r_len(r, &n) < 0) return NULL;
    RtValue *l = rt_list_new(n);
    if (!l) return NULL;
    memo_fill(r, slot, l);
    for (uint64_t i = 0; i < n; i++) {
        RtValue *x = r_value(r);
        if (!x || rt_list_append_steal(l, x) < 0) { rt_decref(l); return NULL; }
    }
    return l;
}

static int r_dict_items(Reader *r, RtValue *d) {
    uint64_t n;
    if (r_len(r, &n) < 0) return -1;
    for (uint64_t i = 0; i < n; i++) {
        RtValue *k = r_value(r);
        RtValue *v = k ? r_value(r) : NULL;
        int rc = v ? rt_dict_set(d, k, v) : -1;
        rt_xdecref(k);
        rt_xdecref(v);
        if (rc < 0) return -1;
    }
    return 0;
}

static RtValue *r_dict(Reader *r, long slot) {
    RtValue *d = rt_dict_new();
    if (!d) return NULL;
    memo_fill(r, slot, d);
    if (r_dict_items(r, d) < 0) { rt_decref(d); return NULL; }
    return d;
}

static RtValue *r_set(Reader *r, long slot, bool frozen) {
    uint64_t n;
    if (r_len(r, &n) < 0) return NULL;
    RtValue *s = rt_set_new();
    if (!s) return NULL;
    if (!frozen) memo_fill(r, slot, s);
    for (uint64_t i = 0; i < n; i++) {
        RtValue *x = r_value(r);
        int rc = x ? rt_set_add(s, x) : -1;
        rt_xdecref(x);
        if (rc < 0) { rt_decref(s); return NULL; }
    }
    if (!frozen) return s;
    RtValue *f = rt_call((RtValue *)&rt_type_frozenset, &s, 1, NULL);
    rt_decref(s);
    if (f) memo_fill(r, slot, f);
    return f;
}

static RtValue *r_range(Reader *r) {
    int64_t start, stop, step;
    if (rt_buf_get_sleb(r->buf, &start) < 0 || rt_buf_get_sleb(r->buf, &stop) < 0 ||
        rt_buf_get_sleb(r->buf, &step) < 0)
        return NULL;
    return rt_range_new(start, stop, step);
}

static RtValue *r_class(Reader *r) {
    uint64_t i;
    if (rt_buf_get_uleb(r->buf, &i) < 0) return NULL;
    if (!rt_program || i >= (uint64_t)rt_program->nclasses || !rt_program->classes[i])
        return malformed("class index");
    return rt_newref((RtValue *)rt_program->classes[i]);
}

static RtValue *r_btype(Reader *r) {
    uint64_t i;
    if (rt_buf_get_uleb(r->buf, &i) < 0) return NULL;
    if (i >= NBUILTIN_TYPES) return malformed("type id");
    return rt_newref((RtValue *)builtin_types[i]);
}

static RtValue *r_static_type(Reader *r) {
    void *p;
    if (get_image_ref(r->buf, &p) < 0) return NULL;
    RtValue *t = p;
    if (t->type != &rt_type_type) return malformed("not a type");
    return rt_newref(t);
}

/* A type written by w_type. New reference. */
/* A str written with w_len_bytes(T_STR). New reference. */
static RtValue *r_str_field(Reader *r) {
    unsigned tag;
    if (rt_buf_get_u8(r->buf, &tag) < 0) return NULL;
    if (tag != T_STR) return malformed("expected a str");
    return r_bytes_like(r, T_STR);
}

/* A type made at run time: this process's type of that module and name. */
static RtValue *r_dyntype(Reader *r) {
    RtValue *mod = r_str_field(r);
    RtValue *name = mod ? r_str_field(r) : NULL;
    RtType *t = name ? rt_type_find_dynamic(rt_str_data(mod), rt_str_data(name)) : NULL;
    if (name && !t)
        rt_raise_fmt(&rt_exc_AttributeError, "Can't get attribute '%s' on <module '%s'>", rt_str_data(name),
                     rt_str_data(mod));
    rt_xdecref(mod);
    rt_xdecref(name);
    return t ? rt_newref((RtValue *)t) : NULL;
}

static RtValue *r_type(Reader *r);

/* An instance of a tuple subtype (namedtuple): its type, then its items. */
static RtValue *r_tuplesub(Reader *r, long slot) {
    RtValue *t = r_type(r);
    if (!t) return NULL;
    unsigned tag;
    RtValue *items = rt_buf_get_u8(r->buf, &tag) < 0 ? NULL : tag == T_TUPLE ? r_tuple(r, -1) : malformed("tuple items");
    RtValue *v = items ? ((RtType *)t)->construct((RtType *)t, ((RtTuple *)items)->items, RT_TUPLE_LEN(items), NULL)
                       : NULL;
    rt_xdecref(items);
    rt_decref(t);
    if (v) memo_fill(r, slot, v);
    return v;
}

static RtValue *r_type(Reader *r) {
    unsigned tag;
    if (rt_buf_get_u8(r->buf, &tag) < 0) return NULL;
    switch (tag) {
    case T_DYNTYPE: return r_dyntype(r);
    case T_CLASS: return r_class(r);
    case T_BTYPE: return r_btype(r);
    case T_STATIC: return r_static_type(r);
    default: return malformed("expected a type");
    }
}

static RtValue *r_func(Reader *r) {
    uint64_t i;
    if (rt_buf_get_uleb(r->buf, &i) < 0) return NULL;
    if (!rt_program || i >= (uint64_t)rt_program->nfunctions || !rt_program->functions[i])
        return malformed("function index");
    return rt_newref(rt_program->functions[i]);
}

static RtValue *r_global(Reader *r) {
    uint64_t i;
    if (rt_buf_get_uleb(r->buf, &i) < 0) return NULL;
    const RtGlobal *g = rt_program ? rt_program->globals : NULL;
    for (uint64_t k = 0; g && k <= i; k++)
        if (!g[k].name) { g = NULL; break; }
    if (!g) return malformed("global index");
    RtValue *v = *g[i].slot;
    if (!v) return rt_raise_fmt(&rt_exc_AttributeError, "Can't get attribute '%s' on <module '__main__'>", g[i].name);
    return rt_newref(v);
}

static RtValue *r_descr(Reader *r) {
    void *def;
    if (get_image_ref(r->buf, &def) < 0) return NULL;
    RtValue *owner = r_type(r);
    if (!owner) return NULL;
    RtValue *d = rt_descr_new(def, (RtType *)owner);
    rt_decref(owner);
    return d;
}

static RtValue *r_builtin(Reader *r) {
    void *fn, *name;
    int64_t index;
    unsigned has_self;
    if (get_image_ref(r->buf, &fn) < 0 || get_image_ref(r->buf, &name) < 0 ||
        rt_buf_get_sleb(r->buf, &index) < 0 || rt_buf_get_u8(r->buf, &has_self) < 0)
        return NULL;
    RtValue *self = has_self ? r_value(r) : NULL;
    if (has_self && !self) return NULL;
    RtValue *b = rt_builtin_new(name, (RtNativeFn)(uintptr_t)fn, self, (int)index);
    rt_xdecref(self);
    return b;
}

static RtValue *r_method(Reader *r) {
    RtValue *f = r_value(r);
    RtValue *self = f ? r_value(r) : NULL;
    RtValue *m = self ? rt_method_new(f, self) : NULL;
    rt_xdecref(f);
    rt_xdecref(self);
    return m;
}

/* Restores the state w_state wrote: __setstate__(state) when the class
 * defines it, else the entries of a dict state go into the instance dict
 * directly, as pickle's BUILD does (a frozen dataclass's __setattr__ would
 * refuse them). */
static int r_state(Reader *r, RtValue *obj) {
    unsigned custom;
    if (rt_buf_get_u8(r->buf, &custom) < 0) return -1;
    RtValue *st = r_value(r);
    if (!st) return -1;
    int rc = 0;
    bool has_setstate = false;
    for (RtType *t = obj->type; t && (t->flags & RT_TF_HEAP); t = t->base)
        if (t->dict && rt_dict_get_cstr(t->dict, "__setstate__")) { has_setstate = true; break; }
    if (has_setstate && (custom || st != rt_None)) {
        RtValue *res = rt_call_method(obj, "__setstate__", &st, 1, NULL);
        rc = res ? 0 : -1;
        rt_xdecref(res);
    } else if (rt_is_dict(st)) {
        size_t pos = 0;
        RtValue *k, *v;
        while (rc == 0 && rt_dict_next(st, &pos, &k, &v))
            rc = !rt_is_str(k) ? 0 : obj->type->dict_offset ? rt_obj_dict_setattr(obj, rt_str_data(k), v)
                                                            : rt_setattr(obj, rt_str_data(k), v);
    }
    rt_decref(st);
    return rc;
}

static RtValue *r_inst(Reader *r, long slot) {
    RtValue *cls = r_type(r);
    if (!cls) return NULL;
    if (((RtType *)cls)->tag != RT_T_INSTANCE) { rt_decref(cls); return malformed("instance class"); }
    RtValue *o = rt_instance_new((RtType *)cls);
    rt_decref(cls);
    if (!o) return NULL;
    memo_fill(r, slot, o);
    if (r_state(r, o) < 0) { rt_decref(o); return NULL; }
    return o;
}

static int set_attrs(RtValue *obj, RtValue *d) {
    size_t pos = 0;
    RtValue *k, *v;
    while (rt_is_dict(d) && rt_dict_next(d, &pos, &k, &v))
        if (rt_is_str(k) && rt_setattr(obj, rt_str_data(k), v) < 0) return -1;
    return 0;
}

/* Exceptions are rebuilt as pickle does: type(*args), then the attributes. */
static RtValue *r_exc(Reader *r, long slot) {
    RtValue *type = r_type(r), *args = NULL, *d = NULL, *tb = NULL, *e = NULL;
    if (type) args = r_value(r);
    if (args) d = r_value(r);
    if (d) tb = r_value(r);
    if (tb) e = rt_call_tuple_dict(type, rt_is_tuple(args) ? args : NULL, NULL);
    if (e && e->type->tag != RT_T_EXC) { RT_CLEAR(e); malformed("exception type"); }
    if (e && set_attrs(e, d) < 0) RT_CLEAR(e);
    if (e && rt_is_str(tb)) RT_SETREF(((RtExc *)e)->remote_tb, rt_newref(tb));
    rt_xdecref(type);
    rt_xdecref(args);
    rt_xdecref(d);
    rt_xdecref(tb);
    if (e) memo_fill(r, slot, e);
    return e;
}

static RtValue *r_native(Reader *r, long slot) {
    RtValue *tv = r_type(r);
    if (!tv) return NULL;
    RtType *t = (RtType *)tv;
    RtValue *o = t->ser_load ? t->ser_load(t, r->buf) : malformed("type cannot be loaded");
    rt_decref(tv);
    if (!o) return NULL;
    memo_fill(r, slot, o);
    if ((o->type->flags & RT_TF_HEAP) && r_state(r, o) < 0) { rt_decref(o); return NULL; }
    return o;
}

static RtValue *r_dictsub(Reader *r, long slot) {
    RtValue *t = r_type(r);
    RtValue *extra = t ? r_value(r) : NULL;
    RtValue *d = extra ? rt_call(t, NULL, 0, NULL) : NULL;
    if (d && ((RtType *)t)->tag != RT_T_DICT) { RT_CLEAR(d); malformed("dict subtype"); }
    if (d && extra != rt_None) RT_SETREF(((RtDict *)d)->extra, rt_newref(extra));
    if (d) memo_fill(r, slot, d);
    if (d && r_dict_items(r, d) < 0) RT_CLEAR(d);
    rt_xdecref(t);
    rt_xdecref(extra);
    return d;
}

static RtValue *r_ref(Reader *r) {
    uint64_t i;
    if (rt_buf_get_uleb(r->buf, &i) < 0) return NULL;
    if (i >= r->n) return malformed("memo reference");
    if (!r->memo[i])   /* XXX: a tuple reached again through its own items */
        return rt_raise(&rt_exc_ValueError, "cannot rebuild a recursive tuple");
    return rt_newref(r->memo[i]);
}

static RtValue *r_int(Reader *r) {
    int64_t v;
    return rt_buf_get_sleb(r->buf, &v) < 0 ? NULL : rt_int(v);
}

static RtValue *r_float(Reader *r, unsigned tag) {
    double re, im = 0;
    if (r_double(r, &re) < 0 || (tag == T_COMPLEX && r_double(r, &im) < 0)) return NULL;
    return tag == T_COMPLEX ? rt_complex(re, im) : rt_float(re);
}

/* One value whose tag has been read; slot is its memo number or -1. */
static RtValue *r_tagged(Reader *r, unsigned tag, long slot) {
    RtValue *v;
    switch (tag) {
    case T_NONE: return rt_newref(rt_None);
    case T_TRUE: return rt_True;
    case T_FALSE: return rt_False;
    case T_ELLIPSIS: return rt_newref(rt_Ellipsis);
    case T_NOTIMPL: return rt_newref(rt_NotImplemented);
    case T_INT: return r_int(r);
    case T_FLOAT: case T_COMPLEX: return r_float(r, tag);
    case T_RANGE: return r_range(r);
    case T_CLASS: return r_class(r);
    case T_BTYPE: return r_btype(r);
    case T_STATIC: return r_static_type(r);
    case T_FUNC: return r_func(r);
    case T_BUILTIN: return r_builtin(r);
    case T_GLOBAL: return r_global(r);
    case T_CLOSURE: return r_closure(r);
    case T_DESCR: return r_descr(r);
    case T_METHOD: return r_method(r);
    case T_REF: return r_ref(r);
    case T_LIST: return r_list(r, slot);
    case T_DICT: return r_dict(r, slot);
    case T_SET: return r_set(r, slot, false);
    case T_FROZENSET: return r_set(r, slot, true);
    case T_TUPLE: return r_tuple(r, slot);
    case T_INST: return r_inst(r, slot);
    case T_EXC: return r_exc(r, slot);
    case T_NATIVE: return r_native(r, slot);
    case T_DICTSUB: return r_dictsub(r, slot);
    case T_DYNTYPE: return r_dyntype(r);
    case T_TUPLESUB: return r_tuplesub(r, slot);
    case T_STR: case T_BYTES: case T_BYTEARRAY: case T_BIGINT:
        v = r_bytes_like(r, tag);
        if (v) memo_fill(r, slot, v);
        return v;
    default:
        return malformed("unknown tag");
    }
}

static RtValue *r_value(Reader *r) {
    unsigned tag;
    long slot = -1;
    if (rt_buf_get_u8(r->buf, &tag) < 0) return NULL;
    if (tag == T_MEMO) {
        if ((slot = memo_reserve(r)) < 0 || rt_buf_get_u8(r->buf, &tag) < 0) return NULL;
        if (tag == T_MEMO || tag == T_REF) return malformed("memo prefix");
    }
    if (++r->depth > MAX_DEPTH + 8) {
        r->depth--;
        return malformed("nesting too deep");
    }
    RtValue *v = r_tagged(r, tag, slot);
    r->depth--;
    return v;
}

RtValue *rt_ser_load(RtBuf *buf) {
    if (cur_reader && cur_reader->buf == buf) return r_value(cur_reader);   /* nested (ser_load slot) */
    /* Fast path for a lone small int. */
    if (buf->pos < buf->len && buf->data[buf->pos] == T_INT) {
        buf->pos++;
        int64_t v;
        return rt_buf_get_sleb(buf, &v) < 0 ? NULL : rt_int(v);
    }
    Reader rd = { .buf = buf };
    Reader *saved = cur_reader;
    cur_reader = &rd;
    RtValue *v = r_value(&rd);
    cur_reader = saved;
    for (size_t i = 0; i < rd.n; i++) rt_xdecref(rd.memo[i]);
    rt_free(rd.memo);
    return v;
}

/* ctypes.c: the part of ctypes that multiprocessing's shared memory needs:
 * the scalar types (c_int, c_double, ...), Structure subclasses with
 * _fields_, arrays of either (c_int * 3), and sizeof/alignment.
 *
 * Key idea: every ctypes object is an RtCData, a handle on C bytes that are
 * laid out exactly as a C compiler lays them out. The bytes live inline (small
 * scalars), in an rt_malloc'd buffer, in a block of the shared heap (the
 * objects sharedctypes makes), or inside another object (A[i] of an array of
 * Structure, p.inner of a nested Structure): such a view keeps its owner
 * alive through `base`, so writing through it changes the shared bytes.
 * A type's layout is described by a CInfo: scalar types carry theirs in a
 * static table; a Structure class gets one computed from its _fields_ on
 * first use (C alignment rules, optional _pack_) and cached per class in a
 * side table; array types (allocated here, never freed) embed theirs.
 * Values are converted as ctypes converts them: integers wrap to the C width
 * (c_int(2**31).value == -2147483648), c_char takes a 1-byte bytes or an int,
 * c_wchar a 1-character str.
 */
#include "mp2c.h"

#include <gmp.h>
#include <stdio.h>
#include <string.h>

/* ==== layout descriptions ====================================================== */

enum { CK_SIMPLE, CK_STRUCT, CK_ARRAY };

typedef struct CField {
    char    *name;
    RtType  *type;
    size_t   offset;
} CField;

typedef struct CInfo {
    int      kind;
    char     code;          /* CK_SIMPLE: the struct-module code ('i', 'd', 'c', 'u', '?', ...) */
    size_t   size, align;
    CField  *fields;        /* CK_STRUCT: base-class fields first */
    int      nfields;
    RtType  *elem;          /* CK_ARRAY */
    int64_t  length;
} CInfo;

/* An array type: a static-like RtType with its element type and length. */
typedef struct CArrayType {
    RtType      t;
    CInfo       info;
    const char *module;
    char        name[80];
} CArrayType;

/* How an RtCData owns its bytes. */
enum { CD_INLINE, CD_HEAP, CD_SHM, CD_VIEW };

#define CDATA(o) ((RtCData *)(o))

RtType rt_ctypes_ArrayIter;
static RtValue *array_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames);

/* ---- scalar types ---- */

static const struct { RtType *type; CInfo info; } simple_types[] = {
    {&rt_ctypes_c_bool,   {CK_SIMPLE, '?', 1, 1, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_char,   {CK_SIMPLE, 'c', 1, 1, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_wchar,  {CK_SIMPLE, 'u', 4, 4, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_byte,   {CK_SIMPLE, 'b', 1, 1, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_ubyte,  {CK_SIMPLE, 'B', 1, 1, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_short,  {CK_SIMPLE, 'h', 2, 2, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_ushort, {CK_SIMPLE, 'H', 2, 2, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_int,    {CK_SIMPLE, 'i', 4, 4, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_uint,   {CK_SIMPLE, 'I', 4, 4, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_long,   {CK_SIMPLE, 'l', 8, 8, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_ulong,  {CK_SIMPLE, 'L', 8, 8, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_float,  {CK_SIMPLE, 'f', 4, 4, NULL, 0, NULL, 0}},
    {&rt_ctypes_c_double, {CK_SIMPLE, 'd', 8, 8, NULL, 0, NULL, 0}},
};
#define NSIMPLE (sizeof simple_types / sizeof simple_types[0])

static const CInfo *simple_info(const RtType *t) {
    for (size_t i = 0; i < NSIMPLE; i++)
        if (simple_types[i].type == t) return &simple_types[i].info;
    return NULL;
}

static bool is_array_type(const RtType *t) { return t->construct == array_construct; }
static size_t elem_size(const CInfo *i) { return i->length ? i->size / (size_t)i->length : 0; }

static bool is_struct_type(const RtType *t) {
    return t != &rt_ctypes_Structure && rt_type_is_subtype(t, &rt_ctypes_Structure);
}

bool rt_ctypes_is_type(const RtType *t) {
    return simple_info(t) || is_array_type(t) || is_struct_type(t);
}

/* ---- Structure layouts, computed from _fields_ and cached per class ---- */

typedef struct StructEntry { RtType *cls; CInfo info; } StructEntry;
static StructEntry *struct_cache;
static size_t nstruct_cache, capstruct_cache;

static const CInfo *type_info(RtType *t);

static RtValue *fields_error(void) {
    return rt_raise(&rt_exc_TypeError, "'_fields_' must be a sequence of (name, C type) pairs");
}

/* Reads one (name, type[, bits]) entry of _fields_ into f. 0 or -1. */
static int parse_field(RtValue *item, size_t index, CField *f) {
    if (!rt_is_tuple(item) || RT_TUPLE_LEN(item) < 1) return fields_error(), -1;
    if (RT_TUPLE_LEN(item) < 2) {
        rt_raise(&rt_exc_TypeError, "'_fields_' must be a sequence of pairs");
        return -1;
    }
    RtValue *name = RT_TUPLE_GET(item, 0), *type = RT_TUPLE_GET(item, 1);
    if (!rt_is_str(name)) return fields_error(), -1;
    if (type->type != &rt_type_type || !rt_ctypes_is_type((RtType *)type)) goto not_ctype;
    if (RT_TUPLE_LEN(item) > 2) {
        rt_raise(&rt_exc_NotImplementedError, "bit fields are not supported by mp2c");
        return -1;
    }
    size_t n = rt_str_nbytes(name);
    if (!(f->name = rt_malloc(n + 1))) return -1;
    memcpy(f->name, rt_str_data(name), n + 1);
    f->type = (RtType *)type;
    return 0;
not_ctype:
    rt_raise_fmt(&rt_exc_TypeError, "second item in _fields_ tuple (index %d) must be a C type", (int)index);
    return -1;
}

static size_t round_up(size_t n, size_t a) { return a ? (n + a - 1) / a * a : n; }

/* Appends the fields of `fields` (a list or tuple) after those of the base. */
static int layout_fields(CInfo *info, RtValue *fields, int64_t pack) {
    size_t n = rt_is_list(fields) ? RT_LIST_LEN(fields) : RT_TUPLE_LEN(fields);
    CField *fs = rt_realloc(info->fields, (info->nfields + n + 1) * sizeof(CField));
    if (!fs) return -1;
    info->fields = fs;
    for (size_t i = 0; i < n; i++) {
        RtValue *item = rt_is_list(fields) ? RT_LIST_GET(fields, i) : RT_TUPLE_GET(fields, i);
        CField *f = &fs[info->nfields];
        if (parse_field(item, i, f) < 0) return -1;
        info->nfields++;
        const CInfo *ft = type_info(f->type);
        if (!ft) return -1;
        size_t align = pack > 0 && (size_t)pack < ft->align ? (size_t)pack : ft->align;
        f->offset = round_up(info->size, align);
        info->size = f->offset + ft->size;
        if (align > info->align) info->align = align;
    }
    info->size = round_up(info->size, info->align);
    return 0;
}


static void free_info_fields(CInfo *info) {
    for (int i = 0; i < info->nfields; i++) rt_free(info->fields[i].name);
    rt_free(info->fields);
}

/* The layout of a Structure class: its base's fields, then its own _fields_. */
static int compute_struct(RtType *cls, CInfo *info) {
    memset(info, 0, sizeof *info);
    info->kind = CK_STRUCT;                 /* no fields at all: size 0, alignment 0 */
    if (is_struct_type(cls->base)) {
        const CInfo *b = type_info(cls->base);
        if (!b) return -1;
        info->size = b->size;
        info->align = b->align;
        if (b->nfields) {
            if (!(info->fields = rt_calloc((size_t)b->nfields, sizeof(CField)))) return -1;
            for (int i = 0; i < b->nfields; i++) {
                info->fields[i] = b->fields[i];
                size_t n = strlen(b->fields[i].name) + 1;
                if (!(info->fields[i].name = rt_malloc(n))) { free_info_fields(info); return -1; }
                memcpy(info->fields[i].name, b->fields[i].name, n);
                info->nfields++;
            }
        }
    }
    RtValue *fields = cls->dict ? rt_dict_get_cstr(cls->dict, "_fields_") : NULL;
    if (!fields) return 0;
    if (!rt_is_list(fields) && !rt_is_tuple(fields)) {
        rt_raise(&rt_exc_TypeError, "_fields_ must be a sequence of pairs");
        free_info_fields(info);
        return -1;
    }
    RtValue *packv = rt_dict_get_cstr(cls->dict, "_pack_");
    int64_t pack = 0;
    if (packv && rt_int_as_i64(packv, &pack) < 0) { free_info_fields(info); return -1; }
    if (layout_fields(info, fields, pack) < 0) { free_info_fields(info); return -1; }
    return 0;
}

static const CInfo *struct_info(RtType *cls) {
    for (size_t i = 0; i < nstruct_cache; i++)
        if (struct_cache[i].cls == cls) return &struct_cache[i].info;
    CInfo info;
    if (compute_struct(cls, &info) < 0) return NULL;
    if (nstruct_cache == capstruct_cache) {
        size_t cap = capstruct_cache ? capstruct_cache * 2 : 8;
        StructEntry *c = rt_realloc(struct_cache, cap * sizeof *c);
        if (!c) { free_info_fields(&info); return NULL; }
        struct_cache = c;
        capstruct_cache = cap;
    }
    struct_cache[nstruct_cache].cls = cls;
    struct_cache[nstruct_cache].info = info;
    return &struct_cache[nstruct_cache++].info;
}

/* The layout of any ctypes type, or NULL with TypeError "this type has no size". */
static const CInfo *type_info(RtType *t) {
    const CInfo *i = simple_info(t);
    if (i) return i;
    if (is_array_type(t)) return &((CArrayType *)t)->info;
    if (is_struct_type(t)) return struct_info(t);
    rt_raise(&rt_exc_TypeError, "this type has no size");
    return NULL;
}

int rt_ctypes_type_layout(RtType *t, size_t *size, size_t *align) {
    const CInfo *i = type_info(t);
    if (!i) return -1;
    *size = i->size;
    *align = i->align;
    return 0;
}

/* ---- array types: elem * n, cached ---- */

static CArrayType **array_types;
static size_t narray_types, caparray_types;

static RtValue *cdata_repr(RtValue *self);
static void cdata_dealloc(RtValue *self);
static int cdata_ser_dump(RtValue *self, struct RtBuf *buf);
static RtValue *cdata_ser_load(RtType *type, struct RtBuf *buf);
static int64_t array_len(RtValue *self);
static RtValue *array_getitem(RtValue *self, RtValue *key);
static int array_setitem(RtValue *self, RtValue *key, RtValue *v);
static RtValue *array_iter(RtValue *self);
static const RtGetSetDef char_array_getset[], wchar_array_getset[];

static CArrayType *array_type_new(RtType *elem, int64_t n, const char *module) {
    const CInfo *ei = type_info(elem);
    if (!ei) return NULL;
    if ((uint64_t)n > (SIZE_MAX / 2) / (ei->size ? ei->size : 1))
        return rt_raise(&rt_exc_OverflowError, "array too large"), NULL;
    CArrayType *a = rt_calloc(1, sizeof *a);
    if (!a) return NULL;
    snprintf(a->name, sizeof a->name, "%s_Array_%lld", elem->name, (long long)n);
    a->module = module;
    a->info = (CInfo){CK_ARRAY, 0, ei->size * (size_t)n, ei->align, NULL, 0, elem, n};
    a->t = (RtType){
        .ob = RT_STATIC_HEAD(&rt_type_type),
        .name = a->name,
        .module = module,
        .tag = RT_T_NATIVE,
        .base = NULL,
        .size = sizeof(RtCData),
        .table_index = -1,
        .dealloc = cdata_dealloc,
        .repr = cdata_repr,
        .len = array_len,
        .getitem = array_getitem,
        .setitem = array_setitem,
        .iter = array_iter,
        .construct = array_construct,
        .ser_dump = cdata_ser_dump,
        .ser_load = cdata_ser_load,
        .getset = elem == &rt_ctypes_c_char ? char_array_getset
                : elem == &rt_ctypes_c_wchar ? wchar_array_getset : NULL,
    };
    return a;
}

RtType *rt_ctypes_array_type(RtType *elem, int64_t n, const char *module) {
    if (!module) module = "__main__";
    if (n < 0) {
        rt_raise_fmt(&rt_exc_ValueError, "Array length must be >= 0, not %lld", (long long)n);
        return NULL;
    }
    /* Cached by (elem, n) alone: as in ctypes, the type keeps the module of
     * whoever made it first (c_int * 3 after Array('i', 3) is
     * multiprocessing.sharedctypes.c_int_Array_3). */
    for (size_t i = 0; i < narray_types; i++) {
        CArrayType *a = array_types[i];
        if (a->info.elem == elem && a->info.length == n) return &a->t;
    }
    if (narray_types == caparray_types) {
        size_t cap = caparray_types ? caparray_types * 2 : 8;
        CArrayType **v = rt_realloc(array_types, cap * sizeof *v);
        if (!v) return NULL;
        array_types = v;
        caparray_types = cap;
    }
    CArrayType *a = array_type_new(elem, n, module);
    if (!a) return NULL;
    array_types[narray_types++] = a;
    return &a->t;
}

/* ==== instances ==================================================================== */

static RtValue *cdata_alloc(RtType *t, const CInfo *info) {
    RtCData *c = (RtCData *)rt_obj_alloc(t, t->size ? t->size : sizeof(RtCData));
    if (!c) return NULL;
    c->code = info->kind == CK_SIMPLE ? info->code : 0;
    if (info->size <= sizeof c->small) {
        c->ptr = (unsigned char *)c->small;
        c->mem = CD_INLINE;
    } else {
        if (!(c->ptr = rt_calloc(1, info->size))) { rt_decref(&c->ob); return NULL; }
        c->mem = CD_HEAP;
    }
    return &c->ob;
}

RtValue *rt_ctypes_from_memory(RtType *t, unsigned char *ptr, RtValue *base) {
    const CInfo *info = type_info(t);
    if (!info) return NULL;
    RtCData *c = (RtCData *)rt_obj_alloc(t, t->size ? t->size : sizeof(RtCData));
    if (!c) return NULL;
    c->code = info->kind == CK_SIMPLE ? info->code : 0;
    c->ptr = ptr;
    if (base) {
        c->base = rt_newref(base);
        c->mem = CD_VIEW;
    } else {
        c->mem = CD_SHM;
    }
    return &c->ob;
}

static void cdata_dealloc(RtValue *self) {
    RtCData *c = CDATA(self);
    switch (c->mem) {
    case CD_HEAP: rt_free(c->ptr); break;
    case CD_SHM:  rt_mp_heap_free(c->ptr); rt_shm_free(c->ptr); break;
    case CD_VIEW: RT_CLEAR(c->base); break;
    default:      break;
    }
    c->ptr = NULL;
    RT_CLEAR(c->dict);
}

/* "<__main__.Point object at 0x...>", "<multiprocessing.sharedctypes.c_int_Array_3 object at 0x...>" */
static RtValue *cdata_repr(RtValue *self) {
    char buf[256];
    const char *mod = self->type->module ? self->type->module : "builtins";
    snprintf(buf, sizeof buf, "<%s.%s object at %p>", mod, self->type->name, (void *)self);
    return rt_str_from_cstr(buf);
}

/* ==== scalar values: C bytes <-> Python objects ==================================== */

/* The low 64 bits of an int, two's complement (PyLong_AsUnsignedLongLongMask). */
static int int_mask64(RtValue *v, uint64_t *out) {
    if (!rt_is_int(v)) {
        rt_raise_fmt(&rt_exc_TypeError, "'%s' object cannot be interpreted as an integer", rt_type_name(v));
        return -1;
    }
    if (v->type == &rt_type_bool) { *out = v == rt_True; return 0; }
    RtInt *i = (RtInt *)v;
    if (!i->big) { *out = (uint64_t)i->small; return 0; }
    mpz_srcptr z = i->big;
    uint64_t lo = (uint64_t)mpz_getlimbn(z, 0);
    *out = mpz_sgn(z) < 0 ? (uint64_t)0 - lo : lo;
    return 0;
}

/* One UTF-8 code point of a 1-character str. */
static int str_one_char(RtValue *v, uint32_t *cp) {
    if (!rt_is_str(v)) {
        rt_raise_fmt(&rt_exc_TypeError, "unicode string expected instead of %s instance", rt_type_name(v));
        return -1;
    }
    if (((RtStr *)v)->ncp != 1) {
        rt_raise(&rt_exc_TypeError, "one character unicode string expected");
        return -1;
    }
    const unsigned char *s = (const unsigned char *)rt_str_data(v);
    size_t n = rt_str_nbytes(v);
    uint32_t c = n == 1 ? s[0] : n == 2 ? s[0] & 0x1f : n == 3 ? s[0] & 0x0f : s[0] & 0x07;
    for (size_t k = 1; k < n; k++) c = (c << 6) | (s[k] & 0x3f);
    *cp = c;
    return 0;
}

static int char_value(RtValue *v, unsigned char *out) {
    if (rt_is_bytes(v) && ((RtBytes *)v)->len == 1) { *out = ((RtBytes *)v)->data[0]; return 0; }
    if (rt_is_bytearray(v) && ((RtByteArray *)v)->len == 1) { *out = ((RtByteArray *)v)->data[0]; return 0; }
    if (rt_is_int(v)) {
        int64_t x;
        if (rt_int_as_i64(v, &x) == 0 && x >= 0 && x < 256) { *out = (unsigned char)x; return 0; }
        if (RT_ERR()) rt_decref(rt_exc_fetch());
    }
    rt_raise(&rt_exc_TypeError, "one character bytes, bytearray or integer expected");
    return -1;
}

/* Stores v at p as the scalar `code`, with ctypes' conversions. 0 or -1. */
static int simple_set(char code, unsigned char *p, RtValue *v) {
    uint64_t u;
    double d;
    switch (code) {
    case '?': {
        int t = rt_truthy(v);
        if (t < 0) return -1;
        *p = (unsigned char)t;
        return 0;
    }
    case 'c': return char_value(v, p);
    case 'u': {
        uint32_t cp;
        if (str_one_char(v, &cp) < 0) return -1;
        memcpy(p, &cp, 4);
        return 0;
    }
    case 'f': {
        if (rt_as_double(v, &d) < 0) return -1;
        float f = (float)d;
        memcpy(p, &f, 4);
        return 0;
    }
    case 'd':
        if (rt_as_double(v, &d) < 0) return -1;
        memcpy(p, &d, 8);
        return 0;
    default:
        break;
    }
    if (int_mask64(v, &u) < 0) return -1;
    switch (code) {
    case 'b': case 'B': { uint8_t x = (uint8_t)u; memcpy(p, &x, 1); return 0; }
    case 'h': case 'H': { uint16_t x = (uint16_t)u; memcpy(p, &x, 2); return 0; }
    case 'i': case 'I': { uint32_t x = (uint32_t)u; memcpy(p, &x, 4); return 0; }
    default:            memcpy(p, &u, 8); return 0;
    }
}

static RtValue *wchar_str(uint32_t cp) {
    char buf[4];
    size_t n;
    if (cp > 0x10ffff) cp = 0xfffd;
    if (cp < 0x80) { buf[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { buf[0] = (char)(0xc0 | cp >> 6); buf[1] = (char)(0x80 | (cp & 0x3f)); n = 2; }
    else if (cp < 0x10000) {
        buf[0] = (char)(0xe0 | cp >> 12); buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        buf[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
    } else {
        buf[0] = (char)(0xf0 | cp >> 18); buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); buf[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
    }
    return rt_str_new(buf, n);
}

/* The Python value of the scalar `code` at p. New reference. */
static RtValue *simple_get(char code, const unsigned char *p) {
    switch (code) {
    case '?': return rt_bool(*p != 0);
    case 'c': return rt_bytes_new(p, 1);
    case 'u': { uint32_t c; memcpy(&c, p, 4); return wchar_str(c); }
    case 'b': return rt_int((int8_t)*p);
    case 'B': return rt_int(*p);
    case 'h': { int16_t x; memcpy(&x, p, 2); return rt_int(x); }
    case 'H': { uint16_t x; memcpy(&x, p, 2); return rt_int(x); }
    case 'i': { int32_t x; memcpy(&x, p, 4); return rt_int(x); }
    case 'I': { uint32_t x; memcpy(&x, p, 4); return rt_int(x); }
    case 'l': case 'q': { int64_t x; memcpy(&x, p, 8); return rt_int(x); }
    case 'L': case 'Q': { uint64_t x; memcpy(&x, p, 8); return rt_int_from_u64(x); }
    case 'f': { float x; memcpy(&x, p, 4); return rt_float(x); }
    case 'd': { double x; memcpy(&x, p, 8); return rt_float(x); }
    }
    return rt_raise(&rt_exc_RuntimeError, "unknown ctypes code");
}

/* ==== reading and writing a value of any ctypes type at an address ================== */

static int struct_fill(const CInfo *i, unsigned char *p, RtValue *const *args, size_t nargs);

/* The Python value of type t stored at p, inside `owner`: scalars are
 * converted, Structures and arrays come back as views (char arrays as bytes,
 * as ctypes' struct fields do). New reference. */
static RtValue *value_at(RtType *t, unsigned char *p, RtValue *owner, bool char_arrays_as_bytes) {
    const CInfo *i = type_info(t);
    if (!i) return NULL;
    if (i->kind == CK_SIMPLE) return simple_get(i->code, p);
    if (char_arrays_as_bytes && i->kind == CK_ARRAY && i->elem == &rt_ctypes_c_char) {
        size_t n = strnlen((const char *)p, (size_t)i->length);
        return rt_bytes_new(p, n);
    }
    return rt_ctypes_from_memory(t, p, owner);
}

/* Stores v, a value for type t, at p (struct fields, array items). */
static int store_at(RtType *t, unsigned char *p, RtValue *v) {
    const CInfo *i = type_info(t);
    if (!i) return -1;
    if (i->kind == CK_SIMPLE) return simple_set(i->code, p, v);
    if (v->type == t) {                                  /* same type: copy the bytes */
        memmove(p, CDATA(v)->ptr, i->size);
        return 0;
    }
    if (i->kind == CK_STRUCT && rt_is_tuple(v)) {        /* a tuple initialises the fields */
        memset(p, 0, i->size);
        return struct_fill(i, p, ((RtTuple *)v)->items, RT_TUPLE_LEN(v));
    }
    if (i->kind == CK_ARRAY && i->elem == &rt_ctypes_c_char && rt_is_bytes(v)) {
        RtBytes *b = (RtBytes *)v;
        if (b->len > (size_t)i->length) { rt_raise(&rt_exc_ValueError, "bytes too long"); return -1; }
        memcpy(p, b->data, b->len);
        if (b->len < (size_t)i->length) p[b->len] = 0;
        return 0;
    }
    rt_raise_fmt(&rt_exc_TypeError, "incompatible types, %s instance instead of %s instance",
                 rt_type_name(v), t->name);
    return -1;
}

/* ==== scalar instances: c_int(7) ====================================================== */

RtValue *rt_ctypes_get_value(RtValue *obj) {
    if (RT_LIKELY(CDATA(obj)->code)) return simple_get(CDATA(obj)->code, CDATA(obj)->ptr);
    const CInfo *i = type_info(obj->type);
    if (!i) return NULL;
    if (i->kind == CK_SIMPLE) return simple_get(i->code, CDATA(obj)->ptr);
    if (i->kind == CK_ARRAY && i->elem == &rt_ctypes_c_char)
        return rt_bytes_new(CDATA(obj)->ptr, strnlen((const char *)CDATA(obj)->ptr, (size_t)i->length));
    if (i->kind == CK_ARRAY && i->elem == &rt_ctypes_c_wchar) {
        RtStrBuf b;
        rt_strbuf_init(&b);
        const unsigned char *p = CDATA(obj)->ptr;
        for (int64_t k = 0; k < i->length; k++) {
            uint32_t cp;
            memcpy(&cp, p + 4 * k, 4);
            if (!cp) break;
            rt_strbuf_put_cp(&b, cp);
        }
        return rt_strbuf_finish(&b);
    }
    return rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute 'value'", obj->type->name);
}

static int set_char_array_value(RtValue *obj, const CInfo *i, RtValue *v) {
    if (!rt_is_bytes(v)) {
        rt_raise_fmt(&rt_exc_TypeError, "bytes expected instead of %s instance", rt_type_name(v));
        return -1;
    }
    RtBytes *b = (RtBytes *)v;
    if (b->len > (size_t)i->length) { rt_raise(&rt_exc_ValueError, "byte string too long"); return -1; }
    memcpy(CDATA(obj)->ptr, b->data, b->len);
    if (b->len < (size_t)i->length) CDATA(obj)->ptr[b->len] = 0;
    return 0;
}

static int set_wchar_array_value(RtValue *obj, const CInfo *i, RtValue *v) {
    if (!rt_is_str(v)) {
        rt_raise_fmt(&rt_exc_TypeError, "unicode string expected instead of %s instance", rt_type_name(v));
        return -1;
    }
    RtStr *s = (RtStr *)v;
    if (s->ncp > (size_t)i->length) { rt_raise(&rt_exc_ValueError, "string too long"); return -1; }
    const unsigned char *q = (const unsigned char *)s->data;
    unsigned char *p = CDATA(obj)->ptr;
    for (size_t k = 0; k < s->ncp; k++) {
        size_t n = q[0] < 0x80 ? 1 : q[0] < 0xe0 ? 2 : q[0] < 0xf0 ? 3 : 4;
        uint32_t c = n == 1 ? q[0] : n == 2 ? q[0] & 0x1f : n == 3 ? q[0] & 0x0f : q[0] & 0x07;
        for (size_t j = 1; j < n; j++) c = (c << 6) | (q[j] & 0x3f);
        memcpy(p + 4 * k, &c, 4);
        q += n;
    }
    if (s->ncp < (size_t)i->length) memset(p + 4 * s->ncp, 0, 4);
    return 0;
}

int rt_ctypes_set_value(RtValue *obj, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_TypeError, "can't delete attribute"); return -1; }
    if (RT_LIKELY(CDATA(obj)->code)) return simple_set(CDATA(obj)->code, CDATA(obj)->ptr, v);
    const CInfo *i = type_info(obj->type);
    if (!i) return -1;
    if (i->kind == CK_SIMPLE) return simple_set(i->code, CDATA(obj)->ptr, v);
    if (i->kind == CK_ARRAY && i->elem == &rt_ctypes_c_char) return set_char_array_value(obj, i, v);
    if (i->kind == CK_ARRAY && i->elem == &rt_ctypes_c_wchar) return set_wchar_array_value(obj, i, v);
    rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute 'value'", obj->type->name);
    return -1;
}

static RtValue *simple_get_value(RtValue *self) { return rt_ctypes_get_value(self); }
static int simple_set_value(RtValue *self, RtValue *v) { return rt_ctypes_set_value(self, v); }

/* "c_int(7)", "c_char(b'a')", "c_double(0.5)" */
static RtValue *simple_repr(RtValue *self) {
    RtValue *v = rt_ctypes_get_value(self);
    if (!v) return NULL;
    RtValue *r = rt_repr(v);
    rt_decref(v);
    if (!r) return NULL;
    RtValue *parts[4] = {rt_str_from_cstr(self->type->name), rt_str_new("(", 1), r, rt_str_new(")", 1)};
    RtValue *out = parts[0] && parts[1] && parts[3] ? rt_str_build(parts, 4) : NULL;
    for (int k = 0; k < 4; k++) rt_xdecref(parts[k]);
    return out;
}

/* c_int(), c_int(7): "__init__ expected at most 1 argument, got 2" */
static RtValue *simple_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    const CInfo *i = simple_info(type);
    RtValue *o = cdata_alloc(type, i);
    if (!o) return NULL;
    if (kwnames && RT_TUPLE_LEN(kwnames)) {
        /* ctypes sets keyword arguments as attributes */
        for (size_t k = 0; k < RT_TUPLE_LEN(kwnames); k++)
            if (rt_setattr(o, rt_str_data(RT_TUPLE_GET(kwnames, k)), args[nargs + k]) < 0) goto fail;
    }
    if (nargs > 1) {
        rt_raise_fmt(&rt_exc_TypeError, "__init__ expected at most 1 argument, got %d", (int)nargs);
        goto fail;
    }
    if (nargs == 1 && simple_set(i->code, CDATA(o)->ptr, args[0]) < 0) goto fail;
    return o;
fail:
    rt_decref(o);
    return NULL;
}

/* c_int(5) == c_int(5) is False in ctypes (identity); the core's default
 * richcompare gives that. */
static const RtGetSetDef simple_getset[] = {
    {"value", simple_get_value, simple_set_value},
    {NULL, NULL, NULL},
};

static int cdata_ser_dump(RtValue *self, struct RtBuf *buf);
static RtValue *cdata_ser_load(RtType *type, struct RtBuf *buf);

#define SIMPLE_TYPE(cname, pyname)                                         \
    RtType cname = {                                                       \
        .ob = RT_STATIC_HEAD(&rt_type_type),                               \
        .name = pyname,                                                    \
        .module = "ctypes",                                                \
        .tag = RT_T_NATIVE,                                                \
        .size = sizeof(RtCData),                                           \
        .table_index = -1,                                                 \
        .dealloc = cdata_dealloc,                                          \
        .repr = simple_repr,                                               \
        .construct = simple_construct,                                     \
        .ser_dump = cdata_ser_dump,                                        \
        .ser_load = cdata_ser_load,                                        \
        .getset = simple_getset,                                           \
    }

SIMPLE_TYPE(rt_ctypes_c_bool, "c_bool");
SIMPLE_TYPE(rt_ctypes_c_char, "c_char");
SIMPLE_TYPE(rt_ctypes_c_wchar, "c_wchar");
SIMPLE_TYPE(rt_ctypes_c_byte, "c_byte");
SIMPLE_TYPE(rt_ctypes_c_ubyte, "c_ubyte");
SIMPLE_TYPE(rt_ctypes_c_short, "c_short");
SIMPLE_TYPE(rt_ctypes_c_ushort, "c_ushort");
SIMPLE_TYPE(rt_ctypes_c_int, "c_int");
SIMPLE_TYPE(rt_ctypes_c_uint, "c_uint");
SIMPLE_TYPE(rt_ctypes_c_long, "c_long");
SIMPLE_TYPE(rt_ctypes_c_ulong, "c_ulong");
SIMPLE_TYPE(rt_ctypes_c_float, "c_float");
SIMPLE_TYPE(rt_ctypes_c_double, "c_double");

/* ==== Structure ========================================================================= */

static const CField *find_field(const CInfo *info, const char *name) {
    for (int k = 0; k < info->nfields; k++)
        if (strcmp(info->fields[k].name, name) == 0) return &info->fields[k];
    return NULL;
}

/* Structure.__new__: a zeroed instance of cls (or of a script subclass). */
static RtValue *struct_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args; (void)nargs; (void)kwnames;
    const CInfo *i = type == &rt_ctypes_Structure ? &(CInfo){CK_STRUCT, 0, 0, 1, NULL, 0, NULL, 0}
                                                  : type_info(type);
    if (!i) return NULL;
    return cdata_alloc(type, i);
}

/* Positional initialisers fill the fields in order. */
static int struct_fill(const CInfo *i, unsigned char *p, RtValue *const *args, size_t nargs) {
    int nf = i ? i->nfields : 0;
    if (nargs > (size_t)nf) { rt_raise(&rt_exc_TypeError, "too many initializers"); return -1; }
    for (size_t k = 0; k < nargs; k++)
        if (store_at(i->fields[k].type, p + i->fields[k].offset, args[k]) < 0) return -1;
    return 0;
}

/* Structure.__init__: positional initialisers, then keywords by name. */
static int struct_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    const CInfo *i = self->type == &rt_ctypes_Structure ? NULL : type_info(self->type);
    if (!i && self->type != &rt_ctypes_Structure) return -1;
    if (struct_fill(i, CDATA(self)->ptr, args, nargs) < 0) return -1;
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    for (size_t k = 0; k < nkw; k++) {
        const char *name = rt_str_data(RT_TUPLE_GET(kwnames, k));
        for (size_t j = 0; j < nargs; j++)
            if (strcmp(i->fields[j].name, name) == 0) {
                rt_raise_fmt(&rt_exc_TypeError, "duplicate values for field '%s'", name);
                return -1;
            }
        if (rt_setattr(self, name, args[nargs + k]) < 0) return -1;
    }
    return 0;
}

int rt_ctypes_init(RtValue *obj, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    const CInfo *i = type_info(obj->type);
    if (!i) return -1;
    if (i->kind == CK_STRUCT) return struct_init(obj, args, nargs, kwnames);
    if (i->kind == CK_ARRAY) {
        if (kwnames && RT_TUPLE_LEN(kwnames)) {
            rt_raise(&rt_exc_TypeError, "keyword arguments are not supported for arrays");
            return -1;
        }
        for (size_t k = 0; k < nargs; k++) {
            if (k >= (size_t)i->length) { rt_raise(&rt_exc_IndexError, "invalid index"); return -1; }
            if (store_at(i->elem, CDATA(obj)->ptr + k * elem_size(i), args[k]) < 0) return -1;
        }
        return 0;
    }
    if (nargs > 1) {
        rt_raise_fmt(&rt_exc_TypeError, "__init__ expected at most 1 argument, got %d", (int)nargs);
        return -1;
    }
    return nargs ? simple_set(i->code, CDATA(obj)->ptr, args[0]) : 0;
}

static RtValue *struct_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return struct_init(self, args, nargs, kwnames) < 0 ? NULL : rt_None;
}

static RtValue *struct_getattr(RtValue *self, const char *name) {
    if (self->type == &rt_ctypes_Structure) return NULL;
    const CInfo *i = type_info(self->type);
    if (!i) return NULL;
    const CField *f = find_field(i, name);
    if (!f) return NULL;
    return value_at(f->type, CDATA(self)->ptr + f->offset, self, true);
}

static int struct_setattr(RtValue *self, const char *name, RtValue *v) {
    const CInfo *i = self->type == &rt_ctypes_Structure ? NULL : type_info(self->type);
    if (!i && RT_ERR()) return -1;
    const CField *f = i ? find_field(i, name) : NULL;
    if (!f) return rt_obj_dict_setattr(self, name, v);
    if (!v) { rt_raise(&rt_exc_TypeError, "can't delete attribute"); return -1; }
    return store_at(f->type, CDATA(self)->ptr + f->offset, v);
}

static const RtMethodDef struct_methods[] = {
    {"__init__", struct_m_init},
    {NULL, NULL},
};

RtType rt_ctypes_Structure = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Structure",
    .module = "_ctypes",
    .tag = RT_T_NATIVE,
    .flags = RT_TF_BASETYPE,
    .size = sizeof(RtCData),
    .dict_offset = offsetof(RtCData, dict),
    .table_index = -1,
    .dealloc = cdata_dealloc,
    .repr = cdata_repr,
    .construct = struct_construct,
    .getattr = struct_getattr,
    .setattr = struct_setattr,
    .ser_dump = cdata_ser_dump,
    .ser_load = cdata_ser_load,
    .methods = struct_methods,
};

/* ==== arrays ================================================================================ */

static RtValue *array_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    const CInfo *i = &((CArrayType *)type)->info;
    RtValue *o = cdata_alloc(type, i);
    if (o && rt_ctypes_init(o, args, nargs, kwnames) < 0) RT_CLEAR(o);
    return o;
}

static int64_t array_len(RtValue *self) {
    return ((CArrayType *)self->type)->info.length;
}

static RtValue *array_item(RtValue *self, int64_t k) {
    const CInfo *i = &((CArrayType *)self->type)->info;
    return value_at(i->elem, CDATA(self)->ptr + (size_t)k * elem_size(i), self, false);
}

/* a[i:j:k]: a list, or bytes / str for c_char / c_wchar arrays. */
static RtValue *array_slice(RtValue *self, RtValue *slice) {
    const CInfo *i = &((CArrayType *)self->type)->info;
    int64_t start, stop, step, n;
    if (rt_slice_indices(slice, i->length, &start, &stop, &step, &n) < 0) return NULL;
    const unsigned char *p = CDATA(self)->ptr;
    if (i->elem == &rt_ctypes_c_char) {
        if (step == 1) return rt_bytes_new(p + start, (size_t)n);
        unsigned char *tmp = rt_malloc((size_t)n + 1);
        if (!tmp) return NULL;
        for (int64_t k = 0; k < n; k++) tmp[k] = p[start + k * step];
        RtValue *b = rt_bytes_new(tmp, (size_t)n);
        rt_free(tmp);
        return b;
    }
    if (i->elem == &rt_ctypes_c_wchar) {
        RtStrBuf b;
        rt_strbuf_init(&b);
        for (int64_t k = 0; k < n; k++) {
            uint32_t cp;
            memcpy(&cp, p + 4 * (start + k * step), 4);
            rt_strbuf_put_cp(&b, cp);
        }
        return rt_strbuf_finish(&b);
    }
    RtValue *l = rt_list_new((size_t)n);
    if (!l) return NULL;
    for (int64_t k = 0; k < n; k++) {
        RtValue *v = array_item(self, start + k * step);
        if (!v || rt_list_append_steal(l, v) < 0) { rt_decref(l); return NULL; }
    }
    return l;
}

static int array_index(RtValue *self, RtValue *key, int64_t *k) {
    if (!rt_is_int(key)) {
        rt_raise(&rt_exc_TypeError, "indices must be integers");
        return -1;
    }
    int64_t len = array_len(self);
    if (rt_int_as_i64(key, k) < 0) {
        rt_decref(rt_exc_fetch());
        *k = -1 - len;    /* out of range either way */
    }
    if (*k < 0) *k += len;
    if (*k < 0 || *k >= len) { rt_raise(&rt_exc_IndexError, "invalid index"); return -1; }
    return 0;
}

static RtValue *array_getitem(RtValue *self, RtValue *key) {
    if (rt_is_slice(key)) return array_slice(self, key);
    int64_t k;
    if (array_index(self, key, &k) < 0) return NULL;
    return array_item(self, k);
}

static int array_set_slice(RtValue *self, RtValue *slice, RtValue *v) {
    const CInfo *i = &((CArrayType *)self->type)->info;
    int64_t start, stop, step, n;
    if (rt_slice_indices(slice, i->length, &start, &stop, &step, &n) < 0) return -1;
    int64_t vn = rt_len(v);
    if (vn < 0) return -1;
    if (vn != n) { rt_raise(&rt_exc_ValueError, "Can only assign sequence of same size"); return -1; }
    size_t es = elem_size(i);
    for (int64_t k = 0; k < n; k++) {
        RtValue *idx = rt_int(k);
        RtValue *item = idx ? rt_getitem(v, idx) : NULL;
        rt_xdecref(idx);
        if (!item) return -1;
        if (i->elem == &rt_ctypes_c_char && rt_is_int(item)) {   /* bytes yield ints */
            RtValue *b = rt_bytes_new(&(unsigned char){(unsigned char)((RtInt *)item)->small}, 1);
            rt_decref(item);
            if (!(item = b)) return -1;
        }
        int r = store_at(i->elem, CDATA(self)->ptr + (size_t)(start + k * step) * es, item);
        rt_decref(item);
        if (r < 0) return -1;
    }
    return 0;
}

static int array_setitem(RtValue *self, RtValue *key, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_TypeError, "Array does not support item deletion"); return -1; }
    if (rt_is_slice(key)) return array_set_slice(self, key, v);
    int64_t k;
    if (array_index(self, key, &k) < 0) return -1;
    const CInfo *i = &((CArrayType *)self->type)->info;
    return store_at(i->elem, CDATA(self)->ptr + (size_t)k * elem_size(i), v);
}

/* ---- c_char arrays: .value (up to the first NUL) and .raw; c_wchar: .value ---- */

static RtValue *char_array_get_raw(RtValue *self) {
    return rt_bytes_new(CDATA(self)->ptr, (size_t)array_len(self));
}

static int char_array_set_raw(RtValue *self, RtValue *v) {
    unsigned char *p;
    size_t n;
    if (!v) { rt_raise(&rt_exc_TypeError, "can't delete attribute"); return -1; }
    if (rt_shared_buffer(v, &p, &n, false) < 0) return -1;
    if (n > (size_t)array_len(self)) { rt_raise(&rt_exc_ValueError, "byte string too long"); return -1; }
    memmove(CDATA(self)->ptr, p, n);
    return 0;
}

static const RtGetSetDef char_array_getset[] = {
    {"value", simple_get_value, simple_set_value},
    {"raw", char_array_get_raw, char_array_set_raw},
    {NULL, NULL, NULL},
};

static const RtGetSetDef wchar_array_getset[] = {
    {"value", simple_get_value, simple_set_value},
    {NULL, NULL, NULL},
};

/* ---- iteration: the sequence protocol, as CPython iterates ctypes arrays ---- */

typedef struct ArrayIter { RtValue ob; RtValue *seq; int64_t i; } ArrayIter;

static RtValue *array_iter(RtValue *self) {
    ArrayIter *it = (ArrayIter *)rt_obj_alloc(&rt_ctypes_ArrayIter, sizeof(ArrayIter));
    if (!it) return NULL;
    it->seq = rt_newref(self);
    return &it->ob;
}

static RtValue *array_iter_next(RtValue *self) {
    ArrayIter *it = (ArrayIter *)self;
    if (!it->seq) return NULL;
    if (it->i >= array_len(it->seq)) { RT_CLEAR(it->seq); return NULL; }
    return array_item(it->seq, it->i++);
}

static RtValue *array_iter_self(RtValue *self) { return rt_newref(self); }
static void array_iter_dealloc(RtValue *self) { RT_CLEAR(((ArrayIter *)self)->seq); }

RtType rt_ctypes_ArrayIter = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "iterator",
    .tag = RT_T_ITER,
    .size = sizeof(ArrayIter),
    .table_index = -1,
    .dealloc = array_iter_dealloc,
    .iter = array_iter_self,
    .iternext = array_iter_next,
};

/* ==== serialization ==========================================================================
 * A ctypes object travels as its bytes, except when they are in the shared
 * heap (sharedctypes): then as a reference to them, so that the receiving
 * process (a spawned child) sees the same memory, as CPython's
 * rebuild_ctype does. Types travel as descriptors: a scalar's code, a
 * Structure class's index in the program's class table, an array's element
 * descriptor and length. */

enum { TD_SIMPLE = 'S', TD_STRUCT = 'C', TD_ARRAY = 'A' };

static int dump_type(struct RtBuf *b, RtType *t) {
    const CInfo *i = type_info(t);
    if (!i) return -1;
    uint8_t tag = i->kind == CK_SIMPLE ? TD_SIMPLE : i->kind == CK_STRUCT ? TD_STRUCT : TD_ARRAY;
    if (rt__shared_put(b, &tag, 1) < 0) return -1;
    if (tag == TD_SIMPLE) return rt__shared_put(b, &i->code, 1);
    if (tag == TD_STRUCT) {
        int32_t idx = t->table_index;
        if (idx < 0) {
            rt_raise_fmt(&rt_exc_PicklingError, "Can't pickle <class '%s'>: it is not in the class table", t->name);
            return -1;
        }
        return rt__shared_put(b, &idx, sizeof idx);
    }
    int64_t n = i->length;
    if (dump_type(b, i->elem) < 0 || rt__shared_put(b, &n, sizeof n) < 0) return -1;
    size_t ml = strlen(((CArrayType *)t)->module);
    uint8_t l8 = (uint8_t)(ml < 255 ? ml : 255);
    if (rt__shared_put(b, &l8, 1) < 0) return -1;
    return rt__shared_put(b, ((CArrayType *)t)->module, l8);
}

static const char *intern_module(const char *m, size_t n) {
    static const char *known[] = {"__main__", "multiprocessing.sharedctypes"};
    for (size_t k = 0; k < 2; k++)
        if (strlen(known[k]) == n && memcmp(known[k], m, n) == 0) return known[k];
    return "__main__";
}

static RtType *load_type(struct RtBuf *b) {
    uint8_t tag;
    if (rt__shared_get(b, &tag, 1) < 0) return NULL;
    if (tag == TD_SIMPLE) {
        char code;
        if (rt__shared_get(b, &code, 1) < 0) return NULL;
        for (size_t k = 0; k < NSIMPLE; k++)
            if (simple_types[k].info.code == code) return simple_types[k].type;
    } else if (tag == TD_STRUCT) {
        int32_t idx;
        if (rt__shared_get(b, &idx, sizeof idx) < 0) return NULL;
        if (rt_program && idx >= 0 && idx < rt_program->nclasses) return rt_program->classes[idx];
    } else if (tag == TD_ARRAY) {
        RtType *elem = load_type(b);
        int64_t n;
        uint8_t l8;
        char mod[256];
        if (!elem || rt__shared_get(b, &n, sizeof n) < 0 || rt__shared_get(b, &l8, 1) < 0 ||
            rt__shared_get(b, mod, l8) < 0)
            return NULL;
        return rt_ctypes_array_type(elem, n, intern_module(mod, l8));
    }
    rt_raise(&rt_exc_ValueError, "corrupt ctypes type in serialized data");
    return NULL;
}

/* The payload of a ctypes object of a known type: mode byte, then bytes or a shared reference. */
static int dump_data(struct RtBuf *b, RtValue *obj) {
    const CInfo *i = type_info(obj->type);
    if (!i) return -1;
    uint8_t by_ref = rt__shm_contains(CDATA(obj)->ptr);
    if (by_ref && rt__shared_assert_spawning(obj->type->name) < 0) return -1;
    if (rt__shared_put(b, &by_ref, 1) < 0) return -1;
    if (by_ref) return rt_shm_dump_ref(b, CDATA(obj)->ptr);
    return rt__shared_put(b, CDATA(obj)->ptr, i->size);
}

static RtValue *load_data(struct RtBuf *b, RtType *t) {
    const CInfo *i = type_info(t);
    uint8_t by_ref;
    if (!i || rt__shared_get(b, &by_ref, 1) < 0) return NULL;
    if (by_ref) {
        unsigned char *p = rt_shm_load_ref(b);
        return p ? rt_ctypes_from_memory(t, p, rt_None) : NULL;   /* mapped: never freed */
    }
    RtValue *o = cdata_alloc(t, i);
    if (o && rt__shared_get(b, CDATA(o)->ptr, i->size) < 0) RT_CLEAR(o);
    return o;
}

int rt__ctypes_dump_obj(struct RtBuf *b, RtValue *obj) {
    return dump_type(b, obj->type) < 0 ? -1 : dump_data(b, obj);
}

RtValue *rt__ctypes_load_obj(struct RtBuf *b) {
    RtType *t = load_type(b);
    return t ? load_data(b, t) : NULL;
}

static int cdata_ser_dump(RtValue *self, struct RtBuf *buf) { return dump_data(buf, self); }
static RtValue *cdata_ser_load(RtType *type, struct RtBuf *buf) { return load_data(buf, type); }

int64_t rt__ctypes_field_offset(RtType *t, const char *name) {
    if (!is_struct_type(t)) return -1;
    const CInfo *i = type_info(t);
    const CField *f = i ? find_field(i, name) : NULL;
    return f ? (int64_t)f->offset : -1;
}

bool rt__ctypes_has_field(RtType *t, const char *name) {
    if (!is_struct_type(t)) return false;
    const CInfo *i = type_info(t);
    if (!i) { rt_decref(rt_exc_fetch()); return false; }
    return find_field(i, name) != NULL;
}

/* ==== module functions ===================================================================== */

/* The type of a ctypes type or instance argument, or NULL + TypeError. */
static const CInfo *arg_info(RtValue *v) {
    RtType *t = v->type == &rt_type_type ? (RtType *)v : v->type;
    if (!rt_ctypes_is_type(t)) {
        rt_raise(&rt_exc_TypeError, "this type has no size");
        return NULL;
    }
    return type_info(t);
}

RtValue *rt_ctypes_sizeof(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("sizeof", nargs, kwnames, 1, 1) < 0) return NULL;
    const CInfo *i = arg_info(args[0]);
    return i ? rt_int((int64_t)i->size) : NULL;
}

RtValue *rt_ctypes_alignment(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("alignment", nargs, kwnames, 1, 1) < 0) return NULL;
    const CInfo *i = arg_info(args[0]);
    if (!i && RT_ERR()) {
        rt_decref(rt_exc_fetch());
        return rt_raise(&rt_exc_TypeError, "no alignment info");
    }
    return rt_int((int64_t)i->align);
}

/* ==== the buffer protocol for ctypes objects (rt_shared_buffer, in shm.c) =============== */

/* The bytes of a ctypes instance: 1 (found), 0 (not a ctypes object), -1. */
int rt__ctypes_buffer(RtValue *o, unsigned char **p, size_t *n) {
    if (!rt_ctypes_is_type(o->type)) return 0;
    const CInfo *i = type_info(o->type);
    if (!i) return -1;
    *p = CDATA(o)->ptr;
    *n = i->size;
    return 1;
}

/* object.c: the object model's core — allocation, the base types (type,
 * object, NoneType, function, builtin, method, cell, property, staticmethod,
 * classmethod), attribute lookup and calls.
 *
 * Key idea: every behaviour goes through the value's type. Attribute lookup
 * walks the type chain once, looking in each type's namespace dict (script
 * classes), getset table and methods table, and then applies CPython's
 * precedence: data descriptors (getset, property) before the instance dict,
 * the instance dict before methods and class attributes.
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

/* ==== allocation ========================================================== */

static long alloc_budget = -1;   /* < 0: unlimited (see rt_alloc_fail_after) */

static bool alloc_allowed(void) {
    if (alloc_budget < 0) return true;
    if (alloc_budget == 0) return false;
    alloc_budget--;
    return true;
}

void rt_alloc_fail_after(long n) { alloc_budget = n; }

void *rt_malloc(size_t n) {
    void *p = alloc_allowed() ? malloc(n ? n : 1) : NULL;
    if (!p) rt_raise_memory_error();
    return p;
}

void *rt_calloc(size_t n, size_t size) {
    void *p = alloc_allowed() ? calloc(n ? n : 1, size ? size : 1) : NULL;
    if (!p) rt_raise_memory_error();
    return p;
}

void *rt_realloc(void *old, size_t n) {
    void *p = alloc_allowed() ? realloc(old, n ? n : 1) : NULL;
    if (!p) rt_raise_memory_error();
    return p;
}

void rt_free(void *p) { free(p); }

/* Small fixed-size objects (ints, floats, bound methods, iterators) come and
 * go by the million in arithmetic loops: a free list per 16-byte size class
 * saves the calloc/free pair. Off under AddressSanitizer, where it would hide
 * use-after-free. */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_OBJECTS 0
#else
#define POOL_OBJECTS 1
#endif
/* 16..256 bytes (a Process object is about 200: a script starting children
 * in a loop frees nothing to malloc, whose state sits on pages fork() made
 * copy-on-write); at most 4096 objects or 256 KB kept per class. */
enum { POOL_CLASSES = 16, POOL_MAX = 4096, POOL_BYTES = 256 * 1024 };
#define RT_OF_POOLED 0x80000000u               /* o->flags: memory belongs to a pool class */

typedef struct FreeObj { struct FreeObj *next; } FreeObj;
static FreeObj *pool_head[POOL_CLASSES];
static int pool_count[POOL_CLASSES];

static int pool_class(size_t size) { return size <= 16 * POOL_CLASSES ? (int)((size + 15) / 16) - 1 : -1; }

RtValue *rt_obj_alloc(RtType *type, size_t size) {
    int pc = POOL_OBJECTS ? pool_class(size) : -1;
    RtValue *o;
    if (pc >= 0 && pool_head[pc] && alloc_allowed()) {
        o = (RtValue *)pool_head[pc];
        pool_head[pc] = pool_head[pc]->next;
        pool_count[pc]--;
        /* constant sizes: a variable-length memset compiles to `rep stos`,
         * whose start-up cost doubled the time of a boxed int operation */
        switch (pc) {
        case 0: memset(o, 0, 16); break;
        case 1: memset(o, 0, 32); break;
        case 2: memset(o, 0, 48); break;
        case 3: memset(o, 0, 64); break;
        default: memset(o, 0, (size_t)(pc + 1) * 16); break;
        }
    } else {
        o = rt_calloc(1, pc >= 0 ? (size_t)(pc + 1) * 16 : size);
        if (!o) return NULL;
    }
    o->rc = 1;
    o->type = type;
    if (pc >= 0) o->flags = RT_OF_POOLED | (uint32_t)pc;
    return o;
}

static void obj_free(RtValue *o) {
    if (o->flags & RT_OF_POOLED) {
        int pc = (int)(o->flags & 0xffu);
        /* count < POOL_BYTES / size, without a division on every free */
        if (pool_count[pc] < POOL_MAX && (pool_count[pc] + 1) * 16 * (pc + 1) <= POOL_BYTES) {
            FreeObj *f = (FreeObj *)o;
            f->next = pool_head[pc];
            pool_head[pc] = f;
            pool_count[pc]++;
            return;
        }
    }
    rt_free(o);
}

/* The instance dict slot of o, or NULL when its type has none. */
static RtValue **dict_slot(RtValue *o) {
    size_t off = o->type->dict_offset;
    return off ? (RtValue **)((char *)o + off) : NULL;
}

RtValue *rt_obj_dict(RtValue *o) {
    RtValue **slot = dict_slot(o);
    return slot ? *slot : NULL;
}

void rt__dealloc(RtValue *o) {
    RtType *t = o->type;
    /* Script classes own the instance dict; natives release their own. */
    if (t->flags & RT_TF_HEAP) {
        RtValue **slot = dict_slot(o);
        if (slot) RT_CLEAR(*slot);
    }
    if (t->dealloc) t->dealloc(o);
    obj_free(o);
}

/* ==== type helpers ========================================================= */

bool rt_type_is_subtype(const RtType *t, const RtType *base) {
    for (; t; t = t->base)
        if (t == base) return true;
    return false;
}

const char *rt_type_name(const RtValue *o) { return o->type->name; }

const char *rt_type_qualname(const RtType *t, char *buf, size_t n) {
    if (!t->module || strcmp(t->module, "builtins") == 0 || strcmp(t->module, "__main__") == 0)
        snprintf(buf, n, "%s", t->name);
    else
        snprintf(buf, n, "%s.%s", t->module, t->name);
    return buf;
}

/* "<module.Name object at 0x...>", CPython's object.__repr__. */
static RtValue *object_repr(RtValue *self) {
    char buf[256];
    const RtType *t = self->type;
    if (t->module && strcmp(t->module, "builtins") != 0)
        snprintf(buf, sizeof buf, "<%s.%s object at %p>", t->module, t->name, (void *)self);
    else
        snprintf(buf, sizeof buf, "<%s object at %p>", t->name, (void *)self);
    return rt_str_from_cstr(buf);
}

/* Identity hash, as object.__hash__ (the address shifted by 4 bits). */
static int object_hash(RtValue *self, int64_t *out) {
    uintptr_t p = (uintptr_t)self;
    *out = (int64_t)((p >> 4) | (p << (8 * sizeof(p) - 4)));
    if (*out == -1) *out = -2;
    return 0;
}

/* ==== the singletons ======================================================= */

static RtValue *none_repr(RtValue *self) { (void)self; return rt_str_const("None", 4); }
static int none_truthy(RtValue *self) { (void)self; return 0; }
static RtValue *none_construct(RtType *t, RtValue *const *a, size_t n, RtValue *kw) {
    (void)t; (void)a;
    if (n || kw) return rt_raise(&rt_exc_TypeError, "NoneType takes no arguments");
    return rt_None;
}

RtType rt_type_NoneType = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "NoneType", .tag = RT_T_NONE,
    .size = sizeof(RtValue), .repr = none_repr, .hash = object_hash,
    .truthy = none_truthy, .construct = none_construct,
};
RtValue rt_None_obj = RT_STATIC_HEAD(&rt_type_NoneType);

static RtValue *ellipsis_repr(RtValue *self) { (void)self; return rt_str_const("Ellipsis", 8); }
RtType rt_type_ellipsis = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "ellipsis", .tag = RT_T_OTHER,
    .size = sizeof(RtValue), .repr = ellipsis_repr, .hash = object_hash,
};
RtValue rt_Ellipsis_obj = RT_STATIC_HEAD(&rt_type_ellipsis);

static RtValue *notimpl_repr(RtValue *self) { (void)self; return rt_str_const("NotImplemented", 14); }
RtType rt_type_NotImplementedType = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "NotImplementedType", .tag = RT_T_OTHER,
    .size = sizeof(RtValue), .repr = notimpl_repr, .hash = object_hash,
};
RtValue rt_NotImplemented_obj = RT_STATIC_HEAD(&rt_type_NotImplementedType);

/* ==== object =============================================================== */

static RtValue *object_construct(RtType *t, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a;
    if (n || (kw && RT_TUPLE_LEN(kw)))
        return rt_raise(&rt_exc_TypeError, "object() takes no arguments");
    if (t == &rt_type_object) return rt_obj_alloc(t, sizeof(RtValue));
    return rt_instance_new(t);
}

static RtValue *object_m_init(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a;
    if (n || (kw && RT_TUPLE_LEN(kw)))
        return rt_raise(&rt_exc_TypeError, "object.__init__() takes exactly one argument (the instance to initialize)");
    return rt_None;
}

static int generic_setattr_ex(RtValue *o, const char *name, RtValue *v, bool class_hook);

/* object.__setattr__(self, name, value) / object.__delattr__(self, name):
 * the default behaviour without the class's own __setattr__, as frozen and
 * read-only classes use it to set their fields. */
static RtValue *object_m_setattr(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    if (rt_check_args("__setattr__", n, kw, 2, 2) < 0) return NULL;
    if (!rt_is_str(a[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "attribute name must be string, not '%s'", a[0]->type->name);
    return generic_setattr_ex(self, rt_str_data(a[0]), a[1], false) < 0 ? NULL : rt_None;
}

static RtValue *object_m_delattr(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    if (rt_check_args("__delattr__", n, kw, 1, 1) < 0) return NULL;
    if (!rt_is_str(a[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "attribute name must be string, not '%s'", a[0]->type->name);
    return generic_setattr_ex(self, rt_str_data(a[0]), NULL, false) < 0 ? NULL : rt_None;
}

static const RtMethodDef object_methods[] = {
    {"__init__", object_m_init},
    {"__setattr__", object_m_setattr},
    {"__delattr__", object_m_delattr},
    {NULL, NULL},
};

RtType rt_type_object = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "object", .tag = RT_T_INSTANCE,
    .flags = RT_TF_BASETYPE, .size = sizeof(RtValue), .table_index = -1,
    .repr = object_repr, .hash = object_hash, .construct = object_construct,
    .methods = object_methods,
};

/* ==== instances of script classes ========================================== */

RtValue *rt_instance_new(RtType *cls) {
    RtInstance *o = (RtInstance *)rt_obj_alloc(cls, cls->size ? cls->size : sizeof(RtInstance));
    if (!o) return NULL;
    RtValue **slot = dict_slot(&o->ob);
    if (slot) {
        *slot = rt_dict_new();
        if (!*slot) { rt_decref(&o->ob); return NULL; }
    }
    return &o->ob;
}

/* ==== type ================================================================= */

static RtValue *type_repr(RtValue *self) {
    char name[256], buf[300];
    snprintf(buf, sizeof buf, "<class '%s'>",
             rt_type_qualname((RtType *)self, name, sizeof name));
    /* builtins print bare; __main__ classes print as '__main__.P' */
    const RtType *t = (RtType *)self;
    if (t->module && strcmp(t->module, "__main__") == 0)
        snprintf(buf, sizeof buf, "<class '__main__.%s'>", t->name);
    return rt_str_from_cstr(buf);
}

static RtValue *type_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtType *t = (RtType *)self;
    /* type(x) returns x's type */
    if (t == &rt_type_type) {
        if (nargs == 1 && !kwnames) return rt_newref((RtValue *)args[0]->type);
        return rt_raise(&rt_exc_TypeError, "type() takes 1 argument (3-argument form is not supported)");
    }
    if (!t->construct)
        return rt_raise_fmt(&rt_exc_TypeError, "cannot create '%s' instances", t->name);
    return t->construct(t, args, nargs, kwnames);
}

static int type_hash(RtValue *self, int64_t *out) { return object_hash(self, out); }

/* Class-level attribute lookup: C.x, C.method (a plain function), C.__name__. */
static RtValue *type_getattr(RtValue *self, const char *name);
static RtValue *slot_function(RtType *t, const char *name);
static int type_setattr(RtValue *self, const char *name, RtValue *v);

/* c_int * 4 makes a ctypes array type (ctypes.c, linked when ctypes is used). */
extern bool rt_ctypes_is_type(const RtType *t) __attribute__((weak));
extern RtType *rt_ctypes_array_type(RtType *elem, int64_t n, const char *module) __attribute__((weak));

static RtValue *type_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (op == RT_MUL && rt_ctypes_is_type && a->type->tag == RT_T_TYPE && rt_is_int(b) &&
        rt_ctypes_is_type((RtType *)a)) {
        int64_t n;
        if (rt_int_as_i64(b, &n) < 0) return NULL;
        RtType *t = rt_ctypes_array_type((RtType *)a, n, "__main__");
        return t ? rt_newref((RtValue *)t) : NULL;
    }
    if (op == RT_MUL && rt_ctypes_is_type && b->type->tag == RT_T_TYPE && rt_is_int(a) &&
        rt_ctypes_is_type((RtType *)b))
        return type_binop(b, a, op);
    return rt_NotImplemented;
}

RtType rt_type_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "type", .tag = RT_T_TYPE,
    .size = sizeof(RtType), .repr = type_repr, .hash = type_hash, .binop = type_binop,
    .call = type_call, .getattr = type_getattr, .setattr = type_setattr,
};

/* ==== functions ============================================================= */

static void func_dealloc(RtValue *self) {
    RtFunc *f = (RtFunc *)self;
    RT_CLEAR(f->defaults);
    RT_CLEAR(f->kwdefaults);
    RT_CLEAR(f->dict);
    for (int i = 0; i < f->ncells; i++) rt_xdecref(f->cells[i]);
    rt_free(f->cells);
}

static RtValue *func_repr(RtValue *self) {
    char buf[300];
    snprintf(buf, sizeof buf, "<function %s at %p>", ((RtFunc *)self)->qualname, (void *)self);
    return rt_str_from_cstr(buf);
}

static RtValue *func_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtFunc *f = (RtFunc *)self;
    return f->entry(f, args, nargs, kwnames);
}

static RtValue *func_get_name(RtValue *self) { return rt_str_from_cstr(((RtFunc *)self)->name); }
static RtValue *func_get_qualname(RtValue *self) { return rt_str_from_cstr(((RtFunc *)self)->qualname); }
static RtValue *get_main_module(RtValue *self) { (void)self; return rt_str_from_cstr("__main__"); }

/* __doc__: what was assigned (functools.wraps copies it), else the docstring. */
static RtValue *func_get_doc(RtValue *self) {
    RtFunc *f = (RtFunc *)self;
    RtValue *v = f->dict ? rt_dict_get_cstr(f->dict, "__doc__") : NULL;
    if (v) return rt_newref(v);
    return f->doc ? rt_str_from_cstr(f->doc) : rt_newref(rt_None);
}

static int func_set_doc(RtValue *self, RtValue *v) {
    if (v) return rt_obj_dict_setattr(self, "__doc__", v);
    RtFunc *f = (RtFunc *)self;   /* del f.__doc__: None from now on */
    f->doc = NULL;
    if (f->dict && rt_dict_get_cstr(f->dict, "__doc__")) return rt_obj_dict_setattr(self, "__doc__", NULL);
    return 0;
}

static const RtGetSetDef func_getset[] = {
    {"__doc__", func_get_doc, func_set_doc},
    {"__name__", func_get_name, NULL},
    {"__qualname__", func_get_qualname, NULL},
    {"__module__", get_main_module, NULL},
    {NULL, NULL, NULL},
};

RtType rt_type_function = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "function", .tag = RT_T_FUNC,
    .size = sizeof(RtFunc), .dict_offset = offsetof(RtFunc, dict),
    .dealloc = func_dealloc, .repr = func_repr, .hash = object_hash,
    .call = func_call, .getset = func_getset,
};

RtValue *rt_func_new(const char *name, const char *qualname, RtFuncEntry entry,
                     int table_index, RtValue *defaults, RtValue *kwdefaults,
                     RtValue **cells, int ncells) {
    RtFunc *f = (RtFunc *)rt_obj_alloc(&rt_type_function, sizeof(RtFunc));
    if (!f) goto fail;
    f->name = name;
    f->qualname = qualname;
    f->entry = entry;
    f->table_index = table_index;
    f->defaults = defaults;
    rt_xincref(defaults);
    f->kwdefaults = kwdefaults;
    rt_xincref(kwdefaults);
    if (ncells > 0) {
        f->cells = rt_malloc(sizeof(RtValue *) * (size_t)ncells);
        if (!f->cells) { rt_decref(&f->ob); goto fail; }
        memcpy(f->cells, cells, sizeof(RtValue *) * (size_t)ncells);
        f->ncells = ncells;
    }
    return &f->ob;
fail:
    for (int i = 0; i < ncells; i++) rt_xdecref(cells[i]);
    return NULL;
}

/* ==== builtins (native functions and bound native methods) ================== */

static void builtin_dealloc(RtValue *self) { RT_CLEAR(((RtBuiltin *)self)->self); }

static RtValue *builtin_repr(RtValue *self) {
    RtBuiltin *b = (RtBuiltin *)self;
    char buf[300];
    if (b->self)
        snprintf(buf, sizeof buf, "<built-in method %s of %s object at %p>",
                 b->name, b->self->type->name, (void *)b->self);
    else
        snprintf(buf, sizeof buf, "<built-in function %s>", b->name);
    return rt_str_from_cstr(buf);
}

static RtValue *builtin_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtBuiltin *b = (RtBuiltin *)self;
    return b->fn(b->self, args, nargs, kwnames);
}

static RtValue *builtin_get_name(RtValue *self) { return rt_str_from_cstr(((RtBuiltin *)self)->name); }

static const RtGetSetDef builtin_getset[] = {
    {"__name__", builtin_get_name, NULL},
    {"__qualname__", builtin_get_name, NULL},
    {NULL, NULL, NULL},
};

RtType rt_type_builtin = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "builtin_function_or_method",
    .tag = RT_T_BUILTIN, .size = sizeof(RtBuiltin), .dealloc = builtin_dealloc,
    .repr = builtin_repr, .hash = object_hash, .call = builtin_call,
    .getset = builtin_getset,
};

RtValue *rt_builtin_new(const char *name, RtNativeFn fn, RtValue *self, int table_index) {
    RtBuiltin *b = (RtBuiltin *)rt_obj_alloc(&rt_type_builtin, sizeof(RtBuiltin));
    if (!b) return NULL;
    b->name = name;
    b->fn = fn;
    b->self = self;
    rt_xincref(self);
    b->table_index = table_index;
    return &b->ob;
}

/* An unbound native method reached through its type (str.lower): calling it
 * passes the first argument as self. */
typedef RtMethodDescr MethodDescr;

static RtValue *descr_repr(RtValue *self) {
    MethodDescr *d = (MethodDescr *)self;
    char buf[300];
    snprintf(buf, sizeof buf, "<method '%s' of '%s' objects>", d->def->name, d->owner->name);
    return rt_str_from_cstr(buf);
}

static RtValue *descr_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    MethodDescr *d = (MethodDescr *)self;
    if (nargs < 1)
        return rt_raise_fmt(&rt_exc_TypeError, "unbound method %s.%s() needs an argument",
                            d->owner->name, d->def->name);
    if (!rt_isinstance_t(args[0], d->owner))
        return rt_raise_fmt(&rt_exc_TypeError,
                            "descriptor '%s' for '%s' objects doesn't apply to a '%T' object",
                            d->def->name, d->owner->name, args[0]);
    return d->def->fn(args[0], args + 1, nargs - 1, kwnames);
}

RtType rt_type_method_descriptor = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "method_descriptor", .tag = RT_T_OTHER,
    .size = sizeof(MethodDescr), .repr = descr_repr, .hash = object_hash, .call = descr_call,
};

RtValue *rt_descr_new(const RtMethodDef *def, RtType *owner) {
    MethodDescr *d = (MethodDescr *)rt_obj_alloc(&rt_type_method_descriptor, sizeof(MethodDescr));
    if (!d) return NULL;
    d->def = def;
    d->owner = owner;
    return &d->ob;
}

/* ==== bound methods of script functions ===================================== */

static void method_dealloc(RtValue *self) {
    RtMethod *m = (RtMethod *)self;
    RT_CLEAR(m->func);
    RT_CLEAR(m->self);
}

static RtValue *method_repr(RtValue *self) {
    RtMethod *m = (RtMethod *)self;
    RtValue *r = rt_repr(m->self);
    if (!r) return NULL;
    const char *qn = m->func->type == &rt_type_function ? ((RtFunc *)m->func)->qualname : "?";
    char *buf = rt_malloc(strlen(qn) + rt_str_nbytes(r) + 32);
    if (!buf) { rt_decref(r); return NULL; }
    sprintf(buf, "<bound method %s of %s>", qn, rt_str_data(r));
    rt_decref(r);
    RtValue *s = rt_str_from_cstr(buf);
    rt_free(buf);
    return s;
}

/* Calls func(self, *args): prepends self without copying when it can. */
static RtValue *call_with_self(RtValue *func, RtValue *self, RtValue *const *args,
                               size_t nargs, RtValue *kwnames) {
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    size_t total = nargs + nkw + 1;
    RtValue *small[16];
    RtValue **buf = total <= 16 ? small : rt_malloc(sizeof(RtValue *) * total);
    if (!buf) return NULL;
    buf[0] = self;
    if (nargs + nkw) memcpy(buf + 1, args, sizeof(RtValue *) * (nargs + nkw));
    RtValue *r = rt_call(func, buf, nargs + 1, kwnames);
    if (buf != small) rt_free(buf);
    return r;
}

static RtValue *method_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtMethod *m = (RtMethod *)self;
    return call_with_self(m->func, m->self, args, nargs, kwnames);
}

static RtValue *method_get_self(RtValue *self) { return rt_newref(((RtMethod *)self)->self); }
static RtValue *method_get_func(RtValue *self) { return rt_newref(((RtMethod *)self)->func); }
static RtValue *method_get_name(RtValue *self) { return rt_getattr(((RtMethod *)self)->func, "__name__"); }

static const RtGetSetDef method_getset[] = {
    {"__self__", method_get_self, NULL},
    {"__func__", method_get_func, NULL},
    {"__name__", method_get_name, NULL},
    {NULL, NULL, NULL},
};

RtType rt_type_method = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "method", .tag = RT_T_METHOD,
    .size = sizeof(RtMethod), .dealloc = method_dealloc, .repr = method_repr,
    .hash = object_hash, .call = method_call, .getset = method_getset,
};

RtValue *rt_method_new(RtValue *func, RtValue *self) {
    RtMethod *m = (RtMethod *)rt_obj_alloc(&rt_type_method, sizeof(RtMethod));
    if (!m) return NULL;
    m->func = rt_newref(func);
    m->self = rt_newref(self);
    return &m->ob;
}

/* ==== cells (closure variables) ============================================= */

static void cell_dealloc(RtValue *self) { RT_CLEAR(((RtCell *)self)->value); }

RtType rt_type_cell = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "cell", .tag = RT_T_CELL,
    .size = sizeof(RtCell), .dealloc = cell_dealloc, .hash = object_hash,
};

RtValue *rt_cell_new(RtValue *value) {
    RtCell *c = (RtCell *)rt_obj_alloc(&rt_type_cell, sizeof(RtCell));
    if (!c) return NULL;
    c->value = value;
    rt_xincref(value);
    return &c->ob;
}

/* ==== property, staticmethod, classmethod =================================== */

typedef struct Wrapper { RtValue ob; RtValue *fn; RtValue *fset; } Wrapper;

static void wrapper_dealloc(RtValue *self) {
    RT_CLEAR(((Wrapper *)self)->fn);
    RT_CLEAR(((Wrapper *)self)->fset);
}

RtType rt_type_property, rt_type_staticmethod, rt_type_classmethod;

static RtValue *wrapper_construct(RtType *t, RtValue *const *a, size_t n, RtValue *kw) {
    if (n != 1 || kw)
        return rt_raise_fmt(&rt_exc_TypeError, "%s expected 1 argument, got %d", t->name, (int)n);
    Wrapper *w = (Wrapper *)rt_obj_alloc(t, sizeof(Wrapper));
    if (!w) return NULL;
    w->fn = rt_newref(a[0]);
    return &w->ob;
}

/* @x.setter: returns a new property with the same getter and this setter. */
static RtValue *property_m_setter(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    if (n != 1 || kw) return rt_raise(&rt_exc_TypeError, "setter() takes exactly one argument");
    Wrapper *w = (Wrapper *)rt_obj_alloc(&rt_type_property, sizeof(Wrapper));
    if (!w) return NULL;
    w->fn = rt_newref(((Wrapper *)self)->fn);
    w->fset = rt_newref(a[0]);
    return &w->ob;
}

static const RtMethodDef property_methods[] = {
    {"setter", property_m_setter},
    {NULL, NULL},
};

RtType rt_type_property = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "property", .tag = RT_T_OTHER,
    .size = sizeof(Wrapper), .dealloc = wrapper_dealloc, .hash = object_hash,
    .construct = wrapper_construct, .methods = property_methods,
};
RtType rt_type_staticmethod = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "staticmethod", .tag = RT_T_OTHER,
    .size = sizeof(Wrapper), .dealloc = wrapper_dealloc, .hash = object_hash,
    .construct = wrapper_construct,
};
RtType rt_type_classmethod = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "classmethod", .tag = RT_T_OTHER,
    .size = sizeof(Wrapper), .dealloc = wrapper_dealloc, .hash = object_hash,
    .construct = wrapper_construct,
};

/* ==== attribute lookup ====================================================== */

typedef enum { LK_NONE, LK_GETSET, LK_METHOD, LK_CLASSMETHOD, LK_CLASSATTR } LookupKind;

typedef struct Lookup {
    LookupKind         kind;
    const RtGetSetDef *getset;
    const RtMethodDef *method;
    RtValue           *value;   /* borrowed, for LK_CLASSATTR */
    RtType            *owner;
} Lookup;

/* Finds `name` along t's chain: each type's namespace, getset, methods. */
static Lookup type_lookup(RtType *t, const char *name) {
    Lookup lk = {LK_NONE, NULL, NULL, NULL, NULL};
    for (; t; t = t->base) {
        lk.owner = t;
        if (t->dict && (lk.value = rt_dict_get_cstr(t->dict, name))) {
            lk.kind = LK_CLASSATTR;
            return lk;
        }
        for (const RtGetSetDef *g = t->getset; g && g->name; g++)
            if (strcmp(g->name, name) == 0) { lk.kind = LK_GETSET; lk.getset = g; return lk; }
        for (const RtMethodDef *m = t->methods; m && m->name; m++)
            if (strcmp(m->name, name) == 0) { lk.kind = LK_METHOD; lk.method = m; return lk; }
        for (const RtMethodDef *m = t->classmethods; m && m->name; m++)
            if (strcmp(m->name, name) == 0) { lk.kind = LK_CLASSMETHOD; lk.method = m; return lk; }
    }
    return lk;
}

/* Does o have the attribute `name` through its type (a method, a getset, a
 * class attribute)? Looks, never binds or allocates. */
bool rt_type_has_attr(RtType *t, const char *name) {
    return type_lookup(t, name).kind != LK_NONE;
}

/* Is `name` defined by a script class along t's chain (not by a native)? */
bool rt_type_has_script_attr(RtType *t, const char *name) {
    Lookup lk = type_lookup(t, name);
    return lk.kind == LK_CLASSATTR;
}

/* The value a class attribute gives when read through instance `o`. */
static RtValue *bind_class_attr(RtValue *v, RtValue *o) {
    if (v->type == &rt_type_function) return rt_method_new(v, o);
    if (v->type == &rt_type_staticmethod) return rt_newref(((Wrapper *)v)->fn);
    if (v->type == &rt_type_classmethod) return rt_method_new(((Wrapper *)v)->fn, (RtValue *)o->type);
    if (v->type == &rt_type_property) return rt_call(((Wrapper *)v)->fn, &o, 1, NULL);
    return rt_newref(v);
}

/* A native method as a value: bound to the instance, or to the class for a
 * class method. */
static RtValue *bind_native(const RtMethodDef *m, bool classmethod, RtValue *self, RtValue *cls) {
    return rt_builtin_new(m->name, m->fn, classmethod ? cls : self, -1);
}

static RtValue *no_attribute(RtValue *o, const char *name) {
    return rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute '%s'",
                        o->type->name, name);
}

RtValue *rt_getattr_opt(RtValue *o, const char *name) {
    RtType *t = o->type;
    if (t == &rt_type_type || (t->tag == RT_T_TYPE))
        return type_getattr(o, name);
    Lookup lk = type_lookup(t, name);
    if (lk.kind == LK_GETSET) {
        if (!lk.getset->get)
            return rt_raise_fmt(&rt_exc_AttributeError, "attribute '%s' is not readable", name);
        return lk.getset->get(o);
    }
    if (lk.kind == LK_CLASSATTR && lk.value->type == &rt_type_property)
        return bind_class_attr(lk.value, o);
    RtValue *d = rt_obj_dict(o);
    RtValue *v;
    if (d && (v = rt_dict_get_cstr(d, name))) return rt_newref(v);
    if (lk.kind == LK_METHOD || lk.kind == LK_CLASSMETHOD)
        return bind_native(lk.method, lk.kind == LK_CLASSMETHOD, o, (RtValue *)o->type);
    if (lk.kind == LK_CLASSATTR) return bind_class_attr(lk.value, o);
    if (strcmp(name, "__class__") == 0) return rt_newref((RtValue *)t);
    if (strcmp(name, "__dict__") == 0 && d) return rt_newref(d);
    if (t->getattr) return t->getattr(o, name);
    return NULL;
}

RtValue *rt_getattr(RtValue *o, const char *name) {
    RtValue *v = rt_getattr_opt(o, name);
    if (!v && !RT_ERR()) return no_attribute(o, name);
    return v;
}

int rt_hasattr(RtValue *o, const char *name) {
    RtValue *v = rt_getattr_opt(o, name);
    if (v) { rt_decref(v); return 1; }
    if (!RT_ERR()) return 0;
    if (rt_exc_matches((RtValue *)&rt_exc_AttributeError)) {
        rt_decref(rt_exc_fetch());
        return 0;
    }
    return -1;
}

/* Sets an attribute in o's instance dict, creating the dict on first use. */
static int dict_setattr(RtValue *o, const char *name, RtValue *v) {
    RtValue **slot = dict_slot(o);
    if (!slot) return -2;   /* no dict */
    if (!v) {
        if (*slot && rt_dict_del_cstr(*slot, name) == 1) return 0;
        no_attribute(o, name);
        return -1;
    }
    if (!*slot && !(*slot = rt_dict_new())) return -1;
    return rt_dict_set_cstr(*slot, name, v);
}

/* Is `name` in the __slots__ of a class along t's chain? 1, 0 or -1. */
static int slot_declared(RtType *t, const char *name) {
    RtValue *n = rt_str_from_cstr(name);
    if (!n) return -1;
    int found = 0;
    for (; found == 0 && t && (t->flags & RT_TF_HEAP); t = t->base) {
        RtValue *slots = t->dict ? rt_dict_get_cstr(t->dict, "__slots__") : NULL;
        if (slots) found = rt_is_str(slots) ? rt_eq(slots, n) : rt_contains(slots, n);
    }
    rt_decref(n);
    return found;
}

/* class_hook: whether a __setattr__/__delattr__ the script's class defines
 * runs (false for object.__setattr__ itself). */
static int generic_setattr_ex(RtValue *o, const char *name, RtValue *v, bool class_hook) {
    RtType *t = o->type;
    if (t->tag == RT_T_TYPE) return type_setattr(o, name, v);
    Lookup lk = type_lookup(t, name);
    if (lk.kind == LK_GETSET) {
        if (!lk.getset->set) {
            rt_raise_fmt(&rt_exc_AttributeError, "attribute '%s' of '%s' objects is not writable",
                         name, lk.owner->name);
            return -1;
        }
        return lk.getset->set(o, v);
    }
    if (lk.kind == LK_CLASSATTR && lk.value->type == &rt_type_property) {
        Wrapper *p = (Wrapper *)lk.value;
        if (!p->fset || !v) {
            rt_raise_fmt(&rt_exc_AttributeError, "property '%s' of '%s' object has no %s", name, t->name,
                         v ? "setter" : "deleter");
            return -1;
        }
        RtValue *args[2] = {o, v};
        RtValue *r = rt_call(p->fset, args, 2, NULL);
        if (!r) return -1;
        rt_decref(r);
        return 0;
    }
    if (t->setattr && (class_hook || !rt_type_has_script_attr(t, v ? "__setattr__" : "__delattr__")))
        return t->setattr(o, name, v);
    if ((t->flags & RT_TF_SLOTS) && v) {
        int ok = slot_declared(t, name);
        if (ok < 0) return -1;
        if (!ok) { no_attribute(o, name); return -1; }
    }
    int r = dict_setattr(o, name, v);
    if (r != -2) return r;
    if (lk.kind == LK_METHOD)
        rt_raise_fmt(&rt_exc_AttributeError, "'%s' object attribute '%s' is read-only", t->name, name);
    else
        no_attribute(o, name);
    return -1;
}

int rt_setattr(RtValue *o, const char *name, RtValue *v) { return generic_setattr_ex(o, name, v, true); }
int rt_delattr(RtValue *o, const char *name) { return generic_setattr_ex(o, name, NULL, true); }

/* The generic instance-dict setter, for natives whose setattr hook only
 * handles some names (Structure fields) and falls back to this. */
int rt_obj_dict_setattr(RtValue *o, const char *name, RtValue *v) {
    int r = dict_setattr(o, name, v);
    if (r == -2) { no_attribute(o, name); return -1; }
    return r;
}

static RtValue *type_getattr(RtValue *self, const char *name) {
    RtType *t = (RtType *)self;
    if (strcmp(name, "__name__") == 0 || strcmp(name, "__qualname__") == 0)
        return rt_str_from_cstr(t->name);
    if (strcmp(name, "__module__") == 0)
        return rt_str_from_cstr(t->module ? t->module : "builtins");
    if (strcmp(name, "__base__") == 0)
        return rt_newref(t->base ? (RtValue *)t->base : rt_None);
    if (strcmp(name, "__dict__") == 0 && t->dict) return rt_newref(t->dict);
    Lookup lk = type_lookup(t, name);
    switch (lk.kind) {
    case LK_CLASSATTR:
        if (lk.value->type == &rt_type_staticmethod) return rt_newref(((Wrapper *)lk.value)->fn);
        if (lk.value->type == &rt_type_classmethod)
            return rt_method_new(((Wrapper *)lk.value)->fn, self);
        return rt_newref(lk.value);
    case LK_METHOD:
        return rt_descr_new(lk.method, lk.owner);
    case LK_CLASSMETHOD:
        return bind_native(lk.method, true, NULL, self);
    case LK_GETSET:
    case LK_NONE:
        break;
    }
    if (strcmp(name, "__class__") == 0) return rt_newref((RtValue *)&rt_type_type);
    return slot_function(t, name);
}

static int type_setattr(RtValue *self, const char *name, RtValue *v) {
    RtType *t = (RtType *)self;
    if (!(t->flags & RT_TF_HEAP) || !t->dict) {
        rt_raise_fmt(&rt_exc_TypeError,
                     "cannot set '%s' attribute of immutable type '%s'", name, t->name);
        return -1;
    }
    if (v) return rt_dict_set_cstr(t->dict, name, v);
    if (rt_dict_del_cstr(t->dict, name) == 1) return 0;
    rt_raise_fmt(&rt_exc_AttributeError, "type object '%s' has no attribute '%s'", t->name, name);
    return -1;
}

/* ==== types made at run time (namedtuple) ======================================
 * A type a script makes by calling a factory, not by a class statement, has
 * no index in the program's class table. The serializer sends it by name
 * instead, as pickle does, and the receiving process, which ran the same
 * module code, finds its own type of that name here. */
static RtType **dyn_types;
static size_t ndyn_types, dyn_cap;

int rt_type_register_dynamic(RtType *t) {
    for (size_t i = 0; i < ndyn_types; i++)
        if (strcmp(dyn_types[i]->name, t->name) == 0 && strcmp(dyn_types[i]->module, t->module) == 0) {
            dyn_types[i] = t;   /* the latest definition wins, as a module global would */
            return 0;
        }
    if (ndyn_types == dyn_cap) {
        size_t cap = dyn_cap ? dyn_cap * 2 : 8;
        RtType **a = rt_realloc(dyn_types, cap * sizeof *a);
        if (!a) return -1;
        dyn_types = a;
        dyn_cap = cap;
    }
    dyn_types[ndyn_types++] = t;
    return 0;
}

bool rt_type_is_dynamic(const RtType *t) {
    for (size_t i = 0; i < ndyn_types; i++)
        if (dyn_types[i] == t) return true;
    return false;
}

RtType *rt_type_find_dynamic(const char *module, const char *name) {
    for (size_t i = 0; i < ndyn_types; i++)
        if (strcmp(dyn_types[i]->name, name) == 0 && strcmp(dyn_types[i]->module, module) == 0)
            return dyn_types[i];
    return NULL;
}

/* ==== calls ================================================================== */

RtValue *rt_call(RtValue *f, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtType *t = f->type;
    if (t == &rt_type_function) return ((RtFunc *)f)->entry((RtFunc *)f, args, nargs, kwnames);
    if (t == &rt_type_builtin) {
        RtBuiltin *b = (RtBuiltin *)f;
        return b->fn(b->self, args, nargs, kwnames);
    }
    if (t->call) return t->call(f, args, nargs, kwnames);
    if (t->tag == RT_T_TYPE) return type_call(f, args, nargs, kwnames);
    return rt_raise_fmt(&rt_exc_TypeError, "'%s' object is not callable", t->name);
}

RtValue *rt_call_method(RtValue *o, const char *name, RtValue *const *args,
                        size_t nargs, RtValue *kwnames) {
    if (o->type->tag != RT_T_TYPE) {
        Lookup lk = type_lookup(o->type, name);
        RtValue *d = rt_obj_dict(o);
        bool shadowed = d && rt_dict_get_cstr(d, name);
        if (lk.kind == LK_METHOD && !shadowed) return lk.method->fn(o, args, nargs, kwnames);
        if (lk.kind == LK_CLASSMETHOD && !shadowed) return lk.method->fn((RtValue *)o->type, args, nargs, kwnames);
        if (lk.kind == LK_CLASSATTR && !shadowed && lk.value->type == &rt_type_function)
            return call_with_self(lk.value, o, args, nargs, kwnames);
    }
    RtValue *m = rt_getattr(o, name);
    if (!m) return NULL;
    RtValue *r = rt_call(m, args, nargs, kwnames);
    rt_decref(m);
    return r;
}

/* ==== special methods that natives implement as slots =========================
 * object and the exceptions implement __repr__, __str__, __hash__ and the
 * comparisons as C slots, not as named methods. These wrappers make them
 * reachable by name: super().__str__() in an exception subclass,
 * object.__repr__(self), Exception.__str__(self). Each receives the native
 * type that owns the slot as `self` and the instance as its first argument. */

static RtType *first_native(RtType *t) {
    while (t && (t->flags & RT_TF_HEAP)) t = t->base;
    return t ? t : &rt_type_object;
}

static int slot_self(RtValue *owner, const char *name, RtValue *const *a, size_t n, RtValue *kw, size_t want) {
    if (rt_check_args(name, n, kw, want, want) < 0) return -1;
    RtType *t = (RtType *)owner;
    if (!rt_isinstance_t(a[0], t)) {
        rt_raise_fmt(&rt_exc_TypeError, "descriptor '%s' requires a '%s' object but received a '%s'", name,
                     t->name, a[0]->type->name);
        return -1;
    }
    return 0;
}

static RtValue *slotw_repr(RtValue *owner, RtValue *const *a, size_t n, RtValue *kw) {
    if (slot_self(owner, "__repr__", a, n, kw, 1) < 0) return NULL;
    RtType *t = (RtType *)owner;
    return t->repr ? t->repr(a[0]) : object_repr(a[0]);
}

static RtValue *slotw_str(RtValue *owner, RtValue *const *a, size_t n, RtValue *kw) {
    if (slot_self(owner, "__str__", a, n, kw, 1) < 0) return NULL;
    RtType *t = (RtType *)owner;
    /* object.__str__ is repr(self): the instance's own __repr__ */
    return t->str ? t->str(a[0]) : rt_repr(a[0]);
}

static RtValue *slotw_hash(RtValue *owner, RtValue *const *a, size_t n, RtValue *kw) {
    if (slot_self(owner, "__hash__", a, n, kw, 1) < 0) return NULL;
    RtType *t = (RtType *)owner;
    int64_t h;
    if ((t->hash ? t->hash(a[0], &h) : object_hash(a[0], &h)) < 0) return NULL;
    return rt_int(h);
}

static RtValue *slotw_format(RtValue *owner, RtValue *const *a, size_t n, RtValue *kw) {
    if (slot_self(owner, "__format__", a, n, kw, 2) < 0) return NULL;
    if (!rt_is_str(a[1]))
        return rt_raise_fmt(&rt_exc_TypeError, "__format__() argument must be str, not %s", a[1]->type->name);
    if (rt_str_nbytes(a[1]))
        return rt_raise_fmt(&rt_exc_TypeError, "unsupported format string passed to %s.__format__",
                            a[0]->type->name);
    return rt_str(a[0]);
}

static RtValue *slot_compare(RtValue *owner, const char *name, RtValue *const *a, size_t n, RtValue *kw,
                             RtCmpOp op) {
    if (slot_self(owner, name, a, n, kw, 2) < 0) return NULL;
    RtType *t = (RtType *)owner;
    if (t->richcompare) return t->richcompare(a[0], a[1], op);
    /* object: identity for ==, its inverse for !=, nothing else */
    if (op == RT_EQ) return rt_newref(a[0] == a[1] ? rt_True : rt_NotImplemented);
    if (op == RT_NE) return rt_newref(a[0] == a[1] ? rt_False : rt_NotImplemented);
    return rt_newref(rt_NotImplemented);
}

#define SLOT_COMPARE(fn, name, op) \
    static RtValue *fn(RtValue *o, RtValue *const *a, size_t n, RtValue *kw) { return slot_compare(o, name, a, n, kw, op); }
SLOT_COMPARE(slotw_eq, "__eq__", RT_EQ)
SLOT_COMPARE(slotw_ne, "__ne__", RT_NE)
SLOT_COMPARE(slotw_lt, "__lt__", RT_LT)
SLOT_COMPARE(slotw_le, "__le__", RT_LE)
SLOT_COMPARE(slotw_gt, "__gt__", RT_GT)
SLOT_COMPARE(slotw_ge, "__ge__", RT_GE)
#undef SLOT_COMPARE

static const RtMethodDef slot_wrappers[] = {
    {"__repr__", slotw_repr}, {"__str__", slotw_str}, {"__hash__", slotw_hash}, {"__format__", slotw_format},
    {"__eq__", slotw_eq}, {"__ne__", slotw_ne}, {"__lt__", slotw_lt}, {"__le__", slotw_le},
    {"__gt__", slotw_gt}, {"__ge__", slotw_ge}, {NULL, NULL},
};

/* The slot `name` of the first native type along t's chain, as a function
 * taking the instance first; NULL (no exception) if `name` is not a slot. */
static bool same_slot(const RtType *a, const RtType *b, const char *name) {
    if (!strcmp(name, "__repr__")) return a->repr == b->repr;
    if (!strcmp(name, "__str__")) return a->str == b->str;
    if (!strcmp(name, "__hash__")) return a->hash == b->hash;
    if (!strcmp(name, "__format__")) return true;
    return a->richcompare == b->richcompare;
}

static RtValue *slot_function(RtType *t, const char *name) {
    for (const RtMethodDef *m = slot_wrappers; m->name; m++) {
        if (strcmp(m->name, name) != 0) continue;
        /* the type that defines it, as CPython names it in errors (BaseException.__str__) */
        RtType *owner = first_native(t);
        while (owner->base && same_slot(owner, owner->base, name)) owner = owner->base;
        return rt_builtin_new(m->name, m->fn, (RtValue *)owner, -1);
    }
    return NULL;
}

/* super(cls, self).name: look `name` up starting after `cls` in self's chain. */
/* super() in a classmethod: self is the class, and a classmethod found
 * binds to it (super().make() in D.make calls C.make with cls D). */
static bool super_on_class(RtType *cls, RtValue *self) {
    return self->type->tag == RT_T_TYPE && rt_type_is_subtype((RtType *)self, cls);
}

RtValue *rt_super_getattr(RtType *cls, RtValue *self, const char *name) {
    RtType *start = cls->base;
    if (!start) return no_attribute(self, name);
    Lookup lk = type_lookup(start, name);
    switch (lk.kind) {
    case LK_CLASSATTR:
        if (super_on_class(cls, self)) {
            if (lk.value->type == &rt_type_classmethod) return rt_method_new(((Wrapper *)lk.value)->fn, self);
            if (lk.value->type == &rt_type_staticmethod) return rt_newref(((Wrapper *)lk.value)->fn);
            return rt_newref(lk.value);
        }
        return bind_class_attr(lk.value, self);
    case LK_METHOD:    return bind_native(lk.method, false, self, (RtValue *)self->type);
    case LK_CLASSMETHOD: return bind_native(lk.method, true, self, (RtValue *)self->type);
    case LK_GETSET:    return lk.getset->get ? lk.getset->get(self) : no_attribute(self, name);
    case LK_NONE:      break;
    }
    RtValue *slot = slot_function(start, name);
    if (slot) {
        RtValue *m = rt_method_new(slot, self);
        rt_decref(slot);
        return m;
    }
    if (RT_ERR()) return NULL;
    return rt_raise_fmt(&rt_exc_AttributeError, "'super' object has no attribute '%s'", name);
}

/* super().name(*args) without building a bound method. */
RtValue *rt_super_call_method(RtType *cls, RtValue *self, const char *name,
                              RtValue *const *args, size_t nargs, RtValue *kwnames) {
    if (cls->base && !super_on_class(cls, self)) {
        Lookup lk = type_lookup(cls->base, name);
        if (lk.kind == LK_METHOD) return lk.method->fn(self, args, nargs, kwnames);
        if (lk.kind == LK_CLASSATTR && lk.value->type == &rt_type_function)
            return call_with_self(lk.value, self, args, nargs, kwnames);
    }
    RtValue *m = rt_super_getattr(cls, self, name);
    if (!m) return NULL;
    RtValue *r = rt_call(m, args, nargs, kwnames);
    rt_decref(m);
    return r;
}

RtValue *rt_call_tuple_dict(RtValue *f, RtValue *args, RtValue *kwargs) {
    size_t np = args ? RT_TUPLE_LEN(args) : 0;
    size_t nk = kwargs ? rt_dict_len(kwargs) : 0;
    RtValue *small[16];
    RtValue **buf = np + nk <= 16 ? small : rt_malloc(sizeof(RtValue *) * (np + nk));
    if (!buf) return NULL;
    for (size_t i = 0; i < np; i++) buf[i] = RT_TUPLE_GET(args, i);
    RtValue *names = NULL;
    if (nk) {
        if (!(names = rt_tuple_new(nk))) goto done;
        size_t pos = 0, i = 0;
        RtValue *k, *v;
        while (rt_dict_next(kwargs, &pos, &k, &v)) {
            if (!rt_is_str(k)) {
                rt_raise(&rt_exc_TypeError, "keywords must be strings");
                goto done;
            }
            RT_TUPLE_SET(names, i, rt_newref(k));
            buf[np + i++] = v;
        }
    }
    RtValue *r = rt_call(f, buf, np, names);
    rt_xdecref(names);
    if (buf != small) rt_free(buf);
    return r;
done:
    rt_xdecref(names);
    if (buf != small) rt_free(buf);
    return NULL;
}

/* ==== argument binding ========================================================
 * CPython's messages (3.11), e.g.
 *   f() takes 2 positional arguments but 3 were given
 *   f() missing 2 required positional arguments: 'a' and 'b'
 *   f() got an unexpected keyword argument 'z'
 *   f() got multiple values for argument 'a'                                   */

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" */
static void join_names(char *buf, size_t n, const char **names, int count) {
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < count && len < n; i++) {
        const char *sep = i == 0 ? "" : (count == 2 ? " and " : (i == count - 1 ? ", and " : ", "));
        len += (size_t)snprintf(buf + len, n - len, "%s'%s'", sep, names[i]);
    }
}

static int report_missing(const RtParamSpec *spec, RtValue **out, int from, int to, const char *kind) {
    const char *missing[64];
    int count = 0;
    for (int i = from; i < to && count < 64; i++)
        if (!out[i]) missing[count++] = spec->names[i];
    if (!count) return 0;
    char list[1024];
    join_names(list, sizeof list, missing, count);
    rt_raise_fmt(&rt_exc_TypeError, "%s() missing %d required %s argument%s: %s",
                 spec->fname, count, kind, count == 1 ? "" : "s", list);
    return -1;
}

static int too_many_positional(const RtParamSpec *spec, RtValue *defaults, size_t nargs) {
    int ndef = defaults ? (int)RT_TUPLE_LEN(defaults) : 0;
    int npos = spec->npos;
    char takes[64];
    if (ndef > 0 && ndef <= npos)
        snprintf(takes, sizeof takes, "from %d to %d positional arguments", npos - ndef, npos);
    else
        snprintf(takes, sizeof takes, "%d positional argument%s", npos, npos == 1 ? "" : "s");
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes %s but %d %s given",
                 spec->fname, takes, (int)nargs, nargs == 1 ? "was" : "were");
    return -1;
}

static int bind_keyword(const RtParamSpec *spec, RtValue *name, RtValue *value,
                        RtValue **out, RtValue *varkw) {
    const char *kw = rt_str_data(name);
    int nnamed = spec->npos + spec->nkwonly;
    for (int i = 0; i < nnamed; i++) {
        if (strcmp(spec->names[i], kw) != 0) continue;
        if (i < spec->nposonly) break;   /* positional-only: falls to **kwargs or error */
        if (out[i]) {
            rt_raise_fmt(&rt_exc_TypeError, "%s() got multiple values for argument '%s'",
                         spec->fname, kw);
            return -1;
        }
        out[i] = value;
        return 0;
    }
    if (varkw) return rt_dict_set(varkw, name, value);
    for (int i = 0; i < spec->nposonly; i++)
        if (strcmp(spec->names[i], kw) == 0) {
            rt_raise_fmt(&rt_exc_TypeError,
                         "%s() got some positional-only arguments passed as keyword arguments: '%s'",
                         spec->fname, kw);
            return -1;
        }
    rt_raise_fmt(&rt_exc_TypeError, "%s() got an unexpected keyword argument '%s'", spec->fname, kw);
    return -1;
}

static void apply_defaults(const RtParamSpec *spec, RtValue *defaults, RtValue *kwdefaults, RtValue **out) {
    int ndef = defaults ? (int)RT_TUPLE_LEN(defaults) : 0;
    for (int i = 0; i < ndef; i++) {
        int slot = spec->npos - ndef + i;
        if (slot >= 0 && !out[slot]) out[slot] = RT_TUPLE_GET(defaults, i);
    }
    for (int i = spec->npos; kwdefaults && i < spec->npos + spec->nkwonly; i++)
        if (!out[i]) out[i] = rt_dict_get_cstr(kwdefaults, spec->names[i]);
}

int rt_bind_args(const RtParamSpec *spec, RtValue *const *args, size_t nargs,
                 RtValue *kwnames, RtValue *defaults, RtValue *kwdefaults,
                 RtValue **out, RtValue **varargs, RtValue **varkw) {
    int nnamed = spec->npos + spec->nkwonly;
    for (int i = 0; i < nnamed; i++) out[i] = NULL;
    if (varargs) *varargs = NULL;
    if (varkw) *varkw = NULL;

    if (nargs > (size_t)spec->npos && !spec->varargs)
        return too_many_positional(spec, defaults, nargs);
    size_t npos = nargs < (size_t)spec->npos ? nargs : (size_t)spec->npos;
    for (size_t i = 0; i < npos; i++) out[i] = args[i];
    if (spec->varargs && !(*varargs = rt_tuple_from_array(args + npos, nargs - npos)))
        return -1;
    if (spec->varkw && !(*varkw = rt_dict_new())) goto fail;

    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    for (size_t i = 0; i < nkw; i++)
        if (bind_keyword(spec, RT_TUPLE_GET(kwnames, i), args[nargs + i], out,
                         spec->varkw ? *varkw : NULL) < 0)
            goto fail;
    apply_defaults(spec, defaults, kwdefaults, out);
    if (report_missing(spec, out, 0, spec->npos, "positional") < 0) goto fail;
    if (report_missing(spec, out, spec->npos, nnamed, "keyword-only") < 0) goto fail;
    return 0;
fail:
    if (varargs) RT_CLEAR(*varargs);
    if (varkw) RT_CLEAR(*varkw);
    return -1;
}

/* Raises "f() takes no keyword arguments" etc. for natives with simple
 * signatures: checks nargs in [min, max] and no keywords. 0 or -1. */
int rt_check_args(const char *fname, size_t nargs, RtValue *kwnames, size_t min, size_t max) {
    if (kwnames && RT_TUPLE_LEN(kwnames)) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", fname);
        return -1;
    }
    if (nargs >= min && nargs <= max) return 0;
    if (min == max)
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly %s (%d given)", fname,
                     min == 0 ? "no arguments" : min == 1 ? "one argument" : "2 arguments", (int)nargs);
    else if (nargs < min)
        rt_raise_fmt(&rt_exc_TypeError, "%s expected at least %d argument%s, got %d", fname,
                     (int)min, min == 1 ? "" : "s", (int)nargs);
    else
        rt_raise_fmt(&rt_exc_TypeError, "%s expected at most %d argument%s, got %d", fname,
                     (int)max, max == 1 ? "" : "s", (int)nargs);
    return -1;
}

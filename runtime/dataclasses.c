/* dataclasses.c: @dataclass, field(), asdict(), astuple(), fields(),
 * replace(), is_dataclass().
 *
 * CPython's dataclass writes Python source for __init__, __repr__, __eq__ and
 * the ordering methods and execs it. Here the decorator reads the class's
 * __annotations__ (which the translator records, in order, for every class
 * body) and installs native functions instead: each is an RtFunc whose
 * closure holds the class's field table, so it binds as a method like any
 * function defined in the class. The class's slots are then refreshed so
 * print(), ==, < and sorted() find the new methods.
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

/* ==== MISSING and Field ====================================================== */

static RtValue *missing_repr(RtValue *self) { (void)self; return rt_str_from_cstr("<dataclasses._MISSING_TYPE object>"); }
static RtType missing_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "_MISSING_TYPE", .module = "dataclasses",
    .tag = RT_T_OTHER, .size = sizeof(RtValue), .repr = missing_repr,
};
static RtValue missing_obj = RT_STATIC_HEAD(&missing_type);
#define MISSING (&missing_obj)

typedef struct Field {
    RtValue  ob;
    RtValue *name;            /* str, or NULL until the decorator names it */
    RtValue *deflt;           /* default value or MISSING */
    RtValue *factory;         /* default_factory or MISSING */
    bool     init, repr, compare;
} Field;

static void field_dealloc(RtValue *self) {
    Field *f = (Field *)self;
    RT_CLEAR(f->name);
    RT_CLEAR(f->deflt);
    RT_CLEAR(f->factory);
}

static RtValue *field_repr(RtValue *self) {
    Field *f = (Field *)self;
    RtValue *d = rt_repr(f->deflt);
    if (!d) return NULL;
    char buf[512];
    snprintf(buf, sizeof buf, "Field(name=%s%s%s,default=%s,init=%s,repr=%s,compare=%s)",
             f->name ? "'" : "", f->name ? rt_str_data(f->name) : "None", f->name ? "'" : "", rt_str_data(d),
             f->init ? "True" : "False", f->repr ? "True" : "False", f->compare ? "True" : "False");
    rt_decref(d);
    return rt_str_from_cstr(buf);
}

static RtValue *field_get_name(RtValue *self) {
    Field *f = (Field *)self;
    return rt_newref(f->name ? f->name : rt_None);
}
static RtValue *field_get_default(RtValue *self) { return rt_newref(((Field *)self)->deflt); }
static RtValue *field_get_factory(RtValue *self) { return rt_newref(((Field *)self)->factory); }

static const RtGetSetDef field_getset[] = {
    {"name", field_get_name, NULL},
    {"default", field_get_default, NULL},
    {"default_factory", field_get_factory, NULL},
    {NULL, NULL, NULL},
};

RtType rt_dataclasses_Field = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "Field", .module = "dataclasses", .tag = RT_T_NATIVE,
    .size = sizeof(Field), .dealloc = field_dealloc, .repr = field_repr, .getset = field_getset,
};

static Field *field_new(RtValue *deflt, RtValue *factory) {
    Field *f = (Field *)rt_obj_alloc(&rt_dataclasses_Field, sizeof(Field));
    if (!f) return NULL;
    f->deflt = rt_newref(deflt);
    f->factory = rt_newref(factory);
    f->init = f->repr = f->compare = true;
    return f;
}

static int flag_kw(RtValue *const *args, size_t nargs, RtValue *kw, const char *name, bool dflt, bool *out) {
    RtValue *v = rt_kwarg(args, nargs, kw, name);
    if (!v) { *out = dflt; return 0; }
    int t = rt_truthy(v);
    if (t < 0) return -1;
    *out = t;
    return 0;
}

/* field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, compare=True, ...) */
RtValue *rt_dataclasses_field(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const kws[] = {"default", "default_factory", "init", "repr", "hash", "compare",
                                      "metadata", "kw_only", NULL};
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "field() takes 0 positional arguments but %d were given", (int)nargs);
    if (rt_check_kwargs("field", kwnames, kws) < 0) return NULL;
    RtValue *d = rt_kwarg(args, nargs, kwnames, "default");
    RtValue *fac = rt_kwarg(args, nargs, kwnames, "default_factory");
    if (d && fac) return rt_raise(&rt_exc_ValueError, "cannot specify both default and default_factory");
    Field *f = field_new(d ? d : MISSING, fac ? fac : MISSING);
    if (!f) return NULL;
    if (flag_kw(args, nargs, kwnames, "init", true, &f->init) < 0 ||
        flag_kw(args, nargs, kwnames, "repr", true, &f->repr) < 0 ||
        flag_kw(args, nargs, kwnames, "compare", true, &f->compare) < 0) {
        rt_decref(&f->ob);
        return NULL;
    }
    return &f->ob;
}

/* ==== the per-class table the generated methods share ============================ */

typedef struct Info {
    RtValue      ob;
    RtType      *cls;
    int          n;             /* fields, base classes' first */
    Field      **fields;        /* owned */
    int          ninit;
    const char **init_names;    /* names of init=True fields, for the signature */
    RtValue     *defaults;      /* tuple: trailing init fields' defaults (MISSING = use the factory) */
    RtParamSpec  spec;
    char        *fname;         /* "Point.__init__" for messages */
    bool         frozen;
} Info;

static void info_dealloc(RtValue *self) {
    Info *in = (Info *)self;
    for (int i = 0; i < in->n; i++) rt_decref(&in->fields[i]->ob);
    rt_free(in->fields);
    rt_free(in->init_names);
    rt_free(in->fname);
    RT_CLEAR(in->defaults);
}

static RtType info_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "_DataclassInfo", .module = "dataclasses",
    .tag = RT_T_NATIVE, .size = sizeof(Info), .dealloc = info_dealloc,
};

static Info *info_of(RtFunc *f) { return (Info *)f->cells[0]; }

/* ==== the methods ================================================================== */

/* __init__(self, *fields): binds as a Python signature would, fills defaults
 * and factories, stores the attributes, then calls __post_init__. */
static RtValue *dc_init(RtFunc *fn, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    Info *in = info_of(fn);
    if (nargs < 1) return rt_raise(&rt_exc_TypeError, "__init__() missing 'self'");
    RtValue *self = args[0];
    RtValue *slots[64], **out = in->ninit <= 64 ? slots : rt_malloc(sizeof(RtValue *) * (size_t)in->ninit);
    if (!out) return NULL;
    RtValue *r = NULL;
    if (rt_bind_args(&in->spec, args + 1, nargs - 1, kwnames, in->defaults, NULL, out, NULL, NULL) < 0) goto done;
    for (int i = 0, k = 0; i < in->n; i++) {
        Field *f = in->fields[i];
        RtValue *v;
        if (f->init) {
            v = out[k++];
            v = v == MISSING ? rt_call(f->factory, NULL, 0, NULL) : rt_newref(v);
        } else if (f->factory != MISSING) {
            v = rt_call(f->factory, NULL, 0, NULL);
        } else if (f->deflt != MISSING) {
            v = rt_newref(f->deflt);
        } else {
            continue;
        }
        if (!v) goto done;
        int rc = rt_obj_dict_setattr(self, rt_str_data(f->name), v);
        rt_decref(v);
        if (rc < 0) goto done;
    }
    if (rt_type_has_attr(self->type, "__post_init__")) {
        RtValue *p = rt_call_method(self, "__post_init__", NULL, 0, NULL);
        if (!p) goto done;
        rt_decref(p);
    }
    r = rt_None;
done:
    if (out != slots) rt_free(out);
    return r;
}

/* Point(x=1, y='a'): each field's repr. */
static RtValue *dc_repr(RtFunc *fn, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    Info *in = info_of(fn);
    (void)kwnames;
    if (nargs != 1) return rt_raise(&rt_exc_TypeError, "__repr__() takes 1 argument");
    RtValue *self = args[0];
    RtValue *parts[130];
    size_t np = 0;
    RtValue *s = rt_str_from_cstr(self->type->name);
    RtValue *r = NULL;
    if (!s) return NULL;
    parts[np++] = s;
    bool first = true;
    for (int i = 0; i < in->n && np < 126; i++) {
        Field *f = in->fields[i];
        if (!f->repr) continue;
        RtValue *v = rt_getattr(self, rt_str_data(f->name));
        RtValue *rv = v ? rt_repr(v) : NULL;
        rt_xdecref(v);
        if (!rv) goto done;
        char head[300];
        snprintf(head, sizeof head, "%s%s=", first ? "(" : ", ", rt_str_data(f->name));
        first = false;
        RtValue *h = rt_str_from_cstr(head);
        if (!h) { rt_decref(rv); goto done; }
        parts[np++] = h;
        parts[np++] = rv;
    }
    RtValue *tail = rt_str_from_cstr(first ? "()" : ")");
    if (!tail) goto done;
    parts[np++] = tail;
    r = rt_str_build(parts, np);
done:
    for (size_t i = 0; i < np; i++) rt_decref(parts[i]);
    return r;
}

/* The compared fields of o as a tuple. */
static RtValue *compare_tuple(Info *in, RtValue *o) {
    int k = 0;
    for (int i = 0; i < in->n; i++) if (in->fields[i]->compare) k++;
    RtValue *t = rt_tuple_new((size_t)k);
    if (!t) return NULL;
    for (int i = 0, j = 0; i < in->n; i++) {
        if (!in->fields[i]->compare) continue;
        RtValue *v = rt_getattr(o, rt_str_data(in->fields[i]->name));
        if (!v) {
            for (int m = j; m < k; m++) RT_TUPLE_SET(t, m, rt_newref(rt_None));
            rt_decref(t);
            return NULL;
        }
        RT_TUPLE_SET(t, j++, v);
    }
    return t;
}

static RtValue *dc_compare(RtFunc *fn, RtValue *const *args, size_t nargs, RtCmpOp op) {
    Info *in = info_of(fn);
    if (nargs != 2) return rt_raise(&rt_exc_TypeError, "comparison takes 2 arguments");
    if (args[1]->type != args[0]->type) return rt_NotImplemented;
    RtValue *a = compare_tuple(in, args[0]);
    RtValue *b = a ? compare_tuple(in, args[1]) : NULL;
    RtValue *r = b ? rt_richcompare(a, b, op) : NULL;
    rt_xdecref(a);
    rt_xdecref(b);
    return r;
}

#define DC_CMP(name, op) \
    static RtValue *name(RtFunc *fn, RtValue *const *args, size_t nargs, RtValue *kw) { \
        (void)kw; return dc_compare(fn, args, nargs, op); }
DC_CMP(dc_eq, RT_EQ)
DC_CMP(dc_lt, RT_LT)
DC_CMP(dc_le, RT_LE)
DC_CMP(dc_gt, RT_GT)
DC_CMP(dc_ge, RT_GE)

static RtValue *dc_hash(RtFunc *fn, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)kw;
    if (nargs != 1) return rt_raise(&rt_exc_TypeError, "__hash__() takes 1 argument");
    RtValue *t = compare_tuple(info_of(fn), args[0]);
    int64_t h;
    int rc = t ? rt_hash(t, &h) : -1;
    rt_xdecref(t);
    return rc < 0 ? NULL : rt_int(h);
}

/* frozen=True: assignment raises dataclasses.FrozenInstanceError. */
static RtValue *frozen_error_type;

static RtType *frozen_error(void) {
    if (!frozen_error_type) {
        RtValue *ns = rt_dict_new();
        if (!ns) return NULL;
        frozen_error_type = rt_class_new("FrozenInstanceError", "dataclasses", &rt_exc_AttributeError, ns, -1);
        rt_decref(ns);
    }
    return (RtType *)frozen_error_type;
}

RtValue *rt_dataclasses_FrozenInstanceError(void) {
    RtType *t = frozen_error();
    return t ? rt_newref((RtValue *)t) : NULL;
}

static RtValue *dc_frozen_setattr(RtFunc *fn, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)fn; (void)kw;
    RtType *t = frozen_error();
    if (!t) return NULL;
    return rt_raise_fmt(t, "cannot %s field %R", nargs == 3 ? "assign to" : "delete", nargs > 1 ? args[1] : rt_None);
}

/* ==== the decorator ================================================================ */

static int install(RtType *cls, Info *in, const char *name, RtFuncEntry entry) {
    RtValue *cell = rt_newref(&in->ob);
    char *qual = rt_malloc(strlen(cls->name) + strlen(name) + 2);
    if (!qual) { rt_decref(cell); return -1; }
    sprintf(qual, "%s.%s", cls->name, name);
    RtValue *f = rt_func_new(name, qual, entry, -1, NULL, NULL, &cell, 1);   /* qual: lives with the class */
    if (!f) return -1;
    int rc = rt_dict_set_cstr(cls->dict, name, f);
    rt_decref(f);
    return rc;
}

/* The fields of cls: its bases' (through __dataclass_fields__), then its own annotations. */
static int collect_fields(RtType *cls, Info *in) {
    RtValue *all = rt_dict_new();
    if (!all) return -1;
    for (RtType *b = cls->base; b && (b->flags & RT_TF_HEAP); b = b->base) {
        RtValue *bf = b->dict ? rt_dict_get_cstr(b->dict, "__dataclass_fields__") : NULL;
        if (!bf) continue;
        size_t pos = 0;
        RtValue *k, *v;
        while (rt_dict_next(bf, &pos, &k, &v))
            if (rt_dict_set(all, k, v) < 0) { rt_decref(all); return -1; }
        break;   /* a dataclass base already holds its own bases' fields */
    }
    RtValue *ann = rt_dict_get_cstr(cls->dict, "__annotations__");
    size_t pos = 0;
    RtValue *name, *unused;
    while (ann && rt_dict_next(ann, &pos, &name, &unused)) {
        RtValue *dflt = rt_dict_get_cstr(cls->dict, rt_str_data(name));
        Field *f;
        if (dflt && dflt->type == &rt_dataclasses_Field) {
            f = (Field *)rt_newref(dflt);
            /* the class keeps a plain default; a factory leaves no class attribute */
            if (f->deflt != MISSING) {
                if (rt_dict_set(cls->dict, name, f->deflt) < 0) { rt_decref(dflt); rt_decref(all); return -1; }
            } else {
                rt_dict_del_cstr(cls->dict, rt_str_data(name));
            }
        } else {
            f = field_new(dflt ? dflt : MISSING, MISSING);
            if (!f) { rt_decref(all); return -1; }
        }
        RT_SETREF(f->name, rt_newref(name));
        int rc = rt_dict_set(all, name, &f->ob);
        rt_decref(&f->ob);
        if (rc < 0) { rt_decref(all); return -1; }
    }
    if (rt_dict_set_cstr(cls->dict, "__dataclass_fields__", all) < 0) { rt_decref(all); return -1; }
    in->n = (int)rt_dict_len(all);
    in->fields = rt_calloc((size_t)in->n + 1, sizeof(Field *));
    if (!in->fields) { rt_decref(all); return -1; }
    pos = 0;
    int i = 0;
    RtValue *v;
    while (rt_dict_next(all, &pos, &name, &v)) in->fields[i++] = (Field *)rt_newref(v);
    rt_decref(all);
    return 0;
}

/* The __init__ signature: init fields, defaults trailing (CPython's rule). */
static int make_signature(RtType *cls, Info *in) {
    in->init_names = rt_calloc((size_t)in->n + 1, sizeof(char *));
    if (!in->init_names) return -1;
    int ndef = 0;
    for (int i = 0; i < in->n; i++) {
        Field *f = in->fields[i];
        if (!f->init) continue;
        bool has_default = f->deflt != MISSING || f->factory != MISSING;
        if (!has_default && ndef) {
            rt_raise_fmt(&rt_exc_TypeError, "non-default argument '%s' follows default argument", rt_str_data(f->name));
            return -1;
        }
        if (has_default) ndef++;
        in->init_names[in->ninit++] = rt_str_data(f->name);
    }
    in->defaults = rt_tuple_new((size_t)ndef);
    if (!in->defaults) return -1;
    for (int i = 0, k = 0; i < in->n; i++) {
        Field *f = in->fields[i];
        if (!f->init || (f->deflt == MISSING && f->factory == MISSING)) continue;
        RT_TUPLE_SET(in->defaults, k++, rt_newref(f->deflt != MISSING ? f->deflt : MISSING));
    }
    in->fname = rt_malloc(strlen(cls->name) + 16);
    if (!in->fname) return -1;
    sprintf(in->fname, "%s.__init__", cls->name);
    in->spec = (RtParamSpec){in->fname, in->init_names, 0, in->ninit, 0, false, false};
    return 0;
}

typedef struct Options { bool init, repr, eq, order, frozen, unsafe_hash; } Options;

static RtValue *process(RtValue *clsv, Options *o) {
    if (clsv->type->tag != RT_T_TYPE || !(((RtType *)clsv)->flags & RT_TF_HEAP))
        return rt_raise(&rt_exc_TypeError, "dataclass() should be called on a class defined in the script");
    RtType *cls = (RtType *)clsv;
    Info *in = (Info *)rt_obj_alloc(&info_type, sizeof(Info));
    if (!in) return NULL;
    in->cls = cls;
    in->frozen = o->frozen;
    int rc = collect_fields(cls, in);
    if (rc == 0 && o->init) rc = make_signature(cls, in);
    if (rc == 0 && o->init && !rt_dict_get_cstr(cls->dict, "__init__")) rc = install(cls, in, "__init__", dc_init);
    if (rc == 0 && o->repr && !rt_dict_get_cstr(cls->dict, "__repr__")) rc = install(cls, in, "__repr__", dc_repr);
    if (rc == 0 && o->eq && !rt_dict_get_cstr(cls->dict, "__eq__")) rc = install(cls, in, "__eq__", dc_eq);
    if (rc == 0 && o->order) {
        static const char *const names[] = {"__lt__", "__le__", "__gt__", "__ge__"};
        static const RtFuncEntry fns[] = {dc_lt, dc_le, dc_gt, dc_ge};
        for (int i = 0; i < 4 && rc == 0; i++) {
            if (rt_dict_get_cstr(cls->dict, names[i])) {
                rt_raise_fmt(&rt_exc_TypeError, "Cannot overwrite attribute %s in class %s. Consider using functools.total_ordering",
                             names[i], cls->name);
                rc = -1;
            } else {
                rc = install(cls, in, names[i], fns[i]);
            }
        }
    }
    if (rc == 0 && o->eq && (o->frozen || o->unsafe_hash)) rc = install(cls, in, "__hash__", dc_hash);
    else if (rc == 0 && o->eq && !rt_dict_get_cstr(cls->dict, "__hash__")) rc = rt_dict_set_cstr(cls->dict, "__hash__", rt_None);
    if (rc == 0 && o->frozen) {
        rc = install(cls, in, "__setattr__", dc_frozen_setattr);
        if (rc == 0) rc = install(cls, in, "__delattr__", dc_frozen_setattr);
    }
    rt_decref(&in->ob);
    if (rc < 0) return NULL;
    rt_class_refresh_slots(cls);
    return rt_newref(clsv);
}

static int read_options(RtValue *const *args, size_t nargs, RtValue *kw, Options *o) {
    static const char *const kws[] = {"init", "repr", "eq", "order", "unsafe_hash", "frozen", "match_args",
                                      "kw_only", "slots", NULL};
    if (rt_check_kwargs("dataclass", kw, kws) < 0) return -1;
    if (flag_kw(args, nargs, kw, "init", true, &o->init) < 0 || flag_kw(args, nargs, kw, "repr", true, &o->repr) < 0 ||
        flag_kw(args, nargs, kw, "eq", true, &o->eq) < 0 || flag_kw(args, nargs, kw, "order", false, &o->order) < 0 ||
        flag_kw(args, nargs, kw, "frozen", false, &o->frozen) < 0 ||
        flag_kw(args, nargs, kw, "unsafe_hash", false, &o->unsafe_hash) < 0)
        return -1;
    if (o->order && !o->eq) {
        rt_raise(&rt_exc_ValueError, "eq must be true if order is true");
        return -1;
    }
    return 0;
}

/* The decorator returned by dataclass(order=True, ...): options in its tuple. */
static RtValue *with_options(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("dataclass", nargs, kw, 1, 1) < 0) return NULL;
    Options o;
    RtValue *t = self;   /* a tuple of 6 bools */
    o.init = RT_TUPLE_GET(t, 0) == rt_True;
    o.repr = RT_TUPLE_GET(t, 1) == rt_True;
    o.eq = RT_TUPLE_GET(t, 2) == rt_True;
    o.order = RT_TUPLE_GET(t, 3) == rt_True;
    o.frozen = RT_TUPLE_GET(t, 4) == rt_True;
    o.unsafe_hash = RT_TUPLE_GET(t, 5) == rt_True;
    return process(args[0], &o);
}

/* dataclass(cls=None, /, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False, frozen=False) */
RtValue *rt_dataclasses_dataclass(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    Options o;
    if (read_options(args, nargs, kwnames, &o) < 0) return NULL;
    if (nargs == 1 && args[0] != rt_None) return process(args[0], &o);
    if (nargs > 1) return rt_raise(&rt_exc_TypeError, "dataclass() takes at most 1 positional argument");
    RtValue *opts = rt_tuple_pack(6, rt_bool(o.init), rt_bool(o.repr), rt_bool(o.eq), rt_bool(o.order),
                                  rt_bool(o.frozen), rt_bool(o.unsafe_hash));
    if (!opts) return NULL;
    RtValue *dec = rt_builtin_new("wrap", with_options, opts, -1);
    rt_decref(opts);
    return dec;
}

/* ==== helpers on instances ============================================================== */

static RtValue *fields_dict(RtValue *o) {
    RtType *t = o->type->tag == RT_T_TYPE ? (RtType *)o : o->type;
    for (; t; t = t->base)
        if (t->dict) {
            RtValue *f = rt_dict_get_cstr(t->dict, "__dataclass_fields__");
            if (f) return f;
        }
    return NULL;
}

RtValue *rt_dataclasses_is_dataclass(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_check_args("is_dataclass", nargs, kw, 1, 1) < 0) return NULL;
    return rt_bool(fields_dict(args[0]) != NULL);
}

RtValue *rt_dataclasses_fields(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_check_args("fields", nargs, kw, 1, 1) < 0) return NULL;
    RtValue *fd = fields_dict(args[0]);
    if (!fd) return rt_raise(&rt_exc_TypeError, "must be called with a dataclass type or instance");
    RtValue *l = rt_list_new(0);
    size_t pos = 0;
    RtValue *k, *v;
    while (l && rt_dict_next(fd, &pos, &k, &v))
        if (rt_list_append(l, v) < 0) RT_CLEAR(l);
    RtValue *t = l ? rt_call((RtValue *)&rt_type_tuple, &l, 1, NULL) : NULL;
    rt_xdecref(l);
    return t;
}

/* asdict/astuple: dataclass instances become dicts (tuples), recursively
 * through lists, tuples and dicts; other values are kept. */
static RtValue *convert(RtValue *o, bool as_dict, int depth) {
    if (depth > 200) return rt_raise(&rt_exc_RecursionError, "maximum recursion depth exceeded");
    RtValue *fd = o->type->tag != RT_T_TYPE ? fields_dict(o) : NULL;
    if (fd) {
        RtValue *out = as_dict ? rt_dict_new() : rt_list_new(0);
        size_t pos = 0;
        RtValue *k, *v;
        while (out && rt_dict_next(fd, &pos, &k, &v)) {
            RtValue *x = rt_getattr(o, rt_str_data(k));
            RtValue *c = x ? convert(x, as_dict, depth + 1) : NULL;
            rt_xdecref(x);
            int rc = !c ? -1 : as_dict ? rt_dict_set(out, k, c) : rt_list_append(out, c);
            rt_xdecref(c);
            if (rc < 0) RT_CLEAR(out);
        }
        if (out && !as_dict) {
            RtValue *t = rt_call((RtValue *)&rt_type_tuple, &out, 1, NULL);
            rt_decref(out);
            out = t;
        }
        return out;
    }
    if (rt_is_list(o) || rt_is_tuple(o)) {
        RtValue *l = rt_list_new(0);
        RtValue *it = l ? rt_iter(o) : NULL, *x;
        while (it && (x = rt_iter_next(it))) {
            RtValue *c = convert(x, as_dict, depth + 1);
            rt_decref(x);
            if (!c || rt_list_append(l, c) < 0) { rt_xdecref(c); RT_CLEAR(l); break; }
            rt_decref(c);
        }
        rt_xdecref(it);
        if (!l || RT_ERR()) { rt_xdecref(l); return NULL; }
        if (rt_is_list(o)) return l;
        RtValue *t = rt_call((RtValue *)&rt_type_tuple, &l, 1, NULL);
        rt_decref(l);
        return t;
    }
    if (rt_is_dict(o)) {
        RtValue *d = rt_dict_new();
        size_t pos = 0;
        RtValue *k, *v;
        while (d && rt_dict_next(o, &pos, &k, &v)) {
            RtValue *ck = convert(k, as_dict, depth + 1), *cv = ck ? convert(v, as_dict, depth + 1) : NULL;
            if (!cv || rt_dict_set(d, ck, cv) < 0) RT_CLEAR(d);
            rt_xdecref(ck);
            rt_xdecref(cv);
        }
        return d;
    }
    return rt_newref(o);
}

RtValue *rt_dataclasses_asdict(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_check_args("asdict", nargs, kw, 1, 1) < 0) return NULL;
    if (!fields_dict(args[0]) || args[0]->type->tag == RT_T_TYPE)
        return rt_raise(&rt_exc_TypeError, "asdict() should be called on dataclass instances");
    return convert(args[0], true, 0);
}

RtValue *rt_dataclasses_astuple(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (rt_check_args("astuple", nargs, kw, 1, 1) < 0) return NULL;
    if (!fields_dict(args[0]) || args[0]->type->tag == RT_T_TYPE)
        return rt_raise(&rt_exc_TypeError, "astuple() should be called on dataclass instances");
    return convert(args[0], false, 0);
}

/* replace(obj, **changes): a new instance with some fields changed. */
RtValue *rt_dataclasses_replace(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (nargs != 1) return rt_raise(&rt_exc_TypeError, "replace() takes 1 positional argument");
    RtValue *o = args[0];
    RtValue *fd = fields_dict(o);
    if (!fd) return rt_raise(&rt_exc_TypeError, "replace() should be called on dataclass instances");
    RtValue *kw = rt_dict_new();
    size_t pos = 0;
    RtValue *k, *v;
    while (kw && rt_dict_next(fd, &pos, &k, &v)) {
        if (!((Field *)v)->init) continue;
        RtValue *x = rt_kwarg(args, nargs, kwnames, rt_str_data(k));
        RtValue *cur = x ? rt_newref(x) : rt_getattr(o, rt_str_data(k));
        if (!cur || rt_dict_set(kw, k, cur) < 0) RT_CLEAR(kw);
        rt_xdecref(cur);
    }
    for (size_t i = 0; kw && kwnames && i < RT_TUPLE_LEN(kwnames); i++) {
        RtValue *name = RT_TUPLE_GET(kwnames, i);
        if (!rt_dict_get_cstr(fd, rt_str_data(name))) {
            rt_raise_fmt(&rt_exc_TypeError, "%s.__init__() got an unexpected keyword argument '%s'",
                         o->type->name, rt_str_data(name));
            RT_CLEAR(kw);
        }
    }
    if (!kw) return NULL;
    RtValue *r = rt_call_tuple_dict((RtValue *)o->type, NULL, kw);
    rt_decref(kw);
    return r;
}

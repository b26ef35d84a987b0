/* classes.c: classes defined in the translated script.
 *
 * A script class is an RtType allocated at run time (rt_class_new). It copies
 * its base's layout and slots, then, for each special method its namespace
 * defines (__repr__, __eq__, __add__, __len__, __iter__, ...), points the
 * matching slot at a dispatcher that looks the method up and calls it. So the
 * generic operations in ops.c never need to know whether a type is native or
 * written in Python: they call the slot.
 *
 * Construction follows CPython's __new__/__init__ split: a blank instance
 * comes from the nearest native ancestor's construct slot (or is a plain
 * RtInstance), then the first __init__ along the chain runs.
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

bool rt_type_has_script_attr(RtType *t, const char *name);

/* Calls the special method `name` of self with n arguments. NULL + no
 * exception pending when the class does not define it. */
static RtValue *call_special(RtValue *self, const char *name, RtValue *const *args, size_t n) {
    if (!rt_type_has_script_attr(self->type, name)) return NULL;
    return rt_call_method(self, name, args, n, NULL);
}

static RtValue *require_special(RtValue *self, const char *name, RtValue *const *args, size_t n) {
    RtValue *r = call_special(self, name, args, n);
    if (!r && !RT_ERR())
        rt_raise_fmt(&rt_exc_TypeError, "'%s' object does not support %s", self->type->name, name);
    return r;
}

/* ---- text ------------------------------------------------------------------ */

static RtValue *check_str_result(RtValue *r, const char *what) {
    if (r && !rt_is_str(r)) {
        rt_raise_fmt(&rt_exc_TypeError, "%s returned non-string (type %s)", what, r->type->name);
        rt_decref(r);
        return NULL;
    }
    return r;
}

static RtValue *slot_repr(RtValue *self) {
    return check_str_result(require_special(self, "__repr__", NULL, 0), "__repr__");
}

static RtValue *slot_str(RtValue *self) {
    return check_str_result(require_special(self, "__str__", NULL, 0), "__str__");
}

/* ---- hashing and comparison -------------------------------------------------- */

static int slot_hash(RtValue *self, int64_t *out) {
    RtValue *r = require_special(self, "__hash__", NULL, 0);
    if (!r) return -1;
    if (!rt_is_int(r)) {
        rt_raise(&rt_exc_TypeError, "__hash__ method should return an integer");
        rt_decref(r);
        return -1;
    }
    int rc = rt_hash(r, out);   /* reduces big ints as CPython does */
    rt_decref(r);
    return rc;
}

static int slot_unhashable(RtValue *self, int64_t *out) {
    (void)out;
    rt_raise_fmt(&rt_exc_TypeError, "unhashable type: '%s'", self->type->name);
    return -1;
}

static const char *const cmp_names[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};

static RtValue *slot_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    /* rt_richcompare tries a's slot, then b's reflected one (see ops.c). */
    RtValue *r = call_special(a, cmp_names[op], &b, 1);
    if (r || RT_ERR()) return r;
    if (op == RT_NE && rt_type_has_script_attr(a->type, "__eq__")) {
        /* CPython's default __ne__ inverts __eq__ */
        RtValue *eq = rt_call_method(a, "__eq__", &b, 1, NULL);
        if (!eq || eq == rt_NotImplemented) return eq;
        int t = rt_truthy(eq);
        rt_decref(eq);
        return t < 0 ? NULL : rt_bool(!t);
    }
    return rt_NotImplemented;
}

/* ---- arithmetic -------------------------------------------------------------- */

static const char *const binop_names[][3] = {
    [RT_ADD] = {"__add__", "__radd__", "__iadd__"},
    [RT_SUB] = {"__sub__", "__rsub__", "__isub__"},
    [RT_MUL] = {"__mul__", "__rmul__", "__imul__"},
    [RT_MATMUL] = {"__matmul__", "__rmatmul__", "__imatmul__"},
    [RT_TRUEDIV] = {"__truediv__", "__rtruediv__", "__itruediv__"},
    [RT_MOD] = {"__mod__", "__rmod__", "__imod__"},
    [RT_POW] = {"__pow__", "__rpow__", "__ipow__"},
    [RT_LSHIFT] = {"__lshift__", "__rlshift__", "__ilshift__"},
    [RT_RSHIFT] = {"__rshift__", "__rrshift__", "__irshift__"},
    [RT_OR] = {"__or__", "__ror__", "__ior__"},
    [RT_XOR] = {"__xor__", "__rxor__", "__ixor__"},
    [RT_AND] = {"__and__", "__rand__", "__iand__"},
    [RT_FLOORDIV] = {"__floordiv__", "__rfloordiv__", "__ifloordiv__"},
};

static RtValue *slot_binop(RtValue *a, RtValue *b, RtBinOp op);

/* Tries a.__op__(b), then b.__rop__(a) when b is a different script type. */
static RtValue *slot_binop(RtValue *a, RtValue *b, RtBinOp op) {
    RtValue *r = NULL;
    if (a->type->binop == slot_binop) {
        r = call_special(a, binop_names[op][0], &b, 1);
        if (RT_ERR()) return NULL;
        if (r && r != rt_NotImplemented) return r;
    }
    if (b->type->binop == slot_binop && b->type != a->type) {
        r = call_special(b, binop_names[op][1], &a, 1);
        if (RT_ERR()) return NULL;
        if (r && r != rt_NotImplemented) return r;
    }
    return rt_NotImplemented;
}

static RtValue *slot_inplace(RtValue *a, RtValue *b, RtBinOp op) {
    RtValue *r = call_special(a, binop_names[op][2], &b, 1);
    if (r || RT_ERR()) return r;
    return rt_binop(a, b, op);
}

static RtValue *slot_unary(RtValue *a, RtUnaryOp op) {
    static const char *const names[] = {[RT_INVERT] = "__invert__", [RT_POS] = "__pos__",
                                        [RT_NEG] = "__neg__"};
    return require_special(a, names[op], NULL, 0);
}

/* ---- containers and truth ------------------------------------------------------ */

static int64_t slot_len(RtValue *self) {
    RtValue *r = require_special(self, "__len__", NULL, 0);
    if (!r) return -1;
    int64_t n = -1;
    if (!rt_is_int(r))
        rt_raise_fmt(&rt_exc_TypeError, "'%s' object cannot be interpreted as an integer", r->type->name);
    else if (rt_int_as_i64(r, &n) == 0 && n < 0) {
        rt_raise(&rt_exc_ValueError, "__len__() should return >= 0");
        n = -1;
    }
    rt_decref(r);
    return n;
}

static int slot_truthy(RtValue *self) {
    RtValue *r = call_special(self, "__bool__", NULL, 0);
    if (r) {
        if (r != rt_True && r != rt_False) {
            rt_raise_fmt(&rt_exc_TypeError, "__bool__ should return bool, returned %s", r->type->name);
            rt_decref(r);
            return -1;
        }
        return r == rt_True;
    }
    if (RT_ERR()) return -1;
    if (rt_type_has_script_attr(self->type, "__len__")) {
        int64_t n = slot_len(self);
        return n < 0 ? -1 : n > 0;
    }
    return 1;
}

static RtValue *slot_getitem(RtValue *self, RtValue *key) {
    return require_special(self, "__getitem__", &key, 1);
}

static int slot_setitem(RtValue *self, RtValue *key, RtValue *v) {
    RtValue *args[2] = {key, v};
    RtValue *r = v ? require_special(self, "__setitem__", args, 2)
                   : require_special(self, "__delitem__", args, 1);
    if (!r) return -1;
    rt_decref(r);
    return 0;
}

static int slot_contains(RtValue *self, RtValue *item) {
    RtValue *r = call_special(self, "__contains__", &item, 1);
    if (!r) {
        if (RT_ERR()) return -1;
        /* fall back to iteration, as CPython does */
        RtValue *it = rt_iter(self);
        if (!it) return -1;
        RtValue *x;
        int found = 0;
        while (!found && (x = rt_iter_next(it))) {
            found = rt_eq(x, item);
            rt_decref(x);
        }
        rt_decref(it);
        return RT_ERR() ? -1 : found;
    }
    int t = rt_truthy(r);
    rt_decref(r);
    return t;
}

static RtValue *slot_iter(RtValue *self) {
    RtValue *r = require_special(self, "__iter__", NULL, 0);
    if (r && !r->type->iternext) {
        rt_raise_fmt(&rt_exc_TypeError, "iter() returned non-iterator of type '%s'", r->type->name);
        rt_decref(r);
        return NULL;
    }
    return r;
}

static RtValue *slot_iternext(RtValue *self) {
    RtValue *r = require_special(self, "__next__", NULL, 0);
    if (!r && rt_exc_matches((RtValue *)&rt_exc_StopIteration)) {
        rt_decref(rt_exc_fetch());   /* StopIteration ends the loop */
        return NULL;
    }
    return r;
}

static RtValue *slot_call(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return rt_call_method(self, "__call__", args, nargs, kwnames);
}

/* __setattr__ / __delattr__ defined by the class (dataclass(frozen=True) too). */
static int slot_setattr(RtValue *self, const char *name, RtValue *v) {
    RtValue *n = rt_str_from_cstr(name);
    if (!n) return -1;
    RtValue *args[2] = {n, v};
    RtValue *r;
    if (v) r = rt_type_has_script_attr(self->type, "__setattr__") ? rt_call_method(self, "__setattr__", args, 2, NULL)
                                                                  : (rt_obj_dict_setattr(self, name, v) < 0 ? NULL : rt_None);
    else r = rt_type_has_script_attr(self->type, "__delattr__") ? rt_call_method(self, "__delattr__", args, 1, NULL)
                                                                : (rt_obj_dict_setattr(self, name, NULL) < 0 ? NULL : rt_None);
    rt_decref(n);
    if (!r) return -1;
    rt_decref(r);
    return 0;
}

static RtValue *slot_getattr(RtValue *self, const char *name) {
    RtValue *n = rt_str_from_cstr(name);
    if (!n) return NULL;
    RtValue *r = rt_call_method(self, "__getattr__", &n, 1, NULL);
    rt_decref(n);
    return r;
}

/* ---- construction --------------------------------------------------------------- */

/* The nearest ancestor that is not a script class. */
static RtType *native_base(RtType *t) {
    while (t->flags & RT_TF_HEAP) t = t->base;
    return t;
}

static RtValue *class_construct(RtType *t, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtType *nb = native_base(t);
    RtValue *self;
    if (nb == &rt_type_object) self = rt_instance_new(t);
    else if (nb->tag == RT_T_EXC) self = nb->construct(t, args, nargs, NULL);  /* BaseException.__new__ keeps args */
    else self = nb->construct(t, NULL, 0, NULL);
    if (!self) return NULL;
    RtValue *r = rt_call_method(self, "__init__", args, nargs, kwnames);
    if (!r) {
        /* object.__init__ with arguments: CPython names the class */
        if (nb == &rt_type_object && !rt_type_has_script_attr(t, "__init__") &&
            rt_exc_matches((RtValue *)&rt_exc_TypeError)) {
            rt_decref(rt_exc_fetch());
            rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments", t->name);
        }
        rt_decref(self);
        return NULL;
    }
    if (r != rt_None) {
        rt_raise_fmt(&rt_exc_TypeError, "__init__() should return None, not '%s'", r->type->name);
        rt_decref(r);
        rt_decref(self);
        return NULL;
    }
    return self;
}

static bool ns_has(RtValue *ns, const char *name) { return rt_dict_get_cstr(ns, name) != NULL; }

/* Points slots at dispatchers for the special methods ns defines. */
static void install_special_slots(RtType *t, RtValue *ns) {
    if (ns_has(ns, "__repr__")) t->repr = slot_repr;
    if (ns_has(ns, "__str__")) t->str = slot_str;
    if (ns_has(ns, "__hash__")) t->hash = rt_dict_get_cstr(ns, "__hash__") == rt_None ? slot_unhashable : slot_hash;
    else if (ns_has(ns, "__eq__")) t->hash = slot_unhashable;   /* defining __eq__ clears __hash__ */
    for (int op = 0; op < 6; op++)
        if (ns_has(ns, cmp_names[op])) t->richcompare = slot_richcompare;
    for (size_t op = 0; op < sizeof binop_names / sizeof binop_names[0]; op++) {
        if (ns_has(ns, binop_names[op][0]) || ns_has(ns, binop_names[op][1])) t->binop = slot_binop;
        if (ns_has(ns, binop_names[op][2])) t->inplace = slot_inplace;
    }
    if (ns_has(ns, "__neg__") || ns_has(ns, "__pos__") || ns_has(ns, "__invert__")) t->unary = slot_unary;
    if (ns_has(ns, "__bool__") || ns_has(ns, "__len__")) t->truthy = slot_truthy;
    if (ns_has(ns, "__len__")) t->len = slot_len;
    if (ns_has(ns, "__getitem__")) t->getitem = slot_getitem;
    if (ns_has(ns, "__setitem__") || ns_has(ns, "__delitem__")) t->setitem = slot_setitem;
    if (ns_has(ns, "__contains__") || ns_has(ns, "__iter__")) t->contains = slot_contains;
    if (ns_has(ns, "__iter__")) t->iter = slot_iter;
    /* __getitem__ without __iter__ (here or inherited): the sequence protocol */
    else if (ns_has(ns, "__getitem__") && !t->iter) t->iter = rt_seq_iter_new;
    if (ns_has(ns, "__next__")) t->iternext = slot_iternext;
    if (ns_has(ns, "__call__")) t->call = slot_call;
    if (ns_has(ns, "__getattr__")) t->getattr = slot_getattr;
    if (ns_has(ns, "__setattr__") || ns_has(ns, "__delattr__")) t->setattr = slot_setattr;
}

/* Re-reads a script class's namespace after something (a decorator such as
 * @dataclass) added special methods to it. */
void rt_class_refresh_slots(RtType *t) {
    if ((t->flags & RT_TF_HEAP) && t->dict) install_special_slots(t, t->dict);
}

RtValue *rt_class_new(const char *name, const char *module, RtType *base,
                      RtValue *ns, int table_index) {
    if (!base) base = &rt_type_object;
    if (!(base->flags & RT_TF_BASETYPE))
        return rt_raise_fmt(&rt_exc_TypeError, "type '%s' is not an acceptable base type", base->name);
    RtType *t = rt_malloc(sizeof(RtType));
    if (!t) return NULL;
    *t = *base;                         /* layout and slots, as inherited */
    t->ob.rc = RT_IMMORTAL;             /* classes live as long as the program */
    t->ob.flags = 0;
    t->ob.type = &rt_type_type;
    t->name = name;
    t->module = module ? module : "__main__";
    t->flags = RT_TF_HEAP | RT_TF_BASETYPE;
    t->base = base;
    t->dict = rt_newref(ns);
    t->table_index = table_index;
    t->construct = class_construct;
    if (base == &rt_type_object) {
        t->tag = RT_T_INSTANCE;
        t->size = sizeof(RtInstance);
        t->dict_offset = offsetof(RtInstance, dict);
        t->methods = NULL;              /* object's __init__ is found through base */
    } else if (!t->dict_offset) {
        return rt_raise_fmt(&rt_exc_TypeError, "subclassing '%s' is not supported", base->name);
    }
    t->methods = NULL;                  /* natives' methods are found along the chain */
    t->getset = NULL;
    /* __slots__ limits the attributes when every class of the chain has them */
    RtValue *slots = rt_dict_get_cstr(ns, "__slots__");
    if (slots && (base == &rt_type_object || (base->flags & RT_TF_SLOTS))) {
        RtValue *d = rt_str_from_cstr("__dict__");
        int has_dict = !d ? -1 : rt_is_str(slots) ? rt_eq(slots, d) : rt_contains(slots, d);
        rt_xdecref(d);
        if (has_dict < 0) return NULL;
        if (!has_dict) t->flags |= RT_TF_SLOTS;
    }
    install_special_slots(t, ns);
    return (RtValue *)t;
}

/* infer.c: whole-program type inference, with no annotations needed.
 *
 * Types flow forward from literals, builtins and the runtime's known
 * signatures (modules.c) into variables, and from call sites into
 * parameters: a direct call f(x), but also the places multiprocessing hands
 * a function its arguments — Process(target=f, args=(...)), pool.map(f, xs),
 * pool.starmap, pool.apply(f, args), and the builtins map/filter/sorted(key=).
 * Return statements give functions their result type. The whole program is
 * walked again and again until no type changes (the lattice has finite
 * height: nesting deeper than MAX_DEPTH becomes Any).
 *
 * Container element types live in Origins shared by all aliases of a
 * container (unification, as Steensgaard's analysis does), so appending a
 * str through one alias widens what every alias sees. A value that flows
 * somewhere the analysis cannot follow (an Any-typed variable, an unknown
 * callee) "escapes": its containers' elements become Any and its functions'
 * parameters become Any.
 *
 * ints carry a flag: `big` ints may outgrow 64 bits (r *= i, 2 ** n,
 * n * f(n - 1), huge literals) and stay boxed (GMP); the others become
 * int64_t with checked arithmetic.
 *
 * At the end every symbol, parameter and return value gets its C
 * representation (Rep).
 */
#include "sema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 4, MAX_ROUNDS = 200 };

typedef struct Infer {
    Program  *p;
    bool      changed;
    FuncInfo *fn;          /* the function being walked, NULL for module code */
} Infer;

/* ==== types ================================================================== */

static Type T_bottom = {.kind = TY_BOTTOM}, T_any = {.kind = TY_ANY}, T_none = {.kind = TY_NONE},
            T_bool = {.kind = TY_BOOL}, T_int = {.kind = TY_INT}, T_int1 = {.kind = TY_INT, .lvl = 1}, T_bigint = {.kind = TY_INT, .big = true},
            T_float = {.kind = TY_FLOAT}, T_complex = {.kind = TY_COMPLEX}, T_str = {.kind = TY_STR},
            T_bytes = {.kind = TY_BYTES}, T_range = {.kind = TY_RANGE},
            T_range1 = {.kind = TY_RANGE, .lvl = 1}, T_range_big = {.kind = TY_RANGE, .big = true, .big_stop = true},
            T_range_bs = {.kind = TY_RANGE, .big_stop = true}, T_range1_bs = {.kind = TY_RANGE, .lvl = 1, .big_stop = true};

Type *ty_any(void) { return &T_any; }

Type *ty_prim(TypeKind k) {
    switch (k) {
    case TY_BOTTOM: return &T_bottom;
    case TY_NONE: return &T_none;
    case TY_BOOL: return &T_bool;
    case TY_INT: return &T_int;
    case TY_FLOAT: return &T_float;
    case TY_COMPLEX: return &T_complex;
    case TY_STR: return &T_str;
    case TY_BYTES: return &T_bytes;
    case TY_RANGE: return &T_range;
    default: return &T_any;
    }
}

bool ty_is_prim(const Type *t, TypeKind k) { return t && t->kind == k; }

Type *ty_new(Program *p, TypeKind k) {
    Type *t = ar_alloc(p->arena, sizeof(Type));
    t->kind = k;
    return t;
}

Origin *origin_find(Origin *o) {
    while (o->parent) {
        if (o->parent->parent) o->parent = o->parent->parent;   /* path halving */
        o = o->parent;
    }
    return o;
}

static Origin *origin_new(Program *p) {
    Origin *o = ar_alloc(p->arena, sizeof(Origin));
    o->elem = &T_bottom;
    o->key = &T_bottom;
    return o;
}

static Type *ty_container(Program *p, TypeKind k, Origin *o) {
    Type *t = ty_new(p, k);
    t->origin = o;
    return t;
}

Type *ty_list(Program *p, Type *elem) {
    Origin *o = origin_new(p);
    o->elem = elem;
    return ty_container(p, TY_LIST, o);
}

Type *ty_tuple(Program *p, Type **items, int n) {
    Type *t = ty_new(p, TY_TUPLE);
    t->nitems = n;
    t->items = ar_alloc(p->arena, sizeof(Type *) * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) t->items[i] = items[i];
    return t;
}

static Type *ty_vartuple(Program *p, Type *elem) {
    Type *t = ty_new(p, TY_TUPLE);
    t->nitems = -1;
    t->elem = elem;
    return t;
}

static Type *ty_iter(Program *p, Type *elem) {
    Type *t = ty_new(p, TY_ITER);
    t->elem = elem;
    return t;
}

static Type *ty_named(Program *p, TypeKind k, const char *name) {
    Type *t = ty_new(p, k);
    t->name = name;
    return t;
}

/* How deeply t nests containers, counting at most `budget` levels (a list
 * may contain itself, so the walk must stop). */
static int depth_within(const Type *t, int budget) {
    if (!t || budget <= 0) return 0;
    int d = 0;
    switch (t->kind) {
    case TY_LIST: case TY_SET: case TY_DICT: {
        Origin *o = origin_find(t->origin);
        int a = depth_within(o->elem, budget - 1), b = depth_within(o->key, budget - 1);
        return 1 + (a > b ? a : b);
    }
    case TY_TUPLE:
        if (t->nitems < 0) d = depth_within(t->elem, budget - 1);
        for (int i = 0; i < t->nitems; i++) {
            int x = depth_within(t->items[i], budget - 1);
            if (x > d) d = x;
        }
        return 1 + d;
    case TY_ITER: return 1 + depth_within(t->elem, budget - 1);
    default: return 0;
    }
}

static int depth(const Type *t) { return depth_within(t, MAX_DEPTH + 2); }

static bool ty_equal(const Type *a, const Type *b) {
    if (a == b) return true;
    if (!a || !b || a->kind != b->kind) return false;
    switch (a->kind) {
    case TY_INT: case TY_RANGE: return a->big == b->big && a->lvl == b->lvl && a->big_stop == b->big_stop;
    case TY_LIST: case TY_SET: case TY_DICT: return origin_find(a->origin) == origin_find(b->origin);
    case TY_TUPLE:
        if (a->nitems != b->nitems) return false;
        if (a->nitems < 0) return ty_equal(a->elem, b->elem);
        for (int i = 0; i < a->nitems; i++) if (!ty_equal(a->items[i], b->items[i])) return false;
        return true;
    case TY_ITER: return ty_equal(a->elem, b->elem);
    case TY_FUNC: return a->fn == b->fn;
    case TY_INST: return a->cls == b->cls;
    case TY_CLASS: return a->cls == b->cls && (a->cls || strcmp(a->name, b->name) == 0);
    case TY_NATIVE: case TY_MODULE: return strcmp(a->name, b->name) == 0;
    case TY_BUILTIN: return a->member == b->member && strcmp(a->name, b->name) == 0;
    default: return true;
    }
}

static void escape(Infer *I, Type *t);
static Type *join(Infer *I, Type *a, Type *b);

/* Magnitude levels of ints. Level 0 is a base value: a literal below 2**31,
 * a length, an index, a range element, a counter stepped by a constant. Level
 * 1 is one sum or product of base values (x * x, a + b, total += x). Anything
 * further (a sum of level-1 values, a product involving one, a power) may
 * outgrow 64 bits and is big (level 2). The fixpoint raises the level of a
 * value that feeds itself around a loop, a container, a call or an attribute
 * (fib.append(fib[-1] + fib[-2]), dp[i] = dp[i-1] * i, mul(mul(x, y), z)),
 * so it ends up big wherever it travels. */
static int int_level(const Type *t) {
    if (t->kind == TY_BOOL) return 0;
    return t->big ? 2 : t->lvl;
}

static Type *int_of_level(int l) { return l <= 0 ? &T_int : l == 1 ? &T_int1 : &T_bigint; }

/* A range carries the level of its items (TY_RANGE with lvl/big). */
static Type *range_of_level(int l, bool big_stop) {
    if (big_stop || l >= 2) return l <= 0 ? &T_range_bs : l == 1 ? &T_range1_bs : &T_range_big;
    return l <= 0 ? &T_range : &T_range1;
}

/* Merges two containers' element sets: every alias sees both. */
static void origin_unify(Infer *I, Origin *a, Origin *b) {
    a = origin_find(a);
    b = origin_find(b);
    if (a == b) return;
    b->parent = a;
    a->elem = join(I, a->elem, b->elem);
    a->key = join(I, a->key, b->key);
    I->changed = true;
}

/* Joins t into a slot (an origin's elem/key): reports change, escapes into Any. */
static void slot_join(Infer *I, Type **slot, Type *t) {
    if (!t) return;
    Type *n = join(I, *slot, t);
    if (depth(n) > MAX_DEPTH) n = &T_any;   /* deep or self-containing: dynamic */
    if (n->kind == TY_ANY && t->kind != TY_ANY) escape(I, t);
    if (!ty_equal(n, *slot)) {
        *slot = n;
        I->changed = true;
    }
}

static void origin_add(Infer *I, Origin *o, Type *elem, Type *key) {
    o = origin_find(o);
    if (elem) slot_join(I, &o->elem, elem);
    o = origin_find(o);
    if (key) slot_join(I, &o->key, key);
}

static Type *join(Infer *I, Type *a, Type *b) {
    if (!a || a->kind == TY_BOTTOM) return b ? b : &T_bottom;
    if (!b || b->kind == TY_BOTTOM) return a;
    if (a == b) return a;
    if (a->kind == TY_ANY || b->kind == TY_ANY) return &T_any;
    if (a->kind != b->kind) return &T_any;
    switch (a->kind) {
    case TY_INT: return int_of_level(int_level(a) > int_level(b) ? int_level(a) : int_level(b));
    case TY_RANGE:
        return range_of_level(int_level(a) > int_level(b) ? int_level(a) : int_level(b), a->big_stop || b->big_stop);
    case TY_LIST: case TY_SET: case TY_DICT:
        origin_unify(I, a->origin, b->origin);
        return a;
    case TY_TUPLE: {
        if (a->nitems >= 0 && a->nitems == b->nitems) {
            bool same = true;
            Type **items = ar_alloc(I->p->arena, sizeof(Type *) * (size_t)(a->nitems + 1));
            for (int i = 0; i < a->nitems; i++) {
                items[i] = join(I, a->items[i], b->items[i]);
                if (!ty_equal(items[i], a->items[i])) same = false;
            }
            return same ? a : ty_tuple(I->p, items, a->nitems);
        }
        Type *e = a->nitems < 0 ? a->elem : &T_bottom;
        for (int i = 0; i < a->nitems; i++) e = join(I, e, a->items[i]);
        if (b->nitems < 0) e = join(I, e, b->elem);
        for (int i = 0; i < b->nitems; i++) e = join(I, e, b->items[i]);
        if (a->nitems < 0 && ty_equal(e, a->elem)) return a;
        return ty_vartuple(I->p, e);
    }
    case TY_ITER: {
        Type *e = join(I, a->elem, b->elem);
        return ty_equal(e, a->elem) ? a : ty_iter(I->p, e);
    }
    default:
        return ty_equal(a, b) ? a : &T_any;
    }
}

/* t goes where the analysis cannot follow it. */
static void escape(Infer *I, Type *t) {
    if (!t) return;
    switch (t->kind) {
    case TY_LIST: case TY_SET: case TY_DICT: {
        Origin *o = origin_find(t->origin);
        if (o->elem->kind != TY_ANY || (t->kind == TY_DICT && o->key->kind != TY_ANY)) {
            Type *e = o->elem, *k = o->key;
            o->elem = &T_any;
            if (t->kind == TY_DICT) o->key = &T_any;
            I->changed = true;
            escape(I, e);
            escape(I, k);
        }
        return;
    }
    case TY_TUPLE:
        if (t->nitems < 0) escape(I, t->elem);
        for (int i = 0; i < t->nitems; i++) escape(I, t->items[i]);
        return;
    case TY_FUNC:
        if (!t->fn->escapes) {
            t->fn->escapes = true;
            I->changed = true;
        }
        return;
    default:
        return;
    }
}

static Type *cap(Infer *I, Type *t) {
    (void)I;
    return depth(t) > MAX_DEPTH ? &T_any : t;
}

static void sym_join(Infer *I, Sym *s, Type *t) {
    if (!s || !t) return;
    if (s->kind == SYM_FREE && s->outer) s = s->outer;
    if (s->growth && t->kind == TY_INT) t = &T_bigint;
    Type *n = cap(I, join(I, s->ty, t));
    if (n->kind == TY_ANY && t->kind != TY_ANY) escape(I, t);
    if (!ty_equal(n, s->ty)) {
        s->ty = n;
        I->changed = true;
    }
}

Type *ty_elem(Type *t) {
    if (!t) return &T_any;
    switch (t->kind) {
    case TY_LIST: case TY_SET: return origin_find(t->origin)->elem;
    case TY_DICT: return origin_find(t->origin)->key;
    case TY_TUPLE: {
        if (t->nitems < 0) return t->elem;
        Type *e = &T_bottom;
        for (int i = 0; i < t->nitems; i++) {
            if (e->kind == TY_BOTTOM) e = t->items[i];
            else if (!ty_equal(e, t->items[i])) {
                /* ints of both sizes share one element type */
                if (e->kind == TY_INT && t->items[i]->kind == TY_INT)
                    e = int_of_level(int_level(e) > int_level(t->items[i]) ? int_level(e) : int_level(t->items[i]));
                else return &T_any;
            }
        }
        return e;
    }
    case TY_ITER: return t->elem;
    case TY_STR: return &T_str;
    case TY_BYTES: return &T_int;
    case TY_RANGE: return int_of_level(int_level(t));
    case TY_BOTTOM: return &T_bottom;
    default: return &T_any;
    }
}

Rep ty_rep(const Type *t) {
    if (!t) return REP_OBJ;
    switch (t->kind) {
    case TY_INT: return t->big ? REP_OBJ : REP_I64;
    case TY_FLOAT: return REP_F64;
    case TY_BOOL: return REP_BOOL;
    default: return REP_OBJ;
    }
}

static const char *ty_str_within(Program *p, const Type *t, int budget);

const char *ty_str(Program *p, const Type *t) { return ty_str_within(p, t, 6); }

static const char *ty_str_within(Program *p, const Type *t, int budget) {
    if (!t) return "?";
    if (budget <= 0) return "...";
    switch (t->kind) {
    case TY_BOTTOM: return "bottom";
    case TY_ANY: return "any";
    case TY_NONE: return "None";
    case TY_BOOL: return "bool";
    case TY_INT: return t->big ? "bigint" : t->lvl ? "int1" : "int";
    case TY_FLOAT: return "float";
    case TY_COMPLEX: return "complex";
    case TY_STR: return "str";
    case TY_BYTES: return "bytes";
    case TY_RANGE: return "range";
    case TY_LIST: return ar_printf(p->arena, "list[%s]", ty_str_within(p, origin_find(t->origin)->elem, budget - 1));
    case TY_SET: return ar_printf(p->arena, "set[%s]", ty_str_within(p, origin_find(t->origin)->elem, budget - 1));
    case TY_DICT: {
        Origin *o = origin_find(t->origin);
        return ar_printf(p->arena, "dict[%s, %s]", ty_str_within(p, o->key, budget - 1), ty_str_within(p, o->elem, budget - 1));
    }
    case TY_TUPLE: {
        if (t->nitems < 0) return ar_printf(p->arena, "tuple[%s, ...]", ty_str_within(p, t->elem, budget - 1));
        const char *s = "tuple[";
        for (int i = 0; i < t->nitems; i++)
            s = ar_printf(p->arena, "%s%s%s", s, i ? ", " : "", ty_str_within(p, t->items[i], budget - 1));
        return ar_printf(p->arena, "%s]", s);
    }
    case TY_ITER: return ar_printf(p->arena, "iter[%s]", ty_str_within(p, t->elem, budget - 1));
    case TY_FUNC: return ar_printf(p->arena, "function %s", t->fn->qualname);
    case TY_BUILTIN: return ar_printf(p->arena, "builtin %s", t->name);
    case TY_CLASS: return ar_printf(p->arena, "class %s", t->cls ? t->cls->name : t->name);
    case TY_INST: return t->cls->name;
    case TY_NATIVE: return t->name;
    case TY_MODULE: return ar_printf(p->arena, "module %s", t->name);
    }
    return "?";
}

/* ==== result specs of runtime members (see modules.c) ============================= */

static Type *parse_spec(Infer *I, const char **s);

static Type *parse_spec_list(Infer *I, const char **s, Type **items, int *n) {
    (*s)++;   /* ( */
    while (**s && **s != ')') {
        items[(*n)++] = parse_spec(I, s);
        if (**s == ',') (*s)++;
    }
    if (**s == ')') (*s)++;
    return NULL;
}

static Type *parse_spec(Infer *I, const char **s) {
    const char *p = *s;
    size_t n = strcspn(p, ",)");
    if (p[0] == 'N' && p[1] == ':') {
        *s = p + n;
        return ty_named(I->p, TY_NATIVE, ar_strndup(I->p->arena, p + 2, n - 2));
    }
    if ((p[0] == 'T' || p[0] == 'L') && p[1] == '(') {
        Type *items[8];
        int k = 0;
        *s = p + 1;
        parse_spec_list(I, s, items, &k);
        return p[0] == 'T' ? ty_tuple(I->p, items, k) : ty_list(I->p, k ? items[0] : &T_any);
    }
    *s = p + n;
    if (strncmp(p, "int", n) == 0 && n == 3) return &T_int;
    if (strncmp(p, "bigint", n) == 0 && n == 6) return &T_bigint;
    if (strncmp(p, "float", n) == 0 && n == 5) return &T_float;
    if (strncmp(p, "str", n) == 0 && n == 3) return &T_str;
    if (strncmp(p, "bytes", n) == 0 && n == 5) return &T_bytes;
    if (strncmp(p, "bool", n) == 0 && n == 4) return &T_bool;
    if (strncmp(p, "none", n) == 0 && n == 4) return &T_none;
    return &T_any;
}

/* What calling a module member gives. Lists from specs are new per call
 * site, so they are cached on the node. */
static Type *member_result(Infer *I, const ModMember *m, Node *site) {
    if (m->result && strcmp(m->result, "bigint") == 0) return &T_bigint;
    if (site && site->kind == ND_CALL && m->result && strcmp(m->result, "int") == 0) {
        /* math.floor(1e20), math.gcd(2**100, x), randint(1, 10**30): an int
         * computed from a float or a big int may be big too */
        for (int i = 0; i < site->call.args.len; i++) {
            Type *t = site->call.args.items[i]->ty;
            if (t && (t->kind == TY_FLOAT || t->kind == TY_ANY || (t->kind == TY_INT && t->big))) return &T_bigint;
        }
        return &T_int;
    }
    if (site && site->ty && site->ty->kind != TY_ANY && site->ty->kind != TY_BOTTOM) return site->ty;
    if (m->kind == MK_TYPE && !m->result) return ty_named(I->p, TY_NATIVE, m->c_sym);
    if (m->kind == MK_EXC) return &T_any;
    if (!m->result || !*m->result) return &T_any;
    const char *s = m->result;
    return parse_spec(I, &s);
}

/* ==== expressions ===================================================================== */

static Type *infer_expr(Infer *I, Node *e);
static void assign_target(Infer *I, Node *t, Type *vt);
static void infer_stmts(Infer *I, NodeList *body);

/* A container type made once per allocation site and kept on the node. */
static Type *site_container(Infer *I, Node *site, TypeKind k) {
    if (site->ty && site->ty->kind == k) return site->ty;
    return ty_container(I->p, k, origin_new(I->p));
}

static Type *builtin_type_of(Infer *I, Sym *s) {
    static const char *const types[] = {"int", "float", "str", "bool", "list", "tuple", "dict",
                                        "set", "frozenset", "bytes", "bytearray", "range",
                                        "object", "type", "complex", "slice", "property",
                                        "staticmethod", "classmethod", "super", NULL};
    for (int i = 0; types[i]; i++)
        if (strcmp(types[i], s->name) == 0) return ty_named(I->p, TY_CLASS, s->name);
    if (s->name[0] >= 'A' && s->name[0] <= 'Z' && strcmp(s->name, "NotImplemented") != 0 &&
        strcmp(s->name, "Ellipsis") != 0)
        return ty_named(I->p, TY_CLASS, ar_printf(I->p->arena, "rt_exc_%s", s->name));
    if (strcmp(s->name, "__name__") == 0 || strcmp(s->name, "__file__") == 0) return &T_str;
    return ty_named(I->p, TY_BUILTIN, s->name);
}

static Type *member_type(Infer *I, const ModMember *m) {
    switch (m->kind) {
    case MK_FUNC: {
        Type *t = ty_named(I->p, TY_BUILTIN, m->name);
        t->member = m;
        return t;
    }
    case MK_TYPE: case MK_EXC: return ty_named(I->p, TY_CLASS, m->c_sym);
    case MK_CONST: return member_result(I, m, NULL);
    case MK_MODULE: return ty_named(I->p, TY_MODULE, m->c_sym);
    }
    return &T_any;
}

static Type *name_type(Infer *I, Node *e) {
    Sym *s = e->sym;
    if (!s) return &T_any;
    if (s->kind == SYM_FREE && s->outer) s = s->outer;
    switch (s->kind) {
    case SYM_BUILTIN: return builtin_type_of(I, s);
    case SYM_MODULE: return ty_named(I->p, TY_MODULE, s->module);
    case SYM_MEMBER: return member_type(I, s->member);
    default: return s->ty ? s->ty : &T_bottom;
    }
}

/* ---- classes ---------------------------------------------------------------------- */

static ClassInfo *root_class(ClassInfo *c) {
    while (c->base) c = c->base;
    return c;
}

static int attr_slot(Infer *I, ClassInfo *c, const char *name, bool create) {
    c = root_class(c);
    for (int i = 0; i < c->nattrs; i++)
        if (strcmp(c->attr_names[i], name) == 0) return i;
    if (!create) return -1;
    if (c->nattrs == c->attrcap) {
        int cap = c->attrcap ? c->attrcap * 2 : 8;
        const char **names = ar_alloc(I->p->arena, sizeof(char *) * (size_t)cap);
        Type **types = ar_alloc(I->p->arena, sizeof(Type *) * (size_t)cap);
        if (c->nattrs) {
            memcpy(names, c->attr_names, sizeof(char *) * (size_t)c->nattrs);
            memcpy(types, c->attr_types, sizeof(Type *) * (size_t)c->nattrs);
        }
        c->attr_names = names;
        c->attr_types = types;
        c->attrcap = cap;
    }
    c->attr_names[c->nattrs] = name;
    c->attr_types[c->nattrs] = &T_bottom;
    return c->nattrs++;
}

static void attr_join(Infer *I, ClassInfo *c, const char *name, Type *t) {
    int i = attr_slot(I, c, name, true);
    slot_join(I, &root_class(c)->attr_types[i], t);
}

/* obj.name = v on an object of unknown class: any class's `name` may change. */
static void attr_join_all(Infer *I, const char *name, Type *t) {
    for (int i = 0; i < I->p->nclasses; i++) attr_join(I, I->p->classes[i], name, &T_any);
    escape(I, t);
}

/* The method or class variable `name` along c's chain: its Sym, or NULL. */
static Sym *class_member(ClassInfo *c, const char *name) {
    for (; c; c = c->base) {
        Sym *s = scope_lookup_local(c->scope, name);
        if (s) return s;
    }
    return NULL;
}

/* The script function a class member names, if it is a plain def. */
static FuncInfo *member_func(Sym *s) {
    if (!s || !s->def || s->def->kind != ND_FUNCDEF || s->nassign != 1) return NULL;
    return def_func(s->def);
}

/* Is `name` overridden in a subclass of c? Then calls cannot bind statically. */
static bool overridden_below(Program *p, ClassInfo *c, const char *name) {
    for (int i = 0; i < p->nclasses; i++) {
        ClassInfo *d = p->classes[i];
        if (d == c) continue;
        for (ClassInfo *b = d->base; b; b = b->base)
            if (b == c && scope_lookup_local(d->scope, name)) return true;
    }
    return false;
}

static Type *inst_attr_type(Infer *I, ClassInfo *c, const char *name) {
    Sym *m = class_member(c, name);
    FuncInfo *f = member_func(m);
    if (f) {
        if (f->is_property) return f->ret ? f->ret : &T_bottom;
        return &T_any;   /* a bound method as a value: see infer_attribute */
    }
    int i = attr_slot(I, c, name, false);
    Type *t = i >= 0 ? root_class(c)->attr_types[i] : &T_bottom;
    if (m) t = join(I, t, m->ty);
    if (t->kind == TY_BOTTOM && i < 0 && !m) return &T_any;   /* set somewhere we cannot see */
    return t;
}

/* ---- calls --------------------------------------------------------------------------- */

typedef struct Args {
    Node   **pos;      /* positional argument nodes (may be ND_STARRED) */
    Type   **pos_ty;
    int      npos;
    Node   **kw;       /* ND_KEYWORD */
    Type   **kw_ty;
    int      nkw;
    bool     dynamic;  /* *args or **kwargs at the call site */
} Args;

static Args collect_args(Infer *I, Node *call) {
    Args a = {0};
    int n = call->call.args.len, k = call->call.keywords.len;
    a.pos = call->call.args.items;
    a.pos_ty = ar_alloc(I->p->arena, sizeof(Type *) * (size_t)(n + 1));
    a.kw = call->call.keywords.items;
    a.kw_ty = ar_alloc(I->p->arena, sizeof(Type *) * (size_t)(k + 1));
    a.npos = n;
    a.nkw = k;
    for (int i = 0; i < n; i++) {
        Node *x = a.pos[i];
        a.pos_ty[i] = infer_expr(I, x->kind == ND_STARRED ? x->starred.value : x);
        if (x->kind == ND_STARRED) a.dynamic = true;
    }
    for (int i = 0; i < k; i++) {
        a.kw_ty[i] = infer_expr(I, a.kw[i]->keyword.value);
        if (!a.kw[i]->keyword.arg) a.dynamic = true;
    }
    return a;
}

static void escape_args(Infer *I, Args *a) {
    for (int i = 0; i < a->npos; i++) escape(I, a->pos_ty[i]);
    for (int i = 0; i < a->nkw; i++) escape(I, a->kw_ty[i]);
}

static Type *func_result(FuncInfo *f) {
    if (f->is_generator) return NULL;   /* the caller makes the iterator type */
    return f->ret ? f->ret : &T_bottom;
}

static void func_escape(Infer *I, FuncInfo *f) {
    if (!f->escapes) {
        f->escapes = true;
        I->changed = true;
    }
}

/* Binds argument types to f's parameters (skip = 1 for a bound self). */
static void bind_params(Infer *I, FuncInfo *f, Type **pos, int npos, Node **kw, Type **kwt, int nkw, int skip) {
    int total = f->npos + f->nkwonly;
    for (int i = 0; i < npos; i++) {
        int slot = i + skip;
        if (slot < f->npos) sym_join(I, f->params[slot], pos[i]);
        else if (f->vararg) {
            /* extra positionals land in *args */
        } else {
            func_escape(I, f);   /* a TypeError at run time: keep it dynamic */
        }
    }
    for (int i = 0; i < nkw; i++) {
        const char *name = kw[i]->keyword.arg;
        bool found = false;
        for (int k = f->nposonly; k < total && name; k++)
            if (strcmp(f->params[k]->name, name) == 0) {
                sym_join(I, f->params[k], kwt[i]);
                found = true;
            }
        if (!found && !f->kwarg) func_escape(I, f);
    }
    if (f->vararg) {
        Type *e = &T_bottom;
        for (int i = f->npos - skip; i < npos; i++) if (i >= 0) e = join(I, e, pos[i]);
        sym_join(I, f->vararg, ty_vartuple(I->p, e));
    }
    if (f->kwarg) {
        Node *site = f->kwarg->scope->node;   /* one dict type per function */
        Type *d = f->kwarg->ty && f->kwarg->ty->kind == TY_DICT ? f->kwarg->ty
                  : ty_container(I->p, TY_DICT, origin_new(I->p));
        (void)site;
        for (int i = 0; i < nkw; i++) origin_add(I, d->origin, kwt[i], &T_str);
        sym_join(I, f->kwarg, d);
    }
}

/* A call of script function f with the call's arguments. */
static Type *call_func(Infer *I, FuncInfo *f, Args *a, int skip, Type *self) {
    if (a->dynamic) {
        func_escape(I, f);
        escape_args(I, a);
    } else {
        bind_params(I, f, a->pos_ty, a->npos, a->kw, a->kw_ty, a->nkw, skip);
    }
    if (skip && self && f->npos > 0) sym_join(I, f->params[0], self);
    if (f->is_generator) return ty_iter(I->p, f->yield_ty ? f->yield_ty : &T_bottom);
    return func_result(f);
}

/* Seeds f with one call's worth of argument types (Pool.map and friends). */
static void seed(Infer *I, Type *ft, Type **args, int n) {
    if (!ft) return;
    if (ft->kind != TY_FUNC) { escape(I, ft); return; }
    FuncInfo *f = ft->fn;
    if (n > f->npos + (f->vararg ? 1000 : 0)) func_escape(I, f);
    bind_params(I, f, args, n < f->npos ? n : f->npos, NULL, NULL, 0, 0);
    if (f->vararg && n > f->npos) {
        Type *e = &T_bottom;
        for (int i = f->npos; i < n; i++) e = join(I, e, args[i]);
        sym_join(I, f->vararg, ty_vartuple(I->p, e));
    }
}

static Type *fn_ret(Type *ft) {
    if (!ft || ft->kind != TY_FUNC) return &T_any;
    FuncInfo *f = ft->fn;
    return f->is_generator ? &T_any : (f->ret ? f->ret : &T_bottom);
}

static Type *kwarg_type(Args *a, const char *name) {
    for (int i = 0; i < a->nkw; i++)
        if (a->kw[i]->keyword.arg && strcmp(a->kw[i]->keyword.arg, name) == 0) return a->kw_ty[i];
    return NULL;
}

/* Item types of a tuple-ish value, for seeding (args=(a, b)). */
static int tuple_items(Type *t, Type **out, int max) {
    if (!t || t->kind != TY_TUPLE) return -1;
    if (t->nitems < 0) return -1;
    int n = t->nitems < max ? t->nitems : max;
    for (int i = 0; i < n; i++) out[i] = t->items[i];
    return n;
}

static void seed_tuple(Infer *I, Type *ft, Type *args) {
    Type *items[32];
    int n = tuple_items(args, items, 32);
    if (n < 0) { if (ft) escape(I, ft); return; }
    seed(I, ft, items, n);
}

/* Builtin functions: what they return, and whom they call. */
static Type *call_builtin(Infer *I, const char *name, Args *a, Node *site) {
    Type *a0 = a->npos > 0 ? a->pos_ty[0] : &T_any;
    static const char *const depends[] = {"abs", "round", "min", "max", "sum", "divmod", "next", NULL};
    for (int i = 0; depends[i]; i++)
        if (strcmp(name, depends[i]) == 0)
            for (int k = 0; k < a->npos; k++)
                if (a->pos_ty[k]->kind == TY_BOTTOM) return &T_bottom;
    Type *key = kwarg_type(a, "key");
    if (strcmp(name, "len") == 0 || strcmp(name, "ord") == 0) return &T_int;
    if (strcmp(name, "hash") == 0 || strcmp(name, "id") == 0) return &T_bigint;   /* any 64-bit value */
    if (strcmp(name, "print") == 0) return &T_none;
    if (strcmp(name, "repr") == 0 || strcmp(name, "ascii") == 0 || strcmp(name, "format") == 0 ||
        strcmp(name, "hex") == 0 || strcmp(name, "oct") == 0 || strcmp(name, "bin") == 0 ||
        strcmp(name, "chr") == 0 || strcmp(name, "input") == 0)
        return &T_str;
    if (strcmp(name, "isinstance") == 0 || strcmp(name, "issubclass") == 0 ||
        strcmp(name, "callable") == 0 || strcmp(name, "hasattr") == 0 ||
        strcmp(name, "any") == 0 || strcmp(name, "all") == 0)
        return &T_bool;
    if (strcmp(name, "abs") == 0)
        return a0->kind == TY_INT || a0->kind == TY_FLOAT ? a0 : a0->kind == TY_BOOL ? &T_int : &T_any;
    if (strcmp(name, "round") == 0) {
        /* round(1e20) is a big int */
        if (a->npos == 1 && (a0->kind == TY_FLOAT || a0->kind == TY_INT)) return a0->kind == TY_INT ? a0 : &T_bigint;
        if (a->npos == 2 && (a0->kind == TY_FLOAT || a0->kind == TY_INT)) return a0;
        return &T_any;
    }
    if (strcmp(name, "divmod") == 0 && a->npos == 2) {
        Type *b = a->pos_ty[1];
        Type *r = a0->kind == TY_INT && b->kind == TY_INT ? join(I, a0, b)
                  : (a0->kind == TY_FLOAT || b->kind == TY_FLOAT) &&
                    (a0->kind == TY_INT || a0->kind == TY_FLOAT) && (b->kind == TY_INT || b->kind == TY_FLOAT)
                  ? &T_float : &T_any;
        Type *items[2] = {r, r};
        return ty_tuple(I->p, items, 2);
    }
    if (strcmp(name, "pow") == 0) return &T_any;
    if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) {
        Type *r;
        if (a->npos == 1) r = a0->kind == TY_RANGE && a0->big_stop ? &T_bigint : ty_elem(a0);
        else {
            r = &T_bottom;
            for (int i = 0; i < a->npos; i++) r = join(I, r, a->pos_ty[i]);
        }
        if (key) seed(I, key, &r, 1);
        Type *d = kwarg_type(a, "default");
        if (d) r = join(I, r, d);
        return r;
    }
    if (strcmp(name, "sum") == 0) {
        Type *e = ty_elem(a0);
        Type *start = a->npos > 1 ? a->pos_ty[1] : kwarg_type(a, "start");
        if (!start) start = &T_int;
        /* a sum of many values is one level up from them */
        if ((e->kind == TY_INT || e->kind == TY_BOOL) && start->kind == TY_INT) {
            int l = int_level(e) > int_level(start) ? int_level(e) : int_level(start);
            return int_of_level(l + 1);
        }
        if ((e->kind == TY_FLOAT || e->kind == TY_INT) && (start->kind == TY_FLOAT || start->kind == TY_INT))
            return e->kind == TY_FLOAT || start->kind == TY_FLOAT ? &T_float : &T_int;
        return &T_any;
    }
    if (strcmp(name, "sorted") == 0) {
        Type *t = site_container(I, site, TY_LIST);
        Type *e = ty_elem(a0);
        origin_add(I, t->origin, e, NULL);
        if (key) seed(I, key, &e, 1);
        return t;
    }
    if (strcmp(name, "reversed") == 0 && a0->kind == TY_RANGE && a0->big_stop) return ty_iter(I->p, &T_bigint);
    if (strcmp(name, "reversed") == 0 || strcmp(name, "iter") == 0) return ty_iter(I->p, ty_elem(a0));
    if (strcmp(name, "next") == 0) {
        Type *r = ty_elem(a0);
        return a->npos > 1 ? join(I, r, a->pos_ty[1]) : r;
    }
    if (strcmp(name, "enumerate") == 0) {
        /* counting from start keeps start's level: enumerate(xs, 2**64) is big */
        Type *start = a->npos > 1 ? a->pos_ty[1] : kwarg_type(a, "start");
        Type *items[2] = {!start || start->kind == TY_BOTTOM ? &T_int
                          : start->kind == TY_INT || start->kind == TY_BOOL ? int_of_level(int_level(start))
                          : &T_bigint, ty_elem(a0)};
        return ty_iter(I->p, ty_tuple(I->p, items, 2));
    }
    if (strcmp(name, "zip") == 0) {
        Type *items[16];
        int n = a->npos < 16 ? a->npos : 16;
        for (int i = 0; i < n; i++) items[i] = ty_elem(a->pos_ty[i]);
        return ty_iter(I->p, ty_tuple(I->p, items, n));
    }
    if (strcmp(name, "map") == 0 && a->npos >= 2) {
        Type *items[16];
        int n = a->npos - 1 < 16 ? a->npos - 1 : 16;
        for (int i = 0; i < n; i++) items[i] = ty_elem(a->pos_ty[i + 1]);
        seed(I, a0, items, n);
        return ty_iter(I->p, fn_ret(a0));
    }
    if (strcmp(name, "filter") == 0 && a->npos == 2) {
        Type *e = ty_elem(a->pos_ty[1]);
        if (a0->kind != TY_NONE) seed(I, a0, &e, 1);
        return ty_iter(I->p, e);
    }
    if (strcmp(name, "getattr") == 0) return &T_any;
    if (strcmp(name, "open") == 0) {
        escape_args(I, a);
        return ty_named(I->p, TY_NATIVE, "rt_type_file");
    }
    escape_args(I, a);
    return &T_any;
}

/* Calling a builtin type: int(x), list(xs), dict(...) */
static Type *call_builtin_type(Infer *I, const char *name, Args *a, Node *site) {
    Type *a0 = a->npos > 0 ? a->pos_ty[0] : NULL;
    /* int(s) of a str or float can be any size; int(i) keeps i's */
    if (strcmp(name, "int") == 0) return a0 && a0->kind == TY_INT ? a0 : a0 && a0->kind == TY_BOOL ? &T_int : &T_bigint;
    if (strcmp(name, "float") == 0) return &T_float;
    if (strcmp(name, "str") == 0) return &T_str;
    if (strcmp(name, "bool") == 0) return &T_bool;
    if (strcmp(name, "bytes") == 0 || strcmp(name, "bytearray") == 0) return strcmp(name, "bytes") == 0 ? &T_bytes : &T_any;
    if (strcmp(name, "complex") == 0) return &T_complex;
    if (strcmp(name, "range") == 0) {
        /* items run from start by step: range(10**30) is as small as a loop
         * can count, range(10**30, 10**30 + 5) is not */
        int l = 0;
        bool big_stop = false;
        for (int i = 0; i < a->npos; i++) {
            Type *t = a->pos_ty[i];
            int tl = t->kind == TY_INT || t->kind == TY_BOOL ? int_level(t) : t->kind == TY_BOTTOM ? 0 : 2;
            if (i == (a->npos >= 2 ? 1 : 0)) big_stop = tl >= 2;
            else if (tl > l) l = tl;
        }
        return range_of_level(l, big_stop);
    }
    if (strcmp(name, "list") == 0 || strcmp(name, "set") == 0) {
        Type *t = site_container(I, site, name[0] == 'l' ? TY_LIST : TY_SET);
        origin_add(I, t->origin, a0 ? ty_elem(a0) : &T_bottom, NULL);
        return t;
    }
    if (strcmp(name, "tuple") == 0) return ty_vartuple(I->p, a0 ? ty_elem(a0) : &T_bottom);
    if (strcmp(name, "dict") == 0) {
        Type *t = site_container(I, site, TY_DICT);
        if (a0 && a0->kind == TY_DICT) origin_unify(I, t->origin, a0->origin);
        else if (a0) {
            Type *pair = ty_elem(a0);
            if (pair->kind == TY_TUPLE && pair->nitems == 2) origin_add(I, t->origin, pair->items[1], pair->items[0]);
            else origin_add(I, t->origin, &T_any, &T_any);
        }
        for (int i = 0; i < a->nkw; i++) origin_add(I, t->origin, a->kw_ty[i], &T_str);
        return t;
    }
    escape_args(I, a);
    if (strncmp(name, "rt_exc_", 7) == 0) return &T_any;
    return &T_any;
}

/* Methods of the runtime's Pool, Process, Queue, ...: results and seeds. */
static Type *call_native_method(Infer *I, Type *obj, const char *m, Args *a, Node *site) {
    const char *t = obj->name;
    Type *f = a->npos > 0 ? a->pos_ty[0] : kwarg_type(a, "func");
    Type *it = a->npos > 1 ? a->pos_ty[1] : kwarg_type(a, "iterable");
    if (strcmp(t, "rt_mp_Pool") == 0) {
        /* callbacks are called by the runtime with results it knows nothing about */
        for (int i = 0; i < a->nkw; i++)
            if (a->kw[i]->keyword.arg && strstr(a->kw[i]->keyword.arg, "callback")) escape(I, a->kw_ty[i]);
        if (!strcmp(m, "map") || !strcmp(m, "imap") || !strcmp(m, "imap_unordered") || !strcmp(m, "map_async")) {
            if (it) {
                Type *e = ty_elem(it);
                seed(I, f, &e, 1);
            } else if (f) escape(I, f);
            if (!strcmp(m, "map")) {
                Type *l = site_container(I, site, TY_LIST);
                origin_add(I, l->origin, fn_ret(f), NULL);
                return l;
            }
            if (m[0] == 'i') return ty_iter(I->p, fn_ret(f));
            return &T_any;
        }
        if (!strcmp(m, "starmap") || !strcmp(m, "starmap_async")) {
            if (it) seed_tuple(I, f, ty_elem(it));
            else if (f) escape(I, f);
            if (!strcmp(m, "starmap")) {
                Type *l = site_container(I, site, TY_LIST);
                origin_add(I, l->origin, fn_ret(f), NULL);
                return l;
            }
            return &T_any;
        }
        if (!strcmp(m, "apply") || !strcmp(m, "apply_async")) {
            Type *args = a->npos > 1 ? a->pos_ty[1] : kwarg_type(a, "args");
            if (kwarg_type(a, "kwds") || (a->npos > 2)) { if (f) escape(I, f); }
            else if (args) seed_tuple(I, f, args);
            else seed(I, f, NULL, 0);
            return !strcmp(m, "apply") ? fn_ret(f) : &T_any;
        }
        escape_args(I, a);
        return &T_any;
    }
    /* shared Values: v.get_lock() is the wrapper's lock */
    if (strncmp(t, "Value:", 6) == 0 && !strcmp(m, "get_lock") && a->npos == 0)
        return ty_named(I->p, TY_NATIVE, "rt_mp_RLock");
    escape_args(I, a);
    const NativeMethod *nm = mod_native_method(t, m);
    if (nm && nm->result) {
        const char *spec = nm->result;
        return parse_spec(I, &spec);
    }
    if (!strcmp(m, "qsize") || !strcmp(m, "fileno")) return &T_int;
    if (!strcmp(m, "empty") || !strcmp(m, "full") || !strcmp(m, "is_alive") || !strcmp(m, "poll") ||
        !strcmp(m, "ready") || !strcmp(m, "successful") || !strcmp(m, "is_set"))
        return &T_bool;
    return &T_any;
}

/* Value('i', 0), Value(c_double, 1.5, lock=False), RawValue('q'): a shared
 * scalar whose .value is an int or a float. Named "Value:i64" (with a lock)
 * or "RawValue:i64" for the emitter's typed paths. */
static Type *shared_value_type(Infer *I, const ModMember *m, Node *call) {
    bool raw = strcmp(m->c_sym, "rt_mp_RawValue") == 0;
    if (!raw && strcmp(m->c_sym, "rt_mp_Value") != 0) return NULL;
    if (call->call.args.len < 1) return NULL;
    Node *code = call->call.args.items[0];
    const char *kind = NULL;
    if (code->kind == ND_CONST && code->constant.kind == CONST_STR && code->constant.len == 1) {
        if (strchr("bBhHiIlLqQ", code->constant.str[0])) kind = "i64";
        else if (strchr("fd", code->constant.str[0])) kind = "f64";
    } else {
        const ModMember *ct = NULL;
        if (code->kind == ND_NAME && code->sym && code->sym->kind == SYM_MEMBER) ct = code->sym->member;
        if (code->kind == ND_ATTRIBUTE && code->attribute.value->kind == ND_NAME && code->attribute.value->sym &&
            code->attribute.value->sym->kind == SYM_MODULE)
            ct = mod_member(code->attribute.value->sym->module, code->attribute.attr);
        if (ct && strcmp(ct->module, "ctypes") == 0) {
            static const char *const ints[] = {"c_byte", "c_ubyte", "c_short", "c_ushort", "c_int", "c_uint",
                                               "c_long", "c_ulong", "c_longlong", "c_ssize_t", NULL};
            for (int i = 0; ints[i]; i++) if (strcmp(ct->name, ints[i]) == 0) kind = "i64";
            if (strcmp(ct->name, "c_float") == 0 || strcmp(ct->name, "c_double") == 0) kind = "f64";
        }
    }
    if (!kind) return NULL;
    for (int i = 0; i < call->call.keywords.len; i++) {
        Node *k = call->call.keywords.items[i];
        if (k->keyword.arg && strcmp(k->keyword.arg, "lock") == 0 && k->keyword.value->kind == ND_CONST &&
            k->keyword.value->constant.kind == CONST_FALSE)
            raw = true;
    }
    return ty_named(I->p, TY_NATIVE, ar_printf(I->p->arena, "%s:%s", raw ? "RawValue" : "Value", kind));
}

/* Methods of list, dict, set, str, bytes: results and element effects. */
static Type *call_container_method(Infer *I, Type *obj, const char *m, Args *a, Node *site) {
    Type *a0 = a->npos > 0 ? a->pos_ty[0] : NULL;
    Type *a1 = a->npos > 1 ? a->pos_ty[1] : NULL;
    switch (obj->kind) {
    case TY_LIST: {
        Origin *o = obj->origin;
        if (!strcmp(m, "append") && a0) { origin_add(I, o, a0, NULL); return &T_none; }
        if (!strcmp(m, "extend") && a0) { origin_add(I, o, ty_elem(a0), NULL); return &T_none; }
        if (!strcmp(m, "insert") && a1) { origin_add(I, o, a1, NULL); return &T_none; }
        if (!strcmp(m, "pop")) return origin_find(o)->elem;
        if (!strcmp(m, "index") || !strcmp(m, "count")) return &T_int;
        if (!strcmp(m, "copy")) return obj;
        if (!strcmp(m, "sort")) {
            Type *key = kwarg_type(a, "key");
            Type *e = origin_find(o)->elem;
            if (key) seed(I, key, &e, 1);
            return &T_none;
        }
        if (!strcmp(m, "reverse") || !strcmp(m, "clear") || !strcmp(m, "remove")) return &T_none;
        break;
    }
    case TY_DICT: {
        Origin *o = obj->origin;
        Origin *r = origin_find(o);
        if (!strcmp(m, "get")) return join(I, r->elem, a1 ? a1 : &T_none);
        if (!strcmp(m, "keys")) return ty_iter(I->p, r->key);
        if (!strcmp(m, "values")) return ty_iter(I->p, r->elem);
        if (!strcmp(m, "items")) {
            Type *items[2] = {r->key, r->elem};
            return ty_iter(I->p, ty_tuple(I->p, items, 2));
        }
        if (!strcmp(m, "setdefault") && a0) {
            origin_add(I, o, a1 ? a1 : &T_none, a0);
            return origin_find(o)->elem;
        }
        if (!strcmp(m, "pop")) return a1 ? join(I, r->elem, a1) : r->elem;
        if (!strcmp(m, "update") && a0) {
            if (a0->kind == TY_DICT) origin_unify(I, o, a0->origin);
            else origin_add(I, o, &T_any, &T_any);
            for (int i = 0; i < a->nkw; i++) origin_add(I, o, a->kw_ty[i], &T_str);
            return &T_none;
        }
        if (!strcmp(m, "copy")) return obj;
        if (!strcmp(m, "clear")) return &T_none;
        break;
    }
    case TY_SET:
        if (!strcmp(m, "add") && a0) { origin_add(I, obj->origin, a0, NULL); return &T_none; }
        if (!strcmp(m, "update") && a0) { origin_add(I, obj->origin, ty_elem(a0), NULL); return &T_none; }
        if (!strcmp(m, "issubset") || !strcmp(m, "issuperset") || !strcmp(m, "isdisjoint")) return &T_bool;
        if (!strcmp(m, "remove") || !strcmp(m, "discard") || !strcmp(m, "clear")) return &T_none;
        break;
    case TY_STR: {
        static const char *const to_str[] = {"upper", "lower", "strip", "lstrip", "rstrip", "replace",
            "title", "capitalize", "swapcase", "center", "ljust", "rjust", "zfill", "format",
            "join", "expandtabs", "casefold", "removeprefix", "removesuffix", "format_map", NULL};
        static const char *const to_bool[] = {"startswith", "endswith", "isdigit", "isalpha",
            "isalnum", "isspace", "isupper", "islower", "isdecimal", "isnumeric", "isidentifier",
            "istitle", "isprintable", "isascii", NULL};
        static const char *const to_int[] = {"find", "rfind", "index", "rindex", "count", NULL};
        for (int i = 0; to_str[i]; i++) if (!strcmp(m, to_str[i])) return &T_str;
        for (int i = 0; to_bool[i]; i++) if (!strcmp(m, to_bool[i])) return &T_bool;
        for (int i = 0; to_int[i]; i++) if (!strcmp(m, to_int[i])) return &T_int;
        if (!strcmp(m, "split") || !strcmp(m, "rsplit") || !strcmp(m, "splitlines")) {
            Type *l = site_container(I, site, TY_LIST);
            origin_add(I, l->origin, &T_str, NULL);
            return l;
        }
        if (!strcmp(m, "encode")) return &T_bytes;
        if (!strcmp(m, "partition") || !strcmp(m, "rpartition")) {
            Type *items[3] = {&T_str, &T_str, &T_str};
            return ty_tuple(I->p, items, 3);
        }
        break;
    }
    case TY_BYTES:
        if (!strcmp(m, "decode") || !strcmp(m, "hex")) return &T_str;
        break;
    default:
        break;
    }
    escape_args(I, a);
    return &T_any;
}

static Type *infer_call(Infer *I, Node *e) {
    Node *fn = e->call.func;
    /* obj.method(...) */
    if (fn->kind == ND_ATTRIBUTE) {
        Type *obj = infer_expr(I, fn->attribute.value);
        const char *m = fn->attribute.attr;
        Args a = collect_args(I, e);
        if (obj->kind == TY_BOTTOM) {
            fn->ty = &T_bottom;
            return &T_bottom;
        }
        if (obj->kind == TY_MODULE) {
            const ModMember *mm = mod_member(obj->name, m);
            fn->ty = mm ? member_type(I, mm) : &T_any;
        } else if (obj->kind == TY_INST) {
            Sym *s = class_member(obj->cls, m);
            FuncInfo *f = member_func(s);
            fn->ty = &T_any;
            if (f && overridden_below(I->p, obj->cls, m)) f = NULL;   /* dispatch happens at run time */
            if (f && !f->decorated && !f->is_property) {
                if (f->is_static) return call_func(I, f, &a, 0, NULL);
                if (f->is_classmethod) return call_func(I, f, &a, 1, NULL);
                Type *r = call_func(I, f, &a, 1, NULL);
                return r ? r : &T_any;
            }
            if (!s && obj->cls->native_base) {
                Type nat = {.kind = TY_NATIVE, .name = obj->cls->native_base};
                return call_native_method(I, &nat, m, &a, e);
            }
            escape_args(I, &a);
            return &T_any;
        } else if (obj->kind == TY_NATIVE) {
            fn->ty = &T_any;
            return call_native_method(I, obj, m, &a, e);
        } else if (obj->kind == TY_LIST || obj->kind == TY_DICT || obj->kind == TY_SET ||
                   obj->kind == TY_STR || obj->kind == TY_BYTES) {
            fn->ty = &T_any;
            return call_container_method(I, obj, m, &a, e);
        } else if (obj->kind == TY_CLASS && obj->cls) {
            Sym *s = class_member(obj->cls, m);
            FuncInfo *f = member_func(s);
            fn->ty = f ? ty_new(I->p, TY_FUNC) : &T_any;
            if (f) {
                fn->ty->fn = f;
                if (f->is_classmethod) return call_func(I, f, &a, 1, NULL);
                return call_func(I, f, &a, 0, NULL);
            }
            escape_args(I, &a);
            return &T_any;
        } else {
            fn->ty = &T_any;
            escape_args(I, &a);
            return &T_any;
        }
        Type *ft = fn->ty;
        if (ft->kind == TY_BUILTIN && ft->member) {
            Type *v = shared_value_type(I, ft->member, e);
            return v ? v : member_result(I, ft->member, e);
        }
        if (ft->kind == TY_CLASS && !ft->cls) {
            if (strcmp(ft->name, "rt_mp_Process") == 0) {
                Type *target = kwarg_type(&a, "target");
                Type *args = kwarg_type(&a, "args");
                if (target) {
                    if (kwarg_type(&a, "kwargs")) escape(I, target);
                    else if (args) seed_tuple(I, target, args);
                    else seed(I, target, NULL, 0);
                }
            } else {
                escape_args(I, &a);
            }
            return ty_named(I->p, TY_NATIVE, ft->name);
        }
        if (ft->kind == TY_MODULE) return &T_any;
        escape_args(I, &a);
        return &T_any;
    }
    Type *ft = infer_expr(I, fn);
    Args a = collect_args(I, e);
    switch (ft->kind) {
    case TY_BOTTOM:
        return &T_bottom;
    case TY_FUNC: {
        Type *r = call_func(I, ft->fn, &a, 0, NULL);
        return r ? r : &T_any;
    }
    case TY_BUILTIN:
        if (ft->member) {
            escape_args(I, &a);
            Type *v = shared_value_type(I, ft->member, e);
            return v ? v : member_result(I, ft->member, e);
        }
        return call_builtin(I, ft->name, &a, e);
    case TY_CLASS:
        if (ft->cls) {
            ClassInfo *c = ft->cls;
            Sym *init = class_member(c, "__init__");
            FuncInfo *f = member_func(init);
            Type *self = ty_new(I->p, TY_INST);
            self->cls = c;
            if (f) call_func(I, f, &a, 1, self);
            else if (c->native_base && strcmp(c->native_base, "rt_mp_Process") == 0) {
                Type *target = kwarg_type(&a, "target");
                if (target) escape(I, target);
            } else escape_args(I, &a);
            return self;
        }
        if (strcmp(ft->name, "rt_mp_Process") == 0) {
            Type *target = kwarg_type(&a, "target");
            Type *args = kwarg_type(&a, "args");
            if (target) {
                if (kwarg_type(&a, "kwargs")) escape(I, target);
                else if (args) seed_tuple(I, target, args);
                else seed(I, target, NULL, 0);
            }
            for (int i = 0; i < a.npos; i++) escape(I, a.pos_ty[i]);
            return ty_named(I->p, TY_NATIVE, ft->name);
        }
        if (strncmp(ft->name, "rt_", 3) == 0) {
            escape_args(I, &a);
            return strncmp(ft->name, "rt_exc_", 7) == 0 ? &T_any : ty_named(I->p, TY_NATIVE, ft->name);
        }
        return call_builtin_type(I, ft->name, &a, e);
    default:
        escape(I, ft);
        escape_args(I, &a);
        return &T_any;
    }
}

/* ---- operators ----------------------------------------------------------------------- */

static bool is_num(const Type *t) { return t->kind == TY_INT || t->kind == TY_FLOAT || t->kind == TY_BOOL; }

/* A literal operand of at most 2**31 in magnitude (bools and -c included). */
static bool small_const(const Node *n, int64_t *v) {
    if (n->kind == ND_UNARYOP && n->unaryop.op == UOP_USUB && small_const(n->unaryop.operand, v)) {
        *v = -*v;
        return true;
    }
    if (n->kind == ND_CONST && (n->constant.kind == CONST_TRUE || n->constant.kind == CONST_FALSE)) {
        *v = n->constant.kind == CONST_TRUE;
        return true;
    }
    if (n->kind != ND_CONST || n->constant.kind != CONST_INT || !n->constant.fits) return false;
    *v = n->constant.i64;
    return *v >= -(INT64_C(1) << 31) && *v <= (INT64_C(1) << 31);
}

/* The type of a literal int: its level follows its magnitude. */
static Type *int_literal(const Node *n) {
    if (!n->constant.fits) return &T_bigint;
    int64_t v = n->constant.i64, lim = INT64_C(1) << 31;
    if (v >= -lim && v <= lim) return &T_int;
    return v > -(INT64_C(1) << 62) && v < (INT64_C(1) << 62) ? &T_int1 : &T_bigint;
}

/* The level of `l op r` for ints (see "Magnitude levels" above). */
static Type *int_result(Node *e, Type *l, Type *r) {
    BinOpKind op = e->binop.op;
    Node *ln = e->binop.left, *rn = e->binop.right;
    int la = int_level(l), lb = int_level(r), hi = la > lb ? la : lb;
    int64_t c;
    bool lc = small_const(ln, &c), rc = small_const(rn, &c);
    if (hi >= 2 && op != OP_MOD && op != OP_BITAND) return &T_bigint;
    switch (op) {
    case OP_ADD: case OP_SUB:
        /* a step by a constant (i += 2, n - 1) keeps the level: a counter
         * would need 2**31 steps per doubling to outgrow 64 bits */
        if (lc || rc) return int_of_level(lc ? lb : la);
        return int_of_level(la + lb > 1 ? la + lb : 1);
    case OP_MULT:
        if (lc && rc) return &T_int1;
        if (lc || rc) {
            small_const(lc ? ln : rn, &c);
            int other = lc ? lb : la;
            return int_of_level(c >= -1 && c <= 1 ? other : other + 1);
        }
        return int_of_level(la + lb + 1);
    case OP_POW: {
        int64_t b, x = rn->constant.i64;
        if (small_const(ln, &b)) {   /* 10 ** 9: fold */
            int64_t v = 1;
            for (int64_t i = 0; i < x && i < 64; i++)
                if (__builtin_mul_overflow(v, b, &v)) return &T_bigint;
            if (x >= 64 && b != 0 && b != 1 && b != -1) return &T_bigint;
            if (v >= -(INT64_C(1) << 31) && v <= (INT64_C(1) << 31)) return &T_int;
            return v > -(INT64_C(1) << 62) && v < (INT64_C(1) << 62) ? &T_int1 : &T_bigint;
        }
        return int_of_level(x == 0 ? 0 : x == 1 ? la : x == 2 ? 2 * la + 1 : 2);
    }
    case OP_FLOORDIV: case OP_RSHIFT:
        /* (lo + hi) // 2 lies between lo and hi */
        if (op == OP_FLOORDIV && rc && c >= 2 && ln->kind == ND_BINOP &&
            (ln->binop.op == OP_ADD || ln->binop.op == OP_SUB) && ln->binop.left->ty && ln->binop.right->ty) {
            int a = int_level(ln->binop.left->ty), b = int_level(ln->binop.right->ty);
            if (ln->binop.left->ty->kind == TY_INT || ln->binop.left->ty->kind == TY_BOOL)
                if (ln->binop.right->ty->kind == TY_INT || ln->binop.right->ty->kind == TY_BOOL)
                    return int_of_level(a > b ? a : b);
        }
        return int_of_level(la);
    case OP_MOD: return int_of_level(lb);   /* |a % b| < |b| */
    case OP_BITAND:
        if ((lc && c >= 0) || (rc && c >= 0)) return &T_int;   /* between 0 and the mask */
        return int_of_level(hi);
    case OP_LSHIFT: return &T_bigint;
    default: return int_of_level(hi);
    }
}

static Type *binop_type(Infer *I, Node *e, Type *l, Type *r) {
    BinOpKind op = e->binop.op;
    if (l->kind == TY_BOTTOM || r->kind == TY_BOTTOM) return &T_bottom;
    if (is_num(l) && is_num(r)) {
        bool fl = l->kind == TY_FLOAT || r->kind == TY_FLOAT;
        if (op == OP_DIV) return &T_float;
        if (op == OP_MATMULT) return &T_any;
        if (fl) {
            if (op == OP_LSHIFT || op == OP_RSHIFT || op == OP_BITAND || op == OP_BITOR || op == OP_BITXOR)
                return &T_any;   /* a TypeError at run time */
            return op == OP_POW ? &T_any : &T_float;   /* negative ** fractional is complex */
        }
        if (l->kind == TY_BOOL && r->kind == TY_BOOL &&
            (op == OP_BITAND || op == OP_BITOR || op == OP_BITXOR))
            return &T_bool;
        if (op == OP_POW) {
            Node *rhs = e->binop.right;
            bool small_const = rhs->kind == ND_CONST && rhs->constant.kind == CONST_INT && rhs->constant.fits &&
                               rhs->constant.i64 >= 0;
            if (!small_const) return &T_any;   /* int ** negative is a float */
        }
        if (op == OP_POW && small_const(e->binop.left, &(int64_t){0})) return int_result(e, l, r);
        if (expr_may_grow(e, NULL)) return &T_bigint;
        return int_result(e, l, r);
    }
    if (op == OP_ADD) {
        if (l->kind == TY_STR && r->kind == TY_STR) return &T_str;
        if (l->kind == TY_BYTES && r->kind == TY_BYTES) return &T_bytes;
        if (l->kind == TY_LIST && r->kind == TY_LIST) {
            Type *t = site_container(I, e, TY_LIST);
            origin_unify(I, t->origin, l->origin);
            origin_unify(I, t->origin, r->origin);
            return t;
        }
        if (l->kind == TY_TUPLE && r->kind == TY_TUPLE) {
            if (l->nitems >= 0 && r->nitems >= 0 && l->nitems + r->nitems <= 16) {
                Type *items[32];
                for (int i = 0; i < l->nitems; i++) items[i] = l->items[i];
                for (int i = 0; i < r->nitems; i++) items[l->nitems + i] = r->items[i];
                return ty_tuple(I->p, items, l->nitems + r->nitems);
            }
            return ty_vartuple(I->p, join(I, ty_elem(l), ty_elem(r)));
        }
    }
    if (op == OP_MULT) {
        if ((l->kind == TY_STR && r->kind == TY_INT) || (l->kind == TY_INT && r->kind == TY_STR)) return &T_str;
        if (l->kind == TY_LIST && r->kind == TY_INT) return l;
        if (l->kind == TY_INT && r->kind == TY_LIST) return r;
    }
    if (op == OP_MOD && l->kind == TY_STR) return &T_str;
    return &T_any;
}

static Type *unary_type(Node *e, Type *t) {
    if (t->kind == TY_BOTTOM && e->unaryop.op != UOP_NOT) return &T_bottom;
    switch (e->unaryop.op) {
    case UOP_NOT: return &T_bool;
    case UOP_USUB: case UOP_UADD:
        if (t->kind == TY_BOOL) return &T_int;
        return t->kind == TY_INT || t->kind == TY_FLOAT ? t : &T_any;
    case UOP_INVERT:
        return t->kind == TY_INT ? t : t->kind == TY_BOOL ? &T_int : &T_any;
    }
    return &T_any;
}

static bool plain_value(const Type *t) {
    switch (t->kind) {
    case TY_NONE: case TY_BOOL: case TY_INT: case TY_FLOAT: case TY_STR: case TY_BYTES:
    case TY_TUPLE: case TY_LIST: case TY_DICT: case TY_SET: case TY_RANGE: case TY_COMPLEX:
        return true;
    default:
        return false;
    }
}

static Type *compare_type(Infer *I, Node *e) {
    Type *prev = infer_expr(I, e->compare.left);
    bool plain = true, bottom = prev->kind == TY_BOTTOM;
    for (int i = 0; i < e->compare.comparators.len; i++) {
        Type *t = infer_expr(I, e->compare.comparators.items[i]);
        if (t->kind == TY_BOTTOM) bottom = true;
        CmpOpKind op = e->compare.ops[i];
        if (op != CMP_IS && op != CMP_ISNOT && op != CMP_IN && op != CMP_NOTIN &&
            (!plain_value(prev) || !plain_value(t)))
            plain = false;
        prev = t;
    }
    if (bottom) return &T_bottom;   /* no information yet: decide in a later round */
    return plain ? &T_bool : &T_any;
}

static Type *subscript_type(Infer *I, Node *e) {
    Type *v = infer_expr(I, e->subscript.value);
    Node *idx = e->subscript.slice;
    Type *it = infer_expr(I, idx);
    bool slice = idx->kind == ND_SLICE;
    if (v->kind == TY_BOTTOM) return &T_bottom;
    switch (v->kind) {
    case TY_LIST: return slice ? v : origin_find(v->origin)->elem;
    case TY_DICT: origin_add(I, v->origin, NULL, NULL); return origin_find(v->origin)->elem;
    case TY_STR: return &T_str;
    case TY_BYTES: return slice ? &T_bytes : &T_int;
    case TY_RANGE: return slice ? &T_range_big : v->big_stop ? &T_bigint : int_of_level(int_level(v));
    case TY_TUPLE:
        if (slice) return ty_vartuple(I->p, ty_elem(v));
        if (v->nitems >= 0 && idx->kind == ND_CONST && idx->constant.kind == CONST_INT && idx->constant.fits) {
            int64_t k = idx->constant.i64;
            if (k >= 0 && k < v->nitems) return v->items[k];
        }
        if (v->nitems >= 0 && idx->kind == ND_UNARYOP && idx->unaryop.op == UOP_USUB &&
            idx->unaryop.operand->kind == ND_CONST && idx->unaryop.operand->constant.kind == CONST_INT) {
            int64_t k = v->nitems - idx->unaryop.operand->constant.i64;
            if (k >= 0 && k < v->nitems) return v->items[k];
        }
        (void)it;
        return ty_elem(v);
    default:
        return &T_any;
    }
}

static Type *attribute_type(Infer *I, Node *e) {
    Type *v = infer_expr(I, e->attribute.value);
    const char *name = e->attribute.attr;
    switch (v->kind) {
    case TY_BOTTOM: return &T_bottom;
    case TY_MODULE: {
        const ModMember *m = mod_member(v->name, name);
        if (m) return member_type(I, m);
        char full[300];
        snprintf(full, sizeof full, "%s.%s", v->name, name);
        return mod_exists(full) ? ty_named(I->p, TY_MODULE, ar_strdup(I->p->arena, full)) : &T_any;
    }
    case TY_INST: {
        FuncInfo *f = member_func(class_member(v->cls, name));
        if (f && !f->is_property) {
            func_escape(I, f);   /* a bound method used as a value */
            return &T_any;
        }
        return inst_attr_type(I, v->cls, name);
    }
    case TY_CLASS:
        if (v->cls) {
            Sym *s = class_member(v->cls, name);
            FuncInfo *f = member_func(s);
            if (f) { func_escape(I, f); return &T_any; }
            return s && s->ty ? s->ty : &T_any;
        }
        return &T_any;
    case TY_NATIVE:
        if (!strcmp(name, "value") && strchr(v->name, ':'))
            return strcmp(strchr(v->name, ':') + 1, "i64") == 0 ? &T_int : &T_float;
        if (!strcmp(name, "pid") || !strcmp(name, "ident")) return &T_any;
        if (!strcmp(name, "name")) return &T_str;
        /* daemon reads back whatever was set (p.daemon = 1 gives 1), so it stays boxed */
        return &T_any;
    case TY_FUNC:
        return !strcmp(name, "__name__") || !strcmp(name, "__qualname__") ? &T_str : &T_any;
    default:
        return &T_any;
    }
}

/* Comprehension targets take the elements of their iterables. */
static void infer_generators(Infer *I, NodeList *gens, Type *first) {
    for (int i = 0; i < gens->len; i++) {
        Node *g = gens->items[i];
        Type *it = i == 0 ? first : infer_expr(I, g->comprehension.iter);
        g->comprehension.iter->ty = it;
        assign_target(I, g->comprehension.target, ty_elem(it));
        for (int k = 0; k < g->comprehension.ifs.len; k++) infer_expr(I, g->comprehension.ifs.items[k]);
    }
}

static Type *comp_type(Infer *I, Node *e) {
    Type *first = infer_expr(I, e->comp.generators.items[0]->comprehension.iter);
    if (e->kind == ND_GENEXP) {
        FuncInfo *f = e->scope->fn;
        FuncInfo *saved = I->fn;
        I->fn = f;
        infer_generators(I, &e->comp.generators, first);
        Type *elt = infer_expr(I, e->comp.elt);
        I->fn = saved;
        slot_join(I, &f->yield_ty, elt);
        return ty_iter(I->p, f->yield_ty);
    }
    infer_generators(I, &e->comp.generators, first);
    if (e->kind == ND_DICTCOMP) {
        Type *t = site_container(I, e, TY_DICT);
        origin_add(I, t->origin, infer_expr(I, e->comp.value), infer_expr(I, e->comp.key));
        return t;
    }
    Type *t = site_container(I, e, e->kind == ND_LISTCOMP ? TY_LIST : TY_SET);
    origin_add(I, t->origin, infer_expr(I, e->comp.elt), NULL);
    return t;
}

static Type *display_type(Infer *I, Node *e) {
    switch (e->kind) {
    case ND_LIST: case ND_SET: {
        Type *t = site_container(I, e, e->kind == ND_LIST ? TY_LIST : TY_SET);
        NodeList *elts = e->kind == ND_LIST ? &e->list.elts : &e->set.elts;
        for (int i = 0; i < elts->len; i++) {
            Node *x = elts->items[i];
            Type *xt = infer_expr(I, x->kind == ND_STARRED ? x->starred.value : x);
            origin_add(I, t->origin, x->kind == ND_STARRED ? ty_elem(xt) : xt, NULL);
        }
        return t;
    }
    case ND_TUPLE: {
        int n = e->list.elts.len;
        Type **items = ar_alloc(I->p->arena, sizeof(Type *) * (size_t)(n + 1));
        bool starred = false;
        Type *all = &T_bottom;
        for (int i = 0; i < n; i++) {
            Node *x = e->list.elts.items[i];
            Type *xt = infer_expr(I, x->kind == ND_STARRED ? x->starred.value : x);
            if (x->kind == ND_STARRED) { starred = true; xt = ty_elem(xt); }
            items[i] = xt;
            all = join(I, all, xt);
        }
        return starred ? ty_vartuple(I->p, all) : ty_tuple(I->p, items, n);
    }
    case ND_DICT: {
        Type *t = site_container(I, e, TY_DICT);
        for (int i = 0; i < e->dict.keys.len; i++) {
            Node *k = e->dict.keys.items[i];
            Type *vt = infer_expr(I, e->dict.values.items[i]);
            if (!k) {
                if (vt->kind == TY_DICT) origin_unify(I, t->origin, vt->origin);
                else origin_add(I, t->origin, &T_any, &T_any);
                continue;
            }
            origin_add(I, t->origin, vt, infer_expr(I, k));
        }
        return t;
    }
    default:
        return &T_any;
    }
}

static Type *infer_expr_kind(Infer *I, Node *e) {
    switch (e->kind) {
    case ND_CONST:
        switch (e->constant.kind) {
        case CONST_NONE: return &T_none;
        case CONST_TRUE: case CONST_FALSE: return &T_bool;
        case CONST_INT: return int_literal(e);
        case CONST_FLOAT: return &T_float;
        case CONST_COMPLEX: return &T_complex;
        case CONST_STR: return &T_str;
        case CONST_BYTES: return &T_bytes;
        case CONST_ELLIPSIS: return &T_any;
        }
        return &T_any;
    case ND_NAME: return name_type(I, e);
    case ND_ATTRIBUTE: return attribute_type(I, e);
    case ND_CALL: return infer_call(I, e);
    case ND_BINOP: {
        Type *l = infer_expr(I, e->binop.left), *r = infer_expr(I, e->binop.right);
        return binop_type(I, e, l, r);
    }
    case ND_UNARYOP: return unary_type(e, infer_expr(I, e->unaryop.operand));
    case ND_BOOLOP: {
        Type *t = &T_bottom;
        for (int i = 0; i < e->boolop.values.len; i++) t = join(I, t, infer_expr(I, e->boolop.values.items[i]));
        return t;
    }
    case ND_COMPARE: return compare_type(I, e);
    case ND_IFEXP:
        infer_expr(I, e->ifexp.test);
        return join(I, infer_expr(I, e->ifexp.body), infer_expr(I, e->ifexp.orelse));
    case ND_LIST: case ND_TUPLE: case ND_DICT: case ND_SET: return display_type(I, e);
    case ND_LISTCOMP: case ND_SETCOMP: case ND_DICTCOMP: case ND_GENEXP: return comp_type(I, e);
    case ND_LAMBDA: {
        FuncInfo *f = e->scope->fn;
        FuncInfo *saved = I->fn;
        I->fn = f;
        Type *body = infer_expr(I, e->lambda.body);
        I->fn = saved;
        if (!f->is_generator) slot_join(I, &f->ret, body);
        Type *t = ty_new(I->p, TY_FUNC);
        t->fn = f;
        return t;
    }
    case ND_JOINEDSTR:
        for (int i = 0; i < e->joinedstr.values.len; i++) infer_expr(I, e->joinedstr.values.items[i]);
        return &T_str;
    case ND_FORMATTED:
        infer_expr(I, e->formatted.value);
        if (e->formatted.format_spec) infer_expr(I, e->formatted.format_spec);
        return &T_str;
    case ND_SUBSCRIPT: return subscript_type(I, e);
    case ND_SLICE:
        if (e->slice.lower) infer_expr(I, e->slice.lower);
        if (e->slice.upper) infer_expr(I, e->slice.upper);
        if (e->slice.step) infer_expr(I, e->slice.step);
        return &T_any;
    case ND_STARRED: return infer_expr(I, e->starred.value);
    case ND_NAMEDEXPR: {
        Type *t = infer_expr(I, e->namedexpr.value);
        assign_target(I, e->namedexpr.target, t);
        return t;
    }
    case ND_YIELD:
        if (I->fn) slot_join(I, &I->fn->yield_ty, e->yield.value ? infer_expr(I, e->yield.value) : &T_none);
        return &T_any;
    case ND_YIELDFROM:
        if (I->fn) slot_join(I, &I->fn->yield_ty, ty_elem(infer_expr(I, e->yield.value)));
        return &T_any;
    case ND_AWAIT:
        infer_expr(I, e->await.value);
        return &T_any;
    default:
        return &T_any;
    }
}

static Type *infer_expr(Infer *I, Node *e) {
    if (!e) return &T_none;
    Type *t = infer_expr_kind(I, e);
    e->ty = t ? t : &T_any;
    return e->ty;
}

/* ==== statements ======================================================================== */

static void assign_target(Infer *I, Node *t, Type *vt) {
    switch (t->kind) {
    case ND_NAME:
        sym_join(I, t->sym, vt);
        t->ty = t->sym ? t->sym->ty : vt;
        return;
    case ND_TUPLE: case ND_LIST: {
        NodeList *elts = &t->list.elts;
        int star = -1;
        for (int i = 0; i < elts->len; i++) if (elts->items[i]->kind == ND_STARRED) star = i;
        if (star < 0 && vt->kind == TY_TUPLE && vt->nitems == elts->len) {
            for (int i = 0; i < elts->len; i++) assign_target(I, elts->items[i], vt->items[i]);
            return;
        }
        Type *e = ty_elem(vt);
        for (int i = 0; i < elts->len; i++) {
            Node *x = elts->items[i];
            if (x->kind == ND_STARRED) {
                Type *l = site_container(I, x, TY_LIST);
                origin_add(I, l->origin, e, NULL);
                x->ty = l;
                assign_target(I, x->starred.value, l);
            } else {
                assign_target(I, x, e);
            }
        }
        return;
    }
    case ND_ATTRIBUTE: {
        Type *obj = infer_expr(I, t->attribute.value);
        if (obj->kind == TY_INST) attr_join(I, obj->cls, t->attribute.attr, vt);
        else if (obj->kind == TY_CLASS && obj->cls) {
            Sym *s = scope_lookup_local(obj->cls->scope, t->attribute.attr);
            if (s) sym_join(I, s, vt);
            else attr_join(I, obj->cls, t->attribute.attr, vt);
        } else if (obj->kind != TY_NATIVE && obj->kind != TY_MODULE) attr_join_all(I, t->attribute.attr, vt);
        else escape(I, vt);
        return;
    }
    case ND_SUBSCRIPT: {
        Type *obj = infer_expr(I, t->subscript.value);
        Type *k = infer_expr(I, t->subscript.slice);
        if (obj->kind == TY_LIST) origin_add(I, obj->origin, t->subscript.slice->kind == ND_SLICE ? ty_elem(vt) : vt, NULL);
        else if (obj->kind == TY_DICT) origin_add(I, obj->origin, vt, k);
        else escape(I, vt);
        return;
    }
    case ND_STARRED:
        assign_target(I, t->starred.value, vt);
        return;
    default:
        return;
    }
}

static void infer_stmt(Infer *I, Node *n);

static void infer_stmts(Infer *I, NodeList *body) {
    for (int i = 0; i < body->len; i++) infer_stmt(I, body->items[i]);
}

/* Can control reach the end of the body (so the function returns None)? */
static bool falls_through(NodeList *body) {
    if (body->len == 0) return true;
    Node *last = body->items[body->len - 1];
    switch (last->kind) {
    case ND_RETURN: case ND_RAISE: return false;
    case ND_IF: return falls_through(&last->if_.body) || falls_through(&last->if_.orelse);
    case ND_WHILE:
        /* while True: without break loops forever */
        if (last->while_.test->kind == ND_CONST && last->while_.test->constant.kind == CONST_TRUE) return false;
        return true;
    case ND_TRY:
        if (last->try_.finalbody.len && !falls_through(&last->try_.finalbody)) return false;
        if (falls_through(&last->try_.body) && falls_through(&last->try_.orelse)) return true;
        if (last->try_.orelse.len && !falls_through(&last->try_.orelse)) {
            for (int i = 0; i < last->try_.handlers.len; i++)
                if (falls_through(&last->try_.handlers.items[i]->handler.body)) return true;
            return false;
        }
        if (!falls_through(&last->try_.body)) {
            for (int i = 0; i < last->try_.handlers.len; i++)
                if (falls_through(&last->try_.handlers.items[i]->handler.body)) return true;
            return false;
        }
        return true;
    case ND_WITH: return falls_through(&last->with.body);
    default: return true;
    }
}

static bool decorator_is(Node *d, const char *name) {
    if (d->kind == ND_NAME) return strcmp(d->name.id, name) == 0 && d->sym && d->sym->kind == SYM_BUILTIN;
    if (d->kind == ND_ATTRIBUTE) return strcmp(d->attribute.attr, name) == 0;
    return false;
}

static void infer_funcdef(Infer *I, Node *n) {
    FuncInfo *f = def_func(n);
    for (int i = 0; i < n->funcdef.decorators.len; i++) infer_expr(I, n->funcdef.decorators.items[i]);
    Node *args = n->funcdef.args;
    for (int i = 0; i < args->arguments.defaults.len; i++) infer_expr(I, args->arguments.defaults.items[i]);
    for (int i = 0; i < args->arguments.kw_defaults.len; i++)
        if (args->arguments.kw_defaults.items[i]) infer_expr(I, args->arguments.kw_defaults.items[i]);
    /* defaults flow into their parameters */
    for (int i = 0; i < f->npos; i++)
        if (f->defaults[i]) sym_join(I, f->params[i], f->defaults[i]->ty);
    for (int i = 0; i < f->nkwonly; i++)
        if (f->kwdefaults[i]) sym_join(I, f->params[f->npos + i], f->kwdefaults[i]->ty);
    /* the self parameter of a method is an instance of its class */
    if (f->cls && !f->is_static && f->npos > 0) {
        Type *self;
        if (f->is_classmethod) {
            self = ty_new(I->p, TY_CLASS);
            self->cls = f->cls;
        } else {
            self = ty_new(I->p, TY_INST);
            self->cls = f->cls;
        }
        if (!f->params[0]->ty || f->params[0]->ty->kind == TY_BOTTOM) {
            f->params[0]->ty = self;
            I->changed = true;
        }
    }
    FuncInfo *saved = I->fn;
    I->fn = f;
    infer_stmts(I, &n->funcdef.body);
    I->fn = saved;
    if (!f->is_generator && falls_through(&n->funcdef.body)) slot_join(I, &f->ret, &T_none);
    /* what the def statement binds */
    Type *ft;
    if (f->decorated) ft = &T_any;
    else {
        ft = ty_new(I->p, TY_FUNC);
        ft->fn = f;
    }
    if (n->sym && n->sym->kind != SYM_CLASSVAR) sym_join(I, n->sym, ft);
    else if (n->sym && !f->is_property) sym_join(I, n->sym, ft);
}

static void infer_with(Infer *I, Node *n) {
    for (int i = 0; i < n->with.items.len; i++) {
        Node *it = n->with.items.items[i];
        Type *m = infer_expr(I, it->withitem.context_expr);
        if (it->withitem.optional_vars) {
            /* Pool, Lock, Connection, ... return themselves from __enter__ */
            Type *v = m->kind == TY_NATIVE ? m : &T_any;
            if (m->kind == TY_INST) {
                FuncInfo *f = member_func(class_member(m->cls, "__enter__"));
                if (f) {
                    Args a = {0};
                    Type *r = call_func(I, f, &a, 1, m);
                    v = r ? r : &T_any;
                }
            }
            assign_target(I, it->withitem.optional_vars, v);
        }
    }
    infer_stmts(I, &n->with.body);
}

static void infer_stmt(Infer *I, Node *n) {
    switch (n->kind) {
    case ND_FUNCDEF: infer_funcdef(I, n); return;
    case ND_CLASSDEF:
        for (int i = 0; i < n->classdef.bases.len; i++) infer_expr(I, n->classdef.bases.items[i]);
        infer_stmts(I, &n->classdef.body);
        if (n->sym) {
            Type *t = ty_new(I->p, TY_CLASS);
            t->cls = n->scope->cls;
            sym_join(I, n->sym, n->classdef.decorators.len ? &T_any : t);
        }
        return;
    case ND_RETURN: {
        Type *t = n->ret.value ? infer_expr(I, n->ret.value) : &T_none;
        if (I->fn && !I->fn->is_generator) slot_join(I, &I->fn->ret, t);
        return;
    }
    case ND_DELETE:
        for (int i = 0; i < n->del.targets.len; i++) {
            Node *t = n->del.targets.items[i];
            if (t->kind != ND_NAME) infer_expr(I, t);
        }
        return;
    case ND_ASSIGN: {
        Type *t = infer_expr(I, n->assign.value);
        for (int i = 0; i < n->assign.targets.len; i++) assign_target(I, n->assign.targets.items[i], t);
        return;
    }
    case ND_AUGASSIGN: {
        Type *cur = infer_expr(I, n->augassign.target);
        Type *v = infer_expr(I, n->augassign.value);
        Node fake = {.kind = ND_BINOP};
        fake.binop.left = n->augassign.target;
        fake.binop.op = n->augassign.op;
        fake.binop.right = n->augassign.value;
        Type *r = binop_type(I, &fake, cur, v);
        if (cur->kind == TY_INT && r->kind == TY_INT &&
            (n->augassign.op == OP_MULT || n->augassign.op == OP_POW || n->augassign.op == OP_LSHIFT))
            r = &T_bigint;
        if (cur->kind == TY_LIST && n->augassign.op == OP_ADD) {
            origin_add(I, cur->origin, ty_elem(v), NULL);
            r = cur;
        }
        assign_target(I, n->augassign.target, r);
        return;
    }
    case ND_ANNASSIGN:
        if (n->annassign.value) assign_target(I, n->annassign.target, infer_expr(I, n->annassign.value));
        return;
    case ND_FOR: {
        Type *it = infer_expr(I, n->for_.iter);
        assign_target(I, n->for_.target, ty_elem(it));
        infer_stmts(I, &n->for_.body);
        infer_stmts(I, &n->for_.orelse);
        return;
    }
    case ND_WHILE:
        infer_expr(I, n->while_.test);
        infer_stmts(I, &n->while_.body);
        infer_stmts(I, &n->while_.orelse);
        return;
    case ND_IF:
        infer_expr(I, n->if_.test);
        infer_stmts(I, &n->if_.body);
        infer_stmts(I, &n->if_.orelse);
        return;
    case ND_WITH: infer_with(I, n); return;
    case ND_RAISE:
        if (n->raise.exc) escape(I, infer_expr(I, n->raise.exc));
        if (n->raise.cause) infer_expr(I, n->raise.cause);
        return;
    case ND_TRY:
        infer_stmts(I, &n->try_.body);
        for (int i = 0; i < n->try_.handlers.len; i++) {
            Node *h = n->try_.handlers.items[i];
            if (h->handler.type) infer_expr(I, h->handler.type);
            if (h->sym) sym_join(I, h->sym, &T_any);
            infer_stmts(I, &h->handler.body);
        }
        infer_stmts(I, &n->try_.orelse);
        infer_stmts(I, &n->try_.finalbody);
        return;
    case ND_ASSERT:
        infer_expr(I, n->assert_.test);
        if (n->assert_.msg) infer_expr(I, n->assert_.msg);
        return;
    case ND_EXPR: infer_expr(I, n->expr.value); return;
    case ND_IMPORT: case ND_IMPORTFROM:
    case ND_GLOBAL: case ND_NONLOCAL: case ND_PASS: case ND_BREAK: case ND_CONTINUE:
        return;
    default:
        return;
    }
}

/* ==== decorators, then the fixpoint, then representations ================================== */

static void classify_decorators(Program *p) {
    for (int i = 0; i < p->nfuncs; i++) {
        FuncInfo *f = p->funcs[i];
        if (f->def->kind != ND_FUNCDEF) continue;
        NodeList *d = &f->def->funcdef.decorators;
        for (int k = 0; k < d->len; k++) {
            Node *x = d->items[k];
            if (f->cls && decorator_is(x, "staticmethod")) f->is_static = true;
            else if (f->cls && decorator_is(x, "classmethod")) f->is_classmethod = true;
            else if (f->cls && (decorator_is(x, "property") || decorator_is(x, "setter"))) f->is_property = true;
            else f->decorated = true;
        }
        if (f->decorated || f->is_property) f->escapes = true;
    }
}

/* A value reaching a parameter may be anything once f escapes. */
static void widen_escaped(Infer *I) {
    for (int i = 0; i < I->p->nfuncs; i++) {
        FuncInfo *f = I->p->funcs[i];
        if (!f->escapes) continue;
        int start = f->cls && !f->is_static && f->npos > 0 ? 1 : 0;   /* self stays typed */
        for (int k = start; k < f->npos + f->nkwonly; k++) sym_join(I, f->params[k], &T_any);
        if (f->vararg) sym_join(I, f->vararg, ty_vartuple(I->p, &T_any));
        if (f->kwarg) sym_join(I, f->kwarg, &T_any);
    }
}

static Rep sym_rep(Sym *s) {
    if (s->kind != SYM_LOCAL || s->maybe_unbound) return REP_OBJ;
    Type *t = s->ty;
    if (!t) return REP_OBJ;
    if (t->kind == TY_INT && (t->big || s->growth)) return REP_OBJ;
    return ty_rep(t);
}

static void assign_reps(Program *p) {
    for (int i = 0; i < p->nfuncs; i++) {
        FuncInfo *f = p->funcs[i];
        Scope *s = f->scope;
        for (int k = 0; k < s->nsyms; k++) s->syms[k]->rep = sym_rep(s->syms[k]);
        if (!f->ret || f->ret->kind == TY_BOTTOM) f->ret = &T_none;
        f->ret_rep = f->is_generator || (f->ret->kind == TY_INT && f->ret->big) ? REP_OBJ : ty_rep(f->ret);
    }
}

/* Comprehension scopes are compiled into their function: same rules. */
static void assign_comp_reps(Node *n);

static void assign_comp_reps_list(NodeList *l) {
    for (int i = 0; i < l->len; i++) assign_comp_reps(l->items[i]);
}

static void assign_comp_reps(Node *n) {
    if (!n) return;
    switch (n->kind) {
    case ND_LISTCOMP: case ND_SETCOMP: case ND_DICTCOMP:
        for (int k = 0; k < n->scope->nsyms; k++) n->scope->syms[k]->rep = sym_rep(n->scope->syms[k]);
        assign_comp_reps(n->comp.elt);
        assign_comp_reps(n->comp.key);
        assign_comp_reps(n->comp.value);
        for (int i = 0; i < n->comp.generators.len; i++) {
            Node *g = n->comp.generators.items[i];
            assign_comp_reps(g->comprehension.iter);
            assign_comp_reps_list(&g->comprehension.ifs);
        }
        return;
    case ND_GENEXP:
        assign_comp_reps(n->comp.elt);
        for (int i = 0; i < n->comp.generators.len; i++) {
            Node *g = n->comp.generators.items[i];
            assign_comp_reps(g->comprehension.iter);
            assign_comp_reps_list(&g->comprehension.ifs);
        }
        return;
    case ND_MODULE: assign_comp_reps_list(&n->module.body); return;
    case ND_FUNCDEF:
        assign_comp_reps_list(&n->funcdef.body);
        assign_comp_reps_list(&n->funcdef.args->arguments.defaults);
        return;
    case ND_CLASSDEF: assign_comp_reps_list(&n->classdef.body); return;
    case ND_RETURN: assign_comp_reps(n->ret.value); return;
    case ND_ASSIGN: assign_comp_reps(n->assign.value); assign_comp_reps_list(&n->assign.targets); return;
    case ND_AUGASSIGN: assign_comp_reps(n->augassign.value); return;
    case ND_ANNASSIGN: assign_comp_reps(n->annassign.value); return;
    case ND_FOR: assign_comp_reps(n->for_.iter); assign_comp_reps_list(&n->for_.body); assign_comp_reps_list(&n->for_.orelse); return;
    case ND_WHILE: assign_comp_reps(n->while_.test); assign_comp_reps_list(&n->while_.body); assign_comp_reps_list(&n->while_.orelse); return;
    case ND_IF: assign_comp_reps(n->if_.test); assign_comp_reps_list(&n->if_.body); assign_comp_reps_list(&n->if_.orelse); return;
    case ND_WITH:
        for (int i = 0; i < n->with.items.len; i++) assign_comp_reps(n->with.items.items[i]->withitem.context_expr);
        assign_comp_reps_list(&n->with.body);
        return;
    case ND_TRY:
        assign_comp_reps_list(&n->try_.body);
        for (int i = 0; i < n->try_.handlers.len; i++) assign_comp_reps_list(&n->try_.handlers.items[i]->handler.body);
        assign_comp_reps_list(&n->try_.orelse);
        assign_comp_reps_list(&n->try_.finalbody);
        return;
    case ND_RAISE: assign_comp_reps(n->raise.exc); return;
    case ND_ASSERT: assign_comp_reps(n->assert_.test); assign_comp_reps(n->assert_.msg); return;
    case ND_EXPR: assign_comp_reps(n->expr.value); return;
    case ND_CALL:
        assign_comp_reps(n->call.func);
        assign_comp_reps_list(&n->call.args);
        for (int i = 0; i < n->call.keywords.len; i++) assign_comp_reps(n->call.keywords.items[i]->keyword.value);
        return;
    case ND_BINOP: assign_comp_reps(n->binop.left); assign_comp_reps(n->binop.right); return;
    case ND_UNARYOP: assign_comp_reps(n->unaryop.operand); return;
    case ND_BOOLOP: assign_comp_reps_list(&n->boolop.values); return;
    case ND_COMPARE: assign_comp_reps(n->compare.left); assign_comp_reps_list(&n->compare.comparators); return;
    case ND_IFEXP: assign_comp_reps(n->ifexp.test); assign_comp_reps(n->ifexp.body); assign_comp_reps(n->ifexp.orelse); return;
    case ND_LIST: case ND_TUPLE: assign_comp_reps_list(&n->list.elts); return;
    case ND_SET: assign_comp_reps_list(&n->set.elts); return;
    case ND_DICT: assign_comp_reps_list(&n->dict.values); return;
    case ND_SUBSCRIPT: assign_comp_reps(n->subscript.value); assign_comp_reps(n->subscript.slice); return;
    case ND_ATTRIBUTE: assign_comp_reps(n->attribute.value); return;
    case ND_JOINEDSTR: assign_comp_reps_list(&n->joinedstr.values); return;
    case ND_FORMATTED: assign_comp_reps(n->formatted.value); return;
    case ND_STARRED: assign_comp_reps(n->starred.value); return;
    case ND_LAMBDA: assign_comp_reps(n->lambda.body); return;
    default: return;
    }
}

/* Parameters no call reached are Any; returns whether any changed. */
static bool unreached_params_any(Infer *I) {
    bool changed = false;
    for (int i = 0; i < I->p->nfuncs; i++) {
        FuncInfo *f = I->p->funcs[i];
        for (int k = 0; k < f->npos + f->nkwonly; k++) {
            Sym *s = f->params[k];
            if (!s->ty || s->ty->kind == TY_BOTTOM) { s->ty = &T_any; changed = true; }
        }
        Sym *extra[2] = {f->vararg, f->kwarg};
        for (int k = 0; k < 2; k++)
            if (extra[k] && (!extra[k]->ty || extra[k]->ty->kind == TY_BOTTOM)) { extra[k]->ty = &T_any; changed = true; }
    }
    return changed;
}

void sem_infer(Program *p) {
    Infer I = {p, true, NULL};
    classify_decorators(p);
    /* Run to a fixpoint; then parameters that nothing reached are Any (the
     * function is called in ways the analysis cannot see) and the types
     * that depend on them are computed again. */
    for (int outer = 0; outer < 8; outer++) {
        I.changed = true;
        for (int round = 0; round < MAX_ROUNDS && I.changed; round++) {
            I.changed = false;
            I.fn = NULL;
            infer_stmts(&I, &p->module->module.body);
            widen_escaped(&I);
        }
        if (!unreached_params_any(&I)) break;
    }
    /* Anything still unknown is dynamic. */
    for (int i = 0; i < p->nfuncs; i++) {
        FuncInfo *f = p->funcs[i];
        for (int k = 0; k < f->scope->nsyms; k++) {
            Sym *s = f->scope->syms[k];
            if (!s->ty || s->ty->kind == TY_BOTTOM) s->ty = &T_any;
        }
    }
    assign_reps(p);
    assign_comp_reps(p->module);
    if (getenv("MP2C_DUMP_TYPES")) sem_dump_types(p, stderr);
}

/* A listing of what inference found, for debugging and for tests/emit. */
void sem_dump_types(Program *p, FILE *out) {
    static const char *const reps[] = {"obj", "i64", "f64", "bool"};
    for (int i = 0; i < p->nfuncs; i++) {
        FuncInfo *f = p->funcs[i];
        fprintf(out, "%s -> %s [%s]%s\n", f->qualname, ty_str(p, f->ret), reps[f->ret_rep],
                f->escapes ? " escapes" : "");
        for (int k = 0; k < f->scope->nsyms; k++) {
            Sym *s = f->scope->syms[k];
            fprintf(out, "    %s%s: %s [%s]\n", s->is_param ? "param " : "", s->name, ty_str(p, s->ty), reps[s->rep]);
        }
    }
    for (int k = 0; k < p->modscope->nsyms; k++) {
        Sym *s = p->modscope->syms[k];
        if (s->kind == SYM_GLOBAL) fprintf(out, "global %s: %s\n", s->name, ty_str(p, s->ty));
    }
}

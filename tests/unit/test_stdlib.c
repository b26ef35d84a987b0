/* test_stdlib.c: functools, itertools, operator and string (runtime/functools.c,
 * itertools.c, operatormod.c, stringmod.c).
 *
 * Most cases come from CPython: gen_stdlib_expected.py runs short programs
 * ("f = functools.lru_cache(maxsize=2)(square); f(1); f.cache_info()") and
 * stores what CPython printed in stdlib_expected.h. The evaluator below runs
 * the same text against the runtime: literals, containers, names, calls with
 * keywords, attributes, subscripts, + - * ** and comparisons; statements
 * separated by "; " that are expressions or assignments (`x = e`,
 * `a, b = e`, `e.attr = e`, `e[k] = e`). Module members are looked up in
 * the table the translator uses (the rows of mp2c_stdlib.h), so every member
 * is reached the way generated code reaches it. Each case is its own cmocka
 * test, named family:index.
 *
 * Then hand-written tests: serialization round trips of partial (of a
 * function from a stand-in program's table), itemgetter, attrgetter,
 * methodcaller and lru_cache wrappers; a recursive fib under lru_cache; a
 * tee whose buffer is a long chain of links; and allocation failures at
 * every point of a few programs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp2c.h"   /* before cmocka.h, which redefines malloc under UNIT_TESTING */
#include <cmocka.h>

#include "stdlib_expected.h"

/* ==== the module members, as gen/modules.c maps them ============================ */

typedef enum { K_FN, K_TYPE, K_CONST } Kind;
typedef struct Member {
    const char *module, *name;
    Kind        kind;
    RtNativeFn  fn;
    RtType     *type;
    RtValue  *(*cfn)(void);
} Member;

#define FN(m, n, f)   {m, n, K_FN, f, NULL, NULL}
#define TYPE(m, n, t) {m, n, K_TYPE, NULL, &t, NULL}
#define CONST(m, n, c) {m, n, K_CONST, NULL, NULL, c}
#define OPFN(name) FN("operator", #name, rt_operator_##name),
#define STRCONST(name) CONST("string", #name, rt_string_##name),

static const Member members[] = {
    TYPE("functools", "partial", rt_functools_partial),
    FN("functools", "reduce", rt_functools_reduce),
    FN("functools", "lru_cache", rt_functools_lru_cache),
    FN("functools", "cache", rt_functools_cache),
    FN("functools", "wraps", rt_functools_wraps),
    FN("functools", "update_wrapper", rt_functools_update_wrapper),
    FN("functools", "total_ordering", rt_functools_total_ordering),
    FN("functools", "cmp_to_key", rt_functools_cmp_to_key),
    TYPE("itertools", "count", rt_itertools_count),
    TYPE("itertools", "cycle", rt_itertools_cycle),
    TYPE("itertools", "repeat", rt_itertools_repeat),
    TYPE("itertools", "accumulate", rt_itertools_accumulate),
    TYPE("itertools", "chain", rt_itertools_chain),
    TYPE("itertools", "compress", rt_itertools_compress),
    TYPE("itertools", "dropwhile", rt_itertools_dropwhile),
    TYPE("itertools", "takewhile", rt_itertools_takewhile),
    TYPE("itertools", "filterfalse", rt_itertools_filterfalse),
    TYPE("itertools", "groupby", rt_itertools_groupby),
    TYPE("itertools", "islice", rt_itertools_islice),
    TYPE("itertools", "starmap", rt_itertools_starmap),
    FN("itertools", "tee", rt_itertools_tee),
    TYPE("itertools", "zip_longest", rt_itertools_zip_longest),
    TYPE("itertools", "product", rt_itertools_product),
    TYPE("itertools", "permutations", rt_itertools_permutations),
    TYPE("itertools", "combinations", rt_itertools_combinations),
    TYPE("itertools", "combinations_with_replacement", rt_itertools_combinations_with_replacement),
    TYPE("itertools", "pairwise", rt_itertools_pairwise),
    TYPE("operator", "itemgetter", rt_operator_itemgetter),
    TYPE("operator", "attrgetter", rt_operator_attrgetter),
    TYPE("operator", "methodcaller", rt_operator_methodcaller),
    RT_OPERATOR_FUNCS(OPFN)
    FN("string", "capwords", rt_string_capwords),
    RT_STRING_CONSTS(STRCONST)
};

static bool is_module(const char *name) {
    return !strcmp(name, "functools") || !strcmp(name, "itertools") || !strcmp(name, "operator") ||
           !strcmp(name, "string");
}

/* module.name as generated code builds it. New reference, or NULL (none). */
static RtValue *member_value(const char *module, const char *name) {
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        const Member *m = &members[i];
        if (strcmp(m->module, module) || strcmp(m->name, name)) continue;
        switch (m->kind) {
        case K_FN:    return rt_builtin_new(m->name, m->fn, NULL, -1);
        case K_TYPE:  return rt_newref((RtValue *)m->type);
        case K_CONST: return m->cfn();
        }
    }
    return NULL;
}

/* ==== helper functions (gen_stdlib_expected.py defines the same) ================== */

#define SPEC(fname, ...) \
    static const char *const names_[] = {__VA_ARGS__}; \
    static const RtParamSpec spec_ = {fname, names_, 0, sizeof names_ / sizeof names_[0], 0, false, false}

static int bind(const RtParamSpec *spec, RtValue *const *args, size_t nargs, RtValue *kw, RtValue **out) {
    return rt_bind_args(spec, args, nargs, kw, NULL, NULL, out, NULL, NULL);
}

static RtValue *h_power(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("power", "base", "exp");
    RtValue *a[2];
    return bind(&spec_, args, nargs, kw, a) < 0 ? NULL : rt_binop(a[0], a[1], RT_POW);
}

static RtValue *h_square(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("square", "x");
    RtValue *a[1];
    return bind(&spec_, args, nargs, kw, a) < 0 ? NULL : rt_binop(a[0], a[0], RT_MUL);
}

static RtValue *h_twice(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("make_twice.<locals>.twice", "x");
    RtValue *a[1];
    if (bind(&spec_, args, nargs, kw, a) < 0) return NULL;
    RtValue *two = rt_int(2), *r = rt_binop(two, a[0], RT_MUL);
    rt_decref(two);
    return r;
}

static RtValue *h_make_twice(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    (void)args;
    SPEC("make_twice", "unused");
    static const RtParamSpec none = {"make_twice", names_, 0, 0, 0, false, false};
    (void)spec_;
    RtValue *a[1];
    if (bind(&none, args, nargs, kw, a) < 0) return NULL;
    return rt_func_new("twice", "make_twice.<locals>.twice", h_twice, -1, NULL, NULL, NULL, 0);
}

static RtValue *h_rcmp(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("rcmp", "a", "b");
    RtValue *a[2];
    return bind(&spec_, args, nargs, kw, a) < 0 ? NULL : rt_binop(a[1], a[0], RT_SUB);
}

/* [(k, list(g)) for k, g in it]; late: for k, g in list(it) */
static RtValue *groups_of(RtValue *iterable, bool late) {
    RtValue *src = late ? rt_list_from_iter(iterable) : rt_newref(iterable);
    RtValue *it = src ? rt_iter(src) : NULL, *out = it ? rt_list_new(0) : NULL, *pair;
    while (out && (pair = rt_iter_next(it))) {
        RtValue *kg[2] = {NULL, NULL}, *l = NULL, *t = NULL;
        if (rt_unpack(pair, 2, -1, kg) == 0 && (l = rt_list_from_iter(kg[1])))
            t = rt_tuple_pack(2, kg[0], l);
        rt_xdecref(kg[0]);
        rt_xdecref(kg[1]);
        rt_xdecref(l);
        rt_decref(pair);
        if (!t || rt_list_append_steal(out, t) < 0) RT_CLEAR(out);
    }
    if (out && RT_ERR()) RT_CLEAR(out);
    rt_xdecref(it);
    rt_xdecref(src);
    return out;
}

static RtValue *h_groups(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("groups", "it");
    RtValue *a[1];
    return bind(&spec_, args, nargs, kw, a) < 0 ? NULL : groups_of(a[0], false);
}

static RtValue *h_groups_late(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("groups_late", "it");
    RtValue *a[1];
    return bind(&spec_, args, nargs, kw, a) < 0 ? NULL : groups_of(a[0], true);
}

static RtValue *h_take(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("take", "n", "it");
    RtValue *a[2];
    if (bind(&spec_, args, nargs, kw, a) < 0) return NULL;
    RtValue *sl_args[2] = {a[1], a[0]};
    RtValue *sl = rt_call((RtValue *)&rt_itertools_islice, sl_args, 2, NULL);
    RtValue *l = sl ? rt_list_from_iter(sl) : NULL;
    rt_xdecref(sl);
    return l;
}

/* class V: __init__(self, v), __repr__, and the comparisons make_V was given. */
static RtValue *v_init(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("make_V.<locals>.<lambda>", "self", "v");
    RtValue *a[2];
    if (bind(&spec_, args, nargs, kw, a) < 0 || rt_setattr(a[0], "v", a[1]) < 0) return NULL;
    return rt_newref(rt_None);
}

static RtValue *v_repr(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("make_V.<locals>.<lambda>", "self");
    RtValue *a[1];
    if (bind(&spec_, args, nargs, kw, a) < 0) return NULL;
    RtValue *v = rt_getattr(a[0], "v"), *r = v ? rt_repr(v) : NULL;
    RtValue *s = NULL;
    if (r) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s(%s)", a[0]->type->name, rt_str_data(r));
        s = rt_str_from_cstr(buf);
    }
    rt_xdecref(v);
    rt_xdecref(r);
    return s;
}

static RtValue *v_cmp(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    SPEC("make_V.<locals>.<lambda>.<locals>.<lambda>", "self", "other");
    static const char *const ops[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
    RtValue *a[2];
    if (bind(&spec_, args, nargs, kw, a) < 0) return NULL;
    int op = 0;
    while (strcmp(ops[op], f->name) != 0) op++;
    if (a[0]->type->name[0] == 'W' && !rt_isinstance_t(a[1], a[0]->type)) return rt_newref(rt_NotImplemented);
    RtValue *x = rt_getattr(a[0], "v"), *y = x ? rt_getattr(a[1], "v") : NULL;
    RtValue *r = y ? rt_richcompare(x, y, (RtCmpOp)op) : NULL;
    rt_xdecref(x);
    rt_xdecref(y);
    return r;
}

static RtValue *made_classes;   /* a list keeping every class made reachable (classes are never freed) */

/* make_V(*ops) and make_W(*ops): W's comparisons return NotImplemented for other types. */
static RtValue *h_make_V(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"ops"};
    const char *clsname = f->name[5] == 'W' ? "W" : "V";
    RtParamSpec spec = {f->name, names, 0, 0, 0, true, false};
    RtValue *ops;
    if (rt_bind_args(&spec, args, nargs, kw, NULL, NULL, NULL, &ops, NULL) < 0) return NULL;
    RtValue *ns = rt_dict_new(), *cls = NULL;
    RtValue *init = rt_func_new("<lambda>", "make_V.<locals>.<lambda>", v_init, -1, NULL, NULL, NULL, 0);
    RtValue *repr = rt_func_new("<lambda>", "make_V.<locals>.<lambda>", v_repr, -1, NULL, NULL, NULL, 0);
    bool ok = ns && init && repr && rt_dict_set_cstr(ns, "__init__", init) == 0 &&
              rt_dict_set_cstr(ns, "__repr__", repr) == 0;
    for (size_t i = 0; ok && i < RT_TUPLE_LEN(ops); i++) {
        const char *op = rt_str_data(RT_TUPLE_GET(ops, i));   /* a static name from the table below */
        static const char *const known[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
        const char *name = NULL;
        for (int k = 0; k < 6; k++)
            if (!strcmp(op, known[k])) name = known[k];
        RtValue *fn = name ? rt_func_new(name, "make_V.<locals>.<lambda>.<locals>.<lambda>", v_cmp, -1, NULL,
                                         NULL, NULL, 0)
                           : NULL;
        ok = fn && rt_dict_set_cstr(ns, name, fn) == 0;
        rt_xdecref(fn);
    }
    if (ok && RT_LIST_LEN(made_classes) >= 4096)
        rt_raise(&rt_exc_RuntimeError, "make_V: too many classes");
    else if (ok && (cls = rt_class_new(clsname, "__main__", NULL, ns, -1)))
        ok = rt_list_append(made_classes, cls) == 0;   /* room reserved: cannot fail */
    rt_xdecref(ns);
    rt_xdecref(init);
    rt_xdecref(repr);
    rt_decref(ops);
    return cls ? rt_newref(cls) : NULL;
}

static RtValue *h_point;   /* namedtuple('Point', 'x y'), made once */

static struct { const char *name; RtFuncEntry entry; RtValue *obj; } helpers[] = {
    {"power", h_power, NULL}, {"square", h_square, NULL}, {"make_twice", h_make_twice, NULL},
    {"rcmp", h_rcmp, NULL}, {"groups", h_groups, NULL}, {"groups_late", h_groups_late, NULL},
    {"make_V", h_make_V, NULL}, {"make_W", h_make_V, NULL}, {"take", h_take, NULL},
};

/* A helper, builtin or type by name: borrowed (immortal), or NULL. */
static RtValue *h_name(const char *name) {
    static const struct { const char *name; RtType *type; } types[] = {
        {"list", &rt_type_list}, {"tuple", &rt_type_tuple}, {"dict", &rt_type_dict}, {"set", &rt_type_set},
        {"str", &rt_type_str}, {"int", &rt_type_int}, {"float", &rt_type_float}, {"bool", &rt_type_bool},
        {"range", &rt_type_range}, {"slice", &rt_type_slice}, {"map", &rt_type_map}, {"zip", &rt_type_zip},
    };
    if (!strcmp(name, "None")) return rt_None;
    if (!strcmp(name, "True")) return rt_True;
    if (!strcmp(name, "False")) return rt_False;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(name, types[i].name)) return (RtValue *)types[i].type;
    for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++) {
        if (strcmp(name, helpers[i].name)) continue;
        if (!helpers[i].obj) {
            helpers[i].obj = rt_func_new(helpers[i].name, helpers[i].name, helpers[i].entry, -1, NULL, NULL, NULL, 0);
            helpers[i].obj->rc = RT_IMMORTAL;
        }
        return helpers[i].obj;
    }
    if (!strcmp(name, "Point")) {
        if (!h_point) {
            RtValue *a[2] = {rt_str_const("Point", 5), rt_str_const("x y", 3)};
            h_point = rt_collections_namedtuple(NULL, a, 2, NULL);
        }
        return h_point;
    }
    int bi = rt_builtin_index(name);
    return bi >= 0 ? rt_builtin_get(bi) : NULL;
}

/* ==== the evaluator ================================================================ */

typedef struct Ev {
    const char *p;
    jmp_buf     fail;
    char        err[200];
    bool        raised;     /* the failure is a Python exception, left pending */
    RtValue    *arena;      /* a reference to every value built, so a longjmp leaks nothing */
    RtValue    *env;        /* the program's variables */
} Ev;

static void ev_fail(Ev *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->err, sizeof e->err, fmt, ap);
    va_end(ap);
    longjmp(e->fail, 1);
}

/* Takes v into the arena and returns it borrowed; NULL means a Python exception. */
static RtValue *ev_ok(Ev *e, RtValue *v) {
    if (v && rt_list_append_steal(e->arena, v) == 0) return v;
    e->raised = true;
    snprintf(e->err, sizeof e->err, "raised");
    longjmp(e->fail, 1);
}

static void ev_ws(Ev *e) { while (*e->p == ' ') e->p++; }

static bool ev_eat(Ev *e, const char *tok) {
    ev_ws(e);
    size_t n = strlen(tok);
    if (strncmp(e->p, tok, n) != 0) return false;
    e->p += n;
    return true;
}

static void ev_need(Ev *e, const char *tok) {
    if (!ev_eat(e, tok)) ev_fail(e, "expected '%s' at '%s'", tok, e->p);
}

static size_t ident_len(const char *p) {
    return strspn(p, "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}

static RtValue *ev_expr(Ev *e);

/* 'text' / b'text' with the escapes the cases use. */
static RtValue *ev_string(Ev *e, bool is_bytes) {
    char q = *e->p++;
    RtStrBuf b;
    rt_strbuf_init(&b);
    unsigned char raw[512];
    size_t nraw = 0;
    while (*e->p && *e->p != q) {
        uint32_t c = (unsigned char)*e->p++;
        if (c == '\\') {
            char k = *e->p++;
            c = k == 'n' ? '\n' : k == 't' ? '\t' : k == 'r' ? '\r' : (unsigned char)k;
            if (is_bytes) raw[nraw++] = (unsigned char)c;
            else rt_strbuf_put_cp(&b, c);
        } else if (is_bytes) {
            raw[nraw++] = (unsigned char)c;
        } else if (c < 0x80) {
            rt_strbuf_putc(&b, (char)c);
        } else {                                   /* a UTF-8 sequence, copied */
            const char *start = e->p - 1;
            while (((unsigned char)*e->p & 0xC0) == 0x80) e->p++;
            rt_strbuf_put(&b, start, (size_t)(e->p - start), 1);
        }
    }
    if (*e->p != q) { rt_strbuf_free(&b); ev_fail(e, "unterminated string"); }
    e->p++;
    if (is_bytes) {
        rt_strbuf_free(&b);
        return ev_ok(e, rt_bytes_new(raw, nraw));
    }
    return ev_ok(e, rt_strbuf_finish(&b));
}

static RtValue *ev_number(Ev *e) {
    const char *s = e->p;
    size_t n = strspn(s, "0123456789");
    if (s[n] == '.' || s[n] == 'e') {
        char *end;
        double d = strtod(s, &end);
        e->p = end;
        return ev_ok(e, rt_float(d));
    }
    char digits[64];
    memcpy(digits, s, n);
    digits[n] = 0;
    e->p += n;
    return ev_ok(e, n > 18 ? rt_int_from_digits(digits) : rt_int(strtoll(digits, NULL, 10)));
}

/* Items up to `close`; *single reports "(x)" without a trailing comma. */
static RtValue *ev_items(Ev *e, const char *close, bool *single) {
    RtValue *list = ev_ok(e, rt_list_new(0));
    bool comma = false;
    while (!ev_eat(e, close)) {
        if (rt_list_append(list, ev_expr(e)) < 0) ev_ok(e, NULL);
        if (!ev_eat(e, ",")) { ev_need(e, close); break; }
        comma = true;
    }
    *single = RT_LIST_LEN(list) == 1 && !comma;
    return list;
}

/* Call arguments up to ')': positional values, then keyword values; all arena-owned. */
typedef struct { RtValue *argv[32]; size_t n; RtValue *kwnames; } CallVec;

static void ev_args(Ev *e, CallVec *cv) {
    RtValue *names[16], *kwv[16];
    size_t n = 0, nk = 0;
    while (!ev_eat(e, ")")) {
        ev_ws(e);
        size_t len = ident_len(e->p);
        if (len && e->p[len] == '=' && e->p[len + 1] != '=') {
            names[nk] = ev_ok(e, rt_str_new(e->p, len));
            e->p += len + 1;
            kwv[nk++] = ev_expr(e);
        } else {
            cv->argv[n++] = ev_expr(e);
        }
        if (!ev_eat(e, ",")) { ev_need(e, ")"); break; }
    }
    for (size_t i = 0; i < nk; i++) cv->argv[n + i] = kwv[i];
    cv->n = n;
    cv->kwnames = NULL;
    if (nk) {
        cv->kwnames = ev_ok(e, rt_tuple_new(nk));
        for (size_t i = 0; i < nk; i++) RT_TUPLE_SET(cv->kwnames, i, rt_newref(names[i]));
    }
}

static RtValue *ev_name(Ev *e) {
    size_t n = ident_len(e->p);
    char name[64];
    if (!n || n >= sizeof name) ev_fail(e, "unexpected '%s'", e->p);
    memcpy(name, e->p, n);
    name[n] = 0;
    e->p += n;
    RtValue *v = rt_dict_get_cstr(e->env, name);
    if (v) return v;
    if (is_module(name)) {                             /* module.member */
        ev_need(e, ".");
        size_t m = ident_len(e->p);
        char member[64];
        memcpy(member, e->p, m);
        member[m] = 0;
        e->p += m;
        RtValue *mv = member_value(name, member);
        if (!mv && !RT_ERR()) ev_fail(e, "no member %s.%s", name, member);
        return ev_ok(e, mv);
    }
    if (!(v = h_name(name))) ev_fail(e, "unknown name '%s'", name);
    return v;
}

static RtValue *ev_atom(Ev *e) {
    ev_ws(e);
    char c = *e->p;
    if (c == '\'' || c == '"') return ev_string(e, false);
    if (c == 'b' && (e->p[1] == '\'' || e->p[1] == '"')) { e->p++; return ev_string(e, true); }
    if (c >= '0' && c <= '9') return ev_number(e);
    bool single;
    if (c == '(') {
        e->p++;
        RtValue *items = ev_items(e, ")", &single);
        return single ? RT_LIST_GET(items, 0) : ev_ok(e, rt_tuple_from_iter(items));
    }
    if (c == '[') {
        e->p++;
        return ev_items(e, "]", &single);
    }
    if (c == '{') {
        e->p++;
        if (ev_eat(e, "}")) return ev_ok(e, rt_dict_new());
        const char *start = e->p;
        RtValue *first = ev_expr(e);
        if (ev_eat(e, ":")) {
            RtValue *d = ev_ok(e, rt_dict_new());
            if (rt_dict_set(d, first, ev_expr(e)) < 0) ev_ok(e, NULL);
            while (ev_eat(e, ",")) {
                RtValue *k = ev_expr(e);
                ev_need(e, ":");
                if (rt_dict_set(d, k, ev_expr(e)) < 0) ev_ok(e, NULL);
            }
            ev_need(e, "}");
            return d;
        }
        e->p = start;                                   /* a set display */
        return ev_ok(e, rt_set_from_iter(ev_items(e, "}", &single)));
    }
    return ev_name(e);
}

/* One postfix step on v: a call, a subscript or an attribute. Returns false
 * (consuming nothing) at the end of the chain. */
static bool ev_postfix_step(Ev *e, RtValue **v) {
    CallVec cv;
    if (ev_eat(e, "(")) {
        ev_args(e, &cv);
        *v = ev_ok(e, rt_call(*v, cv.argv, cv.n, cv.kwnames));
    } else if (ev_eat(e, "[")) {
        RtValue *k = ev_expr(e);
        ev_need(e, "]");
        *v = ev_ok(e, rt_getitem(*v, k));
    } else if (e->p[0] == '.' && ident_len(e->p + 1)) {
        e->p++;
        size_t n = ident_len(e->p);
        char name[64];
        memcpy(name, e->p, n);
        name[n] = 0;
        e->p += n;
        if (ev_eat(e, "(")) {
            ev_args(e, &cv);
            *v = ev_ok(e, rt_call_method(*v, name, cv.argv, cv.n, cv.kwnames));
        } else {
            *v = ev_ok(e, rt_getattr(*v, name));
        }
    } else {
        return false;
    }
    return true;
}

static RtValue *ev_postfix(Ev *e) {
    RtValue *v = ev_atom(e);
    while (ev_postfix_step(e, &v)) {}
    return v;
}

static RtValue *ev_unary(Ev *e);

static RtValue *ev_power(Ev *e) {
    RtValue *v = ev_postfix(e);
    if (ev_eat(e, "**")) return ev_ok(e, rt_binop(v, ev_unary(e), RT_POW));
    return v;
}

static RtValue *ev_unary(Ev *e) {
    if (ev_eat(e, "-")) return ev_ok(e, rt_unary(ev_unary(e), RT_NEG));
    return ev_power(e);
}

static RtValue *ev_term(Ev *e) {
    RtValue *v = ev_unary(e);
    for (;;) {
        ev_ws(e);
        if (e->p[0] != '*' || e->p[1] == '*') return v;
        e->p++;
        v = ev_ok(e, rt_binop(v, ev_unary(e), RT_MUL));
    }
}

static RtValue *ev_sum(Ev *e) {
    RtValue *v = ev_term(e);
    for (;;) {
        RtBinOp op;
        if (ev_eat(e, "+")) op = RT_ADD;
        else if (ev_eat(e, "- ")) op = RT_SUB;
        else return v;
        v = ev_ok(e, rt_binop(v, ev_term(e), op));
    }
}

static RtValue *ev_expr(Ev *e) {
    RtValue *v = ev_sum(e);
    static const struct { const char *sym; RtCmpOp op; } cmps[] = {
        {"<= ", RT_LE}, {">= ", RT_GE}, {"== ", RT_EQ}, {"!= ", RT_NE}, {"< ", RT_LT}, {"> ", RT_GT},
    };
    ev_ws(e);
    for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++)
        if (!strncmp(e->p, cmps[i].sym, strlen(cmps[i].sym))) {
            e->p += strlen(cmps[i].sym);
            return ev_ok(e, rt_richcompare(v, ev_sum(e), cmps[i].op));
        }
    if (!strncmp(e->p, "is ", 3)) {
        e->p += 3;
        return rt_bool(v == ev_sum(e));
    }
    if (!strncmp(e->p, "in ", 3)) {
        e->p += 3;
        int r = rt_contains(ev_sum(e), v);
        if (r < 0) ev_ok(e, NULL);
        return rt_bool(r);
    }
    return v;
}

/* The position of the top-level " = " in stmt, or NULL (as the generator's is_assignment). */
static const char *find_assign(const char *s) {
    int depth = 0;
    char quote = 0;
    for (const char *p = s; *p; p++) {
        if (quote) {
            if (*p == '\\') p++;
            else if (*p == quote) quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '(' || *p == '[' || *p == '{') {
            depth++;
        } else if (*p == ')' || *p == ']' || *p == '}') {
            depth--;
        } else if (depth == 0 && !strncmp(p, " = ", 3)) {
            return p;
        }
    }
    return NULL;
}

/* target = value for the target text [lhs, end): names ("a, b") or a
 * postfix expression ending in .attr or [key]. */
static void ev_assign(Ev *e, const char *lhs, const char *end, RtValue *value) {
    char buf[256];
    size_t n = (size_t)(end - lhs);
    memcpy(buf, lhs, n);
    buf[n] = 0;
    if (strspn(buf, "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789, ") == n) {
        bool unpack = strchr(buf, ',') != NULL;
        char *names[8];
        size_t count = 0;
        for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t && count < 8; t = strtok_r(NULL, ", ", &save))
            names[count++] = t;
        if (!unpack) {
            if (rt_dict_set_cstr(e->env, names[0], value) < 0) ev_ok(e, NULL);
            return;
        }
        RtValue *out[8];
        if (rt_unpack(value, count, -1, out) < 0) ev_ok(e, NULL);
        RtValue *held = rt_tuple_new(count);                    /* the arena owns them from here */
        for (size_t i = 0; i < count; i++) {
            if (held) RT_TUPLE_SET(held, i, out[i]);
            else rt_decref(out[i]);
        }
        ev_ok(e, held);
        for (size_t i = 0; i < count; i++)
            if (rt_dict_set_cstr(e->env, names[i], out[i]) < 0) ev_ok(e, NULL);
        return;
    }
    /* obj.attr = value / obj[key] = value: evaluate all but the last step */
    const char *saved = e->p;
    e->p = buf;
    RtValue *obj = ev_atom(e);
    for (;;) {
        const char *before = e->p;
        if (e->p[0] == '.' && !strchr(e->p + 1, '.') && !strchr(e->p, '[') && !strchr(e->p, '(')) {
            if (rt_setattr(obj, e->p + 1, value) < 0) ev_ok(e, NULL);
            break;
        }
        if (e->p[0] == '[') {
            const char *close = e->p + strlen(e->p) - 1;
            if (*close == ']') {
                RtValue *k;
                e->p++;
                k = ev_expr(e);
                if (e->p == close) {
                    if (rt_setitem(obj, k, value) < 0) ev_ok(e, NULL);
                    break;
                }
                e->p = before;
            }
        }
        if (!ev_postfix_step(e, &obj)) ev_fail(e, "bad assignment target '%s'", buf);
    }
    e->p = saved;
}

/* Runs the statements of src; the last one's value (None after an assignment). Borrowed. */
static RtValue *ev_program(Ev *e, const char *src) {
    char stmt[1024];
    RtValue *last = rt_None;
    while (*src) {
        const char *semi = strstr(src, "; ");
        size_t n = semi ? (size_t)(semi - src) : strlen(src);
        memcpy(stmt, src, n);
        stmt[n] = 0;
        src += semi ? n + 2 : n;
        const char *eq = find_assign(stmt);
        e->p = eq ? eq + 3 : stmt;
        RtValue *v = ev_expr(e);
        ev_ws(e);
        if (*e->p) ev_fail(e, "trailing text '%s'", e->p);
        if (eq) {
            ev_assign(e, stmt, eq, v);
            last = rt_None;
        } else {
            last = v;
        }
    }
    return last;
}

/* ==== rendering, as gen_stdlib_expected.py renders ================================= */

static void show(RtStrBuf *b, RtValue *v) {
    if (v->type->iternext && !rt_is_str(v)) {
        RtValue *l = rt_list_from_iter(v);
        if (!l) return;
        rt_strbuf_put_cstr(b, "iter:");
        rt_strbuf_put_repr(b, l);
        rt_decref(l);
        return;
    }
    rt_strbuf_put_repr(b, v);
}

static void show_exc(RtStrBuf *b) {
    RtValue *x = rt_exc_fetch();
    RtValue *s = rt_exc_str(x);
    rt_strbuf_putc(b, '!');
    rt_strbuf_put_cstr(b, x->type->name);
    rt_strbuf_put_cstr(b, ": ");
    if (s) rt_strbuf_put_str(b, s);
    else rt_decref(rt_exc_fetch());
    rt_xdecref(s);
    rt_decref(x);
}

/* "0x7f..." -> "0x?", in place (the text only shrinks). */
static void mask_addresses(char *s) {
    const char *hex = "0123456789abcdef";
    size_t w = 0, r = 0, n = strlen(s);
    while (r < n) {
        if (s[r] == '0' && r + 2 < n && s[r + 1] == 'x' && strchr(hex, s[r + 2])) {
            r += 2;
            while (r < n && strchr(hex, s[r])) r++;   /* read past the digits before writing */
            s[w++] = '0';
            s[w++] = 'x';
            s[w++] = '?';
        } else {
            s[w++] = s[r++];
        }
    }
    s[w] = 0;
}

/* Runs one case: the rendered text (caller frees), or NULL with err. With
 * fail_after >= 0, allocations fail after that many while the program runs
 * (rt_alloc_fail_after); the rendering of an exception always succeeds. */
static char *run_case_failing(const char *src, long fail_after, char *err, size_t errn) {
    Ev e = {.arena = rt_list_new(0), .env = rt_dict_new()};
    assert_non_null(e.arena);
    assert_non_null(e.env);
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_alloc_fail_after(fail_after);
    if (setjmp(e.fail)) {
        rt_alloc_fail_after(-1);
        if (!e.raised) {
            snprintf(err, errn, "%s", e.err);
            rt_strbuf_free(&b);
            rt_decref(e.arena);
            rt_decref(e.env);
            return NULL;
        }
        show_exc(&b);
    } else {
        RtValue *v = ev_program(&e, src);
        show(&b, v);
        rt_alloc_fail_after(-1);
        if (RT_ERR()) {
            rt_strbuf_free(&b);
            rt_strbuf_init(&b);
            show_exc(&b);
        }
    }
    rt_decref(e.arena);
    rt_decref(e.env);
    RtValue *s = rt_strbuf_finish(&b);
    assert_non_null(s);
    char *out = malloc(rt_str_nbytes(s) + 1);
    memcpy(out, rt_str_data(s), rt_str_nbytes(s) + 1);
    rt_decref(s);
    mask_addresses(out);
    return out;
}

static char *run_case(const char *src, char *err, size_t errn) { return run_case_failing(src, -1, err, errn); }

static void case_test(void **state) {
    const StdlibCase *c = *state;
    char err[300] = "";
    char *got = run_case(c->src, err, sizeof err);
    if (!got) fail_msg("harness could not run `%s`: %s", c->src, err);
    if (strcmp(got, c->expect) != 0) {
        print_error("program:  %s\nexpected: %s\nactual:   %s\n", c->src, c->expect, got);
        free(got);
        fail();
    }
    free(got);
}

/* ==== serialization ================================================================= */

static RtValue *functions[2];
static RtProgram prog = {.path = "test_stdlib.py", .functions = functions, .nfunctions = 2};

static int prog_setup(void **state) {
    (void)state;
    rt_program = &prog;
    if (!functions[0]) {
        functions[0] = rt_func_new("power", "power", h_power, 0, NULL, NULL, NULL, 0);
        functions[1] = rt_func_new("square", "square", h_square, 1, NULL, NULL, NULL, 0);
    }
    return 0;
}

static RtValue *roundtrip(RtValue *v) {
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, v), 0);
    RtValue *r = rt_ser_load(&b);
    assert_non_null(r);
    assert_int_equal(b.pos, b.len);
    rt_buf_free(&b);
    return r;
}

static char *repr_of(RtValue *v) {
    static char bufs[2][512];
    static int k;
    RtValue *r = rt_repr(v);
    assert_non_null(r);
    char *out = bufs[k++ & 1];
    snprintf(out, 512, "%s", rt_str_data(r));
    rt_decref(r);
    return out;
}

static RtValue *call1(RtValue *f, RtValue *arg) {
    RtValue *r = rt_call(f, &arg, 1, NULL);
    assert_non_null(r);
    return r;
}

static void test_partial_roundtrip(void **state) {
    (void)state;
    RtValue *two = rt_int(2), *three = rt_int(3), *kw = rt_dict_new();
    assert_int_equal(rt_dict_set_cstr(kw, "exp", three), 0);
    RtValue *p = rt_functools_partial_new(functions[0], &two, 0, kw);   /* partial(power, exp=3) */
    assert_non_null(p);
    assert_int_equal(rt_setattr(p, "note", two), 0);
    RtValue *q = roundtrip(p);
    assert_ptr_equal(q->type, &rt_functools_partial);
    assert_string_equal(repr_of(q), repr_of(p));
    RtValue *fn = rt_getattr(q, "func");
    assert_ptr_equal(fn, functions[0]);                 /* the same function, found by its table index */
    RtValue *r = call1(q, two);
    assert_string_equal(repr_of(r), "8");
    RtValue *note = rt_getattr(q, "note");
    assert_ptr_equal(note, two);
    rt_decref(note);
    rt_decref(r);
    rt_decref(fn);
    rt_decref(q);

    /* A list holding the same partial twice arrives with one object, twice. */
    RtValue *l = rt_list_from_array((RtValue *[]){p, p}, 2), *l2 = roundtrip(l);
    assert_ptr_equal(RT_LIST_GET(l2, 0), RT_LIST_GET(l2, 1));
    rt_decref(l2);
    rt_decref(l);

    /* Nested: a partial of a partial of a builtin, and one with positional args. */
    RtValue *mul = rt_builtin_new("mul", rt_operator_mul, NULL, -1);
    RtValue *pm = rt_functools_partial_new(mul, &three, 1, NULL);
    RtValue *pp = rt_functools_partial_new(pm, &two, 1, NULL);   /* flattened: partial(mul, 3, 2) */
    RtValue *pq = roundtrip(pp);
    assert_string_equal(repr_of(pq), "functools.partial(<built-in function mul>, 3, 2)");
    r = rt_call(pq, NULL, 0, NULL);
    assert_string_equal(repr_of(r), "6");
    rt_decref(r);
    rt_decref(pq);
    rt_decref(pp);
    rt_decref(pm);
    rt_decref(mul);
    rt_decref(p);
    rt_decref(kw);
    rt_decref(three);
    rt_decref(two);
}

static void test_partial_of_local_function_is_refused(void **state) {
    (void)state;
    RtValue *twice = rt_func_new("twice", "make_twice.<locals>.twice", h_twice, -1, NULL, NULL, NULL, 0);
    RtValue *p = rt_functools_partial_new(twice, NULL, 0, NULL);
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, p), -1);
    RtValue *x = rt_exc_fetch();
    assert_string_equal(x->type->name, "AttributeError");
    RtValue *s = rt_exc_str(x);
    assert_string_equal(rt_str_data(s), "Can't pickle local object 'make_twice.<locals>.twice'");
    assert_int_equal(b.len, 0);
    rt_decref(s);
    rt_decref(x);
    rt_buf_free(&b);
    rt_decref(p);
    rt_decref(twice);
}

/* Runs `src` and returns its value (new reference); the harness's env is dropped. */
static RtValue *eval_value(const char *src) {
    Ev e = {.arena = rt_list_new(0), .env = rt_dict_new()};
    if (setjmp(e.fail)) fail_msg("`%s`: %s", src, e.err);
    RtValue *v = rt_newref(ev_program(&e, src));
    rt_decref(e.arena);
    rt_decref(e.env);
    return v;
}

static void test_operator_callables_roundtrip(void **state) {
    (void)state;
    static const char *const srcs[] = {
        "operator.itemgetter(1)", "operator.itemgetter(0, 'k')", "operator.attrgetter('x.y', 'y')",
        "operator.methodcaller('split', ',', maxsplit=1)", "operator.methodcaller('upper')",
        "functools.partial(operator.itemgetter(1), [5, 6])",
    };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        RtValue *v = eval_value(srcs[i]), *r = roundtrip(v);
        assert_ptr_equal(r->type, v->type);
        assert_string_equal(repr_of(r), repr_of(v));
        rt_decref(r);
        rt_decref(v);
    }
    RtValue *g = eval_value("operator.attrgetter('x.y', 'y')"), *g2 = roundtrip(g);
    RtValue *pt = eval_value("Point(Point(1, 2), 3)"), *r = call1(g2, pt);
    assert_string_equal(repr_of(r), "(2, 3)");
    rt_decref(r);
    rt_decref(pt);
    rt_decref(g2);
    rt_decref(g);
}

static void test_lru_wrapper_roundtrip(void **state) {
    (void)state;
    RtValue *two = rt_int(2);
    RtValue *size = rt_int(4), *kwn = rt_tuple_pack(1, rt_str_const("maxsize", 7));
    RtValue *deco = rt_functools_lru_cache(NULL, &size, 0, kwn);
    assert_non_null(deco);
    RtValue *w = call1(deco, functions[1]);                   /* lru_cache(maxsize=4)(square) */
    RtValue *r = call1(w, two);
    rt_decref(r);
    RtValue *w2 = roundtrip(w);
    assert_ptr_equal(w2, w);   /* this process's wrapper of square, as pickle finds a global */
    rt_decref(w2);
    RtBuf b = RT_BUF_INIT;
    assert_int_equal(rt_ser_dump(&b, w), 0);
    rt_decref(w);                                  /* no wrapper of square left here */
    w2 = rt_ser_load(&b);
    rt_buf_free(&b);
    assert_non_null(w2);
    assert_ptr_equal(w2->type, &rt_functools__lru_cache_wrapper);
    RtValue *info = rt_call_method(w2, "cache_info", NULL, 0, NULL);
    assert_string_equal(repr_of(info), "CacheInfo(hits=0, misses=0, maxsize=4, currsize=0)");   /* fresh cache */
    rt_decref(info);
    r = call1(w2, two);
    assert_string_equal(repr_of(r), "4");
    RtValue *name = rt_getattr(w2, "__name__");
    assert_string_equal(rt_str_data(name), "square");
    rt_decref(name);
    rt_decref(r);
    rt_decref(w2);
    rt_decref(deco);
    rt_decref(kwn);
    rt_decref(size);
    rt_decref(two);
}

/* ==== a recursive function under lru_cache ========================================== */

static RtValue *fib_wrapper;   /* the global name `fib`, bound to the wrapper */

static RtValue *h_fib(RtFunc *f, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)f;
    SPEC("fib", "n");
    RtValue *a[1];
    if (bind(&spec_, args, nargs, kw, a) < 0) return NULL;
    int64_t n;
    if (rt_int_as_i64(a[0], &n) < 0) return NULL;
    if (n < 2) return rt_newref(a[0]);
    RtValue *n1 = rt_int(n - 1), *n2 = rt_int(n - 2);
    RtValue *x = rt_call(fib_wrapper, &n1, 1, NULL), *y = x ? rt_call(fib_wrapper, &n2, 1, NULL) : NULL;
    RtValue *r = y ? rt_binop(x, y, RT_ADD) : NULL;
    rt_xdecref(x);
    rt_xdecref(y);
    rt_decref(n1);
    rt_decref(n2);
    return r;
}

static void test_lru_fib(void **state) {
    (void)state;
    RtValue *fib = rt_func_new("fib", "fib", h_fib, -1, NULL, NULL, NULL, 0);
    RtValue *none = rt_None, *kwn = rt_tuple_pack(1, rt_str_const("maxsize", 7));
    RtValue *deco = rt_functools_lru_cache(NULL, &none, 0, kwn);
    fib_wrapper = call1(deco, fib);
    RtValue *n80 = rt_int(80), *n90 = rt_int(90);
    RtValue *a = call1(fib_wrapper, n80);
    RtValue *i1 = rt_call_method(fib_wrapper, "cache_info", NULL, 0, NULL);
    RtValue *b = call1(fib_wrapper, n90);
    RtValue *i2 = rt_call_method(fib_wrapper, "cache_info", NULL, 0, NULL);
    char got[512];
    snprintf(got, sizeof got, "%s ", repr_of(a));
    strncat(got, repr_of(i1), sizeof got - strlen(got) - 1);
    strncat(got, " ", sizeof got - strlen(got) - 1);
    strncat(got, repr_of(b), sizeof got - strlen(got) - 1);
    strncat(got, " ", sizeof got - strlen(got) - 1);
    strncat(got, repr_of(i2), sizeof got - strlen(got) - 1);
    assert_string_equal(got, STDLIB_FIB_EXPECT);
    rt_decref(i2);
    rt_decref(b);
    rt_decref(i1);
    rt_decref(a);
    rt_decref(n90);
    rt_decref(n80);
    RT_CLEAR(fib_wrapper);
    rt_decref(deco);
    rt_decref(kwn);
    rt_decref(fib);
}

/* A bounded cache under churn keeps exactly maxsize entries, in LRU order. */
static void test_lru_bounded_churn(void **state) {
    (void)state;
    RtValue *size = rt_int(100);
    RtValue *deco = rt_functools_lru_cache(NULL, &size, 1, NULL);
    RtValue *sq = rt_func_new("square", "square", h_square, -1, NULL, NULL, NULL, 0);
    RtValue *w = call1(deco, sq);
    for (int round = 0; round < 3; round++)
        for (int64_t i = 0; i < 1000; i++) {
            RtValue *x = rt_int(i % 150), *r = call1(w, x);
            rt_decref(r);
            rt_decref(x);
        }
    RtValue *info = rt_call_method(w, "cache_info", NULL, 0, NULL);
    assert_string_equal(repr_of(info), STDLIB_CHURN_EXPECT);
    rt_decref(info);
    rt_decref(w);
    rt_decref(sq);
    rt_decref(deco);
    rt_decref(size);
}

/* ==== memory ======================================================================= */

/* One copy of a tee runs a million items ahead: the other keeps ~17500 links
 * alive, released link by link when it goes. */
static void test_tee_long_buffer(void **state) {
    (void)state;
    RtValue *range = rt_range_new(0, 1000000, 1), *two = rt_int(2);
    RtValue *args[2] = {range, two};
    RtValue *pair = rt_itertools_tee(NULL, args, 2, NULL);
    assert_non_null(pair);
    RtValue *a = rt_newref(RT_TUPLE_GET(pair, 0)), *b = rt_newref(RT_TUPLE_GET(pair, 1)), *x;
    rt_decref(pair);
    int64_t n = 0;
    while ((x = rt_iter_next(a))) { n++; rt_decref(x); }
    assert_int_equal(n, 1000000);
    x = rt_iter_next(b);
    assert_string_equal(repr_of(x), "0");
    rt_decref(x);
    rt_decref(a);
    rt_decref(b);     /* frees the chain without deep recursion */
    rt_decref(two);
    rt_decref(range);
}

/* Allocation failures at every point: a MemoryError or the right answer, never a crash or a leak. */
static void test_allocation_failures(void **state) {
    (void)state;
    static const char *const srcs[] = {
        "groups(itertools.groupby('aabbbc'))", "list(itertools.product('ab', range(3), repeat=2))",
        "list(itertools.permutations('abcd', 3))", "list(itertools.combinations_with_replacement('abc', 2))",
        "a, b = itertools.tee(range(100)); [list(a), list(b)]", "list(itertools.zip_longest('ab', 'xyz'))",
        "f = functools.lru_cache(maxsize=2)(square); [f(1), f(2), f(3), f(1)]; f.cache_info()",
        "functools.partial(power, exp=2)(3)", "repr(functools.partial(power, 1, exp=[2]))",
        "sorted([(1, 'b'), (0, 'a')], key=operator.itemgetter(1))", "operator.methodcaller('split', ',')('a,b')",
        "string.capwords(' a b ')", "functools.reduce(operator.add, [[1], [2]])",
        "V = functools.total_ordering(make_V('__lt__', '__eq__')); V(1) >= V(2)",
        "t = make_twice(); functools.wraps(square)(t).__name__",
        "list(itertools.accumulate(itertools.chain([1], (2, 3)), initial=1))",
    };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        char err[300];
        char *want = run_case(srcs[i], err, sizeof err);
        assert_non_null(want);
        for (long n = 0; n < 5000; n++) {
            char *got = run_case_failing(srcs[i], n, err, sizeof err);
            if (!got) fail_msg("`%s` with %ld allocations: %s", srcs[i], n, err);
            bool done = strcmp(got, want) == 0;
            if (!done && strncmp(got, "!MemoryError", 12) != 0)
                fail_msg("`%s` with %ld allocations: %s", srcs[i], n, got);
            free(got);
            if (done) break;
        }
        free(want);
    }
}

/* ==== main ============================================================================ */

int main(void) {
    made_classes = rt_list_new(4096);
    size_t n = sizeof stdlib_cases / sizeof stdlib_cases[0];
    struct CMUnitTest *cases = calloc(n, sizeof *cases);
    char **names = calloc(n, sizeof *names);
    const char *only = getenv("STDLIB_ONLY");
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        names[i] = malloc(64);
        snprintf(names[i], 64, "%s:%zu", stdlib_cases[i].family, i);
        if (only && strncmp(names[i], only, strlen(only)) != 0) continue;
        cases[kept].name = names[i];
        cases[kept].test_func = case_test;
        cases[kept].initial_state = (void *)&stdlib_cases[i];
        kept++;
    }
    int failed = kept ? _cmocka_run_group_tests("stdlib_cases", cases, kept, NULL, NULL) : 0;
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(cases);
    if (only) return failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_partial_roundtrip, prog_setup),
        cmocka_unit_test_setup(test_partial_of_local_function_is_refused, prog_setup),
        cmocka_unit_test_setup(test_operator_callables_roundtrip, prog_setup),
        cmocka_unit_test_setup(test_lru_wrapper_roundtrip, prog_setup),
        cmocka_unit_test(test_lru_fib),
        cmocka_unit_test(test_lru_bounded_churn),
        cmocka_unit_test(test_tee_long_buffer),
        cmocka_unit_test(test_allocation_failures),
    };
    return failed + cmocka_run_group_tests_name("stdlib", tests, NULL, NULL);
}

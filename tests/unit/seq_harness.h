/* seq_harness.h: runs the CPython-generated cases of seq_expected.h against
 * the runtime (shared by test_str.c, test_list.c, ... one family each).
 *
 * Each case names an operation on values written as Python source
 * ("set([3, 1, 2])", "'caf\xe9'.split()"...). A small evaluator turns that
 * source into runtime values: literals, containers, unary minus, + - * **,
 * calls, attribute and method access, subscripts. The case's result is
 * rendered exactly as gen_seq_expected.py renders CPython's, and compared.
 * Every case is its own cmocka test, named family:index:op, so a failure
 * names the exact case; its detail shows the source, expected and actual.
 */
#ifndef SEQ_HARNESS_H
#define SEQ_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mp2c.h"
#include "seq_expected.h"

/* ==== helper functions the generator also defines ============================ */

static RtValue *h_neg(RtValue *s, RtValue *const *a, size_t n, RtValue *k) {
    (void)s; (void)n; (void)k;
    return rt_unary(a[0], RT_NEG);
}
static RtValue *h_first(RtValue *s, RtValue *const *a, size_t n, RtValue *k) {
    (void)s; (void)n; (void)k;
    RtValue *i = rt_int(0), *r = rt_getitem(a[0], i);
    rt_decref(i);
    return r;
}
static RtValue *h_second(RtValue *s, RtValue *const *a, size_t n, RtValue *k) {
    (void)s; (void)n; (void)k;
    RtValue *i = rt_int(1), *r = rt_getitem(a[0], i);
    rt_decref(i);
    return r;
}
static RtValue *h_mod3(RtValue *s, RtValue *const *a, size_t n, RtValue *k) {
    (void)s; (void)n; (void)k;
    RtValue *i = rt_int(3), *r = rt_binop(a[0], i, RT_MOD);
    rt_decref(i);
    return r;
}
static RtValue *h_isodd(RtValue *s, RtValue *const *a, size_t n, RtValue *k) {
    (void)s; (void)n; (void)k;
    RtValue *two = rt_int(2), *one = rt_int(1), *m = rt_binop(a[0], two, RT_MOD);
    RtValue *r = m ? rt_richcompare(m, one, RT_EQ) : NULL;
    rt_decref(two); rt_decref(one); rt_xdecref(m);
    return r;
}
static RtValue *h_lower(RtValue *s, RtValue *const *a, size_t n, RtValue *k) {
    (void)s; (void)n; (void)k;
    return rt_call_method(a[0], "lower", NULL, 0, NULL);
}

static RtValue *h_point;   /* namedtuple('Point', 'x y'), made once */

/* A named value: borrowed (types, helpers) or NULL. */
static RtValue *h_name(const char *name) {
    static struct { const char *name; RtNativeFn fn; RtValue *obj; } helpers[] = {
        {"neg", h_neg, NULL}, {"first", h_first, NULL}, {"second", h_second, NULL},
        {"mod3", h_mod3, NULL}, {"isodd", h_isodd, NULL}, {"lower", h_lower, NULL},
        {"namedtuple", rt_collections_namedtuple, NULL},
    };
    static const struct { const char *name; RtType *type; } types[] = {
        {"list", &rt_type_list}, {"tuple", &rt_type_tuple}, {"dict", &rt_type_dict},
        {"set", &rt_type_set}, {"frozenset", &rt_type_frozenset}, {"str", &rt_type_str},
        {"bytes", &rt_type_bytes}, {"bytearray", &rt_type_bytearray}, {"range", &rt_type_range},
        {"slice", &rt_type_slice}, {"int", &rt_type_int}, {"float", &rt_type_float},
        {"bool", &rt_type_bool}, {"Counter", &rt_collections_Counter},
        {"deque", &rt_collections_deque}, {"defaultdict", &rt_collections_defaultdict},
        {"enumerate", &rt_type_enumerate}, {"zip", &rt_type_zip}, {"map", &rt_type_map},
        {"filter", &rt_type_filter}, {"reversed", &rt_type_reversed},
    };
    if (!strcmp(name, "None")) return rt_None;
    if (!strcmp(name, "True")) return rt_True;
    if (!strcmp(name, "False")) return rt_False;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(name, types[i].name)) return (RtValue *)types[i].type;
    for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++) {
        if (strcmp(name, helpers[i].name)) continue;
        if (!helpers[i].obj) {
            helpers[i].obj = rt_builtin_new(helpers[i].name, helpers[i].fn, NULL, -1);
            helpers[i].obj->rc = RT_IMMORTAL;
        }
        return helpers[i].obj;
    }
    if (!strcmp(name, "Point")) {
        if (!h_point) {
            RtValue *a[2] = {rt_str_from_cstr("Point"), rt_str_from_cstr("x y")};
            h_point = rt_collections_namedtuple(NULL, a, 2, NULL);
            rt_decref(a[0]);
            rt_decref(a[1]);
        }
        return h_point;
    }
    int bi = rt_builtin_index(name);
    return bi >= 0 ? rt_builtin_get(bi) : NULL;
}

/* ==== a tiny evaluator for the cases' Python source ============================= */

typedef struct Ev {
    const char *p;
    jmp_buf     fail;
    char        err[200];
    bool        raised;     /* the failure is a Python exception, left pending */
    bool        cst;        /* the expression just parsed is a constant to CPython's compiler */
    RtValue    *arena;      /* an extra reference to every value built, dropped at the end, so
                               that a longjmp out of a half-built value leaks nothing */
} Ev;

static void ev_fail(Ev *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->err, sizeof e->err, fmt, ap);
    va_end(ap);
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
/* Every value the evaluator builds is owned by e->arena and handed around
 * borrowed; containers take their own references. So a longjmp out of a
 * half-built expression leaks nothing: releasing the arena frees it all. A
 * Python exception stays pending and becomes the case's result, as in the
 * generator (which evaluates inside its try). */
static RtValue *ev_ok(Ev *e, RtValue *v) {
    if (!v) {
        e->raised = true;
        snprintf(e->err, sizeof e->err, "raised");
        longjmp(e->fail, 1);
    }
    if (rt_list_append_steal(e->arena, v) < 0) abort();
    return v;
}

static RtValue *ev_expr(Ev *e);

/* 'text' / "text" / b'...' with Python's escapes, as str or bytes. */
static RtValue *ev_string(Ev *e, bool is_bytes) {
    char q = *e->p++;
    RtStrBuf b;
    rt_strbuf_init(&b);
    unsigned char raw[4096];
    size_t nraw = 0;
    while (*e->p && *e->p != q) {
        uint32_t c = (unsigned char)*e->p++;
        if (c == '\\') {
            char k = *e->p++;
            int digits = 0;
            switch (k) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case '0': c = 0; break;
            case 'x': digits = 2; break;
            case 'u': digits = 4; break;
            case 'U': digits = 8; break;
            default: c = (unsigned char)k;
            }
            if (digits) {
                char hex[9] = {0};
                memcpy(hex, e->p, (size_t)digits);
                e->p += digits;
                c = (uint32_t)strtoul(hex, NULL, 16);
            }
            if (is_bytes) raw[nraw++] = (unsigned char)c;
            else rt_strbuf_put_cp(&b, c);
        } else if (is_bytes) {
            raw[nraw++] = (unsigned char)c;
        } else if (c < 0x80) {
            rt_strbuf_putc(&b, (char)c);
        } else {                                  /* copy a UTF-8 sequence */
            const char *start = e->p - 1;
            while (((unsigned char)*e->p & 0xC0) == 0x80) e->p++;
            rt_strbuf_put(&b, start, (size_t)(e->p - start), 1);
        }
    }
    if (*e->p != q) { rt_strbuf_free(&b); ev_fail(e, "unterminated string"); }
    e->p++;
    e->cst = true;
    if (is_bytes) {
        rt_strbuf_free(&b);
        return ev_ok(e, rt_bytes_new(raw, nraw));
    }
    return ev_ok(e, rt_strbuf_finish(&b));
}

static RtValue *ev_number(Ev *e) {
    const char *s = e->p;
    e->cst = true;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        long long v = strtoll(s, (char **)&e->p, 16);
        return ev_ok(e, rt_int(v));
    }
    size_t n = strspn(s, "0123456789");
    if (s[n] == '.' || s[n] == 'e' || s[n] == 'E') {
        double d = strtod(s, (char **)&e->p);
        return ev_ok(e, rt_float(d));
    }
    char digits[64];
    memcpy(digits, s, n);
    digits[n] = 0;
    e->p += n;
    return ev_ok(e, n > 18 ? rt_int_from_digits(digits) : rt_int(strtoll(digits, NULL, 10)));
}

/* Items up to `close`, separated by commas; *trailing reports "(x,)";
 * e->cst tells whether every item is a constant. */
static RtValue *ev_items(Ev *e, const char *close, bool *trailing) {
    RtValue *list = ev_ok(e, rt_list_new(0));
    bool all_const = true;
    *trailing = false;
    while (!ev_eat(e, close)) {
        RtValue *v = ev_expr(e);
        all_const &= e->cst;
        if (rt_list_append(list, v) < 0) ev_fail(e, "append");
        if (!ev_eat(e, ",")) { ev_need(e, close); break; }
        *trailing = true;
    }
    if (RT_LIST_LEN(list) != 1) *trailing = RT_LIST_LEN(list) > 0;
    e->cst = all_const;
    return list;
}

/* A call vector: positional values, then keyword values named by kwnames. */
typedef struct { RtValue *argv[48]; size_t n; RtValue *kwnames; } CallVec;

static void cv_free(CallVec *cv) {
    size_t nk = cv->kwnames ? RT_TUPLE_LEN(cv->kwnames) : 0;
    for (size_t i = 0; i < cv->n + nk; i++) rt_decref(cv->argv[i]);
    rt_xdecref(cv->kwnames);
}

static RtValue *h_method(RtValue *recv, const char *name, CallVec *cv);

/* Parses call arguments up to ')' into cv; the values stay arena-owned. */
static void ev_args(Ev *e, CallVec *cv) {
    RtValue *names[16], *kwv[16];
    size_t n = 0, nk = 0;
    while (!ev_eat(e, ")")) {
        ev_ws(e);
        size_t idlen = strspn(e->p, "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        if (idlen && e->p[idlen] == '=' && e->p[idlen + 1] != '=') {
            names[nk] = ev_ok(e, rt_str_new(e->p, idlen));
            e->p += idlen + 1;
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

/* f(args) or self.meth(args). */
static RtValue *ev_call(Ev *e, RtValue *f, RtValue *self_for_method, const char *meth) {
    CallVec cv;
    ev_args(e, &cv);
    return ev_ok(e, meth ? h_method(self_for_method, meth, &cv) : rt_call(f, cv.argv, cv.n, cv.kwnames));
}

static RtValue *ev_atom(Ev *e) {
    ev_ws(e);
    char c = *e->p;
    if (c == '\'' || c == '"') return ev_string(e, false);
    if (c == 'b' && (e->p[1] == '\'' || e->p[1] == '"')) { e->p++; return ev_string(e, true); }
    if (c >= '0' && c <= '9') return ev_number(e);
    if (c == '(') {                               /* a constant tuple stays constant */
        e->p++;
        bool trailing;
        RtValue *items = ev_items(e, ")", &trailing);
        if (RT_LIST_LEN(items) == 1 && !trailing) return RT_LIST_GET(items, 0);
        return ev_ok(e, rt_tuple_from_iter(items));
    }
    if (c == '[') {
        e->p++;
        bool trailing;
        RtValue *l = ev_items(e, "]", &trailing);
        e->cst = false;
        return l;
    }
    if (c == '{') {
        e->p++;
        if (ev_eat(e, "}")) { e->cst = false; return ev_ok(e, rt_dict_new()); }
        const char *start = e->p;
        RtValue *first = ev_expr(e);
        if (ev_eat(e, ":")) {                         /* dict display */
            RtValue *d = ev_ok(e, rt_dict_new());
            if (rt_dict_set(d, first, ev_expr(e)) < 0) ev_fail(e, "dict set");
            while (ev_eat(e, ",")) {
                if (ev_eat(e, "}")) { e->cst = false; return d; }
                RtValue *k = ev_expr(e);
                ev_need(e, ":");
                if (rt_dict_set(d, k, ev_expr(e)) < 0) ev_fail(e, "dict set");
            }
            ev_need(e, "}");
            e->cst = false;
            return d;
        }
        e->p = start;                                 /* set display: parse the items again */
        bool trailing;
        RtValue *items = ev_items(e, "}", &trailing);
        RtValue *s = e->cst ? rt_set_display_const(((RtList *)items)->items, RT_LIST_LEN(items))
                            : rt_set_from_iter(items);
        e->cst = false;
        return ev_ok(e, s);
    }
    size_t n = strspn(e->p, "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    if (!n) ev_fail(e, "unexpected '%s'", e->p);
    char name[64];
    memcpy(name, e->p, n);
    name[n] = 0;
    e->p += n;
    RtValue *v = h_name(name);                        /* static or immortal */
    if (!v) ev_fail(e, "unknown name '%s'", name);
    e->cst = v == rt_None || v == rt_True || v == rt_False;
    return v;
}

static RtValue *ev_postfix(Ev *e) {
    RtValue *v = ev_atom(e);
    bool cst = e->cst;
    for (;;) {
        e->cst = cst;
        if (ev_eat(e, "(")) {
            v = ev_call(e, v, NULL, NULL);
            cst = false;
        } else if (ev_eat(e, "[")) {
            cst = false;
            RtValue *k = ev_expr(e);
            ev_need(e, "]");
            v = ev_ok(e, rt_getitem(v, k));
        } else if (ev_eat(e, ".")) {
            cst = false;
            size_t n = strspn(e->p, "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
            char name[64];
            memcpy(name, e->p, n);
            name[n] = 0;
            e->p += n;
            v = ev_eat(e, "(") ? ev_call(e, NULL, v, name) : ev_ok(e, rt_getattr(v, name));
        } else {
            e->cst = cst;
            return v;
        }
    }
}

static RtValue *ev_unary(Ev *e);

static RtValue *ev_power(Ev *e) {
    RtValue *v = ev_postfix(e);
    bool cst = e->cst;
    if (ev_eat(e, "**")) {
        RtValue *w = ev_unary(e);
        e->cst &= cst;                            /* constant folding */
        return ev_ok(e, rt_binop(v, w, RT_POW));
    }
    return v;
}

static RtValue *ev_unary(Ev *e) {
    if (ev_eat(e, "-")) return ev_ok(e, rt_unary(ev_unary(e), RT_NEG));
    return ev_power(e);
}

static RtValue *ev_term(Ev *e) {
    RtValue *v = ev_unary(e);
    for (;;) {
        bool cst = e->cst;
        ev_ws(e);
        if (e->p[0] == '*' && e->p[1] != '*' && e->p[1] != '=') {
            e->p++;
            RtValue *w = ev_unary(e);
            e->cst &= cst;
            v = ev_ok(e, rt_binop(v, w, RT_MUL));
        } else {
            return v;
        }
    }
}

static RtValue *ev_expr(Ev *e) {
    RtValue *v = ev_term(e);
    for (;;) {
        bool cst = e->cst;
        RtBinOp op;
        if (ev_eat(e, "+")) op = RT_ADD;
        else if (ev_eat(e, "- ")) op = RT_SUB;
        else return v;
        RtValue *w = ev_term(e);
        e->cst &= cst;
        v = ev_ok(e, rt_binop(v, w, op));
    }
}

/* Evaluates source text: a new reference, or NULL with the reason in err
 * (with a Python exception pending when the evaluation raised: *raised). */
static RtValue *h_eval(const char *src, char *err, size_t errn, bool *raised) {
    Ev e = {.p = src, .arena = rt_list_new(0)};
    *raised = false;
    if (setjmp(e.fail)) {
        snprintf(err, errn, "%s", e.err);
        *raised = e.raised;
        RtValue *x = e.raised ? rt_exc_fetch() : NULL;   /* keep it across the arena's release */
        rt_decref(e.arena);
        if (x) rt_exc_restore(x);
        return NULL;
    }
    RtValue *v = rt_newref(ev_expr(&e));
    rt_decref(e.arena);
    ev_ws(&e);
    if (*e.p) {
        rt_decref(v);
        snprintf(err, errn, "trailing text '%s'", e.p);
        return NULL;
    }
    return v;
}

/* ==== rendering results as the generator does ==================================== */

/* Appends repr(v), or "iter:" + repr(list(v)) for iterators. */
static void h_show(RtStrBuf *b, RtValue *v) {
    if (v->type->iternext && !rt_is_str(v)) {
        RtValue *l = rt_list_from_iter(v);
        if (!l) return;
        rt_strbuf_put_cstr(b, "iter:");
        if (rt_strbuf_put_repr(b, l) < 0) b->failed = false;
        rt_decref(l);
        return;
    }
    RtValue *r = rt_repr(v);
    if (r) {
        rt_strbuf_put_str(b, r);
        rt_decref(r);
    }
}

/* Appends "!Type: message" for the pending exception and clears it. */
static void h_show_exc(RtStrBuf *b) {
    RtValue *x = rt_exc_fetch();
    RtValue *s = x ? rt_exc_str(x) : NULL;
    rt_strbuf_putc(b, '!');
    rt_strbuf_put_cstr(b, x ? x->type->name : "?");
    rt_strbuf_put_cstr(b, ": ");
    if (s) rt_strbuf_put_str(b, s);
    else if (RT_ERR()) rt_decref(rt_exc_fetch());
    rt_xdecref(s);
    rt_xdecref(x);
}

/* Result or exception, then " | repr(recv)" when `recv` is given. */
static void h_result(RtStrBuf *b, RtValue *res, RtValue *recv) {
    bool ok = res != NULL;
    if (res) { h_show(b, res); rt_decref(res); }
    else h_show_exc(b);
    if (RT_ERR()) h_show_exc(b);
    if (recv && ok) {
        rt_strbuf_put_cstr(b, " | ");
        RtValue *r = rt_repr(recv);
        if (r) { rt_strbuf_put_str(b, r); rt_decref(r); }
        else h_show_exc(b);
    }
}

/* Splits a (args, kwargs) pair of evaluated values into a call vector. */
static void cv_build(CallVec *cv, RtValue *args, RtValue *kwargs) {
    cv->n = 0;
    cv->kwnames = NULL;
    RtValue *t = rt_tuple_from_iter(args);
    for (size_t i = 0; i < RT_TUPLE_LEN(t); i++) cv->argv[cv->n++] = rt_newref(RT_TUPLE_GET(t, i));
    rt_decref(t);
    size_t nk = rt_dict_len(kwargs), pos = 0, i = 0;
    if (nk) {
        cv->kwnames = rt_tuple_new(nk);
        RtValue *k, *v;
        while (rt_dict_next(kwargs, &pos, &k, &v)) {
            RT_TUPLE_SET(cv->kwnames, i++, rt_newref(k));
            cv->argv[cv->n + i - 1] = rt_newref(v);
        }
    }
}

static RtValue *h_method(RtValue *recv, const char *name, CallVec *cv) {
    if (!strcmp(name, "__setitem__"))
        return rt_setitem(recv, cv->argv[0], cv->argv[1]) < 0 ? NULL : rt_None;
    if (!strcmp(name, "__delitem__")) return rt_delitem(recv, cv->argv[0]) < 0 ? NULL : rt_None;
    if (!strcmp(name, "__getitem__")) return rt_getitem(recv, cv->argv[0]);
    if (!strcmp(name, "__contains__")) {
        int r = rt_contains(recv, cv->argv[0]);
        return r < 0 ? NULL : rt_bool(r);
    }
    return rt_call_method(recv, name, cv->argv, cv->n, cv->kwnames);
}

static RtValue *h_binary(RtValue *a, const char *sym, RtValue *b, bool *inplace) {
    static const struct { const char *sym; RtBinOp op; } bin[] = {
        {"+", RT_ADD}, {"-", RT_SUB}, {"*", RT_MUL}, {"%", RT_MOD}, {"|", RT_OR}, {"&", RT_AND}, {"^", RT_XOR},
    };
    static const struct { const char *sym; RtCmpOp op; } cmp[] = {
        {"<", RT_LT}, {"<=", RT_LE}, {"==", RT_EQ}, {"!=", RT_NE}, {">", RT_GT}, {">=", RT_GE},
    };
    *inplace = false;
    for (size_t i = 0; i < sizeof bin / sizeof bin[0]; i++) {
        if (!strcmp(sym, bin[i].sym)) return rt_binop(a, b, bin[i].op);
        if (sym[strlen(sym) - 1] == '=' && strlen(sym) == 2 && sym[0] == bin[i].sym[0]) {
            *inplace = true;
            return rt_inplace_binop(a, b, bin[i].op);
        }
    }
    for (size_t i = 0; i < sizeof cmp / sizeof cmp[0]; i++)
        if (!strcmp(sym, cmp[i].sym)) return rt_richcompare(a, b, cmp[i].op);
    if (!strcmp(sym, "in")) {
        int r = rt_contains(a, b);
        return r < 0 ? NULL : rt_bool(r);
    }
    if (!strcmp(sym, "[]")) return rt_getitem(a, b);
    return rt_raise_fmt(&rt_exc_RuntimeError, "harness: unknown operator %s", sym);
}

/* The buffer's text as a malloc'd C string (cmocka's allocator under
 * UNIT_TESTING, so no strdup). */
static char *h_finish(RtStrBuf *b) {
    RtValue *s = rt_strbuf_finish(b);
    const char *text = s ? rt_str_data(s) : "<strbuf failed>";
    size_t n = strlen(text);
    char *out = malloc(n + 1);
    memcpy(out, text, n + 1);
    rt_xdecref(s);
    return out;
}

/* recv.m1(a); recv.m2(b); ... each result (or exception) in turn. */
static char *h_run_seq(const SeqCase *c, char *err, size_t errn) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    bool raised;
    RtValue *recv = h_eval(c->recv, err, errn, &raised);
    if (!recv) {
        if (!raised) return NULL;
        h_show_exc(&b);
        return h_finish(&b);
    }
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", c->name);
    bool first = true;
    for (char *save = NULL, *part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        char *paren = strchr(part, '(');
        *paren = 0;
        Ev e = {.p = paren + 1, .arena = rt_list_new(0)};
        CallVec cv;
        if (setjmp(e.fail)) {
            snprintf(err, errn, "%s", e.err);
            if (RT_ERR()) rt_decref(rt_exc_fetch());
            rt_decref(e.arena);
            rt_decref(recv);
            rt_strbuf_free(&b);
            return NULL;
        }
        ev_args(&e, &cv);
        if (!first) rt_strbuf_put_cstr(&b, ", ");
        first = false;
        h_result(&b, h_method(recv, part, &cv), NULL);
        rt_decref(e.arena);                        /* owns the arguments */
    }
    rt_strbuf_put_cstr(&b, " | ");
    RtValue *r = rt_repr(recv);
    if (r) { rt_strbuf_put_str(&b, r); rt_decref(r); }
    else h_show_exc(&b);
    rt_decref(recv);
    return h_finish(&b);
}

/* Runs one case; returns the rendered text (caller frees) or NULL + err. */
static char *h_run(const SeqCase *c, char *err, size_t errn) {
    if (!strcmp(c->op, "seq")) return h_run_seq(c, err, errn);
    RtStrBuf b;
    rt_strbuf_init(&b);
    RtValue *recv = NULL, *args = NULL, *kwargs = NULL;
    bool raised = false;
    if (!(recv = h_eval(c->recv, err, errn, &raised)) || !(args = h_eval(c->args, err, errn, &raised)) ||
        !(kwargs = h_eval(c->kwargs, err, errn, &raised))) {
        rt_xdecref(recv);
        rt_xdecref(args);
        if (!raised) { rt_strbuf_free(&b); return NULL; }
        h_show_exc(&b);
        return h_finish(&b);
    }
    if (!strcmp(c->op, "m") || !strcmp(c->op, "b")) {
        CallVec cv;
        cv_build(&cv, args, kwargs);
        if (!strcmp(c->op, "m")) {
            h_result(&b, h_method(recv, c->name, &cv), recv);
        } else {
            RtValue *f = h_name(c->name);
            h_result(&b, f ? rt_call(f, cv.argv, cv.n, cv.kwnames)
                           : rt_raise_fmt(&rt_exc_NameError, "harness: no '%s'", c->name), NULL);
        }
        cv_free(&cv);
    } else if (!strcmp(c->op, "op")) {
        bool inplace;
        RtValue *r = h_binary(recv, c->name, args, &inplace);
        h_result(&b, r, inplace ? recv : NULL);
    } else if (!strcmp(c->op, "repr")) {
        h_result(&b, rt_newref(recv), NULL);
    } else if (!strcmp(c->op, "str")) {
        RtValue *s = rt_str(recv);
        if (s) { rt_strbuf_put_str(&b, s); rt_decref(s); }
        else h_show_exc(&b);
    } else if (!strcmp(c->op, "hash")) {
        int64_t h;
        if (rt_hash(recv, &h) < 0) h_show_exc(&b);
        else { char num[32]; snprintf(num, sizeof num, "%lld", (long long)h); rt_strbuf_put_cstr(&b, num); }
    } else if (!strcmp(c->op, "setitem") || !strcmp(c->op, "delitem")) {
        int rc = !strcmp(c->op, "setitem") ? rt_setitem(recv, RT_TUPLE_GET(args, 0), RT_TUPLE_GET(args, 1))
                                           : rt_delitem(recv, args);
        if (rc < 0) {
            h_show_exc(&b);
        } else {
            RtValue *r = rt_repr(recv);
            if (r) { rt_strbuf_put_str(&b, r); rt_decref(r); }
            else h_show_exc(&b);
        }
    } else {
        snprintf(err, errn, "unknown op %s", c->op);
    }
    rt_decref(recv);
    rt_decref(args);
    rt_decref(kwargs);
    return h_finish(&b);
}

/* ==== cmocka glue ================================================================= */

static void h_case_test(void **state) {
    const SeqCase *c = *state;
    char err[300] = "";
    char *got = h_run(c, err, sizeof err);
    if (RT_ERR()) rt_decref(rt_exc_fetch());
    if (!got) fail_msg("harness could not run %s %s %s %s: %s", c->op, c->recv, c->name, c->args, err);
    if (strcmp(got, c->expect) != 0) {
        print_error("case: %s | %s | %s | %s | %s\n  expected: %s\n  actual:   %s\n", c->op, c->recv, c->name,
                    c->args, c->kwargs, c->expect, got);
        free(got);
        fail();
    }
    free(got);
}

static int h_case_setup(void **state) { (void)state; return 0; }

/* Runs every case of one family as its own test (SEQ_ONLY=prefix narrows
 * the run to the cases whose name starts with prefix, for debugging). */
static int h_run_family(const char *family, const SeqCase *cases, size_t n) {
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    char **names = calloc(n, sizeof *names);
    const char *only = getenv("SEQ_ONLY");
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        names[i] = malloc(64);
        snprintf(names[i], 64, "%s:%zu:%s:%.20s", family, i, cases[i].op, cases[i].name[0] ? cases[i].name : "-");
        for (char *p = names[i]; *p; p++)
            if (*p == ' ' || *p == '(' || *p == ')' || *p == ';') *p = '_';
        if (only && strncmp(names[i], only, strlen(only)) != 0) continue;
        tests[kept].name = names[i];
        tests[kept].test_func = h_case_test;
        tests[kept].setup_func = h_case_setup;
        tests[kept].initial_state = (void *)&cases[i];
        kept++;
    }
    int failed = kept ? _cmocka_run_group_tests(family, tests, kept, NULL, NULL) : 0;
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(tests);
    return failed;
}

#define H_RUN_FAMILY(fam) h_run_family(#fam, fam##_cases, sizeof fam##_cases / sizeof fam##_cases[0])

#endif

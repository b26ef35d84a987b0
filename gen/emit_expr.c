/* emit_expr.c: expressions (Lang. Ref. 6) to C.
 *
 * em_expr returns a Val: a C expression plus its representation. Boxed
 * values are either borrowed (a variable, a constant) or owned temporaries
 * that the consumer releases. Where inference proved the operand types the
 * code is plain C on int64_t/double/bool with CPython's semantics kept by
 * checked helpers (overflow, floor division, ZeroDivisionError); elsewhere it
 * calls the runtime's generic protocol (rt_binop, rt_call, rt_getattr, ...).
 */
#include "emit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static Val val(const char *c, Rep rep, bool owned) { return (Val){c, rep, owned}; }

static const char *fmt(Em *e, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(Em *e, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    Str s = {0};
    str_vprintf(&s, f, ap);
    va_end(ap);
    const char *r = ar_strndup(e->a, str_cstr(&s), s.len);
    str_free(&s);
    return r;
}

static Val slice_obj(Em *e, Node *n);

void em_check_null(Em *e, const char *c) { out_line(e->out, "if (!%s) goto %s;", c, em_err(e)); }
void em_check_neg(Em *e, const char *c) { out_line(e->out, "if (%s < 0) goto %s;", c, em_err(e)); }
static void check_err(Em *e) { out_line(e->out, "if (RT_ERR()) goto %s;", em_err(e)); }

void em_release(Em *e, Val v) {
    if (v.rep == REP_OBJ && v.owned) out_line(e->out, "RT_CLEAR(%s);", v.c);
}

static Type *ty_of(Node *n) { return n->ty ? n->ty : ty_any(); }

/* A shared Value whose .value inference typed: Rep of .value, or REP_OBJ. */
static Rep shared_value_rep(const Type *t) {
    if (t->kind != TY_NATIVE || !t->name) return REP_OBJ;
    const char *k = strchr(t->name, ':');
    if (!k || (strncmp(t->name, "Value:", 6) != 0 && strncmp(t->name, "RawValue:", 9) != 0)) return REP_OBJ;
    return strcmp(k + 1, "i64") == 0 ? REP_I64 : REP_F64;
}
static bool is_small_int(const Type *t) { return t->kind == TY_INT && !t->big; }
static bool is_intlike(const Type *t) { return is_small_int(t) || t->kind == TY_BOOL; }
static bool is_numeric(const Type *t) { return is_intlike(t) || t->kind == TY_FLOAT; }

/* ==== conversions between representations ====================================== */

Val em_to(Em *e, Val v, Rep rep) {
    if (v.rep == rep) return v;
    const char *t;
    switch (rep) {
    case REP_OBJ:
        switch (v.rep) {
        case REP_BOOL: return val(fmt(e, "rt_bool(%s)", v.c), REP_OBJ, false);
        case REP_I64:
            t = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = rt_int(%s);", t, v.c);
            em_check_null(e, t);
            return val(t, REP_OBJ, true);
        case REP_F64:
            t = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = rt_float(%s);", t, v.c);
            em_check_null(e, t);
            return val(t, REP_OBJ, true);
        default: break;
        }
        break;
    case REP_I64:
        if (v.rep == REP_BOOL) return val(fmt(e, "(int64_t)%s", v.c), REP_I64, false);
        if (v.rep == REP_OBJ) {
            t = em_tmp(e, REP_I64);
            out_line(e->out, "if (rt_int_as_i64(%s, &%s) < 0) goto %s;", v.c, t, em_err(e));
            em_release(e, v);
            return val(t, REP_I64, false);
        }
        break;   /* F64 -> I64 never happens implicitly */
    case REP_F64:
        if (v.rep == REP_I64 || v.rep == REP_BOOL) return val(fmt(e, "(double)%s", v.c), REP_F64, false);
        if (v.rep == REP_OBJ) {
            t = em_tmp(e, REP_F64);
            out_line(e->out, "if (rt_as_double(%s, &%s) < 0) goto %s;", v.c, t, em_err(e));
            em_release(e, v);
            return val(t, REP_F64, false);
        }
        break;
    case REP_BOOL:
        if (v.rep == REP_OBJ) {
            t = em_tmp(e, REP_BOOL);
            out_line(e->out, "%s = %s == rt_True;", t, v.c);
            em_release(e, v);
            return val(t, REP_BOOL, false);
        }
        if (v.rep == REP_I64) return val(fmt(e, "(%s != 0)", v.c), REP_BOOL, false);
        if (v.rep == REP_F64) return val(fmt(e, "(%s != 0.0)", v.c), REP_BOOL, false);
        break;
    }
    return v;
}

Val em_to_owned(Em *e, Val v) {
    v = em_to(e, v, REP_OBJ);
    if (v.owned) return v;
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_newref(%s);", t, v.c);
    return val(t, REP_OBJ, true);
}

/* A value in a temporary of its own, so it survives later statements. */
static Val materialize(Em *e, Val v) {
    if (v.rep == REP_OBJ) return v.owned ? v : em_to_owned(e, v);
    const char *t = em_tmp(e, v.rep);
    out_line(e->out, "%s = %s;", t, v.c);
    return val(t, v.rep, false);
}

Val em_expr_as(Em *e, Node *n, Rep rep) { return em_to(e, em_expr(e, n), rep); }

/* The truth of v as a C condition; releases v. */
static const char *truth(Em *e, Val v) {
    switch (v.rep) {
    case REP_BOOL: return v.c;
    case REP_I64: return fmt(e, "(%s != 0)", v.c);
    case REP_F64: return fmt(e, "(%s != 0.0)", v.c);
    case REP_OBJ: {
        const char *t = em_tmp(e, REP_BOOL);
        const char *r = em_tmp(e, REP_I64);
        out_line(e->out, "%s = rt_truthy(%s);", r, v.c);
        em_release(e, v);
        em_check_neg(e, r);
        out_line(e->out, "%s = %s != 0;", t, r);
        return t;
    }
    }
    return "0";
}

const char *em_cond(Em *e, Node *n) { return truth(e, em_expr(e, n)); }

/* ==== names ============================================================================= */

static const char *builtin_type_sym(const char *name) {
    static const char *const map[][2] = {
        {"int", "rt_type_int"}, {"float", "rt_type_float"}, {"str", "rt_type_str"},
        {"bool", "rt_type_bool"}, {"list", "rt_type_list"}, {"tuple", "rt_type_tuple"},
        {"dict", "rt_type_dict"}, {"set", "rt_type_set"}, {"frozenset", "rt_type_frozenset"},
        {"bytes", "rt_type_bytes"}, {"bytearray", "rt_type_bytearray"}, {"range", "rt_type_range"},
        {"object", "rt_type_object"}, {"type", "rt_type_type"}, {"complex", "rt_type_complex"},
        {"slice", "rt_type_slice"}, {"property", "rt_type_property"},
        {"staticmethod", "rt_type_staticmethod"}, {"classmethod", "rt_type_classmethod"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], name) == 0) return map[i][1];
    return NULL;
}

static Val load_builtin(Em *e, Sym *s) {
    const char *n = s->name;
    const char *ty = builtin_type_sym(n);
    if (ty) return val(fmt(e, "(RtValue *)&%s", ty), REP_OBJ, false);
    if (strcmp(n, "NotImplemented") == 0) return val("rt_NotImplemented", REP_OBJ, false);
    if (strcmp(n, "IOError") == 0 || strcmp(n, "EnvironmentError") == 0)   /* aliases of OSError */
        return val("(RtValue *)&rt_exc_OSError", REP_OBJ, false);
    if (strcmp(n, "Ellipsis") == 0) return val("rt_Ellipsis", REP_OBJ, false);
    if (strcmp(n, "__file__") == 0) return val(em_str_const(e, e->p->src->path, strlen(e->p->src->path)), REP_OBJ, false);
    if (strcmp(n, "exit") == 0 || strcmp(n, "quit") == 0) {
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_builtin_new(\"%s\", rt_sys_exit_fn, NULL, -1);", t, n);
        em_check_null(e, t);
        return val(t, REP_OBJ, true);
    }
    if (n[0] >= 'A' && n[0] <= 'Z') return val(fmt(e, "(RtValue *)&rt_exc_%s", n), REP_OBJ, false);
    return val(fmt(e, "rt_builtin_get(RT_BI_%s)", n), REP_OBJ, false);
}

static Val load_member(Em *e, const ModMember *m) {
    switch (m->kind) {
    case MK_TYPE: case MK_EXC:
        return val(fmt(e, "(RtValue *)&%s", m->c_sym), REP_OBJ, false);
    case MK_FUNC: {
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_builtin_new(\"%s\", %s, NULL, -1);", t, m->name, m->c_sym);
        em_check_null(e, t);
        return val(t, REP_OBJ, true);
    }
    case MK_CONST: {
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = %s;", t, m->c_sym);
        em_check_null(e, t);
        return val(t, REP_OBJ, true);
    }
    case MK_MODULE:
        break;
    }
    return val("rt_None", REP_OBJ, false);
}

/* A cell's contents (closures), checked for "referenced before assignment". */
static const char *cell_ref(Em *e, Sym *s) {
    if (s->kind == SYM_FREE) return fmt(e, "((RtCell *)rt_cells[%d])->value", s->cell_index);
    return fmt(e, "((RtCell *)%s)->value", em_sym_cname(e, s));
}

static void unbound_check(Em *e, const char *c, Sym *s) {
    const char *msg;
    const char *exc = "rt_exc_UnboundLocalError";
    if (s->kind == SYM_GLOBAL || s->kind == SYM_CLASSVAR) {
        msg = "name '%s' is not defined";
        exc = "rt_exc_NameError";
    } else if (s->kind == SYM_FREE) {
        msg = "cannot access free variable '%s' where it is not associated with a value in enclosing scope";
        exc = "rt_exc_NameError";
    } else {
        msg = "cannot access local variable '%s' where it is not associated with a value";
    }
    char text[400];
    snprintf(text, sizeof text, msg, s->name);
    out_line(e->out, "if (!%s) { rt_raise(&%s, %s); goto %s; }", c, exc,
             cstr_lit(e->a, text, strlen(text)), em_err(e));
}

Val em_load_sym(Em *e, Sym *s, Node *at) {
    (void)at;
    switch (s->kind) {
    case SYM_LOCAL:
        if (s->rep != REP_OBJ) return val(em_sym_cname(e, s), s->rep, false);
        if (s->maybe_unbound) unbound_check(e, em_sym_cname(e, s), s);
        return val(em_sym_cname(e, s), REP_OBJ, false);
    case SYM_CELL: case SYM_FREE: {
        const char *c = cell_ref(e, s);
        unbound_check(e, c, s->kind == SYM_FREE ? s : s);
        return val(c, REP_OBJ, false);
    }
    case SYM_GLOBAL: {
        const char *c = em_sym_cname(e, s);
        unbound_check(e, c, s);
        return val(c, REP_OBJ, false);
    }
    case SYM_CLASSVAR: {
        /* class bodies read their namespace, then the globals */
        const char *t = em_tmp(e, REP_OBJ);
        Sym *g = scope_lookup_local(e->p->modscope, s->name);
        out_line(e->out, "%s = rt_dict_get_cstr(%s, \"%s\");", t, e->class_ns ? e->class_ns : "NULL", s->name);
        if (g && g->kind == SYM_GLOBAL) out_line(e->out, "if (!%s) %s = %s;", t, t, em_sym_cname(e, g));
        unbound_check(e, t, s);
        out_line(e->out, "rt_incref(%s);", t);
        return val(t, REP_OBJ, true);
    }
    case SYM_BUILTIN:
        if (strcmp(s->name, "super") == 0) {   /* super().x and super(C, self).x are handled where they occur */
            diag_error(e->p->src, at->loc, at->end,
                       "super() is supported as super().name or super(C, self).name, not as a value of its own");
            return val("rt_None", REP_OBJ, false);
        }
        return load_builtin(e, s);
    case SYM_MEMBER: return load_member(e, s->member);
    case SYM_MODULE:
        diag_error(e->p->src, at->loc, at->end, "a module cannot be used as a value (only its members)");
        return val("rt_None", REP_OBJ, false);
    }
    return val("rt_None", REP_OBJ, false);
}

void em_store_sym(Em *e, Sym *s, Val v) {
    switch (s->kind) {
    case SYM_LOCAL:
        if (s->rep != REP_OBJ) {
            v = em_to(e, v, s->rep);
            out_line(e->out, "%s = %s;", em_sym_cname(e, s), v.c);
            return;
        }
        v = em_to_owned(e, v);
        out_line(e->out, "RT_SETREF(%s, %s);", em_sym_cname(e, s), v.c);
        out_line(e->out, "%s = NULL;", v.c);
        return;
    case SYM_CELL: case SYM_FREE:
        v = em_to_owned(e, v);
        out_line(e->out, "RT_SETREF(%s, %s);", cell_ref(e, s), v.c);
        out_line(e->out, "%s = NULL;", v.c);
        return;
    case SYM_GLOBAL:
        v = em_to_owned(e, v);
        out_line(e->out, "RT_SETREF(%s, %s);", em_sym_cname(e, s), v.c);
        out_line(e->out, "%s = NULL;", v.c);
        return;
    case SYM_CLASSVAR:
        v = em_to(e, v, REP_OBJ);
        out_line(e->out, "if (rt_dict_set_cstr(%s, \"%s\", %s) < 0) goto %s;", e->class_ns, s->name, v.c, em_err(e));
        em_release(e, v);
        return;
    default:
        em_release(e, v);
        return;
    }
}

/* ==== constants =========================================================================== */

static Val const_val(Em *e, Node *n) {
    switch (n->constant.kind) {
    case CONST_NONE: return val("rt_None", REP_OBJ, false);
    case CONST_TRUE: return val("true", REP_BOOL, false);
    case CONST_FALSE: return val("false", REP_BOOL, false);
    case CONST_ELLIPSIS: return val("rt_Ellipsis", REP_OBJ, false);
    case CONST_INT:
        if (n->constant.fits) {
            if (n->constant.i64 == INT64_MIN) return val("INT64_MIN", REP_I64, false);
            return val(fmt(e, "INT64_C(%lld)", (long long)n->constant.i64), REP_I64, false);
        }
        return val(em_int_const(e, n), REP_OBJ, false);
    case CONST_FLOAT: {
        double d = n->constant.f64;
        if (isinf(d)) return val(d > 0 ? "HUGE_VAL" : "(-HUGE_VAL)", REP_F64, false);
        if (isnan(d)) return val("NAN", REP_F64, false);
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", d);
        if (!strpbrk(buf, ".en")) strcat(buf, ".0");
        return val(ar_strdup(e->a, buf), REP_F64, false);
    }
    case CONST_COMPLEX: {
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_complex(0.0, %.17g);", t, n->constant.f64);
        em_check_null(e, t);
        return val(t, REP_OBJ, true);
    }
    case CONST_STR: return val(em_str_const(e, n->constant.str, n->constant.len), REP_OBJ, false);
    case CONST_BYTES: return val(em_bytes_const(e, n->constant.str, n->constant.len), REP_OBJ, false);
    }
    return val("rt_None", REP_OBJ, false);
}

/* ==== operators ================================================================================= */

static const char *rt_binop_name(BinOpKind op) {
    static const char *const names[] = {
        [OP_ADD] = "RT_ADD", [OP_SUB] = "RT_SUB", [OP_MULT] = "RT_MUL", [OP_MATMULT] = "RT_MATMUL",
        [OP_DIV] = "RT_TRUEDIV", [OP_MOD] = "RT_MOD", [OP_POW] = "RT_POW", [OP_LSHIFT] = "RT_LSHIFT",
        [OP_RSHIFT] = "RT_RSHIFT", [OP_BITOR] = "RT_OR", [OP_BITXOR] = "RT_XOR", [OP_BITAND] = "RT_AND",
        [OP_FLOORDIV] = "RT_FLOORDIV",
    };
    return names[op];
}

/* int64 arithmetic with Python's semantics and overflow checks. */
static Val i64_binop(Em *e, BinOpKind op, Val l, Val r) {
    const char *t = em_tmp(e, REP_I64);
    const char *helper = NULL;
    switch (op) {
    case OP_ADD: helper = "rt_i64_add"; break;
    case OP_SUB: helper = "rt_i64_sub"; break;
    case OP_MULT: helper = "rt_i64_mul"; break;
    case OP_FLOORDIV: helper = "rt_i64_floordiv"; break;
    case OP_MOD: helper = "rt_i64_mod"; break;
    case OP_POW: helper = "rt_i64_pow"; break;
    case OP_LSHIFT: helper = "rt_i64_lshift"; break;
    case OP_RSHIFT: helper = "rt_i64_rshift"; break;
    case OP_BITAND: out_line(e->out, "%s = %s & %s;", t, l.c, r.c); return val(t, REP_I64, false);
    case OP_BITOR: out_line(e->out, "%s = %s | %s;", t, l.c, r.c); return val(t, REP_I64, false);
    case OP_BITXOR: out_line(e->out, "%s = %s ^ %s;", t, l.c, r.c); return val(t, REP_I64, false);
    default: break;
    }
    out_line(e->out, "if (!%s(%s, %s, &%s)) goto %s;", helper, l.c, r.c, t, em_err(e));
    return val(t, REP_I64, false);
}

static Val f64_binop(Em *e, BinOpKind op, Val l, Val r) {
    const char *t = em_tmp(e, REP_F64);
    switch (op) {
    case OP_ADD: out_line(e->out, "%s = %s + %s;", t, l.c, r.c); break;
    case OP_SUB: out_line(e->out, "%s = %s - %s;", t, l.c, r.c); break;
    case OP_MULT: out_line(e->out, "%s = %s * %s;", t, l.c, r.c); break;
    case OP_DIV: out_line(e->out, "if (!rt_f64_div(%s, %s, &%s)) goto %s;", l.c, r.c, t, em_err(e)); break;
    case OP_FLOORDIV: out_line(e->out, "if (!rt_f64_floordiv(%s, %s, &%s)) goto %s;", l.c, r.c, t, em_err(e)); break;
    case OP_MOD: out_line(e->out, "if (!rt_f64_mod(%s, %s, &%s)) goto %s;", l.c, r.c, t, em_err(e)); break;
    case OP_POW: out_line(e->out, "if (!rt_f64_pow(%s, %s, &%s)) goto %s;", l.c, r.c, t, em_err(e)); break;
    default: return val("0.0", REP_F64, false);
    }
    return val(t, REP_F64, false);
}

static Val boxed_binop(Em *e, const char *fn, BinOpKind op, Val l, Val r) {
    l = em_to(e, l, REP_OBJ);
    r = em_to(e, r, REP_OBJ);
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = %s(%s, %s, %s);", t, fn, l.c, r.c, rt_binop_name(op));
    em_release(e, l);
    em_release(e, r);
    em_check_null(e, t);
    return val(t, REP_OBJ, true);
}

/* a op b, given the types inference found for a, b and the result. */
static Val binop_vals(Em *e, BinOpKind op, Val l, Type *lt, Val r, Type *rt, Type *res, bool inplace) {
    if (is_small_int(res) && is_intlike(lt) && is_intlike(rt) && op != OP_DIV && op != OP_MATMULT)
        return i64_binop(e, op, em_to(e, l, REP_I64), em_to(e, r, REP_I64));
    if (res->kind == TY_BOOL && lt->kind == TY_BOOL && rt->kind == TY_BOOL) {
        const char *c = op == OP_BITAND ? "&" : op == OP_BITOR ? "|" : "^";
        return val(fmt(e, "(%s %s %s)", em_to(e, l, REP_BOOL).c, c, em_to(e, r, REP_BOOL).c), REP_BOOL, false);
    }
    if (op == OP_DIV && is_intlike(lt) && is_intlike(rt)) {
        const char *t = em_tmp(e, REP_F64);
        Val a = em_to(e, l, REP_I64), b = em_to(e, r, REP_I64);
        out_line(e->out, "if (!rt_i64_truediv(%s, %s, &%s)) goto %s;", a.c, b.c, t, em_err(e));
        return val(t, REP_F64, false);
    }
    if (res->kind == TY_FLOAT && is_numeric(lt) && is_numeric(rt))
        return f64_binop(e, op, em_to(e, l, REP_F64), em_to(e, r, REP_F64));
    return boxed_binop(e, inplace ? "rt_inplace_binop" : "rt_binop", op, l, r);
}

static Val binop(Em *e, Node *n) {
    Val l = em_expr(e, n->binop.left);
    if (l.rep == REP_OBJ && !l.owned) l = em_to_owned(e, l);   /* the right side may rebind it */
    Val r = em_expr(e, n->binop.right);
    return binop_vals(e, n->binop.op, l, ty_of(n->binop.left), r, ty_of(n->binop.right), ty_of(n), false);
}

Val em_binop_inplace(Em *e, Node *n) {
    Val l = em_expr(e, n->binop.left);
    if (l.rep == REP_OBJ && !l.owned) l = em_to_owned(e, l);
    Val r = em_expr(e, n->binop.right);
    return binop_vals(e, n->binop.op, l, ty_of(n->binop.left), r, ty_of(n->binop.right), ty_of(n), true);
}

/* obj.attr op= v and obj[key] op= v: obj and key are evaluated once. */
void em_augassign_item(Em *e, Node *n) {
    Node *t = n->augassign.target;
    Rep vr = t->kind == ND_ATTRIBUTE ? shared_value_rep(ty_of(t->attribute.value)) : REP_OBJ;
    if (vr != REP_OBJ && strcmp(t->attribute.attr, "value") == 0) {
        /* v.value op= x on a shared int/float: typed get, op, set */
        const char *suffix = vr == REP_I64 ? "i64" : "f64";
        Val o = em_to_owned(e, em_expr(e, t->attribute.value));
        const char *cur = em_tmp(e, vr);
        out_line(e->out, "if (rt_mp_value_get_%s(%s, &%s) < 0) goto %s;", suffix, o.c, cur, em_err(e));
        Type *ct = ty_of(t);
        Val r = em_expr(e, n->augassign.value);
        Val res = binop_vals(e, n->augassign.op, val(cur, vr, false), ct, r, ty_of(n->augassign.value), ct, true);
        if (res.rep == vr || (vr == REP_F64 && res.rep == REP_I64)) {
            res = em_to(e, res, vr);
            out_line(e->out, "if (rt_mp_value_set_%s(%s, %s) < 0) goto %s;", suffix, o.c, res.c, em_err(e));
        } else {
            res = em_to(e, res, REP_OBJ);
            out_line(e->out, "if (rt_setattr(%s, \"value\", %s) < 0) goto %s;", o.c, res.c, em_err(e));
            em_release(e, res);
        }
        em_release(e, o);
        return;
    }
    Val o = em_to_owned(e, em_expr(e, t->kind == ND_ATTRIBUTE ? t->attribute.value : t->subscript.value));
    Val k = {0};
    const char *cur = em_tmp(e, REP_OBJ);
    if (t->kind == ND_ATTRIBUTE) {
        out_line(e->out, "%s = rt_getattr(%s, \"%s\");", cur, o.c, t->attribute.attr);
    } else {
        Node *idx = t->subscript.slice;
        k = em_to_owned(e, idx->kind == ND_SLICE ? slice_obj(e, idx) : em_expr(e, idx));
        out_line(e->out, "%s = rt_getitem(%s, %s);", cur, o.c, k.c);
    }
    em_check_null(e, cur);
    Val r = em_expr(e, n->augassign.value);
    Val res = binop_vals(e, n->augassign.op, val(cur, REP_OBJ, true), ty_any(), r, ty_of(n->augassign.value),
                         ty_any(), true);
    res = em_to(e, res, REP_OBJ);
    if (t->kind == ND_ATTRIBUTE)
        out_line(e->out, "if (rt_setattr(%s, \"%s\", %s) < 0) goto %s;", o.c, t->attribute.attr, res.c, em_err(e));
    else
        out_line(e->out, "if (rt_setitem(%s, %s, %s) < 0) goto %s;", o.c, k.c, res.c, em_err(e));
    em_release(e, res);
    em_release(e, o);
    if (k.c) em_release(e, k);
}

static Val unaryop(Em *e, Node *n) {
    Type *t = ty_of(n->unaryop.operand);
    if (n->unaryop.op == UOP_NOT) return val(fmt(e, "(!%s)", em_cond(e, n->unaryop.operand)), REP_BOOL, false);
    Val v = em_expr(e, n->unaryop.operand);
    if (is_intlike(t) && is_small_int(ty_of(n))) {
        v = em_to(e, v, REP_I64);
        const char *r = em_tmp(e, REP_I64);
        switch (n->unaryop.op) {
        case UOP_USUB: out_line(e->out, "if (!rt_i64_neg(%s, &%s)) goto %s;", v.c, r, em_err(e)); break;
        case UOP_UADD: out_line(e->out, "%s = %s;", r, v.c); break;
        case UOP_INVERT: out_line(e->out, "%s = ~%s;", r, v.c); break;
        default: break;
        }
        return val(r, REP_I64, false);
    }
    if (t->kind == TY_FLOAT && n->unaryop.op != UOP_INVERT) {
        v = em_to(e, v, REP_F64);
        return val(fmt(e, "(%s%s)", n->unaryop.op == UOP_USUB ? "-" : "+", v.c), REP_F64, false);
    }
    v = em_to(e, v, REP_OBJ);
    const char *r = em_tmp(e, REP_OBJ);
    const char *op = n->unaryop.op == UOP_USUB ? "RT_NEG" : n->unaryop.op == UOP_UADD ? "RT_POS" : "RT_INVERT";
    out_line(e->out, "%s = rt_unary(%s, %s);", r, v.c, op);
    em_release(e, v);
    em_check_null(e, r);
    return val(r, REP_OBJ, true);
}

/* `a and b`, `a or b`: the value of the deciding operand. */
static Val boolop(Em *e, Node *n) {
    Rep rep = REP_OBJ;
    bool all_bool = true;
    for (int i = 0; i < n->boolop.values.len; i++)
        if (ty_of(n->boolop.values.items[i])->kind != TY_BOOL) all_bool = false;
    if (all_bool) rep = REP_BOOL;
    else if (ty_rep(ty_of(n)) != REP_OBJ) {
        /* every operand has the result's type: keep it unboxed */
        rep = ty_rep(ty_of(n));
        for (int i = 0; i < n->boolop.values.len; i++)
            if (ty_rep(ty_of(n->boolop.values.items[i])) != rep) rep = REP_OBJ;
    }
    const char *res = em_tmp(e, rep);
    const char *done = em_label(e, "bool_done");
    bool is_and = n->boolop.op == BOOL_AND;
    for (int i = 0; i < n->boolop.values.len; i++) {
        Val v = em_expr(e, n->boolop.values.items[i]);
        v = rep == REP_OBJ ? em_to_owned(e, v) : em_to(e, v, rep);
        if (rep == REP_OBJ) out_line(e->out, "%s = %s; %s = NULL;", res, v.c, v.c);
        else out_line(e->out, "%s = %s;", res, v.c);
        if (i == n->boolop.values.len - 1) break;
        const char *c = truth(e, val(res, rep, false));
        out_line(e->out, "if (%s%s) goto %s;", is_and ? "!" : "", c, done);
        if (rep == REP_OBJ) out_line(e->out, "RT_CLEAR(%s);", res);
    }
    out_label(e->out, done);
    return val(res, rep, rep == REP_OBJ);
}

static const char *c_cmp(CmpOpKind op) {
    switch (op) {
    case CMP_EQ: return "==";
    case CMP_NOTEQ: return "!=";
    case CMP_LT: return "<";
    case CMP_LTE: return "<=";
    case CMP_GT: return ">";
    case CMP_GTE: return ">=";
    default: return "==";
    }
}

static const char *rt_cmp(CmpOpKind op) {
    switch (op) {
    case CMP_EQ: return "RT_EQ";
    case CMP_NOTEQ: return "RT_NE";
    case CMP_LT: return "RT_LT";
    case CMP_LTE: return "RT_LE";
    case CMP_GT: return "RT_GT";
    case CMP_GTE: return "RT_GE";
    default: return "RT_EQ";
    }
}

/* One comparison `a op b` as a C bool (boolean result) or a boxed value. */
static Val compare_one(Em *e, CmpOpKind op, Val a, Type *at, Val b, Type *bt, bool want_obj) {
    if (op == CMP_IS || op == CMP_ISNOT) {
        const char *neg = op == CMP_ISNOT ? "!" : "";
        if (a.rep != REP_OBJ || b.rep != REP_OBJ) {
            /* an unboxed int/float is never None, and `is` between unboxed values is unusual */
            if (a.rep == b.rep)
                return val(fmt(e, "(%s(%s == %s))", neg, a.c, b.c), REP_BOOL, false);
            Val ao = em_to(e, a, REP_OBJ), bo = em_to(e, b, REP_OBJ);
            const char *t = em_tmp(e, REP_BOOL);
            out_line(e->out, "%s = %s(%s == %s);", t, neg, ao.c, bo.c);
            em_release(e, ao);
            em_release(e, bo);
            return val(t, REP_BOOL, false);
        }
        const char *t = em_tmp(e, REP_BOOL);
        out_line(e->out, "%s = %s(%s == %s);", t, neg, a.c, b.c);
        em_release(e, a);
        em_release(e, b);
        return val(t, REP_BOOL, false);
    }
    if (op == CMP_IN || op == CMP_NOTIN) {
        Val ao = em_to(e, a, REP_OBJ), bo = em_to(e, b, REP_OBJ);
        const char *r = em_tmp(e, REP_I64);
        out_line(e->out, "%s = rt_contains(%s, %s);", r, bo.c, ao.c);
        em_release(e, ao);
        em_release(e, bo);
        em_check_neg(e, r);
        return val(fmt(e, "(%s%s)", op == CMP_NOTIN ? "!" : "", r), REP_BOOL, false);
    }
    if (!want_obj && is_intlike(at) && is_intlike(bt)) {
        Val x = em_to(e, a, REP_I64), y = em_to(e, b, REP_I64);
        return val(fmt(e, "(%s %s %s)", x.c, c_cmp(op), y.c), REP_BOOL, false);
    }
    if (!want_obj && is_numeric(at) && is_numeric(bt)) {
        if (at->kind == TY_FLOAT && bt->kind == TY_FLOAT)
            return val(fmt(e, "(%s %s %s)", em_to(e, a, REP_F64).c, c_cmp(op), em_to(e, b, REP_F64).c), REP_BOOL, false);
        if (at->kind == TY_FLOAT) {
            static const CmpOpKind swap[] = {[CMP_EQ] = CMP_EQ, [CMP_NOTEQ] = CMP_NOTEQ, [CMP_LT] = CMP_GT,
                                             [CMP_LTE] = CMP_GTE, [CMP_GT] = CMP_LT, [CMP_GTE] = CMP_LTE};
            return val(fmt(e, "rt_cmp_i64_f64(%s, %s, %s)", em_to(e, b, REP_I64).c, em_to(e, a, REP_F64).c,
                           rt_cmp(swap[op])), REP_BOOL, false);
        }
        return val(fmt(e, "rt_cmp_i64_f64(%s, %s, %s)", em_to(e, a, REP_I64).c, em_to(e, b, REP_F64).c, rt_cmp(op)),
                   REP_BOOL, false);
    }
    Val ao = em_to(e, a, REP_OBJ), bo = em_to(e, b, REP_OBJ);
    if (want_obj) {
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_richcompare(%s, %s, %s);", t, ao.c, bo.c, rt_cmp(op));
        em_release(e, ao);
        em_release(e, bo);
        em_check_null(e, t);
        return val(t, REP_OBJ, true);
    }
    const char *r = em_tmp(e, REP_I64);
    out_line(e->out, "%s = rt_compare_bool(%s, %s, %s);", r, ao.c, bo.c, rt_cmp(op));
    em_release(e, ao);
    em_release(e, bo);
    em_check_neg(e, r);
    return val(fmt(e, "(%s != 0)", r), REP_BOOL, false);
}

/* a < b < c: each operand evaluated once, stopping at the first false. */
static Val compare(Em *e, Node *n) {
    bool want_obj = ty_of(n)->kind != TY_BOOL;
    int k = n->compare.comparators.len;
    Val a = em_expr(e, n->compare.left);
    Type *at = ty_of(n->compare.left);
    if (k == 1) {
        Val b = em_expr(e, n->compare.comparators.items[0]);
        return compare_one(e, n->compare.ops[0], a, at, b, ty_of(n->compare.comparators.items[0]), want_obj);
    }
    Rep rep = want_obj ? REP_OBJ : REP_BOOL;
    const char *res = em_tmp(e, rep);
    const char *done = em_label(e, "cmp_done");
    a = materialize(e, a);
    for (int i = 0; i < k; i++) {
        Node *bn = n->compare.comparators.items[i];
        Val b = materialize(e, em_expr(e, bn));
        Val keep = b.rep == REP_OBJ ? em_to_owned(e, val(b.c, REP_OBJ, false)) : b;
        Val r = compare_one(e, n->compare.ops[i], a, at, b.rep == REP_OBJ ? val(b.c, REP_OBJ, true) : b, ty_of(bn), want_obj);
        if (want_obj) out_line(e->out, "RT_SETREF(%s, %s); %s = NULL;", res, em_to_owned(e, r).c, r.c);
        else out_line(e->out, "%s = %s;", res, r.c);
        a = keep;
        at = ty_of(bn);
        if (i < k - 1) out_line(e->out, "if (!%s) goto %s;", truth(e, val(res, rep, false)), done);
    }
    out_label(e->out, done);
    em_release(e, a);
    return val(res, rep, want_obj);
}

/* ==== containers ================================================================================ */

/* A C array of boxed values for a call or a display: "(RtValue *[]){a, b}". */
typedef struct ValList { Val *v; int n, cap; } ValList;

static void vl_push(Em *e, ValList *l, Val v) {
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        Val *nv = ar_alloc(e->a, sizeof(Val) * (size_t)cap);
        if (l->n) memcpy(nv, l->v, sizeof(Val) * (size_t)l->n);
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = v;
}

static const char *vl_array(Em *e, ValList *l) {
    if (l->n == 0) return "NULL";
    Str s = {0};
    str_puts(&s, "(RtValue *[]){");
    for (int i = 0; i < l->n; i++) str_printf(&s, "%s%s", i ? ", " : "", l->v[i].c);
    str_puts(&s, "}");
    const char *r = ar_strdup(e->a, str_cstr(&s));
    str_free(&s);
    return r;
}

static void vl_release(Em *e, ValList *l) {
    for (int i = 0; i < l->n; i++) em_release(e, l->v[i]);
}

/* Evaluates into boxed values; a value whose variable a later element may
 * rebind (x, f()) is safe because elements are owned or constants. */
static Val boxed_elem(Em *e, Node *n) {
    Val v = em_expr(e, n);
    if (v.rep == REP_OBJ && !v.owned && n->kind == ND_NAME) return em_to_owned(e, v);
    return em_to(e, v, REP_OBJ);
}

/* Bits of a non-negative int constant (or a bound for folded expressions). */
static int int_bits(Node *n);

/* Would CPython's AST optimizer fold n to a constant? Constants, unary
 * operators on them, arithmetic whose int result stays within 128 bits
 * (MAX_INT_SIZE in CPython's ast_opt.c), and tuples of such. */
static bool folds_to_const(Node *n) {
    switch (n->kind) {
    case ND_CONST: return true;
    case ND_UNARYOP: return folds_to_const(n->unaryop.operand);
    case ND_TUPLE:
        for (int i = 0; i < n->list.elts.len; i++) if (!folds_to_const(n->list.elts.items[i])) return false;
        return true;
    case ND_BINOP: {
        Node *l = n->binop.left, *r = n->binop.right;
        if (!folds_to_const(l) || !folds_to_const(r)) return false;
        bool ints = l->kind != ND_TUPLE && r->kind != ND_TUPLE;
        if (!ints) return false;
        switch (n->binop.op) {
        case OP_POW: return int_bits(l) * (r->kind == ND_CONST && r->constant.kind == CONST_INT && r->constant.fits
                                           ? r->constant.i64 : 1000) <= 128;
        case OP_MULT: return int_bits(l) + int_bits(r) <= 128;
        case OP_LSHIFT: return r->kind == ND_CONST && r->constant.fits && int_bits(l) + r->constant.i64 <= 128;
        default: return true;
        }
    }
    default: return false;
    }
}

static int int_bits(Node *n) {
    if (n->kind == ND_CONST && n->constant.kind == CONST_INT) {
        if (!n->constant.fits) return 200;
        int b = 0;
        for (uint64_t v = (uint64_t)n->constant.i64; v; v >>= 1) b++;
        return b ? b : 1;
    }
    if (n->kind == ND_UNARYOP) return int_bits(n->unaryop.operand);
    return 64;   /* a folded float or a nested expression: keep a margin */
}

static Val seq_display(Em *e, Node *n) {
    NodeList *elts = n->kind == ND_SET ? &n->set.elts : &n->list.elts;
    bool starred = false;
    for (int i = 0; i < elts->len; i++) if (elts->items[i]->kind == ND_STARRED) starred = true;
    const char *t = em_tmp(e, REP_OBJ);
    if (!starred && n->kind != ND_SET) {
        ValList l = {0};
        for (int i = 0; i < elts->len; i++) vl_push(e, &l, boxed_elem(e, elts->items[i]));
        out_line(e->out, "%s = %s(%s, %d);", t, n->kind == ND_LIST ? "rt_list_from_array" : "rt_tuple_from_array",
                 vl_array(e, &l), l.n);
        vl_release(e, &l);
        em_check_null(e, t);
        return val(t, REP_OBJ, true);
    }
    if (n->kind == ND_SET && elts->len > 2) {
        bool consts = true;
        for (int i = 0; i < elts->len; i++) if (!folds_to_const(elts->items[i])) consts = false;
        if (consts) {
            /* CPython compiles {c1, c2, c3...} into a frozenset constant that the
             * compiler rebuilds, then set().update(it): the iteration order of the
             * result depends on that, and rt_set_display_const reproduces it */
            ValList l = {0};
            for (int i = 0; i < elts->len; i++) vl_push(e, &l, boxed_elem(e, elts->items[i]));
            out_line(e->out, "%s = rt_set_display_const(%s, %d);", t, vl_array(e, &l), l.n);
            vl_release(e, &l);
            em_check_null(e, t);
            return val(t, REP_OBJ, true);
        }
    }
    /* build a list, extending with starred items; sets add one by one */
    out_line(e->out, "%s = %s;", t, n->kind == ND_SET ? "rt_set_new()" : "rt_list_new(0)");
    em_check_null(e, t);
    for (int i = 0; i < elts->len; i++) {
        Node *x = elts->items[i];
        Val v = boxed_elem(e, x->kind == ND_STARRED ? x->starred.value : x);
        if (x->kind == ND_STARRED) {
            const char *r = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = rt_call_method(%s, \"%s\", (RtValue *[]){%s}, 1, NULL);", r, t,
                     n->kind == ND_SET ? "update" : "extend", v.c);
            em_release(e, v);
            em_check_null(e, r);
            out_line(e->out, "RT_CLEAR(%s);", r);
        } else {
            out_line(e->out, "if (%s(%s, %s) < 0) goto %s;", n->kind == ND_SET ? "rt_set_add" : "rt_list_append",
                     t, v.c, em_err(e));
            em_release(e, v);
        }
    }
    if (n->kind == ND_TUPLE) {
        const char *tu = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_call((RtValue *)&rt_type_tuple, &%s, 1, NULL);", tu, t);
        out_line(e->out, "RT_CLEAR(%s);", t);
        em_check_null(e, tu);
        return val(tu, REP_OBJ, true);
    }
    return val(t, REP_OBJ, true);
}

static Val dict_display(Em *e, Node *n) {
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_dict_new();", t);
    em_check_null(e, t);
    for (int i = 0; i < n->dict.keys.len; i++) {
        Node *k = n->dict.keys.items[i];
        if (!k) {
            Val m = boxed_elem(e, n->dict.values.items[i]);
            const char *r = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = rt_call_method(%s, \"update\", (RtValue *[]){%s}, 1, NULL);", r, t, m.c);
            em_release(e, m);
            em_check_null(e, r);
            out_line(e->out, "RT_CLEAR(%s);", r);
            continue;
        }
        Val kv = boxed_elem(e, k);
        Val vv = boxed_elem(e, n->dict.values.items[i]);
        out_line(e->out, "if (rt_dict_set(%s, %s, %s) < 0) goto %s;", t, kv.c, vv.c, em_err(e));
        em_release(e, kv);
        em_release(e, vv);
    }
    return val(t, REP_OBJ, true);
}

/* ==== for-loops over iterables (shared with comprehensions and `for`) ================= */

/* A value fixed at this point (range's bounds are evaluated once, even if
 * the loop changes the variables they came from); literals need no copy. */
static Val snapshot(Em *e, Val v) {
    if (strncmp(v.c, "INT64_C(", 8) == 0 || strncmp(v.c, "_t", 2) == 0) return v;
    return materialize(e, v);
}

/* range(...) with int arguments becomes a counted C loop. */
static bool range_args(Em *e, Node *iter, Val *start, Val *stop, Val *step) {
    if (iter->kind != ND_CALL || iter->call.func->kind != ND_NAME) return false;
    Sym *s = iter->call.func->sym;
    if (!s || s->kind != SYM_BUILTIN || strcmp(s->name, "range") != 0) return false;
    if (iter->call.keywords.len || iter->call.args.len < 1 || iter->call.args.len > 3) return false;
    /* int bounds; start and step must fit int64 (inference then typed the
     * items as such), a big stop is clamped: no loop counts that far */
    int stop_at = iter->call.args.len >= 2 ? 1 : 0;
    for (int i = 0; i < iter->call.args.len; i++) {
        Node *a = iter->call.args.items[i];
        if (a->kind == ND_STARRED || (ty_of(a)->kind != TY_INT && ty_of(a)->kind != TY_BOOL)) return false;
        if (i != stop_at && ty_of(a)->big) return false;
    }
    NodeList *a = &iter->call.args;
    *start = a->len >= 2 ? snapshot(e, em_expr_as(e, a->items[0], REP_I64)) : val("INT64_C(0)", REP_I64, false);
    if (ty_of(a->items[stop_at])->big) {
        Val o = em_expr_as(e, a->items[stop_at], REP_OBJ);
        const char *t = em_tmp(e, REP_I64);
        out_line(e->out, "if (rt_int_as_i64_clamped(%s, &%s) < 0) goto %s;", o.c, t, em_err(e));
        em_release(e, o);
        *stop = val(t, REP_I64, false);
    } else
        *stop = snapshot(e, em_expr_as(e, a->items[stop_at], REP_I64));
    *step = a->len == 3 ? snapshot(e, em_expr_as(e, a->items[2], REP_I64)) : val("INT64_C(1)", REP_I64, false);
    if (a->len == 3)
        out_line(e->out, "if (%s == 0) { rt_raise(&rt_exc_ValueError, \"range() arg 3 must not be zero\"); goto %s; }",
                 step->c, em_err(e));
    return true;
}

IterLoop em_iter_begin(Em *e, Node *iter, Val *item) {
    Val start, stop, step;
    if (range_args(e, iter, &start, &stop, &step)) {
        IterLoop L = {.out = e->out, .start = e->out->buf.len};
        L.cont = em_label(e, "loop_next");
        L.brk = em_label(e, "loop_end");
        L.idx = em_tmp(e, REP_I64);
        L.len = em_tmp(e, REP_I64);
        /* the number of items, computed as CPython's range does, without overflow */
        out_line(e->out, "%s = rt_range_len(%s, %s, %s);", L.len, start.c, stop.c, step.c);
        out_open(e->out, "for (%s = 0; %s < %s; %s++)", L.idx, L.idx, L.len, L.idx);
        *item = val(fmt(e, "(%s + %s * %s)", start.c, L.idx, step.c), REP_I64, false);
        return L;
    }
    return em_iter_begin_val(e, em_expr(e, iter), ty_of(iter), item);
}

IterLoop em_iter_begin_val(Em *e, Val v, Type *t, Val *item) {
    IterLoop L = {.out = e->out, .start = e->out->buf.len};
    L.cont = em_label(e, "loop_next");
    L.brk = em_label(e, "loop_end");
    v = em_to_owned(e, v);
    if (t->kind == TY_LIST || t->kind == TY_TUPLE) {
        /* by index, so items appended during the loop are seen, as in CPython */
        bool list = t->kind == TY_LIST;
        L.it = v.c;
        L.idx = em_tmp(e, REP_I64);
        out_open(e->out, "for (%s = 0; %s < (int64_t)%s(%s); %s++)", L.idx, L.idx,
                 list ? "RT_LIST_LEN" : "RT_TUPLE_LEN", L.it, L.idx);
        *item = val(fmt(e, "%s(%s, %s)", list ? "RT_LIST_GET" : "RT_TUPLE_GET", L.it, L.idx), REP_OBJ, false);
        return L;
    }
    L.it = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_iter(%s);", L.it, v.c);
    em_release(e, v);
    em_check_null(e, L.it);
    const char *x = em_tmp(e, REP_OBJ);
    out_open(e->out, "for (;;)");
    out_line(e->out, "%s = rt_iter_next(%s);", x, L.it);
    out_open(e->out, "if (!%s)", x);
    check_err(e);
    out_line(e->out, "break;");
    out_close(e->out);
    *item = val(x, REP_OBJ, true);
    return L;
}

/* Closes the C loop; what follows runs when the loop ends normally. */
void em_iter_end(Em *e, IterLoop *L) {
    out_label(e->out, L->cont);
    out_close(e->out);
    if (L->it) out_line(e->out, "RT_CLEAR(%s);", L->it);
}

/* The target of `break`: after any else-part. */
void em_iter_close(Em *e, IterLoop *L) {
    char jump[64];
    snprintf(jump, sizeof jump, "goto %s;", L->brk);
    /* only the loop's own text is searched: a whole-buffer search per loop
     * made a long module body quadratic */
    const char *text = str_cstr(&e->out->buf);
    if (e->out == L->out && L->start <= e->out->buf.len) text += L->start;
    if (!strstr(text, jump)) return;   /* no break: nothing to clean up twice */
    const char *done = em_label(e, "loop_done");
    out_line(e->out, "goto %s;", done);
    out_label(e->out, L->brk);
    if (L->it) out_line(e->out, "RT_CLEAR(%s);", L->it);
    out_label(e->out, done);
}

/* ==== comprehensions ================================================================================ */

static void comp_level(Em *e, Node *n, int level, const char *acc) {
    NodeList *gens = &n->comp.generators;
    if (level == gens->len) {
        if (n->kind == ND_DICTCOMP) {
            Val k = boxed_elem(e, n->comp.key);
            Val v = boxed_elem(e, n->comp.value);
            out_line(e->out, "if (rt_dict_set(%s, %s, %s) < 0) goto %s;", acc, k.c, v.c, em_err(e));
            em_release(e, k);
            em_release(e, v);
            return;
        }
        Val v = boxed_elem(e, n->comp.elt);
        out_line(e->out, "if (%s(%s, %s) < 0) goto %s;", n->kind == ND_SETCOMP ? "rt_set_add" : "rt_list_append",
                 acc, v.c, em_err(e));
        em_release(e, v);
        return;
    }
    Node *g = gens->items[level];
    Val item;
    IterLoop L = em_iter_begin(e, g->comprehension.iter, &item);
    em_assign(e, g->comprehension.target, item);
    for (int i = 0; i < g->comprehension.ifs.len; i++) {
        const char *c = em_cond(e, g->comprehension.ifs.items[i]);
        out_line(e->out, "if (!%s) goto %s;", c, L.cont);
    }
    comp_level(e, n, level + 1, acc);
    em_iter_end(e, &L);
    em_iter_close(e, &L);
}

/* The body of a generator expression: the same loops, with a yield inside.
 * Its first iterable arrives as the parameter p_iter0. */
static void genexp_level(Em *e, Node *n, int level) {
    NodeList *gens = &n->comp.generators;
    if (level == gens->len) {
        Val v = em_to(e, em_expr(e, n->comp.elt), REP_OBJ);
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_gen_yield(%s);", t, v.c);
        em_release(e, v);
        em_check_null(e, t);
        out_line(e->out, "RT_CLEAR(%s);", t);
        return;
    }
    Node *g = gens->items[level];
    Val item;
    IterLoop L = level == 0 ? em_iter_begin_val(e, val("p_iter0", REP_OBJ, false), ty_any(), &item)
                            : em_iter_begin(e, g->comprehension.iter, &item);
    em_assign(e, g->comprehension.target, item);
    for (int i = 0; i < g->comprehension.ifs.len; i++) {
        const char *c = em_cond(e, g->comprehension.ifs.items[i]);
        out_line(e->out, "if (!%s) goto %s;", c, L.cont);
    }
    genexp_level(e, n, level + 1);
    em_iter_end(e, &L);
    em_iter_close(e, &L);
}

void em_genexp_body(Em *e, Node *n) { genexp_level(e, n, 0); }

static Val comprehension(Em *e, Node *n) {
    const char *acc = em_tmp(e, REP_OBJ);
    const char *make = n->kind == ND_DICTCOMP ? "rt_dict_new()" : n->kind == ND_SETCOMP ? "rt_set_new()" : "rt_list_new(0)";
    out_line(e->out, "%s = %s;", acc, make);
    em_check_null(e, acc);
    /* variables a lambda inside captures live in cells, one set per run of
     * the comprehension (so every lambda sees the last value, as in CPython) */
    for (int i = 0; n->scope && i < n->scope->nsyms; i++) {
        Sym *s = n->scope->syms[i];
        if (s->kind != SYM_CELL) continue;
        const char *c = em_sym_cname(e, s);
        out_line(e->out, "RT_SETREF(%s, rt_cell_new(NULL));", c);
        em_check_null(e, c);
    }
    out_block(e->out);
    comp_level(e, n, 0, acc);
    out_close(e->out);
    return val(acc, REP_OBJ, true);
}

/* ==== f-strings ====================================================================================== */

static Val formatted(Em *e, Node *n) {
    Val v = em_to(e, em_expr(e, n->formatted.value), REP_OBJ);
    const char *t = em_tmp(e, REP_OBJ);
    int conv = n->formatted.conversion;
    if (conv == 'r' || conv == 's' || conv == 'a') {
        out_line(e->out, "%s = %s(%s);", t, conv == 'r' ? "rt_repr" : conv == 'a' ? "rt_ascii" : "rt_str", v.c);
        em_release(e, v);
        em_check_null(e, t);
        v = val(t, REP_OBJ, true);
        t = em_tmp(e, REP_OBJ);
    }
    if (n->formatted.format_spec) {
        Val spec = em_to(e, em_expr(e, n->formatted.format_spec), REP_OBJ);
        out_line(e->out, "%s = rt_format(%s, %s);", t, v.c, spec.c);
        em_release(e, spec);
    } else {
        out_line(e->out, "%s = rt_format(%s, NULL);", t, v.c);
    }
    em_release(e, v);
    em_check_null(e, t);
    return val(t, REP_OBJ, true);
}

static Val joinedstr(Em *e, Node *n) {
    ValList l = {0};
    for (int i = 0; i < n->joinedstr.values.len; i++) {
        Node *p = n->joinedstr.values.items[i];
        vl_push(e, &l, p->kind == ND_FORMATTED ? formatted(e, p) : em_to(e, em_expr(e, p), REP_OBJ));
    }
    if (l.n == 1 && n->joinedstr.values.items[0]->kind == ND_CONST) return l.v[0];
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_str_build(%s, %d);", t, vl_array(e, &l), l.n);
    vl_release(e, &l);
    em_check_null(e, t);
    return val(t, REP_OBJ, true);
}

/* ==== subscripts and attributes ========================================================================= */

static Val slice_obj(Em *e, Node *n) {
    Val parts[3];
    Node *ps[3] = {n->slice.lower, n->slice.upper, n->slice.step};
    for (int i = 0; i < 3; i++)
        parts[i] = ps[i] ? em_to(e, em_expr(e, ps[i]), REP_OBJ) : val("NULL", REP_OBJ, false);
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_slice_new(%s, %s, %s);", t, parts[0].c, parts[1].c, parts[2].c);
    for (int i = 0; i < 3; i++) em_release(e, parts[i]);
    em_check_null(e, t);
    return val(t, REP_OBJ, true);
}

static Val subscript(Em *e, Node *n) {
    Type *ct = ty_of(n->subscript.value);
    Node *idx = n->subscript.slice;
    Val c = em_to(e, em_expr(e, n->subscript.value), REP_OBJ);
    if (c.rep == REP_OBJ && !c.owned && idx->kind != ND_CONST) c = em_to_owned(e, c);
    Rep want = ty_rep(ty_of(n));
    if (ct->kind == TY_LIST && is_intlike(ty_of(idx))) {
        Val i = em_expr_as(e, idx, REP_I64);
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_list_getitem_i64(%s, %s);", t, c.c, i.c);
        em_release(e, c);
        em_check_null(e, t);
        return em_to(e, val(t, REP_OBJ, true), want);
    }
    Val i = idx->kind == ND_SLICE ? slice_obj(e, idx) : em_to(e, em_expr(e, idx), REP_OBJ);
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_getitem(%s, %s);", t, c.c, i.c);
    em_release(e, c);
    em_release(e, i);
    em_check_null(e, t);
    return em_to(e, val(t, REP_OBJ, true), want);
}

/* super(C, obj): C must name a class of the script, whose class object
 * the runtime's super lookup starts from. */
static bool super_explicit(Em *e, Node *call, const char **cls, const char **self) {
    Node *c = call->call.args.items[0];
    Sym *s = c->kind == ND_NAME ? c->sym : NULL;
    if (!s || s->kind != SYM_GLOBAL || !s->def || s->def->kind != ND_CLASSDEF || !s->def->scope || !s->def->scope->cls) {
        diag_error(e->p->src, c->loc, c->end,
                   "super() with arguments: the first must be a class defined in the script");
        return false;
    }
    *cls = fmt(e, "(RtType *)%s", em_class_obj(e, s->def->scope->cls));
    *self = em_to(e, em_expr(e, call->call.args.items[1]), REP_OBJ).c;
    return true;
}

/* The enclosing method's class and self, for super() (or the explicit
 * super(C, obj)). */
static bool super_context(Em *e, Node *call, const char **cls, const char **self) {
    if (call->call.args.len == 2) return super_explicit(e, call, cls, self);
    FuncInfo *f = e->fn;
    while (f && !f->cls) f = f->parent_fn;
    if (!f || !f->cls || f->npos < 1) return false;
    *cls = fmt(e, "(RtType *)%s", em_class_obj(e, f->cls));
    Val s = em_load_sym(e, f->params[0], f->def);
    *self = em_to(e, s, REP_OBJ).c;
    return true;
}

static bool is_super_call(Node *n) {
    return n->kind == ND_CALL && n->call.func->kind == ND_NAME && n->call.keywords.len == 0 &&
           (n->call.args.len == 0 || (n->call.args.len == 2 && n->call.args.items[0]->kind != ND_STARRED &&
                                      n->call.args.items[1]->kind != ND_STARRED)) &&
           n->call.func->sym && n->call.func->sym->kind == SYM_BUILTIN &&
           strcmp(n->call.func->name.id, "super") == 0;
}

static Val attribute(Em *e, Node *n) {
    Node *obj = n->attribute.value;
    const char *name = n->attribute.attr;
    /* module.member */
    if (obj->kind == ND_NAME && obj->sym && obj->sym->kind == SYM_MODULE) {
        const ModMember *m = mod_member(obj->sym->module, name);
        if (m) return em_to(e, load_member(e, m), ty_rep(ty_of(n)));
    }
    if (obj->kind == ND_ATTRIBUTE && ty_of(obj)->kind == TY_MODULE) {
        const ModMember *m = mod_member(ty_of(obj)->name, name);
        if (m) return load_member(e, m);
    }
    if (is_super_call(obj)) {
        const char *cls, *self;
        if (super_context(e, obj, &cls, &self)) {
            const char *t = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = rt_super_getattr(%s, %s, \"%s\");", t, cls, self, name);
            em_check_null(e, t);
            return val(t, REP_OBJ, true);
        }
    }
    Val o = em_to(e, em_expr(e, obj), REP_OBJ);
    Rep vr = shared_value_rep(ty_of(obj));
    if (vr != REP_OBJ && strcmp(name, "value") == 0) {
        /* v.value of a shared int/float: read under its lock, unboxed */
        const char *x = em_tmp(e, vr);
        out_line(e->out, "if (rt_mp_value_get_%s(%s, &%s) < 0) goto %s;", vr == REP_I64 ? "i64" : "f64", o.c, x,
                 em_err(e));
        em_release(e, o);
        return val(x, vr, false);
    }
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_getattr(%s, \"%s\");", t, o.c, name);
    em_release(e, o);
    em_check_null(e, t);
    return em_to(e, val(t, REP_OBJ, true), ty_rep(ty_of(n)));
}

/* ==== calls ================================================================================================ */

/* Positional and keyword arguments as boxed values plus a kwnames tuple. */
typedef struct CallArgs {
    ValList     vals;        /* positional, then keyword values */
    int         npos;
    const char *kwnames;     /* "NULL" or a constant tuple */
    bool        dynamic;     /* *args or **kwargs present */
    Val         tuple, dict; /* for dynamic calls */
} CallArgs;

static const char *kwnames_const(Em *e, Node *call) {
    int n = call->call.keywords.len;
    if (n == 0) return "NULL";
    const char *k = ar_printf(e->a, "K%d", e->nconsts++);
    str_printf(&e->top, "static RtValue *%s;   /* (", k);
    for (int i = 0; i < n; i++) str_printf(&e->top, "%s'%s'", i ? ", " : "", call->call.keywords.items[i]->keyword.arg);
    str_puts(&e->top, ") */\n");
    str_printf(&e->init, "    %s = rt_tuple_new(%d);\n    if (!%s) return -1;\n", k, n, k);
    for (int i = 0; i < n; i++) {
        const char *a = call->call.keywords.items[i]->keyword.arg;
        str_printf(&e->init, "    RT_TUPLE_SET(%s, %d, rt_str_const(\"%s\", %zu));\n", k, i, a, strlen(a));
    }
    str_printf(&e->init, "    %s->rc = RT_IMMORTAL;\n", k);
    return k;
}

/* Might this call make a logging record: logger.info(...), logging.warning(...),
 * or `from logging import info`? Then, once the arguments are evaluated, the
 * generated code tells the runtime the Python line and function, which
 * CPython reads from the caller's frame (LogRecord.lineno, .funcName). */
static bool is_log_site(Node *call) {
    static const char *const names[] = {"debug", "info", "warning", "warn", "error",
                                        "exception", "critical", "fatal", "log"};
    Node *fn = call->call.func;
    const char *name;
    if (fn->kind == ND_ATTRIBUTE) {
        Node *obj = fn->attribute.value;
        Type *ot = ty_of(obj);
        name = fn->attribute.attr;
        if (obj->kind == ND_NAME && obj->sym && obj->sym->kind == SYM_MODULE) {
            if (strcmp(obj->sym->module, "logging") != 0) return false;   /* math.log */
        } else if (ot->kind == TY_MODULE) {
            if (strcmp(ot->name, "logging") != 0) return false;
        } else if (ot->kind == TY_NATIVE) {
            if (strncmp(ot->name, "rt_logging_", 11) != 0) return false;
        } else if (ot->kind != TY_ANY) {
            return false;   /* a script class's own info(), a str, ... */
        }
    } else if (fn->kind == ND_NAME && fn->sym && fn->sym->kind == SYM_MEMBER) {
        if (strcmp(fn->sym->member->module, "logging") != 0) return false;
        name = fn->sym->member->name;
    } else {
        return false;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) return true;
    return false;
}

static void note_log_site(Em *e, Node *call) {
    if (is_log_site(call)) out_line(e->out, "rt_log_site(%u, \"%s\");", call->loc.line, e->pyname);
}

static CallArgs call_args(Em *e, Node *call, int skip) {
    CallArgs ca = {0};
    for (int i = 0; i < call->call.args.len; i++)
        if (call->call.args.items[i]->kind == ND_STARRED) ca.dynamic = true;
    for (int i = 0; i < call->call.keywords.len; i++)
        if (!call->call.keywords.items[i]->keyword.arg) ca.dynamic = true;
    if (!ca.dynamic) {
        for (int i = skip; i < call->call.args.len; i++) vl_push(e, &ca.vals, boxed_elem(e, call->call.args.items[i]));
        ca.npos = ca.vals.n;
        for (int i = 0; i < call->call.keywords.len; i++)
            vl_push(e, &ca.vals, boxed_elem(e, call->call.keywords.items[i]->keyword.value));
        ca.kwnames = kwnames_const(e, call);
        note_log_site(e, call);
        return ca;
    }
    /* f(*a, x, **k): a tuple and a dict */
    const char *l = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_list_new(0);", l);
    em_check_null(e, l);
    for (int i = skip; i < call->call.args.len; i++) {
        Node *x = call->call.args.items[i];
        Val v = boxed_elem(e, x->kind == ND_STARRED ? x->starred.value : x);
        if (x->kind == ND_STARRED) {
            const char *r = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = rt_call_method(%s, \"extend\", (RtValue *[]){%s}, 1, NULL);", r, l, v.c);
            em_release(e, v);
            em_check_null(e, r);
            out_line(e->out, "RT_CLEAR(%s);", r);
        } else {
            out_line(e->out, "if (rt_list_append(%s, %s) < 0) goto %s;", l, v.c, em_err(e));
            em_release(e, v);
        }
    }
    const char *tu = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_call((RtValue *)&rt_type_tuple, &%s, 1, NULL);", tu, l);
    out_line(e->out, "RT_CLEAR(%s);", l);
    em_check_null(e, tu);
    ca.tuple = val(tu, REP_OBJ, true);
    const char *d = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_dict_new();", d);
    em_check_null(e, d);
    for (int i = 0; i < call->call.keywords.len; i++) {
        Node *k = call->call.keywords.items[i];
        Val v = boxed_elem(e, k->keyword.value);
        if (!k->keyword.arg) {
            const char *r = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = rt_call_method(%s, \"update\", (RtValue *[]){%s}, 1, NULL);", r, d, v.c);
            em_release(e, v);
            em_check_null(e, r);
            out_line(e->out, "RT_CLEAR(%s);", r);
        } else {
            out_line(e->out, "if (rt_dict_set_cstr(%s, \"%s\", %s) < 0) goto %s;", d, k->keyword.arg, v.c, em_err(e));
            em_release(e, v);
        }
    }
    ca.dict = val(d, REP_OBJ, true);
    note_log_site(e, call);
    return ca;
}

static void call_args_release(Em *e, CallArgs *ca) {
    if (ca->dynamic) {
        em_release(e, ca->tuple);
        em_release(e, ca->dict);
    } else {
        vl_release(e, &ca->vals);
    }
}

/* callable(args) through the generic protocol; `callee` is a boxed C expression. */
static Val generic_call(Em *e, const char *callee, CallArgs *ca) {
    const char *t = em_tmp(e, REP_OBJ);
    if (ca->dynamic) out_line(e->out, "%s = rt_call_tuple_dict(%s, %s, %s);", t, callee, ca->tuple.c, ca->dict.c);
    else out_line(e->out, "%s = rt_call(%s, %s, %d, %s);", t, callee, vl_array(e, &ca->vals), ca->npos, ca->kwnames);
    call_args_release(e, ca);
    em_check_null(e, t);
    return val(t, REP_OBJ, true);
}

/* A native function of the runtime called directly (os.getpid(), len(x)). */
static Val native_call(Em *e, const char *fn, const char *self, CallArgs *ca) {
    if (ca->dynamic) {
        const char *f = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_builtin_new(\"%s\", %s, %s, -1);", f, fn, fn, self);
        em_check_null(e, f);
        Val r = generic_call(e, f, ca);
        out_line(e->out, "RT_CLEAR(%s);", f);
        return r;
    }
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = %s(%s, %s, %d, %s);", t, fn, self, vl_array(e, &ca->vals), ca->npos, ca->kwnames);
    call_args_release(e, ca);
    em_check_null(e, t);
    return val(t, REP_OBJ, true);
}

Val em_call_direct(Em *e, FuncInfo *f, Val *args, int n) {
    Str s = {0};
    str_printf(&s, "%s(", f->cname);
    for (int i = 0; i < n; i++) str_printf(&s, "%s%s", i ? ", " : "", args[i].c);
    str_puts(&s, ")");
    const char *t = em_tmp(e, f->ret_rep);
    out_line(e->out, "%s = %s;", t, str_cstr(&s));
    str_free(&s);
    for (int i = 0; i < n; i++) em_release(e, args[i]);
    if (f->ret_rep == REP_OBJ) em_check_null(e, t);
    else check_err(e);
    return val(t, f->ret_rep, f->ret_rep == REP_OBJ);
}

/* Can this call of f bind its arguments at translation time? */
static bool direct_callable(FuncInfo *f) {
    return f && f->nfree == 0 && !f->decorated && !f->is_property && f->kwarg == NULL &&
           f->def->kind == ND_FUNCDEF;
}

/* f(args) with the arguments matched to f's parameters here; NULL slots
 * take the default. Returns false (emitting nothing) when it cannot. */
static bool direct_call(Em *e, FuncInfo *f, Node *call, Val *self, Val *out) {
    if (!direct_callable(f)) return false;
    int skip = self ? 1 : 0;
    int nparams = f->npos + f->nkwonly;
    Node **bound = ar_alloc(e->a, sizeof(Node *) * (size_t)(nparams + 1));
    int npos = call->call.args.len;
    for (int i = 0; i < npos; i++) if (call->call.args.items[i]->kind == ND_STARRED) return false;
    if (npos + skip > f->npos && !f->vararg) return false;
    int nfixed = npos + skip < f->npos ? npos : f->npos - skip;
    for (int i = 0; i < nfixed; i++) bound[i + skip] = call->call.args.items[i];
    for (int i = 0; i < call->call.keywords.len; i++) {
        const char *k = call->call.keywords.items[i]->keyword.arg;
        if (!k) return false;
        int slot = -1;
        for (int j = f->nposonly; j < nparams; j++) if (strcmp(f->params[j]->name, k) == 0) slot = j;
        if (slot < skip || bound[slot]) return false;
        bound[slot] = call->call.keywords.items[i]->keyword.value;
    }
    for (int j = skip; j < nparams; j++) {
        bool has_default = j < f->npos ? f->defaults[j] != NULL : f->kwdefaults[j - f->npos] != NULL;
        if (!bound[j] && !has_default) return false;
    }
    /* evaluate in source order: positionals, then keywords */
    Val *vals = ar_alloc(e->a, sizeof(Val) * (size_t)(nparams + 2));
    bool *have = ar_alloc(e->a, sizeof(bool) * (size_t)(nparams + 2));
    if (self) { vals[0] = em_to(e, *self, f->params[0]->rep); have[0] = true; }
    for (int i = 0; i < nfixed; i++) {
        Val v = em_expr(e, call->call.args.items[i]);
        if (v.rep == REP_OBJ && !v.owned) v = em_to_owned(e, v);
        vals[i + skip] = em_to(e, v, f->params[i + skip]->rep);
        have[i + skip] = true;
    }
    Val extra = val("NULL", REP_OBJ, false);
    if (f->vararg) {
        ValList l = {0};
        for (int i = nfixed; i < npos; i++) vl_push(e, &l, boxed_elem(e, call->call.args.items[i]));
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_tuple_from_array(%s, %d);", t, vl_array(e, &l), l.n);
        vl_release(e, &l);
        em_check_null(e, t);
        extra = val(t, REP_OBJ, true);
    }
    for (int i = 0; i < call->call.keywords.len; i++) {
        Node *kv = call->call.keywords.items[i]->keyword.value;
        for (int j = 0; j < nparams; j++) {
            if (bound[j] != kv) continue;
            Val v = em_expr(e, kv);
            if (v.rep == REP_OBJ && !v.owned) v = em_to_owned(e, v);
            vals[j] = em_to(e, v, f->params[j]->rep);
            have[j] = true;
        }
    }
    for (int j = 0; j < nparams; j++) {
        if (have[j]) continue;
        /* the default object evaluated when the def ran */
        vals[j] = em_to(e, val(ar_printf(e->a, "%s_default%d", f->cname, j), REP_OBJ, false), f->params[j]->rep);
    }
    int n = nparams;
    if (f->vararg) vals[n++] = extra;
    *out = em_call_direct(e, f, vals, n);
    return true;
}

static Val call_print(Em *e, Node *n) {
    CallArgs ca = call_args(e, n, 0);
    if (ca.dynamic) return native_call(e, "rt_bi_print", "NULL", &ca);
    const char *kw[4] = {"NULL", "NULL", "NULL", "false"};
    static const char *const names[] = {"sep", "end", "file", "flush"};
    for (int i = 0; i < n->call.keywords.len; i++) {
        const char *k = n->call.keywords.items[i]->keyword.arg;
        bool known = false;
        for (int j = 0; j < 4; j++)
            if (strcmp(k, names[j]) == 0) {
                known = true;
                kw[j] = ca.vals.v[ca.npos + i].c;
                if (j == 3) {
                    const char *t = em_tmp(e, REP_I64);
                    out_line(e->out, "%s = rt_truthy(%s);", t, kw[j]);
                    em_check_neg(e, t);
                    kw[j] = t;
                }
            }
        if (!known) return native_call(e, "rt_bi_print", "NULL", &ca);
    }
    ValList pos = {ca.vals.v, ca.npos, ca.npos};
    out_line(e->out, "if (rt_print(%s, %d, %s, %s, %s, %s) < 0) goto %s;", vl_array(e, &pos), ca.npos, kw[0], kw[1],
             kw[2], kw[3], em_err(e));
    call_args_release(e, &ca);
    return val("rt_None", REP_OBJ, false);
}

/* Builtins called by name: a few become plain C, the rest call rt_bi_*. */
static Val call_builtin(Em *e, Node *n, Sym *s) {
    const char *name = s->name;
    int nargs = n->call.args.len;
    bool simple = n->call.keywords.len == 0;
    for (int i = 0; i < nargs; i++) if (n->call.args.items[i]->kind == ND_STARRED) simple = false;
    if (strcmp(name, "print") == 0) return call_print(e, n);
    if (simple && nargs == 1 && strcmp(name, "len") == 0) {
        Val v = em_to(e, em_expr(e, n->call.args.items[0]), REP_OBJ);
        const char *t = em_tmp(e, REP_I64);
        out_line(e->out, "%s = rt_len(%s);", t, v.c);
        em_release(e, v);
        em_check_neg(e, t);
        return val(t, REP_I64, false);
    }
    if (simple && nargs == 1 && strcmp(name, "float") == 0 && is_numeric(ty_of(n->call.args.items[0])))
        return em_expr_as(e, n->call.args.items[0], REP_F64);
    if (simple && nargs == 1 && strcmp(name, "int") == 0 && is_intlike(ty_of(n->call.args.items[0])))
        return em_expr_as(e, n->call.args.items[0], REP_I64);
    if (simple && nargs == 1 && strcmp(name, "abs") == 0 && is_small_int(ty_of(n->call.args.items[0]))) {
        Val v = em_expr_as(e, n->call.args.items[0], REP_I64);
        const char *t = em_tmp(e, REP_I64);
        out_line(e->out, "if (!rt_i64_abs(%s, &%s)) goto %s;", v.c, t, em_err(e));
        return val(t, REP_I64, false);
    }
    if (simple && nargs == 1 && strcmp(name, "abs") == 0 && ty_of(n->call.args.items[0])->kind == TY_FLOAT)
        return val(fmt(e, "fabs(%s)", em_expr_as(e, n->call.args.items[0], REP_F64).c), REP_F64, false);
    if (simple && nargs == 2 && (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) &&
        is_small_int(ty_of(n->call.args.items[0])) && is_small_int(ty_of(n->call.args.items[1]))) {
        Val a = materialize(e, em_expr_as(e, n->call.args.items[0], REP_I64));
        Val b = materialize(e, em_expr_as(e, n->call.args.items[1], REP_I64));
        /* ties keep the first argument, as CPython */
        return val(fmt(e, "(%s %s %s ? %s : %s)", b.c, name[1] == 'i' ? "<" : ">", a.c, b.c, a.c), REP_I64, false);
    }
    if (simple && nargs == 2 && strcmp(name, "isinstance") == 0) {
        Val a = em_to(e, em_expr(e, n->call.args.items[0]), REP_OBJ);
        Val b = em_to(e, em_expr(e, n->call.args.items[1]), REP_OBJ);
        const char *t = em_tmp(e, REP_I64);
        out_line(e->out, "%s = rt_isinstance(%s, %s);", t, a.c, b.c);
        em_release(e, a);
        em_release(e, b);
        em_check_neg(e, t);
        return val(fmt(e, "(%s != 0)", t), REP_BOOL, false);
    }
    if (strcmp(name, "super") == 0) {   /* super().x and super(C, self).x are handled where they occur */
        diag_error(e->p->src, n->loc, n->end,
                   "super() is supported as super().name or super(C, self).name, not as a value of its own");
        return val("rt_None", REP_OBJ, false);
    }
    const char *ty = builtin_type_sym(name);
    CallArgs ca = call_args(e, n, 0);
    if (ty) return generic_call(e, fmt(e, "(RtValue *)&%s", ty), &ca);
    if (strcmp(name, "super") == 0 || strcmp(name, "exit") == 0 || strcmp(name, "quit") == 0 ||
        strcmp(name, "__name__") == 0 || strcmp(name, "__file__") == 0 ||
        (name[0] >= 'A' && name[0] <= 'Z')) {
        Val f = load_builtin(e, s);
        Val r = generic_call(e, f.c, &ca);
        em_release(e, f);
        return r;
    }
    return native_call(e, fmt(e, "rt_bi_%s", name), "NULL", &ca);
}

static Val call_member(Em *e, const ModMember *m, Node *n) {
    CallArgs ca = call_args(e, n, 0);
    switch (m->kind) {
    case MK_FUNC: return native_call(e, m->c_sym, "NULL", &ca);
    case MK_TYPE: case MK_EXC: return generic_call(e, fmt(e, "(RtValue *)&%s", m->c_sym), &ca);
    default: {
        Val f = load_member(e, m);
        Val r = generic_call(e, f.c, &ca);
        em_release(e, f);
        return r;
    }
    }
}

/* A manager's runtime type, or NULL: "rt_mp_BaseManager", "rt_mp_SyncManager". */
static const char *manager_type(Type *t) {
    const char *nb = NULL;
    if (t->kind == TY_NATIVE) nb = t->name;
    else if (t->kind == TY_INST && t->cls) {
        ClassInfo *c = t->cls;
        while (c->base && !c->native_base) c = c->base;
        nb = c->native_base;
    }
    return nb && (strcmp(nb, "rt_mp_BaseManager") == 0 || strcmp(nb, "rt_mp_SyncManager") == 0) ? nb : NULL;
}

/* connect() and get_server() reach a manager outside this program, or serve
 * one in this process: mp2c's managers do neither. false after a diagnostic. */
static bool manager_method_ok(Em *e, Node *n, Type *ot, const char *name) {
    if (!manager_type(ot)) return true;
    Node *fn = n->call.func;
    if (strcmp(name, "connect") == 0)
        diag_error(e->p->src, fn->loc, fn->end,
                   "connecting to a manager started elsewhere (connect()) is not supported: start the manager "
                   "in this program (m.start() or `with`) and pass its proxies to the processes that use them");
    else if (strcmp(name, "get_server") == 0)
        diag_error(e->p->src, fn->loc, fn->end,
                   "get_server() (serving a manager in this process) is not supported: m.start() or `with` "
                   "runs the manager's server in a child process");
    else return true;
    return false;
}

/* obj.name(args) */
static Val call_method(Em *e, Node *n) {
    Node *fn = n->call.func;
    Node *obj = fn->attribute.value;
    const char *name = fn->attribute.attr;
    if (obj->kind == ND_NAME && obj->sym && obj->sym->kind == SYM_MODULE) {
        const ModMember *m = mod_member(obj->sym->module, name);
        if (m) return call_member(e, m, n);
    }
    if (ty_of(obj)->kind == TY_MODULE) {
        const ModMember *m = mod_member(ty_of(obj)->name, name);
        if (m) return call_member(e, m, n);
    }
    if (is_super_call(obj)) {
        const char *cls, *self;
        if (super_context(e, obj, &cls, &self)) {
            CallArgs ca = call_args(e, n, 0);
            const char *t = em_tmp(e, REP_OBJ);
            if (ca.dynamic) {
                const char *m = em_tmp(e, REP_OBJ);
                out_line(e->out, "%s = rt_super_getattr(%s, %s, \"%s\");", m, cls, self, name);
                em_check_null(e, m);
                Val r = generic_call(e, m, &ca);
                out_line(e->out, "RT_CLEAR(%s);", m);
                return r;
            }
            out_line(e->out, "%s = rt_super_call_method(%s, %s, \"%s\", %s, %d, %s);", t, cls, self, name,
                     vl_array(e, &ca.vals), ca.npos, ca.kwnames);
            call_args_release(e, &ca);
            em_check_null(e, t);
            return val(t, REP_OBJ, true);
        }
    }
    Type *ot = ty_of(obj);
    if (!manager_method_ok(e, n, ot, name)) return val("NULL", REP_OBJ, false);
    Val o = em_to(e, em_expr(e, obj), REP_OBJ);
    if (!o.owned) o = em_to_owned(e, o);
    if (ot->kind == TY_INST) {
        ClassInfo *c = ot->cls;
        Sym *ms = NULL;
        for (ClassInfo *k = c; k && !ms; k = k->base) ms = scope_lookup_local(k->scope, name);
        FuncInfo *f = ms && ms->def && ms->def->kind == ND_FUNCDEF && ms->nassign == 1 ? def_func(ms->def) : NULL;
        bool overridden = false;
        for (int i = 0; f && i < e->p->nclasses; i++) {
            ClassInfo *d = e->p->classes[i];
            for (ClassInfo *b = d->base; b; b = b->base)
                if (b == c && scope_lookup_local(d->scope, name)) overridden = true;
        }
        Val r;
        if (f && !overridden && !f->is_static && !f->is_classmethod && direct_call(e, f, n, &o, &r)) return r;
    }
    if (shared_value_rep(ot) != REP_OBJ && strncmp(ot->name, "Value:", 6) == 0 && strcmp(name, "get_lock") == 0 &&
        n->call.args.len == 0 && n->call.keywords.len == 0) {
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_mp_synced_lock(%s);", t, o.c);
        em_check_null(e, t);
        out_line(e->out, "rt_incref(%s);", t);
        em_release(e, o);
        return val(t, REP_OBJ, true);
    }
    if (ot->kind == TY_NATIVE && ot->name) {
        const NativeMethod *nm = mod_native_method(ot->name, name);
        if (nm) {
            CallArgs ca = call_args(e, n, 0);
            Val r = native_call(e, nm->c_fn, o.c, &ca);
            em_release(e, o);
            return em_to(e, r, ty_rep(ty_of(n)));
        }
    }
    if (ot->kind == TY_LIST && strcmp(name, "append") == 0 && n->call.args.len == 1 && n->call.keywords.len == 0 &&
        n->call.args.items[0]->kind != ND_STARRED) {
        Val x = boxed_elem(e, n->call.args.items[0]);
        out_line(e->out, "if (rt_list_append(%s, %s) < 0) goto %s;", o.c, x.c, em_err(e));
        em_release(e, x);
        em_release(e, o);
        return val("rt_None", REP_OBJ, false);
    }
    CallArgs ca = call_args(e, n, 0);
    const char *t = em_tmp(e, REP_OBJ);
    if (ca.dynamic) {
        const char *m = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_getattr(%s, \"%s\");", m, o.c, name);
        em_check_null(e, m);
        Val r = generic_call(e, m, &ca);
        out_line(e->out, "RT_CLEAR(%s);", m);
        em_release(e, o);
        return em_to(e, r, ty_rep(ty_of(n)));
    }
    out_line(e->out, "%s = rt_call_method(%s, \"%s\", %s, %d, %s);", t, o.c, name, vl_array(e, &ca.vals), ca.npos,
             ca.kwnames);
    call_args_release(e, &ca);
    em_release(e, o);
    em_check_null(e, t);
    return em_to(e, val(t, REP_OBJ, true), ty_rep(ty_of(n)));
}

static Val call(Em *e, Node *n) {
    Node *fn = n->call.func;
    if (fn->kind == ND_ATTRIBUTE) return call_method(e, n);
    if (fn->kind == ND_NAME && fn->sym) {
        Sym *s = fn->sym;
        if (s->kind == SYM_BUILTIN) return em_to(e, call_builtin(e, n, s), ty_rep(ty_of(n)));
        if (s->kind == SYM_MEMBER) return em_to(e, call_member(e, s->member, n), ty_rep(ty_of(n)));
        Type *ft = ty_of(fn);
        if (ft->kind == TY_FUNC) {
            Val r;
            if (direct_call(e, ft->fn, n, NULL, &r)) return em_to(e, r, ty_rep(ty_of(n)));
        }
    }
    Val f = em_to(e, em_expr(e, fn), REP_OBJ);
    if (!f.owned) f = em_to_owned(e, f);
    CallArgs ca = call_args(e, n, 0);
    Val r = generic_call(e, f.c, &ca);
    em_release(e, f);
    return em_to(e, r, ty_rep(ty_of(n)));
}

/* ==== lambdas, generators, yield ============================================================================ */

static Val lambda(Em *e, Node *n) { return em_make_function(e, n->scope->fn); }

/* The first iterable is evaluated here, as CPython does, and handed over. */
static Val genexp(Em *e, Node *n) {
    Val it = em_to_owned(e, em_expr(e, n->comp.generators.items[0]->comprehension.iter));
    return em_start_genexp(e, n->scope->fn, it);
}

static Val yield(Em *e, Node *n) {
    Val v = n->yield.value ? em_to(e, em_expr(e, n->yield.value), REP_OBJ) : val("rt_None", REP_OBJ, false);
    const char *t = em_tmp(e, REP_OBJ);
    if (n->kind == ND_YIELDFROM) {
        out_line(e->out, "%s = rt_gen_yield_from(%s);", t, v.c);
    } else {
        out_line(e->out, "%s = rt_gen_yield(%s);", t, v.c);
    }
    em_release(e, v);
    em_check_null(e, t);
    return val(t, REP_OBJ, true);
}

static Val ifexp(Em *e, Node *n) {
    Rep rep = ty_rep(ty_of(n));
    const char *c = em_cond(e, n->ifexp.test);
    const char *t = em_tmp(e, rep);
    out_open(e->out, "if (%s)", c);
    Val a = em_expr(e, n->ifexp.body);
    a = rep == REP_OBJ ? em_to_owned(e, a) : em_to(e, a, rep);
    out_line(e->out, "%s = %s;", t, a.c);
    if (rep == REP_OBJ) out_line(e->out, "%s = NULL;", a.c);
    e->out->depth--;
    out_line(e->out, "} else {");
    e->out->depth++;
    Val b = em_expr(e, n->ifexp.orelse);
    b = rep == REP_OBJ ? em_to_owned(e, b) : em_to(e, b, rep);
    out_line(e->out, "%s = %s;", t, b.c);
    if (rep == REP_OBJ) out_line(e->out, "%s = NULL;", b.c);
    out_close(e->out);
    return val(t, rep, rep == REP_OBJ);
}

static Val namedexpr(Em *e, Node *n) {
    Val v = materialize(e, em_expr(e, n->namedexpr.value));
    Val copy = v.rep == REP_OBJ ? em_to_owned(e, val(v.c, REP_OBJ, false)) : v;
    em_assign(e, n->namedexpr.target, v);
    return copy;
}

/* ==== dispatch =============================================================================================== */

Val em_expr(Em *e, Node *n) {
    switch (n->kind) {
    case ND_CONST: return const_val(e, n);
    case ND_NAME: return em_load_sym(e, n->sym, n);
    case ND_BINOP: return binop(e, n);
    case ND_UNARYOP: return unaryop(e, n);
    case ND_BOOLOP: return boolop(e, n);
    case ND_COMPARE: return compare(e, n);
    case ND_CALL: return call(e, n);
    case ND_ATTRIBUTE: return attribute(e, n);
    case ND_SUBSCRIPT: return subscript(e, n);
    case ND_SLICE: return slice_obj(e, n);
    case ND_LIST: case ND_TUPLE: case ND_SET: return seq_display(e, n);
    case ND_DICT: return dict_display(e, n);
    case ND_LISTCOMP: case ND_SETCOMP: case ND_DICTCOMP: return comprehension(e, n);
    case ND_GENEXP: return genexp(e, n);
    case ND_JOINEDSTR: return joinedstr(e, n);
    case ND_FORMATTED: return formatted(e, n);
    case ND_IFEXP: return ifexp(e, n);
    case ND_LAMBDA: return lambda(e, n);
    case ND_NAMEDEXPR: return namedexpr(e, n);
    case ND_YIELD: case ND_YIELDFROM: return yield(e, n);
    case ND_STARRED:
        diag_error(e->p->src, n->loc, n->end, "can't use starred expression here");
        return val("rt_None", REP_OBJ, false);
    case ND_AWAIT:
        diag_error(e->p->src, n->loc, n->end, "'await' is not supported");
        return val("rt_None", REP_OBJ, false);
    default:
        diag_error(e->p->src, n->loc, n->end, "this expression is not supported yet (%s)", ast_kind_name(n->kind));
        return val("rt_None", REP_OBJ, false);
    }
}

/* ==== assignment targets ======================================================================================= */

void em_assign(Em *e, Node *t, Val v) {
    switch (t->kind) {
    case ND_NAME:
        em_store_sym(e, t->sym, v);
        return;
    case ND_TUPLE: case ND_LIST: {
        NodeList *elts = &t->list.elts;
        int star = -1;
        for (int i = 0; i < elts->len; i++) if (elts->items[i]->kind == ND_STARRED) star = i;
        v = em_to(e, v, REP_OBJ);
        const char *arr = em_tmp(e, REP_OBJ);   /* names the array below */
        out_line(e->out, "RtValue *%s_items[%d] = {0};", arr, elts->len);
        out_line(e->out, "if (rt_unpack(%s, %d, %d, %s_items) < 0) goto %s;", v.c, elts->len, star, arr, em_err(e));
        em_release(e, v);
        for (int i = 0; i < elts->len; i++) {
            Node *x = elts->items[i];
            const char *item = fmt(e, "%s_items[%d]", arr, i);
            const char *owned = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = %s; %s = NULL;", owned, item, item);
            em_assign(e, x->kind == ND_STARRED ? x->starred.value : x, val(owned, REP_OBJ, true));
        }
        return;
    }
    case ND_ATTRIBUTE: {
        Rep vr = shared_value_rep(ty_of(t->attribute.value));
        if (vr != REP_OBJ && strcmp(t->attribute.attr, "value") == 0 &&
            (v.rep == vr || (vr == REP_F64 && v.rep == REP_I64))) {
            Val x = materialize(e, em_to(e, v, vr));
            Val o = em_to(e, em_expr(e, t->attribute.value), REP_OBJ);
            out_line(e->out, "if (rt_mp_value_set_%s(%s, %s) < 0) goto %s;", vr == REP_I64 ? "i64" : "f64", o.c, x.c,
                     em_err(e));
            em_release(e, o);
            return;
        }
        Val o = em_to(e, em_expr(e, t->attribute.value), REP_OBJ);
        Val x = em_to(e, v, REP_OBJ);
        out_line(e->out, "if (rt_setattr(%s, \"%s\", %s) < 0) goto %s;", o.c, t->attribute.attr, x.c, em_err(e));
        em_release(e, o);
        em_release(e, x);
        return;
    }
    case ND_SUBSCRIPT: {
        Val x = em_to(e, v, REP_OBJ);
        if (!x.owned) x = em_to_owned(e, x);
        Val o = em_to(e, em_expr(e, t->subscript.value), REP_OBJ);
        if (!o.owned) o = em_to_owned(e, o);
        Node *idx = t->subscript.slice;
        Val k = idx->kind == ND_SLICE ? slice_obj(e, idx) : em_to(e, em_expr(e, idx), REP_OBJ);
        out_line(e->out, "if (rt_setitem(%s, %s, %s) < 0) goto %s;", o.c, k.c, x.c, em_err(e));
        em_release(e, o);
        em_release(e, k);
        em_release(e, x);
        return;
    }
    case ND_STARRED:
        em_assign(e, t->starred.value, v);
        return;
    default:
        diag_error(e->p->src, t->loc, t->end, "cannot assign to this expression");
        em_release(e, v);
        return;
    }
}

void em_delete(Em *e, Node *t) {
    switch (t->kind) {
    case ND_NAME: {
        Sym *s = t->sym;
        Val cur = em_load_sym(e, s, t);   /* raises NameError/UnboundLocalError when unbound */
        em_release(e, cur);
        if (s->kind == SYM_CLASSVAR) {
            out_line(e->out, "rt_dict_del_cstr(%s, \"%s\");", e->class_ns, s->name);
        } else if (s->kind == SYM_CELL || s->kind == SYM_FREE) {
            out_line(e->out, "RT_CLEAR(%s);", cell_ref(e, s));
        } else if (s->rep == REP_OBJ) {
            out_line(e->out, "RT_CLEAR(%s);", em_sym_cname(e, s));
        }
        return;
    }
    case ND_TUPLE: case ND_LIST:
        for (int i = 0; i < t->list.elts.len; i++) em_delete(e, t->list.elts.items[i]);
        return;
    case ND_ATTRIBUTE: {
        Val o = em_to(e, em_expr(e, t->attribute.value), REP_OBJ);
        out_line(e->out, "if (rt_delattr(%s, \"%s\") < 0) goto %s;", o.c, t->attribute.attr, em_err(e));
        em_release(e, o);
        return;
    }
    case ND_SUBSCRIPT: {
        Val o = em_to(e, em_expr(e, t->subscript.value), REP_OBJ);
        Node *idx = t->subscript.slice;
        Val k = idx->kind == ND_SLICE ? slice_obj(e, idx) : em_to(e, em_expr(e, idx), REP_OBJ);
        out_line(e->out, "if (rt_delitem(%s, %s) < 0) goto %s;", o.c, k.c, em_err(e));
        em_release(e, o);
        em_release(e, k);
        return;
    }
    default:
        diag_error(e->p->src, t->loc, t->end, "cannot delete this expression");
        return;
    }
}

/* emit_stmt.c: statements (Lang. Ref. 7 and 8) to C.
 *
 * Control flow that leaves a block early (break, continue, return, and
 * exceptions) must run the `finally` clauses and `with` exits on the way
 * out, and leave the "exception being handled" state of except clauses.
 * The emitter keeps a stack of Frames for that. A jump walks the frames
 * outward: loops are its target, except clauses get their exit code inline,
 * and a finally/with frame takes over by recording why it was entered
 * (_whyN) and jumping to its exit code, which continues the walk afterwards.
 */
#include "emit.h"

#include <string.h>

static void stmt(Em *e, Node *n);

static Frame *push_frame(Em *e, FrameKind kind) {
    Frame *f = ar_alloc(e->a, sizeof(Frame));
    f->kind = kind;
    f->up = e->frame;
    f->id = ++e->nlabels;
    e->frame = f;
    return f;
}

static void pop_frame(Em *e) { e->frame = e->frame->up; }

/* Releases the temporaries made between two points: what a failed
 * statement may have left behind. */
static void clear_temps(Em *e, int from, int to) {
    for (int i = from; i < to; i++)
        if (e->temps[i].rep == REP_OBJ) out_line(e->out, "RT_CLEAR(%s);", e->temps[i].name);
}

/* Leaving an except clause: restore the handled exception and drop ours. */
static void handler_exit(Em *e, Frame *f) {
    out_line(e->out, "rt_exc_handling_leave(%s);", f->saved);
    out_line(e->out, "RT_CLEAR(%s);", f->excvar);
    if (f->namesym) {
        Sym *s = f->namesym;
        if (s->kind == SYM_LOCAL || s->kind == SYM_GLOBAL) out_line(e->out, "RT_CLEAR(%s);", em_sym_cname(e, s));
    }
}

/* Emits the jump for break/continue/return from frame f outward. */
static void unwind(Em *e, Frame *f, int why) {
    for (; f; f = f->up) {
        switch (f->kind) {
        case FR_LOOP:
            if (why == WHY_BREAK) { out_line(e->out, "goto %s;", f->brk); return; }
            if (why == WHY_CONTINUE) { out_line(e->out, "goto %s;", f->cont); return; }
            break;
        case FR_TRY:
            break;
        case FR_HANDLER:
            handler_exit(e, f);
            break;
        case FR_FINALLY:
        case FR_WITH:
            out_line(e->out, "%s = %d;", f->why, why);
            out_line(e->out, "goto %s;", f->fin);
            f->whys |= 1u << why;
            return;
        }
    }
    out_line(e->out, "goto L_ret;");
}

/* After a finally body or a with exit: continue each jump that came here. */
static void dispatch_whys(Em *e, Frame *f) {
    for (int why = WHY_RETURN; why <= WHY_CONTINUE; why++) {
        if (!(f->whys & (1u << why))) continue;
        out_open(e->out, "if (%s == %d)", f->why, why);
        unwind(e, f->up, why);
        out_close(e->out);
    }
}

void em_return_value(Em *e, Val v) {
    Rep rep = e->fn ? e->fn->ret_rep : REP_OBJ;
    if (rep == REP_OBJ) {
        v = em_to_owned(e, v);
        out_line(e->out, "RT_SETREF(_r, %s);", v.c);
        out_line(e->out, "%s = NULL;", v.c);
    } else {
        v = em_to(e, v, rep);
        out_line(e->out, "_r = %s;", v.c);
    }
    unwind(e, e->frame, WHY_RETURN);
}

/* ==== simple statements ======================================================= */

static void assign(Em *e, Node *n) {
    Val v = em_expr(e, n->assign.value);
    int nt = n->assign.targets.len;
    for (int i = 0; i < nt; i++) {
        Val copy = v;
        if (i < nt - 1) {
            /* a = b = value: each target gets its own reference */
            if (v.rep == REP_OBJ) {
                if (!v.owned) v = em_to_owned(e, v);
                copy = em_to_owned(e, (Val){v.c, REP_OBJ, false});
            } else {
                const char *t = em_tmp(e, v.rep);
                out_line(e->out, "%s = %s;", t, v.c);
                v = (Val){t, v.rep, false};
                copy = v;
            }
        }
        em_assign(e, n->assign.targets.items[i], copy);
    }
}

/* x op= v: the target's parts are evaluated once. */
static void augassign(Em *e, Node *n) {
    Node *t = n->augassign.target;
    if (t->kind == ND_NAME) {
        Node bin = {.kind = ND_BINOP, .loc = n->loc, .end = n->end, .ty = t->ty};
        bin.binop.left = t;
        bin.binop.op = n->augassign.op;
        bin.binop.right = n->augassign.value;
        /* the result type is the variable's */
        if (t->sym && t->sym->ty) bin.ty = t->sym->ty;
        em_store_sym(e, t->sym, em_binop_inplace(e, &bin));
        return;
    }
    em_augassign_item(e, n);
}

static void raise_stmt(Em *e, Node *n) {
    if (!n->raise.exc) {
        out_line(e->out, "rt_reraise();");
        out_line(e->out, "goto %s;", em_err_notb(e));
        return;
    }
    Val x = em_to(e, em_expr(e, n->raise.exc), REP_OBJ);
    if (n->raise.cause) {
        Val c = em_to(e, em_expr(e, n->raise.cause), REP_OBJ);
        out_line(e->out, "rt_raise_from(%s, %s);", x.c, c.c);
        em_release(e, c);
    } else {
        out_line(e->out, "rt_raise_value(%s);", x.c);
    }
    em_release(e, x);
    out_line(e->out, "goto %s;", em_err(e));
}

static void assert_stmt(Em *e, Node *n) {
    const char *c = em_cond(e, n->assert_.test);
    out_open(e->out, "if (!%s)", c);
    if (n->assert_.msg) {
        Val m = em_to(e, em_expr(e, n->assert_.msg), REP_OBJ);
        const char *x = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_call((RtValue *)&rt_exc_AssertionError, &%s, 1, NULL);", x, m.c);
        em_release(e, m);
        em_check_null(e, x);
        out_line(e->out, "rt_raise_value(%s);", x);
        out_line(e->out, "RT_CLEAR(%s);", x);
    } else {
        out_line(e->out, "rt_raise_value((RtValue *)&rt_exc_AssertionError);");
    }
    out_line(e->out, "goto %s;", em_err(e));
    out_close(e->out);
}

static void expr_stmt(Em *e, Node *n) {
    Val v = em_expr(e, n->expr.value);
    if (v.rep != REP_OBJ && strncmp(v.c, "_t", 2) == 0) out_line(e->out, "(void)%s;   /* value unused */", v.c);
    em_release(e, v);
}

/* ==== compound statements ======================================================= */

static void if_stmt(Em *e, Node *n) {
    const char *c = em_cond(e, n->if_.test);
    out_open(e->out, "if (%s)", c);
    em_stmts(e, &n->if_.body);
    if (n->if_.orelse.len) {
        e->out->depth--;
        out_line(e->out, "} else {");
        e->out->depth++;
        em_stmts(e, &n->if_.orelse);
    }
    out_close(e->out);
}

static void while_stmt(Em *e, Node *n) {
    Frame *f = push_frame(e, FR_LOOP);
    f->brk = em_label(e, "while_break");
    f->cont = em_label(e, "while_next");
    out_open(e->out, "for (;;)");
    em_line_marker(e, n);
    const char *c = em_cond(e, n->while_.test);
    out_line(e->out, "if (!%s) break;", c);
    em_stmts(e, &n->while_.body);
    out_label(e->out, f->cont);
    out_close(e->out);
    pop_frame(e);
    em_stmts(e, &n->while_.orelse);
    out_label(e->out, f->brk);
}

static void for_stmt(Em *e, Node *n) {
    Val item;
    IterLoop L = em_iter_begin(e, n->for_.iter, &item);
    Frame *f = push_frame(e, FR_LOOP);
    f->brk = L.brk;
    f->cont = L.cont;
    em_assign(e, n->for_.target, item);
    em_stmts(e, &n->for_.body);
    pop_frame(e);
    em_iter_end(e, &L);
    em_stmts(e, &n->for_.orelse);
    em_iter_close(e, &L);
}

/* try: body  except ...: handlers  else: orelse   (the finally part is try_finally) */
static void try_except(Em *e, Node *n) {
    Frame *t = push_frame(e, FR_TRY);
    t->err_tb = em_label(e, "except");
    t->err_notb = ar_printf(e->a, "%s_nt", t->err_tb);
    int from = e->ntemps;
    em_stmts(e, &n->try_.body);
    int to = e->ntemps;
    pop_frame(e);
    em_stmts(e, &n->try_.orelse);
    const char *done = em_label(e, "try_end");
    out_line(e->out, "goto %s;", done);
    out_label(e->out, t->err_tb);
    out_line(e->out, "rt_tb_here(\"%s\", _ln);", e->pyname);
    out_label(e->out, t->err_notb);
    clear_temps(e, from, to);
    for (int i = 0; i < n->try_.handlers.len; i++) {
        Node *h = n->try_.handlers.items[i];
        if (h->handler.type) {
            Val ty = em_to(e, em_expr(e, h->handler.type), REP_OBJ);
            const char *m = em_tmp(e, REP_BOOL);
            out_line(e->out, "%s = rt_exc_matches(%s);", m, ty.c);
            em_release(e, ty);
            out_open(e->out, "if (%s)", m);
        } else {
            out_block(e->out);
        }
        Frame *hf = push_frame(e, FR_HANDLER);
        hf->excvar = em_tmp(e, REP_OBJ);
        hf->saved = em_label(e, "saved");
        hf->err_tb = em_label(e, "handler_err");
        hf->err_notb = ar_printf(e->a, "%s_nt", hf->err_tb);
        hf->namesym = h->sym;
        out_line(e->out, "%s = rt_exc_fetch();", hf->excvar);
        out_line(e->out, "RtValue *%s;", hf->saved);
        out_line(e->out, "rt_exc_handling_enter(%s, &%s);", hf->excvar, hf->saved);
        if (h->sym) em_store_sym(e, h->sym, (Val){hf->excvar, REP_OBJ, false});
        int hfrom = e->ntemps;
        em_stmts(e, &h->handler.body);
        int hto = e->ntemps;
        pop_frame(e);
        handler_exit(e, hf);
        out_line(e->out, "goto %s;", done);
        /* an exception inside the handler: leave it, then propagate */
        out_label(e->out, hf->err_tb);
        out_line(e->out, "rt_tb_here(\"%s\", _ln);", e->pyname);
        out_label(e->out, hf->err_notb);
        clear_temps(e, hfrom, hto);
        handler_exit(e, hf);
        out_line(e->out, "goto %s;", em_err_notb(e));
        out_close(e->out);
    }
    out_line(e->out, "goto %s;", em_err_notb(e));
    out_label(e->out, done);
}

/* try: ... finally: final */
static void try_finally(Em *e, Node *n) {
    const char *pexc = em_tmp(e, REP_OBJ);
    const char *why = em_tmp(e, REP_I64);
    Frame *f = push_frame(e, FR_FINALLY);
    f->fin = em_label(e, "finally");
    f->why = why;
    f->err_tb = em_label(e, "finally_exc");
    f->err_notb = ar_printf(e->a, "%s_nt", f->err_tb);
    int from = e->ntemps;
    if (n->try_.handlers.len) try_except(e, n);
    else em_stmts(e, &n->try_.body);
    int to = e->ntemps;
    pop_frame(e);
    out_line(e->out, "%s = 0;", why);
    out_line(e->out, "goto %s;", f->fin);
    out_label(e->out, f->err_tb);
    out_line(e->out, "rt_tb_here(\"%s\", _ln);", e->pyname);
    out_label(e->out, f->err_notb);
    clear_temps(e, from, to);
    out_line(e->out, "%s = rt_exc_fetch();", pexc);
    out_line(e->out, "%s = %d;", why, WHY_EXC);
    out_label(e->out, f->fin);
    em_stmts(e, &n->try_.finalbody);
    out_open(e->out, "if (%s == %d)", why, WHY_EXC);
    out_line(e->out, "rt_exc_restore(%s);", pexc);
    out_line(e->out, "%s = NULL;", pexc);
    out_line(e->out, "goto %s;", em_err_notb(e));
    out_close(e->out);
    dispatch_whys(e, f);
}

static void try_stmt(Em *e, Node *n) {
    if (n->try_.finalbody.len) try_finally(e, n);
    else try_except(e, n);
}

/* with a as x, b as y: body  ==  with a as x: with b as y: body */
static void with_items(Em *e, Node *n, int i) {
    if (i == n->with.items.len) {
        em_stmts(e, &n->with.body);
        return;
    }
    Node *item = n->with.items.items[i];
    Type *mt = item->withitem.context_expr->ty;
    bool lock = mt && mt->kind == TY_NATIVE && mt->name && mod_is_lock_type(mt->name);
    Val mgr = em_to_owned(e, em_expr(e, item->withitem.context_expr));
    const char *enter = em_tmp(e, REP_OBJ);
    if (lock) {
        /* with lock: acquire(), and release() on every way out */
        const char *r0 = em_tmp(e, REP_I64);
        out_line(e->out, "%s = rt_mp_lock_acquire(%s, true, -1.0);", r0, mgr.c);
        em_check_neg(e, r0);
        out_line(e->out, "%s = rt_bool(%s);", enter, r0);
    } else {
        out_line(e->out, "%s = rt_with_enter(%s);", enter, mgr.c);
        em_check_null(e, enter);
    }
    if (item->withitem.optional_vars) em_assign(e, item->withitem.optional_vars, (Val){enter, REP_OBJ, true});
    else out_line(e->out, "RT_CLEAR(%s);", enter);
    const char *why = em_tmp(e, REP_I64);
    const char *r = em_tmp(e, REP_I64);
    Frame *f = push_frame(e, FR_WITH);
    f->fin = em_label(e, "with_exit");
    f->why = why;
    f->err_tb = em_label(e, "with_exc");
    f->err_notb = ar_printf(e->a, "%s_nt", f->err_tb);
    int from = e->ntemps;
    with_items(e, n, i + 1);
    int to = e->ntemps;
    pop_frame(e);
    const char *done = em_label(e, "with_done");
    /* the body finished: __exit__(None, None, None) */
    out_line(e->out, "_ln = %u;", n->loc.line);
    if (f->whys) out_line(e->out, "%s = 0;", why);
    out_label(e->out, f->fin);
    if (lock) out_line(e->out, "%s = rt_mp_lock_release(%s);", r, mgr.c);
    else out_line(e->out, "%s = rt_with_exit(%s, NULL);", r, mgr.c);
    out_line(e->out, "RT_CLEAR(%s);", mgr.c);
    em_check_neg(e, r);
    dispatch_whys(e, f);
    out_line(e->out, "goto %s;", done);
    /* an exception in the body: __exit__ decides whether it propagates */
    const char *exc = em_tmp(e, REP_OBJ);
    out_label(e->out, f->err_tb);
    out_line(e->out, "rt_tb_here(\"%s\", _ln);", e->pyname);
    out_label(e->out, f->err_notb);
    clear_temps(e, from, to);
    out_line(e->out, "%s = rt_exc_fetch();", exc);
    if (lock) out_line(e->out, "%s = rt_mp_lock_release(%s) < 0 ? -1 : 0;   /* a lock never swallows */", r, mgr.c);
    else out_line(e->out, "%s = rt_with_exit(%s, %s);", r, mgr.c, exc);
    out_line(e->out, "RT_CLEAR(%s);", mgr.c);
    out_open(e->out, "if (%s == 0)", r);
    out_line(e->out, "rt_exc_restore(%s);", exc);
    out_line(e->out, "%s = NULL;", exc);
    out_line(e->out, "goto %s;", em_err_notb(e));
    out_close(e->out);
    out_line(e->out, "RT_CLEAR(%s);", exc);
    out_line(e->out, "if (%s < 0) goto %s;", r, em_err(e));
    out_label(e->out, done);
}

/* ==== definitions ============================================================== */

static void funcdef(Em *e, Node *n) {
    FuncInfo *f = def_func(n);
    /* decorators are evaluated before the function is made, applied after */
    int nd = n->funcdef.decorators.len;
    Val *decs = ar_alloc(e->a, sizeof(Val) * (size_t)(nd + 1));
    for (int i = 0; i < nd; i++) decs[i] = em_to_owned(e, em_expr(e, n->funcdef.decorators.items[i]));
    Val fn = em_make_function(e, f);
    for (int i = nd - 1; i >= 0; i--) {
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_call(%s, &%s, 1, NULL);", t, decs[i].c, fn.c);
        em_release(e, fn);
        em_release(e, decs[i]);
        em_check_null(e, t);
        fn = (Val){t, REP_OBJ, true};
    }
    em_store_sym(e, n->sym, fn);
}

static void classdef(Em *e, Node *n) {
    ClassInfo *c = n->scope->cls;
    const char *base = "NULL";
    if (n->classdef.bases.len) {
        Val b = em_to(e, em_expr(e, n->classdef.bases.items[0]), REP_OBJ);
        const char *bt = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = %s;", bt, b.c);
        if (!b.owned) out_line(e->out, "rt_incref(%s);", bt);
        out_line(e->out, "if (%s->type->tag != RT_T_TYPE) { rt_raise(&rt_exc_TypeError, \"bases must be types\"); goto %s; }",
                 bt, em_err(e));
        base = ar_printf(e->a, "(RtType *)%s", bt);
    }
    const char *ns = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_dict_new();", ns);
    em_check_null(e, ns);
    Val modname = {em_str_const(e, "__main__", 8), REP_OBJ, false};
    out_line(e->out, "if (rt_dict_set_cstr(%s, \"__module__\", %s) < 0) goto %s;", ns, modname.c, em_err(e));
    ClassInfo *saved_class = e->class_body;
    const char *saved_ns = e->class_ns;
    e->class_body = c;
    e->class_ns = ns;
    em_stmts(e, &n->classdef.body);
    e->class_body = saved_class;
    e->class_ns = saved_ns;
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_class_new(\"%s\", \"__main__\", %s, %s, %d);", t, c->name, base, ns, c->table_index);
    out_line(e->out, "RT_CLEAR(%s);", ns);
    em_check_null(e, t);
    out_line(e->out, "%s = %s;   /* classes are immortal */", c->cname, t);
    out_line(e->out, "class_table[%d] = (RtType *)%s;", c->table_index, t);
    int nd = n->classdef.decorators.len;
    Val cls = {t, REP_OBJ, true};
    for (int i = nd - 1; i >= 0; i--) {
        Val d = em_to(e, em_expr(e, n->classdef.decorators.items[i]), REP_OBJ);
        const char *r = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_call(%s, &%s, 1, NULL);", r, d.c, cls.c);
        em_release(e, d);
        em_release(e, cls);
        em_check_null(e, r);
        cls = (Val){r, REP_OBJ, true};
    }
    em_store_sym(e, n->sym, cls);
}

/* ==== dispatch =================================================================== */

static void stmt(Em *e, Node *n) {
    switch (n->kind) {
    case ND_EXPR: expr_stmt(e, n); return;
    case ND_ASSIGN: assign(e, n); return;
    case ND_AUGASSIGN: augassign(e, n); return;
    case ND_ANNASSIGN:
        if (e->class_body && n->annassign.target->kind == ND_NAME && e->class_ns) {
            /* a class body records its annotated names in order (dataclass
             * reads them); the annotations themselves are not evaluated */
            const char *ann = em_tmp(e, REP_OBJ);
            out_line(e->out, "%s = rt_dict_get_cstr(%s, \"__annotations__\");", ann, e->class_ns);
            out_line(e->out, "if (%s) rt_incref(%s);", ann, ann);
            out_line(e->out, "else if (!(%s = rt_dict_new()) || rt_dict_set_cstr(%s, \"__annotations__\", %s) < 0) goto %s;",
                     ann, e->class_ns, ann, em_err(e));
            out_line(e->out, "if (rt_dict_set_cstr(%s, \"%s\", rt_None) < 0) goto %s;", ann,
                     n->annassign.target->name.id, em_err(e));
            out_line(e->out, "RT_CLEAR(%s);", ann);
        }
        if (n->annassign.value) em_assign(e, n->annassign.target, em_expr(e, n->annassign.value));
        return;
    case ND_IF: if_stmt(e, n); return;
    case ND_WHILE: while_stmt(e, n); return;
    case ND_FOR: for_stmt(e, n); return;
    case ND_BREAK: unwind(e, e->frame, WHY_BREAK); return;
    case ND_CONTINUE: unwind(e, e->frame, WHY_CONTINUE); return;
    case ND_RETURN:
        em_return_value(e, n->ret.value ? em_expr(e, n->ret.value) : (Val){"rt_None", REP_OBJ, false});
        return;
    case ND_PASS: case ND_GLOBAL: case ND_NONLOCAL: case ND_IMPORT: case ND_IMPORTFROM:
        return;
    case ND_RAISE: raise_stmt(e, n); return;
    case ND_ASSERT: assert_stmt(e, n); return;
    case ND_DELETE:
        for (int i = 0; i < n->del.targets.len; i++) em_delete(e, n->del.targets.items[i]);
        return;
    case ND_TRY: try_stmt(e, n); return;
    case ND_WITH: with_items(e, n, 0); return;
    case ND_FUNCDEF: funcdef(e, n); return;
    case ND_CLASSDEF: classdef(e, n); return;
    default:
        diag_error(e->p->src, n->loc, n->end, "this statement is not supported (%s)", ast_kind_name(n->kind));
        return;
    }
}

void em_stmts(Em *e, NodeList *body) {
    for (int i = 0; i < body->len; i++) {
        Node *n = body->items[i];
        if (n->kind != ND_FUNCDEF && n->kind != ND_CLASSDEF && n->kind != ND_PASS && n->kind != ND_GLOBAL &&
            n->kind != ND_NONLOCAL)
            em_line_marker(e, n);
        else
            out_line(e->out, "_ln = %u;   /* %s */", n->loc.line, n->kind == ND_FUNCDEF ? n->funcdef.name :
                     n->kind == ND_CLASSDEF ? n->classdef.name : "pass");
        stmt(e, n);
    }
}

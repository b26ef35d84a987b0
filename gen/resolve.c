/* resolve.c: scopes and name binding (Lang. Ref. 4.2 "Naming and binding").
 *
 * Three walks over the tree:
 *   1. declare: create a Scope for the module, every def/lambda/class/
 *      comprehension/generator expression, and in each scope a Sym for every
 *      name the scope binds (assignment targets, parameters, imports, def,
 *      class, for/with/except targets, walrus, global/nonlocal declarations).
 *   2. bind: point every Name node at its Sym, following Python's rules: a
 *      name bound in a function is local to it unless declared global or
 *      nonlocal; otherwise enclosing functions (not classes) are searched and
 *      a hit there turns the variable into a cell; then module globals; then
 *      builtins.
 *   3. facts: definite assignment (which locals may be read before they are
 *      bound, so they keep a boxed representation that can say "unbound"),
 *      and integer growth (r *= i, 2 ** n: ints that may outgrow 64 bits).
 * Imports are checked against modules.c; an unknown module or member is a
 * diagnostic at its line.
 */
#include "sema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A call that may create or configure a manager, checked once classes are known. */
typedef struct CallNote {
    struct CallNote *next;
    Node            *call;
} CallNote;

typedef struct Resolver {
    Program  *p;
    bool      ok;
    CallNote *calls;   /* calls of a name, and NAME.register(...) */
} Resolver;

static void error_at(Resolver *r, const Node *n, const char *fmt, const char *a, const char *b) {
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    diag_error(r->p->src, n->loc, n->end, "%s", msg);
    r->ok = false;
}

/* ==== scopes ================================================================== */

Sym *scope_lookup_local(Scope *s, const char *name) {
    for (int i = 0; i < s->nsyms; i++)
        if (strcmp(s->syms[i]->name, name) == 0) return s->syms[i];
    return NULL;
}

Sym *scope_add(Program *p, Scope *s, const char *name, SymKind kind) {
    Sym *sym = scope_lookup_local(s, name);
    if (sym) return sym;
    sym = ar_alloc(p->arena, sizeof(Sym));
    sym->name = name;
    sym->kind = kind;
    sym->scope = s;
    if (s->nsyms == s->cap) {
        int cap = s->cap ? s->cap * 2 : 8;
        Sym **syms = ar_alloc(p->arena, sizeof(Sym *) * (size_t)cap);
        if (s->nsyms) memcpy(syms, s->syms, sizeof(Sym *) * (size_t)s->nsyms);
        s->syms = syms;
        s->cap = cap;
    }
    s->syms[s->nsyms++] = sym;
    return sym;
}

static Scope *scope_new(Program *p, ScopeKind kind, Node *node, Scope *parent) {
    Scope *s = ar_alloc(p->arena, sizeof(Scope));
    s->kind = kind;
    s->node = node;
    s->parent = parent;
    node->scope = s;
    return s;
}

/* The scope that owns plain variables: comprehensions keep their own
 * variables but belong to the function that contains them. */
static SymKind local_kind(Scope *s) {
    switch (s->kind) {
    case SC_MODULE: return SYM_GLOBAL;
    case SC_CLASS:  return SYM_CLASSVAR;
    case SC_FUNC:
    case SC_COMP:   return SYM_LOCAL;
    }
    return SYM_LOCAL;
}

static void push_func(Program *p, FuncInfo *f) {
    if (p->nfuncs == p->funccap) {
        int cap = p->funccap ? p->funccap * 2 : 16;
        FuncInfo **a = ar_alloc(p->arena, sizeof(FuncInfo *) * (size_t)cap);
        if (p->nfuncs) memcpy(a, p->funcs, sizeof(FuncInfo *) * (size_t)p->nfuncs);
        p->funcs = a;
        p->funccap = cap;
    }
    f->table_index = p->nfuncs;
    p->funcs[p->nfuncs++] = f;
}

static void push_class(Program *p, ClassInfo *c) {
    if (p->nclasses == p->classcap) {
        int cap = p->classcap ? p->classcap * 2 : 8;
        ClassInfo **a = ar_alloc(p->arena, sizeof(ClassInfo *) * (size_t)cap);
        if (p->nclasses) memcpy(a, p->classes, sizeof(ClassInfo *) * (size_t)p->nclasses);
        p->classes = a;
        p->classcap = cap;
    }
    c->table_index = p->nclasses;
    p->classes[p->nclasses++] = c;
}

/* The innermost function scope enclosing s (or NULL at module level). */
static Scope *enclosing_func_scope(Scope *s) {
    for (; s; s = s->parent)
        if (s->kind == SC_FUNC) return s;
    return NULL;
}

static const char *qualname_for(Program *p, Scope *parent, const char *name) {
    for (Scope *s = parent; s; s = s->parent) {
        if (s->kind == SC_CLASS) return ar_printf(p->arena, "%s.%s", s->cls->name, name);
        if (s->kind == SC_FUNC)
            return ar_printf(p->arena, "%s.<locals>.%s", s->fn->qualname, name);
    }
    return name;
}

/* ==== pass 1: declarations ===================================================== */

static void declare_stmts(Resolver *r, Scope *s, NodeList *body);
static void declare_expr(Resolver *r, Scope *s, Node *e);

static void bind_name(Resolver *r, Scope *s, const char *name) {
    Sym *sym = scope_lookup_local(s, name);
    if (!sym) sym = scope_add(r->p, s, name, local_kind(s));
    sym->nassign++;
}

/* Binds every Name in an assignment target (a, (b, *c), x.y, x[i]). */
static void declare_target(Resolver *r, Scope *s, Node *t) {
    switch (t->kind) {
    case ND_NAME: bind_name(r, s, t->name.id); return;
    case ND_TUPLE:
    case ND_LIST:
        for (int i = 0; i < t->list.elts.len; i++) declare_target(r, s, t->list.elts.items[i]);
        return;
    case ND_STARRED: declare_target(r, s, t->starred.value); return;
    case ND_ATTRIBUTE: declare_expr(r, s, t->attribute.value); return;
    case ND_SUBSCRIPT:
        declare_expr(r, s, t->subscript.value);
        declare_expr(r, s, t->subscript.slice);
        return;
    default:
        declare_expr(r, s, t);
        return;
    }
}

static void declare_list(Resolver *r, Scope *s, NodeList *l) {
    for (int i = 0; i < l->len; i++) declare_expr(r, s, l->items[i]);
}

static FuncInfo *new_func(Resolver *r, Node *def, Scope *parent, const char *name) {
    Program *p = r->p;
    FuncInfo *f = ar_alloc(p->arena, sizeof(FuncInfo));
    f->def = def;
    f->name = name;
    f->qualname = qualname_for(p, parent, name);
    f->scope = scope_new(p, SC_FUNC, def, parent);
    f->scope->fn = f;
    f->cls = parent->kind == SC_CLASS ? parent->cls : NULL;
    Scope *outer = enclosing_func_scope(parent);
    f->parent_fn = outer ? outer->fn : NULL;
    f->is_lambda = def->kind == ND_LAMBDA || def->kind == ND_GENEXP;
    push_func(p, f);
    return f;
}

/* Declares a function's parameters in its scope and records the signature. */
static void declare_params(Resolver *r, FuncInfo *f, Node *args) {
    Program *p = r->p;
    Scope *s = f->scope;
    int npos = args->arguments.posonlyargs.len + args->arguments.args.len;
    f->nposonly = args->arguments.posonlyargs.len;
    f->npos = npos;
    f->nkwonly = args->arguments.kwonlyargs.len;
    f->params = ar_alloc(p->arena, sizeof(Sym *) * (size_t)(npos + f->nkwonly + 1));
    f->defaults = ar_alloc(p->arena, sizeof(Node *) * (size_t)(npos + 1));
    f->kwdefaults = ar_alloc(p->arena, sizeof(Node *) * (size_t)(f->nkwonly + 1));
    int k = 0;
    for (int i = 0; i < args->arguments.posonlyargs.len; i++) {
        Node *a = args->arguments.posonlyargs.items[i];
        f->params[k++] = a->sym = scope_add(p, s, a->arg.name, SYM_LOCAL);
    }
    for (int i = 0; i < args->arguments.args.len; i++) {
        Node *a = args->arguments.args.items[i];
        f->params[k++] = a->sym = scope_add(p, s, a->arg.name, SYM_LOCAL);
    }
    for (int i = 0; i < f->nkwonly; i++) {
        Node *a = args->arguments.kwonlyargs.items[i];
        f->params[k++] = a->sym = scope_add(p, s, a->arg.name, SYM_LOCAL);
        f->kwdefaults[i] = args->arguments.kw_defaults.items[i];
    }
    int nd = args->arguments.defaults.len;
    for (int i = 0; i < nd; i++) f->defaults[npos - nd + i] = args->arguments.defaults.items[i];
    if (args->arguments.vararg) {
        Node *a = args->arguments.vararg;
        f->vararg = a->sym = scope_add(p, s, a->arg.name, SYM_LOCAL);
    }
    if (args->arguments.kwarg) {
        Node *a = args->arguments.kwarg;
        f->kwarg = a->sym = scope_add(p, s, a->arg.name, SYM_LOCAL);
    }
    for (int i = 0; i < k; i++) f->params[i]->is_param = true, f->params[i]->nassign++;
    if (f->vararg) f->vararg->is_param = true, f->vararg->nassign++;
    if (f->kwarg) f->kwarg->is_param = true, f->kwarg->nassign++;
}

/* Defaults and annotations are evaluated in the enclosing scope. */
static void declare_arg_exprs(Resolver *r, Scope *s, Node *args) {
    declare_list(r, s, &args->arguments.defaults);
    for (int i = 0; i < args->arguments.kw_defaults.len; i++)
        if (args->arguments.kw_defaults.items[i]) declare_expr(r, s, args->arguments.kw_defaults.items[i]);
}

static bool contains_yield(Node *n);

static void declare_funcdef(Resolver *r, Scope *s, Node *n) {
    declare_list(r, s, &n->funcdef.decorators);
    declare_arg_exprs(r, s, n->funcdef.args);
    FuncInfo *f = new_func(r, n, s, n->funcdef.name);
    declare_params(r, f, n->funcdef.args);
    for (int i = 0; i < n->funcdef.body.len; i++)
        if (contains_yield(n->funcdef.body.items[i])) f->is_generator = true;
    declare_stmts(r, f->scope, &n->funcdef.body);
    bind_name(r, s, n->funcdef.name);
    Sym *sym = scope_lookup_local(s, n->funcdef.name);
    n->sym = sym;
    if (sym->nassign == 1) sym->def = n;
}

/* A lambda or generator expression: an anonymous function. */
static void declare_lambda(Resolver *r, Scope *s, Node *n) {
    declare_arg_exprs(r, s, n->lambda.args);
    FuncInfo *f = new_func(r, n, s, "<lambda>");
    declare_params(r, f, n->lambda.args);
    f->is_generator = contains_yield(n->lambda.body);
    declare_expr(r, f->scope, n->lambda.body);
}

static void declare_classdef(Resolver *r, Scope *s, Node *n) {
    Program *p = r->p;
    declare_list(r, s, &n->classdef.decorators);
    declare_list(r, s, &n->classdef.bases);
    for (int i = 0; i < n->classdef.keywords.len; i++)
        declare_expr(r, s, n->classdef.keywords.items[i]->keyword.value);
    ClassInfo *c = ar_alloc(p->arena, sizeof(ClassInfo));
    c->def = n;
    c->name = n->classdef.name;
    c->scope = scope_new(p, SC_CLASS, n, s);
    c->scope->cls = c;
    push_class(p, c);
    declare_stmts(r, c->scope, &n->classdef.body);
    bind_name(r, s, n->classdef.name);
    Sym *sym = scope_lookup_local(s, n->classdef.name);
    n->sym = sym;
    if (sym->nassign == 1) sym->def = n;
}

/* [elt for t in it if c ...]: its own scope; the first iterable belongs to
 * the enclosing one. Generator expressions become anonymous generator
 * functions whose argument is the first iterable, as in CPython. */
static void declare_comp(Resolver *r, Scope *s, Node *n) {
    NodeList *gens = &n->comp.generators;
    declare_expr(r, s, gens->items[0]->comprehension.iter);
    Scope *cs;
    if (n->kind == ND_GENEXP) {
        FuncInfo *f = new_func(r, n, s, "<genexpr>");
        f->is_generator = true;
        f->npos = 0;
        f->params = ar_alloc(r->p->arena, sizeof(Sym *));
        cs = f->scope;
    } else {
        cs = scope_new(r->p, SC_COMP, n, s);
        Scope *fs = enclosing_func_scope(s);
        cs->fn = fs ? fs->fn : NULL;
    }
    for (int i = 0; i < gens->len; i++) {
        Node *g = gens->items[i];
        if (i > 0) declare_expr(r, cs, g->comprehension.iter);
        declare_target(r, cs, g->comprehension.target);
        declare_list(r, cs, &g->comprehension.ifs);
    }
    if (n->comp.elt) declare_expr(r, cs, n->comp.elt);
    if (n->comp.key) declare_expr(r, cs, n->comp.key);
    if (n->comp.value) declare_expr(r, cs, n->comp.value);
}

static void declare_expr(Resolver *r, Scope *s, Node *e) {
    if (!e) return;
    switch (e->kind) {
    case ND_LAMBDA: declare_lambda(r, s, e); return;
    case ND_LISTCOMP: case ND_SETCOMP: case ND_DICTCOMP: case ND_GENEXP:
        declare_comp(r, s, e);
        return;
    case ND_NAMEDEXPR: {
        /* := binds in the enclosing function, even from a comprehension */
        Scope *t = s;
        while (t->kind == SC_COMP) t = t->parent;
        declare_target(r, t, e->namedexpr.target);
        declare_expr(r, s, e->namedexpr.value);
        return;
    }
    case ND_BOOLOP: declare_list(r, s, &e->boolop.values); return;
    case ND_BINOP: declare_expr(r, s, e->binop.left); declare_expr(r, s, e->binop.right); return;
    case ND_UNARYOP: declare_expr(r, s, e->unaryop.operand); return;
    case ND_IFEXP:
        declare_expr(r, s, e->ifexp.test);
        declare_expr(r, s, e->ifexp.body);
        declare_expr(r, s, e->ifexp.orelse);
        return;
    case ND_DICT:
        for (int i = 0; i < e->dict.keys.len; i++) declare_expr(r, s, e->dict.keys.items[i]);
        declare_list(r, s, &e->dict.values);
        return;
    case ND_SET: declare_list(r, s, &e->set.elts); return;
    case ND_AWAIT: declare_expr(r, s, e->await.value); return;
    case ND_YIELD: case ND_YIELDFROM: declare_expr(r, s, e->yield.value); return;
    case ND_COMPARE: declare_expr(r, s, e->compare.left); declare_list(r, s, &e->compare.comparators); return;
    case ND_CALL:
        declare_expr(r, s, e->call.func);
        declare_list(r, s, &e->call.args);
        for (int i = 0; i < e->call.keywords.len; i++) declare_expr(r, s, e->call.keywords.items[i]->keyword.value);
        return;
    case ND_FORMATTED: declare_expr(r, s, e->formatted.value); declare_expr(r, s, e->formatted.format_spec); return;
    case ND_JOINEDSTR: declare_list(r, s, &e->joinedstr.values); return;
    case ND_ATTRIBUTE: declare_expr(r, s, e->attribute.value); return;
    case ND_SUBSCRIPT: declare_expr(r, s, e->subscript.value); declare_expr(r, s, e->subscript.slice); return;
    case ND_STARRED: declare_expr(r, s, e->starred.value); return;
    case ND_LIST: case ND_TUPLE: declare_list(r, s, &e->list.elts); return;
    case ND_SLICE:
        declare_expr(r, s, e->slice.lower);
        declare_expr(r, s, e->slice.upper);
        declare_expr(r, s, e->slice.step);
        return;
    default:
        return;
    }
}

static void declare_import(Resolver *r, Scope *s, Node *n) {
    for (int i = 0; i < n->import.names.len; i++) {
        Node *a = n->import.names.items[i];
        const char *full = a->alias.name;
        if (!mod_exists(full)) continue;   /* subset.c has reported it */
        const char *bound = a->alias.asname;
        const char *module = full;
        if (!bound) {
            /* `import a.b` binds `a` */
            const char *dot = strchr(full, '.');
            bound = dot ? ar_strndup(r->p->arena, full, (size_t)(dot - full)) : full;
            module = bound;
        }
        bind_name(r, s, bound);
        Sym *sym = scope_lookup_local(s, bound);
        sym->kind = SYM_MODULE;
        sym->module = module;
        a->sym = sym;
    }
}

/* A name an import failed to bind: a global that later errors ignore. */
static void bind_failed_import(Resolver *r, Scope *s, Node *alias) {
    if (strcmp(alias->alias.name, "*") == 0) return;
    const char *bound = alias->alias.asname ? alias->alias.asname : alias->alias.name;
    bind_name(r, s, bound);
    scope_lookup_local(s, bound)->import_failed = true;
}

static void declare_importfrom(Resolver *r, Scope *s, Node *n) {
    const char *mod = n->importfrom.module;
    if (!mod || n->importfrom.level > 0 || !mod_exists(mod)) {   /* reported by subset.c */
        for (int i = 0; i < n->importfrom.names.len; i++) bind_failed_import(r, s, n->importfrom.names.items[i]);
        return;
    }
    for (int i = 0; i < n->importfrom.names.len; i++) {
        Node *a = n->importfrom.names.items[i];
        if (strcmp(a->alias.name, "*") == 0) {
            const ModMember *m;
            for (int k = 0; (m = mod_member_at(mod, k)); k++) {
                bind_name(r, s, m->name);
                Sym *sym = scope_lookup_local(s, m->name);
                sym->kind = m->kind == MK_MODULE ? SYM_MODULE : SYM_MEMBER;
                sym->member = m;
                sym->module = m->kind == MK_MODULE ? m->c_sym : NULL;
            }
            continue;
        }
        const ModMember *m = mod_member(mod, a->alias.name);
        if (!m) {
            if (strcmp(mod, "multiprocessing.managers") == 0 &&
                (strstr(a->alias.name, "Proxy") || strcmp(a->alias.name, "Server") == 0))
                error_at(r, a, "mp2c does not provide '%s' from module 'multiprocessing.managers' (custom proxy "
                         "types and servers are not supported: register a class without proxytype and its public "
                         "methods are forwarded)", a->alias.name, NULL);
            else
                error_at(r, a, "mp2c does not provide '%s' from module '%s'", a->alias.name, mod);
            bind_failed_import(r, s, a);
            continue;
        }
        const char *bound = a->alias.asname ? a->alias.asname : a->alias.name;
        bind_name(r, s, bound);
        Sym *sym = scope_lookup_local(s, bound);
        sym->kind = m->kind == MK_MODULE ? SYM_MODULE : SYM_MEMBER;
        sym->member = m;
        sym->module = m->kind == MK_MODULE ? m->c_sym : NULL;
        a->sym = sym;
    }
}

static void declare_global(Resolver *r, Scope *s, Node *n, bool nonlocal) {
    for (int i = 0; i < n->global.len; i++) {
        const char *name = n->global.names[i];
        Sym *sym = scope_lookup_local(s, name);
        if (sym && sym->nassign > 0 && !sym->declared_global) {
            char msg[300];
            snprintf(msg, sizeof msg, "name '%s' is assigned to before %s declaration",
                     name, nonlocal ? "nonlocal" : "global");
            diag_error(r->p->src, n->loc, n->end, "%s", msg);
            r->ok = false;
            continue;
        }
        sym = scope_add(r->p, s, name, nonlocal ? SYM_FREE : SYM_GLOBAL);
        sym->declared_global = true;
    }
}

static void declare_stmt(Resolver *r, Scope *s, Node *n) {
    switch (n->kind) {
    case ND_FUNCDEF: declare_funcdef(r, s, n); return;
    case ND_CLASSDEF: declare_classdef(r, s, n); return;
    case ND_RETURN: declare_expr(r, s, n->ret.value); return;
    case ND_DELETE:
        for (int i = 0; i < n->del.targets.len; i++) declare_target(r, s, n->del.targets.items[i]);
        return;
    case ND_ASSIGN:
        declare_expr(r, s, n->assign.value);
        for (int i = 0; i < n->assign.targets.len; i++) declare_target(r, s, n->assign.targets.items[i]);
        return;
    case ND_AUGASSIGN:
        declare_expr(r, s, n->augassign.value);
        declare_target(r, s, n->augassign.target);
        return;
    case ND_ANNASSIGN:
        declare_expr(r, s, n->annassign.value);
        if (n->annassign.value || n->annassign.target->kind != ND_NAME) declare_target(r, s, n->annassign.target);
        else scope_add(r->p, s, n->annassign.target->name.id, local_kind(s));
        return;
    case ND_FOR:
        declare_expr(r, s, n->for_.iter);
        declare_target(r, s, n->for_.target);
        declare_stmts(r, s, &n->for_.body);
        declare_stmts(r, s, &n->for_.orelse);
        return;
    case ND_WHILE:
        declare_expr(r, s, n->while_.test);
        declare_stmts(r, s, &n->while_.body);
        declare_stmts(r, s, &n->while_.orelse);
        return;
    case ND_IF:
        declare_expr(r, s, n->if_.test);
        declare_stmts(r, s, &n->if_.body);
        declare_stmts(r, s, &n->if_.orelse);
        return;
    case ND_WITH:
        for (int i = 0; i < n->with.items.len; i++) {
            Node *it = n->with.items.items[i];
            declare_expr(r, s, it->withitem.context_expr);
            if (it->withitem.optional_vars) declare_target(r, s, it->withitem.optional_vars);
        }
        declare_stmts(r, s, &n->with.body);
        return;
    case ND_RAISE: declare_expr(r, s, n->raise.exc); declare_expr(r, s, n->raise.cause); return;
    case ND_TRY:
        declare_stmts(r, s, &n->try_.body);
        for (int i = 0; i < n->try_.handlers.len; i++) {
            Node *h = n->try_.handlers.items[i];
            declare_expr(r, s, h->handler.type);
            if (h->handler.name) {
                bind_name(r, s, h->handler.name);
                h->sym = scope_lookup_local(s, h->handler.name);
            }
            declare_stmts(r, s, &h->handler.body);
        }
        declare_stmts(r, s, &n->try_.orelse);
        declare_stmts(r, s, &n->try_.finalbody);
        return;
    case ND_ASSERT: declare_expr(r, s, n->assert_.test); declare_expr(r, s, n->assert_.msg); return;
    case ND_IMPORT: declare_import(r, s, n); return;
    case ND_IMPORTFROM: declare_importfrom(r, s, n); return;
    case ND_GLOBAL: declare_global(r, s, n, false); return;
    case ND_NONLOCAL: declare_global(r, s, n, true); return;
    case ND_EXPR: declare_expr(r, s, n->expr.value); return;
    default: return;
    }
}

static void declare_stmts(Resolver *r, Scope *s, NodeList *body) {
    for (int i = 0; i < body->len; i++) declare_stmt(r, s, body->items[i]);
}

/* Does the statement or expression contain yield (not inside a nested
 * def, lambda or class)? */
static bool contains_yield_list(NodeList *l);

static bool contains_yield(Node *n) {
    if (!n) return false;
    switch (n->kind) {
    case ND_YIELD: case ND_YIELDFROM: return true;
    case ND_FUNCDEF: case ND_LAMBDA: case ND_CLASSDEF: case ND_GENEXP: return false;
    case ND_RETURN: return contains_yield(n->ret.value);
    case ND_ASSIGN: return contains_yield(n->assign.value);
    case ND_AUGASSIGN: return contains_yield(n->augassign.value);
    case ND_ANNASSIGN: return contains_yield(n->annassign.value);
    case ND_EXPR: return contains_yield(n->expr.value);
    case ND_FOR: return contains_yield(n->for_.iter) || contains_yield_list(&n->for_.body) || contains_yield_list(&n->for_.orelse);
    case ND_WHILE: return contains_yield(n->while_.test) || contains_yield_list(&n->while_.body) || contains_yield_list(&n->while_.orelse);
    case ND_IF: return contains_yield(n->if_.test) || contains_yield_list(&n->if_.body) || contains_yield_list(&n->if_.orelse);
    case ND_WITH:
        for (int i = 0; i < n->with.items.len; i++)
            if (contains_yield(n->with.items.items[i]->withitem.context_expr)) return true;
        return contains_yield_list(&n->with.body);
    case ND_TRY:
        if (contains_yield_list(&n->try_.body) || contains_yield_list(&n->try_.orelse) ||
            contains_yield_list(&n->try_.finalbody)) return true;
        for (int i = 0; i < n->try_.handlers.len; i++)
            if (contains_yield_list(&n->try_.handlers.items[i]->handler.body)) return true;
        return false;
    case ND_BINOP: return contains_yield(n->binop.left) || contains_yield(n->binop.right);
    case ND_UNARYOP: return contains_yield(n->unaryop.operand);
    case ND_BOOLOP: return contains_yield_list(&n->boolop.values);
    case ND_CALL:
        if (contains_yield(n->call.func) || contains_yield_list(&n->call.args)) return true;
        for (int i = 0; i < n->call.keywords.len; i++)
            if (contains_yield(n->call.keywords.items[i]->keyword.value)) return true;
        return false;
    case ND_TUPLE: case ND_LIST: return contains_yield_list(&n->list.elts);
    case ND_IFEXP: return contains_yield(n->ifexp.test) || contains_yield(n->ifexp.body) || contains_yield(n->ifexp.orelse);
    case ND_COMPARE: return contains_yield(n->compare.left) || contains_yield_list(&n->compare.comparators);
    case ND_ATTRIBUTE: return contains_yield(n->attribute.value);
    case ND_SUBSCRIPT: return contains_yield(n->subscript.value) || contains_yield(n->subscript.slice);
    default: return false;
    }
}

static bool contains_yield_list(NodeList *l) {
    for (int i = 0; i < l->len; i++)
        if (contains_yield(l->items[i])) return true;
    return false;
}

/* ==== pass 2: binding Names ================================================================= */

static void bind_stmts(Resolver *r, Scope *s, NodeList *body);
static void bind_expr(Resolver *r, Scope *s, Node *e);

/* Names a builtin provides: functions, types, exceptions, constants. */
static bool is_builtin_name(const char *name) {
    static const char *const names[] = {
        "abs", "all", "any", "ascii", "bin", "callable", "chr", "delattr", "divmod",
        "enumerate", "filter", "format", "getattr", "hasattr", "hash", "hex", "id", "input",
        "isinstance", "issubclass", "iter", "len", "map", "max", "min", "next", "oct", "ord",
        "pow", "print", "repr", "reversed", "round", "setattr", "sorted", "sum", "vars", "zip",
        "int", "float", "str", "bool", "list", "tuple", "dict", "set", "frozenset", "bytes",
        "bytearray", "range", "object", "type", "complex", "slice", "super", "property",
        "staticmethod", "classmethod", "NotImplemented", "Ellipsis", "exit", "quit",
        "__name__", "__file__", "open", "IOError", "EnvironmentError",
        "BaseException", "SystemExit", "KeyboardInterrupt", "GeneratorExit", "Exception",
        "StopIteration", "ArithmeticError", "FloatingPointError", "OverflowError",
        "ZeroDivisionError", "AssertionError", "AttributeError", "BufferError", "EOFError",
        "ImportError", "LookupError", "IndexError", "KeyError", "MemoryError", "NameError",
        "UnboundLocalError", "OSError", "BlockingIOError", "ChildProcessError",
        "ConnectionError", "BrokenPipeError", "ConnectionResetError", "ConnectionAbortedError",
        "ConnectionRefusedError", "FileExistsError", "FileNotFoundError", "InterruptedError",
        "IsADirectoryError", "NotADirectoryError", "PermissionError", "ProcessLookupError",
        "TimeoutError", "RuntimeError", "NotImplementedError", "RecursionError", "TypeError",
        "ValueError", "UnicodeError", "UnicodeDecodeError", "UnicodeEncodeError",
        NULL,
    };
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0) return true;
    return false;
}

static Sym *global_or_builtin(Resolver *r, const char *name) {
    Sym *g = scope_lookup_local(r->p->modscope, name);
    if (g) return g;
    if (is_builtin_name(name)) return scope_add(r->p, r->p->modscope, name, SYM_BUILTIN);
    /* never bound: NameError when (if) executed, as in CPython */
    return scope_add(r->p, r->p->modscope, name, SYM_GLOBAL);
}

/* The nearest enclosing scope whose names a nested scope can see (class
 * bodies are invisible from inside their methods and comprehensions). */
static Scope *visible_parent(Scope *s) {
    Scope *u = s->parent;
    while (u && u->kind == SC_CLASS) u = u->parent;
    return u;
}

/* Finds what `name` means when read in scope s, creating cells and free
 * variables for closures. Comprehensions are compiled inline, so a name a
 * comprehension reads from its function is that function's own local; a
 * function reading an enclosing function's local turns it into a cell and
 * gets a free variable, threaded through every function in between. */
static Sym *lookup(Resolver *r, Scope *s, const char *name) {
    Sym *sym = scope_lookup_local(s, name);
    if (sym) {
        if (sym->kind == SYM_GLOBAL && s->kind != SC_MODULE) return global_or_builtin(r, name);
        if (sym->kind != SYM_FREE || sym->outer) return sym;
    }
    if (s->kind == SC_MODULE) return global_or_builtin(r, name);
    Scope *u = s->kind == SC_CLASS ? s->parent : visible_parent(s);
    if (!u || u->kind == SC_MODULE) return global_or_builtin(r, name);
    Sym *o = lookup(r, u, name);
    if (s->kind != SC_FUNC) return o;   /* class bodies and comprehensions read through */
    if (o->kind != SYM_LOCAL && o->kind != SYM_CELL && o->kind != SYM_FREE) return o;
    if (o->kind == SYM_LOCAL) o->kind = SYM_CELL;
    Sym *free = sym ? sym : scope_add(r->p, s, name, SYM_FREE);
    free->kind = SYM_FREE;
    free->outer = o;
    return free;
}

/* CPython builtins that mp2c does not provide: a use is a diagnostic, not a
 * NameError at run time. */
static const char *unsupported_builtin(const char *name) {
    static const char *const names[] = {
        "aiter", "anext", "breakpoint", "copyright", "credits", "dir", "help", "license",
        "memoryview", "BaseExceptionGroup", "ExceptionGroup", "ConnectionAbortedError",
        "ConnectionRefusedError", "IsADirectoryError", "NotADirectoryError", "ModuleNotFoundError",
        "ReferenceError", "StopAsyncIteration", "SyntaxError", "IndentationError", "TabError",
        "SystemError", "UnicodeTranslateError", "Warning", "UserWarning", "DeprecationWarning",
        "PendingDeprecationWarning", "SyntaxWarning", "RuntimeWarning", "FutureWarning",
        "ImportWarning", "UnicodeWarning", "BytesWarning", "ResourceWarning", "EncodingWarning",
        NULL,
    };
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0) return names[i];
    return NULL;
}

static void bind_list(Resolver *r, Scope *s, NodeList *l) {
    for (int i = 0; i < l->len; i++) bind_expr(r, s, l->items[i]);
}

/* A store target binds in s itself (declare put the symbol there). */
static void bind_target(Resolver *r, Scope *s, Node *t) {
    switch (t->kind) {
    case ND_NAME: {
        Sym *sym = scope_lookup_local(s, t->name.id);
        if (sym && sym->kind == SYM_GLOBAL && s->kind != SC_MODULE) sym = lookup(r, s, t->name.id);
        else if (sym && sym->kind == SYM_FREE) sym = lookup(r, s, t->name.id);
        else if (!sym) sym = lookup(r, s, t->name.id);
        t->sym = sym;
        return;
    }
    case ND_TUPLE:
    case ND_LIST:
        for (int i = 0; i < t->list.elts.len; i++) bind_target(r, s, t->list.elts.items[i]);
        return;
    case ND_STARRED: bind_target(r, s, t->starred.value); return;
    default: bind_expr(r, s, t); return;
    }
}

static void bind_comp(Resolver *r, Scope *s, Node *n) {
    Scope *cs = n->scope;
    NodeList *gens = &n->comp.generators;
    bind_expr(r, s, gens->items[0]->comprehension.iter);
    for (int i = 0; i < gens->len; i++) {
        Node *g = gens->items[i];
        if (i > 0) bind_expr(r, cs, g->comprehension.iter);
        bind_target(r, cs, g->comprehension.target);
        bind_list(r, cs, &g->comprehension.ifs);
    }
    if (n->comp.elt) bind_expr(r, cs, n->comp.elt);
    if (n->comp.key) bind_expr(r, cs, n->comp.key);
    if (n->comp.value) bind_expr(r, cs, n->comp.value);
}

/* module.attr chains resolve statically: os.getpid, multiprocessing.shared_memory.SharedMemory */
static void check_module_attribute(Resolver *r, Node *e) {
    Node *v = e->attribute.value;
    const char *mod = NULL;
    if (v->kind == ND_NAME && v->sym && v->sym->kind == SYM_MODULE) mod = v->sym->module;
    if (!mod) return;
    if (!mod_member(mod, e->attribute.attr)) {
        char full[300];
        snprintf(full, sizeof full, "%s.%s", mod, e->attribute.attr);
        if (mod_exists(full)) return;   /* import a.b; a.b.c */
        error_at(r, e, "mp2c does not provide '%s.%s'", mod, e->attribute.attr);
    }
}

static void bind_expr(Resolver *r, Scope *s, Node *e) {
    if (!e) return;
    switch (e->kind) {
    case ND_NAME:
        e->sym = e->name.ctx == CTX_LOAD ? lookup(r, s, e->name.id) : (bind_target(r, s, e), e->sym);
        if (e->sym->kind == SYM_GLOBAL && e->sym->nassign == 0 && unsupported_builtin(e->name.id))
            error_at(r, e, "mp2c does not provide the builtin '%s'%s", e->name.id,
                     strstr(e->name.id, "Warning") ? " (the warnings machinery is not translated)" : "");
        return;
    case ND_LAMBDA:
        bind_list(r, s, &e->lambda.args->arguments.defaults);
        for (int i = 0; i < e->lambda.args->arguments.kw_defaults.len; i++)
            bind_expr(r, s, e->lambda.args->arguments.kw_defaults.items[i]);
        bind_expr(r, e->scope, e->lambda.body);
        return;
    case ND_LISTCOMP: case ND_SETCOMP: case ND_DICTCOMP: case ND_GENEXP:
        bind_comp(r, s, e);
        return;
    case ND_NAMEDEXPR: {
        Scope *t = s;
        while (t->kind == SC_COMP) t = t->parent;
        bind_expr(r, s, e->namedexpr.value);
        bind_target(r, t, e->namedexpr.target);
        return;
    }
    case ND_BOOLOP: bind_list(r, s, &e->boolop.values); return;
    case ND_BINOP: bind_expr(r, s, e->binop.left); bind_expr(r, s, e->binop.right); return;
    case ND_UNARYOP: bind_expr(r, s, e->unaryop.operand); return;
    case ND_IFEXP: bind_expr(r, s, e->ifexp.test); bind_expr(r, s, e->ifexp.body); bind_expr(r, s, e->ifexp.orelse); return;
    case ND_DICT:
        for (int i = 0; i < e->dict.keys.len; i++) bind_expr(r, s, e->dict.keys.items[i]);
        bind_list(r, s, &e->dict.values);
        return;
    case ND_SET: bind_list(r, s, &e->set.elts); return;
    case ND_AWAIT: bind_expr(r, s, e->await.value); return;
    case ND_YIELD: case ND_YIELDFROM: bind_expr(r, s, e->yield.value); return;
    case ND_COMPARE: bind_expr(r, s, e->compare.left); bind_list(r, s, &e->compare.comparators); return;
    case ND_CALL:
        bind_expr(r, s, e->call.func);
        bind_list(r, s, &e->call.args);
        for (int i = 0; i < e->call.keywords.len; i++) bind_expr(r, s, e->call.keywords.items[i]->keyword.value);
        if (e->call.func->kind == ND_NAME ||
            (e->call.func->kind == ND_ATTRIBUTE && e->call.func->attribute.value->kind == ND_NAME &&
             strcmp(e->call.func->attribute.attr, "register") == 0)) {
            CallNote *cn = ar_alloc(r->p->arena, sizeof *cn);
            cn->call = e;
            cn->next = r->calls;
            r->calls = cn;
        }
        return;
    case ND_FORMATTED: bind_expr(r, s, e->formatted.value); bind_expr(r, s, e->formatted.format_spec); return;
    case ND_JOINEDSTR: bind_list(r, s, &e->joinedstr.values); return;
    case ND_ATTRIBUTE:
        bind_expr(r, s, e->attribute.value);
        check_module_attribute(r, e);
        return;
    case ND_SUBSCRIPT: bind_expr(r, s, e->subscript.value); bind_expr(r, s, e->subscript.slice); return;
    case ND_STARRED: bind_expr(r, s, e->starred.value); return;
    case ND_LIST: case ND_TUPLE: bind_list(r, s, &e->list.elts); return;
    case ND_SLICE: bind_expr(r, s, e->slice.lower); bind_expr(r, s, e->slice.upper); bind_expr(r, s, e->slice.step); return;
    default: return;
    }
}

static void bind_funcdef(Resolver *r, Scope *s, Node *n) {
    bind_list(r, s, &n->funcdef.decorators);
    bind_list(r, s, &n->funcdef.args->arguments.defaults);
    for (int i = 0; i < n->funcdef.args->arguments.kw_defaults.len; i++)
        bind_expr(r, s, n->funcdef.args->arguments.kw_defaults.items[i]);
    bind_stmts(r, n->scope, &n->funcdef.body);
}

static void bind_classdef(Resolver *r, Scope *s, Node *n) {
    bind_list(r, s, &n->classdef.decorators);
    bind_list(r, s, &n->classdef.bases);
    for (int i = 0; i < n->classdef.keywords.len; i++) bind_expr(r, s, n->classdef.keywords.items[i]->keyword.value);
    bind_stmts(r, n->scope, &n->classdef.body);
}

static void bind_stmt(Resolver *r, Scope *s, Node *n) {
    switch (n->kind) {
    case ND_FUNCDEF: bind_funcdef(r, s, n); return;
    case ND_CLASSDEF: bind_classdef(r, s, n); return;
    case ND_RETURN: bind_expr(r, s, n->ret.value); return;
    case ND_DELETE: bind_list(r, s, &n->del.targets); return;
    case ND_ASSIGN:
        bind_expr(r, s, n->assign.value);
        for (int i = 0; i < n->assign.targets.len; i++) bind_target(r, s, n->assign.targets.items[i]);
        return;
    case ND_AUGASSIGN:
        bind_expr(r, s, n->augassign.value);
        bind_target(r, s, n->augassign.target);
        return;
    case ND_ANNASSIGN:
        bind_expr(r, s, n->annassign.value);
        bind_target(r, s, n->annassign.target);
        return;
    case ND_FOR:
        bind_expr(r, s, n->for_.iter);
        bind_target(r, s, n->for_.target);
        bind_stmts(r, s, &n->for_.body);
        bind_stmts(r, s, &n->for_.orelse);
        return;
    case ND_WHILE:
        bind_expr(r, s, n->while_.test);
        bind_stmts(r, s, &n->while_.body);
        bind_stmts(r, s, &n->while_.orelse);
        return;
    case ND_IF:
        bind_expr(r, s, n->if_.test);
        bind_stmts(r, s, &n->if_.body);
        bind_stmts(r, s, &n->if_.orelse);
        return;
    case ND_WITH:
        for (int i = 0; i < n->with.items.len; i++) {
            Node *it = n->with.items.items[i];
            bind_expr(r, s, it->withitem.context_expr);
            if (it->withitem.optional_vars) bind_target(r, s, it->withitem.optional_vars);
        }
        bind_stmts(r, s, &n->with.body);
        return;
    case ND_RAISE: bind_expr(r, s, n->raise.exc); bind_expr(r, s, n->raise.cause); return;
    case ND_TRY:
        bind_stmts(r, s, &n->try_.body);
        for (int i = 0; i < n->try_.handlers.len; i++) {
            Node *h = n->try_.handlers.items[i];
            bind_expr(r, s, h->handler.type);
            if (h->handler.name) {
                Node fake = {.kind = ND_NAME};
                fake.name.id = h->handler.name;
                fake.name.ctx = CTX_STORE;
                bind_target(r, s, &fake);
                h->sym = fake.sym;
            }
            bind_stmts(r, s, &h->handler.body);
        }
        bind_stmts(r, s, &n->try_.orelse);
        bind_stmts(r, s, &n->try_.finalbody);
        return;
    case ND_ASSERT: bind_expr(r, s, n->assert_.test); bind_expr(r, s, n->assert_.msg); return;
    case ND_EXPR: bind_expr(r, s, n->expr.value); return;
    case ND_IMPORT: case ND_IMPORTFROM: case ND_GLOBAL: case ND_NONLOCAL:
    case ND_PASS: case ND_BREAK: case ND_CONTINUE:
        return;
    default:
        return;
    }
}

static void bind_stmts(Resolver *r, Scope *s, NodeList *body) {
    for (int i = 0; i < body->len; i++) bind_stmt(r, s, body->items[i]);
}

/* ==== pass 3: facts =============================================================================
 * Definite assignment: a forward walk keeping the set of locals surely bound
 * at each point. Sets are bit vectors over the function's symbols. */

typedef struct BitSet { uint64_t *w; int nwords; bool all; } BitSet;

typedef struct DA {
    Resolver *r;
    Scope    *scope;      /* the function whose locals are tracked */
    int       nwords;
} DA;

static BitSet bs_new(DA *d, bool all) {
    BitSet b = {ar_alloc(d->r->p->arena, sizeof(uint64_t) * (size_t)d->nwords), d->nwords, all};
    return b;
}

static BitSet bs_copy(DA *d, BitSet a) {
    BitSet b = bs_new(d, a.all);
    memcpy(b.w, a.w, sizeof(uint64_t) * (size_t)a.nwords);
    return b;
}

static void bs_meet(BitSet *a, BitSet b) {   /* a &= b, where "all" is the unit */
    if (b.all) return;
    if (a->all) { memcpy(a->w, b.w, sizeof(uint64_t) * (size_t)b.nwords); a->all = false; return; }
    for (int i = 0; i < a->nwords; i++) a->w[i] &= b.w[i];
}

static int sym_index(DA *d, Sym *s) {
    if (!s || s->scope != d->scope) return -1;
    for (int i = 0; i < d->scope->nsyms; i++)
        if (d->scope->syms[i] == s) return i;
    return -1;
}

static void da_set(DA *d, BitSet *b, Sym *s) {
    int i = sym_index(d, s);
    if (i >= 0) b->w[i / 64] |= 1ull << (i % 64);
}

static void da_clear(DA *d, BitSet *b, Sym *s) {
    int i = sym_index(d, s);
    if (i >= 0) b->w[i / 64] &= ~(1ull << (i % 64));
}

static void da_read(DA *d, BitSet *b, Sym *s) {
    int i = sym_index(d, s);
    if (i < 0 || b->all) return;
    if (!(b->w[i / 64] & (1ull << (i % 64)))) s->maybe_unbound = true;
}

static void da_expr(DA *d, BitSet *b, Node *e);

static void da_target(DA *d, BitSet *b, Node *t) {
    switch (t->kind) {
    case ND_NAME: da_set(d, b, t->sym); return;
    case ND_TUPLE: case ND_LIST:
        for (int i = 0; i < t->list.elts.len; i++) da_target(d, b, t->list.elts.items[i]);
        return;
    case ND_STARRED: da_target(d, b, t->starred.value); return;
    case ND_ATTRIBUTE: da_expr(d, b, t->attribute.value); return;
    case ND_SUBSCRIPT: da_expr(d, b, t->subscript.value); da_expr(d, b, t->subscript.slice); return;
    default: return;
    }
}

static void da_exprs(DA *d, BitSet *b, NodeList *l) {
    for (int i = 0; i < l->len; i++) da_expr(d, b, l->items[i]);
}

static void da_expr(DA *d, BitSet *b, Node *e) {
    if (!e) return;
    switch (e->kind) {
    case ND_NAME:
        if (e->name.ctx == CTX_LOAD) da_read(d, b, e->sym);
        return;
    case ND_BOOLOP: {
        /* only the first operand is surely evaluated */
        da_expr(d, b, e->boolop.values.items[0]);
        BitSet t = bs_copy(d, *b);
        for (int i = 1; i < e->boolop.values.len; i++) da_expr(d, &t, e->boolop.values.items[i]);
        return;
    }
    case ND_NAMEDEXPR: da_expr(d, b, e->namedexpr.value); da_target(d, b, e->namedexpr.target); return;
    case ND_BINOP: da_expr(d, b, e->binop.left); da_expr(d, b, e->binop.right); return;
    case ND_UNARYOP: da_expr(d, b, e->unaryop.operand); return;
    case ND_IFEXP: {
        da_expr(d, b, e->ifexp.test);
        BitSet t = bs_copy(d, *b), f = bs_copy(d, *b);
        da_expr(d, &t, e->ifexp.body);
        da_expr(d, &f, e->ifexp.orelse);
        return;
    }
    case ND_DICT:
        for (int i = 0; i < e->dict.keys.len; i++) da_expr(d, b, e->dict.keys.items[i]);
        da_exprs(d, b, &e->dict.values);
        return;
    case ND_SET: da_exprs(d, b, &e->set.elts); return;
    case ND_LISTCOMP: case ND_SETCOMP: case ND_DICTCOMP: case ND_GENEXP: {
        da_expr(d, b, e->comp.generators.items[0]->comprehension.iter);
        /* names used inside read the function's locals too */
        BitSet t = bs_copy(d, *b);
        for (int i = 0; i < e->comp.generators.len; i++) {
            Node *g = e->comp.generators.items[i];
            if (i > 0) da_expr(d, &t, g->comprehension.iter);
            da_exprs(d, &t, &g->comprehension.ifs);
        }
        da_expr(d, &t, e->comp.elt);
        da_expr(d, &t, e->comp.key);
        da_expr(d, &t, e->comp.value);
        return;
    }
    case ND_LAMBDA: return;
    case ND_AWAIT: da_expr(d, b, e->await.value); return;
    case ND_YIELD: case ND_YIELDFROM: da_expr(d, b, e->yield.value); return;
    case ND_COMPARE: da_expr(d, b, e->compare.left); da_exprs(d, b, &e->compare.comparators); return;
    case ND_CALL:
        da_expr(d, b, e->call.func);
        da_exprs(d, b, &e->call.args);
        for (int i = 0; i < e->call.keywords.len; i++) da_expr(d, b, e->call.keywords.items[i]->keyword.value);
        return;
    case ND_FORMATTED: da_expr(d, b, e->formatted.value); da_expr(d, b, e->formatted.format_spec); return;
    case ND_JOINEDSTR: da_exprs(d, b, &e->joinedstr.values); return;
    case ND_ATTRIBUTE: da_expr(d, b, e->attribute.value); return;
    case ND_SUBSCRIPT: da_expr(d, b, e->subscript.value); da_expr(d, b, e->subscript.slice); return;
    case ND_STARRED: da_expr(d, b, e->starred.value); return;
    case ND_LIST: case ND_TUPLE: da_exprs(d, b, &e->list.elts); return;
    case ND_SLICE: da_expr(d, b, e->slice.lower); da_expr(d, b, e->slice.upper); da_expr(d, b, e->slice.step); return;
    default: return;
    }
}

static BitSet da_stmts(DA *d, BitSet in, NodeList *body);

static BitSet da_stmt(DA *d, BitSet in, Node *n) {
    BitSet b = bs_copy(d, in);
    switch (n->kind) {
    case ND_FUNCDEF:
        da_exprs(d, &b, &n->funcdef.decorators);
        da_exprs(d, &b, &n->funcdef.args->arguments.defaults);
        da_set(d, &b, n->sym);
        return b;
    case ND_CLASSDEF:
        da_exprs(d, &b, &n->classdef.bases);
        da_set(d, &b, n->sym);
        return b;
    case ND_RETURN:
        da_expr(d, &b, n->ret.value);
        b.all = true;
        return b;
    case ND_RAISE:
        da_expr(d, &b, n->raise.exc);
        da_expr(d, &b, n->raise.cause);
        b.all = true;
        return b;
    case ND_BREAK: case ND_CONTINUE:
        b.all = true;
        return b;
    case ND_DELETE:
        for (int i = 0; i < n->del.targets.len; i++) {
            Node *t = n->del.targets.items[i];
            if (t->kind == ND_NAME) { da_read(d, &b, t->sym); da_clear(d, &b, t->sym); }
            else da_target(d, &b, t);
        }
        return b;
    case ND_ASSIGN:
        da_expr(d, &b, n->assign.value);
        for (int i = 0; i < n->assign.targets.len; i++) da_target(d, &b, n->assign.targets.items[i]);
        return b;
    case ND_AUGASSIGN:
        da_expr(d, &b, n->augassign.value);
        if (n->augassign.target->kind == ND_NAME) da_read(d, &b, n->augassign.target->sym);
        da_target(d, &b, n->augassign.target);
        return b;
    case ND_ANNASSIGN:
        if (n->annassign.value) {
            da_expr(d, &b, n->annassign.value);
            da_target(d, &b, n->annassign.target);
        }
        return b;
    case ND_EXPR: da_expr(d, &b, n->expr.value); return b;
    case ND_ASSERT: da_expr(d, &b, n->assert_.test); return b;
    case ND_IF: {
        da_expr(d, &b, n->if_.test);
        BitSet t = da_stmts(d, b, &n->if_.body);
        BitSet f = da_stmts(d, b, &n->if_.orelse);
        bs_meet(&t, f);
        return t;
    }
    case ND_WHILE: {
        da_expr(d, &b, n->while_.test);
        da_stmts(d, b, &n->while_.body);
        return da_stmts(d, b, &n->while_.orelse);
    }
    case ND_FOR: {
        da_expr(d, &b, n->for_.iter);
        BitSet body = bs_copy(d, b);
        da_target(d, &body, n->for_.target);
        da_stmts(d, body, &n->for_.body);
        return da_stmts(d, b, &n->for_.orelse);
    }
    case ND_WITH: {
        for (int i = 0; i < n->with.items.len; i++) {
            Node *it = n->with.items.items[i];
            da_expr(d, &b, it->withitem.context_expr);
            if (it->withitem.optional_vars) da_target(d, &b, it->withitem.optional_vars);
        }
        return da_stmts(d, b, &n->with.body);
    }
    case ND_TRY: {
        BitSet body = da_stmts(d, b, &n->try_.body);
        body = da_stmts(d, body, &n->try_.orelse);
        BitSet out = body;
        for (int i = 0; i < n->try_.handlers.len; i++) {
            Node *h = n->try_.handlers.items[i];
            BitSet hb = bs_copy(d, b);   /* the body may have failed anywhere */
            da_expr(d, &hb, h->handler.type);
            if (h->sym) da_set(d, &hb, h->sym);
            hb = da_stmts(d, hb, &h->handler.body);
            if (h->sym) da_clear(d, &hb, h->sym);
            bs_meet(&out, hb);
        }
        if (n->try_.finalbody.len) {
            da_stmts(d, b, &n->try_.finalbody);
            out = da_stmts(d, out, &n->try_.finalbody);
        }
        return out;
    }
    default:
        return b;
    }
}

static BitSet da_stmts(DA *d, BitSet in, NodeList *body) {
    BitSet b = in;
    for (int i = 0; i < body->len; i++) b = da_stmt(d, b, body->items[i]);
    return b;
}

static void da_function(Resolver *r, FuncInfo *f) {
    DA d = {r, f->scope, f->scope->nsyms / 64 + 1};
    BitSet in = bs_new(&d, false);
    for (int i = 0; i < f->npos + f->nkwonly; i++) da_set(&d, &in, f->params[i]);
    if (f->vararg) da_set(&d, &in, f->vararg);
    if (f->kwarg) da_set(&d, &in, f->kwarg);
    if (f->def->kind == ND_FUNCDEF) da_stmts(&d, in, &f->def->funcdef.body);
    else if (f->def->kind == ND_LAMBDA) da_expr(&d, &in, f->def->lambda.body);
}

/* ---- growth: ints that may outgrow 64 bits ------------------------------------------------- */

static bool mentions(Node *e, Sym *s) {
    if (!e) return false;
    if (e->kind == ND_NAME) return s && e->sym == s;
    if (e->kind == ND_BINOP) return mentions(e->binop.left, s) || mentions(e->binop.right, s);
    if (e->kind == ND_UNARYOP) return mentions(e->unaryop.operand, s);
    return false;
}

static bool has_call(Node *e) {
    if (!e) return false;
    if (e->kind == ND_CALL) return true;
    if (e->kind == ND_BINOP) return has_call(e->binop.left) || has_call(e->binop.right);
    if (e->kind == ND_UNARYOP) return has_call(e->unaryop.operand);
    return false;
}

/* Is e a product/power/shift that may grow without bound, given that
 * `self` is being assigned (r = r * i) or that it recurses (n * f(n-1))? */
bool expr_may_grow(Node *e, Sym *self) {
    if (!e) return false;
    if (e->kind == ND_CONST && e->constant.kind == CONST_INT && !e->constant.fits) return true;
    if (e->kind != ND_BINOP) return false;
    BinOpKind op = e->binop.op;
    if (op == OP_POW) {
        Node *rhs = e->binop.right;
        return !(rhs->kind == ND_CONST && rhs->constant.kind == CONST_INT && rhs->constant.fits &&
                 rhs->constant.i64 <= 4) || expr_may_grow(e->binop.left, self);
    }
    if (op == OP_LSHIFT) return true;
    if (op == OP_MULT && (mentions(e, self) || has_call(e))) return true;
    return expr_may_grow(e->binop.left, self) || expr_may_grow(e->binop.right, self);
}

/* The i-th statement list nested in a compound statement (for/while/if/
 * with/try bodies, else and finally blocks, handlers), or NULL past the last. */
static NodeList *nested_body(Node *n, int i) {
    switch (n->kind) {
    case ND_FOR: return i == 0 ? &n->for_.body : i == 1 ? &n->for_.orelse : NULL;
    case ND_WHILE: return i == 0 ? &n->while_.body : i == 1 ? &n->while_.orelse : NULL;
    case ND_IF: return i == 0 ? &n->if_.body : i == 1 ? &n->if_.orelse : NULL;
    case ND_WITH: return i == 0 ? &n->with.body : NULL;
    case ND_TRY:
        if (i < 3) return i == 0 ? &n->try_.body : i == 1 ? &n->try_.orelse : &n->try_.finalbody;
        return i - 3 < n->try_.handlers.len ? &n->try_.handlers.items[i - 3]->handler.body : NULL;
    default: return NULL;
    }
}

/* Additive recurrences in a loop. `a, b = b, a + b` or `c = a + b; a = b;
 * b = c` grow exponentially (Fibonacci passes 64 bits at fib(93)), while
 * `total += x` grows by one step per pass. The difference: a sum at least
 * two of whose operands carry the assigned name's own earlier value back
 * around the loop. Each flow below is one `target = value` (or `+=`) in the
 * loop's body; a name's value depends on another if a chain of flows leads
 * from one to the other through sums and plain copies. */
typedef struct { Sym *target; Node *value; bool aug; } Flow;
typedef struct { Flow *v; int n, cap; } Flows;

static void flows_add(Flows *fs, Sym *target, Node *value, bool aug) {
    if (!target) return;
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->v = realloc(fs->v, sizeof *fs->v * (size_t)fs->cap);
        if (!fs->v) { perror("mp2c"); exit(2); }
    }
    fs->v[fs->n++] = (Flow){target, value, aug};
}

static void collect_flows(NodeList *body, Flows *fs) {
    for (int i = 0; i < body->len; i++) {
        Node *n = body->items[i];
        switch (n->kind) {
        case ND_ASSIGN:
            for (int k = 0; k < n->assign.targets.len; k++) {
                Node *t = n->assign.targets.items[k], *v = n->assign.value;
                if (t->kind == ND_NAME) flows_add(fs, t->sym, v, false);
                else if ((t->kind == ND_TUPLE || t->kind == ND_LIST) && (v->kind == ND_TUPLE || v->kind == ND_LIST) &&
                         t->list.elts.len == v->list.elts.len)
                    for (int j = 0; j < t->list.elts.len; j++)
                        if (t->list.elts.items[j]->kind == ND_NAME)
                            flows_add(fs, t->list.elts.items[j]->sym, v->list.elts.items[j], false);
            }
            break;
        case ND_AUGASSIGN:
            if (n->augassign.target->kind == ND_NAME && (n->augassign.op == OP_ADD || n->augassign.op == OP_SUB))
                flows_add(fs, n->augassign.target->sym, n->augassign.value, true);
            break;
        default:
            for (int j = 0; nested_body(n, j); j++) collect_flows(nested_body(n, j), fs);
            break;
        }
    }
}

/* The names a sum adds up: `a + b - 1` gives a and b; anything else
 * (a product, a call, `% m`) bounds or hides the value and gives none. */
static int sum_names(Node *e, Sym **out, int max, int n) {
    if (!e) return n;
    if (e->kind == ND_BINOP && (e->binop.op == OP_ADD || e->binop.op == OP_SUB))
        return sum_names(e->binop.right, out, max, sum_names(e->binop.left, out, max, n));
    if (e->kind == ND_UNARYOP) return sum_names(e->unaryop.operand, out, max, n);
    if (e->kind == ND_NAME && e->sym && n < max) out[n++] = e->sym;
    return n;
}

/* Does `from`'s value depend on `target`'s, through the loop's flows? */
static bool flows_reach(const Flows *fs, Sym *from, Sym *target, unsigned char *seen) {
    if (from == target) return true;
    for (int i = 0; i < fs->n; i++) {
        if (fs->v[i].target != from || seen[i]) continue;
        seen[i] = 1;
        Sym *names[16];
        int k = sum_names(fs->v[i].value, names, 16, 0);
        for (int j = 0; j < k; j++)
            if (flows_reach(fs, names[j], target, seen)) return true;
    }
    return false;
}

static void growth_loop(NodeList *body) {
    Flows fs = {0};
    collect_flows(body, &fs);
    unsigned char *seen = calloc((size_t)fs.n + 1, 1);
    if (!seen) { perror("mp2c"); exit(2); }
    for (int i = 0; i < fs.n; i++) {
        Flow *f = &fs.v[i];
        Sym *names[17];
        int k = 0;
        if (f->aug) names[k++] = f->target;
        else if (f->value->kind != ND_BINOP) continue;
        k = sum_names(f->value, names, 17, k);
        int feeding = 0;
        for (int j = 0; j < k; j++) {
            memset(seen, 0, (size_t)fs.n);
            feeding += flows_reach(&fs, names[j], f->target, seen);
        }
        if (feeding >= 2) f->target->growth = true;
    }
    /* what a grown name is copied into grows too (a = b after b = a + b) */
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < fs.n; i++) {
            Node *v = fs.v[i].value;
            if (v->kind == ND_NAME && v->sym && v->sym->growth && !fs.v[i].target->growth)
                fs.v[i].target->growth = changed = true;
        }
    }
    free(seen);
    free(fs.v);
}

static void growth_stmts(NodeList *body, FuncInfo *f);

static void growth_stmt(Node *n, FuncInfo *f) {
    switch (n->kind) {
    case ND_ASSIGN:
        for (int i = 0; i < n->assign.targets.len; i++) {
            Node *t = n->assign.targets.items[i];
            if (t->kind == ND_NAME && expr_may_grow(n->assign.value, t->sym)) t->sym->growth = true;
        }
        return;
    case ND_AUGASSIGN: {
        Node *t = n->augassign.target;
        BinOpKind op = n->augassign.op;
        if (t->kind == ND_NAME &&
            (op == OP_MULT || op == OP_POW || op == OP_LSHIFT || expr_may_grow(n->augassign.value, t->sym)))
            t->sym->growth = true;
        return;
    }
    case ND_RETURN:
        if (f && expr_may_grow(n->ret.value, NULL)) f->ret_growth = true;
        return;
    default: {
        if (n->kind == ND_FOR) growth_loop(&n->for_.body);
        if (n->kind == ND_WHILE) growth_loop(&n->while_.body);
        for (int i = 0; nested_body(n, i); i++) growth_stmts(nested_body(n, i), f);
        return;
    }
    }
}

static void growth_stmts(NodeList *body, FuncInfo *f) {
    for (int i = 0; i < body->len; i++) growth_stmt(body->items[i], f);
}

/* ==== checks of what mp2c supports ============================================================= */

static void check_class(Resolver *r, ClassInfo *c) {
    Node *n = c->def;
    if (n->classdef.bases.len > 1)
        error_at(r, n->classdef.bases.items[1], "multiple inheritance is not supported (class '%s')", c->name, NULL);
    if (n->classdef.bases.len == 0) return;
    Node *b = n->classdef.bases.items[0];
    Sym *bs = NULL;
    const char *mname = NULL;
    if (b->kind == ND_NAME) bs = b->sym;
    else if (b->kind == ND_ATTRIBUTE && b->attribute.value->kind == ND_NAME && b->attribute.value->sym &&
             b->attribute.value->sym->kind == SYM_MODULE) {
        const ModMember *m = mod_member(b->attribute.value->sym->module, b->attribute.attr);
        if (m && (m->kind == MK_TYPE || m->kind == MK_EXC)) { c->native_base = m->c_sym; c->is_exception = m->kind == MK_EXC; return; }
        /* the module or member is reported where it is imported or named */
        if (!m || !mod_exists(b->attribute.value->sym->module)) return;
        mname = b->attribute.attr;
    }
    if (bs && bs->import_failed) return;   /* reported at the import */
    if (bs && bs->kind == SYM_GLOBAL && bs->def && bs->def->kind == ND_CLASSDEF) {
        c->base = bs->def->scope->cls;
        return;
    }
    if (bs && bs->kind == SYM_MEMBER && (bs->member->kind == MK_TYPE || bs->member->kind == MK_EXC)) {
        c->native_base = bs->member->c_sym;
        c->is_exception = bs->member->kind == MK_EXC;
        return;
    }
    if (bs && bs->kind == SYM_BUILTIN) {
        if (strcmp(bs->name, "object") == 0) return;
        if (is_builtin_name(bs->name) && bs->name[0] >= 'A' && bs->name[0] <= 'Z') {
            c->native_base = ar_printf(r->p->arena, "rt_exc_%s", bs->name);
            c->is_exception = true;
            return;
        }
        error_at(r, b, "subclassing the built-in type '%s' is not supported", bs->name, NULL);
        return;
    }
    error_at(r, b, "the base class of '%s' must be a class defined in the script, object, an exception or a multiprocessing type%s",
             c->name, mname ? "" : NULL);
}

/* Is s multiprocessing.managers.BaseManager, SyncManager or a script class
 * derived from one? */
static bool is_manager_class(Sym *s) {
    if (!s) return false;
    const char *nb = NULL;
    if (s->kind == SYM_MEMBER && s->member && s->member->kind == MK_TYPE) nb = s->member->c_sym;
    else if (s->kind == SYM_GLOBAL && s->def && s->def->kind == ND_CLASSDEF && s->def->scope && s->def->scope->cls) {
        ClassInfo *c = s->def->scope->cls;
        while (c->base && !c->native_base) c = c->base;
        nb = c->native_base;
    }
    return nb && (strcmp(nb, "rt_mp_BaseManager") == 0 || strcmp(nb, "rt_mp_SyncManager") == 0);
}

static bool is_none(Node *e) { return e->kind == ND_CONST && e->constant.kind == CONST_NONE; }

/* The keyword argument `name` of call, or its positional argument at pos
 * (-1: none), unless it is a literal None. */
static Node *arg_named(Node *call, const char *name, int pos) {
    for (int i = 0; i < call->call.keywords.len; i++) {
        Node *k = call->call.keywords.items[i];
        if (k->keyword.arg && strcmp(k->keyword.arg, name) == 0) return is_none(k->keyword.value) ? NULL : k;
    }
    if (pos >= 0 && pos < call->call.args.len && !is_none(call->call.args.items[pos])) return call->call.args.items[pos];
    return NULL;
}

/* What mp2c's managers do not do: custom proxy types, results turned into
 * new proxies, servers at an address other programs reach, other
 * serializers. Each is named where the script asks for it. */
static void check_manager_call(Resolver *r, Node *call) {
    Node *fn = call->call.func;
    Node *k;
    if (fn->kind == ND_ATTRIBUTE) {   /* Cls.register(typeid, callable, proxytype, exposed, method_to_typeid, ...) */
        if (!is_manager_class(fn->attribute.value->sym)) return;
        if ((k = arg_named(call, "proxytype", 2)))
            error_at(r, k, "register() with a proxytype is not supported: mp2c's managers give every registered "
                     "type an AutoProxy (leave proxytype out; exposed= lists the methods a proxy forwards)", NULL, NULL);
        if ((k = arg_named(call, "method_to_typeid", 4)))
            error_at(r, k, "register() with method_to_typeid is not supported: a method's result comes back as a "
                     "copy (register the result's type as a typeid of its own and create it with m.<typeid>())",
                     NULL, NULL);
        return;
    }
    if (!is_manager_class(fn->sym)) return;
    const char *cls = fn->name.id;
    /* a script's own __init__ takes its own arguments */
    ClassInfo *c = fn->sym->kind == SYM_GLOBAL ? fn->sym->def->scope->cls : NULL;
    for (; c; c = c->base)
        if (scope_lookup_local(c->scope, "__init__")) return;
    if ((k = arg_named(call, "address", 0)) || (k = arg_named(call, "authkey", 1))) {
        error_at(r, k, "a manager with an address or an authkey, which other programs connect to, is not "
                 "supported: mp2c's managers serve the processes of this program only (call %s() without them)",
                 cls, NULL);
    }
    if ((k = arg_named(call, "serializer", 2)))
        error_at(r, k, "a manager serializer is not supported: manager messages use mp2c's own serializer "
                 "(call %s() without it)", cls, NULL);
}

bool sem_resolve(Program *p) {
    Resolver r = {p, true, NULL};
    p->modscope = scope_new(p, SC_MODULE, p->module, NULL);
    Sym *name = scope_add(p, p->modscope, "__name__", SYM_GLOBAL);
    name->nassign = 1;
    declare_stmts(&r, p->modscope, &p->module->module.body);
    bind_stmts(&r, p->modscope, &p->module->module.body);
    for (int i = 0; i < p->nclasses; i++) check_class(&r, p->classes[i]);
    CallNote *rev = NULL;   /* in source order */
    while (r.calls) { CallNote *n = r.calls->next; r.calls->next = rev; rev = r.calls; r.calls = n; }
    for (CallNote *cn = rev; cn; cn = cn->next) check_manager_call(&r, cn->call);
    for (int i = 0; i < p->nclasses; i++)
        if (p->classes[i]->base && p->classes[i]->base->is_exception) p->classes[i]->is_exception = true;
    for (int i = 0; i < p->nfuncs; i++) {
        FuncInfo *f = p->funcs[i];
        da_function(&r, f);
        if (f->def->kind == ND_FUNCDEF) growth_stmts(&f->def->funcdef.body, f);
        else if (f->def->kind == ND_LAMBDA && expr_may_grow(f->def->lambda.body, NULL)) f->ret_growth = true;
    }
    growth_stmts(&p->module->module.body, NULL);
    return r.ok;
}

/* subset.c: constructs mp2c will never translate.
 *
 * The front end accepts all of Python 3.11's syntax; this pass walks the AST
 * once and reports, with a reason and what to do instead, what an
 * ahead-of-time translation to C cannot support at all:
 *   - async code (async def/for/with, await, async comprehensions);
 *   - code only known at run time: eval, exec, compile, __import__, and the
 *     interpreter's namespaces: globals(), locals(), vars();
 *   - metaclasses;
 *   - modules that mp2c does not provide (gen/modules.def), relative
 *     imports (a script is one file), and __future__ features that are not
 *     already Python 3 semantics;
 *   - Python 2's "print >>f, x" (valid Python 3, but never what is meant).
 * A builtin that the script rebinds (its own eval(), say) is not flagged.
 * Finer limits (a type mp2c cannot infer, an unsupported method) are the
 * semantic passes' business, not this file's.
 */
#include <stdio.h>
#include <string.h>

#include "ast.h"

static const char *const provided[] = {
#define MODULE(name) name,
#include "modules.def"
#undef MODULE
};

/* Builtins whose use is flagged, unless the script binds the name itself. */
enum { B_EVAL, B_EXEC, B_COMPILE, B_IMPORT, B_GLOBALS, B_LOCALS, B_VARS, B_PRINT, B__COUNT };
static const char *const watched[B__COUNT] = {
    "eval", "exec", "compile", "__import__", "globals", "locals", "vars", "print",
};
static const char *const why[B__COUNT] = {
    "eval() runs code that exists only at run time; mp2c translates the script ahead of time",
    "exec() runs code that exists only at run time; mp2c translates the script ahead of time",
    "compile() makes code at run time; mp2c translates the script ahead of time",
    "__import__() imports a module chosen at run time; use a plain import statement",
    "globals() exposes the interpreter's namespace, which a translated program does not have; "
    "use an explicit dict",
    "locals() exposes the interpreter's namespace, which a translated program does not have; "
    "use an explicit dict",
    "vars() without an argument exposes the interpreter's namespace, which a translated program "
    "does not have; use an explicit dict or attribute access",
    NULL,
};

/* __future__ features that are already Python 3 semantics (no-ops). */
static const char *const future_noops[] = {
    "nested_scopes", "generators", "division", "absolute_import", "with_statement",
    "print_function", "unicode_literals", "generator_stop", "annotations",
};

typedef struct Sub {
    const SrcFile *src;
    unsigned       bound;   /* bit B_x: the script binds watched[x] */
    bool           ok;
    bool           listed;  /* the note listing our modules was printed */
} Sub;

static void sub_error(Sub *s, const Node *n, const char *msg) {
    diag_error(s->src, n->loc, n->end, "%s", msg);
    s->ok = false;
}

static int watched_index(const char *id) {
    for (int i = 0; i < B__COUNT; i++)
        if (!strcmp(id, watched[i]))
            return i;
    return -1;
}

static void bind(Sub *s, const char *name) {
    int i = name ? watched_index(name) : -1;
    if (i >= 0)
        s->bound |= 1u << i;
}

/* ---- a generic walk ------------------------------------------------------------ */

/* A visitor returns false to skip the node's children. */
typedef bool (*Visit)(Sub *s, Node *n);

static void walk(Sub *s, Node *n, Visit f);

static void walk_list(Sub *s, NodeList *l, Visit f) {
    for (int i = 0; i < l->len; i++)
        if (l->items[i])
            walk(s, l->items[i], f);
}

static void walk_opt(Sub *s, Node *n, Visit f) {
    if (n)
        walk(s, n, f);
}

static void walk_stmt(Sub *s, Node *n, Visit f) {
    switch (n->kind) {
    case ND_MODULE:    walk_list(s, &n->module.body, f); return;
    case ND_FUNCDEF:
        walk_list(s, &n->funcdef.decorators, f);
        walk(s, n->funcdef.args, f);
        walk_opt(s, n->funcdef.returns, f);
        walk_list(s, &n->funcdef.body, f);
        return;
    case ND_CLASSDEF:
        walk_list(s, &n->classdef.decorators, f);
        walk_list(s, &n->classdef.bases, f);
        walk_list(s, &n->classdef.keywords, f);
        walk_list(s, &n->classdef.body, f);
        return;
    case ND_RETURN:    walk_opt(s, n->ret.value, f); return;
    case ND_DELETE:    walk_list(s, &n->del.targets, f); return;
    case ND_ASSIGN:
        walk_list(s, &n->assign.targets, f);
        walk(s, n->assign.value, f);
        return;
    case ND_AUGASSIGN:
        walk(s, n->augassign.target, f);
        walk(s, n->augassign.value, f);
        return;
    case ND_ANNASSIGN:
        walk(s, n->annassign.target, f);
        walk(s, n->annassign.annotation, f);
        walk_opt(s, n->annassign.value, f);
        return;
    case ND_FOR:
        walk(s, n->for_.target, f);
        walk(s, n->for_.iter, f);
        walk_list(s, &n->for_.body, f);
        walk_list(s, &n->for_.orelse, f);
        return;
    case ND_WHILE:
    case ND_IF:
        walk(s, n->if_.test, f);
        walk_list(s, &n->if_.body, f);
        walk_list(s, &n->if_.orelse, f);
        return;
    case ND_WITH:
        walk_list(s, &n->with.items, f);
        walk_list(s, &n->with.body, f);
        return;
    case ND_RAISE:
        walk_opt(s, n->raise.exc, f);
        walk_opt(s, n->raise.cause, f);
        return;
    case ND_TRY:
        walk_list(s, &n->try_.body, f);
        walk_list(s, &n->try_.handlers, f);
        walk_list(s, &n->try_.orelse, f);
        walk_list(s, &n->try_.finalbody, f);
        return;
    case ND_ASSERT:
        walk(s, n->assert_.test, f);
        walk_opt(s, n->assert_.msg, f);
        return;
    case ND_IMPORT:    walk_list(s, &n->import.names, f); return;
    case ND_IMPORTFROM: walk_list(s, &n->importfrom.names, f); return;
    case ND_EXPR:      walk(s, n->expr.value, f); return;
    default:           return;
    }
}

static void walk_expr(Sub *s, Node *n, Visit f) {
    switch (n->kind) {
    case ND_BOOLOP:    walk_list(s, &n->boolop.values, f); return;
    case ND_NAMEDEXPR:
        walk(s, n->namedexpr.target, f);
        walk(s, n->namedexpr.value, f);
        return;
    case ND_BINOP:
        walk(s, n->binop.left, f);
        walk(s, n->binop.right, f);
        return;
    case ND_UNARYOP:   walk(s, n->unaryop.operand, f); return;
    case ND_LAMBDA:
        walk(s, n->lambda.args, f);
        walk(s, n->lambda.body, f);
        return;
    case ND_IFEXP:
        walk(s, n->ifexp.test, f);
        walk(s, n->ifexp.body, f);
        walk(s, n->ifexp.orelse, f);
        return;
    case ND_DICT:
        walk_list(s, &n->dict.keys, f);
        walk_list(s, &n->dict.values, f);
        return;
    case ND_SET:       walk_list(s, &n->set.elts, f); return;
    case ND_LISTCOMP: case ND_SETCOMP: case ND_GENEXP: case ND_DICTCOMP:
        walk_opt(s, n->comp.elt, f);
        walk_opt(s, n->comp.key, f);
        walk_opt(s, n->comp.value, f);
        walk_list(s, &n->comp.generators, f);
        return;
    case ND_AWAIT:     walk(s, n->await.value, f); return;
    case ND_YIELD:
    case ND_YIELDFROM: walk_opt(s, n->yield.value, f); return;
    case ND_COMPARE:
        walk(s, n->compare.left, f);
        walk_list(s, &n->compare.comparators, f);
        return;
    case ND_CALL:
        walk(s, n->call.func, f);
        walk_list(s, &n->call.args, f);
        walk_list(s, &n->call.keywords, f);
        return;
    case ND_FORMATTED:
        walk(s, n->formatted.value, f);
        walk_opt(s, n->formatted.format_spec, f);
        return;
    case ND_JOINEDSTR: walk_list(s, &n->joinedstr.values, f); return;
    case ND_ATTRIBUTE: walk(s, n->attribute.value, f); return;
    case ND_SUBSCRIPT:
        walk(s, n->subscript.value, f);
        walk(s, n->subscript.slice, f);
        return;
    case ND_STARRED:   walk(s, n->starred.value, f); return;
    case ND_LIST:
    case ND_TUPLE:     walk_list(s, &n->list.elts, f); return;
    case ND_SLICE:
        walk_opt(s, n->slice.lower, f);
        walk_opt(s, n->slice.upper, f);
        walk_opt(s, n->slice.step, f);
        return;
    default:           return;
    }
}

static void walk_part(Sub *s, Node *n, Visit f) {
    switch (n->kind) {
    case ND_ARGUMENTS:
        walk_list(s, &n->arguments.posonlyargs, f);
        walk_list(s, &n->arguments.args, f);
        walk_opt(s, n->arguments.vararg, f);
        walk_list(s, &n->arguments.kwonlyargs, f);
        walk_list(s, &n->arguments.kw_defaults, f);
        walk_opt(s, n->arguments.kwarg, f);
        walk_list(s, &n->arguments.defaults, f);
        return;
    case ND_ARG:       walk_opt(s, n->arg.annotation, f); return;
    case ND_KEYWORD:   walk(s, n->keyword.value, f); return;
    case ND_WITHITEM:
        walk(s, n->withitem.context_expr, f);
        walk_opt(s, n->withitem.optional_vars, f);
        return;
    case ND_COMPREHENSION:
        walk(s, n->comprehension.target, f);
        walk(s, n->comprehension.iter, f);
        walk_list(s, &n->comprehension.ifs, f);
        return;
    case ND_EXCEPTHANDLER:
        walk_opt(s, n->handler.type, f);
        walk_list(s, &n->handler.body, f);
        return;
    default:           return;
    }
}

/* Pre-order: f sees a node before its children. */
static void walk(Sub *s, Node *n, Visit f) {
    if (!f(s, n))
        return;
    walk_stmt(s, n, f);
    walk_expr(s, n, f);
    walk_part(s, n, f);
}

/* ---- pass 1: which watched builtins does the script rebind? ------------------ */

static bool find_bindings(Sub *s, Node *n) {
    switch (n->kind) {
    case ND_NAME:          if (n->name.ctx != CTX_LOAD) bind(s, n->name.id); break;
    case ND_FUNCDEF:       bind(s, n->funcdef.name); break;
    case ND_CLASSDEF:      bind(s, n->classdef.name); break;
    case ND_ARG:           bind(s, n->arg.name); break;
    case ND_EXCEPTHANDLER: bind(s, n->handler.name); break;
    case ND_GLOBAL:
        for (int i = 0; i < n->global.len; i++)
            bind(s, n->global.names[i]);
        break;
    case ND_ALIAS:         bind(s, n->alias.asname ? n->alias.asname : n->alias.name); break;
    default:               break;
    }
    return true;
}

/* ---- pass 2: the checks -------------------------------------------------------- */

static bool is_provided(const char *module) {
    for (size_t i = 0; i < sizeof provided / sizeof provided[0]; i++)
        if (!strcmp(module, provided[i]))
            return true;
    return false;
}

static void module_error(Sub *s, const Node *at, const char *module) {
    char msg[512];
    snprintf(msg, sizeof msg, "mp2c does not provide module '%s'", module);
    sub_error(s, at, msg);
    if (s->listed)
        return;
    s->listed = true;
    Str list = {0};
    for (size_t i = 0; i < sizeof provided / sizeof provided[0]; i++)
        str_printf(&list, "%s%s", i ? ", " : "", provided[i]);
    diag_note(s->src, (Loc){0, 0}, "the modules mp2c provides are: %s", str_cstr(&list));
    str_free(&list);
}

static void check_import(Sub *s, Node *n) {
    for (int i = 0; i < n->import.names.len; i++) {
        Node *a = n->import.names.items[i];
        if (!is_provided(a->alias.name))
            module_error(s, a, a->alias.name);
    }
}

static void check_import_from(Sub *s, Node *n) {
    if (n->importfrom.level > 0) {
        sub_error(s, n, "mp2c translates one script: relative imports ('from . import x') "
                        "are not supported; put the code in the script");
        return;
    }
    const char *m = n->importfrom.module;
    if (strcmp(m, "__future__") != 0) {
        if (!is_provided(m))
            module_error(s, n, m);
        return;
    }
    for (int i = 0; i < n->importfrom.names.len; i++) {
        Node *a = n->importfrom.names.items[i];
        bool noop = false;
        for (size_t j = 0; j < sizeof future_noops / sizeof future_noops[0]; j++)
            noop = noop || !strcmp(a->alias.name, future_noops[j]);
        if (!noop) {
            char msg[256];
            snprintf(msg, sizeof msg, "mp2c does not support 'from __future__ import %s'",
                     a->alias.name);
            sub_error(s, a, msg);
        }
    }
}

static void check_call(Sub *s, Node *n) {
    Node *f = n->call.func;
    if (f->kind != ND_NAME)
        return;
    int i = watched_index(f->name.id);
    if (i < 0 || i == B_PRINT || (s->bound & (1u << i)))
        return;
    if (i == B_VARS && n->call.args.len == 1 && n->call.keywords.len == 0 &&
        n->call.args.items[0]->kind != ND_STARRED)
        return;   /* vars(obj) is obj.__dict__ */
    sub_error(s, n, why[i]);
}

static void check_class(Sub *s, Node *n) {
    NodeList *kw = &n->classdef.keywords;
    for (int i = 0; i < kw->len; i++) {
        const char *arg = kw->items[i]->keyword.arg;
        if (arg && !strcmp(arg, "metaclass"))
            sub_error(s, kw->items[i], "mp2c does not support metaclasses; use a plain class "
                                       "(a class decorator can often do the same job)");
    }
}

/* print >> f, x : Python 2's print statement, read by Python 3 as a shift. */
static void check_print_chevron(Sub *s, Node *n) {
    Node *v = n->expr.value;
    if (v->kind == ND_TUPLE && v->list.elts.len)
        v = v->list.elts.items[0];
    if (v->kind == ND_BINOP && v->binop.op == OP_RSHIFT && v->binop.left->kind == ND_NAME &&
        !strcmp(v->binop.left->name.id, "print") && !(s->bound & (1u << B_PRINT)))
        sub_error(s, n, "this is Python 2's 'print >>f, x'; write print(x, file=f)");
}

static const char *const async_why =
    "mp2c does not translate async code; use multiprocessing (or threading) instead";

/* An async construct is reported once; what it contains is not. */
static bool async_error(Sub *s, Node *n) {
    sub_error(s, n, async_why);
    return false;
}

static bool check_node(Sub *s, Node *n) {
    switch (n->kind) {
    case ND_IMPORT:     check_import(s, n); break;
    case ND_IMPORTFROM: check_import_from(s, n); break;
    case ND_CALL:       check_call(s, n); break;
    case ND_CLASSDEF:   check_class(s, n); break;
    case ND_EXPR:       check_print_chevron(s, n); break;
    case ND_FUNCDEF:    if (n->funcdef.is_async) return async_error(s, n); break;
    case ND_FOR:        if (n->for_.is_async) return async_error(s, n); break;
    case ND_WITH:       if (n->with.is_async) return async_error(s, n); break;
    case ND_COMPREHENSION:
        if (n->comprehension.is_async)
            return async_error(s, n);
        break;
    case ND_AWAIT:      return async_error(s, n);
    default:            break;
    }
    return true;
}

bool fe_check_subset(const SrcFile *src, Node *module) {
    Sub s = { .src = src, .ok = true };
    walk(&s, module, find_bindings);
    walk(&s, module, check_node);
    return s.ok;
}

/* emit.c: the whole program — names, constants, function definitions and the
 * program skeleton (templates/program.c.tmpl).
 *
 * Every Python function becomes:
 *   - a typed C function f_NAME(params) that the translator calls directly
 *     when it knows the callee (ints are int64_t, floats double, ...);
 *   - its boxed entry f_NAME__entry (templates/entry.c.tmpl), which binds
 *     arguments as Python does and is what rt_call, Process and Pool use;
 *   - for generators, a frame struct and a body that runs on its own stack.
 * Functions are emitted when their def (or lambda) is first met, into a
 * separate buffer, so nesting in Python never nests C functions.
 */
#include "emit.h"
#include "tmpl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== small helpers ======================================================= */

const char *c_type(Rep rep) {
    switch (rep) {
    case REP_OBJ: return "RtValue *";
    case REP_I64: return "int64_t ";
    case REP_F64: return "double ";
    case REP_BOOL: return "bool ";
    }
    return "RtValue *";
}

const char *zero_of(Rep rep) {
    switch (rep) {
    case REP_OBJ: return "NULL";
    case REP_I64: return "0";
    case REP_F64: return "0.0";
    case REP_BOOL: return "false";
    }
    return "NULL";
}

/* A C identifier from a Python one; non-ASCII letters become _uXXXX. */
static const char *mangle(Arena *a, const char *prefix, const char *name) {
    Str s = {0};
    str_puts(&s, prefix);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (isalnum(*p) || *p == '_') str_putc(&s, (char)*p);
        else if (*p == '.' || *p == '<' || *p == '>') str_putc(&s, '_');
        else str_printf(&s, "_x%02x", *p);
    }
    const char *r = ar_strdup(a, str_cstr(&s));
    str_free(&s);
    return r;
}

const char *em_tmp(Em *e, Rep rep) {
    if (e->ntemps == e->tempcap) {
        int cap = e->tempcap ? e->tempcap * 2 : 32;
        Temp *t = ar_alloc(e->a, sizeof(Temp) * (size_t)cap);
        if (e->ntemps) memcpy(t, e->temps, sizeof(Temp) * (size_t)e->ntemps);
        e->temps = t;
        e->tempcap = cap;
    }
    const char *name = ar_printf(e->a, "_t%d", e->ntemps + 1);
    e->temps[e->ntemps++] = (Temp){name, rep};
    return name;
}

const char *em_label(Em *e, const char *stem) { return ar_printf(e->a, "L_%s_%d", stem, ++e->nlabels); }

const char *em_err(Em *e) {
    for (Frame *f = e->frame; f; f = f->up)
        if (f->err_tb) return f->err_tb;
    return "L_err";
}

const char *em_err_notb(Em *e) {
    for (Frame *f = e->frame; f; f = f->up)
        if (f->err_notb) return f->err_notb;
    return "L_err_notb";
}

void em_line_marker(Em *e, Node *n) {
    if (e->line_directives) out_line(e->out, "#line %u \"%s\"", n->loc.line, e->p->src->path);
    if ((int)n->loc.line != e->last_line || e->line_directives) out_line(e->out, "_ln = %u;", n->loc.line);
    e->last_line = (int)n->loc.line;
}

/* ==== constants ================================================================ */

typedef struct ConstRow { const char *text; size_t len; char kind; const char *name; } ConstRow;
static ConstRow *const_rows;
static int nconst_rows, const_cap;

static const char *find_const(char kind, const char *s, size_t n) {
    for (int i = 0; i < nconst_rows; i++)
        if (const_rows[i].kind == kind && const_rows[i].len == n && memcmp(const_rows[i].text, s, n) == 0)
            return const_rows[i].name;
    return NULL;
}

static void remember_const(Em *e, char kind, const char *s, size_t n, const char *name) {
    if (nconst_rows == const_cap) {
        int cap = const_cap ? const_cap * 2 : 64;
        ConstRow *r = ar_alloc(e->a, sizeof(ConstRow) * (size_t)cap);
        if (nconst_rows) memcpy(r, const_rows, sizeof(ConstRow) * (size_t)nconst_rows);
        const_rows = r;
        const_cap = cap;
    }
    const_rows[nconst_rows++] = (ConstRow){s, n, kind, name};
}

/* A comment-safe preview of a constant for the declaration line. */
static void preview(Str *out, const char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && k < 40; i++, k++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '*' && i + 1 < n && s[i + 1] == '/') { str_puts(out, "*\\/"); i++; continue; }
        if (c == '/' && i + 1 < n && s[i + 1] == '*') { str_puts(out, "/\\*"); i++; continue; }
        if (c < 0x20 || c == 0x7f) str_putc(out, ' ');
        else str_putc(out, (char)c);
    }
    if (n > 40) str_puts(out, "...");
}

static const char *new_const(Em *e, char kind, const char *s, size_t n, const char *make) {
    const char *name = ar_printf(e->a, "K%d", e->nconsts++);
    str_printf(&e->top, "static RtValue *%s;   /* ", name);
    if (kind == 's') { str_putc(&e->top, '\''); preview(&e->top, s, n); str_putc(&e->top, '\''); }
    else if (kind == 'b') { str_puts(&e->top, "b'"); preview(&e->top, s, n); str_putc(&e->top, '\''); }
    else preview(&e->top, s, n);
    str_puts(&e->top, " */\n");
    str_printf(&e->init, "    if (!(%s = %s)) return -1;\n", name, make);
    remember_const(e, kind, s, n, name);
    return name;
}

const char *em_str_const(Em *e, const char *s, size_t n) {
    const char *k = find_const('s', s, n);
    if (k) return k;
    return new_const(e, 's', s, n, ar_printf(e->a, "rt_str_const(%s, %zu)", cstr_lit(e->a, s, n), n));
}

const char *em_bytes_const(Em *e, const char *s, size_t n) {
    const char *k = find_const('b', s, n);
    if (k) return k;
    return new_const(e, 'b', s, n, ar_printf(e->a, "rt_bytes_const(%s, %zu)", cstr_lit(e->a, s, n), n));
}

const char *em_int_const(Em *e, Node *n) {
    const char *d = n->constant.digits;
    const char *k = find_const('i', d, strlen(d));
    if (k) return k;
    const char *name = new_const(e, 'i', d, strlen(d), ar_printf(e->a, "rt_int_from_digits(\"%s\")", d));
    str_printf(&e->init, "    %s->rc = RT_IMMORTAL;\n", name);
    return name;
}

/* ==== names ======================================================================= */

/* Locals are declared when first named, so every declared local is used. */
typedef struct LocalDecl { Sym *sym; const char *name; } LocalDecl;

typedef struct FnState {
    LocalDecl *locals;
    int        nlocals, cap;
} FnState;

static FnState *cur_fn_state;

static void declare_local(Em *e, Sym *s, const char *name) {
    FnState *st = cur_fn_state;
    for (int i = 0; i < st->nlocals; i++)
        if (st->locals[i].sym == s) return;
    if (st->nlocals == st->cap) {
        int cap = st->cap ? st->cap * 2 : 16;
        LocalDecl *l = ar_alloc(e->a, sizeof(LocalDecl) * (size_t)cap);
        if (st->nlocals) memcpy(l, st->locals, sizeof(LocalDecl) * (size_t)st->nlocals);
        st->locals = l;
        st->cap = cap;
    }
    st->locals[st->nlocals++] = (LocalDecl){s, name};
}

const char *em_sym_cname(Em *e, Sym *s) {
    if (s->cname) {
        if ((s->kind == SYM_LOCAL || s->kind == SYM_CELL) && !s->is_param) declare_local(e, s, s->cname);
        return s->cname;
    }
    switch (s->kind) {
    case SYM_GLOBAL:
        s->cname = mangle(e->a, "g_", s->name);
        str_printf(&e->top, "static RtValue *%s;   /* global %s */\n", s->cname, s->name);
        return s->cname;
    case SYM_CELL:
        s->cname = s->scope->kind == SC_COMP ? ar_printf(e->a, "%s_%d", mangle(e->a, "c_", s->name), e->nlabels++)
                                             : mangle(e->a, "c_", s->name);
        break;
    default:
        s->cname = s->scope->kind == SC_COMP ? ar_printf(e->a, "%s_%d", mangle(e->a, "v_", s->name), e->nlabels++)
                                             : mangle(e->a, "v_", s->name);
        break;
    }
    if (!s->is_param) declare_local(e, s, s->cname);
    return s->cname;
}

static void name_functions(Em *e) {
    for (int i = 0; i < e->p->nfuncs; i++) {
        FuncInfo *f = e->p->funcs[i];
        const char *base = f->is_lambda ? ar_printf(e->a, "%s_%u", f->def->kind == ND_GENEXP ? "genexpr" : "lambda",
                                                    f->def->loc.line)
                                        : f->qualname;
        f->cname = mangle(e->a, "f_", base);
        for (int k = 0; k < i; k++)
            if (strcmp(e->p->funcs[k]->cname, f->cname) == 0) {
                f->cname = ar_printf(e->a, "%s_%d", f->cname, i);
                break;
            }
        /* free variables in the order the closure's cells are passed */
        int n = 0;
        for (int k = 0; k < f->scope->nsyms; k++) if (f->scope->syms[k]->kind == SYM_FREE) n++;
        f->freevars = ar_alloc(e->a, sizeof(Sym *) * (size_t)(n + 1));
        for (int k = 0; k < f->scope->nsyms; k++) {
            Sym *s = f->scope->syms[k];
            if (s->kind != SYM_FREE) continue;
            s->cell_index = f->nfree;
            f->freevars[f->nfree++] = s;
        }
    }
    for (int i = 0; i < e->p->nclasses; i++) {
        ClassInfo *c = e->p->classes[i];
        c->cname = mangle(e->a, "class_", c->name);
        for (int k = 0; k < i; k++)
            if (strcmp(e->p->classes[k]->cname, c->cname) == 0) c->cname = ar_printf(e->a, "%s_%d", c->cname, i);
        str_printf(&e->top, "static RtValue *%s;   /* class %s */\n", c->cname, c->name);
    }
}

const char *em_class_obj(Em *e, ClassInfo *c) { (void)e; return c->cname; }

const char *em_func_obj(Em *e, FuncInfo *f) { return ar_printf(e->a, "function_table[%d]", f->table_index); }

/* Can the function travel to another process by index (module level only,
 * like pickle's lookup by qualified name)? */
static bool picklable(FuncInfo *f) {
    return !f->is_lambda && !f->parent_fn && f->def->kind == ND_FUNCDEF && f->def->sym &&
           (f->def->sym->kind == SYM_GLOBAL || f->def->sym->kind == SYM_CLASSVAR);
}

/* ==== function definitions ============================================================ */

static const char *param_cname(Em *e, Sym *s) {
    if (s->cname) return s->cname;
    if (s->kind == SYM_CELL) return mangle(e->a, "c_", s->name);
    return mangle(e->a, "v_", s->name);
}

/* "int64_t v_n, RtValue *p_x" for f's C signature. */
static const char *signature(Em *e, FuncInfo *f) {
    Str s = {0};
    bool first = true;
    if (f->nfree) { str_puts(&s, "RtValue **rt_cells"); first = false; }
    if (f->def->kind == ND_GENEXP) {
        str_printf(&s, "%sRtValue *p_iter0", first ? "" : ", ");
        first = false;
    }
    for (int i = 0; i < f->npos + f->nkwonly; i++) {
        Sym *p = f->params[i];
        Rep r = p->kind == SYM_CELL ? REP_OBJ : p->rep;
        str_printf(&s, "%s%s%s", first ? "" : ", ", c_type(r), r == REP_OBJ ? mangle(e->a, "p_", p->name) : param_cname(e, p));
        first = false;
    }
    if (f->vararg) { str_printf(&s, "%sRtValue *%s", first ? "" : ", ", mangle(e->a, "p_", f->vararg->name)); first = false; }
    if (f->kwarg) { str_printf(&s, "%sRtValue *%s", first ? "" : ", ", mangle(e->a, "p_", f->kwarg->name)); first = false; }
    if (first) str_puts(&s, "void");
    const char *r = ar_strdup(e->a, str_cstr(&s));
    str_free(&s);
    return r;
}

static Sym **all_params(Em *e, FuncInfo *f, int *n) {
    Sym **ps = ar_alloc(e->a, sizeof(Sym *) * (size_t)(f->npos + f->nkwonly + 3));
    int k = 0;
    for (int i = 0; i < f->npos + f->nkwonly; i++) ps[k++] = f->params[i];
    if (f->vararg) ps[k++] = f->vararg;
    if (f->kwarg) ps[k++] = f->kwarg;
    *n = k;
    return ps;
}

/* Moves the C parameters into the function's variables (boxed ones take a
 * reference of their own; captured ones go into cells). */
static void prologue(Em *e, FuncInfo *f, Out *o, bool from_frame) {
    int n;
    Sym **ps = all_params(e, f, &n);
    for (int i = 0; i < n; i++) {
        Sym *p = ps[i];
        Rep r = p->kind == SYM_CELL ? REP_OBJ : (p == f->vararg || p == f->kwarg ? REP_OBJ : p->rep);
        const char *src = r == REP_OBJ ? mangle(e->a, "p_", p->name) : param_cname(e, p);
        if (from_frame) src = ar_printf(e->a, "fr->%s", src);
        if (p->kind == SYM_CELL) {
            p->cname = param_cname(e, p);
            declare_local(e, p, p->cname);
            out_line(o, "if (!(%s = rt_cell_new(%s))) goto L_err;", p->cname, src);
        } else if (r == REP_OBJ) {
            p->cname = param_cname(e, p);
            declare_local(e, p, p->cname);
            out_line(o, "%s = rt_newref(%s);", p->cname, src);
        } else {
            p->cname = param_cname(e, p);
            if (from_frame) {
                declare_local(e, p, p->cname);
                out_line(o, "%s = %s;", p->cname, src);
            }
        }
    }
    /* the other captured variables start as empty cells */
    for (int i = 0; i < f->scope->nsyms; i++) {
        Sym *s = f->scope->syms[i];
        if (s->kind != SYM_CELL || s->is_param) continue;
        out_line(o, "if (!(%s = rt_cell_new(NULL))) goto L_err;", em_sym_cname(e, s));
    }
}

/* The identifier-like words of a C text, in a hash set. The emitter asks,
 * for every temporary and label of a function, whether the body uses it;
 * one scan to build the set keeps that linear (a strstr per question made a
 * 10,000-line module body take seconds). Words point into the text, which
 * must outlive the set. */
typedef struct WordSet {
    const char **word;   /* open addressing; NULL = empty */
    uint32_t *len;
    size_t cap, count;
} WordSet;

static bool is_word_char(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static uint64_t word_hash(const char *w, size_t n) {
    uint64_t h = 14695981039346656037u;   /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)w[i]) * 1099511628211u;
    return h;
}

static void wordset_add(WordSet *ws, const char *w, size_t n);

static void wordset_grow(WordSet *ws) {
    WordSet old = *ws;
    ws->cap = old.cap ? old.cap * 2 : 64;
    ws->count = 0;
    ws->word = calloc(ws->cap, sizeof *ws->word);
    ws->len = calloc(ws->cap, sizeof *ws->len);
    if (!ws->word || !ws->len) diag_fatal("out of memory (a set of %zu words)", ws->cap);
    for (size_t i = 0; i < old.cap; i++)
        if (old.word[i]) wordset_add(ws, old.word[i], old.len[i]);
    free(old.word);
    free(old.len);
}

static void wordset_add(WordSet *ws, const char *w, size_t n) {
    if (2 * (ws->count + 1) > ws->cap) wordset_grow(ws);
    size_t i = word_hash(w, n) & (ws->cap - 1);
    for (; ws->word[i]; i = (i + 1) & (ws->cap - 1))
        if (ws->len[i] == n && memcmp(ws->word[i], w, n) == 0) return;
    ws->word[i] = w;
    ws->len[i] = (uint32_t)n;
    ws->count++;
}

static bool wordset_has(const WordSet *ws, const char *w, size_t n) {
    if (!ws->cap) return false;
    for (size_t i = word_hash(w, n) & (ws->cap - 1); ws->word[i]; i = (i + 1) & (ws->cap - 1))
        if (ws->len[i] == n && memcmp(ws->word[i], w, n) == 0) return true;
    return false;
}

static void wordset_free(WordSet *ws) {
    free(ws->word);
    free(ws->len);
    *ws = (WordSet){0};
}

/* Every maximal run of identifier characters in text (a word inside a
 * string literal counts too: at worst a declaration is kept that was not
 * needed, never dropped when it was). */
static WordSet words_of(const char *text) {
    WordSet ws = {0};
    for (const char *p = text; *p;) {
        if (!is_word_char(*p)) { p++; continue; }
        const char *w = p;
        while (is_word_char(*p)) p++;
        wordset_add(&ws, w, (size_t)(p - w));
    }
    return ws;
}

static bool mentions_ident(const WordSet *words, const char *name) {
    return wordset_has(words, name, strlen(name));
}

/* The declarations and the cleanup that surround a function body (the
 * temporaries the body never mentions are left out). */
static void frame_text(Em *e, Str *decls, Str *cleanup, int depth, const char *body) {
    const char *ind = depth ? "    " : "";
    WordSet words = words_of(body);
    FnState *st = cur_fn_state;
    for (int i = 0; i < st->nlocals; i++) {
        Sym *s = st->locals[i].sym;
        Rep r = s->kind == SYM_CELL ? REP_OBJ : s->rep;
        if (s->kind == SYM_FREE) continue;
        str_printf(decls, "%s    %s%s = %s;\n", ind, c_type(r), st->locals[i].name, zero_of(r));
        if (r == REP_OBJ) str_printf(cleanup, "%s    RT_CLEAR(%s);\n", ind, st->locals[i].name);
        else str_printf(cleanup, "%s    (void)%s;   /* may be assigned and never read (for _ in ...) */\n", ind,
                        st->locals[i].name);
    }
    for (int i = 0; i < e->ntemps; i++) {
        Temp *t = &e->temps[i];
        if (!mentions_ident(&words, t->name)) continue;
        str_printf(decls, "%s    %s%s = %s;\n", ind, c_type(t->rep), t->name, zero_of(t->rep));
        if (t->rep == REP_OBJ) str_printf(cleanup, "%s    RT_CLEAR(%s);\n", ind, t->name);
    }
    wordset_free(&words);
}

typedef struct Saved {
    Out *out;
    FuncInfo *fn;
    Frame *frame;
    Temp *temps;
    int ntemps, tempcap, last_line;
    const char *pyname;
    ClassInfo *class_body;
    const char *class_ns;
    FnState *state;
} Saved;

static Saved enter_function(Em *e, FuncInfo *f, Out *body, FnState *st) {
    Saved s = {e->out, e->fn, e->frame, e->temps, e->ntemps, e->tempcap, e->last_line,
               e->pyname, e->class_body, e->class_ns, cur_fn_state};
    e->out = body;
    e->fn = f;
    e->frame = NULL;
    e->temps = NULL;
    e->ntemps = e->tempcap = 0;
    e->last_line = 0;
    e->pyname = f ? f->name : "<module>";
    e->class_body = NULL;
    e->class_ns = NULL;
    cur_fn_state = st;
    return s;
}

static void leave_function(Em *e, Saved s) {
    e->out = s.out;
    e->fn = s.fn;
    e->frame = s.frame;
    e->temps = s.temps;
    e->ntemps = s.ntemps;
    e->tempcap = s.tempcap;
    e->last_line = s.last_line;
    e->pyname = s.pyname;
    e->class_body = s.class_body;
    e->class_ns = s.class_ns;
    cur_fn_state = s.state;
}

/* The body of f: statements, or a lambda's expression, or a genexpr's loop. */
static void emit_body(Em *e, FuncInfo *f) {
    Node *d = f->def;
    if (d->kind == ND_FUNCDEF) {
        em_stmts(e, &d->funcdef.body);
        return;
    }
    if (d->kind == ND_LAMBDA) {
        out_line(e->out, "_ln = %u;", d->loc.line);
        Val v = em_expr(e, d->lambda.body);
        if (f->is_generator) {
            em_release(e, v);
            return;
        }
        em_return_value(e, v);
        return;
    }
    /* (elt for x in iter0 ...): nested loops around a yield */
    out_line(e->out, "_ln = %u;", d->loc.line);
    extern void em_genexp_body(Em *e, Node *n);
    em_genexp_body(e, d);
}

/* Appends text to out without the labels nothing jumps to (C warns about
 * unused labels, and the emitter makes more than it uses). The targets of
 * every `goto NAME;` are collected first, in one pass. */
static void put_without_unused_labels(Str *out, const char *text) {
    WordSet targets = {0};
    for (const char *p = strstr(text, "goto "); p; p = strstr(p + 5, "goto ")) {
        size_t n = 0;
        while (is_word_char(p[5 + n])) n++;
        if (n && p[5 + n] == ';') wordset_add(&targets, p + 5, n);
    }
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        const char *p = line;
        while (*p == ' ') p++;
        size_t n = 0;
        while (is_word_char(p[n])) n++;
        bool is_label = n > 2 && p[0] == 'L' && p[1] == '_' && p[n] == ':' &&
                        (p[n + 1] == '\n' || (p[n + 1] == ';' && p[n + 2] == '\n'));
        if (!is_label || wordset_has(&targets, p, n)) str_putn(out, line, len);
        line += len;
    }
    wordset_free(&targets);
}

/* Writes "static RET name(SIG) { ... }" for the Python body of f. */
static void emit_c_function(Em *e, FuncInfo *f, const char *cname, const char *sig, Rep ret, bool gen_body) {
    Out body = {.depth = 1};
    FnState st = {0};
    Saved saved = enter_function(e, f, &body, &st);
    Out pro = {.depth = 1};
    if (gen_body) {
        out_line(&pro, "%s__frame *fr = rt_frame;", f->cname);
        out_line(&pro, "(void)fr;");
        /* (void): a free function the body calls directly needs no cell */
        if (f->nfree) out_line(&pro, "RtValue **rt_cells = fr->cells; (void)rt_cells;");
        if (f->def->kind == ND_GENEXP) out_line(&pro, "RtValue *p_iter0 = fr->p_iter0;");
    }
    prologue(e, f, &pro, gen_body);
    emit_body(e, f);
    WordSet body_words = words_of(str_cstr(&body.buf));
    for (int i = 0; i < f->npos + f->nkwonly && !gen_body; i++) {
        Sym *p = f->params[i];
        if (p->kind != SYM_CELL && p->rep != REP_OBJ && !mentions_ident(&body_words, p->cname))
            out_line(&pro, "(void)%s;   /* unused parameter */", p->cname);
    }
    wordset_free(&body_words);
    Str decls = {0}, cleanup = {0};
    frame_text(e, &decls, &cleanup, 0, str_cstr(&body.buf));
    Str text = {0};
    Str *o = &text;
    str_printf(o, "/* %s %s   (%s:%u) */\n", f->is_lambda ? "lambda" : "def", f->qualname, e->p->src->path,
               f->def->loc.line);
    str_printf(o, "static %s%s(%s) {\n", c_type(ret), cname, sig);
    str_printf(o, "    int _ln = %u;\n", f->def->loc.line);
    str_printf(o, "    %s_r = %s;\n", c_type(ret), zero_of(ret));
    str_puts(o, str_cstr(&decls));
    /* RecursionError instead of a stack overflow, before the frame owns anything */
    str_printf(o, "    if (rt_stack_check() < 0) return %s;\n", zero_of(ret));
    str_puts(o, str_cstr(&pro.buf));
    str_puts(o, str_cstr(&body.buf));
    /* falling off the end returns None */
    NodeList *stmts = f->def->kind == ND_FUNCDEF ? &f->def->funcdef.body : NULL;
    bool ends_in_return = stmts && stmts->len && stmts->items[stmts->len - 1]->kind == ND_RETURN;
    if (!ends_in_return) {
        if (ret == REP_OBJ) str_puts(o, "    _r = rt_None;\n");
        str_puts(o, "    goto L_ret;\n");
    }
    str_puts(o, "L_err:\n");
    str_printf(o, "    rt_tb_here(\"%s\", _ln);\nL_err_notb:\n", e->pyname);
    if (ret == REP_OBJ) str_puts(o, "    RT_CLEAR(_r);\n");
    else str_printf(o, "    _r = %s;\n", zero_of(ret));
    str_puts(o, "L_ret:\n");
    str_puts(o, str_cstr(&cleanup));
    str_puts(o, "    (void)_ln;\n    return _r;\n}\n\n");
    put_without_unused_labels(&e->funcs, str_cstr(&text));
    str_free(&text);
    str_free(&decls);
    str_free(&cleanup);
    str_free(&body.buf);
    str_free(&pro.buf);
    leave_function(e, saved);
}

/* A generator: the frame that keeps its arguments, the function that makes
 * the generator object, and the body that runs on the generator's stack. */
static void emit_generator(Em *e, FuncInfo *f) {
    const char *sig = signature(e, f);
    int n;
    Sym **ps = all_params(e, f, &n);
    Str *t = &e->top;
    str_printf(t, "typedef struct %s__frame {\n", f->cname);
    if (f->nfree) str_puts(t, "    RtValue **cells;\n    int ncells;\n");
    if (f->def->kind == ND_GENEXP) str_puts(t, "    RtValue *p_iter0;\n");
    for (int i = 0; i < n; i++) {
        Sym *p = ps[i];
        Rep r = p->kind == SYM_CELL || p == f->vararg || p == f->kwarg ? REP_OBJ : p->rep;
        str_printf(t, "    %s%s;\n", c_type(r), r == REP_OBJ ? mangle(e->a, "p_", p->name) : param_cname(e, p));
    }
    str_printf(t, "} %s__frame;\n", f->cname);
    str_printf(t, "static RtValue *%s(%s);\n", f->cname, sig);

    Str *o = &e->funcs;
    str_printf(o, "static void %s__free(void *rt_frame) {\n    %s__frame *fr = rt_frame;\n", f->cname, f->cname);
    if (f->nfree) str_puts(o, "    for (int i = 0; i < fr->ncells; i++) rt_decref(fr->cells[i]);\n    rt_free(fr->cells);\n");
    if (f->def->kind == ND_GENEXP) str_puts(o, "    rt_xdecref(fr->p_iter0);\n");
    for (int i = 0; i < n; i++) {
        Sym *p = ps[i];
        Rep r = p->kind == SYM_CELL || p == f->vararg || p == f->kwarg ? REP_OBJ : p->rep;
        if (r == REP_OBJ) str_printf(o, "    rt_xdecref(fr->%s);\n", mangle(e->a, "p_", p->name));
    }
    str_puts(o, "    rt_free(fr);\n}\n\n");

    emit_c_function(e, f, ar_printf(e->a, "%s__body", f->cname), "void *rt_frame", REP_OBJ, true);
    str_printf(&e->top, "static RtValue *%s__body(void *rt_frame);\n", f->cname);

    str_printf(o, "/* Calling %s makes a generator; its body runs on the generator's own stack. */\n", f->qualname);
    str_printf(o, "static RtValue *%s(%s) {\n", f->cname, sig);
    str_printf(o, "    %s__frame *fr = rt_calloc(1, sizeof *fr);\n    if (!fr) return NULL;\n", f->cname);
    if (f->nfree) {
        str_printf(o, "    fr->cells = rt_malloc(sizeof(RtValue *) * %d);\n", f->nfree);
        str_printf(o, "    if (!fr->cells) { rt_free(fr); return NULL; }\n    fr->ncells = %d;\n", f->nfree);
        str_printf(o, "    for (int i = 0; i < %d; i++) fr->cells[i] = rt_newref(rt_cells[i]);\n", f->nfree);
    }
    if (f->def->kind == ND_GENEXP) str_puts(o, "    fr->p_iter0 = rt_newref(p_iter0);\n");
    for (int i = 0; i < n; i++) {
        Sym *p = ps[i];
        Rep r = p->kind == SYM_CELL || p == f->vararg || p == f->kwarg ? REP_OBJ : p->rep;
        const char *name = r == REP_OBJ ? mangle(e->a, "p_", p->name) : param_cname(e, p);
        if (r == REP_OBJ) str_printf(o, "    fr->%s = rt_newref(%s);\n", name, name);
        else str_printf(o, "    fr->%s = %s;\n", name, name);
    }
    str_printf(o, "    return rt_gen_new(\"%s\", \"%s\", %s__body, fr, %s__free);\n}\n\n", f->name, f->qualname,
               f->cname, f->cname);
}

/* The boxed entry, from templates/entry.c.tmpl. */
static void emit_entry(Em *e, FuncInfo *f) {
    if (f->def->kind == ND_GENEXP) return;   /* only ever started directly */
    int nnamed = f->npos + f->nkwonly;
    Str names = {0}, unbox = {0}, call = {0};
    for (int i = 0; i < nnamed; i++) str_printf(&names, "%s\"%s\"", i ? ", " : "", f->params[i]->name);
    if (!nnamed) str_puts(&names, "NULL");
    const char *spec = ar_printf(e->a, "\"%s\", names, %d, %d, %d, %s, %s", f->qualname, f->nposonly, f->npos,
                                 f->nkwonly, f->vararg ? "true" : "false", f->kwarg ? "true" : "false");
    str_printf(&call, "%s r = %s(", c_type(f->ret_rep), f->cname);
    bool first = true;
    if (f->nfree) { str_puts(&call, "self->cells"); first = false; }
    for (int i = 0; i < nnamed; i++) {
        Sym *p = f->params[i];
        Rep r = p->kind == SYM_CELL ? REP_OBJ : p->rep;
        const char *arg = ar_printf(e->a, "a[%d]", i);
        if (r != REP_OBJ) {
            const char *x = ar_printf(e->a, "x%d", i);
            if (r == REP_I64) str_printf(&unbox, "int64_t %s;\nif (rt_int_as_i64(%s, &%s) < 0) goto L_fail;\n", x, arg, x);
            else if (r == REP_F64) str_printf(&unbox, "double %s;\nif (rt_as_double(%s, &%s) < 0) goto L_fail;\n", x, arg, x);
            else str_printf(&unbox, "bool %s = %s == rt_True;\n", x, arg);
            arg = x;
        }
        str_printf(&call, "%s%s", first ? "" : ", ", arg);
        first = false;
    }
    if (f->vararg) { str_printf(&call, "%sva", first ? "" : ", "); first = false; }
    if (f->kwarg) { str_printf(&call, "%svk", first ? "" : ", "); first = false; }
    str_puts(&call, ");\n");
    switch (f->ret_rep) {
    case REP_OBJ: str_puts(&call, "res = r;"); break;
    case REP_I64: str_puts(&call, "if (!RT_ERR()) res = rt_int(r);"); break;
    case REP_F64: str_puts(&call, "if (!RT_ERR()) res = rt_float(r);"); break;
    case REP_BOOL: str_puts(&call, "if (!RT_ERR()) res = rt_bool(r);"); break;
    }
    if (!unbox.len) str_puts(&unbox, "/* no parameter needs unboxing */");
    TpVar vars[] = {
        {"qualname", f->qualname}, {"cname", f->cname}, {"names", str_cstr(&names)}, {"spec", spec},
        {"nslots", ar_printf(e->a, "%d", nnamed ? nnamed : 1)},
        {"va", f->vararg ? "&va" : "NULL"}, {"vk", f->kwarg ? "&vk" : "NULL"},
        {"unbox", str_cstr(&unbox)}, {"call", str_cstr(&call)},
    };
    Str text = {0};
    tp_expand(&text, tp_template("entry"), vars, (int)(sizeof vars / sizeof vars[0]));
    put_without_unused_labels(&e->funcs, str_cstr(&text));
    str_puts(&e->funcs, "\n");
    str_free(&text);
    str_printf(&e->top, "static RtValue *%s__entry(RtFunc *self, RtValue *const *args, size_t nargs, RtValue *kwnames);\n",
               f->cname);
    str_free(&names);
    str_free(&unbox);
    str_free(&call);
}

void em_define_function(Em *e, FuncInfo *f) {
    if (f->emitted) return;
    f->emitted = true;
    if (f->is_generator) {
        emit_generator(e, f);
    } else {
        str_printf(&e->top, "static %s%s(%s);\n", c_type(f->ret_rep), f->cname, signature(e, f));
        emit_c_function(e, f, f->cname, signature(e, f), f->ret_rep, false);
    }
    emit_entry(e, f);
}

/* ==== making function objects at a def or lambda ========================================= */

/* The array of cells a closure captures, as a fresh temporary array. */
static const char *closure_cells(Em *e, FuncInfo *f) {
    if (!f->nfree) return "NULL";
    const char *arr = em_label(e, "cells");
    Str s = {0};
    str_printf(&s, "RtValue *%s[%d] = {", arr, f->nfree);
    for (int i = 0; i < f->nfree; i++) {
        Sym *outer = f->freevars[i]->outer;
        const char *cell = outer->kind == SYM_FREE ? ar_printf(e->a, "rt_cells[%d]", outer->cell_index)
                                                   : em_sym_cname(e, outer);
        if (outer->kind == SYM_CELL && outer->scope->kind == SC_COMP)
            out_line(e->out, "if (!%s && !(%s = rt_cell_new(NULL))) goto %s;", cell, cell, em_err(e));
        str_printf(&s, "%srt_newref(%s)", i ? ", " : "", cell);
    }
    str_puts(&s, "};");
    out_line(e->out, "%s", str_cstr(&s));
    str_free(&s);
    return arr;
}

/* Evaluates f's defaults (here, as Python does at def time) and creates the
 * function object. Returns an owned Val. */
Val em_make_function(Em *e, FuncInfo *f) {
    em_define_function(e, f);
    const char *defaults = "NULL", *kwdefaults = "NULL";
    int nd = 0;
    for (int i = 0; i < f->npos; i++) if (f->defaults[i]) nd++;
    if (nd) {
        Str s = {0};
        for (int i = f->npos - nd; i < f->npos; i++) {
            Val v = em_to_owned(e, em_expr(e, f->defaults[i]));
            const char *g = ar_printf(e->a, "%s_default%d", f->cname, i);
            str_printf(&e->top, "static RtValue *%s;\n", g);
            out_line(e->out, "RT_SETREF(%s, %s); %s = NULL;", g, v.c, v.c);
            str_printf(&s, "%s%s", s.len ? ", " : "", g);
        }
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_tuple_from_array((RtValue *[]){%s}, %d);", t, str_cstr(&s), nd);
        em_check_null(e, t);
        defaults = t;
        str_free(&s);
    }
    bool any_kw = false;
    for (int i = 0; i < f->nkwonly; i++) if (f->kwdefaults[i]) any_kw = true;
    if (any_kw) {
        const char *t = em_tmp(e, REP_OBJ);
        out_line(e->out, "%s = rt_dict_new();", t);
        em_check_null(e, t);
        for (int i = 0; i < f->nkwonly; i++) {
            if (!f->kwdefaults[i]) continue;
            Val v = em_to_owned(e, em_expr(e, f->kwdefaults[i]));
            const char *g = ar_printf(e->a, "%s_default%d", f->cname, f->npos + i);
            str_printf(&e->top, "static RtValue *%s;\n", g);
            out_line(e->out, "RT_SETREF(%s, %s); %s = NULL;", g, v.c, v.c);
            out_line(e->out, "if (rt_dict_set_cstr(%s, \"%s\", %s) < 0) goto %s;", t, f->params[f->npos + i]->name, g,
                     em_err(e));
        }
        kwdefaults = t;
    }
    const char *cells = closure_cells(e, f);
    const char *t = em_tmp(e, REP_OBJ);
    out_line(e->out, "%s = rt_func_new(\"%s\", \"%s\", %s__entry, %d, %s, %s, %s, %d);", t, f->name, f->qualname,
             f->cname, picklable(f) ? f->table_index : -1, defaults, kwdefaults, cells, f->nfree);
    if (strcmp(defaults, "NULL")) out_line(e->out, "RT_CLEAR(%s);", defaults);
    if (strcmp(kwdefaults, "NULL")) out_line(e->out, "RT_CLEAR(%s);", kwdefaults);
    em_check_null(e, t);
    /* a docstring: the function body's first statement is a string */
    NodeList *body = f->def->kind == ND_FUNCDEF ? &f->def->funcdef.body : NULL;
    Node *first = body && body->len ? body->items[0] : NULL;
    if (first && first->kind == ND_EXPR && first->expr.value->kind == ND_CONST &&
        first->expr.value->constant.kind == CONST_STR)
        out_line(e->out, "((RtFunc *)%s)->doc = %s;", t,
                 cstr_lit(e->a, first->expr.value->constant.str, first->expr.value->constant.len));
    if (picklable(f)) out_line(e->out, "RT_SETREF(function_table[%d], rt_newref(%s));", f->table_index, t);
    return (Val){t, REP_OBJ, true};
}

/* A generator expression: start it on its first iterable. */
Val em_start_genexp(Em *e, FuncInfo *f, Val iter) {
    em_define_function(e, f);
    const char *cells = closure_cells(e, f);
    const char *t = em_tmp(e, REP_OBJ);
    if (f->nfree) out_line(e->out, "%s = %s(%s, %s);", t, f->cname, cells, iter.c);
    else out_line(e->out, "%s = %s(%s);", t, f->cname, iter.c);
    if (f->nfree)
        for (int i = 0; i < f->nfree; i++) out_line(e->out, "rt_decref(%s[%d]);", cells, i);
    em_release(e, iter);
    em_check_null(e, t);
    return (Val){t, REP_OBJ, true};
}

/* ==== the program ==================================================================================== */

static const char *source_lines(Em *e) {
    Str s = {0};
    const SrcFile *f = e->p->src;
    for (uint32_t i = 1; i <= f->nlines; i++) {
        size_t n;
        const char *line = src_line(f, i, &n);
        if (n > 200) n = 200;   /* tracebacks show the start of very long lines */
        str_printf(&s, "%s", i > 1 ? ",\n" : "");
        out_cstr(&s, line, n);
    }
    if (!f->nlines) str_puts(&s, "\"\"");
    const char *r = ar_strdup(e->a, str_cstr(&s));
    str_free(&s);
    return r;
}

static void emit_module(Em *e, Str *out) {
    Out body = {.depth = 1};
    FnState st = {0};
    Saved saved = enter_function(e, NULL, &body, &st);
    Sym *name = scope_lookup_local(e->p->modscope, "__name__");
    out_line(&body, "RT_SETREF(%s, rt_str_from_cstr(as_main ? \"__main__\" : \"__mp_main__\"));",
             em_sym_cname(e, name));
    out_line(&body, "if (!%s) goto L_err;", em_sym_cname(e, name));
    em_stmts(e, &e->p->module->module.body);
    Str decls = {0}, cleanup = {0};
    frame_text(e, &decls, &cleanup, 0, str_cstr(&body.buf));
    str_puts(out, "/* The module's top-level code. as_main is false in a spawned child, whose\n"
                  " * __name__ is '__mp_main__', so the `if __name__ == '__main__':` guard is skipped. */\n");
    Str text = {0};
    str_puts(&text, "static int module_init(bool as_main) {\n    int _ln = 1;\n    int _r = 0;\n");
    str_puts(&text, str_cstr(&decls));
    str_puts(&text, str_cstr(&body.buf));
    str_puts(&text, "    goto L_ret;\nL_err:\n    rt_tb_here(\"<module>\", _ln);\nL_err_notb:\n    _r = -1;\nL_ret:\n");
    str_puts(&text, str_cstr(&cleanup));
    str_puts(&text, "    (void)_ln;\n    return _r;\n}\n");
    put_without_unused_labels(out, str_cstr(&text));
    str_free(&text);
    str_free(&decls);
    str_free(&cleanup);
    str_free(&body.buf);
    leave_function(e, saved);
}

bool em_program(Program *p, Str *out, bool line_directives) {
    Em e = {0};
    e.p = p;
    e.a = p->arena;
    e.line_directives = line_directives;
    nconst_rows = const_cap = 0;
    const_rows = NULL;
    name_functions(&e);
    Str module = {0};
    emit_module(&e, &module);
    int before = diag_error_count();
    Str globals = {0};
    for (int i = 0; i < p->modscope->nsyms; i++) {
        Sym *g = p->modscope->syms[i];
        if (g->kind == SYM_GLOBAL && g->cname && strncmp(g->cname, "g_", 2) == 0)
            str_printf(&globals, "    {\"%s\", &%s},\n", g->name, g->cname);
    }
    TpVar vars[] = {
        {"version", MP2C_VERSION},
        {"globals", str_cstr(&globals)},
        {"path", p->src->path},
        {"path_literal", cstr_lit(e.a, p->src->path, strlen(p->src->path))},
        {"top", str_cstr(&e.top)},
        {"funcs", str_cstr(&e.funcs)},
        {"init", e.init.len ? str_cstr(&e.init) : "    /* none */"},
        {"module", str_cstr(&module)},
        {"source_lines", source_lines(&e)},
        {"nlines", ar_printf(e.a, "%u", p->src->nlines ? p->src->nlines : 1)},
        {"nfunctions", ar_printf(e.a, "%d", p->nfuncs ? p->nfuncs : 1)},
        {"nclasses", ar_printf(e.a, "%d", p->nclasses ? p->nclasses : 1)},
    };
    tp_expand(out, tp_template("program"), vars, (int)(sizeof vars / sizeof vars[0]));
    str_free(&globals);
    str_free(&e.top);
    str_free(&e.funcs);
    str_free(&e.init);
    str_free(&module);
    return diag_error_count() == before;
}

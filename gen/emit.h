/* emit.h: the emitter's shared state (emit.c, emit_stmt.c, emit_expr.c).
 *
 * The generated C follows CPython's C-API discipline:
 *   - a boxed value is an RtValue * that owns one reference; temporaries
 *     (_tN) are declared at the top of the function, start NULL and are
 *     cleared (RT_CLEAR) as soon as they are consumed;
 *   - every operation that can fail is checked, and a failure jumps to the
 *     innermost error label: the function's own (which records a traceback
 *     frame, releases everything and returns the error) or the handler of
 *     an enclosing try/with;
 *   - ints, floats and bools that inference proved are plain C values
 *     (int64_t with checked arithmetic, double, bool).
 * Each Python statement first sets `_ln` to its line, which is what the
 * traceback shows when something in it fails.
 */
#ifndef MP2C_EMIT_H
#define MP2C_EMIT_H

#include "sema.h"

/* ---- output (out.c) ----------------------------------------------------------- */
typedef struct Out {
    Str buf;
    int depth;
} Out;

void out_line(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_open(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_close(Out *o);
void out_block(Out *o);                       /* a bare "{" opening a scope */
void out_label(Out *o, const char *label);
void out_raw(Out *o, const char *text);
void out_cstr(Str *b, const char *s, size_t n);
const char *cstr_lit(Arena *a, const char *s, size_t n);

/* ---- values ---------------------------------------------------------------------- */
typedef struct Val {
    const char *c;      /* a C expression, valid at the current point */
    Rep         rep;
    bool        owned;  /* REP_OBJ: c is a temporary holding a reference to release */
} Val;

/* ---- frames: what `break`, `return` and an exception must unwind ------------------- */
typedef enum FrameKind {
    FR_LOOP,        /* break/continue targets */
    FR_TRY,         /* inside a try body with except clauses */
    FR_HANDLER,     /* inside an except clause: leave the handled state on the way out */
    FR_FINALLY,     /* inside the protected part of try/finally */
    FR_WITH,        /* inside a with body */
} FrameKind;

enum { WHY_EXC = 1, WHY_RETURN = 2, WHY_BREAK = 3, WHY_CONTINUE = 4 };

typedef struct Frame {
    FrameKind     kind;
    struct Frame *up;
    int           id;
    const char   *err_tb;      /* exception label that first records a traceback frame */
    const char   *err_notb;    /* exception label for an already-recorded frame */
    const char   *brk, *cont;  /* FR_LOOP */
    const char   *fin;         /* FR_FINALLY/FR_WITH: where unwinding jumps */
    const char   *why;         /* FR_FINALLY/FR_WITH: the why variable */
    unsigned      whys;        /* FR_FINALLY/FR_WITH: bit per WHY_* that jumps here */
    const char   *saved;       /* FR_HANDLER: the rt_exc_handling_enter slot */
    const char   *excvar;      /* FR_HANDLER: the temporary holding the exception */
    Sym          *namesym;     /* FR_HANDLER: `except E as name` */
} Frame;

/* ---- the emitter ------------------------------------------------------------------------ */
typedef struct Temp {
    const char *name;
    Rep         rep;
} Temp;

typedef struct Em {
    Program    *p;
    Arena      *a;
    Out        *out;             /* body of the function being emitted */
    Str         top;             /* file-level: constants, globals, prototypes */
    Str         funcs;           /* file-level: function definitions */
    Str         init;            /* constants created at startup */
    FuncInfo   *fn;              /* NULL while emitting module code */
    const char *pyname;          /* for tracebacks: "<module>", "f", "Point.__init__" */
    Frame      *frame;           /* innermost frame */
    Temp       *temps;
    int         ntemps, tempcap;
    int         nlabels;
    int         nconsts;
    bool        line_directives;
    ClassInfo  *class_body;      /* set while emitting a class body */
    const char *class_ns;        /* the namespace dict temp of that class body */
    int         last_line;
} Em;

/* emit.c */
const char *em_tmp(Em *e, Rep rep);
const char *em_label(Em *e, const char *stem);
const char *em_err(Em *e);           /* the error label for code at this point */
const char *em_err_notb(Em *e);
void        em_line_marker(Em *e, Node *n);
const char *em_str_const(Em *e, const char *s, size_t n);
const char *em_bytes_const(Em *e, const char *s, size_t n);
const char *em_int_const(Em *e, Node *n);
const char *em_sym_cname(Em *e, Sym *s);
const char *em_func_obj(Em *e, FuncInfo *f);      /* C lvalue holding f's function object */
const char *em_class_obj(Em *e, ClassInfo *c);    /* C lvalue holding the class object */
void        em_define_function(Em *e, FuncInfo *f);
const char *c_type(Rep rep);
const char *zero_of(Rep rep);

/* emit_expr.c */
Val  em_expr(Em *e, Node *n);
Val  em_expr_as(Em *e, Node *n, Rep rep);
Val  em_to(Em *e, Val v, Rep rep);
Val  em_to_owned(Em *e, Val v);                   /* a boxed value that owns a reference */
void em_release(Em *e, Val v);
const char *em_cond(Em *e, Node *n);              /* a C condition; releases what it used */
Val  em_load_sym(Em *e, Sym *s, Node *at);
void em_store_sym(Em *e, Sym *s, Val v);          /* consumes v */
void em_assign(Em *e, Node *target, Val v);       /* consumes v */
void em_delete(Em *e, Node *target);
void em_check_null(Em *e, const char *c);
void em_check_neg(Em *e, const char *c);
Val  em_call_direct(Em *e, FuncInfo *f, Val *args, int n);
Val  em_binop_inplace(Em *e, Node *binop);       /* x op= v for a name: n is a synthetic BinOp */
void em_augassign_item(Em *e, Node *augassign);   /* obj.x op= v, obj[k] op= v */

/* Loops over an iterable (for statements, comprehensions, genexprs). */
typedef struct IterLoop {
    const char *it, *idx, *len;
    const char *cont, *brk;  /* labels */
    Out *out;                /* where the loop is written, and from which offset: */
    size_t start;            /* em_iter_close looks for a `goto brk` only there */
} IterLoop;
IterLoop em_iter_begin(Em *e, Node *iter, Val *item);
IterLoop em_iter_begin_val(Em *e, Val v, Type *t, Val *item);
void     em_iter_end(Em *e, IterLoop *L);
void     em_iter_close(Em *e, IterLoop *L);   /* after any else-part: the break target and cleanup */
Val  em_make_function(Em *e, FuncInfo *f);
Val  em_start_genexp(Em *e, FuncInfo *f, Val iter);
void em_genexp_body(Em *e, Node *n);
bool em_program(Program *p, Str *out, bool line_directives);

/* emit_stmt.c */
void em_stmts(Em *e, NodeList *body);
void em_return_value(Em *e, Val v);

#endif

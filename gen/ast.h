/* ast.h: mp2c's own syntax tree, the output of the front end (front.c).
 *
 * The shape follows CPython's `ast` module (Python 3.11), field for field, so
 * that anyone who knows `ast.dump()` can read ours, and so that the tests can
 * compare our tree with the one CPython builds. Differences:
 *   - every node carries a 1-based Loc (start) and end Loc;
 *   - `elif` is an If nested in orelse, exactly as CPython does it;
 *   - string constants hold UTF-8 bytes plus a length (they may contain NUL);
 *   - int constants hold an int64 when the value fits, else decimal digits;
 *   - the semantic passes annotate nodes in place (sym, ty, scope), which the
 *     front end leaves NULL.
 * All nodes live in the arena passed to fe_parse; nothing is freed singly.
 */
#ifndef MP2C_AST_H
#define MP2C_AST_H

#include "common.h"

typedef struct Node Node;
struct Sym;    /* resolve.c: what a Name binds to */
struct Type;   /* infer.c: the inferred type of an expression */
struct Scope;  /* resolve.c: the scope a def/lambda/class/comprehension opens */

typedef struct NodeList {
    Node   **items;
    int      len;
} NodeList;

typedef enum NodeKind {
    /* module */
    ND_MODULE,
    /* statements (Lang. Ref. 7 and 8) */
    ND_FUNCDEF, ND_CLASSDEF, ND_RETURN, ND_DELETE, ND_ASSIGN, ND_AUGASSIGN,
    ND_ANNASSIGN, ND_FOR, ND_WHILE, ND_IF, ND_WITH, ND_RAISE, ND_TRY,
    ND_ASSERT, ND_IMPORT, ND_IMPORTFROM, ND_GLOBAL, ND_NONLOCAL, ND_EXPR,
    ND_PASS, ND_BREAK, ND_CONTINUE,
    /* expressions (Lang. Ref. 6) */
    ND_BOOLOP, ND_NAMEDEXPR, ND_BINOP, ND_UNARYOP, ND_LAMBDA, ND_IFEXP,
    ND_DICT, ND_SET, ND_LISTCOMP, ND_SETCOMP, ND_DICTCOMP, ND_GENEXP,
    ND_AWAIT, ND_YIELD, ND_YIELDFROM, ND_COMPARE, ND_CALL, ND_FORMATTED,
    ND_JOINEDSTR, ND_CONST, ND_ATTRIBUTE, ND_SUBSCRIPT, ND_STARRED, ND_NAME,
    ND_LIST, ND_TUPLE, ND_SLICE,
    /* parts */
    ND_ARGUMENTS, ND_ARG, ND_KEYWORD, ND_ALIAS, ND_WITHITEM,
    ND_COMPREHENSION, ND_EXCEPTHANDLER,
    ND__COUNT
} NodeKind;

typedef enum ConstKind {
    CONST_NONE, CONST_TRUE, CONST_FALSE, CONST_ELLIPSIS,
    CONST_INT, CONST_FLOAT, CONST_COMPLEX, CONST_STR, CONST_BYTES
} ConstKind;

typedef enum BinOpKind {   /* in CPython's ast order */
    OP_ADD, OP_SUB, OP_MULT, OP_MATMULT, OP_DIV, OP_MOD, OP_POW,
    OP_LSHIFT, OP_RSHIFT, OP_BITOR, OP_BITXOR, OP_BITAND, OP_FLOORDIV
} BinOpKind;

typedef enum UnaryOpKind { UOP_INVERT, UOP_NOT, UOP_UADD, UOP_USUB } UnaryOpKind;

typedef enum CmpOpKind {
    CMP_EQ, CMP_NOTEQ, CMP_LT, CMP_LTE, CMP_GT, CMP_GTE,
    CMP_IS, CMP_ISNOT, CMP_IN, CMP_NOTIN
} CmpOpKind;

typedef enum BoolOpKind { BOOL_AND, BOOL_OR } BoolOpKind;

typedef enum ExprCtx { CTX_LOAD, CTX_STORE, CTX_DEL } ExprCtx;

struct Node {
    NodeKind kind;
    Loc      loc;        /* first byte of the construct */
    Loc      end;        /* one past its last byte (same convention as CPython's end_col_offset) */

    /* Filled by the semantic passes; NULL after parsing. */
    struct Sym   *sym;   /* ND_NAME, ND_ARG, ND_FUNCDEF, ND_CLASSDEF, ND_ALIAS, handler name */
    struct Type  *ty;    /* expressions */
    struct Scope *scope; /* ND_MODULE, ND_FUNCDEF, ND_LAMBDA, ND_CLASSDEF, comprehensions */

    union {
        struct { NodeList body; } module;

        /* def name(args) -> returns: body     (Lang. Ref. 8.7) */
        struct {
            const char *name;
            Node       *args;        /* ND_ARGUMENTS */
            NodeList    body;
            NodeList    decorators;
            Node       *returns;     /* annotation or NULL */
            bool        is_async;
        } funcdef;

        /* class name(bases, keywords): body   (Lang. Ref. 8.8) */
        struct {
            const char *name;
            NodeList    bases;
            NodeList    keywords;    /* ND_KEYWORD, e.g. metaclass= */
            NodeList    body;
            NodeList    decorators;
        } classdef;

        struct { Node *value; } ret;                 /* value may be NULL */
        struct { NodeList targets; } del;

        /* t1 = t2 = value */
        struct { NodeList targets; Node *value; } assign;
        struct { Node *target; BinOpKind op; Node *value; } augassign;
        struct { Node *target; Node *annotation; Node *value; bool simple; } annassign;

        /* for target in iter: body else: orelse */
        struct { Node *target; Node *iter; NodeList body; NodeList orelse; bool is_async; } for_;
        struct { Node *test; NodeList body; NodeList orelse; } while_;
        struct { Node *test; NodeList body; NodeList orelse; } if_;
        struct { NodeList items; NodeList body; bool is_async; } with;   /* items: ND_WITHITEM */
        struct { Node *exc; Node *cause; } raise;                       /* both may be NULL */
        /* try: body  except...: handlers  else: orelse  finally: finalbody */
        struct { NodeList body; NodeList handlers; NodeList orelse; NodeList finalbody; } try_;
        struct { Node *test; Node *msg; } assert_;
        struct { NodeList names; } import;                               /* ND_ALIAS */
        struct { const char *module; NodeList names; int level; } importfrom; /* module NULL for "from . import x" */
        struct { const char **names; int len; } global;                  /* global and nonlocal */
        struct { Node *value; } expr;                                    /* ND_EXPR statement */

        /* a and b and c */
        struct { BoolOpKind op; NodeList values; } boolop;
        struct { Node *target; Node *value; } namedexpr;
        struct { Node *left; BinOpKind op; Node *right; } binop;
        struct { UnaryOpKind op; Node *operand; } unaryop;
        struct { Node *args; Node *body; } lambda;                       /* args: ND_ARGUMENTS */
        struct { Node *test; Node *body; Node *orelse; } ifexp;
        /* {k: v, **m}: keys[i] is NULL for a ** entry */
        struct { NodeList keys; NodeList values; } dict;
        struct { NodeList elts; } set;
        /* [elt for ...], {elt for ...}, (elt for ...); key/value for dict */
        struct { Node *elt; Node *key; Node *value; NodeList generators; } comp;
        struct { Node *value; } await;
        struct { Node *value; } yield;                                   /* yield and yield from; value may be NULL for yield */
        /* left op0 c0 op1 c1 ... */
        struct { Node *left; CmpOpKind *ops; NodeList comparators; } compare;
        /* func(args, keywords): args may contain ND_STARRED; a keyword with arg NULL is **x */
        struct { Node *func; NodeList args; NodeList keywords; } call;
        /* {value!conversion:format_spec}; conversion is -1, 's', 'r' or 'a' */
        struct { Node *value; int conversion; Node *format_spec; } formatted;
        struct { NodeList values; } joinedstr;                           /* ND_CONST str and ND_FORMATTED */

        struct {
            ConstKind kind;
            /* CONST_INT: `fits` says i64 holds the value; otherwise `digits` is
             * the value in decimal ("-" never appears: literals are >= 0). */
            int64_t     i64;
            bool        fits;
            const char *digits;
            double      f64;          /* CONST_FLOAT; CONST_COMPLEX: the imaginary part */
            const char *str;          /* CONST_STR (UTF-8) and CONST_BYTES; NUL-terminated */
            size_t      len;          /* byte length of str */
            bool        is_u;         /* CONST_STR written u'...' (ast.dump shows kind='u') */
        } constant;

        struct { Node *value; const char *attr; ExprCtx ctx; } attribute;
        struct { Node *value; Node *slice; ExprCtx ctx; } subscript;     /* slice: expr, ND_SLICE or ND_TUPLE */
        struct { Node *value; ExprCtx ctx; } starred;
        struct { const char *id; ExprCtx ctx; } name;
        struct { NodeList elts; ExprCtx ctx; } list;                     /* ND_LIST and ND_TUPLE */
        struct { Node *lower; Node *upper; Node *step; } slice;          /* each may be NULL */

        /* parameters, as CPython's ast.arguments; defaults align with the
         * last len(defaults) of posonlyargs+args; kw_defaults[i] may be NULL */
        struct {
            NodeList posonlyargs, args, kwonlyargs;  /* ND_ARG */
            Node    *vararg, *kwarg;                 /* ND_ARG or NULL */
            NodeList kw_defaults, defaults;
        } arguments;
        struct { const char *name; Node *annotation; } arg;
        struct { const char *arg; Node *value; } keyword;                /* arg NULL for **value */
        struct { const char *name; const char *asname; } alias;          /* name may be dotted; asname may be NULL */
        struct { Node *context_expr; Node *optional_vars; } withitem;
        struct { Node *target; Node *iter; NodeList ifs; bool is_async; } comprehension;
        struct { Node *type; const char *name; NodeList body; } handler; /* type and name may be NULL */
    };
};

/* ---- constructors (ast.c) ------------------------------------------------ */
Node *ast_new(Arena *a, NodeKind kind, Loc loc, Loc end);
void  ast_list_push(Arena *a, NodeList *l, Node *n);
const char *ast_kind_name(NodeKind kind);        /* "FunctionDef", "Name", ... as in CPython's ast */
const char *ast_binop_symbol(BinOpKind op);      /* "+", "//", ... */
const char *ast_cmpop_symbol(CmpOpKind op);      /* "==", "not in", ... */
bool ast_is_printable(uint32_t cp);              /* Python's str.isprintable() for one code point */

/* Writes the tree in CPython's ast.dump() format (no attributes, one line),
 * so the tests can compare with `python3 -c 'import ast; print(ast.dump(...))'`. */
void ast_dump(Str *out, const Node *n);

/* ---- the front end (front.c) -------------------------------------------- */
/* Parses src and lowers it to an ND_MODULE. Syntax errors and constructs
 * outside the translatable subset are reported through diag_error; the
 * result is NULL when any error was reported. */
Node *fe_parse(Arena *a, const SrcFile *src);
/* The syntax half of fe_parse: lowering and Python's own syntax errors, but
 * no subset check (`mp2c dump-ast` and the parser tests use it). */
Node *fe_parse_syntax(Arena *a, const SrcFile *src);
/* Debugging aid (`mp2c dump-cst`): tree-sitter's concrete tree, one node a line. */
void  fe_dump_cst(const SrcFile *src, Str *out);

/* ---- the subset check (subset.c) ------------------------------------------ */
/* Reports, through diag_error, every construct mp2c will never translate
 * (async, eval/exec, metaclasses, modules it does not provide, ...).
 * Returns true when there is none. fe_parse calls it after lowering. */
bool  fe_check_subset(const SrcFile *src, Node *module);

#endif

/* sema.h: what the semantic passes know about a program.
 *
 *   resolve.c  scopes and symbols: binds every Name to a local, a global, a
 *              cell, a builtin or an imported module member; collects the
 *              program's functions and classes.
 *   infer.c    whole-program type inference: types flow from literals,
 *              calls and the runtime's known signatures into variables,
 *              parameters (seeded from call sites such as Pool.map(f, xs)),
 *              return values and container elements, until nothing changes.
 *              Then each variable gets its C representation (Rep).
 *   emit*.c    C text, using both.
 */
#ifndef MP2C_SEMA_H
#define MP2C_SEMA_H

#include <stdio.h>

#include "ast.h"

typedef struct Sym Sym;
typedef struct Scope Scope;
typedef struct Type Type;
typedef struct FuncInfo FuncInfo;
typedef struct ClassInfo ClassInfo;
typedef struct Program Program;

/* ==== imported modules (modules.c) ========================================= */
typedef enum MemberKind {
    MK_FUNC,      /* a native function: c_sym is an RtNativeFn */
    MK_TYPE,      /* a runtime type: c_sym is an RtType */
    MK_EXC,       /* an exception type: c_sym is an RtType */
    MK_CONST,     /* a value: c_sym is a C expression giving a new reference */
    MK_MODULE,    /* a submodule: c_sym is its dotted name */
} MemberKind;

typedef struct ModMember {
    const char *module;   /* "multiprocessing" */
    const char *name;     /* "Process" */
    MemberKind  kind;
    const char *c_sym;    /* "rt_mp_Process" */
    const char *result;   /* what calling it (or the constant) gives, for inference: see infer.c */
} ModMember;

typedef struct NativeMethod {
    const char *type;     /* the runtime type's C name, "rt_mp_Queue" */
    const char *name;     /* "put" */
    const char *c_fn;     /* the RtNativeFn, "rt_mp_Queue_m_put" */
    const char *result;   /* result spec (see modules.c), NULL = decided in infer.c */
} NativeMethod;

bool mod_exists(const char *module);
const NativeMethod *mod_native_method(const char *type, const char *name);
bool mod_is_lock_type(const char *type);
const ModMember *mod_member(const char *module, const char *name);
/* Iterates the members of a module (for `from m import *`). */
const ModMember *mod_member_at(const char *module, int i);

/* ==== representations in C ==================================================== */
typedef enum Rep {
    REP_OBJ,      /* RtValue *, a boxed Python value */
    REP_I64,      /* int64_t: an int proven to be an int (checked arithmetic) */
    REP_F64,      /* double: a float */
    REP_BOOL,     /* bool */
} Rep;

/* ==== types ===================================================================== */
typedef enum TypeKind {
    TY_BOTTOM,    /* no information yet */
    TY_ANY,       /* anything: boxed, dispatched at run time */
    TY_NONE, TY_BOOL, TY_INT, TY_FLOAT, TY_COMPLEX, TY_STR, TY_BYTES,
    TY_LIST, TY_TUPLE, TY_DICT, TY_SET, TY_RANGE,
    TY_ITER,      /* an iterator/generator yielding elem */
    TY_FUNC,      /* a known script function (fn) */
    TY_BUILTIN,   /* a builtin function (name) */
    TY_CLASS,     /* a class object: a script class (cls) or a runtime type (rtname) */
    TY_INST,      /* an instance of script class cls */
    TY_NATIVE,    /* an instance of runtime type rtname ("rt_mp_Queue") */
    TY_MODULE,    /* an imported module (name) */
} TypeKind;

/* Containers' element types live in an Origin shared by every alias of the
 * container (unified like Steensgaard's points-to sets), so a mutation
 * through any alias widens what all of them see. */
typedef struct Origin {
    struct Origin *parent;  /* union-find */
    Type *elem;             /* list/set element, dict value */
    Type *key;              /* dict key */
} Origin;

struct Type {
    TypeKind    kind;
    Origin     *origin;     /* TY_LIST, TY_SET, TY_DICT */
    Type      **items;      /* TY_TUPLE with nitems >= 0 */
    int         nitems;     /* -1: a tuple of unknown length whose items are elem */
    Type       *elem;       /* TY_TUPLE (nitems < 0), TY_ITER */
    FuncInfo   *fn;         /* TY_FUNC */
    ClassInfo  *cls;        /* TY_CLASS (script), TY_INST */
    const char *name;       /* TY_NATIVE/TY_CLASS: RtType C name; TY_BUILTIN: builtin name; TY_MODULE */
    const ModMember *member;/* TY_BUILTIN for a module function (os.getpid) */
    bool        big;        /* TY_INT: may outgrow 64 bits, so it stays boxed */
    unsigned char lvl;      /* TY_INT, not big: 0 a base value, 1 one sum or product of them
                               (infer.c, "magnitude levels") */
    bool        big_stop;   /* TY_RANGE: a bound may be big (range(10**30)[-1]), though
                               counting from start by step stays at lvl */
};

/* ==== symbols and scopes ============================================================ */
typedef enum SymKind {
    SYM_LOCAL,      /* a function's local or parameter */
    SYM_GLOBAL,     /* a module-level variable */
    SYM_CELL,       /* a local captured by an inner function (boxed in an RtCell) */
    SYM_FREE,       /* an inner function's view of an enclosing cell */
    SYM_BUILTIN,    /* len, print, int, ValueError, ... */
    SYM_MODULE,     /* `import os` binds a module */
    SYM_MEMBER,     /* `from multiprocessing import Process` binds a member */
    SYM_CLASSVAR,   /* a name assigned in a class body */
} SymKind;

struct Sym {
    const char *name;
    SymKind     kind;
    Scope      *scope;          /* where it lives */
    Sym        *outer;          /* SYM_FREE: the symbol in the enclosing scope */
    const ModMember *member;    /* SYM_MEMBER */
    const char *module;         /* SYM_MODULE: dotted module name */
    /* facts from resolve */
    bool        is_param;
    bool        declared_global;
    int         nassign;        /* binding sites (assignments, def, import, for, ...) */
    Node       *def;            /* the def/class that binds it, when that is its only binding */
    bool        maybe_unbound;  /* read where it may not be assigned yet */
    bool        growth;         /* assigned an int that may outgrow 64 bits (r *= i) */
    bool        import_failed;  /* bound by an import already reported: no error follows from it */
    /* facts from infer */
    Type       *ty;
    Rep         rep;
    /* emission */
    const char *cname;
    int         cell_index;     /* SYM_FREE: index into the function's cells */
};

typedef enum ScopeKind { SC_MODULE, SC_FUNC, SC_CLASS, SC_COMP } ScopeKind;

struct Scope {
    ScopeKind  kind;
    Node      *node;            /* module, def, lambda, class, comprehension */
    Scope     *parent;
    Sym      **syms;
    int        nsyms, cap;
    FuncInfo  *fn;              /* SC_FUNC, SC_COMP (comprehensions compile inline but keep their scope) */
    ClassInfo *cls;             /* SC_CLASS */
};

/* ==== functions and classes ============================================================ */
struct FuncInfo {
    Node       *def;            /* ND_FUNCDEF or ND_LAMBDA */
    Scope      *scope;
    const char *name;           /* __name__ ("<lambda>" for lambdas) */
    const char *qualname;       /* "Point.__init__", "outer.<locals>.inner" */
    const char *cname;          /* C name of the typed function */
    Sym       **params;         /* positional (incl. posonly), then keyword-only */
    int         nposonly, npos, nkwonly;
    Sym        *vararg, *kwarg;
    Node      **defaults;       /* npos entries: the default expression or NULL */
    Node      **kwdefaults;     /* nkwonly entries */
    Type       *ret;            /* return type */
    Type       *yield_ty;       /* generators: what they yield */
    bool        is_generator;
    bool        escapes;        /* used as a value where its callers are unknown */
    bool        ret_growth;     /* returns an int that may outgrow 64 bits */
    ClassInfo  *cls;            /* the class for methods */
    FuncInfo   *parent_fn;      /* enclosing function for nested defs and lambdas */
    int         table_index;    /* in the program's function table */
    Sym       **freevars;       /* SYM_FREE symbols, in cell order */
    int         nfree;
    bool        is_lambda;
    bool        is_static;      /* @staticmethod */
    bool        is_classmethod; /* @classmethod */
    bool        is_property;    /* @property getter (or setter) */
    bool        decorated;      /* other decorators: the name holds whatever they return */
    bool        emitted;        /* emit.c: its C code is written */
    Rep         ret_rep;
};

struct ClassInfo {
    Node       *def;
    Scope      *scope;
    const char *name;
    const char *cname;          /* C variable holding the class object */
    ClassInfo  *base;           /* a script base class, or NULL */
    const char *native_base;    /* the runtime base type ("rt_exc_Exception", "rt_ctypes_Structure"), or NULL */
    const char **attr_names;    /* instance attributes seen (self.x = ...) */
    Type      **attr_types;
    int         nattrs, attrcap;
    int         table_index;
    bool        is_exception;
};

struct Program {
    Arena      *arena;
    const SrcFile *src;
    Node       *module;
    Scope      *modscope;
    FuncInfo  **funcs;          /* every def and lambda, in source order */
    int         nfuncs, funccap;
    ClassInfo **classes;
    int         nclasses, classcap;
};

/* ==== the passes ========================================================================== */
/* Builds scopes and binds names; reports unknown modules/members and misuse.
 * Returns false when errors were reported. */
bool sem_resolve(Program *p);
/* Infers types and decides representations. Never fails. */
void sem_infer(Program *p);
/* Lists every function's and variable's type and representation. */
void sem_dump_types(Program *p, FILE *out);

Sym  *scope_lookup_local(Scope *s, const char *name);
Sym  *scope_add(Program *p, Scope *s, const char *name, SymKind kind);

/* Is e an int expression that may grow without bound (r * r, 2 ** n,
 * n * f(n - 1))? `self` is the variable being assigned, or NULL. (resolve.c) */
bool expr_may_grow(Node *e, Sym *self);
/* The FuncInfo/ClassInfo a def binds (via its scope). */
static inline FuncInfo *def_func(Node *def) { return def->scope ? def->scope->fn : NULL; }

/* Types (infer.c) */
Type *ty_new(Program *p, TypeKind k);
Type *ty_prim(TypeKind k);        /* shared instances of the kinds without parts */
bool  ty_is_prim(const Type *t, TypeKind k);
Type *ty_list(Program *p, Type *elem);
Type *ty_tuple(Program *p, Type **items, int n);
Type *ty_elem(Type *t);          /* what iterating t gives, or Any */
Type *ty_any(void);
Origin *origin_find(Origin *o);
const char *ty_str(Program *p, const Type *t);   /* "list[int]", for debugging and tests */
Rep   ty_rep(const Type *t);     /* the natural C representation of t */

#endif

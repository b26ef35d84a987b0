/* stringmod.c: the string module: its constants and capwords().
 *
 * The constants are immortal interned strs (rt_str_const), so generated code
 * can read `string.digits` as often as it likes without allocating or
 * releasing anything. capwords follows string.py line for line:
 * (sep or ' ').join(map(str.capitalize, s.split(sep))), so its errors on
 * odd arguments are CPython's too.
 */
#include "mp2c.h"

#include <string.h>

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS "0123456789"
#define PUNCT "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
#define WHITE " \t\n\r\x0b\x0c"

static const struct { const char *name, *text; size_t len; } consts[] = {
#define C(name, text) {#name, text, sizeof text - 1},
    C(ascii_lowercase, LOWER)
    C(ascii_uppercase, UPPER)
    C(ascii_letters, LOWER UPPER)
    C(digits, DIGITS)
    C(hexdigits, DIGITS "abcdefABCDEF")
    C(octdigits, "01234567")
    C(punctuation, PUNCT)
    C(whitespace, WHITE)
    C(printable, DIGITS LOWER UPPER PUNCT WHITE)
#undef C
};

static RtValue *const_at(size_t i) { return rt_str_const(consts[i].text, consts[i].len); }

RtValue *rt_string_const(const char *name) {
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (strcmp(consts[i].name, name) == 0) return const_at(i);
    return NULL;
}

#define DEFINE_CONST(name) \
    RtValue *rt_string_##name(void) { return rt_string_const(#name); }
RT_STRING_CONSTS(DEFINE_CONST)
#undef DEFINE_CONST

/* capwords(s, sep=None): a Python function in string.py, so its argument
 * errors are those of a def. */
RtValue *rt_string_capwords(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"s", "sep"};
    static const RtParamSpec spec = {"capwords", names, 0, 2, 0, false, false};
    RtValue *defaults = rt_tuple_pack(1, rt_None), *a[2];
    if (!defaults) return NULL;
    int rc = rt_bind_args(&spec, args, nargs, kwnames, defaults, NULL, a, NULL, NULL);
    rt_decref(defaults);
    if (rc < 0) return NULL;
    RtValue *s = a[0], *sep = a[1];
    int t = rt_truthy(sep);
    if (t < 0) return NULL;
    RtValue *joiner = t ? sep : rt_str_const(" ", 1);
    RtValue *join = rt_getattr(joiner, "join");              /* evaluated first, as in the source */
    RtValue *parts = join ? rt_call_method(s, "split", &sep, 1, NULL) : NULL;
    RtValue *words = parts ? rt_list_new(0) : NULL;
    RtValue *it = words ? rt_iter(parts) : NULL, *w, *r = NULL;
    while (it && (w = rt_iter_next(it))) {                   /* map(str.capitalize, ...) */
        RtValue *c = rt_is_str(w) ? rt_str_m_capitalize(w, NULL, 0, NULL)
                                  : rt_raise_fmt(&rt_exc_TypeError,
                                                 "descriptor 'capitalize' for 'str' objects doesn't apply "
                                                 "to a '%T' object", w);
        rt_decref(w);
        if (!c || rt_list_append_steal(words, c) < 0) break;
    }
    if (it && !RT_ERR()) r = rt_call(join, &words, 1, NULL);
    rt_xdecref(it);
    rt_xdecref(words);
    rt_xdecref(parts);
    rt_xdecref(join);
    return r;
}

/* ==== typing ================================================================== */

RtValue *rt_typing_cast(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("cast", nargs, kwnames, 2, 2) < 0) return NULL;
    return rt_newref(args[1]);
}

RtValue *rt_typing_identity(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("decorator", nargs, kwnames, 1, 1) < 0) return NULL;
    return rt_newref(args[0]);
}

/* TypeVar(name, *constraints, bound=None, covariant=False, contravariant=False) */
RtValue *rt_typing_TypeVar(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)kwnames;
    if (nargs < 1 || !rt_is_str(args[0]))
        return rt_raise(&rt_exc_TypeError, "TypeVar() requires a name as its first argument");
    return rt_newref(args[0]);
}

RtValue *rt_typing_NewType(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("NewType", nargs, kwnames, 2, 2) < 0) return NULL;
    return rt_newref(args[1]);
}

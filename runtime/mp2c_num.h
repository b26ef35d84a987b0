/* mp2c_num.h: numbers (int, bool, float, complex) and text formatting.
 * Part of mp2c.h; include that instead.
 *
 * int is arbitrary precision: a small int lives in an int64_t, and an
 * operation that overflows continues in GMP (mpz_t); results that fit go back
 * to int64_t. Generated code that proved a variable is an int uses a plain
 * int64_t and the checked helpers at the end of this file; they raise
 * OverflowError naming the operation instead of wrapping.
 */
#ifndef MP2C_NUM_H
#define MP2C_NUM_H

/* ---- int ------------------------------------------------------------------ */
typedef struct RtInt {
    RtValue ob;
    int64_t small;     /* the value, when big == NULL */
    void   *big;       /* mpz_t (GMP) when the value does not fit int64_t; owned */
} RtInt;

/* New reference. Small values (-5..1024) are cached and immortal. */
RtValue *rt_int(int64_t v);
RtValue *rt_int_from_u64(uint64_t v);
/* A decimal literal too big for int64 ("123456789012345678901234567890"). */
RtValue *rt_int_from_digits(const char *decimal);
/* int(s, base) on UTF-8 text: CPython's rules (whitespace, underscores,
 * 0x/0o/0b prefixes with base 0) and ValueError
 * "invalid literal for int() with base 10: 'x'". */
RtValue *rt_int_from_text(const char *s, size_t n, int base);
/* Is o an int or a bool (bool is an int subclass)? */
static inline bool rt_is_int(const RtValue *o) {
    return o->type == &rt_type_int || o->type == &rt_type_bool;
}
static inline bool rt_is_float(const RtValue *o) { return o->type == &rt_type_float; }
/* Converts an int (or bool) to int64_t: 0, or -1 with OverflowError
 * ("Python int too large to convert to C long") or TypeError for non-ints
 * ("'str' object cannot be interpreted as an integer"). */
int  rt_int_as_i64(RtValue *o, int64_t *out) RT_MUST_CHECK;
/* The same, for an index (list[i], range(...)): accepts ints/bools only. */
int  rt_index_as_i64(RtValue *o, int64_t *out) RT_MUST_CHECK;
/* The same, but a value past int64 gives INT64_MAX or INT64_MIN: a range's
 * stop, which no loop counting in int64 steps can reach. */
int  rt_int_as_i64_clamped(RtValue *o, int64_t *out) RT_MUST_CHECK;
/* int(x) for a float: truncates toward zero. OverflowError "cannot convert
 * float infinity to integer", ValueError "cannot convert float NaN to
 * integer". New reference. */
RtValue *rt_int_from_double(double v);
/* repr(int) == str(int): decimal digits, with CPython 3.11's 4300-digit
 * limit (ValueError "Exceeds the limit (4300 digits) ..."). New reference. */
RtValue *rt_int_repr(RtValue *o);
/* -1, 0 or 1: the sign of an int or bool (never fails). */
int rt_int_sign(RtValue *o);
/* Methods of int (bool shares them), listed in rt_type_int.methods. */
RtValue *rt_int_m_bit_length(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_int_m_bit_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* to_bytes(length=1, byteorder='big', *, signed=False) */
RtValue *rt_int_m_to_bytes(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* int.from_bytes(bytes, byteorder='big', *, signed=False): a class method;
 * self is ignored (it may be the type int or NULL). */
RtValue *rt_int_m_from_bytes(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_int_m_conjugate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_int_m_as_integer_ratio(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);

/* ---- float ------------------------------------------------------------------ */
typedef struct RtFloat { RtValue ob; double v; } RtFloat;
RtValue *rt_float(double v);                       /* new reference */
static inline double rt_float_val(const RtValue *o) { return ((const RtFloat *)o)->v; }
/* int, bool or float to double: 0, or -1 (OverflowError "int too large to
 * convert to float", TypeError "must be real number, not str"). */
int rt_as_double(RtValue *o, double *out) RT_MUST_CHECK;
/* float(x) for str: ValueError "could not convert string to float: 'x'". */
RtValue *rt_float_from_text(const char *s, size_t n);
/* repr(float) == str(float) as a new str. */
RtValue *rt_float_repr(RtValue *o);
/* Methods of float, listed in rt_type_float.methods. */
RtValue *rt_float_m_is_integer(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_float_m_as_integer_ratio(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_float_m_hex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* float.fromhex(s): a class method; self is ignored. */
RtValue *rt_float_m_fromhex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_float_m_conjugate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);

/* ---- complex ------------------------------------------------------------------ */
typedef struct RtComplex { RtValue ob; double re, im; } RtComplex;
RtValue *rt_complex(double re, double im);
static inline bool rt_is_complex(const RtValue *o) { return o->type == &rt_type_complex; }
RtValue *rt_complex_m_conjugate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);

/* ---- text of numbers, exactly as CPython ---------------------------------------- */
/* repr(float): the shortest string that round-trips ("0.1", "1e+16", "inf",
 * "nan", "-0.0", "1.5e-07"). Writes at most n-1 bytes and a NUL; returns the
 * length. 32 bytes always suffice. */
size_t rt_f64_repr(double v, char *buf, size_t n);
/* str(int64) into buf (>= 21 bytes); returns the length. */
size_t rt_i64_repr(int64_t v, char *buf);
/* format(value, spec), the format-spec mini-language
 * ([[fill]align][sign][z][#][0][width][grouping][.precision][type]). New str. */
RtValue *rt_format_int(RtValue *v, const char *spec, size_t n);
RtValue *rt_format_float(RtValue *v, const char *spec, size_t n);
/* The same for a str (fill, align, width, .precision truncates; type s or
 * none) and a complex. New str. */
RtValue *rt_format_str(RtValue *s, const char *spec, size_t n);
RtValue *rt_format_complex(RtValue *v, const char *spec, size_t n);
/* Unboxed variants for generated code that knows the C type (f-strings). */
RtValue *rt_format_i64(int64_t v, const char *spec, size_t n);
RtValue *rt_format_f64(double v, const char *spec, size_t n);
/* str % args (printf-style formatting); args is a tuple, a dict or one value. */
RtValue *rt_str_percent(RtValue *fmt, RtValue *args);
RtValue *rt_bytes_percent(RtValue *fmt, RtValue *args);
/* str.format(*args, **kwargs) as a native method (self = the format string). */
RtValue *rt_str_m_format(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RtValue *rt_str_m_format_map(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);

/* ---- builtins on numbers (RtNativeFn; self is NULL) ---------------------------- */
RtValue *rt_bi_abs(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_round(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_divmod(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_pow(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_hex(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_oct(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_bin(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_bi_format(RtValue *, RtValue *const *, size_t, RtValue *);
/* The constructors int(x[, base]), float(x), bool(x), complex(re, im) are the
 * `construct` slots of their types: call rt_call((RtValue *)&rt_type_int, ...). */

/* ---- checked int64 arithmetic for unboxed code -------------------------------------
 * Each returns true on success. On failure it has raised: OverflowError for a
 * result that does not fit 64 bits (the translator promotes variables that may
 * grow to boxed ints, so this names a real limit), ZeroDivisionError for a zero
 * divisor, with CPython's messages. Floor division and modulo follow Python's
 * sign rules (-7 // 2 == -4, -7 % 2 == 1). */
RtValue *rt_raise_i64_overflow(const char *op);   /* always NULL */

static inline bool rt_i64_add(int64_t a, int64_t b, int64_t *r) {
    if (RT_UNLIKELY(__builtin_add_overflow(a, b, r))) { rt_raise_i64_overflow("+"); return false; }
    return true;
}
static inline bool rt_i64_sub(int64_t a, int64_t b, int64_t *r) {
    if (RT_UNLIKELY(__builtin_sub_overflow(a, b, r))) { rt_raise_i64_overflow("-"); return false; }
    return true;
}
static inline bool rt_i64_mul(int64_t a, int64_t b, int64_t *r) {
    if (RT_UNLIKELY(__builtin_mul_overflow(a, b, r))) { rt_raise_i64_overflow("*"); return false; }
    return true;
}
static inline bool rt_i64_neg(int64_t a, int64_t *r) {
    if (RT_UNLIKELY(a == INT64_MIN)) { rt_raise_i64_overflow("-"); return false; }
    *r = -a;
    return true;
}
bool rt_i64_floordiv_slow(int64_t a, int64_t b, int64_t *r);
bool rt_i64_mod_slow(int64_t a, int64_t b, int64_t *r);
static inline bool rt_i64_floordiv(int64_t a, int64_t b, int64_t *r) {
    if (RT_UNLIKELY(b == 0 || (a == INT64_MIN && b == -1))) return rt_i64_floordiv_slow(a, b, r);
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    *r = q;
    return true;
}
static inline bool rt_i64_mod(int64_t a, int64_t b, int64_t *r) {
    if (RT_UNLIKELY(b == 0 || b == -1)) return rt_i64_mod_slow(a, b, r);
    int64_t m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) m += b;
    *r = m;
    return true;
}
/* a ** b for b >= 0 (negative b gives a float in Python: the translator
 * does not use this then). */
bool rt_i64_pow(int64_t a, int64_t b, int64_t *r);
bool rt_i64_lshift(int64_t a, int64_t b, int64_t *r);  /* ValueError "negative shift count" */
bool rt_i64_rshift(int64_t a, int64_t b, int64_t *r);
/* a / b: true division, correctly rounded as CPython's int/int. */
bool rt_i64_truediv(int64_t a, int64_t b, double *r);

/* ---- float arithmetic with Python's errors --------------------------------------- */
bool rt_f64_div(double a, double b, double *r);       /* ZeroDivisionError "float division by zero" */
bool rt_f64_floordiv(double a, double b, double *r);  /* Python's floor and sign rules */
bool rt_f64_mod(double a, double b, double *r);
bool rt_f64_pow(double a, double b, double *r);       /* errors as CPython; complex results are a ValueError here */
/* Exact comparison of an int64 with a double, as Python compares int and float. */
bool rt_cmp_i64_f64(int64_t a, double b, RtCmpOp op);

/* ---- the math module ------------------------------------------------------------------
 * Functions are RtNativeFn with self NULL, as builtins; errors as CPython's
 * (ValueError "math domain error", OverflowError "math range error").
 * The constants are immortal static floats: use rt_math_pi etc. as borrowed
 * (or new: incref is a no-op) references. */
extern RtFloat rt_math_pi_obj, rt_math_e_obj, rt_math_tau_obj, rt_math_inf_obj, rt_math_nan_obj;
#define rt_math_pi  ((RtValue *)&rt_math_pi_obj)
#define rt_math_e   ((RtValue *)&rt_math_e_obj)
#define rt_math_tau ((RtValue *)&rt_math_tau_obj)
#define rt_math_inf ((RtValue *)&rt_math_inf_obj)
#define rt_math_nan ((RtValue *)&rt_math_nan_obj)
RtValue *rt_math_sqrt(RtValue *, RtValue *const *, size_t, RtValue *);      /* sqrt(x) -> float */
RtValue *rt_math_isqrt(RtValue *, RtValue *const *, size_t, RtValue *);     /* isqrt(n) -> int */
RtValue *rt_math_floor(RtValue *, RtValue *const *, size_t, RtValue *);     /* floor(x) -> int */
RtValue *rt_math_ceil(RtValue *, RtValue *const *, size_t, RtValue *);      /* ceil(x) -> int */
RtValue *rt_math_trunc(RtValue *, RtValue *const *, size_t, RtValue *);     /* trunc(x) -> int */
RtValue *rt_math_fabs(RtValue *, RtValue *const *, size_t, RtValue *);      /* fabs(x) -> float */
RtValue *rt_math_copysign(RtValue *, RtValue *const *, size_t, RtValue *);  /* copysign(x, y) */
RtValue *rt_math_isclose(RtValue *, RtValue *const *, size_t, RtValue *);   /* isclose(a, b, *, rel_tol, abs_tol) */
RtValue *rt_math_isnan(RtValue *, RtValue *const *, size_t, RtValue *);     /* isnan(x) -> bool */
RtValue *rt_math_isinf(RtValue *, RtValue *const *, size_t, RtValue *);     /* isinf(x) -> bool */
RtValue *rt_math_isfinite(RtValue *, RtValue *const *, size_t, RtValue *);  /* isfinite(x) -> bool */
RtValue *rt_math_pow(RtValue *, RtValue *const *, size_t, RtValue *);       /* pow(x, y) -> float */
RtValue *rt_math_exp(RtValue *, RtValue *const *, size_t, RtValue *);       /* exp(x) */
RtValue *rt_math_log(RtValue *, RtValue *const *, size_t, RtValue *);       /* log(x[, base]); exact for big ints */
RtValue *rt_math_log2(RtValue *, RtValue *const *, size_t, RtValue *);      /* log2(x) */
RtValue *rt_math_log10(RtValue *, RtValue *const *, size_t, RtValue *);     /* log10(x) */
RtValue *rt_math_sin(RtValue *, RtValue *const *, size_t, RtValue *);       /* sin(x) */
RtValue *rt_math_cos(RtValue *, RtValue *const *, size_t, RtValue *);       /* cos(x) */
RtValue *rt_math_tan(RtValue *, RtValue *const *, size_t, RtValue *);       /* tan(x) */
RtValue *rt_math_asin(RtValue *, RtValue *const *, size_t, RtValue *);      /* asin(x) */
RtValue *rt_math_acos(RtValue *, RtValue *const *, size_t, RtValue *);      /* acos(x) */
RtValue *rt_math_atan(RtValue *, RtValue *const *, size_t, RtValue *);      /* atan(x) */
RtValue *rt_math_atan2(RtValue *, RtValue *const *, size_t, RtValue *);     /* atan2(y, x) */
RtValue *rt_math_hypot(RtValue *, RtValue *const *, size_t, RtValue *);     /* hypot(*coordinates) */
RtValue *rt_math_degrees(RtValue *, RtValue *const *, size_t, RtValue *);   /* degrees(x) */
RtValue *rt_math_radians(RtValue *, RtValue *const *, size_t, RtValue *);   /* radians(x) */
RtValue *rt_math_gcd(RtValue *, RtValue *const *, size_t, RtValue *);       /* gcd(*integers) */
RtValue *rt_math_lcm(RtValue *, RtValue *const *, size_t, RtValue *);       /* lcm(*integers) */
RtValue *rt_math_factorial(RtValue *, RtValue *const *, size_t, RtValue *); /* factorial(n) */
RtValue *rt_math_comb(RtValue *, RtValue *const *, size_t, RtValue *);      /* comb(n, k) */
RtValue *rt_math_perm(RtValue *, RtValue *const *, size_t, RtValue *);      /* perm(n, k=None) */
RtValue *rt_math_prod(RtValue *, RtValue *const *, size_t, RtValue *);      /* prod(iterable, *, start=1) */
RtValue *rt_math_fsum(RtValue *, RtValue *const *, size_t, RtValue *);      /* fsum(iterable): exact sum, rounded once */
/* The module's functions by name, terminated by {NULL, NULL}. */
extern const RtMethodDef rt_math_methods[];

/* ---- the random module -------------------------------------------------------------------
 * xoshiro256** seeded through splitmix64: seeding makes runs reproducible, but
 * the numbers are NOT CPython's (its Mersenne Twister sequence is not
 * reproduced). As in CPython, a forked child reseeds itself from the OS. */
RtValue *rt_random_seed(RtValue *, RtValue *const *, size_t, RtValue *);      /* seed(a=None) */
RtValue *rt_random_random(RtValue *, RtValue *const *, size_t, RtValue *);    /* random() in [0, 1) */
RtValue *rt_random_randint(RtValue *, RtValue *const *, size_t, RtValue *);   /* randint(a, b), both included */
RtValue *rt_random_randrange(RtValue *, RtValue *const *, size_t, RtValue *); /* randrange(start, stop=None, step=1) */
RtValue *rt_random_uniform(RtValue *, RtValue *const *, size_t, RtValue *);   /* uniform(a, b) */
RtValue *rt_random_choice(RtValue *, RtValue *const *, size_t, RtValue *);    /* choice(seq) */
RtValue *rt_random_choices(RtValue *, RtValue *const *, size_t, RtValue *);   /* choices(population, weights=None, *, cum_weights=None, k=1) */
RtValue *rt_random_shuffle(RtValue *, RtValue *const *, size_t, RtValue *);   /* shuffle(x) in place */
RtValue *rt_random_sample(RtValue *, RtValue *const *, size_t, RtValue *);    /* sample(population, k, *, counts=None) */
RtValue *rt_random_gauss(RtValue *, RtValue *const *, size_t, RtValue *);     /* gauss(mu=0.0, sigma=1.0) */
RtValue *rt_random_getrandbits(RtValue *, RtValue *const *, size_t, RtValue *); /* getrandbits(k) */
/* The module's functions by name, terminated by {NULL, NULL}. */
extern const RtMethodDef rt_random_methods[];
/* Unboxed draws for generated code: a double in [0, 1), and an int in [lo, hi]
 * (lo <= hi). */
double  rt_random_f64(void);
int64_t rt_random_i64_between(int64_t lo, int64_t hi);

/* ---- internal: shared by int.c, float.c, format.c, mathmod.c, random.c ----------------
 * Not for generated code: define RT_NUM_INTERNAL before including mp2c.h. */
#ifdef RT_NUM_INTERNAL
#include <gmp.h>
/* Storage for viewing a small int as a read-only mpz without allocating. */
typedef struct RtMpzTmp { __mpz_struct z; mp_limb_t limb; } RtMpzTmp;
/* The value of an int or bool as an mpz (borrowed: points into o or tmp). */
mpz_srcptr rt__int_mpz(RtValue *o, RtMpzTmp *tmp);
/* The same for a C int64 (borrowed: points into tmp). */
mpz_srcptr rt__i64_mpz(int64_t v, RtMpzTmp *tmp);
/* A new int from z, which it consumes (clears) even on failure. New reference. */
RtValue *rt__int_from_mpz(mpz_ptr z);
/* z as the nearest double (ties to even); false when it overflows. */
bool rt__mpz_to_double(mpz_srcptr z, double *out);
/* The value of an int or bool when it fits int64 (true), else false. */
static inline bool rt__int_small(const RtValue *o, int64_t *v) {
    if (o->type == &rt_type_bool) { *v = (o == rt_True); return true; }
    const RtInt *i = (const RtInt *)o;
    *v = i->small;
    return i->big == NULL;
}
/* rich comparison of any two of int, bool and float (exact, as CPython). */
RtValue *rt__float_richcompare(RtValue *a, RtValue *b, RtCmpOp op);
/* Narrows [*s, *e) past leading and trailing whitespace (str.isspace);
 * returns the remaining length. */
size_t rt__trim_space(const char **s, const char **e);
/* TypeError "f() takes no arguments (1 given)" / "... no keyword arguments"
 * unless the call has no arguments. 0 or -1. */
int rt__no_args(const char *qualname, size_t nargs, RtValue *kwnames);
/* Flags of rt__f64_to_string, as CPython's Py_DTSF_*. */
#define RT_DTSF_SIGN      0x01  /* always add the sign */
#define RT_DTSF_ADD_DOT_0 0x02  /* "1.0", not "1" (repr, and format type '') */
#define RT_DTSF_ALT       0x04  /* '#': keep trailing zeros and the point */
#define RT_DTSF_NO_NEG_0  0x08  /* 'z': "-0.00" becomes "0.00" */
#define RT_DTSF_UPPER     0x10  /* 'E', 'F', 'G': "1E+10", "INF", "NAN" */
/* v as text, as CPython's PyOS_double_to_string: code 'e', 'f', 'g' (with
 * precision) or 'r' (shortest repr; precision ignored). Writes into buf when
 * cap suffices, else into an rt_malloc'd buffer the caller frees (returns
 * which; NULL with MemoryError). *len receives the length. */
char *rt__f64_to_string(double v, char code, int precision, unsigned flags,
                        char *buf, size_t cap, size_t *len);
/* The shortest round-tripping digits of a finite v > 0: digits[] (no
 * trailing zeros, NUL-terminated, >= 18 bytes) with value 0.DIGITS * 10**decpt.
 * Returns the number of digits. */
int rt__f64_shortest(double v, char *digits, int *decpt);
#endif

#endif

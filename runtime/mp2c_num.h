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

/* ---- float ------------------------------------------------------------------ */
typedef struct RtFloat { RtValue ob; double v; } RtFloat;
RtValue *rt_float(double v);                       /* new reference */
static inline double rt_float_val(const RtValue *o) { return ((const RtFloat *)o)->v; }
/* int, bool or float to double: 0, or -1 (OverflowError "int too large to
 * convert to float", TypeError "must be real number, not str"). */
int rt_as_double(RtValue *o, double *out) RT_MUST_CHECK;
/* float(x) for str: ValueError "could not convert string to float: 'x'". */
RtValue *rt_float_from_text(const char *s, size_t n);

/* ---- complex ------------------------------------------------------------------ */
typedef struct RtComplex { RtValue ob; double re, im; } RtComplex;
RtValue *rt_complex(double re, double im);

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

#endif

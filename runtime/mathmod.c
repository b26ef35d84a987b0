/* mathmod.c: the `math` module.
 *
 * Each function is an RtNativeFn, as a builtin. Real functions follow
 * CPython's math_1 pattern: call libm, then turn a NaN from a non-NaN
 * argument into ValueError "math domain error" and an infinity from a
 * finite argument into OverflowError "math range error" (or a domain error
 * for a pole, like log(0)). Integer functions (factorial, comb, perm, gcd,
 * isqrt) run in GMP, so they are exact at any size; log of an int too big
 * for a double splits it as m * 2**e first, as CPython does.
 */
#include <gmp.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>
#define RT_NUM_INTERNAL
#include "mp2c.h"

#define STATIC_FLOAT(x) { .ob = RT_STATIC_HEAD(&rt_type_float), .v = (x) }
RtFloat rt_math_pi_obj = STATIC_FLOAT(3.141592653589793);
RtFloat rt_math_e_obj = STATIC_FLOAT(2.718281828459045);
RtFloat rt_math_tau_obj = STATIC_FLOAT(6.283185307179586);
RtFloat rt_math_inf_obj = STATIC_FLOAT(INFINITY);
RtFloat rt_math_nan_obj = STATIC_FLOAT(NAN);

/* ==== argument helpers ==================================================== */

/* Exactly n positional arguments: "sqrt() takes exactly one argument (2
 * given)" / "pow expected 2 arguments, got 1", as CPython's clinic says. */
static int nargs_exact(const char *fname, size_t nargs, RtValue *kwnames, size_t n) {
    if (rt_no_kwargs(fname, kwnames) < 0) return -1;
    if (nargs == n) return 0;
    if (n == 1) rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly one argument (%zu given)", fname, nargs);
    else rt_raise_fmt(&rt_exc_TypeError, "%s expected %zu arguments, got %zu", fname, n, nargs);
    return -1;
}

static RtValue *domain_error(void) { return rt_raise(&rt_exc_ValueError, "math domain error"); }
static RtValue *range_error(void) { return rt_raise(&rt_exc_OverflowError, "math range error"); }

/* CPython's math_1: f(x) with errors derived from the result. */
static RtValue *math_1(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames,
                       double (*f)(double), bool can_overflow) {
    double x;
    if (nargs_exact(fname, nargs, kwnames, 1) < 0 || rt_as_double(args[0], &x) < 0) return NULL;
    errno = 0;
    double r = f(x);
    if (isnan(r) && !isnan(x)) return domain_error();
    if (isinf(r) && isfinite(x)) return can_overflow ? range_error() : domain_error();
    if (isfinite(r) && errno == EDOM) return domain_error();
    if (isfinite(r) && errno == ERANGE && fabs(r) >= 1.5) return range_error();
    return rt_float(r);
}

#define MATH_1(name, func, ovf)                                                          \
    RtValue *rt_math_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) { \
        (void)self;                                                                      \
        return math_1(#name, args, nargs, kw, func, ovf);                                \
    }

MATH_1(sqrt, sqrt, false)
MATH_1(exp, exp, true)
MATH_1(sin, sin, false)
MATH_1(cos, cos, false)
MATH_1(tan, tan, false)
MATH_1(asin, asin, false)
MATH_1(acos, acos, false)
MATH_1(atan, atan, false)
MATH_1(fabs, fabs, false)

/* ==== logarithms =============================================================== */

/* log with CPython's special cases (m_log): errno EDOM for x <= 0. */
static double m_log(double x) {
    if (isfinite(x)) {
        if (x > 0.0) return log(x);
        errno = EDOM;
        return x == 0.0 ? -INFINITY : NAN;
    }
    if (isnan(x) || x > 0.0) return x;
    errno = EDOM;
    return NAN;
}
/* log2 and log10 with the same errors. */
static double m_log2(double x) { return isfinite(x) && x <= 0.0 ? m_log(x) : x == -INFINITY ? m_log(x) : log2(x); }
static double m_log10(double x) { return isfinite(x) && x <= 0.0 ? m_log(x) : x == -INFINITY ? m_log(x) : log10(x); }

/* A positive big int as m * 2**e with m in [0.5, 1), m correctly rounded
 * (CPython's _PyLong_Frexp): 60 top bits with a sticky bit, rounded once by
 * the conversion to double. */
static double big_frexp(mpz_srcptr z, long *e) {
    size_t bits = mpz_sizeinbase(z, 2), shift = bits > 60 ? bits - 60 : 0;
    mpz_t q;
    mpz_init(q);
    mpz_tdiv_q_2exp(q, z, shift);
    uint64_t top = mpz_get_ui(q);
    mpz_clear(q);
    if (shift && mpz_scan1(z, 0) < shift) top |= 1;
    int k;
    double m = frexp((double)top, &k);
    *e = k + (long)shift;
    return m;
}

/* CPython's loghelper: ints are handled exactly, even beyond double range. */
static int log_of(RtValue *arg, double (*f)(double), double *out) {
    if (rt_is_int(arg)) {
        if (rt_int_sign(arg) <= 0) {
            domain_error();
            return -1;
        }
        RtMpzTmp t;
        mpz_srcptr z = rt__int_mpz(arg, &t);
        double x;
        if (rt__mpz_to_double(z, &x)) {
            *out = f(x);
        } else {
            long e;
            double m = big_frexp(z, &e);
            *out = f(m) + f(2.0) * (double)e;
        }
        return 0;
    }
    double x;
    if (rt_as_double(arg, &x) < 0) return -1;
    errno = 0;
    double r = f(x);
    if ((isnan(r) && !isnan(x)) || (isinf(r) && isfinite(x))) {
        domain_error();
        return -1;
    }
    *out = r;
    return 0;
}

RtValue *rt_math_log(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_no_kwargs("log", kwnames) < 0) return NULL;
    if (nargs < 1 || nargs > 2)
        return rt_raise_fmt(&rt_exc_TypeError, nargs ? "log expected at most 2 arguments, got %zu"
                                                     : "log expected at least 1 argument, got %zu", nargs);
    double num, den;
    if (log_of(args[0], m_log, &num) < 0) return NULL;
    if (nargs == 1) return rt_float(num);
    if (log_of(args[1], m_log, &den) < 0) return NULL;
    if (den == 0.0) return rt_raise(&rt_exc_ZeroDivisionError, "float division by zero");
    return rt_float(num / den);
}

/* log2 and log10: one argument, same int handling. */
static RtValue *log_1(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames,
                      double (*f)(double)) {
    double r;
    if (nargs_exact(fname, nargs, kwnames, 1) < 0 || log_of(args[0], f, &r) < 0) return NULL;
    return rt_float(r);
}

RtValue *rt_math_log2(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return log_1("log2", args, nargs, kwnames, m_log2);
}

RtValue *rt_math_log10(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return log_1("log10", args, nargs, kwnames, m_log10);
}

/* ==== two-argument real functions ================================================= */

/* The two arguments as doubles. */
static int two_doubles(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames,
                       double *x, double *y) {
    if (nargs_exact(fname, nargs, kwnames, 2) < 0) return -1;
    if (rt_as_double(args[0], x) < 0 || rt_as_double(args[1], y) < 0) return -1;
    return 0;
}

/* CPython's math_pow: IEEE specials handled directly, libm for the rest. */
RtValue *rt_math_pow(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    double x, y, r;
    if (two_doubles("pow", args, nargs, kwnames, &x, &y) < 0) return NULL;
    if (!isfinite(x) || !isfinite(y)) {
        if (isnan(x)) r = y == 0.0 ? 1.0 : x;
        else if (isnan(y)) r = x == 1.0 ? 1.0 : y;
        else if (isinf(x)) {
            bool odd = isfinite(y) && fmod(fabs(y), 2.0) == 1.0;
            r = y > 0.0 ? (odd ? x : fabs(x)) : y == 0.0 ? 1.0 : (odd ? copysign(0.0, x) : 0.0);
        } else {
            r = fabs(x) == 1.0 ? 1.0 : (y > 0.0 && fabs(x) > 1.0) ? y : (y < 0.0 && fabs(x) < 1.0) ? -y : 0.0;
        }
        return rt_float(r);
    }
    r = pow(x, y);
    if (isnan(r)) return domain_error();
    if (isinf(r)) return x == 0.0 ? domain_error() : range_error();
    return rt_float(r);
}

RtValue *rt_math_atan2(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    double y, x;
    if (two_doubles("atan2", args, nargs, kwnames, &y, &x) < 0) return NULL;
    return rt_float(atan2(y, x));
}

RtValue *rt_math_copysign(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    double x, y;
    if (two_doubles("copysign", args, nargs, kwnames, &x, &y) < 0) return NULL;
    return rt_float(copysign(x, y));
}

/* The Euclidean norm as CPython 3.11's vector_norm: scale by a power of two
 * near the largest coordinate, add the squares with Dekker-split products
 * and compensated sums, then correct the square root once, so that the
 * result is (almost always) correctly rounded. */
static double vector_norm(size_t n, double *vec, double max) {
    const double T27 = 134217729.0;   /* 2**27 + 1: Dekker's splitter */
    double csum = 1.0, frac1 = 0.0, frac2 = 0.0, frac3 = 0.0, x, oldcsum, hi, lo, h;
    int max_e;
    if (max == 0.0 || n <= 1) return max;
    frexp(max, &max_e);
    if (max_e < -1023) {              /* subnormals: normalise first */
        for (size_t i = 0; i < n; i++) vec[i] /= DBL_MIN;
        return DBL_MIN * vector_norm(n, vec, max / DBL_MIN);
    }
    double scale = ldexp(1.0, -max_e);
    for (size_t i = 0; i < n; i++) {
        x = vec[i] * scale;
        hi = T27 * x;
        hi = hi - (hi - x);
        lo = x - hi;
        x = hi * hi;
        oldcsum = csum;
        csum += x;
        frac1 += (oldcsum - csum) + x;
        x = 2.0 * hi * lo;
        oldcsum = csum;
        csum += x;
        frac2 += (oldcsum - csum) + x;
        frac3 += lo * lo;
    }
    h = sqrt(csum - 1.0 + (frac1 + frac2 + frac3));
    hi = T27 * h;
    hi = hi - (hi - h);
    lo = h - hi;
    x = -hi * hi;
    oldcsum = csum;
    csum += x;
    frac1 += (oldcsum - csum) + x;
    x = -2.0 * hi * lo;
    oldcsum = csum;
    csum += x;
    frac2 += (oldcsum - csum) + x;
    x = -lo * lo;
    oldcsum = csum;
    csum += x;
    frac3 += (oldcsum - csum) + x;
    x = csum - 1.0 + (frac1 + frac2 + frac3);
    return (h + x / (2.0 * h)) / scale;
}

/* hypot(*coordinates) */
RtValue *rt_math_hypot(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_no_kwargs("hypot", kwnames) < 0) return NULL;
    double small[16], *v = nargs <= 16 ? small : rt_malloc(nargs * sizeof *v), max = 0.0;
    if (!v) return NULL;
    bool nan = false;
    RtValue *r = NULL;
    for (size_t i = 0; i < nargs; i++) {
        if (rt_as_double(args[i], &v[i]) < 0) goto done;
        v[i] = fabs(v[i]);
        nan |= isnan(v[i]);
        if (v[i] > max) max = v[i];
    }
    r = rt_float(isinf(max) ? max : nan ? NAN : vector_norm(nargs, v, max));
done:
    if (v != small) rt_free(v);
    return r;
}

RtValue *rt_math_degrees(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    double x;
    if (nargs_exact("degrees", nargs, kwnames, 1) < 0 || rt_as_double(args[0], &x) < 0) return NULL;
    return rt_float(x * (180.0 / 3.141592653589793));
}

RtValue *rt_math_radians(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    double x;
    if (nargs_exact("radians", nargs, kwnames, 1) < 0 || rt_as_double(args[0], &x) < 0) return NULL;
    return rt_float(x * (3.141592653589793 / 180.0));
}

/* ==== predicates ===================================================================== */

static RtValue *predicate(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames,
                          int (*p)(double)) {
    double x;
    if (nargs_exact(fname, nargs, kwnames, 1) < 0 || rt_as_double(args[0], &x) < 0) return NULL;
    return rt_bool(p(x));
}
static int is_nan(double x) { return isnan(x); }
static int is_inf(double x) { return isinf(x); }
static int is_finite(double x) { return isfinite(x); }

RtValue *rt_math_isnan(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return predicate("isnan", args, nargs, kwnames, is_nan);
}

RtValue *rt_math_isinf(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return predicate("isinf", args, nargs, kwnames, is_inf);
}

RtValue *rt_math_isfinite(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return predicate("isfinite", args, nargs, kwnames, is_finite);
}

/* isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0) */
RtValue *rt_math_isclose(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"a", "b", "rel_tol", "abs_tol"};
    RtValue *av[4];
    if (rt_parse_args("isclose", args, nargs, kwnames, names, 4, 2, 0, 2, av) < 0) return NULL;
    double a, b, rel = 1e-09, abs_tol = 0.0;
    if (rt_as_double(av[0], &a) < 0 || rt_as_double(av[1], &b) < 0) return NULL;
    if (av[2] && rt_as_double(av[2], &rel) < 0) return NULL;
    if (av[3] && rt_as_double(av[3], &abs_tol) < 0) return NULL;
    if (rel < 0.0 || abs_tol < 0.0) return rt_raise(&rt_exc_ValueError, "tolerances must be non-negative");
    if (a == b) return rt_True;
    if (isinf(a) || isinf(b)) return rt_False;
    double diff = fabs(b - a);
    return rt_bool(diff <= fabs(rel * b) || diff <= fabs(rel * a) || diff <= abs_tol);
}

/* ==== rounding to int ====================================================================== */

/* floor/ceil/trunc: ints pass through, floats convert, other objects use
 * their dunder (script classes) or are read as floats. */
static RtValue *to_int(const char *fname, const char *dunder, RtValue *const *args, size_t nargs,
                       RtValue *kwnames, double (*f)(double), bool float_fallback) {
    if (nargs_exact(fname, nargs, kwnames, 1) < 0) return NULL;
    RtValue *x = args[0];
    if (rt_is_int(x)) return rt_unary(x, RT_POS);
    if (rt_is_float(x)) return rt_int_from_double(f(rt_float_val(x)));
    RtValue *m = rt_getattr_opt(x, dunder);
    if (m) {
        RtValue *r = rt_call(m, NULL, 0, NULL);
        rt_decref(m);
        return r;
    }
    if (RT_ERR()) return NULL;
    if (!float_fallback)
        return rt_raise_fmt(&rt_exc_TypeError, "type %s doesn't define %s method", rt_type_name(x), dunder);
    double d;
    if (rt_as_double(x, &d) < 0) return NULL;
    return rt_int_from_double(f(d));
}

RtValue *rt_math_floor(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return to_int("floor", "__floor__", args, nargs, kwnames, floor, true);
}

RtValue *rt_math_ceil(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return to_int("ceil", "__ceil__", args, nargs, kwnames, ceil, true);
}

RtValue *rt_math_trunc(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return to_int("trunc", "__trunc__", args, nargs, kwnames, trunc, false);
}

/* ==== integer functions ===================================================================== */

/* An integer argument: ints and bools, or __index__ (script classes). New
 * reference, or NULL with TypeError "'float' object cannot be interpreted
 * as an integer". */
static RtValue *int_arg(RtValue *o) {
    if (rt_is_int(o)) return rt_newref(o);
    RtValue *m = rt_getattr_opt(o, "__index__");
    if (m) {
        RtValue *r = rt_call(m, NULL, 0, NULL);
        rt_decref(m);
        return r;
    }
    if (RT_ERR()) return NULL;
    return rt_raise_fmt(&rt_exc_TypeError, "'%s' object cannot be interpreted as an integer", rt_type_name(o));
}

RtValue *rt_math_isqrt(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (nargs_exact("isqrt", nargs, kwnames, 1) < 0) return NULL;
    RtValue *n = int_arg(args[0]);
    if (!n) return NULL;
    RtValue *r;
    if (rt_int_sign(n) < 0) {
        r = rt_raise(&rt_exc_ValueError, "isqrt() argument must be nonnegative");
    } else {
        RtMpzTmp t;
        mpz_t s;
        mpz_init(s);
        mpz_sqrt(s, rt__int_mpz(n, &t));
        r = rt__int_from_mpz(s);
    }
    rt_decref(n);
    return r;
}

/* gcd and lcm over any number of ints. */
static RtValue *gcd_lcm(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames, bool lcm) {
    if (rt_no_kwargs(fname, kwnames) < 0) return NULL;
    mpz_t acc;
    mpz_init_set_ui(acc, lcm ? 1 : 0);
    for (size_t i = 0; i < nargs; i++) {
        RtValue *n = int_arg(args[i]);
        if (!n) {
            mpz_clear(acc);
            return NULL;
        }
        RtMpzTmp t;
        if (lcm) mpz_lcm(acc, acc, rt__int_mpz(n, &t));
        else mpz_gcd(acc, acc, rt__int_mpz(n, &t));
        rt_decref(n);
    }
    return rt__int_from_mpz(acc);
}

RtValue *rt_math_gcd(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return gcd_lcm("gcd", args, nargs, kwnames, false);
}

RtValue *rt_math_lcm(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return gcd_lcm("lcm", args, nargs, kwnames, true);
}

/* A non-negative int argument that fits a C long; `what` names it in the
 * errors ("n must be a non-negative integer"). -1 on error. */
static int ulong_arg(RtValue *o, const char *negative_msg, const char *too_big_fmt, unsigned long *out) {
    RtValue *n = int_arg(o);
    if (!n) return -1;
    int64_t v;
    int rc = 0;
    if (rt_int_sign(n) < 0) {
        rt_raise(&rt_exc_ValueError, negative_msg);
        rc = -1;
    } else if (!rt__int_small(n, &v)) {
        rt_raise_fmt(&rt_exc_OverflowError, too_big_fmt, (long)INT64_MAX);
        rc = -1;
    } else {
        *out = (unsigned long)v;
    }
    rt_decref(n);
    return rc;
}

RtValue *rt_math_factorial(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    unsigned long n;
    if (nargs_exact("factorial", nargs, kwnames, 1) < 0) return NULL;
    if (ulong_arg(args[0], "factorial() not defined for negative values",
                  "factorial() argument should not exceed %ld", &n) < 0)
        return NULL;
    if (n > 100000000UL) return rt_raise(&rt_exc_MemoryError, "");
    mpz_t r;
    mpz_init(r);
    mpz_fac_ui(r, n);
    return rt__int_from_mpz(r);
}

/* comb(n, k) and perm(n, k): n and k non-negative; 0 when k > n. */
static RtValue *comb_perm(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames, bool perm) {
    if (rt_no_kwargs(fname, kwnames) < 0) return NULL;
    if (nargs < (perm ? 1u : 2u) || nargs > 2)
        return rt_raise_fmt(&rt_exc_TypeError, perm ? "perm expected at most 2 arguments, got %zu"
                                                    : "comb expected 2 arguments, got %zu", nargs);
    RtValue *n = int_arg(args[0]);
    if (!n) return NULL;
    RtValue *r = NULL;
    if (rt_int_sign(n) < 0) {
        r = rt_raise(&rt_exc_ValueError, "n must be a non-negative integer");
        goto done;
    }
    RtMpzTmp t;
    mpz_srcptr nz = rt__int_mpz(n, &t);
    unsigned long k;
    if (nargs == 1 || args[1] == rt_None) {     /* perm(n) == n! */
        if (!mpz_fits_ulong_p(nz)) {
            r = rt_raise(&rt_exc_OverflowError, "n must not exceed 9223372036854775807");
            goto done;
        }
        k = mpz_get_ui(nz);
    } else if (ulong_arg(args[1], "k must be a non-negative integer", "k must not exceed %ld", &k) < 0) {
        goto done;
    }
    mpz_t z;
    mpz_init(z);
    if (mpz_cmp_ui(nz, k) < 0) {
        mpz_set_ui(z, 0);
    } else {
        mpz_bin_ui(z, nz, k);
        if (perm) {
            mpz_t f;
            mpz_init(f);
            mpz_fac_ui(f, k);
            mpz_mul(z, z, f);
            mpz_clear(f);
        }
    }
    r = rt__int_from_mpz(z);
done:
    rt_decref(n);
    return r;
}

RtValue *rt_math_comb(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return comb_perm("comb", args, nargs, kwnames, false);
}

RtValue *rt_math_perm(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return comb_perm("perm", args, nargs, kwnames, true);
}

/* ==== sums and products ========================================================================= */

/* prod(iterable, *, start=1): the generic multiplication, so it works for
 * any type that multiplies. */
RtValue *rt_math_prod(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"iterable", "start"};
    RtValue *av[2];
    if (rt_parse_args("prod", args, nargs, kwnames, names, 2, 1, 1, 1, av) < 0) return NULL;
    RtValue *it = rt_iter(av[0]);
    if (!it) return NULL;
    RtValue *acc = av[1] ? rt_newref(av[1]) : rt_int(1), *x;
    while (acc && (x = rt_iter_next(it)) != NULL) {
        RtValue *next = rt_binop(acc, x, RT_MUL);
        rt_decref(x);
        rt_decref(acc);
        acc = next;
    }
    rt_decref(it);
    if (acc && RT_ERR()) RT_CLEAR(acc);
    return acc;
}

/* Partials of an exact sum (Shewchuk): non-overlapping doubles whose exact
 * sum is the running total. */
typedef struct Partials {
    double *p, small[32];
    size_t  n, cap;
} Partials;

/* Adds x to the partials; false on allocation failure. */
static bool partials_add(Partials *ps, double x) {
    size_t i = 0;
    for (size_t j = 0; j < ps->n; j++) {
        double y = ps->p[j];
        if (fabs(x) < fabs(y)) {
            double t = x;
            x = y;
            y = t;
        }
        double hi = x + y, lo = y - (hi - x);
        if (lo != 0.0) ps->p[i++] = lo;
        x = hi;
    }
    ps->n = i;
    if (x == 0.0) return true;
    if (ps->n == ps->cap) {
        double *np = rt_malloc(2 * ps->cap * sizeof *np);
        if (!np) return false;
        memcpy(np, ps->p, ps->n * sizeof *np);
        if (ps->p != ps->small) rt_free(ps->p);
        ps->p = np;
        ps->cap *= 2;
    }
    ps->p[ps->n++] = x;
    return true;
}

/* The partials' sum rounded once, with CPython's half-even fix-up across
 * partials (so that fsum([1e-16, 1, 1e16]) rounds up). */
static double partials_round(const Partials *ps) {
    size_t n = ps->n;
    if (n == 0) return 0.0;
    double hi = ps->p[--n], lo = 0.0;
    while (n > 0) {
        double x = hi, y = ps->p[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0.0 && ps->p[n - 1] < 0.0) || (lo > 0.0 && ps->p[n - 1] > 0.0))) {
        double y = lo * 2.0, x = hi + y;
        if (y == x - hi) hi = x;
    }
    return hi;
}

RtValue *rt_math_fsum(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (nargs_exact("fsum", nargs, kwnames, 1) < 0) return NULL;
    RtValue *it = rt_iter(args[0]), *item;
    if (!it) return NULL;
    Partials ps = {.p = ps.small, .cap = 32};
    double special = 0.0, inf_sum = 0.0;
    RtValue *r = NULL;
    while ((item = rt_iter_next(it)) != NULL) {
        double x;
        int rc = rt_as_double(item, &x);
        rt_decref(item);
        if (rc < 0) goto done;
        if (!partials_add(&ps, x)) goto done;
        if (ps.n && !isfinite(ps.p[ps.n - 1])) {    /* an inf or nan, or an overflow */
            if (isfinite(x)) {
                r = rt_raise(&rt_exc_OverflowError, "intermediate overflow in fsum");
                goto done;
            }
            if (isinf(x)) inf_sum += x;
            special += x;
            ps.n = 0;
        }
    }
    if (RT_ERR()) goto done;
    if (special != 0.0) {
        r = isnan(inf_sum) ? rt_raise(&rt_exc_ValueError, "-inf + inf in fsum") : rt_float(special);
        goto done;
    }
    r = rt_float(partials_round(&ps));
done:
    if (ps.p != ps.small) rt_free(ps.p);
    rt_decref(it);
    return r;
}

/* ==== the module table ============================================================================ */

const RtMethodDef rt_math_methods[] = {
    {"sqrt", rt_math_sqrt},       {"isqrt", rt_math_isqrt},       {"floor", rt_math_floor},
    {"ceil", rt_math_ceil},       {"trunc", rt_math_trunc},       {"fabs", rt_math_fabs},
    {"copysign", rt_math_copysign}, {"isclose", rt_math_isclose}, {"isnan", rt_math_isnan},
    {"isinf", rt_math_isinf},     {"isfinite", rt_math_isfinite}, {"pow", rt_math_pow},
    {"exp", rt_math_exp},         {"log", rt_math_log},           {"log2", rt_math_log2},
    {"log10", rt_math_log10},     {"sin", rt_math_sin},           {"cos", rt_math_cos},
    {"tan", rt_math_tan},         {"asin", rt_math_asin},         {"acos", rt_math_acos},
    {"atan", rt_math_atan},       {"atan2", rt_math_atan2},       {"hypot", rt_math_hypot},
    {"degrees", rt_math_degrees}, {"radians", rt_math_radians},   {"gcd", rt_math_gcd},
    {"lcm", rt_math_lcm},         {"factorial", rt_math_factorial}, {"comb", rt_math_comb},
    {"perm", rt_math_perm},       {"prod", rt_math_prod},         {"fsum", rt_math_fsum},
    {NULL, NULL},
};

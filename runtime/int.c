/* int.c: Python's int and bool.
 *
 * An int is an RtInt holding an int64_t, or, when the value does not fit, a
 * GMP mpz stored right behind the struct in the same allocation. Every
 * result is normalised: a value that fits int64 is always small, so "big"
 * really means big and the fast paths test a single pointer. The values
 * -5..1024 are immortal cached objects, as CPython caches its small ints.
 * bool's two objects are plain headers (mp2c.h declares them as RtValue):
 * their value is their identity, which rt__int_small reads.
 *
 * Operations try int64 first with the overflow builtins and continue in GMP
 * when they overflow: an int never wraps. Also here: int(str, base) with
 * CPython's rules, the numeric hash (value mod 2**61-1), and the checked
 * int64 helpers that unboxed generated code calls on its slow paths.
 */
#include <gmp.h>
#include <float.h>
#include <math.h>
#include <string.h>
#define RT_NUM_INTERNAL
#include "mp2c.h"

_Static_assert(GMP_LIMB_BITS == 64, "mp2c expects 64-bit GMP limbs");
_Static_assert(sizeof(long) == 8, "mp2c expects an LP64 platform");

#define SMALL_MIN (-5)
#define SMALL_MAX 1024
#define HASH_BITS 61
#define HASH_MOD (((uint64_t)1 << HASH_BITS) - 1)   /* CPython's _PyHASH_MODULUS */
#define MAX_STR_DIGITS 4300                         /* sys.get_int_max_str_digits() */
#define MAX_BIG_BITS ((uint64_t)1 << 36)            /* beyond this we report MemoryError */

static RtInt small_ints[SMALL_MAX - SMALL_MIN + 1];

RtValue rt_True_obj = RT_STATIC_HEAD(&rt_type_bool);
RtValue rt_False_obj = RT_STATIC_HEAD(&rt_type_bool);

/* Runs before main, and before default-priority constructors elsewhere
 * (which might call rt_int): the cache must exist first. */
__attribute__((constructor(101))) static void small_ints_init(void) {
    for (int i = 0; i <= SMALL_MAX - SMALL_MIN; i++) {
        small_ints[i].ob = (RtValue)RT_STATIC_HEAD(&rt_type_int);
        small_ints[i].small = i + SMALL_MIN;
    }
}

/* ==== construction ========================================================= */

RtValue *rt_int(int64_t v) {
    uint64_t idx = (uint64_t)v - (uint64_t)SMALL_MIN;
    if (idx <= (uint64_t)(SMALL_MAX - SMALL_MIN)) return &small_ints[idx].ob;
    RtInt *o = (RtInt *)rt_obj_alloc(&rt_type_int, sizeof(RtInt));
    if (!o) return NULL;
    o->small = v;
    return &o->ob;
}

/* Moves z (which must not fit int64) into a new big int; consumes z. */
static RtValue *int_new_big(mpz_ptr z) {
    RtInt *o = (RtInt *)rt_obj_alloc(&rt_type_int, sizeof(RtInt) + sizeof(__mpz_struct));
    if (!o) {
        mpz_clear(z);
        return NULL;
    }
    __mpz_struct *b = (__mpz_struct *)(o + 1);
    *b = *z;                       /* the limbs now belong to the object */
    o->big = b;
    return &o->ob;
}

RtValue *rt__int_from_mpz(mpz_ptr z) {
    if (mpz_fits_slong_p(z)) {
        long v = mpz_get_si(z);
        mpz_clear(z);
        return rt_int(v);
    }
    return int_new_big(z);
}

RtValue *rt_int_from_u64(uint64_t v) {
    if (v <= INT64_MAX) return rt_int((int64_t)v);
    mpz_t z;
    mpz_init_set_ui(z, v);
    return int_new_big(z);
}

mpz_srcptr rt__i64_mpz(int64_t v, RtMpzTmp *t) {
    t->limb = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    return mpz_roinit_n(&t->z, &t->limb, v < 0 ? -1 : (v > 0));
}

mpz_srcptr rt__int_mpz(RtValue *o, RtMpzTmp *t) {
    int64_t v;
    if (!rt__int_small(o, &v)) return ((RtInt *)o)->big;
    return rt__i64_mpz(v, t);
}

int rt__no_args(const char *qualname, size_t nargs, RtValue *kwnames) {
    if (kwnames && RT_TUPLE_LEN(kwnames) > 0) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes no keyword arguments", qualname);
        return -1;
    }
    if (nargs > 0) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", qualname, nargs);
        return -1;
    }
    return 0;
}

static void int_dealloc(RtValue *self) {
    RtInt *i = (RtInt *)self;
    if (i->big) mpz_clear(i->big);
}

int rt_int_sign(RtValue *o) {
    int64_t v;
    if (rt__int_small(o, &v)) return (v > 0) - (v < 0);
    return mpz_sgn((mpz_srcptr)((RtInt *)o)->big);
}

/* 64 bits of |z| starting at bit `shift` (bits past the top read as 0). */
static uint64_t mpz_bits_at(mpz_srcptr z, size_t shift) {
    size_t li = shift / 64, off = shift % 64;
    uint64_t lo = mpz_getlimbn(z, (mp_size_t)li) >> off;
    if (off) lo |= (uint64_t)mpz_getlimbn(z, (mp_size_t)li + 1) << (64 - off);
    return lo;
}

bool rt__mpz_to_double(mpz_srcptr z, double *out) {
    size_t bits = mpz_sizeinbase(z, 2);
    if (bits <= DBL_MANT_DIG) {
        *out = mpz_get_d(z);       /* exact */
        return true;
    }
    if (bits > DBL_MAX_EXP) return false;
    /* Keep 53 bits plus a rounding bit; the rest only matters as "sticky". */
    size_t shift = bits - (DBL_MANT_DIG + 1);
    uint64_t top = mpz_bits_at(z, shift) & (((uint64_t)1 << (DBL_MANT_DIG + 1)) - 1);
    bool sticky = mpz_scan1(z, 0) < shift;
    uint64_t m = top >> 1;
    if ((top & 1) && (sticky || (m & 1))) m++;
    double d = ldexp((double)m, (int)shift + 1);
    if (isinf(d)) return false;
    *out = mpz_sgn(z) < 0 ? -d : d;
    return true;
}

RtValue *rt_int_from_double(double v) {
    if (isinf(v)) return rt_raise(&rt_exc_OverflowError, "cannot convert float infinity to integer");
    if (isnan(v)) return rt_raise(&rt_exc_ValueError, "cannot convert float NaN to integer");
    double t = trunc(v);
    if (t >= -0x1p63 && t < 0x1p63) return rt_int((int64_t)t);
    mpz_t z;
    mpz_init_set_d(z, t);          /* exact: t is integral */
    return int_new_big(z);
}

/* ==== conversion to C ====================================================== */

static RtValue *not_integer(RtValue *o) {
    return rt_raise_fmt(&rt_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                        rt_type_name(o));
}

int rt_int_as_i64(RtValue *o, int64_t *out) {
    if (!rt_is_int(o)) {
        not_integer(o);
        return -1;
    }
    if (!rt__int_small(o, out)) {
        rt_raise(&rt_exc_OverflowError, "Python int too large to convert to C long");
        return -1;
    }
    return 0;
}

int rt_index_as_i64(RtValue *o, int64_t *out) { return rt_int_as_i64(o, out); }

int rt_int_as_i64_clamped(RtValue *o, int64_t *out) {
    if (!rt_is_int(o)) {
        not_integer(o);
        return -1;
    }
    if (!rt__int_small(o, out)) *out = rt_int_sign(o) > 0 ? INT64_MAX : INT64_MIN;
    return 0;
}

/* ==== text ================================================================== */

size_t rt_i64_repr(int64_t v, char *buf) {
    char tmp[24];
    char *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

static RtValue *digit_limit_error(void) {
    return rt_raise_fmt(&rt_exc_ValueError,
                        "Exceeds the limit (%d digits) for integer string conversion; "
                        "use sys.set_int_max_str_digits() to increase the limit",
                        MAX_STR_DIGITS);
}

RtValue *rt_int_repr(RtValue *o) {
    int64_t v;
    char buf[24];
    if (rt__int_small(o, &v)) return rt_str_new(buf, rt_i64_repr(v, buf));
    mpz_srcptr z = ((RtInt *)o)->big;
    size_t cap = mpz_sizeinbase(z, 10) + 2;
    if (cap - 1 > MAX_STR_DIGITS + 1) return digit_limit_error();   /* sizeinbase may be 1 over */
    char *s = rt_malloc(cap + 1);
    if (!s) return NULL;
    mpz_get_str(s, 10, z);
    size_t n = strlen(s);
    RtValue *r = n - (s[0] == '-') > MAX_STR_DIGITS ? digit_limit_error() : rt_str_new(s, n);
    rt_free(s);
    return r;
}

static RtValue *bool_repr(RtValue *self) {
    static RtValue *names[2];      /* "False", "True": immortal, made once */
    int i = self == rt_True;
    if (!names[i]) names[i] = i ? rt_str_const("True", 4) : rt_str_const("False", 5);
    return names[i] ? rt_newref(names[i]) : NULL;
}

/* ==== hash and comparison =================================================== */

/* CPython's hash of an int: sign * (|v| mod 2**61-1), with -1 mapped to -2. */
static int64_t hash_from_mod(uint64_t m, bool neg) {
    int64_t h = neg ? -(int64_t)m : (int64_t)m;
    return h == -1 ? -2 : h;
}

static int int_hash(RtValue *self, int64_t *out) {
    int64_t v;
    if (rt__int_small(self, &v)) {
        uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        *out = hash_from_mod(u % HASH_MOD, v < 0);
        return 0;
    }
    mpz_srcptr z = ((RtInt *)self)->big;
    *out = hash_from_mod(mpz_tdiv_ui(z, HASH_MOD), mpz_sgn(z) < 0);
    return 0;
}

static RtValue *cmp_result(int c, RtCmpOp op) {
    switch (op) {
    case RT_LT: return rt_bool(c < 0);
    case RT_LE: return rt_bool(c <= 0);
    case RT_EQ: return rt_bool(c == 0);
    case RT_NE: return rt_bool(c != 0);
    case RT_GT: return rt_bool(c > 0);
    case RT_GE: return rt_bool(c >= 0);
    }
    return rt_NotImplemented;
}

/* -1, 0, 1: compares two ints or bools. */
static int int_cmp(RtValue *a, RtValue *b) {
    int64_t x, y;
    bool sa = rt__int_small(a, &x), sb = rt__int_small(b, &y);
    if (sa && sb) return (x > y) - (x < y);
    RtMpzTmp ta, tb;
    int c = mpz_cmp(rt__int_mpz(a, &ta), rt__int_mpz(b, &tb));
    return (c > 0) - (c < 0);
}

static RtValue *int_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (rt_is_int(a) && rt_is_int(b)) return cmp_result(int_cmp(a, b), op);
    if (rt_is_float(a) || rt_is_float(b)) return rt__float_richcompare(a, b, op);
    return rt_NotImplemented;
}

/* ==== arithmetic ============================================================= */

static RtValue *zero_div(const char *msg) { return rt_raise(&rt_exc_ZeroDivisionError, msg); }

/* Floor division and modulo of int64 with Python's signs; b != 0, no overflow. */
static int64_t floordiv64(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}
static int64_t mod64(int64_t a, int64_t b) {
    int64_t m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) m += b;
    return m;
}

/* a ** b for b >= 0 in int64; false on overflow. */
static bool pow64(int64_t a, int64_t b, int64_t *r) {
    int64_t acc = 1;
    while (b > 0) {
        if ((b & 1) && __builtin_mul_overflow(acc, a, &acc)) return false;
        b >>= 1;
        if (b > 0 && __builtin_mul_overflow(a, a, &a)) return false;
    }
    *r = acc;
    return true;
}

/* True division of two mpz, correctly rounded (CPython's long_true_divide):
 * scale so that the integer quotient has 55-56 bits, then round once,
 * treating a nonzero remainder as a sticky bit. Subnormals keep fewer bits. */
static bool mpz_truediv(mpz_srcptr a, mpz_srcptr b, double *out) {
    if (mpz_sgn(b) == 0) {
        zero_div("division by zero");
        return false;
    }
    bool neg = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0);
    long diff = (long)mpz_sizeinbase(a, 2) - (long)mpz_sizeinbase(b, 2);
    if (mpz_sgn(a) == 0 || diff < DBL_MIN_EXP - DBL_MANT_DIG - 1) {
        *out = neg ? -0.0 : 0.0;
        return true;
    }
    if (diff > DBL_MAX_EXP) goto overflow;
    long shift = (diff > DBL_MIN_EXP ? diff : DBL_MIN_EXP) - DBL_MANT_DIG - 2;
    mpz_t num, den, q;
    mpz_init(num);
    mpz_init(den);
    mpz_init(q);
    mpz_abs(num, a);
    mpz_abs(den, b);
    if (shift >= 0) mpz_mul_2exp(den, den, (mp_bitcnt_t)shift);
    else mpz_mul_2exp(num, num, (mp_bitcnt_t)-shift);
    mpz_tdiv_qr(q, num, num, den);
    bool inexact = mpz_sgn(num) != 0;
    long qbits = (long)mpz_sizeinbase(q, 2);
    long extra = (qbits > DBL_MIN_EXP - shift ? qbits : DBL_MIN_EXP - shift) - DBL_MANT_DIG;
    uint64_t qv = mpz_get_ui(q);   /* at most 57 bits */
    mpz_clear(num);
    mpz_clear(den);
    mpz_clear(q);
    uint64_t half = (uint64_t)1 << (extra - 1), low = qv & ((half << 1) - 1);
    qv >>= extra;
    if (low > half || (low == half && (inexact || (qv & 1)))) qv++;
    double d = ldexp((double)qv, (int)(shift + extra));
    if (isinf(d)) goto overflow;
    *out = neg ? -d : d;
    return true;
overflow:
    rt_raise(&rt_exc_OverflowError, "integer division result too large for a float");
    return false;
}

static RtValue *int_truediv(RtValue *a, RtValue *b) {
    int64_t x, y;
    double r;
    if (rt__int_small(a, &x) && rt__int_small(b, &y)) {
        if (!rt_i64_truediv(x, y, &r)) return NULL;
        return rt_float(r);
    }
    RtMpzTmp ta, tb;
    if (!mpz_truediv(rt__int_mpz(a, &ta), rt__int_mpz(b, &tb), &r)) return NULL;
    return rt_float(r);
}

/* int ** negative int is a float: CPython converts both and uses float pow. */
static RtValue *int_pow_negative(RtValue *a, RtValue *b) {
    double x, y, r;
    if (rt_as_double(a, &x) < 0 || rt_as_double(b, &y) < 0) return NULL;
    if (!rt_f64_pow(x, y, &r)) return NULL;
    return rt_float(r);
}

/* a ** e for a big or overflowing result, e >= 0. */
static RtValue *int_pow_big(mpz_srcptr x, mpz_srcptr y) {
    if (!mpz_fits_ulong_p(y) || mpz_sizeinbase(x, 2) * (double)mpz_get_ui(y) > (double)MAX_BIG_BITS) {
        if (mpz_cmpabs_ui(x, 1) <= 0) {   /* 0, 1, -1: the result is small */
            if (mpz_sgn(x) == 0) return rt_int(0);
            if (mpz_sgn(x) > 0) return rt_int(1);
            return rt_int(mpz_odd_p(y) ? -1 : 1);
        }
        return rt_raise(&rt_exc_MemoryError, "");
    }
    mpz_t r;
    mpz_init(r);
    mpz_pow_ui(r, x, mpz_get_ui(y));
    return rt__int_from_mpz(r);
}

static RtValue *shift_count_error(void) { return rt_raise(&rt_exc_ValueError, "negative shift count"); }

/* x << y for a big or overflowing result. */
static RtValue *int_lshift_big(mpz_srcptr x, mpz_srcptr y) {
    if (mpz_sgn(y) < 0) return shift_count_error();
    if (mpz_sgn(x) == 0) return rt_int(0);
    if (!mpz_fits_slong_p(y)) return rt_raise(&rt_exc_OverflowError, "too many digits in integer");
    if (mpz_get_ui(y) + mpz_sizeinbase(x, 2) > MAX_BIG_BITS) return rt_raise(&rt_exc_MemoryError, "");
    mpz_t r;
    mpz_init(r);
    mpz_mul_2exp(r, x, mpz_get_ui(y));
    return rt__int_from_mpz(r);
}

/* x >> y: floor division by 2**y, so negative values round down. */
static RtValue *int_rshift_big(mpz_srcptr x, mpz_srcptr y) {
    if (mpz_sgn(y) < 0) return shift_count_error();
    if (!mpz_fits_ulong_p(y) || mpz_get_ui(y) >= mpz_sizeinbase(x, 2))
        return rt_int(mpz_sgn(x) < 0 ? -1 : 0);
    mpz_t r;
    mpz_init(r);
    mpz_fdiv_q_2exp(r, x, mpz_get_ui(y));
    return rt__int_from_mpz(r);
}

/* Every operator on operands of which at least one is big (or on int64
 * operands whose result overflowed): GMP, then normalise. */
static RtValue *int_binop_big(RtValue *a, RtValue *b, RtBinOp op) {
    RtMpzTmp ta, tb;
    mpz_srcptr x = rt__int_mpz(a, &ta), y = rt__int_mpz(b, &tb);
    switch (op) {
    case RT_TRUEDIV: return int_truediv(a, b);
    case RT_POW: return mpz_sgn(y) < 0 ? int_pow_negative(a, b) : int_pow_big(x, y);
    case RT_LSHIFT: return int_lshift_big(x, y);
    case RT_RSHIFT: return int_rshift_big(x, y);
    case RT_FLOORDIV:
        if (mpz_sgn(y) == 0) return zero_div("integer division or modulo by zero");
        break;
    case RT_MOD:
        if (mpz_sgn(y) == 0) return zero_div("integer modulo by zero");
        break;
    case RT_MATMUL: return rt_NotImplemented;
    default: break;
    }
    mpz_t r;
    mpz_init(r);
    switch (op) {
    case RT_ADD: mpz_add(r, x, y); break;
    case RT_SUB: mpz_sub(r, x, y); break;
    case RT_MUL: mpz_mul(r, x, y); break;
    case RT_FLOORDIV: mpz_fdiv_q(r, x, y); break;
    case RT_MOD: mpz_fdiv_r(r, x, y); break;
    case RT_AND: mpz_and(r, x, y); break;   /* GMP's logic ops are two's complement */
    case RT_OR: mpz_ior(r, x, y); break;
    case RT_XOR: mpz_xor(r, x, y); break;
    default: break;
    }
    return rt__int_from_mpz(r);
}

/* The int64 fast path; NULL with no exception means "continue in GMP". */
static RtValue *int_binop_small(int64_t x, int64_t y, RtBinOp op, bool *big) {
    int64_t r;
    *big = false;
    switch (op) {
    case RT_ADD: if (!__builtin_add_overflow(x, y, &r)) return rt_int(r); break;
    case RT_SUB: if (!__builtin_sub_overflow(x, y, &r)) return rt_int(r); break;
    case RT_MUL: if (!__builtin_mul_overflow(x, y, &r)) return rt_int(r); break;
    case RT_FLOORDIV:
        if (y == 0) return zero_div("integer division or modulo by zero");
        if (x == INT64_MIN && y == -1) break;
        return rt_int(floordiv64(x, y));
    case RT_MOD:
        if (y == 0) return zero_div("integer modulo by zero");
        return rt_int(y == -1 ? 0 : mod64(x, y));
    case RT_POW:
        if (y >= 0 && pow64(x, y, &r)) return rt_int(r);
        break;
    case RT_LSHIFT:
        if (y < 0) return shift_count_error();
        if (x == 0) return rt_int(0);
        if (y < 64 && (int64_t)((uint64_t)x << y) >> y == x) return rt_int((int64_t)((uint64_t)x << y));
        break;
    case RT_RSHIFT:
        if (y < 0) return shift_count_error();
        return rt_int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y);
    case RT_AND: return rt_int(x & y);
    case RT_OR: return rt_int(x | y);
    case RT_XOR: return rt_int(x ^ y);
    case RT_TRUEDIV:
    case RT_MATMUL: break;
    }
    *big = true;
    return NULL;
}

static RtValue *int_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (!rt_is_int(a) || !rt_is_int(b)) return rt_NotImplemented;   /* float, complex: their slots */
    if (op == RT_MATMUL) return rt_NotImplemented;
    if (op == RT_TRUEDIV) return int_truediv(a, b);
    int64_t x, y;
    if (rt__int_small(a, &x) && rt__int_small(b, &y)) {
        bool big;
        RtValue *r = int_binop_small(x, y, op, &big);
        if (!big) return r;
    }
    return int_binop_big(a, b, op);
}

/* bool & bool, | and ^ stay bools; everything else is int arithmetic. */
static RtValue *bool_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (a->type == &rt_type_bool && b->type == &rt_type_bool) {
        bool x = a == rt_True, y = b == rt_True;
        if (op == RT_AND) return rt_bool(x & y);
        if (op == RT_OR) return rt_bool(x | y);
        if (op == RT_XOR) return rt_bool(x ^ y);
    }
    return int_binop(a, b, op);
}

/* int(self): a plain int with the value of an int or bool. */
static RtValue *int_exact(RtValue *o) {
    if (o->type == &rt_type_bool) return rt_int(o == rt_True);
    return rt_newref(o);
}

static RtValue *int_unary(RtValue *a, RtUnaryOp op) {
    int64_t x;
    bool small = rt__int_small(a, &x);
    if (op == RT_POS) return int_exact(a);
    if (small && op == RT_INVERT) return rt_int(~x);
    if (small && op == RT_NEG && x != INT64_MIN) return rt_int(-x);
    RtMpzTmp t;
    mpz_t r;
    mpz_init(r);
    if (op == RT_INVERT) mpz_com(r, rt__int_mpz(a, &t));
    else mpz_neg(r, rt__int_mpz(a, &t));
    return rt__int_from_mpz(r);
}

static int int_truthy(RtValue *self) {
    int64_t v;
    return !rt__int_small(self, &v) || v != 0;
}

static int bool_truthy(RtValue *self) { return self == rt_True; }

/* ==== int(text, base) ========================================================= */

/* Length of the whitespace code point at p, or 0: ASCII " \t\n\v\f\r" and the
 * non-ASCII str.isspace() code points, which is what int() and float() strip. */
static size_t space_len(const unsigned char *p, const unsigned char *end) {
    if (*p == ' ' || (*p >= '\t' && *p <= '\r')) return 1;   /* not \x1c-\x1f: CPython keeps ASCII */
    if (end - p >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0)) return 2;
    if (end - p < 3) return 0;
    uint32_t cp = ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    if ((p[0] & 0xf0) != 0xe0) return 0;
    bool sp = cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
              cp == 0x202f || cp == 0x205f || cp == 0x3000;
    return sp ? 3 : 0;
}

size_t rt__trim_space(const char **ps, const char **pe) {
    const unsigned char *p = (const unsigned char *)*ps, *e = (const unsigned char *)*pe;
    size_t k;
    while (p < e && (k = space_len(p, e)) > 0) p += k;
    while (e > p) {
        const unsigned char *q = e - 1;
        while (q > p && (*q & 0xc0) == 0x80) q--;   /* start of the last code point */
        if (space_len(q, e) != (size_t)(e - q)) break;
        e = q;
    }
    *ps = (const char *)p;
    *pe = (const char *)e;
    return (size_t)(e - p);
}

static int digit_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* Strips a 0x/0o/0b prefix that agrees with base (or picks the base when it
 * is 0). Returns true when a prefix was consumed. */
static bool take_prefix(const char **pp, const char *end, int *base) {
    const char *p = *pp;
    if (end - p < 2 || p[0] != '0') return false;
    char c = (char)(p[1] | 0x20);
    int b = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
    if (b == 0 || (*base != 0 && *base != b)) return false;
    *base = b;
    *pp = p + 2;
    return true;
}

/* Parses the digits of [p, end) in base, with single underscores between
 * digits. Writes the digits without underscores to out (when not NULL) and
 * returns their count, or -1 for a syntax error. */
static long scan_digits(const char *p, const char *end, int base, char *out) {
    long n = 0;
    bool prev_digit = false;
    for (; p < end; p++) {
        if (*p == '_') {
            if (!prev_digit) return -1;
            prev_digit = false;
            continue;
        }
        if (digit_value((unsigned char)*p) >= base) return -1;
        if (out) out[n] = *p;
        n++;
        prev_digit = true;
    }
    return prev_digit ? n : -1;
}

/* The parse itself. NULL without an exception means a syntax error. */
static RtValue *parse_int(const char *s, size_t n, int base, bool limit) {
    const char *p = s, *end = s + n;
    rt__trim_space(&p, &end);
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    int b = base;
    bool prefixed = take_prefix(&p, end, &b);
    if (b == 0) {
        b = 10;
        if (p < end && *p == '0') {   /* base 0: "0", "00", "0_0" but not "012" */
            for (const char *q = p; q < end; q++)
                if (*q != '0' && *q != '_') return NULL;
        }
    }
    if (prefixed && p < end && *p == '_') p++;
    long nd = scan_digits(p, end, b, NULL);
    if (nd < 0) return NULL;
    if (limit && (b & (b - 1)) != 0 && nd > MAX_STR_DIGITS)
        return rt_raise_fmt(&rt_exc_ValueError,
                            "Exceeds the limit (%d digits) for integer string conversion: "
                            "value has %ld digits; use sys.set_int_max_str_digits() to increase the limit",
                            MAX_STR_DIGITS, nd);
    if (b == 10 && nd <= 18) {
        int64_t v = 0;
        for (; p < end; p++)
            if (*p != '_') v = v * 10 + (*p - '0');
        return rt_int(neg ? -v : v);
    }
    char *buf = rt_malloc((size_t)nd + 2);
    if (!buf) return NULL;
    buf[0] = neg ? '-' : '+';
    scan_digits(p, end, b, buf + 1);
    buf[nd + 1] = '\0';
    mpz_t z;
    mpz_init_set_str(z, buf + (buf[0] == '+'), b);
    rt_free(buf);
    return rt__int_from_mpz(z);
}

/* "invalid literal ... : 'text'" with the repr cut to 200 code points, as
 * CPython's %.200R. `orig` is the str or bytes object being converted. */
static RtValue *invalid_literal(RtValue *orig, int base) {
    RtValue *r = rt_repr(orig);
    if (!r) return NULL;
    const char *d = rt_str_data(r);
    size_t n = rt_str_nbytes(r), i = 0, cps = 0;
    while (i < n && cps < 200) {
        i++;
        while (i < n && ((unsigned char)d[i] & 0xc0) == 0x80) i++;
        cps++;
    }
    char *cut = rt_malloc(i + 1);
    if (cut) {
        memcpy(cut, d, i);
        cut[i] = '\0';
        rt_raise_fmt(&rt_exc_ValueError, "invalid literal for int() with base %d: %U", base, cut);
        rt_free(cut);
    }
    rt_decref(r);
    return NULL;
}

static RtValue *int_from_text_obj(const char *s, size_t n, int base, RtValue *orig) {
    if (base != 0 && (base < 2 || base > 36))
        return rt_raise(&rt_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
    RtValue *r = parse_int(s, n, base, true);
    if (r || RT_ERR()) return r;
    if (orig) return invalid_literal(orig, base);
    RtValue *str = rt_str_new(s, n);
    if (!str) return NULL;
    invalid_literal(str, base);
    rt_decref(str);
    return NULL;
}

RtValue *rt_int_from_text(const char *s, size_t n, int base) {
    return int_from_text_obj(s, n, base, NULL);
}

RtValue *rt_int_from_digits(const char *decimal) {
    RtValue *r = parse_int(decimal, strlen(decimal), 10, false);
    if (!r && !RT_ERR()) rt_raise_fmt(&rt_exc_ValueError, "invalid integer literal: %U", decimal);
    return r;
}

/* ==== the constructors int() and bool() ===================================== */

/* Calls o.<name>() when o has it (script classes), checking the result is an
 * int. Returns NULL without an exception when o has no such method. */
static RtValue *call_int_dunder(RtValue *o, const char *name) {
    RtValue *m = rt_getattr_opt(o, name);
    if (!m) return NULL;
    RtValue *r = rt_call(m, NULL, 0, NULL);
    rt_decref(m);
    if (r && !rt_is_int(r)) {
        rt_raise_fmt(&rt_exc_TypeError, "%s returned non-int (type %s)", name, rt_type_name(r));
        RT_CLEAR(r);
    }
    return r;
}

/* int(x) with one argument. */
static RtValue *int_from_object(RtValue *x) {
    if (rt_is_int(x)) return int_exact(x);
    if (rt_is_float(x)) return rt_int_from_double(rt_float_val(x));
    if (rt_is_str(x)) return int_from_text_obj(rt_str_data(x), rt_str_nbytes(x), 10, x);
    if (rt_is_bytes(x))
        return int_from_text_obj((const char *)((RtBytes *)x)->data, ((RtBytes *)x)->len, 10, x);
    if (rt_is_bytearray(x))
        return int_from_text_obj((const char *)((RtByteArray *)x)->data, ((RtByteArray *)x)->len, 10, x);
    static const char *const dunders[] = {"__int__", "__index__", "__trunc__"};
    for (size_t i = 0; i < 3; i++) {
        RtValue *r = call_int_dunder(x, dunders[i]);
        if (r || RT_ERR()) return r;
    }
    return rt_raise_fmt(&rt_exc_TypeError,
                        "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                        rt_type_name(x));
}

static RtValue *int_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)type;
    static const char *const names[] = {"x", "base"};
    RtValue *av[2];
    if (rt_parse_args("int", args, nargs, kwnames, names, 2, 0, 1, 0, av) < 0) return NULL;
    if (!av[0]) {
        if (av[1]) return rt_raise(&rt_exc_TypeError, "int() missing string argument");
        return rt_int(0);
    }
    if (!av[1]) return int_from_object(av[0]);
    int64_t base;
    if (rt_int_as_i64(av[1], &base) < 0) return NULL;
    if (base != 0 && (base < 2 || base > 36))
        return rt_raise(&rt_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
    RtValue *x = av[0];
    if (rt_is_str(x)) return int_from_text_obj(rt_str_data(x), rt_str_nbytes(x), (int)base, x);
    if (rt_is_bytes(x))
        return int_from_text_obj((const char *)((RtBytes *)x)->data, ((RtBytes *)x)->len, (int)base, x);
    if (rt_is_bytearray(x))
        return int_from_text_obj((const char *)((RtByteArray *)x)->data, ((RtByteArray *)x)->len,
                                 (int)base, x);
    return rt_raise(&rt_exc_TypeError, "int() can't convert non-string with explicit base");
}

static RtValue *bool_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)type;
    static const char *const names[] = {"o"};
    RtValue *av[1];
    if (rt_parse_args("bool", args, nargs, kwnames, names, 1, 0, 1, 0, av) < 0) return NULL;
    if (!av[0]) return rt_False;
    int t = rt_truthy(av[0]);
    return t < 0 ? NULL : rt_bool(t);
}

/* ==== methods and attributes ================================================ */

RtValue *rt_int_m_bit_length(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("int.bit_length", nargs, kwnames) < 0) return NULL;
    int64_t v;
    if (!rt__int_small(self, &v)) return rt_int((int64_t)mpz_sizeinbase(((RtInt *)self)->big, 2));
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    return rt_int(u ? 64 - __builtin_clzll(u) : 0);
}

RtValue *rt_int_m_bit_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("int.bit_count", nargs, kwnames) < 0) return NULL;
    int64_t v;
    if (rt__int_small(self, &v)) {
        uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        return rt_int(__builtin_popcountll(u));
    }
    mpz_t a;
    mpz_init(a);
    mpz_abs(a, ((RtInt *)self)->big);
    int64_t c = (int64_t)mpz_popcount(a);
    mpz_clear(a);
    return rt_int(c);
}

/* 1 for 'big', 0 for 'little', -1 with ValueError otherwise. */
static int byteorder_arg(RtValue *o) {
    if (!o) return 1;
    if (!rt_is_str(o)) {
        rt_raise_fmt(&rt_exc_TypeError, "to_bytes() argument 'byteorder' must be str, not %s",
                     rt_type_name(o));
        return -1;
    }
    if (strcmp(rt_str_data(o), "big") == 0) return 1;
    if (strcmp(rt_str_data(o), "little") == 0) return 0;
    rt_raise(&rt_exc_ValueError, "byteorder must be either 'little' or 'big'");
    return -1;
}

/* Reverses n bytes in place (little-endian output). */
static void reverse_bytes(unsigned char *p, size_t n) {
    for (size_t i = 0; i < n / 2; i++) {
        unsigned char t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

RtValue *rt_int_m_to_bytes(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = {"length", "byteorder", "signed"};
    RtValue *av[3];
    if (rt_parse_args("to_bytes", args, nargs, kwnames, names, 3, 0, 0, 1, av) < 0) return NULL;
    int64_t len = 1;
    if (av[0] && rt_int_as_i64(av[0], &len) < 0) return NULL;
    if (len < 0) return rt_raise(&rt_exc_ValueError, "length argument must be non-negative");
    int big = byteorder_arg(av[1]);
    if (big < 0) return NULL;
    int is_signed = av[2] ? rt_truthy(av[2]) : 0;
    if (is_signed < 0) return NULL;
    RtMpzTmp t;
    mpz_srcptr x = rt__int_mpz(self, &t);
    if (mpz_sgn(x) < 0 && !is_signed)
        return rt_raise(&rt_exc_OverflowError, "can't convert negative int to unsigned");
    mpz_t v;
    mpz_init_set(v, x);
    if (mpz_sgn(v) < 0) {          /* two's complement: v + 2**(8*len) */
        mpz_t m;
        mpz_init(m);
        mpz_setbit(m, (mp_bitcnt_t)len * 8);
        mpz_add(v, v, m);
        mpz_clear(m);
    }
    size_t need = mpz_sgn(v) ? (mpz_sizeinbase(v, 2) + 7) / 8 : 0;
    bool fits = need <= (size_t)len;
    if (fits && is_signed && len > 0 && mpz_sgn(x) != 0)    /* the sign bit must agree */
        fits = (mpz_tstbit(v, (mp_bitcnt_t)len * 8 - 1) != 0) == (mpz_sgn(x) < 0);
    if (!fits) {
        mpz_clear(v);
        return rt_raise(&rt_exc_OverflowError, "int too big to convert");
    }
    unsigned char *buf = rt_calloc((size_t)len + 1, 1);
    if (!buf) {
        mpz_clear(v);
        return NULL;
    }
    if (need) mpz_export(buf + len - need, NULL, 1, 1, 1, 0, v);
    mpz_clear(v);
    if (!big) reverse_bytes(buf, (size_t)len);
    RtValue *r = rt_bytes_new(buf, (size_t)len);
    rt_free(buf);
    return r;
}

RtValue *rt_int_m_from_bytes(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"bytes", "byteorder", "signed"};
    RtValue *av[3];
    if (rt_parse_args("from_bytes", args, nargs, kwnames, names, 3, 1, 0, 1, av) < 0) return NULL;
    const unsigned char *p;
    size_t n;
    if (rt_is_bytes(av[0])) {
        p = ((RtBytes *)av[0])->data;
        n = ((RtBytes *)av[0])->len;
    } else if (rt_is_bytearray(av[0])) {
        p = ((RtByteArray *)av[0])->data;
        n = ((RtByteArray *)av[0])->len;
    } else {
        return rt_raise_fmt(&rt_exc_TypeError, "cannot convert '%s' object to bytes", rt_type_name(av[0]));
    }
    int big = byteorder_arg(av[1]);
    if (big < 0) return NULL;
    int is_signed = av[2] ? rt_truthy(av[2]) : 0;
    if (is_signed < 0) return NULL;
    mpz_t z;
    mpz_init(z);
    if (n) mpz_import(z, n, big ? 1 : -1, 1, 0, 0, p);
    if (is_signed && n && (p[big ? 0 : n - 1] & 0x80)) {
        mpz_t m;
        mpz_init(m);
        mpz_setbit(m, (mp_bitcnt_t)n * 8);
        mpz_sub(z, z, m);
        mpz_clear(m);
    }
    return rt__int_from_mpz(z);
}

RtValue *rt_int_m_conjugate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("int.conjugate", nargs, kwnames) < 0) return NULL;
    return int_exact(self);
}

RtValue *rt_int_m_as_integer_ratio(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("int.as_integer_ratio", nargs, kwnames) < 0) return NULL;
    RtValue *n = int_exact(self);
    if (!n) return NULL;
    RtValue *r = rt_tuple_pack(2, n, rt_int(1));
    rt_decref(n);
    return r;
}

static RtValue *int_get_self(RtValue *self) { return int_exact(self); }
static RtValue *int_get_zero(RtValue *self) { (void)self; return rt_int(0); }
static RtValue *int_get_one(RtValue *self) { (void)self; return rt_int(1); }

static const RtMethodDef int_methods[] = {
    {"bit_length", rt_int_m_bit_length},
    {"bit_count", rt_int_m_bit_count},
    {"to_bytes", rt_int_m_to_bytes},
    {"conjugate", rt_int_m_conjugate},
    {"as_integer_ratio", rt_int_m_as_integer_ratio},
    {NULL, NULL},
};

static const RtGetSetDef int_getset[] = {
    {"real", int_get_self, NULL},
    {"imag", int_get_zero, NULL},
    {"numerator", int_get_self, NULL},
    {"denominator", int_get_one, NULL},
    {NULL, NULL, NULL},
};

static const RtMethodDef int_classmethods[] = {
    {"from_bytes", rt_int_m_from_bytes},
    {NULL, NULL},
};

RtType rt_type_int = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "int",
    .tag = RT_T_INT,
    .base = &rt_type_object,
    .size = sizeof(RtInt),
    .table_index = -1,
    .dealloc = int_dealloc,
    .repr = rt_int_repr,
    .hash = int_hash,
    .richcompare = int_richcompare,
    .binop = int_binop,
    .unary = int_unary,
    .truthy = int_truthy,
    .construct = int_construct,
    .methods = int_methods,
    .getset = int_getset,
    .classmethods = int_classmethods,
};

RtType rt_type_bool = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "bool",
    .tag = RT_T_BOOL,
    .base = &rt_type_int,
    .size = sizeof(RtValue),
    .table_index = -1,
    .repr = bool_repr,
    .hash = int_hash,
    .richcompare = int_richcompare,
    .binop = bool_binop,
    .unary = int_unary,
    .truthy = bool_truthy,
    .construct = bool_construct,
    .methods = int_methods,
    .getset = int_getset,
};

/* ==== checked int64 helpers for unboxed code ================================== */

RtValue *rt_raise_i64_overflow(const char *op) {
    return rt_raise_fmt(&rt_exc_OverflowError,
                        "integer overflow: the result of '%s' does not fit in 64 bits "
                        "(mp2c compiled this int as a C int64_t)", op);
}

bool rt_i64_floordiv_slow(int64_t a, int64_t b, int64_t *r) {
    if (b == 0) {
        zero_div("integer division or modulo by zero");
        return false;
    }
    if (a == INT64_MIN && b == -1) {
        rt_raise_i64_overflow("//");
        return false;
    }
    *r = floordiv64(a, b);
    return true;
}

bool rt_i64_mod_slow(int64_t a, int64_t b, int64_t *r) {
    if (b == 0) {
        zero_div("integer modulo by zero");
        return false;
    }
    *r = b == -1 ? 0 : mod64(a, b);
    return true;
}

bool rt_i64_pow(int64_t a, int64_t b, int64_t *r) {
    if (b < 0) {
        rt_raise(&rt_exc_ValueError, "int64 power with a negative exponent (the result is a float)");
        return false;
    }
    if (!pow64(a, b, r)) {
        rt_raise_i64_overflow("**");
        return false;
    }
    return true;
}

bool rt_i64_lshift(int64_t a, int64_t b, int64_t *r) {
    if (b < 0) {
        shift_count_error();
        return false;
    }
    if (a == 0) {
        *r = 0;
        return true;
    }
    if (b >= 64 || (int64_t)((uint64_t)a << b) >> b != a) {
        rt_raise_i64_overflow("<<");
        return false;
    }
    *r = (int64_t)((uint64_t)a << b);
    return true;
}

bool rt_i64_rshift(int64_t a, int64_t b, int64_t *r) {
    if (b < 0) {
        shift_count_error();
        return false;
    }
    *r = b >= 64 ? (a < 0 ? -1 : 0) : a >> b;
    return true;
}

bool rt_i64_truediv(int64_t a, int64_t b, double *r) {
    if (b == 0) {
        zero_div("division by zero");
        return false;
    }
    const int64_t lim = (int64_t)1 << DBL_MANT_DIG;
    if (a >= -lim && a <= lim && b >= -lim && b <= lim) {
        *r = (double)a / (double)b;     /* both exact: IEEE rounds the quotient once */
        return true;
    }
    RtMpzTmp ta, tb;
    return mpz_truediv(rt__i64_mpz(a, &ta), rt__i64_mpz(b, &tb), r);
}

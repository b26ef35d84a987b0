/* float.c: Python's float and complex, and the numeric builtins abs, round,
 * divmod and pow.
 *
 * Text is the part that must match CPython byte for byte. repr(float) is the
 * shortest string that reads back to the same double, the closest one when
 * several are that short (CPython uses David Gay's dtoa mode 0). We compute
 * it with the Schubfach algorithm, in integer arithmetic, a few hundred
 * times faster than trying printf precisions with strtod (subnormals, rare,
 * still do that).
 * Every other float text (format specs, %-formatting, round) goes through
 * rt__f64_to_string, which lays digits out with the rules of CPython's
 * PyOS_double_to_string. Its digits are exact: one 128-bit integer
 * round_half_even(|v| * 10**s) in the common cases, glibc's (exact, slow)
 * printf otherwise. Parsing likewise tries Clinger's exact fast path before
 * strtod.
 *
 * Arithmetic follows CPython's float_* and complex_* functions: the same
 * special cases for signed zeros, infinities and NaNs, and the same errors.
 */
#include <gmp.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#define RT_NUM_INTERNAL
#include "mp2c.h"

#define HASH_BITS 61
#define HASH_MOD (((uint64_t)1 << HASH_BITS) - 1)
#define HASH_INF 314159
#define HASH_IMAG 1000003

RtValue *rt_float(double v) {
    RtFloat *o = (RtFloat *)rt_obj_alloc(&rt_type_float, sizeof(RtFloat));
    if (!o) return NULL;
    o->v = v;
    return &o->ob;
}

RtValue *rt_complex(double re, double im) {
    RtComplex *o = (RtComplex *)rt_obj_alloc(&rt_type_complex, sizeof(RtComplex));
    if (!o) return NULL;
    o->re = re;
    o->im = im;
    return &o->ob;
}

/* ==== shortest digits ======================================================= */

/* Writes the decimal digits of u without trailing zeros; returns the count of
 * all its digits (zeros included) in *total. */
static int u64_digits(uint64_t u, char *digits, int *total) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    *total = n;
    int skip = 0;
    while (skip < n - 1 && tmp[skip] == '0') skip++;
    int nd = 0;
    for (int i = n - 1; i >= skip; i--) digits[nd++] = tmp[i];
    digits[nd] = '\0';
    return nd;
}

/* Reads "d.ddde[+-]x" (printf %e output, no sign) into digits and exponent. */
static int parse_e(const char *s, char *digits, int *exp10) {
    int nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.') digits[nd++] = *s;
    *exp10 = atoi(s + 1);
    digits[nd] = '\0';
    return nd;
}

/* Removes trailing zeros (keeping one digit); returns the new length. */
static int strip_zeros(char *d) {
    int n = (int)strlen(d);
    while (n > 1 && d[n - 1] == '0') n--;
    d[n] = '\0';
    return n;
}

/* Schubfach (R. Giulietti, "The Schubfach way to render doubles", 2020):
 * v = c * 2**q lies in a rounding interval [cbl, cbr] (units of 2**(q-2));
 * scaling by 10**-k, with k chosen so that the interval holds at most one
 * multiple of 10**(k+1), leaves at most two candidates s and s+1 (plus the
 * shorter multiple of ten). The scaling uses a 126-bit upper approximation
 * g of 10**-k * 2**(125 - floor(-k log2 10)), computed exactly with GMP the
 * first time each k is needed, and "round to odd" products, which keep a
 * sticky bit so that the interval tests stay exact. */
#define Q_MIN (-1074)
#define C_MIN ((uint64_t)1 << 52)
#define K_MIN (-324)
#define K_MAX 292

/* floor(e * log10(2)), floor(log10(3/4 * 2**e)), floor(e * log2(10)) for the
 * exponents of doubles (fixed-point constants from the paper). */
static int flog10pow2(int e) { return (int)(((int64_t)e * 661971961083LL) >> 41); }
static int flog10_3q_pow2(int e) { return (int)(((int64_t)e * 661971961083LL - 274743187321LL) >> 41); }
static int flog2pow10(int e) { return (int)(((int64_t)e * 913124641741LL) >> 38); }

/* g split as g1 * 2**63 + g0, both below 2**63 (the paper's layout). */
typedef struct G128 { uint64_t g1, g0; } G128;
static G128 g_table[K_MAX - K_MIN + 1];
static unsigned char g_ready[K_MAX - K_MIN + 1];
#define MASK63 ((((uint64_t)1) << 63) - 1)

/* g(k) = floor(10**-k * 2**(125 - flog2pow10(-k))) + 1, in [2**125, 2**126).
 * Racing threads compute the same bits, so the publication is benign. */
static G128 g_of(int k) {
    int i = k - K_MIN;
    if (__atomic_load_n(&g_ready[i], __ATOMIC_ACQUIRE)) return g_table[i];
    int n = -k, shift = 125 - flog2pow10(n);
    mpz_t g, p;
    mpz_init(g);
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, (unsigned long)abs(n));
    if (n >= 0) {
        if (shift >= 0) mpz_mul_2exp(g, p, (mp_bitcnt_t)shift);
        else mpz_tdiv_q_2exp(g, p, (mp_bitcnt_t)-shift);
    } else {
        mpz_set_ui(g, 1);
        mpz_mul_2exp(g, g, (mp_bitcnt_t)shift);
        mpz_tdiv_q(g, g, p);
    }
    mpz_add_ui(g, g, 1);
    uint64_t hi = mpz_getlimbn(g, 1), lo = mpz_getlimbn(g, 0);
    G128 r = {(hi << 1) | (lo >> 63), lo & MASK63};
    mpz_clear(g);
    mpz_clear(p);
    __atomic_store_n(&g_table[i].g1, r.g1, __ATOMIC_RELAXED);
    __atomic_store_n(&g_table[i].g0, r.g0, __ATOMIC_RELAXED);
    __atomic_store_n(&g_ready[i], 1, __ATOMIC_RELEASE);
    return r;
}

/* Round to odd of g * cp / 2**127, as the paper defines it: the sticky bit
 * comes from the middle word only, which absorbs the +1 in g (so exact
 * ties, like 2**-25 at 17 digits, stay ties). */
static uint64_t rop(G128 g, uint64_t cp) {
    uint64_t x1 = (uint64_t)(((unsigned __int128)g.g0 * cp) >> 64);
    unsigned __int128 y = (unsigned __int128)g.g1 * cp;
    uint64_t z = ((uint64_t)y >> 1) + x1;
    uint64_t vbp = (uint64_t)(y >> 64) + (z >> 63);
    return vbp | (((z & MASK63) + MASK63) >> 63);
}

/* The shortest decimal f * 10**k in the rounding interval of c * 2**q,
 * the closest to it when several have that length (ties to even). */
static uint64_t schubfach(uint64_t c, int q, int *k_out) {
    uint64_t out = c & 1, cb = c << 2, cbr = cb + 2, cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
        cbl = cb - 2;
        k = flog10pow2(q);
    } else {                       /* a power of two: the gap below is half */
        cbl = cb - 1;
        k = flog10_3q_pow2(q);
    }
    int h = q + flog2pow10(-k) + 2;
    G128 g = g_of(k);
    uint64_t vb = rop(g, cb << h), vbl = rop(g, cbl << h), vbr = rop(g, cbr << h);
    uint64_t s = vb >> 2;
    *k_out = k;
    if (s >= 100) {
        uint64_t sp10 = s / 10 * 10, tp10 = sp10 + 10;
        bool upin = vbl + out <= sp10 << 2, wpin = (tp10 << 2) + out <= vbr;
        if (upin != wpin) return upin ? sp10 : tp10;
    }
    uint64_t t = s + 1;
    bool uin = vbl + out <= s << 2, win = (t << 2) + out <= vbr;
    if (uin != win) return uin ? s : t;
    int64_t cmp = (int64_t)(vb - ((s + t) << 1));
    return cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t;
}

/* Normal doubles: integers below 2**53 directly, the rest by Schubfach. */
static int shortest_normal(double v, char *digits, int *decpt) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int q = (int)((bits >> 52) & 0x7ff) - 1075;
    uint64_t c = C_MIN | (bits & (C_MIN - 1));
    int total, k = 0;
    uint64_t f;
    if (q < 0 && q > -53 && ((c >> -q) << -q) == c) f = c >> -q;
    else f = schubfach(c, q, &k);
    int nd = u64_digits(f, digits, &total);
    *decpt = total + k;
    return nd;
}

/* Subnormals have fewer significant bits: try 1, 2, ... digits. */
static int shortest_subnormal(double v, char *digits, int *decpt) {
    char buf[40];
    int e = 0;
    for (int p = 0; p <= 16; p++) {
        snprintf(buf, sizeof buf, "%.*e", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    parse_e(buf, digits, &e);
    *decpt = e + 1;
    return strip_zeros(digits);
}

int rt__f64_shortest(double v, char *digits, int *decpt) {
    if (v < DBL_MIN) return shortest_subnormal(v, digits, decpt);
    return shortest_normal(v, digits, decpt);
}

/* ==== laying digits out: PyOS_double_to_string =============================== */

typedef struct Digits {
    char  *d;          /* digits, no trailing zeros; "0" for zero */
    int    nd;
    int    decpt;      /* value = 0.d * 10**decpt */
    bool   neg;
} Digits;

/* Parses the output of "%.*f" into digits and decpt without a second pass. */
static void parse_fixed(char *buf, Digits *g) {
    char *p = buf, *out = buf;
    int decpt = 0;
    bool in_frac = false, seen = false;
    for (; *p; p++) {
        if (*p == '.') {
            in_frac = true;
            continue;
        }
        if (!seen && *p == '0') {
            if (in_frac) decpt--;
            continue;
        }
        seen = true;
        if (!in_frac) decpt++;
        *out++ = *p;
    }
    *out = '\0';
    g->d = buf;
    g->nd = (int)(out - buf);
    g->decpt = decpt;
    if (g->nd == 0) {
        strcpy(buf, "0");
        g->nd = 1;
        g->decpt = 1;
        return;
    }
    g->nd = strip_zeros(buf);
}

/* Appends n copies of c. */
static char *put_rep(char *p, char c, long n) {
    for (long i = 0; i < n; i++) *p++ = c;
    return p;
}

/* "e+05", "e-123": sign always, at least two digits (printf's "%+.02d"). */
static char *put_exponent(char *p, char e, long exp) {
    *p++ = e;
    *p++ = exp < 0 ? '-' : '+';
    unsigned long u = (unsigned long)labs(exp);
    if (u >= 100) *p++ = (char)('0' + u / 100);
    *p++ = (char)('0' + u / 10 % 10);
    *p++ = (char)('0' + u % 10);
    return p;
}

/* Lays out digits as CPython's format_float_short: an infinite string of
 * zeros around the digits, sliced at [vstart, vend) with the point at
 * decpt, plus an exponent when the code asks for one. */
static size_t layout(const Digits *g, char code, int prec, unsigned flags, char *out) {
    bool add_dot0 = flags & RT_DTSF_ADD_DOT_0, alt = flags & RT_DTSF_ALT;
    long decpt = g->decpt, vend = g->nd, exp = 0;
    bool use_exp = false;
    switch (code) {
    case 'e': use_exp = true; vend = prec; break;
    case 'f': vend = decpt + prec; break;
    case 'g':
        use_exp = decpt <= -4 || decpt > (add_dot0 ? prec - 1 : prec);
        if (alt) vend = prec;
        break;
    default: use_exp = decpt <= -4 || decpt > 16; break;   /* 'r' */
    }
    if (use_exp) {
        exp = decpt - 1;
        decpt = 1;
    }
    long vstart = decpt <= 0 ? decpt - 1 : 0;
    long min_end = (!use_exp && add_dot0) ? decpt + 1 : decpt;
    if (vend < min_end) vend = min_end;
    char *p = out;
    bool zero = g->nd == 1 && g->d[0] == '0';
    if (g->neg && !(zero && (flags & RT_DTSF_NO_NEG_0))) *p++ = '-';
    else if (flags & RT_DTSF_SIGN) *p++ = '+';
    if (decpt <= 0) {
        p = put_rep(p, '0', decpt - vstart);
        *p++ = '.';
        p = put_rep(p, '0', -decpt);
    } else {
        p = put_rep(p, '0', -vstart);
    }
    if (decpt > 0 && decpt <= g->nd) {
        memcpy(p, g->d, (size_t)decpt);
        p += decpt;
        *p++ = '.';
        memcpy(p, g->d + decpt, (size_t)(g->nd - decpt));
        p += g->nd - decpt;
    } else {
        memcpy(p, g->d, (size_t)g->nd);
        p += g->nd;
    }
    if (g->nd < decpt) {
        p = put_rep(p, '0', decpt - g->nd);
        *p++ = '.';
        p = put_rep(p, '0', vend - decpt);
    } else {
        p = put_rep(p, '0', vend - g->nd);
    }
    if (p[-1] == '.' && !alt) p--;
    if (use_exp) p = put_exponent(p, (flags & RT_DTSF_UPPER) ? 'E' : 'e', exp);
    *p = '\0';
    return (size_t)(p - out);
}

/* "inf", "-inf", "+nan", "NAN", ...: NaN's sign is ignored as in CPython. */
static size_t nonfinite(double v, unsigned flags, char *out) {
    char *p = out;
    bool nan = isnan(v);
    if (!nan && v < 0) *p++ = '-';
    else if (flags & RT_DTSF_SIGN) *p++ = '+';
    const char *w = nan ? ((flags & RT_DTSF_UPPER) ? "NAN" : "nan") : ((flags & RT_DTSF_UPPER) ? "INF" : "inf");
    memcpy(p, w, 4);
    return (size_t)(p - out) + 3;
}

/* ---- exact digits without printf ---------------------------------------
 * glibc's printf is exact but slow (microseconds). For the common cases the
 * digits are one integer: round_half_even(|v| * 10**s) with |s| <= 22 fits
 * 128 bits, because v = m * 2**e with m < 2**53 and 10**22 < 2**74. */
typedef unsigned __int128 u128;

static const uint64_t P10[20] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
    1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
    1000000000000000000ULL, 10000000000000000000ULL,
};

static u128 pow10_128(int k) { return k < 20 ? P10[k] : (u128)P10[k - 19] * P10[19]; }

static int bitlen128(u128 x) {
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? 128 - __builtin_clzll(hi) : (uint64_t)x ? 64 - __builtin_clzll((uint64_t)x) : 0;
}

/* n / d rounded half to even. */
static u128 div_round(u128 n, u128 d) {
    u128 q = n / d, r = n % d;
    if (r > d - r || (r == d - r && (q & 1))) q++;
    return q;
}

/* round_half_even(|v| * 10**s) into *out; false when it does not fit the
 * 128-bit scheme (the caller falls back to printf). v finite. */
static bool scaled_round(double v, int s, u128 *out) {
    if (s > 22 || s < -22) return false;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int be = (int)((bits >> 52) & 0x7ff);
    uint64_t m = bits & (C_MIN - 1);
    int e = be ? be - 1075 : -1074;
    if (be) m |= C_MIN;
    if (m == 0) {
        *out = 0;
        return true;
    }
    if (s >= 0) {
        u128 n = (u128)m * pow10_128(s);
        if (e >= 0) {
            if (bitlen128(n) + e > 127) return false;
            *out = n << e;
        } else if (-e >= 128) {
            if (-e == 128) return false;
            *out = 0;                  /* below 1/2: n < 2**128 <= 2**(-e-1) */
        } else {
            u128 half = (u128)1 << (-e - 1), r = n & ((half << 1) - 1);
            u128 q = n >> -e;
            if (r > half || (r == half && (q & 1))) q++;
            *out = q;
        }
        return true;
    }
    u128 t = pow10_128(-s);
    if (e >= 0) {
        if (53 + e > 127) return false;
        *out = div_round((u128)m << e, t);
    } else {
        if (bitlen128(t) - e > 127) return false;
        *out = div_round(m, t << -e);
    }
    return true;
}

/* Decimal digits of q (no leading zeros; "0" for 0); returns the count. */
static int u128_digits(u128 q, char *out) {
    char tmp[48];
    int n = 0;
    while (q >> 64) {              /* one 128-bit division per 19 digits */
        uint64_t lo = (uint64_t)(q % P10[19]);
        q /= P10[19];
        for (int i = 0; i < 19; i++, lo /= 10) tmp[n++] = (char)('0' + lo % 10);
    }
    uint64_t u = (uint64_t)q;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

/* Digits of |v| to `dec` decimals ('f'), exactly. false: use printf. */
static bool fast_fixed(double v, int dec, Digits *g) {
    u128 q;
    if (!scaled_round(fabs(v), dec, &q)) return false;
    if (q == 0) {
        strcpy(g->d, "0");
        g->nd = 1;
        g->decpt = 1;
        return true;
    }
    int n = u128_digits(q, g->d);
    g->decpt = n - dec;
    g->nd = strip_zeros(g->d);
    return true;
}

/* nd significant digits of |v| ('e', 'g'), exactly. false: use printf. */
static bool fast_sig(double v, int nd, Digits *g) {
    double a = fabs(v);
    if (nd > 17) return false;
    if (a == 0.0) {
        strcpy(g->d, "0");
        g->nd = 1;
        g->decpt = 1;
        return true;
    }
    int e2;
    frexp(a, &e2);
    int k = flog10pow2(e2 - 1);    /* 10**k <= a < 10**(k+2) */
    u128 q;
    for (int tries = 0; tries < 3; tries++) {
        if (!scaled_round(a, nd - 1 - k, &q)) return false;
        if (q >= pow10_128(nd)) k++;          /* too many digits: one more power of ten */
        else if (q < pow10_128(nd - 1)) k--;  /* too few (only from the estimate) */
        else break;
    }
    if (q >= pow10_128(nd) || q < pow10_128(nd - 1)) return false;
    u128_digits(q, g->d);
    g->decpt = k + 1;
    g->nd = strip_zeros(g->d);
    return true;
}

char *rt__f64_to_string(double v, char code, int prec, unsigned flags,
                        char *buf, size_t cap, size_t *len) {
    char small[48], digbuf[40];
    char *work = small, *out = buf;
    Digits g = {.d = digbuf, .neg = signbit(v) != 0};
    if (!isfinite(v)) {
        if (cap < 6 && !(out = rt_malloc(6))) return NULL;
        *len = nonfinite(v, flags, out);
        return out;
    }
    if (code == 'g' && prec == 0) prec = 1;
    if (code == 'f' && fast_fixed(v, prec, &g)) {
        /* digits in digbuf */
    } else if ((code == 'e' || code == 'g') && fast_sig(v, code == 'e' ? prec + 1 : prec, &g)) {
        if (code == 'e') prec++;   /* CPython counts digits, not decimals, here */
    } else if (code == 'f') {      /* "%.*f" can be long: 309 digits + prec */
        size_t need = (size_t)prec + 330;
        if (need > sizeof small && !(work = rt_malloc(need))) return NULL;
        snprintf(work, need, "%.*f", prec, v);
        parse_fixed(work + (work[0] == '-'), &g);
    } else if (code == 'e' || code == 'g') {
        int nd = code == 'e' ? prec + 1 : prec;
        size_t need = (size_t)nd + 16;
        if (need > sizeof small && !(work = rt_malloc(need))) return NULL;
        snprintf(work, need, "%.*e", nd - 1, fabs(v));
        int e10;
        g.d = work;
        parse_e(work, work, &e10);
        work[nd] = '\0';
        g.nd = strip_zeros(work);
        g.decpt = (g.nd == 1 && work[0] == '0') ? 1 : e10 + 1;
        if (code == 'e') prec = nd;   /* CPython counts digits, not decimals, here */
    } else if (v == 0) {
        strcpy(digbuf, "0");
        g.nd = 1;
        g.decpt = 1;
    } else {
        g.nd = rt__f64_shortest(fabs(v), digbuf, &g.decpt);
    }
    /* Upper bound: sign, digits, zeros around them (only 'f' writes up to
     * |decpt| of those; 'g' switches to an exponent first), point, exponent. */
    size_t need = (size_t)g.nd + (size_t)(prec > 0 ? prec : 0) + 32;
    if (code == 'f') need += (size_t)labs((long)g.decpt);
    if (need > cap && !(out = rt_malloc(need))) {
        if (work != small) rt_free(work);
        return NULL;
    }
    *len = layout(&g, code == 'f' || code == 'e' || code == 'g' ? code : 'r', prec, flags, out);
    if (work != small) rt_free(work);
    return out;
}

/* 'r' texts need at most 17 digits + 32 bytes of layout. */
#define REPR_CAP 64

size_t rt_f64_repr(double v, char *buf, size_t n) {
    char tmp[REPR_CAP];
    size_t len;
    rt__f64_to_string(v, 'r', 0, RT_DTSF_ADD_DOT_0, tmp, sizeof tmp, &len);
    if (len >= n) len = n ? n - 1 : 0;
    memcpy(buf, tmp, len);
    if (n) buf[len] = '\0';
    return len;
}

RtValue *rt_float_repr(RtValue *o) {
    char buf[REPR_CAP];
    size_t n = rt_f64_repr(rt_float_val(o), buf, sizeof buf);
    return rt_str_new(buf, n);
}

/* ==== hash ==================================================================== */

/* CPython's _Py_HashPointer: NaNs hash by identity since 3.10. */
static int64_t hash_pointer(const void *p) {
    uint64_t y = (uint64_t)(uintptr_t)p;
    int64_t h = (int64_t)((y >> 4) | (y << 60));
    return h == -1 ? -2 : h;
}

/* CPython's _Py_HashDouble: the value mod 2**61-1, so that a float equal to
 * an int hashes like it. Reads the mantissa 28 bits at a time. */
static int64_t hash_double(const void *obj, double v) {
    if (!isfinite(v)) return isinf(v) ? (v > 0 ? HASH_INF : -HASH_INF) : hash_pointer(obj);
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & HASH_MOD) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MOD) x -= HASH_MOD;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MOD) | x >> (HASH_BITS - e);
    x = x * (uint64_t)(int64_t)sign;
    return (int64_t)x == -1 ? -2 : (int64_t)x;
}

static int float_hash(RtValue *self, int64_t *out) {
    *out = hash_double(self, rt_float_val(self));
    return 0;
}

/* ==== comparison ================================================================ */

/* Three-way comparison of an int64 and a double: -1, 0, 1, or 2 when b is a
 * NaN (unordered). Exact: no rounding of a. */
static int cmp3_i64_f64(int64_t a, double b) {
    if (isnan(b)) return 2;
    if (a >= -((int64_t)1 << 53) && a <= ((int64_t)1 << 53)) {
        double da = (double)a;
        return (da > b) - (da < b);
    }
    if (b >= 0x1p63) return -1;
    if (b < -0x1p63) return 1;
    double t = trunc(b);
    int64_t bi = (int64_t)t;
    if (a != bi) return a < bi ? -1 : 1;
    return (t > b) - (t < b);
}

/* The same for any int (or bool) against a double. */
static int cmp3_int_f64(RtValue *a, double b) {
    int64_t v;
    if (rt__int_small(a, &v)) return cmp3_i64_f64(v, b);
    if (isnan(b)) return 2;
    mpz_srcptr z = ((RtInt *)a)->big;
    if (isinf(b)) return b > 0 ? -1 : 1;
    int c = mpz_cmp_d(z, b);   /* exact */
    return (c > 0) - (c < 0);
}

/* Applies op to a three-way result (2 = unordered: only != holds). */
static bool cmp_apply(int c, RtCmpOp op) {
    if (c == 2) return op == RT_NE;
    switch (op) {
    case RT_LT: return c < 0;
    case RT_LE: return c <= 0;
    case RT_EQ: return c == 0;
    case RT_NE: return c != 0;
    case RT_GT: return c > 0;
    case RT_GE: return c >= 0;
    }
    return false;
}

bool rt_cmp_i64_f64(int64_t a, double b, RtCmpOp op) { return cmp_apply(cmp3_i64_f64(a, b), op); }

RtValue *rt__float_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    int c;
    if (rt_is_float(a) && rt_is_float(b)) {
        double x = rt_float_val(a), y = rt_float_val(b);
        c = (isnan(x) || isnan(y)) ? 2 : (x > y) - (x < y);
    } else if (rt_is_float(a) && rt_is_int(b)) {
        c = cmp3_int_f64(b, rt_float_val(a));
        if (c != 2) c = -c;
    } else if (rt_is_int(a) && rt_is_float(b)) {
        c = cmp3_int_f64(a, rt_float_val(b));
    } else {
        return rt_NotImplemented;
    }
    return rt_bool(cmp_apply(c, op));
}

/* ==== float arithmetic ============================================================ */

int rt_as_double(RtValue *o, double *out) {
    int64_t v;
    if (rt_is_float(o)) {
        *out = rt_float_val(o);
        return 0;
    }
    if (rt_is_int(o)) {
        if (rt__int_small(o, &v)) {
            *out = (double)v;
            return 0;
        }
        if (rt__mpz_to_double(((RtInt *)o)->big, out)) return 0;
        rt_raise(&rt_exc_OverflowError, "int too large to convert to float");
        return -1;
    }
    RtValue *m = rt_getattr_opt(o, "__float__");   /* script classes */
    if (m) {
        RtValue *r = rt_call(m, NULL, 0, NULL);
        rt_decref(m);
        if (!r) return -1;
        int rc = 0;
        if (rt_is_float(r)) *out = rt_float_val(r);
        else {
            rt_raise_fmt(&rt_exc_TypeError, "%s.__float__ returned non-float (type %s)",
                         rt_type_name(o), rt_type_name(r));
            rc = -1;
        }
        rt_decref(r);
        return rc;
    }
    if (RT_ERR()) return -1;
    rt_raise_fmt(&rt_exc_TypeError, "must be real number, not %s", rt_type_name(o));
    return -1;
}

/* OverflowError(34, 'Numerical result out of range'), as PyErr_SetFromErrno. */
static void raise_erange(void) {
    RtValue *msg = rt_str_from_cstr("Numerical result out of range");
    RtValue *args = msg ? rt_tuple_pack(2, rt_int(ERANGE), msg) : NULL;
    RtValue *exc = args ? rt_exc_new(&rt_exc_OverflowError, args) : NULL;
    if (exc) rt_raise_value(exc);
    rt_xdecref(exc);
    rt_xdecref(args);
    rt_xdecref(msg);
}

bool rt_f64_div(double a, double b, double *r) {
    if (b == 0.0) {
        rt_raise(&rt_exc_ZeroDivisionError, "float division by zero");
        return false;
    }
    *r = a / b;
    return true;
}

/* CPython's float divmod: fmod, then fix the signs, then snap the quotient
 * to an integer. b != 0. */
static void f64_divmod(double vx, double wx, double *floordiv, double *mod) {
    double m = fmod(vx, wx);
    double div = (vx - m) / wx;
    if (m) {
        if ((wx < 0) != (m < 0)) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = copysign(0.0, wx);
    }
    if (div) {
        double fd = floor(div);
        if (div - fd > 0.5) fd += 1.0;
        div = fd;
    } else {
        div = copysign(0.0, vx / wx);
    }
    *floordiv = div;
    *mod = m;
}

bool rt_f64_floordiv(double a, double b, double *r) {
    if (b == 0.0) {
        rt_raise(&rt_exc_ZeroDivisionError, "float floor division by zero");
        return false;
    }
    double m;
    f64_divmod(a, b, r, &m);
    return true;
}

bool rt_f64_mod(double a, double b, double *r) {
    if (b == 0.0) {
        rt_raise(&rt_exc_ZeroDivisionError, "float modulo");
        return false;
    }
    double m = fmod(a, b);
    if (m) {
        if ((b < 0) != (m < 0)) m += b;
    } else {
        m = copysign(0.0, b);
    }
    *r = m;
    return true;
}

static bool is_odd_integer(double x) { return fmod(fabs(x), 2.0) == 1.0; }

/* float ** float for a real result. Returns 0 ok, 1 when the result is
 * complex (negative base, fractional exponent), -1 on error. */
static int f64_pow(double iv, double iw, double *r) {
    if (iw == 0) { *r = 1.0; return 0; }
    if (isnan(iv)) { *r = iv; return 0; }
    if (isnan(iw)) { *r = iv == 1.0 ? 1.0 : iw; return 0; }
    if (isinf(iw)) {
        iv = fabs(iv);
        *r = iv == 1.0 ? 1.0 : ((iw > 0.0) == (iv > 1.0)) ? fabs(iw) : 0.0;
        return 0;
    }
    if (isinf(iv)) {
        bool odd = is_odd_integer(iw);
        *r = iw > 0.0 ? (odd ? iv : fabs(iv)) : (odd ? copysign(0.0, iv) : 0.0);
        return 0;
    }
    if (iv == 0.0) {
        if (iw < 0.0) {
            rt_raise(&rt_exc_ZeroDivisionError, "0.0 cannot be raised to a negative power");
            return -1;
        }
        *r = is_odd_integer(iw) ? iv : 0.0;
        return 0;
    }
    bool negate = false;
    if (iv < 0.0) {
        if (iw != floor(iw)) return 1;
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if (iv == 1.0) { *r = negate ? -1.0 : 1.0; return 0; }
    double x = pow(iv, iw);
    if (isinf(x)) {
        raise_erange();
        return -1;
    }
    *r = negate ? -x : x;
    return 0;
}

bool rt_f64_pow(double a, double b, double *r) {
    int rc = f64_pow(a, b, r);
    if (rc == 1) rt_raise(&rt_exc_ValueError, "negative number cannot be raised to a fractional power");
    return rc == 0;
}

typedef struct { double re, im; } Cx;
static RtValue *complex_pow_values(Cx a, Cx b);

/* Both operands of a float operation as doubles: 1 ok, 0 not a float/int
 * operand (NotImplemented), -1 error. */
static int float_operands(RtValue *a, RtValue *b, double *x, double *y) {
    int64_t i;
    if (RT_LIKELY(a->type == &rt_type_float)) *x = ((RtFloat *)a)->v;
    else if (!rt_is_int(a)) return 0;
    else if (rt__int_small(a, &i)) *x = (double)i;
    else if (rt_as_double(a, x) < 0) return -1;
    if (RT_LIKELY(b->type == &rt_type_float)) *y = ((RtFloat *)b)->v;
    else if (!rt_is_int(b)) return 0;
    else if (rt__int_small(b, &i)) *y = (double)i;
    else if (rt_as_double(b, y) < 0) return -1;
    return 1;
}

static RtValue *float_binop(RtValue *a, RtValue *b, RtBinOp op) {
    double x, y, r;
    int k = float_operands(a, b, &x, &y);
    if (k <= 0) return k < 0 ? NULL : rt_NotImplemented;
    switch (op) {
    case RT_ADD: return rt_float(x + y);
    case RT_SUB: return rt_float(x - y);
    case RT_MUL: return rt_float(x * y);
    case RT_TRUEDIV: return rt_f64_div(x, y, &r) ? rt_float(r) : NULL;
    case RT_FLOORDIV: return rt_f64_floordiv(x, y, &r) ? rt_float(r) : NULL;
    case RT_MOD: return rt_f64_mod(x, y, &r) ? rt_float(r) : NULL;
    case RT_POW: {
        int rc = f64_pow(x, y, &r);
        if (rc == 1) return complex_pow_values((Cx){x, 0.0}, (Cx){y, 0.0});
        return rc == 0 ? rt_float(r) : NULL;
    }
    default: return rt_NotImplemented;
    }
}

static RtValue *float_unary(RtValue *a, RtUnaryOp op) {
    double v = rt_float_val(a);
    if (op == RT_NEG) return rt_float(-v);
    if (op == RT_POS) return rt_is_float(a) ? rt_newref(a) : rt_float(v);
    return rt_raise(&rt_exc_TypeError, "bad operand type for unary ~: 'float'");
}

static int float_truthy(RtValue *self) { return rt_float_val(self) != 0.0; }

/* ==== float(text) =============================================================== */

/* Checks the digits of a float literal with underscores only between digits;
 * copies them (without underscores) to out. Returns the chars consumed. */
static size_t scan_digit_run(const char *p, const char *end, char **out) {
    const char *s = p;
    while (p < end) {
        if (*p >= '0' && *p <= '9') *(*out)++ = *p++;
        else if (*p == '_' && p > s && p + 1 < end && p[1] >= '0' && p[1] <= '9') p++;
        else break;
    }
    return (size_t)(p - s);
}

/* Clinger's fast path for strtod: when the significant digits form an
 * integer w <= 2**53 and the decimal exponent is within [-22, 22], both w and
 * 10**|e| are exact doubles, so one IEEE multiplication or division gives
 * the correctly rounded result. s is the cleaned literal ("-12.5e3"). */
static bool fast_strtod(const char *s, double *out) {
    static const double pow10[23] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    bool neg = *s == '-';
    s += neg;
    uint64_t w = 0;
    int nd = 0, exp10 = 0;
    for (bool frac = false;; s++) {
        if (*s == '.' && !frac) {
            frac = true;
            continue;
        }
        if (*s < '0' || *s > '9') break;
        if (w || *s != '0') nd++;
        if (nd > 19) return false;
        w = w * 10 + (uint64_t)(*s - '0');
        exp10 -= frac;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        bool eneg = *s == '-';
        s += *s == '-' || *s == '+';
        int e = 0;
        for (; *s >= '0' && *s <= '9'; s++)
            if ((e = e * 10 + (*s - '0')) > 400) return false;
        exp10 += eneg ? -e : e;
    }
    if (*s || w > ((uint64_t)1 << 53)) return false;
    double v = (double)w;
    if (w != 0) {
        if (exp10 > 22 || exp10 < -22) return false;
        v = exp10 >= 0 ? v * pow10[exp10] : v / pow10[-exp10];
    }
    *out = neg ? -v : v;
    return true;
}

/* Case-insensitive match of a word at p. */
static bool match_word(const char *p, const char *end, const char *w) {
    size_t n = strlen(w);
    if ((size_t)(end - p) < n) return false;
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != w[i]) return false;
    return true;
}

/* Parses the longest float literal at [p, end): [sign] (digits [. digits] |
 * . digits) [e [sign] digits] | inf | infinity | nan. Returns the length
 * consumed (0 for none) and the value in *out. */
static size_t parse_float_prefix(const char *p, const char *end, double *out) {
    const char *s = p;
    char buf[512], *heap = NULL, *o;
    size_t n = (size_t)(end - p);
    o = n + 8 <= sizeof buf ? buf : (heap = rt_malloc(n + 8));
    if (!o) return 0;
    char *start = o;
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (match_word(p, end, "infinity") || match_word(p, end, "inf") || match_word(p, end, "nan")) {
        bool nan = (*p | 0x20) == 'n';
        p += nan ? 3 : match_word(p, end, "infinity") ? 8 : 3;
        *out = nan ? NAN : neg ? -INFINITY : INFINITY;
        rt_free(heap);
        return (size_t)(p - s);
    }
    if (neg) *o++ = '-';
    size_t ni = scan_digit_run(p, end, &o), nf = 0;
    p += ni;
    if (p < end && *p == '.') {
        *o++ = '.';
        p++;
        nf = scan_digit_run(p, end, &o);
        p += nf;
    }
    if (ni == 0 && nf == 0) {
        rt_free(heap);
        return 0;
    }
    if (p < end && (*p | 0x20) == 'e') {
        const char *q = p + 1;
        char *oe = o;
        *oe++ = 'e';
        if (q < end && (*q == '+' || *q == '-')) *oe++ = *q++;
        size_t ne = scan_digit_run(q, end, &oe);
        if (ne) {
            p = q + ne;
            o = oe;
        }
    }
    *o = '\0';
    if (!fast_strtod(start, out)) *out = strtod(start, NULL);
    rt_free(heap);
    return (size_t)(p - s);
}

/* float(text) with orig (str or bytes, may be NULL) for the message. */
static RtValue *float_from_text_obj(const char *s, size_t n, RtValue *orig) {
    const char *p = s, *end = s + n;
    rt__trim_space(&p, &end);
    double v;
    size_t k = p < end ? parse_float_prefix(p, end, &v) : 0;
    if (RT_ERR()) return NULL;
    if (k > 0 && p + k == end) return rt_float(v);
    if (orig) return rt_raise_fmt(&rt_exc_ValueError, "could not convert string to float: %R", orig);
    RtValue *str = rt_str_new(s, n);
    if (!str) return NULL;
    rt_raise_fmt(&rt_exc_ValueError, "could not convert string to float: %R", str);
    rt_decref(str);
    return NULL;
}

RtValue *rt_float_from_text(const char *s, size_t n) { return float_from_text_obj(s, n, NULL); }

static RtValue *float_from_object(RtValue *x) {
    double v;
    if (rt_is_float(x)) return rt_newref(x);
    if (rt_is_int(x)) return rt_as_double(x, &v) < 0 ? NULL : rt_float(v);
    if (rt_is_str(x)) return float_from_text_obj(rt_str_data(x), rt_str_nbytes(x), x);
    if (rt_is_bytes(x))
        return float_from_text_obj((const char *)((RtBytes *)x)->data, ((RtBytes *)x)->len, x);
    if (rt_is_bytearray(x))
        return float_from_text_obj((const char *)((RtByteArray *)x)->data, ((RtByteArray *)x)->len, x);
    RtValue *m = rt_getattr_opt(x, "__float__");
    if (m) {
        rt_decref(m);
        return rt_as_double(x, &v) < 0 ? NULL : rt_float(v);
    }
    m = rt_getattr_opt(x, "__index__");
    if (m) {
        RtValue *i = rt_call(m, NULL, 0, NULL);
        rt_decref(m);
        if (!i) return NULL;
        RtValue *r = rt_is_int(i) ? float_from_object(i)
                                  : rt_raise_fmt(&rt_exc_TypeError, "__index__ returned non-int (type %s)",
                                                 rt_type_name(i));
        rt_decref(i);
        return r;
    }
    if (RT_ERR()) return NULL;
    return rt_raise_fmt(&rt_exc_TypeError, "float() argument must be a string or a real number, not '%s'",
                        rt_type_name(x));
}

static RtValue *float_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)type;
    static const char *const names[] = {"x"};
    RtValue *av[1];
    if (rt_parse_args("float", args, nargs, kwnames, names, 1, 0, 1, 0, av) < 0) return NULL;
    return av[0] ? float_from_object(av[0]) : rt_float(0.0);
}

/* ==== float methods ================================================================ */

RtValue *rt_float_m_is_integer(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("float.is_integer", nargs, kwnames) < 0) return NULL;
    double v = rt_float_val(self);
    return rt_bool(isfinite(v) && floor(v) == v);
}

RtValue *rt_float_m_as_integer_ratio(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("float.as_integer_ratio", nargs, kwnames) < 0) return NULL;
    double v = rt_float_val(self);
    if (isinf(v)) return rt_raise(&rt_exc_OverflowError, "cannot convert Infinity to integer ratio");
    if (isnan(v)) return rt_raise(&rt_exc_ValueError, "cannot convert NaN to integer ratio");
    int e;
    double m = frexp(v, &e);
    for (int i = 0; i < 300 && m != floor(m); i++) {
        m *= 2.0;
        e--;
    }
    mpz_t num, den;
    mpz_init_set_d(num, m);
    mpz_init_set_ui(den, 1);
    if (e > 0) mpz_mul_2exp(num, num, (mp_bitcnt_t)e);
    else mpz_mul_2exp(den, den, (mp_bitcnt_t)-e);
    RtValue *n = rt__int_from_mpz(num), *d = rt__int_from_mpz(den);
    RtValue *r = n && d ? rt_tuple_pack(2, n, d) : NULL;
    rt_xdecref(n);
    rt_xdecref(d);
    return r;
}

RtValue *rt_float_m_hex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("float.hex", nargs, kwnames) < 0) return NULL;
    double x = rt_float_val(self);
    if (!isfinite(x)) return rt_float_repr(self);
    if (x == 0.0) return rt_str_from_cstr(signbit(x) ? "-0x0.0p+0" : "0x0.0p+0");
    int e;
    double m = frexp(fabs(x), &e);
    int shift = 1 - (DBL_MIN_EXP - e > 0 ? DBL_MIN_EXP - e : 0);
    m = ldexp(m, shift);
    e -= shift;
    char s[40], *p = s;
    const char *hex = "0123456789abcdef";
    *p++ = hex[(int)m];
    m -= (int)m;
    *p++ = '.';
    for (int i = 0; i < (DBL_MANT_DIG - 1) / 4; i++) {
        m *= 16.0;
        *p++ = hex[(int)m];
        m -= (int)m;
    }
    *p = '\0';
    char out[64];
    int n = snprintf(out, sizeof out, "%s0x%sp%c%d", x < 0 ? "-" : "", s, e < 0 ? '-' : '+', abs(e));
    return rt_str_new(out, (size_t)n);
}

/* Validates CPython's hex float syntax: [sign] ['0x'] hexdigits ['.' hexdigits]
 * ['p' [sign] digits]; writes a "0x..." form strtod reads. */
static bool hex_float_syntax(const char *p, const char *end, char *out) {
    char *o = out;
    if (p < end && (*p == '+' || *p == '-')) *o++ = *p++;
    if (end - p >= 2 && p[0] == '0' && (p[1] | 0x20) == 'x') p += 2;
    *o++ = '0';
    *o++ = 'x';
    size_t nd = 0;
    while (p < end && isxdigit((unsigned char)*p)) *o++ = *p++, nd++;
    if (p < end && *p == '.') {
        *o++ = *p++;
        while (p < end && isxdigit((unsigned char)*p)) *o++ = *p++, nd++;
    }
    if (nd == 0) return false;
    if (p < end && (*p | 0x20) == 'p') {
        *o++ = *p++;
        if (p < end && (*p == '+' || *p == '-')) *o++ = *p++;
        size_t ne = 0;
        while (p < end && *p >= '0' && *p <= '9') *o++ = *p++, ne++;
        if (ne == 0) return false;
    }
    *o = '\0';
    return p == end;
}

RtValue *rt_float_m_fromhex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_no_kwargs("fromhex", kwnames) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "float.fromhex() takes exactly one argument (%zu given)", nargs);
    if (!rt_is_str(args[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "fromhex() argument must be str, not %s", rt_type_name(args[0]));
    const char *p = rt_str_data(args[0]), *end = p + rt_str_nbytes(args[0]);
    rt__trim_space(&p, &end);
    double v;
    size_t k = parse_float_prefix(p, end, &v);
    if (k && p + k == end && (isinf(v) || isnan(v))) return rt_float(v);
    char *buf = rt_malloc((size_t)(end - p) + 8);
    if (!buf) return NULL;
    RtValue *r;
    if (!hex_float_syntax(p, end, buf)) {
        r = rt_raise(&rt_exc_ValueError, "invalid hexadecimal floating-point string");
    } else {
        v = strtod(buf, NULL);
        r = isinf(v) ? rt_raise(&rt_exc_OverflowError, "hexadecimal value too large to represent as a float")
                     : rt_float(v);
    }
    rt_free(buf);
    return r;
}

RtValue *rt_float_m_conjugate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("float.conjugate", nargs, kwnames) < 0) return NULL;
    return rt_newref(self);
}

static RtValue *float_get_real(RtValue *self) { return rt_newref(self); }
static RtValue *float_get_imag(RtValue *self) { (void)self; return rt_float(0.0); }

static const RtMethodDef float_methods[] = {
    {"is_integer", rt_float_m_is_integer},
    {"as_integer_ratio", rt_float_m_as_integer_ratio},
    {"hex", rt_float_m_hex},
    {"conjugate", rt_float_m_conjugate},
    {NULL, NULL},
};

static const RtGetSetDef float_getset[] = {
    {"real", float_get_real, NULL},
    {"imag", float_get_imag, NULL},
    {NULL, NULL, NULL},
};

static const RtMethodDef float_classmethods[] = {
    {"fromhex", rt_float_m_fromhex},
    {NULL, NULL},
};

RtType rt_type_float = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "float",
    .tag = RT_T_FLOAT,
    .base = &rt_type_object,
    .size = sizeof(RtFloat),
    .table_index = -1,
    .repr = rt_float_repr,
    .hash = float_hash,
    .richcompare = rt__float_richcompare,
    .binop = float_binop,
    .unary = float_unary,
    .truthy = float_truthy,
    .construct = float_construct,
    .methods = float_methods,
    .getset = float_getset,
    .classmethods = float_classmethods,
};

/* ==== complex ======================================================================= */

static Cx cx_of(RtValue *o) {
    RtComplex *c = (RtComplex *)o;
    return (Cx){c->re, c->im};
}

static RtValue *cx_new(Cx c) { return rt_complex(c.re, c.im); }

/* Smith's algorithm, as CPython's _Py_c_quot; *zero set when b == 0. */
static Cx cx_quot(Cx a, Cx b, bool *zero) {
    double abr = fabs(b.re), abi = fabs(b.im);
    *zero = false;
    if (abr >= abi) {
        if (abr == 0.0) {
            *zero = true;
            return (Cx){0.0, 0.0};
        }
        double ratio = b.im / b.re, denom = b.re + b.im * ratio;
        return (Cx){(a.re + a.im * ratio) / denom, (a.im - a.re * ratio) / denom};
    }
    if (abi >= abr) {
        double ratio = b.re / b.im, denom = b.re * ratio + b.im;
        return (Cx){(a.re * ratio + a.im) / denom, (a.im * ratio - a.re) / denom};
    }
    return (Cx){NAN, NAN};
}

static Cx cx_mul(Cx a, Cx b) { return (Cx){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }

/* x ** n for a small integral n, by repeated squaring (CPython's c_powu). */
static Cx cx_powu(Cx x, long n) {
    Cx r = {1.0, 0.0}, p = x;
    for (long mask = 1; mask > 0 && n >= mask; mask <<= 1) {
        if (n & mask) r = cx_mul(r, p);
        p = cx_mul(p, p);
    }
    return r;
}

/* CPython's _Py_c_pow in polar form; *edom for 0 ** (negative or complex). */
static Cx cx_pow(Cx a, Cx b, bool *edom) {
    *edom = false;
    if (b.re == 0.0 && b.im == 0.0) return (Cx){1.0, 0.0};
    if (a.re == 0.0 && a.im == 0.0) {
        if (b.im != 0.0 || b.re < 0.0) *edom = true;
        return (Cx){0.0, 0.0};
    }
    double vabs = hypot(a.re, a.im), len = pow(vabs, b.re), at = atan2(a.im, a.re);
    double phase = at * b.re;
    if (b.im != 0.0) {
        len /= exp(at * b.im);
        phase += b.im * log(vabs);
    }
    return (Cx){len * cos(phase), len * sin(phase)};
}

/* complex ** complex as CPython's complex_pow: small integral exponents by
 * squaring, the rest in polar form; errors come from errno as there (libm
 * sets EDOM for cos(inf), which CPython reports as a zero power error). */
static RtValue *complex_pow_values(Cx a, Cx b) {
    Cx p;
    bool edom = false;
    errno = 0;
    if (b.im == 0.0 && b.re == floor(b.re) && fabs(b.re) <= 100.0) {
        long n = (long)b.re;
        if (n >= 0) p = cx_powu(a, n);
        else p = cx_quot((Cx){1.0, 0.0}, cx_powu(a, -n), &edom);
    } else {
        p = cx_pow(a, b, &edom);
    }
    int err = edom ? EDOM : errno;
    if (isinf(p.re) || isinf(p.im)) {
        if (err == 0) err = ERANGE;
    } else if (err == ERANGE) {
        err = 0;
    }
    if (err == EDOM) return rt_raise(&rt_exc_ZeroDivisionError, "0.0 to a negative or complex power");
    if (err == ERANGE) return rt_raise(&rt_exc_OverflowError, "complex exponentiation");
    return cx_new(p);
}

/* Converts an int, float or complex operand: 1 ok, 0 other type, -1 error. */
static int cx_operand(RtValue *o, Cx *out) {
    if (rt_is_complex(o)) {
        *out = cx_of(o);
        return 1;
    }
    if (!rt_is_float(o) && !rt_is_int(o)) return 0;
    out->im = 0.0;
    return rt_as_double(o, &out->re) < 0 ? -1 : 1;
}

static RtValue *complex_binop(RtValue *a, RtValue *b, RtBinOp op) {
    Cx x, y;
    int ka = cx_operand(a, &x);
    if (ka < 0) return NULL;
    int kb = ka ? cx_operand(b, &y) : 0;
    if (kb < 0) return NULL;
    if (!ka || !kb) return rt_NotImplemented;
    bool zero;
    switch (op) {
    case RT_ADD: return rt_complex(x.re + y.re, x.im + y.im);
    case RT_SUB: return rt_complex(x.re - y.re, x.im - y.im);
    case RT_MUL: return cx_new(cx_mul(x, y));
    case RT_TRUEDIV: {
        Cx q = cx_quot(x, y, &zero);
        return zero ? rt_raise(&rt_exc_ZeroDivisionError, "complex division by zero") : cx_new(q);
    }
    case RT_POW: return complex_pow_values(x, y);
    default: return rt_NotImplemented;
    }
}

static RtValue *complex_unary(RtValue *a, RtUnaryOp op) {
    Cx c = cx_of(a);
    if (op == RT_NEG) return rt_complex(-c.re, -c.im);
    if (op == RT_POS) return rt_newref(a);
    return rt_raise(&rt_exc_TypeError, "bad operand type for unary ~: 'complex'");
}

static int complex_truthy(RtValue *self) {
    Cx c = cx_of(self);
    return c.re != 0.0 || c.im != 0.0;
}

static RtValue *complex_repr(RtValue *self) {
    Cx c = cx_of(self);
    char re[REPR_CAP], im[REPR_CAP], out[2 * REPR_CAP];
    size_t n;
    if (c.re == 0.0 && !signbit(c.re)) {
        rt__f64_to_string(c.im, 'r', 0, 0, im, sizeof im, &n);
        int k = snprintf(out, sizeof out, "%sj", im);
        return rt_str_new(out, (size_t)k);
    }
    rt__f64_to_string(c.re, 'r', 0, 0, re, sizeof re, &n);
    rt__f64_to_string(c.im, 'r', 0, RT_DTSF_SIGN, im, sizeof im, &n);
    int k = snprintf(out, sizeof out, "(%s%sj)", re, im);
    return rt_str_new(out, (size_t)k);
}

static int complex_hash(RtValue *self, int64_t *out) {
    Cx c = cx_of(self);
    uint64_t hr = (uint64_t)hash_double(self, c.re), hi = (uint64_t)hash_double(self, c.im);
    int64_t h = (int64_t)(hr + HASH_IMAG * hi);
    *out = h == -1 ? -2 : h;
    return 0;
}

/* complex == number: only equality is defined. */
static RtValue *complex_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (op != RT_EQ && op != RT_NE) return rt_NotImplemented;
    RtValue *c = rt_is_complex(a) ? a : b, *other = c == a ? b : a;
    Cx x = cx_of(c);
    bool eq;
    if (rt_is_complex(other)) {
        Cx y = cx_of(other);
        eq = x.re == y.re && x.im == y.im;
    } else if (rt_is_float(other) || rt_is_int(other)) {
        eq = x.im == 0.0;
        if (eq) {
            RtValue *re = rt_float(x.re);
            if (!re) return NULL;
            RtValue *r = rt__float_richcompare(re, other, RT_EQ);
            rt_decref(re);
            eq = r == rt_True;
        }
    } else {
        return rt_NotImplemented;
    }
    return rt_bool(op == RT_EQ ? eq : !eq);
}

/* Parses complex('...'): [ws] ['('] [ws] real [(+|-) imag j] | imag j [ws] [')'] [ws]. */
static RtValue *complex_from_text(const char *s, size_t n) {
    const char *p = s, *end = s + n;
    rt__trim_space(&p, &end);
    if (p < end && *p == '(') {
        if (end[-1] != ')') goto bad;
        p++;
        end--;
        rt__trim_space(&p, &end);
    }
    double x = 0.0, y = 0.0, re = 0.0, im = 0.0;
    size_t k = parse_float_prefix(p, end, &x);
    if (k) {
        p += k;
        if (p < end && (*p | 0x20) == 'j') {         /* "2j" */
            im = x;
            p++;
        } else if (p < end && (*p == '+' || *p == '-')) {   /* "1+2j", "1-j" */
            re = x;
            size_t k2 = parse_float_prefix(p, end, &y);
            if (k2) p += k2;
            else y = *p++ == '-' ? -1.0 : 1.0;
            if (p >= end || (*p | 0x20) != 'j') goto bad;
            im = y;
            p++;
        } else {
            re = x;
        }
    } else if (p < end && (*p == '+' || *p == '-' || (*p | 0x20) == 'j')) {   /* "j", "-j" */
        im = *p == '-' ? -1.0 : 1.0;
        if (*p != 'j' && *p != 'J') p++;
        if (p >= end || (*p | 0x20) != 'j') goto bad;
        p++;
    } else {
        goto bad;
    }
    if (p != end) goto bad;
    return rt_complex(re, im);
bad:
    if (RT_ERR()) return NULL;
    return rt_raise(&rt_exc_ValueError, "complex() arg is a malformed string");
}

static RtValue *complex_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)type;
    static const char *const names[] = {"real", "imag"};
    RtValue *av[2];
    if (rt_parse_args("complex", args, nargs, kwnames, names, 2, 0, 0, 0, av) < 0) return NULL;
    if (av[0] && rt_is_str(av[0])) {
        if (av[1]) return rt_raise(&rt_exc_TypeError, "complex() can't take second arg if first is a string");
        return complex_from_text(rt_str_data(av[0]), rt_str_nbytes(av[0]));
    }
    if (av[1] && rt_is_str(av[1])) return rt_raise(&rt_exc_TypeError, "complex() second arg can't be a string");
    Cx r = {0.0, 0.0}, i = {0.0, 0.0};
    for (int k = 0; k < 2; k++) {
        if (!av[k]) continue;
        int ok = cx_operand(av[k], k ? &i : &r);
        if (ok < 0) return NULL;
        if (!ok)
            return rt_raise_fmt(&rt_exc_TypeError,
                                k ? "complex() second argument must be a number, not '%s'"
                                  : "complex() first argument must be a string or a number, not '%s'",
                                rt_type_name(av[k]));
    }
    if (!av[0] && !av[1]) return rt_complex(0.0, 0.0);
    if (av[0] && !av[1] && rt_is_complex(av[0])) return rt_newref(av[0]);
    return rt_complex(r.re - i.im, r.im + i.re);   /* real + imag * 1j */
}

RtValue *rt_complex_m_conjugate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (rt__no_args("complex.conjugate", nargs, kwnames) < 0) return NULL;
    Cx c = cx_of(self);
    return rt_complex(c.re, -c.im);
}

static RtValue *complex_get_real(RtValue *self) { return rt_float(cx_of(self).re); }
static RtValue *complex_get_imag(RtValue *self) { return rt_float(cx_of(self).im); }

static const RtMethodDef complex_methods[] = {
    {"conjugate", rt_complex_m_conjugate},
    {NULL, NULL},
};

static const RtGetSetDef complex_getset[] = {
    {"real", complex_get_real, NULL},
    {"imag", complex_get_imag, NULL},
    {NULL, NULL, NULL},
};

RtType rt_type_complex = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "complex",
    .tag = RT_T_COMPLEX,
    .base = &rt_type_object,
    .size = sizeof(RtComplex),
    .table_index = -1,
    .repr = complex_repr,
    .hash = complex_hash,
    .richcompare = complex_richcompare,
    .binop = complex_binop,
    .unary = complex_unary,
    .truthy = complex_truthy,
    .construct = complex_construct,
    .methods = complex_methods,
    .getset = complex_getset,
};

/* ==== builtins: abs, round, divmod, pow ============================================ */

/* Calls o.name(*args) when o's class defines it; NULL without an exception
 * when it does not. */
static RtValue *call_dunder(RtValue *o, const char *name, RtValue *const *args, size_t n) {
    RtValue *m = rt_getattr_opt(o, name);
    if (!m) return NULL;
    RtValue *r = rt_call(m, args, n, NULL);
    rt_decref(m);
    return r;
}

/* Exactly n positional arguments, no keywords. */
static int exact_args(const char *fname, size_t nargs, RtValue *kwnames, size_t n) {
    if (rt_no_kwargs(fname, kwnames) < 0) return -1;
    if (nargs == n) return 0;
    if (n == 1) rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly one argument (%zu given)", fname, nargs);
    else rt_raise_fmt(&rt_exc_TypeError, "%s expected %zu arguments, got %zu", fname, n, nargs);
    return -1;
}

RtValue *rt_bi_abs(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (exact_args("abs", nargs, kwnames, 1) < 0) return NULL;
    RtValue *x = args[0];
    if (rt_is_int(x)) return rt_int_sign(x) < 0 ? rt_unary(x, RT_NEG) : rt_unary(x, RT_POS);
    if (rt_is_float(x)) return rt_float(fabs(rt_float_val(x)));
    if (rt_is_complex(x)) {
        Cx c = cx_of(x);
        double h = hypot(c.re, c.im);
        if (isinf(h) && isfinite(c.re) && isfinite(c.im))
            return rt_raise(&rt_exc_OverflowError, "absolute value too large");
        return rt_float(h);
    }
    RtValue *r = call_dunder(x, "__abs__", NULL, 0);
    if (r || RT_ERR()) return r;
    return rt_raise_fmt(&rt_exc_TypeError, "bad operand type for abs(): '%s'", rt_type_name(x));
}

/* round(x) for a float: half to even, as an int. */
static RtValue *round_float_to_int(double x) {
    double r = round(x);
    if (fabs(x - r) == 0.5) r = 2.0 * round(x / 2.0);
    return rt_int_from_double(r);
}

/* Rounds the decimal string d (digits only, integer part) at `drop` digits
 * from the right, half to even with `sticky` for nonzero digits beyond d.
 * Writes the kept digits (possibly "0") to out. */
static void round_decimal(const char *d, size_t len, size_t drop, bool sticky, char *out) {
    size_t keep = len > drop ? len - drop : 0;
    char first = len >= drop ? (drop ? d[keep] : '0') : '0';
    bool rest = sticky;
    for (size_t i = keep + 1; i < len; i++) rest |= d[i] != '0';
    if (len < drop) {       /* even the first dropped digit is a leading zero */
        first = '0';
        rest = true;
    }
    memcpy(out, d, keep);
    if (keep == 0) out[keep++] = '0';
    out[keep] = '\0';
    bool odd = (out[keep - 1] - '0') & 1;
    bool up = first > '5' || (first == '5' && (rest || odd));
    if (!up) return;
    long i = (long)keep - 1;
    while (i >= 0 && out[i] == '9') out[i--] = '0';
    if (i >= 0) {
        out[i]++;
    } else {
        memmove(out + 1, out, keep + 1);
        out[0] = '1';
    }
}

/* round(x, n) for a float, correctly rounded as CPython's double_round
 * (dtoa mode 3, then strtod). */
static RtValue *round_float(double x, int64_t n) {
    if (!isfinite(x) || n > 323) return rt_float(x);
    if (n < -308) return rt_float(0.0 * x);
    if (n >= 0) {
        /* the decimal q * 10**-n, then read back: exact integer arithmetic and
         * Clinger's one division when they apply, printf + strtod otherwise */
        u128 q;
        if (scaled_round(x, (int)n, &q) && q <= ((u128)1 << 53)) {
            double r = (double)(uint64_t)q / (double)pow10_128((int)n);
            return rt_float(signbit(x) ? -r : r);
        }
        char buf[700];
        snprintf(buf, sizeof buf, "%.*f", (int)n, x);
        return rt_float(strtod(buf, NULL));
    }
    /* n < 0: |x| >= 1 has at most 52 fractional bits, so 60 decimals are exact. */
    char buf[480], digits[400], out[420];
    snprintf(buf, sizeof buf, "%.60f", fabs(x));
    char *dot = strchr(buf, '.');
    size_t ilen = (size_t)(dot - buf);
    bool sticky = false;
    for (const char *q = dot + 1; *q; q++) sticky |= *q != '0';
    memcpy(digits, buf, ilen);
    digits[ilen] = '\0';
    round_decimal(digits, ilen, (size_t)-n, sticky, out);
    snprintf(buf, sizeof buf, "%se%d", out, (int)-n);
    double r = strtod(buf, NULL);
    if (isinf(r)) return rt_raise(&rt_exc_OverflowError, "rounded value too large to represent");
    return rt_float(signbit(x) ? -r : r);
}

/* round(i, n) for an int and n < 0: to a multiple of 10**-n, half to even. */
static RtValue *round_int(RtValue *x, int64_t n) {
    if (n >= 0) return rt_unary(x, RT_POS);
    if (n < -100000000) return rt_int(0);
    RtMpzTmp t;
    mpz_srcptr z = rt__int_mpz(x, &t);
    mpz_t p, q, r;
    mpz_init(p);
    mpz_init(q);
    mpz_init(r);
    mpz_ui_pow_ui(p, 10, (unsigned long)-n);
    mpz_fdiv_qr(q, r, z, p);
    mpz_mul_2exp(r, r, 1);
    int c = mpz_cmp(r, p);
    if (c > 0 || (c == 0 && mpz_odd_p(q))) mpz_add_ui(q, q, 1);
    mpz_mul(q, q, p);
    mpz_clear(p);
    mpz_clear(r);
    return rt__int_from_mpz(q);
}

RtValue *rt_bi_round(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"number", "ndigits"};
    RtValue *av[2];
    if (rt_parse_args("round", args, nargs, kwnames, names, 2, 1, 0, 0, av) < 0) return NULL;
    RtValue *x = av[0], *nd = av[1] == rt_None ? NULL : av[1];
    if (!rt_is_int(x) && !rt_is_float(x)) {
        RtValue *r = call_dunder(x, "__round__", nd ? &nd : NULL, nd ? 1 : 0);
        if (r || RT_ERR()) return r;
        return rt_raise_fmt(&rt_exc_TypeError, "type %s doesn't define __round__ method", rt_type_name(x));
    }
    if (!nd) return rt_is_int(x) ? rt_unary(x, RT_POS) : round_float_to_int(rt_float_val(x));
    if (!rt_is_int(nd)) return rt_raise_fmt(&rt_exc_TypeError,
                                            "'%s' object cannot be interpreted as an integer", rt_type_name(nd));
    int64_t n;
    if (!rt__int_small(nd, &n)) n = rt_int_sign(nd) < 0 ? INT64_MIN : INT64_MAX;   /* clamped, as CPython */
    return rt_is_int(x) ? round_int(x, n) : round_float(rt_float_val(x), n);
}

static RtValue *pair(RtValue *a, RtValue *b) {
    RtValue *r = a && b ? rt_tuple_pack(2, a, b) : NULL;
    rt_xdecref(a);
    rt_xdecref(b);
    return r;
}

RtValue *rt_bi_divmod(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (exact_args("divmod", nargs, kwnames, 2) < 0) return NULL;
    RtValue *a = args[0], *b = args[1];
    if (rt_is_int(a) && rt_is_int(b)) {
        if (rt_int_sign(b) == 0) return rt_raise(&rt_exc_ZeroDivisionError, "integer division or modulo by zero");
        return pair(rt_binop(a, b, RT_FLOORDIV), rt_binop(a, b, RT_MOD));
    }
    double x, y, q, m;
    int k = float_operands(a, b, &x, &y);
    if (k < 0) return NULL;
    if (k > 0) {
        if (y == 0.0) return rt_raise(&rt_exc_ZeroDivisionError, "float divmod()");
        f64_divmod(x, y, &q, &m);
        return pair(rt_float(q), rt_float(m));
    }
    RtValue *r = call_dunder(a, "__divmod__", &b, 1);
    if (r && r != rt_NotImplemented) return r;
    if (r) rt_decref(r);
    if (RT_ERR()) return NULL;
    r = call_dunder(b, "__rdivmod__", &a, 1);
    if (r && r != rt_NotImplemented) return r;
    if (r) rt_decref(r);
    if (RT_ERR()) return NULL;
    return rt_raise_fmt(&rt_exc_TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'",
                        rt_type_name(a), rt_type_name(b));
}

/* pow(base, exp, mod) for ints: modular exponentiation, with inverses for
 * negative exponents; the result takes the sign of mod, as Python's %. */
static RtValue *int_powmod(RtValue *a, RtValue *b, RtValue *m) {
    RtMpzTmp ta, tb, tm;
    mpz_srcptr x = rt__int_mpz(a, &ta), e = rt__int_mpz(b, &tb), mod = rt__int_mpz(m, &tm);
    if (mpz_sgn(mod) == 0) return rt_raise(&rt_exc_ValueError, "pow() 3rd argument cannot be 0");
    mpz_t am, base, r;
    mpz_init(am);
    mpz_init(r);
    mpz_init_set(base, x);
    mpz_abs(am, mod);
    RtValue *res = NULL;
    if (mpz_sgn(e) < 0) {
        if (!mpz_invert(base, base, am)) {
            res = rt_raise(&rt_exc_ValueError, "base is not invertible for the given modulus");
            goto done;
        }
        mpz_t ne;
        mpz_init(ne);
        mpz_neg(ne, e);
        mpz_powm(r, base, ne, am);
        mpz_clear(ne);
    } else {
        mpz_powm(r, base, e, am);
    }
    if (mpz_sgn(mod) < 0 && mpz_sgn(r) != 0) mpz_add(r, r, mod);
    res = rt__int_from_mpz(r);
    mpz_init(r);
done:
    mpz_clear(r);
    mpz_clear(am);
    mpz_clear(base);
    return res;
}

RtValue *rt_bi_pow(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"base", "exp", "mod"};
    RtValue *av[3];
    if (rt_parse_args("pow", args, nargs, kwnames, names, 3, 2, 0, 0, av) < 0) return NULL;
    if (!av[2] || av[2] == rt_None) return rt_binop(av[0], av[1], RT_POW);
    if (rt_is_int(av[0]) && rt_is_int(av[1]) && rt_is_int(av[2])) return int_powmod(av[0], av[1], av[2]);
    bool numeric = true;
    for (int i = 0; i < 3; i++) numeric &= rt_is_int(av[i]) || rt_is_float(av[i]) || rt_is_complex(av[i]);
    if (numeric) {
        if (rt_is_complex(av[0]) || rt_is_complex(av[1]) || rt_is_complex(av[2]))
            return rt_raise(&rt_exc_ValueError, "complex modulo");
        return rt_raise(&rt_exc_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
    }
    RtValue *r = call_dunder(av[0], "__pow__", av + 1, 2);
    if (r && r != rt_NotImplemented) return r;
    if (r) rt_decref(r);
    if (RT_ERR()) return NULL;
    return rt_raise_fmt(&rt_exc_TypeError, "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                        rt_type_name(av[0]), rt_type_name(av[1]), rt_type_name(av[2]));
}

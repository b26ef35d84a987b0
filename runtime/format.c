/* format.c: text formatting, exactly as CPython 3.11 does it.
 *
 * Three front ends share one back end:
 *   - format(value, spec), the format-spec mini-language
 *     [[fill]align][sign][z][#][0][width][grouping][.precision][type],
 *     for int, float, complex and str (f-strings call these);
 *   - printf-style `str % args` and `bytes % args`;
 *   - str.format() and str.format_map(), with auto-numbered, numbered and
 *     named fields, `.attr` and `[key]` lookups, !r/!s/!a and nested specs.
 * The back end lays a number out as CPython's calc_number_widths does:
 *   <lpad><sign><prefix><spad><grouped digits><decimal><rest><rpad>
 * and pads strings by code points (the fill may be any character).
 * Float digits come from rt__f64_to_string (float.c); error messages are
 * CPython's, word for word.
 */
#include <gmp.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#define RT_NUM_INTERNAL
#include "mp2c.h"

#define MAX_STR_DIGITS 4300

/* ==== UTF-8 helpers ========================================================== */

/* Bytes of the code point starting with byte c. */
static size_t cp_len(unsigned char c) {
    return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static uint32_t cp_decode(const char *p) {
    const unsigned char *s = (const unsigned char *)p;
    if (s[0] < 0x80) return s[0];
    if (s[0] < 0xe0) return ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
    if (s[0] < 0xf0) return ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
    return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
           ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
}

/* Byte offset of the first `cps` code points of [p, p+n). */
static size_t cp_prefix(const char *p, size_t n, size_t cps) {
    size_t i = 0;
    while (i < n && cps-- > 0) i += cp_len((unsigned char)p[i]);
    return i < n ? i : n;
}

static size_t cp_count(const char *p, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)p[i] & 0xc0) != 0x80;
    return c;
}

/* Appends n copies of the fill character. */
static int put_fill(RtStrBuf *b, const char *fill, size_t flen, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (rt_strbuf_put(b, fill, flen, 1) < 0) return -1;
    return 0;
}

/* ==== the format-spec mini-language ============================================ */

typedef struct Spec {
    char    fill[5];       /* UTF-8 of the fill character */
    size_t  fill_len;
    char    align;         /* '<' '>' '^' '=' */
    char    sign;          /* '+' '-' ' ' or 0 */
    bool    z, alt;
    int64_t width;         /* -1: none */
    char    grouping;      /* ',' '_' or 0 */
    int     group;         /* digits per group: 3, or 4 for '_' with b/o/x/X */
    int64_t prec;          /* -1: none */
    uint32_t type;         /* 0: none */
} Spec;

static bool is_align(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

/* Reads decimal digits; -1 with ValueError when they overflow. */
static int read_int(const char **pp, const char *end, int64_t *out) {
    const char *p = *pp;
    int64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        if (v > (INT64_MAX - (*p - '0')) / 10) {
            rt_raise(&rt_exc_ValueError, "Too many decimal digits in format string");
            return -1;
        }
        v = v * 10 + (*p++ - '0');
    }
    int n = (int)(p - *pp);
    *pp = p;
    *out = n ? v : -1;
    return n;
}

/* The spec as a NUL-terminated string for messages (caller frees). */
static char *spec_cstr(const char *s, size_t n) {
    char *c = rt_malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

static int invalid_spec(const char *s, size_t n, const char *tname) {
    char *c = spec_cstr(s, n);
    if (c) rt_raise_fmt(&rt_exc_ValueError, "Invalid format specifier '%U' for object of type '%s'", c, tname);
    rt_free(c);
    return -1;
}

static int grouping_error(char g, uint32_t type) {
    if (type > 32 && type < 128) rt_raise_fmt(&rt_exc_ValueError, "Cannot specify '%c' with '%c'.", g, (int)type);
    else rt_raise_fmt(&rt_exc_ValueError, "Cannot specify '%c' with '\\x%x'.", g, (unsigned)type);
    return -1;
}

/* Parses a spec as CPython's parse_internal_render_format_spec, with the
 * type's default type code and alignment. 0 or -1. */
static int parse_spec(const char *s, size_t n, uint32_t default_type, char default_align,
                      const char *tname, Spec *sp) {
    const char *p = s, *end = s + n;
    *sp = (Spec){.fill = " ", .fill_len = 1, .align = default_align, .width = -1, .prec = -1,
                 .type = default_type, .group = 3};
    bool fill_set = false, align_set = false;
    size_t k = n ? cp_len((unsigned char)*p) : 0;
    if (n > k && is_align(p[k])) {
        memcpy(sp->fill, p, k);
        sp->fill[k] = '\0';
        sp->fill_len = k;
        sp->align = p[k];
        fill_set = align_set = true;
        p += k + 1;
    } else if (p < end && is_align(*p)) {
        sp->align = *p++;
        align_set = true;
    }
    if (p < end && (*p == '+' || *p == '-' || *p == ' ')) sp->sign = *p++;
    if (p < end && *p == 'z') sp->z = (p++, true);
    if (p < end && *p == '#') sp->alt = (p++, true);
    if (!fill_set && p < end && *p == '0') {
        strcpy(sp->fill, "0");
        if (!align_set && default_align == '>') sp->align = '=';
        p++;
    }
    if (read_int(&p, end, &sp->width) < 0) return -1;
    if (p < end && *p == ',') sp->grouping = *p++;
    if (p < end && *p == '_') {
        if (sp->grouping) goto both;
        sp->grouping = *p++;
    }
    if (p < end && *p == ',' && sp->grouping == '_') goto both;
    if (p < end && *p == '.') {
        p++;
        int d = read_int(&p, end, &sp->prec);
        if (d < 0) return -1;
        if (d == 0) {
            rt_raise(&rt_exc_ValueError, "Format specifier missing precision");
            return -1;
        }
    }
    if (p < end && (size_t)(end - p) > cp_len((unsigned char)*p)) return invalid_spec(s, n, tname);
    if (p < end) sp->type = cp_decode(p);
    if (sp->grouping) {
        switch (sp->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (sp->grouping == '_') {
                sp->group = 4;
                break;
            }
            return grouping_error(sp->grouping, sp->type);
        default:
            return grouping_error(sp->grouping, sp->type);
        }
    }
    return 0;
both:
    rt_raise(&rt_exc_ValueError, "Cannot specify both ',' and '_'.");
    return -1;
}

static RtValue *unknown_code(uint32_t type, const char *tname) {
    if (type > 32 && type < 128)
        return rt_raise_fmt(&rt_exc_ValueError, "Unknown format code '%c' for object of type '%s'", (int)type, tname);
    return rt_raise_fmt(&rt_exc_ValueError, "Unknown format code '\\x%x' for object of type '%s'",
                        (unsigned)type, tname);
}

/* ==== laying out a number ==================================================== */

typedef struct Num {
    bool        neg;
    const char *prefix;     /* "0x" etc., or "" */
    const char *digits;     /* the integer digits */
    size_t      nd;
    bool        decimal;    /* a '.' follows the digits */
    const char *rest;       /* fraction, exponent, '%', or the char of 'c' */
    size_t      nrest;      /* bytes */
    size_t      rest_cps;   /* code points */
    bool        upper;      /* 'X': upper-case digits and prefix */
} Num;

/* Groups digits from the right into out (written backwards from out_end),
 * padding with zeros up to min_width characters, as CPython's
 * _PyUnicode_InsertThousandsGrouping. group 0 means no separators. */
static char *group_digits(const char *d, size_t nd, int64_t min_width, int group, char sep, char *out_end) {
    char *o = out_end;
    int64_t remaining = (int64_t)nd;
    if (min_width < 0) min_width = 0;
    if (!group) {
        int64_t len = remaining > min_width ? remaining : min_width;
        for (int64_t i = 0; i < len; i++) *--o = i < remaining ? d[remaining - 1 - i] : '0';
        return o;
    }
    bool use_sep = false;
    for (;;) {
        int64_t l = remaining > min_width ? remaining : min_width;
        if (l < 1) l = 1;
        if (l > group) l = group;
        int64_t nchars = remaining < l ? remaining : l, nzeros = l - nchars;
        if (use_sep) *--o = sep;
        for (int64_t i = 0; i < nchars; i++) *--o = d[remaining - 1 - i];
        for (int64_t i = 0; i < nzeros; i++) *--o = '0';
        remaining -= nchars;
        min_width -= l;
        if (remaining <= 0 && min_width <= 0) break;
        use_sep = true;
        min_width -= 1;
    }
    return o;
}

static char upper_ascii(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }

/* The number with sign, prefix, grouping and padding (calc_number_widths +
 * fill_number). New str. */
static RtValue *render_number(const Spec *sp, const Num *n) {
    char signc = n->neg ? '-' : sp->sign == '+' ? '+' : sp->sign == ' ' ? ' ' : 0;
    size_t nprefix = strlen(n->prefix);
    int64_t non_digit = (signc != 0) + (int64_t)nprefix + n->decimal + (int64_t)n->rest_cps;
    bool zero_pad = sp->fill_len == 1 && sp->fill[0] == '0' && sp->align == '=';
    int64_t min_width = zero_pad ? sp->width - non_digit : 0;
    int group = sp->grouping ? sp->group : 0;
    size_t gcap = (size_t)(min_width > (int64_t)n->nd ? min_width : (int64_t)n->nd) * 2 + 8;
    char small[128], *gbuf = gcap <= sizeof small ? small : rt_malloc(gcap);
    if (!gbuf) return NULL;
    char *gend = gbuf + gcap, *g = n->nd ? group_digits(n->digits, n->nd, min_width, group, sp->grouping, gend) : gend;
    int64_t ng = gend - g, pad = sp->width - (non_digit + ng), lpad = 0, spad = 0, rpad = 0;
    if (pad > 0) {
        switch (sp->align) {
        case '<': rpad = pad; break;
        case '^': lpad = pad / 2; rpad = pad - lpad; break;
        case '=': spad = pad; break;
        default: lpad = pad; break;
        }
    }
    RtStrBuf b;
    rt_strbuf_init(&b);
    put_fill(&b, sp->fill, sp->fill_len, lpad);
    if (signc) rt_strbuf_putc(&b, signc);
    for (size_t i = 0; i < nprefix; i++) rt_strbuf_putc(&b, n->upper ? upper_ascii(n->prefix[i]) : n->prefix[i]);
    put_fill(&b, sp->fill, sp->fill_len, spad);
    if (n->upper)
        for (char *q = g; q < gend; q++) *q = upper_ascii(*q);
    rt_strbuf_put_ascii(&b, g, (size_t)ng);
    if (n->decimal) rt_strbuf_putc(&b, '.');
    rt_strbuf_put(&b, n->rest, n->nrest, n->rest_cps);
    put_fill(&b, sp->fill, sp->fill_len, rpad);
    if (gbuf != small) rt_free(gbuf);
    return rt_strbuf_finish(&b);
}

/* ==== ints ==================================================================== */

/* Digits of |v| in base (lower case) into buf (>= 66 bytes); returns them. */
static char *u64_to_base(uint64_t u, int base, char *buf, size_t cap) {
    char *p = buf + cap;
    *--p = '\0';
    do {
        *--p = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (unsigned)base];
        u /= (unsigned)base;
    } while (u);
    return p;
}

/* Digits of |int| in base: points into small (for int64 values) or to an
 * rt_malloc'd buffer stored in *heap. Applies the 4300-digit limit to base
 * 10, as CPython 3.11. NULL on error. */
static const char *int_digits(RtValue *v, int base, char *small, size_t cap, char **heap, bool *neg) {
    int64_t x;
    *heap = NULL;
    if (rt__int_small(v, &x)) {
        *neg = x < 0;
        return u64_to_base(x < 0 ? 0 - (uint64_t)x : (uint64_t)x, base, small, cap);
    }
    mpz_srcptr z = ((RtInt *)v)->big;
    *neg = mpz_sgn(z) < 0;
    size_t n = mpz_sizeinbase(z, base);
    if (base == 10 && n > MAX_STR_DIGITS + 1) goto limit;
    char *s = rt_malloc(n + 3);
    if (!s) return NULL;
    mpz_t a;
    mpz_init(a);
    mpz_abs(a, z);
    mpz_get_str(s, base, a);
    mpz_clear(a);
    if (base == 10 && strlen(s) > MAX_STR_DIGITS) {
        rt_free(s);
        goto limit;
    }
    *heap = s;
    return s;
limit:
    rt_raise_fmt(&rt_exc_ValueError, "Exceeds the limit (%d digits) for integer string conversion; "
                 "use sys.set_int_max_str_digits() to increase the limit", MAX_STR_DIGITS);
    return NULL;
}

static RtValue *format_double(double v, const Spec *sp, const char *tname);

/* format_long_internal: types b c d o x X n. */
static RtValue *format_int_spec(RtValue *v, const Spec *sp) {
    if (sp->prec != -1) return rt_raise(&rt_exc_ValueError, "Precision not allowed in integer format specifier");
    if (sp->z)
        return rt_raise(&rt_exc_ValueError, "Negative zero coercion (z) not allowed in integer format specifier");
    Num n = {.prefix = "", .rest = ""};
    char small[80], cbuf[5];
    char *heap = NULL;
    if (sp->type == 'c') {
        if (sp->sign) return rt_raise(&rt_exc_ValueError, "Sign not allowed with integer format specifier 'c'");
        if (sp->alt)
            return rt_raise(&rt_exc_ValueError, "Alternate form (#) not allowed with integer format specifier 'c'");
        int64_t x;
        if (!rt__int_small(v, &x))
            return rt_raise(&rt_exc_OverflowError, "Python int too large to convert to C long");
        if (x < 0 || x > 0x10ffff) return rt_raise(&rt_exc_OverflowError, "%c arg not in range(0x110000)");
        RtStrBuf cb;
        rt_strbuf_init(&cb);
        rt_strbuf_put_cp(&cb, (uint32_t)x);
        memcpy(cbuf, cb.data, cb.len);
        n.rest = cbuf;
        n.nrest = cb.len;
        n.rest_cps = 1;
        rt_strbuf_free(&cb);
        return render_number(sp, &n);
    }
    int base = sp->type == 'b' ? 2 : sp->type == 'o' ? 8 : (sp->type == 'x' || sp->type == 'X') ? 16 : 10;
    n.digits = int_digits(v, base, small, sizeof small, &heap, &n.neg);
    if (!n.digits) return NULL;
    n.nd = strlen(n.digits);
    if (sp->alt && base != 10) n.prefix = base == 2 ? "0b" : base == 8 ? "0o" : "0x";
    n.upper = sp->type == 'X';
    RtValue *r = render_number(sp, &n);
    rt_free(heap);
    return r;
}

/* int.__format__ after parsing. */
static RtValue *format_int_parsed(RtValue *v, const Spec *sp) {
    switch (sp->type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
        return format_int_spec(v, sp);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        double d;
        if (rt_as_double(v, &d) < 0) return NULL;
        return format_double(d, sp, "float");
    }
    default:
        return unknown_code(sp->type, rt_type_name(v));
    }
}

RtValue *rt_format_int(RtValue *v, const char *spec, size_t n) {
    if (n == 0) return rt_str(v);
    Spec sp;
    if (parse_spec(spec, n, 'd', '>', rt_type_name(v), &sp) < 0) return NULL;
    return format_int_parsed(v, &sp);
}

RtValue *rt_format_i64(int64_t v, const char *spec, size_t n) {
    RtValue *o = rt_int(v);
    if (!o) return NULL;
    RtValue *r = rt_format_int(o, spec, n);
    rt_decref(o);
    return r;
}

/* ==== floats =================================================================== */

/* Splits float text ("-1234.5e+07", "inf") into a Num and renders it. */
static RtValue *render_float_text(const Spec *sp, char *text, size_t len) {
    Num n = {.prefix = "", .rest = ""};
    char *p = text, *end = text + len;
    if (*p == '-') {
        n.neg = true;
        p++;
    }
    n.digits = p;
    while (p < end && *p >= '0' && *p <= '9') p++;
    n.nd = (size_t)(p - n.digits);
    if (p < end && *p == '.') {
        n.decimal = true;
        p++;
    }
    n.rest = p;
    n.nrest = n.rest_cps = (size_t)(end - p);
    return render_number(sp, &n);
}

/* format_float_internal: types e E f F g G n % and none. */
static RtValue *format_double(double v, const Spec *sp, const char *tname) {
    uint32_t type = sp->type;
    unsigned flags = (sp->alt ? RT_DTSF_ALT : 0) | (sp->z ? RT_DTSF_NO_NEG_0 : 0);
    int defprec = 6;
    if (sp->prec > INT_MAX) return rt_raise(&rt_exc_ValueError, "precision too big");
    switch (type) {
    case 0: flags |= RT_DTSF_ADD_DOT_0; type = 'r'; defprec = 0; break;
    case 'n': type = 'g'; break;
    case 'E': case 'F': case 'G': flags |= RT_DTSF_UPPER; type += 'a' - 'A'; break;
    case 'e': case 'f': case 'g': case '%': break;
    default: return unknown_code(type, tname);
    }
    bool pct = type == '%';
    if (pct) {
        type = 'f';
        v *= 100;
    }
    int prec = (int)sp->prec;
    if (prec < 0) prec = defprec;
    else if (type == 'r') type = 'g';
    char buf[128];
    size_t len;
    char *text = rt__f64_to_string(v, (char)type, prec, flags, buf, sizeof buf - 1, &len);
    if (!text) return NULL;
    RtValue *r;
    if (pct) {          /* the '%' joins the "rest" after the digits */
        char *t2 = rt_malloc(len + 2);
        if (t2) {
            memcpy(t2, text, len);
            t2[len] = '%';
            r = render_float_text(sp, t2, len + 1);
            rt_free(t2);
        } else {
            r = NULL;
        }
    } else {
        r = render_float_text(sp, text, len);
    }
    if (text != buf) rt_free(text);
    return r;
}

RtValue *rt_format_f64(double v, const char *spec, size_t n) {
    if (n == 0) {
        char buf[64];
        size_t k = rt_f64_repr(v, buf, sizeof buf);
        return rt_str_new(buf, k);
    }
    Spec sp;
    if (parse_spec(spec, n, 0, '>', "float", &sp) < 0) return NULL;
    return format_double(v, &sp, "float");
}

RtValue *rt_format_float(RtValue *v, const char *spec, size_t n) {
    return rt_format_f64(rt_float_val(v), spec, n);
}

/* ==== complex ===================================================================== */

/* format_complex_internal: both parts with the same type, precision and
 * grouping; the imaginary part always signed unless the real part is
 * omitted (default type with a +0 real part); then padded as a whole. */
RtValue *rt_format_complex(RtValue *v, const char *spec, size_t n) {
    double re = ((RtComplex *)v)->re, im = ((RtComplex *)v)->im;
    if (n == 0) return rt_str(v);
    Spec sp;
    if (parse_spec(spec, n, 0, '>', "complex", &sp) < 0) return NULL;
    if (sp.fill_len == 1 && sp.fill[0] == '0')
        return rt_raise(&rt_exc_ValueError, "Zero padding is not allowed in complex format specifier");
    if (sp.align == '=')
        return rt_raise(&rt_exc_ValueError, "'=' alignment flag is not allowed in complex format specifier");
    uint32_t type = sp.type;
    unsigned flags = (sp.alt ? RT_DTSF_ALT : 0) | (sp.z ? RT_DTSF_NO_NEG_0 : 0);
    bool skip_re = false, parens = false;
    int defprec = 6;
    switch (type) {
    case 0:
        type = 'r';
        defprec = 0;
        if (re == 0.0 && !signbit(re)) skip_re = true;
        else parens = true;
        break;
    case 'n': type = 'g'; break;
    case 'E': case 'F': case 'G': flags |= RT_DTSF_UPPER; type += 'a' - 'A'; break;
    case 'e': case 'f': case 'g': break;
    default: return unknown_code(type, "complex");
    }
    int prec = sp.prec < 0 ? defprec : (int)sp.prec;
    if (sp.prec >= 0 && type == 'r') type = 'g';
    Spec part = sp;              /* no padding inside the parts */
    part.width = -1;
    part.align = '<';
    RtValue *rs = NULL, *is = NULL, *r = NULL;
    char buf[128];
    size_t len;
    for (int k = skip_re ? 1 : 0; k < 2; k++) {
        char *t = rt__f64_to_string(k ? im : re, (char)type, prec, flags, buf, sizeof buf, &len);
        if (!t) goto done;
        if (k && !skip_re) part.sign = '+';
        RtValue *txt = render_float_text(&part, t, len);
        if (t != buf) rt_free(t);
        if (!txt) goto done;
        if (k) is = txt;
        else rs = txt;
    }
    size_t cps = (rs ? ((RtStr *)rs)->ncp : 0) + ((RtStr *)is)->ncp + 1 + 2 * parens;
    int64_t total = sp.width > (int64_t)cps ? sp.width : (int64_t)cps;
    int64_t lpad = sp.align == '>' ? total - (int64_t)cps : sp.align == '^' ? (total - (int64_t)cps) / 2 : 0;
    RtStrBuf b;
    rt_strbuf_init(&b);
    put_fill(&b, sp.fill, sp.fill_len, lpad);
    if (parens) rt_strbuf_putc(&b, '(');
    if (rs) rt_strbuf_put_str(&b, rs);
    rt_strbuf_put_str(&b, is);
    rt_strbuf_putc(&b, 'j');
    if (parens) rt_strbuf_putc(&b, ')');
    put_fill(&b, sp.fill, sp.fill_len, total - (int64_t)cps - lpad);
    r = rt_strbuf_finish(&b);
done:
    rt_xdecref(rs);
    rt_xdecref(is);
    return r;
}

/* ==== str ========================================================================== */

/* format_string_internal: pad by code points; precision truncates. */
static RtValue *format_str_parsed(RtValue *s, const Spec *sp) {
    if (sp->type != 's') return unknown_code(sp->type, "str");
    if (sp->sign == ' ') return rt_raise(&rt_exc_ValueError, "Space not allowed in string format specifier");
    if (sp->sign) return rt_raise(&rt_exc_ValueError, "Sign not allowed in string format specifier");
    if (sp->z)
        return rt_raise(&rt_exc_ValueError, "Negative zero coercion (z) not allowed in string format specifier");
    if (sp->alt) return rt_raise(&rt_exc_ValueError, "Alternate form (#) not allowed in string format specifier");
    if (sp->align == '=') return rt_raise(&rt_exc_ValueError, "'=' alignment not allowed in string format specifier");
    const char *d = rt_str_data(s);
    size_t nb = rt_str_nbytes(s), len = ((RtStr *)s)->ncp;
    if ((sp->width < 0 || sp->width <= (int64_t)len) && (sp->prec < 0 || sp->prec >= (int64_t)len))
        return rt_newref(s);
    if (sp->prec >= 0 && (int64_t)len > sp->prec) {
        nb = cp_prefix(d, nb, (size_t)sp->prec);
        len = (size_t)sp->prec;
    }
    int64_t total = sp->width > (int64_t)len ? sp->width : (int64_t)len;
    int64_t lpad = sp->align == '>' ? total - (int64_t)len : sp->align == '^' ? (total - (int64_t)len) / 2 : 0;
    RtStrBuf b;
    rt_strbuf_init(&b);
    put_fill(&b, sp->fill, sp->fill_len, lpad);
    rt_strbuf_put(&b, d, nb, len);
    put_fill(&b, sp->fill, sp->fill_len, total - (int64_t)len - lpad);
    return rt_strbuf_finish(&b);
}

RtValue *rt_format_str(RtValue *s, const char *spec, size_t n) {
    if (n == 0) return rt_newref(s);
    Spec sp;
    if (parse_spec(spec, n, 's', '<', "str", &sp) < 0) return NULL;
    return format_str_parsed(s, &sp);
}

/* format(v, spec) for any value: our types directly, others via rt_format. */
static RtValue *format_value(RtValue *v, const char *spec, size_t n) {
    if (v->type == &rt_type_int || (v->type == &rt_type_bool && n > 0)) return rt_format_int(v, spec, n);
    if (rt_is_float(v)) return rt_format_float(v, spec, n);
    if (rt_is_str(v)) return rt_format_str(v, spec, n);
    if (rt_is_complex(v)) return rt_format_complex(v, spec, n);
    RtValue *s = rt_str_new(spec, n);
    if (!s) return NULL;
    RtValue *r = rt_format(v, s);
    rt_decref(s);
    return r;
}

/* ==== printf-style formatting: str % args ============================================ */

enum { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

typedef struct PctState {
    RtValue *args;       /* the right operand, or the value of the last %(key) */
    RtValue *keyed;      /* owned: that value, when a key was looked up */
    RtValue *dict;       /* set when the right operand is a mapping */
    int64_t  argidx, arglen;
    bool     bytes;      /* bytes % args */
} PctState;

/* The next positional argument (borrowed), as CPython's getnextarg. */
static RtValue *next_arg(PctState *st) {
    if (st->argidx < st->arglen) {
        int64_t i = st->argidx++;
        return st->arglen < 0 ? st->args : RT_TUPLE_GET(st->args, i);
    }
    return rt_raise(&rt_exc_TypeError, "not enough arguments for format string");
}

/* A '*' width or precision. 0 or -1. */
static int star_arg(PctState *st, int64_t *out) {
    RtValue *a = next_arg(st);
    if (!a) return -1;
    if (!rt_is_int(a)) {
        rt_raise(&rt_exc_TypeError, "* wants int");
        return -1;
    }
    if (!rt__int_small(a, out) || *out > INT_MAX || *out < -INT_MAX) {
        rt_raise(&rt_exc_ValueError, "width too big");
        return -1;
    }
    return 0;
}

/* Pads `body` (cps code points; sign/prefix already inside) to width. For
 * zero fill, zeros go after the sign and the 0x prefix. */
static int pct_pad(RtStrBuf *b, const char *body, size_t nb, size_t cps, int flags, int64_t width,
                   bool numeric, size_t head) {
    int64_t pad = width - (int64_t)cps;
    if (pad <= 0) return rt_strbuf_put(b, body, nb, cps);
    if (flags & F_LJUST) {
        rt_strbuf_put(b, body, nb, cps);
        return put_fill(b, " ", 1, pad);
    }
    if (numeric && (flags & F_ZERO)) {
        rt_strbuf_put_ascii(b, body, head);
        put_fill(b, "0", 1, pad);
        return rt_strbuf_put_ascii(b, body + head, nb - head);
    }
    put_fill(b, " ", 1, pad);
    return rt_strbuf_put(b, body, nb, cps);
}

/* %d %i %u %o %x %X: the text of an int with sign, prefix and precision. */
static int pct_int(RtStrBuf *b, RtValue *v, char ch, int flags, int64_t width, int64_t prec) {
    RtValue *iv = NULL;
    if (!rt_is_int(v)) {
        bool number = rt_is_float(v) || rt_is_complex(v);
        if (number && ch != 'o' && ch != 'x' && ch != 'X' && rt_is_float(v)) {
            iv = rt_int_from_double(rt_float_val(v));
            if (!iv) return -1;
        } else {
            RtValue *m = number ? NULL : rt_getattr_opt(v, ch == 'o' || ch == 'x' || ch == 'X' ? "__index__" : "__int__");
            if (m) {
                iv = rt_call(m, NULL, 0, NULL);
                rt_decref(m);
                if (!iv) return -1;
            } else if (RT_ERR()) {
                return -1;
            } else {
                rt_raise_fmt(&rt_exc_TypeError,
                             ch == 'o' || ch == 'x' || ch == 'X' ? "%%%c format: an integer is required, not %s"
                                                                : "%%%c format: a real number is required, not %s",
                             ch, rt_type_name(v));
                return -1;
            }
        }
        v = iv;
    }
    int base = ch == 'o' ? 8 : (ch == 'x' || ch == 'X') ? 16 : 10;
    char small[80], *heap;
    bool neg;
    const char *d = int_digits(v, base, small, sizeof small, &heap, &neg);
    rt_xdecref(iv);
    if (!d) return -1;
    size_t nd = strlen(d);
    int64_t zeros = prec > (int64_t)nd ? prec - (int64_t)nd : 0;
    char *body = rt_malloc(nd + (size_t)zeros + 8);
    if (!body) {
        rt_free(heap);
        return -1;
    }
    size_t k = 0;
    if (neg) body[k++] = '-';
    else if (flags & F_SIGN) body[k++] = '+';
    else if (flags & F_BLANK) body[k++] = ' ';
    if ((flags & F_ALT) && base != 10) {
        body[k++] = '0';
        body[k++] = ch == 'o' ? 'o' : ch;
    }
    size_t head = k;
    for (int64_t i = 0; i < zeros; i++) body[k++] = '0';
    for (size_t i = 0; i < nd; i++) body[k++] = ch == 'X' ? upper_ascii(d[i]) : d[i];
    rt_free(heap);
    int rc = pct_pad(b, body, k, k, flags, width, true, head);
    rt_free(body);
    return rc;
}

/* %e %E %f %F %g %G. */
static int pct_float(RtStrBuf *b, RtValue *v, char ch, int flags, int64_t width, int64_t prec) {
    double x;
    if (rt_as_double(v, &x) < 0) return -1;
    unsigned dflags = (flags & F_ALT) ? RT_DTSF_ALT : 0;
    char code = ch;
    if (ch == 'E' || ch == 'F' || ch == 'G') {
        dflags |= RT_DTSF_UPPER;
        code = (char)(ch + 32);
    }
    if (flags & F_SIGN) dflags |= RT_DTSF_SIGN;
    char buf[128];
    size_t len;
    char *t = rt__f64_to_string(x, code, prec < 0 ? 6 : (int)prec, dflags, buf, sizeof buf, &len);
    if (!t) return -1;
    char *body = t;
    char tmp[130];
    if ((flags & F_BLANK) && !(flags & F_SIGN) && t[0] != '-' && len + 1 < sizeof tmp) {
        tmp[0] = ' ';
        memcpy(tmp + 1, t, len);
        body = tmp;
        len++;
    }
    size_t head = (body[0] == '-' || body[0] == '+' || body[0] == ' ') ? 1 : 0;
    int rc = pct_pad(b, body, len, len, flags, width, true, head);
    if (t != buf) rt_free(t);
    return rc;
}

/* %c: an int code point (a byte for bytes) or a one-character str/bytes. */
static int pct_char(PctState *st, RtStrBuf *b, RtValue *v, int flags, int64_t width) {
    char buf[5];
    size_t n;
    int64_t x;
    if (rt_is_int(v)) {
        int64_t lim = st->bytes ? 256 : 0x110000;
        if (!rt__int_small(v, &x) || x < 0 || x >= lim) {
            rt_raise(&rt_exc_OverflowError, st->bytes ? "%c arg not in range(256)" : "%c arg not in range(0x110000)");
            return -1;
        }
        if (st->bytes) {
            buf[0] = (char)x;
            n = 1;
        } else {
            RtStrBuf cb;
            rt_strbuf_init(&cb);
            rt_strbuf_put_cp(&cb, (uint32_t)x);
            n = cb.len;
            memcpy(buf, cb.data, n);
            rt_strbuf_free(&cb);
        }
    } else if (!st->bytes && rt_is_str(v) && ((RtStr *)v)->ncp == 1) {
        n = rt_str_nbytes(v);
        memcpy(buf, rt_str_data(v), n);
    } else if (st->bytes && rt_is_bytes(v) && ((RtBytes *)v)->len == 1) {
        buf[0] = (char)((RtBytes *)v)->data[0];
        n = 1;
    } else {
        rt_raise(&rt_exc_TypeError, st->bytes ? "%c requires an integer in range(256) or a single byte"
                                               : "%c requires int or char");
        return -1;
    }
    return pct_pad(b, buf, n, 1, flags, width, false, 0);
}

/* %s %r %a (and %b for bytes): text, truncated to the precision. */
static int pct_text(PctState *st, RtStrBuf *b, RtValue *v, char ch, int flags, int64_t width, int64_t prec) {
    RtValue *s;
    if (st->bytes && (ch == 's' || ch == 'b')) {
        if (!rt_is_bytes(v) && !rt_is_bytearray(v)) {
            rt_raise_fmt(&rt_exc_TypeError, "%%b requires a bytes-like object, or an object that implements "
                         "__bytes__, not '%s'", rt_type_name(v));
            return -1;
        }
        bool ba = rt_is_bytearray(v);
        const char *p = ba ? (const char *)((RtByteArray *)v)->data : (const char *)((RtBytes *)v)->data;
        size_t n = ba ? ((RtByteArray *)v)->len : ((RtBytes *)v)->len;
        if (prec >= 0 && (int64_t)n > prec) n = (size_t)prec;
        return pct_pad(b, p ? p : "", n, n, flags, width, false, 0);
    }
    s = ch == 's' ? rt_str(v) : ch == 'r' && !st->bytes ? rt_repr(v) : rt_ascii(v);
    if (!s) return -1;
    const char *d = rt_str_data(s);
    size_t nb = rt_str_nbytes(s), cps = ((RtStr *)s)->ncp;
    if (prec >= 0 && (int64_t)cps > prec) {
        nb = cp_prefix(d, nb, (size_t)prec);
        cps = (size_t)prec;
    }
    int rc = pct_pad(b, d, nb, cps, flags, width, false, 0);
    rt_decref(s);
    return rc;
}

/* The key of %(key)s, with nested parentheses as CPython allows. */
static RtValue *pct_key(PctState *st, const char **pp, const char *end) {
    const char *p = *pp, *start = p;
    int depth = 1;
    while (p < end && depth > 0) {
        if (*p == '(') depth++;
        else if (*p == ')') depth--;
        p++;
    }
    if (depth > 0) return rt_raise(&rt_exc_ValueError, "incomplete format key");
    if (!st->dict) return rt_raise(&rt_exc_TypeError, "format requires a mapping");
    *pp = p;
    RtValue *key = st->bytes ? rt_bytes_new(start, (size_t)(p - 1 - start)) : rt_str_new(start, (size_t)(p - 1 - start));
    if (!key) return NULL;
    RtValue *v = rt_getitem(st->dict, key);
    rt_decref(key);
    return v;
}

/* One conversion after its '%' (at *pp). 0 or -1. */
static int pct_one(PctState *st, RtStrBuf *b, const char *fmt, const char **pp, const char *end) {
    const char *p = *pp;
    RtValue *v = NULL;
    if (p < end && *p == '(') {
        p++;
        RtValue *kv = pct_key(st, &p, end);
        if (!kv) return -1;
        RT_SETREF(st->keyed, kv);   /* as CPython: the value becomes "the args" */
        st->args = st->keyed;
        st->arglen = -1;
        st->argidx = -2;
    }
    int flags = 0, rc = -1;
    for (; p < end; p++) {
        int f = *p == '-' ? F_LJUST : *p == '+' ? F_SIGN : *p == ' ' ? F_BLANK : *p == '#' ? F_ALT : *p == '0' ? F_ZERO : 0;
        if (!f) break;
        flags |= f;
    }
    int64_t width = -1, prec = -1;
    if (p < end && *p == '*') {
        if (star_arg(st, &width) < 0) goto done;
        if (width < 0) {
            flags |= F_LJUST;
            width = -width;
        }
        p++;
    } else if (read_int(&p, end, &width) < 0) {
        goto done;
    }
    if (p < end && *p == '.') {
        p++;
        if (p < end && *p == '*') {
            if (star_arg(st, &prec) < 0) goto done;
            if (prec < 0) prec = 0;
            p++;
        } else {
            if (read_int(&p, end, &prec) < 0) goto done;
            if (prec < 0) prec = 0;
        }
    }
    if (p < end && (*p == 'h' || *p == 'l' || *p == 'L')) p++;   /* C length modifiers are ignored */
    if (p >= end) {
        rt_raise(&rt_exc_ValueError, "incomplete format");
        goto done;
    }
    char ch = *p;
    size_t clen = cp_len((unsigned char)ch);
    v = next_arg(st);
    if (!v) goto done;
    switch (ch) {
    case 's': case 'r': case 'a': rc = pct_text(st, b, v, ch, flags, width, prec); break;
    case 'b': rc = st->bytes ? pct_text(st, b, v, ch, flags, width, prec) : -2; break;
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': rc = pct_int(b, v, ch, flags, width, prec); break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': rc = pct_float(b, v, ch, flags, width, prec); break;
    case 'c': rc = pct_char(st, b, v, flags, width); break;
    default: rc = -2; break;
    }
    if (rc == -2) {
        uint32_t c = cp_decode(p);
        rt_raise_fmt(&rt_exc_ValueError, "unsupported format character '%c' (0x%x) at index %zu",
                     c < 128 ? (int)c : '?', (unsigned)c, st->bytes ? (size_t)(p - fmt) : cp_count(fmt, (size_t)(p - fmt)));
        rc = -1;
    }
    p += clen;
done:
    *pp = p;
    return rc;
}

/* Is the right operand a mapping for %(key)s? CPython's test: anything with
 * __getitem__ that is not a tuple or a str (so a list counts, quirkily). */
static bool is_mapping(RtValue *args) {
    return !rt_is_tuple(args) && !rt_is_str(args) && args->type->getitem != NULL;
}

static RtValue *percent_format(const char *fmt, size_t n, RtValue *args, bool bytes) {
    PctState st = {.args = args, .bytes = bytes};
    st.dict = is_mapping(args) ? args : NULL;
    if (rt_is_tuple(args)) {
        st.arglen = (int64_t)RT_TUPLE_LEN(args);
        st.argidx = 0;
    } else {
        st.arglen = -1;
        st.argidx = -2;
    }
    RtStrBuf b;
    rt_strbuf_init(&b);
    const char *p = fmt, *end = fmt + n;
    while (p < end) {
        const char *q = memchr(p, '%', (size_t)(end - p));
        if (!q) q = end;
        rt_strbuf_put(&b, p, (size_t)(q - p), bytes ? (size_t)(q - p) : cp_count(p, (size_t)(q - p)));
        if (q == end) break;
        p = q + 1;
        if (p < end && *p == '%') {
            rt_strbuf_putc(&b, '%');
            p++;
            continue;
        }
        if (pct_one(&st, &b, fmt, &p, end) < 0) goto fail;
        if (st.dict && st.argidx < st.arglen) {
            rt_raise(&rt_exc_TypeError, bytes ? "not all arguments converted during bytes formatting"
                                              : "not all arguments converted during string formatting");
            goto fail;
        }
    }
    RT_CLEAR(st.keyed);
    if (st.argidx < st.arglen && !st.dict) {
        RT_CLEAR(st.keyed);
        rt_raise(&rt_exc_TypeError, bytes ? "not all arguments converted during bytes formatting"
                                          : "not all arguments converted during string formatting");
        goto fail;
    }
    if (bytes) {         /* the buffer holds raw bytes, not necessarily UTF-8 */
        RtValue *r = b.failed ? NULL : rt_bytes_new(b.data, b.len);
        rt_strbuf_free(&b);
        return r;
    }
    return rt_strbuf_finish(&b);
fail:
    RT_CLEAR(st.keyed);
    rt_strbuf_free(&b);
    return NULL;
}

RtValue *rt_str_percent(RtValue *fmt, RtValue *args) {
    return percent_format(rt_str_data(fmt), rt_str_nbytes(fmt), args, false);
}

RtValue *rt_bytes_percent(RtValue *fmt, RtValue *args) {
    RtBytes *f = (RtBytes *)fmt;
    return percent_format((const char *)f->data, f->len, args, true);
}

/* ==== str.format and str.format_map ===================================================== */

typedef struct FmtCtx {
    RtValue *const *args;   /* positional arguments */
    size_t   nargs;
    RtValue *kwnames;       /* str.format's keyword names (tuple) or NULL */
    RtValue *const *kwvals;
    RtValue *mapping;       /* format_map's mapping, or NULL */
    int      auto_state;    /* 0 init, 1 auto, 2 manual */
    int64_t  auto_next;
} FmtCtx;

static int build(FmtCtx *c, const char *s, size_t n, int depth, RtStrBuf *out);

/* All-digit text as an index: the value, -1 when it is not all digits, or
 * -2 with ValueError when too many digits. */
static int64_t field_index(const char *s, size_t n) {
    if (n == 0) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        if (v > (INT64_MAX - (s[i] - '0')) / 10) {
            rt_raise(&rt_exc_ValueError, "Too many decimal digits in format string");
            return -2;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Looks a keyword field up: format's kwargs or format_map's mapping.
 * New reference, or NULL with KeyError. */
static RtValue *field_by_name(FmtCtx *c, const char *s, size_t n) {
    RtValue *key = rt_str_new(s, n);
    if (!key) return NULL;
    RtValue *v = NULL;
    if (c->mapping) {
        v = rt_getitem(c->mapping, key);
    } else {
        size_t nk = c->kwnames ? RT_TUPLE_LEN(c->kwnames) : 0;
        for (size_t i = 0; i < nk && !v; i++) {
            RtValue *k = RT_TUPLE_GET(c->kwnames, i);
            if (rt_str_nbytes(k) == n && memcmp(rt_str_data(k), s, n) == 0) v = rt_newref(c->kwvals[i]);
        }
        if (!v) {
            RtValue *t = rt_tuple_pack(1, key);
            RtValue *e = t ? rt_exc_new(&rt_exc_KeyError, t) : NULL;
            if (e) rt_raise_value(e);
            rt_xdecref(e);
            rt_xdecref(t);
        }
    }
    rt_decref(key);
    return v;
}

/* The first part of a field name: an auto or explicit index, or a name. */
static RtValue *field_first(FmtCtx *c, const char *s, size_t n) {
    int64_t idx = field_index(s, n);
    if (idx == -2) return NULL;
    bool empty = n == 0, numeric = empty || idx >= 0;
    if (numeric) {
        if (c->auto_state == 0) c->auto_state = empty ? 1 : 2;
        if (c->auto_state == 2 && empty)
            return rt_raise(&rt_exc_ValueError,
                            "cannot switch from manual field specification to automatic field numbering");
        if (c->auto_state == 1 && !empty)
            return rt_raise(&rt_exc_ValueError,
                            "cannot switch from automatic field numbering to manual field specification");
        if (empty) idx = c->auto_next++;
        if (c->mapping) return rt_raise(&rt_exc_ValueError, "Format string contains positional fields");
        if ((uint64_t)idx >= c->nargs)
            return rt_raise_fmt(&rt_exc_IndexError, "Replacement index %ld out of range for positional args tuple",
                                (long)idx);
        return rt_newref(c->args[idx]);
    }
    return field_by_name(c, s, n);
}

/* One `.attr` or `[key]` step; advances *pp. New reference or NULL. */
static RtValue *field_step(RtValue *obj, const char **pp, const char *end) {
    const char *p = *pp;
    RtValue *r = NULL;
    if (*p == '.') {
        const char *a = ++p;
        while (p < end && *p != '.' && *p != '[') p++;
        if (p == a) return rt_raise(&rt_exc_ValueError, "Empty attribute in format string");
        char *name = spec_cstr(a, (size_t)(p - a));
        if (!name) return NULL;
        r = rt_getattr(obj, name);
        rt_free(name);
    } else if (*p == '[') {
        const char *a = ++p;
        while (p < end && *p != ']') p++;
        if (p >= end) return rt_raise(&rt_exc_ValueError, "Missing ']' in format string");
        if (p == a) return rt_raise(&rt_exc_ValueError, "Empty attribute in format string");
        int64_t idx = field_index(a, (size_t)(p - a));
        if (idx == -2) return NULL;
        RtValue *key = idx >= 0 ? rt_int(idx) : rt_str_new(a, (size_t)(p - a));
        if (!key) return NULL;
        r = rt_getitem(obj, key);
        rt_decref(key);
        p++;
    } else {
        return rt_raise(&rt_exc_ValueError, "Only '.' or '[' may follow ']' in format field specifier");
    }
    *pp = p;
    return r;
}

/* Resolves a whole field name ("0", "", "name.attr[2]"). New reference. */
static RtValue *field_object(FmtCtx *c, const char *s, size_t n) {
    const char *end = s + n, *p = s;
    while (p < end && *p != '.' && *p != '[') p++;
    RtValue *obj = field_first(c, s, (size_t)(p - s));
    while (obj && p < end) {
        RtValue *next = field_step(obj, &p, end);
        rt_decref(obj);
        obj = next;
    }
    return obj;
}

/* !r, !s, !a. New reference. */
static RtValue *convert_field(RtValue *obj, uint32_t conv) {
    switch (conv) {
    case 'r': return rt_repr(obj);
    case 's': return rt_str(obj);
    case 'a': return rt_ascii(obj);
    default:
        if (conv > 32 && conv < 127)
            return rt_raise_fmt(&rt_exc_ValueError, "Unknown conversion specifier %c", (int)conv);
        return rt_raise_fmt(&rt_exc_ValueError, "Unknown conversion specifier \\x%x", (unsigned)conv);
    }
}

/* Renders one field: name, optional conversion and spec (expanded when it
 * holds nested fields). 0 or -1. */
static int render_field(FmtCtx *c, const char *name, size_t nname, uint32_t conv, const char *spec,
                        size_t nspec, bool expand, int depth, RtStrBuf *out) {
    RtValue *obj = field_object(c, name, nname);
    if (!obj) return -1;
    if (conv) {
        RtValue *t = convert_field(obj, conv);
        rt_decref(obj);
        if (!(obj = t)) return -1;
    }
    RtValue *spec_obj = NULL;
    if (expand) {
        RtStrBuf sb;
        rt_strbuf_init(&sb);
        if (build(c, spec, nspec, depth - 1, &sb) < 0) {
            rt_strbuf_free(&sb);
            rt_decref(obj);
            return -1;
        }
        if (!(spec_obj = rt_strbuf_finish(&sb))) {
            rt_decref(obj);
            return -1;
        }
        spec = rt_str_data(spec_obj);
        nspec = rt_str_nbytes(spec_obj);
    }
    RtValue *text = format_value(obj, spec, nspec);
    rt_decref(obj);
    rt_xdecref(spec_obj);
    if (!text) return -1;
    int rc = rt_strbuf_put_str(out, text);
    rt_decref(text);
    return rc;
}

/* Parses the field after a '{' (CPython's parse_field) and renders it. */
static int parse_field(FmtCtx *c, const char **pp, const char *end, int depth, RtStrBuf *out) {
    const char *p = *pp, *name = p;
    char ch = 0;
    while (p < end) {
        ch = *p++;
        if (ch == '{') {
            rt_raise(&rt_exc_ValueError, "unexpected '{' in field name");
            return -1;
        }
        if (ch == '[') {
            while (p < end && *p != ']') p++;
            continue;
        }
        if (ch == '}' || ch == ':' || ch == '!') break;
    }
    size_t nname = (size_t)(p - name) - (ch == '}' || ch == ':' || ch == '!');
    uint32_t conv = 0;
    const char *spec = p;
    size_t nspec = 0;
    bool expand = false;
    if (ch == '!' || ch == ':') {
        if (ch == '!') {
            if (p >= end) {
                rt_raise(&rt_exc_ValueError, "end of string while looking for conversion specifier");
                return -1;
            }
            conv = cp_decode(p);
            p += cp_len((unsigned char)*p);
            if (p < end) {
                ch = *p++;
                if (ch == '}') goto render;
                if (ch != ':') {
                    rt_raise(&rt_exc_ValueError, "expected ':' after conversion specifier");
                    return -1;
                }
            }
        }
        spec = p;
        int count = 1;
        while (p < end) {
            ch = *p++;
            if (ch == '{') {
                expand = true;
                count++;
            } else if (ch == '}' && --count == 0) {
                nspec = (size_t)(p - 1 - spec);
                goto render;
            }
        }
        rt_raise(&rt_exc_ValueError, "unmatched '{' in format spec");
        return -1;
    } else if (ch != '}') {
        rt_raise(&rt_exc_ValueError, "expected '}' before end of string");
        return -1;
    }
render:
    *pp = p;
    return render_field(c, name, nname, conv, spec, nspec, expand, depth, out);
}

/* CPython's build_string/MarkupIterator: literal text with {{ and }},
 * fields in braces. depth limits nested specs ("{:{w}}" is depth 2). */
static int build(FmtCtx *c, const char *s, size_t n, int depth, RtStrBuf *out) {
    if (depth <= 0) {
        rt_raise(&rt_exc_ValueError, "Max string recursion exceeded");
        return -1;
    }
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '{' && *q != '}') q++;
        rt_strbuf_put(out, p, (size_t)(q - p), cp_count(p, (size_t)(q - p)));
        if (q == end) break;
        char ch = *q;
        p = q + 1;
        if (p < end && *p == ch) {     /* "{{" or "}}" */
            rt_strbuf_putc(out, ch);
            p++;
            continue;
        }
        if (ch == '}') {
            rt_raise(&rt_exc_ValueError, "Single '}' encountered in format string");
            return -1;
        }
        if (p >= end) {
            rt_raise(&rt_exc_ValueError, "Single '{' encountered in format string");
            return -1;
        }
        if (parse_field(c, &p, end, depth, out) < 0) return -1;
    }
    return out->failed ? -1 : 0;
}

static RtValue *run_format(FmtCtx *c, RtValue *fmt) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    if (build(c, rt_str_data(fmt), rt_str_nbytes(fmt), 2, &b) < 0) {
        rt_strbuf_free(&b);
        return NULL;
    }
    return rt_strbuf_finish(&b);
}

RtValue *rt_str_m_format(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    FmtCtx c = {.args = args, .nargs = nargs, .kwnames = kwnames, .kwvals = args + nargs};
    return run_format(&c, self);
}

RtValue *rt_str_m_format_map(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    if (rt_no_kwargs("format_map", kwnames) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "format_map() takes exactly one argument (%zu given)", nargs);
    FmtCtx c = {.mapping = args[0]};
    return run_format(&c, self);
}

/* ==== builtins: format, hex, oct, bin ==================================================== */

RtValue *rt_bi_format(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"value", "format_spec"};
    RtValue *av[2];
    if (rt_parse_args("format", args, nargs, kwnames, names, 2, 1, 2, 0, av) < 0) return NULL;
    if (av[1] && !rt_is_str(av[1]))
        return rt_raise_fmt(&rt_exc_TypeError, "format() argument 2 must be str, not %s", rt_type_name(av[1]));
    if (!av[1]) return format_value(av[0], "", 0);
    return format_value(av[0], rt_str_data(av[1]), rt_str_nbytes(av[1]));
}

/* hex/oct/bin: "-0x1f"; other types through __index__. */
static RtValue *int_to_prefixed(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames,
                                int base, const char *prefix) {
    if (rt_no_kwargs(fname, kwnames) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly one argument (%zu given)", fname, nargs);
    RtValue *v = args[0], *iv = NULL;
    if (!rt_is_int(v)) {
        RtValue *m = rt_getattr_opt(v, "__index__");
        if (!m) {
            if (RT_ERR()) return NULL;
            return rt_raise_fmt(&rt_exc_TypeError, "'%s' object cannot be interpreted as an integer", rt_type_name(v));
        }
        iv = rt_call(m, NULL, 0, NULL);
        rt_decref(m);
        if (!iv) return NULL;
        v = iv;
    }
    char small[80], *heap;
    bool neg;
    const char *d = int_digits(v, base, small, sizeof small, &heap, &neg);
    rt_xdecref(iv);
    if (!d) return NULL;
    RtStrBuf b;
    rt_strbuf_init(&b);
    if (neg) rt_strbuf_putc(&b, '-');
    rt_strbuf_put_cstr(&b, prefix);
    rt_strbuf_put_cstr(&b, d);
    rt_free(heap);
    return rt_strbuf_finish(&b);
}

RtValue *rt_bi_hex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return int_to_prefixed("hex", args, nargs, kwnames, 16, "0x");
}

RtValue *rt_bi_oct(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return int_to_prefixed("oct", args, nargs, kwnames, 8, "0o");
}

RtValue *rt_bi_bin(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    return int_to_prefixed("bin", args, nargs, kwnames, 2, "0b");
}

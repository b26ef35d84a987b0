/* structmod.c: the struct module (pack, unpack, calcsize, pack_into,
 * unpack_from, iter_unpack), byte for byte and error for error as CPython's
 * _struct.
 *
 * Key idea: a format string is parsed into a list of items (code, repeat
 * count, offset) once per call; packing and unpacking then walk the items.
 * '@' (the default) uses the C compiler's sizes and aligns each item to its
 * own size, like a C struct without trailing padding; '=', '<', '>' and '!'
 * use the standard sizes (l is 4 bytes) with no alignment. This runtime runs
 * on little-endian machines (x86-64, aarch64), so '@', '=' and '<' store
 * bytes in the same order. Error messages follow CPython's pack functions,
 * whose wording depends on the code and on the byte order: on a
 * little-endian machine '<' and '=' reuse the native functions wherever the
 * standard and native sizes agree ("short format requires ..." for '<h',
 * "'h' format requires ..." for '>h').
 */
#include "mp2c.h"

#include <ctype.h>
#include <float.h>
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ==== format parsing ============================================================== */

typedef struct Item {
    char    code;
    int64_t count;      /* repeat count; for 's' and 'p' the byte length */
    size_t  offset;
} Item;

typedef struct Fmt {
    char    order;      /* '@' native, '<' little, '>' big ('=' is '<', '!' is '>') */
    bool    std_le;     /* '<' or '=' (standard sizes, little-endian) */
    Item   *items;
    size_t  nitems;
    size_t  size;
    size_t  nvalues;    /* how many Python values pack takes / unpack gives */
} Fmt;

static int native_size(char c) {
    switch (c) {
    case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': return 1;
    case 'h': case 'H': case 'e': return 2;
    case 'i': case 'I': case 'f': return 4;
    case 'l': case 'L': case 'q': case 'Q': case 'n': case 'N': case 'd': case 'P': return 8;
    }
    return 0;
}

static int std_size(char c) {
    switch (c) {
    case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': return 1;
    case 'h': case 'H': case 'e': return 2;
    case 'i': case 'I': case 'l': case 'L': case 'f': return 4;
    case 'q': case 'Q': case 'd': return 8;
    }
    return 0;
}

static RtValue *struct_error(const char *msg) { return rt_raise(&rt_exc_StructError, msg); }

static void fmt_free(Fmt *f) { rt_free(f->items); f->items = NULL; }

static int fmt_push(Fmt *f, size_t *cap, char code, int64_t count, size_t offset) {
    if (f->nitems == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        Item *v = rt_realloc(f->items, *cap * sizeof *v);
        if (!v) return -1;
        f->items = v;
    }
    f->items[f->nitems++] = (Item){code, count, offset};
    return 0;
}

/* Parses fmt (n bytes) into f. 0, or -1 with struct.error. */
static int fmt_parse(const char *s, size_t n, Fmt *f) {
    memset(f, 0, sizeof *f);
    f->order = '@';
    size_t i = 0, cap = 0;
    if (n && strchr("@=<>!", s[0])) {
        f->order = s[0] == '=' ? '<' : s[0] == '!' ? '>' : s[0];
        f->std_le = s[0] == '<' || s[0] == '=';
        i = 1;
    }
    bool native = f->order == '@';
    size_t off = 0;
    while (i < n) {
        char c = s[i];
        if (isspace((unsigned char)c)) { i++; continue; }
        int64_t num = 1;
        if (isdigit((unsigned char)c)) {
            num = 0;
            while (i < n && isdigit((unsigned char)s[i])) {
                if (num > (INT64_MAX - 9) / 10) goto too_long;
                num = num * 10 + (s[i++] - '0');
            }
            if (i == n) { struct_error("repeat count given without format specifier"); goto fail; }
            c = s[i];
        }
        i++;
        int size = native ? native_size(c) : std_size(c);
        if (!size) { struct_error("bad char in struct format"); goto fail; }
        if (native) off = (off + (size_t)size - 1) / (size_t)size * (size_t)size;
        if ((uint64_t)num > (SIZE_MAX / 4 - off) / (size_t)size) goto too_long;
        if (fmt_push(f, &cap, c, num, off) < 0) goto fail;
        off += (size_t)num * (size_t)size;
        f->nvalues += c == 'x' ? 0 : (c == 's' || c == 'p') ? 1 : (size_t)num;
    }
    f->size = off;
    return 0;
too_long:
    struct_error("total struct size too long");
fail:
    fmt_free(f);
    return -1;
}

/* The format argument: str or bytes. */
static int fmt_from_arg(RtValue *v, Fmt *f) {
    if (rt_is_str(v)) return fmt_parse(rt_str_data(v), rt_str_nbytes(v), f);
    if (rt_is_bytes(v)) return fmt_parse((const char *)((RtBytes *)v)->data, ((RtBytes *)v)->len, f);
    rt_raise_fmt(&rt_exc_TypeError, "Struct() argument 1 must be a str or bytes object, not %s", rt_type_name(v));
    return -1;
}

int64_t rt_struct_calcsize_c(const char *fmt) {
    Fmt f;
    if (fmt_parse(fmt, strlen(fmt), &f) < 0) return -1;
    fmt_free(&f);
    return (int64_t)f.size;
}

/* ==== integers ====================================================================== */

/* get_long: an int that fits int64 ("argument out of range" otherwise). */
static int get_long(RtValue *v, int64_t *out) {
    if (!rt_is_int(v)) { struct_error("required argument is not an integer"); return -1; }
    if (rt_int_as_i64(v, out) == 0) return 0;
    rt_decref(rt_exc_fetch());
    struct_error("argument out of range");
    return -1;
}

/* get_ulong: an int in [0, 2**64). */
static int get_ulong(RtValue *v, uint64_t *out) {
    if (!rt_is_int(v)) { struct_error("required argument is not an integer"); return -1; }
    int64_t x;
    if (rt_int_as_i64(v, &x) == 0) {
        if (x < 0) { struct_error("argument out of range"); return -1; }
        *out = (uint64_t)x;
        return 0;
    }
    rt_decref(rt_exc_fetch());
    mpz_srcptr z = ((RtInt *)v)->big;
    if (z && mpz_sgn(z) > 0 && mpz_sizeinbase(z, 2) <= 64) {
        *out = (uint64_t)mpz_getlimbn(z, 0);
        return 0;
    }
    struct_error("argument out of range");
    return -1;
}

static int range_error_signed(char code, int64_t lo, int64_t hi) {
    rt_raise_fmt(&rt_exc_StructError, "'%c' format requires %lld <= number <= %lld", code,
                 (long long)lo, (long long)hi);
    return -1;
}

static int range_error_unsigned(char code, uint64_t hi) {
    rt_raise_fmt(&rt_exc_StructError, "'%c' format requires 0 <= number <= %llu", code,
                 (unsigned long long)hi);
    return -1;
}

static void put_uint(unsigned char *p, int size, uint64_t x, bool big) {
    for (int i = 0; i < size; i++) {
        int shift = 8 * (big ? size - 1 - i : i);
        p[i] = (unsigned char)(x >> shift);
    }
}

static uint64_t get_uint(const unsigned char *p, int size, bool big) {
    uint64_t x = 0;
    for (int i = 0; i < size; i++) x = x << 8 | p[big ? i : size - 1 - i];
    return x;
}

/* 'q'/'Q' with '>': CPython converts with _PyLong_AsByteArray. */
static int pack_big_longlong(char code, RtValue *v, unsigned char *p) {
    if (!rt_is_int(v)) { struct_error("required argument is not an integer"); return -1; }
    int64_t x;
    if (rt_int_as_i64(v, &x) == 0) {
        if (code == 'Q' && x < 0) goto too_large;
        put_uint(p, 8, (uint64_t)x, true);
        return 0;
    }
    rt_decref(rt_exc_fetch());
    if (code == 'Q') {
        uint64_t u;
        if (get_ulong(v, &u) == 0) { put_uint(p, 8, u, true); return 0; }
        rt_decref(rt_exc_fetch());
    }
too_large:
    struct_error("int too large to convert");
    return -1;
}

/* Packs an integer code at p, with the order's size and CPython's messages. */
static int pack_int(const Fmt *f, char code, RtValue *v, unsigned char *p) {
    bool big = f->order == '>';
    int64_t x;
    uint64_t u;
    if (code == 'b' || code == 'B') {
        if (get_long(v, &x) < 0) return -1;
        if (code == 'b' && (x < -128 || x > 127)) return struct_error("byte format requires -128 <= number <= 127"), -1;
        if (code == 'B' && (x < 0 || x > 255)) return struct_error("ubyte format requires 0 <= number <= 255"), -1;
        *p = (unsigned char)x;
        return 0;
    }
    int size = f->order == '@' ? native_size(code) : std_size(code);
    bool nativelike = f->order == '@' || (f->std_le && size == native_size(code));
    if (big && (code == 'q' || code == 'Q')) return pack_big_longlong(code, v, p);
    bool is_signed = code == 'h' || code == 'i' || code == 'l' || code == 'q' || code == 'n';
    if (nativelike && code == 'h') {
        if (get_long(v, &x) < 0) return -1;
        if (x < -32768 || x > 32767) return struct_error("short format requires -32768 <= number <= 32767"), -1;
    } else if (nativelike && code == 'H') {
        if (get_long(v, &x) < 0) return -1;
        if (x < 0 || x > 65535) return struct_error("ushort format requires 0 <= number <= 65535"), -1;
    } else if (is_signed) {
        if (get_long(v, &x) < 0) return -1;
        if (size < 8) {
            int64_t hi = ((int64_t)1 << (8 * size - 1)) - 1;
            if (x < -hi - 1 || x > hi) return range_error_signed(code, -hi - 1, hi);
        }
    } else {
        if (get_ulong(v, &u) < 0) return -1;
        if (size < 8 && u > (((uint64_t)1 << (8 * size)) - 1))
            return range_error_unsigned(code, ((uint64_t)1 << (8 * size)) - 1);
        x = (int64_t)u;
    }
    put_uint(p, size, (uint64_t)x, big);
    return 0;
}

static RtValue *unpack_int(const Fmt *f, char code, const unsigned char *p) {
    int size = f->order == '@' ? native_size(code) : std_size(code);
    uint64_t u = get_uint(p, size, f->order == '>');
    bool is_signed = code == 'b' || code == 'h' || code == 'i' || code == 'l' || code == 'q' || code == 'n';
    if (!is_signed) return rt_int_from_u64(u);
    if (size < 8 && (u >> (8 * size - 1)) & 1) u |= ~(uint64_t)0 << (8 * size);   /* sign-extend */
    return rt_int((int64_t)u);
}

/* ==== floats ========================================================================== */

/* Any failure to convert (a str, an int too large) is "not a float", as in CPython. */
static int get_double(RtValue *v, double *out) {
    if ((rt_is_int(v) || rt_is_float(v)) && rt_as_double(v, out) == 0) return 0;
    if (RT_ERR()) rt_decref(rt_exc_fetch());
    struct_error("required argument is not a float");
    return -1;
}

/* IEEE 754 binary16, round-half-even, as PyFloat_Pack2. */
static int half_pack(double x, uint16_t *out) {
    uint16_t sign = signbit(x) ? 0x8000 : 0;
    if (isnan(x)) { *out = sign | 0x7e00; return 0; }
    x = fabs(x);
    if (isinf(x)) { *out = sign | 0x7c00; return 0; }
    if (x == 0) { *out = sign; return 0; }
    int e;
    double f = frexp(x, &e) * 2.0;      /* 1 <= f < 2 */
    e--;
    if (e >= 16) goto overflow;
    if (e < -14) { f = ldexp(f, e + 14); e = 0; }   /* subnormal: 0 <= f < 1 */
    else { e += 15; f -= 1.0; }
    double scaled = f * 1024.0;
    unsigned bits = (unsigned)scaled;
    double rem = scaled - bits;
    if (rem > 0.5 || (rem == 0.5 && (bits & 1))) bits++;
    if (bits == 1024) { bits = 0; if (++e == 31) goto overflow; }
    *out = (uint16_t)(sign | (unsigned)e << 10 | bits);
    return 0;
overflow:
    rt_raise(&rt_exc_OverflowError, "float too large to pack with e format");
    return -1;
}

static double half_unpack(uint16_t h) {
    int sign = h >> 15, e = (h >> 10) & 0x1f;
    unsigned f = h & 0x3ff;
    double x;
    if (e == 0x1f) x = f ? NAN : INFINITY;
    else if (e == 0) x = ldexp((double)f, -24);
    else x = ldexp((double)(f | 0x400), e - 25);
    return sign ? -x : x;
}

static int pack_float(const Fmt *f, char code, RtValue *v, unsigned char *p) {
    double d;
    if (get_double(v, &d) < 0) return -1;
    bool big = f->order == '>';
    if (code == 'e') {
        uint16_t h;
        if (half_pack(d, &h) < 0) return -1;
        put_uint(p, 2, h, big);
    } else if (code == 'f') {
        float x = (float)d;
        if (f->order != '@' && isinf(x) && !isinf(d)) {
            rt_raise(&rt_exc_OverflowError, "float too large to pack with f format");
            return -1;
        }
        uint32_t u;
        memcpy(&u, &x, 4);
        put_uint(p, 4, u, big);
    } else {
        uint64_t u;
        memcpy(&u, &d, 8);
        put_uint(p, 8, u, big);
    }
    return 0;
}

static RtValue *unpack_float(const Fmt *f, char code, const unsigned char *p) {
    bool big = f->order == '>';
    if (code == 'e') return rt_float(half_unpack((uint16_t)get_uint(p, 2, big)));
    if (code == 'f') {
        uint32_t u = (uint32_t)get_uint(p, 4, big);
        float x;
        memcpy(&x, &u, 4);
        return rt_float(x);
    }
    uint64_t u = get_uint(p, 8, big);
    double d;
    memcpy(&d, &u, 8);
    return rt_float(d);
}

/* ==== packing and unpacking ============================================================ */

static int bytes_arg(RtValue *v, const unsigned char **p, size_t *n) {
    if (rt_is_bytes(v)) { *p = ((RtBytes *)v)->data; *n = ((RtBytes *)v)->len; return 0; }
    if (rt_is_bytearray(v)) { *p = ((RtByteArray *)v)->data; *n = ((RtByteArray *)v)->len; return 0; }
    return -1;
}

/* One value for one code (not x, s, p) at p. */
static int pack_one(const Fmt *f, char code, RtValue *v, unsigned char *p) {
    const unsigned char *b;
    size_t n;
    switch (code) {
    case '?': {
        int t = rt_truthy(v);
        if (t < 0) return -1;
        *p = (unsigned char)t;
        return 0;
    }
    case 'c':
        if (bytes_arg(v, &b, &n) < 0 || n != 1)
            return struct_error("char format requires a bytes object of length 1"), -1;
        *p = b[0];
        return 0;
    case 'e': case 'f': case 'd':
        return pack_float(f, code, v, p);
    case 'P':
        return pack_int(f, 'N', v, p);
    default:
        return pack_int(f, code, v, p);
    }
}

/* 's' and 'p': a bytes value into a field of `count` bytes. */
static int pack_string(char code, int64_t count, RtValue *v, unsigned char *p) {
    const unsigned char *b;
    size_t n;
    if (bytes_arg(v, &b, &n) < 0) {
        rt_raise_fmt(&rt_exc_StructError, "argument for '%c' must be a bytes object", code);
        return -1;
    }
    if (code == 's') {
        memcpy(p, b, n < (size_t)count ? n : (size_t)count);
        return 0;
    }
    if (count == 0) return 0;
    size_t room = (size_t)count - 1;
    if (n > room) n = room;
    memcpy(p + 1, b, n);
    *p = (unsigned char)(n > 255 ? 255 : n);
    return 0;
}

/* Packs vals into out (f->size bytes, zeroed first, as CPython does). */
static int pack_items(const Fmt *f, unsigned char *out, RtValue *const *vals) {
    memset(out, 0, f->size);
    size_t k = 0;
    for (size_t i = 0; i < f->nitems; i++) {
        const Item *it = &f->items[i];
        unsigned char *p = out + it->offset;
        if (it->code == 'x') continue;
        if (it->code == 's' || it->code == 'p') {
            if (pack_string(it->code, it->count, vals[k++], p) < 0) return -1;
            continue;
        }
        int size = f->order == '@' ? native_size(it->code) : std_size(it->code);
        for (int64_t j = 0; j < it->count; j++)
            if (pack_one(f, it->code, vals[k++], p + j * size) < 0) return -1;
    }
    return 0;
}

static RtValue *unpack_one(const Fmt *f, char code, const unsigned char *p) {
    switch (code) {
    case '?': return rt_bool(*p != 0);
    case 'c': return rt_bytes_new(p, 1);
    case 'e': case 'f': case 'd': return unpack_float(f, code, p);
    case 'P': return unpack_int(f, 'N', p);
    default: return unpack_int(f, code, p);
    }
}

/* A tuple of the values in buf (f->size bytes). */
static RtValue *unpack_items(const Fmt *f, const unsigned char *buf) {
    RtValue *t = rt_tuple_new(f->nvalues);
    if (!t) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < f->nitems; i++) {
        const Item *it = &f->items[i];
        const unsigned char *p = buf + it->offset;
        if (it->code == 'x') continue;
        if (it->code == 's' || it->code == 'p') {
            size_t n = (size_t)it->count;
            RtValue *v;
            if (it->code == 's') v = rt_bytes_new(p, n);
            else {
                size_t len = n ? p[0] : 0;
                if (n && len >= n) len = n - 1;
                v = rt_bytes_new(n ? p + 1 : p, len);
            }
            if (!v) goto fail;
            RT_TUPLE_SET(t, k++, v);
            continue;
        }
        int size = f->order == '@' ? native_size(it->code) : std_size(it->code);
        for (int64_t j = 0; j < it->count; j++) {
            RtValue *v = unpack_one(f, it->code, p + j * size);
            if (!v) goto fail;
            RT_TUPLE_SET(t, k++, v);
        }
    }
    return t;
fail:
    for (size_t i = k; i < f->nvalues; i++) RT_TUPLE_SET(t, i, rt_newref(rt_None));
    rt_decref(t);
    return NULL;
}

/* ==== the module functions ============================================================== */

/* pack(format, v1, v2, ...) -> bytes */
RtValue *rt_struct_pack(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_no_kwargs("pack", kwnames) < 0) return NULL;
    if (nargs < 1) return rt_raise(&rt_exc_TypeError, "pack expected at least 1 argument, got 0");
    Fmt f;
    if (fmt_from_arg(args[0], &f) < 0) return NULL;
    RtValue *r = NULL;
    if (nargs - 1 != f.nvalues) {
        rt_raise_fmt(&rt_exc_StructError, "pack expected %d items for packing (got %d)",
                     (int)f.nvalues, (int)nargs - 1);
        goto done;
    }
    unsigned char *buf = rt_malloc(f.size + 1);
    if (!buf) goto done;
    if (pack_items(&f, buf, args + 1) == 0) r = rt_bytes_new(buf, f.size);
    rt_free(buf);
done:
    fmt_free(&f);
    return r;
}

int rt_struct_pack_buf(const char *fmt, unsigned char *out, size_t n, RtValue *const *vals, size_t nvals) {
    Fmt f;
    if (fmt_parse(fmt, strlen(fmt), &f) < 0) return -1;
    int r = -1;
    if (nvals != f.nvalues || n < f.size)
        rt_raise_fmt(&rt_exc_StructError, "pack expected %d items for packing (got %d)", (int)f.nvalues, (int)nvals);
    else
        r = pack_items(&f, out, vals);
    fmt_free(&f);
    return r;
}

/* pack_into(format, buffer, offset, v1, v2, ...) */
RtValue *rt_struct_pack_into(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_no_kwargs("pack_into", kwnames) < 0) return NULL;
    if (nargs < 1) return rt_raise(&rt_exc_TypeError, "pack_into expected at least 1 argument, got 0");
    Fmt f;
    if (fmt_from_arg(args[0], &f) < 0) return NULL;
    RtValue *r = NULL;
    unsigned char *buf;
    size_t len;
    int64_t off;
    if (nargs < 2) { struct_error("pack_into expected buffer argument"); goto done; }
    if (nargs < 3) { struct_error("pack_into expected offset argument"); goto done; }
    if (nargs - 3 != f.nvalues) {
        rt_raise_fmt(&rt_exc_StructError, "pack_into expected %d items for packing (got %d)",
                     (int)f.nvalues, (int)nargs - 3);
        goto done;
    }
    if (rt_shared_buffer(args[1], &buf, &len, true) < 0 || rt_index_as_i64(args[2], &off) < 0) goto done;
    if (off < 0) {
        if (off + (int64_t)f.size > 0) {
            rt_raise_fmt(&rt_exc_StructError, "no space to pack %d bytes at offset %lld", (int)f.size, (long long)off);
            goto done;
        }
        if (off + (int64_t)len < 0) {
            rt_raise_fmt(&rt_exc_StructError, "offset %lld out of range for %d-byte buffer", (long long)off, (int)len);
            goto done;
        }
        off += (int64_t)len;
    }
    if ((int64_t)len - off < (int64_t)f.size) {
        rt_raise_fmt(&rt_exc_StructError,
                     "pack_into requires a buffer of at least %lld bytes for packing %d bytes at offset %lld "
                     "(actual buffer size is %d)",
                     (long long)(f.size + (size_t)off), (int)f.size, (long long)off, (int)len);
        goto done;
    }
    if (pack_items(&f, buf + off, args + 3) == 0) r = rt_None;
done:
    fmt_free(&f);
    return r;
}

RtValue *rt_struct_unpack_buf(const char *fmt, const unsigned char *buf, size_t n) {
    Fmt f;
    if (fmt_parse(fmt, strlen(fmt), &f) < 0) return NULL;
    RtValue *r = NULL;
    if (n < f.size) rt_raise_fmt(&rt_exc_StructError, "unpack requires a buffer of %d bytes", (int)f.size);
    else r = unpack_items(&f, buf);
    fmt_free(&f);
    return r;
}

/* unpack(format, buffer) -> tuple */
RtValue *rt_struct_unpack(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("unpack", nargs, kwnames, 2, 2) < 0) return NULL;
    Fmt f;
    if (fmt_from_arg(args[0], &f) < 0) return NULL;
    RtValue *r = NULL;
    unsigned char *buf;
    size_t len;
    if (rt_shared_buffer(args[1], &buf, &len, false) < 0) goto done;
    if (len != f.size) {
        rt_raise_fmt(&rt_exc_StructError, "unpack requires a buffer of %d bytes", (int)f.size);
        goto done;
    }
    r = unpack_items(&f, buf);
done:
    fmt_free(&f);
    return r;
}

/* unpack_from(format, /, buffer, offset=0) */
RtValue *rt_struct_unpack_from(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const kw[] = {"format", "buffer", "offset"};
    static const RtArgSpec sp = {"unpack_from", kw, 3, 3, 2, true, false};
    RtValue *a[3];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    Fmt f;
    if (fmt_from_arg(a[0], &f) < 0) return NULL;
    RtValue *r = NULL;
    unsigned char *buf;
    size_t len;
    int64_t off = 0;
    if (rt_shared_buffer(a[1], &buf, &len, false) < 0 || (a[2] && rt_index_as_i64(a[2], &off) < 0)) goto done;
    if (off < 0) {
        if (off + (int64_t)len < 0) {
            rt_raise_fmt(&rt_exc_StructError, "offset %lld out of range for %d-byte buffer", (long long)off, (int)len);
            goto done;
        }
        off += (int64_t)len;
    }
    if ((int64_t)len - off < (int64_t)f.size) {
        rt_raise_fmt(&rt_exc_StructError,
                     "unpack_from requires a buffer of at least %lld bytes for unpacking %d bytes at offset %lld "
                     "(actual buffer size is %d)",
                     (long long)(f.size + (size_t)off), (int)f.size, (long long)off, (int)len);
        goto done;
    }
    r = unpack_items(&f, buf + off);
done:
    fmt_free(&f);
    return r;
}

/* iter_unpack(format, buffer): an iterator of tuples, one per f.size bytes. */
RtValue *rt_struct_iter_unpack(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("iter_unpack", nargs, kwnames, 2, 2) < 0) return NULL;
    Fmt f;
    if (fmt_from_arg(args[0], &f) < 0) return NULL;
    RtValue *r = NULL, *l = NULL;
    unsigned char *buf;
    size_t len;
    if (f.size == 0) { struct_error("cannot iteratively unpack with a struct of length 0"); goto done; }
    if (rt_shared_buffer(args[1], &buf, &len, false) < 0) goto done;
    if (len % f.size) {
        rt_raise_fmt(&rt_exc_StructError, "iterative unpacking requires a buffer of a multiple of %d bytes",
                     (int)f.size);
        goto done;
    }
    /* XXX: unpacks eagerly into a list; CPython's unpack_iterator is lazy. */
    if (!(l = rt_list_new(len / f.size))) goto done;
    for (size_t o = 0; o < len; o += f.size) {
        RtValue *t = unpack_items(&f, buf + o);
        if (!t || rt_list_append_steal(l, t) < 0) goto done;
    }
    r = rt_iter(l);
done:
    rt_xdecref(l);
    fmt_free(&f);
    return r;
}

/* calcsize(format) -> int */
RtValue *rt_struct_calcsize(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("calcsize", nargs, kwnames, 1, 1) < 0) return NULL;
    Fmt f;
    if (fmt_from_arg(args[0], &f) < 0) return NULL;
    fmt_free(&f);
    return rt_int((int64_t)f.size);
}

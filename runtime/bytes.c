/* bytes.c: Python's bytes and bytearray, and decoding bytes to str.
 *
 * bytes is immutable with its data allocated with the object; bytearray
 * owns a growable buffer. The methods are written once against a read-only
 * view (pointer, length) and return the receiver's kind, so b'..'.upper()
 * is bytes and bytearray(..).upper() is a bytearray, as in CPython. Byte
 * methods are ASCII-only by definition, so no Unicode tables are involved.
 *
 * Decoding implements the utf-8, ascii and latin-1 codecs with the strict,
 * ignore, replace and backslashreplace error handlers. The UTF-8 decoder
 * validates as CPython's does (no overlongs, no surrogates, nothing past
 * U+10FFFF) and reports the same byte ranges and reasons ("invalid start
 * byte", "invalid continuation byte", "unexpected end of data").
 */
#include "mp2c.h"

#include <stdio.h>
#include <string.h>

#define B(o) ((RtBytes *)(o))
#define BA(o) ((RtByteArray *)(o))

typedef struct { const unsigned char *p; size_t n; } View;

static inline bool is_bytes_like(const RtValue *o) { return rt_is_bytes(o) || rt_is_bytearray(o); }

static inline View view_of(RtValue *o) {
    if (rt_is_bytes(o)) return (View){B(o)->data, B(o)->len};
    return (View){BA(o)->data ? BA(o)->data : (const unsigned char *)"", BA(o)->len};
}

/* A bytes-like argument, or TypeError "a bytes-like object is required". */
static int need_view(RtValue *o, View *v) {
    if (is_bytes_like(o)) { *v = view_of(o); return 0; }
    rt_raise_fmt(&rt_exc_TypeError, "a bytes-like object is required, not '%s'", rt_type_name(o));
    return -1;
}

/* ==== construction =========================================================== */

static RtBytes *bytes_alloc(size_t n) {
    RtBytes *b = (RtBytes *)rt_obj_alloc(&rt_type_bytes, sizeof(RtBytes) + n + 1);
    if (!b) return NULL;
    b->hash = -1;
    b->len = n;
    b->data[n] = 0;
    return b;
}

static RtBytes empty_bytes = {RT_STATIC_HEAD(&rt_type_bytes), -1, 0};

RtValue *rt_bytes_new(const void *p, size_t n) {
    if (n == 0) return (RtValue *)&empty_bytes;
    RtBytes *b = bytes_alloc(n);
    if (!b) return NULL;
    memcpy(b->data, p, n);
    return (RtValue *)b;
}

RtValue *rt_bytes_const(const void *p, size_t n) {
    RtValue *b = rt_bytes_new(p, n);
    if (b) b->rc = RT_IMMORTAL;
    return b;
}

static int ba_reserve(RtByteArray *a, size_t need) {
    if (need + 1 <= a->cap) return 0;
    size_t cap = need + (need >> 3) + 8;
    unsigned char *p = rt_realloc(a->data, cap);
    if (!p) return -1;
    a->data = p;
    a->cap = cap;
    return 0;
}

RtValue *rt_bytearray_new(const void *p, size_t n) {
    RtByteArray *a = (RtByteArray *)rt_obj_alloc(&rt_type_bytearray, sizeof(RtByteArray));
    if (!a) return NULL;
    if (n && ba_reserve(a, n) < 0) { rt_decref((RtValue *)a); return NULL; }
    if (n) {
        memcpy(a->data, p, n);
        a->data[n] = 0;
    }
    a->len = n;
    return (RtValue *)a;
}

/* A result of the same kind as `like` (bytes or bytearray). */
static RtValue *same_kind(RtValue *like, const void *p, size_t n) {
    return rt_is_bytearray(like) ? rt_bytearray_new(p, n) : rt_bytes_new(p, n);
}

static void bytearray_dealloc(RtValue *self) { rt_free(BA(self)->data); }

/* A byte value from an int, with CPython's range error. */
static int byte_of(RtValue *o, const char *range_msg, unsigned char *out) {
    int64_t v;
    if (rt_index_as_i64(o, &v) < 0) {
        if (rt_is_int(o) && rt_exc_matches((RtValue *)&rt_exc_OverflowError) == 1) {
            rt_decref(rt_exc_fetch());
            rt_raise(&rt_exc_ValueError, range_msg);
        }
        return -1;
    }
    if (v < 0 || v > 255) { rt_raise(&rt_exc_ValueError, range_msg); return -1; }
    *out = (unsigned char)v;
    return 0;
}

/* Collects the bytes of an iterable of ints into a growable buffer;
 * range_msg is the error for an int outside 0..255. */
static int bytes_from_iterable(RtValue *o, const char *range_msg, unsigned char **out, size_t *n) {
    RtValue *it = rt_iter(o);
    if (!it) return -1;
    size_t cap = 16, len = 0;
    unsigned char *buf = rt_malloc(cap);
    RtValue *v;
    if (!buf) { rt_decref(it); return -1; }
    while ((v = rt_iter_next(it)) != NULL) {
        unsigned char c;
        int rc = byte_of(v, range_msg, &c);
        rt_decref(v);
        if (rc < 0) goto fail;
        if (len == cap) {
            unsigned char *p = rt_realloc(buf, cap *= 2);
            if (!p) goto fail;
            buf = p;
        }
        buf[len++] = c;
    }
    if (RT_ERR()) goto fail;
    rt_decref(it);
    *out = buf;
    *n = len;
    return 0;
fail:
    rt_decref(it);
    rt_free(buf);
    return -1;
}

/* The bytes a constructor argument stands for: a copy for bytes-like, zeros
 * for an int, the items of an iterable of ints. *buf is rt_malloc'd. `kind`
 * ("bytes" or "bytearray") words the errors as CPython's constructors do. */
static int source_bytes(RtValue *o, const char *kind, unsigned char **buf, size_t *n) {
    if (is_bytes_like(o)) {
        View v = view_of(o);
        *buf = rt_malloc(v.n ? v.n : 1);
        if (!*buf) return -1;
        memcpy(*buf, v.p, v.n);
        *n = v.n;
        return 0;
    }
    if (rt_is_int(o)) {
        int64_t k;
        if (rt_index_as_i64(o, &k) < 0) return -1;
        if (k < 0) { rt_raise(&rt_exc_ValueError, "negative count"); return -1; }
        *buf = rt_calloc((size_t)k ? (size_t)k : 1, 1);
        if (!*buf) return -1;
        *n = (size_t)k;
        return 0;
    }
    if (rt_is_str(o)) { rt_raise(&rt_exc_TypeError, "string argument without an encoding"); return -1; }
    if (!o->type->iter) {
        rt_raise_fmt(&rt_exc_TypeError, "cannot convert '%s' object to %s", rt_type_name(o), kind);
        return -1;
    }
    return bytes_from_iterable(o, !strcmp(kind, "bytearray") ? "byte must be in range(0, 256)" : "bytes must be in range(0, 256)",
                               buf, n);
}

RtValue *rt_bytes_from_object(RtValue *o) {
    if (rt_is_bytes(o)) return rt_newref(o);
    unsigned char *buf;
    size_t n;
    if (source_bytes(o, "bytes", &buf, &n) < 0) return NULL;
    RtValue *r = rt_bytes_new(buf, n);
    rt_free(buf);
    return r;
}

/* Shared by bytes() and bytearray(): (source, encoding, errors). */
static RtValue *construct_common(const char *fname, bool mutable, RtValue *const *args, size_t nargs,
                                 RtValue *kw) {
    static const char *const names[] = {"source", "encoding", "errors"};
    RtValue *a[3];
    if (rt_parse_args(fname, args, nargs, kw, names, 3, 0, 0, 0, a) < 0) return NULL;
    if (a[1] || a[2]) {
        if (!a[0] || !rt_is_str(a[0]))
            return rt_raise(&rt_exc_TypeError, a[1] ? "encoding without a string argument"
                                                    : "errors without a string argument");
        for (int k = 1; k < 3; k++)
            if (a[k] && !rt_is_str(a[k]))
                return rt_raise_fmt(&rt_exc_TypeError, "%s() argument '%s' must be str, not %s", fname,
                                    names[k], rt_type_name(a[k]));
        if (!a[1]) return rt_raise(&rt_exc_TypeError, "string argument without an encoding");
        RtValue *enc = rt_str_encode(a[0], rt_str_data(a[1]), a[2] ? rt_str_data(a[2]) : NULL);
        if (!enc || !mutable) return enc;
        RtValue *r = rt_bytearray_new(B(enc)->data, B(enc)->len);
        rt_decref(enc);
        return r;
    }
    if (!a[0]) return mutable ? rt_bytearray_new(NULL, 0) : rt_bytes_new(NULL, 0);
    if (!mutable) return rt_bytes_from_object(a[0]);
    unsigned char *buf;
    size_t n;
    if (source_bytes(a[0], "bytearray", &buf, &n) < 0) return NULL;
    RtValue *r = rt_bytearray_new(buf, n);
    rt_free(buf);
    return r;
}

static RtValue *bytes_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    return construct_common("bytes", false, args, nargs, kw);
}

static RtValue *bytearray_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)type;
    return construct_common("bytearray", true, args, nargs, kw);
}

/* ==== decoding ================================================================= */

typedef enum { DE_STRICT, DE_IGNORE, DE_REPLACE, DE_BACKSLASH, DE_BAD } DecErr;

static DecErr dec_errors(const char *e) {
    if (!e || !strcmp(e, "strict")) return DE_STRICT;
    if (!strcmp(e, "ignore")) return DE_IGNORE;
    if (!strcmp(e, "replace")) return DE_REPLACE;
    if (!strcmp(e, "backslashreplace")) return DE_BACKSLASH;
    return DE_BAD;
}

static RtValue *decode_error(const char *enc, const unsigned char *p, size_t start, size_t end,
                             const char *reason, DecErr mode, const char *errname) {
    if (mode == DE_BAD) return rt_raise_fmt(&rt_exc_LookupError, "unknown error handler name '%s'", errname);
    if (end == start + 1) {
        char hex[8];
        snprintf(hex, sizeof hex, "0x%02x", p[start]);   /* rt_raise_fmt has no field widths */
        return rt_raise_fmt(&rt_exc_UnicodeDecodeError, "'%s' codec can't decode byte %s in position %zu: %s",
                            enc, hex, start, reason);
    }
    return rt_raise_fmt(&rt_exc_UnicodeDecodeError, "'%s' codec can't decode bytes in position %zu-%zu: %s",
                        enc, start, end - 1, reason);
}

/* Applies a non-strict handler to bad bytes [start, end). */
static void decode_substitute(RtStrBuf *b, const unsigned char *p, size_t start, size_t end, DecErr mode) {
    static const char hex[] = "0123456789abcdef";
    if (mode == DE_REPLACE) { rt_strbuf_put_cp(b, 0xFFFD); return; }
    if (mode != DE_BACKSLASH) return;
    for (size_t i = start; i < end; i++) {
        char esc[4] = {'\\', 'x', hex[p[i] >> 4], hex[p[i] & 15]};
        rt_strbuf_put_ascii(b, esc, 4);
    }
}

/* Length of the valid UTF-8 sequence at p[i], or 0 with *bad (bytes to skip)
 * and *reason set. */
static size_t utf8_check(const unsigned char *p, size_t n, size_t i, size_t *bad, const char **reason) {
    unsigned char c = p[i];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *bad = 1;
        *reason = "invalid start byte";
        return 0;
    }
    for (size_t k = 1; k <= need; k++) {
        if (i + k >= n) { *bad = n - i; *reason = "unexpected end of data"; return 0; }
        unsigned char d = p[i + k];
        unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (d < l || d > h) { *bad = k; *reason = "invalid continuation byte"; return 0; }
    }
    return need + 1;
}

static RtValue *decode_utf8(const unsigned char *p, size_t n, DecErr mode, const char *errname) {
    size_t i = 0;
    while (i < n && p[i] < 0x80) i++;           /* ASCII prefix: the common case */
    if (i == n) return rt_str_new_ncp((const char *)p, n, n);
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_ascii(&b, (const char *)p, i);
    while (i < n) {
        size_t bad;
        const char *reason;
        size_t k = utf8_check(p, n, i, &bad, &reason);
        if (k) { rt_strbuf_put(&b, (const char *)p + i, k, 1); i += k; continue; }
        if (mode == DE_STRICT || mode == DE_BAD) {
            rt_strbuf_free(&b);
            return decode_error("utf-8", p, i, i + bad, reason, mode, errname);
        }
        decode_substitute(&b, p, i, i + bad, mode);
        i += bad;
    }
    return rt_strbuf_finish(&b);
}

static RtValue *decode_8bit(const unsigned char *p, size_t n, bool ascii, DecErr mode, const char *errname) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80 || !ascii) { rt_strbuf_put_cp(&b, p[i]); continue; }
        if (mode == DE_STRICT || mode == DE_BAD) {
            rt_strbuf_free(&b);
            return decode_error("ascii", p, i, i + 1, "ordinal not in range(128)", mode, errname);
        }
        decode_substitute(&b, p, i, i + 1, mode);
    }
    return rt_strbuf_finish(&b);
}

/* Normalises a codec name: lower case, '_' and ' ' as '-'. */
static int codec_of(const char *name) {
    char norm[32];
    size_t n = 0;
    for (; name[n] && n < sizeof norm - 1; n++) {
        char c = name[n];
        norm[n] = (c >= 'A' && c <= 'Z') ? c + 32 : (c == '_' || c == ' ') ? '-' : c;
    }
    if (name[n]) return -1;
    norm[n] = 0;
    if (!strcmp(norm, "utf-8") || !strcmp(norm, "utf8") || !strcmp(norm, "u8") || !strcmp(norm, "utf") ||
        !strcmp(norm, "cp65001"))
        return 0;
    if (!strcmp(norm, "ascii") || !strcmp(norm, "us-ascii") || !strcmp(norm, "646") || !strcmp(norm, "us"))
        return 1;
    if (!strcmp(norm, "latin-1") || !strcmp(norm, "latin1") || !strcmp(norm, "iso-8859-1") ||
        !strcmp(norm, "iso8859-1") || !strcmp(norm, "8859") || !strcmp(norm, "cp819") || !strcmp(norm, "l1") ||
        !strcmp(norm, "latin") || !strcmp(norm, "iso-ir-100"))
        return 2;
    return -1;
}

RtValue *rt_bytes_decode(const void *data, size_t n, const char *encoding, const char *errors) {
    const unsigned char *p = data ? data : (const unsigned char *)"";
    int codec = encoding ? codec_of(encoding) : 0;
    if (codec < 0) return rt_raise_fmt(&rt_exc_LookupError, "unknown encoding: %s", encoding);
    DecErr mode = dec_errors(errors);
    if (codec == 0) return decode_utf8(p, n, mode, errors);
    return decode_8bit(p, n, codec == 1, mode, errors);
}

static int opt_str(RtValue *o, const char *fname, const char *argname, const char **out) {
    if (!o) return 0;
    if (!rt_is_str(o)) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() argument '%s' must be str, not %s", fname, argname,
                     rt_type_name(o));
        return -1;
    }
    *out = rt_str_data(o);
    return 0;
}

RtValue *rt_bytes_m_decode(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"encoding", "errors"};
    RtValue *a[2];
    if (rt_parse_args("decode", args, nargs, kw, names, 2, 0, 0, 0, a) < 0) return NULL;
    const char *enc = NULL, *err = NULL;
    if (opt_str(a[0], "decode", "encoding", &enc) < 0 || opt_str(a[1], "decode", "errors", &err) < 0)
        return NULL;
    View v = view_of(self);
    return rt_bytes_decode(v.p, v.n, enc, err);
}

/* ==== repr, hash, comparison ================================================== */

int rt_bytes_repr_into(RtStrBuf *b, const unsigned char *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    bool sq = memchr(p, '\'', n) != NULL, dq = memchr(p, '"', n) != NULL;
    char quote = (sq && !dq) ? '"' : '\'';
    rt_strbuf_putc(b, 'b');
    rt_strbuf_putc(b, quote);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        char esc[4] = {'\\', 0, 0, 0};
        size_t k = 2;
        if (c == (unsigned char)quote || c == '\\') esc[1] = (char)c;
        else if (c == '\t') esc[1] = 't';
        else if (c == '\n') esc[1] = 'n';
        else if (c == '\r') esc[1] = 'r';
        else if (c < 0x20 || c >= 0x7F) { esc[1] = 'x'; esc[2] = hex[c >> 4]; esc[3] = hex[c & 15]; k = 4; }
        else { rt_strbuf_putc(b, (char)c); continue; }
        rt_strbuf_put_ascii(b, esc, k);
    }
    return rt_strbuf_putc(b, quote);
}

static RtValue *bytes_repr(RtValue *self) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    View v = view_of(self);
    if (rt_is_bytearray(self)) rt_strbuf_put_ascii(&b, "bytearray(", 10);
    rt_bytes_repr_into(&b, v.p, v.n);
    if (rt_is_bytearray(self)) rt_strbuf_putc(&b, ')');
    return rt_strbuf_finish(&b);
}

/* str(b) is repr(b) (CPython warns only under -b). */
static int bytes_hash(RtValue *self, int64_t *out) {
    if (B(self)->hash == -1) B(self)->hash = rt_hash_bytes(B(self)->data, B(self)->len);
    *out = B(self)->hash;
    return 0;
}

static int view_cmp(View a, View b) {
    int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
    if (c) return c;
    return a.n < b.n ? -1 : a.n > b.n;
}

static RtValue *bytes_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (!is_bytes_like(a) || !is_bytes_like(b)) return rt_NotImplemented;
    View x = view_of(a), y = view_of(b);
    if ((op == RT_EQ || op == RT_NE) && x.n != y.n) return rt_bool(op == RT_NE);
    int c = view_cmp(x, y);
    switch (op) {
    case RT_LT: return rt_bool(c < 0);
    case RT_LE: return rt_bool(c <= 0);
    case RT_EQ: return rt_bool(c == 0);
    case RT_NE: return rt_bool(c != 0);
    case RT_GT: return rt_bool(c > 0);
    default:    return rt_bool(c >= 0);
    }
}

/* ==== operators ================================================================= */

static RtValue *concat(RtValue *a, RtValue *b) {
    View x = view_of(a), y = view_of(b);
    if (rt_is_bytes(a)) {
        if (y.n == 0) return rt_newref(a);
        RtBytes *r = bytes_alloc(x.n + y.n);
        if (!r) return NULL;
        memcpy(r->data, x.p, x.n);
        memcpy(r->data + x.n, y.p, y.n);
        return (RtValue *)r;
    }
    RtValue *r = rt_bytearray_new(x.p, x.n);
    if (!r) return NULL;
    if (ba_reserve(BA(r), x.n + y.n) < 0) { rt_decref(r); return NULL; }
    memcpy(BA(r)->data + x.n, y.p, y.n);
    BA(r)->len = x.n + y.n;
    BA(r)->data[BA(r)->len] = 0;
    return r;
}

static RtValue *repeat(RtValue *self, RtValue *count) {
    if (!rt_is_int(count))
        return rt_raise_fmt(&rt_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                            rt_type_name(count));
    int64_t k;
    if (rt_repeat_count(count, &k) < 0) return NULL;
    View v = view_of(self);
    if (k <= 0 || v.n == 0) return same_kind(self, NULL, 0);
    if ((uint64_t)k > (SIZE_MAX / 2) / v.n) return rt_raise(&rt_exc_MemoryError, "");
    size_t total = v.n * (size_t)k;
    unsigned char *buf = rt_malloc(total);
    if (!buf) return NULL;
    for (size_t i = 0; i < total; i += v.n) memcpy(buf + i, v.p, v.n);
    RtValue *r = same_kind(self, buf, total);
    rt_free(buf);
    return r;
}

static RtValue *bytes_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (op == RT_ADD && is_bytes_like(a)) {
        if (is_bytes_like(b)) return concat(a, b);
        if (b->type->flags & RT_TF_HEAP) return rt_NotImplemented;
        return rt_raise_fmt(&rt_exc_TypeError, "can't concat %s to %s", rt_type_name(b), rt_type_name(a));
    }
    if (op == RT_MUL) {
        RtValue *s = is_bytes_like(a) ? a : b, *n = is_bytes_like(a) ? b : a;
        if (!rt_is_int(n)) return rt_NotImplemented;   /* the core words the error */
        return repeat(s, n);
    }
    if (op == RT_MOD && is_bytes_like(a)) {
        if (rt_is_bytes(a)) return rt_bytes_percent(a, b);
        RtValue *fmt = rt_bytes_new(BA(a)->data, BA(a)->len);
        RtValue *r = fmt ? rt_bytes_percent(fmt, b) : NULL;
        rt_xdecref(fmt);
        if (!r || !rt_is_bytes(r)) return r;
        RtValue *ba = rt_bytearray_new(B(r)->data, B(r)->len);
        rt_decref(r);
        return ba;
    }
    return rt_NotImplemented;
}

/* Appends n bytes to a bytearray. */
static int ba_append(RtByteArray *a, const void *p, size_t n) {
    if (ba_reserve(a, a->len + n) < 0) return -1;
    memmove(a->data + a->len, p, n);
    a->len += n;
    a->data[a->len] = 0;
    return 0;
}

static RtValue *bytearray_inplace(RtValue *a, RtValue *b, RtBinOp op) {
    if (!rt_is_bytearray(a)) return rt_NotImplemented;
    if (op == RT_ADD) {
        View v;
        if (!is_bytes_like(b))
            return rt_raise_fmt(&rt_exc_TypeError, "can't concat %s to bytearray", rt_type_name(b));
        v = view_of(b);
        if (ba_append(BA(a), v.p, v.n) < 0) return NULL;
        return rt_newref(a);
    }
    if (op == RT_MUL) {
        RtValue *r = repeat(a, b);
        if (!r) return NULL;
        RtByteArray *x = BA(a), *y = BA(r);
        unsigned char *t = x->data; x->data = y->data; y->data = t;   /* adopt the buffer */
        size_t n = x->len; x->len = y->len; y->len = n;
        n = x->cap; x->cap = y->cap; y->cap = n;
        rt_decref(r);
        return rt_newref(a);
    }
    return rt_NotImplemented;
}

static int bytes_truthy(RtValue *self) { return view_of(self).n != 0; }
static int64_t bytes_len(RtValue *self) { return (int64_t)view_of(self).n; }

/* ==== indexing =================================================================== */

static RtValue *bytes_getitem(RtValue *self, RtValue *key) {
    View v = view_of(self);
    if (rt_is_slice(key)) {
        int64_t start, stop, step, n;
        if (rt_slice_indices(key, (int64_t)v.n, &start, &stop, &step, &n) < 0) return NULL;
        if (step == 1) {
            if (rt_is_bytes(self) && n == (int64_t)v.n) return rt_newref(self);
            return same_kind(self, v.p + start, (size_t)n);
        }
        unsigned char *buf = rt_malloc(n ? (size_t)n : 1);
        if (!buf) return NULL;
        for (int64_t k = 0; k < n; k++) buf[k] = v.p[start + k * step];
        RtValue *r = same_kind(self, buf, (size_t)n);
        rt_free(buf);
        return r;
    }
    int64_t i;
    if (rt_seq_index_arg(key, &i, rt_is_bytes(self) ? "byte" : "bytearray") < 0) return NULL;
    if (i < 0) i += (int64_t)v.n;
    if (i < 0 || (uint64_t)i >= v.n)
        return rt_raise(&rt_exc_IndexError, rt_is_bytes(self) ? "index out of range" : "bytearray index out of range");
    return rt_int(v.p[i]);
}

/* bytearray[a:b] = bytes-like or iterable of ints (step 1). */
static int ba_assign_range(RtByteArray *a, size_t lo, size_t hi, const unsigned char *p, size_t n) {
    size_t old = hi - lo;
    if (n > old && ba_reserve(a, a->len + n - old) < 0) return -1;
    if (a->data) memmove(a->data + lo + n, a->data + hi, a->len - hi);
    if (n) memcpy(a->data + lo, p, n);
    a->len = a->len - old + n;
    if (a->data) a->data[a->len] = 0;
    return 0;
}

static int ba_assign_slice(RtByteArray *a, RtValue *slice, RtValue *v) {
    int64_t start, stop, step, n;
    if (rt_slice_indices(slice, (int64_t)a->len, &start, &stop, &step, &n) < 0) return -1;
    unsigned char *buf = NULL;
    size_t bn = 0;
    if (v) {
        if (rt_is_int(v)) {
            rt_raise(&rt_exc_TypeError, "can assign only bytes, buffers, or iterables of ints in range(0, 256)");
            return -1;
        }
        if (source_bytes(v, "bytearray", &buf, &bn) < 0) return -1;
    }
    int rc = 0;
    if (step == 1) {
        size_t lo = (size_t)start, hi = stop < start ? lo : (size_t)stop;
        rc = ba_assign_range(a, lo, hi, buf, bn);
    } else if (!v) {
        if (step < 0) { start = start + step * (n - 1); step = -step; }
        size_t w = (size_t)start, nd = 0;
        for (size_t r = (size_t)start; r < a->len; r++) {
            if (nd < (size_t)n && r == (size_t)start + nd * (size_t)step) { nd++; continue; }
            a->data[w++] = a->data[r];
        }
        a->len = w;
        if (a->data) a->data[w] = 0;
    } else if ((int64_t)bn != n) {
        rt_raise_fmt(&rt_exc_ValueError, "attempt to assign bytes of size %zu to extended slice of size %lld",
                     bn, (long long)n);
        rc = -1;
    } else {
        for (int64_t k = 0; k < n; k++) a->data[start + k * step] = buf[k];
    }
    rt_free(buf);
    return rc;
}

static int bytearray_setitem(RtValue *self, RtValue *key, RtValue *v) {
    RtByteArray *a = BA(self);
    if (rt_is_slice(key)) return ba_assign_slice(a, key, v);
    int64_t i;
    if (rt_seq_index_arg(key, &i, "bytearray") < 0) return -1;
    if (i < 0) i += (int64_t)a->len;
    if (i < 0 || (uint64_t)i >= a->len) {
        rt_raise(&rt_exc_IndexError, "bytearray index out of range");
        return -1;
    }
    if (!v) return ba_assign_range(a, (size_t)i, (size_t)i + 1, NULL, 0);
    unsigned char c;
    if (byte_of(v, "byte must be in range(0, 256)", &c) < 0) return -1;
    a->data[i] = c;
    return 0;
}

/* ==== searching ================================================================== */

static int64_t vfind(View h, size_t from, size_t to, View nd) {
    if (to > h.n) to = h.n;
    if (to < from || to - from < nd.n) return -1;
    if (nd.n == 0) return (int64_t)from;
    const unsigned char *p = memmem(h.p + from, to - from, nd.p, nd.n);
    return p ? p - h.p : -1;
}

static int64_t vrfind(View h, size_t from, size_t to, View nd) {
    if (to > h.n) to = h.n;
    if (to < from || to - from < nd.n) return -1;
    if (nd.n == 0) return (int64_t)to;
    for (size_t i = to - nd.n + 1; i-- > from;)
        if (memcmp(h.p + i, nd.p, nd.n) == 0) return (int64_t)i;
    return -1;
}

static int bytes_contains(RtValue *self, RtValue *item) {
    View h = view_of(self), nd;
    unsigned char c;
    if (rt_is_int(item)) {
        if (byte_of(item, "byte must be in range(0, 256)", &c) < 0) return -1;
        return memchr(h.p, c, h.n) != NULL;
    }
    if (need_view(item, &nd) < 0) return -1;
    return vfind(h, 0, h.n, nd) >= 0;
}

/* (sub, start, end) where sub is bytes-like or an int; *one holds an int's byte. */
static int parse_sub(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw, View *sub,
                     unsigned char *one, int64_t *start, int64_t *end, int64_t len) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs < 1 || nargs > 3) {
        rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "%s expected at least 1 argument, got %zu"
                                                  : "%s expected at most 3 arguments, got %zu",
                     fname, nargs);
        return -1;
    }
    if (rt_is_int(args[0])) {
        if (byte_of(args[0], "byte must be in range(0, 256)", one) < 0) return -1;
        *sub = (View){one, 1};
    } else if (!is_bytes_like(args[0])) {
        rt_raise_fmt(&rt_exc_TypeError, "argument should be integer or bytes-like object, not '%s'",
                     rt_type_name(args[0]));
        return -1;
    } else {
        *sub = view_of(args[0]);
    }
    *start = 0;
    *end = INT64_MAX;
    if (nargs > 1 && rt_slice_index_arg(args[1], start) < 0) return -1;
    if (nargs > 2 && rt_slice_index_arg(args[2], end) < 0) return -1;
    if (*end > len) *end = len;
    else if (*end < 0) { *end += len; if (*end < 0) *end = 0; }
    if (*start < 0) { *start += len; if (*start < 0) *start = 0; }
    return 0;
}

static RtValue *find_common(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                            RtValue *kw, bool reverse, bool raise) {
    View h = view_of(self), sub;
    unsigned char one;
    int64_t start, end;
    if (parse_sub(fname, args, nargs, kw, &sub, &one, &start, &end, (int64_t)h.n) < 0) return NULL;
    int64_t r = start > end ? -1 : reverse ? vrfind(h, (size_t)start, (size_t)end, sub)
                                            : vfind(h, (size_t)start, (size_t)end, sub);
    if (r < 0 && raise) return rt_raise(&rt_exc_ValueError, "subsection not found");
    return rt_int(r);
}

RtValue *rt_bytes_m_find(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return find_common(self, "find", a, n, kw, false, false);
}
RtValue *rt_bytes_m_rfind(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return find_common(self, "rfind", a, n, kw, true, false);
}
RtValue *rt_bytes_m_index(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return find_common(self, "index", a, n, kw, false, true);
}
RtValue *rt_bytes_m_rindex(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return find_common(self, "rindex", a, n, kw, true, true);
}

RtValue *rt_bytes_m_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    View h = view_of(self), sub;
    unsigned char one;
    int64_t start, end;
    if (parse_sub("count", args, nargs, kw, &sub, &one, &start, &end, (int64_t)h.n) < 0) return NULL;
    if (start > end) return rt_int(0);
    if (sub.n == 0) return rt_int(end - start + 1);
    int64_t n = 0;
    size_t from = (size_t)start;
    for (int64_t p; (p = vfind(h, from, (size_t)end, sub)) >= 0; from = (size_t)p + sub.n) n++;
    return rt_int(n);
}

static RtValue *starts_ends(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                           RtValue *kw, bool at_end) {
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs < 1 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, "%s expected at least 1 argument, got %zu", fname, nargs);
    View h = view_of(self);
    int64_t start = 0, end = INT64_MAX, len = (int64_t)h.n;
    if (nargs > 1 && rt_slice_index_arg(args[1], &start) < 0) return NULL;
    if (nargs > 2 && rt_slice_index_arg(args[2], &end) < 0) return NULL;
    if (end > len) end = len;
    else if (end < 0) { end += len; if (end < 0) end = 0; }
    if (start < 0) { start += len; if (start < 0) start = 0; }
    RtValue *pfx = args[0];
    size_t count = rt_is_tuple(pfx) ? RT_TUPLE_LEN(pfx) : 1;
    for (size_t i = 0; i < count; i++) {
        RtValue *p = rt_is_tuple(pfx) ? RT_TUPLE_GET(pfx, i) : pfx;
        if (!is_bytes_like(p)) {
            if (rt_is_tuple(pfx))
                return rt_raise_fmt(&rt_exc_TypeError, "a bytes-like object is required, not '%s'", rt_type_name(p));
            return rt_raise_fmt(&rt_exc_TypeError, "%s first arg must be bytes or a tuple of bytes, not %s",
                                fname, rt_type_name(p));
        }
        View s = view_of(p);
        if (end - (int64_t)s.n < start) continue;
        size_t off = at_end ? (size_t)(end - (int64_t)s.n) : (size_t)start;
        if (memcmp(h.p + off, s.p, s.n) == 0) return rt_True;
    }
    return rt_False;
}

RtValue *rt_bytes_m_startswith(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return starts_ends(self, "startswith", a, n, kw, false);
}
RtValue *rt_bytes_m_endswith(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return starts_ends(self, "endswith", a, n, kw, true);
}

/* ==== transforming methods ======================================================= */

static inline bool b_isspace(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13); }

static int push_piece(RtValue *list, RtValue *like, const unsigned char *p, size_t n) {
    RtValue *v = same_kind(like, p, n);
    return v ? rt_list_append_steal(list, v) : -1;
}

static void reverse_list(RtValue *list) {
    RtList *l = (RtList *)list;
    for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
        RtValue *t = l->items[i]; l->items[i] = l->items[j - 1]; l->items[j - 1] = t;
    }
}

static RtValue *split_common(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                             RtValue *kw, bool reverse) {
    static const char *const names[] = {"sep", "maxsplit"};
    RtValue *a[2];
    if (rt_parse_args(fname, args, nargs, kw, names, 2, 0, 0, 0, a) < 0) return NULL;
    int64_t maxsplit = -1;
    if (a[1] && rt_index_as_i64(a[1], &maxsplit) < 0) return NULL;
    if (maxsplit < 0) maxsplit = INT64_MAX;
    View h = view_of(self), sep = {NULL, 0};
    if (a[0] && a[0] != rt_None) {
        if (need_view(a[0], &sep) < 0) return NULL;
        if (sep.n == 0) return rt_raise(&rt_exc_ValueError, "empty separator");
    }
    RtValue *list = rt_list_new(0);
    if (!list) return NULL;
    if (!sep.p) {                              /* runs of ASCII whitespace */
        size_t i = reverse ? h.n : 0;
        while (reverse ? i > 0 : i < h.n) {
            if (!reverse) {
                while (i < h.n && b_isspace(h.p[i])) i++;
                if (i == h.n) break;
                if (maxsplit-- == 0) { if (push_piece(list, self, h.p + i, h.n - i) < 0) goto fail; break; }
                size_t j = i;
                while (j < h.n && !b_isspace(h.p[j])) j++;
                if (push_piece(list, self, h.p + i, j - i) < 0) goto fail;
                i = j;
            } else {
                while (i > 0 && b_isspace(h.p[i - 1])) i--;
                if (i == 0) break;
                if (maxsplit-- == 0) { if (push_piece(list, self, h.p, i) < 0) goto fail; break; }
                size_t j = i;
                while (j > 0 && !b_isspace(h.p[j - 1])) j--;
                if (push_piece(list, self, h.p + j, i - j) < 0) goto fail;
                i = j;
            }
        }
    } else if (!reverse) {
        size_t from = 0;
        for (int64_t p; maxsplit-- > 0 && (p = vfind(h, from, h.n, sep)) >= 0; from = (size_t)p + sep.n)
            if (push_piece(list, self, h.p + from, (size_t)p - from) < 0) goto fail;
        if (push_piece(list, self, h.p + from, h.n - from) < 0) goto fail;
    } else {
        size_t to = h.n;
        for (int64_t p; maxsplit-- > 0 && (p = vrfind(h, 0, to, sep)) >= 0; to = (size_t)p)
            if (push_piece(list, self, h.p + p + sep.n, to - (size_t)p - sep.n) < 0) goto fail;
        if (push_piece(list, self, h.p, to) < 0) goto fail;
    }
    if (reverse) reverse_list(list);
    return list;
fail:
    rt_decref(list);
    return NULL;
}

RtValue *rt_bytes_m_split(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return split_common(self, "split", a, n, kw, false);
}
RtValue *rt_bytes_m_rsplit(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return split_common(self, "rsplit", a, n, kw, true);
}

static RtValue *strip_common(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                             RtValue *kw, bool left, bool right) {
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs > 1) return rt_raise_fmt(&rt_exc_TypeError, "%s expected at most 1 argument, got %zu", fname, nargs);
    View h = view_of(self), chars = {NULL, 0};
    if (nargs == 1 && args[0] != rt_None && need_view(args[0], &chars) < 0) return NULL;
    size_t i = 0, j = h.n;
    if (left)
        while (i < j && (chars.p ? memchr(chars.p, h.p[i], chars.n) != NULL : b_isspace(h.p[i]))) i++;
    if (right)
        while (j > i && (chars.p ? memchr(chars.p, h.p[j - 1], chars.n) != NULL : b_isspace(h.p[j - 1]))) j--;
    if (i == 0 && j == h.n && rt_is_bytes(self)) return rt_newref(self);
    return same_kind(self, h.p + i, j - i);
}

RtValue *rt_bytes_m_strip(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return strip_common(self, "strip", a, n, kw, true, true);
}
RtValue *rt_bytes_m_lstrip(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return strip_common(self, "lstrip", a, n, kw, true, false);
}
RtValue *rt_bytes_m_rstrip(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    return strip_common(self, "rstrip", a, n, kw, false, true);
}

RtValue *rt_bytes_m_join(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("join", kw) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "join() takes exactly one argument (%zu given)", nargs);
    RtValue *seq = rt_list_from_iter(args[0]);
    if (!seq) return NULL;
    View sep = view_of(self);
    size_t n = RT_LIST_LEN(seq), total = n ? sep.n * (n - 1) : 0;
    RtValue *r = NULL;
    for (size_t i = 0; i < n; i++) {
        RtValue *it = RT_LIST_GET(seq, i);
        if (!is_bytes_like(it)) {
            rt_raise_fmt(&rt_exc_TypeError, "sequence item %zu: expected a bytes-like object, %s found", i,
                         rt_type_name(it));
            goto done;
        }
        total += view_of(it).n;
    }
    unsigned char *buf = rt_malloc(total ? total : 1), *p = buf;
    if (!buf) goto done;
    for (size_t i = 0; i < n; i++) {
        View v = view_of(RT_LIST_GET(seq, i));
        if (i) { memcpy(p, sep.p, sep.n); p += sep.n; }
        memcpy(p, v.p, v.n);
        p += v.n;
    }
    r = same_kind(self, buf, total);
    rt_free(buf);
done:
    rt_decref(seq);
    return r;
}

RtValue *rt_bytes_m_replace(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("replace", kw) < 0) return NULL;
    if (nargs < 2 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, "replace expected at least 2 arguments, got %zu", nargs);
    View h = view_of(self), old, new;
    if (need_view(args[0], &old) < 0 || need_view(args[1], &new) < 0) return NULL;
    int64_t count = -1;
    if (nargs == 3 && rt_index_as_i64(args[2], &count) < 0) return NULL;
    size_t max = count < 0 ? SIZE_MAX : (size_t)count, cap = h.n + 16, len = 0, n = 0;
    unsigned char *buf = rt_malloc(cap);
    if (!buf) return NULL;
#define PUT(src, k) do {                                                      \
        size_t k_ = (k);                                                      \
        if (len + k_ > cap) {                                                 \
            while (len + k_ > cap) cap *= 2;                                  \
            unsigned char *q_ = rt_realloc(buf, cap);                         \
            if (!q_) { rt_free(buf); return NULL; }                           \
            buf = q_;                                                         \
        }                                                                     \
        memcpy(buf + len, (src), k_);                                         \
        len += k_;                                                            \
    } while (0)
    if (old.n == 0) {
        for (size_t i = 0; i <= h.n; i++) {
            if (n < max) { PUT(new.p, new.n); n++; }
            if (i < h.n) PUT(h.p + i, 1);
        }
    } else {
        size_t from = 0;
        for (int64_t p; n < max && (p = vfind(h, from, h.n, old)) >= 0; from = (size_t)p + old.n, n++) {
            PUT(h.p + from, (size_t)p - from);
            PUT(new.p, new.n);
        }
        PUT(h.p + from, h.n - from);
    }
#undef PUT
    RtValue *r = same_kind(self, buf, len);
    rt_free(buf);
    return r;
}

static RtValue *map_bytes(RtValue *self, size_t nargs, RtValue *kw, const char *fname, int mode) {
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", fname, nargs);
    View h = view_of(self);
    unsigned char *buf = rt_malloc(h.n ? h.n : 1);
    if (!buf) return NULL;
    for (size_t i = 0; i < h.n; i++) {
        unsigned char c = h.p[i];
        bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
        if (mode == 0 && lo) c -= 32;
        else if (mode == 1 && up) c += 32;
        else if (mode == 2 && (up || lo)) c ^= 32;
        buf[i] = c;
    }
    RtValue *r = same_kind(self, buf, h.n);
    rt_free(buf);
    return r;
}

RtValue *rt_bytes_m_upper(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a;
    return map_bytes(self, n, kw, "upper", 0);
}
RtValue *rt_bytes_m_lower(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a;
    return map_bytes(self, n, kw, "lower", 1);
}
RtValue *rt_bytes_m_swapcase(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a;
    return map_bytes(self, n, kw, "swapcase", 2);
}

typedef bool (*BytePred)(unsigned char);
static bool p_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool p_alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static bool p_alnum(unsigned char c) { return p_digit(c) || p_alpha(c); }
static bool p_space(unsigned char c) { return b_isspace(c); }

static RtValue *all_bytes(RtValue *self, size_t nargs, RtValue *kw, const char *fname, BytePred pred) {
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", fname, nargs);
    View h = view_of(self);
    if (h.n == 0) return rt_False;
    for (size_t i = 0; i < h.n; i++) if (!pred(h.p[i])) return rt_False;
    return rt_True;
}

RtValue *rt_bytes_m_isdigit(RtValue *s, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a;
    return all_bytes(s, n, kw, "isdigit", p_digit);
}
RtValue *rt_bytes_m_isalpha(RtValue *s, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a;
    return all_bytes(s, n, kw, "isalpha", p_alpha);
}
RtValue *rt_bytes_m_isalnum(RtValue *s, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a;
    return all_bytes(s, n, kw, "isalnum", p_alnum);
}
RtValue *rt_bytes_m_isspace(RtValue *s, RtValue *const *a, size_t n, RtValue *kw) {
    (void)a;
    return all_bytes(s, n, kw, "isspace", p_space);
}

static RtValue *partition_common(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw, bool rev) {
    const char *fname = rev ? "rpartition" : "partition";
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "%s() takes exactly one argument (%zu given)", fname, nargs);
    View h = view_of(self), sep;
    if (need_view(args[0], &sep) < 0) return NULL;
    if (sep.n == 0) return rt_raise(&rt_exc_ValueError, "empty separator");
    int64_t p = rev ? vrfind(h, 0, h.n, sep) : vfind(h, 0, h.n, sep);
    RtValue *x, *y, *z;
    if (p < 0) {
        x = rev ? same_kind(self, NULL, 0) : same_kind(self, h.p, h.n);
        y = same_kind(self, NULL, 0);
        z = rev ? same_kind(self, h.p, h.n) : same_kind(self, NULL, 0);
    } else {
        x = same_kind(self, h.p, (size_t)p);
        y = same_kind(self, sep.p, sep.n);
        z = same_kind(self, h.p + p + sep.n, h.n - (size_t)p - sep.n);
    }
    RtValue *t = x && y && z ? rt_tuple_pack(3, x, y, z) : NULL;
    rt_xdecref(x);
    rt_xdecref(y);
    rt_xdecref(z);
    return t;
}

RtValue *rt_bytes_m_partition(RtValue *s, RtValue *const *a, size_t n, RtValue *kw) {
    return partition_common(s, a, n, kw, false);
}
RtValue *rt_bytes_m_rpartition(RtValue *s, RtValue *const *a, size_t n, RtValue *kw) {
    return partition_common(s, a, n, kw, true);
}

/* b.hex(sep=None, bytes_per_sep=1): sep goes between groups counted from
 * the right (bytes_per_sep > 0) or from the left (< 0). */
RtValue *rt_bytes_m_hex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"sep", "bytes_per_sep"};
    static const char hex[] = "0123456789abcdef";
    RtValue *a[2];
    if (rt_parse_args("hex", args, nargs, kw, names, 2, 0, 0, 0, a) < 0) return NULL;
    char sep = 0;
    int64_t per = 1;
    if (a[0]) {
        View s;
        size_t len;
        if (rt_is_str(a[0])) {
            s = (View){(const unsigned char *)rt_str_data(a[0]), rt_str_nbytes(a[0])};
            len = ((RtStr *)a[0])->ncp;
        } else if (is_bytes_like(a[0])) {
            s = view_of(a[0]);
            len = s.n;
        } else {
            int64_t n = rt_len(a[0]);              /* CPython asks for len(sep) first */
            if (n < 0) return NULL;
            return rt_raise(&rt_exc_TypeError, "sep must be str or bytes.");
        }
        if (len != 1) return rt_raise(&rt_exc_ValueError, "sep must be length 1.");
        if (s.p[0] >= 0x80) return rt_raise(&rt_exc_ValueError, "sep must be ASCII.");
        sep = (char)s.p[0];
    }
    if (a[1] && rt_int_as_i64(a[1], &per) < 0) return NULL;
    View h = view_of(self);
    RtStrBuf b;
    rt_strbuf_init(&b);
    size_t group = (size_t)(per < 0 ? -per : per);
    for (size_t i = 0; i < h.n; i++) {
        if (sep && group && i > 0) {
            size_t pos = per > 0 ? h.n - i : i;   /* bytes to the right (or left) of the gap */
            if (pos % group == 0) rt_strbuf_putc(&b, sep);
        }
        char d[2] = {hex[h.p[i] >> 4], hex[h.p[i] & 15]};
        rt_strbuf_put_ascii(&b, d, 2);
    }
    return rt_strbuf_finish(&b);
}

static int hexval(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if ((c | 32) >= 'a' && (c | 32) <= 'f') return (c | 32) - 'a' + 10;
    return -1;
}

/* bytes.fromhex(string) / bytearray.fromhex(string): a class method (see
 * rt_type_add_classmethod). */
RtValue *rt_bytes_m_fromhex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtType *type = rt_classmethod_target(self, &args, &nargs, &rt_type_bytes);
    if (rt_no_kwargs("fromhex", kw) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "fromhex() takes exactly one argument (%zu given)", nargs);
    RtValue *s = args[0];
    if (!rt_is_str(s)) return rt_raise_fmt(&rt_exc_TypeError, "fromhex() argument must be str, not %s", rt_type_name(s));
    const unsigned char *p = (const unsigned char *)rt_str_data(s);
    size_t n = rt_str_nbytes(s), len = 0;
    unsigned char *buf = rt_malloc(n / 2 + 1);
    if (!buf) return NULL;
    for (size_t i = 0; i < n;) {
        if (b_isspace(p[i])) { i++; continue; }
        int hi = hexval(p[i]), lo = i + 1 < n ? hexval(p[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
            rt_free(buf);
            size_t pos = hi < 0 ? i : i + 1;
            return rt_raise_fmt(&rt_exc_ValueError, "non-hexadecimal number found in fromhex() arg at position %zu",
                                rt_is_str(s) ? pos : pos);
        }
        buf[len++] = (unsigned char)(hi * 16 + lo);
        i += 2;
    }
    bool mutable = type == &rt_type_bytearray;
    RtValue *r = mutable ? rt_bytearray_new(buf, len) : rt_bytes_new(buf, len);
    rt_free(buf);
    return r;
}

/* ==== bytearray mutation ========================================================== */

RtValue *rt_bytearray_m_append(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("append", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "bytearray.append() takes exactly one argument (%zu given)", nargs);
    unsigned char c;
    if (byte_of(args[0], "byte must be in range(0, 256)", &c) < 0) return NULL;
    if (ba_append(BA(self), &c, 1) < 0) return NULL;
    return rt_None;
}

RtValue *rt_bytearray_m_extend(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("extend", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "bytearray.extend() takes exactly one argument (%zu given)", nargs);
    unsigned char *buf;
    size_t n;
    if (rt_is_int(args[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "can't extend bytearray with %s", rt_type_name(args[0]));
    int got = rt_is_str(args[0]) ? bytes_from_iterable(args[0], "byte must be in range(0, 256)", &buf, &n)
                                 : source_bytes(args[0], "bytearray", &buf, &n);   /* a str iterates */
    if (got < 0) return NULL;
    int rc = ba_append(BA(self), buf, n);
    rt_free(buf);
    return rc < 0 ? NULL : rt_None;
}

RtValue *rt_bytearray_m_pop(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("pop", kw) < 0) return NULL;
    if (nargs > 1) return rt_raise_fmt(&rt_exc_TypeError, "pop expected at most 1 argument, got %zu", nargs);
    RtByteArray *a = BA(self);
    int64_t i = -1;
    if (nargs && rt_index_as_i64(args[0], &i) < 0) return NULL;
    if (a->len == 0) return rt_raise(&rt_exc_IndexError, "pop from empty bytearray");
    if (i < 0) i += (int64_t)a->len;
    if (i < 0 || (uint64_t)i >= a->len) return rt_raise(&rt_exc_IndexError, "pop index out of range");
    unsigned char c = a->data[i];
    ba_assign_range(a, (size_t)i, (size_t)i + 1, NULL, 0);
    return rt_int(c);
}

RtValue *rt_bytearray_m_insert(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("insert", kw) < 0) return NULL;
    if (nargs != 2) return rt_raise_fmt(&rt_exc_TypeError, "insert expected 2 arguments, got %zu", nargs);
    RtByteArray *a = BA(self);
    int64_t i;
    unsigned char c;
    if (rt_index_as_i64(args[0], &i) < 0 || byte_of(args[1], "byte must be in range(0, 256)", &c) < 0) return NULL;
    if (i < 0) { i += (int64_t)a->len; if (i < 0) i = 0; }
    if ((uint64_t)i > a->len) i = (int64_t)a->len;
    if (ba_assign_range(a, (size_t)i, (size_t)i, &c, 1) < 0) return NULL;
    return rt_None;
}

RtValue *rt_bytearray_m_remove(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("remove", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "bytearray.remove() takes exactly one argument (%zu given)", nargs);
    unsigned char c;
    if (byte_of(args[0], "byte must be in range(0, 256)", &c) < 0) return NULL;
    RtByteArray *a = BA(self);
    unsigned char *p = a->len ? memchr(a->data, c, a->len) : NULL;
    if (!p) return rt_raise(&rt_exc_ValueError, "value not found in bytearray");
    ba_assign_range(a, (size_t)(p - a->data), (size_t)(p - a->data) + 1, NULL, 0);
    return rt_None;
}

RtValue *rt_bytearray_m_clear(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_no_kwargs("clear", kw) < 0) return NULL;
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "bytearray.clear() takes no arguments (%zu given)", nargs);
    BA(self)->len = 0;
    if (BA(self)->data) BA(self)->data[0] = 0;
    return rt_None;
}

RtValue *rt_bytearray_m_copy(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_no_kwargs("copy", kw) < 0) return NULL;
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "bytearray.copy() takes no arguments (%zu given)", nargs);
    return rt_bytearray_new(BA(self)->data, BA(self)->len);
}

RtValue *rt_bytearray_m_reverse(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_no_kwargs("reverse", kw) < 0) return NULL;
    if (nargs) return rt_raise_fmt(&rt_exc_TypeError, "bytearray.reverse() takes no arguments (%zu given)", nargs);
    RtByteArray *a = BA(self);
    for (size_t i = 0, j = a->len; i + 1 < j; i++, j--) {
        unsigned char t = a->data[i]; a->data[i] = a->data[j - 1]; a->data[j - 1] = t;
    }
    return rt_None;
}

/* ==== the types ==================================================================== */

static RtValue *bytes_iter(RtValue *self) { return rt_bytes_iter_new(self); }

#define COMMON_METHODS                                  \
    {"decode", rt_bytes_m_decode},                      \
    {"hex", rt_bytes_m_hex},                            \
    {"join", rt_bytes_m_join},                          \
    {"split", rt_bytes_m_split},                        \
    {"rsplit", rt_bytes_m_rsplit},                      \
    {"strip", rt_bytes_m_strip},                        \
    {"lstrip", rt_bytes_m_lstrip},                      \
    {"rstrip", rt_bytes_m_rstrip},                      \
    {"startswith", rt_bytes_m_startswith},              \
    {"endswith", rt_bytes_m_endswith},                  \
    {"find", rt_bytes_m_find},                          \
    {"rfind", rt_bytes_m_rfind},                        \
    {"index", rt_bytes_m_index},                        \
    {"rindex", rt_bytes_m_rindex},                      \
    {"count", rt_bytes_m_count},                        \
    {"replace", rt_bytes_m_replace},                    \
    {"upper", rt_bytes_m_upper},                        \
    {"lower", rt_bytes_m_lower},                        \
    {"swapcase", rt_bytes_m_swapcase},                  \
    {"isdigit", rt_bytes_m_isdigit},                    \
    {"isalpha", rt_bytes_m_isalpha},                    \
    {"isalnum", rt_bytes_m_isalnum},                    \
    {"isspace", rt_bytes_m_isspace},                    \
    {"partition", rt_bytes_m_partition},                \
    {"rpartition", rt_bytes_m_rpartition}

static const RtMethodDef bytes_methods[] = {COMMON_METHODS, {NULL, NULL}};

static const RtMethodDef bytearray_methods[] = {
    COMMON_METHODS,
    {"append", rt_bytearray_m_append},
    {"extend", rt_bytearray_m_extend},
    {"pop", rt_bytearray_m_pop},
    {"insert", rt_bytearray_m_insert},
    {"remove", rt_bytearray_m_remove},
    {"clear", rt_bytearray_m_clear},
    {"copy", rt_bytearray_m_copy},
    {"reverse", rt_bytearray_m_reverse},
    {NULL, NULL},
};

RtType rt_type_bytes = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "bytes",
    .tag = RT_T_BYTES,
    .base = &rt_type_object,
    .size = sizeof(RtBytes),
    .table_index = -1,
    .repr = bytes_repr,
    .hash = bytes_hash,
    .richcompare = bytes_richcompare,
    .binop = bytes_binop,
    .truthy = bytes_truthy,
    .len = bytes_len,
    .getitem = bytes_getitem,
    .contains = bytes_contains,
    .iter = bytes_iter,
    .construct = bytes_construct,
    .methods = bytes_methods,
};

RtType rt_type_bytearray = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "bytearray",
    .tag = RT_T_BYTEARRAY,
    .base = &rt_type_object,
    .size = sizeof(RtByteArray),
    .table_index = -1,
    .dealloc = bytearray_dealloc,
    .repr = bytes_repr,
    .richcompare = bytes_richcompare,
    .binop = bytes_binop,
    .inplace = bytearray_inplace,
    .truthy = bytes_truthy,
    .len = bytes_len,
    .getitem = bytes_getitem,
    .setitem = bytearray_setitem,
    .contains = bytes_contains,
    .iter = bytes_iter,
    .construct = bytearray_construct,
    .methods = bytearray_methods,
};

/* test_format.c: format(), str % args, bytes % args, str.format and
 * format_map against CPython 3.11.
 *
 * The tables come from gen_format_expected.py (format_expected.h); values
 * are written in its small notation, decoded by value() below. Each test
 * reports every mismatch, then fails once.
 */
#include "mp2c.h"
#include <stdio.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>    /* after the system headers: it redefines malloc */
#include "format_expected.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    memcpy(d, s, n);
    return d;
}

static double hex16(const char *s) {
    char buf[17];
    memcpy(buf, s, 16);
    buf[16] = '\0';
    uint64_t u = strtoull(buf, NULL, 16);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* UTF-8 text whose code points are all < 256 (latin-1) to raw bytes. */
static size_t latin1_bytes(const char *s, size_t n, unsigned char *out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) out[k++] = c;
        else out[k++] = (unsigned char)(((c & 0x03) << 6) | (s[++i] & 0x3f));
    }
    return k;
}

/* Raw bytes to UTF-8 text (each byte a latin-1 code point). Caller frees. */
static char *bytes_as_text(const unsigned char *p, size_t n) {
    char *t = malloc(2 * n + 1), *o = t;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80) *o++ = (char)p[i];
        else {
            *o++ = (char)(0xc0 | (p[i] >> 6));
            *o++ = (char)(0x80 | (p[i] & 0x3f));
        }
    }
    *o = '\0';
    return t;
}

/* A value from the generator's notation (see lit() there). New reference. */
static RtValue *value_n(const char *s, size_t n) {
    switch (s[0]) {
    case 'i': {
        return rt_int_from_text(s + 1, n - 1, 10);
    }
    case 'b': return rt_bool(s[1] == '1');
    case 'f': return rt_float(hex16(s + 1));
    case 'c': return rt_complex(hex16(s + 1), hex16(s + 17));
    case 's': return rt_str_new(s + 1, n - 1);
    case 'n': return rt_None;
    case 'y': {
        unsigned char buf[256];
        size_t k = latin1_bytes(s + 1, n - 1, buf);
        return rt_bytes_new(buf, k);
    }
    case 'l': {
        RtValue *l = rt_list_new(2), *one = rt_int(1), *a = rt_str_from_cstr("a");
        assert_int_equal(rt_list_append(l, one), 0);
        assert_int_equal(rt_list_append(l, a), 0);
        rt_decref(a);
        return l;
    }
    case 't': return rt_tuple_pack(2, rt_int(1), rt_int(2));
    case 'D': {
        RtValue *d = rt_dict_new(), *k = rt_str_from_cstr("a"), *v = rt_int(5);
        assert_int_equal(rt_dict_set(d, k, v), 0);
        rt_decref(k);
        return d;
    }
    }
    fail_msg("bad value %s", s);
    return NULL;
}

static RtValue *value(const char *s) { return value_n(s, strlen(s)); }

/* Splits "a\1b\1c" into items (pointers into a copy the caller frees). */
static size_t split(const char *s, char **copy, const char **items, size_t max) {
    *copy = xstrdup(s);
    if (!**copy) return 0;
    size_t n = 0;
    for (char *p = *copy;;) {
        assert_true(n < max);
        items[n++] = p;
        char *q = strchr(p, '\1');
        if (!q) break;
        *q = '\0';
        p = q + 1;
    }
    return n;
}

/* The text of a str result (bytes as latin-1), or "!Type: message". */
static char *outcome(RtValue *r) {
    char *out;
    if (r) {
        if (rt_is_bytes(r)) out = bytes_as_text(((RtBytes *)r)->data, ((RtBytes *)r)->len);
        else if (rt_is_str(r)) out = xstrdup(rt_str_data(r));
        else out = xstrdup("<not a str>");
        rt_decref(r);
        return out;
    }
    assert_non_null(rt_exc_pending);
    RtValue *e = rt_exc_fetch();
    RtValue *msg = rt_exc_str(e);
    assert_non_null(msg);
    size_t n = strlen(e->type->name) + rt_str_nbytes(msg) + 4;
    out = malloc(n);
    snprintf(out, n, "!%s: %s", e->type->name, rt_str_data(msg));
    rt_decref(msg);
    rt_decref(e);
    return out;
}

static int failures;

static void check(const char *what, const char *detail, char *got, const char *want) {
    if (strcmp(got, want) != 0 && failures++ < 60)
        print_error("%s [%s]: got '%s', want '%s'\n", what, detail, got, want);
    free(got);
}

static void finish(void) {
    assert_null(rt_exc_pending);
    assert_int_equal(failures, 0);
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_format_spec(void **state) {
    (void)state;
    failures = 0;
    for (size_t i = 0; i < N(format_cases); i++) {
        RtValue *v = value(format_cases[i].value), *spec = rt_str_from_cstr(format_cases[i].spec);
        RtValue *args[2] = {v, spec};
        char what[128];
        snprintf(what, sizeof what, "format(%s, '%s')", format_cases[i].value, format_cases[i].spec);
        check(what, "builtin", outcome(rt_bi_format(NULL, args, 2, NULL)), format_cases[i].result);
        /* the typed entry points agree with the builtin */
        const char *sp = format_cases[i].spec;
        if (v->type == &rt_type_int) {
            int64_t x;
            if (rt_int_as_i64(v, &x) == 0)
                check(what, "i64", outcome(rt_format_i64(x, sp, strlen(sp))), format_cases[i].result);
            else
                RT_CLEAR(rt_exc_pending);
        } else if (rt_is_float(v)) {
            check(what, "f64", outcome(rt_format_f64(rt_float_val(v), sp, strlen(sp))), format_cases[i].result);
        }
        rt_decref(v);
        rt_decref(spec);
    }
    finish();
}

/* The right operand of %: a tuple, one value, or a dict {'a': ..., 'b': ...}. */
static RtValue *percent_args(char mode, const char *desc) {
    char *copy;
    const char *items[8];
    size_t n = split(desc, &copy, items, 8);
    RtValue *r;
    if (mode == '1') {
        r = value(items[0]);
    } else if (mode == 't') {
        r = rt_tuple_new(n);
        for (size_t i = 0; i < n; i++) RT_TUPLE_SET(r, i, value(items[i]));
    } else {
        r = rt_dict_new();
        for (size_t i = 0; i + 1 < n; i += 2) {
            RtValue *k = rt_str_from_cstr(items[i]), *v = value(items[i + 1]);
            assert_int_equal(rt_dict_set(r, k, v), 0);
            rt_decref(k);
            rt_decref(v);
        }
    }
    free(copy);
    return r;
}

static void test_percent(void **state) {
    (void)state;
    failures = 0;
    for (size_t i = 0; i < N(percent_cases); i++) {
        RtValue *fmt = rt_str_from_cstr(percent_cases[i].fmt);
        RtValue *args = percent_args(percent_cases[i].mode, percent_cases[i].args);
        check(percent_cases[i].fmt, percent_cases[i].args, outcome(rt_str_percent(fmt, args)),
              percent_cases[i].result);
        rt_decref(fmt);
        rt_decref(args);
    }
    for (size_t i = 0; i < N(bytes_percent_cases); i++) {
        unsigned char buf[64];
        const char *f = bytes_percent_cases[i].fmt;
        size_t n = latin1_bytes(f, strlen(f), buf);
        RtValue *fmt = rt_bytes_new(buf, n);
        RtValue *args = percent_args(bytes_percent_cases[i].mode, bytes_percent_cases[i].args);
        check(f, "bytes", outcome(rt_bytes_percent(fmt, args)), bytes_percent_cases[i].result);
        rt_decref(fmt);
        rt_decref(args);
    }
    finish();
}

static void test_str_format(void **state) {
    (void)state;
    failures = 0;
    for (size_t i = 0; i < N(strformat_cases); i++) {
        char *pc, *kc;
        const char *pos[8], *kw[8];
        size_t np = split(strformat_cases[i].args, &pc, pos, 8);
        size_t nk = split(strformat_cases[i].kwargs, &kc, kw, 8) / 2;
        RtValue *argv[16];
        for (size_t k = 0; k < np; k++) argv[k] = value(pos[k]);
        RtValue *kwnames = nk ? rt_tuple_new(nk) : NULL;
        for (size_t k = 0; k < nk; k++) {
            RT_TUPLE_SET(kwnames, k, rt_str_from_cstr(kw[2 * k]));
            argv[np + k] = value(kw[2 * k + 1]);
        }
        RtValue *fmt = rt_str_from_cstr(strformat_cases[i].fmt);
        check(strformat_cases[i].fmt, strformat_cases[i].args, outcome(rt_str_m_format(fmt, argv, np, kwnames)),
              strformat_cases[i].result);
        for (size_t k = 0; k < np + nk; k++) rt_decref(argv[k]);
        rt_xdecref(kwnames);
        rt_decref(fmt);
        free(pc);
        free(kc);
    }
    for (size_t i = 0; i < N(format_map_cases); i++) {
        RtValue *m = percent_args('d', format_map_cases[i].mapping);
        RtValue *fmt = rt_str_from_cstr(format_map_cases[i].fmt);
        check(format_map_cases[i].fmt, "format_map", outcome(rt_str_m_format_map(fmt, &m, 1, NULL)),
              format_map_cases[i].result);
        rt_decref(m);
        rt_decref(fmt);
    }
    finish();
}

static void test_hex_oct_bin(void **state) {
    (void)state;
    failures = 0;
    for (size_t i = 0; i < N(hexoctbin_cases); i++) {
        RtValue *v = value(hexoctbin_cases[i].value);
        check("hex", hexoctbin_cases[i].value, outcome(rt_bi_hex(NULL, &v, 1, NULL)), hexoctbin_cases[i].hex);
        check("oct", hexoctbin_cases[i].value, outcome(rt_bi_oct(NULL, &v, 1, NULL)), hexoctbin_cases[i].oct);
        check("bin", hexoctbin_cases[i].value, outcome(rt_bi_bin(NULL, &v, 1, NULL)), hexoctbin_cases[i].bin);
        rt_decref(v);
    }
    finish();
}

/* Every allocation failure inside formatting surfaces as MemoryError. */
static void test_out_of_memory(void **state) {
    (void)state;
    RtValue *v = rt_float(1234567.891), *fmt = rt_str_from_cstr("{0:>20,.2f}|{0}|%s");
    for (long k = 0; k < 64; k++) {
        rt_alloc_fail_after(k);
        RtValue *r = rt_str_m_format(fmt, &v, 1, NULL);
        rt_alloc_fail_after(-1);
        if (r) {
            rt_decref(r);
            break;
        }
        assert_non_null(rt_exc_pending);
        RT_CLEAR(rt_exc_pending);
    }
    for (long k = 0; k < 64; k++) {
        rt_alloc_fail_after(k);
        RtValue *r = rt_str_percent(fmt, v);
        rt_alloc_fail_after(-1);
        if (r) {
            rt_decref(r);
            break;
        }
        assert_non_null(rt_exc_pending);
        RT_CLEAR(rt_exc_pending);
    }
    rt_decref(v);
    rt_decref(fmt);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_spec),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_str_format),
        cmocka_unit_test(test_hex_oct_bin),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_num.c: int, bool, float and complex against CPython 3.11.
 *
 * The cases are tables in num_expected.h, written by gen_num_expected.py
 * running CPython: each row is an operation and what CPython printed (repr
 * of the result, or "!Type: message" for an exception). Each test walks one
 * table, runs the operation through the runtime and compares the text, then
 * reports every mismatch before failing, so one run shows them all.
 */
#include "mp2c.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>    /* after the system headers: it redefines malloc */
#include "num_expected.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers --------------------------------------------------------------- */

/* strdup through cmocka's malloc, so that the test's own leaks show too. */
static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    memcpy(d, s, n);
    return d;
}

static double bits_to_double(uint64_t u) {
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static double hex16(const char *s) {
    char buf[17];
    memcpy(buf, s, 16);
    buf[16] = '\0';
    return bits_to_double(strtoull(buf, NULL, 16));
}

/* A number from the generator's notation: "i-7", "p1100" (2**1100), "b1",
 * "f<16 hex>", "c<16 hex><16 hex>". New reference. */
static RtValue *num(const char *lit) {
    switch (lit[0]) {
    case 'i': return rt_int_from_text(lit + 1, strlen(lit + 1), 10);
    case 'b': return rt_bool(lit[1] == '1');
    case 'f': return rt_float(hex16(lit + 1));
    case 'c': return rt_complex(hex16(lit + 1), hex16(lit + 17));
    case 'p': {
        bool neg = lit[1] == '-';
        RtValue *one = rt_int(neg ? -1 : 1), *sh = rt_int(atoi(lit + 1 + neg));
        RtValue *r = rt_binop(one, sh, RT_LSHIFT);
        rt_decref(one);
        rt_decref(sh);
        return r;
    }
    }
    fail_msg("bad literal %s", lit);
    return NULL;
}

/* What Python would print for a result: its repr, or "!Type: message" when
 * r is NULL (the pending exception is consumed). Caller frees. */
static char *outcome(RtValue *r) {
    char *out;
    if (r) {
        RtValue *s = rt_repr(r);
        rt_decref(r);
        if (s) {
            out = xstrdup(rt_str_data(s));
            rt_decref(s);
            return out;
        }
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

/* Compares and frees; prints a line per mismatch. */
static void check(const char *what, char *got, const char *want) {
    if (strcmp(got, want) != 0) {
        if (failures++ < 40) print_error("%s: got %s, want %s\n", what, got, want);
    }
    free(got);
}

static void start(void) { failures = 0; }
static void finish(void) {
    assert_null(rt_exc_pending);
    assert_int_equal(failures, 0);
}

/* ---- float repr ------------------------------------------------------------ */

static void test_float_repr(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(float_repr_cases); i++) {
        double d = bits_to_double(float_repr_cases[i].bits);
        char buf[32];
        size_t n = rt_f64_repr(d, buf, sizeof buf);
        assert_int_equal(n, strlen(buf));
        check("rt_f64_repr", xstrdup(buf), float_repr_cases[i].repr);
        check("repr(float)", outcome(rt_float(d)), float_repr_cases[i].repr);
    }
    finish();
}

/* ---- arithmetic -------------------------------------------------------------- */

static void test_int_binop(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(int_binop_cases); i++) {
        RtValue *a = rt_int_from_text(int_binop_cases[i].a, strlen(int_binop_cases[i].a), 10);
        RtValue *b = rt_int_from_text(int_binop_cases[i].b, strlen(int_binop_cases[i].b), 10);
        char what[200];
        snprintf(what, sizeof what, "%s op%d %s", int_binop_cases[i].a, int_binop_cases[i].op, int_binop_cases[i].b);
        check(what, outcome(rt_binop(a, b, int_binop_cases[i].op)), int_binop_cases[i].result);
        rt_decref(a);
        rt_decref(b);
    }
    finish();
}

static void test_mixed_binop(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(mixed_binop_cases); i++) {
        RtValue *a = num(mixed_binop_cases[i].a), *b = num(mixed_binop_cases[i].b);
        char what[200];
        snprintf(what, sizeof what, "%s op%d %s", mixed_binop_cases[i].a, mixed_binop_cases[i].op,
                 mixed_binop_cases[i].b);
        check(what, outcome(rt_binop(a, b, mixed_binop_cases[i].op)), mixed_binop_cases[i].result);
        rt_decref(a);
        rt_decref(b);
    }
    finish();
}

static void test_compare(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(compare_cases); i++) {
        RtValue *a = num(compare_cases[i].a), *b = num(compare_cases[i].b);
        char what[200];
        snprintf(what, sizeof what, "%s cmp%d %s", compare_cases[i].a, compare_cases[i].op, compare_cases[i].b);
        check(what, outcome(rt_richcompare(a, b, compare_cases[i].op)), compare_cases[i].result);
        rt_decref(a);
        rt_decref(b);
    }
    finish();
}

static void test_hash(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(hash_cases); i++) {
        RtValue *v = num(hash_cases[i].v);
        int64_t h;
        assert_int_equal(rt_hash(v, &h), 0);
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)h);
        check(hash_cases[i].v, xstrdup(buf), hash_cases[i].result);
        rt_decref(v);
    }
    finish();
}

static void test_unary(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(unary_cases); i++) {
        RtValue *v = num(unary_cases[i].v);
        check(unary_cases[i].v, outcome(rt_unary(v, unary_cases[i].op)), unary_cases[i].result);
        rt_decref(v);
    }
    finish();
}

/* ---- parsing ------------------------------------------------------------------- */

static void test_int_from_text(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(int_text_cases); i++) {
        const char *t = int_text_cases[i].text;
        char *got = outcome(rt_int_from_text(t, strlen(t), int_text_cases[i].base));
        if (strlen(got) > 300) {       /* the generator shortens long results */
            char buf[64];
            snprintf(buf, sizeof buf, "%.20s...%zu chars", got, strlen(got));
            free(got);
            got = xstrdup(buf);
        }
        check(t, got, int_text_cases[i].result);
    }
    finish();
}

static RtValue *call1(RtType *t, RtValue *arg) {
    RtValue *args[1] = {arg};
    return rt_call((RtValue *)t, args, arg ? 1 : 0, NULL);
}

static void test_float_from_text(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(float_text_cases); i++) {
        const char *t = float_text_cases[i].text;
        check(t, outcome(rt_float_from_text(t, strlen(t))), float_text_cases[i].result);
        RtValue *s = rt_str_from_cstr(t);
        check(t, outcome(call1(&rt_type_float, s)), float_text_cases[i].result);
        rt_decref(s);
    }
    for (size_t i = 0; i < N(complex_text_cases); i++) {
        RtValue *s = rt_str_from_cstr(complex_text_cases[i].text);
        check(complex_text_cases[i].text, outcome(call1(&rt_type_complex, s)), complex_text_cases[i].result);
        rt_decref(s);
    }
    finish();
}

static void test_conversions(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(int_to_float_cases); i++) {
        const char *t = int_to_float_cases[i].v;
        RtValue *v = rt_int_from_text(t, strlen(t), 10);
        check(t, outcome(call1(&rt_type_float, v)), int_to_float_cases[i].result);
        rt_decref(v);
    }
    for (size_t i = 0; i < N(float_to_int_cases); i++) {
        RtValue *v = rt_float(bits_to_double(float_to_int_cases[i].bits));
        check("int(float)", outcome(call1(&rt_type_int, v)), float_to_int_cases[i].result);
        rt_decref(v);
    }
    for (size_t i = 0; i < N(complex_repr_cases); i++) {
        RtValue *z = rt_complex(bits_to_double(complex_repr_cases[i].re), bits_to_double(complex_repr_cases[i].im));
        RtValue *args[1] = {z};
        check("repr(complex)", outcome(rt_newref(z)), complex_repr_cases[i].repr);
        check("abs(complex)", outcome(rt_bi_abs(NULL, args, 1, NULL)), complex_repr_cases[i].abs);
        rt_decref(z);
    }
    check("int()", outcome(call1(&rt_type_int, NULL)), "0");
    check("float()", outcome(call1(&rt_type_float, NULL)), "0.0");
    check("bool()", outcome(call1(&rt_type_bool, NULL)), "False");
    RtValue *seven = rt_int(7);
    check("bool(7)", outcome(call1(&rt_type_bool, seven)), "True");
    RtValue *args[2] = {rt_str_from_cstr("ff"), rt_int(16)};
    check("int('ff', 16)", outcome(rt_call((RtValue *)&rt_type_int, args, 2, NULL)), "255");
    RtValue *bad[2] = {seven, args[1]};
    check("int(7, 16)", outcome(rt_call((RtValue *)&rt_type_int, bad, 2, NULL)),
          "!TypeError: int() can't convert non-string with explicit base");
    rt_decref(args[0]);
    rt_decref(args[1]);
    finish();
}

/* ---- builtins and methods --------------------------------------------------------- */

static void test_round(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(round_cases); i++) {
        RtValue *x;
        if (round_cases[i].k == 'f') x = rt_float(bits_to_double(strtoull(round_cases[i].x, NULL, 16)));
        else if (round_cases[i].k == 'b') x = rt_bool(strcmp(round_cases[i].x, "1") == 0);
        else x = rt_int_from_text(round_cases[i].x, strlen(round_cases[i].x), 10);
        RtValue *nd = rt_int_from_text(round_cases[i].nd, strlen(round_cases[i].nd), 10);
        RtValue *args[2] = {x, nd};
        char what[80];
        snprintf(what, sizeof what, "round(%s, %s)", round_cases[i].x, round_cases[i].nd);
        check(what, outcome(rt_bi_round(NULL, args, round_cases[i].none ? 1 : 2, NULL)), round_cases[i].result);
        rt_decref(x);
        rt_decref(nd);
    }
    finish();
}

static void test_divmod_pow(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(divmod_cases); i++) {
        RtValue *args[2] = {num(divmod_cases[i].a), num(divmod_cases[i].b)};
        check("divmod", outcome(rt_bi_divmod(NULL, args, 2, NULL)), divmod_cases[i].result);
        rt_decref(args[0]);
        rt_decref(args[1]);
    }
    for (size_t i = 0; i < N(powmod_cases); i++) {
        RtValue *args[3];
        const char *s[3] = {powmod_cases[i].a, powmod_cases[i].b, powmod_cases[i].m};
        for (int k = 0; k < 3; k++) args[k] = rt_int_from_text(s[k], strlen(s[k]), 10);
        check("pow(a, b, m)", outcome(rt_bi_pow(NULL, args, 3, NULL)), powmod_cases[i].result);
        for (int k = 0; k < 3; k++) rt_decref(args[k]);
    }
    finish();
}

static void test_int_methods(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(bit_cases); i++) {
        RtValue *v = rt_int_from_text(bit_cases[i].v, strlen(bit_cases[i].v), 10);
        check("bit_length", outcome(rt_int_m_bit_length(v, NULL, 0, NULL)), bit_cases[i].bit_length);
        check("bit_count", outcome(rt_int_m_bit_count(v, NULL, 0, NULL)), bit_cases[i].bit_count);
        rt_decref(v);
    }
    for (size_t i = 0; i < N(to_bytes_cases); i++) {
        RtValue *v = rt_int_from_text(to_bytes_cases[i].v, strlen(to_bytes_cases[i].v), 10);
        RtValue *kw = rt_tuple_pack(1, rt_str_from_cstr("signed"));
        rt_decref(RT_TUPLE_GET(kw, 0));   /* the tuple holds the only reference now */
        RtValue *args[3] = {rt_int(to_bytes_cases[i].n), rt_str_from_cstr(to_bytes_cases[i].order),
                            rt_bool(to_bytes_cases[i].is_signed)};
        RtValue *b = rt_int_m_to_bytes(v, args, 2, kw);
        char *got = outcome(b ? rt_newref(b) : NULL);
        check("to_bytes", got, to_bytes_cases[i].bytes);
        if (b) {
            RtValue *fargs[3] = {b, args[1], args[2]};
            check("from_bytes", outcome(rt_int_m_from_bytes(NULL, fargs, 2, kw)), to_bytes_cases[i].back);
            rt_decref(b);
        }
        rt_decref(args[0]);
        rt_decref(args[1]);
        rt_decref(kw);
        rt_decref(v);
    }
    finish();
}

static void test_float_methods(void **state) {
    (void)state;
    start();
    for (size_t i = 0; i < N(float_method_cases); i++) {
        RtValue *x = rt_float(bits_to_double(float_method_cases[i].bits));
        check("hex", outcome(rt_float_m_hex(x, NULL, 0, NULL)), float_method_cases[i].hex);
        check("as_integer_ratio", outcome(rt_float_m_as_integer_ratio(x, NULL, 0, NULL)),
              float_method_cases[i].ratio);
        check("is_integer", outcome(rt_float_m_is_integer(x, NULL, 0, NULL)), float_method_cases[i].is_integer);
        rt_decref(x);
    }
    for (size_t i = 0; i < N(fromhex_cases); i++) {
        RtValue *s = rt_str_from_cstr(fromhex_cases[i].text);
        check(fromhex_cases[i].text, outcome(rt_float_m_fromhex(NULL, &s, 1, NULL)), fromhex_cases[i].result);
        rt_decref(s);
    }
    finish();
}

/* ---- representation details ---------------------------------------------------------- */

static void test_small_ints_and_bools(void **state) {
    (void)state;
    assert_ptr_equal(rt_int(-5), rt_int(-5));
    assert_ptr_equal(rt_int(1024), rt_int(1024));
    assert_int_equal(rt_refcnt(rt_int(7)), RT_IMMORTAL);
    RtValue *a = rt_int(1025), *b = rt_int(1025);
    assert_ptr_not_equal(a, b);
    assert_int_equal(rt_refcnt(a), 1);
    rt_decref(a);
    rt_decref(b);
    assert_ptr_equal(rt_True->type, &rt_type_bool);
    assert_true(rt_isinstance_t(rt_True, &rt_type_int));
    RtValue *two = rt_binop(rt_True, rt_True, RT_ADD);
    assert_ptr_equal(two, rt_int(2));
    assert_ptr_equal(rt_binop(rt_True, rt_False, RT_OR), rt_True);
    check("repr(False)", outcome(rt_False), "False");
    /* big results that fit go back to small ints */
    RtValue *big = rt_int_from_text("18446744073709551616", 20, 10), *half = rt_int(2);
    RtValue *q = rt_binop(big, big, RT_FLOORDIV);
    assert_ptr_equal(q, rt_int(1));
    RtValue *r = rt_binop(big, half, RT_FLOORDIV);   /* 2**63: still big */
    assert_non_null(((RtInt *)r)->big);
    RtValue *s = rt_binop(r, half, RT_FLOORDIV);
    assert_null(((RtInt *)s)->big);
    assert_int_equal(((RtInt *)s)->small, (int64_t)1 << 62);
    rt_decref(r);
    rt_decref(s);
    rt_decref(big);
    int64_t v;
    assert_int_equal(rt_int_as_i64(rt_True, &v), 0);
    assert_int_equal(v, 1);
    RtValue *f = rt_float(1.5);
    assert_int_equal(rt_int_as_i64(f, &v), -1);
    check("as_i64(float)", outcome(NULL), "!TypeError: 'float' object cannot be interpreted as an integer");
    rt_decref(f);
    big = rt_int_from_text("9223372036854775808", 19, 10);
    assert_int_equal(rt_int_as_i64(big, &v), -1);
    check("as_i64(2**63)", outcome(NULL), "!OverflowError: Python int too large to convert to C long");
    rt_decref(big);
    finish();
}

static void test_digit_limit(void **state) {
    (void)state;
    start();
    RtValue *ten = rt_int(10), *e1 = rt_int(4300), *e0 = rt_int(4299);
    RtValue *big = rt_binop(ten, e1, RT_POW), *ok = rt_binop(ten, e0, RT_POW);
    check("str(10**4300)", outcome(rt_repr(big)), digit_limit_str);
    RtValue *neg = rt_unary(ok, RT_NEG), *s = rt_repr(neg);
    assert_int_equal(rt_str_nbytes(s), digit_ok_len);
    char *ones = malloc(4302);
    memset(ones, '1', 4301);
    ones[4301] = '\0';
    check("int('1'*4301)", outcome(rt_int_from_text(ones, 4301, 10)), digit_limit_int);
    free(ones);
    rt_decref(s);
    rt_decref(neg);
    rt_decref(big);
    rt_decref(ok);
    rt_decref(e1);
    rt_decref(e0);
    finish();
}

/* ---- checked int64 helpers ------------------------------------------------------------- */

static void test_checked_i64(void **state) {
    (void)state;
    start();
    int64_t r;
    double d;
    assert_true(rt_i64_add(1, 2, &r) && r == 3);
    assert_false(rt_i64_add(INT64_MAX, 1, &r));
    /* our own wording (not CPython's): the overflow of an unboxed int64 */
    check("i64 +", outcome(NULL), "!OverflowError: integer overflow: the result of '+' does not fit in 64 bits "
                                  "(mp2c compiled this int as a C int64_t)");
    assert_false(rt_i64_mul(INT64_MAX / 2, 3, &r));
    check("i64 *", outcome(NULL), "!OverflowError: integer overflow: the result of '*' does not fit in 64 bits "
                                  "(mp2c compiled this int as a C int64_t)");
    assert_true(rt_i64_floordiv(-7, 2, &r) && r == -4);
    assert_true(rt_i64_mod(-7, 2, &r) && r == 1);
    assert_true(rt_i64_mod(7, -2, &r) && r == -1);
    assert_true(rt_i64_mod(INT64_MIN, -1, &r) && r == 0);
    assert_false(rt_i64_floordiv(1, 0, &r));
    check("1 // 0", outcome(NULL), "!ZeroDivisionError: integer division or modulo by zero");
    assert_false(rt_i64_mod(1, 0, &r));
    check("1 % 0", outcome(NULL), "!ZeroDivisionError: integer modulo by zero");
    assert_false(rt_i64_floordiv(INT64_MIN, -1, &r));
    RT_CLEAR(rt_exc_pending);
    assert_true(rt_i64_pow(3, 39, &r) && r == 4052555153018976267LL);
    assert_false(rt_i64_pow(3, 40, &r));
    RT_CLEAR(rt_exc_pending);
    assert_true(rt_i64_lshift(-1, 63, &r) && r == INT64_MIN);
    assert_false(rt_i64_lshift(1, 63, &r));
    RT_CLEAR(rt_exc_pending);
    assert_false(rt_i64_lshift(1, -1, &r));
    check("1 << -1", outcome(NULL), "!ValueError: negative shift count");
    assert_true(rt_i64_rshift(-5, 100, &r) && r == -1);
    assert_true(rt_i64_truediv(1, 3, &d) && d == 1.0 / 3);
    /* both beyond 2**53: still correctly rounded */
    assert_true(rt_i64_truediv(INT64_MAX, 3, &d) && d == 3074457345618258602.0);
    assert_true(rt_i64_truediv((INT64_C(1) << 53) + 1, 1, &d) && d == 9007199254740992.0);
    assert_false(rt_i64_truediv(1, 0, &d));
    check("1 / 0", outcome(NULL), "!ZeroDivisionError: division by zero");
    assert_true(rt_cmp_i64_f64((INT64_C(1) << 53) + 1, 9007199254740992.0, RT_GT));
    assert_true(rt_cmp_i64_f64(INT64_MAX, 9223372036854775808.0, RT_LT));
    assert_true(rt_cmp_i64_f64(3, NAN, RT_NE));
    assert_false(rt_cmp_i64_f64(3, NAN, RT_EQ));
    assert_true(rt_f64_floordiv(-7.5, 2, &d) && d == -4.0);
    assert_true(rt_f64_mod(-7.5, 2, &d) && d == 0.5);
    assert_false(rt_f64_div(1, 0, &d));
    check("1.0 / 0", outcome(NULL), "!ZeroDivisionError: float division by zero");
    assert_false(rt_f64_pow(10, 400, &d));
    check("10.0 ** 400", outcome(NULL), "!OverflowError: (34, 'Numerical result out of range')");
    assert_false(rt_f64_pow(-8, 0.5, &d));
    RT_CLEAR(rt_exc_pending);
    finish();
}

/* ---- the math and random modules ----------------------------------------------------------- */

/* Splits "a\1b\1c" into values; an item starting with '[' is a list of
 * items split by \2. Returns the count; values are new references. */
static size_t parse_args(const char *s, RtValue **out, size_t max) {
    size_t n = 0;
    char *copy = xstrdup(s), *p = copy;
    while (*p) {
        char *q = strchr(p, '\1');
        if (q) *q = '\0';
        assert_true(n < max);
        if (*p == '[') {
            RtValue *l = rt_list_new(4);
            for (char *it = p + 1; *it;) {
                char *e = strchr(it, '\2');
                if (e) *e = '\0';
                RtValue *v = num(it);
                assert_int_equal(rt_list_append(l, v), 0);
                rt_decref(v);
                if (!e) break;
                it = e + 1;
            }
            out[n++] = l;
        } else {
            out[n++] = num(p);
        }
        if (!q) break;
        p = q + 1;
    }
    free(copy);
    return n;
}

static RtNativeFn module_fn(const RtMethodDef *table, const char *name) {
    for (const RtMethodDef *m = table; m->name; m++)
        if (strcmp(m->name, name) == 0) return m->fn;
    fail_msg("no function %s", name);
    return NULL;
}

/* Calls each function of a table of (name, args, CPython's outcome). */
static void run_module_cases(const RtMethodDef *table, const char *const *fn, const char *const *args,
                             const char *const *result, size_t n, size_t stride) {
    for (size_t i = 0; i < n; i++) {
        const char *f = *(const char *const *)((const char *)fn + i * stride);
        const char *a = *(const char *const *)((const char *)args + i * stride);
        const char *want = *(const char *const *)((const char *)result + i * stride);
        RtValue *av[8];
        size_t na = parse_args(a, av, 8);
        char what[160];
        snprintf(what, sizeof what, "%s(%s)", f, a);
        check(what, outcome(module_fn(table, f)(NULL, av, na, NULL)), want);
        for (size_t k = 0; k < na; k++) rt_decref(av[k]);
    }
}

static void test_math(void **state) {
    (void)state;
    start();
    run_module_cases(rt_math_methods, &math_cases[0].fn, &math_cases[0].args, &math_cases[0].result,
                     N(math_cases), sizeof math_cases[0]);
    check("math.pi", outcome(rt_math_pi), "3.141592653589793");
    check("math.e", outcome(rt_math_e), "2.718281828459045");
    check("math.tau", outcome(rt_math_tau), "6.283185307179586");
    check("math.inf", outcome(rt_math_inf), "inf");
    check("math.nan", outcome(rt_math_nan), "nan");
    finish();
}

static void test_random(void **state) {
    (void)state;
    start();
    run_module_cases(rt_random_methods, &random_error_cases[0].fn, &random_error_cases[0].args,
                     &random_error_cases[0].result, N(random_error_cases), sizeof random_error_cases[0]);
    /* seeding makes runs reproducible */
    RtValue *seed = rt_int(12345), *draws[2][5];
    for (int round = 0; round < 2; round++) {
        RtValue *r = rt_random_seed(NULL, &seed, 1, NULL);
        assert_ptr_equal(r, rt_None);
        for (int i = 0; i < 5; i++) draws[round][i] = rt_random_random(NULL, NULL, 0, NULL);
    }
    for (int i = 0; i < 5; i++) {
        assert_true(rt_float_val(draws[0][i]) == rt_float_val(draws[1][i]));
        assert_true(rt_float_val(draws[0][i]) >= 0.0 && rt_float_val(draws[0][i]) < 1.0);
        rt_decref(draws[0][i]);
        rt_decref(draws[1][i]);
    }
    rt_decref(seed);
    /* ranges: randint includes both ends; randrange honours the step */
    RtValue *lo = rt_int(-3), *hi = rt_int(3), *args[3] = {lo, hi, NULL};
    bool seen[7] = {false};
    for (int i = 0; i < 2000; i++) {
        RtValue *r = rt_random_randint(NULL, args, 2, NULL);
        int64_t v;
        assert_int_equal(rt_int_as_i64(r, &v), 0);
        assert_true(v >= -3 && v <= 3);
        seen[v + 3] = true;
        rt_decref(r);
    }
    for (int i = 0; i < 7; i++) assert_true(seen[i]);
    RtValue *step = rt_int(-2);
    RtValue *a3[3] = {hi, lo, step};
    for (int i = 0; i < 200; i++) {
        RtValue *r = rt_random_randrange(NULL, a3, 3, NULL);
        int64_t v;
        assert_int_equal(rt_int_as_i64(r, &v), 0);
        assert_true(v == 3 || v == 1 || v == -1);
        rt_decref(r);
    }
    /* big ranges go through GMP */
    RtValue *big = rt_int_from_text("100000000000000000000000000000", 30, 10);
    for (int i = 0; i < 50; i++) {
        RtValue *r = rt_random_randrange(NULL, &big, 1, NULL);
        assert_int_equal(rt_int_sign(r) >= 0, 1);
        RtValue *lt = rt_richcompare(r, big, RT_LT);
        assert_ptr_equal(lt, rt_True);
        rt_decref(r);
    }
    rt_decref(big);
    /* shuffle and sample keep the elements */
    RtValue *l = rt_list_new(10);
    for (int i = 0; i < 10; i++) assert_int_equal(rt_list_append(l, rt_int(i)), 0);
    assert_ptr_equal(rt_random_shuffle(NULL, &l, 1, NULL), rt_None);
    int sum = 0;
    for (int i = 0; i < 10; i++) sum += (int)((RtInt *)RT_LIST_GET(l, i))->small;
    assert_int_equal(sum, 45);
    RtValue *k = rt_int(4), *sargs[2] = {l, k};
    RtValue *s = rt_random_sample(NULL, sargs, 2, NULL);
    assert_int_equal(RT_LIST_LEN(s), 4);
    rt_decref(s);
    RtValue *c = rt_random_choice(NULL, &l, 1, NULL);
    assert_true(((RtInt *)c)->small >= 0 && ((RtInt *)c)->small < 10);
    rt_decref(c);
    RtValue *g = rt_random_gauss(NULL, NULL, 0, NULL);
    assert_true(rt_is_float(g));
    rt_decref(g);
    rt_decref(l);
    rt_decref(k);
    rt_decref(lo);
    rt_decref(hi);
    rt_decref(step);
    finish();
}

/* ---- out of memory ------------------------------------------------------------------------ */

/* Runs f with the first k allocations succeeding, for growing k, until it
 * succeeds: every failure must be a clean MemoryError, never a crash. */
static void oom_sweep(const char *what, RtValue *(*f)(void)) {
    for (long k = 0; k < 64; k++) {
        rt_alloc_fail_after(k);
        RtValue *r = f();
        rt_alloc_fail_after(-1);
        if (r) {
            rt_decref(r);
            return;
        }
        assert_non_null(rt_exc_pending);
        RT_CLEAR(rt_exc_pending);
    }
    fail_msg("%s never succeeded", what);
}

static RtValue *oom_big_mul(void) {
    RtValue *a = rt_int_from_text("123456789012345678901234567890", 30, 10);
    if (!a) return NULL;
    RtValue *r = rt_binop(a, a, RT_MUL);
    rt_decref(a);
    return r;
}

static RtValue *oom_float_repr(void) {
    RtValue *f = rt_float(0.1 + 0.2);
    if (!f) return NULL;
    RtValue *r = rt_repr(f);
    rt_decref(f);
    return r;
}

static RtValue *oom_parse(void) { return rt_float_from_text(" 1_000.5e3 ", 11); }
static RtValue *oom_small(void) { return rt_int(123456); }

static void test_out_of_memory(void **state) {
    (void)state;
    oom_sweep("big multiply", oom_big_mul);
    oom_sweep("float repr", oom_float_repr);
    oom_sweep("float parse", oom_parse);
    oom_sweep("int alloc", oom_small);
    rt_alloc_fail_after(0);
    assert_ptr_equal(rt_int(5), rt_int(5));   /* cached: no allocation */
    rt_alloc_fail_after(-1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float_repr),
        cmocka_unit_test(test_int_binop),
        cmocka_unit_test(test_mixed_binop),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_unary),
        cmocka_unit_test(test_int_from_text),
        cmocka_unit_test(test_float_from_text),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_divmod_pow),
        cmocka_unit_test(test_int_methods),
        cmocka_unit_test(test_float_methods),
        cmocka_unit_test(test_small_ints_and_bools),
        cmocka_unit_test(test_digit_limit),
        cmocka_unit_test(test_checked_i64),
        cmocka_unit_test(test_math),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

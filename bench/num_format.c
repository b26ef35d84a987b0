/* mp2c side of bench/num_run.sh: the cases of num_format.py through the
 * runtime's boxed API (what generated code calls for untyped values), ns per
 * operation, median of R runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mp2c.h"

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);   /* CPU time: the machine is shared */
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static RtValue *floats[1000], *ints[1000], *big, *x, *n, *ts[4], *fs[4];
static RtValue *spec_2f, *spec_comma, *pct_fmt, *fmt_fmt;

#define CHECK(v) do { if (!(v)) { fprintf(stderr, "error at %d\n", __LINE__); exit(1); } } while (0)

static void repr_float(void) {
    for (int i = 0; i < 1000; i++) { RtValue *s = rt_repr(floats[i]); CHECK(s); rt_decref(s); }
}
static void str_int(void) {
    for (int i = 0; i < 1000; i++) { RtValue *s = rt_str(ints[i]); CHECK(s); rt_decref(s); }
}
static void int_arith(void) {
    RtValue *a = rt_int(0), *k31 = rt_int(31), *m = rt_int(1000003);
    for (int i = 0; i < 1000; i++) {
        RtValue *t = rt_binop(a, k31, RT_MUL), *u = rt_binop(t, ints[i], RT_ADD), *v = rt_binop(u, m, RT_MOD);
        CHECK(v);
        rt_decref(t); rt_decref(u); rt_decref(a);
        a = v;
    }
    rt_decref(a); rt_decref(k31); rt_decref(m);
}
static void bigint_mul(void) { RtValue *r = rt_binop(big, big, RT_MUL); CHECK(r); rt_decref(r); }
static void float_arith(void) {
    RtValue *a = rt_float(0.0), *half = rt_float(0.5), *three = rt_float(3.0);
    for (int i = 0; i < 1000; i++) {
        RtValue *t = rt_binop(a, half, RT_MUL), *u = rt_binop(floats[i], three, RT_TRUEDIV), *v = rt_binop(t, u, RT_ADD);
        CHECK(v);
        rt_decref(t); rt_decref(u); rt_decref(a);
        a = v;
    }
    rt_decref(a); rt_decref(half); rt_decref(three);
}
static void format_2f(void) { RtValue *s = rt_format(x, spec_2f); CHECK(s); rt_decref(s); }
static void format_comma(void) { RtValue *s = rt_format(n, spec_comma); CHECK(s); rt_decref(s); }
static void percent(void) {
    RtValue *args = rt_tuple_pack(2, n, x), *s = rt_str_percent(pct_fmt, args);
    CHECK(s); rt_decref(s); rt_decref(args);
}
static void str_format(void) {
    RtValue *args[2] = {n, x}, *s = rt_str_m_format(fmt_fmt, args, 2, NULL);
    CHECK(s); rt_decref(s);
}
static void parse_int(void) {
    for (int i = 0; i < 4; i++) {
        RtValue *r = rt_int_from_text(rt_str_data(ts[i]), rt_str_nbytes(ts[i]), 10); CHECK(r); rt_decref(r);
    }
}
static void parse_float(void) {
    for (int i = 0; i < 4; i++) {
        RtValue *r = rt_float_from_text(rt_str_data(fs[i]), rt_str_nbytes(fs[i])); CHECK(r); rt_decref(r);
    }
}

static const struct { const char *name; void (*fn)(void); int per; } cases[] = {
    {"repr_float", repr_float, 1000}, {"str_int", str_int, 1000}, {"int_arith", int_arith, 1000},
    {"bigint_mul", bigint_mul, 1}, {"float_arith", float_arith, 1000}, {"format_2f", format_2f, 1},
    {"format_comma", format_comma, 1}, {"percent", percent, 1}, {"str_format", str_format, 1},
    {"parse_int", parse_int, 4}, {"parse_float", parse_float, 4},
};

int main(int argc, char **argv) {
    long N = argc > 1 ? atol(argv[1]) : 200000;
    int R = argc > 2 ? atoi(argv[2]) : 5;
    for (int i = 0; i < 1000; i++) { floats[i] = rt_float(i * 0.1 + 1.0 / 3); ints[i] = rt_int(i); }
    RtValue *three = rt_int(3), *e = rt_int(2000);
    big = rt_binop(three, e, RT_POW);
    x = rt_float(1234567.891);
    n = rt_int(1234567);
    const char *tss[4] = {"12345", "-987", "4096", "77"}, *fss[4] = {"3.14159", "1e-5", "2.5", "100.25"};
    for (int i = 0; i < 4; i++) { ts[i] = rt_str_from_cstr(tss[i]); fs[i] = rt_str_from_cstr(fss[i]); }
    spec_2f = rt_str_from_cstr(".2f");
    spec_comma = rt_str_from_cstr(",");
    pct_fmt = rt_str_from_cstr("%d items in %.3f s");
    fmt_fmt = rt_str_from_cstr("{} items in {:.3f} s");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        long reps = cases[c].per > 1 ? (N / cases[c].per / 10 > 0 ? N / cases[c].per / 10 : 1) : N;
        double t[16];
        for (int r = 0; r < R && r < 16; r++) {
            double t0 = now_ns();
            for (long k = 0; k < reps; k++) cases[c].fn();
            t[r] = (now_ns() - t0) / ((double)reps * cases[c].per);
        }
        qsort(t, (size_t)R, sizeof t[0], cmp_d);
        printf("%s %.1f\n", cases[c].name, t[R / 2]);
    }
    return 0;
}

/* containers.c: the runtime side of bench/containers_run.sh: the container
 * operations of containers.py through the calls generated code makes when
 * it knows the types (rt_list_append, rt_dict_set, rt_str_m_split, ...), or
 * the generic protocol (rt_getitem, rt_contains) where it would not. Prints
 * "name median_ms" lines in the same order as containers.py.
 * usage: containers N R */
#include "mp2c.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the machine is shared */
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static RtValue *ok(RtValue *r) {
    if (!r) { rt_exc_print(rt_exc_fetch()); exit(1); }
    return r;
}

static long n;
static RtValue *nums, *keys, *line, *pairs, *mixed, *second;

static RtValue *second_fn(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self; (void)nargs; (void)kw;
    return rt_newref(RT_TUPLE_GET(args[0], 1));
}

/* Builds the inputs in the order containers.py does (nums, keys, pairs,
 * mixed), so that both sides see the same allocation layout. */
static void setup(void) {
    nums = rt_list_new(n);
    keys = rt_list_new(n);
    pairs = rt_list_new(n);
    mixed = rt_list_new(n);
    uint64_t seed = 1;
    char buf[32];
    for (long i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        if (rt_list_append_steal(nums, rt_int((int64_t)(seed >> 34)))) exit(1);
    }
    for (long i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "key%ld", i);
        if (rt_list_append_steal(keys, rt_str_from_cstr(buf))) exit(1);
    }
    for (long i = 0; i < n; i++)
        if (rt_list_append_steal(pairs, rt_tuple_pack(2, RT_LIST_GET(keys, i), RT_LIST_GET(nums, i)))) exit(1);
    RtValue *one = rt_int(1), *f = rt_float(2.5), *s = rt_str_from_cstr("text"), *a = rt_str_from_cstr("a");
    RtValue *t = rt_tuple_pack(2, one, a);
    RtValue *five[5] = {one, f, s, t, rt_None};
    for (long i = 0; i < n / 5 * 5; i++)
        if (rt_list_append(mixed, five[i % 5])) exit(1);
    rt_decref(one); rt_decref(f); rt_decref(s); rt_decref(a); rt_decref(t);
    RtValue *sp = rt_str_from_cstr(" ");
    line = ok(rt_str_join(sp, keys));
    rt_decref(sp);
    second = rt_builtin_new("second", second_fn, NULL, -1);
}

static void list_append(void) {
    RtValue *l = rt_list_new(0);
    for (long i = 0; i < n; i++)
        if (rt_list_append(l, RT_LIST_GET(nums, i))) exit(1);
    rt_decref(l);
}

static void sorted_ints(void) { rt_decref(ok(rt_bi_sorted(NULL, &nums, 1, NULL))); }

static void sort_key(void) {
    RtValue *kw = rt_tuple_pack(1, rt_str_const("key", 3));
    RtValue *args[2] = {pairs, second};
    rt_decref(ok(rt_bi_sorted(NULL, args, 1, kw)));
    rt_decref(kw);
}

static void dict_str(void) {
    RtValue *d = rt_dict_new(), *one = rt_int(1);
    for (long i = 0; i < n; i++)
        if (rt_dict_set(d, RT_LIST_GET(keys, i), one)) exit(1);
    int64_t t = 0;
    for (long i = 0; i < n; i++) {
        RtValue *v = ok(rt_getitem(d, RT_LIST_GET(keys, i)));
        t += ((RtInt *)v)->small;
        rt_decref(v);
    }
    rt_decref(one);
    rt_decref(d);
}

static void dict_int(void) {
    RtValue *d = rt_dict_new();
    for (long i = 0; i < n; i++)
        if (rt_dict_set(d, RT_LIST_GET(nums, i), RT_LIST_GET(nums, i))) exit(1);
    long hits = 0;
    for (long i = 0; i < n; i++) hits += rt_contains(d, RT_LIST_GET(nums, i));
    rt_decref(d);
}

static void set_int(void) {
    RtValue *s = rt_set_new();
    for (long i = 0; i < n; i++)
        if (rt_set_add(s, RT_LIST_GET(nums, i))) exit(1);
    long hits = 0;
    for (long i = 0; i < n; i++) hits += rt_contains(s, RT_LIST_GET(nums, i));
    rt_decref(s);
}

static void repr_list(void) { rt_decref(ok(rt_repr(mixed))); }
static void str_split(void) { rt_decref(ok(rt_str_m_split(line, NULL, 0, NULL))); }
static void str_join(void) {
    RtValue *sp = rt_str_from_cstr(" ");
    rt_decref(ok(rt_str_join(sp, keys)));
    rt_decref(sp);
}
static void str_replace(void) {
    RtValue *args[2] = {rt_str_from_cstr("key"), rt_str_from_cstr("k")};
    rt_decref(ok(rt_str_m_replace(line, args, 2, NULL)));
    rt_decref(args[0]);
    rt_decref(args[1]);
}
static void sum_ints(void) { rt_decref(ok(rt_bi_sum(NULL, &nums, 1, NULL))); }

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    n = argc > 1 ? atol(argv[1]) : 200000;
    int r = argc > 2 ? atoi(argv[2]) : 5;
    setup();
    static const struct { const char *name; void (*fn)(void); } ops[] = {
        {"list.append", list_append}, {"sorted(ints)", sorted_ints}, {"sort(key=)", sort_key},
        {"dict[str]", dict_str}, {"dict[int]", dict_int}, {"set[int]", set_int},
        {"repr(list)", repr_list}, {"str.split", str_split}, {"'_'.join", str_join},
        {"str.replace", str_replace}, {"sum(ints)", sum_ints},
    };
    double t[64];
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        for (int i = 0; i < r; i++) {
            double t0 = now_ms();
            ops[k].fn();
            t[i] = now_ms() - t0;
        }
        qsort(t, (size_t)r, sizeof t[0], cmp_double);
        printf("%s %.3f\n", ops[k].name, t[r / 2]);
    }
    return 0;
}

/* pool_map.c: the runtime side of bench/pool_run.sh, the same operation as
 * pool_map.py through the runtime's C API: Pool(2).map(f, range(N)) with
 * f(x) = x, at chunksize 1 and at the default chunksize. f is a function
 * object in the program's table, sent to the workers by index as
 * translated code would send it. Prints "tasks/s(chunksize 1) tasks/s(default)",
 * medians over R runs.   usage: pool_map N1 NDEFAULT R */
#include "mp2c.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static RtValue *f_identity(RtFunc *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self; (void)nargs; (void)kw;
    return rt_newref(args[0]);
}

static RtValue *functions[1];
static RtProgram program = {.path = "pool_map.py", .functions = functions, .nfunctions = 1};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double once(RtValue *pool, long n, long chunksize) {
    RtValue *range = rt_range_new(0, n, 1);
    RtValue *cs = chunksize > 0 ? rt_int(chunksize) : rt_newref(rt_None);
    RtValue *args[3] = {functions[0], range, cs};
    double t = now();
    RtValue *r = rt_mp_Pool_m_map(pool, args, 3, NULL);
    double rate = n / (now() - t);
    if (!r || (long)RT_LIST_LEN(r) != n) { fprintf(stderr, "map failed\n"); exit(1); }
    rt_decref(r);
    rt_decref(cs);
    rt_decref(range);
    return rate;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(RtValue *pool, long n, long chunksize, int runs) {
    double r[64];
    for (int i = 0; i < runs && i < 64; i++) r[i] = once(pool, n, chunksize);
    qsort(r, (size_t)runs, sizeof *r, cmp);
    return r[runs / 2];
}

int main(int argc, char **argv) {
    long n1 = argc > 1 ? atol(argv[1]) : 20000, nd = argc > 2 ? atol(argv[2]) : 200000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    functions[0] = rt_func_new("f", "f", f_identity, 0, NULL, NULL, NULL, 0);
    rt_program = &program;
    RtValue *pool = rt_mp_pool_new(2, NULL, NULL, 0);
    if (!pool) return 1;
    once(pool, 10, 0);                  /* warm up, as the Python side */
    double c1 = median(pool, n1, 1, runs), cd = median(pool, nd, 0, runs);
    printf("%.0f %.0f\n", c1, cd);
    rt_decref(rt_mp_Pool_m_terminate(pool, NULL, 0, NULL));
    rt_decref(pool);
    return 0;
}

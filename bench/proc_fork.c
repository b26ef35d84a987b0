/* proc_fork.c: the runtime side of bench/proc_run.sh, the same operation as
 * proc_fork.py through the runtime's C API: Process(target=f).start() and
 * join() of a child that does nothing. Prints the median microseconds per
 * start+join over R runs of N each, then the same for bare fork()+waitpid()
 * (the hand-written C floor).  usage: proc_fork N R */
#include "mp2c.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static RtValue *f(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return rt_newref(rt_None);
}

static void check(RtValue *r) {
    if (!r) { rt_exc_print(rt_exc_fetch()); exit(1); }
    rt_decref(r);
}

static double once_runtime(long n, RtValue *target) {
    RtValue *kn = rt_tuple_new(1);
    RT_TUPLE_SET(kn, 0, rt_str_from_cstr("target"));
    double t = now();
    for (long i = 0; i < n; i++) {
        RtValue *p = rt_call((RtValue *)&rt_mp_Process, &target, 0, kn);
        if (!p) check(p);
        check(rt_mp_Process_m_start(p, NULL, 0, NULL));
        check(rt_mp_Process_m_join(p, NULL, 0, NULL));
        rt_decref(p);
    }
    rt_decref(kn);
    return (now() - t) / n * 1e6;
}

static double once_raw(long n) {
    double t = now();
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        waitpid(pid, NULL, 0);
    }
    return (now() - t) / n * 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200;
    int r = argc > 2 ? atoi(argv[2]) : 5;
    RtValue *target = rt_builtin_new("f", f, NULL, -1);
    double rt[64], raw[64];
    for (int i = 0; i < r && i < 64; i++) {
        rt[i] = once_runtime(n, target);
        raw[i] = once_raw(n);
    }
    qsort(rt, (size_t)r, sizeof *rt, cmp);
    qsort(raw, (size_t)r, sizeof *raw, cmp);
    printf("%.1f %.1f\n", rt[r / 2], raw[r / 2]);
    rt_decref(target);
    return 0;
}

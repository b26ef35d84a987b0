/* queue_throughput.c: the runtime side of bench/queue_run.sh, the same
 * operation as queue_throughput.py through the runtime's C API: a forked
 * producer puts N small ints (boxed, serialized) into a Queue, the main
 * process gets them until None. Prints the median items/s over R runs.
 * usage: queue_throughput N R */
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

static double once(long n) {
    RtValue *q = rt_mp_queue_new(&rt_mp_Queue, 0);
    double t = now();
    pid_t pid = rt_mp_fork();
    if (pid == 0) {
        for (long i = 0; i < n; i++) {
            RtValue *v = rt_int(i);
            if (rt_mp_queue_put(q, v, true, -1) < 0) _exit(1);
            rt_decref(v);
        }
        if (rt_mp_queue_put(q, rt_None, true, -1) < 0) _exit(1);
        rt_mp_child_exit(0);
    }
    for (;;) {
        RtValue *v = rt_mp_queue_get(q, true, -1);
        if (!v) { fprintf(stderr, "get failed\n"); exit(1); }
        bool end = v == rt_None;
        rt_decref(v);
        if (end) break;
    }
    waitpid(pid, NULL, 0);
    double rate = n / (now() - t);
    rt_decref(q);
    return rate;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    double r[64];
    for (int i = 0; i < runs && i < 64; i++) r[i] = once(n);
    qsort(r, (size_t)runs, sizeof *r, cmp);
    printf("%.0f\n", r[runs / 2]);
    return 0;
}

/* queue_throughput.c: the runtime side of bench/queue_run.sh, the same
 * operation as queue_throughput.py through the runtime's C API: a forked
 * producer puts N small ints (boxed, serialized) into a Queue, the main
 * process gets them until None. Also the hand-written C floor: the same
 * stream of int64s through a pipe (one write per item, the reader takes
 * whatever is there with one read). Prints "runtime raw" medians of items/s
 * over R runs.   usage: queue_throughput N R */
#include "mp2c.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Hand-written C: int64s through a pipe; the consumer reads in bulk. */
static double once_raw(long n) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) { perror("pipe2"); exit(1); }
    double t = now();
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        for (int64_t i = 0; i <= n; i++) {
            int64_t v = i < n ? i : -1;
            if (write(fds[1], &v, sizeof v) != sizeof v) _exit(1);
        }
        _exit(0);
    }
    close(fds[1]);
    static int64_t buf[8192];
    size_t have = 0;
    for (bool done = false; !done;) {
        ssize_t r = read(fds[0], (char *)buf + have, sizeof buf - have);
        if (r <= 0) break;
        have += (size_t)r;
        size_t whole = have / sizeof *buf;
        for (size_t k = 0; k < whole; k++) if (buf[k] < 0) done = true;
        memmove(buf, buf + whole, have - whole * sizeof *buf);
        have -= whole * sizeof *buf;
    }
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return n / (now() - t);
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    double r[64], raw[64];
    if (runs > 64) runs = 64;
    for (int i = 0; i < runs; i++) r[i] = once(n);
    for (int i = 0; i < runs; i++) raw[i] = once_raw(n);
    qsort(r, (size_t)runs, sizeof *r, cmp);
    qsort(raw, (size_t)runs, sizeof *raw, cmp);
    printf("%.0f %.0f\n", r[runs / 2], raw[runs / 2]);
    return 0;
}

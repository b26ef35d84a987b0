/* pipe_pingpong.c: the runtime side of bench/pipe_run.sh, the same operation
 * as pipe_pingpong.py through the runtime's C API: a forked child echoes
 * each message of a duplex Pipe; the parent sends a small int (boxed,
 * serialized) and receives it back, N times. Prints the median round trips
 * per second over R runs, then the same for a hand-written loop of
 * write(2)/read(2) of 8 bytes on a socketpair (the C floor).
 * usage: pipe_pingpong N R */
#include "mp2c.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static RtValue *ok(RtValue *r) {
    if (!r) { rt_exc_print(rt_exc_fetch()); exit(1); }
    return r;
}

static double once_runtime(long n) {
    RtValue *pair = ok(rt_mp_Pipe(NULL, NULL, 0, NULL));
    RtValue *a = RT_TUPLE_GET(pair, 0), *b = RT_TUPLE_GET(pair, 1);
    pid_t pid = rt_mp_fork();
    if (pid == 0) {
        for (long i = 0; i < n; i++) {
            RtValue *v = ok(rt_mp_Connection_m_recv(b, NULL, 0, NULL));
            rt_decref(ok(rt_mp_Connection_m_send(b, &v, 1, NULL)));
            rt_decref(v);
        }
        rt_mp_child_exit(0);
    }
    double t = now();
    for (long i = 0; i < n; i++) {
        RtValue *v = rt_int(i);
        rt_decref(ok(rt_mp_Connection_m_send(a, &v, 1, NULL)));
        rt_decref(v);
        rt_decref(ok(rt_mp_Connection_m_recv(a, NULL, 0, NULL)));
    }
    double rate = n / (now() - t);
    waitpid(pid, NULL, 0);
    rt_decref(pair);
    return rate;
}

static double once_raw(long n) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    pid_t pid = fork();
    if (pid == 0) {
        long x;
        for (long i = 0; i < n; i++) {
            if (read(sv[1], &x, sizeof x) != sizeof x || write(sv[1], &x, sizeof x) != sizeof x) _exit(1);
        }
        _exit(0);
    }
    double t = now();
    for (long i = 0; i < n; i++) {
        long x = i;
        if (write(sv[0], &x, sizeof x) != sizeof x || read(sv[0], &x, sizeof x) != sizeof x) exit(1);
    }
    double rate = n / (now() - t);
    waitpid(pid, NULL, 0);
    close(sv[0]);
    close(sv[1]);
    return rate;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 50000;
    int r = argc > 2 ? atoi(argv[2]) : 5;
    double rt[64], raw[64];
    for (int i = 0; i < r && i < 64; i++) {
        rt[i] = once_runtime(n);
        raw[i] = once_raw(n);
    }
    qsort(rt, (size_t)r, sizeof *rt, cmp);
    qsort(raw, (size_t)r, sizeof *raw, cmp);
    printf("%.0f %.0f\n", rt[r / 2], raw[r / 2]);
    return 0;
}

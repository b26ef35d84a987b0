/* manager_roundtrip.c: the same work as manager_roundtrip.py through the
 * runtime's generic calls (what untyped generated code does), plus the
 * floor: a bare SOCK_SEQPACKET ping-pong between two processes.
 *   usage: manager_roundtrip N RUNS   -> "ops/s incs/s raw_roundtrips/s" (medians) */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mp2c.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void check(const void *p) {
    if (!p) {
        RtValue *e = rt_exc_fetch();
        RtValue *s = e ? rt_exc_str(e) : NULL;
        fprintf(stderr, "error: %s\n", s ? rt_str_data(s) : "?");
        exit(1);
    }
}

/* incr(d, lock, n): with lock: d['n'] += 1 */
static RtValue *incr(RtValue *self, RtValue *const *a, size_t na, RtValue *kw) {
    (void)self; (void)na; (void)kw;
    int64_t n;
    if (rt_int_as_i64(a[2], &n) < 0) return NULL;
    RtValue *key = rt_str_from_cstr("n"), *one = rt_int(1);
    for (int64_t i = 0; i < n; i++) {
        RtValue *e = rt_with_enter(a[1]);
        RtValue *v = e ? rt_getitem(a[0], key) : NULL;
        RtValue *v1 = v ? rt_binop(v, one, RT_ADD) : NULL;
        if (!v1 || rt_setitem(a[0], key, v1) < 0 || rt_with_exit(a[1], NULL) < 0) return NULL;
        rt_decref(e);
        rt_decref(v);
        rt_decref(v1);
    }
    rt_decref(key);
    return rt_None;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static double raw_pingpong(long n) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    pid_t pid = fork();
    char buf[64];
    if (pid == 0) {
        close(sv[0]);
        while (recv(sv[1], buf, sizeof buf, 0) > 0) send(sv[1], buf, 8, 0);
        _exit(0);
    }
    close(sv[1]);
    double t = now();
    for (long i = 0; i < n; i++) {
        send(sv[0], buf, 8, 0);
        recv(sv[0], buf, sizeof buf, 0);
    }
    t = now() - t;
    close(sv[0]);
    waitpid(pid, NULL, 0);
    return n / t;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 20000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    static RtProgram prog = { .path = "manager_roundtrip.c" };
    rt_program = &prog;
    RtValue *m = rt_mp_Manager(NULL, NULL, 0, NULL);
    check(m);
    RtValue *fn = rt_builtin_new("incr", incr, NULL, -1);
    double ops[32], incs[32], raw[32];
    for (int r = 0; r < runs && r < 32; r++) {
        RtValue *d = rt_call_method(m, "dict", NULL, 0, NULL), *key = rt_str_from_cstr("k");
        check(d);
        double t = now();
        for (long i = 0; i < n; i++) {
            RtValue *iv = rt_int(i);
            check(rt_setitem(d, key, iv) == 0 ? d : NULL);
            RtValue *v = rt_getitem(d, key);
            check(v);
            rt_decref(v);
            rt_decref(iv);
        }
        ops[r] = 2 * n / (now() - t);
        RtValue *nkey = rt_str_from_cstr("n"), *zero = rt_int(0), *quarter = rt_int(n / 4);
        check(rt_setitem(d, nkey, zero) == 0 ? d : NULL);
        RtValue *lock = rt_call_method(m, "Lock", NULL, 0, NULL);
        RtValue *args = rt_tuple_pack(3, d, lock, quarter);
        RtValue *ps[2];
        t = now();
        for (int i = 0; i < 2; i++) {
            RtValue *k1 = rt_str_from_cstr("target"), *k2 = rt_str_from_cstr("args");
            RtValue *kn = rt_tuple_pack(2, k1, k2), *av[2] = { fn, args };
            ps[i] = rt_call((RtValue *)&rt_mp_Process, av, 0, kn);
            check(ps[i]);
            check(rt_call_method(ps[i], "start", NULL, 0, NULL));
            rt_decref(k1); rt_decref(k2); rt_decref(kn);
        }
        for (int i = 0; i < 2; i++) { check(rt_call_method(ps[i], "join", NULL, 0, NULL)); rt_decref(ps[i]); }
        incs[r] = 2 * (n / 4) / (now() - t);
        RtValue *got = rt_getitem(d, nkey);
        int64_t total = 0;
        check(got);
        if (rt_int_as_i64(got, &total) < 0 || total != 2 * (n / 4)) { fprintf(stderr, "wrong count\n"); return 1; }
        rt_decref(got);
        raw[r] = raw_pingpong(n);
        RtValue *objs[] = { d, key, nkey, zero, quarter, lock, args };
        for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
    }
    if (runs > 32) runs = 32;
    printf("%.0f %.0f %.0f\n", median(ops, runs), median(incs, runs), median(raw, runs));
    rt_decref(fn);
    rt_call_method(m, "shutdown", NULL, 0, NULL);
    rt_decref(m);
    return 0;
}

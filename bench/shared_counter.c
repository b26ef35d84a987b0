/* shared_counter.c: the locked shared-counter increment through the runtime,
 * `with v.get_lock(): v.value += 1` on Value('i'), two ways:
 *   - generic: the calls generated code makes when it knows nothing of the
 *     types (rt_call_method, rt_with_enter, rt_getattr, rt_inplace_binop,
 *     rt_setattr, rt_with_exit);
 *   - typed: what it makes once it knows v is a Value('i') (rt_mp_synced_lock,
 *     rt_mp_lock_acquire, rt_mp_value_get_i64/set_i64, rt_mp_lock_release);
 * and the hand-written C floor: a process-shared robust pthread mutex around
 * an int in a MAP_SHARED page.
 * Prints: generic, typed and hand-written increments/s (medians).
 *   usage: shared_counter N RUNS */
#include "mp2c.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);   /* CPU time: the machine is shared */
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void die(void) {
    rt_exc_print(rt_exc_fetch());
    exit(1);
}

/* with v.get_lock(): v.value += 1 */
static void step(RtValue *v, RtValue *one) {
    RtValue *lock = rt_call_method(v, "get_lock", NULL, 0, NULL);
    if (!lock) die();
    RtValue *e = rt_with_enter(lock);
    if (!e) die();
    rt_decref(e);
    RtValue *x = rt_getattr(v, "value");
    if (!x) die();
    RtValue *y = rt_inplace_binop(x, one, RT_ADD);
    rt_decref(x);
    if (!y || rt_setattr(v, "value", y) < 0) die();
    rt_decref(y);
    if (rt_with_exit(lock, NULL) < 0) die();
    rt_decref(lock);
}

/* the same, typed */
static void step_typed(RtValue *v) {
    RtValue *lock = rt_mp_synced_lock(v);
    int64_t x;
    if (!lock || rt_mp_lock_acquire(lock, true, -1) < 0) die();
    if (rt_mp_value_get_i64(v, &x) < 0 || !rt_i64_add(x, 1, &x) || rt_mp_value_set_i64(v, x) < 0) die();
    if (rt_mp_lock_release(lock) < 0) die();
}

static double run_runtime(long n, bool typed) {
    RtValue *args[2] = {rt_str_from_cstr("i"), rt_int(0)};
    RtValue *v = rt_mp_Value(NULL, args, 2, NULL), *one = rt_int(1);
    if (!v) die();
    double t = now();
    if (typed)
        for (long i = 0; i < n; i++) step_typed(v);
    else
        for (long i = 0; i < n; i++) step(v, one);
    double dt = now() - t;
    rt_decref(v);
    rt_decref(args[0]);
    return n / dt;
}

static double run_hand(long n) {
    struct shared { pthread_mutex_t m; volatile int value; } *s =
        mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&s->m, &a);
    double t = now();
    for (long i = 0; i < n; i++) {
        pthread_mutex_lock(&s->m);
        s->value += 1;
        pthread_mutex_unlock(&s->m);
    }
    double dt = now() - t;
    munmap(s, sizeof *s);
    return n / dt;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    double gen[64], typed[64], hand[64];
    if (runs > 64) runs = 64;
    for (int r = 0; r < runs; r++) {
        gen[r] = run_runtime(n, false);
        typed[r] = run_runtime(n, true);
        hand[r] = run_hand(n);
    }
    qsort(gen, (size_t)runs, sizeof *gen, cmp);
    qsort(typed, (size_t)runs, sizeof *typed, cmp);
    qsort(hand, (size_t)runs, sizeof *hand, cmp);
    printf("%.0f %.0f %.0f\n", gen[runs / 2], typed[runs / 2], hand[runs / 2]);
    return 0;
}

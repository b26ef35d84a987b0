/* random.c: the `random` module.
 *
 * The generator is xoshiro256** (Blackman and Vigna), seeded through
 * splitmix64: fast, statistically strong, and reproducible from a seed. It
 * does NOT reproduce CPython's Mersenne Twister sequence, so a seeded script
 * prints different numbers than under CPython (the README says so); the API,
 * the ranges and the errors are CPython's. The derived functions follow
 * CPython's random.py: integers by rejection sampling of getrandbits (no
 * modulo bias, any size through GMP), floats from 53 random bits, gauss by
 * Box-Muller with the second value kept for the next call.
 *
 * As CPython does (os.register_at_fork), a forked child reseeds itself from
 * the OS, so workers do not all draw the same numbers.
 */
#include <gmp.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#define RT_NUM_INTERNAL
#include "mp2c.h"

static uint64_t state[4];
static bool seeded;
static bool gauss_ready;
static double gauss_next;

/* ==== the generator ======================================================= */

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* Seeds from a sequence of 64-bit words (all of them matter). */
static void seed_words(const uint64_t *w, size_t n) {
    uint64_t x = 0x6a09e667f3bcc909ULL ^ n;
    for (size_t i = 0; i < n; i++) {
        x ^= w[i];
        x = splitmix64(&x);
    }
    for (int i = 0; i < 4; i++) state[i] = splitmix64(&x);
    seeded = true;
    gauss_ready = false;
}

/* seed(None): the OS's randomness, or the clock and pid without it. */
static void seed_from_os(void) {
    uint64_t w[4];
    if (getrandom(w, sizeof w, 0) != (ssize_t)sizeof w) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        w[0] = (uint64_t)ts.tv_sec;
        w[1] = (uint64_t)ts.tv_nsec;
        w[2] = (uint64_t)getpid();
        w[3] = (uint64_t)(uintptr_t)&ts;
    }
    seed_words(w, 4);
}

static uint64_t next64(void) {
    if (!seeded) seed_from_os();
    uint64_t r = rotl(state[1] * 5, 7) * 9, t = state[1] << 17;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 45);
    return r;
}

static void reseed_child(void) { seed_from_os(); }

/* Registered once when this file is linked in: the after-fork reseed. */
__attribute__((constructor)) static void random_register_fork(void) {
    pthread_atfork(NULL, NULL, reseed_child);
}

double rt_random_f64(void) { return (double)(next64() >> 11) * 0x1.0p-53; }

/* A uniform integer in [0, n) for n >= 1, without modulo bias. */
static uint64_t below_u64(uint64_t n) {
    if ((n & (n - 1)) == 0) return next64() & (n - 1);
    int k = 64 - __builtin_clzll(n);
    uint64_t mask = k == 64 ? ~(uint64_t)0 : ((uint64_t)1 << k) - 1, r;
    do r = next64() & mask;
    while (r >= n);
    return r;
}

int64_t rt_random_i64_between(int64_t lo, int64_t hi) {
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    uint64_t r = span == UINT64_MAX ? next64() : below_u64(span + 1);
    return (int64_t)((uint64_t)lo + r);
}

/* k random bits into z (k >= 0). */
static void random_bits(mpz_ptr z, uint64_t k) {
    mpz_set_ui(z, 0);
    for (uint64_t done = 0; done < k; done += 64) {
        uint64_t w = next64();
        if (k - done < 64) w >>= 64 - (k - done);
        mpz_t t;
        mpz_init_set_ui(t, w);
        mpz_mul_2exp(t, t, done);
        mpz_ior(z, z, t);
        mpz_clear(t);
    }
}

/* A uniform int in [0, n) for an int n >= 1 (CPython's _randbelow). */
static RtValue *randbelow(RtValue *n) {
    int64_t v;
    if (rt__int_small(n, &v)) return rt_int((int64_t)below_u64((uint64_t)v));
    mpz_srcptr nz = ((RtInt *)n)->big;
    uint64_t k = mpz_sizeinbase(nz, 2);
    mpz_t r;
    mpz_init(r);
    do random_bits(r, k);
    while (mpz_cmp(r, nz) >= 0);
    return rt__int_from_mpz(r);
}

/* ==== seed, random, getrandbits ================================================= */

/* The 64-bit words of an int's magnitude (seed(-5) == seed(5), as CPython). */
static void seed_int(RtValue *a) {
    RtMpzTmp t;
    mpz_srcptr z = rt__int_mpz(a, &t);
    size_t n = mpz_size(z);
    uint64_t small[8], *w = n <= 8 ? small : rt_malloc(n * sizeof *w);
    if (!w) {
        RT_CLEAR(rt_exc_pending);          /* still seed, from the low word */
        w = small;
        n = 1;
    }
    for (size_t i = 0; i < n; i++) w[i] = mpz_getlimbn(z, (mp_size_t)i);
    seed_words(w, n);
    if (w != small) rt_free(w);
}

/* Text and bytes seed by their bytes, 8 at a time. */
static void seed_bytes(const unsigned char *p, size_t n) {
    uint64_t w[64] = {0};
    size_t k = 0;
    uint64_t acc = 0x243f6a8885a308d3ULL;
    for (size_t i = 0; i < n; i++) {
        acc = (acc ^ p[i]) * 0x100000001b3ULL;   /* FNV-1a over the bytes */
        if ((i & 7) == 7) w[k++ % 64] ^= acc;
    }
    w[k++ % 64] ^= acc ^ n;
    seed_words(w, k < 64 ? k : 64);
}

RtValue *rt_random_seed(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"a", "version"};
    RtValue *av[2];
    if (rt_parse_args("seed", args, nargs, kwnames, names, 2, 0, 0, 0, av) < 0) return NULL;
    RtValue *a = av[0];
    if (!a || a == rt_None) seed_from_os();
    else if (rt_is_int(a)) seed_int(a);
    else if (rt_is_float(a)) {
        double d = rt_float_val(a);
        uint64_t u;
        memcpy(&u, &d, sizeof u);
        seed_words(&u, 1);
    } else if (rt_is_str(a)) seed_bytes((const unsigned char *)rt_str_data(a), rt_str_nbytes(a));
    else if (rt_is_bytes(a)) seed_bytes(((RtBytes *)a)->data, ((RtBytes *)a)->len);
    else if (rt_is_bytearray(a)) seed_bytes(((RtByteArray *)a)->data, ((RtByteArray *)a)->len);
    else
        return rt_raise(&rt_exc_TypeError,
                        "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
    return rt_None;
}

RtValue *rt_random_random(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    (void)args;
    if (rt__no_args("random", nargs, kwnames) < 0) return NULL;
    return rt_float(rt_random_f64());
}

RtValue *rt_random_getrandbits(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    int64_t k;
    if (rt_no_kwargs("getrandbits", kwnames) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "getrandbits() takes exactly one argument (%zu given)", nargs);
    if (rt_int_as_i64(args[0], &k) < 0) return NULL;
    if (k < 0) return rt_raise(&rt_exc_ValueError, "number of bits must be non-negative");
    if (k <= 63) return rt_int(k ? (int64_t)(next64() >> (64 - k)) : 0);
    mpz_t z;
    mpz_init(z);
    random_bits(z, (uint64_t)k);
    return rt__int_from_mpz(z);
}

/* ==== integers in a range ============================================================ */

/* An int argument of randrange: ints, or integral floats (deprecated in
 * 3.11 but accepted); `what` names it in the ValueError. New reference. */
static RtValue *range_arg(RtValue *o, const char *what) {
    if (rt_is_int(o)) return rt_newref(o);
    RtValue *args[1] = {o};
    RtValue *i = rt_call((RtValue *)&rt_type_int, args, 1, NULL);
    if (!i) return NULL;
    int eq = rt_eq(i, o);
    if (eq <= 0) {
        rt_decref(i);
        return eq < 0 ? NULL : rt_raise_fmt(&rt_exc_ValueError, "non-integer %s for randrange()", what);
    }
    return i;
}

/* start + step * randbelow(n), all ints. */
static RtValue *offset_draw(RtValue *start, RtValue *step, RtValue *n) {
    RtValue *r = randbelow(n);
    if (!r) return NULL;
    if (step) {
        RtValue *t = rt_binop(step, r, RT_MUL);
        rt_decref(r);
        if (!(r = t)) return NULL;
    }
    RtValue *sum = rt_binop(start, r, RT_ADD);
    rt_decref(r);
    return sum;
}

/* randrange with every argument already an int (step NULL means 1). */
static RtValue *randrange_ints(RtValue *start, RtValue *stop, RtValue *step) {
    if (!stop) {
        if (rt_int_sign(start) > 0) return randbelow(start);
        return rt_raise(&rt_exc_ValueError, "empty range for randrange()");
    }
    RtValue *width = rt_binop(stop, start, RT_SUB), *r = NULL, *n = NULL;
    if (!width) return NULL;
    int64_t st = 1;
    bool unit = !step || (rt__int_small(step, &st) && st == 1);
    if (unit) {
        if (rt_int_sign(width) > 0) r = offset_draw(start, NULL, width);
        else r = rt_raise_fmt(&rt_exc_ValueError, "empty range for randrange() (%S, %S, %S)", start, stop, width);
        rt_decref(width);
        return r;
    }
    int sign = rt_int_sign(step);
    if (sign == 0) {
        rt_decref(width);
        return rt_raise(&rt_exc_ValueError, "zero step for randrange()");
    }
    /* n = (width + step - 1) // step, or (width + step + 1) // step for a negative step */
    RtValue *adj = rt_int(sign > 0 ? -1 : 1), *t1 = rt_binop(width, step, RT_ADD);
    RtValue *t2 = t1 ? rt_binop(t1, adj, RT_ADD) : NULL;
    n = t2 ? rt_binop(t2, step, RT_FLOORDIV) : NULL;
    rt_xdecref(t1);
    rt_xdecref(t2);
    rt_decref(width);
    if (!n) return NULL;
    if (rt_int_sign(n) <= 0) r = rt_raise(&rt_exc_ValueError, "empty range for randrange()");
    else r = offset_draw(start, step, n);
    rt_decref(n);
    return r;
}

RtValue *rt_random_randrange(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"start", "stop", "step"};
    RtValue *av[3], *iv[3] = {NULL, NULL, NULL}, *r = NULL;
    static const char *const what[] = {"arg 1", "stop", "step"};
    if (rt_parse_args("randrange", args, nargs, kwnames, names, 3, 1, 0, 0, av) < 0) return NULL;
    if (av[1] == rt_None) av[1] = NULL;
    if (!av[1] && av[2]) return rt_raise(&rt_exc_TypeError, "Missing a non-None stop argument");
    for (int i = 0; i < 3; i++)
        if (av[i] && !(iv[i] = range_arg(av[i], what[i]))) goto done;
    r = randrange_ints(iv[0], iv[1], iv[2]);
done:
    for (int i = 0; i < 3; i++) rt_xdecref(iv[i]);
    return r;
}

RtValue *rt_random_randint(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"a", "b"};
    RtValue *av[2];
    if (rt_parse_args("randint", args, nargs, kwnames, names, 2, 2, 0, 0, av) < 0) return NULL;
    int64_t a, b;
    if (rt_is_int(av[0]) && rt_is_int(av[1]) && rt__int_small(av[0], &a) && rt__int_small(av[1], &b) &&
        a <= b)
        return rt_int(rt_random_i64_between(a, b));
    RtValue *one = rt_int(1), *b1 = rt_binop(av[1], one, RT_ADD);
    if (!b1) return NULL;
    RtValue *call[2] = {av[0], b1};
    RtValue *r = rt_random_randrange(NULL, call, 2, NULL);
    rt_decref(b1);
    return r;
}

/* ==== floats ==================================================================================== */

RtValue *rt_random_uniform(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"a", "b"};
    RtValue *av[2];
    if (rt_parse_args("uniform", args, nargs, kwnames, names, 2, 2, 0, 0, av) < 0) return NULL;
    double a, b;
    if (rt_is_float(av[0]) || rt_is_int(av[0])) {
        if ((rt_is_float(av[1]) || rt_is_int(av[1])) && rt_as_double(av[0], &a) == 0 &&
            rt_as_double(av[1], &b) == 0)
            return rt_float(a + (b - a) * rt_random_f64());
        if (RT_ERR()) return NULL;
    }
    /* a + (b - a) * random() with the generic operators (their errors) */
    RtValue *d = rt_binop(av[1], av[0], RT_SUB), *u = d ? rt_float(rt_random_f64()) : NULL;
    RtValue *m = u ? rt_binop(d, u, RT_MUL) : NULL, *r = m ? rt_binop(av[0], m, RT_ADD) : NULL;
    rt_xdecref(d);
    rt_xdecref(u);
    rt_xdecref(m);
    return r;
}

RtValue *rt_random_gauss(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"mu", "sigma"};
    RtValue *av[2];
    if (rt_parse_args("gauss", args, nargs, kwnames, names, 2, 0, 0, 0, av) < 0) return NULL;
    double mu = 0.0, sigma = 1.0, z;
    if ((av[0] && rt_as_double(av[0], &mu) < 0) || (av[1] && rt_as_double(av[1], &sigma) < 0)) return NULL;
    if (gauss_ready) {
        z = gauss_next;
        gauss_ready = false;
    } else {
        double x2pi = rt_random_f64() * 6.283185307179586;
        double g2rad = sqrt(-2.0 * log(1.0 - rt_random_f64()));
        z = cos(x2pi) * g2rad;
        gauss_next = sin(x2pi) * g2rad;
        gauss_ready = true;
    }
    return rt_float(mu + z * sigma);
}

/* ==== sequences ================================================================================= */

/* seq[i] for any sequence. New reference. */
static RtValue *seq_item(RtValue *seq, int64_t i) {
    if (rt_is_list(seq)) return rt_newref(RT_LIST_GET(seq, i));
    if (rt_is_tuple(seq)) return rt_newref(RT_TUPLE_GET(seq, i));
    RtValue *k = rt_int(i);
    if (!k) return NULL;
    RtValue *r = rt_getitem(seq, k);
    rt_decref(k);
    return r;
}

RtValue *rt_random_choice(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_no_kwargs("choice", kwnames) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "choice() takes 2 positional arguments but %zu were given",
                                        nargs + 1);
    int64_t n = rt_len(args[0]);
    if (n < 0) return NULL;
    if (n == 0) return rt_raise(&rt_exc_IndexError, "Cannot choose from an empty sequence");
    return seq_item(args[0], (int64_t)below_u64((uint64_t)n));
}

RtValue *rt_random_shuffle(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_no_kwargs("shuffle", kwnames) < 0) return NULL;
    if (nargs != 1) return rt_raise_fmt(&rt_exc_TypeError, "shuffle() takes 2 positional arguments but %zu were given",
                                        nargs + 1);
    RtValue *x = args[0];
    int64_t n = rt_len(x);
    if (n < 0) return NULL;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)below_u64((uint64_t)i + 1);
        if (rt_is_list(x)) {            /* the common case, in place */
            RtValue **it = ((RtList *)x)->items, *t = it[i];
            it[i] = it[j];
            it[j] = t;
            continue;
        }
        RtValue *a = seq_item(x, i), *b = a ? seq_item(x, j) : NULL;
        RtValue *ki = rt_int(i), *kj = rt_int(j);
        int rc = (a && b && ki && kj && rt_setitem(x, ki, b) == 0 && rt_setitem(x, kj, a) == 0) ? 0 : -1;
        rt_xdecref(a);
        rt_xdecref(b);
        rt_xdecref(ki);
        rt_xdecref(kj);
        if (rc < 0) return NULL;
    }
    return rt_None;
}

/* Is o a sequence for sample()? CPython asks collections.abc.Sequence:
 * list, tuple, str, range, bytes... but not dict or set. */
static bool is_sequence(RtValue *o) {
    RtType *t = o->type;
    return t == &rt_type_list || t == &rt_type_tuple || t == &rt_type_str || t == &rt_type_range ||
           t == &rt_type_bytes || t == &rt_type_bytearray;
}

RtValue *rt_random_sample(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"population", "k", "counts"};
    RtValue *av[3];
    if (rt_parse_args("sample", args, nargs, kwnames, names, 3, 2, 0, 1, av) < 0) return NULL;
    if (!is_sequence(av[0]))
        return rt_raise(&rt_exc_TypeError, "Population must be a sequence.  For dicts or sets, use sorted(d).");
    if (av[2] && av[2] != rt_None)
        return rt_raise(&rt_exc_NotImplementedError, "random.sample(counts=...) is not supported by mp2c");
    int64_t n = rt_len(av[0]), k;
    if (n < 0 || rt_int_as_i64(av[1], &k) < 0) return NULL;
    if (k < 0 || k > n) return rt_raise(&rt_exc_ValueError, "Sample larger than population or is negative");
    /* a partial Fisher-Yates over indexes: k draws, no repeats */
    int64_t *idx = rt_malloc((size_t)(n ? n : 1) * sizeof *idx);
    RtValue *out = idx ? rt_list_new((size_t)k) : NULL;
    if (!out) {
        rt_free(idx);
        return NULL;
    }
    for (int64_t i = 0; i < n; i++) idx[i] = i;
    for (int64_t i = 0; i < k; i++) {
        int64_t j = i + (int64_t)below_u64((uint64_t)(n - i));
        int64_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        RtValue *item = seq_item(av[0], idx[i]);
        if (!item || rt_list_append(out, item) < 0) {
            rt_xdecref(item);
            RT_CLEAR(out);
            break;
        }
        rt_decref(item);
    }
    rt_free(idx);
    return out;
}

/* The running sums of weights (cum == NULL) or the given cumulative
 * weights, as doubles. 0 or -1. */
static int cumulative(RtValue *w, bool already, double *out, int64_t n) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; i++) {
        RtValue *x = seq_item(w, i);
        double d;
        int rc = x ? rt_as_double(x, &d) : -1;
        rt_xdecref(x);
        if (rc < 0) return -1;
        acc = already ? d : acc + d;
        out[i] = acc;
    }
    return 0;
}

/* The first index i in [0, hi) with cum[i] > x (bisect_right). */
static int64_t bisect_right(const double *cum, double x, int64_t hi) {
    int64_t lo = 0;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (x < cum[mid]) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

RtValue *rt_random_choices(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const names[] = {"population", "weights", "cum_weights", "k"};
    RtValue *av[4];
    if (rt_parse_args("choices", args, nargs, kwnames, names, 4, 1, 0, 2, av) < 0) return NULL;
    RtValue *pop = av[0], *w = av[1] == rt_None ? NULL : av[1], *cw = av[2] == rt_None ? NULL : av[2];
    int64_t n = rt_len(pop), k = 1;
    if (n < 0 || (av[3] && rt_int_as_i64(av[3], &k) < 0)) return NULL;
    if (w && cw) return rt_raise(&rt_exc_TypeError, "Cannot specify both weights and cumulative weights");
    double *cum = NULL, total = 0.0;
    if (w || cw) {
        int64_t nw = rt_len(w ? w : cw);
        if (nw < 0) return NULL;
        if (nw != n) return rt_raise(&rt_exc_ValueError, "The number of weights does not match the population");
        if (!(cum = rt_malloc((size_t)(n ? n : 1) * sizeof *cum))) return NULL;
        if (cumulative(w ? w : cw, cw != NULL, cum, n) < 0) goto fail;
        total = n ? cum[n - 1] : 0.0;
        if (total <= 0.0) {
            rt_raise(&rt_exc_ValueError, "Total of weights must be greater than zero");
            goto fail;
        }
        if (!isfinite(total)) {
            rt_raise(&rt_exc_ValueError, "Total of weights must be finite");
            goto fail;
        }
    }
    RtValue *out = rt_list_new(k > 0 ? (size_t)k : 0);
    for (int64_t i = 0; out && i < k; i++) {
        if (n == 0) {
            rt_raise(&rt_exc_IndexError, "list index out of range");
            RT_CLEAR(out);
            break;
        }
        int64_t j = cum ? bisect_right(cum, rt_random_f64() * total, n - 1)
                        : (int64_t)floor(rt_random_f64() * (double)n);
        RtValue *item = seq_item(pop, j);
        if (!item || rt_list_append(out, item) < 0) RT_CLEAR(out);
        rt_xdecref(item);
    }
    rt_free(cum);
    return out;
fail:
    rt_free(cum);
    return NULL;
}

const RtMethodDef rt_random_methods[] = {
    {"seed", rt_random_seed},           {"random", rt_random_random},   {"randint", rt_random_randint},
    {"randrange", rt_random_randrange}, {"uniform", rt_random_uniform}, {"choice", rt_random_choice},
    {"choices", rt_random_choices},     {"shuffle", rt_random_shuffle}, {"sample", rt_random_sample},
    {"gauss", rt_random_gauss},         {"getrandbits", rt_random_getrandbits},
    {NULL, NULL},
};

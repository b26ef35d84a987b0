/* primes_hand.c: the hand-written C floor for bench/script_primes.py, for
 * bench/pairs.py. The same trial division over the same 100,000-wide
 * chunks, shared by two forked workers (alternate chunks, which balances
 * the load as the Pool's queue does) that send their counts back through a
 * pipe. Prints the count, as the script does.
 *   usage: primes_hand [N]        (N = 2,000,000 by default) */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { WORKERS = 2, STEP = 100000 };

static bool is_prime(int64_t n) {
    if (n < 2) return false;
    if (n % 2 == 0) return n == 2;
    for (int64_t i = 3; i * i <= n; i += 2)
        if (n % i == 0) return false;
    return true;
}

static int64_t count_chunks(int64_t n, int worker) {
    int64_t count = 0;
    for (int64_t lo = (int64_t)worker * STEP; lo < n; lo += (int64_t)WORKERS * STEP) {
        int64_t hi = lo + STEP < n ? lo + STEP : n;
        for (int64_t k = lo; k < hi; k++) count += is_prime(k);
    }
    return count;
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? atoll(argv[1]) : 2000000;
    int fds[2];
    if (pipe(fds) < 0) { perror("pipe"); return 1; }
    for (int w = 0; w < WORKERS; w++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            int64_t c = count_chunks(n, w);
            _exit(write(fds[1], &c, sizeof c) == (ssize_t)sizeof c ? 0 : 1);
        }
    }
    close(fds[1]);
    int64_t total = 0, c;
    for (int w = 0; w < WORKERS; w++) {
        if (read(fds[0], &c, sizeof c) != (ssize_t)sizeof c) { fprintf(stderr, "a worker failed\n"); return 1; }
        total += c;
    }
    while (wait(NULL) > 0) {}
    printf("%lld\n", (long long)total);
    return 0;
}

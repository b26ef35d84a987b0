/* driver.c: the commands that produce C and programs — emit, build, run —
 * and the analysis shared with check.
 *
 * The pipeline, one call per line, as DESIGN.md draws it:
 *   parse (drv_load) → resolve → infer → emit → cc
 * Nothing is written until every phase succeeded, so a bad script never
 * leaves a half-written output behind.
 *
 * build finds the runtime next to the translator: in the build tree
 * (<dir of mp2c>/libmp2crt.a and include/) or in an install prefix
 * (<prefix>/bin/mp2c, <prefix>/lib, <prefix>/include), and honours CC and
 * CFLAGS. run caches the program under ~/.cache/mp2c keyed by a hash of
 * everything that goes into it, then execs it, so its exit code is the
 * program's.
 */
#include "driver.h"
#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Runs the semantic passes and the emitter into `out`. 0 ok, 1 diagnostics. */
void drv_phase_done(const char *phase) {
    static struct timespec last;
    static int enabled = -1;
    if (enabled < 0) enabled = getenv("MP2C_TIMES") != NULL;
    if (!enabled) return;
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    if (phase)
        fprintf(stderr, "mp2c: %-8s %7.1f ms\n", phase,
                (double)(now.tv_sec - last.tv_sec) * 1e3 + (double)(now.tv_nsec - last.tv_nsec) / 1e6);
    last = now;
}

int drv_translate(Arena *a, const SrcFile *src, Node *module, Str *out, bool line_directives) {
    Program p = {0};
    p.arena = a;
    p.src = src;
    p.module = module;
    drv_phase_done(NULL);
    if (!sem_resolve(&p)) return 1;
    drv_phase_done("resolve");
    sem_infer(&p);
    drv_phase_done("infer");
    Str c = {0};
    bool ok = em_program(&p, &c, line_directives) && diag_error_count() == 0;
    drv_phase_done("emit");
    if (ok && out) str_putn(out, c.data ? c.data : "", c.len);
    str_free(&c);
    return ok ? 0 : 1;
}

/* Parse and translate `input`; the C text goes to *c. */
static int translate_file(Arena *a, SrcFile *src, const char *input, Str *c, bool line_directives) {
    int rc = 0;
    Node *m = drv_load(a, src, input, &rc);
    if (!m) return rc;
    return drv_translate(a, src, m, c, line_directives);
}

static int write_file(const char *path, const char *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "mp2c: cannot write %s: %s\n", path, strerror(errno));
        return 2;
    }
    bool ok = fwrite(data, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "mp2c: cannot write %s: %s\n", path, strerror(errno));
        remove(path);
        return 2;
    }
    return 0;
}

int drv_emit(const DriverOpts *o) {
    Arena a = {0};
    SrcFile src;
    Str c = {0};
    int rc = translate_file(&a, &src, o->input, &c, o->line_directives);
    if (rc == 0) {
        if (o->output) rc = write_file(o->output, c.data ? c.data : "", c.len);
        else fwrite(c.data ? c.data : "", 1, c.len, stdout);
    }
    str_free(&c);
    ar_release(&a);
    return rc;
}

/* ==== finding the runtime ==================================================== */

typedef struct Runtime { char lib[PATH_MAX + 64]; char inc[PATH_MAX + 64]; } Runtime;

static bool exists(const char *path) { return access(path, R_OK) == 0; }

static bool find_runtime(Runtime *rt) {
    char exe[PATH_MAX];
    const char *home = getenv("MP2C_HOME");
    if (home && *home) {
        snprintf(rt->lib, sizeof rt->lib, "%s/lib/libmp2crt.a", home);
        snprintf(rt->inc, sizeof rt->inc, "%s/include", home);
        if (exists(rt->lib)) return true;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return false;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return false;
    *slash = 0;
    /* the build tree: build/mp2c next to build/libmp2crt.a */
    snprintf(rt->lib, sizeof rt->lib, "%s/libmp2crt.a", exe);
    snprintf(rt->inc, sizeof rt->inc, "%s/include", exe);
    if (exists(rt->lib)) return true;
    /* an install: PREFIX/bin/mp2c, PREFIX/lib, PREFIX/include */
    snprintf(rt->lib, sizeof rt->lib, "%s/../lib/libmp2crt.a", exe);
    snprintf(rt->inc, sizeof rt->inc, "%s/../include", exe);
    return exists(rt->lib);
}

/* ==== running the C compiler ====================================================== */

typedef struct Argv { char **v; int n, cap; } Argv;

static void argv_push(Argv *a, const char *s) {
    if (a->n + 2 > a->cap) {
        a->cap = a->cap ? a->cap * 2 : 32;
        a->v = realloc(a->v, sizeof(char *) * (size_t)a->cap);
        if (!a->v) diag_fatal("out of memory");
    }
    a->v[a->n++] = strdup(s);
    a->v[a->n] = NULL;
}

/* Splits a flags string on blanks (CFLAGS="-O2 -g"); no shell quoting. */
static void argv_push_words(Argv *a, const char *s) {
    while (s && *s) {
        while (*s == ' ' || *s == '\t') s++;
        const char *e = s;
        while (*e && *e != ' ' && *e != '\t') e++;
        if (e > s) {
            char *w = strndup(s, (size_t)(e - s));
            argv_push(a, w);
            free(w);
        }
        s = e;
    }
}

static void argv_free(Argv *a) {
    for (int i = 0; i < a->n; i++) free(a->v[i]);
    free(a->v);
}

static int run_process(char **argv) {
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (err) {
        fprintf(stderr, "mp2c: cannot run %s: %s\n", argv[0], strerror(err));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* cc -std=c11 CFLAGS -I... prog.c libmp2crt.a -lgmp ... -o exe */
static int compile(const char *cfile, const char *exe) {
    Runtime rt;
    if (!find_runtime(&rt)) {
        fprintf(stderr, "mp2c: cannot find the runtime (libmp2crt.a) next to mp2c or in its install prefix;\n"
                        "      run `make` in the mp2c tree, or set MP2C_HOME to the install prefix\n");
        return 2;
    }
    const char *cc = getenv("CC");
    const char *cflags = getenv("CFLAGS");
    Argv a = {0};
    argv_push(&a, cc && *cc ? cc : "cc");
    argv_push(&a, "-std=c11");
    argv_push_words(&a, cflags ? cflags : "-O2");
    argv_push_words(&a, MP2C_SAN_FLAGS);   /* a sanitized mp2c builds sanitized programs */
    argv_push(&a, "-pthread");
    char inc[PATH_MAX + 80];
    snprintf(inc, sizeof inc, "-I%s", rt.inc);
    argv_push(&a, inc);
    argv_push(&a, cfile);
    argv_push(&a, rt.lib);
    argv_push_words(&a, MP2C_RT_LIBS);
    argv_push(&a, "-o");
    argv_push(&a, exe);
    int rc = run_process(a.v);
    argv_free(&a);
    if (rc != 0) {
        fprintf(stderr, "mp2c: the C compiler failed on the generated code (exit %d); this is a bug in mp2c\n", rc);
        return 1;
    }
    return 0;
}

/* X.py -> X */
static char *default_exe(const char *input) {
    size_t n = strlen(input);
    char *exe = strdup(input);
    if (n > 3 && strcmp(input + n - 3, ".py") == 0) exe[n - 3] = 0;
    else {
        free(exe);
        exe = malloc(n + 5);
        snprintf(exe, n + 5, "%s.out", input);
    }
    return exe;
}

/* Writes the C to a private temporary file; returns its path (malloc'd). */
static char *temp_c_file(const Str *c) {
    const char *dir = getenv("TMPDIR");
    char *path = malloc(PATH_MAX);
    snprintf(path, PATH_MAX, "%s/mp2c-XXXXXX.c", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 2);
    if (fd < 0) {
        fprintf(stderr, "mp2c: cannot create a temporary file: %s\n", strerror(errno));
        free(path);
        return NULL;
    }
    size_t off = 0;
    while (off < c->len) {
        ssize_t w = write(fd, c->data + off, c->len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { close(fd); unlink(path); free(path); return NULL; }
        off += (size_t)w;
    }
    close(fd);
    return path;
}

static int build_to(const DriverOpts *o, const char *exe) {
    Arena a = {0};
    SrcFile src;
    Str c = {0};
    int rc = translate_file(&a, &src, o->input, &c, o->line_directives);
    if (rc == 0) {
        char *cfile = temp_c_file(&c);
        rc = cfile ? compile(cfile, exe) : 2;
        if (cfile) { unlink(cfile); free(cfile); }
    }
    str_free(&c);
    ar_release(&a);
    return rc;
}

int drv_build(const DriverOpts *o) {
    char *exe = o->output ? strdup(o->output) : default_exe(o->input);
    int rc = build_to(o, exe);
    free(exe);
    return rc;
}

/* ==== run: build into a cache, then exec ============================================= */

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t file_hash(uint64_t h, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return fnv1a(h, path, strlen(path));
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) h = fnv1a(h, buf, n);
    fclose(f);
    return h;
}

static int mkdirs(const char *path) {
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(tmp, 0700) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int drv_run(const DriverOpts *o) {
    Runtime rt;
    uint64_t h = 0xcbf29ce484222325ull;
    h = file_hash(h, o->input);
    h = fnv1a(h, MP2C_VERSION, strlen(MP2C_VERSION));
    h = file_hash(h, "/proc/self/exe");   /* a rebuilt translator makes new programs */
    if (find_runtime(&rt)) h = file_hash(h, rt.lib);
    const char *cc = getenv("CC"), *cflags = getenv("CFLAGS");
    if (cc) h = fnv1a(h, cc, strlen(cc));
    if (cflags) h = fnv1a(h, cflags, strlen(cflags));
    h = fnv1a(h, o->input, strlen(o->input));   /* tracebacks name the path */

    const char *home = getenv("HOME");
    const char *xdg = getenv("XDG_CACHE_HOME");
    char dir[PATH_MAX], exe[PATH_MAX + 32], tmp[PATH_MAX + 64];
    if (xdg && *xdg) snprintf(dir, sizeof dir, "%s/mp2c", xdg);
    else if (home && *home) snprintf(dir, sizeof dir, "%s/.cache/mp2c", home);
    else snprintf(dir, sizeof dir, "/tmp/mp2c-cache-%d", (int)getuid());
    if (mkdirs(dir) < 0) {
        fprintf(stderr, "mp2c: cannot create the cache directory %s: %s\n", dir, strerror(errno));
        return 2;
    }
    snprintf(exe, sizeof exe, "%s/%016llx", dir, (unsigned long long)h);
    if (access(exe, X_OK) != 0) {
        snprintf(tmp, sizeof tmp, "%s.%d.tmp", exe, (int)getpid());
        int rc = build_to(o, tmp);
        if (rc != 0) { unlink(tmp); return rc; }
        if (rename(tmp, exe) < 0) { unlink(tmp); return 2; }
    }
    char **argv = calloc((size_t)o->run_argc + 2, sizeof(char *));
    argv[0] = (char *)o->input;
    for (int i = 0; i < o->run_argc; i++) argv[i + 1] = o->run_argv[i];
    fflush(stdout);
    execv(exe, argv);
    fprintf(stderr, "mp2c: cannot run %s: %s\n", exe, strerror(errno));
    free(argv);
    return 2;
}

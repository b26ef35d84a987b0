/* main.c: the mp2c command line.
 *
 *   mp2c emit  X.py [-o X.c] [--line-directives]   write C (stdout without -o)
 *   mp2c build X.py [-o EXE]                       emit, compile and link
 *   mp2c run   X.py [ARGS...]                      build into a cache and run
 *   mp2c check X.py                                diagnostics only
 *   mp2c dump-ast X.py / dump-cst X.py             debugging: the trees
 *
 * This file parses and validates the arguments (exit 2 on a usage error),
 * then hands a DriverOpts to one drv_* function (driver.h). `check` is
 * implemented here; the others live in driver.c. Until driver.c exists, the
 * weak stubs below keep the binary linkable and say so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "common.h"
#include "driver.h"

#ifndef MP2C_VERSION
#define MP2C_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: mp2c COMMAND SCRIPT.py [OPTIONS]\n"
    "\n"
    "Translate a Python multiprocessing script into a standalone C11 program.\n"
    "\n"
    "commands:\n"
    "  emit  X.py [-o X.c] [--line-directives]  write the C translation (stdout without -o);\n"
    "                                           --line-directives adds #line before each statement\n"
    "  build X.py [-o EXE]                      translate, compile and link (EXE defaults to X);\n"
    "                                           honours CC and CFLAGS\n"
    "  run   X.py [ARGS...]                     build into a cache and run with ARGS;\n"
    "                                           the exit code is the program's\n"
    "  check X.py                               parse and analyse only: diagnostics, nothing written\n"
    "\n"
    "  --help, -h      this text\n"
    "  --version       the version\n"
    "\n"
    "debugging: mp2c dump-ast X.py (CPython ast.dump format), mp2c dump-cst X.py\n"
    "exit codes: 0 ok, 1 diagnostics in the script, 2 usage error\n";

/* ---- weak stubs, replaced by driver.c ------------------------------------------ */

__attribute__((weak)) int drv_emit(const DriverOpts *o) {
    (void)o;
    fprintf(stderr, "mp2c: emit is not implemented yet\n");
    return 2;
}

__attribute__((weak)) int drv_build(const DriverOpts *o) {
    (void)o;
    fprintf(stderr, "mp2c: build is not implemented yet\n");
    return 2;
}

__attribute__((weak)) int drv_run(const DriverOpts *o) {
    (void)o;
    fprintf(stderr, "mp2c: run is not implemented yet\n");
    return 2;
}

/* ---- check --------------------------------------------------------------------- */

Node *drv_load(Arena *a, SrcFile *src, const char *path, int *rc) {
    if (!src_load(src, a, path)) {
        *rc = 2;
        return NULL;
    }
    drv_phase_done(NULL);
    Node *m = fe_parse(a, src);
    drv_phase_done("parse");
    *rc = m ? 0 : 1;
    return m;
}

/* check: the whole analysis (resolve, infer, and the emitter's own checks)
 * with nothing written. */
int drv_check(const DriverOpts *o) {
    Arena a = {0};
    SrcFile src;
    int rc;
    Node *m = drv_load(&a, &src, o->input, &rc);
    if (m) rc = drv_translate(&a, &src, m, NULL, false);
    ar_release(&a);
    return rc;
}

/* dump-ast / dump-cst: the trees, for tests and for whoever debugs the parser. */
static int dump(const char *path, bool cst) {
    Arena a = {0};
    SrcFile src;
    if (!src_load(&src, &a, path)) {
        ar_release(&a);
        return 2;
    }
    Str out = {0};
    int rc = 0;
    if (cst) {
        fe_dump_cst(&src, &out);
    } else {
        Node *m = fe_parse_syntax(&a, &src);
        if (m) {
            ast_dump(&out, m);
            str_putc(&out, '\n');
        } else {
            rc = 1;
        }
    }
    fwrite(str_cstr(&out), 1, out.len, stdout);
    str_free(&out);
    ar_release(&a);
    return rc;
}

/* ---- argument parsing ---------------------------------------------------------- */

static int usage_error(const char *fmt, const char *arg) {
    fputs("mp2c: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'mp2c --help'.\n", stderr);
    return 2;
}

typedef enum Cmd { CMD_EMIT, CMD_BUILD, CMD_RUN, CMD_CHECK, CMD_DUMP_AST, CMD_DUMP_CST } Cmd;

static const struct { const char *name; Cmd cmd; } commands[] = {
    {"emit", CMD_EMIT}, {"build", CMD_BUILD}, {"run", CMD_RUN}, {"check", CMD_CHECK},
    {"dump-ast", CMD_DUMP_AST}, {"dump-cst", CMD_DUMP_CST},
};

/* Parses the arguments after the command word into o. Returns 0 or 2. */
static int parse_args(Cmd cmd, const char *name, int argc, char **argv, DriverOpts *o) {
    bool opts_done = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cmd == CMD_RUN && o->input) {            /* the rest is the script's */
            o->run_argv = argv + i;
            o->run_argc = argc - i;
            break;
        }
        if (!opts_done && !strcmp(a, "--")) {
            opts_done = true;
        } else if (!opts_done && !strcmp(a, "-o") && (cmd == CMD_EMIT || cmd == CMD_BUILD)) {
            if (i + 1 >= argc)
                return usage_error("option '-o' needs a file name", NULL);
            if (o->output)
                return usage_error("option '-o' given twice", NULL);
            o->output = argv[++i];
        } else if (!opts_done && !strcmp(a, "--line-directives") && cmd == CMD_EMIT) {
            o->line_directives = true;
        } else if (!opts_done && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "mp2c: unknown option '%s' for '%s'\n", a, name);
            fputs("Try 'mp2c --help'.\n", stderr);
            return 2;
        } else if (o->input) {
            fprintf(stderr, "mp2c: '%s' takes one script; unexpected '%s'\n", name, a);
            fputs("Try 'mp2c --help'.\n", stderr);
            return 2;
        } else {
            o->input = a;
        }
    }
    if (!o->input)
        return usage_error("'%s' needs a script (mp2c COMMAND SCRIPT.py)", name);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return usage_error("no command given", NULL);
    const char *word = argv[1];
    if (!strcmp(word, "--help") || !strcmp(word, "-h") || !strcmp(word, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(word, "--version")) {
        printf("mp2c %s\n", MP2C_VERSION);
        return 0;
    }
    size_t i = 0;
    while (i < sizeof commands / sizeof commands[0] && strcmp(commands[i].name, word))
        i++;
    if (i == sizeof commands / sizeof commands[0])
        return usage_error("unknown command '%s'", word);
    Cmd cmd = commands[i].cmd;
    DriverOpts o = {0};
    if (parse_args(cmd, word, argc - 2, argv + 2, &o))
        return 2;
    switch (cmd) {
    case CMD_EMIT:     return drv_emit(&o);
    case CMD_BUILD:    return drv_build(&o);
    case CMD_RUN:      return drv_run(&o);
    case CMD_CHECK:    return drv_check(&o);
    case CMD_DUMP_AST: return dump(o.input, false);
    case CMD_DUMP_CST: return dump(o.input, true);
    }
    return 2;
}

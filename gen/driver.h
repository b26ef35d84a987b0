/* driver.h: the commands behind the command line (DESIGN.md, "Command line").
 *
 * main.c parses and validates the arguments, fills a DriverOpts and calls one
 * drv_* function, whose return value is the process's exit code:
 * 0 ok, 1 diagnostics in the script, 2 usage error (or unreadable input).
 * drv_check and drv_load live in main.c; drv_emit, drv_build and drv_run
 * live in driver.c.
 */
#ifndef MP2C_DRIVER_H
#define MP2C_DRIVER_H

#include <stdbool.h>

#include "ast.h"

typedef struct DriverOpts {
    const char *input;           /* the script */
    const char *output;          /* -o; NULL when not given */
    bool        line_directives; /* emit --line-directives */
    char      **run_argv;        /* run: the script's own arguments */
    int         run_argc;
} DriverOpts;

int drv_emit(const DriverOpts *o);   /* returns the process exit code */
int drv_build(const DriverOpts *o);
int drv_run(const DriverOpts *o);
int drv_check(const DriverOpts *o);  /* every phase but writing C; prints nothing when clean */

/* Loads `path` into *src and runs the front end (fe_parse: syntax and subset
 * check), before anything is written, so a bad script never leaves an output
 * file behind. Returns the module; or NULL with *rc = 1 (diagnostics were
 * printed) or 2 (the file cannot be read). Everything lives in `a`. */
Node *drv_load(Arena *a, SrcFile *src, const char *path, int *rc);

/* The semantic passes and the emitter on a parsed module (driver.c): the C
 * text goes to *out when out is not NULL. 0 ok, 1 diagnostics. */
int drv_translate(Arena *a, const SrcFile *src, Node *module, Str *out, bool line_directives);

/* With MP2C_TIMES set in the environment, each phase prints its CPU time on
 * stderr ("mp2c: parse 12.3 ms"). Call with NULL to start the clock, then
 * with each phase's name as it ends. For bench/parse_bench.sh, and for
 * whoever wonders where the time goes. */
void drv_phase_done(const char *phase);

#endif

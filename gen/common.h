/* common.h: what every phase of the translator shares.
 *
 * - Loc: a 1-based line and column (columns count bytes, as tree-sitter does;
 *   the caret printer converts to display width).
 * - Arena: the translator never frees single objects. Everything a phase makes
 *   lives in one arena released once at exit (chibicc never frees; QBE frees
 *   per function).
 * - Str: a growable byte buffer, for building C text and messages.
 * - Diagnostics: gcc-style "file:line:col: error: msg", the source line and a
 *   caret. Errors are counted; reporting stops after DIAG_MAX_ERRORS.
 */
#ifndef MP2C_COMMON_H
#define MP2C_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Loc {
    uint32_t line;   /* 1-based */
    uint32_t col;    /* 1-based, in bytes from the start of the line */
} Loc;

/* ---- arena ---------------------------------------------------------------- */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;
} Arena;

void *ar_alloc(Arena *a, size_t n);                  /* zeroed; fatal on OOM */
char *ar_strndup(Arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *ar_strdup(Arena *a, const char *s);
char *ar_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void  ar_release(Arena *a);                          /* frees every block */

/* ---- growable string -------------------------------------------------------- */
typedef struct Str {
    char  *data;     /* always NUL-terminated when len > 0 or after str_cstr */
    size_t len, cap;
} Str;

void str_putn(Str *s, const char *p, size_t n);
void str_puts(Str *s, const char *p);
void str_putc(Str *s, char c);
void str_printf(Str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void str_vprintf(Str *s, const char *fmt, va_list ap);
const char *str_cstr(Str *s);                        /* "" when empty */
void str_free(Str *s);

/* ---- source files and diagnostics ------------------------------------------- */
typedef struct SrcFile {
    const char *path;      /* as given on the command line */
    const char *text;      /* the bytes of the file, NUL-terminated */
    size_t      len;       /* byte length (the file may contain NUL bytes) */
    uint32_t   *line_off;  /* byte offset of the start of each line; [0] = line 1 */
    uint32_t    nlines;
} SrcFile;

#define DIAG_MAX_ERRORS 20

/* Loads path into f (text allocated in a). Returns false and prints an error
 * ("mp2c: cannot read X: reason") when the file cannot be read. */
bool src_load(SrcFile *f, Arena *a, const char *path);
/* Wraps an in-memory buffer (tests). */
void src_from_string(SrcFile *f, Arena *a, const char *path, const char *text, size_t len);
/* The bytes of line `line` (1-based) without its newline; *n receives the length. */
const char *src_line(const SrcFile *f, uint32_t line, size_t *n);

/* Where diagnostics go (stderr by default; tests point it at a memstream). */
void diag_set_stream(void *file /* FILE* */);
/* Reports "path:line:col: error: msg", the source line and a caret whose
 * position is computed by display width (full-width CJK = 2 columns, tabs
 * expand to the next multiple of 8). `end`, when on the same line and after
 * loc, extends the caret with '~' as gcc does; pass (Loc){0,0} for none. */
void diag_error(const SrcFile *f, Loc loc, Loc end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_note(const SrcFile *f, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int  diag_error_count(void);
void diag_reset(void);
/* Internal errors: never the user's fault. Prints and exits 70. */
_Noreturn void diag_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define unreachable() diag_fatal("internal error at %s:%d", __FILE__, __LINE__)

/* Display width of the UTF-8 bytes s[0..n), as a terminal shows them. */
int display_width(const char *s, size_t n);

#endif

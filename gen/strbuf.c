/* strbuf.c: Str, a growable byte buffer (declared in common.h).
 *
 * Used for C text, diagnostic messages and ast_dump(). The buffer is plain
 * malloc'd memory owned by the Str; str_free() releases it. The data is kept
 * NUL-terminated after every append so that str_cstr() is O(1). Running out
 * of memory is an internal error (diag_fatal), never a silent truncation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void grow(Str *s, size_t extra) {
    size_t need = s->len + extra + 1;
    if (need <= s->cap)
        return;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(s->data, cap);
    if (!p)
        diag_fatal("out of memory (string of %zu bytes)", cap);
    s->data = p;
    s->cap = cap;
}

void str_putn(Str *s, const char *p, size_t n) {
    grow(s, n);
    if (n)
        memcpy(s->data + s->len, p, n);
    s->len += n;
    s->data[s->len] = '\0';
}

void str_puts(Str *s, const char *p) {
    str_putn(s, p, strlen(p));
}

void str_putc(Str *s, char c) {
    grow(s, 1);
    s->data[s->len++] = c;
    s->data[s->len] = '\0';
}

void str_vprintf(Str *s, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n > 0) {
        grow(s, (size_t)n);
        vsnprintf(s->data + s->len, (size_t)n + 1, fmt, ap2);
        s->len += (size_t)n;
    }
    va_end(ap2);
}

void str_printf(Str *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    str_vprintf(s, fmt, ap);
    va_end(ap);
}

const char *str_cstr(Str *s) {
    return s->len ? s->data : "";
}

void str_free(Str *s) {
    free(s->data);
    s->data = NULL;
    s->len = s->cap = 0;
}

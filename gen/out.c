/* out.c: the emitter's output — printf-style lines with indentation owned
 * by the helper (chibicc's println, shedskin's indent), and C string
 * literals escaped for any byte. Formats never contain indentation.
 */
#include "emit.h"

#include <stdio.h>
#include <string.h>

static void indent(Out *o) {
    for (int i = 0; i < o->depth; i++) str_puts(&o->buf, "    ");
}

void out_line(Out *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    indent(o);
    str_vprintf(&o->buf, fmt, ap);
    str_putc(&o->buf, '\n');
    va_end(ap);
}

void out_open(Out *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    indent(o);
    str_vprintf(&o->buf, fmt, ap);
    str_puts(&o->buf, " {\n");
    va_end(ap);
    o->depth++;
}

void out_block(Out *o) {
    indent(o);
    str_puts(&o->buf, "{\n");
    o->depth++;
}

void out_close(Out *o) {
    o->depth--;
    indent(o);
    str_puts(&o->buf, "}\n");
}

void out_label(Out *o, const char *label) {
    /* labels sit one level out, as in hand-written C */
    int d = o->depth;
    o->depth = d > 0 ? d - 1 : 0;
    indent(o);
    str_printf(&o->buf, "%s:;\n", label);
    o->depth = d;
}

void out_raw(Out *o, const char *text) { str_puts(&o->buf, text); }

/* Appends a C string literal for the bytes s[0..n): printable ASCII as is,
 * everything else as octal escapes (which, unlike \x, cannot swallow the
 * following digits). */
void out_cstr(Str *b, const char *s, size_t n) {
    str_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': str_puts(b, "\\\""); break;
        case '\\': str_puts(b, "\\\\"); break;
        case '\n': str_puts(b, "\\n"); break;
        case '\t': str_puts(b, "\\t"); break;
        case '?': str_puts(b, "\\?"); break;   /* no trigraphs */
        default:
            if (c >= 0x20 && c < 0x7f) str_putc(b, (char)c);
            else str_printf(b, "\\%03o", c);
        }
    }
    str_putc(b, '"');
}

const char *cstr_lit(Arena *a, const char *s, size_t n) {
    Str b = {0};
    out_cstr(&b, s, n);
    const char *r = ar_strndup(a, str_cstr(&b), b.len);
    str_free(&b);
    return r;
}

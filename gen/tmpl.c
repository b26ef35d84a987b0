/* tmpl.c: expands the C templates in templates/NAME.c.tmpl (embedded into the
 * translator at build time as templates.inc).
 *
 * The placeholder language, all of it:
 *   ${name}   is replaced by the value of `name`;
 *             when the placeholder stands alone on its line, a multi-line
 *             value is re-indented to the placeholder's column (QBE's
 *             omap and Wren's .inc files do the same job).
 * An unknown name is an internal error: templates and emitter change together.
 */
#include "tmpl.h"

#include <string.h>

typedef struct TmplRow { const char *name, *text; } TmplRow;

static const TmplRow templates[] = {
#include "templates.inc"
};

const char *tp_template(const char *name) {
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
        if (strcmp(templates[i].name, name) == 0) return templates[i].text;
    diag_fatal("internal error: no template named '%s'", name);
}

static const char *lookup(const TpVar *vars, int n, const char *name, size_t len) {
    for (int i = 0; i < n; i++)
        if (strlen(vars[i].name) == len && strncmp(vars[i].name, name, len) == 0) return vars[i].value;
    diag_fatal("internal error: template placeholder ${%.*s} has no value", (int)len, name);
}

/* Writes value, indenting every line after the first by `col` spaces. */
static void put_indented(Str *out, const char *value, size_t col) {
    for (const char *p = value; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (p != value && len > 0)
            for (size_t i = 0; i < col; i++) str_putc(out, ' ');
        str_putn(out, p, len);
        if (!nl) break;
        str_putc(out, '\n');
        p = nl + 1;
    }
}

void tp_expand(Str *out, const char *tmpl, const TpVar *vars, int n) {
    const char *line = tmpl;
    for (const char *p = tmpl; *p;) {
        if (*p == '\n') { str_putc(out, '\n'); line = ++p; continue; }
        if (p[0] != '$' || p[1] != '{') { str_putc(out, *p++); continue; }
        const char *end = strchr(p, '}');
        if (!end) diag_fatal("internal error: unterminated placeholder in template");
        const char *value = lookup(vars, n, p + 2, (size_t)(end - p - 2));
        bool alone = strspn(line, " ") == (size_t)(p - line) && (end[1] == '\n' || end[1] == 0);
        if (alone) put_indented(out, value, (size_t)(p - line));
        else str_puts(out, value);
        p = end + 1;
    }
}

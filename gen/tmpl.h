/* tmpl.h: C templates with ${name} placeholders (see tmpl.c). */
#ifndef MP2C_TMPL_H
#define MP2C_TMPL_H

#include "common.h"

typedef struct TpVar { const char *name, *value; } TpVar;

/* The text of templates/<name>.c.tmpl. */
const char *tp_template(const char *name);
/* Appends tmpl to out with each ${name} replaced from vars. */
void tp_expand(Str *out, const char *tmpl, const TpVar *vars, int n);

#endif

/* text_helpers.h: text of runtime values for the unit tests' assertions,
 * shared by the futures, pool and queue tests. Each returns a static
 * buffer, valid until the next call.
 * Include after cmocka.h. */
#ifndef TEXT_HELPERS_H
#define TEXT_HELPERS_H

#include <stdio.h>

#include "mp2c.h"

/* The pending exception as "Type: message" (as the expected-value
 * generators write it), or "no error"; clears it. */
static inline const char *exc_text(void) {
    static char buf[1024];
    RtValue *e = rt_exc_fetch();
    if (!e) return "no error";
    char name[128];
    rt_type_qualname(e->type, name, sizeof name);
    RtValue *s = rt_exc_str(e);
    if (s && rt_str_nbytes(s)) snprintf(buf, sizeof buf, "%s: %s", name, rt_str_data(s));
    else snprintf(buf, sizeof buf, "%s", name);
    rt_xdecref(s);
    rt_decref(e);
    return buf;
}

/* repr(v), which must not fail. */
static inline const char *repr_text(RtValue *v) {
    static char buf[4096];
    RtValue *r = rt_repr(v);
    assert_non_null(r);
    snprintf(buf, sizeof buf, "%s", rt_str_data(r));
    rt_decref(r);
    return buf;
}

/* An expected text with an address (%p) filled in. */
static inline const char *with_addr(const char *fmt, const void *p) {
    static char buf[512];
    snprintf(buf, sizeof buf, fmt, p);
    return buf;
}

#endif

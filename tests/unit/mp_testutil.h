/* mp_testutil.h: helpers shared by test_serial.c, test_proc.c and test_pipe.c.
 *
 * A tiny stand-in for a translated program (a function table and a class
 * table, as the generated code registers them in rt_program), and checks on
 * the pending exception against the strings CPython produced (mp_expected.h).
 */
#ifndef MP_TESTUTIL_H
#define MP_TESTUTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mp2c.h"   /* before cmocka.h, which redefines malloc under UNIT_TESTING */
#include <cmocka.h>

#include "mp_expected.h"

/* repr(v) into a static buffer (for assertions). */
static inline const char *t_repr(RtValue *v) {
    static char buf[8192];
    RtValue *r = rt_repr(v);
    assert_non_null(r);
    snprintf(buf, sizeof buf, "%s", rt_str_data(r));
    rt_decref(r);
    return buf;
}

/* Asserts that an exception of type `type` with str() == the printf-formatted
 * message is pending, and clears it. */
static inline void t_expect_exc(const char *type, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    assert_non_null(rt_exc_pending);
    RtValue *e = rt_exc_fetch();
    assert_string_equal(e->type->name, type);
    RtValue *s = rt_exc_str(e);
    assert_non_null(s);
    assert_string_equal(rt_str_data(s), msg);
    rt_decref(s);
    rt_decref(e);
}

/* CPython's text with the first `from` replaced by `to` (names that count up
 * differ between its run and ours). Static buffer. */
static inline const char *t_subst(const char *text, const char *from, const char *to) {
    static char buf[1024];
    const char *at = strstr(text, from);
    if (!at) return text;
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return buf;
}

static inline void t_no_exc(void) {
    if (rt_exc_pending) {
        RtValue *e = rt_exc_fetch();
        rt_exc_print(e);
        rt_decref(e);
        fail_msg("unexpected exception");
    }
}

/* No child left unreaped. */
static inline void t_no_zombies(void) {
    int st;
    errno = 0;
    assert_int_equal(waitpid(-1, &st, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static inline RtValue *t_str(const char *s) { return rt_str_from_cstr(s); }

/* kwnames tuple from C strings. New reference. */
static inline RtValue *t_kwnames(size_t n, ...) {
    va_list ap;
    va_start(ap, n);
    RtValue *t = rt_tuple_new(n);
    for (size_t i = 0; i < n; i++) RT_TUPLE_SET(t, i, rt_str_from_cstr(va_arg(ap, const char *)));
    va_end(ap);
    return t;
}

/* Calls o.name(*args). New reference or NULL. */
static inline RtValue *t_call(RtValue *o, const char *name, size_t n, ...) {
    RtValue *args[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) args[i] = va_arg(ap, RtValue *);
    va_end(ap);
    return rt_call_method(o, name, args, n, NULL);
}

/* Calls o.name(*args) and releases a non-NULL result; asserts success. */
static inline void t_ok(RtValue *r) {
    t_no_exc();
    assert_non_null(r);
    rt_decref(r);
}

#endif

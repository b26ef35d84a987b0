/* test_logging.c: the logging module — level filtering and %-arguments,
 * format strings in the three styles, asctime, exception text, level names,
 * reprs, propagation and the logger hierarchy, filters, errors, extra
 * fields, basicConfig and the module functions, the last-resort handler and
 * multiprocessing's log_to_stderr(). Each case makes the same calls, in the
 * same order, as tests/unit/gen_logging_expected.py, whose CPython output
 * is in logging_expected.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mp2c.h"
#include "logging_expected.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

/* ---- a StringIO stand-in: write() collects, getvalue() joins ------------------------- */

typedef struct Cap { RtValue ob; RtValue *parts; } Cap;

static RtValue *cap_write(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)kw;
    if (n != 1) return rt_raise(&rt_exc_TypeError, "write() takes one argument");
    if (rt_list_append(((Cap *)self)->parts, a[0]) < 0) return NULL;
    return rt_int(0);
}
static RtValue *cap_flush(RtValue *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)a; (void)n; (void)kw;
    return rt_None;
}
static void cap_dealloc(RtValue *self) { RT_CLEAR(((Cap *)self)->parts); }
static const RtMethodDef cap_methods[] = {{"write", cap_write}, {"flush", cap_flush}, {NULL, NULL}};
static RtType cap_type = {.ob = RT_STATIC_HEAD(&rt_type_type), .name = "StringIO", .module = "_io",
                          .tag = RT_T_NATIVE, .base = &rt_type_object, .size = sizeof(Cap), .table_index = -1,
                          .dealloc = cap_dealloc, .methods = cap_methods};

static RtValue *cap_new(void) {
    RtValue *c = rt_obj_alloc(&cap_type, sizeof(Cap));
    ((Cap *)c)->parts = rt_list_new(0);
    return c;
}

static const char *cap_value(RtValue *c) {
    static char buf[8192];
    RtValue *empty = rt_str_const("", 0);
    RtValue *s = rt_str_join(empty, ((Cap *)c)->parts);
    assert_non_null(s);
    snprintf(buf, sizeof buf, "%s", rt_str_data(s));
    rt_decref(s);
    return buf;
}

/* ---- the "script" functions ----------------------------------------------------------- */

static RtValue *f_nosecret(RtFunc *self, RtValue *const *a, size_t n, RtValue *kw) {
    (void)self; (void)n; (void)kw;
    RtValue *m = rt_call_method(a[0], "getMessage", NULL, 0, NULL);
    if (!m) return NULL;
    bool secret = strstr(rt_str_data(m), "secret") != NULL;
    rt_decref(m);
    return rt_bool(!secret);
}

static RtProgram program = {.path = "test_logging.py"};

static int setup(void **state) {
    (void)state;
    rt_program = &program;
    setenv("TZ", "UTC", 1);
    tzset();
    return 0;
}

/* ---- helpers --------------------------------------------------------------------------- */

static char exc_buf[1024];

static const char *exc_text(void) {
    RtValue *e = rt_exc_fetch();
    if (!e) return "no error";
    char name[128];
    rt_type_qualname(e->type, name, sizeof name);
    RtValue *s = rt_exc_str(e);
    if (s && rt_str_nbytes(s)) snprintf(exc_buf, sizeof exc_buf, "%s: %s", name, rt_str_data(s));
    else snprintf(exc_buf, sizeof exc_buf, "%s", name);
    rt_xdecref(s);
    rt_decref(e);
    return exc_buf;
}

static void no_exc(void) {
    if (rt_exc_pending) {
        RtValue *e = rt_exc_fetch();
        rt_exc_print(e);
        rt_decref(e);
        fail_msg("unexpected exception");
    }
}

static const char *repr_text(RtValue *v) {
    static char buf[2][4096];
    static int k;
    RtValue *r = rt_repr(v);
    no_exc();
    k ^= 1;
    snprintf(buf[k], sizeof buf[k], "%s", rt_str_data(r));
    rt_decref(r);
    return buf[k];
}

static RtValue *S(const char *s) { return rt_str_from_cstr(s); }
static RtValue *I(int64_t v) { return rt_int(v); }

static RtValue *get_logger(const char *name) {
    RtValue *n = name ? S(name) : NULL;
    RtValue *l = rt_logging_getLogger(NULL, &n, n ? 1 : 0, NULL);
    rt_xdecref(n);
    no_exc();
    return l;
}

/* o.m(*args) and o.m(*args, **{k: v}); all arguments stolen. */
static RtValue *call_kw(RtValue *o, const char *m, size_t n, RtValue **args, size_t nk, const char **knames,
                        RtValue **kvals) {
    RtValue *all[16], *kw = NULL;
    for (size_t i = 0; i < n; i++) all[i] = args[i];
    for (size_t i = 0; i < nk; i++) all[n + i] = kvals[i];
    if (nk) {
        kw = rt_tuple_new(nk);
        for (size_t i = 0; i < nk; i++) RT_TUPLE_SET(kw, i, S(knames[i]));
    }
    RtValue *r = m ? rt_call_method(o, m, all, n, kw) : rt_call(o, all, n, kw);
    rt_xdecref(kw);
    for (size_t i = 0; i < n + nk; i++) rt_decref(all[i]);
    return r;
}

static RtValue *call(RtValue *o, const char *m, size_t n, ...) {
    RtValue *args[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) args[i] = va_arg(ap, RtValue *);
    va_end(ap);
    return call_kw(o, m, n, args, 0, NULL, NULL);
}

/* call() that must succeed; drops the result. */
static void ok(RtValue *r) {
    no_exc();
    assert_non_null(r);
    rt_decref(r);
}

/* obj.<attr> = [] */
static void set_empty_list(RtValue *obj, const char *attr) {
    RtValue *l = rt_list_new(0);
    assert_int_equal(rt_setattr(obj, attr, l), 0);
    rt_decref(l);
}

static RtValue *formatter(const char *fmt, const char *datefmt, const char *style) {
    RtValue *args[3] = {fmt ? S(fmt) : rt_newref(rt_None), datefmt ? S(datefmt) : rt_newref(rt_None),
                        S(style ? style : "%")};
    RtValue *f = call_kw((RtValue *)&rt_logging_Formatter, NULL, 3, args, 0, NULL, NULL);
    no_exc();
    return f;
}

/* The generator's fresh(): one capturing handler, no propagation. */
static RtValue *fresh(const char *name, const char *fmt, int64_t level, const char *style, RtValue **cap) {
    RtValue *lg = get_logger(name);
    set_empty_list(lg, "handlers");
    *cap = cap_new();
    RtValue *h = call((RtValue *)&rt_logging_StreamHandler, NULL, 1, rt_newref(*cap));
    no_exc();
    ok(call(h, "setFormatter", 1, formatter(fmt, NULL, style)));
    ok(call(lg, "addHandler", 1, h));
    ok(call(lg, "setLevel", 1, I(level)));
    assert_int_equal(rt_setattr(lg, "propagate", rt_False), 0);
    return lg;
}

/* Runs fn with fd 2 going to a temporary file; returns what was written. */
static const char *capture_stderr(void (*fn)(void)) {
    static char buf[4096];
    char path[] = "/tmp/test_logging_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    unlink(path);
    return buf;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_levels_and_args(void **state) {
    (void)state;
    RtValue *cap, *lg = fresh("app", "%(levelname)s:%(name)s:%(message)s", 20, NULL, &cap);
    ok(call(lg, "debug", 1, S("d")));
    ok(call(lg, "info", 2, S("i %d"), I(5)));
    ok(call(lg, "warning", 3, S("w %s %r"), S("x"), S("y")));
    RtValue *d = rt_dict_new();
    assert_int_equal(rt_dict_set_cstr(d, "a", rt_int(1)), 0);
    ok(call(lg, "error", 2, S("dict %(a)s"), d));
    ok(call(lg, "critical", 1, S("crit")));
    ok(call(lg, "log", 2, I(25), S("lvl25")));
    ok(call(lg, "info", 1, S("no args %d")));
    ok(call(lg, "warning", 1, I(42)));
    assert_string_equal(cap_value(cap), LG_BASIC);
    rt_decref(cap);
    rt_decref(lg);
}

static void test_formats(void **state) {
    (void)state;
    char want[512];
    RtValue *cap, *lg = fresh("fmt.one",
                              "%(levelno)s|%(levelname)-8s|%(name)s|%(message)s|%(processName)s|%(threadName)s|%(process)d",
                              10, NULL, &cap);
    ok(call(lg, "info", 1, S("hello")));
    ok(call(lg, "warning", 2, S("x=%5.2f"), rt_float(3.14159)));
    snprintf(want, sizeof want, LG_FORMATS, (int)getpid(), (int)getpid());
    assert_string_equal(cap_value(cap), want);
    rt_decref(cap);
    rt_decref(lg);
    lg = fresh("fmt.brace", "{levelname:>8}|{name}|{message}", 10, "{", &cap);
    ok(call(lg, "error", 2, S("braced %s"), S("arg")));
    assert_string_equal(cap_value(cap), LG_BRACE);
    rt_decref(cap);
    rt_decref(lg);
    lg = fresh("fmt.dollar", "$levelname - ${name}: $message $$", 10, "$", &cap);
    ok(call(lg, "error", 1, S("dollar")));
    assert_string_equal(cap_value(cap), LG_DOLLAR);
    rt_decref(cap);
    rt_decref(lg);
}

static void test_record_and_asctime(void **state) {
    (void)state;
    RtValue *args[7] = {S("t"), I(20), S("/x/y.py"), I(3), S("m %s"), NULL, rt_newref(rt_None)};
    RtValue *a = S("a");
    args[5] = rt_tuple_pack(1, a);
    rt_decref(a);
    RtValue *rec = call_kw((RtValue *)&rt_logging_LogRecord, NULL, 7, args, 0, NULL, NULL);
    no_exc();
    RtValue *created = rt_float(1700000000.25), *msecs = rt_float(250.0);
    assert_int_equal(rt_setattr(rec, "created", created), 0);
    assert_int_equal(rt_setattr(rec, "msecs", msecs), 0);
    rt_decref(created);
    rt_decref(msecs);
    assert_string_equal(repr_text(rec), LG_RECORD_REPR);
    RtValue *m = call(rec, "getMessage", 0);
    RtValue *fnm = rt_getattr(rec, "filename"), *mod = rt_getattr(rec, "module");
    RtValue *ln = rt_getattr(rec, "levelname"), *pn = rt_getattr(rec, "processName");
    char buf[256];
    snprintf(buf, sizeof buf, "%s|%s|%s|%s|%s", rt_str_data(m), rt_str_data(fnm), rt_str_data(mod),
             rt_str_data(ln), rt_str_data(pn));
    assert_string_equal(buf, LG_RECORD_FIELDS);
    rt_decref(m); rt_decref(fnm); rt_decref(mod); rt_decref(ln); rt_decref(pn);
    RtValue *f = formatter("%(asctime)s %(message)s", NULL, NULL);
    RtValue *s = call(f, "format", 1, rt_newref(rec));
    no_exc();
    assert_string_equal(rt_str_data(s), LG_ASCTIME);
    rt_decref(s);
    rt_decref(f);
    f = formatter("%(asctime)s %(message)s", "%H:%M:%S", NULL);
    s = call(f, "format", 1, rt_newref(rec));
    assert_string_equal(rt_str_data(s), LG_DATEFMT);
    rt_decref(s);
    rt_decref(f);
    rt_decref(rec);
}

static void test_exception_text(void **state) {
    (void)state;
    RtValue *cap, *lg = fresh("exc", "%(levelname)s:%(message)s", 10, NULL, &cap);
    RtValue *boom = S("boom");
    RtValue *e = rt_call((RtValue *)&rt_exc_ValueError, &boom, 1, NULL);
    rt_decref(boom);
    RtValue *args[1] = {S("failed")};
    const char *kn[1] = {"exc_info"};
    ok(call_kw(lg, "error", 1, args, 1, kn, &e));
    ok(call(lg, "exception", 1, S("outside")));
    /* inside an except block */
    rt_raise(&rt_exc_KeyError, "k");
    RtValue *k = rt_exc_fetch(), *saved;
    rt_exc_handling_enter(k, &saved);
    ok(call(lg, "exception", 2, S("caught %s"), S("it")));
    rt_exc_handling_leave(saved);
    rt_decref(k);
    ok(call(lg, "info", 1, S("after")));
    assert_string_equal(cap_value(cap), LG_EXC);
    rt_decref(cap);
    rt_decref(lg);
}

static void test_level_names_reprs_enabled(void **state) {
    (void)state;
    char buf[1024] = "";
    RtValue *vals[6] = {I(10), I(7), S("INFO"), S("nope"), I(50), I(0)};
    for (int i = 0; i < 6; i++) {
        RtValue *n = rt_logging_getLevelName(NULL, &vals[i], 1, NULL);
        no_exc();
        if (i) strcat(buf, " ");
        strcat(buf, repr_text(n));
        rt_decref(n);
        rt_decref(vals[i]);
    }
    assert_string_equal(buf, LG_LEVEL_NAMES);

    RtValue *app = get_logger("app"), *root = get_logger(NULL), *sub = get_logger("app.sub");
    RtValue *c = cap_new();
    RtValue *h1 = call((RtValue *)&rt_logging_StreamHandler, NULL, 1, rt_newref(c));
    RtValue *h2 = call((RtValue *)&rt_logging_StreamHandler, NULL, 0);
    RtValue *h3 = call((RtValue *)&rt_logging_NullHandler, NULL, 0);
    RtValue *lv = I(10), *k = S("level"), *kw = rt_tuple_pack(1, k);
    RtValue *h4 = rt_call((RtValue *)&rt_logging_Handler, &lv, 0, kw);
    no_exc();
    RtValue *objs[7] = {app, root, sub, h1, h2, h3, h4};
    buf[0] = 0;
    for (int i = 0; i < 7; i++) {
        if (i) strcat(buf, " ");
        strcat(buf, repr_text(objs[i]));
    }
    assert_string_equal(buf, LG_REPRS);
    RtValue *e10 = call(app, "isEnabledFor", 1, I(10)), *e20 = call(app, "isEnabledFor", 1, I(20));
    RtValue *eff = call(sub, "getEffectiveLevel", 0);
    RtValue *r2 = get_logger("root"), *rn = rt_getattr(r2, "name");
    snprintf(buf, sizeof buf, "%s %s %s %s %s", e10 == rt_True ? "True" : "False", e20 == rt_True ? "True" : "False",
             repr_text(eff), r2 == root ? "True" : "False", rt_str_data(rn));
    assert_string_equal(buf, LG_ENABLED);
    rt_decref(eff);
    rt_decref(rn);
    rt_decref(r2);
    RtValue *info = I(20);
    ok(rt_logging_disable(NULL, &info, 1, NULL));
    e20 = call(app, "isEnabledFor", 1, I(20));
    RtValue *e30 = call(app, "isEnabledFor", 1, I(30));
    snprintf(buf, sizeof buf, "%s %s", e20 == rt_True ? "True" : "False", e30 == rt_True ? "True" : "False");
    assert_string_equal(buf, LG_DISABLED);
    RtValue *zero = I(0);
    ok(rt_logging_disable(NULL, &zero, 1, NULL));
    rt_decref(lv); rt_decref(k); rt_decref(kw); rt_decref(info);
    for (int i = 0; i < 7; i++) rt_decref(objs[i]);
    rt_decref(c);
}

static void test_propagation_and_parents(void **state) {
    (void)state;
    RtValue *root = get_logger(NULL);
    RtValue *rc = cap_new();
    RtValue *rh = call((RtValue *)&rt_logging_StreamHandler, NULL, 1, rt_newref(rc));
    ok(call(rh, "setFormatter", 1, formatter("root:%(name)s:%(message)s", NULL, NULL)));
    ok(call(root, "addHandler", 1, rt_newref(rh)));
    RtValue *cap, *lg = fresh("prop", "prop:%(name)s:%(message)s", 10, NULL, &cap);
    assert_int_equal(rt_setattr(lg, "propagate", rt_True), 0);
    RtValue *db = get_logger("prop.db");
    ok(call(db, "warning", 1, S("to both")));
    assert_int_equal(rt_setattr(lg, "propagate", rt_False), 0);
    ok(call(db, "warning", 1, S("to prop only")));
    ok(call(root, "removeHandler", 1, rt_newref(rh)));
    char buf[1024];
    snprintf(buf, sizeof buf, "%s--\n", cap_value(cap));
    strcat(buf, cap_value(rc));
    assert_string_equal(buf, LG_PROPAGATE);
    rt_decref(db); rt_decref(lg); rt_decref(cap); rt_decref(rh); rt_decref(rc); rt_decref(root);

    const char *pn[3];
    char names[3][32];
    RtValue *xyz = get_logger("x.y.z");
    for (int i = 0; i < 3; i++) {
        if (i == 1) rt_decref(get_logger("x"));
        if (i == 2) rt_decref(get_logger("x.y"));
        RtValue *p = rt_getattr(xyz, "parent"), *n = rt_getattr(p, "name");
        snprintf(names[i], sizeof names[i], "%s", rt_str_data(n));
        pn[i] = names[i];
        rt_decref(p);
        rt_decref(n);
    }
    RtValue *xy = get_logger("x.y"), *xyp = rt_getattr(xy, "parent"), *xypn = rt_getattr(xyp, "name");
    RtValue *x = get_logger("x"), *child = call(x, "getChild", 1, S("y.z"));
    snprintf(buf, sizeof buf, "%s %s %s %s %s", pn[0], pn[1], pn[2], rt_str_data(xypn),
             child == xyz ? "True" : "False");
    assert_string_equal(buf, LG_PARENTS);
    rt_decref(xyz); rt_decref(xy); rt_decref(xyp); rt_decref(xypn); rt_decref(x); rt_decref(child);
}

static void test_filters(void **state) {
    (void)state;
    RtValue *cap, *lg = fresh("filt", "%(name)s:%(message)s", 10, NULL, &cap);
    RtValue *f = call((RtValue *)&rt_logging_Filter, NULL, 1, S("filt.db"));
    const char *ns[5] = {"filt.db", "filt.db.x", "filt.dbx", "filt", "other"};
    char buf[256] = "";
    for (int i = 0; i < 5; i++) {
        RtValue *args[7] = {S(ns[i]), I(20), S(""), I(0), S(""), rt_tuple_empty(), rt_newref(rt_None)};
        RtValue *rec = call_kw((RtValue *)&rt_logging_LogRecord, NULL, 7, args, 0, NULL, NULL);
        RtValue *r = call(f, "filter", 1, rec);
        no_exc();
        if (i) strcat(buf, " ");
        strcat(buf, r == rt_True ? "True" : "False");
    }
    assert_string_equal(buf, LG_FILTER_OBJ);
    rt_decref(f);
    RtValue *fnf = rt_func_new("<lambda>", "<lambda>", f_nosecret, -1, NULL, NULL, NULL, 0);
    ok(call(lg, "addFilter", 1, fnf));
    ok(call(lg, "info", 1, S("public")));
    ok(call(lg, "info", 1, S("a secret")));
    RtValue *hs = rt_getattr(lg, "handlers");
    ok(call(RT_LIST_GET(hs, 0), "addFilter", 1, call((RtValue *)&rt_logging_Filter, NULL, 1, S("filt.sub"))));
    ok(call(lg, "info", 1, S("dropped by the handler's filter")));
    assert_string_equal(cap_value(cap), LG_FILTER);
    rt_decref(hs);
    rt_decref(cap);
    rt_decref(lg);
}

static void test_errors(void **state) {
    (void)state;
    RtValue *app = get_logger("app");
    assert_null(call(app, "setLevel", 1, S("FOO")));
    assert_string_equal(exc_text(), LG_ERR_LEVEL);
    assert_null(call(app, "setLevel", 1, rt_float(1.5)));
    assert_string_equal(exc_text(), LG_ERR_LEVEL_TYPE);
    assert_null(call((RtValue *)&rt_logging_Formatter, NULL, 1, S("hello")));
    assert_string_equal(exc_text(), LG_ERR_FORMAT);
    RtValue *sx[1] = {S("x")};
    const char *style[1] = {"style"};
    assert_null(call_kw((RtValue *)&rt_logging_Formatter, NULL, 0, NULL, 1, style, sx));
    assert_string_equal(exc_text(), LG_ERR_STYLE);
    assert_null(call(app, "log", 2, S("x"), S("m")));
    assert_string_equal(exc_text(), LG_ERR_LOG_LEVEL);
    RtValue *five = I(5);
    assert_null(rt_logging_getLogger(NULL, &five, 1, NULL));
    assert_string_equal(exc_text(), LG_ERR_NAME);
    RtValue *m1[1] = {S("m")}, *kv[1] = {I(1)};
    const char *foo[1] = {"foo"};
    assert_null(call_kw(app, "warning", 1, m1, 1, foo, kv));
    assert_string_equal(exc_text(), LG_ERR_KW);
    RtValue *extra = rt_dict_new();
    assert_int_equal(rt_dict_set_cstr(extra, "name", rt_int(1)), 0);
    RtValue *m2[1] = {S("m")};
    const char *ex[1] = {"extra"};
    assert_null(call_kw(app, "warning", 1, m2, 1, ex, &extra));
    assert_string_equal(exc_text(), LG_ERR_EXTRA);
    RtValue *both[2] = {cap_new(), S("x.log")};
    const char *bn[2] = {"stream", "filename"};
    RtValue *kw = rt_tuple_pack(2, S(bn[0]), S(bn[1]));
    assert_null(rt_logging_basicConfig(NULL, both, 0, kw));
    assert_string_equal(exc_text(), LG_ERR_BASIC_BOTH);
    rt_decref(RT_TUPLE_GET(kw, 0));
    rt_decref(RT_TUPLE_GET(kw, 1));
    rt_decref(kw);
    rt_decref(both[0]);
    rt_decref(both[1]);
    RtValue *fk = S("foo"), *kw2 = rt_tuple_pack(1, fk), *one = I(1);
    assert_null(rt_logging_basicConfig(NULL, &one, 0, kw2));
    assert_string_equal(exc_text(), LG_ERR_BASIC_KW);
    rt_decref(fk); rt_decref(kw2); rt_decref(one); rt_decref(five);
    RtValue *root = get_logger(NULL);
    set_empty_list(root, "handlers");
    rt_decref(root);

    RtValue *cap, *lg = fresh("extra", "%(user)s:%(message)s", 10, NULL, &cap);
    RtValue *e2 = rt_dict_new();
    RtValue *bob = S("bob");
    assert_int_equal(rt_dict_set_cstr(e2, "user", bob), 0);
    rt_decref(bob);
    RtValue *m3[1] = {S("with extra")};
    ok(call_kw(lg, "warning", 1, m3, 1, ex, &e2));
    assert_string_equal(cap_value(cap), LG_EXTRA);
    rt_decref(cap);
    rt_decref(lg);
    rt_decref(app);
}

static void test_basic_config(void **state) {
    (void)state;
    RtValue *bs = cap_new();
    const char *kn[3] = {"level", "format", "stream"};
    RtValue *kv[3] = {I(10), S("%(levelname)s %(name)s %(message)s"), rt_newref(bs)};
    RtValue *kw = rt_tuple_pack(3, S(kn[0]), S(kn[1]), S(kn[2]));
    for (int i = 0; i < 3; i++) rt_decref(RT_TUPLE_GET(kw, i));
    ok(rt_logging_basicConfig(NULL, kv, 0, kw));
    rt_decref(kw);
    for (int i = 0; i < 3; i++) rt_decref(kv[i]);
    RtValue *a2[2] = {S("d %d"), I(1)};
    ok(rt_logging_debug(NULL, a2, 2, NULL));
    RtValue *a1 = S("i");
    ok(rt_logging_info(NULL, &a1, 1, NULL));
    const char *kn2[2] = {"format", "stream"};
    RtValue *kv2[2] = {S("ignored %(message)s"), rt_newref(bs)};
    kw = rt_tuple_pack(2, S(kn2[0]), S(kn2[1]));
    for (int i = 0; i < 2; i++) rt_decref(RT_TUPLE_GET(kw, i));
    ok(rt_logging_basicConfig(NULL, kv2, 0, kw));
    rt_decref(kw);
    RtValue *w = S("w");
    ok(rt_logging_warning(NULL, &w, 1, NULL));
    RtValue *le[2] = {I(40), S("e")};
    ok(rt_logging_log(NULL, le, 2, NULL));
    assert_string_equal(cap_value(bs), LG_BASICCONFIG);
    RtValue *root = get_logger(NULL), *hs = rt_getattr(root, "handlers");
    assert_string_equal(repr_text(hs), LG_ROOT_HANDLER);
    rt_decref(hs);
    RtValue *bs2 = cap_new();
    const char *kn3[3] = {"force", "format", "stream"};
    RtValue *kv3[3] = {rt_True, S("F %(message)s"), rt_newref(bs2)};
    kw = rt_tuple_pack(3, S(kn3[0]), S(kn3[1]), S(kn3[2]));
    for (int i = 0; i < 3; i++) rt_decref(RT_TUPLE_GET(kw, i));
    ok(rt_logging_basicConfig(NULL, kv3, 0, kw));
    rt_decref(kw);
    RtValue *af = S("after force");
    ok(rt_logging_critical(NULL, &af, 1, NULL));
    RtValue *level = rt_getattr(root, "level");
    char buf[256];
    snprintf(buf, sizeof buf, "%s|%s", cap_value(bs2), repr_text(level));
    assert_string_equal(buf, LG_FORCE);
    rt_decref(level);
    set_empty_list(root, "handlers");
    ok(call(root, "setLevel", 1, I(30)));
    for (int i = 0; i < 2; i++) rt_decref(a2[i]), rt_decref(le[i]);
    rt_decref(a1); rt_decref(w); rt_decref(af); rt_decref(bs); rt_decref(bs2); rt_decref(root);
    for (int i = 1; i < 3; i++) rt_decref(kv3[i]);
    for (int i = 0; i < 2; i++) rt_decref(kv2[i]);
}

static RtValue *g_mpl;

static void stderr_calls(void) {
    RtValue *lonely = get_logger("lonely");
    ok(call(lonely, "warning", 2, S("hi %s"), S("there")));
    ok(call(lonely, "info", 1, S("not shown")));
    RtValue *lv = I(20);
    g_mpl = rt_mp_log_to_stderr(NULL, &lv, 1, NULL);
    no_exc();
    rt_decref(lv);
    ok(call(g_mpl, "info", 2, S("hello from %s"), S("mp")));
    ok(call(g_mpl, "debug", 1, S("hidden")));
    rt_decref(lonely);
}

static void test_last_resort_and_mp_logger(void **state) {
    (void)state;
    assert_string_equal(capture_stderr(stderr_calls), LG_STDERR);
    RtValue *prop = rt_getattr(g_mpl, "propagate"), *again = rt_mp_get_logger(NULL, NULL, 0, NULL);
    RtValue *hs = rt_getattr(g_mpl, "handlers");
    char buf[256];
    snprintf(buf, sizeof buf, "%s %s %s %d", repr_text(g_mpl), repr_text(prop), again == g_mpl ? "True" : "False",
             (int)rt_len(hs));
    assert_string_equal(buf, LG_MP_LOGGER);
    rt_decref(prop); rt_decref(again); rt_decref(hs);
    RT_CLEAR(g_mpl);
}

static void test_add_level_name(void **state) {
    (void)state;
    RtValue *args[2] = {I(25), S("NOTICE")};
    ok(rt_logging_addLevelName(NULL, args, 2, NULL));
    RtValue *cap, *lg = fresh("named", "%(levelname)s %(levelno)d %(message)s", 10, NULL, &cap);
    ok(call(lg, "log", 2, I(25), S("custom")));
    RtValue *n = S("NOTICE"), *v = rt_logging_getLevelName(NULL, &n, 1, NULL);
    char buf[256];
    snprintf(buf, sizeof buf, "%s%s", cap_value(cap), repr_text(v));
    assert_string_equal(buf, LG_ADDLEVEL);
    rt_decref(n); rt_decref(v); rt_decref(args[0]); rt_decref(args[1]); rt_decref(cap); rt_decref(lg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_and_args),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_record_and_asctime),
        cmocka_unit_test(test_exception_text),
        cmocka_unit_test(test_level_names_reprs_enabled),
        cmocka_unit_test(test_propagation_and_parents),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_basic_config),
        cmocka_unit_test(test_last_resort_and_mp_logger),
        cmocka_unit_test(test_add_level_name),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

/* logging.c: a small logging module — loggers in CPython's dotted hierarchy,
 * LogRecord, Formatter ('%', '{' and '$' styles), Handler, StreamHandler,
 * FileHandler, NullHandler, Filter, basicConfig and the module functions,
 * plus multiprocessing's get_logger() and log_to_stderr().
 *
 * Key idea. The objects are CPython's (the same attributes, reprs, level
 * rules and messages), but the hot path stays in C: a record is a LogRecord
 * whose attributes live in its __dict__, which is exactly the mapping the
 * '%' style formats (`fmt % record.__dict__`, rt_str_percent). Script
 * subclasses of Handler and Formatter work: a method a script class
 * overrides (emit, format, filter, formatTime, ...) is called through the
 * method lookup, the rest stays native.
 *
 * A StreamHandler on sys.stderr writes through the C stderr FILE* and
 * flushes after every record, as CPython's does, so records from several
 * processes never sit in a buffer across a fork.
 *
 * Caller information: pathname/filename/module name the script. The
 * generated code calls rt_log_site(line, function) just before each call
 * that may log, after its arguments are evaluated; log_call takes the site
 * and clears it, so a record made without one (a stored bound method,
 * the runtime's own messages) gets lineno 0 and "(unknown function)", never
 * a stale site.
 */
#include "mp2c.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { CRITICAL = 50, ERROR = 40, WARNING = 30, INFO = 20, DEBUG = 10, NOTSET = 0 };
enum { H_BASE, H_STREAM, H_FILE, H_NULL, H_STDERR };
enum { S_PERCENT, S_BRACE, S_DOLLAR };

static const char BASIC_FORMAT[] = "%(levelname)s:%(name)s:%(message)s";

typedef struct Logger {
    RtValue  ob;
    RtValue *dict;
    RtValue *name;               /* str */
    int64_t  level;
    RtValue *parent;             /* borrowed logger (loggers live forever), or NULL */
    RtValue *propagate;          /* whatever was assigned: True, 0, ... */
    RtValue *handlers;           /* list */
    RtValue *filters;            /* list */
    bool     disabled;
} Logger;

typedef struct Handler {
    RtValue  ob;
    RtValue *dict;
    int      kind;
    int64_t  level;
    RtValue *formatter;          /* NULL = None */
    RtValue *filters;            /* list */
    RtValue *name;               /* NULL = None */
    RtValue *stream;             /* StreamHandler / FileHandler; NULL = None */
    RtValue *terminator;         /* NULL = '\n' */
    RtValue *base_filename, *mode, *encoding;   /* FileHandler */
    bool     closed;
} Handler;

typedef struct Formatter {
    RtValue  ob;
    RtValue *dict;
    RtValue *fmt;                /* str */
    RtValue *datefmt;            /* NULL = None */
    RtValue *defaults;           /* dict or NULL */
    int      style;
} Formatter;

typedef struct LogRecord { RtValue ob; RtValue *dict; } LogRecord;

typedef struct Filter { RtValue ob; RtValue *dict; RtValue *name; } Filter;

#define LOGGER(o) ((Logger *)(o))
#define HANDLER(o) ((Handler *)(o))
#define FORMATTER(o) ((Formatter *)(o))

static RtType rt_logging__StderrHandler;

static RtValue *g_level_to_name, *g_name_to_level;   /* _levelToName, _nameToLevel */
static RtValue *g_loggers;                           /* manager.loggerDict: name -> Logger */
static RtValue *g_root;
static RtValue *g_last_resort;                       /* _StderrHandler(WARNING) */
static RtValue *g_default_formatter;
static RtValue *g_all_handlers;                      /* for shutdown(), in creation order */
static int64_t  g_disable;                           /* manager.disable */
static double   g_start_time;                        /* _startTime */
static RtValue *g_mp_logger;                         /* multiprocessing.util._logger */
static bool g_mp_log_to_stderr;                      /* util._log_to_stderr */

__attribute__((constructor)) static void record_start_time(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    g_start_time = (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ==== small helpers ============================================================ */

static RtValue *str_of(const char *s) { return rt_str_from_cstr(s); }

static int put_utf8(RtStrBuf *b, const char *s, size_t n) {
    size_t ncp = 0;
    for (size_t i = 0; i < n; i++) ncp += ((unsigned char)s[i] & 0xC0) != 0x80;
    return rt_strbuf_put(b, s, n, ncp);
}

static bool is_heap(const RtValue *o) { return (o->type->flags & RT_TF_HEAP) != 0; }

/* Does a script subclass override `name`? Then call it instead of the native code. */
static bool overridden(RtValue *o, const char *name) {
    return is_heap(o) && rt_type_has_script_attr(o->type, name);
}

static RtValue *call1(RtValue *o, const char *name, RtValue *arg) {
    return rt_call_method(o, name, &arg, arg ? 1 : 0, NULL);
}

static RtValue *nones(size_t n) {
    static RtValue *cache[8];
    if (!cache[n]) {
        RtValue *t = rt_tuple_new(n);
        if (!t) return NULL;
        for (size_t i = 0; i < n; i++) RT_TUPLE_SET(t, i, rt_newref(rt_None));
        cache[n] = t;
    }
    return cache[n];
}

/* Binds (self +) args as a Python-level function does: names[] starts with
 * "self" when self != NULL; the last ndef positional parameters and all the
 * keyword-only ones default to None. out[] excludes self. */
static int bind(const char *fname, RtValue *self, const char *const *names, int npos, int nkwonly, int ndef,
                bool varargs, bool varkw, RtValue *const *args, size_t nargs, RtValue *kw, RtValue **out,
                RtValue **va, RtValue **vk) {
    RtValue *buf[24], *res[16];
    size_t nkw = kw ? RT_TUPLE_LEN(kw) : 0, off = self ? 1 : 0;
    RtValue **all = buf;
    if (nargs + nkw + 1 > 24 && !(all = rt_malloc((nargs + nkw + 1) * sizeof *all))) return -1;
    if (self) all[0] = self;
    for (size_t i = 0; i < nargs + nkw; i++) all[off + i] = args[i];
    RtValue *kwdefs = NULL;
    if (nkwonly) {
        kwdefs = rt_dict_new();
        for (int i = 0; kwdefs && i < nkwonly; i++)
            if (rt_dict_set_cstr(kwdefs, names[npos + i], rt_None) < 0) RT_CLEAR(kwdefs);
        if (!kwdefs) { if (all != buf) rt_free(all); return -1; }
    }
    RtParamSpec spec = {.fname = fname, .names = names, .npos = npos, .nkwonly = nkwonly,
                        .varargs = varargs, .varkw = varkw};
    int rc = rt_bind_args(&spec, all, nargs + off, kw, nones((size_t)ndef), kwdefs, res, va, vk);
    rt_xdecref(kwdefs);
    if (all != buf) rt_free(all);
    if (rc < 0) return -1;
    for (int i = (int)off; i < npos + nkwonly; i++) out[i - (int)off] = res[i];
    return 0;
}

static double now_real(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ==== levels ====================================================================== */

static int add_level(int64_t level, const char *name) {
    RtValue *k = rt_int(level), *v = str_of(name);
    int rc = k && v && rt_dict_set(g_level_to_name, k, v) == 0 && rt_dict_set(g_name_to_level, v, k) == 0 ? 0 : -1;
    rt_xdecref(k);
    rt_xdecref(v);
    return rc;
}

static int init_state(void);

/* Module state, made on first use. */
static int init(void) {
    static bool busy;          /* the root logger's own construction comes back here */
    if (g_root || busy) return 0;
    busy = true;
    int rc = init_state();
    busy = false;
    return rc;
}

static int init_state(void) {
    g_level_to_name = rt_dict_new();
    g_name_to_level = rt_dict_new();
    g_loggers = rt_dict_new();
    g_all_handlers = rt_list_new(4);
    if (!g_level_to_name || !g_name_to_level || !g_loggers || !g_all_handlers) return -1;
    static const struct { int level; const char *name; } levels[] = {
        {CRITICAL, "CRITICAL"}, {ERROR, "ERROR"}, {WARNING, "WARNING"}, {INFO, "INFO"},
        {DEBUG, "DEBUG"}, {NOTSET, "NOTSET"},
    };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (add_level(levels[i].level, levels[i].name) < 0) return -1;
    RtValue *fatal = str_of("FATAL"), *warn = str_of("WARN"), *c = rt_int(CRITICAL), *w = rt_int(WARNING);
    int rc = fatal && warn && c && w && rt_dict_set(g_name_to_level, fatal, c) == 0 &&
             rt_dict_set(g_name_to_level, warn, w) == 0 ? 0 : -1;
    rt_xdecref(fatal); rt_xdecref(warn); rt_xdecref(c); rt_xdecref(w);
    if (rc < 0) return -1;
    RtValue *lv = rt_int(WARNING);
    RtValue *root = lv ? rt_call((RtValue *)&rt_logging_RootLogger, &lv, 1, NULL) : NULL;
    rt_xdecref(lv);
    if (!root) return -1;
    lv = rt_int(WARNING);
    g_last_resort = lv ? rt_call((RtValue *)&rt_logging__StderrHandler, &lv, 1, NULL) : NULL;
    rt_xdecref(lv);
    g_default_formatter = g_last_resort ? rt_call((RtValue *)&rt_logging_Formatter, NULL, 0, NULL) : NULL;
    if (!g_default_formatter) { rt_decref(root); return -1; }
    g_root = root;
    return 0;
}

/* getLevelName(level): new reference. */
static RtValue *level_name(RtValue *level) {
    if (init() < 0) return NULL;
    RtValue *r = NULL;
    int64_t h;
    if (rt_hash(level, &h) < 0) { RT_CLEAR(rt_exc_pending); }
    else {
        if (rt_dict_lookup(g_level_to_name, level, &r) < 0) return NULL;
        if (r) return rt_newref(r);
        if (rt_dict_lookup(g_name_to_level, level, &r) < 0) return NULL;
        if (r) return rt_newref(r);
    }
    RtValue *s = rt_str(level);
    if (!s) return NULL;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "Level ");
    rt_strbuf_put_str(&b, s);
    rt_decref(s);
    return rt_strbuf_finish(&b);
}

static RtValue *level_name_i(int64_t level) {
    RtValue *l = rt_int(level);
    if (!l) return NULL;
    RtValue *r = level_name(l);
    rt_decref(l);
    return r;
}

/* _checkLevel */
static int check_level(RtValue *level, int64_t *out) {
    if (init() < 0) return -1;
    if (rt_is_int(level)) return rt_int_as_i64(level, out);
    if (rt_is_str(level)) {
        RtValue *v = NULL;
        if (rt_dict_lookup(g_name_to_level, level, &v) < 0) return -1;
        if (!v) { rt_raise_fmt(&rt_exc_ValueError, "Unknown level: %R", level); return -1; }
        return rt_int_as_i64(v, out);
    }
    rt_raise_fmt(&rt_exc_TypeError, "Level not an integer or a valid string: %R", level);
    return -1;
}

/* ==== filters (Filterer) ============================================================= */

/* Filterer.filter(record): 1 pass, 0 drop, -1 error. */
static int run_filters(RtValue *filters, RtValue *record) {
    if (!filters) return 1;
    for (size_t i = 0; i < RT_LIST_LEN(filters); i++) {
        RtValue *f = RT_LIST_GET(filters, i);
        int has = rt_hasattr(f, "filter");
        if (has < 0) return -1;
        RtValue *r = has ? call1(f, "filter", record) : rt_call(f, &record, 1, NULL);
        if (!r) return -1;
        int t = rt_truthy(r);
        rt_decref(r);
        if (t <= 0) return t;
    }
    return 1;
}

static RtValue **filters_slot(RtValue *o) {
    if (rt_isinstance_t(o, &rt_logging_Logger)) return &LOGGER(o)->filters;
    if (rt_isinstance_t(o, &rt_logging_Handler)) return &HANDLER(o)->filters;
    return NULL;
}

static RtValue *m_addFilter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "filter"};
    RtValue *a[1], **slot = filters_slot(self);
    if (bind("Filterer.addFilter", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    if (!*slot && !(*slot = rt_list_new(1))) return NULL;
    int in = rt_contains(*slot, a[0]);
    if (in < 0) return NULL;
    if (!in && rt_list_append(*slot, a[0]) < 0) return NULL;
    return rt_None;
}

static RtValue *list_remove(RtValue *list, RtValue *v) {
    if (!list) return rt_None;
    int in = rt_contains(list, v);
    if (in <= 0) return in < 0 ? NULL : rt_None;
    RtValue *r = call1(list, "remove", v);
    if (!r) return NULL;
    rt_decref(r);
    return rt_None;
}

static RtValue *m_removeFilter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "filter"};
    RtValue *a[1];
    if (bind("Filterer.removeFilter", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return list_remove(*filters_slot(self), a[0]);
}

static RtValue *m_filter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Filterer.filter", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    int r = run_filters(*filters_slot(self), a[0]);
    return r < 0 ? NULL : rt_bool(r);
}

/* self.filter(record) honouring an override. */
static int filter_of(RtValue *self, RtValue *record) {
    if (!overridden(self, "filter")) return run_filters(*filters_slot(self), record);
    RtValue *r = call1(self, "filter", record);
    if (!r) return -1;
    int t = rt_truthy(r);
    rt_decref(r);
    return t;
}

static RtValue *get_filters(RtValue *self) {
    RtValue **slot = filters_slot(self);
    if (!*slot && !(*slot = rt_list_new(0))) return NULL;
    return rt_newref(*slot);
}

static int set_filters(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_AttributeError, "cannot delete filters"); return -1; }
    RT_SETREF(*filters_slot(self), rt_newref(v));
    return 0;
}

/* ==== LogRecord =================================================================== */

static RtValue *record_get(RtValue *rec, const char *name) {
    RtValue *d = rt_obj_dict(rec);
    RtValue *v = d ? rt_dict_get_cstr(d, name) : NULL;
    if (v) return rt_newref(v);
    return rt_getattr(rec, name);
}

static int record_set(RtValue *rec, const char *name, RtValue *v) {
    RtValue *d = rt_obj_dict(rec);
    if (d && rec->type == &rt_logging_LogRecord) return rt_dict_set_cstr(d, name, v);
    return rt_setattr(rec, name, v);
}

static int set_steal(RtValue *d, const char *k, RtValue *v) {
    if (!v) return -1;
    int r = rt_dict_set_cstr(d, k, v);
    rt_decref(v);
    return r;
}

/* Is o a non-empty mapping (LogRecord's "a single dict argument" rule)? */
static int nonempty_mapping(RtValue *o) {
    if (o->type->tag != RT_T_DICT) return 0;
    return rt_dict_len(o) > 0;
}

/* LogRecord.__init__(name, level, pathname, lineno, msg, args, exc_info, func=None, sinfo=None) */
static int record_init(RtValue *self, RtValue *name, RtValue *level, RtValue *pathname, RtValue *lineno,
                       RtValue *msg, RtValue *args, RtValue *exc_info, RtValue *func, RtValue *sinfo) {
    LogRecord *r = (LogRecord *)self;
    if (!r->dict && !(r->dict = rt_dict_new())) return -1;
    RtValue *d = r->dict;
    double ct = now_real();
    if (rt_is_tuple(args) && RT_TUPLE_LEN(args) == 1 && nonempty_mapping(RT_TUPLE_GET(args, 0)))
        args = RT_TUPLE_GET(args, 0);
    RtValue *fname = NULL, *module = NULL;
    if (rt_is_str(pathname)) {
        const char *p = rt_str_data(pathname), *slash = strrchr(p, '/');
        const char *base = slash ? slash + 1 : p;
        const char *dot = strrchr(base, '.');
        fname = str_of(base);
        module = dot && dot != base ? rt_str_new(base, (size_t)(dot - base)) : str_of(base);
    } else {
        fname = rt_newref(pathname);
        module = str_of("Unknown module");
    }
    RtValue *cur = rt_mp_current_process(NULL, NULL, 0, NULL);
    RtValue *pname = cur ? rt_getattr(cur, "name") : NULL;
    rt_xdecref(cur);
    if (!pname) { RT_CLEAR(rt_exc_pending); pname = str_of("MainProcess"); }
    int rc = 0;
    rc |= rt_dict_set_cstr(d, "name", name);
    rc |= rt_dict_set_cstr(d, "msg", msg);
    rc |= rt_dict_set_cstr(d, "args", args);
    rc |= set_steal(d, "levelname", level_name(level));
    rc |= rt_dict_set_cstr(d, "levelno", level);
    rc |= rt_dict_set_cstr(d, "pathname", pathname);
    rc |= set_steal(d, "filename", fname);
    rc |= set_steal(d, "module", module);
    rc |= rt_dict_set_cstr(d, "exc_info", exc_info);
    rc |= rt_dict_set_cstr(d, "exc_text", rt_None);
    rc |= rt_dict_set_cstr(d, "stack_info", sinfo);
    rc |= rt_dict_set_cstr(d, "lineno", lineno);
    rc |= rt_dict_set_cstr(d, "funcName", func);
    rc |= set_steal(d, "created", rt_float(ct));
    rc |= set_steal(d, "msecs", rt_float((double)(int64_t)((ct - (double)(int64_t)ct) * 1000) + 0.0));
    rc |= set_steal(d, "relativeCreated", rt_float((ct - g_start_time) * 1000));
    rc |= set_steal(d, "thread", rt_int_from_u64((uint64_t)pthread_self()));
    rc |= set_steal(d, "threadName", str_of("MainThread"));
    rc |= set_steal(d, "processName", pname);
    rc |= set_steal(d, "process", rt_int(getpid()));
    return rc ? -1 : 0;
}

static RtValue *record_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "name", "level", "pathname", "lineno", "msg", "args",
                                        "exc_info", "func", "sinfo"};
    RtValue *a[9], *extra = NULL;     /* **kwargs: accepted and ignored, as CPython's */
    if (bind("LogRecord.__init__", self, names, 10, 0, 2, false, true, args, nargs, kw, a, NULL, &extra) < 0)
        return NULL;
    rt_xdecref(extra);
    if (init() < 0) return NULL;
    return record_init(self, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]) < 0 ? NULL : rt_None;
}

static RtValue *record_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *self = rt_obj_alloc(type, type->size);
    if (!self) return NULL;
    if (!(((LogRecord *)self)->dict = rt_dict_new())) { rt_decref(self); return NULL; }
    if (is_heap((RtValue *)type)) return self;
    RtValue *r = record_m_init(self, args, nargs, kw);
    if (!r) { rt_decref(self); return NULL; }
    return self;
}

static void record_dealloc(RtValue *self) { RT_CLEAR(((LogRecord *)self)->dict); }

/* str(msg) % args, when args */
static RtValue *get_message(RtValue *rec) {
    RtValue *msg = record_get(rec, "msg");
    if (!msg) return NULL;
    RtValue *s = rt_str(msg);
    rt_decref(msg);
    if (!s) return NULL;
    RtValue *args = record_get(rec, "args");
    if (!args) { rt_decref(s); return NULL; }
    int t = rt_truthy(args);
    RtValue *r = t < 0 ? NULL : t ? rt_str_percent(s, args) : rt_newref(s);
    rt_decref(args);
    rt_decref(s);
    return r;
}

static RtValue *record_m_getMessage(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self"};
    if (bind("LogRecord.getMessage", self, names, 1, 0, 0, false, false, args, nargs, kw, NULL, NULL, NULL) < 0)
        return NULL;
    return get_message(self);
}

static RtValue *record_repr(RtValue *self) {
    RtValue *v[5];
    static const char *const keys[] = {"name", "levelno", "pathname", "lineno", "msg"};
    for (int i = 0; i < 5; i++) {
        v[i] = record_get(self, keys[i]);
        if (!v[i]) { while (i--) rt_decref(v[i]); return NULL; }
    }
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "<LogRecord: ");
    for (int i = 0; i < 5; i++) {
        if (i == 4) rt_strbuf_putc(&b, '"');
        rt_strbuf_put_strof(&b, v[i]);
        rt_strbuf_put_cstr(&b, i < 3 ? ", " : i == 3 ? ", " : "\">");
        rt_decref(v[i]);
    }
    return rt_strbuf_finish(&b);
}

static const RtMethodDef record_methods[] = {
    {"__init__", record_m_init},
    {"getMessage", record_m_getMessage},
    {NULL, NULL},
};

RtType rt_logging_LogRecord = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "LogRecord",
    .module = "logging",
    .tag = RT_T_NATIVE,
    .flags = RT_TF_BASETYPE,
    .base = &rt_type_object,
    .size = sizeof(LogRecord),
    .dict_offset = offsetof(LogRecord, dict),
    .table_index = -1,
    .dealloc = record_dealloc,
    .repr = record_repr,
    .construct = record_construct,
    .methods = record_methods,
};

/* ==== exception text (traceback.print_exception): exc.c's rt_exc_format ==== */

/* Formatter.formatException(ei): the text without its last newline. */
static RtValue *format_exception(RtValue *ei) {
    RtValue *exc = rt_is_tuple(ei) && RT_TUPLE_LEN(ei) >= 2 ? RT_TUPLE_GET(ei, 1) : rt_None;
    RtValue *t = exc == rt_None ? rt_str_from_cstr("NoneType: None\n") : rt_exc_format(exc);
    if (!t) return NULL;
    size_t n = rt_str_nbytes(t);
    if (n && rt_str_data(t)[n - 1] == '\n') {
        RtValue *u = rt_str_new(rt_str_data(t), n - 1);
        rt_decref(t);
        t = u;
    }
    return t;
}

/* ==== Formatter ===================================================================== */

/* PercentStyle.validation_pattern: %\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%] */
static bool percent_valid(const char *s) {
    for (const char *p = strstr(s, "%("); p; p = strstr(p + 1, "%(")) {
        const char *q = p + 2, *w = q;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_' ||
               (unsigned char)*q >= 0x80)
            q++;
        if (q == w || *q != ')') continue;
        q++;
        while (*q && strchr("#0+ -", *q)) q++;
        if (*q == '*') q++;
        else while (*q >= '0' && *q <= '9') q++;
        if (*q == '.') {
            q++;
            if (*q == '*') q++;
            else if (*q >= '0' && *q <= '9') { while (*q >= '0' && *q <= '9') q++; }
            else continue;
        }
        if (*q && strchr("diouxefgcrsaDIOUXEFGCRSA%", *q)) return true;
    }
    return false;
}

/* Has the format a {field} / $field? (the other styles' validate(), simplified) */
static int other_valid(const char *s, int style) {
    if (style == S_BRACE) {
        for (const char *p = s; *p; p++) {
            if (p[0] == '{' && p[1] == '{') { p++; continue; }
            if (*p == '{' && p[1] && p[1] != '}') return 1;
        }
        rt_raise(&rt_exc_ValueError, "invalid format: no fields");
        return -1;
    }
    bool fields = false;
    for (const char *p = s; *p; p++) {
        if (*p != '$') continue;
        if (p[1] == '$') { p++; continue; }
        if (p[1] == '{' || p[1] == '_' || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z')) {
            fields = true;
            continue;
        }
        rt_raise(&rt_exc_ValueError, "invalid format: bare '$' not allowed");
        return -1;
    }
    if (!fields) { rt_raise(&rt_exc_ValueError, "invalid format: no fields"); return -1; }
    return 1;
}

static bool uses_time(Formatter *f) {
    const char *s = rt_str_data(f->fmt);
    if (f->style == S_PERCENT) return strstr(s, "%(asctime)") != NULL;
    if (f->style == S_BRACE) return strstr(s, "{asctime") != NULL;
    return strstr(s, "$asctime") || strstr(s, "${asctime}");
}

/* Formatter.__init__(fmt=None, datefmt=None, style='%', validate=True, *, defaults=None) */
static RtValue *formatter_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "fmt", "datefmt", "style", "validate", "defaults"};
    RtValue *a[5];
    if (bind("Formatter.__init__", self, names, 5, 1, 4, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    Formatter *f = FORMATTER(self);
    int style = S_PERCENT;
    if (a[2] != rt_None) {
        const char *s = rt_is_str(a[2]) ? rt_str_data(a[2]) : "";
        if (strcmp(s, "%") == 0) style = S_PERCENT;
        else if (strcmp(s, "{") == 0) style = S_BRACE;
        else if (strcmp(s, "$") == 0) style = S_DOLLAR;
        else return rt_raise(&rt_exc_ValueError, "Style must be one of: %,{,$");
    }
    static const char *const defaults[] = {"%(message)s", "{message}", "${message}"};
    RtValue *fmt;
    int t = a[0] == rt_None ? 0 : rt_truthy(a[0]);
    if (t < 0) return NULL;
    if (!t) fmt = str_of(defaults[style]);
    else if (rt_is_str(a[0])) fmt = rt_newref(a[0]);
    else return rt_raise_fmt(&rt_exc_TypeError, "expected str, got %s", a[0]->type->name);
    if (!fmt) return NULL;
    int validate = a[3] == rt_None && !rt_kwarg(args, nargs, kw, "validate") && nargs < 4 ? 1 : rt_truthy(a[3]);
    if (validate < 0) { rt_decref(fmt); return NULL; }
    if (validate) {
        if (style == S_PERCENT && !percent_valid(rt_str_data(fmt))) {
            rt_raise_fmt(&rt_exc_ValueError, "Invalid format '%s' for '%%' style", rt_str_data(fmt));
            rt_decref(fmt);
            return NULL;
        }
        if (style != S_PERCENT && other_valid(rt_str_data(fmt), style) < 0) { rt_decref(fmt); return NULL; }
    }
    RT_SETREF(f->fmt, fmt);
    f->style = style;
    RT_SETREF(f->datefmt, a[1] != rt_None ? rt_newref(a[1]) : NULL);
    RT_SETREF(f->defaults, a[4] != rt_None ? rt_newref(a[4]) : NULL);
    return rt_None;
}

static RtValue *formatter_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *self = rt_obj_alloc(type, type->size);
    if (!self) return NULL;
    if (!(FORMATTER(self)->fmt = str_of("%(message)s"))) { rt_decref(self); return NULL; }
    if (is_heap((RtValue *)type)) return self;
    RtValue *r = formatter_m_init(self, args, nargs, kw);
    if (!r) { rt_decref(self); return NULL; }
    return self;
}

static void formatter_dealloc(RtValue *self) {
    Formatter *f = FORMATTER(self);
    RT_CLEAR(f->dict);
    RT_CLEAR(f->fmt);
    RT_CLEAR(f->datefmt);
    RT_CLEAR(f->defaults);
}

/* formatTime(record, datefmt=None): time.strftime(datefmt or '%Y-%m-%d %H:%M:%S',
 * localtime(record.created)), plus ',%03d' % msecs without a datefmt. */
static RtValue *format_time(RtValue *record, RtValue *datefmt) {
    RtValue *created = record_get(record, "created");
    if (!created) return NULL;
    double ct;
    int rc = rt_as_double(created, &ct);
    rt_decref(created);
    if (rc < 0) return NULL;
    time_t secs = (time_t)ct;
    if ((double)secs > ct) secs--;
    struct tm tm;
    localtime_r(&secs, &tm);
    char buf[512];
    bool custom = datefmt && datefmt != rt_None && rt_is_str(datefmt) && rt_str_nbytes(datefmt);
    size_t n = strftime(buf, sizeof buf - 8, custom ? rt_str_data(datefmt) : "%Y-%m-%d %H:%M:%S", &tm);
    if (custom) return rt_str_new(buf, n);
    RtValue *ms = record_get(record, "msecs");
    if (!ms) return NULL;
    double m;
    rc = rt_as_double(ms, &m);
    rt_decref(ms);
    if (rc < 0) return NULL;
    snprintf(buf + n, sizeof buf - n, ",%03d", (int)m);
    return str_of(buf);
}

static RtValue *formatter_m_formatTime(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record", "datefmt"};
    RtValue *a[2];
    (void)self;
    if (bind("Formatter.formatTime", self, names, 3, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return format_time(a[0], a[1]);
}

static RtValue *formatter_m_formatException(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "ei"};
    RtValue *a[1];
    if (bind("Formatter.formatException", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return format_exception(a[0]);
}

/* string.Template(fmt).substitute(values), for the '$' style. */
static RtValue *dollar_format(RtValue *fmt, RtValue *values) {
    const char *s = rt_str_data(fmt);
    RtStrBuf b;
    rt_strbuf_init(&b);
    for (const char *p = s; *p;) {
        if (*p != '$') {
            const char *q = strchr(p, '$');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            put_utf8(&b, p, n);
            p += n;
            continue;
        }
        if (p[1] == '$') { rt_strbuf_putc(&b, '$'); p += 2; continue; }
        bool braced = p[1] == '{';
        const char *q = p + 1 + braced, *w = q;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_') q++;
        if (q == w || (braced && *q != '}')) {
            rt_strbuf_free(&b);
            return rt_raise(&rt_exc_ValueError, "Invalid placeholder in string");
        }
        RtValue *key = rt_str_new(w, (size_t)(q - w));
        RtValue *v = key ? rt_getitem(values, key) : NULL;
        rt_xdecref(key);
        if (!v || rt_strbuf_put_strof(&b, v) < 0) { rt_xdecref(v); rt_strbuf_free(&b); return NULL; }
        rt_decref(v);
        p = q + braced;
    }
    return rt_strbuf_finish(&b);
}

/* The style's _format: fmt % values, fmt.format(**values), Template.substitute. */
static RtValue *format_message(Formatter *f, RtValue *record) {
    RtValue *d = rt_obj_dict(record), *values;
    if (d) values = rt_newref(d);
    else if (!(values = rt_getattr(record, "__dict__"))) return NULL;
    if (f->defaults) {
        RtValue *m = rt_dict_copy(f->defaults);
        if (!m || rt_dict_update(m, values) < 0) { rt_xdecref(m); rt_decref(values); return NULL; }
        RT_SETREF(values, m);
    }
    RtValue *r;
    if (f->style == S_PERCENT) r = rt_str_percent(f->fmt, values);
    else if (f->style == S_BRACE) r = rt_str_m_format_map(f->fmt, &values, 1, NULL);
    else r = dollar_format(f->fmt, values);
    rt_decref(values);
    if (!r && f->style == S_PERCENT && rt_exc_matches((RtValue *)&rt_exc_KeyError)) {
        RtValue *e = rt_exc_fetch(), *s = rt_str(e);
        if (s) rt_raise_fmt(&rt_exc_ValueError, "Formatting field not found in record: %s", rt_str_data(s));
        rt_xdecref(s);
        rt_decref(e);
    }
    return r;
}

/* Formatter.format(record) */
static RtValue *formatter_format(RtValue *self, RtValue *record) {
    Formatter *f = FORMATTER(self);
    RtValue *msg = overridden(record, "getMessage") ? rt_call_method(record, "getMessage", NULL, 0, NULL)
                                                   : get_message(record);
    if (!msg || record_set(record, "message", msg) < 0) { rt_xdecref(msg); return NULL; }
    rt_decref(msg);
    if (overridden(self, "usesTime") ? true : uses_time(f)) {
        RtValue *at;
        if (overridden(self, "formatTime")) {
            RtValue *argv[2] = {record, f->datefmt ? f->datefmt : rt_None};
            at = rt_call_method(self, "formatTime", argv, 2, NULL);
        } else {
            at = format_time(record, f->datefmt);
        }
        if (!at || record_set(record, "asctime", at) < 0) { rt_xdecref(at); return NULL; }
        rt_decref(at);
    }
    RtValue *s = overridden(self, "formatMessage") ? call1(self, "formatMessage", record) : format_message(f, record);
    if (!s) return NULL;
    RtValue *ei = record_get(record, "exc_info");
    if (!ei) { rt_decref(s); return NULL; }
    int has_ei = rt_truthy(ei);
    RtValue *text = NULL;
    if (has_ei > 0) {
        text = record_get(record, "exc_text");
        if (text && rt_truthy(text) == 0) {
            RT_CLEAR(text);
            text = overridden(self, "formatException") ? call1(self, "formatException", ei) : format_exception(ei);
            if (text && record_set(record, "exc_text", text) < 0) RT_CLEAR(text);
        }
        if (!text) { rt_decref(ei); rt_decref(s); return NULL; }
    } else {
        text = record_get(record, "exc_text");
        if (!text) RT_CLEAR(rt_exc_pending);
    }
    rt_decref(ei);
    if (text && rt_is_str(text) && rt_str_nbytes(text)) {
        RtStrBuf b;
        rt_strbuf_init(&b);
        rt_strbuf_put_str(&b, s);
        if (!rt_str_nbytes(s) || rt_str_data(s)[rt_str_nbytes(s) - 1] != '\n') rt_strbuf_putc(&b, '\n');
        rt_strbuf_put_str(&b, text);
        RT_SETREF(s, rt_strbuf_finish(&b));
    }
    rt_xdecref(text);
    return s;
}

static RtValue *formatter_m_format(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Formatter.format", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return formatter_format(self, a[0]);
}

static RtValue *formatter_m_formatMessage(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Formatter.formatMessage", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return format_message(FORMATTER(self), a[0]);
}

static RtValue *formatter_m_usesTime(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self"};
    if (bind("Formatter.usesTime", self, names, 1, 0, 0, false, false, args, nargs, kw, NULL, NULL, NULL) < 0)
        return NULL;
    return rt_bool(uses_time(FORMATTER(self)));
}

static RtValue *formatter_get_fmt(RtValue *self) { return rt_newref(FORMATTER(self)->fmt); }
static RtValue *formatter_get_datefmt(RtValue *self) {
    RtValue *d = FORMATTER(self)->datefmt;
    return rt_newref(d ? d : rt_None);
}
static int formatter_set_datefmt(RtValue *self, RtValue *v) {
    RT_SETREF(FORMATTER(self)->datefmt, v && v != rt_None ? rt_newref(v) : NULL);
    return 0;
}

static const RtMethodDef formatter_methods[] = {
    {"__init__", formatter_m_init},
    {"format", formatter_m_format},
    {"formatTime", formatter_m_formatTime},
    {"formatException", formatter_m_formatException},
    {"formatMessage", formatter_m_formatMessage},
    {"usesTime", formatter_m_usesTime},
    {NULL, NULL},
};

static const RtGetSetDef formatter_getset[] = {
    {"_fmt", formatter_get_fmt, NULL},
    {"datefmt", formatter_get_datefmt, formatter_set_datefmt},
    {NULL, NULL, NULL},
};

static RtValue *repr_at(RtValue *self) {
    char buf[200];
    snprintf(buf, sizeof buf, "<%s.%s object at %p>", self->type->module, self->type->name, (void *)self);
    return str_of(buf);
}

RtType rt_logging_Formatter = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Formatter",
    .module = "logging",
    .tag = RT_T_NATIVE,
    .flags = RT_TF_BASETYPE,
    .base = &rt_type_object,
    .size = sizeof(Formatter),
    .dict_offset = offsetof(Formatter, dict),
    .table_index = -1,
    .dealloc = formatter_dealloc,
    .repr = repr_at,
    .construct = formatter_construct,
    .methods = formatter_methods,
    .getset = formatter_getset,
};

/* self.format(record) for a formatter (native or script). */
static RtValue *format_with(RtValue *fmt, RtValue *record) {
    if (rt_isinstance_t(fmt, &rt_logging_Formatter) && !overridden(fmt, "format")) return formatter_format(fmt, record);
    return call1(fmt, "format", record);
}

/* ==== Filter ======================================================================== */

static RtValue *filter_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "name"};
    RtValue *a[1];
    if (bind("Filter.__init__", self, names, 2, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    RtValue *n = a[0] == rt_None && nargs == 0 && !kw ? str_of("") : rt_newref(a[0]);
    if (!n) return NULL;
    RT_SETREF(((Filter *)self)->name, n);
    return rt_None;
}

static RtValue *filter_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *self = rt_obj_alloc(type, type->size);
    if (!self) return NULL;
    if (!(((Filter *)self)->name = str_of(""))) { rt_decref(self); return NULL; }
    if (is_heap((RtValue *)type)) return self;
    RtValue *r = filter_m_init(self, args, nargs, kw);
    if (!r) { rt_decref(self); return NULL; }
    return self;
}

static void filter_dealloc(RtValue *self) {
    RT_CLEAR(((Filter *)self)->dict);
    RT_CLEAR(((Filter *)self)->name);
}

/* Filter.filter(record): the record's logger is `name` or below it. */
static RtValue *filter_m_filter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Filter.filter", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    RtValue *n = ((Filter *)self)->name;
    size_t nlen = rt_is_str(n) ? rt_str_nbytes(n) : 0;
    if (nlen == 0) return rt_True;
    RtValue *rn = record_get(a[0], "name");
    if (!rn) return NULL;
    bool ok = false;
    if (rt_is_str(rn)) {
        const char *r = rt_str_data(rn);
        size_t rl = rt_str_nbytes(rn);
        if (rl == nlen && memcmp(r, rt_str_data(n), nlen) == 0) ok = true;
        else if (rl > nlen && memcmp(r, rt_str_data(n), nlen) == 0) ok = r[nlen] == '.';
    }
    rt_decref(rn);
    return rt_bool(ok);
}

static RtValue *filter_get_name(RtValue *self) { return rt_newref(((Filter *)self)->name); }

static const RtMethodDef filter_methods[] = {
    {"__init__", filter_m_init},
    {"filter", filter_m_filter},
    {NULL, NULL},
};

static const RtGetSetDef filter_getset[] = {
    {"name", filter_get_name, NULL},
    {NULL, NULL, NULL},
};

RtType rt_logging_Filter = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Filter",
    .module = "logging",
    .tag = RT_T_NATIVE,
    .flags = RT_TF_BASETYPE,
    .base = &rt_type_object,
    .size = sizeof(Filter),
    .dict_offset = offsetof(Filter, dict),
    .table_index = -1,
    .dealloc = filter_dealloc,
    .repr = repr_at,
    .construct = filter_construct,
    .methods = filter_methods,
    .getset = filter_getset,
};

/* ==== Handler, StreamHandler, FileHandler, NullHandler =============================== */

static int handler_kind(RtType *t) {
    for (; t; t = t->base) {
        if (t == &rt_logging__StderrHandler) return H_STDERR;
        if (t == &rt_logging_FileHandler) return H_FILE;
        if (t == &rt_logging_StreamHandler) return H_STREAM;
        if (t == &rt_logging_NullHandler) return H_NULL;
    }
    return H_BASE;
}

static RtValue *handler_alloc(RtType *type) {
    RtValue *self = rt_obj_alloc(type, type->size);
    if (!self) return NULL;
    Handler *h = HANDLER(self);
    h->kind = handler_kind(type);
    if (h->kind == H_STREAM || h->kind == H_STDERR) h->stream = rt_newref(rt_sys_stderr);
    return self;
}

/* Handler.__init__(level=NOTSET): also registers it for shutdown(). */
static int handler_setup(RtValue *self, RtValue *level) {
    int64_t lv = 0;
    if (level && check_level(level, &lv) < 0) return -1;
    HANDLER(self)->level = lv;
    if (init() < 0) return -1;
    int in = rt_contains(g_all_handlers, self);
    if (in < 0) return -1;
    return in ? 0 : rt_list_append(g_all_handlers, self);
}

static RtValue *handler_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "level"};
    RtValue *a[1];
    if (bind("Handler.__init__", self, names, 2, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return handler_setup(self, a[0] == rt_None ? NULL : a[0]) < 0 ? NULL : rt_None;
}

/* StreamHandler.__init__(stream=None) */
static RtValue *stream_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "stream"};
    RtValue *a[1];
    if (bind("StreamHandler.__init__", self, names, 2, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    if (handler_setup(self, NULL) < 0) return NULL;
    RT_SETREF(HANDLER(self)->stream, rt_newref(a[0] == rt_None ? rt_sys_stderr : a[0]));
    return rt_None;
}

/* FileHandler._open(): open(baseFilename, mode, encoding=...) */
static int file_open(Handler *h) {
    RtValue *argv[2] = {h->base_filename, h->mode};
    RtValue *f = rt_bi_open(NULL, argv, 2, NULL);
    if (!f) return -1;
    RT_SETREF(h->stream, f);
    return 0;
}

/* FileHandler.__init__(filename, mode='a', encoding=None, delay=False, errors=None) */
static RtValue *file_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "filename", "mode", "encoding", "delay", "errors"};
    RtValue *a[5];
    if (bind("FileHandler.__init__", self, names, 6, 0, 4, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    Handler *h = HANDLER(self);
    if (!rt_is_str(a[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "expected str, bytes or os.PathLike object, not %s",
                            a[0]->type->name);
    RtValue *abs = rt_ospath_abspath(NULL, &a[0], 1, NULL);
    if (!abs) return NULL;
    RT_SETREF(h->base_filename, abs);
    RtValue *mode = a[1] == rt_None ? str_of("a") : rt_newref(a[1]);
    if (!mode) return NULL;
    RT_SETREF(h->mode, mode);
    RT_SETREF(h->encoding, rt_newref(a[2] == rt_None ? rt_None : a[2]));
    int delay = a[3] == rt_None ? 0 : rt_truthy(a[3]);
    if (delay < 0 || handler_setup(self, NULL) < 0) return NULL;
    RT_CLEAR(h->stream);
    if (!delay && file_open(h) < 0) return NULL;
    return rt_None;
}

static RtValue *handler_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *self = handler_alloc(type);
    if (!self) return NULL;
    if (is_heap((RtValue *)type)) return self;
    RtValue *r;
    switch (HANDLER(self)->kind) {
    case H_STREAM: r = stream_m_init(self, args, nargs, kw); break;
    case H_FILE:   r = file_m_init(self, args, nargs, kw); break;
    default:       r = handler_m_init(self, args, nargs, kw); break;   /* Handler, NullHandler, _StderrHandler */
    }
    if (!r) { rt_decref(self); return NULL; }
    return self;
}

static void handler_dealloc(RtValue *self) {
    Handler *h = HANDLER(self);
    RT_CLEAR(h->dict);
    RT_CLEAR(h->formatter);
    RT_CLEAR(h->filters);
    RT_CLEAR(h->name);
    RT_CLEAR(h->stream);
    RT_CLEAR(h->terminator);
    RT_CLEAR(h->base_filename);
    RT_CLEAR(h->mode);
    RT_CLEAR(h->encoding);
}

/* The stream a handler writes to (_StderrHandler: sys.stderr now). Borrowed. */
static RtValue *stream_of(Handler *h) {
    return h->kind == H_STDERR ? rt_sys_stderr : h->stream;
}

/* Handler.format(record) */
static RtValue *handler_format(RtValue *self, RtValue *record) {
    if (overridden(self, "format")) return call1(self, "format", record);
    RtValue *fmt = rt_isinstance_t(self, &rt_logging_Handler) ? HANDLER(self)->formatter : NULL;
    if (!fmt) {
        if (init() < 0) return NULL;
        fmt = g_default_formatter;
    }
    return format_with(fmt, record);
}

static int stream_flush(RtValue *stream) {
    if (!stream || stream == rt_None) return 0;
    if (stream == rt_sys_stderr) { fflush(stderr); return 0; }
    if (stream == rt_sys_stdout) { fflush(stdout); return 0; }
    int has = rt_hasattr(stream, "flush");
    if (has <= 0) return has;
    RtValue *r = rt_call_method(stream, "flush", NULL, 0, NULL);
    if (!r) return -1;
    rt_decref(r);
    return 0;
}

/* --- Logging error --- (Handler.handleError, for an exception in emit()). */
static void handle_error(RtValue *record) {
    RtValue *exc = rt_exc_fetch();
    if (!exc) return;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_put_cstr(&b, "--- Logging error ---\n");
    RtExc *e = exc->type->tag == RT_T_EXC ? (RtExc *)exc : NULL;
    if (e && !e->ntb) rt_strbuf_put_cstr(&b, "Traceback (most recent call last):\n");
    RtValue *text = rt_exc_format(exc);
    if (text) {
        rt_strbuf_put_str(&b, text);
        rt_decref(text);
    } else {
        RT_CLEAR(rt_exc_pending);
    }
    rt_strbuf_put_cstr(&b, "Call stack:\n");
    RtValue *msg = record_get(record, "msg"), *args = msg ? record_get(record, "args") : NULL;
    RtValue *rm = msg ? rt_repr(msg) : NULL, *sa = rm && args ? rt_str(args) : NULL;
    if (rm && sa) {
        rt_strbuf_put_cstr(&b, "Message: ");
        rt_strbuf_put_str(&b, rm);
        rt_strbuf_put_cstr(&b, "\nArguments: ");
        rt_strbuf_put_str(&b, sa);
        rt_strbuf_putc(&b, '\n');
    } else {
        RT_CLEAR(rt_exc_pending);
        rt_strbuf_put_cstr(&b, "Unable to print the message and arguments - possible formatting error.\n"
                               "Use the traceback above to help find the error.\n");
    }
    rt_xdecref(msg); rt_xdecref(args); rt_xdecref(rm); rt_xdecref(sa);
    RtValue *s = rt_strbuf_finish(&b);
    fflush(stdout);
    if (s) { fwrite(rt_str_data(s), 1, rt_str_nbytes(s), stderr); rt_decref(s); }
    else RT_CLEAR(rt_exc_pending);
    fflush(stderr);
    rt_decref(exc);
}

/* StreamHandler.emit(record): write format(record) + terminator, flush. */
static int stream_emit(RtValue *self, RtValue *record) {
    Handler *h = HANDLER(self);
    if (h->kind == H_FILE && !h->stream) {
        if (h->closed && h->mode && strcmp(rt_str_data(h->mode), "w") == 0) return 0;
        if (file_open(h) < 0) return -1;
    }
    RtValue *msg = handler_format(self, record);
    RtValue *stream = stream_of(h);
    if (msg && !rt_is_str(msg)) {
        RT_CLEAR(msg);
        rt_raise(&rt_exc_TypeError, "format() must return a str");
    }
    if (msg && stream && (stream == rt_sys_stderr || stream == rt_sys_stdout)) {
        FILE *fp = stream == rt_sys_stderr ? stderr : stdout;
        fwrite(rt_str_data(msg), 1, rt_str_nbytes(msg), fp);
        if (h->terminator) fwrite(rt_str_data(h->terminator), 1, rt_str_nbytes(h->terminator), fp);
        else fputc('\n', fp);
        fflush(fp);
        rt_decref(msg);
        return 0;
    }
    int rc = -1;
    if (msg) {
        RtValue *line = rt_str_concat(msg, h->terminator ? h->terminator : rt_str_const("\n", 1));
        RtValue *r = line ? (stream ? call1(stream, "write", line) : rt_raise(&rt_exc_AttributeError,
                                                                             "'NoneType' object has no attribute 'write'"))
                          : NULL;
        rt_xdecref(line);
        if (r) {
            rt_decref(r);
            rc = overridden(self, "flush") ? (r = rt_call_method(self, "flush", NULL, 0, NULL)) ? (rt_decref(r), 0) : -1
                                           : stream_flush(stream);
        }
        rt_decref(msg);
    }
    if (rc < 0) {
        if (rt_exc_matches((RtValue *)&rt_exc_RecursionError) || !rt_exc_matches((RtValue *)&rt_exc_Exception))
            return -1;
        handle_error(record);
    }
    return 0;
}

/* self.emit(record) */
static int emit(RtValue *self, RtValue *record) {
    if (overridden(self, "emit") || !rt_isinstance_t(self, &rt_logging_Handler)) {
        RtValue *r = call1(self, "emit", record);
        if (!r) return -1;
        rt_decref(r);
        return 0;
    }
    switch (HANDLER(self)->kind) {
    case H_NULL: return 0;
    case H_STREAM: case H_FILE: case H_STDERR: return stream_emit(self, record);
    default:
        rt_raise(&rt_exc_NotImplementedError, "emit must be implemented by Handler subclasses");
        return -1;
    }
}

/* Handler.handle(record): filters, then emit. 1 emitted, 0 filtered, -1 error. */
static int handle(RtValue *self, RtValue *record) {
    if (rt_isinstance_t(self, &rt_logging_Handler) && HANDLER(self)->kind == H_NULL && !overridden(self, "handle"))
        return 1;
    if (overridden(self, "handle") || !rt_isinstance_t(self, &rt_logging_Handler)) {
        RtValue *r = call1(self, "handle", record);
        if (!r) return -1;
        int t = rt_truthy(r);
        rt_decref(r);
        return t;
    }
    int ok = filter_of(self, record);
    if (ok <= 0) return ok;
    return emit(self, record) < 0 ? -1 : 1;
}

static RtValue *handler_m_handle(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Handler.handle", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    if (HANDLER(self)->kind == H_NULL) return rt_None;
    int ok = filter_of(self, a[0]);
    if (ok < 0) return NULL;
    if (ok && emit(self, a[0]) < 0) return NULL;
    return rt_bool(ok);
}

static RtValue *handler_m_emit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Handler.emit", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    switch (HANDLER(self)->kind) {
    case H_NULL: return rt_None;
    case H_STREAM: case H_FILE: case H_STDERR: return stream_emit(self, a[0]) < 0 ? NULL : rt_None;
    default: return rt_raise(&rt_exc_NotImplementedError, "emit must be implemented by Handler subclasses");
    }
}

static RtValue *handler_m_format(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Handler.format", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    RtValue *fmt = HANDLER(self)->formatter;
    if (!fmt) {
        if (init() < 0) return NULL;
        fmt = g_default_formatter;
    }
    return format_with(fmt, a[0]);
}

static RtValue *handler_m_setLevel(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "level"};
    RtValue *a[1];
    if (bind("Handler.setLevel", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return check_level(a[0], &HANDLER(self)->level) < 0 ? NULL : rt_None;
}

static RtValue *handler_m_setFormatter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "fmt"};
    RtValue *a[1];
    if (bind("Handler.setFormatter", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    RT_SETREF(HANDLER(self)->formatter, a[0] == rt_None ? NULL : rt_newref(a[0]));
    return rt_None;
}

static RtValue *handler_m_flush(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self"};
    if (bind("Handler.flush", self, names, 1, 0, 0, false, false, args, nargs, kw, NULL, NULL, NULL) < 0)
        return NULL;
    Handler *h = HANDLER(self);
    if (h->kind == H_STREAM || h->kind == H_FILE || h->kind == H_STDERR)
        if (stream_flush(stream_of(h)) < 0) return NULL;
    return rt_None;
}

static RtValue *handler_m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self"};
    if (bind("Handler.close", self, names, 1, 0, 0, false, false, args, nargs, kw, NULL, NULL, NULL) < 0)
        return NULL;
    Handler *h = HANDLER(self);
    if (h->kind == H_FILE && h->stream) {
        RtValue *stream = h->stream;
        h->stream = NULL;
        int rc = stream_flush(stream);
        RtValue *r = rc < 0 ? NULL : rt_call_method(stream, "close", NULL, 0, NULL);
        rt_decref(stream);
        if (!r) return NULL;
        rt_decref(r);
    }
    h->closed = true;
    return rt_None;
}

static RtValue *handler_m_noop(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self; (void)args; (void)nargs; (void)kw;    /* acquire, release, createLock */
    return rt_None;
}

static RtValue *handler_m_handleError(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Handler.handleError", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    RtValue *cur = rt_exc_handling();
    if (cur) {
        rt_exc_restore(rt_newref(cur));
        handle_error(a[0]);
    }
    return rt_None;
}

/* StreamHandler.setStream(stream): the old stream, or None if unchanged. */
static RtValue *stream_m_setStream(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "stream"};
    RtValue *a[1];
    if (bind("StreamHandler.setStream", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    Handler *h = HANDLER(self);
    if (a[0] == h->stream) return rt_None;
    RtValue *old = h->stream ? h->stream : rt_newref(rt_None);
    if (stream_flush(h->stream) < 0) return NULL;
    h->stream = rt_newref(a[0]);
    return old;
}

static RtValue *handler_get_level(RtValue *self) { return rt_int(HANDLER(self)->level); }
static int handler_set_level(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_AttributeError, "cannot delete level"); return -1; }
    return rt_int_as_i64(v, &HANDLER(self)->level);
}
static RtValue *handler_get_formatter(RtValue *self) {
    RtValue *f = HANDLER(self)->formatter;
    return rt_newref(f ? f : rt_None);
}
static int handler_set_formatter(RtValue *self, RtValue *v) {
    RT_SETREF(HANDLER(self)->formatter, v && v != rt_None ? rt_newref(v) : NULL);
    return 0;
}
static RtValue *handler_get_name(RtValue *self) {
    RtValue *n = HANDLER(self)->name;
    return rt_newref(n ? n : rt_None);
}
static int handler_set_name(RtValue *self, RtValue *v) {
    RT_SETREF(HANDLER(self)->name, v && v != rt_None ? rt_newref(v) : NULL);
    return 0;
}
static RtValue *handler_get_stream(RtValue *self) {
    Handler *h = HANDLER(self);
    RtValue *s = stream_of(h);
    if (h->kind == H_BASE || h->kind == H_NULL)
        return rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute 'stream'", self->type->name);
    return rt_newref(s ? s : rt_None);
}
static int handler_set_stream(RtValue *self, RtValue *v) {
    RT_SETREF(HANDLER(self)->stream, v ? rt_newref(v) : NULL);
    return 0;
}
static RtValue *handler_get_terminator(RtValue *self) {
    RtValue *t = HANDLER(self)->terminator;
    return t ? rt_newref(t) : str_of("\n");
}
static int handler_set_terminator(RtValue *self, RtValue *v) {
    RT_SETREF(HANDLER(self)->terminator, v ? rt_newref(v) : NULL);
    return 0;
}
static RtValue *handler_get_base_filename(RtValue *self) {
    RtValue *f = HANDLER(self)->base_filename;
    if (!f) return rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute 'baseFilename'",
                                self->type->name);
    return rt_newref(f);
}
static RtValue *handler_get_mode(RtValue *self) {
    RtValue *m = HANDLER(self)->mode;
    if (!m) return rt_raise_fmt(&rt_exc_AttributeError, "'%s' object has no attribute 'mode'", self->type->name);
    return rt_newref(m);
}

static RtValue *handler_repr(RtValue *self) {
    Handler *h = HANDLER(self);
    RtValue *ln = level_name_i(h->level);
    if (!ln) return NULL;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_putc(&b, '<');
    rt_strbuf_put_cstr(&b, self->type->name);
    rt_strbuf_putc(&b, ' ');
    if (h->kind == H_FILE && h->base_filename) {
        rt_strbuf_put_str(&b, h->base_filename);
        rt_strbuf_putc(&b, ' ');
    } else if (h->kind == H_STREAM || h->kind == H_STDERR) {
        RtValue *s = stream_of(h), *name = NULL;
        if (s == rt_sys_stderr) name = str_of("<stderr>");
        else if (s == rt_sys_stdout) name = str_of("<stdout>");
        else if (s) {
            name = rt_getattr_opt(s, "name");
            if (!name) RT_CLEAR(rt_exc_pending);
            else RT_SETREF(name, rt_str(name));
            if (!name) RT_CLEAR(rt_exc_pending);
        }
        if (name && rt_str_nbytes(name)) {
            rt_strbuf_put_str(&b, name);
            rt_strbuf_putc(&b, ' ');
        }
        rt_xdecref(name);
    }
    rt_strbuf_putc(&b, '(');
    rt_strbuf_put_str(&b, ln);
    rt_strbuf_put_cstr(&b, ")>");
    rt_decref(ln);
    return rt_strbuf_finish(&b);
}

static const RtMethodDef handler_methods[] = {
    {"__init__", handler_m_init},
    {"handle", handler_m_handle},
    {"emit", handler_m_emit},
    {"format", handler_m_format},
    {"setLevel", handler_m_setLevel},
    {"setFormatter", handler_m_setFormatter},
    {"addFilter", m_addFilter},
    {"removeFilter", m_removeFilter},
    {"filter", m_filter},
    {"flush", handler_m_flush},
    {"close", handler_m_close},
    {"acquire", handler_m_noop},
    {"release", handler_m_noop},
    {"createLock", handler_m_noop},
    {"handleError", handler_m_handleError},
    {NULL, NULL},
};

static const RtMethodDef stream_methods[] = {
    {"__init__", stream_m_init},
    {"setStream", stream_m_setStream},
    {NULL, NULL},
};

static const RtMethodDef file_methods[] = {
    {"__init__", file_m_init},
    {NULL, NULL},
};

static const RtGetSetDef handler_getset[] = {
    {"level", handler_get_level, handler_set_level},
    {"formatter", handler_get_formatter, handler_set_formatter},
    {"filters", get_filters, set_filters},
    {"name", handler_get_name, handler_set_name},
    {NULL, NULL, NULL},
};

static const RtGetSetDef stream_getset[] = {
    {"stream", handler_get_stream, handler_set_stream},
    {"terminator", handler_get_terminator, handler_set_terminator},
    {NULL, NULL, NULL},
};

static const RtGetSetDef file_getset[] = {
    {"baseFilename", handler_get_base_filename, NULL},
    {"mode", handler_get_mode, NULL},
    {NULL, NULL, NULL},
};

#define HANDLER_TYPE(sym, pyname, basep, meths, gs)                                          \
    RtType sym = {                                                                           \
        .ob = RT_STATIC_HEAD(&rt_type_type), .name = pyname, .module = "logging",            \
        .tag = RT_T_NATIVE, .flags = RT_TF_BASETYPE, .base = basep, .size = sizeof(Handler), \
        .dict_offset = offsetof(Handler, dict), .table_index = -1,                           \
        .dealloc = handler_dealloc, .repr = handler_repr, .construct = handler_construct,    \
        .methods = meths, .getset = gs,                                                      \
    };

HANDLER_TYPE(rt_logging_Handler, "Handler", &rt_type_object, handler_methods, handler_getset)
HANDLER_TYPE(rt_logging_StreamHandler, "StreamHandler", &rt_logging_Handler, stream_methods, stream_getset)
HANDLER_TYPE(rt_logging_FileHandler, "FileHandler", &rt_logging_StreamHandler, file_methods, file_getset)
HANDLER_TYPE(rt_logging_NullHandler, "NullHandler", &rt_logging_Handler, NULL, NULL)
static HANDLER_TYPE(rt_logging__StderrHandler, "_StderrHandler", &rt_logging_StreamHandler, NULL, NULL)

/* ==== Logger ============================================================================ */

static bool is_logger(RtValue *o) { return rt_isinstance_t(o, &rt_logging_Logger); }

static RtValue *logger_alloc(RtType *type, RtValue *name, int64_t level) {
    RtValue *self = rt_obj_alloc(type, type->size);
    if (!self) return NULL;
    Logger *l = LOGGER(self);
    l->name = rt_newref(name);
    l->level = level;
    l->propagate = rt_newref(rt_True);
    if (!(l->handlers = rt_list_new(0))) { rt_decref(self); return NULL; }
    return self;
}

/* Logger.__init__(name, level=NOTSET) */
static RtValue *logger_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "name", "level"};
    RtValue *a[2];
    if (bind("Logger.__init__", self, names, 3, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    Logger *l = LOGGER(self);
    int64_t lv = 0;
    if (a[1] != rt_None && check_level(a[1], &lv) < 0) return NULL;
    RT_SETREF(l->name, rt_newref(a[0]));
    l->level = lv;
    return rt_None;
}

/* RootLogger.__init__(level) */
static RtValue *root_m_init(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "level"};
    RtValue *a[1];
    if (bind("RootLogger.__init__", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    int64_t lv;
    if (check_level(a[0], &lv) < 0) return NULL;
    RtValue *n = str_of("root");
    if (!n) return NULL;
    RT_SETREF(LOGGER(self)->name, n);
    LOGGER(self)->level = lv;
    return rt_None;
}

static RtValue *logger_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *self = logger_alloc(type, rt_None, NOTSET);
    if (!self || is_heap((RtValue *)type)) return self;
    RtValue *r = rt_type_is_subtype(type, &rt_logging_RootLogger) ? root_m_init(self, args, nargs, kw)
                                                                   : logger_m_init(self, args, nargs, kw);
    if (!r) { rt_decref(self); return NULL; }
    return self;
}

static void logger_dealloc(RtValue *self) {
    Logger *l = LOGGER(self);
    RT_CLEAR(l->dict);
    RT_CLEAR(l->name);
    RT_CLEAR(l->propagate);
    RT_CLEAR(l->handlers);
    RT_CLEAR(l->filters);
}

/* Manager._fixupParents / _fixupChildren, without placeholders: the parent
 * is the nearest existing logger along the dotted prefixes (else root);
 * loggers below the new one whose parent is above it now point to it. */
static int fixup(RtValue *lg) {
    Logger *l = LOGGER(lg);
    const char *name = rt_str_data(l->name);
    size_t len = rt_str_nbytes(l->name);
    RtValue *parent = NULL;
    for (ssize_t i = (ssize_t)len - 1; i > 0 && !parent; i--) {
        if (name[i] != '.') continue;
        RtValue *k = rt_str_new(name, (size_t)i);
        if (!k) return -1;
        RtValue *p = NULL;
        int rc = rt_dict_lookup(g_loggers, k, &p);
        rt_decref(k);
        if (rc < 0) return -1;
        if (p) parent = p;
    }
    l->parent = parent ? parent : g_root;
    size_t pos = 0;
    RtValue *k, *v;
    while (rt_dict_next(g_loggers, &pos, &k, &v)) {
        Logger *c = LOGGER(v);
        if (v == lg || rt_str_nbytes(c->name) <= len + 1) continue;
        const char *cn = rt_str_data(c->name);
        if (memcmp(cn, name, len) != 0 || cn[len] != '.') continue;
        Logger *cp = c->parent ? LOGGER(c->parent) : NULL;
        if (!cp) continue;
        if (rt_str_nbytes(cp->name) >= len && memcmp(rt_str_data(cp->name), name, len) == 0) continue;
        c->parent = lg;
    }
    return 0;
}

/* Manager.getLogger(name). Borrowed (loggers live as long as the program). */
static RtValue *manager_get(RtValue *name) {
    if (!rt_is_str(name)) return rt_raise(&rt_exc_TypeError, "A logger name must be a string");
    RtValue *l = NULL;
    if (rt_dict_lookup(g_loggers, name, &l) < 0) return NULL;
    if (l) return l;
    l = logger_alloc(&rt_logging_Logger, name, NOTSET);
    if (!l) return NULL;
    int rc = rt_dict_set(g_loggers, name, l);
    rt_decref(l);
    if (rc < 0 || fixup(l) < 0) return NULL;
    return l;
}

static RtValue *get_logger_cstr(const char *name) {
    if (init() < 0) return NULL;
    if (!name || !*name || strcmp(name, "root") == 0) return g_root;
    RtValue *n = str_of(name);
    if (!n) return NULL;
    RtValue *l = manager_get(n);
    rt_decref(n);
    return l;
}

RtValue *rt_logging_getLogger(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"name"};
    RtValue *a[1];
    (void)self;
    if (bind("getLogger", NULL, names, 1, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    if (init() < 0) return NULL;
    int t = rt_truthy(a[0]);
    if (t < 0) return NULL;
    if (!t || (rt_is_str(a[0]) && strcmp(rt_str_data(a[0]), "root") == 0)) return rt_newref(g_root);
    RtValue *l = manager_get(a[0]);
    return l ? rt_newref(l) : NULL;
}

RtValue *rt_logging_root(void) {
    if (init() < 0) return NULL;
    return rt_newref(g_root);
}

static int64_t effective_level(RtValue *lg) {
    for (RtValue *l = lg; l; l = LOGGER(l)->parent)
        if (LOGGER(l)->level) return LOGGER(l)->level;
    return NOTSET;
}

static bool enabled_for(RtValue *lg, int64_t level) {
    if (LOGGER(lg)->disabled) return false;
    if (g_disable >= level) return false;
    return level >= effective_level(lg);
}

/* Logger.callHandlers(record) */
static int call_handlers(RtValue *lg, RtValue *record, int64_t levelno) {
    int found = 0;
    for (RtValue *c = lg; c;) {
        RtValue *hs = rt_newref(LOGGER(c)->handlers);
        for (size_t i = 0; rt_is_list(hs) && i < RT_LIST_LEN(hs); i++) {
            RtValue *h = RT_LIST_GET(hs, i);
            found++;
            int64_t hl;
            if (rt_isinstance_t(h, &rt_logging_Handler)) hl = HANDLER(h)->level;
            else {
                RtValue *v = rt_getattr(h, "level");
                int rc = v ? rt_int_as_i64(v, &hl) : -1;
                rt_xdecref(v);
                if (rc < 0) { rt_decref(hs); return -1; }
            }
            if (levelno >= hl && handle(h, record) < 0) { rt_decref(hs); return -1; }
        }
        rt_decref(hs);
        int p = rt_truthy(LOGGER(c)->propagate);
        if (p < 0) return -1;
        c = p ? LOGGER(c)->parent : NULL;
    }
    if (found == 0 && g_last_resort && levelno >= HANDLER(g_last_resort)->level)
        return handle(g_last_resort, record) < 0 ? -1 : 0;
    return 0;
}

/* Logger.handle(record) */
static int logger_handle(RtValue *lg, RtValue *record) {
    if (LOGGER(lg)->disabled) return 0;
    int ok = filter_of(lg, record);
    if (ok <= 0) return ok;
    RtValue *lv = record_get(record, "levelno");
    int64_t levelno;
    int rc = lv ? rt_int_as_i64(lv, &levelno) : -1;
    rt_xdecref(lv);
    if (rc < 0) return -1;
    return call_handlers(lg, record, levelno);
}

/* exc_info as _log normalises it: an exception → (type, exc, None); any
 * other true value but a tuple → sys.exc_info(). New reference. */
static RtValue *norm_exc_info(RtValue *ei) {
    if (!ei || ei == rt_None) return rt_newref(rt_None);
    int t = rt_truthy(ei);
    if (t < 0) return NULL;
    if (!t) return rt_newref(ei);
    if (ei->type->tag == RT_T_EXC) return rt_tuple_pack(3, (RtValue *)ei->type, ei, rt_None);
    if (rt_is_tuple(ei)) return rt_newref(ei);
    RtValue *cur = rt_exc_handling();
    if (!cur) return rt_tuple_pack(3, rt_None, rt_None, rt_None);
    return rt_tuple_pack(3, (RtValue *)cur->type, cur, rt_None);
}

static int site_line;            /* 0: no site */
static const char *site_func;

void rt_log_site(int line, const char *func) {
    site_line = line;
    site_func = func;
}

/* Logger._log(level, msg, args, exc_info=None, extra=None, stack_info=False, stacklevel=1);
 * line 0 = caller unknown */
static int do_log(RtValue *lg, RtValue *level, RtValue *msg, RtValue *args, RtValue *exc_info, RtValue *extra,
                  int line, const char *funcname) {
    RtValue *ei = norm_exc_info(exc_info);
    if (!ei) return -1;
    RtValue *name = LOGGER(lg)->name;
    RtValue *path = str_of(rt_script_path ? rt_script_path : rt_program && rt_program->path ? rt_program->path
                                                                                              : "(unknown file)");
    RtValue *lineno = rt_int(line > 0 ? line : 0);
    RtValue *func = str_of(line > 0 && funcname ? funcname : "(unknown function)");
    RtValue *rec = path && lineno && func ? rt_obj_alloc(&rt_logging_LogRecord, sizeof(LogRecord)) : NULL;
    int rc = -1;
    if (rec && (((LogRecord *)rec)->dict = rt_dict_new()) &&
        record_init(rec, name, level, path, lineno, msg, args, ei, func, rt_None) == 0) {
        rc = 0;
        if (extra && extra != rt_None) {
            RtValue *keys = rt_list_from_iter(extra);
            for (size_t i = 0; keys && rc == 0 && i < RT_LIST_LEN(keys); i++) {
                RtValue *k = RT_LIST_GET(keys, i), *have = NULL;
                bool reserved = rt_is_str(k) && (strcmp(rt_str_data(k), "message") == 0 ||
                                                 strcmp(rt_str_data(k), "asctime") == 0);
                if (rt_dict_lookup(((LogRecord *)rec)->dict, k, &have) < 0) { rc = -1; break; }
                if (reserved || have) {
                    rt_raise_fmt(&rt_exc_KeyError, "Attempt to overwrite %R in LogRecord", k);
                    rc = -1;
                    break;
                }
                RtValue *v = rt_getitem(extra, k);
                if (!v || rt_dict_set(((LogRecord *)rec)->dict, k, v) < 0) rc = -1;
                rt_xdecref(v);
            }
            if (!keys) rc = -1;
            rt_xdecref(keys);
        }
        if (rc == 0) rc = overridden(lg, "handle") ? (call1(lg, "handle", rec) ? 0 : -1) : logger_handle(lg, rec);
    }
    rt_xdecref(rec);
    rt_xdecref(path);
    rt_xdecref(lineno);
    rt_xdecref(func);
    rt_decref(ei);
    return rc < 0 ? -1 : 0;
}

/* (self, [level,] msg, *args, exc_info=None, extra=None, stack_info=False, stacklevel=1) */
static RtValue *log_call(RtValue *self, int64_t fixed, const char *fname, bool exception, RtValue *const *args,
                         size_t nargs, RtValue *kw) {
    int line = site_line;   /* the caller's site, taken once (see rt_log_site) */
    const char *func = site_func;
    site_line = 0;
    site_func = NULL;
    bool with_level = fixed < 0;
    size_t need = with_level ? 2 : 1;
    if (nargs < need) {
        static const char *const one[] = {"'msg'", "'level' and 'msg'"};
        rt_raise_fmt(&rt_exc_TypeError, "%s() missing %d required positional argument%s: %s", fname,
                     (int)(need - nargs), need - nargs > 1 ? "s" : "",
                     with_level && nargs == 0 ? one[1] : one[0]);
        return NULL;
    }
    if (init() < 0) return NULL;
    RtValue *level = with_level ? args[0] : NULL;
    int64_t lv = fixed;
    if (with_level) {
        if (!rt_is_int(level)) return rt_raise(&rt_exc_TypeError, "level must be an integer");
        if (rt_int_as_i64(level, &lv) < 0) return NULL;
    }
    if (!enabled_for(self, lv)) return rt_None;
    RtValue *exc_info = exception ? rt_True : NULL, *extra = NULL;
    size_t nkw = kw ? RT_TUPLE_LEN(kw) : 0;
    for (size_t i = 0; i < nkw; i++) {
        const char *k = rt_str_data(RT_TUPLE_GET(kw, i));
        RtValue *v = args[nargs + i];
        if (strcmp(k, "exc_info") == 0) exc_info = v;
        else if (strcmp(k, "extra") == 0) extra = v;
        else if (strcmp(k, "stack_info") == 0 || strcmp(k, "stacklevel") == 0) { /* XXX: no stack at run time */ }
        else return rt_raise_fmt(&rt_exc_TypeError, "Logger._log() got an unexpected keyword argument '%s'", k);
    }
    RtValue *lvobj = with_level ? rt_newref(level) : rt_int(lv);
    RtValue *targs = rt_tuple_from_array(args + need, nargs - need);
    int rc = lvobj && targs ? do_log(self, lvobj, args[need - 1], targs, exc_info, extra, line, func) : -1;
    rt_xdecref(lvobj);
    rt_xdecref(targs);
    return rc < 0 ? NULL : rt_None;
}

RtValue *rt_logging_Logger_m_debug(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return log_call(self, DEBUG, "Logger.debug", false, args, nargs, kw);
}
RtValue *rt_logging_Logger_m_info(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return log_call(self, INFO, "Logger.info", false, args, nargs, kw);
}
RtValue *rt_logging_Logger_m_warning(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return log_call(self, WARNING, "Logger.warning", false, args, nargs, kw);
}
RtValue *rt_logging_Logger_m_error(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return log_call(self, ERROR, "Logger.error", false, args, nargs, kw);
}
RtValue *rt_logging_Logger_m_exception(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return log_call(self, ERROR, "Logger.exception", true, args, nargs, kw);
}
RtValue *rt_logging_Logger_m_critical(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return log_call(self, CRITICAL, "Logger.critical", false, args, nargs, kw);
}
RtValue *rt_logging_Logger_m_log(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return log_call(self, -1, "Logger.log", false, args, nargs, kw);
}

RtValue *rt_logging_Logger_m_setLevel(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "level"};
    RtValue *a[1];
    if (bind("Logger.setLevel", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return check_level(a[0], &LOGGER(self)->level) < 0 ? NULL : rt_None;
}

RtValue *rt_logging_Logger_m_isEnabledFor(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "level"};
    RtValue *a[1];
    if (bind("Logger.isEnabledFor", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    if (LOGGER(self)->disabled) return rt_False;
    RtValue *d = rt_int(g_disable), *e = d ? rt_int(effective_level(self)) : NULL;
    int off = e ? rt_compare_bool(d, a[0], RT_GE) : -1;
    int on = off == 0 ? rt_compare_bool(a[0], e, RT_GE) : 0;
    rt_xdecref(d);
    rt_xdecref(e);
    if (off < 0 || on < 0) return NULL;
    return rt_bool(!off && on);
}

RtValue *rt_logging_Logger_m_getEffectiveLevel(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self"};
    if (bind("Logger.getEffectiveLevel", self, names, 1, 0, 0, false, false, args, nargs, kw, NULL, NULL, NULL) < 0)
        return NULL;
    return rt_int(effective_level(self));
}

RtValue *rt_logging_Logger_m_addHandler(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "hdlr"};
    RtValue *a[1];
    if (bind("Logger.addHandler", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    RtValue *hs = LOGGER(self)->handlers;
    int in = rt_contains(hs, a[0]);
    if (in < 0) return NULL;
    if (!in) {
        RtValue *r = call1(hs, "append", a[0]);
        if (!r) return NULL;
        rt_decref(r);
    }
    return rt_None;
}

RtValue *rt_logging_Logger_m_removeHandler(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "hdlr"};
    RtValue *a[1];
    if (bind("Logger.removeHandler", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return list_remove(LOGGER(self)->handlers, a[0]);
}

RtValue *rt_logging_Logger_m_hasHandlers(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self"};
    if (bind("Logger.hasHandlers", self, names, 1, 0, 0, false, false, args, nargs, kw, NULL, NULL, NULL) < 0)
        return NULL;
    for (RtValue *c = self; c;) {
        int64_t n = rt_len(LOGGER(c)->handlers);
        if (n < 0) return NULL;
        if (n) return rt_True;
        int p = rt_truthy(LOGGER(c)->propagate);
        if (p < 0) return NULL;
        c = p ? LOGGER(c)->parent : NULL;
    }
    return rt_False;
}

RtValue *rt_logging_Logger_m_getChild(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "suffix"};
    RtValue *a[1];
    if (bind("Logger.getChild", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    if (init() < 0) return NULL;
    if (!rt_is_str(a[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "sequence item 1: expected str instance, %s found",
                            a[0]->type->name);
    RtValue *full;
    if (self == g_root) full = rt_newref(a[0]);
    else {
        RtValue *dot = rt_str_const(".", 1), *t = rt_str_concat(LOGGER(self)->name, dot);
        full = t ? rt_str_concat(t, a[0]) : NULL;
        rt_xdecref(t);
    }
    if (!full) return NULL;
    RtValue *l = manager_get(full);
    rt_decref(full);
    return l ? rt_newref(l) : NULL;
}

static RtValue *logger_m_handle(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Logger.handle", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    return logger_handle(self, a[0]) < 0 ? NULL : rt_None;
}

static RtValue *logger_m_callHandlers(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"self", "record"};
    RtValue *a[1];
    if (bind("Logger.callHandlers", self, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0)
        return NULL;
    RtValue *lv = record_get(a[0], "levelno");
    int64_t levelno;
    int rc = lv ? rt_int_as_i64(lv, &levelno) : -1;
    rt_xdecref(lv);
    if (rc < 0) return NULL;
    return call_handlers(self, a[0], levelno) < 0 ? NULL : rt_None;
}

static RtValue *logger_repr(RtValue *self) {
    RtValue *ln = level_name_i(effective_level(self));
    if (!ln) return NULL;
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_strbuf_putc(&b, '<');
    rt_strbuf_put_cstr(&b, self->type->name);
    rt_strbuf_putc(&b, ' ');
    rt_strbuf_put_strof(&b, LOGGER(self)->name);
    rt_strbuf_put_cstr(&b, " (");
    rt_strbuf_put_str(&b, ln);
    rt_strbuf_put_cstr(&b, ")>");
    rt_decref(ln);
    return rt_strbuf_finish(&b);
}

static RtValue *logger_get_name(RtValue *self) { return rt_newref(LOGGER(self)->name); }
static int logger_set_name(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_AttributeError, "cannot delete name"); return -1; }
    RT_SETREF(LOGGER(self)->name, rt_newref(v));
    return 0;
}
static RtValue *logger_get_level(RtValue *self) { return rt_int(LOGGER(self)->level); }
static int logger_set_level(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_AttributeError, "cannot delete level"); return -1; }
    return rt_int_as_i64(v, &LOGGER(self)->level);
}
static RtValue *logger_get_parent(RtValue *self) {
    RtValue *p = LOGGER(self)->parent;
    return rt_newref(p ? p : rt_None);
}
static int logger_set_parent(RtValue *self, RtValue *v) {
    if (v && v != rt_None && !is_logger(v)) {
        rt_raise(&rt_exc_TypeError, "XXX: a logger's parent must be a Logger here");
        return -1;
    }
    LOGGER(self)->parent = v && v != rt_None ? v : NULL;   /* loggers are kept alive by the manager */
    return 0;
}
static RtValue *logger_get_propagate(RtValue *self) { return rt_newref(LOGGER(self)->propagate); }
static int logger_set_propagate(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_AttributeError, "cannot delete propagate"); return -1; }
    RT_SETREF(LOGGER(self)->propagate, rt_newref(v));
    return 0;
}
static RtValue *logger_get_handlers(RtValue *self) { return rt_newref(LOGGER(self)->handlers); }
static int logger_set_handlers(RtValue *self, RtValue *v) {
    if (!v) { rt_raise(&rt_exc_AttributeError, "cannot delete handlers"); return -1; }
    RT_SETREF(LOGGER(self)->handlers, rt_newref(v));
    return 0;
}
static RtValue *logger_get_disabled(RtValue *self) { return rt_bool(LOGGER(self)->disabled); }
static int logger_set_disabled(RtValue *self, RtValue *v) {
    int t = v ? rt_truthy(v) : 0;
    if (t < 0) return -1;
    LOGGER(self)->disabled = t;
    return 0;
}
static RtValue *logger_get_root(RtValue *self) {
    (void)self;
    return rt_logging_root();
}

/* Loggers are sent by name, as Logger.__reduce__ (getLogger(name)). */
static int logger_ser_dump(RtValue *self, RtBuf *buf) {
    if (init() < 0) return -1;
    if (self != g_root) {
        RtValue *n = LOGGER(self)->name, *have = NULL;
        if (rt_dict_lookup(g_loggers, n, &have) < 0) return -1;
        if (have != self) {
            rt_raise(&rt_exc_PicklingError, "logger cannot be pickled");
            return -1;
        }
    }
    return rt_ser_dump(buf, self == g_root ? rt_None : LOGGER(self)->name);
}

static RtValue *logger_ser_load(RtType *type, RtBuf *buf) {
    (void)type;
    RtValue *n = rt_ser_load(buf);
    if (!n) return NULL;
    RtValue *r = rt_logging_getLogger(NULL, &n, 1, NULL);
    rt_decref(n);
    return r;
}

static RtValue *m_fatal(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return log_call(self, CRITICAL, "Logger.fatal", false, args, nargs, kw);
}

static RtValue *m_warn(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    /* XXX: CPython also issues a DeprecationWarning (not shown by default) */
    return log_call(self, WARNING, "Logger.warn", false, args, nargs, kw);
}

static const RtMethodDef logger_methods[] = {
    {"__init__", logger_m_init},
    {"debug", rt_logging_Logger_m_debug},
    {"info", rt_logging_Logger_m_info},
    {"warning", rt_logging_Logger_m_warning},
    {"warn", m_warn},
    {"error", rt_logging_Logger_m_error},
    {"exception", rt_logging_Logger_m_exception},
    {"critical", rt_logging_Logger_m_critical},
    {"fatal", m_fatal},
    {"log", rt_logging_Logger_m_log},
    {"setLevel", rt_logging_Logger_m_setLevel},
    {"isEnabledFor", rt_logging_Logger_m_isEnabledFor},
    {"getEffectiveLevel", rt_logging_Logger_m_getEffectiveLevel},
    {"addHandler", rt_logging_Logger_m_addHandler},
    {"removeHandler", rt_logging_Logger_m_removeHandler},
    {"hasHandlers", rt_logging_Logger_m_hasHandlers},
    {"getChild", rt_logging_Logger_m_getChild},
    {"addFilter", m_addFilter},
    {"removeFilter", m_removeFilter},
    {"filter", m_filter},
    {"handle", logger_m_handle},
    {"callHandlers", logger_m_callHandlers},
    {NULL, NULL},
};

static const RtMethodDef root_methods[] = {
    {"__init__", root_m_init},
    {NULL, NULL},
};

static const RtGetSetDef logger_getset[] = {
    {"name", logger_get_name, logger_set_name},
    {"level", logger_get_level, logger_set_level},
    {"parent", logger_get_parent, logger_set_parent},
    {"propagate", logger_get_propagate, logger_set_propagate},
    {"handlers", logger_get_handlers, logger_set_handlers},
    {"disabled", logger_get_disabled, logger_set_disabled},
    {"filters", get_filters, set_filters},
    {"root", logger_get_root, NULL},
    {NULL, NULL, NULL},
};

RtType rt_logging_Logger = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "Logger",
    .module = "logging",
    .tag = RT_T_NATIVE,
    .flags = RT_TF_BASETYPE,
    .base = &rt_type_object,
    .size = sizeof(Logger),
    .dict_offset = offsetof(Logger, dict),
    .table_index = -1,
    .dealloc = logger_dealloc,
    .repr = logger_repr,
    .construct = logger_construct,
    .ser_dump = logger_ser_dump,
    .ser_load = logger_ser_load,
    .methods = logger_methods,
    .getset = logger_getset,
};

RtType rt_logging_RootLogger = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "RootLogger",
    .module = "logging",
    .tag = RT_T_NATIVE,
    .flags = RT_TF_BASETYPE,
    .base = &rt_logging_Logger,
    .size = sizeof(Logger),
    .dict_offset = offsetof(Logger, dict),
    .table_index = -1,
    .dealloc = logger_dealloc,
    .repr = logger_repr,
    .construct = logger_construct,
    .ser_dump = logger_ser_dump,
    .ser_load = logger_ser_load,
    .methods = root_methods,
    .getset = NULL,
};

/* ==== module functions ===================================================================== */

/* basicConfig(**kwargs) */
RtValue *rt_logging_basicConfig(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (nargs)
        return rt_raise_fmt(&rt_exc_TypeError, "basicConfig() takes 0 positional arguments but %d %s given",
                            (int)nargs, nargs == 1 ? "was" : "were");
    if (init() < 0) return NULL;
    RtValue *kwargs = rt_dict_new(), *result = NULL, *handlers = NULL, *fmt = NULL;
    if (!kwargs) return NULL;
    for (size_t i = 0; kw && i < RT_TUPLE_LEN(kw); i++)
        if (rt_dict_set(kwargs, RT_TUPLE_GET(kw, i), args[nargs + i]) < 0) goto done;
    RtValue *force = rt_dict_get_cstr(kwargs, "force");
    int f = force ? rt_truthy(force) : 0;
    if (f < 0) goto done;
    rt_dict_del_cstr(kwargs, "force");
    rt_dict_del_cstr(kwargs, "encoding");
    rt_dict_del_cstr(kwargs, "errors");
    Logger *root = LOGGER(g_root);
    if (f) {
        RtValue *hs = rt_list_from_iter(root->handlers);
        if (!hs) goto done;
        for (size_t i = 0; i < RT_LIST_LEN(hs); i++) {
            RtValue *h = RT_LIST_GET(hs, i);
            RtValue *r = list_remove(root->handlers, h);
            RtValue *c = r ? rt_call_method(h, "close", NULL, 0, NULL) : NULL;
            rt_xdecref(c);
            if (!c) { rt_decref(hs); goto done; }
        }
        rt_decref(hs);
    }
    int64_t nh = rt_len(root->handlers);
    if (nh < 0) goto done;
    if (nh == 0) {
        RtValue *hv = rt_dict_get_cstr(kwargs, "handlers");
        bool has_stream = rt_dict_get_cstr(kwargs, "stream") != NULL;
        bool has_file = rt_dict_get_cstr(kwargs, "filename") != NULL;
        if (!hv || hv == rt_None) {
            if (has_stream && has_file) {
                rt_raise(&rt_exc_ValueError, "'stream' and 'filename' should not be specified together");
                goto done;
            }
        } else if (has_stream || has_file) {
            rt_raise(&rt_exc_ValueError, "'stream' or 'filename' should not be specified together with 'handlers'");
            goto done;
        }
        if (hv && hv != rt_None) handlers = rt_list_from_iter(hv);
        rt_dict_del_cstr(kwargs, "handlers");
        if (!hv || hv == rt_None) {
            RtValue *filename = rt_dict_get_cstr(kwargs, "filename");
            RtValue *mode = rt_dict_get_cstr(kwargs, "filemode");
            RtValue *h;
            int has_name = filename ? rt_truthy(filename) : 0;
            if (has_name < 0) goto done;
            if (has_name) {
                RtValue *argv[2] = {filename, mode ? mode : rt_None};
                RtValue *m = mode ? NULL : str_of("a");
                if (!mode) argv[1] = m;
                h = argv[1] ? rt_call((RtValue *)&rt_logging_FileHandler, argv, 2, NULL) : NULL;
                rt_xdecref(m);
            } else {
                RtValue *stream = rt_dict_get_cstr(kwargs, "stream");
                h = rt_call((RtValue *)&rt_logging_StreamHandler, &stream, stream ? 1 : 0, NULL);
            }
            if (!h) goto done;
            handlers = rt_list_from_array(&h, 1);
            rt_decref(h);
        }
        if (!handlers) goto done;
        rt_dict_del_cstr(kwargs, "filename");
        rt_dict_del_cstr(kwargs, "filemode");
        rt_dict_del_cstr(kwargs, "stream");
        RtValue *dfs = rt_dict_get_cstr(kwargs, "datefmt");
        RtValue *style = rt_dict_get_cstr(kwargs, "style");
        const char *st = style && rt_is_str(style) ? rt_str_data(style) : "%";
        if (style && (!rt_is_str(style) || (strcmp(st, "%") && strcmp(st, "{") && strcmp(st, "$")))) {
            rt_raise(&rt_exc_ValueError, "Style must be one of: %,{,$");
            goto done;
        }
        RtValue *fs = rt_dict_get_cstr(kwargs, "format");
        RtValue *dflt = fs ? NULL
                      : str_of(st[0] == '%' ? BASIC_FORMAT : st[0] == '{' ? "{levelname}:{name}:{message}"
                                                                           : "${levelname}:${name}:${message}");
        RtValue *st_obj = str_of(st);
        if (st_obj && (fs || dflt)) {
            RtValue *argv[3] = {fs ? fs : dflt, dfs ? dfs : rt_None, st_obj};
            fmt = rt_call((RtValue *)&rt_logging_Formatter, argv, 3, NULL);
        }
        rt_xdecref(dflt);
        rt_xdecref(st_obj);
        if (!fmt) goto done;
        rt_dict_del_cstr(kwargs, "datefmt");
        rt_dict_del_cstr(kwargs, "style");
        rt_dict_del_cstr(kwargs, "format");
        for (size_t i = 0; i < RT_LIST_LEN(handlers); i++) {
            RtValue *h = RT_LIST_GET(handlers, i);
            RtValue *cur = rt_getattr(h, "formatter");
            if (!cur) goto done;
            rt_decref(cur);
            if (cur == rt_None) {
                RtValue *r = call1(h, "setFormatter", fmt);
                if (!r) goto done;
                rt_decref(r);
            }
            RtValue *r = rt_logging_Logger_m_addHandler(g_root, &h, 1, NULL);
            if (!r) goto done;
        }
        RtValue *level = rt_dict_get_cstr(kwargs, "level");
        if (level && level != rt_None && check_level(level, &root->level) < 0) goto done;
        rt_dict_del_cstr(kwargs, "level");
        if (rt_dict_len(kwargs)) {
            RtValue *keys = rt_dict_keys(kwargs), *sep = rt_str_const(", ", 2);
            RtValue *j = keys ? rt_str_join(sep, keys) : NULL;
            if (j) rt_raise_fmt(&rt_exc_ValueError, "Unrecognised argument(s): %s", rt_str_data(j));
            rt_xdecref(keys);
            rt_xdecref(j);
            goto done;
        }
    }
    result = rt_None;
done:
    rt_decref(kwargs);
    rt_xdecref(handlers);
    rt_xdecref(fmt);
    return result;
}

/* The module-level function: basicConfig() when the root has no handler. */
static RtValue *module_log(RtNativeFn method, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (init() < 0) return NULL;
    int64_t n = rt_len(LOGGER(g_root)->handlers);
    if (n < 0) return NULL;
    if (n == 0) {
        RtValue *r = rt_logging_basicConfig(NULL, NULL, 0, NULL);
        if (!r) return NULL;
    }
    return method(g_root, args, nargs, kw);
}

/* logging.debug(...) and the rest: the root logger's method, after basicConfig. */
#define MODULE_LOG_FN(level)                                                                  \
    RtValue *rt_logging_##level(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) { \
        (void)self;                                                                           \
        return module_log(rt_logging_Logger_m_##level, args, nargs, kw);                      \
    }
MODULE_LOG_FN(debug)
MODULE_LOG_FN(info)
MODULE_LOG_FN(warning)
MODULE_LOG_FN(error)
MODULE_LOG_FN(exception)
MODULE_LOG_FN(critical)
MODULE_LOG_FN(log)
#undef MODULE_LOG_FN

RtValue *rt_logging_disable(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"level"};
    RtValue *a[1];
    (void)self;
    if (bind("disable", NULL, names, 1, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    if (a[0] == rt_None && nargs == 0 && !kw) { g_disable = CRITICAL; return rt_None; }
    return check_level(a[0], &g_disable) < 0 ? NULL : rt_None;
}

RtValue *rt_logging_shutdown(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self; (void)args; (void)nargs; (void)kw;
    if (!g_all_handlers) return rt_None;
    for (size_t i = RT_LIST_LEN(g_all_handlers); i-- > 0;) {
        RtValue *h = RT_LIST_GET(g_all_handlers, i);
        RtValue *r = rt_call_method(h, "flush", NULL, 0, NULL);
        if (r) { rt_decref(r); r = rt_call_method(h, "close", NULL, 0, NULL); }
        if (!r && !rt_exc_matches((RtValue *)&rt_exc_OSError) && !rt_exc_matches((RtValue *)&rt_exc_ValueError))
            return NULL;
        if (!r) RT_CLEAR(rt_exc_pending);
        rt_xdecref(r);
    }
    return rt_None;
}

RtValue *rt_logging_getLevelName(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"level"};
    RtValue *a[1];
    (void)self;
    if (bind("getLevelName", NULL, names, 1, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    return level_name(a[0]);
}

RtValue *rt_logging_addLevelName(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"level", "levelName"};
    RtValue *a[2];
    (void)self;
    if (bind("addLevelName", NULL, names, 2, 0, 0, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    if (init() < 0) return NULL;
    if (rt_dict_set(g_level_to_name, a[0], a[1]) < 0 || rt_dict_set(g_name_to_level, a[1], a[0]) < 0) return NULL;
    return rt_None;
}

RtValue *rt_logging_getLoggerClass(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self; (void)args;
    if (rt_check_args("getLoggerClass", nargs, kw, 0, 0) < 0) return NULL;
    return rt_newref((RtValue *)&rt_logging_Logger);
}

/* ==== multiprocessing.util ========================================================== */

RtValue *rt_mp_get_logger(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self; (void)args;
    if (rt_check_args("get_logger", nargs, kw, 0, 0) < 0) return NULL;
    if (!g_mp_logger) {
        RtValue *l = get_logger_cstr("multiprocessing");
        if (!l) return NULL;
        RT_SETREF(LOGGER(l)->propagate, rt_int(0));
        g_mp_logger = l;
    }
    return rt_newref(g_mp_logger);
}

RtValue *rt_mp_log_to_stderr(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"level"};
    RtValue *a[1];
    (void)self;
    if (bind("log_to_stderr", NULL, names, 1, 0, 1, false, false, args, nargs, kw, a, NULL, NULL) < 0) return NULL;
    RtValue *logger = rt_mp_get_logger(NULL, NULL, 0, NULL);
    if (!logger) return NULL;
    RtValue *fs = str_of("[%(levelname)s/%(processName)s] %(message)s");
    RtValue *fmt = fs ? rt_call((RtValue *)&rt_logging_Formatter, &fs, 1, NULL) : NULL;
    RtValue *h = fmt ? rt_call((RtValue *)&rt_logging_StreamHandler, NULL, 0, NULL) : NULL;
    RtValue *r = h ? handler_m_setFormatter(h, &fmt, 1, NULL) : NULL;
    if (r) r = rt_logging_Logger_m_addHandler(logger, &h, 1, NULL);
    int t = r ? rt_truthy(a[0]) : -1;
    if (t > 0) r = rt_logging_Logger_m_setLevel(logger, &a[0], 1, NULL);
    rt_xdecref(fs);
    rt_xdecref(fmt);
    rt_xdecref(h);
    if (!r || t < 0) { rt_decref(logger); return NULL; }
    g_mp_log_to_stderr = true;
    return logger;
}

bool rt_mp_log_prep(bool *to_stderr, int *level) {
    if (!g_mp_logger) return false;
    *to_stderr = g_mp_log_to_stderr;
    *level = (int)effective_level(g_mp_logger);
    return true;
}

void rt_mp_log_setup(bool to_stderr, int level) {
    RtValue *lg = to_stderr ? rt_mp_log_to_stderr(NULL, NULL, 0, NULL) : rt_mp_get_logger(NULL, NULL, 0, NULL);
    RtValue *lv = lg ? rt_int(level) : NULL;
    RtValue *r = lv ? rt_logging_Logger_m_setLevel(lg, &lv, 1, NULL) : NULL;
    if (!r) RT_CLEAR(rt_exc_pending);
    rt_xdecref(r);
    rt_xdecref(lv);
    rt_xdecref(lg);
}

void rt_mp_util_log(int level, const char *fmt, ...) {
    if (!g_mp_logger || !enabled_for(g_mp_logger, level)) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    RtValue *saved = rt_exc_fetch();
    RtValue *msg = str_of(buf), *lv = rt_int(level), *targs = rt_tuple_empty();
    if (!msg || !lv || !targs || do_log(g_mp_logger, lv, msg, targs, NULL, NULL, 0, NULL) < 0) RT_CLEAR(rt_exc_pending);
    rt_xdecref(msg);
    rt_xdecref(lv);
    rt_xdecref(targs);
    if (saved) rt_exc_restore(saved);
}

void rt_logging_log_exc(const char *name, int level, const char *msg, RtValue *exc) {
    RtValue *saved = rt_exc_fetch();
    RtValue *lg = get_logger_cstr(name);
    if (lg && enabled_for(lg, level)) {
        RtValue *m = str_of(msg), *lv = rt_int(level), *targs = rt_tuple_empty();
        RtValue *ei = exc ? exc : rt_None;
        if (!m || !lv || !targs || do_log(lg, lv, m, targs, ei, NULL, 0, NULL) < 0) RT_CLEAR(rt_exc_pending);
        rt_xdecref(m);
        rt_xdecref(lv);
        rt_xdecref(targs);
    }
    RT_CLEAR(rt_exc_pending);
    if (saved) rt_exc_restore(saved);
}

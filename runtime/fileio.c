/* fileio.c: open() and file objects, for scripts that read their input from
 * files or write results to them.
 *
 * A file object wraps a C stdio FILE*: fopen(3) for the path, fread/fwrite,
 * fflush at close. Text mode reads and writes UTF-8 and translates line
 * endings as CPython's universal newlines do on read ("\r\n" and "\r" become
 * "\n"); binary mode passes bytes through. Iterating a file yields its lines.
 * The repr names the class CPython would use (_io.TextIOWrapper,
 * _io.BufferedReader, _io.BufferedWriter).
 *
 * Under fork the child exits with _exit, so a buffer the parent had not
 * flushed is never written twice; at normal exit the C library flushes what
 * is left, as CPython does when it closes its files.
 */
#include "mp2c.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct RtFile {
    RtValue ob;
    FILE   *fp;
    RtValue *name;      /* the path as given (str) */
    char    mode[8];    /* as given, for the repr */
    bool    binary, readable, writable;
} RtFile;

extern RtType rt_type_file;

static int check_open(RtFile *f) {
    if (f->fp) return 0;
    rt_raise(&rt_exc_ValueError, "I/O operation on closed file.");
    return -1;
}

static void file_dealloc(RtValue *self) {
    RtFile *f = (RtFile *)self;
    if (f->fp) fclose(f->fp);
    RT_CLEAR(f->name);
}

static RtValue *file_repr(RtValue *self) {
    RtFile *f = (RtFile *)self;
    RtValue *n = rt_repr(f->name);
    if (!n) return NULL;
    const char *cls = !f->binary ? "_io.TextIOWrapper" : f->readable && f->writable ? "_io.BufferedRandom"
                      : f->readable ? "_io.BufferedReader" : "_io.BufferedWriter";
    char buf[512];
    if (f->binary) snprintf(buf, sizeof buf, "<%s name=%s>", cls, rt_str_data(n));
    else snprintf(buf, sizeof buf, "<%s name=%s mode='%s' encoding='UTF-8'>", cls, rt_str_data(n), f->mode);
    rt_decref(n);
    return rt_str_from_cstr(buf);
}

/* Universal newlines: "\r\n" and lone "\r" become "\n" (text mode reads). */
static size_t translate_newlines(char *s, size_t n) {
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r') {
            s[j++] = '\n';
            if (i + 1 < n && s[i + 1] == '\n') i++;
        } else {
            s[j++] = s[i];
        }
    }
    return j;
}

/* Bytes read from the file as a str (text) or bytes (binary). Takes buf. */
static RtValue *make_result(RtFile *f, char *buf, size_t n) {
    RtValue *r;
    if (f->binary) {
        r = rt_bytes_new(buf, n);
    } else {
        n = translate_newlines(buf, n);
        RtValue *b = rt_bytes_new(buf, n);
        r = b ? rt_call_method(b, "decode", NULL, 0, NULL) : NULL;
        rt_xdecref(b);
    }
    rt_free(buf);
    return r;
}

static RtValue *file_read(RtFile *f, int64_t size) {
    size_t cap = size >= 0 ? (size_t)size + 1 : 8192, len = 0;
    char *buf = rt_malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        if (size >= 0 && len >= (size_t)size) break;
        if (len + 4096 > cap && size < 0) {
            char *nb = rt_realloc(buf, cap *= 2);
            if (!nb) { rt_free(buf); return NULL; }
            buf = nb;
        }
        size_t want = size >= 0 ? (size_t)size - len : cap - len;
        size_t got = fread(buf + len, 1, want, f->fp);
        len += got;
        if (got < want) break;
    }
    if (ferror(f->fp)) {
        int err = errno;
        rt_free(buf);
        clearerr(f->fp);
        return rt_raise_errno(err, NULL);
    }
    return make_result(f, buf, len);
}

/* One line including its "\n" (text mode also ends a line at "\r"). */
static RtValue *file_readline(RtFile *f) {
    size_t cap = 128, len = 0;
    char *buf = rt_malloc(cap);
    if (!buf) return NULL;
    int c;
    while ((c = getc(f->fp)) != EOF) {
        if (len + 2 > cap) {
            char *nb = rt_realloc(buf, cap *= 2);
            if (!nb) { rt_free(buf); return NULL; }
            buf = nb;
        }
        buf[len++] = (char)c;
        if (c == '\n') break;
        if (c == '\r' && !f->binary) {
            int d = getc(f->fp);
            if (d == '\n') buf[len++] = '\n';
            else if (d != EOF) ungetc(d, f->fp);
            break;
        }
    }
    return make_result(f, buf, len);
}

static RtValue *m_read(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtFile *f = (RtFile *)self;
    if (rt_check_args("read", nargs, kw, 0, 1) < 0 || check_open(f) < 0) return NULL;
    int64_t size = -1;
    if (nargs && args[0] != rt_None && rt_int_as_i64(args[0], &size) < 0) return NULL;
    if (!f->readable) return rt_raise(&rt_exc_ValueError, f->binary ? "read" : "not readable");
    return file_read(f, size);
}

static RtValue *m_readline(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    RtFile *f = (RtFile *)self;
    if (rt_check_args("readline", nargs, kw, 0, 1) < 0 || check_open(f) < 0) return NULL;
    if (!f->readable) return rt_raise(&rt_exc_ValueError, f->binary ? "readline" : "not readable");
    return file_readline(f);
}

static RtValue *file_iternext(RtValue *self) {
    RtFile *f = (RtFile *)self;
    if (check_open(f) < 0) return NULL;
    RtValue *line = file_readline(f);
    if (line && rt_len(line) == 0) {
        rt_decref(line);
        return NULL;   /* end of file */
    }
    return line;
}

static RtValue *m_readlines(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("readlines", nargs, kw, 0, 1) < 0 || check_open((RtFile *)self) < 0) return NULL;
    RtValue *l = rt_list_new(0);
    RtValue *line;
    while (l && (line = file_iternext(self))) {
        int rc = rt_list_append(l, line);
        rt_decref(line);
        if (rc < 0) RT_CLEAR(l);
    }
    if (RT_ERR()) RT_CLEAR(l);
    return l;
}

static RtValue *m_write(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtFile *f = (RtFile *)self;
    if (rt_check_args("write", nargs, kw, 1, 1) < 0) return NULL;
    /* io.UnsupportedOperation (a ValueError): binary readers have no write at
     * all, text files say "not writable" once open */
    if (f->binary && !f->writable) return rt_raise(&rt_exc_ValueError, "write");
    if (check_open(f) < 0) return NULL;
    if (!f->writable) return rt_raise(&rt_exc_ValueError, "not writable");
    RtValue *x = args[0];
    if (f->binary) {
        if (!rt_is_bytes(x))
            return rt_raise_fmt(&rt_exc_TypeError, "a bytes-like object is required, not '%s'", x->type->name);
        fwrite(((RtBytes *)x)->data, 1, ((RtBytes *)x)->len, f->fp);
        return rt_int((int64_t)((RtBytes *)x)->len);
    }
    if (!rt_is_str(x))
        return rt_raise_fmt(&rt_exc_TypeError, "write() argument must be str, not %s", x->type->name);
    fwrite(rt_str_data(x), 1, rt_str_nbytes(x), f->fp);
    return rt_int((int64_t)((RtStr *)x)->ncp);
}

static RtValue *m_writelines(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("writelines", nargs, kw, 1, 1) < 0) return NULL;
    RtValue *it = rt_iter(args[0]);
    if (!it) return NULL;
    RtValue *x;
    while ((x = rt_iter_next(it))) {
        RtValue *r = m_write(self, &x, 1, NULL);
        rt_decref(x);
        if (!r) { rt_decref(it); return NULL; }
        rt_decref(r);
    }
    rt_decref(it);
    return RT_ERR() ? NULL : rt_None;
}

static RtValue *m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    RtFile *f = (RtFile *)self;
    if (rt_check_args("close", nargs, kw, 0, 0) < 0) return NULL;
    if (f->fp) {
        int rc = fclose(f->fp);
        f->fp = NULL;
        if (rc != 0) return rt_raise_errno(errno, NULL);
    }
    return rt_None;
}

static RtValue *m_flush(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    RtFile *f = (RtFile *)self;
    if (rt_check_args("flush", nargs, kw, 0, 0) < 0 || check_open(f) < 0) return NULL;
    fflush(f->fp);
    return rt_None;
}

static RtValue *m_enter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("__enter__", nargs, kw, 0, 0) < 0 || check_open((RtFile *)self) < 0) return NULL;
    return rt_newref(self);
}

static RtValue *m_exit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args; (void)nargs; (void)kw;
    RtValue *r = m_close(self, NULL, 0, NULL);
    if (!r) return NULL;
    rt_decref(r);
    return rt_False;
}

static RtValue *m_tell(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    RtFile *f = (RtFile *)self;
    if (rt_check_args("tell", nargs, kw, 0, 0) < 0 || check_open(f) < 0) return NULL;
    return rt_int((int64_t)ftell(f->fp));
}

static RtValue *m_seek(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtFile *f = (RtFile *)self;
    int64_t off, whence = 0;
    if (rt_check_args("seek", nargs, kw, 1, 2) < 0 || check_open(f) < 0) return NULL;
    if (rt_int_as_i64(args[0], &off) < 0 || (nargs > 1 && rt_int_as_i64(args[1], &whence) < 0)) return NULL;
    if (fseek(f->fp, (long)off, (int)whence) != 0) return rt_raise_errno(errno, NULL);
    return rt_int((int64_t)ftell(f->fp));
}

static RtValue *file_iter(RtValue *self) {
    if (check_open((RtFile *)self) < 0) return NULL;
    return rt_newref(self);
}

static RtValue *get_closed(RtValue *self) { return rt_bool(((RtFile *)self)->fp == NULL); }
static RtValue *get_name(RtValue *self) { return rt_newref(((RtFile *)self)->name); }
static RtValue *get_mode(RtValue *self) { return rt_str_from_cstr(((RtFile *)self)->mode); }

static const RtMethodDef file_methods[] = {
    {"read", m_read}, {"readline", m_readline}, {"readlines", m_readlines},
    {"write", m_write}, {"writelines", m_writelines}, {"close", m_close},
    {"flush", m_flush}, {"tell", m_tell}, {"seek", m_seek},
    {"__enter__", m_enter}, {"__exit__", m_exit},
    {NULL, NULL},
};

static const RtGetSetDef file_getset[] = {
    {"closed", get_closed, NULL},
    {"name", get_name, NULL},
    {"mode", get_mode, NULL},
    {NULL, NULL, NULL},
};

RtType rt_type_file = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "TextIOWrapper", .module = "_io",
    .tag = RT_T_NATIVE, .size = sizeof(RtFile), .table_index = -1,
    .dealloc = file_dealloc, .repr = file_repr, .iter = file_iter, .iternext = file_iternext,
    .methods = file_methods, .getset = file_getset,
};

/* open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None) */
RtValue *rt_bi_open(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const kws[] = {"file", "mode", "buffering", "encoding", "errors", "newline", NULL};
    if (rt_check_kwargs("open", kwnames, kws) < 0) return NULL;
    RtValue *file = nargs > 0 ? args[0] : rt_kwarg(args, nargs, kwnames, "file");
    RtValue *mode = nargs > 1 ? args[1] : rt_kwarg(args, nargs, kwnames, "mode");
    if (!file) return rt_raise(&rt_exc_TypeError, "open() missing required argument 'file' (pos 1)");
    if (!rt_is_str(file))
        return rt_raise_fmt(&rt_exc_TypeError, "expected str, bytes or os.PathLike object, not %s", file->type->name);
    const char *m = mode ? (rt_is_str(mode) ? rt_str_data(mode) : NULL) : "r";
    if (!m) return rt_raise_fmt(&rt_exc_TypeError, "open() argument 'mode' must be str, not %s", mode->type->name);
    bool r = strchr(m, 'r'), w = strchr(m, 'w'), a = strchr(m, 'a'), x = strchr(m, 'x');
    bool plus = strchr(m, '+'), b = strchr(m, 'b'), t = strchr(m, 't');
    if ((r + w + a + x) != 1 || (b && t) || strspn(m, "rwaxbt+") != strlen(m) || strlen(m) > 4)
        return rt_raise_fmt(&rt_exc_ValueError, "invalid mode: '%s'", m);
    char cmode[8];
    snprintf(cmode, sizeof cmode, "%s%s%s", r ? "r" : w ? "w" : a ? "a" : "w", plus ? "+" : "", x ? "x" : "");
    FILE *fp = fopen(rt_str_data(file), cmode);
    if (!fp) return rt_raise_errno(errno, rt_str_data(file));
    RtFile *f = (RtFile *)rt_obj_alloc(&rt_type_file, sizeof(RtFile));
    if (!f) { fclose(fp); return NULL; }
    f->fp = fp;
    f->name = rt_newref(file);
    snprintf(f->mode, sizeof f->mode, "%s", m);
    f->binary = b;
    f->readable = r || plus;
    f->writable = w || a || x || plus;
    return &f->ob;
}

/* ospath.c: os.path and the os functions for files and directories that
 * scripts use around their multiprocessing work (listing input files,
 * making an output directory, removing a temporary file).
 *
 * Path strings are handled as CPython's posixpath does (pure string
 * functions: join, basename, dirname, splitext, ...); the rest are thin
 * wrappers over stat(2), access(2), opendir(3), unlink(2), mkdir(2) and
 * rmdir(2) that raise OSError subclasses from errno.
 */
#include "mp2c.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The str argument i of a call, or a TypeError naming the function. */
static const char *path_arg(const char *fname, RtValue *const *args, size_t nargs, size_t i) {
    if (i >= nargs) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() missing required argument 'path' (pos %d)", fname, (int)i + 1);
        return NULL;
    }
    if (!rt_is_str(args[i])) {
        rt_raise_fmt(&rt_exc_TypeError, "%s: path should be string, bytes or os.PathLike, not %s", fname,
                     args[i]->type->name);
        return NULL;
    }
    return rt_str_data(args[i]);
}

/* ==== pure path functions (posixpath) ======================================== */

/* os.path.join(a, *p): an absolute component restarts the path. */
RtValue *rt_ospath_join(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("join", nargs, kwnames, 1, 64) < 0) return NULL;
    size_t total = 1;
    for (size_t i = 0; i < nargs; i++) {
        if (!rt_is_str(args[i]))
            return rt_raise_fmt(&rt_exc_TypeError, "join() argument must be str, bytes, or os.PathLike object, not '%s'",
                                args[i]->type->name);
        total += rt_str_nbytes(args[i]) + 1;
    }
    char *buf = rt_malloc(total);
    if (!buf) return NULL;
    size_t len = 0;
    for (size_t i = 0; i < nargs; i++) {
        const char *p = rt_str_data(args[i]);
        size_t n = rt_str_nbytes(args[i]);
        if (n && p[0] == '/') len = 0;
        else if (len && buf[len - 1] != '/') buf[len++] = '/';
        memcpy(buf + len, p, n);
        len += n;
    }
    RtValue *r = rt_str_new(buf, len);
    rt_free(buf);
    return r;
}

/* Index just past the last '/' (posixpath.split's head/tail boundary). */
static size_t tail_start(const char *p, size_t n) {
    size_t i = n;
    while (i > 0 && p[i - 1] != '/') i--;
    return i;
}

RtValue *rt_ospath_basename(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("basename", nargs, kwnames, 1, 1) < 0) return NULL;
    const char *p = path_arg("basename", args, nargs, 0);
    if (!p) return NULL;
    size_t n = rt_str_nbytes(args[0]), i = tail_start(p, n);
    return rt_str_new(p + i, n - i);
}

/* dirname: the head without its trailing slashes (unless it is all slashes). */
RtValue *rt_ospath_dirname(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("dirname", nargs, kwnames, 1, 1) < 0) return NULL;
    const char *p = path_arg("dirname", args, nargs, 0);
    if (!p) return NULL;
    size_t i = tail_start(p, rt_str_nbytes(args[0]));
    size_t h = i;
    while (h > 0 && p[h - 1] == '/') h--;
    if (h == 0) h = i;   /* "/" or "//" stays */
    return rt_str_new(p, h);
}

RtValue *rt_ospath_split(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtValue *d = rt_ospath_dirname(self, args, nargs, kwnames);
    RtValue *b = d ? rt_ospath_basename(self, args, nargs, kwnames) : NULL;
    RtValue *t = b ? rt_tuple_pack(2, d, b) : NULL;
    rt_xdecref(d);
    rt_xdecref(b);
    return t;
}

/* splitext: the extension starts at the last dot of the tail, unless the
 * tail is all dots before it (".bashrc" has none). */
RtValue *rt_ospath_splitext(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("splitext", nargs, kwnames, 1, 1) < 0) return NULL;
    const char *p = path_arg("splitext", args, nargs, 0);
    if (!p) return NULL;
    size_t n = rt_str_nbytes(args[0]), t = tail_start(p, n), dot = n;
    for (size_t i = n; i > t; i--)
        if (p[i - 1] == '.') { dot = i - 1; break; }
    bool leading = true;
    for (size_t i = t; i < dot; i++)
        if (p[i] != '.') leading = false;
    if (dot == n || leading) dot = n;
    RtValue *a = rt_str_new(p, dot), *b = a ? rt_str_new(p + dot, n - dot) : NULL;
    RtValue *r = b ? rt_tuple_pack(2, a, b) : NULL;
    rt_xdecref(a);
    rt_xdecref(b);
    return r;
}

RtValue *rt_ospath_isabs(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("isabs", nargs, kwnames, 1, 1) < 0) return NULL;
    const char *p = path_arg("isabs", args, nargs, 0);
    return p ? rt_bool(p[0] == '/') : NULL;
}

/* abspath: joined with the working directory, "." and ".." resolved as text. */
RtValue *rt_ospath_abspath(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("abspath", nargs, kwnames, 1, 1) < 0) return NULL;
    const char *p = path_arg("abspath", args, nargs, 0);
    if (!p) return NULL;
    char cwd[PATH_MAX];
    if (p[0] != '/' && !getcwd(cwd, sizeof cwd)) return rt_raise_errno(errno, NULL);
    size_t n = strlen(p) + (p[0] == '/' ? 0 : strlen(cwd)) + 3;
    char *full = rt_malloc(n), *out = full ? rt_malloc(n) : NULL;
    if (!out) { rt_free(full); return NULL; }
    if (p[0] == '/') snprintf(full, n, "%s", p);
    else snprintf(full, n, "%s/%s", cwd, p);
    size_t len = 0;
    for (char *seg = strtok(full, "/"); seg; seg = strtok(NULL, "/")) {
        if (strcmp(seg, ".") == 0) continue;
        if (strcmp(seg, "..") == 0) {
            while (len > 0 && out[len - 1] != '/') len--;
            if (len > 0) len--;
            continue;
        }
        out[len++] = '/';
        size_t k = strlen(seg);
        memcpy(out + len, seg, k);
        len += k;
    }
    if (len == 0) out[len++] = '/';
    RtValue *r = rt_str_new(out, len);
    rt_free(full);
    rt_free(out);
    return r;
}

/* ==== the file system ========================================================== */

static RtValue *stat_test(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames, int what) {
    if (rt_check_args(fname, nargs, kwnames, 1, 1) < 0) return NULL;
    if (!rt_is_str(args[0])) return rt_False;   /* CPython answers False for odd arguments */
    struct stat st;
    if (stat(rt_str_data(args[0]), &st) != 0) return rt_False;
    switch (what) {
    case 1: return rt_bool(S_ISREG(st.st_mode));
    case 2: return rt_bool(S_ISDIR(st.st_mode));
    default: return rt_True;
    }
}

RtValue *rt_ospath_exists(RtValue *self, RtValue *const *a, size_t n, RtValue *k) { (void)self; return stat_test("exists", a, n, k, 0); }
RtValue *rt_ospath_isfile(RtValue *self, RtValue *const *a, size_t n, RtValue *k) { (void)self; return stat_test("isfile", a, n, k, 1); }
RtValue *rt_ospath_isdir(RtValue *self, RtValue *const *a, size_t n, RtValue *k) { (void)self; return stat_test("isdir", a, n, k, 2); }

RtValue *rt_ospath_getsize(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("getsize", nargs, kwnames, 1, 1) < 0) return NULL;
    const char *p = path_arg("getsize", args, nargs, 0);
    struct stat st;
    if (!p) return NULL;
    if (stat(p, &st) != 0) return rt_raise_errno(errno, p);
    return rt_int((int64_t)st.st_size);
}

/* os.listdir(path='.'): the names in a directory, in readdir(3) order as CPython. */
RtValue *rt_os_listdir(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    if (rt_check_args("listdir", nargs, kwnames, 0, 1) < 0) return NULL;
    const char *p = nargs ? path_arg("listdir", args, nargs, 0) : ".";
    if (!p) return NULL;
    DIR *d = opendir(p);
    if (!d) return rt_raise_errno(errno, p);
    RtValue *l = rt_list_new(0);
    struct dirent *ent;
    while (l && (ent = readdir(d))) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
        RtValue *s = rt_str_from_cstr(ent->d_name);
        if (!s || rt_list_append(l, s) < 0) RT_CLEAR(l);
        rt_xdecref(s);
    }
    closedir(d);
    return l;
}

static RtValue *path_op(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames, int (*op)(const char *)) {
    if (rt_check_args(fname, nargs, kwnames, 1, 1) < 0) return NULL;
    const char *p = path_arg(fname, args, nargs, 0);
    if (!p) return NULL;
    if (op(p) != 0) return rt_raise_errno(errno, p);
    return rt_None;
}

static int mkdir_default(const char *p) { return mkdir(p, 0777); }

RtValue *rt_os_remove(RtValue *self, RtValue *const *a, size_t n, RtValue *k) { (void)self; return path_op("remove", a, n, k, unlink); }
RtValue *rt_os_rmdir(RtValue *self, RtValue *const *a, size_t n, RtValue *k) { (void)self; return path_op("rmdir", a, n, k, rmdir); }
RtValue *rt_os_mkdir(RtValue *self, RtValue *const *a, size_t n, RtValue *k) { (void)self; return path_op("mkdir", a, n, k, mkdir_default); }

/* os.makedirs(name, mode=0o777, exist_ok=False): mkdir(2) for each missing level. */
RtValue *rt_os_makedirs(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self;
    static const char *const kws[] = {"name", "mode", "exist_ok", NULL};
    if (rt_check_kwargs("makedirs", kwnames, kws) < 0) return NULL;
    const char *p = path_arg("makedirs", args, nargs, 0);
    if (!p) return NULL;
    RtValue *ek = nargs > 2 ? args[2] : rt_kwarg(args, nargs, kwnames, "exist_ok");
    int exist_ok = ek ? rt_truthy(ek) : 0;
    if (exist_ok < 0) return NULL;
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", p);
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return rt_raise_errno(errno, buf);
        *s = '/';
    }
    if (mkdir(buf, 0777) != 0 && !(errno == EEXIST && exist_ok)) return rt_raise_errno(errno, p);
    return rt_None;
}

/* test_shm.c: multiprocessing.shared_memory: SharedMemory created here and
 * attached by name in a forked child, its memoryview .buf, ShareableList
 * round trips (also across processes), the errors, and the cleanup rule: no
 * /dev/shm/psm_* segment outlives the program. Expected strings come from
 * CPython (shared_expected.h); segment names are masked as psm_? on both
 * sides. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mp2c.h"

#define V_INT(x)      rt_int(x)
#define V_BIG(s)      rt_int_from_digits(s)
#define V_FLOAT(d)    rt_float(d)
#define V_BYTES(s, n) rt_bytes_new((s), (n))
#define V_STR(s)      rt_str_from_cstr(s)
#define V_BOOL(b)     rt_bool(b)
#define V_NONE()      rt_newref(rt_None)
#include "shared_expected.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

/* ---- helpers ------------------------------------------------------------------------- */

static char text_buf[2048];

/* Masks 0x<hex> as 0x? and psm_<8 hex> as psm_?. */
static const char *masked(const char *s) {
    size_t k = 0;
    for (size_t i = 0; s[i] && k + 5 < sizeof text_buf; i++) {
        if (s[i] == '0' && s[i + 1] == 'x' && isxdigit((unsigned char)s[i + 2])) {
            memcpy(text_buf + k, "0x?", 3);
            k += 3;
            i += 2;
            while (isxdigit((unsigned char)s[i + 1])) i++;
        } else if (strncmp(s + i, "psm_", 4) == 0 && strspn(s + i + 4, "0123456789abcdef") >= 8) {
            memcpy(text_buf + k, "psm_?", 5);
            k += 5;
            i += 11;
        } else {
            text_buf[k++] = s[i];
        }
    }
    text_buf[k] = '\0';
    return text_buf;
}

static const char *outcome(RtValue *v) {
    char tmp[2048];
    if (!v) {
        RtValue *e = rt_exc_fetch();
        assert_non_null(e);
        char name[128];
        rt_type_qualname(e->type, name, sizeof name);
        RtValue *s = rt_exc_str(e);
        if (s && rt_str_nbytes(s)) snprintf(tmp, sizeof tmp, "%s: %s", name, rt_str_data(s));
        else snprintf(tmp, sizeof tmp, "%s", name);
        rt_xdecref(s);
        rt_decref(e);
        return masked(tmp);
    }
    RtValue *r = rt_repr(v);
    rt_decref(v);
    assert_non_null(r);
    snprintf(tmp, sizeof tmp, "%s", rt_str_data(r));
    rt_decref(r);
    return masked(tmp);
}

static const char *status(int r) { return r < 0 ? outcome(NULL) : "None"; }

static RtValue *S(const char *s) { return rt_str_from_cstr(s); }

/* Names of the segments the tests made, to check none is left at the end. */
static char made[64][40];
static int nmade;

static void remember(RtValue *shm) {
    RtValue *n = rt_getattr(shm, "name");
    assert_non_null(n);
    snprintf(made[nmade++ % 64], 40, "%s", rt_str_data(n));
    rt_decref(n);
}

static bool segment_exists(const char *name) {
    char path[80];
    snprintf(path, sizeof path, "/dev/shm/%.39s", name);
    struct stat st;
    return stat(path, &st) == 0;
}

/* SharedMemory(name=None, create=..., size=...) */
static RtValue *shm_new(const char *name, bool create, int64_t size) {
    RtValue *args[3] = {name ? S(name) : rt_newref(rt_None), rt_bool(create), rt_int(size)};
    RtValue *r = rt_call((RtValue *)&rt_shm_SharedMemory, args, 3, NULL);
    rt_decref(args[0]);
    rt_decref(args[2]);
    if (r) remember(r);
    return r;
}

static RtValue *m0(RtValue *o, const char *name) { return rt_call_method(o, name, NULL, 0, NULL); }
static RtValue *idx(int64_t i) { return rt_int(i); }

static RtValue *slice(int64_t a, int64_t b) {
    RtValue *x = rt_int(a), *y = rt_int(b);
    RtValue *s = rt_slice_new(x, y, NULL);
    rt_decref(x);
    rt_decref(y);
    return s;
}

static int wait_exit(pid_t pid) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- SharedMemory and its memoryview -------------------------------------------------- */

static void test_shared_memory_buf(void **state) {
    (void)state;
    RtValue *sm = shm_new(NULL, true, 10);
    assert_non_null(sm);
    RtValue *buf = rt_getattr(sm, "buf");
    RtValue *abc = rt_bytes_new("abc", 3), *s03 = slice(0, 3);
    assert_int_equal(rt_setitem(buf, s03, abc), 0);
    assert_string_equal(outcome(rt_newref(sm)), SHM_REPR);
    RtValue *name = rt_getattr(sm, "name");
    char len[16];
    snprintf(len, sizeof len, "%zu", rt_str_nbytes(name));
    assert_string_equal(len, SHM_NAME_LEN);
    rt_decref(name);
    assert_string_equal(outcome(rt_newref(buf)), MV_REPR);
    RtValue *k = idx(1);
    assert_string_equal(outcome(rt_getitem(buf, k)), MV_ITEM);
    rt_decref(k);
    k = idx(-10);
    assert_string_equal(outcome(rt_getitem(buf, k)), MV_NEG);
    rt_decref(k);
    RtValue *s04 = slice(0, 4), *s13 = slice(1, 3), *s05 = slice(0, 5), *s02 = slice(0, 2);
    RtValue *v = rt_getitem(buf, s04);
    assert_string_equal(outcome(m0(v, "tobytes")), MV_SLICE_BYTES);
    assert_string_equal(outcome(m0(v, "tolist")), MV_TOLIST);
    rt_decref(v);
    v = rt_getitem(buf, s13);
    assert_string_equal(outcome(m0(v, "tobytes")), MV_TOBYTES);
    rt_decref(v);
    assert_string_equal(outcome(m0(buf, "hex")), MV_HEX);
    v = rt_getitem(buf, s05);
    RtValue *colon = S(":"), *dash = S("-"), *two = rt_int(2);
    assert_string_equal(outcome(rt_call_method(v, "hex", &colon, 1, NULL)), MV_HEX_SEP);
    RtValue *hargs[2] = {dash, two};
    assert_string_equal(outcome(rt_call_method(v, "hex", hargs, 2, NULL)), MV_HEX_SEP2);
    rt_decref(v);
    char n[16];
    snprintf(n, sizeof n, "%lld", (long long)rt_len(buf));
    assert_string_equal(n, MV_LEN);
    v = rt_getitem(buf, s03);
    assert_string_equal(outcome(rt_richcompare(v, abc, RT_EQ)), MV_EQ);
    rt_decref(v);
    RtValue *three = rt_int(3);
    RtValue *step = rt_slice_new(NULL, NULL, three);
    v = rt_getitem(buf, step);
    assert_string_equal(outcome(m0(v, "tobytes")), MV_STEP);
    rt_decref(v);
    RtValue *zero = idx(0), *big = rt_int(256), *a = S("a"), *abc3 = rt_bytes_new("abc", 3), *five = rt_int(5);
    assert_string_equal(status(rt_setitem(buf, zero, big)), MV_SET_BIG);
    assert_string_equal(status(rt_setitem(buf, zero, a)), MV_SET_STR);
    assert_string_equal(status(rt_setitem(buf, s02, abc3)), MV_SET_SIZE);
    k = idx(20);
    assert_string_equal(outcome(rt_getitem(buf, k)), MV_OOB);
    rt_decref(k);
    assert_string_equal(outcome(rt_getitem(buf, a)), MV_KEY);
    assert_string_equal(status(rt_setitem(buf, s02, five)), MV_SET_INT_SLICE);
    /* a live slice blocks close(); once released it does not */
    RtValue *s25 = slice(2, 5);
    v = rt_getitem(buf, s25);
    assert_string_equal(outcome(m0(sm, "close")), SHM_CLOSE_EXPORTED);
    assert_ptr_equal(m0(v, "release"), rt_None);
    assert_string_equal(outcome(rt_newref(v)), MV_RELEASED_REPR);
    k = idx(0);
    assert_string_equal(outcome(rt_getitem(v, k)), MV_RELEASED_USE);
    rt_decref(k);
    rt_decref(v);
    assert_ptr_equal(m0(sm, "close"), rt_None);
    assert_string_equal(outcome(rt_getattr(sm, "buf")), SHM_BUF_AFTER_CLOSE);
    assert_ptr_equal(m0(sm, "unlink"), rt_None);
    assert_string_equal(outcome(m0(sm, "unlink")), SHM_UNLINK_TWICE);
    RtValue *objs[] = {sm, buf, abc, s03, s04, s13, s05, s02, colon, dash, step, big, a, abc3, s25};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
}

static void test_shared_memory_errors(void **state) {
    (void)state;
    RtValue *args[3] = {S("psm_nonexist"), rt_False, rt_int(0)};
    assert_string_equal(outcome(rt_call((RtValue *)&rt_shm_SharedMemory, args, 1, NULL)), SHM_MISSING);
    RtValue *kw = rt_tuple_pack(1, S("create"));
    rt_decref(RT_TUPLE_GET(kw, 0));
    RtValue *t[1] = {rt_True};
    assert_string_equal(outcome(rt_call((RtValue *)&rt_shm_SharedMemory, t, 0, kw)), SHM_ZERO);
    assert_string_equal(outcome(rt_call((RtValue *)&rt_shm_SharedMemory, NULL, 0, NULL)), SHM_NONAME);
    RtValue *kws = rt_tuple_pack(1, S("size"));
    rt_decref(RT_TUPLE_GET(kws, 0));
    RtValue *neg[1] = {rt_int(-1)};
    assert_string_equal(outcome(rt_call((RtValue *)&rt_shm_SharedMemory, neg, 0, kws)), SHM_NEG);
    rt_decref(kw);
    rt_decref(kws);
    rt_decref(args[0]);
}

static void test_attach_by_name_in_child(void **state) {
    (void)state;
    RtValue *sm = shm_new(NULL, true, 4096);
    assert_non_null(sm);
    RtValue *buf = rt_getattr(sm, "buf");
    RtValue *hello = rt_bytes_new("hello", 5), *s05 = slice(0, 5);
    assert_int_equal(rt_setitem(buf, s05, hello), 0);
    RtValue *name = rt_getattr(sm, "name");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* a fresh attachment by name, as a child of CPython would do */
        RtValue *args[1] = {name};
        RtValue *other = rt_call((RtValue *)&rt_shm_SharedMemory, args, 1, NULL);
        if (!other) _exit(1);
        RtValue *b = rt_getattr(other, "buf"), *sz = rt_getattr(other, "size");
        RtValue *head = rt_getitem(b, s05);
        RtValue *got = m0(head, "tobytes");
        RtValue *expect_size = rt_int(4096);
        if (!got || rt_eq(got, hello) != 1 || rt_eq(sz, expect_size) != 1) _exit(2);
        RtValue *world = rt_bytes_new("WORLD", 5);
        if (rt_setitem(b, s05, world) < 0) _exit(3);
        rt_decref(head);
        rt_decref(b);
        if (m0(other, "close") != rt_None) _exit(4);
        _exit(0);
    }
    assert_int_equal(wait_exit(pid), 0);
    RtValue *head = rt_getitem(buf, s05), *world = rt_bytes_new("WORLD", 5);
    RtValue *got = m0(head, "tobytes");
    assert_int_equal(rt_eq(got, world), 1);         /* written by the child */
    rt_decref(got);
    rt_decref(world);
    rt_decref(head);
    assert_ptr_equal(m0(sm, "close"), rt_None);
    assert_ptr_equal(m0(sm, "unlink"), rt_None);
    rt_decref(sm);
    rt_decref(buf);
    rt_decref(name);
    rt_decref(hello);
    rt_decref(s05);
}

/* struct.pack_into / unpack_from on the shared buffer, as the docs' example. */
static void test_struct_on_shared_buffer(void **state) {
    (void)state;
    RtValue *sm = shm_new(NULL, true, 64);
    RtValue *buf = rt_getattr(sm, "buf");
    RtValue *fmt = S("<iid"), *off = rt_int(8), *a = rt_int(-7), *b = rt_int(123456), *c = rt_float(2.5);
    RtValue *args[6] = {fmt, buf, off, a, b, c};
    assert_ptr_equal(rt_struct_pack_into(NULL, args, 6, NULL), rt_None);
    RtValue *uargs[3] = {fmt, buf, off};
    RtValue *t = rt_struct_unpack_from(NULL, uargs, 3, NULL);
    assert_non_null(t);
    assert_int_equal(rt_eq(RT_TUPLE_GET(t, 0), a), 1);
    assert_int_equal(rt_eq(RT_TUPLE_GET(t, 1), b), 1);
    assert_int_equal(rt_eq(RT_TUPLE_GET(t, 2), c), 1);
    rt_decref(t);
    assert_ptr_equal(m0(sm, "close"), rt_None);
    assert_ptr_equal(m0(sm, "unlink"), rt_None);
    RtValue *objs[] = {sm, buf, fmt, off, a, b, c};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);
}

/* ---- ShareableList ------------------------------------------------------------------------- */

static RtValue *sample_list(void) {
    RtValue *items[7] = {rt_int(1), rt_float(2.5), S("hi"), rt_bytes_new("by", 2), rt_True, rt_None, rt_int(-7)};
    RtValue *l = rt_list_from_array(items, 7);
    for (int i = 0; i < 7; i++) rt_decref(items[i]);
    RtValue *sl = rt_call((RtValue *)&rt_shm_ShareableList, &l, 1, NULL);
    rt_decref(l);
    assert_non_null(sl);
    RtValue *shm = rt_getattr(sl, "shm");
    remember(shm);
    rt_decref(shm);
    return sl;
}

static void drop_list(RtValue *sl) {
    RtValue *shm = rt_getattr(sl, "shm");
    assert_ptr_equal(m0(shm, "close"), rt_None);
    assert_ptr_equal(m0(shm, "unlink"), rt_None);
    rt_decref(shm);
    rt_decref(sl);
}

static RtValue *items_tuple(RtValue *sl, int n, const int *pos) {
    RtValue *t = rt_tuple_new((size_t)n);
    for (int i = 0; i < n; i++) {
        RtValue *k = rt_int(pos[i]);
        RT_TUPLE_SET(t, i, rt_getitem(sl, k));
        rt_decref(k);
        assert_non_null(RT_TUPLE_GET(t, i));
    }
    return t;
}

static void test_shareable_list(void **state) {
    (void)state;
    RtValue *sl = sample_list();
    assert_string_equal(outcome(rt_newref(sl)), SL_REPR);
    assert_string_equal(outcome(rt_getattr(sl, "format")), SL_FORMAT);
    RtValue *shm = rt_getattr(sl, "shm");
    assert_string_equal(outcome(rt_getattr(shm, "size")), SL_SIZE);
    rt_decref(shm);
    char n[16];
    snprintf(n, sizeof n, "%lld", (long long)rt_len(sl));
    assert_string_equal(n, SL_LEN);
    static const int all[] = {0, 1, 2, 3, 4, 5, -1};
    assert_string_equal(outcome(items_tuple(sl, 7, all)), SL_ITEMS);
    /* sl[2] = 'hello wo'; sl[0] = 'abc'; sl[1] = None; sl[3] = 5 */
    RtValue *k[4] = {rt_int(2), rt_int(0), rt_int(1), rt_int(3)};
    RtValue *v[4] = {S("hello wo"), S("abc"), rt_None, rt_int(5)};
    for (int i = 0; i < 4; i++) assert_int_equal(rt_setitem(sl, k[i], v[i]), 0);
    RtValue *five = rt_int(5);
    RtValue *t = rt_tuple_pack(4, rt_list_from_iter(sl), rt_getattr(sl, "format"),
                               rt_call_method(sl, "count", &five, 1, NULL),
                               rt_call_method(sl, "index", (RtValue *[]){rt_None}, 1, NULL));
    for (int i = 0; i < 4; i++) rt_decref(RT_TUPLE_GET(t, i));
    assert_string_equal(outcome(t), SL_ASSIGN);
    for (int i = 0; i < 4; i++) { rt_decref(k[i]); rt_decref(v[i]); }
    drop_list(sl);

    sl = sample_list();
    RtValue *two = rt_int(2), *ten = rt_int(10), *one = rt_int(1), *n99 = rt_int(99);
    RtValue *toolong = S("hello wor");
    assert_string_equal(status(rt_setitem(sl, two, toolong)), SL_TOO_LONG);
    assert_string_equal(outcome(rt_getitem(sl, ten)), SL_INDEX_ERR);
    assert_string_equal(status(rt_setitem(sl, ten, one)), SL_SET_INDEX_ERR);
    assert_string_equal(outcome(rt_call_method(sl, "index", &n99, 1, NULL)), SL_NOT_FOUND);
    RtValue *lst = rt_list_new(0), *zero = rt_int(0);
    assert_string_equal(status(rt_setitem(sl, zero, lst)), SL_BAD_TYPE);
    /* 2**64 does not fit 'q': struct.error, and the slot is left zeroed with format 'q' */
    RtValue *huge = rt_int_from_digits("18446744073709551616");
    int r = rt_setitem(sl, zero, huge);
    assert_int_equal(r, -1);
    RtValue *e = rt_exc_fetch();
    RtValue *msg = rt_exc_str(e);
    t = rt_tuple_pack(4, S(e->type->name), msg, rt_getitem(sl, zero), rt_getattr(sl, "format"));
    for (int i = 0; i < 4; i++) rt_decref(RT_TUPLE_GET(t, i));
    rt_decref(e);
    assert_string_equal(outcome(t), SL_OVERFLOW);
    RtValue *uni = S("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
    assert_int_equal(rt_setitem(sl, two, uni), 0);
    assert_string_equal(outcome(rt_getitem(sl, two)), SL_UNICODE);
    drop_list(sl);
    RtValue *objs[] = {two, ten, n99, toolong, lst, huge, uni};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) rt_decref(objs[i]);

    RtValue *empty = rt_call((RtValue *)&rt_shm_ShareableList, NULL, 0, NULL);
    assert_non_null(empty);
    shm = rt_getattr(empty, "shm");
    remember(shm);
    RtValue *r1 = rt_repr(empty), *sz = rt_getattr(shm, "size");
    char line[256];
    snprintf(line, sizeof line, "%s %lld", rt_str_data(r1), (long long)((RtInt *)sz)->small);
    assert_string_equal(masked(line), SL_EMPTY);
    rt_decref(r1);
    rt_decref(sz);
    rt_decref(shm);
    drop_list(empty);

    RtValue *bitems[4] = {S("xxxxxxxxxxxxxxxxxxxx"), rt_bytes_new("", 0), rt_float(3.25), rt_False};
    RtValue *bl = rt_list_from_array(bitems, 4);
    RtValue *big = rt_call((RtValue *)&rt_shm_ShareableList, &bl, 1, NULL);
    assert_non_null(big);
    shm = rt_getattr(big, "shm");
    remember(shm);
    RtValue *fmt = rt_getattr(big, "format");
    r1 = rt_repr(big);
    sz = rt_getattr(shm, "size");
    snprintf(line, sizeof line, "%s %s %lld", rt_str_data(r1), rt_str_data(fmt), (long long)((RtInt *)sz)->small);
    assert_string_equal(masked(line), SL_BIG);
    RtValue *objs2[] = {r1, sz, fmt, shm, bl, bitems[0], bitems[1], bitems[2]};
    for (size_t i = 0; i < sizeof objs2 / sizeof objs2[0]; i++) rt_decref(objs2[i]);
    drop_list(big);
}

static void test_shareable_list_in_child(void **state) {
    (void)state;
    RtValue *sl = sample_list();
    RtValue *shm = rt_getattr(sl, "shm"), *name = rt_getattr(shm, "name");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        RtValue *kw = rt_tuple_pack(1, S("name"));
        RtValue *other = rt_call((RtValue *)&rt_shm_ShareableList, &name, 0, kw);
        if (!other) _exit(1);
        RtValue *z = rt_int(0), *v = rt_int(424242), *six = rt_int(6), *s = S("yo");
        if (rt_setitem(other, z, v) < 0 || rt_setitem(other, six, s) < 0) _exit(2);
        _exit(rt_len(other) == 7 ? 0 : 3);
    }
    assert_int_equal(wait_exit(pid), 0);
    static const int first_last[] = {0, 6};
    RtValue *t = items_tuple(sl, 2, first_last);
    RtValue *expect = rt_tuple_pack(2, rt_int(424242), S("yo"));
    rt_decref(RT_TUPLE_GET(expect, 0));
    rt_decref(RT_TUPLE_GET(expect, 1));
    assert_int_equal(rt_eq(t, expect), 1);
    rt_decref(t);
    rt_decref(expect);
    rt_decref(name);
    rt_decref(shm);
    drop_list(sl);
}

/* ---- cleanup ------------------------------------------------------------------------------------- */

static void test_cleanup_removes_forgotten_segments(void **state) {
    (void)state;
    RtValue *a = shm_new(NULL, true, 100);            /* never unlinked */
    assert_non_null(a);
    RtValue *an = rt_getattr(a, "name");
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {                                   /* a child makes one and exits */
        RtValue *args[3] = {rt_None, rt_True, rt_int(100)};
        RtValue *b = rt_call((RtValue *)&rt_shm_SharedMemory, args, 3, NULL);
        RtValue *bn = b ? rt_getattr(b, "name") : NULL;
        char name[40] = {0};
        if (bn) snprintf(name, sizeof name, "%s", rt_str_data(bn));
        (void)!write(fds[1], name, sizeof name);
        rt_shm_cleanup_all();                         /* a child's call (also its atexit) does nothing */
        _exit(0);
    }
    char bname[40];
    assert_int_equal(read(fds[0], bname, sizeof bname), (ssize_t)sizeof bname);
    assert_int_equal(wait_exit(pid), 0);
    snprintf(made[nmade++ % 64], 40, "%s", bname);
    assert_true(segment_exists(rt_str_data(an)));
    assert_true(segment_exists(bname));               /* outlives the child, as in CPython */
    rt_shm_cleanup_all();                             /* at exit, or from SIGINT/SIGTERM */
    assert_false(segment_exists(rt_str_data(an)));
    assert_false(segment_exists(bname));
    assert_string_equal(outcome(m0(a, "unlink")), SHM_UNLINK_TWICE);
    rt_decref(an);
    rt_decref(a);
    close(fds[0]);
    close(fds[1]);
}

static void test_nothing_left_in_dev_shm(void **state) {
    (void)state;
    for (int i = 0; i < nmade && i < 64; i++)
        if (segment_exists(made[i])) fail_msg("/dev/shm/%s left behind", made[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_memory_buf),
        cmocka_unit_test(test_shared_memory_errors),
        cmocka_unit_test(test_attach_by_name_in_child),
        cmocka_unit_test(test_struct_on_shared_buffer),
        cmocka_unit_test(test_shareable_list),
        cmocka_unit_test(test_shareable_list_in_child),
        cmocka_unit_test(test_cleanup_removes_forgotten_segments),
        cmocka_unit_test(test_nothing_left_in_dev_shm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

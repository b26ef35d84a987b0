/* test_diag.c: source files and diagnostics (diag.c).
 *
 * The caret goes under the error's column by display width: full-width
 * characters (the seed notes' Chinese) take two terminal columns, combining
 * marks none, and a tab moves to the next multiple of 8. The echoed source
 * line has its tabs expanded the same way, so caret and text line up in any
 * terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sys_free(void *p) {   /* for open_memstream buffers (see test_front.c) */
    free(p);
}

#include <cmocka.h>

#include "common.h"

/* ---- display_width ---------------------------------------------------------- */

static int dw(const char *s) {
    return display_width(s, strlen(s));
}

static void test_width_ascii(void **state) {
    (void)state;
    assert_int_equal(dw(""), 0);
    assert_int_equal(dw("print(x)"), 8);
}

static void test_width_cjk(void **state) {
    (void)state;
    assert_int_equal(dw("多进程"), 6);
    assert_int_equal(dw("a中b"), 4);
    assert_int_equal(dw("，"), 2);          /* U+FF0C FULLWIDTH COMMA */
    assert_int_equal(dw("😀"), 2);
}

static void test_width_combining_and_latin(void **state) {
    (void)state;
    assert_int_equal(dw("e\xcc\x81"), 1);   /* e + U+0301 COMBINING ACUTE */
    assert_int_equal(dw("café"), 4);
    assert_int_equal(dw("\xe2\x80\x8b"), 0); /* U+200B ZERO WIDTH SPACE */
}

static void test_width_tabs(void **state) {
    (void)state;
    assert_int_equal(dw("\t"), 8);
    assert_int_equal(dw("ab\t"), 8);
    assert_int_equal(dw("abcdefgh\t"), 16);
    assert_int_equal(dw("中\tx"), 9);
}

static void test_width_invalid_utf8(void **state) {
    (void)state;
    assert_int_equal(display_width("\xff\xfe", 2), 2);
    assert_int_equal(display_width("\xe4\xb8", 2), 2);   /* truncated sequence */
}

/* ---- the caret ---------------------------------------------------------------- */

/* The full output of one diag_error on line 1 of `src`. */
static char *report(const char *src, Loc loc, Loc end, const char *msg) {
    Arena a = {0};
    SrcFile f;
    src_from_string(&f, &a, "t.py", src, strlen(src));
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    diag_set_stream(mem);
    diag_reset();
    diag_error(&f, loc, end, "%s", msg);
    fclose(mem);
    diag_set_stream(NULL);
    ar_release(&a);
    return buf;
}

static void expect_report(const char *src, Loc loc, Loc end, const char *want) {
    char *got = report(src, loc, end, "msg");
    assert_string_equal(got, want);
    sys_free(got);
}

static void test_caret_ascii(void **state) {
    (void)state;
    expect_report("x = 1 + \"a\"\n", (Loc){1, 9}, (Loc){1, 12},
                  "t.py:1:9: error: msg\n"
                  "    x = 1 + \"a\"\n"
                  "            ^~~\n");
}

/* The seed notes' mistake: a full-width comma after Chinese text. Byte
 * column 15, display column 13 (after 12 columns: print(' 你好 '). */
static void test_caret_after_cjk(void **state) {
    (void)state;
    expect_report("print('你好'，'世界')\n", (Loc){1, 15}, (Loc){0, 0},
                  "t.py:1:15: error: msg\n"
                  "    print('你好'，'世界')\n"
                  "                ^\n");
}

static void test_caret_under_wide_char_range(void **state) {
    (void)state;
    expect_report("x = '进程'\n", (Loc){1, 5}, (Loc){1, 13},
                  "t.py:1:5: error: msg\n"
                  "    x = '进程'\n"
                  "        ^~~~~~\n");
}

static void test_caret_after_tab(void **state) {
    (void)state;
    expect_report("\tx = (1 2)\n", (Loc){1, 9}, (Loc){0, 0},
                  "t.py:1:9: error: msg\n"
                  "            x = (1 2)\n"
                  "                   ^\n");
}

static void test_caret_tab_after_cjk(void **state) {
    (void)state;
    expect_report("中\tx\n", (Loc){1, 5}, (Loc){0, 0},
                  "t.py:1:5: error: msg\n"
                  "    中      x\n"
                  "            ^\n");
}

static void test_caret_past_end_of_line(void **state) {
    (void)state;
    expect_report("x = \n", (Loc){1, 5}, (Loc){0, 0},
                  "t.py:1:5: error: msg\n"
                  "    x = \n"
                  "        ^\n");
}

static void test_caret_multiline_range(void **state) {
    (void)state;
    expect_report("f(a,\n  b)\n", (Loc){1, 1}, (Loc){2, 4},
                  "t.py:1:1: error: msg\n"
                  "    f(a,\n"
                  "    ^~~~\n");
}

static void test_control_chars_shown_as_spaces(void **state) {
    (void)state;
    expect_report("\fx = 1\r\n", (Loc){1, 2}, (Loc){0, 0},
                  "t.py:1:2: error: msg\n"
                  "     x = 1\n"
                  "     ^\n");
}

/* ---- counting and limits -------------------------------------------------------- */

static void test_error_limit(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    src_from_string(&f, &a, "t.py", "x\n", 2);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    diag_set_stream(mem);
    diag_reset();
    for (int i = 0; i < DIAG_MAX_ERRORS + 5; i++)
        diag_error(&f, (Loc){1, 1}, (Loc){0, 0}, "e%d", i);
    diag_note(&f, (Loc){0, 0}, "not shown");
    fclose(mem);
    diag_set_stream(NULL);
    assert_int_equal(diag_error_count(), DIAG_MAX_ERRORS + 5);
    int shown = 0;
    for (char *p = buf; (p = strstr(p, ": error: ")); p++)
        shown++;
    assert_int_equal(shown, DIAG_MAX_ERRORS);
    assert_non_null(strstr(buf, "t.py: note: too many errors; stopping after 20\n"));
    assert_null(strstr(buf, "not shown"));
    sys_free(buf);
    diag_reset();
    assert_int_equal(diag_error_count(), 0);
    ar_release(&a);
}

static void test_note_without_location(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    src_from_string(&f, &a, "t.py", "x\n", 2);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    diag_set_stream(mem);
    diag_note(&f, (Loc){0, 0}, "see %s", "here");
    fclose(mem);
    diag_set_stream(NULL);
    assert_string_equal(buf, "t.py: note: see here\n");
    sys_free(buf);
    ar_release(&a);
}

/* ---- source files ----------------------------------------------------------------- */

static void test_src_lines(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    src_from_string(&f, &a, "t.py", "one\r\ntwo\nthree", 14);
    size_t n;
    const char *l = src_line(&f, 1, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(l, "one", 3);
    l = src_line(&f, 3, &n);
    assert_int_equal(n, 5);
    assert_memory_equal(l, "three", 5);
    src_line(&f, 4, &n);
    assert_int_equal(n, 0);
    src_line(&f, 0, &n);
    assert_int_equal(n, 0);
    assert_int_equal(f.nlines, 3);
    ar_release(&a);
}

static void test_src_load_missing_file(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    assert_false(src_load(&f, &a, "/nonexistent/dir/x.py"));
    ar_release(&a);
}

static void test_src_keeps_nul_bytes(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    src_from_string(&f, &a, "t.py", "a\0b\n", 4);
    assert_int_equal(f.len, 4);
    assert_int_equal(f.text[2], 'b');
    ar_release(&a);
}

/* ---- arena and Str ------------------------------------------------------------------ */

static void test_arena(void **state) {
    (void)state;
    Arena a = {0};
    char *big = ar_alloc(&a, 1 << 20);           /* a block of its own */
    for (int i = 0; i < 1000; i++) {
        int *p = ar_alloc(&a, sizeof(int) * 10);
        assert_int_equal(p[9], 0);               /* zeroed */
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    }
    assert_int_equal(big[(1 << 20) - 1], 0);
    assert_string_equal(ar_printf(&a, "%d-%s", 42, "x"), "42-x");
    assert_string_equal(ar_strndup(&a, "abcdef", 3), "abc");
    ar_release(&a);
    assert_null(a.head);
}

static void test_str(void **state) {
    (void)state;
    Str s = {0};
    assert_string_equal(str_cstr(&s), "");
    for (int i = 0; i < 1000; i++)
        str_printf(&s, "%d,", i % 10);
    assert_int_equal(s.len, 2000);
    str_putn(&s, "\0x", 2);
    assert_int_equal(s.len, 2002);
    assert_int_equal(s.data[2001], 'x');
    str_free(&s);
    assert_int_equal(s.len, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width_ascii),
        cmocka_unit_test(test_width_cjk),
        cmocka_unit_test(test_width_combining_and_latin),
        cmocka_unit_test(test_width_tabs),
        cmocka_unit_test(test_width_invalid_utf8),
        cmocka_unit_test(test_caret_ascii),
        cmocka_unit_test(test_caret_after_cjk),
        cmocka_unit_test(test_caret_under_wide_char_range),
        cmocka_unit_test(test_caret_after_tab),
        cmocka_unit_test(test_caret_tab_after_cjk),
        cmocka_unit_test(test_caret_past_end_of_line),
        cmocka_unit_test(test_caret_multiline_range),
        cmocka_unit_test(test_control_chars_shown_as_spaces),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_note_without_location),
        cmocka_unit_test(test_src_lines),
        cmocka_unit_test(test_src_load_missing_file),
        cmocka_unit_test(test_src_keeps_nul_bytes),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_str),
    };
    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}

/* test_front.c: the front end, white-box.
 *
 *  - lowering: each case of front_expected.h (generated from CPython by
 *    gen_front_expected.py) is parsed and its ast_dump() compared with
 *    CPython's ast.dump(): one cmocka test per construct;
 *  - positions: tree-sitter's 0-based rows and byte columns become 1-based
 *    Locs, columns in bytes (CJK text before a node counts 3 bytes a char);
 *  - errors: fe_parse returns NULL and prints CPython's message and line;
 *  - limits: deep nesting and long operator chains neither crash nor
 *    exhaust the stack.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Buffers from open_memstream() come from the C library's malloc: free them
 * with the real free, not cmocka's checking one (UNIT_TESTING redefines
 * malloc and free below this point). */
static void sys_free(void *p) {
    free(p);
}

#include <cmocka.h>

#include "ast.h"
#include "front_expected.h"

/* Parses src (syntax only); diagnostics go to *diag when given. */
static Node *parse(Arena *a, SrcFile *f, const char *src, char **diag) {
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    diag_set_stream(mem);
    diag_reset();
    src_from_string(f, a, "t.py", src, strlen(src));
    Node *m = fe_parse_syntax(a, f);
    fclose(mem);
    diag_set_stream(NULL);
    if (diag)
        *diag = buf;
    else
        sys_free(buf);
    return m;
}

/* ---- lowering, against CPython ---------------------------------------------- */

static void test_lowering(void **state) {
    const struct FrontCase *c = *state;
    Arena a = {0};
    SrcFile f;
    char *diag;
    Node *m = parse(&a, &f, c->src, &diag);
    if (!m)
        fail_msg("%s: front end rejected the source:\n%s", c->name, diag);
    sys_free(diag);
    Str out = {0};
    ast_dump(&out, m);
    assert_string_equal(str_cstr(&out), c->dump);
    str_free(&out);
    ar_release(&a);
}

/* ---- positions -------------------------------------------------------------- */

/* The first Name with this id, depth first. */
static const Node *find_name(const Node *n, const char *id);

static const Node *find_in(const NodeList *l, const char *id) {
    for (int i = 0; i < l->len; i++) {
        const Node *r = l->items[i] ? find_name(l->items[i], id) : NULL;
        if (r)
            return r;
    }
    return NULL;
}

static const Node *find_name(const Node *n, const char *id) {
    switch (n->kind) {
    case ND_NAME:   return strcmp(n->name.id, id) ? NULL : n;
    case ND_MODULE: return find_in(&n->module.body, id);
    case ND_EXPR:   return find_name(n->expr.value, id);
    case ND_ASSIGN: {
        const Node *r = find_in(&n->assign.targets, id);
        return r ? r : find_name(n->assign.value, id);
    }
    case ND_BINOP: {
        const Node *r = find_name(n->binop.left, id);
        return r ? r : find_name(n->binop.right, id);
    }
    case ND_CALL: {
        const Node *r = find_name(n->call.func, id);
        return r ? r : find_in(&n->call.args, id);
    }
    case ND_IF: {
        const Node *r = find_name(n->if_.test, id);
        return r ? r : find_in(&n->if_.body, id);
    }
    default:        return NULL;
    }
}

static void expect_loc(const char *src, const char *id, Loc start, Loc end) {
    Arena a = {0};
    SrcFile f;
    Node *m = parse(&a, &f, src, NULL);
    assert_non_null(m);
    const Node *n = find_name(m, id);
    assert_non_null(n);
    assert_int_equal(n->loc.line, start.line);
    assert_int_equal(n->loc.col, start.col);
    assert_int_equal(n->end.line, end.line);
    assert_int_equal(n->end.col, end.col);
    ar_release(&a);
}

static void test_loc_first_line(void **state) {
    (void)state;
    expect_loc("x = y\n", "x", (Loc){1, 1}, (Loc){1, 2});
    expect_loc("x = y\n", "y", (Loc){1, 5}, (Loc){1, 6});
}

static void test_loc_later_line_indented(void **state) {
    (void)state;
    expect_loc("a = 1\nif a:\n    target = 2\n", "target", (Loc){3, 5}, (Loc){3, 11});
}

/* Columns count bytes: three CJK characters are nine bytes. */
static void test_loc_byte_columns_after_cjk(void **state) {
    (void)state;
    expect_loc("s = '多进程' + tail\n", "tail", (Loc){1, 19}, (Loc){1, 23});
}

static void test_loc_tab_is_one_byte(void **state) {
    (void)state;
    expect_loc("if a:\n\tinner = 1\n", "inner", (Loc){2, 2}, (Loc){2, 7});
}

static void test_loc_after_bom(void **state) {
    (void)state;
    expect_loc("\xef\xbb\xbfx = y\n", "y", (Loc){1, 8}, (Loc){1, 9});
}

static void test_loc_multiline_call(void **state) {
    (void)state;
    expect_loc("f(a,\n  second)\n", "second", (Loc){2, 3}, (Loc){2, 9});
}

/* ---- errors ------------------------------------------------------------------- */

static void expect_error(const char *src, const char *first_line) {
    Arena a = {0};
    SrcFile f;
    char *diag;
    Node *m = parse(&a, &f, src, &diag);
    assert_null(m);
    assert_true(diag_error_count() >= 1);
    char *nl = strchr(diag, '\n');
    if (nl)
        *nl = '\0';
    assert_string_equal(diag, first_line);
    sys_free(diag);
    ar_release(&a);
}

static void test_error_missing_colon(void **state) {
    (void)state;
    expect_error("if x\n    pass\n", "t.py:1:5: error: expected ':'");
}

static void test_error_unclosed_paren(void **state) {
    (void)state;
    expect_error("x = f(1,\ny = 2\n", "t.py:1:6: error: '(' was never closed");
}

static void test_error_bad_indent(void **state) {
    (void)state;
    expect_error("x = 1\n  y = 2\n", "t.py:2:3: error: unexpected indent");
    expect_error("if x:\nprint(x)\n",
                 "t.py:2:1: error: expected an indented block after 'if' statement on line 1");
}

static void test_error_context(void **state) {
    (void)state;
    expect_error("return 1\n", "t.py:1:1: error: 'return' outside function");
    expect_error("while 1:\n    pass\nelse:\n    break\n", "t.py:4:5: error: 'break' outside loop");
}

static void test_error_bytes(void **state) {
    (void)state;
    expect_error("x = 'caf\xe9'\n",
                 "t.py:1:9: error: (unicode error) 'utf-8' codec can't decode byte 0xe9 "
                 "in position 8: invalid continuation byte");
    Arena a = {0};
    SrcFile f;
    char *diag = NULL;
    src_from_string(&f, &a, "t.py", "x = 1\0\n", 7);
    FILE *mem = open_memstream(&diag, &(size_t){0});
    diag_set_stream(mem);
    assert_null(fe_parse_syntax(&a, &f));
    fclose(mem);
    diag_set_stream(NULL);
    assert_non_null(strstr(diag, "t.py:1:6: error: source code cannot contain null bytes"));
    sys_free(diag);
    ar_release(&a);
}

/* One root cause, one diagnostic: the rest of an unclosed call is not
 * reported again line by line. */
static void test_error_no_cascade(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    char *diag;
    assert_null(parse(&a, &f, "p = Process(target=f\np.start()\np.join()\nq = )\n", &diag));
    assert_int_equal(diag_error_count(), 1);
    sys_free(diag);
    ar_release(&a);
}

/* ---- limits ------------------------------------------------------------------- */

static char *repeat(const char *pre, const char *unit, int n, const char *mid, const char *unit2,
                    int n2, const char *post) {
    size_t len = strlen(pre) + strlen(unit) * n + strlen(mid) + strlen(unit2) * n2 + strlen(post);
    char *s = malloc(len + 1), *p = s;
    p += sprintf(p, "%s", pre);
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s", unit);
    p += sprintf(p, "%s", mid);
    for (int i = 0; i < n2; i++)
        p += sprintf(p, "%s", unit2);
    sprintf(p, "%s", post);
    return s;
}

static void test_limit_nesting_300(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    char *src = repeat("x = ", "-", 300, "1", "", 0, "\n");
    assert_non_null(parse(&a, &f, src, NULL));
    free(src);
    src = repeat("x = ", "[", 150, "", "]", 150, "\n");
    assert_non_null(parse(&a, &f, src, NULL));
    free(src);
    src = repeat("x = ", "f(", 190, "", ")", 190, "\n");
    assert_non_null(parse(&a, &f, src, NULL));
    free(src);
    src = repeat("x = ", "(", 300, "1", ")", 300, "\n");   /* CPython: too many nested parentheses */
    char *diag;
    assert_null(parse(&a, &f, src, &diag));
    assert_non_null(strstr(diag, "too many nested parentheses"));
    sys_free(diag);
    free(src);
    ar_release(&a);
}

/* Deeper than our limit: a diagnostic, not a stack overflow. */
static void test_limit_too_deep(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    char *src = repeat("x = ", "not ", 20000, "1", "", 0, "\n"), *diag;
    assert_null(parse(&a, &f, src, &diag));
    assert_non_null(strstr(diag, "too many nested expressions"));
    sys_free(diag);
    free(src);
    ar_release(&a);
}

/* 1 + 1 + ... is lowered iteratively; 800 terms are fine. */
static void test_limit_long_chain(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    char *src = repeat("x = 1", " + 1", 800, "", "", 0, "\n");
    Node *m = parse(&a, &f, src, NULL);
    assert_non_null(m);
    const Node *v = m->module.body.items[0]->assign.value;
    int depth = 0;
    while (v->kind == ND_BINOP)
        v = v->binop.left, depth++;
    assert_int_equal(depth, 800);
    free(src);
    ar_release(&a);
}

/* ---- the subset check --------------------------------------------------------- */

static void test_subset(void **state) {
    (void)state;
    Arena a = {0};
    SrcFile f;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    diag_set_stream(mem);
    diag_reset();
    src_from_string(&f, &a, "t.py", "import numpy\nfrom multiprocessing import Pool\n", 46);
    assert_null(fe_parse(&a, &f));
    src_from_string(&f, &a, "t.py", "from multiprocessing import Pool\nimport os, time\n", 48);
    assert_non_null(fe_parse(&a, &f));
    fclose(mem);
    diag_set_stream(NULL);
    assert_non_null(strstr(buf, "t.py:1:8: error: mp2c does not provide module 'numpy'"));
    sys_free(buf);
    ar_release(&a);
}

int main(void) {
    size_t n = sizeof front_cases / sizeof front_cases[0];
    struct CMUnitTest *lowering = calloc(n, sizeof *lowering);
    for (size_t i = 0; i < n; i++) {
        lowering[i].name = front_cases[i].name;
        lowering[i].test_func = test_lowering;
        lowering[i].initial_state = (void *)&front_cases[i];
    }
    const struct CMUnitTest others[] = {
        cmocka_unit_test(test_loc_first_line),
        cmocka_unit_test(test_loc_later_line_indented),
        cmocka_unit_test(test_loc_byte_columns_after_cjk),
        cmocka_unit_test(test_loc_tab_is_one_byte),
        cmocka_unit_test(test_loc_after_bom),
        cmocka_unit_test(test_loc_multiline_call),
        cmocka_unit_test(test_error_missing_colon),
        cmocka_unit_test(test_error_unclosed_paren),
        cmocka_unit_test(test_error_bad_indent),
        cmocka_unit_test(test_error_context),
        cmocka_unit_test(test_error_bytes),
        cmocka_unit_test(test_error_no_cascade),
        cmocka_unit_test(test_limit_nesting_300),
        cmocka_unit_test(test_limit_too_deep),
        cmocka_unit_test(test_limit_long_chain),
        cmocka_unit_test(test_subset),
    };
    int failed = _cmocka_run_group_tests("front_lowering", lowering, n, NULL, NULL);
    failed += cmocka_run_group_tests_name("front", others, NULL, NULL);
    free(lowering);
    return failed;
}

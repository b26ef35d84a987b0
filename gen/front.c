/* front.c: the front end. Python source bytes → our AST (ast.h), with the
 * syntax errors CPython 3.11 would report, at the lines it reports them.
 *
 * fe_parse_syntax() runs five stages:
 *   1. bytes    check_bytes(): NUL bytes, the coding cookie, invalid UTF-8
 *               (CPython checks these before it tokenizes).
 *   2. pre-lex  lx_*(): the error-finding half of CPython's tokenizer, redone:
 *               strings, brackets, indentation, numbers, stray characters.
 *               It records every logical line, and checks each for what
 *               tree-sitter-python tolerates silently: a missing ':', an
 *               indented block missing or unexpected, a stray 'else', an
 *               operator left dangling at the end of a line, "print x".
 *   3. parse    tree-sitter-python builds the concrete tree, from a copy of
 *               the text in which print/exec/type are respelled (respell()).
 *               If the tree has an error, a bisection over the lines finds the
 *               logical line CPython's parser fails on, and the error there
 *               is worded as CPython words it (report_first_error()).
 *   4. lower    lw_*(): CST → AST, one function per construct, each headed
 *               by its grammar rule. Lowering also finds the errors the
 *               grammar lets through (a keyword used as a name, assignment
 *               to a literal, a bad escape, ...).
 *   5. check    ck_*(): CPython's compile-time errors (symtable.c and
 *               compile.c): 'return' outside function, a global declared
 *               after use, a repeated keyword argument, ...
 *
 * Errors are collected, then reported by report(): CPython reports exactly
 * one syntax error, and which one depends on its kind (a tokenizer error
 * overrides a parser error found earlier, an unclosed bracket wins only when
 * the parser failed on a later line, ...; see pick_syntax_error()). We follow
 * the same rules, so the first diagnostic names CPython's line. When the
 * syntax is clean, every compile-time error is reported, symtable-class ones
 * first, as CPython orders them.
 *
 * This is the only file that includes tree_sitter/api.h. Positions:
 * tree-sitter gives 0-based rows and byte columns; fe_loc() turns them into
 * our 1-based Loc (and loc_at() does the same for a byte offset).
 * Recursion is bounded: lowering stops at FE_MAX_DEPTH nested levels with a
 * diagnostic, so no later pass walks a tree deeper than that.
 */
#include <ctype.h>
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "ast.h"

const TSLanguage *tree_sitter_python(void);

#define FE_MAX_DEPTH  1000   /* nesting of the tree we lower (CPython: ~1000) */
#define LX_MAXLEVEL   200    /* CPython's MAXLEVEL: nested brackets */
#define LX_MAXINDENT  100    /* CPython's MAXINDENT */
#define TS_TIMEOUT_US (20 * 1000 * 1000)

/* ==== errors ================================================================ */

typedef enum ErrClass {
    EC_TOK_HARD,   /* tokenizer error CPython raises wherever it is in the file */
    EC_TOK_SOFT,   /* tokenizer error that counts only if the parser gets there */
    EC_TOK_EOF,    /* end of file inside brackets ("'(' was never closed") */
    EC_SYNTAX,     /* parser error: the first one in file order wins */
    EC_UNSUP,      /* valid Python our AST cannot hold (match, except*) */
    EC_SYMTABLE,   /* CPython's symtable errors (reported before compile ones) */
    EC_COMPILE,    /* CPython's compiler errors */
} ErrClass;

typedef struct FeErr {
    ErrClass cls;
    int      prio;     /* among syntax errors on one logical line: lower wins */
    Loc      loc, end; /* caret and its extent */
    uint32_t anchor;   /* byte offset of the logical line the error is on */
    uint32_t off;      /* byte offset of loc */
    uint32_t aux;      /* EC_TOK_EOF: the line of the unclosed bracket */
    bool     final;    /* CPython raises it without looking further ("unexpected indent") */
    const char *msg;
    const char *note;
} FeErr;

/* What the pre-lexer records about each logical line. */
typedef struct LLInfo {
    uint32_t start, end;   /* offset of its first token; of its NEWLINE (or EOF) */
    int      col;          /* its indentation, tabs to multiples of 8 */
    int8_t   kw;           /* KW_* of the compound statement it starts, or -1 */
    bool     deco;         /* it is a decorator line */
    bool     opens;        /* it ends with a block's ':' */
} LLInfo;

typedef struct Fe {
    Arena         *a;
    const SrcFile *src;
    const char    *s;       /* src->text */
    size_t         n;       /* src->len */
    FeErr         *errs;
    int            nerrs, caperrs;
    /* logical lines found by the pre-lexer */
    struct LLInfo *ll;
    int            nll, capll;
    /* names to respell for tree-sitter (see ts_text()) */
    uint32_t      *respell;
    int            nrespell, caprespell;
    char          *ts_text;    /* the text tree-sitter parses (malloc'd) */
    /* lowering */
    TSTree        *tree;
    int            depth;
    bool           too_deep;
    TSNode         hoist;   /* a list_splat to lower as its operand (left_splat) */
    uint32_t       str_end; /* end of the string group being lowered */
} Fe;

static Loc loc_at(const Fe *fe, size_t off);

static FeErr *add_err(Fe *fe, ErrClass cls, size_t off, size_t end_off, const char *msg) {
    if (fe->nerrs == fe->caperrs) {
        fe->caperrs = fe->caperrs ? fe->caperrs * 2 : 16;
        FeErr *e = ar_alloc(fe->a, sizeof(FeErr) * (size_t)fe->caperrs);
        if (fe->nerrs)
            memcpy(e, fe->errs, sizeof(FeErr) * (size_t)fe->nerrs);
        fe->errs = e;
    }
    FeErr *e = &fe->errs[fe->nerrs++];
    memset(e, 0, sizeof *e);
    e->cls = cls;
    e->off = (uint32_t)off;
    e->loc = loc_at(fe, off);
    e->end = end_off > off ? loc_at(fe, end_off) : (Loc){0, 0};
    e->msg = msg;
    return e;
}

static bool has_err(const Fe *fe, ErrClass cls) {
    for (int i = 0; i < fe->nerrs; i++)
        if (fe->errs[i].cls == cls)
            return true;
    return false;
}

/* ==== positions ============================================================== */

/* The line (1-based) holding byte offset off: binary search of line_off. */
static uint32_t line_of(const SrcFile *f, size_t off) {
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (f->line_off[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

static Loc loc_at(const Fe *fe, size_t off) {
    if (off > fe->n)
        off = fe->n;
    uint32_t line = line_of(fe->src, off);
    return (Loc){ line, (uint32_t)(off - fe->src->line_off[line - 1]) + 1 };
}

/* tree-sitter's 0-based row and byte column → our 1-based Loc. */
static Loc fe_loc(TSPoint p) {
    return (Loc){ p.row + 1, p.column + 1 };
}

/* Where CPython puts errors found at end of file: the last line read. */
static size_t eof_off(const Fe *fe) {
    size_t n = fe->n;
    if (n > 0 && fe->s[n - 1] == '\n')
        return n - 1;
    return n;
}

/* The logical line holding offset off (or the next one after it). */
static uint32_t anchor_of(const Fe *fe, size_t off) {
    int lo = 0, hi = fe->nll;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (fe->ll[mid].end < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < fe->nll && fe->ll[lo].start <= off)
        return fe->ll[lo].start;
    return lo < fe->nll ? fe->ll[lo].start : (uint32_t)fe->n;
}

static FeErr *syntax_err(Fe *fe, int prio, size_t off, size_t end, const char *msg) {
    FeErr *e = add_err(fe, EC_SYNTAX, off, end, msg);
    e->prio = prio;
    return e;
}

/* ==== stage 1: bytes ========================================================= */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 with *why set to
 * CPython's reason and *bad to the length of the maximal valid prefix. */
static size_t utf8_seq(const unsigned char *s, size_t n, const char **why, size_t *bad) {
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        *why = "invalid start byte";
        *bad = 1;
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if (i >= n) {
            *why = "unexpected end of data";
            *bad = i;
            return 0;
        }
        unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xbf;
        if (s[i] < min || s[i] > max) {
            *why = "invalid continuation byte";
            *bad = i;
            return 0;
        }
    }
    return len;
}

/* The encoding named by a PEP 263 cookie on line 1 or 2, or NULL. */
static const char *coding_cookie(Fe *fe, size_t start) {
    size_t i = start;
    for (int line = 1; line <= 2 && i < fe->n; line++) {
        size_t e = i;
        while (e < fe->n && fe->s[e] != '\n')
            e++;
        size_t j = i;
        while (j < e && (fe->s[j] == ' ' || fe->s[j] == '\t' || fe->s[j] == '\f'))
            j++;
        if (j < e && fe->s[j] == '#') {
            for (size_t k = j; k + 7 < e; k++) {
                if (memcmp(fe->s + k, "coding", 6) != 0 || (fe->s[k + 6] != ':' && fe->s[k + 6] != '='))
                    continue;
                size_t v = k + 7;
                while (v < e && (fe->s[v] == ' ' || fe->s[v] == '\t'))
                    v++;
                size_t w = v;
                while (w < e && (isalnum((unsigned char)fe->s[w]) || fe->s[w] == '-' ||
                                 fe->s[w] == '_' || fe->s[w] == '.'))
                    w++;
                if (w > v)
                    return ar_strndup(fe->a, fe->s + v, w - v);
            }
        } else if (j < e) {
            return NULL;   /* line 1 is code: no cookie on line 2 */
        }
        i = e + 1;
    }
    return NULL;
}

/* CPython's get_normal_name(): "utf-8" for "UTF_8" and "utf-8-sig"... */
static void normal_name(const char *enc, char *norm, size_t size) {
    size_t i = 0;
    for (; enc[i] && i < size - 1; i++)
        norm[i] = enc[i] == '_' ? '-' : (char)tolower((unsigned char)enc[i]);
    norm[i] = '\0';
    if (!strncmp(norm, "utf-8-", 6))
        norm[5] = '\0';
}

static bool is_utf8_name(const char *enc) {
    char norm[64];
    normal_name(enc, norm, sizeof norm);
    return !strcmp(norm, "utf-8") || !strcmp(norm, "utf8");
}

/* Whether Python knows the codec: the families its encodings package has
 * (a close approximation of codecs.lookup, enough to reject typos). */
static bool is_known_encoding(const char *enc) {
    static const char *const families[] = {
        "utf", "u8", "ascii", "us-ascii", "646", "latin", "l1", "l2", "l3", "l4", "l5", "l6",
        "l7", "l8", "l9", "l10", "iso", "cp", "ibm", "windows", "koi8", "mac", "euc", "gb",
        "big5", "hz", "shift", "sjis", "johab", "ptcp154", "tis", "hp-roman8", "kz1048",
        "csascii", "ms", "8859", "greek", "hebrew", "arabic", "cyrillic", "thai",
    };
    char norm[64];
    normal_name(enc, norm, sizeof norm);
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (!strncmp(norm, families[i], strlen(families[i])))
            return true;
    return false;
}

/* Checks what CPython checks before tokenizing. *start receives the offset
 * of the first byte after a UTF-8 byte order mark. */
static bool check_bytes(Fe *fe, size_t *start) {
    const unsigned char *u = (const unsigned char *)fe->s;
    *start = fe->n >= 3 && !memcmp(fe->s, "\xef\xbb\xbf", 3) ? 3 : 0;
    const char *nul = memchr(fe->s, '\0', fe->n);
    if (nul) {
        add_err(fe, EC_TOK_HARD, (size_t)(nul - fe->s), 0,
                "source code cannot contain null bytes");
        return false;
    }
    bool ascii = true;
    for (size_t i = *start; i < fe->n && ascii; i++)
        ascii = u[i] < 0x80;
    const char *enc = coding_cookie(fe, *start);
    if (enc && !is_known_encoding(enc)) {
        add_err(fe, EC_TOK_HARD, 0, 0, ar_printf(fe->a, "unknown encoding: %s", enc));
        return false;
    }
    if (enc && *start) {
        char norm[64];
        normal_name(enc, norm, sizeof norm);
        if (strcmp(norm, "utf-8")) {
            add_err(fe, EC_TOK_HARD, 0, 0, ar_printf(fe->a, "encoding problem: %s with BOM", enc));
            return false;
        }
    }
    if (enc && !is_utf8_name(enc) && !ascii) {
        FeErr *e = add_err(fe, EC_TOK_HARD, 0, 0,
            ar_printf(fe->a, "mp2c reads only UTF-8 source, but this file declares "
                             "encoding '%s' and is not plain ASCII", enc));
        e->note = ar_printf(fe->a, "convert it first: iconv -f %s -t utf-8", enc);
        return false;
    }
    for (size_t i = *start; i < fe->n;) {
        const char *why;
        size_t bad, len = utf8_seq(u + i, fe->n - i, &why, &bad);
        if (len) {
            i += len;
            continue;
        }
        Loc l = loc_at(fe, i);
        const char *msg = bad > 1
            ? ar_printf(fe->a, "(unicode error) 'utf-8' codec can't decode bytes in position %u-%zu: %s",
                        l.col - 1, l.col - 1 + bad - 1, why)
            : ar_printf(fe->a, "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %u: %s",
                        u[i], l.col - 1, why);
        add_err(fe, EC_TOK_HARD, i, 0, msg);
        return false;
    }
    return true;
}

/* ==== stage 2: the pre-lexer ================================================== */

/* BEGIN GENERATED xid_start (tests/unit/gen_unicode_tables.py, Unicode 14.0.0). Do not edit. */
static const uint32_t xid_start_ranges[][2] = {
    {0x00aa, 0x00aa}, {0x00b5, 0x00b5}, {0x00ba, 0x00ba}, {0x00c0, 0x00d6},
    {0x00d8, 0x00f6}, {0x00f8, 0x02c1}, {0x02c6, 0x02d1}, {0x02e0, 0x02e4},
    {0x02ec, 0x02ec}, {0x02ee, 0x02ee}, {0x0370, 0x0374}, {0x0376, 0x0377},
    {0x037b, 0x037d}, {0x037f, 0x037f}, {0x0386, 0x0386}, {0x0388, 0x038a},
    {0x038c, 0x038c}, {0x038e, 0x03a1}, {0x03a3, 0x03f5}, {0x03f7, 0x0481},
    {0x048a, 0x052f}, {0x0531, 0x0556}, {0x0559, 0x0559}, {0x0560, 0x0588},
    {0x05d0, 0x05ea}, {0x05ef, 0x05f2}, {0x0620, 0x064a}, {0x066e, 0x066f},
    {0x0671, 0x06d3}, {0x06d5, 0x06d5}, {0x06e5, 0x06e6}, {0x06ee, 0x06ef},
    {0x06fa, 0x06fc}, {0x06ff, 0x06ff}, {0x0710, 0x0710}, {0x0712, 0x072f},
    {0x074d, 0x07a5}, {0x07b1, 0x07b1}, {0x07ca, 0x07ea}, {0x07f4, 0x07f5},
    {0x07fa, 0x07fa}, {0x0800, 0x0815}, {0x081a, 0x081a}, {0x0824, 0x0824},
    {0x0828, 0x0828}, {0x0840, 0x0858}, {0x0860, 0x086a}, {0x0870, 0x0887},
    {0x0889, 0x088e}, {0x08a0, 0x08c9}, {0x0904, 0x0939}, {0x093d, 0x093d},
    {0x0950, 0x0950}, {0x0958, 0x0961}, {0x0971, 0x0980}, {0x0985, 0x098c},
    {0x098f, 0x0990}, {0x0993, 0x09a8}, {0x09aa, 0x09b0}, {0x09b2, 0x09b2},
    {0x09b6, 0x09b9}, {0x09bd, 0x09bd}, {0x09ce, 0x09ce}, {0x09dc, 0x09dd},
    {0x09df, 0x09e1}, {0x09f0, 0x09f1}, {0x09fc, 0x09fc}, {0x0a05, 0x0a0a},
    {0x0a0f, 0x0a10}, {0x0a13, 0x0a28}, {0x0a2a, 0x0a30}, {0x0a32, 0x0a33},
    {0x0a35, 0x0a36}, {0x0a38, 0x0a39}, {0x0a59, 0x0a5c}, {0x0a5e, 0x0a5e},
    {0x0a72, 0x0a74}, {0x0a85, 0x0a8d}, {0x0a8f, 0x0a91}, {0x0a93, 0x0aa8},
    {0x0aaa, 0x0ab0}, {0x0ab2, 0x0ab3}, {0x0ab5, 0x0ab9}, {0x0abd, 0x0abd},
    {0x0ad0, 0x0ad0}, {0x0ae0, 0x0ae1}, {0x0af9, 0x0af9}, {0x0b05, 0x0b0c},
    {0x0b0f, 0x0b10}, {0x0b13, 0x0b28}, {0x0b2a, 0x0b30}, {0x0b32, 0x0b33},
    {0x0b35, 0x0b39}, {0x0b3d, 0x0b3d}, {0x0b5c, 0x0b5d}, {0x0b5f, 0x0b61},
    {0x0b71, 0x0b71}, {0x0b83, 0x0b83}, {0x0b85, 0x0b8a}, {0x0b8e, 0x0b90},
    {0x0b92, 0x0b95}, {0x0b99, 0x0b9a}, {0x0b9c, 0x0b9c}, {0x0b9e, 0x0b9f},
    {0x0ba3, 0x0ba4}, {0x0ba8, 0x0baa}, {0x0bae, 0x0bb9}, {0x0bd0, 0x0bd0},
    {0x0c05, 0x0c0c}, {0x0c0e, 0x0c10}, {0x0c12, 0x0c28}, {0x0c2a, 0x0c39},
    {0x0c3d, 0x0c3d}, {0x0c58, 0x0c5a}, {0x0c5d, 0x0c5d}, {0x0c60, 0x0c61},
    {0x0c80, 0x0c80}, {0x0c85, 0x0c8c}, {0x0c8e, 0x0c90}, {0x0c92, 0x0ca8},
    {0x0caa, 0x0cb3}, {0x0cb5, 0x0cb9}, {0x0cbd, 0x0cbd}, {0x0cdd, 0x0cde},
    {0x0ce0, 0x0ce1}, {0x0cf1, 0x0cf2}, {0x0d04, 0x0d0c}, {0x0d0e, 0x0d10},
    {0x0d12, 0x0d3a}, {0x0d3d, 0x0d3d}, {0x0d4e, 0x0d4e}, {0x0d54, 0x0d56},
    {0x0d5f, 0x0d61}, {0x0d7a, 0x0d7f}, {0x0d85, 0x0d96}, {0x0d9a, 0x0db1},
    {0x0db3, 0x0dbb}, {0x0dbd, 0x0dbd}, {0x0dc0, 0x0dc6}, {0x0e01, 0x0e30},
    {0x0e32, 0x0e32}, {0x0e40, 0x0e46}, {0x0e81, 0x0e82}, {0x0e84, 0x0e84},
    {0x0e86, 0x0e8a}, {0x0e8c, 0x0ea3}, {0x0ea5, 0x0ea5}, {0x0ea7, 0x0eb0},
    {0x0eb2, 0x0eb2}, {0x0ebd, 0x0ebd}, {0x0ec0, 0x0ec4}, {0x0ec6, 0x0ec6},
    {0x0edc, 0x0edf}, {0x0f00, 0x0f00}, {0x0f40, 0x0f47}, {0x0f49, 0x0f6c},
    {0x0f88, 0x0f8c}, {0x1000, 0x102a}, {0x103f, 0x103f}, {0x1050, 0x1055},
    {0x105a, 0x105d}, {0x1061, 0x1061}, {0x1065, 0x1066}, {0x106e, 0x1070},
    {0x1075, 0x1081}, {0x108e, 0x108e}, {0x10a0, 0x10c5}, {0x10c7, 0x10c7},
    {0x10cd, 0x10cd}, {0x10d0, 0x10fa}, {0x10fc, 0x1248}, {0x124a, 0x124d},
    {0x1250, 0x1256}, {0x1258, 0x1258}, {0x125a, 0x125d}, {0x1260, 0x1288},
    {0x128a, 0x128d}, {0x1290, 0x12b0}, {0x12b2, 0x12b5}, {0x12b8, 0x12be},
    {0x12c0, 0x12c0}, {0x12c2, 0x12c5}, {0x12c8, 0x12d6}, {0x12d8, 0x1310},
    {0x1312, 0x1315}, {0x1318, 0x135a}, {0x1380, 0x138f}, {0x13a0, 0x13f5},
    {0x13f8, 0x13fd}, {0x1401, 0x166c}, {0x166f, 0x167f}, {0x1681, 0x169a},
    {0x16a0, 0x16ea}, {0x16ee, 0x16f8}, {0x1700, 0x1711}, {0x171f, 0x1731},
    {0x1740, 0x1751}, {0x1760, 0x176c}, {0x176e, 0x1770}, {0x1780, 0x17b3},
    {0x17d7, 0x17d7}, {0x17dc, 0x17dc}, {0x1820, 0x1878}, {0x1880, 0x18a8},
    {0x18aa, 0x18aa}, {0x18b0, 0x18f5}, {0x1900, 0x191e}, {0x1950, 0x196d},
    {0x1970, 0x1974}, {0x1980, 0x19ab}, {0x19b0, 0x19c9}, {0x1a00, 0x1a16},
    {0x1a20, 0x1a54}, {0x1aa7, 0x1aa7}, {0x1b05, 0x1b33}, {0x1b45, 0x1b4c},
    {0x1b83, 0x1ba0}, {0x1bae, 0x1baf}, {0x1bba, 0x1be5}, {0x1c00, 0x1c23},
    {0x1c4d, 0x1c4f}, {0x1c5a, 0x1c7d}, {0x1c80, 0x1c88}, {0x1c90, 0x1cba},
    {0x1cbd, 0x1cbf}, {0x1ce9, 0x1cec}, {0x1cee, 0x1cf3}, {0x1cf5, 0x1cf6},
    {0x1cfa, 0x1cfa}, {0x1d00, 0x1dbf}, {0x1e00, 0x1f15}, {0x1f18, 0x1f1d},
    {0x1f20, 0x1f45}, {0x1f48, 0x1f4d}, {0x1f50, 0x1f57}, {0x1f59, 0x1f59},
    {0x1f5b, 0x1f5b}, {0x1f5d, 0x1f5d}, {0x1f5f, 0x1f7d}, {0x1f80, 0x1fb4},
    {0x1fb6, 0x1fbc}, {0x1fbe, 0x1fbe}, {0x1fc2, 0x1fc4}, {0x1fc6, 0x1fcc},
    {0x1fd0, 0x1fd3}, {0x1fd6, 0x1fdb}, {0x1fe0, 0x1fec}, {0x1ff2, 0x1ff4},
    {0x1ff6, 0x1ffc}, {0x2071, 0x2071}, {0x207f, 0x207f}, {0x2090, 0x209c},
    {0x2102, 0x2102}, {0x2107, 0x2107}, {0x210a, 0x2113}, {0x2115, 0x2115},
    {0x2118, 0x211d}, {0x2124, 0x2124}, {0x2126, 0x2126}, {0x2128, 0x2128},
    {0x212a, 0x2139}, {0x213c, 0x213f}, {0x2145, 0x2149}, {0x214e, 0x214e},
    {0x2160, 0x2188}, {0x2c00, 0x2ce4}, {0x2ceb, 0x2cee}, {0x2cf2, 0x2cf3},
    {0x2d00, 0x2d25}, {0x2d27, 0x2d27}, {0x2d2d, 0x2d2d}, {0x2d30, 0x2d67},
    {0x2d6f, 0x2d6f}, {0x2d80, 0x2d96}, {0x2da0, 0x2da6}, {0x2da8, 0x2dae},
    {0x2db0, 0x2db6}, {0x2db8, 0x2dbe}, {0x2dc0, 0x2dc6}, {0x2dc8, 0x2dce},
    {0x2dd0, 0x2dd6}, {0x2dd8, 0x2dde}, {0x3005, 0x3007}, {0x3021, 0x3029},
    {0x3031, 0x3035}, {0x3038, 0x303c}, {0x3041, 0x3096}, {0x309d, 0x309f},
    {0x30a1, 0x30fa}, {0x30fc, 0x30ff}, {0x3105, 0x312f}, {0x3131, 0x318e},
    {0x31a0, 0x31bf}, {0x31f0, 0x31ff}, {0x3400, 0x4dbf}, {0x4e00, 0xa48c},
    {0xa4d0, 0xa4fd}, {0xa500, 0xa60c}, {0xa610, 0xa61f}, {0xa62a, 0xa62b},
    {0xa640, 0xa66e}, {0xa67f, 0xa69d}, {0xa6a0, 0xa6ef}, {0xa717, 0xa71f},
    {0xa722, 0xa788}, {0xa78b, 0xa7ca}, {0xa7d0, 0xa7d1}, {0xa7d3, 0xa7d3},
    {0xa7d5, 0xa7d9}, {0xa7f2, 0xa801}, {0xa803, 0xa805}, {0xa807, 0xa80a},
    {0xa80c, 0xa822}, {0xa840, 0xa873}, {0xa882, 0xa8b3}, {0xa8f2, 0xa8f7},
    {0xa8fb, 0xa8fb}, {0xa8fd, 0xa8fe}, {0xa90a, 0xa925}, {0xa930, 0xa946},
    {0xa960, 0xa97c}, {0xa984, 0xa9b2}, {0xa9cf, 0xa9cf}, {0xa9e0, 0xa9e4},
    {0xa9e6, 0xa9ef}, {0xa9fa, 0xa9fe}, {0xaa00, 0xaa28}, {0xaa40, 0xaa42},
    {0xaa44, 0xaa4b}, {0xaa60, 0xaa76}, {0xaa7a, 0xaa7a}, {0xaa7e, 0xaaaf},
    {0xaab1, 0xaab1}, {0xaab5, 0xaab6}, {0xaab9, 0xaabd}, {0xaac0, 0xaac0},
    {0xaac2, 0xaac2}, {0xaadb, 0xaadd}, {0xaae0, 0xaaea}, {0xaaf2, 0xaaf4},
    {0xab01, 0xab06}, {0xab09, 0xab0e}, {0xab11, 0xab16}, {0xab20, 0xab26},
    {0xab28, 0xab2e}, {0xab30, 0xab5a}, {0xab5c, 0xab69}, {0xab70, 0xabe2},
    {0xac00, 0xd7a3}, {0xd7b0, 0xd7c6}, {0xd7cb, 0xd7fb}, {0xf900, 0xfa6d},
    {0xfa70, 0xfad9}, {0xfb00, 0xfb06}, {0xfb13, 0xfb17}, {0xfb1d, 0xfb1d},
    {0xfb1f, 0xfb28}, {0xfb2a, 0xfb36}, {0xfb38, 0xfb3c}, {0xfb3e, 0xfb3e},
    {0xfb40, 0xfb41}, {0xfb43, 0xfb44}, {0xfb46, 0xfbb1}, {0xfbd3, 0xfc5d},
    {0xfc64, 0xfd3d}, {0xfd50, 0xfd8f}, {0xfd92, 0xfdc7}, {0xfdf0, 0xfdf9},
    {0xfe71, 0xfe71}, {0xfe73, 0xfe73}, {0xfe77, 0xfe77}, {0xfe79, 0xfe79},
    {0xfe7b, 0xfe7b}, {0xfe7d, 0xfe7d}, {0xfe7f, 0xfefc}, {0xff21, 0xff3a},
    {0xff41, 0xff5a}, {0xff66, 0xff9d}, {0xffa0, 0xffbe}, {0xffc2, 0xffc7},
    {0xffca, 0xffcf}, {0xffd2, 0xffd7}, {0xffda, 0xffdc}, {0x10000, 0x1000b},
    {0x1000d, 0x10026}, {0x10028, 0x1003a}, {0x1003c, 0x1003d}, {0x1003f, 0x1004d},
    {0x10050, 0x1005d}, {0x10080, 0x100fa}, {0x10140, 0x10174}, {0x10280, 0x1029c},
    {0x102a0, 0x102d0}, {0x10300, 0x1031f}, {0x1032d, 0x1034a}, {0x10350, 0x10375},
    {0x10380, 0x1039d}, {0x103a0, 0x103c3}, {0x103c8, 0x103cf}, {0x103d1, 0x103d5},
    {0x10400, 0x1049d}, {0x104b0, 0x104d3}, {0x104d8, 0x104fb}, {0x10500, 0x10527},
    {0x10530, 0x10563}, {0x10570, 0x1057a}, {0x1057c, 0x1058a}, {0x1058c, 0x10592},
    {0x10594, 0x10595}, {0x10597, 0x105a1}, {0x105a3, 0x105b1}, {0x105b3, 0x105b9},
    {0x105bb, 0x105bc}, {0x10600, 0x10736}, {0x10740, 0x10755}, {0x10760, 0x10767},
    {0x10780, 0x10785}, {0x10787, 0x107b0}, {0x107b2, 0x107ba}, {0x10800, 0x10805},
    {0x10808, 0x10808}, {0x1080a, 0x10835}, {0x10837, 0x10838}, {0x1083c, 0x1083c},
    {0x1083f, 0x10855}, {0x10860, 0x10876}, {0x10880, 0x1089e}, {0x108e0, 0x108f2},
    {0x108f4, 0x108f5}, {0x10900, 0x10915}, {0x10920, 0x10939}, {0x10980, 0x109b7},
    {0x109be, 0x109bf}, {0x10a00, 0x10a00}, {0x10a10, 0x10a13}, {0x10a15, 0x10a17},
    {0x10a19, 0x10a35}, {0x10a60, 0x10a7c}, {0x10a80, 0x10a9c}, {0x10ac0, 0x10ac7},
    {0x10ac9, 0x10ae4}, {0x10b00, 0x10b35}, {0x10b40, 0x10b55}, {0x10b60, 0x10b72},
    {0x10b80, 0x10b91}, {0x10c00, 0x10c48}, {0x10c80, 0x10cb2}, {0x10cc0, 0x10cf2},
    {0x10d00, 0x10d23}, {0x10e80, 0x10ea9}, {0x10eb0, 0x10eb1}, {0x10f00, 0x10f1c},
    {0x10f27, 0x10f27}, {0x10f30, 0x10f45}, {0x10f70, 0x10f81}, {0x10fb0, 0x10fc4},
    {0x10fe0, 0x10ff6}, {0x11003, 0x11037}, {0x11071, 0x11072}, {0x11075, 0x11075},
    {0x11083, 0x110af}, {0x110d0, 0x110e8}, {0x11103, 0x11126}, {0x11144, 0x11144},
    {0x11147, 0x11147}, {0x11150, 0x11172}, {0x11176, 0x11176}, {0x11183, 0x111b2},
    {0x111c1, 0x111c4}, {0x111da, 0x111da}, {0x111dc, 0x111dc}, {0x11200, 0x11211},
    {0x11213, 0x1122b}, {0x11280, 0x11286}, {0x11288, 0x11288}, {0x1128a, 0x1128d},
    {0x1128f, 0x1129d}, {0x1129f, 0x112a8}, {0x112b0, 0x112de}, {0x11305, 0x1130c},
    {0x1130f, 0x11310}, {0x11313, 0x11328}, {0x1132a, 0x11330}, {0x11332, 0x11333},
    {0x11335, 0x11339}, {0x1133d, 0x1133d}, {0x11350, 0x11350}, {0x1135d, 0x11361},
    {0x11400, 0x11434}, {0x11447, 0x1144a}, {0x1145f, 0x11461}, {0x11480, 0x114af},
    {0x114c4, 0x114c5}, {0x114c7, 0x114c7}, {0x11580, 0x115ae}, {0x115d8, 0x115db},
    {0x11600, 0x1162f}, {0x11644, 0x11644}, {0x11680, 0x116aa}, {0x116b8, 0x116b8},
    {0x11700, 0x1171a}, {0x11740, 0x11746}, {0x11800, 0x1182b}, {0x118a0, 0x118df},
    {0x118ff, 0x11906}, {0x11909, 0x11909}, {0x1190c, 0x11913}, {0x11915, 0x11916},
    {0x11918, 0x1192f}, {0x1193f, 0x1193f}, {0x11941, 0x11941}, {0x119a0, 0x119a7},
    {0x119aa, 0x119d0}, {0x119e1, 0x119e1}, {0x119e3, 0x119e3}, {0x11a00, 0x11a00},
    {0x11a0b, 0x11a32}, {0x11a3a, 0x11a3a}, {0x11a50, 0x11a50}, {0x11a5c, 0x11a89},
    {0x11a9d, 0x11a9d}, {0x11ab0, 0x11af8}, {0x11c00, 0x11c08}, {0x11c0a, 0x11c2e},
    {0x11c40, 0x11c40}, {0x11c72, 0x11c8f}, {0x11d00, 0x11d06}, {0x11d08, 0x11d09},
    {0x11d0b, 0x11d30}, {0x11d46, 0x11d46}, {0x11d60, 0x11d65}, {0x11d67, 0x11d68},
    {0x11d6a, 0x11d89}, {0x11d98, 0x11d98}, {0x11ee0, 0x11ef2}, {0x11fb0, 0x11fb0},
    {0x12000, 0x12399}, {0x12400, 0x1246e}, {0x12480, 0x12543}, {0x12f90, 0x12ff0},
    {0x13000, 0x1342e}, {0x14400, 0x14646}, {0x16800, 0x16a38}, {0x16a40, 0x16a5e},
    {0x16a70, 0x16abe}, {0x16ad0, 0x16aed}, {0x16b00, 0x16b2f}, {0x16b40, 0x16b43},
    {0x16b63, 0x16b77}, {0x16b7d, 0x16b8f}, {0x16e40, 0x16e7f}, {0x16f00, 0x16f4a},
    {0x16f50, 0x16f50}, {0x16f93, 0x16f9f}, {0x16fe0, 0x16fe1}, {0x16fe3, 0x16fe3},
    {0x17000, 0x187f7}, {0x18800, 0x18cd5}, {0x18d00, 0x18d08}, {0x1aff0, 0x1aff3},
    {0x1aff5, 0x1affb}, {0x1affd, 0x1affe}, {0x1b000, 0x1b122}, {0x1b150, 0x1b152},
    {0x1b164, 0x1b167}, {0x1b170, 0x1b2fb}, {0x1bc00, 0x1bc6a}, {0x1bc70, 0x1bc7c},
    {0x1bc80, 0x1bc88}, {0x1bc90, 0x1bc99}, {0x1d400, 0x1d454}, {0x1d456, 0x1d49c},
    {0x1d49e, 0x1d49f}, {0x1d4a2, 0x1d4a2}, {0x1d4a5, 0x1d4a6}, {0x1d4a9, 0x1d4ac},
    {0x1d4ae, 0x1d4b9}, {0x1d4bb, 0x1d4bb}, {0x1d4bd, 0x1d4c3}, {0x1d4c5, 0x1d505},
    {0x1d507, 0x1d50a}, {0x1d50d, 0x1d514}, {0x1d516, 0x1d51c}, {0x1d51e, 0x1d539},
    {0x1d53b, 0x1d53e}, {0x1d540, 0x1d544}, {0x1d546, 0x1d546}, {0x1d54a, 0x1d550},
    {0x1d552, 0x1d6a5}, {0x1d6a8, 0x1d6c0}, {0x1d6c2, 0x1d6da}, {0x1d6dc, 0x1d6fa},
    {0x1d6fc, 0x1d714}, {0x1d716, 0x1d734}, {0x1d736, 0x1d74e}, {0x1d750, 0x1d76e},
    {0x1d770, 0x1d788}, {0x1d78a, 0x1d7a8}, {0x1d7aa, 0x1d7c2}, {0x1d7c4, 0x1d7cb},
    {0x1df00, 0x1df1e}, {0x1e100, 0x1e12c}, {0x1e137, 0x1e13d}, {0x1e14e, 0x1e14e},
    {0x1e290, 0x1e2ad}, {0x1e2c0, 0x1e2eb}, {0x1e7e0, 0x1e7e6}, {0x1e7e8, 0x1e7eb},
    {0x1e7ed, 0x1e7ee}, {0x1e7f0, 0x1e7fe}, {0x1e800, 0x1e8c4}, {0x1e900, 0x1e943},
    {0x1e94b, 0x1e94b}, {0x1ee00, 0x1ee03}, {0x1ee05, 0x1ee1f}, {0x1ee21, 0x1ee22},
    {0x1ee24, 0x1ee24}, {0x1ee27, 0x1ee27}, {0x1ee29, 0x1ee32}, {0x1ee34, 0x1ee37},
    {0x1ee39, 0x1ee39}, {0x1ee3b, 0x1ee3b}, {0x1ee42, 0x1ee42}, {0x1ee47, 0x1ee47},
    {0x1ee49, 0x1ee49}, {0x1ee4b, 0x1ee4b}, {0x1ee4d, 0x1ee4f}, {0x1ee51, 0x1ee52},
    {0x1ee54, 0x1ee54}, {0x1ee57, 0x1ee57}, {0x1ee59, 0x1ee59}, {0x1ee5b, 0x1ee5b},
    {0x1ee5d, 0x1ee5d}, {0x1ee5f, 0x1ee5f}, {0x1ee61, 0x1ee62}, {0x1ee64, 0x1ee64},
    {0x1ee67, 0x1ee6a}, {0x1ee6c, 0x1ee72}, {0x1ee74, 0x1ee77}, {0x1ee79, 0x1ee7c},
    {0x1ee7e, 0x1ee7e}, {0x1ee80, 0x1ee89}, {0x1ee8b, 0x1ee9b}, {0x1eea1, 0x1eea3},
    {0x1eea5, 0x1eea9}, {0x1eeab, 0x1eebb}, {0x20000, 0x2a6df}, {0x2a700, 0x2b738},
    {0x2b740, 0x2b81d}, {0x2b820, 0x2cea1}, {0x2ceb0, 0x2ebe0}, {0x2f800, 0x2fa1d},
    {0x30000, 0x3134a},
};
/* END GENERATED xid_start */

/* BEGIN GENERATED xid_cont (tests/unit/gen_unicode_tables.py, Unicode 14.0.0). Do not edit. */
static const uint32_t xid_cont_ranges[][2] = {
    {0x00aa, 0x00aa}, {0x00b5, 0x00b5}, {0x00b7, 0x00b7}, {0x00ba, 0x00ba},
    {0x00c0, 0x00d6}, {0x00d8, 0x00f6}, {0x00f8, 0x02c1}, {0x02c6, 0x02d1},
    {0x02e0, 0x02e4}, {0x02ec, 0x02ec}, {0x02ee, 0x02ee}, {0x0300, 0x0374},
    {0x0376, 0x0377}, {0x037b, 0x037d}, {0x037f, 0x037f}, {0x0386, 0x038a},
    {0x038c, 0x038c}, {0x038e, 0x03a1}, {0x03a3, 0x03f5}, {0x03f7, 0x0481},
    {0x0483, 0x0487}, {0x048a, 0x052f}, {0x0531, 0x0556}, {0x0559, 0x0559},
    {0x0560, 0x0588}, {0x0591, 0x05bd}, {0x05bf, 0x05bf}, {0x05c1, 0x05c2},
    {0x05c4, 0x05c5}, {0x05c7, 0x05c7}, {0x05d0, 0x05ea}, {0x05ef, 0x05f2},
    {0x0610, 0x061a}, {0x0620, 0x0669}, {0x066e, 0x06d3}, {0x06d5, 0x06dc},
    {0x06df, 0x06e8}, {0x06ea, 0x06fc}, {0x06ff, 0x06ff}, {0x0710, 0x074a},
    {0x074d, 0x07b1}, {0x07c0, 0x07f5}, {0x07fa, 0x07fa}, {0x07fd, 0x07fd},
    {0x0800, 0x082d}, {0x0840, 0x085b}, {0x0860, 0x086a}, {0x0870, 0x0887},
    {0x0889, 0x088e}, {0x0898, 0x08e1}, {0x08e3, 0x0963}, {0x0966, 0x096f},
    {0x0971, 0x0983}, {0x0985, 0x098c}, {0x098f, 0x0990}, {0x0993, 0x09a8},
    {0x09aa, 0x09b0}, {0x09b2, 0x09b2}, {0x09b6, 0x09b9}, {0x09bc, 0x09c4},
    {0x09c7, 0x09c8}, {0x09cb, 0x09ce}, {0x09d7, 0x09d7}, {0x09dc, 0x09dd},
    {0x09df, 0x09e3}, {0x09e6, 0x09f1}, {0x09fc, 0x09fc}, {0x09fe, 0x09fe},
    {0x0a01, 0x0a03}, {0x0a05, 0x0a0a}, {0x0a0f, 0x0a10}, {0x0a13, 0x0a28},
    {0x0a2a, 0x0a30}, {0x0a32, 0x0a33}, {0x0a35, 0x0a36}, {0x0a38, 0x0a39},
    {0x0a3c, 0x0a3c}, {0x0a3e, 0x0a42}, {0x0a47, 0x0a48}, {0x0a4b, 0x0a4d},
    {0x0a51, 0x0a51}, {0x0a59, 0x0a5c}, {0x0a5e, 0x0a5e}, {0x0a66, 0x0a75},
    {0x0a81, 0x0a83}, {0x0a85, 0x0a8d}, {0x0a8f, 0x0a91}, {0x0a93, 0x0aa8},
    {0x0aaa, 0x0ab0}, {0x0ab2, 0x0ab3}, {0x0ab5, 0x0ab9}, {0x0abc, 0x0ac5},
    {0x0ac7, 0x0ac9}, {0x0acb, 0x0acd}, {0x0ad0, 0x0ad0}, {0x0ae0, 0x0ae3},
    {0x0ae6, 0x0aef}, {0x0af9, 0x0aff}, {0x0b01, 0x0b03}, {0x0b05, 0x0b0c},
    {0x0b0f, 0x0b10}, {0x0b13, 0x0b28}, {0x0b2a, 0x0b30}, {0x0b32, 0x0b33},
    {0x0b35, 0x0b39}, {0x0b3c, 0x0b44}, {0x0b47, 0x0b48}, {0x0b4b, 0x0b4d},
    {0x0b55, 0x0b57}, {0x0b5c, 0x0b5d}, {0x0b5f, 0x0b63}, {0x0b66, 0x0b6f},
    {0x0b71, 0x0b71}, {0x0b82, 0x0b83}, {0x0b85, 0x0b8a}, {0x0b8e, 0x0b90},
    {0x0b92, 0x0b95}, {0x0b99, 0x0b9a}, {0x0b9c, 0x0b9c}, {0x0b9e, 0x0b9f},
    {0x0ba3, 0x0ba4}, {0x0ba8, 0x0baa}, {0x0bae, 0x0bb9}, {0x0bbe, 0x0bc2},
    {0x0bc6, 0x0bc8}, {0x0bca, 0x0bcd}, {0x0bd0, 0x0bd0}, {0x0bd7, 0x0bd7},
    {0x0be6, 0x0bef}, {0x0c00, 0x0c0c}, {0x0c0e, 0x0c10}, {0x0c12, 0x0c28},
    {0x0c2a, 0x0c39}, {0x0c3c, 0x0c44}, {0x0c46, 0x0c48}, {0x0c4a, 0x0c4d},
    {0x0c55, 0x0c56}, {0x0c58, 0x0c5a}, {0x0c5d, 0x0c5d}, {0x0c60, 0x0c63},
    {0x0c66, 0x0c6f}, {0x0c80, 0x0c83}, {0x0c85, 0x0c8c}, {0x0c8e, 0x0c90},
    {0x0c92, 0x0ca8}, {0x0caa, 0x0cb3}, {0x0cb5, 0x0cb9}, {0x0cbc, 0x0cc4},
    {0x0cc6, 0x0cc8}, {0x0cca, 0x0ccd}, {0x0cd5, 0x0cd6}, {0x0cdd, 0x0cde},
    {0x0ce0, 0x0ce3}, {0x0ce6, 0x0cef}, {0x0cf1, 0x0cf2}, {0x0d00, 0x0d0c},
    {0x0d0e, 0x0d10}, {0x0d12, 0x0d44}, {0x0d46, 0x0d48}, {0x0d4a, 0x0d4e},
    {0x0d54, 0x0d57}, {0x0d5f, 0x0d63}, {0x0d66, 0x0d6f}, {0x0d7a, 0x0d7f},
    {0x0d81, 0x0d83}, {0x0d85, 0x0d96}, {0x0d9a, 0x0db1}, {0x0db3, 0x0dbb},
    {0x0dbd, 0x0dbd}, {0x0dc0, 0x0dc6}, {0x0dca, 0x0dca}, {0x0dcf, 0x0dd4},
    {0x0dd6, 0x0dd6}, {0x0dd8, 0x0ddf}, {0x0de6, 0x0def}, {0x0df2, 0x0df3},
    {0x0e01, 0x0e3a}, {0x0e40, 0x0e4e}, {0x0e50, 0x0e59}, {0x0e81, 0x0e82},
    {0x0e84, 0x0e84}, {0x0e86, 0x0e8a}, {0x0e8c, 0x0ea3}, {0x0ea5, 0x0ea5},
    {0x0ea7, 0x0ebd}, {0x0ec0, 0x0ec4}, {0x0ec6, 0x0ec6}, {0x0ec8, 0x0ecd},
    {0x0ed0, 0x0ed9}, {0x0edc, 0x0edf}, {0x0f00, 0x0f00}, {0x0f18, 0x0f19},
    {0x0f20, 0x0f29}, {0x0f35, 0x0f35}, {0x0f37, 0x0f37}, {0x0f39, 0x0f39},
    {0x0f3e, 0x0f47}, {0x0f49, 0x0f6c}, {0x0f71, 0x0f84}, {0x0f86, 0x0f97},
    {0x0f99, 0x0fbc}, {0x0fc6, 0x0fc6}, {0x1000, 0x1049}, {0x1050, 0x109d},
    {0x10a0, 0x10c5}, {0x10c7, 0x10c7}, {0x10cd, 0x10cd}, {0x10d0, 0x10fa},
    {0x10fc, 0x1248}, {0x124a, 0x124d}, {0x1250, 0x1256}, {0x1258, 0x1258},
    {0x125a, 0x125d}, {0x1260, 0x1288}, {0x128a, 0x128d}, {0x1290, 0x12b0},
    {0x12b2, 0x12b5}, {0x12b8, 0x12be}, {0x12c0, 0x12c0}, {0x12c2, 0x12c5},
    {0x12c8, 0x12d6}, {0x12d8, 0x1310}, {0x1312, 0x1315}, {0x1318, 0x135a},
    {0x135d, 0x135f}, {0x1369, 0x1371}, {0x1380, 0x138f}, {0x13a0, 0x13f5},
    {0x13f8, 0x13fd}, {0x1401, 0x166c}, {0x166f, 0x167f}, {0x1681, 0x169a},
    {0x16a0, 0x16ea}, {0x16ee, 0x16f8}, {0x1700, 0x1715}, {0x171f, 0x1734},
    {0x1740, 0x1753}, {0x1760, 0x176c}, {0x176e, 0x1770}, {0x1772, 0x1773},
    {0x1780, 0x17d3}, {0x17d7, 0x17d7}, {0x17dc, 0x17dd}, {0x17e0, 0x17e9},
    {0x180b, 0x180d}, {0x180f, 0x1819}, {0x1820, 0x1878}, {0x1880, 0x18aa},
    {0x18b0, 0x18f5}, {0x1900, 0x191e}, {0x1920, 0x192b}, {0x1930, 0x193b},
    {0x1946, 0x196d}, {0x1970, 0x1974}, {0x1980, 0x19ab}, {0x19b0, 0x19c9},
    {0x19d0, 0x19da}, {0x1a00, 0x1a1b}, {0x1a20, 0x1a5e}, {0x1a60, 0x1a7c},
    {0x1a7f, 0x1a89}, {0x1a90, 0x1a99}, {0x1aa7, 0x1aa7}, {0x1ab0, 0x1abd},
    {0x1abf, 0x1ace}, {0x1b00, 0x1b4c}, {0x1b50, 0x1b59}, {0x1b6b, 0x1b73},
    {0x1b80, 0x1bf3}, {0x1c00, 0x1c37}, {0x1c40, 0x1c49}, {0x1c4d, 0x1c7d},
    {0x1c80, 0x1c88}, {0x1c90, 0x1cba}, {0x1cbd, 0x1cbf}, {0x1cd0, 0x1cd2},
    {0x1cd4, 0x1cfa}, {0x1d00, 0x1f15}, {0x1f18, 0x1f1d}, {0x1f20, 0x1f45},
    {0x1f48, 0x1f4d}, {0x1f50, 0x1f57}, {0x1f59, 0x1f59}, {0x1f5b, 0x1f5b},
    {0x1f5d, 0x1f5d}, {0x1f5f, 0x1f7d}, {0x1f80, 0x1fb4}, {0x1fb6, 0x1fbc},
    {0x1fbe, 0x1fbe}, {0x1fc2, 0x1fc4}, {0x1fc6, 0x1fcc}, {0x1fd0, 0x1fd3},
    {0x1fd6, 0x1fdb}, {0x1fe0, 0x1fec}, {0x1ff2, 0x1ff4}, {0x1ff6, 0x1ffc},
    {0x203f, 0x2040}, {0x2054, 0x2054}, {0x2071, 0x2071}, {0x207f, 0x207f},
    {0x2090, 0x209c}, {0x20d0, 0x20dc}, {0x20e1, 0x20e1}, {0x20e5, 0x20f0},
    {0x2102, 0x2102}, {0x2107, 0x2107}, {0x210a, 0x2113}, {0x2115, 0x2115},
    {0x2118, 0x211d}, {0x2124, 0x2124}, {0x2126, 0x2126}, {0x2128, 0x2128},
    {0x212a, 0x2139}, {0x213c, 0x213f}, {0x2145, 0x2149}, {0x214e, 0x214e},
    {0x2160, 0x2188}, {0x2c00, 0x2ce4}, {0x2ceb, 0x2cf3}, {0x2d00, 0x2d25},
    {0x2d27, 0x2d27}, {0x2d2d, 0x2d2d}, {0x2d30, 0x2d67}, {0x2d6f, 0x2d6f},
    {0x2d7f, 0x2d96}, {0x2da0, 0x2da6}, {0x2da8, 0x2dae}, {0x2db0, 0x2db6},
    {0x2db8, 0x2dbe}, {0x2dc0, 0x2dc6}, {0x2dc8, 0x2dce}, {0x2dd0, 0x2dd6},
    {0x2dd8, 0x2dde}, {0x2de0, 0x2dff}, {0x3005, 0x3007}, {0x3021, 0x302f},
    {0x3031, 0x3035}, {0x3038, 0x303c}, {0x3041, 0x3096}, {0x3099, 0x309a},
    {0x309d, 0x309f}, {0x30a1, 0x30fa}, {0x30fc, 0x30ff}, {0x3105, 0x312f},
    {0x3131, 0x318e}, {0x31a0, 0x31bf}, {0x31f0, 0x31ff}, {0x3400, 0x4dbf},
    {0x4e00, 0xa48c}, {0xa4d0, 0xa4fd}, {0xa500, 0xa60c}, {0xa610, 0xa62b},
    {0xa640, 0xa66f}, {0xa674, 0xa67d}, {0xa67f, 0xa6f1}, {0xa717, 0xa71f},
    {0xa722, 0xa788}, {0xa78b, 0xa7ca}, {0xa7d0, 0xa7d1}, {0xa7d3, 0xa7d3},
    {0xa7d5, 0xa7d9}, {0xa7f2, 0xa827}, {0xa82c, 0xa82c}, {0xa840, 0xa873},
    {0xa880, 0xa8c5}, {0xa8d0, 0xa8d9}, {0xa8e0, 0xa8f7}, {0xa8fb, 0xa8fb},
    {0xa8fd, 0xa92d}, {0xa930, 0xa953}, {0xa960, 0xa97c}, {0xa980, 0xa9c0},
    {0xa9cf, 0xa9d9}, {0xa9e0, 0xa9fe}, {0xaa00, 0xaa36}, {0xaa40, 0xaa4d},
    {0xaa50, 0xaa59}, {0xaa60, 0xaa76}, {0xaa7a, 0xaac2}, {0xaadb, 0xaadd},
    {0xaae0, 0xaaef}, {0xaaf2, 0xaaf6}, {0xab01, 0xab06}, {0xab09, 0xab0e},
    {0xab11, 0xab16}, {0xab20, 0xab26}, {0xab28, 0xab2e}, {0xab30, 0xab5a},
    {0xab5c, 0xab69}, {0xab70, 0xabea}, {0xabec, 0xabed}, {0xabf0, 0xabf9},
    {0xac00, 0xd7a3}, {0xd7b0, 0xd7c6}, {0xd7cb, 0xd7fb}, {0xf900, 0xfa6d},
    {0xfa70, 0xfad9}, {0xfb00, 0xfb06}, {0xfb13, 0xfb17}, {0xfb1d, 0xfb28},
    {0xfb2a, 0xfb36}, {0xfb38, 0xfb3c}, {0xfb3e, 0xfb3e}, {0xfb40, 0xfb41},
    {0xfb43, 0xfb44}, {0xfb46, 0xfbb1}, {0xfbd3, 0xfc5d}, {0xfc64, 0xfd3d},
    {0xfd50, 0xfd8f}, {0xfd92, 0xfdc7}, {0xfdf0, 0xfdf9}, {0xfe00, 0xfe0f},
    {0xfe20, 0xfe2f}, {0xfe33, 0xfe34}, {0xfe4d, 0xfe4f}, {0xfe71, 0xfe71},
    {0xfe73, 0xfe73}, {0xfe77, 0xfe77}, {0xfe79, 0xfe79}, {0xfe7b, 0xfe7b},
    {0xfe7d, 0xfe7d}, {0xfe7f, 0xfefc}, {0xff10, 0xff19}, {0xff21, 0xff3a},
    {0xff3f, 0xff3f}, {0xff41, 0xff5a}, {0xff66, 0xffbe}, {0xffc2, 0xffc7},
    {0xffca, 0xffcf}, {0xffd2, 0xffd7}, {0xffda, 0xffdc}, {0x10000, 0x1000b},
    {0x1000d, 0x10026}, {0x10028, 0x1003a}, {0x1003c, 0x1003d}, {0x1003f, 0x1004d},
    {0x10050, 0x1005d}, {0x10080, 0x100fa}, {0x10140, 0x10174}, {0x101fd, 0x101fd},
    {0x10280, 0x1029c}, {0x102a0, 0x102d0}, {0x102e0, 0x102e0}, {0x10300, 0x1031f},
    {0x1032d, 0x1034a}, {0x10350, 0x1037a}, {0x10380, 0x1039d}, {0x103a0, 0x103c3},
    {0x103c8, 0x103cf}, {0x103d1, 0x103d5}, {0x10400, 0x1049d}, {0x104a0, 0x104a9},
    {0x104b0, 0x104d3}, {0x104d8, 0x104fb}, {0x10500, 0x10527}, {0x10530, 0x10563},
    {0x10570, 0x1057a}, {0x1057c, 0x1058a}, {0x1058c, 0x10592}, {0x10594, 0x10595},
    {0x10597, 0x105a1}, {0x105a3, 0x105b1}, {0x105b3, 0x105b9}, {0x105bb, 0x105bc},
    {0x10600, 0x10736}, {0x10740, 0x10755}, {0x10760, 0x10767}, {0x10780, 0x10785},
    {0x10787, 0x107b0}, {0x107b2, 0x107ba}, {0x10800, 0x10805}, {0x10808, 0x10808},
    {0x1080a, 0x10835}, {0x10837, 0x10838}, {0x1083c, 0x1083c}, {0x1083f, 0x10855},
    {0x10860, 0x10876}, {0x10880, 0x1089e}, {0x108e0, 0x108f2}, {0x108f4, 0x108f5},
    {0x10900, 0x10915}, {0x10920, 0x10939}, {0x10980, 0x109b7}, {0x109be, 0x109bf},
    {0x10a00, 0x10a03}, {0x10a05, 0x10a06}, {0x10a0c, 0x10a13}, {0x10a15, 0x10a17},
    {0x10a19, 0x10a35}, {0x10a38, 0x10a3a}, {0x10a3f, 0x10a3f}, {0x10a60, 0x10a7c},
    {0x10a80, 0x10a9c}, {0x10ac0, 0x10ac7}, {0x10ac9, 0x10ae6}, {0x10b00, 0x10b35},
    {0x10b40, 0x10b55}, {0x10b60, 0x10b72}, {0x10b80, 0x10b91}, {0x10c00, 0x10c48},
    {0x10c80, 0x10cb2}, {0x10cc0, 0x10cf2}, {0x10d00, 0x10d27}, {0x10d30, 0x10d39},
    {0x10e80, 0x10ea9}, {0x10eab, 0x10eac}, {0x10eb0, 0x10eb1}, {0x10f00, 0x10f1c},
    {0x10f27, 0x10f27}, {0x10f30, 0x10f50}, {0x10f70, 0x10f85}, {0x10fb0, 0x10fc4},
    {0x10fe0, 0x10ff6}, {0x11000, 0x11046}, {0x11066, 0x11075}, {0x1107f, 0x110ba},
    {0x110c2, 0x110c2}, {0x110d0, 0x110e8}, {0x110f0, 0x110f9}, {0x11100, 0x11134},
    {0x11136, 0x1113f}, {0x11144, 0x11147}, {0x11150, 0x11173}, {0x11176, 0x11176},
    {0x11180, 0x111c4}, {0x111c9, 0x111cc}, {0x111ce, 0x111da}, {0x111dc, 0x111dc},
    {0x11200, 0x11211}, {0x11213, 0x11237}, {0x1123e, 0x1123e}, {0x11280, 0x11286},
    {0x11288, 0x11288}, {0x1128a, 0x1128d}, {0x1128f, 0x1129d}, {0x1129f, 0x112a8},
    {0x112b0, 0x112ea}, {0x112f0, 0x112f9}, {0x11300, 0x11303}, {0x11305, 0x1130c},
    {0x1130f, 0x11310}, {0x11313, 0x11328}, {0x1132a, 0x11330}, {0x11332, 0x11333},
    {0x11335, 0x11339}, {0x1133b, 0x11344}, {0x11347, 0x11348}, {0x1134b, 0x1134d},
    {0x11350, 0x11350}, {0x11357, 0x11357}, {0x1135d, 0x11363}, {0x11366, 0x1136c},
    {0x11370, 0x11374}, {0x11400, 0x1144a}, {0x11450, 0x11459}, {0x1145e, 0x11461},
    {0x11480, 0x114c5}, {0x114c7, 0x114c7}, {0x114d0, 0x114d9}, {0x11580, 0x115b5},
    {0x115b8, 0x115c0}, {0x115d8, 0x115dd}, {0x11600, 0x11640}, {0x11644, 0x11644},
    {0x11650, 0x11659}, {0x11680, 0x116b8}, {0x116c0, 0x116c9}, {0x11700, 0x1171a},
    {0x1171d, 0x1172b}, {0x11730, 0x11739}, {0x11740, 0x11746}, {0x11800, 0x1183a},
    {0x118a0, 0x118e9}, {0x118ff, 0x11906}, {0x11909, 0x11909}, {0x1190c, 0x11913},
    {0x11915, 0x11916}, {0x11918, 0x11935}, {0x11937, 0x11938}, {0x1193b, 0x11943},
    {0x11950, 0x11959}, {0x119a0, 0x119a7}, {0x119aa, 0x119d7}, {0x119da, 0x119e1},
    {0x119e3, 0x119e4}, {0x11a00, 0x11a3e}, {0x11a47, 0x11a47}, {0x11a50, 0x11a99},
    {0x11a9d, 0x11a9d}, {0x11ab0, 0x11af8}, {0x11c00, 0x11c08}, {0x11c0a, 0x11c36},
    {0x11c38, 0x11c40}, {0x11c50, 0x11c59}, {0x11c72, 0x11c8f}, {0x11c92, 0x11ca7},
    {0x11ca9, 0x11cb6}, {0x11d00, 0x11d06}, {0x11d08, 0x11d09}, {0x11d0b, 0x11d36},
    {0x11d3a, 0x11d3a}, {0x11d3c, 0x11d3d}, {0x11d3f, 0x11d47}, {0x11d50, 0x11d59},
    {0x11d60, 0x11d65}, {0x11d67, 0x11d68}, {0x11d6a, 0x11d8e}, {0x11d90, 0x11d91},
    {0x11d93, 0x11d98}, {0x11da0, 0x11da9}, {0x11ee0, 0x11ef6}, {0x11fb0, 0x11fb0},
    {0x12000, 0x12399}, {0x12400, 0x1246e}, {0x12480, 0x12543}, {0x12f90, 0x12ff0},
    {0x13000, 0x1342e}, {0x14400, 0x14646}, {0x16800, 0x16a38}, {0x16a40, 0x16a5e},
    {0x16a60, 0x16a69}, {0x16a70, 0x16abe}, {0x16ac0, 0x16ac9}, {0x16ad0, 0x16aed},
    {0x16af0, 0x16af4}, {0x16b00, 0x16b36}, {0x16b40, 0x16b43}, {0x16b50, 0x16b59},
    {0x16b63, 0x16b77}, {0x16b7d, 0x16b8f}, {0x16e40, 0x16e7f}, {0x16f00, 0x16f4a},
    {0x16f4f, 0x16f87}, {0x16f8f, 0x16f9f}, {0x16fe0, 0x16fe1}, {0x16fe3, 0x16fe4},
    {0x16ff0, 0x16ff1}, {0x17000, 0x187f7}, {0x18800, 0x18cd5}, {0x18d00, 0x18d08},
    {0x1aff0, 0x1aff3}, {0x1aff5, 0x1affb}, {0x1affd, 0x1affe}, {0x1b000, 0x1b122},
    {0x1b150, 0x1b152}, {0x1b164, 0x1b167}, {0x1b170, 0x1b2fb}, {0x1bc00, 0x1bc6a},
    {0x1bc70, 0x1bc7c}, {0x1bc80, 0x1bc88}, {0x1bc90, 0x1bc99}, {0x1bc9d, 0x1bc9e},
    {0x1cf00, 0x1cf2d}, {0x1cf30, 0x1cf46}, {0x1d165, 0x1d169}, {0x1d16d, 0x1d172},
    {0x1d17b, 0x1d182}, {0x1d185, 0x1d18b}, {0x1d1aa, 0x1d1ad}, {0x1d242, 0x1d244},
    {0x1d400, 0x1d454}, {0x1d456, 0x1d49c}, {0x1d49e, 0x1d49f}, {0x1d4a2, 0x1d4a2},
    {0x1d4a5, 0x1d4a6}, {0x1d4a9, 0x1d4ac}, {0x1d4ae, 0x1d4b9}, {0x1d4bb, 0x1d4bb},
    {0x1d4bd, 0x1d4c3}, {0x1d4c5, 0x1d505}, {0x1d507, 0x1d50a}, {0x1d50d, 0x1d514},
    {0x1d516, 0x1d51c}, {0x1d51e, 0x1d539}, {0x1d53b, 0x1d53e}, {0x1d540, 0x1d544},
    {0x1d546, 0x1d546}, {0x1d54a, 0x1d550}, {0x1d552, 0x1d6a5}, {0x1d6a8, 0x1d6c0},
    {0x1d6c2, 0x1d6da}, {0x1d6dc, 0x1d6fa}, {0x1d6fc, 0x1d714}, {0x1d716, 0x1d734},
    {0x1d736, 0x1d74e}, {0x1d750, 0x1d76e}, {0x1d770, 0x1d788}, {0x1d78a, 0x1d7a8},
    {0x1d7aa, 0x1d7c2}, {0x1d7c4, 0x1d7cb}, {0x1d7ce, 0x1d7ff}, {0x1da00, 0x1da36},
    {0x1da3b, 0x1da6c}, {0x1da75, 0x1da75}, {0x1da84, 0x1da84}, {0x1da9b, 0x1da9f},
    {0x1daa1, 0x1daaf}, {0x1df00, 0x1df1e}, {0x1e000, 0x1e006}, {0x1e008, 0x1e018},
    {0x1e01b, 0x1e021}, {0x1e023, 0x1e024}, {0x1e026, 0x1e02a}, {0x1e100, 0x1e12c},
    {0x1e130, 0x1e13d}, {0x1e140, 0x1e149}, {0x1e14e, 0x1e14e}, {0x1e290, 0x1e2ae},
    {0x1e2c0, 0x1e2f9}, {0x1e7e0, 0x1e7e6}, {0x1e7e8, 0x1e7eb}, {0x1e7ed, 0x1e7ee},
    {0x1e7f0, 0x1e7fe}, {0x1e800, 0x1e8c4}, {0x1e8d0, 0x1e8d6}, {0x1e900, 0x1e94b},
    {0x1e950, 0x1e959}, {0x1ee00, 0x1ee03}, {0x1ee05, 0x1ee1f}, {0x1ee21, 0x1ee22},
    {0x1ee24, 0x1ee24}, {0x1ee27, 0x1ee27}, {0x1ee29, 0x1ee32}, {0x1ee34, 0x1ee37},
    {0x1ee39, 0x1ee39}, {0x1ee3b, 0x1ee3b}, {0x1ee42, 0x1ee42}, {0x1ee47, 0x1ee47},
    {0x1ee49, 0x1ee49}, {0x1ee4b, 0x1ee4b}, {0x1ee4d, 0x1ee4f}, {0x1ee51, 0x1ee52},
    {0x1ee54, 0x1ee54}, {0x1ee57, 0x1ee57}, {0x1ee59, 0x1ee59}, {0x1ee5b, 0x1ee5b},
    {0x1ee5d, 0x1ee5d}, {0x1ee5f, 0x1ee5f}, {0x1ee61, 0x1ee62}, {0x1ee64, 0x1ee64},
    {0x1ee67, 0x1ee6a}, {0x1ee6c, 0x1ee72}, {0x1ee74, 0x1ee77}, {0x1ee79, 0x1ee7c},
    {0x1ee7e, 0x1ee7e}, {0x1ee80, 0x1ee89}, {0x1ee8b, 0x1ee9b}, {0x1eea1, 0x1eea3},
    {0x1eea5, 0x1eea9}, {0x1eeab, 0x1eebb}, {0x1fbf0, 0x1fbf9}, {0x20000, 0x2a6df},
    {0x2a700, 0x2b738}, {0x2b740, 0x2b81d}, {0x2b820, 0x2cea1}, {0x2ceb0, 0x2ebe0},
    {0x2f800, 0x2fa1d}, {0x30000, 0x3134a}, {0xe0100, 0xe01ef},
};
/* END GENERATED xid_cont */

static bool in_ranges(const uint32_t (*t)[2], size_t n, uint32_t c) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < t[mid][0])
            hi = mid;
        else if (c > t[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

#define IN_TABLE(t, c) in_ranges(t, sizeof t / sizeof t[0], c)

static bool is_id_ascii(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_potential_id(int c) {
    return c >= 0x80 || is_id_ascii(c);
}

/* Compound statements, for "expected ':'" and "expected an indented block". */
enum { KW_IF, KW_ELIF, KW_ELSE, KW_WHILE, KW_FOR, KW_TRY, KW_EXCEPT, KW_FINALLY,
       KW_WITH, KW_DEF, KW_CLASS, KW__COUNT };
static const char *const kw_text[KW__COUNT] = {
    "if", "elif", "else", "while", "for", "try", "except", "finally", "with", "def", "class",
};
static const char *const kw_what[KW__COUNT] = {
    "'if' statement", "'elif' statement", "'else' statement", "'while' statement",
    "'for' statement", "'try' statement", "'except' statement", "'finally' statement",
    "'with' statement", "function definition", "class definition",
};

typedef enum TkKind { TK_NAME, TK_NUMBER, TK_STRING, TK_OP } TkKind;

/* What the pre-lexer remembers about the logical line being read. */
typedef struct LLine {
    int      ntok;
    uint32_t start;        /* offset of its first token */
    int      indent;       /* +1 after an INDENT, -k after k DEDENTs */
    int      kw;           /* KW_* of the compound statement it opens, or -1 */
    bool     async_first;  /* it starts with "async" */
    int      lambdas;      /* lambdas at depth 0 still waiting for their ':' */
    bool     header_colon; /* the header's ':' was seen */
    bool     colon_last;   /* the last token is that ':' (a block follows) */
    bool     errored;
    uint32_t last_end;     /* end offset of its last token */
    uint32_t kw_end;
    int      col;          /* its indentation */
    TkKind   last_kind;    /* its last token, and the one before */
    uint32_t last_off;
    bool     after_import; /* the token before the last is "import" */
} LLine;

typedef struct Lx {
    Fe        *fe;
    const char *s;
    size_t     n, i;
    bool       atbol, stop;
    int        level;
    struct { char ch; uint32_t off; } paren[LX_MAXLEVEL];
    int        ind[LX_MAXINDENT], alt[LX_MAXINDENT], indent;
    int        pend;          /* INDENT (+1) or DEDENTs (-k) before the next token */
    LLine      cur;
    int8_t     lastkw[LX_MAXINDENT];  /* per indentation level: KW_* of its last line */
    bool       want_block;    /* the previous logical line ends with a block ':' */
    int        want_kw;
    uint32_t   want_line, want_anchor;
} Lx;

static int lx_peek(const Lx *lx, size_t k) {
    return lx->i + k < lx->n ? (unsigned char)lx->s[lx->i + k] : -1;
}

static void lx_hard(Lx *lx, size_t off, const char *msg) {
    add_err(lx->fe, EC_TOK_HARD, off, 0, msg);
    lx->stop = true;
}

static void lx_soft(Lx *lx, size_t off, const char *msg) {
    add_err(lx->fe, EC_TOK_SOFT, off, 0, msg);
    lx->stop = true;
}

static void ll_push(Fe *fe, const LLine *l, uint32_t end) {
    if (fe->nll == fe->capll) {
        fe->capll = fe->capll ? fe->capll * 2 : 256;
        LLInfo *n = ar_alloc(fe->a, sizeof(LLInfo) * (size_t)fe->capll);
        if (fe->nll)
            memcpy(n, fe->ll, sizeof(LLInfo) * (size_t)fe->nll);
        fe->ll = n;
    }
    fe->ll[fe->nll++] = (LLInfo){ l->start, end, l->col, (int8_t)l->kw,
                                  fe->s[l->start] == '@', l->colon_last };
}

static void ll_error(Lx *lx, size_t off, uint32_t anchor, const char *msg) {
    FeErr *e = syntax_err(lx->fe, 0, off, 0, msg);
    e->anchor = anchor;
}

/* First token of a logical line: INDENT/DEDENT against the block structure
 * (CPython: "expected an indented block after ...", "unexpected indent"). */
static void ll_begin(Lx *lx, size_t off) {
    LLine *l = &lx->cur;
    memset(l, 0, sizeof *l);
    l->start = (uint32_t)off;
    l->indent = lx->pend;
    l->col = lx->ind[lx->indent];
    l->kw = -1;
    if (lx->pend > 0)
        lx->lastkw[lx->indent] = -1;
    lx->pend = 0;
    if (lx->want_block) {
        lx->want_block = false;
        if (l->indent <= 0 && lx->want_kw >= 0)
            ll_error(lx, off, lx->want_anchor,
                     ar_printf(lx->fe->a, "expected an indented block after %s on line %u",
                               kw_what[lx->want_kw], lx->want_line));
    } else if (l->indent > 0) {
        ll_error(lx, off, l->start, "unexpected indent");
        lx->fe->errs[lx->fe->nerrs - 1].final = true;
    }
}

static int kw_index(const char *p, size_t len) {
    for (int k = 0; k < KW__COUNT; k++)
        if (strlen(kw_text[k]) == len && !memcmp(kw_text[k], p, len))
            return k;
    return -1;
}

/* else, elif, except and finally continue the compound statement before
 * them at the same indentation; anywhere else CPython stops on them. */
static void check_clause(Lx *lx, int k, size_t off) {
    int prev = lx->lastkw[lx->indent];
    bool ok;
    switch (k) {
    case KW_ELIF:    ok = prev == KW_IF || prev == KW_ELIF; break;
    case KW_ELSE:    ok = prev == KW_IF || prev == KW_ELIF || prev == KW_FOR ||
                          prev == KW_WHILE || prev == KW_EXCEPT || prev == KW_TRY; break;
    case KW_EXCEPT:  ok = prev == KW_TRY || prev == KW_EXCEPT; break;
    case KW_FINALLY: ok = prev == KW_TRY || prev == KW_EXCEPT || prev == KW_ELSE; break;
    default:         return;
    }
    if (k == KW_ELSE && prev == KW_TRY) {
        ll_error(lx, off, lx->cur.start, "expected 'except' or 'finally' block");
        lx->cur.errored = true;
    } else if (!ok) {
        ll_error(lx, off, lx->cur.start, "invalid syntax");
        lx->cur.errored = true;
    }
}

/* Python 2's "print x" / "exec code": the name, then an operand. */
static bool legacy_statement(const Lx *lx, const LLine *l, TkKind kind, const char *p, size_t len) {
    bool print = l->last_end - l->start == 5 && !memcmp(lx->s + l->start, "print", 5);
    bool exec = l->last_end - l->start == 4 && !memcmp(lx->s + l->start, "exec", 4);
    if (!print && !exec)
        return false;
    if (kind == TK_NUMBER || kind == TK_STRING)
        return true;
    if (kind != TK_NAME)
        return false;
    static const char *const ops[] = { "and", "or", "in", "is", "not", "if", "else" };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strlen(ops[i]) == len && !memcmp(ops[i], p, len))
            return false;
    return true;
}

/* Keywords that cannot start an expression. */
static bool stmt_keyword(const char *p, size_t len) {
    static const char *const kws[] = {
        "pass", "break", "continue", "return", "def", "class", "if", "elif", "else", "for",
        "while", "try", "except", "finally", "with", "import", "from", "global", "nonlocal",
        "del", "assert", "raise", "in", "is", "and", "or", "as",
    };
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
        if (strlen(kws[i]) == len && !memcmp(kws[i], p, len))
            return true;
    return false;
}

/* Every token of a logical line passes here (before a bracket changes the
 * depth). It tracks the statement keyword and the header's ':'. */
static void ll_token(Lx *lx, TkKind kind, size_t off, size_t end) {
    LLine *l = &lx->cur;
    if (l->ntok == 0)
        ll_begin(lx, off);
    const char *p = lx->s + off;
    size_t len = end - off;
    bool depth0 = lx->level == 0;
    if (kind == TK_NAME && (l->ntok == 0 || (l->ntok == 1 && l->async_first))) {
        int k = kw_index(p, len);
        if (k >= 0 && (l->ntok == 0 || k == KW_DEF || k == KW_FOR || k == KW_WITH)) {
            l->kw = k;
            l->kw_end = (uint32_t)end;
            if (l->ntok == 0)
                check_clause(lx, k, off);
        }
        if (l->ntok == 0 && len == 5 && !memcmp(p, "async", 5))
            l->async_first = true;
    }
    bool colon = kind == TK_OP && len == 1 && *p == ':';
    if (l->ntok == 0 && kind == TK_OP && !l->errored && !(len == 1 && strchr("-+~*@([{", *p)) &&
        !(len == 3 && !memcmp(p, "...", 3))) {
        ll_error(lx, off, (uint32_t)off, "invalid syntax");   /* "** x", "== y" */
        l->errored = true;
    }
    if (l->ntok == 1 && (l->kw == KW_ELSE || l->kw == KW_TRY || l->kw == KW_FINALLY) &&
        !colon && !l->errored) {
        ll_error(lx, l->kw_end, l->start, "expected ':'");
        l->errored = true;
    }
    if (l->ntok == 1 && !l->errored && legacy_statement(lx, l, kind, p, len)) {
        ll_error(lx, l->start, l->start,
                 ar_printf(lx->fe->a, "Missing parentheses in call to '%s'. Did you mean %s(...)?",
                           lx->s[l->start] == 'p' ? "print" : "exec",
                           lx->s[l->start] == 'p' ? "print" : "exec"));
        lx->fe->errs[lx->fe->nerrs - 1].end = loc_at(lx->fe, l->last_end);
        l->errored = true;
    }
    if (l->ntok == 1 && kind == TK_NAME && lx->s[l->start] == '@' && !l->errored &&
        stmt_keyword(p, len)) {
        ll_error(lx, off, l->start, "invalid syntax");   /* "@ pass" */
        l->errored = true;
    }
    l->colon_last = false;
    if (kind == TK_NAME && depth0 && len == 6 && !memcmp(p, "lambda", 6)) {
        l->lambdas++;
    } else if (colon && depth0) {
        if (l->lambdas > 0) {
            l->lambdas--;
        } else if (!l->header_colon) {
            l->header_colon = true;
            l->colon_last = true;
        }
    }
    l->after_import = l->ntok > 0 && l->last_kind == TK_NAME && l->last_end - l->last_off == 6 &&
                      !memcmp(lx->s + l->last_off, "import", 6);
    l->ntok++;
    l->last_end = (uint32_t)end;
    l->last_off = (uint32_t)off;
    l->last_kind = kind;
}

static bool tok_is(const char *s, uint32_t off, uint32_t end, const char *word) {
    size_t len = strlen(word);
    return end - off == len && !memcmp(s + off, word, len);
}

/* The first token of logical line l is `word`. */
static bool starts_with(const LLine *l, const char *s, size_t n, const char *word) {
    size_t len = strlen(word);
    return l->start + len <= n && !memcmp(s + l->start, word, len) &&
           !is_id_ascii((unsigned char)s[l->start + len]);
}

/* Tokens after which a statement cannot end: an operator or keyword that
 * needs an operand ("x = 1 +", "not"), a ':' that opens no block ("tr:"),
 * a ',' where no tuple can be ("import a,"). tree-sitter happily continues
 * on the next line; CPython stops at the NEWLINE. */
static bool dangling(const LLine *l, const char *s, size_t n) {
    const char *p = s + l->last_off;
    size_t len = l->last_end - l->last_off;
    if (l->last_kind == TK_OP) {
        if (len == 1 && *p == '*')
            return !l->after_import;                   /* from m import * */
        if (len == 1 && *p == ':')
            return l->colon_last && l->kw < 0 && !starts_with(l, s, n, "match") &&
                   !starts_with(l, s, n, "case");
        if (len == 1 && *p == ',') {
            static const char *const no_tuple[] = { "import", "from", "global", "nonlocal",
                                                    "assert", "raise" };
            for (size_t i = 0; i < sizeof no_tuple / sizeof no_tuple[0]; i++)
                if (starts_with(l, s, n, no_tuple[i]))
                    return true;
            return false;
        }
        static const char ops[] = "+-/%@|&^<>=.~!";
        if (len == 1)
            return strchr(ops, *p) != NULL;
        return !(len == 3 && !memcmp(p, "...", 3));   /* ** // << == += -> := ... */
    }
    if (l->last_kind != TK_NAME)
        return false;
    static const char *const kws[] = {
        "and", "or", "not", "in", "is", "if", "elif", "while", "for", "lambda", "from",
        "as", "import", "def", "class", "with", "assert", "del", "global", "nonlocal",
        "await", "async", "except",
    };
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
        if (tok_is(s, l->last_off, l->last_end, kws[i]))
            return !(l->ntok == 1 && tok_is(s, l->last_off, l->last_end, "except"));
    return false;
}

/* NEWLINE at depth 0, or end of file: the logical line is complete. */
static void ll_end(Lx *lx, size_t nl_off) {
    LLine *l = &lx->cur;
    if (l->ntok == 0)
        return;
    if (!l->errored && dangling(l, lx->s, lx->n)) {
        ll_error(lx, l->last_end, l->start, "invalid syntax");
        l->errored = true;
    }
    if (l->kw >= 0 && !l->header_colon && !l->errored)
        ll_error(lx, l->last_end, l->start, "expected ':'");
    lx->lastkw[lx->indent] = (int8_t)l->kw;
    lx->want_block = l->colon_last;
    lx->want_kw = l->colon_last ? l->kw : -1;
    lx->want_line = loc_at(lx->fe, l->start).line;
    lx->want_anchor = l->start;
    ll_push(lx->fe, l, (uint32_t)nl_off);
    l->ntok = 0;
}

/* At the start of a line: measure the indentation as CPython does (tabs to
 * multiples of 8, and again with tabs as 1 to catch inconsistent use). */
static void lx_indent(Lx *lx) {
    int col = 0, alt = 0, cont_col = -1;
    for (;;) {
        int c = lx_peek(lx, 0);
        if (c == ' ') {
            col++, alt++;
        } else if (c == '\t') {
            col = (col / 8 + 1) * 8;
            alt++;
        } else if (c == '\f') {
            col = alt = 0;
        } else if (c == '\\' && (lx_peek(lx, 1) == '\n' ||
                                 (lx_peek(lx, 1) == '\r' && lx_peek(lx, 2) == '\n'))) {
            if (cont_col < 0)
                cont_col = col;
            lx->i += lx_peek(lx, 1) == '\r' ? 2 : 1;
        } else if (c == '\r' && lx_peek(lx, 1) == '\n') {
            /* part of a CRLF; the '\n' ends the (blank) line */
        } else {
            break;
        }
        lx->i++;
    }
    int c = lx_peek(lx, 0);
    if (c == '#' || c == '\n' || c == '\r' || c < 0 || lx->level > 0)
        return;   /* blank line, comment line, or inside brackets */
    if (cont_col >= 0)
        col = alt = cont_col;
    int *ind = lx->ind, *alts = lx->alt;
    if (col == ind[lx->indent]) {
        if (alt != alts[lx->indent])
            lx_soft(lx, lx->i, "inconsistent use of tabs and spaces in indentation");
    } else if (col > ind[lx->indent]) {
        if (lx->indent + 1 >= LX_MAXINDENT) {
            lx_soft(lx, lx->i, "too many levels of indentation");
        } else if (alt <= alts[lx->indent]) {
            lx_soft(lx, lx->i, "inconsistent use of tabs and spaces in indentation");
        } else {
            lx->indent++;
            ind[lx->indent] = col;
            alts[lx->indent] = alt;
            lx->pend = 1;
        }
    } else {
        int k = 0;
        while (lx->indent > 0 && col < ind[lx->indent])
            lx->indent--, k++;
        lx->pend = -k;
        size_t eol = lx->i;
        while (eol < lx->n && lx->s[eol] != '\n')
            eol++;
        if (col != ind[lx->indent])
            lx_soft(lx, eol, "unindent does not match any outer indentation level");
        else if (alt != alts[lx->indent])
            lx_soft(lx, lx->i, "inconsistent use of tabs and spaces in indentation");
    }
}

/* tree-sitter-python knows Python 2's print and exec statements and 3.12's
 * "type X = ..." statement. Python 3.11 has none of them, and the grammar's
 * ambiguity costs: tree-sitter forks its parse at every "print(" (a fifth of
 * its time on print-heavy scripts) and reads "type(m).x = 1" as a type
 * alias. So tree-sitter gets a copy of the text in which these names are
 * respelled "pRint", "eXec", "tYpe": ordinary identifiers of the same
 * length, so every offset stays valid, and lowering reads names from the
 * original text. Python 2's "print x" is reported by the pre-lexer. */
static void respell(Fe *fe, size_t off) {
    if (fe->nrespell == fe->caprespell) {
        fe->caprespell = fe->caprespell ? fe->caprespell * 2 : 64;
        uint32_t *n = ar_alloc(fe->a, sizeof(uint32_t) * (size_t)fe->caprespell);
        if (fe->nrespell)
            memcpy(n, fe->respell, sizeof(uint32_t) * (size_t)fe->nrespell);
        fe->respell = n;
    }
    fe->respell[fe->nrespell++] = (uint32_t)off;
}

/* A valid string prefix: one of r, u, f, b, br, rb, fr, rf in any case. */
static bool is_str_prefix(const char *p, size_t n) {
    if (n == 0 || n > 2)
        return false;
    char a = (char)tolower((unsigned char)p[0]), b = n == 2 ? (char)tolower((unsigned char)p[1]) : 0;
    if (n == 1)
        return a == 'r' || a == 'u' || a == 'f' || a == 'b';
    return (a == 'b' && b == 'r') || (a == 'r' && b == 'b') || (a == 'f' && b == 'r') ||
           (a == 'r' && b == 'f');
}

/* CPython's verify_identifier(): the first character must be XID_Start (or
 * '_'), the others XID_Continue; the error names the first bad character. */
static void lx_verify_name(Lx *lx, size_t off, size_t end) {
    const unsigned char *u = (const unsigned char *)lx->s;
    bool first = true;
    for (size_t i = off; i < end;) {
        uint32_t c = u[i];
        size_t len = 1;
        if (c >= 0x80) {
            const char *why;
            size_t bad;
            len = utf8_seq(u + i, end - i, &why, &bad);
            if (!len)
                return;   /* cannot happen: stage 1 checked the bytes */
            c = len == 2 ? ((c & 0x1f) << 6) | (u[i + 1] & 0x3f)
              : len == 3 ? ((c & 0x0f) << 12) | ((u[i + 1] & 0x3fu) << 6) | (u[i + 2] & 0x3f)
              : ((c & 0x07) << 18) | ((u[i + 1] & 0x3fu) << 12) | ((u[i + 2] & 0x3fu) << 6) | (u[i + 3] & 0x3f);
            bool ok = first ? IN_TABLE(xid_start_ranges, c) : IN_TABLE(xid_cont_ranges, c);
            if (!ok) {
                lx_hard(lx, i, ast_is_printable(c)
                    ? ar_printf(lx->fe->a, "invalid character '%.*s' (U+%04X)", (int)len, lx->s + i, c)
                    : ar_printf(lx->fe->a, "invalid non-printable character U+%04X", c));
                return;
            }
        } else if (first && c >= '0' && c <= '9') {
            return;
        }
        first = false;
        i += len;
    }
}

static bool is_dec(int c) {
    return c >= '0' && c <= '9';
}

static bool is_digit_of(int c, int base) {
    if (base == 16)
        return isxdigit(c) != 0 && c >= 0;
    return c >= '0' && c < '0' + base;
}

/* After a number CPython accepts a few keywords glued on ("1if x else 2",
 * deprecated) but no other identifier character. */
static bool lx_end_of_number(Lx *lx, size_t start, const char *kind) {
    static const char *const glue[] = { "and", "else", "for", "if", "in", "is", "not", "or" };
    for (size_t k = 0; k < sizeof glue / sizeof glue[0]; k++) {
        size_t len = strlen(glue[k]);
        if (lx->i + len <= lx->n && !memcmp(lx->s + lx->i, glue[k], len))
            return true;
    }
    if (is_potential_id(lx_peek(lx, 0))) {
        lx_hard(lx, start, ar_printf(lx->fe->a, "invalid %s literal", kind));
        return false;
    }
    return true;
}

/* digits ('_' digits)* */
static bool lx_decimal_tail(Lx *lx, size_t start) {
    for (;;) {
        while (is_dec(lx_peek(lx, 0)))
            lx->i++;
        if (lx_peek(lx, 0) != '_')
            return true;
        lx->i++;
        if (!is_dec(lx_peek(lx, 0))) {
            lx_hard(lx, start, "invalid decimal literal");
            return false;
        }
    }
}

/* 0x…, 0o…, 0b… after the prefix (Lang. Ref. 2.4.5). */
static void lx_radix(Lx *lx, size_t start, int base, const char *kind) {
    do {
        if (lx_peek(lx, 0) == '_')
            lx->i++;
        int c = lx_peek(lx, 0);
        if (!is_digit_of(c, base)) {
            if (base != 16 && is_dec(c))
                lx_hard(lx, lx->i, ar_printf(lx->fe->a, "invalid digit '%c' in %s literal", c, kind));
            else
                lx_hard(lx, start, ar_printf(lx->fe->a, "invalid %s literal", kind));
            return;
        }
        while (is_digit_of(lx_peek(lx, 0), base))
            lx->i++;
    } while (lx_peek(lx, 0) == '_');
    if (base != 16 && is_dec(lx_peek(lx, 0))) {
        lx_hard(lx, lx->i, ar_printf(lx->fe->a, "invalid digit '%c' in %s literal", lx_peek(lx, 0), kind));
        return;
    }
    lx_end_of_number(lx, start, kind);
}

static void lx_imaginary_or_end(Lx *lx, size_t start) {
    int c = lx_peek(lx, 0);
    if (c == 'j' || c == 'J') {
        lx->i++;
        lx_end_of_number(lx, start, "imaginary");
    } else {
        lx_end_of_number(lx, start, "decimal");
    }
}

/* exponent: ("e" | "E") ["+" | "-"] digitpart */
static void lx_exponent(Lx *lx, size_t start) {
    size_t e = lx->i++;
    int c = lx_peek(lx, 0);
    if (c == '+' || c == '-') {
        lx->i++;
        if (!is_dec(lx_peek(lx, 0))) {
            lx_hard(lx, start, "invalid decimal literal");
            return;
        }
    } else if (!is_dec(c)) {
        lx->i = e;   /* "1else": the number ends before the 'e' */
        lx_end_of_number(lx, start, "decimal");
        return;
    }
    if (lx_decimal_tail(lx, start))
        lx_imaginary_or_end(lx, start);
}

static void lx_fraction(Lx *lx, size_t start) {
    if (is_dec(lx_peek(lx, 0)) && !lx_decimal_tail(lx, start))
        return;
    int c = lx_peek(lx, 0);
    if (c == 'e' || c == 'E')
        lx_exponent(lx, start);
    else
        lx_imaginary_or_end(lx, start);
}

/* 0…: 0, 00, 0_0, 0.5, 0e1, 0j; but 0777 is an error in Python 3. */
static void lx_zero(Lx *lx, size_t start) {
    bool nonzero = false;
    lx->i++;
    for (;;) {
        int c = lx_peek(lx, 0);
        if (c == '_') {
            lx->i++;
            if (!is_dec(lx_peek(lx, 0))) {
                lx_hard(lx, start, "invalid decimal literal");
                return;
            }
            c = lx_peek(lx, 0);
        }
        if (c != '0')
            break;
        lx->i++;
    }
    if (is_dec(lx_peek(lx, 0))) {
        nonzero = true;
        if (!lx_decimal_tail(lx, start))
            return;
    }
    int c = lx_peek(lx, 0);
    if (c == '.') {
        lx->i++;
        lx_fraction(lx, start);
    } else if (c == 'e' || c == 'E') {
        lx_exponent(lx, start);
    } else if (c == 'j' || c == 'J' || !nonzero) {
        lx_imaginary_or_end(lx, start);
    } else {
        lx_hard(lx, start, "leading zeros in decimal integer literals are not permitted; "
                           "use an 0o prefix for octal integers");
    }
}

/* A numeric literal (Lang. Ref. 2.4.5-2.4.7), checked as CPython's tokenizer
 * checks it; the value itself is computed when lowering. */
static void lx_number(Lx *lx) {
    size_t start = lx->i;
    int c = lx_peek(lx, 0), x = lx_peek(lx, 1);
    if (c == '0' && (x == 'x' || x == 'X')) {
        lx->i += 2;
        lx_radix(lx, start, 16, "hexadecimal");
    } else if (c == '0' && (x == 'o' || x == 'O')) {
        lx->i += 2;
        lx_radix(lx, start, 8, "octal");
    } else if (c == '0' && (x == 'b' || x == 'B')) {
        lx->i += 2;
        lx_radix(lx, start, 2, "binary");
    } else if (c == '0') {
        lx_zero(lx, start);
    } else if (c == '.') {
        lx->i++;
        lx_fraction(lx, start);
    } else if (lx_decimal_tail(lx, start)) {
        c = lx_peek(lx, 0);
        if (c == '.') {
            lx->i++;
            lx_fraction(lx, start);
        } else if (c == 'e' || c == 'E') {
            lx_exponent(lx, start);
        } else {
            lx_imaginary_or_end(lx, start);
        }
    }
    if (!lx->stop)
        ll_token(lx, TK_NUMBER, start, lx->i);
}

/* A string literal from its opening quote; `start` includes the prefix.
 * CPython 3.11 scans f-strings exactly like other strings. */
static void lx_string(Lx *lx, size_t start) {
    int q = lx_peek(lx, 0);
    int size = lx_peek(lx, 1) == q && lx_peek(lx, 2) == q ? 3 : 1;
    lx->i += (size_t)size;
    int closing = 0;
    while (closing != size) {
        int c = lx_peek(lx, 0);
        if (c < 0 || (size == 1 && c == '\n')) {
            uint32_t at = loc_at(lx->fe, c < 0 ? eof_off(lx->fe) : lx->i).line;
            lx_hard(lx, start, ar_printf(lx->fe->a, size == 3
                ? "unterminated triple-quoted string literal (detected at line %u)"
                : "unterminated string literal (detected at line %u)", at));
            return;
        }
        lx->i++;
        if (c == q) {
            closing++;
            continue;
        }
        closing = 0;
        if (c == '\\') {
            if (lx_peek(lx, 0) == '\r' && lx_peek(lx, 1) == '\n')
                lx->i += 2;
            else if (lx_peek(lx, 0) >= 0)
                lx->i++;
        }
    }
    ll_token(lx, TK_STRING, start, lx->i);
}

/* A name, or the prefix of a string literal. */
static void lx_name(Lx *lx) {
    size_t start = lx->i;
    bool ascii = true;
    while (is_potential_id(lx_peek(lx, 0))) {
        ascii = ascii && lx_peek(lx, 0) < 0x80;
        lx->i++;
    }
    int c = lx_peek(lx, 0);
    if ((c == '\'' || c == '"') && is_str_prefix(lx->s + start, lx->i - start)) {
        lx_string(lx, start);
        return;
    }
    if (!ascii) {
        lx_verify_name(lx, start, lx->i);
        if (lx->stop)
            return;
    }
    size_t len = lx->i - start;
    if ((len == 5 && !memcmp(lx->s + start, "print", 5)) ||
        (len == 4 && (!memcmp(lx->s + start, "exec", 4) || !memcmp(lx->s + start, "type", 4))))
        respell(lx->fe, start);
    ll_token(lx, TK_NAME, start, lx->i);
}

static char closer_of(char open) {
    return open == '(' ? ')' : open == '[' ? ']' : '}';
}

/* Operators and delimiters. Only brackets and ':' matter to the checks. */
static void lx_op(Lx *lx) {
    size_t off = lx->i;
    char c = lx->s[off];
    if (c == '(' || c == '[' || c == '{') {
        if (lx->level >= LX_MAXLEVEL) {
            lx_hard(lx, off, "too many nested parentheses");
            return;
        }
        ll_token(lx, TK_OP, off, off + 1);
        lx->paren[lx->level].ch = c;
        lx->paren[lx->level++].off = (uint32_t)off;
        lx->i++;
        return;
    }
    if (c == ')' || c == ']' || c == '}') {
        if (lx->level == 0) {
            lx_hard(lx, off, ar_printf(lx->fe->a, "unmatched '%c'", c));
            return;
        }
        char open = lx->paren[lx->level - 1].ch;
        uint32_t open_line = loc_at(lx->fe, lx->paren[lx->level - 1].off).line;
        if (c != closer_of(open)) {
            uint32_t line = loc_at(lx->fe, off).line;
            lx_hard(lx, off, line != open_line
                ? ar_printf(lx->fe->a, "closing parenthesis '%c' does not match opening "
                                       "parenthesis '%c' on line %u", c, open, open_line)
                : ar_printf(lx->fe->a, "closing parenthesis '%c' does not match opening "
                                       "parenthesis '%c'", c, open));
            return;
        }
        ll_token(lx, TK_OP, off, off + 1);
        lx->level--;
        lx->i++;
        return;
    }
    static const char *const multi[] = {   /* longest first */
        "**=", "//=", ">>=", "<<=", "...", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
        "->", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
    };
    size_t len = 1;
    for (size_t k = 0; k < sizeof multi / sizeof multi[0]; k++) {
        size_t m = strlen(multi[k]);
        if (off + m <= lx->n && !memcmp(lx->s + off, multi[k], m)) {
            len = m;
            break;
        }
    }
    ll_token(lx, TK_OP, off, off + len);
    lx->i += len;
}

/* A backslash outside strings: must end the line. */
static void lx_backslash(Lx *lx) {
    int c = lx_peek(lx, 1);
    if (c == '\n') {
        lx->i += 2;
    } else if (c == '\r' && lx_peek(lx, 2) == '\n') {
        lx->i += 3;
    } else if (c < 0) {
        lx_soft(lx, lx->i + 1, "unexpected EOF while parsing");
    } else {
        lx_soft(lx, lx->i + 1, "unexpected character after line continuation character");
    }
}

static void lx_eof(Lx *lx) {
    Fe *fe = lx->fe;
    if (lx->level > 0) {
        uint32_t off = lx->paren[lx->level - 1].off;
        FeErr *e = add_err(fe, EC_TOK_EOF, off, 0,
                           ar_printf(fe->a, "'%c' was never closed", lx->paren[lx->level - 1].ch));
        e->aux = loc_at(fe, off).line;
        if (lx->cur.ntok)
            ll_push(fe, &lx->cur, (uint32_t)fe->n);
        return;
    }
    ll_end(lx, fe->n);
    if (lx->want_block && lx->want_kw >= 0)
        ll_error(lx, eof_off(fe), lx->want_anchor,
                 ar_printf(fe->a, "expected an indented block after %s on line %u",
                           kw_what[lx->want_kw], lx->want_line));
}

/* Runs the pre-lexer over the whole file from `start`. Errors go to fe. */
static void lx_run(Fe *fe, size_t start) {
    Lx *lx = calloc(1, sizeof(Lx));
    if (!lx)
        diag_fatal("out of memory");
    lx->fe = fe;
    lx->s = fe->s;
    lx->n = fe->n;
    lx->i = start;
    lx->atbol = true;
    memset(lx->lastkw, -1, sizeof lx->lastkw);
    while (!lx->stop) {
        if (lx->atbol) {
            lx->atbol = false;
            lx_indent(lx);
            if (lx->stop)
                break;
        }
        int c = lx_peek(lx, 0);
        if (c < 0) {
            lx_eof(lx);
            break;
        }
        if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
            lx->i++;
        } else if (c == '#') {
            while (lx_peek(lx, 0) >= 0 && lx_peek(lx, 0) != '\n')
                lx->i++;
        } else if (c == '\n') {
            if (lx->level == 0)
                ll_end(lx, lx->i);
            lx->i++;
            lx->atbol = true;
        } else if (c == '\\') {
            lx_backslash(lx);
        } else if (is_dec(c) || (c == '.' && is_dec(lx_peek(lx, 1)))) {
            lx_number(lx);
        } else if (is_potential_id(c)) {
            lx_name(lx);
        } else if (c == '\'' || c == '"') {
            lx_string(lx, lx->i);
        } else if (c < 0x20 || c == 0x7f) {
            lx_hard(lx, lx->i, ar_printf(fe->a, "invalid non-printable character U+%04X", c));
        } else {
            lx_op(lx);
        }
    }
    free(lx);
}

/* ==== stage 3: tree-sitter ===================================================== */

/* The named node types of tree-sitter-python 0.23.6 that lowering handles. */
#define CST_KINDS(X) \
    X(module) X(block) X(expression_statement) X(assignment) X(augmented_assignment) \
    X(print_statement) X(exec_statement) X(chevron) X(return_statement) X(delete_statement) \
    X(raise_statement) X(pass_statement) X(break_statement) X(continue_statement) \
    X(global_statement) X(nonlocal_statement) X(import_statement) X(import_from_statement) \
    X(future_import_statement) X(aliased_import) X(dotted_name) X(relative_import) \
    X(import_prefix) X(wildcard_import) X(assert_statement) X(if_statement) X(elif_clause) \
    X(else_clause) X(for_statement) X(while_statement) X(try_statement) X(except_clause) \
    X(except_group_clause) X(finally_clause) X(with_statement) X(with_clause) X(with_item) \
    X(function_definition) X(parameters) X(lambda_parameters) X(class_definition) \
    X(decorated_definition) X(decorator) X(match_statement) X(type_alias_statement) \
    X(identifier) X(integer) X(float) X(true) X(false) X(none) X(ellipsis) X(string) \
    X(concatenated_string) X(string_start) X(string_content) X(string_end) X(interpolation) \
    X(format_specifier) X(format_expression) X(type_conversion) X(binary_operator) \
    X(unary_operator) X(not_operator) X(boolean_operator) X(comparison_operator) \
    X(conditional_expression) X(named_expression) X(lambda) X(await) X(yield) X(call) \
    X(argument_list) X(keyword_argument) X(list_splat) X(dictionary_splat) \
    X(parenthesized_list_splat) X(attribute) X(subscript) X(slice) X(list) X(tuple) X(set) \
    X(dictionary) X(pair) X(list_comprehension) X(set_comprehension) \
    X(dictionary_comprehension) X(generator_expression) X(for_in_clause) X(if_clause) \
    X(parenthesized_expression) X(expression_list) X(pattern_list) X(tuple_pattern) \
    X(list_pattern) X(list_splat_pattern) X(dictionary_splat_pattern) X(default_parameter) \
    X(typed_parameter) X(typed_default_parameter) X(keyword_separator) \
    X(positional_separator) X(type) X(as_pattern) X(as_pattern_target) X(comment) \
    X(line_continuation) X(keyword_identifier) X(generic_type) X(type_parameter) X(union_type) \
    X(member_type) X(splat_type)

typedef enum CstKind {
    K_OTHER,
#define X(name) K_##name,
    CST_KINDS(X)
#undef X
    K_ERROR,
} CstKind;

static const char *const cst_names[] = {
#define X(name) #name,
    CST_KINDS(X)
#undef X
};

#define MAX_SYMBOLS 1024
static uint8_t  sym_kind[MAX_SYMBOLS];   /* TSSymbol → CstKind for named symbols */
static bool     sym_ready;

/* Field ids, looked up by name once. */
static struct {
    TSFieldId left, right, type, operator, body, condition, consequence, alternative,
        name, value, parameters, return_type, superclasses, function, arguments, object,
        attribute, subscript, key, argument, alias, module_name, cause, definition,
        expression, format_specifier, type_conversion, subject, type_parameters, operators;
} F;

static void cst_init(void) {
    if (sym_ready)
        return;
    const TSLanguage *lang = tree_sitter_python();
    uint32_t count = ts_language_symbol_count(lang);
    if (count > MAX_SYMBOLS)
        diag_fatal("internal error: tree-sitter-python has %u symbols", count);
    for (uint32_t s = 0; s < count; s++) {
        if (ts_language_symbol_type(lang, (TSSymbol)s) != TSSymbolTypeRegular)
            continue;
        const char *name = ts_language_symbol_name(lang, (TSSymbol)s);
        for (size_t k = 0; k < sizeof cst_names / sizeof cst_names[0]; k++)
            if (!strcmp(name, cst_names[k]))
                sym_kind[s] = (uint8_t)(k + 1);
    }
#define FIELD(f) F.f = ts_language_field_id_for_name(lang, #f, (uint32_t)strlen(#f))
    FIELD(left); FIELD(right); FIELD(type); FIELD(operator); FIELD(body); FIELD(condition);
    FIELD(consequence); FIELD(alternative); FIELD(name); FIELD(value); FIELD(parameters);
    FIELD(return_type); FIELD(superclasses); FIELD(function); FIELD(arguments); FIELD(object);
    FIELD(attribute); FIELD(subscript); FIELD(key); FIELD(argument); FIELD(alias);
    FIELD(module_name); FIELD(cause); FIELD(definition); FIELD(expression);
    FIELD(format_specifier); FIELD(type_conversion); FIELD(subject);
    FIELD(type_parameters); FIELD(operators);
#undef FIELD
    sym_ready = true;
}

static CstKind kind_of(TSNode n) {
    TSSymbol s = ts_node_symbol(n);
    if (s == (TSSymbol)-1)
        return K_ERROR;
    if (!ts_node_is_named(n) || s >= MAX_SYMBOLS)
        return K_OTHER;
    CstKind k = (CstKind)sym_kind[s];
    return k == K_keyword_identifier ? K_identifier : k;
}

/* An anonymous token's text is its type: "(", "if", "**=", ... */
static bool is_tok(TSNode n, const char *text) {
    return !ts_node_is_named(n) && !strcmp(ts_node_type(n), text);
}

/* The children of a node, comments and line continuations left out. */
typedef struct Kid {
    TSNode    node;
    TSFieldId field;
} Kid;

typedef struct Kids {
    Kid *k;
    int  n;
} Kids;

static Kids kids_of(Fe *fe, TSNode n) {
    Kids out = { NULL, 0 };
    uint32_t count = ts_node_child_count(n);
    if (count == 0)
        return out;
    out.k = ar_alloc(fe->a, sizeof(Kid) * count);
    TSTreeCursor c = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            TSNode k = ts_tree_cursor_current_node(&c);
            if (ts_node_is_extra(k) && kind_of(k) != K_ERROR)
                continue;
            out.k[out.n].node = k;
            out.k[out.n++].field = ts_tree_cursor_current_field_id(&c);
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    return out;
}

static TSNode field(TSNode n, TSFieldId f) {
    return ts_node_child_by_field_id(n, f);
}

/* The i-th named child that is not a comment (comments are named nodes and
 * may sit anywhere inside brackets). */
static TSNode named_kid(TSNode n, uint32_t i) {
    uint32_t cnt = ts_node_named_child_count(n);
    for (uint32_t j = 0; j < cnt; j++) {
        TSNode c = ts_node_named_child(n, j);
        if (ts_node_is_extra(c) && kind_of(c) != K_ERROR)
            continue;
        if (i-- == 0)
            return c;
    }
    return (TSNode){ {0}, NULL, NULL };
}

static uint32_t named_kid_count(TSNode n) {
    uint32_t cnt = ts_node_named_child_count(n), k = 0;
    for (uint32_t j = 0; j < cnt; j++) {
        TSNode c = ts_node_named_child(n, j);
        k += !(ts_node_is_extra(c) && kind_of(c) != K_ERROR);
    }
    return k;
}

static const char *text_of(Fe *fe, TSNode n) {
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return ar_strndup(fe->a, fe->s + s, e - s);
}

/* Writes one node a line, indented by depth (`mp2c dump-cst`). */
static void cst_dump(const SrcFile *src, TSNode root, Str *out) {
    TSTreeCursor c = ts_tree_cursor_new(root);
    int depth = 0;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        const char *fname = ts_tree_cursor_current_field_name(&c);
        TSPoint a = ts_node_start_point(n), b = ts_node_end_point(n);
        str_printf(out, "%*s%s%s%s%s%s [%u:%u-%u:%u]", depth * 2, "", fname ? fname : "",
                   fname ? ": " : "", ts_node_is_missing(n) ? "MISSING " : "",
                   ts_node_is_named(n) ? "" : "'", ts_node_type(n),
                   a.row + 1, a.column + 1, b.row + 1, b.column + 1);
        if (ts_node_child_count(n) == 0 && ts_node_is_named(n)) {
            uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
            str_printf(out, " %.*s", (int)(e - s > 60 ? 60 : e - s), src->text + s);
        }
        str_putc(out, '\n');
        if (ts_tree_cursor_goto_first_child(&c)) {
            depth++;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
            if (!ts_tree_cursor_goto_parent(&c)) {
                ts_tree_cursor_delete(&c);
                return;
            }
            depth--;
        }
    }
}

/* The text tree-sitter parses: the source with the names of respell()
 * respelled. Same length, same offsets. */
static const char *parse_text(Fe *fe) {
    if (!fe->nrespell)
        return fe->s;
    if (!fe->ts_text) {
        fe->ts_text = malloc(fe->n + 1);
        if (!fe->ts_text)
            diag_fatal("out of memory");
        memcpy(fe->ts_text, fe->s, fe->n + 1);
        for (int i = 0; i < fe->nrespell; i++)
            fe->ts_text[fe->respell[i] + 1] = (char)toupper((unsigned char)fe->ts_text[fe->respell[i] + 1]);
    }
    return fe->ts_text;
}

static TSTree *ts_parse(const SrcFile *src, size_t start) {
    cst_init();
    TSParser *p = ts_parser_new();
    if (!ts_parser_set_language(p, tree_sitter_python()))
        diag_fatal("internal error: tree-sitter rejects the Python grammar (ABI mismatch)");
    ts_parser_set_timeout_micros(p, TS_TIMEOUT_US);
    if (start) {
        /* Skip the byte order mark, keeping tree-sitter's offsets ours. */
        TSRange r = { { 0, (uint32_t)start }, { UINT32_MAX, UINT32_MAX },
                      (uint32_t)start, UINT32_MAX };
        ts_parser_set_included_ranges(p, &r, 1);
    }
    TSTree *t = ts_parser_parse_string(p, NULL, src->text, (uint32_t)src->len);
    ts_parser_delete(p);
    return t;
}

void fe_dump_cst(const SrcFile *src, Str *out) {
    size_t start = src->len >= 3 && !memcmp(src->text, "\xef\xbb\xbf", 3) ? 3 : 0;
    TSTree *t = ts_parse(src, start);
    if (!t) {
        str_puts(out, "(tree-sitter gave up)\n");
        return;
    }
    cst_dump(src, ts_tree_root_node(t), out);
    ts_tree_delete(t);
}

/* ---- the first tree-sitter error, as CPython would word it -------------------- */

/* The first ERROR or MISSING node in document order, or a null node. An
 * ERROR that wraps other errors is a region tree-sitter gave up on; the
 * first error inside it is nearer to where the trouble starts. */
static TSNode first_error_in(TSNode root);

static TSNode first_error(TSNode root) {
    TSNode e = first_error_in(root);
    while (!ts_node_is_null(e) && kind_of(e) == K_ERROR) {
        TSNode inner = { {0}, NULL, NULL };
        uint32_t cnt = ts_node_child_count(e);
        for (uint32_t i = 0; i < cnt && ts_node_is_null(inner); i++)
            inner = first_error_in(ts_node_child(e, i));
        if (ts_node_is_null(inner))
            break;
        e = inner;
    }
    return e;
}

static TSNode first_error_in(TSNode root) {
    TSNode none = { {0}, NULL, NULL };
    if (!ts_node_has_error(root))
        return none;
    TSTreeCursor c = ts_tree_cursor_new(root);
    TSNode found = none;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (kind_of(n) == K_ERROR || ts_node_is_missing(n)) {
            found = n;
            break;
        }
        if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c))
            continue;
        bool moved = false;
        while (!(moved = ts_tree_cursor_goto_next_sibling(&c)))
            if (!ts_tree_cursor_goto_parent(&c))
                break;
        if (!moved)
            break;
    }
    ts_tree_cursor_delete(&c);
    return found;
}

/* CPython's name for what a CST expression is ("function call", "literal").
 * Mirrors _PyPegen_get_expr_name() on the AST, for nodes we do not lower. */
static const char *cst_expr_name(Fe *fe, TSNode n) {
    switch (kind_of(n)) {
    case K_call:                   return "function call";
    case K_integer: case K_float:
    case K_concatenated_string:    return "literal";
    case K_string:
        return tolower((unsigned char)fe->s[ts_node_start_byte(n)]) == 'f' ||
               (ts_node_end_byte(n) - ts_node_start_byte(n) > 1 &&
                tolower((unsigned char)fe->s[ts_node_start_byte(n) + 1]) == 'f')
            ? "f-string expression" : "literal";
    case K_true:                   return "True";
    case K_false:                  return "False";
    case K_none:                   return "None";
    case K_ellipsis:               return "ellipsis";
    case K_binary_operator: case K_unary_operator: case K_not_operator:
    case K_boolean_operator:       return "expression";
    case K_comparison_operator:    return "comparison";
    case K_conditional_expression: return "conditional expression";
    case K_named_expression:       return "named expression";
    case K_lambda:                 return "lambda";
    case K_await:                  return "await expression";
    case K_yield:                  return "yield expression";
    case K_dictionary:             return "dict literal";
    case K_set:                    return "set display";
    case K_list_comprehension:     return "list comprehension";
    case K_set_comprehension:      return "set comprehension";
    case K_dictionary_comprehension: return "dict comprehension";
    case K_generator_expression:   return "generator expression";
    default:                       return NULL;
    }
}

/* The last token of `err` that is still on the logical line where `err`
 * starts: CPython stops at the first token it cannot use, which is never
 * past the end of that logical line. */
static TSNode last_leaf_on_line(Fe *fe, TSNode err, bool *ends_line) {
    uint32_t start = ts_node_start_byte(err);
    uint32_t limit = (uint32_t)fe->n;
    for (int i = 0; i < fe->nll; i++)
        if (fe->ll[i].end >= start) {
            limit = fe->ll[i].end;
            break;
        }
    TSNode last = err;
    bool more = false;
    TSTreeCursor c = ts_tree_cursor_new(err);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_child_count(n) == 0 && !ts_node_is_extra(n) &&
            ts_node_end_byte(n) > ts_node_start_byte(n)) {
            if (ts_node_start_byte(n) >= limit) {
                more = true;
                break;
            }
            last = n;
        }
        if (ts_tree_cursor_goto_first_child(&c))
            continue;
        bool moved = false;
        while (!(moved = ts_tree_cursor_goto_next_sibling(&c)))
            if (!ts_tree_cursor_goto_parent(&c))
                break;
        if (!moved)
            break;
    }
    ts_tree_cursor_delete(&c);
    /* Only blanks and a comment between the token and the line's end? */
    uint32_t e = ts_node_end_byte(last);
    while (e < limit && (fe->s[e] == ' ' || fe->s[e] == '\t' || fe->s[e] == '\\' ||
                         fe->s[e] == '\r' || fe->s[e] == '\n'))
        e++;
    *ends_line = !more && (e >= limit || fe->s[e] == '#');
    return last;
}

/* expr "=" ...  where expr cannot be assigned to: CPython's
 * "cannot assign to X here. Maybe you meant '==' instead of '='?" */
static bool err_bad_target(Fe *fe, TSNode err) {
    if (ts_node_child_count(err) < 2)
        return false;
    TSNode target = ts_node_child(err, 0), eq = ts_node_child(err, 1);
    const char *what = cst_expr_name(fe, target);
    if (!what || !is_tok(eq, "=") || ts_node_has_error(target))
        return false;
    bool plain = !strcmp(what, "True") || !strcmp(what, "False") || !strcmp(what, "None");
    uint32_t s = ts_node_start_byte(target);
    syntax_err(fe, 1, s, ts_node_end_byte(target),
               plain ? ar_printf(fe->a, "cannot assign to %s", what)
                     : ar_printf(fe->a, "cannot assign to %s here. Maybe you meant '==' instead of '='?", what))
        ->anchor = anchor_of(fe, s);
    return true;
}

/* x op= y where x is not a name, attribute or subscript: tree-sitter reads
 * "x +" then a stray "=". */
static bool err_bad_augassign(Fe *fe, TSNode err) {
    TSNode parent = ts_node_parent(err);
    if (ts_node_child_count(err) != 1 || !is_tok(ts_node_child(err, 0), "=") ||
        kind_of(parent) != K_binary_operator)
        return false;
    TSNode op = field(parent, F.operator), left = field(parent, F.left);
    if (ts_node_is_null(op) || ts_node_end_byte(op) != ts_node_start_byte(err))
        return false;
    const char *what = cst_expr_name(fe, left);
    if (!what)
        return false;
    uint32_t s = ts_node_start_byte(left);
    syntax_err(fe, 1, s, ts_node_end_byte(left),
               ar_printf(fe->a, "'%s' is an illegal expression for augmented assignment", what))
        ->anchor = anchor_of(fe, s);
    return true;
}

/* tree-sitter can record an error as a MISSING hidden token (a NEWLINE
 * missing between two statements on one line) that no API call returns.
 * Then the deepest node with an error holds it between two of its children
 * that sit on one line. */
static uint32_t hidden_error_offset(TSNode root) {
    TSNode n = root;
    for (bool found = true; found;) {
        found = false;
        uint32_t cnt = ts_node_child_count(n);
        for (uint32_t i = 0; i < cnt && !found; i++)
            if (ts_node_has_error(ts_node_child(n, i))) {
                n = ts_node_child(n, i);
                found = true;
            }
    }
    uint32_t cnt = ts_node_child_count(n);
    for (uint32_t i = 1; i < cnt; i++) {
        TSNode a = ts_node_child(n, i - 1), b = ts_node_child(n, i);
        if (ts_node_is_named(a) && ts_node_is_named(b) && !ts_node_is_extra(a) &&
            !ts_node_is_extra(b) && ts_node_end_point(a).row == ts_node_start_point(b).row)
            return ts_node_start_byte(b);
    }
    return ts_node_start_byte(n);
}

static uint32_t next_token(Fe *fe, uint32_t off);

/* The end of the string literal token that starts at `off` (prefix
 * included), scanned the way CPython's tokenizer scans it. */
static uint32_t string_token_end(Fe *fe, uint32_t off) {
    uint32_t i = off;
    while (i < fe->n && fe->s[i] != '\'' && fe->s[i] != '"')
        i++;
    if (i >= fe->n)
        return (uint32_t)fe->n;
    char q = fe->s[i];
    int size = i + 2 < fe->n && fe->s[i + 1] == q && fe->s[i + 2] == q ? 3 : 1;
    i += (uint32_t)size;
    for (int closing = 0; i < fe->n && closing < size; i++) {
        if (fe->s[i] == q) {
            closing++;
        } else {
            closing = 0;
            if (fe->s[i] == '\\')
                i++;
            else if (size == 1 && fe->s[i] == '\n')
                break;
        }
    }
    return i > fe->n ? (uint32_t)fe->n : i;
}

/* tree-sitter gives up on "f'a}b'" or "f'{'" and leaves the pieces of the
 * string in an ERROR: CPython 3.11 reads the string whole and then reports
 * an f-string error at the token after it. */
static bool err_broken_fstring(Fe *fe, TSNode err, int k) {
    uint32_t cnt = ts_node_child_count(err);
    for (uint32_t i = 0; i < cnt; i++) {
        TSNode c = ts_node_child(err, i);
        if (kind_of(c) != K_string_start)
            continue;
        uint32_t s = ts_node_start_byte(c), e = ts_node_end_byte(c);
        bool f = false;
        for (uint32_t j = s; j < e; j++)
            f = f || fe->s[j] == 'f' || fe->s[j] == 'F';
        if (!f)
            continue;
        bool close = i + 1 < cnt && is_tok(ts_node_child(err, i + 1), "}");
        uint32_t at = next_token(fe, string_token_end(fe, s));
        if (k >= 0 && at > fe->ll[k].end)
            at = fe->ll[k].end;
        syntax_err(fe, 1, at, 0, close ? "f-string: single '}' is not allowed"
                                       : "f-string: expecting '}'")
            ->anchor = k >= 0 ? fe->ll[k].start : anchor_of(fe, at);
        return true;
    }
    return false;
}

/* An error inside an f-string's {...}: CPython 3.11 parses f-strings after
 * reading the whole string group and reports at the token after it. */
static bool err_in_fstring(Fe *fe, TSNode err, int k) {
    TSNode group = { {0}, NULL, NULL };
    bool in_field = false;
    for (TSNode a = ts_node_parent(err); !ts_node_is_null(a); a = ts_node_parent(a)) {
        CstKind ak = kind_of(a);
        if (ak == K_interpolation || ak == K_format_expression)
            in_field = true;
        if (in_field && (ak == K_string || ak == K_concatenated_string))
            group = a;
    }
    if (ts_node_is_null(group))
        return false;
    uint32_t end = ts_node_end_byte(group);
    if (k >= 0 && end > fe->ll[k].end)
        end = fe->ll[k].end;
    TSNode prev = ts_node_prev_sibling(err);
    syntax_err(fe, 1, end, 0, !ts_node_is_null(prev) && kind_of(prev) == K_type_conversion
                                  ? "f-string: expecting '}'" : "f-string: invalid syntax")
        ->anchor = k >= 0 ? fe->ll[k].start : anchor_of(fe, end);
    return true;
}

static bool is_bracket(CstKind k) {
    switch (k) {
    case K_parenthesized_expression: case K_argument_list: case K_list: case K_tuple:
    case K_set: case K_dictionary: case K_subscript: case K_generator_expression:
    case K_list_comprehension: case K_set_comprehension: case K_dictionary_comprehension:
        return true;
    default:
        return false;
    }
}

static bool is_hard_keyword(Fe *fe, TSNode t);

/* A token that can only begin an operand. */
static bool starts_operand(Fe *fe, TSNode t) {
    switch (kind_of(t)) {
    case K_identifier:
        return !is_hard_keyword(fe, t);
    case K_integer: case K_float: case K_true: case K_false:
    case K_none: case K_ellipsis: case K_string_start:
        return true;
    default:
        return is_tok(t, "(") || is_tok(t, "[") || is_tok(t, "{") || is_tok(t, "lambda") ||
               is_tok(t, "not");
    }
}

static TSNode first_leaf(TSNode n) {
    while (ts_node_child_count(n) > 0)
        n = ts_node_child(n, 0);
    return n;
}

static TSNode sibling(TSNode n, bool next) {
    do
        n = next ? ts_node_next_sibling(n) : ts_node_prev_sibling(n);
    while (!ts_node_is_null(n) && ts_node_is_extra(n));
    return n;
}

/* Two operands side by side inside brackets, "f(a b)": CPython's "invalid
 * syntax. Perhaps you forgot a comma?", placed at the first operand. */
static bool err_missing_comma(Fe *fe, TSNode err, int k) {
    if (!starts_operand(fe, first_leaf(err)))
        return false;
    TSNode child = err, a = ts_node_parent(err);
    while (!ts_node_is_null(a) && !is_bracket(kind_of(a))) {
        child = a;
        a = ts_node_parent(a);
    }
    if (ts_node_is_null(a))
        return false;
    TSNode first = child;                    /* the first of the two operands */
    if (ts_node_eq(child, err)) {
        TSNode prev = sibling(err, false), next = sibling(err, true);
        if (!ts_node_is_null(prev) && ts_node_is_named(prev) && kind_of(prev) != K_ERROR)
            first = prev;                    /* [a b]: the error is b */
        else if (!ts_node_is_null(next) && ts_node_is_named(next) && starts_operand(fe, first_leaf(next)))
            first = err;                     /* [a b]: the error is a */
        else
            return false;
    }
    uint32_t off = ts_node_start_byte(first);
    if (k >= 0 && off < fe->ll[k].start)
        return false;
    syntax_err(fe, 1, off, ts_node_end_byte(err), "invalid syntax. Perhaps you forgot a comma?")
        ->anchor = k >= 0 ? fe->ll[k].start : anchor_of(fe, off);
    return true;
}

/* Turns the first ERROR/MISSING node into one syntax error. `k` is the
 * logical line where CPython's parser fails (report_first_error()), or -1 when
 * unknown; the error is placed on that line. */
static void report_ts_error(Fe *fe, TSNode root, int k) {
    TSNode err = first_error(root);
    if (ts_node_is_null(err)) {
        uint32_t off = hidden_error_offset(root);
        syntax_err(fe, 1, off, 0, "invalid syntax")->anchor =
            k >= 0 ? fe->ll[k].start : anchor_of(fe, off);
        return;
    }
    uint32_t start = ts_node_start_byte(err);
    uint32_t cut = k >= 0 ? fe->ll[k].end : (uint32_t)fe->n;
    if (k >= 0 && start >= cut) {
        /* the trouble shows only once the line has ended */
        syntax_err(fe, 1, cut, 0, "invalid syntax")->anchor = fe->ll[k].start;
        return;
    }
    if (ts_node_is_missing(err)) {
        const char *t = ts_node_type(err);
        syntax_err(fe, 1, start, 0, !strcmp(t, ":") ? "expected ':'" : "invalid syntax")
            ->anchor = k >= 0 ? fe->ll[k].start : anchor_of(fe, start);
        return;
    }
    if (err_bad_target(fe, err) || err_bad_augassign(fe, err) || err_in_fstring(fe, err, k) ||
        err_broken_fstring(fe, err, k) || err_missing_comma(fe, err, k))
        return;
    bool ends_line;
    TSNode leaf = last_leaf_on_line(fe, err, &ends_line);
    uint32_t s = ends_line ? ts_node_end_byte(leaf) : ts_node_start_byte(leaf);
    if (ts_node_eq(leaf, err))
        s = start;
    if (k >= 0 && (s < fe->ll[k].start || s > cut))
        s = fe->ll[k].start;
    syntax_err(fe, 1, s, 0, "invalid syntax")->anchor =
        k >= 0 ? fe->ll[k].start : anchor_of(fe, start);
}

/* ---- where does CPython's parser fail? ------------------------------------------ */

/* tree-sitter's ERROR nodes mark a region, and the region often starts well
 * before the token CPython fails on (it may wrap the whole enclosing
 * function). CPython fails on the first logical line that no valid program
 * can continue. We find that line by bisection: parse the file cut after
 * logical line k, with the few constructs a cut leaves incomplete completed
 * (a "try" still waiting for its "except", a decorator waiting for its
 * "def"); the first k whose completed prefix has an error is the line. */

/* The indentation bytes before the first token at `off`. */
static void put_indent(Fe *fe, Str *out, uint32_t off) {
    uint32_t b = off;
    while (b > 0 && fe->s[b - 1] != '\n')
        b--;
    str_putn(out, fe->s + b, off - b);
}

/* The file cut after logical line k, completed. *try_gap receives the
 * logical line that ends a "try" body without an except or finally (-1). */
static char *completed_prefix(Fe *fe, int k, size_t *len, int *try_gap) {
    Str out = {0};
    str_putn(&out, parse_text(fe), fe->ll[k].end);
    str_putc(&out, '\n');
    struct Open { int col; bool try_pending; uint32_t start; } *st =
        malloc(sizeof(struct Open) * (size_t)(k + 1));
    if (!st)
        diag_fatal("out of memory");
    int sp = 0;
    *try_gap = -1;
    for (int i = 0; i <= k; i++) {
        const LLInfo *l = &fe->ll[i];
        bool handler = l->kw == KW_EXCEPT || l->kw == KW_FINALLY;
        while (sp > 0 && (st[sp - 1].col > l->col || st[sp - 1].col == l->col)) {
            /* closed, or continued by a clause (else, except, ...) */
            if (st[sp - 1].try_pending && !(st[sp - 1].col == l->col && handler) &&
                *try_gap < 0)
                *try_gap = i;
            sp--;
            if (st[sp].col == l->col)
                break;
        }
        if (l->opens || l->kw == KW_TRY)    /* "try: x" on one line waits too */
            st[sp++] = (struct Open){ l->col, l->kw == KW_TRY, l->start };
    }
    if (fe->ll[k].deco) {
        put_indent(fe, &out, fe->ll[k].start);
        str_puts(&out, "def _():pass\n");
    }
    bool pending = false;
    for (int j = sp - 1; j >= 0; j--)
        if (st[j].try_pending) {
            put_indent(fe, &out, st[j].start);
            str_puts(&out, "except:pass\n");
            pending = true;
        }
    if (pending && k == fe->nll - 1 && *try_gap < 0)
        *try_gap = fe->nll;      /* the file ends inside a try body */
    free(st);
    *len = out.len;
    return out.data;
}

/* Parses the completed prefix through logical line k. Returns the tree when
 * it has an error (and want), else NULL. */
static bool prefix_bad(Fe *fe, size_t start, int k, TSTree **want, int *try_gap) {
    size_t len;
    int gap;
    char *buf = completed_prefix(fe, k, &len, &gap);
    if (try_gap)
        *try_gap = gap;
    SrcFile pre = *fe->src;
    pre.text = buf;
    pre.len = len;
    TSTree *t = ts_parse(&pre, start);
    free(buf);
    bool bad = !t || ts_node_has_error(ts_tree_root_node(t));
    if (bad && want)
        *want = t;
    else if (t)
        ts_tree_delete(t);
    return bad;
}

/* Reports the first tree-sitter error, on the logical line CPython would
 * fail on. The whole file's tree `t` has an error. */
static void report_first_error(Fe *fe, TSTree *t, size_t start) {
    int lo = 0, hi = fe->nll - 1, gap = -1;
    if (hi < 0) {
        report_ts_error(fe, ts_tree_root_node(t), -1);
        return;
    }
    if (!prefix_bad(fe, start, hi, NULL, &gap)) {
        /* Every recorded line is fine: the trouble comes after them. Either
         * the pre-lexer stopped at a tokenizer error (which CPython then
         * reports), or the file ends inside a try body. */
        if (gap == fe->nll)
            syntax_err(fe, 1, eof_off(fe), 0, "expected 'except' or 'finally' block")
                ->anchor = fe->ll[hi].start;
        else if (!has_err(fe, EC_TOK_SOFT) && !has_err(fe, EC_TOK_EOF))
            syntax_err(fe, 1, eof_off(fe), 0, "invalid syntax")->anchor = fe->ll[hi].start;
        return;
    }
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (prefix_bad(fe, start, mid, NULL, NULL))
            hi = mid;
        else
            lo = mid + 1;
    }
    TSTree *bad = NULL;
    if (!prefix_bad(fe, start, lo, &bad, &gap) || !bad) {
        report_ts_error(fe, ts_tree_root_node(t), -1);
        return;
    }
    if (gap == lo)
        syntax_err(fe, 1, fe->ll[lo].start, 0, "expected 'except' or 'finally' block")
            ->anchor = fe->ll[lo].start;
    else
        report_ts_error(fe, ts_tree_root_node(bad), lo);
    ts_tree_delete(bad);
}

/* ==== stage 4: lowering the CST to our AST ======================================== */

static Node *lw_expr(Fe *fe, TSNode n, ExprCtx ctx);
static void  lw_block(Fe *fe, TSNode n, NodeList *out);
static Node *lw_strings(Fe *fe, TSNode n);

static Node *mk(Fe *fe, NodeKind k, TSNode n) {
    return ast_new(fe->a, k, fe_loc(ts_node_start_point(n)), fe_loc(ts_node_end_point(n)));
}

/* A syntax error found while lowering; `n` is where the caret goes. */
static void lw_error(Fe *fe, TSNode n, const char *msg) {
    uint32_t s = ts_node_start_byte(n);
    syntax_err(fe, 2, s, ts_node_end_byte(n), msg)->anchor = anchor_of(fe, s);
}

/* Valid Python that our AST cannot represent (match, except*). */
static void lw_unsupported(Fe *fe, TSNode n, const char *msg) {
    add_err(fe, EC_UNSUP, ts_node_start_byte(n), ts_node_end_byte(n), msg);
}

/* A stand-in for a construct already reported as an error. */
static Node *lw_bad(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_NAME, n);
    x->name.id = "<error>";
    return x;
}

static const char *const hard_keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield",
};

static bool is_hard_keyword(Fe *fe, TSNode t) {
    uint32_t s = ts_node_start_byte(t), e = ts_node_end_byte(t);
    for (size_t i = 0; i < sizeof hard_keywords / sizeof hard_keywords[0]; i++)
        if (strlen(hard_keywords[i]) == e - s && !memcmp(hard_keywords[i], fe->s + s, e - s))
            return true;
    return false;
}

/* NAME (Lang. Ref. 2.3). tree-sitter's recovery sometimes lets a keyword
 * through as a name ("else:" read as an annotation); CPython rejects it. */
static const char *lw_ident(Fe *fe, TSNode n) {
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    const char *id = ar_strndup(fe->a, fe->s + s, e - s);
    if (e - s >= 2 && e - s <= 8 && strchr("FNTabcdefgilnoprtwy", id[0]) && is_hard_keyword(fe, n))
        lw_error(fe, n, "invalid syntax");
    return id;
}

static Node *lw_name(Fe *fe, TSNode n, ExprCtx ctx) {
    Node *x = mk(fe, ND_NAME, n);
    x->name.id = lw_ident(fe, n);
    x->name.ctx = ctx;
    return x;
}

/* CPython's name for an expression in "cannot assign to ..." messages. */
static const char *expr_name(const Node *e) {
    switch (e->kind) {
    case ND_ATTRIBUTE: return "attribute";
    case ND_SUBSCRIPT: return "subscript";
    case ND_STARRED:   return "starred";
    case ND_NAME:      return "name";
    case ND_LIST:      return "list";
    case ND_TUPLE:     return "tuple";
    case ND_LAMBDA:    return "lambda";
    case ND_CALL:      return "function call";
    case ND_BOOLOP: case ND_BINOP: case ND_UNARYOP: return "expression";
    case ND_GENEXP:    return "generator expression";
    case ND_YIELD: case ND_YIELDFROM: return "yield expression";
    case ND_AWAIT:     return "await expression";
    case ND_LISTCOMP:  return "list comprehension";
    case ND_SETCOMP:   return "set comprehension";
    case ND_DICTCOMP:  return "dict comprehension";
    case ND_DICT:      return "dict literal";
    case ND_SET:       return "set display";
    case ND_JOINEDSTR: case ND_FORMATTED: return "f-string expression";
    case ND_COMPARE:   return "comparison";
    case ND_IFEXP:     return "conditional expression";
    case ND_NAMEDEXPR: return "named expression";
    case ND_CONST:
        switch (e->constant.kind) {
        case CONST_NONE:     return "None";
        case CONST_TRUE:     return "True";
        case CONST_FALSE:    return "False";
        case CONST_ELLIPSIS: return "ellipsis";
        default:             return "literal";
        }
    default:           return "expression";
    }
}

/* ---- literals ---------------------------------------------------------------- */

/* Copies a numeric literal without its underscores. */
static char *digits_of(Fe *fe, TSNode n, size_t *len) {
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    char *d = ar_alloc(fe->a, e - s + 1);
    size_t k = 0;
    for (uint32_t i = s; i < e; i++)
        if (fe->s[i] != '_')
            d[k++] = fe->s[i];
    d[k] = '\0';
    *len = k;
    return d;
}

static Node *lw_imaginary(Fe *fe, TSNode n, char *d, size_t len) {
    d[len - 1] = '\0';
    Node *x = mk(fe, ND_CONST, n);
    x->constant.kind = CONST_COMPLEX;
    x->constant.f64 = strtod(d, NULL);
    return x;
}

/* integer: decinteger | bininteger | octinteger | hexinteger   (Lang. Ref. 2.4.5)
 * Values past int64 keep their decimal digits (computed with GMP). */
static Node *lw_integer(Fe *fe, TSNode n) {
    size_t len;
    char *d = digits_of(fe, n, &len);
    if (len && (d[len - 1] == 'j' || d[len - 1] == 'J'))
        return lw_imaginary(fe, n, d, len);
    if (len && (d[len - 1] == 'l' || d[len - 1] == 'L')) {
        lw_error(fe, n, "invalid decimal literal");
        return lw_bad(fe, n);
    }
    int base = 10;
    const char *p = d;
    if (len > 1 && d[0] == '0' && strchr("xXoObB", d[1])) {
        base = d[1] == 'x' || d[1] == 'X' ? 16 : d[1] == 'o' || d[1] == 'O' ? 8 : 2;
        p += 2;
    }
    Node *x = mk(fe, ND_CONST, n);
    x->constant.kind = CONST_INT;
    mpz_t z;
    if (mpz_init_set_str(z, p, base) != 0) {
        mpz_clear(z);
        lw_error(fe, n, "invalid syntax");
        return x;
    }
    if (mpz_fits_slong_p(z) && sizeof(long) >= sizeof(int64_t)) {
        x->constant.fits = true;
        x->constant.i64 = mpz_get_si(z);
    } else {
        char *buf = ar_alloc(fe->a, mpz_sizeinbase(z, 10) + 2);
        mpz_get_str(buf, 10, z);
        x->constant.digits = buf;
    }
    mpz_clear(z);
    return x;
}

/* floatnumber | imagnumber   (Lang. Ref. 2.4.6, 2.4.7) */
static Node *lw_float(Fe *fe, TSNode n) {
    size_t len;
    char *d = digits_of(fe, n, &len);
    if (len && (d[len - 1] == 'j' || d[len - 1] == 'J'))
        return lw_imaginary(fe, n, d, len);
    Node *x = mk(fe, ND_CONST, n);
    x->constant.kind = CONST_FLOAT;
    x->constant.f64 = strtod(d, NULL);
    return x;
}

static Node *lw_const(Fe *fe, TSNode n, ConstKind k) {
    Node *x = mk(fe, ND_CONST, n);
    x->constant.kind = k;
    return x;
}

/* ---- operators ---------------------------------------------------------------- */

static const struct { const char *text; BinOpKind op; } binops[] = {
    {"+", OP_ADD}, {"-", OP_SUB}, {"*", OP_MULT}, {"@", OP_MATMULT}, {"/", OP_DIV},
    {"%", OP_MOD}, {"**", OP_POW}, {"<<", OP_LSHIFT}, {">>", OP_RSHIFT}, {"|", OP_BITOR},
    {"^", OP_BITXOR}, {"&", OP_BITAND}, {"//", OP_FLOORDIV},
};

/* The operator of "+" or of "+=" (aug: ignore the trailing '='). */
static bool binop_of(Fe *fe, TSNode op, bool aug, BinOpKind *out) {
    uint32_t s = ts_node_start_byte(op), e = ts_node_end_byte(op);
    if (aug && e > s)
        e--;
    for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++)
        if (strlen(binops[i].text) == e - s && !memcmp(binops[i].text, fe->s + s, e - s)) {
            *out = binops[i].op;
            return true;
        }
    return false;
}

/* Binding power of the binary operators, weakest first (Lang. Ref. 6.17). */
static int binop_prec(BinOpKind op) {
    switch (op) {
    case OP_BITOR:  return 1;
    case OP_BITXOR: return 2;
    case OP_BITAND: return 3;
    case OP_LSHIFT: case OP_RSHIFT: return 4;
    case OP_ADD: case OP_SUB: return 5;
    case OP_POW:    return 7;
    default:        return 6;   /* * @ / // % */
    }
}

/* a_expr, m_expr, power, shift_expr, and_expr, xor_expr, or_expr   (Lang. Ref. 6.5-6.9)
 * tree-sitter-python 0.23 gives '^' a higher precedence than '&' (Python:
 * '&' binds tighter). So a chain of unparenthesized binary operators is
 * flattened to operands and operators, in source order, and rebuilt with
 * Python's precedence (shunting-yard; '**' is right-associative). This is
 * iterative: "1 + 1 + ... + 1" can be thousands of terms long. */
typedef struct BinChain {
    TSNode    *operands;
    BinOpKind *ops;
    int        n;        /* operands; ops has n - 1 */
} BinChain;

static bool flatten_binop(Fe *fe, TSNode n, BinChain *c) {
    int cap = 16, sp = 0, scap = 16;
    c->operands = malloc(sizeof(TSNode) * (size_t)cap);
    c->ops = malloc(sizeof(BinOpKind) * (size_t)cap);
    TSNode *stack = malloc(sizeof(TSNode) * (size_t)scap);
    if (!c->operands || !c->ops || !stack)
        diag_fatal("out of memory");
    c->n = 0;
    bool ok = true;
    TSNode cur = n;
    for (;;) {   /* in-order walk over binary_operator nodes */
        while (kind_of(cur) == K_binary_operator && !(fe->hoist.id && ts_node_eq(cur, fe->hoist))) {
            if (sp == scap && !(stack = realloc(stack, sizeof(TSNode) * (size_t)(scap *= 2))))
                diag_fatal("out of memory");
            stack[sp++] = cur;
            cur = field(cur, F.left);
        }
        if (c->n == cap) {
            cap *= 2;
            c->operands = realloc(c->operands, sizeof(TSNode) * (size_t)cap);
            c->ops = realloc(c->ops, sizeof(BinOpKind) * (size_t)cap);
            if (!c->operands || !c->ops)
                diag_fatal("out of memory");
        }
        c->operands[c->n++] = cur;
        if (sp == 0)
            break;
        TSNode parent = stack[--sp];
        TSNode op = field(parent, F.operator);
        if (ts_node_is_null(op) || !binop_of(fe, op, false, &c->ops[c->n - 1]))
            ok = false;
        cur = field(parent, F.right);
    }
    free(stack);
    return ok;
}

static Node *binop_node(Fe *fe, Node *l, BinOpKind op, Node *r) {
    Node *b = ast_new(fe->a, ND_BINOP, l->loc, r->end);
    b->binop.left = l;
    b->binop.op = op;
    b->binop.right = r;
    return b;
}

static Node *lw_binop(Fe *fe, TSNode n) {
    BinChain c;
    if (!flatten_binop(fe, n, &c)) {
        free(c.operands);
        free(c.ops);
        lw_error(fe, n, "invalid syntax");
        return lw_bad(fe, n);
    }
    if (fe->depth + c.n > FE_MAX_DEPTH) {
        free(c.operands);
        free(c.ops);
        if (!fe->too_deep)
            lw_error(fe, n, "too many nested expressions (mp2c's limit is 1000 levels)");
        fe->too_deep = true;
        return lw_bad(fe, n);
    }
    Node **vals = malloc(sizeof(Node *) * (size_t)c.n);
    BinOpKind *ops = malloc(sizeof(BinOpKind) * (size_t)c.n);
    if (!vals || !ops)
        diag_fatal("out of memory");
    int nv = 0, no = 0;
    for (int i = 0; i < c.n; i++) {
        vals[nv++] = lw_expr(fe, c.operands[i], CTX_LOAD);
        if (i == c.n - 1)
            break;
        BinOpKind op = c.ops[i];
        while (no > 0 && (binop_prec(ops[no - 1]) > binop_prec(op) ||
                          (binop_prec(ops[no - 1]) == binop_prec(op) && op != OP_POW))) {
            nv--;
            vals[nv - 1] = binop_node(fe, vals[nv - 1], ops[--no], vals[nv]);
        }
        ops[no++] = op;
    }
    while (no > 0) {
        nv--;
        vals[nv - 1] = binop_node(fe, vals[nv - 1], ops[--no], vals[nv]);
    }
    Node *x = vals[0];
    free(vals);
    free(ops);
    free(c.operands);
    free(c.ops);
    return x;
}

/* u_expr: "-" u_expr | "+" u_expr | "~" u_expr   (Lang. Ref. 6.6) */
static Node *lw_unary(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_UNARYOP, n);
    TSNode op = field(n, F.operator);
    char c = ts_node_is_null(op) ? '?' : fe->s[ts_node_start_byte(op)];
    x->unaryop.op = c == '-' ? UOP_USUB : c == '+' ? UOP_UADD : UOP_INVERT;
    x->unaryop.operand = lw_expr(fe, field(n, F.argument), CTX_LOAD);
    return x;
}

/* not_test: "not" not_test   (Lang. Ref. 6.11) */
static Node *lw_not(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_UNARYOP, n);
    x->unaryop.op = UOP_NOT;
    x->unaryop.operand = lw_expr(fe, field(n, F.argument), CTX_LOAD);
    return x;
}

/* or_test / and_test   (Lang. Ref. 6.11). "a and b and c" is one BoolOp with
 * three values, as in CPython; tree-sitter nests it to the left, so we walk
 * down the left spine (iteratively: chains can be thousands long). */
static Node *lw_boolop(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_BOOLOP, n);
    TSNode op = field(n, F.operator);
    bool is_and = !ts_node_is_null(op) && is_tok(op, "and");
    x->boolop.op = is_and ? BOOL_AND : BOOL_OR;
    int count = 1;
    TSNode left = n;
    while (kind_of(left) == K_boolean_operator) {
        TSNode o = field(left, F.operator);
        if (ts_node_is_null(o) || is_tok(o, "and") != is_and)
            break;
        count++;
        left = field(left, F.left);
    }
    x->boolop.values.items = ar_alloc(fe->a, sizeof(Node *) * (size_t)(count < 4 ? 4 : count));
    x->boolop.values.len = count;
    TSNode cur = n;
    for (int i = count - 1; i > 0; i--) {
        x->boolop.values.items[i] = lw_expr(fe, field(cur, F.right), CTX_LOAD);
        cur = field(cur, F.left);
    }
    x->boolop.values.items[0] = lw_expr(fe, left, CTX_LOAD);
    return x;
}

static const struct { const char *text; CmpOpKind op; } cmpops[] = {
    {"==", CMP_EQ}, {"!=", CMP_NOTEQ}, {"<", CMP_LT}, {"<=", CMP_LTE}, {">", CMP_GT},
    {">=", CMP_GTE}, {"is", CMP_IS}, {"is not", CMP_ISNOT}, {"in", CMP_IN}, {"not in", CMP_NOTIN},
};

/* comparison: or_expr (comp_operator or_expr)*   (Lang. Ref. 6.10) */
static Node *lw_compare(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_COMPARE, n);
    Kids k = kids_of(fe, n);
    x->compare.ops = ar_alloc(fe->a, sizeof(CmpOpKind) * (size_t)(k.n + 1));
    int nops = 0;
    bool first = true;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (k.k[i].field == F.operators) {
            const char *t = ts_node_type(c);
            size_t j = 0;
            while (j < sizeof cmpops / sizeof cmpops[0] && strcmp(cmpops[j].text, t))
                j++;
            if (j == sizeof cmpops / sizeof cmpops[0]) {
                lw_error(fe, c, "invalid syntax");   /* "<>", Python 2 */
                j = 0;
            }
            x->compare.ops[nops++] = cmpops[j].op;
        } else if (ts_node_is_named(c)) {
            Node *e = lw_expr(fe, c, CTX_LOAD);
            if (first)
                x->compare.left = e;
            else
                ast_list_push(fe->a, &x->compare.comparators, e);
            first = false;
        }
    }
    if (!x->compare.left || nops != x->compare.comparators.len) {
        lw_error(fe, n, "invalid syntax");
        if (!x->compare.left)
            x->compare.left = lw_bad(fe, n);
    }
    return x;
}

/* conditional_expression: or_test ["if" or_test "else" expression]   (6.13) */
static Node *lw_ifexp(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_IFEXP, n);
    TSNode part[3];
    int np = 0;
    Kids k = kids_of(fe, n);
    for (int i = 0; i < k.n && np < 3; i++)
        if (ts_node_is_named(k.k[i].node))
            part[np++] = k.k[i].node;
    if (np != 3) {
        lw_error(fe, n, "expected 'else' after 'if' expression");
        return x;
    }
    x->ifexp.body = lw_expr(fe, part[0], CTX_LOAD);
    x->ifexp.test = lw_expr(fe, part[1], CTX_LOAD);
    x->ifexp.orelse = lw_expr(fe, part[2], CTX_LOAD);
    return x;
}

/* assignment_expression: identifier ":=" expression   (6.12) */
static Node *lw_walrus(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_NAMEDEXPR, n);
    x->namedexpr.target = lw_name(fe, field(n, F.name), CTX_STORE);
    x->namedexpr.value = lw_expr(fe, field(n, F.value), CTX_LOAD);
    return x;
}

/* await_expr: "await" primary   (6.4) */
static Node *lw_await(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_AWAIT, n);
    TSNode v = named_kid(n, 0);
    x->await.value = ts_node_is_null(v) ? lw_bad(fe, n) : lw_expr(fe, v, CTX_LOAD);
    return x;
}

/* yield_expression: "yield" [expression_list | "from" expression]   (6.2.9) */
static Node *lw_yield(Fe *fe, TSNode n) {
    Kids k = kids_of(fe, n);
    bool from = false;
    TSNode val = { {0}, NULL, NULL };
    for (int i = 0; i < k.n; i++) {
        if (is_tok(k.k[i].node, "from"))
            from = true;
        else if (ts_node_is_named(k.k[i].node))
            val = k.k[i].node;
    }
    Node *x = mk(fe, from ? ND_YIELDFROM : ND_YIELD, n);
    if (!ts_node_is_null(val))
        x->yield.value = lw_expr(fe, val, CTX_LOAD);
    else if (from)
        x->yield.value = lw_bad(fe, n);
    return x;
}

/* attributeref: primary "." identifier   (6.3.1) */
static Node *lw_attribute(Fe *fe, TSNode n, ExprCtx ctx) {
    Node *x = mk(fe, ND_ATTRIBUTE, n);
    x->attribute.value = lw_expr(fe, field(n, F.object), CTX_LOAD);
    x->attribute.attr = lw_ident(fe, field(n, F.attribute));
    x->attribute.ctx = ctx;
    return x;
}

/* proper_slice: [lower] ":" [upper] [ ":" [stride] ]   (6.3.3) */
static Node *lw_slice(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_SLICE, n);
    Kids k = kids_of(fe, n);
    int colons = 0;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (is_tok(c, ":")) {
            if (++colons > 2)
                lw_error(fe, c, "invalid syntax");
        } else if (ts_node_is_named(c)) {
            Node *e = lw_expr(fe, c, CTX_LOAD);
            if (colons == 0)
                x->slice.lower = e;
            else if (colons == 1)
                x->slice.upper = e;
            else
                x->slice.step = e;
        }
    }
    return x;
}

/* subscription / slicing: primary "[" slices "]"   (6.3.2, 6.3.3).
 * Several items, a trailing comma or a starred item make a Tuple. */
static Node *lw_subscript(Fe *fe, TSNode n, ExprCtx ctx) {
    Node *x = mk(fe, ND_SUBSCRIPT, n);
    x->subscript.value = lw_expr(fe, field(n, F.value), CTX_LOAD);
    x->subscript.ctx = ctx;
    Kids k = kids_of(fe, n);
    NodeList items = {0};
    bool comma = false, star = false;
    TSNode first = n, last = n;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (k.k[i].field == F.subscript) {
            Node *e = kind_of(c) == K_slice ? lw_slice(fe, c) : lw_expr(fe, c, CTX_LOAD);
            star = star || e->kind == ND_STARRED;
            if (!items.len)
                first = c;
            last = c;
            ast_list_push(fe->a, &items, e);
        } else if (is_tok(c, ",")) {
            comma = true;
        }
    }
    if (items.len == 0) {
        lw_error(fe, n, "invalid syntax");
        x->subscript.slice = lw_bad(fe, n);
    } else if (items.len == 1 && !comma && !star) {
        x->subscript.slice = items.items[0];
    } else {
        Node *t = ast_new(fe->a, ND_TUPLE, fe_loc(ts_node_start_point(first)),
                          fe_loc(ts_node_end_point(last)));
        t->list.elts = items;
        x->subscript.slice = t;
    }
    return x;
}

/* ---- calls ---------------------------------------------------------------------- */

/* argument_list: positional, *iterable, name=value, **mapping   (6.3.4),
 * with CPython's ordering rules. */
static void lw_arguments(Fe *fe, TSNode n, NodeList *args, NodeList *kws) {
    Kids k = kids_of(fe, n);
    bool seen_kw = false, seen_dstar = false;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (!ts_node_is_named(c))
            continue;
        switch (kind_of(c)) {
        case K_keyword_argument: {
            Node *kw = mk(fe, ND_KEYWORD, c);
            kw->keyword.arg = lw_ident(fe, field(c, F.name));
            kw->keyword.value = lw_expr(fe, field(c, F.value), CTX_LOAD);
            ast_list_push(fe->a, kws, kw);
            seen_kw = true;
            break;
        }
        case K_dictionary_splat: {
            Node *kw = mk(fe, ND_KEYWORD, c);
            TSNode v = named_kid(c, 0);
            kw->keyword.value = ts_node_is_null(v) ? lw_bad(fe, c) : lw_expr(fe, v, CTX_LOAD);
            ast_list_push(fe->a, kws, kw);
            seen_dstar = true;
            break;
        }
        case K_list_splat:
            if (seen_dstar)
                lw_error(fe, c, "iterable argument unpacking follows keyword argument unpacking");
            ast_list_push(fe->a, args, lw_expr(fe, c, CTX_LOAD));
            break;
        default:
            if (seen_dstar)
                lw_error(fe, c, "positional argument follows keyword argument unpacking");
            else if (seen_kw)
                lw_error(fe, c, "positional argument follows keyword argument");
            ast_list_push(fe->a, args, lw_expr(fe, c, CTX_LOAD));
            break;
        }
    }
}

/* call: primary "(" [argument_list [","] | comprehension] ")"   (6.3.4) */
static Node *lw_call(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_CALL, n);
    x->call.func = lw_expr(fe, field(n, F.function), CTX_LOAD);
    TSNode a = field(n, F.arguments);
    if (ts_node_is_null(a))
        lw_error(fe, n, "invalid syntax");
    else if (kind_of(a) == K_generator_expression)
        ast_list_push(fe->a, &x->call.args, lw_expr(fe, a, CTX_LOAD));
    else
        lw_arguments(fe, a, &x->call.args, &x->call.keywords);
    return x;
}

/* ---- displays and comprehensions ------------------------------------------------ */

/* The items of a list, tuple, set or target list, in order. */
static void lw_items(Fe *fe, TSNode n, ExprCtx ctx, NodeList *out) {
    Kids k = kids_of(fe, n);
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (!ts_node_is_named(c))
            continue;
        if (kind_of(c) == K_yield && kind_of(n) != K_expression_statement)
            lw_error(fe, c, "invalid syntax");    /* [a, yield b]: needs parentheses */
        ast_list_push(fe->a, out, lw_expr(fe, c, ctx));
    }
}

static bool has_comma(TSNode n) {
    uint32_t cnt = ts_node_child_count(n);
    for (uint32_t i = 0; i < cnt; i++)
        if (is_tok(ts_node_child(n, i), ","))
            return true;
    return false;
}

/* list_display, parenthesized tuple, expression_list, target_list   (6.2.3-6.2.5, 7.2)
 * tree-sitter calls the target "(x)" a tuple_pattern; without a comma it is
 * just a parenthesized name. */
static Node *lw_seq(Fe *fe, TSNode n, NodeKind kind, ExprCtx ctx) {
    if (kind_of(n) == K_tuple_pattern && named_kid_count(n) == 1 && !has_comma(n))
        return lw_expr(fe, named_kid(n, 0), ctx);
    Node *x = mk(fe, kind, n);
    x->list.ctx = ctx;
    lw_items(fe, n, ctx, &x->list.elts);
    return x;
}

/* set_display: "{" starred_list "}"   (6.2.6) */
static Node *lw_set(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_SET, n);
    lw_items(fe, n, CTX_LOAD, &x->set.elts);
    return x;
}

/* dict_display: "{" [key_datum ("," key_datum)* [","]] "}"   (6.2.7) */
static Node *lw_dict(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_DICT, n);
    Kids k = kids_of(fe, n);
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (kind_of(c) == K_pair) {
            ast_list_push(fe->a, &x->dict.keys, lw_expr(fe, field(c, F.key), CTX_LOAD));
            ast_list_push(fe->a, &x->dict.values, lw_expr(fe, field(c, F.value), CTX_LOAD));
        } else if (kind_of(c) == K_dictionary_splat) {
            TSNode v = named_kid(c, 0);
            ast_list_push(fe->a, &x->dict.keys, NULL);
            ast_list_push(fe->a, &x->dict.values,
                          ts_node_is_null(v) ? lw_bad(fe, c) : lw_expr(fe, v, CTX_LOAD));
        } else if (ts_node_is_named(c)) {
            lw_error(fe, c, "':' expected after dictionary key");
        }
    }
    return x;
}

/* comp_for: ["async"] "for" target_list "in" or_test [comp_iter]   (6.2.4).
 * Each for_in_clause starts a comprehension; if_clauses join the last one. */
static void lw_generators(Fe *fe, TSNode n, NodeList *gens) {
    Kids k = kids_of(fe, n);
    Node *cur = NULL;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (kind_of(c) == K_for_in_clause) {
            cur = mk(fe, ND_COMPREHENSION, c);
            Kids f = kids_of(fe, c);
            int nright = 0;
            TSNode right = c;
            for (int j = 0; j < f.n; j++) {
                if (is_tok(f.k[j].node, "async"))
                    cur->comprehension.is_async = true;
                if (f.k[j].field == F.right && ts_node_is_named(f.k[j].node)) {
                    if (nright++ == 0)
                        right = f.k[j].node;
                } else if (f.k[j].field == F.right && is_tok(f.k[j].node, ",")) {
                    lw_error(fe, f.k[j].node, "invalid syntax");   /* [x for x in 1, 2] */
                }
            }
            cur->comprehension.target = lw_expr(fe, field(c, F.left), CTX_STORE);
            cur->comprehension.iter = nright ? lw_expr(fe, right, CTX_LOAD) : lw_bad(fe, c);
            ast_list_push(fe->a, gens, cur);
        } else if (kind_of(c) == K_if_clause && cur) {
            TSNode t = named_kid(c, 0);
            ast_list_push(fe->a, &cur->comprehension.ifs,
                          ts_node_is_null(t) ? lw_bad(fe, c) : lw_expr(fe, t, CTX_LOAD));
        }
    }
}

/* list/set/dict comprehensions and generator expressions   (6.2.4-6.2.8) */
static Node *lw_comp(Fe *fe, TSNode n, NodeKind kind) {
    Node *x = mk(fe, kind, n);
    TSNode body = field(n, F.body);
    if (kind == ND_DICTCOMP) {
        if (kind_of(body) == K_pair) {
            x->comp.key = lw_expr(fe, field(body, F.key), CTX_LOAD);
            x->comp.value = lw_expr(fe, field(body, F.value), CTX_LOAD);
        } else {
            lw_error(fe, body, "dict unpacking cannot be used in dict comprehension");
            x->comp.key = x->comp.value = lw_bad(fe, n);
        }
    } else {
        x->comp.elt = lw_expr(fe, body, CTX_LOAD);
    }
    lw_generators(fe, n, &x->comp.generators);
    return x;
}

/* "(" expression ")": the inner expression, except that "(yield)" and "()"
 * need no special case here (tree-sitter gives them their own nodes). */
static Node *lw_paren(Fe *fe, TSNode n, ExprCtx ctx) {
    TSNode inner = named_kid(n, 0);
    if (ts_node_is_null(inner)) {
        lw_error(fe, n, "invalid syntax");
        return lw_bad(fe, n);
    }
    if (kind_of(inner) == K_list_splat)
        lw_error(fe, inner, "cannot use starred expression here");
    return lw_expr(fe, inner, ctx);
}

/* "*" expression */
static Node *lw_starred(Fe *fe, TSNode n, ExprCtx ctx) {
    Node *x = mk(fe, ND_STARRED, n);
    TSNode v = named_kid(n, 0);
    x->starred.value = ts_node_is_null(v) ? lw_bad(fe, n) : lw_expr(fe, v, ctx);
    x->starred.ctx = ctx;
    return x;
}

/* ---- parameters and lambda ---------------------------------------------------------- */

typedef struct Params {
    Node *args;              /* ND_ARGUMENTS being filled */
    bool  star, slash, kwarg, pos_default;
    TSNode bare_star;
    bool  bare_star_open;    /* "*" seen and no keyword-only parameter after it yet */
} Params;

static Node *lw_arg(Fe *fe, TSNode at, TSNode name, TSNode type) {
    Node *a = mk(fe, ND_ARG, at);
    a->arg.name = lw_ident(fe, name);
    if (!ts_node_is_null(type))
        a->arg.annotation = lw_expr(fe, type, CTX_LOAD);
    return a;
}

/* One positional-or-keyword or keyword-only parameter, with its default. */
static void param_plain(Fe *fe, Params *p, TSNode at, TSNode name, TSNode type, TSNode def) {
    Node *args = p->args;
    if (kind_of(name) != K_identifier) {
        lw_error(fe, name, "invalid syntax");   /* def f((a, b)): Python 2 */
        return;
    }
    Node *a = lw_arg(fe, at, name, type);
    Node *d = ts_node_is_null(def) ? NULL : lw_expr(fe, def, CTX_LOAD);
    if (p->star) {
        ast_list_push(fe->a, &args->arguments.kwonlyargs, a);
        ast_list_push(fe->a, &args->arguments.kw_defaults, d);
        p->bare_star_open = false;
        return;
    }
    if (!d && p->pos_default)
        lw_error(fe, at, "non-default argument follows default argument");
    if (d) {
        p->pos_default = true;
        ast_list_push(fe->a, &args->arguments.defaults, d);
    }
    ast_list_push(fe->a, &args->arguments.args, a);
}

/* *args or **kwargs, maybe annotated. */
static void param_splat(Fe *fe, Params *p, TSNode at, TSNode splat, TSNode type) {
    TSNode name = named_kid(splat, 0);
    if (ts_node_is_null(name) || kind_of(name) != K_identifier) {
        lw_error(fe, splat, "invalid syntax");
        return;
    }
    Node *a = lw_arg(fe, at, name, type);
    if (kind_of(splat) == K_dictionary_splat_pattern) {
        p->args->arguments.kwarg = a;
        p->kwarg = true;
        return;
    }
    if (p->star)
        lw_error(fe, splat, "* argument may appear only once");
    p->args->arguments.vararg = a;
    p->star = true;
}

/* "/" ends the positional-only parameters. */
static void param_slash(Fe *fe, Params *p, TSNode at) {
    Node *args = p->args;
    if (p->slash || p->star || args->arguments.args.len == 0) {
        lw_error(fe, at, p->slash ? "/ may appear only once"
                       : p->star ? "/ must be ahead of *"
                                 : "at least one argument must precede /");
        return;
    }
    args->arguments.posonlyargs = args->arguments.args;
    args->arguments.args = (NodeList){0};
    p->slash = true;
}

/* parameter_list   (Lang. Ref. 8.7); also lambda_parameters (6.14). */
static Node *lw_params(Fe *fe, TSNode n, TSNode at) {
    Params p = { .args = mk(fe, ND_ARGUMENTS, ts_node_is_null(n) ? at : n) };
    Kids k = ts_node_is_null(n) ? (Kids){0} : kids_of(fe, n);
    TSNode none = { {0}, NULL, NULL };
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (!ts_node_is_named(c))
            continue;
        if (p.kwarg) {
            lw_error(fe, c, "arguments cannot follow var-keyword argument");
            break;
        }
        switch (kind_of(c)) {
        case K_identifier:
            param_plain(fe, &p, c, c, none, none);
            break;
        case K_default_parameter:
            param_plain(fe, &p, c, field(c, F.name), none, field(c, F.value));
            break;
        case K_typed_default_parameter:
            param_plain(fe, &p, c, field(c, F.name), field(c, F.type), field(c, F.value));
            break;
        case K_typed_parameter: {
            TSNode inner = named_kid(c, 0);
            if (kind_of(inner) == K_identifier)
                param_plain(fe, &p, c, inner, field(c, F.type), none);
            else
                param_splat(fe, &p, c, inner, field(c, F.type));
            break;
        }
        case K_list_splat_pattern:
        case K_dictionary_splat_pattern:
            param_splat(fe, &p, c, c, none);
            break;
        case K_keyword_separator:
            if (p.star)
                lw_error(fe, c, "* argument may appear only once");
            p.star = true;
            p.bare_star = c;
            p.bare_star_open = true;
            break;
        case K_positional_separator:
            param_slash(fe, &p, c);
            break;
        default:
            lw_error(fe, c, "invalid syntax");
            break;
        }
    }
    if (p.bare_star_open)
        lw_error(fe, p.bare_star, "named arguments must follow bare *");
    return p.args;
}

/* lambda_expr: "lambda" [parameter_list] ":" expression   (6.14) */
static Node *lw_lambda(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_LAMBDA, n);
    x->lambda.args = lw_params(fe, field(n, F.parameters), n);
    x->lambda.body = lw_expr(fe, field(n, F.body), CTX_LOAD);
    return x;
}

/* ---- strings (Lang. Ref. 2.4.1-2.4.3) ----------------------------------------------- */

/* One string token of a (maybe implicit) concatenation. */
typedef struct StrTok {
    TSNode   node;
    bool     raw, bytes, fstr, u;
    char     quote;
    int      qlen;               /* 1 or 3 */
    uint32_t body, body_end;     /* the bytes between the quotes */
} StrTok;

static void error_at(Fe *fe, size_t off, const char *msg) {
    syntax_err(fe, 2, off, 0, msg)->anchor = anchor_of(fe, off);
}

/* The offset of the first token at or after `off`: blanks, comments and,
 * inside brackets, line breaks skipped; at most the logical line's NEWLINE. */
static uint32_t next_token(Fe *fe, uint32_t off) {
    int lo = 0, hi = fe->nll;
    while (lo < hi) {           /* the logical line holding off */
        int mid = (lo + hi) / 2;
        if (fe->ll[mid].end < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t limit = lo < fe->nll ? fe->ll[lo].end : (uint32_t)fe->n;
    while (off < limit) {
        char c = fe->s[off];
        if (c == '#') {
            while (off < limit && fe->s[off] != '\n')
                off++;
        } else if (c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n' || c == '\\') {
            off++;
        } else {
            break;
        }
    }
    return off;
}

/* CPython 3.11 decodes a group of adjacent string literals (escapes,
 * f-strings) only after reading the token that follows the group, and
 * reports its errors there. */
static void string_error(Fe *fe, const char *msg) {
    error_at(fe, next_token(fe, fe->str_end), msg);
}

static void fstring_error(Fe *fe, const char *msg) {
    string_error(fe, msg);
}

static bool str_tok(Fe *fe, TSNode n, StrTok *t) {
    memset(t, 0, sizeof *t);
    t->node = n;
    uint32_t cnt = ts_node_child_count(n);
    if (cnt < 2)
        return false;
    TSNode start = ts_node_child(n, 0), end = ts_node_child(n, cnt - 1);
    if (kind_of(start) != K_string_start || kind_of(end) != K_string_end)
        return false;
    uint32_t s = ts_node_start_byte(start), e = ts_node_end_byte(start);
    uint32_t q = s;
    while (q < e && fe->s[q] != '\'' && fe->s[q] != '"') {
        char c = (char)tolower((unsigned char)fe->s[q]);
        t->raw |= c == 'r';
        t->bytes |= c == 'b';
        t->fstr |= c == 'f';
        t->u |= fe->s[q] == 'u';        /* only lowercase u gives kind='u' */
        q++;
    }
    if (q == e)
        return false;
    t->quote = fe->s[q];
    t->qlen = (int)(e - q);
    t->body = e;
    /* Not string_end's start: for r'\\' tree-sitter puts the backslashes
     * into string_end. The closing quotes are its last qlen bytes. */
    t->body_end = ts_node_end_byte(end) - (uint32_t)t->qlen;
    return ts_node_end_byte(end) >= e + (uint32_t)t->qlen && t->body_end >= t->body;
}

/* Appends code point c as UTF-8; lone surrogates get three bytes, as
 * Python's "surrogatepass" writes them. */
static void put_cp(Str *o, uint32_t c) {
    char b[4];
    if (c < 0x80) {
        str_putc(o, (char)c);
        return;
    }
    if (c < 0x800) {
        b[0] = (char)(0xc0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3f));
        str_putn(o, b, 2);
    } else if (c < 0x10000) {
        b[0] = (char)(0xe0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        b[2] = (char)(0x80 | (c & 0x3f));
        str_putn(o, b, 3);
    } else {
        b[0] = (char)(0xf0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        b[3] = (char)(0x80 | (c & 0x3f));
        str_putn(o, b, 4);
    }
}

static int hexval(int c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* \xhh, \uxxxx, \Uxxxxxxxx: `ndig` hex digits at p. Returns the index after
 * them, or 0 (error reported). */
static uint32_t esc_hex(Fe *fe, const StrTok *t, uint32_t bs, uint32_t end, int ndig,
                        uint32_t *val) {
    uint32_t p = bs + 2, v = 0;
    int got = 0;
    while (got < ndig && p < end && hexval((unsigned char)fe->s[p]) >= 0) {
        v = v * 16 + (uint32_t)hexval((unsigned char)fe->s[p]);
        p++, got++;
    }
    unsigned pos = bs - t->body;
    if (got < ndig) {
        static const char *const what[] = { "", "", "\\xXX", "", "\\uXXXX", "", "", "", "\\UXXXXXXXX" };
        string_error(fe, t->bytes
            ? ar_printf(fe->a, "(value error) invalid \\x escape at position %u", pos)
            : ar_printf(fe->a, "(unicode error) 'unicodeescape' codec can't decode bytes in "
                               "position %u-%u: truncated %s escape", pos, pos + 1 + got, what[ndig]));
        return 0;
    }
    if (v > 0x10ffff) {
        string_error(fe, ar_printf(fe->a, "(unicode error) 'unicodeescape' codec can't decode "
                                          "bytes in position %u-%u: illegal Unicode character",
                                   pos, pos + 1 + got));
        return 0;
    }
    *val = v;
    return p;
}

/* One escape sequence at s[bs] == '\\'. Returns the index after it, or 0. */
static uint32_t decode_escape(Fe *fe, const StrTok *t, uint32_t bs, uint32_t end, Str *o) {
    const char *s = fe->s;
    uint32_t p = bs + 1;
    if (p >= end) {
        str_putc(o, '\\');
        return p;
    }
    char c = s[p];
    static const char simple[] = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";
    for (int i = 0; simple[i]; i += 2)
        if (c == simple[i]) {
            str_putc(o, simple[i + 1]);
            return p + 1;
        }
    if (c == '\n')
        return p + 1;                                  /* line continuation */
    if (c == '\r')
        return p + 1 < end && s[p + 1] == '\n' ? p + 2 : p + 1;
    if (c >= '0' && c <= '7') {
        uint32_t v = 0, q = p;
        while (q < end && q < p + 3 && s[q] >= '0' && s[q] <= '7')
            v = v * 8 + (uint32_t)(s[q++] - '0');
        if (t->bytes)
            str_putc(o, (char)(v & 0xff));
        else
            put_cp(o, v);
        return q;
    }
    int ndig = c == 'x' ? 2 : !t->bytes && c == 'u' ? 4 : !t->bytes && c == 'U' ? 8 : 0;
    if (ndig) {
        uint32_t v, q = esc_hex(fe, t, bs, end, ndig, &v);
        if (!q)
            return 0;
        if (t->bytes)
            str_putc(o, (char)v);
        else
            put_cp(o, v);
        return q;
    }
    if (c == 'N' && !t->bytes) {
        add_err(fe, EC_UNSUP, bs, bs + 2, "mp2c does not support \\N{...} escapes yet; "
                                          "write the character itself or use \\uXXXX");
        return 0;
    }
    str_putc(o, '\\');                                 /* unknown escape: kept */
    return p;
}

/* Decodes the literal text s[p..end) of token t into o: escapes (unless
 * raw), newlines normalized, and "{{"/"}}" when in an f-string. */
static bool decode_piece(Fe *fe, const StrTok *t, uint32_t p, uint32_t end, Str *o) {
    const char *s = fe->s;
    while (p < end) {
        char c = s[p];
        if (c == '\\' && !t->raw) {
            p = decode_escape(fe, t, p, end, o);
            if (!p)
                return false;
        } else if (c == '\r') {
            str_putc(o, '\n');
            p += p + 1 < end && s[p + 1] == '\n' ? 2 : 1;
        } else if (t->fstr && (c == '{' || c == '}')) {
            if (p + 1 < end && s[p + 1] == c) {
                str_putc(o, c);
                p += 2;
            } else {
                fstring_error(fe, c == '}' ? "f-string: single '}' is not allowed"
                                           : "f-string: expecting '}'");
                return false;
            }
        } else {
            str_putc(o, c);
            p++;
        }
    }
    return true;
}

/* Accumulates the parts of a JoinedStr: literal text is merged until an
 * expression part forces it out as one Constant. */
typedef struct Join {
    Str      lit;
    NodeList values;
    TSNode   at;
} Join;

static void join_flush(Fe *fe, Join *j) {
    if (j->lit.len == 0)
        return;
    Node *c = mk(fe, ND_CONST, j->at);
    c->constant.kind = CONST_STR;
    c->constant.str = ar_strndup(fe->a, j->lit.data, j->lit.len);
    c->constant.len = j->lit.len;
    ast_list_push(fe->a, &j->values, c);
    j->lit.len = 0;
}

/* CPython 3.11 scans an f-string's expression part as raw text: no
 * backslash, no '#', and never the string's own quote. */
static bool check_fexpr(Fe *fe, const StrTok *t, uint32_t from, uint32_t to) {
    const char *s = fe->s;
    char inq = 0;
    for (uint32_t p = from; p < to; p++) {
        if (s[p] == '\\') {
            fstring_error(fe, "f-string expression part cannot include a backslash");
            return false;
        }
        if (s[p] == t->quote && (t->qlen == 1 || (p + 2 < to && s[p + 1] == t->quote &&
                                                   s[p + 2] == t->quote))) {
            fstring_error(fe, "f-string: expecting '}'");
            return false;
        }
        if (inq) {
            if (s[p] == inq)
                inq = 0;
        } else if (s[p] == '\'' || s[p] == '"') {
            inq = s[p];
        } else if (s[p] == '#') {
            fstring_error(fe, "f-string expression part cannot include '#'");
            return false;
        }
    }
    return true;
}

static Node *lw_fvalue(Fe *fe, TSNode n, const StrTok *t, Join *j, int depth);

/* format_spec: (literal_char | "{{" | "}}" | replacement_field)*   (2.4.3) */
static Node *lw_fspec(Fe *fe, TSNode spec, const StrTok *t, int depth) {
    Join j = { .at = spec };
    Kids k = kids_of(fe, spec);
    uint32_t pos = ts_node_start_byte(spec) + 1;       /* after the ':' */
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (kind_of(c) != K_format_expression)
            continue;
        decode_piece(fe, t, pos, ts_node_start_byte(c), &j.lit);
        lw_fvalue(fe, c, t, &j, depth + 1);
        pos = ts_node_end_byte(c);
    }
    decode_piece(fe, t, pos, ts_node_end_byte(spec), &j.lit);
    join_flush(fe, &j);
    str_free(&j.lit);
    Node *x = mk(fe, ND_JOINEDSTR, spec);
    x->joinedstr.values = j.values;
    return x;
}

/* f'{x:=10}' is x formatted with "=10" in 3.11; tree-sitter reads a walrus. */
static Node *lw_walrus_spec(Fe *fe, TSNode expr, uint32_t close, Node **spec) {
    TSNode name = field(expr, F.name);
    uint32_t colon = ts_node_end_byte(name);
    while (colon < close && fe->s[colon] != ':')
        colon++;
    Node *c = mk(fe, ND_CONST, expr);
    c->constant.kind = CONST_STR;
    c->constant.str = ar_strndup(fe->a, fe->s + colon + 1, close - colon - 1);
    c->constant.len = close - colon - 1;
    *spec = mk(fe, ND_JOINEDSTR, expr);
    ast_list_push(fe->a, &(*spec)->joinedstr.values, c);
    return lw_name(fe, name, CTX_LOAD);
}

/* replacement_field: "{" f_expression ["="] ["!" conversion] [":" format_spec] "}"
 * (2.4.3). The "=" form adds the expression's source text, and repr unless
 * a conversion or format spec is given, as CPython 3.11 does. */
static Node *lw_fvalue(Fe *fe, TSNode n, const StrTok *t, Join *j, int depth) {
    Node *fv = mk(fe, ND_FORMATTED, n);
    fv->formatted.conversion = -1;
    TSNode expr = field(n, F.expression), conv = field(n, F.type_conversion);
    TSNode spec = field(n, F.format_specifier), eq = { {0}, NULL, NULL };
    Kids k = kids_of(fe, n);
    uint32_t open = ts_node_start_byte(n) + 1, close = ts_node_end_byte(n) - 1, part_end = close;
    for (int i = 0; i < k.n; i++) {
        if (is_tok(k.k[i].node, "="))
            eq = k.k[i].node;
        if ((is_tok(k.k[i].node, "=") || k.k[i].field == F.type_conversion ||
             k.k[i].field == F.format_specifier || is_tok(k.k[i].node, "}")) &&
            ts_node_start_byte(k.k[i].node) < part_end && ts_node_start_byte(k.k[i].node) >= open)
            part_end = ts_node_start_byte(k.k[i].node);
    }
    if (depth >= 2)
        fstring_error(fe, "f-string: expressions nested too deeply");
    if (ts_node_is_null(expr)) {
        fstring_error(fe, "f-string: empty expression not allowed");
        fv->formatted.value = lw_bad(fe, n);
        return fv;
    }
    if (!check_fexpr(fe, t, open, part_end)) {
        fv->formatted.value = lw_bad(fe, n);
        return fv;
    }
    if (kind_of(expr) == K_named_expression && ts_node_is_null(spec))
        fv->formatted.value = lw_walrus_spec(fe, expr, close, &fv->formatted.format_spec);
    else
        fv->formatted.value = lw_expr(fe, expr, CTX_LOAD);
    if (!ts_node_is_null(eq)) {
        uint32_t upto = ts_node_end_byte(eq);
        while (upto < close && (fe->s[upto] == ' ' || fe->s[upto] == '\t' ||
                                fe->s[upto] == '\n' || fe->s[upto] == '\r'))
            upto++;
        str_putn(&j->lit, fe->s + open, upto - open);
        if (ts_node_is_null(conv) && ts_node_is_null(spec))
            fv->formatted.conversion = 'r';
    }
    if (!ts_node_is_null(conv)) {
        const char *ct = text_of(fe, conv);
        if (strlen(ct) != 2 || !strchr("sra", ct[1]))
            fstring_error(fe, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
        else
            fv->formatted.conversion = ct[1];
    }
    if (!ts_node_is_null(spec))
        fv->formatted.format_spec = lw_fspec(fe, spec, t, depth);
    join_flush(fe, j);
    ast_list_push(fe->a, &j->values, fv);
    return fv;
}

/* The parts of one f-string token. */
static void lw_fstring(Fe *fe, const StrTok *t, Join *j) {
    Kids k = kids_of(fe, t->node);
    uint32_t pos = t->body;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (kind_of(c) != K_interpolation)
            continue;
        decode_piece(fe, t, pos, ts_node_start_byte(c), &j->lit);
        lw_fvalue(fe, c, t, j, 0);
        pos = ts_node_end_byte(c);
    }
    decode_piece(fe, t, pos, t->body_end, &j->lit);
}

static bool bytes_ascii(Fe *fe, const StrTok *t) {
    for (uint32_t p = t->body; p < t->body_end; p++)
        if ((unsigned char)fe->s[p] >= 0x80) {
            lw_error(fe, t->node, "bytes can only contain ASCII literal characters");
            return false;
        }
    return true;
}

/* stringliteral+ | bytesliteral+   (2.4.1, 2.4.2): adjacent literals are
 * one constant; with any f-string among them, one JoinedStr. */
static Node *lw_strings(Fe *fe, TSNode n) {
    Kids k = kind_of(n) == K_string ? (Kids){ &(Kid){ n, 0 }, 1 } : kids_of(fe, n);
    StrTok *toks = ar_alloc(fe->a, sizeof(StrTok) * (size_t)(k.n ? k.n : 1));
    int nt = 0;
    bool any_f = false;
    for (int i = 0; i < k.n; i++) {
        if (kind_of(k.k[i].node) != K_string)
            continue;
        if (!str_tok(fe, k.k[i].node, &toks[nt])) {
            lw_error(fe, k.k[i].node, "invalid syntax");
            return lw_bad(fe, n);
        }
        if (nt && toks[nt].bytes != toks[0].bytes) {
            error_at(fe, next_token(fe, ts_node_end_byte(n)), "cannot mix bytes and nonbytes literals");
            return lw_bad(fe, n);
        }
        any_f |= toks[nt++].fstr;
    }
    if (nt == 0) {
        lw_error(fe, n, "invalid syntax");
        return lw_bad(fe, n);
    }
    Join j = { .at = n };
    uint32_t saved_end = fe->str_end;
    fe->str_end = ts_node_end_byte(n);
    for (int i = 0; i < nt; i++) {
        if (toks[i].bytes && !bytes_ascii(fe, &toks[i]))
            break;
        if (toks[i].fstr)
            lw_fstring(fe, &toks[i], &j);
        else
            decode_piece(fe, &toks[i], toks[i].body, toks[i].body_end, &j.lit);
    }
    Node *x;
    if (any_f) {
        join_flush(fe, &j);
        x = mk(fe, ND_JOINEDSTR, n);
        x->joinedstr.values = j.values;
    } else {
        x = mk(fe, ND_CONST, n);
        x->constant.kind = toks[0].bytes ? CONST_BYTES : CONST_STR;
        x->constant.str = ar_strndup(fe->a, j.lit.data ? j.lit.data : "", j.lit.len);
        x->constant.len = j.lit.len;
        x->constant.is_u = toks[0].u;
    }
    fe->str_end = saved_end;
    str_free(&j.lit);
    return x;
}

/* ---- annotations ---------------------------------------------------------------- */

/* In annotations tree-sitter parses "list[int]" as a generic_type and
 * "A | B" as a union_type; CPython sees ordinary expressions: a Subscript
 * and a BinOp. */
static Node *lw_generic(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_SUBSCRIPT, n);
    Kids k = kids_of(fe, n);
    TSNode params = { {0}, NULL, NULL };
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (kind_of(c) == K_type_parameter)
            params = c;
        else if (ts_node_is_named(c) && !x->subscript.value)
            x->subscript.value = lw_expr(fe, c, CTX_LOAD);
    }
    if (!x->subscript.value || ts_node_is_null(params)) {
        lw_error(fe, n, "invalid syntax");
        x->subscript.value = x->subscript.slice = lw_bad(fe, n);
        return x;
    }
    Node *t = mk(fe, ND_TUPLE, params);
    lw_items(fe, params, CTX_LOAD, &t->list.elts);
    bool star = false;
    for (int i = 0; i < t->list.elts.len; i++)
        star = star || t->list.elts.items[i]->kind == ND_STARRED;
    x->subscript.slice = t->list.elts.len == 1 && !has_comma(params) && !star
                             ? t->list.elts.items[0] : t;
    return x;
}

static Node *lw_union(Fe *fe, TSNode n) {
    Kids k = kids_of(fe, n);
    Node *acc = NULL;
    for (int i = 0; i < k.n; i++) {
        if (!ts_node_is_named(k.k[i].node))
            continue;
        Node *e = lw_expr(fe, k.k[i].node, CTX_LOAD);
        if (!acc) {
            acc = e;
            continue;
        }
        Node *b = mk(fe, ND_BINOP, n);
        b->binop.left = acc;
        b->binop.op = OP_BITOR;
        b->binop.right = e;
        acc = b;
    }
    if (!acc) {
        lw_error(fe, n, "invalid syntax");
        acc = lw_bad(fe, n);
    }
    return acc;
}

/* member_type: type "." identifier */
static Node *lw_member(Fe *fe, TSNode n) {
    Kids k = kids_of(fe, n);
    Node *acc = NULL;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (!ts_node_is_named(c))
            continue;
        if (!acc) {
            acc = lw_expr(fe, c, CTX_LOAD);
            continue;
        }
        Node *a = mk(fe, ND_ATTRIBUTE, n);
        a->attribute.value = acc;
        a->attribute.attr = lw_ident(fe, c);
        acc = a;
    }
    if (!acc) {
        lw_error(fe, n, "invalid syntax");
        acc = lw_bad(fe, n);
    }
    return acc;
}

/* ---- the expression dispatcher --------------------------------------------------- */

static Node *lw_expr_kind(Fe *fe, TSNode n, ExprCtx ctx) {
    switch (kind_of(n)) {
    case K_identifier:             return lw_name(fe, n, ctx);
    case K_integer:                return lw_integer(fe, n);
    case K_float:                  return lw_float(fe, n);
    case K_true:                   return lw_const(fe, n, CONST_TRUE);
    case K_false:                  return lw_const(fe, n, CONST_FALSE);
    case K_none:                   return lw_const(fe, n, CONST_NONE);
    case K_ellipsis:               return lw_const(fe, n, CONST_ELLIPSIS);
    case K_string:
    case K_concatenated_string:    return lw_strings(fe, n);
    case K_binary_operator:        return lw_binop(fe, n);
    case K_unary_operator:         return lw_unary(fe, n);
    case K_not_operator:           return lw_not(fe, n);
    case K_boolean_operator:       return lw_boolop(fe, n);
    case K_comparison_operator:    return lw_compare(fe, n);
    case K_conditional_expression: return lw_ifexp(fe, n);
    case K_named_expression:       return lw_walrus(fe, n);
    case K_lambda:                 return lw_lambda(fe, n);
    case K_await:                  return lw_await(fe, n);
    case K_yield:                  return lw_yield(fe, n);
    case K_call:                   return lw_call(fe, n);
    case K_attribute:              return lw_attribute(fe, n, ctx);
    case K_subscript:              return lw_subscript(fe, n, ctx);
    case K_list:
    case K_list_pattern:           return lw_seq(fe, n, ND_LIST, ctx);
    case K_tuple:
    case K_tuple_pattern:
    case K_expression_list:
    case K_pattern_list:           return lw_seq(fe, n, ND_TUPLE, ctx);
    case K_set:                    return lw_set(fe, n);
    case K_dictionary:             return lw_dict(fe, n);
    case K_list_comprehension:     return lw_comp(fe, n, ND_LISTCOMP);
    case K_set_comprehension:      return lw_comp(fe, n, ND_SETCOMP);
    case K_dictionary_comprehension: return lw_comp(fe, n, ND_DICTCOMP);
    case K_generator_expression:   return lw_comp(fe, n, ND_GENEXP);
    case K_parenthesized_expression: return lw_paren(fe, n, ctx);
    case K_list_splat:
    case K_list_splat_pattern:     return lw_starred(fe, n, ctx);
    case K_generic_type:           return lw_generic(fe, n);
    case K_union_type:             return lw_union(fe, n);
    case K_member_type:            return lw_member(fe, n);
    case K_splat_type:             return lw_starred(fe, n, ctx);
    case K_parenthesized_list_splat:
        lw_error(fe, n, "cannot use starred expression here");
        return lw_bad(fe, n);
    case K_type:
    case K_as_pattern_target: {
        TSNode inner = named_kid(n, 0);
        if (!ts_node_is_null(inner) && named_kid_count(n) == 1)
            return lw_expr(fe, inner, ctx);
        lw_error(fe, n, "invalid syntax");
        return lw_bad(fe, n);
    }
    default:
        lw_error(fe, n, "invalid syntax");
        return lw_bad(fe, n);
    }
}

/* Store and Del contexts accept only names, attributes, subscripts and
 * (for Store) starred items, possibly inside tuples and lists. */
static void check_target(Fe *fe, TSNode n, Node *x, ExprCtx ctx) {
    switch (x->kind) {
    case ND_NAME: case ND_ATTRIBUTE: case ND_SUBSCRIPT: case ND_LIST: case ND_TUPLE:
        return;
    case ND_STARRED:
        if (ctx == CTX_STORE)
            return;
        break;
    default:
        break;
    }
    if (ctx == CTX_DEL) {
        lw_error(fe, n, ar_printf(fe->a, "cannot delete %s", expr_name(x)));
    } else if (x->kind == ND_YIELD || x->kind == ND_YIELDFROM) {
        lw_error(fe, n, "assignment to yield expression not possible");
    } else {
        lw_error(fe, n, ar_printf(fe->a, "cannot assign to %s", expr_name(x)));
    }
}

/* tree-sitter-python binds "*" tighter than calls, attributes, subscripts
 * and binary operators: "*map(f, x)" comes out as a call of "*map". In
 * Python the star applies to the whole expression. Returns the list_splat
 * at the start of n's left spine, or a null node. */
static TSNode left_splat(TSNode n) {
    TSNode none = { {0}, NULL, NULL }, cur = n;
    for (;;) {
        TSNode next;
        switch (kind_of(cur)) {
        case K_call:              next = field(cur, F.function); break;
        case K_attribute:         next = field(cur, F.object); break;
        case K_subscript:         next = field(cur, F.value); break;
        case K_binary_operator:
        case K_boolean_operator:  next = field(cur, F.left); break;
        case K_comparison_operator:
        case K_conditional_expression: next = named_kid(cur, 0); break;
        default:                  return none;
        }
        if (ts_node_is_null(next))
            return none;
        if (kind_of(next) == K_list_splat)
            return next;
        cur = next;
    }
}

/* Lowers n with its leading star moved outside: Starred(n without "*"). */
static Node *lw_hoisted_star(Fe *fe, TSNode n, TSNode splat, ExprCtx ctx) {
    TSNode saved = fe->hoist;
    fe->hoist = splat;
    Node *inner = lw_expr_kind(fe, n, ctx);
    fe->hoist = saved;
    Node *x = mk(fe, ND_STARRED, n);
    x->starred.value = inner;
    x->starred.ctx = ctx;
    return x;
}

/* Every expression goes through here: a depth guard (deep trees must not
 * exhaust the C stack, here or in later passes) and the target check. */
static Node *lw_expr(Fe *fe, TSNode n, ExprCtx ctx) {
    if (ts_node_is_null(n)) {
        add_err(fe, EC_SYNTAX, fe->n, 0, "invalid syntax");
        Node *x = ast_new(fe->a, ND_NAME, (Loc){0, 0}, (Loc){0, 0});
        x->name.id = "<error>";
        return x;
    }
    if (fe->depth >= FE_MAX_DEPTH) {
        if (!fe->too_deep)
            lw_error(fe, n, "too many nested expressions (mp2c's limit is 1000 levels)");
        fe->too_deep = true;
        return lw_bad(fe, n);
    }
    fe->depth++;
    Node *x;
    TSNode splat = { {0}, NULL, NULL };
    if (fe->s[ts_node_start_byte(n)] == '*')   /* a leading star starts its left spine */
        splat = left_splat(n);
    if (fe->hoist.id && ts_node_eq(n, fe->hoist)) {
        fe->hoist = (TSNode){ {0}, NULL, NULL };
        x = lw_expr(fe, named_kid(n, 0), ctx);
    } else if (!ts_node_is_null(splat) && !(fe->hoist.id && ts_node_eq(splat, fe->hoist))) {
        x = lw_hoisted_star(fe, n, splat, ctx);
    } else {
        x = lw_expr_kind(fe, n, ctx);
    }
    fe->depth--;
    if (ctx != CTX_LOAD)
        check_target(fe, n, x, ctx);
    return x;
}

/* ==== statements ========================================================================= */

/* The value of a statement like "return 1, 2": an expression_list is a Tuple. */
static Node *lw_value(Fe *fe, TSNode n) {
    return lw_expr(fe, n, CTX_LOAD);
}

/* assignment_stmt: (target_list "=")+ (starred_expression | yield_expression)
 * annotated_assignment_stmt: augtarget ":" expression ["=" expression]   (7.2, 7.2.2)
 * tree-sitter nests "a = b = c" to the right; CPython lists the targets. */
static Node *lw_assign(Fe *fe, TSNode n) {
    TSNode type = field(n, F.type), left = field(n, F.left), right = field(n, F.right);
    if (!ts_node_is_null(type)) {
        Node *x = mk(fe, ND_ANNASSIGN, n);
        CstKind lk = kind_of(left);
        if (lk == K_pattern_list || (lk == K_tuple_pattern && has_comma(left)) ||
            lk == K_list_pattern || lk == K_expression_list || lk == K_tuple || lk == K_list)
            lw_error(fe, left, ar_printf(fe->a, "only single target (not %s) can be annotated",
                                         lk == K_list_pattern || lk == K_list ? "list" : "tuple"));
        x->annassign.target = lw_expr(fe, left, CTX_STORE);
        x->annassign.annotation = lw_expr(fe, type, CTX_LOAD);
        x->annassign.simple = lk == K_identifier;
        if (!ts_node_is_null(right))
            x->annassign.value = lw_value(fe, right);
        return x;
    }
    Node *x = mk(fe, ND_ASSIGN, n);
    ast_list_push(fe->a, &x->assign.targets, lw_expr(fe, left, CTX_STORE));
    while (kind_of(right) == K_assignment && ts_node_is_null(field(right, F.type))) {
        ast_list_push(fe->a, &x->assign.targets, lw_expr(fe, field(right, F.left), CTX_STORE));
        right = field(right, F.right);
    }
    if (kind_of(right) == K_assignment || kind_of(right) == K_augmented_assignment) {
        lw_error(fe, right, "invalid syntax");
        x->assign.value = lw_bad(fe, right);
    } else {
        x->assign.value = lw_value(fe, right);
    }
    return x;
}

/* augmented_assignment_stmt: augtarget augop (expression_list | yield_expression)   (7.2.1) */
static Node *lw_augassign(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_AUGASSIGN, n);
    TSNode left = field(n, F.left), op = field(n, F.operator);
    x->augassign.target = lw_expr(fe, left, CTX_STORE);
    NodeKind tk = x->augassign.target->kind;
    if (tk != ND_NAME && tk != ND_ATTRIBUTE && tk != ND_SUBSCRIPT)
        lw_error(fe, left, ar_printf(fe->a, "'%s' is an illegal expression for augmented assignment",
                                     expr_name(x->augassign.target)));
    if (ts_node_is_null(op) || !binop_of(fe, op, true, &x->augassign.op))
        lw_error(fe, n, "invalid syntax");
    x->augassign.value = lw_value(fe, field(n, F.right));
    return x;
}

/* expression_stmt: starred_expression   (7.1); "a, b" makes a Tuple. */
static Node *lw_expr_stmt(Fe *fe, TSNode n) {
    Kids k = kids_of(fe, n);
    int named = 0;
    TSNode only = n;
    for (int i = 0; i < k.n; i++)
        if (ts_node_is_named(k.k[i].node))
            named++, only = k.k[i].node;
    if (named == 1 && kind_of(only) == K_assignment)
        return lw_assign(fe, only);
    if (named == 1 && kind_of(only) == K_augmented_assignment)
        return lw_augassign(fe, only);
    Node *x = mk(fe, ND_EXPR, n);
    if (named == 1 && !has_comma(n)) {
        x->expr.value = lw_expr(fe, only, CTX_LOAD);
    } else {
        Node *t = mk(fe, ND_TUPLE, n);
        lw_items(fe, n, CTX_LOAD, &t->list.elts);
        x->expr.value = t;
    }
    return x;
}

/* tree-sitter's Python 2 print/exec statements. The pre-lexer reports
 * "print x" and the names are respelled before parsing (respell()), so
 * these nodes should not appear; if one does, it is an error all the same. */
static Node *lw_legacy(Fe *fe, TSNode n) {
    lw_error(fe, n, "invalid syntax");
    return NULL;
}

/* return_stmt: "return" [expression_list]   (7.6) */
static Node *lw_return(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_RETURN, n);
    TSNode v = named_kid(n, 0);
    if (!ts_node_is_null(v))
        x->ret.value = lw_value(fe, v);
    return x;
}

/* del_stmt: "del" target_list   (7.5) */
static Node *lw_delete(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_DELETE, n);
    TSNode v = named_kid(n, 0);
    if (ts_node_is_null(v))
        lw_error(fe, n, "invalid syntax");
    else if (kind_of(v) == K_expression_list)
        lw_items(fe, v, CTX_DEL, &x->del.targets);
    else
        ast_list_push(fe->a, &x->del.targets, lw_expr(fe, v, CTX_DEL));
    return x;
}

/* raise_stmt: "raise" [expression ["from" expression]]   (7.8) */
static Node *lw_raise(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_RAISE, n);
    Kids k = kids_of(fe, n);
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (!ts_node_is_named(c))
            continue;
        if (k.k[i].field == F.cause) {
            x->raise.cause = lw_expr(fe, c, CTX_LOAD);
        } else if (kind_of(c) == K_expression_list) {
            lw_error(fe, c, "invalid syntax");      /* raise E, V: Python 2 */
        } else {
            x->raise.exc = lw_expr(fe, c, CTX_LOAD);
        }
    }
    return x;
}

/* global_stmt / nonlocal_stmt: identifier ("," identifier)*   (7.12, 7.13) */
static Node *lw_global(Fe *fe, TSNode n, NodeKind kind) {
    Node *x = mk(fe, kind, n);
    Kids k = kids_of(fe, n);
    x->global.names = ar_alloc(fe->a, sizeof(char *) * (size_t)(k.n ? k.n : 1));
    for (int i = 0; i < k.n; i++)
        if (kind_of(k.k[i].node) == K_identifier)
            x->global.names[x->global.len++] = lw_ident(fe, k.k[i].node);
    return x;
}

/* dotted_name: identifier ("." identifier)*, as one string "a.b.c". */
static const char *lw_dotted(Fe *fe, TSNode n) {
    Kids k = kids_of(fe, n);
    Str s = {0};
    for (int i = 0; i < k.n; i++)
        if (kind_of(k.k[i].node) == K_identifier) {
            if (s.len)
                str_putc(&s, '.');
            str_puts(&s, lw_ident(fe, k.k[i].node));
        }
    const char *out = ar_strdup(fe->a, str_cstr(&s));
    str_free(&s);
    return out;
}

/* module ["as" identifier] */
static Node *lw_alias(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_ALIAS, n);
    if (kind_of(n) == K_aliased_import) {
        x->alias.name = lw_dotted(fe, field(n, F.name));
        x->alias.asname = lw_ident(fe, field(n, F.alias));
    } else if (kind_of(n) == K_dotted_name) {
        x->alias.name = lw_dotted(fe, n);
    } else if (kind_of(n) == K_wildcard_import) {
        x->alias.name = "*";
    } else {
        lw_error(fe, n, "invalid syntax");
        x->alias.name = "<error>";
    }
    return x;
}

/* import_stmt: "import" module ["as" identifier] ("," ...)*   (7.11) */
static Node *lw_import(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_IMPORT, n);
    Kids k = kids_of(fe, n);
    for (int i = 0; i < k.n; i++)
        if (k.k[i].field == F.name)
            ast_list_push(fe->a, &x->import.names, lw_alias(fe, k.k[i].node));
    return x;
}

/* "from" relative_module "import" (identifier ["as" identifier], ... | "*")   (7.11) */
static Node *lw_import_from(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_IMPORTFROM, n);
    Kids k = kids_of(fe, n);
    bool future = kind_of(n) == K_future_import_statement;
    if (future)
        x->importfrom.module = "__future__";
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (k.k[i].field == F.module_name) {
            if (kind_of(c) == K_relative_import) {
                Kids r = kids_of(fe, c);
                for (int j = 0; j < r.n; j++) {
                    if (kind_of(r.k[j].node) == K_import_prefix)
                        x->importfrom.level = (int)(ts_node_end_byte(r.k[j].node) -
                                                    ts_node_start_byte(r.k[j].node));
                    else if (kind_of(r.k[j].node) == K_dotted_name)
                        x->importfrom.module = lw_dotted(fe, r.k[j].node);
                }
            } else {
                x->importfrom.module = lw_dotted(fe, c);
            }
        } else if (k.k[i].field == F.name || kind_of(c) == K_wildcard_import) {
            ast_list_push(fe->a, &x->importfrom.names, lw_alias(fe, c));
        }
    }
    for (int i = 0; i < x->importfrom.names.len; i++)
        if (strchr(x->importfrom.names.items[i]->alias.name, '.'))
            lw_error(fe, n, "invalid syntax");
    return x;
}

/* assert_stmt: "assert" expression ["," expression]   (7.3) */
static Node *lw_assert(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_ASSERT, n);
    Kids k = kids_of(fe, n);
    int seen = 0;
    for (int i = 0; i < k.n; i++)
        if (ts_node_is_named(k.k[i].node)) {
            Node *e = lw_expr(fe, k.k[i].node, CTX_LOAD);
            if (seen++ == 0)
                x->assert_.test = e;
            else
                x->assert_.msg = e;
        }
    if (!x->assert_.test)
        x->assert_.test = lw_bad(fe, n);
    return x;
}

/* The block of a clause: its field or its only block child. */
static TSNode block_of(TSNode n, TSFieldId f) {
    TSNode b = f ? field(n, f) : (TSNode){ {0}, NULL, NULL };
    if (!ts_node_is_null(b))
        return b;
    uint32_t cnt = named_kid_count(n);
    for (uint32_t i = 0; i < cnt; i++) {
        TSNode c = named_kid(n, i);
        if (kind_of(c) == K_block)
            return c;
    }
    return b;
}

static void lw_body(Fe *fe, TSNode owner, TSNode block, NodeList *out) {
    if (ts_node_is_null(block)) {
        lw_error(fe, owner, "invalid syntax");
        return;
    }
    lw_block(fe, block, out);
}

/* if_stmt: "if" expr ":" suite ("elif" expr ":" suite)* ["else" ":" suite]   (8.1)
 * Each elif is an If nested in the orelse of the one before, as in CPython. */
static Node *lw_if(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_IF, n);
    x->if_.test = lw_expr(fe, field(n, F.condition), CTX_LOAD);
    lw_body(fe, n, field(n, F.consequence), &x->if_.body);
    Kids k = kids_of(fe, n);
    Node *cur = x;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (kind_of(c) == K_elif_clause) {
            Node *e = mk(fe, ND_IF, c);
            e->if_.test = lw_expr(fe, field(c, F.condition), CTX_LOAD);
            lw_body(fe, c, field(c, F.consequence), &e->if_.body);
            ast_list_push(fe->a, &cur->if_.orelse, e);
            cur = e;
        } else if (kind_of(c) == K_else_clause) {
            lw_body(fe, c, block_of(c, F.body), &cur->if_.orelse);
        }
    }
    return x;
}

static bool has_async(TSNode n) {
    return ts_node_child_count(n) > 0 && is_tok(ts_node_child(n, 0), "async");
}

static void lw_else(Fe *fe, TSNode n, NodeList *out) {
    TSNode e = field(n, F.alternative);
    if (!ts_node_is_null(e))
        lw_body(fe, e, block_of(e, F.body), out);
}

/* for_stmt: "for" target_list "in" starred_list ":" suite ["else" ":" suite]   (8.3) */
static Node *lw_for(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_FOR, n);
    x->for_.is_async = has_async(n);
    x->for_.target = lw_expr(fe, field(n, F.left), CTX_STORE);
    x->for_.iter = lw_value(fe, field(n, F.right));
    lw_body(fe, n, field(n, F.body), &x->for_.body);
    lw_else(fe, n, &x->for_.orelse);
    return x;
}

/* while_stmt: "while" assignment_expression ":" suite ["else" ":" suite]   (8.2) */
static Node *lw_while(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_WHILE, n);
    x->while_.test = lw_expr(fe, field(n, F.condition), CTX_LOAD);
    lw_body(fe, n, field(n, F.body), &x->while_.body);
    lw_else(fe, n, &x->while_.orelse);
    return x;
}

/* except_clause: "except" [expression ["as" identifier]] ":" suite   (8.4) */
static Node *lw_handler(Fe *fe, TSNode n) {
    Node *h = mk(fe, ND_EXCEPTHANDLER, n);
    Kids k = kids_of(fe, n);
    int nexpr = 0;
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        if (kind_of(c) == K_block || !ts_node_is_named(c))
            continue;
        if (nexpr++) {
            lw_error(fe, c, "multiple exception types must be parenthesized");
            continue;
        }
        TSNode first = kind_of(c) == K_as_pattern ? named_kid(c, 0) : c;
        if (kind_of(first) == K_list_splat || kind_of(first) == K_list_splat_pattern) {
            lw_unsupported(fe, n, "mp2c does not support 'except*' (exception groups); "
                                  "catch the exception group with a plain 'except'");
            continue;
        }
        if (kind_of(c) == K_as_pattern) {
            TSNode alias = field(c, F.alias);
            TSNode target = ts_node_is_null(alias) ? alias : named_kid(alias, 0);
            h->handler.type = lw_expr(fe, named_kid(c, 0), CTX_LOAD);
            if (ts_node_is_null(target) || kind_of(target) != K_identifier)
                lw_error(fe, ts_node_is_null(alias) ? c : alias, "invalid syntax");
            else
                h->handler.name = lw_ident(fe, target);
        } else if (kind_of(c) == K_expression_list) {
            lw_error(fe, c, "multiple exception types must be parenthesized");
        } else {
            h->handler.type = lw_expr(fe, c, CTX_LOAD);
        }
    }
    lw_body(fe, n, block_of(n, 0), &h->handler.body);
    return h;
}

/* try_stmt: "try" ":" suite handlers ["else" ":" suite] ["finally" ":" suite]   (8.4) */
static Node *lw_try(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_TRY, n);
    lw_body(fe, n, field(n, F.body), &x->try_.body);
    Kids k = kids_of(fe, n);
    for (int i = 0; i < k.n; i++) {
        TSNode c = k.k[i].node;
        switch (kind_of(c)) {
        case K_except_clause:
            ast_list_push(fe->a, &x->try_.handlers, lw_handler(fe, c));
            break;
        case K_except_group_clause:
            lw_unsupported(fe, c, "mp2c does not support 'except*' (exception groups); "
                                  "catch the exception group with a plain 'except'");
            break;
        case K_else_clause:
            lw_body(fe, c, block_of(c, F.body), &x->try_.orelse);
            break;
        case K_finally_clause:
            lw_body(fe, c, block_of(c, 0), &x->try_.finalbody);
            break;
        default:
            break;
        }
    }
    return x;
}

/* with_item: expression ["as" target]   (8.5) */
static Node *lw_with_item(Fe *fe, TSNode n) {
    Node *w = mk(fe, ND_WITHITEM, n);
    TSNode v = field(n, F.value);
    TSNode in = v;
    while (kind_of(in) == K_parenthesized_expression && named_kid_count(in) == 1)
        in = named_kid(in, 0);
    if (kind_of(in) == K_as_pattern)
        v = in;                       /* with (manager() as x): */
    if (kind_of(v) == K_as_pattern) {
        w->withitem.context_expr = lw_expr(fe, named_kid(v, 0), CTX_LOAD);
        TSNode alias = field(v, F.alias);
        w->withitem.optional_vars = lw_expr(fe, alias, CTX_STORE);
    } else {
        w->withitem.context_expr = lw_expr(fe, v, CTX_LOAD);
    }
    return w;
}

/* with_stmt: "with" ( "(" with_items [","] ")" | with_items ) ":" suite   (8.5) */
static Node *lw_with(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_WITH, n);
    x->with.is_async = has_async(n);
    Kids k = kids_of(fe, n);
    for (int i = 0; i < k.n; i++) {
        if (kind_of(k.k[i].node) != K_with_clause)
            continue;
        Kids items = kids_of(fe, k.k[i].node);
        for (int j = 0; j < items.n; j++)
            if (kind_of(items.k[j].node) == K_with_item)
                ast_list_push(fe->a, &x->with.items, lw_with_item(fe, items.k[j].node));
    }
    lw_body(fe, n, field(n, F.body), &x->with.body);
    return x;
}

/* funcdef: [decorators] ["async"] "def" funcname "(" [parameter_list] ")"
 *          ["->" expression] ":" suite   (8.7) */
static Node *lw_funcdef(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_FUNCDEF, n);
    x->funcdef.is_async = has_async(n);
    x->funcdef.name = lw_ident(fe, field(n, F.name));
    x->funcdef.args = lw_params(fe, field(n, F.parameters), n);
    TSNode ret = field(n, F.return_type);
    if (!ts_node_is_null(ret))
        x->funcdef.returns = lw_expr(fe, ret, CTX_LOAD);
    if (!ts_node_is_null(field(n, F.type_parameters)))   /* def f[T](): Python 3.12 */
        lw_error(fe, field(n, F.type_parameters), "invalid syntax");
    lw_body(fe, n, field(n, F.body), &x->funcdef.body);
    return x;
}

/* classdef: [decorators] "class" classname [inheritance] ":" suite   (8.8) */
static Node *lw_classdef(Fe *fe, TSNode n) {
    Node *x = mk(fe, ND_CLASSDEF, n);
    x->classdef.name = lw_ident(fe, field(n, F.name));
    TSNode sup = field(n, F.superclasses);
    if (!ts_node_is_null(sup))
        lw_arguments(fe, sup, &x->classdef.bases, &x->classdef.keywords);
    if (!ts_node_is_null(field(n, F.type_parameters)))
        lw_error(fe, field(n, F.type_parameters), "invalid syntax");
    lw_body(fe, n, field(n, F.body), &x->classdef.body);
    return x;
}

/* decorators: decorator+ ; decorator: "@" assignment_expression NEWLINE   (8.7) */
static Node *lw_decorated(Fe *fe, TSNode n) {
    TSNode def = field(n, F.definition);
    Node *x;
    if (kind_of(def) == K_function_definition) {
        x = lw_funcdef(fe, def);
    } else if (kind_of(def) == K_class_definition) {
        x = lw_classdef(fe, def);
    } else {
        lw_error(fe, n, "invalid syntax");
        return mk(fe, ND_PASS, n);
    }
    NodeList *decos = x->kind == ND_FUNCDEF ? &x->funcdef.decorators : &x->classdef.decorators;
    Kids k = kids_of(fe, n);
    for (int i = 0; i < k.n; i++)
        if (kind_of(k.k[i].node) == K_decorator) {
            TSNode e = named_kid(k.k[i].node, 0);
            ast_list_push(fe->a, decos, ts_node_is_null(e) ? lw_bad(fe, k.k[i].node)
                                                           : lw_expr(fe, e, CTX_LOAD));
        }
    return x;   /* its loc stays at "def"/"class", as in CPython 3.8+ */
}

static Node *lw_simple(Fe *fe, TSNode n, NodeKind k) {
    return mk(fe, k, n);
}

/* One statement (Lang. Ref. 7 and 8); NULL when nothing was lowered. */
static Node *lw_stmt(Fe *fe, TSNode n) {
    switch (kind_of(n)) {
    case K_expression_statement:   return lw_expr_stmt(fe, n);
    case K_print_statement:
    case K_exec_statement:         return lw_legacy(fe, n);
    case K_return_statement:       return lw_return(fe, n);
    case K_delete_statement:       return lw_delete(fe, n);
    case K_raise_statement:        return lw_raise(fe, n);
    case K_pass_statement:         return lw_simple(fe, n, ND_PASS);
    case K_break_statement:        return lw_simple(fe, n, ND_BREAK);
    case K_continue_statement:     return lw_simple(fe, n, ND_CONTINUE);
    case K_global_statement:       return lw_global(fe, n, ND_GLOBAL);
    case K_nonlocal_statement:     return lw_global(fe, n, ND_NONLOCAL);
    case K_import_statement:       return lw_import(fe, n);
    case K_import_from_statement:
    case K_future_import_statement: return lw_import_from(fe, n);
    case K_assert_statement:       return lw_assert(fe, n);
    case K_if_statement:           return lw_if(fe, n);
    case K_for_statement:          return lw_for(fe, n);
    case K_while_statement:        return lw_while(fe, n);
    case K_try_statement:          return lw_try(fe, n);
    case K_with_statement:         return lw_with(fe, n);
    case K_function_definition:    return lw_funcdef(fe, n);
    case K_class_definition:       return lw_classdef(fe, n);
    case K_decorated_definition:   return lw_decorated(fe, n);
    case K_match_statement:
        lw_unsupported(fe, n, "mp2c does not support the 'match' statement; "
                              "use if/elif/else instead");
        return NULL;
    case K_type_alias_statement:
    default:
        lw_error(fe, n, "invalid syntax");
        return NULL;
    }
}

/* block / file_input: statement*   (Lang. Ref. 8, 9.1) */
static void lw_block(Fe *fe, TSNode n, NodeList *out) {
    if (fe->depth >= FE_MAX_DEPTH) {
        if (!fe->too_deep)
            lw_error(fe, n, "too many nested blocks (mp2c's limit is 1000 levels)");
        fe->too_deep = true;
        return;
    }
    fe->depth++;
    TSTreeCursor c = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            TSNode s = ts_tree_cursor_current_node(&c);
            if (!ts_node_is_named(s) || (ts_node_is_extra(s) && kind_of(s) != K_ERROR))
                continue;
            Node *x = lw_stmt(fe, s);
            if (x)
                ast_list_push(fe->a, out, x);
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    fe->depth--;
}

/* ==== stage 5: CPython's compile-time checks ===================================== */

/* CPython's symtable.c and compile.c reject some parsed programs: 'return'
 * outside a function, a global declared after use, ... These checks walk our
 * AST once, keeping a small symbol table per scope. */

enum { SC_MODULE, SC_FUNC, SC_LAMBDA, SC_CLASS, SC_COMP };
enum { SY_USED = 1, SY_BOUND = 2, SY_PARAM = 4, SY_GLOBAL = 8, SY_NONLOCAL = 16, SY_ANNOT = 32 };

typedef struct CkSym {
    const char *name;
    unsigned    flags;
} CkSym;

typedef struct CkScope {
    int             kind;
    bool            is_async;
    const char     *what;      /* SC_COMP: "list comprehension", ... */
    struct CkScope *up;
    CkSym          *slots;     /* open addressing, power-of-two capacity */
    int             cap, len;
} CkScope;

typedef struct CkNonlocal {
    CkScope    *scope;
    const char *name;
    Node       *stmt;
} CkNonlocal;

typedef struct Ck {
    Fe         *fe;
    CkScope    *sc;
    bool        in_loop;
    CkNonlocal *nl;
    int         nnl, capnl;
} Ck;

static void ck_expr(Ck *ck, Node *e);
static void ck_body(Ck *ck, NodeList *l);
static void ck_args_outer(Ck *ck, Node *args);
static void ck_args_bind(Ck *ck, Node *args);

static void ck_error(Ck *ck, ErrClass cls, Node *at, const char *msg) {
    FeErr *e = add_err(ck->fe, cls, 0, 0, msg);
    e->loc = at->loc;
    e->end = at->end;
    if (at->loc.line)
        e->off = ck->fe->src->line_off[at->loc.line - 1] + at->loc.col - 1;
}

static uint32_t hash_name(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static CkSym *sym_get(Ck *ck, CkScope *sc, const char *name) {
    if (sc->len * 2 >= sc->cap) {
        int cap = sc->cap ? sc->cap * 2 : 16;
        CkSym *slots = ar_alloc(ck->fe->a, sizeof(CkSym) * (size_t)cap);
        for (int i = 0; i < sc->cap; i++) {
            if (!sc->slots[i].name)
                continue;
            uint32_t j = hash_name(sc->slots[i].name) & (uint32_t)(cap - 1);
            while (slots[j].name)
                j = (j + 1) & (uint32_t)(cap - 1);
            slots[j] = sc->slots[i];
        }
        sc->slots = slots;
        sc->cap = cap;
    }
    uint32_t j = hash_name(name) & (uint32_t)(sc->cap - 1);
    while (sc->slots[j].name && strcmp(sc->slots[j].name, name))
        j = (j + 1) & (uint32_t)(sc->cap - 1);
    if (!sc->slots[j].name) {
        sc->slots[j].name = name;
        sc->len++;
    }
    return &sc->slots[j];
}

static void ck_mark(Ck *ck, const char *name, unsigned flag) {
    sym_get(ck, ck->sc, name)->flags |= flag;
}

/* The scope a name bound by ':=' lands in: the nearest one that is not a
 * comprehension. */
static CkScope *walrus_scope(CkScope *sc) {
    while (sc->kind == SC_COMP && sc->up)
        sc = sc->up;
    return sc;
}

static CkScope *ck_push(Ck *ck, int kind, bool is_async, const char *what) {
    CkScope *s = ar_alloc(ck->fe->a, sizeof(CkScope));
    s->kind = kind;
    s->is_async = is_async;
    s->what = what;
    s->up = ck->sc;
    ck->sc = s;
    return s;
}

static bool in_function(const Ck *ck) {
    const CkScope *s = ck->sc;
    while (s->kind == SC_COMP)
        s = s->up;
    return s->kind == SC_FUNC || s->kind == SC_LAMBDA;
}

static bool in_async_function(const Ck *ck) {
    const CkScope *s = ck->sc;
    while (s->kind == SC_COMP)
        s = s->up;
    return s->kind == SC_FUNC && s->is_async;
}

static void ck_list(Ck *ck, NodeList *l) {
    for (int i = 0; i < l->len; i++)
        if (l->items[i])
            ck_expr(ck, l->items[i]);
}

/* Items of a display or call may be starred; anywhere else "*x" is an error. */
static void ck_items(Ck *ck, NodeList *l) {
    for (int i = 0; i < l->len; i++) {
        Node *e = l->items[i];
        if (e && e->kind == ND_STARRED)
            ck_expr(ck, e->starred.value);
        else if (e)
            ck_expr(ck, e);
    }
}

/* Assignment targets: starred only inside a tuple or list, at most one. */
static void ck_target(Ck *ck, Node *t, bool top) {
    if (t->kind == ND_STARRED) {
        if (top)
            ck_error(ck, EC_COMPILE, t, "starred assignment target must be in a list or tuple");
        ck_target(ck, t->starred.value, false);
        return;
    }
    if (t->kind == ND_TUPLE || t->kind == ND_LIST) {
        int stars = 0;
        for (int i = 0; i < t->list.elts.len; i++) {
            Node *e = t->list.elts.items[i];
            if (e->kind == ND_STARRED && ++stars == 2)
                ck_error(ck, EC_COMPILE, t, "multiple starred expressions in assignment");
            ck_target(ck, e, false);
        }
        return;
    }
    ck_expr(ck, t);
}

/* name=value arguments: each name once (compile.c: validate_keywords). */
static void ck_keywords(Ck *ck, NodeList *kw) {
    for (int i = 0; i < kw->len; i++) {
        Node *k = kw->items[i];
        ck_expr(ck, k->keyword.value);
        if (!k->keyword.arg)
            continue;
        for (int j = 0; j < i; j++)
            if (kw->items[j]->keyword.arg && !strcmp(kw->items[j]->keyword.arg, k->keyword.arg)) {
                ck_error(ck, EC_COMPILE, k, ar_printf(ck->fe->a, "keyword argument repeated: %s",
                                                      k->keyword.arg));
                break;
            }
    }
}

static void ck_call(Ck *ck, Node *e) {
    ck_expr(ck, e->call.func);
    ck_items(ck, &e->call.args);
    ck_keywords(ck, &e->call.keywords);
}

/* Comprehensions: the first iterable is evaluated in the enclosing scope,
 * everything else in the comprehension's own (Lang. Ref. 6.2.4). */
static void ck_comp(Ck *ck, Node *e, const char *what) {
    NodeList *g = &e->comp.generators;
    if (g->len)
        ck_expr(ck, g->items[0]->comprehension.iter);
    ck_push(ck, SC_COMP, false, what);
    for (int i = 0; i < g->len; i++) {
        Node *c = g->items[i];
        ck_target(ck, c->comprehension.target, true);
        if (i)
            ck_expr(ck, c->comprehension.iter);
        ck_list(ck, &c->comprehension.ifs);
    }
    if (e->kind == ND_DICTCOMP) {
        ck_expr(ck, e->comp.key);
        ck_expr(ck, e->comp.value);
    } else {
        ck_expr(ck, e->comp.elt);
    }
    ck->sc = ck->sc->up;
}

static void ck_yield(Ck *ck, Node *e) {
    if (ck->sc->kind == SC_COMP)
        ck_error(ck, EC_SYMTABLE, e, ar_printf(ck->fe->a, "'yield' inside %s", ck->sc->what));
    else if (!in_function(ck))
        ck_error(ck, EC_COMPILE, e, "'yield' outside function");
    else if (e->kind == ND_YIELDFROM && in_async_function(ck))
        ck_error(ck, EC_COMPILE, e, "'yield from' inside async function");
    if (e->yield.value)
        ck_expr(ck, e->yield.value);
}

static void ck_expr(Ck *ck, Node *e) {
    switch (e->kind) {
    case ND_NAME:
        ck_mark(ck, e->name.id, e->name.ctx == CTX_LOAD ? SY_USED : SY_BOUND);
        return;
    case ND_STARRED:
        if (e->starred.ctx == CTX_LOAD)
            ck_error(ck, EC_COMPILE, e, "can't use starred expression here");
        ck_expr(ck, e->starred.value);
        return;
    case ND_BOOLOP:    ck_list(ck, &e->boolop.values); return;
    case ND_NAMEDEXPR: {
        CkScope *saved = ck->sc;
        ck_expr(ck, e->namedexpr.value);
        ck->sc = walrus_scope(ck->sc);
        ck_expr(ck, e->namedexpr.target);
        ck->sc = saved;
        return;
    }
    case ND_BINOP:     ck_expr(ck, e->binop.left); ck_expr(ck, e->binop.right); return;
    case ND_UNARYOP:   ck_expr(ck, e->unaryop.operand); return;
    case ND_LAMBDA:
        ck_args_outer(ck, e->lambda.args);
        ck_push(ck, SC_LAMBDA, false, NULL);
        ck_args_bind(ck, e->lambda.args);
        ck_expr(ck, e->lambda.body);
        ck->sc = ck->sc->up;
        return;
    case ND_IFEXP:
        ck_expr(ck, e->ifexp.test);
        ck_expr(ck, e->ifexp.body);
        ck_expr(ck, e->ifexp.orelse);
        return;
    case ND_DICT:
        ck_list(ck, &e->dict.keys);
        ck_list(ck, &e->dict.values);
        return;
    case ND_SET:       ck_items(ck, &e->set.elts); return;
    case ND_LISTCOMP:  ck_comp(ck, e, "list comprehension"); return;
    case ND_SETCOMP:   ck_comp(ck, e, "set comprehension"); return;
    case ND_DICTCOMP:  ck_comp(ck, e, "dict comprehension"); return;
    case ND_GENEXP:    ck_comp(ck, e, "generator expression"); return;
    case ND_AWAIT:
        if (ck->sc->kind == SC_COMP && !strcmp(ck->sc->what, "generator expression"))
            ;   /* an asynchronous generator expression: legal anywhere since 3.7 */
        else if (!in_function(ck))
            ck_error(ck, EC_COMPILE, e, "'await' outside function");
        else if (!in_async_function(ck))
            ck_error(ck, EC_COMPILE, e, "'await' outside async function");
        ck_expr(ck, e->await.value);
        return;
    case ND_YIELD:
    case ND_YIELDFROM: ck_yield(ck, e); return;
    case ND_COMPARE:
        ck_expr(ck, e->compare.left);
        ck_list(ck, &e->compare.comparators);
        return;
    case ND_CALL:      ck_call(ck, e); return;
    case ND_FORMATTED:
        ck_expr(ck, e->formatted.value);
        if (e->formatted.format_spec)
            ck_expr(ck, e->formatted.format_spec);
        return;
    case ND_JOINEDSTR: ck_list(ck, &e->joinedstr.values); return;
    case ND_CONST:     return;
    case ND_ATTRIBUTE: ck_expr(ck, e->attribute.value); return;
    case ND_SUBSCRIPT:
        ck_expr(ck, e->subscript.value);
        if (e->subscript.slice->kind == ND_TUPLE)
            ck_items(ck, &e->subscript.slice->list.elts);
        else
            ck_expr(ck, e->subscript.slice);
        return;
    case ND_LIST:
    case ND_TUPLE:     ck_items(ck, &e->list.elts); return;
    case ND_SLICE:
        if (e->slice.lower) ck_expr(ck, e->slice.lower);
        if (e->slice.upper) ck_expr(ck, e->slice.upper);
        if (e->slice.step) ck_expr(ck, e->slice.step);
        return;
    default:
        return;
    }
}

static void ck_param(Ck *ck, Node *a, bool bind) {
    if (!a)
        return;
    if (!bind) {
        Node *t = a->arg.annotation;
        if (t && t->kind == ND_STARRED)
            t = t->starred.value;      /* def f(*args: *Ts), PEP 646 */
        if (t)
            ck_expr(ck, t);
        return;
    }
    CkSym *s = sym_get(ck, ck->sc, a->arg.name);
    if (s->flags & SY_PARAM)
        ck_error(ck, EC_SYMTABLE, a, ar_printf(ck->fe->a, "duplicate argument '%s' in function "
                                                          "definition", a->arg.name));
    s->flags |= SY_PARAM;
}

/* Defaults and annotations are evaluated in the enclosing scope. */
static void ck_args_outer(Ck *ck, Node *args) {
    ck_list(ck, &args->arguments.defaults);
    ck_list(ck, &args->arguments.kw_defaults);
    NodeList *ls[] = { &args->arguments.posonlyargs, &args->arguments.args,
                       &args->arguments.kwonlyargs };
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < ls[i]->len; j++)
            ck_param(ck, ls[i]->items[j], false);
    ck_param(ck, args->arguments.vararg, false);
    ck_param(ck, args->arguments.kwarg, false);
}

/* Parameters are bound in the function's own scope, in order. */
static void ck_args_bind(Ck *ck, Node *args) {
    NodeList *ls[] = { &args->arguments.posonlyargs, &args->arguments.args };
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < ls[i]->len; j++)
            ck_param(ck, ls[i]->items[j], true);
    ck_param(ck, args->arguments.vararg, true);
    for (int j = 0; j < args->arguments.kwonlyargs.len; j++)
        ck_param(ck, args->arguments.kwonlyargs.items[j], true);
    ck_param(ck, args->arguments.kwarg, true);
}

static void ck_funcdef(Ck *ck, Node *s) {
    ck_list(ck, &s->funcdef.decorators);
    ck_args_outer(ck, s->funcdef.args);
    if (s->funcdef.returns)
        ck_expr(ck, s->funcdef.returns);
    ck_mark(ck, s->funcdef.name, SY_BOUND);
    ck_push(ck, SC_FUNC, s->funcdef.is_async, NULL);
    ck_args_bind(ck, s->funcdef.args);
    bool loop = ck->in_loop;
    ck->in_loop = false;
    ck_body(ck, &s->funcdef.body);
    ck->in_loop = loop;
    ck->sc = ck->sc->up;
}

static void ck_classdef(Ck *ck, Node *s) {
    ck_list(ck, &s->classdef.decorators);
    ck_items(ck, &s->classdef.bases);
    ck_keywords(ck, &s->classdef.keywords);
    ck_mark(ck, s->classdef.name, SY_BOUND);
    ck_push(ck, SC_CLASS, false, NULL);
    bool loop = ck->in_loop;
    ck->in_loop = false;
    ck_body(ck, &s->classdef.body);
    ck->in_loop = loop;
    ck->sc = ck->sc->up;
}

/* global_stmt / nonlocal_stmt (7.12, 7.13): CPython's symtable rules. */
static void ck_global(Ck *ck, Node *s) {
    bool nonlocal = s->kind == ND_NONLOCAL;
    const char *what = nonlocal ? "nonlocal" : "global";
    if (nonlocal && ck->sc->kind == SC_MODULE) {
        ck_error(ck, EC_SYMTABLE, s, "nonlocal declaration not allowed at module level");
        return;
    }
    for (int i = 0; i < s->global.len; i++) {
        const char *name = s->global.names[i];
        CkSym *sym = sym_get(ck, ck->sc, name);
        const char *msg = NULL;
        if (sym->flags & SY_PARAM)
            msg = "name '%s' is parameter and %s";
        else if ((sym->flags & (nonlocal ? SY_GLOBAL : SY_NONLOCAL)))
            msg = "name '%s' is nonlocal and global";
        else if (sym->flags & SY_ANNOT)
            msg = "annotated name '%s' can't be %s";
        else if (sym->flags & SY_BOUND)
            msg = "name '%s' is assigned to before %s declaration";
        else if (sym->flags & SY_USED)
            msg = "name '%s' is used prior to %s declaration";
        if (msg) {
            ck_error(ck, EC_SYMTABLE, s, ar_printf(ck->fe->a, msg, name, what));
            continue;
        }
        sym->flags |= nonlocal ? SY_NONLOCAL : SY_GLOBAL;
        if (nonlocal) {
            if (ck->nnl == ck->capnl) {
                ck->capnl = ck->capnl ? ck->capnl * 2 : 8;
                CkNonlocal *n = ar_alloc(ck->fe->a, sizeof(CkNonlocal) * (size_t)ck->capnl);
                if (ck->nnl)
                    memcpy(n, ck->nl, sizeof(CkNonlocal) * (size_t)ck->nnl);
                ck->nl = n;
            }
            ck->nl[ck->nnl++] = (CkNonlocal){ ck->sc, name, s };
        }
    }
}

/* "nonlocal x" needs x bound in an enclosing function (CPython checks this
 * after the whole module, so bindings that come later count). */
static void ck_nonlocals(Ck *ck) {
    for (int i = 0; i < ck->nnl; i++) {
        CkScope *s = ck->nl[i].scope->up;
        bool found = false;
        for (; s && s->kind != SC_MODULE && !found; s = s->up) {
            if (s->kind == SC_CLASS) {
                found = !strcmp(ck->nl[i].name, "__class__");   /* implicit in methods */
                continue;
            }
            CkSym *sym = sym_get(ck, s, ck->nl[i].name);
            if (sym->flags & SY_GLOBAL)
                break;
            found = (sym->flags & (SY_BOUND | SY_PARAM | SY_NONLOCAL)) != 0;
        }
        if (!found)
            ck_error(ck, EC_SYMTABLE, ck->nl[i].stmt,
                     ar_printf(ck->fe->a, "no binding for nonlocal '%s' found", ck->nl[i].name));
    }
}

static const char *const future_features[] = {
    "nested_scopes", "generators", "division", "absolute_import", "with_statement",
    "print_function", "unicode_literals", "barry_as_FLUFL", "generator_stop", "annotations",
};

/* from __future__ import ...: known features, at the top of the file only. */
static void ck_future(Ck *ck, Node *s, bool at_top) {
    if (!at_top) {
        ck_error(ck, EC_SYMTABLE, s, "from __future__ imports must occur at the beginning of the file");
        return;
    }
    for (int i = 0; i < s->importfrom.names.len; i++) {
        const char *f = s->importfrom.names.items[i]->alias.name;
        bool known = false;
        for (size_t j = 0; j < sizeof future_features / sizeof future_features[0]; j++)
            known = known || !strcmp(f, future_features[j]);
        if (!known)
            ck_error(ck, EC_SYMTABLE, s, !strcmp(f, "braces") ? "not a chance"
                     : ar_printf(ck->fe->a, "future feature %s is not defined", f));
    }
}

static void ck_import(Ck *ck, Node *s) {
    NodeList *names = s->kind == ND_IMPORT ? &s->import.names : &s->importfrom.names;
    for (int i = 0; i < names->len; i++) {
        Node *a = names->items[i];
        if (!strcmp(a->alias.name, "*")) {
            if (ck->sc->kind != SC_MODULE)
                ck_error(ck, EC_SYMTABLE, s, "import * only allowed at module level");
            continue;
        }
        const char *bound = a->alias.asname;
        if (!bound) {
            const char *dot = strchr(a->alias.name, '.');
            bound = dot ? ar_strndup(ck->fe->a, a->alias.name, (size_t)(dot - a->alias.name))
                        : a->alias.name;
        }
        ck_mark(ck, bound, SY_BOUND);
    }
}

static void ck_loop(Ck *ck, NodeList *body, NodeList *orelse) {
    bool loop = ck->in_loop;
    ck->in_loop = true;
    ck_body(ck, body);
    ck->in_loop = loop;
    ck_body(ck, orelse);
}

static void ck_stmt(Ck *ck, Node *s) {
    switch (s->kind) {
    case ND_FUNCDEF:   ck_funcdef(ck, s); return;
    case ND_CLASSDEF:  ck_classdef(ck, s); return;
    case ND_RETURN:
        if (!in_function(ck))
            ck_error(ck, EC_COMPILE, s, "'return' outside function");
        if (s->ret.value)
            ck_expr(ck, s->ret.value);
        return;
    case ND_DELETE:    ck_list(ck, &s->del.targets); return;
    case ND_ASSIGN:
        ck_expr(ck, s->assign.value);
        for (int i = 0; i < s->assign.targets.len; i++)
            ck_target(ck, s->assign.targets.items[i], true);
        return;
    case ND_AUGASSIGN:
        ck_expr(ck, s->augassign.value);
        ck_expr(ck, s->augassign.target);
        return;
    case ND_ANNASSIGN:
        ck_expr(ck, s->annassign.annotation);
        if (s->annassign.value)
            ck_expr(ck, s->annassign.value);
        if (s->annassign.target->kind == ND_NAME)
            ck_mark(ck, s->annassign.target->name.id, SY_ANNOT);
        ck_expr(ck, s->annassign.target);
        return;
    case ND_FOR:
        if (s->for_.is_async && !in_async_function(ck))
            ck_error(ck, EC_COMPILE, s, "'async for' outside async function");
        ck_expr(ck, s->for_.iter);
        ck_target(ck, s->for_.target, true);
        ck_loop(ck, &s->for_.body, &s->for_.orelse);
        return;
    case ND_WHILE:
        ck_expr(ck, s->while_.test);
        ck_loop(ck, &s->while_.body, &s->while_.orelse);
        return;
    case ND_IF:
        ck_expr(ck, s->if_.test);
        ck_body(ck, &s->if_.body);
        ck_body(ck, &s->if_.orelse);
        return;
    case ND_WITH:
        if (s->with.is_async && !in_async_function(ck))
            ck_error(ck, EC_COMPILE, s, "'async with' outside async function");
        for (int i = 0; i < s->with.items.len; i++) {
            Node *w = s->with.items.items[i];
            ck_expr(ck, w->withitem.context_expr);
            if (w->withitem.optional_vars)
                ck_target(ck, w->withitem.optional_vars, true);
        }
        ck_body(ck, &s->with.body);
        return;
    case ND_RAISE:
        if (s->raise.exc) ck_expr(ck, s->raise.exc);
        if (s->raise.cause) ck_expr(ck, s->raise.cause);
        return;
    case ND_TRY:
        ck_body(ck, &s->try_.body);
        for (int i = 0; i < s->try_.handlers.len; i++) {
            Node *h = s->try_.handlers.items[i];
            if (h->handler.type)
                ck_expr(ck, h->handler.type);
            if (h->handler.name)
                ck_mark(ck, h->handler.name, SY_BOUND);
            ck_body(ck, &h->handler.body);
        }
        ck_body(ck, &s->try_.orelse);
        ck_body(ck, &s->try_.finalbody);
        return;
    case ND_ASSERT:
        ck_expr(ck, s->assert_.test);
        if (s->assert_.msg) ck_expr(ck, s->assert_.msg);
        return;
    case ND_IMPORT:
    case ND_IMPORTFROM: ck_import(ck, s); return;
    case ND_GLOBAL:
    case ND_NONLOCAL:  ck_global(ck, s); return;
    case ND_EXPR:
        if (s->expr.value->kind == ND_STARRED)
            ck_error(ck, EC_COMPILE, s->expr.value, "can't use starred expression here");
        ck_expr(ck, s->expr.value);
        return;
    case ND_BREAK:
        if (!ck->in_loop)
            ck_error(ck, EC_COMPILE, s, "'break' outside loop");
        return;
    case ND_CONTINUE:
        if (!ck->in_loop)
            ck_error(ck, EC_COMPILE, s, "'continue' not properly in loop");
        return;
    default:
        return;
    }
}

static void ck_body(Ck *ck, NodeList *l) {
    for (int i = 0; i < l->len; i++)
        ck_stmt(ck, l->items[i]);
}

static bool is_docstring(Node *s) {
    return s->kind == ND_EXPR && s->expr.value->kind == ND_CONST &&
           s->expr.value->constant.kind == CONST_STR;
}

static void ck_module(Fe *fe, Node *m) {
    Ck ck = { .fe = fe };
    ck_push(&ck, SC_MODULE, false, NULL);
    bool top = true;
    NodeList *body = &m->module.body;
    for (int i = 0; i < body->len; i++) {
        Node *s = body->items[i];
        bool future = s->kind == ND_IMPORTFROM && s->importfrom.module &&
                      !strcmp(s->importfrom.module, "__future__") && s->importfrom.level == 0;
        if (future)
            ck_future(&ck, s, top);
        else if (!(i == 0 && is_docstring(s)))
            top = false;
        ck_stmt(&ck, s);
    }
    ck_nonlocals(&ck);
}

/* ==== reporting =================================================================== */

/* The one syntax error CPython would report. CPython stops at the first
 * error; which is first depends on where it comes from:
 *  - a tokenizer error raised as an exception (unterminated string, invalid
 *    character, unmatched bracket, ...) wins even over a parser error found
 *    earlier in the file: CPython tokenizes the rest of the file after a
 *    parser error to look for one;
 *  - other tokenizer errors (bad dedent, tabs, a stray backslash) count only
 *    when the parser reaches them, i.e. when no parser error comes first;
 *  - end of file inside brackets is "'(' was never closed" unless the parser
 *    failed before the end of the file, on the bracket's own line or before;
 *  - among parser errors, the first logical line wins; on one line the
 *    pre-lexer's specific messages beat tree-sitter's generic one;
 *  - "unexpected indent" is final: CPython raises it without tokenizing
 *    further, so a later tokenizer error does not replace it. */
/* Nothing but blanks and comments from off to the end of the file. */
static bool only_blanks_after(const Fe *fe, uint32_t off) {
    for (size_t i = off; i < fe->n; i++) {
        if (fe->s[i] == '#') {
            while (i < fe->n && fe->s[i] != '\n')
                i++;
        } else if (!isspace((unsigned char)fe->s[i]) && fe->s[i] != '\\') {
            return false;
        }
    }
    return true;
}

static FeErr *pick_syntax_error(Fe *fe) {
    FeErr *tok = NULL, *p = NULL;
    for (int i = 0; i < fe->nerrs; i++) {
        FeErr *e = &fe->errs[i];
        if (e->cls <= EC_TOK_EOF && !tok)
            tok = e;
        if (e->cls == EC_SYNTAX &&
            (!p || e->anchor < p->anchor ||
             (e->anchor == p->anchor && (e->prio < p->prio ||
                                         (e->prio == p->prio && e->off < p->off)))))
            p = e;
    }
    if (!tok)
        return p;
    if (tok->cls == EC_TOK_HARD)
        return p && p->final && p->off < tok->off ? p : tok;
    if (tok->cls == EC_TOK_SOFT)
        return p && p->loc.line < tok->loc.line ? p : tok;
    return p && p->loc.line <= tok->aux && !only_blanks_after(fe, p->off) ? p : tok;
}

static int class_rank(ErrClass c) {
    return c == EC_SYMTABLE ? 0 : c == EC_COMPILE ? 1 : 2;
}

static int cmp_errs(const void *x, const void *y) {
    const FeErr *a = x, *b = y;
    if (class_rank(a->cls) != class_rank(b->cls))
        return class_rank(a->cls) - class_rank(b->cls);
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    return a < b ? -1 : a > b;
}

static void emit_err(Fe *fe, const FeErr *e) {
    diag_error(fe->src, e->loc, e->end, "%s", e->msg);
    if (e->note)
        diag_note(fe->src, (Loc){0, 0}, "%s", e->note);
}

/* Prints the errors; returns true when there was any. */
static bool report(Fe *fe) {
    if (fe->nerrs == 0)
        return false;
    FeErr *syn = pick_syntax_error(fe);
    if (syn) {
        emit_err(fe, syn);
        return true;
    }
    qsort(fe->errs, (size_t)fe->nerrs, sizeof(FeErr), cmp_errs);
    for (int i = 0; i < fe->nerrs; i++)
        emit_err(fe, &fe->errs[i]);
    return true;
}

/* ==== entry points ================================================================== */

/* A tokenizer error CPython raises wherever it is, unless the parser stops
 * for good before it ("unexpected indent"); whether the parser stops even
 * earlier is for tree-sitter to tell. */
static bool final_before_hard(const Fe *fe) {
    const FeErr *hard = NULL;
    for (int i = 0; i < fe->nerrs; i++)
        if (fe->errs[i].cls == EC_TOK_HARD)
            hard = &fe->errs[i];
    for (int i = 0; hard && i < fe->nerrs; i++)
        if (fe->errs[i].final && fe->errs[i].off < hard->off)
            return true;
    return false;
}

static Node *parse_and_lower(Fe *fe, size_t start) {
    SrcFile text = *fe->src;
    text.text = parse_text(fe);
    TSTree *t = ts_parse(&text, start);
    if (!t) {
        add_err(fe, EC_TOK_HARD, 0, 0, "the parser gave up on this file (it took too long)");
        return NULL;
    }
    TSNode root = ts_tree_root_node(t);
    Node *m = NULL;
    if (ts_node_has_error(root)) {
        report_first_error(fe, t, start);
    } else {
        m = mk(fe, ND_MODULE, root);
        lw_block(fe, root, &m->module.body);
        if (!has_err(fe, EC_SYNTAX))
            ck_module(fe, m);
    }
    ts_tree_delete(t);
    return m;
}

Node *fe_parse_syntax(Arena *a, const SrcFile *src) {
    Fe fe = { .a = a, .src = src, .s = src->text, .n = src->len };
    size_t start;
    Node *m = NULL;
    if (check_bytes(&fe, &start)) {
        lx_run(&fe, start);
        if (!has_err(&fe, EC_TOK_HARD) || final_before_hard(&fe))
            m = parse_and_lower(&fe, start);
    }
    free(fe.ts_text);
    return report(&fe) ? NULL : m;
}

Node *fe_parse(Arena *a, const SrcFile *src) {
    Node *m = fe_parse_syntax(a, src);
    if (m && !fe_check_subset(src, m))
        return NULL;
    return m;
}

/* ast.c: AST constructors, names, and ast_dump().
 *
 * ast_dump() prints a tree exactly as CPython 3.11's ast.dump(tree) does with
 * its default arguments: one line, field names as keywords, no position
 * attributes, optional fields left out when they are None, empty lists as [].
 * Constants are printed as Python's repr() prints them, which is the bulk of
 * this file: str and bytes quoting and escapes (with CPython's choice of
 * quote and its notion of a printable character), the shortest float repr
 * that round-trips, complex as `1.5j`. The tests compare this output with
 * CPython's own dump, so any difference is a bug here or in front.c.
 *
 * Lists are grown by ast_list_push() with capacity doubling; the capacity is
 * implied by the length (the next power of two, at least 4), so a NodeList
 * must only be grown through ast_list_push().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

/* ---- constructors ------------------------------------------------------------ */

Node *ast_new(Arena *a, NodeKind kind, Loc loc, Loc end) {
    Node *n = ar_alloc(a, sizeof(Node));
    n->kind = kind;
    n->loc = loc;
    n->end = end;
    return n;
}

void ast_list_push(Arena *a, NodeList *l, Node *n) {
    int len = l->len;
    if (len == 0 || (len >= 4 && (len & (len - 1)) == 0)) {
        int cap = len == 0 ? 4 : len * 2;
        Node **items = ar_alloc(a, sizeof(Node *) * (size_t)cap);
        if (len)
            memcpy(items, l->items, sizeof(Node *) * (size_t)len);
        l->items = items;
    }
    l->items[l->len++] = n;
}

static const char *const kind_names[ND__COUNT] = {
    [ND_MODULE] = "Module",
    [ND_FUNCDEF] = "FunctionDef", [ND_CLASSDEF] = "ClassDef", [ND_RETURN] = "Return",
    [ND_DELETE] = "Delete", [ND_ASSIGN] = "Assign", [ND_AUGASSIGN] = "AugAssign",
    [ND_ANNASSIGN] = "AnnAssign", [ND_FOR] = "For", [ND_WHILE] = "While", [ND_IF] = "If",
    [ND_WITH] = "With", [ND_RAISE] = "Raise", [ND_TRY] = "Try", [ND_ASSERT] = "Assert",
    [ND_IMPORT] = "Import", [ND_IMPORTFROM] = "ImportFrom", [ND_GLOBAL] = "Global",
    [ND_NONLOCAL] = "Nonlocal", [ND_EXPR] = "Expr", [ND_PASS] = "Pass",
    [ND_BREAK] = "Break", [ND_CONTINUE] = "Continue",
    [ND_BOOLOP] = "BoolOp", [ND_NAMEDEXPR] = "NamedExpr", [ND_BINOP] = "BinOp",
    [ND_UNARYOP] = "UnaryOp", [ND_LAMBDA] = "Lambda", [ND_IFEXP] = "IfExp",
    [ND_DICT] = "Dict", [ND_SET] = "Set", [ND_LISTCOMP] = "ListComp",
    [ND_SETCOMP] = "SetComp", [ND_DICTCOMP] = "DictComp", [ND_GENEXP] = "GeneratorExp",
    [ND_AWAIT] = "Await", [ND_YIELD] = "Yield", [ND_YIELDFROM] = "YieldFrom",
    [ND_COMPARE] = "Compare", [ND_CALL] = "Call", [ND_FORMATTED] = "FormattedValue",
    [ND_JOINEDSTR] = "JoinedStr", [ND_CONST] = "Constant", [ND_ATTRIBUTE] = "Attribute",
    [ND_SUBSCRIPT] = "Subscript", [ND_STARRED] = "Starred", [ND_NAME] = "Name",
    [ND_LIST] = "List", [ND_TUPLE] = "Tuple", [ND_SLICE] = "Slice",
    [ND_ARGUMENTS] = "arguments", [ND_ARG] = "arg", [ND_KEYWORD] = "keyword",
    [ND_ALIAS] = "alias", [ND_WITHITEM] = "withitem",
    [ND_COMPREHENSION] = "comprehension", [ND_EXCEPTHANDLER] = "ExceptHandler",
};

const char *ast_kind_name(NodeKind kind) {
    if ((unsigned)kind >= ND__COUNT || !kind_names[kind])
        return "?";
    return kind_names[kind];
}

static const char *const binop_syms[] = {
    "+", "-", "*", "@", "/", "%", "**", "<<", ">>", "|", "^", "&", "//",
};
static const char *const binop_names[] = {
    "Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift",
    "BitOr", "BitXor", "BitAnd", "FloorDiv",
};
static const char *const cmpop_syms[] = {
    "==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in",
};
static const char *const cmpop_names[] = {
    "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn",
};
static const char *const unop_names[] = { "Invert", "Not", "UAdd", "USub" };

const char *ast_binop_symbol(BinOpKind op) {
    return (unsigned)op <= OP_FLOORDIV ? binop_syms[op] : "?";
}

const char *ast_cmpop_symbol(CmpOpKind op) {
    return (unsigned)op <= CMP_NOTIN ? cmpop_syms[op] : "?";
}

/* ---- repr of constants ---------------------------------------------------- */

/* BEGIN GENERATED nonprint (tests/unit/gen_unicode_tables.py, Unicode 14.0.0). Do not edit. */
static const uint32_t nonprint_ranges[][2] = {
    {0x0000, 0x001f}, {0x007f, 0x00a0}, {0x00ad, 0x00ad}, {0x0378, 0x0379},
    {0x0380, 0x0383}, {0x038b, 0x038b}, {0x038d, 0x038d}, {0x03a2, 0x03a2},
    {0x0530, 0x0530}, {0x0557, 0x0558}, {0x058b, 0x058c}, {0x0590, 0x0590},
    {0x05c8, 0x05cf}, {0x05eb, 0x05ee}, {0x05f5, 0x0605}, {0x061c, 0x061c},
    {0x06dd, 0x06dd}, {0x070e, 0x070f}, {0x074b, 0x074c}, {0x07b2, 0x07bf},
    {0x07fb, 0x07fc}, {0x082e, 0x082f}, {0x083f, 0x083f}, {0x085c, 0x085d},
    {0x085f, 0x085f}, {0x086b, 0x086f}, {0x088f, 0x0897}, {0x08e2, 0x08e2},
    {0x0984, 0x0984}, {0x098d, 0x098e}, {0x0991, 0x0992}, {0x09a9, 0x09a9},
    {0x09b1, 0x09b1}, {0x09b3, 0x09b5}, {0x09ba, 0x09bb}, {0x09c5, 0x09c6},
    {0x09c9, 0x09ca}, {0x09cf, 0x09d6}, {0x09d8, 0x09db}, {0x09de, 0x09de},
    {0x09e4, 0x09e5}, {0x09ff, 0x0a00}, {0x0a04, 0x0a04}, {0x0a0b, 0x0a0e},
    {0x0a11, 0x0a12}, {0x0a29, 0x0a29}, {0x0a31, 0x0a31}, {0x0a34, 0x0a34},
    {0x0a37, 0x0a37}, {0x0a3a, 0x0a3b}, {0x0a3d, 0x0a3d}, {0x0a43, 0x0a46},
    {0x0a49, 0x0a4a}, {0x0a4e, 0x0a50}, {0x0a52, 0x0a58}, {0x0a5d, 0x0a5d},
    {0x0a5f, 0x0a65}, {0x0a77, 0x0a80}, {0x0a84, 0x0a84}, {0x0a8e, 0x0a8e},
    {0x0a92, 0x0a92}, {0x0aa9, 0x0aa9}, {0x0ab1, 0x0ab1}, {0x0ab4, 0x0ab4},
    {0x0aba, 0x0abb}, {0x0ac6, 0x0ac6}, {0x0aca, 0x0aca}, {0x0ace, 0x0acf},
    {0x0ad1, 0x0adf}, {0x0ae4, 0x0ae5}, {0x0af2, 0x0af8}, {0x0b00, 0x0b00},
    {0x0b04, 0x0b04}, {0x0b0d, 0x0b0e}, {0x0b11, 0x0b12}, {0x0b29, 0x0b29},
    {0x0b31, 0x0b31}, {0x0b34, 0x0b34}, {0x0b3a, 0x0b3b}, {0x0b45, 0x0b46},
    {0x0b49, 0x0b4a}, {0x0b4e, 0x0b54}, {0x0b58, 0x0b5b}, {0x0b5e, 0x0b5e},
    {0x0b64, 0x0b65}, {0x0b78, 0x0b81}, {0x0b84, 0x0b84}, {0x0b8b, 0x0b8d},
    {0x0b91, 0x0b91}, {0x0b96, 0x0b98}, {0x0b9b, 0x0b9b}, {0x0b9d, 0x0b9d},
    {0x0ba0, 0x0ba2}, {0x0ba5, 0x0ba7}, {0x0bab, 0x0bad}, {0x0bba, 0x0bbd},
    {0x0bc3, 0x0bc5}, {0x0bc9, 0x0bc9}, {0x0bce, 0x0bcf}, {0x0bd1, 0x0bd6},
    {0x0bd8, 0x0be5}, {0x0bfb, 0x0bff}, {0x0c0d, 0x0c0d}, {0x0c11, 0x0c11},
    {0x0c29, 0x0c29}, {0x0c3a, 0x0c3b}, {0x0c45, 0x0c45}, {0x0c49, 0x0c49},
    {0x0c4e, 0x0c54}, {0x0c57, 0x0c57}, {0x0c5b, 0x0c5c}, {0x0c5e, 0x0c5f},
    {0x0c64, 0x0c65}, {0x0c70, 0x0c76}, {0x0c8d, 0x0c8d}, {0x0c91, 0x0c91},
    {0x0ca9, 0x0ca9}, {0x0cb4, 0x0cb4}, {0x0cba, 0x0cbb}, {0x0cc5, 0x0cc5},
    {0x0cc9, 0x0cc9}, {0x0cce, 0x0cd4}, {0x0cd7, 0x0cdc}, {0x0cdf, 0x0cdf},
    {0x0ce4, 0x0ce5}, {0x0cf0, 0x0cf0}, {0x0cf3, 0x0cff}, {0x0d0d, 0x0d0d},
    {0x0d11, 0x0d11}, {0x0d45, 0x0d45}, {0x0d49, 0x0d49}, {0x0d50, 0x0d53},
    {0x0d64, 0x0d65}, {0x0d80, 0x0d80}, {0x0d84, 0x0d84}, {0x0d97, 0x0d99},
    {0x0db2, 0x0db2}, {0x0dbc, 0x0dbc}, {0x0dbe, 0x0dbf}, {0x0dc7, 0x0dc9},
    {0x0dcb, 0x0dce}, {0x0dd5, 0x0dd5}, {0x0dd7, 0x0dd7}, {0x0de0, 0x0de5},
    {0x0df0, 0x0df1}, {0x0df5, 0x0e00}, {0x0e3b, 0x0e3e}, {0x0e5c, 0x0e80},
    {0x0e83, 0x0e83}, {0x0e85, 0x0e85}, {0x0e8b, 0x0e8b}, {0x0ea4, 0x0ea4},
    {0x0ea6, 0x0ea6}, {0x0ebe, 0x0ebf}, {0x0ec5, 0x0ec5}, {0x0ec7, 0x0ec7},
    {0x0ece, 0x0ecf}, {0x0eda, 0x0edb}, {0x0ee0, 0x0eff}, {0x0f48, 0x0f48},
    {0x0f6d, 0x0f70}, {0x0f98, 0x0f98}, {0x0fbd, 0x0fbd}, {0x0fcd, 0x0fcd},
    {0x0fdb, 0x0fff}, {0x10c6, 0x10c6}, {0x10c8, 0x10cc}, {0x10ce, 0x10cf},
    {0x1249, 0x1249}, {0x124e, 0x124f}, {0x1257, 0x1257}, {0x1259, 0x1259},
    {0x125e, 0x125f}, {0x1289, 0x1289}, {0x128e, 0x128f}, {0x12b1, 0x12b1},
    {0x12b6, 0x12b7}, {0x12bf, 0x12bf}, {0x12c1, 0x12c1}, {0x12c6, 0x12c7},
    {0x12d7, 0x12d7}, {0x1311, 0x1311}, {0x1316, 0x1317}, {0x135b, 0x135c},
    {0x137d, 0x137f}, {0x139a, 0x139f}, {0x13f6, 0x13f7}, {0x13fe, 0x13ff},
    {0x1680, 0x1680}, {0x169d, 0x169f}, {0x16f9, 0x16ff}, {0x1716, 0x171e},
    {0x1737, 0x173f}, {0x1754, 0x175f}, {0x176d, 0x176d}, {0x1771, 0x1771},
    {0x1774, 0x177f}, {0x17de, 0x17df}, {0x17ea, 0x17ef}, {0x17fa, 0x17ff},
    {0x180e, 0x180e}, {0x181a, 0x181f}, {0x1879, 0x187f}, {0x18ab, 0x18af},
    {0x18f6, 0x18ff}, {0x191f, 0x191f}, {0x192c, 0x192f}, {0x193c, 0x193f},
    {0x1941, 0x1943}, {0x196e, 0x196f}, {0x1975, 0x197f}, {0x19ac, 0x19af},
    {0x19ca, 0x19cf}, {0x19db, 0x19dd}, {0x1a1c, 0x1a1d}, {0x1a5f, 0x1a5f},
    {0x1a7d, 0x1a7e}, {0x1a8a, 0x1a8f}, {0x1a9a, 0x1a9f}, {0x1aae, 0x1aaf},
    {0x1acf, 0x1aff}, {0x1b4d, 0x1b4f}, {0x1b7f, 0x1b7f}, {0x1bf4, 0x1bfb},
    {0x1c38, 0x1c3a}, {0x1c4a, 0x1c4c}, {0x1c89, 0x1c8f}, {0x1cbb, 0x1cbc},
    {0x1cc8, 0x1ccf}, {0x1cfb, 0x1cff}, {0x1f16, 0x1f17}, {0x1f1e, 0x1f1f},
    {0x1f46, 0x1f47}, {0x1f4e, 0x1f4f}, {0x1f58, 0x1f58}, {0x1f5a, 0x1f5a},
    {0x1f5c, 0x1f5c}, {0x1f5e, 0x1f5e}, {0x1f7e, 0x1f7f}, {0x1fb5, 0x1fb5},
    {0x1fc5, 0x1fc5}, {0x1fd4, 0x1fd5}, {0x1fdc, 0x1fdc}, {0x1ff0, 0x1ff1},
    {0x1ff5, 0x1ff5}, {0x1fff, 0x200f}, {0x2028, 0x202f}, {0x205f, 0x206f},
    {0x2072, 0x2073}, {0x208f, 0x208f}, {0x209d, 0x209f}, {0x20c1, 0x20cf},
    {0x20f1, 0x20ff}, {0x218c, 0x218f}, {0x2427, 0x243f}, {0x244b, 0x245f},
    {0x2b74, 0x2b75}, {0x2b96, 0x2b96}, {0x2cf4, 0x2cf8}, {0x2d26, 0x2d26},
    {0x2d28, 0x2d2c}, {0x2d2e, 0x2d2f}, {0x2d68, 0x2d6e}, {0x2d71, 0x2d7e},
    {0x2d97, 0x2d9f}, {0x2da7, 0x2da7}, {0x2daf, 0x2daf}, {0x2db7, 0x2db7},
    {0x2dbf, 0x2dbf}, {0x2dc7, 0x2dc7}, {0x2dcf, 0x2dcf}, {0x2dd7, 0x2dd7},
    {0x2ddf, 0x2ddf}, {0x2e5e, 0x2e7f}, {0x2e9a, 0x2e9a}, {0x2ef4, 0x2eff},
    {0x2fd6, 0x2fef}, {0x2ffc, 0x3000}, {0x3040, 0x3040}, {0x3097, 0x3098},
    {0x3100, 0x3104}, {0x3130, 0x3130}, {0x318f, 0x318f}, {0x31e4, 0x31ef},
    {0x321f, 0x321f}, {0xa48d, 0xa48f}, {0xa4c7, 0xa4cf}, {0xa62c, 0xa63f},
    {0xa6f8, 0xa6ff}, {0xa7cb, 0xa7cf}, {0xa7d2, 0xa7d2}, {0xa7d4, 0xa7d4},
    {0xa7da, 0xa7f1}, {0xa82d, 0xa82f}, {0xa83a, 0xa83f}, {0xa878, 0xa87f},
    {0xa8c6, 0xa8cd}, {0xa8da, 0xa8df}, {0xa954, 0xa95e}, {0xa97d, 0xa97f},
    {0xa9ce, 0xa9ce}, {0xa9da, 0xa9dd}, {0xa9ff, 0xa9ff}, {0xaa37, 0xaa3f},
    {0xaa4e, 0xaa4f}, {0xaa5a, 0xaa5b}, {0xaac3, 0xaada}, {0xaaf7, 0xab00},
    {0xab07, 0xab08}, {0xab0f, 0xab10}, {0xab17, 0xab1f}, {0xab27, 0xab27},
    {0xab2f, 0xab2f}, {0xab6c, 0xab6f}, {0xabee, 0xabef}, {0xabfa, 0xabff},
    {0xd7a4, 0xd7af}, {0xd7c7, 0xd7ca}, {0xd7fc, 0xf8ff}, {0xfa6e, 0xfa6f},
    {0xfada, 0xfaff}, {0xfb07, 0xfb12}, {0xfb18, 0xfb1c}, {0xfb37, 0xfb37},
    {0xfb3d, 0xfb3d}, {0xfb3f, 0xfb3f}, {0xfb42, 0xfb42}, {0xfb45, 0xfb45},
    {0xfbc3, 0xfbd2}, {0xfd90, 0xfd91}, {0xfdc8, 0xfdce}, {0xfdd0, 0xfdef},
    {0xfe1a, 0xfe1f}, {0xfe53, 0xfe53}, {0xfe67, 0xfe67}, {0xfe6c, 0xfe6f},
    {0xfe75, 0xfe75}, {0xfefd, 0xff00}, {0xffbf, 0xffc1}, {0xffc8, 0xffc9},
    {0xffd0, 0xffd1}, {0xffd8, 0xffd9}, {0xffdd, 0xffdf}, {0xffe7, 0xffe7},
    {0xffef, 0xfffb}, {0xfffe, 0xffff}, {0x1000c, 0x1000c}, {0x10027, 0x10027},
    {0x1003b, 0x1003b}, {0x1003e, 0x1003e}, {0x1004e, 0x1004f}, {0x1005e, 0x1007f},
    {0x100fb, 0x100ff}, {0x10103, 0x10106}, {0x10134, 0x10136}, {0x1018f, 0x1018f},
    {0x1019d, 0x1019f}, {0x101a1, 0x101cf}, {0x101fe, 0x1027f}, {0x1029d, 0x1029f},
    {0x102d1, 0x102df}, {0x102fc, 0x102ff}, {0x10324, 0x1032c}, {0x1034b, 0x1034f},
    {0x1037b, 0x1037f}, {0x1039e, 0x1039e}, {0x103c4, 0x103c7}, {0x103d6, 0x103ff},
    {0x1049e, 0x1049f}, {0x104aa, 0x104af}, {0x104d4, 0x104d7}, {0x104fc, 0x104ff},
    {0x10528, 0x1052f}, {0x10564, 0x1056e}, {0x1057b, 0x1057b}, {0x1058b, 0x1058b},
    {0x10593, 0x10593}, {0x10596, 0x10596}, {0x105a2, 0x105a2}, {0x105b2, 0x105b2},
    {0x105ba, 0x105ba}, {0x105bd, 0x105ff}, {0x10737, 0x1073f}, {0x10756, 0x1075f},
    {0x10768, 0x1077f}, {0x10786, 0x10786}, {0x107b1, 0x107b1}, {0x107bb, 0x107ff},
    {0x10806, 0x10807}, {0x10809, 0x10809}, {0x10836, 0x10836}, {0x10839, 0x1083b},
    {0x1083d, 0x1083e}, {0x10856, 0x10856}, {0x1089f, 0x108a6}, {0x108b0, 0x108df},
    {0x108f3, 0x108f3}, {0x108f6, 0x108fa}, {0x1091c, 0x1091e}, {0x1093a, 0x1093e},
    {0x10940, 0x1097f}, {0x109b8, 0x109bb}, {0x109d0, 0x109d1}, {0x10a04, 0x10a04},
    {0x10a07, 0x10a0b}, {0x10a14, 0x10a14}, {0x10a18, 0x10a18}, {0x10a36, 0x10a37},
    {0x10a3b, 0x10a3e}, {0x10a49, 0x10a4f}, {0x10a59, 0x10a5f}, {0x10aa0, 0x10abf},
    {0x10ae7, 0x10aea}, {0x10af7, 0x10aff}, {0x10b36, 0x10b38}, {0x10b56, 0x10b57},
    {0x10b73, 0x10b77}, {0x10b92, 0x10b98}, {0x10b9d, 0x10ba8}, {0x10bb0, 0x10bff},
    {0x10c49, 0x10c7f}, {0x10cb3, 0x10cbf}, {0x10cf3, 0x10cf9}, {0x10d28, 0x10d2f},
    {0x10d3a, 0x10e5f}, {0x10e7f, 0x10e7f}, {0x10eaa, 0x10eaa}, {0x10eae, 0x10eaf},
    {0x10eb2, 0x10eff}, {0x10f28, 0x10f2f}, {0x10f5a, 0x10f6f}, {0x10f8a, 0x10faf},
    {0x10fcc, 0x10fdf}, {0x10ff7, 0x10fff}, {0x1104e, 0x11051}, {0x11076, 0x1107e},
    {0x110bd, 0x110bd}, {0x110c3, 0x110cf}, {0x110e9, 0x110ef}, {0x110fa, 0x110ff},
    {0x11135, 0x11135}, {0x11148, 0x1114f}, {0x11177, 0x1117f}, {0x111e0, 0x111e0},
    {0x111f5, 0x111ff}, {0x11212, 0x11212}, {0x1123f, 0x1127f}, {0x11287, 0x11287},
    {0x11289, 0x11289}, {0x1128e, 0x1128e}, {0x1129e, 0x1129e}, {0x112aa, 0x112af},
    {0x112eb, 0x112ef}, {0x112fa, 0x112ff}, {0x11304, 0x11304}, {0x1130d, 0x1130e},
    {0x11311, 0x11312}, {0x11329, 0x11329}, {0x11331, 0x11331}, {0x11334, 0x11334},
    {0x1133a, 0x1133a}, {0x11345, 0x11346}, {0x11349, 0x1134a}, {0x1134e, 0x1134f},
    {0x11351, 0x11356}, {0x11358, 0x1135c}, {0x11364, 0x11365}, {0x1136d, 0x1136f},
    {0x11375, 0x113ff}, {0x1145c, 0x1145c}, {0x11462, 0x1147f}, {0x114c8, 0x114cf},
    {0x114da, 0x1157f}, {0x115b6, 0x115b7}, {0x115de, 0x115ff}, {0x11645, 0x1164f},
    {0x1165a, 0x1165f}, {0x1166d, 0x1167f}, {0x116ba, 0x116bf}, {0x116ca, 0x116ff},
    {0x1171b, 0x1171c}, {0x1172c, 0x1172f}, {0x11747, 0x117ff}, {0x1183c, 0x1189f},
    {0x118f3, 0x118fe}, {0x11907, 0x11908}, {0x1190a, 0x1190b}, {0x11914, 0x11914},
    {0x11917, 0x11917}, {0x11936, 0x11936}, {0x11939, 0x1193a}, {0x11947, 0x1194f},
    {0x1195a, 0x1199f}, {0x119a8, 0x119a9}, {0x119d8, 0x119d9}, {0x119e5, 0x119ff},
    {0x11a48, 0x11a4f}, {0x11aa3, 0x11aaf}, {0x11af9, 0x11bff}, {0x11c09, 0x11c09},
    {0x11c37, 0x11c37}, {0x11c46, 0x11c4f}, {0x11c6d, 0x11c6f}, {0x11c90, 0x11c91},
    {0x11ca8, 0x11ca8}, {0x11cb7, 0x11cff}, {0x11d07, 0x11d07}, {0x11d0a, 0x11d0a},
    {0x11d37, 0x11d39}, {0x11d3b, 0x11d3b}, {0x11d3e, 0x11d3e}, {0x11d48, 0x11d4f},
    {0x11d5a, 0x11d5f}, {0x11d66, 0x11d66}, {0x11d69, 0x11d69}, {0x11d8f, 0x11d8f},
    {0x11d92, 0x11d92}, {0x11d99, 0x11d9f}, {0x11daa, 0x11edf}, {0x11ef9, 0x11faf},
    {0x11fb1, 0x11fbf}, {0x11ff2, 0x11ffe}, {0x1239a, 0x123ff}, {0x1246f, 0x1246f},
    {0x12475, 0x1247f}, {0x12544, 0x12f8f}, {0x12ff3, 0x12fff}, {0x1342f, 0x143ff},
    {0x14647, 0x167ff}, {0x16a39, 0x16a3f}, {0x16a5f, 0x16a5f}, {0x16a6a, 0x16a6d},
    {0x16abf, 0x16abf}, {0x16aca, 0x16acf}, {0x16aee, 0x16aef}, {0x16af6, 0x16aff},
    {0x16b46, 0x16b4f}, {0x16b5a, 0x16b5a}, {0x16b62, 0x16b62}, {0x16b78, 0x16b7c},
    {0x16b90, 0x16e3f}, {0x16e9b, 0x16eff}, {0x16f4b, 0x16f4e}, {0x16f88, 0x16f8e},
    {0x16fa0, 0x16fdf}, {0x16fe5, 0x16fef}, {0x16ff2, 0x16fff}, {0x187f8, 0x187ff},
    {0x18cd6, 0x18cff}, {0x18d09, 0x1afef}, {0x1aff4, 0x1aff4}, {0x1affc, 0x1affc},
    {0x1afff, 0x1afff}, {0x1b123, 0x1b14f}, {0x1b153, 0x1b163}, {0x1b168, 0x1b16f},
    {0x1b2fc, 0x1bbff}, {0x1bc6b, 0x1bc6f}, {0x1bc7d, 0x1bc7f}, {0x1bc89, 0x1bc8f},
    {0x1bc9a, 0x1bc9b}, {0x1bca0, 0x1ceff}, {0x1cf2e, 0x1cf2f}, {0x1cf47, 0x1cf4f},
    {0x1cfc4, 0x1cfff}, {0x1d0f6, 0x1d0ff}, {0x1d127, 0x1d128}, {0x1d173, 0x1d17a},
    {0x1d1eb, 0x1d1ff}, {0x1d246, 0x1d2df}, {0x1d2f4, 0x1d2ff}, {0x1d357, 0x1d35f},
    {0x1d379, 0x1d3ff}, {0x1d455, 0x1d455}, {0x1d49d, 0x1d49d}, {0x1d4a0, 0x1d4a1},
    {0x1d4a3, 0x1d4a4}, {0x1d4a7, 0x1d4a8}, {0x1d4ad, 0x1d4ad}, {0x1d4ba, 0x1d4ba},
    {0x1d4bc, 0x1d4bc}, {0x1d4c4, 0x1d4c4}, {0x1d506, 0x1d506}, {0x1d50b, 0x1d50c},
    {0x1d515, 0x1d515}, {0x1d51d, 0x1d51d}, {0x1d53a, 0x1d53a}, {0x1d53f, 0x1d53f},
    {0x1d545, 0x1d545}, {0x1d547, 0x1d549}, {0x1d551, 0x1d551}, {0x1d6a6, 0x1d6a7},
    {0x1d7cc, 0x1d7cd}, {0x1da8c, 0x1da9a}, {0x1daa0, 0x1daa0}, {0x1dab0, 0x1deff},
    {0x1df1f, 0x1dfff}, {0x1e007, 0x1e007}, {0x1e019, 0x1e01a}, {0x1e022, 0x1e022},
    {0x1e025, 0x1e025}, {0x1e02b, 0x1e0ff}, {0x1e12d, 0x1e12f}, {0x1e13e, 0x1e13f},
    {0x1e14a, 0x1e14d}, {0x1e150, 0x1e28f}, {0x1e2af, 0x1e2bf}, {0x1e2fa, 0x1e2fe},
    {0x1e300, 0x1e7df}, {0x1e7e7, 0x1e7e7}, {0x1e7ec, 0x1e7ec}, {0x1e7ef, 0x1e7ef},
    {0x1e7ff, 0x1e7ff}, {0x1e8c5, 0x1e8c6}, {0x1e8d7, 0x1e8ff}, {0x1e94c, 0x1e94f},
    {0x1e95a, 0x1e95d}, {0x1e960, 0x1ec70}, {0x1ecb5, 0x1ed00}, {0x1ed3e, 0x1edff},
    {0x1ee04, 0x1ee04}, {0x1ee20, 0x1ee20}, {0x1ee23, 0x1ee23}, {0x1ee25, 0x1ee26},
    {0x1ee28, 0x1ee28}, {0x1ee33, 0x1ee33}, {0x1ee38, 0x1ee38}, {0x1ee3a, 0x1ee3a},
    {0x1ee3c, 0x1ee41}, {0x1ee43, 0x1ee46}, {0x1ee48, 0x1ee48}, {0x1ee4a, 0x1ee4a},
    {0x1ee4c, 0x1ee4c}, {0x1ee50, 0x1ee50}, {0x1ee53, 0x1ee53}, {0x1ee55, 0x1ee56},
    {0x1ee58, 0x1ee58}, {0x1ee5a, 0x1ee5a}, {0x1ee5c, 0x1ee5c}, {0x1ee5e, 0x1ee5e},
    {0x1ee60, 0x1ee60}, {0x1ee63, 0x1ee63}, {0x1ee65, 0x1ee66}, {0x1ee6b, 0x1ee6b},
    {0x1ee73, 0x1ee73}, {0x1ee78, 0x1ee78}, {0x1ee7d, 0x1ee7d}, {0x1ee7f, 0x1ee7f},
    {0x1ee8a, 0x1ee8a}, {0x1ee9c, 0x1eea0}, {0x1eea4, 0x1eea4}, {0x1eeaa, 0x1eeaa},
    {0x1eebc, 0x1eeef}, {0x1eef2, 0x1efff}, {0x1f02c, 0x1f02f}, {0x1f094, 0x1f09f},
    {0x1f0af, 0x1f0b0}, {0x1f0c0, 0x1f0c0}, {0x1f0d0, 0x1f0d0}, {0x1f0f6, 0x1f0ff},
    {0x1f1ae, 0x1f1e5}, {0x1f203, 0x1f20f}, {0x1f23c, 0x1f23f}, {0x1f249, 0x1f24f},
    {0x1f252, 0x1f25f}, {0x1f266, 0x1f2ff}, {0x1f6d8, 0x1f6dc}, {0x1f6ed, 0x1f6ef},
    {0x1f6fd, 0x1f6ff}, {0x1f774, 0x1f77f}, {0x1f7d9, 0x1f7df}, {0x1f7ec, 0x1f7ef},
    {0x1f7f1, 0x1f7ff}, {0x1f80c, 0x1f80f}, {0x1f848, 0x1f84f}, {0x1f85a, 0x1f85f},
    {0x1f888, 0x1f88f}, {0x1f8ae, 0x1f8af}, {0x1f8b2, 0x1f8ff}, {0x1fa54, 0x1fa5f},
    {0x1fa6e, 0x1fa6f}, {0x1fa75, 0x1fa77}, {0x1fa7d, 0x1fa7f}, {0x1fa87, 0x1fa8f},
    {0x1faad, 0x1faaf}, {0x1fabb, 0x1fabf}, {0x1fac6, 0x1facf}, {0x1fada, 0x1fadf},
    {0x1fae8, 0x1faef}, {0x1faf7, 0x1faff}, {0x1fb93, 0x1fb93}, {0x1fbcb, 0x1fbef},
    {0x1fbfa, 0x1ffff}, {0x2a6e0, 0x2a6ff}, {0x2b739, 0x2b73f}, {0x2b81e, 0x2b81f},
    {0x2cea2, 0x2ceaf}, {0x2ebe1, 0x2f7ff}, {0x2fa1e, 0x2ffff}, {0x3134b, 0xe00ff},
    {0xe01f0, 0x10ffff},
};
/* END GENERATED nonprint */

/* Python's str.isprintable() for one code point. */
bool ast_is_printable(uint32_t c) {
    size_t lo = 0, hi = sizeof nonprint_ranges / sizeof nonprint_ranges[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < nonprint_ranges[mid][0])
            hi = mid;
        else if (c > nonprint_ranges[mid][1])
            lo = mid + 1;
        else
            return false;
    }
    return true;
}

/* Decodes one code point of our UTF-8 (lone surrogates are allowed, encoded
 * as three bytes, as Python's "surrogatepass" does). */
static size_t decode_cp(const unsigned char *s, size_t n, uint32_t *cp) {
    if (s[0] < 0x80 || n < 2) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xe0) == 0xc0) {
        *cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
        return 2;
    }
    if ((s[0] & 0xf0) == 0xe0 && n >= 3) {
        *cp = ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
        return 3;
    }
    if (n >= 4) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
              ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
        return 4;
    }
    *cp = s[0];
    return 1;
}

/* The quote repr() picks: ' unless the text has ' and no ". */
static char pick_quote(const char *s, size_t n) {
    bool sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
    return sq && !dq ? '"' : '\'';
}

static void repr_str(Str *o, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    char q = pick_quote(s, n);
    str_putc(o, q);
    size_t i = 0;
    while (i < n) {
        uint32_t c;
        size_t len = decode_cp(u + i, n - i, &c);
        if (c == (uint32_t)q || c == '\\') {
            str_putc(o, '\\');
            str_putc(o, (char)c);
        } else if (c == '\t') {
            str_puts(o, "\\t");
        } else if (c == '\n') {
            str_puts(o, "\\n");
        } else if (c == '\r') {
            str_puts(o, "\\r");
        } else if (c < 0x20 || c == 0x7f) {
            str_printf(o, "\\x%02x", c);
        } else if (c < 0x7f || ast_is_printable(c)) {
            str_putn(o, s + i, len);
        } else if (c <= 0xff) {
            str_printf(o, "\\x%02x", c);
        } else if (c <= 0xffff) {
            str_printf(o, "\\u%04x", c);
        } else {
            str_printf(o, "\\U%08x", c);
        }
        i += len;
    }
    str_putc(o, q);
}

static void repr_bytes(Str *o, const char *s, size_t n) {
    char q = pick_quote(s, n);
    str_putc(o, 'b');
    str_putc(o, q);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)q || c == '\\') {
            str_putc(o, '\\');
            str_putc(o, (char)c);
        } else if (c == '\t') {
            str_puts(o, "\\t");
        } else if (c == '\n') {
            str_puts(o, "\\n");
        } else if (c == '\r') {
            str_puts(o, "\\r");
        } else if (c < 0x20 || c >= 0x7f) {
            str_printf(o, "\\x%02x", c);
        } else {
            str_putc(o, (char)c);
        }
    }
    str_putc(o, q);
}

/* repr(float), or the imaginary part of repr(complex) when `imag` (which
 * never adds ".0": repr(2j) is '2j'). Python's rule: the shortest digits
 * that round-trip; scientific notation when the decimal point would sit
 * more than 16 places right or 4 places left of the first digit. */
static void repr_float(Str *o, double x, bool imag) {
    if (isinf(x)) {
        str_puts(o, x > 0 ? "inf" : "-inf");
        return;
    }
    if (isnan(x)) {
        str_puts(o, "nan");
        return;
    }
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    /* buf is [-]d[.ddd]e[+-]XX: split into sign, digits and exponent. */
    char *p = buf;
    if (*p == '-') {
        str_putc(o, '-');
        p++;
    }
    char digits[32];
    int nd = 0;
    char *e = strchr(p, 'e');
    for (char *q = p; q < e; q++)
        if (*q != '.')
            digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    int exp10 = atoi(e + 1);
    int decpt = exp10 + 1;       /* value = 0.DIGITS x 10^decpt */
    if (decpt <= -4 || decpt > 16) {
        str_putc(o, digits[0]);
        if (nd > 1) {
            str_putc(o, '.');
            str_puts(o, digits + 1);
        }
        str_printf(o, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    } else if (decpt <= 0) {
        str_puts(o, "0.");
        for (int i = 0; i < -decpt; i++)
            str_putc(o, '0');
        str_puts(o, digits);
    } else if (decpt >= nd) {
        str_puts(o, digits);
        for (int i = nd; i < decpt; i++)
            str_putc(o, '0');
        if (!imag)
            str_puts(o, ".0");
    } else {
        str_putn(o, digits, (size_t)decpt);
        str_putc(o, '.');
        str_puts(o, digits + decpt);
    }
}

static void dump_const(Str *o, const Node *n) {
    switch (n->constant.kind) {
    case CONST_NONE:     str_puts(o, "None"); return;
    case CONST_TRUE:     str_puts(o, "True"); return;
    case CONST_FALSE:    str_puts(o, "False"); return;
    case CONST_ELLIPSIS: str_puts(o, "Ellipsis"); return;
    case CONST_INT:
        if (n->constant.fits)
            str_printf(o, "%lld", (long long)n->constant.i64);
        else
            str_puts(o, n->constant.digits);
        return;
    case CONST_FLOAT:    repr_float(o, n->constant.f64, false); return;
    case CONST_COMPLEX:
        repr_float(o, n->constant.f64, true);
        str_putc(o, 'j');
        return;
    case CONST_STR:      repr_str(o, n->constant.str, n->constant.len); return;
    case CONST_BYTES:    repr_bytes(o, n->constant.str, n->constant.len); return;
    }
    unreachable();
}

/* ---- ast_dump ---------------------------------------------------------------- */

static void dump(Str *o, const Node *n);

static void dump_list(Str *o, const NodeList *l) {
    str_putc(o, '[');
    for (int i = 0; i < l->len; i++) {
        if (i)
            str_puts(o, ", ");
        if (l->items[i])
            dump(o, l->items[i]);
        else
            str_puts(o, "None");
    }
    str_putc(o, ']');
}

/* Field helpers: each writes "name=value", preceded by ", " unless it is
 * the node's first field. */
typedef struct Fields {
    Str *o;
    int  n;
} Fields;

static void sep(Fields *f, const char *name) {
    if (f->n++)
        str_puts(f->o, ", ");
    str_printf(f->o, "%s=", name);
}

static void f_node(Fields *f, const char *name, const Node *n) {
    sep(f, name);
    dump(f->o, n);
}

static void f_opt(Fields *f, const char *name, const Node *n) {
    if (n)
        f_node(f, name, n);
}

static void f_list(Fields *f, const char *name, const NodeList *l) {
    sep(f, name);
    dump_list(f->o, l);
}

static void f_id(Fields *f, const char *name, const char *id) {
    if (!id)
        return;
    sep(f, name);
    repr_str(f->o, id, strlen(id));
}

static void f_int(Fields *f, const char *name, long v) {
    sep(f, name);
    str_printf(f->o, "%ld", v);
}

static void f_raw(Fields *f, const char *name, const char *text) {
    sep(f, name);
    str_puts(f->o, text);
}

static const char *ctx_name(ExprCtx c) {
    return c == CTX_STORE ? "Store()" : c == CTX_DEL ? "Del()" : "Load()";
}

static void f_ctx(Fields *f, ExprCtx c) {
    f_raw(f, "ctx", ctx_name(c));
}

static void f_op(Fields *f, const char *name) {
    sep(f, "op");
    str_printf(f->o, "%s()", name);
}

static const char *dump_name(const Node *n) {
    switch (n->kind) {
    case ND_FUNCDEF: return n->funcdef.is_async ? "AsyncFunctionDef" : "FunctionDef";
    case ND_FOR:     return n->for_.is_async ? "AsyncFor" : "For";
    case ND_WITH:    return n->with.is_async ? "AsyncWith" : "With";
    default:         return ast_kind_name(n->kind);
    }
}

static void dump_names(Fields *f, const char **names, int len) {
    sep(f, "names");
    str_putc(f->o, '[');
    for (int i = 0; i < len; i++) {
        if (i)
            str_puts(f->o, ", ");
        repr_str(f->o, names[i], strlen(names[i]));
    }
    str_putc(f->o, ']');
}

static void dump_compare(Fields *f, const Node *n) {
    f_node(f, "left", n->compare.left);
    sep(f, "ops");
    str_putc(f->o, '[');
    for (int i = 0; i < n->compare.comparators.len; i++)
        str_printf(f->o, "%s%s()", i ? ", " : "", cmpop_names[n->compare.ops[i]]);
    str_putc(f->o, ']');
    f_list(f, "comparators", &n->compare.comparators);
}

/* Statements, in the field order of CPython's Python.asdl. */
static bool dump_stmt_fields(Fields *f, const Node *n) {
    switch (n->kind) {
    case ND_MODULE:
        f_list(f, "body", &n->module.body);
        f_raw(f, "type_ignores", "[]");
        return true;
    case ND_FUNCDEF:
        f_id(f, "name", n->funcdef.name);
        f_node(f, "args", n->funcdef.args);
        f_list(f, "body", &n->funcdef.body);
        f_list(f, "decorator_list", &n->funcdef.decorators);
        f_opt(f, "returns", n->funcdef.returns);
        return true;
    case ND_CLASSDEF:
        f_id(f, "name", n->classdef.name);
        f_list(f, "bases", &n->classdef.bases);
        f_list(f, "keywords", &n->classdef.keywords);
        f_list(f, "body", &n->classdef.body);
        f_list(f, "decorator_list", &n->classdef.decorators);
        return true;
    case ND_RETURN:
        f_opt(f, "value", n->ret.value);
        return true;
    case ND_DELETE:
        f_list(f, "targets", &n->del.targets);
        return true;
    case ND_ASSIGN:
        f_list(f, "targets", &n->assign.targets);
        f_node(f, "value", n->assign.value);
        return true;
    case ND_AUGASSIGN:
        f_node(f, "target", n->augassign.target);
        f_op(f, binop_names[n->augassign.op]);
        f_node(f, "value", n->augassign.value);
        return true;
    case ND_ANNASSIGN:
        f_node(f, "target", n->annassign.target);
        f_node(f, "annotation", n->annassign.annotation);
        f_opt(f, "value", n->annassign.value);
        f_int(f, "simple", n->annassign.simple);
        return true;
    case ND_FOR:
        f_node(f, "target", n->for_.target);
        f_node(f, "iter", n->for_.iter);
        f_list(f, "body", &n->for_.body);
        f_list(f, "orelse", &n->for_.orelse);
        return true;
    case ND_WHILE:
    case ND_IF:
        f_node(f, "test", n->if_.test);
        f_list(f, "body", &n->if_.body);
        f_list(f, "orelse", &n->if_.orelse);
        return true;
    case ND_WITH:
        f_list(f, "items", &n->with.items);
        f_list(f, "body", &n->with.body);
        return true;
    case ND_RAISE:
        f_opt(f, "exc", n->raise.exc);
        f_opt(f, "cause", n->raise.cause);
        return true;
    case ND_TRY:
        f_list(f, "body", &n->try_.body);
        f_list(f, "handlers", &n->try_.handlers);
        f_list(f, "orelse", &n->try_.orelse);
        f_list(f, "finalbody", &n->try_.finalbody);
        return true;
    case ND_ASSERT:
        f_node(f, "test", n->assert_.test);
        f_opt(f, "msg", n->assert_.msg);
        return true;
    case ND_IMPORT:
        f_list(f, "names", &n->import.names);
        return true;
    case ND_IMPORTFROM:
        f_id(f, "module", n->importfrom.module);
        f_list(f, "names", &n->importfrom.names);
        f_int(f, "level", n->importfrom.level);
        return true;
    case ND_GLOBAL:
    case ND_NONLOCAL:
        dump_names(f, n->global.names, n->global.len);
        return true;
    case ND_EXPR:
        f_node(f, "value", n->expr.value);
        return true;
    case ND_PASS:
    case ND_BREAK:
    case ND_CONTINUE:
        return true;
    default:
        return false;
    }
}

/* Expressions. */
static bool dump_expr_fields(Fields *f, const Node *n) {
    switch (n->kind) {
    case ND_BOOLOP:
        f_op(f, n->boolop.op == BOOL_AND ? "And" : "Or");
        f_list(f, "values", &n->boolop.values);
        return true;
    case ND_NAMEDEXPR:
        f_node(f, "target", n->namedexpr.target);
        f_node(f, "value", n->namedexpr.value);
        return true;
    case ND_BINOP:
        f_node(f, "left", n->binop.left);
        f_op(f, binop_names[n->binop.op]);
        f_node(f, "right", n->binop.right);
        return true;
    case ND_UNARYOP:
        f_op(f, unop_names[n->unaryop.op]);
        f_node(f, "operand", n->unaryop.operand);
        return true;
    case ND_LAMBDA:
        f_node(f, "args", n->lambda.args);
        f_node(f, "body", n->lambda.body);
        return true;
    case ND_IFEXP:
        f_node(f, "test", n->ifexp.test);
        f_node(f, "body", n->ifexp.body);
        f_node(f, "orelse", n->ifexp.orelse);
        return true;
    case ND_DICT:
        f_list(f, "keys", &n->dict.keys);
        f_list(f, "values", &n->dict.values);
        return true;
    case ND_SET:
        f_list(f, "elts", &n->set.elts);
        return true;
    case ND_LISTCOMP:
    case ND_SETCOMP:
    case ND_GENEXP:
        f_node(f, "elt", n->comp.elt);
        f_list(f, "generators", &n->comp.generators);
        return true;
    case ND_DICTCOMP:
        f_node(f, "key", n->comp.key);
        f_node(f, "value", n->comp.value);
        f_list(f, "generators", &n->comp.generators);
        return true;
    case ND_AWAIT:
        f_node(f, "value", n->await.value);
        return true;
    case ND_YIELDFROM:
        f_node(f, "value", n->yield.value);
        return true;
    case ND_YIELD:
        f_opt(f, "value", n->yield.value);
        return true;
    case ND_COMPARE:
        dump_compare(f, n);
        return true;
    case ND_CALL:
        f_node(f, "func", n->call.func);
        f_list(f, "args", &n->call.args);
        f_list(f, "keywords", &n->call.keywords);
        return true;
    case ND_FORMATTED:
        f_node(f, "value", n->formatted.value);
        f_int(f, "conversion", n->formatted.conversion);
        f_opt(f, "format_spec", n->formatted.format_spec);
        return true;
    case ND_JOINEDSTR:
        f_list(f, "values", &n->joinedstr.values);
        return true;
    case ND_CONST:
        sep(f, "value");
        dump_const(f->o, n);
        if (n->constant.is_u)
            f_raw(f, "kind", "'u'");
        return true;
    default:
        return false;
    }
}

/* Targets, slices and the helper nodes. */
static bool dump_part_fields(Fields *f, const Node *n) {
    switch (n->kind) {
    case ND_ATTRIBUTE:
        f_node(f, "value", n->attribute.value);
        f_id(f, "attr", n->attribute.attr);
        f_ctx(f, n->attribute.ctx);
        return true;
    case ND_SUBSCRIPT:
        f_node(f, "value", n->subscript.value);
        f_node(f, "slice", n->subscript.slice);
        f_ctx(f, n->subscript.ctx);
        return true;
    case ND_STARRED:
        f_node(f, "value", n->starred.value);
        f_ctx(f, n->starred.ctx);
        return true;
    case ND_NAME:
        f_id(f, "id", n->name.id);
        f_ctx(f, n->name.ctx);
        return true;
    case ND_LIST:
    case ND_TUPLE:
        f_list(f, "elts", &n->list.elts);
        f_ctx(f, n->list.ctx);
        return true;
    case ND_SLICE:
        f_opt(f, "lower", n->slice.lower);
        f_opt(f, "upper", n->slice.upper);
        f_opt(f, "step", n->slice.step);
        return true;
    case ND_ARGUMENTS:
        f_list(f, "posonlyargs", &n->arguments.posonlyargs);
        f_list(f, "args", &n->arguments.args);
        f_opt(f, "vararg", n->arguments.vararg);
        f_list(f, "kwonlyargs", &n->arguments.kwonlyargs);
        f_list(f, "kw_defaults", &n->arguments.kw_defaults);
        f_opt(f, "kwarg", n->arguments.kwarg);
        f_list(f, "defaults", &n->arguments.defaults);
        return true;
    case ND_ARG:
        f_id(f, "arg", n->arg.name);
        f_opt(f, "annotation", n->arg.annotation);
        return true;
    case ND_KEYWORD:
        f_id(f, "arg", n->keyword.arg);
        f_node(f, "value", n->keyword.value);
        return true;
    case ND_ALIAS:
        f_id(f, "name", n->alias.name);
        f_id(f, "asname", n->alias.asname);
        return true;
    case ND_WITHITEM:
        f_node(f, "context_expr", n->withitem.context_expr);
        f_opt(f, "optional_vars", n->withitem.optional_vars);
        return true;
    case ND_COMPREHENSION:
        f_node(f, "target", n->comprehension.target);
        f_node(f, "iter", n->comprehension.iter);
        f_list(f, "ifs", &n->comprehension.ifs);
        f_int(f, "is_async", n->comprehension.is_async);
        return true;
    case ND_EXCEPTHANDLER:
        f_opt(f, "type", n->handler.type);
        f_id(f, "name", n->handler.name);
        f_list(f, "body", &n->handler.body);
        return true;
    default:
        return false;
    }
}

static void dump(Str *o, const Node *n) {
    str_puts(o, dump_name(n));
    str_putc(o, '(');
    Fields f = { o, 0 };
    if (!dump_stmt_fields(&f, n) && !dump_expr_fields(&f, n) && !dump_part_fields(&f, n))
        unreachable();
    str_putc(o, ')');
}

void ast_dump(Str *out, const Node *n) {
    if (!n) {
        str_puts(out, "None");
        return;
    }
    dump(out, n);
}

/* str.c: Python's str type, the str builder and str's methods.
 *
 * A str is immutable UTF-8 with its length in code points kept next to its
 * length in bytes. When the two are equal the text is ASCII, and indexing,
 * slicing and searching work on bytes directly (the fast path nearly every
 * script takes). Otherwise code-point positions are found by walking the
 * UTF-8, which is self-synchronising: searching for a valid UTF-8 needle in
 * valid UTF-8 text by bytes only ever matches at code-point boundaries, so
 * all the searching methods share the byte-level code.
 *
 * Unicode properties: isprintable (which decides repr's escapes), isalpha,
 * isdecimal, isdigit and isnumeric use range tables generated from CPython
 * 3.11 itself (tests/unit/gen_str_tables.py), so they are exact for every
 * code point; whitespace and line breaks are exact by construction. Case
 * mapping (upper, lower, title, swapcase, casefold, isupper, islower) is
 * exact for ASCII and, without the large case tables, covers Latin-1, Latin
 * Extended-A, Greek, Cyrillic and the fullwidth forms, plus ß -> "SS"/"ss";
 * other scripts are left unchanged (XXX: documented gap).
 */
#include "mp2c.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define S(o) ((RtStr *)(o))

static inline bool str_ascii(const RtStr *s) { return s->ncp == s->len; }

/* ==== UTF-8 ================================================================ */

/* Bytes in the sequence starting with lead byte c (valid UTF-8 assumed). */
static inline size_t u8_seqlen(unsigned char c) {
    if (c < 0x80) return 1;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    return 4;
}

/* Decodes the code point at p (valid UTF-8); *adv receives its byte length. */
static inline uint32_t u8_decode(const char *s, size_t *adv) {
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) { *adv = 1; return p[0]; }
    if (p[0] < 0xE0) { *adv = 2; return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F); }
    if (p[0] < 0xF0) {
        *adv = 3;
        return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    *adv = 4;
    return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
           ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* Decodes the code point that ends just before `end`; *adv its length. */
static inline uint32_t u8_decode_back(const char *begin, const char *end, size_t *adv) {
    const char *p = end - 1;
    while (p > begin && ((unsigned char)*p & 0xC0) == 0x80) p--;
    return u8_decode(p, adv);
}

static size_t u8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Code points in n bytes of valid UTF-8: every byte that is not a
 * continuation byte starts one. */
static size_t u8_count(const char *s, size_t n) {
    size_t count = 0, i = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (; i + 8 <= n; i += 8) {           /* 8 bytes at a time for long text */
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (!(w & 0x8080808080808080ull)) { count += 8; continue; }
        for (size_t k = 0; k < 8; k++) count += (p[i + k] & 0xC0) != 0x80;
    }
    for (; i < n; i++) count += (p[i] & 0xC0) != 0x80;
    return count;
}

/* Byte offset of code point i in s (0 <= i <= ncp). */
static size_t cp_to_off(const RtStr *s, size_t i) {
    if (str_ascii(s)) return i;
    const unsigned char *p = (const unsigned char *)s->data;
    if (i > s->ncp / 2) {                  /* nearer the end: walk backwards */
        size_t off = s->len, k = s->ncp;
        while (k > i) {
            off--;
            while ((p[off] & 0xC0) == 0x80) off--;
            k--;
        }
        return off;
    }
    size_t off = 0;
    for (size_t k = 0; k < i; k++) off += u8_seqlen(p[off]);
    return off;
}

static inline size_t off_to_cp(const RtStr *s, size_t off) {
    return str_ascii(s) ? off : u8_count(s->data, off);
}

/* ==== Unicode properties (exact for ASCII; see the file comment) ============ */

static bool cp_isspace(uint32_t c) {
    if (c < 128) return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x1F);
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static bool cp_islinebreak(uint32_t c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E) ||
           c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* Latin Extended-A pairs: which member of a pair is upper case. */
static uint32_t latin_ext_a_upper(uint32_t c) {
    if ((c <= 0x137 && c != 0x130 && c != 0x131) || (c >= 0x14A && c <= 0x177))
        return c & ~1u;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c : c - 1;
    if (c == 0x131) return 'I';
    if (c == 0x17F) return 'S';
    return c;
}

static uint32_t latin_ext_a_lower(uint32_t c) {
    if ((c <= 0x137 && c != 0x130 && c != 0x131) || (c >= 0x14A && c <= 0x177))
        return c | 1u;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c + 1 : c;
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    return c;
}

static uint32_t cp_upper(uint32_t c) {
    if (c < 128) return (c >= 'a' && c <= 'z') ? c - 32 : c;
    if (c == 0xB5) return 0x39C;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c == 0xFF) return 0x178;
    if (c >= 0x100 && c <= 0x17F) return latin_ext_a_upper(c);
    if (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) return c - 32;
    if (c == 0x3C2) return 0x3A3;
    if (c == 0x3AC) return 0x386;
    if (c >= 0x3AD && c <= 0x3AF) return c - 37;
    if (c == 0x3CC) return 0x38C;
    if (c == 0x3CD || c == 0x3CE) return c - 63;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    if (c >= 0xFF41 && c <= 0xFF5A) return c - 32;
    return c;
}

static uint32_t cp_lower(uint32_t c) {
    if (c < 128) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c >= 0x100 && c <= 0x17F) return latin_ext_a_lower(c);
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 37;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 63;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
    return c;
}

static bool cp_islower(uint32_t c) {
    if (c < 128) return c >= 'a' && c <= 'z';
    return cp_upper(c) != c || c == 0xDF || c == 0xAA || c == 0xBA || c == 0x138 || c == 0x149;
}

static bool cp_isupper(uint32_t c) {
    if (c < 128) return c >= 'A' && c <= 'Z';
    return cp_lower(c) != c;
}

static bool cp_iscased(uint32_t c) { return cp_islower(c) || cp_isupper(c); }

/* The non-ASCII code points with a property, as sorted [lo, hi] ranges
 * taken from CPython 3.11's own predicates by tests/unit/gen_str_tables.py. */
/* BEGIN GENERATED decimal (tests/unit/gen_str_tables.py, Unicode 14.0.0). Do not edit. */
static const uint32_t decimal_ranges[][2] = {
    {0x0660, 0x0669}, {0x06f0, 0x06f9}, {0x07c0, 0x07c9}, {0x0966, 0x096f},
    {0x09e6, 0x09ef}, {0x0a66, 0x0a6f}, {0x0ae6, 0x0aef}, {0x0b66, 0x0b6f},
    {0x0be6, 0x0bef}, {0x0c66, 0x0c6f}, {0x0ce6, 0x0cef}, {0x0d66, 0x0d6f},
    {0x0de6, 0x0def}, {0x0e50, 0x0e59}, {0x0ed0, 0x0ed9}, {0x0f20, 0x0f29},
    {0x1040, 0x1049}, {0x1090, 0x1099}, {0x17e0, 0x17e9}, {0x1810, 0x1819},
    {0x1946, 0x194f}, {0x19d0, 0x19d9}, {0x1a80, 0x1a89}, {0x1a90, 0x1a99},
    {0x1b50, 0x1b59}, {0x1bb0, 0x1bb9}, {0x1c40, 0x1c49}, {0x1c50, 0x1c59},
    {0xa620, 0xa629}, {0xa8d0, 0xa8d9}, {0xa900, 0xa909}, {0xa9d0, 0xa9d9},
    {0xa9f0, 0xa9f9}, {0xaa50, 0xaa59}, {0xabf0, 0xabf9}, {0xff10, 0xff19},
    {0x104a0, 0x104a9}, {0x10d30, 0x10d39}, {0x11066, 0x1106f}, {0x110f0, 0x110f9},
    {0x11136, 0x1113f}, {0x111d0, 0x111d9}, {0x112f0, 0x112f9}, {0x11450, 0x11459},
    {0x114d0, 0x114d9}, {0x11650, 0x11659}, {0x116c0, 0x116c9}, {0x11730, 0x11739},
    {0x118e0, 0x118e9}, {0x11950, 0x11959}, {0x11c50, 0x11c59}, {0x11d50, 0x11d59},
    {0x11da0, 0x11da9}, {0x16a60, 0x16a69}, {0x16ac0, 0x16ac9}, {0x16b50, 0x16b59},
    {0x1d7ce, 0x1d7ff}, {0x1e140, 0x1e149}, {0x1e2f0, 0x1e2f9}, {0x1e950, 0x1e959},
    {0x1fbf0, 0x1fbf9},
};
/* END GENERATED decimal */
/* BEGIN GENERATED digit (tests/unit/gen_str_tables.py, Unicode 14.0.0). Do not edit. */
static const uint32_t digit_ranges[][2] = {
    {0x00b2, 0x00b3}, {0x00b9, 0x00b9}, {0x0660, 0x0669}, {0x06f0, 0x06f9},
    {0x07c0, 0x07c9}, {0x0966, 0x096f}, {0x09e6, 0x09ef}, {0x0a66, 0x0a6f},
    {0x0ae6, 0x0aef}, {0x0b66, 0x0b6f}, {0x0be6, 0x0bef}, {0x0c66, 0x0c6f},
    {0x0ce6, 0x0cef}, {0x0d66, 0x0d6f}, {0x0de6, 0x0def}, {0x0e50, 0x0e59},
    {0x0ed0, 0x0ed9}, {0x0f20, 0x0f29}, {0x1040, 0x1049}, {0x1090, 0x1099},
    {0x1369, 0x1371}, {0x17e0, 0x17e9}, {0x1810, 0x1819}, {0x1946, 0x194f},
    {0x19d0, 0x19da}, {0x1a80, 0x1a89}, {0x1a90, 0x1a99}, {0x1b50, 0x1b59},
    {0x1bb0, 0x1bb9}, {0x1c40, 0x1c49}, {0x1c50, 0x1c59}, {0x2070, 0x2070},
    {0x2074, 0x2079}, {0x2080, 0x2089}, {0x2460, 0x2468}, {0x2474, 0x247c},
    {0x2488, 0x2490}, {0x24ea, 0x24ea}, {0x24f5, 0x24fd}, {0x24ff, 0x24ff},
    {0x2776, 0x277e}, {0x2780, 0x2788}, {0x278a, 0x2792}, {0xa620, 0xa629},
    {0xa8d0, 0xa8d9}, {0xa900, 0xa909}, {0xa9d0, 0xa9d9}, {0xa9f0, 0xa9f9},
    {0xaa50, 0xaa59}, {0xabf0, 0xabf9}, {0xff10, 0xff19}, {0x104a0, 0x104a9},
    {0x10a40, 0x10a43}, {0x10d30, 0x10d39}, {0x10e60, 0x10e68}, {0x11052, 0x1105a},
    {0x11066, 0x1106f}, {0x110f0, 0x110f9}, {0x11136, 0x1113f}, {0x111d0, 0x111d9},
    {0x112f0, 0x112f9}, {0x11450, 0x11459}, {0x114d0, 0x114d9}, {0x11650, 0x11659},
    {0x116c0, 0x116c9}, {0x11730, 0x11739}, {0x118e0, 0x118e9}, {0x11950, 0x11959},
    {0x11c50, 0x11c59}, {0x11d50, 0x11d59}, {0x11da0, 0x11da9}, {0x16a60, 0x16a69},
    {0x16ac0, 0x16ac9}, {0x16b50, 0x16b59}, {0x1d7ce, 0x1d7ff}, {0x1e140, 0x1e149},
    {0x1e2f0, 0x1e2f9}, {0x1e950, 0x1e959}, {0x1f100, 0x1f10a}, {0x1fbf0, 0x1fbf9},
};
/* END GENERATED digit */
/* BEGIN GENERATED numeric (tests/unit/gen_str_tables.py, Unicode 14.0.0). Do not edit. */
static const uint32_t numeric_ranges[][2] = {
    {0x00b2, 0x00b3}, {0x00b9, 0x00b9}, {0x00bc, 0x00be}, {0x0660, 0x0669},
    {0x06f0, 0x06f9}, {0x07c0, 0x07c9}, {0x0966, 0x096f}, {0x09e6, 0x09ef},
    {0x09f4, 0x09f9}, {0x0a66, 0x0a6f}, {0x0ae6, 0x0aef}, {0x0b66, 0x0b6f},
    {0x0b72, 0x0b77}, {0x0be6, 0x0bf2}, {0x0c66, 0x0c6f}, {0x0c78, 0x0c7e},
    {0x0ce6, 0x0cef}, {0x0d58, 0x0d5e}, {0x0d66, 0x0d78}, {0x0de6, 0x0def},
    {0x0e50, 0x0e59}, {0x0ed0, 0x0ed9}, {0x0f20, 0x0f33}, {0x1040, 0x1049},
    {0x1090, 0x1099}, {0x1369, 0x137c}, {0x16ee, 0x16f0}, {0x17e0, 0x17e9},
    {0x17f0, 0x17f9}, {0x1810, 0x1819}, {0x1946, 0x194f}, {0x19d0, 0x19da},
    {0x1a80, 0x1a89}, {0x1a90, 0x1a99}, {0x1b50, 0x1b59}, {0x1bb0, 0x1bb9},
    {0x1c40, 0x1c49}, {0x1c50, 0x1c59}, {0x2070, 0x2070}, {0x2074, 0x2079},
    {0x2080, 0x2089}, {0x2150, 0x2182}, {0x2185, 0x2189}, {0x2460, 0x249b},
    {0x24ea, 0x24ff}, {0x2776, 0x2793}, {0x2cfd, 0x2cfd}, {0x3007, 0x3007},
    {0x3021, 0x3029}, {0x3038, 0x303a}, {0x3192, 0x3195}, {0x3220, 0x3229},
    {0x3248, 0x324f}, {0x3251, 0x325f}, {0x3280, 0x3289}, {0x32b1, 0x32bf},
    {0x3405, 0x3405}, {0x3483, 0x3483}, {0x382a, 0x382a}, {0x3b4d, 0x3b4d},
    {0x4e00, 0x4e00}, {0x4e03, 0x4e03}, {0x4e07, 0x4e07}, {0x4e09, 0x4e09},
    {0x4e5d, 0x4e5d}, {0x4e8c, 0x4e8c}, {0x4e94, 0x4e94}, {0x4e96, 0x4e96},
    {0x4ebf, 0x4ec0}, {0x4edf, 0x4edf}, {0x4ee8, 0x4ee8}, {0x4f0d, 0x4f0d},
    {0x4f70, 0x4f70}, {0x5104, 0x5104}, {0x5146, 0x5146}, {0x5169, 0x5169},
    {0x516b, 0x516b}, {0x516d, 0x516d}, {0x5341, 0x5341}, {0x5343, 0x5345},
    {0x534c, 0x534c}, {0x53c1, 0x53c4}, {0x56db, 0x56db}, {0x58f1, 0x58f1},
    {0x58f9, 0x58f9}, {0x5e7a, 0x5e7a}, {0x5efe, 0x5eff}, {0x5f0c, 0x5f0e},
    {0x5f10, 0x5f10}, {0x62fe, 0x62fe}, {0x634c, 0x634c}, {0x67d2, 0x67d2},
    {0x6f06, 0x6f06}, {0x7396, 0x7396}, {0x767e, 0x767e}, {0x8086, 0x8086},
    {0x842c, 0x842c}, {0x8cae, 0x8cae}, {0x8cb3, 0x8cb3}, {0x8d30, 0x8d30},
    {0x9621, 0x9621}, {0x9646, 0x9646}, {0x964c, 0x964c}, {0x9678, 0x9678},
    {0x96f6, 0x96f6}, {0xa620, 0xa629}, {0xa6e6, 0xa6ef}, {0xa830, 0xa835},
    {0xa8d0, 0xa8d9}, {0xa900, 0xa909}, {0xa9d0, 0xa9d9}, {0xa9f0, 0xa9f9},
    {0xaa50, 0xaa59}, {0xabf0, 0xabf9}, {0xf96b, 0xf96b}, {0xf973, 0xf973},
    {0xf978, 0xf978}, {0xf9b2, 0xf9b2}, {0xf9d1, 0xf9d1}, {0xf9d3, 0xf9d3},
    {0xf9fd, 0xf9fd}, {0xff10, 0xff19}, {0x10107, 0x10133}, {0x10140, 0x10178},
    {0x1018a, 0x1018b}, {0x102e1, 0x102fb}, {0x10320, 0x10323}, {0x10341, 0x10341},
    {0x1034a, 0x1034a}, {0x103d1, 0x103d5}, {0x104a0, 0x104a9}, {0x10858, 0x1085f},
    {0x10879, 0x1087f}, {0x108a7, 0x108af}, {0x108fb, 0x108ff}, {0x10916, 0x1091b},
    {0x109bc, 0x109bd}, {0x109c0, 0x109cf}, {0x109d2, 0x109ff}, {0x10a40, 0x10a48},
    {0x10a7d, 0x10a7e}, {0x10a9d, 0x10a9f}, {0x10aeb, 0x10aef}, {0x10b58, 0x10b5f},
    {0x10b78, 0x10b7f}, {0x10ba9, 0x10baf}, {0x10cfa, 0x10cff}, {0x10d30, 0x10d39},
    {0x10e60, 0x10e7e}, {0x10f1d, 0x10f26}, {0x10f51, 0x10f54}, {0x10fc5, 0x10fcb},
    {0x11052, 0x1106f}, {0x110f0, 0x110f9}, {0x11136, 0x1113f}, {0x111d0, 0x111d9},
    {0x111e1, 0x111f4}, {0x112f0, 0x112f9}, {0x11450, 0x11459}, {0x114d0, 0x114d9},
    {0x11650, 0x11659}, {0x116c0, 0x116c9}, {0x11730, 0x1173b}, {0x118e0, 0x118f2},
    {0x11950, 0x11959}, {0x11c50, 0x11c6c}, {0x11d50, 0x11d59}, {0x11da0, 0x11da9},
    {0x11fc0, 0x11fd4}, {0x12400, 0x1246e}, {0x16a60, 0x16a69}, {0x16ac0, 0x16ac9},
    {0x16b50, 0x16b59}, {0x16b5b, 0x16b61}, {0x16e80, 0x16e96}, {0x1d2e0, 0x1d2f3},
    {0x1d360, 0x1d378}, {0x1d7ce, 0x1d7ff}, {0x1e140, 0x1e149}, {0x1e2f0, 0x1e2f9},
    {0x1e8c7, 0x1e8cf}, {0x1e950, 0x1e959}, {0x1ec71, 0x1ecab}, {0x1ecad, 0x1ecaf},
    {0x1ecb1, 0x1ecb4}, {0x1ed01, 0x1ed2d}, {0x1ed2f, 0x1ed3d}, {0x1f100, 0x1f10c},
    {0x1fbf0, 0x1fbf9}, {0x20001, 0x20001}, {0x20064, 0x20064}, {0x200e2, 0x200e2},
    {0x20121, 0x20121}, {0x2092a, 0x2092a}, {0x20983, 0x20983}, {0x2098c, 0x2098c},
    {0x2099c, 0x2099c}, {0x20aea, 0x20aea}, {0x20afd, 0x20afd}, {0x20b19, 0x20b19},
    {0x22390, 0x22390}, {0x22998, 0x22998}, {0x23b1b, 0x23b1b}, {0x2626d, 0x2626d},
    {0x2f890, 0x2f890},
};
/* END GENERATED numeric */
/* BEGIN GENERATED alpha (tests/unit/gen_str_tables.py, Unicode 14.0.0). Do not edit. */
static const uint32_t alpha_ranges[][2] = {
    {0x00aa, 0x00aa}, {0x00b5, 0x00b5}, {0x00ba, 0x00ba}, {0x00c0, 0x00d6},
    {0x00d8, 0x00f6}, {0x00f8, 0x02c1}, {0x02c6, 0x02d1}, {0x02e0, 0x02e4},
    {0x02ec, 0x02ec}, {0x02ee, 0x02ee}, {0x0370, 0x0374}, {0x0376, 0x0377},
    {0x037a, 0x037d}, {0x037f, 0x037f}, {0x0386, 0x0386}, {0x0388, 0x038a},
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
    {0x0e32, 0x0e33}, {0x0e40, 0x0e46}, {0x0e81, 0x0e82}, {0x0e84, 0x0e84},
    {0x0e86, 0x0e8a}, {0x0e8c, 0x0ea3}, {0x0ea5, 0x0ea5}, {0x0ea7, 0x0eb0},
    {0x0eb2, 0x0eb3}, {0x0ebd, 0x0ebd}, {0x0ec0, 0x0ec4}, {0x0ec6, 0x0ec6},
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
    {0x16a0, 0x16ea}, {0x16f1, 0x16f8}, {0x1700, 0x1711}, {0x171f, 0x1731},
    {0x1740, 0x1751}, {0x1760, 0x176c}, {0x176e, 0x1770}, {0x1780, 0x17b3},
    {0x17d7, 0x17d7}, {0x17dc, 0x17dc}, {0x1820, 0x1878}, {0x1880, 0x1884},
    {0x1887, 0x18a8}, {0x18aa, 0x18aa}, {0x18b0, 0x18f5}, {0x1900, 0x191e},
    {0x1950, 0x196d}, {0x1970, 0x1974}, {0x1980, 0x19ab}, {0x19b0, 0x19c9},
    {0x1a00, 0x1a16}, {0x1a20, 0x1a54}, {0x1aa7, 0x1aa7}, {0x1b05, 0x1b33},
    {0x1b45, 0x1b4c}, {0x1b83, 0x1ba0}, {0x1bae, 0x1baf}, {0x1bba, 0x1be5},
    {0x1c00, 0x1c23}, {0x1c4d, 0x1c4f}, {0x1c5a, 0x1c7d}, {0x1c80, 0x1c88},
    {0x1c90, 0x1cba}, {0x1cbd, 0x1cbf}, {0x1ce9, 0x1cec}, {0x1cee, 0x1cf3},
    {0x1cf5, 0x1cf6}, {0x1cfa, 0x1cfa}, {0x1d00, 0x1dbf}, {0x1e00, 0x1f15},
    {0x1f18, 0x1f1d}, {0x1f20, 0x1f45}, {0x1f48, 0x1f4d}, {0x1f50, 0x1f57},
    {0x1f59, 0x1f59}, {0x1f5b, 0x1f5b}, {0x1f5d, 0x1f5d}, {0x1f5f, 0x1f7d},
    {0x1f80, 0x1fb4}, {0x1fb6, 0x1fbc}, {0x1fbe, 0x1fbe}, {0x1fc2, 0x1fc4},
    {0x1fc6, 0x1fcc}, {0x1fd0, 0x1fd3}, {0x1fd6, 0x1fdb}, {0x1fe0, 0x1fec},
    {0x1ff2, 0x1ff4}, {0x1ff6, 0x1ffc}, {0x2071, 0x2071}, {0x207f, 0x207f},
    {0x2090, 0x209c}, {0x2102, 0x2102}, {0x2107, 0x2107}, {0x210a, 0x2113},
    {0x2115, 0x2115}, {0x2119, 0x211d}, {0x2124, 0x2124}, {0x2126, 0x2126},
    {0x2128, 0x2128}, {0x212a, 0x212d}, {0x212f, 0x2139}, {0x213c, 0x213f},
    {0x2145, 0x2149}, {0x214e, 0x214e}, {0x2183, 0x2184}, {0x2c00, 0x2ce4},
    {0x2ceb, 0x2cee}, {0x2cf2, 0x2cf3}, {0x2d00, 0x2d25}, {0x2d27, 0x2d27},
    {0x2d2d, 0x2d2d}, {0x2d30, 0x2d67}, {0x2d6f, 0x2d6f}, {0x2d80, 0x2d96},
    {0x2da0, 0x2da6}, {0x2da8, 0x2dae}, {0x2db0, 0x2db6}, {0x2db8, 0x2dbe},
    {0x2dc0, 0x2dc6}, {0x2dc8, 0x2dce}, {0x2dd0, 0x2dd6}, {0x2dd8, 0x2dde},
    {0x2e2f, 0x2e2f}, {0x3005, 0x3006}, {0x3031, 0x3035}, {0x303b, 0x303c},
    {0x3041, 0x3096}, {0x309d, 0x309f}, {0x30a1, 0x30fa}, {0x30fc, 0x30ff},
    {0x3105, 0x312f}, {0x3131, 0x318e}, {0x31a0, 0x31bf}, {0x31f0, 0x31ff},
    {0x3400, 0x4dbf}, {0x4e00, 0xa48c}, {0xa4d0, 0xa4fd}, {0xa500, 0xa60c},
    {0xa610, 0xa61f}, {0xa62a, 0xa62b}, {0xa640, 0xa66e}, {0xa67f, 0xa69d},
    {0xa6a0, 0xa6e5}, {0xa717, 0xa71f}, {0xa722, 0xa788}, {0xa78b, 0xa7ca},
    {0xa7d0, 0xa7d1}, {0xa7d3, 0xa7d3}, {0xa7d5, 0xa7d9}, {0xa7f2, 0xa801},
    {0xa803, 0xa805}, {0xa807, 0xa80a}, {0xa80c, 0xa822}, {0xa840, 0xa873},
    {0xa882, 0xa8b3}, {0xa8f2, 0xa8f7}, {0xa8fb, 0xa8fb}, {0xa8fd, 0xa8fe},
    {0xa90a, 0xa925}, {0xa930, 0xa946}, {0xa960, 0xa97c}, {0xa984, 0xa9b2},
    {0xa9cf, 0xa9cf}, {0xa9e0, 0xa9e4}, {0xa9e6, 0xa9ef}, {0xa9fa, 0xa9fe},
    {0xaa00, 0xaa28}, {0xaa40, 0xaa42}, {0xaa44, 0xaa4b}, {0xaa60, 0xaa76},
    {0xaa7a, 0xaa7a}, {0xaa7e, 0xaaaf}, {0xaab1, 0xaab1}, {0xaab5, 0xaab6},
    {0xaab9, 0xaabd}, {0xaac0, 0xaac0}, {0xaac2, 0xaac2}, {0xaadb, 0xaadd},
    {0xaae0, 0xaaea}, {0xaaf2, 0xaaf4}, {0xab01, 0xab06}, {0xab09, 0xab0e},
    {0xab11, 0xab16}, {0xab20, 0xab26}, {0xab28, 0xab2e}, {0xab30, 0xab5a},
    {0xab5c, 0xab69}, {0xab70, 0xabe2}, {0xac00, 0xd7a3}, {0xd7b0, 0xd7c6},
    {0xd7cb, 0xd7fb}, {0xf900, 0xfa6d}, {0xfa70, 0xfad9}, {0xfb00, 0xfb06},
    {0xfb13, 0xfb17}, {0xfb1d, 0xfb1d}, {0xfb1f, 0xfb28}, {0xfb2a, 0xfb36},
    {0xfb38, 0xfb3c}, {0xfb3e, 0xfb3e}, {0xfb40, 0xfb41}, {0xfb43, 0xfb44},
    {0xfb46, 0xfbb1}, {0xfbd3, 0xfd3d}, {0xfd50, 0xfd8f}, {0xfd92, 0xfdc7},
    {0xfdf0, 0xfdfb}, {0xfe70, 0xfe74}, {0xfe76, 0xfefc}, {0xff21, 0xff3a},
    {0xff41, 0xff5a}, {0xff66, 0xffbe}, {0xffc2, 0xffc7}, {0xffca, 0xffcf},
    {0xffd2, 0xffd7}, {0xffda, 0xffdc}, {0x10000, 0x1000b}, {0x1000d, 0x10026},
    {0x10028, 0x1003a}, {0x1003c, 0x1003d}, {0x1003f, 0x1004d}, {0x10050, 0x1005d},
    {0x10080, 0x100fa}, {0x10280, 0x1029c}, {0x102a0, 0x102d0}, {0x10300, 0x1031f},
    {0x1032d, 0x10340}, {0x10342, 0x10349}, {0x10350, 0x10375}, {0x10380, 0x1039d},
    {0x103a0, 0x103c3}, {0x103c8, 0x103cf}, {0x10400, 0x1049d}, {0x104b0, 0x104d3},
    {0x104d8, 0x104fb}, {0x10500, 0x10527}, {0x10530, 0x10563}, {0x10570, 0x1057a},
    {0x1057c, 0x1058a}, {0x1058c, 0x10592}, {0x10594, 0x10595}, {0x10597, 0x105a1},
    {0x105a3, 0x105b1}, {0x105b3, 0x105b9}, {0x105bb, 0x105bc}, {0x10600, 0x10736},
    {0x10740, 0x10755}, {0x10760, 0x10767}, {0x10780, 0x10785}, {0x10787, 0x107b0},
    {0x107b2, 0x107ba}, {0x10800, 0x10805}, {0x10808, 0x10808}, {0x1080a, 0x10835},
    {0x10837, 0x10838}, {0x1083c, 0x1083c}, {0x1083f, 0x10855}, {0x10860, 0x10876},
    {0x10880, 0x1089e}, {0x108e0, 0x108f2}, {0x108f4, 0x108f5}, {0x10900, 0x10915},
    {0x10920, 0x10939}, {0x10980, 0x109b7}, {0x109be, 0x109bf}, {0x10a00, 0x10a00},
    {0x10a10, 0x10a13}, {0x10a15, 0x10a17}, {0x10a19, 0x10a35}, {0x10a60, 0x10a7c},
    {0x10a80, 0x10a9c}, {0x10ac0, 0x10ac7}, {0x10ac9, 0x10ae4}, {0x10b00, 0x10b35},
    {0x10b40, 0x10b55}, {0x10b60, 0x10b72}, {0x10b80, 0x10b91}, {0x10c00, 0x10c48},
    {0x10c80, 0x10cb2}, {0x10cc0, 0x10cf2}, {0x10d00, 0x10d23}, {0x10e80, 0x10ea9},
    {0x10eb0, 0x10eb1}, {0x10f00, 0x10f1c}, {0x10f27, 0x10f27}, {0x10f30, 0x10f45},
    {0x10f70, 0x10f81}, {0x10fb0, 0x10fc4}, {0x10fe0, 0x10ff6}, {0x11003, 0x11037},
    {0x11071, 0x11072}, {0x11075, 0x11075}, {0x11083, 0x110af}, {0x110d0, 0x110e8},
    {0x11103, 0x11126}, {0x11144, 0x11144}, {0x11147, 0x11147}, {0x11150, 0x11172},
    {0x11176, 0x11176}, {0x11183, 0x111b2}, {0x111c1, 0x111c4}, {0x111da, 0x111da},
    {0x111dc, 0x111dc}, {0x11200, 0x11211}, {0x11213, 0x1122b}, {0x11280, 0x11286},
    {0x11288, 0x11288}, {0x1128a, 0x1128d}, {0x1128f, 0x1129d}, {0x1129f, 0x112a8},
    {0x112b0, 0x112de}, {0x11305, 0x1130c}, {0x1130f, 0x11310}, {0x11313, 0x11328},
    {0x1132a, 0x11330}, {0x11332, 0x11333}, {0x11335, 0x11339}, {0x1133d, 0x1133d},
    {0x11350, 0x11350}, {0x1135d, 0x11361}, {0x11400, 0x11434}, {0x11447, 0x1144a},
    {0x1145f, 0x11461}, {0x11480, 0x114af}, {0x114c4, 0x114c5}, {0x114c7, 0x114c7},
    {0x11580, 0x115ae}, {0x115d8, 0x115db}, {0x11600, 0x1162f}, {0x11644, 0x11644},
    {0x11680, 0x116aa}, {0x116b8, 0x116b8}, {0x11700, 0x1171a}, {0x11740, 0x11746},
    {0x11800, 0x1182b}, {0x118a0, 0x118df}, {0x118ff, 0x11906}, {0x11909, 0x11909},
    {0x1190c, 0x11913}, {0x11915, 0x11916}, {0x11918, 0x1192f}, {0x1193f, 0x1193f},
    {0x11941, 0x11941}, {0x119a0, 0x119a7}, {0x119aa, 0x119d0}, {0x119e1, 0x119e1},
    {0x119e3, 0x119e3}, {0x11a00, 0x11a00}, {0x11a0b, 0x11a32}, {0x11a3a, 0x11a3a},
    {0x11a50, 0x11a50}, {0x11a5c, 0x11a89}, {0x11a9d, 0x11a9d}, {0x11ab0, 0x11af8},
    {0x11c00, 0x11c08}, {0x11c0a, 0x11c2e}, {0x11c40, 0x11c40}, {0x11c72, 0x11c8f},
    {0x11d00, 0x11d06}, {0x11d08, 0x11d09}, {0x11d0b, 0x11d30}, {0x11d46, 0x11d46},
    {0x11d60, 0x11d65}, {0x11d67, 0x11d68}, {0x11d6a, 0x11d89}, {0x11d98, 0x11d98},
    {0x11ee0, 0x11ef2}, {0x11fb0, 0x11fb0}, {0x12000, 0x12399}, {0x12480, 0x12543},
    {0x12f90, 0x12ff0}, {0x13000, 0x1342e}, {0x14400, 0x14646}, {0x16800, 0x16a38},
    {0x16a40, 0x16a5e}, {0x16a70, 0x16abe}, {0x16ad0, 0x16aed}, {0x16b00, 0x16b2f},
    {0x16b40, 0x16b43}, {0x16b63, 0x16b77}, {0x16b7d, 0x16b8f}, {0x16e40, 0x16e7f},
    {0x16f00, 0x16f4a}, {0x16f50, 0x16f50}, {0x16f93, 0x16f9f}, {0x16fe0, 0x16fe1},
    {0x16fe3, 0x16fe3}, {0x17000, 0x187f7}, {0x18800, 0x18cd5}, {0x18d00, 0x18d08},
    {0x1aff0, 0x1aff3}, {0x1aff5, 0x1affb}, {0x1affd, 0x1affe}, {0x1b000, 0x1b122},
    {0x1b150, 0x1b152}, {0x1b164, 0x1b167}, {0x1b170, 0x1b2fb}, {0x1bc00, 0x1bc6a},
    {0x1bc70, 0x1bc7c}, {0x1bc80, 0x1bc88}, {0x1bc90, 0x1bc99}, {0x1d400, 0x1d454},
    {0x1d456, 0x1d49c}, {0x1d49e, 0x1d49f}, {0x1d4a2, 0x1d4a2}, {0x1d4a5, 0x1d4a6},
    {0x1d4a9, 0x1d4ac}, {0x1d4ae, 0x1d4b9}, {0x1d4bb, 0x1d4bb}, {0x1d4bd, 0x1d4c3},
    {0x1d4c5, 0x1d505}, {0x1d507, 0x1d50a}, {0x1d50d, 0x1d514}, {0x1d516, 0x1d51c},
    {0x1d51e, 0x1d539}, {0x1d53b, 0x1d53e}, {0x1d540, 0x1d544}, {0x1d546, 0x1d546},
    {0x1d54a, 0x1d550}, {0x1d552, 0x1d6a5}, {0x1d6a8, 0x1d6c0}, {0x1d6c2, 0x1d6da},
    {0x1d6dc, 0x1d6fa}, {0x1d6fc, 0x1d714}, {0x1d716, 0x1d734}, {0x1d736, 0x1d74e},
    {0x1d750, 0x1d76e}, {0x1d770, 0x1d788}, {0x1d78a, 0x1d7a8}, {0x1d7aa, 0x1d7c2},
    {0x1d7c4, 0x1d7cb}, {0x1df00, 0x1df1e}, {0x1e100, 0x1e12c}, {0x1e137, 0x1e13d},
    {0x1e14e, 0x1e14e}, {0x1e290, 0x1e2ad}, {0x1e2c0, 0x1e2eb}, {0x1e7e0, 0x1e7e6},
    {0x1e7e8, 0x1e7eb}, {0x1e7ed, 0x1e7ee}, {0x1e7f0, 0x1e7fe}, {0x1e800, 0x1e8c4},
    {0x1e900, 0x1e943}, {0x1e94b, 0x1e94b}, {0x1ee00, 0x1ee03}, {0x1ee05, 0x1ee1f},
    {0x1ee21, 0x1ee22}, {0x1ee24, 0x1ee24}, {0x1ee27, 0x1ee27}, {0x1ee29, 0x1ee32},
    {0x1ee34, 0x1ee37}, {0x1ee39, 0x1ee39}, {0x1ee3b, 0x1ee3b}, {0x1ee42, 0x1ee42},
    {0x1ee47, 0x1ee47}, {0x1ee49, 0x1ee49}, {0x1ee4b, 0x1ee4b}, {0x1ee4d, 0x1ee4f},
    {0x1ee51, 0x1ee52}, {0x1ee54, 0x1ee54}, {0x1ee57, 0x1ee57}, {0x1ee59, 0x1ee59},
    {0x1ee5b, 0x1ee5b}, {0x1ee5d, 0x1ee5d}, {0x1ee5f, 0x1ee5f}, {0x1ee61, 0x1ee62},
    {0x1ee64, 0x1ee64}, {0x1ee67, 0x1ee6a}, {0x1ee6c, 0x1ee72}, {0x1ee74, 0x1ee77},
    {0x1ee79, 0x1ee7c}, {0x1ee7e, 0x1ee7e}, {0x1ee80, 0x1ee89}, {0x1ee8b, 0x1ee9b},
    {0x1eea1, 0x1eea3}, {0x1eea5, 0x1eea9}, {0x1eeab, 0x1eebb}, {0x20000, 0x2a6df},
    {0x2a700, 0x2b738}, {0x2b740, 0x2b81d}, {0x2b820, 0x2cea1}, {0x2ceb0, 0x2ebe0},
    {0x2f800, 0x2fa1d}, {0x30000, 0x3134a},
};
/* END GENERATED alpha */
/* BEGIN GENERATED nonprint (tests/unit/gen_str_tables.py, Unicode 14.0.0). Do not edit. */
static const uint32_t nonprint_ranges[][2] = {
    {0x0080, 0x00a0}, {0x00ad, 0x00ad}, {0x0378, 0x0379}, {0x0380, 0x0383},
    {0x038b, 0x038b}, {0x038d, 0x038d}, {0x03a2, 0x03a2}, {0x0530, 0x0530},
    {0x0557, 0x0558}, {0x058b, 0x058c}, {0x0590, 0x0590}, {0x05c8, 0x05cf},
    {0x05eb, 0x05ee}, {0x05f5, 0x0605}, {0x061c, 0x061c}, {0x06dd, 0x06dd},
    {0x070e, 0x070f}, {0x074b, 0x074c}, {0x07b2, 0x07bf}, {0x07fb, 0x07fc},
    {0x082e, 0x082f}, {0x083f, 0x083f}, {0x085c, 0x085d}, {0x085f, 0x085f},
    {0x086b, 0x086f}, {0x088f, 0x0897}, {0x08e2, 0x08e2}, {0x0984, 0x0984},
    {0x098d, 0x098e}, {0x0991, 0x0992}, {0x09a9, 0x09a9}, {0x09b1, 0x09b1},
    {0x09b3, 0x09b5}, {0x09ba, 0x09bb}, {0x09c5, 0x09c6}, {0x09c9, 0x09ca},
    {0x09cf, 0x09d6}, {0x09d8, 0x09db}, {0x09de, 0x09de}, {0x09e4, 0x09e5},
    {0x09ff, 0x0a00}, {0x0a04, 0x0a04}, {0x0a0b, 0x0a0e}, {0x0a11, 0x0a12},
    {0x0a29, 0x0a29}, {0x0a31, 0x0a31}, {0x0a34, 0x0a34}, {0x0a37, 0x0a37},
    {0x0a3a, 0x0a3b}, {0x0a3d, 0x0a3d}, {0x0a43, 0x0a46}, {0x0a49, 0x0a4a},
    {0x0a4e, 0x0a50}, {0x0a52, 0x0a58}, {0x0a5d, 0x0a5d}, {0x0a5f, 0x0a65},
    {0x0a77, 0x0a80}, {0x0a84, 0x0a84}, {0x0a8e, 0x0a8e}, {0x0a92, 0x0a92},
    {0x0aa9, 0x0aa9}, {0x0ab1, 0x0ab1}, {0x0ab4, 0x0ab4}, {0x0aba, 0x0abb},
    {0x0ac6, 0x0ac6}, {0x0aca, 0x0aca}, {0x0ace, 0x0acf}, {0x0ad1, 0x0adf},
    {0x0ae4, 0x0ae5}, {0x0af2, 0x0af8}, {0x0b00, 0x0b00}, {0x0b04, 0x0b04},
    {0x0b0d, 0x0b0e}, {0x0b11, 0x0b12}, {0x0b29, 0x0b29}, {0x0b31, 0x0b31},
    {0x0b34, 0x0b34}, {0x0b3a, 0x0b3b}, {0x0b45, 0x0b46}, {0x0b49, 0x0b4a},
    {0x0b4e, 0x0b54}, {0x0b58, 0x0b5b}, {0x0b5e, 0x0b5e}, {0x0b64, 0x0b65},
    {0x0b78, 0x0b81}, {0x0b84, 0x0b84}, {0x0b8b, 0x0b8d}, {0x0b91, 0x0b91},
    {0x0b96, 0x0b98}, {0x0b9b, 0x0b9b}, {0x0b9d, 0x0b9d}, {0x0ba0, 0x0ba2},
    {0x0ba5, 0x0ba7}, {0x0bab, 0x0bad}, {0x0bba, 0x0bbd}, {0x0bc3, 0x0bc5},
    {0x0bc9, 0x0bc9}, {0x0bce, 0x0bcf}, {0x0bd1, 0x0bd6}, {0x0bd8, 0x0be5},
    {0x0bfb, 0x0bff}, {0x0c0d, 0x0c0d}, {0x0c11, 0x0c11}, {0x0c29, 0x0c29},
    {0x0c3a, 0x0c3b}, {0x0c45, 0x0c45}, {0x0c49, 0x0c49}, {0x0c4e, 0x0c54},
    {0x0c57, 0x0c57}, {0x0c5b, 0x0c5c}, {0x0c5e, 0x0c5f}, {0x0c64, 0x0c65},
    {0x0c70, 0x0c76}, {0x0c8d, 0x0c8d}, {0x0c91, 0x0c91}, {0x0ca9, 0x0ca9},
    {0x0cb4, 0x0cb4}, {0x0cba, 0x0cbb}, {0x0cc5, 0x0cc5}, {0x0cc9, 0x0cc9},
    {0x0cce, 0x0cd4}, {0x0cd7, 0x0cdc}, {0x0cdf, 0x0cdf}, {0x0ce4, 0x0ce5},
    {0x0cf0, 0x0cf0}, {0x0cf3, 0x0cff}, {0x0d0d, 0x0d0d}, {0x0d11, 0x0d11},
    {0x0d45, 0x0d45}, {0x0d49, 0x0d49}, {0x0d50, 0x0d53}, {0x0d64, 0x0d65},
    {0x0d80, 0x0d80}, {0x0d84, 0x0d84}, {0x0d97, 0x0d99}, {0x0db2, 0x0db2},
    {0x0dbc, 0x0dbc}, {0x0dbe, 0x0dbf}, {0x0dc7, 0x0dc9}, {0x0dcb, 0x0dce},
    {0x0dd5, 0x0dd5}, {0x0dd7, 0x0dd7}, {0x0de0, 0x0de5}, {0x0df0, 0x0df1},
    {0x0df5, 0x0e00}, {0x0e3b, 0x0e3e}, {0x0e5c, 0x0e80}, {0x0e83, 0x0e83},
    {0x0e85, 0x0e85}, {0x0e8b, 0x0e8b}, {0x0ea4, 0x0ea4}, {0x0ea6, 0x0ea6},
    {0x0ebe, 0x0ebf}, {0x0ec5, 0x0ec5}, {0x0ec7, 0x0ec7}, {0x0ece, 0x0ecf},
    {0x0eda, 0x0edb}, {0x0ee0, 0x0eff}, {0x0f48, 0x0f48}, {0x0f6d, 0x0f70},
    {0x0f98, 0x0f98}, {0x0fbd, 0x0fbd}, {0x0fcd, 0x0fcd}, {0x0fdb, 0x0fff},
    {0x10c6, 0x10c6}, {0x10c8, 0x10cc}, {0x10ce, 0x10cf}, {0x1249, 0x1249},
    {0x124e, 0x124f}, {0x1257, 0x1257}, {0x1259, 0x1259}, {0x125e, 0x125f},
    {0x1289, 0x1289}, {0x128e, 0x128f}, {0x12b1, 0x12b1}, {0x12b6, 0x12b7},
    {0x12bf, 0x12bf}, {0x12c1, 0x12c1}, {0x12c6, 0x12c7}, {0x12d7, 0x12d7},
    {0x1311, 0x1311}, {0x1316, 0x1317}, {0x135b, 0x135c}, {0x137d, 0x137f},
    {0x139a, 0x139f}, {0x13f6, 0x13f7}, {0x13fe, 0x13ff}, {0x1680, 0x1680},
    {0x169d, 0x169f}, {0x16f9, 0x16ff}, {0x1716, 0x171e}, {0x1737, 0x173f},
    {0x1754, 0x175f}, {0x176d, 0x176d}, {0x1771, 0x1771}, {0x1774, 0x177f},
    {0x17de, 0x17df}, {0x17ea, 0x17ef}, {0x17fa, 0x17ff}, {0x180e, 0x180e},
    {0x181a, 0x181f}, {0x1879, 0x187f}, {0x18ab, 0x18af}, {0x18f6, 0x18ff},
    {0x191f, 0x191f}, {0x192c, 0x192f}, {0x193c, 0x193f}, {0x1941, 0x1943},
    {0x196e, 0x196f}, {0x1975, 0x197f}, {0x19ac, 0x19af}, {0x19ca, 0x19cf},
    {0x19db, 0x19dd}, {0x1a1c, 0x1a1d}, {0x1a5f, 0x1a5f}, {0x1a7d, 0x1a7e},
    {0x1a8a, 0x1a8f}, {0x1a9a, 0x1a9f}, {0x1aae, 0x1aaf}, {0x1acf, 0x1aff},
    {0x1b4d, 0x1b4f}, {0x1b7f, 0x1b7f}, {0x1bf4, 0x1bfb}, {0x1c38, 0x1c3a},
    {0x1c4a, 0x1c4c}, {0x1c89, 0x1c8f}, {0x1cbb, 0x1cbc}, {0x1cc8, 0x1ccf},
    {0x1cfb, 0x1cff}, {0x1f16, 0x1f17}, {0x1f1e, 0x1f1f}, {0x1f46, 0x1f47},
    {0x1f4e, 0x1f4f}, {0x1f58, 0x1f58}, {0x1f5a, 0x1f5a}, {0x1f5c, 0x1f5c},
    {0x1f5e, 0x1f5e}, {0x1f7e, 0x1f7f}, {0x1fb5, 0x1fb5}, {0x1fc5, 0x1fc5},
    {0x1fd4, 0x1fd5}, {0x1fdc, 0x1fdc}, {0x1ff0, 0x1ff1}, {0x1ff5, 0x1ff5},
    {0x1fff, 0x200f}, {0x2028, 0x202f}, {0x205f, 0x206f}, {0x2072, 0x2073},
    {0x208f, 0x208f}, {0x209d, 0x209f}, {0x20c1, 0x20cf}, {0x20f1, 0x20ff},
    {0x218c, 0x218f}, {0x2427, 0x243f}, {0x244b, 0x245f}, {0x2b74, 0x2b75},
    {0x2b96, 0x2b96}, {0x2cf4, 0x2cf8}, {0x2d26, 0x2d26}, {0x2d28, 0x2d2c},
    {0x2d2e, 0x2d2f}, {0x2d68, 0x2d6e}, {0x2d71, 0x2d7e}, {0x2d97, 0x2d9f},
    {0x2da7, 0x2da7}, {0x2daf, 0x2daf}, {0x2db7, 0x2db7}, {0x2dbf, 0x2dbf},
    {0x2dc7, 0x2dc7}, {0x2dcf, 0x2dcf}, {0x2dd7, 0x2dd7}, {0x2ddf, 0x2ddf},
    {0x2e5e, 0x2e7f}, {0x2e9a, 0x2e9a}, {0x2ef4, 0x2eff}, {0x2fd6, 0x2fef},
    {0x2ffc, 0x3000}, {0x3040, 0x3040}, {0x3097, 0x3098}, {0x3100, 0x3104},
    {0x3130, 0x3130}, {0x318f, 0x318f}, {0x31e4, 0x31ef}, {0x321f, 0x321f},
    {0xa48d, 0xa48f}, {0xa4c7, 0xa4cf}, {0xa62c, 0xa63f}, {0xa6f8, 0xa6ff},
    {0xa7cb, 0xa7cf}, {0xa7d2, 0xa7d2}, {0xa7d4, 0xa7d4}, {0xa7da, 0xa7f1},
    {0xa82d, 0xa82f}, {0xa83a, 0xa83f}, {0xa878, 0xa87f}, {0xa8c6, 0xa8cd},
    {0xa8da, 0xa8df}, {0xa954, 0xa95e}, {0xa97d, 0xa97f}, {0xa9ce, 0xa9ce},
    {0xa9da, 0xa9dd}, {0xa9ff, 0xa9ff}, {0xaa37, 0xaa3f}, {0xaa4e, 0xaa4f},
    {0xaa5a, 0xaa5b}, {0xaac3, 0xaada}, {0xaaf7, 0xab00}, {0xab07, 0xab08},
    {0xab0f, 0xab10}, {0xab17, 0xab1f}, {0xab27, 0xab27}, {0xab2f, 0xab2f},
    {0xab6c, 0xab6f}, {0xabee, 0xabef}, {0xabfa, 0xabff}, {0xd7a4, 0xd7af},
    {0xd7c7, 0xd7ca}, {0xd7fc, 0xf8ff}, {0xfa6e, 0xfa6f}, {0xfada, 0xfaff},
    {0xfb07, 0xfb12}, {0xfb18, 0xfb1c}, {0xfb37, 0xfb37}, {0xfb3d, 0xfb3d},
    {0xfb3f, 0xfb3f}, {0xfb42, 0xfb42}, {0xfb45, 0xfb45}, {0xfbc3, 0xfbd2},
    {0xfd90, 0xfd91}, {0xfdc8, 0xfdce}, {0xfdd0, 0xfdef}, {0xfe1a, 0xfe1f},
    {0xfe53, 0xfe53}, {0xfe67, 0xfe67}, {0xfe6c, 0xfe6f}, {0xfe75, 0xfe75},
    {0xfefd, 0xff00}, {0xffbf, 0xffc1}, {0xffc8, 0xffc9}, {0xffd0, 0xffd1},
    {0xffd8, 0xffd9}, {0xffdd, 0xffdf}, {0xffe7, 0xffe7}, {0xffef, 0xfffb},
    {0xfffe, 0xffff}, {0x1000c, 0x1000c}, {0x10027, 0x10027}, {0x1003b, 0x1003b},
    {0x1003e, 0x1003e}, {0x1004e, 0x1004f}, {0x1005e, 0x1007f}, {0x100fb, 0x100ff},
    {0x10103, 0x10106}, {0x10134, 0x10136}, {0x1018f, 0x1018f}, {0x1019d, 0x1019f},
    {0x101a1, 0x101cf}, {0x101fe, 0x1027f}, {0x1029d, 0x1029f}, {0x102d1, 0x102df},
    {0x102fc, 0x102ff}, {0x10324, 0x1032c}, {0x1034b, 0x1034f}, {0x1037b, 0x1037f},
    {0x1039e, 0x1039e}, {0x103c4, 0x103c7}, {0x103d6, 0x103ff}, {0x1049e, 0x1049f},
    {0x104aa, 0x104af}, {0x104d4, 0x104d7}, {0x104fc, 0x104ff}, {0x10528, 0x1052f},
    {0x10564, 0x1056e}, {0x1057b, 0x1057b}, {0x1058b, 0x1058b}, {0x10593, 0x10593},
    {0x10596, 0x10596}, {0x105a2, 0x105a2}, {0x105b2, 0x105b2}, {0x105ba, 0x105ba},
    {0x105bd, 0x105ff}, {0x10737, 0x1073f}, {0x10756, 0x1075f}, {0x10768, 0x1077f},
    {0x10786, 0x10786}, {0x107b1, 0x107b1}, {0x107bb, 0x107ff}, {0x10806, 0x10807},
    {0x10809, 0x10809}, {0x10836, 0x10836}, {0x10839, 0x1083b}, {0x1083d, 0x1083e},
    {0x10856, 0x10856}, {0x1089f, 0x108a6}, {0x108b0, 0x108df}, {0x108f3, 0x108f3},
    {0x108f6, 0x108fa}, {0x1091c, 0x1091e}, {0x1093a, 0x1093e}, {0x10940, 0x1097f},
    {0x109b8, 0x109bb}, {0x109d0, 0x109d1}, {0x10a04, 0x10a04}, {0x10a07, 0x10a0b},
    {0x10a14, 0x10a14}, {0x10a18, 0x10a18}, {0x10a36, 0x10a37}, {0x10a3b, 0x10a3e},
    {0x10a49, 0x10a4f}, {0x10a59, 0x10a5f}, {0x10aa0, 0x10abf}, {0x10ae7, 0x10aea},
    {0x10af7, 0x10aff}, {0x10b36, 0x10b38}, {0x10b56, 0x10b57}, {0x10b73, 0x10b77},
    {0x10b92, 0x10b98}, {0x10b9d, 0x10ba8}, {0x10bb0, 0x10bff}, {0x10c49, 0x10c7f},
    {0x10cb3, 0x10cbf}, {0x10cf3, 0x10cf9}, {0x10d28, 0x10d2f}, {0x10d3a, 0x10e5f},
    {0x10e7f, 0x10e7f}, {0x10eaa, 0x10eaa}, {0x10eae, 0x10eaf}, {0x10eb2, 0x10eff},
    {0x10f28, 0x10f2f}, {0x10f5a, 0x10f6f}, {0x10f8a, 0x10faf}, {0x10fcc, 0x10fdf},
    {0x10ff7, 0x10fff}, {0x1104e, 0x11051}, {0x11076, 0x1107e}, {0x110bd, 0x110bd},
    {0x110c3, 0x110cf}, {0x110e9, 0x110ef}, {0x110fa, 0x110ff}, {0x11135, 0x11135},
    {0x11148, 0x1114f}, {0x11177, 0x1117f}, {0x111e0, 0x111e0}, {0x111f5, 0x111ff},
    {0x11212, 0x11212}, {0x1123f, 0x1127f}, {0x11287, 0x11287}, {0x11289, 0x11289},
    {0x1128e, 0x1128e}, {0x1129e, 0x1129e}, {0x112aa, 0x112af}, {0x112eb, 0x112ef},
    {0x112fa, 0x112ff}, {0x11304, 0x11304}, {0x1130d, 0x1130e}, {0x11311, 0x11312},
    {0x11329, 0x11329}, {0x11331, 0x11331}, {0x11334, 0x11334}, {0x1133a, 0x1133a},
    {0x11345, 0x11346}, {0x11349, 0x1134a}, {0x1134e, 0x1134f}, {0x11351, 0x11356},
    {0x11358, 0x1135c}, {0x11364, 0x11365}, {0x1136d, 0x1136f}, {0x11375, 0x113ff},
    {0x1145c, 0x1145c}, {0x11462, 0x1147f}, {0x114c8, 0x114cf}, {0x114da, 0x1157f},
    {0x115b6, 0x115b7}, {0x115de, 0x115ff}, {0x11645, 0x1164f}, {0x1165a, 0x1165f},
    {0x1166d, 0x1167f}, {0x116ba, 0x116bf}, {0x116ca, 0x116ff}, {0x1171b, 0x1171c},
    {0x1172c, 0x1172f}, {0x11747, 0x117ff}, {0x1183c, 0x1189f}, {0x118f3, 0x118fe},
    {0x11907, 0x11908}, {0x1190a, 0x1190b}, {0x11914, 0x11914}, {0x11917, 0x11917},
    {0x11936, 0x11936}, {0x11939, 0x1193a}, {0x11947, 0x1194f}, {0x1195a, 0x1199f},
    {0x119a8, 0x119a9}, {0x119d8, 0x119d9}, {0x119e5, 0x119ff}, {0x11a48, 0x11a4f},
    {0x11aa3, 0x11aaf}, {0x11af9, 0x11bff}, {0x11c09, 0x11c09}, {0x11c37, 0x11c37},
    {0x11c46, 0x11c4f}, {0x11c6d, 0x11c6f}, {0x11c90, 0x11c91}, {0x11ca8, 0x11ca8},
    {0x11cb7, 0x11cff}, {0x11d07, 0x11d07}, {0x11d0a, 0x11d0a}, {0x11d37, 0x11d39},
    {0x11d3b, 0x11d3b}, {0x11d3e, 0x11d3e}, {0x11d48, 0x11d4f}, {0x11d5a, 0x11d5f},
    {0x11d66, 0x11d66}, {0x11d69, 0x11d69}, {0x11d8f, 0x11d8f}, {0x11d92, 0x11d92},
    {0x11d99, 0x11d9f}, {0x11daa, 0x11edf}, {0x11ef9, 0x11faf}, {0x11fb1, 0x11fbf},
    {0x11ff2, 0x11ffe}, {0x1239a, 0x123ff}, {0x1246f, 0x1246f}, {0x12475, 0x1247f},
    {0x12544, 0x12f8f}, {0x12ff3, 0x12fff}, {0x1342f, 0x143ff}, {0x14647, 0x167ff},
    {0x16a39, 0x16a3f}, {0x16a5f, 0x16a5f}, {0x16a6a, 0x16a6d}, {0x16abf, 0x16abf},
    {0x16aca, 0x16acf}, {0x16aee, 0x16aef}, {0x16af6, 0x16aff}, {0x16b46, 0x16b4f},
    {0x16b5a, 0x16b5a}, {0x16b62, 0x16b62}, {0x16b78, 0x16b7c}, {0x16b90, 0x16e3f},
    {0x16e9b, 0x16eff}, {0x16f4b, 0x16f4e}, {0x16f88, 0x16f8e}, {0x16fa0, 0x16fdf},
    {0x16fe5, 0x16fef}, {0x16ff2, 0x16fff}, {0x187f8, 0x187ff}, {0x18cd6, 0x18cff},
    {0x18d09, 0x1afef}, {0x1aff4, 0x1aff4}, {0x1affc, 0x1affc}, {0x1afff, 0x1afff},
    {0x1b123, 0x1b14f}, {0x1b153, 0x1b163}, {0x1b168, 0x1b16f}, {0x1b2fc, 0x1bbff},
    {0x1bc6b, 0x1bc6f}, {0x1bc7d, 0x1bc7f}, {0x1bc89, 0x1bc8f}, {0x1bc9a, 0x1bc9b},
    {0x1bca0, 0x1ceff}, {0x1cf2e, 0x1cf2f}, {0x1cf47, 0x1cf4f}, {0x1cfc4, 0x1cfff},
    {0x1d0f6, 0x1d0ff}, {0x1d127, 0x1d128}, {0x1d173, 0x1d17a}, {0x1d1eb, 0x1d1ff},
    {0x1d246, 0x1d2df}, {0x1d2f4, 0x1d2ff}, {0x1d357, 0x1d35f}, {0x1d379, 0x1d3ff},
    {0x1d455, 0x1d455}, {0x1d49d, 0x1d49d}, {0x1d4a0, 0x1d4a1}, {0x1d4a3, 0x1d4a4},
    {0x1d4a7, 0x1d4a8}, {0x1d4ad, 0x1d4ad}, {0x1d4ba, 0x1d4ba}, {0x1d4bc, 0x1d4bc},
    {0x1d4c4, 0x1d4c4}, {0x1d506, 0x1d506}, {0x1d50b, 0x1d50c}, {0x1d515, 0x1d515},
    {0x1d51d, 0x1d51d}, {0x1d53a, 0x1d53a}, {0x1d53f, 0x1d53f}, {0x1d545, 0x1d545},
    {0x1d547, 0x1d549}, {0x1d551, 0x1d551}, {0x1d6a6, 0x1d6a7}, {0x1d7cc, 0x1d7cd},
    {0x1da8c, 0x1da9a}, {0x1daa0, 0x1daa0}, {0x1dab0, 0x1deff}, {0x1df1f, 0x1dfff},
    {0x1e007, 0x1e007}, {0x1e019, 0x1e01a}, {0x1e022, 0x1e022}, {0x1e025, 0x1e025},
    {0x1e02b, 0x1e0ff}, {0x1e12d, 0x1e12f}, {0x1e13e, 0x1e13f}, {0x1e14a, 0x1e14d},
    {0x1e150, 0x1e28f}, {0x1e2af, 0x1e2bf}, {0x1e2fa, 0x1e2fe}, {0x1e300, 0x1e7df},
    {0x1e7e7, 0x1e7e7}, {0x1e7ec, 0x1e7ec}, {0x1e7ef, 0x1e7ef}, {0x1e7ff, 0x1e7ff},
    {0x1e8c5, 0x1e8c6}, {0x1e8d7, 0x1e8ff}, {0x1e94c, 0x1e94f}, {0x1e95a, 0x1e95d},
    {0x1e960, 0x1ec70}, {0x1ecb5, 0x1ed00}, {0x1ed3e, 0x1edff}, {0x1ee04, 0x1ee04},
    {0x1ee20, 0x1ee20}, {0x1ee23, 0x1ee23}, {0x1ee25, 0x1ee26}, {0x1ee28, 0x1ee28},
    {0x1ee33, 0x1ee33}, {0x1ee38, 0x1ee38}, {0x1ee3a, 0x1ee3a}, {0x1ee3c, 0x1ee41},
    {0x1ee43, 0x1ee46}, {0x1ee48, 0x1ee48}, {0x1ee4a, 0x1ee4a}, {0x1ee4c, 0x1ee4c},
    {0x1ee50, 0x1ee50}, {0x1ee53, 0x1ee53}, {0x1ee55, 0x1ee56}, {0x1ee58, 0x1ee58},
    {0x1ee5a, 0x1ee5a}, {0x1ee5c, 0x1ee5c}, {0x1ee5e, 0x1ee5e}, {0x1ee60, 0x1ee60},
    {0x1ee63, 0x1ee63}, {0x1ee65, 0x1ee66}, {0x1ee6b, 0x1ee6b}, {0x1ee73, 0x1ee73},
    {0x1ee78, 0x1ee78}, {0x1ee7d, 0x1ee7d}, {0x1ee7f, 0x1ee7f}, {0x1ee8a, 0x1ee8a},
    {0x1ee9c, 0x1eea0}, {0x1eea4, 0x1eea4}, {0x1eeaa, 0x1eeaa}, {0x1eebc, 0x1eeef},
    {0x1eef2, 0x1efff}, {0x1f02c, 0x1f02f}, {0x1f094, 0x1f09f}, {0x1f0af, 0x1f0b0},
    {0x1f0c0, 0x1f0c0}, {0x1f0d0, 0x1f0d0}, {0x1f0f6, 0x1f0ff}, {0x1f1ae, 0x1f1e5},
    {0x1f203, 0x1f20f}, {0x1f23c, 0x1f23f}, {0x1f249, 0x1f24f}, {0x1f252, 0x1f25f},
    {0x1f266, 0x1f2ff}, {0x1f6d8, 0x1f6dc}, {0x1f6ed, 0x1f6ef}, {0x1f6fd, 0x1f6ff},
    {0x1f774, 0x1f77f}, {0x1f7d9, 0x1f7df}, {0x1f7ec, 0x1f7ef}, {0x1f7f1, 0x1f7ff},
    {0x1f80c, 0x1f80f}, {0x1f848, 0x1f84f}, {0x1f85a, 0x1f85f}, {0x1f888, 0x1f88f},
    {0x1f8ae, 0x1f8af}, {0x1f8b2, 0x1f8ff}, {0x1fa54, 0x1fa5f}, {0x1fa6e, 0x1fa6f},
    {0x1fa75, 0x1fa77}, {0x1fa7d, 0x1fa7f}, {0x1fa87, 0x1fa8f}, {0x1faad, 0x1faaf},
    {0x1fabb, 0x1fabf}, {0x1fac6, 0x1facf}, {0x1fada, 0x1fadf}, {0x1fae8, 0x1faef},
    {0x1faf7, 0x1faff}, {0x1fb93, 0x1fb93}, {0x1fbcb, 0x1fbef}, {0x1fbfa, 0x1ffff},
    {0x2a6e0, 0x2a6ff}, {0x2b739, 0x2b73f}, {0x2b81e, 0x2b81f}, {0x2cea2, 0x2ceaf},
    {0x2ebe1, 0x2f7ff}, {0x2fa1e, 0x2ffff}, {0x3134b, 0xe00ff}, {0xe01f0, 0x10ffff},
};
/* END GENERATED nonprint */

static bool in_ranges(const uint32_t (*r)[2], size_t n, uint32_t c) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c < r[mid][0]) hi = mid;
        else if (c > r[mid][1]) lo = mid + 1;
        else return true;
    }
    return false;
}

#define IN_TABLE(name, c) in_ranges(name##_ranges, sizeof name##_ranges / sizeof name##_ranges[0], (c))

static bool cp_isdecimal(uint32_t c) { return c < 128 ? c >= '0' && c <= '9' : IN_TABLE(decimal, c); }
static bool cp_isdigit(uint32_t c) { return c < 128 ? c >= '0' && c <= '9' : IN_TABLE(digit, c); }
static bool cp_isnumeric(uint32_t c) { return c < 128 ? c >= '0' && c <= '9' : IN_TABLE(numeric, c); }
static bool cp_isalpha(uint32_t c) {
    return c < 128 ? (c | 32) >= 'a' && (c | 32) <= 'z' : IN_TABLE(alpha, c);
}
static bool cp_isalnum(uint32_t c) { return cp_isalpha(c) || cp_isnumeric(c); }

/* str.isprintable() for one code point: exact, from the generated table. */
static bool cp_isprintable(uint32_t c) {
    if (c < 0x7F) return c >= 0x20;
    return !IN_TABLE(nonprint, c);
}

/* ==== allocation and the small-str cache =================================== */

/* The empty str and the 128 one-character ASCII strs are static and immortal,
 * so iterating over or indexing ASCII text never allocates. */
typedef struct { RtStr s; char data[2]; } StrChar;
_Static_assert(offsetof(StrChar, data) == offsetof(RtStr, data), "RtStr layout");
static StrChar ascii_cache[128];
static StrChar empty_str;

__attribute__((constructor)) static void str_cache_init(void) {
    for (int i = 0; i < 128; i++) {
        StrChar *c = &ascii_cache[i];
        c->s.ob = (RtValue)RT_STATIC_HEAD(&rt_type_str);
        c->s.hash = -1;
        c->s.len = c->s.ncp = 1;
        c->data[0] = (char)i;
    }
    empty_str.s.ob = (RtValue)RT_STATIC_HEAD(&rt_type_str);
    empty_str.s.hash = -1;
}

/* A str of n bytes, to be filled by the caller (data[n] is set to NUL). */
static RtStr *str_alloc(size_t n, size_t ncp) {
    RtStr *s = (RtStr *)rt_obj_alloc(&rt_type_str, sizeof(RtStr) + n + 1);
    if (!s) return NULL;
    s->hash = -1;
    s->len = n;
    s->ncp = ncp;
    s->data[n] = '\0';
    return s;
}

RtValue *rt_str_new_ncp(const char *utf8, size_t n, size_t ncp) {
    if (n == 0) return (RtValue *)&empty_str;
    if (n == 1 && (unsigned char)utf8[0] < 128) return (RtValue *)&ascii_cache[(unsigned char)utf8[0]];
    RtStr *s = str_alloc(n, ncp);
    if (!s) return NULL;
    memcpy(s->data, utf8, n);
    return (RtValue *)s;
}

RtValue *rt_str_new(const char *utf8, size_t n) {
    return rt_str_new_ncp(utf8, n, u8_count(utf8, n));
}

RtValue *rt_str_from_cstr(const char *utf8) { return rt_str_new(utf8, strlen(utf8)); }

/* Constant strs are interned: asking twice for the same text gives the same
 * immortal object, so callers may use rt_str_const on every call (reprs of
 * None and True do) without leaking. */
static struct { RtStr **slots; size_t cap, used; } interned;
static pthread_mutex_t interned_lock = PTHREAD_MUTEX_INITIALIZER;

static RtStr **intern_slot(RtStr **slots, size_t cap, const char *p, size_t n, int64_t h) {
    for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        RtStr *s = slots[i];
        if (!s || (s->hash == h && s->len == n && memcmp(s->data, p, n) == 0)) return &slots[i];
    }
}

static int intern_grow(void) {
    size_t cap = interned.cap ? interned.cap * 2 : 64;
    RtStr **slots = rt_calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < interned.cap; i++)
        if (interned.slots[i])
            *intern_slot(slots, cap, interned.slots[i]->data, interned.slots[i]->len, interned.slots[i]->hash) =
                interned.slots[i];
    rt_free(interned.slots);
    interned.slots = slots;
    interned.cap = cap;
    return 0;
}

RtValue *rt_str_const(const char *utf8, size_t n) {
    if (n <= 1) return rt_str_new(utf8, n);          /* static singletons already */
    int64_t h = rt_hash_bytes(utf8, n);
    pthread_mutex_lock(&interned_lock);
    RtValue *r = NULL;
    if ((interned.used + 1) * 2 <= interned.cap || intern_grow() == 0) {
        RtStr **slot = intern_slot(interned.slots, interned.cap, utf8, n, h);
        if (!*slot && (r = rt_str_new(utf8, n)) != NULL) {
            r->rc = RT_IMMORTAL;
            ((RtStr *)r)->hash = h;
            *slot = (RtStr *)r;
            interned.used++;
        }
        if (*slot) r = (RtValue *)*slot;
    }
    pthread_mutex_unlock(&interned_lock);
    return r;
}

/* The one-code-point str at byte offset off of s (shared with iter.c through
 * rt_str_getitem_cp). */
static RtValue *str_char_at(const RtStr *s, size_t off) {
    unsigned char c = (unsigned char)s->data[off];
    if (c < 128) return (RtValue *)&ascii_cache[c];
    return rt_str_new_ncp(s->data + off, u8_seqlen(c), 1);
}

/* ==== hashing =============================================================== */

/* A 64-bit multiply-xorshift hash over 8-byte words. CPython randomises str
 * hashes, so no script can depend on the values; -1 is never returned. */
int64_t rt_hash_bytes(const void *p, size_t n) {
    const unsigned char *b = p;
    uint64_t h = 0x243F6A8885A308D3ull ^ (n * 0x9E3779B97F4A7C15ull);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    for (size_t k = 0; i + k < n; k++) tail |= (uint64_t)b[i + k] << (8 * k);
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    int64_t r = (int64_t)h;
    return r == -1 ? -2 : r;
}

static int str_hash(RtValue *self, int64_t *out) {
    RtStr *s = S(self);
    if (s->hash == -1) s->hash = rt_hash_bytes(s->data, s->len);
    *out = s->hash;
    return 0;
}

/* ==== the str builder ====================================================== */

void rt_strbuf_init(RtStrBuf *b) {
    b->data = b->inline_buf;
    b->len = b->ncp = 0;
    b->cap = sizeof b->inline_buf;
    b->failed = false;
}

static int strbuf_grow(RtStrBuf *b, size_t extra) {
    if (b->failed) return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap * 2;
    while (cap < need) cap *= 2;
    char *p;
    if (b->data == b->inline_buf) {
        p = rt_malloc(cap);
        if (p) memcpy(p, b->data, b->len);
    } else {
        p = rt_realloc(b->data, cap);
    }
    if (!p) { b->failed = true; return -1; }
    b->data = p;
    b->cap = cap;
    return 0;
}

int rt_strbuf_put(RtStrBuf *b, const char *s, size_t n, size_t ncp) {
    if (b->len + n + 1 > b->cap && strbuf_grow(b, n) < 0) return -1;
    if (b->failed) return -1;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->ncp += ncp;
    return 0;
}

int rt_strbuf_put_ascii(RtStrBuf *b, const char *s, size_t n) { return rt_strbuf_put(b, s, n, n); }
int rt_strbuf_put_cstr(RtStrBuf *b, const char *s) { return rt_strbuf_put(b, s, strlen(s), strlen(s)); }

int rt_strbuf_putc(RtStrBuf *b, char c) {
    if (b->len + 2 > b->cap && strbuf_grow(b, 1) < 0) return -1;
    if (b->failed) return -1;
    b->data[b->len++] = c;
    b->ncp++;
    return 0;
}

int rt_strbuf_put_cp(RtStrBuf *b, uint32_t cp) {
    char buf[4];
    return rt_strbuf_put(b, buf, u8_encode(cp, buf), 1);
}

int rt_strbuf_put_str(RtStrBuf *b, RtValue *s) {
    return rt_strbuf_put(b, S(s)->data, S(s)->len, S(s)->ncp);
}

void rt_strbuf_free(RtStrBuf *b) {
    if (b->data != b->inline_buf) rt_free(b->data);
    rt_strbuf_init(b);
}

RtValue *rt_strbuf_finish(RtStrBuf *b) {
    RtValue *r = b->failed ? NULL : rt_str_new_ncp(b->data, b->len, b->ncp);
    rt_strbuf_free(b);
    return r;
}

/* ==== repr ================================================================== */

static int put_escape(RtStrBuf *b, uint32_t c) {
    static const char hex[] = "0123456789abcdef";
    char buf[10];
    size_t n = 0;
    buf[n++] = '\\';
    switch (c) {
    case '\t': buf[n++] = 't'; break;
    case '\n': buf[n++] = 'n'; break;
    case '\r': buf[n++] = 'r'; break;
    default: {
        int digits = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
        buf[n++] = c < 0x100 ? 'x' : c < 0x10000 ? 'u' : 'U';
        for (int k = digits - 1; k >= 0; k--) buf[n++] = hex[(c >> (4 * k)) & 0xF];
    }
    }
    return rt_strbuf_put_ascii(b, buf, n);
}

/* CPython's quote choice: single quotes unless the text holds a single
 * quote and no double quote. */
int rt_str_repr_into(RtStrBuf *b, const char *s, size_t n) {
    bool sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
    char quote = (sq && !dq) ? '"' : '\'';
    rt_strbuf_putc(b, quote);
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '\\' && c != (unsigned char)quote) {
            i++;
            run++;
            continue;
        }
        rt_strbuf_put_ascii(b, s + i - run, run);   /* flush the plain run */
        run = 0;
        if (c < 0x80) {
            if (c == '\\' || c == (unsigned char)quote) {
                char esc[2] = {'\\', (char)c};
                rt_strbuf_put_ascii(b, esc, 2);
            } else {
                put_escape(b, c);
            }
            i++;
            continue;
        }
        size_t adv;
        uint32_t cp = u8_decode(s + i, &adv);
        if (cp_isprintable(cp)) rt_strbuf_put(b, s + i, adv, 1);
        else put_escape(b, cp);
        i += adv;
    }
    rt_strbuf_put_ascii(b, s + n - run, run);
    return rt_strbuf_putc(b, quote);
}

RtValue *rt_str_repr(RtValue *self) {
    RtStrBuf b;
    rt_strbuf_init(&b);
    rt_str_repr_into(&b, S(self)->data, S(self)->len);
    return rt_strbuf_finish(&b);
}

static RtValue *str_str(RtValue *self) { return rt_newref(self); }

/* ==== concatenation, repetition, comparison ================================= */

RtValue *rt_str_concat(RtValue *a, RtValue *b) {
    RtStr *x = S(a), *y = S(b);
    if (y->len == 0) return rt_newref(a);
    if (x->len == 0) return rt_newref(b);
    RtStr *r = str_alloc(x->len + y->len, x->ncp + y->ncp);
    if (!r) return NULL;
    memcpy(r->data, x->data, x->len);
    memcpy(r->data + x->len, y->data, y->len);
    return (RtValue *)r;
}

static RtValue *str_repeat(RtValue *a, int64_t n) {
    RtStr *x = S(a);
    if (n <= 0 || x->len == 0) return rt_newref((RtValue *)&empty_str);
    if (n == 1) return rt_newref(a);
    if ((uint64_t)n > (SIZE_MAX / 2) / x->len) return rt_raise(&rt_exc_OverflowError, "repeated string is too long");
    size_t total = x->len * (size_t)n;
    RtStr *r = str_alloc(total, x->ncp * (size_t)n);
    if (!r) return NULL;
    if (x->len == 1) {
        memset(r->data, x->data[0], total);
    } else {                                /* doubling copies */
        memcpy(r->data, x->data, x->len);
        size_t done = x->len;
        while (done < total) {
            size_t k = done < total - done ? done : total - done;
            memcpy(r->data + done, r->data, k);
            done += k;
        }
    }
    return (RtValue *)r;
}

/* The count of a sequence repetition (n is an int or a bool); a count
 * beyond int64_t cannot be an index, whatever its sign (as CPython). */
int rt_repeat_count(RtValue *n, int64_t *out) {
    if (n->type == &rt_type_int && ((RtInt *)n)->big) {
        rt_raise(&rt_exc_OverflowError, "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    return rt_int_as_i64(n, out);
}

/* + and * (concatenation, repetition) and % (printf-style formatting).
 * Mismatched operands give NotImplemented: the core then tries the other
 * operand and raises CPython's "can only concatenate" / "can't multiply
 * sequence" errors. */
static RtValue *str_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (op == RT_ADD && rt_is_str(a) && rt_is_str(b)) return rt_str_concat(a, b);
    if (op == RT_MUL) {
        RtValue *s = rt_is_str(a) ? a : b, *n = rt_is_str(a) ? b : a;
        if (!rt_is_int(n)) return rt_NotImplemented;
        int64_t k;
        if (rt_repeat_count(n, &k) < 0) return NULL;
        return str_repeat(s, k);
    }
    if (op == RT_MOD && rt_is_str(a)) return rt_str_percent(a, b);
    return rt_NotImplemented;
}

static int str_cmp(const RtStr *x, const RtStr *y) {
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->data, y->data, n);   /* UTF-8 byte order is code point order */
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static bool str_eq(const RtStr *x, const RtStr *y) {
    if (x == y) return true;
    if (x->len != y->len) return false;
    if (x->hash != -1 && y->hash != -1 && x->hash != y->hash) return false;
    return memcmp(x->data, y->data, x->len) == 0;
}

static RtValue *str_richcompare(RtValue *a, RtValue *b, RtCmpOp op) {
    if (!rt_is_str(a) || !rt_is_str(b)) return rt_NotImplemented;
    if (op == RT_EQ) return rt_bool(str_eq(S(a), S(b)));
    if (op == RT_NE) return rt_bool(!str_eq(S(a), S(b)));
    int c = str_cmp(S(a), S(b));
    switch (op) {
    case RT_LT: return rt_bool(c < 0);
    case RT_LE: return rt_bool(c <= 0);
    case RT_GT: return rt_bool(c > 0);
    default:    return rt_bool(c >= 0);
    }
}

static int str_truthy(RtValue *self) { return S(self)->len != 0; }
static int64_t str_len(RtValue *self) { return (int64_t)S(self)->ncp; }

/* ==== searching ============================================================= */

/* Byte position of needle in hay[from, to), or -1. Short needles scan with
 * memchr for their first byte (cheaper per call than memmem's setup, which
 * matters when split/replace search thousands of times). */
static int64_t find_bytes(const char *hay, size_t from, size_t to, const char *nd, size_t nn) {
    if (to < from || to - from < nn) return -1;
    if (nn == 0) return (int64_t)from;
    if (nn <= 8) {
        const char *p = hay + from, *last = hay + to - nn;
        while (p <= last && (p = memchr(p, nd[0], (size_t)(last - p) + 1)) != NULL) {
            if (memcmp(p + 1, nd + 1, nn - 1) == 0) return p - hay;
            p++;
        }
        return -1;
    }
    const char *p = memmem(hay + from, to - from, nd, nn);
    return p ? p - hay : -1;
}

/* Last byte position of needle in hay[from, to), or -1. */
static int64_t rfind_bytes(const char *hay, size_t from, size_t to, const char *nd, size_t nn) {
    if (to < from || to - from < nn) return -1;
    if (nn == 0) return (int64_t)to;
    for (size_t i = to - nn + 1; i-- > from;) {
        if (hay[i] == nd[0] && memcmp(hay + i, nd, nn) == 0) return (int64_t)i;
    }
    return -1;
}

/* Non-overlapping occurrences of needle in hay[from, to), at most max. */
static size_t count_bytes(const char *hay, size_t from, size_t to, const char *nd, size_t nn,
                          size_t max) {
    size_t n = 0;
    while (n < max) {
        int64_t p = find_bytes(hay, from, to, nd, nn);
        if (p < 0) break;
        n++;
        from = (size_t)p + nn;
    }
    return n;
}

/* CPython's ADJUST_INDICES for start/end arguments of a sequence of length len. */
static void adjust_indices(int64_t len, int64_t *start, int64_t *end) {
    if (*end > len) *end = len;
    else if (*end < 0) { *end += len; if (*end < 0) *end = 0; }
    if (*start < 0) { *start += len; if (*start < 0) *start = 0; }
}

/* Parses (sub, start=None, end=None) for find/index/count/startswith. */
static int parse_sub_range(const char *fname, RtValue *const *args, size_t nargs, RtValue *kwnames,
                           RtValue **sub, int64_t *start, int64_t *end) {
    static const char *const names[] = {"sub", "start", "end"};
    RtValue *a[3];
    if (rt_no_kwargs(fname, kwnames) < 0) return -1;
    if (nargs < 1) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes at least 1 argument (0 given)", fname);
        return -1;
    }
    if (nargs > 3) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() takes at most 3 arguments (%zu given)", fname, nargs);
        return -1;
    }
    if (rt_parse_args(fname, args, nargs, NULL, names, 3, 1, 3, 0, a) < 0) return -1;
    *sub = a[0];
    *start = 0;
    *end = INT64_MAX;
    if (a[1] && rt_slice_index_arg(a[1], start) < 0) return -1;
    if (a[2] && rt_slice_index_arg(a[2], end) < 0) return -1;
    return 0;
}

static int need_str_arg(RtValue *o, const char *what) {
    if (rt_is_str(o)) return 0;
    rt_raise_fmt(&rt_exc_TypeError, what, rt_type_name(o));
    return -1;
}

/* The shared body of find/rfind/index/rindex: the code-point index or -1. */
static int find_common(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                       RtValue *kwnames, bool reverse, int64_t *out) {
    RtStr *s = S(self);
    RtValue *sub;
    int64_t start, end;
    if (parse_sub_range(fname, args, nargs, kwnames, &sub, &start, &end) < 0) return -1;
    if (need_str_arg(sub, "must be str, not %s") < 0) return -1;
    adjust_indices((int64_t)s->ncp, &start, &end);
    *out = -1;
    if (start > end) return 0;
    size_t from = cp_to_off(s, (size_t)start), to = cp_to_off(s, (size_t)end);
    int64_t p = reverse ? rfind_bytes(s->data, from, to, S(sub)->data, S(sub)->len)
                        : find_bytes(s->data, from, to, S(sub)->data, S(sub)->len);
    if (p >= 0) *out = (int64_t)off_to_cp(s, (size_t)p);
    return 0;
}

RtValue *rt_str_m_find(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    int64_t r;
    if (find_common(self, "find", args, nargs, kw, false, &r) < 0) return NULL;
    return rt_int(r);
}

RtValue *rt_str_m_rfind(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    int64_t r;
    if (find_common(self, "rfind", args, nargs, kw, true, &r) < 0) return NULL;
    return rt_int(r);
}

RtValue *rt_str_m_index(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    int64_t r;
    if (find_common(self, "index", args, nargs, kw, false, &r) < 0) return NULL;
    if (r < 0) return rt_raise(&rt_exc_ValueError, "substring not found");
    return rt_int(r);
}

RtValue *rt_str_m_rindex(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    int64_t r;
    if (find_common(self, "rindex", args, nargs, kw, true, &r) < 0) return NULL;
    if (r < 0) return rt_raise(&rt_exc_ValueError, "substring not found");
    return rt_int(r);
}

RtValue *rt_str_m_count(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtStr *s = S(self);
    RtValue *sub;
    int64_t start, end;
    if (parse_sub_range("count", args, nargs, kw, &sub, &start, &end) < 0) return NULL;
    if (need_str_arg(sub, "must be str, not %s") < 0) return NULL;
    adjust_indices((int64_t)s->ncp, &start, &end);
    if (start > end) return rt_int(0);
    if (S(sub)->len == 0) return rt_int(end - start + 1);
    size_t from = cp_to_off(s, (size_t)start), to = cp_to_off(s, (size_t)end);
    return rt_int((int64_t)count_bytes(s->data, from, to, S(sub)->data, S(sub)->len, SIZE_MAX));
}

static int str_contains(RtValue *self, RtValue *item) {
    if (!rt_is_str(item)) {
        rt_raise_fmt(&rt_exc_TypeError, "'in <string>' requires string as left operand, not %s",
                     rt_type_name(item));
        return -1;
    }
    return find_bytes(S(self)->data, 0, S(self)->len, S(item)->data, S(item)->len) >= 0;
}

/* startswith/endswith with one candidate, on code-point range [start, end). */
static int tailmatch(RtStr *s, RtStr *sub, int64_t start, int64_t end, bool at_end) {
    adjust_indices((int64_t)s->ncp, &start, &end);
    end -= (int64_t)sub->ncp;
    if (end < start) return 0;
    if (sub->len == 0) return 1;
    size_t off;
    if (at_end) off = cp_to_off(s, (size_t)end);
    else off = cp_to_off(s, (size_t)start);
    return off + sub->len <= s->len && memcmp(s->data + off, sub->data, sub->len) == 0;
}

static RtValue *starts_ends(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                            RtValue *kw, bool at_end) {
    RtValue *pfx;
    int64_t start, end;
    if (parse_sub_range(fname, args, nargs, kw, &pfx, &start, &end) < 0) return NULL;
    if (rt_is_tuple(pfx)) {
        for (size_t i = 0; i < RT_TUPLE_LEN(pfx); i++) {
            RtValue *p = RT_TUPLE_GET(pfx, i);
            if (!rt_is_str(p))
                return rt_raise_fmt(&rt_exc_TypeError,
                                    "tuple for %s must only contain str, not %s", fname, rt_type_name(p));
            if (tailmatch(S(self), S(p), start, end, at_end)) return rt_True;
        }
        return rt_False;
    }
    if (!rt_is_str(pfx))
        return rt_raise_fmt(&rt_exc_TypeError, "%s first arg must be str or a tuple of str, not %s",
                            fname, rt_type_name(pfx));
    return rt_bool(tailmatch(S(self), S(pfx), start, end, at_end));
}

RtValue *rt_str_m_startswith(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return starts_ends(self, "startswith", args, nargs, kw, false);
}

RtValue *rt_str_m_endswith(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return starts_ends(self, "endswith", args, nargs, kw, true);
}

/* ==== indexing and slicing ================================================== */

/* s[i] for a normalised 0 <= i < ncp. New reference. */
RtValue *rt_str_getitem_cp(RtValue *self, size_t i) {
    RtStr *s = S(self);
    return str_char_at(s, cp_to_off(s, i));
}

/* s[a:b] for 0 <= a <= b <= ncp (code points). */
static RtValue *str_substr(RtStr *s, size_t a, size_t b) {
    if (a == 0 && b == s->ncp) return rt_newref((RtValue *)s);
    if (str_ascii(s)) return rt_str_new_ncp(s->data + a, b - a, b - a);
    size_t from = cp_to_off(s, a);
    size_t to = from;
    const unsigned char *p = (const unsigned char *)s->data;
    for (size_t k = a; k < b; k++) to += u8_seqlen(p[to]);
    return rt_str_new_ncp(s->data + from, to - from, b - a);
}

static RtValue *str_slice(RtStr *s, RtValue *slice) {
    int64_t start, stop, step, n;
    if (rt_slice_indices(slice, (int64_t)s->ncp, &start, &stop, &step, &n) < 0) return NULL;
    if (n <= 0) return rt_newref((RtValue *)&empty_str);
    if (step == 1) return str_substr(s, (size_t)start, (size_t)start + (size_t)n);
    if (str_ascii(s)) {
        RtStr *r = str_alloc((size_t)n, (size_t)n);
        if (!r) return NULL;
        for (int64_t k = 0; k < n; k++) r->data[k] = s->data[start + k * step];
        return (RtValue *)r;
    }
    /* non-ASCII with a step: index every code point once, then pick */
    size_t *offs = rt_malloc((s->ncp + 1) * sizeof *offs);
    if (!offs) return NULL;
    const unsigned char *p = (const unsigned char *)s->data;
    for (size_t k = 0, off = 0; k <= s->ncp; k++) { offs[k] = off; if (k < s->ncp) off += u8_seqlen(p[off]); }
    RtStrBuf b;
    rt_strbuf_init(&b);
    for (int64_t k = 0; k < n; k++) {
        size_t i = (size_t)(start + k * step);
        rt_strbuf_put(&b, s->data + offs[i], offs[i + 1] - offs[i], 1);
    }
    rt_free(offs);
    return rt_strbuf_finish(&b);
}

static RtValue *str_getitem(RtValue *self, RtValue *key) {
    RtStr *s = S(self);
    if (rt_is_slice(key)) return str_slice(s, key);
    if (!rt_is_int(key))
        return rt_raise_fmt(&rt_exc_TypeError, "string indices must be integers, not '%s'",
                            rt_type_name(key));
    int64_t i;
    if (rt_seq_index_arg(key, &i, "string") < 0) return NULL;
    if (i < 0) i += (int64_t)s->ncp;
    if (i < 0 || i >= (int64_t)s->ncp) return rt_raise(&rt_exc_IndexError, "string index out of range");
    return rt_str_getitem_cp(self, (size_t)i);
}

/* ==== join, build =========================================================== */

/* Joins n str items with sep; the items are known to be str. */
static RtValue *join_items(RtStr *sep, RtValue *const *items, size_t n) {
    if (n == 0) return rt_newref((RtValue *)&empty_str);
    if (n == 1) return rt_newref(items[0]);
    size_t total = sep->len * (n - 1), ncp = sep->ncp * (n - 1);
    for (size_t i = 0; i < n; i++) { total += S(items[i])->len; ncp += S(items[i])->ncp; }
    RtStr *r = str_alloc(total, ncp);
    if (!r) return NULL;
    char *p = r->data;
    for (size_t i = 0; i < n; i++) {
        if (i) { memcpy(p, sep->data, sep->len); p += sep->len; }
        memcpy(p, S(items[i])->data, S(items[i])->len);
        p += S(items[i])->len;
    }
    return (RtValue *)r;
}

RtValue *rt_str_join(RtValue *sep, RtValue *iterable) {
    RtValue *seq;
    if (rt_is_list(iterable) || rt_is_tuple(iterable)) {
        seq = rt_newref(iterable);
    } else {
        if (!iterable->type->iter) return rt_raise(&rt_exc_TypeError, "can only join an iterable");
        seq = rt_list_from_iter(iterable);
        if (!seq) return NULL;
    }
    size_t n = rt_is_list(seq) ? RT_LIST_LEN(seq) : RT_TUPLE_LEN(seq);
    RtValue *const *items = rt_is_list(seq) ? ((RtList *)seq)->items : ((RtTuple *)seq)->items;
    RtValue *r = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!rt_is_str(items[i])) {
            rt_raise_fmt(&rt_exc_TypeError, "sequence item %zu: expected str instance, %s found", i,
                         rt_type_name(items[i]));
            goto done;
        }
    }
    r = join_items(S(sep), items, n);
done:
    rt_decref(seq);
    return r;
}

RtValue *rt_str_m_join(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("join", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "str.join() takes exactly one argument (%zu given)", nargs);
    return rt_str_join(self, args[0]);
}

RtValue *rt_str_build(RtValue *const *parts, size_t n) {
    static RtStr nosep = {RT_STATIC_HEAD(&rt_type_str), -1, 0, 0};
    return join_items(&nosep, parts, n);
}

/* ==== split family ========================================================== */

/* Byte length of the whitespace code point at p, or 0. */
static inline size_t ws_len(const char *p, const char *end) {
    unsigned char c = (unsigned char)*p;
    if (c < 0x80) return (c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x1F)) ? 1 : 0;
    (void)end;
    size_t adv;
    uint32_t cp = u8_decode(p, &adv);
    return cp_isspace(cp) ? adv : 0;
}

/* Length of whitespace ending right before p (for rsplit), or 0. */
static inline size_t ws_len_back(const char *begin, const char *p) {
    unsigned char c = (unsigned char)p[-1];
    if (c < 0x80) return (c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x1F)) ? 1 : 0;
    size_t adv;
    uint32_t cp = u8_decode_back(begin, p, &adv);
    return cp_isspace(cp) ? adv : 0;
}

/* A piece of s as a new str (ASCII pieces of ASCII text skip the count). */
static RtValue *piece(RtStr *s, const char *p, size_t n) {
    if (str_ascii(s)) return rt_str_new_ncp(p, n, n);
    return rt_str_new(p, n);
}

static int push_piece(RtValue *list, RtStr *s, const char *p, size_t n) {
    RtValue *v = piece(s, p, n);
    if (!v) return -1;
    return rt_list_append_steal(list, v);
}

static RtValue *split_ws(RtStr *s, int64_t maxsplit) {
    RtValue *list = rt_list_new(0);
    if (!list) return NULL;
    const char *p = s->data, *end = p + s->len;
    while (p < end) {
        size_t w;
        while (p < end && (w = ws_len(p, end))) p += w;
        if (p == end) break;
        if (maxsplit-- == 0) {                  /* the rest, trailing space kept */
            if (push_piece(list, s, p, (size_t)(end - p)) < 0) goto fail;
            break;
        }
        const char *q = p;
        while (q < end && !ws_len(q, end)) q += u8_seqlen((unsigned char)*q);
        if (push_piece(list, s, p, (size_t)(q - p)) < 0) goto fail;
        p = q;
    }
    return list;
fail:
    rt_decref(list);
    return NULL;
}

static RtValue *rsplit_ws(RtStr *s, int64_t maxsplit) {
    RtValue *list = rt_list_new(0);
    if (!list) return NULL;
    const char *begin = s->data, *p = begin + s->len;
    while (p > begin) {
        size_t w;
        while (p > begin && (w = ws_len_back(begin, p))) p -= w;
        if (p == begin) break;
        if (maxsplit-- == 0) {
            if (push_piece(list, s, begin, (size_t)(p - begin)) < 0) goto fail;
            break;
        }
        const char *q = p;
        while (q > begin && !ws_len_back(begin, q)) {
            q--;
            while (q > begin && ((unsigned char)*q & 0xC0) == 0x80) q--;
        }
        if (push_piece(list, s, q, (size_t)(p - q)) < 0) goto fail;
        p = q;
    }
    RtList *l = (RtList *)list;                   /* built back to front */
    for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
        RtValue *t = l->items[i]; l->items[i] = l->items[j - 1]; l->items[j - 1] = t;
    }
    return list;
fail:
    rt_decref(list);
    return NULL;
}

static RtValue *split_sep(RtStr *s, RtStr *sep, int64_t maxsplit) {
    RtValue *list = rt_list_new(0);
    if (!list) return NULL;
    size_t from = 0;
    while (maxsplit-- != 0) {
        int64_t p = find_bytes(s->data, from, s->len, sep->data, sep->len);
        if (p < 0) break;
        if (push_piece(list, s, s->data + from, (size_t)p - from) < 0) goto fail;
        from = (size_t)p + sep->len;
    }
    if (from == 0 && RT_LIST_LEN(list) == 0) {
        if (rt_list_append(list, (RtValue *)s) < 0) goto fail;
    } else if (push_piece(list, s, s->data + from, s->len - from) < 0) {
        goto fail;
    }
    return list;
fail:
    rt_decref(list);
    return NULL;
}

static RtValue *rsplit_sep(RtStr *s, RtStr *sep, int64_t maxsplit) {
    RtValue *list = rt_list_new(0);
    if (!list) return NULL;
    size_t to = s->len;
    while (maxsplit-- != 0) {
        int64_t p = rfind_bytes(s->data, 0, to, sep->data, sep->len);
        if (p < 0) break;
        size_t after = (size_t)p + sep->len;
        if (push_piece(list, s, s->data + after, to - after) < 0) goto fail;
        to = (size_t)p;
    }
    if (push_piece(list, s, s->data, to) < 0) goto fail;
    RtList *l = (RtList *)list;
    for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
        RtValue *t = l->items[i]; l->items[i] = l->items[j - 1]; l->items[j - 1] = t;
    }
    return list;
fail:
    rt_decref(list);
    return NULL;
}

static RtValue *split_common(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                             RtValue *kw, bool reverse) {
    static const char *const names[] = {"sep", "maxsplit"};
    RtValue *a[2];
    if (rt_parse_args(fname, args, nargs, kw, names, 2, 0, 0, 0, a) < 0) return NULL;
    int64_t maxsplit = -1;
    if (a[1] && rt_index_as_i64(a[1], &maxsplit) < 0) return NULL;
    if (maxsplit < 0) maxsplit = -1;
    RtValue *sep = a[0] && a[0] != rt_None ? a[0] : NULL;
    if (!sep) return reverse ? rsplit_ws(S(self), maxsplit) : split_ws(S(self), maxsplit);
    if (!rt_is_str(sep))
        return rt_raise_fmt(&rt_exc_TypeError, "must be str or None, not %s", rt_type_name(sep));
    if (S(sep)->len == 0) return rt_raise(&rt_exc_ValueError, "empty separator");
    return reverse ? rsplit_sep(S(self), S(sep), maxsplit) : split_sep(S(self), S(sep), maxsplit);
}

RtValue *rt_str_m_split(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return split_common(self, "split", args, nargs, kw, false);
}

RtValue *rt_str_m_rsplit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return split_common(self, "rsplit", args, nargs, kw, true);
}

RtValue *rt_str_m_splitlines(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"keepends"};
    RtValue *a[1];
    if (rt_parse_args("splitlines", args, nargs, kw, names, 1, 0, 0, 0, a) < 0) return NULL;
    int keep = 0;
    if (a[0]) {
        if (rt_is_float(a[0]))
            return rt_raise(&rt_exc_TypeError, "'float' object cannot be interpreted as an integer");
        if ((keep = rt_truthy(a[0])) < 0) return NULL;
    }
    RtStr *s = S(self);
    RtValue *list = rt_list_new(0);
    if (!list) return NULL;
    const char *p = s->data, *end = p + s->len, *line = p;
    while (p < end) {
        size_t adv;
        uint32_t c = (unsigned char)*p < 0x80 ? (adv = 1, (unsigned char)*p) : u8_decode(p, &adv);
        if (!cp_islinebreak(c)) { p += adv; continue; }
        const char *eol = p;
        p += adv;
        if (c == '\r' && p < end && *p == '\n') p++;
        if (push_piece(list, s, line, (size_t)((keep ? p : eol) - line)) < 0) goto fail;
        line = p;
    }
    if (line < end && push_piece(list, s, line, (size_t)(end - line)) < 0) goto fail;
    return list;
fail:
    rt_decref(list);
    return NULL;
}

static RtValue *partition_common(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw,
                                 bool reverse) {
    const char *fname = reverse ? "rpartition" : "partition";
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "str.%s() takes exactly one argument (%zu given)", fname, nargs);
    RtValue *sep = args[0];
    if (!rt_is_str(sep)) return rt_raise_fmt(&rt_exc_TypeError, "must be str, not %s", rt_type_name(sep));
    if (S(sep)->len == 0) return rt_raise(&rt_exc_ValueError, "empty separator");
    RtStr *s = S(self);
    int64_t p = reverse ? rfind_bytes(s->data, 0, s->len, S(sep)->data, S(sep)->len)
                        : find_bytes(s->data, 0, s->len, S(sep)->data, S(sep)->len);
    RtValue *e = (RtValue *)&empty_str;
    if (p < 0)
        return reverse ? rt_tuple_pack(3, e, e, self) : rt_tuple_pack(3, self, e, e);
    RtValue *head = piece(s, s->data, (size_t)p);
    RtValue *tail = head ? piece(s, s->data + p + S(sep)->len, s->len - (size_t)p - S(sep)->len) : NULL;
    RtValue *r = tail ? rt_tuple_pack(3, head, sep, tail) : NULL;
    rt_xdecref(head);
    rt_xdecref(tail);
    return r;
}

RtValue *rt_str_m_partition(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return partition_common(self, args, nargs, kw, false);
}

RtValue *rt_str_m_rpartition(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return partition_common(self, args, nargs, kw, true);
}

/* ==== strip ================================================================= */

/* Does the code point at p belong to chars (NULL = whitespace)? Its length in *adv. */
static bool strip_match(RtStr *chars, const char *p, size_t *adv) {
    uint32_t c = u8_decode(p, adv);
    if (!chars) return cp_isspace(c);
    char enc[4];
    size_t n = u8_encode(c, enc);
    return find_bytes(chars->data, 0, chars->len, enc, n) >= 0;
}

static bool strip_match_back(RtStr *chars, const char *begin, const char *p, size_t *adv) {
    u8_decode_back(begin, p, adv);
    size_t adv2;
    return strip_match(chars, p - *adv, &adv2);
}

static RtValue *strip_common(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                             RtValue *kw, bool left, bool right) {
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs > 1)
        return rt_raise_fmt(&rt_exc_TypeError, "%s expected at most 1 argument, got %zu", fname, nargs);
    RtStr *chars = NULL;
    if (nargs == 1 && args[0] != rt_None) {
        if (!rt_is_str(args[0]))
            return rt_raise_fmt(&rt_exc_TypeError, "%s arg must be None or str", fname);
        chars = S(args[0]);
    }
    RtStr *s = S(self);
    const char *p = s->data, *end = p + s->len;
    size_t adv;
    if (left)
        while (p < end && strip_match(chars, p, &adv)) p += adv;
    if (right)
        while (end > p && strip_match_back(chars, p, end, &adv)) end -= adv;
    if (p == s->data && end == s->data + s->len) return rt_newref(self);
    return piece(s, p, (size_t)(end - p));
}

RtValue *rt_str_m_strip(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return strip_common(self, "strip", args, nargs, kw, true, true);
}

RtValue *rt_str_m_lstrip(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return strip_common(self, "lstrip", args, nargs, kw, true, false);
}

RtValue *rt_str_m_rstrip(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return strip_common(self, "rstrip", args, nargs, kw, false, true);
}

static RtValue *affix_common(RtValue *self, const char *fname, RtValue *const *args, size_t nargs,
                             RtValue *kw, bool prefix) {
    if (rt_no_kwargs(fname, kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "str.%s() takes exactly one argument (%zu given)", fname, nargs);
    if (!rt_is_str(args[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "%s() argument must be str, not %s", fname,
                            rt_type_name(args[0]));
    RtStr *s = S(self), *a = S(args[0]);
    if (a->len == 0 || a->len > s->len) return rt_newref(self);
    if (prefix && memcmp(s->data, a->data, a->len) == 0)
        return rt_str_new_ncp(s->data + a->len, s->len - a->len, s->ncp - a->ncp);
    if (!prefix && memcmp(s->data + s->len - a->len, a->data, a->len) == 0)
        return rt_str_new_ncp(s->data, s->len - a->len, s->ncp - a->ncp);
    return rt_newref(self);
}

RtValue *rt_str_m_removeprefix(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return affix_common(self, "removeprefix", args, nargs, kw, true);
}

RtValue *rt_str_m_removesuffix(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return affix_common(self, "removesuffix", args, nargs, kw, false);
}

/* ==== case mapping ========================================================== */

typedef enum { CASE_UPPER, CASE_LOWER, CASE_FOLD, CASE_SWAP, CASE_TITLE, CASE_CAPITALIZE } CaseMode;

/* Appends c mapped to upper case; ß becomes "SS" as in CPython. */
static void put_upper(RtStrBuf *b, uint32_t c) {
    if (c == 0xDF) rt_strbuf_put_ascii(b, "SS", 2);
    else rt_strbuf_put_cp(b, cp_upper(c));
}

static RtValue *case_map(RtValue *self, CaseMode mode) {
    RtStr *s = S(self);
    RtStrBuf b;
    rt_strbuf_init(&b);
    bool prev_cased = false;
    for (size_t i = 0; i < s->len;) {
        size_t adv;
        uint32_t c = u8_decode(s->data + i, &adv);
        switch (mode) {
        case CASE_UPPER: put_upper(&b, c); break;
        case CASE_LOWER: rt_strbuf_put_cp(&b, cp_lower(c)); break;
        case CASE_FOLD:
            if (c == 0xDF) rt_strbuf_put_ascii(&b, "ss", 2);
            else rt_strbuf_put_cp(&b, c == 0x3C2 ? 0x3C3 : c == 0xB5 ? 0x3BC : cp_lower(c));
            break;
        case CASE_SWAP:
            if (cp_isupper(c)) rt_strbuf_put_cp(&b, cp_lower(c));
            else if (cp_islower(c)) put_upper(&b, c);
            else rt_strbuf_put_cp(&b, c);
            break;
        case CASE_TITLE:
            if (prev_cased) rt_strbuf_put_cp(&b, cp_lower(c));
            else if (c == 0xDF) rt_strbuf_put_ascii(&b, "Ss", 2);
            else rt_strbuf_put_cp(&b, cp_upper(c));
            prev_cased = cp_iscased(c);
            break;
        case CASE_CAPITALIZE:
            if (i == 0 && c == 0xDF) rt_strbuf_put_ascii(&b, "Ss", 2);
            else rt_strbuf_put_cp(&b, i == 0 ? cp_upper(c) : cp_lower(c));
            break;
        }
        i += adv;
    }
    return rt_strbuf_finish(&b);
}

/* ASCII text maps byte by byte into a str of the same length. */
static RtValue *case_map_ascii(RtStr *s, bool upper) {
    RtStr *r = str_alloc(s->len, s->ncp);
    if (!r) return NULL;
    for (size_t i = 0; i < s->len; i++) {
        char c = s->data[i];
        if (upper && c >= 'a' && c <= 'z') c -= 32;
        else if (!upper && c >= 'A' && c <= 'Z') c += 32;
        r->data[i] = c;
    }
    return (RtValue *)r;
}

static int no_args(const char *fname, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs == 0) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "str.%s() takes no arguments (%zu given)", fname, nargs);
    return -1;
}

RtValue *rt_str_m_upper(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("upper", nargs, kw) < 0) return NULL;
    return str_ascii(S(self)) ? case_map_ascii(S(self), true) : case_map(self, CASE_UPPER);
}

RtValue *rt_str_m_lower(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("lower", nargs, kw) < 0) return NULL;
    return str_ascii(S(self)) ? case_map_ascii(S(self), false) : case_map(self, CASE_LOWER);
}

RtValue *rt_str_m_casefold(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("casefold", nargs, kw) < 0) return NULL;
    return str_ascii(S(self)) ? case_map_ascii(S(self), false) : case_map(self, CASE_FOLD);
}

RtValue *rt_str_m_swapcase(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("swapcase", nargs, kw) < 0) return NULL;
    return case_map(self, CASE_SWAP);
}

RtValue *rt_str_m_title(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("title", nargs, kw) < 0) return NULL;
    return case_map(self, CASE_TITLE);
}

RtValue *rt_str_m_capitalize(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("capitalize", nargs, kw) < 0) return NULL;
    return case_map(self, CASE_CAPITALIZE);
}

/* ==== predicates ============================================================ */

typedef bool (*CpPred)(uint32_t);

/* True when s is non-empty and every code point satisfies pred. */
static RtValue *all_cp(RtValue *self, const char *fname, size_t nargs, RtValue *kw, CpPred pred) {
    if (no_args(fname, nargs, kw) < 0) return NULL;
    RtStr *s = S(self);
    if (s->len == 0) return rt_False;
    for (size_t i = 0; i < s->len;) {
        size_t adv;
        if (!pred(u8_decode(s->data + i, &adv))) return rt_False;
        i += adv;
    }
    return rt_True;
}

#define STR_PRED(name, pred)                                                                    \
    RtValue *rt_str_m_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) { \
        (void)args;                                                                             \
        return all_cp(self, #name, nargs, kw, pred);                                            \
    }
STR_PRED(isdigit, cp_isdigit)
STR_PRED(isalpha, cp_isalpha)
STR_PRED(isalnum, cp_isalnum)
STR_PRED(isspace, cp_isspace)
STR_PRED(isdecimal, cp_isdecimal)
STR_PRED(isnumeric, cp_isnumeric)

RtValue *rt_str_m_isascii(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("isascii", nargs, kw) < 0) return NULL;
    return rt_bool(str_ascii(S(self)));
}

RtValue *rt_str_m_isprintable(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("isprintable", nargs, kw) < 0) return NULL;
    RtStr *s = S(self);
    for (size_t i = 0; i < s->len;) {
        size_t adv;
        if (!cp_isprintable(u8_decode(s->data + i, &adv))) return rt_False;
        i += adv;
    }
    return rt_True;
}

/* isupper/islower: at least one cased code point and none of the other case. */
static RtValue *case_pred(RtValue *self, const char *fname, size_t nargs, RtValue *kw, bool upper) {
    if (no_args(fname, nargs, kw) < 0) return NULL;
    RtStr *s = S(self);
    bool cased = false;
    for (size_t i = 0; i < s->len;) {
        size_t adv;
        uint32_t c = u8_decode(s->data + i, &adv);
        if (upper ? cp_islower(c) : cp_isupper(c)) return rt_False;
        if (upper ? cp_isupper(c) : cp_islower(c)) cased = true;
        i += adv;
    }
    return rt_bool(cased);
}

RtValue *rt_str_m_isupper(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    return case_pred(self, "isupper", nargs, kw, true);
}

RtValue *rt_str_m_islower(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    return case_pred(self, "islower", nargs, kw, false);
}

RtValue *rt_str_m_istitle(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("istitle", nargs, kw) < 0) return NULL;
    RtStr *s = S(self);
    bool cased = false, prev_cased = false;
    for (size_t i = 0; i < s->len;) {
        size_t adv;
        uint32_t c = u8_decode(s->data + i, &adv);
        if (cp_isupper(c)) {
            if (prev_cased) return rt_False;
            prev_cased = cased = true;
        } else if (cp_islower(c)) {
            if (!prev_cased) return rt_False;
            prev_cased = cased = true;
        } else {
            prev_cased = false;
        }
        i += adv;
    }
    return rt_bool(cased);
}

RtValue *rt_str_m_isidentifier(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (no_args("isidentifier", nargs, kw) < 0) return NULL;
    RtStr *s = S(self);
    if (s->len == 0) return rt_False;
    for (size_t i = 0; i < s->len;) {
        size_t adv;
        uint32_t c = u8_decode(s->data + i, &adv);
        bool ok = c == '_' || cp_isalpha(c) || (i > 0 && (cp_isdecimal(c) || cp_isalnum(c)));
        if (!ok) return rt_False;
        i += adv;
    }
    return rt_True;
}

/* ==== padding =============================================================== */

/* Parses (width[, fillchar]) for center/ljust/rjust. */
static int parse_pad(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw,
                     int64_t *width, uint32_t *fill) {
    if (rt_no_kwargs(fname, kw) < 0) return -1;
    if (nargs < 1 || nargs > 2) {
        rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "%s expected at least 1 argument, got %zu"
                                                  : "%s expected at most 2 arguments, got %zu",
                     fname, nargs);
        return -1;
    }
    if (rt_index_as_i64(args[0], width) < 0) return -1;
    *fill = ' ';
    if (nargs == 2) {
        RtValue *f = args[1];
        if (!rt_is_str(f)) {
            rt_raise_fmt(&rt_exc_TypeError,
                         "%s() argument 2 must be str of length 1, not %s", fname, rt_type_name(f));
            return -1;
        }
        if (S(f)->ncp != 1) {
            rt_raise(&rt_exc_TypeError, "The fill character must be exactly one character long");
            return -1;
        }
        size_t adv;
        *fill = u8_decode(S(f)->data, &adv);
    }
    return 0;
}

static RtValue *pad(RtValue *self, int64_t left, int64_t right, uint32_t fill) {
    RtStr *s = S(self);
    if (left <= 0 && right <= 0) return rt_newref(self);
    RtStrBuf b;
    rt_strbuf_init(&b);
    for (int64_t i = 0; i < left; i++) rt_strbuf_put_cp(&b, fill);
    rt_strbuf_put_str(&b, self);
    for (int64_t i = 0; i < right; i++) rt_strbuf_put_cp(&b, fill);
    (void)s;
    return rt_strbuf_finish(&b);
}

RtValue *rt_str_m_center(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    int64_t width;
    uint32_t fill;
    if (parse_pad("center", args, nargs, kw, &width, &fill) < 0) return NULL;
    int64_t marg = width - (int64_t)S(self)->ncp;
    if (marg <= 0) return rt_newref(self);
    int64_t left = marg / 2 + (marg & width & 1);   /* CPython's rounding */
    return pad(self, left, marg - left, fill);
}

RtValue *rt_str_m_ljust(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    int64_t width;
    uint32_t fill;
    if (parse_pad("ljust", args, nargs, kw, &width, &fill) < 0) return NULL;
    return pad(self, 0, width - (int64_t)S(self)->ncp, fill);
}

RtValue *rt_str_m_rjust(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    int64_t width;
    uint32_t fill;
    if (parse_pad("rjust", args, nargs, kw, &width, &fill) < 0) return NULL;
    return pad(self, width - (int64_t)S(self)->ncp, 0, fill);
}

RtValue *rt_str_m_zfill(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("zfill", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "str.zfill() takes exactly one argument (%zu given)", nargs);
    int64_t width;
    if (rt_index_as_i64(args[0], &width) < 0) return NULL;
    RtStr *s = S(self);
    int64_t fill = width - (int64_t)s->ncp;
    if (fill <= 0) return rt_newref(self);
    RtStr *r = str_alloc(s->len + (size_t)fill, s->ncp + (size_t)fill);
    if (!r) return NULL;
    size_t sign = (s->len > 0 && (s->data[0] == '+' || s->data[0] == '-')) ? 1 : 0;
    memcpy(r->data, s->data, sign);
    memset(r->data + sign, '0', (size_t)fill);
    memcpy(r->data + sign + fill, s->data + sign, s->len - sign);
    return (RtValue *)r;
}

RtValue *rt_str_m_expandtabs(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"tabsize"};
    RtValue *a[1];
    if (rt_parse_args("expandtabs", args, nargs, kw, names, 1, 0, 0, 0, a) < 0) return NULL;
    int64_t tab = 8;
    if (a[0] && rt_index_as_i64(a[0], &tab) < 0) return NULL;
    RtStr *s = S(self);
    RtStrBuf b;
    rt_strbuf_init(&b);
    int64_t col = 0;
    for (size_t i = 0; i < s->len;) {
        size_t adv;
        uint32_t c = u8_decode(s->data + i, &adv);
        if (c == '\t') {
            if (tab > 0) {
                int64_t n = tab - col % tab;
                for (int64_t k = 0; k < n; k++) rt_strbuf_putc(&b, ' ');
                col += n;
            }
        } else {
            rt_strbuf_put(&b, s->data + i, adv, 1);
            col = (c == '\n' || c == '\r') ? 0 : col + 1;
        }
        i += adv;
    }
    return rt_strbuf_finish(&b);
}

/* ==== replace =============================================================== */

RtValue *rt_str_m_replace(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("replace", kw) < 0) return NULL;
    if (nargs < 2 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, nargs < 2 ? "replace expected at least 2 arguments, got %zu"
                                                         : "replace expected at most 3 arguments, got %zu",
                            nargs);
    for (int k = 0; k < 2; k++)
        if (!rt_is_str(args[k]))
            return rt_raise_fmt(&rt_exc_TypeError, "replace() argument %d must be str, not %s", k + 1,
                                rt_type_name(args[k]));
    int64_t count = -1;
    if (nargs == 3 && rt_index_as_i64(args[2], &count) < 0) return NULL;
    RtStr *s = S(self), *old = S(args[0]), *new = S(args[1]);
    size_t max = count < 0 ? SIZE_MAX : (size_t)count;
    RtStrBuf b;
    rt_strbuf_init(&b);
    if (old->len == 0) {                      /* insert `new` around every code point */
        size_t n = 0, i = 0;
        while (i <= s->len) {
            if (n < max) { rt_strbuf_put_str(&b, (RtValue *)new); n++; }
            else { rt_strbuf_put(&b, s->data + i, s->len - i, u8_count(s->data + i, s->len - i)); break; }
            if (i == s->len) break;
            size_t adv = u8_seqlen((unsigned char)s->data[i]);
            rt_strbuf_put(&b, s->data + i, adv, 1);
            i += adv;
        }
        return rt_strbuf_finish(&b);
    }
    size_t from = 0, n = 0;
    while (n < max) {
        int64_t p = find_bytes(s->data, from, s->len, old->data, old->len);
        if (p < 0) break;
        rt_strbuf_put(&b, s->data + from, (size_t)p - from, 0);
        rt_strbuf_put_str(&b, (RtValue *)new);
        from = (size_t)p + old->len;
        n++;
    }
    if (n == 0) { rt_strbuf_free(&b); return rt_newref(self); }
    rt_strbuf_put(&b, s->data + from, s->len - from, 0);
    b.ncp = s->ncp - n * old->ncp + n * new->ncp;   /* pieces were appended uncounted */
    return rt_strbuf_finish(&b);
}

/* ==== encode ================================================================ */

typedef enum { ENC_UTF8, ENC_ASCII, ENC_LATIN1, ENC_UNKNOWN } Encoding;

/* Normalises an encoding name as Python's codec lookup does (case, '_', ' '). */
static Encoding encoding_of(const char *name) {
    char norm[32];
    size_t n = 0;
    for (; name[n] && n < sizeof norm - 1; n++) {
        char c = name[n];
        norm[n] = (c >= 'A' && c <= 'Z') ? c + 32 : (c == '_' || c == ' ') ? '-' : c;
    }
    if (name[n]) return ENC_UNKNOWN;
    norm[n] = '\0';
    static const char *const utf8[] = {"utf-8", "utf8", "u8", "utf", "cp65001"};
    static const char *const ascii[] = {"ascii", "us-ascii", "646", "us"};
    static const char *const latin1[] = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "8859",
                                         "cp819", "l1", "latin", "iso-ir-100"};
    for (size_t i = 0; i < sizeof utf8 / sizeof *utf8; i++) if (!strcmp(norm, utf8[i])) return ENC_UTF8;
    for (size_t i = 0; i < sizeof ascii / sizeof *ascii; i++) if (!strcmp(norm, ascii[i])) return ENC_ASCII;
    for (size_t i = 0; i < sizeof latin1 / sizeof *latin1; i++) if (!strcmp(norm, latin1[i])) return ENC_LATIN1;
    return ENC_UNKNOWN;
}

/* Writes \xNN, \uNNNN or \UNNNNNNNN for cp into buf; returns the length. */
static size_t cp_escape(uint32_t cp, char *buf) {
    static const char hex[] = "0123456789abcdef";
    int digits = cp < 0x100 ? 2 : cp < 0x10000 ? 4 : 8;
    size_t n = 0;
    buf[n++] = '\\';
    buf[n++] = cp < 0x100 ? 'x' : cp < 0x10000 ? 'u' : 'U';
    for (int k = digits - 1; k >= 0; k--) buf[n++] = hex[(cp >> (4 * k)) & 0xF];
    buf[n] = '\0';
    return n;
}

/* Raises UnicodeEncodeError for code points [start, end) with CPython's text. */
static RtValue *encode_error(const char *enc, RtStr *s, size_t start, size_t end, const char *reason) {
    if (end == start + 1) {
        char esc[12];
        size_t adv;
        cp_escape(u8_decode(s->data + cp_to_off(s, start), &adv), esc);
        return rt_raise_fmt(&rt_exc_UnicodeEncodeError,
                            "'%s' codec can't encode character '%s' in position %zu: %s", enc, esc,
                            start, reason);
    }
    return rt_raise_fmt(&rt_exc_UnicodeEncodeError,
                        "'%s' codec can't encode characters in position %zu-%zu: %s", enc, start,
                        end - 1, reason);
}

typedef enum { ERR_STRICT, ERR_IGNORE, ERR_REPLACE, ERR_BACKSLASH, ERR_XMLREF, ERR_BAD } ErrMode;

static ErrMode errors_of(const char *e) {
    if (!e || !strcmp(e, "strict")) return ERR_STRICT;
    if (!strcmp(e, "ignore")) return ERR_IGNORE;
    if (!strcmp(e, "replace")) return ERR_REPLACE;
    if (!strcmp(e, "backslashreplace")) return ERR_BACKSLASH;
    if (!strcmp(e, "xmlcharrefreplace")) return ERR_XMLREF;
    return ERR_BAD;
}

/* Encodes s into single bytes with code points below limit (ascii 128, latin-1 256). */
static RtValue *encode_8bit(RtStr *s, const char *enc, uint32_t limit, ErrMode err) {
    unsigned char *out = rt_malloc(s->len * 10 + 1);   /* worst case: &#1114111; per byte */
    if (!out) return NULL;
    size_t n = 0, pos = 0;
    RtValue *r = NULL;
    for (size_t i = 0; i < s->len; pos++) {
        size_t adv;
        uint32_t c = u8_decode(s->data + i, &adv);
        i += adv;
        if (c < limit) { out[n++] = (unsigned char)c; continue; }
        char buf[16];
        switch (err) {
        case ERR_IGNORE: break;
        case ERR_REPLACE: out[n++] = '?'; break;
        case ERR_BACKSLASH: { size_t k = cp_escape(c, buf); memcpy(out + n, buf, k); n += k; break; }
        case ERR_XMLREF: n += (size_t)sprintf((char *)out + n, "&#%u;", c); break;
        default: {
            size_t end = pos + 1, j = i;           /* strict: report the whole run */
            while (j < s->len) {
                uint32_t d = u8_decode(s->data + j, &adv);
                if (d < limit) break;
                j += adv;
                end++;
            }
            encode_error(enc, s, pos, end, limit == 128 ? "ordinal not in range(128)"
                                                        : "ordinal not in range(256)");
            goto done;
        }
        }
    }
    r = rt_bytes_new(out, n);
done:
    rt_free(out);
    return r;
}

/* s.encode(encoding, errors) as a C call; NULL names mean the defaults. */
RtValue *rt_str_encode(RtValue *self, const char *encoding, const char *errors) {
    Encoding e = encoding ? encoding_of(encoding) : ENC_UTF8;
    ErrMode m = errors_of(errors);
    if (e == ENC_UNKNOWN) return rt_raise_fmt(&rt_exc_LookupError, "unknown encoding: %s", encoding);
    if (m == ERR_BAD && !str_ascii(S(self)) && e != ENC_UTF8)
        return rt_raise_fmt(&rt_exc_LookupError, "unknown error handler name '%s'", errors);
    RtStr *s = S(self);
    if (e == ENC_UTF8 || str_ascii(s)) return rt_bytes_new(s->data, s->len);
    return encode_8bit(s, e == ENC_ASCII ? "ascii" : "latin-1", e == ENC_ASCII ? 128 : 256, m);
}

/* Reads an optional str argument into a C string (borrowed from the str). */
static int opt_cstr(RtValue *o, const char *fname, const char *argname, const char **out) {
    if (!o) return 0;
    if (!rt_is_str(o)) {
        rt_raise_fmt(&rt_exc_TypeError, "%s() argument '%s' must be str, not %s", fname, argname,
                     rt_type_name(o));
        return -1;
    }
    *out = S(o)->data;
    return 0;
}

RtValue *rt_str_m_encode(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"encoding", "errors"};
    RtValue *a[2];
    if (rt_parse_args("encode", args, nargs, kw, names, 2, 0, 0, 0, a) < 0) return NULL;
    const char *enc = NULL, *err = NULL;
    if (opt_cstr(a[0], "encode", "encoding", &enc) < 0 || opt_cstr(a[1], "encode", "errors", &err) < 0)
        return NULL;
    return rt_str_encode(self, enc, err);
}

/* ==== maketrans / translate ================================================= */

/* The code point of a one-character str. */
static uint32_t cp_of(RtValue *s) {
    size_t adv;
    return u8_decode(rt_str_data(s), &adv);
}

static int trans_set(RtValue *d, int64_t from, RtValue *to) {
    RtValue *k = rt_int(from);
    if (!k) return -1;
    return rt_dict_set_steal(d, k, rt_newref(to));
}

/* str.maketrans(x[, y[, z]]): a static method; returns {ordinal: value}. */
RtValue *rt_str_m_maketrans(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;                                     /* a static method: no receiver */
    if (rt_no_kwargs("maketrans", kw) < 0) return NULL;
    if (nargs < 1 || nargs > 3)
        return rt_raise_fmt(&rt_exc_TypeError, nargs < 1 ? "maketrans expected at least 1 argument, got %zu"
                                                         : "maketrans expected at most 3 arguments, got %zu",
                            nargs);
    RtValue *d = rt_dict_new();
    if (!d) return NULL;
    if (nargs == 1) {
        if (!rt_is_dict_like(args[0])) {
            rt_decref(d);
            return rt_raise(&rt_exc_TypeError, "if you give only one argument to maketrans it must be a dict");
        }
        size_t pos = 0;
        RtValue *k, *v;
        while (rt_dict_next(args[0], &pos, &k, &v)) {
            int rc;
            if (rt_is_str(k)) {
                if (S(k)->ncp != 1) {
                    rt_decref(d);
                    return rt_raise(&rt_exc_ValueError, "string keys in translate table must be of length 1");
                }
                rc = trans_set(d, cp_of(k), v);
            } else if (rt_is_int(k)) {
                rc = rt_dict_set(d, k, v);
            } else {
                rt_decref(d);
                return rt_raise(&rt_exc_TypeError, "keys in translate table must be strings or integers");
            }
            if (rc < 0) { rt_decref(d); return NULL; }
        }
        return d;
    }
    for (size_t i = 0; i < nargs; i++)
        if (!rt_is_str(args[i])) {
            rt_decref(d);
            if (i == 0)
                return rt_raise(&rt_exc_TypeError,
                                "first maketrans argument must be a string if there is a second argument");
            return rt_raise_fmt(&rt_exc_TypeError, "maketrans() argument %zu must be str, not %s", i + 1,
                                rt_type_name(args[i]));
        }
    RtStr *x = S(args[0]), *y = S(args[1]);
    if (x->ncp != y->ncp) {
        rt_decref(d);
        return rt_raise(&rt_exc_ValueError, "the first two maketrans arguments must have equal length");
    }
    for (size_t i = 0, j = 0; i < x->len;) {
        size_t a1, a2;
        uint32_t from = u8_decode(x->data + i, &a1), to = u8_decode(y->data + j, &a2);
        RtValue *tv = rt_int(to);
        int rc = tv ? trans_set(d, from, tv) : -1;
        rt_xdecref(tv);
        if (rc < 0) { rt_decref(d); return NULL; }
        i += a1;
        j += a2;
    }
    for (size_t i = 0; nargs == 3 && i < S(args[2])->len;) {
        size_t adv;
        uint32_t c = u8_decode(S(args[2])->data + i, &adv);
        if (trans_set(d, c, rt_None) < 0) { rt_decref(d); return NULL; }
        i += adv;
    }
    return d;
}

/* s.translate(table): table[ord(c)] gives a str, an ordinal, or None
 * (delete); a LookupError keeps the character. */
RtValue *rt_str_m_translate(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_no_kwargs("translate", kw) < 0) return NULL;
    if (nargs != 1)
        return rt_raise_fmt(&rt_exc_TypeError, "str.translate() takes exactly one argument (%zu given)", nargs);
    RtStr *s = S(self);
    RtStrBuf b;
    rt_strbuf_init(&b);
    for (size_t i = 0; i < s->len;) {
        size_t adv;
        uint32_t c = u8_decode(s->data + i, &adv);
        RtValue *key = rt_int(c), *v = key ? rt_getitem(args[0], key) : NULL;
        rt_xdecref(key);
        if (!v) {
            if (rt_exc_matches((RtValue *)&rt_exc_LookupError) != 1) { rt_strbuf_free(&b); return NULL; }
            rt_decref(rt_exc_fetch());
            rt_strbuf_put(&b, s->data + i, adv, 1);
        } else if (rt_is_str(v)) {
            rt_strbuf_put_str(&b, v);
        } else if (rt_is_int(v)) {
            int64_t o;
            if (rt_int_as_i64(v, &o) < 0 || o < 0 || o > 0x10FFFF) {
                if (!RT_ERR() || rt_exc_matches((RtValue *)&rt_exc_OverflowError) == 1) {
                    if (RT_ERR()) rt_decref(rt_exc_fetch());
                    rt_raise(&rt_exc_ValueError, "character mapping must be in range(0x110000)");
                }
                rt_decref(v);
                rt_strbuf_free(&b);
                return NULL;
            }
            rt_strbuf_put_cp(&b, (uint32_t)o);
        } else if (v != rt_None) {
            rt_decref(v);
            rt_strbuf_free(&b);
            return rt_raise(&rt_exc_TypeError, "character mapping must return integer, None or str");
        }
        rt_xdecref(v);
        i += adv;
    }
    return rt_strbuf_finish(&b);
}

/* str.maketrans is a static method, in the type's dict. */
__attribute__((constructor)) static void str_staticmethods_init(void) {
    if (rt_type_add_staticmethod(&rt_type_str, "maketrans", rt_str_m_maketrans) < 0) abort();
}

/* ==== the type ============================================================== */

/* str(object='') / str(object=b'', encoding='utf-8', errors='strict'). */
static RtValue *str_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = {"object", "encoding", "errors"};
    RtValue *a[3];
    (void)type;
    if (rt_parse_args("str", args, nargs, kw, names, 3, 0, 0, 0, a) < 0) return NULL;
    if (!a[1] && !a[2]) return a[0] ? rt_str(a[0]) : rt_newref((RtValue *)&empty_str);
    const char *enc = NULL, *err = NULL;
    if (opt_cstr(a[1], "str", "encoding", &enc) < 0 || opt_cstr(a[2], "str", "errors", &err) < 0) return NULL;
    RtValue *o = a[0] ? a[0] : rt_bytes_const("", 0);
    if (rt_is_str(o)) return rt_raise(&rt_exc_TypeError, "decoding str is not supported");
    if (rt_is_bytes(o)) return rt_bytes_decode(((RtBytes *)o)->data, ((RtBytes *)o)->len, enc, err);
    if (rt_is_bytearray(o))
        return rt_bytes_decode(((RtByteArray *)o)->data, ((RtByteArray *)o)->len, enc, err);
    return rt_raise_fmt(&rt_exc_TypeError, "decoding to str: need a bytes-like object, %s found",
                        rt_type_name(o));
}

static RtValue *str_iter(RtValue *self) { return rt_str_iter_new(self); }

static const RtMethodDef str_methods[] = {
    {"split", rt_str_m_split},
    {"rsplit", rt_str_m_rsplit},
    {"join", rt_str_m_join},
    {"strip", rt_str_m_strip},
    {"lstrip", rt_str_m_lstrip},
    {"rstrip", rt_str_m_rstrip},
    {"upper", rt_str_m_upper},
    {"lower", rt_str_m_lower},
    {"casefold", rt_str_m_casefold},
    {"title", rt_str_m_title},
    {"capitalize", rt_str_m_capitalize},
    {"swapcase", rt_str_m_swapcase},
    {"startswith", rt_str_m_startswith},
    {"endswith", rt_str_m_endswith},
    {"find", rt_str_m_find},
    {"rfind", rt_str_m_rfind},
    {"index", rt_str_m_index},
    {"rindex", rt_str_m_rindex},
    {"count", rt_str_m_count},
    {"replace", rt_str_m_replace},
    {"center", rt_str_m_center},
    {"ljust", rt_str_m_ljust},
    {"rjust", rt_str_m_rjust},
    {"zfill", rt_str_m_zfill},
    {"isdigit", rt_str_m_isdigit},
    {"isalpha", rt_str_m_isalpha},
    {"isalnum", rt_str_m_isalnum},
    {"isspace", rt_str_m_isspace},
    {"isupper", rt_str_m_isupper},
    {"islower", rt_str_m_islower},
    {"istitle", rt_str_m_istitle},
    {"isdecimal", rt_str_m_isdecimal},
    {"isnumeric", rt_str_m_isnumeric},
    {"isidentifier", rt_str_m_isidentifier},
    {"isascii", rt_str_m_isascii},
    {"isprintable", rt_str_m_isprintable},
    {"splitlines", rt_str_m_splitlines},
    {"partition", rt_str_m_partition},
    {"rpartition", rt_str_m_rpartition},
    {"encode", rt_str_m_encode},
    {"expandtabs", rt_str_m_expandtabs},
    {"removeprefix", rt_str_m_removeprefix},
    {"removesuffix", rt_str_m_removesuffix},
    {"translate", rt_str_m_translate},
    {"format", rt_str_m_format},
    {"format_map", rt_str_m_format_map},
    {NULL, NULL},
};

RtType rt_type_str = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "str",
    .tag = RT_T_STR,
    .base = &rt_type_object,
    .size = sizeof(RtStr),
    .table_index = -1,
    .repr = rt_str_repr,
    .str = str_str,
    .hash = str_hash,
    .richcompare = str_richcompare,
    .binop = str_binop,
    .truthy = str_truthy,
    .len = str_len,
    .getitem = str_getitem,
    .contains = str_contains,
    .iter = str_iter,
    .construct = str_construct,
    .methods = str_methods,
};

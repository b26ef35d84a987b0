/* arena.c: the translator's allocator.
 *
 * Every object the front end and the later passes make (AST nodes, names,
 * decoded string constants) lives in one Arena and is freed all at once by
 * ar_release() at exit, as chibicc and QBE do. An arena is a linked list of
 * blocks; an allocation bumps a pointer in the newest block and starts a new
 * block when it does not fit. Requests larger than a block get a block of
 * their own. Memory is zeroed, so a fresh Node has every field NULL/0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define AR_BLOCK_SIZE (64 * 1024)

struct ArenaBlock {
    ArenaBlock *next;
    size_t      used, cap;
    _Alignas(max_align_t) unsigned char data[];
};

static ArenaBlock *new_block(size_t cap) {
    ArenaBlock *b = malloc(sizeof(ArenaBlock) + cap);
    if (!b)
        diag_fatal("out of memory (arena block of %zu bytes)", cap);
    b->next = NULL;
    b->used = 0;
    b->cap = cap;
    return b;
}

void *ar_alloc(Arena *a, size_t n) {
    size_t align = _Alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    ArenaBlock *b = a->head;
    if (!b || b->cap - b->used < n) {
        if (n > AR_BLOCK_SIZE / 4) {
            /* A big request gets its own block, linked behind the current
             * one so that the current block's free space is not wasted. */
            ArenaBlock *big = new_block(n);
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            big->used = n;
            memset(big->data, 0, n);
            return big->data;
        }
        b = new_block(AR_BLOCK_SIZE);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *ar_strndup(Arena *a, const char *s, size_t n) {
    char *p = ar_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ar_strdup(Arena *a, const char *s) {
    return ar_strndup(a, s, strlen(s));
}

char *ar_printf(Arena *a, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *p = ar_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void ar_release(Arena *a) {
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

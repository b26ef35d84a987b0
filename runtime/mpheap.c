/* mpheap.c: the bookkeeping of CPython's multiprocessing.heap.Heap, for its
 * one visible effect: util.info('allocating a new mmap of length N').
 *
 * mp2c keeps shared ctypes objects in its own shared heap (sharedctypes.c),
 * but when CPython maps a new arena depends on how its Heap carves blocks:
 * 8-byte aligned, best fit by length (among equal lengths the block freed
 * last), free neighbours merged, arenas of at least one page that double in
 * size up to 4 MiB, only arenas of 4 MiB or more given back when entirely
 * free. So each block a Value, Array or Barrier would take from CPython's
 * heap is recorded here with the same rules; no memory is involved. Like
 * CPython's, the model starts afresh in a child's first allocation, and a
 * child never frees its parent's blocks (its finalizers were cleared).
 */
#include "mp2c.h"

#include <string.h>
#include <unistd.h>

#define PAGE 4096
#define DOUBLE_UNTIL ((int64_t)4 << 20)
#define DISCARD_FROM ((int64_t)4 << 20)

typedef struct { int arena; int64_t start, stop; uint64_t seq; } FreeBlock;
typedef struct { const void *key; int arena; int64_t start, stop; } UsedBlock;
typedef struct { int64_t length; int64_t used; bool gone; } ArenaRec;

static struct {
    pid_t pid;
    int64_t size;                 /* Heap._size: the next arena's minimum */
    ArenaRec *arenas; int narenas, caparenas;
    FreeBlock *free; size_t nfree, capfree;
    UsedBlock *used; size_t nused, capused;
    uint64_t seq;                 /* order of _len_to_seq appends */
} H;

static void reset(pid_t pid) {
    rt_free(H.arenas);
    rt_free(H.free);
    rt_free(H.used);
    memset(&H, 0, sizeof H);
    H.pid = pid;
    H.size = PAGE;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need) c *= 2;
    void *p = rt_realloc(*arr, c * elem);
    if (!p) return -1;
    *arr = p;
    *cap = c;
    return 0;
}

static int find_free_at(int arena, int64_t pos, bool by_stop) {
    for (size_t i = 0; i < H.nfree; i++)
        if (H.free[i].arena == arena && (by_stop ? H.free[i].stop : H.free[i].start) == pos) return (int)i;
    return -1;
}

static void drop_free(size_t i) { H.free[i] = H.free[--H.nfree]; }

/* Heap._add_free_block: merge with the neighbours, then append. */
static int add_free(int arena, int64_t start, int64_t stop) {
    int i = find_free_at(arena, start, true);
    if (i >= 0) { start = H.free[i].start; drop_free((size_t)i); }
    i = find_free_at(arena, stop, false);
    if (i >= 0) { stop = H.free[i].stop; drop_free((size_t)i); }
    if (grow((void **)&H.free, &H.capfree, H.nfree + 1, sizeof *H.free) < 0) return -1;
    H.free[H.nfree++] = (FreeBlock){arena, start, stop, ++H.seq};
    return 0;
}

void rt_mp_heap_malloc(const void *key, size_t nbytes) {
    pid_t pid = getpid();
    if (pid != H.pid) reset(pid);   /* Heap.malloc: reinitialize after fork */
    int64_t size = ((int64_t)(nbytes ? nbytes : 1) + 7) & ~(int64_t)7;
    /* best fit: the shortest block that is long enough, the latest of that length */
    int best = -1;
    for (size_t i = 0; i < H.nfree; i++) {
        int64_t len = H.free[i].stop - H.free[i].start;
        if (len < size) continue;
        int64_t blen = best < 0 ? 0 : H.free[best].stop - H.free[best].start;
        if (best < 0 || len < blen || (len == blen && H.free[i].seq > H.free[best].seq)) best = (int)i;
    }
    int arena;
    int64_t start, stop;
    if (best >= 0) {
        arena = H.free[best].arena;
        start = H.free[best].start;
        stop = H.free[best].stop;
        drop_free((size_t)best);
    } else {
        int64_t want = H.size > size ? H.size : size;
        int64_t length = (want + PAGE - 1) & ~(int64_t)(PAGE - 1);
        if (H.size < DOUBLE_UNTIL) H.size *= 2;
        RT_MP_LOG(RT_MP_INFO, "allocating a new mmap of length %lld", (long long)length);
        size_t cap = (size_t)H.caparenas;
        if (grow((void **)&H.arenas, &cap, (size_t)H.narenas + 1, sizeof *H.arenas) < 0) return;
        H.caparenas = (int)cap;
        arena = H.narenas++;
        H.arenas[arena] = (ArenaRec){length, 0, false};
        start = 0;
        stop = length;
    }
    if (start + size < stop && add_free(arena, start + size, stop) < 0) return;
    if (grow((void **)&H.used, &H.capused, H.nused + 1, sizeof *H.used) < 0) return;
    H.used[H.nused++] = (UsedBlock){key, arena, start, start + size};
    H.arenas[arena].used++;
}

void rt_mp_heap_free(const void *key) {
    if (!key || H.pid != getpid()) return;   /* not ours: the parent's finalizer does not run here */
    for (size_t i = H.nused; i-- > 0;) {
        if (H.used[i].key != key) continue;
        UsedBlock b = H.used[i];
        H.used[i] = H.used[--H.nused];
        if (add_free(b.arena, b.start, b.stop) < 0) return;
        ArenaRec *a = &H.arenas[b.arena];
        if (--a->used == 0 && a->length >= DISCARD_FROM) {   /* Heap._discard_arena */
            int j = find_free_at(b.arena, 0, false);
            if (j >= 0) drop_free((size_t)j);
            a->gone = true;
        }
        return;
    }
}

/* heapq.c: the heapq module, and queue's Queue, LifoQueue, PriorityQueue and
 * SimpleQueue.
 *
 * heapq keeps CPython's exact sift algorithms (heapq.py's _siftdown and
 * _siftup, comparing with < only), so a heap of equal priorities pops in
 * the same order as under CPython. nlargest/nsmallest are, as documented,
 * sorted(iterable, key=key, reverse=...)[:n].
 *
 * queue.Queue and its kin are CPython's thread queues. A translated program
 * has one thread, so nothing can fill an empty queue while get() waits: a
 * blocking get() without a timeout waits for ever, as CPython's would (a
 * signal handler that raises still ends the wait), and one with a timeout
 * sleeps it out, then raises queue.Empty.
 */
#include "mp2c.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

/* ==== heapq ===================================================================== */

static RtValue **items(RtValue *heap) { return ((RtList *)heap)->items; }

/* a < b: 1, 0 or -1 */
static int less(RtValue *a, RtValue *b) { return rt_compare_bool(a, b, RT_LT); }

/* heapq._siftdown: the item at pos moves up towards startpos. */
static int siftdown(RtValue *heap, size_t startpos, size_t pos) {
    RtValue *newitem = items(heap)[pos];
    while (pos > startpos) {
        size_t parentpos = (pos - 1) >> 1;
        RtValue *parent = items(heap)[parentpos];
        int lt = less(newitem, parent);
        if (lt < 0) return -1;
        if (!lt) break;
        items(heap)[pos] = parent;
        items(heap)[parentpos] = newitem;   /* the list stays whole if a later compare fails */
        pos = parentpos;
    }
    return 0;
}

/* heapq._siftup: the item at pos goes down to a leaf along the smaller
 * children, then back up to its place. */
static int siftup(RtValue *heap, size_t pos) {
    size_t endpos = RT_LIST_LEN(heap), startpos = pos, childpos = 2 * pos + 1;
    while (childpos < endpos) {
        size_t rightpos = childpos + 1;
        if (rightpos < endpos) {
            int lt = less(items(heap)[childpos], items(heap)[rightpos]);
            if (lt < 0) return -1;
            if (!lt) childpos = rightpos;
        }
        RtValue *t = items(heap)[pos];   /* swap: newitem rides down */
        items(heap)[pos] = items(heap)[childpos];
        items(heap)[childpos] = t;
        pos = childpos;
        childpos = 2 * pos + 1;
    }
    return siftdown(heap, startpos, pos);
}

static int heap_arg(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw, size_t n) {
    if (rt_check_args(fname, nargs, kw, n, n) < 0) return -1;
    if (!rt_is_list(args[0])) {
        rt_raise(&rt_exc_TypeError, "heap argument must be a list");
        return -1;
    }
    return 0;
}

RtValue *rt_heapq_heappush(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (heap_arg("heappush", args, nargs, kw, 2) < 0 || rt_list_append(args[0], args[1]) < 0) return NULL;
    return siftdown(args[0], 0, RT_LIST_LEN(args[0]) - 1) < 0 ? NULL : rt_newref(rt_None);
}

RtValue *rt_heapq_heappop(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (heap_arg("heappop", args, nargs, kw, 1) < 0) return NULL;
    RtValue *heap = args[0];
    if (!RT_LIST_LEN(heap)) return rt_raise(&rt_exc_IndexError, "index out of range");
    RtValue *last = rt_list_pop(heap, -1);
    if (!last || !RT_LIST_LEN(heap)) return last;
    RtValue *top = items(heap)[0];   /* the list's reference becomes ours */
    items(heap)[0] = last;
    if (siftup(heap, 0) < 0) { rt_decref(top); return NULL; }
    return top;
}

/* The smallest item out (new reference), item in its place, sifted down. */
static RtValue *replace_top(RtValue *heap, RtValue *item) {
    RtValue *top = items(heap)[0];
    items(heap)[0] = rt_newref(item);
    if (siftup(heap, 0) < 0) { rt_decref(top); return NULL; }
    return top;
}

/* heapreplace(heap, item): pop, then push. */
RtValue *rt_heapq_heapreplace(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (heap_arg("heapreplace", args, nargs, kw, 2) < 0) return NULL;
    if (!RT_LIST_LEN(args[0])) return rt_raise(&rt_exc_IndexError, "index out of range");
    return replace_top(args[0], args[1]);
}

/* heappushpop(heap, item): push, then pop. */
RtValue *rt_heapq_heappushpop(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (heap_arg("heappushpop", args, nargs, kw, 2) < 0) return NULL;
    RtValue *heap = args[0];
    if (!RT_LIST_LEN(heap)) return rt_newref(args[1]);
    int lt = less(items(heap)[0], args[1]);
    if (lt < 0) return NULL;
    return lt ? replace_top(heap, args[1]) : rt_newref(args[1]);
}

RtValue *rt_heapq_heapify(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    if (heap_arg("heapify", args, nargs, kw, 1) < 0) return NULL;
    for (size_t i = RT_LIST_LEN(args[0]) / 2; i-- > 0;)
        if (siftup(args[0], i) < 0) return NULL;
    return rt_newref(rt_None);
}

/* nlargest(n, iterable, key=None) / nsmallest: sorted(...)[:n]. */
static RtValue *n_extreme(const char *fname, bool largest, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const allowed[] = {"key", NULL};
    if (rt_check_kwargs(fname, kw, allowed) < 0) return NULL;
    if (nargs != 2)
        return rt_raise_fmt(&rt_exc_TypeError, "%s() missing required positional arguments (n, iterable)", fname);
    int64_t n;
    if (rt_index_as_i64(args[0], &n) < 0) return NULL;
    RtValue *key = rt_kwarg(args, nargs, kw, "key");
    RtValue *l = rt_list_from_iter(args[1]);
    if (!l) return NULL;
    if (rt_list_sort(l, key && key != rt_None ? key : NULL, largest) < 0) { rt_decref(l); return NULL; }
    size_t keep = n <= 0 ? 0 : (uint64_t)n < RT_LIST_LEN(l) ? (size_t)n : RT_LIST_LEN(l);
    while (RT_LIST_LEN(l) > keep) {
        RtValue *v = rt_list_pop(l, -1);
        if (!v) { rt_decref(l); return NULL; }
        rt_decref(v);
    }
    return l;
}

RtValue *rt_heapq_nlargest(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return n_extreme("nlargest", true, args, nargs, kw);
}

RtValue *rt_heapq_nsmallest(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)self;
    return n_extreme("nsmallest", false, args, nargs, kw);
}

/* merge(*iterables, key=None, reverse=False): a lazy iterator, as CPython's
 * generator. It takes the iterators and their first items at the first
 * next(), yields the smallest (largest with reverse) head, ties going to
 * the earlier iterable, and once one iterable is left passes its items
 * through without calling key, as CPython's `yield from`. A scan over the
 * heads instead of a heap: merges have few inputs. */
typedef struct Merge {
    RtValue ob;
    RtValue *iterables;          /* tuple, until the first next() */
    RtValue **its, **vals, **keys;   /* per input; its[i] NULL once exhausted */
    size_t n, live;
    size_t last;                 /* the input yielded from last: moved on at the next next() */
    RtValue *key;                /* NULL for None */
    bool reverse, started;
} Merge;

static void merge_dealloc(RtValue *self) {
    Merge *m = (Merge *)self;
    RT_CLEAR(m->iterables);
    for (size_t i = 0; i < m->n && m->its; i++) {
        RT_CLEAR(m->its[i]);
        RT_CLEAR(m->vals[i]);
        RT_CLEAR(m->keys[i]);
    }
    rt_free(m->its);
    RT_CLEAR(m->key);
}

/* Moves input i on: its next item (and key), or marks it exhausted. */
static int merge_advance(Merge *m, size_t i, bool want_key) {
    RT_CLEAR(m->vals[i]);
    RT_CLEAR(m->keys[i]);
    RtValue *v = rt_iter_next(m->its[i]);
    if (!v) {
        if (RT_ERR()) return -1;
        RT_CLEAR(m->its[i]);
        m->live--;
        return 0;
    }
    m->vals[i] = v;
    if (want_key && m->key && !(m->keys[i] = rt_call(m->key, &v, 1, NULL))) return -1;
    return 0;
}

static RtValue *merge_next(RtValue *self) {
    Merge *m = (Merge *)self;
    if (!m->started) {
        m->started = true;
        size_t n = RT_TUPLE_LEN(m->iterables);
        m->its = rt_calloc(3 * (n ? n : 1), sizeof *m->its);
        if (!m->its) return NULL;
        m->vals = m->its + n;
        m->keys = m->vals + n;
        m->n = n;
        for (size_t i = 0; i < n; i++) {
            if (!(m->its[i] = rt_iter(RT_TUPLE_GET(m->iterables, i)))) return NULL;
            m->live++;
        }
        for (size_t i = 0; i < n; i++)
            if (merge_advance(m, i, true) < 0) return NULL;
        RT_CLEAR(m->iterables);
    } else if (m->last != SIZE_MAX) {
        size_t i = m->last;
        m->last = SIZE_MAX;
        /* with one input left after the last yield, its items need no key */
        if (m->its[i] && merge_advance(m, i, m->live > 1) < 0) return NULL;
    }
    if (!m->live) return NULL;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < m->n; i++) {
        if (!m->its[i]) continue;
        if (best == SIZE_MAX) { best = i; continue; }
        RtValue *a = m->key ? m->keys[i] : m->vals[i], *b = m->key ? m->keys[best] : m->vals[best];
        int lt = m->reverse ? rt_compare_bool(b, a, RT_LT) : rt_compare_bool(a, b, RT_LT);
        if (lt < 0) return NULL;
        if (lt) best = i;
    }
    m->last = best;
    return rt_newref(m->vals[best]);
}

static RtValue *merge_iter(RtValue *self) { return rt_newref(self); }

RtType rt_heapq_merge_type = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "generator",
    .module = "builtins",
    .tag = RT_T_ITER,
    .base = &rt_type_object,
    .size = sizeof(Merge),
    .table_index = -1,
    .dealloc = merge_dealloc,
    .iter = merge_iter,
    .iternext = merge_next,
};

RtValue *rt_heapq_merge(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const allowed[] = {"key", "reverse", NULL};
    (void)self;
    if (rt_check_kwargs("merge", kw, allowed) < 0) return NULL;
    RtValue *key = rt_kwarg(args, nargs, kw, "key");
    RtValue *rev = rt_kwarg(args, nargs, kw, "reverse");
    int r = rev ? rt_truthy(rev) : 0;
    if (r < 0) return NULL;
    RtValue *t = rt_tuple_from_array(args, nargs);
    if (!t) return NULL;
    Merge *m = (Merge *)rt_obj_alloc(&rt_heapq_merge_type, sizeof(Merge));
    if (!m) { rt_decref(t); return NULL; }
    m->iterables = t;
    m->key = key && key != rt_None ? rt_newref(key) : NULL;
    m->reverse = r;
    m->last = SIZE_MAX;
    return &m->ob;
}

/* ==== queue.Queue, LifoQueue, PriorityQueue, SimpleQueue ============================ */

typedef struct TQueue {
    RtValue  ob;
    RtValue *items;        /* list: FIFO from `head`, LIFO from the end, or a heap */
    size_t   head;         /* FIFO: items before head are taken (compacted now and then) */
    int64_t  maxsize;      /* <= 0: unbounded */
    int64_t  unfinished;   /* task_done / join */
} TQueue;

#define TQ(o) ((TQueue *)(o))
enum { K_FIFO, K_LIFO, K_PRIO, K_SIMPLE };

static int kind_of(RtValue *q);

static size_t tq_len(TQueue *q) { return RT_LIST_LEN(q->items) - q->head; }

/* The taken FIFO slots (NULL) leave the list before anything else sees it. */
static void tq_compact(TQueue *q) {
    RtList *l = (RtList *)q->items;
    if (!q->head) return;
    memmove(l->items, l->items + q->head, (l->len - q->head) * sizeof *l->items);
    l->len -= q->head;
    q->head = 0;
}

static void tq_dealloc(RtValue *self) {
    if (TQ(self)->items) tq_compact(TQ(self));
    RT_CLEAR(TQ(self)->items);
}

static RtValue *tq_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kw) {
    bool simple = type->name[0] == 'S';
    int64_t maxsize = 0;
    if (simple) {
        if (rt_check_args("SimpleQueue", nargs, kw, 0, 0) < 0) return NULL;
    } else {
        static const char *const allowed[] = {"maxsize", NULL};
        if (rt_check_kwargs(type->name, kw, allowed) < 0) return NULL;
        if (nargs > 1) return rt_raise_fmt(&rt_exc_TypeError, "%s() takes at most 1 argument", type->name);
        RtValue *m = nargs ? args[0] : rt_kwarg(args, nargs, kw, "maxsize");
        if (m && rt_index_as_i64(m, &maxsize) < 0) return NULL;
    }
    TQueue *q = (TQueue *)rt_obj_alloc(type, sizeof(TQueue));
    if (!q) return NULL;
    q->maxsize = maxsize;
    if (!(q->items = rt_list_new(0))) { rt_decref(&q->ob); return NULL; }
    return &q->ob;
}

/* Waits as a lone thread must: for ever (block, no timeout), or out the
 * timeout. Returns -1 when a signal handler raised, else 0 (then raise). */
static int wait_alone(bool block, RtValue *timeout) {
    if (!block) return 0;
    if (!timeout || timeout == rt_None) {
        rt_flush_std();
        for (;;) {
            pause();
            if (rt_signals_pending && rt_signals_run() < 0) return -1;
        }
    }
    double t;
    if (rt_as_double(timeout, &t) < 0) return -1;
    if (t < 0) {
        rt_raise(&rt_exc_ValueError, "'timeout' must be a non-negative number");
        return -1;
    }
    return rt_time_sleep_f64(t);
}

static int block_args(const char *fname, RtValue *const *args, size_t nargs, RtValue *kw, size_t first,
                      bool *block, RtValue **timeout) {
    static const char *const allowed[] = {"item", "block", "timeout", NULL};
    if (rt_check_kwargs(fname, kw, allowed) < 0) return -1;
    RtValue *b = nargs > first ? args[first] : rt_kwarg(args, nargs, kw, "block");
    *timeout = nargs > first + 1 ? args[first + 1] : rt_kwarg(args, nargs, kw, "timeout");
    int t = b ? rt_truthy(b) : 1;
    if (t < 0) return -1;
    *block = t;
    return 0;
}

static RtValue *tq_put_item(TQueue *q, RtValue *item) {
    int k = kind_of(&q->ob);
    if (rt_list_append(q->items, item) < 0) return NULL;
    if (k == K_PRIO && siftdown(q->items, 0, RT_LIST_LEN(q->items) - 1) < 0) return NULL;
    if (k != K_SIMPLE) q->unfinished++;
    return rt_newref(rt_None);
}

/* put(item, block=True, timeout=None) */
static RtValue *tq_m_put(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    TQueue *q = TQ(self);
    RtValue *item = nargs ? args[0] : rt_kwarg(args, nargs, kw, "item");
    if (!item) return rt_raise(&rt_exc_TypeError, "put() missing 1 required positional argument: 'item'");
    bool block;
    RtValue *timeout;
    if (block_args("put", args, nargs, kw, 1, &block, &timeout) < 0) return NULL;
    if (q->maxsize > 0 && (int64_t)tq_len(q) >= q->maxsize) {
        if (wait_alone(block, timeout) < 0) return NULL;
        return rt_raise_value((RtValue *)&rt_exc_Full);
    }
    return tq_put_item(q, item);
}

static RtValue *tq_m_put_nowait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("put_nowait", nargs, kw, 1, 1) < 0) return NULL;
    TQueue *q = TQ(self);
    if (q->maxsize > 0 && (int64_t)tq_len(q) >= q->maxsize) return rt_raise_value((RtValue *)&rt_exc_Full);
    return tq_put_item(q, args[0]);
}

static RtValue *tq_take(TQueue *q) {
    switch (kind_of(&q->ob)) {
    case K_LIFO: return rt_list_pop(q->items, -1);
    case K_PRIO: {
        RtValue *argv[1] = {q->items};
        return rt_heapq_heappop(NULL, argv, 1, NULL);
    }
    default: {
        RtValue *v = items(q->items)[q->head];
        items(q->items)[q->head++] = NULL;
        if (q->head == RT_LIST_LEN(q->items) || q->head >= RT_LIST_LEN(q->items) / 2) tq_compact(q);
        return v;
    }
    }
}

/* get(block=True, timeout=None) */
static RtValue *tq_m_get(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    TQueue *q = TQ(self);
    bool block;
    RtValue *timeout;
    if (block_args("get", args, nargs, kw, 0, &block, &timeout) < 0) return NULL;
    if (!tq_len(q)) {
        if (wait_alone(block, timeout) < 0) return NULL;
        return rt_raise_value((RtValue *)&rt_exc_Empty);
    }
    return tq_take(q);
}

static RtValue *tq_m_get_nowait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("get_nowait", nargs, kw, 0, 0) < 0) return NULL;
    if (!tq_len(TQ(self))) return rt_raise_value((RtValue *)&rt_exc_Empty);
    return tq_take(TQ(self));
}

static RtValue *tq_m_qsize(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("qsize", nargs, kw, 0, 0) < 0) return NULL;
    return rt_int((int64_t)tq_len(TQ(self)));
}

static RtValue *tq_m_empty(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("empty", nargs, kw, 0, 0) < 0) return NULL;
    return rt_bool(tq_len(TQ(self)) == 0);
}

static RtValue *tq_m_full(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("full", nargs, kw, 0, 0) < 0) return NULL;
    TQueue *q = TQ(self);
    return rt_bool(q->maxsize > 0 && (int64_t)tq_len(q) >= q->maxsize);
}

static RtValue *tq_m_task_done(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("task_done", nargs, kw, 0, 0) < 0) return NULL;
    TQueue *q = TQ(self);
    if (q->unfinished <= 0) return rt_raise(&rt_exc_ValueError, "task_done() called too many times");
    q->unfinished--;
    return rt_newref(rt_None);
}

/* join(): returns at once when every task is done; else waits for ever, as
 * a lone thread would. */
static RtValue *tq_m_join(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("join", nargs, kw, 0, 0) < 0) return NULL;
    if (TQ(self)->unfinished > 0 && wait_alone(true, NULL) < 0) return NULL;
    return rt_newref(rt_None);
}

static RtValue *tq_get_maxsize(RtValue *self) { return rt_int(TQ(self)->maxsize); }

static RtValue *tq_get_queue(RtValue *self) {
    TQueue *q = TQ(self);
    RtList *l = (RtList *)q->items;
    return rt_list_from_array(l->items + q->head, l->len - q->head);
}

static const RtMethodDef tq_methods[] = {
    {"put", tq_m_put}, {"get", tq_m_get}, {"put_nowait", tq_m_put_nowait}, {"get_nowait", tq_m_get_nowait},
    {"qsize", tq_m_qsize}, {"empty", tq_m_empty}, {"full", tq_m_full}, {"task_done", tq_m_task_done},
    {"join", tq_m_join}, {NULL, NULL},
};

static const RtMethodDef sq_methods[] = {
    {"put", tq_m_put}, {"get", tq_m_get}, {"put_nowait", tq_m_put_nowait}, {"get_nowait", tq_m_get_nowait},
    {"qsize", tq_m_qsize}, {"empty", tq_m_empty}, {NULL, NULL},
};

static const RtGetSetDef tq_getset[] = {
    {"maxsize", tq_get_maxsize, NULL},
    {"queue", tq_get_queue, NULL},
    {NULL, NULL, NULL},
};

#define TQ_TYPE(cname, pyname, meths, gs) \
    RtType cname = { .ob = RT_STATIC_HEAD(&rt_type_type), .name = pyname, .module = "queue", .tag = RT_T_OTHER, \
                     .size = sizeof(TQueue), .table_index = -1, .dealloc = tq_dealloc,                       \
                     .construct = tq_construct, .methods = meths, .getset = gs }
TQ_TYPE(rt_queue_Queue, "Queue", tq_methods, tq_getset);
TQ_TYPE(rt_queue_LifoQueue, "LifoQueue", tq_methods, tq_getset);
TQ_TYPE(rt_queue_PriorityQueue, "PriorityQueue", tq_methods, tq_getset);
TQ_TYPE(rt_queue_SimpleQueue, "SimpleQueue", sq_methods, NULL);

static int kind_of(RtValue *q) {
    RtType *t = q->type;
    return t == &rt_queue_LifoQueue ? K_LIFO : t == &rt_queue_PriorityQueue ? K_PRIO
         : t == &rt_queue_SimpleQueue ? K_SIMPLE : K_FIFO;
}

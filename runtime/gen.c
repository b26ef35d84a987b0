/* gen.c: generators — functions that contain `yield`.
 *
 * Key idea: a generator's body is compiled as an ordinary C function, and it
 * runs on a small stack of its own. next() switches to that stack with
 * swapcontext; `yield` switches back. Everything the body keeps (locals,
 * loop iterators, a try block half done) simply stays on its stack between
 * switches, so any Python construct works inside a generator without the
 * translator rewriting the body into a state machine.
 *
 * Stacks are mmap'd with a guard page and MAP_NORESERVE, so an idle
 * generator costs little memory. makecontext/setcontext enter a new stack
 * once; after that a switch is _setjmp/_longjmp, which, unlike swapcontext,
 * makes no sigprocmask(2) call (a yield then costs tens of nanoseconds, not
 * a system call). Under AddressSanitizer the switches stay swapcontext and
 * are announced with __sanitizer_{start,finish}_switch_fiber.
 *
 * A generator dropped before it finished is closed as CPython does: resumed
 * with GeneratorExit pending, so its finally clauses run and its references
 * are released.
 */
#include "mp2c.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#if defined(__SANITIZE_ADDRESS__)
#define GEN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GEN_ASAN 1
#endif
#endif
#ifdef GEN_ASAN
#include <sanitizer/common_interface_defs.h>
enum { STACK_SIZE = 4 << 20 };
#else
/* Room for about a thousand nested calls made from a generator's body
 * before rt_stack_check raises RecursionError; untouched pages cost no
 * memory (MAP_NORESERVE). */
enum { STACK_SIZE = 1 << 20 };
#endif

typedef enum { GEN_CREATED, GEN_SUSPENDED, GEN_RUNNING, GEN_FINISHED } GenState;

typedef struct RtGen {
    RtValue     ob;
    const char *name, *qualname;
    RtGenBody   body;
    void       *frame;
    void      (*free_frame)(void *);
    ucontext_t  ctx;         /* the generator's own context */
    ucontext_t  caller;      /* where next() was called */
    jmp_buf     gen_jmp;     /* where the body waits at a yield */
    jmp_buf     caller_jmp;  /* where next() waits for the body */
    void       *stack;       /* mapping incl. the guard page */
    size_t      maplen;
    GenState    state;
    bool        closing;     /* being closed: yield raises GeneratorExit */
    RtValue    *transfer;    /* the value crossing a switch (owned) */
    RtValue    *result;      /* the body's return value, NULL after an error */
    struct RtGen *prev;      /* the generator that resumed this one */
#ifdef GEN_ASAN
    void       *fake_stack;
    const void *caller_bottom;
    size_t      caller_size;
#endif
} RtGen;

static _Thread_local RtGen *current;

/* ---- switching -------------------------------------------------------------- */

static void enter_fiber_done(RtGen *g) {
#ifdef GEN_ASAN
    __sanitizer_finish_switch_fiber(g->fake_stack, &g->caller_bottom, &g->caller_size);
#else
    (void)g;
#endif
}

static void gen_main(unsigned hi, unsigned lo) {
    RtGen *g = (RtGen *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    enter_fiber_done(g);
    g->result = g->body(g->frame);
    g->state = GEN_FINISHED;
#ifdef GEN_ASAN
    __sanitizer_start_switch_fiber(NULL, g->caller_bottom, g->caller_size);
    setcontext(&g->caller);
#else
    _longjmp(g->caller_jmp, 1);
#endif
}

/* Runs g until it yields or finishes. */
static void resume(RtGen *g) {
    g->prev = current;
    current = g;
    const char *floor = rt_stack_floor;   /* calls in the body check against g's stack */
    rt_stack_floor = (const char *)g->stack + 4096 + RT_STACK_MARGIN;
    bool first = g->state == GEN_CREATED;
    g->state = GEN_RUNNING;
#ifdef GEN_ASAN
    (void)first;
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, (char *)g->stack + 4096, g->maplen - 4096);
    swapcontext(&g->caller, &g->ctx);
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#else
    if (_setjmp(g->caller_jmp) == 0) {
        if (first) setcontext(&g->ctx);   /* onto the new stack, once */
        _longjmp(g->gen_jmp, 1);
    }
#endif
    rt_stack_floor = floor;
    current = g->prev;
}

RtValue *rt_gen_yield(RtValue *v) {
    RtGen *g = current;
    if (!g) return rt_raise(&rt_exc_RuntimeError, "yield outside a generator");
    g->transfer = rt_newref(v);
    g->state = GEN_SUSPENDED;
#ifdef GEN_ASAN
    __sanitizer_start_switch_fiber(&g->fake_stack, g->caller_bottom, g->caller_size);
    swapcontext(&g->ctx, &g->caller);
    __sanitizer_finish_switch_fiber(g->fake_stack, &g->caller_bottom, &g->caller_size);
#else
    if (_setjmp(g->gen_jmp) == 0) _longjmp(g->caller_jmp, 1);
#endif
    if (g->closing) return rt_raise(&rt_exc_GeneratorExit, "");
    RtValue *sent = g->transfer;
    g->transfer = NULL;
    return sent ? sent : rt_None;
}


RtValue *rt_gen_yield_from(RtValue *iterable) {
    RtValue *it = rt_iter(iterable);
    if (!it) return NULL;
    RtValue *x;
    while ((x = rt_iter_next(it))) {
        RtValue *sent = rt_gen_yield(x);
        rt_decref(x);
        if (!sent) { rt_decref(it); return NULL; }
        rt_decref(sent);
    }
    if (RT_ERR()) { rt_decref(it); return NULL; }
    /* the value of `yield from gen` is gen's return value */
    RtValue *r = it->type == &rt_type_generator ? rt_gen_take_result(it) : NULL;
    rt_decref(it);
    return r ? r : rt_None;
}

/* ---- the generator object ------------------------------------------------------- */

static bool start(RtGen *g) {
    g->maplen = STACK_SIZE + 4096;
    g->stack = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (g->stack == MAP_FAILED) {
        g->stack = NULL;
        rt_raise(&rt_exc_MemoryError, "cannot allocate a generator stack");
        return false;
    }
    mprotect(g->stack, 4096, PROT_NONE);   /* guard page below the stack */
    getcontext(&g->ctx);
    g->ctx.uc_stack.ss_sp = (char *)g->stack + 4096;
    g->ctx.uc_stack.ss_size = g->maplen - 4096;
    g->ctx.uc_link = NULL;
    uintptr_t p = (uintptr_t)g;
    makecontext(&g->ctx, (void (*)(void))gen_main, 2, (unsigned)(p >> 32), (unsigned)(p & 0xffffffffu));
    return true;
}

/* One step: the next yielded value (new reference), or NULL when finished
 * (StopIteration: no exception) or failed (exception pending). */
static RtValue *gen_step(RtGen *g, RtValue *send) {
    if (g->state == GEN_FINISHED) return NULL;
    if (g->state == GEN_RUNNING) return rt_raise(&rt_exc_ValueError, "generator already executing");
    if (g->state == GEN_CREATED) {
        if (send && send != rt_None)
            return rt_raise(&rt_exc_TypeError, "can't send non-None value to a just-started generator");
        if (!start(g)) return NULL;
    }
    g->transfer = send ? rt_newref(send) : NULL;
    resume(g);
    if (g->state == GEN_SUSPENDED) {
        RtValue *v = g->transfer;
        g->transfer = NULL;
        return v;
    }
    /* finished: the return value stays for next()'s StopIteration(value);
     * a for loop simply ends */
    return NULL;
}

RtValue *rt_gen_take_result(RtValue *gen) {
    RtGen *g = (RtGen *)gen;
    RtValue *r = g->state == GEN_FINISHED ? g->result : NULL;
    g->result = NULL;
    return r;
}

static RtValue *gen_iternext(RtValue *self) { return gen_step((RtGen *)self, NULL); }

static RtValue *gen_iter(RtValue *self) { return rt_newref(self); }

/* close(): GeneratorExit at the suspended yield. */
static int gen_close(RtGen *g) {
    if (g->state != GEN_SUSPENDED) {
        g->state = GEN_FINISHED;
        return 0;
    }
    RtValue *saved = rt_exc_fetch();   /* closing must not disturb an error in flight */
    g->closing = true;
    resume(g);
    int rc = 0;
    if (g->state == GEN_SUSPENDED) {
        RT_CLEAR(g->transfer);
        rt_raise(&rt_exc_RuntimeError, "generator ignored GeneratorExit");
        rc = -1;
    } else if (!g->result && rt_exc_matches((RtValue *)&rt_exc_GeneratorExit)) {
        rt_decref(rt_exc_fetch());
    } else if (!g->result) {
        rc = -1;
    }
    RT_CLEAR(g->result);
    g->state = GEN_FINISHED;
    if (saved) {
        RtValue *now = rt_exc_fetch();
        rt_xdecref(now);
        rt_exc_restore(saved);
    }
    return rc;
}

static void gen_dealloc(RtValue *self) {
    RtGen *g = (RtGen *)self;
    if (g->state == GEN_SUSPENDED) {
        self->rc = 1;   /* alive while it finishes */
        if (gen_close(g) < 0) rt_xdecref(rt_exc_fetch());
    }
    RT_CLEAR(g->transfer);
    RT_CLEAR(g->result);
    if (g->free_frame) g->free_frame(g->frame);
    if (g->stack) munmap(g->stack, g->maplen);
}

static RtValue *gen_repr(RtValue *self) {
    char buf[300];
    snprintf(buf, sizeof buf, "<generator object %s at %p>", ((RtGen *)self)->qualname, (void *)self);
    return rt_str_from_cstr(buf);
}

static RtValue *gen_m_send(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("send", nargs, kw, 1, 1) < 0) return NULL;
    RtValue *v = gen_step((RtGen *)self, args[0]);
    if (!v && !RT_ERR()) rt_raise_value((RtValue *)&rt_exc_StopIteration);
    return v;
}

static RtValue *gen_m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("close", nargs, kw, 0, 0) < 0) return NULL;
    return gen_close((RtGen *)self) < 0 ? NULL : rt_None;
}

static RtValue *gen_m_next(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("__next__", nargs, kw, 0, 0) < 0) return NULL;
    RtValue *v = gen_step((RtGen *)self, NULL);
    if (!v && !RT_ERR()) rt_raise_value((RtValue *)&rt_exc_StopIteration);
    return v;
}

static const RtMethodDef gen_methods[] = {
    {"send", gen_m_send},
    {"close", gen_m_close},
    {"__next__", gen_m_next},
    {NULL, NULL},
};

RtType rt_type_generator = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "generator", .tag = RT_T_ITER,
    .size = sizeof(RtGen), .table_index = -1, .dealloc = gen_dealloc, .repr = gen_repr,
    .iter = gen_iter, .iternext = gen_iternext, .methods = gen_methods,
};

RtValue *rt_gen_new(const char *name, const char *qualname, RtGenBody body,
                    void *frame, void (*free_frame)(void *)) {
    RtGen *g = (RtGen *)rt_obj_alloc(&rt_type_generator, sizeof(RtGen));
    if (!g) {
        if (free_frame) free_frame(frame);
        return NULL;
    }
    g->name = name;
    g->qualname = qualname;
    g->body = body;
    g->frame = frame;
    g->free_frame = free_frame;
    return &g->ob;
}

/* ---- small helpers for generated code ------------------------------------------------ */

int64_t rt_range_len(int64_t start, int64_t stop, int64_t step) {
    if (step > 0 && start < stop)
        return (int64_t)(((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1);
    if (step < 0 && start > stop)
        return (int64_t)(((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1);
    return 0;
}

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
/* Under valgrind, a switch between two generator stacks (mapped side by
 * side, less than --max-stackframe apart) looks like a huge stack frame and
 * memcheck reports the caller's frame as uninitialised; registering each
 * stack tells it these are switches. The requests are no-ops otherwise. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define GEN_VALGRIND 1
#endif
#endif
#ifdef GEN_ASAN
#include <sanitizer/common_interface_defs.h>
/* LeakSanitizer scans stacks, globals and the heap, not our mappings: a
 * generator still suspended at exit holds its values on its own stack, so
 * each stack is registered as a root region. */
#include <sanitizer/lsan_interface.h>
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
    RtValue    *throwing;    /* throw(): the exception yield raises (owned) */
    RtValue    *transfer;    /* the value crossing a switch (owned) */
    RtValue    *result;      /* the body's return value, NULL after an error */
    RtValue    *exc_state;   /* the exception its except block handles, while suspended */
    RtValue    *exc_base;    /* the caller's, lent to the body as its outermost view */
    struct RtGen *prev;      /* the generator that resumed this one */
#ifdef GEN_VALGRIND
    unsigned    vg_stack;    /* valgrind's id of the stack */
#endif
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

/* PEP 479: a StopIteration escaping the body would look like the end of the
 * generator; it becomes RuntimeError, caused by it, as in CPython. */
static void stop_iteration_to_runtime_error(void) {
    RtValue *stop = rt_exc_fetch();
    rt_raise(&rt_exc_RuntimeError, "generator raised StopIteration");
    if (rt_exc_pending && rt_exc_pending->type->tag == RT_T_EXC) {
        RtExc *e = (RtExc *)rt_exc_pending;
        RT_SETREF(e->cause, rt_newref(stop));
        RT_SETREF(e->context, rt_newref(stop));
        e->suppress_context = true;
    }
    rt_decref(stop);
}

static void gen_main(unsigned hi, unsigned lo) {
    RtGen *g = (RtGen *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    enter_fiber_done(g);
    g->result = g->body(g->frame);
    if (!g->result && rt_exc_matches((RtValue *)&rt_exc_StopIteration) == 1) stop_iteration_to_runtime_error();
    g->state = GEN_FINISHED;
#ifdef GEN_ASAN
    __sanitizer_start_switch_fiber(NULL, g->caller_bottom, g->caller_size);
    setcontext(&g->caller);
#else
    _longjmp(g->caller_jmp, 1);
#endif
}

/* Runs g until it yields or finishes.
 * The handled exception (for chaining and bare `raise`) is the generator's
 * own while it runs: one its except block holds across a yield, else the
 * caller's, which the body borrows through exc_base (a reference of ours,
 * so an except block's saved view of it cannot dangle). */
static void resume(RtGen *g) {
    RtValue *caller_h = rt_exc_handling_swap(NULL);
    if (g->exc_state) {
        rt_exc_handling_swap(g->exc_state);
        g->exc_state = NULL;
    } else {
        g->exc_base = caller_h ? rt_newref(caller_h) : NULL;
        rt_exc_handling_swap(g->exc_base);
    }
    g->prev = current;
    current = g;
    /* Calls in the body check against g's stack. A pending signal's trip
     * (see signalmod.c) moves along: undone here, made again on g's floor. */
    rt_signals_untrip();
    const char *floor = rt_stack_floor;
    rt_stack_floor = (const char *)g->stack + 4096 + RT_STACK_MARGIN;
    if (rt_signals_pending) rt_signals_trip();
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
    rt_signals_untrip();
    rt_stack_floor = floor;
    if (rt_signals_pending) rt_signals_trip();
    current = g->prev;
    RtValue *mine = rt_exc_handling_swap(caller_h);
    if (mine == g->exc_base) RT_CLEAR(g->exc_base);   /* no except block active in g */
    else g->exc_state = mine;
}

/* Raises exc (borrowed), thrown into g, at its paused yield: chained to the
 * exception g's own except block handles there, as CPython does, not to one
 * the caller handles (g's view of that is exc_base). */
static void raise_thrown(RtGen *g, RtValue *exc) {
    if (rt_exc_handling() != g->exc_base) rt_raise_value(exc);
    else rt_exc_restore(rt_newref(exc));
}

/* delegating: the yield of a `yield from`, whose thrown-in exception goes on
 * to the delegate and is chained where it is finally raised. */
static RtValue *yield_value(RtValue *v, bool delegating) {
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
    if (g->closing) {   /* GeneratorExit() has no args, as CPython's */
        RtValue *exc = rt_call((RtValue *)&rt_exc_GeneratorExit, NULL, 0, NULL);
        if (exc) {
            raise_thrown(g, exc);
            rt_decref(exc);
        }
        return NULL;
    }
    if (g->throwing) {   /* throw(): the exception appears at this yield */
        RtValue *exc = g->throwing;
        g->throwing = NULL;
        if (delegating) {
            rt_exc_restore(exc);
        } else {
            raise_thrown(g, exc);
            rt_decref(exc);
        }
        return NULL;
    }
    RtValue *sent = g->transfer;
    g->transfer = NULL;
    return sent ? sent : rt_None;
}

RtValue *rt_gen_yield(RtValue *v) { return yield_value(v, false); }


static RtValue *gen_step(RtGen *g, RtValue *send);
static RtValue *gen_throw(RtGen *g, RtValue *exc);
static int gen_close(RtGen *g);

/* The pending StopIteration's value (new reference), clearing it; NULL when
 * another exception is pending, which stays. */
static RtValue *take_stop_value(void) {
    if (rt_exc_matches((RtValue *)&rt_exc_StopIteration) != 1) return NULL;
    RtValue *e = rt_exc_fetch();
    RtValue *v = rt_getattr(e, "value");
    rt_decref(e);
    return v;
}

/* One step of the delegate `it` after the delegating generator was resumed
 * with `sent` (a value, or NULL when an exception was thrown in, pending).
 * Returns its next value, or NULL: finished (no exception) or failed. */
static RtValue *delegate_step(RtValue *it, RtValue *sent) {
    bool is_gen = it->type == &rt_type_generator;
    if (sent) {   /* send(): next() for None, as CPython does */
        if (is_gen) return gen_step((RtGen *)it, sent);
        if (sent == rt_None) return rt_iter_next(it);
        return rt_call_method(it, "send", &sent, 1, NULL);
    }
    RtValue *exc = rt_exc_fetch();
    if (rt_isinstance_t(exc, &rt_exc_GeneratorExit)) {
        /* close(), or throw(GeneratorExit): close the delegate, then the
         * GeneratorExit goes on in this generator (an error from closing wins) */
        int rc = 0;
        if (is_gen) {
            rc = gen_close((RtGen *)it);
        } else {
            RtValue *m = rt_getattr_opt(it, "close");
            RtValue *r = m ? rt_call(m, NULL, 0, NULL) : NULL;
            rc = m && !r ? -1 : 0;
            rt_xdecref(r);
            rt_xdecref(m);
        }
        if (rc < 0) rt_decref(exc);
        else rt_exc_restore(exc);
        return NULL;
    }
    if (is_gen) return gen_throw((RtGen *)it, exc);
    RtValue *m = rt_getattr_opt(it, "throw");
    if (!m) {   /* an iterator without throw(): raised here */
        raise_thrown(current, exc);
        rt_decref(exc);
        return NULL;
    }
    RtValue *r = rt_call(m, &exc, 1, NULL);
    rt_decref(m);
    rt_decref(exc);
    return r;
}

/* `yield from` (PEP 380): values sent to this generator go to the delegate's
 * send(), exceptions thrown in go to its throw(), close() closes it. */
RtValue *rt_gen_yield_from(RtValue *iterable) {
    RtValue *it = rt_iter(iterable);
    if (!it) return NULL;
    RtValue *x = rt_iter_next(it);
    while (x) {
        RtValue *sent = yield_value(x, true);
        rt_decref(x);
        x = delegate_step(it, sent);
        rt_xdecref(sent);
    }
    /* the value of `yield from gen` is gen's return value (StopIteration's
     * value when a non-generator's send() or throw() ended it) */
    bool is_gen = it->type == &rt_type_generator;
    RtValue *r = NULL;
    if (RT_ERR()) {
        r = is_gen ? NULL : take_stop_value();
        if (!r) { rt_decref(it); return NULL; }
    } else if (is_gen) {
        r = rt_gen_take_result(it);
    }
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
#ifdef GEN_VALGRIND
    g->vg_stack = VALGRIND_STACK_REGISTER((char *)g->stack + 4096, (char *)g->stack + g->maplen);
#endif
#ifdef GEN_ASAN
    __lsan_register_root_region((char *)g->stack + 4096, g->maplen - 4096);
#endif
    getcontext(&g->ctx);
    g->ctx.uc_stack.ss_sp = (char *)g->stack + 4096;
    g->ctx.uc_stack.ss_size = g->maplen - 4096;
    g->ctx.uc_link = NULL;
    uintptr_t p = (uintptr_t)g;
    makecontext(&g->ctx, (void (*)(void))gen_main, 2, (unsigned)(p >> 32), (unsigned)(p & 0xffffffffu));
    return true;
}

static RtValue *gen_run(RtGen *g);

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
    return gen_run(g);
}

/* Resumes the suspended g: its next yielded value (new reference), or NULL
 * when it finished (no exception) or failed (exception pending). */
static RtValue *gen_run(RtGen *g) {
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

/* throw(): exc (an exception instance, stolen) raised at the paused yield.
 * Returns what the generator yields next, or NULL: finished or failed. */
static RtValue *gen_throw(RtGen *g, RtValue *exc) {
    if (g->state == GEN_RUNNING) {
        rt_decref(exc);
        return rt_raise(&rt_exc_ValueError, "generator already executing");
    }
    if (g->state != GEN_SUSPENDED) {
        /* not started: it ends before its first line; finished: raised here */
        g->state = GEN_FINISHED;
        rt_exc_restore(exc);
        return NULL;
    }
    g->throwing = exc;
    return gen_run(g);
}

RtValue *rt_raise_stop_iteration(RtValue *it) {
    RtValue *ret = it->type == &rt_type_generator ? rt_gen_take_result(it) : NULL;
    RtValue *targs = ret && ret != rt_None ? rt_tuple_pack(1, ret) : rt_tuple_empty();
    rt_xdecref(ret);
    RtValue *exc = targs ? rt_exc_new(&rt_exc_StopIteration, targs) : NULL;
    rt_xdecref(targs);
    if (exc) rt_exc_raise_new(exc);
    return NULL;
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
    RT_CLEAR(g->throwing);
    RT_CLEAR(g->result);
    RT_CLEAR(g->exc_state);
    RT_CLEAR(g->exc_base);
    if (g->free_frame) g->free_frame(g->frame);
    if (g->stack) {
#ifdef GEN_VALGRIND
        VALGRIND_STACK_DEREGISTER(g->vg_stack);
#endif
#ifdef GEN_ASAN
        __lsan_unregister_root_region((char *)g->stack + 4096, g->maplen - 4096);
#endif
        munmap(g->stack, g->maplen);
    }
}

static RtValue *gen_repr(RtValue *self) {
    char buf[300];
    snprintf(buf, sizeof buf, "<generator object %s at %p>", ((RtGen *)self)->qualname, (void *)self);
    return rt_str_from_cstr(buf);
}

static RtValue *gen_m_send(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("send", nargs, kw, 1, 1) < 0) return NULL;
    RtValue *v = gen_step((RtGen *)self, args[0]);
    return v || RT_ERR() ? v : rt_raise_stop_iteration(self);
}

/* throw(exc), or the legacy throw(type[, value[, tb]]), as CPython 3.11. */
static RtValue *gen_m_throw(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("throw", nargs, kw, 1, 3) < 0) return NULL;
    RtValue *typ = args[0], *val = nargs > 1 ? args[1] : rt_None;
    if (nargs > 2 && args[2] != rt_None)
        return rt_raise(&rt_exc_TypeError, "throw() third argument must be a traceback object");
    RtValue *exc;
    if (typ->type->tag == RT_T_TYPE && rt_type_is_subtype((RtType *)typ, &rt_exc_BaseException)) {
        if (val == rt_None) exc = rt_call(typ, NULL, 0, NULL);
        else if (rt_isinstance_t(val, (RtType *)typ)) exc = rt_newref(val);
        else if (rt_is_tuple(val)) exc = rt_call(typ, ((RtTuple *)val)->items, RT_TUPLE_LEN(val), NULL);
        else exc = rt_call(typ, &val, 1, NULL);
        if (!exc) return NULL;
    } else if (typ->type->tag == RT_T_EXC) {
        if (val != rt_None)
            return rt_raise(&rt_exc_TypeError, "instance exception may not have a separate value");
        exc = rt_newref(typ);
    } else {
        return rt_raise_fmt(&rt_exc_TypeError,
                            "exceptions must be classes or instances deriving from BaseException, not %T", typ);
    }
    RtValue *v = gen_throw((RtGen *)self, exc);
    return v || RT_ERR() ? v : rt_raise_stop_iteration(self);
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
    return v || RT_ERR() ? v : rt_raise_stop_iteration(self);
}

static const RtMethodDef gen_methods[] = {
    {"send", gen_m_send},
    {"throw", gen_m_throw},
    {"close", gen_m_close},
    {"__next__", gen_m_next},
    {NULL, NULL},
};

static RtValue *gen_get_name(RtValue *self) { return rt_str_from_cstr(((RtGen *)self)->name); }
static RtValue *gen_get_qualname(RtValue *self) { return rt_str_from_cstr(((RtGen *)self)->qualname); }
static RtValue *gen_get_running(RtValue *self) { return rt_bool(((RtGen *)self)->state == GEN_RUNNING); }
static RtValue *gen_get_suspended(RtValue *self) { return rt_bool(((RtGen *)self)->state == GEN_SUSPENDED); }

static const RtGetSetDef gen_getset[] = {
    {"__name__", gen_get_name, NULL},
    {"__qualname__", gen_get_qualname, NULL},
    {"gi_running", gen_get_running, NULL},
    {"gi_suspended", gen_get_suspended, NULL},
    {NULL, NULL, NULL},
};

RtType rt_type_generator = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "generator", .tag = RT_T_ITER,
    .size = sizeof(RtGen), .table_index = -1, .dealloc = gen_dealloc, .repr = gen_repr,
    .iter = gen_iter, .iternext = gen_iternext, .methods = gen_methods, .getset = gen_getset,
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

/* mp2c_stdlib.h: the small standard modules tutorials reach for next:
 * functools, itertools, operator, string. Part of mp2c.h; include that instead.
 *
 * Naming: the Python class M.X is `RtType rt_M_X`; the function M.f is the
 * RtNativeFn `rt_M_f` (self is NULL, as for builtins); a constant is a C
 * function returning a new (immortal) reference. Behaviour and error
 * messages are CPython 3.11's.
 *
 * Every member, for gen/modules.c (kind: FN = RtNativeFn, TYPE = RtType to
 * call, CONST = C expression giving a new reference):
 *
 *   module     member                         kind   C symbol / expression                     result
 *   ---------  -----------------------------  -----  ----------------------------------------  ------
 *   functools  partial                        TYPE   rt_functools_partial                      (instance)
 *   functools  reduce                         FN     rt_functools_reduce                       any
 *   functools  lru_cache                      FN     rt_functools_lru_cache                    any
 *   functools  cache                          FN     rt_functools_cache                        any
 *   functools  wraps                          FN     rt_functools_wraps                        N:rt_functools_partial
 *   functools  update_wrapper                 FN     rt_functools_update_wrapper               any
 *   functools  total_ordering                 FN     rt_functools_total_ordering               any
 *   functools  cmp_to_key                     FN     rt_functools_cmp_to_key                   N:rt_functools_KeyWrapper
 *   itertools  count                          TYPE   rt_itertools_count                        (instance)
 *   itertools  cycle                          TYPE   rt_itertools_cycle                        (instance)
 *   itertools  repeat                         TYPE   rt_itertools_repeat                       (instance)
 *   itertools  accumulate                     TYPE   rt_itertools_accumulate                   (instance)
 *   itertools  chain                          TYPE   rt_itertools_chain                        (instance)
 *              chain.from_iterable is a class method in the type's dict, reached
 *              by rt_getattr; generated code may also call the RtNativeFn
 *              rt_itertools_chain_from_iterable directly.
 *   itertools  compress                       TYPE   rt_itertools_compress                     (instance)
 *   itertools  dropwhile                      TYPE   rt_itertools_dropwhile                    (instance)
 *   itertools  takewhile                      TYPE   rt_itertools_takewhile                    (instance)
 *   itertools  filterfalse                    TYPE   rt_itertools_filterfalse                  (instance)
 *   itertools  groupby                        TYPE   rt_itertools_groupby                      (instance)
 *   itertools  islice                         TYPE   rt_itertools_islice                       (instance)
 *   itertools  starmap                        TYPE   rt_itertools_starmap                      (instance)
 *   itertools  tee                            FN     rt_itertools_tee                          any (a tuple)
 *   itertools  zip_longest                    TYPE   rt_itertools_zip_longest                  (instance)
 *   itertools  product                        TYPE   rt_itertools_product                      (instance)
 *   itertools  permutations                   TYPE   rt_itertools_permutations                 (instance)
 *   itertools  combinations                   TYPE   rt_itertools_combinations                 (instance)
 *   itertools  combinations_with_replacement  TYPE   rt_itertools_combinations_with_replacement (instance)
 *   itertools  pairwise                       TYPE   rt_itertools_pairwise                     (instance)
 *   operator   itemgetter                     TYPE   rt_operator_itemgetter                    (instance)
 *   operator   attrgetter                     TYPE   rt_operator_attrgetter                    (instance)
 *   operator   methodcaller                   TYPE   rt_operator_methodcaller                  (instance)
 *   operator   <each name of RT_OPERATOR_FUNCS below>
 *                                             FN     rt_operator_<name>                        any, except:
 *              not_, truth, contains, is_, is_not -> bool;  index, countOf, indexOf,
 *              length_hint -> int;  setitem, delitem -> none
 *   string     capwords                       FN     rt_string_capwords                        str
 *   string     ascii_letters                  CONST  rt_string_ascii_letters()                 str
 *   string     ascii_lowercase                CONST  rt_string_ascii_lowercase()               str
 *   string     ascii_uppercase                CONST  rt_string_ascii_uppercase()               str
 *   string     digits                         CONST  rt_string_digits()                        str
 *   string     hexdigits                      CONST  rt_string_hexdigits()                     str
 *   string     octdigits                      CONST  rt_string_octdigits()                     str
 *   string     punctuation                    CONST  rt_string_punctuation()                   str
 *   string     whitespace                     CONST  rt_string_whitespace()                    str
 *   string     printable                      CONST  rt_string_printable()                     str
 *
 * Known limits (XXX): an lru_cache wrapper stored as a class attribute does
 * not bind as a method (the core binds only script functions), so
 * @lru_cache on methods is not supported yet.
 */
#ifndef MP2C_STDLIB_H
#define MP2C_STDLIB_H

/* ==== functools (functools.c) =================================================== */

/* partial(func, /, *args, **keywords): a callable with read-only attributes
 * func, args (tuple) and keywords (dict), and a __dict__. A partial of a
 * partial is flattened as CPython does. Serializable: the serializer writes
 * func, args, keywords and __dict__ with rt_ser_dump, so it travels to Pool
 * workers and spawned children when func does. */
extern RtType rt_functools_partial;
/* The same from C: partial(func, *args, **kwargs). args are borrowed;
 * kwargs is a dict or NULL (borrowed). New reference. */
RtValue *rt_functools_partial_new(RtValue *func, RtValue *const *args, size_t nargs, RtValue *kwargs);

/* reduce(function, iterable[, initial]) */
RtValue *rt_functools_reduce(RtValue *, RtValue *const *, size_t, RtValue *);
/* lru_cache(maxsize=128, typed=False) and lru_cache(user_function): the
 * decorator, or (called with a function) the wrapper directly. */
RtValue *rt_functools_lru_cache(RtValue *, RtValue *const *, size_t, RtValue *);
/* cache(user_function, /) == lru_cache(maxsize=None)(user_function) */
RtValue *rt_functools_cache(RtValue *, RtValue *const *, size_t, RtValue *);
/* The type of lru_cache wrappers: calls go through a dict keyed as CPython's
 * _make_key (a lone int or str argument is its own key); methods
 * cache_info() (a CacheInfo named tuple), cache_clear(), cache_parameters();
 * __wrapped__, __name__, ... copied by update_wrapper. A wrapper sent to
 * another process (Pool.map(cached_f, ...)) arrives as that process's own
 * wrapper of the same function when it has one (its cache shared with the
 * script's global, as pickle's lookup by name gives), else a fresh one. */
extern RtType rt_functools__lru_cache_wrapper;
/* update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES) */
RtValue *rt_functools_update_wrapper(RtValue *, RtValue *const *, size_t, RtValue *);
/* wraps(wrapped, assigned=..., updated=...): partial(update_wrapper, wrapped=...) */
RtValue *rt_functools_wraps(RtValue *, RtValue *const *, size_t, RtValue *);
/* total_ordering(cls): adds the missing rich comparisons to a script class. */
RtValue *rt_functools_total_ordering(RtValue *, RtValue *const *, size_t, RtValue *);
/* cmp_to_key(mycmp): a functools.KeyWrapper; calling it wraps one object. */
RtValue *rt_functools_cmp_to_key(RtValue *, RtValue *const *, size_t, RtValue *);
extern RtType rt_functools_KeyWrapper;

/* ==== itertools (itertools.c) =================================================== */

/* The iterator types. Calling one (rt_call((RtValue *)&rt_itertools_count, ...))
 * builds an iterator, as in CPython; each has `iter` returning itself. */
extern RtType rt_itertools_count, rt_itertools_cycle, rt_itertools_repeat,
    rt_itertools_accumulate, rt_itertools_chain, rt_itertools_compress,
    rt_itertools_dropwhile, rt_itertools_takewhile, rt_itertools_filterfalse,
    rt_itertools_groupby, rt_itertools__grouper, rt_itertools_islice,
    rt_itertools_starmap, rt_itertools_zip_longest, rt_itertools_product,
    rt_itertools_permutations, rt_itertools_combinations,
    rt_itertools_combinations_with_replacement, rt_itertools_pairwise,
    rt_itertools__tee;
/* chain.from_iterable(iterable) (also reachable as a class method of chain). */
RtValue *rt_itertools_chain_from_iterable(RtValue *, RtValue *const *, size_t, RtValue *);
/* tee(iterable, n=2): a tuple of n independent iterators. */
RtValue *rt_itertools_tee(RtValue *, RtValue *const *, size_t, RtValue *);

/* ==== operator (operatormod.c) ================================================== */

/* The functions of the operator module, each an RtNativeFn rt_operator_<name>
 * with CPython's argument checks; they call the generic protocol
 * (rt_binop, rt_richcompare, rt_getitem...) directly. */
#define RT_OPERATOR_FUNCS(X)                                                                        \
    X(add) X(sub) X(mul) X(truediv) X(floordiv) X(mod) X(pow) X(matmul) X(lshift) X(rshift)         \
    X(and_) X(or_) X(xor) X(concat)                                                                 \
    X(iadd) X(isub) X(imul) X(itruediv) X(ifloordiv) X(imod) X(ipow) X(imatmul) X(ilshift)          \
    X(irshift) X(iand) X(ior) X(ixor) X(iconcat)                                                    \
    X(neg) X(pos) X(abs) X(inv) X(invert) X(not_) X(truth) X(index)                                 \
    X(eq) X(ne) X(lt) X(le) X(gt) X(ge) X(is_) X(is_not)                                            \
    X(contains) X(countOf) X(indexOf) X(getitem) X(setitem) X(delitem) X(length_hint) X(call)
#define RT_DECLARE_OPERATOR(name) \
    RtValue *rt_operator_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RT_OPERATOR_FUNCS(RT_DECLARE_OPERATOR)
#undef RT_DECLARE_OPERATOR

/* itemgetter(*items), attrgetter(*attrs) (dotted names too) and
 * methodcaller(name, /, *args, **kwargs): callables of one argument, with
 * CPython's reprs ("operator.itemgetter(1)"); serializable. */
extern RtType rt_operator_itemgetter, rt_operator_attrgetter, rt_operator_methodcaller;

/* ==== string (stringmod.c) ====================================================== */

/* The constants, each an immortal str (a new reference that needs no
 * decref), in the order of string.py. */
#define RT_STRING_CONSTS(X)                                                                         \
    X(ascii_lowercase) X(ascii_uppercase) X(ascii_letters) X(digits) X(hexdigits) X(octdigits)      \
    X(punctuation) X(whitespace) X(printable)
#define RT_DECLARE_STRING_CONST(name) RtValue *rt_string_##name(void);
RT_STRING_CONSTS(RT_DECLARE_STRING_CONST)
#undef RT_DECLARE_STRING_CONST
/* The constant named `name` ("digits"), or NULL (no exception) for another name. */
RtValue *rt_string_const(const char *name);
/* capwords(s, sep=None) */
RtValue *rt_string_capwords(RtValue *, RtValue *const *, size_t, RtValue *);

/* ==== typing (stringmod.c) ======================================================
 * Annotations are hints mp2c never evaluates; these are the few typing
 * functions scripts call at run time. cast(typ, v) and the decorators
 * (overload, final, ...) return their argument; TypeVar("T") returns the
 * name; NewType(name, tp) returns tp itself, so UserId(5) is 5 as in CPython. */
RtValue *rt_typing_cast(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_typing_identity(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_typing_TypeVar(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_typing_NewType(RtValue *, RtValue *const *, size_t, RtValue *);

/* ==== signal (signalmod.c) ======================================================
 * signal(signalnum, handler) with SIG_IGN, SIG_DFL or a Python function (run
 * at the program's next safe point, see mp2c.h), getsignal, alarm, pause,
 * strsignal, and Signals(n) for a number's name. */
RtValue *rt_signal_signal(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_signal_getsignal(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_signal_alarm(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_signal_pause(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_signal_strsignal(RtValue *, RtValue *const *, size_t, RtValue *);
extern const int rt_signal_nsig;   /* signal.NSIG */
/* signal.valid_signals(): the numbers sigfillset(3) holds (1..64 but glibc's 32 and 33), as ints. */
RtValue *rt_signal_valid_signals(RtValue *, RtValue *const *, size_t, RtValue *);
extern RtType rt_signal_Signals;

/* ==== heapq and queue's thread queues (heapq.c) ====================================
 * heappush/heappop/heapify/heapreplace/heappushpop with CPython's sift
 * order; nlargest/nsmallest. queue.Queue, LifoQueue, PriorityQueue and
 * SimpleQueue for a single thread (see heapq.c on waiting). */
RtValue *rt_heapq_heappush(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_heapq_heappop(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_heapq_heapify(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_heapq_heapreplace(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_heapq_heappushpop(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_heapq_nlargest(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_heapq_nsmallest(RtValue *, RtValue *const *, size_t, RtValue *);
/* heapq.merge(*iterables, key=None, reverse=False): a lazy iterator (a "generator"). */
RtValue *rt_heapq_merge(RtValue *, RtValue *const *, size_t, RtValue *);
extern RtType rt_queue_Queue, rt_queue_LifoQueue, rt_queue_PriorityQueue, rt_queue_SimpleQueue;

/* ==== traceback (traceback.c) ======================================================
 * print_exc, format_exc, print_exception, format_exception and
 * format_exception_only, all through exc.c's formatter. */
RtValue *rt_traceback_print_exc(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_traceback_format_exc(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_traceback_print_exception(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_traceback_format_exception(RtValue *, RtValue *const *, size_t, RtValue *);
RtValue *rt_traceback_format_exception_only(RtValue *, RtValue *const *, size_t, RtValue *);

#endif

/* mp2c_manager.h: multiprocessing.Manager() — a server process that owns
 * shared objects (dict, list, Namespace, ...) and proxies that reach them.
 * Part of mp2c.h; include that instead.
 *
 * CPython's model, on POSIX:
 *   Manager()              socket(2) AF_UNIX SOCK_SEQPACKET bound to a fresh
 *                          abstract address (nothing in the file system to
 *                          clean up) + listen(2), then Process.start: fork(2)
 *                          of the server process "SyncManager-N", a
 *                          multiprocessing.context.ForkProcess child like any
 *                          other (active_children() lists it)
 *   m.dict(), m.list(), ...  one request: the server builds the object (its
 *                          referent) and answers with its id; the caller gets
 *                          a proxy (DictProxy, ListProxy, ...)
 *   proxy operations       each process connects once (connect(2)), lazily,
 *                          and again after a fork; then one sendmsg(2) request
 *                          and one recvmsg(2) reply per operation. Arguments
 *                          and results travel through the serializer, so a
 *                          result is a copy: d['lst'].append(1) changes a
 *                          copy, `l = d['lst']; l.append(1); d['lst'] = l`
 *                          changes the shared dict. An exception raised by
 *                          the referent is raised again in the caller, with
 *                          its type and arguments.
 *   the server             a single-threaded poll(2) loop over the listening
 *                          socket and one connection per client process. A
 *                          blocking call (Lock.acquire, Event.wait,
 *                          Queue.get, Barrier.wait, ...) parks the request
 *                          and is answered when it can go on or its timeout
 *                          passes (the loop's poll timeout is the nearest
 *                          deadline), so one blocked client never stops the
 *                          others. No thread and no fork per request.
 *   m.shutdown(), `with`   a shutdown request; the server closes its sockets
 *   exit, garbage          and exits, and the caller reaps it (waitpid(2)
 *   collection             through Process.join; SIGTERM, then SIGKILL, if it
 *                          does not stop within a second, as CPython).
 *
 * Every shared object of a manager lives in its server, including the locks,
 * events, conditions, barriers and queues made by m.Lock(), m.Queue(), ...:
 * like CPython's proxies, and unlike multiprocessing.Lock(), their proxies
 * can be passed to Pool workers and through Queues and Pipes (a proxy
 * travels as the server's address, the object's id and its type).
 *
 * Proxy lifetime: the server counts one reference per proxy made by a
 * manager method; the proxy gives it back when it is released in the
 * process that made it, unless the proxy was serialized or a child was
 * forked since (a copy may still be in use elsewhere: the object then lives
 * until shutdown). A proxy stored inside another shared object (nested
 * proxies) keeps its referent alive while stored.
 *
 * Known differences from CPython (XXX):
 *   - iterating a DictProxy, ListProxy or ArrayProxy takes one snapshot of
 *     the keys or items (one request); CPython asks the server for each item,
 *     so it sees changes made during the loop;
 *   - m.Pool(), register()'s proxytype= and method_to_typeid=, address=/
 *     authkey= and connect() to a remote manager are not provided (the
 *     translator says so);
 *   - the server is always started as a ForkProcess, also under the spawn
 *     start method (CPython spawns it); proxies reach spawned children;
 *   - str() of an RLock proxy names its owner by connection number where
 *     CPython shows a thread id.
 */
#ifndef MP2C_MANAGER_H
#define MP2C_MANAGER_H

/* ---- the manager -------------------------------------------------------------
 * multiprocessing.Manager() -> a started SyncManager (new reference):
 * socket + bind + listen, then fork(2) of the server through Process.start. */
RtValue *rt_mp_Manager(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
/* multiprocessing.managers.SyncManager: calling the type makes an unstarted
 * manager (SyncManager(address=None, authkey=None, serializer='pickle',
 * ctx=None, *, shutdown_timeout=1.0); the address and authkey are ignored),
 * start() starts it. `with` starts it if needed and shuts it down at the end. */
extern RtType rt_mp_SyncManager;
/* multiprocessing.managers.BaseManager, SyncManager's base; scripts subclass
 * it and register their own types:
 *   Cls.register(typeid, callable=None, proxytype=None, exposed=None,
 *                method_to_typeid=None, create_method=True)
 *                          a class method: records (typeid, callable,
 *                          exposed) in Cls's registry (a copy of the nearest
 *                          base's, made at Cls's first register, as CPython's
 *                          _registry). proxytype and method_to_typeid must be
 *                          None (NotImplementedError otherwise).
 *   m.<typeid>(*args, **kw)  one create request: the server (a fork, so it has
 *                          the script's classes and the registry) calls
 *                          callable(*args, **kw), or takes args[0] when the
 *                          callable is None, and answers with the object's id
 *                          and its exposed methods (exposed=, or CPython's
 *                          public_methods: the callable attributes not
 *                          starting with '_'); the caller gets an
 *                          AutoProxy[<typeid>] (its own type per typeid).
 *   proxy.<name>(*args, **kw)  for a name in exposed: one request naming the
 *                          method; the result is a copy, an exception raised
 *                          there is raised again here. Other attributes raise
 *                          AttributeError, as on CPython's AutoProxy. */
extern RtType rt_mp_BaseManager;
/* The template of the AutoProxy[<typeid>] types (serialized as this type). */
extern RtType rt_mp_AutoProxy;
RtValue *rt_mp_BaseManager_cm_register(RtValue *cls, RtValue *const *args, size_t nargs, RtValue *kwnames);

/* Stops the server of every manager this process started and still runs:
 * a shutdown request, then waitpid(2) (SIGTERM/SIGKILL after a second).
 * Call it at the end of a process, before rt_mp_at_exit joins the children
 * (the server is one of them and only stops when asked). Keeps a pending
 * exception as it was. */
void rt_mp_manager_shutdown_all(void);

/* The manager's methods: each sends one create request and returns a new
 * proxy (new reference). Arguments as CPython's: dict(*args, **kw) as dict(),
 * list(seq=()), Namespace(**kw), Value(typecode, value, lock=True),
 * Array(typecode, sequence, lock=True) (an array.array in the server), Lock(),
 * RLock(), Semaphore(value=1), BoundedSemaphore(value=1), Event(),
 * Condition(lock=None) (lock: a Lock or RLock proxy of the same manager),
 * Barrier(parties, action=None, timeout=None), Queue(maxsize=0),
 * JoinableQueue(maxsize=0). An error while building the object raises
 * multiprocessing.managers.RemoteError holding the server's traceback text,
 * as CPython does. */
#define RT_MP_MANAGER_METHODS(X)                                                               \
    X(dict) X(list) X(Namespace) X(Value) X(Array) X(Lock) X(RLock) X(Semaphore)               \
    X(BoundedSemaphore) X(Event) X(Condition) X(Barrier) X(Queue) X(JoinableQueue)            \
    X(start) X(shutdown) X(join) X(__enter__) X(__exit__)
#define RT_DECLARE_MGR_METHOD(m) \
    RtValue *rt_mp_SyncManager_m_##m(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RT_MP_MANAGER_METHODS(RT_DECLARE_MGR_METHOD)
#undef RT_DECLARE_MGR_METHOD

/* ---- proxies (multiprocessing.managers) ----------------------------------------
 * repr: "<DictProxy object, typeid 'dict' at 0x...>"; str: the referent's
 * repr, computed in the server ("{'a': 1}", "Namespace(a=1, b='x')",
 * "Value('i', 5)", "array('i', [1, 2])"). Equality is identity, as CPython's.
 *
 *   DictProxy          d[k], d[k] = v, del d[k], k in d, len, iteration,
 *                      get, keys/values/items (lists), update, pop, popitem,
 *                      setdefault, clear, copy (a plain dict); dict(d) works
 *                      through keys() and d[k]
 *   ListProxy          l[i], slices, l[i] = v, del l[i], len, in, iteration,
 *                      append, extend, insert, pop, remove, index, count,
 *                      sort, reverse, l + x and l * n (plain lists),
 *                      l += x and l *= n (in the server)
 *   NamespaceProxy     attributes, kept in the server (names starting with
 *                      '_' stay on the proxy, as CPython's)
 *   ValueProxy         .value, get(), set(v)
 *   ArrayProxy         a[i], a[i] = v, slices, len, iteration
 *   AcquirerProxy      Lock, RLock, Semaphore, BoundedSemaphore:
 *                      acquire(blocking=True, timeout=None), release(), with
 *   ConditionProxy     acquire, release, wait(timeout), wait_for(predicate,
 *                      timeout) (the loop runs in the caller, as CPython's),
 *                      notify(n=1), notify_all, with
 *   EventProxy         is_set, set, clear, wait(timeout=None)
 *   BarrierProxy       wait(timeout=None), abort, reset, parties, n_waiting, broken
 *   AutoProxy[Queue], AutoProxy[JoinableQueue]   queue.Queue's methods: put,
 *                      get, put_nowait, get_nowait, qsize, empty, full,
 *                      task_done, join (queue.Empty / queue.Full)
 * Every proxy also has _callmethod(name, args=(), kwds={}) and _getvalue()
 * (a copy of the referent). After shutdown a proxy raises what CPython's
 * raises: BrokenPipeError once this process had talked to the server,
 * FileNotFoundError ("[Errno 2] No such file or directory") otherwise. */
extern RtType rt_mp_DictProxy, rt_mp_ListProxy, rt_mp_NamespaceProxy, rt_mp_ValueProxy,
    rt_mp_ArrayProxy, rt_mp_AcquirerProxy, rt_mp_ConditionProxy, rt_mp_EventProxy,
    rt_mp_BarrierProxy, rt_mp_AutoProxy_Queue, rt_mp_AutoProxy_JoinableQueue;

/* The proxies' methods, X(type, method) naming RtNativeFn rt_mp_<type>_m_<method>
 * (each also in its type's methods table; BaseProxy's are in every proxy's).
 * Each is one request, except wait_for (a loop of wait requests) and
 * __iadd__/__imul__ (which return the proxy). */
#define RT_MP_PROXY_METHODS(X)                                                                 \
    X(BaseProxy, _callmethod) X(BaseProxy, _getvalue)                                          \
    X(DictProxy, __getitem__) X(DictProxy, __setitem__) X(DictProxy, __delitem__)              \
    X(DictProxy, __len__) X(DictProxy, __contains__) X(DictProxy, clear) X(DictProxy, copy)    \
    X(DictProxy, get) X(DictProxy, items) X(DictProxy, keys) X(DictProxy, pop)                 \
    X(DictProxy, popitem) X(DictProxy, setdefault) X(DictProxy, update) X(DictProxy, values)   \
    X(ListProxy, __getitem__) X(ListProxy, __setitem__) X(ListProxy, __delitem__)              \
    X(ListProxy, __len__) X(ListProxy, __contains__) X(ListProxy, __add__) X(ListProxy, __mul__) \
    X(ListProxy, __rmul__) X(ListProxy, __iadd__) X(ListProxy, __imul__) X(ListProxy, append)  \
    X(ListProxy, count) X(ListProxy, extend) X(ListProxy, index) X(ListProxy, insert)          \
    X(ListProxy, pop) X(ListProxy, remove) X(ListProxy, reverse) X(ListProxy, sort)            \
    X(ValueProxy, get) X(ValueProxy, set)                                                      \
    X(ArrayProxy, __getitem__) X(ArrayProxy, __setitem__) X(ArrayProxy, __len__)               \
    X(AcquirerProxy, acquire) X(AcquirerProxy, release) X(AcquirerProxy, __enter__)            \
    X(AcquirerProxy, __exit__) X(ConditionProxy, wait) X(ConditionProxy, wait_for)             \
    X(ConditionProxy, notify) X(ConditionProxy, notify_all)                                    \
    X(EventProxy, is_set) X(EventProxy, set) X(EventProxy, clear) X(EventProxy, wait)          \
    X(BarrierProxy, wait) X(BarrierProxy, abort) X(BarrierProxy, reset)                        \
    X(AutoProxy_Queue, put) X(AutoProxy_Queue, get) X(AutoProxy_Queue, put_nowait)             \
    X(AutoProxy_Queue, get_nowait) X(AutoProxy_Queue, qsize) X(AutoProxy_Queue, empty)         \
    X(AutoProxy_Queue, full) X(AutoProxy_Queue, task_done) X(AutoProxy_Queue, join)            \
    X(managers_Value, get) X(managers_Value, set)
#define RT_DECLARE_PROXY_METHOD(t, m) \
    RtValue *rt_mp_##t##_m_##m(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);
RT_MP_PROXY_METHODS(RT_DECLARE_PROXY_METHOD)
#undef RT_DECLARE_PROXY_METHOD
/* array.array.tolist() */
RtValue *rt_array_array_m_tolist(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames);

/* The referent types the server builds and _getvalue() returns:
 * multiprocessing.managers.Namespace (Namespace(**kw); repr
 * "Namespace(a=1, b='x')", attributes sorted), multiprocessing.managers.Value
 * (Value(typecode, value, lock=True): a plain holder, no C type behind it;
 * .value, get(), set()), and array.array (typecodes b B h H i I l L q Q f d,
 * with the array module's range checks and messages). */
extern RtType rt_mp_Namespace, rt_mp_managers_Value, rt_array_array;

/* ---- internal: shared by manager.c and manager_server.c (not for generated code) ---- */

/* The shared object kinds: X(C name, typeid string, proxy type). The index
 * travels in requests and with serialized proxies. */
#define RT_MGR_TYPEIDS(X)                                   \
    X(DICT, "dict", rt_mp_DictProxy)                        \
    X(LIST, "list", rt_mp_ListProxy)                        \
    X(NAMESPACE, "Namespace", rt_mp_NamespaceProxy)         \
    X(VALUE, "Value", rt_mp_ValueProxy)                     \
    X(ARRAY, "Array", rt_mp_ArrayProxy)                     \
    X(LOCK, "Lock", rt_mp_AcquirerProxy)                    \
    X(RLOCK, "RLock", rt_mp_AcquirerProxy)                  \
    X(SEMAPHORE, "Semaphore", rt_mp_AcquirerProxy)          \
    X(BSEMAPHORE, "BoundedSemaphore", rt_mp_AcquirerProxy)  \
    X(CONDITION, "Condition", rt_mp_ConditionProxy)         \
    X(EVENT, "Event", rt_mp_EventProxy)                     \
    X(BARRIER, "Barrier", rt_mp_BarrierProxy)               \
    X(QUEUE, "Queue", rt_mp_AutoProxy_Queue)                \
    X(JQUEUE, "JoinableQueue", rt_mp_AutoProxy_JoinableQueue)
#define RT_MGR_TYPEID_ENUM(c, s, p) RT_MGR_##c,
enum { RT_MGR_TYPEIDS(RT_MGR_TYPEID_ENUM) RT_MGR_NTYPEIDS };
/* A typeid registered by the script: its name travels as a string. */
enum { RT_MGR_CUSTOM = RT_MGR_NTYPEIDS };
#undef RT_MGR_TYPEID_ENUM

/* The methods a request may name: X(C name, Python name). ITER asks for a
 * snapshot (a list of the keys or items); GETVALUE for the referent itself;
 * GETSLICE/SETSLICE/DELSLICE are x[a:b:c] with the slice sent as its three
 * fields (the serializer has no slice type). */
#define RT_MGR_METHOD_LIST(X)                                                                  \
    X(GETITEM, "__getitem__") X(SETITEM, "__setitem__") X(DELITEM, "__delitem__")              \
    X(LEN, "__len__") X(CONTAINS, "__contains__") X(REPR, "__repr__") X(ITER, "__iter__")      \
    X(ADD, "__add__") X(MUL, "__mul__") X(RMUL, "__rmul__") X(IMUL, "__imul__")                \
    X(GETATTRIBUTE, "__getattribute__") X(SETATTR, "__setattr__") X(DELATTR, "__delattr__")    \
    X(GETVALUE, "#GETVALUE") X(GETSLICE, "#GETSLICE") X(SETSLICE, "#SETSLICE")                 \
    X(DELSLICE, "#DELSLICE")                                                                   \
    X(CLEAR, "clear") X(COPY, "copy") X(GET, "get") X(ITEMS, "items") X(KEYS, "keys")          \
    X(POP, "pop") X(POPITEM, "popitem") X(SETDEFAULT, "setdefault") X(UPDATE, "update")        \
    X(VALUES, "values") X(APPEND, "append") X(COUNT, "count") X(EXTEND, "extend")              \
    X(INDEX, "index") X(INSERT, "insert") X(REMOVE, "remove") X(REVERSE, "reverse")            \
    X(SORT, "sort") X(SET, "set") X(ACQUIRE, "acquire") X(RELEASE, "release") X(WAIT, "wait") \
    X(NOTIFY, "notify") X(NOTIFY_ALL, "notify_all") X(IS_SET, "is_set") X(ABORT, "abort")     \
    X(RESET, "reset") X(PUT, "put") X(PUT_NOWAIT, "put_nowait") X(GET_NOWAIT, "get_nowait")    \
    X(QSIZE, "qsize") X(EMPTY, "empty") X(FULL, "full") X(TASK_DONE, "task_done") X(JOIN, "join")
#define RT_MGR_METHOD_ENUM(c, s) RT_MGR_M_##c,
enum { RT_MGR_METHOD_LIST(RT_MGR_METHOD_ENUM) RT_MGR_NMETHODS };
#undef RT_MGR_METHOD_ENUM
extern const char *const rt__mgr_method_names[RT_MGR_NMETHODS];
extern const char *const rt__mgr_typeid_names[RT_MGR_NTYPEIDS];
/* Does a proxy of this typeid expose the method (CPython's _exposed_)? */
bool rt__mgr_exposed(int typeid, int method);

/* Request operations (the first byte of a request). */
enum { RT_MGR_OP_CALL = 1, RT_MGR_OP_CREATE, RT_MGR_OP_DECREF, RT_MGR_OP_SHUTDOWN,
       /* registered typeids: the typeid and the method travel by name */
       RT_MGR_OP_CREATE_NAMED, RT_MGR_OP_CALL_NAMED };
/* Reply status (the first byte of a reply): the serialized result or exception follows. */
enum { RT_MGR_OK = 0, RT_MGR_ERROR = 1 };

/* One message over a SOCK_SEQPACKET connection: sendmsg(2) of records of
 * at most 64 KiB, each led by a byte saying whether more follow (EINTR
 * retried, MSG_NOSIGNAL). 0, or -1 with OSError. */
int rt__mgr_send(int fd, const RtBuf *msg) RT_MUST_CHECK;
/* recvmsg(2) of one whole message into buf (reset first). 0; 1 at end of
 * file before any record; -1 with OSError (EOFError for a message cut short). */
int rt__mgr_recv(int fd, RtBuf *buf) RT_MUST_CHECK;

/* The server (manager_server.c): serves on the listening socket lfd until a
 * shutdown request, then closes everything. Runs in the forked server
 * process (prctl PR_SET_PDEATHSIG: it dies with `parent`, the manager's
 * process); initializer(*initargs) runs first when initializer is not NULL.
 * 0, or -1 with an exception when the loop cannot run. */
int rt__mgr_serve(int lfd, const char *addr, size_t addrlen, pid_t parent, RtValue *initializer,
                  RtValue *initargs, RtType *mtype) RT_MUST_CHECK;
/* The registration of typeid for manager type mtype (along its bases):
 * borrowed callable (may be None) and exposed (a tuple of str, or None);
 * false when typeid is not registered. */
bool rt__mgr_registry_get(RtType *mtype, const char *typeid, RtValue **callable, RtValue **exposed);
/* In the server process of addr? (proxies loaded there call their referent directly) */
bool rt__mgr_is_local(const char *addr, size_t addrlen);
/* For proxies inside the server: call a method of object `id` without a
 * round trip (new reference or NULL); count and drop references to it. */
RtValue *rt__mgr_local_call(uint64_t id, int method, RtValue *const *args, size_t nargs,
                            RtValue *kwnames);
RtValue *rt__mgr_local_call_named(uint64_t id, RtValue *name, RtValue *const *args, size_t nargs,
                                  RtValue *kwnames);
int      rt__mgr_local_incref(uint64_t id) RT_MUST_CHECK;
void     rt__mgr_local_decref(uint64_t id);
/* A new proxy of typeid for object id of the manager at addr, as ser_load
 * makes one (in the server it is a local proxy holding a reference). */
RtValue *rt__mgr_proxy_new(int typeid, uint64_t id, const char *addr, size_t addrlen);
/* The id of the referent behind a proxy of this manager, or 0 when obj is not
 * a proxy of the server at addr (Condition(lock) in the server). */
uint64_t rt__mgr_proxy_local_id(RtValue *obj);

#endif

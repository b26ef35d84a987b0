/* manager.c: multiprocessing.Manager() on the client side — the SyncManager
 * object, the connections to its server, and the proxies.
 *
 * Key idea: a proxy is only (server address, object id, typeid). Each process
 * keeps one connection per server address (MgrClient), opened on first use
 * and opened again in a forked child, which must not share its parent's
 * socket: requests and replies of two processes would interleave. A request
 * is one SOCK_SEQPACKET message (op, id, method, serialized arguments); the
 * reply is one message (status, serialized result or exception). Because
 * values are serialized both ways, every result is a copy, which is the rule
 * Python's documentation teaches: a nested object mutated in place must be
 * assigned back through the proxy.
 *
 * The server itself (manager_server.c) runs in a ForkProcess child named
 * SyncManager-N, started through proc.c like any Process, so the process
 * counter, active_children() and the exit-time join behave as in CPython.
 */
#include "mp2c.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ==== tables shared with the server ============================================ */

#define METHOD_NAME(c, s) s,
const char *const rt__mgr_method_names[RT_MGR_NMETHODS] = { RT_MGR_METHOD_LIST(METHOD_NAME) };
#undef METHOD_NAME
#define TYPEID_NAME(c, s, p) s,
const char *const rt__mgr_typeid_names[RT_MGR_NTYPEIDS] = { RT_MGR_TYPEIDS(TYPEID_NAME) };
#undef TYPEID_NAME
#define TYPEID_PROXY(c, s, p) &p,
static RtType *const proxy_types[RT_MGR_NTYPEIDS] = { RT_MGR_TYPEIDS(TYPEID_PROXY) };
#undef TYPEID_PROXY

#define BIT(m) (UINT64_C(1) << RT_MGR_M_##m)
#define COMMON (BIT(REPR) | BIT(GETVALUE))
/* CPython's _exposed_ lists (managers.py), plus ITER for our snapshots. */
static const uint64_t exposed[RT_MGR_NTYPEIDS] = {
    [RT_MGR_DICT] = COMMON | BIT(CONTAINS) | BIT(DELITEM) | BIT(GETITEM) | BIT(ITER) | BIT(LEN) |
                    BIT(SETITEM) | BIT(CLEAR) | BIT(COPY) | BIT(GET) | BIT(ITEMS) | BIT(KEYS) |
                    BIT(POP) | BIT(POPITEM) | BIT(SETDEFAULT) | BIT(UPDATE) | BIT(VALUES),
    [RT_MGR_LIST] = COMMON | BIT(ADD) | BIT(CONTAINS) | BIT(DELITEM) | BIT(GETITEM) | BIT(ITER) |
                    BIT(LEN) | BIT(MUL) | BIT(RMUL) | BIT(SETITEM) | BIT(APPEND) | BIT(COUNT) |
                    BIT(EXTEND) | BIT(INDEX) | BIT(INSERT) | BIT(POP) | BIT(REMOVE) |
                    BIT(REVERSE) | BIT(SORT) | BIT(IMUL),
    [RT_MGR_NAMESPACE] = COMMON | BIT(GETATTRIBUTE) | BIT(SETATTR) | BIT(DELATTR),
    [RT_MGR_VALUE] = COMMON | BIT(GET) | BIT(SET),
    [RT_MGR_ARRAY] = COMMON | BIT(LEN) | BIT(GETITEM) | BIT(SETITEM) | BIT(ITER),
    [RT_MGR_LOCK] = COMMON | BIT(ACQUIRE) | BIT(RELEASE),
    [RT_MGR_RLOCK] = COMMON | BIT(ACQUIRE) | BIT(RELEASE),
    [RT_MGR_SEMAPHORE] = COMMON | BIT(ACQUIRE) | BIT(RELEASE),
    [RT_MGR_BSEMAPHORE] = COMMON | BIT(ACQUIRE) | BIT(RELEASE),
    [RT_MGR_CONDITION] = COMMON | BIT(ACQUIRE) | BIT(RELEASE) | BIT(WAIT) | BIT(NOTIFY) | BIT(NOTIFY_ALL),
    [RT_MGR_EVENT] = COMMON | BIT(IS_SET) | BIT(SET) | BIT(CLEAR) | BIT(WAIT),
    [RT_MGR_BARRIER] = COMMON | BIT(GETATTRIBUTE) | BIT(WAIT) | BIT(ABORT) | BIT(RESET),
    [RT_MGR_QUEUE] = COMMON | BIT(EMPTY) | BIT(FULL) | BIT(GET) | BIT(GET_NOWAIT) | BIT(JOIN) |
                     BIT(PUT) | BIT(PUT_NOWAIT) | BIT(QSIZE) | BIT(TASK_DONE),
    [RT_MGR_JQUEUE] = COMMON | BIT(EMPTY) | BIT(FULL) | BIT(GET) | BIT(GET_NOWAIT) | BIT(JOIN) |
                      BIT(PUT) | BIT(PUT_NOWAIT) | BIT(QSIZE) | BIT(TASK_DONE),
};
#undef COMMON
#undef BIT

bool rt__mgr_exposed(int typeid, int method) {
    if (method == RT_MGR_M_GETSLICE) method = RT_MGR_M_GETITEM;
    if (method == RT_MGR_M_SETSLICE) method = RT_MGR_M_SETITEM;
    if (method == RT_MGR_M_DELSLICE) method = RT_MGR_M_DELITEM;
    return typeid >= 0 && typeid < RT_MGR_NTYPEIDS && method >= 0 && method < RT_MGR_NMETHODS &&
           (exposed[typeid] >> method & 1);
}

/* ==== messages: records of a SOCK_SEQPACKET connection ============================ */

#define FRAG_MAX 65536   /* payload bytes per record: far below the socket buffer */

int rt__mgr_send(int fd, const RtBuf *msg) {
    size_t off = 0;
    do {
        size_t n = msg->len - off < FRAG_MAX ? msg->len - off : FRAG_MAX;
        unsigned char more = off + n < msg->len;
        struct iovec iov[2] = { { &more, 1 }, { msg->data + off, n } };
        struct msghdr mh = { .msg_iov = iov, .msg_iovlen = n ? 2 : 1 };
        ssize_t w;
        do w = sendmsg(fd, &mh, MSG_NOSIGNAL);
        while (w < 0 && errno == EINTR);
        if (w < 0) { rt_raise_errno(errno, NULL); return -1; }
        off += n;
    } while (off < msg->len);
    return 0;
}

int rt__mgr_recv(int fd, RtBuf *buf) {
    rt_buf_reset(buf);
    for (bool first = true;; first = false) {
        if (rt_buf_reserve(buf, FRAG_MAX) < 0) return -1;
        unsigned char more = 0;
        struct iovec iov[2] = { { &more, 1 }, { buf->data + buf->len, FRAG_MAX } };
        struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
        ssize_t r;
        do r = recvmsg(fd, &mh, 0);
        while (r < 0 && errno == EINTR);
        if (r < 0) { rt_raise_errno(errno, NULL); return -1; }
        if (r == 0) {
            if (first) return 1;
            rt_raise(&rt_exc_EOFError, "");
            return -1;
        }
        if (mh.msg_flags & MSG_TRUNC) {
            rt_raise(&rt_exc_OSError, "manager message record too long");
            return -1;
        }
        buf->len += (size_t)r - 1;
        if (!more) return 0;
    }
}

/* ==== connections: one per server address per process ================================ */

typedef struct MgrClient {
    struct MgrClient *next;
    long              refs;        /* proxies and managers of this process image using it */
    int               fd;          /* the connection, or -1 */
    pid_t             pid;         /* the process that opened fd */
    bool              proxy_used;  /* a proxy (not only the manager) talked through fd */
    size_t            addrlen;
    char              addr[sizeof(((struct sockaddr_un *)0)->sun_path)];
} MgrClient;

static MgrClient *g_clients;

/* getpid(2) once per process: a pthread_atfork child handler forgets it. */
static pid_t g_pid;
static pthread_once_t g_pid_once = PTHREAD_ONCE_INIT;
static void pid_forget(void) { g_pid = 0; }
static void pid_setup(void) { pthread_atfork(NULL, NULL, pid_forget); }
static pid_t self_pid(void) {
    if (RT_UNLIKELY(g_pid == 0)) {
        pthread_once(&g_pid_once, pid_setup);
        g_pid = getpid();
    }
    return g_pid;
}

/* Finds or makes the record for addr, with one more reference. NULL + MemoryError. */
static MgrClient *client_get(const char *addr, size_t addrlen) {
    for (MgrClient *c = g_clients; c; c = c->next)
        if (c->addrlen == addrlen && memcmp(c->addr, addr, addrlen) == 0) {
            c->refs++;
            return c;
        }
    if (addrlen > sizeof g_clients->addr) {
        rt_raise(&rt_exc_ValueError, "manager address too long");
        return NULL;
    }
    MgrClient *c = rt_calloc(1, sizeof *c);
    if (!c) return NULL;
    c->refs = 1;
    c->fd = -1;
    c->addrlen = addrlen;
    memcpy(c->addr, addr, addrlen);
    c->next = g_clients;
    g_clients = c;
    return c;
}

/* Drops a reference; the last one closes the connection (close(2)). */
static void client_put(MgrClient *c) {
    if (--c->refs > 0) return;
    for (MgrClient **pp = &g_clients; *pp; pp = &(*pp)->next)
        if (*pp == c) { *pp = c->next; break; }
    if (c->fd >= 0) close(c->fd);   /* an inherited copy closes only ours */
    rt_free(c);
}

/* socket(2) + connect(2) to the server. A server that is gone reads as
 * CPython's missing socket file: FileNotFoundError. */
static int client_connect(MgrClient *c) {
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) { rt_raise_errno(errno, NULL); return -1; }
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    memcpy(sa.sun_path, c->addr, c->addrlen);
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + c->addrlen);
    int r;
    do r = connect(fd, (struct sockaddr *)&sa, len);
    while (r < 0 && errno == EINTR);
    if (r < 0 && errno != EISCONN) {
        int e = errno == ECONNREFUSED ? ENOENT : errno;
        close(fd);
        rt_raise_errno(e, NULL);
        return -1;
    }
    c->fd = fd;
    c->pid = self_pid();
    return fd;
}

/* This process's connection, made on first use; a child forked since the
 * connection was made drops its inherited copy and connects anew. */
static int client_fd(MgrClient *c) {
    pid_t self = self_pid();
    if (c->fd >= 0 && c->pid == self) return c->fd;
    if (c->fd >= 0) { close(c->fd); c->fd = -1; c->proxy_used = false; }
    return client_connect(c);
}

/* ==== requests ============================================================================= */

/* Reply buffers are reused; a nested request (none is expected) gets its own. */
static RtBuf g_reply;
static bool g_reply_busy;

/* Reads one reply: the result (new reference), or NULL with the referent's
 * exception (or the transport's) pending. */
static RtValue *parse_reply(RtBuf *rep) {
    unsigned st;
    if (rt_buf_get_u8(rep, &st) < 0) return NULL;
    RtValue *v = rt_ser_load(rep);
    if (!v || st == RT_MGR_OK) return v;
    if (v->type->tag == RT_T_EXC) {
        rt_exc_restore(v);
        return NULL;
    }
    rt_decref(v);
    return rt_raise(&rt_exc_RemoteError, "malformed reply from the manager");
}

/* send(2) req, recv(2) the reply. */
static RtValue *transact(MgrClient *c, const RtBuf *req, bool from_proxy) {
    int fd = client_fd(c);
    if (fd < 0) return NULL;
    if (from_proxy) c->proxy_used = true;
    if (rt__mgr_send(fd, req) < 0) return NULL;
    RtBuf local = RT_BUF_INIT, *rep = g_reply_busy ? &local : &g_reply;
    bool mine = rep == &g_reply;
    if (mine) g_reply_busy = true;
    RtValue *v = NULL;
    int r = rt__mgr_recv(fd, rep);
    if (r == 1) rt_raise(&rt_exc_EOFError, "");   /* the server went away */
    else if (r == 0) v = parse_reply(rep);
    if (mine) {
        g_reply_busy = false;
        if (rep->cap > 1 << 20) rt_buf_free(rep);   /* keep the usual small buffer only */
    } else rt_buf_free(&local);
    return v;
}

/* The arguments of a call: one tuple (positional values, then keyword
 * values), then the keyword names (a tuple) or None. */
static int put_args(RtBuf *b, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    size_t nkw = kwnames ? RT_TUPLE_LEN(kwnames) : 0;
    RtValue *t = rt_tuple_from_array(args, nargs + nkw);
    if (!t) return -1;
    int rc = rt_ser_dump(b, t);
    rt_decref(t);
    if (rc == 0) rc = rt_ser_dump(b, nkw ? kwnames : rt_None);
    return rc;
}

static RtValue *request_create(MgrClient *c, int typeid, RtValue *const *args, size_t nargs,
                               RtValue *kwnames) {
    RtBuf req = RT_BUF_INIT;
    RtValue *r = NULL;
    if (rt_buf_put_u8(&req, RT_MGR_OP_CREATE) == 0 && rt_buf_put_u8(&req, (unsigned)typeid) == 0 &&
        put_args(&req, args, nargs, kwnames) == 0)
        r = transact(c, &req, false);
    rt_buf_free(&req);
    return r;
}

/* A one-way message: the server does not answer a decref. Errors are
 * dropped (this runs from dealloc), and a process that never connected
 * does not connect just for this. */
static void send_decref(MgrClient *c, uint64_t id) {
    if (c->fd < 0 || c->pid != self_pid()) return;
    unsigned char bytes[16];
    RtBuf req = { bytes, 0, sizeof bytes, 0 };
    RtValue *saved = rt_exc_fetch();
    if (rt_buf_put_u8(&req, RT_MGR_OP_DECREF) == 0 && rt_buf_put_uleb(&req, id) == 0 &&
        rt__mgr_send(c->fd, &req) < 0)
        rt_decref(rt_exc_fetch());
    if (saved) rt_exc_restore(saved);
}

/* ==== proxies ================================================================================ */

enum { REF_NONE, REF_OWNED, REF_LOCAL };

typedef struct RtMgrProxy {
    RtValue    ob;
    RtValue   *dict;        /* the proxy's own attributes (NamespaceProxy's '_' names) */
    MgrClient *client;      /* owned reference */
    RtValue   *manager;     /* the manager that made it (kept alive), or NULL */
    uint64_t   id;          /* the referent's id in the server */
    int        typeid;
    int        ref;         /* REF_OWNED: give the server's reference back on release */
    pid_t      owner;       /* the process that holds the reference */
    uint64_t   fork_gen;    /* forks made by owner when the reference was taken */
    RtValue   *custom;      /* RT_MGR_CUSTOM: (typeid name, exposed tuple) */
} RtMgrProxy;

#define PX(o) ((RtMgrProxy *)(o))

/* Forks made by this process, counted by a pthread_atfork parent handler: an
 * owned proxy forked into a child since it was made keeps its reference. */
static uint64_t g_fork_gen;
static pthread_once_t g_atfork_once = PTHREAD_ONCE_INIT;
static void atfork_parent(void) { g_fork_gen++; }
static void atfork_setup(void) { pthread_atfork(NULL, atfork_parent, NULL); }

static RtType *autoproxy_type(RtValue *typeid);

/* custom: (typeid name, exposed) for RT_MGR_CUSTOM (a new reference is taken). */
static RtValue *proxy_alloc(int typeid, uint64_t id, MgrClient *c, RtValue *custom) {
    RtType *t = typeid == RT_MGR_CUSTOM ? autoproxy_type(RT_TUPLE_GET(custom, 0)) : proxy_types[typeid];
    RtValue *o = t ? rt_obj_alloc(t, sizeof(RtMgrProxy)) : NULL;
    if (!o) { client_put(c); return NULL; }
    PX(o)->client = c;
    PX(o)->id = id;
    PX(o)->typeid = typeid;
    if (custom) PX(o)->custom = rt_newref(custom);
    return o;
}

static RtValue *proxy_new(int typeid, RtValue *custom, uint64_t id, const char *addr, size_t addrlen);

RtValue *rt__mgr_proxy_new(int typeid, uint64_t id, const char *addr, size_t addrlen) {
    if (typeid < 0 || typeid >= RT_MGR_NTYPEIDS)
        return rt_raise(&rt_exc_ValueError, "serialized data is malformed (proxy typeid)");
    return proxy_new(typeid, NULL, id, addr, addrlen);
}

static RtValue *proxy_new(int typeid, RtValue *custom, uint64_t id, const char *addr, size_t addrlen) {
    MgrClient *c = client_get(addr, addrlen);
    if (!c) return NULL;
    RtValue *o = proxy_alloc(typeid, id, c, custom);
    if (o && rt__mgr_is_local(addr, addrlen)) {
        if (rt__mgr_local_incref(id) < 0) { rt_decref(o); return NULL; }
        PX(o)->ref = REF_LOCAL;
    }
    return o;
}

uint64_t rt__mgr_proxy_local_id(RtValue *obj) {
    for (int i = 0; i < RT_MGR_NTYPEIDS; i++)
        if (obj->type == proxy_types[i]) return PX(obj)->ref == REF_LOCAL ? PX(obj)->id : 0;
    return 0;
}

static void proxy_dealloc(RtValue *o) {
    RtMgrProxy *p = PX(o);
    if (p->ref == REF_LOCAL) rt__mgr_local_decref(p->id);
    else if (p->ref == REF_OWNED && p->owner == self_pid() && p->fork_gen == g_fork_gen)
        send_decref(p->client, p->id);
    RT_CLEAR(p->dict);
    RT_CLEAR(p->manager);
    RT_CLEAR(p->custom);
    if (p->client) client_put(p->client);
}

/* The typeid as CPython's token shows it. */
static const char *proxy_typeid(RtValue *self) {
    RtMgrProxy *p = PX(self);
    return p->custom ? rt_str_data(RT_TUPLE_GET(p->custom, 0)) : rt__mgr_typeid_names[p->typeid];
}

/* BaseProxy.__repr__: "<DictProxy object, typeid 'dict' at 0x7f...>" */
static RtValue *proxy_repr(RtValue *self) {
    const char *tid = proxy_typeid(self);
    size_t n = strlen(self->type->name) + strlen(tid) + 64;
    char *buf = rt_malloc(n);
    if (!buf) return NULL;
    snprintf(buf, n, "<%s object, typeid '%s' at %p>", self->type->name, tid, (void *)self);
    RtValue *r = rt_str_from_cstr(buf);
    rt_free(buf);
    return r;
}

static int proxy_hash(RtValue *self, int64_t *out) {
    *out = (int64_t)((uintptr_t)self >> 4);
    return 0;
}

/* A call of a registered type's method, by name. */
static RtValue *pcall_named(RtValue *self, RtValue *name, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtMgrProxy *p = PX(self);
    if (p->ref == REF_LOCAL) return rt__mgr_local_call_named(p->id, name, args, nargs, kwnames);
    RtBuf req = RT_BUF_INIT;
    RtValue *r = NULL;
    if (rt_buf_put_u8(&req, RT_MGR_OP_CALL_NAMED) == 0 && rt_buf_put_uleb(&req, p->id) == 0 &&
        rt_ser_dump(&req, name) == 0 && put_args(&req, args, nargs, kwnames) == 0)
        r = transact(p->client, &req, true);
    rt_buf_free(&req);
    return r;
}

/* One request naming a method of the referent; the server checks the
 * arguments. Proxies inside the server call their referent directly. */
static RtValue *pcall(RtValue *self, int method, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtMgrProxy *p = PX(self);
    if (p->custom) {   /* __repr__, #GETVALUE: the same names, sent as text */
        RtValue *name = rt_str_from_cstr(rt__mgr_method_names[method]);
        RtValue *r = name ? pcall_named(self, name, args, nargs, kwnames) : NULL;
        rt_xdecref(name);
        return r;
    }
    RtValue *sliced[4];
    if ((method == RT_MGR_M_GETITEM || method == RT_MGR_M_SETITEM || method == RT_MGR_M_DELITEM) &&
        nargs >= 1 && nargs <= 2 && !kwnames && rt_is_slice(args[0])) {
        RtSlice *sl = (RtSlice *)args[0];
        sliced[0] = sl->start;
        sliced[1] = sl->stop;
        sliced[2] = sl->step;
        if (nargs == 2) sliced[3] = args[1];
        method = method == RT_MGR_M_GETITEM ? RT_MGR_M_GETSLICE
               : method == RT_MGR_M_SETITEM ? RT_MGR_M_SETSLICE : RT_MGR_M_DELSLICE;
        args = sliced;
        nargs += 2;
    }
    if (p->ref == REF_LOCAL) return rt__mgr_local_call(p->id, method, args, nargs, kwnames);
    RtBuf req = RT_BUF_INIT;
    RtValue *r = NULL;
    if (rt_buf_put_u8(&req, RT_MGR_OP_CALL) == 0 && rt_buf_put_uleb(&req, p->id) == 0 &&
        rt_buf_put_u8(&req, (unsigned)method) == 0 && put_args(&req, args, nargs, kwnames) == 0)
        r = transact(p->client, &req, true);
    rt_buf_free(&req);
    return r;
}

static RtValue *pcall0(RtValue *self, int method) { return pcall(self, method, NULL, 0, NULL); }

/* A proxy method that takes no arguments (a Python method: "EventProxy.set()
 * takes 1 positional argument but 2 were given"), then one request. */
static RtValue *pcall_noargs(RtValue *self, const char *fname, int method, RtValue *const *args,
                             size_t nargs, RtValue *kw) {
    const RtArgSpec sp = { fname, NULL, 0, 0, 0, false, true };
    if (rt__shared_bind(&sp, args, nargs, kw, NULL) < 0) return NULL;
    return pcall0(self, method);
}

/* A call whose result is not used. 0 or -1. */
static int pcall_void(RtValue *self, int method, RtValue *const *args, size_t nargs) {
    RtValue *r = pcall(self, method, args, nargs, NULL);
    if (!r) return -1;
    rt_decref(r);
    return 0;
}

/* BaseProxy.__str__: the referent's repr. */
static RtValue *proxy_str(RtValue *self) { return pcall0(self, RT_MGR_M_REPR); }

/* A proxy travels as its typeid, the object's id and the server's address.
 * Once sent, the reference it held stays with the server until shutdown:
 * the receiver may use it after this process has let go of its proxy. */
static int proxy_ser_dump(RtValue *self, RtBuf *buf) {
    RtMgrProxy *p = PX(self);
    if (p->ref == REF_OWNED) p->ref = REF_NONE;
    if (rt_buf_put_u8(buf, (unsigned)p->typeid) < 0 || rt_buf_put_uleb(buf, p->id) < 0 ||
        rt_buf_put_uleb(buf, p->client->addrlen) < 0 ||
        rt_buf_put_bytes(buf, p->client->addr, p->client->addrlen) < 0)
        return -1;
    return p->custom ? rt_ser_dump(buf, p->custom) : 0;
}

static RtValue *proxy_ser_load(RtType *type, RtBuf *buf) {
    unsigned typeid;
    uint64_t id, n;
    const unsigned char *addr;
    if (rt_buf_get_u8(buf, &typeid) < 0 || rt_buf_get_uleb(buf, &id) < 0 ||
        rt_buf_get_uleb(buf, &n) < 0 || rt_buf_get_bytes(buf, n, &addr) < 0)
        return NULL;
    if (typeid == RT_MGR_CUSTOM && type == &rt_mp_AutoProxy) {
        RtValue *custom = rt_ser_load(buf);
        if (!custom) return NULL;
        RtValue *o = NULL;
        if (!rt_is_tuple(custom) || RT_TUPLE_LEN(custom) != 2 || !rt_is_str(RT_TUPLE_GET(custom, 0)) ||
            !rt_is_tuple(RT_TUPLE_GET(custom, 1)))
            rt_raise(&rt_exc_ValueError, "serialized data is malformed (proxy)");
        else o = proxy_new(RT_MGR_CUSTOM, custom, id, (const char *)addr, n);
        rt_decref(custom);
        return o;
    }
    if (typeid >= RT_MGR_NTYPEIDS || proxy_types[typeid] != type)
        return rt_raise(&rt_exc_ValueError, "serialized data is malformed (proxy)");
    return rt__mgr_proxy_new((int)typeid, id, (const char *)addr, n);
}

/* ---- the generic slots ---- */

static RtValue *proxy_getitem(RtValue *self, RtValue *key) {
    return pcall(self, RT_MGR_M_GETITEM, &key, 1, NULL);
}

static int proxy_setitem(RtValue *self, RtValue *key, RtValue *v) {
    RtValue *args[2] = { key, v };
    return v ? pcall_void(self, RT_MGR_M_SETITEM, args, 2) : pcall_void(self, RT_MGR_M_DELITEM, args, 1);
}

static int64_t proxy_len(RtValue *self) {
    RtValue *r = pcall0(self, RT_MGR_M_LEN);
    int64_t n = -1;
    if (r && rt_int_as_i64(r, &n) < 0) n = -1;
    rt_xdecref(r);
    return n;
}

static int proxy_contains(RtValue *self, RtValue *item) {
    RtValue *r = pcall(self, RT_MGR_M_CONTAINS, &item, 1, NULL);
    if (!r) return -1;
    int t = rt_truthy(r);
    rt_decref(r);
    return t;
}

/* Iteration runs over a snapshot of the keys (dict) or the items. */
static RtValue *proxy_iter(RtValue *self) {
    RtValue *l = pcall0(self, RT_MGR_M_ITER);
    if (!l) return NULL;
    RtValue *it = rt_iter(l);
    rt_decref(l);
    return it;
}

/* ListProxy: l + x, l * n, n * l (plain lists from the server). */
static RtValue *list_binop(RtValue *a, RtValue *b, RtBinOp op) {
    if (a->type == &rt_mp_ListProxy) {
        if (op == RT_ADD) return pcall(a, RT_MGR_M_ADD, &b, 1, NULL);
        if (op == RT_MUL) return pcall(a, RT_MGR_M_MUL, &b, 1, NULL);
    } else if (op == RT_MUL) {
        return pcall(b, RT_MGR_M_RMUL, &a, 1, NULL);
    }
    return rt_NotImplemented;
}

/* l += x is extend(x) in the server, l *= n is __imul__ there; both give l. */
static RtValue *list_inplace(RtValue *a, RtValue *b, RtBinOp op) {
    if (op != RT_ADD && op != RT_MUL) return rt_NotImplemented;
    if (pcall_void(a, op == RT_ADD ? RT_MGR_M_EXTEND : RT_MGR_M_IMUL, &b, 1) < 0) return NULL;
    return rt_newref(a);
}

/* ---- methods every proxy has ---- */

/* _callmethod(methodname, args=(), kwds={}) */
RtValue *rt_mp_BaseProxy_m__callmethod(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const kw[] = { "methodname", "args", "kwds" };
    static const RtArgSpec sp = { "BaseProxy._callmethod", kw, 3, 3, 1, false, true };
    RtValue *a[3];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return NULL;
    if (!rt_is_str(a[0])) return rt_raise(&rt_exc_TypeError, "method name must be a string");
    int m = 0;
    while (m < RT_MGR_NMETHODS && strcmp(rt__mgr_method_names[m], rt_str_data(a[0])) != 0) m++;
    if (PX(self)->custom) m = -1;   /* the server checks a registered type's names */
    else if (!rt__mgr_exposed(PX(self)->typeid, m))
        return rt_raise_fmt(&rt_exc_AttributeError, "method %R of '%U' object is not in exposed",
                            a[0], rt__mgr_typeid_names[PX(self)->typeid]);
    RtValue *pos = a[1] ? rt_tuple_from_iter(a[1]) : rt_tuple_empty();
    if (!pos) return NULL;
    RtValue *r = NULL, *names = NULL, **all = NULL;
    size_t np = RT_TUPLE_LEN(pos), nk = 0;
    if (a[2] && a[2] != rt_None) {
        if (!rt_is_dict_like(a[2])) {
            rt_decref(pos);
            return rt_raise(&rt_exc_TypeError, "kwds must be a dict");
        }
        nk = rt_dict_len(a[2]);
    }
    all = rt_malloc((np + nk + 1) * sizeof *all);
    names = nk ? rt_tuple_new(nk) : NULL;
    if (all && (!nk || names)) {
        memcpy(all, ((RtTuple *)pos)->items, np * sizeof *all);
        size_t pos_i = 0, k = 0;
        RtValue *key, *val;
        while (nk && rt_dict_next(a[2], &pos_i, &key, &val)) {
            RT_TUPLE_SET(names, k, rt_newref(key));
            all[np + k++] = val;
        }
        r = m < 0 ? pcall_named(self, a[0], all, np, names) : pcall(self, m, all, np, names);
    }
    rt_free(all);
    rt_xdecref(names);
    rt_decref(pos);
    return r;
}

/* _getvalue(): a copy of the referent. */
RtValue *rt_mp_BaseProxy_m__getvalue(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    return pcall_noargs(self, "BaseProxy._getvalue", RT_MGR_M_GETVALUE, args, nargs, kwnames);
}

/* The methods that only forward: name(*args, **kwds) -> _callmethod(name, args, kwds). */
#define FORWARD(T, name, M)                                                                     \
    RtValue *rt_mp_##T##_m_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) { \
        return pcall(self, RT_MGR_M_##M, args, nargs, kw);                                        \
    }

/* ---- DictProxy ---- */
FORWARD(DictProxy, __getitem__, GETITEM)
FORWARD(DictProxy, __setitem__, SETITEM)
FORWARD(DictProxy, __delitem__, DELITEM)
FORWARD(DictProxy, __len__, LEN)
FORWARD(DictProxy, __contains__, CONTAINS)
FORWARD(DictProxy, clear, CLEAR)
FORWARD(DictProxy, copy, COPY)
FORWARD(DictProxy, get, GET)
FORWARD(DictProxy, items, ITEMS)
FORWARD(DictProxy, keys, KEYS)
FORWARD(DictProxy, pop, POP)
FORWARD(DictProxy, popitem, POPITEM)
FORWARD(DictProxy, setdefault, SETDEFAULT)
FORWARD(DictProxy, update, UPDATE)
FORWARD(DictProxy, values, VALUES)

#define COMMON_METHODS \
    { "_callmethod", rt_mp_BaseProxy_m__callmethod }, { "_getvalue", rt_mp_BaseProxy_m__getvalue }

static const RtMethodDef dict_proxy_methods[] = {
    { "__getitem__", rt_mp_DictProxy_m___getitem__ }, { "__setitem__", rt_mp_DictProxy_m___setitem__ },
    { "__delitem__", rt_mp_DictProxy_m___delitem__ }, { "__len__", rt_mp_DictProxy_m___len__ },
    { "__contains__", rt_mp_DictProxy_m___contains__ }, { "clear", rt_mp_DictProxy_m_clear },
    { "copy", rt_mp_DictProxy_m_copy }, { "get", rt_mp_DictProxy_m_get },
    { "items", rt_mp_DictProxy_m_items }, { "keys", rt_mp_DictProxy_m_keys },
    { "pop", rt_mp_DictProxy_m_pop }, { "popitem", rt_mp_DictProxy_m_popitem },
    { "setdefault", rt_mp_DictProxy_m_setdefault }, { "update", rt_mp_DictProxy_m_update },
    { "values", rt_mp_DictProxy_m_values }, COMMON_METHODS, { NULL, NULL },
};

/* ---- ListProxy ---- */
FORWARD(ListProxy, __getitem__, GETITEM)
FORWARD(ListProxy, __setitem__, SETITEM)
FORWARD(ListProxy, __delitem__, DELITEM)
FORWARD(ListProxy, __len__, LEN)
FORWARD(ListProxy, __contains__, CONTAINS)
FORWARD(ListProxy, __add__, ADD)
FORWARD(ListProxy, __mul__, MUL)
FORWARD(ListProxy, __rmul__, RMUL)
FORWARD(ListProxy, append, APPEND)
FORWARD(ListProxy, count, COUNT)
FORWARD(ListProxy, extend, EXTEND)
FORWARD(ListProxy, index, INDEX)
FORWARD(ListProxy, insert, INSERT)
FORWARD(ListProxy, pop, POP)
FORWARD(ListProxy, remove, REMOVE)
FORWARD(ListProxy, reverse, REVERSE)
FORWARD(ListProxy, sort, SORT)

/* ListProxy.__iadd__(value): extend, then self. */
RtValue *rt_mp_ListProxy_m___iadd__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("__iadd__", nargs, kw, 1, 1) < 0) return NULL;
    return list_inplace(self, args[0], RT_ADD);
}

RtValue *rt_mp_ListProxy_m___imul__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    if (rt_check_args("__imul__", nargs, kw, 1, 1) < 0) return NULL;
    return list_inplace(self, args[0], RT_MUL);
}

static const RtMethodDef list_proxy_methods[] = {
    { "__getitem__", rt_mp_ListProxy_m___getitem__ }, { "__setitem__", rt_mp_ListProxy_m___setitem__ },
    { "__delitem__", rt_mp_ListProxy_m___delitem__ }, { "__len__", rt_mp_ListProxy_m___len__ },
    { "__contains__", rt_mp_ListProxy_m___contains__ }, { "__add__", rt_mp_ListProxy_m___add__ },
    { "__mul__", rt_mp_ListProxy_m___mul__ }, { "__rmul__", rt_mp_ListProxy_m___rmul__ },
    { "__iadd__", rt_mp_ListProxy_m___iadd__ }, { "__imul__", rt_mp_ListProxy_m___imul__ },
    { "append", rt_mp_ListProxy_m_append }, { "count", rt_mp_ListProxy_m_count },
    { "extend", rt_mp_ListProxy_m_extend }, { "index", rt_mp_ListProxy_m_index },
    { "insert", rt_mp_ListProxy_m_insert }, { "pop", rt_mp_ListProxy_m_pop },
    { "remove", rt_mp_ListProxy_m_remove }, { "reverse", rt_mp_ListProxy_m_reverse },
    { "sort", rt_mp_ListProxy_m_sort }, COMMON_METHODS, { NULL, NULL },
};

/* ---- NamespaceProxy: public attributes live in the server ---- */

static RtValue *attr_name(const char *name) { return rt_str_from_cstr(name); }

static RtValue *ns_getattr(RtValue *self, const char *name) {
    if (name[0] == '_') return NULL;   /* the proxy's own: AttributeError from the caller */
    RtValue *key = attr_name(name);
    if (!key) return NULL;
    RtValue *r = pcall(self, RT_MGR_M_GETATTRIBUTE, &key, 1, NULL);
    rt_decref(key);
    return r;
}

static int ns_setattr(RtValue *self, const char *name, RtValue *v) {
    if (name[0] == '_') return rt_obj_dict_setattr(self, name, v);
    RtValue *args[2] = { attr_name(name), v };
    if (!args[0]) return -1;
    int rc = v ? pcall_void(self, RT_MGR_M_SETATTR, args, 2) : pcall_void(self, RT_MGR_M_DELATTR, args, 1);
    rt_decref(args[0]);
    return rc;
}

static const RtMethodDef namespace_proxy_methods[] = { COMMON_METHODS, { NULL, NULL } };

/* ---- ValueProxy ---- */
FORWARD(ValueProxy, get, GET)
FORWARD(ValueProxy, set, SET)

static RtValue *value_get(RtValue *self) { return pcall0(self, RT_MGR_M_GET); }

static int value_set(RtValue *self, RtValue *v) {
    if (!v) {
        rt_raise(&rt_exc_AttributeError, "can't delete attribute");
        return -1;
    }
    return pcall_void(self, RT_MGR_M_SET, &v, 1);
}

static const RtMethodDef value_proxy_methods[] = {
    { "get", rt_mp_ValueProxy_m_get }, { "set", rt_mp_ValueProxy_m_set }, COMMON_METHODS, { NULL, NULL },
};
static const RtGetSetDef value_proxy_getset[] = { { "value", value_get, value_set }, { NULL, NULL, NULL } };

/* ---- ArrayProxy ---- */
FORWARD(ArrayProxy, __getitem__, GETITEM)
FORWARD(ArrayProxy, __setitem__, SETITEM)
FORWARD(ArrayProxy, __len__, LEN)

static int array_setitem(RtValue *self, RtValue *key, RtValue *v) {
    if (!v) {   /* a class with __setitem__ and no __delitem__, as CPython's ArrayProxy */
        rt_raise(&rt_exc_AttributeError, "__delitem__");
        return -1;
    }
    return proxy_setitem(self, key, v);
}

static const RtMethodDef array_proxy_methods[] = {
    { "__getitem__", rt_mp_ArrayProxy_m___getitem__ }, { "__setitem__", rt_mp_ArrayProxy_m___setitem__ },
    { "__len__", rt_mp_ArrayProxy_m___len__ }, COMMON_METHODS, { NULL, NULL },
};

/* ---- AcquirerProxy (Lock, RLock, Semaphore, BoundedSemaphore) and ConditionProxy ---- */

/* acquire(blocking=True, timeout=None): (blocking,) or (blocking, timeout). */
RtValue *rt_mp_AcquirerProxy_m_acquire(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "blocking", "timeout" };
    static const RtArgSpec sp = { "AcquirerProxy.acquire", names, 2, 2, 0, false, true };
    RtValue *a[2];
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    RtValue *send[2] = { a[0] ? a[0] : rt_True, a[1] };
    return pcall(self, RT_MGR_M_ACQUIRE, send, a[1] && a[1] != rt_None ? 2 : 1, NULL);
}

RtValue *rt_mp_AcquirerProxy_m_release(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_noargs(self, "AcquirerProxy.release", RT_MGR_M_RELEASE, args, nargs, kw);
}

RtValue *rt_mp_AcquirerProxy_m___enter__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_noargs(self, "AcquirerProxy.__enter__", RT_MGR_M_ACQUIRE, args, nargs, kw);
}

RtValue *rt_mp_AcquirerProxy_m___exit__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args; (void)nargs; (void)kw;
    return pcall0(self, RT_MGR_M_RELEASE);
}

static const RtMethodDef acquirer_proxy_methods[] = {
    { "__enter__", rt_mp_AcquirerProxy_m___enter__ }, { "__exit__", rt_mp_AcquirerProxy_m___exit__ },
    { "acquire", rt_mp_AcquirerProxy_m_acquire }, { "release", rt_mp_AcquirerProxy_m_release },
    COMMON_METHODS, { NULL, NULL },
};

/* A method taking one optional argument that is always sent:
 * wait(timeout=None) -> (timeout,), notify(n=1) -> (n,). */
static RtValue *one_opt(RtValue *self, const char *fname, const char *pname, RtValue *dflt, int method,
                        RtValue *const *args, size_t nargs, RtValue *kw) {
    const char *const names[] = { pname };
    const RtArgSpec sp = { fname, names, 1, 1, 0, false, true };
    RtValue *a[1];
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    RtValue *v = a[0] ? a[0] : dflt;
    return pcall(self, method, &v, 1, NULL);
}

RtValue *rt_mp_ConditionProxy_m_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return one_opt(self, "ConditionProxy.wait", "timeout", rt_None, RT_MGR_M_WAIT, args, nargs, kw);
}

RtValue *rt_mp_ConditionProxy_m_notify(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return one_opt(self, "ConditionProxy.notify", "n", rt_True, RT_MGR_M_NOTIFY, args, nargs, kw);
}

RtValue *rt_mp_ConditionProxy_m_notify_all(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_noargs(self, "ConditionProxy.notify_all", RT_MGR_M_NOTIFY_ALL, args, nargs, kw);
}

/* ConditionProxy.wait_for(predicate, timeout=None): CPython runs this loop in
 * the caller, calling wait() with the time left until predicate() is true. */
RtValue *rt_mp_ConditionProxy_m_wait_for(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "predicate", "timeout" };
    static const RtArgSpec sp = { "ConditionProxy.wait_for", names, 2, 2, 1, false, true };
    RtValue *a[2];
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    double endtime = 0, timeout;
    bool timed = a[1] && a[1] != rt_None;
    if (timed) {
        if (rt_as_double(a[1], &timeout) < 0) return NULL;
        endtime = rt_time_monotonic_f64() + timeout;
    }
    RtValue *result = rt_call(a[0], NULL, 0, NULL);
    for (;;) {
        if (!result) return NULL;
        int t = rt_truthy(result);
        if (t != 0) {
            if (t < 0) RT_CLEAR(result);
            return result;
        }
        RtValue *wt = rt_newref(rt_None);
        if (timed) {
            double left = endtime - rt_time_monotonic_f64();
            if (left <= 0) { rt_decref(wt); return result; }
            RT_SETREF(wt, rt_float(left));
            if (!wt) { rt_decref(result); return NULL; }
        }
        RtValue *r = pcall(self, RT_MGR_M_WAIT, &wt, 1, NULL);
        rt_decref(wt);
        rt_decref(result);
        if (!r) return NULL;
        rt_decref(r);
        result = rt_call(a[0], NULL, 0, NULL);
    }
}

static const RtMethodDef condition_proxy_methods[] = {
    { "__enter__", rt_mp_AcquirerProxy_m___enter__ }, { "__exit__", rt_mp_AcquirerProxy_m___exit__ },
    { "acquire", rt_mp_AcquirerProxy_m_acquire }, { "release", rt_mp_AcquirerProxy_m_release },
    { "wait", rt_mp_ConditionProxy_m_wait }, { "wait_for", rt_mp_ConditionProxy_m_wait_for },
    { "notify", rt_mp_ConditionProxy_m_notify }, { "notify_all", rt_mp_ConditionProxy_m_notify_all },
    COMMON_METHODS, { NULL, NULL },
};

/* ---- EventProxy ---- */
RtValue *rt_mp_EventProxy_m_is_set(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_noargs(self, "EventProxy.is_set", RT_MGR_M_IS_SET, args, nargs, kw);
}

RtValue *rt_mp_EventProxy_m_set(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_noargs(self, "EventProxy.set", RT_MGR_M_SET, args, nargs, kw);
}

RtValue *rt_mp_EventProxy_m_clear(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_noargs(self, "EventProxy.clear", RT_MGR_M_CLEAR, args, nargs, kw);
}

RtValue *rt_mp_EventProxy_m_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return one_opt(self, "EventProxy.wait", "timeout", rt_None, RT_MGR_M_WAIT, args, nargs, kw);
}

static const RtMethodDef event_proxy_methods[] = {
    { "is_set", rt_mp_EventProxy_m_is_set }, { "set", rt_mp_EventProxy_m_set },
    { "clear", rt_mp_EventProxy_m_clear }, { "wait", rt_mp_EventProxy_m_wait },
    COMMON_METHODS, { NULL, NULL },
};

/* ---- BarrierProxy ---- */
RtValue *rt_mp_BarrierProxy_m_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return one_opt(self, "BarrierProxy.wait", "timeout", rt_None, RT_MGR_M_WAIT, args, nargs, kw);
}

RtValue *rt_mp_BarrierProxy_m_abort(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_noargs(self, "BarrierProxy.abort", RT_MGR_M_ABORT, args, nargs, kw);
}

RtValue *rt_mp_BarrierProxy_m_reset(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_noargs(self, "BarrierProxy.reset", RT_MGR_M_RESET, args, nargs, kw);
}

static RtValue *barrier_attr(RtValue *self, const char *name) {
    RtValue *key = attr_name(name);
    if (!key) return NULL;
    RtValue *r = pcall(self, RT_MGR_M_GETATTRIBUTE, &key, 1, NULL);
    rt_decref(key);
    return r;
}
static RtValue *barrier_parties(RtValue *self) { return barrier_attr(self, "parties"); }
static RtValue *barrier_n_waiting(RtValue *self) { return barrier_attr(self, "n_waiting"); }
static RtValue *barrier_broken(RtValue *self) { return barrier_attr(self, "broken"); }

static const RtMethodDef barrier_proxy_methods[] = {
    { "wait", rt_mp_BarrierProxy_m_wait }, { "abort", rt_mp_BarrierProxy_m_abort },
    { "reset", rt_mp_BarrierProxy_m_reset }, COMMON_METHODS, { NULL, NULL },
};
static const RtGetSetDef barrier_proxy_getset[] = {
    { "parties", barrier_parties, NULL }, { "n_waiting", barrier_n_waiting, NULL },
    { "broken", barrier_broken, NULL }, { NULL, NULL, NULL },
};

/* ---- AutoProxy[Queue]: queue.Queue's public methods, arguments passed on ---- */
FORWARD(AutoProxy_Queue, put, PUT)
FORWARD(AutoProxy_Queue, get, GET)
FORWARD(AutoProxy_Queue, put_nowait, PUT_NOWAIT)
FORWARD(AutoProxy_Queue, get_nowait, GET_NOWAIT)
FORWARD(AutoProxy_Queue, qsize, QSIZE)
FORWARD(AutoProxy_Queue, empty, EMPTY)
FORWARD(AutoProxy_Queue, full, FULL)
FORWARD(AutoProxy_Queue, task_done, TASK_DONE)
FORWARD(AutoProxy_Queue, join, JOIN)

static const RtMethodDef queue_proxy_methods[] = {
    { "put", rt_mp_AutoProxy_Queue_m_put }, { "get", rt_mp_AutoProxy_Queue_m_get },
    { "put_nowait", rt_mp_AutoProxy_Queue_m_put_nowait }, { "get_nowait", rt_mp_AutoProxy_Queue_m_get_nowait },
    { "qsize", rt_mp_AutoProxy_Queue_m_qsize }, { "empty", rt_mp_AutoProxy_Queue_m_empty },
    { "full", rt_mp_AutoProxy_Queue_m_full }, { "task_done", rt_mp_AutoProxy_Queue_m_task_done },
    { "join", rt_mp_AutoProxy_Queue_m_join }, COMMON_METHODS, { NULL, NULL },
};

#undef FORWARD

/* ---- AutoProxy[<typeid>]: a registered type's exposed methods ---- */

/* proxy.<name>(*args, **kw): the bound builtin's self is (proxy, name). */
static RtValue *auto_method(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return pcall_named(RT_TUPLE_GET(self, 0), RT_TUPLE_GET(self, 1), args, nargs, kw);
}

/* Only the exposed names are attributes; anything else is the caller's
 * AttributeError, as CPython's AutoProxy has no other attributes. */
static RtValue *auto_getattr(RtValue *self, const char *name) {
    RtValue *exposed = PX(self)->custom ? RT_TUPLE_GET(PX(self)->custom, 1) : NULL;
    for (size_t i = 0; exposed && i < RT_TUPLE_LEN(exposed); i++) {
        RtValue *n = RT_TUPLE_GET(exposed, i);
        if (!rt_is_str(n) || strcmp(rt_str_data(n), name) != 0) continue;
        RtValue *bound = rt_tuple_pack(2, self, n);
        if (!bound) return NULL;
        RtValue *b = rt_builtin_new(rt_str_data(n), auto_method, bound, -1);
        rt_decref(bound);
        return b;
    }
    return NULL;
}

static const RtMethodDef auto_proxy_methods[] = { COMMON_METHODS, { NULL, NULL } };

/* AutoProxy[<typeid>] types, one per typeid, made on first use and kept. */
static struct AutoType { struct AutoType *next; RtType type; } *g_autotypes;

static RtType *autoproxy_type(RtValue *typeid) {
    const char *tid = rt_str_data(typeid);
    for (struct AutoType *a = g_autotypes; a; a = a->next)
        if (strlen(a->type.name) == strlen(tid) + 11 && strncmp(a->type.name + 10, tid, strlen(tid)) == 0)
            return &a->type;   /* "AutoProxy[" + tid + "]" */
    struct AutoType *a = rt_malloc(sizeof *a);
    size_t n = strlen(tid) + 12;
    char *name = a ? rt_malloc(n) : NULL;
    if (!name) { rt_free(a); return NULL; }
    snprintf(name, n, "AutoProxy[%s]", tid);
    a->type = rt_mp_AutoProxy;
    a->type.name = name;
    a->type.base = &rt_mp_AutoProxy;
    a->type.flags |= RT_TF_SER_AS_BASE;
    a->next = g_autotypes;
    g_autotypes = a;
    return &a->type;
}

/* ---- the proxy types ---- */

#define PROXY_TYPE(cname, pyname, ...)                                                         \
    RtType cname = {                                                                           \
        .ob = RT_STATIC_HEAD(&rt_type_type), .name = pyname, .module = "multiprocessing.managers", \
        .tag = RT_T_NATIVE, .base = &rt_type_object, .size = sizeof(RtMgrProxy),               \
        .dict_offset = offsetof(RtMgrProxy, dict), .table_index = -1, .dealloc = proxy_dealloc, \
        .repr = proxy_repr, .str = proxy_str, .hash = proxy_hash, .ser_dump = proxy_ser_dump,  \
        .ser_load = proxy_ser_load, __VA_ARGS__ }

PROXY_TYPE(rt_mp_DictProxy, "DictProxy", .len = proxy_len, .getitem = proxy_getitem,
           .setitem = proxy_setitem, .contains = proxy_contains, .iter = proxy_iter,
           .methods = dict_proxy_methods);
PROXY_TYPE(rt_mp_ListProxy, "ListProxy", .binop = list_binop, .inplace = list_inplace,
           .len = proxy_len, .getitem = proxy_getitem, .setitem = proxy_setitem,
           .contains = proxy_contains, .iter = proxy_iter, .methods = list_proxy_methods);
PROXY_TYPE(rt_mp_NamespaceProxy, "NamespaceProxy", .getattr = ns_getattr, .setattr = ns_setattr,
           .methods = namespace_proxy_methods);
PROXY_TYPE(rt_mp_ValueProxy, "ValueProxy", .methods = value_proxy_methods, .getset = value_proxy_getset);
PROXY_TYPE(rt_mp_ArrayProxy, "ArrayProxy", .len = proxy_len, .getitem = proxy_getitem,
           .setitem = array_setitem, .iter = proxy_iter, .methods = array_proxy_methods);
PROXY_TYPE(rt_mp_AcquirerProxy, "AcquirerProxy", .methods = acquirer_proxy_methods);
PROXY_TYPE(rt_mp_ConditionProxy, "ConditionProxy", .methods = condition_proxy_methods);
PROXY_TYPE(rt_mp_EventProxy, "EventProxy", .methods = event_proxy_methods);
PROXY_TYPE(rt_mp_BarrierProxy, "BarrierProxy", .methods = barrier_proxy_methods,
           .getset = barrier_proxy_getset);
PROXY_TYPE(rt_mp_AutoProxy_Queue, "AutoProxy[Queue]", .methods = queue_proxy_methods);
PROXY_TYPE(rt_mp_AutoProxy_JoinableQueue, "AutoProxy[JoinableQueue]", .methods = queue_proxy_methods);
PROXY_TYPE(rt_mp_AutoProxy, "AutoProxy", .getattr = auto_getattr, .methods = auto_proxy_methods);

/* ==== the manager ================================================================================ */

enum { M_INITIAL, M_STARTED, M_SHUTDOWN };

typedef struct RtManager {
    RtValue    ob;
    RtValue   *dict;          /* a script subclass's instance attributes */
    int        state;
    pid_t      creator;       /* the process that started it: only it shuts it down */
    int        lfd;           /* listening socket, between bind(2) and the fork */
    RtValue   *process;       /* the server's ForkProcess */
    MgrClient *client;
    RtValue   *initializer, *initargs;   /* for the server, while it starts */
    double     shutdown_timeout;
    size_t     addrlen;
    char       addr[sizeof(((struct sockaddr_un *)0)->sun_path)];
} RtManager;

#define MGR(o) ((RtManager *)(o))

/* Started managers of this process image, oldest first (borrowed). */
static RtValue **g_managers;
static size_t g_nmanagers, g_capmanagers;

static int registry_add(RtValue *m) {
    if (g_nmanagers == g_capmanagers) {
        size_t cap = g_capmanagers ? g_capmanagers * 2 : 4;
        RtValue **v = rt_realloc(g_managers, cap * sizeof *v);
        if (!v) return -1;
        g_managers = v;
        g_capmanagers = cap;
    }
    g_managers[g_nmanagers++] = m;
    rt_mp_set_exit_hook(RT_MP_EXIT_MANAGERS, rt_mp_manager_shutdown_all);
    return 0;
}

static void registry_remove(RtValue *m) {
    for (size_t i = 0; i < g_nmanagers; i++)
        if (g_managers[i] == m) {
            memmove(&g_managers[i], &g_managers[i + 1], (g_nmanagers - i - 1) * sizeof *g_managers);
            g_nmanagers--;
            return;
        }
}

/* A fresh abstract address: "\0mp2c-<pid>-<n>-<random>" (the kernel drops
 * it with the last socket, so nothing is left behind). */
static size_t make_address(char *out, size_t cap) {
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    unsigned noise = (unsigned)(ts.tv_nsec ^ (ts.tv_sec << 20)) * 2654435761u;
    out[0] = '\0';
    int n = snprintf(out + 1, cap - 1, "mp2c-%d-%u-%08x", (int)getpid(), ++counter, noise);
    return (size_t)n + 1;
}

/* socket(2) + bind(2) + listen(2). The listening socket, or -1 with OSError. */
static int listen_socket(RtManager *m) {
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) { rt_raise_errno(errno, NULL); return -1; }
    for (int tries = 0;; tries++) {
        m->addrlen = make_address(m->addr, sizeof m->addr);
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        memcpy(sa.sun_path, m->addr, m->addrlen);
        socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + m->addrlen);
        if (bind(fd, (struct sockaddr *)&sa, len) == 0) break;
        if (errno != EADDRINUSE || tries == 8) {
            int e = errno;
            close(fd);
            rt_raise_errno(e, NULL);
            return -1;
        }
    }
    if (listen(fd, SOMAXCONN) < 0) {
        int e = errno;
        close(fd);
        rt_raise_errno(e, NULL);
        return -1;
    }
    return fd;
}

/* The server process's target: BaseManager._run_server. */
static RtValue *run_server(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args; (void)nargs; (void)kw;
    RtManager *m = MGR(self);
    int lfd = m->lfd;
    m->lfd = -1;
    if (rt__mgr_serve(lfd, m->addr, m->addrlen, m->creator, m->initializer, m->initargs, self->type) < 0)
        return NULL;
    return rt_newref(rt_None);
}

/* ForkProcess(target=_run_server), named SyncManager-<identity> as CPython
 * names it ("SyncManager-1", "SyncManager-1:2" in a child). */
static RtValue *make_server_process(RtValue *self) {
    RtValue *target = rt_builtin_new("_run_server", run_server, self, -1);
    RtValue *kwname = rt_str_from_cstr("target");
    RtValue *kw = kwname ? rt_tuple_pack(1, kwname) : NULL;
    RtValue *proc = target && kw ? rt_call((RtValue *)&rt_mp_ForkProcess, &target, 0, kw) : NULL;
    rt_xdecref(target);
    rt_xdecref(kwname);
    rt_xdecref(kw);
    if (!proc) return NULL;
    RtValue *name = rt_getattr(proc, "name");
    const char *dash = name && rt_is_str(name) ? strchr(rt_str_data(name), '-') : NULL;
    RtValue *mine = NULL;
    if (dash) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s%s", self->type->name, dash);
        mine = rt_str_from_cstr(buf);
    }
    rt_xdecref(name);
    if (!mine || rt_setattr(proc, "name", mine) < 0) RT_CLEAR(proc);
    rt_xdecref(mine);
    return proc;
}

/* BaseManager.start(): listen, then fork the server. */
static int manager_start(RtValue *self) {
    RtManager *m = MGR(self);
    int lfd = listen_socket(m);
    if (lfd < 0) return -1;
    MgrClient *c = client_get(m->addr, m->addrlen);
    RtValue *proc = c ? make_server_process(self) : NULL;
    RtValue *r = NULL;
    if (proc) {
        m->lfd = lfd;
        m->creator = getpid();   /* the server checks its parent against it */
        r = rt_mp_Process_m_start(proc, NULL, 0, NULL);
        m->lfd = -1;
    }
    close(lfd);
    RT_CLEAR(m->initializer);
    RT_CLEAR(m->initargs);
    if (!r || registry_add(self) < 0) {
        /* started but not registered: stop it now rather than leak it */
        if (r && proc) rt_xdecref(rt_mp_Process_m_terminate(proc, NULL, 0, NULL));
        rt_xdecref(r);
        rt_xdecref(proc);
        if (c) client_put(c);
        return -1;
    }
    rt_decref(r);
    m->process = proc;
    m->client = c;
    m->state = M_STARTED;
    return 0;
}

/* Process.join(timeout) on the server; errors dropped. */
static void join_server(RtValue *proc, double timeout) {
    RtValue *t = timeout >= 0 ? rt_float(timeout) : rt_newref(rt_None);
    RtValue *r = t ? rt_mp_Process_m_join(proc, &t, 1, NULL) : NULL;
    rt_xdecref(t);
    if (r) rt_decref(r);
    else rt_decref(rt_exc_fetch());
}

static bool server_alive(RtValue *proc) {
    RtValue *r = rt_mp_Process_m_is_alive(proc, NULL, 0, NULL);
    if (!r) { rt_decref(rt_exc_fetch()); return false; }
    bool alive = r == rt_True;
    rt_decref(r);
    return alive;
}

/* BaseManager._finalize_manager: ask the server to stop, then reap it
 * (SIGTERM after shutdown_timeout, SIGKILL after 0.1 s more). Only the
 * process that started the manager does anything. Keeps no exception. */
static void manager_shutdown(RtValue *self) {
    RtManager *m = MGR(self);
    if (m->state != M_STARTED || m->creator != getpid()) return;
    m->state = M_SHUTDOWN;
    registry_remove(self);
    RtValue *saved = rt_exc_fetch();
    unsigned char byte = RT_MGR_OP_SHUTDOWN;
    RtBuf req = { &byte, 1, 1, 0 };
    RtValue *r = transact(m->client, &req, false);
    if (r) rt_decref(r);
    else rt_decref(rt_exc_fetch());
    MgrClient *c = m->client;
    /* CPython's proxies that never talked to the server find its socket file
     * gone; those that did write to a closed connection */
    if (!c->proxy_used && c->fd >= 0 && c->pid == getpid()) { close(c->fd); c->fd = -1; }
    join_server(m->process, m->shutdown_timeout);
    if (server_alive(m->process)) {
        rt_xdecref(rt_mp_Process_m_terminate(m->process, NULL, 0, NULL));
        join_server(m->process, 0.1);
        if (server_alive(m->process)) {
            rt_xdecref(rt_mp_Process_m_kill(m->process, NULL, 0, NULL));
            join_server(m->process, -1);
        }
    }
    if (RT_ERR()) rt_decref(rt_exc_fetch());
    if (saved) rt_exc_restore(saved);
}

void rt_mp_manager_shutdown_all(void) {
    pid_t self = getpid();
    for (size_t i = g_nmanagers; i-- > 0;) {   /* newest first, as CPython's finalizers */
        if (i >= g_nmanagers) continue;
        RtValue *m = g_managers[i];
        if (MGR(m)->creator != self) continue;
        rt_incref(m);
        manager_shutdown(m);
        rt_decref(m);
    }
}

static RtValue *manager_alloc(RtType *type) {
    RtValue *o = rt_obj_alloc(type, type->size);
    if (!o) return NULL;
    MGR(o)->lfd = -1;
    MGR(o)->shutdown_timeout = 1.0;
    return o;
}

/* BaseManager.__init__(address=None, authkey=None, serializer='pickle', ctx=None, *,
 * shutdown_timeout=1.0): only shutdown_timeout matters here (the translator
 * refuses an address, an authkey and a serializer). */
static int manager_init(RtValue *o, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "address", "authkey", "serializer", "ctx", "shutdown_timeout" };
    static const RtArgSpec sp = { "BaseManager.__init__", names, 5, 4, 0, false, true };
    RtValue *a[5];
    if (rt__shared_bind(&sp, args, nargs, kwnames, a) < 0) return -1;
    if (!a[3] || a[3] == rt_None) rt_mp_default_context_use();   /* ctx or get_context() */
    if (a[4] && rt_as_double(a[4], &MGR(o)->shutdown_timeout) < 0) return -1;
    return 0;
}

static RtValue *manager_construct(RtType *type, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    RtValue *o = manager_alloc(type);
    if (o && manager_init(o, args, nargs, kwnames) < 0) RT_CLEAR(o);
    return o;
}

/* __init__ of a script subclass's instance (construct made it blank). */
static RtValue *manager_m___init__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    return manager_init(self, args, nargs, kw) < 0 ? NULL : rt_newref(rt_None);
}

static void manager_dealloc(RtValue *self) {
    manager_shutdown(self);   /* garbage collection stops the server, as CPython's finalizer */
    registry_remove(self);
    RT_CLEAR(MGR(self)->process);
    RT_CLEAR(MGR(self)->initializer);
    RT_CLEAR(MGR(self)->initargs);
    RT_CLEAR(MGR(self)->dict);
    if (MGR(self)->client) client_put(MGR(self)->client);
}

static RtValue *manager_repr(RtValue *self) {
    char buf[256];
    snprintf(buf, sizeof buf, "<%s.%s object at %p>", self->type->module, self->type->name, (void *)self);
    return rt_str_from_cstr(buf);
}

/* CPython refuses to pickle a manager (its authkey). */
static int manager_ser_dump(RtValue *self, RtBuf *buf) {
    (void)self; (void)buf;
    rt_raise(&rt_exc_TypeError, "Pickling an AuthenticationString object is disallowed for security reasons");
    return -1;
}

static RtValue *manager_ser_load(RtType *type, RtBuf *buf) {
    (void)type; (void)buf;
    return rt_raise(&rt_exc_TypeError, "cannot unpickle a manager");
}

/* multiprocessing.Manager(): SyncManager(ctx=...), started. */
RtValue *rt_mp_Manager(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)self; (void)args;
    static const RtArgSpec sp = { "BaseContext.Manager", NULL, 0, 0, 0, false, true };
    if (rt__shared_bind(&sp, args, nargs, kwnames, NULL) < 0) return NULL;
    rt_mp_default_context_use();
    RtValue *m = manager_alloc(&rt_mp_SyncManager);
    if (m && manager_start(m) < 0) RT_CLEAR(m);
    return m;
}

/* ---- the manager's methods ---- */

/* start(initializer=None, initargs=()) */
RtValue *rt_mp_SyncManager_m_start(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "initializer", "initargs" };
    static const RtArgSpec sp = { "BaseManager.start", names, 2, 2, 0, false, true };
    RtValue *a[2];
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    RtManager *m = MGR(self);
    if (m->state == M_STARTED) return rt_raise(&rt_exc_ProcessError, "Already started server");
    if (m->state == M_SHUTDOWN) return rt_raise(&rt_exc_ProcessError, "Manager has shut down");
    if (a[0] && a[0] != rt_None) {
        if (!rt_type_has_attr(a[0]->type, "__call__") && !a[0]->type->call &&
            a[0]->type != &rt_type_function && a[0]->type != &rt_type_builtin && a[0]->type->tag != RT_T_TYPE)
            return rt_raise(&rt_exc_TypeError, "initializer must be a callable");
        m->initializer = rt_newref(a[0]);
        m->initargs = a[1] ? rt_tuple_from_iter(a[1]) : rt_tuple_empty();
        if (!m->initargs) { RT_CLEAR(m->initializer); return NULL; }
    }
    if (manager_start(self) < 0) return NULL;
    return rt_newref(rt_None);
}

RtValue *rt_mp_SyncManager_m_shutdown(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("shutdown", nargs, kw, 0, 0) < 0) return NULL;
    manager_shutdown(self);
    return rt_newref(rt_None);
}

/* join(timeout=None): waits for the server process. */
RtValue *rt_mp_SyncManager_m_join(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "timeout" };
    static const RtArgSpec sp = { "BaseManager.join", names, 1, 1, 0, false, true };
    RtValue *a[1];
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    if (!MGR(self)->process) return rt_newref(rt_None);
    RtValue *t = a[0] ? a[0] : rt_None;
    return rt_mp_Process_m_join(MGR(self)->process, &t, 1, NULL);
}

RtValue *rt_mp_SyncManager_m___enter__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args;
    if (rt_check_args("__enter__", nargs, kw, 0, 0) < 0) return NULL;
    if (MGR(self)->state == M_INITIAL && manager_start(self) < 0) return NULL;
    if (MGR(self)->state != M_STARTED) return rt_raise(&rt_exc_ProcessError, "Unable to start server");
    return rt_newref(self);
}

RtValue *rt_mp_SyncManager_m___exit__(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    (void)args; (void)nargs; (void)kw;
    manager_shutdown(self);
    return rt_newref(rt_None);
}

static RtValue *owned_proxy(RtValue *self, int typeid, uint64_t id, RtValue *custom);

/* One of the registered typeids: a create request, then the proxy. */
static RtValue *create(RtValue *self, int typeid, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtManager *m = MGR(self);
    if (m->state != M_STARTED) return rt_raise(&rt_exc_AssertionError, "server not yet started");
    RtValue *r = request_create(m->client, typeid, args, nargs, kw);
    int64_t id;
    if (!r) return NULL;
    int rc = rt_int_as_i64(r, &id);
    rt_decref(r);
    if (rc < 0) return NULL;
    return owned_proxy(self, typeid, (uint64_t)id, NULL);
}

/* A proxy holding the server's reference to a new object. */
static RtValue *owned_proxy(RtValue *self, int typeid, uint64_t id, RtValue *custom) {
    RtManager *m = MGR(self);
    m->client->refs++;
    RtValue *p = proxy_alloc(typeid, id, m->client, custom);
    if (!p) return NULL;
    pthread_once(&g_atfork_once, atfork_setup);
    PX(p)->ref = REF_OWNED;
    PX(p)->owner = self_pid();
    PX(p)->fork_gen = g_fork_gen;
    PX(p)->manager = rt_newref(self);
    return p;
}

#define CREATE_METHOD(name, TYPEID)                                                             \
    RtValue *rt_mp_SyncManager_m_##name(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) { \
        return create(self, RT_MGR_##TYPEID, args, nargs, kw);                                  \
    }
CREATE_METHOD(dict, DICT)
CREATE_METHOD(list, LIST)
CREATE_METHOD(Namespace, NAMESPACE)
CREATE_METHOD(Value, VALUE)
CREATE_METHOD(Array, ARRAY)
CREATE_METHOD(Lock, LOCK)
CREATE_METHOD(RLock, RLOCK)
CREATE_METHOD(Semaphore, SEMAPHORE)
CREATE_METHOD(BoundedSemaphore, BSEMAPHORE)
CREATE_METHOD(Event, EVENT)
CREATE_METHOD(Condition, CONDITION)
CREATE_METHOD(Barrier, BARRIER)
CREATE_METHOD(Queue, QUEUE)
CREATE_METHOD(JoinableQueue, JQUEUE)
#undef CREATE_METHOD

/* ---- registered typeids (BaseManager.register) ---- */

typedef struct RegEntry {
    RtValue *typeid;          /* str */
    RtValue *callable;        /* None: the create call passes the object itself */
    RtValue *exposed;         /* tuple of str, or None: the object's public methods */
    bool     create_method;
} RegEntry;

/* One registry per class that called register, as CPython's cls._registry
 * (kept for the life of the program). */
typedef struct Registry {
    struct Registry *next;
    RtType          *owner;
    RegEntry        *e;
    size_t           n, cap;
} Registry;

static Registry *g_registries;

static Registry *registry_of(RtType *t) {
    for (Registry *r = g_registries; r; r = r->next)
        if (r->owner == t) return r;
    return NULL;
}

/* The entry for typeid as seen from t: the nearest class with a registry. */
static RegEntry *registry_find(RtType *t, const char *typeid) {
    for (; t; t = t->base) {
        Registry *r = registry_of(t);
        if (!r) continue;
        for (size_t i = 0; i < r->n; i++)
            if (strcmp(rt_str_data(r->e[i].typeid), typeid) == 0) return &r->e[i];
        return NULL;
    }
    return NULL;
}

bool rt__mgr_registry_get(RtType *mtype, const char *typeid, RtValue **callable, RtValue **exposed) {
    RegEntry *e = registry_find(mtype, typeid);
    if (!e) return false;
    *callable = e->callable;
    *exposed = e->exposed;
    return true;
}

static int registry_put(Registry *r, RegEntry e) {   /* steals e's references */
    for (size_t i = 0; i < r->n; i++)
        if (rt_eq(r->e[i].typeid, e.typeid) == 1) {
            rt_decref(r->e[i].typeid);
            rt_decref(r->e[i].callable);
            rt_decref(r->e[i].exposed);
            r->e[i] = e;
            return 0;
        }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        RegEntry *v = rt_realloc(r->e, cap * sizeof *v);
        if (!v) {
            rt_decref(e.typeid); rt_decref(e.callable); rt_decref(e.exposed);
            return -1;
        }
        r->e = v;
        r->cap = cap;
    }
    r->e[r->n++] = e;
    return 0;
}

/* cls's own registry: at its first register, a copy of the nearest base's. */
static Registry *registry_own(RtType *cls) {
    Registry *r = registry_of(cls);
    if (r) return r;
    r = rt_calloc(1, sizeof *r);
    if (!r) return NULL;
    r->owner = cls;
    for (RtType *t = cls->base; t; t = t->base) {
        Registry *b = registry_of(t);
        if (!b) continue;
        for (size_t i = 0; i < b->n; i++) {
            RegEntry e = b->e[i];
            rt_incref(e.typeid); rt_incref(e.callable); rt_incref(e.exposed);
            if (registry_put(r, e) < 0) return NULL;   /* r is leaked: out of memory */
        }
        break;
    }
    r->next = g_registries;
    g_registries = r;
    return r;
}

/* register(typeid, callable=None, proxytype=None, exposed=None,
 *          method_to_typeid=None, create_method=True), a class method. */
RtValue *rt_mp_BaseManager_cm_register(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    static const char *const names[] = { "typeid", "callable", "proxytype", "exposed", "method_to_typeid",
                                         "create_method" };
    static const RtArgSpec sp = { "BaseManager.register", names, 6, 6, 1, false, true };
    RtType *cls = rt_classmethod_target(self, &args, &nargs, &rt_mp_BaseManager);
    RtValue *a[6];
    if (rt__shared_bind(&sp, args, nargs, kw, a) < 0) return NULL;
    if (!rt_is_str(a[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "attribute name must be string, not '%s'", a[0]->type->name);
    if ((a[2] && a[2] != rt_None) || (a[4] && a[4] != rt_None))
        return rt_raise(&rt_exc_NotImplementedError,
                        "mp2c's managers make AutoProxy proxies only (no proxytype= or method_to_typeid=)");
    RtValue *exposed = a[3] && a[3] != rt_None ? rt_tuple_from_iter(a[3]) : rt_newref(rt_None);
    if (!exposed) return NULL;
    for (size_t i = 0; exposed != rt_None && i < RT_TUPLE_LEN(exposed); i++)
        if (!rt_is_str(RT_TUPLE_GET(exposed, i))) {
            rt_decref(exposed);
            return rt_raise(&rt_exc_TypeError, "exposed must hold method names (str)");
        }
    int cm = a[5] ? rt_truthy(a[5]) : 1;
    Registry *r = cm < 0 ? NULL : registry_own(cls);
    if (!r) { rt_decref(exposed); return NULL; }
    RegEntry e = { rt_newref(a[0]), rt_newref(a[1] ? a[1] : rt_None), exposed, cm == 1 };
    if (registry_put(r, e) < 0) return NULL;
    return rt_newref(rt_None);
}

/* m.<typeid>(*args, **kw): the bound builtin's self is (manager, typeid). */
static RtValue *create_registered(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kw) {
    RtValue *mo = RT_TUPLE_GET(self, 0), *typeid = RT_TUPLE_GET(self, 1);
    RtManager *m = MGR(mo);
    if (m->state != M_STARTED) return rt_raise(&rt_exc_AssertionError, "server not yet started");
    RtBuf req = RT_BUF_INIT;
    RtValue *r = NULL;
    if (rt_buf_put_u8(&req, RT_MGR_OP_CREATE_NAMED) == 0 && rt_ser_dump(&req, typeid) == 0 &&
        put_args(&req, args, nargs, kw) == 0)
        r = transact(m->client, &req, false);
    rt_buf_free(&req);
    if (!r) return NULL;
    /* the answer: (id, exposed) */
    int64_t id;
    RtValue *custom = NULL;
    if (!rt_is_tuple(r) || RT_TUPLE_LEN(r) != 2 || rt_int_as_i64(RT_TUPLE_GET(r, 0), &id) < 0 ||
        !rt_is_tuple(RT_TUPLE_GET(r, 1))) {
        if (!RT_ERR()) rt_raise(&rt_exc_RemoteError, "malformed reply from the manager");
    } else custom = rt_tuple_pack(2, typeid, RT_TUPLE_GET(r, 1));
    rt_decref(r);
    if (!custom) return NULL;
    RtValue *p = owned_proxy(mo, RT_MGR_CUSTOM, (uint64_t)id, custom);
    rt_decref(custom);
    return p;
}

/* Registered typeids are the manager's attributes: CPython sets them on the
 * registering class, so a subclass sees them even when its own registry (a
 * copy made earlier) lacks them; creating one then fails in the server. */
static RtValue *manager_getattr(RtValue *self, const char *name) {
    RegEntry *e = NULL;
    for (RtType *t = self->type; t && !e; t = t->base) {
        Registry *r = registry_of(t);
        for (size_t i = 0; r && i < r->n && !e; i++)
            if (strcmp(rt_str_data(r->e[i].typeid), name) == 0) e = &r->e[i];
    }
    if (!e || !e->create_method) return NULL;
    RtValue *bound = rt_tuple_pack(2, self, e->typeid);
    if (!bound) return NULL;
    RtValue *b = rt_builtin_new(rt_str_data(e->typeid), create_registered, bound, -1);
    rt_decref(bound);
    return b;
}

/* The server's address: the abstract socket name, '\0' first, as Python shows it. */
static RtValue *manager_address(RtValue *self) {
    RtManager *m = MGR(self);
    if (!m->addrlen) return rt_newref(rt_None);
    return rt_str_new(m->addr, m->addrlen);
}

/* `with` looks up __exit__ and __enter__ on every use: they come first. */
static const RtMethodDef base_manager_methods[] = {
    { "__enter__", rt_mp_SyncManager_m___enter__ }, { "__exit__", rt_mp_SyncManager_m___exit__ },
    { "__init__", manager_m___init__ },
    { "start", rt_mp_SyncManager_m_start }, { "shutdown", rt_mp_SyncManager_m_shutdown },
    { "join", rt_mp_SyncManager_m_join }, { NULL, NULL },
};

static const RtMethodDef base_manager_classmethods[] = {
    { "register", rt_mp_BaseManager_cm_register }, { NULL, NULL },
};

/* SyncManager's typeids are built in (its base's methods come through .base). */
static const RtMethodDef manager_methods[] = {
    { "__enter__", rt_mp_SyncManager_m___enter__ }, { "__exit__", rt_mp_SyncManager_m___exit__ },
    { "dict", rt_mp_SyncManager_m_dict }, { "list", rt_mp_SyncManager_m_list },
    { "Namespace", rt_mp_SyncManager_m_Namespace }, { "Value", rt_mp_SyncManager_m_Value },
    { "Array", rt_mp_SyncManager_m_Array }, { "Lock", rt_mp_SyncManager_m_Lock },
    { "RLock", rt_mp_SyncManager_m_RLock }, { "Semaphore", rt_mp_SyncManager_m_Semaphore },
    { "BoundedSemaphore", rt_mp_SyncManager_m_BoundedSemaphore }, { "Event", rt_mp_SyncManager_m_Event },
    { "Condition", rt_mp_SyncManager_m_Condition }, { "Barrier", rt_mp_SyncManager_m_Barrier },
    { "Queue", rt_mp_SyncManager_m_Queue }, { "JoinableQueue", rt_mp_SyncManager_m_JoinableQueue },
    { NULL, NULL },
};

static const RtGetSetDef manager_getset[] = { { "address", manager_address, NULL }, { NULL, NULL, NULL } };

RtType rt_mp_BaseManager = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "BaseManager",
    .module = "multiprocessing.managers",
    .tag = RT_T_NATIVE,
    .flags = RT_TF_BASETYPE,
    .base = &rt_type_object,
    .size = sizeof(RtManager),
    .dict_offset = offsetof(RtManager, dict),
    .table_index = -1,
    .dealloc = manager_dealloc,
    .repr = manager_repr,
    .hash = proxy_hash,
    .getattr = manager_getattr,
    .construct = manager_construct,
    .ser_dump = manager_ser_dump,
    .ser_load = manager_ser_load,
    .methods = base_manager_methods,
    .classmethods = base_manager_classmethods,
    .getset = manager_getset,
};

RtType rt_mp_SyncManager = {
    .ob = RT_STATIC_HEAD(&rt_type_type),
    .name = "SyncManager",
    .module = "multiprocessing.managers",
    .tag = RT_T_NATIVE,
    .flags = RT_TF_BASETYPE,
    .base = &rt_mp_BaseManager,
    .size = sizeof(RtManager),
    .dict_offset = offsetof(RtManager, dict),
    .getattr = manager_getattr,
    .table_index = -1,
    .dealloc = manager_dealloc,
    .repr = manager_repr,
    .hash = proxy_hash,
    .construct = manager_construct,
    .ser_dump = manager_ser_dump,
    .ser_load = manager_ser_load,
    .methods = manager_methods,
    .getset = manager_getset,
};

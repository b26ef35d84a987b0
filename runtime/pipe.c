/* pipe.c: multiprocessing.Pipe and connection.Connection.
 *
 * Pipe() is a socketpair(AF_UNIX, SOCK_SEQPACKET): the kernel keeps record
 * boundaries, so each sendmsg(2) arrives whole in exactly one recvmsg(2) even
 * when several processes read the same end at once (the seed notes' example:
 * two children receiving on one end). A record is one flag byte plus at most
 * REC_PAYLOAD bytes; a longer message is split into records whose flag says
 * "more follows". Pipe(duplex=False) is a pipe2(2), where a message is a
 * 4-byte big-endian length (CPython's header) followed by the payload.
 *
 * send() serializes with rt_ser_dump into a buffer the connection keeps, so
 * a round trip of a small value costs two system calls and no allocation.
 *
 * XXX: a message longer than one record (64 KiB) is only atomic with a
 * single writer and a single reader per end; CPython gives no more.
 */
#include "mp2c.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define REC_MAX      65536               /* bytes in one SEQPACKET record */
#define REC_PAYLOAD  (REC_MAX - 1)       /* after the flag byte */
#define REC_MORE     1                   /* flag: more records follow */

typedef struct RtConnection {
    RtValue ob;
    int     fd;            /* -1 once closed */
    bool    readable, writable;
    bool    packet;        /* SOCK_SEQPACKET records; else length-prefixed stream */
    RtBuf   rbuf, wbuf;    /* kept between messages */
} RtConnection;

#define CONN(o) ((RtConnection *)(o))

static RtValue *conn_new(int fd, bool readable, bool writable, bool packet) {
    RtValue *o = rt_obj_alloc(&rt_mp_Connection, sizeof(RtConnection));
    if (!o) { close(fd); return NULL; }
    RtConnection *c = CONN(o);
    c->fd = fd;
    c->readable = readable;
    c->writable = writable;
    c->packet = packet;
    return o;
}

static void conn_dealloc(RtValue *o) {
    RtConnection *c = CONN(o);
    if (c->fd >= 0) close(c->fd);
    rt_buf_free(&c->rbuf);
    rt_buf_free(&c->wbuf);
}

/* ==== checks, with CPython's messages ========================================== */

static int check_closed(RtConnection *c) {
    if (c->fd < 0) { rt_raise(&rt_exc_OSError, "handle is closed"); return -1; }
    return 0;
}

static int check_readable(RtConnection *c) {
    if (check_closed(c) < 0) return -1;
    if (!c->readable) { rt_raise(&rt_exc_OSError, "connection is write-only"); return -1; }
    return 0;
}

static int check_writable(RtConnection *c) {
    if (check_closed(c) < 0) return -1;
    if (!c->writable) { rt_raise(&rt_exc_OSError, "connection is read-only"); return -1; }
    return 0;
}

static int raise_errno(int err) {
    rt_raise_errno(err, NULL);
    return -1;
}

/* ==== sending ======================================================================= */

/* sendmsg(2) of all iov bytes as one record; EINTR-safe. */
static int send_record(int fd, struct iovec *iov, int n) {
    struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n };
    for (;;) {
        if (sendmsg(fd, &mh, MSG_NOSIGNAL) >= 0) return 0;
        if (errno != EINTR) return raise_errno(errno);
    }
}

static int send_packets(RtConnection *c, const unsigned char *p, size_t n) {
    do {
        size_t k = n > REC_PAYLOAD ? REC_PAYLOAD : n;
        unsigned char flag = n > k ? REC_MORE : 0;
        struct iovec iov[2] = { { &flag, 1 }, { (void *)p, k } };
        if (send_record(c->fd, iov, 2) < 0) return -1;
        p += k;
        n -= k;
    } while (n);
    return 0;
}

/* writev(2) until everything is written (a pipe may take it in parts). */
static int write_fully(int fd, struct iovec *iov, int n) {
    while (n) {
        ssize_t w = writev(fd, iov, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return raise_errno(errno);
        while (n && (size_t)w >= iov->iov_len) { w -= (ssize_t)iov->iov_len; iov++; n--; }
        if (n) { iov->iov_base = (char *)iov->iov_base + w; iov->iov_len -= (size_t)w; }
    }
    return 0;
}

/* CPython's framing: !i length, or -1 then !Q for messages over 2 GiB. */
static int send_stream(RtConnection *c, const unsigned char *p, size_t n) {
    unsigned char hdr[12];
    size_t h = 4;
    if (n > 0x7fffffff) {
        memset(hdr, 0xff, 4);
        for (int i = 0; i < 8; i++) hdr[4 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
        h = 12;
    } else {
        for (int i = 0; i < 4; i++) hdr[i] = (unsigned char)(n >> (24 - 8 * i));
    }
    struct iovec iov[2] = { { hdr, h }, { (void *)p, n } };
    return write_fully(c->fd, iov, n ? 2 : 1);
}

static int send_message(RtConnection *c, const unsigned char *p, size_t n) {
    return c->packet ? send_packets(c, p, n) : send_stream(c, p, n);
}

/* Sends c->wbuf, whose byte 0 was reserved for the flag: a message that fits
 * one record goes out with a single send(2), without an iovec. */
static int send_wbuf(RtConnection *c) {
    size_t n = c->wbuf.len - 1;
    if (!c->packet || n > REC_PAYLOAD) return send_message(c, c->wbuf.data + 1, n);
    c->wbuf.data[0] = 0;
    for (;;) {
        if (send(c->fd, c->wbuf.data, c->wbuf.len, MSG_NOSIGNAL) >= 0) return 0;
        if (errno != EINTR) return raise_errno(errno);
    }
}

/* ==== receiving ======================================================================= */

static int eof_error(void) {
    rt_raise_value((RtValue *)&rt_exc_EOFError);
    return -1;
}

/* Receives one message into c->rbuf, record by record: recv(2) straight
 * into the buffer. The first record's flag byte stays in place and rbuf.pos
 * skips it; later records' flags are squeezed out. */
static int recv_packets(RtConnection *c) {
    for (;;) {
        if (rt_buf_reserve(&c->rbuf, REC_MAX) < 0) return -1;
        unsigned char *rec = c->rbuf.data + c->rbuf.len;
        ssize_t n = recv(c->fd, rec, REC_MAX, 0);
        if (n < 0) {
            if (errno == EINTR) {
                /* a Python signal handler runs between messages, never inside one */
                if (c->rbuf.len == 0 && rt_signals_pending && rt_signals_run() < 0) return -1;
                continue;
            }
            return raise_errno(errno);
        }
        bool first = c->rbuf.len == 0;
        if (n == 0) {
            if (first) return eof_error();
            rt_raise(&rt_exc_OSError, "got end of file during message");
            return -1;
        }
        unsigned char flag = rec[0];
        if (first) {
            c->rbuf.pos = 1;
            c->rbuf.len = (size_t)n;
        } else {
            memmove(rec, rec + 1, (size_t)n - 1);
            c->rbuf.len += (size_t)n - 1;
        }
        if (!(flag & REC_MORE)) return 0;
    }
}

/* read(2) exactly n bytes; 0 ok, 1 clean EOF before the first byte, -1 error. */
static int read_exact(int fd, unsigned char *p, size_t n, bool eof_ok) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return raise_errno(errno);
        if (r == 0) {
            if (got == 0 && eof_ok) return 1;
            rt_raise(&rt_exc_OSError, "got end of file during message");
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

static int recv_stream(RtConnection *c, int64_t maxlength, bool *too_long) {
    unsigned char hdr[8];
    int r = read_exact(c->fd, hdr, 4, true);
    if (r != 0) return r > 0 ? eof_error() : -1;
    uint64_t n = (uint64_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
    if (n == 0xffffffffu) {
        if (read_exact(c->fd, hdr, 8, false) < 0) return -1;
        n = 0;
        for (int i = 0; i < 8; i++) n = n << 8 | hdr[i];
    }
    if (maxlength >= 0 && n > (uint64_t)maxlength) { *too_long = true; return 0; }
    if (rt_buf_reserve(&c->rbuf, n) < 0 || read_exact(c->fd, c->rbuf.data, n, false) < 0) return -1;
    c->rbuf.len = n;
    return 0;
}

/* Receives one whole message into c->rbuf. maxlength < 0: no limit. A
 * longer message closes the connection: OSError "bad message length". */
static int recv_message(RtConnection *c, int64_t maxlength) {
    bool too_long = false;
    rt_buf_reset(&c->rbuf);
    int rc = c->packet ? recv_packets(c) : recv_stream(c, maxlength, &too_long);
    if (rc < 0) return -1;
    if (too_long || (maxlength >= 0 && rt_buf_avail(&c->rbuf) > (uint64_t)maxlength)) {
        close(c->fd);
        c->fd = -1;
        rt_raise(&rt_exc_OSError, "bad message length");
        return -1;
    }
    return 0;
}

/* ==== methods ============================================================================= */

static int no_args(const char *fname, size_t nargs, RtValue *kwnames) {
    if (nargs == 0 && (!kwnames || RT_TUPLE_LEN(kwnames) == 0)) return 0;
    rt_raise_fmt(&rt_exc_TypeError, "%s() takes no arguments (%zu given)", fname,
                 nargs + (kwnames ? RT_TUPLE_LEN(kwnames) : 0));
    return -1;
}

static int bind_params(const char *fname, const char *const *names, int npos, RtValue *defaults,
                RtValue *const *args, size_t nargs, RtValue *kwnames, RtValue **out) {
    RtParamSpec spec = { .fname = fname, .names = names, .npos = npos };
    return rt_bind_args(&spec, args, nargs, kwnames, defaults, NULL, out, NULL, NULL);
}

/* A tuple of parameter defaults, made on first use and kept: the values are
 * only evaluated then (the macro), and make_defaults steals them. */
static RtValue *make_defaults(size_t n, ...) {
    va_list ap;
    va_start(ap, n);
    RtValue *t = rt_tuple_new(n);
    for (size_t i = 0; i < n; i++) {
        RtValue *v = va_arg(ap, RtValue *);
        if (t && v) RT_TUPLE_SET(t, i, v);
        else if (t) RT_CLEAR(t);   /* the remaining slots are NULL: safe to release */
        else rt_xdecref(v);
    }
    va_end(ap);
    return t;
}
#define DEFAULTS(slot, n, ...) ((slot) ? (slot) : ((slot) = make_defaults((n), __VA_ARGS__)))

RtValue *rt_mp_Connection_m_send(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "obj" };
    RtValue *a[1];
    RtConnection *c = CONN(self);
    if (bind_params("Connection.send", names, 1, NULL, args, nargs, kwnames, a) < 0) return NULL;
    if (check_writable(c) < 0) return NULL;
    rt_buf_reset(&c->wbuf);
    if (rt_buf_put_u8(&c->wbuf, 0) < 0 || rt_ser_dump(&c->wbuf, a[0]) < 0) return NULL;
    if (send_wbuf(c) < 0) return NULL;
    return rt_newref(rt_None);
}

RtValue *rt_mp_Connection_m_recv(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    RtConnection *c = CONN(self);
    if (no_args("Connection.recv", nargs, kwnames) < 0 || check_readable(c) < 0) return NULL;
    if (recv_message(c, -1) < 0) return NULL;
    return rt_ser_load(&c->rbuf);
}

/* The bytes of a bytes-like object: a pointer into it, or into *tmp. */
static int bytes_like(RtValue *o, const unsigned char **p, size_t *n, RtValue **tmp) {
    *tmp = NULL;
    if (rt_is_bytes(o)) { *p = ((RtBytes *)o)->data; *n = ((RtBytes *)o)->len; return 0; }
    if (rt_is_bytearray(o)) { *p = ((RtByteArray *)o)->data; *n = ((RtByteArray *)o)->len; return 0; }
    if (strcmp(o->type->name, "memoryview") == 0 && (*tmp = rt_bytes_from_object(o))) {
        *p = ((RtBytes *)*tmp)->data;
        *n = ((RtBytes *)*tmp)->len;
        return 0;
    }
    if (!RT_ERR())
        rt_raise_fmt(&rt_exc_TypeError, "memoryview: a bytes-like object is required, not '%s'", o->type->name);
    return -1;
}

/* send_bytes' checks of offset and size against a buffer of n bytes. */
static int slice_args(size_t n, RtValue *offv, RtValue *sizev, int64_t *off, int64_t *size) {
    if (rt_index_as_i64(offv, off) < 0) return -1;
    if (*off < 0) { rt_raise(&rt_exc_ValueError, "offset is negative"); return -1; }
    if ((uint64_t)*off > n) { rt_raise(&rt_exc_ValueError, "buffer length < offset"); return -1; }
    if (sizev == rt_None) { *size = (int64_t)n - *off; return 0; }
    if (rt_index_as_i64(sizev, size) < 0) return -1;
    if (*size < 0) { rt_raise(&rt_exc_ValueError, "size is negative"); return -1; }
    if ((uint64_t)*off + (uint64_t)*size > n) {
        rt_raise(&rt_exc_ValueError, "buffer length < offset + size");
        return -1;
    }
    return 0;
}

/* send_bytes(buf, offset=0, size=None) */
RtValue *rt_mp_Connection_m_send_bytes(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "buf", "offset", "size" };
    static RtValue *defs;
    RtValue *a[3], *tmp;
    RtConnection *c = CONN(self);
    if (!DEFAULTS(defs, 2, rt_int(0), rt_newref(rt_None))) return NULL;
    if (bind_params("Connection.send_bytes", names, 3, defs, args, nargs, kwnames, a) < 0) return NULL;
    if (check_writable(c) < 0) return NULL;
    const unsigned char *p;
    size_t n;
    int64_t off, size;
    if (bytes_like(a[0], &p, &n, &tmp) < 0) return NULL;
    int rc = slice_args(n, a[1], a[2], &off, &size);
    if (rc == 0) rc = send_message(c, p + off, (size_t)size);
    rt_xdecref(tmp);
    return rc < 0 ? NULL : rt_newref(rt_None);
}

static int maxlength_arg(RtValue *v, int64_t *out) {
    if (v == rt_None) { *out = -1; return 0; }
    if (rt_index_as_i64(v, out) < 0) return -1;
    if (*out < 0) { rt_raise(&rt_exc_ValueError, "negative maxlength"); return -1; }
    return 0;
}

/* recv_bytes(maxlength=None) */
RtValue *rt_mp_Connection_m_recv_bytes(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "maxlength" };
    static RtValue *defs;
    RtValue *a[1];
    int64_t maxlength;
    RtConnection *c = CONN(self);
    if (!DEFAULTS(defs, 1, rt_newref(rt_None))) return NULL;
    if (bind_params("Connection.recv_bytes", names, 1, defs, args, nargs, kwnames, a) < 0) return NULL;
    if (check_readable(c) < 0 || maxlength_arg(a[0], &maxlength) < 0) return NULL;
    if (recv_message(c, maxlength) < 0) return NULL;
    return rt_bytes_new(c->rbuf.data + c->rbuf.pos, rt_buf_avail(&c->rbuf));
}

/* recv_bytes_into(buf, offset=0): into a bytearray; BufferTooShort when it
 * does not fit (the message is the exception's argument). */
static RtValue *conn_recv_bytes_into(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "buf", "offset" };
    static RtValue *defs;
    RtValue *a[2];
    int64_t off;
    RtConnection *c = CONN(self);
    if (!DEFAULTS(defs, 1, rt_int(0))) return NULL;
    if (bind_params("Connection.recv_bytes_into", names, 2, defs, args, nargs, kwnames, a) < 0) return NULL;
    if (check_readable(c) < 0 || rt_index_as_i64(a[1], &off) < 0) return NULL;
    if (!rt_is_bytearray(a[0]))
        return rt_raise_fmt(&rt_exc_TypeError, "recv_bytes_into() needs a bytearray, not '%s'", a[0]->type->name);
    RtByteArray *ba = (RtByteArray *)a[0];
    if (off < 0) return rt_raise(&rt_exc_ValueError, "negative offset");
    if ((uint64_t)off > ba->len) return rt_raise(&rt_exc_ValueError, "offset too large");
    if (recv_message(c, -1) < 0) return NULL;
    size_t n = rt_buf_avail(&c->rbuf);
    const unsigned char *msgp = c->rbuf.data + c->rbuf.pos;
    if (n > ba->len - (size_t)off) {
        RtValue *msg = rt_bytes_new(msgp, n);
        RtValue *targs = msg ? rt_tuple_pack(1, msg) : NULL;
        RtValue *e = targs ? rt_exc_new(&rt_exc_BufferTooShort, targs) : NULL;
        rt_xdecref(msg);
        rt_xdecref(targs);
        if (e) { rt_raise_value(e); rt_decref(e); }
        return NULL;
    }
    if (n) memcpy(ba->data + off, msgp, n);
    return rt_int((int64_t)n);
}

/* poll(timeout=0.0): is a message (or EOF) waiting? */
RtValue *rt_mp_Connection_m_poll(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "timeout" };
    static RtValue *defs;
    RtValue *a[1];
    double timeout = -1;
    RtConnection *c = CONN(self);
    if (!DEFAULTS(defs, 1, rt_float(0.0))) return NULL;
    if (bind_params("Connection.poll", names, 1, defs, args, nargs, kwnames, a) < 0) return NULL;
    if (check_readable(c) < 0) return NULL;
    if (a[0] != rt_None) {
        if (rt_as_double(a[0], &timeout) < 0) return NULL;
        if (timeout < 0) timeout = 0;
    }
    struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
    int r = rt_mp_poll(&pfd, 1, timeout);
    if (r < 0) return NULL;
    return rt_bool(r > 0);
}

RtValue *rt_mp_Connection_m_close(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Connection.close", nargs, kwnames) < 0) return NULL;
    RtConnection *c = CONN(self);
    if (c->fd >= 0) {
        close(c->fd);   /* Linux: the fd is gone even on EINTR; never retry */
        c->fd = -1;
    }
    return rt_newref(rt_None);
}

RtValue *rt_mp_Connection_m_fileno(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Connection.fileno", nargs, kwnames) < 0 || check_closed(CONN(self)) < 0) return NULL;
    return rt_int(CONN(self)->fd);
}

static RtValue *conn_enter(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args;
    if (no_args("Connection.__enter__", nargs, kwnames) < 0) return NULL;
    return rt_newref(self);
}

static RtValue *conn_exit(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    (void)args; (void)nargs; (void)kwnames;
    return rt_mp_Connection_m_close(self, NULL, 0, NULL);
}

static RtValue *get_closed(RtValue *self) { return rt_bool(CONN(self)->fd < 0); }
static RtValue *get_readable(RtValue *self) { return rt_bool(CONN(self)->readable); }
static RtValue *get_writable(RtValue *self) { return rt_bool(CONN(self)->writable); }

static RtValue *conn_repr(RtValue *self) {
    char buf[96];
    snprintf(buf, sizeof buf, "<multiprocessing.connection.Connection object at %p>", (void *)self);
    return rt_str_from_cstr(buf);
}

/* Under spawn the child inherits the fd at the same number. XXX: CPython
 * can also send a Connection through another one (via its resource
 * sharer); that would need SCM_RIGHTS and is not done. */
static int conn_ser_dump(RtValue *self, RtBuf *buf) {
    RtConnection *c = CONN(self);
    if (!rt_ser_spawning()) {
        rt_raise(&rt_exc_TypeError, "cannot pickle 'Connection' object outside of process spawning");
        return -1;
    }
    if (check_closed(c) < 0 || rt_ser_pass_fd(c->fd) < 0) return -1;
    unsigned flags = (unsigned)c->readable | (unsigned)c->writable << 1 | (unsigned)c->packet << 2;
    if (rt_buf_put_uleb(buf, (uint64_t)c->fd) < 0) return -1;
    return rt_buf_put_u8(buf, flags);
}

static RtValue *conn_ser_load(RtType *t, RtBuf *buf) {
    uint64_t fd;
    unsigned flags;
    (void)t;
    if (rt_buf_get_uleb(buf, &fd) < 0 || rt_buf_get_u8(buf, &flags) < 0) return NULL;
    if (fd > INT32_MAX) return rt_raise(&rt_exc_ValueError, "serialized data is malformed (fd)");
    fcntl((int)fd, F_SETFD, FD_CLOEXEC);   /* inherited for us, not for our own execs */
    return conn_new((int)fd, flags & 1, flags & 2, flags & 4);
}

static const RtMethodDef conn_methods[] = {
    { "send", rt_mp_Connection_m_send },
    { "recv", rt_mp_Connection_m_recv },
    { "send_bytes", rt_mp_Connection_m_send_bytes },
    { "recv_bytes", rt_mp_Connection_m_recv_bytes },
    { "recv_bytes_into", conn_recv_bytes_into },
    { "poll", rt_mp_Connection_m_poll },
    { "close", rt_mp_Connection_m_close },
    { "fileno", rt_mp_Connection_m_fileno },
    { "__enter__", conn_enter },
    { "__exit__", conn_exit },
    { NULL, NULL },
};

static const RtGetSetDef conn_getset[] = {
    { "closed", get_closed, NULL },
    { "readable", get_readable, NULL },
    { "writable", get_writable, NULL },
    { NULL, NULL, NULL },
};

RtType rt_mp_Connection = {
    .ob = RT_STATIC_HEAD(&rt_type_type), .name = "Connection", .module = "multiprocessing.connection",
    .tag = RT_T_NATIVE, .base = &rt_type_object, .size = sizeof(RtConnection), .table_index = -1,
    .dealloc = conn_dealloc, .repr = conn_repr, .ser_dump = conn_ser_dump, .ser_load = conn_ser_load,
    .methods = conn_methods, .getset = conn_getset,
};

/* ==== Pipe and wait ============================================================================ */

static RtValue *pair(RtValue *a, RtValue *b) {
    RtValue *t = a && b ? rt_tuple_new(2) : NULL;
    if (!t) { rt_xdecref(a); rt_xdecref(b); return NULL; }
    RT_TUPLE_SET(t, 0, a);
    RT_TUPLE_SET(t, 1, b);
    return t;
}

/* Pipe(duplex=True) */
RtValue *rt_mp_Pipe(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "duplex" };
    static RtValue *defs;
    RtValue *a[1];
    int fds[2];
    (void)self;
    if (!DEFAULTS(defs, 1, rt_True)) return NULL;
    if (bind_params("Pipe", names, 1, defs, args, nargs, kwnames, a) < 0) return NULL;
    int duplex = rt_truthy(a[0]);
    if (duplex < 0) return NULL;
    if (duplex) {
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0) return rt_raise_errno(errno, NULL);
        RtValue *c1 = conn_new(fds[0], true, true, true);
        if (!c1) { close(fds[1]); return NULL; }
        return pair(c1, conn_new(fds[1], true, true, true));
    }
    if (pipe2(fds, O_CLOEXEC) < 0) return rt_raise_errno(errno, NULL);
    RtValue *r = conn_new(fds[0], true, false, false);
    if (!r) { close(fds[1]); return NULL; }
    return pair(r, conn_new(fds[1], false, true, false));
}

/* The fd wait() watches for o: a Connection's, an int, or o.fileno(). */
static int wait_fd(RtValue *o, int *fd) {
    if (o->type == &rt_mp_Connection) {
        if (check_closed(CONN(o)) < 0) return -1;
        *fd = CONN(o)->fd;
        return 0;
    }
    int64_t v;
    if (rt_is_int(o)) {
        if (rt_int_as_i64(o, &v) < 0) return -1;
    } else {
        RtValue *r = rt_call_method(o, "fileno", NULL, 0, NULL);
        if (!r) return -1;
        int rc = rt_int_as_i64(r, &v);
        rt_decref(r);
        if (rc < 0) return -1;
    }
    if (v < 0 || v > INT32_MAX) {
        rt_raise_fmt(&rt_exc_ValueError, "file descriptor cannot be a negative integer (%lld)", (long long)v);
        return -1;
    }
    *fd = (int)v;
    return 0;
}

static RtValue *ready_list(RtValue *objs, struct pollfd *pfds, size_t n) {
    RtValue *out = rt_list_new(0);
    for (size_t i = 0; out && i < n; i++)
        if (pfds[i].revents && rt_list_append(out, RT_LIST_GET(objs, i)) < 0) RT_CLEAR(out);
    return out;
}

/* connection.wait(object_list, timeout=None) */
RtValue *rt_mp_connection_wait(RtValue *self, RtValue *const *args, size_t nargs, RtValue *kwnames) {
    static const char *const names[] = { "object_list", "timeout" };
    static RtValue *defs;
    RtValue *a[2];
    double timeout = -1;
    (void)self;
    if (!DEFAULTS(defs, 1, rt_newref(rt_None))) return NULL;
    if (bind_params("wait", names, 2, defs, args, nargs, kwnames, a) < 0) return NULL;
    if (a[1] != rt_None) {
        if (rt_as_double(a[1], &timeout) < 0) return NULL;
        if (timeout < 0) timeout = 0;
    }
    RtValue *objs = rt_list_from_iter(a[0]);
    if (!objs) return NULL;
    size_t n = RT_LIST_LEN(objs);
    struct pollfd *pfds = rt_calloc(n ? n : 1, sizeof *pfds);
    RtValue *out = NULL;
    size_t i = 0;
    for (; pfds && i < n; i++) {
        if (wait_fd(RT_LIST_GET(objs, i), &pfds[i].fd) < 0) break;
        pfds[i].events = POLLIN;
    }
    if (pfds && i == n && rt_mp_poll(pfds, n, timeout) >= 0) out = ready_list(objs, pfds, n);
    rt_free(pfds);
    rt_decref(objs);
    return out;
}

/* mp2c_serial.h: the serializer Pipe, Queue and Pool use to copy values
 * between processes. Part of mp2c.h; include that instead.
 *
 * A compact binary format of our own: a tag byte, then the payload, with
 * LEB128 lengths. Functions and classes travel as indexes into the program's
 * tables (rt_program), which works under fork and spawn because every process
 * runs the same executable. Values that cannot be sent raise the error
 * CPython's pickle would (e.g. "cannot pickle 'generator' object").
 *
 * Shared references inside one message are preserved (as pickle's memo does):
 * `[x, x]` arrives as a list holding one object twice, and a list that
 * contains itself arrives as such. Nesting deeper than pickle allows raises
 * RecursionError, as pickle does, instead of exhausting the C stack.
 */
#ifndef MP2C_SERIAL_H
#define MP2C_SERIAL_H

typedef struct RtBuf {
    unsigned char *data;
    size_t         len, cap;
    size_t         pos;       /* read position */
} RtBuf;
/* An empty buffer: `RtBuf b = RT_BUF_INIT;` (all zero is fine too). */
#define RT_BUF_INIT { NULL, 0, 0, 0 }

/* Appends the encoding of v to buf. 0, or -1 with an exception set; on
 * failure buf->len is back where it was. Native types' ser_dump slots call
 * it for the values they contain (the memo is shared with the outer call). */
int      rt_ser_dump(RtBuf *buf, RtValue *v) RT_MUST_CHECK;
/* Decodes one value from buf at buf->pos. New reference, or NULL. */
RtValue *rt_ser_load(RtBuf *buf);
/* Releases buf's memory and empties it (safe on an empty buffer). */
void     rt_buf_free(RtBuf *buf);
/* Empties buf but keeps its memory for reuse. */
static inline void rt_buf_reset(RtBuf *buf) { buf->len = buf->pos = 0; }
/* Bytes not read yet. */
static inline size_t rt_buf_avail(const RtBuf *buf) { return buf->len - buf->pos; }

/* ---- buffer helpers: mirror writers and readers --------------------------------
 * Writers append and return 0, or -1 with MemoryError. Readers consume at
 * buf->pos and return 0, or -1 with ValueError when the data is truncated or
 * malformed (buf->pos is then unspecified). */
int rt_buf_reserve(RtBuf *buf, size_t extra) RT_MUST_CHECK;   /* room for extra more bytes */
int rt_buf_put_u8(RtBuf *buf, unsigned v) RT_MUST_CHECK;
int rt_buf_put_uleb(RtBuf *buf, uint64_t v) RT_MUST_CHECK;    /* unsigned LEB128 */
int rt_buf_put_sleb(RtBuf *buf, int64_t v) RT_MUST_CHECK;     /* zigzag, then LEB128 */
int rt_buf_put_bytes(RtBuf *buf, const void *p, size_t n) RT_MUST_CHECK;
int rt_buf_get_u8(RtBuf *buf, unsigned *v) RT_MUST_CHECK;
int rt_buf_get_uleb(RtBuf *buf, uint64_t *v) RT_MUST_CHECK;
int rt_buf_get_sleb(RtBuf *buf, int64_t *v) RT_MUST_CHECK;
/* *p points into buf (valid until buf changes); n bytes are consumed. */
int rt_buf_get_bytes(RtBuf *buf, size_t n, const unsigned char **p) RT_MUST_CHECK;

/* ---- for the ser_dump / ser_load slots of native types --------------------------
 * CPython lets some objects (Lock, Queue, Value, Connection) be pickled only
 * while a child is being spawned ("Lock objects should only be shared between
 * processes through inheritance"); their ser_dump checks rt_ser_spawning().
 * Under spawn the child is a fresh exec of the program, so an object that
 * lives in a file descriptor (a pipe, a memfd holding shared memory) passes
 * its fd number with rt_ser_pass_fd: proc.c keeps that fd open across the
 * exec, at the same number. */
bool rt_ser_spawning(void);
/* While on, lambdas and nested functions are sent by value (their entry
 * point, defaults and cell contents) instead of failing as pickle does:
 * ThreadPoolExecutor's work runs in forked processes of this program, where
 * CPython's threads would simply share it. Returns the previous setting. */
bool rt_ser_allow_closures(bool on);
/* Marks fd for inheritance by the spawned child. 0, or -1 with RuntimeError
 * when no spawn is in progress. */
int  rt_ser_pass_fd(int fd) RT_MUST_CHECK;
/* rt_ser_dump with rt_ser_spawning() true; *fds receives an rt_malloc'd array
 * of the fds passed (*nfds of them; free it with rt_free). Used by proc.c. */
int  rt_ser_dump_for_spawn(RtBuf *buf, RtValue *v, int **fds, size_t *nfds) RT_MUST_CHECK;

#endif

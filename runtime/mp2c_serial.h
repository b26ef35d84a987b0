/* mp2c_serial.h: the serializer Pipe, Queue and Pool use to copy values
 * between processes. Part of mp2c.h; include that instead.
 *
 * A compact binary format of our own: a tag byte, then the payload, with
 * LEB128 lengths. Functions and classes travel as indexes into the program's
 * tables (rt_program), which works under fork and spawn because every process
 * runs the same executable. Values that cannot be sent raise the error
 * CPython's pickle would (e.g. "cannot pickle 'generator' object").
 */
#ifndef MP2C_SERIAL_H
#define MP2C_SERIAL_H

typedef struct RtBuf {
    unsigned char *data;
    size_t         len, cap;
    size_t         pos;       /* read position */
} RtBuf;

/* Appends the encoding of v to buf. 0, or -1 with an exception set. */
int      rt_ser_dump(RtBuf *buf, RtValue *v) RT_MUST_CHECK;
/* Decodes one value from buf at buf->pos. New reference, or NULL. */
RtValue *rt_ser_load(RtBuf *buf);
void     rt_buf_free(RtBuf *buf);

#endif

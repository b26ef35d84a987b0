/* mp2c_shared.h: shared memory (Value, Array, ctypes, Structure) and the
 * synchronisation primitives. Part of mp2c.h; include that instead.
 *
 * Naming: the Python class multiprocessing.X is `RtType rt_mp_X`; ctypes.X is
 * `RtType rt_ctypes_X`; functions are RtNativeFn `rt_mp_f` / `rt_ctypes_f`.
 */
#ifndef MP2C_SHARED_H
#define MP2C_SHARED_H

#endif

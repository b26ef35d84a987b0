/* mp2c_mp.h: multiprocessing's processes and channels on POSIX.
 * Part of mp2c.h; include that instead.
 *
 * Naming: the Python class multiprocessing.X is `RtType rt_mp_X`; the
 * module-level function multiprocessing.f is the RtNativeFn `rt_mp_f`.
 * Modules os, time, sys follow the same scheme (rt_os_getpid, rt_time_sleep).
 */
#ifndef MP2C_MP_H
#define MP2C_MP_H

#endif

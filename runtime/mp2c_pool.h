/* mp2c_pool.h: multiprocessing's queues and process pool.
 * Part of mp2c.h; include that instead.
 *
 * Naming: the Python class multiprocessing.X is `RtType rt_mp_X`.
 */
#ifndef MP2C_POOL_H
#define MP2C_POOL_H

#endif

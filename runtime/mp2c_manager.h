/* mp2c_manager.h: multiprocessing.Manager() — a server process that owns
 * shared objects (dict, list, Namespace, ...) and proxies that reach them.
 * Part of mp2c.h; include that instead. */
#ifndef MP2C_MANAGER_H
#define MP2C_MANAGER_H

#endif

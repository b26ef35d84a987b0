/* mp2c_stdlib.h: the small standard modules tutorials reach for next:
 * functools, itertools, operator, string. Part of mp2c.h; include that instead. */
#ifndef MP2C_STDLIB_H
#define MP2C_STDLIB_H

#endif

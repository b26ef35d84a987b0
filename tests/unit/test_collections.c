/* test_collections.c: the collections cases generated from CPython (seq_expected.h), run by
 * seq_harness.h. */
#include "seq_harness.h"

int main(void) {
    return H_RUN_FAMILY(collections);
}

/* test_iter.c: the range/slice and iterator-builtin cases generated from
 * CPython (seq_expected.h), run by seq_harness.h. */
#include "seq_harness.h"

int main(void) {
    int failed = H_RUN_FAMILY(range);
    failed += H_RUN_FAMILY(iter);
    return failed;
}

/* testutil.h - what every CUnit test program shares.
 *
 * Each tests/test_<module>.c defines register_tests(), which adds its
 * suites with testutil_add_suite(). Around every test the runner records
 * libsec's live allocations and fails the test when they differ after it
 * (a leak), and turns allocation-failure injection off. */
#ifndef NTSEC_TESTUTIL_H
#define NTSEC_TESTUTIL_H

#include <CUnit/CUnit.h>
#include <string.h>

void register_tests(void);

/* Add a suite of NULL-terminated tests, with the live-allocation check. */
void testutil_add_suite(const char *name, CU_TestInfo *tests);

/* libsec live allocations now (for tests that check a call mid-test). */
long testutil_live(void);

/* Fail the `n`-th allocation from now (0 = the next); -1 turns off. */
void testutil_fail_alloc_after(long n);

#define TEST(fn) { #fn, fn }

#define CU_ASSERT_MEM_EQUAL(a, b, n) CU_ASSERT(memcmp((a), (b), (n)) == 0)

#endif

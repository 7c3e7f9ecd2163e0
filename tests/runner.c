/* runner.c - main() of every CUnit test program: runs the suites the
 * program registers and exits non-zero on any failure. */
#include <CUnit/Basic.h>
#include <stdio.h>

#include "alloc.h"
#include "ntsec/object.h"
#include "ntsec/process.h"
#include "testutil.h"

static long live_before, objects_before;

static void check_setup(void)
{
    ntsec__alloc_fail_after(-1);
    live_before = ntsec__alloc_live();
    objects_before = ntsec_object_live();
}

static void check_teardown(void)
{
    long live = ntsec__alloc_live(), objects = ntsec_object_live();

    ntsec__alloc_fail_after(-1);
    /* Every token (or other object) a test makes must be released. */
    CU_ASSERT_EQUAL(objects, objects_before);
    if (objects != objects_before)
        fprintf(stderr, "leak: %ld live objects after the test, %ld before\n",
                objects, objects_before);
    /* A test that leaves allocations behind leaks (STYLE rule 8). */
    CU_ASSERT_EQUAL(live, live_before);
    if (live != live_before)
        fprintf(stderr, "leak: %ld live allocations after the test, %ld before\n",
                live, live_before);
}

void testutil_add_suite(const char *name, CU_TestInfo *tests)
{
    CU_pSuite s = CU_add_suite_with_setup_and_teardown(name, NULL, NULL,
                                                       check_setup, check_teardown);
    if (!s) {
        fprintf(stderr, "cannot add suite %s: %s\n", name, CU_get_error_msg());
        return;
    }
    for (CU_TestInfo *t = tests; t->pName; t++)
        CU_add_test(s, t->pName, t->pTestFunc);
}

long testutil_live(void)
{
    return ntsec__alloc_live();
}

void testutil_fail_alloc_after(long n)
{
    ntsec__alloc_fail_after(n);
}

int main(void)
{
    unsigned failed;

    ntsec_thread_current();     /* process 1 and this thread live for the whole run */
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    register_tests();
    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "registry error: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    failed = CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed();
    if (CU_get_number_of_tests_run() == 0) {
        fprintf(stderr, "no test ran\n");
        failed = 1;
    }
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

/* test_handle.c - handle tables and the object manager's handle services:
 * handle values, NtClose, pseudo-handles, ObReferenceObjectByHandle's
 * statuses, NtDuplicateObject's options and access rule. Each test runs
 * in a sandbox process (procfix.h) whose table starts empty. */
#include "process.h"
#include "procfix.h"
#include "testutil.h"
#include "thread.h"

#define MEDIUM NTSEC_MANDATORY_MEDIUM
#define TQ NTSEC_TOKEN_QUERY

/* Handles are multiples of 4 starting at 4, and a closed handle's value is
 * the next one handed out (Windows' handle table; Wine's
 * dlls/ntdll/tests/om.c and R. Chen, "Why are kernel HANDLEs always a
 * multiple of four?"). */
static void handles_are_multiples_of_four_lowest_free_first(void)
{
    struct pf_sandbox s;
    ntsec_handle h[20];

    pf_enter(&s, 1001, MEDIUM);
    for (int i = 0; i < 20; i++) {
        CU_ASSERT_EQUAL_FATAL(ntsec_handle_create(s.token, TQ, 0, &h[i]), NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(h[i], (ntsec_handle)(i + 1) * 4);
    }
    CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 20);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h[2])));
    CU_ASSERT(ntsec_success(ntsec_handle_close(h[7])));
    ntsec_handle again;
    CU_ASSERT(ntsec_success(ntsec_handle_create(s.token, TQ, 0, &again)));
    CU_ASSERT_EQUAL(again, 12);
    CU_ASSERT(ntsec_success(ntsec_handle_create(s.token, TQ, 0, &again)));
    CU_ASSERT_EQUAL(again, 32);
    for (int i = 0; i < 20; i++)
        ntsec_handle_close(h[i]);
    CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 0);
    pf_leave(&s);
}

/* The kernel ignores the two low bits of a handle, which applications may
 * use as tags (R. Chen, The Old New Thing, "Why are kernel HANDLEs always
 * a multiple of four?"): 5, 6 and 7 name handle 4; 1..3 name nothing. */
static void handle_low_two_bits_are_ignored(void)
{
    struct pf_sandbox s;
    ntsec_handle h;
    void *o;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ, 0, &h)));
    for (ntsec_handle v = 4; v < 8; v++) {
        CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(v, NTSEC_OBJECT_TOKEN, TQ, &o, NULL),
                              NTSEC_STATUS_SUCCESS);
        CU_ASSERT_PTR_EQUAL(o, s.token);
        ntsec_object_put(o);
    }
    for (ntsec_handle v = 0; v < 4; v++)
        CU_ASSERT_EQUAL(ntsec_handle_reference(v, 0, 0, &o, NULL), NTSEC_STATUS_INVALID_HANDLE);
    CU_ASSERT(ntsec_success(ntsec_handle_close(7)));
    CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 0);
    pf_leave(&s);
}

/* NtClose: a handle that is not open is STATUS_INVALID_HANDLE (closing
 * twice, 0, a never-opened value); a pseudo-handle closes successfully and
 * stays usable (CloseHandle "has no effect", Microsoft docs,
 * GetCurrentProcess / GetCurrentProcessToken). */
static void close_rules(void)
{
    struct pf_sandbox s;
    ntsec_handle h;
    void *o;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ, 0, &h)));
    long live = ntsec_object_live();
    CU_ASSERT_EQUAL(ntsec_handle_close(h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);     /* the sandbox still holds the token */
    CU_ASSERT_EQUAL(ntsec_handle_close(h), NTSEC_STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ntsec_handle_close(0), NTSEC_STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ntsec_handle_close(0x400), NTSEC_STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ntsec_handle_close((ntsec_handle)-3), NTSEC_STATUS_INVALID_HANDLE);
    const ntsec_handle pseudo[] = { NTSEC_CURRENT_PROCESS, NTSEC_CURRENT_THREAD,
                                    NTSEC_CURRENT_PROCESS_TOKEN, NTSEC_CURRENT_THREAD_TOKEN,
                                    NTSEC_CURRENT_THREAD_EFFECTIVE_TOKEN };
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(ntsec_handle_close(pseudo[i]), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(NTSEC_CURRENT_PROCESS, 0, 0, &o, NULL),
                          NTSEC_STATUS_SUCCESS);
    ntsec_object_put(o);
    pf_leave(&s);
}

/* ObReferenceObjectByHandle (Microsoft docs, Return value):
 * STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH, STATUS_ACCESS_DENIED
 * when the handle lacks a desired right; on success a new reference and
 * the handle's access. */
static void reference_statuses(void)
{
    struct pf_sandbox s;
    ntsec_handle h;
    void *o = (void *)0x1;
    uint32_t granted = 0;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ | NTSEC_TOKEN_DUPLICATE, 0, &h)));
    CU_ASSERT_EQUAL(ntsec_handle_reference(h + 4, 0, 0, &o, NULL), NTSEC_STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ntsec_handle_reference(h, NTSEC_OBJECT_PROCESS, 0, &o, NULL),
                    NTSEC_STATUS_OBJECT_TYPE_MISMATCH);
    CU_ASSERT_EQUAL(ntsec_handle_reference(h, NTSEC_OBJECT_TOKEN, NTSEC_TOKEN_ADJUST_PRIVILEGES, &o,
                                           NULL), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_PTR_EQUAL(o, (void *)0x1);
    long live = ntsec_object_live();
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(h, NTSEC_OBJECT_TOKEN, TQ, &o, &granted),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(o, s.token);
    CU_ASSERT_EQUAL(granted, TQ | NTSEC_TOKEN_DUPLICATE);
    /* The reference outlives the handle. */
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    ntsec_object_put(o);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    pf_leave(&s);
}

/* Pseudo-handles resolve against the caller: -1 its process with
 * PROCESS_ALL_ACCESS, -2 its thread with THREAD_ALL_ACCESS (Microsoft
 * docs, GetCurrentProcess / GetCurrentThread); -4, -5, -6 its process,
 * thread and effective token with TOKEN_QUERY | TOKEN_QUERY_SOURCE only
 * (GetCurrentProcessToken and friends); -5 without impersonation is
 * STATUS_NO_TOKEN, as OpenThreadToken. */
static void pseudo_handles_resolve_against_the_caller(void)
{
    struct pf_sandbox s;
    struct ntsec_token *client = pf_make_token(2002, MEDIUM, NTSEC_TOKEN_IMPERSONATION,
                                               NTSEC_SECURITY_IMPERSONATION);
    uint32_t granted, attributes = 9;
    void *o;

    pf_enter(&s, 1001, MEDIUM);
    struct ntsec_thread *me = ntsec_thread_current();
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(NTSEC_CURRENT_PROCESS, NTSEC_OBJECT_PROCESS,
                                                 NTSEC_PROCESS_ALL_ACCESS, &o, &granted), 0);
    CU_ASSERT_PTR_EQUAL(o, s.process);
    CU_ASSERT_EQUAL(granted, NTSEC_PROCESS_ALL_ACCESS);
    ntsec_object_put(o);
    CU_ASSERT_EQUAL(ntsec_handle_reference(NTSEC_CURRENT_PROCESS, NTSEC_OBJECT_THREAD, 0, &o, NULL),
                    NTSEC_STATUS_OBJECT_TYPE_MISMATCH);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(NTSEC_CURRENT_THREAD, NTSEC_OBJECT_THREAD, 0, &o,
                                                 &granted), 0);
    CU_ASSERT_PTR_EQUAL(o, me);
    CU_ASSERT_EQUAL(granted, NTSEC_THREAD_ALL_ACCESS);
    ntsec_object_put(o);

    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(NTSEC_CURRENT_PROCESS_TOKEN, NTSEC_OBJECT_TOKEN,
                                                 TQ | NTSEC_TOKEN_QUERY_SOURCE, &o, &granted), 0);
    CU_ASSERT_PTR_EQUAL(o, s.token);
    ntsec_object_put(o);
    CU_ASSERT_EQUAL(ntsec_handle_reference(NTSEC_CURRENT_PROCESS_TOKEN, NTSEC_OBJECT_TOKEN,
                                           NTSEC_TOKEN_DUPLICATE, &o, NULL),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ntsec_handle_reference(NTSEC_CURRENT_THREAD_TOKEN, NTSEC_OBJECT_TOKEN, TQ, &o,
                                           NULL), NTSEC_STATUS_NO_TOKEN);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(NTSEC_CURRENT_THREAD_EFFECTIVE_TOKEN,
                                                 NTSEC_OBJECT_TOKEN, TQ, &o, NULL), 0);
    CU_ASSERT_PTR_EQUAL(o, s.token);
    ntsec_object_put(o);

    ntsec__thread_set_impersonation(me, client, NTSEC_SECURITY_IMPERSONATION, false, false);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(NTSEC_CURRENT_THREAD_TOKEN, NTSEC_OBJECT_TOKEN, TQ,
                                                 &o, NULL), 0);
    CU_ASSERT_PTR_EQUAL(o, client);
    ntsec_object_put(o);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(NTSEC_CURRENT_THREAD_EFFECTIVE_TOKEN, 0, TQ, &o,
                                                 NULL), 0);
    CU_ASSERT_PTR_EQUAL(o, client);
    ntsec_object_put(o);
    CU_ASSERT_EQUAL(ntsec_handle_query(NTSEC_CURRENT_THREAD_TOKEN, &granted, &attributes), 0);
    CU_ASSERT_EQUAL(granted, TQ | NTSEC_TOKEN_QUERY_SOURCE);
    CU_ASSERT_EQUAL(attributes, 0);
    ntsec__thread_clear_impersonation(me);
    ntsec_token_put(client);
    pf_leave(&s);
}

/* ntsec_handle_create: bad arguments and attributes outside
 * OBJ_VALID_ATTRIBUTES are STATUS_INVALID_PARAMETER; OBJ_INHERIT is kept. */
static void handle_create_checks_its_arguments(void)
{
    struct pf_sandbox s;
    ntsec_handle h = 0x33;
    uint32_t attributes;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_EQUAL(ntsec_handle_create(NULL, TQ, 0, &h), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_handle_create(s.token, TQ, 0, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_handle_create(s.token, TQ, 0x10000, &h), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(h, 0x33);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ, NTSEC_OBJ_INHERIT, &h)));
    CU_ASSERT(ntsec_success(ntsec_handle_query(h, NULL, &attributes)));
    CU_ASSERT_EQUAL(attributes, NTSEC_OBJ_INHERIT);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    pf_leave(&s);
}

/* STYLE rule 8: the first handle grows the table; its allocation failing
 * is STATUS_NO_MEMORY with nothing changed. */
static void handle_create_out_of_memory(void)
{
    struct pf_sandbox s;
    ntsec_status st;

    pf_enter(&s, 1001, MEDIUM);
    long live = testutil_live();
    for (long n = 0;; n++) {
        ntsec_handle h = 0x11;

        testutil_fail_alloc_after(n);
        st = ntsec_handle_create(s.token, TQ, 0, &h);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st)) {
            CU_ASSERT_EQUAL(h, 4);
            ntsec_handle_close(h);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(h, 0x11);
        CU_ASSERT_EQUAL(testutil_live(), live);
        CU_ASSERT_FATAL(n < 10);
    }
    pf_leave(&s);
}

/* --- NtDuplicateObject --------------------------------------------------------- */

/* DUPLICATE_SAME_ACCESS copies the access, DUPLICATE_SAME_ATTRIBUTES the
 * attributes; otherwise HandleAttributes gives them (ZwDuplicateObject,
 * Microsoft docs). */
static void duplicate_same_access_and_attributes(void)
{
    struct pf_sandbox s;
    ntsec_handle src, dup;
    uint32_t granted, attributes;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ | NTSEC_TOKEN_DUPLICATE,
                                                      NTSEC_OBJ_INHERIT, &src)));
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_duplicate(s.process, src, s.process, 0, 0,
                                                 NTSEC_DUPLICATE_SAME_ACCESS, &dup), 0);
    CU_ASSERT(dup != src);
    CU_ASSERT(ntsec_success(ntsec_handle_query(dup, &granted, &attributes)));
    CU_ASSERT_EQUAL(granted, TQ | NTSEC_TOKEN_DUPLICATE);
    CU_ASSERT_EQUAL(attributes, 0);
    ntsec_handle_close(dup);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_duplicate(s.process, src, s.process, TQ, 0,
                                                 NTSEC_DUPLICATE_SAME_ATTRIBUTES, &dup), 0);
    CU_ASSERT(ntsec_success(ntsec_handle_query(dup, &granted, &attributes)));
    CU_ASSERT_EQUAL(granted, TQ);
    CU_ASSERT_EQUAL(attributes, NTSEC_OBJ_INHERIT);
    ntsec_handle_close(dup);
    ntsec_handle_close(src);
    pf_leave(&s);
}

/* DUPLICATE_CLOSE_SOURCE "closes the source handle. This occurs
 * regardless of any error status returned" (DuplicateHandle, Microsoft
 * docs); with no target process it only closes (ZwDuplicateObject:
 * TargetProcessHandle "can be NULL if DUPLICATE_CLOSE_SOURCE is set"), and
 * without the flag a NULL target is STATUS_INVALID_PARAMETER. */
static void duplicate_close_source_closes_even_on_failure(void)
{
    struct pf_sandbox s;
    ntsec_handle src, dup = 0x44;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ, 0, &src)));
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_duplicate(s.process, src, s.process, 0, 0,
                                                 NTSEC_DUPLICATE_SAME_ACCESS |
                                                 NTSEC_DUPLICATE_CLOSE_SOURCE, &dup), 0);
    CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 1);
    CU_ASSERT_EQUAL(ntsec_handle_close(src == dup ? 0 : src), NTSEC_STATUS_INVALID_HANDLE);

    CU_ASSERT_EQUAL(ntsec_handle_duplicate(s.process, dup, NULL, 0, 0, 0, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 1);
    CU_ASSERT_EQUAL(ntsec_handle_duplicate(s.process, dup, NULL, 0, 0,
                                           NTSEC_DUPLICATE_CLOSE_SOURCE, NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 0);

    /* A failed duplication (more access than the object's DACL grants the
     * caller: the token's own default DACL names user 1001 only, and the
     * caller runs as 4004) still closes the source. */
    struct ntsec_token *other = pf_make_token(4004, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(other, TQ, 0, &src)));
    struct ntsec_process *p2;
    CU_ASSERT_FATAL(ntsec_process_create(other, "other", &p2) == 0);
    ntsec_handle src2;
    CU_ASSERT_FATAL(ntsec_thread_bind(p2) == 0);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ, 0, &src2)));
    dup = 0x44;
    CU_ASSERT_EQUAL(ntsec_handle_duplicate(p2, src2, p2, NTSEC_TOKEN_ADJUST_DEFAULT, 0,
                                           NTSEC_DUPLICATE_CLOSE_SOURCE, &dup),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(dup, 0x44);
    CU_ASSERT_EQUAL(ntsec_handle_count(p2), 0);
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == 0);
    ntsec_handle_close(src);
    ntsec_object_put(p2);
    ntsec_token_put(other);
    pf_leave(&s);
}

/* "In some cases, the new handle can have more access rights than the
 * original handle" (DuplicateHandle, Remarks): rights beyond the source
 * handle's are granted when the object's descriptor grants them to the
 * caller; generic rights are mapped by the object's type and
 * MAXIMUM_ALLOWED, not a right, is dropped (ReactOS ObDuplicateObject). */
static void duplicate_more_access_needs_the_descriptor(void)
{
    struct pf_sandbox s;
    ntsec_handle src, dup;
    uint32_t granted;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ, 0, &src)));
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_duplicate(s.process, src, s.process,
                                                 NTSEC_GENERIC_WRITE | NTSEC_MAXIMUM_ALLOWED, 0, 0,
                                                 &dup), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_query(dup, &granted, NULL)));
    CU_ASSERT_EQUAL(granted, 0x000200E0u);          /* TOKEN_WRITE */
    ntsec_handle_close(dup);
    /* Less access needs no check. */
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_duplicate(s.process, src, s.process, 0, 0, 0, &dup), 0);
    CU_ASSERT(ntsec_success(ntsec_handle_query(dup, &granted, NULL)));
    CU_ASSERT_EQUAL(granted, 0);
    ntsec_handle_close(dup);
    ntsec_handle_close(src);
    pf_leave(&s);
}

/* GetCurrentProcess' pseudo-handle duplicates into a real handle to the
 * caller's process (DuplicateHandle, Remarks: "to get a real handle"),
 * while the token pseudo-handles "cannot be duplicated"
 * (GetCurrentProcessToken, Microsoft docs). Between processes, the new
 * handle is in the target's table. */
static void duplicate_pseudo_handles_and_between_processes(void)
{
    struct pf_sandbox s;
    struct ntsec_process *p2;
    ntsec_handle dup;
    void *o;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_duplicate(s.process, NTSEC_CURRENT_PROCESS, s.process, 0, 0,
                                                 NTSEC_DUPLICATE_SAME_ACCESS, &dup), 0);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(dup, NTSEC_OBJECT_PROCESS,
                                                 NTSEC_PROCESS_ALL_ACCESS, &o, NULL), 0);
    CU_ASSERT_PTR_EQUAL(o, s.process);
    ntsec_object_put(o);
    ntsec_handle_close(dup);
    CU_ASSERT_EQUAL(ntsec_handle_duplicate(s.process, NTSEC_CURRENT_PROCESS_TOKEN, s.process, 0, 0,
                                           NTSEC_DUPLICATE_SAME_ACCESS, &dup),
                    NTSEC_STATUS_INVALID_HANDLE);
    CU_ASSERT_EQUAL(ntsec_handle_duplicate(s.process, 0x40, s.process, 0, 0, 0, &dup),
                    NTSEC_STATUS_INVALID_HANDLE);

    CU_ASSERT_FATAL(ntsec_process_create(s.token, "p2", &p2) == 0);
    CU_ASSERT_EQUAL_FATAL(ntsec_handle_duplicate(s.process, NTSEC_CURRENT_THREAD, p2, 0, 0,
                                                 NTSEC_DUPLICATE_SAME_ACCESS, &dup), 0);
    CU_ASSERT_EQUAL(ntsec_handle_count(p2), 1);
    CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 0);
    CU_ASSERT_EQUAL(ntsec_handle_duplicate(p2, dup, NULL, 0, 0, NTSEC_DUPLICATE_CLOSE_SOURCE, NULL),
                    0);
    CU_ASSERT_EQUAL(ntsec_handle_count(p2), 0);
    ntsec_object_put(p2);
    pf_leave(&s);
}

/* STYLE rule 8 for ntsec_handle_duplicate: the target table's growth
 * failing is STATUS_NO_MEMORY, the source untouched. */
static void duplicate_out_of_memory(void)
{
    struct pf_sandbox s;
    struct ntsec_process *p2;
    ntsec_handle src;
    ntsec_status st;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "p2", &p2) == 0);
    CU_ASSERT_FATAL(ntsec_success(ntsec_handle_create(s.token, TQ, 0, &src)));
    long live = testutil_live();
    for (long n = 0;; n++) {
        ntsec_handle dup = 0x22;

        testutil_fail_alloc_after(n);
        st = ntsec_handle_duplicate(s.process, src, p2, TQ, 0, 0, &dup);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st)) {
            CU_ASSERT_EQUAL(dup, 4);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(dup, 0x22);
        CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 1);
        CU_ASSERT_EQUAL(testutil_live(), live);
        CU_ASSERT_FATAL(n < 10);
    }
    ntsec_handle_close(src);
    ntsec_object_put(p2);       /* its table runs down with it, closing the copy */
    pf_leave(&s);
}

/* "A handle that has the PROCESS_QUERY_INFORMATION access right is
 * automatically granted PROCESS_QUERY_LIMITED_INFORMATION" (Microsoft
 * docs, Process Security and Access Rights; Thread Security and Access
 * Rights says the same of THREAD_QUERY_INFORMATION). */
static void query_information_brings_its_limited_form(void)
{
    ntsec_handle h;
    uint32_t granted = 0;
    void *obj;

    CU_ASSERT_EQUAL_FATAL(ntsec_handle_create(ntsec_process_current(), NTSEC_PROCESS_QUERY_INFORMATION,
                                              0, &h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_handle_reference(h, NTSEC_OBJECT_PROCESS, NTSEC_PROCESS_QUERY_LIMITED_INFORMATION,
                                           &obj, &granted), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(granted, NTSEC_PROCESS_QUERY_INFORMATION | NTSEC_PROCESS_QUERY_LIMITED_INFORMATION);
    ntsec_object_put(obj);
    CU_ASSERT_EQUAL(ntsec_handle_close(h), NTSEC_STATUS_SUCCESS);

    CU_ASSERT_EQUAL_FATAL(ntsec_handle_create(ntsec_thread_current(), NTSEC_THREAD_QUERY_INFORMATION,
                                              0, &h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_handle_reference(h, NTSEC_OBJECT_THREAD, NTSEC_THREAD_QUERY_LIMITED_INFORMATION,
                                           &obj, &granted), NTSEC_STATUS_SUCCESS);
    ntsec_object_put(obj);
    CU_ASSERT_EQUAL(ntsec_handle_close(h), NTSEC_STATUS_SUCCESS);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(handles_are_multiples_of_four_lowest_free_first),
        TEST(handle_low_two_bits_are_ignored),
        TEST(close_rules),
        TEST(reference_statuses),
        TEST(pseudo_handles_resolve_against_the_caller),
        TEST(handle_create_checks_its_arguments),
        TEST(handle_create_out_of_memory),
        TEST(duplicate_same_access_and_attributes),
        TEST(duplicate_close_source_closes_even_on_failure),
        TEST(duplicate_more_access_needs_the_descriptor),
        TEST(duplicate_pseudo_handles_and_between_processes),
        TEST(duplicate_out_of_memory),
        TEST(query_information_brings_its_limited_form),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("handle", tests);
}

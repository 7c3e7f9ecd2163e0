/* test_process.c - emulated processes and threads: process 1 and its
 * Linux token, creating processes, binding pthreads, the impersonation
 * state a thread carries, the default security of process and thread
 * objects, and opening them (ObOpenObjectByPointer). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "object_sd.h"
#include "process.h"
#include "procfix.h"
#include "testutil.h"
#include "thread.h"

#define MEDIUM NTSEC_MANDATORY_MEDIUM
#define LOW NTSEC_MANDATORY_LOW

/* --- process 1 ------------------------------------------------------------ */

/* DESIGN.md "Linux": the OS process is process 1 and runs as the primary
 * token ntsec_unixcred_token() makes from the Linux credentials. */
static void process_one_runs_as_the_linux_credentials(void)
{
    struct ntsec_process *p = ntsec_process_current();
    struct ntsec_token *mine, *linux_token = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_EQUAL(p, ntsec__process_one());
    mine = ntsec_process_token(p);
    CU_ASSERT_FATAL(ntsec_unixcred_token(&linux_token) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_token_type(mine), NTSEC_TOKEN_PRIMARY);
    /* The same user (each call makes a new logon session, so the tokens
     * differ in their logon SID). */
    uint8_t a[128], b[128];
    uint32_t na, nb;
    CU_ASSERT_FATAL(ntsec_success(ntsec_token_query(mine, NTSEC_TOKEN_USER, a, sizeof(a), &na)));
    CU_ASSERT_FATAL(ntsec_success(ntsec_token_query(linux_token, NTSEC_TOKEN_USER, b, sizeof(b),
                                                    &nb)));
    CU_ASSERT(ntsec_sid_equal(*(const struct ntsec_sid **)a, *(const struct ntsec_sid **)b));
    /* PsReferencePrimaryToken hands out the same token each time. */
    struct ntsec_token *again = ntsec_process_token(p);
    CU_ASSERT_PTR_EQUAL(mine, again);
    ntsec_token_put(again);
    ntsec_token_put(linux_token);
    ntsec_token_put(mine);
}

/* Process and thread ids come from one client-id table: multiples of 4,
 * never 0, never shared (Windows Internals, 7th ed., ch. 3). */
static void process_and_thread_ids_are_distinct_multiples_of_four(void)
{
    struct ntsec_token *t = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    struct ntsec_process *a, *b;
    struct ntsec_thread *me = ntsec_thread_current();

    CU_ASSERT_FATAL(ntsec_process_create(t, "a", &a) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_process_create(t, "b", &b) == NTSEC_STATUS_SUCCESS);
    uint32_t ids[] = { ntsec_process_id(ntsec_process_current()), ntsec_thread_id(me),
                       ntsec_process_id(a), ntsec_process_id(b) };
    for (int i = 0; i < 4; i++) {
        CU_ASSERT(ids[i] != 0 && ids[i] % 4 == 0);
        for (int j = 0; j < i; j++)
            CU_ASSERT(ids[i] != ids[j]);
    }
    CU_ASSERT_PTR_EQUAL(ntsec_thread_process(me), ntsec_process_current());
    ntsec_object_put(a);
    ntsec_object_put(b);
    ntsec_token_put(t);
}

/* --- creating processes ----------------------------------------------------- */

/* CreateProcessAsUser: hToken is "a handle to the primary token"
 * (Microsoft docs); an impersonation token is refused. */
static void process_create_needs_a_primary_token(void)
{
    struct ntsec_token *imp = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_IMPERSONATION,
                                            NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_process *p = (struct ntsec_process *)0x1;

    CU_ASSERT_EQUAL(ntsec_process_create(imp, "x", &p), NTSEC_STATUS_BAD_TOKEN_TYPE);
    CU_ASSERT_EQUAL(ntsec_process_create(NULL, "x", &p), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_process_create(imp, "x", NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(p, (struct ntsec_process *)0x1);
    ntsec_token_put(imp);
}

/* The process holds its own reference on its primary token
 * (PsReferencePrimaryToken works while the creator let go of it). */
static void process_keeps_its_own_reference_on_the_token(void)
{
    struct ntsec_token *t = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    struct ntsec_luid id = ntsec_token_id(t);
    struct ntsec_process *p;
    long live = ntsec_object_live();

    CU_ASSERT_FATAL(ntsec_process_create(t, NULL, &p) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_live(), live + 1);
    ntsec_token_put(t);
    struct ntsec_token *got = ntsec_process_token(p);
    CU_ASSERT_EQUAL(ntsec_token_id(got).low, id.low);
    CU_ASSERT_EQUAL(ntsec_object_type(p), NTSEC_OBJECT_PROCESS);
    CU_ASSERT_EQUAL(ntsec_handle_count(p), 0);
    ntsec_token_put(got);
    ntsec_object_put(p);
}

/* STYLE rule 8: every allocation failure of ntsec_process_create returns
 * STATUS_NO_MEMORY, leaves *out alone and leaks nothing. */
static void process_create_out_of_memory(void)
{
    struct ntsec_token *t = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    long objects = ntsec_object_live(), live = testutil_live();
    ntsec_status st;

    for (long n = 0;; n++) {
        struct ntsec_process *p = (struct ntsec_process *)0x1;

        testutil_fail_alloc_after(n);
        st = ntsec_process_create(t, "oom", &p);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st)) {
            ntsec_object_put(p);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_PTR_EQUAL(p, (struct ntsec_process *)0x1);
        CU_ASSERT_EQUAL(ntsec_object_live(), objects);
        CU_ASSERT_EQUAL(testutil_live(), live);
        CU_ASSERT_FATAL(n < 50);
    }
    ntsec_token_put(t);
}

/* --- threads ----------------------------------------------------------------- */

/* ntsec_thread_bind (process.h): the pthread becomes a new thread of the
 * process and acts as its primary token. */
static void thread_bind_runs_the_pthread_in_the_process(void)
{
    struct ntsec_thread *before = ntsec_thread_current();
    uint32_t old_tid = ntsec_thread_id(before);
    struct pf_sandbox s;

    pf_enter(&s, 1001, MEDIUM);
    struct ntsec_thread *now = ntsec_thread_current();
    CU_ASSERT_PTR_EQUAL(ntsec_process_current(), s.process);
    CU_ASSERT_PTR_EQUAL(ntsec_thread_process(now), s.process);
    CU_ASSERT(ntsec_thread_id(now) != old_tid);
    struct ntsec_token *eff = ntsec_thread_effective_token();
    CU_ASSERT_PTR_EQUAL(eff, s.token);
    ntsec_token_put(eff);
    CU_ASSERT_EQUAL(ntsec_thread_bind(NULL), NTSEC_STATUS_INVALID_PARAMETER);
    pf_leave(&s);
    CU_ASSERT_PTR_EQUAL(ntsec_process_current(), s.home);
}

/* A thread that does not impersonate has no impersonation token, and its
 * effective token is its process' primary token (PsReferenceEffectiveToken;
 * OpenThreadToken fails with ERROR_NO_TOKEN, Microsoft docs). */
static void thread_without_impersonation_acts_as_its_process(void)
{
    struct ntsec_thread *me = ntsec_thread_current();
    enum ntsec_impersonation_level level = 77;
    struct ntsec_token *primary = ntsec_process_token(ntsec_process_current());
    struct ntsec_token *eff = ntsec_thread_effective_token();

    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(me, &level, NULL, NULL));
    CU_ASSERT_EQUAL(level, 77);
    CU_ASSERT_PTR_EQUAL(eff, primary);
    ntsec_token_put(eff);
    ntsec_token_put(primary);
}

/* PsReferenceImpersonationToken returns the token with the level,
 * CopyOnOpen and EffectiveOnly the thread impersonates with; the effective
 * token is then the impersonation token; PsDisableImpersonation hides it;
 * reverting drops the thread's reference (Microsoft docs,
 * PsReferenceImpersonationToken, PsDisableImpersonation). */
static void thread_impersonation_state_is_reported_and_cleared(void)
{
    struct ntsec_thread *me = ntsec_thread_current();
    struct ntsec_token *client = pf_make_token(2002, MEDIUM, NTSEC_TOKEN_IMPERSONATION,
                                               NTSEC_SECURITY_DELEGATION);
    enum ntsec_impersonation_level level;
    bool coo = false, eo = true;
    long live = ntsec_object_live();

    ntsec__thread_set_impersonation(me, client, NTSEC_SECURITY_IMPERSONATION, true, false);
    struct ntsec_token *got = ntsec_thread_impersonation(me, &level, &coo, &eo);
    CU_ASSERT_PTR_EQUAL(got, client);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(coo, true);
    CU_ASSERT_EQUAL(eo, false);
    ntsec_token_put(got);
    struct ntsec_token *eff = ntsec_thread_effective_token();
    CU_ASSERT_PTR_EQUAL(eff, client);
    ntsec_token_put(eff);

    struct ntsec_impersonation_state saved;
    CU_ASSERT_EQUAL(ntsec_thread_disable_impersonation(me, &saved), true);
    CU_ASSERT_PTR_EQUAL(saved.token, client);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(me, NULL, NULL, NULL));
    eff = ntsec_thread_effective_token();
    CU_ASSERT_PTR_EQUAL(eff, ntsec_process_current()->token);
    ntsec_token_put(eff);
    ntsec_thread_restore_impersonation(me, &saved);
    CU_ASSERT_PTR_NULL(saved.token);

    /* The thread holds its own reference: the caller's can go. */
    ntsec_token_put(client);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
    ntsec__thread_clear_impersonation(me);
    CU_ASSERT_EQUAL(ntsec_object_live(), live - 1);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(me, NULL, NULL, NULL));
    ntsec__thread_clear_impersonation(me);
}

/* ntsec_thread_bind ends the impersonation: the new thread object starts
 * without one, and the old object's state is released with it. */
static void thread_bind_ends_impersonation(void)
{
    struct ntsec_token *client = pf_make_token(2002, MEDIUM, NTSEC_TOKEN_IMPERSONATION,
                                               NTSEC_SECURITY_IMPERSONATION);
    struct pf_sandbox s;

    ntsec__thread_set_impersonation(ntsec_thread_current(), client, NTSEC_SECURITY_IMPERSONATION,
                                    false, false);
    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(ntsec_thread_current(), NULL, NULL, NULL));
    pf_leave(&s);
    ntsec_token_put(client);
}

/* --- default security of process and thread objects --------------------------- */

/* "The ACLs in the default security descriptor for a process come from
 * the primary or impersonation token of the creator" (Process Security and
 * Access Rights, Microsoft docs): owner, group and the default DACL with
 * its generic rights mapped (GENERIC_ALL -> PROCESS_ALL_ACCESS), and a
 * No-Write-Up | No-Read-Up label at the process' integrity level (Windows
 * Integrity Mechanism Design). */
static void process_default_sd_comes_from_the_creator(void)
{
    struct pf_sandbox s;
    struct ntsec_token *low = pf_make_token(3003, LOW, NTSEC_TOKEN_PRIMARY, 0);
    struct ntsec_process *child;
    const struct ntsec_sid *owner, *group;
    const struct ntsec_acl *dacl, *sacl;
    const struct ntsec_ace_header *ace;
    bool present, defaulted;
    struct ntsec_sid user;
    uint32_t sub[5] = { 21, 1, 2, 3, 1001 };

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(low, "child", &child) == NTSEC_STATUS_SUCCESS);
    ntsec_sid_init(&user, 5, 5, sub);
    CU_ASSERT_FATAL(ntsec_sd_is_valid(ntsec__sd_blob_sd(child->sec.sd)));
    CU_ASSERT(ntsec_success(ntsec_sd_get_owner(ntsec__sd_blob_sd(child->sec.sd), &owner, &defaulted)));
    CU_ASSERT(ntsec_sid_equal(owner, &user));
    CU_ASSERT(ntsec_success(ntsec_sd_get_group(ntsec__sd_blob_sd(child->sec.sd), &group, &defaulted)));
    CU_ASSERT(ntsec_sid_equal(group, &user));
    CU_ASSERT(ntsec_success(ntsec_sd_get_dacl(ntsec__sd_blob_sd(child->sec.sd), &present, &dacl, &defaulted)));
    CU_ASSERT_FATAL(present && dacl);
    CU_ASSERT_EQUAL(dacl->ace_count, 2);
    CU_ASSERT(ntsec_success(ntsec_acl_get_ace(dacl, 0, &ace)));
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_PROCESS_ALL_ACCESS);
    CU_ASSERT(ntsec_sid_equal(ntsec_ace_sid(ace), &user));
    CU_ASSERT(ntsec_success(ntsec_sd_get_sacl(ntsec__sd_blob_sd(child->sec.sd), &present, &sacl, &defaulted)));
    CU_ASSERT_FATAL(present && sacl);
    CU_ASSERT(ntsec_success(ntsec_acl_get_ace(sacl, 0, &ace)));
    CU_ASSERT_EQUAL(ace->type, NTSEC_ACE_SYSTEM_MANDATORY_LABEL);
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_MANDATORY_NO_WRITE_UP | NTSEC_MANDATORY_NO_READ_UP);
    CU_ASSERT_EQUAL(ntsec_sid_rid(ntsec_ace_sid(ace)), LOW);
    ntsec_object_put(child);
    ntsec_token_put(low);
    pf_leave(&s);
}

/* "Thread Security and Access Rights" (Microsoft docs): the same for a
 * thread, with THREAD_ALL_ACCESS for GENERIC_ALL. */
static void thread_default_sd_comes_from_its_process_token(void)
{
    struct pf_sandbox s;
    const struct ntsec_acl *dacl;
    const struct ntsec_ace_header *ace;
    bool present, defaulted;

    pf_enter(&s, 1001, MEDIUM);
    struct ntsec_thread *me = ntsec_thread_current();
    CU_ASSERT(ntsec_success(ntsec_sd_get_dacl(ntsec__sd_blob_sd(me->sec.sd), &present, &dacl, &defaulted)));
    CU_ASSERT_FATAL(present && dacl);
    CU_ASSERT(ntsec_success(ntsec_acl_get_ace(dacl, 1, &ace)));
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_THREAD_ALL_ACCESS);
    pf_leave(&s);
}

/* --- opening objects (ObOpenObjectByPointer) -------------------------------------- */

/* The creator's default DACL grants its user everything: opening the new
 * process with generic read gives the mapped rights (process GenericRead =
 * READ_CONTROL | VM_READ | QUERY_INFORMATION); MAXIMUM_ALLOWED gives all
 * the DACL grants. */
static void open_process_maps_generic_rights_and_checks_the_dacl(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    ntsec_handle h = 0;
    uint32_t granted = 0;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(child, NTSEC_GENERIC_READ, 0, false, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_query(h, &granted, NULL)));
    /* GENERIC_READ maps to 0x20410; the handle also gets
     * PROCESS_QUERY_LIMITED_INFORMATION (Process Security and Access
     * Rights: it comes with PROCESS_QUERY_INFORMATION). */
    CU_ASSERT_EQUAL(granted, 0x00020410u | NTSEC_PROCESS_QUERY_LIMITED_INFORMATION);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(child, NTSEC_MAXIMUM_ALLOWED, 0, false, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_query(h, &granted, NULL)));
    CU_ASSERT_EQUAL(granted, NTSEC_PROCESS_ALL_ACCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    ntsec_object_put(child);
    pf_leave(&s);
}

/* Another user, not in the DACL, is refused (SeAccessCheck:
 * STATUS_ACCESS_DENIED) and gets no handle; in kernel mode the same open
 * succeeds without a check, MAXIMUM_ALLOWED standing for GenericAll. */
static void open_process_of_another_user_is_denied_in_user_mode_only(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    ntsec_handle h = 0x77;
    uint32_t granted;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    struct ntsec_token *other = pf_make_token(4004, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    struct ntsec_process *p2;
    CU_ASSERT_FATAL(ntsec_process_create(other, "other", &p2) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_thread_bind(p2) == NTSEC_STATUS_SUCCESS);

    CU_ASSERT_EQUAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, false, &h),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(h, 0x77);
    CU_ASSERT_EQUAL(ntsec_handle_count(p2), 0);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(child, NTSEC_MAXIMUM_ALLOWED, 0, true, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_query(h, &granted, NULL)));
    CU_ASSERT_EQUAL(granted, NTSEC_PROCESS_ALL_ACCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));

    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(p2);
    ntsec_token_put(other);
    ntsec_object_put(child);
    pf_leave(&s);
}

/* The label's No-Read-Up: a Low-integrity caller, though the DACL grants
 * its user everything, cannot read a Medium process (Windows Integrity
 * Mechanism Design; [MS-DTYP] 2.5.3.3 MandatoryIntegrityCheck), but may
 * still query limited information (GenericExecute). */
static void open_process_from_lower_integrity_is_refused_read(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    ntsec_handle h;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    struct ntsec_token *low = pf_make_token(1001, LOW, NTSEC_TOKEN_PRIMARY, 0);
    struct ntsec_process *lowp;
    CU_ASSERT_FATAL(ntsec_process_create(low, "low", &lowp) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_thread_bind(lowp) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, false, &h),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_LIMITED_INFORMATION, 0,
                                            false, &h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(lowp);
    ntsec_token_put(low);
    ntsec_object_put(child);
    pf_leave(&s);
}

/* An impersonating thread opens with its client token; at Identification
 * level it cannot open objects at all (STATUS_BAD_IMPERSONATION_LEVEL;
 * "Impersonation Levels", Microsoft docs). */
static void open_while_impersonating_uses_the_client(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    struct ntsec_token *client = pf_make_token(4004, MEDIUM, NTSEC_TOKEN_IMPERSONATION,
                                               NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_thread *me;
    ntsec_handle h;

    pf_enter(&s, 1001, MEDIUM);
    me = ntsec_thread_current();
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    ntsec__thread_set_impersonation(me, client, NTSEC_SECURITY_IMPERSONATION, false, false);
    CU_ASSERT_EQUAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, false, &h),
                    NTSEC_STATUS_ACCESS_DENIED);
    ntsec__thread_set_impersonation(me, s.token, NTSEC_SECURITY_IDENTIFICATION, false, false);
    CU_ASSERT_EQUAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, false, &h),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    ntsec__thread_clear_impersonation(me);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, false, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    ntsec_object_put(child);
    ntsec_token_put(client);
    pf_leave(&s);
}

/* ObOpenObjectByPointer: attributes outside OBJ_VALID_ATTRIBUTES are
 * STATUS_INVALID_PARAMETER; OBJ_INHERIT is kept on the handle. */
static void open_checks_attributes(void)
{
    struct pf_sandbox s;
    ntsec_handle h = 0x55;
    uint32_t attributes = 0;

    pf_enter(&s, 1001, MEDIUM);
    CU_ASSERT_EQUAL(ntsec_object_open(s.token, NTSEC_TOKEN_QUERY, 0x1, false, &h),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_object_open(NULL, NTSEC_TOKEN_QUERY, 0, false, &h),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(h, 0x55);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open(s.token, NTSEC_TOKEN_QUERY, NTSEC_OBJ_INHERIT, false,
                                            &h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_query(h, NULL, &attributes)));
    CU_ASSERT_EQUAL(attributes, NTSEC_OBJ_INHERIT);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    pf_leave(&s);
}

/* Every allocation of ntsec_object_open failing: STATUS_NO_MEMORY, no
 * handle, no leak (STYLE rule 8). */
static void open_out_of_memory(void)
{
    struct pf_sandbox s;
    ntsec_status st;

    pf_enter(&s, 1001, MEDIUM);
    long live = testutil_live(), objects = ntsec_object_live();
    for (long n = 0;; n++) {
        ntsec_handle h = 0x99;

        testutil_fail_alloc_after(n);
        st = ntsec_object_open(s.token, NTSEC_TOKEN_QUERY, 0, false, &h);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st)) {
            CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_EQUAL(h, 0x99);
        CU_ASSERT_EQUAL(ntsec_handle_count(s.process), 0);
        CU_ASSERT_EQUAL(testutil_live(), live);
        CU_ASSERT_EQUAL(ntsec_object_live(), objects);
        CU_ASSERT_FATAL(n < 50);
    }
    pf_leave(&s);
}

/* OpenAsSelf (Microsoft docs, OpenThreadToken): the check is "made against
 * the process-level security context": the process' primary token, with
 * no impersonation level in play, while the thread impersonates a client
 * that is denied (Impersonation level) or cannot open objects at all
 * (Identification level). */
static void open_as_self_checks_the_process_token(void)
{
    struct pf_sandbox s;
    struct ntsec_process *child;
    struct ntsec_token *client = pf_make_token(4004, MEDIUM, NTSEC_TOKEN_IMPERSONATION,
                                               NTSEC_SECURITY_IMPERSONATION);
    struct ntsec_thread *me;
    ntsec_handle h = 0;
    uint32_t granted = 0;

    pf_enter(&s, 1001, MEDIUM);
    me = ntsec_thread_current();
    CU_ASSERT_FATAL(ntsec_process_create(s.token, "child", &child) == NTSEC_STATUS_SUCCESS);
    ntsec__thread_set_impersonation(me, client, NTSEC_SECURITY_IMPERSONATION, false, false);
    CU_ASSERT_EQUAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, false, &h),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open_as_self(child, NTSEC_GENERIC_READ, 0, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_query(h, &granted, NULL)));
    /* GENERIC_READ maps to 0x20410; the handle also gets
     * PROCESS_QUERY_LIMITED_INFORMATION (Process Security and Access
     * Rights: it comes with PROCESS_QUERY_INFORMATION). */
    CU_ASSERT_EQUAL(granted, 0x00020410u | NTSEC_PROCESS_QUERY_LIMITED_INFORMATION);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    ntsec__thread_set_impersonation(me, client, NTSEC_SECURITY_IDENTIFICATION, false, false);
    CU_ASSERT_EQUAL(ntsec_object_open(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, false, &h),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL_FATAL(ntsec_object_open_as_self(child, NTSEC_PROCESS_QUERY_INFORMATION, 0, &h),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_success(ntsec_handle_close(h)));
    CU_ASSERT_EQUAL(ntsec_object_open_as_self(child, NTSEC_PROCESS_QUERY_INFORMATION, 0x80000000u,
                                              &h), NTSEC_STATUS_INVALID_PARAMETER);
    ntsec__thread_clear_impersonation(me);
    ntsec_object_put(child);
    ntsec_token_put(client);
    pf_leave(&s);
}

/* PsLookupProcessByProcessId / PsLookupThreadByThreadId (Microsoft docs):
 * any live process or thread by id, a new reference; an id of the other
 * type or of no object STATUS_INVALID_CID. The table does not keep an
 * object alive: after its last reference the id is gone. */
static void lookup_by_id_finds_live_objects_only(void)
{
    struct ntsec_token *tok = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    struct ntsec_process *p, *found = NULL;
    struct ntsec_thread *t = NULL, *me = ntsec_thread_current();
    uint32_t pid;

    CU_ASSERT_FATAL(ntsec_process_create(tok, "other", &p) == NTSEC_STATUS_SUCCESS);
    pid = ntsec_process_id(p);
    CU_ASSERT_EQUAL_FATAL(ntsec_process_lookup(pid, &found), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(found, p);
    ntsec_object_put(found);
    CU_ASSERT_EQUAL_FATAL(ntsec_thread_lookup(ntsec_thread_id(me), &t), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(t, me);
    ntsec_object_put(t);
    found = (struct ntsec_process *)1;
    CU_ASSERT_EQUAL(ntsec_process_lookup(ntsec_thread_id(me), &found), NTSEC_STATUS_INVALID_CID);
    CU_ASSERT_EQUAL(ntsec_thread_lookup(pid, &t), NTSEC_STATUS_INVALID_CID);
    CU_ASSERT_EQUAL(ntsec_process_lookup(0, &found), NTSEC_STATUS_INVALID_CID);
    CU_ASSERT_PTR_EQUAL(found, (struct ntsec_process *)1);
    CU_ASSERT_EQUAL(ntsec_process_lookup(pid, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    ntsec_object_put(p);
    CU_ASSERT_EQUAL(ntsec_process_lookup(pid, &found), NTSEC_STATUS_INVALID_CID);
    ntsec_token_put(tok);
}

struct id_race {
    atomic_uint pid;
    atomic_bool stop;
    atomic_int found;
};

static void *id_looker(void *arg)
{
    struct id_race *r = arg;

    while (!atomic_load(&r->stop)) {
        struct ntsec_process *p;

        if (ntsec_process_lookup(atomic_load(&r->pid), &p) == NTSEC_STATUS_SUCCESS) {
            if (ntsec_object_type(p) != NTSEC_OBJECT_PROCESS)
                atomic_store(&r->found, -1000000);
            atomic_fetch_add(&r->found, 1);
            ntsec_object_put(p);
        }
    }
    return NULL;
}

/* A lookup racing the last ntsec_object_put either takes a reference on
 * a live object or finds nothing, never a freed one (object_ids.c). */
static void lookup_races_the_last_reference(void)
{
    struct ntsec_token *tok = pf_make_token(1001, MEDIUM, NTSEC_TOKEN_PRIMARY, 0);
    struct id_race r = { 0 };
    pthread_t lookers[2];

    for (int i = 0; i < 2; i++)
        CU_ASSERT_FATAL(pthread_create(&lookers[i], NULL, id_looker, &r) == 0);
    for (int i = 0; i < 2000; i++) {
        struct ntsec_process *p;

        CU_ASSERT_FATAL(ntsec_process_create(tok, NULL, &p) == NTSEC_STATUS_SUCCESS);
        atomic_store(&r.pid, ntsec_process_id(p));
        ntsec_object_put(p);
    }
    atomic_store(&r.stop, true);
    for (int i = 0; i < 2; i++)
        pthread_join(lookers[i], NULL);
    CU_ASSERT(atomic_load(&r.found) >= 0);
    ntsec_token_put(tok);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(process_one_runs_as_the_linux_credentials),
        TEST(process_and_thread_ids_are_distinct_multiples_of_four),
        TEST(process_create_needs_a_primary_token),
        TEST(process_keeps_its_own_reference_on_the_token),
        TEST(process_create_out_of_memory),
        TEST(thread_bind_runs_the_pthread_in_the_process),
        TEST(thread_without_impersonation_acts_as_its_process),
        TEST(thread_impersonation_state_is_reported_and_cleared),
        TEST(thread_bind_ends_impersonation),
        TEST(process_default_sd_comes_from_the_creator),
        TEST(thread_default_sd_comes_from_its_process_token),
        TEST(open_process_maps_generic_rights_and_checks_the_dacl),
        TEST(open_process_of_another_user_is_denied_in_user_mode_only),
        TEST(open_process_from_lower_integrity_is_refused_read),
        TEST(open_while_impersonating_uses_the_client),
        TEST(open_checks_attributes),
        TEST(open_out_of_memory),
        TEST(open_as_self_checks_the_process_token),
        TEST(lookup_by_id_finds_live_objects_only),
        TEST(lookup_races_the_last_reference),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("process", tests);
}

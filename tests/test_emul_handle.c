/* test_emul_handle.c - kernel32's and ntdll's handles: the current
 * process and thread, their ids, OpenProcess / OpenThread, CloseHandle /
 * NtClose, DuplicateHandle / NtDuplicateObject and
 * GetKernelObjectSecurity / NtQuerySecurityObject, called as Windows code
 * calls them.
 *
 * Windows' results come from Microsoft docs (GetCurrentProcess,
 * GetCurrentThread, CloseHandle, DuplicateHandle, OpenProcess,
 * OpenThread, NtClose) and those Wine's dlls/ntdll/tests/om.c asserts on
 * Windows (handle values reused lowest first). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ntsec/ntsec.h>
#include <sddl.h>

#include <pthread.h>

#include "testutil.h"
#include "thread.h"

#ifndef SYSTEM_MANDATORY_LABEL_ACE_TYPE
#define SYSTEM_MANDATORY_LABEL_ACE_TYPE 0x11
#endif

static uint32_t handles_open(void)
{
    return ntsec_handle_count(ntsec_process_current());
}

/* A handle to a new primary token with `access`. */
static HANDLE token_handle(ACCESS_MASK access)
{
    struct ntsec_sid user;
    struct ntsec_token_desc d = { .type = NTSEC_TOKEN_PRIMARY };
    struct ntsec_token *t = NULL;
    ntsec_handle h = 0;

    ntsec_sid_from_string("S-1-5-21-1-2-3-1001", NULL, &user);
    d.user.sid = &user;
    CU_ASSERT_FATAL(ntsec_token_create(&d, &t) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_handle_create(t, access, 0, &h) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return (HANDLE)h;
}

/* GetCurrentProcess / GetCurrentThread (Microsoft docs): the pseudo-
 * handles (HANDLE)-1 and (HANDLE)-2; closing one has no effect and
 * succeeds. */
static void current_pseudo_handles(void)
{
    uint32_t before = handles_open();

    CU_ASSERT_EQUAL(GetCurrentProcess(), (HANDLE)(LONG_PTR)-1);
    CU_ASSERT_EQUAL(GetCurrentThread(), (HANDLE)(LONG_PTR)-2);
    CU_ASSERT(CloseHandle(GetCurrentProcess()));
    CU_ASSERT(CloseHandle(GetCurrentThread()));
    CU_ASSERT_EQUAL(NtClose(GetCurrentProcessToken()), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(handles_open(), before);
}

/* Process and thread ids come from one table of multiples of 4 and are
 * never 0 (Microsoft docs, GetCurrentProcessId; Windows' client ids). */
static void current_ids(void)
{
    DWORD pid = GetCurrentProcessId(), tid = GetCurrentThreadId();

    CU_ASSERT(pid != 0 && pid % 4 == 0);
    CU_ASSERT(tid != 0 && tid % 4 == 0);
    CU_ASSERT(pid != tid);
    CU_ASSERT_EQUAL(pid, ntsec_process_id(ntsec_process_current()));
    CU_ASSERT_EQUAL(tid, ntsec_thread_id(ntsec_thread_current()));
}

static void *other_thread_ids(void *arg)
{
    DWORD *ids = arg;

    ids[0] = GetCurrentProcessId();
    ids[1] = GetCurrentThreadId();
    return NULL;
}

/* Another pthread is another thread of the same process. */
static void another_thread_has_its_own_id(void)
{
    DWORD ids[2] = { 0, 0 };
    pthread_t th;

    CU_ASSERT_FATAL(pthread_create(&th, NULL, other_thread_ids, ids) == 0);
    pthread_join(th, NULL);
    CU_ASSERT_EQUAL(ids[0], GetCurrentProcessId());
    CU_ASSERT(ids[1] != 0 && ids[1] != GetCurrentThreadId());
}

/* CloseHandle (Microsoft docs): a closed handle is no longer valid,
 * ERROR_INVALID_HANDLE; NtClose says STATUS_INVALID_HANDLE. The value is
 * reused by the next open, lowest first (Wine's om.c, on Windows). */
static void close_handle_twice_is_invalid_handle(void)
{
    HANDLE h = token_handle(TOKEN_QUERY), again;

    CU_ASSERT(CloseHandle(h));
    SetLastError(0);
    CU_ASSERT(!CloseHandle(h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_EQUAL(NtClose(h), STATUS_INVALID_HANDLE);
    again = token_handle(TOKEN_QUERY);
    CU_ASSERT_EQUAL(again, h);
    CloseHandle(again);
}

/* OpenProcess (Microsoft docs): the caller's own id opens its process
 * (the access checked against its descriptor); id 0, the System Idle
 * Process, and an unknown id are ERROR_INVALID_PARAMETER. */
static void open_process_by_id(void)
{
    HANDLE p, tok = NULL;
    uint32_t before = handles_open();

    p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT(OpenProcessToken(p, TOKEN_QUERY, &tok));
    CU_ASSERT(CloseHandle(tok));
    CU_ASSERT(CloseHandle(p));
    SetLastError(0);
    CU_ASSERT_PTR_NULL(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, 0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_PTR_NULL(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                                   GetCurrentProcessId() + 0x10000));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(handles_open(), before);
}

/* OpenThread (Microsoft docs) on the calling thread's id; a handle with
 * only THREAD_QUERY_LIMITED_INFORMATION cannot open the thread's token
 * (NtOpenThreadTokenEx wants THREAD_QUERY_INFORMATION). */
static void open_thread_by_id(void)
{
    HANDLE t, limited, tok = (HANDLE)0x1234;

    t = OpenThread(THREAD_QUERY_INFORMATION, FALSE, GetCurrentThreadId());
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(t, TOKEN_QUERY, FALSE, &tok));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_TOKEN);
    limited = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentThreadId());
    CU_ASSERT_PTR_NOT_NULL_FATAL(limited);
    CU_ASSERT(!OpenThreadToken(limited, TOKEN_QUERY, FALSE, &tok));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(tok, (HANDLE)0x1234);
    SetLastError(0);
    CU_ASSERT_PTR_NULL(OpenThread(THREAD_QUERY_INFORMATION, FALSE, 0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(limited);
    CloseHandle(t);
}

/* DuplicateHandle (Microsoft docs): DUPLICATE_SAME_ACCESS gives a second
 * handle to the same object with the same access; DUPLICATE_CLOSE_SOURCE
 * closes the source. */
static void duplicate_handle_same_access_and_close_source(void)
{
    HANDLE h = token_handle(TOKEN_QUERY), d = NULL, e = NULL;
    DWORD type = 0, len;
    uint32_t before = handles_open();

    CU_ASSERT_FATAL(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, FALSE,
                                    DUPLICATE_SAME_ACCESS));
    CU_ASSERT(d != h);
    CU_ASSERT_EQUAL(handles_open(), before + 1);
    CU_ASSERT(GetTokenInformation(d, TokenType, &type, sizeof(type), &len));
    CU_ASSERT_EQUAL(type, TokenPrimary);
    CU_ASSERT_FATAL(DuplicateHandle(GetCurrentProcess(), d, GetCurrentProcess(), &e, 0, FALSE,
                                    DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    /* The source went: still one handle more than before. */
    CU_ASSERT_EQUAL(handles_open(), before + 1);
    CU_ASSERT(GetTokenInformation(e, TokenType, &type, sizeof(type), &len));
    CloseHandle(e);
    CloseHandle(h);
}

/* DuplicateHandle (Microsoft docs): a pseudo-handle of the current
 * process becomes a real handle; the source process handle needs
 * PROCESS_DUP_HANDLE (ERROR_ACCESS_DENIED); a source that is not open is
 * ERROR_INVALID_HANDLE and the output stays. */
static void duplicate_handle_rules(void)
{
    HANDLE real = NULL, limited, tok = NULL, out = (HANDLE)0x1234;
    HANDLE h = token_handle(TOKEN_QUERY);

    CU_ASSERT_FATAL(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(),
                                    &real, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CU_ASSERT(real != GetCurrentProcess());
    CU_ASSERT(OpenProcessToken(real, TOKEN_QUERY, &tok));
    CloseHandle(tok);
    limited = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
    CU_ASSERT_PTR_NOT_NULL_FATAL(limited);
    SetLastError(0);
    CU_ASSERT(!DuplicateHandle(limited, h, GetCurrentProcess(), &out, 0, FALSE,
                               DUPLICATE_SAME_ACCESS));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!DuplicateHandle(GetCurrentProcess(), (HANDLE)(ULONG_PTR)0x7ff0, GetCurrentProcess(),
                               &out, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_EQUAL(out, (HANDLE)0x1234);
    CloseHandle(limited);
    CloseHandle(real);
    CloseHandle(h);
}

/* DuplicateHandle (Microsoft docs): a new access that the source handle
 * does not grant is checked against the object's descriptor; for a
 * subset of the source's access it is simply given. */
static void duplicate_handle_with_smaller_access(void)
{
    HANDLE h = token_handle(TOKEN_QUERY | TOKEN_DUPLICATE), d = NULL, x = NULL;
    DWORD type, len;

    CU_ASSERT_FATAL(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, TOKEN_QUERY,
                                    FALSE, 0));
    CU_ASSERT(GetTokenInformation(d, TokenType, &type, sizeof(type), &len));
    SetLastError(0);
    CU_ASSERT(!DuplicateTokenEx(d, 0, NULL, SecurityImpersonation, TokenPrimary, &x));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CloseHandle(d);
    CloseHandle(h);
}

/* GetKernelObjectSecurity (Microsoft docs): a short buffer is
 * ERROR_INSUFFICIENT_BUFFER with the size needed; the answer holds the
 * parts asked for only; LABEL_SECURITY_INFORMATION gives a SACL of the
 * mandatory label ("SECURITY_INFORMATION", Microsoft docs). */
static void get_kernel_object_security_of_the_process(void)
{
    BYTE buf[1024];
    DWORD needed = 0, needed2 = 0;
    PSID owner = NULL, group = (PSID)1;
    PACL acl = NULL;
    BOOL present = FALSE, defaulted;
    ACE_HEADER *ace;

    SetLastError(0);
    CU_ASSERT(!GetKernelObjectSecurity(GetCurrentProcess(), OWNER_SECURITY_INFORMATION |
                                       DACL_SECURITY_INFORMATION, NULL, 0, &needed));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_FATAL(needed > sizeof(SECURITY_DESCRIPTOR_RELATIVE) && needed <= sizeof(buf));
    CU_ASSERT_FATAL(GetKernelObjectSecurity(GetCurrentProcess(), OWNER_SECURITY_INFORMATION |
                                            DACL_SECURITY_INFORMATION, buf, sizeof(buf),
                                            &needed2));
    CU_ASSERT_EQUAL(needed2, needed);
    CU_ASSERT(IsValidSecurityDescriptor(buf));
    CU_ASSERT(GetSecurityDescriptorOwner(buf, &owner, &defaulted) && owner);
    CU_ASSERT(GetSecurityDescriptorGroup(buf, &group, &defaulted) && !group);
    CU_ASSERT(GetSecurityDescriptorDacl(buf, &present, &acl, &defaulted) && present && acl);
    CU_ASSERT_FATAL(GetKernelObjectSecurity(GetCurrentProcess(), LABEL_SECURITY_INFORMATION, buf,
                                            sizeof(buf), &needed));
    present = FALSE;
    CU_ASSERT(GetSecurityDescriptorSacl(buf, &present, &acl, &defaulted) && present && acl);
    CU_ASSERT_FATAL(acl && acl->AceCount == 1);
    CU_ASSERT(GetAce(acl, 0, (void **)&ace) && ace->AceType == SYSTEM_MANDATORY_LABEL_ACE_TYPE);
}

/* GetKernelObjectSecurity (Microsoft docs): READ_CONTROL on the handle
 * for the owner, group or DACL, ACCESS_SYSTEM_SECURITY for the SACL;
 * ERROR_ACCESS_DENIED otherwise, and nothing written. */
static void get_kernel_object_security_needs_access(void)
{
    HANDLE q = token_handle(TOKEN_QUERY), rc = token_handle(READ_CONTROL);
    BYTE buf[512];
    DWORD needed = 0x1234;

    SetLastError(0);
    CU_ASSERT(!GetKernelObjectSecurity(q, OWNER_SECURITY_INFORMATION, buf, sizeof(buf), &needed));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(needed, 0x1234);
    CU_ASSERT(!GetKernelObjectSecurity(rc, SACL_SECURITY_INFORMATION, buf, sizeof(buf), &needed));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(GetKernelObjectSecurity(rc, OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
                                      DACL_SECURITY_INFORMATION, buf, sizeof(buf), &needed));
    CU_ASSERT(IsValidSecurityDescriptor(buf));
    CloseHandle(rc);
    CloseHandle(q);
}

/* STYLE rule 8: a token's descriptor is built for the question; each
 * allocation failure is ERROR_NOT_ENOUGH_MEMORY, nothing leaked. */
static void get_kernel_object_security_out_of_memory(void)
{
    HANDLE rc = token_handle(READ_CONTROL);
    BYTE buf[512];
    DWORD needed;
    long live = testutil_live();
    BOOL ok = FALSE;

    for (long n = 0; !ok && n < 20; n++) {
        needed = 0x1234;
        testutil_fail_alloc_after(n);
        ok = GetKernelObjectSecurity(rc, OWNER_SECURITY_INFORMATION, buf, sizeof(buf), &needed);
        testutil_fail_alloc_after(-1);
        if (!ok) {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
            CU_ASSERT_EQUAL(needed, 0x1234);
            CU_ASSERT_EQUAL(testutil_live(), live);
        }
    }
    CU_ASSERT(ok);
    CloseHandle(rc);
}

/* --- SetKernelObjectSecurity / NtSetSecurityObject ---------------------------------- */

static PSECURITY_DESCRIPTOR sd_from(const WCHAR *sddl)
{
    PSECURITY_DESCRIPTOR sd = NULL;

    CU_ASSERT_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1,
                                                                         &sd, NULL));
    return sd;
}

/* The calling thread acts as user 1001 of a plain token (no privileges
 * that lift the owner rule), whatever Linux account runs the tests. */
static struct ntsec_token *act_as_plain_user(void)
{
    struct ntsec_sid user, admins;
    struct ntsec_sid_and_attributes groups[1] = { { &admins, SE_GROUP_ENABLED | SE_GROUP_OWNER } };
    struct ntsec_token_desc d = { .type = NTSEC_TOKEN_IMPERSONATION,
                                  .level = NTSEC_SECURITY_IMPERSONATION,
                                  .groups = groups, .group_count = 1 };
    struct ntsec_token *t = NULL;

    ntsec_sid_from_string("S-1-5-21-1-2-3-1001", NULL, &user);
    ntsec_sid_from_string("S-1-5-32-544", NULL, &admins);
    d.user.sid = &user;
    CU_ASSERT_FATAL(ntsec_token_create(&d, &t) == NTSEC_STATUS_SUCCESS);
    ntsec__thread_set_impersonation(ntsec_thread_current(), t, NTSEC_SECURITY_IMPERSONATION,
                                    false, false);
    return t;
}

static void stop_acting(struct ntsec_token *t)
{
    ntsec__thread_clear_impersonation(ntsec_thread_current());
    ntsec_token_put(t);
}

/* SetKernelObjectSecurity (Microsoft docs; "SECURITY_INFORMATION": right
 * required to set the DACL WRITE_DAC, the owner WRITE_OWNER): a handle
 * without it is ERROR_ACCESS_DENIED and nothing changes; with it the new
 * DACL is what GetKernelObjectSecurity then reads. */
static void set_kernel_object_security_needs_write_dac(void)
{
    HANDLE h = token_handle(READ_CONTROL | WRITE_DAC), rc = NULL;
    PSECURITY_DESCRIPTOR sd = sd_from(u"D:(A;;0x8;;;WD)");
    BYTE buf[512];
    DWORD needed;
    PACL acl = NULL;
    BOOL present = FALSE, defaulted;
    ACCESS_ALLOWED_ACE *ace;

    CU_ASSERT_FATAL(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &rc,
                                    READ_CONTROL, FALSE, 0));
    SetLastError(0);
    CU_ASSERT(!SetKernelObjectSecurity(rc, DACL_SECURITY_INFORMATION, sd));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!SetKernelObjectSecurity(h, OWNER_SECURITY_INFORMATION, sd));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(SetKernelObjectSecurity(h, DACL_SECURITY_INFORMATION, sd));
    CU_ASSERT_FATAL(GetKernelObjectSecurity(rc, DACL_SECURITY_INFORMATION, buf, sizeof(buf),
                                            &needed));
    CU_ASSERT(GetSecurityDescriptorDacl(buf, &present, &acl, &defaulted) && present && acl);
    CU_ASSERT_FATAL(acl && acl->AceCount == 1);
    CU_ASSERT(GetAce(acl, 0, (void **)&ace) && ace->Mask == TOKEN_QUERY);
    LocalFree(sd);
    CloseHandle(rc);
    CloseHandle(h);
}

/* NtSetSecurityObject (Microsoft docs): Windows probes the descriptor
 * (a NULL one is STATUS_ACCESS_VIOLATION); an owner the caller may not
 * assign - not its user nor an SE_GROUP_OWNER group - is
 * STATUS_INVALID_OWNER / ERROR_INVALID_OWNER, an owner it may is set. */
static void set_security_object_owner_rules(void)
{
    HANDLE h = token_handle(READ_CONTROL | WRITE_OWNER);
    PSECURITY_DESCRIPTOR other = sd_from(u"O:S-1-5-21-9-9-9-500"), admins = sd_from(u"O:BA");
    struct ntsec_token *me = act_as_plain_user();
    BYTE buf[512];
    DWORD needed;
    PSID owner = NULL, want = NULL;
    BOOL defaulted;

    CU_ASSERT_EQUAL(NtSetSecurityObject(h, DACL_SECURITY_INFORMATION, NULL),
                    STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(NtSetSecurityObject(h, OWNER_SECURITY_INFORMATION, other),
                    STATUS_INVALID_OWNER);
    SetLastError(0);
    CU_ASSERT(!SetKernelObjectSecurity(h, OWNER_SECURITY_INFORMATION, other));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_OWNER);
    CU_ASSERT_EQUAL(NtSetSecurityObject(h, OWNER_SECURITY_INFORMATION, admins), STATUS_SUCCESS);
    CU_ASSERT_FATAL(GetKernelObjectSecurity(h, OWNER_SECURITY_INFORMATION, buf, sizeof(buf),
                                            &needed));
    CU_ASSERT(GetSecurityDescriptorOwner(buf, &owner, &defaulted) && owner);
    CU_ASSERT(GetSecurityDescriptorOwner(admins, &want, &defaulted) && want);
    CU_ASSERT(owner && want && EqualSid(owner, want));
    stop_acting(me);
    LocalFree(other);
    LocalFree(admins);
    CloseHandle(h);
}

/* --- OpenProcess / OpenThread / NtOpenProcess / NtOpenThread by id --------------- */

/* OpenProcess (Microsoft docs): any process by id, its access "checked
 * against the security descriptor for the process" with the caller's
 * token: a caller acting as a user the process' DACL does not name is
 * ERROR_ACCESS_DENIED. Once the process object is gone its id names
 * nothing (ERROR_INVALID_PARAMETER); a thread id is not a process id. */
static void open_process_of_another_process(void)
{
    struct ntsec_token *primary = ntsec_process_token(ntsec_process_current());
    struct ntsec_process *other;
    struct ntsec_token *me;
    HANDLE h, tok = NULL;
    DWORD pid;

    CU_ASSERT_FATAL(ntsec_process_create(primary, "other", &other) == NTSEC_STATUS_SUCCESS);
    pid = ntsec_process_id(other);
    CU_ASSERT_FATAL(pid != GetCurrentProcessId());
    h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT(OpenProcessToken(h, TOKEN_QUERY, &tok));
    CloseHandle(tok);
    me = act_as_plain_user();
    SetLastError(0);
    CU_ASSERT_PTR_NULL(OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, pid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    stop_acting(me);
    CU_ASSERT_PTR_NULL(OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, GetCurrentThreadId()));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    /* A handle keeps the object, and so its id, alive. */
    ntsec_object_put(other);
    CloseHandle(h);
    SetLastError(0);
    CU_ASSERT_PTR_NULL(OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, pid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    ntsec_token_put(primary);
}

static void *report_tid(void *arg)
{
    *(DWORD *)arg = GetCurrentThreadId();
    return NULL;
}

/* NtOpenProcess / NtOpenThread (Microsoft docs, Return value): an unknown
 * id is STATUS_INVALID_CID, no client id or an object name
 * STATUS_INVALID_PARAMETER_MIX; a client id whose thread is not in its
 * process is STATUS_INVALID_CID; NtOpenProcess by a thread id opens the
 * thread's process. OpenThread opens another thread of the process. */
static void nt_open_process_and_thread_by_client_id(void)
{
    OBJECT_ATTRIBUTES attr = { .Length = sizeof(attr) };
    UNICODE_STRING name = { 0 };
    CLIENT_ID cid = { (HANDLE)(uintptr_t)GetCurrentProcessId(), NULL };
    HANDLE h = (HANDLE)0x1234, t;
    DWORD other_tid = 0;
    pthread_t th;

    CU_ASSERT_EQUAL_FATAL(NtOpenProcess(&h, PROCESS_QUERY_LIMITED_INFORMATION, &attr, &cid),
                          STATUS_SUCCESS);
    CloseHandle(h);
    h = (HANDLE)0x1234;
    cid.UniqueProcess = (HANDLE)(uintptr_t)(GetCurrentProcessId() + 0x40000);
    CU_ASSERT_EQUAL(NtOpenProcess(&h, PROCESS_QUERY_LIMITED_INFORMATION, &attr, &cid),
                    STATUS_INVALID_CID);
    CU_ASSERT_EQUAL(NtOpenProcess(&h, PROCESS_QUERY_LIMITED_INFORMATION, &attr, NULL),
                    STATUS_INVALID_PARAMETER_MIX);
    attr.ObjectName = &name;
    cid.UniqueProcess = (HANDLE)(uintptr_t)GetCurrentProcessId();
    CU_ASSERT_EQUAL(NtOpenProcess(&h, PROCESS_QUERY_LIMITED_INFORMATION, &attr, &cid),
                    STATUS_INVALID_PARAMETER_MIX);
    attr.ObjectName = NULL;
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    cid.UniqueThread = (HANDLE)(uintptr_t)GetCurrentThreadId();
    CU_ASSERT_EQUAL_FATAL(NtOpenProcess(&h, PROCESS_QUERY_LIMITED_INFORMATION, &attr, &cid),
                          STATUS_SUCCESS);
    CloseHandle(h);
    cid.UniqueProcess = (HANDLE)(uintptr_t)(GetCurrentProcessId() + 0x40000);
    CU_ASSERT_EQUAL(NtOpenThread(&h, THREAD_QUERY_INFORMATION, &attr, &cid), STATUS_INVALID_CID);
    cid.UniqueProcess = NULL;
    CU_ASSERT_EQUAL_FATAL(NtOpenThread(&h, THREAD_QUERY_INFORMATION, &attr, &cid),
                          STATUS_SUCCESS);
    CloseHandle(h);
    cid.UniqueThread = (HANDLE)(uintptr_t)GetCurrentProcessId();
    CU_ASSERT_EQUAL(NtOpenThread(&h, THREAD_QUERY_INFORMATION, &attr, &cid), STATUS_INVALID_CID);
    /* Another pthread is another thread of the process; its object goes
     * when the pthread exits (no handle was open), and its id with it. */
    CU_ASSERT_FATAL(pthread_create(&th, NULL, report_tid, &other_tid) == 0);
    pthread_join(th, NULL);
    SetLastError(0);
    t = OpenThread(THREAD_QUERY_INFORMATION, FALSE, other_tid);
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
}

static CU_TestInfo tests[] = {
    TEST(current_pseudo_handles),
    TEST(current_ids),
    TEST(another_thread_has_its_own_id),
    TEST(close_handle_twice_is_invalid_handle),
    TEST(open_process_by_id),
    TEST(open_thread_by_id),
    TEST(duplicate_handle_same_access_and_close_source),
    TEST(duplicate_handle_rules),
    TEST(duplicate_handle_with_smaller_access),
    TEST(get_kernel_object_security_of_the_process),
    TEST(get_kernel_object_security_needs_access),
    TEST(get_kernel_object_security_out_of_memory),
    TEST(set_kernel_object_security_needs_write_dac),
    TEST(set_security_object_owner_rules),
    TEST(open_process_of_another_process),
    TEST(nt_open_process_and_thread_by_client_id),
    CU_TEST_INFO_NULL,
};

/* Process 1, this thread and the handle table live as long as the
 * program: made before the runner counts. */
static void warm_up(void)
{
    ntsec_handle h[32];

    for (int i = 0; i < 32; i++)
        ntsec_handle_create(ntsec_thread_current(), 0, 0, &h[i]);
    for (int i = 0; i < 32; i++)
        ntsec_handle_close(h[i]);
}

void register_tests(void)
{
    warm_up();
    testutil_add_suite("emul_handle", tests);
}

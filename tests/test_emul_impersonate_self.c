/* test_emul_impersonate_self.c - the NT and Win32 calls that make the
 * thread's token themselves, called as Windows code calls them:
 * RtlImpersonateSelf and ImpersonateSelf, ImpersonateLoggedOnUser,
 * NtOpenThreadToken(Ex) on what they leave, and the access checks a thread
 * makes at each level. emulimpfix.h has the sandbox.
 *
 * Windows' results come from Microsoft docs (ImpersonateSelf,
 * ImpersonateLoggedOnUser, NtOpenThreadTokenEx), from what Wine's
 * dlls/advapi32/tests/security.c asserts on Windows (test_AccessCheck,
 * test_impersonation_level) and from the ReactOS API tests that pass on
 * Windows (modules/rostests/apitests/ntdll NtOpenThreadToken.c). Where
 * ntsec had to choose, the test says so. */
#include "emulimpfix.h"

/* --- ImpersonateSelf / RtlImpersonateSelf -------------------------------------- */

/* Wine's test_impersonation_level (on Windows): after
 * ImpersonateSelf(SecurityAnonymous) OpenThreadToken with OpenAsSelf fails
 * with ERROR_CANT_OPEN_ANONYMOUS; after SecurityIdentification it opens
 * (as self) and PrivilegeCheck on it works; ReactOS API test
 * NtOpenThreadToken (on Windows): after RtlImpersonateSelf(
 * SecurityImpersonation) the token opens with OpenAsSelf FALSE and TRUE.
 * The token is a copy of the process token (its user). */
static void impersonate_self_levels(void)
{
    struct sandbox s;
    PRIVILEGE_SET set = { 1, PRIVILEGE_SET_ALL_NECESSARY,
                          { { { SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 } } };
    SECURITY_IMPERSONATION_LEVEL level = 99;
    BOOL held = FALSE;
    HANDLE h = (HANDLE)0x1234;

    enter(&s, SERVER, 0);
    CU_ASSERT_FATAL(ImpersonateSelf(SecurityAnonymous));
    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_CANT_OPEN_ANONYMOUS);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT_FATAL(ImpersonateSelf(SecurityIdentification));
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityIdentification);
    CU_ASSERT_EQUAL(user_rid_of(h), SERVER);
    CU_ASSERT(PrivilegeCheck(h, &set, &held));
    CU_ASSERT(held);
    CloseHandle(h);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT_EQUAL_FATAL(RtlImpersonateSelf(SecurityImpersonation), STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(NtOpenThreadToken(GetCurrentThread(), TOKEN_READ, FALSE, &h),
                          STATUS_SUCCESS);
    CloseHandle(h);
    CU_ASSERT_EQUAL(thread_user_rid(&level), SERVER);
    CU_ASSERT_EQUAL(level, SecurityImpersonation);
    CU_ASSERT(RevertToSelf());
    leave(&s);
}

/* RtlImpersonateSelf goes through NtOpenProcessToken and NtDuplicateToken
 * (Wine's and ReactOS' RtlImpersonateSelf), so their statuses surface: a
 * level above SecurityDelegation is NtDuplicateToken's
 * STATUS_INVALID_PARAMETER (ERROR_INVALID_PARAMETER; libsec's status for
 * it, from ReactOS NtDuplicateToken), and a thread impersonating the anonymous logon may not open
 * its process' token (OpenProcessToken, Microsoft docs: the access is
 * "reconciled against the token's DACL" with the caller's effective
 * token): ERROR_ACCESS_DENIED. The thread keeps what it had. */
static void impersonate_self_failures(void)
{
    struct sandbox s;
    struct imp before, after;

    enter(&s, SERVER, 0);
    SetLastError(0);
    CU_ASSERT(!ImpersonateSelf(SecurityDelegation + 1));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT(!impersonating());
    CU_ASSERT_FATAL(ImpersonateAnonymousToken(GetCurrentThread()));
    before = my_imp();
    CU_ASSERT(!ImpersonateSelf(SecurityImpersonation));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    after = my_imp();
    CU_ASSERT_PTR_EQUAL(before.token, after.token);
    ntsec_token_put(before.token);
    ntsec_token_put(after.token);
    CU_ASSERT(RevertToSelf());
    leave(&s);
}

/* --- ImpersonateLoggedOnUser ----------------------------------------------------- */

/* ImpersonateLoggedOnUser (Microsoft docs, hToken): a primary token needs
 * TOKEN_QUERY and TOKEN_DUPLICATE, and the thread impersonates a duplicate
 * at SecurityImpersonation (an impersonation token, not the primary
 * token object); success leaves the last error. */
static void impersonate_logged_on_user_primary(void)
{
    struct sandbox s;
    struct ntsec_token *p = user_token(SERVER, NTSEC_TOKEN_PRIMARY, 0, 0);
    HANDLE good, no_dup, no_query, h = NULL;
    struct imp now;

    enter(&s, SERVER, 0);
    good = handle_of(p, TOKEN_QUERY | TOKEN_DUPLICATE);
    no_dup = handle_of(p, TOKEN_QUERY | TOKEN_IMPERSONATE);
    no_query = handle_of(p, TOKEN_DUPLICATE | TOKEN_IMPERSONATE);
    SetLastError(0);
    CU_ASSERT(!ImpersonateLoggedOnUser(no_dup));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!ImpersonateLoggedOnUser(no_query));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!ImpersonateLoggedOnUser((HANDLE)(ULONG_PTR)0x7ff0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT(!impersonating());
    SetLastError(0xdeadbeef);
    CU_ASSERT_FATAL(ImpersonateLoggedOnUser(good));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    now = my_imp();
    CU_ASSERT(now.token != p);
    CU_ASSERT_EQUAL(now.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT(!now.copy_on_open);
    ntsec_token_put(now.token);
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenType), TokenImpersonation);
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityImpersonation);
    CloseHandle(h);
    CU_ASSERT(RevertToSelf());
    CloseHandle(good);
    CloseHandle(no_dup);
    CloseHandle(no_query);
    leave(&s);
    ntsec_token_put(p);
}

/* ImpersonateLoggedOnUser (Microsoft docs, hToken): an impersonation token
 * needs TOKEN_QUERY and TOKEN_IMPERSONATE and is used as it is, at its own
 * level (SecurityIdentification here: opening objects as it then fails). */
static void impersonate_logged_on_user_impersonation_token(void)
{
    struct sandbox s;
    struct ntsec_token *t = imp_token(SERVER, NTSEC_SECURITY_IDENTIFICATION);
    HANDLE good, no_imp, h = (HANDLE)0x1234;
    struct imp now;

    enter(&s, SERVER, 0);
    good = handle_of(t, TOKEN_QUERY | TOKEN_IMPERSONATE);
    no_imp = handle_of(t, TOKEN_QUERY | TOKEN_DUPLICATE);
    SetLastError(0);
    CU_ASSERT(!ImpersonateLoggedOnUser(no_imp));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!impersonating());
    CU_ASSERT_FATAL(ImpersonateLoggedOnUser(good));
    now = my_imp();
    CU_ASSERT_PTR_EQUAL(now.token, t);
    CU_ASSERT_EQUAL(now.level, NTSEC_SECURITY_IDENTIFICATION);
    ntsec_token_put(now.token);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(RevertToSelf());
    CloseHandle(good);
    CloseHandle(no_imp);
    leave(&s);
    ntsec_token_put(t);
}

/* ImpersonateLoggedOnUser, Remarks (Microsoft docs): impersonating another
 * user's token needs SeImpersonatePrivilege; without it the thread gets
 * SecurityIdentification, with it SecurityImpersonation. */
static void impersonate_logged_on_user_level_rules(void)
{
    struct ntsec_token *p = user_token(CLIENT, NTSEC_TOKEN_PRIMARY, 0, 0);
    enum ntsec_impersonation_level level = 99;

    CU_ASSERT_EQUAL(taken_as(ImpersonateLoggedOnUser, p, TOKEN_QUERY | TOKEN_DUPLICATE, 0, &level),
                    CLIENT);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(taken_as(ImpersonateLoggedOnUser, p, TOKEN_QUERY | TOKEN_DUPLICATE,
                             O_IMPERSONATE_PRIVILEGE, &level), CLIENT);
    CU_ASSERT_EQUAL(level, NTSEC_SECURITY_IMPERSONATION);
    ntsec_token_put(p);
}

/* STYLE rule 8: every allocation failure of ImpersonateLoggedOnUser on a
 * primary token is ERROR_NOT_ENOUGH_MEMORY, leaves the thread as it was
 * and leaks nothing. */
static void impersonate_logged_on_user_out_of_memory(void)
{
    struct sandbox s;
    struct ntsec_token *p = user_token(SERVER, NTSEC_TOKEN_PRIMARY, 0, 0);
    HANDLE h;
    BOOL ok = FALSE;
    long live;

    enter(&s, SERVER, 0);
    h = handle_of(p, TOKEN_QUERY | TOKEN_DUPLICATE);
    live = testutil_live();
    for (long n = 0; !ok && n < 100; n++) {
        testutil_fail_alloc_after(n);
        ok = ImpersonateLoggedOnUser(h);
        testutil_fail_alloc_after(-1);
        if (!ok) {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
            CU_ASSERT(!impersonating());
            CU_ASSERT_EQUAL(testutil_live(), live);
        }
    }
    CU_ASSERT(ok);
    CU_ASSERT(RevertToSelf());
    CloseHandle(h);
    leave(&s);
    ntsec_token_put(p);
}

/* --- NtOpenThreadToken(Ex) on what the calls leave ----------------------------- */

/* NtOpenThreadTokenEx (Microsoft docs, ThreadHandle: "The handle must have
 * THREAD_QUERY_INFORMATION access"; Return value: STATUS_ACCESS_DENIED
 * otherwise), checked before the thread's state: a handle with only
 * THREAD_QUERY_LIMITED_INFORMATION is refused even for a thread that does
 * not impersonate. */
static void open_thread_token_needs_query_information(void)
{
    struct sandbox s;
    HANDLE limited, h = (HANDLE)0x1234;

    enter(&s, SERVER, 0);
    limited = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentThreadId());
    CU_ASSERT_PTR_NOT_NULL_FATAL(limited);
    CU_ASSERT_EQUAL(NtOpenThreadTokenEx(limited, TOKEN_QUERY, TRUE, 0, &h), STATUS_ACCESS_DENIED);
    CU_ASSERT_FATAL(ImpersonateSelf(SecurityImpersonation));
    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(limited, TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    CU_ASSERT(RevertToSelf());
    CloseHandle(limited);
    leave(&s);
}

/* STYLE rule 8: opening a CopyOnOpen impersonation (the anonymous token)
 * makes a copy and gives it a DACL; every allocation failure on the way is
 * STATUS_NO_MEMORY, writes no handle and leaks nothing. */
static void open_thread_token_copy_out_of_memory(void)
{
    struct sandbox s;
    NTSTATUS st = STATUS_NO_MEMORY;
    HANDLE h;
    long live;

    enter(&s, SERVER, 0);
    CU_ASSERT_FATAL(ImpersonateAnonymousToken(GetCurrentThread()));
    live = testutil_live();
    for (long n = 0; st != STATUS_SUCCESS && n < 100; n++) {
        h = (HANDLE)0x1234;
        testutil_fail_alloc_after(n);
        st = NtOpenThreadTokenEx(GetCurrentThread(), TOKEN_QUERY, FALSE, 0, &h);
        testutil_fail_alloc_after(-1);
        if (st != STATUS_SUCCESS) {
            CU_ASSERT_EQUAL(st, STATUS_NO_MEMORY);
            CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
            CU_ASSERT_EQUAL(testutil_live(), live);
        }
    }
    CU_ASSERT_EQUAL_FATAL(st, STATUS_SUCCESS);
    CloseHandle(h);
    CU_ASSERT(RevertToSelf());
    leave(&s);
}

/* --- access checks at each level ------------------------------------------------ */

/* SECURITY_IMPERSONATION_LEVEL (Microsoft docs): at SecurityIdentification
 * "the server can make access-validation decisions", so AccessCheck,
 * PrivilegeCheck and CheckTokenMembership (with the token, and with NULL
 * for the thread's own) answer; an anonymous-level token cannot be asked:
 * AccessCheck fails with ERROR_BAD_IMPERSONATION_LEVEL (Wine's
 * test_AccessCheck, on Windows), PrivilegeCheck too (Wine's
 * test_impersonation_level), and CheckTokenMembership, an access check
 * on Windows, likewise. */
static void access_checks_at_identification_and_anonymous(void)
{
    struct sandbox s;
    GENERIC_MAPPING mapping = { 1, 2, 4, 7 };
    PRIVILEGE_SET set = { 1, PRIVILEGE_SET_ALL_NECESSARY,
                          { { { SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 } } };
    BYTE privs[256];
    DWORD privs_len = sizeof(privs), granted = 0xdeadbeef;
    BOOL status = FALSE, held = FALSE, member = FALSE;
    PSECURITY_DESCRIPTOR sd = NULL;
    SID_IDENTIFIER_AUTHORITY world = { SECURITY_WORLD_SID_AUTHORITY };
    PSID everyone = NULL;
    HANDLE process = NULL, ident = NULL, anon = NULL;

    enter(&s, SERVER, 0);
    CU_ASSERT_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorW(
        (LPCWSTR)u"O:SYG:SYD:(A;;0x1;;;WD)", SDDL_REVISION_1, &sd, NULL));
    CU_ASSERT_FATAL(AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0,
                                             &everyone));
    CU_ASSERT_FATAL(ImpersonateSelf(SecurityIdentification));
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &ident));
    CU_ASSERT(CheckTokenMembership(NULL, everyone, &member));
    CU_ASSERT(member);
    CU_ASSERT(RevertToSelf());
    CU_ASSERT(AccessCheck(sd, ident, 1, &mapping, (PPRIVILEGE_SET)privs, &privs_len, &granted,
                          &status));
    CU_ASSERT(status);
    CU_ASSERT_EQUAL(granted, 1);
    CU_ASSERT(PrivilegeCheck(ident, &set, &held));
    CU_ASSERT(held);
    member = FALSE;
    CU_ASSERT(CheckTokenMembership(ident, everyone, &member));
    CU_ASSERT(member);

    CU_ASSERT_FATAL(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE, &process));
    CU_ASSERT_FATAL(DuplicateToken(process, SecurityAnonymous, &anon));
    granted = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CU_ASSERT(!AccessCheck(sd, anon, 1, &mapping, (PPRIVILEGE_SET)privs, &privs_len, &granted,
                           &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(granted, 0xdeadbeef);
    CU_ASSERT(!PrivilegeCheck(anon, &set, &held));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(!CheckTokenMembership(anon, everyone, &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(!member);
    CloseHandle(anon);
    CloseHandle(process);
    CloseHandle(ident);
    FreeSid(everyone);
    LocalFree(sd);
    leave(&s);
}

/* --- registration -------------------------------------------------------------- */

static CU_TestInfo tests[] = {
    TEST(impersonate_self_levels),
    TEST(impersonate_self_failures),
    TEST(impersonate_logged_on_user_primary),
    TEST(impersonate_logged_on_user_impersonation_token),
    TEST(impersonate_logged_on_user_level_rules),
    TEST(impersonate_logged_on_user_out_of_memory),
    TEST(open_thread_token_needs_query_information),
    TEST(open_thread_token_copy_out_of_memory),
    TEST(access_checks_at_identification_and_anonymous),
    CU_TEST_INFO_NULL,
};

void register_tests(void)
{
    eif_warm_up();
    testutil_add_suite("emul_impersonate_self", tests);
}

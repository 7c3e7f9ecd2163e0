/* test_emul_account.c - advapi32's names: LookupAccountSidW,
 * LookupAccountNameW, LogonUserW, LookupPrivilegeValueW,
 * LookupPrivilegeNameW and LookupPrivilegeDisplayNameW, called as Windows
 * code calls them, against ntsec's embedded default world (machine
 * WORKSTATION in domain CONTOSO; alice's password is "alice-password").
 *
 * Windows' results are those Wine's dlls/advapi32/tests/security.c
 * asserts on Windows (test_LookupAccountSid, test_LookupAccountName,
 * test_LookupPrivilegeName, test_LookupPrivilegeValue) and Microsoft docs
 * (LogonUser, LookupPrivilegeDisplayName). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ntsec/ntsec.h>

#include "testutil.h"

static struct ntsec_sid users, everyone, unknown;

static bool wequal(const WCHAR *a, const WCHAR *b)
{
    size_t i = 0;

    for (; a[i] && b[i]; i++)
        if (a[i] != b[i])
            return false;
    return a[i] == b[i];
}

/* --- LookupAccountSid --------------------------------------------------------- */

/* Wine's test_LookupAccountSid (on Windows): BUILTIN\Users is found;
 * each count becomes the length without the NUL. */
static void lookup_account_sid_names_builtin_users(void)
{
    WCHAR name[64], domain[64];
    DWORD n = 64, d = 64;
    SID_NAME_USE use = 0;

    CU_ASSERT_FATAL(LookupAccountSidW(NULL, &users, name, &n, domain, &d, &use));
    CU_ASSERT(wequal(name, u"Users"));
    CU_ASSERT(wequal(domain, u"BUILTIN"));
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_EQUAL(d, 7);
    CU_ASSERT_EQUAL(use, SidTypeAlias);
}

/* Wine's test_LookupAccountSid (on Windows): a short account or domain
 * buffer is ERROR_INSUFFICIENT_BUFFER and the count becomes length + 1;
 * with both NULL and 0 both counts are set and peUse is not written; a
 * NULL buffer with a large count succeeds. */
static void lookup_account_sid_size_protocol(void)
{
    WCHAR name[64], domain[64];
    DWORD n = 1, d = 64;
    SID_NAME_USE use = 0;

    SetLastError(0);
    CU_ASSERT(!LookupAccountSidW(NULL, &users, name, &n, domain, &d, &use));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(n, 6);
    n = 64;
    d = 0;
    CU_ASSERT(!LookupAccountSidW(NULL, &users, name, &n, domain, &d, &use));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(d, 8);
    n = d = 0;
    CU_ASSERT(!LookupAccountSidW(NULL, &users, NULL, &n, NULL, &d, &use));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT(n == 6 && d == 8);
    CU_ASSERT_EQUAL(use, 0);
    n = d = 64;
    CU_ASSERT(LookupAccountSidW(NULL, &users, NULL, &n, domain, &d, &use));
    CU_ASSERT_EQUAL(use, SidTypeAlias);
}

/* Wine's test_LookupAccountSid (on Windows): another system cannot be
 * reached, RPC_S_SERVER_UNAVAILABLE; test_sid_str: a SID nobody knows is
 * ERROR_NONE_MAPPED. */
static void lookup_account_sid_failures(void)
{
    WCHAR name[64], domain[64];
    DWORD n = 64, d = 64;
    SID_NAME_USE use = 0;

    SetLastError(0);
    CU_ASSERT(!LookupAccountSidW(u"deepthought", &users, name, &n, domain, &d, &use));
    CU_ASSERT_EQUAL(GetLastError(), RPC_S_SERVER_UNAVAILABLE);
    CU_ASSERT(!LookupAccountSidW(NULL, &unknown, name, &n, domain, &d, &use));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NONE_MAPPED);
    CU_ASSERT(n == 64 && d == 64 && use == 0);
}

/* STYLE rule 8: every allocation failure is ERROR_NOT_ENOUGH_MEMORY with
 * nothing written and nothing leaked. */
static void lookup_account_sid_out_of_memory(void)
{
    WCHAR name[64], domain[64];
    DWORD n, d;
    SID_NAME_USE use;
    long live = testutil_live();
    BOOL ok = FALSE;

    for (long i = 0; !ok && i < 50; i++) {
        n = d = 64;
        use = 0;
        testutil_fail_alloc_after(i);
        ok = LookupAccountSidW(NULL, &users, name, &n, domain, &d, &use);
        testutil_fail_alloc_after(-1);
        if (!ok) {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
            CU_ASSERT(n == 64 && d == 64 && use == 0);
            CU_ASSERT_EQUAL(testutil_live(), live);
        }
    }
    CU_ASSERT(ok && n == 5);
}

/* --- LookupAccountName --------------------------------------------------------- */

/* Wine's test_LookupAccountName (on Windows): the first call with no
 * buffers is ERROR_INSUFFICIENT_BUFFER with both sizes (the domain's
 * counting the NUL) and peUse untouched; then the SID and the domain come
 * back, *cbSid the SID's length and the domain count its length. */
static void lookup_account_name_sizes_then_answer(void)
{
    BYTE sid[SECURITY_MAX_SID_SIZE];
    WCHAR domain[64], name[64];
    DWORD s = 0, d = 0, n = 64, d2 = 64;
    SID_NAME_USE use = 0xcafebabe;

    SetLastError(0);
    CU_ASSERT(!LookupAccountNameW(NULL, u"CONTOSO\\alice", NULL, &s, NULL, &d, &use));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(s, 28);
    CU_ASSERT_EQUAL(d, 8);
    CU_ASSERT_EQUAL(use, (SID_NAME_USE)0xcafebabe);
    CU_ASSERT_FATAL(LookupAccountNameW(NULL, u"CONTOSO\\alice", sid, &s, domain, &d, &use));
    CU_ASSERT_EQUAL(s, GetLengthSid(sid));
    CU_ASSERT_EQUAL(d, 7);
    CU_ASSERT(wequal(domain, u"CONTOSO"));
    CU_ASSERT_EQUAL(use, SidTypeUser);
    /* And back: the SID names alice of CONTOSO. */
    CU_ASSERT(LookupAccountSidW(NULL, sid, name, &n, domain, &d2, &use));
    CU_ASSERT(wequal(name, u"alice"));
    CU_ASSERT(wequal(domain, u"CONTOSO"));
}

/* Wine's test_LookupAccountName (on Windows): "Everyone" has an empty
 * domain (count 0) and is SidTypeWellKnownGroup; an unknown name is
 * ERROR_NONE_MAPPED with the sizes untouched; another system
 * RPC_S_SERVER_UNAVAILABLE. */
static void lookup_account_name_rules(void)
{
    BYTE sid[SECURITY_MAX_SID_SIZE];
    WCHAR domain[64];
    DWORD s = sizeof(sid), d = 64;
    SID_NAME_USE use = 0;

    CU_ASSERT_FATAL(LookupAccountNameW(NULL, u"Everyone", sid, &s, domain, &d, &use));
    CU_ASSERT(EqualSid(sid, &everyone));
    CU_ASSERT_EQUAL(d, 0);
    CU_ASSERT_EQUAL(domain[0], 0);
    CU_ASSERT_EQUAL(use, SidTypeWellKnownGroup);
    s = d = 0;
    SetLastError(0);
    CU_ASSERT(!LookupAccountNameW(NULL, u"oogabooga", NULL, &s, NULL, &d, &use));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NONE_MAPPED);
    CU_ASSERT(s == 0 && d == 0);
    CU_ASSERT(!LookupAccountNameW(u"deepthought", NULL, NULL, &s, NULL, &d, &use));
    CU_ASSERT_EQUAL(GetLastError(), RPC_S_SERVER_UNAVAILABLE);
    CU_ASSERT(s == 0 && d == 0);
}

/* --- LogonUser ------------------------------------------------------------------ */

/* LogonUser (Microsoft docs): a wrong password is ERROR_LOGON_FAILURE; the
 * right one gives a primary token for the user; a logon type ntsec does
 * not model is ERROR_INVALID_PARAMETER. */
static void logon_user(void)
{
    HANDLE t = (HANDLE)0x1234;
    BYTE buf[128], sid[SECURITY_MAX_SID_SIZE];
    TOKEN_USER *user = (TOKEN_USER *)buf;
    WCHAR domain[64];
    DWORD len, s = sizeof(sid), d = 64, type = 0;
    SID_NAME_USE use;

    SetLastError(0);
    CU_ASSERT(!LogonUserW(u"alice", u"CONTOSO", u"wrong", LOGON32_LOGON_INTERACTIVE,
                          LOGON32_PROVIDER_DEFAULT, &t));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_LOGON_FAILURE);
    CU_ASSERT(!LogonUserW(u"nobody", u"CONTOSO", u"x", LOGON32_LOGON_INTERACTIVE,
                          LOGON32_PROVIDER_DEFAULT, &t));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_LOGON_FAILURE);
    /* A computer account: the password is checked before the account's
     * kind (ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT), and the world gives
     * it none (docs/world.md). */
    CU_ASSERT(!LogonUserW(u"WORKSTATION$", u"CONTOSO", u"x", LOGON32_LOGON_INTERACTIVE,
                          LOGON32_PROVIDER_DEFAULT, &t));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_LOGON_FAILURE);
    CU_ASSERT(!LogonUserW(u"alice", u"CONTOSO", u"alice-password", 1, LOGON32_PROVIDER_DEFAULT,
                          &t));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(t, (HANDLE)0x1234);
    CU_ASSERT_FATAL(LogonUserW(u"alice", u"CONTOSO", u"alice-password",
                               LOGON32_LOGON_INTERACTIVE, LOGON32_PROVIDER_DEFAULT, &t));
    CU_ASSERT(GetTokenInformation(t, TokenUser, buf, sizeof(buf), &len));
    CU_ASSERT(GetTokenInformation(t, TokenType, &type, sizeof(type), &len));
    CU_ASSERT_EQUAL(type, TokenPrimary);
    CU_ASSERT(LookupAccountNameW(NULL, u"CONTOSO\\alice", sid, &s, domain, &d, &use));
    CU_ASSERT(EqualSid(user->User.Sid, sid));
    CU_ASSERT(CloseHandle(t));
}

/* --- privileges ------------------------------------------------------------------ */

/* Wine's test_LookupPrivilegeValue (on Windows): names compare without
 * case; an unknown one is ERROR_NO_SUCH_PRIVILEGE; another system
 * RPC_S_SERVER_UNAVAILABLE. */
static void lookup_privilege_value(void)
{
    LUID luid = { 0, 0 };

    CU_ASSERT(LookupPrivilegeValueW(NULL, u"sEcREATEtOKENpRIVILEGE", &luid));
    CU_ASSERT(luid.LowPart == SE_CREATE_TOKEN_PRIVILEGE && luid.HighPart == 0);
    CU_ASSERT(LookupPrivilegeValueW(u"", u"SeDebugPrivilege", &luid));
    CU_ASSERT_EQUAL(luid.LowPart, SE_DEBUG_PRIVILEGE);
    SetLastError(0);
    CU_ASSERT(!LookupPrivilegeValueW(NULL, u"SeBogusPrivilege", &luid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_SUCH_PRIVILEGE);
    CU_ASSERT(!LookupPrivilegeValueW(u"b0gu5.Nu11", u"SeCreateTokenPrivilege", &luid));
    CU_ASSERT_EQUAL(GetLastError(), RPC_S_SERVER_UNAVAILABLE);
}

/* Wine's test_LookupPrivilegeName (on Windows): a zero count is
 * ERROR_INSUFFICIENT_BUFFER with the length + 1, success gives the
 * length; every LUID from 2 to 36 has a name; 0xdeadbeef is
 * ERROR_NO_SUCH_PRIVILEGE. */
static void lookup_privilege_name(void)
{
    WCHAR name[64];
    DWORD cch = 0;
    LUID luid = { SE_CREATE_TOKEN_PRIVILEGE, 0 };

    SetLastError(0);
    CU_ASSERT(!LookupPrivilegeNameW(NULL, &luid, NULL, &cch));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(cch, sizeof("SeCreateTokenPrivilege"));
    cch = 64;
    CU_ASSERT(LookupPrivilegeNameW(NULL, &luid, name, &cch));
    CU_ASSERT_EQUAL(cch, sizeof("SeCreateTokenPrivilege") - 1);
    CU_ASSERT(wequal(name, u"SeCreateTokenPrivilege"));
    for (luid.LowPart = SE_MIN_WELL_KNOWN_PRIVILEGE; luid.LowPart <= SE_MAX_WELL_KNOWN_PRIVILEGE;
         luid.LowPart++) {
        cch = 64;
        CU_ASSERT(LookupPrivilegeNameW(NULL, &luid, name, &cch));
    }
    luid.LowPart = 0xdeadbeef;
    cch = 64;
    CU_ASSERT(!LookupPrivilegeNameW(NULL, &luid, name, &cch));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_SUCH_PRIVILEGE);
    luid.LowPart = SE_CREATE_TOKEN_PRIVILEGE;
    CU_ASSERT(!LookupPrivilegeNameW(u"b0gu5.Nu11", &luid, name, &cch));
    CU_ASSERT_EQUAL(GetLastError(), RPC_S_SERVER_UNAVAILABLE);
}

/* LookupPrivilegeDisplayName (Microsoft docs): libsec's English display
 * name, language MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), the same
 * size protocol; an unknown name ERROR_NO_SUCH_PRIVILEGE. */
static void lookup_privilege_display_name(void)
{
    const char *want = ntsec_privilege_display_name(ntsec_privilege_luid(NTSEC_SE_DEBUG_PRIVILEGE));
    WCHAR display[128];
    DWORD cch = 0, lang = 0;
    size_t len = strlen(want);

    SetLastError(0);
    CU_ASSERT(!LookupPrivilegeDisplayNameW(NULL, u"SeDebugPrivilege", NULL, &cch, &lang));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(cch, len + 1);
    cch = 128;
    CU_ASSERT_FATAL(LookupPrivilegeDisplayNameW(NULL, u"SeDebugPrivilege", display, &cch, &lang));
    CU_ASSERT_EQUAL(cch, len);
    CU_ASSERT_EQUAL(lang, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US));
    for (size_t i = 0; i <= len; i++)
        CU_ASSERT_EQUAL(display[i], (WCHAR)(unsigned char)want[i]);
    CU_ASSERT(!LookupPrivilegeDisplayNameW(NULL, u"SeBogusPrivilege", display, &cch, &lang));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_SUCH_PRIVILEGE);
}

static CU_TestInfo tests[] = {
    TEST(lookup_account_sid_names_builtin_users),
    TEST(lookup_account_sid_size_protocol),
    TEST(lookup_account_sid_failures),
    TEST(lookup_account_sid_out_of_memory),
    TEST(lookup_account_name_sizes_then_answer),
    TEST(lookup_account_name_rules),
    TEST(logon_user),
    TEST(lookup_privilege_value),
    TEST(lookup_privilege_name),
    TEST(lookup_privilege_display_name),
    CU_TEST_INFO_NULL,
};

/* Process 1, this thread, the handle table and the default world live as
 * long as the program: made before the runner counts. */
static void warm_up(void)
{
    ntsec_handle h[16];
    char name[64], domain[64];
    size_t n = sizeof(name), d = sizeof(domain);
    enum ntsec_sid_use use;

    ntsec_sid_from_string("S-1-5-32-545", NULL, &users);
    ntsec_sid_from_string("S-1-1-0", NULL, &everyone);
    ntsec_sid_from_string("S-1-5-21-9-9-9-12345", NULL, &unknown);
    ntsec_account_lookup_sid(&users, name, &n, domain, &d, &use);
    for (int i = 0; i < 16; i++)
        ntsec_handle_create(ntsec_thread_current(), 0, 0, &h[i]);
    for (int i = 0; i < 16; i++)
        ntsec_handle_close(h[i]);
}

void register_tests(void)
{
    warm_up();
    testutil_add_suite("emul_account", tests);
}

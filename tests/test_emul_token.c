/* test_emul_token.c - the Win32 and NT token API (advapi32, ntdll) called
 * as Windows code calls it: token handles, information, changes, derived
 * tokens, and the last error of each failure.
 *
 * Windows' results come from Microsoft docs (OpenThreadToken,
 * NtOpenThreadTokenEx, GetTokenInformation, AdjustTokenPrivileges,
 * DuplicateToken(Ex), NtDuplicateToken, CreateRestrictedToken,
 * NtCompareTokens, NtCreateToken, "Access Rights for Access-Token
 * Objects") and the results Wine's dlls/advapi32/tests/security.c asserts
 * on Windows (test_token_attr, test_elevation, test_CreateRestrictedToken). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ntsec/ntsec.h>

#include "testutil.h"
#include "thread.h"

/* --- fixtures ------------------------------------------------------------- */

enum { USER, EVERYONE, USERS, ADMINS, DISABLED, MEDIUM, NSIDS };
static const char *const sid_text[NSIDS] = {
    "S-1-5-21-1-2-3-1001", "S-1-1-0", "S-1-5-32-545", "S-1-5-32-544", "S-1-5-21-1-2-3-2000",
    "S-1-16-8192",
};
static struct ntsec_sid sids[NSIDS];

#define GROUP_ON (SE_GROUP_ENABLED | SE_GROUP_ENABLED_BY_DEFAULT)
#define MANDATORY (GROUP_ON | SE_GROUP_MANDATORY)

/* Token options. */
enum {
    T_CREATE_TOKEN = 1,     /* SeCreateTokenPrivilege enabled */
};

/* A token as LogonUser makes one: Everyone and Users mandatory,
 * Administrators enabled (owner), a disabled group, the Medium label;
 * SeChangeNotifyPrivilege enabled, SeShutdownPrivilege disabled. A new
 * reference. */
static struct ntsec_token *make_token(enum ntsec_token_type type,
                                      enum ntsec_impersonation_level level, unsigned opts,
                                      struct ntsec_token *linked)
{
    struct ntsec_sid_and_attributes groups[5] = {
        { &sids[EVERYONE], MANDATORY },
        { &sids[USERS], MANDATORY },
        { &sids[ADMINS], GROUP_ON | SE_GROUP_OWNER },
        { &sids[DISABLED], 0 },
        { &sids[MEDIUM], SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED },
    };
    struct ntsec_luid_and_attributes privs[3] = {
        { ntsec_privilege_luid(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE),
          SE_PRIVILEGE_ENABLED | SE_PRIVILEGE_ENABLED_BY_DEFAULT },
        { ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE), 0 },
        { ntsec_privilege_luid(NTSEC_SE_CREATE_TOKEN_PRIVILEGE), SE_PRIVILEGE_ENABLED },
    };
    struct ntsec_token_desc d = {
        .type = type, .level = level,
        .user = { &sids[USER], 0 },
        .groups = groups, .group_count = 5,
        .privileges = privs, .privilege_count = (opts & T_CREATE_TOKEN) ? 3 : 2,
        .source = { "ntsec", { 7, 0 } },
        .linked_token = linked,
        .elevation_type = linked ? NTSEC_ELEVATION_LIMITED : 0,
    };
    struct ntsec_token *t = NULL;

    CU_ASSERT_FATAL(ntsec_token_create(&d, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

/* A handle with `access` to a new token; the handle holds the only
 * reference. */
static HANDLE token_handle(enum ntsec_token_type type, enum ntsec_impersonation_level level,
                           unsigned opts, ACCESS_MASK access)
{
    struct ntsec_token *t = make_token(type, level, opts, NULL);
    ntsec_handle h = 0;

    CU_ASSERT_FATAL(ntsec_handle_create(t, access, 0, &h) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return (HANDLE)h;
}

static HANDLE primary(ACCESS_MASK access)
{
    return token_handle(NTSEC_TOKEN_PRIMARY, NTSEC_SECURITY_ANONYMOUS, 0, access);
}

/* Make the calling thread impersonate `t` (the thread takes its own
 * reference), or stop with NULL: the internal setter the impersonation
 * layer will drive. */
static void impersonate(struct ntsec_token *t, enum ntsec_impersonation_level level)
{
    if (t)
        ntsec__thread_set_impersonation(ntsec_thread_current(), t, level, false, false);
    else
        ntsec__thread_clear_impersonation(ntsec_thread_current());
}

static DWORD token_dword(HANDLE h, TOKEN_INFORMATION_CLASS cls)
{
    DWORD v = 0xdeadbeef, len = 0;

    CU_ASSERT(GetTokenInformation(h, cls, &v, sizeof(v), &len));
    return v;
}

/* --- handles ----------------------------------------------------------------- */

/* OpenProcessToken (Microsoft docs): the current process' primary token. */
static void open_process_token_gives_the_primary_token(void)
{
    HANDLE h = NULL;

    CU_ASSERT_FATAL(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    CU_ASSERT_PTR_NOT_NULL(h);
    CU_ASSERT_EQUAL(token_dword(h, TokenType), TokenPrimary);
    CU_ASSERT(CloseHandle(h));
}

/* ObReferenceObjectByHandle's statuses through OpenProcessToken: a bad
 * handle ERROR_INVALID_HANDLE, a token handle for a process one
 * ERROR_INVALID_HANDLE (STATUS_OBJECT_TYPE_MISMATCH); the output stays. */
static void open_process_token_checks_the_process_handle(void)
{
    HANDLE h = (HANDLE)0x1234, tok = primary(TOKEN_ALL_ACCESS);

    SetLastError(0);
    CU_ASSERT(!OpenProcessToken((HANDLE)(ULONG_PTR)0x7ff0, TOKEN_QUERY, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    CU_ASSERT(!OpenProcessToken(tok, TOKEN_QUERY, &h));
    CU_ASSERT_EQUAL(GetLastError(), RtlNtStatusToDosError(STATUS_OBJECT_TYPE_MISMATCH));
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    CloseHandle(tok);
}

/* Wine's test_token_attr (on Windows): OpenThreadToken on a thread that
 * does not impersonate fails with ERROR_NO_TOKEN. */
static void open_thread_token_without_impersonation_is_no_token(void)
{
    HANDLE h = (HANDLE)0x1234;

    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_TOKEN);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_TOKEN);
    CU_ASSERT_EQUAL(NtOpenThreadTokenEx(GetCurrentThread(), TOKEN_QUERY, FALSE, 0, &h),
                    STATUS_NO_TOKEN);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
}

/* NtOpenThreadTokenEx (Microsoft docs): an impersonating thread's token
 * opens; an anonymous one is STATUS_CANT_OPEN_ANONYMOUS. */
static void open_thread_token_while_impersonating(void)
{
    struct ntsec_token *t = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, 0,
                                       NULL);
    HANDLE h = NULL;

    impersonate(t, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenType), TokenImpersonation);
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityImpersonation);
    CU_ASSERT(CloseHandle(h));
    impersonate(t, NTSEC_SECURITY_ANONYMOUS);
    h = (HANDLE)0x1234;
    CU_ASSERT_EQUAL(NtOpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h),
                    STATUS_CANT_OPEN_ANONYMOUS);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    impersonate(NULL, 0);
    ntsec_token_put(t);
}

/* OpenThreadToken (Microsoft docs, OpenAsSelf): objects cannot be opened
 * at SecurityIdentification, so with OpenAsSelf FALSE the thread's own
 * impersonation at that level refuses (ERROR_BAD_IMPERSONATION_LEVEL).
 * A CopyOnOpen impersonation (NtOpenThreadTokenEx, ReactOS) gives a
 * private copy: changing it leaves the thread's token alone. */
static void open_thread_token_identification_and_copy_on_open(void)
{
    struct ntsec_token *t = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, 0,
                                       NULL);
    TOKEN_PRIVILEGES tp = { 1, { { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 }, SE_PRIVILEGE_ENABLED } } };
    HANDLE h = (HANDLE)0x1234;

    ntsec__thread_set_impersonation(ntsec_thread_current(), t, NTSEC_SECURITY_IDENTIFICATION,
                                    false, false);
    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    ntsec__thread_set_impersonation(ntsec_thread_current(), t, NTSEC_SECURITY_IMPERSONATION,
                                    true, false);
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY | TOKEN_ADJUST_PRIVILEGES,
                                    FALSE, &h));
    CU_ASSERT(AdjustTokenPrivileges(h, FALSE, &tp, 0, NULL, NULL));
    CU_ASSERT(ntsec_token_privilege_enabled(t, ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE)) ==
              false);
    CloseHandle(h);
    impersonate(NULL, 0);
    ntsec_token_put(t);
}

/* GetCurrentProcessToken / GetCurrentThreadToken /
 * GetCurrentThreadEffectiveToken are -4, -5, -6 (processthreadsapi.h);
 * the exports agree with Wine's inline versions. */
static void token_pseudo_handles_have_windows_values(void)
{
    CU_ASSERT_EQUAL(GetCurrentProcessToken(), (HANDLE)(LONG_PTR)-4);
    CU_ASSERT_EQUAL(GetCurrentThreadToken(), (HANDLE)(LONG_PTR)-5);
    CU_ASSERT_EQUAL(GetCurrentThreadEffectiveToken(), (HANDLE)(LONG_PTR)-6);
    CU_ASSERT_EQUAL(token_dword(GetCurrentProcessToken(), TokenType), TokenPrimary);
    CU_ASSERT_EQUAL(token_dword(GetCurrentThreadEffectiveToken(), TokenType), TokenPrimary);
}

/* --- information ------------------------------------------------------------- */

/* Wine's test_token_attr (on Windows): a short buffer is FALSE with
 * ERROR_INSUFFICIENT_BUFFER and the size needed, the buffer untouched; a
 * success leaves the last error alone. */
static void get_token_information_short_buffer_gives_size(void)
{
    HANDLE h = primary(TOKEN_QUERY);
    DWORD size = 0, size2 = 0;
    BYTE buf[512];
    TOKEN_GROUPS *groups = (TOKEN_GROUPS *)buf;

    SetLastError(0xdeadbeef);
    CU_ASSERT(!GetTokenInformation(h, TokenGroups, NULL, 0, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_FATAL(size > 1 && size <= sizeof(buf));
    memset(buf, 0xcc, sizeof(buf));
    CU_ASSERT(!GetTokenInformation(h, TokenGroups, buf, size - 1, &size2));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(size2, size);
    CU_ASSERT_EQUAL(buf[0], 0xcc);
    SetLastError(0xdeadbeef);
    CU_ASSERT(GetTokenInformation(h, TokenGroups, buf, size, &size2));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    CU_ASSERT_EQUAL(groups->GroupCount, 5);
    CU_ASSERT(EqualSid(groups->Groups[2].Sid, &sids[ADMINS]));
    CloseHandle(h);
}

/* Wine's test_token_attr (on Windows): TokenImpersonationLevel of a
 * primary token is ERROR_INVALID_PARAMETER. */
static void impersonation_level_of_primary_token_is_invalid_parameter(void)
{
    HANDLE h = primary(TOKEN_QUERY);
    SECURITY_IMPERSONATION_LEVEL level;
    DWORD size = sizeof(level);

    SetLastError(0);
    CU_ASSERT(!GetTokenInformation(h, TokenImpersonationLevel, &level, size, &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(h);
}

/* "Access Rights for Access-Token Objects" (Microsoft docs): querying
 * needs TOKEN_QUERY, the source TOKEN_QUERY_SOURCE. */
static void get_token_information_needs_query_access(void)
{
    HANDLE h = primary(TOKEN_QUERY_SOURCE);
    TOKEN_SOURCE source;
    DWORD size = 0;

    SetLastError(0);
    CU_ASSERT(!GetTokenInformation(h, TokenType, &size, sizeof(size), &size));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(GetTokenInformation(h, TokenSource, &source, sizeof(source), &size));
    CU_ASSERT_EQUAL(memcmp(source.SourceName, "ntsec", 5), 0);
    CloseHandle(h);
}

/* Wine's test_elevation (on Windows): TokenLinkedToken gives a new
 * impersonation handle at SecurityIdentification for a UAC pair, and a
 * NULL handle for a token without one. */
static void linked_token_is_a_new_identification_handle(void)
{
    struct ntsec_token *full = make_token(NTSEC_TOKEN_PRIMARY, 0, 0, NULL);
    struct ntsec_token *limited = make_token(NTSEC_TOKEN_PRIMARY, 0, 0, full);
    TOKEN_LINKED_TOKEN linked = { (HANDLE)0x1234 };
    ntsec_handle h = 0;
    HANDLE plain = primary(TOKEN_QUERY);
    DWORD size = 0;

    CU_ASSERT_FATAL(ntsec_handle_create(limited, TOKEN_QUERY, 0, &h) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(limited);
    ntsec_token_put(full);
    CU_ASSERT_FATAL(GetTokenInformation((HANDLE)h, TokenLinkedToken, &linked, sizeof(linked),
                                        &size));
    CU_ASSERT_EQUAL(size, sizeof(linked));
    CU_ASSERT_PTR_NOT_NULL_FATAL(linked.LinkedToken);
    CU_ASSERT_EQUAL(token_dword(linked.LinkedToken, TokenType), TokenImpersonation);
    CU_ASSERT_EQUAL(token_dword(linked.LinkedToken, TokenImpersonationLevel),
                    SecurityIdentification);
    CU_ASSERT(CloseHandle(linked.LinkedToken));
    CU_ASSERT(GetTokenInformation(plain, TokenLinkedToken, &linked, sizeof(linked), &size));
    CU_ASSERT_PTR_NULL(linked.LinkedToken);
    CloseHandle(plain);
    CloseHandle((HANDLE)h);
}

/* Wine's test_token_attr (on Windows): SetTokenInformation(TokenDefaultDacl)
 * with length 0 is ERROR_BAD_LENGTH, with a NULL buffer ERROR_NOACCESS;
 * a NULL DefaultDacl removes it, and the query then answers NULL with
 * the size of a TOKEN_DEFAULT_DACL. */
static void set_default_dacl_rules(void)
{
    HANDLE h = primary(TOKEN_QUERY | TOKEN_ADJUST_DEFAULT);
    TOKEN_DEFAULT_DACL dacl = { NULL };
    DWORD size = 0;

    SetLastError(0);
    CU_ASSERT(!SetTokenInformation(h, TokenDefaultDacl, NULL, 0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_LENGTH);
    CU_ASSERT(!SetTokenInformation(h, TokenDefaultDacl, NULL, sizeof(dacl)));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT(SetTokenInformation(h, TokenDefaultDacl, &dacl, sizeof(dacl)));
    dacl.DefaultDacl = (ACL *)0xdeadbeef;
    CU_ASSERT(GetTokenInformation(h, TokenDefaultDacl, &dacl, sizeof(dacl), &size));
    CU_ASSERT_PTR_NULL(dacl.DefaultDacl);
    CU_ASSERT_EQUAL(size, sizeof(TOKEN_DEFAULT_DACL));
    CloseHandle(h);
}

/* "Access Rights for Access-Token Objects" (Microsoft docs): changing the
 * default DACL needs TOKEN_ADJUST_DEFAULT; a class that cannot be set is
 * ERROR_INVALID_PARAMETER (STATUS_INVALID_INFO_CLASS) whatever the handle. */
static void set_token_information_needs_adjust_default(void)
{
    HANDLE h = primary(TOKEN_QUERY);
    TOKEN_DEFAULT_DACL dacl = { NULL };
    DWORD type = TokenImpersonation;

    SetLastError(0);
    CU_ASSERT(!SetTokenInformation(h, TokenDefaultDacl, &dacl, sizeof(dacl)));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!SetTokenInformation(h, TokenType, &type, sizeof(type)));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(NtSetInformationToken((HANDLE)(ULONG_PTR)0x7ff0, TokenType, &type,
                                          sizeof(type)), STATUS_INVALID_INFO_CLASS);
    CloseHandle(h);
}

/* --- changes ---------------------------------------------------------------- */

static TOKEN_PRIVILEGES one_privilege(enum ntsec_privilege p, DWORD attributes)
{
    TOKEN_PRIVILEGES tp = { 1, { { { p, 0 }, attributes } } };
    return tp;
}

static DWORD privilege_attributes(HANDLE h, enum ntsec_privilege p)
{
    BYTE buf[256];
    TOKEN_PRIVILEGES *tp = (TOKEN_PRIVILEGES *)buf;
    DWORD size;

    CU_ASSERT_FATAL(GetTokenInformation(h, TokenPrivileges, buf, sizeof(buf), &size));
    for (DWORD i = 0; i < tp->PrivilegeCount; i++)
        if (tp->Privileges[i].Luid.LowPart == (DWORD)p)
            return tp->Privileges[i].Attributes;
    return 0xffffffff;
}

/* AdjustTokenPrivileges, Return value (Microsoft docs): TRUE with
 * ERROR_SUCCESS when every privilege was adjusted, TRUE with
 * ERROR_NOT_ALL_ASSIGNED when one is not in the token. */
static void adjust_privileges_sets_last_error_on_success(void)
{
    HANDLE h = primary(TOKEN_QUERY | TOKEN_ADJUST_PRIVILEGES);
    TOKEN_PRIVILEGES tp = one_privilege(NTSEC_SE_SHUTDOWN_PRIVILEGE, SE_PRIVILEGE_ENABLED);
    TOKEN_PRIVILEGES prev;
    DWORD len = 0xdeadbeef;

    SetLastError(0xdeadbeef);
    CU_ASSERT(AdjustTokenPrivileges(h, FALSE, &tp, 0, NULL, &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CU_ASSERT_EQUAL(len, 0xdeadbeef);
    CU_ASSERT(privilege_attributes(h, NTSEC_SE_SHUTDOWN_PRIVILEGE) & SE_PRIVILEGE_ENABLED);
    tp = one_privilege(NTSEC_SE_DEBUG_PRIVILEGE, SE_PRIVILEGE_ENABLED);
    SetLastError(0xdeadbeef);
    CU_ASSERT(AdjustTokenPrivileges(h, FALSE, &tp, 0, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ALL_ASSIGNED);
    /* PreviousState receives the old state of what changed. */
    tp = one_privilege(NTSEC_SE_SHUTDOWN_PRIVILEGE, 0);
    CU_ASSERT(AdjustTokenPrivileges(h, FALSE, &tp, sizeof(prev), &prev, &len));
    CU_ASSERT_EQUAL(prev.PrivilegeCount, 1);
    CU_ASSERT(prev.Privileges[0].Attributes & SE_PRIVILEGE_ENABLED);
    CU_ASSERT_EQUAL(privilege_attributes(h, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0);
    CloseHandle(h);
}

/* AdjustTokenPrivileges (Microsoft docs): the handle needs
 * TOKEN_ADJUST_PRIVILEGES, and TOKEN_QUERY too with a PreviousState; a
 * short PreviousState is ERROR_INSUFFICIENT_BUFFER with the size needed
 * and changes nothing. */
static void adjust_privileges_checks_access_and_previous_size(void)
{
    HANDLE q = primary(TOKEN_QUERY), a = primary(TOKEN_ADJUST_PRIVILEGES);
    HANDLE both = primary(TOKEN_QUERY | TOKEN_ADJUST_PRIVILEGES);
    TOKEN_PRIVILEGES tp = one_privilege(NTSEC_SE_SHUTDOWN_PRIVILEGE, SE_PRIVILEGE_ENABLED);
    TOKEN_PRIVILEGES prev;
    DWORD len = 0;

    SetLastError(0);
    CU_ASSERT(!AdjustTokenPrivileges(q, FALSE, &tp, 0, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!AdjustTokenPrivileges(a, FALSE, &tp, sizeof(prev), &prev, &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!AdjustTokenPrivileges(both, FALSE, &tp, 4, &prev, &len));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(len, sizeof(TOKEN_PRIVILEGES));
    CU_ASSERT_EQUAL(privilege_attributes(both, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0);
    CloseHandle(q);
    CloseHandle(a);
    CloseHandle(both);
}

/* AdjustTokenGroups (Microsoft docs): a mandatory group cannot be
 * disabled (ERROR_CANT_DISABLE_MANDATORY); another can, and comes back
 * with ResetToDefault. */
static void adjust_groups_keeps_mandatory_groups(void)
{
    HANDLE h = primary(TOKEN_QUERY | TOKEN_ADJUST_GROUPS);
    TOKEN_GROUPS g = { 1, { { &sids[USERS], 0 } } };
    BYTE buf[512];
    TOKEN_GROUPS *now = (TOKEN_GROUPS *)buf;
    DWORD size;

    SetLastError(0);
    CU_ASSERT(!AdjustTokenGroups(h, FALSE, &g, 0, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_CANT_DISABLE_MANDATORY);
    g.Groups[0].Sid = &sids[ADMINS];
    CU_ASSERT(AdjustTokenGroups(h, FALSE, &g, 0, NULL, NULL));
    CU_ASSERT_FATAL(GetTokenInformation(h, TokenGroups, buf, sizeof(buf), &size));
    CU_ASSERT_FALSE(now->Groups[2].Attributes & SE_GROUP_ENABLED);
    CU_ASSERT(AdjustTokenGroups(h, TRUE, NULL, 0, NULL, NULL));
    CU_ASSERT_FATAL(GetTokenInformation(h, TokenGroups, buf, sizeof(buf), &size));
    CU_ASSERT(now->Groups[2].Attributes & SE_GROUP_ENABLED);
    CloseHandle(h);
}

/* --- derived tokens ----------------------------------------------------------- */

/* DuplicateToken (Microsoft docs): an impersonation token at the level
 * asked, with a handle of TOKEN_IMPERSONATE | TOKEN_QUERY; Wine's
 * test_token_attr checks SecurityAnonymous comes back on Windows. */
static void duplicate_token_gives_impersonation_handle(void)
{
    HANDLE h = primary(TOKEN_DUPLICATE | TOKEN_QUERY), d = NULL;
    TOKEN_PRIVILEGES tp = one_privilege(NTSEC_SE_SHUTDOWN_PRIVILEGE, SE_PRIVILEGE_ENABLED);

    CU_ASSERT_FATAL(DuplicateToken(h, SecurityAnonymous, &d));
    CU_ASSERT_EQUAL(token_dword(d, TokenType), TokenImpersonation);
    CU_ASSERT_EQUAL(token_dword(d, TokenImpersonationLevel), SecurityAnonymous);
    SetLastError(0);
    CU_ASSERT(!AdjustTokenPrivileges(d, FALSE, &tp, 0, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CloseHandle(d);
    CloseHandle(h);
}

/* DuplicateTokenEx (Microsoft docs): access 0 gives the source handle's
 * access; the handle needs TOKEN_DUPLICATE. */
static void duplicate_token_ex_zero_access_is_same_access(void)
{
    HANDLE h = primary(TOKEN_DUPLICATE | TOKEN_QUERY | TOKEN_ADJUST_PRIVILEGES), d = NULL;
    HANDLE q = primary(TOKEN_QUERY);
    TOKEN_PRIVILEGES tp = one_privilege(NTSEC_SE_SHUTDOWN_PRIVILEGE, SE_PRIVILEGE_ENABLED);

    CU_ASSERT_FATAL(DuplicateTokenEx(h, 0, NULL, SecurityImpersonation, TokenPrimary, &d));
    CU_ASSERT_EQUAL(token_dword(d, TokenType), TokenPrimary);
    CU_ASSERT(AdjustTokenPrivileges(d, FALSE, &tp, 0, NULL, NULL));
    /* The copy changed, not the source. */
    CU_ASSERT_EQUAL(privilege_attributes(h, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0);
    CloseHandle(d);
    d = (HANDLE)0x1234;
    SetLastError(0);
    CU_ASSERT(!DuplicateTokenEx(q, 0, NULL, SecurityImpersonation, TokenPrimary, &d));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(d, (HANDLE)0x1234);
    CloseHandle(q);
    CloseHandle(h);
}

/* NtDuplicateToken (Microsoft docs, WDK prototype): without a SQOS the new
 * impersonation token is SecurityAnonymous; EffectiveOnly keeps only the
 * enabled privileges and groups. */
static void nt_duplicate_token_level_from_sqos(void)
{
    HANDLE h = primary(TOKEN_DUPLICATE | TOKEN_QUERY), d = NULL;
    SECURITY_QUALITY_OF_SERVICE qos = { sizeof(qos), SecurityDelegation, SECURITY_STATIC_TRACKING,
                                        FALSE };
    OBJECT_ATTRIBUTES attr = { sizeof(attr), NULL, NULL, 0, NULL, NULL };

    CU_ASSERT_FATAL(NtDuplicateToken(h, TOKEN_QUERY, &attr, FALSE, TokenImpersonation, &d) ==
                    STATUS_SUCCESS);
    CU_ASSERT_EQUAL(token_dword(d, TokenImpersonationLevel), SecurityAnonymous);
    CU_ASSERT_EQUAL(privilege_attributes(d, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0);
    CloseHandle(d);
    attr.SecurityQualityOfService = &qos;
    CU_ASSERT_FATAL(NtDuplicateToken(h, TOKEN_QUERY, &attr, TRUE, TokenImpersonation, &d) ==
                    STATUS_SUCCESS);
    CU_ASSERT_EQUAL(token_dword(d, TokenImpersonationLevel), SecurityDelegation);
    CU_ASSERT_EQUAL(privilege_attributes(d, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0xffffffff);
    CloseHandle(d);
    CloseHandle(h);
}

/* Wine's test_CreateRestrictedToken (on Windows): the restricted token is
 * restricted (IsTokenRestricted), a disabled SID becomes deny-only, a
 * deleted privilege is gone; the source is untouched. */
static void create_restricted_token_filters(void)
{
    HANDLE h = primary(TOKEN_DUPLICATE | TOKEN_QUERY), r = NULL;
    SID_AND_ATTRIBUTES disable = { &sids[ADMINS], 0 }, restrict_sid = { &sids[USERS], 0 };
    LUID_AND_ATTRIBUTES del = { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 }, 0 };
    BYTE buf[512];
    TOKEN_GROUPS *groups = (TOKEN_GROUPS *)buf;
    DWORD size;

    SetLastError(0xdeadbeef);
    CU_ASSERT(!IsTokenRestricted(h));
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    CU_ASSERT_FATAL(CreateRestrictedToken(h, 0, 1, &disable, 1, &del, 1, &restrict_sid, &r));
    CU_ASSERT(IsTokenRestricted(r));
    CU_ASSERT_EQUAL(token_dword(r, TokenType), TokenPrimary);
    CU_ASSERT_FATAL(GetTokenInformation(r, TokenGroups, buf, sizeof(buf), &size));
    CU_ASSERT_EQUAL(groups->Groups[2].Attributes & (SE_GROUP_USE_FOR_DENY_ONLY | SE_GROUP_ENABLED),
                    SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT_EQUAL(privilege_attributes(r, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0xffffffff);
    CU_ASSERT_EQUAL(privilege_attributes(h, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0);
    SetLastError(0);
    CU_ASSERT(!IsTokenRestricted((HANDLE)(ULONG_PTR)0x7ff0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CloseHandle(r);
    CloseHandle(h);
}

/* NtCompareTokens (Microsoft docs): a duplicate equals its source; tokens
 * with different SIDs do not. */
static void compare_tokens(void)
{
    HANDLE a = primary(TOKEN_DUPLICATE | TOKEN_QUERY), b = primary(TOKEN_QUERY), d = NULL, r = NULL;
    SID_AND_ATTRIBUTES restrict_sid = { &sids[USERS], 0 };
    BOOLEAN equal = FALSE;

    CU_ASSERT_FATAL(DuplicateTokenEx(a, TOKEN_QUERY, NULL, SecurityImpersonation,
                                     TokenImpersonation, &d));
    CU_ASSERT_EQUAL(NtCompareTokens(a, d, &equal), STATUS_SUCCESS);
    CU_ASSERT(equal);
    CU_ASSERT_EQUAL(NtCompareTokens(a, b, &equal), STATUS_SUCCESS);
    CU_ASSERT(equal);
    CU_ASSERT_FATAL(CreateRestrictedToken(a, 0, 0, NULL, 0, NULL, 1, &restrict_sid, &r));
    CU_ASSERT_EQUAL(NtCompareTokens(a, r, &equal), STATUS_SUCCESS);
    CU_ASSERT(!equal);
    CloseHandle(r);
    CloseHandle(d);
    CloseHandle(b);
    CloseHandle(a);
}

/* NtCreateToken needs SeCreateTokenPrivilege enabled in the caller's
 * effective token (Microsoft docs, "Privilege Constants",
 * SE_CREATE_TOKEN_NAME). */
static void nt_create_token_needs_create_token_privilege(void)
{
    struct ntsec_token *without = make_token(NTSEC_TOKEN_IMPERSONATION,
                                             NTSEC_SECURITY_IMPERSONATION, 0, NULL);
    struct ntsec_token *with = make_token(NTSEC_TOKEN_IMPERSONATION,
                                          NTSEC_SECURITY_IMPERSONATION, T_CREATE_TOKEN, NULL);
    TOKEN_USER user = { { &sids[USER], 0 } };
    TOKEN_GROUPS one = { 1, { { &sids[EVERYONE], MANDATORY } } }, *groups = &one;
    TOKEN_PRIVILEGES privs = { 0 };
    TOKEN_PRIMARY_GROUP pg = { &sids[USER] };
    TOKEN_SOURCE source = { "test", { 1, 0 } };
    LUID auth = { 0x3e7, 0 };
    HANDLE h = (HANDLE)0x1234;

    impersonate(without, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(NtCreateToken(&h, TOKEN_QUERY, NULL, TokenPrimary, &auth, NULL, &user, groups,
                                  &privs, NULL, &pg, NULL, &source), STATUS_PRIVILEGE_NOT_HELD);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    impersonate(with, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(NtCreateToken(&h, TOKEN_QUERY, NULL, TokenPrimary, &auth, NULL, &user, groups,
                                  &privs, NULL, &pg, NULL, &source), STATUS_SUCCESS);
    impersonate(NULL, 0);
    CU_ASSERT_EQUAL(token_dword(h, TokenType), TokenPrimary);
    CloseHandle(h);
    ntsec_token_put(with);
    ntsec_token_put(without);
}

/* STYLE rule 8: every allocation failure of DuplicateTokenEx gives
 * ERROR_NOT_ENOUGH_MEMORY (STATUS_NO_MEMORY) or ERROR_NO_SYSTEM_RESOURCES,
 * leaves the output alone and leaks nothing. */
static void duplicate_token_ex_out_of_memory(void)
{
    HANDLE h = primary(TOKEN_DUPLICATE | TOKEN_QUERY), d;
    long live = testutil_live();
    BOOL ok = FALSE;

    for (long n = 0; !ok && n < 100; n++) {
        d = (HANDLE)0x1234;
        testutil_fail_alloc_after(n);
        ok = DuplicateTokenEx(h, TOKEN_QUERY, NULL, SecurityImpersonation, TokenImpersonation, &d);
        testutil_fail_alloc_after(-1);
        if (!ok) {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
            CU_ASSERT_EQUAL(d, (HANDLE)0x1234);
            CU_ASSERT_EQUAL(testutil_live(), live);
        }
    }
    CU_ASSERT(ok);
    CloseHandle(d);
    CloseHandle(h);
}

/* OpenThreadToken / NtOpenThreadToken (Microsoft docs, OpenAsSelf): a
 * thread impersonating at SecurityIdentification cannot open its token as
 * its client (ERROR_BAD_IMPERSONATION_LEVEL / STATUS_BAD_IMPERSONATION_LEVEL)
 * but can with OpenAsSelf TRUE, the check then made with the process'
 * primary token; the handle is to the impersonation token. */
static void open_thread_token_as_self_at_identification(void)
{
    struct ntsec_token *t = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IDENTIFICATION, 0,
                                       NULL);
    HANDLE h = (HANDLE)0x1234;

    ntsec__thread_set_impersonation(ntsec_thread_current(), t, NTSEC_SECURITY_IDENTIFICATION,
                                    false, false);
    SetLastError(0);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(NtOpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &h),
                    STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(h, (HANDLE)0x1234);
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    CU_ASSERT_EQUAL(token_dword(h, TokenType), TokenImpersonation);
    CU_ASSERT_EQUAL(token_dword(h, TokenImpersonationLevel), SecurityIdentification);
    CloseHandle(h);
    h = (HANDLE)0x1234;
    CU_ASSERT_EQUAL_FATAL(NtOpenThreadTokenEx(GetCurrentThread(), TOKEN_QUERY, TRUE, 0, &h),
                          STATUS_SUCCESS);
    CU_ASSERT(h != (HANDLE)0x1234);
    CloseHandle(h);
    impersonate(NULL, 0);
    ntsec_token_put(t);
}

/* --- registration ------------------------------------------------------------- */

static CU_TestInfo tests[] = {
    TEST(open_process_token_gives_the_primary_token),
    TEST(open_process_token_checks_the_process_handle),
    TEST(open_thread_token_without_impersonation_is_no_token),
    TEST(open_thread_token_while_impersonating),
    TEST(open_thread_token_identification_and_copy_on_open),
    TEST(token_pseudo_handles_have_windows_values),
    TEST(get_token_information_short_buffer_gives_size),
    TEST(impersonation_level_of_primary_token_is_invalid_parameter),
    TEST(get_token_information_needs_query_access),
    TEST(linked_token_is_a_new_identification_handle),
    TEST(set_default_dacl_rules),
    TEST(set_token_information_needs_adjust_default),
    TEST(adjust_privileges_sets_last_error_on_success),
    TEST(adjust_privileges_checks_access_and_previous_size),
    TEST(adjust_groups_keeps_mandatory_groups),
    TEST(duplicate_token_gives_impersonation_handle),
    TEST(duplicate_token_ex_zero_access_is_same_access),
    TEST(nt_duplicate_token_level_from_sqos),
    TEST(create_restricted_token_filters),
    TEST(compare_tokens),
    TEST(nt_create_token_needs_create_token_privilege),
    TEST(duplicate_token_ex_out_of_memory),
    TEST(open_thread_token_as_self_at_identification),
    CU_TEST_INFO_NULL,
};

/* Process 1, this thread and the handle table are made once, before the
 * runner starts counting: they live as long as the program. */
static void warm_up(void)
{
    ntsec_handle h[64];

    for (int i = 0; i < NSIDS; i++)
        ntsec_sid_from_string(sid_text[i], NULL, &sids[i]);
    for (int i = 0; i < 64; i++)
        ntsec_handle_create(ntsec_thread_current(), 0, 0, &h[i]);
    for (int i = 0; i < 64; i++)
        ntsec_handle_close(h[i]);
}

void register_tests(void)
{
    warm_up();
    testutil_add_suite("emul_token", tests);
}

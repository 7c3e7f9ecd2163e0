/* test_emul_access.c - AccessCheck, AccessCheckByType(ResultList),
 * NtAccessCheck, CheckTokenMembership and PrivilegeCheck called as
 * Windows code calls them.
 *
 * Most results are those Wine's dlls/advapi32/tests/security.c asserts on
 * Windows in test_AccessCheck and test_CheckTokenMembership (same
 * descriptors, masks, buffer lengths and last errors); the rest cite
 * Microsoft docs (AccessCheck, AccessCheckByTypeResultList,
 * CheckTokenMembership, PrivilegeCheck). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <sddl.h>
#include <ntsec/ntsec.h>

#include "testutil.h"
#include "thread.h"

/* --- fixtures ------------------------------------------------------------- */

enum { USER, EVERYONE, USERS, ADMINS, DISABLED, DENYONLY, MEDIUM, NSIDS };
static const char *const sid_text[NSIDS] = {
    "S-1-5-21-1-2-3-1001", "S-1-1-0", "S-1-5-32-545", "S-1-5-32-544", "S-1-5-21-1-2-3-2000",
    "S-1-5-21-1-2-3-2001", "S-1-16-8192",
};
static struct ntsec_sid sids[NSIDS];

#define GROUP_ON (SE_GROUP_ENABLED | SE_GROUP_ENABLED_BY_DEFAULT)
#define MANDATORY (GROUP_ON | SE_GROUP_MANDATORY)

enum { T_SECURITY = 1 };   /* SeSecurityPrivilege enabled */

static struct ntsec_token *make_token(enum ntsec_token_type type,
                                      enum ntsec_impersonation_level level, unsigned opts)
{
    struct ntsec_sid_and_attributes groups[6] = {
        { &sids[EVERYONE], MANDATORY },
        { &sids[USERS], MANDATORY },
        { &sids[ADMINS], GROUP_ON | SE_GROUP_OWNER },
        { &sids[DISABLED], 0 },
        { &sids[DENYONLY], SE_GROUP_USE_FOR_DENY_ONLY },
        { &sids[MEDIUM], SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED },
    };
    struct ntsec_luid_and_attributes privs[3] = {
        { ntsec_privilege_luid(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE),
          SE_PRIVILEGE_ENABLED | SE_PRIVILEGE_ENABLED_BY_DEFAULT },
        { ntsec_privilege_luid(NTSEC_SE_SHUTDOWN_PRIVILEGE), 0 },
        { ntsec_privilege_luid(NTSEC_SE_SECURITY_PRIVILEGE),
          (opts & T_SECURITY) ? SE_PRIVILEGE_ENABLED : 0 },
    };
    struct ntsec_token_desc d = {
        .type = type, .level = level,
        .user = { &sids[USER], 0 },
        .groups = groups, .group_count = 6,
        .privileges = privs, .privilege_count = 3,
        .source = { "ntsec", { 7, 0 } },
    };
    struct ntsec_token *t = NULL;

    CU_ASSERT_FATAL(ntsec_token_create(&d, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

static HANDLE token_handle(enum ntsec_token_type type, enum ntsec_impersonation_level level,
                           unsigned opts)
{
    struct ntsec_token *t = make_token(type, level, opts);
    ntsec_handle h = 0;

    CU_ASSERT_FATAL(ntsec_handle_create(t, TOKEN_ALL_ACCESS, 0, &h) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    return (HANDLE)h;
}

/* A client token, as Wine's test makes one: DuplicateToken of the
 * process token at SecurityImpersonation. */
static HANDLE client(unsigned opts)
{
    return token_handle(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, opts);
}

static GENERIC_MAPPING mapping = { KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS };

/* The descriptor of Wine's test_AccessCheck: an absolute SD over `acl`,
 * owner Administrators, group Users when `owned`. */
struct sd {
    SECURITY_DESCRIPTOR sd;
    BYTE acl[256];
};

static void sd_init(struct sd *s, bool owned)
{
    CU_ASSERT_FATAL(InitializeAcl((PACL)s->acl, sizeof(s->acl), ACL_REVISION));
    CU_ASSERT_FATAL(InitializeSecurityDescriptor(&s->sd, SECURITY_DESCRIPTOR_REVISION));
    CU_ASSERT_FATAL(SetSecurityDescriptorDacl(&s->sd, TRUE, (PACL)s->acl, FALSE));
    if (owned) {
        CU_ASSERT_FATAL(SetSecurityDescriptorOwner(&s->sd, &sids[ADMINS], FALSE));
        CU_ASSERT_FATAL(SetSecurityDescriptorGroup(&s->sd, &sids[USERS], TRUE));
    }
}

/* Room for 16 privileges, as Wine's test allocates. */
struct privs {
    PRIVILEGE_SET set;
    LUID_AND_ATTRIBUTES more[15];
};

/* --- AccessCheck ------------------------------------------------------------- */

/* Wine's test_AccessCheck: a descriptor without owner and group is
 * ERROR_INVALID_SECURITY_DESCR; Access and AccessStatus stay. */
static void access_check_without_owner_is_invalid_descriptor(void)
{
    struct sd s;
    struct privs p;
    DWORD len = sizeof(p), access = 0x1abe11ed;
    BOOL status = 0x1abe11ed;
    HANDLE t = client(0);

    sd_init(&s, false);
    SetLastError(0xdeadbeef);
    CU_ASSERT(!AccessCheck(&s.sd, t, KEY_QUERY_VALUE, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SECURITY_DESCR);
    CU_ASSERT_EQUAL(access, 0x1abe11ed);
    CU_ASSERT_EQUAL(status, 0x1abe11ed);
    CloseHandle(t);
}

/* Wine's test_AccessCheck: generic bits are ERROR_GENERIC_NOT_MAPPED; a
 * NULL PrivilegeSet or PrivilegeSetLength is ERROR_NOACCESS first. */
static void access_check_generic_bits_and_null_buffers(void)
{
    struct sd s;
    struct privs p;
    DWORD len = sizeof(p), access = 0x1abe11ed;
    BOOL status = 0x1abe11ed;
    HANDLE t = client(0);

    sd_init(&s, true);
    SetLastError(0xdeadbeef);
    CU_ASSERT(!AccessCheck(&s.sd, t, GENERIC_READ, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_GENERIC_NOT_MAPPED);
    CU_ASSERT(!AccessCheck(&s.sd, t, GENERIC_READ, &mapping, NULL, &len, &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT(!AccessCheck(&s.sd, t, GENERIC_READ, &mapping, &p.set, NULL, &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT(!AccessCheck(&s.sd, t, KEY_READ, &mapping, NULL, NULL, &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    len = sizeof(PRIVILEGE_SET);
    CU_ASSERT(!AccessCheck(&s.sd, t, KEY_READ, &mapping, NULL, &len, &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT_EQUAL(len, sizeof(PRIVILEGE_SET));
    CU_ASSERT_EQUAL(access, 0x1abe11ed);
    CU_ASSERT_EQUAL(status, 0x1abe11ed);
    CloseHandle(t);
}

/* Wine's test_AccessCheck, NtAccessCheck part: STATUS_ACCESS_VIOLATION for
 * NULL buffers without touching the last error; generic bits beat a short
 * length (which stays); KEY_READ with a zero or short length is
 * STATUS_BUFFER_TOO_SMALL with the length set to sizeof(PRIVILEGE_SET)
 * and the set untouched. */
static void nt_access_check_privilege_set_length_rules(void)
{
    struct sd s;
    struct privs p;
    ULONG len = sizeof(PRIVILEGE_SET), access = 0x1abe11ed;
    NTSTATUS status = 0x1abe11ed;
    HANDLE t = client(0);

    sd_init(&s, true);
    SetSecurityDescriptorDacl(&s.sd, FALSE, NULL, FALSE);
    SetLastError(0xdeadbeef);
    CU_ASSERT_EQUAL(NtAccessCheck(&s.sd, t, GENERIC_READ, &mapping, NULL, &len, &access, &status),
                    STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(NtAccessCheck(&s.sd, t, GENERIC_READ, &mapping, &p.set, NULL, &access,
                                  &status), STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    len = 0;
    CU_ASSERT_EQUAL(NtAccessCheck(&s.sd, t, GENERIC_READ, &mapping, &p.set, &len, &access,
                                  &status), STATUS_GENERIC_NOT_MAPPED);
    CU_ASSERT_EQUAL(len, 0);
    len = sizeof(PRIVILEGE_SET) - 1;
    CU_ASSERT_EQUAL(NtAccessCheck(&s.sd, t, GENERIC_READ, &mapping, &p.set, &len, &access,
                                  &status), STATUS_GENERIC_NOT_MAPPED);
    CU_ASSERT_EQUAL(len, sizeof(PRIVILEGE_SET) - 1);
    len = 0;
    CU_ASSERT_EQUAL(NtAccessCheck(&s.sd, t, KEY_READ, &mapping, &p.set, &len, &access, &status),
                    STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(len, sizeof(PRIVILEGE_SET));
    len = sizeof(PRIVILEGE_SET) - 1;
    p.set.PrivilegeCount = 0xdeadbeef;
    CU_ASSERT_EQUAL(NtAccessCheck(&s.sd, t, KEY_READ, &mapping, &p.set, &len, &access, &status),
                    STATUS_BUFFER_TOO_SMALL);
    CU_ASSERT_EQUAL(len, sizeof(PRIVILEGE_SET));
    CU_ASSERT_EQUAL(p.set.PrivilegeCount, 0xdeadbeef);
    CU_ASSERT_EQUAL(access, 0x1abe11ed);
    CU_ASSERT_EQUAL(status, 0x1abe11ed);
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    CloseHandle(t);
}

/* Wine's test_AccessCheck: with sizeof(PRIVILEGE_SET) the check succeeds
 * with PrivilegeCount 0; a larger length is left as it was. */
static void access_check_minimal_privilege_set_length(void)
{
    struct sd s;
    struct privs p;
    DWORD len = sizeof(PRIVILEGE_SET), access = 0;
    BOOL status = FALSE;
    HANDLE t = client(0);

    sd_init(&s, true);
    SetSecurityDescriptorDacl(&s.sd, FALSE, NULL, FALSE);
    memset(&p, 0xcc, sizeof(p));
    CU_ASSERT(AccessCheck(&s.sd, t, KEY_READ, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT(status);
    CU_ASSERT_EQUAL(access, KEY_READ);
    CU_ASSERT_EQUAL(p.set.PrivilegeCount, 0);
    CU_ASSERT_EQUAL(len, sizeof(PRIVILEGE_SET));
    len = sizeof(PRIVILEGE_SET) + 1;
    CU_ASSERT(AccessCheck(&s.sd, t, KEY_READ, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT_EQUAL(len, sizeof(PRIVILEGE_SET) + 1);
    CloseHandle(t);
}

/* Wine's test_AccessCheck: a NULL DACL grants everything (MAXIMUM_ALLOWED
 * gives the mapping's GenericAll, KEY_ALL_ACCESS); an empty DACL denies,
 * with TRUE, AccessStatus FALSE, Access 0 and ERROR_ACCESS_DENIED. */
static void access_check_null_and_empty_dacl(void)
{
    struct sd s;
    struct privs p;
    DWORD len = sizeof(p), access = 0;
    BOOL status = FALSE;
    HANDLE t = client(0);

    sd_init(&s, true);
    SetSecurityDescriptorDacl(&s.sd, TRUE, NULL, FALSE);
    CU_ASSERT(AccessCheck(&s.sd, t, KEY_READ, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT(status && access == KEY_READ);
    CU_ASSERT(AccessCheck(&s.sd, t, MAXIMUM_ALLOWED, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT(status && access == KEY_ALL_ACCESS);
    SetSecurityDescriptorDacl(&s.sd, TRUE, (PACL)s.acl, FALSE);
    SetLastError(0xdeadbeef);
    CU_ASSERT(AccessCheck(&s.sd, t, KEY_READ, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT_FALSE(status);
    CU_ASSERT_EQUAL(access, 0);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CloseHandle(t);
}

/* Wine's test_AccessCheck: allow Everyone KEY_READ, deny Administrators
 * KEY_SET_VALUE; KEY_READ is granted (last error untouched), KEY_WRITE
 * denied; an INHERIT_ONLY ACE does not apply. */
static void access_check_dacl_decides(void)
{
    struct sd s;
    struct privs p;
    DWORD len = sizeof(p), access = 0;
    BOOL status = FALSE;
    HANDLE t = client(0);

    sd_init(&s, true);
    CU_ASSERT(AddAccessAllowedAce((PACL)s.acl, ACL_REVISION, KEY_READ, &sids[EVERYONE]));
    CU_ASSERT(AddAccessDeniedAce((PACL)s.acl, ACL_REVISION, KEY_SET_VALUE, &sids[ADMINS]));
    SetLastError(0xdeadbeef);
    CU_ASSERT(AccessCheck(&s.sd, t, KEY_READ, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT(status && access == KEY_READ);
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    CU_ASSERT(AccessCheck(&s.sd, t, KEY_WRITE, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT(!status && access == 0);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(InitializeAcl((PACL)s.acl, sizeof(s.acl), ACL_REVISION));
    CU_ASSERT(AddAccessAllowedAceEx((PACL)s.acl, ACL_REVISION, INHERIT_ONLY_ACE, KEY_READ,
                                    &sids[EVERYONE]));
    CU_ASSERT(AccessCheck(&s.sd, t, KEY_READ, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT(!status);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CloseHandle(t);
}

/* Wine's test_AccessCheck: ACCESS_SYSTEM_SECURITY without
 * SeSecurityPrivilege is TRUE, AccessStatus FALSE, ERROR_PRIVILEGE_NOT_HELD;
 * with it enabled it is granted, the set lists one privilege (fitting in
 * sizeof(PRIVILEGE_SET)) and the last error stays. */
static void access_system_security_needs_security_privilege(void)
{
    struct sd s;
    struct privs p;
    DWORD len = sizeof(p), access = 0;
    BOOL status = TRUE;
    HANDLE t = client(0), tp = client(T_SECURITY);

    sd_init(&s, true);
    CU_ASSERT(AddAccessAllowedAce((PACL)s.acl, ACL_REVISION, KEY_READ, &sids[EVERYONE]));
    SetLastError(0xdeadbeef);
    CU_ASSERT(AccessCheck(&s.sd, t, ACCESS_SYSTEM_SECURITY, &mapping, &p.set, &len, &access,
                          &status));
    CU_ASSERT_FALSE(status);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PRIVILEGE_NOT_HELD);
    len = sizeof(PRIVILEGE_SET);
    memset(&p, 0xcc, sizeof(p));
    SetLastError(0xdeadbeef);
    CU_ASSERT(AccessCheck(&s.sd, tp, ACCESS_SYSTEM_SECURITY, &mapping, &p.set, &len, &access,
                          &status));
    CU_ASSERT(status);
    CU_ASSERT_EQUAL(access, ACCESS_SYSTEM_SECURITY);
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeef);
    CU_ASSERT_EQUAL(p.set.PrivilegeCount, 1);
    CU_ASSERT_EQUAL(p.set.Privilege[0].Luid.LowPart, SE_SECURITY_PRIVILEGE);
    CU_ASSERT_EQUAL(p.set.Privilege[0].Attributes, SE_PRIVILEGE_USED_FOR_ACCESS);
    CloseHandle(tp);
    CloseHandle(t);
}

/* Wine's test_AccessCheck: an anonymous impersonation token is
 * ERROR_BAD_IMPERSONATION_LEVEL, a primary token
 * ERROR_NO_IMPERSONATION_TOKEN, a bad handle ERROR_INVALID_HANDLE. */
static void access_check_wants_a_client_token(void)
{
    struct sd s;
    struct privs p;
    DWORD len = sizeof(p), access = 0;
    BOOL status = FALSE;
    HANDLE anon = token_handle(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_ANONYMOUS, 0);
    HANDLE prim = token_handle(NTSEC_TOKEN_PRIMARY, 0, 0);

    sd_init(&s, true);
    SetLastError(0xdeadbeef);
    CU_ASSERT(!AccessCheck(&s.sd, anon, MAXIMUM_ALLOWED, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(!AccessCheck(&s.sd, prim, KEY_READ, &mapping, &p.set, &len, &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_IMPERSONATION_TOKEN);
    CU_ASSERT(!AccessCheck(&s.sd, (HANDLE)(ULONG_PTR)0x7ff0, KEY_READ, &mapping, &p.set, &len,
                           &access, &status));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CloseHandle(prim);
    CloseHandle(anon);
}

/* --- by type ---------------------------------------------------------------- */

/* winnt.h's object type list levels; Wine's headers lack them. */
#ifndef ACCESS_OBJECT_GUID
#define ACCESS_OBJECT_GUID       0
#define ACCESS_PROPERTY_SET_GUID 1
#endif

static GUID guid_a = { 0x11111111, 0x1111, 0x1111, { 1, 1, 1, 1, 1, 1, 1, 1 } };
static GUID guid_b = { 0x22222222, 0x2222, 0x2222, { 2, 2, 2, 2, 2, 2, 2, 2 } };
static GUID guid_c = { 0x33333333, 0x3333, 0x3333, { 3, 3, 3, 3, 3, 3, 3, 3 } };

/* AccessCheckByTypeResultList (Microsoft docs): one result per object
 * type; an object ACE for a property set grants that set only (the
 * object itself only when every set under it is granted, [MS-ADTS]
 * 5.1.3.3.3 Grant(r); [MS-DTYP] 2.5.3.2); each AccessStatusList entry is
 * 0 or a system error code.
 * AccessCheckByType answers for the whole object. */
static void access_check_by_type_result_list(void)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    OBJECT_TYPE_LIST types[3] = { { ACCESS_OBJECT_GUID, 0, &guid_a },
                                  { ACCESS_PROPERTY_SET_GUID, 0, &guid_b },
                                  { ACCESS_PROPERTY_SET_GUID, 0, &guid_c } };
    DWORD granted[3] = { 0xdead, 0xdead, 0xdead }, status[3] = { 0xdead, 0xdead, 0xdead };
    struct privs p;
    DWORD len = sizeof(p), access = 0;
    BOOL ok = TRUE;
    HANDLE t = client(0);

    CU_ASSERT_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorW(
        u"O:BAG:BUD:(OA;;0x10;22222222-2222-2222-0202-020202020202;;WD)", SDDL_REVISION_1, &sd,
        NULL));
    CU_ASSERT(AccessCheckByTypeResultList(sd, NULL, t, 0x10, types, 3, &mapping, &p.set, &len,
                                          granted, status));
    CU_ASSERT_EQUAL(granted[0], 0);
    CU_ASSERT_EQUAL(status[0], ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(granted[1], 0x10);
    CU_ASSERT_EQUAL(status[1], ERROR_SUCCESS);
    CU_ASSERT_EQUAL(granted[2], 0);
    CU_ASSERT_EQUAL(status[2], ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CU_ASSERT(AccessCheckByType(sd, NULL, t, 0x10, types, 3, &mapping, &p.set, &len, &access,
                                &ok));
    CU_ASSERT_FALSE(ok);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    LocalFree(sd);
    CloseHandle(t);
}

/* STYLE rule 8: the result list's working arrays fail to allocate with
 * ERROR_NOT_ENOUGH_MEMORY, outputs untouched, nothing leaked. */
static void result_list_out_of_memory(void)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    OBJECT_TYPE_LIST types[1] = { { ACCESS_OBJECT_GUID, 0, &guid_a } };
    DWORD granted[1], status[1];
    struct privs p;
    DWORD len = sizeof(p);
    HANDLE t = client(0);
    long live;
    BOOL ok = FALSE;

    CU_ASSERT_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorW(
        u"O:BAG:BUD:(A;;0x10;;;WD)", SDDL_REVISION_1, &sd, NULL));
    live = testutil_live();
    for (long n = 0; !ok && n < 10; n++) {
        granted[0] = status[0] = 0xdead;
        testutil_fail_alloc_after(n);
        ok = AccessCheckByTypeResultList(sd, NULL, t, 0x10, types, 1, &mapping, &p.set, &len,
                                         granted, status);
        testutil_fail_alloc_after(-1);
        if (!ok) {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
            CU_ASSERT_EQUAL(granted[0], 0xdead);
            CU_ASSERT_EQUAL(testutil_live(), live);
        }
    }
    CU_ASSERT(ok && granted[0] == 0x10 && status[0] == 0);
    LocalFree(sd);
    CloseHandle(t);
}

/* --- membership and privileges ------------------------------------------------ */

/* Wine's test_CheckTokenMembership (on Windows): an impersonation token
 * answers for its enabled groups; NULL stands for the caller's token; a
 * primary token is ERROR_NO_IMPERSONATION_TOKEN with IsMember cleared.
 * CheckTokenMembership (Microsoft docs): deny-only and disabled groups
 * are not members. */
static void check_token_membership(void)
{
    HANDLE t = client(0), prim = token_handle(NTSEC_TOKEN_PRIMARY, 0, 0);
    struct ntsec_token *imp = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION,
                                         0);
    BOOL member = FALSE;

    CU_ASSERT(CheckTokenMembership(t, &sids[USERS], &member) && member);
    CU_ASSERT(CheckTokenMembership(t, &sids[DENYONLY], &member) && !member);
    CU_ASSERT(CheckTokenMembership(t, &sids[DISABLED], &member) && !member);
    ntsec__thread_set_impersonation(ntsec_thread_current(), imp, NTSEC_SECURITY_IMPERSONATION,
                                    false, false);
    member = FALSE;
    CU_ASSERT(CheckTokenMembership(NULL, &sids[ADMINS], &member) && member);
    ntsec__thread_clear_impersonation(ntsec_thread_current());
    member = TRUE;
    SetLastError(0xdeadbeef);
    CU_ASSERT(!CheckTokenMembership(prim, &sids[USERS], &member));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_IMPERSONATION_TOKEN);
    CU_ASSERT_FALSE(member);
    ntsec_token_put(imp);
    CloseHandle(prim);
    CloseHandle(t);
}

/* PrivilegeCheck (Microsoft docs): a client token; with
 * PRIVILEGE_SET_ALL_NECESSARY every privilege must be enabled, each
 * enabled one is marked SE_PRIVILEGE_USED_FOR_ACCESS; a primary token is
 * ERROR_NO_IMPERSONATION_TOKEN. */
static void privilege_check(void)
{
    HANDLE t = client(0), prim = token_handle(NTSEC_TOKEN_PRIMARY, 0, 0);
    struct { PRIVILEGE_SET set; LUID_AND_ATTRIBUTES more[1]; } p = {
        { 2, PRIVILEGE_SET_ALL_NECESSARY, { { { SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 } } },
        { { { SE_SHUTDOWN_PRIVILEGE, 0 }, 0 } },
    };
    BOOL held = TRUE;

    CU_ASSERT(PrivilegeCheck(t, &p.set, &held));
    CU_ASSERT_FALSE(held);
    CU_ASSERT_EQUAL(p.set.Privilege[0].Attributes, SE_PRIVILEGE_USED_FOR_ACCESS);
    p.set.Control = 0;
    CU_ASSERT(PrivilegeCheck(t, &p.set, &held));
    CU_ASSERT(held);
    SetLastError(0);
    CU_ASSERT(!PrivilegeCheck(prim, &p.set, &held));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_IMPERSONATION_TOKEN);
    CloseHandle(prim);
    CloseHandle(t);
}

static CU_TestInfo tests[] = {
    TEST(access_check_without_owner_is_invalid_descriptor),
    TEST(access_check_generic_bits_and_null_buffers),
    TEST(nt_access_check_privilege_set_length_rules),
    TEST(access_check_minimal_privilege_set_length),
    TEST(access_check_null_and_empty_dacl),
    TEST(access_check_dacl_decides),
    TEST(access_system_security_needs_security_privilege),
    TEST(access_check_wants_a_client_token),
    TEST(access_check_by_type_result_list),
    TEST(result_list_out_of_memory),
    TEST(check_token_membership),
    TEST(privilege_check),
    CU_TEST_INFO_NULL,
};

/* Process 1, this thread and the handle table live as long as the
 * program: made before the runner counts. */
static void warm_up(void)
{
    ntsec_handle h[32];

    for (int i = 0; i < NSIDS; i++)
        ntsec_sid_from_string(sid_text[i], NULL, &sids[i]);
    for (int i = 0; i < 32; i++)
        ntsec_handle_create(ntsec_thread_current(), 0, 0, &h[i]);
    for (int i = 0; i < 32; i++)
        ntsec_handle_close(h[i]);
}

void register_tests(void)
{
    warm_up();
    testutil_add_suite("emul_access", tests);
}

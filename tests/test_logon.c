/* test_logon.c - LogonUser over the default world (libsec/logon.c): the
 * groups, privileges, owner, default DACL, integrity and UAC split
 * Windows gives each logon type, and the errors in Windows' order.
 * Sources are cited per test; the choices where Windows' behaviour is not
 * documented are listed in docs/world.md. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntsec/ntsec.h"
#include "testutil.h"

#define CONTOSO "S-1-5-21-3623811015-3361044348-30300820"
#define MACHINE "S-1-5-21-1004336348-1177238915-682003330"

static struct ntsec_sid sid_of(const char *s)
{
    struct ntsec_sid sid;

    memset(&sid, 0, sizeof(sid));
    CU_ASSERT_EQUAL_FATAL(ntsec_sid_from_string(s, NULL, &sid), NTSEC_STATUS_SUCCESS);
    return sid;
}

static uint8_t info[16384];

static void query(struct ntsec_token *t, enum ntsec_token_info_class cls)
{
    uint32_t needed = 0;

    CU_ASSERT_EQUAL_FATAL(ntsec_token_query(t, cls, info, sizeof(info), &needed),
                          NTSEC_STATUS_SUCCESS);
}

/* The attributes of group `sid` in the token (TOKEN_GROUPS, x64 layout:
 * a count, padding, then 16-byte SID_AND_ATTRIBUTES); -1 when absent. */
static long group(struct ntsec_token *t, const char *sid)
{
    struct ntsec_sid want = sid_of(sid);
    uint32_t count;
    const struct ntsec_sid_and_attributes *g = (const void *)(info + 8);

    query(t, NTSEC_TOKEN_GROUPS);
    memcpy(&count, info, 4);
    for (uint32_t i = 0; i < count; i++)
        if (ntsec_sid_equal(g[i].sid, &want))
            return g[i].attributes;
    return -1;
}

/* The logon SID's attributes, or -1 when the token has none. */
static long logon_sid_attrs(struct ntsec_token *t, struct ntsec_sid *out)
{
    uint32_t count;
    const struct ntsec_sid_and_attributes *g = (const void *)(info + 8);

    query(t, NTSEC_TOKEN_GROUPS);
    memcpy(&count, info, 4);
    for (uint32_t i = 0; i < count; i++)
        if ((g[i].attributes & NTSEC_SE_GROUP_LOGON_ID) == NTSEC_SE_GROUP_LOGON_ID) {
            if (out)
                memcpy(out, g[i].sid, ntsec_sid_length(g[i].sid));
            return g[i].attributes;
        }
    return -1;
}

/* The privilege's attributes (TOKEN_PRIVILEGES), or -1 when absent. */
static long privilege(struct ntsec_token *t, enum ntsec_privilege p)
{
    uint32_t count;
    struct ntsec_luid_and_attributes la;

    query(t, NTSEC_TOKEN_PRIVILEGES);
    memcpy(&count, info, 4);
    for (uint32_t i = 0; i < count; i++) {
        memcpy(&la, info + 4 + 12 * i, sizeof(la));
        if (la.luid.low == (uint32_t)p && la.luid.high == 0)
            return la.attributes;
    }
    return -1;
}

static uint32_t privilege_count(struct ntsec_token *t)
{
    uint32_t count;

    query(t, NTSEC_TOKEN_PRIVILEGES);
    memcpy(&count, info, 4);
    return count;
}

static bool owner_is(struct ntsec_token *t, const char *sid)
{
    struct ntsec_sid want = sid_of(sid);
    const struct ntsec_sid *owner;

    query(t, NTSEC_TOKEN_OWNER);
    memcpy(&owner, info, sizeof(owner));
    return ntsec_sid_equal(owner, &want);
}

static uint32_t elevation_type(struct ntsec_token *t)
{
    uint32_t v;

    query(t, NTSEC_TOKEN_ELEVATION_TYPE);
    memcpy(&v, info, 4);
    return v;
}

#define MANDATORY_ENABLED (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | \
                           NTSEC_SE_GROUP_ENABLED)
#define ENABLED (NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT)

/* An interactive logon of a domain user: the groups whoami /groups shows
 * (Everyone, BUILTIN\Users, INTERACTIVE, CONSOLE LOGON, Authenticated
 * Users, This Organization, LOCAL, the domain groups), a logon SID with
 * SE_GROUP_LOGON_ID (Microsoft docs "Well-known SIDs", "Logon SID"),
 * Medium integrity, owner the user, source User32. */
static void interactive_logon_has_windows_groups(void)
{
    struct ntsec_token *t = NULL;
    struct ntsec_token_source src;
    uint32_t session;

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_user("alice", "CONTOSO", "alice-password",
                                           NTSEC_LOGON_INTERACTIVE, &t), NTSEC_STATUS_SUCCESS);
    struct ntsec_sid alice = sid_of(CONTOSO "-1104");
    const struct ntsec_sid *user;

    query(t, NTSEC_TOKEN_USER);
    memcpy(&user, info, sizeof(user));
    CU_ASSERT(ntsec_sid_equal(user, &alice));
    CU_ASSERT_EQUAL(group(t, "S-1-1-0"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-32-545"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-4"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-2-1"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-11"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-15"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-2-0"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, CONTOSO "-513"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, CONTOSO "-1110"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-18-1"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-2"), -1);
    CU_ASSERT_EQUAL(group(t, "S-1-5-32-544"), -1);
    CU_ASSERT_EQUAL(group(t, "S-1-5-113"), -1);         /* not a local account */
    CU_ASSERT_EQUAL(logon_sid_attrs(t, NULL), (long)(MANDATORY_ENABLED | NTSEC_SE_GROUP_LOGON_ID));
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_MEDIUM);
    CU_ASSERT(owner_is(t, CONTOSO "-1104"));
    CU_ASSERT_EQUAL(elevation_type(t), NTSEC_ELEVATION_DEFAULT);
    CU_ASSERT(!ntsec_token_is_admin(t));
    query(t, NTSEC_TOKEN_SOURCE);
    memcpy(&src, info, sizeof(src));
    CU_ASSERT_MEM_EQUAL(src.name, "User32  ", 8);
    query(t, NTSEC_TOKEN_SESSION_ID);
    memcpy(&session, info, 4);
    CU_ASSERT_EQUAL(session, 1);
    CU_ASSERT_EQUAL(ntsec_token_type(t), NTSEC_TOKEN_PRIMARY);
    ntsec_token_put(t);
}

/* A standard user's privileges: the five of BUILTIN\Users plus Everyone's
 * SeChangeNotifyPrivilege, only SeChangeNotifyPrivilege enabled (whoami
 * /priv of a standard user; "User Rights Assignment" defaults). */
static void standard_user_privileges(void)
{
    struct ntsec_token *t = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_token("alice", "CONTOSO", NTSEC_LOGON_INTERACTIVE, &t),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(privilege_count(t), 5);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE), ENABLED);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_SHUTDOWN_PRIVILEGE), 0);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_UNDOCK_PRIVILEGE), 0);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_INC_WORKING_SET_PRIVILEGE), 0);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_TIME_ZONE_PRIVILEGE), 0);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_DEBUG_PRIVILEGE), -1);
    ntsec_token_put(t);
}

/* The default DACL: GENERIC_ALL to the owner and to SYSTEM (ReactOS lsasrv
 * LsapAddTokenDefaultDacl), GENERIC_READ|GENERIC_EXECUTE to the logon SID. */
static void default_dacl_is_owner_system_logon_sid(void)
{
    struct ntsec_token *t = NULL;
    const struct ntsec_acl *acl;
    const struct ntsec_ace_header *ace;
    struct ntsec_sid logon, user = sid_of(CONTOSO "-1104"), sys = sid_of("S-1-5-18");

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_token("alice", "CONTOSO", NTSEC_LOGON_INTERACTIVE, &t),
                          NTSEC_STATUS_SUCCESS);
    logon_sid_attrs(t, &logon);
    query(t, NTSEC_TOKEN_DEFAULT_DACL);
    memcpy(&acl, info, sizeof(acl));
    CU_ASSERT_PTR_NOT_NULL_FATAL(acl);
    CU_ASSERT_EQUAL_FATAL(acl->ace_count, 3);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 0, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(ntsec_ace_sid(ace), &user));
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_GENERIC_ALL);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 1, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(ntsec_ace_sid(ace), &sys));
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_GENERIC_ALL);
    CU_ASSERT_EQUAL(ntsec_acl_get_ace(acl, 2, &ace), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_sid_equal(ntsec_ace_sid(ace), &logon));
    CU_ASSERT_EQUAL(ntsec_ace_mask(ace), NTSEC_GENERIC_READ | NTSEC_GENERIC_EXECUTE);
    ntsec_token_put(t);
}

/* UAC: an administrator's interactive logon gives the filtered token,
 * administrative groups deny-only, the five standard privileges, Medium,
 * TokenElevationTypeLimited, linked to the full token (High, owner
 * Administrators, all privileges) (Microsoft docs, "How User Account
 * Control works"). */
static void admin_interactive_logon_is_split(void)
{
    struct ntsec_token *t = NULL, *full = NULL;
    struct ntsec_sid admins = sid_of("S-1-5-32-544");

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_user("bob", "CONTOSO", "bob-password",
                                           NTSEC_LOGON_INTERACTIVE, &t), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(elevation_type(t), NTSEC_ELEVATION_LIMITED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-32-544"), NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT(!ntsec_token_is_member(t, &admins));
    CU_ASSERT(!ntsec_token_is_admin(t));
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_MEDIUM);
    CU_ASSERT_EQUAL(privilege_count(t), 5);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_DEBUG_PRIVILEGE), -1);
    CU_ASSERT(owner_is(t, CONTOSO "-1105"));

    CU_ASSERT_EQUAL_FATAL(ntsec_token_linked(t, &full), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(elevation_type(full), NTSEC_ELEVATION_FULL);
    CU_ASSERT(ntsec_token_is_admin(full));
    CU_ASSERT_EQUAL(group(full, "S-1-5-32-544"), (long)(MANDATORY_ENABLED | NTSEC_SE_GROUP_OWNER));
    CU_ASSERT_EQUAL(ntsec_token_integrity(full), NTSEC_MANDATORY_HIGH);
    CU_ASSERT(owner_is(full, "S-1-5-32-544"));
    CU_ASSERT_EQUAL(privilege_count(full), 24);
    CU_ASSERT_EQUAL(privilege(full, NTSEC_SE_DEBUG_PRIVILEGE), 0);
    CU_ASSERT_EQUAL(privilege(full, NTSEC_SE_IMPERSONATE_PRIVILEGE), ENABLED);
    CU_ASSERT_EQUAL(privilege(full, NTSEC_SE_CREATE_GLOBAL_PRIVILEGE), ENABLED);
    /* Two logon sessions, one logon SID. */
    struct ntsec_sid a, b;
    logon_sid_attrs(t, &a);
    logon_sid_attrs(full, &b);
    CU_ASSERT(ntsec_sid_equal(&a, &b));
    struct ntsec_luid la = ntsec_token_authentication_id(t), lb = ntsec_token_authentication_id(full);
    CU_ASSERT(la.low != lb.low || la.high != lb.high);
    ntsec_token_put(full);
    ntsec_token_put(t);
}

/* A network logon: NETWORK instead of INTERACTIVE, no LOCAL, no CONSOLE
 * LOGON, NTLM Authentication, source NtLmSsp, no logon SID; no UAC split
 * for a domain administrator (the full token, High). */
static void network_logon_groups(void)
{
    struct ntsec_token *t = NULL;
    struct ntsec_token_source src;

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_user("bob", "CONTOSO", "bob-password", NTSEC_LOGON_NETWORK,
                                           &t), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(group(t, "S-1-5-2"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-4"), -1);
    CU_ASSERT_EQUAL(group(t, "S-1-2-0"), -1);
    CU_ASSERT_EQUAL(group(t, "S-1-2-1"), -1);
    CU_ASSERT_EQUAL(group(t, "S-1-5-64-10"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(logon_sid_attrs(t, NULL), -1);
    CU_ASSERT_EQUAL(elevation_type(t), NTSEC_ELEVATION_DEFAULT);
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_HIGH);
    CU_ASSERT(ntsec_token_is_admin(t));
    query(t, NTSEC_TOKEN_SOURCE);
    memcpy(&src, info, sizeof(src));
    CU_ASSERT_MEM_EQUAL(src.name, "NtLmSsp ", 8);
    ntsec_token_put(t);
}

/* A service logon: SERVICE S-1-5-6, whose rights bring
 * SeImpersonatePrivilege and SeCreateGlobalPrivilege, enabled. */
static void service_logon_has_service_group(void)
{
    struct ntsec_token *t = NULL;

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_user("svc-web", "CONTOSO", "svc-web-password",
                                           NTSEC_LOGON_SERVICE, &t), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(group(t, "S-1-5-6"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-4"), -1);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_IMPERSONATE_PRIVILEGE), ENABLED);
    CU_ASSERT_EQUAL(privilege(t, NTSEC_SE_CREATE_GLOBAL_PRIVILEGE), ENABLED);
    CU_ASSERT(logon_sid_attrs(t, NULL) >= 0);
    /* Rights beyond a standard user's make the token High. */
    CU_ASSERT_EQUAL(ntsec_token_integrity(t), NTSEC_MANDATORY_HIGH);
    ntsec_token_put(t);
}

/* A computer account NAME$ logs on from the network, as LocalSystem and
 * NetworkService present it to other machines (Microsoft docs,
 * "LocalSystem Account", "NetworkService Account": "presents the
 * computer's credentials to remote servers"): the account, Everyone,
 * NETWORK, Authenticated Users, This Organization, and Domain Computers
 * (RID 515) as primary group ([MS-SAMR] SamrCreateUser2InDomain: a
 * workstation trust account's primaryGroupId), not Domain Users. Any
 * other logon type is STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT ([MS-ERREF]
 * 2.3.1: "The account used is a computer account"; Microsoft docs
 * MSV1_0_LM20_LOGON: only a network logon may allow a workstation trust
 * account), but a password logon fails first on the password
 * (STATUS_LOGON_FAILURE): the world gives it none. */
static void computer_account_logs_on_from_the_network_only(void)
{
    static const enum ntsec_logon_type others[] = {
        NTSEC_LOGON_INTERACTIVE, NTSEC_LOGON_BATCH, NTSEC_LOGON_SERVICE,
    };
    struct ntsec_token *t = NULL;
    struct ntsec_sid machine = sid_of(CONTOSO "-1103");
    struct ntsec_sid computers = sid_of(CONTOSO "-515");
    const struct ntsec_sid *sid;

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_token("WORKSTATION$", "CONTOSO", NTSEC_LOGON_NETWORK, &t),
                          NTSEC_STATUS_SUCCESS);
    query(t, NTSEC_TOKEN_USER);
    memcpy(&sid, info, sizeof(sid));
    CU_ASSERT(ntsec_sid_equal(sid, &machine));
    CU_ASSERT_EQUAL(group(t, "S-1-1-0"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-2"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-11"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-15"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, CONTOSO "-515"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, CONTOSO "-513"), -1);
    CU_ASSERT_EQUAL(group(t, "S-1-5-4"), -1);
    CU_ASSERT_EQUAL(logon_sid_attrs(t, NULL), -1);
    query(t, NTSEC_TOKEN_PRIMARY_GROUP);
    memcpy(&sid, info, sizeof(sid));
    CU_ASSERT(ntsec_sid_equal(sid, &computers));
    CU_ASSERT(!ntsec_token_is_admin(t));
    ntsec_token_put(t);

    /* A [host]'s account, named without its domain, too. */
    t = NULL;
    CU_ASSERT_EQUAL(ntsec_logon_token("SERVER1$", NULL, NTSEC_LOGON_NETWORK, &t),
                    NTSEC_STATUS_SUCCESS);
    if (t)
        ntsec_token_put(t);

    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        t = (struct ntsec_token *)0x1;
        CU_ASSERT_EQUAL(ntsec_logon_token("WORKSTATION$", "CONTOSO", others[i], &t),
                        NTSEC_STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT);
        CU_ASSERT_EQUAL(ntsec_logon_token("SERVER1$", NULL, others[i], &t),
                        NTSEC_STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT);
        CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)0x1);
    }
    CU_ASSERT_EQUAL(ntsec_logon_user("WORKSTATION$", "CONTOSO", "WORKSTATION$-password",
                                     NTSEC_LOGON_INTERACTIVE, &t), NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_EQUAL(ntsec_logon_user("WORKSTATION$", "CONTOSO", "WORKSTATION$-password",
                                     NTSEC_LOGON_NETWORK, &t), NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)0x1);
}

/* A local administrator: Local account S-1-5-113 and S-1-5-114, NTLM
 * Authentication; the primary group is the machine's "None" (RID 513). */
static void local_account_sids(void)
{
    struct ntsec_token *t = NULL, *full = NULL;
    const struct ntsec_sid *pg;
    struct ntsec_sid none = sid_of(MACHINE "-513");

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_user("root", ".", "root-password", NTSEC_LOGON_INTERACTIVE,
                                           &t), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(group(t, "S-1-5-113"), MANDATORY_ENABLED);
    CU_ASSERT_EQUAL(group(t, "S-1-5-114"), NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT_EQUAL(group(t, "S-1-5-64-10"), MANDATORY_ENABLED);
    query(t, NTSEC_TOKEN_PRIMARY_GROUP);
    memcpy(&pg, info, sizeof(pg));
    CU_ASSERT(ntsec_sid_equal(pg, &none));
    CU_ASSERT_EQUAL_FATAL(ntsec_token_linked(t, &full), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(group(full, "S-1-5-114"), MANDATORY_ENABLED);
    ntsec_token_put(full);
    ntsec_token_put(t);
}

/* LogonUserW, lpszDomain: NULL with a UPN, "." for the local database;
 * names are compared without case. */
static void user_and_domain_forms(void)
{
    struct ntsec_token *t = NULL;

    CU_ASSERT_EQUAL(ntsec_logon_user("alice@contoso", NULL, "alice-password",
                                     NTSEC_LOGON_NETWORK, &t), NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    CU_ASSERT_EQUAL(ntsec_logon_user("ALICE", NULL, "alice-password", NTSEC_LOGON_NETWORK, &t),
                    NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    /* alice is not in the local database. */
    t = (struct ntsec_token *)0x1;
    CU_ASSERT_EQUAL(ntsec_logon_user("alice", ".", "alice-password", NTSEC_LOGON_NETWORK, &t),
                    NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)0x1);
}

/* LogonUserW: a wrong password or an unknown user is ERROR_LOGON_FAILURE;
 * nothing is returned. A group is not an account one can log on as; a
 * computer account is, from the network only (computer_account_...). */
static void wrong_password_or_unknown_user_is_logon_failure(void)
{
    struct ntsec_token *t = (struct ntsec_token *)0x1;

    CU_ASSERT_EQUAL(ntsec_logon_user("alice", "CONTOSO", "bob-password", NTSEC_LOGON_INTERACTIVE,
                                     &t), NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_EQUAL(ntsec_logon_user("alice", "CONTOSO", "", NTSEC_LOGON_INTERACTIVE, &t),
                    NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_EQUAL(ntsec_logon_user("mallory", "CONTOSO", "x", NTSEC_LOGON_INTERACTIVE, &t),
                    NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_EQUAL(ntsec_logon_token("Developers", "CONTOSO", NTSEC_LOGON_INTERACTIVE, &t),
                    NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_EQUAL(ntsec_logon_token("Developers", "CONTOSO", NTSEC_LOGON_NETWORK, &t),
                    NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_EQUAL(ntsec_logon_token("SERVER1$", "CONTOSO", NTSEC_LOGON_INTERACTIVE, &t),
                    NTSEC_STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT);
    CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)0x1);
    CU_ASSERT_EQUAL(ntsec_logon_user(NULL, "CONTOSO", "x", NTSEC_LOGON_INTERACTIVE, &t),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_logon_user("alice", "CONTOSO", "x", (enum ntsec_logon_type)7, &t),
                    NTSEC_STATUS_INVALID_PARAMETER);
}

/* A disabled account: STATUS_ACCOUNT_DISABLED with the right password,
 * ERROR_LOGON_FAILURE with a wrong one (the password is checked first). */
static void disabled_account(void)
{
    struct ntsec_token *t = (struct ntsec_token *)0x1;

    CU_ASSERT_EQUAL(ntsec_logon_user("Guest", ".", "guest-password", NTSEC_LOGON_INTERACTIVE, &t),
                    NTSEC_STATUS_ACCOUNT_DISABLED);
    CU_ASSERT_EQUAL(ntsec_logon_user("Guest", ".", "nope", NTSEC_LOGON_INTERACTIVE, &t),
                    NTSEC_STATUS_LOGON_FAILURE);
    CU_ASSERT_EQUAL(ntsec_status_to_win32(NTSEC_STATUS_ACCOUNT_DISABLED), 1331);
    CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)0x1);
}

/* A logon type the account has no right to: "Log on as a batch job" is
 * Administrators, Backup Operators and Performance Log Users by default
 * ("User Rights Assignment"), so alice gets
 * ERROR_LOGON_TYPE_NOT_GRANTED; svc-web has it. */
static void logon_type_needs_its_right(void)
{
    struct ntsec_token *t = (struct ntsec_token *)0x1;

    CU_ASSERT_EQUAL(ntsec_logon_user("alice", "CONTOSO", "alice-password", NTSEC_LOGON_BATCH, &t),
                    NTSEC_STATUS_LOGON_TYPE_NOT_GRANTED);
    CU_ASSERT_EQUAL(ntsec_logon_token("alice", "CONTOSO", NTSEC_LOGON_SERVICE, &t),
                    NTSEC_STATUS_LOGON_TYPE_NOT_GRANTED);
    CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)0x1);
    CU_ASSERT_EQUAL(ntsec_status_to_win32(NTSEC_STATUS_LOGON_TYPE_NOT_GRANTED), 1385);
    CU_ASSERT_EQUAL(ntsec_logon_token("svc-web", "CONTOSO", NTSEC_LOGON_BATCH, &t),
                    NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
}

/* A deny right wins over an allow right (Microsoft docs, "Deny log on
 * locally": it supersedes "Allow log on locally"). */
static void deny_right_wins(void)
{
    static const char world[] =
        "[user eve]\nrid = 1500\ngroups = Users\n"
        "rights = SeInteractiveLogonRight, SeNetworkLogonRight, SeDenyInteractiveLogonRight\n";
    char path[] = "/tmp/ntsec-logon-XXXXXX";
    struct ntsec_token *t = (struct ntsec_token *)0x1;
    int fd = mkstemp(path);
    unsigned line;
    const char *why;

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL_FATAL(write(fd, world, sizeof(world) - 1), (ssize_t)(sizeof(world) - 1));
    close(fd);
    CU_ASSERT_EQUAL_FATAL(ntsec_world_load(path, &line, &why), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_logon_token("eve", NULL, NTSEC_LOGON_INTERACTIVE, &t),
                    NTSEC_STATUS_LOGON_TYPE_NOT_GRANTED);
    CU_ASSERT_EQUAL(ntsec_logon_token("eve", NULL, NTSEC_LOGON_NETWORK, &t), NTSEC_STATUS_SUCCESS);
    if (t != (struct ntsec_token *)0x1)
        ntsec_token_put(t);
    ntsec_world_reset();
    unlink(path);
}

/* Each logon is a new logon session (AuthenticationId) with a new logon
 * SID (Microsoft docs, "Logon SID": unique to the logon session). */
static void each_logon_is_a_new_session(void)
{
    struct ntsec_token *a = NULL, *b = NULL;
    struct ntsec_sid sa, sb;
    struct ntsec_luid la, lb;

    CU_ASSERT_EQUAL_FATAL(ntsec_logon_token("carol", "CONTOSO", NTSEC_LOGON_INTERACTIVE, &a),
                          NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(ntsec_logon_token("carol", "CONTOSO", NTSEC_LOGON_INTERACTIVE, &b),
                          NTSEC_STATUS_SUCCESS);
    la = ntsec_token_authentication_id(a);
    lb = ntsec_token_authentication_id(b);
    CU_ASSERT(la.low != lb.low || la.high != lb.high);
    logon_sid_attrs(a, &sa);
    logon_sid_attrs(b, &sb);
    CU_ASSERT(!ntsec_sid_equal(&sa, &sb));
    CU_ASSERT_EQUAL(ntsec_sid_authority(&sa), 5);
    CU_ASSERT_EQUAL(sa.sub_authority_count, 3);
    CU_ASSERT_EQUAL(sa.sub_authority[0], 5);
    ntsec_token_put(a);
    ntsec_token_put(b);
}

/* Allocation failure: NTSEC_STATUS_NO_MEMORY, no token, nothing leaked,
 * until the logon (two tokens for an administrator) succeeds. */
static void logon_survives_allocation_failure(void)
{
    for (long n = 0;; n++) {
        struct ntsec_token *t = (struct ntsec_token *)0x1;
        long live = testutil_live(), objects = ntsec_object_live();
        ntsec_status st;

        testutil_fail_alloc_after(n);
        st = ntsec_logon_user("bob", "CONTOSO", "bob-password", NTSEC_LOGON_INTERACTIVE, &t);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_SUCCESS) {
            CU_ASSERT_EQUAL(elevation_type(t), NTSEC_ELEVATION_LIMITED);
            ntsec_token_put(t);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_PTR_EQUAL(t, (struct ntsec_token *)0x1);
        CU_ASSERT_EQUAL(testutil_live(), live);
        CU_ASSERT_EQUAL(ntsec_object_live(), objects);
        CU_ASSERT_FATAL(n < 1000);
    }
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(interactive_logon_has_windows_groups),
        TEST(standard_user_privileges),
        TEST(default_dacl_is_owner_system_logon_sid),
        TEST(admin_interactive_logon_is_split),
        TEST(network_logon_groups),
        TEST(service_logon_has_service_group),
        TEST(computer_account_logs_on_from_the_network_only),
        TEST(local_account_sids),
        TEST(user_and_domain_forms),
        TEST(wrong_password_or_unknown_user_is_logon_failure),
        TEST(disabled_account),
        TEST(logon_type_needs_its_right),
        TEST(deny_right_wins),
        TEST(each_logon_is_a_new_session),
        TEST(logon_survives_allocation_failure),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("logon", tests);
}

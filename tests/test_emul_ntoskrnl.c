/* test_emul_ntoskrnl.c - the kernel DDI for tokens, privileges and the
 * access check, called as a driver calls it: Wine's <ddk/wdm.h> plus the
 * WDK prototypes of <ntsec/ddk.h>, tokens built with the native API.
 *
 * Windows' results come from Microsoft docs (DDI pages SeAccessCheck,
 * SePrivilegeCheck, SeQueryInformationToken, SeFilterToken,
 * SeTokenIsAdmin, SeQueryAuthenticationIdToken, ObfReferenceObject),
 * ReactOS' kmtest SeQueryInfoToken (run against Windows), ReactOS
 * ntoskrnl/se (accesschk.c, priv.c, subject.c) read for behaviour, and
 * Forshaw's "Windows Security Internals" ch. 7; rules no such source
 * covers say so. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ddk/wdm.h>
#include <ntsec/ddk.h>
#include <ntsec/ntsec.h>

#include "testutil.h"
#include "thread.h"

/* --- fixtures ----------------------------------------------------------- */

enum { USER, EVERYONE, ADMINS, MEDIUM, SYSTEM, NSIDS };
static const char *const sid_text[NSIDS] = {
    "S-1-5-21-1-2-3-1001", "S-1-1-0", "S-1-5-32-544", "S-1-16-8192", "S-1-5-18",
};
static struct ntsec_sid sids[NSIDS];

#define GROUP_ON (NTSEC_SE_GROUP_MANDATORY | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT | NTSEC_SE_GROUP_ENABLED)
#define PRIV_ON (NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT)

/* Token options. */
enum {
    T_ADMIN = 1,            /* BUILTIN\Administrators enabled */
    T_TAKE_OWNERSHIP = 2,   /* SeTakeOwnershipPrivilege enabled */
    T_SECURITY = 4,         /* SeSecurityPrivilege enabled */
};

static PACCESS_TOKEN make_token(enum ntsec_token_type type, enum ntsec_impersonation_level level,
                                unsigned opts)
{
    struct ntsec_sid_and_attributes groups[3];
    struct ntsec_luid_and_attributes privs[4];
    size_t ng = 0, np = 0;
    struct ntsec_token *t = NULL;

    for (int i = 0; i < NSIDS; i++)
        if (!sids[i].revision)
            CU_ASSERT_FATAL(ntsec_success(ntsec_sid_from_string(sid_text[i], NULL, &sids[i])));
    groups[ng++] = (struct ntsec_sid_and_attributes){ &sids[EVERYONE], GROUP_ON };
    if (opts & T_ADMIN)
        groups[ng++] = (struct ntsec_sid_and_attributes){ &sids[ADMINS], GROUP_ON | NTSEC_SE_GROUP_OWNER };
    groups[ng++] = (struct ntsec_sid_and_attributes){
        &sids[MEDIUM], NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED };
    privs[np++] = (struct ntsec_luid_and_attributes){
        ntsec_privilege_luid(NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE), PRIV_ON };
    privs[np++] = (struct ntsec_luid_and_attributes){
        ntsec_privilege_luid(NTSEC_SE_BACKUP_PRIVILEGE), 0 };
    if (opts & T_TAKE_OWNERSHIP)
        privs[np++] = (struct ntsec_luid_and_attributes){
            ntsec_privilege_luid(NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED };
    if (opts & T_SECURITY)
        privs[np++] = (struct ntsec_luid_and_attributes){
            ntsec_privilege_luid(NTSEC_SE_SECURITY_PRIVILEGE), NTSEC_SE_PRIVILEGE_ENABLED };

    struct ntsec_token_desc d = {
        .type = type,
        .level = level,
        .user = { &sids[USER], 0 },
        .groups = groups, .group_count = ng,
        .privileges = privs, .privilege_count = np,
        .source = { "ntsec", { 7, 0 } },
        .authentication_id = { 0x1234, 0 },
        .session_id = 3,
    };
    CU_ASSERT_FATAL(ntsec_token_create(&d, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

static PACCESS_TOKEN primary(unsigned opts)
{
    return make_token(NTSEC_TOKEN_PRIMARY, NTSEC_SECURITY_ANONYMOUS, opts);
}

/* A context owning one reference on each token it names. */
static SECURITY_SUBJECT_CONTEXT subject(PACCESS_TOKEN client, SECURITY_IMPERSONATION_LEVEL level,
                                        PACCESS_TOKEN primary_token)
{
    SECURITY_SUBJECT_CONTEXT s = { client, level, primary_token, NULL };
    return s;
}

static void *sd_from(const char *sddl)
{
    void *sd = NULL;
    uint32_t size;

    CU_ASSERT_FATAL(ntsec_sddl_to_sd(sddl, NULL, 1, &sd, &size, NULL) == NTSEC_STATUS_SUCCESS);
    return sd;
}

static GENERIC_MAPPING mapping = { 0x1, 0x2, 0x4, 0x1F01FF };

/* --- SeAccessCheck ------------------------------------------------------- */

/* Outputs of one SeAccessCheck call. */
struct check {
    BOOLEAN ok;
    ACCESS_MASK granted;
    NTSTATUS status;
    PPRIVILEGE_SET privs;
};

static struct check check(void *sd, SECURITY_SUBJECT_CONTEXT *s, ACCESS_MASK desired,
                          ACCESS_MASK previous, KPROCESSOR_MODE mode)
{
    struct check c = { 0xcc, 0xdeadbeef, 0x12345678, (PPRIVILEGE_SET)&mapping };

    c.ok = SeAccessCheck(sd, s, FALSE, desired, previous, &c.privs, &mapping, mode, &c.granted,
                         &c.status);
    return c;
}

/* SeAccessCheck, AccessMode (Microsoft docs) and Windows' kernel: KernelMode
 * grants DesiredAccess | PreviouslyGrantedAccess without a descriptor or a
 * token, and no privilege set. */
static void se_access_check_kernel_mode_grants_without_looking(void)
{
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, NULL);
    struct check c = check(NULL, &s, FILE_READ_DATA, WRITE_DAC, KernelMode);

    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, FILE_READ_DATA | WRITE_DAC);
    CU_ASSERT_EQUAL(c.status, STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(c.privs);
}

/* KernelMode with MAXIMUM_ALLOWED: GenericMapping->GenericAll, plus the
 * other bits asked, plus PreviouslyGrantedAccess ([SAC] GrantedAccess:
 * "GENERIC_ALL plus any additional access the caller explicitly requests";
 * ReactOS accesschk.c SeAccessCheck). */
static void se_access_check_kernel_mode_maximum_allowed_is_generic_all(void)
{
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, NULL);
    struct check c = check(NULL, &s, MAXIMUM_ALLOWED | ACCESS_SYSTEM_SECURITY, SYNCHRONIZE,
                           KernelMode);

    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, 0x1F01FF | ACCESS_SYSTEM_SECURITY | SYNCHRONIZE);
    CU_ASSERT_EQUAL(c.status, STATUS_SUCCESS);
}

/* UserMode and no descriptor: FALSE, STATUS_ACCESS_DENIED, nothing granted
 * (ReactOS accesschk.c SeAccessCheck: "Check if we didn't get an SD ...
 * Automatic failure", STATUS_ACCESS_DENIED). */
static void se_access_check_user_mode_without_descriptor_is_denied(void)
{
    PACCESS_TOKEN p = primary(0);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    struct check c = check(NULL, &s, FILE_READ_DATA, 0, UserMode);

    CU_ASSERT_EQUAL(c.ok, FALSE);
    CU_ASSERT_EQUAL(c.granted, 0);
    CU_ASSERT_EQUAL(c.status, STATUS_ACCESS_DENIED);
    CU_ASSERT_PTR_NULL(c.privs);
    SeReleaseSubjectContext(&s);
}

/* A client below SecurityImpersonation (the context's level) cannot open
 * objects: STATUS_BAD_IMPERSONATION_LEVEL; a missing descriptor is
 * reported first (Forshaw, Windows Security Internals ch. 7, Kernel-Mode
 * Access Checks; ReactOS accesschk.c SeAccessCheck, same order). */
static void se_access_check_client_below_impersonation_is_bad_level(void)
{
    PACCESS_TOKEN client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IDENTIFICATION, 0);
    PACCESS_TOKEN p = primary(0);
    SECURITY_SUBJECT_CONTEXT s = subject(client, SecurityIdentification, p);
    void *sd = sd_from("O:SYG:SYD:(A;;0x1;;;WD)");
    struct check c = check(sd, &s, FILE_READ_DATA, 0, UserMode);

    CU_ASSERT_EQUAL(c.ok, FALSE);
    CU_ASSERT_EQUAL(c.granted, 0);
    CU_ASSERT_EQUAL(c.status, STATUS_BAD_IMPERSONATION_LEVEL);
    c = check(NULL, &s, FILE_READ_DATA, 0, UserMode);
    CU_ASSERT_EQUAL(c.status, STATUS_ACCESS_DENIED);
    /* In kernel mode the level does not matter. */
    c = check(sd, &s, FILE_READ_DATA, 0, KernelMode);
    CU_ASSERT_EQUAL(c.ok, TRUE);
    SeReleaseSubjectContext(&s);

    /* The level is the context's, not the token's. */
    client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, 0);
    s = subject(client, SecurityIdentification, NULL);
    c = check(sd, &s, FILE_READ_DATA, 0, UserMode);
    CU_ASSERT_EQUAL(c.ok, FALSE);
    CU_ASSERT_EQUAL(c.status, STATUS_BAD_IMPERSONATION_LEVEL);
    s.ImpersonationLevel = SecurityImpersonation;
    c = check(sd, &s, FILE_READ_DATA, 0, UserMode);
    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, FILE_READ_DATA);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* "How DACLs Control Access to an Object" (Microsoft docs): an allow ACE
 * for a group of the token grants its bits; bits no ACE grants are denied
 * with GrantedAccess 0. The client token is the one checked. */
static void se_access_check_dacl_decides_for_the_client(void)
{
    PACCESS_TOKEN client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, 0);
    PACCESS_TOKEN p = primary(T_ADMIN);
    SECURITY_SUBJECT_CONTEXT s = subject(client, SecurityImpersonation, p);
    void *sd = sd_from("O:SYG:SYD:(A;;0x1;;;WD)(A;;0x2;;;BA)");
    struct check c = check(sd, &s, 0x1, 0, UserMode);

    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, 0x1);
    CU_ASSERT_EQUAL(c.status, STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(c.privs);
    /* 0x2 is for Administrators, which only the primary token has. */
    c = check(sd, &s, 0x3, 0, UserMode);
    CU_ASSERT_EQUAL(c.ok, FALSE);
    CU_ASSERT_EQUAL(c.granted, 0);
    CU_ASSERT_EQUAL(c.status, STATUS_ACCESS_DENIED);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* Without a client token the primary token is the effective token
 * (SeQuerySubjectContextToken, Microsoft docs). */
static void se_access_check_without_client_uses_primary(void)
{
    PACCESS_TOKEN p = primary(T_ADMIN);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    void *sd = sd_from("O:SYG:SYD:(A;;0x2;;;BA)");
    struct check c = check(sd, &s, 0x2, 0x1, UserMode);

    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, 0x3);
    CU_ASSERT_EQUAL(c.status, STATUS_SUCCESS);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* DesiredAccess 0: TRUE with PreviouslyGrantedAccess when there is some,
 * else FALSE and STATUS_ACCESS_DENIED (ReactOS accesschk.c SeAccessCheck). */
static void se_access_check_nothing_desired(void)
{
    PACCESS_TOKEN p = primary(0);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    void *sd = sd_from("O:SYG:SYD:");
    struct check c = check(sd, &s, 0, READ_CONTROL, UserMode);

    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, READ_CONTROL);
    CU_ASSERT_EQUAL(c.status, STATUS_SUCCESS);
    c = check(sd, &s, 0, 0, UserMode);
    CU_ASSERT_EQUAL(c.ok, FALSE);
    CU_ASSERT_EQUAL(c.status, STATUS_ACCESS_DENIED);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* The owner is granted READ_CONTROL and WRITE_DAC even by an empty DACL
 * (SeAccessCheck Remarks: "might check whether the caller is the owner of
 * the object in order to grant WRITE_DAC or READ_CONTROL access"). */
static void se_access_check_owner_gets_read_control_and_write_dac(void)
{
    PACCESS_TOKEN p = primary(0);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    void *sd = sd_from("O:S-1-5-21-1-2-3-1001G:SYD:");
    struct check c = check(sd, &s, READ_CONTROL | WRITE_DAC, 0, UserMode);

    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, READ_CONTROL | WRITE_DAC);
    c = check(sd, &s, READ_CONTROL | DELETE, 0, UserMode);
    CU_ASSERT_EQUAL(c.ok, FALSE);
    CU_ASSERT_EQUAL(c.status, STATUS_ACCESS_DENIED);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* SeAccessCheck does not map generic bits of DesiredAccess: the caller
 * must (ntsec's choice; no public source found, and ReactOS's SeAccessCheck
 * maps them - docs/notes/reference-review.md A.5). GENERIC_READ
 * is not granted by an ACE for the specific read bit. */
static void se_access_check_does_not_map_generic_desired(void)
{
    PACCESS_TOKEN p = primary(0);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    void *sd = sd_from("O:SYG:SYD:(A;;0x1;;;WD)");
    struct check c = check(sd, &s, GENERIC_READ, 0, UserMode);

    CU_ASSERT_EQUAL(c.ok, FALSE);
    CU_ASSERT_EQUAL(c.status, STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(c.granted, 0);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* WRITE_OWNER through SeTakeOwnershipPrivilege and ACCESS_SYSTEM_SECURITY
 * through SeSecurityPrivilege come back in *Privileges, TakeOwnership
 * first, each SE_PRIVILEGE_USED_FOR_ACCESS, Control 0; freed with
 * SeFreePrivileges (SeAccessCheck Remarks and Privileges, Microsoft docs;
 * ReactOS priv.c SePrivilegePolicyCheck). */
static void se_access_check_returns_privileges_used(void)
{
    PACCESS_TOKEN p = primary(T_TAKE_OWNERSHIP | T_SECURITY);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    void *sd = sd_from("O:SYG:SYD:(A;;RC;;;WD)");
    struct check c = check(sd, &s, WRITE_OWNER | ACCESS_SYSTEM_SECURITY | READ_CONTROL, 0, UserMode);

    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, WRITE_OWNER | ACCESS_SYSTEM_SECURITY | READ_CONTROL);
    CU_ASSERT_EQUAL(c.status, STATUS_SUCCESS);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c.privs);
    CU_ASSERT_EQUAL(c.privs->PrivilegeCount, 2);
    CU_ASSERT_EQUAL(c.privs->Control, 0);
    CU_ASSERT_EQUAL(c.privs->Privilege[0].Luid.LowPart, SE_TAKE_OWNERSHIP_PRIVILEGE);
    CU_ASSERT_EQUAL(c.privs->Privilege[0].Luid.HighPart, 0);
    CU_ASSERT_EQUAL(c.privs->Privilege[0].Attributes, SE_PRIVILEGE_USED_FOR_ACCESS);
    CU_ASSERT_EQUAL(c.privs->Privilege[1].Luid.LowPart, SE_SECURITY_PRIVILEGE);
    CU_ASSERT_EQUAL(c.privs->Privilege[1].Attributes, SE_PRIVILEGE_USED_FOR_ACCESS);
    SeFreePrivileges(c.privs);
    /* Privileges may be NULL: the same decision, no set. */
    ACCESS_MASK granted;
    NTSTATUS status;
    CU_ASSERT_EQUAL(SeAccessCheck(sd, &s, FALSE, WRITE_OWNER, 0, NULL, &mapping, UserMode,
                                  &granted, &status), TRUE);
    CU_ASSERT_EQUAL(granted, WRITE_OWNER);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege enabled:
 * STATUS_PRIVILEGE_NOT_HELD (ReactOS priv.c SePrivilegePolicyCheck; Wine
 * test_AccessCheck, ERROR_PRIVILEGE_NOT_HELD); no set. */
static void se_access_check_system_security_needs_privilege(void)
{
    PACCESS_TOKEN p = primary(0);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    void *sd = sd_from("O:SYG:SYD:(A;;GA;;;WD)");
    struct check c = check(sd, &s, ACCESS_SYSTEM_SECURITY, 0, UserMode);

    CU_ASSERT_EQUAL(c.ok, FALSE);
    CU_ASSERT_EQUAL(c.granted, 0);
    CU_ASSERT_EQUAL(c.status, STATUS_PRIVILEGE_NOT_HELD);
    CU_ASSERT_PTR_NULL(c.privs);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* With MAXIMUM_ALLOWED the routine "does not do any privilege checks,
 * unless the caller specifically requests them by setting the
 * ACCESS_SYSTEM_SECURITY or WRITE_OWNER bits" (SeAccessCheck,
 * DesiredAccess, Microsoft docs). */
static void se_access_check_maximum_allowed_uses_no_privilege(void)
{
    PACCESS_TOKEN p = primary(T_TAKE_OWNERSHIP);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    void *sd = sd_from("O:SYG:SYD:(A;;0x3;;;WD)");
    struct check c = check(sd, &s, MAXIMUM_ALLOWED, 0, UserMode);

    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, 0x3);
    CU_ASSERT_PTR_NULL(c.privs);
    c = check(sd, &s, MAXIMUM_ALLOWED | WRITE_OWNER, 0, UserMode);
    CU_ASSERT_EQUAL(c.ok, TRUE);
    CU_ASSERT_EQUAL(c.granted, 0x3 | WRITE_OWNER);
    CU_ASSERT_PTR_NOT_NULL(c.privs);
    SeFreePrivileges(c.privs);
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* Out of pool for the privilege set: FALSE with
 * STATUS_INSUFFICIENT_RESOURCES, nothing granted, no set (ReactOS priv.c
 * SePrivilegePolicyCheck's failure status). */
static void se_access_check_privilege_set_out_of_pool(void)
{
    PACCESS_TOKEN p = primary(T_TAKE_OWNERSHIP);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    void *sd = sd_from("O:SYG:SYD:");

    for (long n = 0;; n++) {
        struct check c;

        testutil_fail_alloc_after(n);
        c = check(sd, &s, WRITE_OWNER, 0, UserMode);
        testutil_fail_alloc_after(-1);
        if (c.ok) {
            CU_ASSERT_PTR_NOT_NULL(c.privs);
            SeFreePrivileges(c.privs);
            break;
        }
        CU_ASSERT_EQUAL(c.status, STATUS_INSUFFICIENT_RESOURCES);
        CU_ASSERT_EQUAL(c.granted, 0);
        CU_ASSERT_PTR_NULL(c.privs);
        CU_ASSERT_FATAL(n < 10);
    }
    ntsec_mem_free(sd);
    SeReleaseSubjectContext(&s);
}

/* --- SePrivilegeCheck / SeFreePrivileges --------------------------------- */

struct one_priv {
    PRIVILEGE_SET set;
    LUID_AND_ATTRIBUTES more[1];
};

static struct one_priv two_privileges(ULONG control)
{
    struct one_priv p = { { 2, control, { { { SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 } } },
                          { { { SE_BACKUP_PRIVILEGE, 0 }, 0 } } };
    return p;
}

/* KernelMode: TRUE before anything is looked at, the set untouched
 * (SePrivilegeCheck docs, AccessMode; ReactOS kmtest SeQueryInfoToken:
 * "KernelMode ===> Always return TRUE"). */
static void se_privilege_check_kernel_mode_is_true(void)
{
    PACCESS_TOKEN client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IDENTIFICATION, 0);
    SECURITY_SUBJECT_CONTEXT s = subject(client, SecurityIdentification, NULL);
    struct one_priv p = two_privileges(PRIVILEGE_SET_ALL_NECESSARY);

    CU_ASSERT_EQUAL(SePrivilegeCheck(&p.set, &s, KernelMode), TRUE);
    CU_ASSERT_EQUAL(p.set.Privilege[0].Attributes, 0);
    CU_ASSERT_EQUAL(p.more[0].Attributes, 0);
    SeReleaseSubjectContext(&s);
}

/* PRIVILEGE_SET_ALL_NECESSARY: all must be enabled; 0: any one; each
 * enabled one is marked SE_PRIVILEGE_USED_FOR_ACCESS (SePrivilegeCheck,
 * Microsoft docs). SeBackupPrivilege is present but disabled. */
static void se_privilege_check_all_or_any(void)
{
    PACCESS_TOKEN p = primary(0);
    SECURITY_SUBJECT_CONTEXT s = subject(NULL, SecurityAnonymous, p);
    struct one_priv all = two_privileges(PRIVILEGE_SET_ALL_NECESSARY);
    struct one_priv any = two_privileges(0);

    CU_ASSERT_EQUAL(SePrivilegeCheck(&all.set, &s, UserMode), FALSE);
    CU_ASSERT_EQUAL(all.set.Privilege[0].Attributes, SE_PRIVILEGE_USED_FOR_ACCESS);
    CU_ASSERT_EQUAL(all.more[0].Attributes, 0);
    CU_ASSERT_EQUAL(SePrivilegeCheck(&any.set, &s, UserMode), TRUE);
    CU_ASSERT_EQUAL(any.set.Privilege[0].Attributes, SE_PRIVILEGE_USED_FOR_ACCESS);
    SeReleaseSubjectContext(&s);
}

/* A client token below SecurityImpersonation: FALSE, whatever it holds
 * (ReactOS priv.c SePrivilegeCheck). The client, not the primary,
 * is checked when it is there. */
static void se_privilege_check_client_below_impersonation_is_false(void)
{
    PACCESS_TOKEN client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IDENTIFICATION,
                                      T_TAKE_OWNERSHIP);
    PACCESS_TOKEN p = primary(T_TAKE_OWNERSHIP);
    SECURITY_SUBJECT_CONTEXT s = subject(client, SecurityIdentification, p);
    PRIVILEGE_SET set = { 1, PRIVILEGE_SET_ALL_NECESSARY,
                          { { { SE_TAKE_OWNERSHIP_PRIVILEGE, 0 }, 0 } } };

    CU_ASSERT_EQUAL(SePrivilegeCheck(&set, &s, UserMode), FALSE);
    s.ImpersonationLevel = SecurityImpersonation;
    CU_ASSERT_EQUAL(SePrivilegeCheck(&set, &s, UserMode), TRUE);
    SeReleaseSubjectContext(&s);

    client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, 0);
    p = primary(T_TAKE_OWNERSHIP);
    s = subject(client, SecurityImpersonation, p);
    set.Privilege[0].Attributes = 0;
    CU_ASSERT_EQUAL(SePrivilegeCheck(&set, &s, UserMode), FALSE);
    SeReleaseSubjectContext(&s);
}

/* --- SeQueryInformationToken -------------------------------------------- */

/* The documented classes come back in a pool buffer freed with ExFreePool
 * or ExFreePoolWithTag (SeQueryInformationToken, Microsoft docs). */
static void se_query_information_token_buffers(void)
{
    PACCESS_TOKEN t = primary(T_ADMIN);
    PVOID buf = NULL;

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenUser, &buf), STATUS_SUCCESS);
    CU_ASSERT_TRUE(RtlEqualSid(((TOKEN_USER *)buf)->User.Sid, &sids[USER]));
    ExFreePool(buf);

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenGroups, &buf), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(((TOKEN_GROUPS *)buf)->GroupCount, 3);
    CU_ASSERT_TRUE(RtlEqualSid(((TOKEN_GROUPS *)buf)->Groups[0].Sid, &sids[EVERYONE]));
    CU_ASSERT_EQUAL(((TOKEN_GROUPS *)buf)->Groups[0].Attributes, GROUP_ON);
    ExFreePoolWithTag(buf, 0x544e7374);

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenPrivileges, &buf), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(((TOKEN_PRIVILEGES *)buf)->PrivilegeCount, 2);
    ExFreePool(buf);

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenOwner, &buf), STATUS_SUCCESS);
    CU_ASSERT_TRUE(RtlEqualSid(((TOKEN_OWNER *)buf)->Owner, &sids[USER]));
    ExFreePool(buf);

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenPrimaryGroup, &buf), STATUS_SUCCESS);
    CU_ASSERT_TRUE(RtlEqualSid(((TOKEN_PRIMARY_GROUP *)buf)->PrimaryGroup, &sids[USER]));
    ExFreePool(buf);

    /* No default DACL: a TOKEN_DEFAULT_DACL with a NULL DefaultDacl
     * (ntsec's choice; unverified). */
    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenDefaultDacl, &buf), STATUS_SUCCESS);
    CU_ASSERT_PTR_NULL(((TOKEN_DEFAULT_DACL *)buf)->DefaultDacl);
    ExFreePool(buf);

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenSource, &buf), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(memcmp(((TOKEN_SOURCE *)buf)->SourceName, "ntsec", 6), 0);
    ExFreePool(buf);

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenType, &buf), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(*(TOKEN_TYPE *)buf, TokenPrimary);
    ExFreePool(buf);

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenStatistics, &buf), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(((TOKEN_STATISTICS *)buf)->AuthenticationId.LowPart, 0x1234);
    CU_ASSERT_EQUAL(((TOKEN_STATISTICS *)buf)->TokenType, TokenPrimary);
    CU_ASSERT_EQUAL(((TOKEN_STATISTICS *)buf)->GroupCount, 3);
    CU_ASSERT_EQUAL(((TOKEN_STATISTICS *)buf)->PrivilegeCount, 2);
    ExFreePool(buf);
    ObDereferenceObject(t);
}

/* TokenImpersonationLevel: "If the access token is not an impersonation
 * token, the call ... fails" with STATUS_INVALID_INFO_CLASS, the pointer
 * left alone (Microsoft docs; ReactOS kmtest SeQueryInfoToken). */
static void se_query_information_token_impersonation_level(void)
{
    PACCESS_TOKEN t = primary(0);
    PACCESS_TOKEN imp = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_DELEGATION, 0);
    PVOID buf = NULL;

    CU_ASSERT_EQUAL(SeQueryInformationToken(t, TokenImpersonationLevel, &buf), STATUS_INVALID_INFO_CLASS);
    CU_ASSERT_PTR_NULL(buf);
    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(imp, TokenImpersonationLevel, &buf), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(*(SECURITY_IMPERSONATION_LEVEL *)buf, SecurityDelegation);
    ExFreePool(buf);
    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(imp, TokenType, &buf), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(*(TOKEN_TYPE *)buf, TokenImpersonation);
    ExFreePool(buf);
    ObDereferenceObject(t);
    ObDereferenceObject(imp);
}

/* TokenSessionId and TokenIntegrityLevel: "a DWORD value (not a pointer
 * to it)" (Microsoft docs), stored in the first four bytes of
 * *TokenInformation; the integrity level is the RID of the label (Windows
 * 10/11 SeQueryInformationToken). */
static void se_query_information_token_dword_in_place(void)
{
    PACCESS_TOKEN t = primary(0);
    union { PVOID p; ULONG dw[2]; } v;

    v.dw[0] = 0xffffffff;
    v.dw[1] = 0xabcdef01;
    CU_ASSERT_EQUAL(SeQueryInformationToken(t, TokenSessionId, &v.p), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(v.dw[0], 3);
    CU_ASSERT_EQUAL(v.dw[1], 0xabcdef01);
    CU_ASSERT_EQUAL(SeQueryInformationToken(t, TokenIntegrityLevel, &v.p), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(v.dw[0], SECURITY_MANDATORY_MEDIUM_RID);
    CU_ASSERT_EQUAL(v.dw[1], 0xabcdef01);
    ObDereferenceObject(t);
}

/* Classes SeQueryInformationToken does not answer: STATUS_INVALID_INFO_CLASS
 * (Microsoft docs, Return value; TokenOrigin, TokenGroupsAndPrivileges,
 * TokenRestrictedSids and TokenSandBoxInert: ReactOS kmtest
 * SeQueryInfoToken), the pointer left alone. */
static void se_query_information_token_other_classes_invalid(void)
{
    static const TOKEN_INFORMATION_CLASS others[] = {
        0, TokenRestrictedSids, TokenGroupsAndPrivileges, TokenSandBoxInert, TokenOrigin,
        TokenLinkedToken, TokenLogonSid, 1000,
    };
    PACCESS_TOKEN t = primary(0);

    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        PVOID buf = &mapping;

        CU_ASSERT_EQUAL(SeQueryInformationToken(t, others[i], &buf), STATUS_INVALID_INFO_CLASS);
        CU_ASSERT_PTR_EQUAL(buf, &mapping);
    }
    ObDereferenceObject(t);
}

/* Out of pool: STATUS_INSUFFICIENT_RESOURCES, nothing returned, nothing
 * leaked (ReactOS SeQueryInformationToken: STATUS_INSUFFICIENT_RESOURCES
 * when the output buffer cannot be allocated). */
static void se_query_information_token_out_of_pool(void)
{
    PACCESS_TOKEN t = primary(T_ADMIN);

    for (long n = 0;; n++) {
        PVOID buf = &mapping;
        NTSTATUS st;

        testutil_fail_alloc_after(n);
        st = SeQueryInformationToken(t, TokenGroups, &buf);
        testutil_fail_alloc_after(-1);
        if (st == STATUS_SUCCESS) {
            ExFreePool(buf);
            break;
        }
        CU_ASSERT_EQUAL(st, STATUS_INSUFFICIENT_RESOURCES);
        CU_ASSERT_PTR_EQUAL(buf, &mapping);
        CU_ASSERT_FATAL(n < 10);
    }
    ObDereferenceObject(t);
}

/* --- token questions ------------------------------------------------------ */

/* SeTokenType, SeTokenIsAdmin ("contains the local administrators
 * group"), SeTokenIsRestricted, SeQueryAuthenticationIdToken (always
 * STATUS_SUCCESS, its only documented return code, Microsoft docs). */
static void se_token_questions(void)
{
    PACCESS_TOKEN admin = primary(T_ADMIN);
    PACCESS_TOKEN imp = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, 0);
    LUID id = { 0, 0 };

    CU_ASSERT_EQUAL(SeTokenType(admin), TokenPrimary);
    CU_ASSERT_EQUAL(SeTokenType(imp), TokenImpersonation);
    CU_ASSERT_EQUAL(SeTokenIsAdmin(admin), TRUE);
    CU_ASSERT_EQUAL(SeTokenIsAdmin(imp), FALSE);
    CU_ASSERT_EQUAL(SeTokenIsRestricted(admin), FALSE);
    CU_ASSERT_EQUAL(SeQueryAuthenticationIdToken(imp, &id), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(id.LowPart, 0x1234);
    CU_ASSERT_EQUAL(id.HighPart, 0);
    ObDereferenceObject(admin);
    ObDereferenceObject(imp);
}

/* --- SeFilterToken ------------------------------------------------------ */

static ULONG group_attributes(PACCESS_TOKEN t, int which)
{
    PVOID buf = NULL;
    ULONG attr = 0xffffffff;

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenGroups, &buf), STATUS_SUCCESS);
    for (ULONG i = 0; i < ((TOKEN_GROUPS *)buf)->GroupCount; i++)
        if (RtlEqualSid(((TOKEN_GROUPS *)buf)->Groups[i].Sid, &sids[which]))
            attr = ((TOKEN_GROUPS *)buf)->Groups[i].Attributes;
    ExFreePool(buf);
    return attr;
}

static ULONG privilege_count(PACCESS_TOKEN t)
{
    PVOID buf = NULL;
    ULONG n;

    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(t, TokenPrivileges, &buf), STATUS_SUCCESS);
    n = ((TOKEN_PRIVILEGES *)buf)->PrivilegeCount;
    ExFreePool(buf);
    return n;
}

/* SeFilterToken (Microsoft docs): a disabled SID gets
 * SE_GROUP_USE_FOR_DENY_ONLY and loses ENABLED and ENABLED_BY_DEFAULT;
 * listed privileges are deleted; restricting SIDs make a restricted token
 * of the same type; the source is unchanged; the new token is released
 * with ObDereferenceObject. */
static void se_filter_token_restricts_a_copy(void)
{
    PACCESS_TOKEN src = primary(T_ADMIN);
    PACCESS_TOKEN out = NULL;
    TOKEN_GROUPS disable = { 1, { { &sids[ADMINS], 0 } } };
    TOKEN_PRIVILEGES del = { 1, { { { SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 } } };
    TOKEN_GROUPS restricting = { 1, { { &sids[EVERYONE], 0 } } };

    CU_ASSERT_EQUAL_FATAL(SeFilterToken(src, 0, &disable, &del, &restricting, &out), STATUS_SUCCESS);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_EQUAL(out, src);
    CU_ASSERT_EQUAL(SeTokenType(out), TokenPrimary);
    CU_ASSERT_EQUAL(group_attributes(out, ADMINS) &
                    (SE_GROUP_USE_FOR_DENY_ONLY | SE_GROUP_ENABLED | SE_GROUP_ENABLED_BY_DEFAULT),
                    SE_GROUP_USE_FOR_DENY_ONLY);
    CU_ASSERT_EQUAL(SeTokenIsAdmin(out), FALSE);
    CU_ASSERT_EQUAL(privilege_count(out), 1);
    CU_ASSERT_EQUAL(SeTokenIsRestricted(out), TRUE);
    CU_ASSERT_EQUAL(SeTokenIsRestricted(src), FALSE);
    CU_ASSERT_EQUAL(group_attributes(src, ADMINS) & SE_GROUP_ENABLED, SE_GROUP_ENABLED);
    CU_ASSERT_EQUAL(privilege_count(src), 2);
    ObDereferenceObject(out);
    ObDereferenceObject(src);
}

/* DISABLE_MAX_PRIVILEGE "disables all privileges in the new token except
 * SE_CHANGE_NOTIFY_PRIVILEGE" and ignores PrivilegesToDelete; with no
 * lists at all the copy keeps every group (SeFilterToken, Microsoft docs). */
static void se_filter_token_disable_max_privilege(void)
{
    PACCESS_TOKEN src = primary(T_TAKE_OWNERSHIP);
    PACCESS_TOKEN out = NULL;
    TOKEN_PRIVILEGES del = { 1, { { { SE_CHANGE_NOTIFY_PRIVILEGE, 0 }, 0 } } };
    PVOID buf = NULL;

    CU_ASSERT_EQUAL_FATAL(SeFilterToken(src, DISABLE_MAX_PRIVILEGE, NULL, &del, NULL, &out),
                          STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(SeQueryInformationToken(out, TokenPrivileges, &buf), STATUS_SUCCESS);
    CU_ASSERT_EQUAL(((TOKEN_PRIVILEGES *)buf)->PrivilegeCount, 1);
    CU_ASSERT_EQUAL(((TOKEN_PRIVILEGES *)buf)->Privileges[0].Luid.LowPart, SE_CHANGE_NOTIFY_PRIVILEGE);
    ExFreePool(buf);
    CU_ASSERT_EQUAL(group_attributes(out, EVERYONE), GROUP_ON);
    CU_ASSERT_EQUAL(SeTokenIsRestricted(out), FALSE);
    ObDereferenceObject(out);
    ObDereferenceObject(src);
}

/* Allocation failure: libsec's STATUS_NO_MEMORY, *FilteredToken unchanged,
 * no token or memory left behind. */
static void se_filter_token_out_of_memory(void)
{
    PACCESS_TOKEN src = primary(T_ADMIN);
    TOKEN_GROUPS disable = { 1, { { &sids[ADMINS], 0 } } };
    long objects = ntsec_object_live();

    for (long n = 0;; n++) {
        PACCESS_TOKEN out = &mapping;
        NTSTATUS st;

        testutil_fail_alloc_after(n);
        st = SeFilterToken(src, 0, &disable, NULL, NULL, &out);
        testutil_fail_alloc_after(-1);
        if (st == STATUS_SUCCESS) {
            ObDereferenceObject(out);
            break;
        }
        CU_ASSERT_EQUAL(st, STATUS_NO_MEMORY);
        CU_ASSERT_PTR_EQUAL(out, &mapping);
        CU_ASSERT_EQUAL(ntsec_object_live(), objects);
        CU_ASSERT_FATAL(n < 50);
    }
    ObDereferenceObject(src);
}

/* --- objects and subject contexts ----------------------------------------- */

/* ObReferenceObject (the WDK macro over ObfReferenceObject, and the
 * function) keeps an object alive until the matching ObDereferenceObject /
 * ObfDereferenceObject (ObfReferenceObject, Microsoft docs). */
static void ob_reference_keeps_object_until_last_dereference(void)
{
    long before = ntsec_object_live();
    PACCESS_TOKEN t = primary(0);

    CU_ASSERT_EQUAL(ntsec_object_live(), before + 1);
    ObReferenceObject(t);
    (ObReferenceObject)(t);
    ObfReferenceObject(t);
    ObDereferenceObject(t);
    ObfDereferenceObject(t);
    ObDereferenceObject(t);
    CU_ASSERT_EQUAL(ntsec_object_live(), before + 1);
    CU_ASSERT_EQUAL(SeTokenType(t), TokenPrimary);
    ObfDereferenceObject(t);
    CU_ASSERT_EQUAL(ntsec_object_live(), before);
}

/* SeReleaseSubjectContext drops the context's reference on PrimaryToken
 * and on ClientToken when set, and clears both (ReactOS se/subject.c);
 * SeLockSubjectContext / SeUnlockSubjectContext change nothing visible. */
static void se_release_subject_context_drops_both_references(void)
{
    long before = ntsec_object_live();
    PACCESS_TOKEN client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, 0);
    PACCESS_TOKEN p = primary(0);
    SECURITY_SUBJECT_CONTEXT s = subject(client, SecurityImpersonation, p);

    ObReferenceObject(p);               /* the test's own reference */
    SeLockSubjectContext(&s);
    CU_ASSERT_PTR_EQUAL(s.ClientToken, client);
    CU_ASSERT_PTR_EQUAL(s.PrimaryToken, p);
    SeUnlockSubjectContext(&s);
    SeReleaseSubjectContext(&s);
    CU_ASSERT_PTR_NULL(s.ClientToken);
    CU_ASSERT_PTR_NULL(s.PrimaryToken);
    CU_ASSERT_EQUAL(s.ImpersonationLevel, SecurityImpersonation);
    CU_ASSERT_EQUAL(ntsec_object_live(), before + 1);
    ObDereferenceObject(p);
    CU_ASSERT_EQUAL(ntsec_object_live(), before);

    p = primary(0);                     /* no client token */
    s = subject(NULL, SecurityAnonymous, p);
    SeReleaseSubjectContext(&s);
    CU_ASSERT_EQUAL(ntsec_object_live(), before);
}

/* --- processes, threads and handles ---------------------------------------- */

/* PsGetCurrentProcess / PsGetCurrentThread are real exports (WDK) and
 * return the caller's process and thread; the id getters return their
 * client ids (PsGetThreadId, PsGetCurrentThreadId, PsGetProcessId,
 * Microsoft docs). */
static void ps_current_process_and_thread(void)
{
    PETHREAD t = PsGetCurrentThread();
    PEPROCESS p = PsGetCurrentProcess();

    CU_ASSERT_PTR_EQUAL(t, (PETHREAD)ntsec_thread_current());
    CU_ASSERT_PTR_EQUAL(p, (PEPROCESS)ntsec_process_current());
    CU_ASSERT_PTR_EQUAL(ntsec_thread_process((struct ntsec_thread *)t), (struct ntsec_process *)p);
    CU_ASSERT_EQUAL((ULONG_PTR)PsGetThreadId(t), ntsec_thread_id((struct ntsec_thread *)t));
    CU_ASSERT_EQUAL((ULONG_PTR)PsGetCurrentThreadId(), (ULONG_PTR)PsGetThreadId(t));
    CU_ASSERT_EQUAL((ULONG_PTR)PsGetProcessId(p), ntsec_process_id((struct ntsec_process *)p));
    CU_ASSERT_EQUAL((ULONG_PTR)PsGetCurrentProcessId(), (ULONG_PTR)PsGetProcessId(p));
    CU_ASSERT((ULONG_PTR)PsGetCurrentThreadId() % 4 == 0);
}

/* PsReferencePrimaryToken returns the process' primary token with a new
 * reference; PsDereferencePrimaryToken drops it (Microsoft docs). */
static void ps_reference_primary_token_takes_a_reference(void)
{
    struct ntsec_token *own = ntsec_process_token(ntsec_process_current());
    PACCESS_TOKEN t = PsReferencePrimaryToken(PsGetCurrentProcess());

    CU_ASSERT_PTR_EQUAL(t, own);
    CU_ASSERT_EQUAL(SeTokenType(t), TokenPrimary);
    PsDereferencePrimaryToken(t);
    ntsec_token_put(own);
}

/* SeCaptureSubjectContext: no client token and SecurityAnonymous when the
 * thread does not impersonate, the process' primary token referenced; the
 * client token and the thread's level when it does; none while
 * impersonation is disabled (Microsoft docs, SeCaptureSubjectContext;
 * PsDisableImpersonation). */
static void se_capture_subject_context_takes_thread_and_process_tokens(void)
{
    long before = ntsec_object_live();
    struct ntsec_thread *me = ntsec_thread_current();
    PACCESS_TOKEN client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_DELEGATION, 0);
    struct ntsec_token *own = ntsec_process_token(ntsec_process_current());
    SECURITY_SUBJECT_CONTEXT s;

    SeCaptureSubjectContext(&s);
    CU_ASSERT_PTR_NULL(s.ClientToken);
    CU_ASSERT_EQUAL(s.ImpersonationLevel, SecurityAnonymous);
    CU_ASSERT_PTR_EQUAL(s.PrimaryToken, own);
    CU_ASSERT_EQUAL((ULONG_PTR)s.ProcessAuditId, (ULONG_PTR)PsGetCurrentProcessId());
    SeReleaseSubjectContext(&s);

    ntsec__thread_set_impersonation(me, client, NTSEC_SECURITY_IMPERSONATION, false, false);
    SeCaptureSubjectContext(&s);
    CU_ASSERT_PTR_EQUAL(s.ClientToken, client);
    CU_ASSERT_EQUAL(s.ImpersonationLevel, SecurityImpersonation);
    CU_ASSERT_PTR_EQUAL(s.PrimaryToken, own);
    SeReleaseSubjectContext(&s);
    struct ntsec_impersonation_state saved;
    ntsec_thread_disable_impersonation(me, &saved);
    SeCaptureSubjectContext(&s);
    CU_ASSERT_PTR_NULL(s.ClientToken);
    SeReleaseSubjectContext(&s);
    ntsec_thread_restore_impersonation(me, &saved);
    ntsec__thread_clear_impersonation(me);
    ntsec_token_put(own);
    ntsec_token_put(client);
    CU_ASSERT_EQUAL(ntsec_object_live(), before);
}

/* SeSinglePrivilegeCheck: KernelMode is TRUE; in UserMode the privilege
 * must be enabled in the current subject's effective token - here the
 * client the thread impersonates, which holds SeChangeNotifyPrivilege
 * enabled and SeBackupPrivilege disabled; a client at Identification
 * level passes no check (SePrivilegeCheck's rule). */
static void se_single_privilege_check_uses_the_current_subject(void)
{
    struct ntsec_thread *me = ntsec_thread_current();
    PACCESS_TOKEN client = make_token(NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, 0);
    LUID notify = { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 };
    LUID backup = { NTSEC_SE_BACKUP_PRIVILEGE, 0 };

    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(backup, KernelMode), TRUE);
    ntsec__thread_set_impersonation(me, client, NTSEC_SECURITY_IMPERSONATION, false, false);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(notify, UserMode), TRUE);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(backup, UserMode), FALSE);
    ntsec__thread_set_impersonation(me, client, NTSEC_SECURITY_IDENTIFICATION, false, false);
    CU_ASSERT_EQUAL(SeSinglePrivilegeCheck(notify, UserMode), FALSE);
    ntsec__thread_clear_impersonation(me);
    ntsec_token_put(client);
}

/* ObReferenceObjectByHandle (Microsoft docs): STATUS_OBJECT_TYPE_MISMATCH
 * for another type, STATUS_ACCESS_DENIED when UserMode asks for more than
 * the handle grants, while KernelMode is always allowed;
 * HandleInformation receives the handle's access and attributes; the
 * NtCurrentProcess pseudo-handle is the current process. */
static void ob_reference_object_by_handle_checks_type_and_access(void)
{
    PACCESS_TOKEN t = primary(0);
    OBJECT_HANDLE_INFORMATION info = { 0xcc, 0xcc };
    ntsec_handle h;
    PVOID o = (PVOID)0x1;

    CU_ASSERT_FATAL(ntsec_handle_create(t, TOKEN_QUERY, OBJ_INHERIT, &h) == STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ObReferenceObjectByHandle((HANDLE)h, TOKEN_QUERY, *PsProcessType, UserMode, &o,
                                              NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CU_ASSERT_EQUAL(ObReferenceObjectByHandle((HANDLE)h, TOKEN_ADJUST_DEFAULT, *SeTokenObjectType,
                                              UserMode, &o, NULL), STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ObReferenceObjectByHandle((HANDLE)(h + 4), 0, NULL, KernelMode, &o, NULL),
                    STATUS_INVALID_HANDLE);
    CU_ASSERT_PTR_EQUAL(o, (PVOID)0x1);
    CU_ASSERT_EQUAL_FATAL(ObReferenceObjectByHandle((HANDLE)h, TOKEN_ADJUST_DEFAULT,
                                                    *SeTokenObjectType, KernelMode, &o, &info),
                          STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(o, t);
    CU_ASSERT_EQUAL(info.GrantedAccess, TOKEN_QUERY);
    CU_ASSERT_EQUAL(info.HandleAttributes, OBJ_INHERIT);
    ObDereferenceObject(o);
    CU_ASSERT_EQUAL(ntsec_handle_close(h), STATUS_SUCCESS);

    CU_ASSERT_EQUAL_FATAL(ObReferenceObjectByHandle(NtCurrentProcess(), PROCESS_ALL_ACCESS,
                                                    *PsProcessType, UserMode, &o, NULL),
                          STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(o, PsGetCurrentProcess());
    ObDereferenceObject(o);
    CU_ASSERT_EQUAL(ObReferenceObjectByHandle(NtCurrentThread(), 0, *PsProcessType, UserMode, &o,
                                              NULL), STATUS_OBJECT_TYPE_MISMATCH);
    ObDereferenceObject(t);
}

/* ObOpenObjectByPointer (Microsoft docs): a handle to the object in the
 * current process after the access check (a token whose own descriptor
 * has no DACL grants everything); a given ObjectType must match. */
static void ob_open_object_by_pointer_makes_a_checked_handle(void)
{
    PACCESS_TOKEN t = primary(0);
    HANDLE h = (HANDLE)0x55;
    PVOID o;

    CU_ASSERT_EQUAL(ObOpenObjectByPointer(t, 0, NULL, TOKEN_QUERY, *PsThreadType, UserMode, &h),
                    STATUS_OBJECT_TYPE_MISMATCH);
    CU_ASSERT_PTR_EQUAL(h, (HANDLE)0x55);
    CU_ASSERT_EQUAL_FATAL(ObOpenObjectByPointer(t, 0, NULL, GENERIC_READ, *SeTokenObjectType,
                                                UserMode, &h), STATUS_SUCCESS);
    CU_ASSERT((ULONG_PTR)h % 4 == 0);
    CU_ASSERT_EQUAL_FATAL(ObReferenceObjectByHandle(h, TOKEN_QUERY, *SeTokenObjectType, UserMode,
                                                    &o, NULL), STATUS_SUCCESS);
    CU_ASSERT_PTR_EQUAL(o, t);
    ObDereferenceObject(o);
    /* GENERIC_READ on a token is TOKEN_READ (winnt.h): no TOKEN_DUPLICATE. */
    CU_ASSERT_EQUAL(ObReferenceObjectByHandle(h, TOKEN_DUPLICATE, *SeTokenObjectType, UserMode,
                                              &o, NULL), STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ntsec_handle_close((ntsec_handle)h), STATUS_SUCCESS);
    ObDereferenceObject(t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(se_access_check_kernel_mode_grants_without_looking),
        TEST(se_access_check_kernel_mode_maximum_allowed_is_generic_all),
        TEST(se_access_check_user_mode_without_descriptor_is_denied),
        TEST(se_access_check_client_below_impersonation_is_bad_level),
        TEST(se_access_check_dacl_decides_for_the_client),
        TEST(se_access_check_without_client_uses_primary),
        TEST(se_access_check_nothing_desired),
        TEST(se_access_check_owner_gets_read_control_and_write_dac),
        TEST(se_access_check_does_not_map_generic_desired),
        TEST(se_access_check_returns_privileges_used),
        TEST(se_access_check_system_security_needs_privilege),
        TEST(se_access_check_maximum_allowed_uses_no_privilege),
        TEST(se_access_check_privilege_set_out_of_pool),
        TEST(se_privilege_check_kernel_mode_is_true),
        TEST(se_privilege_check_all_or_any),
        TEST(se_privilege_check_client_below_impersonation_is_false),
        TEST(se_query_information_token_buffers),
        TEST(se_query_information_token_impersonation_level),
        TEST(se_query_information_token_dword_in_place),
        TEST(se_query_information_token_other_classes_invalid),
        TEST(se_query_information_token_out_of_pool),
        TEST(se_token_questions),
        TEST(se_filter_token_restricts_a_copy),
        TEST(se_filter_token_disable_max_privilege),
        TEST(se_filter_token_out_of_memory),
        TEST(ob_reference_keeps_object_until_last_dereference),
        TEST(se_release_subject_context_drops_both_references),
        TEST(ps_current_process_and_thread),
        TEST(ps_reference_primary_token_takes_a_reference),
        TEST(se_capture_subject_context_takes_thread_and_process_tokens),
        TEST(se_single_privilege_check_uses_the_current_subject),
        TEST(ob_reference_object_by_handle_checks_type_and_access),
        TEST(ob_open_object_by_pointer_makes_a_checked_handle),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_ntoskrnl", tests);
}

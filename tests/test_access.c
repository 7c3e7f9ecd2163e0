/* test_access.c - the access check: the request, the pipeline's order,
 * the owner, privileges, the DACL walk, MAXIMUM_ALLOWED, restricted
 * tokens, the trace and the promise to allocate nothing. Integrity and
 * object types have their own suites (test_access_integrity.c,
 * test_access_objects.c). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "access_fixtures.h"

#define O_USER "O:" USER_SID "G:BU"
#define FILE_READ_DATA 0x1u
#define FILE_WRITE_DATA 0x2u
#define FILE_READ_EA 0x8u

static const struct fix_group admin_groups[] = {
    { "S-1-1-0", 0 }, { "S-1-5-32-544", 0 }, { "S-1-5-32-545", 0 }, { NULL, 0 },
};

/* --- the request ---------------------------------------------------------- */

/* Windows result asserted by Wine's test_AccessCheck ("SD without
 * owner/group": ERROR_INVALID_SECURITY_DESCR, outputs unchanged). */
static void sd_without_owner_or_group_is_invalid(void)
{
    struct ntsec_token *t = fix_plain();
    void *sd = fix_sd("D:(A;;FA;;;WD)");
    struct ntsec_access_request rq = { .sd = sd, .token = t, .desired = 1,
                                       .mapping = &file_mapping };
    struct ntsec_access_result res = { .granted = 0x1abe11ed, .status = 0x1abe11ed };

    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    CU_ASSERT_EQUAL(res.granted, 0x1abe11ed);
    CU_ASSERT_EQUAL(res.status, 0x1abe11ed);
    rq.sd = NULL;
    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_INVALID_SECURITY_DESCR);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* Wine's test_AccessCheck: NtAccessCheck with GENERIC_READ fails with
 * STATUS_GENERIC_NOT_MAPPED; SeAccessCheck leaves mapping to its caller. */
static void nt_access_check_rejects_generic_bits(void)
{
    struct ntsec_token *t = fix_plain();
    void *sd = fix_sd(O_USER "D:(A;;FA;;;WD)");
    struct ntsec_access_result res;

    CU_ASSERT_EQUAL(fix_check_ex(t, sd, NTSEC_GENERIC_READ, NTSEC_ACCESS_REJECT_GENERIC,
                                 &file_mapping, &res), NTSEC_STATUS_GENERIC_NOT_MAPPED);
    /* Without the flag the bit is not mapped: FA (0x1F01FF) does not hold it. */
    CU_ASSERT_EQUAL(fix_check_ex(t, sd, NTSEC_GENERIC_READ, 0, &file_mapping, &res),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* Wine's test_AccessCheck: a primary token gives ERROR_NO_IMPERSONATION_TOKEN,
 * an anonymous one ERROR_BAD_IMPERSONATION_LEVEL (AccessCheck). */
static void nt_access_check_needs_identification_token(void)
{
    struct fix_token fp = { .groups = fix_plain_groups, .type = NTSEC_TOKEN_PRIMARY };
    struct fix_token fa = { .groups = fix_plain_groups, .level_set = true,
                            .level = NTSEC_SECURITY_ANONYMOUS };
    struct fix_token fi = { .groups = fix_plain_groups, .level = NTSEC_SECURITY_IDENTIFICATION };
    struct ntsec_token *p = fix_token(&fp), *an = fix_token(&fa), *id = fix_token(&fi);
    void *sd = fix_sd(O_USER "D:(A;;FA;;;WD)");
    struct ntsec_access_result res;

    CU_ASSERT_EQUAL(fix_check_ex(p, sd, 1, NTSEC_ACCESS_NEED_IMPERSONATION, &file_mapping, &res),
                    NTSEC_STATUS_NO_IMPERSONATION_TOKEN);
    CU_ASSERT_EQUAL(fix_check_ex(an, sd, 1, NTSEC_ACCESS_NEED_IMPERSONATION, &file_mapping,
                                 &res), NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(fix_check_ex(id, sd, 1, NTSEC_ACCESS_NEED_IMPERSONATION, &file_mapping,
                                 &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, 1);
    ntsec_mem_free(sd);
    ntsec_token_put(p);
    ntsec_token_put(an);
    ntsec_token_put(id);
}

/* SeAccessCheck (Microsoft docs): a client token below
 * SecurityImpersonation gives STATUS_BAD_IMPERSONATION_LEVEL. */
static void se_access_check_client_below_impersonation(void)
{
    struct fix_token fi = { .groups = fix_plain_groups, .level = NTSEC_SECURITY_IDENTIFICATION };
    struct ntsec_token *id = fix_token(&fi), *imp = fix_plain();
    void *sd = fix_sd(O_USER "D:(A;;FA;;;WD)");
    struct ntsec_access_result res;

    CU_ASSERT_EQUAL(fix_check_ex(id, sd, 1, NTSEC_ACCESS_CHECK_CLIENT_LEVEL, &file_mapping, &res),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(fix_check_ex(imp, sd, 1, NTSEC_ACCESS_CHECK_CLIENT_LEVEL, &file_mapping,
                                 &res), NTSEC_STATUS_SUCCESS);
    /* The level is the subject context's: a thread impersonating an
     * Impersonation-level token at Identification (PsImpersonateClient
     * stores the level it is given) cannot open objects either. */
    {
        struct ntsec_access_request rq = {
            .sd = sd, .token = imp, .desired = 1, .mapping = &file_mapping,
            .flags = NTSEC_ACCESS_CHECK_CLIENT_LEVEL, .client_level = NTSEC_SECURITY_IDENTIFICATION,
        };
        CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    }
    ntsec_mem_free(sd);
    ntsec_token_put(id);
    ntsec_token_put(imp);
}

/* SeAccessCheck, AccessMode (Microsoft docs): kernel mode grants what is
 * asked; MAXIMUM_ALLOWED is the mapping's GenericAll. */
static void kernel_mode_grants_without_looking(void)
{
    struct ntsec_access_request rq = { .desired = NTSEC_MAXIMUM_ALLOWED | NTSEC_ACCESS_SYSTEM_SECURITY,
                                       .mapping = &file_mapping, .previously_granted = 0x40,
                                       .flags = NTSEC_ACCESS_KERNEL_MODE };
    struct ntsec_access_result res;

    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, 0x1F01FF | NTSEC_ACCESS_SYSTEM_SECURITY | 0x40);
}

/* ReactOS accesschk.c, SeAccessCheck and SepAccessCheckWorker:
 * DesiredAccess 0 gives the previously granted rights, or
 * STATUS_ACCESS_DENIED when there are none. */
static void desired_zero_gives_previously_granted(void)
{
    struct ntsec_token *t = fix_plain();
    void *sd = fix_sd(O_USER "D:");
    struct ntsec_access_request rq = { .sd = sd, .token = t, .mapping = &file_mapping };
    struct ntsec_access_result res;

    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(res.granted, 0);
    rq.previously_granted = 0x20;
    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, 0x20);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* --- no DACL, empty DACL -------------------------------------------------- */

/* Wine's test_AccessCheck: a NULL DACL grants KEY_READ, and KEY_ALL_ACCESS
 * (the mapping's GenericAll) for MAXIMUM_ALLOWED; so does an absent one
 * ("How DACLs Control Access to an Object"). */
static void null_or_absent_dacl_grants_everything(void)
{
    struct ntsec_token *t = fix_plain();
    const char *sddl[] = { "O:BAG:BUD:NO_ACCESS_CONTROL", "O:BAG:BU" };

    for (int i = 0; i < 2; i++) {
        void *sd = fix_sd(sddl[i]);
        struct ntsec_access_result res;

        fix_check_ex(t, sd, 0x20019, 0, &key_mapping, &res);
        CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(res.granted, 0x20019);
        fix_check_ex(t, sd, NTSEC_MAXIMUM_ALLOWED, 0, &key_mapping, &res);
        CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
        CU_ASSERT_EQUAL(res.granted, 0xF003F);
        ntsec_mem_free(sd);
    }
    ntsec_token_put(t);
}

/* Wine's test_AccessCheck ("sd with blank dacl"): an empty DACL denies, and
 * the granted mask is 0. */
static void empty_dacl_grants_nothing(void)
{
    struct ntsec_token *t = fix_plain();
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:", FILE_READ_DATA, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:", NTSEC_MAXIMUM_ALLOWED, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    ntsec_token_put(t);
}

/* --- the owner ------------------------------------------------------------ */

/* [MS-DTYP] 2.5.3.2 (an empty DACL denies "except through the implied
 * access of the owner"); "How DACLs Control Access to an Object". */
static void owner_has_read_control_and_write_dac(void)
{
    struct ntsec_token *t = fix_plain();
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:", NTSEC_READ_CONTROL | NTSEC_WRITE_DAC, &st),
                    NTSEC_READ_CONTROL | NTSEC_WRITE_DAC);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:", NTSEC_MAXIMUM_ALLOWED, &st),
                    NTSEC_READ_CONTROL | NTSEC_WRITE_DAC);
    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:", NTSEC_WRITE_OWNER, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    /* A deny ACE does not take the owner's implied rights away. */
    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:(D;;FA;;;WD)", NTSEC_READ_CONTROL, &st),
                    NTSEC_READ_CONTROL);
    ntsec_token_put(t);
}

/* A group owner counts only while enabled (Forshaw, Windows Security
 * Internals ch. 7, The Owner Check: "compares the owner SID ... with all
 * enabled token groups"; ReactOS SepTokenIsOwner). */
static void owner_group_must_be_enabled(void)
{
    static const struct fix_group g[] = {
        { "S-1-1-0", 0 },
        { "S-1-5-32-544", NTSEC_SE_GROUP_OWNER | NTSEC_SE_GROUP_USE_FOR_DENY_ONLY },
        { NULL, 0 },
    };
    struct fix_token f = { .groups = g };
    struct ntsec_token *t = fix_token(&f);
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:", NTSEC_READ_CONTROL, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    ntsec_token_put(t);
}

/* "How DACLs Control Access to an Object"; Forshaw ch. 7, Listings 7-15,
 * 7-16 and 7-18: OWNER RIGHTS (S-1-3-4) entries replace the owner's
 * implied rights and match the owner; an inherit-only one does not count
 * (Samba access_check.c). */
static void owner_rights_ace_replaces_implied_rights(void)
{
    struct ntsec_token *t = fix_plain();
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:(A;;0x1;;;OW)", NTSEC_READ_CONTROL, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:(A;;0x1;;;OW)", FILE_READ_DATA, &st), FILE_READ_DATA);
    /* Not the owner: OWNER RIGHTS does not match. */
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x1;;;OW)", FILE_READ_DATA, &st), 0);
    /* An inherit-only OWNER RIGHTS entry leaves the implied rights alone. */
    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:(A;IO;0x1;;;OW)", NTSEC_WRITE_DAC, &st),
                    NTSEC_WRITE_DAC);
    ntsec_token_put(t);
}

/* --- privileges ------------------------------------------------------------ */

/* Wine's test_AccessCheck: ACCESS_SYSTEM_SECURITY without
 * SeSecurityPrivilege: ERROR_PRIVILEGE_NOT_HELD as the access status; with
 * it: granted, one privilege used. */
static void access_system_security_needs_security_privilege(void)
{
    static const enum ntsec_privilege sec[] = { NTSEC_SE_SECURITY_PRIVILEGE, 0 };
    struct fix_token f = { .groups = fix_plain_groups, .privileges = sec };
    struct ntsec_token *t = fix_plain(), *p = fix_token(&f);
    void *sd = fix_sd(O_USER "D:(A;;FA;;;WD)");
    struct ntsec_access_result res;

    fix_check_ex(t, sd, NTSEC_ACCESS_SYSTEM_SECURITY, 0, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_PRIVILEGE_NOT_HELD);
    CU_ASSERT_EQUAL(res.granted, 0);
    fix_check_ex(p, sd, NTSEC_ACCESS_SYSTEM_SECURITY, 0, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, NTSEC_ACCESS_SYSTEM_SECURITY);
    CU_ASSERT_EQUAL(res.privileges_used, UINT64_C(1) << NTSEC_SE_SECURITY_PRIVILEGE);
    /* MAXIMUM_ALLOWED alone never brings it (SeAccessCheck docs). */
    fix_check_ex(p, sd, NTSEC_MAXIMUM_ALLOWED, 0, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.granted & NTSEC_ACCESS_SYSTEM_SECURITY, 0);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
    ntsec_token_put(p);
}

/* "Privilege Constants" (SeTakeOwnershipPrivilege), ReactOS priv.c
 * SePrivilegePolicyCheck; SeAccessCheck docs: with MAXIMUM_ALLOWED only an
 * explicit WRITE_OWNER brings the privilege in. */
static void write_owner_through_take_ownership(void)
{
    static const enum ntsec_privilege own[] = { NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE, 0 };
    struct fix_token f = { .groups = fix_plain_groups, .privileges = own };
    struct ntsec_token *t = fix_token(&f);
    void *sd = fix_sd("O:BAG:BUD:");
    struct ntsec_access_result res;

    fix_check_ex(t, sd, NTSEC_WRITE_OWNER, 0, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, NTSEC_WRITE_OWNER);
    CU_ASSERT_EQUAL(res.privileges_used, UINT64_C(1) << NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE);
    fix_check_ex(t, sd, NTSEC_MAXIMUM_ALLOWED, 0, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    fix_check_ex(t, sd, NTSEC_MAXIMUM_ALLOWED | NTSEC_WRITE_OWNER, 0, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.granted, NTSEC_WRITE_OWNER);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* "Privilege Constants" (SeBackupPrivilege / SeRestorePrivilege) and
 * ReactOS io/iomgr/file.c IopCheckBackupRestorePrivilege: only with backup
 * intent. */
static void backup_and_restore_need_backup_intent(void)
{
    static const enum ntsec_privilege br[] = { NTSEC_SE_BACKUP_PRIVILEGE,
                                               NTSEC_SE_RESTORE_PRIVILEGE, 0 };
    struct fix_token f = { .groups = fix_plain_groups, .privileges = br };
    struct ntsec_token *t = fix_token(&f);
    void *sd = fix_sd("O:BAG:BUD:");
    struct ntsec_access_result res;

    fix_check_ex(t, sd, FILE_READ_DATA, 0, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    fix_check_ex(t, sd, FILE_READ_DATA | NTSEC_ACCESS_SYSTEM_SECURITY,
                 NTSEC_ACCESS_BACKUP_INTENT, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.privileges_used, UINT64_C(1) << NTSEC_SE_BACKUP_PRIVILEGE);
    fix_check_ex(t, sd, FILE_WRITE_DATA | NTSEC_WRITE_DAC | NTSEC_DELETE,
                 NTSEC_ACCESS_BACKUP_INTENT, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.privileges_used, UINT64_C(1) << NTSEC_SE_RESTORE_PRIVILEGE);
    fix_check_ex(t, sd, NTSEC_MAXIMUM_ALLOWED, NTSEC_ACCESS_BACKUP_INTENT, &file_mapping, &res);
    CU_ASSERT_EQUAL(res.granted, 0x1F01BF | NTSEC_ACCESS_SYSTEM_SECURITY);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* --- the DACL walk ------------------------------------------------------------ */

/* Wine's test_AccessCheck ("sd with dacl": KEY_READ allowed to Everyone,
 * KEY_SET_VALUE denied to Administrators): each bit is decided by the
 * first ACE naming it ("How DACLs Control Access to an Object"). */
static void each_bit_decided_by_first_ace(void)
{
    struct fix_token f = { .groups = admin_groups };
    struct ntsec_token *t = fix_token(&f);
    void *sd = fix_sd("O:BAG:BUD:(A;;0x20019;;;WD)(D;;0x2;;;BA)");
    struct ntsec_access_result res;

    fix_check_ex(t, sd, 0x20019, 0, &key_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, 0x20019);
    fix_check_ex(t, sd, 0x20006, 0, &key_mapping, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(res.granted, 0);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
    t = fix_plain();
    /* A deny after an allow of the same bit changes nothing. */
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x1;;;WD)(D;;0x1;;;WD)", 1, NULL), 1);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(D;;0x1;;;WD)(A;;0x1;;;WD)", 1, NULL), 0);
    /* Rights may come from several ACEs. */
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x1;;;WD)(A;;0x2;;;BU)", 3, NULL), 3);
    ntsec_token_put(t);
}

/* Wine's test_AccessCheck ("test INHERIT_ONLY_ACE"): denied. */
static void inherit_only_ace_is_skipped(void)
{
    struct ntsec_token *t = fix_plain();
    ntsec_status st;

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;IO;0x1;;;WD)", 1, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(D;IO;0x1;;;WD)(A;;0x1;;;WD)", 1, &st), 1);
    ntsec_token_put(t);
}

/* "SID Attributes in an Access Token" (Microsoft docs): a deny-only group
 * matches deny ACEs only; a disabled group matches nothing. ReactOS
 * SepSidInTokenEx; Forshaw, Windows Security Internals ch. 7, Listing 7-17. */
static void deny_only_and_disabled_groups(void)
{
    static const struct fix_group g[] = {
        { "S-1-1-0", 0 },
        { "S-1-5-32-544", NTSEC_SE_GROUP_USE_FOR_DENY_ONLY },
        { "S-1-5-32-545", NTSEC_SE_GROUP_ENABLED_BY_DEFAULT },  /* disabled */
        { NULL, 0 },
    };
    struct fix_token f = { .groups = g };
    struct ntsec_token *t = fix_token(&f);

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x1;;;BA)", 1, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(D;;0x1;;;BA)(A;;0x1;;;WD)", 1, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x1;;;BU)", 1, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(D;;0x1;;;BU)(A;;0x1;;;WD)", 1, NULL), 1);
    ntsec_token_put(t);
}

/* A deny-only user matches deny ACEs only (ReactOS SepSidInTokenEx;
 * Forshaw ch. 7: "it's possible to configure the token's user SID as a
 * DenyOnly group as well"). */
static void deny_only_user(void)
{
    struct fix_token f = { .groups = fix_plain_groups,
                           .user_attributes = NTSEC_SE_GROUP_USE_FOR_DENY_ONLY };
    struct ntsec_token *t = fix_token(&f);

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x1;;;" USER_SID ")", 1, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(D;;0x1;;;" USER_SID ")(A;;0x1;;;WD)", 1, NULL), 0);
    ntsec_token_put(t);
}

/* "Well-known SIDs": CREATOR OWNER and CREATOR GROUP are placeholders for
 * inheritable ACEs; an effective ACE for them matches no one. */
static void creator_owner_never_matches(void)
{
    struct ntsec_token *t = fix_plain();

    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:(A;;0x1;;;CO)(A;;0x2;;;CG)", 1, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:(A;;0x1;;;CO)(A;;0x2;;;CG)", 2, NULL), 0);
    ntsec_token_put(t);
}

/* AccessCheckByType, PrincipalSelfSid (Microsoft docs); Forshaw ch. 7,
 * Listing 7-26; ReactOS SepSidInTokenEx: S-1-5-10 in an ACE stands for the
 * SID the caller gives. */
static void principal_self_is_replaced(void)
{
    struct ntsec_token *t = fix_plain();
    void *sd = fix_sd("O:BAG:BUD:(A;;0x1;;;PS)");
    struct ntsec_access_request rq = { .sd = sd, .token = t, .desired = 1,
                                       .mapping = &file_mapping };
    struct ntsec_access_result res;

    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    rq.principal_self = fix_sid(USER_SID);
    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    rq.principal_self = fix_sid("S-1-5-21-9-9-9-9");
    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* Generic bits in an ACE are mapped when a descriptor is assigned, not by
 * the check (Samba se_access_check compares the stored mask; no Windows
 * test found, and ReactOS maps them in the check - access_dacl.c). */
static void ace_generic_bits_are_not_mapped(void)
{
    struct ntsec_token *t = fix_plain();

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;GR;;;WD)", FILE_READ_DATA, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;GR;;;WD)", NTSEC_MAXIMUM_ALLOWED, NULL),
                    NTSEC_GENERIC_READ);
    ntsec_token_put(t);
}

/* [MS-DTYP] 2.4.4.17.3: a conditional allow ACE applies only when TRUE
 * (UNKNOWN does not grant). */
static void conditional_aces_follow_three_valued_logic(void)
{
    struct fix_token f = { .groups = admin_groups };
    struct ntsec_token *t = fix_token(&f);

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(XA;;0x1;;;WD;(Member_of {SID(BA)}))", 1, NULL), 1);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(XA;;0x1;;;WD;(Member_of {SID(SY)}))", 1, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(XA;;0x1;;;WD;(@User.missing == 1))", 1, NULL), 0);
    ntsec_token_put(t);
}

/* Forshaw ch. 7, "The Discretionary Access Check": "the kernel does not
 * support DenyCallback ACEs, although the user mode-only AuthzAccessCheck
 * API does"; [MS-DTYP] 2.5.3.2's walk has no deny callback case. A
 * conditional deny, TRUE or UNKNOWN, takes nothing in ntsec's (kernel)
 * check, in either mode. */
static void callback_deny_aces_are_ignored(void)
{
    struct fix_token f = { .groups = admin_groups };
    struct ntsec_token *t = fix_token(&f);

    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(XD;;0x1;;;WD;(Member_of {SID(BA)}))(A;;0x1;;;WD)",
                              1, NULL), 1);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(XD;;0x1;;;WD;(@User.missing == 1))(A;;0x1;;;WD)",
                              1, NULL), 1);
    CU_ASSERT_EQUAL(fix_check(t, "O:SYG:SYD:(XD;;0x1;;;WD;(Member_of {SID(BA)}))(A;;0x3;;;WD)",
                              NTSEC_MAXIMUM_ALLOWED, NULL), 3);
    /* Without its allow, a lone conditional deny grants nothing either. */
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(XD;;0x1;;;WD;(Member_of {SID(BA)}))", 1, NULL), 0);
    ntsec_token_put(t);
}

/* --- MAXIMUM_ALLOWED --------------------------------------------------------- */

/* [MS-DTYP] 2.5.3.2 (MAXIMUM_ALLOWED mode); ReactOS SepAnalyzeAcesFromDacl
 * (AccessCheckMaximum) and SepAccessCheckWorker: every bit some ACE allows
 * before a deny takes it, plus what was granted before; explicit bits must
 * be among them; nothing at all is a denial. */
static void maximum_allowed_collects_every_allow(void)
{
    struct ntsec_token *t = fix_plain();
    const char *sd = "O:BAG:BUD:(D;;0x4;;;WD)(A;;0x7;;;WD)(A;;0x10;;;BU)(D;;0x10;;;WD)";
    ntsec_status st;
    struct ntsec_access_request rq;
    struct ntsec_access_result res;
    void *bin;

    CU_ASSERT_EQUAL(fix_check(t, sd, NTSEC_MAXIMUM_ALLOWED, &st), 0x13);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(fix_check(t, sd, NTSEC_MAXIMUM_ALLOWED | 0x1, &st), 0x13);
    CU_ASSERT_EQUAL(fix_check(t, sd, NTSEC_MAXIMUM_ALLOWED | 0x4, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x1;;;SY)", NTSEC_MAXIMUM_ALLOWED, &st), 0);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_ACCESS_DENIED);
    /* PreviouslyGrantedAccess counts and stays. */
    bin = fix_sd("O:BAG:BUD:(A;;0x1;;;WD)");
    rq = (struct ntsec_access_request){ .sd = bin, .token = t, .mapping = &file_mapping,
                                        .desired = NTSEC_MAXIMUM_ALLOWED,
                                        .previously_granted = 0x100 };
    ntsec_access_check(&rq, &res);
    CU_ASSERT_EQUAL(res.granted, 0x101);
    rq.desired = 0x101;
    ntsec_access_check(&rq, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.granted, 0x101);
    ntsec_mem_free(bin);
    ntsec_token_put(t);
}

/* --- restricted tokens ------------------------------------------------------- */

/* CreateRestrictedToken (Microsoft docs): "the system performs two access
 * checks: one using the token's enabled SIDs, and another using the list
 * of restricting SIDs. Access is granted only if both access checks
 * allow"; Forshaw ch. 7, Listing 7-21. */
static void restricted_token_needs_both_passes(void)
{
    struct fix_token f = { .groups = fix_plain_groups, .restricted = { "S-1-5-12", NULL } };
    struct ntsec_token *t = fix_token(&f);
    const char *both = "O:BAG:BUD:(A;;0x3;;;WD)(A;;0x1;;;RC)";

    CU_ASSERT_EQUAL(fix_check(t, both, 1, NULL), 1);
    CU_ASSERT_EQUAL(fix_check(t, both, 2, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, both, NTSEC_MAXIMUM_ALLOWED, NULL), 1);
    /* The restricted SID alone does not open what the normal SIDs do not. */
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x1;;;RC)", 1, NULL), 0);
    /* The owner's implied rights need the owner among the restricted SIDs. */
    CU_ASSERT_EQUAL(fix_check(t, O_USER "D:", NTSEC_READ_CONTROL, NULL), 0);
    ntsec_token_put(t);
}

/* CreateRestrictedToken, WRITE_RESTRICTED (Microsoft docs): the restricting
 * SIDs count only for write access (the mapping's GenericWrite rights). */
static void write_restricted_checks_writes_only(void)
{
    struct fix_token f = { .groups = fix_plain_groups, .restricted = { "S-1-5-12", NULL },
                           .write_restricted = true };
    struct ntsec_token *t = fix_token(&f);
    const char *sd = "O:BAG:BUD:(A;;0x3;;;WD)";

    CU_ASSERT_EQUAL(fix_check(t, sd, FILE_READ_DATA, NULL), FILE_READ_DATA);
    CU_ASSERT_EQUAL(fix_check(t, sd, FILE_WRITE_DATA, NULL), 0);
    CU_ASSERT_EQUAL(fix_check(t, sd, NTSEC_MAXIMUM_ALLOWED, NULL), FILE_READ_DATA);
    CU_ASSERT_EQUAL(fix_check(t, "O:BAG:BUD:(A;;0x3;;;WD)(A;;0x2;;;RC)", FILE_WRITE_DATA, NULL),
                    FILE_WRITE_DATA);
    ntsec_token_put(t);
}

/* --- the trace ------------------------------------------------------------------ */

struct recorder {
    struct ntsec_access_step steps[32];
    int n;
};

static void record(void *ctx, const struct ntsec_access_step *s)
{
    struct recorder *r = ctx;

    if (r->n < 32)
        r->steps[r->n++] = *s;
}

/* The trace reports each step of a known check: owner, skipped, allowed,
 * denied ACEs, the result; with the same decision as without a trace. */
static void trace_reports_the_steps(void)
{
    struct ntsec_token *t = fix_plain();
    void *sd = fix_sd(O_USER "D:(A;IO;0x1;;;WD)(A;;0x1;;;SY)(A;;0x1;;;WD)(D;;0x2;;;WD)");
    struct recorder r = { .n = 0 };
    struct ntsec_access_trace tr = { record, &r };
    struct ntsec_access_request rq = { .sd = sd, .token = t, .mapping = &file_mapping,
                                       .desired = NTSEC_READ_CONTROL | 0x3, .trace = &tr };
    struct ntsec_access_result res;
    char text[512];

    CU_ASSERT_EQUAL(ntsec_access_check(&rq, &res), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL_FATAL(r.n, 6);
    CU_ASSERT_EQUAL(r.steps[0].kind, NTSEC_STEP_OWNER);
    CU_ASSERT_EQUAL(r.steps[0].bits, NTSEC_READ_CONTROL);
    CU_ASSERT_EQUAL(r.steps[1].kind, NTSEC_STEP_ACE_SKIPPED);
    CU_ASSERT_EQUAL(r.steps[1].ace_index, 0);
    CU_ASSERT_EQUAL(r.steps[2].kind, NTSEC_STEP_ACE_SKIPPED);
    CU_ASSERT_EQUAL(r.steps[2].ace_index, 1);
    CU_ASSERT_EQUAL(r.steps[3].kind, NTSEC_STEP_ACE_ALLOWED);
    CU_ASSERT_EQUAL(r.steps[3].bits, 0x1);
    CU_ASSERT_EQUAL(r.steps[4].kind, NTSEC_STEP_ACE_DENIED);
    CU_ASSERT_EQUAL(r.steps[4].bits, 0x2);
    CU_ASSERT_EQUAL(r.steps[5].kind, NTSEC_STEP_RESULT);
    CU_ASSERT_EQUAL(r.steps[5].status, NTSEC_STATUS_ACCESS_DENIED);
    for (int i = 0; i < r.n; i++) {
        size_t need = ntsec_access_step_describe(&r.steps[i], NULL, text, sizeof text);

        CU_ASSERT(need > 10 && need < sizeof text && strlen(text) == need);
    }
    ntsec_access_step_describe(&r.steps[4], NULL, text, sizeof text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Everyone"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "denies"));
    /* Truncation: the length needed, a NUL-terminated prefix. */
    CU_ASSERT(ntsec_access_step_describe(&r.steps[4], NULL, text, 8) > 8);
    CU_ASSERT_EQUAL(strlen(text), 7);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* Privilege and restricted-pass steps, in order. */
static void trace_reports_privilege_and_restricted_pass(void)
{
    static const enum ntsec_privilege own[] = { NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE, 0 };
    struct fix_token f = { .groups = fix_plain_groups, .privileges = own,
                           .restricted = { "S-1-1-0", NULL } };
    struct ntsec_token *t = fix_token(&f);
    void *sd = fix_sd("O:BAG:BUD:(A;;0x1;;;WD)");
    struct recorder r = { .n = 0 };
    struct ntsec_access_trace tr = { record, &r };
    struct ntsec_access_request rq = { .sd = sd, .token = t, .mapping = &file_mapping,
                                       .desired = NTSEC_WRITE_OWNER | 1, .trace = &tr };
    struct ntsec_access_result res;

    ntsec_access_check(&rq, &res);
    CU_ASSERT_EQUAL(res.status, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(r.n, 5);
    CU_ASSERT_EQUAL(r.steps[0].kind, NTSEC_STEP_PRIVILEGE);
    CU_ASSERT_EQUAL(r.steps[0].privilege.low, NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE);
    CU_ASSERT_EQUAL(r.steps[1].kind, NTSEC_STEP_ACE_ALLOWED);
    CU_ASSERT_EQUAL(r.steps[2].kind, NTSEC_STEP_RESTRICTED_PASS);
    CU_ASSERT_EQUAL(r.steps[3].kind, NTSEC_STEP_ACE_ALLOWED);
    CU_ASSERT(r.steps[3].restricted_pass);
    CU_ASSERT_EQUAL(r.steps[4].kind, NTSEC_STEP_RESULT);
    CU_ASSERT_EQUAL(r.steps[4].bits, NTSEC_WRITE_OWNER | 1);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* --- allocation ---------------------------------------------------------------- */

/* access.h: "It allocates nothing": live allocations do not change, and a
 * failure injected into the next allocation does not change the result. */
static void check_allocates_nothing(void)
{
    struct fix_token f = { .groups = admin_groups, .restricted = { "S-1-1-0", NULL } };
    struct ntsec_token *t = fix_token(&f);
    void *sd = fix_sd(O_USER "D:(D;;0x4;;;BG)(A;;0x3;;;WD)(XA;;0x8;;;WD;(Member_of {SID(BA)}))"
                      "S:(ML;;NW;;;ME)");
    struct ntsec_access_result a, b;
    long live;

    fix_check_ex(t, sd, NTSEC_MAXIMUM_ALLOWED, 0, &file_mapping, &a);
    live = testutil_live();
    testutil_fail_alloc_after(0);
    fix_check_ex(t, sd, NTSEC_MAXIMUM_ALLOWED, 0, &file_mapping, &b);
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(testutil_live(), live);
    CU_ASSERT_EQUAL(a.granted, 0x3);   /* Member_of in the restricted pass: only WD */
    CU_ASSERT_EQUAL(b.granted, a.granted);
    CU_ASSERT_EQUAL(b.status, a.status);
    ntsec_mem_free(sd);
    ntsec_token_put(t);
}

/* --- a token changed during checks ------------------------------------------------ */

struct flipper {
    struct ntsec_token *t;
    atomic_int stop;
};

static void *flip(void *p)
{
    struct flipper *f = p;
    struct ntsec_sid_and_attributes g = { fix_sid("S-1-5-32-545"), 0 };

    while (!atomic_load(&f->stop)) {
        g.attributes = 0;
        ntsec_token_adjust_groups(f->t, false, &g, 1, NULL, 0, NULL);
        g.attributes = NTSEC_SE_GROUP_ENABLED;
        ntsec_token_adjust_groups(f->t, false, &g, 1, NULL, 0, NULL);
    }
    return NULL;
}

/* token.h: readers see a consistent token while another thread changes it
 * (seqlock): every check sees Users either enabled or disabled, never a
 * mix of the two ACEs' answers. */
static void check_reads_a_consistent_token(void)
{
    static const struct fix_group g[] = {
        { "S-1-1-0", 0 }, { "S-1-5-32-545", NTSEC_SE_GROUP_ENABLED }, { NULL, 0 },
    };
    struct fix_token ft = { .groups = g };
    struct flipper f = { .t = fix_token(&ft) };
    void *sd = fix_sd("O:BAG:BUD:(A;;0x1;;;BU)(A;;0x2;;;BU)(A;;0x4;;;WD)");
    pthread_t th;

    pthread_create(&th, NULL, flip, &f);
    for (int i = 0; i < 20000; i++) {
        struct ntsec_access_result res;

        fix_check_ex(f.t, sd, NTSEC_MAXIMUM_ALLOWED, 0, &file_mapping, &res);
        if (res.granted != 0x7 && res.granted != 0x4) {
            CU_FAIL("inconsistent read of the token");
            break;
        }
    }
    atomic_store(&f.stop, 1);
    pthread_join(th, NULL);
    ntsec_mem_free(sd);
    ntsec_token_put(f.t);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(sd_without_owner_or_group_is_invalid),
        TEST(nt_access_check_rejects_generic_bits),
        TEST(nt_access_check_needs_identification_token),
        TEST(se_access_check_client_below_impersonation),
        TEST(kernel_mode_grants_without_looking),
        TEST(desired_zero_gives_previously_granted),
        TEST(null_or_absent_dacl_grants_everything),
        TEST(empty_dacl_grants_nothing),
        TEST(owner_has_read_control_and_write_dac),
        TEST(owner_group_must_be_enabled),
        TEST(owner_rights_ace_replaces_implied_rights),
        TEST(access_system_security_needs_security_privilege),
        TEST(write_owner_through_take_ownership),
        TEST(backup_and_restore_need_backup_intent),
        TEST(each_bit_decided_by_first_ace),
        TEST(inherit_only_ace_is_skipped),
        TEST(deny_only_and_disabled_groups),
        TEST(deny_only_user),
        TEST(creator_owner_never_matches),
        TEST(principal_self_is_replaced),
        TEST(ace_generic_bits_are_not_mapped),
        TEST(conditional_aces_follow_three_valued_logic),
        TEST(callback_deny_aces_are_ignored),
        TEST(maximum_allowed_collects_every_allow),
        TEST(restricted_token_needs_both_passes),
        TEST(write_restricted_checks_writes_only),
        TEST(trace_reports_the_steps),
        TEST(trace_reports_privilege_and_restricted_pass),
        TEST(check_allocates_nothing),
        TEST(check_reads_a_consistent_token),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("access", tests);
}

/* access_privilege.c - the rights an access check grants because of a
 * privilege rather than the DACL: ACCESS_SYSTEM_SECURITY (only ever
 * through SeSecurityPrivilege), WRITE_OWNER (SeTakeOwnershipPrivilege,
 * SeRelabelPrivilege) and, when the caller asked with backup intent, what
 * SeBackupPrivilege and SeRestorePrivilege stand for.
 *
 * Only rights asked for explicitly are granted by a privilege: with
 * MAXIMUM_ALLOWED "SeAccessCheck does not perform privilege checks unless
 * the caller specifically requests them by setting the
 * ACCESS_SYSTEM_SECURITY or WRITE_OWNER bits" (SeAccessCheck, Microsoft
 * docs). A privilege counts when it is enabled. */
#include "ntsec/ntsec.h"
#include "access_internal.h"

/* What a privilege grants, in the order the check tries them. */
struct grant_rule {
    enum ntsec_privilege privilege;
    bool backup_intent;         /* only with NTSEC_ACCESS_BACKUP_INTENT */
    bool maximum_too;           /* MAXIMUM_ALLOWED takes the whole set */
    uint32_t (*rights)(const struct ntsec_generic_mapping *m);
};

/* FILE_OPEN_FOR_BACKUP_INTENT: "SeBackupPrivilege ... grants read access
 * ... regardless of the ACL", SeRestorePrivilege "write access ... and
 * the right to set any valid user or group SID as the owner" ("Privilege
 * Constants", Microsoft docs). The I/O manager's sets (ReactOS
 * ntoskrnl/io/iomgr/file.c, IopCheckBackupRestorePrivilege) are
 * READ_CONTROL, ACCESS_SYSTEM_SECURITY, FILE_GENERIC_READ and
 * FILE_TRAVERSE for backup; WRITE_DAC, WRITE_OWNER,
 * ACCESS_SYSTEM_SECURITY, FILE_GENERIC_WRITE, FILE_ADD_FILE,
 * FILE_ADD_SUBDIRECTORY and DELETE for restore, granting all of them for
 * MAXIMUM_ALLOWED. ntsec states them through the object's mapping, so they
 * hold for any type: GenericRead and GenericExecute (FILE_TRAVERSE is the
 * directory meaning of FILE_EXECUTE), GenericWrite (which holds
 * FILE_ADD_FILE and FILE_ADD_SUBDIRECTORY). */
static uint32_t backup_rights(const struct ntsec_generic_mapping *m)
{
    return NTSEC_READ_CONTROL | NTSEC_ACCESS_SYSTEM_SECURITY | m->read | m->execute;
}

static uint32_t restore_rights(const struct ntsec_generic_mapping *m)
{
    return NTSEC_WRITE_DAC | NTSEC_WRITE_OWNER | NTSEC_ACCESS_SYSTEM_SECURITY | NTSEC_DELETE |
           m->write;
}

/* The SACL is read and written only through SeSecurityPrivilege
 * ("ACCESS_SYSTEM_SECURITY ... the proper way to obtain this access is to
 * enable the SE_SECURITY_NAME privilege", Access Mask Format / SACL Access
 * Right, Microsoft docs). */
static uint32_t system_security_rights(const struct ntsec_generic_mapping *m)
{
    (void)m;
    return NTSEC_ACCESS_SYSTEM_SECURITY;
}

/* SeTakeOwnershipPrivilege grants WRITE_OWNER ("Privilege Constants";
 * ReactOS ntoskrnl/se/priv.c SePrivilegePolicyCheck), and so does
 * SeRelabelPrivilege on current Windows (Forshaw, Windows Security
 * Internals ch. 7, Listing 7-13, Resolve-TokenPrivilegeAccess). */
static uint32_t owner_rights(const struct ntsec_generic_mapping *m)
{
    (void)m;
    return NTSEC_WRITE_OWNER;
}

static const struct grant_rule rules[] = {
    { NTSEC_SE_BACKUP_PRIVILEGE, true, true, backup_rights },
    { NTSEC_SE_RESTORE_PRIVILEGE, true, true, restore_rights },
    { NTSEC_SE_SECURITY_PRIVILEGE, false, false, system_security_rights },
    { NTSEC_SE_TAKE_OWNERSHIP_PRIVILEGE, false, false, owner_rights },
    { NTSEC_SE_RELABEL_PRIVILEGE, false, false, owner_rights },
};

static void emit_privilege(const struct ntsec__access *a, enum ntsec_privilege p, uint32_t bits,
                           const char *why)
{
    struct ntsec_access_step s = {
        .kind = NTSEC_STEP_PRIVILEGE, .ace_index = -1, .privilege = ntsec_privilege_luid(p),
        .bits = bits, .mask = a->previously, .status = NTSEC_STATUS_SUCCESS, .why = why,
    };

    ntsec__access_emit(a, &s);
}

bool ntsec__access_privileges(struct ntsec__access *a)
{
    uint64_t enabled = atomic_load_explicit(&((struct ntsec_token *)a->token)->priv_enabled,
                                            memory_order_relaxed);
    bool backup = a->rq->flags & NTSEC_ACCESS_BACKUP_INTENT;

    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const struct grant_rule *r = &rules[i];
        uint32_t set, bits;

        if (r->backup_intent && !backup)
            continue;
        if (!(enabled & (UINT64_C(1) << r->privilege)))
            continue;
        set = r->rights(&a->mapping);
        bits = a->remaining & set;
        if (a->maximum && r->maximum_too)
            bits |= set & ~a->previously;
        if (!bits)
            continue;
        a->previously |= bits;
        a->remaining &= ~bits;
        a->privileges_used |= UINT64_C(1) << r->privilege;
        if (a->trace)
            emit_privilege(a, r->privilege, bits, "an enabled privilege grants these rights");
    }

    /* ACCESS_SYSTEM_SECURITY still wanted: no privilege gave it, and no
     * ACE can (Windows result asserted by Wine's test_AccessCheck:
     * AccessCheck succeeds with AccessStatus FALSE and
     * ERROR_PRIVILEGE_NOT_HELD; ReactOS priv.c SePrivilegePolicyCheck;
     * Forshaw ch. 7, Listing 7-2: "The only way to get AccessSystemSecurity
     * is from the privilege check"). */
    if (a->remaining & NTSEC_ACCESS_SYSTEM_SECURITY) {
        if (a->trace)
            emit_privilege(a, NTSEC_SE_SECURITY_PRIVILEGE, NTSEC_ACCESS_SYSTEM_SECURITY,
                           "ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege, and it is not "
                           "enabled");
        return false;
    }
    return true;
}

/* access.c - SeAccessCheck over libsec's access-check engine
 * (include/ntsec/access.h), with the subject context's effective token.
 *
 * The engine decides (kernel mode, empty request, privileges, owner,
 * integrity, DACL, restricted pass); this adapter converts the subject
 * context and the results. SeAccessCheck does not map generic bits of
 * DesiredAccess: the caller maps them first (ntsec's choice; no public
 * source found - ReactOS's SeAccessCheck maps them; see
 * docs/notes/reference-review.md A.5). */
#include "ddi.h"

/* A pool PRIVILEGE_SET of the privileges in `used` (bit n: LUID n), with
 * Control 0 (ReactOS ntoskrnl/se/priv.c, SePrivilegePolicyCheck), freed by
 * SeFreePrivileges. NULL when out of pool. */
static PRIVILEGE_SET *privilege_set(uint64_t used)
{
    unsigned count = (unsigned)__builtin_popcountll(used);
    PRIVILEGE_SET *set = ntsec_mem_alloc(offsetof(PRIVILEGE_SET, Privilege) +
                                         count * sizeof(LUID_AND_ATTRIBUTES));

    if (!set)
        return NULL;
    ntsec_privilege_set_from_mask(used, (struct ntsec_privilege_set *)set);
    return set;
}

/* Windows' order (ReactOS ntoskrnl/se/accesschk.c, SeAccessCheck;
 * SeAccessCheck, Microsoft docs): KernelMode grants (the engine,
 * NTSEC_ACCESS_KERNEL_MODE); then a NULL descriptor is STATUS_ACCESS_DENIED
 * and a client token whose context level is below SecurityImpersonation is
 * STATUS_BAD_IMPERSONATION_LEVEL (Forshaw, Windows Security Internals
 * ch. 7, Kernel-Mode Access Checks), both before the descriptor is read;
 * the rest is the engine's, which is given the context's
 * ImpersonationLevel (NTSEC_ACCESS_CHECK_CLIENT_LEVEL, client_level). The
 * outputs start as GrantedAccess 0, AccessStatus STATUS_ACCESS_DENIED and
 * *Privileges NULL (ntsec's choice, so that no path leaves them unset).
 * SubjectContextLocked changes nothing: reading a token needs no lock
 * (subject.c). Where Windows would fault (no subject context, mapping or
 * output) ntsec returns FALSE with STATUS_ACCESS_VIOLATION when it can. */
BOOLEAN WINAPI SeAccessCheck(PSECURITY_DESCRIPTOR SecurityDescriptor,
                             PSECURITY_SUBJECT_CONTEXT SubjectSecurityContext,
                             BOOLEAN SubjectContextLocked, ACCESS_MASK DesiredAccess,
                             ACCESS_MASK PreviouslyGrantedAccess, PPRIVILEGE_SET *Privileges,
                             PGENERIC_MAPPING GenericMapping, KPROCESSOR_MODE AccessMode,
                             PACCESS_MASK GrantedAccess, NTSTATUS *AccessStatus)
{
    const SECURITY_SUBJECT_CONTEXT *subject = SubjectSecurityContext;
    struct ntsec_access_request req = { 0 };
    struct ntsec_access_result res = { 0 };
    PRIVILEGE_SET *set = NULL;
    ntsec_status st;

    (void)SubjectContextLocked;
    if (Privileges)
        *Privileges = NULL;
    if (!GrantedAccess || !AccessStatus)
        return FALSE;
    *GrantedAccess = 0;
    *AccessStatus = STATUS_ACCESS_DENIED;
    if (!subject || !GenericMapping) {
        *AccessStatus = STATUS_ACCESS_VIOLATION;
        return FALSE;
    }

    if (AccessMode == KernelMode) {
        req.flags |= NTSEC_ACCESS_KERNEL_MODE;
    } else {
        if (!SecurityDescriptor)
            return FALSE;
        if (!emul__subject_token(subject)) {
            *AccessStatus = STATUS_ACCESS_VIOLATION;
            return FALSE;
        }
    }
    if (subject->ClientToken) {
        req.flags |= NTSEC_ACCESS_CHECK_CLIENT_LEVEL;
        req.client_level = (enum ntsec_impersonation_level)subject->ImpersonationLevel;
    }
    req.sd = SecurityDescriptor;
    req.token = emul__subject_token(subject);
    req.desired = DesiredAccess;
    req.previously_granted = PreviouslyGrantedAccess;
    req.mapping = (const struct ntsec_generic_mapping *)GenericMapping;

    st = ntsec_access_check(&req, &res);
    if (!ntsec_success(st)) {
        *AccessStatus = st;
        return FALSE;
    }
    if (!ntsec_success(res.status)) {
        *AccessStatus = res.status;
        return FALSE;
    }
    if (res.privileges_used && Privileges) {
        set = privilege_set(res.privileges_used);
        if (!set) {
            *AccessStatus = STATUS_INSUFFICIENT_RESOURCES;
            return FALSE;
        }
        *Privileges = set;
    }
    *GrantedAccess = res.granted;
    *AccessStatus = res.status;
    return TRUE;
}

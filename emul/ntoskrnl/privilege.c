/* privilege.c - SePrivilegeCheck and SeFreePrivileges over libsec's
 * ntsec_privilege_check (include/ntsec/token.h).
 * SeSinglePrivilegeCheck, which captures the current subject first, is in
 * subject.c. */
#include "ddi.h"

/* Order: KernelMode is TRUE before anything else is looked at
 * (SePrivilegeCheck, Microsoft docs, AccessMode: "If AccessMode is set to
 * KernelMode ... SePrivilegeCheck returns TRUE"; [SSPC]: "always succeeds"
 * for the single check; ReactOS priv.c tests the client level first); the
 * set is left untouched then (ReactOS SepPrivilegeCheck returns at once); a
 * client token below SecurityImpersonation (the context's
 * ImpersonationLevel) is FALSE (ReactOS priv.c SePrivilegeCheck);
 * otherwise the effective token decides, all privileges with
 * PRIVILEGE_SET_ALL_NECESSARY and any
 * one without, each enabled one marked SE_PRIVILEGE_USED_FOR_ACCESS
 * (Microsoft docs, SePrivilegeCheck / PrivilegeCheck). */
BOOLEAN WINAPI SePrivilegeCheck(PPRIVILEGE_SET RequiredPrivileges,
                                PSECURITY_SUBJECT_CONTEXT SubjectSecurityContext,
                                KPROCESSOR_MODE AccessMode)
{
    const struct ntsec_token *token;
    bool held = false;

    if (AccessMode == KernelMode)
        return TRUE;
    if (!RequiredPrivileges || !SubjectSecurityContext)
        return FALSE;
    if (SubjectSecurityContext->ClientToken &&
        SubjectSecurityContext->ImpersonationLevel < SecurityImpersonation)
        return FALSE;
    token = emul__subject_token(SubjectSecurityContext);
    if (!token)
        return FALSE;
    if (!ntsec_success(ntsec_privilege_check(token, (struct ntsec_privilege_set *)RequiredPrivileges,
                                             &held)))
        return FALSE;
    return held;
}

/* The PRIVILEGE_SET SeAccessCheck hands out comes from the pool (ReactOS
 * ntoskrnl/se/priv.c, SePrivilegePolicyCheck allocates it and
 * SeFreePrivileges frees it to the pool); SeFreePrivileges is ExFreePool
 * on it. */
void WINAPI SeFreePrivileges(PPRIVILEGE_SET Privileges)
{
    ExFreePool(Privileges);
}

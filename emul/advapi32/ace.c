/* ace.c - advapi32's ACE builders: AddAccessAllowedAce(Ex),
 * AddAccessDeniedAce(Ex), AddAuditAccessAce(Ex), AddMandatoryAce. Each
 * appends one ACE through libsec and turns the status into a last error
 * (bad SID: ERROR_INVALID_SID, revision: ERROR_REVISION_MISMATCH,
 * malformed ACL: ERROR_INVALID_ACL, no room: ERROR_ALLOTTED_SPACE_EXCEEDED,
 * bad flags: ERROR_INVALID_PARAMETER). */
#include "../common.h"

BOOL WINAPI AddAccessAllowedAce(PACL acl, DWORD revision, DWORD mask, PSID sid)
{
    return emul__result(RtlAddAccessAllowedAce(acl, revision, mask, sid));
}

BOOL WINAPI AddAccessAllowedAceEx(PACL acl, DWORD revision, DWORD flags, DWORD mask, PSID sid)
{
    return emul__result(RtlAddAccessAllowedAceEx(acl, revision, flags, mask, sid));
}

BOOL WINAPI AddAccessDeniedAce(PACL acl, DWORD revision, DWORD mask, PSID sid)
{
    return emul__result(RtlAddAccessDeniedAce(acl, revision, mask, sid));
}

BOOL WINAPI AddAccessDeniedAceEx(PACL acl, DWORD revision, DWORD flags, DWORD mask, PSID sid)
{
    return emul__result(RtlAddAccessDeniedAceEx(acl, revision, flags, mask, sid));
}

/* The two BOOLs become the SUCCESSFUL_ACCESS and FAILED_ACCESS ACE flags
 * (Microsoft docs, AddAuditAccessAceEx, Parameters). */
BOOL WINAPI AddAuditAccessAceEx(PACL acl, DWORD revision, DWORD flags, DWORD mask, PSID sid,
                                BOOL audit_success, BOOL audit_failure)
{
    if (!acl)
        return emul__fail(ERROR_NOACCESS);
    if (audit_success)
        flags |= SUCCESSFUL_ACCESS_ACE_FLAG;
    if (audit_failure)
        flags |= FAILED_ACCESS_ACE_FLAG;
    return emul__result(ntsec_acl_add_access_ace(emul__acl(acl), revision, NTSEC_ACE_SYSTEM_AUDIT,
                                                 flags, mask, emul__sid(sid)));
}

BOOL WINAPI AddAuditAccessAce(PACL acl, DWORD revision, DWORD mask, PSID sid,
                              BOOL audit_success, BOOL audit_failure)
{
    return AddAuditAccessAceEx(acl, revision, 0, mask, sid, audit_success, audit_failure);
}

BOOL WINAPI AddMandatoryAce(PACL acl, DWORD revision, DWORD flags, DWORD policy, PSID label)
{
    if (!acl)
        return emul__fail(ERROR_NOACCESS);
    return emul__result(ntsec_acl_add_mandatory_ace(emul__acl(acl), revision, flags, policy,
                                                    emul__sid(label)));
}

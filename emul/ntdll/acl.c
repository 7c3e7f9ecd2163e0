/* acl.c - ntdll's ACL routines (RtlCreateAcl, RtlValidAcl, RtlAddAce,
 * RtlGetAce, RtlAddAccessAllowedAce(Ex), RtlAddAccessDeniedAce(Ex),
 * RtlMapGenericMask) over libsec's acl.h, working in place on the
 * caller's buffer as Windows does. */
#include "../common.h"

NTSTATUS WINAPI RtlCreateAcl(PACL acl, DWORD size, DWORD revision)
{
    if (!acl)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_acl_init(emul__acl(acl), size, revision);
}

/* RtlValidAcl catches a bad pointer and answers FALSE. */
BOOLEAN WINAPI RtlValidAcl(PACL acl)
{
    return acl && ntsec_acl_is_valid(emul__acl(acl));
}

NTSTATUS WINAPI RtlAddAce(PACL acl, DWORD revision, DWORD start, PACE_HEADER list, DWORD len)
{
    if (!acl || (!list && len))
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_acl_add_aces(emul__acl(acl), revision, start, list, len);
}

NTSTATUS WINAPI RtlGetAce(PACL acl, DWORD index, LPVOID *ace)
{
    const struct ntsec_ace_header *found;
    ntsec_status st;

    if (!acl || !ace)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    st = ntsec_acl_get_ace(emul__acl(acl), index, &found);
    if (ntsec_success(st))
        *ace = (void *)found;
    return st;
}

static NTSTATUS add_access(PACL acl, DWORD revision, enum ntsec_ace_type type, DWORD flags,
                           DWORD mask, PSID sid)
{
    if (!acl)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_acl_add_access_ace(emul__acl(acl), revision, type, flags, mask, emul__sid(sid));
}

NTSTATUS WINAPI RtlAddAccessAllowedAce(PACL acl, DWORD revision, DWORD mask, PSID sid)
{
    return add_access(acl, revision, NTSEC_ACE_ACCESS_ALLOWED, 0, mask, sid);
}

NTSTATUS WINAPI RtlAddAccessAllowedAceEx(PACL acl, DWORD revision, DWORD flags, DWORD mask, PSID sid)
{
    return add_access(acl, revision, NTSEC_ACE_ACCESS_ALLOWED, flags, mask, sid);
}

NTSTATUS WINAPI RtlAddAccessDeniedAce(PACL acl, DWORD revision, DWORD mask, PSID sid)
{
    return add_access(acl, revision, NTSEC_ACE_ACCESS_DENIED, 0, mask, sid);
}

NTSTATUS WINAPI RtlAddAccessDeniedAceEx(PACL acl, DWORD revision, DWORD flags, DWORD mask, PSID sid)
{
    return add_access(acl, revision, NTSEC_ACE_ACCESS_DENIED, flags, mask, sid);
}

void WINAPI RtlMapGenericMask(PACCESS_MASK mask, const GENERIC_MAPPING *mapping)
{
    if (!mask || !mapping)
        return;
    *mask = ntsec_access_map_generic(*mask, (const struct ntsec_generic_mapping *)mapping);
}

/* sd.c - advapi32's security-descriptor functions: initialisation,
 * validation, length, control bits, the owner/group/DACL/SACL getters and
 * setters, MakeSelfRelativeSD, MakeAbsoluteSD and MapGenericMask. */
#include "../common.h"

BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR sd, DWORD revision)
{
    return emul__result(RtlCreateSecurityDescriptor(sd, revision));
}

/* RtlValidSecurityDescriptor answers only yes or no, so every invalid
 * descriptor is ERROR_INVALID_SECURITY_DESCR (Microsoft docs,
 * IsValidSecurityDescriptor: "call GetLastError"). */
BOOL WINAPI IsValidSecurityDescriptor(PSECURITY_DESCRIPTOR sd)
{
    if (!RtlValidSecurityDescriptor(sd))
        return emul__fail(ERROR_INVALID_SECURITY_DESCR);
    return TRUE;
}

DWORD WINAPI GetSecurityDescriptorLength(PSECURITY_DESCRIPTOR sd)
{
    return RtlLengthSecurityDescriptor(sd);
}

BOOL WINAPI GetSecurityDescriptorControl(PSECURITY_DESCRIPTOR sd, PSECURITY_DESCRIPTOR_CONTROL control,
                                         LPDWORD revision)
{
    uint16_t c;
    uint32_t r;
    ntsec_status st;

    if (!sd || !control || !revision)
        return emul__fail(ERROR_NOACCESS);
    st = ntsec_sd_get_control(sd, &c, &r);
    if (!ntsec_success(st))
        return emul__result(st);
    *control = c;
    *revision = r;
    return TRUE;
}

/* Bits a caller may not change give ERROR_INVALID_PARAMETER and change
 * nothing (Windows result asserted by Wine's dlls/advapi32/tests/
 * security.c, test_SetSecurityDescriptorControl). */
BOOL WINAPI SetSecurityDescriptorControl(PSECURITY_DESCRIPTOR sd, SECURITY_DESCRIPTOR_CONTROL interest,
                                         SECURITY_DESCRIPTOR_CONTROL set)
{
    if (!sd)
        return emul__fail(ERROR_NOACCESS);
    return emul__result(ntsec_sd_set_control(sd, interest, set));
}

BOOL WINAPI GetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR sd, PSID *owner, LPBOOL defaulted)
{
    const struct ntsec_sid *sid;
    bool dflt;
    ntsec_status st;

    if (!sd || !owner || !defaulted)
        return emul__fail(ERROR_NOACCESS);
    st = ntsec_sd_get_owner(sd, &sid, &dflt);
    if (!ntsec_success(st))
        return emul__result(st);
    *owner = (PSID)sid;
    *defaulted = dflt;
    return TRUE;
}

BOOL WINAPI GetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR sd, PSID *group, LPBOOL defaulted)
{
    const struct ntsec_sid *sid;
    bool dflt;
    ntsec_status st;

    if (!sd || !group || !defaulted)
        return emul__fail(ERROR_NOACCESS);
    st = ntsec_sd_get_group(sd, &sid, &dflt);
    if (!ntsec_success(st))
        return emul__result(st);
    *group = (PSID)sid;
    *defaulted = dflt;
    return TRUE;
}

/* When the ACL is absent only *present is written; the ACL pointer and
 * the defaulted flag keep the caller's values (Windows result asserted by
 * Wine's security.c, test_AddMandatoryAce: the SACL pointer stays
 * 0xdeadbeef). */
static BOOL write_acl(ntsec_status st, bool present, const struct ntsec_acl *acl, bool dflt,
                      LPBOOL out_present, PACL *out_acl, LPBOOL out_defaulted)
{
    if (!ntsec_success(st))
        return emul__result(st);
    *out_present = present;
    if (present) {
        *out_acl = (PACL)acl;
        *out_defaulted = dflt;
    }
    return TRUE;
}

BOOL WINAPI GetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR sd, LPBOOL present, PACL *dacl,
                                      LPBOOL defaulted)
{
    const struct ntsec_acl *acl = NULL;
    bool p = false, d = false;
    ntsec_status st;

    if (!sd || !present || !dacl || !defaulted)
        return emul__fail(ERROR_NOACCESS);
    st = ntsec_sd_get_dacl(sd, &p, &acl, &d);
    return write_acl(st, p, acl, d, present, dacl, defaulted);
}

BOOL WINAPI GetSecurityDescriptorSacl(PSECURITY_DESCRIPTOR sd, LPBOOL present, PACL *sacl,
                                      LPBOOL defaulted)
{
    const struct ntsec_acl *acl = NULL;
    bool p = false, d = false;
    ntsec_status st;

    if (!sd || !present || !sacl || !defaulted)
        return emul__fail(ERROR_NOACCESS);
    st = ntsec_sd_get_sacl(sd, &p, &acl, &d);
    return write_acl(st, p, acl, d, present, sacl, defaulted);
}

BOOL WINAPI SetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR sd, PSID owner, BOOL defaulted)
{
    return emul__result(RtlSetOwnerSecurityDescriptor(sd, owner, defaulted != FALSE));
}

BOOL WINAPI SetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR sd, PSID group, BOOL defaulted)
{
    return emul__result(RtlSetGroupSecurityDescriptor(sd, group, defaulted != FALSE));
}

BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR sd, BOOL present, PACL dacl, BOOL defaulted)
{
    return emul__result(RtlSetDaclSecurityDescriptor(sd, present != FALSE, dacl, defaulted != FALSE));
}

BOOL WINAPI SetSecurityDescriptorSacl(PSECURITY_DESCRIPTOR sd, BOOL present, PACL sacl, BOOL defaulted)
{
    if (!sd)
        return emul__fail(ERROR_NOACCESS);
    return emul__result(ntsec_sd_set_sacl(sd, present != FALSE, emul__acl(sacl), defaulted != FALSE));
}

/* MakeSelfRelativeSD is RtlAbsoluteToSelfRelativeSD: a descriptor that is
 * already self-relative gives ERROR_BAD_DESCRIPTOR_FORMAT (Windows result
 * asserted by Wine's security.c, test_security_descriptor). */
BOOL WINAPI MakeSelfRelativeSD(PSECURITY_DESCRIPTOR abs, PSECURITY_DESCRIPTOR rel, LPDWORD len)
{
    return emul__result(RtlAbsoluteToSelfRelativeSD(abs, rel, len));
}

BOOL WINAPI MakeAbsoluteSD(PSECURITY_DESCRIPTOR rel, PSECURITY_DESCRIPTOR abs, LPDWORD abs_size,
                           PACL dacl, LPDWORD dacl_size, PACL sacl, LPDWORD sacl_size,
                           PSID owner, LPDWORD owner_size, PSID group, LPDWORD group_size)
{
    return emul__result(RtlSelfRelativeToAbsoluteSD(rel, abs, abs_size, dacl, dacl_size, sacl,
                                                    sacl_size, owner, owner_size, group,
                                                    group_size));
}

void WINAPI MapGenericMask(PDWORD mask, PGENERIC_MAPPING mapping)
{
    RtlMapGenericMask(mask, mapping);
}

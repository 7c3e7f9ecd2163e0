/* sd.c - ntdll's security-descriptor routines over libsec's sd.h:
 * creation, owner/group/DACL setters, validation, length, and the
 * conversions between the absolute and self-relative forms.
 *
 * RtlValidSecurityDescriptor returns BOOLEAN as in the WDK (Wine's header
 * says NTSTATUS; include/ntsec/ntdll.h declares the Windows prototype). */
#include "../common.h"

NTSTATUS WINAPI RtlCreateSecurityDescriptor(PSECURITY_DESCRIPTOR sd, DWORD revision)
{
    if (!sd)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_sd_init(sd, revision);
}

NTSTATUS WINAPI RtlSetOwnerSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID owner, BOOLEAN defaulted)
{
    if (!sd)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_sd_set_owner(sd, owner, defaulted);
}

NTSTATUS WINAPI RtlSetGroupSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PSID group, BOOLEAN defaulted)
{
    if (!sd)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_sd_set_group(sd, group, defaulted);
}

NTSTATUS WINAPI RtlSetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, BOOLEAN present, PACL dacl,
                                             BOOLEAN defaulted)
{
    if (!sd)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_sd_set_dacl(sd, present, emul__acl(dacl), defaulted);
}

BOOLEAN WINAPI RtlValidSecurityDescriptor(PSECURITY_DESCRIPTOR sd)
{
    return sd && ntsec_sd_is_valid(sd);
}

BOOLEAN WINAPI RtlValidRelativeSecurityDescriptor(PSECURITY_DESCRIPTOR sd, ULONG size,
                                                  SECURITY_INFORMATION required)
{
    return sd && ntsec_sd_relative_is_valid(sd, size, required);
}

ULONG WINAPI RtlLengthSecurityDescriptor(PSECURITY_DESCRIPTOR sd)
{
    if (!sd)
        return 0;
    return ntsec_sd_length(sd);
}

NTSTATUS WINAPI RtlMakeSelfRelativeSD(PSECURITY_DESCRIPTOR sd, PSECURITY_DESCRIPTOR rel, LPDWORD len)
{
    uint32_t size;
    ntsec_status st;

    if (!sd || !len)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    size = *len;
    st = ntsec_sd_make_relative(sd, rel, &size);
    *len = size;
    return st;
}

NTSTATUS WINAPI RtlAbsoluteToSelfRelativeSD(PSECURITY_DESCRIPTOR sd, PSECURITY_DESCRIPTOR rel, PULONG len)
{
    uint32_t size;
    ntsec_status st;

    if (!sd || !len)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    size = *len;
    st = ntsec_sd_absolute_to_relative(sd, rel, &size);
    *len = size;
    return st;
}

/* On STATUS_BUFFER_TOO_SMALL every size receives what its part needs, so
 * the caller can allocate once and retry (Microsoft docs, MakeAbsoluteSD,
 * Parameters). */
NTSTATUS WINAPI RtlSelfRelativeToAbsoluteSD(PSECURITY_DESCRIPTOR rel, PSECURITY_DESCRIPTOR abs,
                                            PDWORD abs_size, PACL dacl, PDWORD dacl_size,
                                            PACL sacl, PDWORD sacl_size, PSID owner,
                                            PDWORD owner_size, PSID group, PDWORD group_size)
{
    struct ntsec_sd_absolute_buffers b;
    ntsec_status st;

    if (!rel || !abs_size || !dacl_size || !sacl_size || !owner_size || !group_size)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    b = (struct ntsec_sd_absolute_buffers){
        .sd = abs, .sd_size = *abs_size,
        .dacl = emul__acl(dacl), .dacl_size = *dacl_size,
        .sacl = emul__acl(sacl), .sacl_size = *sacl_size,
        .owner = owner, .owner_size = *owner_size,
        .group = group, .group_size = *group_size,
    };
    st = ntsec_sd_relative_to_absolute(rel, &b);
    if (ntsec_success(st) || st == NTSEC_STATUS_BUFFER_TOO_SMALL) {
        *abs_size = b.sd_size;
        *dacl_size = b.dacl_size;
        *sacl_size = b.sacl_size;
        *owner_size = b.owner_size;
        *group_size = b.group_size;
    }
    return st;
}

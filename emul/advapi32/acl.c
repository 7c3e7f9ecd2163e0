/* acl.c - advapi32's ACL functions: InitializeAcl, IsValidAcl,
 * GetAclInformation, AddAce, GetAce, DeleteAce. Each is the ntdll routine
 * (or libsec call) with its status turned into a last error, as Windows'
 * kernelbase does. The ACE builders are in ace.c. */
#include "../common.h"

BOOL WINAPI InitializeAcl(PACL acl, DWORD size, DWORD revision)
{
    return emul__result(RtlCreateAcl(acl, size, revision));
}

/* IsValidAcl has no extended error (Microsoft docs): the last error is
 * left alone. */
BOOL WINAPI IsValidAcl(PACL acl)
{
    return RtlValidAcl(acl);
}

BOOL WINAPI AddAce(PACL acl, DWORD revision, DWORD start, LPVOID list, DWORD len)
{
    return emul__result(RtlAddAce(acl, revision, start, list, len));
}

BOOL WINAPI GetAce(PACL acl, DWORD index, LPVOID *ace)
{
    return emul__result(RtlGetAce(acl, index, ace));
}

BOOL WINAPI DeleteAce(PACL acl, DWORD index)
{
    if (!acl)
        return emul__fail(ERROR_NOACCESS);
    return emul__result(ntsec_acl_delete_ace(emul__acl(acl), index));
}

/* The two ACL_INFORMATION_CLASS values Windows defines for reading.
 * A buffer shorter than the class's structure gives
 * ERROR_INSUFFICIENT_BUFFER and an unknown class ERROR_INVALID_PARAMETER
 * (STATUS_BUFFER_TOO_SMALL / STATUS_INVALID_INFO_CLASS of
 * RtlQueryInformationAcl). The ACL is checked by libsec in both cases. */
BOOL WINAPI GetAclInformation(PACL acl, LPVOID info, DWORD len, ACL_INFORMATION_CLASS cls)
{
    struct ntsec_acl_size_info size;
    ntsec_status st;

    if (!acl || !info)
        return emul__fail(ERROR_NOACCESS);
    if (cls != AclRevisionInformation && cls != AclSizeInformation)
        return emul__result(NTSEC_STATUS_INVALID_INFO_CLASS);
    if ((cls == AclRevisionInformation && len < sizeof(ACL_REVISION_INFORMATION)) ||
        (cls == AclSizeInformation && len < sizeof(ACL_SIZE_INFORMATION)))
        return emul__result(NTSEC_STATUS_BUFFER_TOO_SMALL);
    st = ntsec_acl_size_info(emul__acl(acl), &size);
    if (!ntsec_success(st))
        return emul__result(st);
    if (cls == AclRevisionInformation) {
        ((ACL_REVISION_INFORMATION *)info)->AclRevision = acl->AclRevision;
    } else {
        ACL_SIZE_INFORMATION *out = info;
        out->AceCount = size.ace_count;
        out->AclBytesInUse = size.bytes_in_use;
        out->AclBytesFree = size.bytes_free;
    }
    return TRUE;
}

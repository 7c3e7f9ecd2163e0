/* sid.c - advapi32's SID functions: allocation (AllocateAndInitializeSid,
 * FreeSid), InitializeSid, the accessors (GetSidSubAuthority,
 * GetSidSubAuthorityCount, GetSidIdentifierAuthority), lengths, CopySid,
 * EqualSid, EqualPrefixSid and IsValidSid.
 *
 * Last errors follow Windows as Wine's dlls/advapi32/tests/security.c
 * asserts them: the accessors and EqualSid set ERROR_SUCCESS, the others
 * leave the last error alone on success. */
#include <string.h>

#include "../common.h"

/* AllocateAndInitializeSid has room for eight sub-authorities; a larger
 * count gives ERROR_INVALID_SID (Windows result asserted by Wine's
 * dlls/ntdll/tests/rtl.c, test_RtlAllocateAndInitializeSid). The SID is
 * released with FreeSid. */
BOOL WINAPI AllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY auth, BYTE count,
                                     DWORD s0, DWORD s1, DWORD s2, DWORD s3,
                                     DWORD s4, DWORD s5, DWORD s6, DWORD s7, PSID *sid)
{
    const DWORD subs[8] = { s0, s1, s2, s3, s4, s5, s6, s7 };
    struct ntsec_sid tmp;
    size_t len;
    void *p;
    NTSTATUS st;

    if (!auth || !sid)
        return emul__fail(ERROR_NOACCESS);
    if (count > 8)
        return emul__fail(ERROR_INVALID_SID);
    st = RtlInitializeSid(&tmp, auth, count);
    if (!NT_SUCCESS(st))
        return emul__result(st);
    memcpy(tmp.sub_authority, subs, count * sizeof(DWORD));
    len = ntsec_sid_length(&tmp);
    p = ntsec_mem_alloc(len);
    if (!p)
        return emul__fail(ERROR_NOT_ENOUGH_MEMORY);
    memcpy(p, &tmp, len);
    *sid = p;
    return TRUE;
}

/* FreeSid returns NULL and leaves the last error alone (Windows result
 * asserted by Wine's security.c, test_EqualSid). */
PVOID WINAPI FreeSid(PSID sid)
{
    ntsec_mem_free(sid);
    return NULL;
}

BOOL WINAPI InitializeSid(PSID sid, PSID_IDENTIFIER_AUTHORITY auth, BYTE count)
{
    return emul__result(RtlInitializeSid(sid, auth, count));
}

/* The accessors compute an address and set ERROR_SUCCESS, whatever the SID
 * (Windows results asserted by Wine's security.c, test_GetSidSubAuthority
 * and test_GetSidIdentifierAuthority, which passes NULL). */
PDWORD WINAPI GetSidSubAuthority(PSID sid, DWORD index)
{
    SetLastError(ERROR_SUCCESS);
    return RtlSubAuthoritySid(sid, index);
}

PUCHAR WINAPI GetSidSubAuthorityCount(PSID sid)
{
    SetLastError(ERROR_SUCCESS);
    return (PUCHAR)((uintptr_t)sid + offsetof(SID, SubAuthorityCount));
}

PSID_IDENTIFIER_AUTHORITY WINAPI GetSidIdentifierAuthority(PSID sid)
{
    SetLastError(ERROR_SUCCESS);
    return (PSID_IDENTIFIER_AUTHORITY)((uintptr_t)sid + offsetof(SID, IdentifierAuthority));
}

DWORD WINAPI GetSidLengthRequired(BYTE count)
{
    return (DWORD)ntsec_sid_length_required(count);
}

DWORD WINAPI GetLengthSid(PSID sid)
{
    return RtlLengthSid(sid);
}

/* A short buffer gives ERROR_INSUFFICIENT_BUFFER (STATUS_BUFFER_TOO_SMALL;
 * Microsoft docs, CopySid). */
BOOL WINAPI CopySid(DWORD len, PSID dst, PSID src)
{
    return emul__result(RtlCopySid(len, dst, src));
}

/* EqualSid sets ERROR_SUCCESS whether or not the SIDs are equal or valid
 * (Windows result asserted by Wine's security.c, test_EqualSid). */
BOOL WINAPI EqualSid(PSID a, PSID b)
{
    BOOL eq = RtlEqualSid(a, b);

    SetLastError(ERROR_SUCCESS);
    return eq;
}

BOOL WINAPI EqualPrefixSid(PSID a, PSID b)
{
    if (!a || !b)
        return FALSE;
    return ntsec_sid_equal_prefix(emul__sid(a), emul__sid(b));
}

/* IsValidSid has no extended error (Microsoft docs, IsValidSid: "do not
 * call GetLastError"): the last error is left alone. */
BOOL WINAPI IsValidSid(PSID sid)
{
    return RtlValidSid(sid);
}

/* sid.c - ntdll's SID routines (RtlValidSid, RtlEqualSid, RtlLengthSid,
 * RtlCopySid, RtlInitializeSid, RtlSubAuthoritySid,
 * RtlConvertSidToUnicodeString) over libsec's sid.h.
 *
 * Prototypes follow the WDK (include/ntsec/ntdll.h): RtlCopySid and
 * RtlInitializeSid return NTSTATUS. Where Windows would fault on a NULL
 * pointer these return STATUS_ACCESS_VIOLATION instead (docs/abi.md). */
#include <string.h>

#include "../common.h"

BOOLEAN WINAPI RtlValidSid(PSID sid)
{
    return ntsec_sid_is_valid(emul__sid(sid));
}

BOOL WINAPI RtlEqualSid(PSID a, PSID b)
{
    if (!a || !b)
        return FALSE;
    return ntsec_sid_equal(emul__sid(a), emul__sid(b));
}

DWORD WINAPI RtlLengthSid(PSID sid)
{
    if (!sid)
        return 0;
    return (DWORD)ntsec_sid_length(emul__sid(sid));
}

NTSTATUS WINAPI RtlCopySid(ULONG dst_len, PSID dst, PSID src)
{
    if (!dst || !src)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    return ntsec_sid_copy(dst, dst_len, emul__sid(src));
}

static uint64_t authority_value(const SID_IDENTIFIER_AUTHORITY *auth)
{
    uint64_t v = 0;

    for (int i = 0; i < 6; i++)     /* big-endian in the SID ([MS-DTYP] 2.4.1) */
        v = (v << 8) | auth->Value[i];
    return v;
}

NTSTATUS WINAPI RtlInitializeSid(PSID sid, PSID_IDENTIFIER_AUTHORITY auth, UCHAR count)
{
    static const uint32_t zeros[NTSEC_SID_MAX_SUB_AUTHORITIES];
    struct ntsec_sid tmp;
    ntsec_status st;

    if (!sid || !auth)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    st = ntsec_sid_init(&tmp, authority_value(auth), count, zeros);
    /* libsec says INVALID_SID for too many sub-authorities;
     * RtlInitializeSid reports it as STATUS_INVALID_PARAMETER (Microsoft
     * docs, RtlInitializeSid, Return value). */
    if (st == NTSEC_STATUS_INVALID_SID)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!ntsec_success(st))
        return st;
    /* Windows writes the 8-byte header only; the sub-authorities are the
     * caller's to fill (GetSidSubAuthority). */
    memcpy(sid, &tmp, offsetof(struct ntsec_sid, sub_authority));
    return NTSEC_STATUS_SUCCESS;
}

/* An address computation only, as on Windows: no check of the SID or the
 * index (a Windows result asserted by Wine's dlls/advapi32/tests/
 * security.c, test_GetSidSubAuthority: an index past the count still
 * gives a pointer). */
PDWORD WINAPI RtlSubAuthoritySid(PSID sid, DWORD index)
{
    return (PDWORD)((uintptr_t)sid + offsetof(SID, SubAuthority) + (uintptr_t)index * sizeof(DWORD));
}

/* Microsoft docs, RtlConvertSidToUnicodeString: STATUS_INVALID_SID for a
 * structurally invalid SID; with AllocateDestinationString the routine
 * allocates Buffer (release with RtlFreeUnicodeString) and sets
 * MaximumLength; without it, STATUS_BUFFER_OVERFLOW when the caller's
 * buffer is too small. The string is ConvertSidToStringSid's. */
NTSTATUS WINAPI RtlConvertSidToUnicodeString(PUNICODE_STRING str, PSID sid, BOOLEAN allocate)
{
    char text[NTSEC_SID_STRING_MAX];
    size_t len, i;
    WCHAR *buf;

    if (!str)
        return NTSEC_STATUS_ACCESS_VIOLATION;
    if (!ntsec_sid_is_valid(emul__sid(sid)))
        return NTSEC_STATUS_INVALID_SID;
    len = ntsec_sid_format(emul__sid(sid), text, sizeof(text));
    if (len >= sizeof(text))
        return NTSEC_STATUS_INVALID_SID;
    if (allocate) {
        buf = ntsec_mem_alloc((len + 1) * sizeof(WCHAR));
        if (!buf)
            return NTSEC_STATUS_NO_MEMORY;
        str->Buffer = buf;
        str->MaximumLength = (USHORT)((len + 1) * sizeof(WCHAR));
    } else {
        if (!str->Buffer || len * sizeof(WCHAR) > str->MaximumLength)
            return NTSEC_STATUS_BUFFER_OVERFLOW;
        buf = str->Buffer;
    }
    for (i = 0; i < len; i++)       /* the SID string is ASCII */
        buf[i] = (WCHAR)(unsigned char)text[i];
    if ((len + 1) * sizeof(WCHAR) <= str->MaximumLength)
        buf[len] = 0;
    str->Length = (USHORT)(len * sizeof(WCHAR));
    return NTSEC_STATUS_SUCCESS;
}

/* token.c - advapi32's (kernelbase's) token handles: OpenProcessToken,
 * OpenThreadToken, DuplicateToken, DuplicateTokenEx,
 * CreateRestrictedToken, IsTokenRestricted, and the token
 * pseudo-handles, over ntdll's token routines.
 *
 * GetCurrentProcessToken, GetCurrentThreadToken and
 * GetCurrentThreadEffectiveToken are inline functions in the Windows SDK
 * (processthreadsapi.h) and in Wine's winbase.h; code that takes their
 * address or declares them itself needs real exports, so ntsec exports
 * them too, with the same values. Wine's inline definitions are renamed
 * out of the way here only. */
#define GetCurrentProcessToken         ntsec_wine_inline_GetCurrentProcessToken
#define GetCurrentThreadToken          ntsec_wine_inline_GetCurrentThreadToken
#define GetCurrentThreadEffectiveToken ntsec_wine_inline_GetCurrentThreadEffectiveToken
#include "../handle.h"
#undef GetCurrentProcessToken
#undef GetCurrentThreadToken
#undef GetCurrentThreadEffectiveToken

/* -4, -5, -6 (processthreadsapi.h, Windows 8 and later). */
HANDLE WINAPI GetCurrentProcessToken(void)
{
    return emul__to_handle(NTSEC_CURRENT_PROCESS_TOKEN);
}

HANDLE WINAPI GetCurrentThreadToken(void)
{
    return emul__to_handle(NTSEC_CURRENT_THREAD_TOKEN);
}

HANDLE WINAPI GetCurrentThreadEffectiveToken(void)
{
    return emul__to_handle(NTSEC_CURRENT_THREAD_EFFECTIVE_TOKEN);
}

BOOL WINAPI OpenProcessToken(HANDLE process, DWORD access, PHANDLE token)
{
    return emul__result(NtOpenProcessToken(process, access, token));
}

/* A thread that does not impersonate: FALSE with ERROR_NO_TOKEN (Windows
 * result asserted by Wine's dlls/advapi32/tests/security.c,
 * test_token_attr and test_impersonation_level). */
BOOL WINAPI OpenThreadToken(HANDLE thread, DWORD access, BOOL as_self, HANDLE *token)
{
    return emul__result(NtOpenThreadToken(thread, access, as_self != FALSE, token));
}

/* DuplicateTokenEx (Microsoft docs) is NtDuplicateToken with the level
 * in a SECURITY_QUALITY_OF_SERVICE, static tracking and EffectiveOnly
 * FALSE, and bInheritHandle as OBJ_INHERIT. lpSecurityDescriptor would
 * become the new token's descriptor on Windows; ntsec's new tokens take
 * the default one (docs/abi.md). */
BOOL WINAPI DuplicateTokenEx(HANDLE existing, DWORD access, LPSECURITY_ATTRIBUTES sa,
                             SECURITY_IMPERSONATION_LEVEL level, TOKEN_TYPE type, PHANDLE out)
{
    SECURITY_QUALITY_OF_SERVICE qos = { sizeof(qos), level, SECURITY_STATIC_TRACKING, FALSE };
    OBJECT_ATTRIBUTES attr = { sizeof(attr), NULL, NULL, 0, NULL, &qos };

    if (sa && sa->bInheritHandle)
        attr.Attributes = OBJ_INHERIT;
    return emul__result(NtDuplicateToken(existing, access, &attr, FALSE, type, out));
}

/* "The new token handle has TOKEN_IMPERSONATE and TOKEN_QUERY access"
 * (Microsoft docs, DuplicateToken): an impersonation token at `level`. */
BOOL WINAPI DuplicateToken(HANDLE existing, SECURITY_IMPERSONATION_LEVEL level, PHANDLE out)
{
    return DuplicateTokenEx(existing, TOKEN_IMPERSONATE | TOKEN_QUERY, NULL, level,
                            TokenImpersonation, out);
}

BOOL WINAPI CreateRestrictedToken(HANDLE existing, DWORD flags, DWORD disable_count,
                                  PSID_AND_ATTRIBUTES disable, DWORD delete_count,
                                  PLUID_AND_ATTRIBUTES delete, DWORD restrict_count,
                                  PSID_AND_ATTRIBUTES restrict_sids, PHANDLE out)
{
    struct ntsec_token_filter filter = {
        .flags = flags,
        .sids_to_disable = emul__sa(disable),
        .disable_count = disable ? disable_count : 0,
        .privileges_to_delete = emul__la(delete),
        .delete_count = delete ? delete_count : 0,
        .restricted_sids = emul__sa(restrict_sids),
        .restricted_count = restrict_sids ? restrict_count : 0,
    };

    return emul__result(emul__filter_token(existing, &filter, out));
}

/* TRUE when the token has restricted SIDs. The handle needs TOKEN_QUERY
 * (the question is TokenRestrictedSids); a bad handle is FALSE with its
 * error (Microsoft docs, IsTokenRestricted: "If the function fails, the
 * return value is zero"). */
BOOL WINAPI IsTokenRestricted(HANDLE handle)
{
    struct ntsec_token *token;
    NTSTATUS st = emul__token_ref(handle, TOKEN_QUERY, &token, NULL);
    BOOL restricted;

    if (!NT_SUCCESS(st))
        return emul__result(st);
    restricted = ntsec_token_is_restricted(token);
    ntsec_token_put(token);
    return restricted;
}

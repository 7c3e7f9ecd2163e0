/* token_info.c - advapi32's (kernelbase's) token information and
 * changes: GetTokenInformation, SetTokenInformation,
 * AdjustTokenPrivileges and AdjustTokenGroups, over ntdll's
 * NtQueryInformationToken, NtSetInformationToken, NtAdjustPrivilegesToken
 * and NtAdjustGroupsToken. */
#include "../handle.h"

/* A short buffer is FALSE with ERROR_INSUFFICIENT_BUFFER and *ReturnLength
 * the size needed, the buffer untouched; an impersonation-only class on a
 * primary token ERROR_INVALID_PARAMETER; success leaves the last error
 * alone (Windows results asserted by Wine's dlls/advapi32/tests/
 * security.c, test_token_attr). TokenLinkedToken answers a new handle
 * (ntdll/token_info.c). */
BOOL WINAPI GetTokenInformation(HANDLE token, TOKEN_INFORMATION_CLASS cls, LPVOID info,
                                DWORD length, LPDWORD retlen)
{
    return emul__result(NtQueryInformationToken(token, cls, info, length, retlen));
}

/* TokenDefaultDacl with a zero length is ERROR_BAD_LENGTH, with a NULL
 * buffer ERROR_NOACCESS; a NULL DefaultDacl removes the default DACL
 * (Windows results asserted by Wine's test_token_attr). */
BOOL WINAPI SetTokenInformation(HANDLE token, TOKEN_INFORMATION_CLASS cls, LPVOID info,
                                DWORD length)
{
    return emul__result(NtSetInformationToken(token, cls, info, length));
}

/* TRUE whenever the call itself succeeds, with the last error telling
 * whether every privilege was adjusted: ERROR_SUCCESS, or
 * ERROR_NOT_ALL_ASSIGNED when some privilege is not in the token
 * (Microsoft docs, AdjustTokenPrivileges, Return value; Windows result
 * asserted by Wine's test_AdjustTokenPrivileges). */
BOOL WINAPI AdjustTokenPrivileges(HANDLE token, BOOL disable_all, PTOKEN_PRIVILEGES new_state,
                                  DWORD length, PTOKEN_PRIVILEGES previous, PDWORD retlen)
{
    NTSTATUS st = NtAdjustPrivilegesToken(token, disable_all != FALSE, new_state, length,
                                          previous, retlen);

    if (!NT_SUCCESS(st))
        return emul__result(st);
    SetLastError(st == STATUS_NOT_ALL_ASSIGNED ? ERROR_NOT_ALL_ASSIGNED : ERROR_SUCCESS);
    return TRUE;
}

/* A mandatory group cannot be disabled (ERROR_CANT_DISABLE_MANDATORY), a
 * deny-only one not enabled (Microsoft docs, AdjustTokenGroups). */
BOOL WINAPI AdjustTokenGroups(HANDLE token, BOOL reset, PTOKEN_GROUPS new_state, DWORD length,
                              PTOKEN_GROUPS previous, PDWORD retlen)
{
    return emul__result(NtAdjustGroupsToken(token, reset != FALSE, new_state, length, previous,
                                            retlen));
}

/* access.c - advapi32's (kernelbase's) access checks for a client token:
 * AccessCheck, AccessCheckByType, AccessCheckByTypeResultList and
 * CheckTokenMembership, over ntdll's NtAccessCheck* (ntdll/access.c) and
 * libsec's membership rule. */
#include "../handle.h"

/* The call's own failure is FALSE with its error, outputs untouched. When
 * the call works, TRUE: *AccessStatus tells the decision, and a denial
 * also sets the last error (ERROR_ACCESS_DENIED, ERROR_PRIVILEGE_NOT_HELD)
 * while a grant leaves it alone (Windows results asserted by Wine's
 * dlls/advapi32/tests/security.c, test_AccessCheck). */
static BOOL win32_decision(NTSTATUS st, ACCESS_MASK g, NTSTATUS s, LPDWORD granted, LPBOOL status)
{
    if (!NT_SUCCESS(st))
        return emul__result(st);
    *granted = g;
    *status = NT_SUCCESS(s);
    if (!NT_SUCCESS(s))
        SetLastError(RtlNtStatusToDosError(s));
    return TRUE;
}

BOOL WINAPI AccessCheck(PSECURITY_DESCRIPTOR sd, HANDLE token, DWORD desired,
                        PGENERIC_MAPPING mapping, PPRIVILEGE_SET privileges,
                        LPDWORD privileges_len, LPDWORD granted, LPBOOL status)
{
    ACCESS_MASK g = 0;
    NTSTATUS s = STATUS_ACCESS_DENIED, st;

    if (!granted || !status)
        return emul__fail(ERROR_NOACCESS);
    st = NtAccessCheck(sd, token, desired, mapping, privileges, privileges_len, &g, &s);
    return win32_decision(st, g, s, granted, status);
}

BOOL WINAPI AccessCheckByType(PSECURITY_DESCRIPTOR sd, PSID self, HANDLE token, DWORD desired,
                              POBJECT_TYPE_LIST types, DWORD type_count, PGENERIC_MAPPING mapping,
                              PPRIVILEGE_SET privileges, LPDWORD privileges_len, LPDWORD granted,
                              LPBOOL status)
{
    ACCESS_MASK g = 0;
    NTSTATUS s = STATUS_ACCESS_DENIED, st;

    if (!granted || !status)
        return emul__fail(ERROR_NOACCESS);
    st = NtAccessCheckByType(sd, self, token, desired, types, type_count, mapping, privileges,
                             privileges_len, &g, &s);
    return win32_decision(st, g, s, granted, status);
}

/* One entry per object type: the access granted, and 0 or the Win32
 * error of the denial (Microsoft docs, AccessCheckByTypeResultList,
 * AccessStatusList: "system error codes"). The NTSTATUS list is written in
 * place and converted; DWORD and NTSTATUS have one size. */
_Static_assert(sizeof(DWORD) == sizeof(NTSTATUS), "status list");

BOOL WINAPI AccessCheckByTypeResultList(PSECURITY_DESCRIPTOR sd, PSID self, HANDLE token,
                                        DWORD desired, POBJECT_TYPE_LIST types, DWORD type_count,
                                        PGENERIC_MAPPING mapping, PPRIVILEGE_SET privileges,
                                        LPDWORD privileges_len, LPDWORD granted_list,
                                        LPDWORD status_list)
{
    NTSTATUS st = NtAccessCheckByTypeResultList(sd, self, token, desired, types, type_count,
                                                mapping, privileges, privileges_len,
                                                granted_list, (NTSTATUS *)status_list);

    if (!NT_SUCCESS(st))
        return emul__result(st);
    for (DWORD i = 0; i < type_count; i++)
        status_list[i] = RtlNtStatusToDosError((NTSTATUS)status_list[i]);
    return TRUE;
}

/* CheckTokenMembership (Microsoft docs): a NULL TokenHandle stands for the
 * calling thread's impersonation token, or when it does not impersonate
 * its primary token (Windows uses an impersonation duplicate of it; the
 * answer is the same, so ntsec asks the primary token directly). A token
 * handle needs TOKEN_QUERY and must be an impersonation token: otherwise
 * FALSE with ERROR_NO_IMPERSONATION_TOKEN, and *IsMember is cleared first
 * even then (Windows results asserted by Wine's dlls/advapi32/tests/
 * security.c, test_CheckTokenMembership). The check is an access check
 * on Windows, so an anonymous token is ERROR_BAD_IMPERSONATION_LEVEL as
 * for AccessCheck. */
BOOL WINAPI CheckTokenMembership(HANDLE handle, PSID sid, PBOOL is_member)
{
    struct ntsec_token *token;
    NTSTATUS st = STATUS_SUCCESS;

    if (!is_member)
        return emul__fail(ERROR_NOACCESS);
    *is_member = FALSE;
    if (!sid)
        return emul__fail(ERROR_NOACCESS);
    if (handle) {
        st = emul__token_ref(handle, TOKEN_QUERY, &token, NULL);
        if (!NT_SUCCESS(st))
            return emul__result(st);
        if (ntsec_token_type(token) != NTSEC_TOKEN_IMPERSONATION)
            st = STATUS_NO_IMPERSONATION_TOKEN;
        else if (ntsec_token_level(token) < NTSEC_SECURITY_IDENTIFICATION)
            st = STATUS_BAD_IMPERSONATION_LEVEL;
    } else {
        token = ntsec_thread_effective_token();
        if (!token)
            return emul__fail(ERROR_NOT_ENOUGH_MEMORY);
    }
    if (NT_SUCCESS(st))
        *is_member = ntsec_token_is_member(token, emul__sid(sid));
    ntsec_token_put(token);
    return emul__result(st);
}

/* token_adjust.c - NtAdjustPrivilegesToken and NtAdjustGroupsToken over
 * libsec's ntsec_token_adjust_privileges / ntsec_token_adjust_groups: the
 * TOKEN_PRIVILEGES / TOKEN_GROUPS arrays are read in place (layouts
 * checked in ../handle.h). */
#include "../handle.h"

/* AdjustTokenPrivileges / AdjustTokenGroups (Microsoft docs): "The handle
 * must have TOKEN_ADJUST_PRIVILEGES [TOKEN_ADJUST_GROUPS] access ... If
 * the PreviousState parameter is not NULL, the handle must also have
 * TOKEN_QUERY access." ReturnLength "can be NULL if PreviousState is
 * NULL"; with a PreviousState Windows writes it, so a NULL one faults
 * (STATUS_ACCESS_VIOLATION here). Without a PreviousState ReturnLength is
 * not used, so it is left alone. */
static NTSTATUS reference(HANDLE handle, ACCESS_MASK adjust, const void *previous,
                          const ULONG *retlen, struct ntsec_token **token)
{
    if (previous && !retlen)
        return STATUS_ACCESS_VIOLATION;
    return emul__token_ref(handle, adjust | (previous ? TOKEN_QUERY : 0), token, NULL);
}

/* STATUS_NOT_ALL_ASSIGNED (a success) when a privilege is not in the
 * token; libsec decides it and every other status. */
NTSTATUS WINAPI NtAdjustPrivilegesToken(HANDLE handle, BOOLEAN disable_all,
                                        PTOKEN_PRIVILEGES new_state, DWORD length,
                                        PTOKEN_PRIVILEGES previous, PDWORD retlen)
{
    struct ntsec_token *token;
    uint32_t needed = 0;
    NTSTATUS st = reference(handle, TOKEN_ADJUST_PRIVILEGES, previous, retlen, &token);

    if (!NT_SUCCESS(st))
        return st;
    if (previous)
        needed = *retlen;
    st = ntsec_token_adjust_privileges(token, disable_all != FALSE,
                                       new_state ? emul__la(new_state->Privileges) : NULL,
                                       new_state && !disable_all ? new_state->PrivilegeCount : 0,
                                       previous, previous ? length : 0,
                                       previous ? &needed : NULL);
    if (previous)
        *retlen = needed;
    ntsec_token_put(token);
    return st;
}

NTSTATUS WINAPI NtAdjustGroupsToken(HANDLE handle, BOOLEAN reset, PTOKEN_GROUPS new_state,
                                    ULONG length, PTOKEN_GROUPS previous, PULONG retlen)
{
    struct ntsec_token *token;
    uint32_t needed = 0;
    NTSTATUS st = reference(handle, TOKEN_ADJUST_GROUPS, previous, retlen, &token);

    if (!NT_SUCCESS(st))
        return st;
    if (previous)
        needed = *retlen;
    st = ntsec_token_adjust_groups(token, reset != FALSE,
                                   new_state ? emul__sa(new_state->Groups) : NULL,
                                   new_state && !reset ? new_state->GroupCount : 0,
                                   previous, previous ? length : 0, previous ? &needed : NULL);
    if (previous)
        *retlen = needed;
    ntsec_token_put(token);
    return st;
}

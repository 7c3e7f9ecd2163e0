/* token_info.c - NtQueryInformationToken and NtSetInformationToken over
 * libsec's ntsec_token_query / ntsec_token_set, with the handle access
 * each class needs, and the one class libsec cannot answer alone:
 * TokenLinkedToken, whose answer is a new handle. */
#include "../handle.h"

/* "Access Rights for Access-Token Objects" (Microsoft docs): TOKEN_QUERY
 * "Required to query an access token", TOKEN_QUERY_SOURCE "Required to
 * query the source of an access token"; TOKEN_ADJUST_DEFAULT "Required
 * to change the default owner, primary group, or DACL of an access
 * token", TOKEN_ADJUST_SESSIONID "Required to adjust the session ID of an
 * access token". A class not listed needs the default of its direction. */
static const struct class_access {
    TOKEN_INFORMATION_CLASS cls;
    ACCESS_MASK query, set;
} class_access[] = {
    { TokenSource,           TOKEN_QUERY_SOURCE, TOKEN_ADJUST_DEFAULT },
    { TokenSessionId,        TOKEN_QUERY,        TOKEN_ADJUST_SESSIONID },
    { TokenSessionReference, TOKEN_QUERY,        TOKEN_ADJUST_SESSIONID },
};

static ACCESS_MASK needed_access(TOKEN_INFORMATION_CLASS cls, bool set)
{
    for (size_t i = 0; i < sizeof(class_access) / sizeof(class_access[0]); i++)
        if (class_access[i].cls == cls)
            return set ? class_access[i].set : class_access[i].query;
    return set ? TOKEN_ADJUST_DEFAULT : TOKEN_QUERY;
}

/* TokenAuditPolicy needs SeSecurityPrivilege enabled in the caller,
 * checked before anything else (libsec/token_info.c gives the source). */
static NTSTATUS caller_holds(enum ntsec_privilege p)
{
    struct ntsec_token *caller = ntsec_thread_effective_token();
    bool held;

    if (!caller)
        return STATUS_NO_MEMORY;
    held = ntsec_token_privilege_enabled(caller, ntsec_privilege_luid(p));
    ntsec_token_put(caller);
    return held ? STATUS_SUCCESS : STATUS_PRIVILEGE_NOT_HELD;
}

/* TokenLinkedToken: libsec has checked the length (exactly a
 * TOKEN_LINKED_TOKEN) and refused the class; the answer is a handle to a
 * new token, or NULL for a token without a linked one (Windows results
 * asserted by Wine's dlls/advapi32/tests/security.c, test_elevation).
 * Windows opens it for MAXIMUM_ALLOWED against the linked token's own
 * descriptor with the caller's token. */
static NTSTATUS linked_token(const struct ntsec_token *token, TOKEN_LINKED_TOKEN *out)
{
    struct ntsec_token *linked;
    HANDLE h = NULL;
    NTSTATUS st = ntsec_token_linked(token, &linked);

    if (!NT_SUCCESS(st))
        return st;
    if (linked) {
        st = emul__token_handle(linked, MAXIMUM_ALLOWED, 0, 0, &h);
        if (!NT_SUCCESS(st))
            return st;
    }
    out->LinkedToken = h;
    return STATUS_SUCCESS;
}

/* *ReturnLength receives what libsec reports (the size of the answer,
 * also when the buffer is too small). Windows probes ReturnLength, so a
 * NULL one faults: STATUS_ACCESS_VIOLATION here. */
NTSTATUS WINAPI NtQueryInformationToken(HANDLE handle, TOKEN_INFORMATION_CLASS cls, PVOID info,
                                        ULONG length, PULONG retlen)
{
    struct ntsec_token *token;
    uint32_t needed;
    NTSTATUS st;

    if (!retlen)
        return STATUS_ACCESS_VIOLATION;
    if (cls == TokenAuditPolicy) {
        st = caller_holds(NTSEC_SE_SECURITY_PRIVILEGE);
        if (!NT_SUCCESS(st))
            return st;
    }
    st = emul__token_ref(handle, needed_access(cls, false), &token, NULL);
    if (!NT_SUCCESS(st))
        return st;
    needed = *retlen;
    st = ntsec_token_query(token, (enum ntsec_token_info_class)cls, info, length, &needed);
    *retlen = needed;
    if (st == STATUS_INVALID_INFO_CLASS && cls == TokenLinkedToken) {
        st = info ? linked_token(token, info) : STATUS_ACCESS_VIOLATION;
        if (NT_SUCCESS(st))
            *retlen = sizeof(TOKEN_LINKED_TOKEN);
    }
    ntsec_token_put(token);
    return st;
}

/* The class is judged before the handle: libsec answers a class it does
 * not set with STATUS_INVALID_INFO_CLASS whatever the token, as Windows
 * validates the class before it references the handle. */
NTSTATUS WINAPI NtSetInformationToken(HANDLE handle, TOKEN_INFORMATION_CLASS cls, PVOID info,
                                      ULONG length)
{
    struct ntsec_token *token, *caller;
    NTSTATUS st;

    if (ntsec_token_set(NULL, (enum ntsec_token_info_class)cls, info, length, NULL) ==
        STATUS_INVALID_INFO_CLASS)
        return STATUS_INVALID_INFO_CLASS;
    st = emul__token_ref(handle, needed_access(cls, true), &token, NULL);
    if (!NT_SUCCESS(st))
        return st;
    caller = ntsec_thread_effective_token();
    if (!caller) {
        ntsec_token_put(token);
        return STATUS_NO_MEMORY;
    }
    st = ntsec_token_set(token, (enum ntsec_token_info_class)cls, info, length, caller);
    ntsec_token_put(caller);
    ntsec_token_put(token);
    return st;
}

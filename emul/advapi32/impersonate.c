/* impersonate.c - advapi32's (kernelbase's) impersonation of a token:
 * SetThreadToken, ImpersonateLoggedOnUser, ImpersonateSelf,
 * ImpersonateAnonymousToken and RevertToSelf, over ntdll's
 * NtSetInformationThread, RtlImpersonateSelf and
 * NtImpersonateAnonymousToken (ntdll/impersonate.c). A failure is FALSE
 * with the Win32 error of the NTSTATUS; a success leaves the last error
 * alone. */
#include "../handle.h"

/* Declared by the Windows SDK (securitybaseapi.h), not by Wine's headers. */

/* SetThreadToken (Microsoft docs): a NULL Thread is the calling thread, a
 * NULL Token ends the impersonation; the token handle needs
 * TOKEN_IMPERSONATE. */
BOOL WINAPI SetThreadToken(PHANDLE thread, HANDLE token)
{
    HANDLE target = thread ? *thread : NtCurrentThread();

    return emul__result(NtSetInformationThread(target, ThreadImpersonationToken, &token,
                                               sizeof(token)));
}

/* RevertToSelf (Microsoft docs) ends the calling thread's impersonation,
 * and succeeds when there is none. */
BOOL WINAPI RevertToSelf(void)
{
    HANDLE none = NULL;

    return emul__result(NtSetInformationThread(NtCurrentThread(), ThreadImpersonationToken, &none,
                                               sizeof(none)));
}

BOOL WINAPI ImpersonateSelf(SECURITY_IMPERSONATION_LEVEL level)
{
    return emul__result(RtlImpersonateSelf(level));
}

BOOL WINAPI ImpersonateAnonymousToken(HANDLE thread)
{
    return emul__result(NtImpersonateAnonymousToken(thread));
}

/* ImpersonateLoggedOnUser (Microsoft docs, hToken): a primary token needs
 * TOKEN_QUERY | TOKEN_DUPLICATE and the thread impersonates a duplicate of
 * it at SecurityImpersonation; an impersonation token needs TOKEN_QUERY |
 * TOKEN_IMPERSONATE and is taken as it is, at its own level, as
 * SetThreadToken takes it (ReactOS advapi32 ImpersonateLoggedOnUser reads
 * TokenType, duplicates a primary token at SecurityImpersonation, then
 * calls NtSetInformationThread; behaviour only). The duplicate goes to the
 * thread directly rather than through a handle: Windows' handle to it is
 * closed at once and no caller sees it. The level rules
 * (SeTokenCanImpersonate) are ntsec_thread_impersonate's. */
BOOL WINAPI ImpersonateLoggedOnUser(HANDLE token)
{
    static const struct ntsec_token_dup as_impersonation = {
        NTSEC_TOKEN_IMPERSONATION, NTSEC_SECURITY_IMPERSONATION, false,
    };
    struct ntsec_thread *self = ntsec_thread_current();
    struct ntsec_token *t, *dup;
    ACCESS_MASK granted, needs;
    NTSTATUS st;

    if (!self)
        return emul__fail(ERROR_NOT_ENOUGH_MEMORY);
    st = emul__token_ref(token, TOKEN_QUERY, &t, &granted);
    if (!NT_SUCCESS(st))
        return emul__result(st);
    needs = ntsec_token_type(t) == NTSEC_TOKEN_PRIMARY ? TOKEN_DUPLICATE : TOKEN_IMPERSONATE;
    if ((granted & needs) != needs) {
        st = STATUS_ACCESS_DENIED;
    } else if (needs == TOKEN_IMPERSONATE) {
        st = ntsec_thread_impersonate(self, t, false, false, ntsec_token_level(t));
    } else {
        st = ntsec_token_duplicate(t, &as_impersonation, &dup);
        if (NT_SUCCESS(st)) {
            st = ntsec_thread_impersonate(self, dup, false, false, NTSEC_SECURITY_IMPERSONATION);
            ntsec_token_put(dup);
        }
    }
    ntsec_token_put(t);
    return emul__result(st);
}

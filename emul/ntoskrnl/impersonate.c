/* impersonate.c - a thread's impersonation, for drivers:
 * PsImpersonateClient, PsRevertToSelf, PsReferenceImpersonationToken,
 * PsDereferenceImpersonationToken, PsReferenceEffectiveToken,
 * PsDisableImpersonation and PsRestoreImpersonation, over libsec's
 * thread impersonation (include/ntsec/impersonate.h).
 *
 * The rules (which level a thread gets, what a NULL token means) are
 * libsec's; these convert BOOLEANs and levels. Sources are cited by the
 * keys of /work/shared/reference/ddi-notes.md: [PIC] PsImpersonateClient,
 * [PRIT] PsReferenceImpersonationToken (Microsoft docs), [ROS] ReactOS
 * ntoskrnl/ps/security.c (behaviour only). */
#include "ddi.h"

/* [PIC]: Token may be primary or impersonation, NULL ends the
 * impersonation; the thread keeps ImpersonationLevel (or less, when
 * SeTokenCanImpersonate refuses its process: libsec). */
NTSTATUS WINAPI PsImpersonateClient(PETHREAD Thread, PACCESS_TOKEN Token, BOOLEAN CopyOnOpen,
                                    BOOLEAN EffectiveOnly,
                                    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel)
{
    return ntsec_thread_impersonate(emul__thread(Thread), emul__token(Token), CopyOnOpen != 0,
                                    EffectiveOnly != 0,
                                    (enum ntsec_impersonation_level)ImpersonationLevel);
}

/* "Ends the calling thread's impersonation of a client" (Microsoft docs,
 * PsRevertToSelf); nothing when it does not impersonate. */
void WINAPI PsRevertToSelf(void)
{
    ntsec_thread_revert(ntsec_thread_current());
}

/* [PRIT]: the impersonation token with a new reference, or NULL when the
 * thread does not impersonate (or has impersonation disabled); the three
 * outputs are written only when a token is returned, as [ROS] does. */
PACCESS_TOKEN WINAPI PsReferenceImpersonationToken(PETHREAD Thread, PBOOLEAN CopyOnOpen,
                                                   PBOOLEAN EffectiveOnly,
                                                   PSECURITY_IMPERSONATION_LEVEL ImpersonationLevel)
{
    enum ntsec_impersonation_level level;
    bool copy_on_open, effective_only;
    struct ntsec_token *token;

    if (!Thread || !CopyOnOpen || !EffectiveOnly || !ImpersonationLevel)
        return NULL;
    token = ntsec_thread_impersonation(emul__thread(Thread), &level, &copy_on_open,
                                       &effective_only);
    if (!token)
        return NULL;
    *CopyOnOpen = copy_on_open;
    *EffectiveOnly = effective_only;
    *ImpersonationLevel = (SECURITY_IMPERSONATION_LEVEL)level;
    return token;
}

/* [PRIT] pairs it with PsReferenceImpersonationToken; NULL is allowed
 * (the WDK's macro form tests for it). */
void WINAPI PsDereferenceImpersonationToken(PACCESS_TOKEN ImpersonationToken)
{
    if (ImpersonationToken)
        ntsec_token_put(emul__token(ImpersonationToken));
}

/* Not documented by Microsoft; ntoskrnl exports it and ReactOS describes
 * it: the impersonation token (TokenImpersonation, the thread's
 * EffectiveOnly and level) when the thread impersonates, else its
 * process' primary token (TokenPrimary, EffectiveOnly FALSE, the level
 * left as it was), with a new reference either way. Release it with
 * ObDereferenceObject. */
PACCESS_TOKEN WINAPI PsReferenceEffectiveToken(PETHREAD Thread, TOKEN_TYPE *TokenType,
                                               PBOOLEAN EffectiveOnly,
                                               PSECURITY_IMPERSONATION_LEVEL ImpersonationLevel)
{
    struct ntsec_thread *thread = emul__thread(Thread);
    enum ntsec_impersonation_level level;
    bool effective_only;
    struct ntsec_token *token;

    if (!thread || !TokenType || !EffectiveOnly || !ImpersonationLevel)
        return NULL;
    token = ntsec_thread_impersonation(thread, &level, NULL, &effective_only);
    if (token) {
        *TokenType = TokenImpersonation;
        *EffectiveOnly = effective_only;
        *ImpersonationLevel = (SECURITY_IMPERSONATION_LEVEL)level;
        return token;
    }
    *TokenType = TokenPrimary;
    *EffectiveOnly = FALSE;
    return ntsec_process_token(ntsec_thread_process(thread));
}

/* The state's reference moves out of the thread and back (ddi-notes.md
 * §2, [ROS]): TRUE and the saved state when the thread impersonated,
 * FALSE and {NULL, FALSE, FALSE, SecurityAnonymous} when not. */
BOOLEAN WINAPI PsDisableImpersonation(PETHREAD Thread, PSE_IMPERSONATION_STATE ImpersonationState)
{
    return ntsec_thread_disable_impersonation(
        emul__thread(Thread), (struct ntsec_impersonation_state *)ImpersonationState);
}

/* The WDK passes ImpersonationState in (_In_): the caller's structure is
 * read, not changed, while its reference goes back to the thread. */
void WINAPI PsRestoreImpersonation(PETHREAD Thread, PSE_IMPERSONATION_STATE ImpersonationState)
{
    struct ntsec_impersonation_state state;

    if (!ImpersonationState)
        return;
    state = *(const struct ntsec_impersonation_state *)ImpersonationState;
    ntsec_thread_restore_impersonation(emul__thread(Thread), &state);
}

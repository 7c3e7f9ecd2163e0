/* subject.c - SECURITY_SUBJECT_CONTEXT: SeCaptureSubjectContext,
 * SeReleaseSubjectContext, SeLockSubjectContext, SeUnlockSubjectContext,
 * and SeSinglePrivilegeCheck, which checks the captured subject.
 *
 * A subject context holds a reference on each of its tokens (the client
 * token of an impersonating thread, and the process' primary token).
 * SeCaptureSubjectContext takes them from the current thread and process;
 * a driver test may also build a context itself, with references it hands
 * over to the context. */
#include "ddi.h"

/* Drop the context's references and clear both token pointers:
 * PrimaryToken first, then ClientToken when it is set, NULL stored in each
 * (ReactOS ntoskrnl/se/subject.c, SeReleaseSubjectContext). */
void WINAPI SeReleaseSubjectContext(PSECURITY_SUBJECT_CONTEXT SubjectContext)
{
    if (!SubjectContext)
        return;
    if (SubjectContext->PrimaryToken)
        ntsec_token_put(emul__token(SubjectContext->PrimaryToken));
    SubjectContext->PrimaryToken = NULL;
    if (SubjectContext->ClientToken)
        ntsec_token_put(emul__token(SubjectContext->ClientToken));
    SubjectContext->ClientToken = NULL;
}

/* Windows takes the tokens' read locks so that an access check sees each
 * token in one state. libsec's readers need no lock: every read of a
 * token's mutable state is a consistent snapshot under its sequence
 * counter (libsec/token.h). So locking is nothing to do, and the pair
 * exists for code written for Windows, which must call it. */
void WINAPI SeLockSubjectContext(PSECURITY_SUBJECT_CONTEXT SubjectContext)
{
    (void)SubjectContext;
}

void WINAPI SeUnlockSubjectContext(PSECURITY_SUBJECT_CONTEXT SubjectContext)
{
    (void)SubjectContext;
}

/* SeCaptureSubjectContext: the current thread's impersonation token and
 * level when it impersonates (NULL and SecurityAnonymous when it does not,
 * or while PsDisableImpersonation is in effect), the process' primary
 * token, both referenced, and the process id as ProcessAuditId (Microsoft
 * docs, SeCaptureSubjectContext and SECURITY_SUBJECT_CONTEXT; ReactOS
 * se/access.c for the audit id). */
void WINAPI SeCaptureSubjectContext(PSECURITY_SUBJECT_CONTEXT SubjectContext)
{
    struct ntsec_thread *thread = ntsec_thread_current();
    enum ntsec_impersonation_level level = NTSEC_SECURITY_ANONYMOUS;
    struct ntsec_token *client;

    if (!SubjectContext)
        return;
    SubjectContext->ClientToken = NULL;
    SubjectContext->ImpersonationLevel = SecurityAnonymous;
    SubjectContext->PrimaryToken = NULL;
    SubjectContext->ProcessAuditId = NULL;
    if (!thread)
        return;
    client = ntsec_thread_impersonation(thread, &level, NULL, NULL);
    SubjectContext->ClientToken = client;
    SubjectContext->ImpersonationLevel = client ? (SECURITY_IMPERSONATION_LEVEL)level
                                                : SecurityAnonymous;
    SubjectContext->PrimaryToken = ntsec_process_token(ntsec_thread_process(thread));
    SubjectContext->ProcessAuditId =
        (PVOID)(ULONG_PTR)ntsec_process_id(ntsec_thread_process(thread));
}

/* SeSinglePrivilegeCheck: KernelMode is always TRUE; otherwise the
 * privilege must be enabled in the current subject's effective token,
 * judged as SePrivilegeCheck judges a one-entry PRIVILEGE_SET (Microsoft
 * docs, SeSinglePrivilegeCheck: "the subject context of the current
 * thread"). */
BOOLEAN WINAPI SeSinglePrivilegeCheck(LUID PrivilegeValue, KPROCESSOR_MODE PreviousMode)
{
    SECURITY_SUBJECT_CONTEXT subject;
    PRIVILEGE_SET set;
    BOOLEAN held;

    if (PreviousMode == KernelMode)
        return TRUE;
    set.PrivilegeCount = 1;
    set.Control = PRIVILEGE_SET_ALL_NECESSARY;
    set.Privilege[0].Luid = PrivilegeValue;
    set.Privilege[0].Attributes = 0;
    SeCaptureSubjectContext(&subject);
    held = SePrivilegeCheck(&set, &subject, PreviousMode);
    SeReleaseSubjectContext(&subject);
    return held;
}

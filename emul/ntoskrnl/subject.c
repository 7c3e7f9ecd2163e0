/* subject.c - SECURITY_SUBJECT_CONTEXT: SeReleaseSubjectContext,
 * SeLockSubjectContext, SeUnlockSubjectContext.
 *
 * A subject context holds a reference on each of its tokens (the client
 * token of an impersonating thread, and the process' primary token).
 * SeCaptureSubjectContext, which takes them from the current thread and
 * process, comes with the thread layer; until then a driver test builds
 * the context itself, with references it hands over to the context. */
#include "ddi.h"

/* Drop the context's references and clear both token pointers: Windows
 * dereferences PrimaryToken, then ClientToken when it is set, and stores
 * NULL in each (Windows 10/11 ntoskrnl, SeReleaseSubjectContext). */
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

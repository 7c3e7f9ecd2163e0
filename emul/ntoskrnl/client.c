/* client.c - SECURITY_CLIENT_CONTEXT for drivers: SeCreateClientSecurity,
 * SeCreateClientSecurityFromSubjectContext, SeImpersonateClient,
 * SeImpersonateClientEx and SeGetTokenControlInformation, over libsec's
 * client security contexts (include/ntsec/impersonate.h).
 * SeDeleteClientSecurity and SeStopImpersonatingClient are WDK macros
 * (include/ntsec/ddk.h) over exports of token.c, process.c and
 * impersonate.c.
 *
 * SECURITY_CLIENT_CONTEXT, SECURITY_QUALITY_OF_SERVICE and TOKEN_CONTROL
 * have the layouts of their libsec counterparts (checked in
 * emul/common.h): the caller's structures are passed through. The rules
 * and statuses are libsec's ([CCS] SeCreateClientSecurity, [ICE]
 * SeImpersonateClientEx, Microsoft docs); a NULL QoS or context, which
 * Windows would fault on, is STATUS_INVALID_PARAMETER. */
#include "ddi.h"

static struct ntsec_client_context *context_of(PSECURITY_CLIENT_CONTEXT context)
{
    return (struct ntsec_client_context *)context;
}

/* [CCS]: the client's effective token, referenced (dynamic tracking,
 * local server) or copied at the QoS level; STATUS_BAD_IMPERSONATION_LEVEL
 * for a client impersonating below Impersonation, or at other than
 * Delegation for a remote server. ClientContext is written on success
 * only. */
NTSTATUS WINAPI SeCreateClientSecurity(PETHREAD ClientThread,
                                       PSECURITY_QUALITY_OF_SERVICE ClientSecurityQos,
                                       BOOLEAN RemoteSession,
                                       PSECURITY_CLIENT_CONTEXT ClientContext)
{
    return ntsec_client_context_create(emul__thread(ClientThread),
                                       (const struct ntsec_sqos *)ClientSecurityQos,
                                       RemoteSession != 0, context_of(ClientContext));
}

/* The same for a captured subject ("SeCreateClientSecurityFromSubjectContext",
 * Microsoft docs): its ClientToken at its ImpersonationLevel when set,
 * else its PrimaryToken. The subject keeps its own references. */
NTSTATUS WINAPI SeCreateClientSecurityFromSubjectContext(
    PSECURITY_SUBJECT_CONTEXT SubjectContext, PSECURITY_QUALITY_OF_SERVICE ClientSecurityQos,
    BOOLEAN ServerIsRemote, PSECURITY_CLIENT_CONTEXT ClientContext)
{
    if (!SubjectContext)
        return STATUS_INVALID_PARAMETER;
    return ntsec_client_context_create_from_subject(
        emul__token(SubjectContext->ClientToken),
        (enum ntsec_impersonation_level)SubjectContext->ImpersonationLevel,
        emul__token(SubjectContext->PrimaryToken), (const struct ntsec_sqos *)ClientSecurityQos,
        ServerIsRemote != 0, context_of(ClientContext));
}

/* [ICE]: ServerThread NULL is the calling thread; the thread impersonates
 * the context's token at its QoS level with CopyOnOpen set. */
NTSTATUS WINAPI SeImpersonateClientEx(PSECURITY_CLIENT_CONTEXT ClientContext,
                                      PETHREAD ServerThread)
{
    return ntsec_client_context_impersonate(context_of(ClientContext),
                                            emul__thread(ServerThread));
}

/* The WDK's older form, with no status to report. */
void WINAPI SeImpersonateClient(PSECURITY_CLIENT_CONTEXT ClientContext, PETHREAD ServerThread)
{
    (void)SeImpersonateClientEx(ClientContext, ServerThread);
}

/* TokenId, AuthenticationId, ModifiedId and TokenSource, what a port
 * compares to see that a dynamic client's token changed (ntifs.h,
 * SECURITY_CLIENT_CONTEXT's ClientTokenControl). NULL arguments, which
 * Windows would fault on, do nothing. */
void WINAPI SeGetTokenControlInformation(PACCESS_TOKEN Token, PTOKEN_CONTROL TokenControlInfo)
{
    if (!Token || !TokenControlInfo)
        return;
    ntsec_token_control(emul__token(Token), (struct ntsec_token_control *)TokenControlInfo);
}

/* impersonate.c - ntdll's ways for a thread to take an impersonation
 * token: NtSetInformationThread(ThreadImpersonationToken),
 * NtImpersonateThread, NtImpersonateAnonymousToken and RtlImpersonateSelf,
 * over libsec's PsImpersonateClient and client contexts
 * (include/ntsec/impersonate.h). Every way ends in ntsec_thread_impersonate,
 * so the SeTokenCanImpersonate checks (and their downgrade to an
 * Identification copy) apply to all of them.
 *
 * Sources: Microsoft docs (SetThreadToken, ImpersonateAnonymousToken,
 * NtOpenThreadTokenEx); ReactOS ntoskrnl/ps/security.c
 * (PsAssignImpersonationToken, NtImpersonateThread), ntoskrnl/se/token.c
 * (NtImpersonateAnonymousToken) and dlls/ntdll RtlImpersonateSelf of Wine
 * and ReactOS, read for behaviour only; the ReactOS API tests
 * modules/rostests/apitests/ntdll/NtSetInformationThread.c and
 * NtImpersonateAnonymousToken.c, which pass on Windows. */
#include "../handle.h"

/* --- NtSetInformationThread -------------------------------------------- */

/* The classes a caller may set on Windows (ReactOS ntoskrnl/include/
 * internal/ps_i.h, PsThreadInfoClass entries with ICIF_SET, and the later
 * ones Wine's NtSetInformationThread accepts). ntsec models only
 * ThreadImpersonationToken; the others are STATUS_NOT_SUPPORTED (listed
 * in docs/native-api.md). A query-only class, or a value past the
 * enumeration, is STATUS_INVALID_INFO_CLASS, as for any unknown class. */
static const THREADINFOCLASS settable_classes[] = {
    ThreadPriority, ThreadBasePriority, ThreadAffinityMask, ThreadImpersonationToken,
    ThreadEnableAlignmentFaultFixup, ThreadQuerySetWin32StartAddress, ThreadZeroTlsCell,
    ThreadIdealProcessor, ThreadPriorityBoost, ThreadSetTlsArrayAddress, ThreadHideFromDebugger,
    ThreadBreakOnTermination, ThreadSwitchLegacyState, ThreadWow64Context, ThreadGroupInformation,
    ThreadNameInformation, ThreadManageWritesToExecutableMemory, ThreadPowerThrottlingState,
};

static bool settable(THREADINFOCLASS cls)
{
    for (size_t i = 0; i < sizeof(settable_classes) / sizeof(settable_classes[0]); i++)
        if (settable_classes[i] == cls)
            return true;
    return false;
}

/* PsAssignImpersonationToken (ReactOS ps/security.c, behaviour only;
 * ddi-notes.md §6): no token ends the impersonation; a token handle needs
 * TOKEN_IMPERSONATE (SetThreadToken, Microsoft docs: "This handle must
 * have been opened with TOKEN_IMPERSONATE access rights") and must be an
 * impersonation token (STATUS_BAD_TOKEN_TYPE); the thread takes it at the
 * token's own level, without CopyOnOpen or EffectiveOnly. */
static NTSTATUS assign_token(struct ntsec_thread *thread, HANDLE token_handle)
{
    struct ntsec_token *token;
    NTSTATUS st;

    if (!token_handle) {
        ntsec_thread_revert(thread);
        return STATUS_SUCCESS;
    }
    st = emul__token_ref(token_handle, TOKEN_IMPERSONATE, &token, NULL);
    if (!NT_SUCCESS(st))
        return st;
    if (ntsec_token_type(token) != NTSEC_TOKEN_IMPERSONATION)
        st = STATUS_BAD_TOKEN_TYPE;
    else
        st = ntsec_thread_impersonate(thread, token, false, false, ntsec_token_level(token));
    ntsec_token_put(token);
    return st;
}

/* ThreadImpersonationToken, in Windows' order (ReactOS API test
 * NtSetInformationThread, on Windows: a wrong length is
 * STATUS_INFO_LENGTH_MISMATCH before the handle is looked at, a buffer
 * not aligned to a ULONG STATUS_DATATYPE_MISALIGNMENT, a bad buffer
 * STATUS_ACCESS_VIOLATION, then the handle); the token handle is read
 * before the thread handle is referenced. The thread handle needs
 * THREAD_SET_THREAD_TOKEN (ReactOS ps/query.c; ddi-notes.md §6). */
NTSTATUS WINAPI NtSetInformationThread(HANDLE thread, THREADINFOCLASS cls, LPCVOID data,
                                       ULONG length)
{
    HANDLE token_handle;
    void *t;
    NTSTATUS st;

    if (cls != ThreadImpersonationToken)
        return settable(cls) ? STATUS_NOT_SUPPORTED : STATUS_INVALID_INFO_CLASS;
    if (length != sizeof(HANDLE))
        return STATUS_INFO_LENGTH_MISMATCH;
    if ((uintptr_t)data & (sizeof(ULONG) - 1))
        return STATUS_DATATYPE_MISALIGNMENT;
    if (!data)
        return STATUS_ACCESS_VIOLATION;
    token_handle = *(const HANDLE *)data;
    st = emul__object_ref(thread, NTSEC_OBJECT_THREAD, THREAD_SET_THREAD_TOKEN, &t);
    if (!NT_SUCCESS(st))
        return st;
    st = assign_token(t, token_handle);
    ntsec_object_put(t);
    return st;
}

/* --- NtImpersonateThread -------------------------------------------------- */

/* The server thread impersonates the client thread as a local server
 * would: SeCreateClientSecurity(client, qos, FALSE), SeImpersonateClient
 * on the server, the context deleted (ReactOS ps/security.c
 * NtImpersonateThread; ddi-notes.md §4). Windows' order: the SQOS is read
 * first (a NULL one faults: STATUS_ACCESS_VIOLATION), then the server
 * handle needs THREAD_IMPERSONATE, the client handle
 * THREAD_DIRECT_IMPERSONATION; the context's statuses surface (a client
 * impersonating below SecurityImpersonation:
 * STATUS_BAD_IMPERSONATION_LEVEL; the SQOS checks of
 * ntsec_client_context_create). The SQOS is copied field by field, as
 * the kernel captures it. */
NTSTATUS WINAPI NtImpersonateThread(HANDLE server, HANDLE client, PSECURITY_QUALITY_OF_SERVICE qos)
{
    struct ntsec_client_context ctx = { 0 };
    struct ntsec_sqos q;
    void *s, *c;
    NTSTATUS st;

    if (!qos)
        return STATUS_ACCESS_VIOLATION;
    q = (struct ntsec_sqos){
        .length = qos->Length,
        .level = (enum ntsec_impersonation_level)qos->ImpersonationLevel,
        .context_tracking_mode = qos->ContextTrackingMode,
        .effective_only = qos->EffectiveOnly,
    };
    st = emul__object_ref(server, NTSEC_OBJECT_THREAD, THREAD_IMPERSONATE, &s);
    if (!NT_SUCCESS(st))
        return st;
    st = emul__object_ref(client, NTSEC_OBJECT_THREAD, THREAD_DIRECT_IMPERSONATION, &c);
    if (NT_SUCCESS(st)) {
        st = ntsec_client_context_create(c, &q, false, &ctx);
        if (NT_SUCCESS(st)) {
            st = ntsec_client_context_impersonate(&ctx, s);
            ntsec_client_context_delete(&ctx);
        }
        ntsec_object_put(c);
    }
    ntsec_object_put(s);
    return st;
}

/* --- NtImpersonateAnonymousToken ------------------------------------------ */

/* The thread handle needs THREAD_IMPERSONATE (ReactOS API test, on
 * Windows: a NULL handle STATUS_INVALID_HANDLE, a SYNCHRONIZE-only handle
 * STATUS_ACCESS_DENIED). A caller whose process token is restricted is
 * refused (ImpersonateAnonymousToken, Microsoft docs: "An error of
 * ACCESS_DENIED may indicate that the token is for a restricted
 * process"). The thread impersonates the shared anonymous logon token at
 * SecurityImpersonation with CopyOnOpen, so that opening its token gives
 * a copy and nobody changes the shared one (ReactOS se/token.c
 * SepImpersonateAnonymousToken); SeTokenCanImpersonate always allows it. */
NTSTATUS WINAPI NtImpersonateAnonymousToken(HANDLE thread)
{
    struct ntsec_process *caller = ntsec_process_current();
    struct ntsec_token *own, *anonymous;
    void *t;
    NTSTATUS st;

    st = emul__object_ref(thread, NTSEC_OBJECT_THREAD, THREAD_IMPERSONATE, &t);
    if (!NT_SUCCESS(st))
        return st;
    if (!caller || !(own = ntsec_process_token(caller))) {
        ntsec_object_put(t);
        return STATUS_NO_MEMORY;
    }
    st = ntsec_token_is_restricted(own) ? STATUS_ACCESS_DENIED : ntsec_token_anonymous(&anonymous);
    ntsec_token_put(own);
    if (NT_SUCCESS(st)) {
        st = ntsec_thread_impersonate(t, anonymous, true, false, NTSEC_SECURITY_IMPERSONATION);
        ntsec_token_put(anonymous);
    }
    ntsec_object_put(t);
    return st;
}

/* --- RtlImpersonateSelf --------------------------------------------------- */

/* The calling thread impersonates a copy of its process' token at
 * `level`, the way Wine's and ReactOS' RtlImpersonateSelf build it from
 * the documented calls: the process token opened for TOKEN_DUPLICATE
 * (with the caller's effective token, so a thread that impersonates
 * someone who may not open it fails), duplicated as an impersonation
 * token with TOKEN_IMPERSONATE at `level`, set as the thread's token.
 * Every status of those calls surfaces; a level above SecurityDelegation
 * is NtDuplicateToken's STATUS_INVALID_PARAMETER. */
NTSTATUS WINAPI RtlImpersonateSelf(SECURITY_IMPERSONATION_LEVEL level)
{
    SECURITY_QUALITY_OF_SERVICE qos = { sizeof(qos), level, SECURITY_STATIC_TRACKING, FALSE };
    OBJECT_ATTRIBUTES attr = { sizeof(attr), NULL, NULL, 0, NULL, &qos };
    HANDLE process_token = NULL, copy = NULL;
    NTSTATUS st;

    st = NtOpenProcessToken(NtCurrentProcess(), TOKEN_DUPLICATE, &process_token);
    if (!NT_SUCCESS(st))
        return st;
    st = NtDuplicateToken(process_token, TOKEN_IMPERSONATE, &attr, FALSE, TokenImpersonation,
                          &copy);
    NtClose(process_token);
    if (!NT_SUCCESS(st))
        return st;
    st = NtSetInformationThread(NtCurrentThread(), ThreadImpersonationToken, &copy, sizeof(copy));
    NtClose(copy);
    return st;
}

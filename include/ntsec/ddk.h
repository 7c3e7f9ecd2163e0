/* ntsec/ddk.h - the kernel DDI routines of libntsec that Wine's DDK
 * headers do not declare: tokens, privileges, the access check, the
 * subject context, processes, threads and handles, impersonation and
 * client security contexts, with the WDK's prototypes (wdm.h, ntddk.h,
 * ntifs.h).
 *
 * Include it after <ddk/wdm.h> or <ddk/ntifs.h> (built with
 * `pkg-config --cflags ntsec`). It declares only what Wine lacks: Wine
 * already declares ExFreePool, ExFreePoolWithTag, ObfReferenceObject and
 * ObDereferenceObject, which libntsec exports too.
 *
 * A PACCESS_TOKEN is a token of the native API (struct ntsec_token *,
 * made with ntsec_token_create() and friends): a driver test builds its
 * tokens and subject contexts with the native API, then calls its driver
 * code, which calls these routines as it would in the kernel. */
#ifndef NTSEC_DDK_H
#define NTSEC_DDK_H

#ifndef _WDMDDK_
#error "include <ddk/wdm.h> or <ddk/ntifs.h> before <ntsec/ddk.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* --- wdm.h ------------------------------------------------------------- */

BOOLEAN WINAPI SeAccessCheck(PSECURITY_DESCRIPTOR SecurityDescriptor,
                             PSECURITY_SUBJECT_CONTEXT SubjectSecurityContext,
                             BOOLEAN SubjectContextLocked, ACCESS_MASK DesiredAccess,
                             ACCESS_MASK PreviouslyGrantedAccess, PPRIVILEGE_SET *Privileges,
                             PGENERIC_MAPPING GenericMapping, KPROCESSOR_MODE AccessMode,
                             PACCESS_MASK GrantedAccess, NTSTATUS *AccessStatus);

void WINAPI SeReleaseSubjectContext(PSECURITY_SUBJECT_CONTEXT SubjectContext);
void WINAPI SeLockSubjectContext(PSECURITY_SUBJECT_CONTEXT SubjectContext);
void WINAPI SeUnlockSubjectContext(PSECURITY_SUBJECT_CONTEXT SubjectContext);

/* The WDK makes ObReferenceObject and ObDereferenceObject macros over the
 * FASTCALL routines ObfReferenceObject / ObfDereferenceObject. Wine
 * declares ObfReferenceObject and a function ObDereferenceObject; ntsec
 * exports all four names. */
LONG_PTR FASTCALL ObfDereferenceObject(PVOID Object);
void WINAPI ObReferenceObject(PVOID Object);
#define ObReferenceObject(Object) ObfReferenceObject(Object)

/* --- ntifs.h ----------------------------------------------------------- */

BOOLEAN WINAPI SePrivilegeCheck(PPRIVILEGE_SET RequiredPrivileges,
                                PSECURITY_SUBJECT_CONTEXT SubjectSecurityContext,
                                KPROCESSOR_MODE AccessMode);
void WINAPI SeFreePrivileges(PPRIVILEGE_SET Privileges);

NTSTATUS WINAPI SeQueryInformationToken(PACCESS_TOKEN Token,
                                        TOKEN_INFORMATION_CLASS TokenInformationClass,
                                        PVOID *TokenInformation);
NTSTATUS WINAPI SeQueryAuthenticationIdToken(PACCESS_TOKEN Token, PLUID AuthenticationId);
TOKEN_TYPE WINAPI SeTokenType(PACCESS_TOKEN Token);
BOOLEAN WINAPI SeTokenIsAdmin(PACCESS_TOKEN Token);
BOOLEAN WINAPI SeTokenIsRestricted(PACCESS_TOKEN Token);
NTSTATUS WINAPI SeFilterToken(PACCESS_TOKEN ExistingToken, ULONG Flags,
                              PTOKEN_GROUPS SidsToDisable, PTOKEN_PRIVILEGES PrivilegesToDelete,
                              PTOKEN_GROUPS RestrictedSids, PACCESS_TOKEN *FilteredToken);

/* --- processes, threads and handles (wdm.h, ntddk.h, ntifs.h) ------------ */

/* Wine's wdm.h names the pointer type only. */
typedef struct _OBJECT_HANDLE_INFORMATION {
    ULONG HandleAttributes;
    ACCESS_MASK GrantedAccess;
} OBJECT_HANDLE_INFORMATION;

/* The object types a driver passes to ObReferenceObjectByHandle and
 * ObOpenObjectByPointer, as the WDK declares them: pointers to the type
 * pointer (`*PsProcessType`). */
extern POBJECT_TYPE *PsProcessType;
extern POBJECT_TYPE *PsThreadType;
extern POBJECT_TYPE *SeTokenObjectType;

/* Wine's wdm.h makes these two macros over IoGetCurrentProcess and
 * KeGetCurrentThread; the WDK declares exported routines, which libntsec
 * provides. */
#undef PsGetCurrentProcess
#undef PsGetCurrentThread
PEPROCESS WINAPI PsGetCurrentProcess(void);
PETHREAD WINAPI PsGetCurrentThread(void);

HANDLE WINAPI PsGetThreadId(PETHREAD Thread);
HANDLE WINAPI PsGetProcessId(PEPROCESS Process);
PACCESS_TOKEN WINAPI PsReferencePrimaryToken(PEPROCESS Process);
void WINAPI PsDereferencePrimaryToken(PACCESS_TOKEN PrimaryToken);
NTSTATUS WINAPI ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes,
                                      PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                                      POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                      PHANDLE Handle);

void WINAPI SeCaptureSubjectContext(PSECURITY_SUBJECT_CONTEXT SubjectContext);
BOOLEAN WINAPI SeSinglePrivilegeCheck(LUID PrivilegeValue, KPROCESSOR_MODE PreviousMode);

/* --- impersonation and client security contexts (ntifs.h) ----------------- */

/* The structures as the WDK's ntifs.h lays them out (x64: 72 and 16
 * bytes); libntsec hands them to its native API as they are (the layouts
 * are checked against struct ntsec_client_context and struct
 * ntsec_impersonation_state when libntsec is built). A context holds a
 * reference on ClientToken until SeDeleteClientSecurity. */
typedef struct _SECURITY_CLIENT_CONTEXT {
    SECURITY_QUALITY_OF_SERVICE SecurityQos;
    PACCESS_TOKEN ClientToken;
    BOOLEAN DirectlyAccessClientToken;
    BOOLEAN DirectAccessEffectiveOnly;
    BOOLEAN ServerIsRemote;
    TOKEN_CONTROL ClientTokenControl;
} SECURITY_CLIENT_CONTEXT, *PSECURITY_CLIENT_CONTEXT;

typedef struct _SE_IMPERSONATION_STATE {
    PACCESS_TOKEN Token;
    BOOLEAN CopyOnOpen;
    BOOLEAN EffectiveOnly;
    SECURITY_IMPERSONATION_LEVEL Level;
} SE_IMPERSONATION_STATE, *PSE_IMPERSONATION_STATE;

NTSTATUS WINAPI PsImpersonateClient(PETHREAD Thread, PACCESS_TOKEN Token, BOOLEAN CopyOnOpen,
                                    BOOLEAN EffectiveOnly,
                                    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel);
void WINAPI PsRevertToSelf(void);
PACCESS_TOKEN WINAPI PsReferenceImpersonationToken(
    PETHREAD Thread, PBOOLEAN CopyOnOpen, PBOOLEAN EffectiveOnly,
    PSECURITY_IMPERSONATION_LEVEL ImpersonationLevel);
void WINAPI PsDereferenceImpersonationToken(PACCESS_TOKEN ImpersonationToken);
PACCESS_TOKEN WINAPI PsReferenceEffectiveToken(PETHREAD Thread, TOKEN_TYPE *TokenType,
                                               PBOOLEAN EffectiveOnly,
                                               PSECURITY_IMPERSONATION_LEVEL ImpersonationLevel);
BOOLEAN WINAPI PsDisableImpersonation(PETHREAD Thread, PSE_IMPERSONATION_STATE ImpersonationState);
void WINAPI PsRestoreImpersonation(PETHREAD Thread, PSE_IMPERSONATION_STATE ImpersonationState);

NTSTATUS WINAPI SeCreateClientSecurity(PETHREAD ClientThread,
                                       PSECURITY_QUALITY_OF_SERVICE ClientSecurityQos,
                                       BOOLEAN RemoteSession,
                                       PSECURITY_CLIENT_CONTEXT ClientContext);
NTSTATUS WINAPI SeCreateClientSecurityFromSubjectContext(
    PSECURITY_SUBJECT_CONTEXT SubjectContext, PSECURITY_QUALITY_OF_SERVICE ClientSecurityQos,
    BOOLEAN ServerIsRemote, PSECURITY_CLIENT_CONTEXT ClientContext);
void WINAPI SeImpersonateClient(PSECURITY_CLIENT_CONTEXT ClientContext, PETHREAD ServerThread);
NTSTATUS WINAPI SeImpersonateClientEx(PSECURITY_CLIENT_CONTEXT ClientContext,
                                      PETHREAD ServerThread);
void WINAPI SeGetTokenControlInformation(PACCESS_TOKEN Token, PTOKEN_CONTROL TokenControlInfo);

/* Two WDK macros (ntifs.h; "SeDeleteClientSecurity macro", Microsoft
 * docs): a context's ClientToken is a primary token when it references a
 * client that did not impersonate, so it is released as its type says.
 * libntsec exports SeTokenType, PsDereferencePrimaryToken and
 * PsDereferenceImpersonationToken for them. */
#ifndef SeDeleteClientSecurity
#define SeDeleteClientSecurity(C)                                     \
    do {                                                              \
        if (SeTokenType((C)->ClientToken) == TokenPrimary)            \
            PsDereferencePrimaryToken((C)->ClientToken);              \
        else                                                          \
            PsDereferenceImpersonationToken((C)->ClientToken);        \
    } while (0)
#endif
#ifndef SeStopImpersonatingClient
#define SeStopImpersonatingClient() PsRevertToSelf()
#endif

#ifdef __cplusplus
}
#endif

#endif

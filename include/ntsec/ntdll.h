/* ntsec/ntdll.h - the ntdll exports whose Windows prototype differs from
 * Wine's <winternl.h>, and the Windows declarations Wine's headers lack.
 *
 * The WDK (ntifs.h, wdm.h) is the reference for ntdll prototypes. Wine's
 * header disagrees on four security routines: RtlCopySid and
 * RtlInitializeSid return NTSTATUS on Windows (Wine: BOOLEAN/BOOL),
 * RtlValidSecurityDescriptor returns BOOLEAN (Wine: NTSTATUS), and
 * NtDuplicateToken's fourth parameter is BOOLEAN EffectiveOnly (Wine:
 * SECURITY_IMPERSONATION_LEVEL). ntsec implements the Windows ones.
 * Include this header in place of <winternl.h>, before any header that
 * includes it: it includes <windows.h> and <winternl.h> with Wine's four
 * declarations renamed out of the way, then declares the Windows
 * prototypes. */
#ifndef NTSEC_NTDLL_H
#define NTSEC_NTDLL_H

#define RtlCopySid                 ntsec_wine_decl_RtlCopySid
#define RtlInitializeSid           ntsec_wine_decl_RtlInitializeSid
#define RtlValidSecurityDescriptor ntsec_wine_decl_RtlValidSecurityDescriptor
#define NtDuplicateToken           ntsec_wine_decl_NtDuplicateToken
#include <windows.h>
#include <winternl.h>
#undef RtlCopySid
#undef RtlInitializeSid
#undef RtlValidSecurityDescriptor
#undef NtDuplicateToken

/* STATUS_SUCCESS, or STATUS_BUFFER_TOO_SMALL when `dst_len` bytes cannot
 * hold `src` (Microsoft docs, RtlCopySid). */
NTSYSAPI NTSTATUS WINAPI RtlCopySid(ULONG dst_len, PSID dst, PSID src);

/* STATUS_SUCCESS, or STATUS_INVALID_PARAMETER for more than 15
 * sub-authorities (Microsoft docs, RtlInitializeSid). */
NTSYSAPI NTSTATUS WINAPI RtlInitializeSid(PSID sid, PSID_IDENTIFIER_AUTHORITY auth, UCHAR count);

/* TRUE when the descriptor is valid (Microsoft docs,
 * RtlValidSecurityDescriptor). */
NTSYSAPI BOOLEAN WINAPI RtlValidSecurityDescriptor(PSECURITY_DESCRIPTOR sd);

/* The impersonation level of the new token comes from
 * ObjectAttributes->SecurityQualityOfService (SecurityAnonymous without
 * one); EffectiveOnly keeps only the enabled groups and privileges
 * (Microsoft docs, NtDuplicateToken). */
NTSYSAPI NTSTATUS WINAPI NtDuplicateToken(HANDLE ExistingTokenHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN EffectiveOnly,
                                          TOKEN_TYPE TokenType, PHANDLE NewTokenHandle);

/* Declared by the WDK (ntifs.h / ntddk.h) but not by Wine's headers. */
NTSYSAPI NTSTATUS WINAPI NtCompareTokens(HANDLE FirstTokenHandle, HANDLE SecondTokenHandle,
                                         PBOOLEAN Equal);
NTSYSAPI NTSTATUS WINAPI NtAccessCheckByType(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                             PSID PrincipalSelfSid, HANDLE ClientToken,
                                             ACCESS_MASK DesiredAccess, POBJECT_TYPE_LIST ObjectTypeList,
                                             ULONG ObjectTypeListLength, PGENERIC_MAPPING GenericMapping,
                                             PPRIVILEGE_SET PrivilegeSet, PULONG PrivilegeSetLength,
                                             PACCESS_MASK GrantedAccess, NTSTATUS *AccessStatus);
NTSYSAPI NTSTATUS WINAPI NtAccessCheckByTypeResultList(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                                       PSID PrincipalSelfSid, HANDLE ClientToken,
                                                       ACCESS_MASK DesiredAccess,
                                                       POBJECT_TYPE_LIST ObjectTypeList,
                                                       ULONG ObjectTypeListLength,
                                                       PGENERIC_MAPPING GenericMapping,
                                                       PPRIVILEGE_SET PrivilegeSet,
                                                       PULONG PrivilegeSetLength,
                                                       PACCESS_MASK GrantedAccessList,
                                                       NTSTATUS *AccessStatusList);

/* Declared by the Windows SDK (securitybaseapi.h, winbase.h) but not by
 * Wine's headers. */
WINADVAPI BOOL WINAPI AccessCheckByTypeResultList(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                                  PSID PrincipalSelfSid, HANDLE ClientToken,
                                                  DWORD DesiredAccess, POBJECT_TYPE_LIST ObjectTypeList,
                                                  DWORD ObjectTypeListLength,
                                                  PGENERIC_MAPPING GenericMapping,
                                                  PPRIVILEGE_SET PrivilegeSet,
                                                  LPDWORD PrivilegeSetLength,
                                                  LPDWORD GrantedAccessList, LPDWORD AccessStatusList);

#ifndef LOGON32_LOGON_INTERACTIVE
#define LOGON32_LOGON_INTERACTIVE       2
#define LOGON32_LOGON_NETWORK           3
#define LOGON32_LOGON_BATCH             4
#define LOGON32_LOGON_SERVICE           5
#define LOGON32_LOGON_UNLOCK            7
#define LOGON32_LOGON_NETWORK_CLEARTEXT 8
#define LOGON32_LOGON_NEW_CREDENTIALS   9
#define LOGON32_PROVIDER_DEFAULT        0
#define LOGON32_PROVIDER_WINNT35        1
#define LOGON32_PROVIDER_WINNT40        2
#define LOGON32_PROVIDER_WINNT50        3
#endif

/* ImpersonateAnonymousToken (securitybaseapi.h; Wine 8's headers lack it). */
WINADVAPI BOOL WINAPI ImpersonateAnonymousToken(HANDLE ThreadHandle);

#endif

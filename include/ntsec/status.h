/* ntsec/status.h - NTSTATUS values the native API returns.
 *
 * The values are Windows' (as in Wine's ntstatus.h); the names carry an
 * NTSEC_ prefix so this header can be included next to Windows headers.
 * The Win32 error for each is ntsec_status_to_win32(), equal to Windows'
 * RtlNtStatusToDosError for every status ntsec returns. */
#ifndef NTSEC_STATUS_H
#define NTSEC_STATUS_H

#include <stdint.h>

typedef int32_t ntsec_status;

#define NTSEC_STATUS_SUCCESS                    ((ntsec_status)0x00000000)
#define NTSEC_STATUS_NOT_ALL_ASSIGNED           ((ntsec_status)0x00000106)
#define NTSEC_STATUS_SOME_NOT_MAPPED            ((ntsec_status)0x00000107)
#define NTSEC_STATUS_DATATYPE_MISALIGNMENT      ((ntsec_status)0x80000002)
#define NTSEC_STATUS_BUFFER_OVERFLOW            ((ntsec_status)0x80000005)
#define NTSEC_STATUS_NO_MORE_ENTRIES            ((ntsec_status)0x8000001A)
#define NTSEC_STATUS_UNSUCCESSFUL               ((ntsec_status)0xC0000001)
#define NTSEC_STATUS_INVALID_INFO_CLASS         ((ntsec_status)0xC0000003)
#define NTSEC_STATUS_INFO_LENGTH_MISMATCH       ((ntsec_status)0xC0000004)
#define NTSEC_STATUS_ACCESS_VIOLATION           ((ntsec_status)0xC0000005)
#define NTSEC_STATUS_INVALID_HANDLE             ((ntsec_status)0xC0000008)
#define NTSEC_STATUS_INVALID_CID                ((ntsec_status)0xC000000B)
#define NTSEC_STATUS_INVALID_PARAMETER          ((ntsec_status)0xC000000D)
#define NTSEC_STATUS_NO_MEMORY                  ((ntsec_status)0xC0000017)
#define NTSEC_STATUS_ACCESS_DENIED              ((ntsec_status)0xC0000022)
#define NTSEC_STATUS_BUFFER_TOO_SMALL           ((ntsec_status)0xC0000023)
#define NTSEC_STATUS_OBJECT_TYPE_MISMATCH       ((ntsec_status)0xC0000024)
#define NTSEC_STATUS_INVALID_PARAMETER_MIX      ((ntsec_status)0xC0000030)
#define NTSEC_STATUS_OBJECT_NAME_INVALID        ((ntsec_status)0xC0000033)
#define NTSEC_STATUS_OBJECT_NAME_NOT_FOUND      ((ntsec_status)0xC0000034)
#define NTSEC_STATUS_OBJECT_NAME_COLLISION      ((ntsec_status)0xC0000035)
#define NTSEC_STATUS_UNKNOWN_REVISION           ((ntsec_status)0xC0000058)
#define NTSEC_STATUS_REVISION_MISMATCH          ((ntsec_status)0xC0000059)
#define NTSEC_STATUS_INVALID_OWNER              ((ntsec_status)0xC000005A)
#define NTSEC_STATUS_INVALID_PRIMARY_GROUP      ((ntsec_status)0xC000005B)
#define NTSEC_STATUS_NO_IMPERSONATION_TOKEN     ((ntsec_status)0xC000005C)
#define NTSEC_STATUS_CANT_DISABLE_MANDATORY     ((ntsec_status)0xC000005D)
#define NTSEC_STATUS_NO_SUCH_LOGON_SESSION      ((ntsec_status)0xC000005F)
#define NTSEC_STATUS_NO_SUCH_PRIVILEGE          ((ntsec_status)0xC0000060)
#define NTSEC_STATUS_PRIVILEGE_NOT_HELD         ((ntsec_status)0xC0000061)
#define NTSEC_STATUS_INVALID_ACCOUNT_NAME       ((ntsec_status)0xC0000062)
#define NTSEC_STATUS_NO_SUCH_USER               ((ntsec_status)0xC0000064)
#define NTSEC_STATUS_NO_SUCH_GROUP              ((ntsec_status)0xC0000066)
#define NTSEC_STATUS_WRONG_PASSWORD             ((ntsec_status)0xC000006A)
#define NTSEC_STATUS_LOGON_FAILURE              ((ntsec_status)0xC000006D)
#define NTSEC_STATUS_ACCOUNT_RESTRICTION        ((ntsec_status)0xC000006E)
#define NTSEC_STATUS_ACCOUNT_DISABLED          ((ntsec_status)0xC0000072)
#define NTSEC_STATUS_NONE_MAPPED                ((ntsec_status)0xC0000073)
#define NTSEC_STATUS_INVALID_ACL                ((ntsec_status)0xC0000077)
#define NTSEC_STATUS_INVALID_SID                ((ntsec_status)0xC0000078)
#define NTSEC_STATUS_INVALID_SECURITY_DESCR     ((ntsec_status)0xC0000079)
#define NTSEC_STATUS_NO_TOKEN                   ((ntsec_status)0xC000007C)
#define NTSEC_STATUS_BAD_INHERITANCE_ACL        ((ntsec_status)0xC000007D)
#define NTSEC_STATUS_INVALID_ID_AUTHORITY       ((ntsec_status)0xC0000084)
#define NTSEC_STATUS_ALLOTTED_SPACE_EXCEEDED    ((ntsec_status)0xC0000099)
#define NTSEC_STATUS_INSUFFICIENT_RESOURCES     ((ntsec_status)0xC000009A)
#define NTSEC_STATUS_BAD_IMPERSONATION_LEVEL    ((ntsec_status)0xC00000A5)
#define NTSEC_STATUS_CANT_OPEN_ANONYMOUS        ((ntsec_status)0xC00000A6)
#define NTSEC_STATUS_BAD_VALIDATION_CLASS       ((ntsec_status)0xC00000A7)
#define NTSEC_STATUS_BAD_TOKEN_TYPE             ((ntsec_status)0xC00000A8)
#define NTSEC_STATUS_INSTANCE_NOT_AVAILABLE     ((ntsec_status)0xC00000AB)
#define NTSEC_STATUS_PIPE_NOT_AVAILABLE         ((ntsec_status)0xC00000AC)
#define NTSEC_STATUS_INVALID_PIPE_STATE         ((ntsec_status)0xC00000AD)
#define NTSEC_STATUS_ILLEGAL_FUNCTION           ((ntsec_status)0xC00000AF)
#define NTSEC_STATUS_PIPE_DISCONNECTED          ((ntsec_status)0xC00000B0)
#define NTSEC_STATUS_PIPE_CLOSING               ((ntsec_status)0xC00000B1)
#define NTSEC_STATUS_PIPE_CONNECTED             ((ntsec_status)0xC00000B2)
#define NTSEC_STATUS_PIPE_LISTENING             ((ntsec_status)0xC00000B3)
#define NTSEC_STATUS_IO_TIMEOUT                 ((ntsec_status)0xC00000B5)
#define NTSEC_STATUS_NO_SECURITY_ON_OBJECT      ((ntsec_status)0xC00000D7)
#define NTSEC_STATUS_PIPE_EMPTY                 ((ntsec_status)0xC00000D9)
#define NTSEC_STATUS_NOT_SUPPORTED              ((ntsec_status)0xC00000BB)
#define NTSEC_STATUS_NO_SUCH_DOMAIN             ((ntsec_status)0xC00000DF)
#define NTSEC_STATUS_INTERNAL_ERROR             ((ntsec_status)0xC00000E5)
#define NTSEC_STATUS_GENERIC_NOT_MAPPED         ((ntsec_status)0xC00000E6)
#define NTSEC_STATUS_BAD_DESCRIPTOR_FORMAT      ((ntsec_status)0xC00000E7)
#define NTSEC_STATUS_INVALID_PARAMETER_1        ((ntsec_status)0xC00000EF)
#define NTSEC_STATUS_INVALID_PARAMETER_2        ((ntsec_status)0xC00000F0)
#define NTSEC_STATUS_INVALID_PARAMETER_3        ((ntsec_status)0xC00000F1)
#define NTSEC_STATUS_INVALID_PARAMETER_4        ((ntsec_status)0xC00000F2)
#define NTSEC_STATUS_INVALID_PARAMETER_5        ((ntsec_status)0xC00000F3)
#define NTSEC_STATUS_INVALID_PARAMETER_6        ((ntsec_status)0xC00000F4)
#define NTSEC_STATUS_CANNOT_IMPERSONATE         ((ntsec_status)0xC000010D)
#define NTSEC_STATUS_TOKEN_ALREADY_IN_USE       ((ntsec_status)0xC000012B)
#define NTSEC_STATUS_INVALID_LEVEL              ((ntsec_status)0xC0000148)
#define NTSEC_STATUS_PIPE_BROKEN                ((ntsec_status)0xC000014B)
#define NTSEC_STATUS_LOGON_TYPE_NOT_GRANTED    ((ntsec_status)0xC000015B)
#define NTSEC_STATUS_ILLEGAL_CHARACTER          ((ntsec_status)0xC0000161)
#define NTSEC_STATUS_UNMAPPABLE_CHARACTER       ((ntsec_status)0xC0000162)
#define NTSEC_STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT ((ntsec_status)0xC0000199)
#define NTSEC_STATUS_INVALID_ACE_CONDITION      ((ntsec_status)0xC00001A2)
#define NTSEC_STATUS_CANT_ENABLE_DENY_ONLY      ((ntsec_status)0xC00002B3)
#define NTSEC_STATUS_NOT_FOUND                  ((ntsec_status)0xC0000225)
#define NTSEC_STATUS_INVALID_LABEL              ((ntsec_status)0xC0000446)
/* RPC statuses (RPC_NT_* and EPT_NT_*, Wine's ntstatus.h): the Win32 error of
 * each is the RPC_S_* / EPT_S_* error of the same name. */
#define NTSEC_RPC_NT_INVALID_STRING_BINDING   ((ntsec_status)0xC0020001)
#define NTSEC_RPC_NT_WRONG_KIND_OF_BINDING    ((ntsec_status)0xC0020002)
#define NTSEC_RPC_NT_INVALID_BINDING          ((ntsec_status)0xC0020003)
#define NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED    ((ntsec_status)0xC0020004)
#define NTSEC_RPC_NT_INVALID_STRING_UUID      ((ntsec_status)0xC0020006)
#define NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT  ((ntsec_status)0xC0020007)
#define NTSEC_RPC_NT_INVALID_NET_ADDR         ((ntsec_status)0xC0020008)
#define NTSEC_RPC_NT_SERVER_UNAVAILABLE       ((ntsec_status)0xC0020017)
#define NTSEC_RPC_NT_SERVER_TOO_BUSY          ((ntsec_status)0xC0020018)
#define NTSEC_RPC_NT_NO_CALL_ACTIVE           ((ntsec_status)0xC002001A)
#define NTSEC_RPC_NT_CALL_FAILED              ((ntsec_status)0xC002001B)
#define NTSEC_RPC_NT_DUPLICATE_ENDPOINT       ((ntsec_status)0xC0020029)
#define NTSEC_RPC_NT_BINDING_HAS_NO_AUTH      ((ntsec_status)0xC002002F)
#define NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE    ((ntsec_status)0xC0020030)
#define NTSEC_RPC_NT_UNKNOWN_AUTHN_LEVEL      ((ntsec_status)0xC0020031)
#define NTSEC_RPC_NT_INVALID_AUTH_IDENTITY    ((ntsec_status)0xC0020032)
#define NTSEC_RPC_NT_UNKNOWN_AUTHZ_SERVICE    ((ntsec_status)0xC0020033)
#define NTSEC_EPT_NT_NOT_REGISTERED           ((ntsec_status)0xC0020036)
#define NTSEC_RPC_NT_NO_CONTEXT_AVAILABLE     ((ntsec_status)0xC0020042)
#define NTSEC_RPC_NT_SEC_PKG_ERROR            ((ntsec_status)0xC0020057)

/* Success and informational codes have the top bit clear (NT_SUCCESS). */
static inline int ntsec_success(ntsec_status st) { return st >= 0; }

/* The Win32 error Windows' RtlNtStatusToDosError gives for `st`;
 * ERROR_MR_MID_NOT_FOUND (317) for a status ntsec does not know. */
uint32_t ntsec_status_to_win32(ntsec_status st);

/* "STATUS_ACCESS_DENIED"; NULL for a status ntsec does not know. */
const char *ntsec_status_name(ntsec_status st);

#endif

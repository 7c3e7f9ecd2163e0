/* ntsec/ntdll.h - the ntdll exports whose Windows prototype differs from
 * Wine's <winternl.h>.
 *
 * The WDK (ntifs.h, wdm.h) is the reference for ntdll prototypes. Wine's
 * header disagrees on three security routines: RtlCopySid and
 * RtlInitializeSid return NTSTATUS on Windows (Wine: BOOLEAN/BOOL), and
 * RtlValidSecurityDescriptor returns BOOLEAN (Wine: NTSTATUS). ntsec
 * implements the Windows ones. Include this header in place of
 * <winternl.h>, before any header that includes it: it includes
 * <windows.h> and <winternl.h> with Wine's three declarations renamed
 * out of the way, then declares the Windows prototypes. */
#ifndef NTSEC_NTDLL_H
#define NTSEC_NTDLL_H

#define RtlCopySid                 ntsec_wine_decl_RtlCopySid
#define RtlInitializeSid           ntsec_wine_decl_RtlInitializeSid
#define RtlValidSecurityDescriptor ntsec_wine_decl_RtlValidSecurityDescriptor
#include <windows.h>
#include <winternl.h>
#undef RtlCopySid
#undef RtlInitializeSid
#undef RtlValidSecurityDescriptor

/* STATUS_SUCCESS, or STATUS_BUFFER_TOO_SMALL when `dst_len` bytes cannot
 * hold `src` (Microsoft docs, RtlCopySid). */
NTSYSAPI NTSTATUS WINAPI RtlCopySid(ULONG dst_len, PSID dst, PSID src);

/* STATUS_SUCCESS, or STATUS_INVALID_PARAMETER for more than 15
 * sub-authorities (Microsoft docs, RtlInitializeSid). */
NTSYSAPI NTSTATUS WINAPI RtlInitializeSid(PSID sid, PSID_IDENTIFIER_AUTHORITY auth, UCHAR count);

/* TRUE when the descriptor is valid (Microsoft docs,
 * RtlValidSecurityDescriptor). */
NTSYSAPI BOOLEAN WINAPI RtlValidSecurityDescriptor(PSECURITY_DESCRIPTOR sd);

#endif

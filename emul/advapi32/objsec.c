/* objsec.c - advapi32's GetKernelObjectSecurity over ntdll's
 * NtQuerySecurityObject: the security descriptor of a process, thread or
 * token behind a handle.
 *
 * SetKernelObjectSecurity / NtSetSecurityObject are not exported: the
 * native API has no way yet to replace an object's descriptor
 * (docs/abi.md). */
#include "../handle.h"

/* A short buffer is FALSE with ERROR_INSUFFICIENT_BUFFER and
 * *lpnLengthNeeded the size needed (Microsoft docs,
 * GetKernelObjectSecurity); the handle needs READ_CONTROL, and
 * ACCESS_SYSTEM_SECURITY for the SACL (ERROR_ACCESS_DENIED). */
BOOL WINAPI GetKernelObjectSecurity(HANDLE handle, SECURITY_INFORMATION info,
                                    PSECURITY_DESCRIPTOR sd, DWORD length, LPDWORD needed)
{
    return emul__result(NtQuerySecurityObject(handle, info, sd, length, needed));
}

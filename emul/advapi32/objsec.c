/* objsec.c - advapi32's GetKernelObjectSecurity and
 * SetKernelObjectSecurity over ntdll's NtQuerySecurityObject and
 * NtSetSecurityObject: the security descriptor of a process, thread,
 * token or pipe end (its pipe's) behind a handle. */
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

/* The handle needs WRITE_OWNER for the owner, group or label, WRITE_DAC
 * for the DACL and ACCESS_SYSTEM_SECURITY for the SACL (Microsoft docs,
 * SetKernelObjectSecurity, "SECURITY_INFORMATION"); an owner the caller
 * may not assign is ERROR_INVALID_OWNER. */
BOOL WINAPI SetKernelObjectSecurity(HANDLE handle, SECURITY_INFORMATION info,
                                    PSECURITY_DESCRIPTOR sd)
{
    return emul__result(NtSetSecurityObject(handle, info, sd));
}

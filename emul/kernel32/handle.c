/* handle.c - kernel32's CloseHandle and DuplicateHandle over ntdll's
 * NtClose and NtDuplicateObject. */
#include "../handle.h"

/* FALSE with ERROR_INVALID_HANDLE for a handle that is not open; a
 * pseudo-handle closes without effect (Microsoft docs, CloseHandle and
 * GetCurrentProcess: "Closing the pseudo handle has no effect"). */
BOOL WINAPI CloseHandle(HANDLE handle)
{
    return emul__result(NtClose(handle));
}

/* bInheritHandle becomes OBJ_INHERIT on the new handle; the options pass
 * through (Microsoft docs, DuplicateHandle). A pseudo-handle of the
 * current process or thread duplicates to a real handle. */
BOOL WINAPI DuplicateHandle(HANDLE source_process, HANDLE source, HANDLE target_process,
                            LPHANDLE target, DWORD access, BOOL inherit, DWORD options)
{
    return emul__result(NtDuplicateObject(source_process, source, target_process, target, access,
                                          inherit ? OBJ_INHERIT : 0, options));
}

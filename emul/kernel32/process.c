/* process.c - kernel32's current process and thread (GetCurrentProcess,
 * GetCurrentThread and their ids) and OpenProcess / OpenThread, over
 * libsec's emulated processes and threads (include/ntsec/process.h). */
#include "../handle.h"

/* The pseudo-handles are constants: -1 the current process, -2 the
 * current thread (Microsoft docs, GetCurrentProcess, GetCurrentThread:
 * "a pseudo handle ... a special constant"); no handle is opened, and
 * closing one does nothing. */
HANDLE WINAPI GetCurrentProcess(void)
{
    return emul__to_handle(NTSEC_CURRENT_PROCESS);
}

HANDLE WINAPI GetCurrentThread(void)
{
    return emul__to_handle(NTSEC_CURRENT_THREAD);
}

/* The calling thread's emulated process and thread ids (process 1 for a
 * thread not bound elsewhere). 0 only when libsec is out of memory. */
DWORD WINAPI GetCurrentProcessId(void)
{
    return ntsec_process_id(ntsec_process_current());
}

DWORD WINAPI GetCurrentThreadId(void)
{
    return ntsec_thread_id(ntsec_thread_current());
}

static HANDLE fail(DWORD error)
{
    SetLastError(error);
    return NULL;
}

/* A handle to `object` after the access check against its security
 * descriptor with the caller's effective token (OpenProcess, OpenThread:
 * "This access right is checked against the security descriptor for the
 * process [thread]", Microsoft docs). */
static HANDLE open_object(void *object, DWORD access, BOOL inherit)
{
    ntsec_handle h;
    NTSTATUS st = ntsec_object_open(object, access, inherit ? OBJ_INHERIT : 0, false, &h);

    if (!NT_SUCCESS(st))
        return fail(RtlNtStatusToDosError(st));
    return emul__to_handle(h);
}

/* An id that names no process (0, the System Idle Process, included) is
 * STATUS_INVALID_CID, ERROR_INVALID_PARAMETER (Microsoft docs,
 * OpenProcess: "If the specified process is the System Idle Process
 * (0x00000000), the function fails and the last error code is
 * ERROR_INVALID_PARAMETER"). The native API finds a process by id only
 * for the caller's own process (docs/abi.md). */
HANDLE WINAPI OpenProcess(DWORD access, BOOL inherit, DWORD pid)
{
    struct ntsec_process *p = ntsec_process_current();

    if (!p)
        return fail(ERROR_NOT_ENOUGH_MEMORY);
    if (!pid || pid != ntsec_process_id(p))
        return fail(ERROR_INVALID_PARAMETER);
    return open_object(p, access, inherit);
}

/* As OpenProcess, for the calling thread's id. */
HANDLE WINAPI OpenThread(DWORD access, BOOL inherit, DWORD tid)
{
    struct ntsec_thread *t = ntsec_thread_current();

    if (!t)
        return fail(ERROR_NOT_ENOUGH_MEMORY);
    if (!tid || tid != ntsec_thread_id(t))
        return fail(ERROR_INVALID_PARAMETER);
    return open_object(t, access, inherit);
}

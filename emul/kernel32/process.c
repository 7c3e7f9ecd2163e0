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

/* OpenProcess is NtOpenProcess with the id as UniqueProcess and
 * bInheritHandle as OBJ_INHERIT; any live emulated process can be named.
 * An id that names no process (0, the System Idle Process, included) is
 * STATUS_INVALID_CID, ERROR_INVALID_PARAMETER (Microsoft docs,
 * OpenProcess: "If the specified process is the System Idle Process
 * (0x00000000), the function fails and the last error code is
 * ERROR_INVALID_PARAMETER"); the access is "checked against the security
 * descriptor for the process" with the caller's token. */
HANDLE WINAPI OpenProcess(DWORD access, BOOL inherit, DWORD pid)
{
    OBJECT_ATTRIBUTES attr = { sizeof(attr), NULL, NULL, inherit ? OBJ_INHERIT : 0, NULL, NULL };
    CLIENT_ID cid = { (HANDLE)(uintptr_t)pid, NULL };
    HANDLE h = NULL;
    NTSTATUS st = NtOpenProcess(&h, access, &attr, &cid);

    if (!NT_SUCCESS(st)) {
        SetLastError(RtlNtStatusToDosError(st));
        return NULL;
    }
    return h;
}

/* As OpenProcess, over NtOpenThread (Microsoft docs, OpenThread). */
HANDLE WINAPI OpenThread(DWORD access, BOOL inherit, DWORD tid)
{
    OBJECT_ATTRIBUTES attr = { sizeof(attr), NULL, NULL, inherit ? OBJ_INHERIT : 0, NULL, NULL };
    CLIENT_ID cid = { NULL, (HANDLE)(uintptr_t)tid };
    HANDLE h = NULL;
    NTSTATUS st = NtOpenThread(&h, access, &attr, &cid);

    if (!NT_SUCCESS(st)) {
        SetLastError(RtlNtStatusToDosError(st));
        return NULL;
    }
    return h;
}

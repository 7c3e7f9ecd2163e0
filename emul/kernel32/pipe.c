/* pipe.c - kernel32's named pipes over libsec's (include/ntsec/pipe.h):
 * CreateNamedPipeW, CreateFileW on \\.\pipe\NAME, ConnectNamedPipe,
 * DisconnectNamedPipe, ReadFile, WriteFile, PeekNamedPipe,
 * SetNamedPipeHandleState, WaitNamedPipeW, GetNamedPipeClientProcessId,
 * GetNamedPipeServerProcessId, and advapi32's ImpersonateNamedPipeClient.
 * CloseHandle closes a pipe end as any handle (handle.c).
 *
 * Only synchronous I/O exists: an OVERLAPPED argument is
 * ERROR_NOT_SUPPORTED. The only files are pipes: CreateFileW on any other
 * path is ERROR_NOT_SUPPORTED (docs/pipes.md). */
#include "../handle.h"

/* CreateFileW's dwCreationDisposition: CREATE_NEW .. TRUNCATE_EXISTING. */
#define DISPOSITION_MAX TRUNCATE_EXISTING

static HANDLE handle_result(NTSTATUS st, ntsec_handle h)
{
    if (!NT_SUCCESS(st)) {
        SetLastError(RtlNtStatusToDosError(st));
        return INVALID_HANDLE_VALUE;
    }
    return emul__to_handle(h);
}

/* A NULL name fails in kernel32's path conversion with
 * ERROR_PATH_NOT_FOUND (Wine's test_CreateNamedPipe, on Windows), as it
 * does in CreateFileW and WaitNamedPipeW. */
HANDLE WINAPI CreateNamedPipeW(LPCWSTR name, DWORD open_mode, DWORD pipe_mode, DWORD max_instances,
                               DWORD out_size, DWORD in_size, DWORD timeout,
                               LPSECURITY_ATTRIBUTES sa)
{
    struct ntsec_pipe_create_args a = {
        .open_mode = open_mode, .pipe_mode = pipe_mode, .max_instances = max_instances,
        .out_buffer_size = out_size, .in_buffer_size = in_size, .default_timeout_ms = timeout,
        .sd = sa ? sa->lpSecurityDescriptor : NULL,
        .attributes = sa && sa->bInheritHandle ? OBJ_INHERIT : 0,
    };
    ntsec_handle h = 0;
    char *path = NULL;
    NTSTATUS st;

    if (!name) {
        SetLastError(ERROR_PATH_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    st = emul__utf8_from_w(name, &path);
    a.name = path;
    if (NT_SUCCESS(st))
        st = ntsec_pipe_create(&a, &h);
    ntsec_mem_free(path);
    return handle_result(st, h);
}

/* The SECURITY_QUALITY_OF_SERVICE CreateFileW passes when
 * SECURITY_SQOS_PRESENT is set (Microsoft docs, CreateFileW,
 * dwFlagsAndAttributes): the level in bits 16-17, SECURITY_CONTEXT_TRACKING
 * for dynamic tracking (static otherwise), SECURITY_EFFECTIVE_ONLY. Without
 * the flag none is passed and the pipe file system applies its default. */
static const struct ntsec_sqos *sqos_of(DWORD flags, struct ntsec_sqos *q)
{
    if (!(flags & SECURITY_SQOS_PRESENT))
        return NULL;
    q->length = sizeof(*q);
    q->level = (enum ntsec_impersonation_level)((flags >> 16) & 3);
    q->context_tracking_mode = flags & SECURITY_CONTEXT_TRACKING ? NTSEC_SECURITY_DYNAMIC_TRACKING
                                                                 : NTSEC_SECURITY_STATIC_TRACKING;
    q->effective_only = (flags & SECURITY_EFFECTIVE_ONLY) != 0;
    return q;
}

/* CreateFileW asks SYNCHRONIZE and FILE_READ_ATTRIBUTES besides the access
 * given (Wine's test_CreateNamedPipe: a client opened with access 0 holds
 * exactly SYNCHRONIZE | FILE_READ_ATTRIBUTES on Windows). A disposition
 * outside CREATE_NEW..TRUNCATE_EXISTING is ERROR_INVALID_PARAMETER; the
 * pipe file system ignores the rest (share mode, template). */
HANDLE WINAPI CreateFileW(LPCWSTR name, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                          DWORD disposition, DWORD flags, HANDLE template_file)
{
    struct ntsec_sqos q;
    ntsec_handle h = 0;
    char *path = NULL;
    NTSTATUS st;

    (void)share;
    (void)template_file;
    if (!name) {
        SetLastError(ERROR_PATH_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    if (disposition < CREATE_NEW || disposition > DISPOSITION_MAX) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    st = emul__utf8_from_w(name, &path);
    if (NT_SUCCESS(st))
        st = ntsec_pipe_open(path, access | SYNCHRONIZE | FILE_READ_ATTRIBUTES, sqos_of(flags, &q),
                             sa && sa->bInheritHandle ? OBJ_INHERIT : 0, &h);
    ntsec_mem_free(path);
    return handle_result(st, h);
}

BOOL WINAPI ConnectNamedPipe(HANDLE pipe, LPOVERLAPPED overlapped)
{
    if (overlapped)
        return emul__fail(ERROR_NOT_SUPPORTED);
    return emul__result(ntsec_pipe_listen(emul__handle(pipe)));
}

BOOL WINAPI DisconnectNamedPipe(HANDLE pipe)
{
    return emul__result(ntsec_pipe_disconnect(emul__handle(pipe)));
}

/* ReadFile sets *lpNumberOfBytesRead to 0 before any work (Microsoft
 * docs, ReadFile); a message that does not fit is FALSE with
 * ERROR_MORE_DATA and the bytes read (Wine's test_CreateNamedPipe). A
 * NULL count with no OVERLAPPED is tolerated, as Windows' kernelbase does. */
BOOL WINAPI ReadFile(HANDLE file, LPVOID buf, DWORD size, LPDWORD read, LPOVERLAPPED overlapped)
{
    uint32_t n = 0;
    NTSTATUS st;

    if (read)
        *read = 0;
    if (overlapped)
        return emul__fail(ERROR_NOT_SUPPORTED);
    st = ntsec_pipe_read(emul__handle(file), buf, size, &n);
    if ((NT_SUCCESS(st) || st == STATUS_BUFFER_OVERFLOW) && read)
        *read = n;
    return emul__result(st);
}

BOOL WINAPI WriteFile(HANDLE file, LPCVOID buf, DWORD size, LPDWORD written,
                      LPOVERLAPPED overlapped)
{
    uint32_t n = 0;
    NTSTATUS st;

    if (written)
        *written = 0;
    if (overlapped)
        return emul__fail(ERROR_NOT_SUPPORTED);
    st = ntsec_pipe_write(emul__handle(file), buf, size, &n);
    if (NT_SUCCESS(st) && written)
        *written = n;
    return emul__result(st);
}

/* lpBytesLeftThisMessage is the first message's length less what was
 * copied: on a byte-type pipe, where the length is 0, it wraps below zero
 * (Wine's test_CreateNamedPipe asserts -4 after peeking 4 bytes). Outputs
 * are written only on success (Wine's test_CloseHandle: numbytes kept). */
BOOL WINAPI PeekNamedPipe(HANDLE pipe, PVOID buf, DWORD size, PDWORD read, PDWORD avail,
                          PDWORD left)
{
    struct ntsec_pipe_peek p;
    NTSTATUS st = ntsec_pipe_peek(emul__handle(pipe), buf, size, &p);

    if (!NT_SUCCESS(st))
        return emul__result(st);
    if (read)
        *read = p.read;
    if (avail)
        *avail = p.available;
    if (left)
        *left = p.message_length - p.read;
    return TRUE;
}

/* lpMaxCollectionCount and lpCollectDataTimeout "must be NULL" when both
 * ends are on the same computer (Microsoft docs, SetNamedPipeHandleState);
 * every ntsec pipe is local: ERROR_INVALID_PARAMETER. NULL lpMode changes
 * nothing. */
BOOL WINAPI SetNamedPipeHandleState(HANDLE pipe, LPDWORD mode, LPDWORD max_count,
                                    LPDWORD timeout)
{
    if (max_count || timeout)
        return emul__fail(ERROR_INVALID_PARAMETER);
    if (!mode)
        return TRUE;
    return emul__result(ntsec_pipe_set_mode(emul__handle(pipe), *mode));
}

BOOL WINAPI WaitNamedPipeW(LPCWSTR name, DWORD timeout)
{
    char *path = NULL;
    NTSTATUS st;

    if (!name)
        return emul__fail(ERROR_PATH_NOT_FOUND);
    st = emul__utf8_from_w(name, &path);
    if (NT_SUCCESS(st))
        st = ntsec_pipe_wait(path, timeout);
    ntsec_mem_free(path);
    return emul__result(st);
}

BOOL WINAPI GetNamedPipeClientProcessId(HANDLE pipe, PULONG pid)
{
    return emul__result(ntsec_pipe_client_process_id(emul__handle(pipe), (uint32_t *)pid));
}

BOOL WINAPI GetNamedPipeServerProcessId(HANDLE pipe, PULONG pid)
{
    return emul__result(ntsec_pipe_server_process_id(emul__handle(pipe), (uint32_t *)pid));
}

/* advapi32 on Windows (Microsoft docs, ImpersonateNamedPipeClient:
 * Advapi32.dll); it sits here with the rest of the pipe functions. */
BOOL WINAPI ImpersonateNamedPipeClient(HANDLE pipe)
{
    return emul__result(ntsec_pipe_impersonate_client(emul__handle(pipe)));
}

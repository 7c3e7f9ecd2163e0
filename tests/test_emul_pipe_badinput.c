/* test_emul_pipe_badinput.c - kernel32's named-pipe functions given bad
 * input (issue 7): a wrong handle type (a token), a closed or made-up
 * handle, NULL pointers, flags, modes and counts out of range, a client
 * end where a server end is needed. Each gets its documented error,
 * changes nothing and leaks nothing (tests/test_emul_pipe.c has the
 * errors of pipe states).
 *
 * Sources: Microsoft docs (CreateNamedPipeW, SetNamedPipeHandleState,
 * CloseHandle, ReadFile, WriteFile), Wine's dlls/kernel32/tests/pipe.c
 * results on Windows, and NT's rule that a handle of another object type
 * is STATUS_OBJECT_TYPE_MISMATCH (ERROR_INVALID_HANDLE) and an unknown
 * one STATUS_INVALID_HANDLE. "ntsec's choice" marks where Windows faults
 * instead of answering. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ntsec/ntsec.h>

#include "pipefix.h"
#include "testutil.h"

#define SERVICE 1001u

static const WCHAR pipe_name[] = u"\\\\.\\pipe\\tests_pipe_badinput.c";

static HANDLE create(DWORD open_mode, DWORD pipe_mode, DWORD instances)
{
    return CreateNamedPipeW(pipe_name, open_mode, pipe_mode, instances, 1024, 1024, 0, NULL);
}

static HANDLE open_client(DWORD access)
{
    return CreateFileW(pipe_name, access, 0, NULL, OPEN_EXISTING, 0, NULL);
}

/* A duplex pipe of `pipe_mode` and a read-write client connected to it. */
static void connect_pair(DWORD pipe_mode, HANDLE *server, HANDLE *client)
{
    *server = create(PIPE_ACCESS_DUPLEX, pipe_mode, 1);
    CU_ASSERT_FATAL(*server != INVALID_HANDLE_VALUE);
    *client = open_client(GENERIC_READ | GENERIC_WRITE);
    CU_ASSERT_FATAL(*client != INVALID_HANDLE_VALUE);
}

/* No pipe of that name exists: nothing was created by a failed call. */
static void no_pipe_left(void)
{
    SetLastError(0xdeadbeef);
    CU_ASSERT(!WaitNamedPipeW(pipe_name, 1));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_FILE_NOT_FOUND);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
}

/* "The function fails if dwOpenMode specifies anything other than 0 or
 * the flags listed", the same for dwPipeMode; nMaxInstances is "in the
 * range 1 through PIPE_UNLIMITED_INSTANCES (255)" (Microsoft docs,
 * CreateNamedPipeW): ERROR_INVALID_PARAMETER, as for a byte-type pipe read
 * in message mode (Wine's test_CreateNamedPipe). A direction is needed
 * (PIPE_ACCESS_* are "one of"). */
static void createnamedpipe_bad_modes_and_counts(void)
{
    static const struct {
        DWORD open_mode, pipe_mode, instances;
    } cases[] = {
        { 0, PIPE_TYPE_BYTE, 1 },
        { PIPE_ACCESS_DUPLEX | 0x00000004, PIPE_TYPE_BYTE, 1 },
        { PIPE_ACCESS_DUPLEX, 0x00000010, 1 },
        { PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 0 },
        { PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 256 },
        { PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 0xffffffff },
    };
    struct pfx_service s;

    pfx_enter(&s, SERVICE, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SetLastError(0xdeadbeef);
        CU_ASSERT_EQUAL(create(cases[i].open_mode, cases[i].pipe_mode, cases[i].instances),
                        INVALID_HANDLE_VALUE);
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    }
    no_pipe_left();
    pfx_leave(&s);
}

/* A name that is not \\.\pipe\NAME is ERROR_INVALID_NAME (Wine's
 * test_CreateNamedPipe: "not a named pipe"); the bare prefix names the
 * pipe file system's root, no pipe (NPFS refuses to create it:
 * ERROR_INVALID_NAME). A descriptor of an unknown revision is
 * ERROR_UNKNOWN_REVISION (InitializeSecurityDescriptor, RtlValid-
 * SecurityDescriptor); nothing is created. */
static void createnamedpipe_bad_name_and_descriptor(void)
{
    SECURITY_DESCRIPTOR sd;
    SECURITY_ATTRIBUTES sa = { sizeof(sa), &sd, FALSE };
    struct pfx_service s;

    pfx_enter(&s, SERVICE, 0);
    CU_ASSERT_EQUAL(CreateNamedPipeW(u"\\\\.\\pipe\\", PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 0, 0,
                                     0, NULL), INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_NAME);
    CU_ASSERT_EQUAL(CreateNamedPipeW(u"", PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 0, 0, 0, NULL),
                    INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_NAME);
    CU_ASSERT_FATAL(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    sd.Revision = 7;
    CU_ASSERT_EQUAL(CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 0, 0, 0,
                                     &sa), INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_UNKNOWN_REVISION);
    no_pipe_left();
    pfx_leave(&s);
}

/* A handle that is no pipe end - a token, a closed pipe handle, NULL, a
 * made-up value - is ERROR_INVALID_HANDLE for every pipe function (NT:
 * STATUS_OBJECT_TYPE_MISMATCH or STATUS_INVALID_HANDLE; Wine's
 * test_CloseHandle and CloseHandle's docs for a closed handle). */
static void every_function_refuses_a_handle_that_is_no_pipe(void)
{
    char buf[4];
    DWORD n, mode = PIPE_READMODE_BYTE;
    ULONG pid = 0xdeadbeef;
    struct pfx_service s;
    HANDLE token, closed, bad[4];

    pfx_enter(&s, SERVICE, 0);
    CU_ASSERT_FATAL(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    closed = create(PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CU_ASSERT_FATAL(closed != INVALID_HANDLE_VALUE);
    CU_ASSERT(CloseHandle(closed));
    bad[0] = token;
    bad[1] = closed;
    bad[2] = NULL;
    bad[3] = (HANDLE)(ULONG_PTR)0x7ffc;
    for (int i = 0; i < 4; i++) {
        SetLastError(0xdeadbeef);
        CU_ASSERT(!ConnectNamedPipe(bad[i], NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        CU_ASSERT(!DisconnectNamedPipe(bad[i]));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        n = 0xdeadbeef;
        CU_ASSERT(!PeekNamedPipe(bad[i], buf, sizeof(buf), &n, NULL, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        CU_ASSERT_EQUAL(n, 0xdeadbeef);
        CU_ASSERT(!ReadFile(bad[i], buf, sizeof(buf), &n, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        CU_ASSERT(!WriteFile(bad[i], "x", 1, &n, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        CU_ASSERT(!SetNamedPipeHandleState(bad[i], &mode, NULL, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        CU_ASSERT(!GetNamedPipeClientProcessId(bad[i], &pid));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        CU_ASSERT(!GetNamedPipeServerProcessId(bad[i], &pid));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        CU_ASSERT_EQUAL(pid, 0xdeadbeef);
        CU_ASSERT(!ImpersonateNamedPipeClient(bad[i]));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        if (i) {
            CU_ASSERT(!CloseHandle(bad[i]));
            CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
        }
    }
    /* The token is still there and still a token. */
    CU_ASSERT(GetTokenInformation(token, TokenType, buf, sizeof(buf), &n));
    CU_ASSERT(CloseHandle(token));
    no_pipe_left();
    pfx_leave(&s);
}

/* A NULL buffer with a length is ERROR_NOACCESS for ReadFile and
 * WriteFile (NtReadFile/NtWriteFile probe it: STATUS_ACCESS_VIOLATION),
 * and for PeekNamedPipe (ntsec's choice: Windows faults copying into
 * it); nothing is consumed or queued. A NULL buffer of length 0 is a
 * zero-byte operation. */
static void null_buffers(void)
{
    char buf[8];
    DWORD n, avail = 0xdeadbeef;
    struct pfx_service s;
    HANDLE server, client;

    pfx_enter(&s, SERVICE, 0);
    connect_pair(PIPE_TYPE_BYTE, &server, &client);
    n = 0xdeadbeef;
    CU_ASSERT(!WriteFile(client, NULL, 4, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT(PeekNamedPipe(server, NULL, 0, NULL, &avail, NULL));
    CU_ASSERT_EQUAL(avail, 0);
    CU_ASSERT(WriteFile(client, "abcd", 4, &n, NULL));
    CU_ASSERT(!PeekNamedPipe(server, NULL, 4, &n, &avail, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT(!ReadFile(server, NULL, 4, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT(WriteFile(client, NULL, 0, &n, NULL));
    CU_ASSERT(ReadFile(server, buf, sizeof(buf), &n, NULL));
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT(!memcmp(buf, "abcd", 4));
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
}

/* A server end lacks the direction its pipe does not have: ReadFile on an
 * outbound pipe's server and WriteFile on an inbound one are
 * ERROR_ACCESS_DENIED (CreateNamedPipeW, dwOpenMode: the server gets
 * GENERIC_READ or GENERIC_WRITE by direction). A client opened for reading
 * has no FILE_WRITE_ATTRIBUTES: SetNamedPipeHandleState is
 * ERROR_ACCESS_DENIED ("the handle must have GENERIC_WRITE access",
 * SetNamedPipeHandleState). */
static void ends_without_the_access(void)
{
    char buf[4];
    DWORD n, mode = PIPE_READMODE_BYTE | PIPE_NOWAIT;
    struct pfx_service s;
    HANDLE server, client;

    pfx_enter(&s, SERVICE, 0);
    server = create(PIPE_ACCESS_OUTBOUND, PIPE_TYPE_BYTE, 1);
    CU_ASSERT_FATAL(server != INVALID_HANDLE_VALUE);
    client = open_client(GENERIC_READ);
    CU_ASSERT_FATAL(client != INVALID_HANDLE_VALUE);
    CU_ASSERT(!ReadFile(server, buf, sizeof(buf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!SetNamedPipeHandleState(client, &mode, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    /* Still a waiting client: its read waits for this write. */
    CU_ASSERT(WriteFile(server, "ab", 2, &n, NULL));
    CU_ASSERT(ReadFile(client, buf, sizeof(buf), &n, NULL));
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(CloseHandle(server));
    server = create(PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE, 1);
    CU_ASSERT_FATAL(server != INVALID_HANDLE_VALUE);
    CU_ASSERT(!WriteFile(server, "x", 1, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    /* A write-only client cannot read or peek: FSCTL_PIPE_PEEK asks
     * FILE_READ_DATA (its CTL_CODE in winioctl.h). */
    client = open_client(GENERIC_WRITE);
    CU_ASSERT_FATAL(client != INVALID_HANDLE_VALUE);
    n = 0xdeadbeef;
    CU_ASSERT(!PeekNamedPipe(client, NULL, 0, NULL, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(n, 0xdeadbeef);
    CU_ASSERT(!ReadFile(client, buf, sizeof(buf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
}

/* SetNamedPipeHandleState's lpMode is PIPE_READMODE_* | PIPE_WAIT/NOWAIT
 * (Microsoft docs); another bit is ERROR_INVALID_PARAMETER and leaves the
 * mode: the client still reads a message in byte mode (no
 * ERROR_MORE_DATA, Wine's test_CreateNamedPipe). */
static void set_handle_state_bad_mode_changes_nothing(void)
{
    char buf[16];
    DWORD n, mode = PIPE_READMODE_MESSAGE | 0x10;
    struct pfx_service s;
    HANDLE server, client;

    pfx_enter(&s, SERVICE, 0);
    connect_pair(PIPE_TYPE_MESSAGE, &server, &client);
    CU_ASSERT(!SetNamedPipeHandleState(client, &mode, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT(WriteFile(server, "Bit Bucket", 10, &n, NULL));
    CU_ASSERT(ReadFile(client, buf, 4, &n, NULL));
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT(ReadFile(client, buf, sizeof(buf), &n, NULL));
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
}

/* ImpersonateNamedPipeClient with no client (a listening server end) is
 * ERROR_CANNOT_IMPERSONATE (STATUS_CANNOT_IMPERSONATE, FSCTL_PIPE_IMPERSONATE
 * without a client context) and leaves the thread without a token
 * (OpenThreadToken: ERROR_NO_TOKEN). */
static void impersonate_without_a_client_changes_nothing(void)
{
    struct pfx_service s;
    HANDLE server, token = (HANDLE)1;

    pfx_enter(&s, SERVICE, 0);
    server = create(PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CU_ASSERT_FATAL(server != INVALID_HANDLE_VALUE);
    CU_ASSERT(!ImpersonateNamedPipeClient(server));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_CANNOT_IMPERSONATE);
    CU_ASSERT(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_TOKEN);
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
}

/* WaitNamedPipeW's and CreateFileW's names: a name outside \\.\pipe\ is
 * not a pipe. WaitNamedPipeW refuses it without waiting; CreateFileW on
 * it is ERROR_NOT_SUPPORTED (no other file is emulated, docs/pipes.md).
 * An empty pipe name is the pipe file system's root: not emulated
 * either. */
static void names_that_are_no_pipe(void)
{
    struct pfx_service s;

    pfx_enter(&s, SERVICE, 0);
    SetLastError(0xdeadbeef);
    CU_ASSERT(!WaitNamedPipeW(u"not a named pipe", NMPWAIT_WAIT_FOREVER));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_NAME);
    CU_ASSERT(!WaitNamedPipeW(u"\\\\.\\pipe\\", NMPWAIT_WAIT_FOREVER));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_NAME);
    CU_ASSERT_EQUAL(CreateFileW(u"\\\\.\\pipe\\", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL),
                    INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(CreateFileW(NULL, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL),
                    INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PATH_NOT_FOUND);
    CU_ASSERT_EQUAL(CreateFileW(pipe_name, GENERIC_READ, 0, NULL, TRUNCATE_EXISTING + 1, 0, NULL),
                    INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    no_pipe_left();
    pfx_leave(&s);
}

/* Memory running out at each allocation of CreateNamedPipeW, CreateFileW
 * and WriteFile in turn: FALSE/INVALID_HANDLE_VALUE with
 * ERROR_NOT_ENOUGH_MEMORY (STATUS_NO_MEMORY), no pipe, no client and no
 * message left behind, nothing leaked (the runner counts). */
static void out_of_memory_leaves_nothing(void)
{
    DWORD n, avail = 0xdeadbeef;
    struct pfx_service s;
    HANDLE server = INVALID_HANDLE_VALUE, client = INVALID_HANDLE_VALUE;

    pfx_enter(&s, SERVICE, 0);
    for (long i = 0; server == INVALID_HANDLE_VALUE && i < 64; i++) {
        testutil_fail_alloc_after(i);
        server = create(PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_NOWAIT, 1);
        testutil_fail_alloc_after(-1);
        if (server == INVALID_HANDLE_VALUE) {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
            no_pipe_left();
        }
    }
    CU_ASSERT_FATAL(server != INVALID_HANDLE_VALUE);
    for (long i = 0; client == INVALID_HANDLE_VALUE && i < 64; i++) {
        testutil_fail_alloc_after(i);
        client = CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                             SECURITY_SQOS_PRESENT | SECURITY_IMPERSONATION, NULL);
        testutil_fail_alloc_after(-1);
        if (client == INVALID_HANDLE_VALUE) {
            CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
            CU_ASSERT(!ConnectNamedPipe(server, NULL));
            CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_LISTENING);
        }
    }
    CU_ASSERT_FATAL(client != INVALID_HANDLE_VALUE);
    testutil_fail_alloc_after(0);
    n = 0xdeadbeef;
    CU_ASSERT(!WriteFile(client, "abcd", 4, &n, NULL));
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT(PeekNamedPipe(server, NULL, 0, NULL, &avail, NULL));
    CU_ASSERT_EQUAL(avail, 0);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(createnamedpipe_bad_modes_and_counts),
        TEST(createnamedpipe_bad_name_and_descriptor),
        TEST(every_function_refuses_a_handle_that_is_no_pipe),
        TEST(null_buffers),
        TEST(ends_without_the_access),
        TEST(set_handle_state_bad_mode_changes_nothing),
        TEST(impersonate_without_a_client_changes_nothing),
        TEST(names_that_are_no_pipe),
        TEST(out_of_memory_leaves_nothing),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("kernel32_pipe_badinput", tests);
}

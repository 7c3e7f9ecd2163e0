/* test_emul_pipe.c - named pipes called as Windows code calls them:
 * CreateNamedPipeW, CreateFileW with SECURITY_SQOS_PRESENT, ConnectNamedPipe,
 * ReadFile/WriteFile/PeekNamedPipe, DisconnectNamedPipe, WaitNamedPipeW,
 * SetNamedPipeHandleState, GetNamedPipe{Client,Server}ProcessId,
 * ImpersonateNamedPipeClient, CloseHandle, and the last error of each
 * failure.
 *
 * Windows' results are what Wine's dlls/kernel32/tests/pipe.c asserts on
 * Windows (the test of each is named; its todo_wine lines are Windows'
 * behaviour that Wine lacks) and Microsoft docs (CreateNamedPipeW,
 * CreateFileW, ImpersonateNamedPipeClient, "Named Pipe Security and
 * Access Rights", "Impersonation Levels").
 *
 * A test runs in a service process (user S-1-5-21-1-2-3-1001); clients
 * run on pthreads, in the same process as in Wine's tests, or in a client
 * process of user ...-1002. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ntsec/ntsec.h>
#include <sddl.h>

#include "pipefix.h"
#include "testutil.h"

#define SERVICE 1001u
#define CLIENT 1002u

static const WCHAR pipe_name[] = u"\\\\.\\PiPe\\tests_pipe.c";

/* --- fixtures --------------------------------------------------------------- */

static HANDLE create_pipe(DWORD pipe_mode, DWORD instances)
{
    HANDLE h = CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX, pipe_mode, instances, 1024, 1024,
                                NMPWAIT_USE_DEFAULT_WAIT, NULL);

    CU_ASSERT_FATAL(h != INVALID_HANDLE_VALUE);
    return h;
}

static HANDLE open_client(DWORD flags)
{
    HANDLE h = CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, flags,
                           NULL);

    CU_ASSERT_FATAL(h != INVALID_HANDLE_VALUE);
    return h;
}

/* --- Wine's test_impersonation ------------------------------------------------- */

/* Wine's named_pipe_client_func, step by step: with a token, disable its
 * privileges first when `revert`, and impersonate it; without, disable
 * every privilege of the process token. Open with `flags`, send a
 * message, wait for the reply; then RevertToSelf (revert), disable the
 * token's privileges (token), or restore the process token's; send and
 * wait again. Every call's result is kept for the test. */
struct wine_client {
    DWORD flags;
    HANDLE token;
    BOOL revert;
    BOOL ok[12];
};

static void wine_client_main(void *arg)
{
    struct wine_client *c = arg;
    _Alignas(8) BYTE saved[256];
    HANDLE pipe, process_token = NULL;
    DWORD size = 0, n;
    char dummy;

    if (c->token) {
        c->ok[0] = !c->revert || AdjustTokenPrivileges(c->token, TRUE, NULL, 0, NULL, NULL);
        c->ok[1] = SetThreadToken(NULL, c->token);
    } else {
        c->ok[0] = OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_ADJUST_PRIVILEGES,
                                    &process_token) &&
                   GetTokenInformation(process_token, TokenPrivileges, saved, sizeof(saved),
                                       &size);
        c->ok[1] = AdjustTokenPrivileges(process_token, TRUE, NULL, 0, NULL, NULL);
    }
    pipe = CreateFileW(u"\\\\.\\pipe\\named_pipe_test", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                       OPEN_EXISTING, c->flags, NULL);
    c->ok[2] = pipe != INVALID_HANDLE_VALUE;
    c->ok[3] = WriteFile(pipe, "Test", 5, &n, NULL);
    c->ok[4] = ReadFile(pipe, &dummy, 1, &n, NULL);
    if (c->token && c->revert)
        c->ok[5] = RevertToSelf();
    else if (c->token)
        c->ok[5] = AdjustTokenPrivileges(c->token, TRUE, NULL, 0, NULL, NULL);
    else
        c->ok[5] = AdjustTokenPrivileges(process_token, FALSE, (TOKEN_PRIVILEGES *)saved, 0,
                                         NULL, NULL);
    c->ok[6] = WriteFile(pipe, "Test", 5, &n, NULL);
    c->ok[7] = ReadFile(pipe, &dummy, 1, &n, NULL);
    c->ok[8] = CloseHandle(pipe);
    if (process_token)
        CloseHandle(process_token);
    RevertToSelf();
}

/* Wine's make_impersonation_token. */
static HANDLE make_impersonation_token(void)
{
    HANDLE process_token = NULL, token = NULL;

    CU_ASSERT_FATAL(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE, &process_token));
    CU_ASSERT_FATAL(DuplicateTokenEx(process_token,
                                     TOKEN_IMPERSONATE | TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY,
                                     NULL, SecurityImpersonation, TokenImpersonation, &token));
    CloseHandle(process_token);
    return token;
}

static BOOL all_privileges_disabled(HANDLE token)
{
    _Alignas(8) BYTE buf[256];
    TOKEN_PRIVILEGES *p = (TOKEN_PRIVILEGES *)buf;
    DWORD size;

    CU_ASSERT_FATAL(GetTokenInformation(token, TokenPrivileges, buf, sizeof(buf), &size));
    for (DWORD i = 0; i < p->PrivilegeCount; i++)
        if (p->Privileges[i].Attributes & SE_PRIVILEGE_ENABLED)
            return FALSE;
    return TRUE;
}

static DWORD privilege_count(HANDLE token)
{
    TOKEN_STATISTICS stats;
    DWORD size;

    CU_ASSERT_FATAL(GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &size));
    return stats.PrivilegeCount;
}

/* What the service saw at each of the two calls, by Wine's check functions. */
enum expect {
    NO_PRIVILEGES,          /* priv_count == 0 */
    SOME_ENABLED,           /* !are_all_privileges_disabled */
    ALL_DISABLED,           /* are_all_privileges_disabled */
    COUNT_AND_ENABLED,      /* priv_count > 0 && !are_all_privileges_disabled */
};

static void check(HANDLE token, enum expect e)
{
    switch (e) {
    case NO_PRIVILEGES:
        CU_ASSERT_EQUAL(privilege_count(token), 0);
        break;
    case SOME_ENABLED:
        CU_ASSERT_FALSE(all_privileges_disabled(token));
        break;
    case ALL_DISABLED:
        CU_ASSERT_TRUE(all_privileges_disabled(token));
        break;
    case COUNT_AND_ENABLED:
        CU_ASSERT(privilege_count(token) > 0);
        CU_ASSERT_FALSE(all_privileges_disabled(token));
        break;
    }
}

/* Wine's test_ImpersonateNamedPipeClient, in the service: impersonating
 * before any read fails with ERROR_CANNOT_IMPERSONATE (or succeeds when
 * a static client came first, as the test allows); after each read the
 * thread token is the client's at SecurityImpersonation; after the client
 * left, impersonation still works. */
static void impersonate_named_pipe_client(HANDLE client_token, DWORD flags, BOOL revert,
                                          enum expect first, enum expect second)
{
    struct wine_client c = { .flags = flags, .token = client_token, .revert = revert };
    struct pfx_thread t;
    HANDLE server, token;
    SECURITY_IMPERSONATION_LEVEL level = 0;
    char buffer[256], dummy = 0;
    DWORD n;
    BOOL ret;

    server = CreateNamedPipeW(u"\\\\.\\pipe\\named_pipe_test", PIPE_ACCESS_DUPLEX,
                              PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 100, 100,
                              NMPWAIT_USE_DEFAULT_WAIT, NULL);
    CU_ASSERT_FATAL(server != INVALID_HANDLE_VALUE);
    pfx_start(&t, ntsec_process_current(), wine_client_main, &c);
    SetLastError(0xdeadbeef);
    ret = ImpersonateNamedPipeClient(server);
    CU_ASSERT(ret || GetLastError() == ERROR_CANNOT_IMPERSONATE);
    RevertToSelf();
    ret = ConnectNamedPipe(server, NULL);
    CU_ASSERT(ret || GetLastError() == ERROR_PIPE_CONNECTED);
    CU_ASSERT(ReadFile(server, buffer, sizeof(buffer), &n, NULL));
    CU_ASSERT_FATAL(ImpersonateNamedPipeClient(server));
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &token));
    check(token, first);
    CU_ASSERT(GetTokenInformation(token, TokenImpersonationLevel, &level, sizeof(level), &n));
    CU_ASSERT_EQUAL(level, SecurityImpersonation);
    CloseHandle(token);
    RevertToSelf();
    CU_ASSERT(WriteFile(server, &dummy, 1, &n, NULL));
    CU_ASSERT(ReadFile(server, buffer, sizeof(buffer), &n, NULL));
    CU_ASSERT_FATAL(ImpersonateNamedPipeClient(server));
    CU_ASSERT_FATAL(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &token));
    check(token, second);
    CloseHandle(token);
    RevertToSelf();
    CU_ASSERT(WriteFile(server, &dummy, 1, &n, NULL));
    pfx_join(&t);
    for (int i = 0; i <= 8; i++)
        CU_ASSERT_TRUE(c.ok[i]);
    CU_ASSERT(ImpersonateNamedPipeClient(server));
    RevertToSelf();
    CloseHandle(server);
}

/* Wine's test_impersonation, each case with the results its check
 * functions assert on Windows (todo_wine included): no SQOS is dynamic
 * and EffectiveOnly (test_no_sqos_no_token, test_no_sqos,
 * test_no_sqos_revert), SECURITY_IMPERSONATION alone is static
 * (test_static_context, test_static_context_revert), with
 * SECURITY_CONTEXT_TRACKING dynamic (test_dynamic_context,
 * test_dynamic_context_no_token, test_dynamic_context_revert). */
static void wine_test_impersonation(void)
{
    static const struct {
        BOOL token, revert;
        DWORD flags;
        enum expect first, second;
    } cases[] = {
        { FALSE, FALSE, 0, NO_PRIVILEGES, COUNT_AND_ENABLED },              /* no_sqos_no_token */
        { TRUE, FALSE, 0, SOME_ENABLED, ALL_DISABLED },                     /* no_sqos */
        { TRUE, FALSE, SECURITY_SQOS_PRESENT | SECURITY_IMPERSONATION,
          SOME_ENABLED, SOME_ENABLED },                                     /* static_context */
        { TRUE, FALSE, SECURITY_SQOS_PRESENT | SECURITY_CONTEXT_TRACKING | SECURITY_IMPERSONATION,
          SOME_ENABLED, ALL_DISABLED },                                     /* dynamic_context */
        { FALSE, FALSE, SECURITY_SQOS_PRESENT | SECURITY_CONTEXT_TRACKING | SECURITY_IMPERSONATION,
          ALL_DISABLED, SOME_ENABLED },                                     /* dynamic_context_no_token */
        { TRUE, TRUE, 0, NO_PRIVILEGES, COUNT_AND_ENABLED },                /* no_sqos_revert */
        { TRUE, TRUE, SECURITY_SQOS_PRESENT | SECURITY_IMPERSONATION,
          ALL_DISABLED, ALL_DISABLED },                                     /* static_context_revert */
        { TRUE, TRUE, SECURITY_SQOS_PRESENT | SECURITY_CONTEXT_TRACKING | SECURITY_IMPERSONATION,
          ALL_DISABLED, SOME_ENABLED },                                     /* dynamic_context_revert */
    };
    struct pfx_service s;

    pfx_enter(&s, SERVICE, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        HANDLE token = cases[i].token ? make_impersonation_token() : NULL;

        impersonate_named_pipe_client(token, cases[i].flags, cases[i].revert, cases[i].first,
                                      cases[i].second);
        if (token)
            CloseHandle(token);
    }
    pfx_leave(&s);
}

/* --- SQOS levels, across processes ---------------------------------------------- */

/* A client of another process and user: opens with `flags`, writes one
 * byte, waits for the reply. */
struct level_client {
    DWORD flags;
    BOOL opened, wrote, replied;
    DWORD error;
};

static void level_client_main(void *arg)
{
    struct level_client *c = arg;
    HANDLE pipe = CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                              c->flags, NULL);
    DWORD n;
    char byte;

    c->opened = pipe != INVALID_HANDLE_VALUE;
    c->error = GetLastError();
    if (!c->opened)
        return;
    c->wrote = WriteFile(pipe, "x", 1, &n, NULL);
    c->replied = ReadFile(pipe, &byte, 1, &n, NULL);
    CloseHandle(pipe);
}

/* The service's view of one client that connects with `flags`: whether
 * OpenThreadToken works (as the client, then as self), the level and
 * user of the token. */
struct view {
    DWORD open_error;               /* OpenThreadToken(OpenAsSelf FALSE): 0 or the error */
    DWORD self_error;               /* OpenAsSelf TRUE */
    SECURITY_IMPERSONATION_LEVEL level;
    DWORD rid;
};

static struct view serve_one(struct ntsec_process *client, DWORD flags)
{
    struct level_client c = { .flags = flags };
    struct view v = { 0 };
    _Alignas(8) BYTE user[128];
    struct pfx_thread t;
    HANDLE server = create_pipe(PIPE_TYPE_BYTE, 1), token;
    DWORD n;
    char byte;

    pfx_start(&t, client, level_client_main, &c);
    if (!ConnectNamedPipe(server, NULL))
        CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_CONNECTED);
    CU_ASSERT(ReadFile(server, &byte, 1, &n, NULL));
    CU_ASSERT_FATAL(ImpersonateNamedPipeClient(server));
    if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, FALSE, &token))
        CloseHandle(token);
    else
        v.open_error = GetLastError();
    if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        CU_ASSERT(GetTokenInformation(token, TokenImpersonationLevel, &v.level, sizeof(v.level),
                                      &n));
        CU_ASSERT(GetTokenInformation(token, TokenUser, user, sizeof(user), &n));
        v.rid = *GetSidSubAuthority(((TOKEN_USER *)user)->User.Sid, 4);
        CloseHandle(token);
    } else {
        v.self_error = GetLastError();
    }
    CU_ASSERT(RevertToSelf());
    CU_ASSERT(WriteFile(server, "r", 1, &n, NULL));
    pfx_join(&t);
    CU_ASSERT(c.opened && c.wrote && c.replied);
    CloseHandle(server);
    return v;
}

/* CreateFileW, SECURITY_SQOS_PRESENT (Microsoft docs) and "Impersonation
 * Levels": at Anonymous the server cannot open the thread token
 * (ERROR_CANT_OPEN_ANONYMOUS, as Wine's advapi32 test_impersonation_level
 * asserts on Windows); at Identification it can read the client's
 * identity (OpenAsSelf) but not act as it (ERROR_BAD_IMPERSONATION_LEVEL);
 * at Impersonation and Delegation it holds the client's token at that
 * level. */
static void sqos_levels_reach_the_service(void)
{
    struct ntsec_process *client = pfx_process(CLIENT, 0);
    struct pfx_service s;
    struct view v;

    pfx_enter(&s, SERVICE, PFX_IMPERSONATE);
    v = serve_one(client, SECURITY_SQOS_PRESENT | SECURITY_ANONYMOUS);
    CU_ASSERT_EQUAL(v.open_error, ERROR_CANT_OPEN_ANONYMOUS);
    CU_ASSERT_EQUAL(v.self_error, ERROR_CANT_OPEN_ANONYMOUS);
    v = serve_one(client, SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(v.open_error, ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(v.self_error, 0);
    CU_ASSERT_EQUAL(v.level, SecurityIdentification);
    CU_ASSERT_EQUAL(v.rid, CLIENT);
    v = serve_one(client, SECURITY_SQOS_PRESENT | SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(v.open_error, 0);
    CU_ASSERT_EQUAL(v.level, SecurityImpersonation);
    CU_ASSERT_EQUAL(v.rid, CLIENT);
    v = serve_one(client, SECURITY_SQOS_PRESENT | SECURITY_DELEGATION | SECURITY_CONTEXT_TRACKING);
    CU_ASSERT_EQUAL(v.level, SecurityDelegation);
    CU_ASSERT_EQUAL(v.rid, CLIENT);
    pfx_leave(&s);
    ntsec_object_put(client);
}

/* ImpersonateNamedPipeClient, Remarks (Microsoft docs): without
 * SeImpersonatePrivilege a service impersonating another user gets an
 * Identification-level token ("Client Impersonation"). */
static void service_without_privilege_gets_identification(void)
{
    struct ntsec_process *client = pfx_process(CLIENT, 0);
    struct pfx_service s;
    struct view v;

    pfx_enter(&s, SERVICE, 0);
    v = serve_one(client, SECURITY_SQOS_PRESENT | SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(v.open_error, ERROR_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(v.level, SecurityIdentification);
    CU_ASSERT_EQUAL(v.rid, CLIENT);
    pfx_leave(&s);
    ntsec_object_put(client);
}

struct open_result {
    DWORD access;
    HANDLE h;
    DWORD error;
};

static void open_main(void *arg)
{
    struct open_result *r = arg;

    r->h = CreateFileW(pipe_name, r->access, 0, NULL, OPEN_EXISTING, 0, NULL);
    r->error = GetLastError();
    if (r->h != INVALID_HANDLE_VALUE)
        CloseHandle(r->h);
}

/* CreateNamedPipeW's lpSecurityAttributes governs the pipe (Microsoft
 * docs, "Named Pipe Security and Access Rights": "the system performs an
 * access check" when a client opens it): a DACL denying the client is
 * ERROR_ACCESS_DENIED; the default DACL lets a user other than the owner
 * read only (Everyone: read). */
static void dacl_decides_who_may_open(void)
{
    struct ntsec_process *client = pfx_process(CLIENT, 0), *plain = pfx_process(CLIENT, PFX_NOT_ADMIN);
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, FALSE };
    struct open_result r = { .access = GENERIC_READ | GENERIC_WRITE };
    struct pfx_service s;
    struct pfx_thread t;
    HANDLE server;

    pfx_enter(&s, SERVICE, 0);
    CU_ASSERT_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorW(
        u"D:(D;;GA;;;S-1-5-21-1-2-3-1002)(A;;GA;;;WD)", SDDL_REVISION_1,
        &sa.lpSecurityDescriptor, NULL));
    server = CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 0, 0, 0, &sa);
    CU_ASSERT_FATAL(server != INVALID_HANDLE_VALUE);
    LocalFree(sa.lpSecurityDescriptor);
    pfx_start(&t, client, open_main, &r);
    pfx_join(&t);
    CU_ASSERT_EQUAL(r.h, INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(r.error, ERROR_ACCESS_DENIED);
    CloseHandle(server);

    /* The default DACL: a user who is neither the owner nor an
     * administrator may read, not write. */
    server = create_pipe(PIPE_TYPE_BYTE, 1);
    pfx_start(&t, plain, open_main, &r);
    pfx_join(&t);
    CU_ASSERT_EQUAL(r.h, INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(r.error, ERROR_ACCESS_DENIED);
    r.access = GENERIC_READ;
    pfx_start(&t, plain, open_main, &r);
    pfx_join(&t);
    CU_ASSERT(r.h != INVALID_HANDLE_VALUE);
    CloseHandle(server);
    ntsec_object_put(plain);
    pfx_leave(&s);
    ntsec_object_put(client);
}

/* --- Wine's pipe tests: the errors --------------------------------------------------- */

/* Wine's test_CreateNamedPipe (byte and message mode), on Windows. */
static void wine_test_createnamedpipe(void)
{
    static const char obuf[] = "Bit Bucket";
    char ibuf[32];
    DWORD n, avail, left;
    struct pfx_service s;
    HANDLE server, client, client2;

    pfx_enter(&s, SERVICE, 0);
    for (int message = 0; message <= 1; message++) {
        DWORD mode = message ? PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE : PIPE_TYPE_BYTE;

        SetLastError(0xdeadbeef);
        CU_ASSERT(!WaitNamedPipeW(pipe_name, 2000));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_FILE_NOT_FOUND);
        CU_ASSERT_EQUAL(CreateNamedPipeW(u"not a named pipe", PIPE_ACCESS_DUPLEX, mode, 1, 1024,
                                         1024, 0, NULL), INVALID_HANDLE_VALUE);
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_NAME);
        CU_ASSERT_EQUAL(CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX,
                                         PIPE_TYPE_BYTE | PIPE_READMODE_MESSAGE, 1, 1024, 1024, 0,
                                         NULL), INVALID_HANDLE_VALUE);
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
        CU_ASSERT_EQUAL(CreateNamedPipeW(NULL, PIPE_ACCESS_DUPLEX, mode, 1, 1024, 1024, 0, NULL),
                        INVALID_HANDLE_VALUE);
        CU_ASSERT_EQUAL(GetLastError(), ERROR_PATH_NOT_FOUND);
        CU_ASSERT_EQUAL(CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                    OPEN_EXISTING, 0, NULL), INVALID_HANDLE_VALUE);
        CU_ASSERT_EQUAL(GetLastError(), ERROR_FILE_NOT_FOUND);

        server = create_pipe(mode | PIPE_WAIT, 1);
        CU_ASSERT(!PeekNamedPipe(server, NULL, 0, NULL, &n, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_PIPE);
        CU_ASSERT(WaitNamedPipeW(pipe_name, 2000));
        client = open_client(0);
        CU_ASSERT(!WaitNamedPipeW(pipe_name, 100));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_SEM_TIMEOUT);
        CU_ASSERT(!ConnectNamedPipe(server, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_CONNECTED);
        CU_ASSERT(!ConnectNamedPipe(client, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_FUNCTION);

        CU_ASSERT(WriteFile(server, obuf, sizeof(obuf), &n, NULL));
        CU_ASSERT_EQUAL(n, sizeof(obuf));
        CU_ASSERT(PeekNamedPipe(client, ibuf, 4, &n, &avail, &left));
        CU_ASSERT_EQUAL(n, 4);
        CU_ASSERT_EQUAL(avail, sizeof(obuf));
        CU_ASSERT_EQUAL(left, message ? sizeof(obuf) - 4 : (DWORD)-4);
        CU_ASSERT(ReadFile(client, ibuf, sizeof(ibuf), &n, NULL));
        CU_ASSERT_EQUAL(n, sizeof(obuf));
        CU_ASSERT_STRING_EQUAL(ibuf, obuf);

        /* A short read: ERROR_MORE_DATA in message read mode only. */
        CU_ASSERT(WriteFile(client, obuf, sizeof(obuf), &n, NULL));
        SetLastError(0xdeadbeef);
        if (message) {
            CU_ASSERT(!ReadFile(server, ibuf, 4, &n, NULL));
            CU_ASSERT_EQUAL(GetLastError(), ERROR_MORE_DATA);
        } else {
            CU_ASSERT(ReadFile(server, ibuf, 4, &n, NULL));
        }
        CU_ASSERT_EQUAL(n, 4);
        CU_ASSERT(ReadFile(server, ibuf + 4, sizeof(ibuf) - 4, &n, NULL));
        CU_ASSERT_EQUAL(n, sizeof(obuf) - 4);

        /* No second client until DisconnectNamedPipe and ConnectNamedPipe. */
        client2 = CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                              NULL);
        CU_ASSERT_EQUAL(client2, INVALID_HANDLE_VALUE);
        CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_BUSY);
        CU_ASSERT(CloseHandle(client));
        CU_ASSERT_EQUAL(CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                    OPEN_EXISTING, 0, NULL), INVALID_HANDLE_VALUE);
        CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_BUSY);
        CU_ASSERT(DisconnectNamedPipe(server));
        CU_ASSERT_EQUAL(CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                    OPEN_EXISTING, 0, NULL), INVALID_HANDLE_VALUE);
        CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_BUSY);
        CU_ASSERT(CloseHandle(server));
    }
    pfx_leave(&s);
}

/* Wine's test_CreateNamedPipe_instances_must_match, on Windows. */
static void wine_test_instances_must_match(void)
{
    struct pfx_service s;
    HANDLE a, b;

    pfx_enter(&s, SERVICE, 0);
    a = create_pipe(PIPE_TYPE_BYTE | PIPE_WAIT, 1);
    b = CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 1024, 1024,
                         0, NULL);
    CU_ASSERT(b == INVALID_HANDLE_VALUE && GetLastError() == ERROR_PIPE_BUSY);
    CloseHandle(a);
    a = create_pipe(PIPE_TYPE_BYTE | PIPE_WAIT, 2);
    b = CreateNamedPipeW(pipe_name, PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE | PIPE_WAIT, 2, 1024, 1024,
                         0, NULL);
    CU_ASSERT(b == INVALID_HANDLE_VALUE && GetLastError() == ERROR_ACCESS_DENIED);
    b = CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE,
                         PIPE_TYPE_BYTE, 2, 1024, 1024, 0, NULL);
    CU_ASSERT(b == INVALID_HANDLE_VALUE && GetLastError() == ERROR_ACCESS_DENIED);
    b = CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE, 3, 102, 24, 1234, NULL);
    CU_ASSERT(b != INVALID_HANDLE_VALUE);
    CU_ASSERT(CloseHandle(a));
    CU_ASSERT(CloseHandle(b));
    pfx_leave(&s);
}

/* Wine's test_DisconnectNamedPipe, on Windows. */
static void wine_test_disconnectnamedpipe(void)
{
    static const char obuf[] = "Bit Bucket";
    char ibuf[32];
    DWORD n;
    struct pfx_service s;
    HANDLE server, client;

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_TYPE_BYTE | PIPE_WAIT, 1);
    CU_ASSERT(!WriteFile(server, obuf, sizeof(obuf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_LISTENING);
    CU_ASSERT(!ReadFile(server, ibuf, sizeof(ibuf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_LISTENING);
    client = open_client(0);
    CU_ASSERT(WriteFile(client, obuf, sizeof(obuf), &n, NULL));
    CU_ASSERT(DisconnectNamedPipe(server));
    CU_ASSERT(!WriteFile(client, obuf, sizeof(obuf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CU_ASSERT(!WriteFile(server, obuf, sizeof(obuf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CU_ASSERT(!ReadFile(client, ibuf, sizeof(ibuf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CU_ASSERT(!ReadFile(server, ibuf, sizeof(ibuf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CU_ASSERT(!DisconnectNamedPipe(server));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CU_ASSERT(!PeekNamedPipe(client, NULL, 0, NULL, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CU_ASSERT(!PeekNamedPipe(server, NULL, 0, NULL, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_BAD_PIPE);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
}

/* Wine's test_CloseHandle, on Windows: after one end closed, the other
 * reads what is left, then gets ERROR_BROKEN_PIPE; PeekNamedPipe too,
 * leaving its output alone; writes get ERROR_NO_DATA. */
static void wine_test_closehandle(void)
{
    static const char data[] = "Hello World";
    char buffer[32];
    DWORD n;
    struct pfx_service s;
    HANDLE server, client;

    pfx_enter(&s, SERVICE, 0);
    for (int server_closes = 1; server_closes >= 0; server_closes--) {
        HANDLE writer, reader;

        server = create_pipe(PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1);
        client = open_client(0);
        writer = server_closes ? server : client;
        reader = server_closes ? client : server;
        CU_ASSERT(WriteFile(writer, data, sizeof(data), &n, NULL));
        CU_ASSERT(CloseHandle(writer));
        /* A zero-byte read of a waiting message: success in byte read
         * mode; in message read mode ERROR_MORE_DATA ("ret ||
         * GetLastError() == ERROR_MORE_DATA >= Win 8"). */
        n = 0xdeadbeef;
        SetLastError(0xdeadbeef);
        CU_ASSERT_EQUAL(ReadFile(reader, buffer, 0, &n, NULL), server_closes);
        if (!server_closes)
            CU_ASSERT_EQUAL(GetLastError(), ERROR_MORE_DATA);
        CU_ASSERT_EQUAL(n, 0);
        CU_ASSERT(PeekNamedPipe(reader, NULL, 0, NULL, &n, NULL));
        CU_ASSERT_EQUAL(n, sizeof(data));
        CU_ASSERT(ReadFile(reader, buffer, sizeof(buffer), &n, NULL));
        CU_ASSERT_EQUAL(n, sizeof(data));
        if (server_closes) {
            DWORD state = PIPE_READMODE_MESSAGE | PIPE_WAIT;

            CU_ASSERT(SetNamedPipeHandleState(reader, &state, NULL, NULL));
        }
        SetLastError(0xdeadbeef);
        CU_ASSERT(!ReadFile(reader, buffer, 0, &n, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_BROKEN_PIPE);
        n = 0xdeadbeef;
        CU_ASSERT(!PeekNamedPipe(reader, NULL, 0, NULL, &n, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_BROKEN_PIPE);
        CU_ASSERT_EQUAL(n, 0xdeadbeef);
        CU_ASSERT(!WriteFile(reader, data, sizeof(data), &n, NULL));
        CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_DATA);
        CU_ASSERT(CloseHandle(reader));
    }
    pfx_leave(&s);
}

/* Wine's test_nowait, on Windows: PIPE_NOWAIT reads of an empty pipe are
 * ERROR_NO_DATA, ConnectNamedPipe is ERROR_PIPE_LISTENING, and after a
 * client came and went ERROR_NO_DATA until DisconnectNamedPipe. */
static void wine_test_nowait(void)
{
    char buf[8];
    DWORD n;
    struct pfx_service s;
    HANDLE server, client;

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_TYPE_BYTE | PIPE_NOWAIT, 1);
    CU_ASSERT(!ConnectNamedPipe(server, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_LISTENING);
    client = CreateFileW(pipe_name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CU_ASSERT_FATAL(client != INVALID_HANDLE_VALUE);
    CU_ASSERT(!ReadFile(server, buf, sizeof(buf), &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_DATA);
    CU_ASSERT(WriteFile(client, "bits", 5, &n, NULL));
    CU_ASSERT(ReadFile(server, buf, sizeof(buf), &n, NULL));
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(!ConnectNamedPipe(server, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_DATA);
    CU_ASSERT(DisconnectNamedPipe(server));
    CU_ASSERT(!ConnectNamedPipe(server, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_LISTENING);
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
}

/* Wine's test_namedpipe_process_id, on Windows (its todo_wine lines
 * included): NULL output ERROR_INSUFFICIENT_BUFFER; both ends report the
 * client's and the server's process; a disconnected server
 * ERROR_NOT_FOUND for the client, a disconnected client
 * ERROR_PIPE_NOT_CONNECTED. The ids here are of two processes. */
static void wine_test_namedpipe_process_id(void)
{
    struct ntsec_process *other = pfx_process(SERVICE, 0);
    DWORD me, them;
    ULONG pid;
    struct pfx_service s;
    HANDLE server, client;

    pfx_enter(&s, SERVICE, 0);
    me = GetCurrentProcessId();
    them = ntsec_process_id(other);
    server = create_pipe(PIPE_TYPE_BYTE, 1);
    CU_ASSERT_FATAL(ntsec_thread_bind(other) == NTSEC_STATUS_SUCCESS);
    client = open_client(0);
    CU_ASSERT(!GetNamedPipeClientProcessId(client, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT(GetNamedPipeClientProcessId(client, &pid) && pid == them);
    CU_ASSERT(GetNamedPipeServerProcessId(client, &pid) && pid == me);
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(GetNamedPipeClientProcessId(server, &pid) && pid == them);
    CU_ASSERT(GetNamedPipeServerProcessId(server, &pid) && pid == me);
    CU_ASSERT(!GetNamedPipeServerProcessId(server, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT(DisconnectNamedPipe(server));
    CU_ASSERT(!GetNamedPipeClientProcessId(server, &pid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_FOUND);
    CU_ASSERT(GetNamedPipeServerProcessId(server, &pid) && pid == me);
    CU_ASSERT_FATAL(ntsec_thread_bind(other) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!GetNamedPipeClientProcessId(client, &pid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CU_ASSERT(!GetNamedPipeServerProcessId(client, &pid));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT_FATAL(ntsec_thread_bind(s.process) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
    ntsec_object_put(other);
}

/* Wine's test_NamedPipeHandleState, on Windows: a byte-type pipe cannot
 * be read in message mode at either end (ERROR_INVALID_PARAMETER); a
 * message-type pipe switches both ways. SetNamedPipeHandleState's
 * collection arguments "must be NULL" on a local pipe (Microsoft docs). */
static void wine_test_namedpipehandlestate(void)
{
    DWORD state, count = 1;
    struct pfx_service s;
    HANDLE server, client;

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_TYPE_BYTE | PIPE_WAIT, 1);
    state = PIPE_READMODE_MESSAGE;
    CU_ASSERT(!SetNamedPipeHandleState(server, &state, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    client = open_client(0);
    state = PIPE_READMODE_BYTE;
    CU_ASSERT(SetNamedPipeHandleState(client, &state, NULL, NULL));
    state = PIPE_READMODE_MESSAGE;
    CU_ASSERT(!SetNamedPipeHandleState(client, &state, NULL, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT(!SetNamedPipeHandleState(client, NULL, &count, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(client);
    CloseHandle(server);
    server = create_pipe(PIPE_TYPE_MESSAGE | PIPE_WAIT, 1);
    state = PIPE_READMODE_BYTE;
    CU_ASSERT(SetNamedPipeHandleState(server, &state, NULL, NULL));
    client = open_client(0);
    state = PIPE_READMODE_MESSAGE;
    CU_ASSERT(SetNamedPipeHandleState(client, &state, NULL, NULL));
    state = PIPE_READMODE_BYTE;
    CU_ASSERT(SetNamedPipeHandleState(client, &state, NULL, NULL));
    CloseHandle(client);
    CloseHandle(server);
    pfx_leave(&s);
}

/* What ntsec does not emulate, and bad arguments: CreateFileW on a path
 * that is not a pipe, and an OVERLAPPED argument, are
 * ERROR_NOT_SUPPORTED (docs/pipes.md); ReadFile/WriteFile on a handle that
 * is not a pipe are ERROR_INVALID_HANDLE, as NtReadFile on a non-file
 * object (STATUS_OBJECT_TYPE_MISMATCH); a NULL buffer ERROR_NOACCESS; an
 * unknown disposition ERROR_INVALID_PARAMETER; a handle without
 * FILE_WRITE_DATA cannot write (ERROR_ACCESS_DENIED). */
static void unsupported_and_bad_arguments(void)
{
    OVERLAPPED ov = { 0 };
    char buf[4];
    DWORD n = 7;
    struct pfx_service s;
    HANDLE server, client, token;

    pfx_enter(&s, SERVICE, 0);
    CU_ASSERT_EQUAL(CreateFileW(u"C:\\windows\\win.ini", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0,
                                NULL), INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(CreateFileW(pipe_name, GENERIC_READ, 0, NULL, 0, 0, NULL),
                    INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    CU_ASSERT(!WaitNamedPipeW(NULL, 0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PATH_NOT_FOUND);
    server = create_pipe(PIPE_TYPE_BYTE, 1);
    CU_ASSERT(!ConnectNamedPipe(server, &ov));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_SUPPORTED);
    client = CreateFileW(pipe_name, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
                         NULL);
    CU_ASSERT_FATAL(client != INVALID_HANDLE_VALUE);
    CU_ASSERT(!ReadFile(client, buf, 1, &n, &ov));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT(!WriteFile(client, "x", 1, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!ReadFile(server, NULL, 1, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOACCESS);
    CU_ASSERT_FATAL(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    CU_ASSERT(!ReadFile(token, buf, 1, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT(!WriteFile((HANDLE)0x1234, "x", 1, &n, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT(!ImpersonateNamedPipeClient(token));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    CU_ASSERT(!ImpersonateNamedPipeClient(client));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_FUNCTION);
    CU_ASSERT(!DisconnectNamedPipe(client));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_FUNCTION);
    CloseHandle(token);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(CloseHandle(server));
    CU_ASSERT(!CloseHandle(server));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    pfx_leave(&s);
}

/* DuplicateHandle with an explicit access within the source handle's
 * needs no access check ("DuplicateHandle", Microsoft docs: the new
 * handle's access "can be" a subset) and gets the File type's generic
 * mapping; an access beyond it is refused even where the pipe's DACL
 * would grant it ("a file handle created with the GENERIC_READ access
 * right cannot be duplicated so that it has both the GENERIC_READ and
 * GENERIC_WRITE access right", DuplicateHandle, Remarks):
 * ERROR_ACCESS_DENIED (docs/pipes.md). */
static void duplicate_pipe_handle_with_explicit_access(void)
{
    struct pfx_service s;
    HANDLE server, client, dup = NULL;
    DWORD granted = 0;

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_TYPE_BYTE, 1);
    client = CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                         NULL);
    CU_ASSERT_FATAL(client != INVALID_HANDLE_VALUE);
    CU_ASSERT_FATAL(DuplicateHandle(GetCurrentProcess(), client, GetCurrentProcess(), &dup,
                                    GENERIC_READ, FALSE, 0));
    /* GENERIC_READ maps to FILE_GENERIC_READ: the server's data can be
     * read through the copy, nothing written. */
    CU_ASSERT_FATAL(WriteFile(server, "y", 1, &granted, NULL));
    {
        char c = 0;
        CU_ASSERT(ReadFile(dup, &c, 1, &granted, NULL));
        CU_ASSERT_EQUAL(c, 'y');
    }
    CU_ASSERT(!WriteFile(dup, "x", 1, &granted, NULL));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CloseHandle(dup);
    dup = NULL;
    CU_ASSERT(!DuplicateHandle(GetCurrentProcess(), client, GetCurrentProcess(), &dup,
                               WRITE_DAC, FALSE, 0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT_PTR_NULL(dup);
    CU_ASSERT(CloseHandle(client));
    CU_ASSERT(CloseHandle(server));
    pfx_leave(&s);
}

void register_tests(void)
{
    static CU_TestInfo security[] = {
        TEST(wine_test_impersonation),
        TEST(sqos_levels_reach_the_service),
        TEST(service_without_privilege_gets_identification),
        TEST(dacl_decides_who_may_open),
        CU_TEST_INFO_NULL,
    };
    static CU_TestInfo pipes[] = {
        TEST(wine_test_createnamedpipe),
        TEST(wine_test_instances_must_match),
        TEST(wine_test_disconnectnamedpipe),
        TEST(wine_test_closehandle),
        TEST(wine_test_nowait),
        TEST(wine_test_namedpipe_process_id),
        TEST(wine_test_namedpipehandlestate),
        TEST(unsupported_and_bad_arguments),
        TEST(duplicate_pipe_handle_with_explicit_access),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("kernel32_pipe_security", security);
    testutil_add_suite("kernel32_pipe", pipes);
}

/* test_emul_pipe_objsec.c - a named pipe's security descriptor through
 * its handles: GetKernelObjectSecurity / SetKernelObjectSecurity and
 * NtQuerySecurityObject / NtSetSecurityObject on a pipe end, the rights
 * each part needs on the handle, the descriptor shared by every instance
 * and end of the pipe (a change governs later opens), and DuplicateHandle
 * of a pipe end asking more than the source handle holds.
 *
 * Sources: Microsoft docs "SECURITY_INFORMATION" (the right each part
 * needs), GetKernelObjectSecurity, SetKernelObjectSecurity, "Named Pipe
 * Security and Access Rights", "SACL Access Right", DuplicateHandle
 * (Remarks: a file handle cannot be duplicated with more access). */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <ntsec/ntsec.h>
#include <sddl.h>
#include <string.h>

#include "pipefix.h"
#include "testutil.h"

#define SERVICE 1001u
#define CLIENT 1002u

static const WCHAR pipe_name[] = u"\\\\.\\pipe\\ntsec-objsec";

/* --- fixtures --------------------------------------------------------------- */

static HANDLE create_pipe(DWORD open_mode)
{
    HANDLE h = CreateNamedPipeW(pipe_name, open_mode, PIPE_TYPE_BYTE, 4, 0, 0, 0, NULL);

    CU_ASSERT_FATAL(h != INVALID_HANDLE_VALUE);
    return h;
}

static HANDLE open_end(DWORD access)
{
    HANDLE h = CreateFileW(pipe_name, access, 0, NULL, OPEN_EXISTING, 0, NULL);

    CU_ASSERT_FATAL(h != INVALID_HANDLE_VALUE);
    return h;
}

/* The parts `info` of the descriptor behind `h`, as SDDL in ASCII; an
 * empty string when the query fails (its error is then GetLastError()). */
static void sddl_of(HANDLE h, SECURITY_INFORMATION info, char *out, size_t n)
{
    BYTE buf[512];
    DWORD needed = 0;
    WCHAR *text = NULL;
    size_t i;

    out[0] = 0;
    if (!GetKernelObjectSecurity(h, info, buf, sizeof(buf), &needed))
        return;
    CU_ASSERT_FATAL(ConvertSecurityDescriptorToStringSecurityDescriptorW(buf, SDDL_REVISION_1, info,
                                                                         &text, NULL));
    for (i = 0; text[i] && i + 1 < n; i++)
        out[i] = (char)text[i];
    out[i] = 0;
    LocalFree(text);
}

static BOOL set_sddl(HANDLE h, SECURITY_INFORMATION info, const char *sddl)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    BOOL ok;

    CU_ASSERT_FATAL(ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1,
                                                                         &sd, NULL));
    ok = SetKernelObjectSecurity(h, info, sd);
    LocalFree(sd);
    return ok;
}

struct open_result {
    DWORD access;
    DWORD error;
    BOOL opened;
};

static void open_main(void *arg)
{
    struct open_result *r = arg;
    HANDLE h = CreateFileW(pipe_name, r->access, 0, NULL, OPEN_EXISTING, 0, NULL);

    r->error = GetLastError();
    r->opened = h != INVALID_HANDLE_VALUE;
    if (r->opened)
        CloseHandle(h);
}

/* CreateFileW of the pipe in a process of CLIENT (not an administrator):
 * 0 when it opened, else its last error. */
static DWORD open_as_client(DWORD access)
{
    struct ntsec_process *p = pfx_process(CLIENT, PFX_NOT_ADMIN);
    struct open_result r = { .access = access };
    struct pfx_thread t;

    pfx_start(&t, p, open_main, &r);
    pfx_join(&t);
    ntsec_object_put(p);
    return r.opened ? 0 : r.error;
}

#define DEFAULT_DACL \
    "D:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;S-1-5-21-1-2-3-1001)(A;;FR;;;WD)(A;;FR;;;AN)"

/* --- query ------------------------------------------------------------------- */

/* GetKernelObjectSecurity on a pipe end answers the pipe's descriptor
 * ("Named Pipe Security and Access Rights": the default DACL gives
 * LocalSystem, administrators and the creator owner full control,
 * Everyone and anonymous read); the handle needs READ_CONTROL
 * ("SECURITY_INFORMATION": right required to query), which a client
 * opened with access 0 lacks (ERROR_ACCESS_DENIED); a short buffer is
 * ERROR_INSUFFICIENT_BUFFER with the size needed (GetKernelObjectSecurity). */
static void pipe_descriptor_is_read_with_read_control(void)
{
    struct pfx_service s;
    HANDLE server, second, client, bare;
    char text[256];
    BYTE shortbuf[8];
    DWORD needed = 0;

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_ACCESS_DUPLEX);
    sddl_of(server, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT(strcmp(text, "O:S-1-5-21-1-2-3-1001" DEFAULT_DACL) == 0);

    CU_ASSERT(!GetKernelObjectSecurity(server, DACL_SECURITY_INFORMATION, shortbuf, sizeof(shortbuf),
                                       &needed));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT(needed > sizeof(shortbuf));

    /* Both ends see the one descriptor. */
    client = open_end(GENERIC_READ);
    sddl_of(client, DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT(strcmp(text, DEFAULT_DACL) == 0);
    CloseHandle(client);

    second = create_pipe(PIPE_ACCESS_DUPLEX);
    bare = open_end(0);
    sddl_of(bare, DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT_EQUAL(text[0], 0);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    needed = 0;
    CU_ASSERT_EQUAL(NtQuerySecurityObject(bare, OWNER_SECURITY_INFORMATION, shortbuf, sizeof(shortbuf),
                                          &needed),
                    STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(needed, 0);
    CloseHandle(bare);
    CloseHandle(second);
    CloseHandle(server);
    pfx_leave(&s);
}

/* --- set --------------------------------------------------------------------- */

/* SetKernelObjectSecurity of the DACL needs WRITE_DAC on the handle
 * ("SECURITY_INFORMATION": right required to set; CreateNamedPipeW's
 * dwOpenMode may ask WRITE_DAC for the server end); the new DACL is the
 * pipe's, so a later CreateFileW is checked against it ("Named Pipe
 * Security and Access Rights": the open is access-checked against the
 * pipe's descriptor), and a further instance sees it too. */
static void dacl_set_through_one_handle_governs_later_opens(void)
{
    struct pfx_service s;
    HANDLE plain, server, second;
    char text[256];

    pfx_enter(&s, SERVICE, 0);
    plain = create_pipe(PIPE_ACCESS_DUPLEX);
    server = create_pipe(PIPE_ACCESS_DUPLEX | WRITE_DAC);
    CU_ASSERT_EQUAL(open_as_client(GENERIC_READ), 0);

    /* Without WRITE_DAC on the handle: refused, nothing changes. */
    CU_ASSERT(!set_sddl(plain, DACL_SECURITY_INFORMATION, "D:(A;;GA;;;WD)"));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    sddl_of(server, DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT(strcmp(text, DEFAULT_DACL) == 0);

    CU_ASSERT(set_sddl(server, DACL_SECURITY_INFORMATION,
                       "D:(D;;GA;;;S-1-5-21-1-2-3-1002)(A;;GA;;;WD)"));
    sddl_of(plain, DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT(strcmp(text, "D:(D;;FA;;;S-1-5-21-1-2-3-1002)(A;;FA;;;WD)") == 0);
    CU_ASSERT_EQUAL(open_as_client(GENERIC_READ), ERROR_ACCESS_DENIED);

    /* A further instance is checked against, and shows, the new DACL. */
    second = create_pipe(PIPE_ACCESS_DUPLEX);
    sddl_of(second, DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT(strcmp(text, "D:(D;;FA;;;S-1-5-21-1-2-3-1002)(A;;FA;;;WD)") == 0);

    /* Everyone may write now: the DACL the change gave wins over the
     * default one, also for the user it used to refuse writing. */
    CU_ASSERT(set_sddl(server, DACL_SECURITY_INFORMATION, "D:(A;;GA;;;WD)"));
    CU_ASSERT_EQUAL(open_as_client(GENERIC_READ | GENERIC_WRITE), 0);
    CloseHandle(second);
    CloseHandle(server);
    CloseHandle(plain);
    pfx_leave(&s);
}

/* The owner: WRITE_OWNER on the handle (WRITE_OWNER shares its bit with
 * FILE_FLAG_FIRST_PIPE_INSTANCE in dwOpenMode, CreateNamedPipeW), and a
 * SID the caller may assign - its user or an SE_GROUP_OWNER group
 * (TOKEN_GROUPS; SetKernelObjectSecurity: ERROR_INVALID_OWNER). */
static void owner_needs_write_owner_and_an_assignable_sid(void)
{
    struct pfx_service s;
    HANDLE server;
    char text[64];

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_ACCESS_DUPLEX | WRITE_OWNER);
    CU_ASSERT(!set_sddl(server, OWNER_SECURITY_INFORMATION, "O:S-1-5-21-1-2-3-1002"));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_OWNER);
    CU_ASSERT(set_sddl(server, OWNER_SECURITY_INFORMATION, "O:BA"));
    sddl_of(server, OWNER_SECURITY_INFORMATION, text, 64);
    CU_ASSERT(strcmp(text, "O:BA") == 0);
    /* WRITE_DAC is not WRITE_OWNER. */
    CU_ASSERT(!set_sddl(server, DACL_SECURITY_INFORMATION, "D:(A;;GA;;;WD)"));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CloseHandle(server);
    pfx_leave(&s);
}

/* Bad input changes nothing: a descriptor of an unknown revision
 * (ERROR_UNKNOWN_REVISION), a NULL one (NtSetSecurityObject probes it:
 * STATUS_ACCESS_VIOLATION), a NULL ReturnLength (likewise), a closed
 * handle (ERROR_INVALID_HANDLE). */
static void bad_input_changes_nothing(void)
{
    struct pfx_service s;
    HANDLE server;
    SECURITY_DESCRIPTOR bad;
    char text[256];
    BYTE buf[256];

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_ACCESS_DUPLEX | WRITE_DAC);
    CU_ASSERT(InitializeSecurityDescriptor(&bad, SECURITY_DESCRIPTOR_REVISION));
    bad.Revision = 2;
    CU_ASSERT(!SetKernelObjectSecurity(server, DACL_SECURITY_INFORMATION, &bad));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_UNKNOWN_REVISION);
    CU_ASSERT_EQUAL(NtSetSecurityObject(server, DACL_SECURITY_INFORMATION, NULL),
                    STATUS_ACCESS_VIOLATION);
    CU_ASSERT_EQUAL(NtQuerySecurityObject(server, DACL_SECURITY_INFORMATION, buf, sizeof(buf),
                                          NULL),
                    STATUS_ACCESS_VIOLATION);
    sddl_of(server, DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT(strcmp(text, DEFAULT_DACL) == 0);
    CloseHandle(server);
    CU_ASSERT(!GetKernelObjectSecurity(server, DACL_SECURITY_INFORMATION, buf, sizeof(buf),
                                       &(DWORD){ 0 }));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    pfx_leave(&s);
}

/* A client end the server disconnected is attached to no pipe any more:
 * its descriptor cannot be read (ERROR_PIPE_NOT_CONNECTED, as every
 * other call on it; ntsec's choice, docs/pipes.md). */
static void disconnected_client_end_has_no_descriptor(void)
{
    struct pfx_service s;
    HANDLE server, client;
    BYTE buf[256];

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_ACCESS_DUPLEX);
    client = open_end(GENERIC_READ);
    CU_ASSERT(DisconnectNamedPipe(server));
    CU_ASSERT(!GetKernelObjectSecurity(client, DACL_SECURITY_INFORMATION, buf, sizeof(buf),
                                       &(DWORD){ 0 }));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PIPE_NOT_CONNECTED);
    CloseHandle(client);
    CloseHandle(server);
    pfx_leave(&s);
}

/* --- the SACL ----------------------------------------------------------------- */

/* A service process whose token holds SeSecurityPrivilege, disabled. */
static void enter_with_security_privilege(struct pfx_service *s)
{
    struct tf_token f;
    struct ntsec_luid_and_attributes privs[3];
    struct ntsec_token *t = NULL;

    tf_init(&f);
    memcpy(privs, f.privs, sizeof(f.privs));
    privs[2] = (struct ntsec_luid_and_attributes){ { NTSEC_SE_SECURITY_PRIVILEGE, 0 }, 0 };
    f.desc.privileges = privs;
    f.desc.privilege_count = 3;
    CU_ASSERT_FATAL(ntsec_token_create(&f.desc, &t) == NTSEC_STATUS_SUCCESS);
    s->home = ntsec_process_current();
    CU_ASSERT_FATAL(ntsec_process_create(t, "objsec", &s->process) == NTSEC_STATUS_SUCCESS);
    ntsec_token_put(t);
    CU_ASSERT_FATAL(ntsec_thread_bind(s->process) == NTSEC_STATUS_SUCCESS);
}

static void enable_security_privilege(void)
{
    HANDLE token;
    TOKEN_PRIVILEGES tp = { 1, { { { SE_SECURITY_PRIVILEGE, 0 }, SE_PRIVILEGE_ENABLED } } };

    CU_ASSERT_FATAL(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &token));
    CU_ASSERT_FATAL(AdjustTokenPrivileges(token, FALSE, &tp, 0, NULL, NULL));
    CloseHandle(token);
}

/* The SACL needs ACCESS_SYSTEM_SECURITY on the handle ("SECURITY_INFORMATION"),
 * which a handle gets only with SeSecurityPrivilege enabled ("SACL Access
 * Right": ERROR_PRIVILEGE_NOT_HELD without it) - the pipe's creator too. */
static void sacl_needs_access_system_security_and_the_privilege(void)
{
    struct pfx_service s;
    HANDLE server, plain;
    char text[128];

    enter_with_security_privilege(&s);
    plain = create_pipe(PIPE_ACCESS_DUPLEX);
    CU_ASSERT_EQUAL(CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX | ACCESS_SYSTEM_SECURITY,
                                     PIPE_TYPE_BYTE, 4, 0, 0, 0, NULL),
                    INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_PRIVILEGE_NOT_HELD);
    sddl_of(plain, SACL_SECURITY_INFORMATION, text, 128);
    CU_ASSERT_EQUAL(text[0], 0);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);

    enable_security_privilege();
    server = create_pipe(PIPE_ACCESS_DUPLEX | ACCESS_SYSTEM_SECURITY);
    CU_ASSERT(set_sddl(server, SACL_SECURITY_INFORMATION, "S:(AU;FA;GA;;;WD)"));
    sddl_of(server, SACL_SECURITY_INFORMATION, text, 128);
    CU_ASSERT(strcmp(text, "S:(AU;FA;FA;;;WD)") == 0);
    /* The SACL is the pipe's: another instance's handle without
     * ACCESS_SYSTEM_SECURITY still cannot read it. */
    sddl_of(plain, SACL_SECURITY_INFORMATION, text, 128);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CloseHandle(server);
    CloseHandle(plain);
    pfx_leave(&s);
}

/* --- DuplicateHandle ------------------------------------------------------------ */

/* "A file handle created with the GENERIC_READ access right cannot be
 * duplicated so that it has both the GENERIC_READ and GENERIC_WRITE
 * access right" (DuplicateHandle, Remarks): a pipe end's duplicate gets
 * no right beyond the source's even where the pipe's DACL would grant it
 * (ERROR_ACCESS_DENIED; ntsec's choice of error). Within the source's
 * access, or with DUPLICATE_SAME_ACCESS, it works, and the copy reads
 * the descriptor as the source does. */
static void duplicate_of_a_pipe_end_gets_no_more_than_the_source(void)
{
    struct pfx_service s;
    HANDLE server, client, dup = NULL;
    char text[256];

    pfx_enter(&s, SERVICE, 0);
    server = create_pipe(PIPE_ACCESS_DUPLEX);
    client = open_end(GENERIC_READ);                    /* the owner: FILE_ALL_ACCESS by DACL */
    CU_ASSERT(!DuplicateHandle(GetCurrentProcess(), client, GetCurrentProcess(), &dup,
                               GENERIC_READ | GENERIC_WRITE, FALSE, 0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT(!DuplicateHandle(GetCurrentProcess(), client, GetCurrentProcess(), &dup,
                               READ_CONTROL | WRITE_DAC, FALSE, 0));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ACCESS_DENIED);
    CU_ASSERT_PTR_NULL(dup);

    CU_ASSERT_FATAL(DuplicateHandle(GetCurrentProcess(), client, GetCurrentProcess(), &dup,
                                    READ_CONTROL, FALSE, 0));
    sddl_of(dup, DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT(strcmp(text, DEFAULT_DACL) == 0);
    CloseHandle(dup);
    CU_ASSERT_FATAL(DuplicateHandle(GetCurrentProcess(), client, GetCurrentProcess(), &dup, 0,
                                    FALSE, DUPLICATE_SAME_ACCESS));
    sddl_of(dup, DACL_SECURITY_INFORMATION, text, 256);
    CU_ASSERT(strcmp(text, DEFAULT_DACL) == 0);
    CloseHandle(dup);
    CloseHandle(client);
    CloseHandle(server);
    pfx_leave(&s);
}

void register_tests(void)
{
    static CU_TestInfo objsec[] = {
        TEST(pipe_descriptor_is_read_with_read_control),
        TEST(dacl_set_through_one_handle_governs_later_opens),
        TEST(owner_needs_write_owner_and_an_assignable_sid),
        TEST(bad_input_changes_nothing),
        TEST(disconnected_client_end_has_no_descriptor),
        TEST(sacl_needs_access_system_security_and_the_privilege),
        TEST(duplicate_of_a_pipe_end_gets_no_more_than_the_source),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("pipe_objsec", objsec);
}

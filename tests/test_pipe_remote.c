/* test_pipe_remote.c - named pipes between OS processes over the socket
 * transport (libsec/pipe_remote.c, pipe_link.c, sock_transport.c;
 * docs/pipes.md, "Between OS processes"). Every test forks its client
 * (or server) as a separate OS process; the Windows behaviour checked is
 * the in-process one of docs/pipes.md, with the identity the kernel
 * vouches for (SO_PEERCRED, SO_PEERGROUPS). The test with a child of
 * another uid needs root and prints a "skipped" line without it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "account.h"
#include "pipefix.h"
#include "testutil.h"
#include "tokfix.h"
#include "transportfix.h"

#define ECHO_PATH "\\\\.\\pipe\\Remote-Echo"
#define MSG_PIPE (NTSEC_PIPE_TYPE_MESSAGE | NTSEC_PIPE_READMODE_MESSAGE)
#define OTHER_UID 54321
#define OTHER_GROUP 54400

static bool has_sid(const struct ntsec_token *t, const struct ntsec_sid *sid)
{
    for (uint32_t i = 0; i < t->sid_count; i++)
        if (ntsec_sid_equal(t->sids[i].sid, sid))
            return true;
    return false;
}

static ntsec_status create_pipe(const char *path, uint32_t pipe_mode, const char *sddl,
                                ntsec_handle *h)
{
    void *sd = NULL;
    uint32_t size;
    ntsec_status st;
    struct ntsec_pipe_create_args a = {
        .name = path, .open_mode = NTSEC_PIPE_ACCESS_DUPLEX, .pipe_mode = pipe_mode,
        .max_instances = 1,
    };

    if (sddl)
        CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd(sddl, NULL, 1, &sd, &size, NULL),
                              NTSEC_STATUS_SUCCESS);
    a.sd = sd;
    st = ntsec_pipe_create(&a, h);
    ntsec_mem_free(sd);
    return st;
}

static bool read_is(ntsec_handle h, const char *want)
{
    char buf[64] = { 0 };
    uint32_t n = 0;

    return ntsec_pipe_read(h, buf, sizeof(buf) - 1, &n) == NTSEC_STATUS_SUCCESS &&
           n == strlen(want) && !memcmp(buf, want, n);
}

static bool write_ok(ntsec_handle h, const char *s)
{
    uint32_t n = 0;

    return ntsec_pipe_write(h, s, (uint32_t)strlen(s), &n) == NTSEC_STATUS_SUCCESS &&
           n == strlen(s);
}

/* --- messages both ways, the ids of both ends ----------------------------- */

/* The client opens by another case of the name ("Pipe names are not
 * case-sensitive", CreateNamedPipeW), writes two messages, reads one. */
static int child_echo(void *arg)
{
    ntsec_handle h = 0;
    uint32_t pid = 0;
    int bad = 0;

    (void)arg;
    if (ntsec_pipe_open("\\\\.\\PIPE\\remote-ECHO", PFX_RW, NULL, 0, &h) != NTSEC_STATUS_SUCCESS)
        return 1;
    child_tell('o');
    bad |= write_ok(h, "one") && write_ok(h, "two") ? 0 : 2;
    bad |= ntsec_pipe_set_mode(h, NTSEC_PIPE_READMODE_MESSAGE) == NTSEC_STATUS_SUCCESS ? 0 : 4;
    bad |= read_is(h, "pong") ? 0 : 8;
    /* GetNamedPipeServerProcessId: the server's OS process. */
    bad |= ntsec_pipe_server_process_id(h, &pid) == NTSEC_STATUS_SUCCESS &&
           pid == (uint32_t)getppid() ? 0 : 16;
    child_tell('r');
    ntsec_handle_close(h);
    return bad;
}

/* Wine's test_CreateNamedPipe (messages), test_CloseHandle (the client
 * closes: the server reads what is left, then ERROR_BROKEN_PIPE),
 * test_namedpipe_process_id; GetNamedPipeClientProcessId (Microsoft docs):
 * the peer's pid from SO_PEERCRED. NTSEC_TRANSPORT_DIR turns the
 * transport on. */
static void messages_cross_processes_both_ways(void)
{
    struct rig r;
    ntsec_handle h = 0;
    uint32_t pid = 0;
    struct stat st;
    char path[128];

    rig_up(&r, true);
    rig_fork(&r, child_echo, NULL);
    CU_ASSERT_EQUAL_FATAL(create_pipe(ECHO_PATH, MSG_PIPE, "D:(A;;GA;;;WD)", &h),
                          NTSEC_STATUS_SUCCESS);
    snprintf(path, sizeof(path), "%s/pipe/remote-echo", r.dir);
    CU_ASSERT(stat(path, &st) == 0 && S_ISSOCK(st.st_mode));
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 'o');
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_CONNECTED);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(h, &pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(pid, (uint32_t)r.child);
    CU_ASSERT(read_is(h, "one"));
    CU_ASSERT(read_is(h, "two"));
    CU_ASSERT(write_ok(h, "pong"));
    CU_ASSERT_EQUAL(rig_hear(&r), 'r');
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    CU_ASSERT_EQUAL(ntsec_pipe_read(h, path, sizeof(path), NULL), NTSEC_STATUS_PIPE_BROKEN);
    CU_ASSERT_EQUAL(ntsec_pipe_write(h, "x", 1, NULL), NTSEC_STATUS_PIPE_CLOSING);
    ntsec_handle_close(h);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
    CU_ASSERT(stat(path, &st) != 0);        /* the socket went with the pipe */
    rig_down(&r);
}

/* --- identity and level ------------------------------------------------------ */

struct open_plan {
    const char *path;
    uint32_t access;
    enum ntsec_impersonation_level level;
    uint8_t tracking;
    bool claim_other;           /* run as an emulated admin S-1-5-21-1-2-3-2000 */
    bool become_other;          /* take OTHER_UID before connecting (root) */
};

/* The child opens, says 'o', writes "hello", reads "done". */
static int child_open_talk(void *arg)
{
    const struct open_plan *p = arg;
    struct ntsec_sqos q = pfx_qos(p->level, p->tracking, 0);
    gid_t groups[] = { OTHER_GROUP };
    ntsec_handle h = 0;
    int bad = 0;

    if (p->claim_other &&
        ntsec_thread_bind(pfx_process(2000, PFX_IMPERSONATE)) != NTSEC_STATUS_SUCCESS)
        return 0x40;
    if (p->become_other && !child_become(OTHER_UID, OTHER_UID, groups, 1))
        return 0x40;
    if (ntsec_pipe_open(p->path, p->access, &q, 0, &h) != NTSEC_STATUS_SUCCESS)
        return 1;
    child_tell('o');
    bad |= write_ok(h, "hello") ? 0 : 2;
    bad |= read_is(h, "done") ? 0 : 4;
    ntsec_handle_close(h);
    return bad;
}

/* What the server saw of a child_open_talk client while impersonating it. */
struct seen {
    struct ntsec_token *token;              /* a reference, or NULL */
    enum ntsec_impersonation_level level;
    uint32_t pid;
    ntsec_status open_as_client;            /* opening "local-only" meanwhile */
};

/* Serve one child_open_talk client as a service with
 * SeImpersonatePrivilege (the child forked first: it inherits no pipe):
 * impersonate it before any read, look, revert, then talk. */
static void serve_talker(struct open_plan *plan, struct seen *out)
{
    struct pfx_service s;
    struct rig r;
    ntsec_handle h = 0, local = 0, c = 0;

    memset(out, 0, sizeof(*out));
    rig_up(&r, false);
    rig_fork(&r, child_open_talk, plan);
    pfx_enter(&s, 1001, PFX_IMPERSONATE);
    CU_ASSERT_EQUAL_FATAL(create_pipe(ECHO_PATH, 0, "D:(A;;GA;;;WD)", &h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(create_pipe("\\\\.\\pipe\\local-only", 0, "D:(A;;GA;;;WD)", &local),
                          NTSEC_STATUS_SUCCESS);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 'o');
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(h, &out->pid), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(out->pid, (uint32_t)r.child);
    CU_ASSERT_EQUAL(ntsec_pipe_impersonate_client(h), NTSEC_STATUS_SUCCESS);
    out->token = ntsec_thread_impersonation(ntsec_thread_current(), &out->level, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(out->token);
    out->open_as_client = ntsec_pipe_open("\\\\.\\pipe\\local-only", PFX_RW, NULL, 0, &c);
    if (c)
        ntsec_handle_close(c);
    ntsec_thread_revert(ntsec_thread_current());
    CU_ASSERT(read_is(h, "hello"));
    CU_ASSERT(write_ok(h, "done"));
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    ntsec_handle_close(local);
    ntsec_handle_close(h);
    pfx_leave(&s);
    rig_down(&r);
}

/* The server sees the client's kernel-vouched identity - not the
 * emulated admin its thread runs as - at the level it asked, and,
 * though it asked dynamic tracking, at once (ntsec's rule across OS
 * processes: the context is captured at the connect;
 * ImpersonateNamedPipeClient, Microsoft docs). */
static void server_sees_the_peers_kernel_identity(void)
{
    struct open_plan plan = { ECHO_PATH, PFX_RW, NTSEC_SECURITY_IMPERSONATION,
                              NTSEC_SECURITY_DYNAMIC_TRACKING, true, false };
    struct ntsec_sid want, claimed;
    struct seen v;

    serve_talker(&plan, &v);
    rig_unix_sid(true, geteuid(), &want);
    tf_sid(&claimed, "S-1-5-21-1-2-3-2000");
    if (v.token) {
        CU_ASSERT(ntsec_sid_equal(v.token->sids[0].sid, &want));
        CU_ASSERT(!has_sid(v.token, &claimed));
    }
    CU_ASSERT_EQUAL(v.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(v.open_as_client, NTSEC_STATUS_SUCCESS);
    ntsec_token_put(v.token);
}

/* A client asking Identification: the server impersonates at that level
 * and cannot open an object as the client (Wine's test_impersonation on
 * Windows, "Impersonation Levels": OpenThreadToken / a create below
 * Impersonation is ERROR_BAD_IMPERSONATION_LEVEL; docs/pipes.md step 3). */
static void identification_client_cannot_be_used_to_open(void)
{
    struct open_plan plan = { ECHO_PATH, PFX_RW, NTSEC_SECURITY_IDENTIFICATION,
                              NTSEC_SECURITY_STATIC_TRACKING, false, false };
    struct seen v;

    serve_talker(&plan, &v);
    CU_ASSERT_EQUAL(v.level, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(v.open_as_client, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    ntsec_token_put(v.token);
}

/* --- the pipe's DACL ---------------------------------------------------------- */

static int child_denied_then_reader(void *arg)
{
    ntsec_handle h = 0;
    int bad = 0;

    (void)arg;
    bad |= ntsec_pipe_open(ECHO_PATH, PFX_RW, NULL, 0, &h) == NTSEC_STATUS_ACCESS_DENIED ? 0 : 1;
    bad |= h == 0 ? 0 : 2;
    bad |= ntsec_pipe_open(ECHO_PATH, NTSEC_GENERIC_READ, NULL, 0, &h) == NTSEC_STATUS_SUCCESS
               ? 0 : 4;
    child_tell('o');
    bad |= read_is(h, "done") ? 0 : 8;
    ntsec_handle_close(h);
    return bad;
}

/* "Named Pipe Security and Access Rights" (Microsoft docs): the open is
 * checked against the pipe's DACL; a refused one is ERROR_ACCESS_DENIED
 * and leaves the instance listening for the next client. */
static void pipe_dacl_is_checked_against_the_peer(void)
{
    struct rig r;
    ntsec_handle h = 0;

    rig_up(&r, false);
    rig_fork(&r, child_denied_then_reader, NULL);
    CU_ASSERT_EQUAL_FATAL(create_pipe(ECHO_PATH, 0, "D:(A;;GR;;;WD)", &h), NTSEC_STATUS_SUCCESS);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 'o');
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_CONNECTED);
    CU_ASSERT(write_ok(h, "done"));
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    ntsec_handle_close(h);
    rig_down(&r);
}

/* --- disconnect, reconnect, the server closing ---------------------------------- */

static int child_disconnected(void *arg)
{
    char buf[8];
    ntsec_handle h = 0;
    int bad = 0;

    (void)arg;
    if (ntsec_pipe_open(ECHO_PATH, PFX_RW, NULL, 0, &h) != NTSEC_STATUS_SUCCESS)
        return 1;
    child_tell('o');
    bad |= read_is(h, "x") ? 0 : 2;
    child_tell('x');
    /* The server disconnects: ERROR_PIPE_NOT_CONNECTED both ways. */
    bad |= ntsec_pipe_read(h, buf, sizeof(buf), NULL) == NTSEC_STATUS_PIPE_DISCONNECTED ? 0 : 4;
    bad |= ntsec_pipe_write(h, "y", 1, NULL) == NTSEC_STATUS_PIPE_DISCONNECTED ? 0 : 8;
    ntsec_handle_close(h);
    child_tell('d');
    if (!child_wait_go() || ntsec_pipe_open(ECHO_PATH, PFX_RW, NULL, 0, &h) != NTSEC_STATUS_SUCCESS)
        return bad | 16;
    child_tell('O');
    /* The server closes: what it wrote first, then ERROR_BROKEN_PIPE;
     * a write ERROR_NO_DATA. */
    bad |= read_is(h, "bye") ? 0 : 32;
    bad |= ntsec_pipe_read(h, buf, sizeof(buf), NULL) == NTSEC_STATUS_PIPE_BROKEN ? 0 : 64;
    bad |= ntsec_pipe_write(h, "y", 1, NULL) == NTSEC_STATUS_PIPE_CLOSING ? 0 : 128;
    ntsec_handle_close(h);
    return bad;
}

/* Wine's test_DisconnectNamedPipe and test_CloseHandle (Windows results):
 * after DisconnectNamedPipe the client's reads and writes fail with
 * ERROR_PIPE_NOT_CONNECTED and the server has no client
 * (GetNamedPipeClientProcessId ERROR_NOT_FOUND); ConnectNamedPipe takes
 * the next client; a server that closes leaves its data to be read, then
 * ERROR_BROKEN_PIPE. */
static void disconnect_and_close_reach_the_other_process(void)
{
    struct rig r;
    ntsec_handle h = 0;
    uint32_t pid = 0;

    rig_up(&r, false);
    rig_fork(&r, child_disconnected, NULL);
    CU_ASSERT_EQUAL_FATAL(create_pipe(ECHO_PATH, 0, "D:(A;;GA;;;WD)", &h), NTSEC_STATUS_SUCCESS);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 'o');
    CU_ASSERT(write_ok(h, "x"));
    CU_ASSERT_EQUAL(rig_hear(&r), 'x');
    CU_ASSERT_EQUAL(ntsec_pipe_disconnect(h), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_client_process_id(h, &pid), NTSEC_STATUS_NOT_FOUND);
    CU_ASSERT_EQUAL(ntsec_pipe_impersonate_client(h), NTSEC_STATUS_CANNOT_IMPERSONATE);
    CU_ASSERT_EQUAL(rig_hear(&r), 'd');
    CU_ASSERT_EQUAL(ntsec_pipe_set_mode(h, NTSEC_PIPE_NOWAIT), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_LISTENING);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 'O');
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_CONNECTED);
    CU_ASSERT(write_ok(h, "bye"));
    ntsec_handle_close(h);
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
    rig_down(&r);
}

/* --- bytes that claim an identity ----------------------------------------------- */

static int raw_connect(const char *dir)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int s = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(a.sun_path, sizeof(a.sun_path), "%s/pipe/remote-echo", dir);
    if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(s);
        s = -1;
    }
    return s;
}

/* A frame as the transport writes them: type, length, body. */
static bool raw_send(int s, uint32_t type, const void *body, uint32_t len)
{
    uint32_t words[2] = { type, len };

    return write(s, words, sizeof(words)) == sizeof(words) &&
           write(s, body, len) == (ssize_t)len;
}

static int child_forger(void *arg)
{
    static const char claim[] = "S-1-5-18 uid=0 pid=1";
    uint32_t reply[6] = { 0 };
    int s = raw_connect(arg), bad = 0;

    if (s < 0)
        return 1;
    /* A frame naming SYSTEM where the open belongs: refused, no client. */
    bad |= raw_send(s, 3 /* DATA */, claim, sizeof(claim)) ? 0 : 2;
    bad |= read(s, reply, sizeof(reply)) == 24 && reply[0] == 2 /* OPENED */ &&
           reply[2] == (uint32_t)NTSEC_STATUS_INVALID_PARAMETER ? 0 : 4;
    close(s);
    child_tell('f');
    return bad;
}

/* Only the kernel names the client (docs/linux.md, "Peers over Unix
 * sockets"): bytes in the stream claiming SYSTEM are not an open, and
 * the instance still listens. */
static void forged_bytes_get_no_client(void)
{
    struct rig r;
    ntsec_handle h = 0;

    rig_up(&r, false);
    rig_fork(&r, child_forger, r.dir);
    CU_ASSERT_EQUAL_FATAL(create_pipe(ECHO_PATH, NTSEC_PIPE_NOWAIT, "D:(A;;GA;;;WD)", &h),
                          NTSEC_STATUS_SUCCESS);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 'f');
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    CU_ASSERT_EQUAL(ntsec_pipe_listen(h), NTSEC_STATUS_PIPE_LISTENING);
    CU_ASSERT_EQUAL(ntsec_pipe_impersonate_client(h), NTSEC_STATUS_CANNOT_IMPERSONATE);
    ntsec_handle_close(h);
    rig_down(&r);
}

/* --- the transport off, names, the socket file ---------------------------------- */

/* Without a rendezvous directory pipes stay in the process: a name no
 * thread serves is ERROR_FILE_NOT_FOUND as before (docs/pipes.md). */
static void transport_off_is_in_process_only(void)
{
    ntsec_handle h = 0;

    unsetenv("NTSEC_TRANSPORT_DIR");
    CU_ASSERT_EQUAL(ntsec_transport_set_dir(NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_pipe_open("\\\\.\\pipe\\nowhere", PFX_RW, NULL, 0, &h),
                    NTSEC_STATUS_OBJECT_NAME_NOT_FOUND);
    /* Names no socket could carry still work inside the process. */
    CU_ASSERT_EQUAL(create_pipe("\\\\.\\pipe\\a/../b", 0, NULL, &h), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(h);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
}

/* ntsec_transport_set_dir: an absolute path of at most
 * NTSEC_TRANSPORT_DIR_MAX bytes; anything else is refused and changes
 * nothing. */
static void transport_dir_bad_input(void)
{
    char long_dir[NTSEC_TRANSPORT_DIR_MAX + 8];
    struct rig r;
    ntsec_handle h = 0;
    int s;

    memset(long_dir, 'a', sizeof(long_dir));
    long_dir[0] = '/';
    long_dir[sizeof(long_dir) - 1] = 0;
    rig_up(&r, false);
    CU_ASSERT_EQUAL(ntsec_transport_set_dir(""), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_transport_set_dir("relative/dir"), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_transport_set_dir(long_dir), NTSEC_STATUS_INVALID_PARAMETER);
    /* Still r.dir: a pipe listens there. */
    CU_ASSERT_EQUAL(create_pipe(ECHO_PATH, 0, NULL, &h), NTSEC_STATUS_SUCCESS);
    s = raw_connect(r.dir);
    CU_ASSERT(s >= 0);
    if (s >= 0)
        close(s);
    ntsec_handle_close(h);
    rig_down(&r);
}

/* Names that would leave DIR/pipe are refused when the transport is on
 * (ntsec's choice, docs/pipes.md): CreateNamedPipe ERROR_INVALID_NAME,
 * CreateFile too; nothing is created. */
static void names_that_escape_are_refused(void)
{
    static const char *const bad[] = {
        "\\\\.\\pipe\\..", "\\\\.\\pipe\\.", "\\\\.\\pipe\\../etc", "\\\\.\\pipe\\a/b",
    };
    struct rig r;
    ntsec_handle h = 0;

    rig_up(&r, false);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CU_ASSERT_EQUAL(create_pipe(bad[i], 0, NULL, &h), NTSEC_STATUS_OBJECT_NAME_INVALID);
        CU_ASSERT_EQUAL(ntsec_pipe_open(bad[i], PFX_RW, NULL, 0, &h),
                        NTSEC_STATUS_OBJECT_NAME_INVALID);
        CU_ASSERT_EQUAL(h, 0);
    }
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
    /* Nobody listening: ERROR_FILE_NOT_FOUND. */
    CU_ASSERT_EQUAL(ntsec_pipe_open("\\\\.\\pipe\\nobody", PFX_RW, NULL, 0, &h),
                    NTSEC_STATUS_OBJECT_NAME_NOT_FOUND);
    rig_down(&r);
}

/* A socket file left by a process gone is replaced; a name another
 * process serves cannot get an instance here (ntsec's choice:
 * ERROR_ACCESS_DENIED). */
static int child_serves(void *arg)
{
    ntsec_handle h = 0;

    (void)arg;
    if (create_pipe(ECHO_PATH, 0, NULL, &h) != NTSEC_STATUS_SUCCESS)
        return 1;
    child_tell('s');
    child_wait_go();
    ntsec_handle_close(h);
    return 0;
}

static void stale_socket_replaced_live_one_kept(void)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    struct rig r;
    ntsec_handle h = 0;
    int s;

    rig_up(&r, false);
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/pipe", r.dir);
    CU_ASSERT_EQUAL(mkdir(a.sun_path, 0755), 0);
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/pipe/remote-echo", r.dir);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    CU_ASSERT_EQUAL(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    close(s);                               /* no listener: left over */
    CU_ASSERT_EQUAL(create_pipe(ECHO_PATH, 0, NULL, &h), NTSEC_STATUS_SUCCESS);
    ntsec_handle_close(h);

    rig_fork(&r, child_serves, NULL);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 's');
    h = 0;
    CU_ASSERT_EQUAL(create_pipe(ECHO_PATH, 0, NULL, &h), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(h, 0);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    rig_down(&r);
}

/* --- allocation failure ------------------------------------------------------------ */

#define SPARE_INSTANCES 24

/* Each allocation of the client's open failing in turn: NTSEC_STATUS_NO_MEMORY,
 * no handle, nothing left allocated; then it succeeds. Each attempt
 * takes a listening instance of the server (it saw a client come and go). */
static int child_open_without_memory(void *arg)
{
    ntsec_handle h = 0;
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;
    int bad = 0, n;

    (void)arg;
    for (n = 0; n < SPARE_INSTANCES - 1 && st == NTSEC_STATUS_NO_MEMORY; n++) {
        long live = testutil_live();

        testutil_fail_alloc_after(n);
        st = ntsec_pipe_open(ECHO_PATH, PFX_RW, NULL, 0, &h);
        testutil_fail_alloc_after(-1);
        if (st == NTSEC_STATUS_NO_MEMORY)
            bad |= testutil_live() == live && h == 0 ? 0 : 1;
    }
    bad |= st == NTSEC_STATUS_SUCCESS && n > 1 ? 0 : 2;
    bad |= write_ok(h, "fine") ? 0 : 4;
    ntsec_handle_close(h);
    child_tell('o');
    return bad;
}

static void open_without_memory_changes_nothing(void)
{
    ntsec_handle h[SPARE_INSTANCES] = { 0 };
    struct ntsec_pipe_create_args a = {
        .name = ECHO_PATH, .open_mode = NTSEC_PIPE_ACCESS_DUPLEX,
        .max_instances = NTSEC_PIPE_UNLIMITED_INSTANCES,
    };
    uint32_t size;
    void *sd = NULL;
    struct rig r;

    rig_up(&r, false);
    rig_fork(&r, child_open_without_memory, NULL);
    CU_ASSERT_EQUAL_FATAL(ntsec_sddl_to_sd("D:(A;;GA;;;WD)", NULL, 1, &sd, &size, NULL),
                          NTSEC_STATUS_SUCCESS);
    a.sd = sd;
    for (int i = 0; i < SPARE_INSTANCES; i++)
        CU_ASSERT_EQUAL(ntsec_pipe_create(&a, &h[i]), NTSEC_STATUS_SUCCESS);
    ntsec_mem_free(sd);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 'o');
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    for (int i = 0; i < SPARE_INSTANCES; i++)
        ntsec_handle_close(h[i]);
    CU_ASSERT_EQUAL(ntsec_pipe_count(), 0);
    rig_down(&r);
}

/* --- another user (root) ----------------------------------------------------------- */

static int child_other_user_denied(void *arg)
{
    ntsec_handle h = 0;
    gid_t groups[] = { OTHER_GROUP };

    (void)arg;
    if (!child_become(OTHER_UID, OTHER_UID, groups, 1))
        return 0x40;
    /* The default DACL gives Everyone read only. */
    return ntsec_pipe_open(ECHO_PATH, PFX_RW, NULL, 0, &h) == NTSEC_STATUS_ACCESS_DENIED ? 0 : 1;
}

/* A child that switched to uid 54321 before connecting is that user to
 * the server, with its groups (SO_PEERCRED, SO_PEERGROUPS mapped through
 * the world), and the default DACL gives that user read only ("Named
 * Pipe Security and Access Rights"). Needs root. */
static void another_user_is_seen_as_such(void)
{
    struct open_plan plan = { ECHO_PATH, PFX_RW, NTSEC_SECURITY_IMPERSONATION,
                              NTSEC_SECURITY_STATIC_TRACKING, false, true };
    struct ntsec_sid user, group;
    struct seen v;
    struct rig r;
    ntsec_handle h = 0;

    if (geteuid() != 0) {
        fprintf(stderr, "\n  skipped: another user over a pipe (needs root)\n");
        return;
    }
    rig_up(&r, false);
    rig_fork(&r, child_other_user_denied, NULL);
    CU_ASSERT_EQUAL_FATAL(create_pipe(ECHO_PATH, 0, NULL, &h), NTSEC_STATUS_SUCCESS);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    ntsec_handle_close(h);
    rig_down(&r);

    serve_talker(&plan, &v);
    rig_unix_sid(true, OTHER_UID, &user);
    rig_unix_sid(false, OTHER_GROUP, &group);
    if (v.token) {
        CU_ASSERT(ntsec_sid_equal(v.token->sids[0].sid, &user));
        CU_ASSERT(has_sid(v.token, &group));
        CU_ASSERT(!ntsec_token_is_admin(v.token));
    }
    ntsec_token_put(v.token);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(messages_cross_processes_both_ways),   /* first: uses the environment */
        TEST(server_sees_the_peers_kernel_identity),
        TEST(identification_client_cannot_be_used_to_open),
        TEST(pipe_dacl_is_checked_against_the_peer),
        TEST(disconnect_and_close_reach_the_other_process),
        TEST(forged_bytes_get_no_client),
        TEST(transport_off_is_in_process_only),
        TEST(transport_dir_bad_input),
        TEST(names_that_escape_are_refused),
        TEST(stale_socket_replaced_live_one_kept),
        TEST(open_without_memory_changes_nothing),
        TEST(another_user_is_seen_as_such),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("pipe_remote", tests);
}

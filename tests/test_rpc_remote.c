/* test_rpc_remote.c - ncalrpc calls between OS processes over the socket
 * transport (libsec/rpc_remote.c, sock_transport.c; docs/rpc.md,
 * "Between OS processes"). The client is a forked OS process; the
 * server's handler records what its thread saw. The identity is the
 * one the kernel vouches for (SO_PEERCRED, SO_PEERGROUPS); the call's
 * level and service are ncalrpc's ("Authentication-Level Constants":
 * ncalrpc always PKT_PRIVACY; Wine's dlls/rpcrt4/tests/server.c on
 * Windows: WINNT, the client's DOMAIN\user). The test with a child of
 * another uid needs root and prints a "skipped" line without it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "account.h"
#include "rpcfix.h"
#include "testutil.h"
#include "tokfix.h"
#include "transportfix.h"

#define OTHER_UID 54321
#define OTHER_GROUP 54400

/* --- the server: what its handler saw -------------------------------------- */

static struct {
    pthread_mutex_t lock;
    int calls;
    ntsec_status impersonate, inq;
    enum ntsec_impersonation_level level;
    char user[80];
    char principal[256];
    uint32_t authn_level, service;
    bool has_group;
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void seen_reset(void)
{
    pthread_mutex_lock(&seen.lock);
    seen.calls = 0;
    seen.user[0] = seen.principal[0] = 0;
    pthread_mutex_unlock(&seen.lock);
}

static struct ntsec_sid other_group;

/* opnum 1: impersonate, look, revert, inquire; answer "pong" + in.
 * opnum 2: refuse with ACCESS_DENIED. */
static ntsec_status handler(struct ntsec_rpc_call *call, void *arg, const void *in,
                            size_t in_len, void **out, size_t *out_len)
{
    struct ntsec_rpc_client_info info;
    struct ntsec_token *t;

    (void)arg;
    if (ntsec_rpc_call_opnum(call) == 2)
        return NTSEC_STATUS_ACCESS_DENIED;
    pthread_mutex_lock(&seen.lock);
    seen.calls++;
    seen.impersonate = ntsec_rpc_impersonate_client(NULL);
    t = ntsec_thread_impersonation(ntsec_thread_current(), &seen.level, NULL, NULL);
    if (t) {
        ntsec_sid_format(t->sids[0].sid, seen.user, sizeof(seen.user));
        seen.has_group = false;
        for (uint32_t i = 0; i < t->sid_count; i++)
            seen.has_group |= ntsec_sid_equal(t->sids[i].sid, &other_group);
    }
    ntsec_token_put(t);
    ntsec_rpc_revert_to_self(NULL);
    seen.inq = ntsec_rpc_inq_auth_client(NULL, &info);
    if (ntsec_success(seen.inq)) {
        snprintf(seen.principal, sizeof(seen.principal), "%s", info.principal);
        seen.authn_level = info.level;
        seen.service = info.service;
    }
    pthread_mutex_unlock(&seen.lock);
    if (!(*out = ntsec_mem_alloc(in_len + 4)))
        return NTSEC_STATUS_NO_MEMORY;
    memcpy(*out, "pong", 4);
    if (in_len)
        memcpy((char *)*out + 4, in, in_len);
    *out_len = in_len + 4;
    return NTSEC_STATUS_SUCCESS;
}

static void serve(struct rf_server *s, const char *endpoint)
{
    struct rf_server_spec spec = { .user = "SYSTEM", .endpoint = endpoint };

    seen_reset();
    rf_server_start(s, &spec, handler, NULL);
}

/* The SID string of a uid as the world maps it. */
static void unix_user(unsigned uid, char *text, size_t size)
{
    struct ntsec_sid sid;

    rig_unix_sid(true, uid, &sid);
    ntsec_sid_format(&sid, text, size);
}

/* "DOMAIN\user" of that SID, or the SID string ([RIAC] in rpc_call.c). */
static void principal_of(const char *sid_text, char *out, size_t size)
{
    struct ntsec_sid sid;
    char name[128], domain[128];
    size_t n = sizeof(name), d = sizeof(domain);
    enum ntsec_sid_use use;

    tf_sid(&sid, sid_text);
    if (ntsec_account_lookup_sid(&sid, name, &n, domain, &d, &use) == NTSEC_STATUS_SUCCESS)
        snprintf(out, size, "%s%s%s", domain, *domain ? "\\" : "", name);
    else
        snprintf(out, size, "%s", sid_text);
}

/* --- the client (a forked process) ------------------------------------------ */

struct call_plan {
    const char *binding;
    uint32_t imp_level;             /* 0: no RpcBindingSetAuthInfo */
    uint32_t opnum;
    ntsec_status want;
    bool become_other;
};

static int child_call(void *arg)
{
    const struct call_plan *p = arg;
    struct ntsec_rpc_qos qos = { 1, 0, NTSEC_RPC_QOS_IDENTITY_STATIC, p->imp_level };
    struct ntsec_rpc_auth_info a = { .level = NTSEC_AUTHN_LEVEL_PKT_PRIVACY,
                                     .service = NTSEC_RPC_AUTHN_WINNT, .qos = &qos };
    gid_t groups[] = { OTHER_GROUP };
    struct ntsec_rpc_binding *b = NULL;
    void *out = NULL;
    size_t out_len = 0;
    ntsec_status st;
    int bad = 0;

    if (p->become_other && !child_become(OTHER_UID, OTHER_UID, groups, 1))
        return 0x40;
    if (ntsec_rpc_binding_from_string(p->binding, &b) != NTSEC_STATUS_SUCCESS)
        return 1;
    if (p->imp_level && ntsec_rpc_binding_set_auth_info(b, &a) != NTSEC_STATUS_SUCCESS)
        bad |= 2;
    st = ntsec_rpc_call(b, p->opnum, "ping", 4, &out, &out_len);
    bad |= st == p->want ? 0 : 4;
    if (ntsec_success(st))
        bad |= out_len == 8 && !memcmp(out, "pongping", 8) ? 0 : 8;
    else
        bad |= out == NULL ? 0 : 16;
    ntsec_mem_free(out);
    ntsec_rpc_binding_free(b);
    return bad;
}

/* Fork the client first (it must not inherit the endpoint), then serve
 * `endpoint` and let the client call. */
static int call_from_child(struct rig *r, struct call_plan *p, struct rf_server *s,
                           const char *endpoint)
{
    rig_fork(r, child_call, p);
    serve(s, endpoint);
    rig_go(r);
    return rig_end(r);
}

/* --- tests -------------------------------------------------------------------- */

/* RpcImpersonateClient and RpcBindingInqAuthClient in the server's
 * handler for a client in another process: the client's kernel-vouched
 * account at the default level (IMPERSONATE), PKT_PRIVACY, WINNT, its
 * DOMAIN\user; the endpoint name without case; out bytes back. */
static void call_carries_the_peers_identity(void)
{
    struct call_plan p = { "ncalrpc:[remote-svc]", 0, 1, NTSEC_STATUS_SUCCESS, false };
    struct rf_server s;
    struct rig r;
    char want[80], principal[256];

    rig_up(&r, false);
    CU_ASSERT_EQUAL(call_from_child(&r, &p, &s, "Remote-Svc"), 0);
    unix_user(geteuid(), want, sizeof(want));
    principal_of(want, principal, sizeof(principal));
    pthread_mutex_lock(&seen.lock);
    CU_ASSERT_EQUAL(seen.calls, 1);
    CU_ASSERT_EQUAL(seen.impersonate, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(seen.level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_STRING_EQUAL(seen.user, want);
    CU_ASSERT_EQUAL(seen.inq, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(seen.principal, principal);
    CU_ASSERT_EQUAL(seen.authn_level, NTSEC_AUTHN_LEVEL_PKT_PRIVACY);
    CU_ASSERT_EQUAL(seen.service, NTSEC_RPC_AUTHN_WINNT);
    pthread_mutex_unlock(&seen.lock);
    rf_server_stop(&s);
    rig_down(&r);
}

/* RPC_SECURITY_QOS ImpersonationType IDENTIFY (Microsoft docs; on
 * ncalrpc WINNT honours it): the server's thread impersonates at
 * Identification. */
static void requested_level_is_honoured(void)
{
    struct call_plan p = { "ncalrpc:[remote-svc]", NTSEC_RPC_IMP_LEVEL_IDENTIFY, 1,
                           NTSEC_STATUS_SUCCESS, false };
    struct rf_server s;
    struct rig r;

    rig_up(&r, false);
    CU_ASSERT_EQUAL(call_from_child(&r, &p, &s, "remote-svc"), 0);
    pthread_mutex_lock(&seen.lock);
    CU_ASSERT_EQUAL(seen.calls, 1);
    CU_ASSERT_EQUAL(seen.level, NTSEC_SECURITY_IDENTIFICATION);
    pthread_mutex_unlock(&seen.lock);
    rf_server_stop(&s);
    rig_down(&r);
}

/* The handler's status is the call's (ntsec_rpc_call, docs/rpc.md). */
static void handler_status_reaches_the_client(void)
{
    struct call_plan p = { "ncalrpc:[remote-svc]", 0, 2, NTSEC_STATUS_ACCESS_DENIED, false };
    struct rf_server s;
    struct rig r;

    rig_up(&r, false);
    CU_ASSERT_EQUAL(call_from_child(&r, &p, &s, "remote-svc"), 0);
    rf_server_stop(&s);
    rig_down(&r);
}

/* No server: RPC_S_SERVER_UNAVAILABLE, with the transport on or off
 * (RpcBindingFromStringBinding, Remarks: found at the call); names no
 * socket can carry: RPC_S_INVALID_ENDPOINT_FORMAT (ntsec's choice). */
static void no_server_and_bad_names(void)
{
    struct ntsec_rpc_endpoint_desc d = { .protseq = "ncalrpc", .endpoint = "a/b",
                                         .handler = handler };
    struct ntsec_rpc_endpoint *ep = NULL;
    struct ntsec_rpc_binding *b = NULL;
    void *out = NULL;
    size_t n = 0;
    struct rig r;

    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncalrpc:[nobody]", &b) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_call(b, 1, "x", 1, &out, &n), NTSEC_RPC_NT_SERVER_UNAVAILABLE);
    rig_up(&r, false);
    CU_ASSERT_EQUAL(ntsec_rpc_call(b, 1, "x", 1, &out, &n), NTSEC_RPC_NT_SERVER_UNAVAILABLE);
    CU_ASSERT_PTR_NULL(out);
    ntsec_rpc_binding_free(b);
    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncalrpc:[..]", &b) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_call(b, 1, "x", 1, &out, &n), NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT);
    ntsec_rpc_binding_free(b);
    d.server = rf_process("SYSTEM", NTSEC_LOGON_SERVICE, WS);
    CU_ASSERT_EQUAL(ntsec_rpc_endpoint_register(&d, &ep), NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT);
    CU_ASSERT_PTR_NULL(ep);
    ntsec_object_put(d.server);
    rig_down(&r);
}

/* Bytes that are not a call - here an impersonation level no QoS has -
 * get RPC_S_INVALID_ARG and run nothing; the identity is never read
 * from the stream. */
static int child_raw_call(void *arg)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    uint32_t frame[4] = { 5 /* CALL */, 8, 1, 99 }, reply[3] = { 0 };
    int s = socket(AF_UNIX, SOCK_STREAM, 0), bad = 0;

    snprintf(a.sun_path, sizeof(a.sun_path), "%s/ncalrpc/remote-svc", (const char *)arg);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
        return 1;
    bad |= write(s, frame, sizeof(frame)) == sizeof(frame) ? 0 : 2;
    bad |= read(s, reply, sizeof(reply)) == 12 && reply[0] == 6 /* REPLY */ &&
           reply[2] == (uint32_t)NTSEC_STATUS_INVALID_PARAMETER ? 0 : 4;
    close(s);
    return bad;
}

static void malformed_call_runs_nothing(void)
{
    struct rf_server s;
    struct rig r;

    rig_up(&r, false);
    rig_fork(&r, child_raw_call, r.dir);
    serve(&s, "remote-svc");
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    pthread_mutex_lock(&seen.lock);
    CU_ASSERT_EQUAL(seen.calls, 0);
    pthread_mutex_unlock(&seen.lock);
    rf_server_stop(&s);
    rig_down(&r);
}

/* An endpoint another process serves cannot be registered here:
 * RPC_S_DUPLICATE_ENDPOINT, as for one of this process. */
static int child_registers(void *arg)
{
    struct rf_server s;

    (void)arg;
    serve(&s, "remote-svc");
    child_tell('s');
    child_wait_go();
    rf_server_stop(&s);
    return 0;
}

static void endpoint_of_another_process_is_taken(void)
{
    struct ntsec_rpc_endpoint_desc d = { .protseq = "ncalrpc", .endpoint = "REMOTE-svc",
                                         .handler = handler };
    struct ntsec_rpc_endpoint *ep = NULL;
    struct rig r;

    rig_up(&r, false);
    rig_fork(&r, child_registers, NULL);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_hear(&r), 's');
    d.server = rf_process("SYSTEM", NTSEC_LOGON_SERVICE, WS);
    CU_ASSERT_EQUAL(ntsec_rpc_endpoint_register(&d, &ep), NTSEC_RPC_NT_DUPLICATE_ENDPOINT);
    CU_ASSERT_PTR_NULL(ep);
    ntsec_object_put(d.server);
    rig_go(&r);
    CU_ASSERT_EQUAL(rig_end(&r), 0);
    rig_down(&r);
}

/* A client that took uid 54321 before calling is that account to the
 * server, with its groups. Needs root. */
static void another_user_calls(void)
{
    struct call_plan p = { "ncalrpc:[remote-svc]", 0, 1, NTSEC_STATUS_SUCCESS, true };
    struct rf_server s;
    struct rig r;
    char want[80];

    if (geteuid() != 0) {
        fprintf(stderr, "\n  skipped: another user over ncalrpc (needs root)\n");
        return;
    }
    rig_unix_sid(false, OTHER_GROUP, &other_group);
    rig_up(&r, false);
    CU_ASSERT_EQUAL(call_from_child(&r, &p, &s, "remote-svc"), 0);
    unix_user(OTHER_UID, want, sizeof(want));
    pthread_mutex_lock(&seen.lock);
    CU_ASSERT_EQUAL(seen.calls, 1);
    CU_ASSERT_STRING_EQUAL(seen.user, want);
    CU_ASSERT(seen.has_group);
    pthread_mutex_unlock(&seen.lock);
    rf_server_stop(&s);
    rig_down(&r);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(call_carries_the_peers_identity),
        TEST(requested_level_is_honoured),
        TEST(handler_status_reaches_the_client),
        TEST(no_server_and_bad_names),
        TEST(malformed_call_runs_nothing),
        TEST(endpoint_of_another_process_is_taken),
        TEST(another_user_calls),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("rpc_remote", tests);
}

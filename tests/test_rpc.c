/* test_rpc.c - RPC's security personality through the native API
 * (ntsec/rpc.h; libsec/rpc_*.c): servers in emulated processes with a
 * dispatcher thread, clients on threads of other processes of the same
 * machine or of another machine of the default world (rpcfix.h), and
 * what the server's handler sees: RpcImpersonateClient's identity and
 * level, RpcBindingInqAuthClient, the level check, static and dynamic
 * identity tracking, explicit credentials, delegation, RpcRevertToSelf;
 * then bad input for every function and allocation failures.
 * docs/rpc.md has the rules and their sources. */
#include <sched.h>

#include "rpcfix.h"
#include "testutil.h"

/* --- what the handler saw ------------------------------------------------- */

struct seen {
    int calls;
    bool current_is_call;               /* ntsec_rpc_call_current() == the call */
    bool impersonating_at_start;
    ntsec_status inq;                   /* RpcBindingInqAuthClient */
    char principal[128];
    uint32_t level, service;
    ntsec_status impersonate;           /* RpcImpersonateClient */
    char user[64];                      /* the impersonated token's account */
    enum ntsec_impersonation_level imp_level;
    bool network, interactive;          /* NETWORK / INTERACTIVE members */
    bool credentials;                   /* can authenticate to another machine */
    bool shutdown_enabled;              /* SeShutdownPrivilege enabled */
    ntsec_status nested;                /* a call made while impersonating */
    ntsec_status revert;                /* RpcRevertToSelf */
    bool reverted;                      /* not impersonating afterwards */
};

struct observer {
    struct seen seen;
    int calls;
    bool by_handle;                     /* impersonate the call handle, not NULL */
    bool stay;                          /* return still impersonating */
    struct ntsec_rpc_binding *hop;      /* call it while impersonating */
};

static bool impersonating(void)
{
    enum ntsec_impersonation_level level;
    bool a, b;
    struct ntsec_token *t = ntsec_thread_impersonation(ntsec_thread_current(), &level, &a, &b);

    if (t)
        ntsec_token_put(t);
    return t != NULL;
}

static void look_at_thread_token(struct seen *v)
{
    struct ntsec_sid network, interactive;
    bool a, b;
    struct ntsec_token *t = ntsec_thread_impersonation(ntsec_thread_current(), &v->imp_level,
                                                       &a, &b);

    if (!t)
        return;
    rf_user(t, v->user, sizeof(v->user));
    v->network = ntsec_token_is_member(t, tf_sid(&network, "S-1-5-2"));
    v->interactive = ntsec_token_is_member(t, tf_sid(&interactive, "S-1-5-4"));
    v->credentials = ntsec_call_token_has_network_credentials(t);
    v->shutdown_enabled = ntsec_token_privilege_enabled(
        t, (struct ntsec_luid){ NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 });
    ntsec_token_put(t);
}

static ntsec_status observe(struct ntsec_rpc_call *call, void *arg, const void *in, size_t in_len,
                            void **out, size_t *out_len)
{
    struct observer *o = arg;
    struct seen *v = &o->seen;
    struct ntsec_rpc_client_info info;
    void *hop_out = NULL;
    size_t hop_len = 0;

    *v = (struct seen){ .calls = ++o->calls };
    v->current_is_call = ntsec_rpc_call_current() == call;
    v->impersonating_at_start = impersonating();
    v->inq = ntsec_rpc_inq_auth_client(NULL, &info);
    if (ntsec_success(v->inq)) {
        snprintf(v->principal, sizeof(v->principal), "%s", info.principal);
        v->level = info.level;
        v->service = info.service;
    }
    v->impersonate = ntsec_rpc_impersonate_client(o->by_handle ? call : NULL);
    if (ntsec_success(v->impersonate))
        look_at_thread_token(v);
    if (o->hop) {
        v->nested = ntsec_rpc_call(o->hop, 1, "hop", 3, &hop_out, &hop_len);
        ntsec_mem_free(hop_out);
    }
    if (!o->stay) {
        v->revert = ntsec_rpc_revert_to_self(o->by_handle ? call : NULL);
        v->reverted = !impersonating();
    }
    if (in_len) {
        if (!(*out = ntsec_mem_alloc(in_len)))
            return NTSEC_STATUS_NO_MEMORY;
        memcpy(*out, in, in_len);
        *out_len = in_len;
    }
    return NTSEC_STATUS_SUCCESS;
}

/* --- clients -------------------------------------------------------------- */

struct client {
    const char *binding;
    const struct ntsec_rpc_auth_info *auth;     /* NULL: no RpcBindingSetAuthInfo */
    ntsec_status status;
    bool echoed;
};

static void client_main(void *arg)
{
    struct client *c = arg;
    struct ntsec_rpc_binding *b;
    void *out = NULL;
    size_t out_len = 0;

    c->status = ntsec_rpc_binding_from_string(c->binding, &b);
    if (!ntsec_success(c->status))
        return;
    if (c->auth)
        c->status = ntsec_rpc_binding_set_auth_info(b, c->auth);
    if (ntsec_success(c->status))
        c->status = ntsec_rpc_call(b, 7, "ping", 4, &out, &out_len);
    c->echoed = out_len == 4 && out && !memcmp(out, "ping", 4);
    ntsec_mem_free(out);
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
}

/* Whether the last call's answer was its input (observe() echoes). */
static bool last_echoed;

/* One call from a new thread of a new process of `user` on `machine`. */
static ntsec_status call_from(const char *user, enum ntsec_logon_type type, const char *machine,
                              const char *binding, const struct ntsec_rpc_auth_info *auth)
{
    struct ntsec_process *p = rf_process(user, type, machine);
    struct client c = { binding, auth, NTSEC_STATUS_UNSUCCESSFUL, false };

    rf_run_in(p, client_main, &c);
    ntsec_object_put(p);
    last_echoed = c.echoed;
    return c.status;
}

/* A server's description: user and logon type, machine (NULL:
 * WORKSTATION), protocol sequence (NULL: ncalrpc), endpoint, minimum
 * level. rf_server_start reads it at once. */
static struct rf_server_spec spec_buf;

static const struct rf_server_spec *spec(const char *user, enum ntsec_logon_type logon,
                                         const char *machine, const char *protseq,
                                         const char *endpoint, enum ntsec_authn_level min)
{
    spec_buf = (struct rf_server_spec){ .user = user, .logon = logon, .machine = machine,
                                        .protseq = protseq, .endpoint = endpoint,
                                        .min_level = min };
    return &spec_buf;
}

#define SERVER(...) spec(__VA_ARGS__)

/* The same, without RpcServerRegisterAuthInfo. */
static const struct rf_server_spec *without_auth_info(const struct rf_server_spec *s)
{
    spec_buf.no_auth_info = true;
    return s;
}

#define ALICE "alice", NTSEC_LOGON_INTERACTIVE
#define BOB "bob", NTSEC_LOGON_INTERACTIVE
#define CAROL "carol", NTSEC_LOGON_INTERACTIVE
#define SVCWEB "svc-web", NTSEC_LOGON_SERVICE

#define QOS(imp, tracking, caps) (&(struct ntsec_rpc_qos){ 1, caps, tracking, imp })
#define AUTH(l, s, q) (&(struct ntsec_rpc_auth_info){ .level = (l), .service = (s), .qos = (q) })

/* --- local calls ---------------------------------------------------------- */

/* RpcImpersonateClient (Microsoft docs): the handler, on a thread of the
 * server, impersonates "the client that is being served by this server
 * thread" at the level the client's QoS gave. */
static void local_call_impersonates_the_client_at_its_qos_level(void)
{
    static const struct {
        uint32_t imp;
        enum ntsec_impersonation_level want;
    } cases[] = {
        { NTSEC_RPC_IMP_LEVEL_IDENTIFY, NTSEC_SECURITY_IDENTIFICATION },
        { NTSEC_RPC_IMP_LEVEL_IMPERSONATE, NTSEC_SECURITY_IMPERSONATION },
        { NTSEC_RPC_IMP_LEVEL_DELEGATE, NTSEC_SECURITY_DELEGATION },
        { NTSEC_RPC_IMP_LEVEL_DEFAULT, NTSEC_SECURITY_IMPERSONATION },
    };
    struct observer o = { 0 };
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, "ncalrpc", "svc", 0), observe, &o);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct ntsec_rpc_qos *q = QOS(cases[i].imp, NTSEC_RPC_QOS_IDENTITY_STATIC, 0);

        CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[svc]",
                                  AUTH(NTSEC_AUTHN_LEVEL_PKT_PRIVACY, NTSEC_RPC_AUTHN_WINNT, q)),
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT(last_echoed);                         /* the handler's answer came back */
        CU_ASSERT(o.seen.current_is_call);
        CU_ASSERT_EQUAL(o.seen.impersonate, NTSEC_STATUS_SUCCESS);
        CU_ASSERT_STRING_EQUAL(o.seen.user, "alice");
        CU_ASSERT_EQUAL(o.seen.imp_level, cases[i].want);
        CU_ASSERT(o.seen.interactive);                  /* the client's own logon */
        CU_ASSERT(!o.seen.network);
    }
    rf_server_stop(&s);
}

/* "Regardless of the value specified by the constant, ncalrpc always uses
 * RPC_C_AUTHN_LEVEL_PKT_PRIVACY" (Authentication-Level Constants); an
 * ncalrpc call with no RpcBindingSetAuthInfo is authenticated: WINNT,
 * PKT_PRIVACY, Privs "DOMAIN\user" (Wine's tests/server.c, on Windows). */
static void ncalrpc_is_always_authenticated_at_packet_privacy(void)
{
    struct observer o = { 0 };
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "lrpc", NTSEC_AUTHN_LEVEL_PKT_PRIVACY),
                    observe, &o);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[lrpc]", NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.seen.inq, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o.seen.principal, "CONTOSO\\alice");
    CU_ASSERT_EQUAL(o.seen.level, NTSEC_AUTHN_LEVEL_PKT_PRIVACY);
    CU_ASSERT_EQUAL(o.seen.service, NTSEC_RPC_AUTHN_WINNT);
    CU_ASSERT_EQUAL(o.seen.impersonate, NTSEC_STATUS_SUCCESS);
    /* A binding set to CONNECT still runs at PKT_PRIVACY. */
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[lrpc]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, NULL)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.seen.level, NTSEC_AUTHN_LEVEL_PKT_PRIVACY);
    rf_server_stop(&s);
}

/* RPC_SECURITY_QOS: ANONYMOUS and IDENTIFY are honoured on ncalrpc, but
 * "treated as equivalent to RPC_C_IMP_LEVEL_IMPERSONATE ... by
 * RPC_C_AUTHN_WINNT only when used with protocol sequences other than
 * ncalrpc". */
static void identify_is_honoured_on_ncalrpc_and_promoted_on_named_pipes(void)
{
    const struct ntsec_rpc_qos *q = QOS(NTSEC_RPC_IMP_LEVEL_IDENTIFY, 0, 0);
    struct observer o1 = { 0 }, o2 = { 0 };
    struct rf_server s1, s2;

    rf_server_start(&s1, SERVER(SVCWEB, NULL, "ncalrpc", "idl", 0), observe, &o1);
    rf_server_start(&s2, SERVER(SVCWEB, NULL, "ncacn_np", "\\pipe\\idn", 0),
                    observe, &o2);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[idl]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, q)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o1.seen.imp_level, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:[\\\\pipe\\\\idn]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, q)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o2.seen.imp_level, NTSEC_SECURITY_IMPERSONATION);
    /* Anonymous on ncalrpc: the server is not told who the client is. */
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[idl]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT,
                                   QOS(NTSEC_RPC_IMP_LEVEL_ANONYMOUS, 0, 0))),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o1.seen.imp_level, NTSEC_SECURITY_ANONYMOUS);
    CU_ASSERT_STRING_EQUAL(o1.seen.principal, "NT AUTHORITY\\ANONYMOUS LOGON");
    rf_server_stop(&s1);
    rf_server_stop(&s2);
}

/* RpcImpersonateClient, Remarks: without SeImpersonatePrivilege, and for
 * another identity, "the impersonation succeeds at Identify level only";
 * the same identity is impersonated as asked. */
static void server_without_impersonate_privilege_gets_identification(void)
{
    const struct ntsec_rpc_qos *q = QOS(NTSEC_RPC_IMP_LEVEL_IMPERSONATE, 0, 0);
    struct observer o = { 0 };
    struct rf_server s;

    rf_server_start(&s, SERVER(ALICE, NULL, "ncalrpc", "nopriv", 0), observe, &o);
    CU_ASSERT_EQUAL(call_from(BOB, WS, "ncalrpc:[nopriv]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, q)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.seen.impersonate, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o.seen.user, "bob");
    CU_ASSERT_EQUAL(o.seen.imp_level, NTSEC_SECURITY_IDENTIFICATION);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[nopriv]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, q)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.seen.imp_level, NTSEC_SECURITY_IMPERSONATION);
    rf_server_stop(&s);
}

/* RpcRevertToSelf: the server "reestablish[es] its own security
 * identity"; the handle form RpcRevertToSelfEx does the same for a call
 * impersonated by handle (RpcImpersonateClient, Remarks). The dispatcher
 * reverts a handler that returns impersonating ("Client Impersonation";
 * docs/rpc.md), so the next call starts as the server. */
static void revert_to_self_restores_the_server_thread(void)
{
    struct observer o = { 0 };
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "rev", 0), observe, &o);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[rev]", NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!o.seen.impersonating_at_start);
    CU_ASSERT_EQUAL(o.seen.revert, NTSEC_STATUS_SUCCESS);
    CU_ASSERT(o.seen.reverted);
    o.by_handle = true;
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[rev]", NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.seen.impersonate, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o.seen.user, "alice");
    CU_ASSERT(o.seen.reverted);
    o.by_handle = false;
    o.stay = true;
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[rev]", NULL), NTSEC_STATUS_SUCCESS);
    o.stay = false;
    CU_ASSERT_EQUAL(call_from(BOB, WS, "ncalrpc:[rev]", NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT(!o.seen.impersonating_at_start);
    CU_ASSERT_STRING_EQUAL(o.seen.user, "bob");
    rf_server_stop(&s);
}

/* RpcImpersonateClient and RpcRevertToSelf outside a call:
 * RPC_S_NO_CALL_ACTIVE, "No client is active on this server thread", and
 * the thread keeps its own impersonation. */
static void outside_a_call_is_no_call_active(void)
{
    struct ntsec_token *bob = NULL;
    struct ntsec_thread *self = ntsec_thread_current();
    struct ntsec_rpc_client_info info;

    CU_ASSERT_PTR_NULL(ntsec_rpc_call_current());
    CU_ASSERT_EQUAL(ntsec_rpc_impersonate_client(NULL), NTSEC_RPC_NT_NO_CALL_ACTIVE);
    CU_ASSERT_EQUAL(ntsec_rpc_inq_auth_client(NULL, &info), NTSEC_RPC_NT_NO_CALL_ACTIVE);
    CU_ASSERT_FATAL(ntsec_logon_token("bob", NULL, NTSEC_LOGON_INTERACTIVE, &bob) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_thread_impersonate(self, bob, false, false, NTSEC_SECURITY_IDENTIFICATION) ==
              NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_revert_to_self(NULL), NTSEC_RPC_NT_NO_CALL_ACTIVE);
    CU_ASSERT(impersonating());
    ntsec_thread_revert(self);
    ntsec_token_put(bob);
}

/* --- the level check ------------------------------------------------------ */

/* A call below the interface's minimum is refused: "Any other return code
 * [of the security callback] will cause the client to receive the
 * exception RPC_S_ACCESS_DENIED" (RPC_IF_CALLBACK_FN); CALL runs as PKT
 * on ncacn ("Authentication-Level Constants"); an unauthenticated call
 * is NONE. */
static void call_below_the_servers_level_is_access_denied(void)
{
    static const struct {
        uint32_t level;                 /* 0: no RpcBindingSetAuthInfo */
        ntsec_status want;
    } cases[] = {
        { 0, NTSEC_STATUS_ACCESS_DENIED },
        { NTSEC_AUTHN_LEVEL_NONE, NTSEC_STATUS_ACCESS_DENIED },
        { NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_STATUS_ACCESS_DENIED },
        { NTSEC_AUTHN_LEVEL_DEFAULT, NTSEC_STATUS_ACCESS_DENIED },
        { NTSEC_AUTHN_LEVEL_CALL, NTSEC_STATUS_SUCCESS },
        { NTSEC_AUTHN_LEVEL_PKT, NTSEC_STATUS_SUCCESS },
        { NTSEC_AUTHN_LEVEL_PKT_PRIVACY, NTSEC_STATUS_SUCCESS },
    };
    struct observer o = { 0 };
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, "ncacn_np", "\\pipe\\pkt", NTSEC_AUTHN_LEVEL_PKT),
                    observe, &o);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int before = o.calls;

        CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:.[\\\\pipe\\\\pkt]",
                                  cases[i].level ? AUTH(cases[i].level, NTSEC_RPC_AUTHN_WINNT,
                                                        NULL)
                                                 : NULL),
                        cases[i].want);
        /* A refused call never reaches the handler. */
        CU_ASSERT_EQUAL(o.calls, before + (cases[i].want == NTSEC_STATUS_SUCCESS));
    }
    CU_ASSERT_EQUAL(o.seen.level, NTSEC_AUTHN_LEVEL_PKT_PRIVACY);
    rf_server_stop(&s);
}

/* An unauthenticated ncacn_np call: RpcBindingInqAuthClient gives
 * RPC_S_BINDING_HAS_NO_AUTH (Wine's tests/server.c, on Windows), but the
 * named pipe still names the caller, and the server impersonates it
 * ([MS-SAMR] 2.1: RPC over SMB at RPC_C_AUTHN_LEVEL_NONE, identity from
 * the transport). */
static void unauthenticated_pipe_call_has_no_auth_but_the_pipes_identity(void)
{
    struct observer o = { 0 };
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, "ncacn_np", "\\pipe\\anon", NTSEC_AUTHN_LEVEL_NONE),
                    observe, &o);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:[\\\\pipe\\\\anon]", NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.seen.inq, NTSEC_RPC_NT_BINDING_HAS_NO_AUTH);
    CU_ASSERT_EQUAL(o.seen.impersonate, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o.seen.user, "alice");
    CU_ASSERT_EQUAL(o.seen.imp_level, NTSEC_SECURITY_IMPERSONATION);
    rf_server_stop(&s);
}

/* A client authenticating with a service its ncacn_np server did not
 * register is refused with RPC_S_UNKNOWN_AUTHN_SERVICE (Wine's
 * rpc_server.c); ncalrpc needs no registration ("we don't need to
 * register RPC_C_AUTHN_WINNT for ncalrpc", Wine's tests/server.c). */
static void unregistered_service_is_unknown_on_pipes_only(void)
{
    struct observer o = { 0 };
    struct rf_server np, lrpc;

    rf_server_start(&np, without_auth_info(SERVER(SVCWEB, NULL, "ncacn_np", "\\pipe\\noauth", 0)),
                    observe, &o);
    rf_server_start(&lrpc, without_auth_info(SERVER(SVCWEB, NULL, NULL, "noauth", 0)),
                    observe, &o);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:[\\\\pipe\\\\noauth]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, NULL)),
                    NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(o.calls, 0);
    CU_ASSERT(ntsec_rpc_server_register_auth_info(np.process, "svc/np", NTSEC_RPC_AUTHN_DEFAULT) ==
              NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:[\\\\pipe\\\\noauth]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_DEFAULT, NULL)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.seen.service, NTSEC_RPC_AUTHN_WINNT);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:[\\\\pipe\\\\noauth]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_GSS_KERBEROS, NULL)),
                    NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[noauth]", NULL), NTSEC_STATUS_SUCCESS);
    rf_server_stop(&np);
    rf_server_stop(&lrpc);
}

/* --- identity tracking ---------------------------------------------------- */

/* Two calls on one binding, with a change of the client's identity in
 * between. */
struct tracking {
    uint32_t tracking;
    bool impersonate_alice;             /* else: enable SeShutdownPrivilege */
    struct observer *o;
    bool first_enabled, second_enabled;
    char first_user[64], second_user[64];
    ntsec_status st;
};

static void tracking_client(void *arg)
{
    struct tracking *t = arg;
    const struct ntsec_rpc_auth_info *a =
        AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT,
             QOS(NTSEC_RPC_IMP_LEVEL_IMPERSONATE, t->tracking, 0));
    struct ntsec_thread *self = ntsec_thread_current();
    struct ntsec_token *process_token = ntsec_process_token(ntsec_thread_process(self));
    struct ntsec_token *alice = NULL;
    struct ntsec_luid_and_attributes on = { { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 },
                                            NTSEC_SE_PRIVILEGE_ENABLED };
    struct ntsec_rpc_binding *b;
    void *out = NULL;
    size_t len;

    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncalrpc:[track]", &b) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_rpc_binding_set_auth_info(b, a) == NTSEC_STATUS_SUCCESS);
    t->st = ntsec_rpc_call(b, 1, NULL, 0, &out, &len);
    t->first_enabled = t->o->seen.shutdown_enabled;
    memcpy(t->first_user, t->o->seen.user, sizeof(t->first_user));
    if (t->impersonate_alice) {
        CU_ASSERT_FATAL(ntsec_logon_token("alice", NULL, NTSEC_LOGON_INTERACTIVE, &alice) ==
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT(ntsec_thread_impersonate(self, alice, false, false,
                                           NTSEC_SECURITY_IMPERSONATION) == NTSEC_STATUS_SUCCESS);
    } else {
        CU_ASSERT(ntsec_token_adjust_privileges(process_token, false, &on, 1, NULL, 0, NULL) ==
                  NTSEC_STATUS_SUCCESS);
    }
    if (ntsec_success(t->st))
        t->st = ntsec_rpc_call(b, 2, NULL, 0, &out, &len);
    t->second_enabled = t->o->seen.shutdown_enabled;
    memcpy(t->second_user, t->o->seen.user, sizeof(t->second_user));
    ntsec_thread_revert(self);
    if (alice)
        ntsec_token_put(alice);
    ntsec_token_put(process_token);
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
}

static void run_tracking(struct tracking *t, const char *user, enum ntsec_logon_type type)
{
    struct observer o = { 0 };
    struct rf_server s;
    struct ntsec_process *p = rf_process(user, type, WS);

    t->o = &o;
    rf_server_start(&s, SERVER("SYSTEM", 0, NULL, NULL, "track", 0), observe, &o);
    rf_run_in(p, tracking_client, t);
    CU_ASSERT_EQUAL(t->st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.calls, 2);
    rf_server_stop(&s);
    ntsec_object_put(p);
}

/* RPC_SECURITY_QOS: dynamic tracking: the context "is revised whenever
 * the ModifiedId in the client's token is changed" - a privilege the
 * client enables between calls is enabled in the second call; static:
 * "created only once and is never revised", it stays disabled. */
static void dynamic_tracking_sees_a_privilege_enabled_between_calls(void)
{
    struct tracking dyn = { .tracking = NTSEC_RPC_QOS_IDENTITY_DYNAMIC };
    struct tracking stat = { .tracking = NTSEC_RPC_QOS_IDENTITY_STATIC };

    run_tracking(&dyn, ALICE);
    CU_ASSERT(!dyn.first_enabled);
    CU_ASSERT(dyn.second_enabled);
    run_tracking(&stat, ALICE);
    CU_ASSERT(!stat.first_enabled);
    CU_ASSERT(!stat.second_enabled);
}

/* The same rule with an impersonation: a client thread that impersonates
 * alice between calls presents alice under dynamic tracking, and still
 * its own identity, captured at the first call, under static tracking
 * (RPC_SECURITY_QOS; docs/calls.md, cloaking). */
static void dynamic_tracking_sees_an_impersonation_begun_between_calls(void)
{
    struct tracking dyn = { .tracking = NTSEC_RPC_QOS_IDENTITY_DYNAMIC, .impersonate_alice = true };
    struct tracking stat = { .tracking = NTSEC_RPC_QOS_IDENTITY_STATIC, .impersonate_alice = true };

    run_tracking(&dyn, SVCWEB);
    CU_ASSERT_STRING_EQUAL(dyn.first_user, "svc-web");
    CU_ASSERT_STRING_EQUAL(dyn.second_user, "alice");
    run_tracking(&stat, SVCWEB);
    CU_ASSERT_STRING_EQUAL(stat.first_user, "svc-web");
    CU_ASSERT_STRING_EQUAL(stat.second_user, "svc-web");
}

/* RpcBindingSetAuthInfoEx, AuthIdentity: the call authenticates with the
 * given account's credentials ("RPC logs on the user with the supplied
 * credentials", CoSetProxyBlanket); a wrong password authenticates no
 * one: the call is refused (docs/rpc.md: RPC_S_ACCESS_DENIED). */
static void explicit_credentials_make_the_call_run_as_that_account(void)
{
    static const struct ntsec_rpc_identity bob = { "bob", "CONTOSO", "bob-password" };
    static const struct ntsec_rpc_identity wrong = { "bob", NULL, "alice-password" };
    struct ntsec_rpc_auth_info a = { .level = NTSEC_AUTHN_LEVEL_CONNECT,
                                     .service = NTSEC_RPC_AUTHN_WINNT, .identity = &bob };
    struct observer o = { 0 }, o2 = { 0 };
    struct rf_server s, remote;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "creds", 0), observe, &o);
    rf_server_start(&remote, SERVER("SYSTEM", 0, S1, "ncacn_np", "\\pipe\\creds", 0),
                    observe, &o2);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[creds]", &a), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o.seen.user, "bob");
    CU_ASSERT_STRING_EQUAL(o.seen.principal, "CONTOSO\\bob");
    CU_ASSERT(o.seen.network);                  /* an NTLM logon is a network logon */
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:SERVER1[\\\\pipe\\\\creds]", &a),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o2.seen.user, "bob");
    a.identity = &wrong;
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[creds]", &a), NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(o.calls, 1);
    rf_server_stop(&s);
    rf_server_stop(&remote);
}

/* --- other machines ------------------------------------------------------- */

/* A client on WORKSTATION calling SERVER1: the server sees a network
 * logon of the client's account - NETWORK, not INTERACTIVE ("Well-known
 * SIDs"; "Logon Types") - at Impersonation, with no credentials for a
 * further machine ("Impersonation Levels": the server "can access only
 * resources that are on the same computer"). */
static void remote_call_gets_a_network_logon_without_credentials(void)
{
    struct observer o = { 0 };
    struct rf_server s;
    int calls;

    rf_server_start(&s, SERVER("SYSTEM", 0, S1, "ncacn_np", "\\pipe\\net", 0),
                    observe, &o);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:\\\\\\\\SERVER1[\\\\pipe\\\\net]",
                              AUTH(NTSEC_AUTHN_LEVEL_PKT_PRIVACY, NTSEC_RPC_AUTHN_WINNT, NULL)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o.seen.user, "alice");
    CU_ASSERT(o.seen.network);
    CU_ASSERT(!o.seen.interactive);
    CU_ASSERT_EQUAL(o.seen.imp_level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT(!o.seen.credentials);
    CU_ASSERT_STRING_EQUAL(o.seen.principal, "CONTOSO\\alice");
    /* "server1": machine names compare without case. */
    CU_ASSERT_EQUAL(call_from(BOB, WS, "ncacn_np:server1[\\\\pipe\\\\net]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, NULL)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o.seen.user, "bob");
    CU_ASSERT(o.seen.network);
    /* A local account of WORKSTATION means nothing to SERVER1 ("Local
     * Accounts"): the call is refused. */
    calls = o.calls;
    CU_ASSERT_EQUAL(call_from("root", NTSEC_LOGON_INTERACTIVE, WS,
                              "ncacn_np:SERVER1[\\\\pipe\\\\net]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, NULL)),
                    NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(o.calls, calls);
    rf_server_stop(&s);
}

/* Delegation ("Impersonation Levels", "Delegation and Impersonation"):
 * only when the client asks for it, its account is not "sensitive and
 * cannot be delegated" and the server's account is "trusted for
 * delegation" (SYSTEM on SERVER1: the SERVER1$ account), and never with
 * NTLM across machines; a client that asked and did not get it fails with
 * RPC_S_SEC_PKG_ERROR unless it set IGNORE_DELEGATE_FAILURE
 * (RPC_SECURITY_QOS). */
static void delegation_needs_a_delegable_client_and_a_trusted_server(void)
{
    const struct ntsec_rpc_qos *deleg = QOS(NTSEC_RPC_IMP_LEVEL_DELEGATE, 0, 0);
    const struct ntsec_rpc_qos *ignore =
        QOS(NTSEC_RPC_IMP_LEVEL_DELEGATE, 0, NTSEC_RPC_QOS_CAPABILITIES_IGNORE_DELEGATE_FAILURE);
    struct observer o1 = { 0 }, o2 = { 0 };
    struct rf_server trusted, untrusted;

    rf_server_start(&trusted, SERVER("SYSTEM", 0, S1, "ncacn_np", "\\pipe\\d", 0),
                    observe, &o1);
    rf_server_start(&untrusted, SERVER("SYSTEM", 0, S2, "ncacn_np", "\\pipe\\d", 0),
                    observe, &o2);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:SERVER1[\\\\pipe\\\\d]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_GSS_KERBEROS, deleg)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o1.seen.imp_level, NTSEC_SECURITY_DELEGATION);
    CU_ASSERT(o1.seen.credentials);
    CU_ASSERT_EQUAL(call_from(CAROL, WS, "ncacn_np:SERVER1[\\\\pipe\\\\d]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_GSS_KERBEROS, deleg)),
                    NTSEC_RPC_NT_SEC_PKG_ERROR);
    CU_ASSERT_EQUAL(call_from(CAROL, WS, "ncacn_np:SERVER1[\\\\pipe\\\\d]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_GSS_KERBEROS,
                                   ignore)),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(o1.seen.user, "carol");
    CU_ASSERT_EQUAL(o1.seen.imp_level, NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:SERVER2[\\\\pipe\\\\d]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_GSS_NEGOTIATE,
                                   deleg)),
                    NTSEC_RPC_NT_SEC_PKG_ERROR);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:SERVER1[\\\\pipe\\\\d]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_WINNT, deleg)),
                    NTSEC_RPC_NT_SEC_PKG_ERROR);
    CU_ASSERT_EQUAL(o2.calls, 0);
    rf_server_stop(&trusted);
    rf_server_stop(&untrusted);
}

/* A server that impersonates its client and calls a third machine
 * presents the client there only with a Delegation-level token: "an
 * impersonate-level impersonation token can be passed across only one
 * computer boundary" ("Cloaking"); the refused hop is RPC_S_ACCESS_DENIED. */
static void a_further_hop_needs_delegation(void)
{
    const struct ntsec_rpc_qos *dyn = QOS(NTSEC_RPC_IMP_LEVEL_IMPERSONATE,
                                          NTSEC_RPC_QOS_IDENTITY_DYNAMIC, 0);
    struct observer front = { 0 }, back = { 0 };
    struct rf_server s1, s2;

    rf_server_start(&s1, SERVER("SYSTEM", 0, S1, "ncacn_np", "\\pipe\\front", 0),
                    observe, &front);
    rf_server_start(&s2, SERVER(SVCWEB, S2, "ncacn_np", "\\pipe\\back", 0),
                    observe, &back);
    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncacn_np:SERVER2[\\\\pipe\\\\back]",
                                                  &front.hop) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_rpc_binding_set_auth_info(front.hop, AUTH(NTSEC_AUTHN_LEVEL_CONNECT,
                                                              NTSEC_RPC_AUTHN_GSS_KERBEROS,
                                                              dyn)) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:SERVER1[\\\\pipe\\\\front]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_GSS_KERBEROS,
                                   QOS(NTSEC_RPC_IMP_LEVEL_IMPERSONATE, 0, 0))),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(front.seen.nested, NTSEC_STATUS_ACCESS_DENIED);
    CU_ASSERT_EQUAL(back.calls, 0);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:SERVER1[\\\\pipe\\\\front]",
                              AUTH(NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_AUTHN_GSS_KERBEROS,
                                   QOS(NTSEC_RPC_IMP_LEVEL_DELEGATE, 0, 0))),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(front.seen.nested, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(back.seen.user, "alice");
    CU_ASSERT(back.seen.network);
    CU_ASSERT(ntsec_rpc_binding_free(front.hop) == NTSEC_STATUS_SUCCESS);
    rf_server_stop(&s1);
    rf_server_stop(&s2);
}

/* ncalrpc is local interprocess communication ("ncalrpc", MIDL
 * reference): a server on another machine is not reachable with it. */
static void ncalrpc_does_not_reach_another_machine(void)
{
    struct observer o = { 0 };
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, S1, NULL, "far", 0), observe, &o);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[far]", NULL), NTSEC_RPC_NT_SERVER_UNAVAILABLE);
    CU_ASSERT_EQUAL(call_from(ALICE, S1, "ncalrpc:[far]", NULL), NTSEC_STATUS_SUCCESS);
    rf_server_stop(&s);
}

/* --- several clients ------------------------------------------------------ */

struct busy {
    pthread_mutex_t lock;
    int inside, most, served;
};

static ntsec_status count_inside(struct ntsec_rpc_call *call, void *arg, const void *in,
                                 size_t in_len, void **out, size_t *out_len)
{
    struct busy *b = arg;
    struct ntsec_rpc_client_info info;
    ntsec_status st;

    (void)out;
    (void)out_len;
    pthread_mutex_lock(&b->lock);
    b->most = ++b->inside > b->most ? b->inside : b->most;
    pthread_mutex_unlock(&b->lock);
    st = ntsec_rpc_inq_auth_client(call, &info);
    /* Each client names itself in its input: the server must agree. */
    if (ntsec_success(st) && (strlen(info.principal) != in_len ||
                              memcmp(info.principal, in, in_len)))
        st = NTSEC_STATUS_UNSUCCESSFUL;
    sched_yield();
    pthread_mutex_lock(&b->lock);
    b->inside--;
    b->served++;
    pthread_mutex_unlock(&b->lock);
    return st;
}

struct many {
    const char *principal;
    int failures;
};

static void many_calls(void *arg)
{
    struct many *m = arg;
    struct ntsec_rpc_binding *b;
    void *out = NULL;
    size_t len;

    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncalrpc:[busy]", &b) == NTSEC_STATUS_SUCCESS);
    for (int i = 0; i < 50; i++)
        if (ntsec_rpc_call(b, 0, m->principal, strlen(m->principal), &out, &len))
            m->failures++;
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
}

static void *many_main(void *arg)
{
    struct rf_job *j = arg;

    if (ntsec_success(ntsec_thread_bind(j->process)))
        j->fn(j->arg);
    return NULL;
}

/* Clients of several processes at once: each call is served with its own
 * client's identity, and the dispatcher serves one call at a time
 * (docs/rpc.md: one dispatcher per endpoint). */
static void concurrent_clients_each_get_their_own_identity(void)
{
    static const char *const users[] = { "alice", "bob", "carol" };
    struct busy busy = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
    struct rf_job jobs[3];
    struct many m[3];
    pthread_t th[3];
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "busy", 0), count_inside,
                    &busy);
    for (int i = 0; i < 3; i++) {
        static const char *const principals[] = { "CONTOSO\\alice", "CONTOSO\\bob",
                                                   "CONTOSO\\carol" };
        m[i] = (struct many){ principals[i], 0 };
        jobs[i] = (struct rf_job){ rf_process(users[i], NTSEC_LOGON_INTERACTIVE, WS), many_calls,
                                   &m[i], false };
        CU_ASSERT_FATAL(pthread_create(&th[i], NULL, many_main, &jobs[i]) == 0);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        CU_ASSERT_EQUAL(m[i].failures, 0);
        ntsec_object_put(jobs[i].process);
    }
    CU_ASSERT_EQUAL(busy.served, 150);
    CU_ASSERT_EQUAL(busy.most, 1);
    rf_server_stop(&s);
}

/* --- string bindings ------------------------------------------------------ */

/* RpcStringBindingCompose escapes '\' (and '@', ':', '[', ']'): Windows
 * composes "ncacn_np:.[\\pipe\\wine_rpc_test]" from the endpoint
 * "\pipe\wine_rpc_test" (Wine's tests/rpc.c test_RpcStringBindingFromBinding). */
static void compose_escapes_the_special_characters(void)
{
    char *s = NULL;

    CU_ASSERT(ntsec_rpc_string_binding_compose(NULL, "ncacn_np", ".", "\\pipe\\wine_rpc_test",
                                               NULL, &s) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(s, "ncacn_np:.[\\\\pipe\\\\wine_rpc_test]");
    ntsec_mem_free(s);
    CU_ASSERT(ntsec_rpc_string_binding_compose("00000000-0000-0000-c000-000000000046", "ncalrpc",
                                               "", "a:b", "opt=1", &s) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(s, "00000000-0000-0000-c000-000000000046@ncalrpc:[a\\:b,opt=1]");
    ntsec_mem_free(s);
    CU_ASSERT(ntsec_rpc_string_binding_compose(NULL, NULL, NULL, NULL, NULL, &s) ==
              NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(s, "");
    ntsec_mem_free(s);
    CU_ASSERT_EQUAL(ntsec_rpc_string_binding_compose(NULL, "ncalrpc", NULL, "x", NULL, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
}

/* Parsing takes the escapes out ("[endpoint=\pipe\test]" is the endpoint
 * "pipetest", Wine's tests/rpc.c test_RpcStringBindingParseA): a binding
 * written "ncalrpc:[endpoint=my\:ep,opt=x]" reaches the endpoint "my:ep". */
static void parse_takes_escapes_out_and_reads_the_endpoint_option(void)
{
    struct observer o = { 0 };
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "my:ep", 0), observe, &o);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[endpoint=my\\:ep,Security=Identification]",
                              NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(call_from(ALICE, WS,
                              "00000000-0000-0000-c000-000000000046@ncalrpc:[my\\:ep]", NULL),
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(o.calls, 2);
    rf_server_stop(&s);
}

/* RpcBindingFromStringBinding's errors: RPC_S_INVALID_STRING_BINDING for a
 * string without a protocol sequence (Wine's tests/rpc.c, on Windows), an
 * unclosed '[', text after ']' or two endpoints; RPC_S_INVALID_STRING_UUID
 * for a bad object UUID; RPC_S_PROTSEQ_NOT_SUPPORTED for a protocol
 * sequence ntsec does not serve; RPC_S_INVALID_ENDPOINT_FORMAT and
 * RPC_S_INVALID_NET_ADDR for what the MIDL reference forbids. */
static void bad_string_bindings_make_no_binding(void)
{
    static const struct {
        const char *s;
        ntsec_status want;
    } cases[] = {
        { "ncalrpc", NTSEC_RPC_NT_INVALID_STRING_BINDING },
        { "", NTSEC_RPC_NT_INVALID_STRING_BINDING },
        { "ncalrpc:[ep", NTSEC_RPC_NT_INVALID_STRING_BINDING },
        { "ncalrpc:[ep]x", NTSEC_RPC_NT_INVALID_STRING_BINDING },
        { "ncalrpc:[a,b]", NTSEC_RPC_NT_INVALID_STRING_BINDING },
        { "ncalrpc:[a,endpoint=b]", NTSEC_RPC_NT_INVALID_STRING_BINDING },
        { "ncalrpc:[a\\", NTSEC_RPC_NT_INVALID_STRING_BINDING },
        { "{00000000-0000-0000-c000-000000000046}@ncalrpc:[a]", NTSEC_RPC_NT_INVALID_STRING_UUID },
        { "0000000-0000-0000-c000-000000000046@ncalrpc:[a]", NTSEC_RPC_NT_INVALID_STRING_UUID },
        { "foo:[a]", NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED },
        { "ncacn_ip_tcp:127.0.0.1[4114]", NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED },
        { ":[a]", NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED },
        { "NCALRPC:[a]", NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED },
        { "ncacn_np:.[test]", NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT },
        { "ncacn_np:.[\\\\pipe\\\\]", NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT },
        { "ncalrpc:[a\\\\b]", NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT },
        { "ncalrpc:SERVER1[a]", NTSEC_RPC_NT_INVALID_NET_ADDR },
    };
    struct ntsec_rpc_binding *b = (struct ntsec_rpc_binding *)&b;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ntsec_status st = ntsec_rpc_binding_from_string(cases[i].s, &b);

        CU_ASSERT_EQUAL(st, cases[i].want);
        if (st != cases[i].want)
            fprintf(stderr, "%s: %#x\n", cases[i].s, (unsigned)st);
        CU_ASSERT_PTR_EQUAL(b, &b);
    }
    CU_ASSERT_EQUAL(ntsec_rpc_binding_from_string(NULL, &b), NTSEC_RPC_NT_INVALID_STRING_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_binding_from_string("ncalrpc:[a]", NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(b, &b);
}

/* --- binding handles: auth info and bad input ----------------------------- */

/* "Unless a client calls RpcBindingSetAuthInfoEx, all remote procedure
 * calls on Binding are unauthenticated" (RpcBindingSetAuthInfoEx); level
 * NONE makes RpcBindingInqAuthInfo answer RPC_S_BINDING_HAS_NO_AUTH, and
 * a set level, service, authorization service and principal are given
 * back (Wine's tests/rpc.c test_rpc_ncacn_ip_tcp, on Windows); DEFAULT is
 * WINNT and CONNECT ([MS-RPCE] 2.2.1.1.8). */
static void inq_auth_info_gives_back_what_was_set(void)
{
    struct ntsec_rpc_binding *b;
    struct ntsec_rpc_auth_query q;
    char *principal = (char *)1;
    int handle;
    struct ntsec_rpc_auth_info a = {
        .server_principal = "principal", .level = NTSEC_AUTHN_LEVEL_PKT_PRIVACY,
        .service = NTSEC_RPC_AUTHN_WINNT, .identity_handle = &handle,
        .authz_service = NTSEC_RPC_AUTHZ_NAME,
        .qos = QOS(NTSEC_RPC_IMP_LEVEL_DELEGATE, NTSEC_RPC_QOS_IDENTITY_DYNAMIC,
                   NTSEC_RPC_QOS_CAPABILITIES_MUTUAL_AUTH) };

    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncacn_np:SERVER1[\\\\pipe\\\\x]", &b) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_binding_inq_auth_info(b, &principal, &q),
                    NTSEC_RPC_NT_BINDING_HAS_NO_AUTH);
    CU_ASSERT_PTR_EQUAL(principal, (char *)1);
    CU_ASSERT(ntsec_rpc_binding_set_auth_info(b, &a) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_rpc_binding_inq_auth_info(b, &principal, &q) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_STRING_EQUAL(principal, "principal");
    ntsec_mem_free(principal);
    CU_ASSERT_EQUAL(q.level, NTSEC_AUTHN_LEVEL_PKT_PRIVACY);
    CU_ASSERT_EQUAL(q.service, NTSEC_RPC_AUTHN_WINNT);
    CU_ASSERT_EQUAL(q.authz_service, NTSEC_RPC_AUTHZ_NAME);
    CU_ASSERT_PTR_EQUAL(q.identity_handle, &handle);
    CU_ASSERT_EQUAL(q.qos.version, 1);
    CU_ASSERT_EQUAL(q.qos.impersonation_type, NTSEC_RPC_IMP_LEVEL_DELEGATE);
    CU_ASSERT_EQUAL(q.qos.identity_tracking, NTSEC_RPC_QOS_IDENTITY_DYNAMIC);
    CU_ASSERT_EQUAL(q.qos.capabilities, NTSEC_RPC_QOS_CAPABILITIES_MUTUAL_AUTH);
    CU_ASSERT(ntsec_rpc_binding_set_auth_info(b, AUTH(0, NTSEC_RPC_AUTHN_DEFAULT, NULL)) ==
              NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_rpc_binding_inq_auth_info(b, NULL, &q) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(q.level, NTSEC_AUTHN_LEVEL_CONNECT);
    CU_ASSERT_EQUAL(q.service, NTSEC_RPC_AUTHN_WINNT);
    CU_ASSERT_EQUAL(q.qos.identity_tracking, NTSEC_RPC_QOS_IDENTITY_STATIC);
    CU_ASSERT(ntsec_rpc_binding_set_auth_info(
                  b, AUTH(NTSEC_AUTHN_LEVEL_NONE, NTSEC_RPC_AUTHN_WINNT, NULL)) ==
              NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_binding_inq_auth_info(b, NULL, &q),
                    NTSEC_RPC_NT_BINDING_HAS_NO_AUTH);
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
}

/* RpcBindingSetAuthInfoEx's errors (RPC_S_UNKNOWN_AUTHN_SERVICE; "ncalrpc
 * supports only RPC_C_AUTHN_WINNT"; RPC_S_UNKNOWN_AUTHN_LEVEL and
 * RPC_S_UNKNOWN_AUTHZ_SERVICE as Wine's rpc_binding.c; RPC_S_INVALID_ARG
 * for LOCAL_MA_HINT without MUTUAL_AUTH and SCHANNEL_FULL_AUTH_IDENTITY,
 * RPC_SECURITY_QOS) leave the binding as it was. */
static void bad_auth_info_leaves_the_binding_unchanged(void)
{
    static const struct ntsec_rpc_identity nobody = { NULL, NULL, "x" };
    static const struct ntsec_rpc_identity empty = { "", NULL, "x" };
    const struct {
        struct ntsec_rpc_auth_info a;
        const char *binding;
        ntsec_status want;
    } cases[] = {
        { { .level = 7, .service = NTSEC_RPC_AUTHN_WINNT }, "ncalrpc:[x]",
          NTSEC_RPC_NT_UNKNOWN_AUTHN_LEVEL },
        { { .level = 2, .service = 123 }, "ncalrpc:[x]", NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE },
        { { .level = 2, .service = NTSEC_RPC_AUTHN_GSS_NEGOTIATE }, "ncalrpc:[x]",
          NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE },
        { { .level = 2, .service = NTSEC_RPC_AUTHN_GSS_KERBEROS }, "ncalrpc:[x]",
          NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE },
        { { .level = 2, .service = 10, .authz_service = 5 }, "ncalrpc:[x]",
          NTSEC_RPC_NT_UNKNOWN_AUTHZ_SERVICE },
        { { .level = 2, .service = 10, .identity = &nobody }, "ncalrpc:[x]",
          NTSEC_RPC_NT_INVALID_AUTH_IDENTITY },
        { { .level = 2, .service = 10, .identity = &empty }, "ncalrpc:[x]",
          NTSEC_RPC_NT_INVALID_AUTH_IDENTITY },
        { { .level = 2, .service = 10, .qos = &(struct ntsec_rpc_qos){ 0, 0, 0, 3 } },
          "ncalrpc:[x]", NTSEC_STATUS_INVALID_PARAMETER },
        { { .level = 2, .service = 10, .qos = QOS(3, 2, 0) }, "ncalrpc:[x]",
          NTSEC_STATUS_INVALID_PARAMETER },
        { { .level = 2, .service = 10, .qos = QOS(5, 0, 0) }, "ncalrpc:[x]",
          NTSEC_STATUS_INVALID_PARAMETER },
        { { .level = 2, .service = 10, .qos = QOS(3, 0, 0x40) }, "ncalrpc:[x]",
          NTSEC_STATUS_INVALID_PARAMETER },
        { { .level = 2, .service = 10,
            .qos = QOS(3, 0, NTSEC_RPC_QOS_CAPABILITIES_LOCAL_MA_HINT) }, "ncalrpc:[x]",
          NTSEC_STATUS_INVALID_PARAMETER },
        { { .level = 2, .service = 10,
            .qos = QOS(3, 0, NTSEC_RPC_QOS_CAPABILITIES_SCHANNEL_FULL_AUTH_IDENTITY) },
          "ncalrpc:[x]", NTSEC_STATUS_INVALID_PARAMETER },
        { { .level = 2, .service = NTSEC_RPC_AUTHN_GSS_NEGOTIATE }, "ncacn_np:[\\\\pipe\\\\x]",
          0 },
    };
    struct ntsec_rpc_auth_info before = { .server_principal = "before", .level = 5,
                                          .service = NTSEC_RPC_AUTHN_WINNT };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ntsec_rpc_binding *b;
        struct ntsec_rpc_auth_query q;
        char *principal = NULL;
        ntsec_status st;

        CU_ASSERT_FATAL(ntsec_rpc_binding_from_string(cases[i].binding, &b) ==
                        NTSEC_STATUS_SUCCESS);
        CU_ASSERT(ntsec_rpc_binding_set_auth_info(b, &before) == NTSEC_STATUS_SUCCESS);
        st = ntsec_rpc_binding_set_auth_info(b, &cases[i].a);
        CU_ASSERT_EQUAL(st, cases[i].want);
        if (st != cases[i].want)
            fprintf(stderr, "case %zu: %#x\n", i, (unsigned)st);
        CU_ASSERT(ntsec_rpc_binding_inq_auth_info(b, &principal, &q) == NTSEC_STATUS_SUCCESS);
        if (cases[i].want) {
            CU_ASSERT_EQUAL(q.level, 5);
            CU_ASSERT_STRING_EQUAL(principal, "before");
        }
        ntsec_mem_free(principal);
        CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
    }
}

static ntsec_status use_call_as_binding(struct ntsec_rpc_call *call, void *arg, const void *in,
                                        size_t in_len, void **out, size_t *out_len)
{
    ntsec_status *st = arg;
    struct ntsec_rpc_auth_query q;

    (void)in;
    (void)in_len;
    st[0] = ntsec_rpc_binding_free((struct ntsec_rpc_binding *)call);
    st[1] = ntsec_rpc_binding_set_auth_info((struct ntsec_rpc_binding *)call,
                                            AUTH(2, 10, NULL));
    st[2] = ntsec_rpc_binding_inq_auth_info((struct ntsec_rpc_binding *)call, NULL, &q);
    st[3] = ntsec_rpc_call((struct ntsec_rpc_binding *)call, 0, NULL, 0, out, out_len);
    return NTSEC_STATUS_SUCCESS;
}

/* A call handle given where a client binding is wanted, and a binding
 * where a call is wanted: RPC_S_WRONG_KIND_OF_BINDING ("This was the
 * wrong kind of binding for the operation", RpcBindingSetAuthInfoEx,
 * RpcImpersonateClient); a pointer that is no handle, or a freed one:
 * RPC_S_INVALID_BINDING; RpcBindingFree of NULL too (Wine's tests/rpc.c,
 * on Windows). */
static void wrong_and_invalid_handles_are_refused(void)
{
    ntsec_status st[4] = { 0 };
    struct rf_server s;
    struct ntsec_rpc_binding *b;
    struct ntsec_rpc_client_info info;
    struct ntsec_rpc_auth_query q;
    int junk;
    void *out;
    size_t len;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "kind", 0), use_call_as_binding,
                    st);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[kind]", NULL), NTSEC_STATUS_SUCCESS);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(st[i], NTSEC_RPC_NT_WRONG_KIND_OF_BINDING);
    rf_server_stop(&s);
    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncalrpc:[kind]", &b) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_impersonate_client((struct ntsec_rpc_call *)b),
                    NTSEC_RPC_NT_WRONG_KIND_OF_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_revert_to_self((struct ntsec_rpc_call *)b),
                    NTSEC_RPC_NT_WRONG_KIND_OF_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_inq_auth_client((struct ntsec_rpc_call *)b, &info),
                    NTSEC_RPC_NT_WRONG_KIND_OF_BINDING);
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_binding_free(b), NTSEC_RPC_NT_INVALID_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_binding_free(NULL), NTSEC_RPC_NT_INVALID_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_binding_free((struct ntsec_rpc_binding *)&junk),
                    NTSEC_RPC_NT_INVALID_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_binding_set_auth_info(NULL, AUTH(2, 10, NULL)),
                    NTSEC_RPC_NT_INVALID_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_binding_inq_auth_info(NULL, NULL, &q), NTSEC_RPC_NT_INVALID_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_call(NULL, 0, NULL, 0, &out, &len), NTSEC_RPC_NT_INVALID_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_impersonate_client((struct ntsec_rpc_call *)&junk),
                    NTSEC_RPC_NT_INVALID_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_revert_to_self((struct ntsec_rpc_call *)&junk),
                    NTSEC_RPC_NT_INVALID_BINDING);
    CU_ASSERT_EQUAL(ntsec_rpc_call_opnum(NULL), 0);
}

static ntsec_status keep_handle(struct ntsec_rpc_call *call, void *arg, const void *in,
                                size_t in_len, void **out, size_t *out_len)
{
    (void)in;
    (void)in_len;
    (void)out;
    (void)out_len;
    *(struct ntsec_rpc_call **)arg = call;
    return ntsec_rpc_call_opnum(call) == 7 ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_UNSUCCESSFUL;
}

/* A call handle is valid while its call runs: kept after the call
 * returned, it is RPC_S_INVALID_BINDING. */
static void a_finished_call_is_no_longer_a_handle(void)
{
    struct ntsec_rpc_call *kept = NULL;
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "kept", 0), keep_handle, &kept);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[kept]", NULL), NTSEC_STATUS_SUCCESS);
    CU_ASSERT_PTR_NOT_NULL(kept);
    CU_ASSERT_EQUAL(ntsec_rpc_impersonate_client(kept), NTSEC_RPC_NT_INVALID_BINDING);
    rf_server_stop(&s);
}

static ntsec_status fail_with_handler_status(struct ntsec_rpc_call *call, void *arg,
                                             const void *in, size_t in_len, void **out,
                                             size_t *out_len)
{
    (void)call;
    (void)arg;
    (void)in;
    *out = ntsec_mem_alloc(8);
    *out_len = in_len;
    return NTSEC_STATUS_ACCESS_DENIED;
}

/* The handler's status is the call's (a server routine's error reaches
 * the client), and an answer it made then is dropped. */
static void handler_status_is_the_calls(void)
{
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "deny", 0),
                    fail_with_handler_status, NULL);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[deny]", NULL), NTSEC_STATUS_ACCESS_DENIED);
    rf_server_stop(&s);
}

static ntsec_status call_myself(struct ntsec_rpc_call *call, void *arg, const void *in,
                                size_t in_len, void **out, size_t *out_len)
{
    struct ntsec_rpc_endpoint **ep = arg;
    struct ntsec_rpc_binding *b;
    ntsec_status st;

    (void)call;
    (void)in;
    (void)in_len;
    if (ntsec_rpc_endpoint_unregister(*ep) != NTSEC_STATUS_INVALID_PARAMETER)
        return NTSEC_STATUS_UNSUCCESSFUL;
    if (!ntsec_success(ntsec_rpc_binding_from_string("ncalrpc:[self]", &b)))
        return NTSEC_STATUS_UNSUCCESSFUL;
    st = ntsec_rpc_call(b, 0, NULL, 0, out, out_len);
    ntsec_rpc_binding_free(b);
    return st;
}

/* A handler calling its own endpoint would wait for itself (one
 * dispatcher): RPC_S_SERVER_TOO_BUSY; it cannot unregister its endpoint
 * either. */
static void a_handler_cannot_call_or_unregister_its_own_endpoint(void)
{
    struct rf_server s;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "self", 0), call_myself, &s.ep);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[self]", NULL), NTSEC_RPC_NT_SERVER_TOO_BUSY);
    rf_server_stop(&s);
}

/* ntsec_rpc_call's errors, nothing written: NULL outputs and input
 * without a buffer RPC_S_INVALID_ARG; no endpoint in the binding: the
 * endpoint mapper's EPT_S_NOT_REGISTERED; no server at the endpoint, an
 * unknown machine or an unregistered endpoint: RPC_S_SERVER_UNAVAILABLE. */
static void calls_that_reach_no_server_fail_cleanly(void)
{
    struct observer o = { 0 };
    struct rf_server s;
    struct ntsec_rpc_binding *b;
    void *out = (void *)1;
    size_t len = 99;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "gone", 0), observe, &o);
    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncalrpc:[gone]", &b) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_call(b, 0, NULL, 0, NULL, &len), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_rpc_call(b, 0, NULL, 0, &out, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_rpc_call(b, 0, NULL, 3, &out, &len), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(out, (void *)1);
    CU_ASSERT_EQUAL(len, 99);
    CU_ASSERT_EQUAL(o.calls, 0);
    rf_server_stop(&s);
    CU_ASSERT_EQUAL(ntsec_rpc_call(b, 0, NULL, 0, &out, &len), NTSEC_RPC_NT_SERVER_UNAVAILABLE);
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:", NULL), NTSEC_EPT_NT_NOT_REGISTERED);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncalrpc:[nobody]", NULL),
                    NTSEC_RPC_NT_SERVER_UNAVAILABLE);
    CU_ASSERT_EQUAL(call_from(ALICE, WS, "ncacn_np:NOWHERE[\\\\pipe\\\\x]", NULL),
                    NTSEC_RPC_NT_SERVER_UNAVAILABLE);
    CU_ASSERT_PTR_EQUAL(out, (void *)1);
}

/* --- endpoints and server auth info: bad input ---------------------------- */

static ntsec_status nothing(struct ntsec_rpc_call *call, void *arg, const void *in, size_t in_len,
                            void **out, size_t *out_len)
{
    (void)call, (void)arg, (void)in, (void)in_len, (void)out, (void)out_len;
    return NTSEC_STATUS_SUCCESS;
}

/* An endpoint name is taken once per protocol sequence and machine
 * (RPC_S_DUPLICATE_ENDPOINT); the same name serves on another machine or
 * with the other protocol sequence. Bad descriptions make nothing. */
static void endpoint_registration_checks_its_arguments(void)
{
    struct ntsec_process *p = rf_process(SVCWEB, WS), *far = rf_process(SVCWEB, S1);
    struct ntsec_rpc_endpoint *ep = NULL, *ep2 = NULL, *ep3 = NULL, *bad = NULL;
    struct ntsec_rpc_endpoint_desc d = { "ncalrpc", "dup", p, NTSEC_AUTHN_LEVEL_NONE, nothing,
                                         NULL };
    const struct {
        struct ntsec_rpc_endpoint_desc d;
        ntsec_status want;
    } cases[] = {
        { { NULL, "e", p, 0, nothing, NULL }, NTSEC_STATUS_INVALID_PARAMETER },
        { { "ncalrpc", NULL, p, 0, nothing, NULL }, NTSEC_STATUS_INVALID_PARAMETER },
        { { "ncalrpc", "e", NULL, 0, nothing, NULL }, NTSEC_STATUS_INVALID_PARAMETER },
        { { "ncalrpc", "e", p, 0, NULL, NULL }, NTSEC_STATUS_INVALID_PARAMETER },
        { { "ncalrpc", "e", p, 7, nothing, NULL }, NTSEC_STATUS_INVALID_PARAMETER },
        { { "ncadg_ip_udp", "e", p, 0, nothing, NULL }, NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED },
        { { "ncalrpc", "", p, 0, nothing, NULL }, NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT },
        { { "ncalrpc", "a\\b", p, 0, nothing, NULL }, NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT },
        { { "ncacn_np", "pipe", p, 0, nothing, NULL }, NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CU_ASSERT_EQUAL(ntsec_rpc_endpoint_register(&cases[i].d, &bad), cases[i].want);
        CU_ASSERT_PTR_NULL(bad);
    }
    CU_ASSERT_EQUAL(ntsec_rpc_endpoint_register(NULL, &bad), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_rpc_endpoint_register(&d, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT(ntsec_rpc_endpoint_register(&d, &ep) == NTSEC_STATUS_SUCCESS);
    d.endpoint = "DUP";
    CU_ASSERT_EQUAL(ntsec_rpc_endpoint_register(&d, &bad), NTSEC_RPC_NT_DUPLICATE_ENDPOINT);
    CU_ASSERT_PTR_NULL(bad);
    d.server = far;
    CU_ASSERT(ntsec_rpc_endpoint_register(&d, &ep2) == NTSEC_STATUS_SUCCESS);
    d = (struct ntsec_rpc_endpoint_desc){ "ncacn_np", "\\PIPE\\dup", p, 0, nothing, NULL };
    CU_ASSERT(ntsec_rpc_endpoint_register(&d, &ep3) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(ntsec_rpc_endpoint_unregister(NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT(ntsec_rpc_endpoint_unregister(ep) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_rpc_endpoint_unregister(ep2) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_rpc_endpoint_unregister(ep3) == NTSEC_STATUS_SUCCESS);
    ntsec_object_put(p);
    ntsec_object_put(far);
}

/* RpcServerRegisterAuthInfo: an unknown service is
 * RPC_S_UNKNOWN_AUTHN_SERVICE (Wine's rpc_server.c). */
static void server_auth_info_takes_known_services_only(void)
{
    struct ntsec_process *p = rf_process(SVCWEB, WS);
    char longname[300];

    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    CU_ASSERT_EQUAL(ntsec_rpc_server_register_auth_info(p, NULL, NTSEC_RPC_AUTHN_NONE),
                    NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(ntsec_rpc_server_register_auth_info(p, NULL, 1),
                    NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(ntsec_rpc_server_register_auth_info(NULL, NULL, NTSEC_RPC_AUTHN_WINNT),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_rpc_server_register_auth_info(p, longname, NTSEC_RPC_AUTHN_WINNT),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT(ntsec_rpc_server_register_auth_info(p, "host/svc", NTSEC_RPC_AUTHN_WINNT) ==
              NTSEC_STATUS_SUCCESS);
    ntsec_object_put(p);
}

/* Many short-lived server processes register auth info: the slots of
 * processes gone are taken back (docs/rpc.md). */
static void auth_info_slots_of_gone_processes_are_reused(void)
{
    for (int i = 0; i < 200; i++) {
        struct ntsec_process *p = rf_process(SVCWEB, WS);

        CU_ASSERT_EQUAL(ntsec_rpc_server_register_auth_info(p, NULL, NTSEC_RPC_AUTHN_WINNT),
                        NTSEC_STATUS_SUCCESS);
        ntsec_object_put(p);
    }
}

/* --- allocation failure --------------------------------------------------- */

/* Each failed allocation fails the function with STATUS_NO_MEMORY
 * (RPC_S_OUT_OF_MEMORY) and leaves nothing behind (the runner counts). */
static void binding_functions_survive_allocation_failure(void)
{
    static const struct ntsec_rpc_identity bob = { "bob", "CONTOSO", "bob-password" };
    struct ntsec_rpc_auth_info a = { .server_principal = "p", .level = 2, .service = 10,
                                     .identity = &bob };
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;
    long n;

    for (n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 100; n++) {
        struct ntsec_rpc_binding *b = NULL;

        testutil_fail_alloc_after(n);
        st = ntsec_rpc_binding_from_string("0000000a-0000-0000-c000-000000000046@ncacn_np:"
                                           "\\\\\\\\SERVER1[\\\\pipe\\\\x,opt=1]",
                                           &b);
        if (ntsec_success(st)) {
            st = ntsec_rpc_binding_set_auth_info(b, &a);
            testutil_fail_alloc_after(-1);
            ntsec_rpc_binding_free(b);
        } else {
            CU_ASSERT_PTR_NULL(b);
        }
        testutil_fail_alloc_after(-1);
    }
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT(n > 3);
    st = NTSEC_STATUS_NO_MEMORY;
    for (n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 100; n++) {
        char *s = NULL;

        testutil_fail_alloc_after(n);
        st = ntsec_rpc_string_binding_compose("u", "p", "n", "e", "o", &s);
        testutil_fail_alloc_after(-1);
        ntsec_mem_free(s);
    }
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
}

static void call_survives_allocation_failure_in(void *arg)
{
    ntsec_status *result = arg;
    struct ntsec_rpc_binding *b;
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;
    void *out = NULL;
    size_t len;
    long n;

    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncalrpc:[oom]", &b) == NTSEC_STATUS_SUCCESS);
    for (n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 200; n++) {
        CU_ASSERT(ntsec_rpc_binding_set_auth_info(b, AUTH(2, 10, QOS(3, 1, 0))) ==
                  NTSEC_STATUS_SUCCESS);
        testutil_fail_alloc_after(n);
        st = ntsec_rpc_call(b, 0, "x", 1, &out, &len);
        testutil_fail_alloc_after(-1);
    }
    ntsec_mem_free(out);
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
    *result = st;
}

/* A call whose allocations fail one after another - in the client's
 * capture, the server's context, or the handler's answer - fails with
 * STATUS_NO_MEMORY until it succeeds, and leaks nothing. */
static void call_survives_allocation_failure(void)
{
    struct observer o = { 0 };
    struct rf_server s;
    struct ntsec_process *p = rf_process(ALICE, WS);
    ntsec_status st = NTSEC_STATUS_UNSUCCESSFUL;

    rf_server_start(&s, SERVER(SVCWEB, NULL, NULL, "oom", 0), observe, &o);
    rf_run_in(p, call_survives_allocation_failure_in, &st);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    rf_server_stop(&s);
    ntsec_object_put(p);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(local_call_impersonates_the_client_at_its_qos_level),
        TEST(ncalrpc_is_always_authenticated_at_packet_privacy),
        TEST(identify_is_honoured_on_ncalrpc_and_promoted_on_named_pipes),
        TEST(server_without_impersonate_privilege_gets_identification),
        TEST(revert_to_self_restores_the_server_thread),
        TEST(outside_a_call_is_no_call_active),
        TEST(call_below_the_servers_level_is_access_denied),
        TEST(unauthenticated_pipe_call_has_no_auth_but_the_pipes_identity),
        TEST(unregistered_service_is_unknown_on_pipes_only),
        TEST(dynamic_tracking_sees_a_privilege_enabled_between_calls),
        TEST(dynamic_tracking_sees_an_impersonation_begun_between_calls),
        TEST(explicit_credentials_make_the_call_run_as_that_account),
        TEST(remote_call_gets_a_network_logon_without_credentials),
        TEST(delegation_needs_a_delegable_client_and_a_trusted_server),
        TEST(a_further_hop_needs_delegation),
        TEST(ncalrpc_does_not_reach_another_machine),
        TEST(concurrent_clients_each_get_their_own_identity),
        TEST(compose_escapes_the_special_characters),
        TEST(parse_takes_escapes_out_and_reads_the_endpoint_option),
        TEST(bad_string_bindings_make_no_binding),
        TEST(inq_auth_info_gives_back_what_was_set),
        TEST(bad_auth_info_leaves_the_binding_unchanged),
        TEST(wrong_and_invalid_handles_are_refused),
        TEST(a_finished_call_is_no_longer_a_handle),
        TEST(handler_status_is_the_calls),
        TEST(a_handler_cannot_call_or_unregister_its_own_endpoint),
        TEST(calls_that_reach_no_server_fail_cleanly),
        TEST(endpoint_registration_checks_its_arguments),
        TEST(server_auth_info_takes_known_services_only),
        TEST(auth_info_slots_of_gone_processes_are_reused),
        TEST(binding_functions_survive_allocation_failure),
        TEST(call_survives_allocation_failure),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("rpc", tests);
}

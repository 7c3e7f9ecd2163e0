/* test_emul_rpc.c - rpcrt4's security functions called as Windows code
 * calls them, with Wine's <rpc.h>: string bindings, binding handles and
 * their auth info, RpcServerRegisterAuthInfoW, and a server handler that
 * impersonates its client with RpcImpersonateClient and looks at the
 * result with OpenThreadToken / GetTokenInformation / LookupAccountSidW,
 * asks RpcBindingInqAuthClientW and reverts. The call itself is
 * ntsec_rpc_call (there is no MIDL stub). Servers and clients are
 * processes of the default world (rpcfix.h). Windows' results come from
 * Microsoft docs and Wine's dlls/rpcrt4/tests (rpc.c, server.c), which
 * assert them on Windows; docs/rpc.md lists ntsec's own choices. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <rpc.h>

#include "rpcfix.h"
#include "testutil.h"

/* --- a Win32 server ------------------------------------------------------- */

struct seen {
    int calls;
    RPC_STATUS impersonate, inq, revert;
    SECURITY_IMPERSONATION_LEVEL level;
    WCHAR user[64], domain[64];
    BOOL network;
    WCHAR privs[64];                    /* RpcBindingInqAuthClientW's Privs */
    BOOL spn_null;
    ULONG authn_level, authn_svc, authz_svc;
    DWORD after_revert;                 /* OpenThreadToken's error after RpcRevertToSelf */
    bool by_handle;
};

/* The impersonated thread token, as a Windows server reads it. */
static void read_thread_token(struct seen *v)
{
    _Alignas(8) BYTE buf[256];
    SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    PSID network = NULL;
    DWORD len, ulen = 64, dlen = 64;
    SID_NAME_USE use;
    HANDLE token;

    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token))
        return;
    if (GetTokenInformation(token, TokenImpersonationLevel, buf, sizeof(buf), &len))
        v->level = *(SECURITY_IMPERSONATION_LEVEL *)buf;
    if (GetTokenInformation(token, TokenUser, buf, sizeof(buf), &len))
        LookupAccountSidW(NULL, ((TOKEN_USER *)buf)->User.Sid, v->user, &ulen, v->domain, &dlen,
                          &use);
    if (AllocateAndInitializeSid(&nt, 1, SECURITY_NETWORK_RID, 0, 0, 0, 0, 0, 0, 0, &network)) {
        CheckTokenMembership(token, network, &v->network);
        FreeSid(network);
    }
    CloseHandle(token);
}

static ntsec_status win32_handler(struct ntsec_rpc_call *call, void *arg, const void *in,
                                  size_t in_len, void **out, size_t *out_len)
{
    struct seen *v = arg;
    RPC_BINDING_HANDLE h = v->by_handle ? (RPC_BINDING_HANDLE)call : NULL;
    RPC_AUTHZ_HANDLE privs = NULL;
    RPC_WSTR spn = (RPC_WSTR)1;
    HANDLE token;
    int calls = v->calls + 1;
    bool by_handle = v->by_handle;

    (void)in;
    (void)in_len;
    (void)out;
    (void)out_len;
    *v = (struct seen){ .calls = calls, .by_handle = by_handle };
    v->inq = RpcBindingInqAuthClientW(h, &privs, &spn, &v->authn_level, &v->authn_svc,
                                      &v->authz_svc);
    if (v->inq == RPC_S_OK) {
        if (privs)
            memcpy(v->privs, privs, (ntsec_wstr_len(privs) + 1) * sizeof(WCHAR));
        v->spn_null = spn == NULL;
        RpcStringFreeW(&spn);
    }
    v->impersonate = RpcImpersonateClient(h);
    if (v->impersonate == RPC_S_OK)
        read_thread_token(v);
    v->revert = h ? RpcRevertToSelfEx(h) : RpcRevertToSelf();
    SetLastError(0);
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token))
        v->after_revert = GetLastError();
    else
        CloseHandle(token);
    return NTSEC_STATUS_SUCCESS;
}

/* --- a Win32 client ------------------------------------------------------- */

struct client {
    const WCHAR *binding;
    bool set_auth;
    ULONG level, svc, authz;
    RPC_AUTH_IDENTITY_HANDLE identity;
    RPC_SECURITY_QOS *qos;
    const WCHAR *logon_as;              /* LogonUserW + ImpersonateLoggedOnUser first */
    RPC_STATUS status;
};

static void client_main(void *arg)
{
    struct client *c = arg;
    RPC_BINDING_HANDLE h = NULL;
    HANDLE token = NULL;
    void *out = NULL;
    size_t len;
    WCHAR password[32];

    if (c->logon_as) {
        size_t n = ntsec_wstr_len(c->logon_as);

        memcpy(password, c->logon_as, n * sizeof(WCHAR));
        memcpy(password + n, u"-password", sizeof(u"-password"));
        CU_ASSERT_FATAL(LogonUserW(c->logon_as, NULL, password, LOGON32_LOGON_INTERACTIVE,
                                   LOGON32_PROVIDER_DEFAULT, &token));
        CU_ASSERT(ImpersonateLoggedOnUser(token));
    }
    c->status = RpcBindingFromStringBindingW((RPC_WSTR)c->binding, &h);
    if (c->status == RPC_S_OK && c->set_auth)
        c->status = RpcBindingSetAuthInfoExW(h, NULL, c->level, c->svc, c->identity, c->authz,
                                             c->qos);
    if (c->status == RPC_S_OK)
        c->status = ntsec_status_to_win32(ntsec_rpc_call(h, 0, "x", 1, &out, &len));
    ntsec_mem_free(out);
    if (h)
        CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_OK);
    CU_ASSERT_PTR_NULL(h);
    if (token) {
        RevertToSelf();
        CloseHandle(token);
    }
}

static RPC_STATUS call_from(const char *user, enum ntsec_logon_type type, const char *machine,
                            struct client *c)
{
    struct ntsec_process *p = rf_process(user, type, machine);

    c->status = RPC_S_INTERNAL_ERROR;
    rf_run_in(p, client_main, c);
    ntsec_object_put(p);
    return c->status;
}

static const struct rf_server_spec *spec(const char *user, enum ntsec_logon_type logon,
                                         const char *machine, const char *protseq,
                                         const char *endpoint, enum ntsec_authn_level min)
{
    static struct rf_server_spec s;

    s = (struct rf_server_spec){ .user = user, .logon = logon, .machine = machine,
                                 .protseq = protseq, .endpoint = endpoint, .min_level = min };
    return &s;
}

/* --- calls ---------------------------------------------------------------- */

/* RpcImpersonateClient / RpcRevertToSelf (Microsoft docs) on an ncalrpc
 * call with no auth info: the handler's thread token is the client at
 * Impersonation, RpcBindingInqAuthClientW gives Privs "DOMAIN\user",
 * RPC_C_AUTHN_LEVEL_PKT_PRIVACY and RPC_C_AUTHN_WINNT (Wine's
 * tests/server.c s_authinfo_test, on Windows), and after RpcRevertToSelf
 * OpenThreadToken finds no token (ERROR_NO_TOKEN). */
static void handler_impersonates_with_rpcimpersonateclient(void)
{
    struct seen v = { 0 };
    struct rf_server s;
    struct client c = { .binding = u"ncalrpc:[w32]" };

    rf_server_start(&s, spec("svc-web", NTSEC_LOGON_SERVICE, NULL, NULL, "w32", 0), win32_handler,
                    &v);
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_OK);
    CU_ASSERT_EQUAL(v.inq, RPC_S_OK);
    CU_ASSERT(!memcmp(v.privs, u"CONTOSO\\alice", sizeof(u"CONTOSO\\alice")));
    CU_ASSERT_EQUAL(v.authn_level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    CU_ASSERT_EQUAL(v.authn_svc, RPC_C_AUTHN_WINNT);
    CU_ASSERT_EQUAL(v.impersonate, RPC_S_OK);
    CU_ASSERT(!memcmp(v.user, u"alice", sizeof(u"alice")));
    CU_ASSERT_EQUAL(v.level, SecurityImpersonation);
    CU_ASSERT_EQUAL(v.revert, RPC_S_OK);
    CU_ASSERT_EQUAL(v.after_revert, ERROR_NO_TOKEN);
    /* The same through the call's own handle and RpcRevertToSelfEx. */
    v.by_handle = true;
    CU_ASSERT_EQUAL(call_from("bob", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_OK);
    CU_ASSERT(!memcmp(v.user, u"bob", sizeof(u"bob")));
    CU_ASSERT_EQUAL(v.revert, RPC_S_OK);
    CU_ASSERT_EQUAL(v.after_revert, ERROR_NO_TOKEN);
    rf_server_stop(&s);
}

/* A client thread that impersonates a LogonUserW token (ImpersonateLoggedOnUser)
 * calls with dynamic tracking: the server sees that account (RPC_SECURITY_QOS,
 * the caller's effective token at the call). */
static void client_impersonating_a_logon_calls_as_that_account(void)
{
    RPC_SECURITY_QOS qos = { RPC_C_SECURITY_QOS_VERSION, 0, RPC_C_QOS_IDENTITY_DYNAMIC,
                             RPC_C_IMP_LEVEL_IMPERSONATE };
    struct seen v = { 0 };
    struct rf_server s;
    struct client c = { .binding = u"ncalrpc:[dyn]", .set_auth = true,
                        .level = RPC_C_AUTHN_LEVEL_PKT_PRIVACY, .svc = RPC_C_AUTHN_WINNT,
                        .qos = &qos, .logon_as = u"carol" };

    rf_server_start(&s, spec("svc-web", NTSEC_LOGON_SERVICE, NULL, NULL, "dyn", 0), win32_handler,
                    &v);
    CU_ASSERT_EQUAL(call_from("svc-web", NTSEC_LOGON_SERVICE, WS, &c), RPC_S_OK);
    CU_ASSERT(!memcmp(v.user, u"carol", sizeof(u"carol")));
    rf_server_stop(&s);
}

/* RpcBindingSetAuthInfoExW's AuthIdentity: a SEC_WINNT_AUTH_IDENTITY_W
 * (or _A, by its Flags) with counted strings; the call runs as that
 * account. */
static void explicit_identity_in_either_character_set(void)
{
    SEC_WINNT_AUTH_IDENTITY_W w = { (unsigned short *)u"bobXX", 3, (unsigned short *)u"CONTOSO", 7,
                                    (unsigned short *)u"bob-password", 12,
                                    SEC_WINNT_AUTH_IDENTITY_UNICODE };
    SEC_WINNT_AUTH_IDENTITY_A a = { (unsigned char *)"carol", 5, NULL, 0,
                                    (unsigned char *)"carol-password", 14,
                                    SEC_WINNT_AUTH_IDENTITY_ANSI };
    struct seen v = { 0 };
    struct rf_server s;
    struct client c = { .binding = u"ncalrpc:[ident]", .set_auth = true,
                        .level = RPC_C_AUTHN_LEVEL_CONNECT, .svc = RPC_C_AUTHN_WINNT,
                        .identity = &w };

    rf_server_start(&s, spec("svc-web", NTSEC_LOGON_SERVICE, NULL, NULL, "ident", 0),
                    win32_handler, &v);
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_OK);
    CU_ASSERT(!memcmp(v.user, u"bob", sizeof(u"bob")));
    c.identity = &a;
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_OK);
    CU_ASSERT(!memcmp(v.user, u"carol", sizeof(u"carol")));
    a.PasswordLength = 5;                       /* "carol": a wrong password */
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_ACCESS_DENIED);
    a.Flags = 0;
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c),
                    RPC_S_INVALID_AUTH_IDENTITY);
    CU_ASSERT_EQUAL(v.calls, 2);
    rf_server_stop(&s);
}

/* A call from WORKSTATION to SERVER1 over ncacn_np: the server's thread
 * token is a network logon (NETWORK member) of the client. A call below
 * the server's level is refused with RPC_S_ACCESS_DENIED
 * (RPC_IF_CALLBACK_FN: "the client ... receive[s] the exception
 * RPC_S_ACCESS_DENIED"). */
static void remote_call_and_the_level_check(void)
{
    struct seen v = { 0 };
    struct rf_server s;
    struct client c = { .binding = u"ncacn_np:SERVER1[\\\\pipe\\\\w32]", .set_auth = true,
                        .level = RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, .svc = RPC_C_AUTHN_WINNT,
                        .authz = RPC_C_AUTHZ_NAME };

    rf_server_start(&s, spec("SYSTEM", 0, S1, "ncacn_np", "\\pipe\\w32",
                             NTSEC_AUTHN_LEVEL_PKT_INTEGRITY),
                    win32_handler, &v);
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_OK);
    CU_ASSERT(!memcmp(v.user, u"alice", sizeof(u"alice")));
    CU_ASSERT(v.network);
    CU_ASSERT_EQUAL(v.authn_level, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
    CU_ASSERT(v.spn_null);                      /* the server registered no principal name */
    /* WINNT ignores the authorization service (RpcBindingSetAuthInfoEx). */
    CU_ASSERT_EQUAL(v.authz_svc, RPC_C_AUTHZ_NONE);
    c.level = RPC_C_AUTHN_LEVEL_PKT;
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_ACCESS_DENIED);
    CU_ASSERT_EQUAL(v.calls, 1);
    rf_server_stop(&s);
}

/* An unauthenticated ncacn_np call: RpcBindingInqAuthClientW answers
 * RPC_S_BINDING_HAS_NO_AUTH and writes none of its outputs (Wine's
 * tests/server.c, on Windows). */
static void unauthenticated_call_has_no_auth(void)
{
    struct seen v = { 0 };
    struct rf_server s;
    struct client c = { .binding = u"ncacn_np:.[\\\\pipe\\\\open]" };

    rf_server_start(&s, spec("svc-web", NTSEC_LOGON_SERVICE, NULL, "ncacn_np", "\\pipe\\open",
                             NTSEC_AUTHN_LEVEL_NONE),
                    win32_handler, &v);
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_OK);
    CU_ASSERT_EQUAL(v.inq, RPC_S_BINDING_HAS_NO_AUTH);
    CU_ASSERT_EQUAL(v.authn_level, 0);
    CU_ASSERT_EQUAL(v.privs[0], 0);
    rf_server_stop(&s);
}

/* RpcImpersonateClient, RpcRevertToSelf(Ex) and RpcBindingInqAuthClientW
 * with no call on the thread: RPC_S_NO_CALL_ACTIVE ("No client is active
 * on this server thread"); a client binding handle given to them:
 * RPC_S_WRONG_KIND_OF_BINDING. */
static void server_functions_outside_a_call(void)
{
    RPC_BINDING_HANDLE h = NULL;
    RPC_AUTHZ_HANDLE privs = (RPC_AUTHZ_HANDLE)1;
    ULONG level = 0xdeadbeef;

    CU_ASSERT_EQUAL(RpcImpersonateClient(NULL), RPC_S_NO_CALL_ACTIVE);
    CU_ASSERT_EQUAL(RpcRevertToSelf(), RPC_S_NO_CALL_ACTIVE);
    CU_ASSERT_EQUAL(RpcRevertToSelfEx(NULL), RPC_S_NO_CALL_ACTIVE);
    CU_ASSERT_EQUAL(RpcBindingInqAuthClientW(NULL, &privs, NULL, &level, NULL, NULL),
                    RPC_S_NO_CALL_ACTIVE);
    CU_ASSERT_PTR_EQUAL(privs, (RPC_AUTHZ_HANDLE)1);
    CU_ASSERT_EQUAL(level, 0xdeadbeef);
    CU_ASSERT_FATAL(RpcBindingFromStringBindingW((RPC_WSTR)u"ncalrpc:[x]", &h) == RPC_S_OK);
    CU_ASSERT_EQUAL(RpcImpersonateClient(h), RPC_S_WRONG_KIND_OF_BINDING);
    CU_ASSERT_EQUAL(RpcRevertToSelfEx(h), RPC_S_WRONG_KIND_OF_BINDING);
    CU_ASSERT_EQUAL(RpcBindingInqAuthClientW(h, NULL, NULL, NULL, NULL, NULL),
                    RPC_S_WRONG_KIND_OF_BINDING);
    CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_OK);
}

/* --- string bindings and binding handles ---------------------------------- */

/* RpcStringBindingComposeW escapes '\': Windows composes
 * "ncacn_np:.[\\pipe\\wine_rpc_test]" (Wine's tests/rpc.c); RpcStringFreeW
 * releases the string and clears the pointer. */
static void compose_and_free_a_string_binding(void)
{
    static const WCHAR want[] = u"ncacn_np:.[\\\\pipe\\\\wine_rpc_test]";
    RPC_WSTR s = NULL;

    CU_ASSERT_EQUAL(RpcStringBindingComposeW(NULL, (RPC_WSTR)u"ncacn_np", (RPC_WSTR)u".",
                                             (RPC_WSTR)u"\\pipe\\wine_rpc_test", NULL, &s),
                    RPC_S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT(!memcmp(s, want, sizeof(want)));
    CU_ASSERT_EQUAL(RpcStringFreeW(&s), RPC_S_OK);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(RpcStringFreeW(&s), RPC_S_OK);
    CU_ASSERT_EQUAL(RpcStringFreeW(NULL), RPC_S_INVALID_ARG);
    CU_ASSERT_EQUAL(RpcStringBindingComposeW(NULL, (RPC_WSTR)u"ncalrpc", NULL, NULL, NULL, NULL),
                    RPC_S_INVALID_ARG);
}

/* RpcBindingFromStringBindingW's errors (Wine's tests/rpc.c on Windows;
 * the MIDL reference for endpoints), and RpcBindingFree's: a NULL handle
 * is RPC_S_INVALID_BINDING (test_RpcBindingFree). */
static void binding_from_string_and_free_errors(void)
{
    static const struct {
        const WCHAR *s;
        RPC_STATUS want;
    } cases[] = {
        { u"ncalrpc", RPC_S_INVALID_STRING_BINDING },
        { u"ncalrpc:[x", RPC_S_INVALID_STRING_BINDING },
        { u"foo:[x]", RPC_S_PROTSEQ_NOT_SUPPORTED },
        { u"ncacn_ip_tcp:127.0.0.1[4114]", RPC_S_PROTSEQ_NOT_SUPPORTED },
        { u"xyz@ncalrpc:[x]", RPC_S_INVALID_STRING_UUID },
        { u"ncacn_np:.[x]", RPC_S_INVALID_ENDPOINT_FORMAT },
        { u"ncalrpc:HOST[x]", RPC_S_INVALID_NET_ADDR },
    };
    RPC_BINDING_HANDLE h = (RPC_BINDING_HANDLE)1;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CU_ASSERT_EQUAL(RpcBindingFromStringBindingW((RPC_WSTR)cases[i].s, &h), cases[i].want);
    CU_ASSERT_EQUAL(RpcBindingFromStringBindingW(NULL, &h), RPC_S_INVALID_STRING_BINDING);
    CU_ASSERT_EQUAL(RpcBindingFromStringBindingW((RPC_WSTR)u"ncalrpc:[x]", NULL),
                    RPC_S_INVALID_ARG);
    CU_ASSERT_PTR_EQUAL(h, (RPC_BINDING_HANDLE)1);
    h = NULL;
    CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_INVALID_BINDING);
    CU_ASSERT_EQUAL(RpcBindingFree(NULL), RPC_S_INVALID_ARG);
}

/* RpcBindingSetAuthInfoExW / RpcBindingInqAuthInfoExW: what was set comes
 * back (the principal, level, service, identity pointer, authorization
 * service, QoS; Wine's tests/rpc.c); level NONE makes the binding
 * unauthenticated (RPC_S_BINDING_HAS_NO_AUTH); the errors leave it as it
 * was. */
static void set_and_inq_auth_info(void)
{
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)u"bob", 3, NULL, 0,
                                     (unsigned short *)u"pw", 2, SEC_WINNT_AUTH_IDENTITY_UNICODE };
    RPC_SECURITY_QOS qos = { 1, RPC_C_QOS_CAPABILITIES_MUTUAL_AUTH, RPC_C_QOS_IDENTITY_DYNAMIC,
                             RPC_C_IMP_LEVEL_DELEGATE };
    RPC_SECURITY_QOS got = { 0 };
    RPC_BINDING_HANDLE h = NULL;
    RPC_AUTH_IDENTITY_HANDLE ident = NULL;
    RPC_WSTR principal = NULL;
    ULONG level = 0, svc = 0, authz = 0;

    CU_ASSERT_FATAL(RpcBindingFromStringBindingW((RPC_WSTR)u"ncacn_np:SERVER1[\\\\pipe\\\\x]",
                                                 &h) == RPC_S_OK);
    CU_ASSERT_EQUAL(RpcBindingInqAuthInfoW(h, NULL, &level, NULL, NULL, NULL),
                    RPC_S_BINDING_HAS_NO_AUTH);
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoExW(h, (RPC_WSTR)u"host/server1",
                                             RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                             RPC_C_AUTHN_GSS_KERBEROS, &id, RPC_C_AUTHZ_NAME, &qos),
                    RPC_S_OK);
    CU_ASSERT_EQUAL(RpcBindingInqAuthInfoExW(h, &principal, &level, &svc, &ident, &authz, 1, &got),
                    RPC_S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(principal);
    CU_ASSERT(!memcmp(principal, u"host/server1", sizeof(u"host/server1")));
    RpcStringFreeW(&principal);
    CU_ASSERT_EQUAL(level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    CU_ASSERT_EQUAL(svc, RPC_C_AUTHN_GSS_KERBEROS);
    CU_ASSERT_PTR_EQUAL(ident, &id);
    CU_ASSERT_EQUAL(authz, RPC_C_AUTHZ_NAME);
    CU_ASSERT_EQUAL(got.Version, 1);
    CU_ASSERT_EQUAL(got.ImpersonationType, RPC_C_IMP_LEVEL_DELEGATE);
    CU_ASSERT_EQUAL(got.IdentityTracking, RPC_C_QOS_IDENTITY_DYNAMIC);
    CU_ASSERT_EQUAL(got.Capabilities, RPC_C_QOS_CAPABILITIES_MUTUAL_AUTH);
    CU_ASSERT_EQUAL(RpcBindingInqAuthInfoExW(h, NULL, NULL, NULL, NULL, NULL, 0, &got),
                    RPC_S_INVALID_ARG);
    /* Errors: nothing changes. */
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, 7, RPC_C_AUTHN_WINNT, NULL, 0),
                    RPC_S_UNKNOWN_AUTHN_LEVEL);
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, 2, 123, NULL, 0), RPC_S_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, 2, RPC_C_AUTHN_WINNT, NULL, 9),
                    RPC_S_UNKNOWN_AUTHZ_SERVICE);
    qos.Version = 0;
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoExW(h, NULL, 2, RPC_C_AUTHN_WINNT, NULL, 0, &qos),
                    RPC_S_INVALID_ARG);
    CU_ASSERT_EQUAL(RpcBindingInqAuthInfoW(h, NULL, &level, &svc, NULL, NULL), RPC_S_OK);
    CU_ASSERT_EQUAL(level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    CU_ASSERT_EQUAL(svc, RPC_C_AUTHN_GSS_KERBEROS);
    /* RPC_C_AUTHN_DEFAULT is RPC_C_AUTHN_WINNT (RpcBindingSetAuthInfoEx). */
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_DEFAULT,
                                           NULL, 0),
                    RPC_S_OK);
    CU_ASSERT_EQUAL(RpcBindingInqAuthInfoW(h, NULL, NULL, &svc, NULL, NULL), RPC_S_OK);
    CU_ASSERT_EQUAL(svc, RPC_C_AUTHN_WINNT);
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, RPC_C_AUTHN_LEVEL_NONE, RPC_C_AUTHN_WINNT,
                                           NULL, 0),
                    RPC_S_OK);
    CU_ASSERT_EQUAL(RpcBindingInqAuthInfoW(h, NULL, NULL, NULL, NULL, NULL),
                    RPC_S_BINDING_HAS_NO_AUTH);
    CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_OK);
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(NULL, NULL, 2, RPC_C_AUTHN_WINNT, NULL, 0),
                    RPC_S_INVALID_BINDING);
    CU_ASSERT_EQUAL(RpcBindingInqAuthInfoW(NULL, NULL, NULL, NULL, NULL, NULL),
                    RPC_S_INVALID_BINDING);
}

/* "The ncalrpc protocol sequence supports only RPC_C_AUTHN_WINNT"
 * (RpcBindingSetAuthInfoEx). */
static void ncalrpc_takes_winnt_only(void)
{
    RPC_BINDING_HANDLE h = NULL;

    CU_ASSERT_FATAL(RpcBindingFromStringBindingW((RPC_WSTR)u"ncalrpc:[x]", &h) == RPC_S_OK);
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, 2, RPC_C_AUTHN_GSS_NEGOTIATE, NULL, 0),
                    RPC_S_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, 2, RPC_C_AUTHN_WINNT, NULL, 0), RPC_S_OK);
    CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_OK);
}

static void register_auth_info_on_a_server_thread(void *arg)
{
    RPC_STATUS *st = arg;

    st[0] = RpcServerRegisterAuthInfoW((RPC_WSTR)u"host/ws", RPC_C_AUTHN_WINNT, NULL, NULL);
    st[1] = RpcServerRegisterAuthInfoW(NULL, RPC_C_AUTHN_DCE_PRIVATE, NULL, NULL);
}

/* RpcServerRegisterAuthInfoW registers for the calling thread's process:
 * a later authenticated ncacn_np call to it is accepted and its
 * RpcBindingInqAuthClientW gives the registered principal; an unknown
 * service is RPC_S_UNKNOWN_AUTHN_SERVICE. */
static void register_auth_info_serves_the_calling_process(void)
{
    struct seen v = { 0 };
    struct rf_server s;
    RPC_STATUS st[2];
    const struct rf_server_spec *sp = spec("svc-web", NTSEC_LOGON_SERVICE, NULL, "ncacn_np",
                                           "\\pipe\\reg", 0);
    struct rf_server_spec noauth = *sp;
    struct client c = { .binding = u"ncacn_np:[\\\\pipe\\\\reg]", .set_auth = true,
                        .level = RPC_C_AUTHN_LEVEL_CONNECT, .svc = RPC_C_AUTHN_WINNT };

    noauth.no_auth_info = true;
    rf_server_start(&s, &noauth, win32_handler, &v);
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c),
                    RPC_S_UNKNOWN_AUTHN_SERVICE);
    rf_run_in(s.process, register_auth_info_on_a_server_thread, st);
    CU_ASSERT_EQUAL(st[0], RPC_S_OK);
    CU_ASSERT_EQUAL(st[1], RPC_S_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(call_from("alice", NTSEC_LOGON_INTERACTIVE, WS, &c), RPC_S_OK);
    CU_ASSERT(!v.spn_null);
    rf_server_stop(&s);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(handler_impersonates_with_rpcimpersonateclient),
        TEST(client_impersonating_a_logon_calls_as_that_account),
        TEST(explicit_identity_in_either_character_set),
        TEST(remote_call_and_the_level_check),
        TEST(unauthenticated_call_has_no_auth),
        TEST(server_functions_outside_a_call),
        TEST(compose_and_free_a_string_binding),
        TEST(binding_from_string_and_free_errors),
        TEST(set_and_inq_auth_info),
        TEST(ncalrpc_takes_winnt_only),
        TEST(register_auth_info_serves_the_calling_process),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_rpc", tests);
}

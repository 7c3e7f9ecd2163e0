/* test_emul_rpc_badinput.c - rpcrt4's security functions given bad input
 * (issue 7): handles that are no binding (made up, freed, a token), a
 * server's call handle where a client binding is needed, malformed string
 * bindings, out-of-range levels, services and QoS, bad identities, and
 * exhausted memory. Each gets its status, changes nothing (the binding's
 * auth info is read back with RpcBindingInqAuthInfoExW) and leaks nothing.
 *
 * Sources: Microsoft docs (RpcBindingSetAuthInfoEx, RpcBindingFree,
 * RpcBindingFromStringBinding, RpcImpersonateClient, RPC_SECURITY_QOS),
 * Wine's dlls/rpcrt4/tests/rpc.c results on Windows; "ntsec's choice"
 * marks where Windows faults or is silent (docs/rpc.md).
 * tests/test_emul_rpc.c has the errors of well-formed calls. */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <rpc.h>

#include "rpcfix.h"
#include "testutil.h"

/* The binding's auth info as InqAuthInfoEx reports it. */
struct auth {
    RPC_STATUS status;
    WCHAR principal[32];
    ULONG level, svc, authz;
    RPC_AUTH_IDENTITY_HANDLE identity;
    RPC_SECURITY_QOS qos;
};

static struct auth inq(RPC_BINDING_HANDLE h)
{
    struct auth a = { 0 };
    RPC_WSTR p = NULL;

    a.status = RpcBindingInqAuthInfoExW(h, &p, &a.level, &a.svc, &a.identity, &a.authz, 1, &a.qos);
    if (p) {
        CU_ASSERT(ntsec_wstr_len(p) < 32);
        memcpy(a.principal, p, (ntsec_wstr_len(p) + 1) * sizeof(WCHAR));
        RpcStringFreeW(&p);
    }
    return a;
}

static void same_auth(RPC_BINDING_HANDLE h, const struct auth *want)
{
    struct auth got = inq(h);

    CU_ASSERT_EQUAL(got.status, want->status);
    CU_ASSERT(!memcmp(&got, want, sizeof(got)));
}

static SEC_WINNT_AUTH_IDENTITY_W bob = { (unsigned short *)u"bob", 3, NULL, 0,
                                         (unsigned short *)u"pw", 2,
                                         SEC_WINNT_AUTH_IDENTITY_UNICODE };

/* An authenticated ncacn_np binding with a principal, an identity and a
 * QoS, its auth info in *a. */
static RPC_BINDING_HANDLE authenticated_binding(struct auth *a)
{
    RPC_SECURITY_QOS qos = { 1, RPC_C_QOS_CAPABILITIES_MUTUAL_AUTH, RPC_C_QOS_IDENTITY_DYNAMIC,
                             RPC_C_IMP_LEVEL_IMPERSONATE };
    RPC_BINDING_HANDLE h = NULL;

    CU_ASSERT_FATAL(RpcBindingFromStringBindingW((RPC_WSTR)u"ncacn_np:SERVER1[\\\\pipe\\\\x]",
                                                 &h) == RPC_S_OK);
    CU_ASSERT_FATAL(RpcBindingSetAuthInfoExW(h, (RPC_WSTR)u"host/server1",
                                             RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
                                             RPC_C_AUTHN_GSS_NEGOTIATE, &bob, RPC_C_AUTHZ_NAME,
                                             &qos) == RPC_S_OK);
    *a = inq(h);
    CU_ASSERT_EQUAL_FATAL(a->status, RPC_S_OK);
    return h;
}

/* RpcBindingSetAuthInfoEx's errors (Microsoft docs: RPC_S_UNKNOWN_AUTHN_LEVEL,
 * RPC_S_UNKNOWN_AUTHN_SERVICE, RPC_S_UNKNOWN_AUTHZ_SERVICE; Wine's
 * tests/rpc.c); a QoS of version 0, an IdentityTracking or
 * ImpersonationType outside RPC_C_QOS_IDENTITY_* / RPC_C_IMP_LEVEL_*, or an
 * unknown capability is RPC_S_INVALID_ARG; an identity whose Flags are
 * neither UNICODE nor ANSI, or with a length but no string,
 * RPC_S_INVALID_AUTH_IDENTITY (ntsec's choice: Windows reads through it).
 * An unknown level, service or authorization service is refused beside
 * level or service NONE too (ntsec's choice: Wine's rpc_binding.c would
 * drop the auth info). None of them changes the binding. */
static void set_auth_info_errors_change_nothing(void)
{
    static const struct {
        ULONG level, svc, authz;
        RPC_STATUS want;
    } cases[] = {
        { 7, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, RPC_S_UNKNOWN_AUTHN_LEVEL },
        { 0xffffffff, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, RPC_S_UNKNOWN_AUTHN_LEVEL },
        { 7, RPC_C_AUTHN_NONE, RPC_C_AUTHZ_NONE, RPC_S_UNKNOWN_AUTHN_LEVEL },
        { RPC_C_AUTHN_LEVEL_CONNECT, 123, RPC_C_AUTHZ_NONE, RPC_S_UNKNOWN_AUTHN_SERVICE },
        { RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_DCE_PRIVATE, RPC_C_AUTHZ_NONE,
          RPC_S_UNKNOWN_AUTHN_SERVICE },
        { RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_WINNT, 77, RPC_S_UNKNOWN_AUTHZ_SERVICE },
        { RPC_C_AUTHN_LEVEL_NONE, 123, RPC_C_AUTHZ_NONE, RPC_S_UNKNOWN_AUTHN_SERVICE },
        { RPC_C_AUTHN_LEVEL_NONE, RPC_C_AUTHN_WINNT, 77, RPC_S_UNKNOWN_AUTHZ_SERVICE },
    };
    static const RPC_SECURITY_QOS bad_qos[] = {
        { 0, 0, RPC_C_QOS_IDENTITY_STATIC, RPC_C_IMP_LEVEL_IMPERSONATE },
        { 1, 0, 2, RPC_C_IMP_LEVEL_IMPERSONATE },
        { 1, 0, RPC_C_QOS_IDENTITY_STATIC, RPC_C_IMP_LEVEL_DELEGATE + 1 },
        { 1, 0x80000000, RPC_C_QOS_IDENTITY_STATIC, RPC_C_IMP_LEVEL_IMPERSONATE },
    };
    SEC_WINNT_AUTH_IDENTITY_W bad_flags = bob, no_user = bob;
    struct auth before;
    RPC_BINDING_HANDLE h = authenticated_binding(&before);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, cases[i].level, cases[i].svc, NULL,
                                               cases[i].authz), cases[i].want);
        same_auth(h, &before);
    }
    for (size_t i = 0; i < sizeof(bad_qos) / sizeof(bad_qos[0]); i++) {
        RPC_SECURITY_QOS q = bad_qos[i];

        CU_ASSERT_EQUAL(RpcBindingSetAuthInfoExW(h, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                                 RPC_C_AUTHN_WINNT, NULL, 0, &q),
                        RPC_S_INVALID_ARG);
        same_auth(h, &before);
    }
    bad_flags.Flags = 0;
    no_user.User = NULL;
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_WINNT,
                                           &bad_flags, 0), RPC_S_INVALID_AUTH_IDENTITY);
    same_auth(h, &before);
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_WINNT,
                                           &no_user, 0), RPC_S_INVALID_AUTH_IDENTITY);
    same_auth(h, &before);
    no_user.UserLength = 0;
    CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_WINNT,
                                           &no_user, 0), RPC_S_INVALID_AUTH_IDENTITY);
    same_auth(h, &before);
    CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_OK);
}

/* Memory running out at each allocation of a SetAuthInfo in turn is
 * RPC_S_OUT_OF_MEMORY (rpcnterr.h) and leaves the binding as it was;
 * the same for InqAuthInfo, which writes nothing. */
static void set_auth_info_out_of_memory_changes_nothing(void)
{
    struct auth before, got;
    RPC_BINDING_HANDLE h = authenticated_binding(&before);
    RPC_STATUS st = RPC_S_OUT_OF_MEMORY;
    ULONG level = 0xdeadbeef;
    RPC_WSTR p = (RPC_WSTR)1;

    for (long n = 0; st == RPC_S_OUT_OF_MEMORY && n < 32; n++) {
        testutil_fail_alloc_after(n);
        st = RpcBindingSetAuthInfoW(h, (RPC_WSTR)u"host/other", RPC_C_AUTHN_LEVEL_CONNECT,
                                    RPC_C_AUTHN_WINNT, &bob, RPC_C_AUTHZ_NONE);
        testutil_fail_alloc_after(-1);
        if (st == RPC_S_OUT_OF_MEMORY)
            same_auth(h, &before);
    }
    CU_ASSERT_EQUAL(st, RPC_S_OK);
    got = inq(h);
    CU_ASSERT(!memcmp(got.principal, u"host/other", sizeof(u"host/other")));
    st = RPC_S_OUT_OF_MEMORY;
    for (long n = 0; st == RPC_S_OUT_OF_MEMORY && n < 8; n++) {
        testutil_fail_alloc_after(n);
        st = RpcBindingInqAuthInfoW(h, &p, &level, NULL, NULL, NULL);
        testutil_fail_alloc_after(-1);
        if (st == RPC_S_OUT_OF_MEMORY) {
            CU_ASSERT_PTR_EQUAL(p, (RPC_WSTR)1);
            CU_ASSERT_EQUAL(level, 0xdeadbeef);
        }
    }
    CU_ASSERT_EQUAL(st, RPC_S_OK);
    RpcStringFreeW(&p);
    CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_OK);
}

/* RpcBindingFromStringBindingW and RpcStringBindingComposeW out of
 * memory at each allocation in turn: RPC_S_OUT_OF_MEMORY, the output
 * left alone, nothing leaked (the runner counts). */
static void string_functions_out_of_memory(void)
{
    RPC_BINDING_HANDLE h = (RPC_BINDING_HANDLE)1;
    RPC_WSTR s = (RPC_WSTR)1;
    RPC_STATUS st = RPC_S_OUT_OF_MEMORY;

    for (long n = 0; st == RPC_S_OUT_OF_MEMORY && n < 64; n++) {
        testutil_fail_alloc_after(n);
        st = RpcBindingFromStringBindingW(
            (RPC_WSTR)u"0000000a-0000-0000-c000-000000000046@ncacn_np:SERVER1[\\\\pipe\\\\x]", &h);
        testutil_fail_alloc_after(-1);
        if (st == RPC_S_OUT_OF_MEMORY)
            CU_ASSERT_PTR_EQUAL(h, (RPC_BINDING_HANDLE)1);
    }
    CU_ASSERT_EQUAL_FATAL(st, RPC_S_OK);
    CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_OK);
    st = RPC_S_OUT_OF_MEMORY;
    for (long n = 0; st == RPC_S_OUT_OF_MEMORY && n < 64; n++) {
        testutil_fail_alloc_after(n);
        st = RpcStringBindingComposeW((RPC_WSTR)u"0000000a-0000-0000-c000-000000000046",
                                      (RPC_WSTR)u"ncacn_np", (RPC_WSTR)u"SERVER1",
                                      (RPC_WSTR)u"\\pipe\\x", (RPC_WSTR)u"opt=1", &s);
        testutil_fail_alloc_after(-1);
        if (st == RPC_S_OUT_OF_MEMORY)
            CU_ASSERT_PTR_EQUAL(s, (RPC_WSTR)1);
    }
    CU_ASSERT_EQUAL(st, RPC_S_OK);
    CU_ASSERT_EQUAL(RpcStringFreeW(&s), RPC_S_OK);
}

/* A pointer that is no binding - made up, freed, a token handle - is
 * RPC_S_INVALID_BINDING for every function taking a binding
 * (RpcBindingFree, RpcBindingSetAuthInfoEx, RpcImpersonateClient:
 * Microsoft docs' return values), found without reading through it; no
 * output is written. */
static void handles_that_are_no_binding(void)
{
    RPC_BINDING_HANDLE freed = NULL, h;
    RPC_AUTHZ_HANDLE privs = (RPC_AUTHZ_HANDLE)1;
    ULONG level = 0xdeadbeef;
    HANDLE token;
    int local;
    void *bad[3];

    CU_ASSERT_FATAL(RpcBindingFromStringBindingW((RPC_WSTR)u"ncalrpc:[x]", &freed) == RPC_S_OK);
    h = freed;
    CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_OK);
    CU_ASSERT_FATAL(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    bad[0] = freed;
    bad[1] = &local;
    bad[2] = token;
    for (int i = 0; i < 3; i++) {
        h = bad[i];
        CU_ASSERT_EQUAL(RpcBindingFree(&h), RPC_S_INVALID_BINDING);
        CU_ASSERT_PTR_EQUAL(h, bad[i]);
        CU_ASSERT_EQUAL(RpcBindingSetAuthInfoW(h, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                               RPC_C_AUTHN_WINNT, NULL, 0),
                        RPC_S_INVALID_BINDING);
        CU_ASSERT_EQUAL(RpcBindingInqAuthInfoW(h, NULL, &level, NULL, NULL, NULL),
                        RPC_S_INVALID_BINDING);
        CU_ASSERT_EQUAL(RpcImpersonateClient(h), RPC_S_INVALID_BINDING);
        CU_ASSERT_EQUAL(RpcRevertToSelfEx(h), RPC_S_INVALID_BINDING);
        CU_ASSERT_EQUAL(RpcBindingInqAuthClientW(h, &privs, NULL, &level, NULL, NULL),
                        RPC_S_INVALID_BINDING);
        CU_ASSERT_PTR_EQUAL(privs, (RPC_AUTHZ_HANDLE)1);
        CU_ASSERT_EQUAL(level, 0xdeadbeef);
    }
    CU_ASSERT(CloseHandle(token));
}

/* Malformed string bindings (Wine's tests/rpc.c, RpcStringBindingParse
 * on Windows: "...@ncacn_np" without ':' is RPC_S_INVALID_STRING_BINDING)
 * and endpoints ("RPC_S_INVALID_ENDPOINT_FORMAT", RpcBindingFromStringBinding):
 * *Binding is left alone. */
static void malformed_string_bindings(void)
{
    static const struct {
        const WCHAR *s;
        RPC_STATUS want;
    } cases[] = {
        { u"", RPC_S_INVALID_STRING_BINDING },
        { u"00000000-0000-0000-c000-000000000046@ncacn_np", RPC_S_INVALID_STRING_BINDING },
        { u"ncalrpc:[x]y", RPC_S_INVALID_STRING_BINDING },
        { u"ncalrpc:[x][y]", RPC_S_INVALID_STRING_BINDING },
        { u"ncalrpc:[x]]", RPC_S_INVALID_STRING_BINDING },
        { u":[x]", RPC_S_PROTSEQ_NOT_SUPPORTED },
        { u"ncalrpc:[a\\\\b]", RPC_S_INVALID_ENDPOINT_FORMAT },
        { u"ncacn_np:[pipe]", RPC_S_INVALID_ENDPOINT_FORMAT },
        { u"0000-0000@ncalrpc:[x]", RPC_S_INVALID_STRING_UUID },
    };
    RPC_BINDING_HANDLE h = (RPC_BINDING_HANDLE)1;
    WCHAR long_ep[300];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CU_ASSERT_EQUAL(RpcBindingFromStringBindingW((RPC_WSTR)cases[i].s, &h), cases[i].want);
        CU_ASSERT_PTR_EQUAL(h, (RPC_BINDING_HANDLE)1);
    }
    /* An ncalrpc endpoint longer than ntsec's 250 characters (docs/rpc.md). */
    memcpy(long_ep, u"ncalrpc:[", 9 * sizeof(WCHAR));
    for (size_t i = 9; i < 9 + 251; i++)
        long_ep[i] = u'e';
    long_ep[260] = u']';
    long_ep[261] = 0;
    CU_ASSERT_EQUAL(RpcBindingFromStringBindingW((RPC_WSTR)long_ep, &h),
                    RPC_S_INVALID_ENDPOINT_FORMAT);
    CU_ASSERT_PTR_EQUAL(h, (RPC_BINDING_HANDLE)1);
}

/* A server's call handle where a client binding is needed is
 * RPC_S_WRONG_KIND_OF_BINDING ("This was the wrong kind of binding for
 * the operation", RpcBindingFree, RpcBindingSetAuthInfoEx,
 * RpcBindingInqAuthInfoEx); the call goes on unharmed. */
struct kinds {
    RPC_STATUS free_st, set_st, inq_st, client_st;
    bool handle_kept;
};

static ntsec_status wrong_kind_handler(struct ntsec_rpc_call *call, void *arg, const void *in,
                                       size_t in_len, void **out, size_t *out_len)
{
    struct kinds *k = arg;
    RPC_BINDING_HANDLE h = call;
    ULONG level;

    (void)in;
    (void)in_len;
    (void)out;
    (void)out_len;
    k->free_st = RpcBindingFree(&h);
    k->handle_kept = h == call;
    k->set_st = RpcBindingSetAuthInfoW(call, NULL, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_WINNT,
                                       NULL, 0);
    k->inq_st = RpcBindingInqAuthInfoW(call, NULL, &level, NULL, NULL, NULL);
    k->client_st = RpcBindingInqAuthClientW(call, NULL, NULL, &level, NULL, NULL);
    return NTSEC_STATUS_SUCCESS;
}

static void call_client(void *arg)
{
    ntsec_status *st = arg;
    struct ntsec_rpc_binding *b = NULL;
    void *out = NULL;
    size_t len = 0;

    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncalrpc:[badinput]", &b) ==
                    NTSEC_STATUS_SUCCESS);
    *st = ntsec_rpc_call(b, 0, "x", 1, &out, &len);
    ntsec_mem_free(out);
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
}

static void call_handle_is_the_wrong_kind(void)
{
    static const struct rf_server_spec spec = { .user = "svc-web", .endpoint = "badinput" };
    struct kinds k = { 0 };
    struct rf_server s;
    struct ntsec_process *client = rf_process("alice", NTSEC_LOGON_INTERACTIVE, WS);
    ntsec_status st = NTSEC_STATUS_UNSUCCESSFUL;

    rf_server_start(&s, &spec, wrong_kind_handler, &k);
    rf_run_in(client, call_client, &st);
    CU_ASSERT_EQUAL(st, NTSEC_STATUS_SUCCESS);
    CU_ASSERT_EQUAL(k.free_st, RPC_S_WRONG_KIND_OF_BINDING);
    CU_ASSERT(k.handle_kept);
    CU_ASSERT_EQUAL(k.set_st, RPC_S_WRONG_KIND_OF_BINDING);
    CU_ASSERT_EQUAL(k.inq_st, RPC_S_WRONG_KIND_OF_BINDING);
    CU_ASSERT_EQUAL(k.client_st, RPC_S_OK);
    rf_server_stop(&s);
    ntsec_object_put(client);
}

/* RpcServerRegisterAuthInfoW: RPC_C_AUTHN_NONE and unknown services are
 * RPC_S_UNKNOWN_AUTHN_SERVICE (Microsoft docs' return values); a
 * principal longer than 255 characters RPC_S_INVALID_ARG (ntsec's
 * choice: its limit, docs/rpc.md). A failed registration registers
 * nothing: an authenticated ncacn_np call still gets
 * RPC_S_UNKNOWN_AUTHN_SERVICE. */
static void register_bad_auth_info(void *arg)
{
    RPC_STATUS *st = arg;
    WCHAR long_name[300];

    for (size_t i = 0; i < 299; i++)
        long_name[i] = u'a';
    long_name[299] = 0;
    st[0] = RpcServerRegisterAuthInfoW(NULL, RPC_C_AUTHN_NONE, NULL, NULL);
    st[1] = RpcServerRegisterAuthInfoW(NULL, 0x1234, NULL, NULL);
    st[2] = RpcServerRegisterAuthInfoW((RPC_WSTR)long_name, RPC_C_AUTHN_WINNT, NULL, NULL);
}

static void authenticated_np_client(void *arg)
{
    ntsec_status *st = arg;
    struct ntsec_rpc_binding *b = NULL;
    struct ntsec_rpc_auth_info info = { .level = NTSEC_AUTHN_LEVEL_CONNECT,
                                        .service = NTSEC_RPC_AUTHN_WINNT };
    void *out = NULL;
    size_t len = 0;

    CU_ASSERT_FATAL(ntsec_rpc_binding_from_string("ncacn_np:[\\\\pipe\\\\badinput]", &b) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_rpc_binding_set_auth_info(b, &info) == NTSEC_STATUS_SUCCESS);
    *st = ntsec_rpc_call(b, 0, "x", 1, &out, &len);
    ntsec_mem_free(out);
    CU_ASSERT(ntsec_rpc_binding_free(b) == NTSEC_STATUS_SUCCESS);
}

static ntsec_status plain_handler(struct ntsec_rpc_call *call, void *arg, const void *in,
                                  size_t in_len, void **out, size_t *out_len)
{
    (void)call;
    (void)arg;
    (void)in;
    (void)in_len;
    (void)out;
    (void)out_len;
    return NTSEC_STATUS_SUCCESS;
}

static void failed_registration_registers_nothing(void)
{
    static const struct rf_server_spec spec = { .user = "svc-web", .protseq = "ncacn_np",
                                                .endpoint = "\\pipe\\badinput",
                                                .no_auth_info = true };
    struct ntsec_process *client = rf_process("alice", NTSEC_LOGON_INTERACTIVE, WS);
    RPC_STATUS st[3];
    ntsec_status call = NTSEC_STATUS_SUCCESS;
    struct rf_server s;

    rf_server_start(&s, &spec, plain_handler, NULL);
    rf_run_in(s.process, register_bad_auth_info, st);
    CU_ASSERT_EQUAL(st[0], RPC_S_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(st[1], RPC_S_UNKNOWN_AUTHN_SERVICE);
    CU_ASSERT_EQUAL(st[2], RPC_S_INVALID_ARG);
    rf_run_in(client, authenticated_np_client, &call);
    CU_ASSERT_EQUAL(call, NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE);
    rf_server_stop(&s);
    ntsec_object_put(client);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(set_auth_info_errors_change_nothing),
        TEST(set_auth_info_out_of_memory_changes_nothing),
        TEST(string_functions_out_of_memory),
        TEST(handles_that_are_no_binding),
        TEST(malformed_string_bindings),
        TEST(call_handle_is_the_wrong_kind),
        TEST(failed_registration_registers_nothing),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("emul_rpc_badinput", tests);
}

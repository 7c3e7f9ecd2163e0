/* test_com_badinput.c - bad input for the native COM API (ntsec/com.h,
 * ntsec/com_marshal.h): NULL pointers, values out of range, an
 * uninitialised thread, unknown cookies, stubs and records, releases of
 * what is gone. Each test checks the status the header documents and
 * that nothing changed; the runner fails any test that leaks. The
 * statuses follow the Windows functions each call stands for (named at
 * each test); "ntsec's choice" marks those Windows has no word for
 * (docs/com.md, "Bad input"). */
#include "ntsec/com.h"
#include "ntsec/com_marshal.h"
#include "ntsec/ntsec.h"
#include "testutil.h"

static const uint8_t appid_missing[16] = { 0xba, 0xd0, 0xa9, 0x01 };
static const uint8_t appid_server[16] = { 0xba, 0xd0, 0xa9, 0x02 };
static const uint8_t iid_kept[16] = { 0xba, 0xd0, 0x1f, 0x01 };
static const uint8_t iid_never[16] = { 0xba, 0xd0, 0x1f, 0x02 };
static const uint8_t iid_unknown[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46 };

static ntsec_hresult nothing_invoke(void *self, uint32_t method, void *arg)
{
    (void)self;
    (void)method;
    (void)arg;
    return NTSEC_S_OK;
}

static const struct ntsec_com_security_args default_security = {
    NULL, -1, NULL, NULL, NTSEC_AUTHN_LEVEL_CONNECT, NTSEC_RPC_IMP_LEVEL_IDENTIFY, NULL,
    NTSEC_EOAC_NONE, NULL,
};

/* CoInitializeEx: a model other than COINIT_APARTMENTTHREADED or
 * COINIT_MULTITHREADED is E_INVALIDARG and the thread stays out of COM;
 * ntsec_com_pump (CoWaitForMultipleHandles' loop) needs an initialised
 * thread (CO_E_NOTINITIALIZED) of an STA (CO_E_NOT_SUPPORTED from the
 * MTA: ntsec's choice); CoInitializeSecurity without arguments is
 * E_INVALIDARG, on an uninitialised thread CO_E_NOTINITIALIZED. */
static void apartment_bad_input(void)
{
    CU_ASSERT_EQUAL(ntsec_com_initialize((enum ntsec_com_model)1), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_check_initialized(), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_pump(0), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&default_security), NTSEC_CO_E_NOTINITIALIZED);
    ntsec_com_uninitialize();                       /* not initialised: nothing */
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_pump(0), NTSEC_CO_E_NOT_SUPPORTED);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&default_security), NTSEC_S_OK);
    ntsec_com_uninitialize();
    CU_ASSERT_EQUAL(ntsec_com_check_initialized(), NTSEC_CO_E_NOTINITIALIZED);
}

/* The AppID registry ("AppID Key", "AuthenticationLevel"): NULL, a level
 * above PKT_PRIVACY or an invalid AccessPermission are E_INVALIDARG;
 * unregistering what is not there CO_E_APPNOTFOUND (ntsec's choice:
 * winerror.h "Application not found"); exporting a component of an
 * unknown AppID is CO_E_APPNOTFOUND. None registers anything. */
static void appid_bad_input(void)
{
    const struct ntsec_com_appid_settings level7 = { NTSEC_AUTHN_LEVEL_PKT_PRIVACY + 1, NULL, false };
    const uint8_t not_an_sd[64] = { 9, 9, 9 };
    const struct ntsec_com_appid_settings bad_sd = { 0, not_an_sd, false };
    const struct ntsec_com_object obj = { NULL, nothing_invoke, NULL };
    uint32_t cookie = 77;

    CU_ASSERT_EQUAL(ntsec_com_appid_register(NULL, &level7), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(appid_missing, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(appid_missing, &level7), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(appid_missing, &bad_sd), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(appid_missing), NTSEC_CO_E_APPNOTFOUND);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, appid_missing, &cookie),
                    NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(NULL, appid_missing, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, NULL, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, appid_missing, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, appid_missing, &cookie), NTSEC_CO_E_APPNOTFOUND);
    CU_ASSERT_EQUAL(cookie, 77);
    /* Nothing set the process' security: CoInitializeSecurity still can. */
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&default_security), NTSEC_S_OK);
    ntsec_com_uninitialize();
}

/* A server application's export that fails after the process took the
 * AppID's settings (no memory for the export) gives them back: the
 * process has no settings, so CoInitializeSecurity then succeeds
 * (DESIGN.md, Errors: a failed call changes nothing). */
static void failed_appid_export_leaves_security_unset(void)
{
    const struct ntsec_com_appid_settings server = { NTSEC_AUTHN_LEVEL_PKT, NULL, false };
    const struct ntsec_com_object obj = { NULL, nothing_invoke, NULL };
    uint32_t cookie = 77;
    ntsec_hresult hr;

    CU_ASSERT_EQUAL(ntsec_com_appid_register(appid_server, &server), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    testutil_fail_alloc_after(0);
    hr = ntsec_com_export_appid(&obj, appid_server, &cookie);
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(hr, NTSEC_E_OUTOFMEMORY);
    CU_ASSERT_EQUAL(cookie, 77);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&default_security), NTSEC_S_OK);
    ntsec_com_uninitialize();
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(appid_server), NTSEC_S_OK);
}

/* "ProxyStubClsid32" stand-in: a NULL IID, IUnknown's, more than
 * NTSEC_COM_MAX_METHODS methods, methods without counts, a count above
 * NTSEC_COM_MAX_ARGS are E_INVALIDARG and a registration the call would
 * have replaced stays; ntsec_com_interface_args: NULL E_INVALIDARG, an
 * unregistered IID E_NOINTERFACE (Wine marshal.c test_no_marshaler), a
 * slot the interface lacks RPC_E_INVALIDMETHOD; *count unchanged. */
static void interface_registration_bad_input(void)
{
    const unsigned char two[] = { 2 }, nine[] = { 9 };
    unsigned char many[NTSEC_COM_MAX_METHODS + 1] = { 0 };
    unsigned count = 42;

    CU_ASSERT_EQUAL(ntsec_com_register_interface(iid_kept, 1, two), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(NULL, 1, two), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(iid_unknown, 1, two), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(iid_kept, NTSEC_COM_MAX_METHODS + 1, many),
                    NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(iid_kept, 1, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(iid_kept, 1, nine), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_register_interface(iid_never, 1, nine), NTSEC_E_INVALIDARG);
    CU_ASSERT(!ntsec_com_interface_registered(iid_never));
    CU_ASSERT(!ntsec_com_interface_registered(NULL));
    CU_ASSERT_EQUAL(ntsec_com_interface_args(NULL, 3, &count), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(iid_kept, 3, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(iid_never, 3, &count), NTSEC_E_NOINTERFACE);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(iid_kept, 2, &count), NTSEC_RPC_E_INVALIDMETHOD);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(iid_kept, 4, &count), NTSEC_RPC_E_INVALIDMETHOD);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(iid_unknown, 3, &count), NTSEC_RPC_E_INVALIDMETHOD);
    CU_ASSERT_EQUAL(count, 42);
    CU_ASSERT_EQUAL(ntsec_com_interface_args(iid_kept, 3, &count), NTSEC_S_OK);
    CU_ASSERT_EQUAL(count, 2);                      /* the first registration stands */
}

/* Export, revoke, connect (CoMarshalInterface / CoUnmarshalInterface /
 * CoDisconnectObject's native ways): uninitialised CO_E_NOTINITIALIZED;
 * NULL object, invoke or cookie E_INVALIDARG; a cookie that names no
 * export of this process E_INVALIDARG to revoke (twice included), and
 * RPC_E_DISCONNECTED to connect (winerror.h "The object invoked has
 * disconnected from its clients"). Out-pointers stay unwritten. */
static void export_and_connect_bad_input(void)
{
    const struct ntsec_com_object obj = { NULL, nothing_invoke, NULL };
    const struct ntsec_com_object no_invoke = { NULL, NULL, NULL };
    struct ntsec_com_proxy *proxy = (struct ntsec_com_proxy *)&obj;
    uint32_t cookie = 77, live = 0;

    CU_ASSERT_EQUAL(ntsec_com_export(&obj, &cookie), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_revoke(1), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_connect(1, &proxy), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_export(NULL, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export(&no_invoke, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export(&obj, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(cookie, 77);
    CU_ASSERT_EQUAL(ntsec_com_export(&obj, &live), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_connect(live, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_connect(0, &proxy), NTSEC_RPC_E_DISCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_revoke(0), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_revoke(live + 1000), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_revoke(live), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_revoke(live), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_connect(live, &proxy), NTSEC_RPC_E_DISCONNECTED);
    CU_ASSERT_PTR_EQUAL(proxy, &obj);
    CU_ASSERT_EQUAL(ntsec_com_export_unknown(NULL, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_connect_unknown(live, NULL, (void **)&proxy), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_connect_unknown(live, iid_unknown, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_connect_unknown(live, iid_unknown, (void **)&proxy),
                    NTSEC_RPC_E_DISCONNECTED);
    CU_ASSERT_PTR_EQUAL(proxy, &obj);
    ntsec_com_uninitialize();
}

/* A proxy's blanket ("IClientSecurity::SetBlanket", "CoCopyProxy"):
 * NULL proxy, arguments or out-pointer E_INVALIDARG; explicit
 * credentials without a user or password E_INVALIDARG (ntsec's choice);
 * a rule broken E_INVALIDARG with the blanket unchanged; an uninitialised
 * thread CO_E_NOTINITIALIZED for SetBlanket and calls; QueryBlanket and
 * release of NULL do nothing (ntsec's choice: no status to give). */
static void proxy_bad_input(void)
{
    const struct ntsec_com_object obj = { NULL, nothing_invoke, NULL };
    const struct ntsec_com_identity no_password = { "bob", "CONTOSO", NULL };
    struct ntsec_com_blanket_args args = {
        NTSEC_RPC_AUTHN_WINNT, NTSEC_RPC_AUTHZ_NONE, "host/srv", NTSEC_AUTHN_LEVEL_PKT,
        NTSEC_RPC_IMP_LEVEL_IMPERSONATE, NULL, false, NTSEC_EOAC_NONE,
    };
    struct ntsec_com_blanket before, after, untouched = { 5, 5, NULL, 5, 5, 5 };
    struct ntsec_com_proxy *proxy = NULL, *copy = NULL;
    uint32_t cookie = 0;

    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_export(&obj, &cookie), NTSEC_S_OK);
    CU_ASSERT_FATAL(ntsec_com_connect(cookie, &proxy) == NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_proxy_set_blanket(proxy, &args), NTSEC_S_OK);
    ntsec_com_proxy_query_blanket(proxy, &before);
    CU_ASSERT_EQUAL(ntsec_com_proxy_set_blanket(NULL, &args), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_proxy_set_blanket(proxy, NULL), NTSEC_E_INVALIDARG);
    args.principal = "other";
    args.identity = &no_password;
    CU_ASSERT_EQUAL(ntsec_com_proxy_set_blanket(proxy, &args), NTSEC_E_INVALIDARG);
    args.identity = NULL;
    args.authn_level = NTSEC_AUTHN_LEVEL_PKT_PRIVACY + 1;
    CU_ASSERT_EQUAL(ntsec_com_proxy_set_blanket(proxy, &args), NTSEC_E_INVALIDARG);
    ntsec_com_proxy_query_blanket(proxy, &after);
    CU_ASSERT_EQUAL(after.authn_level, before.authn_level);
    CU_ASSERT_EQUAL(after.imp_level, before.imp_level);
    CU_ASSERT_PTR_EQUAL(after.principal, before.principal);
    CU_ASSERT_STRING_EQUAL(after.principal, "host/srv");
    ntsec_com_proxy_query_blanket(NULL, &untouched);
    ntsec_com_proxy_query_blanket(proxy, NULL);
    CU_ASSERT_EQUAL(untouched.authn_level, 5);
    CU_ASSERT_EQUAL(ntsec_com_proxy_copy(NULL, &copy), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_proxy_copy(proxy, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_PTR_NULL(copy);
    CU_ASSERT_EQUAL(ntsec_com_call(NULL, 3, NULL), NTSEC_E_INVALIDARG);
    ntsec_com_proxy_release(NULL);
    ntsec_com_uninitialize();
    args.authn_level = NTSEC_AUTHN_LEVEL_PKT;
    CU_ASSERT_EQUAL(ntsec_com_proxy_set_blanket(proxy, &args), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_call(proxy, 3, NULL), NTSEC_CO_E_NOTINITIALIZED);
    ntsec_com_proxy_release(proxy);
}

/* The server's side ("CoGetCallContext", "IServerSecurity"): outside a
 * call RPC_E_CALL_COMPLETE (Wine compobj.c test_CoGetCallContext); NULL
 * out-pointers or calls E_INVALIDARG, IsImpersonating FALSE, get and put
 * of NULL nothing (ntsec's choice). */
static void call_context_bad_input(void)
{
    struct ntsec_com_call *call = (struct ntsec_com_call *)&call;
    struct ntsec_com_call_blanket b = { 0 };

    CU_ASSERT_EQUAL(ntsec_com_call_current(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_call_current(&call), NTSEC_RPC_E_CALL_COMPLETE);
    CU_ASSERT_PTR_EQUAL(call, &call);
    CU_ASSERT_EQUAL(ntsec_com_call_query(NULL, &b), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_call_impersonate(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_call_revert(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT(!ntsec_com_call_is_impersonating(NULL));
    ntsec_com_call_get(NULL);
    ntsec_com_call_put(NULL);
    CU_ASSERT_PTR_NULL(b.client);
}

static void count_release(void *object)
{
    ++*(int *)object;
}

/* The marshal packet and stubs ("CoUnmarshalInterface",
 * "CoReleaseMarshalData", "MSHLFLAGS"): a short or NULL packet is
 * STG_E_READFAULT, a wrong one RPC_E_INVALID_OBJREF, no out-pointer
 * E_INVALIDARG (ntsec's choice); unknown flags E_INVALIDARG; a stub or
 * record that is gone CO_E_OBJNOTCONNECTED (Wine marshal.c
 * test_normal_marshal_and_unmarshal_twice), a proxy reference released
 * twice too; leaving or disconnecting an unknown stub does nothing. The
 * object is released once, when its stub goes. */
static void marshal_packet_and_stub_bad_input(void)
{
    const struct ntsec_com_objref ref = { NTSEC_MSHLFLAGS_NORMAL, { 1 }, 5, 6, 7 };
    struct ntsec_com_objref out = { 99, { 0 }, 0, 0, 0 };
    uint8_t packet[NTSEC_COM_OBJREF_SIZE] = { 0 };
    int released = 0;
    uint32_t id = 0, serial = 0, untouched = 55;
    void *object = NULL;
    bool last = false;

    CU_ASSERT_EQUAL(ntsec_com_objref_read(NULL, sizeof(packet), &out), NTSEC_STG_E_READFAULT);
    CU_ASSERT_EQUAL(ntsec_com_objref_read(packet, sizeof(packet), &out), NTSEC_RPC_E_INVALID_OBJREF);
    ntsec_com_objref_write(&ref, packet);
    ntsec_com_objref_write(NULL, packet);
    ntsec_com_objref_write(&ref, NULL);
    CU_ASSERT_EQUAL(ntsec_com_objref_read(packet, sizeof(packet) - 1, &out), NTSEC_STG_E_READFAULT);
    CU_ASSERT_EQUAL(ntsec_com_objref_read(packet, sizeof(packet), NULL), NTSEC_E_INVALIDARG);
    packet[8] = 3;                                  /* flags: not an MSHLFLAGS */
    CU_ASSERT_EQUAL(ntsec_com_objref_read(packet, sizeof(packet), &out), NTSEC_RPC_E_INVALID_OBJREF);
    CU_ASSERT_EQUAL(out.flags, 99);

    CU_ASSERT_EQUAL(ntsec_com_stub_new(NULL, count_release, &id), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_new(&released, NULL, &id), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_new(&released, count_release, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_FATAL(ntsec_com_stub_new(&released, count_release, &id) == NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_enter(id, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_enter(0, &object), NTSEC_CO_E_OBJNOTCONNECTED);
    CU_ASSERT_PTR_NULL(object);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(id, 3, &untouched), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(id, NTSEC_MSHLFLAGS_NORMAL, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_marshal(0, NTSEC_MSHLFLAGS_NORMAL, &untouched),
                    NTSEC_CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(untouched, 55);
    CU_ASSERT_FATAL(ntsec_com_stub_marshal(id, NTSEC_MSHLFLAGS_NORMAL, &serial) == NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_claim(id, serial + 1), NTSEC_CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_stub_release_marshal(id, serial, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_unref(id, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_stub_claim(id, serial), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_stub_claim(id, serial), NTSEC_CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_stub_release_marshal(id, serial, &last), NTSEC_CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_stub_unref(id, &last), NTSEC_S_OK);
    CU_ASSERT(last);
    last = false;
    CU_ASSERT_EQUAL(ntsec_com_stub_unref(id, &last), NTSEC_CO_E_OBJNOTCONNECTED);
    CU_ASSERT(!last);
    ntsec_com_stub_leave(id);                       /* no call is in it: nothing */
    ntsec_com_stub_leave(id + 1000);
    ntsec_com_stub_disconnect(id + 1000);
    CU_ASSERT_EQUAL(released, 0);
    ntsec_com_stub_disconnect(id);
    ntsec_com_stub_disconnect(id);
    CU_ASSERT_EQUAL(released, 1);
    CU_ASSERT_EQUAL(ntsec_com_stub_enter(id, &object), NTSEC_CO_E_OBJNOTCONNECTED);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(apartment_bad_input),
        TEST(appid_bad_input),
        TEST(failed_appid_export_leaves_security_unset),
        TEST(interface_registration_bad_input),
        TEST(export_and_connect_bad_input),
        TEST(proxy_bad_input),
        TEST(call_context_bad_input),
        TEST(marshal_packet_and_stub_bad_input),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("com_badinput", tests);
}

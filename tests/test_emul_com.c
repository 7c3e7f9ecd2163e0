/* test_emul_com.c - COM security through ole32's Windows names and real
 * vtables (emul/ole32): CoInitializeEx, CoInitializeSecurity, proxies and
 * IClientSecurity (CoSetProxyBlanket, CoQueryProxyBlanket, CoCopyProxy),
 * and the server's call context (CoGetCallContext, IServerSecurity,
 * CoImpersonateClient, CoRevertToSelf, CoSwitchCallContext).
 *
 * A server party (svc-web, a service with SeImpersonatePrivilege) exports
 * a Windows COM object with two interfaces; a client party (alice) in
 * another emulated process connects to it (ntsec_com_connect_unknown,
 * the emulation's CoUnmarshalInterface) and calls through the proxy. The
 * Windows results come from Microsoft docs and from Wine's
 * dlls/ole32/tests/marshal.c (test_client_security) and compobj.c
 * (test_CoGetCallContext), named at each test. */
#define COBJMACROS
#define INITGUID                /* the IIDs of Wine's headers, defined in this program */
#define CONST_VTABLE
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <ntsec/ntdll.h>
#include <objbase.h>
#include <objidl.h>

#include "comfix.h"
#include "testutil.h"

/* The test's own interfaces: IUnknown plus Run(void *arg). */
static const IID iid_test_call =
    { 0x6e7ac001, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const IID iid_test_other =
    { 0x6e7ac001, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 } };

static const struct itest_vtbl obj_vtbl;

static BOOL iid_eq(REFIID a, const IID *b)
{
    return !memcmp(a, b, sizeof(IID));
}

/* --- the server's object ------------------------------------------------------ */

struct itest;
struct itest_vtbl {
    HRESULT (WINAPI *QueryInterface)(struct itest *self, REFIID iid, void **ppv);
    ULONG (WINAPI *AddRef)(struct itest *self);
    ULONG (WINAPI *Release)(struct itest *self);
    HRESULT (WINAPI *Run)(struct itest *self, void *arg);
};
struct test_object;
struct itest {
    const struct itest_vtbl *lpVtbl;
    struct test_object *owner;
};

struct test_object {
    struct itest call;                  /* ITestCall (and IUnknown) */
    struct itest other;                 /* ITestOther */
    LONG refs;
};

static struct test_object *object_of(struct itest *i)
{
    return i->owner;
}

static void object_init(struct test_object *o)
{
    *o = (struct test_object){ { &obj_vtbl, o }, { &obj_vtbl, o }, 1 };
}

static HRESULT WINAPI obj_QueryInterface(struct itest *self, REFIID iid, void **ppv)
{
    struct test_object *o = object_of(self);

    if (iid_eq(iid, &IID_IUnknown) || iid_eq(iid, &iid_test_call))
        *ppv = &o->call;
    else if (iid_eq(iid, &iid_test_other))
        *ppv = &o->other;
    else {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    InterlockedIncrement(&o->refs);
    return S_OK;
}

static ULONG WINAPI obj_AddRef(struct itest *self)
{
    return InterlockedIncrement(&object_of(self)->refs);
}

static ULONG WINAPI obj_Release(struct itest *self)
{
    return InterlockedDecrement(&object_of(self)->refs);
}

/* What the server saw in a call. */
struct observation {
    HRESULT context, query, query_imp_level, first, second, revert, co_impersonate;
    DWORD authn_svc, authn_level;
    char client[64];
    char user[64];                      /* the thread's token while impersonating */
    int level;
    BOOL impersonating, impersonating_after_revert;
    IServerSecurity *kept;
};

static int thread_level(char *user, size_t size)
{
    enum ntsec_impersonation_level level;
    bool coo, eo;
    struct ntsec_token *t = ntsec_thread_impersonation(ntsec_thread_current(), &level, &coo, &eo);

    user[0] = 0;
    if (!t)
        return -1;
    rf_user(t, user, size);
    ntsec_token_put(t);
    return (int)level;
}

static HRESULT WINAPI obj_Run(struct itest *self, void *arg)
{
    struct observation *o = arg;
    IServerSecurity *ss = NULL;
    DWORD imp;
    void *privs = NULL;
    char *client = NULL;

    (void)self;
    if (!o)
        return S_OK;
    o->context = CoGetCallContext(&IID_IServerSecurity, (void **)&ss);
    if (FAILED(o->context))
        return o->context;
    o->query = IServerSecurity_QueryBlanket(ss, &o->authn_svc, NULL, NULL, &o->authn_level, NULL,
                                            &privs, NULL);
    if (privs && ntsec_wstr_to_utf8(privs, &client, NULL) == NTSEC_STATUS_SUCCESS) {
        snprintf(o->client, sizeof(o->client), "%s", client);
        ntsec_mem_free(client);
    }
    o->query_imp_level = IServerSecurity_QueryBlanket(ss, NULL, NULL, NULL, NULL, &imp, NULL, NULL);
    o->first = IServerSecurity_ImpersonateClient(ss);
    o->second = IServerSecurity_ImpersonateClient(ss);
    o->level = thread_level(o->user, sizeof(o->user));
    o->impersonating = IServerSecurity_IsImpersonating(ss);
    o->revert = IServerSecurity_RevertToSelf(ss);
    o->impersonating_after_revert = IServerSecurity_IsImpersonating(ss);
    o->co_impersonate = CoImpersonateClient();   /* left impersonating: COM reverts */
    o->kept = ss;
    return S_OK;
}

static const struct itest_vtbl obj_vtbl = {
    obj_QueryInterface, obj_AddRef, obj_Release, obj_Run,
};

/* --- a server and a client ------------------------------------------------------ */

struct scene {
    struct party server, client;
    struct test_object object;
    DWORD server_level;                 /* the server's CoInitializeSecurity level, 0: none */
    uint32_t cookie;
    struct itest *proxy;                /* ITestCall through the proxy */
};

static void server_up(void *arg)
{
    struct scene *s = arg;

    CU_ASSERT(CoInitializeEx(NULL, COINIT_MULTITHREADED) == S_OK);
    if (s->server_level)
        CU_ASSERT(CoInitializeSecurity(NULL, -1, NULL, NULL, s->server_level,
                                       RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE, NULL) == S_OK);
    CU_ASSERT(ntsec_com_export_unknown(&s->object.call, &s->cookie) == S_OK);
}

static void client_up(void *arg)
{
    struct scene *s = arg;

    CU_ASSERT(CoInitializeEx(NULL, COINIT_MULTITHREADED) == S_OK);
    CU_ASSERT(CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                   RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL) == S_OK);
    CU_ASSERT(ntsec_com_connect_unknown(s->cookie, &iid_test_call, (void **)&s->proxy) == S_OK);
}

static void client_down(void *arg)
{
    struct scene *s = arg;

    s->proxy->lpVtbl->Release(s->proxy);
    CoUninitialize();
}

static void server_down(void *arg)
{
    (void)arg;
    CoUninitialize();
}

/* "ProxyStubClsid32" (Microsoft docs): COM marshals only registered interfaces;
 * each of the test's has one method of one argument. */
static void register_test_interfaces(void)
{
    static const unsigned char run[] = { 1 };

    CU_ASSERT(ntsec_com_register_interface(&iid_test_call, 1, run) == S_OK);
    CU_ASSERT(ntsec_com_register_interface(&iid_test_other, 1, run) == S_OK);
}

static void scene_start(struct scene *s, DWORD server_level)
{
    register_test_interfaces();
    memset(s, 0, sizeof(*s));
    object_init(&s->object);
    s->server_level = server_level;
    party_start(&s->server, "svc-web", WS);
    party_do(&s->server, server_up, s);
    party_start(&s->client, "alice", WS);
    party_do(&s->client, client_up, s);
}

static void scene_stop(struct scene *s)
{
    party_do(&s->client, client_down, s);
    party_stop(&s->client);
    party_do(&s->server, server_down, s);
    party_stop(&s->server);
    CU_ASSERT_EQUAL(s->object.refs, 1);  /* every reference COM took is back */
}

/* --- apartments and process security ------------------------------------------------ */

/* CoInitializeEx (Microsoft docs): S_OK, S_FALSE when already initialised
 * the same way, RPC_E_CHANGED_MODE the other way; CoInitialize is the
 * apartment-threaded model; pvReserved must be NULL. */
static void co_initialize_ex_models(void)
{
    static int reserved;

    CU_ASSERT_EQUAL(CoInitializeEx(&reserved, COINIT_MULTITHREADED), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitialize(NULL), S_OK);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_FALSE);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), RPC_E_CHANGED_MODE);
    CoUninitialize();
    CoUninitialize();
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), RPC_E_CHANGED_MODE);
    CoUninitialize();
}

/* CoInitializeSecurity (Microsoft docs): the reserved pointers must be
 * NULL, RPC_C_IMP_LEVEL_DEFAULT is not for use, EOAC_APPID with
 * EOAC_ACCESS_CONTROL or EOAC_ACCESS_CONTROL without pSecDesc is an error,
 * cAuthSvc -1 needs a NULL asAuthSvc (E_INVALIDARG: ntsec's choice where
 * the page says only "error"); once made, RPC_E_TOO_LATE. Before
 * CoInitializeEx: CO_E_NOTINITIALIZED (ntsec's reading of that code). */
static void co_initialize_security_rules(void)
{
    SOLE_AUTHENTICATION_SERVICE svc = { RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL, S_OK };
    static int reserved;

    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                         RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE, NULL),
                    CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, &reserved, 0, RPC_C_IMP_LEVEL_IDENTIFY,
                                         NULL, EOAC_NONE, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, 0, RPC_C_IMP_LEVEL_IDENTIFY,
                                         NULL, EOAC_NONE, &reserved), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, 0, RPC_C_IMP_LEVEL_DEFAULT,
                                         NULL, EOAC_NONE, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, 0, RPC_C_IMP_LEVEL_IDENTIFY, NULL,
                                         EOAC_APPID | EOAC_ACCESS_CONTROL, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, 0, RPC_C_IMP_LEVEL_IDENTIFY, NULL,
                                         EOAC_ACCESS_CONTROL, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, &svc, NULL, 0, RPC_C_IMP_LEVEL_IDENTIFY, NULL,
                                         EOAC_NONE, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                         RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL), S_OK);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                         RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE, NULL),
                    RPC_E_TOO_LATE);
    CoUninitialize();
}

/* "IClientSecurity" (Microsoft docs): in-process objects have no
 * IClientSecurity, so CoSetProxyBlanket / CoQueryProxyBlanket /
 * CoCopyProxy, which query for it, fail with the QueryInterface result
 * E_NOINTERFACE (inferred, docs/com.md). */
static void in_process_objects_have_no_client_security(void)
{
    struct test_object o;
    IUnknown *unk = (IUnknown *)&o.call, *copy = NULL;
    DWORD level = 0;

    object_init(&o);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoSetProxyBlanket(unk, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                      RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY, NULL,
                                      EOAC_NONE), E_NOINTERFACE);
    CU_ASSERT_EQUAL(CoQueryProxyBlanket(unk, NULL, NULL, NULL, &level, NULL, NULL, NULL),
                    E_NOINTERFACE);
    CU_ASSERT_EQUAL(CoCopyProxy(unk, &copy), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(copy);
    CU_ASSERT_EQUAL(o.refs, 1);
    CoUninitialize();
}

/* --- the server's call context ---------------------------------------------------- */

/* Wine compobj.c test_CoGetCallContext: outside a call CoGetCallContext
 * is RPC_E_CALL_COMPLETE; CoImpersonateClient / CoRevertToSelf pass that
 * failure on (as Wine; inferred for Windows). */
static void no_call_context_outside_a_call(void)
{
    IUnknown *unk = NULL;

    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoGetCallContext(&IID_IUnknown, (void **)&unk), RPC_E_CALL_COMPLETE);
    CU_ASSERT_PTR_NULL(unk);
    CU_ASSERT_EQUAL(CoImpersonateClient(), RPC_E_CALL_COMPLETE);
    CU_ASSERT_EQUAL(CoRevertToSelf(), RPC_E_CALL_COMPLETE);
    CoUninitialize();
}

/* Wine compobj.c test_CoGetCallContext: CoSwitchCallContext installs an
 * object without AddRef and returns the previous one (NULL); CoGetCallContext
 * then queries it; switching back restores. */
static void switch_call_context_installs_an_object(void)
{
    struct test_object o;
    IUnknown *old = (IUnknown *)1, *got = NULL, *back = NULL;

    object_init(&o);
    CU_ASSERT_EQUAL(CoSwitchCallContext((IUnknown *)&o.call, &old), S_OK);
    CU_ASSERT_PTR_NULL(old);
    CU_ASSERT_EQUAL(o.refs, 1);
    CU_ASSERT_EQUAL(CoGetCallContext(&IID_IUnknown, (void **)&got), S_OK);
    CU_ASSERT_PTR_EQUAL(got, &o.call);
    IUnknown_Release(got);
    CU_ASSERT_EQUAL(CoGetCallContext(&IID_IServerSecurity, (void **)&got), E_NOINTERFACE);
    CU_ASSERT_EQUAL(CoSwitchCallContext(NULL, &back), S_OK);
    CU_ASSERT_PTR_EQUAL(back, &o.call);
    CU_ASSERT_EQUAL(CoGetCallContext(&IID_IUnknown, (void **)&got), RPC_E_CALL_COMPLETE);
    CU_ASSERT_EQUAL(o.refs, 1);
}

struct call_step {
    struct scene *scene;
    void *arg;
    HRESULT hr;
};

static void call_run(void *arg)
{
    struct call_step *c = arg;

    c->hr = c->scene->proxy->lpVtbl->Run(c->scene->proxy, c->arg);
}

static HRESULT scene_call(struct scene *s, void *arg)
{
    struct call_step c = { s, arg, E_FAIL };

    party_do(&s->client, call_run, &c);
    return c.hr;
}

/* IServerSecurity (Microsoft docs): QueryBlanket reports the call's
 * service and level and the client's name (pPrivs), pImpLevel "must be
 * NULL" (E_INVALIDARG: inferred); ImpersonateClient twice then one
 * RevertToSelf restores the thread ("IServerSecurity::RevertToSelf");
 * IsImpersonating follows; CoImpersonateClient works inside the call; a
 * retained IServerSecurity after the call: ImpersonateClient is
 * RPC_E_CALL_COMPLETE and IsImpersonating FALSE (com-notes §8, ntsec's
 * choice: no Windows test found). */
static void server_security_during_and_after_a_call(void)
{
    struct scene s;
    struct observation o = { 0 };

    scene_start(&s, 0);
    CU_ASSERT_EQUAL(scene_call(&s, &o), S_OK);
    CU_ASSERT_EQUAL(o.context, S_OK);
    CU_ASSERT_EQUAL(o.query, S_OK);
    CU_ASSERT_EQUAL(o.authn_svc, RPC_C_AUTHN_WINNT);
    CU_ASSERT_EQUAL(o.authn_level, RPC_C_AUTHN_LEVEL_CONNECT);
    CU_ASSERT_STRING_EQUAL(o.client, "CONTOSO\\alice");
    CU_ASSERT_EQUAL(o.query_imp_level, E_INVALIDARG);
    CU_ASSERT_EQUAL(o.first, S_OK);
    CU_ASSERT_EQUAL(o.second, S_OK);
    CU_ASSERT_STRING_EQUAL(o.user, "alice");
    CU_ASSERT_EQUAL(o.level, SecurityImpersonation);
    CU_ASSERT(o.impersonating);
    CU_ASSERT_EQUAL(o.revert, S_OK);
    CU_ASSERT(!o.impersonating_after_revert);
    CU_ASSERT_EQUAL(o.co_impersonate, S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o.kept);
    CU_ASSERT_EQUAL(IServerSecurity_ImpersonateClient(o.kept), RPC_E_CALL_COMPLETE);
    CU_ASSERT(!IServerSecurity_IsImpersonating(o.kept));
    IServerSecurity_Release(o.kept);
    scene_stop(&s);
}

/* --- proxies and IClientSecurity ------------------------------------------------------- */

struct proxy_checks {
    struct scene *scene;
};

/* Wine marshal.c test_client_security: a proxy gives IClientSecurity;
 * every interface gives the same IUnknown; QueryBlanket with all NULL
 * succeeds; on a local interface (IClientSecurity here, IMarshal there)
 * QueryBlanket and SetBlanket are E_NOINTERFACE; an unknown service
 * (0xdeadbeef) is E_INVALIDARG; QueryBlanket on IUnknown succeeds; an
 * interface the object lacks is E_NOINTERFACE. */
static void client_security_step(void *arg)
{
    struct scene *s = arg;
    IUnknown *proxy = (IUnknown *)s->proxy, *unk1 = NULL, *unk2 = NULL, *other = NULL, *none;
    IClientSecurity *cs = NULL;
    DWORD svc, level, imp, caps;

    CU_ASSERT_FATAL(IUnknown_QueryInterface(proxy, &IID_IClientSecurity, (void **)&cs) == S_OK);
    CU_ASSERT(IUnknown_QueryInterface(proxy, &IID_IUnknown, (void **)&unk1) == S_OK);
    CU_ASSERT(IUnknown_QueryInterface(proxy, &iid_test_other, (void **)&other) == S_OK);
    CU_ASSERT(IUnknown_QueryInterface(other, &IID_IUnknown, (void **)&unk2) == S_OK);
    CU_ASSERT_PTR_EQUAL(unk1, unk2);
    CU_ASSERT_EQUAL(IUnknown_QueryInterface(proxy, &IID_IMarshal, (void **)&none), E_NOINTERFACE);
    CU_ASSERT_EQUAL(IClientSecurity_QueryBlanket(cs, proxy, NULL, NULL, NULL, NULL, NULL, NULL,
                                                 NULL), S_OK);
    CU_ASSERT_EQUAL(IClientSecurity_QueryBlanket(cs, (IUnknown *)cs, NULL, NULL, NULL, NULL, NULL,
                                                 NULL, NULL), E_NOINTERFACE);
    CU_ASSERT_EQUAL(IClientSecurity_SetBlanket(cs, (IUnknown *)cs, RPC_C_AUTHN_WINNT,
                                               RPC_C_AUTHZ_NONE, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                               RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE),
                    E_NOINTERFACE);
    CU_ASSERT_EQUAL(IClientSecurity_SetBlanket(cs, proxy, 0xdeadbeef, RPC_C_AUTHZ_NONE, NULL,
                                               RPC_C_AUTHN_LEVEL_CONNECT,
                                               RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_QueryBlanket(cs, unk1, &svc, NULL, NULL, &level, &imp, NULL,
                                                 &caps), S_OK);
    /* "Security Blanket Negotiation": WINNT, the higher level, the
     * client's impersonation level and capabilities. */
    CU_ASSERT_EQUAL(svc, RPC_C_AUTHN_WINNT);
    CU_ASSERT_EQUAL(level, RPC_C_AUTHN_LEVEL_CONNECT);
    CU_ASSERT_EQUAL(imp, RPC_C_IMP_LEVEL_IMPERSONATE);
    CU_ASSERT_EQUAL(caps, EOAC_NONE);
    IUnknown_Release(unk1);
    IUnknown_Release(unk2);
    IUnknown_Release(other);
    IClientSecurity_Release(cs);
}

static void proxies_expose_client_security(void)
{
    struct scene s;

    scene_start(&s, 0);
    party_do(&s.client, client_security_step, &s);
    scene_stop(&s);
}

static DWORD level_of(IUnknown *proxy)
{
    DWORD level = 0;

    CU_ASSERT(CoQueryProxyBlanket(proxy, NULL, NULL, NULL, &level, NULL, NULL, NULL) == S_OK);
    return level;
}

/* IClientSecurity::SetBlanket (Microsoft docs): the blanket belongs to
 * one interface proxy; other interfaces and IUnknown keep theirs. */
static void per_interface_step(void *arg)
{
    struct scene *s = arg;
    IUnknown *proxy = (IUnknown *)s->proxy, *other = NULL, *unk = NULL;

    CU_ASSERT_FATAL(IUnknown_QueryInterface(proxy, &iid_test_other, (void **)&other) == S_OK);
    CU_ASSERT_FATAL(IUnknown_QueryInterface(proxy, &IID_IUnknown, (void **)&unk) == S_OK);
    CU_ASSERT_EQUAL(CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                      RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IDENTIFY,
                                      NULL, EOAC_NONE), S_OK);
    CU_ASSERT_EQUAL(level_of(proxy), RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    CU_ASSERT_EQUAL(level_of(other), RPC_C_AUTHN_LEVEL_CONNECT);
    CU_ASSERT_EQUAL(level_of(unk), RPC_C_AUTHN_LEVEL_CONNECT);
    IUnknown_Release(other);
    IUnknown_Release(unk);
}

static void blankets_are_per_interface(void)
{
    struct scene s;

    scene_start(&s, 0);
    party_do(&s.client, per_interface_step, &s);
    scene_stop(&s);
}

/* CoCopyProxy (Microsoft docs): the copy's blanket is its own; QueryInterface
 * on the copy for its own IID gives the original proxy; IUnknown cannot be
 * copied (E_NOINTERFACE: ntsec's choice). pServerPrincName comes back from
 * the task allocator (CoQueryProxyBlanket). */
static void copy_step(void *arg)
{
    struct scene *s = arg;
    IUnknown *proxy = (IUnknown *)s->proxy, *copy = NULL, *again = NULL, *unk = NULL, *no = NULL;
    OLECHAR *name = NULL;

    CU_ASSERT_FATAL(CoCopyProxy(proxy, &copy) == S_OK);
    CU_ASSERT_PTR_NOT_EQUAL(copy, proxy);
    CU_ASSERT_EQUAL(CoSetProxyBlanket(copy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE,
                                      (OLECHAR *)u"host/server", RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
                                      RPC_C_IMP_LEVEL_DELEGATE, NULL, EOAC_NONE), S_OK);
    CU_ASSERT_EQUAL(level_of(copy), RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
    CU_ASSERT_EQUAL(level_of(proxy), RPC_C_AUTHN_LEVEL_CONNECT);
    CU_ASSERT_EQUAL(CoQueryProxyBlanket(copy, NULL, NULL, &name, NULL, NULL, NULL, NULL), S_OK);
    CU_ASSERT(name && !memcmp(name, u"host/server", sizeof(u"host/server")));
    CoTaskMemFree(name);
    CU_ASSERT_EQUAL(IUnknown_QueryInterface(copy, &iid_test_call, (void **)&again), S_OK);
    CU_ASSERT_PTR_EQUAL(again, proxy);
    CU_ASSERT_FATAL(IUnknown_QueryInterface(proxy, &IID_IUnknown, (void **)&unk) == S_OK);
    CU_ASSERT_EQUAL(CoCopyProxy(unk, &no), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(no);
    IUnknown_Release(again);
    IUnknown_Release(unk);
    IUnknown_Release(copy);
}

static void copy_proxy_is_independent(void)
{
    struct scene s;

    scene_start(&s, 0);
    party_do(&s.client, copy_step, &s);
    scene_stop(&s);
}

struct credentials_step {
    struct scene *scene;
    DWORD flags;
    HRESULT set, call;
    struct observation seen;
};

static void credentials_run(void *arg)
{
    struct credentials_step *c = arg;
    IUnknown *proxy = (IUnknown *)c->scene->proxy;
    SEC_WINNT_AUTH_IDENTITY_W w = { (unsigned short *)u"bob", 3, (unsigned short *)u"CONTOSO", 7,
                                    (unsigned short *)u"bob-password", 12, c->flags };
    SEC_WINNT_AUTH_IDENTITY_A a = { (unsigned char *)"bob", 3, (unsigned char *)"CONTOSO", 7,
                                    (unsigned char *)"bob-password", 12, c->flags };

    c->set = CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                               RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IMPERSONATE,
                               c->flags == SEC_WINNT_AUTH_IDENTITY_UNICODE ? (void *)&w : (void *)&a,
                               EOAC_NONE);
    c->call = c->scene->proxy->lpVtbl->Run(c->scene->proxy, &c->seen);
    if (c->seen.kept)
        IServerSecurity_Release(c->seen.kept);
}

/* CoSetProxyBlanket (Microsoft docs, pAuthInfo): with explicit
 * credentials "RPC logs on the user ... and uses the resulting token":
 * the server sees bob, UTF-16 or ANSI (SEC_WINNT_AUTH_IDENTITY Flags). */
static void explicit_credentials_run_the_call_as_that_account(void)
{
    static const DWORD flags[] = { SEC_WINNT_AUTH_IDENTITY_UNICODE, SEC_WINNT_AUTH_IDENTITY_ANSI };

    for (size_t i = 0; i < 2; i++) {
        struct scene s;
        struct credentials_step c = { &s, flags[i], E_FAIL, E_FAIL, { 0 } };

        scene_start(&s, 0);
        party_do(&s.client, credentials_run, &c);
        CU_ASSERT_EQUAL(c.set, S_OK);
        CU_ASSERT_EQUAL(c.call, S_OK);
        CU_ASSERT_STRING_EQUAL(c.seen.user, "bob");
        scene_stop(&s);
    }
}

struct privacy_step {
    struct scene *scene;
    HRESULT low, high;
};

static void privacy_run(void *arg)
{
    struct privacy_step *p = arg;
    IUnknown *proxy = (IUnknown *)p->scene->proxy;

    CU_ASSERT(CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IMPERSONATE, NULL,
                                EOAC_NONE) == S_OK);
    p->low = p->scene->proxy->lpVtbl->Run(p->scene->proxy, NULL);
    CU_ASSERT(CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE, NULL,
                                EOAC_NONE) == S_OK);
    p->high = p->scene->proxy->lpVtbl->Run(p->scene->proxy, NULL);
}

/* CoInitializeSecurity (dwAuthnLevel): a server that requires packet
 * privacy fails calls that arrive lower (E_ACCESSDENIED); the default
 * level negotiates privacy again ("Security Blanket Negotiation"). */
static void privacy_server_refuses_a_lower_blanket(void)
{
    struct scene s;
    struct privacy_step p = { &s, E_FAIL, E_FAIL };

    scene_start(&s, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    party_do(&s.client, privacy_run, &p);
    CU_ASSERT_EQUAL(p.low, E_ACCESSDENIED);
    CU_ASSERT_EQUAL(p.high, S_OK);
    scene_stop(&s);
}

struct unknown_blanket_step {
    struct scene *scene;
    HRESULT query_low, query_high, call;
};

static void unknown_blanket_run(void *arg)
{
    struct unknown_blanket_step *u = arg;
    IUnknown *proxy = (IUnknown *)u->scene->proxy, *unk = NULL, *other = NULL;

    CU_ASSERT_FATAL(IUnknown_QueryInterface(proxy, &IID_IUnknown, (void **)&unk) == S_OK);
    CU_ASSERT(CoSetProxyBlanket(unk, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IMPERSONATE, NULL,
                                EOAC_NONE) == S_OK);
    u->query_low = IUnknown_QueryInterface(proxy, &iid_test_other, (void **)&other);
    u->call = u->scene->proxy->lpVtbl->Run(u->scene->proxy, NULL);
    CU_ASSERT(CoSetProxyBlanket(unk, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE, NULL,
                                EOAC_NONE) == S_OK);
    u->query_high = IUnknown_QueryInterface(proxy, &iid_test_other, (void **)&other);
    if (other)
        IUnknown_Release(other);
    IUnknown_Release(unk);
}

/* "Setting Authentication Using C++" (WMI) and IClientSecurity::SetBlanket:
 * IUnknown has its own blanket, used for the remote QueryInterface; below
 * the server's level that QueryInterface is refused while the interface
 * whose blanket is high enough still calls. */
static void iunknown_blanket_carries_remote_query_interface(void)
{
    struct scene s;
    struct unknown_blanket_step u = { &s, E_FAIL, E_FAIL, E_FAIL };

    scene_start(&s, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    party_do(&s.client, unknown_blanket_run, &u);
    CU_ASSERT_EQUAL(u.query_low, E_ACCESSDENIED);
    CU_ASSERT_EQUAL(u.call, S_OK);
    CU_ASSERT_EQUAL(u.query_high, S_OK);
    scene_stop(&s);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(co_initialize_ex_models),
        TEST(co_initialize_security_rules),
        TEST(in_process_objects_have_no_client_security),
        TEST(no_call_context_outside_a_call),
        TEST(switch_call_context_installs_an_object),
        TEST(server_security_during_and_after_a_call),
        TEST(proxies_expose_client_security),
        TEST(blankets_are_per_interface),
        TEST(copy_proxy_is_independent),
        TEST(explicit_credentials_run_the_call_as_that_account),
        TEST(privacy_server_refuses_a_lower_blanket),
        TEST(iunknown_blanket_carries_remote_query_interface),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("emul_com", tests);
}

/* test_emul_com_badinput.c - bad input for every ole32 export of the
 * emulation (emul/ole32): NULL pointers, objects that are not proxies,
 * out-of-range levels, capabilities and flags, an uninitialised thread,
 * calls after CoUninitialize and releases of what is gone. Each test
 * checks the documented status and that nothing changed (a failed
 * SetBlanket leaves the blanket QueryBlanket reports, a failed marshal
 * leaves the object's count and the stream as they were), and the runner
 * fails any test that leaks.
 *
 * Sources, named at each test: the Microsoft docs page of each function;
 * Wine's dlls/ole32/tests/compobj.c (test_CoMarshalInterface,
 * test_CoUnmarshalInterface, test_CoMarshalInterThreadInterfaceInStream,
 * test_CoGetInterfaceAndReleaseStream, test_CoGetCallContext),
 * marshal.c (test_client_security, test_marshal_stub_apartment_shutdown)
 * and hglobalstream.c (test_streamonhglobal), whose results are
 * Windows'. "ntsec's choice" marks a status where Windows faults or
 * documents none (docs/com.md, "Bad input"). */
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

/* ITestRun: IUnknown plus Run(arg), registered; ITestLacking: registered,
 * never supported by the object; ITestUnregistered: neither. */
static const IID iid_run =
    { 0x6e7ac0ba, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const IID iid_lacking =
    { 0x6e7ac0ba, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 } };
static const IID iid_unregistered =
    { 0x6e7ac0ba, 0x1d2e, 0x4f00, { 0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 } };

static const LARGE_INTEGER zero;

/* --- the object ------------------------------------------------------------------ */

struct runner;
struct runner_vtbl {
    HRESULT (WINAPI *QueryInterface)(struct runner *self, REFIID iid, void **ppv);
    ULONG (WINAPI *AddRef)(struct runner *self);
    ULONG (WINAPI *Release)(struct runner *self);
    HRESULT (WINAPI *Run)(struct runner *self, void *arg);
};
struct runner {
    const struct runner_vtbl *lpVtbl;
    LONG refs;
};

/* Run's argument: a step run on the server's side of the call. */
struct step {
    void (*fn)(struct step *s);
    void *data;
};

static HRESULT WINAPI run_QueryInterface(struct runner *self, REFIID iid, void **ppv)
{
    if (!memcmp(iid, &IID_IUnknown, sizeof(IID)) || !memcmp(iid, &iid_run, sizeof(IID))) {
        *ppv = self;
        InterlockedIncrement(&self->refs);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI run_AddRef(struct runner *self)
{
    return InterlockedIncrement(&self->refs);
}

static ULONG WINAPI run_Release(struct runner *self)
{
    return InterlockedDecrement(&self->refs);
}

static HRESULT WINAPI run_Run(struct runner *self, void *arg)
{
    struct step *s = arg;

    (void)self;
    if (s)
        s->fn(s);
    return S_OK;
}

static const struct runner_vtbl runner_vtbl = {
    run_QueryInterface, run_AddRef, run_Release, run_Run,
};

static void register_test_interfaces(void)
{
    static const unsigned char run[] = { 1 };

    CU_ASSERT(ntsec_com_register_interface(&iid_run, 1, run) == S_OK);
    CU_ASSERT(ntsec_com_register_interface(&iid_lacking, 1, run) == S_OK);
}

/* A proxy of `obj`'s ITestRun in this process: marshaled and unmarshaled
 * through a memory stream (the thread is initialised). */
static struct runner *proxy_of(struct runner *obj)
{
    IStream *stream = NULL;
    struct runner *proxy = NULL;

    register_test_interfaces();
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    CU_ASSERT_FATAL(CoMarshalInterface(stream, &iid_run, (IUnknown *)obj, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_NORMAL) == S_OK);
    CU_ASSERT(IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL) == S_OK);
    CU_ASSERT_FATAL(CoUnmarshalInterface(stream, &iid_run, (void **)&proxy) == S_OK);
    IStream_Release(stream);
    return proxy;
}

static ULONG stream_size(IStream *stream)
{
    STATSTG st;

    CU_ASSERT_FATAL(IStream_Stat(stream, &st, STATFLAG_NONAME) == S_OK);
    return st.cbSize.u.LowPart;
}

static ULONG stream_pos(IStream *stream)
{
    ULARGE_INTEGER pos = { 0 };

    CU_ASSERT(IStream_Seek(stream, zero, STREAM_SEEK_CUR, &pos) == S_OK);
    return pos.u.LowPart;
}

/* --- apartments ------------------------------------------------------------------------ */

/* "CoInitializeEx": pvReserved must be NULL (E_INVALIDARG: ntsec's
 * reading of its standard results), and the thread stays uninitialised;
 * "CoUninitialize" on a thread that is not initialised, or once too
 * often, does nothing: the next CoInitializeEx is the first (S_OK). */
static void co_initialize_bad_input_changes_nothing(void)
{
    static int reserved;

    CU_ASSERT_EQUAL(CoInitializeEx(&reserved, COINIT_MULTITHREADED), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitialize(&reserved), E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_check_initialized(), CO_E_NOTINITIALIZED);
    CoUninitialize();
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CoUninitialize();
    CoUninitialize();
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_OK);
    CoUninitialize();
    CU_ASSERT_EQUAL(ntsec_com_check_initialized(), CO_E_NOTINITIALIZED);
}

/* "CoInitializeSecurity": cAuthSvc below -1, a count without asAuthSvc,
 * a level above RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_DEFAULT
 * ("not for use") or above DELEGATE, both cloakings
 * ("EOLE_AUTHENTICATION_CAPABILITIES"), EOAC_SECURE_REFS at level NONE
 * are E_INVALIDARG (ntsec's choice where the pages say "fails"); each
 * leaves the process without settings, so a valid call then succeeds;
 * after CoUninitialize, CO_E_NOTINITIALIZED. */
static void co_initialize_security_bad_input_changes_nothing(void)
{
    static const struct { LONG count; DWORD level, imp, caps; } bad[] = {
        { -2, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY, EOAC_NONE },
        { 1, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY, EOAC_NONE },
        { -1, RPC_C_AUTHN_LEVEL_PKT_PRIVACY + 1, RPC_C_IMP_LEVEL_IDENTIFY, EOAC_NONE },
        { -1, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_DEFAULT, EOAC_NONE },
        { -1, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_DELEGATE + 1, EOAC_NONE },
        { -1, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY,
          EOAC_STATIC_CLOAKING | EOAC_DYNAMIC_CLOAKING },
        { -1, RPC_C_AUTHN_LEVEL_NONE, RPC_C_IMP_LEVEL_IDENTIFY, EOAC_SECURE_REFS },
    };

    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, bad[i].count, NULL, NULL, bad[i].level,
                                             bad[i].imp, NULL, bad[i].caps, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                         RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE, NULL), S_OK);
    CoUninitialize();
    CU_ASSERT_EQUAL(CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                         RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE, NULL),
                    CO_E_NOTINITIALIZED);
}

/* --- proxies and IClientSecurity ----------------------------------------------------------- */

struct blanket {
    DWORD svc, authz, level, imp, caps;
    OLECHAR *principal;
};

static struct blanket blanket_of(IUnknown *proxy)
{
    struct blanket b = { 0 };

    CU_ASSERT(CoQueryProxyBlanket(proxy, &b.svc, &b.authz, &b.principal, &b.level, &b.imp, NULL,
                                  &b.caps) == S_OK);
    return b;
}

static void blanket_free(struct blanket *b)
{
    CoTaskMemFree(b->principal);
}

static void blanket_is(IUnknown *proxy, const struct blanket *want)
{
    struct blanket b = blanket_of(proxy);

    CU_ASSERT_EQUAL(b.svc, want->svc);
    CU_ASSERT_EQUAL(b.authz, want->authz);
    CU_ASSERT_EQUAL(b.level, want->level);
    CU_ASSERT_EQUAL(b.imp, want->imp);
    CU_ASSERT_EQUAL(b.caps, want->caps);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.principal);
    CU_ASSERT_MEM_EQUAL(b.principal, u"host/srv", sizeof(u"host/srv"));
    blanket_free(&b);
}

/* "CoSetProxyBlanket", "IClientSecurity::SetBlanket" (rules of
 * docs/com.md; Wine marshal.c test_client_security: an unknown service
 * is E_INVALIDARG): every rule broken is E_INVALIDARG, unknown
 * credentials E_ACCESSDENIED, and the proxy keeps the blanket it had,
 * principal included, as QueryBlanket shows. */
static void failed_set_blanket_keeps_the_blanket(void)
{
    static const struct { DWORD svc, authz, level, imp, caps; } bad[] = {
        { 0xdeadbeef, RPC_C_AUTHZ_NONE, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY, 0 },
        { RPC_C_AUTHN_WINNT, 0xdeadbeef, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY, 0 },
        { RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, RPC_C_AUTHN_LEVEL_PKT_PRIVACY + 1,
          RPC_C_IMP_LEVEL_IDENTIFY, 0 },
        { RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, RPC_C_AUTHN_LEVEL_CONNECT,
          RPC_C_IMP_LEVEL_DELEGATE + 1, 0 },
        { RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, RPC_C_AUTHN_LEVEL_NONE, RPC_C_IMP_LEVEL_IDENTIFY, 0 },
        { RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY,
          EOAC_SECURE_REFS },
        { RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY,
          EOAC_STATIC_CLOAKING | EOAC_DYNAMIC_CLOAKING },
        { RPC_C_AUTHN_GSS_SCHANNEL, RPC_C_AUTHZ_NONE, RPC_C_AUTHN_LEVEL_CONNECT,
          RPC_C_IMP_LEVEL_IDENTIFY, EOAC_DYNAMIC_CLOAKING },
    };
    SEC_WINNT_AUTH_IDENTITY_W bad_flags = { (unsigned short *)u"bob", 3, NULL, 0,
                                            (unsigned short *)u"bob-password", 12, 7 };
    SEC_WINNT_AUTH_IDENTITY_W no_user = { NULL, 0, NULL, 0, (unsigned short *)u"x", 1,
                                          SEC_WINNT_AUTH_IDENTITY_UNICODE };
    SEC_WINNT_AUTH_IDENTITY_W wrong = { (unsigned short *)u"bob", 3, (unsigned short *)u"CONTOSO", 7,
                                        (unsigned short *)u"not-bob's", 9,
                                        SEC_WINNT_AUTH_IDENTITY_UNICODE };
    const struct blanket set = { RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE,
                                 RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_IMP_LEVEL_IMPERSONATE,
                                 EOAC_MUTUAL_AUTH, NULL };
    struct runner obj = { &runner_vtbl, 1 };
    IUnknown *proxy;

    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    proxy = (IUnknown *)proxy_of(&obj);
    CU_ASSERT_EQUAL(CoSetProxyBlanket(proxy, set.svc, set.authz, (OLECHAR *)u"host/srv", set.level,
                                      set.imp, NULL, set.caps), S_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CU_ASSERT_EQUAL(CoSetProxyBlanket(proxy, bad[i].svc, bad[i].authz, (OLECHAR *)u"other",
                                          bad[i].level, bad[i].imp, NULL, bad[i].caps),
                        E_INVALIDARG);
        blanket_is(proxy, &set);
    }
    /* SEC_WINNT_AUTH_IDENTITY: Flags is UNICODE or ANSI; User is needed
     * (E_INVALIDARG: ntsec's choice); "CoSetProxyBlanket": credentials
     * with cloaking fail. */
    CU_ASSERT_EQUAL(CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                      RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY,
                                      &bad_flags, EOAC_NONE), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                      RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY,
                                      &no_user, EOAC_NONE), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                      RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY,
                                      &wrong, EOAC_STATIC_CLOAKING), E_INVALIDARG);
    /* A logon that fails: E_ACCESSDENIED (ntsec's choice, docs/com.md). */
    CU_ASSERT_EQUAL(CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                      RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY,
                                      &wrong, EOAC_NONE), E_ACCESSDENIED);
    blanket_is(proxy, &set);
    IUnknown_Release(proxy);
    CoUninitialize();
    CU_ASSERT_EQUAL(obj.refs, 1);
}

/* IClientSecurity's proxy argument: NULL, an object that is no proxy, a
 * proxy of another object ("will not work": E_INVALIDARG, ntsec's
 * choice), IClientSecurity itself (E_NOINTERFACE, as Wine marshal.c
 * test_client_security finds for a local interface); CopyProxy's NULL
 * out-pointer is E_INVALIDARG and IUnknown "cannot be copied"
 * (E_NOINTERFACE, ntsec's choice). The Co* helpers: a NULL proxy is
 * E_INVALIDARG (ntsec's choice: Windows faults), an in-process object
 * E_NOINTERFACE ("CoSetProxyBlanket", Remarks). Nothing is written on
 * failure. */
static void client_security_refuses_what_is_not_its_proxy(void)
{
    struct runner obj = { &runner_vtbl, 1 }, local = { &runner_vtbl, 1 };
    IUnknown *proxy, *other, *unk = NULL, *copy = (IUnknown *)&local;
    IClientSecurity *cs = NULL;
    DWORD level = 0xdeadbeef;

    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    proxy = (IUnknown *)proxy_of(&obj);
    other = (IUnknown *)proxy_of(&obj);
    CU_ASSERT_FATAL(IUnknown_QueryInterface(proxy, &IID_IClientSecurity, (void **)&cs) == S_OK);
    CU_ASSERT(IUnknown_QueryInterface(proxy, &IID_IUnknown, (void **)&unk) == S_OK);
    CU_ASSERT_EQUAL(IClientSecurity_QueryBlanket(cs, NULL, NULL, NULL, NULL, &level, NULL, NULL,
                                                 NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_QueryBlanket(cs, (IUnknown *)&local, NULL, NULL, NULL, &level,
                                                 NULL, NULL, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_QueryBlanket(cs, other, NULL, NULL, NULL, &level, NULL, NULL,
                                                 NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_QueryBlanket(cs, (IUnknown *)cs, NULL, NULL, NULL, &level,
                                                 NULL, NULL, NULL), E_NOINTERFACE);
    CU_ASSERT_EQUAL(level, 0xdeadbeef);
    CU_ASSERT_EQUAL(IClientSecurity_SetBlanket(cs, other, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                               RPC_C_AUTHN_LEVEL_NONE + 0, RPC_C_IMP_LEVEL_IDENTIFY,
                                               NULL, EOAC_NONE), E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_SetBlanket(cs, NULL, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                               RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY,
                                               NULL, EOAC_NONE), E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_CopyProxy(cs, other, &copy), E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_CopyProxy(cs, NULL, &copy), E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_CopyProxy(cs, proxy, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(IClientSecurity_CopyProxy(cs, unk, &copy), E_NOINTERFACE);
    CU_ASSERT_PTR_EQUAL(copy, &local);
    CU_ASSERT_EQUAL(CoSetProxyBlanket(NULL, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                      RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_IMP_LEVEL_IDENTIFY, NULL,
                                      EOAC_NONE), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoQueryProxyBlanket(NULL, NULL, NULL, NULL, &level, NULL, NULL, NULL),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoCopyProxy(NULL, &copy), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoCopyProxy(proxy, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoCopyProxy((IUnknown *)&local, &copy), E_NOINTERFACE);
    CU_ASSERT_EQUAL(level, 0xdeadbeef);
    CU_ASSERT_PTR_EQUAL(copy, &local);
    CU_ASSERT_EQUAL(local.refs, 1);
    IUnknown_Release(unk);
    IClientSecurity_Release(cs);
    IUnknown_Release(other);
    IUnknown_Release(proxy);
    CoUninitialize();
    CU_ASSERT_EQUAL(obj.refs, 1);
}

/* "IUnknown::QueryInterface": a NULL ppvObject is E_POINTER; a NULL riid
 * faults on Windows: E_POINTER too (ntsec's choice), on a proxy, its
 * IClientSecurity and a memory stream; an interface without a
 * proxy/stub is E_NOINTERFACE (Wine marshal.c test_no_marshaler) with
 * *ppv NULL. */
static void query_interface_bad_input(void)
{
    struct runner obj = { &runner_vtbl, 1 };
    IUnknown *proxy, *got = (IUnknown *)&obj;
    IClientSecurity *cs = NULL;
    IStream *stream = NULL;

    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    proxy = (IUnknown *)proxy_of(&obj);
    CU_ASSERT_FATAL(IUnknown_QueryInterface(proxy, &IID_IClientSecurity, (void **)&cs) == S_OK);
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    CU_ASSERT_EQUAL(IUnknown_QueryInterface(proxy, &IID_IUnknown, NULL), E_POINTER);
    CU_ASSERT_EQUAL(IClientSecurity_QueryInterface(cs, &IID_IUnknown, NULL), E_POINTER);
    CU_ASSERT_EQUAL(IStream_QueryInterface(stream, &IID_IUnknown, NULL), E_POINTER);
    CU_ASSERT_EQUAL(IUnknown_QueryInterface(proxy, NULL, (void **)&got), E_POINTER);
    CU_ASSERT_EQUAL(IClientSecurity_QueryInterface(cs, NULL, (void **)&got), E_POINTER);
    CU_ASSERT_EQUAL(IStream_QueryInterface(stream, NULL, (void **)&got), E_POINTER);
    CU_ASSERT_PTR_EQUAL(got, &obj);
    CU_ASSERT_EQUAL(IUnknown_QueryInterface(proxy, &iid_unregistered, (void **)&got),
                    E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(got);
    IStream_Release(stream);
    IClientSecurity_Release(cs);
    IUnknown_Release(proxy);
    CoUninitialize();
    CU_ASSERT_EQUAL(obj.refs, 1);
}

/* --- the server's call context ---------------------------------------------------------------- */

/* "CoGetCallContext" / "CoSwitchCallContext": a NULL out-pointer or
 * riid is E_INVALIDARG (ntsec's choice: the pages name no code for it;
 * the installed object is not asked), and the context stays; outside a
 * call, RPC_E_CALL_COMPLETE (Wine compobj.c test_CoGetCallContext). */
static void call_context_bad_input(void)
{
    struct runner ctx = { &runner_vtbl, 1 };
    IUnknown *old = (IUnknown *)&ctx, *got = (IUnknown *)&ctx;

    CU_ASSERT_EQUAL(CoGetCallContext(&IID_IUnknown, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoGetCallContext(NULL, (void **)&got), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoSwitchCallContext((IUnknown *)&ctx, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoGetCallContext(&IID_IUnknown, (void **)&got), RPC_E_CALL_COMPLETE);
    CU_ASSERT_EQUAL(CoSwitchCallContext((IUnknown *)&ctx, &old), S_OK);
    CU_ASSERT_PTR_NULL(old);
    CU_ASSERT_EQUAL(CoGetCallContext(NULL, (void **)&got), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoGetCallContext(&IID_IUnknown, NULL), E_INVALIDARG);
    CU_ASSERT_PTR_EQUAL(got, &ctx);
    CU_ASSERT_EQUAL(ctx.refs, 1);
    CU_ASSERT_EQUAL(CoSwitchCallContext(NULL, &old), S_OK);
    CU_ASSERT_PTR_EQUAL(old, &ctx);
    CU_ASSERT_EQUAL(CoImpersonateClient(), RPC_E_CALL_COMPLETE);
    CU_ASSERT_EQUAL(CoRevertToSelf(), RPC_E_CALL_COMPLETE);
}

/* What the server's step saw. */
struct server_seen {
    HRESULT query_imp, qi_null, revert_first;
    DWORD svc, level;
    IServerSecurity *kept;
};

static void server_step(struct step *s)
{
    struct server_seen *o = s->data;
    IServerSecurity *ss = NULL;
    DWORD imp = 0;

    if (CoGetCallContext(&IID_IServerSecurity, (void **)&ss) != S_OK)
        return;
    o->svc = o->level = 0xdeadbeef;
    o->query_imp = IServerSecurity_QueryBlanket(ss, &o->svc, NULL, NULL, &o->level, &imp, NULL,
                                                NULL);
    o->qi_null = IServerSecurity_QueryInterface(ss, &IID_IUnknown, NULL);
    o->revert_first = IServerSecurity_RevertToSelf(ss);
    o->kept = ss;
}

/* "IServerSecurity::QueryBlanket": pImpLevel "must be NULL" (E_INVALIDARG:
 * ntsec's reading) and nothing is written; QueryInterface without an
 * out-pointer is E_POINTER; RevertToSelf while not impersonating is S_OK
 * ("IServerSecurity::RevertToSelf"). After the call every method of a
 * kept instance is RPC_E_CALL_COMPLETE with nothing written, and
 * IsImpersonating FALSE (ntsec's choice, docs/com.md). */
static void server_security_bad_input(void)
{
    struct runner obj = { &runner_vtbl, 1 }, *proxy;
    struct server_seen seen = { E_FAIL, E_FAIL, E_FAIL, 0, 0, NULL };
    struct step step = { server_step, &seen };
    DWORD level = 7;

    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    proxy = proxy_of(&obj);
    CU_ASSERT_EQUAL(proxy->lpVtbl->Run(proxy, &step), S_OK);
    CU_ASSERT_EQUAL(seen.query_imp, E_INVALIDARG);
    CU_ASSERT_EQUAL(seen.svc, 0xdeadbeef);
    CU_ASSERT_EQUAL(seen.level, 0xdeadbeef);
    CU_ASSERT_EQUAL(seen.qi_null, E_POINTER);
    CU_ASSERT_EQUAL(seen.revert_first, S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(seen.kept);
    CU_ASSERT_EQUAL(IServerSecurity_QueryBlanket(seen.kept, NULL, NULL, NULL, &level, NULL, NULL,
                                                 NULL), RPC_E_CALL_COMPLETE);
    CU_ASSERT_EQUAL(level, 7);
    CU_ASSERT_EQUAL(IServerSecurity_ImpersonateClient(seen.kept), RPC_E_CALL_COMPLETE);
    CU_ASSERT_EQUAL(IServerSecurity_RevertToSelf(seen.kept), RPC_E_CALL_COMPLETE);
    CU_ASSERT(!IServerSecurity_IsImpersonating(seen.kept));
    IServerSecurity_Release(seen.kept);
    proxy->lpVtbl->Release(proxy);
    CoUninitialize();
    CU_ASSERT_EQUAL(obj.refs, 1);
}

/* --- marshaling ------------------------------------------------------------------------------------ */

/* An IStream whose Write fails or writes short (only Write is called). */
struct bad_stream {
    IStream iface;
    HRESULT hr;
    ULONG written;
};

static HRESULT WINAPI bad_Write(IStream *iface, const void *buf, ULONG cb, ULONG *written)
{
    struct bad_stream *s = (struct bad_stream *)iface;

    (void)buf;
    (void)cb;
    if (written)
        *written = s->written;
    return s->hr;
}

static const IStreamVtbl bad_stream_vtbl = { .Write = bad_Write };

/* CoMarshalInterface: a NULL stream or object is E_INVALIDARG (Wine
 * compobj.c test_CoMarshalInterface), so are a NULL IID, a destination
 * context past MSHCTX, a pvDestContext and MSHLFLAGS out of the enum
 * (ntsec's choice, "MSHCTX", "MSHLFLAGS"); an interface without a
 * proxy/stub or one the object lacks is E_NOINTERFACE (Wine marshal.c
 * test_no_marshaler); before CoInitializeEx CO_E_NOTINITIALIZED
 * ("CoMarshalInterface"); a stream that fails gives its error, a short
 * write STG_E_MEDIUMFULL ("the stream access error values"). Every
 * failure leaves the stream empty and the object's count as it was. */
static void marshal_bad_input_changes_nothing(void)
{
    struct runner obj = { &runner_vtbl, 1 };
    IUnknown *unk = (IUnknown *)&obj;
    struct bad_stream failing = { { &bad_stream_vtbl }, STG_E_ACCESSDENIED, 0 };
    struct bad_stream short_write = { { &bad_stream_vtbl }, S_OK, 3 };
    static int context;
    IStream *stream = NULL;

    register_test_interfaces();
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, &iid_run, unk, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_NORMAL), CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoMarshalInterface(NULL, &iid_run, unk, MSHCTX_INPROC, NULL, MSHLFLAGS_NORMAL),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, &iid_run, NULL, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_NORMAL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, NULL, unk, MSHCTX_INPROC, NULL, MSHLFLAGS_NORMAL),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, &iid_run, unk, 6, NULL, MSHLFLAGS_NORMAL),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, &iid_run, unk, MSHCTX_INPROC, &context,
                                       MSHLFLAGS_NORMAL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, &iid_run, unk, MSHCTX_INPROC, NULL, 3),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, &iid_run, unk, MSHCTX_INPROC, NULL, 0x10),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, &iid_unregistered, unk, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_NORMAL), E_NOINTERFACE);
    CU_ASSERT_EQUAL(CoMarshalInterface(stream, &iid_lacking, unk, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_NORMAL), E_NOINTERFACE);
    CU_ASSERT_EQUAL(stream_size(stream), 0);
    CU_ASSERT_EQUAL(obj.refs, 1);
    CU_ASSERT_EQUAL(CoMarshalInterface(&failing.iface, &iid_run, unk, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_TABLESTRONG), STG_E_ACCESSDENIED);
    CU_ASSERT_EQUAL(CoMarshalInterface(&short_write.iface, &iid_run, unk, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_NORMAL), STG_E_MEDIUMFULL);
    CU_ASSERT_EQUAL(obj.refs, 1);           /* the export made for them is gone */
    IStream_Release(stream);
    CoUninitialize();
    CU_ASSERT_EQUAL(obj.refs, 1);
}

/* CoUnmarshalInterface: NULL stream or ppv E_INVALIDARG, uninitialised
 * CO_E_NOTINITIALIZED, an empty stream STG_E_READFAULT (Wine compobj.c
 * test_CoUnmarshalInterface); a NULL IID E_INVALIDARG (ntsec's choice);
 * a packet that is not one RPC_E_INVALID_OBJREF; an interface without a
 * proxy/stub, or one the object lacks, E_NOINTERFACE with the record
 * kept: a right unmarshal of the same packet then succeeds. */
static void unmarshal_bad_input_keeps_the_record(void)
{
    struct runner obj = { &runner_vtbl, 1 }, *proxy = (struct runner *)&obj;
    static const uint8_t garbage[NTSEC_COM_OBJREF_SIZE] = { 1, 2, 3 };
    IStream *stream = NULL, *junk = NULL;

    register_test_interfaces();
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &junk) == S_OK);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(NULL, &iid_run, (void **)&proxy), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(stream, &iid_run, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(stream, NULL, (void **)&proxy), E_INVALIDARG);
    CU_ASSERT_PTR_EQUAL(proxy, &obj);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(stream, &iid_run, (void **)&proxy), CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(stream, &iid_run, (void **)&proxy), STG_E_READFAULT);
    CU_ASSERT(IStream_Write(junk, garbage, sizeof(garbage), NULL) == S_OK);
    CU_ASSERT(IStream_Seek(junk, zero, STREAM_SEEK_SET, NULL) == S_OK);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(junk, &iid_run, (void **)&proxy), RPC_E_INVALID_OBJREF);
    CU_ASSERT_FATAL(CoMarshalInterface(stream, &iid_run, (IUnknown *)&obj, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_NORMAL) == S_OK);
    CU_ASSERT(IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL) == S_OK);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(stream, &iid_unregistered, (void **)&proxy),
                    E_NOINTERFACE);
    CU_ASSERT(IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL) == S_OK);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(stream, &iid_lacking, (void **)&proxy), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(proxy);
    CU_ASSERT(IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL) == S_OK);
    CU_ASSERT_EQUAL(CoUnmarshalInterface(stream, &iid_run, (void **)&proxy), S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(proxy);
    CU_ASSERT_EQUAL(proxy->lpVtbl->Run(proxy, NULL), S_OK);
    proxy->lpVtbl->Release(proxy);
    IStream_Release(junk);
    IStream_Release(stream);
    CoUninitialize();
    CU_ASSERT_EQUAL(obj.refs, 1);
}

/* CoReleaseMarshalData: NULL E_INVALIDARG, uninitialised
 * CO_E_NOTINITIALIZED, an empty stream STG_E_READFAULT (Wine compobj.c
 * test_CoMarshalInterface: "stream not rewound"); releasing the same
 * packet twice: the record is gone, CO_E_OBJNOTCONNECTED (ntsec's
 * reading of winerror.h; the object was released once). */
static void release_marshal_data_bad_input(void)
{
    struct runner obj = { &runner_vtbl, 1 };
    IStream *stream = NULL;

    register_test_interfaces();
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    CU_ASSERT_EQUAL(CoReleaseMarshalData(stream), CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoReleaseMarshalData(NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoReleaseMarshalData(stream), STG_E_READFAULT);
    CU_ASSERT_FATAL(CoMarshalInterface(stream, &iid_run, (IUnknown *)&obj, MSHCTX_INPROC, NULL,
                                       MSHLFLAGS_TABLESTRONG) == S_OK);
    CU_ASSERT(IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL) == S_OK);
    CU_ASSERT_EQUAL(CoReleaseMarshalData(stream), S_OK);
    CU_ASSERT_EQUAL(obj.refs, 1);
    CU_ASSERT(IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL) == S_OK);
    CU_ASSERT_EQUAL(CoReleaseMarshalData(stream), CO_E_OBJNOTCONNECTED);
    CU_ASSERT_EQUAL(obj.refs, 1);
    IStream_Release(stream);
    CoUninitialize();
}

/* CoGetMarshalSizeMax: the argument rules of CoMarshalInterface, a NULL
 * pulSize E_INVALIDARG (ntsec's choice), an interface the object lacks
 * its E_NOINTERFACE; *pulSize is written only on success. */
static void marshal_size_bad_input(void)
{
    struct runner obj = { &runner_vtbl, 1 };
    IUnknown *unk = (IUnknown *)&obj;
    ULONG size = 99;

    register_test_interfaces();
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(&size, &iid_run, unk, MSHCTX_INPROC, NULL,
                                        MSHLFLAGS_NORMAL), CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(NULL, &iid_run, unk, MSHCTX_INPROC, NULL,
                                        MSHLFLAGS_NORMAL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(&size, &iid_run, NULL, MSHCTX_INPROC, NULL,
                                        MSHLFLAGS_NORMAL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(&size, &iid_run, unk, MSHCTX_INPROC, NULL, 7),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(&size, &iid_lacking, unk, MSHCTX_INPROC, NULL,
                                        MSHLFLAGS_NORMAL), E_NOINTERFACE);
    CU_ASSERT_EQUAL(CoGetMarshalSizeMax(&size, &iid_unregistered, unk, MSHCTX_INPROC, NULL,
                                        MSHLFLAGS_NORMAL), E_NOINTERFACE);
    CU_ASSERT_EQUAL(size, 99);
    CU_ASSERT_EQUAL(obj.refs, 1);
    CoUninitialize();
}

/* CoMarshalInterThreadInterfaceInStream: a NULL object or stream pointer
 * is E_INVALIDARG (Wine compobj.c), uninitialised CO_E_NOTINITIALIZED
 * with no stream left; CoGetInterfaceAndReleaseStream: a NULL stream is
 * E_INVALIDARG (Wine compobj.c), and a failed unmarshal still releases
 * the stream ("CoGetInterfaceAndReleaseStream": "Even if the unmarshaling
 * fails, the stream is still released"). */
static void inter_thread_bad_input(void)
{
    struct runner obj = { &runner_vtbl, 1 }, *proxy = (struct runner *)&obj;
    IUnknown *unk = (IUnknown *)&obj;
    IStream *stream = (IStream *)&obj;

    register_test_interfaces();
    CU_ASSERT_EQUAL(CoMarshalInterThreadInterfaceInStream(&iid_run, unk, &stream),
                    CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(CoMarshalInterThreadInterfaceInStream(&iid_run, unk, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterThreadInterfaceInStream(&iid_run, NULL, &stream), E_INVALIDARG);
    CU_ASSERT_EQUAL(CoMarshalInterThreadInterfaceInStream(&iid_lacking, unk, &stream),
                    E_NOINTERFACE);
    CU_ASSERT_PTR_EQUAL(stream, &obj);
    CU_ASSERT_EQUAL(CoGetInterfaceAndReleaseStream(NULL, &iid_run, (void **)&proxy), E_INVALIDARG);
    CU_ASSERT_PTR_EQUAL(proxy, &obj);
    CU_ASSERT_FATAL(CoMarshalInterThreadInterfaceInStream(&iid_run, unk, &stream) == S_OK);
    IStream_AddRef(stream);
    CU_ASSERT_EQUAL(CoGetInterfaceAndReleaseStream(stream, &iid_run, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(IStream_Release(stream), 0);    /* the call released its reference */
    CoUninitialize();                               /* the record goes with the process' COM */
    CU_ASSERT_EQUAL(obj.refs, 1);
}

/* After CoUninitialize: a packet of a process whose COM ended is
 * CO_E_OBJNOTCONNECTED (Wine marshal.c: the stub goes with its
 * apartment, test_marshal_stub_apartment_shutdown); a proxy kept past its
 * thread's CoUninitialize calls with CO_E_NOTINITIALIZED ("CoUninitialize":
 * no COM call without initialisation) and releases cleanly. */
static void calls_after_co_uninitialize(void)
{
    struct runner obj = { &runner_vtbl, 1 }, *proxy, *none = NULL;
    IStream *stream = NULL;

    register_test_interfaces();
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    proxy = proxy_of(&obj);
    CU_ASSERT_FATAL(CoMarshalInterThreadInterfaceInStream(&iid_run, (IUnknown *)&obj, &stream) ==
                    S_OK);
    CoUninitialize();
    CU_ASSERT_EQUAL(obj.refs, 1);
    CU_ASSERT_EQUAL(proxy->lpVtbl->Run(proxy, NULL), CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CU_ASSERT_EQUAL(proxy->lpVtbl->Run(proxy, NULL), RPC_E_DISCONNECTED);
    CU_ASSERT_EQUAL(CoGetInterfaceAndReleaseStream(stream, &iid_run, (void **)&none),
                    CO_E_OBJNOTCONNECTED);
    CU_ASSERT_PTR_NULL(none);
    proxy->lpVtbl->Release(proxy);
    CoUninitialize();
    CU_ASSERT_EQUAL(obj.refs, 1);
}

/* --- CreateStreamOnHGlobal and IStream ------------------------------------------------------------ */

/* "CreateStreamOnHGlobal": a NULL ppstm is E_INVALIDARG; an hGlobal is
 * E_INVALIDARG here (no GlobalAlloc: docs/com.md). IStream methods
 * ("ISequentialStream::Read", "::Write", "IStream::CopyTo", "::Stat",
 * "::Clone"): a NULL pointer argument is STG_E_INVALIDPOINTER, a Stat
 * flag outside STATFLAG STG_E_INVALIDFLAG ("IStream::Stat"); Seek from an
 * unknown origin STG_E_SEEKERROR with the position unchanged (Wine
 * hglobalstream.c test_streamonhglobal); a write past 4 GB
 * STG_E_MEDIUMFULL (ntsec's choice: sizes are 32-bit). Nothing changes. */
static void stream_bad_input_changes_nothing(void)
{
    static const char data[] = "data";
    IStream *stream = (IStream *)1, *clone = (IStream *)1;
    ULARGE_INTEGER pos = { { 0xcafe, 0xcafe } }, big = { { 0xffffffffu, 0 } };
    LARGE_INTEGER half = { { 0x7fffffffu, 0 } };
    STATSTG st;
    ULONG done = 9;
    char buf[8];

    CU_ASSERT_EQUAL(CreateStreamOnHGlobal(NULL, TRUE, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(CreateStreamOnHGlobal((HGLOBAL)buf, TRUE, &stream), E_INVALIDARG);
    CU_ASSERT_PTR_EQUAL(stream, (IStream *)1);
    CU_ASSERT_FATAL(CreateStreamOnHGlobal(NULL, TRUE, &stream) == S_OK);
    CU_ASSERT(IStream_Write(stream, data, sizeof(data), NULL) == S_OK);
    CU_ASSERT_EQUAL(IStream_Read(stream, NULL, 1, &done), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(done, 9);
    CU_ASSERT_EQUAL(IStream_Write(stream, NULL, 1, &done), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(done, 0);
    CU_ASSERT_EQUAL(IStream_Seek(stream, zero, STREAM_SEEK_END + 1, &pos), STG_E_SEEKERROR);
    CU_ASSERT_EQUAL(pos.QuadPart, sizeof(data));
    CU_ASSERT_EQUAL(IStream_CopyTo(stream, NULL, big, NULL, NULL), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(IStream_Stat(stream, NULL, STATFLAG_DEFAULT), STG_E_INVALIDPOINTER);
    CU_ASSERT_EQUAL(IStream_Stat(stream, &st, 0x10), STG_E_INVALIDFLAG);
    CU_ASSERT_EQUAL(IStream_Clone(stream, NULL), STG_E_INVALIDPOINTER);
    CU_ASSERT(IStream_Seek(stream, half, STREAM_SEEK_SET, NULL) == S_OK);
    CU_ASSERT(IStream_Seek(stream, half, STREAM_SEEK_CUR, NULL) == S_OK);   /* 0xfffffffe */
    CU_ASSERT_EQUAL(IStream_Write(stream, data, sizeof(data), &done), STG_E_MEDIUMFULL);
    CU_ASSERT_EQUAL(done, 0);
    CU_ASSERT_EQUAL(stream_size(stream), sizeof(data));
    CU_ASSERT_EQUAL(stream_pos(stream), 0xfffffffeu);
    CU_ASSERT_PTR_EQUAL(clone, (IStream *)1);
    CU_ASSERT_EQUAL(IStream_Release(stream), 0);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(co_initialize_bad_input_changes_nothing),
        TEST(co_initialize_security_bad_input_changes_nothing),
        TEST(failed_set_blanket_keeps_the_blanket),
        TEST(client_security_refuses_what_is_not_its_proxy),
        TEST(query_interface_bad_input),
        TEST(call_context_bad_input),
        TEST(server_security_bad_input),
        TEST(marshal_bad_input_changes_nothing),
        TEST(unmarshal_bad_input_keeps_the_record),
        TEST(release_marshal_data_bad_input),
        TEST(marshal_size_bad_input),
        TEST(inter_thread_bad_input),
        TEST(calls_after_co_uninitialize),
        TEST(stream_bad_input_changes_nothing),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("emul_com_badinput", tests);
}

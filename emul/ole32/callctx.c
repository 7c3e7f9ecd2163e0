/* callctx.c - the server's side of a COM call: CoGetCallContext,
 * CoSwitchCallContext, IServerSecurity (a real vtable over libsec's call
 * object), CoImpersonateClient and CoRevertToSelf. The rules are
 * libsec's (libsec/com_call.c); this file keeps the thread's current
 * context object, which CoSwitchCallContext may replace. */
#include "ole32.h"

/* CoGetCallContext's object on this thread (not counted: "CoSwitchCallContext"
 * installs its object without AddRef). */
static _Thread_local IUnknown *current;

struct server_security {
    IServerSecurity iface;
    LONG refs;
    struct ntsec_com_call *call;        /* counted */
    WCHAR *client;                      /* QueryBlanket's pPrivs, during the call */
};

static struct server_security *impl(IServerSecurity *iface)
{
    return (struct server_security *)iface;
}

static HRESULT WINAPI ss_QueryInterface(IServerSecurity *iface, REFIID riid, void **ppv)
{
    if (!ppv || !riid)
        return E_POINTER;               /* a NULL riid: ntsec's choice, docs/com.md */
    if (ole32__iid_eq(riid, &ole32__iid_unknown) || ole32__iid_eq(riid, &ole32__iid_server_security)) {
        *ppv = iface;
        IServerSecurity_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI ss_AddRef(IServerSecurity *iface)
{
    return InterlockedIncrement(&impl(iface)->refs);
}

static ULONG WINAPI ss_Release(IServerSecurity *iface)
{
    struct server_security *ss = impl(iface);
    ULONG refs = InterlockedDecrement(&ss->refs);

    if (!refs) {
        ntsec_com_call_put(ss->call);
        ntsec_mem_free(ss->client);
        ntsec_mem_free(ss);
    }
    return refs;
}

/* "IServerSecurity::QueryBlanket": pImpLevel "must be NULL" (E_INVALIDARG
 * otherwise is ntsec's reading); pServerPrincName: none is kept (NULL);
 * pPrivs: the client's account name, valid during the call. */
static HRESULT WINAPI ss_QueryBlanket(IServerSecurity *iface, DWORD *authn_svc, DWORD *authz_svc,
                                      OLECHAR **server_princ_name, DWORD *authn_level,
                                      DWORD *imp_level, void **privs, DWORD *capabilities)
{
    struct server_security *ss = impl(iface);
    struct ntsec_com_call_blanket b;
    HRESULT hr;

    if (imp_level)
        return E_INVALIDARG;
    hr = ntsec_com_call_query(ss->call, &b);
    if (hr != S_OK)
        return hr;
    if (privs && !ss->client && b.client &&
        !ntsec_success(emul__w_from_utf8(b.client, strlen(b.client), &ss->client, NULL)))
        return E_OUTOFMEMORY;
    if (authn_svc)
        *authn_svc = b.authn_svc;
    if (authz_svc)
        *authz_svc = b.authz_svc;
    if (server_princ_name)
        *server_princ_name = NULL;
    if (authn_level)
        *authn_level = b.authn_level;
    if (privs)
        *privs = ss->client;
    if (capabilities)
        *capabilities = b.capabilities;
    return S_OK;
}

static HRESULT WINAPI ss_ImpersonateClient(IServerSecurity *iface)
{
    return ntsec_com_call_impersonate(impl(iface)->call);
}

static HRESULT WINAPI ss_RevertToSelf(IServerSecurity *iface)
{
    return ntsec_com_call_revert(impl(iface)->call);
}

static BOOL WINAPI ss_IsImpersonating(IServerSecurity *iface)
{
    return ntsec_com_call_is_impersonating(impl(iface)->call);
}

static const IServerSecurityVtbl ss_vtbl = {
    ss_QueryInterface, ss_AddRef, ss_Release, ss_QueryBlanket,
    ss_ImpersonateClient, ss_RevertToSelf, ss_IsImpersonating,
};

HRESULT emul__ole32_with_call_context(HRESULT (*fn)(void *arg), void *arg)
{
    struct server_security *ss = ntsec_mem_alloc(sizeof(*ss));
    IUnknown *outer = current;
    HRESULT hr;

    if (!ss)
        return E_OUTOFMEMORY;
    *ss = (struct server_security){ { &ss_vtbl }, 1, NULL, NULL };
    hr = ntsec_com_call_current(&ss->call);
    if (hr != S_OK) {
        ntsec_mem_free(ss);
        return hr;
    }
    current = (IUnknown *)&ss->iface;
    hr = fn(arg);
    current = outer;
    ss_Release(&ss->iface);
    return hr;
}

/* "CoGetCallContext" names no status for a NULL riid or ppv: E_INVALIDARG
 * (ntsec's choice), before the context object is asked. */
HRESULT WINAPI CoGetCallContext(REFIID riid, void **ppv)
{
    if (!riid || !ppv)
        return E_INVALIDARG;
    /* Wine dlls/ole32/tests/compobj.c, test_CoGetCallContext: outside a
     * call, RPC_E_CALL_COMPLETE. */
    if (!current)
        return RPC_E_CALL_COMPLETE;
    return IUnknown_QueryInterface(current, riid, ppv);
}

HRESULT WINAPI CoSwitchCallContext(IUnknown *context, IUnknown **old)
{
    if (!old)
        return E_INVALIDARG;
    *old = current;
    current = context;
    return S_OK;
}

/* "CoImpersonateClient" / "CoRevertToSelf": CoGetCallContext for
 * IServerSecurity, then its method; outside a call, CoGetCallContext's
 * failure (as Wine does; Windows documents none). */
static HRESULT with_server_security(BOOL impersonate)
{
    IServerSecurity *ss;
    HRESULT hr = CoGetCallContext(&ole32__iid_server_security, (void **)&ss);

    if (FAILED(hr))
        return hr;
    hr = impersonate ? IServerSecurity_ImpersonateClient(ss) : IServerSecurity_RevertToSelf(ss);
    IServerSecurity_Release(ss);
    return hr;
}

HRESULT WINAPI CoImpersonateClient(void)
{
    return with_server_security(TRUE);
}

HRESULT WINAPI CoRevertToSelf(void)
{
    return with_server_security(FALSE);
}

/* proxy.c - COM proxies in the emulation: a proxy manager per connected
 * object (its IUnknown proxy and IClientSecurity), one interface proxy
 * per interface with its own blanket ("IClientSecurity::SetBlanket": the
 * blanket is per interface proxy; IUnknown has its own, used for remote
 * QueryInterface), copies made by CopyProxy, and the client's side of
 * marshaling (a proxy for a packet, CoReleaseMarshalData's request; the
 * server's side is stub.c). CoSetProxyBlanket / CoQueryProxyBlanket / CoCopyProxy
 * are QueryInterface for IClientSecurity plus its method ("CoSetProxyBlanket",
 * Remarks): an in-process object has none, E_NOINTERFACE.
 *
 * An interface proxy exists only for IUnknown and registered interfaces
 * (ntsec_com_register_interface, the stand-in for a proxy/stub DLL);
 * it forwards every method of its interface with the arguments the
 * registration gives it, on the server's worker (stub.c serves them). */
#include <pthread.h>

#include "ole32.h"

struct manager;

/* One interface proxy: the generic vtable (IUnknown's three methods,
 * then forwarders), the IID, the native proxy holding the blanket. */
struct ifproxy {
    const void *vtbl;
    struct manager *mgr;
    IID iid;
    struct ntsec_com_proxy *np;
    LONG refs;                          /* a copy's own count */
    BOOL copy;
    struct ifproxy *next;
};

struct manager {
    IClientSecurity cs;
    LONG refs;
    pthread_mutex_t lock;               /* the list of interface proxies */
    uint32_t cookie;
    struct ntsec_com_objref claimed;    /* a stub's claimed reference (stub 0: none) */
    struct ifproxy unk;                 /* IUnknown's proxy; the others follow */
};

static const void *const ifproxy_vtbl[3 + NTSEC_COM_MAX_METHODS];

/* A new interface proxy of `m` for `iid`, without its native proxy. */
static struct ifproxy *ifproxy_new(struct manager *m, const IID *iid, BOOL copy)
{
    struct ifproxy *p = ntsec_mem_alloc(sizeof(*p));

    if (p)
        *p = (struct ifproxy){ ifproxy_vtbl, m, *iid, NULL, copy ? 1 : 0, copy, NULL };
    return p;
}

static struct ifproxy *as_ifproxy(IUnknown *unk)
{
    return unk && *(const void *const *)unk == (const void *)ifproxy_vtbl ? (struct ifproxy *)unk
                                                                            : NULL;
}

/* --- the proxy manager ----------------------------------------------------- */

static void manager_free(struct manager *m)
{
    struct ifproxy *p = m->unk.next;

    /* An unmarshaled proxy gives its strong reference back to the stub
     * (DCOM's RemRelease, with IUnknown's blanket); when that call fails
     * the export stays until its process' COM ends. */
    if (m->claimed.stub) {
        struct ntsec_com_objref gone = m->claimed;

        gone.serial = 0;
        ntsec_com_call(m->unk.np, EMUL__OLE32_RELEASE, &gone);
    }

    while (p) {
        struct ifproxy *next = p->next;

        ntsec_com_proxy_release(p->np);
        ntsec_mem_free(p);
        p = next;
    }
    ntsec_com_proxy_release(m->unk.np);
    pthread_mutex_destroy(&m->lock);
    ntsec_mem_free(m);
}

static ULONG manager_addref(struct manager *m)
{
    return InterlockedIncrement(&m->refs);
}

static ULONG manager_release(struct manager *m)
{
    ULONG refs = InterlockedDecrement(&m->refs);

    if (!refs)
        manager_free(m);
    return refs;
}

/* The interface proxy of `iid`: IUnknown's, one made before, or a new
 * one after a remote QueryInterface through IUnknown's proxy. */
static HRESULT manager_query_locked(struct manager *m, REFIID iid, void **ppv)
{
    struct ifproxy *p;
    HRESULT hr;

    if (ole32__iid_eq(iid, &ole32__iid_client_security)) {
        *ppv = &m->cs;
        manager_addref(m);
        return S_OK;
    }
    for (p = &m->unk; p; p = p->next)
        if (ole32__iid_eq(iid, &p->iid)) {
            *ppv = p;
            manager_addref(m);
            return S_OK;
        }
    /* "ProxyStubClsid32" (Microsoft docs): no proxy for an unregistered IID
     * (E_NOINTERFACE, Wine's marshal.c test_no_marshaler); asked before
     * the remote call (ntsec's choice). */
    if (!ntsec_com_interface_registered(iid))
        return E_NOINTERFACE;
    hr = ntsec_com_call(m->unk.np, EMUL__OLE32_QUERY, (void *)iid);
    if (FAILED(hr))
        return hr;
    p = ifproxy_new(m, iid, FALSE);
    if (!p)
        return E_OUTOFMEMORY;
    hr = ntsec_com_connect(m->cookie, &p->np);
    if (FAILED(hr)) {
        ntsec_mem_free(p);
        return hr;
    }
    p->next = m->unk.next;
    m->unk.next = p;
    *ppv = p;
    manager_addref(m);
    return S_OK;
}

static HRESULT manager_query(struct manager *m, REFIID iid, void **ppv)
{
    HRESULT hr;

    pthread_mutex_lock(&m->lock);
    hr = manager_query_locked(m, iid, ppv);
    pthread_mutex_unlock(&m->lock);
    return hr;
}

/* --- interface proxies --------------------------------------------------------- */

static HRESULT WINAPI ifp_QueryInterface(IUnknown *iface, REFIID iid, void **ppv)
{
    struct ifproxy *p = (struct ifproxy *)iface;

    if (!ppv || !iid)
        return E_POINTER;               /* a NULL riid: ntsec's choice, docs/com.md */
    *ppv = NULL;
    /* "CoCopyProxy": QueryInterface on a copy for its own IID gives the
     * original proxy, not the copy. */
    return manager_query(p->mgr, iid, ppv);
}

static ULONG WINAPI ifp_AddRef(IUnknown *iface)
{
    struct ifproxy *p = (struct ifproxy *)iface;

    return p->copy ? (ULONG)InterlockedIncrement(&p->refs) : manager_addref(p->mgr);
}

static ULONG WINAPI ifp_Release(IUnknown *iface)
{
    struct ifproxy *p = (struct ifproxy *)iface;
    ULONG refs;

    if (!p->copy)
        return manager_release(p->mgr);
    refs = InterlockedDecrement(&p->refs);
    if (!refs) {
        struct manager *m = p->mgr;

        ntsec_com_proxy_release(p->np);
        ntsec_mem_free(p);
        manager_release(m);
    }
    return refs;
}

/* A method of the proxy's interface: the registration says how many of
 * the eight register or stack arguments are the method's; only those are
 * forwarded. */
static HRESULT forward(void *iface, unsigned slot, const UINT_PTR *a)
{
    struct ifproxy *p = iface;
    struct emul__ole32_call c = { &p->iid, { 0 } };
    unsigned count;
    HRESULT hr = ntsec_com_interface_args(&p->iid, slot, &count);

    if (FAILED(hr))
        return hr;
    memcpy(c.args, a, count * sizeof(*a));
    return ntsec_com_call(p->np, slot, &c);
}

/* One thunk per vtable slot (a table, so a macro). */
#define THUNK(n)                                                                              \
    static HRESULT WINAPI ifp_method##n(void *i, UINT_PTR a1, UINT_PTR a2, UINT_PTR a3,      \
                                        UINT_PTR a4, UINT_PTR a5, UINT_PTR a6, UINT_PTR a7,  \
                                        UINT_PTR a8)                                         \
    {                                                                                         \
        const UINT_PTR a[NTSEC_COM_MAX_ARGS] = { a1, a2, a3, a4, a5, a6, a7, a8 };            \
        return forward(i, n, a);                                                              \
    }
THUNK(3) THUNK(4) THUNK(5) THUNK(6) THUNK(7) THUNK(8) THUNK(9) THUNK(10)
THUNK(11) THUNK(12) THUNK(13) THUNK(14) THUNK(15) THUNK(16) THUNK(17) THUNK(18)
THUNK(19) THUNK(20) THUNK(21) THUNK(22) THUNK(23) THUNK(24) THUNK(25) THUNK(26)
THUNK(27) THUNK(28) THUNK(29) THUNK(30) THUNK(31) THUNK(32) THUNK(33) THUNK(34)
#undef THUNK

#define M(n) (const void *)ifp_method##n
static const void *const ifproxy_vtbl[3 + NTSEC_COM_MAX_METHODS] = {
    (const void *)ifp_QueryInterface, (const void *)ifp_AddRef, (const void *)ifp_Release,
    M(3), M(4), M(5), M(6), M(7), M(8), M(9), M(10), M(11), M(12), M(13), M(14), M(15),
    M(16), M(17), M(18), M(19), M(20), M(21), M(22), M(23), M(24), M(25), M(26), M(27),
    M(28), M(29), M(30), M(31), M(32), M(33), M(34),
};
#undef M
_Static_assert(NTSEC_COM_MAX_METHODS == 32, "one thunk per slot");

/* --- IClientSecurity ---------------------------------------------------------------- */

static struct manager *cs_impl(IClientSecurity *iface)
{
    return CONTAINING_RECORD(iface, struct manager, cs);
}

static HRESULT WINAPI cs_QueryInterface(IClientSecurity *iface, REFIID iid, void **ppv)
{
    if (!ppv || !iid)
        return E_POINTER;
    *ppv = NULL;
    return manager_query(cs_impl(iface), iid, ppv);
}

static ULONG WINAPI cs_AddRef(IClientSecurity *iface)
{
    return manager_addref(cs_impl(iface));
}

static ULONG WINAPI cs_Release(IClientSecurity *iface)
{
    return manager_release(cs_impl(iface));
}

/* The interface proxy `proxy` names. "IClientSecurity": a local
 * interface such as IClientSecurity itself fails, E_NOINTERFACE as Wine's
 * marshal.c test_client_security finds for IMarshal; a proxy of another
 * object "will not work": E_INVALIDARG (ntsec's choice). */
static HRESULT target(struct manager *m, IUnknown *proxy, struct ifproxy **out)
{
    struct ifproxy *p = as_ifproxy(proxy);

    if (proxy == (IUnknown *)&m->cs)
        return E_NOINTERFACE;
    if (!p || p->mgr != m)
        return E_INVALIDARG;
    *out = p;
    return S_OK;
}

static HRESULT WINAPI cs_QueryBlanket(IClientSecurity *iface, IUnknown *proxy, DWORD *authn_svc,
                                      DWORD *authz_svc, OLECHAR **principal, DWORD *authn_level,
                                      DWORD *imp_level, void **auth_info, DWORD *capabilities)
{
    struct ifproxy *p;
    struct ntsec_com_blanket b = { 0 };      /* stays zero if the native proxy were NULL */
    WCHAR *name = NULL;
    HRESULT hr = target(cs_impl(iface), proxy, &p);

    if (FAILED(hr))
        return hr;
    ntsec_com_proxy_query_blanket(p->np, &b);
    if (principal && b.principal &&
        !ntsec_success(emul__w_from_utf8(b.principal, strlen(b.principal), &name, NULL)))
        return E_OUTOFMEMORY;
    if (authn_svc)
        *authn_svc = b.authn_svc;
    if (authz_svc)
        *authz_svc = b.authz_svc;
    if (principal)
        *principal = name;              /* CoTaskMemFree releases it */
    if (authn_level)
        *authn_level = b.authn_level;
    if (imp_level)
        *imp_level = b.imp_level;
    if (auth_info)
        *auth_info = NULL;              /* "CoQueryProxyBlanket": credentials are not returned */
    if (capabilities)
        *capabilities = b.capabilities;
    return S_OK;
}

/* A SEC_WINNT_AUTH_IDENTITY string (UTF-16 or ANSI by its Flags, with
 * its length) as UTF-8. */
static ntsec_status identity_str(const void *s, ULONG len, BOOL unicode, char **out)
{
    uint16_t *w;
    ntsec_status st;

    if (!s) {
        *out = NULL;
        return NTSEC_STATUS_SUCCESS;
    }
    if (!unicode)
        return ntsec_utf8_to_wstr(s, len, &w, NULL) == NTSEC_STATUS_SUCCESS
                   ? (st = ntsec_wstr_to_utf8(w, out, NULL), ntsec_mem_free(w), st)
                   : NTSEC_STATUS_NO_MEMORY;
    w = ntsec_mem_alloc((len + 1) * sizeof(*w));
    if (!w)
        return NTSEC_STATUS_NO_MEMORY;
    memcpy(w, s, len * sizeof(*w));
    w[len] = 0;
    st = ntsec_wstr_to_utf8(w, out, NULL);
    ntsec_mem_free(w);
    return st;
}

struct identity_utf8 {
    char *user, *domain, *password;
};

static void identity_free(struct identity_utf8 *id)
{
    ntsec_mem_free(id->user);
    ntsec_mem_free(id->domain);
    ntsec_mem_free(id->password);
}

static HRESULT identity_from(const SEC_WINNT_AUTH_IDENTITY_W *w, struct identity_utf8 *id)
{
    const BOOL unicode = w->Flags == SEC_WINNT_AUTH_IDENTITY_UNICODE;

    *id = (struct identity_utf8){ 0 };
    if (!unicode && w->Flags != SEC_WINNT_AUTH_IDENTITY_ANSI)
        return E_INVALIDARG;
    if (!ntsec_success(identity_str(w->User, w->UserLength, unicode, &id->user)) ||
        !ntsec_success(identity_str(w->Domain, w->DomainLength, unicode, &id->domain)) ||
        !ntsec_success(identity_str(w->Password, w->PasswordLength, unicode, &id->password))) {
        identity_free(id);
        return E_OUTOFMEMORY;
    }
    return S_OK;
}

static HRESULT WINAPI cs_SetBlanket(IClientSecurity *iface, IUnknown *proxy, DWORD authn_svc,
                                    DWORD authz_svc, OLECHAR *principal, DWORD authn_level,
                                    DWORD imp_level, void *auth_info, DWORD capabilities)
{
    struct ntsec_com_blanket_args args = { authn_svc, authz_svc, NULL, authn_level, imp_level,
                                           NULL, auth_info == COLE_DEFAULT_AUTHINFO,
                                           capabilities };
    struct identity_utf8 id = { 0 };
    struct ntsec_com_identity nid;
    char *name = NULL;
    struct ifproxy *p;
    HRESULT hr = target(cs_impl(iface), proxy, &p);

    if (FAILED(hr))
        return hr;
    if (principal == COLE_DEFAULT_PRINCIPAL)
        args.principal = NTSEC_COM_DEFAULT_PRINCIPAL;
    else if (principal && !ntsec_success(emul__utf8_from_w(principal, &name)))
        return E_OUTOFMEMORY;
    else
        args.principal = name;
    if (auth_info && auth_info != COLE_DEFAULT_AUTHINFO) {
        hr = identity_from(auth_info, &id);
        if (FAILED(hr)) {
            ntsec_mem_free(name);
            return hr;
        }
        nid = (struct ntsec_com_identity){ id.user, id.domain, id.password };
        args.identity = &nid;
    }
    hr = ntsec_com_proxy_set_blanket(p->np, &args);
    identity_free(&id);
    ntsec_mem_free(name);
    return hr;
}

/* "CoCopyProxy": a private copy of an interface proxy; IUnknown and
 * IClientSecurity "cannot be copied" (E_NOINTERFACE: ntsec's choice, the
 * local-interface answer of Wine's marshal.c). */
static HRESULT WINAPI cs_CopyProxy(IClientSecurity *iface, IUnknown *proxy, IUnknown **copy)
{
    struct manager *m = cs_impl(iface);
    struct ifproxy *p, *c;
    HRESULT hr = target(m, proxy, &p);

    if (FAILED(hr))
        return hr;
    if (!copy)
        return E_INVALIDARG;
    if (p == &m->unk)
        return E_NOINTERFACE;
    c = ifproxy_new(m, &p->iid, TRUE);
    if (!c)
        return E_OUTOFMEMORY;
    hr = ntsec_com_proxy_copy(p->np, &c->np);
    if (FAILED(hr)) {
        ntsec_mem_free(c);
        return hr;
    }
    manager_addref(m);
    *copy = (IUnknown *)c;
    return S_OK;
}

static const IClientSecurityVtbl cs_vtbl = {
    cs_QueryInterface, cs_AddRef, cs_Release, cs_QueryBlanket, cs_SetBlanket, cs_CopyProxy,
};

/* --- the Co* helpers ---------------------------------------------------------------- */

static HRESULT client_security(IUnknown *proxy, IClientSecurity **cs)
{
    if (!proxy)
        return E_INVALIDARG;
    return IUnknown_QueryInterface(proxy, &ole32__iid_client_security, (void **)cs);
}

HRESULT WINAPI CoSetProxyBlanket(IUnknown *proxy, DWORD authn_svc, DWORD authz_svc,
                                 OLECHAR *principal, DWORD authn_level, DWORD imp_level,
                                 RPC_AUTH_IDENTITY_HANDLE auth_info, DWORD capabilities)
{
    IClientSecurity *cs;
    HRESULT hr = client_security(proxy, &cs);

    if (FAILED(hr))
        return hr;
    hr = IClientSecurity_SetBlanket(cs, proxy, authn_svc, authz_svc, principal, authn_level,
                                    imp_level, auth_info, capabilities);
    IClientSecurity_Release(cs);
    return hr;
}

HRESULT WINAPI CoQueryProxyBlanket(IUnknown *proxy, DWORD *authn_svc, DWORD *authz_svc,
                                   OLECHAR **principal, DWORD *authn_level, DWORD *imp_level,
                                   RPC_AUTH_IDENTITY_HANDLE *auth_info, DWORD *capabilities)
{
    IClientSecurity *cs;
    HRESULT hr = client_security(proxy, &cs);

    if (FAILED(hr))
        return hr;
    hr = IClientSecurity_QueryBlanket(cs, proxy, authn_svc, authz_svc, principal, authn_level,
                                      imp_level, auth_info, capabilities);
    IClientSecurity_Release(cs);
    return hr;
}

HRESULT WINAPI CoCopyProxy(IUnknown *proxy, IUnknown **copy)
{
    IClientSecurity *cs;
    HRESULT hr = client_security(proxy, &cs);

    if (FAILED(hr))
        return hr;
    hr = IClientSecurity_CopyProxy(cs, proxy, copy);
    IClientSecurity_Release(cs);
    return hr;
}

/* --- connect and unmarshal ------------------------------------------------------------- */

/* A new proxy manager connected to export `cookie`. */
static HRESULT manager_connect(uint32_t cookie, struct manager **out)
{
    struct manager *m = ntsec_mem_alloc(sizeof(*m));
    HRESULT hr;

    if (!m)
        return E_OUTOFMEMORY;
    *m = (struct manager){ .cs = { &cs_vtbl }, .refs = 1, .cookie = cookie,
                           .unk = { ifproxy_vtbl, NULL, ole32__iid_unknown, NULL, 0, FALSE, NULL } };
    m->unk.mgr = m;
    hr = ntsec_com_connect(cookie, &m->unk.np);
    if (FAILED(hr)) {
        ntsec_mem_free(m);
        return hr;
    }
    pthread_mutex_init(&m->lock, NULL);
    *out = m;
    return S_OK;
}

ntsec_hresult ntsec_com_connect_unknown(uint32_t cookie, const void *iid, void **out)
{
    struct manager *m;
    HRESULT hr;

    if (!iid || !out)
        return E_INVALIDARG;
    hr = manager_connect(cookie, &m);
    if (FAILED(hr))
        return hr;
    hr = manager_query(m, iid, out);
    manager_release(m);
    return hr;
}

/* A stale packet: its export is gone. Wine's marshal.c (Windows results):
 * CO_E_OBJNOTCONNECTED for an object no longer connected. */
static HRESULT not_connected(HRESULT hr)
{
    return hr == RPC_E_DISCONNECTED ? CO_E_OBJNOTCONNECTED : hr;
}

HRESULT emul__ole32_unmarshal(const struct ntsec_com_objref *ref, REFIID iid, void **ppv)
{
    struct ntsec_com_objref want = *ref;
    struct manager *m;
    HRESULT hr = manager_connect(ref->cookie, &m);

    if (FAILED(hr))
        return not_connected(hr);
    memcpy(want.iid, iid, sizeof(want.iid));
    hr = ntsec_com_call(m->unk.np, EMUL__OLE32_CLAIM, &want);
    if (SUCCEEDED(hr)) {
        m->claimed = *ref;
        hr = manager_query(m, iid, ppv);
    }
    manager_release(m);
    return not_connected(hr);
}

HRESULT emul__ole32_release_marshal(const struct ntsec_com_objref *ref)
{
    struct ntsec_com_proxy *np;
    HRESULT hr = ntsec_com_connect(ref->cookie, &np);

    if (FAILED(hr))
        return not_connected(hr);
    hr = ntsec_com_call(np, EMUL__OLE32_RELEASE, (void *)ref);
    ntsec_com_proxy_release(np);
    return not_connected(hr);
}

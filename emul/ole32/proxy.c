/* proxy.c - COM proxies in the emulation: a proxy manager per connected
 * object (its IUnknown proxy and IClientSecurity), one interface proxy
 * per interface with its own blanket ("IClientSecurity::SetBlanket": the
 * blanket is per interface proxy; IUnknown has its own, used for remote
 * QueryInterface), copies made by CopyProxy, and the server's export of a
 * Windows object. CoSetProxyBlanket / CoQueryProxyBlanket / CoCopyProxy
 * are QueryInterface for IClientSecurity plus its method ("CoSetProxyBlanket",
 * Remarks): an in-process object has none, E_NOINTERFACE. */
#include <pthread.h>

#include "ole32.h"

#define NTSEC_OLE32_METHODS 4           /* vtable slots 3..6 forwarded */

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
    struct ifproxy unk;                 /* IUnknown's proxy; the others follow */
};

/* The native call of a forwarded method: which interface and its argument. */
struct method_call {
    const IID *iid;
    void *arg;
};

typedef HRESULT (WINAPI *method_fn)(void *self, void *arg);

static const void *const ifproxy_vtbl[3 + NTSEC_OLE32_METHODS];

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
    hr = ntsec_com_call(m->unk.np, 0, (void *)iid);
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

    if (!ppv)
        return E_POINTER;
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

static HRESULT forward(void *iface, uint32_t slot, void *arg)
{
    struct ifproxy *p = iface;
    struct method_call c = { &p->iid, arg };

    return ntsec_com_call(p->np, slot, &c);
}

static HRESULT WINAPI ifp_method3(void *iface, void *arg) { return forward(iface, 3, arg); }
static HRESULT WINAPI ifp_method4(void *iface, void *arg) { return forward(iface, 4, arg); }
static HRESULT WINAPI ifp_method5(void *iface, void *arg) { return forward(iface, 5, arg); }
static HRESULT WINAPI ifp_method6(void *iface, void *arg) { return forward(iface, 6, arg); }

static const void *const ifproxy_vtbl[3 + NTSEC_OLE32_METHODS] = {
    (const void *)ifp_QueryInterface, (const void *)ifp_AddRef, (const void *)ifp_Release,
    (const void *)ifp_method3, (const void *)ifp_method4, (const void *)ifp_method5,
    (const void *)ifp_method6,
};

/* --- IClientSecurity ---------------------------------------------------------------- */

static struct manager *cs_impl(IClientSecurity *iface)
{
    return CONTAINING_RECORD(iface, struct manager, cs);
}

static HRESULT WINAPI cs_QueryInterface(IClientSecurity *iface, REFIID iid, void **ppv)
{
    if (!ppv)
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
    struct ntsec_com_blanket b;
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

/* --- export and connect ------------------------------------------------------------- */

/* The server's side of a forwarded call, on a worker thread. */
struct served {
    IUnknown *object;
    uint32_t method;
    void *arg;
};

static HRESULT serve(void *arg)
{
    struct served *s = arg;
    struct method_call *c = s->arg;
    void *itf;
    HRESULT hr;

    if (s->method == 0) {               /* remote QueryInterface */
        hr = IUnknown_QueryInterface(s->object, (REFIID)s->arg, &itf);
        if (SUCCEEDED(hr))
            IUnknown_Release((IUnknown *)itf);
        return hr;
    }
    hr = IUnknown_QueryInterface(s->object, c->iid, &itf);
    if (FAILED(hr))
        return hr;
    hr = ((method_fn)(*(void *const *const *)itf)[s->method])(itf, c->arg);
    IUnknown_Release((IUnknown *)itf);
    return hr;
}

static ntsec_hresult export_invoke(void *self, uint32_t method, void *arg)
{
    struct served s = { self, method, arg };

    if (method != 0 && (method < 3 || method >= 3 + NTSEC_OLE32_METHODS))
        return RPC_E_INVALIDMETHOD;
    return emul__ole32_with_call_context(serve, &s);
}

static void export_release(void *self)
{
    IUnknown_Release((IUnknown *)self);
}

ntsec_hresult ntsec_com_export_unknown(void *unknown, uint32_t *cookie)
{
    const struct ntsec_com_object obj = { unknown, export_invoke, export_release };
    HRESULT hr;

    if (!unknown)
        return E_INVALIDARG;
    IUnknown_AddRef((IUnknown *)unknown);
    hr = ntsec_com_export(&obj, cookie);
    if (FAILED(hr))
        IUnknown_Release((IUnknown *)unknown);
    return hr;
}

ntsec_hresult ntsec_com_connect_unknown(uint32_t cookie, const void *iid, void **out)
{
    struct manager *m;
    HRESULT hr;

    if (!iid || !out)
        return E_INVALIDARG;
    m = ntsec_mem_alloc(sizeof(*m));
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
    hr = manager_query(m, iid, out);
    manager_release(m);
    return hr;
}

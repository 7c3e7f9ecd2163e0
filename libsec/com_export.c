/* com_export.c - objects a process exports (marshals) and the proxies
 * other processes connect (unmarshal) to them. An export lives until
 * revoked or until its process' COM state ends; a proxy to a revoked
 * export gets RPC_E_DISCONNECTED (winerror.h: "The object invoked has
 * disconnected from its clients"). Marshaling or unmarshaling sets a
 * process' security implicitly when it has none ("CoInitializeSecurity",
 * Microsoft docs). */
#include "alloc.h"
#include "com.h"
#include "ntsec/ntsec.h"

static struct com_export *exports;
static uint32_t last_cookie;

void ntsec__com_export_put(struct com_export *e)
{
    if (--e->refs == 0)
        ntsec__free(e);
}

ntsec_hresult ntsec_com_export(const struct ntsec_com_object *object, uint32_t *cookie)
{
    struct com_process *p = ntsec__com_thread.proc;
    struct com_export *e;

    if (!p)
        return NTSEC_CO_E_NOTINITIALIZED;
    if (!object || !object->invoke || !cookie)
        return NTSEC_E_INVALIDARG;
    e = ntsec__zalloc(sizeof(*e));
    if (!e)
        return NTSEC_E_OUTOFMEMORY;
    e->object = *object;
    e->refs = 1;
    e->owner = p;
    e->sta = ntsec__com_thread.sta;     /* "Single-Threaded Apartments": it lives on this thread */
    pthread_mutex_lock(&ntsec__com_lock);
    ntsec__com_secure_implicitly(p);
    e->cookie = ++last_cookie;
    e->next = exports;
    exports = e;
    *cookie = e->cookie;
    pthread_mutex_unlock(&ntsec__com_lock);
    return NTSEC_S_OK;
}

/* Unlink the exports of `p` (all, or the one `cookie` names) or of `sta`
 * (lock held), as a list. */
static struct com_export *detach(struct com_process *p, uint32_t cookie, struct com_sta *sta)
{
    struct com_export *out = NULL, **pp = &exports;

    while (*pp) {
        struct com_export *e = *pp;

        if (sta ? e->sta == sta : e->owner == p && (!cookie || e->cookie == cookie)) {
            *pp = e->next;
            e->owner = NULL;
            e->sta = NULL;
            e->next = out;
            out = e;
        } else {
            pp = &e->next;
        }
    }
    return out;
}

struct com_export *ntsec__com_exports_detach(struct com_process *p)
{
    return detach(p, 0, NULL);
}

struct com_export *ntsec__com_exports_detach_sta(struct com_sta *sta)
{
    return detach(NULL, 0, sta);
}

/* Release revoked exports' objects now, or, for one whose method is
 * running, when the last running call leaves it. */
void ntsec__com_exports_release(struct com_export *list)
{
    while (list) {
        struct com_export *next = list->next;
        bool now;

        pthread_mutex_lock(&ntsec__com_lock);
        now = list->active == 0;
        list->release_due = !now;
        pthread_mutex_unlock(&ntsec__com_lock);
        if (now && list->object.release)
            list->object.release(list->object.self);
        pthread_mutex_lock(&ntsec__com_lock);
        ntsec__com_export_put(list);
        pthread_mutex_unlock(&ntsec__com_lock);
        list = next;
    }
}

bool ntsec__com_export_enter(struct com_export *e)
{
    bool live;

    pthread_mutex_lock(&ntsec__com_lock);
    live = e->owner != NULL;
    if (live)
        e->active++;
    pthread_mutex_unlock(&ntsec__com_lock);
    return live;
}

void ntsec__com_export_leave(struct com_export *e)
{
    bool release;

    pthread_mutex_lock(&ntsec__com_lock);
    release = --e->active == 0 && e->release_due;
    if (release)
        e->release_due = false;
    pthread_mutex_unlock(&ntsec__com_lock);
    if (release && e->object.release)
        e->object.release(e->object.self);
}

ntsec_hresult ntsec_com_revoke(uint32_t cookie)
{
    struct com_process *p = ntsec__com_thread.proc;
    struct com_export *e;

    if (!p)
        return NTSEC_CO_E_NOTINITIALIZED;
    if (!cookie)
        return NTSEC_E_INVALIDARG;
    pthread_mutex_lock(&ntsec__com_lock);
    e = detach(p, cookie, NULL);
    pthread_mutex_unlock(&ntsec__com_lock);
    if (!e)
        return NTSEC_E_INVALIDARG;
    ntsec__com_exports_release(e);
    return NTSEC_S_OK;
}

ntsec_hresult ntsec_com_connect(uint32_t cookie, struct ntsec_com_proxy **out)
{
    struct com_process *p = ntsec__com_thread.proc;
    struct ntsec_com_proxy *proxy;
    struct com_export *e;
    enum ntsec_authn_level level = NTSEC_AUTHN_LEVEL_CONNECT;

    if (!p)
        return NTSEC_CO_E_NOTINITIALIZED;
    if (!out)
        return NTSEC_E_INVALIDARG;
    proxy = ntsec__zalloc(sizeof(*proxy));
    if (!proxy)
        return NTSEC_E_OUTOFMEMORY;
    pthread_mutex_lock(&ntsec__com_lock);
    for (e = exports; e && e->cookie != cookie; e = e->next)
        ;
    if (!e || !e->owner) {
        pthread_mutex_unlock(&ntsec__com_lock);
        ntsec__free(proxy);
        return NTSEC_RPC_E_DISCONNECTED;
    }
    ntsec__com_secure_implicitly(p);
    /* "Security Blanket Negotiation": the level is the higher of the
     * two processes', the impersonation level and the capabilities the
     * client's; the service the first both have (WINNT here). */
    ntsec_call_negotiate_level(p->authn_level, e->owner->authn_level, &level);
    e->refs++;
    proxy->exp = e;
    proxy->negotiated_level = level;
    proxy->authn_svc = NTSEC_RPC_AUTHN_WINNT;
    proxy->authz_svc = NTSEC_RPC_AUTHZ_NONE;
    proxy->authn_level = level;
    proxy->imp_level = p->imp_level;
    proxy->capabilities = p->capabilities;
    pthread_mutex_unlock(&ntsec__com_lock);
    *out = proxy;
    return NTSEC_S_OK;
}

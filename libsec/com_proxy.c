/* com_proxy.c - an interface proxy's security blanket: IClientSecurity's
 * SetBlanket, QueryBlanket and CopyProxy (CoSetProxyBlanket,
 * CoQueryProxyBlanket, CoCopyProxy).
 *
 * Sources (Microsoft docs): "IClientSecurity::SetBlanket" (SB),
 * "CoSetProxyBlanket" (SPB), "Cloaking", "CoCopyProxy" (CCP), "Security
 * Blanket Negotiation" (NEG). Statuses chosen where they say only that a
 * call "fails" are listed in docs/com.md. */
#include <string.h>

#include "alloc.h"
#include "com.h"
#include "ntsec/ntsec.h"

/* The services ntsec knows; any other is E_INVALIDARG (Wine's
 * dlls/ole32/tests/marshal.c, test_client_security: SetBlanket with
 * 0xdeadbeef). */
static const uint32_t services[] = {
    NTSEC_RPC_AUTHN_NONE, NTSEC_RPC_AUTHN_GSS_NEGOTIATE, NTSEC_RPC_AUTHN_WINNT,
    NTSEC_RPC_AUTHN_GSS_SCHANNEL, NTSEC_RPC_AUTHN_GSS_KERBEROS, NTSEC_RPC_AUTHN_DEFAULT,
};

static const uint32_t authz_services[] = {
    NTSEC_RPC_AUTHZ_NONE, NTSEC_RPC_AUTHZ_NAME, NTSEC_RPC_AUTHZ_DCE, NTSEC_RPC_AUTHZ_DEFAULT,
};

/* SB, dwCapabilities: "only" these may be set on a proxy. */
#define BLANKET_CAPS (NTSEC_EOAC_MUTUAL_AUTH | NTSEC_EOAC_STATIC_CLOAKING |                     \
                      NTSEC_EOAC_DYNAMIC_CLOAKING | NTSEC_EOAC_ANY_AUTHORITY |                  \
                      NTSEC_EOAC_MAKE_FULLSIC | NTSEC_EOAC_DEFAULT)
#define CLOAKING (NTSEC_EOAC_STATIC_CLOAKING | NTSEC_EOAC_DYNAMIC_CLOAKING)

static bool listed(const uint32_t *list, size_t n, uint32_t v)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == v)
            return true;
    return false;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ntsec__alloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

/* The argument rules of SB and SPB; true when they hold. */
static bool blanket_ok(const struct ntsec_com_blanket_args *a)
{
    const uint32_t svc = a->authn_svc == NTSEC_RPC_AUTHN_DEFAULT ? NTSEC_RPC_AUTHN_WINNT
                                                                 : a->authn_svc;
    const uint32_t cloak = a->capabilities & CLOAKING;

    if (!listed(services, sizeof(services) / sizeof(services[0]), a->authn_svc) ||
        !listed(authz_services, sizeof(authz_services) / sizeof(authz_services[0]), a->authz_svc))
        return false;
    if (a->authn_level > NTSEC_AUTHN_LEVEL_PKT_PRIVACY || a->imp_level > NTSEC_RPC_IMP_LEVEL_DELEGATE)
        return false;
    if (a->authn_level == NTSEC_AUTHN_LEVEL_NONE && svc != NTSEC_RPC_AUTHN_NONE)
        return false;                           /* SB: NONE level needs the NONE service */
    if (a->capabilities & ~BLANKET_CAPS)
        return false;                           /* SB: the capability filter */
    if (cloak == CLOAKING || (cloak && svc == NTSEC_RPC_AUTHN_GSS_SCHANNEL))
        return false;                           /* EOAC: one cloaking, never with Schannel */
    return !(cloak && a->identity);             /* SPB: credentials or cloaking */
}

ntsec_hresult ntsec_com_proxy_set_blanket(struct ntsec_com_proxy *proxy,
                                          const struct ntsec_com_blanket_args *args)
{
    struct com_process *p = ntsec__com_thread.proc;
    struct ntsec_token *explicit_token = NULL, *captured = NULL;
    char *principal = NULL;
    uint32_t caps;
    ntsec_status st;

    if (!p)
        return NTSEC_CO_E_NOTINITIALIZED;
    if (!proxy || !args || !blanket_ok(args))
        return NTSEC_E_INVALIDARG;
    caps = args->capabilities & NTSEC_EOAC_DEFAULT ? p->capabilities : args->capabilities;
    if (args->identity && !args->identity_default) {
        /* SPB: "RPC logs on the user with the supplied credentials and
         * uses the resulting token" - through the world, a network logon
         * (ntsec's choice of logon type, as the server would see it). */
        const struct ntsec_com_identity *id = args->identity;

        if (!id->user || !id->password)
            return NTSEC_E_INVALIDARG;
        st = ntsec_logon_user(id->user, id->domain && *id->domain ? id->domain : NULL,
                              id->password, NTSEC_LOGON_NETWORK, &explicit_token);
        if (!ntsec_success(st))
            return st == NTSEC_STATUS_NO_MEMORY ? NTSEC_E_OUTOFMEMORY : NTSEC_E_ACCESSDENIED;
    }
    if (caps & NTSEC_EOAC_STATIC_CLOAKING) {
        /* "Cloaking": SetBlanket with static cloaking fixes the identity
         * now (the thread's token, else the process'). */
        st = ntsec_call_client_token(ntsec_thread_current(), NTSEC_CLOAKING_STATIC, NULL, NULL,
                                     &captured);
        if (!ntsec_success(st))
            goto fail_status;
    }
    if (args->principal && args->principal != NTSEC_COM_DEFAULT_PRINCIPAL &&
        !(principal = dup_str(args->principal))) {
        st = NTSEC_STATUS_NO_MEMORY;
        goto fail_status;
    }
    pthread_mutex_lock(&ntsec__com_lock);
    proxy->authn_svc = args->authn_svc == NTSEC_RPC_AUTHN_DEFAULT ? NTSEC_RPC_AUTHN_WINNT
                                                                  : args->authn_svc;
    proxy->authz_svc = args->authz_svc == NTSEC_RPC_AUTHZ_DEFAULT ? NTSEC_RPC_AUTHZ_NONE
                                                                  : args->authz_svc;
    /* NEG: DEFAULT values are negotiated again, the others assigned. */
    proxy->authn_level = args->authn_level == NTSEC_AUTHN_LEVEL_DEFAULT ? proxy->negotiated_level
                                                                        : args->authn_level;
    if (proxy->authn_svc == NTSEC_RPC_AUTHN_NONE)
        proxy->authn_level = NTSEC_AUTHN_LEVEL_NONE;
    proxy->imp_level = args->imp_level == NTSEC_RPC_IMP_LEVEL_DEFAULT ? p->imp_level
                                                                      : args->imp_level;
    proxy->capabilities = caps;
    if (args->principal) {
        ntsec__free(proxy->principal);
        proxy->principal = principal;
        principal = NULL;
    }
    struct ntsec_token *old_explicit = proxy->explicit_token, *old_captured = proxy->captured;
    proxy->explicit_token = explicit_token;
    proxy->captured = captured;
    pthread_mutex_unlock(&ntsec__com_lock);
    if (old_explicit)
        ntsec_token_put(old_explicit);
    if (old_captured)
        ntsec_token_put(old_captured);
    return NTSEC_S_OK;

fail_status:
    if (explicit_token)
        ntsec_token_put(explicit_token);
    if (captured)
        ntsec_token_put(captured);
    return ntsec__com_hresult(st);
}

void ntsec_com_proxy_query_blanket(const struct ntsec_com_proxy *proxy,
                                   struct ntsec_com_blanket *out)
{
    if (!proxy || !out)
        return;                         /* nothing to report (ntsec's choice) */
    pthread_mutex_lock(&ntsec__com_lock);
    *out = (struct ntsec_com_blanket){ proxy->authn_svc, proxy->authz_svc, proxy->principal,
                                       proxy->authn_level, proxy->imp_level,
                                       proxy->capabilities };
    pthread_mutex_unlock(&ntsec__com_lock);
}

ntsec_hresult ntsec_com_proxy_copy(const struct ntsec_com_proxy *proxy,
                                   struct ntsec_com_proxy **out)
{
    struct ntsec_com_proxy *copy;

    if (!proxy || !out)
        return NTSEC_E_INVALIDARG;
    copy = ntsec__alloc(sizeof(*copy));
    if (!copy)
        return NTSEC_E_OUTOFMEMORY;
    pthread_mutex_lock(&ntsec__com_lock);
    *copy = *proxy;
    copy->principal = NULL;
    if (proxy->principal && !(copy->principal = dup_str(proxy->principal))) {
        pthread_mutex_unlock(&ntsec__com_lock);
        ntsec__free(copy);
        return NTSEC_E_OUTOFMEMORY;
    }
    copy->exp->refs++;
    if (copy->captured)
        ntsec_token_get(copy->captured);
    if (copy->explicit_token)
        ntsec_token_get(copy->explicit_token);
    pthread_mutex_unlock(&ntsec__com_lock);
    *out = copy;
    return NTSEC_S_OK;
}

void ntsec_com_proxy_release(struct ntsec_com_proxy *proxy)
{
    if (!proxy)
        return;
    if (proxy->captured)
        ntsec_token_put(proxy->captured);
    if (proxy->explicit_token)
        ntsec_token_put(proxy->explicit_token);
    ntsec__free(proxy->principal);
    pthread_mutex_lock(&ntsec__com_lock);
    ntsec__com_export_put(proxy->exp);
    pthread_mutex_unlock(&ntsec__com_lock);
    ntsec__free(proxy);
}

/* rpc_binding.c - client binding handles: made from a string binding,
 * given authentication information and security QoS, inquired, freed.
 *
 * Sources (Microsoft docs unless said):
 *  [RBSAE] RpcBindingSetAuthInfoEx: "Unless a client calls
 *          RpcBindingSetAuthInfoEx, all remote procedure calls on Binding
 *          are unauthenticated"; RPC_C_AUTHN_DEFAULT means RPC_C_AUTHN_WINNT;
 *          "the ncalrpc protocol sequence supports only RPC_C_AUTHN_WINNT";
 *          the function "takes a snapshot of the credentials"; errors
 *          RPC_S_UNKNOWN_AUTHN_SERVICE, RPC_S_WRONG_KIND_OF_BINDING.
 *  [QOS]   RPC_SECURITY_QOS: static tracking "is the default behavior if
 *          RPC_SECURITY_QOS is not specified"; LOCAL_MA_HINT without mutual
 *          authentication and SCHANNEL_FULL_AUTH_IDENTITY with another SSP
 *          give RPC_S_INVALID_ARG.
 *  [MSRPCE] [MS-RPCE] 2.2.1.1.8: RPC_C_AUTHN_LEVEL_DEFAULT is "Same as
 *          RPC_C_AUTHN_LEVEL_CONNECT".
 *  [WINE]  dlls/rpcrt4/tests/rpc.c (run on Windows): a binding set to
 *          level NONE answers RpcBindingInqAuthInfo with
 *          RPC_S_BINDING_HAS_NO_AUTH; RpcBindingFree of a NULL handle is
 *          RPC_S_INVALID_BINDING. Wine's rpc_binding.c (read for behaviour)
 *          treats level or service NONE as "no authentication" before it
 *          checks the level (RPC_S_UNKNOWN_AUTHN_LEVEL above PKT_PRIVACY)
 *          and the authorization service (RPC_S_UNKNOWN_AUTHZ_SERVICE).
 * Where none says which error a bad QoS field gives, ntsec answers
 * RPC_S_INVALID_ARG, the error [QOS] names for its other bad fields. */
#include <string.h>

#include "alloc.h"
#include "rpc_internal.h"
#include "token.h"

/* The authentication services ntsec emulates, and where. */
static const struct {
    uint32_t service;
    bool on_ncalrpc;                    /* [RBSAE]: ncalrpc takes WINNT only */
} services[] = {
    { NTSEC_RPC_AUTHN_WINNT, true },
    { NTSEC_RPC_AUTHN_GSS_NEGOTIATE, false },
    { NTSEC_RPC_AUTHN_GSS_KERBEROS, false },
};

static const uint32_t authz_services[] = {
    NTSEC_RPC_AUTHZ_NONE, NTSEC_RPC_AUTHZ_NAME, NTSEC_RPC_AUTHZ_DCE, NTSEC_RPC_AUTHZ_DEFAULT,
};

#define KNOWN_CAPABILITIES 0x3Fu

static const struct ntsec_rpc_qos default_qos = {
    1, NTSEC_RPC_QOS_CAPABILITIES_DEFAULT, NTSEC_RPC_QOS_IDENTITY_STATIC,
    NTSEC_RPC_IMP_LEVEL_IMPERSONATE,
};

/* --- life ----------------------------------------------------------------- */

static void auth_clear(struct ntsec__rpc_auth *a)
{
    ntsec__free(a->principal);
    ntsec__free(a->user);
    ntsec__free(a->domain);
    if (a->password) {
        memset(a->password, 0, strlen(a->password));
        ntsec__free(a->password);
    }
    *a = (struct ntsec__rpc_auth){ .qos = default_qos };
}

void ntsec__rpc_binding_reset_context(struct ntsec_rpc_binding *b)
{
    if (b->captured)
        ntsec__token_put(b->captured);
    if (b->logon)
        ntsec__token_put(b->logon);
    b->captured = b->logon = NULL;
    if (b->assoc_ep) {
        ntsec_client_context_delete(&b->assoc_ctx);
        ntsec__rpc_endpoint_put(b->assoc_ep);
        b->assoc_ep = NULL;
    }
}

static void binding_destroy(struct ntsec__rpc_handle *h)
{
    struct ntsec_rpc_binding *b = (struct ntsec_rpc_binding *)h;

    ntsec__rpc_binding_reset_context(b);
    auth_clear(&b->auth);
    pthread_mutex_destroy(&b->lock);
    ntsec__free(b->netaddr);
    ntsec__free(b->endpoint);
    ntsec__free(b);
}

/* The parts of a parsed string binding a binding keeps: the protocol
 * sequence, ncacn_np's machine without its "\\" (the MIDL reference:
 * "Backslash characters are optional"), the endpoint. */
static ntsec_status check_parts(const struct ntsec__rpc_string_binding *sb,
                                enum ntsec__rpc_protseq *protseq, const char **netaddr)
{
    const char *addr = sb->netaddr ? sb->netaddr : "";

    *protseq = ntsec__rpc_protseq_find(sb->protseq);
    if (!*protseq)
        return NTSEC_RPC_NT_PROTSEQ_NOT_SUPPORTED;
    if (*protseq == NTSEC__RPC_NCALRPC && *addr)
        return NTSEC_RPC_NT_INVALID_NET_ADDR;   /* "The computer name must not be used" */
    if (!strncmp(addr, "\\\\", 2))
        addr += 2;
    *netaddr = addr;
    if (sb->endpoint && *sb->endpoint)
        return ntsec__rpc_endpoint_check(*protseq, sb->endpoint);
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_rpc_binding_from_string(const char *string_binding,
                                           struct ntsec_rpc_binding **out)
{
    struct ntsec__rpc_string_binding sb;
    struct ntsec_rpc_binding *b = NULL;
    enum ntsec__rpc_protseq protseq;
    const char *netaddr;
    ntsec_status st;

    if (!out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = ntsec__rpc_string_parse(string_binding, &sb);
    if (!ntsec_success(st))
        return st;
    st = check_parts(&sb, &protseq, &netaddr);
    if (ntsec_success(st) && !(b = ntsec__zalloc(sizeof(*b))))
        st = NTSEC_STATUS_NO_MEMORY;
    if (ntsec_success(st)) {
        st = ntsec__rpc_strdup(netaddr, &b->netaddr);
        if (ntsec_success(st))
            st = ntsec__rpc_strdup(sb.endpoint ? sb.endpoint : "", &b->endpoint);
        if (!ntsec_success(st)) {
            ntsec__free(b->netaddr);
            ntsec__free(b);
        }
    }
    ntsec__rpc_string_clear(&sb);
    if (!ntsec_success(st))
        return st;
    b->h = (struct ntsec__rpc_handle){ .kind = NTSEC__RPC_BINDING, .refs = 1,
                                       .destroy = binding_destroy };
    b->protseq = protseq;
    b->auth.qos = default_qos;
    pthread_mutex_init(&b->lock, NULL);
    ntsec__rpc_handle_add(&b->h);
    *out = b;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_rpc_binding_free(struct ntsec_rpc_binding *binding)
{
    struct ntsec__rpc_handle *h;
    ntsec_status st = ntsec__rpc_handle_get(binding, NTSEC__RPC_BINDING, &h);

    if (!ntsec_success(st))
        return st;
    ntsec__rpc_handle_remove(h);
    ntsec__rpc_handle_put(h);                   /* the registry's */
    ntsec__rpc_handle_put(h);                   /* ours */
    return NTSEC_STATUS_SUCCESS;
}

/* --- auth info ------------------------------------------------------------ */

static ntsec_status check_qos(const struct ntsec_rpc_qos *q)
{
    if (!q)
        return NTSEC_STATUS_SUCCESS;
    if (!q->version || q->identity_tracking > NTSEC_RPC_QOS_IDENTITY_DYNAMIC ||
        q->impersonation_type > NTSEC_RPC_IMP_LEVEL_DELEGATE ||
        (q->capabilities & ~KNOWN_CAPABILITIES))
        return NTSEC_STATUS_INVALID_PARAMETER;
    if ((q->capabilities & NTSEC_RPC_QOS_CAPABILITIES_LOCAL_MA_HINT) &&
        !(q->capabilities & NTSEC_RPC_QOS_CAPABILITIES_MUTUAL_AUTH))
        return NTSEC_STATUS_INVALID_PARAMETER;          /* [QOS] */
    if (q->capabilities & NTSEC_RPC_QOS_CAPABILITIES_SCHANNEL_FULL_AUTH_IDENTITY)
        return NTSEC_STATUS_INVALID_PARAMETER;          /* [QOS]: no Schannel here */
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status check_service(enum ntsec__rpc_protseq protseq, uint32_t service)
{
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
        if (services[i].service == service)
            return protseq == NTSEC__RPC_NCACN_NP || services[i].on_ncalrpc
                       ? NTSEC_STATUS_SUCCESS
                       : NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE;
    return NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE;
}

static ntsec_status check_authz(uint32_t authz)
{
    for (size_t i = 0; i < sizeof(authz_services) / sizeof(authz_services[0]); i++)
        if (authz_services[i] == authz)
            return NTSEC_STATUS_SUCCESS;
    return NTSEC_RPC_NT_UNKNOWN_AUTHZ_SERVICE;
}

/* Values no call can use are refused whatever else is asked, in Wine's
 * order ([WINE]: QoS, level, authorization service, service): an unknown
 * level, authorization or authentication service is its RPC_S_UNKNOWN_*
 * status ([RBSAE]) even beside level or service NONE, so that bad input
 * never drops the binding's auth info (ntsec's choice: Wine checks them
 * only for an authenticated binding; no Windows test orders them). */
static ntsec_status check_values(const struct ntsec_rpc_auth_info *info, uint32_t level,
                                 uint32_t service)
{
    ntsec_status st = check_qos(info->qos);

    if (!ntsec_success(st))
        return st;
    if (level > NTSEC_AUTHN_LEVEL_PKT_PRIVACY)
        return NTSEC_RPC_NT_UNKNOWN_AUTHN_LEVEL;
    if (!ntsec_success(check_authz(info->authz_service)))
        return NTSEC_RPC_NT_UNKNOWN_AUTHZ_SERVICE;
    if (service != NTSEC_RPC_AUTHN_NONE &&
        !ntsec_success(check_service(NTSEC__RPC_NCACN_NP, service)))
        return NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE;
    return NTSEC_STATUS_SUCCESS;
}

/* What an authenticated binding needs besides ([RBSAE]): ncalrpc takes
 * WINNT only; an identity names a user. */
static ntsec_status check_auth(enum ntsec__rpc_protseq protseq, uint32_t service,
                               const struct ntsec_rpc_auth_info *info)
{
    if (!ntsec_success(check_service(protseq, service)))
        return NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE;
    if (info->identity && (!info->identity->user || !*info->identity->user))
        return NTSEC_RPC_NT_INVALID_AUTH_IDENTITY;
    return NTSEC_STATUS_SUCCESS;
}

/* The copies an authenticated binding keeps (the snapshot of [RBSAE]). */
static ntsec_status copy_auth(const struct ntsec_rpc_auth_info *info, struct ntsec__rpc_auth *a)
{
    const struct ntsec_rpc_identity *id = info->identity;
    ntsec_status st = ntsec__rpc_strdup(info->server_principal, &a->principal);

    if (ntsec_success(st) && id) {
        st = ntsec__rpc_strdup(id->user, &a->user);
        if (ntsec_success(st))
            st = ntsec__rpc_strdup(id->domain, &a->domain);
        if (ntsec_success(st))
            st = ntsec__rpc_strdup(id->password ? id->password : "", &a->password);
    }
    if (!ntsec_success(st))
        auth_clear(a);
    return st;
}

ntsec_status ntsec_rpc_binding_set_auth_info(struct ntsec_rpc_binding *binding,
                                             const struct ntsec_rpc_auth_info *info)
{
    struct ntsec__rpc_auth a = { .qos = default_qos };
    struct ntsec__rpc_handle *h;
    struct ntsec_rpc_binding *b;
    uint32_t level, service;
    ntsec_status st = ntsec__rpc_handle_get(binding, NTSEC__RPC_BINDING, &h);

    if (!ntsec_success(st))
        return st;
    b = (struct ntsec_rpc_binding *)h;
    level = info ? info->level : 0;
    service = info ? info->service : 0;
    if (level == NTSEC_AUTHN_LEVEL_DEFAULT)
        level = NTSEC_AUTHN_LEVEL_CONNECT;              /* [MSRPCE] */
    if (service == NTSEC_RPC_AUTHN_DEFAULT)
        service = NTSEC_RPC_AUTHN_WINNT;                /* [RBSAE] */
    st = info ? check_values(info, level, service) : NTSEC_STATUS_INVALID_PARAMETER;
    if (ntsec_success(st) && info->qos)
        a.qos = *info->qos;
    if (ntsec_success(st) && level != NTSEC_AUTHN_LEVEL_NONE &&
        service != NTSEC_RPC_AUTHN_NONE) {
        st = check_auth(b->protseq, service, info);
        if (ntsec_success(st))
            st = copy_auth(info, &a);
        a.authenticated = true;
        a.level = level;
        a.service = service;
        a.authz = info->authz_service;
        a.identity_handle = info->identity_handle;
    }
    if (ntsec_success(st)) {
        pthread_mutex_lock(&b->lock);
        auth_clear(&b->auth);
        b->auth = a;
        ntsec__rpc_binding_reset_context(b);            /* a new security context */
        pthread_mutex_unlock(&b->lock);
    }
    ntsec__rpc_handle_put(h);
    return st;
}

ntsec_status ntsec_rpc_binding_inq_auth_info(struct ntsec_rpc_binding *binding, char **principal,
                                             struct ntsec_rpc_auth_query *out)
{
    struct ntsec__rpc_handle *h;
    struct ntsec_rpc_binding *b;
    char *copy = NULL;
    ntsec_status st = ntsec__rpc_handle_get(binding, NTSEC__RPC_BINDING, &h);

    if (!ntsec_success(st))
        return st;
    b = (struct ntsec_rpc_binding *)h;
    pthread_mutex_lock(&b->lock);
    if (!out)
        st = NTSEC_STATUS_INVALID_PARAMETER;
    else if (!b->auth.authenticated)
        st = NTSEC_RPC_NT_BINDING_HAS_NO_AUTH;         /* [WINE] */
    else if (principal)
        st = ntsec__rpc_strdup(b->auth.principal, &copy);
    if (ntsec_success(st)) {
        *out = (struct ntsec_rpc_auth_query){
            .level = b->auth.level, .service = b->auth.service, .authz_service = b->auth.authz,
            .identity_handle = b->auth.identity_handle, .qos = b->auth.qos };
        out->qos.version = 1;
        if (principal)
            *principal = copy;
    }
    pthread_mutex_unlock(&b->lock);
    ntsec__rpc_handle_put(h);
    return st;
}

/* rpc_security.c - what an RPC call carries to its server: whether it is
 * authenticated and at which level, the token it presents under the
 * binding's QoS, and the server's client security context of that token
 * (ntsec/call.h does the rest: cloaking, local and remote contexts,
 * delegation).
 *
 * Sources (Microsoft docs unless said):
 *  [ALC]  "Authentication-Level Constants": "Regardless of the value
 *         specified by the constant, ncalrpc always uses
 *         RPC_C_AUTHN_LEVEL_PKT_PRIVACY"; CALL on a connection-oriented
 *         ("ncacn") protocol sequence is PKT.
 *  [LRPC] Wine's dlls/rpcrt4/tests/server.c (run on Windows): an ncalrpc
 *         call with no RpcBindingSetAuthInfo is authenticated - the server
 *         sees RPC_C_AUTHN_WINNT at PKT_PRIVACY and RpcImpersonateClient
 *         succeeds - while an unauthenticated ncacn_np call answers
 *         RpcBindingInqAuthClient with RPC_S_BINDING_HAS_NO_AUTH.
 *  [NP]   An unauthenticated ncacn_np call still names its caller: the
 *         named pipe (SMB) carries the identity ([MS-SAMR] 2.1: clients
 *         "MUST use the authentication level RPC_C_AUTHN_LEVEL_NONE" over
 *         SMB and the server retrieves "the identity of the client"; Wine's
 *         rpc_transport.c impersonates such a client through the pipe).
 *         ntsec gives the pipe's default QoS: Impersonation, dynamic.
 *  [QOS]  RPC_SECURITY_QOS: static tracking: "Security context is created
 *         only once and is never revised", the default without a QoS;
 *         dynamic: "revised whenever the ModifiedId in the client's token
 *         is changed"; ANONYMOUS and IDENTIFY are treated as IMPERSONATE
 *         "by RPC_C_AUTHN_WINNT only when used with protocol sequences
 *         other than ncalrpc" and by NEGOTIATE and KERBEROS; a client that
 *         asked for delegation and did not get it fails with
 *         RPC_S_SEC_PKG_ERROR unless it set IGNORE_DELEGATE_FAILURE.
 *  [IL]   "Impersonation Levels" (COM): NTLM (RPC_C_AUTHN_WINNT) cannot
 *         delegate to another computer; Kerberos can.
 *  [CB]   RPC_IF_CALLBACK_FN: a refused call makes "the client ... receive
 *         the exception RPC_S_ACCESS_DENIED" - the status of the level
 *         check (ntsec_call_check_level) and, ntsec's choice, of a client
 *         the server's machine cannot authenticate (docs/rpc.md). */
#include "ntsec/account.h"
#include "rpc_internal.h"
#include "token.h"

/* Statuses of a failed authentication of the client (a logon the world
 * refuses, no credentials for this machine): the call is refused. */
static const ntsec_status authentication_failures[] = {
    NTSEC_STATUS_LOGON_FAILURE, NTSEC_STATUS_WRONG_PASSWORD, NTSEC_STATUS_NO_SUCH_USER,
    NTSEC_STATUS_ACCOUNT_DISABLED, NTSEC_STATUS_ACCOUNT_RESTRICTION,
    NTSEC_STATUS_LOGON_TYPE_NOT_GRANTED, NTSEC_STATUS_NO_SUCH_LOGON_SESSION,
};

static ntsec_status refused(ntsec_status st)
{
    size_t n = sizeof(authentication_failures) / sizeof(authentication_failures[0]);

    for (size_t i = 0; i < n; i++)
        if (st == authentication_failures[i])
            return NTSEC_STATUS_ACCESS_DENIED;
    return st;
}

/* What the call asks for, from the binding (its lock held). */
struct plan {
    bool authenticated;
    uint32_t level, service, authz;
    enum ntsec_impersonation_level asked;       /* the QoS level */
    enum ntsec_impersonation_level granted;     /* what the service can give */
    uint8_t tracking;
    bool ignore_delegate_failure;
};

static enum ntsec_impersonation_level qos_level(uint32_t type)
{
    if (type == NTSEC_RPC_IMP_LEVEL_DEFAULT)
        type = NTSEC_RPC_IMP_LEVEL_IMPERSONATE;
    return (enum ntsec_impersonation_level)(type - 1);      /* RPC_C_IMP_LEVEL = level + 1 */
}

static ntsec_status plan_call(const struct ntsec_rpc_binding *b,
                              const struct ntsec_rpc_endpoint *ep, bool remote,
                              char server_principal[256], struct plan *p)
{
    const struct ntsec__rpc_auth *a = &b->auth;
    ntsec_status st;

    server_principal[0] = 0;
    *p = (struct plan){
        .authenticated = true, .asked = qos_level(a->qos.impersonation_type),
        .tracking = a->qos.identity_tracking == NTSEC_RPC_QOS_IDENTITY_DYNAMIC
                        ? NTSEC_SECURITY_DYNAMIC_TRACKING : NTSEC_SECURITY_STATIC_TRACKING,
        .ignore_delegate_failure =
            a->qos.capabilities & NTSEC_RPC_QOS_CAPABILITIES_IGNORE_DELEGATE_FAILURE,
    };
    if (b->protseq == NTSEC__RPC_NCALRPC) {
        p->level = NTSEC_AUTHN_LEVEL_PKT_PRIVACY;           /* [ALC], [LRPC] */
        p->service = NTSEC_RPC_AUTHN_WINNT;
        ntsec__rpc_server_has_auth(ep->server, p->service, server_principal);
    } else if (!a->authenticated) {
        *p = (struct plan){ .level = NTSEC_AUTHN_LEVEL_NONE,               /* [NP] */
                            .asked = NTSEC_SECURITY_IMPERSONATION,
                            .tracking = NTSEC_SECURITY_DYNAMIC_TRACKING };
    } else {
        st = ntsec_call_negotiate_level(a->level, NTSEC_AUTHN_LEVEL_NONE, &p->level);  /* [ALC] */
        if (!ntsec_success(st))
            return st;
        if (!ntsec__rpc_server_has_auth(ep->server, a->service, server_principal))
            return NTSEC_RPC_NT_UNKNOWN_AUTHN_SERVICE;
        p->service = a->service;
        p->authz = a->authz;
        if (p->asked < NTSEC_SECURITY_IMPERSONATION)
            p->asked = NTSEC_SECURITY_IMPERSONATION;    /* [QOS]: not on ncalrpc */
    }
    /* "This parameter is ignored when using the RPC_C_AUTHN_WINNT
     * authentication service" (RpcBindingSetAuthInfoEx, AuthzSvc). */
    if (p->service == NTSEC_RPC_AUTHN_WINNT)
        p->authz = NTSEC_RPC_AUTHZ_NONE;
    p->granted = p->asked;
    if (remote && p->service == NTSEC_RPC_AUTHN_WINNT && p->granted == NTSEC_SECURITY_DELEGATION)
        p->granted = NTSEC_SECURITY_IMPERSONATION;      /* [IL] */
    return NTSEC_STATUS_SUCCESS;
}

/* The token the call presents (a new reference), the binding's lock held:
 * the explicit credentials' logon (made at the first call), the token
 * static tracking captured at the first call, or the caller's now. */
static ntsec_status presented_token(struct ntsec_rpc_binding *b, const struct plan *p,
                                    struct ntsec_thread *client, struct ntsec_token **out)
{
    const struct ntsec__rpc_auth *a = &b->auth;
    ntsec_status st;

    if (a->authenticated && a->user) {
        if (!b->logon) {
            st = ntsec_logon_user(a->user, a->domain && *a->domain ? a->domain : NULL,
                                  a->password, NTSEC_LOGON_NETWORK, &b->logon);
            if (!ntsec_success(st))
                return refused(st);
        }
        *out = ntsec__token_get(b->logon);
        return NTSEC_STATUS_SUCCESS;
    }
    if (p->tracking == NTSEC_SECURITY_DYNAMIC_TRACKING)
        return ntsec_call_client_token(client, NTSEC_CLOAKING_DYNAMIC, NULL, NULL, out);
    if (!b->captured) {
        st = ntsec_call_client_token(client, NTSEC_CLOAKING_STATIC, NULL, NULL, &b->captured);
        if (!ntsec_success(st))
            return st;
    }
    *out = ntsec__token_get(b->captured);
    return NTSEC_STATUS_SUCCESS;
}

/* A copy of a context with its own token reference. */
static struct ntsec_client_context context_copy(const struct ntsec_client_context *ctx)
{
    struct ntsec_client_context c = *ctx;

    ntsec__token_get(c.client_token);
    return c;
}

/* The server's context of the client: static tracking builds it once per
 * endpoint and keeps it in the binding ([QOS]: "created only once");
 * dynamic tracking builds it at every call. */
static ntsec_status server_context(struct ntsec_rpc_binding *b, struct ntsec_rpc_endpoint *ep,
                                   const struct plan *p, struct ntsec_thread *client,
                                   struct ntsec_client_context *out)
{
    const char *machine = ntsec_process_machine(ntsec_thread_process(client));
    bool keep = p->tracking == NTSEC_SECURITY_STATIC_TRACKING;
    struct ntsec_client_context ctx;
    struct ntsec_token *presented;
    ntsec_status st;

    if (keep && b->assoc_ep == ep) {
        *out = context_copy(&b->assoc_ctx);
        return NTSEC_STATUS_SUCCESS;
    }
    st = presented_token(b, p, client, &presented);
    if (!ntsec_success(st))
        return st;
    st = ntsec_call_server_context(presented, machine, ep->server, p->granted, p->tracking, &ctx);
    ntsec__token_put(presented);
    if (!ntsec_success(st))
        return refused(st);
    if (keep) {
        if (b->assoc_ep) {
            ntsec_client_context_delete(&b->assoc_ctx);
            ntsec__rpc_endpoint_put(b->assoc_ep);
        }
        ntsec__rpc_endpoint_get(ep);
        b->assoc_ep = ep;
        b->assoc_ctx = ctx;
        ctx = context_copy(&ctx);
    }
    *out = ctx;
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status secure(struct ntsec_rpc_binding *b, struct ntsec_rpc_endpoint *ep,
                           struct ntsec_thread *client, char server_principal[256],
                           struct ntsec__rpc_security *out)
{
    const char *machine = ntsec_process_machine(ntsec_thread_process(client));
    bool remote = !ntsec__machine_same(machine, ep->machine);
    struct plan p;
    ntsec_status st = plan_call(b, ep, remote, server_principal, &p);

    if (ntsec_success(st))
        st = ntsec_call_check_level(p.level, ep->min_level);            /* [CB] */
    if (ntsec_success(st))
        st = server_context(b, ep, &p, client, &out->ctx);
    if (!ntsec_success(st))
        return st;
    if (remote && p.asked == NTSEC_SECURITY_DELEGATION &&
        out->ctx.qos.level != NTSEC_SECURITY_DELEGATION && !p.ignore_delegate_failure) {
        ntsec_client_context_delete(&out->ctx);
        return NTSEC_RPC_NT_SEC_PKG_ERROR;                              /* [QOS] */
    }
    out->authenticated = p.authenticated;
    out->level = p.level;
    out->service = p.service;
    out->authz = p.authz;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec__rpc_secure_call(struct ntsec_rpc_binding *b, struct ntsec_rpc_endpoint *ep,
                                    struct ntsec_thread *client, char server_principal[256],
                                    struct ntsec__rpc_security *out)
{
    ntsec_status st;

    pthread_mutex_lock(&b->lock);
    st = secure(b, ep, client, server_principal, out);
    pthread_mutex_unlock(&b->lock);
    return st;
}

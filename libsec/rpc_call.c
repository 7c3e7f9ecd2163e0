/* rpc_call.c - an RPC call: the client's side (find the endpoint, decide
 * the call's security, hand it to the dispatcher and wait) and the
 * server's (the call current on the dispatcher thread, RpcImpersonateClient,
 * RpcRevertToSelf(Ex), RpcBindingInqAuthClient).
 *
 * Sources (Microsoft docs unless said):
 *  [RIC]  RpcImpersonateClient: a zero handle means "the client that is
 *         being served by this server thread"; RPC_S_NO_CALL_ACTIVE when
 *         "No client is active on this server thread";
 *         RPC_S_NO_CONTEXT_AVAILABLE when "The server does not have
 *         permission to impersonate the client"; without
 *         SeImpersonatePrivilege (and another identity) "the impersonation
 *         succeeds at Identify level only"; after a failure "the client
 *         request is made in the security context of the process".
 *  [RRS]  RpcRevertToSelf: RPC_S_NO_CALL_ACTIVE when "The server does not
 *         have a client to impersonate"; RpcRevertToSelfEx ends an
 *         impersonation made with a handle to another call.
 *  [RIAC] RpcBindingInqAuthClient; Wine's dlls/rpcrt4/tests/server.c (run
 *         on Windows): over ncalrpc the Privs handle is the client's
 *         "DOMAIN\user" (GetUserNameEx NameSamCompatible) as a wide
 *         string, the level PKT_PRIVACY and the service WINNT; an
 *         unauthenticated call gives RPC_S_BINDING_HAS_NO_AUTH and leaves
 *         every output alone.
 *  [SRV]  "Client Impersonation": after the task "the server calls
 *         RpcRevertToSelf"; ntsec's dispatcher reverts its thread after
 *         each call, so that a call never starts as the previous client.
 *  [QOS]  RPC_SECURITY_QOS: at ANONYMOUS the client "does not provide
 *         identification information to the server": its principal is
 *         reported as NT AUTHORITY\ANONYMOUS LOGON (ntsec's choice).
 *  [UNAV] A binding that names no endpoint needs the endpoint mapper,
 *         which ntsec does not have: EPT_S_NOT_REGISTERED, its answer for
 *         an interface it does not know; no server at the endpoint, or an
 *         unknown machine: RPC_S_SERVER_UNAVAILABLE ("The RPC server is
 *         unavailable", winerror.h), found at the call: making a binding
 *         "does not involve contact with the server. Success or failure
 *         of the API will not indicate server availability", and one with
 *         no host address "references the local host"
 *         (RpcBindingFromStringBinding, Remarks). */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "ntsec/account.h"
#include "ntsec/wstring.h"
#include "rpc_internal.h"
#include "sock_transport.h"
#include "token.h"

static _Thread_local struct ntsec_rpc_call *current;
static pthread_mutex_t principal_lock = PTHREAD_MUTEX_INITIALIZER;

/* --- the client ----------------------------------------------------------- */

static void call_destroy(struct ntsec__rpc_handle *h)
{
    struct ntsec_rpc_call *call = (struct ntsec_rpc_call *)h;

    ntsec_client_context_delete(&call->sec.ctx);
    ntsec__rpc_endpoint_put(call->ep);
    ntsec__free(call->out);
    ntsec__free(call->principal);
    ntsec__free(call->principal_w);
    ntsec__free(call);
}

/* The machine the binding names: ncalrpc and "", "." are the caller's. */
static ntsec_status target_machine(const struct ntsec_rpc_binding *b, struct ntsec_thread *client,
                                   char out[NTSEC__MACHINE_NAME_MAX + 1])
{
    const char *addr = b->netaddr;

    if (b->protseq == NTSEC__RPC_NCALRPC || !*addr || !strcmp(addr, ".")) {
        snprintf(out, NTSEC__MACHINE_NAME_MAX + 1, "%s",
                 ntsec_process_machine(ntsec_thread_process(client)));
        return NTSEC_STATUS_SUCCESS;
    }
    return ntsec__machine_find(addr, out) ? NTSEC_STATUS_SUCCESS : NTSEC_RPC_NT_SERVER_UNAVAILABLE;
}

static ntsec_status find_endpoint(const struct ntsec_rpc_binding *b, struct ntsec_thread *client,
                                  struct ntsec_rpc_endpoint **out)
{
    char machine[NTSEC__MACHINE_NAME_MAX + 1];
    ntsec_status st;

    if (!*b->endpoint)
        return NTSEC_EPT_NT_NOT_REGISTERED;                             /* [UNAV] */
    st = target_machine(b, client, machine);
    if (ntsec_success(st))
        st = ntsec__rpc_endpoint_find(b->protseq, machine, b->endpoint, out);
    if (ntsec_success(st) && ntsec__rpc_endpoint_is_dispatcher(*out)) {
        /* Its one dispatcher is busy with the call making this one. */
        ntsec__rpc_endpoint_put(*out);
        st = NTSEC_RPC_NT_SERVER_TOO_BUSY;
    }
    return st;
}

ntsec_status ntsec__rpc_call_submit(struct ntsec_rpc_call *call, struct ntsec_rpc_endpoint *ep,
                                    void **out, size_t *out_len)
{
    ntsec_status st;

    call->h = (struct ntsec__rpc_handle){ .kind = NTSEC__RPC_CALL, .refs = 1,
                                          .destroy = call_destroy };
    call->ep = ep;
    ntsec__rpc_handle_add(&call->h);
    ntsec__rpc_endpoint_run(ep, call);
    ntsec__rpc_handle_remove(&call->h);
    st = call->status;
    if (ntsec_success(st)) {
        *out = call->out;
        *out_len = call->out ? call->out_len : 0;
        call->out = NULL;
    }
    ntsec__rpc_handle_put(&call->h);
    return st;
}

static ntsec_status run(struct ntsec_rpc_binding *b, struct ntsec_thread *client, uint32_t opnum,
                        const void *in, size_t in_len, void **out, size_t *out_len)
{
    struct ntsec_rpc_endpoint *ep;
    struct ntsec_rpc_call *call;
    ntsec_status st = find_endpoint(b, client, &ep);

    /* No endpoint of that name in this process: perhaps in another one
     * (rpc_remote.c; only when the transport is on). */
    if (st == NTSEC_RPC_NT_SERVER_UNAVAILABLE && b->protseq == NTSEC__RPC_NCALRPC &&
        ntsec__transport_enabled())
        return ntsec__rpc_call_remote(b, client, opnum, in, in_len, out, out_len);
    if (!ntsec_success(st))
        return st;
    if (!(call = ntsec__zalloc(sizeof(*call)))) {
        ntsec__rpc_endpoint_put(ep);
        return NTSEC_STATUS_NO_MEMORY;
    }
    st = ntsec__rpc_secure_call(b, ep, client, call->server_principal, &call->sec);
    if (!ntsec_success(st)) {
        ntsec__rpc_endpoint_put(ep);
        ntsec__free(call);
        return st;
    }
    call->opnum = opnum;
    call->in = in;
    call->in_len = in_len;
    return ntsec__rpc_call_submit(call, ep, out, out_len);
}

ntsec_status ntsec_rpc_call(struct ntsec_rpc_binding *binding, uint32_t opnum, const void *in,
                            size_t in_len, void **out, size_t *out_len)
{
    struct ntsec__rpc_handle *h;
    struct ntsec_thread *client;
    ntsec_status st = ntsec__rpc_handle_get(binding, NTSEC__RPC_BINDING, &h);

    if (!ntsec_success(st))
        return st;
    if (!out || !out_len || (!in && in_len))
        st = NTSEC_STATUS_INVALID_PARAMETER;
    else if (!(client = ntsec_thread_current()))
        st = NTSEC_STATUS_NO_MEMORY;
    else
        st = run((struct ntsec_rpc_binding *)h, client, opnum, in, in_len, out, out_len);
    ntsec__rpc_handle_put(h);
    return st;
}

/* --- the dispatcher ------------------------------------------------------- */

void ntsec__rpc_call_dispatch(struct ntsec_rpc_endpoint *ep, struct ntsec_rpc_call *call)
{
    current = call;
    call->status = ep->handler(call, ep->arg, call->in, call->in_len, &call->out, &call->out_len);
    if (!ntsec_success(call->status)) {
        ntsec__free(call->out);
        call->out = NULL;
    }
    ntsec_thread_revert(ntsec_thread_current());                        /* [SRV] */
    current = NULL;
}

/* --- the server's side of a call ------------------------------------------ */

struct ntsec_rpc_call *ntsec_rpc_call_current(void)
{
    return current;
}

uint32_t ntsec_rpc_call_opnum(const struct ntsec_rpc_call *call)
{
    return call ? call->opnum : 0;
}

/* The call a server function names, with a reference: NULL is the one
 * current on this thread ([RIC]). */
static ntsec_status call_get(struct ntsec_rpc_call *call, struct ntsec_rpc_call **out)
{
    struct ntsec__rpc_handle *h;
    ntsec_status st;

    if (!call) {
        if (!current)
            return NTSEC_RPC_NT_NO_CALL_ACTIVE;
        atomic_fetch_add_explicit(&current->h.refs, 1, memory_order_relaxed);
        *out = current;
        return NTSEC_STATUS_SUCCESS;
    }
    st = ntsec__rpc_handle_get(call, NTSEC__RPC_CALL, &h);
    if (ntsec_success(st))
        *out = (struct ntsec_rpc_call *)h;
    return st;
}

ntsec_status ntsec_rpc_impersonate_client(struct ntsec_rpc_call *call)
{
    struct ntsec_rpc_call *c;
    ntsec_status st = call_get(call, &c);

    if (!ntsec_success(st))
        return st;
    st = ntsec_client_context_impersonate(&c->sec.ctx, NULL);
    if (!ntsec_success(st) && st != NTSEC_STATUS_NO_MEMORY)
        st = NTSEC_RPC_NT_NO_CONTEXT_AVAILABLE;                         /* [RIC] */
    ntsec__rpc_handle_put(&c->h);
    return st;
}

ntsec_status ntsec_rpc_revert_to_self(struct ntsec_rpc_call *call)
{
    struct ntsec_rpc_call *c;
    ntsec_status st = call_get(call, &c);

    if (!ntsec_success(st))
        return st;                                                      /* [RRS] */
    ntsec_thread_revert(ntsec_thread_current());
    ntsec__rpc_handle_put(&c->h);
    return NTSEC_STATUS_SUCCESS;
}

/* "DOMAIN\user" of the call's client ([RIAC]), or its SID string when the
 * world has no name for it. */
static ntsec_status principal_of(const struct ntsec_client_context *ctx, char **out)
{
    const struct ntsec_sid *user = ctx->client_token->sids[0].sid;
    char name[256], domain[256], text[516];
    size_t nsize = sizeof(name), dsize = sizeof(domain);
    enum ntsec_sid_use use;

    if (ctx->qos.level == NTSEC_SECURITY_ANONYMOUS)                    /* [QOS] */
        snprintf(text, sizeof(text), "NT AUTHORITY\\ANONYMOUS LOGON");
    else if (ntsec_success(ntsec_account_lookup_sid(user, name, &nsize, domain, &dsize, &use)))
        snprintf(text, sizeof(text), "%s%s%s", domain, *domain ? "\\" : "", name);
    else
        ntsec_sid_format(user, text, sizeof(text));
    return ntsec__rpc_strdup(text, out);
}

/* The call's principal strings, made once. */
static ntsec_status make_principal(struct ntsec_rpc_call *c)
{
    ntsec_status st = NTSEC_STATUS_SUCCESS;
    char *text;
    uint16_t *wide;

    pthread_mutex_lock(&principal_lock);
    if (!c->principal) {
        st = principal_of(&c->sec.ctx, &text);
        if (ntsec_success(st)) {
            st = ntsec_utf8_to_wstr(text, strlen(text), &wide, NULL);
            if (ntsec_success(st)) {
                c->principal = text;
                c->principal_w = wide;
            } else {
                ntsec__free(text);
            }
        }
    }
    pthread_mutex_unlock(&principal_lock);
    return st;
}

ntsec_status ntsec_rpc_inq_auth_client(struct ntsec_rpc_call *call,
                                       struct ntsec_rpc_client_info *out)
{
    struct ntsec_rpc_call *c;
    ntsec_status st = call_get(call, &c);

    if (!ntsec_success(st))
        return st;
    if (!out)
        st = NTSEC_STATUS_INVALID_PARAMETER;
    else if (!c->sec.authenticated)
        st = NTSEC_RPC_NT_BINDING_HAS_NO_AUTH;                          /* [RIAC] */
    else
        st = make_principal(c);
    if (ntsec_success(st))
        *out = (struct ntsec_rpc_client_info){
            .principal = c->principal, .principal_w = c->principal_w,
            .server_principal = *c->server_principal ? c->server_principal : NULL,
            .level = c->sec.level, .service = c->sec.service, .authz_service = c->sec.authz };
    ntsec__rpc_handle_put(&c->h);
    return st;
}

/* rpc_remote.c - ncalrpc calls between OS processes: an endpoint
 * registered with the transport on also listens on its socket
 * (sock_transport.c, DIR/ncalrpc/<endpoint>), and a call on an ncalrpc
 * binding whose endpoint no thread of this process serves goes there.
 *
 * One connection per call: the client sends the opnum, the impersonation
 * level of its binding's security QoS and the in bytes; the server
 * answers the call's status and the out bytes. What the call carries is
 * what an in-process ncalrpc call carries (docs/rpc.md): always
 * authenticated with WINNT at PKT_PRIVACY ("ncalrpc always uses
 * RPC_C_AUTHN_LEVEL_PKT_PRIVACY", "Authentication-Level Constants",
 * Microsoft docs), the client's context at the level its QoS asked
 * (RPC_SECURITY_QOS, ImpersonationType) - but the client is the account
 * the kernel vouches for on the connection (ntsec_peer_token:
 * SO_PEERCRED, SO_PEERGROUPS), never anything the client writes. The
 * context is captured at each call (a new connection each time), so
 * static and dynamic tracking give the same here (ntsec's rule; the
 * kernel vouches for the credentials of connect(2) only).
 *
 * ncalrpc is local to a machine; the OS processes sharing a rendezvous
 * directory are the world's own machine (ntsec's choice): endpoints of
 * processes on other emulated machines do not listen, and clients on
 * them do not connect. */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "ntsec/peer.h"
#include "process.h"
#include "rpc_internal.h"
#include "sock_transport.h"
#include "token.h"

/* The call's header (client -> server) and the answer's, in host order. */
struct call_head {
    uint32_t opnum;
    uint32_t imp_level;                 /* RPC_C_IMP_LEVEL_* of the binding's QoS */
};

struct reply_head {
    uint32_t status;
};

/* How long the server waits for a call's bytes once connected (ntsec's
 * choice): a client that connects and says nothing does not hold the
 * listener longer. */
#define CALL_WAIT_MS 5000u

/* --- the server's side ---------------------------------------------------- */

/* The call's security from the connection: the peer's token, its context
 * at the asked level as the same machine gets it (ntsec_call_server_context),
 * WINNT at PKT_PRIVACY, and the principal the server registered. */
static ntsec_status remote_security(int fd, struct ntsec_rpc_endpoint *ep, uint32_t imp_level,
                                    struct ntsec_rpc_call *call)
{
    enum ntsec_impersonation_level level;
    struct ntsec_token *peer = NULL;
    ntsec_status st;

    if (imp_level > NTSEC_RPC_IMP_LEVEL_DELEGATE)
        return NTSEC_STATUS_INVALID_PARAMETER;
    level = (enum ntsec_impersonation_level)((imp_level == NTSEC_RPC_IMP_LEVEL_DEFAULT
                                                  ? NTSEC_RPC_IMP_LEVEL_IMPERSONATE
                                                  : imp_level) - 1);
    st = ntsec_call_check_level(NTSEC_AUTHN_LEVEL_PKT_PRIVACY, ep->min_level);
    if (ntsec_success(st))
        st = ntsec_peer_token(fd, &peer, NULL);
    if (!ntsec_success(st))
        return st;
    st = ntsec_call_server_context(peer, ep->machine, ep->server, level,
                                   NTSEC_SECURITY_STATIC_TRACKING, &call->sec.ctx);
    ntsec_token_put(peer);
    if (!ntsec_success(st))
        return st;
    call->sec.authenticated = true;
    call->sec.level = NTSEC_AUTHN_LEVEL_PKT_PRIVACY;
    call->sec.service = NTSEC_RPC_AUTHN_WINNT;
    call->sec.authz = NTSEC_RPC_AUTHZ_NONE;
    ntsec__rpc_server_has_auth(ep->server, NTSEC_RPC_AUTHN_WINNT, call->server_principal);
    return NTSEC_STATUS_SUCCESS;
}

/* Run the call the frame `body` holds on the endpoint's dispatcher. */
static ntsec_status serve(int fd, struct ntsec_rpc_endpoint *ep, const unsigned char *body,
                          uint32_t len, void **out, size_t *out_len)
{
    struct ntsec_rpc_call *call;
    struct call_head head;
    ntsec_status st;

    if (len < sizeof(head))
        return NTSEC_STATUS_INVALID_PARAMETER;
    memcpy(&head, body, sizeof(head));
    if (!(call = ntsec__zalloc(sizeof(*call))))
        return NTSEC_STATUS_NO_MEMORY;
    st = remote_security(fd, ep, head.imp_level, call);
    if (!ntsec_success(st)) {
        ntsec__free(call);
        return st;
    }
    call->opnum = head.opnum;
    call->in = body + sizeof(head);
    call->in_len = len - sizeof(head);
    ntsec__rpc_endpoint_get(ep);
    return ntsec__rpc_call_submit(call, ep, out, out_len);
}

/* The listener's callback: one call per connection. */
static void serve_call(int fd, const char *name, void *arg)
{
    unsigned char *body = NULL;
    uint32_t type = 0, len = 0;
    struct reply_head reply;
    void *out = NULL;
    size_t out_len = 0;
    ntsec_status st;

    (void)name;
    ntsec__transport_recv_timeout(fd, CALL_WAIT_MS);
    st = ntsec__transport_recv(fd, &type, &body, &len);
    if (ntsec_success(st)) {
        st = type == NTSEC__FRAME_CALL ? serve(fd, arg, body, len, &out, &out_len)
                                       : NTSEC_STATUS_INVALID_PARAMETER;
        if (ntsec_success(st) && out_len > NTSEC__FRAME_MAX - sizeof(reply))
            st = NTSEC_STATUS_NO_MEMORY;    /* an answer no frame can carry */
        reply.status = (uint32_t)st;
        ntsec__transport_send(fd, NTSEC__FRAME_REPLY, &reply, sizeof(reply), out,
                              ntsec_success(st) ? (uint32_t)out_len : 0);
    }
    ntsec__free(out);
    ntsec__free(body);
    close(fd);
}

static bool on_own_machine(const char *machine)
{
    char self[NTSEC__MACHINE_NAME_MAX + 1];

    ntsec__machine_self(self);
    return ntsec__machine_same(machine, self);
}

ntsec_status ntsec__rpc_listen_remote(struct ntsec_rpc_endpoint *ep)
{
    ntsec_status st;

    if (!ntsec__transport_enabled() || !on_own_machine(ep->machine))
        return NTSEC_STATUS_SUCCESS;
    st = ntsec__listener_start(NTSEC__TRANSPORT_NCALRPC, ep->name, serve_call, ep, &ep->listener);
    if (st == NTSEC_STATUS_OBJECT_NAME_COLLISION)
        return NTSEC_RPC_NT_DUPLICATE_ENDPOINT;
    if (st == NTSEC_STATUS_OBJECT_NAME_INVALID)
        return NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT;
    return st;
}

/* --- the client's side ---------------------------------------------------- */

/* The answer: its status, and its out bytes in a block of their own. */
static ntsec_status read_reply(int fd, void **out, size_t *out_len)
{
    unsigned char *body = NULL;
    uint32_t type = 0, len = 0;
    struct reply_head reply;
    void *copy = NULL;
    ntsec_status st = ntsec__transport_recv(fd, &type, &body, &len);

    if (st == NTSEC_STATUS_NO_MEMORY)
        return st;
    if (!ntsec_success(st) || type != NTSEC__FRAME_REPLY || len < sizeof(reply)) {
        ntsec__free(body);
        return NTSEC_RPC_NT_CALL_FAILED;            /* the server went away */
    }
    memcpy(&reply, body, sizeof(reply));
    st = (ntsec_status)reply.status;
    len -= sizeof(reply);
    if (ntsec_success(st) && len && !(copy = ntsec__alloc(len)))
        st = NTSEC_STATUS_NO_MEMORY;
    if (ntsec_success(st)) {
        if (len)
            memcpy(copy, body + sizeof(reply), len);
        *out = copy;
        *out_len = len;
    }
    ntsec__free(body);
    return st;
}

ntsec_status ntsec__rpc_call_remote(struct ntsec_rpc_binding *b, struct ntsec_thread *client,
                                    uint32_t opnum, const void *in, size_t in_len, void **out,
                                    size_t *out_len)
{
    struct call_head head = { .opnum = opnum };
    ntsec_status st;
    int fd = -1;

    if (!on_own_machine(ntsec_process_machine(ntsec_thread_process(client))))
        return NTSEC_RPC_NT_SERVER_UNAVAILABLE;
    if (in_len > NTSEC__FRAME_MAX - sizeof(head))
        return NTSEC_STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&b->lock);
    head.imp_level = b->auth.qos.impersonation_type;
    pthread_mutex_unlock(&b->lock);
    st = ntsec__transport_connect(NTSEC__TRANSPORT_NCALRPC, b->endpoint, &fd);
    if (st == NTSEC_STATUS_OBJECT_NAME_INVALID)
        return NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT;
    if (!ntsec_success(st))
        return st == NTSEC_STATUS_NO_MEMORY ? st : NTSEC_RPC_NT_SERVER_UNAVAILABLE;
    st = ntsec__transport_send(fd, NTSEC__FRAME_CALL, &head, sizeof(head), in, (uint32_t)in_len);
    st = ntsec_success(st) ? read_reply(fd, out, out_len) : NTSEC_RPC_NT_CALL_FAILED;
    close(fd);
    return st;
}

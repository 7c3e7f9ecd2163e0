/* pipe_remote.c - named pipes between OS processes: a server's pipe also
 * listens on its socket (sock_transport.c), and CreateFile of a pipe no
 * thread of this process serves opens it in the process listening there.
 *
 * The open carries what Windows' NtCreateFile carries to NPFS: the
 * desired access and the client's SECURITY_QUALITY_OF_SERVICE (level,
 * tracking, EffectiveOnly; CreateFileW's SECURITY_SQOS_PRESENT flags,
 * Microsoft docs). The client's IDENTITY does not travel: the server
 * builds the client's token from the kernel's record of the connection
 * (ntsec_peer_token: SO_PEERCRED, SO_PEERGROUPS), checks the pipe's DACL
 * for the asked access with it as NpCreateClientEnd does (ReactOS npfs
 * create.c, read for behaviour; "Named Pipe Security and Access Rights",
 * Microsoft docs: the open fails with ERROR_ACCESS_DENIED), and captures
 * the client's context from it at the requested level.
 *
 * ntsec's rule: across OS processes the context is captured once, at the
 * connect, whatever tracking the client asked - the kernel vouches for
 * the credentials of the connect(2) call only, not for a token an
 * emulated thread of the client later impersonates. Dynamic tracking
 * behaves as static there (docs/pipes.md, "Between OS processes"). */
#define _GNU_SOURCE
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "alloc.h"
#include "impersonate_policy.h"
#include "ntsec/peer.h"
#include "pipe.h"
#include "sock_transport.h"

/* The open (client -> server) and its answer, in host order. */
struct open_request {
    uint32_t desired;
    uint32_t has_qos;                       /* 0: NPFS' default QoS */
    uint32_t level, tracking, effective_only;
};

struct open_reply {
    uint32_t status;
    uint32_t granted;                       /* the client end's access */
    uint32_t type;                          /* NTSEC_PIPE_TYPE_* */
    uint32_t access;                        /* NTSEC_PIPE_ACCESS_* */
};

/* How long either side waits for the other's part of an open (ntsec's
 * choice): a client that connects and says nothing does not hold the
 * listener longer. */
#define OPEN_WAIT_MS 5000u

/* --- the server's side ---------------------------------------------------- */

static ntsec_status read_frame(int fd, uint32_t want, void *out, uint32_t size)
{
    unsigned char *body = NULL;
    uint32_t type = 0, len = 0;
    ntsec_status st;

    ntsec__transport_recv_timeout(fd, OPEN_WAIT_MS);
    st = ntsec__transport_recv(fd, &type, &body, &len);
    ntsec__transport_recv_timeout(fd, 0);
    if (ntsec_success(st) && (type != want || len != size))
        st = NTSEC_STATUS_INVALID_PARAMETER;
    if (ntsec_success(st))
        memcpy(out, body, size);
    ntsec__free(body);
    return st;
}

static ntsec_status request_qos(const struct open_request *rq, struct ntsec_sqos *q)
{
    if (!rq->has_qos) {
        *q = ntsec__pipe_default_qos;
        return NTSEC_STATUS_SUCCESS;
    }
    *q = (struct ntsec_sqos){ sizeof(struct ntsec_sqos), (enum ntsec_impersonation_level)rq->level,
                              (uint8_t)rq->tracking, (uint8_t)(rq->effective_only != 0) };
    return ntsec__sqos_validate(q->length, rq->level, rq->tracking, rq->effective_only);
}

/* Under the lock: the remote client takes the instance listening longest
 * (NpCreateClientEnd; pipe.c does the same for a local client). The pipe
 * must still be the one whose descriptor was checked. */
static ntsec_status connect_remote(const char *name, const struct ntsec__sd_blob *seen,
                                   const struct ntsec_sqos *q, struct ntsec_client_context *ctx,
                                   uint32_t pid, struct ntsec__pipe_link *link)
{
    struct ntsec__sd_blob *sd;
    struct ntsec__pipe *p = ntsec__pipe_find(name, &sd);
    struct ntsec__pipe_instance *i;

    ntsec__sd_blob_put(sd);
    if (!p || sd != seen || !p->server_ends)
        return NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    i = ntsec__pipe_oldest_listener(p);
    if (!i)
        return NTSEC_STATUS_PIPE_NOT_AVAILABLE;
    i->qos = *q;
    i->client = *ctx;
    ctx->client_token = NULL;
    i->mode[PIPE_END_CLIENT] = 0;
    i->client_pid = pid;                    /* the peer's OS process id */
    i->state = PIPE_CONNECTED;
    i->connects++;
    ntsec__pipe_link_attach(link, i);
    pthread_cond_broadcast(&i->cond);
    return NTSEC_STATUS_SUCCESS;
}

/* Everything decided before the instance is touched: the request, the
 * peer's token, the access, the client's context. */
struct open_check {
    struct ntsec_sqos qos;
    struct ntsec_client_context ctx;
    struct ntsec__sd_blob *seen;
    uint32_t pid;
};

static ntsec_status check_open(int fd, const char *name, const struct open_request *rq,
                               struct open_check *c, struct open_reply *rp)
{
    struct ntsec_token *peer = NULL;
    struct ntsec__pipe *p;
    ntsec_status st = request_qos(rq, &c->qos);

    if (ntsec_success(st))
        st = ntsec_peer_token(fd, &peer, &c->pid);
    if (!ntsec_success(st))
        return st;
    pthread_mutex_lock(&ntsec__pipe_lock);
    p = ntsec__pipe_find(name, &c->seen);
    if (p) {
        rp->access = p->access;
        rp->type = p->type;
    }
    st = p && p->server_ends ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    pthread_mutex_unlock(&ntsec__pipe_lock);
    if (ntsec_success(st))
        st = ntsec__pipe_open_access(c->seen, rp->access, rq->desired, peer, &rp->granted);
    if (ntsec_success(st)) {
        /* A client that may neither read nor write is given no context
         * of its own (pipe.c), and the capture is once (ntsec's rule). */
        if (!(rp->granted & (NTSEC_FILE_READ_DATA | NTSEC_FILE_WRITE_DATA)))
            c->qos = ntsec__pipe_default_qos;
        c->qos.context_tracking_mode = NTSEC_SECURITY_STATIC_TRACKING;
        st = ntsec_client_context_create_from_subject(NULL, NTSEC_SECURITY_ANONYMOUS, peer, &c->qos,
                                                      false, &c->ctx);
    }
    ntsec_token_put(peer);
    return st;
}

/* The listener's callback: one client's open. */
static void serve_open(int fd, const char *name, void *arg)
{
    struct open_request rq;
    struct open_reply rp = { 0 };
    struct open_check c = { 0 };
    struct ntsec__pipe_link *link = NULL;
    ntsec_status st = read_frame(fd, NTSEC__FRAME_OPEN, &rq, sizeof(rq));

    (void)arg;
    if (st == NTSEC_STATUS_PIPE_BROKEN || st == NTSEC_STATUS_IO_TIMEOUT) {
        close(fd);                          /* gone, or silent: nobody to answer */
        return;
    }
    if (ntsec_success(st))
        st = check_open(fd, name, &rq, &c, &rp);
    if (ntsec_success(st))
        st = ntsec__pipe_link_new(fd, PIPE_END_SERVER, &link);
    /* Once attached, the link is the instance's: a close of the server
     * end may end it at any time, so this thread keeps its own reference
     * until it has sent the answer. No write of the server may overtake
     * the answer. */
    if (link) {
        ntsec__pipe_link_get(link);
        ntsec__pipe_link_lock_send(link);
    }
    if (ntsec_success(st)) {
        pthread_mutex_lock(&ntsec__pipe_lock);
        st = connect_remote(name, c.seen, &c.qos, &c.ctx, c.pid, link);
        pthread_mutex_unlock(&ntsec__pipe_lock);
    }
    rp.status = (uint32_t)st;
    if (!ntsec_success(st))
        rp.granted = 0;
    if (link) {
        ntsec__pipe_link_send_locked(link, NTSEC__FRAME_OPENED, &rp, sizeof(rp));
        ntsec__pipe_link_unlock_send(link);
        if (!ntsec_success(st))
            ntsec__pipe_link_close(link, false);
        ntsec__pipe_link_put(link);
    } else {
        ntsec__transport_send(fd, NTSEC__FRAME_OPENED, NULL, 0, &rp, sizeof(rp));
        close(fd);
    }
    ntsec_client_context_delete(&c.ctx);
    ntsec__sd_blob_put(c.seen);
}

ntsec_status ntsec__pipe_listen_remote(struct ntsec__pipe *p)
{
    ntsec_status st;

    if (!ntsec__transport_enabled())
        return NTSEC_STATUS_SUCCESS;
    st = ntsec__listener_start(NTSEC__TRANSPORT_PIPE, p->name, serve_open, NULL, &p->listener);
    /* Instances of one pipe cannot span OS processes (ntsec's choice: the
     * other process' descriptor cannot be checked for
     * FILE_CREATE_PIPE_INSTANCE here). */
    return st == NTSEC_STATUS_OBJECT_NAME_COLLISION ? NTSEC_STATUS_ACCESS_DENIED : st;
}

/* --- the client's side ---------------------------------------------------- */

/* The server's OS process id, as the kernel recorded it at listen(2). */
static uint32_t server_pid_of(int fd)
{
    struct ucred uc = { 0 };
    socklen_t len = sizeof(uc);

    return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 ? (uint32_t)uc.pid : 0;
}

/* A proxy pipe outside the namespace, one instance, connected: the
 * client end is local, the server end is the link. */
static ntsec_status make_proxy(int fd, const char *name, const struct open_reply *rp,
                               uint32_t attributes, ntsec_handle *out)
{
    struct ntsec_thread *t = ntsec_thread_current();
    size_t len = strlen(name);
    struct ntsec__pipe *p = ntsec__zalloc(sizeof(*p));
    struct ntsec__pipe_instance *i = ntsec__pipe_instance_new();
    struct ntsec_pipe_end *e = ntsec__pipe_end_new(PIPE_END_CLIENT);
    struct ntsec__pipe_link *link = NULL;
    ntsec_handle h = 0;
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;

    if (p)
        p->name = ntsec__alloc(len + 1);
    if (t && p && p->name && i && e)
        st = ntsec_handle_create(e, rp->granted, attributes, &h);
    if (ntsec_success(st))
        st = ntsec__pipe_link_new(fd, PIPE_END_CLIENT, &link);
    if (!ntsec_success(st)) {
        if (h)
            ntsec_handle_close(h);
        if (e)
            ntsec_object_put(e);
        ntsec__pipe_instance_free(i);
        if (p)
            ntsec__free(p->name);
        ntsec__free(p);
        return st;
    }
    memcpy(p->name, name, len + 1);
    p->proxy = true;
    p->type = rp->type & NTSEC_PIPE_TYPE_MESSAGE;
    p->access = rp->access & NTSEC_PIPE_ACCESS_DUPLEX;
    p->max_instances = 1;
    i->qos = ntsec__pipe_default_qos;       /* no capture here: the server has the context */
    i->qos.context_tracking_mode = NTSEC_SECURITY_STATIC_TRACKING;
    i->client_pid = ntsec_process_id(ntsec_thread_process(t));
    i->server_pid = server_pid_of(fd);
    pthread_mutex_lock(&ntsec__pipe_lock);
    i->pipe = p;
    p->list = i;
    p->instances = 1;
    i->refs = 1;
    i->ends[PIPE_END_CLIENT] = e;
    e->inst = i;
    i->state = PIPE_CONNECTED;
    i->connects = 1;
    ntsec__pipe_link_attach(link, i);
    pthread_mutex_unlock(&ntsec__pipe_lock);
    ntsec_object_put(e);
    *out = h;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec__pipe_open_remote(const char *name, uint32_t desired,
                                     const struct ntsec_sqos *qos, uint32_t attributes,
                                     ntsec_handle *out)
{
    struct open_request rq = { .desired = desired };
    struct open_reply rp;
    ntsec_status st;
    int fd = -1;

    if (!ntsec__transport_enabled())
        return NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;
    if (qos)
        rq = (struct open_request){ desired, 1, qos->level, qos->context_tracking_mode,
                                    qos->effective_only };
    st = ntsec__transport_connect(NTSEC__TRANSPORT_PIPE, name, &fd);
    if (!ntsec_success(st))
        return st;
    st = ntsec__transport_send(fd, NTSEC__FRAME_OPEN, NULL, 0, &rq, sizeof(rq));
    if (ntsec_success(st))
        st = read_frame(fd, NTSEC__FRAME_OPENED, &rp, sizeof(rp));
    if (ntsec_success(st))
        st = rp.status == NTSEC_STATUS_SUCCESS || !ntsec_success((ntsec_status)rp.status)
                 ? (ntsec_status)rp.status : NTSEC_STATUS_UNSUCCESSFUL;
    else if (st != NTSEC_STATUS_NO_MEMORY)
        st = NTSEC_STATUS_OBJECT_NAME_NOT_FOUND;  /* the listener went away meanwhile */
    if (ntsec_success(st))
        st = make_proxy(fd, name, &rp, attributes, out);
    if (!ntsec_success(st))
        close(fd);
    return st;
}

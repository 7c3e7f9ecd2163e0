/* pipe_link.c - one pipe instance's messages to and from the end that
 * lives in another OS process, over a connected Unix socket
 * (sock_transport.c frames).
 *
 * A write by the local end is sent at once, by the writing thread, one
 * frame per message (so message boundaries survive); a reader thread
 * delivers what the other process sends into the local end's queue, as a
 * local writer would. The other end closing is the end of the stream:
 * the instance is then closing, as when a local end closes (NpSetClosingPipeState,
 * ReactOS statesup.c, read for behaviour): the local end reads what is
 * left, then STATUS_PIPE_BROKEN, and its writes get STATUS_PIPE_CLOSING.
 * A server's DisconnectNamedPipe sends a DISCONNECT frame first, so that
 * the client end sees STATUS_PIPE_DISCONNECTED and loses its unread data,
 * as a local client end does (Wine's test_DisconnectNamedPipe, Windows
 * results). Nothing here ever reads an identity from the stream. */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "alloc.h"
#include "pipe.h"
#include "sock_transport.h"

struct ntsec__pipe_link {
    _Atomic uint32_t refs;
    int fd;
    int local_end;                          /* PIPE_END_*: the end in this process */
    pthread_t reader;
    pthread_mutex_t send_lock;              /* one frame at a time */
    /* Under ntsec__pipe_lock: */
    struct ntsec__pipe_instance *inst;      /* NULL: not (or no longer) attached */
    bool peer_gone;                         /* the stream ended */
};

struct ntsec__pipe_link *ntsec__pipe_link_get(struct ntsec__pipe_link *l)
{
    atomic_fetch_add_explicit(&l->refs, 1, memory_order_relaxed);
    return l;
}

void ntsec__pipe_link_put(struct ntsec__pipe_link *l)
{
    if (atomic_fetch_sub_explicit(&l->refs, 1, memory_order_acq_rel) != 1)
        return;
    close(l->fd);
    pthread_mutex_destroy(&l->send_lock);
    ntsec__free(l);
}

/* Under the lock: the other process' end is gone. */
static void peer_closed(struct ntsec__pipe_instance *i)
{
    if (i->state == PIPE_CONNECTED)
        i->state = PIPE_CLOSING;
    pthread_cond_broadcast(&i->cond);
}

/* Under the lock, on a client's proxy instance: the server disconnected
 * it - its unread data goes, every call then answers
 * STATUS_PIPE_DISCONNECTED (NpSetDisconnectedPipeState). */
static void peer_disconnected(struct ntsec__pipe_instance *i)
{
    ntsec__pipe_queue_clear(&i->queue[PIPE_END_CLIENT]);
    i->state = PIPE_DISCONNECTED;
    pthread_cond_broadcast(&i->cond);
}

/* Under the lock: one frame from the other process. */
static void received(struct ntsec__pipe_link *l, struct ntsec__pipe_instance *i, uint32_t type,
                     const unsigned char *body, uint32_t len)
{
    struct ntsec__pipe_msg *m;

    if (type == NTSEC__FRAME_DISCONNECT && l->local_end == PIPE_END_CLIENT) {
        peer_disconnected(i);
        return;
    }
    if (type != NTSEC__FRAME_DATA || i->state != PIPE_CONNECTED)
        return;
    m = ntsec__zalloc(sizeof(*m) + len);
    if (!m)
        return;             /* the message is lost, as a failed write would be */
    m->size = len;
    if (len)
        memcpy(m->data, body, len);
    ntsec__pipe_deliver(i, l->local_end, m);
}

static void *reader_main(void *arg)
{
    struct ntsec__pipe_link *l = arg;

    for (;;) {
        unsigned char *body = NULL;
        uint32_t type = 0, len = 0;
        ntsec_status st = ntsec__transport_recv(l->fd, &type, &body, &len);
        bool end = !ntsec_success(st);

        pthread_mutex_lock(&ntsec__pipe_lock);
        if (end) {
            l->peer_gone = true;
            if (l->inst)
                peer_closed(l->inst);
        } else if (l->inst) {
            received(l, l->inst, type, body, len);
        }
        pthread_mutex_unlock(&ntsec__pipe_lock);
        ntsec__free(body);
        if (end)
            return NULL;
    }
}

ntsec_status ntsec__pipe_link_new(int fd, int local_end, struct ntsec__pipe_link **out)
{
    struct ntsec__pipe_link *l = ntsec__zalloc(sizeof(*l));

    if (!l)
        return NTSEC_STATUS_NO_MEMORY;
    atomic_init(&l->refs, 1);
    l->fd = fd;
    l->local_end = local_end;
    pthread_mutex_init(&l->send_lock, NULL);
    if (pthread_create(&l->reader, NULL, reader_main, l)) {
        pthread_mutex_destroy(&l->send_lock);
        ntsec__free(l);
        return NTSEC_STATUS_INSUFFICIENT_RESOURCES;
    }
    *out = l;
    return NTSEC_STATUS_SUCCESS;
}

void ntsec__pipe_link_attach(struct ntsec__pipe_link *l, struct ntsec__pipe_instance *i)
{
    l->inst = i;
    i->link = l;
    ntsec__pipe_instance_pin(i);
    if (l->peer_gone)
        peer_closed(i);
}

struct ntsec__pipe_link *ntsec__pipe_link_detach(struct ntsec__pipe_instance *i)
{
    struct ntsec__pipe_link *l = i->link;

    if (!l)
        return NULL;
    i->link = NULL;
    l->inst = NULL;
    ntsec__pipe_instance_unpin(i);          /* never the last: see pipe.h */
    return l;
}

/* shutdown(2) ends the stream both ways: the other process reads what
 * was sent, then the end; the reader here wakes with the end too. */
void ntsec__pipe_link_close(struct ntsec__pipe_link *l, bool disconnect)
{
    /* The DISCONNECT frame is best effort and never waits: with a write
     * in flight, or the client's socket full, the client sees the end
     * of the stream (closing) instead. shutdown(2) also ends a write
     * blocked on a full socket. */
    if (disconnect && pthread_mutex_trylock(&l->send_lock) == 0) {
        uint32_t words[2] = { NTSEC__FRAME_DISCONNECT, 0 };

        (void)!send(l->fd, words, sizeof(words), MSG_DONTWAIT | MSG_NOSIGNAL);
        pthread_mutex_unlock(&l->send_lock);
    }
    shutdown(l->fd, SHUT_RDWR);
    pthread_join(l->reader, NULL);
    ntsec__pipe_link_put(l);
}

ntsec_status ntsec__pipe_link_write(struct ntsec__pipe_link *l, const void *buf, uint32_t size)
{
    ntsec_status st;

    pthread_mutex_lock(&l->send_lock);
    st = ntsec__transport_send(l->fd, NTSEC__FRAME_DATA, NULL, 0, buf, size);
    pthread_mutex_unlock(&l->send_lock);
    if (st == NTSEC_STATUS_PIPE_BROKEN)
        return NTSEC_STATUS_PIPE_CLOSING;   /* the other end closed: ERROR_NO_DATA */
    return st;
}

void ntsec__pipe_link_lock_send(struct ntsec__pipe_link *l)
{
    pthread_mutex_lock(&l->send_lock);
}

void ntsec__pipe_link_unlock_send(struct ntsec__pipe_link *l)
{
    pthread_mutex_unlock(&l->send_lock);
}

ntsec_status ntsec__pipe_link_send_locked(struct ntsec__pipe_link *l, uint32_t type,
                                          const void *body, uint32_t len)
{
    return ntsec__transport_send(l->fd, type, NULL, 0, body, len);
}

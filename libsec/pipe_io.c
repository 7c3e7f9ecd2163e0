/* pipe_io.c - the data of a pipe instance: ReadFile, WriteFile and
 * PeekNamedPipe on either end, the two message queues, and the client
 * context a message carries under dynamic tracking.
 *
 * Every write is kept as one message. A message-type pipe read in
 * message mode hands out one message per read (ERROR_MORE_DATA and the
 * rest kept when the buffer is short); byte read mode runs messages
 * together. Sources: Microsoft docs ("Named Pipe Type, Read, and Wait
 * Modes", ReadFile, PeekNamedPipe), the results Wine's
 * dlls/kernel32/tests/pipe.c asserts on Windows (test_CreateNamedPipe,
 * test_CloseHandle, test_DisconnectNamedPipe, test_ReadFile), and ReactOS'
 * NPFS (read.c, write.c, secursup.c) for behaviour. */
#include <string.h>

#include "alloc.h"
#include "pipe.h"

void ntsec__pipe_queue_init(struct ntsec__pipe_queue *q)
{
    q->head = NULL;
    q->tail = &q->head;
}

static void msg_free(struct ntsec__pipe_msg *m)
{
    ntsec_client_context_delete(&m->ctx);
    ntsec__free(m);
}

void ntsec__pipe_queue_clear(struct ntsec__pipe_queue *q)
{
    while (q->head) {
        struct ntsec__pipe_msg *m = q->head;

        q->head = m->next;
        msg_free(m);
    }
    q->tail = &q->head;
}

void ntsec__pipe_deliver(struct ntsec__pipe_instance *i, int end, struct ntsec__pipe_msg *msg)
{
    struct ntsec__pipe_queue *q = &i->queue[end];

    msg->next = NULL;
    *q->tail = msg;
    q->tail = &msg->next;
    pthread_cond_broadcast(&i->cond);
}

static void pop(struct ntsec__pipe_queue *q)
{
    struct ntsec__pipe_msg *m = q->head;

    q->head = m->next;
    if (!q->head)
        q->tail = &q->head;
    msg_free(m);
}

/* NpCopyClientContext: the server reading a message takes over the
 * context it carries, which ImpersonateNamedPipeClient then uses ("the
 * security context of the last message read from the pipe", Microsoft
 * docs, ImpersonateNamedPipeClient). */
static void adopt_context(struct ntsec__pipe_instance *i, int end, struct ntsec__pipe_msg *m)
{
    if (end != PIPE_END_SERVER || !m->ctx.client_token)
        return;
    ntsec_client_context_delete(&i->client);
    i->client = m->ctx;
    m->ctx.client_token = NULL;
}

/* Copy from the head of `end`'s queue. Message read mode: one message,
 * *overflow when it did not fit (the rest stays first in the queue; Wine:
 * a second thread can read it). Byte read mode: messages run together up
 * to `size`, but a zero-length message is a read of its own (Wine's
 * test_blocking_rw: "we still have an empty message in queue"), and
 * `size` 0 takes nothing. */
static uint32_t take(struct ntsec__pipe_instance *i, int end, unsigned char *buf, uint32_t size,
                     bool message_mode, bool *overflow)
{
    struct ntsec__pipe_queue *q = &i->queue[end];
    uint32_t done = 0;

    *overflow = false;
    if (q->head->size == 0) {
        adopt_context(i, end, q->head);
        pop(q);
        return 0;
    }
    while (q->head && q->head->size && done < size) {
        struct ntsec__pipe_msg *m = q->head;
        uint32_t n = m->size - m->offset;

        if (n > size - done)
            n = size - done;
        memcpy(buf + done, m->data + m->offset, n);
        done += n;
        m->offset += n;
        adopt_context(i, end, m);
        if (m->offset == m->size)
            pop(q);
        if (message_mode)
            break;
    }
    if (message_mode && q->head && q->head->offset)
        *overflow = true;
    else if (message_mode && size == 0)
        *overflow = true;               /* Wine: a zero-byte read of a message, >= Win 8 */
    return done;
}

/* Why an end cannot read or write now, by the instance's state (NPFS'
 * NpCommonRead / NpCommonWrite; Wine's test_DisconnectNamedPipe and
 * test_CloseHandle): not yet connected STATUS_PIPE_LISTENING, disconnected
 * STATUS_PIPE_DISCONNECTED (also for a client end the server dropped). */
static ntsec_status state_status(const struct ntsec__pipe_instance *i)
{
    if (!i || i->state == PIPE_DISCONNECTED)
        return NTSEC_STATUS_PIPE_DISCONNECTED;
    if (i->state == PIPE_LISTENING)
        return NTSEC_STATUS_PIPE_LISTENING;
    return NTSEC_STATUS_SUCCESS;
}

/* The read itself, under the lock. With nothing queued: the other end
 * closed - STATUS_PIPE_BROKEN (Wine: ERROR_BROKEN_PIPE once the data is
 * read); PIPE_NOWAIT - STATUS_PIPE_EMPTY (Wine's test_nowait:
 * ERROR_NO_DATA); else wait, the instance pinned, for data or a change
 * of state. *dead says the instance died while waited on. */
static ntsec_status read_locked(struct ntsec_pipe_end *e, unsigned char *buf, uint32_t size,
                                uint32_t *done, struct ntsec__pipe_instance **dead)
{
    for (;;) {
        struct ntsec__pipe_instance *i = e->inst;
        ntsec_status st = state_status(i);
        bool overflow;

        if (!ntsec_success(st))
            return st;
        if (i->queue[e->end].head) {
            *done = take(i, e->end, buf, size,
                         (i->mode[e->end] & NTSEC_PIPE_READMODE_MESSAGE) != 0, &overflow);
            return overflow ? NTSEC_STATUS_BUFFER_OVERFLOW : NTSEC_STATUS_SUCCESS;
        }
        if (i->state == PIPE_CLOSING)
            return NTSEC_STATUS_PIPE_BROKEN;
        if (i->mode[e->end] & NTSEC_PIPE_NOWAIT)
            return NTSEC_STATUS_PIPE_EMPTY;
        ntsec__pipe_instance_pin(i);
        pthread_cond_wait(&i->cond, &ntsec__pipe_lock);
        if (ntsec__pipe_instance_unpin(i)) {
            *dead = i;
            return NTSEC_STATUS_PIPE_DISCONNECTED;
        }
    }
}

ntsec_status ntsec_pipe_read(ntsec_handle pipe, void *buf, uint32_t size, uint32_t *done)
{
    struct ntsec__pipe_instance *dead = NULL;
    struct ntsec_pipe_end *e;
    uint32_t n = 0;
    ntsec_status st = ntsec__pipe_end_ref(pipe, NTSEC_FILE_READ_DATA, &e);

    if (!ntsec_success(st))
        return st;
    if (!buf && size) {
        ntsec_object_put(e);
        return NTSEC_STATUS_ACCESS_VIOLATION;
    }
    pthread_mutex_lock(&ntsec__pipe_lock);
    st = read_locked(e, buf, size, &n, &dead);
    pthread_mutex_unlock(&ntsec__pipe_lock);
    ntsec__pipe_instance_free(dead);
    ntsec_object_put(e);
    if ((ntsec_success(st) || st == NTSEC_STATUS_BUFFER_OVERFLOW) && done)
        *done = n;
    return st;
}

/* A client's write under dynamic tracking carries the client's context
 * as of this write (NpGetClientSecurityContext captures one per write;
 * ntsec refreshes the last capture, which costs nothing while the
 * client keeps the same token). Its failure fails the write. */
static ntsec_status capture(struct ntsec__pipe_instance *i, struct ntsec_client_context *out)
{
    struct ntsec_thread *t = ntsec_thread_current();
    ntsec_status st;
    bool changed;

    if (!t)
        return NTSEC_STATUS_NO_MEMORY;
    if (i->writer.client_token)
        st = ntsec_client_context_refresh(&i->writer, t, &changed);
    else
        st = ntsec_client_context_create(t, &i->qos, false, &i->writer);
    if (!ntsec_success(st))
        return st;
    *out = i->writer;
    ntsec_token_get(out->client_token);
    return NTSEC_STATUS_SUCCESS;
}

/* A write needs a connected instance: the other end gone is
 * STATUS_PIPE_CLOSING (Wine's test_CloseHandle: ERROR_NO_DATA). A
 * zero-length write on a byte-type pipe queues nothing; on a
 * message-type pipe it is an empty message (Wine's test_CloseHandle). */
static ntsec_status write_locked(struct ntsec_pipe_end *e, struct ntsec__pipe_msg **msg,
                                 struct ntsec__pipe_link **remote)
{
    struct ntsec__pipe_instance *i = e->inst;
    ntsec_status st = state_status(i);

    if (!ntsec_success(st))
        return st;
    if (i->state == PIPE_CLOSING)
        return NTSEC_STATUS_PIPE_CLOSING;
    if (!(*msg)->size && i->pipe->type != NTSEC_PIPE_TYPE_MESSAGE)
        return NTSEC_STATUS_SUCCESS;
    if (i->link) {
        /* The other end is in another process: the message goes to the
         * socket, after the lock is released. */
        *remote = ntsec__pipe_link_get(i->link);
        return NTSEC_STATUS_SUCCESS;
    }
    if (e->end == PIPE_END_CLIENT && i->qos.context_tracking_mode == NTSEC_SECURITY_DYNAMIC_TRACKING) {
        st = capture(i, &(*msg)->ctx);
        if (!ntsec_success(st))
            return st;
    }
    ntsec__pipe_deliver(i, !e->end, *msg);
    *msg = NULL;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_pipe_write(ntsec_handle pipe, const void *buf, uint32_t size, uint32_t *done)
{
    struct ntsec__pipe_link *remote = NULL;
    struct ntsec__pipe_msg *msg;
    struct ntsec_pipe_end *e;
    ntsec_status st = ntsec__pipe_end_ref(pipe, NTSEC_FILE_WRITE_DATA, &e);

    if (!ntsec_success(st))
        return st;
    if (!buf && size) {
        ntsec_object_put(e);
        return NTSEC_STATUS_ACCESS_VIOLATION;
    }
    msg = ntsec__zalloc(sizeof(*msg) + size);
    if (!msg) {
        ntsec_object_put(e);
        return NTSEC_STATUS_NO_MEMORY;
    }
    msg->size = size;
    if (size)
        memcpy(msg->data, buf, size);
    pthread_mutex_lock(&ntsec__pipe_lock);
    st = write_locked(e, &msg, &remote);
    pthread_mutex_unlock(&ntsec__pipe_lock);
    if (remote) {
        st = ntsec__pipe_link_write(remote, msg->data, size);
        ntsec__pipe_link_put(remote);
    }
    if (msg)
        msg_free(msg);
    ntsec_object_put(e);
    if (ntsec_success(st) && done)
        *done = size;
    return st;
}

/* What PeekNamedPipe sees, under the lock. A server end not connected is
 * STATUS_INVALID_PIPE_STATE (Wine: ERROR_BAD_PIPE when listening and
 * after a disconnect), a client end the server dropped
 * STATUS_PIPE_DISCONNECTED, an empty pipe whose other end closed
 * STATUS_PIPE_BROKEN. A message-type pipe shows its first message only. */
static ntsec_status peek_locked(struct ntsec_pipe_end *e, unsigned char *buf, uint32_t size,
                                struct ntsec_pipe_peek *out)
{
    struct ntsec__pipe_instance *i = e->inst;
    struct ntsec_pipe_peek p = { 0 };
    const struct ntsec__pipe_msg *m;
    bool message_type;

    if (!i || ntsec__pipe_client_dropped(e))
        return NTSEC_STATUS_PIPE_DISCONNECTED;
    if (i->state == PIPE_LISTENING || i->state == PIPE_DISCONNECTED)
        return NTSEC_STATUS_INVALID_PIPE_STATE;
    m = i->queue[e->end].head;
    if (!m && i->state == PIPE_CLOSING)
        return NTSEC_STATUS_PIPE_BROKEN;
    message_type = i->pipe->type == NTSEC_PIPE_TYPE_MESSAGE;
    if (m && message_type)
        p.message_length = m->size - m->offset;
    for (; m; m = m->next) {
        uint32_t n = m->size - m->offset;

        p.available += n;
        if (p.read < size && (!message_type || m == i->queue[e->end].head)) {
            uint32_t c = n < size - p.read ? n : size - p.read;

            memcpy(buf + p.read, m->data + m->offset, c);
            p.read += c;
        }
    }
    *out = p;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_pipe_peek(ntsec_handle pipe, void *buf, uint32_t size,
                             struct ntsec_pipe_peek *out)
{
    struct ntsec_pipe_peek p;
    struct ntsec_pipe_end *e;
    ntsec_status st = ntsec__pipe_end_ref(pipe, NTSEC_FILE_READ_DATA, &e);

    if (!ntsec_success(st))
        return st;
    if (!out || (!buf && size)) {
        ntsec_object_put(e);
        return out ? NTSEC_STATUS_ACCESS_VIOLATION : NTSEC_STATUS_INVALID_PARAMETER;
    }
    pthread_mutex_lock(&ntsec__pipe_lock);
    st = peek_locked(e, buf, size, &p);
    pthread_mutex_unlock(&ntsec__pipe_lock);
    ntsec_object_put(e);
    if (ntsec_success(st))
        *out = p;
    return st;
}

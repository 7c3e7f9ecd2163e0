/* pipe_state.c - what a server does with an instance it holds:
 * ConnectNamedPipe, DisconnectNamedPipe, ImpersonateNamedPipeClient, the
 * process ids of both ends, and each end's read and completion mode.
 *
 * The state machine is NPFS' (ReactOS drivers/filesystems/npfs/statesup.c,
 * read for behaviour), checked against what Wine's
 * dlls/kernel32/tests/pipe.c asserts on Windows. */
#include "pipe.h"

/* FSCTL_PIPE_LISTEN, FSCTL_PIPE_DISCONNECT and FSCTL_PIPE_IMPERSONATE are
 * the server's: on a client end they are STATUS_ILLEGAL_FUNCTION (Wine's
 * test_CreateNamedPipe: ConnectNamedPipe on the client is
 * ERROR_INVALID_FUNCTION). */
static ntsec_status server_end(ntsec_handle pipe, struct ntsec_pipe_end **out)
{
    ntsec_status st = ntsec__pipe_end_ref(pipe, 0, out);

    if (ntsec_success(st) && (*out)->end != PIPE_END_SERVER) {
        ntsec_object_put(*out);
        st = NTSEC_STATUS_ILLEGAL_FUNCTION;
    }
    return st;
}

/* NpSetListeningPipeState: a connected instance is STATUS_PIPE_CONNECTED
 * (ERROR_PIPE_CONNECTED: a client came before the call), a closing one
 * STATUS_PIPE_CLOSING (Wine's test_nowait: ERROR_NO_DATA), a disconnected
 * one listens again (waking WaitNamedPipe); a listening one waits for a
 * client, or in PIPE_NOWAIT mode returns STATUS_PIPE_LISTENING. The wait
 * ends with success when a client connects, even one gone since, and
 * with STATUS_PIPE_DISCONNECTED when DisconnectNamedPipe cancels it
 * (NpSetDisconnectedPipeState). */
static ntsec_status listen_locked(struct ntsec__pipe_instance *i)
{
    uint64_t connects = i->connects;
    ntsec_status st;

    switch (i->state) {
    case PIPE_CONNECTED:
        return NTSEC_STATUS_PIPE_CONNECTED;
    case PIPE_CLOSING:
        return NTSEC_STATUS_PIPE_CLOSING;
    case PIPE_DISCONNECTED:
        ntsec__pipe_set_listening(i);
        break;
    case PIPE_LISTENING:
        break;
    }
    if (i->mode[PIPE_END_SERVER] & NTSEC_PIPE_NOWAIT)
        return NTSEC_STATUS_PIPE_LISTENING;
    /* Pinned as a reader is, though the server end holds the instance:
     * the count then shows a listener waits (tests/test_pipe.c). */
    ntsec__pipe_instance_pin(i);
    while (i->connects == connects && i->state == PIPE_LISTENING)
        pthread_cond_wait(&i->cond, &ntsec__pipe_lock);
    st = i->connects != connects ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_PIPE_DISCONNECTED;
    ntsec__pipe_instance_unpin(i);          /* never the last: the server end holds one */
    return st;
}

ntsec_status ntsec_pipe_listen(ntsec_handle pipe)
{
    struct ntsec_pipe_end *e;
    ntsec_status st = server_end(pipe, &e);

    if (!ntsec_success(st))
        return st;
    pthread_mutex_lock(&ntsec__pipe_lock);
    st = listen_locked(e->inst);
    pthread_mutex_unlock(&ntsec__pipe_lock);
    ntsec_object_put(e);
    return st;
}

/* NpSetDisconnectedPipeState: a disconnected instance is
 * STATUS_PIPE_DISCONNECTED (Wine's test_DisconnectNamedPipe: "worked
 * twice" fails with ERROR_PIPE_NOT_CONNECTED); a listening one stops
 * listening; a connected or closing one loses its client, the data both
 * ways and the client's context (the client end then sees
 * ERROR_PIPE_NOT_CONNECTED, even with bytes waiting). */
ntsec_status ntsec_pipe_disconnect(ntsec_handle pipe)
{
    struct ntsec_pipe_end *e;
    struct ntsec__pipe_instance *i;
    struct ntsec__pipe_link *link = NULL;
    ntsec_status st = server_end(pipe, &e);

    if (!ntsec_success(st))
        return st;
    pthread_mutex_lock(&ntsec__pipe_lock);
    i = e->inst;
    if (i->state == PIPE_DISCONNECTED) {
        st = NTSEC_STATUS_PIPE_DISCONNECTED;
    } else {
        ntsec__pipe_drop_client(i, true);
        link = ntsec__pipe_link_detach(i);      /* a client in another process */
    }
    pthread_mutex_unlock(&ntsec__pipe_lock);
    if (link)
        ntsec__pipe_link_close(link, true);
    ntsec_object_put(e);
    return st;
}

/* NpImpersonateClientContext: the instance's client context through
 * SeImpersonateClientEx on the calling thread; none is
 * STATUS_CANNOT_IMPERSONATE. There is none before a client connects,
 * after a disconnect, and - under dynamic tracking, where each write
 * captures one and the server's read of it installs it - until the
 * server has read a message: the documented text of
 * ERROR_CANNOT_IMPERSONATE, "Unable to impersonate using a named pipe
 * until data has been read from that pipe" (Microsoft docs, System Error
 * Codes 1300-1699), and Wine's test_ImpersonateNamedPipeClient, where a
 * call before any read fails so on Windows. A client that closed its end
 * leaves its context (Wine: the server impersonates after the client
 * thread ended). The copy keeps the token alive once the lock is
 * released; SeTokenCanImpersonate applies in ntsec_thread_impersonate. */
ntsec_status ntsec_pipe_impersonate_client(ntsec_handle pipe)
{
    struct ntsec_client_context ctx = { 0 };
    struct ntsec_pipe_end *e;
    ntsec_status st = server_end(pipe, &e);

    if (!ntsec_success(st))
        return st;
    pthread_mutex_lock(&ntsec__pipe_lock);
    if (e->inst->client.client_token) {
        ctx = e->inst->client;
        ntsec_token_get(ctx.client_token);
    }
    pthread_mutex_unlock(&ntsec__pipe_lock);
    ntsec_object_put(e);
    if (!ctx.client_token)
        return NTSEC_STATUS_CANNOT_IMPERSONATE;
    st = ntsec_client_context_impersonate(&ctx, NULL);
    ntsec_client_context_delete(&ctx);
    return st;
}

/* GetNamedPipeClientProcessId / GetNamedPipeServerProcessId (Microsoft
 * docs; Wine's test_namedpipe_process_id on Windows): both ends answer
 * while connected, and after the other end closed; a disconnected server
 * has no client (ERROR_NOT_FOUND) and a disconnected client end answers
 * ERROR_PIPE_NOT_CONNECTED; a NULL output is ERROR_INSUFFICIENT_BUFFER. */
static ntsec_status process_id(ntsec_handle pipe, bool client, uint32_t *pid)
{
    struct ntsec_pipe_end *e;
    struct ntsec__pipe_instance *i;
    uint32_t id = 0;
    ntsec_status st = ntsec__pipe_end_ref(pipe, 0, &e);

    if (!ntsec_success(st))
        return st;
    if (!pid) {
        ntsec_object_put(e);
        return NTSEC_STATUS_BUFFER_TOO_SMALL;
    }
    pthread_mutex_lock(&ntsec__pipe_lock);
    i = e->inst;
    if (!i || ntsec__pipe_client_dropped(e))
        st = NTSEC_STATUS_PIPE_DISCONNECTED;
    else if (client && !i->client_pid)
        st = NTSEC_STATUS_NOT_FOUND;
    else
        id = client ? i->client_pid : i->server_pid;
    pthread_mutex_unlock(&ntsec__pipe_lock);
    ntsec_object_put(e);
    if (ntsec_success(st))
        *pid = id;
    return st;
}

ntsec_status ntsec_pipe_client_process_id(ntsec_handle pipe, uint32_t *pid)
{
    return process_id(pipe, true, pid);
}

ntsec_status ntsec_pipe_server_process_id(ntsec_handle pipe, uint32_t *pid)
{
    return process_id(pipe, false, pid);
}

/* SetNamedPipeHandleState's mode (NtSetInformationFile, FilePipeInformation,
 * which needs FILE_WRITE_ATTRIBUTES): message read mode needs a
 * message-type pipe, at either end (Wine's test_NamedPipeHandleState:
 * ERROR_INVALID_PARAMETER on a byte-type server and client). */
ntsec_status ntsec_pipe_set_mode(ntsec_handle pipe, uint32_t mode)
{
    struct ntsec_pipe_end *e;
    struct ntsec__pipe_instance *i;
    ntsec_status st;

    st = ntsec__pipe_end_ref(pipe, NTSEC_FILE_WRITE_ATTRIBUTES, &e);
    if (!ntsec_success(st))
        return st;
    pthread_mutex_lock(&ntsec__pipe_lock);
    i = e->inst;
    if (mode & ~(NTSEC_PIPE_READMODE_MESSAGE | NTSEC_PIPE_NOWAIT))
        st = NTSEC_STATUS_INVALID_PARAMETER;
    else if (!i)
        st = NTSEC_STATUS_PIPE_DISCONNECTED;
    else if ((mode & NTSEC_PIPE_READMODE_MESSAGE) && i->pipe->type != NTSEC_PIPE_TYPE_MESSAGE)
        st = NTSEC_STATUS_INVALID_PARAMETER;
    else
        i->mode[e->end] = mode;
    pthread_mutex_unlock(&ntsec__pipe_lock);
    ntsec_object_put(e);
    return st;
}

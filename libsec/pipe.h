/* pipe.h - the named-pipe file system inside libsec: pipes (Windows'
 * NPFS FCB: a name, its descriptor, its instances), instances (the CCB:
 * state, the two data queues, the client's security context) and ends
 * (the file objects handles point to).
 *
 * One mutex guards all of it: pipes are not a hot path, and one lock
 * keeps the state changes (connect, disconnect, close) atomic across an
 * instance and its pipe. Blocked readers and listeners wait on their
 * instance's condition variable, WaitNamedPipe on a global one. Nothing
 * that can destroy an end (ntsec_object_put on it, closing a handle)
 * runs under the lock, since an end's destroy takes it.
 *
 * Another OS process plugs in at the instance through a link
 * (pipe_link.c): a Unix socket that stands in for the end that lives in
 * the other process. On the server's side the link is the client end
 * (its messages delivered with ntsec__pipe_deliver, its context built by
 * peer.c from the socket's credentials); on the client's side a proxy
 * pipe, outside the namespace, holds one instance whose server end is
 * the link (pipe_remote.c; docs/pipes.md, "Between OS processes"). */
#ifndef NTSEC_LIBSEC_PIPE_H
#define NTSEC_LIBSEC_PIPE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntsec/pipe.h"
#include "object.h"
#include "object_sd.h"

/* FILE_PIPE_CLIENT_END / FILE_PIPE_SERVER_END (wdm.h): an end's index. */
enum { PIPE_END_CLIENT = 0, PIPE_END_SERVER = 1 };

/* FILE_PIPE_*_STATE (winioctl.h), as NPFS keeps them per instance. */
enum ntsec__pipe_state {
    PIPE_DISCONNECTED = 1,
    PIPE_LISTENING = 2,
    PIPE_CONNECTED = 3,
    PIPE_CLOSING = 4,
};

/* One write: its bytes, how many a partial read took already, and the
 * client's context captured with it (dynamic tracking), or none. */
struct ntsec__pipe_msg {
    struct ntsec__pipe_msg *next;
    uint32_t size;
    uint32_t offset;
    struct ntsec_client_context ctx;        /* client_token NULL: none */
    unsigned char data[];
};

struct ntsec__pipe_queue {
    struct ntsec__pipe_msg *head;
    struct ntsec__pipe_msg **tail;
};

struct ntsec__pipe_instance;

/* A pipe name and what its first instance fixed. Lives while an instance
 * does; found by name while a server end is open. */
struct ntsec__pipe {
    struct ntsec__pipe *next;               /* in the namespace */
    char *name;                             /* after \\.\pipe\, as first created */
    uint32_t access;                        /* NTSEC_PIPE_ACCESS_* */
    uint32_t type;                          /* NTSEC_PIPE_TYPE_* */
    uint32_t max_instances;                 /* 255: unlimited */
    uint32_t default_timeout_ms;
    struct ntsec__sd_blob *sd;              /* counted; NtSetSecurityObject swaps it */
    uint32_t instances;                     /* instances alive */
    uint32_t server_ends;                   /* of which with a server end */
    struct ntsec__pipe_instance *list;
    struct ntsec__listener *listener;       /* its socket, or NULL (sock_transport.h) */
    bool proxy;                             /* a remote pipe's stand-in: not in the namespace */
};

struct ntsec_pipe_end;

struct ntsec__pipe_instance {
    struct ntsec__pipe_instance *next;      /* in pipe->list */
    struct ntsec__pipe *pipe;               /* counted in pipe->instances */
    long refs;                              /* ends attached + waiters */
    enum ntsec__pipe_state state;
    uint64_t listen_seq;                    /* clients take the oldest listener */
    uint64_t connects;                      /* connections so far */
    struct ntsec_pipe_end *ends[2];         /* not counted; NULL once gone */
    struct ntsec__pipe_queue queue[2];      /* [end]: data for that end to read */
    uint32_t mode[2];                       /* READMODE_* | NOWAIT of each end */
    struct ntsec_sqos qos;                  /* the client's, or the default */
    struct ntsec_client_context client;     /* what ImpersonateNamedPipeClient uses */
    struct ntsec_client_context writer;     /* dynamic: the last capture at a write */
    uint32_t server_pid, client_pid;        /* client_pid 0: no client */
    struct ntsec__pipe_link *link;          /* the other end in another OS process, or NULL */
    pthread_cond_t cond;                    /* state or data changed */
};

/* A file object: one end of one instance. */
struct ntsec_pipe_end {
    struct ntsec__object obj;               /* first: ObReferenceObject works on it */
    struct ntsec__pipe_instance *inst;      /* NULL: not or no longer attached */
    int end;                                /* PIPE_END_* */
};

extern pthread_mutex_t ntsec__pipe_lock;

/* The end behind `handle` of the current process, checked for `desired`
 * (a new reference, released with ntsec_object_put outside the lock).
 * The statuses of ntsec_handle_reference. */
ntsec_status ntsec__pipe_end_ref(ntsec_handle handle, uint32_t desired,
                                 struct ntsec_pipe_end **out);

/* Under the lock: a waiter pins the instance; the put returns true when
 * it was the last reference, and the caller then frees it with
 * ntsec__pipe_instance_free() after unlocking. */
static inline void ntsec__pipe_instance_pin(struct ntsec__pipe_instance *i)
{
    i->refs++;
}
bool ntsec__pipe_instance_unpin(struct ntsec__pipe_instance *i);
void ntsec__pipe_instance_free(struct ntsec__pipe_instance *i);

/* Under the lock: detach the client end - DisconnectNamedPipe
 * (`disconnect`: its context and all data go too), or the client end
 * closing. Its reference on the instance is dropped without a look at
 * the count: the caller holds another (the server end, or a pin). */
void ntsec__pipe_drop_client(struct ntsec__pipe_instance *i, bool disconnect);

/* Under the lock: the instance now listens (created, or ConnectNamedPipe
 * after a disconnect); wakes WaitNamedPipe. */
void ntsec__pipe_set_listening(struct ntsec__pipe_instance *i);

/* A client end whose server, in another process, disconnected it: the
 * proxy instance stays attached, DISCONNECTED (pipe_link.c). */
static inline bool ntsec__pipe_client_dropped(const struct ntsec_pipe_end *e)
{
    return e->end == PIPE_END_CLIENT && e->inst && e->inst->state == PIPE_DISCONNECTED;
}

/* --- queues (pipe_io.c) --------------------------------------------------- */

void ntsec__pipe_queue_init(struct ntsec__pipe_queue *q);

/* Free every message of `q` and the contexts they carry. */
void ntsec__pipe_queue_clear(struct ntsec__pipe_queue *q);

/* Under the lock: append `msg` (taken over) to the queue `end` reads and
 * wake its readers. The seam a cross-process transport would use. */
void ntsec__pipe_deliver(struct ntsec__pipe_instance *i, int end, struct ntsec__pipe_msg *msg);

/* --- security (pipe_sd.c) ------------------------------------------------- */

/* The file objects' GENERIC_MAPPING is the File type's of object_sd.c:
 * ntsec__object_mapping(NTSEC_OBJECT_FILE) (IoGetFileObjectGenericMapping;
 * NPFS checks pipe access with it, ReactOS npfs/create.c, behaviour). */

/* The descriptor a new pipe gets: `given` (either form, or NULL) completed
 * from `creator` as SeAssignSecurity does, generic bits of its DACL
 * mapped; a blob with one reference in *out (object_sd.h).
 * NTSEC_STATUS_UNKNOWN_REVISION, NTSEC_STATUS_INVALID_SECURITY_DESCR,
 * NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec__pipe_sd_assign(const struct ntsec_token *creator, const void *given,
                                   struct ntsec__sd_blob **out);

/* SeAccessCheck of `desired` (generic bits mapped with the file mapping)
 * against `sd` with the calling thread's subject: its impersonation token
 * at its level, or its process' primary token. *granted on success. */
ntsec_status ntsec__pipe_access_check(const void *sd, uint32_t desired, uint32_t *granted);

/* The same for `token` as the subject: at impersonation `level`, or a
 * primary token for `level` -1. */
ntsec_status ntsec__pipe_access_check_token(const void *sd, const struct ntsec_token *token,
                                            int level, uint32_t desired, uint32_t *granted);

/* --- the namespace, for the transport (pipe.c) ---------------------------- */

/* Under the lock: the pipe called `name` and, when found, a counted
 * reference on its descriptor in *sd (NULL when none). */
struct ntsec__pipe *ntsec__pipe_find(const char *name, struct ntsec__sd_blob **sd);

/* Under the lock: the instance a client connects to now, or NULL. */
struct ntsec__pipe_instance *ntsec__pipe_oldest_listener(const struct ntsec__pipe *p);

/* NpCreateClientEnd's access check: `desired` (generic bits mapped,
 * FILE_CREATE_PIPE_INSTANCE out) against `sd` for `token` (NULL: the
 * calling thread's subject), then the pipe's direction. */
ntsec_status ntsec__pipe_open_access(const struct ntsec__sd_blob *sd, uint32_t access,
                                     uint32_t desired, const struct ntsec_token *token,
                                     uint32_t *granted);

/* The QoS NPFS applies without one, or to a client that may neither
 * read nor write. */
extern const struct ntsec_sqos ntsec__pipe_default_qos;

/* New objects, not yet joined to anything (NULL: no memory). */
struct ntsec_pipe_end *ntsec__pipe_end_new(int end);
struct ntsec__pipe_instance *ntsec__pipe_instance_new(void);

/* Free a pipe that is in no namespace (and its listener). */
void ntsec__pipe_free(struct ntsec__pipe *p);

/* --- between OS processes (pipe_link.c, pipe_remote.c) ------------------- */

/* A connected socket carrying one instance's messages to and from the
 * end that lives in another process. `local_end` is the end that lives
 * here. Counted: the instance holds one reference while attached, a
 * write in flight another. */
struct ntsec__pipe_link;

/* A link over `fd` (taken over on success) with its reader thread
 * started, not yet attached. NTSEC_STATUS_NO_MEMORY,
 * NTSEC_STATUS_INSUFFICIENT_RESOURCES. */
ntsec_status ntsec__pipe_link_new(int fd, int local_end, struct ntsec__pipe_link **out);

/* Under the lock: attach to `i`, which it pins; the instance takes over
 * the caller's reference (ntsec__pipe_link_new's). Detach from it: the
 * pin dropped (never the last reference: the caller holds another), the
 * instance's reference handed back - close it unlocked. NULL when there
 * was no link. */
void ntsec__pipe_link_attach(struct ntsec__pipe_link *l, struct ntsec__pipe_instance *i);
struct ntsec__pipe_link *ntsec__pipe_link_detach(struct ntsec__pipe_instance *i);

/* Unlocked: end the link (`disconnect`: tell the client the server
 * dropped it first), wait for its reader, drop the caller's reference. */
void ntsec__pipe_link_close(struct ntsec__pipe_link *l, bool disconnect);

/* Under the lock: a new reference for a write in flight; unlocked: send
 * one message on it (NTSEC_STATUS_PIPE_CLOSING when the peer is gone),
 * then drop the reference. */
struct ntsec__pipe_link *ntsec__pipe_link_get(struct ntsec__pipe_link *l);
ntsec_status ntsec__pipe_link_write(struct ntsec__pipe_link *l, const void *buf, uint32_t size);
void ntsec__pipe_link_put(struct ntsec__pipe_link *l);

/* Send the open's answer while no write can overtake it (pipe_remote.c). */
ntsec_status ntsec__pipe_link_send_locked(struct ntsec__pipe_link *l, uint32_t type,
                                          const void *body, uint32_t len);
void ntsec__pipe_link_lock_send(struct ntsec__pipe_link *l);
void ntsec__pipe_link_unlock_send(struct ntsec__pipe_link *l);

/* CreateFile of a pipe no thread of this process serves: open it in the
 * process listening on its socket (pipe_remote.c). The statuses of
 * ntsec_pipe_open; NTSEC_STATUS_OBJECT_NAME_NOT_FOUND when the transport
 * is off or nobody listens; NTSEC_STATUS_OBJECT_NAME_INVALID for a name
 * that cannot be a socket's file name. */
ntsec_status ntsec__pipe_open_remote(const char *name, uint32_t desired,
                                     const struct ntsec_sqos *qos, uint32_t attributes,
                                     ntsec_handle *out);

/* Listen for clients of the new pipe `p` in other processes, when the
 * transport is on (under the lock; pipe_remote.c). NTSEC_STATUS_ACCESS_DENIED
 * when another process serves the name, the listener's statuses. */
ntsec_status ntsec__pipe_listen_remote(struct ntsec__pipe *p);

#endif

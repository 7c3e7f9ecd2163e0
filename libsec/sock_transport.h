/* sock_transport.h - the Unix-domain sockets that carry named pipes and
 * ncalrpc calls between OS processes (sock_transport.c): where a name's
 * socket lives, listening with an accept thread, connecting, and framed
 * messages of bytes on a SOCK_STREAM connection. */
#ifndef NTSEC_LIBSEC_SOCK_TRANSPORT_H
#define NTSEC_LIBSEC_SOCK_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/transport.h"

/* The folder of DIR a name's socket is in. */
enum ntsec__transport_kind { NTSEC__TRANSPORT_PIPE, NTSEC__TRANSPORT_NCALRPC };

/* What a frame carries (its first word). */
enum ntsec__frame {
    NTSEC__FRAME_OPEN = 1,              /* client -> pipe server: desired access, QoS */
    NTSEC__FRAME_OPENED,                /* the answer: status, granted access, type */
    NTSEC__FRAME_DATA,                  /* one pipe write, either way */
    NTSEC__FRAME_DISCONNECT,            /* the pipe server dropped its client */
    NTSEC__FRAME_CALL,                  /* client -> RPC server: opnum, QoS, in bytes */
    NTSEC__FRAME_REPLY,                 /* the answer: status, out bytes */
};

/* The largest frame body accepted (ntsec's choice: 16 MiB). */
#define NTSEC__FRAME_MAX (16u << 20)

/* Whether a rendezvous directory is set. */
bool ntsec__transport_enabled(void);

/* Connect to the socket of `name` (a new descriptor in *fd):
 * NTSEC_STATUS_OBJECT_NAME_NOT_FOUND when the transport is off or nobody
 * listens there, NTSEC_STATUS_OBJECT_NAME_INVALID for a name that cannot
 * be a file name ("", ".", "..", a '/', too long), NTSEC_STATUS_ACCESS_DENIED
 * when the socket's file refuses the caller, NTSEC_STATUS_INSUFFICIENT_RESOURCES. */
ntsec_status ntsec__transport_connect(enum ntsec__transport_kind kind, const char *name, int *fd);

/* Whether `name` can name a socket (the checks of ntsec__transport_connect). */
bool ntsec__transport_name_valid(const char *name);

/* One frame: `type`, then `head` and `body` as one body. Short writes and
 * EINTR are resumed; a peer gone is NTSEC_STATUS_PIPE_BROKEN (no SIGPIPE). */
ntsec_status ntsec__transport_send(int fd, uint32_t type, const void *head, uint32_t head_len,
                                   const void *body, uint32_t body_len);

/* The next frame: its type and body (from ntsec__alloc, NULL when empty;
 * the caller frees it). The peer gone, or a frame cut short or too long:
 * NTSEC_STATUS_PIPE_BROKEN; a receive timeout NTSEC_STATUS_IO_TIMEOUT. */
ntsec_status ntsec__transport_recv(int fd, uint32_t *type, unsigned char **body, uint32_t *len);

/* Bound the wait of the next receives on `fd` (0: none). */
void ntsec__transport_recv_timeout(int fd, unsigned ms);

/* --- listening ------------------------------------------------------------ */

struct ntsec__listener;

/* Called on the listener's thread for each connection; `fd` is its own
 * (it closes it, or hands it on). */
typedef void (*ntsec__accept_fn)(int fd, const char *name, void *arg);

/* Listen on the socket of `name` with an accept thread. A socket file left
 * by a process gone is replaced; one another process listens on is
 * NTSEC_STATUS_OBJECT_NAME_COLLISION. The connect statuses for the name,
 * NTSEC_STATUS_OBJECT_NAME_NOT_FOUND when DIR does not exist,
 * NTSEC_STATUS_NO_MEMORY, NTSEC_STATUS_INSUFFICIENT_RESOURCES. */
ntsec_status ntsec__listener_start(enum ntsec__transport_kind kind, const char *name,
                                   ntsec__accept_fn fn, void *arg, struct ntsec__listener **out);

/* Stop accepting and remove the socket file; never blocks (callers hold
 * locks). Then ntsec__listener_free joins the thread and frees it. */
void ntsec__listener_stop(struct ntsec__listener *l);
void ntsec__listener_free(struct ntsec__listener *l);

#endif

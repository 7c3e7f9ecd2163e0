/* ntsec/peer.h - who is at the other end of a Unix-domain socket.
 *
 * The server end of a transport between OS processes learns its client's
 * identity only from what the Linux kernel vouches for: the credentials it
 * recorded when the connection was made (unix(7), SO_PEERCRED; the
 * supplementary groups through SO_PEERGROUPS, Linux 4.13). Nothing the
 * client writes into the socket is read. The token is the one the peer's
 * own first process token would be (ntsec/unixcred.h), without
 * capability-derived privileges, which the kernel does not report for a
 * peer. docs/linux.md, "Peers over Unix sockets", has the rules. */
#ifndef NTSEC_PEER_H
#define NTSEC_PEER_H

#include <stdint.h>

#include "ntsec/status.h"
#include "ntsec/token.h"

/* A primary token for the process at the other end of `fd`, a connected
 * AF_UNIX SOCK_STREAM or SOCK_SEQPACKET socket (either end: the accepted
 * socket names the client, the client's socket names the listener). Its
 * credentials are those in effect when the peer called connect(2),
 * listen(2) or socketpair(2). Returns a new reference in *out (release it
 * with ntsec_token_put()) and, when `peer_pid` is not NULL, the peer's
 * process id as the kernel recorded it (0 when the peer's process is not
 * visible in the caller's pid namespace).
 *
 * Errors, nothing written:
 *   NTSEC_STATUS_INVALID_PARAMETER    out is NULL, or the socket is not
 *                                     connected (unconnected, listening)
 *   NTSEC_STATUS_INVALID_HANDLE       fd is not an open file descriptor
 *   NTSEC_STATUS_OBJECT_TYPE_MISMATCH fd is not a socket, not AF_UNIX, or
 *                                     a datagram socket
 *   NTSEC_STATUS_NOT_SUPPORTED        the kernel has no SO_PEERGROUPS
 *                                     (before 4.13): the groups are unknown
 *   NTSEC_STATUS_NO_MEMORY */
ntsec_status ntsec_peer_token(int fd, struct ntsec_token **out, uint32_t *peer_pid);

#endif

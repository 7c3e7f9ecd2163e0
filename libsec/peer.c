/* peer.c - the token of the process at the other end of a Unix-domain
 * socket, built only from what the kernel recorded for the connection.
 *
 * Windows hands a named-pipe server the security context of its client
 * ("ImpersonateNamedPipeClient", Microsoft docs: "the named-pipe file
 * system changes the thread of the calling process to start impersonating
 * the security context of the last message read from the pipe"); a local
 * client's context is its own token, groups and logon session included.
 * Between Linux processes there is no token to share, so the server
 * rebuilds the one the client's ntsec would have built for itself
 * (unixcred.c), from the credentials the kernel vouches for:
 *   - SO_PEERCRED: pid, effective uid and gid "in effect at the time of
 *     the call to connect(2) or socketpair(2)" (unix(7));
 *   - SO_PEERGROUPS: the supplementary groups of the same credentials
 *     (Linux 4.13, commit 28b5ba2aa0f5 "net: introduce SO_PEERGROUPS
 *     getsockopt"; a buffer too small gives ERANGE and the size needed).
 * Bytes the client writes, and SCM_CREDENTIALS it may send, are never
 * read: a client cannot claim to be anyone.
 *
 * What the kernel does not vouch for is left out: a peer's capabilities
 * (so only the privileges every process holds, SeChangeNotifyPrivilege;
 * uid 0 is still an administrator at High integrity, as a root process
 * without capabilities is in its own token) and its logon session (a new
 * AuthenticationId per token). docs/linux.md, "Peers over Unix sockets". */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "ntsec/peer.h"
#include "alloc.h"
#include "unixcred.h"

/* errno of a socket call -> the status the caller gets. EBADF: no such
 * handle; ENOTSOCK: a handle to something else, as ObReferenceObjectByHandle
 * reports a handle of the wrong type ("STATUS_OBJECT_TYPE_MISMATCH",
 * Microsoft docs); ENOTCONN / ENODATA: a socket with no peer yet, bad
 * input to this call (ntsec has no STATUS_PIPE_DISCONNECTED); ENOPROTOOPT:
 * SO_PEERGROUPS missing, and a token without the peer's groups would miss
 * the deny ACEs naming them. */
struct errno_status {
    int err;
    ntsec_status status;
};

static const struct errno_status errno_statuses[] = {
    { EBADF, NTSEC_STATUS_INVALID_HANDLE },
    { ENOTSOCK, NTSEC_STATUS_OBJECT_TYPE_MISMATCH },
    { ENOTCONN, NTSEC_STATUS_INVALID_PARAMETER },
    { ENODATA, NTSEC_STATUS_INVALID_PARAMETER },
    { ENOPROTOOPT, NTSEC_STATUS_NOT_SUPPORTED },
    { ENOMEM, NTSEC_STATUS_NO_MEMORY },
    { ENOBUFS, NTSEC_STATUS_NO_MEMORY },
};

static ntsec_status from_errno(int err)
{
    for (size_t i = 0; i < sizeof(errno_statuses) / sizeof(errno_statuses[0]); i++)
        if (errno_statuses[i].err == err)
            return errno_statuses[i].status;
    return NTSEC_STATUS_UNSUCCESSFUL;
}

static ntsec_status int_option(int fd, int name, int *value)
{
    socklen_t len = sizeof(*value);

    if (getsockopt(fd, SOL_SOCKET, name, value, &len) != 0)
        return from_errno(errno);
    return NTSEC_STATUS_SUCCESS;
}

/* A connected AF_UNIX stream or seqpacket socket. Datagram sockets are
 * refused: a connected one has no recorded credentials (unix(7): SO_PEERCRED
 * is for "connected AF_UNIX stream sockets" and socket pairs), and a
 * Windows pipe client is a connection. A listening socket has credentials
 * too - its own, recorded by listen(2) for the connections it will accept
 * - so getpeername(2), ENOTCONN without a peer, decides "connected". */
static ntsec_status check_connection(int fd)
{
    struct sockaddr_un addr;
    socklen_t len = sizeof(addr);
    int domain, type;
    ntsec_status st = int_option(fd, SO_DOMAIN, &domain);

    if (ntsec_success(st))
        st = int_option(fd, SO_TYPE, &type);
    if (!ntsec_success(st))
        return st;
    if (domain != AF_UNIX || (type != SOCK_STREAM && type != SOCK_SEQPACKET))
        return NTSEC_STATUS_OBJECT_TYPE_MISMATCH;
    if (getpeername(fd, (struct sockaddr *)&addr, &len) != 0)
        return from_errno(errno);
    return NTSEC_STATUS_SUCCESS;
}

/* Groups that fit here need no allocation: most accounts have a few. */
#define STACK_GROUPS 32

/* The peer's supplementary groups: in `stack` when they fit, else in
 * *heap, a block from ntsec__alloc the caller frees (NULL otherwise). The
 * recorded credentials never change, so the size ERANGE reports is final;
 * the loop only guards against a kernel that says otherwise. */
static ntsec_status peer_groups(int fd, gid_t *stack, const gid_t **list, size_t *count,
                                gid_t **heap)
{
    gid_t *buf = stack;
    socklen_t cap = STACK_GROUPS * sizeof(gid_t);

    *heap = NULL;
    for (;;) {
        socklen_t len = cap;

        if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, buf, &len) == 0) {
            *list = buf;
            *count = len / sizeof(gid_t);
            return NTSEC_STATUS_SUCCESS;
        }
        ntsec__free(*heap);
        *heap = NULL;
        if (errno != ERANGE)
            return from_errno(errno);
        if (len <= cap)
            return NTSEC_STATUS_UNSUCCESSFUL;
        buf = *heap = ntsec__alloc(len);
        if (!buf)
            return NTSEC_STATUS_NO_MEMORY;
        cap = len;
    }
}

ntsec_status ntsec_peer_token(int fd, struct ntsec_token **out, uint32_t *peer_pid)
{
    gid_t stack[STACK_GROUPS];
    struct ntsec__unixcred cred = { 0 };
    struct ntsec_token *token;
    struct ucred uc;
    socklen_t len = sizeof(uc);
    gid_t *heap = NULL;
    ntsec_status st;

    if (!out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = check_connection(fd);
    if (!ntsec_success(st))
        return st;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0)
        return from_errno(errno);
    st = peer_groups(fd, stack, &cred.groups, &cred.group_count, &heap);
    if (!ntsec_success(st))
        return st;

    cred.uid = uc.uid;
    cred.gid = uc.gid;
    cred.caps = 0;      /* not reported for a peer: no capability privileges */
    st = ntsec__unixcred_token_for(&cred, &token);
    ntsec__free(heap);
    if (!ntsec_success(st))
        return st;
    *out = token;
    if (peer_pid)
        *peer_pid = (uint32_t)uc.pid;
    return NTSEC_STATUS_SUCCESS;
}

/* ntsec/transport.h - named pipes and ncalrpc between OS processes.
 *
 * Pipes and RPC endpoints live inside one OS process unless a rendezvous
 * directory is set: then a process that creates a pipe or registers an
 * ncalrpc endpoint also listens on a Unix-domain socket under it
 * (DIR/pipe/<name>, DIR/ncalrpc/<endpoint>, the name in lower case), and
 * an open or a call that finds nothing in its own process connects there.
 * The server learns who its client is only from the kernel (ntsec/peer.h):
 * its uid, gid, groups and pid at connect time, never from bytes the
 * client sends. docs/pipes.md and docs/rpc.md, "Between OS processes". */
#ifndef NTSEC_TRANSPORT_H
#define NTSEC_TRANSPORT_H

#include "ntsec/status.h"

/* The rendezvous directory, an absolute path of at most
 * NTSEC_TRANSPORT_DIR_MAX bytes that must exist when a server starts
 * listening (it creates the "pipe" and "ncalrpc" folders in it). NULL
 * turns the transport off, the environment included. Until the first
 * call the environment variable NTSEC_TRANSPORT_DIR is used (read at
 * each use; a value that is not a valid directory name leaves the
 * transport off). Servers already listening keep their sockets.
 * NTSEC_STATUS_INVALID_PARAMETER for an empty, relative or longer path. */
#define NTSEC_TRANSPORT_DIR_MAX 80
ntsec_status ntsec_transport_set_dir(const char *dir);

#endif

/* ntsec/unixcred.h - the Linux identity behind the first process token.
 *
 * uid and gids become SIDs (the account world's mapping, else Samba's
 * S-1-22-1-uid / S-1-22-2-gid); root adds BUILTIN\Administrators and high
 * integrity; effective capabilities become privileges by the table in
 * libsec/unixcred.c (docs/linux.md lists it). */
#ifndef NTSEC_UNIXCRED_H
#define NTSEC_UNIXCRED_H

#include <stdint.h>
#include <sys/types.h>

#include "ntsec/token.h"
#include "ntsec/status.h"

/* A primary token for the calling thread's real Linux credentials (uid,
 * gids, effective capabilities), as process 1 gets at start. Returns a new
 * reference. */
ntsec_status ntsec_unixcred_token(struct ntsec_token **out);

/* The SID a Linux uid / gid maps to (world mapping first, then
 * S-1-22-1-uid / S-1-22-2-gid). */
void ntsec_unixcred_uid_sid(uid_t uid, struct ntsec_sid *out);
void ntsec_unixcred_gid_sid(gid_t gid, struct ntsec_sid *out);

/* The privileges a set of Linux capabilities gives (a mask of LUIDs: bit n
 * = privilege LUID n), by the documented table. `caps` is a bitmask of
 * CAP_* numbers (bit n = capability n). */
uint64_t ntsec_unixcred_privileges(uint64_t caps);

#endif

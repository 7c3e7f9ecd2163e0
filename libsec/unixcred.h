/* unixcred.h - the Linux identity behind the first process token, inside
 * libsec: the capability -> privilege table (unixcred.c and the tests read
 * it) and the one token builder for given credentials: the public
 * ntsec_unixcred_token() feeds it the calling thread's own, and
 * ntsec_peer_token() (peer.c) a socket peer's, as the kernel recorded
 * them, with no capabilities. */
#ifndef NTSEC_LIBSEC_UNIXCRED_H
#define NTSEC_LIBSEC_UNIXCRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ntsec/unixcred.h"

/* One privilege and the capabilities it needs. */
struct ntsec__cap_privilege {
    uint64_t caps;              /* every one of these (bit n = CAP n) is needed;
                                   0: every process has the privilege */
    uint32_t privilege;         /* LUID LowPart (enum ntsec_privilege) */
    bool enabled_by_default;    /* SE_PRIVILEGE_ENABLED(_BY_DEFAULT) in the token */
};

/* The table, one row per privilege, in LUID order; *count its length. */
const struct ntsec__cap_privilege *ntsec__unixcred_table(size_t *count);

/* Linux credentials as ntsec reads them. */
struct ntsec__unixcred {
    uid_t uid;                  /* effective uid */
    gid_t gid;                  /* effective gid: the primary group */
    const gid_t *groups;        /* supplementary groups (may repeat gid) */
    size_t group_count;
    uint64_t caps;              /* effective capabilities, bit n = CAP n */
};

/* The primary token `cred` gives (see unixcred.c for the rules). Returns a
 * new reference; on failure *out is unchanged. */
ntsec_status ntsec__unixcred_token_for(const struct ntsec__unixcred *cred,
                                       struct ntsec_token **out);

#endif

/* account.h - what other libsec files ask the account world. */
#ifndef NTSEC_LIBSEC_ACCOUNT_H
#define NTSEC_LIBSEC_ACCOUNT_H

#include <stdbool.h>
#include <sys/types.h>

#include "ntsec/account.h"

/* The SID the world maps a Linux uid / gid to (a user's or group's "uid" /
 * "gid" key); false when the world has no such mapping. */
bool ntsec__world_sid_for_uid(uid_t uid, struct ntsec_sid *out);
bool ntsec__world_sid_for_gid(gid_t gid, struct ntsec_sid *out);

/* The privileges (bit n = LUID n) the world grants a SID through its
 * rights, directly or through a group; 0 when none. */
uint64_t ntsec__world_rights(const struct ntsec_sid *sid);

#endif

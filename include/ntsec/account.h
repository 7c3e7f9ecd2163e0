/* ntsec/account.h - the account world: users, groups, machines, domains.
 *
 * A world is what a domain controller and the machines' SAMs would know:
 * each user's SID, password hash (libcrypt), groups, rights (privileges)
 * and delegation flags; groups; machines (for multi-machine scenarios) and
 * whether each is trusted for delegation. An embedded default world (the
 * Linux user and root, BUILTIN groups, demo users alice and bob, a service
 * account, a few machines) serves until a world file is loaded, with
 * NTSEC_WORLD=path or ntsec_world_load(). */
#ifndef NTSEC_ACCOUNT_H
#define NTSEC_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/sid.h"
#include "ntsec/token.h"
#include "ntsec/status.h"

/* SID_NAME_USE (winnt.h). */
enum ntsec_sid_use {
    NTSEC_SID_TYPE_USER = 1, NTSEC_SID_TYPE_GROUP, NTSEC_SID_TYPE_DOMAIN, NTSEC_SID_TYPE_ALIAS,
    NTSEC_SID_TYPE_WELL_KNOWN_GROUP, NTSEC_SID_TYPE_DELETED_ACCOUNT, NTSEC_SID_TYPE_INVALID,
    NTSEC_SID_TYPE_UNKNOWN, NTSEC_SID_TYPE_COMPUTER, NTSEC_SID_TYPE_LABEL,
};

/* Account flags. */
#define NTSEC_ACCOUNT_SENSITIVE             0x1u  /* "sensitive and cannot be delegated" */
#define NTSEC_ACCOUNT_TRUSTED_FOR_DELEGATION 0x2u
#define NTSEC_ACCOUNT_TRUSTED_TO_AUTH_FOR_DELEGATION 0x4u
#define NTSEC_ACCOUNT_DISABLED              0x8u

/* Logon types (LOGON32_LOGON_*). */
enum ntsec_logon_type {
    NTSEC_LOGON_INTERACTIVE = 2, NTSEC_LOGON_NETWORK = 3, NTSEC_LOGON_BATCH = 4,
    NTSEC_LOGON_SERVICE = 5, NTSEC_LOGON_NETWORK_CLEARTEXT = 8,
};

/* Load a world file, replacing the current world only when the whole file
 * is good. On error nothing changes, and `line` (optional) receives the
 * line that is wrong and `why` a static English reason.
 * NTSEC_STATUS_OBJECT_NAME_NOT_FOUND when the file cannot be opened,
 * NTSEC_STATUS_INVALID_PARAMETER for a malformed file. */
ntsec_status ntsec_world_load(const char *path, unsigned *line, const char **why);

/* Go back to the embedded default world. */
void ntsec_world_reset(void);

/* The world as text, in the world file format (what `ntsec world show`
 * prints). Allocated; release with ntsec_mem_free(). */
ntsec_status ntsec_world_describe(char **text);

/* LookupAccountSid: name, domain (the machine, BUILTIN, NT AUTHORITY, ...)
 * and use of a SID (world accounts, then well-known SIDs). Writes at most
 * `*_size` bytes of each, NUL included, and the sizes needed;
 * NTSEC_STATUS_BUFFER_TOO_SMALL when short, NTSEC_STATUS_NONE_MAPPED when
 * unknown. */
ntsec_status ntsec_account_lookup_sid(const struct ntsec_sid *sid, char *name, size_t *name_size,
                                      char *domain, size_t *domain_size, enum ntsec_sid_use *use);

/* LookupAccountName: "alice", "MACHINE\\alice", "BUILTIN\\Users",
 * "Everyone" ... compared without case. */
ntsec_status ntsec_account_lookup_name(const char *name, struct ntsec_sid *sid, char *domain,
                                       size_t *domain_size, enum ntsec_sid_use *use);

/* Account flags of a user or machine (NTSEC_ACCOUNT_*); 0 when unknown. */
uint32_t ntsec_account_flags(const struct ntsec_sid *sid);

/* LogonUser: check the password against the world and build the primary
 * token Windows builds for the logon type (groups INTERACTIVE / NETWORK /
 * BATCH / SERVICE, LOCAL, a new logon SID S-1-5-5-X-Y, Authenticated Users,
 * Everyone, integrity level, privileges from the user's rights).
 * NTSEC_STATUS_LOGON_FAILURE for an unknown user or a wrong password.
 * Returns a new reference. */
ntsec_status ntsec_logon_user(const char *user, const char *domain, const char *password,
                              enum ntsec_logon_type type, struct ntsec_token **out);

/* The token the same logon would give, without a password (what the
 * `--as USER` options of the CLI and the tests use). */
ntsec_status ntsec_logon_token(const char *user, const char *domain, enum ntsec_logon_type type,
                               struct ntsec_token **out);

#endif

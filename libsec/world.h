/* world.h - the layout of an account world inside libsec, shared by the
 * files that hold it: world_file.c builds one from a world file,
 * account.c keeps the current one, account_lookup.c answers
 * LookupAccountSid/Name from it, account_describe.c prints it and
 * logon.c builds tokens from it.
 *
 * A world is immutable once built: a new one is built completely, then
 * swapped in under a write lock; readers hold the read lock
 * (ntsec__world_acquire / ntsec__world_release) while they use it. */
#ifndef NTSEC_LIBSEC_WORLD_H
#define NTSEC_LIBSEC_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsec/account.h"

/* Logon rights (LSA account rights that are not privileges; Microsoft docs
 * "Account Rights Constants"), as bits. */
enum ntsec__logon_right {
    NTSEC__LR_INTERACTIVE        = 0x001,
    NTSEC__LR_NETWORK            = 0x002,
    NTSEC__LR_BATCH              = 0x004,
    NTSEC__LR_SERVICE            = 0x008,
    NTSEC__LR_REMOTE_INTERACTIVE = 0x010,
    NTSEC__LR_DENY_INTERACTIVE   = 0x020,
    NTSEC__LR_DENY_NETWORK       = 0x040,
    NTSEC__LR_DENY_BATCH         = 0x080,
    NTSEC__LR_DENY_SERVICE       = 0x100,
    NTSEC__LR_DENY_REMOTE_INTERACTIVE = 0x200,
};

struct ntsec__logon_right_name {
    const char *name;           /* "SeInteractiveLogonRight" */
    uint32_t bit;
};

/* The table of logon right names, shared by the loader, the describer and
 * the tests; *count receives its length. */
const struct ntsec__logon_right_name *ntsec__logon_right_table(size_t *count);

struct ntsec__account_flag_name {
    const char *name;           /* "sensitive" */
    uint32_t flag;              /* NTSEC_ACCOUNT_* */
};

const struct ntsec__account_flag_name *ntsec__account_flag_table(size_t *count);

/* What kind of section an account came from. */
enum ntsec__wkind {
    NTSEC__W_USER,
    NTSEC__W_GROUP,             /* a domain group, or a local group (alias) of the machine */
    NTSEC__W_HOST,              /* a computer account, NAME$ */
    NTSEC__W_WELLKNOWN,         /* rights / gid / memberships given to a well-known SID */
};

struct ntsec__arena;

struct ntsec__waccount {
    enum ntsec__wkind kind;
    bool self;                  /* this machine's own computer account */
    enum ntsec_sid_use use;
    const char *name;           /* account name ("alice", "SERVER1$", "Everyone") */
    const char *domain;         /* its domain's name ("CONTOSO", the machine, "BUILTIN", "") */
    struct ntsec_sid sid;
    const char *password;       /* a crypt(3) hash; NULL: no password logon */
    uint32_t flags;             /* NTSEC_ACCOUNT_* */
    uint64_t privileges;        /* rights that are privileges: bit n = LUID n */
    uint32_t logon_rights;      /* NTSEC__LR_* */
    bool has_uid, has_gid;
    uint32_t uid, gid;
    const struct ntsec_sid *member_of;  /* groups it is a direct member of */
    size_t member_count;
    unsigned line;              /* its section's line (0: none) */
};

struct ntsec__wdomain {
    const char *name;
    struct ntsec_sid sid;
    unsigned line;
};

struct ntsec__world {
    struct ntsec__wdomain machine;      /* this machine's account domain */
    const struct ntsec__wdomain *joined; /* the domain it is a member of, or NULL */
    struct ntsec__wdomain *domains;     /* the [domain] sections */
    size_t domain_count;
    struct ntsec__waccount *accounts;
    size_t account_count;
    struct ntsec__arena *arena;         /* where all of it lives */
};

/* --- building (world_file.c) --------------------------------------------- */

/* Build a world from a world file (`path`) or from text (`text`, with
 * `origin` naming it in messages). The world and everything it points to
 * live in one arena: of ntsec__alloc chunks, or, when `static_buf` is
 * given, carved from that buffer without any allocation (the embedded
 * default world, which lives as long as the process).
 * NTSEC_STATUS_OBJECT_NAME_NOT_FOUND (file cannot be opened),
 * NTSEC_STATUS_INVALID_PARAMETER (*line, *why say where and why),
 * NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec__world_parse_file(const char *path, struct ntsec__world **out,
                                     unsigned *line, const char **why);
ntsec_status ntsec__world_parse_text(const char *text, void *static_buf, size_t static_size,
                                     struct ntsec__world **out, unsigned *line, const char **why);
void ntsec__world_free(struct ntsec__world *w);

/* --- the current world (account.c) --------------------------------------- */

/* The current world, read-locked until ntsec__world_release(). */
const struct ntsec__world *ntsec__world_acquire(void);
void ntsec__world_release(void);

/* The account with `sid`, or NULL. */
const struct ntsec__waccount *ntsec__world_find_sid(const struct ntsec__world *w,
                                                    const struct ntsec_sid *sid);

/* Every SID `sid` is a member of through the world, directly or through
 * groups, appended to `set` (of `cap` entries, `*count` used) when not
 * there yet; false when `cap` is too small. */
bool ntsec__world_expand(const struct ntsec__world *w, const struct ntsec_sid *sid,
                         struct ntsec_sid *set, size_t cap, size_t *count);

/* --- names (account_lookup.c) -------------------------------------------- */

/* LookupAccountName on world `w`: `name` is "DOMAIN\\name" or a bare name
 * (then well-known names, the machine's accounts, the joined domain's,
 * other domains', and domain names, in that order). On success *sid,
 * *domain (a string of the world or a static one) and *use are set. */
bool ntsec__world_resolve_name(const struct ntsec__world *w, const char *name,
                               struct ntsec_sid *sid, const char **domain,
                               enum ntsec_sid_use *use);

/* The SID_NAME_USE LookupAccountSid gives a well-known SID: its table
 * entry `type` (WELL_KNOWN_SID_TYPE), domain and authority decide. */
enum ntsec_sid_use ntsec__wellknown_use(int type, const char *domain, uint64_t authority,
                                        unsigned sub_count);

/* LookupAccountSid on world `w`: *name and *domain point into the world,
 * static text or `buf` (a name made on the fly, such as a logon SID's). */
#define NTSEC__NAME_BUF 128
bool ntsec__world_name_of(const struct ntsec__world *w, const struct ntsec_sid *sid,
                          const char **name, const char **domain, enum ntsec_sid_use *use,
                          char buf[NTSEC__NAME_BUF]);

/* ASCII case-insensitive comparison, as Windows compares account names. */
bool ntsec__name_equal(const char *a, const char *b);

#endif

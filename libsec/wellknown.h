/* wellknown.h - the table of well-known SIDs, shared inside libsec (the
 * account world and the SDDL code read names and aliases from it) and by
 * the tests. The public face is in ntsec/sid.h. */
#ifndef NTSEC_LIBSEC_WELLKNOWN_H
#define NTSEC_LIBSEC_WELLKNOWN_H

#include <stddef.h>
#include <stdint.h>

#include "ntsec/sid.h"

/* What a well-known SID is built from. */
enum ntsec__wk_base {
    NTSEC__WK_ABSOLUTE,     /* authority + sub-authorities, the same everywhere */
    NTSEC__WK_DOMAIN,       /* the domain (or machine account domain) SID + RID */
    NTSEC__WK_ROOT_DOMAIN,  /* the forest root domain's SID + RID */
    NTSEC__WK_LOGON_IDS,    /* S-1-5-5-X-Y, one per logon session */
};

/* Sub-authorities an absolute entry has at most (S-1-5-84-0-0-0-0-0). */
#define NTSEC__WK_MAX_SUBS 6

struct ntsec__wellknown {
    int      type;          /* WELL_KNOWN_SID_TYPE, or -1 for an SDDL alias
                               that has none */
    enum ntsec__wk_base base;
    uint64_t authority;     /* ABSOLUTE, LOGON_IDS */
    uint8_t  count;         /* ABSOLUTE: sub-authorities used */
    uint32_t sub[NTSEC__WK_MAX_SUBS]; /* ABSOLUTE: them; DOMAIN/ROOT: sub[0] is the RID */
    const char *domain;     /* LookupAccountSid's domain ("" for none); NULL
                               for relative entries: the domain's own name */
    const char *name;       /* LookupAccountSid's account name; NULL: none known */
    const char *display;    /* "domain\\name", or name when domain is "" */
    char     alias[3];      /* SDDL alias ("BA"), or "" */
};

/* The table, ordered by type (alias-only entries last); *count receives
 * its length. */
const struct ntsec__wellknown *ntsec__wellknown_table(size_t *count);

/* The entry `sid` is, given `domain` (may be NULL) for relative entries;
 * NULL when none. Absolute entries are preferred, then the lowest type. */
const struct ntsec__wellknown *ntsec__wellknown_find(const struct ntsec_sid *sid,
                                                     const struct ntsec_sid *domain);

/* Build the SID of `e` into *out; relative entries use `domain`.
 * NTSEC_STATUS_INVALID_PARAMETER when a relative entry has no valid domain
 * or the domain has no room for the RID. */
ntsec_status ntsec__wellknown_build(const struct ntsec__wellknown *e,
                                    const struct ntsec_sid *domain,
                                    struct ntsec_sid *out);

#endif

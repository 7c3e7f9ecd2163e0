/* privilege_table.h - the one table of well-known privileges, shared by
 * privilege.c and the tests (and by anything in libsec that names
 * privileges, e.g. the explain and token-dump code). */
#ifndef NTSEC_LIBSEC_PRIVILEGE_TABLE_H
#define NTSEC_LIBSEC_PRIVILEGE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "ntsec/privilege.h"

struct ntsec__privilege {
    uint32_t low;               /* LUID LowPart; HighPart is 0 */
    const char *name;           /* "SeImpersonatePrivilege" */
    const char *display;        /* LookupPrivilegeDisplayName, English */
};

/* The table in LUID order (2..36); *count receives its length. */
const struct ntsec__privilege *ntsec__privilege_table(size_t *count);

/* The entry of `luid`, or NULL when it names no privilege. */
const struct ntsec__privilege *ntsec__privilege_find(struct ntsec_luid luid);

#endif

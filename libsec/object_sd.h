/* object_sd.h - the security of process, thread and token objects inside
 * libsec: each type's generic mapping and valid access mask, the default
 * security descriptor Windows gives a new object, and the access check
 * that opening one runs. */
#ifndef NTSEC_LIBSEC_OBJECT_SD_H
#define NTSEC_LIBSEC_OBJECT_SD_H

#include <stdint.h>

#include "ntsec/access.h"
#include "ntsec/object.h"
#include "ntsec/token.h"

/* The type's GENERIC_MAPPING (NULL for an unknown type). */
const struct ntsec_generic_mapping *ntsec__object_mapping(enum ntsec_object_type type);

/* The rights a handle of the type may hold (OBJECT_TYPE ValidAccessMask). */
uint32_t ntsec__object_valid_access(enum ntsec_object_type type);

/* A default descriptor for an object of `type` (self-relative,
 * ntsec__alloc'ed) built from `creator`'s owner, primary group and default
 * DACL (generic rights mapped), with a mandatory label at `labelled`'s
 * integrity level when `labelled` is not NULL. NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec__object_default_sd(const struct ntsec_token *creator,
                                      const struct ntsec_token *labelled,
                                      enum ntsec_object_type type, void **out);

/* The check a user-mode open of `object` runs: `desired` (generic bits
 * already mapped) against the object's descriptor with `token`;
 * `thread_level` is the impersonation level of the opening thread, or -1
 * when it does not impersonate. *granted is written on success; the
 * statuses are SeAccessCheck's (ACCESS_DENIED, PRIVILEGE_NOT_HELD,
 * BAD_IMPERSONATION_LEVEL) and NO_MEMORY (a token object's descriptor is
 * built for the check). */
ntsec_status ntsec__object_access_check(void *object, const struct ntsec_token *token,
                                        int thread_level, uint32_t desired, uint32_t *granted);

#endif

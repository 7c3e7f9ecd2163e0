/* object_sd.h - the security of process, thread, token and file objects inside
 * libsec: each type's generic mapping and valid access mask, the default
 * security descriptor Windows gives a new object, and the access check
 * that opening one runs. */
#ifndef NTSEC_LIBSEC_OBJECT_SD_H
#define NTSEC_LIBSEC_OBJECT_SD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntsec/access.h"
#include "ntsec/object.h"
#include "ntsec/token.h"

/* The type's GENERIC_MAPPING (NULL for an unknown type). */
const struct ntsec_generic_mapping *ntsec__object_mapping(enum ntsec_object_type type);

/* The rights a handle of the type may hold (OBJECT_TYPE ValidAccessMask). */
uint32_t ntsec__object_valid_access(enum ntsec_object_type type);

/* An object's security descriptor: self-relative and never changed once
 * published. NtSetSecurityObject publishes a new one; a reader that took
 * a reference on the old one (an open running its access check, a query)
 * keeps using it until it lets go, so no reader ever sees a descriptor
 * being written or freed. One allocation: the count, then the bytes. */
struct ntsec__sd_blob {
    atomic_long refs;
    uint32_t size;
    uint64_t sd[];                      /* the self-relative SD, 8-aligned */
};

static inline const void *ntsec__sd_blob_sd(const struct ntsec__sd_blob *b)
{
    return b->sd;
}

/* A blob of `size` bytes with one reference (NULL when out of memory);
 * the caller writes the descriptor into ntsec__sd_blob_sd before
 * publishing it. */
struct ntsec__sd_blob *ntsec__sd_blob_alloc(uint32_t size);

/* Drop one reference; frees the blob with the last. NULL does nothing. */
void ntsec__sd_blob_put(struct ntsec__sd_blob *b);

/* The descriptor slot of a process or thread. Writers (NtSetSecurityObject)
 * and readers of the pointer (opens, queries - never a hot path) take
 * `lock` just long enough to swap the pointer or to take a reference on
 * the blob it points to; nobody holds it while using the descriptor. */
struct ntsec__object_security {
    pthread_mutex_t lock;
    struct ntsec__sd_blob *sd;          /* counted reference, never NULL */
};

/* A default descriptor for an object of `type` (a blob with one
 * reference) built from `creator`'s owner, primary group and default
 * DACL (generic rights mapped), with a mandatory label at `labelled`'s
 * integrity level when `labelled` is not NULL. NTSEC_STATUS_NO_MEMORY. */
ntsec_status ntsec__object_default_sd(const struct ntsec_token *creator,
                                      const struct ntsec_token *labelled,
                                      enum ntsec_object_type type, struct ntsec__sd_blob **out);

/* Give a new process or thread its default descriptor (as above) and its
 * lock. NTSEC_STATUS_NO_MEMORY, with nothing to undo. */
ntsec_status ntsec__object_security_init(struct ntsec__object_security *sec,
                                         const struct ntsec_token *creator,
                                         const struct ntsec_token *labelled,
                                         enum ntsec_object_type type);

/* The object is going: drop its descriptor. */
void ntsec__object_security_destroy(struct ntsec__object_security *sec);

/* Lock `object`'s descriptor slot and find it: on success the slot's
 * lock is held and *slot points at it; the caller swaps the pointer or
 * takes a reference on the blob, then calls ntsec__object_sd_unlock().
 * A token's slot is NULL until NtSetSecurityObject first writes it (its
 * lock is the token's mutex); until then the token's descriptor is the
 * default one built from the token itself. A pipe end's slot is its
 * pipe's (its lock the pipe lock). NTSEC_STATUS_OBJECT_TYPE_MISMATCH for
 * an object type without security, NTSEC_STATUS_PIPE_DISCONNECTED for a
 * pipe end detached from its instance; the lock is not held then. */
ntsec_status ntsec__object_sd_lock(void *object, struct ntsec__sd_blob ***slot);
void ntsec__object_sd_unlock(void *object);

/* The object's current descriptor: a counted reference, released with
 * ntsec__sd_blob_put(). The statuses of ntsec__object_sd_lock, and
 * NTSEC_STATUS_NO_MEMORY when a token's default descriptor cannot be
 * built. */
ntsec_status ntsec__object_sd_acquire(void *object, struct ntsec__sd_blob **out);

/* The check a user-mode open of `object` runs: `desired` (generic bits
 * already mapped) against the object's descriptor with `token`;
 * `thread_level` is the impersonation level of the opening thread, or -1
 * when it does not impersonate. *granted is written on success; the
 * statuses are SeAccessCheck's (ACCESS_DENIED, PRIVILEGE_NOT_HELD,
 * BAD_IMPERSONATION_LEVEL) and NO_MEMORY (a token object's descriptor is
 * built for the check). */
ntsec_status ntsec__object_access_check(void *object, const struct ntsec_token *token,
                                        int thread_level, uint32_t desired, uint32_t *granted);

/* SeAssignSecurity's mapping of the generic rights in a DACL it stores,
 * in place, with the object type's `mapping` (object_sd.c). */
void ntsec__acl_map_generic(struct ntsec_acl *dacl, const struct ntsec_generic_mapping *mapping);

#endif

/* ntsec/object.h - counted kernel objects.
 *
 * Tokens (and, with later layers, processes and threads) are kernel objects
 * with one reference count each. ObReferenceObject / ObDereferenceObject
 * work on any of them, as in Windows' object manager; the object is freed
 * when its last reference goes. */
#ifndef NTSEC_OBJECT_H
#define NTSEC_OBJECT_H

#include <stdint.h>

#include "ntsec/status.h"

enum ntsec_object_type {
    NTSEC_OBJECT_TOKEN   = 1,
    NTSEC_OBJECT_PROCESS = 2,
    NTSEC_OBJECT_THREAD  = 3,
    NTSEC_OBJECT_FILE    = 4,   /* a file object: today the ends of a named pipe (ntsec/pipe.h) */
};

/* ObReferenceObject: take one more reference on `object`. */
void ntsec_object_get(void *object);

/* ObDereferenceObject: drop one reference; frees the object with the last. */
void ntsec_object_put(void *object);

/* The type of a counted object. */
enum ntsec_object_type ntsec_object_type(const void *object);

/* NtQuerySecurityObject: the parts of `object`'s security descriptor that
 * `info` names (NTSEC_OWNER_/GROUP_/DACL_/SACL_/LABEL_SECURITY_INFORMATION,
 * ntsec/sd.h), self-relative, in `buf` of `size` bytes; *needed receives
 * the size of the answer, also when it does not fit
 * (NTSEC_STATUS_BUFFER_TOO_SMALL). The access the caller's handle needs
 * for each part is the caller's to check. */
ntsec_status ntsec_object_query_security(void *object, uint32_t info, void *buf, uint32_t size,
                                         uint32_t *needed);

struct ntsec_token;

/* NtSetSecurityObject: replace the parts of `object`'s security descriptor
 * that `info` names (OWNER_, GROUP_, DACL_, SACL_, LABEL_SECURITY_INFORMATION,
 * and SetSecurityInfo's PROTECTED_/UNPROTECTED_ DACL/SACL flags) with those
 * of `sd` (absolute or self-relative), as `caller` (the caller's effective
 * token). Statuses: NTSEC_STATUS_INVALID_PARAMETER (NULL, or an `info` bit
 * ntsec does not model), NTSEC_STATUS_UNKNOWN_REVISION /
 * NTSEC_STATUS_INVALID_SECURITY_DESCR (a bad `sd`),
 * NTSEC_STATUS_INVALID_OWNER (no owner, or one `caller` may not assign:
 * neither its user nor an SE_GROUP_OWNER group, without
 * SeRestorePrivilege), NTSEC_STATUS_INVALID_PRIMARY_GROUP (no group),
 * NTSEC_STATUS_INVALID_LABEL (a label above `caller`'s integrity without
 * SeRelabelPrivilege), NTSEC_STATUS_NO_MEMORY. On failure the descriptor
 * is unchanged. Safe against concurrent opens, queries and changes. The
 * access the caller's handle needs for each part (WRITE_OWNER, WRITE_DAC,
 * ACCESS_SYSTEM_SECURITY) is the caller's to check. */
ntsec_status ntsec_object_set_security(void *object, uint32_t info, const void *sd,
                                       const struct ntsec_token *caller);

/* Objects alive in this process (all types): leak checks in tests. */
long ntsec_object_live(void);

#endif

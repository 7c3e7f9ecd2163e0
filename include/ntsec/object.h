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

/* Objects alive in this process (all types): leak checks in tests. */
long ntsec_object_live(void);

#endif

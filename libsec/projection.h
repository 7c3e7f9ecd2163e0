/* projection.h - what tests may ask of projection.c beyond the public
 * API: how many system calls it made, so that a test can tell a cached
 * re-sync (none) from one that touched the credentials. */
#ifndef NTSEC_LIBSEC_PROJECTION_H
#define NTSEC_LIBSEC_PROJECTION_H

#include "ntsec/projection.h"

/* System calls projection.c has made on the calling thread so far. */
unsigned long ntsec__projection_syscalls(void);

#endif

/* ntsec/projection.h - projection of a thread's impersonation onto its
 * real Linux credentials (opt-in, per thread).
 *
 * Impersonation in ntsec changes the token the reference monitor checks;
 * the kernel still checks files against the thread's Linux credentials.
 * A thread that enables projection asks, at each ntsec_projection_sync(),
 * that its filesystem uid and gid, supplementary groups and effective
 * capabilities follow its effective token: the client's while it
 * impersonates, its own (as they were when it enabled projection) when it
 * does not. Only the calling thread changes (raw per-thread system calls,
 * never glibc's process-wide setters); nothing is granted beyond what the
 * thread already holds; the identity last applied is cached, so syncing
 * the same identity again makes no system call. docs/linux.md, "Projection
 * of impersonation", gives the rules. */
#ifndef NTSEC_PROJECTION_H
#define NTSEC_PROJECTION_H

#include <stdbool.h>
#include <sys/types.h>

#include "ntsec/status.h"

/* Turn projection on or off for the calling thread (off by default).
 * On: the thread's current credentials are recorded as its own identity;
 * nothing else changes until the next sync (on again does nothing). Off:
 * the thread's own identity is put back and the record dropped; if the
 * kernel refuses, the status says why and projection stays on.
 * NTSEC_STATUS_NO_MEMORY, NTSEC_STATUS_INSUFFICIENT_RESOURCES (no
 * thread-specific key), NTSEC_STATUS_UNSUCCESSFUL (credentials unreadable). */
ntsec_status ntsec_projection_enable(bool on);

/* The sync point: apply the calling thread's effective identity to its
 * credentials. Does nothing (success) when projection is off. Statuses,
 * each leaving the credentials as they were (should even the undo of a
 * refused change fail, the next sync redoes every step):
 *   NTSEC_STATUS_BAD_IMPERSONATION_LEVEL  impersonating at Anonymous or
 *                                         Identification;
 *   NTSEC_STATUS_NONE_MAPPED              the token's user has no uid;
 *   NTSEC_STATUS_NOT_SUPPORTED            a restricted token, or a
 *                                         deny-only user (no Linux form);
 *   NTSEC_STATUS_PRIVILEGE_NOT_HELD       the kernel refused (no
 *                                         CAP_SETUID / CAP_SETGID);
 *   NTSEC_STATUS_NO_MEMORY; NTSEC_STATUS_UNSUCCESSFUL (another errno). */
ntsec_status ntsec_projection_sync(void);

/* The calling thread's filesystem uid and gid: as projection last applied
 * them when it is on (no system call), else as the kernel reports them.
 * NTSEC_STATUS_INVALID_PARAMETER for a NULL argument. */
ntsec_status ntsec_projection_state(uid_t *fsuid, gid_t *fsgid);

#endif

/* thread.h - the layout of an emulated thread inside libsec, and the
 * setters the impersonation layer drives.
 *
 * The impersonation state is written only by its own thread (impersonate,
 * revert) or by a thread acting on it with THREAD_SET_THREAD_TOKEN /
 * THREAD_IMPERSONATE, and read by any thread (SeCreateClientSecurity on a
 * client thread, NtOpenThreadToken on another thread). For now every
 * access to it takes the per-thread mutex: correct under ThreadSanitizer,
 * but a lock on the owner's impersonate/revert path, which DESIGN.md ("The
 * hot path") forbids; a later issue replaces it with a lock-free scheme
 * for the owner and keeps these function signatures. */
#ifndef NTSEC_LIBSEC_THREAD_H
#define NTSEC_LIBSEC_THREAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntsec/process.h"
#include "object.h"
#include "object_sd.h"
#include "process.h"  /* struct ntsec__cid_entry */

struct ntsec__impersonation {
    struct ntsec_token *token;          /* counted reference, or NULL */
    enum ntsec_impersonation_level level;
    bool copy_on_open;
    bool effective_only;
    bool disabled;                      /* PsDisableImpersonation */
};

struct ntsec_thread {
    struct ntsec__object obj;           /* first: ObReferenceObject works on it */
    uint32_t tid;
    struct ntsec__cid_entry cid;        /* in the client-id table (process.h) */
    struct ntsec_process *process;      /* counted reference */
    struct ntsec__object_security sec;  /* its security descriptor */
    pthread_mutex_t lock;               /* guards `imp` (see above) */
    struct ntsec__impersonation imp;
};

/* Make `thread` impersonate `token` (the thread takes its own reference;
 * the caller keeps its own) at `level` with the CopyOnOpen and
 * EffectiveOnly flags, replacing what it impersonated before (whose
 * reference is dropped). Clears the disabled flag. No check is made here:
 * the caller decided. */
void ntsec__thread_set_impersonation(struct ntsec_thread *thread, struct ntsec_token *token,
                                     enum ntsec_impersonation_level level, bool copy_on_open,
                                     bool effective_only);

/* End the impersonation (RevertToSelf, PsRevertToSelf); nothing when the
 * thread does not impersonate. */
void ntsec__thread_clear_impersonation(struct ntsec_thread *thread);

/* PsDisableImpersonation / PsRestoreImpersonation: while disabled, the
 * thread acts as its process although its impersonation token stays.
 * Returns the previous state. */
bool ntsec__thread_set_impersonation_disabled(struct ntsec_thread *thread, bool disabled);

/* A consistent copy of the impersonation state, the token referenced
 * (NULL when none); the disabled flag is reported, not applied. */
void ntsec__thread_impersonation_state(struct ntsec_thread *thread,
                                       struct ntsec__impersonation *out);

#endif

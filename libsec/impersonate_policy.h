/* impersonate_policy.h - the pure decisions the impersonation layer makes
 * before a thread takes a token: is a SECURITY_QUALITY_OF_SERVICE valid,
 * and at which level may a server impersonate a given token
 * (SeTokenCanImpersonate). No thread state, no allocation: both answers
 * depend only on their arguments, so a client context can compute them
 * once and cache them (docs/design/impersonation.md, "The hot path"). */
#ifndef NTSEC_LIBSEC_IMPERSONATE_POLICY_H
#define NTSEC_LIBSEC_IMPERSONATE_POLICY_H

#include <stdint.h>

#include "ntsec/status.h"
#include "ntsec/token.h"

/* sizeof(SECURITY_QUALITY_OF_SERVICE) on Windows: DWORD Length, enum
 * ImpersonationLevel, BOOLEAN ContextTrackingMode, BOOLEAN EffectiveOnly,
 * padded to 12 (winnt.h). */
#define NTSEC__SQOS_SIZE 12u

/* SECURITY_CONTEXT_TRACKING_MODE (winnt.h). */
#define NTSEC__SQOS_STATIC_TRACKING  0u
#define NTSEC__SQOS_DYNAMIC_TRACKING 1u

/* Validate the fields of a SECURITY_QUALITY_OF_SERVICE. In order:
 * Length != 12 -> NTSEC_STATUS_INVALID_PARAMETER; level above
 * SecurityDelegation -> NTSEC_STATUS_BAD_IMPERSONATION_LEVEL; tracking
 * other than static (0) / dynamic (1) -> NTSEC_STATUS_INVALID_PARAMETER.
 * `effective_only` is a BOOLEAN: any value is valid. See the .c file for
 * the sources and the choices made where Windows documents nothing. */
ntsec_status ntsec__sqos_validate(uint32_t length, uint32_t level, uint32_t tracking,
                                  uint32_t effective_only);

/* SeTokenCanImpersonate and the downgrade PsImpersonateClient applies:
 * the level a thread of the process whose primary token is
 * `server_primary` actually gets when it asks to impersonate `token` at
 * `requested`. `requested` itself when allowed; otherwise
 * SecurityIdentification, or SecurityAnonymous when `token` is an
 * impersonation token at SecurityAnonymous. Both tokens are borrowed and
 * only read. */
enum ntsec_impersonation_level ntsec__impersonation_allowed_level(
    const struct ntsec_token *server_primary, const struct ntsec_token *token,
    enum ntsec_impersonation_level requested);

/* The same answer, cached on `token` for its last (server token,
 * requested level): a hit costs a few atomic loads. Any change to either
 * token (its sequence counter moved) invalidates the entry. */
enum ntsec_impersonation_level ntsec__impersonation_allowed_level_cached(
    const struct ntsec_token *server_primary, struct ntsec_token *token,
    enum ntsec_impersonation_level requested);

#endif

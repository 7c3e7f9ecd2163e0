/* ntsec/impersonate.h - thread impersonation and client security contexts:
 * what PsImpersonateClient, PsRevertToSelf, PsDisableImpersonation,
 * SeCreateClientSecurity, SeImpersonateClientEx and SeDeleteClientSecurity
 * do, for emulated threads.
 *
 * A thread impersonates a token at a level, with the CopyOnOpen and
 * EffectiveOnly flags. Taking a token passes Windows' SeTokenCanImpersonate
 * checks against the thread's process token; a refusal does not fail, the
 * thread gets an Identification-level copy (docs/impersonation.md lists
 * every rule and its source). Impersonate and revert take no lock and
 * allocate nothing once the verdict for a (client token, server token)
 * pair is cached; other threads may read a thread's token meanwhile.
 *
 * A client security context is what a server keeps of a client: a
 * reference to the client's token (dynamic tracking, local server: the
 * server sees later changes to it) or a copy at the QoS level (static
 * tracking, or a remote server). Its layout is the WDK's
 * SECURITY_CLIENT_CONTEXT, so the DDI passes the caller's structure
 * through. */
#ifndef NTSEC_IMPERSONATE_H
#define NTSEC_IMPERSONATE_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/process.h"
#include "ntsec/status.h"
#include "ntsec/token.h"

/* SECURITY_QUALITY_OF_SERVICE (winnt.h), 12 bytes. */
struct ntsec_sqos {
    uint32_t length;                            /* sizeof(struct ntsec_sqos) */
    enum ntsec_impersonation_level level;
    uint8_t context_tracking_mode;              /* NTSEC_SECURITY_*_TRACKING */
    uint8_t effective_only;                     /* BOOLEAN */
};

#define NTSEC_SECURITY_STATIC_TRACKING  0u
#define NTSEC_SECURITY_DYNAMIC_TRACKING 1u

/* TOKEN_CONTROL (winnt.h): what identifies a token and its state. */
struct ntsec_token_control {
    struct ntsec_luid token_id;
    struct ntsec_luid authentication_id;
    struct ntsec_luid modified_id;
    struct ntsec_token_source token_source;
};

/* SECURITY_CLIENT_CONTEXT (WDK ntifs.h), same layout. */
struct ntsec_client_context {
    struct ntsec_sqos qos;                      /* the level the server gets */
    struct ntsec_token *client_token;           /* counted reference */
    uint8_t directly_access_client_token;       /* a reference, not a copy */
    uint8_t direct_access_effective_only;
    uint8_t server_is_remote;
    struct ntsec_token_control client_token_control;
};

/* SE_IMPERSONATION_STATE (WDK ntifs.h), same layout. */
struct ntsec_impersonation_state {
    struct ntsec_token *token;                  /* counted reference, or NULL */
    uint8_t copy_on_open;
    uint8_t effective_only;
    enum ntsec_impersonation_level level;
};

/* --- thread impersonation -------------------------------------------------- */

/* PsImpersonateClient: make `thread` impersonate `token` (primary or
 * impersonation; the thread takes its own reference) at `level`; NULL
 * ends the impersonation. The level the thread gets is `level`, or
 * SecurityIdentification (on a copy of the token) when SeTokenCanImpersonate
 * refuses the thread's process. NTSEC_STATUS_INVALID_PARAMETER for a NULL
 * thread, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL for a level above
 * Delegation, NTSEC_STATUS_NO_MEMORY when a copy cannot be made; the
 * thread is unchanged on failure. */
ntsec_status ntsec_thread_impersonate(struct ntsec_thread *thread, struct ntsec_token *token,
                                      bool copy_on_open, bool effective_only,
                                      enum ntsec_impersonation_level level);

/* PsRevertToSelf (and the revert of NtSetInformationThread with no
 * token): `thread` stops impersonating; nothing if it did not. */
void ntsec_thread_revert(struct ntsec_thread *thread);

/* PsDisableImpersonation: move the thread's impersonation into `state`
 * (with its reference) and return true; false, and an empty state, when
 * it did not impersonate. PsRestoreImpersonation puts a saved state back
 * (ending any impersonation begun meanwhile) and empties `state`. Both
 * ignore NULL arguments (restore then does nothing). */
bool ntsec_thread_disable_impersonation(struct ntsec_thread *thread,
                                        struct ntsec_impersonation_state *state);
void ntsec_thread_restore_impersonation(struct ntsec_thread *thread,
                                        struct ntsec_impersonation_state *state);

/* --- client security contexts ---------------------------------------------- */

/* SeCreateClientSecurity: the context a server keeps of `client`'s
 * effective token under `qos`. NTSEC_STATUS_INVALID_PARAMETER (NULL
 * argument, bad QoS length or tracking mode), NTSEC_STATUS_BAD_IMPERSONATION_LEVEL
 * (QoS level above Delegation; a client impersonating at Anonymous or
 * Identification, or above its own level, or at other than Delegation
 * for a remote server), NTSEC_STATUS_NO_MEMORY. `*ctx` is written only on
 * success; pair it with ntsec_client_context_delete(). */
ntsec_status ntsec_client_context_create(struct ntsec_thread *client, const struct ntsec_sqos *qos,
                                         bool server_is_remote, struct ntsec_client_context *ctx);

/* SeCreateClientSecurityFromSubjectContext: the same from a captured
 * subject: `client_token` (borrowed; NULL when the subject did not
 * impersonate) at `client_level`, else `primary_token`. */
ntsec_status ntsec_client_context_create_from_subject(struct ntsec_token *client_token,
                                                      enum ntsec_impersonation_level client_level,
                                                      struct ntsec_token *primary_token,
                                                      const struct ntsec_sqos *qos,
                                                      bool server_is_remote,
                                                      struct ntsec_client_context *ctx);

/* SeImpersonateClientEx: `server` (NULL: the calling thread) impersonates
 * the context's token at its QoS level, CopyOnOpen set, EffectiveOnly
 * from the context. The statuses of ntsec_thread_impersonate, and
 * NTSEC_STATUS_INVALID_PARAMETER for a NULL or deleted context. */
ntsec_status ntsec_client_context_impersonate(const struct ntsec_client_context *ctx,
                                              struct ntsec_thread *server);

/* SeDeleteClientSecurity: drop the context's token reference and clear
 * it; a second delete does nothing. */
void ntsec_client_context_delete(struct ntsec_client_context *ctx);

/* What a port does for each message of a dynamic context: when the
 * client's effective token is no longer the context's, or changed since
 * (TokenId or ModifiedId differ from ClientTokenControl), rebuild the
 * context from `client` with the same QoS and remoteness. *changed says
 * whether it did. On failure the old context is kept. */
ntsec_status ntsec_client_context_refresh(struct ntsec_client_context *ctx,
                                          struct ntsec_thread *client, bool *changed);

/* SeGetTokenControlInformation. */
void ntsec_token_control(const struct ntsec_token *token, struct ntsec_token_control *out);

/* --- the anonymous logon token (added for NtImpersonateAnonymousToken) ---- */

/* The system's anonymous logon token (user ANONYMOUS LOGON S-1-5-7,
 * AuthenticationId ANONYMOUS_LOGON_LUID 0x3E6, no group, no privilege; see
 * libsec/anonymous.c for its contents and sources): a new reference in
 * *out, release it with ntsec_token_put(). Made on first use and shared by
 * every caller for the life of the process, as Windows' one token is.
 * NTSEC_STATUS_INVALID_PARAMETER for a NULL `out`, NTSEC_STATUS_NO_MEMORY
 * when the first use cannot make it (the next call tries again). */
ntsec_status ntsec_token_anonymous(struct ntsec_token **out);

#endif

/* ntsec/call.h - the security of a call between emulated processes, the
 * part RPC, named pipes and COM share: which authentication level a call
 * gets, which token it presents (cloaking), and what the server receives
 * from it on its own machine or another.
 *
 * A transport (emul/rpcrt4, emul/ole32, a pipe) asks, in order:
 *   1. ntsec_call_negotiate_level / ntsec_call_check_level: the level the
 *      call runs at, and whether the server accepts it;
 *   2. ntsec_call_client_token: the token the client's call presents;
 *   3. ntsec_call_server_context: the client security context the server
 *      gets (a reference or copy of the token on the same machine, a
 *      network logon of its account from another), which the server's
 *      thread impersonates with ntsec_client_context_impersonate (the
 *      SeTokenCanImpersonate checks apply there: a server without
 *      SeImpersonatePrivilege gets Identification).
 * docs/calls.md gives every rule with its Microsoft source, and the
 * statuses ntsec chose where Windows documents none. */
#ifndef NTSEC_CALL_H
#define NTSEC_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/impersonate.h"
#include "ntsec/process.h"
#include "ntsec/status.h"
#include "ntsec/token.h"

/* RPC_C_AUTHN_LEVEL_* (rpcdce.h), the same values. */
enum ntsec_authn_level {
    NTSEC_AUTHN_LEVEL_DEFAULT       = 0,
    NTSEC_AUTHN_LEVEL_NONE          = 1,
    NTSEC_AUTHN_LEVEL_CONNECT       = 2,
    NTSEC_AUTHN_LEVEL_CALL          = 3,
    NTSEC_AUTHN_LEVEL_PKT           = 4,
    NTSEC_AUTHN_LEVEL_PKT_INTEGRITY = 5,
    NTSEC_AUTHN_LEVEL_PKT_PRIVACY   = 6,
};

/* EOAC_STATIC_CLOAKING / EOAC_DYNAMIC_CLOAKING, or neither. */
enum ntsec_cloaking {
    NTSEC_CLOAKING_NONE,
    NTSEC_CLOAKING_STATIC,
    NTSEC_CLOAKING_DYNAMIC,
};

/* --- authentication level ------------------------------------------------ */

/* The level a call runs at: the higher of the client's and the server's,
 * DEFAULT on either side counting as the machine default CONNECT (so a
 * negotiated level is never NONE unless both sides asked for NONE) and
 * CALL as PKT, which RPC upgrades it to. NTSEC_STATUS_INVALID_PARAMETER
 * for a value above PKT_PRIVACY or a NULL `out` (then *out is unchanged). */
ntsec_status ntsec_call_negotiate_level(enum ntsec_authn_level client,
                                        enum ntsec_authn_level server,
                                        enum ntsec_authn_level *out);

/* The server's check of an incoming call: NTSEC_STATUS_ACCESS_DENIED when
 * `call` is below `required` (DEFAULT counting as CONNECT and CALL as PKT
 * on both sides);
 * RPC reports it as RPC_S_ACCESS_DENIED, COM as E_ACCESSDENIED.
 * NTSEC_STATUS_INVALID_PARAMETER for a value above PKT_PRIVACY. */
ntsec_status ntsec_call_check_level(enum ntsec_authn_level call,
                                    enum ntsec_authn_level required);

/* --- the client: cloaking ------------------------------------------------ */

/* The token a call from `thread` presents ("Cloaking", Microsoft docs):
 *  - NTSEC_CLOAKING_NONE: `explicit_token` (the token of explicit
 *    credentials, borrowed, may be NULL) if given, else the thread's
 *    process token, even while the thread impersonates;
 *  - NTSEC_CLOAKING_STATIC: `captured` (what the proxy captured at its
 *    first call or SetBlanket, borrowed, may be NULL) if given; else the
 *    thread's token, or its process token when it does not impersonate:
 *    the caller keeps the result as its new `captured`;
 *  - NTSEC_CLOAKING_DYNAMIC: the thread's token now, else the process
 *    token (`captured` is ignored).
 * A thread token taken for a cloaked call must be at Impersonation or
 * Delegation: below, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL (at Anonymous
 * or Identification "the server cannot make cloaked calls"). A thread
 * that impersonates an impersonation token above its own level presents a
 * copy at the thread's level. NTSEC_STATUS_INVALID_PARAMETER for a NULL
 * thread or `out`, an unknown cloaking value, or explicit credentials
 * with cloaking (CoSetProxyBlanket refuses that pair);
 * NTSEC_STATUS_NO_MEMORY. Returns a new reference in *out. */
ntsec_status ntsec_call_client_token(struct ntsec_thread *thread, enum ntsec_cloaking cloaking,
                                     struct ntsec_token *captured,
                                     struct ntsec_token *explicit_token,
                                     struct ntsec_token **out);

/* --- the server ---------------------------------------------------------- */

/* The client security context the server process `server` gets for a
 * call presenting `presented` (borrowed) from a process on machine
 * `client_machine` (ntsec_process_machine of the caller; names compare
 * without case), asking for impersonation level `level` with tracking
 * `tracking` (NTSEC_SECURITY_STATIC_TRACKING or _DYNAMIC_TRACKING).
 *
 * Same machine: SeCreateClientSecurityFromSubjectContext on `presented`
 * (an impersonation token counts as a client impersonating at its
 * level), local: dynamic tracking holds a reference and sees the
 * client's later changes, static a copy at `level`. Anonymous stays.
 *
 * Another machine: a network logon of the presented token's account
 * (NETWORK S-1-5-2, no INTERACTIVE) at `level`, with Anonymous promoted
 * to Identification and Delegation granted only when the client's
 * account is not "sensitive and cannot be delegated" and the server's
 * account (the server's user; for LocalSystem, LocalService and
 * NetworkService its machine's account NAME$) is "trusted for
 * delegation" - otherwise Impersonation (RPC then fails a client that
 * asked for Delegation without RPC_C_QOS_CAPABILITIES_IGNORE_DELEGATE_FAILURE:
 * its business). LocalService goes out as ANONYMOUS LOGON. The token
 * always is a new copy (the context says static tracking: a transport
 * that tracks a remote client dynamically asks again when the client's
 * ModifiedId changes). Below Delegation it holds no network credentials:
 * presented to yet another machine it is refused with
 * NTSEC_STATUS_NO_SUCH_LOGON_SESSION. A presented impersonation token
 * below Impersonation: NTSEC_STATUS_BAD_IMPERSONATION_LEVEL. An account
 * the world cannot log on from the network: NTSEC_STATUS_LOGON_FAILURE
 * (not a world user - LocalSystem and NetworkService too, for now - or a
 * local account of another machine), NTSEC_STATUS_ACCOUNT_DISABLED,
 * NTSEC_STATUS_LOGON_TYPE_NOT_GRANTED.
 *
 * NTSEC_STATUS_INVALID_PARAMETER for a NULL argument or a tracking mode
 * other than 0 or 1, NTSEC_STATUS_BAD_IMPERSONATION_LEVEL for a level
 * above Delegation, NTSEC_STATUS_NO_MEMORY. `*ctx` is written only on
 * success; pair it with ntsec_client_context_delete(). */
ntsec_status ntsec_call_server_context(struct ntsec_token *presented, const char *client_machine,
                                       struct ntsec_process *server,
                                       enum ntsec_impersonation_level level, uint8_t tracking,
                                       struct ntsec_client_context *ctx);

/* Whether `token`'s logon session can authenticate to another machine:
 * false for a network logon a remote call made below Delegation (and for
 * NULL), true otherwise. */
bool ntsec_call_token_has_network_credentials(const struct ntsec_token *token);

#endif

/* call_negotiate.c - the authentication level of a call: the higher of
 * the client's and the server's, and the server's refusal of a call
 * below its own.
 *
 * Sources (Microsoft docs): "Authentication Level" (COM): the client's
 * and the server's levels "are compared during the handshake, and the
 * higher level ... is used"; DEFAULT "will never choose an authentication
 * level of None"; "Negotiation of Authentication Level" (COM+):
 * Maximum(client preference, server preference); [MS-RPCE] 2.2.1.1.8:
 * RPC_C_AUTHN_LEVEL_DEFAULT is "Same as RPC_C_AUTHN_LEVEL_CONNECT" (also
 * the machine default of "COM Security Defaults"), and CALL is upgraded
 * to PKT by the client and processed as PKT by the server; CoInitializeSecurity,
 * dwAuthnLevel: "COM will fail calls that arrive with a lower
 * authentication level". The status of that refusal is ntsec's choice,
 * STATUS_ACCESS_DENIED; RPC reports it as RPC_S_ACCESS_DENIED and COM as
 * E_ACCESSDENIED (docs/calls.md). */
#include "ntsec/call.h"

/* The level a call actually runs at for a level asked for. */
static enum ntsec_authn_level effective(enum ntsec_authn_level level)
{
    switch (level) {
    case NTSEC_AUTHN_LEVEL_DEFAULT:
        return NTSEC_AUTHN_LEVEL_CONNECT;
    case NTSEC_AUTHN_LEVEL_CALL:
        return NTSEC_AUTHN_LEVEL_PKT;
    default:
        return level;
    }
}

static bool known(enum ntsec_authn_level level)
{
    return (unsigned)level <= NTSEC_AUTHN_LEVEL_PKT_PRIVACY;
}

ntsec_status ntsec_call_negotiate_level(enum ntsec_authn_level client,
                                        enum ntsec_authn_level server,
                                        enum ntsec_authn_level *out)
{
    if (!known(client) || !known(server) || !out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    client = effective(client);
    server = effective(server);
    *out = client > server ? client : server;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_call_check_level(enum ntsec_authn_level call, enum ntsec_authn_level required)
{
    if (!known(call) || !known(required))
        return NTSEC_STATUS_INVALID_PARAMETER;
    return effective(call) < effective(required) ? NTSEC_STATUS_ACCESS_DENIED
                                                 : NTSEC_STATUS_SUCCESS;
}

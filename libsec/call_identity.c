/* call_identity.c - what the server of a call gets from the token the
 * call presents: on the client's machine, a client security context of
 * that token (issue 6); from another machine, a network logon of its
 * account, delegable or not.
 *
 * Sources (Microsoft docs unless said):
 *  [IL]  "Impersonation Levels" (COM): anonymous "is only supported over
 *        the local interprocess communication transport. All other
 *        transports silently promote this level to identify"; at
 *        impersonate a remote server "can access only resources that are
 *        on the same computer"; delegate needs the client to ask for it,
 *        a client account not "sensitive and cannot be delegated" and a
 *        server account "trusted for delegation".
 *  [CLK] "Cloaking": "an impersonate-level impersonation token can be
 *        passed across only one computer boundary"; A on M1 calls B on M2
 *        which cloaks to C on M1: "The call from B to C will fail".
 *  [LT]  "Administrative tools and logon types" (Windows Server docs):
 *        a Network logon leaves no reusable credentials on the
 *        destination.
 *  [LA]  "Local Accounts": a local account has rights "on a particular
 *        device, but on that device only".
 *  [SVC] "LocalSystem Account", "NetworkService Account": they present
 *        the computer's credentials on the network; "LocalService
 *        Account": it presents anonymous credentials.
 *  [NUL] "Local System Account and Null Sessions in Windows NT" (KB
 *        132679): a service without credentials that connects to the
 *        network uses a null session; "Network security: Allow Local
 *        System to use computer identity for NTLM": without the computer
 *        identity LocalSystem "will authenticate anonymously", and
 *        "Anonymous authentication uses a NULL session". A machine not
 *        joined to a domain has no computer identity.
 *  [CCS] SeCreateClientSecurity: a client impersonating below
 *        Impersonation is STATUS_BAD_IMPERSONATION_LEVEL.
 *  [QOS] RPC_SECURITY_QOS: a client that asked for delegation and did
 *        not get it fails with RPC_S_SEC_PKG_ERROR unless it set
 *        RPC_C_QOS_CAPABILITIES_IGNORE_DELEGATE_FAILURE - the RPC layer's
 *        decision: here the context simply says Impersonation.
 * The statuses where Windows documents none are ntsec's (docs/calls.md). */
#include <stdio.h>
#include <string.h>

#include "ntsec/account.h"
#include "ntsec/call.h"
#include "impersonate_policy.h"
#include "machine.h"
#include "process.h"
#include "token.h"
#include "world.h"

/* NT AUTHORITY RIDs of the three service accounts (winnt.h
 * SECURITY_LOCAL_SYSTEM_RID, _LOCAL_SERVICE_RID, _NETWORK_SERVICE_RID). */
enum { RID_SYSTEM = 18, RID_LOCAL_SERVICE = 19, RID_NETWORK_SERVICE = 20 };

/* The service account `sid` is (one of the RIDs above), or 0. */
static uint32_t service_rid(const struct ntsec_sid *sid)
{
    if (ntsec_sid_authority(sid) != 5 || sid->sub_authority_count != 1)
        return 0;
    if (sid->sub_authority[0] < RID_SYSTEM || sid->sub_authority[0] > RID_NETWORK_SERVICE)
        return 0;
    return sid->sub_authority[0];
}

static const struct ntsec_sid *token_user(const struct ntsec_token *t)
{
    return t->sids[0].sid;
}

/* --- the same machine ------------------------------------------------------ */

/* SeCreateClientSecurityFromSubjectContext with a local server: an
 * impersonation token is a client impersonating at its level, a primary
 * token a client on its own token. */
static ntsec_status local_context(struct ntsec_token *presented,
                                  const struct ntsec_sqos *qos, struct ntsec_client_context *ctx)
{
    bool impersonating = presented->type == NTSEC_TOKEN_IMPERSONATION;
    struct ntsec_client_context out;
    ntsec_status st;

    st = ntsec_client_context_create_from_subject(impersonating ? presented : NULL,
                                                  impersonating ? presented->level : 0,
                                                  impersonating ? NULL : presented, qos, false,
                                                  &out);
    if (!ntsec_success(st))
        return st;
    /* A copy keeps the presented logon session's lack of network
     * credentials (ntsec__token_inherit). */
    *ctx = out;
    return NTSEC_STATUS_SUCCESS;
}

/* --- another machine -------------------------------------------------------- */

/* A user or computer account of the world, copied out of it: the world
 * may be replaced once it is released. */
struct account {
    char name[64];
    char domain[64];
    uint32_t flags;
};

/* The account a network logon of `user`, calling from `client_machine`,
 * authenticates as on `server_machine`: LocalSystem and NetworkService
 * are the client machine's computer account [SVC]; otherwise the token's
 * user, a world user or computer account (a delegated NAME$ logon goes
 * on as itself). NTSEC_STATUS_LOGON_FAILURE for anything else (what
 * LogonUser gives an unknown user), and for a local account of the
 * world's machine calling another machine, whose SAM does not hold it
 * [LA]. */
static ntsec_status find_account(const struct ntsec_sid *user, const char *client_machine,
                                 const char *server_machine, struct account *out)
{
    const struct ntsec__world *w = ntsec__world_acquire();
    uint32_t service = service_rid(user);
    const struct ntsec__waccount *a = service ? ntsec__machine_account(w, client_machine)
                                              : ntsec__world_find_sid(w, user);
    ntsec_status st = NTSEC_STATUS_SUCCESS;
    int n, m;

    if (!a || (a->kind != NTSEC__W_USER && a->kind != NTSEC__W_HOST) ||
        (ntsec__name_equal(a->domain, w->machine.name) &&
         !ntsec__machine_same(server_machine, w->machine.name))) {
        st = NTSEC_STATUS_LOGON_FAILURE;
    } else {
        n = snprintf(out->name, sizeof(out->name), "%s", a->name);
        m = snprintf(out->domain, sizeof(out->domain), "%s", a->domain);
        out->flags = a->flags;
        if (n < 0 || (size_t)n >= sizeof(out->name) || m < 0 || (size_t)m >= sizeof(out->domain))
            st = NTSEC_STATUS_LOGON_FAILURE;
    }
    ntsec__world_release();
    return st;
}

/* Whether `user` calling from `client_machine` goes out as ANONYMOUS
 * LOGON: LocalService always [SVC]; LocalSystem and NetworkService when
 * their machine has no computer account - a workgroup machine [NUL]
 * (for NetworkService, which "presents the computer's credentials" like
 * LocalSystem, the same fallback is ntsec's choice). */
static bool goes_out_anonymous(const struct ntsec_sid *user, const char *client_machine)
{
    uint32_t rid = service_rid(user);
    const struct ntsec__world *w;
    bool none;

    if (rid == RID_LOCAL_SERVICE)
        return true;
    if (!rid)
        return false;
    w = ntsec__world_acquire();
    none = !ntsec__machine_account(w, client_machine);
    ntsec__world_release();
    return none;
}

/* The network logon the server's machine makes for the presented token
 * (a primary token, a new reference), and whether the client's account
 * may be delegated. An anonymous caller (above) gets the anonymous
 * token, never delegated: a null session has no credentials to hand on
 * [NUL]. LocalSystem and NetworkService of a domain machine go out as
 * the client machine's NAME$, delegable unless that account is
 * sensitive [IL]. */
static ntsec_status network_logon(const struct ntsec_token *presented,
                                  const char *client_machine, const char *server_machine,
                                  struct ntsec_token **out, bool *delegable)
{
    const struct ntsec_sid *user = token_user(presented);
    struct account acc;
    ntsec_status st;

    if (goes_out_anonymous(user, client_machine)) {
        *delegable = false;
        return ntsec_token_anonymous(out);
    }
    st = find_account(user, client_machine, server_machine, &acc);
    if (!ntsec_success(st))
        return st;
    *delegable = !(acc.flags & NTSEC_ACCOUNT_SENSITIVE);
    return ntsec_logon_token(acc.name, acc.domain, NTSEC_LOGON_NETWORK, out);
}

/* Whether the server may receive delegated credentials [IL]: its
 * account - the user its process runs as, or for LocalSystem,
 * LocalService and NetworkService its machine's account [SVC] - is
 * trusted for delegation. */
static bool server_trusted(const struct ntsec_process *server)
{
    const struct ntsec_sid *user = token_user(server->token);
    uint32_t flags = service_rid(user) ? ntsec__machine_account_flags(server->machine)
                                       : ntsec_account_flags(user);

    return flags & NTSEC_ACCOUNT_TRUSTED_FOR_DELEGATION;
}

static ntsec_status remote_context(struct ntsec_token *presented, const char *client_machine,
                                   const struct ntsec_process *server,
                                   enum ntsec_impersonation_level level,
                                   struct ntsec_client_context *ctx)
{
    struct ntsec_client_context out;
    struct ntsec_token *logon;
    struct ntsec_sqos qos;
    bool delegable;
    ntsec_status st;

    /* Nothing below Impersonation can be handed on ([CLK]; [CCS]). */
    if (presented->type == NTSEC_TOKEN_IMPERSONATION &&
        presented->level < NTSEC_SECURITY_IMPERSONATION)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    /* A network logon made below Delegation has nothing to authenticate
     * with to a further machine ([CLK], [IL], [LT]). */
    if (presented->no_network_credentials)
        return NTSEC_STATUS_NO_SUCH_LOGON_SESSION;
    st = network_logon(presented, client_machine, server->machine, &logon, &delegable);
    if (!ntsec_success(st))
        return st;
    if (level == NTSEC_SECURITY_ANONYMOUS)
        level = NTSEC_SECURITY_IDENTIFICATION;          /* [IL] */
    if (level == NTSEC_SECURITY_DELEGATION && !(delegable && server_trusted(server)))
        level = NTSEC_SECURITY_IMPERSONATION;           /* [IL], [QOS] */
    /* Always a copy: the server holds a logon of its own, never the
     * client's token; tracking a remote client is asking again. */
    qos = (struct ntsec_sqos){ sizeof(qos), level, NTSEC_SECURITY_STATIC_TRACKING, 0 };
    st = ntsec_client_context_create_from_subject(NULL, 0, logon, &qos, true, &out);
    ntsec__token_put(logon);
    if (!ntsec_success(st))
        return st;
    out.client_token->no_network_credentials = level != NTSEC_SECURITY_DELEGATION;
    *ctx = out;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec_call_server_context(struct ntsec_token *presented, const char *client_machine,
                                       struct ntsec_process *server,
                                       enum ntsec_impersonation_level level, uint8_t tracking,
                                       struct ntsec_client_context *ctx)
{
    struct ntsec_sqos qos;
    ntsec_status st;

    if (!presented || !client_machine || !server || !ctx)
        return NTSEC_STATUS_INVALID_PARAMETER;
    st = ntsec__sqos_validate(sizeof(qos), level, tracking, 0);
    if (!ntsec_success(st))
        return st;
    if (!ntsec__machine_same(client_machine, server->machine))
        return remote_context(presented, client_machine, server, level, ctx);
    qos = (struct ntsec_sqos){ sizeof(qos), level, tracking, 0 };
    return local_context(presented, &qos, ctx);
}

bool ntsec_call_token_has_network_credentials(const struct ntsec_token *token)
{
    return token && !token->no_network_credentials;
}

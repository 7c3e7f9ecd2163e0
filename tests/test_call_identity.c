/* test_call_identity.c - the security of a call between emulated processes
 * (ntsec/call.h; libsec/call_negotiate.c, call_cloak.c, call_identity.c,
 * machine.c): the authentication level, the token a call presents under
 * each cloaking mode, and what the server sees on its own machine or
 * another, through chains of up to four processes on the three machines
 * of the default world (WORKSTATION; SERVER1, whose account is trusted
 * for delegation; SERVER2, whose account is not) with its users alice,
 * bob (an administrator), carol ("sensitive and cannot be delegated") and
 * svc-web (a service account).
 *
 * The scenarios are one table: each row is a setup (processes on
 * machines, what the client thread impersonates), an action (negotiate,
 * check a level, pick the token of a call, or make a chain of calls),
 * the expected status, user, impersonation level, NETWORK membership and
 * credentials, and the Microsoft documentation page it checks. Each row
 * is a CUnit test named after its rule. Bad input, the machines of
 * processes and allocation failures follow as ordinary tests. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ntsec/call.h"
#include "impfix.h"
#include "rpcfix.h"
#include "testutil.h"

/* --- parties: processes running as world accounts on world machines ------ */

struct party {
    const char *user;                   /* a world user, "SYSTEM" or "LOCAL SERVICE" */
    enum ntsec_logon_type logon;        /* for a world user */
    const char *machine;
};

#define WS "WORKSTATION"
#define S1 "SERVER1"                    /* SERVER1$ trusted for delegation */
#define S2 "SERVER2"                    /* SERVER2$ not trusted */

/* A world whose own machine (WORKSTATION) is in a workgroup - no
 * [machine] domain, so no computer account - and knows SERVER1, a
 * member of CONTOSO trusted for delegation; everyone may log on from
 * the network (docs/world.md). */
#define WORKGROUP                                               \
    "[domain CONTOSO]\nsid = S-1-5-21-3623811015-3361044348-30300820\n" \
    "[host SERVER1]\ndomain = CONTOSO\nrid = 1108\nflags = trusted-for-delegation\n" \
    "[wellknown Everyone]\nrights = SeNetworkLogonRight\n"

#define ALICE(m)   { "alice", NTSEC_LOGON_INTERACTIVE, m }
#define CAROL(m)   { "carol", NTSEC_LOGON_INTERACTIVE, m }
#define BOB(m)     { "bob", NTSEC_LOGON_BATCH, m }
#define ROOT(m)    { "root", NTSEC_LOGON_BATCH, m }
#define SVCWEB(m)  { "svc-web", NTSEC_LOGON_SERVICE, m }
#define SYSTEM(m)  { "SYSTEM", 0, m }
#define LOCALSVC(m) { "LOCAL SERVICE", 0, m }
#define NETSVC(m)  { "NETWORK SERVICE", 0, m }

static struct ntsec_token *party_token(const struct party *p)
{
    struct ntsec_token *t = NULL;

    if (!strcmp(p->user, "SYSTEM"))
        return rf_service_token("S-1-5-18");
    if (!strcmp(p->user, "LOCAL SERVICE"))
        return rf_service_token("S-1-5-19");
    if (!strcmp(p->user, "NETWORK SERVICE"))
        return rf_service_token("S-1-5-20");
    CU_ASSERT_FATAL(ntsec_logon_token(p->user, NULL, p->logon, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

static struct ntsec_token *logon(const char *user, enum ntsec_logon_type type)
{
    struct ntsec_token *t = NULL;

    CU_ASSERT_FATAL(ntsec_logon_token(user, NULL, type, &t) == NTSEC_STATUS_SUCCESS);
    return t;
}

/* The processes of a scenario, one thread each, and the state calls
 * leave: what each static proxy captured, the context each server holds. */
#define MAX_PARTIES 4

struct scene {
    unsigned n;
    struct ntsec_process *process[MAX_PARTIES];
    struct ntsec_thread *thread[MAX_PARTIES];
    struct ntsec_token *captured[MAX_PARTIES];
    struct ntsec_client_context ctx[MAX_PARTIES];
};

static void scene_start(struct scene *s, const struct party *parties, unsigned n)
{
    memset(s, 0, sizeof(*s));
    s->n = n;
    for (unsigned i = 0; i < n; i++) {
        struct ntsec_token *t = party_token(&parties[i]);

        CU_ASSERT_FATAL(ntsec_process_create_on(t, parties[i].user, parties[i].machine,
                                                &s->process[i]) == NTSEC_STATUS_SUCCESS);
        ntsec_token_put(t);
        /* A pthread bound to the process with ntsec_thread_bind, gone once
         * it took its reference to its thread object (impfix.h). */
        s->thread[i] = imf_thread(s->process[i]);
    }
}

/* The end of a call: each server reverts ("automatic RevertToSelf") and
 * drops its client context. */
static void scene_end_call(struct scene *s)
{
    for (unsigned i = 0; i < s->n; i++) {
        ntsec_thread_revert(s->thread[i]);
        ntsec_client_context_delete(&s->ctx[i]);
    }
}

static void scene_finish(struct scene *s)
{
    scene_end_call(s);
    for (unsigned i = 0; i < s->n; i++) {
        if (s->captured[i])
            ntsec_token_put(s->captured[i]);
        ntsec_object_put(s->thread[i]);
        ntsec_object_put(s->process[i]);
    }
}

/* --- what a token shows --------------------------------------------------- */

/* The account name of a token's user, as LookupAccountSid gives it. */
static void user_name(const struct ntsec_token *t, char *name, size_t size)
{
    _Alignas(8) uint8_t buf[128];
    char domain[64];
    size_t dsize = sizeof(domain);
    enum ntsec_sid_use use;
    uint32_t need;

    name[0] = 0;
    CU_ASSERT_FATAL(ntsec_token_query(t, NTSEC_TOKEN_USER, buf, sizeof(buf), &need) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_account_lookup_sid(*(const struct ntsec_sid *const *)buf, name, &size,
                                       domain, &dsize, &use) == NTSEC_STATUS_SUCCESS);
}

/* NETWORK S-1-5-2 and not INTERACTIVE S-1-5-4: a network logon
 * ("Well-known SIDs", Microsoft docs). */
static bool network_logon(const struct ntsec_token *t)
{
    struct ntsec_sid network, interactive;

    return ntsec_token_is_member(t, tf_sid(&network, "S-1-5-2")) &&
           !ntsec_token_is_member(t, tf_sid(&interactive, "S-1-5-4"));
}

static const struct ntsec_luid shutdown_luid = { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 };

/* --- the scenario table ----------------------------------------------------- */

enum kind { NEGOTIATE, CHECK, CLOAK, CALL };
enum tri { ANY, YES, NO };

/* Short names for the seven authentication levels, in rpcdce.h order. */
#define L_DEF  NTSEC_AUTHN_LEVEL_DEFAULT
#define L_NONE NTSEC_AUTHN_LEVEL_NONE
#define L_CONN NTSEC_AUTHN_LEVEL_CONNECT
#define L_CALL NTSEC_AUTHN_LEVEL_CALL
#define L_PKT  NTSEC_AUTHN_LEVEL_PKT
#define L_INT  NTSEC_AUTHN_LEVEL_PKT_INTEGRITY
#define L_PRIV NTSEC_AUTHN_LEVEL_PKT_PRIVACY

#define ANON  NTSEC_SECURITY_ANONYMOUS
#define IDENT NTSEC_SECURITY_IDENTIFICATION
#define IMPER NTSEC_SECURITY_IMPERSONATION
#define DELEG NTSEC_SECURITY_DELEGATION

#define STATIC_TRACK  NTSEC_SECURITY_STATIC_TRACKING
#define DYNAMIC_TRACK NTSEC_SECURITY_DYNAMIC_TRACKING

/* One call of a chain: party i calls party i + 1 with this blanket. */
struct hop {
    enum ntsec_cloaking cloaking;
    enum ntsec_impersonation_level level;       /* the level the caller asks for */
    uint8_t tracking;
};

struct row {
    const char *name;                   /* the rule (the CUnit test name) */
    const char *source;                 /* the Microsoft docs page */
    enum kind kind;

    /* NEGOTIATE: the client's level against each server level, in order;
     * CHECK: a call at `authn` to a server requiring `required`. */
    enum ntsec_authn_level authn;
    enum ntsec_authn_level negotiated[7];
    enum ntsec_authn_level required;

    /* CLOAK and CALL: the processes (party 0 is the first client). */
    struct party party[MAX_PARTIES];
    unsigned parties;

    /* CLOAK: party 0's thread impersonates a network logon of
     * `imp_user` at `imp_level` (none when NULL); the call uses
     * `cloaking` with a proxy that captured `captured` and explicit
     * credentials of `explicit_user` (interactive logons, when set). */
    const char *imp_user;
    enum ntsec_impersonation_level imp_level;
    enum ntsec_cloaking cloaking;
    const char *captured;
    const char *explicit_user;

    /* CALL: hop[i] is party i calling party i + 1. First, when
     * warmup_from > 0, a call from that party to the last one; then
     * the call from party 0. With `client_change`, party 0 then enables
     * SeShutdownPrivilege in its process token. */
    struct hop hop[MAX_PARTIES - 1];
    unsigned warmup_from;
    bool client_change;

    /* CALL: the world the scene runs in, as a world file's text (the
     * default world when NULL). */
    const char *world;

    /* expected */
    ntsec_status status;
    unsigned failing_hop;               /* CALL: the hop that fails */
    const char *user;                   /* who the last party sees (CLOAK: is presented) */
    enum ntsec_impersonation_level level;       /* CALL: the last server thread's level */
    enum tri network;                   /* a network logon */
    enum tri credentials;               /* ntsec_call_token_has_network_credentials */
    enum tri sees_change;               /* CALL with client_change */
};

#define OK NTSEC_STATUS_SUCCESS
#define NOCRED NTSEC_STATUS_NO_SUCH_LOGON_SESSION

static const struct row rows[] = {
    /* --- authentication level negotiation ----------------------------------- */
    { "negotiate: a DEFAULT client gets the machine default CONNECT or the server's higher level",
      "Authentication Level; [MS-RPCE] 2.2.1.1.8", NEGOTIATE, .authn = L_DEF,
      .negotiated = { L_CONN, L_CONN, L_CONN, L_PKT, L_PKT, L_INT, L_PRIV } },
    { "negotiate: a NONE client stays NONE only with a NONE server",
      "Authentication Level (DEFAULT never chooses None)", NEGOTIATE, .authn = L_NONE,
      .negotiated = { L_CONN, L_NONE, L_CONN, L_PKT, L_PKT, L_INT, L_PRIV } },
    { "negotiate: a CONNECT client gets the higher of the two",
      "Negotiation of Authentication Level: Maximum(client, server)", NEGOTIATE,
      .authn = L_CONN, .negotiated = { L_CONN, L_CONN, L_CONN, L_PKT, L_PKT, L_INT, L_PRIV } },
    { "negotiate: a CALL client runs at PKT",
      "[MS-RPCE] 2.2.1.1.8 (CALL is upgraded to PKT)", NEGOTIATE, .authn = L_CALL,
      .negotiated = { L_PKT, L_PKT, L_PKT, L_PKT, L_PKT, L_INT, L_PRIV } },
    { "negotiate: a PKT client gets PKT or the server's higher level",
      "Authentication Level", NEGOTIATE, .authn = L_PKT,
      .negotiated = { L_PKT, L_PKT, L_PKT, L_PKT, L_PKT, L_INT, L_PRIV } },
    { "negotiate: a PKT_INTEGRITY client is raised only by a PKT_PRIVACY server",
      "Authentication Level", NEGOTIATE, .authn = L_INT,
      .negotiated = { L_INT, L_INT, L_INT, L_INT, L_INT, L_INT, L_PRIV } },
    { "negotiate: a PKT_PRIVACY client always gets PKT_PRIVACY",
      "Authentication Level", NEGOTIATE, .authn = L_PRIV,
      .negotiated = { L_PRIV, L_PRIV, L_PRIV, L_PRIV, L_PRIV, L_PRIV, L_PRIV } },

    /* --- the server's required level ---------------------------------------- */
    { "check: a CONNECT call to a server requiring PKT_PRIVACY is refused",
      "CoInitializeSecurity, dwAuthnLevel", CHECK, .authn = L_CONN, .required = L_PRIV,
      .status = NTSEC_STATUS_ACCESS_DENIED },
    { "check: a PKT_INTEGRITY call to a server requiring PKT_PRIVACY is refused",
      "CoInitializeSecurity, dwAuthnLevel", CHECK, .authn = L_INT, .required = L_PRIV,
      .status = NTSEC_STATUS_ACCESS_DENIED },
    { "check: a PKT_PRIVACY call to a server requiring PKT_PRIVACY is accepted",
      "CoInitializeSecurity, dwAuthnLevel", CHECK, .authn = L_PRIV, .required = L_PRIV,
      .status = OK },
    { "check: a NONE call to a server requiring the default level is refused",
      "COM Security Defaults (CONNECT); CoInitializeSecurity", CHECK, .authn = L_NONE,
      .required = L_DEF, .status = NTSEC_STATUS_ACCESS_DENIED },
    { "check: a DEFAULT call meets a server requiring CONNECT",
      "[MS-RPCE] 2.2.1.1.8 (DEFAULT is CONNECT)", CHECK, .authn = L_DEF, .required = L_CONN,
      .status = OK },
    { "check: a CALL call meets a server requiring PKT",
      "[MS-RPCE] 2.2.1.1.8 (CALL is processed as PKT)", CHECK, .authn = L_CALL,
      .required = L_PKT, .status = OK },
    { "check: a higher level than required is accepted",
      "CoInitializeSecurity, dwAuthnLevel", CHECK, .authn = L_PRIV, .required = L_NONE,
      .status = OK },

    /* --- cloaking: the token a call presents -------------------------------- */
    { "cloak none: the process token when the thread does not impersonate",
      "Cloaking (table: cloaking not set)", CLOAK, .party = { SVCWEB(WS) }, .parties = 1,
      .cloaking = NTSEC_CLOAKING_NONE, .status = OK, .user = "svc-web" },
    { "cloak none: the process token even while the thread impersonates",
      "Cloaking (\"the identity presented ... is that of the immediate calling process\")",
      CLOAK, .party = { SVCWEB(WS) }, .parties = 1, .imp_user = "alice", .imp_level = IMPER,
      .cloaking = NTSEC_CLOAKING_NONE, .status = OK, .user = "svc-web" },
    { "cloak none: explicit credentials are presented instead of the process token",
      "Cloaking (table: process token or authentication identity)", CLOAK,
      .party = { SVCWEB(WS) }, .parties = 1, .imp_user = "alice", .imp_level = IMPER,
      .cloaking = NTSEC_CLOAKING_NONE, .explicit_user = "bob", .status = OK, .user = "bob" },
    { "cloak none: an Identification-level thread token does not matter",
      "Cloaking (table: thread token \"don't care\")", CLOAK, .party = { SVCWEB(WS) },
      .parties = 1, .imp_user = "alice", .imp_level = IDENT, .cloaking = NTSEC_CLOAKING_NONE,
      .status = OK, .user = "svc-web" },
    { "cloak static: the first call captures the thread token",
      "Cloaking (table: static, thread token present, identity not set)", CLOAK,
      .party = { SVCWEB(WS) }, .parties = 1, .imp_user = "alice", .imp_level = IMPER,
      .cloaking = NTSEC_CLOAKING_STATIC, .status = OK, .user = "alice" },
    { "cloak static: the first call without a thread token captures the process token",
      "Cloaking (table: static, no thread token, identity not set)", CLOAK,
      .party = { SVCWEB(WS) }, .parties = 1, .cloaking = NTSEC_CLOAKING_STATIC, .status = OK,
      .user = "svc-web" },
    { "cloak static: a captured identity wins over the thread token",
      "Cloaking (table: static, identity previously set)", CLOAK, .party = { SVCWEB(WS) },
      .parties = 1, .imp_user = "alice", .imp_level = IMPER, .cloaking = NTSEC_CLOAKING_STATIC,
      .captured = "carol", .status = OK, .user = "carol" },
    { "cloak static: a captured identity wins over the process token",
      "Cloaking (table: static, no thread token, identity previously set)", CLOAK,
      .party = { SVCWEB(WS) }, .parties = 1, .cloaking = NTSEC_CLOAKING_STATIC,
      .captured = "carol", .status = OK, .user = "carol" },
    { "cloak static: an Identification-level thread token cannot make a cloaked call",
      "Cloaking (\"With lower impersonation levels, the server cannot make cloaked calls\")",
      CLOAK, .party = { SVCWEB(WS) }, .parties = 1, .imp_user = "alice", .imp_level = IDENT,
      .cloaking = NTSEC_CLOAKING_STATIC, .status = NTSEC_STATUS_BAD_IMPERSONATION_LEVEL },
    { "cloak static: explicit credentials with cloaking are refused",
      "CoSetProxyBlanket (pAuthInfo with a cloaking flag fails)", CLOAK,
      .party = { SVCWEB(WS) }, .parties = 1, .cloaking = NTSEC_CLOAKING_STATIC,
      .explicit_user = "bob", .status = NTSEC_STATUS_INVALID_PARAMETER },
    { "cloak dynamic: the thread token at the call",
      "Cloaking (table: dynamic, thread token present)", CLOAK, .party = { SVCWEB(WS) },
      .parties = 1, .imp_user = "alice", .imp_level = IMPER, .cloaking = NTSEC_CLOAKING_DYNAMIC,
      .status = OK, .user = "alice" },
    { "cloak dynamic: the process token without a thread token",
      "Cloaking (table: dynamic, no thread token)", CLOAK, .party = { SVCWEB(WS) },
      .parties = 1, .cloaking = NTSEC_CLOAKING_DYNAMIC, .status = OK, .user = "svc-web" },
    { "cloak dynamic: a captured identity is ignored",
      "Cloaking (table: dynamic, identity previously set \"don't care\")", CLOAK,
      .party = { SVCWEB(WS) }, .parties = 1, .imp_user = "alice", .imp_level = DELEG,
      .cloaking = NTSEC_CLOAKING_DYNAMIC, .captured = "carol", .status = OK, .user = "alice" },
    { "cloak dynamic: an Identification-level thread token cannot make a cloaked call",
      "Cloaking (Cloaking and Impersonation Levels)", CLOAK, .party = { SVCWEB(WS) },
      .parties = 1, .imp_user = "alice", .imp_level = IDENT, .cloaking = NTSEC_CLOAKING_DYNAMIC,
      .status = NTSEC_STATUS_BAD_IMPERSONATION_LEVEL },

    /* --- one call: local ------------------------------------------------------ */
    { "local: static tracking gives the server a copy that misses a later privilege change",
      "RPC_SECURITY_QOS (RPC_C_QOS_IDENTITY_STATIC: \"never revised\")", CALL,
      .party = { ALICE(WS), SYSTEM(WS) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .client_change = true,
      .status = OK, .user = "alice", .level = IMPER, .network = NO, .credentials = YES,
      .sees_change = NO },
    { "local: dynamic tracking lets the server see a later privilege change",
      "RPC_SECURITY_QOS (RPC_C_QOS_IDENTITY_DYNAMIC: revised when ModifiedId changes)", CALL,
      .party = { ALICE(WS), SYSTEM(WS) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, DYNAMIC_TRACK } }, .client_change = true,
      .status = OK, .user = "alice", .level = IMPER, .network = NO, .sees_change = YES },
    { "local: Anonymous is honoured on the local transport",
      "Impersonation Levels (anonymous: \"only supported over the local ... transport\")",
      CALL, .party = { ALICE(WS), SYSTEM(WS) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, ANON, STATIC_TRACK } }, .status = OK, .user = "alice",
      .level = ANON, .network = NO },
    { "local: Delegation is granted between processes of one machine",
      "Impersonation Levels (NTLM delegates cross-process, not cross-computer)", CALL,
      .party = { ALICE(WS), SYSTEM(WS) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK } }, .status = OK, .user = "alice",
      .level = DELEG, .network = NO, .credentials = YES },
    { "local: a server without SeImpersonatePrivilege sees Identification",
      "RpcImpersonateClient (Remarks: without SeImpersonatePrivilege, Identify level only)",
      CALL, .party = { CAROL(WS), ALICE(WS) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK, .user = "carol",
      .level = IDENT, .network = NO },

    /* --- one call: remote ------------------------------------------------------ */
    { "remote: the server sees a network logon of the client at Impersonation",
      "Impersonation Levels (impersonate: remote server reaches only its own computer)", CALL,
      .party = { ALICE(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK, .user = "alice",
      .level = IMPER, .network = YES, .credentials = NO },
    { "remote: dynamic tracking still gives a copy that misses a later change",
      "SeCreateClientSecurity (a remote server gets a copy)", CALL,
      .party = { ALICE(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, DYNAMIC_TRACK } }, .client_change = true,
      .status = OK, .user = "alice", .level = IMPER, .network = YES, .sees_change = NO },
    { "remote: Anonymous is promoted to Identification",
      "Impersonation Levels (\"All other transports silently promote this level to identify\")",
      CALL, .party = { ALICE(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, ANON, STATIC_TRACK } }, .status = OK, .user = "alice",
      .level = IDENT, .network = YES },
    { "remote: Identification stays Identification",
      "Impersonation Levels (identify)", CALL, .party = { ALICE(WS), SYSTEM(S1) },
      .parties = 2, .hop = { { NTSEC_CLOAKING_NONE, IDENT, STATIC_TRACK } }, .status = OK,
      .user = "alice", .level = IDENT, .network = YES },
    { "remote: a server without SeImpersonatePrivilege sees Identification",
      "RpcImpersonateClient (Remarks)", CALL, .party = { CAROL(WS), ALICE(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK, .user = "carol",
      .level = IDENT, .network = YES },
    { "remote: a local account of the client's machine cannot log on to another machine",
      "Local Accounts (rights \"on a particular device, but on that device only\")", CALL,
      .party = { ROOT(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } },
      .status = NTSEC_STATUS_LOGON_FAILURE, .failing_hop = 0 },
    { "remote: LocalService presents anonymous credentials",
      "LocalService Account (\"presents anonymous credentials on the network\")", CALL,
      .party = { LOCALSVC(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK,
      .user = "ANONYMOUS LOGON", .level = IMPER, .network = NO, .credentials = NO },
    { "remote: LocalSystem presents its machine's computer account",
      "LocalSystem Account (\"presents the computer's credentials to remote servers\")", CALL,
      .party = { SYSTEM(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK,
      .user = "WORKSTATION$", .level = IMPER, .network = YES, .credentials = NO },
    { "remote: NetworkService presents its machine's computer account",
      "NetworkService Account (\"presents the computer's credentials to remote servers\")",
      CALL, .party = { NETSVC(WS), SYSTEM(S2) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK,
      .user = "WORKSTATION$", .level = IMPER, .network = YES, .credentials = NO },
    /* --- a workgroup machine: no computer account ------------------------------ */
    { "remote: LocalSystem of a workgroup machine goes out as ANONYMOUS LOGON",
      "Local System Account and Null Sessions in Windows NT (KB 132679); Network security: "
      "Allow Local System to use computer identity for NTLM (\"will authenticate anonymously\")",
      CALL, .world = WORKGROUP, .party = { SYSTEM(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK,
      .user = "ANONYMOUS LOGON", .level = IMPER, .network = NO, .credentials = NO },
    { "remote: NetworkService of a workgroup machine goes out as ANONYMOUS LOGON",
      "NetworkService Account (the computer's credentials, which a workgroup machine lacks); "
      "the null-session fallback as for LocalSystem is ntsec's choice (docs/calls.md)",
      CALL, .world = WORKGROUP, .party = { NETSVC(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK,
      .user = "ANONYMOUS LOGON", .level = IMPER, .network = NO, .credentials = NO },
    { "remote: a workgroup LocalSystem asking Delegation of a trusted server gets Impersonation",
      "Network security: Allow Local System to use computer identity for NTLM (a NULL session "
      "has no user authentication); Impersonation Levels (delegate requirements)",
      CALL, .world = WORKGROUP, .party = { SYSTEM(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK } }, .status = OK,
      .user = "ANONYMOUS LOGON", .level = IMPER, .network = NO, .credentials = NO },
    { "remote: a workgroup LocalSystem asking Anonymous is seen at Identification",
      "Impersonation Levels (\"All other transports silently promote this level to identify\")",
      CALL, .world = WORKGROUP, .party = { SYSTEM(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, ANON, STATIC_TRACK } }, .status = OK,
      .user = "ANONYMOUS LOGON", .level = IDENT, .network = NO, .credentials = NO },
    { "remote: a domain member's LocalSystem calling from SERVER1 is still SERVER1$",
      "LocalSystem Account (\"presents the computer's credentials to remote servers\")",
      CALL, .world = WORKGROUP, .party = { SYSTEM(S1), SYSTEM(WS) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK,
      .user = "SERVER1$", .level = IMPER, .network = YES, .credentials = NO },
    { "remote: the computer account is the client's machine's, not the world's own",
      "NetworkService Account (the computer's credentials)", CALL,
      .party = { NETSVC(S2), SYSTEM(WS) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } }, .status = OK,
      .user = "SERVER2$", .level = IMPER, .network = YES },

    /* --- delegation -------------------------------------------------------------- */
    { "delegation: granted to a trusted server for a client that asks",
      "Impersonation Levels (delegate: the three requirements)", CALL,
      .party = { ALICE(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK } }, .status = OK, .user = "alice",
      .level = DELEG, .network = YES, .credentials = YES },
    { "delegation: a sensitive account gets Impersonation",
      "Impersonation Levels (\"Account is sensitive and cannot be delegated\")", CALL,
      .party = { CAROL(WS), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK } }, .status = OK, .user = "carol",
      .level = IMPER, .network = YES, .credentials = NO },
    { "delegation: an untrusted server gets Impersonation",
      "Impersonation Levels (\"Trusted for delegation\"); RPC_SECURITY_QOS (delegate failure)",
      CALL, .party = { ALICE(WS), SYSTEM(S2) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK } }, .status = OK, .user = "alice",
      .level = IMPER, .network = YES, .credentials = NO },
    { "delegation: LocalSystem's computer account is delegated to a trusted server",
      "Impersonation Levels (delegate requirements); LocalSystem Account", CALL,
      .party = { SYSTEM(S2), SYSTEM(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK } }, .status = OK,
      .user = "SERVER2$", .level = DELEG, .network = YES, .credentials = YES },
    { "delegation: LocalSystem calling an untrusted server gets Impersonation",
      "Impersonation Levels (\"Trusted for delegation\"); LocalSystem Account", CALL,
      .party = { SYSTEM(WS), SYSTEM(S2) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK } }, .status = OK,
      .user = "WORKSTATION$", .level = IMPER, .network = YES, .credentials = NO },
    { "delegation: the server's account is its user, not its trusted machine",
      "Impersonation Levels (the server account must be trusted)", CALL,
      .party = { ALICE(WS), SVCWEB(S1) }, .parties = 2,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK } }, .status = OK, .user = "alice",
      .level = IMPER, .network = YES, .credentials = NO },

    /* --- three machines ------------------------------------------------------- */
    { "three machines: a delegated client is seen by the third machine",
      "Cloaking (\"delegate-level ... can cross any number of computer boundaries\")", CALL,
      .party = { ALICE(WS), SYSTEM(S1), SYSTEM(S2) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = OK, .user = "alice", .level = IMPER, .network = YES, .credentials = NO },
    { "three machines: a delegated computer account goes on as itself",
      "Cloaking (\"delegate-level ... can cross any number of computer boundaries\"); "
      "LocalSystem Account", CALL, .party = { SYSTEM(S2), SYSTEM(S1), SYSTEM(WS) },
      .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = OK, .user = "SERVER2$", .level = IMPER, .network = YES, .credentials = NO },
    { "three machines: without Delegation the second hop is refused",
      "Cloaking (\"an impersonate-level impersonation token can be passed across only one "
      "computer boundary\")", CALL, .party = { ALICE(WS), SYSTEM(S1), SYSTEM(S2) },
      .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = NOCRED, .failing_hop = 1 },
    { "three machines: a sensitive client cannot go past the first server",
      "Impersonation Levels (delegate requirements)", CALL,
      .party = { CAROL(WS), SYSTEM(S1), SYSTEM(S2) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = NOCRED, .failing_hop = 1 },
    { "three machines: an untrusted first server cannot go on",
      "Impersonation Levels (delegate requirements)", CALL,
      .party = { ALICE(WS), SYSTEM(S2), SYSTEM(S1) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = NOCRED, .failing_hop = 1 },
    { "three machines: a static-cloaked second hop is refused too",
      "Cloaking (Cloaking and Impersonation Levels)", CALL,
      .party = { ALICE(WS), SYSTEM(S1), SYSTEM(S2) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_STATIC, IMPER, STATIC_TRACK } },
      .status = NOCRED, .failing_hop = 1 },
    { "cloaking example: A and C on one computer, B on another, at Impersonation: B to C fails",
      "Cloaking (\"The call from B to C will fail\")", CALL,
      .party = { ALICE(WS), SYSTEM(S1), SYSTEM(WS) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = NOCRED, .failing_hop = 1 },
    { "cloaking example: the same at Delegation succeeds",
      "Cloaking (\"if A sets the impersonation level to delegate ... the call may succeed\")",
      CALL, .party = { ALICE(WS), SYSTEM(S1), SYSTEM(WS) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, DELEG, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = OK, .user = "alice", .level = IMPER, .network = YES },
    { "a network token reaches servers on its own machine",
      "Impersonation Levels (impersonate: \"resources that are on the same computer as the "
      "server\")", CALL, .party = { ALICE(WS), SYSTEM(S1), SVCWEB(S1) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = OK, .user = "alice", .level = IMPER, .network = YES, .credentials = NO },
    { "a local copy of a network token still has no credentials for another machine",
      "Cloaking (one computer boundary)", CALL,
      .party = { ALICE(WS), SYSTEM(S1), SVCWEB(S1), SYSTEM(S2) }, .parties = 4,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = NOCRED, .failing_hop = 2 },
    { "delegation and impersonation: A and B on one computer, B cloaks: C sees A",
      "Delegation and Impersonation (\"the identity presented to process C will be that of A\")",
      CALL, .party = { ALICE(WS), SVCWEB(WS), SYSTEM(S1) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .status = OK, .user = "alice", .level = IMPER, .network = YES },
    { "delegation and impersonation: without cloaking C sees B",
      "Delegation and Impersonation (\"B's identity will be presented to C\")", CALL,
      .party = { ALICE(WS), SVCWEB(WS), SYSTEM(S1) }, .parties = 3,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } },
      .status = OK, .user = "svc-web", .level = IMPER, .network = YES },

    /* --- A -> B -> C -> D ------------------------------------------------------- */
    { "chain without cloaking: D sees C's process",
      "Cloaking (Cloaking Scenarios: \"each intermediate process sees the identity of the "
      "process that called it\")", CALL,
      .party = { ALICE(WS), SVCWEB(WS), BOB(WS), ROOT(WS) }, .parties = 4,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK } },
      .status = OK, .user = "bob", .level = IMPER, .network = NO },
    { "chain with static cloaking after an earlier call from B: D sees B",
      "Cloaking (Cloaking Scenarios: \"Process D sees B's identity when static cloaking is "
      "set by B and C\")", CALL,
      .party = { ALICE(WS), SVCWEB(WS), BOB(WS), ROOT(WS) }, .parties = 4,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_STATIC, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_STATIC, IMPER, STATIC_TRACK } },
      .warmup_from = 1, .status = OK, .user = "svc-web", .level = IMPER, .network = NO },
    { "chain with dynamic cloaking after an earlier call from B: D sees A",
      "Cloaking (Cloaking Scenarios: \"D sees the identity of A, despite an earlier call from "
      "B to C\")", CALL,
      .party = { ALICE(WS), SVCWEB(WS), BOB(WS), ROOT(WS) }, .parties = 4,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_DYNAMIC, IMPER, STATIC_TRACK } },
      .warmup_from = 1, .status = OK, .user = "alice", .level = IMPER, .network = NO },
    { "chain with static cloaking and no earlier call: the first call captures A",
      "Cloaking (table: static, thread token present, identity not set)", CALL,
      .party = { ALICE(WS), SVCWEB(WS), BOB(WS), ROOT(WS) }, .parties = 4,
      .hop = { { NTSEC_CLOAKING_NONE, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_STATIC, IMPER, STATIC_TRACK },
               { NTSEC_CLOAKING_STATIC, IMPER, STATIC_TRACK } },
      .status = OK, .user = "alice", .level = IMPER, .network = NO },
};

#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

/* --- running a row ------------------------------------------------------------ */

static void run_negotiate(const struct row *r)
{
    for (enum ntsec_authn_level server = L_DEF; server <= L_PRIV; server++) {
        enum ntsec_authn_level got = 99;

        CU_ASSERT_EQUAL(ntsec_call_negotiate_level(r->authn, server, &got), OK);
        CU_ASSERT_EQUAL(got, r->negotiated[server]);
        if (got != r->negotiated[server])
            fprintf(stderr, "  client %d, server %d: got %d\n", r->authn, server, got);
    }
}

static void run_check(const struct row *r)
{
    CU_ASSERT_EQUAL(ntsec_call_check_level(r->authn, r->required), r->status);
}

static void expect_user(const struct ntsec_token *t, const char *user)
{
    char name[64];

    user_name(t, name, sizeof(name));
    CU_ASSERT_STRING_EQUAL(name, user);
    if (strcmp(name, user))
        fprintf(stderr, "  seen %s, expected %s\n", name, user);
}

static void run_cloak(const struct row *r)
{
    struct scene s;
    struct ntsec_token *imp = NULL, *captured = NULL, *explicit_token = NULL, *out = NULL;
    ntsec_status st;

    scene_start(&s, r->party, r->parties);
    if (r->imp_user) {
        imp = logon(r->imp_user, NTSEC_LOGON_NETWORK);
        CU_ASSERT_FATAL(ntsec_thread_impersonate(s.thread[0], imp, false, false, r->imp_level) ==
                        OK);
    }
    if (r->captured)
        captured = logon(r->captured, NTSEC_LOGON_INTERACTIVE);
    if (r->explicit_user)
        explicit_token = logon(r->explicit_user, NTSEC_LOGON_INTERACTIVE);
    st = ntsec_call_client_token(s.thread[0], r->cloaking, captured, explicit_token, &out);
    CU_ASSERT_EQUAL(st, r->status);
    if (ntsec_success(st) && r->user)
        expect_user(out, r->user);
    if (!ntsec_success(st))
        CU_ASSERT_PTR_NULL(out);
    if (out)
        ntsec_token_put(out);
    if (explicit_token)
        ntsec_token_put(explicit_token);
    if (captured)
        ntsec_token_put(captured);
    if (imp)
        ntsec_token_put(imp);
    scene_finish(&s);
}

/* One call from party `from` down to the last party: each caller picks
 * its token under its hop's cloaking (a static proxy keeps what it
 * captured), the next party's server context is built from it, and that
 * party's thread impersonates it. *failed is the hop that failed. */
static ntsec_status call_down(const struct row *r, struct scene *s, unsigned from,
                              unsigned *failed)
{
    for (unsigned i = from; i + 1 < s->n; i++) {
        const struct hop *h = &r->hop[i];
        struct ntsec_token *t;
        ntsec_status st;

        *failed = i;
        st = ntsec_call_client_token(s->thread[i], h->cloaking, s->captured[i], NULL, &t);
        if (!ntsec_success(st))
            return st;
        if (h->cloaking == NTSEC_CLOAKING_STATIC && !s->captured[i])
            s->captured[i] = ntsec_token_get(t);
        st = ntsec_call_server_context(t, ntsec_process_machine(s->process[i]),
                                       s->process[i + 1], h->level, h->tracking,
                                       &s->ctx[i + 1]);
        ntsec_token_put(t);
        if (!ntsec_success(st))
            return st;
        st = ntsec_client_context_impersonate(&s->ctx[i + 1], s->thread[i + 1]);
        CU_ASSERT_EQUAL(st, OK);
        if (!ntsec_success(st))
            return st;
    }
    return OK;
}

static void expect_tri(enum tri want, bool got, const char *what)
{
    if (want == ANY)
        return;
    CU_ASSERT_EQUAL(got, want == YES);
    if (got != (want == YES))
        fprintf(stderr, "  %s: %s\n", what, got ? "yes" : "no");
}

/* What the last server sees: its thread's token and level. */
static void expect_last(const struct row *r, struct scene *s)
{
    enum ntsec_impersonation_level level = 99;
    bool copy_on_open, effective_only;
    struct ntsec_token *t = ntsec_thread_impersonation(s->thread[s->n - 1], &level,
                                                       &copy_on_open, &effective_only);

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    expect_user(t, r->user);
    CU_ASSERT_EQUAL(level, r->level);
    if (level != r->level)
        fprintf(stderr, "  level %d, expected %d\n", level, r->level);
    expect_tri(r->network, network_logon(t), "network logon");
    expect_tri(r->credentials, ntsec_call_token_has_network_credentials(t), "credentials");
    if (r->client_change) {
        struct ntsec_token *client = ntsec_process_token(s->process[0]);
        struct ntsec_luid_and_attributes on = { shutdown_luid, NTSEC_SE_PRIVILEGE_ENABLED };

        CU_ASSERT(!ntsec_token_privilege_enabled(t, shutdown_luid));
        CU_ASSERT_EQUAL(ntsec_token_adjust_privileges(client, false, &on, 1, NULL, 0, NULL), OK);
        expect_tri(r->sees_change, ntsec_token_privilege_enabled(t, shutdown_luid),
                   "sees the client's change");
        ntsec_token_put(client);
    }
    ntsec_token_put(t);
}

/* Load the world file `text` (a temporary file, removed at once). */
static void world_load_text(const char *text)
{
    char path[] = "/tmp/ntsec-call-XXXXXX";
    int fd = mkstemp(path);
    size_t len = strlen(text);
    unsigned line = 0;
    const char *why = NULL;

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, text, len) == (ssize_t)len);
    close(fd);
    CU_ASSERT_EQUAL_FATAL(ntsec_world_load(path, &line, &why), NTSEC_STATUS_SUCCESS);
    unlink(path);
}

static void run_call(const struct row *r)
{
    struct scene s;
    unsigned failed = 0;
    ntsec_status st;

    if (r->world)
        world_load_text(r->world);
    scene_start(&s, r->party, r->parties);
    if (r->warmup_from) {
        CU_ASSERT_EQUAL(call_down(r, &s, r->warmup_from, &failed), OK);
        scene_end_call(&s);
    }
    st = call_down(r, &s, 0, &failed);
    CU_ASSERT_EQUAL(st, r->status);
    if (st != r->status)
        fprintf(stderr, "  status %#x at hop %u, expected %#x\n", (unsigned)st, failed,
                (unsigned)r->status);
    if (!ntsec_success(r->status)) {
        CU_ASSERT_EQUAL(failed, r->failing_hop);
    } else if (ntsec_success(st)) {
        expect_last(r, &s);
    }
    scene_finish(&s);
    if (r->world)
        ntsec_world_reset();
}

/* Each row is registered under its own name; the test finds its row by
 * the name CUnit is running. */
static void run_row(void)
{
    const char *name = CU_get_current_test()->pName;
    const struct row *r = NULL;

    for (size_t i = 0; i < ROW_COUNT && !r; i++)
        if (!strcmp(rows[i].name, name))
            r = &rows[i];
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    switch (r->kind) {
    case NEGOTIATE:
        run_negotiate(r);
        break;
    case CHECK:
        run_check(r);
        break;
    case CLOAK:
        run_cloak(r);
        break;
    case CALL:
        run_call(r);
        break;
    }
}

/* --- machines ------------------------------------------------------------------- */

/* ntsec/process.h: the OS process and ntsec_process_create run on the
 * world's own machine (docs/world.md: WORKSTATION) */
static void processes_run_on_the_worlds_machine_by_default(void)
{
    struct ntsec_token *t = logon("alice", NTSEC_LOGON_INTERACTIVE);
    struct ntsec_process *p;

    CU_ASSERT_STRING_EQUAL(ntsec_process_machine(ntsec_process_current()), WS);
    CU_ASSERT_FATAL(ntsec_process_create(t, "p", &p) == OK);
    CU_ASSERT_STRING_EQUAL(ntsec_process_machine(p), WS);
    ntsec_object_put(p);
    ntsec_token_put(t);
    CU_ASSERT_PTR_NULL(ntsec_process_machine(NULL));
}

/* Computer names compare without case (Microsoft docs, "Naming
 * conventions in Active Directory for computers": NetBIOS names are not
 * case-sensitive); the process keeps the world's spelling */
static void process_create_on_a_host_keeps_the_worlds_spelling(void)
{
    struct ntsec_token *t = logon("alice", NTSEC_LOGON_INTERACTIVE);
    struct ntsec_process *p;

    CU_ASSERT_FATAL(ntsec_process_create_on(t, "p", "server1", &p) == OK);
    CU_ASSERT_STRING_EQUAL(ntsec_process_machine(p), S1);
    ntsec_object_put(p);
    CU_ASSERT_FATAL(ntsec_process_create_on(t, NULL, "Workstation", &p) == OK);
    CU_ASSERT_STRING_EQUAL(ntsec_process_machine(p), WS);
    ntsec_object_put(p);
    ntsec_token_put(t);
}

/* docs/calls.md: a machine the world does not know is
 * STATUS_OBJECT_NAME_NOT_FOUND (ntsec's choice; Windows' nearest is
 * ERROR_BAD_NETPATH); NULL is STATUS_INVALID_PARAMETER and an
 * impersonation token STATUS_BAD_TOKEN_TYPE, as ntsec_process_create;
 * nothing is created */
static void process_create_on_bad_input_creates_nothing(void)
{
    struct ntsec_token *t = logon("alice", NTSEC_LOGON_INTERACTIVE), *imp;
    struct ntsec_process *p = (struct ntsec_process *)0x1;
    const struct ntsec_token_dup how = { NTSEC_TOKEN_IMPERSONATION, IMPER, false };
    long objects, allocs;

    CU_ASSERT_FATAL(ntsec_token_duplicate(t, &how, &imp) == OK);
    objects = ntsec_object_live();
    allocs = testutil_live();
    static const char *const unknown[] = { "SERVER3", "", "SERVER1$", "A-NAME-LONGER-THAN-15",
                                           "CONTOSO", "BUILTIN" };
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        CU_ASSERT_EQUAL(ntsec_process_create_on(t, "p", unknown[i], &p),
                        NTSEC_STATUS_OBJECT_NAME_NOT_FOUND);
    CU_ASSERT_EQUAL(ntsec_process_create_on(t, "p", NULL, &p), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_process_create_on(NULL, "p", S1, &p), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_process_create_on(t, "p", S1, NULL), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_process_create_on(imp, "p", S1, &p), NTSEC_STATUS_BAD_TOKEN_TYPE);
    CU_ASSERT_PTR_EQUAL(p, (struct ntsec_process *)0x1);
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
    CU_ASSERT_EQUAL(testutil_live(), allocs);
    ntsec_token_put(imp);
    ntsec_token_put(t);
}

/* --- bad input --------------------------------------------------------------------- */

/* RPC_C_AUTHN_LEVEL_* ends at PKT_PRIVACY (6) (rpcdce.h); any other value
 * is STATUS_INVALID_PARAMETER and *out is not written (ntsec's status) */
static void levels_outside_rpcdce_are_invalid_parameter(void)
{
    enum ntsec_authn_level out = 42;

    CU_ASSERT_EQUAL(ntsec_call_negotiate_level(7, L_CONN, &out), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_negotiate_level(L_CONN, 0xffffffffu, &out),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_negotiate_level(L_CONN, L_CONN, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(out, 42);
    CU_ASSERT_EQUAL(ntsec_call_check_level(7, L_CONN), NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_check_level(L_PRIV, 7), NTSEC_STATUS_INVALID_PARAMETER);
}

/* DESIGN.md "Errors": NULL arguments and an unknown cloaking value are
 * STATUS_INVALID_PARAMETER; nothing is referenced or written */
static void client_token_bad_input_is_invalid_parameter(void)
{
    struct ntsec_thread *me = ntsec_thread_current();
    struct ntsec_token *out = (struct ntsec_token *)0x1;
    long objects = ntsec_object_live();

    CU_ASSERT_EQUAL(ntsec_call_client_token(NULL, NTSEC_CLOAKING_NONE, NULL, NULL, &out),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_client_token(me, NTSEC_CLOAKING_NONE, NULL, NULL, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_client_token(me, 3, NULL, NULL, &out),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(out, (struct ntsec_token *)0x1);
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
}

static void poison(struct ntsec_client_context *ctx)
{
    memset(ctx, 0xA5, sizeof(*ctx));
}

static bool poisoned(const struct ntsec_client_context *ctx)
{
    struct ntsec_client_context p;

    poison(&p);
    return !memcmp(ctx, &p, sizeof(p));
}

/* SECURITY_QUALITY_OF_SERVICE's rules (docs/impersonation.md): a level
 * above Delegation is STATUS_BAD_IMPERSONATION_LEVEL, a tracking mode
 * other than 0 or 1 and NULL arguments STATUS_INVALID_PARAMETER; the
 * context is not written */
static void server_context_bad_input_writes_nothing(void)
{
    struct ntsec_token *t = logon("alice", NTSEC_LOGON_INTERACTIVE);
    struct ntsec_process *server = ntsec_process_current();
    struct ntsec_client_context ctx;
    long objects = ntsec_object_live(), allocs = testutil_live();

    poison(&ctx);
    CU_ASSERT_EQUAL(ntsec_call_server_context(NULL, WS, server, IMPER, 0, &ctx),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_server_context(t, NULL, server, IMPER, 0, &ctx),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_server_context(t, WS, NULL, IMPER, 0, &ctx),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_server_context(t, WS, server, IMPER, 0, NULL),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(ntsec_call_server_context(t, S1, server, DELEG + 1, 0, &ctx),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(ntsec_call_server_context(t, S1, server, IMPER, 2, &ctx),
                    NTSEC_STATUS_INVALID_PARAMETER);
    CU_ASSERT(poisoned(&ctx));
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
    CU_ASSERT_EQUAL(testutil_live(), allocs);
    ntsec_token_put(t);
}

/* SeCreateClientSecurity [CCS]: a client impersonating below
 * Impersonation has nothing to hand on, locally or remotely */
static void presented_identification_token_is_bad_impersonation_level(void)
{
    struct ntsec_token *t = logon("alice", NTSEC_LOGON_INTERACTIVE), *ident;
    const struct ntsec_token_dup how = { NTSEC_TOKEN_IMPERSONATION, IDENT, false };
    struct ntsec_process *server = ntsec_process_current();
    struct ntsec_client_context ctx;

    CU_ASSERT_FATAL(ntsec_token_duplicate(t, &how, &ident) == OK);
    poison(&ctx);
    CU_ASSERT_EQUAL(ntsec_call_server_context(ident, WS, server, IDENT, 0, &ctx),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT_EQUAL(ntsec_call_server_context(ident, S1, server, IDENT, 0, &ctx),
                    NTSEC_STATUS_BAD_IMPERSONATION_LEVEL);
    CU_ASSERT(poisoned(&ctx));
    ntsec_token_put(ident);
    ntsec_token_put(t);
}

/* Tokens that no remote call made keep their credentials (an interactive
 * logon holds the user's: "Administrative tools and logon types",
 * Microsoft docs); NULL has none */
static void ordinary_tokens_have_network_credentials(void)
{
    struct ntsec_token *t = logon("alice", NTSEC_LOGON_INTERACTIVE);

    CU_ASSERT(ntsec_call_token_has_network_credentials(t));
    CU_ASSERT(!ntsec_call_token_has_network_credentials(NULL));
    ntsec_token_put(t);
}

/* STYLE.md 8: allocation failure injected at each step until the call
 * succeeds; every failure is STATUS_NO_MEMORY (or the logon's own status
 * for it), leaves the context unwritten and leaks nothing */
static void server_context_survives_allocation_failure(void)
{
    static const char *const machines[] = { WS, S1 };
    struct ntsec_token *t = logon("alice", NTSEC_LOGON_INTERACTIVE);
    struct ntsec_process *server = ntsec_process_current();

    for (size_t m = 0; m < 2; m++) {
        ntsec_status st = NTSEC_STATUS_NO_MEMORY;

        for (long n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 1000; n++) {
            struct ntsec_client_context ctx;
            long objects = ntsec_object_live(), allocs = testutil_live();

            poison(&ctx);
            testutil_fail_alloc_after(n);
            st = ntsec_call_server_context(t, machines[m], server, IMPER, STATIC_TRACK, &ctx);
            testutil_fail_alloc_after(-1);
            if (ntsec_success(st)) {
                ntsec_client_context_delete(&ctx);
                break;
            }
            CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
            CU_ASSERT(poisoned(&ctx));
            CU_ASSERT_EQUAL(ntsec_object_live(), objects);
            CU_ASSERT_EQUAL(testutil_live(), allocs);
        }
        CU_ASSERT_EQUAL(st, OK);
    }
    ntsec_token_put(t);
}

/* The same for the process on a machine */
static void process_create_on_survives_allocation_failure(void)
{
    struct ntsec_token *t = logon("alice", NTSEC_LOGON_INTERACTIVE);
    ntsec_status st = NTSEC_STATUS_NO_MEMORY;

    for (long n = 0; st == NTSEC_STATUS_NO_MEMORY && n < 1000; n++) {
        struct ntsec_process *p = NULL;
        long objects = ntsec_object_live(), allocs = testutil_live();

        testutil_fail_alloc_after(n);
        st = ntsec_process_create_on(t, "p", S2, &p);
        testutil_fail_alloc_after(-1);
        if (ntsec_success(st)) {
            CU_ASSERT_STRING_EQUAL(ntsec_process_machine(p), S2);
            ntsec_object_put(p);
            break;
        }
        CU_ASSERT_EQUAL(st, NTSEC_STATUS_NO_MEMORY);
        CU_ASSERT_PTR_NULL(p);
        CU_ASSERT_EQUAL(ntsec_object_live(), objects);
        CU_ASSERT_EQUAL(testutil_live(), allocs);
    }
    CU_ASSERT_EQUAL(st, OK);
    ntsec_token_put(t);
}

void register_tests(void)
{
    static CU_TestInfo scenario[ROW_COUNT + 1];
    static CU_TestInfo others[] = {
        TEST(processes_run_on_the_worlds_machine_by_default),
        TEST(process_create_on_a_host_keeps_the_worlds_spelling),
        TEST(process_create_on_bad_input_creates_nothing),
        TEST(levels_outside_rpcdce_are_invalid_parameter),
        TEST(client_token_bad_input_is_invalid_parameter),
        TEST(server_context_bad_input_writes_nothing),
        TEST(presented_identification_token_is_bad_impersonation_level),
        TEST(ordinary_tokens_have_network_credentials),
        TEST(server_context_survives_allocation_failure),
        TEST(process_create_on_survives_allocation_failure),
        CU_TEST_INFO_NULL,
    };
    struct ntsec_token *anonymous = NULL;

    for (size_t i = 0; i < ROW_COUNT; i++) {
        for (size_t j = 0; j < i; j++)
            if (!strcmp(rows[i].name, rows[j].name))
                fprintf(stderr, "test_call_identity: two rows named \"%s\"\n", rows[i].name);
        scenario[i] = (CU_TestInfo){ rows[i].name, run_row };
    }
    scenario[ROW_COUNT] = (CU_TestInfo)CU_TEST_INFO_NULL;
    /* The anonymous logon token lives as long as the process once made
     * (LocalService's remote calls use it): make it before the leak
     * checks start. */
    if (ntsec_token_anonymous(&anonymous) == NTSEC_STATUS_SUCCESS)
        ntsec_token_put(anonymous);
    testutil_add_suite("call_identity_scenarios", scenario);
    testutil_add_suite("call_identity", others);
}

/* test_com.c - the COM runtime of the emulation (ntsec/com.h;
 * libsec/com_apartment.c, com_security.c, com_appid.c, com_export.c,
 * com_proxy.c, com_call.c): apartments, CoInitializeSecurity, the AppID
 * registry and COM+ activation types, proxies and their blankets, and what a server sees of a call across emulated processes
 * and machines of the default world (WORKSTATION; SERVER1, trusted for
 * delegation; SERVER2, not) with its users alice, bob (an administrator:
 * SeImpersonatePrivilege), carol ("sensitive and cannot be delegated")
 * and svc-web (a service: SeImpersonatePrivilege).
 *
 * Each party of a scenario is a pthread bound to its own emulated process
 * that runs the steps it is given; servers export an object whose method
 * records what the server sees (CoGetCallContext, QueryBlanket,
 * ImpersonateClient, the thread's token) and may call the next server:
 * a client and up to three servers (A -> B -> C -> D), each checked.
 * The scenarios are one table, one CUnit test per row, each naming the
 * Microsoft page (or Wine test) it checks; ordinary tests follow. */
#include <stdio.h>
#include <time.h>

#include "ntsec/com.h"
#include "ntsec/ntsec.h"
#include "com.h"                        /* NTSEC__COM_MAX_WORKERS, its HRESULT */
#include "comfix.h"
#include "testutil.h"

/* --- what a server sees ---------------------------------------------------------- */

struct seen {
    bool called;
    ntsec_hresult impersonate;          /* ImpersonateClient's result */
    char user[64];                      /* the thread's token then */
    int level;                          /* its level; -1: none */
    bool network;                       /* NETWORK S-1-5-2 in it */
    uint32_t authn_level;               /* QueryBlanket's */
    char client[160];
};

/* An exported object: records what its server sees, then calls `next`. */
struct hop {
    struct seen seen;
    struct ntsec_com_proxy *next;
    ntsec_hresult next_hr;
};

static void observe(struct seen *s)
{
    enum ntsec_impersonation_level level;
    bool coo, eo;
    struct ntsec_token *t = ntsec_thread_impersonation(ntsec_thread_current(), &level, &coo, &eo);
    struct ntsec_sid network;

    s->level = -1;
    s->user[0] = 0;
    if (!t)
        return;
    s->level = (int)level;
    rf_user(t, s->user, sizeof(s->user));
    s->network = ntsec_token_is_member(t, tf_sid(&network, "S-1-5-2"));
    ntsec_token_put(t);
}

static ntsec_hresult hop_invoke(void *self, uint32_t method, void *arg)
{
    struct hop *h = self;
    struct ntsec_com_call *call = NULL;
    struct ntsec_com_call_blanket b;

    (void)method;
    (void)arg;
    h->seen.called = true;
    if (ntsec_com_call_current(&call) != NTSEC_S_OK)
        return NTSEC_E_FAIL;
    if (ntsec_com_call_query(call, &b) == NTSEC_S_OK) {
        h->seen.authn_level = b.authn_level;
        snprintf(h->seen.client, sizeof(h->seen.client), "%s", b.client ? b.client : "");
    }
    h->seen.impersonate = ntsec_com_call_impersonate(call);
    observe(&h->seen);
    if (h->next)
        h->next_hr = ntsec_com_call(h->next, 3, NULL);
    ntsec_com_call_put(call);
    return h->next ? h->next_hr : NTSEC_S_OK;
}

/* --- the scenario table ---------------------------------------------------------- */

#define L_CONN NTSEC_AUTHN_LEVEL_CONNECT
#define L_CALL NTSEC_AUTHN_LEVEL_CALL
#define L_PKT  NTSEC_AUTHN_LEVEL_PKT
#define L_INT  NTSEC_AUTHN_LEVEL_PKT_INTEGRITY
#define L_PRIV NTSEC_AUTHN_LEVEL_PKT_PRIVACY
#define I_ANON NTSEC_RPC_IMP_LEVEL_ANONYMOUS
#define I_IDEN NTSEC_RPC_IMP_LEVEL_IDENTIFY
#define I_IMP  NTSEC_RPC_IMP_LEVEL_IMPERSONATE
#define I_DEL  NTSEC_RPC_IMP_LEVEL_DELEGATE
#define STATIC_CLOAK  NTSEC_EOAC_STATIC_CLOAKING
#define DYNAMIC_CLOAK NTSEC_EOAC_DYNAMIC_CLOAKING
#define ANON  NTSEC_SECURITY_ANONYMOUS
#define IDENT NTSEC_SECURITY_IDENTIFICATION
#define IMPER NTSEC_SECURITY_IMPERSONATION
#define DELEG NTSEC_SECURITY_DELEGATION

enum tri { ANY, YES, NO };

struct who {
    const char *user;
    const char *machine;
};

/* CoInitializeSecurity values; imp 0: not called (implicit defaults). */
struct cis {
    uint32_t authn, imp, caps;
};

/* What one server of a chain sees; user NULL: not checked. */
struct expect {
    const char *user;
    int level;
    enum tri network;
};

/* An AppID the server uses (docs/com.md, "AppIDs"): through
 * CoInitializeSecurity with EOAC_APPID, or by exporting its object as a
 * component of that application. */
enum appid_how { BY_CIS = 1, BY_EXPORT };

struct appid_use {
    enum appid_how how;
    bool registered;                    /* else the GUID names nothing */
    uint32_t level;                     /* AuthenticationLevel; 0: absent */
    const char *access;                 /* AccessPermission as SDDL; NULL: absent */
    bool library;                       /* a COM+ library application */
};

struct row {
    const char *name;
    const char *source;
    struct who client;
    struct cis client_cis;
    const char *thread_user;            /* the client thread impersonates this user ... */
    enum ntsec_impersonation_level thread_level;        /* ... at this level */
    bool impersonate_after_blanket;     /* ... only after SetBlanket */
    bool blanket;                       /* SetBlanket on the client's proxy: */
    uint32_t b_authn, b_imp, b_caps;
    const char *b_user;                 /* explicit credentials: user, "<user>-password" */
    struct who mid;                     /* a middle server (user NULL: none) */
    struct cis mid_cis;
    struct who server;
    struct cis server_cis;
    const char *allowed;                /* the server's access SD lets only this user in */
    /* expected: the call's result, and what the last server sees */
    ntsec_hresult hr;
    const char *user;                   /* NULL: not called or not checked */
    int level;                          /* -1: not checked */
    enum tri network;
    uint32_t authn;                     /* 0: not checked */
    /* Chains of four, retries, SDDL access lists and AppIDs; the rows
     * that use them are written with designated initialisers. */
    struct who mid2;                    /* client -> mid -> mid2 -> server */
    struct cis mid2_cis;
    struct expect at_mid, at_mid2;      /* what each middle server sees */
    bool mid_warmup;                    /* mid calls on once as itself before the client calls */
    ntsec_hresult blanket_hr;           /* SetBlanket's result (0: S_OK) */
    uint32_t raise_to;                  /* then SetBlanket at this level and call again; */
    ntsec_hresult first_hr;             /* ... the first call's result */
    const char *access;                 /* the server's pSecDesc, as SDDL */
    const struct appid_use *appid;
    ntsec_hresult impersonate_hr;       /* the last server's ImpersonateClient (0: S_OK) */
};

/* The default world's CONTOSO groups, for access lists in SDDL. */
#define DOMAIN_USERS "S-1-5-21-3623811015-3361044348-30300820-513"
#define DEVELOPERS   "S-1-5-21-3623811015-3361044348-30300820-1110"

#define ALICE_WS  { "alice", WS }
#define BOB_WS    { "bob", WS }
#define CAROL_WS  { "carol", WS }
#define SVC(m)    { "svc-web", m }
#define SYS(m)    { "SYSTEM", m }

static const struct row rows[] = {
    /* the authentication level */
    { .name = "implicit_security_negotiates_connect_and_identify",
      .source = "COM Security Defaults; Security Blanket Negotiation",
      .client = ALICE_WS, .server = SVC(WS), .hr = NTSEC_S_OK, .user = "alice", .level = IDENT,
      .network = NO, .authn = L_CONN },
    { .name = "call_level_is_the_clients_when_higher",
      .source = "Security Blanket Negotiation",
      .client = ALICE_WS, .client_cis = { L_PRIV, I_IMP, 0 }, .server = SVC(WS), .hr = NTSEC_S_OK,
      .user = "alice", .level = IMPER, .network = NO, .authn = L_PRIV },
    { .name = "call_level_is_the_servers_when_higher",
      .source = "Security Blanket Negotiation",
      .client = ALICE_WS, .server = SVC(WS), .server_cis = { L_INT, I_IDEN, 0 }, .hr = NTSEC_S_OK,
      .user = "alice", .level = IDENT, .network = NO, .authn = L_INT },
    { .name = "call_level_is_promoted_to_packet",
      .source = "Authentication Level (CALL is raised to PKT)",
      .client = ALICE_WS, .client_cis = { L_CALL, I_IDEN, 0 }, .server = SVC(WS), .hr = NTSEC_S_OK,
      .user = "alice", .level = IDENT, .network = NO, .authn = L_PKT },
    { .name = "blanket_below_the_servers_level_is_access_denied",
      .source = "CoInitializeSecurity (dwAuthnLevel: lower calls fail)",
      .client = ALICE_WS, .blanket = true, .b_authn = L_CONN, .b_imp = I_IDEN, .server = SVC(WS),
      .server_cis = { L_PRIV, I_IDEN, 0 }, .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "blanket_at_the_servers_level_is_served",
      .source = "IClientSecurity::SetBlanket; CoInitializeSecurity",
      .client = ALICE_WS, .blanket = true, .b_authn = L_PRIV, .b_imp = I_IDEN, .server = SVC(WS),
      .server_cis = { L_PRIV, I_IDEN, 0 }, .hr = NTSEC_S_OK, .user = "alice", .level = IDENT,
      .network = NO, .authn = L_PRIV },
    { .name = "blanket_level_default_keeps_the_negotiated_level",
      .source = "IClientSecurity::SetBlanket (RPC_C_AUTHN_LEVEL_DEFAULT)",
      .client = ALICE_WS, .blanket = true, .b_imp = I_IDEN, .server = SVC(WS),
      .server_cis = { L_INT, I_IDEN, 0 }, .hr = NTSEC_S_OK, .user = "alice", .level = IDENT,
      .network = NO, .authn = L_INT },
    /* the impersonation level */
    { .name = "server_sees_the_clients_impersonation_level",
      .source = "Impersonation Levels; Security Blanket Negotiation",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .server = SVC(WS), .hr = NTSEC_S_OK,
      .user = "alice", .level = IMPER, .network = NO, .authn = L_CONN },
    { .name = "server_without_impersonate_privilege_sees_identification",
      .source = "RpcImpersonateClient, Remarks (SeImpersonatePrivilege)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .server = { "alice", WS },
      .hr = NTSEC_S_OK, .user = "bob", .level = IDENT, .network = NO },
    { .name = "local_delegate_level_is_delegation",
      .source = "Impersonation Levels (delegate)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 }, .server = SVC(WS), .hr = NTSEC_S_OK,
      .user = "alice", .level = DELEG, .network = NO },
    { .name = "local_anonymous_level_is_honoured",
      .source = "Impersonation Levels (anonymous: local transport only)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_ANON, 0 }, .server = SVC(WS), .hr = NTSEC_S_OK,
      .level = ANON },
    { .name = "blanket_imp_level_default_is_the_processes",
      .source = "IClientSecurity::SetBlanket (RPC_C_IMP_LEVEL_DEFAULT)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .blanket = true, .server = SVC(WS),
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = NO },
    { .name = "blanket_imp_level_is_assigned_not_negotiated",
      .source = "IClientSecurity::SetBlanket; Security Blanket Negotiation",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IDEN, 0 }, .blanket = true, .b_imp = I_IMP,
      .server = SVC(WS), .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = NO },
    /* remote calls */
    { .name = "remote_call_gets_a_network_logon",
      .source = "Impersonation Levels; Delegation and Impersonation",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .server = SVC(S1), .hr = NTSEC_S_OK,
      .user = "alice", .level = IMPER, .network = YES },
    { .name = "remote_anonymous_is_promoted_to_identify",
      .source = "Impersonation Levels (other transports promote anonymous)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_ANON, 0 }, .server = SVC(S1), .hr = NTSEC_S_OK,
      .user = "alice", .level = IDENT, .network = YES },
    { .name = "remote_delegate_to_a_trusted_server_is_delegation",
      .source = "Delegation and Impersonation; Impersonation Levels",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 }, .server = SYS(S1), .hr = NTSEC_S_OK,
      .user = "alice", .level = DELEG, .network = YES },
    { .name = "remote_delegate_to_an_untrusted_server_is_impersonation",
      .source = "Delegation and Impersonation (trusted for delegation)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 }, .server = SYS(S2), .hr = NTSEC_S_OK,
      .user = "alice", .level = IMPER, .network = YES },
    { .name = "sensitive_account_is_not_delegated",
      .source = "Delegation and Impersonation (sensitive and cannot be delegated)",
      .client = CAROL_WS, .client_cis = { L_CONN, I_DEL, 0 }, .server = SYS(S1), .hr = NTSEC_S_OK,
      .user = "carol", .level = IMPER, .network = YES },
    /* cloaking: bob's thread impersonates alice */
    { .name = "without_cloaking_the_process_token_is_presented",
      .source = "Cloaking (no cloaking: the process token)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .thread_user = "alice",
      .thread_level = IMPER, .server = SVC(WS), .hr = NTSEC_S_OK, .user = "bob", .level = IMPER,
      .network = NO },
    { .name = "static_cloaking_presents_the_thread_token_at_the_first_call",
      .source = "Cloaking (static, set by CoInitializeSecurity)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, STATIC_CLOAK }, .thread_user = "alice",
      .thread_level = IMPER, .server = SVC(WS), .hr = NTSEC_S_OK, .user = "alice", .level = IMPER,
      .network = NO },
    { .name = "dynamic_cloaking_presents_the_thread_token",
      .source = "Cloaking (dynamic)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .thread_user = "alice",
      .thread_level = IMPER, .blanket = true, .b_caps = DYNAMIC_CLOAK, .server = SVC(WS),
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = NO },
    { .name = "static_cloaking_by_set_blanket_keeps_the_identity_of_that_moment",
      .source = "Cloaking (SetBlanket fixes the static identity); EOLE_AUTHENTICATION_CAPABILITIES",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .thread_user = "alice",
      .thread_level = IMPER, .impersonate_after_blanket = true, .blanket = true,
      .b_caps = STATIC_CLOAK, .server = SVC(WS), .hr = NTSEC_S_OK, .user = "bob", .level = IMPER,
      .network = NO },
    { .name = "dynamic_cloaking_after_set_blanket_follows_the_thread",
      .source = "Cloaking (dynamic: the token at each call)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .thread_user = "alice",
      .thread_level = IMPER, .impersonate_after_blanket = true, .blanket = true,
      .b_caps = DYNAMIC_CLOAK, .server = SVC(WS), .hr = NTSEC_S_OK, .user = "alice", .level = IMPER,
      .network = NO },
    { .name = "cloaked_call_from_an_identification_thread_is_access_denied",
      .source = "Cloaking (at identify the server cannot make cloaked calls)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK }, .thread_user = "alice",
      .thread_level = IDENT, .server = SVC(WS), .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "uncloaked_call_from_an_identification_thread_presents_the_process",
      .source = "Cloaking; Impersonation Level Constants",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .thread_user = "alice",
      .thread_level = IDENT, .server = SVC(WS), .hr = NTSEC_S_OK, .user = "bob", .level = IMPER,
      .network = NO },
    /* chains A -> B -> C: B impersonates A, then calls C */
    { .name = "chain_without_cloaking_c_sees_b",
      .source = "Cloaking (A->B->C, no cloaking)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .mid = SVC(WS),
      .mid_cis = { L_CONN, I_IMP, 0 }, .server = SYS(WS), .hr = NTSEC_S_OK, .user = "svc-web",
      .level = IMPER, .network = NO },
    { .name = "chain_with_dynamic_cloaking_c_sees_a",
      .source = "Cloaking (A->B->C, dynamic cloaking)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .mid = SVC(WS),
      .mid_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK }, .server = SYS(WS), .hr = NTSEC_S_OK,
      .user = "alice", .level = IMPER, .network = NO },
    { .name = "chain_with_static_cloaking_c_sees_a_captured_at_the_first_call",
      .source = "Cloaking (static: captured at the first call)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .mid = SVC(WS),
      .mid_cis = { L_CONN, I_IMP, STATIC_CLOAK }, .server = SYS(WS), .hr = NTSEC_S_OK,
      .user = "alice", .level = IMPER, .network = NO },
    { .name = "chain_at_identify_cannot_be_cloaked",
      .source = "Cloaking (the client must grant impersonate or delegate)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IDEN, 0 }, .mid = SVC(WS),
      .mid_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK }, .server = SYS(WS), .hr = NTSEC_E_ACCESSDENIED,
      .level = -1 },
    { .name = "chain_across_two_machine_boundaries_at_impersonate_fails",
      .source = "Cloaking (A on M1, B on M2, C on M1: B to C fails)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .mid = SYS(S1),
      .mid_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK }, .server = SVC(WS), .hr = NTSEC_E_ACCESSDENIED,
      .level = -1 },
    { .name = "chain_across_two_machine_boundaries_at_delegate_works",
      .source = "Cloaking; Delegation and Impersonation",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 }, .mid = SYS(S1),
      .mid_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK }, .server = SVC(WS), .hr = NTSEC_S_OK,
      .user = "alice", .level = IMPER, .network = YES },
    /* explicit credentials and access permissions */
    { .name = "explicit_credentials_run_the_call_as_that_account",
      .source = "CoSetProxyBlanket (pAuthInfo: RPC logs the user on)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .blanket = true, .b_user = "bob",
      .server = SVC(WS), .hr = NTSEC_S_OK, .user = "bob", .level = IMPER, .network = YES },
    { .name = "access_permissions_refuse_another_user",
      .source = "CoInitializeSecurity (pSecDesc: access permissions)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IDEN, 0 }, .server = SVC(WS),
      .server_cis = { L_CONN, I_IDEN, 0 }, .allowed = "bob", .hr = NTSEC_E_ACCESSDENIED,
      .level = -1 },
    { .name = "access_permissions_let_the_listed_user_in",
      .source = "CoInitializeSecurity (pSecDesc: access permissions)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IDEN, 0 }, .server = SVC(WS),
      .server_cis = { L_CONN, I_IDEN, 0 }, .allowed = "alice", .hr = NTSEC_S_OK, .user = "alice",
      .level = IDENT, .network = NO },
    /* chains of four processes, each hop checked: A -> B -> C -> D */
    { .name = "four_processes_without_cloaking_each_sees_its_callers_process",
      .source = "Cloaking, Cloaking Scenarios (no cloaking: each sees the process that called it)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = SVC(WS), .mid_cis = { L_CONN, I_IMP, 0 }, .mid2 = SYS(WS), .mid2_cis = { L_CONN, I_IMP, 0 },
      .server = BOB_WS, .at_mid = { "alice", IMPER, NO }, .at_mid2 = { "svc-web", IMPER, NO },
      .hr = NTSEC_S_OK, .user = "SYSTEM", .level = IMPER, .network = NO },
    { .name = "four_processes_with_dynamic_cloaking_all_see_the_client",
      .source = "Cloaking, Cloaking Scenarios (dynamic cloaking at B and C)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = SVC(WS), .mid_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK },
      .mid2 = SYS(WS), .mid2_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK },
      .server = BOB_WS, .at_mid = { "alice", IMPER, NO }, .at_mid2 = { "alice", IMPER, NO },
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = NO },
    { .name = "four_processes_cloaking_only_at_c_shows_b",
      .source = "Cloaking (C cloaks the identity it impersonates: B's process)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = SVC(WS), .mid_cis = { L_CONN, I_IMP, 0 },
      .mid2 = SYS(WS), .mid2_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK },
      .server = BOB_WS, .at_mid = { "alice", IMPER, NO }, .at_mid2 = { "svc-web", IMPER, NO },
      .hr = NTSEC_S_OK, .user = "svc-web", .level = IMPER, .network = NO },
    { .name = "four_processes_at_delegate_keep_delegation_on_one_machine",
      .source = "Impersonation Levels (delegate); Cloaking",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 },
      .mid = SVC(WS), .mid_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .mid2 = SYS(WS), .mid2_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .server = BOB_WS, .at_mid = { "alice", DELEG, NO }, .at_mid2 = { "alice", DELEG, NO },
      .hr = NTSEC_S_OK, .user = "alice", .level = DELEG, .network = NO },
    { .name = "four_processes_with_static_cloaking_show_the_identity_captured_first",
      .source = "Cloaking, Cloaking Scenarios (static at B and C: D sees B's identity set on an earlier call)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = SVC(WS), .mid_cis = { L_CONN, I_IMP, STATIC_CLOAK }, .mid_warmup = true,
      .mid2 = SYS(WS), .mid2_cis = { L_CONN, I_IMP, STATIC_CLOAK },
      .server = BOB_WS, .at_mid = { "alice", IMPER, NO }, .at_mid2 = { "svc-web", IMPER, NO },
      .hr = NTSEC_S_OK, .user = "svc-web", .level = IMPER, .network = NO },
    /* a middle tier that impersonates: static against dynamic cloaking */
    { .name = "static_cloaking_in_the_middle_keeps_its_first_calls_identity",
      .source = "Cloaking, Types of Cloaking (static: the identity of the first call is used for all future calls)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = SVC(WS), .mid_cis = { L_CONN, I_IMP, STATIC_CLOAK }, .mid_warmup = true,
      .server = SYS(WS), .at_mid = { "alice", IMPER, NO },
      .hr = NTSEC_S_OK, .user = "svc-web", .level = IMPER, .network = NO },
    { .name = "dynamic_cloaking_in_the_middle_follows_each_client",
      .source = "Cloaking (dynamic: the thread token at each call)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = SVC(WS), .mid_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK }, .mid_warmup = true,
      .server = SYS(WS), .at_mid = { "alice", IMPER, NO },
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = NO },
    /* delegation across WORKSTATION, SERVER1 (trusted) and SERVER2 (not) */
    { .name = "delegate_level_crosses_three_machines",
      .source = "Delegation and Impersonation; Impersonation Levels (delegate: any number of boundaries)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 },
      .mid = SYS(S1), .mid_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .server = SYS(S2), .at_mid = { "alice", DELEG, YES },
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = YES },
    { .name = "delegation_carries_through_a_local_hop_to_a_third_machine",
      .source = "Cloaking; Delegation and Impersonation",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 },
      .mid = SYS(S1), .mid_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .mid2 = SYS(S1), .mid2_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .server = SVC(S2), .at_mid = { "alice", DELEG, YES }, .at_mid2 = { "alice", DELEG, YES },
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = YES },
    { .name = "untrusted_middle_server_gets_no_delegation_and_cannot_hop",
      .source = "Delegation and Impersonation (the server must be trusted for delegation); Cloaking",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 },
      .mid = SYS(S2), .mid_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .server = SYS(S1), .at_mid = { "alice", IMPER, YES },
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "sensitive_account_is_not_delegated_past_the_first_machine",
      .source = "Delegation and Impersonation (sensitive and cannot be delegated); Cloaking",
      .client = CAROL_WS, .client_cis = { L_CONN, I_DEL, 0 },
      .mid = SYS(S1), .mid_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .server = SYS(S2), .at_mid = { "carol", IMPER, YES },
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "delegated_then_impersonate_level_cannot_hop_again",
      .source = "Cloaking (impersonate: one computer boundary); Delegation and Impersonation",
      .client = ALICE_WS, .client_cis = { L_CONN, I_DEL, 0 },
      .mid = SYS(S1), .mid_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .mid2 = SYS(S2), .mid2_cis = { L_CONN, I_DEL, DYNAMIC_CLOAK },
      .server = SVC(WS), .at_mid = { "alice", DELEG, YES }, .at_mid2 = { "alice", IMPER, YES },
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "impersonate_level_crosses_one_boundary_then_stays_local",
      .source = "Cloaking (impersonate: only one computer boundary)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = SYS(S1), .mid_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK },
      .mid2 = SYS(S1), .mid2_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK },
      .server = SYS(S2), .at_mid = { "alice", IMPER, YES }, .at_mid2 = { "alice", IMPER, YES },
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "impersonate_level_served_locally_on_the_second_machine",
      .source = "Cloaking (impersonate: the token works on the server's machine)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = SYS(S1), .mid_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK },
      .server = SVC(S1), .at_mid = { "alice", IMPER, YES },
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = YES },
    /* the authentication level an object requires */
    { .name = "privacy_object_refuses_connect_then_serves_privacy",
      .source = "CoInitializeSecurity (dwAuthnLevel: lower calls fail); IClientSecurity::SetBlanket",
      .client = ALICE_WS, .blanket = true, .b_authn = L_CONN, .b_imp = I_IDEN,
      .server = SVC(WS), .server_cis = { L_PRIV, I_IDEN, 0 },
      .first_hr = NTSEC_E_ACCESSDENIED, .raise_to = L_PRIV,
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_PRIV },
    { .name = "privacy_object_refuses_integrity_too",
      .source = "CoInitializeSecurity (dwAuthnLevel); Authentication Level (the levels are ordered)",
      .client = ALICE_WS, .blanket = true, .b_authn = L_CONN, .b_imp = I_IDEN,
      .server = SVC(WS), .server_cis = { L_PRIV, I_IDEN, 0 },
      .first_hr = NTSEC_E_ACCESSDENIED, .raise_to = L_INT,
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    /* cloaking from threads below Impersonation */
    { .name = "static_cloaking_from_an_identification_thread_is_access_denied",
      .source = "Cloaking (at identify the server cannot make cloaked calls)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, STATIC_CLOAK }, .thread_user = "alice",
      .thread_level = IDENT, .server = SVC(WS), .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "anonymous_thread_cannot_make_a_cloaked_call",
      .source = "Cloaking (anonymous or identify: no cloaked calls)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK }, .thread_user = "alice",
      .thread_level = ANON, .server = SVC(WS), .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "static_cloaking_set_blanket_on_an_identification_thread_changes_nothing",
      .source = "Cloaking; IClientSecurity::SetBlanket (fails: the blanket stays)",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .thread_user = "alice",
      .thread_level = IDENT, .blanket = true, .b_caps = STATIC_CLOAK, .server = SVC(WS),
      .blanket_hr = NTSEC_E_ACCESSDENIED,
      .hr = NTSEC_S_OK, .user = "bob", .level = IMPER, .network = NO },
    /* a server without SeImpersonatePrivilege */
    { .name = "remote_server_without_impersonate_privilege_sees_identification",
      .source = "RpcImpersonateClient, Remarks; Impersonation Levels",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .server = { "alice", S1 },
      .hr = NTSEC_S_OK, .user = "bob", .level = IDENT, .network = YES },
    { .name = "server_without_impersonate_privilege_impersonates_its_own_user",
      .source = "RpcImpersonateClient, Remarks; ImpersonateLoggedOnUser, Remarks (the caller's own identity)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .server = ALICE_WS,
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = NO },
    { .name = "middle_without_impersonate_privilege_cannot_cloak",
      .source = "RpcImpersonateClient, Remarks; Cloaking (identify: no cloaked calls)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = CAROL_WS, .mid_cis = { L_CONN, I_IMP, DYNAMIC_CLOAK },
      .server = SYS(WS), .at_mid = { "alice", IDENT, NO },
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "middle_without_impersonate_privilege_calls_on_as_itself",
      .source = "RpcImpersonateClient, Remarks; Cloaking (no cloaking: the process token)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 },
      .mid = CAROL_WS, .mid_cis = { L_CONN, I_IMP, 0 },
      .server = SYS(WS), .at_mid = { "alice", IDENT, NO },
      .hr = NTSEC_S_OK, .user = "carol", .level = IMPER, .network = NO },
    /* access permissions by group (COM_RIGHTS_EXECUTE = 1) */
    { .name = "access_permissions_let_an_allowed_group_in",
      .source = "CoInitializeSecurity (pSecDesc); How DACLs Control Access to an Object",
      .client = BOB_WS, .server = SVC(WS), .server_cis = { L_CONN, I_IDEN, 0 },
      .access = "O:SYG:SYD:(D;;1;;;" DEVELOPERS ")(A;;1;;;" DOMAIN_USERS ")",
      .hr = NTSEC_S_OK, .user = "bob", .level = IDENT, .network = NO },
    { .name = "access_permissions_deny_a_denied_group",
      .source = "CoInitializeSecurity (pSecDesc); How DACLs Control Access to an Object (deny ACE first)",
      .client = ALICE_WS, .server = SVC(WS), .server_cis = { L_CONN, I_IDEN, 0 },
      .access = "O:SYG:SYD:(D;;1;;;" DEVELOPERS ")(A;;1;;;" DOMAIN_USERS ")",
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "access_permissions_are_read_in_ace_order",
      .source = "How DACLs Control Access to an Object (the first ACE that decides wins)",
      .client = ALICE_WS, .server = SVC(WS), .server_cis = { L_CONN, I_IDEN, 0 },
      .access = "O:SYG:SYD:(A;;1;;;" DOMAIN_USERS ")(D;;1;;;" DEVELOPERS ")",
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO },
    /* an unauthenticated (NONE) call is ANONYMOUS LOGON to the access list */
    { .name = "unauthenticated_call_is_not_let_in_by_everyone",
      .source = "CoInitializeSecurity (pSecDesc); ImpersonateAnonymousToken, Remarks (Everyone leaves out anonymous)",
      .client = ALICE_WS, .client_cis = { NTSEC_AUTHN_LEVEL_NONE, I_IMP, 0 },
      .server = SVC(WS), .server_cis = { NTSEC_AUTHN_LEVEL_NONE, I_IDEN, 0 },
      .access = "O:SYG:SYD:(A;;1;;;WD)", .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "unauthenticated_call_is_let_in_by_an_anonymous_logon_ace",
      .source = "CoInitializeSecurity (pSecDesc); Well-known SIDs (ANONYMOUS LOGON, S-1-5-7)",
      .client = ALICE_WS, .client_cis = { NTSEC_AUTHN_LEVEL_NONE, I_IMP, 0 },
      .server = SVC(WS), .server_cis = { NTSEC_AUTHN_LEVEL_NONE, I_IDEN, 0 },
      .access = "O:SYG:SYD:(A;;1;;;AN)", .hr = NTSEC_S_OK, .level = -1,
      .authn = NTSEC_AUTHN_LEVEL_NONE,
      .impersonate_hr = NTSEC_E_FAIL },     /* IServerSecurity::ImpersonateClient: not at NONE */
    { .name = "unauthenticated_call_is_refused_by_an_empty_dacl",
      .source = "CoInitializeSecurity (pSecDesc: an empty DACL allows no access)",
      .client = ALICE_WS, .client_cis = { NTSEC_AUTHN_LEVEL_NONE, I_IMP, 0 },
      .server = SVC(WS), .server_cis = { NTSEC_AUTHN_LEVEL_NONE, I_IDEN, 0 },
      .access = "O:SYG:SYD:", .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "call_level_blanket_is_processed_and_reported_as_pkt",
      .source = "[MS-RPCE] 2.2.1.1.8 (CALL is upgraded to PKT); IServerSecurity::QueryBlanket",
      .client = ALICE_WS, .blanket = true, .b_authn = L_CALL, .b_imp = I_IDEN, .server = SVC(WS),
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_PKT },
    { .name = "access_permissions_denying_network_refuse_a_remote_caller",
      .source = "CoInitializeSecurity (pSecDesc); Well-known SIDs (NETWORK); Impersonation Levels",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .server = SYS(S1),
      .server_cis = { L_CONN, I_IDEN, 0 }, .access = "O:SYG:SYD:(D;;1;;;NU)(A;;1;;;WD)",
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "access_permissions_denying_network_let_a_local_caller_in",
      .source = "CoInitializeSecurity (pSecDesc); Well-known SIDs (NETWORK)",
      .client = ALICE_WS, .client_cis = { L_CONN, I_IMP, 0 }, .server = SYS(WS),
      .server_cis = { L_CONN, I_IDEN, 0 }, .access = "O:SYG:SYD:(D;;1;;;NU)(A;;1;;;WD)",
      .hr = NTSEC_S_OK, .user = "alice", .level = IMPER, .network = NO },
    { .name = "empty_dacl_lets_nobody_in",
      .source = "CoInitializeSecurity (a DACL with no ACEs allows no access)",
      .client = ALICE_WS, .server = SVC(WS), .server_cis = { L_CONN, I_IDEN, 0 },
      .access = "O:SYG:SYD:", .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    /* AppIDs: CoInitializeSecurity with EOAC_APPID */
    { .name = "appid_gives_its_authentication_level",
      .source = "EOLE_AUTHENTICATION_CAPABILITIES (EOAC_APPID, Remarks); AuthenticationLevel",
      .client = ALICE_WS, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_CIS, true, L_PRIV, NULL, false },
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_PRIV },
    { .name = "appid_level_refuses_a_lower_blanket_until_raised",
      .source = "EOLE_AUTHENTICATION_CAPABILITIES (EOAC_APPID); CoInitializeSecurity (lower calls fail)",
      .client = ALICE_WS, .blanket = true, .b_authn = L_CONN, .b_imp = I_IDEN, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_CIS, true, L_INT, NULL, false },
      .first_hr = NTSEC_E_ACCESSDENIED, .raise_to = L_INT,
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_INT },
    { .name = "appid_access_permission_lets_its_group_in",
      .source = "EOLE_AUTHENTICATION_CAPABILITIES (Remarks); AccessPermission",
      .client = ALICE_WS, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_CIS, true, L_CONN, "O:SYG:SYD:(A;;1;;;" DOMAIN_USERS ")(D;;1;;;WD)", false },
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_CONN },
    { .name = "appid_access_permission_denies_a_group",
      .source = "EOLE_AUTHENTICATION_CAPABILITIES (Remarks); AccessPermission",
      .client = CAROL_WS, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_CIS, true, L_CONN, "O:SYG:SYD:(D;;1;;;" DEVELOPERS ")(A;;1;;;WD)", false },
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "appid_at_level_none_has_no_access_check",
      .source = "EOLE_AUTHENTICATION_CAPABILITIES (Remarks: access permission only when the level is not NONE)",
      .client = CAROL_WS, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_CIS, true, NTSEC_AUTHN_LEVEL_NONE, "O:SYG:SYD:(D;;1;;;WD)", false },
      .hr = NTSEC_S_OK, .user = "carol", .level = IDENT, .network = NO, .authn = L_CONN },
    { .name = "appid_without_a_level_is_connect_whatever_the_arguments",
      .source = "EOLE_AUTHENTICATION_CAPABILITIES (EOAC_APPID: the other parameters are ignored; Remarks: default CONNECT)",
      .client = ALICE_WS, .server = SVC(WS), .server_cis = { L_PRIV, I_DEL, DYNAMIC_CLOAK },
      .appid = &(const struct appid_use){ BY_CIS, true, 0, "O:SYG:SYD:(A;;1;;;WD)", false },
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_CONN },
    { .name = "unregistered_appid_gives_the_machine_defaults",
      .source = "CoInitializeSecurity, Remarks (an error only before Windows NT 4 SP4); EOLE_AUTHENTICATION_CAPABILITIES, Remarks",
      .client = ALICE_WS, .server = SVC(WS), .server_cis = { L_PRIV, I_IMP, 0 },
      .appid = &(const struct appid_use){ BY_CIS, false, 0, NULL, false },
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_CONN },
    /* COM+ applications: library (in the host) and server (its own settings) */
    { .name = "library_application_runs_with_its_hosts_settings",
      .source = "Library Application Security (the host's process-level security); Types of COM+ Applications",
      .client = ALICE_WS, .server = SVC(WS), .server_cis = { L_CONN, I_IDEN, 0 },
      .appid = &(const struct appid_use){ BY_EXPORT, true, L_PRIV, "O:SYG:SYD:(D;;1;;;WD)", true },
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_CONN },
    { .name = "library_application_obeys_its_hosts_access_permissions",
      .source = "Library Application Security (no process-level security of its own); CoInitializeSecurity (pSecDesc)",
      .client = ALICE_WS, .server = SVC(WS), .server_cis = { L_CONN, I_IDEN, 0 }, .allowed = "bob",
      .appid = &(const struct appid_use){ BY_EXPORT, true, L_CONN, "O:SYG:SYD:(A;;1;;;WD)", true },
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "library_application_in_an_unsecured_host_gets_the_defaults",
      .source = "Library Application Security; COM Security Defaults",
      .client = ALICE_WS, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_EXPORT, true, L_PRIV, NULL, true },
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_CONN },
    { .name = "server_application_applies_its_own_level",
      .source = "Types of COM+ Applications (a server application runs in its own process); EOLE_AUTHENTICATION_CAPABILITIES (EOAC_APPID)",
      .client = ALICE_WS, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_EXPORT, true, L_PRIV, NULL, false },
      .hr = NTSEC_S_OK, .user = "alice", .level = IDENT, .network = NO, .authn = L_PRIV },
    { .name = "server_application_applies_its_own_access_permission",
      .source = "Types of COM+ Applications; AccessPermission",
      .client = ALICE_WS, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_EXPORT, true, L_CONN, "O:SYG:SYD:(D;;1;;;" DEVELOPERS ")(A;;1;;;WD)", false },
      .hr = NTSEC_E_ACCESSDENIED, .level = -1 },
    { .name = "server_application_lets_an_allowed_caller_in",
      .source = "Types of COM+ Applications; AccessPermission",
      .client = BOB_WS, .client_cis = { L_CONN, I_IMP, 0 }, .server = SVC(WS),
      .appid = &(const struct appid_use){ BY_EXPORT, true, L_CONN, "O:SYG:SYD:(D;;1;;;" DEVELOPERS ")(A;;1;;;WD)", false },
      .hr = NTSEC_S_OK, .user = "bob", .level = IMPER, .network = NO, .authn = L_CONN },
};

#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

/* An absolute SD: owner and group SYSTEM, a DACL granting
 * COM_RIGHTS_EXECUTE (1) to one user. */
struct access_sd {
    struct ntsec_sd_absolute sd;
    struct ntsec_sid owner, user;
    _Alignas(4) uint8_t acl[128];
};

static const void *make_access_sd(struct access_sd *a, const char *user)
{
    char domain[64];
    size_t dsize = sizeof(domain);
    enum ntsec_sid_use use;
    struct ntsec_acl *acl = (struct ntsec_acl *)a->acl;

    CU_ASSERT_FATAL(ntsec_account_lookup_name(user, &a->user, domain, &dsize, &use) ==
                    NTSEC_STATUS_SUCCESS);
    tf_sid(&a->owner, "S-1-5-18");
    CU_ASSERT_FATAL(ntsec_sd_init(&a->sd, 1) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_acl_init(acl, sizeof(a->acl), 2) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_acl_add_access_ace(acl, 2, NTSEC_ACE_ACCESS_ALLOWED, 0, 1, &a->user) ==
                    NTSEC_STATUS_SUCCESS);
    ntsec_sd_set_owner(&a->sd, &a->owner, false);
    ntsec_sd_set_group(&a->sd, &a->owner, false);
    ntsec_sd_set_dacl(&a->sd, true, acl, false);
    return &a->sd;
}

/* An SD parsed from SDDL, in the absolute form CoInitializeSecurity
 * takes ("CoInitializeSecurity", pSecDesc). */
struct sddl_sd {
    void *rel;
    struct ntsec_sd_absolute sd;
    _Alignas(8) uint8_t dacl[256];
    struct ntsec_sid owner, group;
};

static const void *sddl_access_sd(struct sddl_sd *a, const char *sddl)
{
    uint32_t size;
    struct ntsec_sd_absolute_buffers b = {
        &a->sd, sizeof(a->sd), (struct ntsec_acl *)a->dacl, sizeof(a->dacl), NULL, 0,
        &a->owner, sizeof(a->owner), &a->group, sizeof(a->group),
    };

    CU_ASSERT_FATAL(ntsec_sddl_to_sd(sddl, NULL, NTSEC_SDDL_REVISION_1, &a->rel, &size, NULL) ==
                    NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_sd_relative_to_absolute(a->rel, &b) == NTSEC_STATUS_SUCCESS);
    return &a->sd;
}

/* One server of a scenario: its process, its object, and the proxy it
 * calls on with (NULL for the last). */
struct tier {
    struct party party;
    struct hop hop;
    uint32_t cookie;
    const struct cis *cis;
    const uint32_t *next_cookie;
    bool warmup;
};

/* What each party's thread does, with the row and the shared state. */
struct scene {
    const struct row *row;
    struct party client;
    struct tier mid, mid2, server;
    struct ntsec_token *thread_token;
    ntsec_hresult hr, first_hr, blanket_hr;
    struct access_sd sd;
    struct sddl_sd sddl;
};

/* An AppID of the scenarios: any GUID will do. */
static const uint8_t scene_appid[16] = { 0x5a, 0x1e, 0x70, 0x1d, 0x00, 0x01, 0x40, 0x00,
                                         0x80, 0x00, 0x00, 0xaa, 0x00, 0x60, 0x2e, 0x01 };

static void initialise_as(const struct cis *c, const void *sd, uint32_t extra_caps)
{
    const struct ntsec_com_security_args args = { .security_descriptor = sd, .auth_svc_count = -1,
                                                  .authn_level = c->authn, .imp_level = c->imp,
                                                  .capabilities = c->caps | extra_caps };

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    if (c->imp || extra_caps)
        CU_ASSERT(ntsec_com_initialize_security(&args) == NTSEC_S_OK);
}

static void initialise(const struct cis *c, const void *sd)
{
    initialise_as(c, sd, 0);
}

/* The row's access list for CoInitializeSecurity, or NULL. */
static const void *server_access(struct scene *s)
{
    if (s->row->access)
        return sddl_access_sd(&s->sddl, s->row->access);
    return s->row->allowed ? make_access_sd(&s->sd, s->row->allowed) : NULL;
}

static void register_appid(const struct appid_use *a)
{
    struct ntsec_com_appid_settings set = { a->level, NULL, a->library };
    void *rel = NULL;
    uint32_t size;

    if (!a->registered)
        return;
    if (a->access)
        CU_ASSERT_FATAL(ntsec_sddl_to_sd(a->access, NULL, NTSEC_SDDL_REVISION_1, &rel, &size,
                                         NULL) == NTSEC_STATUS_SUCCESS);
    set.access_sd = rel;
    CU_ASSERT_FATAL(ntsec_com_appid_register(scene_appid, &set) == NTSEC_S_OK);
    ntsec_mem_free(rel);
}

static void server_up(void *arg)
{
    struct scene *s = arg;
    const struct appid_use *a = s->row->appid;
    const struct ntsec_com_object obj = { &s->server.hop, hop_invoke, NULL };

    if (a)
        register_appid(a);
    if (a && a->how == BY_CIS)
        initialise_as(&s->row->server_cis, scene_appid, NTSEC_EOAC_APPID);
    else
        initialise(&s->row->server_cis, server_access(s));
    if (a && a->how == BY_EXPORT) {
        CU_ASSERT(ntsec_com_export_appid(&obj, scene_appid, &s->server.cookie) == NTSEC_S_OK);
    } else {
        CU_ASSERT(ntsec_com_export(&obj, &s->server.cookie) == NTSEC_S_OK);
    }
}

/* A middle server: connect to the next tier, optionally call it once as
 * itself (the proxy's first call: static cloaking captures then), export. */
static void tier_up(void *arg)
{
    struct tier *t = arg;
    const struct ntsec_com_object obj = { &t->hop, hop_invoke, NULL };

    initialise(t->cis, NULL);
    CU_ASSERT(ntsec_com_connect(*t->next_cookie, &t->hop.next) == NTSEC_S_OK);
    if (t->warmup)
        CU_ASSERT(ntsec_com_call(t->hop.next, 3, NULL) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_export(&obj, &t->cookie) == NTSEC_S_OK);
}

static void impersonate_thread_user(struct scene *s)
{
    CU_ASSERT(ntsec_thread_impersonate(ntsec_thread_current(), s->thread_token, false, false,
                                       s->row->thread_level) == NTSEC_STATUS_SUCCESS);
}

static void client_call(void *arg)
{
    struct scene *s = arg;
    const struct row *r = s->row;
    struct ntsec_com_proxy *proxy = NULL;
    char password[64];
    struct ntsec_com_identity id = { r->b_user, NULL, password };
    struct ntsec_com_blanket_args b = { NTSEC_RPC_AUTHN_WINNT, NTSEC_RPC_AUTHZ_NONE, NULL,
                                        r->b_authn, r->b_imp, r->b_user ? &id : NULL, false,
                                        r->b_caps };
    const uint32_t first = r->mid.user ? s->mid.cookie : s->server.cookie;

    snprintf(password, sizeof(password), "%s-password", r->b_user ? r->b_user : "");
    initialise(&r->client_cis, NULL);
    CU_ASSERT_FATAL(ntsec_com_connect(first, &proxy) == NTSEC_S_OK);
    if (r->thread_user && !r->impersonate_after_blanket)
        impersonate_thread_user(s);
    if (r->blanket)
        s->blanket_hr = ntsec_com_proxy_set_blanket(proxy, &b);
    if (r->thread_user && r->impersonate_after_blanket)
        impersonate_thread_user(s);
    s->hr = ntsec_com_call(proxy, 3, NULL);
    if (r->raise_to) {
        /* "Authentication Level": the client raises its blanket's level. */
        const struct ntsec_com_blanket_args raise = {
            NTSEC_RPC_AUTHN_WINNT, NTSEC_RPC_AUTHZ_NONE, NULL, r->raise_to,
            NTSEC_RPC_IMP_LEVEL_DEFAULT, NULL, false, NTSEC_EOAC_DEFAULT };

        s->first_hr = s->hr;
        CU_ASSERT(ntsec_com_proxy_set_blanket(proxy, &raise) == NTSEC_S_OK);
        s->hr = ntsec_com_call(proxy, 3, NULL);
    }
    ntsec_thread_revert(ntsec_thread_current());
    ntsec_com_proxy_release(proxy);
    ntsec_com_uninitialize();
}

static void tier_down(void *arg)
{
    struct tier *t = arg;

    ntsec_com_proxy_release(t->hop.next);
    ntsec_com_uninitialize();
}

static void down(void *arg)
{
    (void)arg;
    ntsec_com_uninitialize();
}

static void check_hop(const struct seen *seen, const struct expect *e)
{
    if (!e->user)
        return;
    CU_ASSERT(seen->called);
    CU_ASSERT_EQUAL(seen->impersonate, NTSEC_S_OK);
    CU_ASSERT_STRING_EQUAL(seen->user, e->user);
    CU_ASSERT_EQUAL(seen->level, e->level);
    if (e->network != ANY)
        CU_ASSERT_EQUAL(seen->network, e->network == YES);
}

static void tier_start(struct tier *t, const struct who *w, const struct cis *c,
                       const uint32_t *next_cookie, bool warmup)
{
    t->cis = c;
    t->next_cookie = next_cookie;
    t->warmup = warmup;
    party_start(&t->party, w->user, w->machine);
    party_do(&t->party, tier_up, t);
}

static void tier_stop(struct tier *t)
{
    party_do(&t->party, tier_down, t);
    party_stop(&t->party);
}

static void run_row(void)
{
    const char *name = CU_get_current_test()->pName;
    struct scene s;
    const struct row *r = NULL;
    const struct seen *last;

    memset(&s, 0, sizeof(s));
    for (size_t i = 0; i < ROW_COUNT; i++)
        if (!strcmp(rows[i].name, name))
            r = s.row = &rows[i];
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    if (r->thread_user)
        s.thread_token = user_token(r->thread_user);
    party_start(&s.server.party, r->server.user, r->server.machine);
    party_do(&s.server.party, server_up, &s);
    if (r->mid2.user)
        tier_start(&s.mid2, &r->mid2, &r->mid2_cis, &s.server.cookie, false);
    if (r->mid.user)
        tier_start(&s.mid, &r->mid, &r->mid_cis,
                   r->mid2.user ? &s.mid2.cookie : &s.server.cookie, r->mid_warmup);
    party_start(&s.client, r->client.user, r->client.machine);
    party_do(&s.client, client_call, &s);

    last = &s.server.hop.seen;
    CU_ASSERT_EQUAL(s.hr, r->hr);
    CU_ASSERT_EQUAL(s.blanket_hr, r->blanket_hr);
    if (r->raise_to)
        CU_ASSERT_EQUAL(s.first_hr, r->first_hr);
    check_hop(&s.mid.hop.seen, &r->at_mid);
    check_hop(&s.mid2.hop.seen, &r->at_mid2);
    if (r->hr == NTSEC_S_OK) {
        CU_ASSERT(last->called);
        CU_ASSERT_EQUAL(last->impersonate, r->impersonate_hr);
        if (r->user)
            CU_ASSERT_STRING_EQUAL(last->user, r->user);
        if (r->level >= 0)
            CU_ASSERT_EQUAL(last->level, r->level);
        if (r->network != ANY)
            CU_ASSERT_EQUAL(last->network, r->network == YES);
        if (r->authn)
            CU_ASSERT_EQUAL(last->authn_level, r->authn);
    }

    party_do(&s.client, down, NULL);
    party_stop(&s.client);
    if (r->mid.user)
        tier_stop(&s.mid);
    if (r->mid2.user)
        tier_stop(&s.mid2);
    party_do(&s.server.party, down, NULL);
    party_stop(&s.server.party);
    if (s.thread_token)
        ntsec_token_put(s.thread_token);
    ntsec_mem_free(s.sddl.rel);
    if (r->appid && r->appid->registered)
        CU_ASSERT(ntsec_com_appid_unregister(scene_appid) == NTSEC_S_OK);
}

/* --- apartments ------------------------------------------------------------------- */

/* CoInitializeEx (Microsoft docs): S_OK, then S_FALSE for the same model,
 * RPC_E_CHANGED_MODE for the other; each success needs a CoUninitialize. */
static void initialize_counts_and_refuses_the_other_model(void)
{
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_STA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_STA), NTSEC_S_FALSE);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_RPC_E_CHANGED_MODE);
    ntsec_com_uninitialize();
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_RPC_E_CHANGED_MODE);
    ntsec_com_uninitialize();
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    ntsec_com_uninitialize();
    ntsec_com_uninitialize();           /* one too many: nothing */
    CU_ASSERT_EQUAL(ntsec_com_initialize(7), NTSEC_E_INVALIDARG);
}

/* A thread that did not initialise COM cannot use it (CO_E_NOTINITIALIZED,
 * "CoInitializeSecurity" / COM error codes). */
static void uninitialised_thread_gets_co_e_notinitialized(void)
{
    const struct ntsec_com_security_args args = { .auth_svc_count = -1, .imp_level = I_IDEN };
    const struct ntsec_com_object obj = { NULL, hop_invoke, NULL };
    struct ntsec_com_proxy *proxy = NULL;
    uint32_t cookie = 0;

    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&args), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_export(&obj, &cookie), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_connect(1, &proxy), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_call(NULL, 3, NULL), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_PTR_NULL(proxy);
    CU_ASSERT_EQUAL(cookie, 0);
}

/* --- CoInitializeSecurity ---------------------------------------------------------- */

static const struct ntsec_com_security_args good_args = {
    .auth_svc_count = -1, .authn_level = L_CONN, .imp_level = I_IDEN,
};

/* CoInitializeSecurity: once per process; a later call is RPC_E_TOO_LATE
 * and changes nothing. */
static void initialize_security_twice_is_too_late(void)
{
    struct ntsec_com_security_args again = good_args;

    again.authn_level = L_PRIV;
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&good_args), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&again), NTSEC_RPC_E_TOO_LATE);
    ntsec_com_uninitialize();
}

/* CoInitializeSecurity: "called implicitly" at the first marshal; an
 * explicit call after that is too late. */
static void initialize_security_after_an_export_is_too_late(void)
{
    const struct ntsec_com_object obj = { NULL, hop_invoke, NULL };
    uint32_t cookie;

    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_export(&obj, &cookie), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&good_args), NTSEC_RPC_E_TOO_LATE);
    CU_ASSERT_EQUAL(ntsec_com_revoke(cookie), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_revoke(cookie), NTSEC_E_INVALIDARG);
    ntsec_com_uninitialize();
}

/* CoInitializeSecurity's argument rules; E_INVALIDARG is ntsec's choice
 * where the page says "must be NULL", "not for use" or "returns an
 * error" (docs/com.md). Each bad call leaves the process free to call
 * again. */
static void initialize_security_bad_arguments_are_invalidarg(void)
{
    static int marker;
    struct access_sd asd;
    struct ntsec_com_security_args bad[10];
    size_t n = 0;

    for (size_t i = 0; i < 10; i++)
        bad[i] = good_args;
    bad[n++].reserved1 = &marker;                               /* pReserved1 must be NULL */
    bad[n++].reserved3 = &marker;                               /* pReserved3 must be NULL */
    bad[n++].imp_level = NTSEC_RPC_IMP_LEVEL_DEFAULT;           /* not for use */
    bad[n].capabilities = NTSEC_EOAC_APPID | NTSEC_EOAC_ACCESS_CONTROL;
    n++;                                                        /* both: error */
    bad[n++].capabilities = NTSEC_EOAC_ACCESS_CONTROL;          /* NULL pSecDesc: error */
    bad[n].auth_svc = &marker;                                  /* -1 with a list */
    n++;
    bad[n++].capabilities = STATIC_CLOAK | DYNAMIC_CLOAK;       /* EOAC: one cloaking */
    bad[n].capabilities = NTSEC_EOAC_SECURE_REFS;               /* EOAC: needs a level */
    bad[n++].authn_level = NTSEC_AUTHN_LEVEL_NONE;
    bad[n].security_descriptor = make_access_sd(&asd, "alice");
    asd.sd.owner = NULL;                                        /* owner must be set */
    n++;
    bad[n++].authn_level = 7;                                   /* no such level */
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(ntsec_com_initialize_security(&bad[i]), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&good_args), NTSEC_S_OK);
    ntsec_com_uninitialize();
}

/* --- the AppID registry ------------------------------------------------------------ */

static const uint8_t other_appid[16] = { 0x5a, 0x1e, 0x70, 0x1d, 0x00, 0x02, 0x40, 0x00,
                                         0x80, 0x00, 0x00, 0xaa, 0x00, 0x60, 0x2e, 0x02 };

static const struct ntsec_com_security_args appid_args = {
    .security_descriptor = scene_appid, .capabilities = NTSEC_EOAC_APPID,
};

/* The level the calling thread's process negotiates with itself: its own
 * (a proxy to an object of its own, "Security Blanket Negotiation"). */
static uint32_t own_level(void)
{
    const struct ntsec_com_object obj = { NULL, hop_invoke, NULL };
    struct ntsec_com_proxy *proxy = NULL;
    struct ntsec_com_blanket b = { 0 };
    uint32_t cookie = 0;

    CU_ASSERT_FATAL(ntsec_com_export(&obj, &cookie) == NTSEC_S_OK);
    CU_ASSERT_FATAL(ntsec_com_connect(cookie, &proxy) == NTSEC_S_OK);
    ntsec_com_proxy_query_blanket(proxy, &b);
    ntsec_com_proxy_release(proxy);
    CU_ASSERT(ntsec_com_revoke(cookie) == NTSEC_S_OK);
    return b.authn_level;
}

/* docs/com.md, "AppIDs" (ntsec's registry): bad input is E_INVALIDARG and
 * registers nothing; an AppID not registered cannot be removed
 * (CO_E_APPNOTFOUND); registering again replaces the values, as writing
 * the AppID key's values again does ("AuthenticationLevel"). */
static void appid_registry_replaces_and_refuses_bad_input(void)
{
    _Alignas(4) uint8_t junk[40] = { 0 };                   /* revision 0: not an SD */
    const struct ntsec_com_appid_settings priv = { L_PRIV, NULL, false };
    const struct ntsec_com_appid_settings high = { 7, NULL, false };
    const struct ntsec_com_appid_settings bad_sd = { L_CONN, junk, false };
    const struct ntsec_com_appid_settings integrity = { L_INT, NULL, false };

    CU_ASSERT_EQUAL(ntsec_com_appid_register(NULL, &priv), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(scene_appid, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(scene_appid, &high), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(scene_appid, &bad_sd), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(scene_appid), NTSEC_CO_E_APPNOTFOUND);
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(NULL), NTSEC_E_INVALIDARG);

    CU_ASSERT_EQUAL(ntsec_com_appid_register(scene_appid, &priv), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(scene_appid, &integrity), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(scene_appid, &bad_sd), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&appid_args), NTSEC_S_OK);
    CU_ASSERT_EQUAL(own_level(), L_INT);
    ntsec_com_uninitialize();
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(scene_appid), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(scene_appid), NTSEC_CO_E_APPNOTFOUND);
}

/* EOLE_AUTHENTICATION_CAPABILITIES, EOAC_APPID: "all other parameters ...
 * are ignored and must be zero" - ntsec refuses the pointers (asAuthSvc,
 * pAuthList) with E_INVALIDARG and ignores the numbers (ntsec's choice,
 * docs/com.md); the reserved pointers stay "must be NULL"
 * (CoInitializeSecurity). A NULL AppID is an executable with no AppID:
 * the machine defaults (EOAC, Remarks). */
static void initialize_security_with_appid_refuses_pointers(void)
{
    static int marker;
    struct ntsec_com_security_args bad[4];
    struct ntsec_com_security_args null_appid = appid_args;
    const struct ntsec_com_appid_settings priv = { L_PRIV, NULL, false };

    for (size_t i = 0; i < 4; i++)
        bad[i] = appid_args;
    bad[0].auth_svc = &marker;
    bad[1].auth_list = &marker;
    bad[2].reserved1 = &marker;
    bad[3].reserved3 = &marker;
    null_appid.security_descriptor = NULL;
    null_appid.authn_level = L_PRIV;                    /* ignored */
    CU_ASSERT_EQUAL(ntsec_com_appid_register(scene_appid, &priv), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    for (size_t i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(ntsec_com_initialize_security(&bad[i]), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&null_appid), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&appid_args), NTSEC_RPC_E_TOO_LATE);
    CU_ASSERT_EQUAL(own_level(), L_CONN);
    ntsec_com_uninitialize();
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(scene_appid), NTSEC_S_OK);
}

/* docs/com.md, "AppIDs": a library application's component goes into any
 * host ("Library Application Security"); a server application's needs a
 * process whose settings are its AppID's ("Types of COM+ Applications":
 * its own process): an unsecured process takes them, one secured
 * otherwise cannot host it (RPC_E_TOO_LATE, ntsec's choice). An AppID not
 * registered is CO_E_APPNOTFOUND (ntsec's choice). */
static void exporting_an_application_component_follows_its_activation_type(void)
{
    static const uint8_t unknown[16] = { 0x0b };
    const struct ntsec_com_appid_settings server = { L_INT, NULL, false };
    const struct ntsec_com_appid_settings library = { L_PRIV, NULL, true };
    const struct ntsec_com_object obj = { NULL, hop_invoke, NULL };
    uint32_t cookie = 0;

    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, scene_appid, &cookie), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(scene_appid, &server), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_appid_register(other_appid, &library), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(NULL, scene_appid, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, NULL, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, scene_appid, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, unknown, &cookie), NTSEC_CO_E_APPNOTFOUND);
    CU_ASSERT_EQUAL(cookie, 0);
    /* an unsecured process becomes the server application's */
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, scene_appid, &cookie), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&good_args), NTSEC_RPC_E_TOO_LATE);
    CU_ASSERT_EQUAL(own_level(), L_INT);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, scene_appid, &cookie), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, other_appid, &cookie), NTSEC_S_OK);
    CU_ASSERT_EQUAL(own_level(), L_INT);                /* the library's level is not applied */
    ntsec_com_uninitialize();
    /* a process secured otherwise hosts libraries only */
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&good_args), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, scene_appid, &cookie), NTSEC_RPC_E_TOO_LATE);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, other_appid, &cookie), NTSEC_S_OK);
    CU_ASSERT_EQUAL(own_level(), L_CONN);
    ntsec_com_uninitialize();
    /* CoInitializeSecurity with the AppID makes the process its application's */
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_initialize_security(&appid_args), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_export_appid(&obj, scene_appid, &cookie), NTSEC_S_OK);
    ntsec_com_uninitialize();
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(scene_appid), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_appid_unregister(other_appid), NTSEC_S_OK);
}

struct appid_oom {
    ntsec_hresult reg, exp, cis, cis_exp;
};

/* Register the AppID (a server application); export its component from
 * an unsecured process; then from one that took the AppID's settings. */
static void appid_oom_run(struct appid_oom *o, const void *sd)
{
    const struct ntsec_com_appid_settings set = { L_PRIV, sd, false };
    const struct ntsec_com_object obj = { NULL, hop_invoke, NULL };
    uint32_t cookie;

    o->reg = ntsec_com_appid_register(scene_appid, &set);
    o->exp = o->cis = o->cis_exp = NTSEC_E_FAIL;
    if (o->reg != NTSEC_S_OK || ntsec_com_initialize(NTSEC_COM_MTA) != NTSEC_S_OK)
        return;
    o->exp = ntsec_com_export_appid(&obj, scene_appid, &cookie);
    if (o->exp != NTSEC_S_OK)           /* nothing changed: the process has no settings */
        CU_ASSERT_EQUAL(ntsec_com_initialize_security(&good_args), NTSEC_S_OK);
    ntsec_com_uninitialize();
    if (ntsec_com_initialize(NTSEC_COM_MTA) != NTSEC_S_OK)
        return;
    o->cis = ntsec_com_initialize_security(&appid_args);
    if (o->cis == NTSEC_S_OK)
        o->cis_exp = ntsec_com_export_appid(&obj, scene_appid, &cookie);
    ntsec_com_uninitialize();
}

/* Registering, taking an AppID's settings and exporting its component
 * survive allocation failure: E_OUTOFMEMORY, nothing half made, nothing
 * leaked; then they succeed. */
static void appid_calls_survive_allocation_failure(void)
{
    struct sddl_sd sd;
    struct appid_oom o = { NTSEC_E_FAIL, NTSEC_E_FAIL, NTSEC_E_FAIL, NTSEC_E_FAIL };

    sddl_access_sd(&sd, "O:SYG:SYD:(A;;1;;;WD)");
    for (long n = 0; (o.exp != NTSEC_S_OK || o.cis_exp != NTSEC_S_OK) && n < 400; n++) {
        testutil_fail_alloc_after(n);
        appid_oom_run(&o, sd.rel);
        testutil_fail_alloc_after(-1);
        CU_ASSERT(o.reg == NTSEC_S_OK || o.reg == NTSEC_E_OUTOFMEMORY);
        CU_ASSERT(o.exp == NTSEC_S_OK || o.exp == NTSEC_E_OUTOFMEMORY || o.exp == NTSEC_E_FAIL);
        CU_ASSERT(o.cis == NTSEC_S_OK || o.cis == NTSEC_E_OUTOFMEMORY || o.cis == NTSEC_E_FAIL);
        CU_ASSERT(o.cis_exp == NTSEC_S_OK || o.cis_exp == NTSEC_E_OUTOFMEMORY ||
                  o.cis_exp == NTSEC_E_FAIL);
        if (o.reg == NTSEC_S_OK)
            CU_ASSERT(ntsec_com_appid_unregister(scene_appid) == NTSEC_S_OK);
    }
    CU_ASSERT_EQUAL(o.exp, NTSEC_S_OK);
    CU_ASSERT_EQUAL(o.cis_exp, NTSEC_S_OK);
    ntsec_mem_free(sd.rel);
}

/* --- a server and a client in two processes, for the ordinary tests ---------- */

struct pair {
    struct party server, client;
    struct hop hop;
    uint32_t cookie;
    struct ntsec_com_proxy *proxy;
    void (*server_fn)(void *);
};

static ntsec_hresult noop_invoke(void *self, uint32_t method, void *arg)
{
    struct pair *p = self;

    (void)method;
    p->server_fn(arg);
    return NTSEC_S_OK;
}

static void pair_server_up(void *arg)
{
    struct pair *p = arg;
    const struct ntsec_com_object obj = { p, noop_invoke, NULL };

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_export(&obj, &p->cookie) == NTSEC_S_OK);
}

static void pair_client_up(void *arg)
{
    struct pair *p = arg;
    const struct ntsec_com_security_args args = { .auth_svc_count = -1, .authn_level = L_CONN,
                                                  .imp_level = I_IMP };

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_initialize_security(&args) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_connect(p->cookie, &p->proxy) == NTSEC_S_OK);
}

static void pair_client_down(void *arg)
{
    struct pair *p = arg;

    ntsec_com_proxy_release(p->proxy);
    ntsec_com_uninitialize();
}

static void pair_start(struct pair *p, void (*server_fn)(void *))
{
    memset(p, 0, sizeof(*p));
    p->server_fn = server_fn;
    party_start(&p->server, "svc-web", WS);
    party_do(&p->server, pair_server_up, p);
    party_start(&p->client, "alice", WS);
    party_do(&p->client, pair_client_up, p);
}

static void pair_stop(struct pair *p)
{
    party_do(&p->client, pair_client_down, p);
    party_stop(&p->client);
    party_do(&p->server, down, NULL);
    party_stop(&p->server);
}

struct call_arg {
    struct pair *pair;
    void *arg;
    ntsec_hresult hr;
};

static void pair_call_step(void *arg)
{
    struct call_arg *c = arg;

    c->hr = ntsec_com_call(c->pair->proxy, 3, c->arg);
}

static ntsec_hresult pair_call(struct pair *p, void *arg)
{
    struct call_arg c = { p, arg, NTSEC_E_FAIL };

    party_do(&p->client, pair_call_step, &c);
    return c.hr;
}

/* --- the server's side ------------------------------------------------------------- */

/* Wine dlls/ole32/tests/compobj.c, test_CoGetCallContext: outside a call
 * there is no call context (RPC_E_CALL_COMPLETE). */
static void no_call_context_outside_a_call(void)
{
    struct ntsec_com_call *call = NULL;

    CU_ASSERT_EQUAL(ntsec_com_call_current(&call), NTSEC_RPC_E_CALL_COMPLETE);
    CU_ASSERT_PTR_NULL(call);
}

struct stack_seen {
    ntsec_hresult first, second, revert;
    int level_after_two, level_after_revert;
    bool impersonating_after_two, impersonating_after_revert;
    struct ntsec_com_call *kept;
};

static void impersonate_twice_revert_once(void *arg)
{
    struct stack_seen *s = arg;
    struct ntsec_com_call *call = NULL;

    CU_ASSERT_FATAL(ntsec_com_call_current(&call) == NTSEC_S_OK);
    s->first = ntsec_com_call_impersonate(call);
    s->second = ntsec_com_call_impersonate(call);
    s->level_after_two = impersonation_level_now();
    s->impersonating_after_two = ntsec_com_call_is_impersonating(call);
    s->revert = ntsec_com_call_revert(call);
    s->level_after_revert = impersonation_level_now();
    s->impersonating_after_revert = ntsec_com_call_is_impersonating(call);
    ntsec_com_call_impersonate(call);   /* left impersonating: COM reverts */
    s->kept = call;                     /* our reference, kept past the call */
}

/* IServerSecurity::RevertToSelf (Microsoft docs): several ImpersonateClient
 * calls do not stack, one RevertToSelf restores the thread; IsImpersonating
 * follows. */
static void two_impersonations_and_one_revert_restore_the_thread(void)
{
    struct pair p;
    struct stack_seen s = { 0 };

    pair_start(&p, impersonate_twice_revert_once);
    CU_ASSERT_EQUAL(pair_call(&p, &s), NTSEC_S_OK);
    CU_ASSERT_EQUAL(s.first, NTSEC_S_OK);
    CU_ASSERT_EQUAL(s.second, NTSEC_S_OK);
    CU_ASSERT_EQUAL(s.level_after_two, IMPER);
    CU_ASSERT(s.impersonating_after_two);
    CU_ASSERT_EQUAL(s.revert, NTSEC_S_OK);
    CU_ASSERT_EQUAL(s.level_after_revert, -1);
    CU_ASSERT(!s.impersonating_after_revert);
    /* After the call: ImpersonateClient is RPC_E_CALL_COMPLETE (com-notes
     * §8, ntsec's choice for RevertToSelf and QueryBlanket too). */
    CU_ASSERT_EQUAL(ntsec_com_call_impersonate(s.kept), NTSEC_RPC_E_CALL_COMPLETE);
    CU_ASSERT_EQUAL(ntsec_com_call_revert(s.kept), NTSEC_RPC_E_CALL_COMPLETE);
    CU_ASSERT(!ntsec_com_call_is_impersonating(s.kept));
    ntsec_com_call_put(s.kept);
    pair_stop(&p);
}

struct revert_seen {
    int level_in_first_call;
    int level_in_second_call;
};

static void impersonate_and_leave(void *arg)
{
    struct revert_seen *s = arg;
    struct ntsec_com_call *call = NULL;
    int before = impersonation_level_now();

    CU_ASSERT_FATAL(ntsec_com_call_current(&call) == NTSEC_S_OK);
    if (s->level_in_first_call == -2) {
        s->level_in_first_call = before;
        ntsec_com_call_impersonate(call);
    } else {
        s->level_in_second_call = before;
    }
    ntsec_com_call_put(call);
}

/* IServerSecurity::ImpersonateClient (Microsoft docs): a method that
 * returns impersonating is reverted by COM; the next call on the same
 * worker thread starts as the server. */
static void the_end_of_a_call_reverts(void)
{
    struct pair p;
    struct revert_seen s = { -2, -2 };

    pair_start(&p, impersonate_and_leave);
    CU_ASSERT_EQUAL(pair_call(&p, &s), NTSEC_S_OK);
    CU_ASSERT_EQUAL(pair_call(&p, &s), NTSEC_S_OK);
    CU_ASSERT_EQUAL(s.level_in_first_call, -1);
    CU_ASSERT_EQUAL(s.level_in_second_call, -1);
    pair_stop(&p);
}

struct thread_seen {
    struct ntsec_com_call *call;
    ntsec_hresult hr;
};

static void keep_call(void *arg)
{
    struct thread_seen *s = arg;

    CU_ASSERT(ntsec_com_call_current(&s->call) == NTSEC_S_OK);
}

static void *other_thread_impersonates(void *arg)
{
    struct thread_seen *s = arg;

    s->hr = ntsec_com_call_impersonate(s->call);
    return NULL;
}

static void hand_call_to_another_thread(void *arg)
{
    struct thread_seen *s = arg;
    pthread_t th;

    keep_call(arg);
    pthread_create(&th, NULL, other_thread_impersonates, s);
    pthread_join(th, NULL);
}

/* A pthread the server's method starts without ntsec_thread_bind is a
 * thread of process 1 (ntsec/process.h), not of the server's process, so
 * it is not a thread of the call's apartment: RPC_E_WRONG_THREAD
 * (docs/com.md; test_com_sta.c has the threads of the apartment, which
 * may impersonate: "IServerSecurity::RevertToSelf"). */
static void impersonation_from_another_thread_is_wrong_thread(void)
{
    struct pair p;
    struct thread_seen s = { NULL, NTSEC_S_OK };

    pair_start(&p, hand_call_to_another_thread);
    CU_ASSERT_EQUAL(pair_call(&p, &s), NTSEC_S_OK);
    CU_ASSERT_EQUAL(s.hr, NTSEC_RPC_E_WRONG_THREAD);
    ntsec_com_call_put(s.call);
    pair_stop(&p);
}

static void query_from_call(void *arg)
{
    struct ntsec_com_call_blanket *b = arg;
    struct ntsec_com_call *call = NULL;

    CU_ASSERT_FATAL(ntsec_com_call_current(&call) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_call_query(call, b) == NTSEC_S_OK);
    if (b->client)
        CU_ASSERT_STRING_EQUAL(b->client, "CONTOSO\\alice");
    CU_ASSERT_PTR_NOT_NULL(b->client);
    ntsec_com_call_put(call);
}

/* IServerSecurity::QueryBlanket: the service, the level and the client's
 * name during the call. */
static void query_blanket_reports_the_call(void)
{
    struct pair p;
    struct ntsec_com_call_blanket b = { 0 };

    pair_start(&p, query_from_call);
    CU_ASSERT_EQUAL(pair_call(&p, &b), NTSEC_S_OK);
    CU_ASSERT_EQUAL(b.authn_svc, NTSEC_RPC_AUTHN_WINNT);
    CU_ASSERT_EQUAL(b.authn_level, L_CONN);
    pair_stop(&p);
}

/* --- proxies --------------------------------------------------------------------- */

struct blanket_step {
    struct pair *pair;
    struct ntsec_com_blanket_args args;
    ntsec_hresult hr;
    struct ntsec_com_blanket before, after, copy;
    bool do_copy;
};

static void set_blanket_step(void *arg)
{
    struct blanket_step *b = arg;
    struct ntsec_com_proxy *copy = NULL;

    ntsec_com_proxy_query_blanket(b->pair->proxy, &b->before);
    if (b->do_copy) {
        CU_ASSERT_FATAL(ntsec_com_proxy_copy(b->pair->proxy, &copy) == NTSEC_S_OK);
        b->hr = ntsec_com_proxy_set_blanket(copy, &b->args);
        ntsec_com_proxy_query_blanket(copy, &b->copy);
        ntsec_com_proxy_release(copy);
    } else {
        b->hr = ntsec_com_proxy_set_blanket(b->pair->proxy, &b->args);
    }
    ntsec_com_proxy_query_blanket(b->pair->proxy, &b->after);
}

static ntsec_hresult set_blanket(struct pair *p, const struct ntsec_com_blanket_args *args,
                                 struct blanket_step *out)
{
    memset(out, 0, sizeof(*out));
    out->pair = p;
    out->args = *args;
    party_do(&p->client, set_blanket_step, out);
    return out->hr;
}

static void nothing(void *arg)
{
    (void)arg;
}

#define BLANKET(svc, level, imp, caps) \
    { svc, NTSEC_RPC_AUTHZ_NONE, NULL, level, imp, NULL, false, caps }

/* IClientSecurity::SetBlanket / CoSetProxyBlanket argument rules, each
 * E_INVALIDARG and the blanket unchanged: an unknown service (Wine
 * marshal.c test_client_security, 0xdeadbeef), level NONE with a
 * service, a capability outside the filter, both cloakings, cloaking with
 * Schannel, credentials with cloaking, levels out of range. */
static void bad_blankets_are_invalidarg_and_change_nothing(void)
{
    static const struct ntsec_com_identity bob = { "bob", NULL, "bob-password" };
    struct ntsec_com_blanket_args bad[] = {
        BLANKET(0xdeadbeefu, L_CONN, I_IMP, 0),
        BLANKET(NTSEC_RPC_AUTHN_WINNT, NTSEC_AUTHN_LEVEL_NONE, I_IMP, 0),
        BLANKET(NTSEC_RPC_AUTHN_WINNT, L_CONN, I_IMP, NTSEC_EOAC_SECURE_REFS),
        BLANKET(NTSEC_RPC_AUTHN_WINNT, L_CONN, I_IMP, NTSEC_EOAC_APPID),
        BLANKET(NTSEC_RPC_AUTHN_WINNT, L_CONN, I_IMP, STATIC_CLOAK | DYNAMIC_CLOAK),
        BLANKET(NTSEC_RPC_AUTHN_GSS_SCHANNEL, L_CONN, I_IMP, STATIC_CLOAK),
        BLANKET(NTSEC_RPC_AUTHN_WINNT, L_CONN, I_IMP, DYNAMIC_CLOAK),
        BLANKET(NTSEC_RPC_AUTHN_WINNT, 7, I_IMP, 0),
        BLANKET(NTSEC_RPC_AUTHN_WINNT, L_CONN, 5, 0),
    };
    struct blanket_step s;
    struct pair p;

    bad[6].identity = &bob;
    pair_start(&p, nothing);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CU_ASSERT_EQUAL(set_blanket(&p, &bad[i], &s), NTSEC_E_INVALIDARG);
        CU_ASSERT_MEM_EQUAL(&s.before, &s.after, sizeof(s.before));
    }
    pair_stop(&p);
}

/* CoCopyProxy: a copy's blanket is its own; the original keeps its. */
static void copy_proxy_has_an_independent_blanket(void)
{
    const struct ntsec_com_blanket_args args = BLANKET(NTSEC_RPC_AUTHN_WINNT, L_PRIV, I_DEL, 0);
    struct blanket_step s;
    struct pair p;

    pair_start(&p, nothing);
    memset(&s, 0, sizeof(s));
    s.pair = &p;
    s.args = args;
    s.do_copy = true;
    party_do(&p.client, set_blanket_step, &s);
    CU_ASSERT_EQUAL(s.hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(s.copy.authn_level, L_PRIV);
    CU_ASSERT_EQUAL(s.copy.imp_level, I_DEL);
    CU_ASSERT_MEM_EQUAL(&s.before, &s.after, sizeof(s.before));
    pair_stop(&p);
}

/* IClientSecurity::SetBlanket: pServerPrincName NULL keeps the name,
 * COLE_DEFAULT_PRINCIPAL lets COM choose (none here); EOAC_DEFAULT takes
 * the process' capabilities; RPC_C_AUTHN_DEFAULT is WINNT. */
static void set_blanket_default_values(void)
{
    struct ntsec_com_blanket_args args = BLANKET(NTSEC_RPC_AUTHN_DEFAULT, L_PKT, I_IMP,
                                                 NTSEC_EOAC_DEFAULT);
    struct blanket_step s;
    struct pair p;

    pair_start(&p, nothing);
    args.principal = "host/server1";
    CU_ASSERT_EQUAL(set_blanket(&p, &args, &s), NTSEC_S_OK);
    CU_ASSERT_STRING_EQUAL(s.after.principal, "host/server1");
    CU_ASSERT_EQUAL(s.after.authn_svc, NTSEC_RPC_AUTHN_WINNT);
    CU_ASSERT_EQUAL(s.after.capabilities, NTSEC_EOAC_NONE);
    args.principal = NULL;
    CU_ASSERT_EQUAL(set_blanket(&p, &args, &s), NTSEC_S_OK);
    CU_ASSERT_STRING_EQUAL(s.after.principal, "host/server1");
    args.principal = NTSEC_COM_DEFAULT_PRINCIPAL;
    CU_ASSERT_EQUAL(set_blanket(&p, &args, &s), NTSEC_S_OK);
    CU_ASSERT_PTR_NULL(s.after.principal);
    pair_stop(&p);
}

/* CoSetProxyBlanket: explicit credentials are logged on; a wrong password
 * is refused (E_ACCESSDENIED at SetBlanket: ntsec's choice, docs/com.md). */
static void wrong_password_is_access_denied(void)
{
    static const struct ntsec_com_identity bad = { "bob", NULL, "not-bobs" };
    struct ntsec_com_blanket_args args = BLANKET(NTSEC_RPC_AUTHN_WINNT, L_CONN, I_IMP, 0);
    struct blanket_step s;
    struct pair p;

    args.identity = &bad;
    pair_start(&p, nothing);
    CU_ASSERT_EQUAL(set_blanket(&p, &args, &s), NTSEC_E_ACCESSDENIED);
    CU_ASSERT_MEM_EQUAL(&s.before, &s.after, sizeof(s.before));
    pair_stop(&p);
}

static void revoke_step(void *arg)
{
    struct pair *p = arg;

    CU_ASSERT(ntsec_com_revoke(p->cookie) == NTSEC_S_OK);
}

/* A revoked object's proxies get RPC_E_DISCONNECTED (winerror.h: "The
 * object invoked has disconnected from its clients"); so does a connect. */
static void revoked_object_is_disconnected(void)
{
    struct pair p;

    pair_start(&p, nothing);
    CU_ASSERT_EQUAL(pair_call(&p, NULL), NTSEC_S_OK);
    party_do(&p.server, revoke_step, &p);
    CU_ASSERT_EQUAL(pair_call(&p, NULL), NTSEC_RPC_E_DISCONNECTED);
    pair_stop(&p);
}

/* Revoking an object while one of its methods runs: the revoke returns,
 * the method finishes and its call succeeds, and the object is released
 * once, after the method (the export's reference outlives the running
 * call, as a stub's does in Windows: "CoDisconnectObject", Remarks - the
 * object is not freed under a caller). */
struct revoke_race {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool entered, go, running;
    int releases, released_while_running;
    uint32_t cookie;
    struct ntsec_com_proxy *proxy;
    struct ntsec_process *client;
    ntsec_hresult hr;
};

static ntsec_hresult race_invoke(void *self, uint32_t method, void *arg)
{
    struct revoke_race *r = self;

    (void)method;
    (void)arg;
    pthread_mutex_lock(&r->lock);
    r->entered = r->running = true;
    pthread_cond_broadcast(&r->cond);
    while (!r->go)
        pthread_cond_wait(&r->cond, &r->lock);
    r->running = false;
    pthread_mutex_unlock(&r->lock);
    return NTSEC_S_OK;
}

static void race_release(void *self)
{
    struct revoke_race *r = self;

    pthread_mutex_lock(&r->lock);
    r->releases++;
    r->released_while_running += r->running;
    pthread_mutex_unlock(&r->lock);
}

static void race_server_up(void *arg)
{
    struct revoke_race *r = arg;
    const struct ntsec_com_object obj = { r, race_invoke, race_release };

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_export(&obj, &r->cookie) == NTSEC_S_OK);
}

static void race_client_up(void *arg)
{
    struct revoke_race *r = arg;

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_connect(r->cookie, &r->proxy) == NTSEC_S_OK);
}

static void race_client_down(void *arg)
{
    struct revoke_race *r = arg;

    ntsec_com_proxy_release(r->proxy);
    ntsec_com_uninitialize();
}

static void race_revoke(void *arg)
{
    struct revoke_race *r = arg;

    CU_ASSERT(ntsec_com_revoke(r->cookie) == NTSEC_S_OK);
}

/* Another thread of the client's MTA makes the call. */
static void *race_caller(void *arg)
{
    struct revoke_race *r = arg;

    CU_ASSERT(ntsec_thread_bind(r->client) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    r->hr = ntsec_com_call(r->proxy, 3, NULL);
    ntsec_com_uninitialize();
    return NULL;
}

static void revoke_during_a_call_releases_after_it(void)
{
    struct revoke_race r = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
                             .hr = NTSEC_E_FAIL };
    struct party server, client;
    pthread_t caller;

    party_start(&server, "svc-web", WS);
    party_do(&server, race_server_up, &r);
    party_start(&client, "alice", WS);
    party_do(&client, race_client_up, &r);
    r.client = client.process;
    CU_ASSERT_FATAL(pthread_create(&caller, NULL, race_caller, &r) == 0);
    pthread_mutex_lock(&r.lock);
    while (!r.entered)
        pthread_cond_wait(&r.cond, &r.lock);
    pthread_mutex_unlock(&r.lock);
    party_do(&server, race_revoke, &r);
    pthread_mutex_lock(&r.lock);
    CU_ASSERT_EQUAL(r.releases, 0);             /* not under the running method */
    r.go = true;
    pthread_cond_broadcast(&r.cond);
    pthread_mutex_unlock(&r.lock);
    pthread_join(caller, NULL);
    CU_ASSERT_EQUAL(r.hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(r.releases, 1);
    CU_ASSERT_EQUAL(r.released_while_running, 0);
    party_do(&client, race_client_down, &r);
    party_stop(&client);
    party_do(&server, down, NULL);
    party_stop(&server);
}

/* A call survives allocation failure: each failing allocation gives
 * E_OUTOFMEMORY or E_ACCESSDENIED (a logon that could not be made), and
 * nothing leaks; then it succeeds. */
static void call_survives_allocation_failure(void)
{
    struct pair p;
    ntsec_hresult hr = NTSEC_E_OUTOFMEMORY;

    pair_start(&p, nothing);
    for (long n = 0; hr != NTSEC_S_OK && n < 200; n++) {
        testutil_fail_alloc_after(n);
        hr = pair_call(&p, NULL);
        testutil_fail_alloc_after(-1);
        CU_ASSERT(hr == NTSEC_S_OK || hr == NTSEC_E_OUTOFMEMORY || hr == NTSEC_E_ACCESSDENIED);
    }
    CU_ASSERT_EQUAL(hr, NTSEC_S_OK);
    pair_stop(&p);
}

static void bad_input_step(void *arg)
{
    struct pair *p = arg;
    struct ntsec_com_proxy *copy = NULL;
    const struct ntsec_com_object no_invoke = { NULL, NULL, NULL };
    const struct ntsec_com_blanket_args args = BLANKET(NTSEC_RPC_AUTHN_WINNT, L_CONN, I_IMP, 0);
    uint32_t cookie = 0;

    CU_ASSERT_EQUAL(ntsec_com_export(NULL, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_export(&no_invoke, &cookie), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(cookie, 0);
    CU_ASSERT_EQUAL(ntsec_com_connect(p->cookie, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_connect(0xfffffff0u, &copy), NTSEC_RPC_E_DISCONNECTED);
    CU_ASSERT_EQUAL(ntsec_com_proxy_copy(NULL, &copy), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_proxy_copy(p->proxy, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_PTR_NULL(copy);
    CU_ASSERT_EQUAL(ntsec_com_proxy_set_blanket(NULL, &args), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_proxy_set_blanket(p->proxy, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_call(NULL, 3, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_revoke(0), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_revoke(p->cookie), NTSEC_E_INVALIDARG);   /* not this process' */
    CU_ASSERT_EQUAL(ntsec_com_call_current(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_call_query(NULL, NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_call_impersonate(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT_EQUAL(ntsec_com_call_revert(NULL), NTSEC_E_INVALIDARG);
    CU_ASSERT(!ntsec_com_call_is_impersonating(NULL));
    ntsec_com_proxy_release(NULL);
    ntsec_com_call_put(NULL);
}

/* Bad input gets E_INVALIDARG (DESIGN.md: the documented status, nothing
 * changed); an unknown cookie is a disconnected object. */
static void bad_input_is_invalidarg(void)
{
    struct pair p;

    pair_start(&p, nothing);
    party_do(&p.client, bad_input_step, &p);
    CU_ASSERT_EQUAL(pair_call(&p, NULL), NTSEC_S_OK);
    pair_stop(&p);
}

struct oom_step {
    struct pair *pair;
    ntsec_hresult connect, blanket;
};

static void oom_run(void *arg)
{
    static const struct ntsec_com_identity bob = { "bob", NULL, "bob-password" };
    struct oom_step *o = arg;
    struct ntsec_com_blanket_args args = BLANKET(NTSEC_RPC_AUTHN_WINNT, L_CONN, I_IMP, 0);
    struct ntsec_com_proxy *proxy = NULL;

    args.identity = &bob;
    args.principal = "host/x";
    o->connect = ntsec_com_connect(o->pair->cookie, &proxy);
    o->blanket = proxy ? ntsec_com_proxy_set_blanket(proxy, &args) : NTSEC_E_FAIL;
    ntsec_com_proxy_release(proxy);
}

/* Connect and SetBlanket (with a logon and a principal) survive
 * allocation failure: E_OUTOFMEMORY (a logon that could not be made may
 * say E_ACCESSDENIED), nothing leaks, then they succeed. */
static void connect_and_set_blanket_survive_allocation_failure(void)
{
    struct pair p;
    struct oom_step o = { &p, NTSEC_E_FAIL, NTSEC_E_FAIL };

    pair_start(&p, nothing);
    for (long n = 0; o.blanket != NTSEC_S_OK && n < 400; n++) {
        testutil_fail_alloc_after(n);
        party_do(&p.client, oom_run, &o);
        testutil_fail_alloc_after(-1);
        CU_ASSERT(o.connect == NTSEC_S_OK || o.connect == NTSEC_E_OUTOFMEMORY);
        CU_ASSERT(o.blanket == NTSEC_S_OK || o.blanket == NTSEC_E_OUTOFMEMORY ||
                  o.blanket == NTSEC_E_ACCESSDENIED || o.blanket == NTSEC_E_FAIL);
    }
    CU_ASSERT_EQUAL(o.blanket, NTSEC_S_OK);
    pair_stop(&p);
}

/* --- re-entrant calls: the MTA's worker pool -------------------------------------- */

/* A call that bounces between processes: each hop records what its
 * server sees before and after the next hop (nested, so one at a time). */
struct bounce {
    int hops;                           /* hops still to make */
    int hop;                            /* the next hop's index */
    struct {
        char user[64];                  /* the thread's token while serving */
        char after[64];                 /* ... once the nested call returned */
        char client[160], client_after[160];
        bool impersonating_after;
        ntsec_hresult impersonate, nested;
    } seen[5];
};

/* A process' object: serves a hop, then calls the other process'. */
struct bouncer {
    uint32_t cookie;
    const uint32_t *peer_cookie;
    struct ntsec_com_proxy *peer;
};

static ntsec_hresult bounce_invoke(void *self, uint32_t method, void *arg)
{
    struct bouncer *b = self;
    struct bounce *run = arg;
    const int i = run->hop++;
    struct ntsec_com_call *call = NULL;
    struct ntsec_com_call_blanket bl;
    struct seen s;

    (void)method;
    if (ntsec_com_call_current(&call) != NTSEC_S_OK)
        return NTSEC_E_FAIL;
    if (ntsec_com_call_query(call, &bl) == NTSEC_S_OK && bl.client)
        snprintf(run->seen[i].client, sizeof(run->seen[i].client), "%s", bl.client);
    run->seen[i].impersonate = ntsec_com_call_impersonate(call);
    observe(&s);
    snprintf(run->seen[i].user, sizeof(run->seen[i].user), "%s", s.user);
    run->seen[i].nested = --run->hops > 0 && b->peer ? ntsec_com_call(b->peer, 3, run) : NTSEC_S_OK;
    /* The nested call ran on another thread: this one is still this
     * call's, impersonating its own client. */
    observe(&s);
    snprintf(run->seen[i].after, sizeof(run->seen[i].after), "%s", s.user);
    run->seen[i].impersonating_after = ntsec_com_call_is_impersonating(call);
    if (ntsec_com_call_query(call, &bl) == NTSEC_S_OK && bl.client)
        snprintf(run->seen[i].client_after, sizeof(run->seen[i].client_after), "%s", bl.client);
    ntsec_com_call_put(call);
    return run->seen[i].nested;
}

/* Processes A (alice) and B (bob), each exporting a bouncer connected to
 * the other's, and a client C (carol) connected to A's. */
struct ring {
    struct party a, b, c;
    struct bouncer ba, bb;
    struct ntsec_com_proxy *c_to_a;
    struct bounce run;
    ntsec_hresult hr;
};

static void bouncer_up(void *arg)
{
    struct bouncer *b = arg;
    const struct ntsec_com_object obj = { b, bounce_invoke, NULL };
    const struct cis imp = { L_CONN, I_IMP, 0 };

    initialise(&imp, NULL);
    CU_ASSERT(ntsec_com_export(&obj, &b->cookie) == NTSEC_S_OK);
}

static void bouncer_connect(void *arg)
{
    struct bouncer *b = arg;

    CU_ASSERT(ntsec_com_connect(*b->peer_cookie, &b->peer) == NTSEC_S_OK);
}

static void bouncer_down(void *arg)
{
    struct bouncer *b = arg;

    ntsec_com_proxy_release(b->peer);
    ntsec_com_uninitialize();
}

static void ring_c_call(void *arg)
{
    struct ring *r = arg;
    const struct cis imp = { L_CONN, I_IMP, 0 };

    initialise(&imp, NULL);
    CU_ASSERT_FATAL(ntsec_com_connect(r->ba.cookie, &r->c_to_a) == NTSEC_S_OK);
    r->hr = ntsec_com_call(r->c_to_a, 3, &r->run);
    ntsec_com_proxy_release(r->c_to_a);
    ntsec_com_uninitialize();
}

/* C calls A, which bounces `hops` times between A and B. */
static void ring_run(struct ring *r, int hops)
{
    memset(r, 0, sizeof(*r));
    r->run.hops = hops;
    r->ba.peer_cookie = &r->bb.cookie;
    r->bb.peer_cookie = &r->ba.cookie;
    party_start(&r->a, "alice", WS);
    party_start(&r->b, "bob", WS);
    party_start(&r->c, "carol", WS);
    party_do(&r->a, bouncer_up, &r->ba);
    party_do(&r->b, bouncer_up, &r->bb);
    party_do(&r->a, bouncer_connect, &r->ba);
    party_do(&r->b, bouncer_connect, &r->bb);
    party_do(&r->c, ring_c_call, r);
    party_do(&r->a, bouncer_down, &r->ba);
    party_do(&r->b, bouncer_down, &r->bb);
    party_stop(&r->c);
    party_stop(&r->b);
    party_stop(&r->a);
}

/* Each hop's server impersonated the process before it (no cloaking: the
 * caller's process token, "Cloaking"), and was still impersonating it
 * after its nested call returned (com-notes §8, "IServerSecurity::
 * ImpersonateClient": impersonation state is per invocation; "when C's
 * reply arrives the thread is back to B's token"). */
static void check_ring(const struct ring *r, int hops)
{
    static const char *const caller[] = { "carol", "alice", "bob", "alice", "bob" };

    CU_ASSERT_EQUAL(r->hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(r->run.hop, hops);
    for (int i = 0; i < hops; i++) {
        CU_ASSERT_EQUAL(r->run.seen[i].impersonate, NTSEC_S_OK);
        CU_ASSERT_EQUAL(r->run.seen[i].nested, NTSEC_S_OK);
        CU_ASSERT_STRING_EQUAL(r->run.seen[i].user, caller[i]);
        CU_ASSERT_STRING_EQUAL(r->run.seen[i].after, caller[i]);
        CU_ASSERT(r->run.seen[i].impersonating_after);
        CU_ASSERT(strstr(r->run.seen[i].client, caller[i]) != NULL);
        CU_ASSERT_STRING_EQUAL(r->run.seen[i].client_after, r->run.seen[i].client);
    }
}

/* "Multithreaded Apartments": calls into an MTA are served on other
 * threads of the process while one waits in an outgoing call, so C->A->B->A
 * completes although A's first worker waits for B; the callback's server
 * side sees B's identity. */
static void callback_into_a_busy_process_completes(void)
{
    struct ring r;

    ring_run(&r, 3);
    check_ring(&r, 3);
}

/* The same at depth 3: C->A->B->A->B, both processes re-entered. */
static void nested_callbacks_complete_at_depth_three(void)
{
    struct ring r;

    ring_run(&r, 5);
    check_ring(&r, 5);
}

/* A gate object: each call waits (up to 10 s) for the test to open it. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int arrived;
    bool open;
    struct party server, client;
    uint32_t cookie;
    struct ntsec_process *callers;
    char user[NTSEC__COM_MAX_WORKERS][64];
    ntsec_hresult hr[NTSEC__COM_MAX_WORKERS], extra;
};

static bool gate_wait(struct gate *g, const int *count, int want, const bool *flag)
{
    struct timespec until;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&g->lock);
    while (rc == 0 && (count ? *count < want : !*flag))
        rc = pthread_cond_timedwait(&g->cond, &g->lock, &until);
    pthread_mutex_unlock(&g->lock);
    return rc == 0;
}

static ntsec_hresult gate_invoke(void *self, uint32_t method, void *arg)
{
    struct gate *g = self;
    struct ntsec_com_call *call = NULL;
    struct seen s;
    ntsec_hresult hr;

    if (ntsec_com_call_current(&call) != NTSEC_S_OK)
        return NTSEC_E_FAIL;
    hr = ntsec_com_call_impersonate(call);
    pthread_mutex_lock(&g->lock);
    g->arrived++;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
    if (!gate_wait(g, NULL, 0, &g->open))
        hr = NTSEC_E_FAIL;
    observe(&s);
    snprintf(g->user[method], sizeof(g->user[method]), "%s", s.user);
    ntsec_com_call_put(call);
    (void)arg;
    return hr;
}

static void gate_up(void *arg)
{
    struct gate *g = arg;
    const struct ntsec_com_object obj = { g, gate_invoke, NULL };
    const struct cis imp = { L_CONN, I_IMP, 0 };

    initialise(&imp, NULL);
    CU_ASSERT(ntsec_com_export(&obj, &g->cookie) == NTSEC_S_OK);
}

struct gate_caller {
    struct gate *g;
    uint32_t index;
    pthread_t thread;
};

/* One more thread of the callers' process: calls the gate. */
static void *gate_caller_main(void *arg)
{
    struct gate_caller *c = arg;
    struct ntsec_com_proxy *proxy = NULL;

    c->g->hr[c->index] = NTSEC_E_FAIL;
    if (ntsec_thread_bind(c->g->callers) != NTSEC_STATUS_SUCCESS ||
        ntsec_com_initialize(NTSEC_COM_MTA) != NTSEC_S_OK)
        return NULL;
    if (ntsec_com_connect(c->g->cookie, &proxy) == NTSEC_S_OK)
        c->g->hr[c->index] = ntsec_com_call(proxy, c->index, NULL);
    ntsec_com_proxy_release(proxy);
    ntsec_com_uninitialize();
    return NULL;
}

static void gate_extra_call(void *arg)
{
    struct gate *g = arg;
    struct ntsec_com_proxy *proxy = NULL;

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    CU_ASSERT_FATAL(ntsec_com_connect(g->cookie, &proxy) == NTSEC_S_OK);
    g->extra = ntsec_com_call(proxy, 0, NULL);
    ntsec_com_proxy_release(proxy);
    ntsec_com_uninitialize();
}

/* "Processes, Threads, and Apartments": concurrent callers of an MTA are
 * served at once, each on its thread with its own impersonation (all
 * NTSEC__COM_MAX_WORKERS calls wait in the method together). The pool is
 * bounded like Windows' RPC thread pool: one more call while every worker
 * is busy gets RPC_E_SERVERCALL_RETRYLATER (ntsec's choice, docs/com.md). */
static void concurrent_callers_are_served_at_once_up_to_the_bound(void)
{
    struct gate g;
    struct gate_caller callers[NTSEC__COM_MAX_WORKERS];

    memset(&g, 0, sizeof(g));
    pthread_mutex_init(&g.lock, NULL);
    pthread_cond_init(&g.cond, NULL);
    party_start(&g.server, "svc-web", WS);
    party_do(&g.server, gate_up, &g);
    party_start(&g.client, "carol", WS);
    g.callers = rf_process("alice", NTSEC_LOGON_INTERACTIVE, WS);
    for (uint32_t i = 0; i < NTSEC__COM_MAX_WORKERS; i++) {
        callers[i] = (struct gate_caller){ &g, i, 0 };
        CU_ASSERT_FATAL(pthread_create(&callers[i].thread, NULL, gate_caller_main, &callers[i]) == 0);
    }
    CU_ASSERT(gate_wait(&g, &g.arrived, NTSEC__COM_MAX_WORKERS, NULL));
    party_do(&g.client, gate_extra_call, &g);
    CU_ASSERT_EQUAL(g.extra, NTSEC__RPC_E_SERVERCALL_RETRYLATER);
    pthread_mutex_lock(&g.lock);
    g.open = true;
    pthread_cond_broadcast(&g.cond);
    pthread_mutex_unlock(&g.lock);
    for (int i = 0; i < NTSEC__COM_MAX_WORKERS; i++) {
        pthread_join(callers[i].thread, NULL);
        CU_ASSERT_EQUAL(g.hr[i], NTSEC_S_OK);
        CU_ASSERT_STRING_EQUAL(g.user[i], "alice");
    }
    /* Once a worker is free again the call is served. */
    party_do(&g.client, gate_extra_call, &g);
    CU_ASSERT_EQUAL(g.extra, NTSEC_S_OK);
    CU_ASSERT_STRING_EQUAL(g.user[0], "carol");
    party_do(&g.server, down, NULL);
    party_stop(&g.client);
    party_stop(&g.server);
    ntsec_object_put(g.callers);
    pthread_cond_destroy(&g.cond);
    pthread_mutex_destroy(&g.lock);
}

void register_tests(void)
{
    static CU_TestInfo scenario[ROW_COUNT + 1];
    static CU_TestInfo others[] = {
        TEST(initialize_counts_and_refuses_the_other_model),
        TEST(uninitialised_thread_gets_co_e_notinitialized),
        TEST(initialize_security_twice_is_too_late),
        TEST(initialize_security_after_an_export_is_too_late),
        TEST(initialize_security_bad_arguments_are_invalidarg),
        TEST(appid_registry_replaces_and_refuses_bad_input),
        TEST(initialize_security_with_appid_refuses_pointers),
        TEST(exporting_an_application_component_follows_its_activation_type),
        TEST(appid_calls_survive_allocation_failure),
        TEST(no_call_context_outside_a_call),
        TEST(two_impersonations_and_one_revert_restore_the_thread),
        TEST(the_end_of_a_call_reverts),
        TEST(impersonation_from_another_thread_is_wrong_thread),
        TEST(query_blanket_reports_the_call),
        TEST(bad_blankets_are_invalidarg_and_change_nothing),
        TEST(copy_proxy_has_an_independent_blanket),
        TEST(set_blanket_default_values),
        TEST(wrong_password_is_access_denied),
        TEST(revoked_object_is_disconnected),
        TEST(revoke_during_a_call_releases_after_it),
        TEST(call_survives_allocation_failure),
        TEST(bad_input_is_invalidarg),
        TEST(connect_and_set_blanket_survive_allocation_failure),
        TEST(callback_into_a_busy_process_completes),
        TEST(nested_callbacks_complete_at_depth_three),
        TEST(concurrent_callers_are_served_at_once_up_to_the_bound),
        CU_TEST_INFO_NULL,
    };
    struct ntsec_token *anonymous = NULL;

    for (size_t i = 0; i < ROW_COUNT; i++)
        scenario[i] = (CU_TestInfo){ rows[i].name, run_row };
    scenario[ROW_COUNT] = (CU_TestInfo)CU_TEST_INFO_NULL;
    /* The anonymous logon token lives as long as the process once made:
     * make it before the leak checks start. */
    if (ntsec_token_anonymous(&anonymous) == NTSEC_STATUS_SUCCESS)
        ntsec_token_put(anonymous);
    testutil_add_suite("com_scenarios", scenario);
    testutil_add_suite("com", others);
}

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
 * Microsoft page (or Wine test) it checks; the rules of apartments,
 * CoInitializeSecurity and AppIDs follow. test_com_calls.c has the calls'
 * own rules (call context, blankets, re-entrancy); comscene.h the
 * recording object. */
#include <stdio.h>
#include <time.h>

#include "ntsec/com.h"
#include "ntsec/ntsec.h"
#include "com.h"                        /* NTSEC__COM_MAX_WORKERS, its HRESULT */
#include "comfix.h"
#include "comscene.h"
#include "testutil.h"

/* --- the scenario table ---------------------------------------------------------- */

enum tri { ANY, YES, NO };

struct who {
    const char *user;
    const char *machine;
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

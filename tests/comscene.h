/* comscene.h - what the COM tests (test_com.c: the scenario table and the
 * process-security rules; test_com_calls.c: calls, the call context,
 * blankets, re-entrancy) share: an exported object that records what its
 * server sees of a call and may call on, the level constants of the
 * tables, CoInitializeSecurity's values, the world's users. */
#ifndef NTSEC_TESTS_COMSCENE_H
#define NTSEC_TESTS_COMSCENE_H

#include <stdio.h>

#include "ntsec/com.h"
#include "ntsec/ntsec.h"
#include "comfix.h"

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

static inline void observe(struct seen *s)
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

static inline ntsec_hresult hop_invoke(void *self, uint32_t method, void *arg)
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

/* --- the tables' constants -------------------------------------------------------- */

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

/* CoInitializeSecurity values; imp 0: not called (implicit defaults). */
struct cis {
    uint32_t authn, imp, caps;
};

#define ALICE_WS  { "alice", WS }
#define BOB_WS    { "bob", WS }
#define CAROL_WS  { "carol", WS }
#define SVC(m)    { "svc-web", m }
#define SYS(m)    { "SYSTEM", m }

static inline void initialise_as(const struct cis *c, const void *sd, uint32_t extra_caps)
{
    const struct ntsec_com_security_args args = { .security_descriptor = sd, .auth_svc_count = -1,
                                                  .authn_level = c->authn, .imp_level = c->imp,
                                                  .capabilities = c->caps | extra_caps };

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    if (c->imp || extra_caps)
        CU_ASSERT(ntsec_com_initialize_security(&args) == NTSEC_S_OK);
}

static inline void initialise(const struct cis *c, const void *sd)
{
    initialise_as(c, sd, 0);
}

static inline void down(void *arg)
{
    (void)arg;
    ntsec_com_uninitialize();
}

#endif

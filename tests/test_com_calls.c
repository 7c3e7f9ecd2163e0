/* test_com_calls.c - calls through COM proxies between emulated processes
 * (ntsec/com.h; libsec/com_call.c, com_proxy.c, com_export.c,
 * com_apartment.c): the server's call context (CoGetCallContext,
 * IServerSecurity: impersonation, revert, QueryBlanket), proxy blankets
 * (IClientSecurity: SetBlanket, CopyProxy, explicit credentials), revoked
 * objects, allocation failure, bad input, and re-entrant calls served by
 * the MTA's worker pool. test_com.c has the scenario table; comscene.h the
 * recording object both use. Each test names the Microsoft page (or Wine
 * test) it checks. */
#include <stdio.h>
#include <time.h>

#include "ntsec/com.h"
#include "ntsec/ntsec.h"
#include "com.h"                        /* NTSEC__COM_MAX_WORKERS, its HRESULT */
#include "comfix.h"
#include "comscene.h"
#include "testutil.h"

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
    static CU_TestInfo tests[] = {
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

    /* The anonymous logon token lives as long as the process once made:
     * make it before the leak checks start. */
    if (ntsec_token_anonymous(&anonymous) == NTSEC_STATUS_SUCCESS)
        ntsec_token_put(anonymous);
    testutil_add_suite("com_calls", tests);
}

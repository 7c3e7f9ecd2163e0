/* test_com_sta.c - single-threaded apartments of the emulation's COM
 * (libsec/com_sta.c; ntsec/com.h: ntsec_com_pump) and IServerSecurity
 * used from another thread of the call's apartment (libsec/com_call.c).
 *
 * An object exported from an STA thread belongs to that thread: a call to
 * it waits until the thread pumps (ntsec_com_pump) or waits in an
 * outgoing call of its own (COM's modal loop), then runs on that thread,
 * one at a time and in order ("Single-Threaded Apartments", "Call
 * Synchronization", Microsoft docs). The parties are pthreads bound to
 * emulated processes of the default world (comfix.h); callers that must
 * block in a call run on threads of their own, and the tests wait until
 * their calls are queued (ntsec__com_sta_queued) so that every step is
 * deterministic. */
#include <time.h>
#include <unistd.h>

#include "ntsec/com.h"
#include "ntsec/ntsec.h"
#include "com.h"                        /* ntsec__com_thread, ntsec__com_sta_queued */
#include "comfix.h"
#include "testutil.h"

#define I_IMP NTSEC_RPC_IMP_LEVEL_IMPERSONATE
#define IMPER NTSEC_SECURITY_IMPERSONATION

/* --- an object that records where and in which order it is called ----------------- */

struct obj {
    pthread_mutex_t lock;
    unsigned served, released;
    struct ntsec_thread *served_on[4];
    pthread_t served_pt[4];
    uintptr_t order[4];
    int inside, max_inside;
    struct ntsec_com_proxy *next;       /* called from the method, when set */
    ntsec_hresult next_hr;
    void (*hook)(void *arg);            /* run in the method, when set */
};

static void obj_init(struct obj *o)
{
    memset(o, 0, sizeof(*o));
    pthread_mutex_init(&o->lock, NULL);
}

static ntsec_hresult obj_invoke(void *self, uint32_t method, void *arg)
{
    struct obj *o = self;
    unsigned i;

    (void)method;
    pthread_mutex_lock(&o->lock);
    i = o->served++;
    if (i < 4) {
        o->served_on[i] = ntsec_thread_current();
        o->served_pt[i] = pthread_self();
        o->order[i] = (uintptr_t)arg;
    }
    if (++o->inside > o->max_inside)
        o->max_inside = o->inside;
    pthread_mutex_unlock(&o->lock);
    if (o->next)
        o->next_hr = ntsec_com_call(o->next, 3, NULL);
    if (o->hook)
        o->hook(arg);
    pthread_mutex_lock(&o->lock);
    o->inside--;
    pthread_mutex_unlock(&o->lock);
    return NTSEC_S_OK;
}

static void obj_release(void *self)
{
    struct obj *o = self;

    pthread_mutex_lock(&o->lock);
    o->released++;
    pthread_mutex_unlock(&o->lock);
}

static unsigned obj_served(struct obj *o)
{
    unsigned n;

    pthread_mutex_lock(&o->lock);
    n = o->served;
    pthread_mutex_unlock(&o->lock);
    return n;
}

/* --- a server: its party, its apartment, its object ---------------------------------- */

struct server {
    struct party party;
    enum ntsec_com_model model;
    struct obj obj;
    uint32_t cookie;
    struct ntsec_thread *thread;        /* the party's emulated thread */
    pthread_t pt;
    struct com_sta *sta;                /* its STA (NULL in the MTA) */
    ntsec_hresult pump_hr;
    uint32_t pump_timeout;
};

static void server_up_step(void *arg)
{
    struct server *s = arg;
    const struct ntsec_com_object o = { &s->obj, obj_invoke, obj_release };

    CU_ASSERT(ntsec_com_initialize(s->model) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_export(&o, &s->cookie) == NTSEC_S_OK);
    s->thread = ntsec_thread_current();
    s->pt = pthread_self();
    s->sta = ntsec__com_thread.sta;
}

static void server_start(struct server *s, const char *user, enum ntsec_com_model model)
{
    memset(s, 0, sizeof(*s));
    obj_init(&s->obj);
    s->model = model;
    party_start(&s->party, user, WS);
    party_do(&s->party, server_up_step, s);
}

static void pump_step(void *arg)
{
    struct server *s = arg;

    s->pump_hr = ntsec_com_pump(s->pump_timeout);
}

static ntsec_hresult server_pump(struct server *s, uint32_t timeout)
{
    s->pump_timeout = timeout;
    party_do(&s->party, pump_step, s);
    return s->pump_hr;
}

static void down(void *arg)
{
    (void)arg;
    ntsec_com_uninitialize();
}

static void server_stop(struct server *s)
{
    party_do(&s->party, down, NULL);
    party_stop(&s->party);
    pthread_mutex_destroy(&s->obj.lock);
}

/* Wait (bounded) until `n` calls are queued to `sta`. */
static void wait_queued(struct com_sta *sta, unsigned n)
{
    for (int i = 0; i < 5000 && ntsec__com_sta_queued(sta) < n; i++)
        usleep(1000);
    CU_ASSERT_EQUAL_FATAL(ntsec__com_sta_queued(sta), n);
}

/* --- callers: threads of a client process that block in their call -------------------- */

static const struct ntsec_com_security_args impersonate_args = {
    .auth_svc_count = -1, .authn_level = NTSEC_AUTHN_LEVEL_CONNECT, .imp_level = I_IMP,
};

struct caller {
    pthread_t thread;
    struct ntsec_process *process;
    uint32_t cookie;
    uintptr_t arg;
    ntsec_hresult hr;
};

static void *caller_main(void *arg)
{
    struct caller *c = arg;
    struct ntsec_com_proxy *proxy = NULL;

    CU_ASSERT(ntsec_thread_bind(c->process) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    ntsec_com_initialize_security(&impersonate_args);   /* once per process: TOO_LATE after */
    c->hr = ntsec_com_connect(c->cookie, &proxy);
    if (c->hr == NTSEC_S_OK)
        c->hr = ntsec_com_call(proxy, 3, (void *)c->arg);
    ntsec_com_proxy_release(proxy);
    ntsec_com_uninitialize();
    return NULL;
}

static void caller_start(struct caller *c, struct ntsec_process *process, uint32_t cookie,
                         uintptr_t arg)
{
    *c = (struct caller){ .process = process, .cookie = cookie, .arg = arg,
                          .hr = NTSEC_E_FAIL };
    CU_ASSERT_FATAL(pthread_create(&c->thread, NULL, caller_main, c) == 0);
}

/* --- the STA serves its own calls ----------------------------------------------------- */

/* "Single-Threaded Apartments": calls to an STA's object run on its
 * owning thread, received through its message loop: a call waits while
 * the thread is busy outside COM, and is served, on that thread, when it
 * pumps. Nothing queued: the pump times out (RPC_S_CALLPENDING,
 * "CoWaitForMultipleHandles"). */
static void sta_call_waits_for_the_pump_and_runs_on_the_sta_thread(void)
{
    struct ntsec_process *alice = rf_process("alice", NTSEC_LOGON_INTERACTIVE, WS);
    struct server s;
    struct caller c;

    server_start(&s, "svc-web", NTSEC_COM_STA);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.sta);
    caller_start(&c, alice, s.cookie, 1);
    wait_queued(s.sta, 1);
    usleep(20000);                      /* the STA thread is busy elsewhere: nothing runs */
    CU_ASSERT_EQUAL(obj_served(&s.obj), 0);
    CU_ASSERT_EQUAL(server_pump(&s, NTSEC_COM_INFINITE), NTSEC_S_OK);
    pthread_join(c.thread, NULL);
    CU_ASSERT_EQUAL(c.hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(s.obj.served, 1);
    CU_ASSERT_PTR_EQUAL(s.obj.served_on[0], s.thread);
    CU_ASSERT(pthread_equal(s.obj.served_pt[0], s.pt));
    CU_ASSERT_EQUAL(server_pump(&s, 0), NTSEC_RPC_S_CALLPENDING);
    CU_ASSERT_EQUAL(server_pump(&s, 10), NTSEC_RPC_S_CALLPENDING);
    server_stop(&s);
    CU_ASSERT_EQUAL(s.obj.released, 1);
    ntsec_object_put(alice);
}

/* "Single-Threaded Apartments" (calls are synchronised on the thread's
 * queue): queued calls are served one at a time, in the order they came,
 * by one pump. */
static void sta_serves_queued_calls_one_at_a_time_in_order(void)
{
    struct ntsec_process *alice = rf_process("alice", NTSEC_LOGON_INTERACTIVE, WS);
    struct server s;
    struct caller c[3];

    server_start(&s, "svc-web", NTSEC_COM_STA);
    for (unsigned i = 0; i < 3; i++) {
        caller_start(&c[i], alice, s.cookie, i + 1);
        wait_queued(s.sta, i + 1);
    }
    CU_ASSERT_EQUAL(server_pump(&s, 0), NTSEC_S_OK);
    for (unsigned i = 0; i < 3; i++) {
        pthread_join(c[i].thread, NULL);
        CU_ASSERT_EQUAL(c[i].hr, NTSEC_S_OK);
        CU_ASSERT_EQUAL(s.obj.order[i], i + 1);
        CU_ASSERT_PTR_EQUAL(s.obj.served_on[i], s.thread);
    }
    CU_ASSERT_EQUAL(s.obj.served, 3);
    CU_ASSERT_EQUAL(s.obj.max_inside, 1);
    server_stop(&s);
    ntsec_object_put(alice);
}

/* An MTA thread has no queue to pump (its apartment's calls run on the
 * workers): CO_E_NOT_SUPPORTED, ntsec's choice; an uninitialised thread:
 * CO_E_NOTINITIALIZED. */
static void pump_outside_an_sta_is_refused(void)
{
    CU_ASSERT_EQUAL(ntsec_com_pump(0), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_MTA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_pump(0), NTSEC_CO_E_NOT_SUPPORTED);
    ntsec_com_uninitialize();
    CU_ASSERT_EQUAL(ntsec_com_pump(NTSEC_COM_INFINITE), NTSEC_CO_E_NOTINITIALIZED);
}

/* An STA that cannot be made (no memory) is E_OUTOFMEMORY and leaves the
 * thread uninitialised ("CoInitializeEx": E_OUTOFMEMORY). */
static void sta_initialize_survives_allocation_failure(void)
{
    testutil_fail_alloc_after(0);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_STA), NTSEC_E_OUTOFMEMORY);
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(ntsec_com_pump(0), NTSEC_CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(ntsec_com_initialize(NTSEC_COM_STA), NTSEC_S_OK);
    CU_ASSERT_EQUAL(ntsec_com_pump(0), NTSEC_RPC_S_CALLPENDING);
    ntsec_com_uninitialize();
}

/* --- the modal loop --------------------------------------------------------------------- */

struct outgoing {
    struct server *via;                 /* the object to call */
    struct ntsec_com_proxy *proxy;
    ntsec_hresult hr;
};

static void call_out_step(void *arg)
{
    struct outgoing *o = arg;

    CU_ASSERT_FATAL(ntsec_com_connect(o->via->cookie, &o->proxy) == NTSEC_S_OK);
    o->hr = ntsec_com_call(o->proxy, 3, NULL);
    ntsec_com_proxy_release(o->proxy);
}

static void connect_next_step(void *arg)
{
    struct server *pair[2];

    memcpy(pair, arg, sizeof(pair));
    CU_ASSERT(ntsec_com_connect(pair[1]->cookie, &pair[0]->obj.next) == NTSEC_S_OK);
}

static void release_next_step(void *arg)
{
    struct server *s = arg;

    ntsec_com_proxy_release(s->obj.next);
    s->obj.next = NULL;
}

/* "Call Synchronization": an STA thread waiting for the reply of its own
 * call enters a modal loop that dispatches incoming calls, so A (STA)
 * calls B (MTA, another process), B calls A back, and the callback runs
 * on A's thread while A waits. */
static void callback_into_a_waiting_sta_completes_on_its_thread(void)
{
    struct server a, b;
    struct outgoing out = { &b, NULL, NTSEC_E_FAIL };
    struct server *pair[2] = { &b, &a };

    server_start(&a, "alice", NTSEC_COM_STA);
    server_start(&b, "svc-web", NTSEC_COM_MTA);
    party_do(&b.party, connect_next_step, pair);
    party_do(&a.party, call_out_step, &out);
    CU_ASSERT_EQUAL(out.hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(b.obj.next_hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(a.obj.served, 1);
    CU_ASSERT_PTR_EQUAL(a.obj.served_on[0], a.thread);
    CU_ASSERT(pthread_equal(a.obj.served_pt[0], a.pt));
    party_do(&b.party, release_next_step, &b);
    server_stop(&b);
    server_stop(&a);
}

/* A call from the STA thread to its own object through a proxy does not
 * deadlock: its modal loop serves it, on the same thread (Windows gives
 * the apartment's own object back unmarshaled; ntsec keeps the proxy and
 * its call context, docs/com.md). */
static void sta_calling_its_own_object_through_a_proxy_completes(void)
{
    struct server a;
    struct outgoing out = { &a, NULL, NTSEC_E_FAIL };

    server_start(&a, "alice", NTSEC_COM_STA);
    party_do(&a.party, call_out_step, &out);
    CU_ASSERT_EQUAL(out.hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(a.obj.served, 1);
    CU_ASSERT_PTR_EQUAL(a.obj.served_on[0], a.thread);
    server_stop(&a);
}

/* party_do on a thread of its own, for a step that blocks. */
struct async_step {
    pthread_t thread;
    struct party *party;
    void (*fn)(void *);
    void *arg;
};

static void *async_main(void *arg)
{
    struct async_step *a = arg;

    party_do(a->party, a->fn, a->arg);
    return NULL;
}

static void async_start(struct async_step *a, struct party *party, void (*fn)(void *), void *arg)
{
    *a = (struct async_step){ .party = party, .fn = fn, .arg = arg };
    CU_ASSERT_FATAL(pthread_create(&a->thread, NULL, async_main, a) == 0);
}

/* Two STAs of two processes calling each other at once: neither
 * deadlocks ("Call Synchronization": each waits in a modal loop that
 * dispatches incoming calls). B serves A's call in its modal loop (B
 * waits for A's reply, which only A can give); A serves B's call in its
 * own modal loop or, when its reply came first, at its next pump - as a
 * Windows STA dispatches it from its message loop. Each call runs on its
 * object's thread. */
static void two_stas_calling_each_other_both_complete(void)
{
    struct server a, b;
    struct outgoing a_to_b = { &b, NULL, NTSEC_E_FAIL }, b_to_a = { &a, NULL, NTSEC_E_FAIL };
    struct async_step from_a, from_b;
    ntsec_hresult pumped;

    server_start(&a, "alice", NTSEC_COM_STA);
    server_start(&b, "svc-web", NTSEC_COM_STA);
    async_start(&from_a, &a.party, call_out_step, &a_to_b);
    wait_queued(b.sta, 1);              /* A waits in its modal loop for B */
    async_start(&from_b, &b.party, call_out_step, &b_to_a);
    pthread_join(from_a.thread, NULL);  /* B's call to A was queued before B served A's */
    pumped = server_pump(&a, 0);
    CU_ASSERT(pumped == NTSEC_S_OK || pumped == NTSEC_RPC_S_CALLPENDING);
    pthread_join(from_b.thread, NULL);
    CU_ASSERT_EQUAL(a_to_b.hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(b_to_a.hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(a.obj.served, 1);
    CU_ASSERT_EQUAL(b.obj.served, 1);
    CU_ASSERT_PTR_EQUAL(a.obj.served_on[0], a.thread);
    CU_ASSERT_PTR_EQUAL(b.obj.served_on[0], b.thread);
    server_stop(&b);
    server_stop(&a);
}

/* --- the end of an STA ---------------------------------------------------------------- */

static void mta_up(void *arg)
{
    (void)arg;
    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
}

struct late {
    uint32_t cookie;
    struct ntsec_com_proxy *proxy;
    ntsec_hresult connect_hr, call_hr;
};

static void late_connect(void *arg)
{
    struct late *l = arg;

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_MTA) == NTSEC_S_OK);
    l->connect_hr = ntsec_com_connect(l->cookie, &l->proxy);
}

static void late_call(void *arg)
{
    struct late *l = arg;
    struct ntsec_com_proxy *again = NULL;

    l->call_hr = ntsec_com_call(l->proxy, 3, NULL);
    l->connect_hr = ntsec_com_connect(l->cookie, &again);
    CU_ASSERT_PTR_NULL(again);
    ntsec_com_proxy_release(l->proxy);
    ntsec_com_uninitialize();
}

/* "CoUninitialize" (it "forces all RPC connections on the thread to
 * close"): an STA thread leaving COM revokes its objects - a call queued
 * to it and every later call get RPC_E_DISCONNECTED - while its process,
 * which another thread keeps in COM, goes on. */
static void call_to_an_sta_that_left_com_is_disconnected(void)
{
    struct ntsec_process *alice = rf_process("alice", NTSEC_LOGON_INTERACTIVE, WS);
    struct server s;
    struct party keeper, client;
    struct caller c;
    struct late l = { 0 };

    server_start(&s, "svc-web", NTSEC_COM_STA);
    party_start_in(&keeper, s.party.process);
    party_do(&keeper, mta_up, NULL);
    party_start(&client, "carol", WS);
    l.cookie = s.cookie;
    party_do(&client, late_connect, &l);
    CU_ASSERT_EQUAL(l.connect_hr, NTSEC_S_OK);
    caller_start(&c, alice, s.cookie, 7);
    wait_queued(s.sta, 1);
    party_do(&s.party, down, NULL);
    pthread_join(c.thread, NULL);
    CU_ASSERT_EQUAL(c.hr, NTSEC_RPC_E_DISCONNECTED);
    CU_ASSERT_EQUAL(s.obj.served, 0);
    CU_ASSERT_EQUAL(s.obj.released, 1);
    party_do(&client, late_call, &l);
    CU_ASSERT_EQUAL(l.call_hr, NTSEC_RPC_E_DISCONNECTED);
    CU_ASSERT_EQUAL(l.connect_hr, NTSEC_RPC_E_DISCONNECTED);
    party_stop(&client);
    party_do(&keeper, down, NULL);
    party_stop(&keeper);
    party_stop(&s.party);
    pthread_mutex_destroy(&s.obj.lock);
    ntsec_object_put(alice);
}

/* --- IServerSecurity from another thread of the apartment -------------------------------- */

static void thread_user(char *name, size_t size)
{
    enum ntsec_impersonation_level level;
    bool coo, eo;
    struct ntsec_token *t = ntsec_thread_impersonation(ntsec_thread_current(), &level, &coo, &eo);

    name[0] = 0;
    if (t) {
        rf_user(t, name, size);
        ntsec_token_put(t);
    }
}

/* What a helper thread does with the call and what it sees. */
struct other {
    struct party party;
    struct ntsec_com_call *call;        /* a reference, kept past the call */
    ntsec_hresult impersonate, revert;
    bool impersonating, impersonating_after_revert;
    int level, level_after_revert;
    char user[64];
    /* the serving thread meanwhile */
    int serving_level;
    bool serving_impersonating;
    bool leave_impersonating;           /* do not revert: the end of the call does */
    bool fail_alloc;
};

static void other_uses_the_call(void *arg)
{
    struct other *o = arg;

    if (o->fail_alloc)
        testutil_fail_alloc_after(0);
    o->impersonate = ntsec_com_call_impersonate(o->call);
    testutil_fail_alloc_after(-1);
    o->impersonating = ntsec_com_call_is_impersonating(o->call);
    o->level = impersonation_level_now();
    thread_user(o->user, sizeof(o->user));
    if (o->leave_impersonating)
        return;
    o->revert = ntsec_com_call_revert(o->call);
    o->impersonating_after_revert = ntsec_com_call_is_impersonating(o->call);
    o->level_after_revert = impersonation_level_now();
}

/* The server's method: hand the call to the helper, then look at itself. */
static void hand_over(void *arg)
{
    struct other *o = arg;

    (void)arg;
    CU_ASSERT_FATAL(ntsec_com_call_current(&o->call) == NTSEC_S_OK);
    party_do(&o->party, other_uses_the_call, o);
    o->serving_level = impersonation_level_now();
    o->serving_impersonating = ntsec_com_call_is_impersonating(o->call);
}

static void other_after_the_call(void *arg)
{
    struct other *o = arg;

    o->level = impersonation_level_now();
    thread_user(o->user, sizeof(o->user));
    o->impersonate = ntsec_com_call_impersonate(o->call);
    o->revert = ntsec_com_call_revert(o->call);
    o->impersonating = ntsec_com_call_is_impersonating(o->call);
    ntsec_thread_revert(ntsec_thread_current());
    o->level_after_revert = impersonation_level_now();
}

static void sta_up(void *arg)
{
    (void)arg;
    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_STA) == NTSEC_S_OK);
}

/* A server (svc-web, SeImpersonatePrivilege) in `model`, alice's call
 * handed by its method to `o`'s party, a thread of the server's process
 * set up by `helper_up` (NULL: a thread that never initialised COM) or,
 * with `foreign`, of another process. Returns the call's result. */
static ntsec_hresult run_handed_call(struct server *s, enum ntsec_com_model model,
                                     struct other *o, void (*helper_up)(void *), bool foreign)
{
    struct ntsec_process *alice = rf_process("alice", NTSEC_LOGON_INTERACTIVE, WS);
    struct caller c;

    server_start(s, "svc-web", model);
    s->obj.hook = hand_over;
    if (foreign)
        party_start(&o->party, "bob", WS);
    else
        party_start_in(&o->party, s->party.process);
    if (helper_up)
        party_do(&o->party, helper_up, NULL);
    caller_start(&c, alice, s->cookie, (uintptr_t)o);
    if (model == NTSEC_COM_STA) {
        wait_queued(s->sta, 1);
        CU_ASSERT_EQUAL(server_pump(s, 0), NTSEC_S_OK);
    }
    pthread_join(c.thread, NULL);
    ntsec_object_put(alice);
    return c.hr;
}

static void stop_handed_call(struct server *s, struct other *o, bool helper_initialised)
{
    ntsec_com_call_put(o->call);
    if (helper_initialised)
        party_do(&o->party, down, NULL);
    party_stop(&o->party);
    server_stop(s);
}

/* "IServerSecurity::RevertToSelf": the instance is valid on any thread of
 * the apartment until the call completes, and impersonation is the
 * calling thread's: a second MTA thread of the server impersonates alice
 * and reverts, while the serving thread is untouched. */
static void server_security_from_a_second_mta_thread_impersonates_that_thread(void)
{
    struct server s;
    struct other o;

    memset(&o, 0, sizeof(o));
    CU_ASSERT_EQUAL(run_handed_call(&s, NTSEC_COM_MTA, &o, mta_up, false), NTSEC_S_OK);
    CU_ASSERT_EQUAL(o.impersonate, NTSEC_S_OK);
    CU_ASSERT(o.impersonating);
    CU_ASSERT_EQUAL(o.level, IMPER);
    CU_ASSERT_STRING_EQUAL(o.user, "alice");
    CU_ASSERT_EQUAL(o.revert, NTSEC_S_OK);
    CU_ASSERT(!o.impersonating_after_revert);
    CU_ASSERT_EQUAL(o.level_after_revert, -1);
    CU_ASSERT_EQUAL(o.serving_level, -1);
    CU_ASSERT(!o.serving_impersonating);
    stop_handed_call(&s, &o, true);
}

/* "APTTYPEQUALIFIER" (the implicit MTA: a thread that did not initialise
 * COM in a process whose MTA exists) - such a thread is of the MTA too. */
static void server_security_from_an_implicit_mta_thread_is_allowed(void)
{
    struct server s;
    struct other o;

    memset(&o, 0, sizeof(o));
    CU_ASSERT_EQUAL(run_handed_call(&s, NTSEC_COM_MTA, &o, NULL, false), NTSEC_S_OK);
    CU_ASSERT_EQUAL(o.impersonate, NTSEC_S_OK);
    CU_ASSERT_STRING_EQUAL(o.user, "alice");
    CU_ASSERT_EQUAL(o.level_after_revert, -1);
    stop_handed_call(&s, &o, false);
}

/* The COM specification, "IServerSecurity::ImpersonateClient": called on
 * a thread other than the one that received the call, the impersonation
 * "will not automatically be revoked. It will be valid past the end of
 * the call" - COM reverts the serving thread only. After the call the
 * instance is RPC_E_CALL_COMPLETE ("IServerSecurity": its methods "may be
 * called only before the remote procedure call completes"); the thread
 * reverts by itself. */
static void a_second_thread_stays_impersonating_past_the_call(void)
{
    struct server s;
    struct other o;

    memset(&o, 0, sizeof(o));
    o.leave_impersonating = true;
    CU_ASSERT_EQUAL(run_handed_call(&s, NTSEC_COM_MTA, &o, mta_up, false), NTSEC_S_OK);
    CU_ASSERT_EQUAL(o.impersonate, NTSEC_S_OK);
    CU_ASSERT_EQUAL(o.level, IMPER);
    CU_ASSERT_EQUAL(o.serving_level, -1);
    party_do(&o.party, other_after_the_call, &o);
    CU_ASSERT_EQUAL(o.level, IMPER);
    CU_ASSERT_STRING_EQUAL(o.user, "alice");
    CU_ASSERT_EQUAL(o.impersonate, NTSEC_RPC_E_CALL_COMPLETE);
    CU_ASSERT_EQUAL(o.revert, NTSEC_RPC_E_CALL_COMPLETE);
    CU_ASSERT(!o.impersonating);
    CU_ASSERT_EQUAL(o.level_after_revert, -1);
    stop_handed_call(&s, &o, true);
}

/* "IServerSecurity::RevertToSelf": the instance is valid on the threads
 * of the call's apartment only; any other gets RPC_E_WRONG_THREAD. One
 * test per row. */
static const struct wrong_thread_row {
    const char *name;
    enum ntsec_com_model served_by;     /* the server's apartment */
    void (*helper_up)(void *);          /* how the other thread joins COM */
    bool foreign;                       /* a thread of another process */
} wrong_thread_rows[] = {
    /* an STA thread of the server's process, for an MTA call */
    { "server_security_from_an_sta_thread_is_wrong_thread", NTSEC_COM_MTA, sta_up, false },
    /* a thread of another process */
    { "server_security_from_another_process_is_wrong_thread", NTSEC_COM_MTA, mta_up, true },
    /* for a call an STA serves, the apartment is that one thread */
    { "server_security_of_an_sta_call_from_the_mta_is_wrong_thread", NTSEC_COM_STA, mta_up, false },
};

#define WRONG_THREAD_ROWS (sizeof(wrong_thread_rows) / sizeof(wrong_thread_rows[0]))

static void run_wrong_thread_row(void)
{
    const char *name = CU_get_current_test()->pName;
    const struct wrong_thread_row *row = NULL;
    struct server s;
    struct other o;

    for (size_t i = 0; i < WRONG_THREAD_ROWS; i++)
        if (!strcmp(wrong_thread_rows[i].name, name))
            row = &wrong_thread_rows[i];
    CU_ASSERT_PTR_NOT_NULL_FATAL(row);
    memset(&o, 0, sizeof(o));
    CU_ASSERT_EQUAL(run_handed_call(&s, row->served_by, &o, row->helper_up, row->foreign),
                    NTSEC_S_OK);
    CU_ASSERT_EQUAL(o.impersonate, NTSEC_RPC_E_WRONG_THREAD);
    CU_ASSERT_EQUAL(o.revert, NTSEC_RPC_E_WRONG_THREAD);
    CU_ASSERT(!o.impersonating);
    CU_ASSERT_EQUAL(o.level, -1);
    stop_handed_call(&s, &o, true);
}

/* An STA server whose call from B calls C, and C calls it back (D). */
struct nest {
    struct party party;
    uint32_t cookie;
    struct com_sta *sta;
    struct ntsec_com_proxy *to_c;
    int depth;
    ntsec_hresult outer_call_hr;
    char outer_user_after[64], inner_user[64];
    int inner_level_after_revert;
};

static ntsec_hresult nest_invoke(void *self, uint32_t method, void *arg)
{
    struct nest *n = self;
    struct ntsec_com_call *call = NULL;

    (void)method;
    (void)arg;
    if (ntsec_com_call_current(&call) != NTSEC_S_OK)
        return NTSEC_E_FAIL;
    CU_ASSERT(ntsec_com_call_impersonate(call) == NTSEC_S_OK);
    if (n->depth++ == 0) {
        n->outer_call_hr = ntsec_com_call(n->to_c, 3, NULL);
        thread_user(n->outer_user_after, sizeof(n->outer_user_after));
    } else {
        thread_user(n->inner_user, sizeof(n->inner_user));
        CU_ASSERT(ntsec_com_call_revert(call) == NTSEC_S_OK);
        n->inner_level_after_revert = impersonation_level_now();
    }
    ntsec_com_call_put(call);
    return NTSEC_S_OK;
}

static void nest_up(void *arg)
{
    struct nest *n = arg;
    const struct ntsec_com_object o = { n, nest_invoke, NULL };

    CU_ASSERT(ntsec_com_initialize(NTSEC_COM_STA) == NTSEC_S_OK);
    CU_ASSERT(ntsec_com_export(&o, &n->cookie) == NTSEC_S_OK);
    n->sta = ntsec__com_thread.sta;
}

/* A and C, for the steps that connect them to each other. */
struct nest_pair {
    struct nest *a;
    struct server *c;
};

static void a_connect_to_c(void *arg)
{
    struct nest_pair *p = arg;

    CU_ASSERT(ntsec_com_connect(p->c->cookie, &p->a->to_c) == NTSEC_S_OK);
}

static void c_connect_to_a(void *arg)
{
    struct nest_pair *p = arg;

    CU_ASSERT(ntsec_com_connect(p->a->cookie, &p->c->obj.next) == NTSEC_S_OK);
}

static void pump_step_any(void *arg)
{
    ntsec_hresult *hr = arg;

    *hr = ntsec_com_pump(0);
}

static void nest_down(void *arg)
{
    struct nest *n = arg;

    ntsec_com_proxy_release(n->to_c);
    ntsec_com_uninitialize();
}

/* "IServerSecurity::ImpersonateClient": "in the apartment model,
 * impersonation is maintained during nested calls" - A (an STA) receives
 * a call from B, impersonates, calls C; C calls A back (D); A impersonates
 * D, reverts; when C's reply arrives A's thread impersonates B again.
 * That the nested call starts without B's token (so its revert leaves
 * none) is ntsec's choice. */
static void nested_call_in_an_sta_gives_back_the_outer_impersonation(void)
{
    struct ntsec_process *alice = rf_process("alice", NTSEC_LOGON_INTERACTIVE, WS);
    struct nest n;
    struct server c;
    struct caller b;
    struct nest_pair pair = { &n, &c };
    ntsec_hresult pump_hr = NTSEC_E_FAIL;

    memset(&n, 0, sizeof(n));
    party_start(&n.party, "svc-web", WS);
    party_do(&n.party, nest_up, &n);
    server_start(&c, "carol", NTSEC_COM_MTA);
    party_do(&n.party, a_connect_to_c, &pair);
    party_do(&c.party, c_connect_to_a, &pair);
    caller_start(&b, alice, n.cookie, 0);
    wait_queued(n.sta, 1);
    party_do(&n.party, pump_step_any, &pump_hr);
    CU_ASSERT_EQUAL(pump_hr, NTSEC_S_OK);
    pthread_join(b.thread, NULL);
    CU_ASSERT_EQUAL(b.hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(n.outer_call_hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(c.obj.next_hr, NTSEC_S_OK);
    CU_ASSERT_EQUAL(n.depth, 2);
    CU_ASSERT_STRING_EQUAL(n.inner_user, "carol");
    CU_ASSERT_EQUAL(n.inner_level_after_revert, -1);
    CU_ASSERT_STRING_EQUAL(n.outer_user_after, "alice");
    party_do(&c.party, release_next_step, &c);
    server_stop(&c);
    party_do(&n.party, nest_down, &n);
    party_stop(&n.party);
    ntsec_object_put(alice);
}

/* A second thread's impersonation needs a record of its own: without
 * memory, E_OUTOFMEMORY and the thread unchanged. */
static void second_thread_impersonation_survives_allocation_failure(void)
{
    struct server s;
    struct other o;

    memset(&o, 0, sizeof(o));
    o.fail_alloc = true;
    o.leave_impersonating = true;
    CU_ASSERT_EQUAL(run_handed_call(&s, NTSEC_COM_MTA, &o, mta_up, false), NTSEC_S_OK);
    CU_ASSERT_EQUAL(o.impersonate, NTSEC_E_OUTOFMEMORY);
    CU_ASSERT(!o.impersonating);
    CU_ASSERT_EQUAL(o.level, -1);
    stop_handed_call(&s, &o, true);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(sta_call_waits_for_the_pump_and_runs_on_the_sta_thread),
        TEST(sta_serves_queued_calls_one_at_a_time_in_order),
        TEST(pump_outside_an_sta_is_refused),
        TEST(sta_initialize_survives_allocation_failure),
        TEST(callback_into_a_waiting_sta_completes_on_its_thread),
        TEST(sta_calling_its_own_object_through_a_proxy_completes),
        TEST(two_stas_calling_each_other_both_complete),
        TEST(call_to_an_sta_that_left_com_is_disconnected),
        TEST(server_security_from_a_second_mta_thread_impersonates_that_thread),
        TEST(server_security_from_an_implicit_mta_thread_is_allowed),
        TEST(a_second_thread_stays_impersonating_past_the_call),
        TEST(second_thread_impersonation_survives_allocation_failure),
        TEST(nested_call_in_an_sta_gives_back_the_outer_impersonation),
        CU_TEST_INFO_NULL,
    };
    static CU_TestInfo wrong_thread[WRONG_THREAD_ROWS + 1];

    for (size_t i = 0; i < WRONG_THREAD_ROWS; i++)
        wrong_thread[i] = (CU_TestInfo){ wrong_thread_rows[i].name, run_wrong_thread_row };
    wrong_thread[WRONG_THREAD_ROWS] = (CU_TestInfo)CU_TEST_INFO_NULL;
    testutil_add_suite("com_sta", tests);
    testutil_add_suite("com_sta_wrong_thread", wrong_thread);
}

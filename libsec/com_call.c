/* com_call.c - a call through a proxy: the client's side (the level,
 * the token it presents under its cloaking) handed to the server's
 * worker threads, and the server's side (the level check, the client
 * security context, the access permissions, the call context that
 * CoGetCallContext and IServerSecurity reach).
 *
 * Sources (Microsoft docs): "Security Blanket Negotiation",
 * "CoInitializeSecurity" (calls below the server's level fail),
 * "Cloaking", "IServerSecurity::ImpersonateClient", "IServerSecurity::
 * RevertToSelf", "CoGetCallContext"; the rules of who the server sees are
 * ntsec/call.h's (docs/calls.md). */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "com.h"
#include "ntsec/ntsec.h"

#define COM_RIGHTS_EXECUTE 1u   /* objidl.h; the right "Launch and Access" ACLs grant */

/* What COM reports for a status of the call layer: no memory is
 * E_OUTOFMEMORY, a bad argument E_INVALIDARG; every refusal to
 * authenticate or impersonate (bad level, no credentials, failed logon)
 * is E_ACCESSDENIED (ntsec's choice; docs/com.md). */
static const struct { ntsec_status st; ntsec_hresult hr; } status_map[] = {
    { NTSEC_STATUS_SUCCESS, NTSEC_S_OK },
    { NTSEC_STATUS_NO_MEMORY, NTSEC_E_OUTOFMEMORY },
    { NTSEC_STATUS_INVALID_PARAMETER, NTSEC_E_INVALIDARG },
};

ntsec_hresult ntsec__com_hresult(ntsec_status st)
{
    for (size_t i = 0; i < sizeof(status_map) / sizeof(status_map[0]); i++)
        if (status_map[i].st == st)
            return status_map[i].hr;
    return NTSEC_E_ACCESSDENIED;
}

static enum ntsec_cloaking cloaking_of(uint32_t caps)
{
    if (caps & NTSEC_EOAC_DYNAMIC_CLOAKING)
        return NTSEC_CLOAKING_DYNAMIC;
    return caps & NTSEC_EOAC_STATIC_CLOAKING ? NTSEC_CLOAKING_STATIC : NTSEC_CLOAKING_NONE;
}

/* The token the call presents; keeps a static capture (lock held). */
static ntsec_status presented_token(struct ntsec_com_proxy *proxy, struct ntsec_token **out)
{
    enum ntsec_cloaking cloak = cloaking_of(proxy->capabilities);
    ntsec_status st = ntsec_call_client_token(ntsec_thread_current(), cloak, proxy->captured,
                                              proxy->explicit_token, out);

    if (ntsec_success(st) && cloak == NTSEC_CLOAKING_STATIC && !proxy->captured)
        proxy->captured = ntsec_token_get(*out);    /* "Cloaking": frozen at the first call */
    return st;
}

void ntsec__com_job_finish(struct com_job *job, ntsec_hresult hr)
{
    job->hr = hr;
    job->done = true;
    pthread_cond_signal(job->notify);
}

ntsec_hresult ntsec_com_call(struct ntsec_com_proxy *proxy, uint32_t method, void *arg)
{
    struct com_job job = { .method = method, .arg = arg };
    struct com_process *server;
    struct com_sta *sta;
    ntsec_status st = NTSEC_STATUS_SUCCESS;
    ntsec_hresult hr;

    if (!ntsec__com_thread.proc)
        return NTSEC_CO_E_NOTINITIALIZED;
    if (!proxy)
        return NTSEC_E_INVALIDARG;
    job.client_machine = ntsec_process_machine(ntsec__com_thread.proc->process);
    pthread_mutex_lock(&ntsec__com_lock);
    job.exp = proxy->exp;
    job.authn_svc = proxy->authn_svc;
    job.authz_svc = proxy->authz_svc;
    job.authn_level = proxy->authn_level;
    job.imp_level = proxy->imp_level;
    job.capabilities = proxy->capabilities;
    if (job.authn_level != NTSEC_AUTHN_LEVEL_NONE)
        st = presented_token(proxy, &job.presented);
    server = job.exp->owner;
    sta = job.exp->sta;
    if (server && server->stopping)
        server = NULL;                  /* its workers are leaving: no new jobs */
    if (!server || !ntsec_success(st)) {
        pthread_mutex_unlock(&ntsec__com_lock);
        if (job.presented)
            ntsec_token_put(job.presented);
        return server ? ntsec__com_hresult(st) : NTSEC_RPC_E_DISCONNECTED;
    }
    /* The job counts the export, so it outlives a revoke made meanwhile
     * (the worker then finds it revoked: RPC_E_DISCONNECTED). An STA
     * caller is woken through its own STA, which also tells it of
     * incoming calls (com_sta.c). */
    job.exp->refs++;
    ntsec__com_job_init(&job);
    hr = sta ? ntsec__com_sta_enqueue(sta, &job) : ntsec__com_enqueue(server, &job);
    if (hr == NTSEC_S_OK) {
        ntsec__com_wait(&job);
        hr = job.hr;
    }
    ntsec__com_export_put(job.exp);
    pthread_mutex_unlock(&ntsec__com_lock);
    pthread_cond_destroy(&job.finished);
    if (job.presented)
        ntsec_token_put(job.presented);
    return hr;
}

/* --- the server's side --------------------------------------------------------- */

/* "DOMAIN\user" of the context's token, for QueryBlanket. */
static void client_name(struct ntsec_com_call *call)
{
    _Alignas(8) uint8_t buf[128];
    char name[64], domain[64];
    size_t nsize = sizeof(name), dsize = sizeof(domain);
    enum ntsec_sid_use use;
    uint32_t need;

    if (ntsec_success(ntsec_token_query(call->ctx.client_token, NTSEC_TOKEN_USER, buf,
                                        sizeof(buf), &need)) &&
        ntsec_success(ntsec_account_lookup_sid(*(const struct ntsec_sid *const *)buf, name,
                                               &nsize, domain, &dsize, &use)))
        snprintf(call->client, sizeof(call->client), "%s\\%s", domain, name);
}

/* The server's access permissions ("CoInitializeSecurity", pSecDesc):
 * the caller needs COM_RIGHTS_EXECUTE; no descriptor lets everyone in. */
static ntsec_status access_allowed(const struct com_process *p, const struct ntsec_token *t)
{
    static const struct ntsec_generic_mapping map = {
        COM_RIGHTS_EXECUTE, COM_RIGHTS_EXECUTE, COM_RIGHTS_EXECUTE, COM_RIGHTS_EXECUTE };
    struct ntsec_access_request req = { .sd = p->access_sd, .token = t,
                                        .desired = COM_RIGHTS_EXECUTE, .mapping = &map };
    struct ntsec_access_result res = { 0 };
    ntsec_status st;

    if (!p->access_sd)
        return NTSEC_STATUS_SUCCESS;
    st = ntsec_access_check(&req, &res);
    return ntsec_success(st) ? res.status : st;
}

/* An unauthenticated (NONE-level) call has no token: the caller is
 * ANONYMOUS LOGON to the access permissions, so a descriptor lets it in
 * only when it grants anonymous callers (CoInitializeSecurity, pSecDesc:
 * NULL is the one value that checks no caller; an empty DACL "allows no
 * access"). That the anonymous logon token stands for the caller is
 * ntsec's reading; it is what an RPC server sees for a null session. */
static ntsec_status anonymous_allowed(const struct com_process *p)
{
    struct ntsec_token *anonymous = NULL;
    ntsec_status st;

    if (!p->access_sd)
        return NTSEC_STATUS_SUCCESS;
    st = ntsec_token_anonymous(&anonymous);
    if (!ntsec_success(st))
        return st;
    st = access_allowed(p, anonymous);
    ntsec_token_put(anonymous);
    return st;
}

/* Build the call object of a job: the level check, then the context. */
static ntsec_status call_open(struct com_process *p, const struct com_job *job,
                              struct ntsec_com_call *call)
{
    ntsec_status st = ntsec_call_check_level(job->authn_level, p->authn_level);
    uint8_t tracking = job->capabilities & NTSEC_EOAC_DYNAMIC_CLOAKING
                           ? NTSEC_SECURITY_DYNAMIC_TRACKING : NTSEC_SECURITY_STATIC_TRACKING;

    if (!ntsec_success(st))
        return st;
    if (!job->presented)
        return anonymous_allowed(p);
    st = ntsec_call_server_context(job->presented, job->client_machine, p->process,
                                   (enum ntsec_impersonation_level)(job->imp_level - 1),
                                   tracking, &call->ctx);
    if (!ntsec_success(st))
        return st;
    call->has_context = true;
    client_name(call);
    return access_allowed(p, call->ctx.client_token);
}

/* The end of the call ("IServerSecurity::ImpersonateClient": COM
 * reverts a method that returns impersonating). Only the serving thread:
 * another thread's impersonation "will not automatically be revoked. It
 * will be valid past the end of the call" (the COM specification,
 * "IServerSecurity::ImpersonateClient"); its record goes, so it reverts
 * by other means (RevertToSelf, ntsec_thread_revert). */
static void call_end(struct ntsec_com_call *call)
{
    pthread_mutex_lock(&call->lock);
    atomic_store(&call->complete, true);
    if (call->serving.active)
        ntsec_thread_restore_impersonation(call->thread, &call->serving.saved);
    call->serving.active = false;
    while (call->others) {
        struct com_imp *imp = call->others;

        call->others = imp->next;
        if (imp->saved.token)
            ntsec_token_put(imp->saved.token);
        ntsec_object_put(imp->thread);
        ntsec__free(imp);
    }
    pthread_mutex_unlock(&call->lock);
}

void ntsec__com_serve(struct com_process *p, struct com_job *job)
{
    struct com_thread *t = &ntsec__com_thread;
    struct ntsec_com_call *call = ntsec__zalloc(sizeof(*call));
    struct ntsec_com_call *outer = t->call;
    struct ntsec_impersonation_state before;
    enum ntsec_authn_level level;
    ntsec_status st;

    if (!call) {
        job->hr = NTSEC_E_OUTOFMEMORY;
        return;
    }
    if (!ntsec__com_export_enter(job->exp)) {
        ntsec__free(call);
        job->hr = NTSEC_RPC_E_DISCONNECTED;     /* revoked while the call was queued */
        return;
    }
    atomic_init(&call->refs, 1);
    pthread_mutex_init(&call->lock, NULL);
    call->authn_svc = job->authn_svc;
    call->authz_svc = job->authz_svc;
    /* The level the call is processed at: CALL as PKT ([MS-RPCE]
     * 2.2.1.1.8; docs/calls.md), which QueryBlanket reports. */
    call->authn_level = job->authn_level;
    if (ntsec_success(ntsec_call_negotiate_level(job->authn_level, NTSEC_AUTHN_LEVEL_NONE, &level)))
        call->authn_level = level;
    call->capabilities = job->capabilities;
    call->thread = ntsec_thread_current();
    call->serving.thread = call->thread;
    call->mta = t->sta ? NULL : p->process;
    st = call_open(p, job, call);
    if (ntsec_success(st)) {
        /* Each call starts as the server: an STA thread may be serving
         * it inside its own impersonation (a callback in its modal loop,
         * or while pumping), restored after ("IServerSecurity::
         * RevertToSelf": each nested invocation has its own token; that
         * it starts with none is ntsec's choice). */
        ntsec_thread_disable_impersonation(call->thread, &before);
        t->call = call;
        job->hr = job->exp->object.invoke(job->exp->object.self, job->method, job->arg);
        t->call = outer;
        call_end(call);
        ntsec_thread_restore_impersonation(call->thread, &before);
    } else {
        job->hr = ntsec__com_hresult(st);
        atomic_store(&call->complete, true);
    }
    ntsec__com_export_leave(job->exp);
    ntsec_com_call_put(call);
}

ntsec_hresult ntsec_com_call_current(struct ntsec_com_call **out)
{
    struct ntsec_com_call *call = ntsec__com_thread.call;

    if (!out)
        return NTSEC_E_INVALIDARG;
    if (!call)
        return NTSEC_RPC_E_CALL_COMPLETE;      /* Wine compobj.c test_CoGetCallContext */
    ntsec_com_call_get(call);
    *out = call;
    return NTSEC_S_OK;
}

void ntsec_com_call_get(struct ntsec_com_call *call)
{
    if (call)
        atomic_fetch_add(&call->refs, 1);
}

void ntsec_com_call_put(struct ntsec_com_call *call)
{
    if (!call || atomic_fetch_sub(&call->refs, 1) != 1)
        return;
    ntsec_client_context_delete(&call->ctx);
    pthread_mutex_destroy(&call->lock);
    ntsec__free(call);
}

ntsec_hresult ntsec_com_call_query(const struct ntsec_com_call *call,
                                   struct ntsec_com_call_blanket *out)
{
    if (!call || !out)
        return NTSEC_E_INVALIDARG;
    if (atomic_load(&call->complete))
        return NTSEC_RPC_E_CALL_COMPLETE;
    *out = (struct ntsec_com_call_blanket){ call->authn_svc, call->authz_svc, call->authn_level,
                                            call->capabilities,
                                            call->client[0] ? call->client : NULL };
    return NTSEC_S_OK;
}

/* "IServerSecurity::RevertToSelf": the instance is valid on any thread of
 * the call's apartment until the call completes. The serving thread; for
 * an MTA call, any thread of the process' MTA too, an uninitialised
 * thread of the process included ("APTTYPEQUALIFIER": the implicit MTA);
 * not a thread of another apartment. */
static ntsec_hresult usable(const struct ntsec_com_call *call, struct ntsec_thread **thread)
{
    const struct com_thread *t = &ntsec__com_thread;
    struct ntsec_thread *self;

    if (!call)
        return NTSEC_E_INVALIDARG;
    if (atomic_load(&call->complete))
        return NTSEC_RPC_E_CALL_COMPLETE;
    self = ntsec_thread_current();
    if (!self)
        return NTSEC_E_OUTOFMEMORY;
    if (self != call->thread &&
        !(call->mta && ntsec_thread_process(self) == call->mta &&
          (!t->count || t->model == NTSEC_COM_MTA)))
        return NTSEC_RPC_E_WRONG_THREAD;
    *thread = self;
    return NTSEC_S_OK;
}

/* Another thread's record of the call (call locked); NULL when it has
 * none. */
static struct com_imp *imp_of(struct ntsec_com_call *call, const struct ntsec_thread *thread,
                              struct com_imp ***link)
{
    struct com_imp **pp = &call->others;

    while (*pp && (*pp)->thread != thread)
        pp = &(*pp)->next;
    *link = pp;
    return *pp;
}

/* The serving thread's record, `serving`, is read and written only by the
 * serving thread (its own IServerSecurity calls and call_end, which runs
 * on it when the method returns), so its impersonate/revert pair takes no
 * lock: the hot path of a server (DESIGN.md). `complete` is set by that
 * thread too, so usable()'s check of it cannot go stale here. */
static ntsec_hresult serving_impersonate(struct ntsec_com_call *call, struct ntsec_thread *thread)
{
    struct com_imp *imp = &call->serving;
    struct ntsec_impersonation_state saved;
    ntsec_status st;

    if (imp->active)
        return ntsec__com_hresult(ntsec_client_context_impersonate(&call->ctx, thread));
    ntsec_thread_disable_impersonation(thread, &saved);
    st = ntsec_client_context_impersonate(&call->ctx, thread);
    if (!ntsec_success(st)) {
        ntsec_thread_restore_impersonation(thread, &saved);
        return ntsec__com_hresult(st);
    }
    imp->saved = saved;
    imp->active = true;
    return NTSEC_S_OK;
}

static void serving_revert(struct ntsec_com_call *call, struct ntsec_thread *thread)
{
    if (!call->serving.active)
        return;
    ntsec_thread_restore_impersonation(thread, &call->serving.saved);
    call->serving.active = false;
}

/* "IServerSecurity::RevertToSelf": the first ImpersonateClient of a
 * thread saves its token, later ones do not stack; impersonation is the
 * calling thread's own. */
ntsec_hresult ntsec_com_call_impersonate(struct ntsec_com_call *call)
{
    struct ntsec_thread *thread = NULL;
    ntsec_hresult hr = usable(call, &thread);
    struct ntsec_impersonation_state saved;
    struct com_imp *imp, *fresh = NULL, **link = NULL;
    ntsec_status st;

    if (hr != NTSEC_S_OK)
        return hr;
    if (!call->has_context)
        return NTSEC_E_FAIL;                    /* "CoImpersonateClient": not at level NONE */
    if (thread == call->thread)
        return serving_impersonate(call, thread);
    pthread_mutex_lock(&call->lock);
    imp = imp_of(call, thread, &link);
    if (atomic_load(&call->complete)) {
        hr = NTSEC_RPC_E_CALL_COMPLETE;
    } else if (!imp && !(fresh = ntsec__zalloc(sizeof(*fresh)))) {
        hr = NTSEC_E_OUTOFMEMORY;               /* another thread's first: its record */
    } else if (!imp || !imp->active) {
        ntsec_thread_disable_impersonation(thread, &saved);
        st = ntsec_client_context_impersonate(&call->ctx, thread);
        if (ntsec_success(st)) {
            if (fresh) {
                imp = fresh;
                fresh = NULL;
                ntsec_object_get(thread);
                imp->thread = thread;
                *link = imp;
            }
            imp->saved = saved;
            imp->active = true;
        } else {
            ntsec_thread_restore_impersonation(thread, &saved);
            hr = ntsec__com_hresult(st);
        }
    } else {
        hr = ntsec__com_hresult(ntsec_client_context_impersonate(&call->ctx, thread));
    }
    pthread_mutex_unlock(&call->lock);
    ntsec__free(fresh);
    return hr;
}

ntsec_hresult ntsec_com_call_revert(struct ntsec_com_call *call)
{
    struct ntsec_thread *thread = NULL;
    ntsec_hresult hr = usable(call, &thread);
    struct com_imp *imp, **link = NULL;

    if (hr != NTSEC_S_OK)
        return hr;
    if (thread == call->thread) {
        serving_revert(call, thread);
        return NTSEC_S_OK;
    }
    pthread_mutex_lock(&call->lock);
    imp = imp_of(call, thread, &link);
    if (atomic_load(&call->complete)) {
        hr = NTSEC_RPC_E_CALL_COMPLETE;
    } else if (imp && imp->active) {
        ntsec_thread_restore_impersonation(thread, &imp->saved);
        *link = imp->next;
        ntsec_object_put(imp->thread);
        ntsec__free(imp);
    }
    pthread_mutex_unlock(&call->lock);
    return hr;
}

bool ntsec_com_call_is_impersonating(const struct ntsec_com_call *call)
{
    /* The lock changes, not the call: IsImpersonating is a question. */
    struct ntsec_com_call *c = (struct ntsec_com_call *)call;
    struct ntsec_thread *thread = NULL;
    struct com_imp *imp, **link = NULL;
    bool yes;

    if (usable(call, &thread) != NTSEC_S_OK)
        return false;
    if (thread == call->thread)
        return call->serving.active;
    pthread_mutex_lock(&c->lock);
    imp = imp_of(c, thread, &link);
    yes = !atomic_load(&c->complete) && imp && imp->active;
    pthread_mutex_unlock(&c->lock);
    return yes;
}

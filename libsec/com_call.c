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

ntsec_hresult ntsec_com_call(struct ntsec_com_proxy *proxy, uint32_t method, void *arg)
{
    struct com_job job = { .method = method, .arg = arg };
    struct com_process *server;
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
    if (server && server->stopping)
        server = NULL;                  /* its workers are leaving: no new jobs */
    if (!server || !ntsec_success(st)) {
        pthread_mutex_unlock(&ntsec__com_lock);
        if (job.presented)
            ntsec_token_put(job.presented);
        return server ? ntsec__com_hresult(st) : NTSEC_RPC_E_DISCONNECTED;
    }
    /* The export stays while its job is queued: the workers serve every
     * queued job before its process' state ends. */
    pthread_cond_init(&job.finished, NULL);
    hr = ntsec__com_enqueue(server, &job);
    if (hr != NTSEC_S_OK) {
        pthread_mutex_unlock(&ntsec__com_lock);
        pthread_cond_destroy(&job.finished);
        if (job.presented)
            ntsec_token_put(job.presented);
        return hr;
    }
    while (!job.done)
        pthread_cond_wait(&job.finished, &ntsec__com_lock);
    pthread_mutex_unlock(&ntsec__com_lock);
    pthread_cond_destroy(&job.finished);
    if (job.presented)
        ntsec_token_put(job.presented);
    return job.hr;
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

/* Build the call object of a job: the level check, then the context. */
static ntsec_status call_open(struct com_process *p, const struct com_job *job,
                              struct ntsec_com_call *call)
{
    ntsec_status st = ntsec_call_check_level(job->authn_level, p->authn_level);
    uint8_t tracking = job->capabilities & NTSEC_EOAC_DYNAMIC_CLOAKING
                           ? NTSEC_SECURITY_DYNAMIC_TRACKING : NTSEC_SECURITY_STATIC_TRACKING;

    if (!ntsec_success(st) || !job->presented)
        return st;
    st = ntsec_call_server_context(job->presented, job->client_machine, p->process,
                                   (enum ntsec_impersonation_level)(job->imp_level - 1),
                                   tracking, &call->ctx);
    if (!ntsec_success(st))
        return st;
    call->has_context = true;
    client_name(call);
    return access_allowed(p, call->ctx.client_token);
}

void ntsec__com_serve(struct com_process *p, struct com_job *job)
{
    struct com_thread *t = &ntsec__com_thread;
    struct ntsec_com_call *call = ntsec__zalloc(sizeof(*call));
    struct ntsec_com_call *outer = t->call;
    ntsec_status st;

    if (!call) {
        job->hr = NTSEC_E_OUTOFMEMORY;
        return;
    }
    atomic_init(&call->refs, 1);
    call->authn_svc = job->authn_svc;
    call->authz_svc = job->authz_svc;
    call->authn_level = job->authn_level;
    call->capabilities = job->capabilities;
    call->thread = ntsec_thread_current();
    st = call_open(p, job, call);
    if (ntsec_success(st)) {
        t->call = call;
        job->hr = job->exp->object.invoke(job->exp->object.self, job->method, job->arg);
        t->call = outer;
        /* "IServerSecurity::ImpersonateClient": COM reverts a method
         * that returns impersonating. */
        ntsec_com_call_revert(call);
    } else {
        job->hr = ntsec__com_hresult(st);
    }
    atomic_store(&call->complete, true);
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
    atomic_fetch_add(&call->refs, 1);
}

void ntsec_com_call_put(struct ntsec_com_call *call)
{
    if (!call || atomic_fetch_sub(&call->refs, 1) != 1)
        return;
    ntsec_client_context_delete(&call->ctx);
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

/* Only the serving thread, during the call. */
static ntsec_hresult usable(const struct ntsec_com_call *call)
{
    if (!call)
        return NTSEC_E_INVALIDARG;
    if (atomic_load(&call->complete))
        return NTSEC_RPC_E_CALL_COMPLETE;
    return call->thread == ntsec_thread_current() ? NTSEC_S_OK : NTSEC_RPC_E_WRONG_THREAD;
}

ntsec_hresult ntsec_com_call_impersonate(struct ntsec_com_call *call)
{
    ntsec_hresult hr = usable(call);
    struct ntsec_impersonation_state saved;
    ntsec_status st;

    if (hr != NTSEC_S_OK)
        return hr;
    if (!call->has_context)
        return NTSEC_E_FAIL;                    /* "CoImpersonateClient": not at level NONE */
    /* "IServerSecurity::RevertToSelf": the first ImpersonateClient saves
     * the thread's token, later ones do not stack. */
    if (!call->impersonating)
        ntsec_thread_disable_impersonation(call->thread, &saved);
    st = ntsec_client_context_impersonate(&call->ctx, call->thread);
    if (!ntsec_success(st)) {
        if (!call->impersonating)
            ntsec_thread_restore_impersonation(call->thread, &saved);
        return ntsec__com_hresult(st);
    }
    if (!call->impersonating)
        call->saved = saved;
    call->impersonating = true;
    return NTSEC_S_OK;
}

ntsec_hresult ntsec_com_call_revert(struct ntsec_com_call *call)
{
    ntsec_hresult hr = usable(call);

    if (hr != NTSEC_S_OK)
        return hr;
    if (call->impersonating) {
        ntsec_thread_restore_impersonation(call->thread, &call->saved);
        call->impersonating = false;
    }
    return NTSEC_S_OK;
}

bool ntsec_com_call_is_impersonating(const struct ntsec_com_call *call)
{
    return call && !atomic_load(&call->complete) && call->impersonating &&
           call->thread == ntsec_thread_current();
}

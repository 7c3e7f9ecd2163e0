/* com_apartment.c - COM apartments: which apartment a thread is in
 * (CoInitializeEx / CoUninitialize), the COM state of each emulated
 * process, and the pool of worker threads that serves a process' MTA
 * (an STA serves its own objects on its thread: com_sta.c).
 *
 * Rules (Microsoft docs, "CoInitializeEx"): a thread initialises once per
 * model, more calls of the same model return S_FALSE and must each be
 * balanced by CoUninitialize; a call of the other model fails with
 * RPC_E_CHANGED_MODE. ntsec's choice: the process' COM state (exports,
 * security settings, worker) ends when its last initialised thread
 * uninitialises, so a test can start a process' COM again; an STA's
 * objects end with its thread's ("CoUninitialize"). */
#include "alloc.h"
#include "com.h"
#include "ntsec/ntsec.h"

pthread_mutex_t ntsec__com_lock = PTHREAD_MUTEX_INITIALIZER;
_Thread_local struct com_thread ntsec__com_thread;

static struct com_process *processes;

/* Serialises the start of process states: process_start waits for its
 * worker with ntsec__com_lock released, and a second thread of the same
 * process must not start another meanwhile. */
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;

static struct com_process *process_find(struct ntsec_process *process)
{
    for (struct com_process *p = processes; p; p = p->next)
        if (p->process == process)
            return p;
    return NULL;
}

/* A worker that could not become a thread of the process: when a queued
 * job is left without a thread to serve it, it fails (lock held). */
static void worker_fail_one(struct com_process *p)
{
    struct com_job *job = p->head;

    if (!job || p->queued <= p->waiting + p->starting)
        return;
    p->head = job->next;
    if (!p->head)
        p->tail = NULL;
    p->queued--;
    ntsec__com_job_finish(job, NTSEC_E_OUTOFMEMORY);
}

/* A worker: a thread of the process in its MTA, its own call context
 * and impersonation state ("Processes, Threads, and Apartments": an MTA
 * call runs on any thread of the apartment), serving jobs until told to
 * stop with none left. */
static void *worker_main(void *arg)
{
    struct com_process *p = arg;
    /* Binding makes the thread's object: it may run out of memory. */
    const bool bound = ntsec_success(ntsec_thread_bind(p->process)) && ntsec_thread_current();

    pthread_mutex_lock(&ntsec__com_lock);
    p->starting--;
    if (!p->ready) {
        p->ready = bound ? 1 : -1;
        pthread_cond_broadcast(&p->wake);
    }
    if (!bound) {
        worker_fail_one(p);
        pthread_mutex_unlock(&ntsec__com_lock);
        return NULL;
    }
    ntsec__com_thread = (struct com_thread){ NTSEC_COM_MTA, 1, p, NULL, true, NULL };
    for (;;) {
        struct com_job *job = p->head;

        if (!job) {
            if (p->stopping)
                break;
            p->waiting++;
            pthread_cond_wait(&p->wake, &ntsec__com_lock);
            p->waiting--;
            continue;
        }
        p->head = job->next;
        if (!p->head)
            p->tail = NULL;
        p->queued--;
        pthread_mutex_unlock(&ntsec__com_lock);
        ntsec__com_serve(p, job);
        pthread_mutex_lock(&ntsec__com_lock);
        ntsec__com_job_finish(job, job->hr);
    }
    pthread_mutex_unlock(&ntsec__com_lock);
    ntsec__com_thread = (struct com_thread){ 0 };
    return NULL;
}

/* One more worker (lock held); false at the bound or without a thread. */
static bool worker_spawn(struct com_process *p)
{
    if (p->threads == NTSEC__COM_MAX_WORKERS ||
        pthread_create(&p->workers[p->threads], NULL, worker_main, p) != 0)
        return false;
    p->threads++;
    p->starting++;
    return true;
}

ntsec_hresult ntsec__com_enqueue(struct com_process *p, struct com_job *job)
{
    /* "Multithreaded Apartments": incoming calls are served on other
     * threads while one waits in an outgoing call; a worker is started
     * when every one is busy, so nested calls complete. */
    if (p->queued >= p->waiting + p->starting && !worker_spawn(p))
        return p->threads == NTSEC__COM_MAX_WORKERS ? NTSEC__RPC_E_SERVERCALL_RETRYLATER
                                                     : NTSEC_E_OUTOFMEMORY;
    if (p->tail)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    p->queued++;
    pthread_cond_signal(&p->wake);
    return NTSEC_S_OK;
}

/* A new process state with its first worker, ready to serve (lock held);
 * NULL when out of memory. */
static struct com_process *process_start(struct ntsec_process *process)
{
    struct com_process *p = ntsec__zalloc(sizeof(*p));
    bool created;

    if (!p)
        return NULL;
    p->process = process;
    pthread_cond_init(&p->wake, NULL);
    ntsec_object_get(process);
    created = worker_spawn(p);
    /* Wait for the worker to be a thread of the process (the lock is
     * released meanwhile; `p` is not listed yet). */
    while (created && !p->ready)
        pthread_cond_wait(&p->wake, &ntsec__com_lock);
    if (!created || p->ready < 0) {
        if (created)
            pthread_join(p->workers[0], NULL);
        ntsec_object_put(process);
        pthread_cond_destroy(&p->wake);
        ntsec__free(p);
        return NULL;
    }
    p->next = processes;
    processes = p;
    return p;
}

/* The last thread left: unlink, stop the workers after the queue, revoke
 * the exports and forget the settings. Called with the lock held; returns
 * with it released. No worker starts once `stopping` is set (calls to the
 * process are refused), so `threads` is final. */
static void process_end(struct com_process *p)
{
    struct com_process **pp = &processes;
    struct com_export *revoked;

    while (*pp != p)
        pp = &(*pp)->next;
    *pp = p->next;
    p->stopping = true;
    pthread_cond_broadcast(&p->wake);
    for (unsigned i = 0; i < p->threads; i++) {
        pthread_t w = p->workers[i];

        pthread_mutex_unlock(&ntsec__com_lock);
        pthread_join(w, NULL);
        pthread_mutex_lock(&ntsec__com_lock);
    }
    revoked = ntsec__com_exports_detach(p);
    pthread_mutex_unlock(&ntsec__com_lock);
    ntsec__com_exports_release(revoked);
    pthread_cond_destroy(&p->wake);
    ntsec_mem_free(p->access_sd);
    ntsec_object_put(p->process);
    ntsec__free(p);
}

ntsec_hresult ntsec_com_initialize(enum ntsec_com_model model)
{
    struct com_thread *t = &ntsec__com_thread;
    struct ntsec_process *process;
    struct com_process *p;
    struct com_sta *sta = NULL;

    if (model != NTSEC_COM_MTA && model != NTSEC_COM_STA)
        return NTSEC_E_INVALIDARG;
    if (t->count) {
        if (t->model != model)
            return NTSEC_RPC_E_CHANGED_MODE;
        t->count++;
        return NTSEC_S_FALSE;
    }
    process = ntsec_process_current();
    if (!process || (model == NTSEC_COM_STA && !(sta = ntsec__com_sta_open())))
        return NTSEC_E_OUTOFMEMORY;
    pthread_mutex_lock(&start_lock);
    pthread_mutex_lock(&ntsec__com_lock);
    p = process_find(process);
    if (!p)
        p = process_start(process);
    if (p)
        p->users++;
    if (sta)
        ntsec__com_sta_set_process(sta, p);
    if (sta && !p)
        ntsec__com_sta_close(sta);              /* nothing queued nor exported yet */
    pthread_mutex_unlock(&ntsec__com_lock);
    pthread_mutex_unlock(&start_lock);
    if (!p)
        return NTSEC_E_OUTOFMEMORY;
    *t = (struct com_thread){ model, 1, p, NULL, false, sta };
    return NTSEC_S_OK;
}

void ntsec_com_uninitialize(void)
{
    struct com_thread *t = &ntsec__com_thread;
    struct com_process *p = t->proc;
    struct com_sta *sta = t->sta;
    struct com_export *revoked = NULL;

    if (!t->count || --t->count)
        return;
    if (t->worker) {
        t->count = 1;
        return;
    }
    t->proc = NULL;
    t->sta = NULL;
    pthread_mutex_lock(&ntsec__com_lock);
    /* An STA ends with its thread's last CoUninitialize: its objects go. */
    if (sta)
        revoked = ntsec__com_sta_close(sta);
    if (--p->users)
        pthread_mutex_unlock(&ntsec__com_lock);
    else
        process_end(p);
    ntsec__com_exports_release(revoked);
}

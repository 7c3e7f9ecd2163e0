/* com_sta.c - single-threaded apartments: an object exported from an STA
 * thread belongs to that thread, and calls to it are queued to it and run
 * on it, one at a time and in order, only when the thread is ready to
 * receive them: while it waits in an outgoing COM call of its own (COM's
 * modal loop) and when it pumps (ntsec_com_pump, the emulation's message
 * loop: ntsec has no window messages).
 *
 * Sources (Microsoft docs): "Single-Threaded Apartments" (calls to an
 * object are made on its owning thread; each STA needs a message loop to
 * receive calls from other apartments and processes), "Call
 * Synchronization" (a synchronous caller waits in a modal loop that
 * dispatches incoming calls; an MTA does not receive calls on the thread
 * that makes one), "CoUninitialize" (forces the thread's RPC connections
 * to close), "CoWaitForMultipleHandles" (RPC_S_CALLPENDING when the
 * timeout elapses). */
#include <errno.h>
#include <time.h>

#include "alloc.h"
#include "deadline.h"
#include "com.h"
#include "ntsec/ntsec.h"

struct com_sta {
    unsigned refs;                      /* the thread's + one per waiting frame */
    bool closed;                        /* its thread left COM */
    struct com_process *proc;
    /* A call arrived, or a call one of the thread's frames waits for
     * finished; only the STA's own thread waits on it. */
    pthread_cond_t wake;
    struct com_job *head, *tail;
};

struct com_sta *ntsec__com_sta_open(void)
{
    struct com_sta *sta = ntsec__zalloc(sizeof(*sta));
    pthread_condattr_t attr;

    if (!sta)
        return NULL;
    sta->refs = 1;
    /* The pump's timeout is a duration: measure it on the monotonic clock. */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&sta->wake, &attr);
    pthread_condattr_destroy(&attr);
    return sta;
}

void ntsec__com_sta_set_process(struct com_sta *sta, struct com_process *p)
{
    sta->proc = p;
}

/* Drop a reference (lock held). */
static void sta_put(struct com_sta *sta)
{
    if (--sta->refs)
        return;
    pthread_cond_destroy(&sta->wake);
    ntsec__free(sta);
}

ntsec_hresult ntsec__com_sta_enqueue(struct com_sta *sta, struct com_job *job)
{
    if (sta->closed)
        return NTSEC_RPC_E_DISCONNECTED;
    job->next = NULL;
    if (sta->tail)
        sta->tail->next = job;
    else
        sta->head = job;
    sta->tail = job;
    pthread_cond_signal(&sta->wake);
    return NTSEC_S_OK;
}

static struct com_job *sta_pop(struct com_sta *sta)
{
    struct com_job *job = sta->head;

    if (!job || sta->closed)
        return NULL;
    sta->head = job->next;
    if (!sta->head)
        sta->tail = NULL;
    return job;
}

unsigned ntsec__com_sta_queued(struct com_sta *sta)
{
    unsigned n = 0;

    pthread_mutex_lock(&ntsec__com_lock);
    for (const struct com_job *job = sta->head; job; job = job->next)
        n++;
    pthread_mutex_unlock(&ntsec__com_lock);
    return n;
}

struct com_export *ntsec__com_sta_close(struct com_sta *sta)
{
    struct com_job *job;
    struct com_export *revoked;

    /* "CoUninitialize": the thread's connections close; calls still
     * queued to it will never be served. */
    while ((job = sta_pop(sta)))
        ntsec__com_job_finish(job, NTSEC_RPC_E_DISCONNECTED);
    sta->closed = true;
    revoked = ntsec__com_exports_detach_sta(sta);
    sta_put(sta);
    return revoked;
}

/* Serve one call on this thread (lock held, released meanwhile). */
static void serve(struct com_sta *sta, struct com_job *job)
{
    pthread_mutex_unlock(&ntsec__com_lock);
    ntsec__com_serve(sta->proc, job);
    pthread_mutex_lock(&ntsec__com_lock);
    ntsec__com_job_finish(job, job->hr);
}

void ntsec__com_job_init(struct com_job *job)
{
    struct com_sta *sta = ntsec__com_thread.sta;

    pthread_cond_init(&job->finished, NULL);
    job->notify = sta ? &sta->wake : &job->finished;
}

void ntsec__com_wait(struct com_job *job)
{
    struct com_sta *sta = ntsec__com_thread.sta;

    if (!sta) {
        while (!job->done)
            pthread_cond_wait(&job->finished, &ntsec__com_lock);
        return;
    }
    /* "Call Synchronization": the caller's modal loop dispatches incoming
     * calls while it waits, so a callback A(STA)->B->A completes. */
    sta->refs++;
    while (!job->done) {
        struct com_job *in = sta_pop(sta);

        if (in)
            serve(sta, in);
        else
            pthread_cond_wait(&sta->wake, &ntsec__com_lock);
    }
    sta_put(sta);
}

ntsec_hresult ntsec_com_pump(uint32_t timeout_ms)
{
    struct com_thread *t = &ntsec__com_thread;
    struct com_sta *sta = t->sta;
    const struct timespec deadline = ntsec__deadline_after(timeout_ms == NTSEC_COM_INFINITE ? 0
                                                                                    : timeout_ms);
    unsigned served = 0;

    if (!t->proc)
        return NTSEC_CO_E_NOTINITIALIZED;
    if (!sta)
        return NTSEC_CO_E_NOT_SUPPORTED;        /* the MTA's calls are the workers' */
    pthread_mutex_lock(&ntsec__com_lock);
    sta->refs++;
    for (;;) {
        struct com_job *in = sta_pop(sta);

        if (in) {
            serve(sta, in);
            served++;
            continue;
        }
        /* Until none is left; wait only for the first. */
        if (served || sta->closed || timeout_ms == 0)
            break;
        if (timeout_ms == NTSEC_COM_INFINITE)
            pthread_cond_wait(&sta->wake, &ntsec__com_lock);
        else if (pthread_cond_timedwait(&sta->wake, &ntsec__com_lock, &deadline) == ETIMEDOUT &&
                 !sta->head)
            break;
    }
    sta_put(sta);
    pthread_mutex_unlock(&ntsec__com_lock);
    return served ? NTSEC_S_OK : NTSEC_RPC_S_CALLPENDING;
}

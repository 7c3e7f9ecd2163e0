/* thread.c - emulated threads: the calling pthread's thread object
 * (created on first use, released when the pthread exits), binding a
 * pthread to an emulated process, and the impersonation state that the
 * impersonation layer drives and any thread may read. */
#include <pthread.h>

#include "alloc.h"
#include "hazard.h"
#include "object_sd.h"
#include "process.h"
#include "thread.h"
#include "token.h"

/* The calling pthread's thread object. The pthread owns one reference,
 * held in both the thread-local pointer (read on every call) and the
 * pthread key, whose destructor drops it when the pthread exits: the
 * object then lives on only as long as handles to it do, as a Windows
 * thread object outlives its thread (DESIGN.md, "Lifetimes"). */
static _Thread_local struct ntsec_thread *current;
static pthread_key_t current_key;
static pthread_once_t current_key_once = PTHREAD_ONCE_INIT;
static int current_key_error;

static void thread_exit(void *arg)
{
    struct ntsec_thread *t = arg;

    current = NULL;
    ntsec__object_put(&t->obj);
}

static void make_key(void)
{
    current_key_error = pthread_key_create(&current_key, thread_exit);
}

static void thread_destroy(struct ntsec__object *obj)
{
    struct ntsec_thread *t = (struct ntsec_thread *)obj;

    ntsec__cid_remove(&t->cid);
    if (atomic_load_explicit(&t->imp, memory_order_relaxed))
        ntsec__token_put(ntsec__imp_word_token(atomic_load_explicit(&t->imp,
                                                                    memory_order_relaxed)));
    ntsec__object_put(&t->process->obj);
    ntsec__object_security_destroy(&t->sec);
    ntsec__free(t);
}

/* A thread of `process`. Its object's descriptor comes from the creator's
 * token ("Thread Security and Access Rights", Microsoft docs): a pthread
 * is its own creator here and runs as its process, so that is the
 * process' primary token, whose integrity level also labels it. */
static ntsec_status thread_make(struct ntsec_process *process, struct ntsec_thread **out)
{
    struct ntsec_thread *t = ntsec__zalloc(sizeof(*t));
    ntsec_status st;

    if (!t)
        return NTSEC_STATUS_NO_MEMORY;
    st = ntsec__object_security_init(&t->sec, process->token, process->token,
                                     NTSEC_OBJECT_THREAD);
    if (!ntsec_success(st)) {
        ntsec__free(t);
        return st;
    }
    atomic_init(&t->imp, NULL);
    ntsec__object_get(&process->obj);
    t->process = process;
    t->tid = ntsec__cid_allocate();
    ntsec__object_init(&t->obj, NTSEC_OBJECT_THREAD, thread_destroy);
    ntsec__cid_insert(&t->cid, t->tid, &t->obj);
    *out = t;
    return NTSEC_STATUS_SUCCESS;
}

/* Make the calling pthread a new thread of `process`; the thread object
 * it was before (if any) loses the pthread's reference. */
static ntsec_status attach(struct ntsec_process *process)
{
    struct ntsec_thread *t, *old = current;
    ntsec_status st;

    pthread_once(&current_key_once, make_key);
    if (current_key_error)
        return NTSEC_STATUS_NO_MEMORY;
    st = thread_make(process, &t);
    if (!ntsec_success(st))
        return st;
    if (pthread_setspecific(current_key, t) != 0) {
        ntsec__object_put(&t->obj);
        return NTSEC_STATUS_NO_MEMORY;
    }
    current = t;
    if (old)
        ntsec__object_put(&old->obj);
    return NTSEC_STATUS_SUCCESS;
}

struct ntsec_thread *ntsec_thread_current(void)
{
    struct ntsec_process *one;

    if (current)
        return current;
    one = ntsec__process_one();
    if (!one || !ntsec_success(attach(one)))
        return NULL;
    return current;
}

/* A Windows thread never changes process; a pthread bound again becomes a
 * new emulated thread (new id, no impersonation) and the old thread object
 * ends as if its thread had exited: handles to it stay valid. */
ntsec_status ntsec_thread_bind(struct ntsec_process *process)
{
    if (!process)
        return NTSEC_STATUS_INVALID_PARAMETER;
    return attach(process);
}

uint32_t ntsec_thread_id(const struct ntsec_thread *thread)
{
    return thread ? thread->tid : 0;
}

struct ntsec_process *ntsec_thread_process(const struct ntsec_thread *thread)
{
    return thread ? thread->process : NULL;
}

/* --- impersonation state -------------------------------------------------- */

void ntsec__thread_swap_impersonation(struct ntsec_thread *thread, void *word)
{
    /* acq_rel: release publishes the new token to readers (hazard.h's
     * contract); acquire orders our put after whoever published the old. */
    void *old = atomic_exchange_explicit(&thread->imp, word, memory_order_acq_rel);

    if (old)
        ntsec__token_put(ntsec__imp_word_token(old));
}

void ntsec__thread_set_impersonation(struct ntsec_thread *thread, struct ntsec_token *token,
                                     enum ntsec_impersonation_level level, bool copy_on_open,
                                     bool effective_only)
{
    ntsec__token_get(token);
    ntsec__thread_swap_impersonation(thread,
                                     ntsec__imp_word(token, level, copy_on_open, effective_only));
}

void ntsec__thread_clear_impersonation(struct ntsec_thread *thread)
{
    /* The common case, not impersonating, costs a load, not an exchange. */
    if (atomic_load_explicit(&thread->imp, memory_order_relaxed))
        ntsec__thread_swap_impersonation(thread, NULL);
}

static bool token_try_get(void *token)
{
    return ntsec__object_try_get(&((struct ntsec_token *)token)->obj);
}

void ntsec__thread_impersonation_state(struct ntsec_thread *thread,
                                       struct ntsec__impersonation *out)
{
    struct ntsec_token *token;
    void *seen;

    /* Even for the calling thread: another thread may replace its word
     * and put the token meanwhile (NtSetInformationThread).
     *
     * A failed try_get (a word was seen, its token was dying) does not
     * mean "not impersonating": the thread holds a reference for as long
     * as its word names the token, so the count reached zero only after
     * the word moved on - possibly to another token, never reverting
     * (each refused PsImpersonateClient swaps in a fresh copy and frees
     * the old). Reporting none would let SeCreateClientSecurity capture
     * the primary token of a client that impersonates (tests/
     * test_impersonate_stress.c saw it). Read the newer word instead;
     * each retry follows a change the writer made (lock-free). */
    do
        token = ntsec__hazard_acquire_tagged(&thread->imp, NTSEC__IMP_TAG_MASK, token_try_get,
                                             &seen);
    while (!token && seen);
    /* The reference taken is on the token the protected word names. */
    *out = ntsec__imp_word_state(seen);
}

/* PsReferenceImpersonationToken. While PsDisableImpersonation is in
 * effect the token sits in the caller's SE_IMPERSONATION_STATE, not in
 * the thread, so there is none to return (impersonate.c). */
struct ntsec_token *ntsec_thread_impersonation(struct ntsec_thread *thread,
                                               enum ntsec_impersonation_level *level,
                                               bool *copy_on_open, bool *effective_only)
{
    struct ntsec__impersonation imp;

    if (!thread)
        return NULL;
    ntsec__thread_impersonation_state(thread, &imp);
    if (!imp.token)
        return NULL;
    if (level)
        *level = imp.level;
    if (copy_on_open)
        *copy_on_open = imp.copy_on_open;
    if (effective_only)
        *effective_only = imp.effective_only;
    return imp.token;
}

/* PsReferenceEffectiveToken's rule: the impersonation token when the
 * thread impersonates, else its process' primary token. */
struct ntsec_token *ntsec_thread_effective_token(void)
{
    struct ntsec_thread *t = ntsec_thread_current();
    struct ntsec_token *token;

    if (!t)
        return NULL;
    token = ntsec_thread_impersonation(t, NULL, NULL, NULL);
    return token ? token : ntsec_process_token(t->process);
}

/* test_thread_stress.c - emulated threads under concurrency: pthreads that
 * come and go while handles to their thread objects outlive them, and
 * readers of another thread's impersonation state while its owner
 * impersonates and reverts. Bounded (well under 2 s); `make check-tsan`
 * runs it under ThreadSanitizer. */
#include <pthread.h>

#include "process.h"
#include "procfix.h"
#include "testutil.h"
#include "thread.h"

#define WORKERS 8
#define ROUNDS 40

struct worker {
    struct ntsec_process *process;
    ntsec_handle handle;            /* a handle to the worker's own thread object */
    uint32_t tid;
    ntsec_status status;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct ntsec_thread *me;

    w->status = ntsec_thread_bind(w->process);
    if (!ntsec_success(w->status))
        return NULL;
    me = ntsec_thread_current();
    w->tid = ntsec_thread_id(me);
    /* DuplicateHandle(GetCurrentThread()) - a real handle that outlives
     * the thread. */
    w->status = ntsec_handle_duplicate(w->process, NTSEC_CURRENT_THREAD, w->process, 0, 0,
                                       NTSEC_DUPLICATE_SAME_ACCESS, &w->handle);
    return NULL;
}

/* DESIGN.md "Lifetimes": an emulated thread's object loses the pthread's
 * reference when it exits, but a handle to it stays valid until closed,
 * as a Windows thread object outlives its thread. */
static void thread_objects_outlive_their_pthreads(void)
{
    struct pf_sandbox s;
    struct worker w[WORKERS];
    pthread_t th[WORKERS];

    pf_enter(&s, 1001, NTSEC_MANDATORY_MEDIUM);
    long base = ntsec_object_live();
    for (int round = 0; round < ROUNDS / 8; round++) {
        for (int i = 0; i < WORKERS; i++) {
            w[i] = (struct worker){ .process = s.process };
            CU_ASSERT_FATAL(pthread_create(&th[i], NULL, worker_main, &w[i]) == 0);
        }
        for (int i = 0; i < WORKERS; i++)
            pthread_join(th[i], NULL);
        /* The threads are gone; their objects live on in the handles. */
        CU_ASSERT_EQUAL(ntsec_object_live(), base + WORKERS);
        CU_ASSERT_EQUAL(ntsec_handle_count(s.process), WORKERS);
        for (int i = 0; i < WORKERS; i++) {
            void *o;

            CU_ASSERT_EQUAL_FATAL(w[i].status, NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL_FATAL(ntsec_handle_reference(w[i].handle, NTSEC_OBJECT_THREAD, 0, &o,
                                                         NULL), NTSEC_STATUS_SUCCESS);
            CU_ASSERT_EQUAL(ntsec_thread_id(o), w[i].tid);
            CU_ASSERT_PTR_EQUAL(ntsec_thread_process(o), s.process);
            ntsec_object_put(o);
            CU_ASSERT_EQUAL(ntsec_handle_close(w[i].handle), NTSEC_STATUS_SUCCESS);
        }
        CU_ASSERT_EQUAL(ntsec_object_live(), base);
    }
    pf_leave(&s);
}

struct imp_shared {
    struct ntsec_thread *target;
    struct ntsec_token *client;
    atomic_bool stop;
    atomic_int seen;
};

static void *impersonator(void *arg)
{
    struct imp_shared *sh = arg;

    for (int i = 0; i < 2000; i++) {
        ntsec__thread_set_impersonation(sh->target, sh->client, NTSEC_SECURITY_IMPERSONATION,
                                        false, i & 1);
        ntsec__thread_clear_impersonation(sh->target);
    }
    atomic_store(&sh->stop, true);
    return NULL;
}

static void *reader(void *arg)
{
    struct imp_shared *sh = arg;

    while (!atomic_load(&sh->stop)) {
        enum ntsec_impersonation_level level;
        struct ntsec_token *t = ntsec_thread_impersonation(sh->target, &level, NULL, NULL);

        if (t) {
            if (t == sh->client && level == NTSEC_SECURITY_IMPERSONATION)
                atomic_fetch_add(&sh->seen, 1);
            ntsec_token_put(t);
        }
    }
    return NULL;
}

/* PsReferenceImpersonationToken from other threads (NtOpenThreadToken,
 * SeCreateClientSecurity on a client thread) while the owner impersonates
 * and reverts: each reader sees either no token or the whole state, and
 * every reference is balanced (DESIGN.md, "The hot path"). */
static void impersonation_state_is_safe_to_read_from_other_threads(void)
{
    struct imp_shared sh = { .target = ntsec_thread_current() };
    pthread_t w, r[3];
    long live = ntsec_object_live();

    sh.client = pf_make_token(2002, NTSEC_MANDATORY_MEDIUM, NTSEC_TOKEN_IMPERSONATION,
                              NTSEC_SECURITY_IMPERSONATION);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_FATAL(pthread_create(&r[i], NULL, reader, &sh) == 0);
    CU_ASSERT_FATAL(pthread_create(&w, NULL, impersonator, &sh) == 0);
    pthread_join(w, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(r[i], NULL);
    CU_ASSERT_PTR_NULL(ntsec_thread_impersonation(sh.target, NULL, NULL, NULL));
    ntsec_token_put(sh.client);
    CU_ASSERT_EQUAL(ntsec_object_live(), live);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(thread_objects_outlive_their_pthreads),
        TEST(impersonation_state_is_safe_to_read_from_other_threads),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("thread_stress", tests);
}

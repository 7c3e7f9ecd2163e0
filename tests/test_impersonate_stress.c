/* test_impersonate_stress.c - thread impersonation under concurrency:
 * owner threads impersonate and revert in a loop (PsImpersonateClient,
 * SeImpersonateClientEx, PsDisableImpersonation/PsRestoreImpersonation,
 * PsRevertToSelf) while other threads read their token
 * (PsReferenceImpersonationToken), capture them (SeCreateClientSecurity)
 * and make them impersonate (PsImpersonateClient on another thread).
 *
 * DESIGN.md "The hot path": the owner's path takes no lock, other threads
 * read its state safely meanwhile, and every rule still holds for every
 * state a reader can see: a server without SeImpersonatePrivilege only
 * ever holds an Identification-level copy of another user's token ([IMP],
 * [FW] in ddi-notes.md §3), and such a client is never captured
 * ([CCS]: STATUS_BAD_IMPERSONATION_LEVEL). Bounded in time (about a second
 * plain, stopped early under valgrind); `make check-tsan` runs it under
 * ThreadSanitizer. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "hazard.h"
#include "impfix.h"
#include "testutil.h"

#define OWNERS 2
#define READERS 2
#define ROUNDS 500000
#define MAX_NS 700000000LL              /* per test: stop early when slow (valgrind) */
#define WRITER_RID 1003u                /* the cross-thread writer's token */

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct owner {
    struct ntsec_process *process;      /* user 1001, with or without the privilege */
    bool privileged;
    _Atomic(struct ntsec_thread *) thread;      /* its thread, referenced by the test */
    long rounds;
};

struct stress {
    struct owner owner[OWNERS];
    struct ntsec_token *client;         /* user 1002, Delegation */
    struct ntsec_token *writer_token;   /* user 1003, Delegation */
    struct ntsec_client_context ctx;    /* a static capture of a client impersonating `client` */
    atomic_int bound;                   /* owners whose thread is published */
    atomic_int started;                 /* readers and writer past their first round */
    atomic_bool stop;
    atomic_long violations;             /* a rule broken in some observed state */
    atomic_long reads, reads_token, reads_none;
    atomic_long captures, captured, refused;
    atomic_long writes;
};

static void violation(struct stress *s)
{
    atomic_fetch_add(&s->violations, 1);
}

/* The one rule for every token a thread of `o` may hold: the token is
 * valid (its user can be queried) and is the client's or the writer's;
 * a privileged owner holds it itself at the level it was given, an
 * unprivileged one holds an Identification-level copy. `mine` is the
 * client token the owner itself last asked for (NULL: any). */
static bool acceptable(const struct stress *s, const struct owner *o, struct ntsec_token *tok,
                       enum ntsec_impersonation_level level, const struct ntsec_token *mine)
{
    uint32_t rid = imf_user_rid(tok);
    bool writer = rid == WRITER_RID;

    if (rid != IMF_CLIENT_RID && !writer)
        return false;
    if (!o->privileged)
        return level == NTSEC_SECURITY_IDENTIFICATION &&
               ntsec_token_level(tok) == NTSEC_SECURITY_IDENTIFICATION &&
               tok != s->client && tok != s->writer_token && tok != s->ctx.client_token;
    if (writer)
        return tok == s->writer_token && level == NTSEC_SECURITY_DELEGATION;
    if (level != NTSEC_SECURITY_IMPERSONATION)
        return false;
    return mine ? tok == mine : tok == s->client || tok == s->ctx.client_token;
}

/* After its own impersonation the owner impersonates something: its own
 * choice, or the writer's if the writer came in between. */
static void check_own(struct stress *s, struct owner *o, struct ntsec_thread *me,
                      const struct ntsec_token *mine)
{
    enum ntsec_impersonation_level level;
    struct ntsec_token *tok = ntsec_thread_impersonation(me, &level, NULL, NULL);

    if (!tok) {
        violation(s);
        return;
    }
    if (!acceptable(s, o, tok, level, imf_user_rid(tok) == WRITER_RID ? NULL : mine))
        violation(s);
    ntsec_token_put(tok);
}

struct owner_arg {
    struct stress *s;
    struct owner *o;
};

static void *owner_loop(void *arg)
{
    struct owner_arg *a = arg;
    struct stress *s = a->s;
    struct owner *o = a->o;
    struct ntsec_thread *me;
    struct ntsec_impersonation_state saved;
    long long deadline;
    long i;

    if (!ntsec_success(ntsec_thread_bind(o->process))) {
        violation(s);
        atomic_fetch_add(&s->bound, 1);
        return NULL;
    }
    me = ntsec_thread_current();
    ntsec_object_get(me);               /* readers use it after this pthread ends */
    atomic_store(&o->thread, me);
    atomic_fetch_add(&s->bound, 1);
    /* Impersonating before the others run would test nothing. */
    while (atomic_load(&s->started) < READERS + 1)
        sched_yield();
    deadline = now_ns() + MAX_NS;
    for (i = 0; i < ROUNDS; i++) {
        switch (i % 3) {
        case 0:         /* PsImpersonateClient + PsRevertToSelf */
            if (ntsec_thread_impersonate(me, s->client, false, false,
                                         NTSEC_SECURITY_IMPERSONATION) != NTSEC_STATUS_SUCCESS)
                violation(s);
            check_own(s, o, me, s->client);
            break;
        case 1:         /* SeImpersonateClientEx on the prepared context */
            if (ntsec_client_context_impersonate(&s->ctx, NULL) != NTSEC_STATUS_SUCCESS)
                violation(s);
            check_own(s, o, me, s->ctx.client_token);
            break;
        default:        /* and PsDisableImpersonation / PsRestoreImpersonation */
            if (ntsec_thread_impersonate(me, s->client, true, true,
                                         NTSEC_SECURITY_IMPERSONATION) != NTSEC_STATUS_SUCCESS)
                violation(s);
            ntsec_thread_disable_impersonation(me, &saved);
            ntsec_thread_restore_impersonation(me, &saved);
            check_own(s, o, me, s->client);
            break;
        }
        ntsec_thread_revert(me);
        if ((i & 255) == 0 && now_ns() > deadline)
            break;
    }
    o->rounds = i;
    return NULL;
}

/* A reader of every owner: PsReferenceImpersonationToken and
 * SeCreateClientSecurity on the owner's thread. */
static void *reader_main(void *arg)
{
    struct stress *s = arg;
    unsigned n = 0;

    while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
        struct owner *o = &s->owner[n++ % OWNERS];
        struct ntsec_thread *th = atomic_load(&o->thread);
        enum ntsec_impersonation_level level;
        struct ntsec_token *tok;
        struct ntsec_client_context ctx;
        struct ntsec_sqos q = { sizeof(q), NTSEC_SECURITY_IMPERSONATION,
                                (uint8_t)(n & 1), false };
        ntsec_status st;

        atomic_fetch_add_explicit(&s->reads, 1, memory_order_relaxed);
        tok = ntsec_thread_impersonation(th, &level, NULL, NULL);
        if (tok) {
            atomic_fetch_add_explicit(&s->reads_token, 1, memory_order_relaxed);
            if (!acceptable(s, o, tok, level, NULL))
                violation(s);
            ntsec_token_put(tok);
        } else {
            atomic_fetch_add_explicit(&s->reads_none, 1, memory_order_relaxed);
        }

        atomic_fetch_add_explicit(&s->captures, 1, memory_order_relaxed);
        st = ntsec_client_context_create(th, &q, false, &ctx);
        if (st == NTSEC_STATUS_SUCCESS) {
            uint32_t rid = imf_user_rid(ctx.client_token);

            atomic_fetch_add_explicit(&s->captured, 1, memory_order_relaxed);
            /* An unprivileged owner is captured only on its own token. */
            if (o->privileged ? rid != IMF_SERVER_RID && rid != IMF_CLIENT_RID &&
                                    rid != WRITER_RID
                              : rid != IMF_SERVER_RID)
                violation(s);
            ntsec_client_context_delete(&ctx);
        } else if (st == NTSEC_STATUS_BAD_IMPERSONATION_LEVEL && !o->privileged) {
            atomic_fetch_add_explicit(&s->refused, 1, memory_order_relaxed);
        } else {
            violation(s);
        }
        if (n == 1)
            atomic_fetch_add(&s->started, 1);
        if (n % 64 == 0)
            sched_yield();      /* lets valgrind's scheduler run the others */
    }
    return NULL;
}

/* PsImpersonateClient on another thread (NtSetInformationThread,
 * NtImpersonateThread), now and then. */
static void *writer_main(void *arg)
{
    struct stress *s = arg;
    unsigned n = 0;

    while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
        struct owner *o = &s->owner[n++ % OWNERS];

        if (ntsec_thread_impersonate(atomic_load(&o->thread), s->writer_token, false, false,
                                     NTSEC_SECURITY_DELEGATION) != NTSEC_STATUS_SUCCESS)
            violation(s);
        atomic_fetch_add_explicit(&s->writes, 1, memory_order_relaxed);
        if (n == 1)
            atomic_fetch_add(&s->started, 1);
        /* Some microseconds between writes: the owners get whole rounds
         * in, yet each is often overwritten midway. A sleep, not a spin:
         * under valgrind a spinning thread starves the others. */
        nanosleep(&(struct timespec){ 0, 20000 }, NULL);
    }
    return NULL;
}

/* A static context of a client thread impersonating s->client (a copy at
 * Impersonation, user 1002), for the owners' SeImpersonateClientEx. */
static void prepare_context(struct stress *s)
{
    struct ntsec_thread *c = imf_thread_of(&(struct imf_spec){ .rid = IMF_CLIENT_RID,
                                                               .impersonate = IMF_PRIV_ENABLED },
                                           NULL);
    struct ntsec_sqos q = { sizeof(q), NTSEC_SECURITY_IMPERSONATION,
                            NTSEC_SECURITY_STATIC_TRACKING, false };

    CU_ASSERT_FATAL(ntsec_thread_impersonate(c, s->client, false, false,
                                             NTSEC_SECURITY_DELEGATION) == NTSEC_STATUS_SUCCESS);
    CU_ASSERT_FATAL(ntsec_client_context_create(c, &q, false, &s->ctx) == NTSEC_STATUS_SUCCESS);
    imf_thread_put(c);
}

/* DESIGN.md "The hot path" (lock-free impersonate/revert, safe cross-thread
 * reads), with [IMP]/[FW] and [CCS] checked in every state observed */
static void owners_impersonate_while_others_read_capture_and_write(void)
{
    struct stress *s = calloc(1, sizeof(*s));
    struct owner_arg args[OWNERS];
    pthread_t owners[OWNERS], readers[READERS], writer;
    long objects = ntsec_object_live();

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    s->client = imf_client_token(NTSEC_SECURITY_DELEGATION);
    s->writer_token = imf_token(&(struct imf_spec){ .rid = WRITER_RID,
                                                    .type = NTSEC_TOKEN_IMPERSONATION,
                                                    .level = NTSEC_SECURITY_DELEGATION });
    prepare_context(s);
    for (int i = 0; i < OWNERS; i++) {
        s->owner[i].privileged = i == 0;
        s->owner[i].process = imf_process(&(struct imf_spec){
            .impersonate = i == 0 ? IMF_PRIV_ENABLED : IMF_NO_PRIV });
        args[i] = (struct owner_arg){ s, &s->owner[i] };
        CU_ASSERT_FATAL(pthread_create(&owners[i], NULL, owner_loop, &args[i]) == 0);
    }
    while (atomic_load(&s->bound) < OWNERS)
        sched_yield();
    for (int i = 0; i < OWNERS; i++)
        CU_ASSERT_PTR_NOT_NULL_FATAL(atomic_load(&s->owner[i].thread));
    for (int i = 0; i < READERS; i++)
        CU_ASSERT_FATAL(pthread_create(&readers[i], NULL, reader_main, s) == 0);
    CU_ASSERT_FATAL(pthread_create(&writer, NULL, writer_main, s) == 0);
    for (int i = 0; i < OWNERS; i++)
        pthread_join(owners[i], NULL);
    atomic_store(&s->stop, true);
    for (int i = 0; i < READERS; i++)
        pthread_join(readers[i], NULL);
    pthread_join(writer, NULL);

    CU_ASSERT_EQUAL(atomic_load(&s->violations), 0);
    for (int i = 0; i < OWNERS; i++) {
        CU_ASSERT(s->owner[i].rounds > 0);
        /* The writer's last impersonation outlives the owner's pthread
         * in its thread object; it ends with the object. */
        imf_thread_put(atomic_load(&s->owner[i].thread));
        ntsec_object_put(s->owner[i].process);
    }
    CU_ASSERT(atomic_load(&s->reads) > 0);
    CU_ASSERT_EQUAL(atomic_load(&s->reads), atomic_load(&s->reads_token) +
                                                atomic_load(&s->reads_none));
    CU_ASSERT_EQUAL(atomic_load(&s->captures), atomic_load(&s->captured) +
                                                   atomic_load(&s->refused));
    CU_ASSERT(atomic_load(&s->writes) > 0);
    ntsec_client_context_delete(&s->ctx);
    ntsec_token_put(s->client);
    ntsec_token_put(s->writer_token);
    /* A free a reader's hazard held back is made at the next free or at
     * that reader's exit; make sure before counting. */
    ntsec__hazard_drain();
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
    free(s);
}

/* --- a thread that never stops impersonating ------------------------------ */

struct gapless {
    struct ntsec_process *process;      /* user 1001, no SeImpersonatePrivilege */
    struct ntsec_token *client;         /* user 1002: each impersonation is a new copy */
    _Atomic(struct ntsec_thread *) thread;
    atomic_bool started, stop;
    atomic_int readers_ready, readers_done;
    atomic_long rounds, reads, gaps, wrong, captured;
};

static void *gapless_owner(void *arg)
{
    struct gapless *g = arg;
    struct ntsec_thread *me;
    long long deadline;
    long i;

    if (!ntsec_success(ntsec_thread_bind(g->process))) {
        atomic_store(&g->stop, true);
        return NULL;
    }
    me = ntsec_thread_current();
    ntsec_object_get(me);
    atomic_store(&g->thread, me);
    ntsec_thread_impersonate(me, g->client, false, false, NTSEC_SECURITY_IMPERSONATION);
    atomic_store(&g->started, true);
    while (atomic_load(&g->readers_ready) < READERS)
        sched_yield();
    deadline = now_ns() + MAX_NS;
    /* Each call replaces the thread's copy by a new one and frees the old
     * (the thread held its only reference): readers race with that free. */
    for (i = 0; i < ROUNDS; i++) {
        ntsec_thread_impersonate(me, g->client, false, false, NTSEC_SECURITY_IMPERSONATION);
        if ((i & 255) == 0 && now_ns() > deadline)
            break;
    }
    atomic_store(&g->rounds, i);
    atomic_store(&g->stop, true);
    while (atomic_load(&g->readers_done) < READERS)
        sched_yield();
    ntsec_thread_revert(me);
    return NULL;
}

static void *gapless_reader(void *arg)
{
    struct gapless *g = arg;
    struct ntsec_sqos q = { sizeof(q), NTSEC_SECURITY_IMPERSONATION,
                            NTSEC_SECURITY_DYNAMIC_TRACKING, false };
    bool first = true;

    while (!atomic_load(&g->started) && !atomic_load(&g->stop))
        sched_yield();
    while (!atomic_load_explicit(&g->stop, memory_order_relaxed)) {
        struct ntsec_thread *th = atomic_load(&g->thread);
        enum ntsec_impersonation_level level;
        struct ntsec_token *tok = ntsec_thread_impersonation(th, &level, NULL, NULL);
        struct ntsec_client_context ctx;

        atomic_fetch_add_explicit(&g->reads, 1, memory_order_relaxed);
        if (!tok) {
            atomic_fetch_add(&g->gaps, 1);
        } else {
            if (level != NTSEC_SECURITY_IDENTIFICATION || imf_user_rid(tok) != IMF_CLIENT_RID)
                atomic_fetch_add(&g->wrong, 1);
            ntsec_token_put(tok);
        }
        if (ntsec_client_context_create(th, &q, false, &ctx) == NTSEC_STATUS_SUCCESS) {
            atomic_fetch_add(&g->captured, 1);
            ntsec_client_context_delete(&ctx);
        }
        if (first) {
            first = false;
            atomic_fetch_add(&g->readers_ready, 1);
        }
        if (atomic_load_explicit(&g->reads, memory_order_relaxed) % 64 == 0)
            sched_yield();
    }
    atomic_fetch_add(&g->readers_done, 1);
    return NULL;
}

/* [PRIT]: PsReferenceImpersonationToken returns the token of a thread that
 * impersonates; a thread that replaces its token without ever reverting
 * is seen impersonating by every reader, and at Identification it is never
 * captured ([CCS]: STATUS_BAD_IMPERSONATION_LEVEL), even while the copy a
 * reader found is being freed (DESIGN.md, "The hot path") */
static void thread_that_never_reverts_is_never_seen_without_a_token(void)
{
    struct gapless *g = calloc(1, sizeof(*g));
    pthread_t owner, readers[READERS];
    long objects = ntsec_object_live();

    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    g->process = imf_process(&(struct imf_spec){ .impersonate = IMF_NO_PRIV });
    g->client = imf_client_token(NTSEC_SECURITY_IMPERSONATION);
    CU_ASSERT_FATAL(pthread_create(&owner, NULL, gapless_owner, g) == 0);
    for (int i = 0; i < READERS; i++)
        CU_ASSERT_FATAL(pthread_create(&readers[i], NULL, gapless_reader, g) == 0);
    pthread_join(owner, NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(readers[i], NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(atomic_load(&g->thread));
    CU_ASSERT(atomic_load(&g->rounds) > 0);
    CU_ASSERT(atomic_load(&g->reads) > 0);
    CU_ASSERT_EQUAL(atomic_load(&g->gaps), 0);
    CU_ASSERT_EQUAL(atomic_load(&g->wrong), 0);
    CU_ASSERT_EQUAL(atomic_load(&g->captured), 0);
    imf_thread_put(atomic_load(&g->thread));
    ntsec_object_put(g->process);
    ntsec_token_put(g->client);
    ntsec__hazard_drain();
    CU_ASSERT_EQUAL(ntsec_object_live(), objects);
    free(g);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(owners_impersonate_while_others_read_capture_and_write),
        TEST(thread_that_never_reverts_is_never_seen_without_a_token),
        CU_TEST_INFO_NULL,
    };
    testutil_add_suite("impersonate_stress", tests);
}

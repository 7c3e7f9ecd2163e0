/* test_token_concurrency.c - the token seqlock under contention: one
 * writer changes group attributes, privileges and the integrity level
 * through ntsec__token_write_begin/end while readers, lock-free, must
 * never see a torn state; and the LUID allocator stays unique across
 * threads. Bounded iterations, well under two seconds. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "testutil.h"
#include "tokfix.h"

enum { READERS = 3, WRITES = 50000, LUIDS_PER_THREAD = 20000, LUID_THREADS = 4 };

struct shared {
    struct ntsec_token *t;
    atomic_bool done;
    atomic_long torn;
    atomic_long reads;
    atomic_int started;         /* readers running: the writer waits for them */
    int readers;
};

#define BIT(p) (1ull << (p))

/* A pause between two loads or two stores widens the window in which a
 * reader and the writer overlap, so a missing retry shows up as a torn
 * read within the bounded run (dropping the retry from the reader fails
 * this test in most runs on a two-core machine). */
static void pause_a_little(void)
{
    for (volatile int i = 0; i < 200; i++)
        ;
}

/* The writer keeps one invariant at every publication: in state 0 the
 * Users group and SeShutdownPrivilege are enabled, Administrators is
 * disabled and the level is Medium; in state 1 the reverse and High. A
 * reader that mixes the two states has seen a torn write. */
static void *writer(void *arg)
{
    struct shared *s = arg;
    struct ntsec_token *t = s->t;

    while (atomic_load(&s->started) < s->readers)
        sched_yield();
    for (int i = 0; i < WRITES; i++) {
        bool one = i & 1;

        ntsec__token_write_begin(t);
        atomic_store_explicit(&t->sids[1 + TF_USERS].attributes,
                              one ? NTSEC_SE_GROUP_MANDATORY : TF_MANDATORY, memory_order_relaxed);
        pause_a_little();
        atomic_store_explicit(&t->sids[1 + TF_ADMINS].attributes,
                              one ? TF_ENABLED | NTSEC_SE_GROUP_OWNER : NTSEC_SE_GROUP_OWNER,
                              memory_order_relaxed);
        if (one)
            atomic_fetch_and_explicit(&t->priv_enabled, ~BIT(NTSEC_SE_SHUTDOWN_PRIVILEGE),
                                      memory_order_relaxed);
        else
            atomic_fetch_or_explicit(&t->priv_enabled, BIT(NTSEC_SE_SHUTDOWN_PRIVILEGE),
                                     memory_order_relaxed);
        atomic_store_explicit(&t->integrity_rid, one ? NTSEC_MANDATORY_HIGH : NTSEC_MANDATORY_MEDIUM,
                              memory_order_relaxed);
        ntsec__token_write_end(t, true);
    }
    atomic_store(&s->done, true);
    return NULL;
}

static void *reader(void *arg)
{
    struct shared *s = arg;
    struct ntsec_token *t = s->t;
    long reads = 0;

    while (!atomic_load(&s->done) || reads < 1000) {
        uint32_t seq, users, admins, rid;
        uint64_t enabled;
        bool state0, state1;

        do {
            seq = ntsec__token_read_begin(t);
            users = atomic_load_explicit(&t->sids[1 + TF_USERS].attributes, memory_order_relaxed);
            pause_a_little();
            admins = atomic_load_explicit(&t->sids[1 + TF_ADMINS].attributes, memory_order_relaxed);
            enabled = atomic_load_explicit(&t->priv_enabled, memory_order_relaxed);
            rid = atomic_load_explicit(&t->integrity_rid, memory_order_relaxed);
        } while (ntsec__token_read_retry(t, seq));
        state0 = (users & NTSEC_SE_GROUP_ENABLED) && !(admins & NTSEC_SE_GROUP_ENABLED) &&
                 (enabled & BIT(NTSEC_SE_SHUTDOWN_PRIVILEGE)) && rid == NTSEC_MANDATORY_MEDIUM;
        state1 = !(users & NTSEC_SE_GROUP_ENABLED) && (admins & NTSEC_SE_GROUP_ENABLED) &&
                 !(enabled & BIT(NTSEC_SE_SHUTDOWN_PRIVILEGE)) && rid == NTSEC_MANDATORY_HIGH;
        if (state0 == state1)
            atomic_fetch_add(&s->torn, 1);
        reads++;
        if (reads == 1)
            atomic_fetch_add(&s->started, 1);
    }
    atomic_fetch_add(&s->reads, reads);
    return NULL;
}

/* Readers of a token being changed see either the state before or the
 * state after each write, never a mix (the seqlock of token.h). */
static void readers_never_see_a_torn_token(void)
{
    struct tf_token f;
    struct shared s = { .readers = READERS };
    pthread_t w, r[READERS];
    uint64_t mod_before;

    tf_init(&f);
    /* State 0 at creation. */
    f.groups[TF_USERS].attributes = TF_MANDATORY;
    f.groups[TF_ADMINS].attributes = NTSEC_SE_GROUP_OWNER;
    f.privs[1].attributes = NTSEC_SE_PRIVILEGE_ENABLED;
    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(&f.desc, &s.t), NTSEC_STATUS_SUCCESS);
    mod_before = ntsec__luid_to_u64(ntsec_token_modified_id(s.t));
    for (int i = 0; i < READERS; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&r[i], NULL, reader, &s), 0);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&w, NULL, writer, &s), 0);
    pthread_join(w, NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);
    CU_ASSERT_EQUAL(atomic_load(&s.torn), 0);
    CU_ASSERT(atomic_load(&s.reads) >= READERS * 1000);
    CU_ASSERT(ntsec__luid_to_u64(ntsec_token_modified_id(s.t)) > mod_before);
    CU_ASSERT_FALSE(s.t->seq & 1);
    ntsec_token_put(s.t);
}

/* A snapshot for a derived token is consistent too: every description
 * taken during the writes is one of the two states. */
static void *describer(void *arg)
{
    struct shared *s = arg;

    atomic_fetch_add(&s->started, 1);
    while (!atomic_load(&s->done)) {
        struct ntsec_token_desc d;
        bool users, admins, shutdown = false;
        uint32_t label;

        if (!ntsec_success(ntsec__token_describe(s->t, &d)))
            continue;
        users = d.groups[TF_USERS].attributes & NTSEC_SE_GROUP_ENABLED;
        admins = d.groups[TF_ADMINS].attributes & NTSEC_SE_GROUP_ENABLED;
        for (size_t i = 0; i < d.privilege_count; i++)
            if (d.privileges[i].luid.low == NTSEC_SE_SHUTDOWN_PRIVILEGE)
                shutdown = d.privileges[i].attributes & NTSEC_SE_PRIVILEGE_ENABLED;
        label = ntsec_sid_rid(d.groups[TF_LABEL].sid);
        if (!((users && !admins && shutdown && label == NTSEC_MANDATORY_MEDIUM) ||
              (!users && admins && !shutdown && label == NTSEC_MANDATORY_HIGH)))
            atomic_fetch_add(&s->torn, 1);
        ntsec__token_desc_release(&d);
        atomic_fetch_add(&s->reads, 1);
    }
    return NULL;
}

static void describe_is_consistent_under_writes(void)
{
    struct tf_token f;
    struct shared s = { .readers = 2 };
    pthread_t w, r[2];

    tf_init(&f);
    f.groups[TF_USERS].attributes = TF_MANDATORY;
    f.groups[TF_ADMINS].attributes = NTSEC_SE_GROUP_OWNER;
    f.privs[1].attributes = NTSEC_SE_PRIVILEGE_ENABLED;
    CU_ASSERT_EQUAL_FATAL(ntsec_token_create(&f.desc, &s.t), NTSEC_STATUS_SUCCESS);
    for (int i = 0; i < 2; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&r[i], NULL, describer, &s), 0);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&w, NULL, writer, &s), 0);
    pthread_join(w, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(r[i], NULL);
    CU_ASSERT_EQUAL(atomic_load(&s.torn), 0);
    ntsec_token_put(s.t);
}

static void *allocate_luids(void *arg)
{
    uint64_t *out = arg;

    for (int i = 0; i < LUIDS_PER_THREAD; i++)
        out[i] = ntsec__luid_to_u64(ntsec_luid_allocate());
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* NtAllocateLocallyUniqueId: unique across threads, never one of the
 * well-known logon session LUIDs (0x3e4..0x3e7, winnt.h) or below. */
static void luids_are_unique_across_threads(void)
{
    uint64_t *all = calloc(LUID_THREADS * LUIDS_PER_THREAD, sizeof(*all));
    pthread_t th[LUID_THREADS];
    size_t n = LUID_THREADS * LUIDS_PER_THREAD;

    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    for (int i = 0; i < LUID_THREADS; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, allocate_luids,
                                             all + (size_t)i * LUIDS_PER_THREAD), 0);
    for (int i = 0; i < LUID_THREADS; i++)
        pthread_join(th[i], NULL);
    qsort(all, n, sizeof(*all), cmp_u64);
    CU_ASSERT(all[0] > 0x3e7);
    for (size_t i = 1; i < n; i++)
        if (all[i] == all[i - 1]) {
            CU_FAIL("duplicate LUID");
            break;
        }
    free(all);
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(readers_never_see_a_torn_token),
        TEST(describe_is_consistent_under_writes),
        TEST(luids_are_unique_across_threads),
        CU_TEST_INFO_NULL,
    };

    testutil_add_suite("token_concurrency", tests);
}

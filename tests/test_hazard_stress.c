/* test_hazard_stress.c - hazard pointers (libsec/hazard.c): readers take
 * references to an object an owner swaps and drops with no lock, and no
 * object is freed while a reader can still touch it, nor leaked.
 * Rules from docs/design/impersonation.md "Other threads reading a
 * thread's token". Bounded (well under 2 s); `make check-tsan` runs it
 * under ThreadSanitizer. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "alloc.h"
#include "hazard.h"
#include "testutil.h"

#define MAGIC 0x70c3e11aU
#define DEAD 0xdeadU

/* A counted object like a token: the count is atomic, the rest is plain
 * memory that a reader holding a reference reads. */
struct obj {
    atomic_long refs;
    unsigned magic;
};

static atomic_long made, freed;

static struct obj *obj_new(void)
{
    struct obj *o = ntsec__alloc(sizeof(*o));

    if (!o)
        return NULL;
    atomic_init(&o->refs, 1);
    o->magic = MAGIC;
    atomic_fetch_add(&made, 1);
    return o;
}

static void obj_free(void *p)
{
    struct obj *o = p;

    o->magic = DEAD;            /* a reader that still looked would see it */
    atomic_fetch_add(&freed, 1);
    ntsec__free(o);
}

/* Increment-if-not-zero: a zero count means the object is being freed. */
static bool obj_try_get(void *p)
{
    struct obj *o = p;
    long n = atomic_load_explicit(&o->refs, memory_order_relaxed);

    do
        if (n == 0)
            return false;
    while (!atomic_compare_exchange_weak_explicit(&o->refs, &n, n + 1,
                                                  memory_order_relaxed,
                                                  memory_order_relaxed));
    return true;
}

static void obj_put(struct obj *o)
{
    if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) == 1)
        ntsec__hazard_retire(o, obj_free);
}

static void counts_reset(void)
{
    atomic_store(&made, 0);
    atomic_store(&freed, 0);
}

/* A reader stopped inside try_get, so its slot names the object while the
 * test decides what the owner does. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int step;                   /* 1 inside try_get, 2 go on, 3 returned, 4 exit */
    _Atomic(void *) src;
    void *got;
};

static struct gate *the_gate;

static void gate_wait(struct gate *g, int step)
{
    pthread_mutex_lock(&g->lock);
    while (g->step < step)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void gate_set(struct gate *g, int step)
{
    pthread_mutex_lock(&g->lock);
    if (step > g->step)         /* steps only go forward */
        g->step = step;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static bool gated_try_get(void *p)
{
    gate_set(the_gate, 1);
    gate_wait(the_gate, 2);
    return obj_try_get(p);
}

static void *gated_reader(void *arg)
{
    struct gate *g = arg;

    g->got = ntsec__hazard_acquire(&g->src, gated_try_get);
    gate_set(g, 3);
    gate_wait(g, 4);
    return NULL;
}

static void gate_init(struct gate *g, struct obj *o)
{
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    g->step = 0;
    atomic_init(&g->src, o);
    g->got = NULL;
    the_gate = g;
}

static void gate_destroy(struct gate *g)
{
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->cond);
    the_gate = NULL;
}

/* The owner's revert: clear the pointer, then drop the reference it held. */
static void owner_drop(struct gate *g)
{
    struct obj *o = atomic_exchange_explicit(&g->src, NULL, memory_order_acq_rel);

    obj_put(o);
}

/* A thread with no token: the reader gets NULL, and touches nothing. */
static void test_acquire_of_null_returns_null(void)
{
    _Atomic(void *) src = NULL;

    CU_ASSERT_PTR_NULL(ntsec__hazard_acquire(&src, obj_try_get));
}

/* The reader gets a new reference, and its slot is clear afterwards (a
 * slot is held for one try_get only). */
static void test_acquire_takes_a_reference(void)
{
    struct obj *o = obj_new();
    _Atomic(void *) src;

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    atomic_init(&src, o);
    CU_ASSERT_PTR_EQUAL(ntsec__hazard_acquire(&src, obj_try_get), o);
    CU_ASSERT_EQUAL(atomic_load(&o->refs), 2);
    CU_ASSERT_FALSE(ntsec__hazard_is_protected(o));
    obj_put(o);
    obj_put(o);
}

/* An object whose last reference went is not revived: increment-if-not-
 * zero fails and the reader gets NULL. */
static void test_acquire_of_dying_object_returns_null(void)
{
    struct obj *o = obj_new();
    _Atomic(void *) src;

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    atomic_store(&o->refs, 0);
    atomic_init(&src, o);
    CU_ASSERT_PTR_NULL(ntsec__hazard_acquire(&src, obj_try_get));
    CU_ASSERT_EQUAL(atomic_load(&o->refs), 0);
    CU_ASSERT_FALSE(ntsec__hazard_is_protected(o));
    obj_free(o);
}

/* The free path with no reader: freed at once. */
static void test_retire_unprotected_frees_at_once(void)
{
    struct obj *o = obj_new();

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    counts_reset();
    CU_ASSERT_FALSE(ntsec__hazard_is_protected(o));
    obj_put(o);
    CU_ASSERT_EQUAL(atomic_load(&freed), 1);
}

/* A reader inside try_get keeps the memory: the owner's last put defers
 * the free, the reader fails to revive it, and a drain frees it. */
static void test_retire_protected_defers_until_drain(void)
{
    struct gate g;
    struct obj *o = obj_new();
    pthread_t t;

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    counts_reset();
    gate_init(&g, o);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, gated_reader, &g), 0);
    gate_wait(&g, 1);
    CU_ASSERT_TRUE(ntsec__hazard_is_protected(o));
    owner_drop(&g);
    CU_ASSERT_EQUAL(atomic_load(&freed), 0);
    gate_set(&g, 2);
    gate_wait(&g, 3);
    CU_ASSERT_PTR_NULL(g.got);
    CU_ASSERT_FALSE(ntsec__hazard_is_protected(o));
    CU_ASSERT_EQUAL(atomic_load(&freed), 0);      /* nothing retried yet */
    ntsec__hazard_drain();
    CU_ASSERT_EQUAL(atomic_load(&freed), 1);
    gate_set(&g, 4);
    pthread_join(t, NULL);
    gate_destroy(&g);
}

/* The design's "deferred frees are retried at thread exit": the reader
 * that kept the object frees it when it exits. */
static void test_thread_exit_frees_deferred(void)
{
    struct gate g;
    struct obj *o = obj_new();
    pthread_t t;

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    counts_reset();
    gate_init(&g, o);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, gated_reader, &g), 0);
    gate_wait(&g, 1);
    owner_drop(&g);
    CU_ASSERT_EQUAL(atomic_load(&freed), 0);
    gate_set(&g, 4);            /* through try_get, and out */
    pthread_join(t, NULL);
    CU_ASSERT_PTR_NULL(g.got);
    CU_ASSERT_EQUAL(atomic_load(&freed), 1);
    gate_destroy(&g);
}

static void *open_gate_later(void *arg)
{
    struct timespec ms20 = { 0, 20 * 1000 * 1000 };

    nanosleep(&ms20, NULL);
    gate_set(arg, 2);
    return NULL;
}

/* A free cannot fail: with no memory for the deferred entry, the last put
 * waits until the reader's slot is clear, then frees. */
static void test_retire_without_memory_waits_for_reader(void)
{
    struct gate g;
    struct obj *o = obj_new();
    pthread_t reader, opener;

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    counts_reset();
    gate_init(&g, o);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&reader, NULL, gated_reader, &g), 0);
    gate_wait(&g, 1);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&opener, NULL, open_gate_later, &g), 0);
    testutil_fail_alloc_after(0);
    owner_drop(&g);             /* returns once the reader let go */
    testutil_fail_alloc_after(-1);
    CU_ASSERT_EQUAL(atomic_load(&freed), 1);
    CU_ASSERT_FALSE(ntsec__hazard_is_protected(o));
    gate_set(&g, 4);
    pthread_join(opener, NULL);
    pthread_join(reader, NULL);
    CU_ASSERT_PTR_NULL(g.got);
    gate_destroy(&g);
}

static void *one_acquire(void *arg)
{
    struct obj *o = ntsec__hazard_acquire(arg, obj_try_get);

    if (o)
        obj_put(o);
    return o;
}

/* A slot is given back at thread exit and reused: threads that come and
 * go one after another do not grow the list. */
static void test_slots_reused_after_thread_exit(void)
{
    struct obj *o = obj_new();
    _Atomic(void *) src;
    pthread_t t;
    void *got;
    size_t base;

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    atomic_init(&src, o);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, one_acquire, &src), 0);
    pthread_join(t, NULL);
    base = ntsec__hazard_slot_count();
    for (int i = 0; i < 20; i++) {
        CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, one_acquire, &src), 0);
        pthread_join(t, &got);
        CU_ASSERT_PTR_EQUAL(got, o);
    }
    CU_ASSERT_EQUAL(ntsec__hazard_slot_count(), base);
    CU_ASSERT_EQUAL(atomic_load(&o->refs), 1);
    obj_put(o);
}

/* The stress: an owner publishing a new object and dropping the old one
 * in a loop (impersonate/revert), readers taking references and reading
 * the object's plain memory. A premature free shows as a bad magic here,
 * as use-after-free under valgrind, as a race under ThreadSanitizer. */
#define READERS 2
#define SWAPS 200000
#define MAX_NS 1500000000LL     /* stop early on a slow machine (valgrind) */

static _Atomic(void *) shared;
static atomic_bool stop;
static atomic_int readers_ready;
static atomic_long reader_refs, bad_magic, owner_swaps;

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *stress_reader(void *arg)
{
    bool first = true;

    (void)arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        struct obj *o = ntsec__hazard_acquire(&shared, obj_try_get);

        if (o) {
            if (o->magic != MAGIC || atomic_load(&o->refs) < 1)
                atomic_fetch_add(&bad_magic, 1);
            atomic_fetch_add_explicit(&reader_refs, 1, memory_order_relaxed);
            obj_put(o);
        }
        if (first) {
            first = false;
            atomic_fetch_add(&readers_ready, 1);
        }
    }
    return NULL;
}

static void *stress_owner(void *arg)
{
    long long deadline;
    long i;

    (void)arg;
    /* Swapping before the readers run would test nothing. */
    while (atomic_load(&readers_ready) < READERS)
        sched_yield();
    deadline = now_ns() + MAX_NS;
    for (i = 0; i < SWAPS; i++) {
        struct obj *n = obj_new(), *old;

        if (!n)
            break;
        /* The owner's path is two atomics and no call into hazard.c
         * unless the old object's last reference goes here. */
        old = atomic_exchange_explicit(&shared, n, memory_order_acq_rel);
        obj_put(old);
        if ((i & 1023) == 0 && now_ns() > deadline)
            break;
    }
    atomic_store(&owner_swaps, i);
    return NULL;
}

static void test_stress_owner_swaps_while_readers_acquire(void)
{
    pthread_t readers[READERS], owner;
    struct obj *first = obj_new(), *last;

    CU_ASSERT_PTR_NOT_NULL_FATAL(first);
    counts_reset();
    atomic_store(&made, 1);
    atomic_store(&shared, first);
    atomic_store(&stop, false);
    atomic_store(&readers_ready, 0);
    atomic_store(&reader_refs, 0);
    atomic_store(&bad_magic, 0);
    for (int i = 0; i < READERS; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&readers[i], NULL, stress_reader, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&owner, NULL, stress_owner, NULL), 0);
    pthread_join(owner, NULL);
    atomic_store(&stop, true);
    for (int i = 0; i < READERS; i++)
        pthread_join(readers[i], NULL);
    last = atomic_exchange(&shared, NULL);
    obj_put(last);
    ntsec__hazard_drain();

    CU_ASSERT(atomic_load(&owner_swaps) > 0);
    CU_ASSERT(atomic_load(&reader_refs) >= READERS);
    CU_ASSERT_EQUAL(atomic_load(&bad_magic), 0);
    CU_ASSERT_EQUAL(atomic_load(&made), atomic_load(&owner_swaps) + 1);
    CU_ASSERT_EQUAL(atomic_load(&freed), atomic_load(&made));
}

void register_tests(void)
{
    static CU_TestInfo tests[] = {
        TEST(test_acquire_of_null_returns_null),
        TEST(test_acquire_takes_a_reference),
        TEST(test_acquire_of_dying_object_returns_null),
        TEST(test_retire_unprotected_frees_at_once),
        TEST(test_retire_protected_defers_until_drain),
        TEST(test_thread_exit_frees_deferred),
        TEST(test_retire_without_memory_waits_for_reader),
        TEST(test_slots_reused_after_thread_exit),
        TEST(test_stress_owner_swaps_while_readers_acquire),
        CU_TEST_INFO_NULL
    };

    testutil_add_suite("hazard", tests);
}

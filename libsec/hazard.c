/* hazard.c - hazard pointers (Michael, "Hazard Pointers: Safe Memory
 * Reclamation for Lock-Free Objects", IEEE TPDS 2004), specialised to
 * counted objects: the hazard only keeps the memory valid for the one
 * increment-if-not-zero that takes a real reference.
 *
 * Why it is correct (C11 as amended by C++20 P0668, "strongly happens
 * before"; all the seq_cst operations and fences below are in the single
 * total order S):
 *   reader:  S1: slot = p (seq_cst)   L1: q = *src (seq_cst), retry if q != p
 *   freer:   W: *src = other (owner)  ... last put ...  F: seq_cst fence,
 *            R: load slot (after F)
 * W strongly happens before F: the owner stores W, then drops the
 * reference *src held with an acq_rel decrement, and the final decrement
 * (in whatever thread) reads from that release sequence and is sequenced
 * before F. Either F precedes S1 in S, then L1 (after S1) must see W or a
 * later store, so q != p and the reader never touches p; or S1 precedes F,
 * then R (sequenced after F) sees S1 or the reader's later clear, and the
 * clear is a release store: the reader's try_get happens before the free.
 * An object whose count reached zero is never republished (no one holds a
 * reference to republish), so L1 cannot see p again (no ABA).
 *
 * The free path pays the fence and the scan; the owner pays nothing. */
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "hazard.h"

struct ntsec__hazard_slot {
    /* Its own cache line: readers on different CPUs publish with a
     * seq_cst store each, and must not bounce one line between them. */
    alignas(64) _Atomic(void *) ptr;
    atomic_bool in_use;                         /* owned by a thread */
    struct ntsec__hazard_slot *next;            /* immutable once linked */
};

struct deferred {
    void *obj;
    void (*free_fn)(void *obj);
    struct deferred *next;
};

/* The slot of a thread that could get none of its own (no memory, or no
 * pthread key for the exit hook): always in the list, never claimed, and
 * shared under spare_lock. Only that thread's reads take a lock. */
static struct ntsec__hazard_slot spare = { .in_use = true };
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;

/* Push-only list: a slot is never unlinked, so walking it needs no lock
 * and a thread's acquire never waits for another's registration. */
static _Atomic(struct ntsec__hazard_slot *) slots = &spare;
static atomic_size_t slot_count;

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t slot_key;
static bool key_ok;
static _Thread_local struct ntsec__hazard_slot *my_slot;

/* The deferred frees: rare (a reader was inside try_get while the last
 * reference went), so a mutex is enough. deferred_count lets retire skip
 * the lock when the list is empty, which is nearly always. */
static pthread_mutex_t deferred_lock = PTHREAD_MUTEX_INITIALIZER;
static struct deferred *deferred_head;
static atomic_long deferred_count;

static void slot_release(void *arg)
{
    struct ntsec__hazard_slot *s = arg;

    my_slot = NULL;
    atomic_store_explicit(&s->ptr, NULL, memory_order_release);
    /* Release: the next owner's claim (acquire CAS) sees this thread's
     * last clear before it publishes anything. */
    atomic_store_explicit(&s->in_use, false, memory_order_release);
    /* The design's "deferred frees are retried at thread exit": this
     * thread may be the reader that kept one from being freed. */
    if (atomic_load_explicit(&deferred_count, memory_order_relaxed))
        ntsec__hazard_drain();
}

static void make_key(void)
{
    key_ok = pthread_key_create(&slot_key, slot_release) == 0;
}

/* Claims a free slot or links a new one. NULL: use the spare. */
static struct ntsec__hazard_slot *slot_register(void)
{
    struct ntsec__hazard_slot *s, *head;

    pthread_once(&key_once, make_key);
    if (!key_ok)
        return NULL;    /* no exit hook: a claimed slot could never be given back */
    for (s = atomic_load_explicit(&slots, memory_order_acquire); s; s = s->next) {
        bool free_slot = false;

        if (atomic_compare_exchange_strong_explicit(&s->in_use, &free_slot, true,
                                                    memory_order_acquire,
                                                    memory_order_relaxed))
            goto claimed;
    }
    /* Not ntsec__alloc: a slot lives for the whole process and is reused,
     * like a TLS block; counting it would charge the first test that
     * starts a thread with a leak, and an injected failure here would only
     * exercise the spare. */
    s = aligned_alloc(alignof(struct ntsec__hazard_slot), sizeof(*s));
    if (!s)
        return NULL;
    memset(s, 0, sizeof(*s));
    atomic_init(&s->ptr, NULL);
    atomic_init(&s->in_use, true);
    head = atomic_load_explicit(&slots, memory_order_relaxed);
    do
        s->next = head;
    while (!atomic_compare_exchange_weak_explicit(&slots, &head, s, memory_order_release,
                                                  memory_order_relaxed));
    atomic_fetch_add_explicit(&slot_count, 1, memory_order_relaxed);
claimed:
    if (pthread_setspecific(slot_key, s) != 0) {
        atomic_store_explicit(&s->in_use, false, memory_order_release);
        return NULL;
    }
    my_slot = s;
    return s;
}

/* The protocol with slot s: publish, re-read, retry on change. The word
 * in *src may carry tag bits (`tag_mask`): the slot names the object
 * without them, the re-read compares the whole word. */
static void *protect_and_get(struct ntsec__hazard_slot *s, _Atomic(void *) *src,
                             uintptr_t tag_mask, bool (*try_get)(void *obj), void **seen)
{
    /* Acquire: a NULL needs no ordering, and p is re-loaded below with
     * seq_cst before anything reads it. */
    void *p = atomic_load_explicit(src, memory_order_acquire);
    void *obj;
    bool got;

    for (;;) {
        void *q;

        if (!p) {
            *seen = NULL;
            return NULL;
        }
        obj = (void *)((uintptr_t)p & ~tag_mask);
        /* seq_cst store then seq_cst load: the store-load order that a
         * release/acquire pair does not give. Without it the re-read
         * could be satisfied before the slot is visible to a freer, which
         * could then scan, miss obj and free it under us. */
        atomic_store_explicit(&s->ptr, obj, memory_order_seq_cst);
        q = atomic_load_explicit(src, memory_order_seq_cst);
        if (q == p)
            break;
        /* The owner swapped between our load and our publish: obj may
         * already have been scanned for and freed. Protect the new one. */
        p = q;
    }
    got = try_get(obj);
    /* Release: the freer that sees the slot empty sees our try_get done
     * (this is the edge ThreadSanitizer sees between our access to the
     * count and the free). */
    atomic_store_explicit(&s->ptr, NULL, memory_order_release);
    *seen = p;
    return got ? obj : NULL;
}

void *ntsec__hazard_acquire_tagged(_Atomic(void *) *src, uintptr_t tag_mask,
                                   bool (*try_get)(void *obj), void **seen)
{
    struct ntsec__hazard_slot *s = my_slot;
    void *p;

    if (!s)
        s = slot_register();
    if (s)
        return protect_and_get(s, src, tag_mask, try_get, seen);
    pthread_mutex_lock(&spare_lock);
    p = protect_and_get(&spare, src, tag_mask, try_get, seen);
    pthread_mutex_unlock(&spare_lock);
    return p;
}

void *ntsec__hazard_acquire(_Atomic(void *) *src, bool (*try_get)(void *obj))
{
    void *seen;

    return ntsec__hazard_acquire_tagged(src, 0, try_get, &seen);
}

/* Scan without the fence: callers issue it once before their scans. */
static bool named(const void *obj)
{
    const struct ntsec__hazard_slot *s;

    for (s = atomic_load_explicit(&slots, memory_order_acquire); s; s = s->next)
        /* Acquire, after the caller's seq_cst fence: sees a publish that
         * precedes the fence in S, and synchronises with a clear. */
        if (atomic_load_explicit(&s->ptr, memory_order_acquire) == obj)
            return true;
    return false;
}

bool ntsec__hazard_is_protected(const void *obj)
{
    /* The freer's half of the store-load order (see the file comment). */
    atomic_thread_fence(memory_order_seq_cst);
    return named(obj);
}

void ntsec__hazard_drain(void)
{
    struct deferred *d, **link, *ready = NULL;

    pthread_mutex_lock(&deferred_lock);
    atomic_thread_fence(memory_order_seq_cst);
    for (link = &deferred_head; (d = *link) != NULL;) {
        if (named(d->obj)) {
            link = &d->next;
            continue;
        }
        *link = d->next;
        d->next = ready;
        ready = d;
        atomic_fetch_sub_explicit(&deferred_count, 1, memory_order_relaxed);
    }
    pthread_mutex_unlock(&deferred_lock);
    /* Free outside the lock: a free function may put other objects, whose
     * last put retires them and comes back here. */
    while ((d = ready) != NULL) {
        ready = d->next;
        d->free_fn(d->obj);
        ntsec__free(d);
    }
}

void ntsec__hazard_retire(void *obj, void (*free_fn)(void *obj))
{
    struct deferred *d;

    if (atomic_load_explicit(&deferred_count, memory_order_relaxed))
        ntsec__hazard_drain();
    if (!ntsec__hazard_is_protected(obj)) {
        free_fn(obj);
        return;
    }
    d = ntsec__alloc(sizeof(*d));
    if (!d) {
        /* A free must not fail. The slot naming obj is held for one
         * try_get, which fails on a zero count: wait it out. */
        while (ntsec__hazard_is_protected(obj))
            sched_yield();
        free_fn(obj);
        return;
    }
    d->obj = obj;
    d->free_fn = free_fn;
    pthread_mutex_lock(&deferred_lock);
    d->next = deferred_head;
    deferred_head = d;
    atomic_fetch_add_explicit(&deferred_count, 1, memory_order_relaxed);
    pthread_mutex_unlock(&deferred_lock);
}

size_t ntsec__hazard_slot_count(void)
{
    return atomic_load_explicit(&slot_count, memory_order_relaxed);
}

/* hazard.h - hazard pointers: let any thread take a reference to an object
 * another thread publishes through an atomic pointer (a thread's current
 * impersonation token) while the publisher swaps it and drops the old one
 * with no lock.
 *
 * docs/design/impersonation.md "Other threads reading a thread's token":
 * the reader pays a published pointer and a re-read; the owner's swap and
 * its put stay one atomic each; only the free after a last put (rare)
 * scans the slots, and defers the free while a slot names the object. */
#ifndef NTSEC_LIBSEC_HAZARD_H
#define NTSEC_LIBSEC_HAZARD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One per reader thread, taken on its first acquire from a global list
 * (slots are never freed, only reused) and given back when it exits. */
struct ntsec__hazard_slot;

/* Returns a new reference to the object *src names, or NULL when *src is
 * NULL or the object is dying (try_get failed). try_get must take a
 * reference only if the count is not zero (increment-if-not-zero); it is
 * called while the object is protected, so its memory is valid even if
 * its count is zero. Lock-free (after the thread's first call).
 *
 * The writer of *src must publish with a release store (or stronger) and
 * keep a reference for as long as *src names the object; dropping that
 * reference after replacing *src is what makes the object retirable. */
void *ntsec__hazard_acquire(_Atomic(void *) *src, bool (*try_get)(void *obj));

/* The same for a word that carries tag bits below the object's alignment
 * (a thread's impersonation word: token pointer | level | flags): the
 * object is the word without `tag_mask`, and *seen receives the whole
 * word that was protected (NULL when none), so the caller reads the tags
 * that went with the object it got. */
void *ntsec__hazard_acquire_tagged(_Atomic(void *) *src, uintptr_t tag_mask,
                                   bool (*try_get)(void *obj), void **seen);

/* Whether some thread's slot names obj now. For the free path. */
bool ntsec__hazard_is_protected(const void *obj);

/* The free path of an object whose last reference went: free_fn(obj) now
 * if no slot names it, else later, at a retire, a drain or the exit of a
 * thread that held a slot. Consumes obj. Never fails: if the deferred
 * entry cannot be allocated, waits (briefly: a slot is held for one
 * try_get) until no slot names obj. */
void ntsec__hazard_retire(void *obj, void (*free_fn)(void *obj));

/* Frees the deferred objects no slot names any more. */
void ntsec__hazard_drain(void);

/* Slots ever registered (in use or free for reuse). Tests only. */
size_t ntsec__hazard_slot_count(void);

#endif

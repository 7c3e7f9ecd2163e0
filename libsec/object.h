/* object.h - the header every counted kernel object starts with.
 *
 * As in Linux's cred.h, the get is inline and the put is inline down to
 * the last reference, whose free is out of line: impersonate/revert pays
 * one atomic operation each way and nothing else. */
#ifndef NTSEC_LIBSEC_OBJECT_H
#define NTSEC_LIBSEC_OBJECT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ntsec/object.h"

struct ntsec__object {
    atomic_long refs;
    enum ntsec_object_type type;
    void (*destroy)(struct ntsec__object *obj);     /* frees the object */
};

/* Start life with one reference, owned by the creator. */
void ntsec__object_init(struct ntsec__object *obj, enum ntsec_object_type type,
                        void (*destroy)(struct ntsec__object *obj));

/* Called when the last reference goes: counts and destroys. Out of line. */
void ntsec__object_free(struct ntsec__object *obj);

static inline void ntsec__object_get(struct ntsec__object *obj)
{
    atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
}

/* Increment-if-not-zero: a reference unless the object is already dying.
 * For readers that found the object through a hazard-protected pointer
 * (hazard.h), whose memory stays valid even at a zero count. */
static inline bool ntsec__object_try_get(struct ntsec__object *obj)
{
    long n = atomic_load_explicit(&obj->refs, memory_order_relaxed);

    do
        if (n == 0)
            return false;
    while (!atomic_compare_exchange_weak_explicit(&obj->refs, &n, n + 1, memory_order_acquire,
                                                  memory_order_relaxed));
    return true;
}

static inline void ntsec__object_put(struct ntsec__object *obj)
{
    if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) == 1)
        ntsec__object_free(obj);
}

#endif
